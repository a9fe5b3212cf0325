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
# # Parameter sweeps that resume
#
# Any registered model (`qtransport models` lists them) can be swept over a grid written in
# TOML. Results go to one HDF5 file; rerunning the same sweep after an interruption — or with
# more grid values — computes only the points that are missing. The same file runs under MPI
# unchanged (`mpiexec -n 4 qtransport sweep sweep.toml --output sweep.h5`).

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from qtransport.workflows import config, sweep

# %% [markdown]
# ## 1. A first sweep: filament conductance over width and disorder

# %%
TEMPLATE = """
[sweep]
model = "filament.conductance"
seed = 0                            # root of every point's disorder stream

[sweep.fixed]
energies_eV = [0.5, 1.0, 1.5]
length_atoms = 8

[sweep.grid]
width_atoms = {widths}
disorder_eV = [0.0, 1.0]
"""
out = Path("sweep.h5")
out.unlink(missing_ok=True)
first = sweep.run(config.parse_config(TEMPLATE.format(widths=[1, 2, 3])), out)
print(f"first run: {first.n_computed} computed, {first.n_already_done} already done")

# %% [markdown]
# ## 2. Resume with more grid values
# Points are identified by their parameters (a hash of them), so adding widths keeps the six
# finished points and computes only the new ones. Each point's random stream comes from
# (seed, point key): a resumed point is bit-identical to one computed in a single run.

# %%
second = sweep.run(config.parse_config(TEMPLATE.format(widths=[1, 2, 3, 4, 5])), out)
print(f"second run: {second.n_computed} computed, {second.n_already_done} already done, "
      f"complete = {second.complete}")
again = sweep.run(config.parse_config(TEMPLATE.format(widths=[1, 2, 3, 4, 5])), out)
print(f"third run: {again.n_computed} computed (nothing left to do)")

# %% [markdown]
# ## 3. Read it back

# %%
res = sweep.load(out)
fig, ax = plt.subplots(figsize=(5, 3.5))
for disorder in (0.0, 1.0):
    rows = [(p["width_atoms"], r["conductance_G0"][1]) for p, r in zip(res.parameters, res.results)
            if p["disorder_eV"] == disorder]
    w, g = np.array(sorted(rows)).T
    ax.plot(w, g, "o-", label=f"disorder $W$ = {disorder:g} eV")
ax.set(xlabel="filament width (atoms)", ylabel="$G$ at $E$ = 1 eV ($2e^2/h$)",
       title=f"sweep of {len(res.results)} points (resumed)")
ax.legend()
fig.savefig("sweep_resume.png", dpi=120, bbox_inches="tight")
