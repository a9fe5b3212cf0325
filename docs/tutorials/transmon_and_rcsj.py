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
# # Josephson junctions: the transmon spectrum and RCSJ dynamics
#
# Two faces of one junction. Quantum: the Cooper-pair box / transmon Hamiltonian
# H = 4E_C(n − n_g)² − E_J cos φ in the charge basis, whose charge dispersion vanishes as E_J/E_C
# grows. Classical: the resistively and capacitively shunted junction (RCSJ), whose I–V curve
# is hysteretic when the Stewart–McCumber parameter β_c is large.

# %%
import matplotlib.pyplot as plt
import numpy as np

from qtransport import josephson

# %% [markdown]
# ## 1. From Cooper-pair box to transmon
# The transition frequency E_01 of the transmon approaches √(8E_J E_C) − E_C (Koch et al., 2007).

# %%
ng = np.linspace(-1, 1, 101)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
for ax, ej in zip(axes, (0.3, 15.0)):
    levels = josephson.quantum.spectrum(ej_GHz=ej, ec_GHz=0.3, ng=ng, ncut=20, levels=4)
    ax.plot(ng, levels - levels[:, :1].min())
    ax.set(xlabel="offset charge $n_g$", ylabel="$(E_m - E_0)/h$ (GHz)",
           title=f"$E_J/E_C$ = {ej / 0.3:.3g}")
fig.savefig("transmon_spectrum.png", dpi=120, bbox_inches="tight")
e = josephson.quantum.spectrum(ej_GHz=15.0, ec_GHz=0.3, ng=0.0, ncut=20, levels=2)
print(f"E01 = {e[1] - e[0]:.4f} GHz, asymptotic sqrt(8 EJ EC) - EC = "
      f"{np.sqrt(8 * 15.0 * 0.3) - 0.3:.4f} GHz")

# %% [markdown]
# ## 2. RCSJ: a hysteretic I–V curve
# Sweeping the bias up, the junction stays on the zero-voltage branch until I_c; sweeping down
# it returns only at the retrapping current, ≈ (4/π) I_c/√β_c for β_c ≫ 1.

# %%
j = josephson.Junction(critical_current_A=100e-6, capacitance_F=1e-12, resistance_ohm=10.0)
print(f"beta_c = {j.stewart_mccumber:.1f}, plasma frequency = {j.plasma_frequency_Hz / 1e9:.0f} GHz")
bias = np.linspace(0, 150e-6, 31)
up = josephson.rcsj.iv_curve(j, bias, direction="up", seed=0)
down = josephson.rcsj.iv_curve(j, bias, direction="down", seed=0)
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(bias * 1e6, up.voltage_V * 1e6, "o-", ms=3, label="sweep up")
ax.plot(bias * 1e6, down.voltage_V * 1e6, "s--", ms=3, label="sweep down")
ax.plot(bias * 1e6, bias * j.resistance_ohm * 1e6, "k:", lw=1, label="ohmic $IR$")
ax.set(xlabel="bias (µA)", ylabel="$\\langle V \\rangle$ (µV)",
       title=f"RCSJ, $\\beta_c$ = {j.stewart_mccumber:.0f}")
ax.legend()
fig.savefig("rcsj_iv.png", dpi=120, bbox_inches="tight")
