"""WKB transmission of piecewise-linear profiles, and the re-exported exact solvers.

Four independent ways to get the transmission T(E) of a barrier described by a piecewise-linear
:class:`~qtransport.tight_binding.transfer_matrix.Profile` (thickness, band edge at both ends,
effective mass of each segment) between two leads:

* :func:`continuum_transmission` — the BenDaniel–Duke transfer-matrix kernel
  (:mod:`~qtransport.tight_binding.transfer_matrix`): exact Airy segments, scaled, vectorized
  over energies and biases.
* :func:`lattice_transmission` — the same problem on the BenDaniel–Duke finite-difference lattice
  (:mod:`~qtransport.tight_binding.chain1d`), solved exactly by the ratio-form (recursive Green's
  function) lattice transfer matrix.
* :func:`kwant_transmission` — Kwant on that same lattice (MUMPS, unitarity checked).
* :func:`wkb_transmission` — T ≈ exp(−2∫κ dx), analytic for piecewise-linear profiles (here).

Energies are in eV measured from the left lead's band bottom, lengths in nm, masses in m_e.
"""
from __future__ import annotations

import logging

import numpy as np

from .chain1d import LatticeChain, kwant_chain as kwant_system, kwant_transmission, \
    lattice_chain, lattice_transmission
from .lattice import K_PER_SQRT_EV
from .transfer_matrix import Profile, energy_rows, transmission as continuum_transmission

__all__ = ["K_PER_SQRT_EV", "Slabs", "continuum_transmission", "LatticeChain",
           "lattice_chain", "lattice_transmission", "kwant_system", "kwant_transmission",
           "wkb_exponent", "wkb_transmission"]

log = logging.getLogger(__name__)

#: the profile type of every solver (old name kept for existing imports)
Slabs = Profile


def wkb_exponent(slabs: Profile, energies_eV: np.ndarray) -> np.ndarray:
    """∫κ dx over the classically forbidden parts, shape (n_bias, n_energy) (dimensionless).

    Exact for a piecewise-linear profile: on a slab from V_a to V_b over d,
    ∫ sqrt(max(V − E, 0)) dx = (2d/3) [max(V_b − E, 0)^{3/2} − max(V_a − E, 0)^{3/2}] / (V_b − V_a).

    Parameters
    ----------
    slabs : Profile
        Piecewise-linear profile (eV, nm, m_e), one column per bias.
    energies_eV : numpy.ndarray
        Energies above the left band bottom, eV (1-D, or one row per bias).

    Returns
    -------
    numpy.ndarray
        ∫κ dx, dimensionless, shape (n_bias, n_energy).
    """
    E = energy_rows(energies_eV)
    total = np.zeros((slabs.n_bias, E.shape[1]))
    for j, d in enumerate(slabs.thickness_nm):
        va, vb = slabs.start_eV[j][:, None], slabs.end_eV[j][:, None]
        ua, ub = np.clip(va - E, 0, None), np.clip(vb - E, 0, None)
        dv = vb - va
        flat = np.abs(dv) < 1e-12
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (2 * d / 3) * (ub ** 1.5 - ua ** 1.5) / np.where(flat, 1.0, dv)
            # no turning point in the slab: (u_b^{3/2} − u_a^{3/2})/(u_b − u_a) without the
            # cancellation of a nearly flat slab (x³ − y³ = (x − y)(x² + xy + y²), x, y = √u);
            # the difference quotient lost ~1e-16 u/dv: 3e-4 of T at a 1e-11 V bias
            ra, rb = np.sqrt(ua), np.sqrt(ub)
            inside = (2 * d / 3) * (ua + ra * rb + ub) / (ra + rb)
        slope = np.where((ua > 0) & (ub > 0), inside, slope)
        integral = np.where(flat, d * np.sqrt(0.5 * (ua + ub)), slope)
        total += K_PER_SQRT_EV * np.sqrt(slabs.mass[j]) * integral
    return total


def wkb_transmission(slabs: Profile, energies_eV: np.ndarray) -> np.ndarray:
    """WKB transmission T ≈ exp(−2∫κ dx) (no prefactor), shape (n_bias, n_energy).

    Zero where either lead has no propagating state at that energy.

    Parameters
    ----------
    slabs : Profile
        Piecewise-linear profile (eV, nm, m_e), one column per bias.
    energies_eV : numpy.ndarray
        Energies above the left band bottom, eV (1-D, or one row per bias).

    Returns
    -------
    numpy.ndarray
        T, dimensionless in [0, 1], shape (n_bias, n_energy).
    """
    E = energy_rows(energies_eV)
    open_ = (E > 0) & (E > slabs.right_bottom_eV[:, None])
    return np.where(open_, np.exp(-2 * wkb_exponent(slabs, energies_eV)), 0.0)
