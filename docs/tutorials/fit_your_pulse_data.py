# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Fit your own pulse data
#
# Measured a synaptic device? Put its conductance after each pulse in a CSV file and fit the
# NeuroSim pulse response G(p) (nonlinearity A, G_min, G_max) — the model the network
# simulations use, exported to an aihwkit device. The reader takes the unit from the column
# name (`conductance_uS`, `resistance_kohm`, …) and `,`, `;` (with decimal commas) or tab
# separators, so a lab export usually works as is. Here we make such a file from a known
# response plus 2 % read noise and check that the fit recovers it.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from qtransport import synapse
from qtransport.synapse import csvdata, export

# %% [markdown]
# ## 1. A lab-style CSV file (µS, semicolons, decimal commas)

# %%
truth = synapse.PulseResponse(g_min_S=2e-6, g_max_S=50e-6, n_pulses=40, a_ltp=12.0, a_ltd=25.0)
rng = np.random.default_rng(7)                    # seeded: the same file every run
p = np.arange(41)
rows = ["pulse_number;conductance_uS;direction"]
for direction, curve in (("ltp", truth.conductance_ltp(p)),
                         ("ltd", truth.conductance_after_ltd(p))):
    noisy = curve * (1 + 0.02 * rng.standard_normal(p.size))
    rows += [f"{k};{g * 1e6:.4f};{direction}".replace(".", ",") for k, g in zip(p, noisy)]
Path("my_device.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
print("\n".join(rows[:4]))

# %% [markdown]
# ## 2. Fit both directions
# (`qtransport fit my_device.csv --json fit.json` does the same from the shell.)

# %%
fits = csvdata.fit_csv("my_device.csv")
for d, f in fits.items():
    print(f"{d}: A = {f.a:.1f} ± {f.a_stderr:.1f} pulses (true "
          f"{truth.a_ltp if d == 'ltp' else truth.a_ltd:g}), rms misfit {100 * f.rms_rel:.1f} % "
          f"of the range")

data = csvdata.read_pulse_csv("my_device.csv")
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
for ax, d in zip(axes, ("ltp", "ltd")):
    k, g = data.curves[d]
    f = fits[d].response
    model = f.conductance_ltp(k) if d == "ltp" else f.conductance_after_ltd(k)
    ax.plot(k, g * 1e6, "o", ms=3, label="measured (2 % noise)")
    ax.plot(k, model * 1e6, "-", label=f"NeuroSim fit, $A$ = {fits[d].a:.1f}")
    ax.set(xlabel="pulses", ylabel="$G$ (µS)", title=d.upper())
    ax.legend()
fig.savefig("pulse_fit.png", dpi=120, bbox_inches="tight")

# %% [markdown]
# ## 3. Use it: network accuracy and an aihwkit device

# %%
device = synapse.PulseResponse.from_fits(fits["ltp"], fits["ltd"])
print("digits MLP accuracy with this device:",
      round(synapse.network.evaluate(device, seed=0).accuracy, 3))
print("aihwkit:", export.to_aihwkit(device))
