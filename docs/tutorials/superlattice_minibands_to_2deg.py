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
# # Superlattices: minibands → transmission → the quasi-2DEG of InGaO3(ZnO)m
#
# A periodic well/barrier stack turns the well levels into minibands. We compute them exactly
# (Kronig–Penney) and on a Kwant lattice, see the N − 1 resonances per miniband of a finite
# stack, and solve the InGaO3(ZnO)3 natural superlattice self-consistently
# (Schrödinger–Poisson) for its sheet density — the quasi-2DEG of the photonic synapse.

# %%
import matplotlib.pyplot as plt
import numpy as np

from qtransport.tight_binding import schrodinger_poisson, superlattice

# %% [markdown]
# ## 1. Minibands: exact vs Kwant lattice
# The lattice result converges to Kronig–Penney as a² (here a = 0.05 nm).

# %%
sl = superlattice.Superlattice(well_nm=2.0, barrier_nm=1.0, barrier_height_eV=0.3,
                               well_mass=0.067, barrier_mass=0.09)
kp = sl.minibands(n_bands=2)
kw = sl.minibands(n_bands=2, method="kwant", lattice_constant_nm=0.05)
print("miniband edges (eV), Kronig–Penney:\n", kp.round(4), "\nKwant lattice:\n", kw.round(4))

# %% [markdown]
# ## 2. A finite superlattice: N periods, N − 1 resonances per miniband

# %%
E = np.linspace(0.001, 0.6, 1200)
fig, ax = plt.subplots(figsize=(5.5, 3.6))
for n in (3, 6):
    ax.plot(E, sl.transmission(E, n_periods=n), lw=1, label=f"{n} periods")
for lo, hi in kp:
    ax.axvspan(lo, hi, color="0.9", zorder=0)
ax.set_xlim(E[0], E[-1])
ax.set(xlabel="$E - E_c$ of the well (eV)", ylabel="$T(E)$",
       title="finite superlattice (shaded: minibands)")
ax.legend()
fig.savefig("superlattice_transmission.png", dpi=120, bbox_inches="tight")

# %% [markdown]
# ## 3. InGaO3(ZnO)3: self-consistent sheet density
# The preset takes its layer thicknesses, masses and (weak) band offset from the materials
# database; `schrodinger_poisson` solves two wells at 300 K for a few Fermi levels.

# %%
preset = superlattice.ingao3_zno(m=3)
print(preset.description[:70], "| period", round(preset.period_nm, 3), "nm")
ef = np.linspace(-0.05, 0.1, 4)
sd = schrodinger_poisson.ingao3_zno_sheet_density(ef, m=3, n_periods=2, temperature_K=300.0)
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.semilogy(sd.fermi_energy_eV, sd.sheet_density_per_m2 * 1e-4, "o-")
ax.set(xlabel="$E_F - E_c$ of the well (eV)", ylabel="$n_s$ (cm$^{-2}$)",
       title="InGaO$_3$(ZnO)$_3$, 2 wells, 300 K")
fig.savefig("ingao3_sheet_density.png", dpi=120, bbox_inches="tight")
