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
# # Filament conductance: from the quantized staircase to the weight states of a growing filament
#
# A uniform atomic wire between electrodes conducts in integer steps of the conductance quantum
# G0 = 2e²/h, one step per transverse mode. We compute the staircase with Kwant, check it
# against the exact mode count, take the Kwant system in hand, and grow a silver filament atom by
# atom: the conductance levels it passes through are the weight states of a filamentary synapse.
#
# Run it as a script (`python filament_staircase_to_weights.py`) or open it as a notebook
# (Jupytext). Every figure is written next to it.

# %%
import kwant
import matplotlib.pyplot as plt
import numpy as np

from qtransport.tight_binding import filament, systems

# %% [markdown]
# ## 1. The staircase of a uniform wire
# Energies are measured from the bottom of the bulk band (hopping t = 1 eV). A W-site wide wire
# has exactly #{m : 2t[1 − cos(mπ/(W+1))] < E} open channels.

# %%
E = np.linspace(0.0, 3.0, 121)
wire = filament.conductance(width_atoms=4, energies_eV=E, length_atoms=6)
exact = filament.wire_mode_count(4, E)
print("max |G − mode count| away from thresholds:",
      np.abs(wire.conductance_G0 - exact)[np.abs(E[:, None]
             - filament.transverse_energies_eV(4)[None, :]).min(axis=1) > 1e-3].max())

fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(E, wire.conductance_G0, label="Kwant")
ax.plot(E, exact, "k:", label="exact mode count")
ax.set(xlabel="$E - E_c$ (eV)", ylabel="$G$ ($2e^2/h$)", title="uniform wire, $W$ = 4")
ax.legend()
fig.savefig("filament_staircase.png", dpi=120, bbox_inches="tight")

# %% [markdown]
# ## 2. The Kwant system in hand
# `filament.system` returns the same device as an unfinalized `kwant.Builder` with both
# electrodes attached: plot it, compute wave functions, or hand it back to qtransport's Landauer
# machinery with `systems.conductance` — here a constriction of width 2 in 6-wide electrodes.

# %%
syst = filament.system(width_atoms=2, length_atoms=5, electrode_width_atoms=6, profile="smooth")
fig = kwant.plot(syst, show=False)
fig.savefig("filament_system.png", dpi=100, bbox_inches="tight")
fsyst = syst.finalized()
mine = systems.conductance(fsyst, [0.5, 1.0, 2.0])
theirs = filament.conductance(2, [0.5, 1.0, 2.0], 5, electrode_width_atoms=6, profile="smooth")
print("same conductance:", np.allclose(mine.conductance_G0, theirs.conductance_G0, atol=1e-10))
psi = kwant.wave_function(fsyst, energy=1.5)(0)           # modes coming from the left
density = (np.abs(psi) ** 2).sum(axis=0)
fig = kwant.plotter.map(fsyst, density, show=False)
fig.savefig("filament_density.png", dpi=100, bbox_inches="tight")

# %% [markdown]
# ## 3. Atom-by-atom growth: the weight states
# A 3-D silver filament (one s channel per atom, t from the Ag spacing and free-electron mass)
# grows into a 3 × 3 cross-section. Each added atom opens part of a channel; with weak disorder
# the plateaus are no longer exact integers, and the distinct levels are the programmable
# states.

# %%
ef = filament.metal_fermi_energy_eV("Ag")
levels = {}
for seed in (0, 1):
    g = filament.growth(max_width_atoms=3, fermi_energy_eV=ef, material="Ag", dimension=3,
                        disorder_eV=0.3, seed=seed)
    levels[seed] = g
fig, ax = plt.subplots(figsize=(5, 3.5))
for seed, g in levels.items():
    ax.step(g.width_atoms, g.conductance_G0, where="mid", label=f"disorder seed {seed}")
ax.set(xlabel="atoms in the cross-section", ylabel="$G$ ($2e^2/h$)",
       title="Ag filament growth: the weight states")
ax.legend()
fig.savefig("filament_growth.png", dpi=120, bbox_inches="tight")
print("weight states (G0):", np.round(levels[0].conductance_G0, 2))
