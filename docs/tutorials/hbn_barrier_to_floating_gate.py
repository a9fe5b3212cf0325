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
# # h-BN tunnel barriers: transmission → J(V) → a floating-gate synapse
#
# Few-layer hexagonal boron nitride between graphene electrodes is a tunnel barrier whose
# current falls by about an order of magnitude per layer. We compute the exact transmission,
# the Tsu–Esaki current density, look at the barrier's lattice model as a Kwant chain, and use
# the Fowler–Nordheim current of a thick barrier to program a floating-gate synapse.
# Every weak material parameter (barrier height, tunneling mass) is in `b.sources`.

# %%
import matplotlib.pyplot as plt
import numpy as np

from qtransport.devices import floating_gate
from qtransport.tight_binding import systems, tunneling

# %% [markdown]
# ## 1. Transmission through 1–4 layers (exact transfer matrix)

# %%
E = np.linspace(0.01, 2.5, 300)          # eV above the electrode's band bottom
fig, ax = plt.subplots(figsize=(5, 3.5))
for n in (1, 2, 3, 4):
    b = tunneling.hbn_barrier(n_layers=n, electrode="graphene")
    ax.semilogy(E, b.transmission(E, method="tmm"), label=f"{n} layer{'s' if n > 1 else ''}")
ax.set(xlabel="$E - E_c$ (eV)", ylabel="$T(E)$", title="graphene | h-BN | graphene")
ax.legend()
fig.savefig("hbn_transmission.png", dpi=120, bbox_inches="tight")
print("barrier height source:", b.sources["barrier_height_eV"][:60], "...")

# %% [markdown]
# The `"kwant"` method solves the same barrier on a lattice; `systems.barrier_system` gives you
# that chain as a Kwant Builder.

# %%
b3 = tunneling.hbn_barrier(n_layers=3, electrode="graphene")
chain = systems.barrier_system(b3, bias_V=0.0, lattice_constant_nm=0.0333)
print("lattice chain:", len(list(chain.sites())), "sites, leads:", len(chain.leads))

# %% [markdown]
# ## 2. Current density J(V) (Tsu–Esaki, 300 K)

# %%
bias = np.linspace(0.05, 1.0, 12)
fig, ax = plt.subplots(figsize=(5, 3.5))
for n in (2, 3, 4):
    b = tunneling.hbn_barrier(n_layers=n, electrode="graphene")
    ax.semilogy(bias, np.abs(b.current_density(bias, temperature_K=300.0)), "o-", ms=3,
                label=f"{n} layers")
ax.set(xlabel="bias $V$ (V)", ylabel="$|J|$ (A m$^{-2}$)", title="Tsu–Esaki $J$–$V$, 300 K")
ax.legend()
fig.savefig("hbn_jv.png", dpi=120, bbox_inches="tight")

# %% [markdown]
# ## 3. A floating-gate synapse programmed by tunneling
# MoS2 channel | 18-layer h-BN | graphene floating gate | Al2O3 | control gate. Each ±7 V, 20 ns
# pulse moves charge through the h-BN by Fowler–Nordheim tunneling; the channel is read near its
# threshold, so the stored charge changes G exponentially. Two devices differ by one h-BN layer
# and the barrier height (device-to-device variation).

# %%
r = floating_gate.pulse_response(n_pulses=16, n_devices=2, seed=0)
n = r.pulse_number
fig, ax = plt.subplots(figsize=(5, 3.5))
for i in range(r.conductance_ltp_S.shape[0]):
    ax.plot(n, r.conductance_ltp_S[i] * 1e6, "C0-", alpha=1 if i == 0 else 0.5,
            label="potentiation" if i == 0 else None)
    ax.plot(n + n[-1], r.conductance_ltd_S[i] * 1e6, "C3-", alpha=1 if i == 0 else 0.5,
            label="depression" if i == 0 else None)
ax.set(xlabel="pulse number", ylabel="$G$ (µS)", title="floating-gate synapse (2 devices)")
ax.legend()
fig.savefig("floating_gate.png", dpi=120, bbox_inches="tight")
print("energy per write event (J):", np.asarray(r.event_energy_J).round(18))
