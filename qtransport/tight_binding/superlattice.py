"""Quantum wells and superlattices: finite wells, coupled wells, Kronig–Penney minibands, finite-SL
transmission, and the InGaO3(ZnO)m preset.

All profiles are piecewise constant along the growth axis: wells (potential 0, mass ``well_mass``)
and barriers (potential ``barrier_height_eV``, mass ``barrier_mass``), energies in eV measured from
the well bottom, lengths in nm, masses in m_e. Interfaces follow BenDaniel–Duke: ψ and ψ'/m* are
continuous. Every exact solver works with the real 2×2 transfer matrix of (ψ, ψ'/m*) through one
layer from the package's one BenDaniel–Duke kernel (:mod:`~qtransport.tight_binding.transfer_matrix`,
shared with the tunnel barriers),

    M = [[c, m S], [−K S / m, c]],  K = 2 m m_e (E − V)/ħ²,
    c = cos(√K L), S = sin(√K L)/√K   (cosh / sinh/√−K for K < 0),

an entire function of E; the kernel returns it with the evanescent growth e^{κL} taken out as a
logarithm, so thick barriers neither overflow the transmission nor the node counting.

Robust root finding rests on Sturm oscillation: the number of zeros of ψ grows monotonically with
E. Counting zeros through the layers (exactly, from the phase in propagating layers) turns "find the
n-th eigenvalue" into a bisection on an integer step function that cannot skip or double-count a
level. The Kronig–Penney band edges (cos qd = ±1) are the eigenvalues of four half-period
problems (ψ = 0 or ψ'/m = 0 at the well and barrier centres), found the same way.

Kwant cross-checks use the finite-volume (BenDaniel–Duke) discretization: sites at cell centres,
interfaces on cell boundaries, link hopping ħ²/(2 a² m_link) with m_link the mean of the two cells' masses
(continuity of the flux ψ'/m); errors are O(a²). The finite-superlattice chain is the package's one
1-D chain (:mod:`~qtransport.tight_binding.chain1d`, unitarity checked).

Examples
--------
>>> sl = Superlattice(well_nm=1.0, barrier_nm=0.4, barrier_height_eV=0.5,
...                   well_mass=0.24, barrier_mass=0.24)
>>> sl.minibands(n_bands=2).shape
(2, 2)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy.optimize import brentq

from .. import materials
from ..constants import eV, k_B, sheet_dos_per_J_m2
from ..errors import (check_array, check_choice, check_int, check_real, check_same_length,
                      check_work)
from ..errors import MAX_EFFECTIVE_MASS, MAX_ENERGY_EV, MAX_LENGTH_NM, MAX_TEMPERATURE_K
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from . import transfer_matrix as _tm
from .lattice import K_PER_SQRT_EV, hoppings_eV

__all__ = ["Superlattice", "finite_well_levels", "infinite_well_levels", "coupled_well_levels",
           "layer_bound_states", "kronig_penney_cos", "kronig_penney_band_edges",
           "layered_transmission", "sheet_density", "ingao3_zno", "ingao3_zno_period_nm",
           "kwant_minibands", "kwant_transmission", "WELL_CHOICES"]

log = logging.getLogger(__name__)

#: bisection stops when the bracket is below this relative width (times max(1 eV, |E|))
_BISECT_RTOL = 2e-15
_BISECT_MAXITER = 200
#: Illinois iteration on the Kronig–Penney angle stops at this relative bracket width (times
#: max(1 eV, |E|)): ~1e-13 eV, far below any physical resolution and 4 orders below the 1e-9 eV
#: agreement with plain bisection that the tests require
_ILLINOIS_RTOL = 1e-13
#: cells of the coarse √E grid that brackets the Kronig–Penney half-cell eigenvalues
_GRID = 12
#: which InGaO3(ZnO)m layers act as wells
WELL_CHOICES = ("InO2", "GaO(ZnO)m")
#: default most values a vectorized computation may hold (``max_values=``): configurations ×
#: bands, energies × layers; 10^7 float64 arrays are ~80 MB each
MAX_VALUES = 10**7
#: default most bound states of one :func:`finite_well_levels` call (``max_levels=``): one
#: ``brentq`` root each (~50 µs), so 10^5 levels are ~5 s
MAX_LEVELS = 10**5
#: default most layers of a layered profile built from a count (``max_layers=``)
MAX_LAYERS = 10**5
#: default most sites of a Kwant cross-check chain (``max_sites=``)
MAX_KWANT_SITES = 10**6


# --- one layer ---------------------------------------------------------------------------------

def _layer(energy, potential, mass, width):
    """Scaled transfer matrix of a flat layer from the kernel: (m11, m12, m21, m22, log_scale)."""
    return _tm.segment_matrix(energy, potential, potential, mass, width)


def _propagate(psi, P, energy, potential, mass, width):
    """State (ψ, ψ'/m) after a layer (normalized), and the number of zeros of ψ inside (0, L]."""
    m11, m12, m21, m22, _ = _layer(energy, potential, mass, width)
    psi1 = m11 * psi + m12 * P                  # scale factor e^{log_scale} > 0: dropped, since
    P1 = m21 * psi + m22 * P                    # the state is renormalized and signs are kept
    K = K_PER_SQRT_EV**2 * mass * (energy - potential)
    k = np.sqrt(np.abs(K))
    with np.errstate(divide="ignore", invalid="ignore"):
        phase = np.mod(np.arctan2(psi, mass * P / np.where(k > 0, k, 1.0)), np.pi)
        osc = np.floor((phase + k * width) / np.pi)
    mono = ((psi * psi1 < 0) | ((psi1 == 0) & (psi != 0))).astype(float)
    zeros = np.where(K > 0, osc, mono)
    norm = np.maximum(np.abs(psi1), np.abs(P1) / K_PER_SQRT_EV)
    norm = np.where(norm > 0, norm, 1.0)
    return psi1 / norm, P1 / norm, zeros


def _bisect_count(count, target, lo, hi):
    """Smallest E in (lo, hi] with count(E) ≥ target, for a count non-decreasing in E (vectorized)."""
    lo, hi = np.array(lo, float), np.array(hi, float)
    for _ in range(_BISECT_MAXITER):
        width = hi - lo
        if np.all(width <= _BISECT_RTOL * np.maximum(1.0, np.abs(hi))):
            break
        mid = 0.5 * (lo + hi)
        above = count(mid) >= target
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return 0.5 * (lo + hi)


def _illinois_angle(angle, target, lo, hi, flo=None, fhi=None):
    """Root of the increasing function angle(E) − target in [lo, hi], vectorized (1-D arrays).

    Illinois (modified regula falsi) on the lifted Prüfer angle: the bracket [lo, hi] with
    angle(lo) ≤ target < angle(hi) is kept at every step, so — the angle being continuous and
    strictly increasing in E — the one root inside can be neither missed nor confused with
    another eigenvalue; the secant step gives superlinear convergence (~10 evaluations instead
    of ~50 bisections). A step that does not land strictly inside the bracket, or a bracket that
    did not at least halve over two steps, falls back to bisection. Done when the bracket is
    below ``_ILLINOIS_RTOL`` × max(1 eV, |E|) or the angle hits the target exactly; converged
    entries leave the active set. ``angle(E, idx)`` evaluates the entries ``idx``; ``flo``,
    ``fhi`` (angle − target at the ends) are computed when not given.
    """
    lo, hi = np.array(lo, float), np.array(hi, float)
    out = np.full(lo.shape, np.nan)
    idx = np.arange(lo.size)
    flo = angle(lo, idx) - target if flo is None else np.array(flo, float)
    fhi = angle(hi, idx) - target if fhi is None else np.array(fhi, float)
    side = np.zeros(lo.size, int)               # +1: hi moved last, −1: lo moved last
    width_prev = hi - lo
    tgt = target
    for it in range(_BISECT_MAXITER):
        width = hi - lo
        done = width <= _ILLINOIS_RTOL * np.maximum(1.0, np.abs(hi))
        if done.any():
            out[idx[done]] = 0.5 * (lo[done] + hi[done])
            keep = ~done
            idx, lo, hi, flo, fhi, side, tgt, width, width_prev = (
                a[keep] for a in (idx, lo, hi, flo, fhi, side, tgt, width, width_prev))
            if idx.size == 0:
                break
        with np.errstate(divide="ignore", invalid="ignore"):
            x = hi - fhi * (hi - lo) / (fhi - flo)
        slow = width > 0.5 * width_prev
        bad = ~((x > lo) & (x < hi)) | (slow & (it % 2 == 1))
        x = np.where(bad, 0.5 * (lo + hi), x)
        fx = angle(x, idx) - tgt
        exact = fx == 0
        if exact.any():
            out[idx[exact]] = x[exact]
        up = fx > 0
        width_prev = np.where(it % 2 == 1, width, width_prev)
        flo = np.where(~up & (side == -1), flo, np.where(up & (side == 1), 0.5 * flo, flo))
        fhi = np.where(up & (side == 1), fhi, np.where(~up & (side == -1), 0.5 * fhi, fhi))
        hi, fhi = np.where(up, x, hi), np.where(up, fx, fhi)
        lo, flo = np.where(up, lo, x), np.where(up, flo, fx)
        side = np.where(up, 1, -1)
        keep = ~exact
        if not keep.all():
            idx, lo, hi, flo, fhi, side, tgt, width_prev = (
                a[keep] for a in (idx, lo, hi, flo, fhi, side, tgt, width_prev))
            if idx.size == 0:
                break
    if idx.size:
        out[idx] = 0.5 * (lo + hi)
    return out


# --- Kronig–Penney -----------------------------------------------------------------------------

def kronig_penney_cos(energies_eV, well_nm, barrier_nm, barrier_height_eV, well_mass,
                      barrier_mass):
    """cos(qd) of the Kronig–Penney superlattice (half the trace of the period transfer matrix).

    Parameters
    ----------
    energies_eV : array_like
        Energies from the well bottom, eV (broadcast with the other arguments).
    well_nm, barrier_nm : array_like
        Well and barrier widths, nm.
    barrier_height_eV : array_like
        Conduction-band offset V0, eV.
    well_mass, barrier_mass : array_like
        Effective masses in m_e.

    Returns
    -------
    ndarray
        cos(qd); |cos(qd)| ≤ 1 inside a miniband.

    Notes
    -----
    cos(qd) = cos(αw) cosh(βb) + [(ξ² − 1)/(2ξ)] sin(αw) sinh(βb), ξ = m_w β/(m_b α), below the
    barrier (docs/validation.md); here written as c_w c_b − ½ S_w S_b (m_b K_w/m_w + m_w K_b/m_b),
    valid on both sides of V0 (Bastard, Wave Mechanics Applied to Semiconductor Heterostructures, 1988).
    Widths and masses must be > 0 and the barrier height > 0 (``ValueError`` otherwise).

    Examples
    --------
    >>> c = kronig_penney_cos([0.05], 5.0, 2.0, 0.3, 0.067, 0.092)
    >>> round(float(c[0]), 3)
    1.775
    """
    E = _energies(energies_eV)
    well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass = (
        a.reshape(np.shape(v)) for a, v in zip(
            _check_profile(well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass),
            (well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass)))
    a11, a12, a21, a22, sa = _layer(E, 0.0, well_mass, well_nm)
    b11, b12, b21, b22, sb = _layer(E, barrier_height_eV, barrier_mass, barrier_nm)
    half_trace = 0.5 * (a11 * b11 + a12 * b21 + a21 * b12 + a22 * b22)     # ½ tr(M_b M_w)
    with np.errstate(over="ignore"):
        return half_trace * np.exp(sa + sb)


def _energies(energies_eV) -> np.ndarray:
    """Energies as a finite float array of the input's shape (scalars stay 0-d)."""
    return np.asarray(check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV), float).reshape(
        np.shape(energies_eV))


def _layers_checked(widths_nm, potentials_eV, masses):
    """Layer arrays of one common length: widths > 0, finite potentials, masses > 0."""
    w = check_array("widths_nm", widths_nm, low=0.0, low_open=True, ndim=1)
    v = check_array("potentials_eV", potentials_eV, ndim=1)
    m = check_array("masses", masses, low=0.0, low_open=True, ndim=1)
    check_same_length(widths_nm=w, potentials_eV=v, masses=m)
    return w, v, m


def _half_cell_angle(E, start_dirichlet, w, b, v0, mw, mb):
    """Lifted Prüfer angle Θ at the barrier centre, from the well centre (ψ = 0 or ψ' = 0 there).

    Θ = π·(zeros of ψ in the half cell) + atan2(ψ, ψ'/(m K_PER_SQRT_EV)) mod π; it increases with E.
    """
    psi = np.where(start_dirichlet, 0.0, 1.0) + np.zeros_like(E)
    P = np.where(start_dirichlet, K_PER_SQRT_EV, 0.0) + np.zeros_like(E)
    psi, P, z1 = _propagate(psi, P, E, 0.0, mw, 0.5 * w)
    psi, P, z2 = _propagate(psi, P, E, v0, mb, 0.5 * b)
    return np.pi * (z1 + z2) + np.mod(np.arctan2(psi, P / K_PER_SQRT_EV), np.pi)


def _half_cell_angle_kp(E, start_dirichlet, w, b, v0, mw, mb):
    """:func:`_half_cell_angle` for E ≥ 0 with both half layers done in closed form.

    From the well centre (V = 0, E ≥ 0, k = K_PER_SQRT_EV √(m_w E), x = k w/2) the state is
    (ψ, ψ'/m) = (K m_w (w/2) sin(x)/x, K cos x) from ψ = 0 (K = K_PER_SQRT_EV) or
    (cos x, −k sin(x)/m_w) from ψ' = 0, with ⌊x/π⌋ resp. ⌊x/π + ½⌋ zeros in (0, w/2]. The half
    barrier (flat, V = V0, h = b/2, κ or k_b = K_PER_SQRT_EV √(m_b |V0 − E|), y = κh or k_b h)
    applies the flat-layer matrix of :func:`~.transfer_matrix.segment_matrix` written out,
    [[c, m_b S], [±κ² S/m_b, c]] with c = cos y, S = sin(y)/k_b above V0 and, below, the same
    matrix times e^{−y} (c = 1 + ½ expm1(−2y), S = −½ expm1(−2y)/κ; the positive factor changes
    no angle), and counts its zeros as :func:`_propagate` does: exactly from the phase above V0,
    by a sign change below (at most one). The same function as going through the generic kernel
    (``test_illinois_edges_match_plain_bisection_including_narrow_bands_and_gaps`` checks the
    edges against :func:`_half_cell_angle`), without its input checks and intermediate arrays:
    the Kronig–Penney edge search evaluates it ~2·10⁶ times for 10⁴ configurations.
    """
    half = 0.5 * w
    k = K_PER_SQRT_EV * np.sqrt(mw * E)
    x = k * half
    c = np.cos(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        sinc = np.where(x > 0, np.sin(x) / x, 1.0)
    if start_dirichlet:
        psi, P = K_PER_SQRT_EV * mw * half * sinc, K_PER_SQRT_EV * c
        z1 = np.floor(x / np.pi)
    else:
        psi, P = c, -k * k * half * sinc / mw
        z1 = np.floor(x / np.pi + 0.5)
    hb = 0.5 * b
    u = v0 - E
    kb = K_PER_SQRT_EV * np.sqrt(mb * np.abs(u))
    y = kb * hb
    evan = u > 0
    em = np.expm1(-2.0 * np.where(evan, y, 0.0))
    cb = np.where(evan, 1.0 + 0.5 * em, np.cos(y))
    with np.errstate(invalid="ignore", divide="ignore"):
        S = np.where(y > 0, np.where(evan, -0.5 * em, np.sin(y)) / kb, hb)
        k2 = np.where(evan, kb * kb, -kb * kb)
        psi1 = cb * psi + mb * S * P
        P1 = (k2 * S / mb) * psi + cb * P
        phase = np.mod(np.arctan2(psi, mb * P / np.where(kb > 0, kb, 1.0)), np.pi)
        osc = np.floor((phase + y) / np.pi)
    mono = (psi * psi1 < 0) | ((psi1 == 0) & (psi != 0))
    z2 = np.where(u < 0, osc, mono)
    return np.pi * (z1 + z2) + np.mod(np.arctan2(psi1, P1 / K_PER_SQRT_EV), np.pi)


def _check_profile(well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass):
    return (check_array("well_nm", well_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM),
            check_array("barrier_nm", barrier_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM),
            check_array("barrier_height_eV", barrier_height_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV),
            check_array("well_mass", well_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS),
            check_array("barrier_mass", barrier_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS))


def _edge_counts(n_bands: int) -> dict[tuple[bool, bool], int]:
    """How many eigenvalues of each half-cell problem hold the lowest ``2 n_bands`` edges.

    Keys ``(ψ = 0 at the well centre, ψ = 0 at the barrier centre)``. By the oscillation theorem
    for Hill's equation (Magnus & Winkler 1966, §2.1, §2.3) the edges come in groups ordered in
    energy: E_0 alone (periodic, no zero: even–even, the first N–N eigenvalue), then pairs
    (E_{2m−1}, E_{2m}) with 2m − 1 zeros per period (antiperiodic: odd about one centre, even
    about the other, the m-th D–N and N–D eigenvalues) and with 2m zeros (periodic: the m-th
    D–D and the (m+1)-th N–N eigenvalue), in either order within a pair. Edges E_0 … E_{2n−1}
    lie in groups 0 … n, so the sorted lowest 2n of those 2n + 1 values are the edges.
    """
    return {(False, False): 1 + n_bands // 2, (True, True): n_bands // 2,
            (True, False): (n_bands + 1) // 2, (False, True): (n_bands + 1) // 2}


def kronig_penney_band_edges(well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass,
                             n_bands: int = 3, *, max_values: int = MAX_VALUES) -> np.ndarray:
    """Miniband edges of Kronig–Penney superlattices, vectorized over configurations.

    Parameters
    ----------
    well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass : array_like
        Profile parameters (broadcast together; shape ``B``); see :func:`kronig_penney_cos`.
    n_bands : int
        Number of minibands (≥ 1), including those above the barrier.
    max_values : int
        Refuse (``WorkLimitError``) a call with more than this many bisected values
        (configurations × 4 × (n_bands + 1)); each is bisected ~50 times.

    Returns
    -------
    ndarray, shape ``B + (n_bands, 2)``
        ``[bottom, top]`` of each miniband in eV from the well bottom.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_bands` must be >= 1; the estimated size must not exceed
        `max_values` (:class:`~qtransport.errors.WorkLimitError`, a ValueError).
    TypeError
        If an argument has the wrong type: `n_bands` is not an integer.

    Notes
    -----
    The band edges are the energies where cos(qd) = ±1 (q = 0 or π/d). The period, taken from the
    well centre, is symmetric, so every edge state is even or odd about the well centre and about
    the barrier centre: the edges are exactly the eigenvalues of the four half-cell problems with
    ψ = 0 or ψ'/m = 0 at each end (Magnus & Winkler, Hill's Equation, 1966, §2.3). Each of these
    separated Sturm–Liouville problems has its n-th eigenvalue where the lifted Prüfer angle Θ(E)
    (monotone in E) reaches nπ (ψ = 0 at the end) or (n − ½)π (ψ' = 0); these are found by a
    vectorized root search on Θ that cannot miss a narrow band or gap nor mistake a tangency,
    unlike a scan of cos(qd) ∓ 1: a coarse √E grid brackets each target angle (Θ is monotone),
    then bracketed Illinois steps (:func:`_illinois_angle`) converge superlinearly. Only the
    2 n_bands + 1 eigenvalues that can be among the lowest 2 n_bands edges are computed
    (:func:`_edge_counts`, from the oscillation theorem); their sorted union gives band n =
    [E_{2n−2}, E_{2n−1}] (0-based; a closed gap appears as a double value). Accuracy ~1e-13 eV.

    Examples
    --------
    >>> edges = kronig_penney_band_edges([1.0, 2.0], 0.5, 0.3, 0.067, 0.092, n_bands=2)
    >>> edges.shape
    (2, 2, 2)
    """
    n_bands = check_int("n_bands", n_bands, low=1)
    w, b, v0, mw, mb = _check_profile(well_nm, barrier_nm, barrier_height_eV, well_mass,
                                      barrier_mass)
    n_configs = np.broadcast(w, b, v0, mw, mb).size
    check_work("max_values", n_configs * (n_bands + 1) * 4, max_values, unit="bisection values",
               hint=f"{n_configs} configurations × 4 half-cell problems × n_bands + 1 = "
                    f"{n_bands + 1}")
    w, b, v0, mw, mb = (a[..., None] for a in np.broadcast_arrays(w, b, v0, mw, mb))
    wanted = _edge_counts(n_bands)                     # eigenvalues needed of each problem
    top = max(wanted.values())
    # k_w w/2 ≥ (top + 1)π above the barrier puts more than `top` zeros in the half well alone
    e_hi = v0 + ((top + 1) * np.pi / (K_PER_SQRT_EV * 0.5 * w)) ** 2 / mw
    # a coarse grid, uniform in √E up to that bound, brackets every target: the angle is
    # monotone in E, so the cell where it first reaches the target holds the root
    grid = e_hi * (np.arange(_GRID + 1) / _GRID) ** 2                    # (..., G + 1)
    gflat = [np.broadcast_to(a, grid.shape).ravel() for a in (w, b, v0, mw, mb)]
    found = []
    for start_dirichlet in (True, False):
        theta = _half_cell_angle_kp(grid.ravel(), start_dirichlet, *gflat).reshape(grid.shape)
        for end_dirichlet in (True, False):
            n = np.arange(1, wanted[start_dirichlet, end_dirichlet] + 1, dtype=float)
            if n.size == 0:
                continue
            shape = grid.shape[:-1] + n.shape
            flat = [np.broadcast_to(a, shape).ravel() for a in (w, b, v0, mw, mb)]
            target = (n * np.pi if end_dirichlet else (n - 0.5) * np.pi) + np.zeros(shape)
            cell = np.clip(np.sum(theta[..., None, :] < target[..., None], axis=-1), 1, _GRID)
            lo = np.take_along_axis(grid, cell - 1, axis=-1)
            hi = np.take_along_axis(grid, cell, axis=-1)
            flo = np.take_along_axis(theta, cell - 1, axis=-1) - target
            fhi = np.take_along_axis(theta, cell, axis=-1) - target
            found.append(_illinois_angle(
                lambda E, i, sd=start_dirichlet, flat=flat: _half_cell_angle_kp(
                    E, sd, *(a[i] for a in flat)),
                target.ravel(), lo.ravel(), hi.ravel(), flo.ravel(), fhi.ravel()
            ).reshape(shape))
    edges = np.sort(np.concatenate(found, axis=-1), axis=-1)[..., :2 * n_bands]
    return edges.reshape(edges.shape[:-1] + (n_bands, 2))


# --- bound states of layered profiles ------------------------------------------------------------

def layer_bound_states(widths_nm, potentials_eV, masses, cladding_eV: float,
                       cladding_mass: float) -> np.ndarray:
    """Bound-state energies of a piecewise-constant profile embedded in a uniform cladding.

    Parameters
    ----------
    widths_nm, potentials_eV, masses : sequence of float
        Layers in order (nm, eV, m_e).
    cladding_eV : float
        Potential of the semi-infinite cladding on both sides, eV (must exceed the layer minimum).
    cladding_mass : float
        Effective mass of the cladding, m_e.

    Returns
    -------
    ndarray
        Energies (eV) of all bound states below ``cladding_eV``, increasing.

    Raises
    ------
    ValueError
        If an argument is invalid: `cladding_eV` must be finite; `cladding_mass` must be > 0;
        `cladding_eV` must exceed the lowest layer potential.
    TypeError
        If an argument has the wrong type: `cladding_eV` or `cladding_mass` are not real
        numbers.

    Notes
    -----
    Starting from the decaying solution ψ ∝ e^{κx} in the left cladding, the number of eigenvalues
    below E equals the zeros of ψ through the layers plus one if ψ would still cross zero in the
    right cladding (ψ_R and ψ'_R/m of opposite sign with |κψ_R/m_c| < |ψ'_R/m|). Each level is the
    jump of this count, found by bisection.

    Examples
    --------
    >>> layer_bound_states([5.0], [0.0], [0.067], 0.3, 0.092).round(3).tolist()
    [0.082, 0.284]
    """
    w, v, m = _layers_checked(widths_nm, potentials_eV, masses)
    vc = check_real("cladding_eV", cladding_eV)
    mc = check_real("cladding_mass", cladding_mass, low=0.0, low_open=True)
    if vc <= v.min():
        raise ValueError(f"cladding_eV must exceed the lowest layer potential {v.min()}, got {vc}")

    def count(E):
        E = np.asarray(E, float)
        kappa = K_PER_SQRT_EV * np.sqrt(np.maximum(mc * (vc - E), 0.0))
        psi, P, total = np.ones_like(E), kappa / mc, np.zeros_like(E)
        for wi, vi, mi in zip(w, v, m):
            psi, P, z = _propagate(psi, P, E, vi, mi, wi)
            total = total + z
        ratio = -kappa * psi / mc
        tail = (psi * P < 0) & (np.abs(ratio) < np.abs(P))
        return total + tail

    n_bound = int(count(np.array(vc)))
    if n_bound == 0:
        return np.zeros(0)
    n = np.arange(1, n_bound + 1, dtype=float)
    return _bisect_count(count, n, np.full(n.shape, v.min()), np.full(n.shape, vc))


def finite_well_levels(width_nm: float, depth_eV: float, effective_mass: float,
                       barrier_mass: float | None = None, *,
                       max_levels: int = MAX_LEVELS) -> np.ndarray:
    """Bound-state energies of a finite square well from the even/odd transcendental equations.

    Parameters
    ----------
    width_nm : float
        Well width L, nm (> 0).
    depth_eV : float
        Well depth V0, eV (> 0).
    effective_mass : float
        Mass in the well, m_e (> 0).
    barrier_mass : float, optional
        Mass in the barriers, m_e; defaults to ``effective_mass``.
    max_levels : int
        Refuse (``WorkLimitError``) a well holding more bound states than this (one root
        search each), before searching.

    Returns
    -------
    ndarray
        Energies from the well bottom, eV, increasing (at least one level).

    Raises
    ------
    ValueError
        If an argument is invalid: `width_nm` must be > 0 and <= 10000; `depth_eV` must be > 0
        and <= ``1000.0 * MAX_ENERGY_EV``; `effective_mass` and `barrier_mass` must be > 0 and
        <= 1000; the estimated size must not exceed `max_levels`
        (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `max_levels` must be >= 1.
    TypeError
        If an argument has the wrong type: `width_nm`, `depth_eV`, `effective_mass` or
        `barrier_mass` are not real numbers; `max_levels` is not an integer.

    Notes
    -----
    With θ = kL/2, k = √(2m_w E)/ħ, κ = √(2m_b(V0 − E))/ħ and BenDaniel–Duke matching:
    even states (k/m_w) sin θ = (κ/m_b) cos θ, odd states (k/m_w) cos θ = −(κ/m_b) sin θ. Each
    branch θ ∈ [jπ, jπ + π/2] (even) or [jπ + π/2, (j + 1)π] (odd) holds exactly one root while θ
    stays below θ_max = K_PER_SQRT_EV√(m_w V0) L/2; roots by ``brentq``. As V0 → ∞ the levels approach
    E_n = n²π²ħ²/(2m*L²) (:func:`infinite_well_levels`).

    Examples
    --------
    >>> levels = finite_well_levels(5.0, 0.3, 0.067)
    >>> len(levels), round(float(levels[0]), 4)
    (2, 0.0896)
    """
    L = check_real("width_nm", width_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM)
    # depths up to 1e6 eV: the infinite-well limit is approached through this function
    v0 = check_real("depth_eV", depth_eV, low=0.0, low_open=True, high=1e3 * MAX_ENERGY_EV)
    mw = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    mb = mw if barrier_mass is None else check_real("barrier_mass", barrier_mass, low=0.0,
                                                    low_open=True, high=MAX_EFFECTIVE_MASS)
    theta_max = 0.5 * K_PER_SQRT_EV * np.sqrt(mw * v0) * L
    check_work("max_levels", theta_max / (np.pi / 2) + 1,
               check_int("max_levels", max_levels, low=1), unit="bound states",
               hint=f"width {L:g} nm, depth {v0:g} eV, mass {mw:g}")

    def kk(theta):
        k = 2 * theta / L
        kappa = np.sqrt(max(K_PER_SQRT_EV**2 * mb * v0 - (mb / mw) * k * k, 0.0))
        return k / mw, kappa / mb

    def even(theta):
        a, c = kk(theta)
        return a * np.sin(theta) - c * np.cos(theta)

    def odd(theta):
        a, c = kk(theta)
        return a * np.cos(theta) + c * np.sin(theta)

    roots = []
    for j in range(int(theta_max / (np.pi / 2)) + 1):
        lo = j * np.pi / 2
        if lo >= theta_max:
            break
        hi = min(lo + np.pi / 2, theta_max)
        f = even if j % 2 == 0 else odd
        if f(lo) * f(hi) > 0:
            # f(lo) = ∓κ/m_b and f(θ_max) = ±(k/m_w) sin θ_max have opposite signs whenever
            # lo < θ_max: a same sign is round-off of a branch that starts within ~1e-9 of
            # θ_max, whose level lies within that of the barrier top
            roots.append(hi)
            continue
        roots.append(brentq(f, lo, hi, xtol=1e-15, rtol=1e-15))
    k = 2 * np.array(roots) / L
    return np.minimum(k**2 / (K_PER_SQRT_EV**2 * mw), v0)       # bound: never above V0


def infinite_well_levels(width_nm: float, effective_mass: float, n_levels: int = 3) -> np.ndarray:
    """E_n = n²π²ħ²/(2m*L²), n = 1 … ``n_levels``, in eV (infinite square well).

    Parameters
    ----------
    width_nm : float
        Well width L, nm (> 0).
    effective_mass : float
        m*/m_e (> 0).
    n_levels : int, optional
        Number of levels (≥ 1).

    Returns
    -------
    numpy.ndarray
        E_n, eV from the well bottom.

    Raises
    ------
    ValueError
        If an argument is invalid: `width_nm` must be > 0 and <= 10000; `effective_mass` must
        be > 0 and <= 1000; `n_levels` must be >= 1.
    TypeError
        If an argument has the wrong type: `width_nm` or `effective_mass` are not real numbers;
        `n_levels` is not an integer.

    Examples
    --------
    >>> [round(float(e), 4) for e in infinite_well_levels(10.0, 0.067, 2)]
    [0.0561, 0.2245]
    """
    L = check_real("width_nm", width_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM)
    m = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    n = np.arange(1, check_int("n_levels", n_levels, low=1) + 1)
    return (n * np.pi / L) ** 2 / (K_PER_SQRT_EV**2 * m)


def coupled_well_levels(n_wells: int, well_nm: float, barrier_nm: float,
                        barrier_height_eV: float, well_mass: float,
                        barrier_mass: float | None = None, *,
                        max_layers: int = MAX_LAYERS) -> np.ndarray:
    """Bound levels of ``n_wells`` identical wells separated by barriers, in barrier cladding.

    Each single-well level splits into ``n_wells`` states (a miniband in the making). See
    :func:`layer_bound_states` for the method; energies in eV from the well bottom. More than
    ``max_layers`` layers (2 n_wells − 1) are refused up front (``WorkLimitError``).

    Parameters
    ----------
    n_wells : int
        Number of wells (≥ 1).
    well_nm : float
        Well width, nm (> 0).
    barrier_nm : float
        Barrier width, nm (> 0).
    barrier_height_eV : float
        Barrier (and cladding) height above the well bottom, eV (> 0).
    well_mass : float
        Well mass, m_e (> 0).
    barrier_mass : float, optional
        Barrier mass, m_e (default: ``well_mass``).
    max_layers : int, optional
        Most layers (2 n_wells − 1).

    Returns
    -------
    numpy.ndarray
        Bound levels, eV from the well bottom, ascending.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_wells` must be >= 1; the estimated size must not exceed
        `max_layers` (:class:`~qtransport.errors.WorkLimitError`, a ValueError).
    TypeError
        If an argument has the wrong type: `n_wells` is not an integer.

    Examples
    --------
    >>> coupled_well_levels(2, 5.0, 2.0, 0.3, 0.067, 0.092).round(3).tolist()
    [0.071, 0.093, 0.273]
    """
    n = check_int("n_wells", n_wells, low=1)
    check_work("max_layers", 2 * n - 1, max_layers, unit="layers", hint=f"n_wells = {n}")
    mb = well_mass if barrier_mass is None else barrier_mass
    w, b, v0, mw, mb = (float(a[0]) for a in _check_profile(well_nm, barrier_nm,
                                                             barrier_height_eV, well_mass, mb))
    widths = [w] + [b, w] * (n - 1)
    pots = [0.0] + [v0, 0.0] * (n - 1)
    masses = [mw] + [mb, mw] * (n - 1)
    return layer_bound_states(widths, pots, masses, v0, mb)


# --- transmission --------------------------------------------------------------------------------

def layered_transmission(energies_eV, widths_nm, potentials_eV, masses, lead_mass: float,
                         lead_potential_eV: float = 0.0, *,
                         max_values: int = MAX_VALUES) -> np.ndarray:
    """Transmission through a piecewise-constant profile between two identical leads (exact TMM).

    Parameters
    ----------
    energies_eV : array_like
        Energies, eV (same scale as the potentials).
    widths_nm, potentials_eV, masses : sequence of float
        Layers in order (nm, eV, m_e); all three of one length (widths ≥ 0, masses > 0).
    lead_mass : float
        Effective mass of both leads, m_e.
    lead_potential_eV : float
        Band bottom of both leads, eV; T = 0 below it.
    max_values : int
        Refuse (``WorkLimitError``) more than this many energy × layer products.

    Returns
    -------
    ndarray
        T(E), same shape as ``energies_eV``.

    Raises
    ------
    ValueError
        If an argument is invalid: `widths_nm` must be a 1-D array of finite numbers >= 0;
        `potentials_eV` must be a 1-D array of finite numbers; `masses` must be a 1-D array of
        finite numbers > 0; `widths_nm` and `potentials_eV` and `masses` must have the same
        length; the estimated size must not exceed `max_values`
        (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `lead_mass` must be > 0;
        `lead_potential_eV` must be finite.
    TypeError
        If an argument has the wrong type: `lead_mass` or `lead_potential_eV` are not real
        numbers; `widths_nm`, `potentials_eV` or `masses` are not arrays of real numbers.

    Notes
    -----
    With M the product of the real layer matrices acting on (ψ, ψ'/m) and z = k/m_lead,
    T = 4 / [(M11 + M22)² + (z M12 − M21/z)²] (det M = 1); exact for the continuum profile.
    Computed by :func:`qtransport.tight_binding.transfer_matrix.transmission` (log-scaled, so T of
    thick barriers underflows gracefully instead of overflowing the matrix).

    Examples
    --------
    >>> t = layered_transmission([0.2], [2.0], [0.3], [0.067], lead_mass=0.067)
    >>> round(float(t[0]), 3)
    0.501
    """
    E = _energies(energies_eV)
    w = check_array("widths_nm", widths_nm, low=0.0, ndim=1)
    v = check_array("potentials_eV", potentials_eV, ndim=1)
    m = check_array("masses", masses, low=0.0, low_open=True, ndim=1)
    check_same_length(widths_nm=w, potentials_eV=v, masses=m)
    check_work("max_values", E.size * w.size, max_values, unit="energy × layer products",
               hint=f"{E.size} energies × {w.size} layers")
    ml = check_real("lead_mass", lead_mass, low=0.0, low_open=True)
    vl = check_real("lead_potential_eV", lead_potential_eV)
    keep = w > 0                                          # a zero-width layer is the identity
    if not keep.any():
        return np.where(E > vl, 1.0, 0.0)
    profile = _tm.Profile.from_layers(w[keep], v[keep], m[keep], lead_mass=ml,
                                      lead_potential_eV=vl)
    return _tm.transmission(profile, E.ravel())[0].reshape(E.shape)


def sheet_density(subband_energies_eV, fermi_energy_eV, temperature_K: float,
                  effective_mass: float) -> np.ndarray | float:
    """Electron sheet density of 2D subbands (spin included), m⁻².

    Parameters
    ----------
    subband_energies_eV : array_like
        Subband bottoms E_i, eV.
    fermi_energy_eV : float or array_like
        Fermi level(s), eV; the result has its shape.
    temperature_K : float
        Temperature (≥ 0), K.
    effective_mass : float
        In-plane mass, m_e.

    Returns
    -------
    float or numpy.ndarray
        n_s, m⁻² (a float for a scalar ``fermi_energy_eV``).

    Raises
    ------
    ValueError
        If an argument is invalid: `subband_energies_eV` and `fermi_energy_eV` must be arrays
        of finite numbers >= -1000 and <= 1000; `temperature_K` must be >= 0 and <= 10000;
        `effective_mass` must be > 0 and <= 1000.
    TypeError
        If an argument has the wrong type: `temperature_K` or `effective_mass` are not real
        numbers; `subband_energies_eV` or `fermi_energy_eV` are not arrays of real numbers.

    Notes
    -----
    n_s = (m* k_BT/πħ²) Σ_i ln(1 + exp((E_F − E_i)/k_BT)) → (m*/πħ²) Σ_i max(E_F − E_i, 0) at T = 0
    (Davies, The Physics of Low-Dimensional Semiconductors, 1998, §4.8).

    Examples
    --------
    >>> f"{sheet_density([0.0], 0.01, 0.0, 0.067):.4e}"
    '2.7988e+15'
    """
    Ei = check_array("subband_energies_eV", subband_energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    ef = np.asarray(check_array("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV), float)
    T = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    m = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    dos = sheet_dos_per_J_m2(m)                    # states / (J m²), spin included
    diff = ef[..., None] - Ei                             # eV
    if T == 0:
        occ = np.maximum(diff, 0.0) * eV
    else:
        kt = k_B * T
        occ = kt * np.logaddexp(0.0, diff * eV / kt)
    out = dos * occ.sum(axis=-1)
    return float(out[0]) if np.ndim(fermi_energy_eV) == 0 else out


# --- Kwant cross-checks -------------------------------------------------------------------------

def _sites_per_layer(width_nm: float, a: float, name: str) -> int:
    n = width_nm / a
    if n < 1 or abs(n - round(n)) > 1e-6 * max(1.0, n):
        raise ValueError(f"lattice_constant_nm must divide {name} = {width_nm} nm into a whole "
                         f"number of sites, got {a} nm ({n:.6g} sites)")
    return int(round(n))


def _check_sites(widths_nm: np.ndarray, a: float, max_sites: int) -> None:
    sites = float(np.sum(widths_nm)) / a
    check_work("max_sites", sites, check_int("max_sites", max_sites, low=1), unit="sites",
               hint=f"total width {float(np.sum(widths_nm)):.4g} nm / lattice_constant_nm = {a}")


def _fv_profile(widths_nm, potentials_eV, masses, a):
    """Per-site potential and mass of a layered profile (sites at cell centres)."""
    V, M = [], []
    for i, (wi, vi, mi) in enumerate(zip(widths_nm, potentials_eV, masses)):
        n = _sites_per_layer(wi, a, f"layer {i} width")
        V += [vi] * n
        M += [mi] * n
    return np.array(V), np.array(M)


def _link_hoppings(site_masses, a):
    """t = ħ²/(2a² m_link) of the periodic cell, m_link = mean of the two cells' masses, eV.

    The flux ψ'/m is continuous across the cell boundary, so ψ_{j+1} − ψ_j ≈ (ψ'/m) a (m_j + m_{j+1})/2.
    """
    return hoppings_eV(0.5 * (site_masses + np.roll(site_masses, -1)), a)


def _kw_onsite(site, onsite_eV):
    return onsite_eV[site.tag[0] % len(onsite_eV)]


def _kw_hopping(site1, site2, link_eV):
    return -link_eV[min(site1.tag[0], site2.tag[0]) % len(link_eV)]


def kwant_minibands(widths_nm, potentials_eV, masses, lattice_constant_nm: float,
                    n_bands: int, *, max_sites: int = MAX_KWANT_SITES) -> np.ndarray:
    """Minibands of a periodic layered profile from ``kwant.physics.Bands`` (finite volume), eV.

    The period's sites form one unit cell of a 1D Kwant lead; band edges are the eigenvalues at
    q = 0 and q = π/d (1D periodic Jacobi matrices have their extrema there). Returns
    ``(n_bands, 2)`` ``[bottom, top]``; the error versus Kronig–Penney is O(a²). A period of more
    than ``max_sites`` sites (a lattice constant far too small) is refused up front.

    Parameters
    ----------
    widths_nm : sequence of float
        Layer widths, nm (whole multiples of the lattice constant).
    potentials_eV : sequence of float
        Band edge of each layer, eV.
    masses : sequence of float
        Effective mass of each layer, m_e (> 0).
    lattice_constant_nm : float
        Lattice spacing a, nm (> 0).
    n_bands : int
        Number of minibands (≥ 1, ≤ sites per period).
    max_sites : int, optional
        Most sites per period.

    Returns
    -------
    numpy.ndarray
        [bottom, top] of each miniband, eV, shape (n_bands, 2).

    Raises
    ------
    ValueError
        A width not divisible by a, too many bands, or a work limit exceeded.
    """
    import kwant
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    n_bands = check_int("n_bands", n_bands, low=1)
    w, v, m = _layers_checked(widths_nm, potentials_eV, masses)
    _check_sites(w, a, max_sites)
    V, M = _fv_profile(w, v, m, a)
    if n_bands > V.size:
        raise ValueError(f"n_bands must be <= the {V.size} sites per period at lattice_constant_nm"
                         f" = {a}, got {n_bands}")
    link = _link_hoppings(M, a)
    onsite = V + link + np.roll(link, 1)
    lat = kwant.lattice.chain(a, norbs=1)
    lead = kwant.Builder(kwant.TranslationalSymmetry(lat.vec((V.size,))))
    lead[(lat(j) for j in range(V.size))] = _kw_onsite
    lead[((lat(j + 1), lat(j)) for j in range(V.size))] = _kw_hopping
    bands = kwant.physics.Bands(lead.finalized(), params={"onsite_eV": onsite, "link_eV": link})
    e0, epi = np.sort(bands(0.0))[:n_bands], np.sort(bands(np.pi))[:n_bands]
    return np.stack([np.minimum(e0, epi), np.maximum(e0, epi)], axis=-1)


def kwant_transmission(energies_eV, widths_nm, potentials_eV, masses, lead_mass: float,
                       lattice_constant_nm: float, *,
                       max_sites: int = MAX_KWANT_SITES) -> np.ndarray:
    """Transmission of a layered profile between well-material leads from a Kwant chain.

    Leads have potential 0 and mass ``lead_mass``; one lead-material cell pads each side so every
    interface link uses the finite-volume mass. Energies are measured from the lead band bottom.
    The chain is :func:`qtransport.tight_binding.chain1d.lattice_chain` (the same one the tunnel
    barriers use) and every S-matrix is checked for unitarity.
    A chain of more than ``max_sites`` sites is refused up front (``WorkLimitError``).

    Parameters
    ----------
    energies_eV : array_like
        Energies from the lead band bottom, eV.
    widths_nm : sequence of float
        Layer widths, nm (whole multiples of the lattice constant).
    potentials_eV : sequence of float
        Band edge of each layer, eV.
    masses : sequence of float
        Effective mass of each layer, m_e (> 0).
    lead_mass : float
        Lead mass, m_e (> 0).
    lattice_constant_nm : float
        Lattice spacing a, nm (> 0).
    max_sites : int, optional
        Most chain sites.

    Returns
    -------
    numpy.ndarray
        T(E), dimensionless, shape of ``energies_eV``.

    Raises
    ------
    ValueError
        If an argument is invalid: `lattice_constant_nm` and `lead_mass` must be > 0.
    TypeError
        If an argument has the wrong type: `lattice_constant_nm` or `lead_mass` are not real
        numbers.
    """
    from .chain1d import kwant_transmission as chain_kwant, lattice_chain
    E = _energies(energies_eV)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    ml = check_real("lead_mass", lead_mass, low=0.0, low_open=True)
    w, v, m = _layers_checked(widths_nm, potentials_eV, masses)
    _check_sites(w, a, max_sites)
    for i, wi in enumerate(w):
        _sites_per_layer(wi, a, f"layer {i} width")      # interfaces on the grid: O(a²) error
    chain = lattice_chain(_tm.Profile.from_layers(w, v, m, lead_mass=ml), a)
    return chain_kwant(chain, E.ravel())[0].reshape(E.shape)


# --- the superlattice object -------------------------------------------------------------------

@dataclass(frozen=True)
class Superlattice:
    """A periodic well/barrier superlattice (effective mass, BenDaniel–Duke interfaces).

    Parameters
    ----------
    well_nm, barrier_nm : float
        Well and barrier widths, nm (> 0).
    barrier_height_eV : float
        Conduction-band offset, eV (> 0).
    well_mass, barrier_mass : float
        Effective masses, m_e (> 0).
    description : str
        What the layers stand for (presets fill it in).

    Raises
    ------
    ValueError
        If an argument is invalid: `well_nm` and `barrier_nm` must be > 0 and <= 10000;
        `barrier_height_eV` must be > 0 and <= 1000; `well_mass` and `barrier_mass` must be > 0
        and <= 1000.
    TypeError
        If an argument has the wrong type: a field is not a real number.

    Examples
    --------
    >>> sl = Superlattice(well_nm=5.0, barrier_nm=2.0, barrier_height_eV=0.3, well_mass=0.067,
    ...                   barrier_mass=0.092)      # GaAs/AlGaAs-like, nm and eV
    >>> round(sl.period_nm, 1)
    7.0
    """

    well_nm: float
    barrier_nm: float
    barrier_height_eV: float
    well_mass: float
    barrier_mass: float
    description: str = ""

    def __post_init__(self):
        for name, value, high in (("well_nm", self.well_nm, MAX_LENGTH_NM),
                                  ("barrier_nm", self.barrier_nm, MAX_LENGTH_NM),
                                  ("barrier_height_eV", self.barrier_height_eV, MAX_ENERGY_EV),
                                  ("well_mass", self.well_mass, MAX_EFFECTIVE_MASS),
                                  ("barrier_mass", self.barrier_mass, MAX_EFFECTIVE_MASS)):
            object.__setattr__(self, name, check_real(name, value, low=0.0, low_open=True,
                                                      high=high))
        for name in ("well_nm", "barrier_nm"):       # below 1 pm: far below one atomic layer
            check_real(name, getattr(self, name), low=1e-3, high=MAX_LENGTH_NM)

    @property
    def period_nm(self) -> float:
        """d = well + barrier, nm."""
        return self.well_nm + self.barrier_nm

    def _layers(self, n_periods: int):
        widths = [self.barrier_nm] + [self.well_nm, self.barrier_nm] * (n_periods - 1)
        pots = [self.barrier_height_eV] + [0.0, self.barrier_height_eV] * (n_periods - 1)
        masses = [self.barrier_mass] + [self.well_mass, self.barrier_mass] * (n_periods - 1)
        return widths, pots, masses

    def cos_qd(self, energies_eV) -> np.ndarray:
        """cos(qd) at the given energies (|cos qd| ≤ 1 inside minibands).

        Parameters
        ----------
        energies_eV : array_like
            Energies from the well bottom, eV.

        Returns
        -------
        numpy.ndarray
            cos(qd), dimensionless (|·| > 1 in the gaps).

        Examples
        --------
        >>> sl = Superlattice(5.0, 2.0, 0.3, 0.067, 0.092)
        >>> c = sl.cos_qd([0.08, 0.2])       # inside the first miniband, then in the gap
        >>> [bool(abs(x) <= 1) for x in c]
        [True, False]
        """
        return kronig_penney_cos(energies_eV, self.well_nm, self.barrier_nm,
                                 self.barrier_height_eV, self.well_mass, self.barrier_mass)

    def minibands(self, n_bands: int = 3, method: str = "kp",
                  lattice_constant_nm: float | None = None) -> np.ndarray:
        """Miniband edges, shape (n_bands, 2) [bottom, top], eV from the well bottom.

        ``method="kp"``: exact Kronig–Penney (:func:`kronig_penney_band_edges`);
        ``method="kwant"``: ``kwant.physics.Bands`` on a lattice of spacing ``lattice_constant_nm``
        (which must divide both widths), converging as a².

        Parameters
        ----------
        n_bands : int, optional
            Number of minibands (≥ 1).
        method : {"kp", "kwant"}, optional
            Exact Kronig–Penney or the Kwant lattice.
        lattice_constant_nm : float, optional
            Lattice spacing for ``"kwant"``, nm (> 0).

        Returns
        -------
        numpy.ndarray
            [bottom, top] of each miniband, eV, shape (n_bands, 2).

        Raises
        ------
        ValueError
            ``"kwant"`` without ``lattice_constant_nm``, or a bad argument.

        Examples
        --------
        >>> sl = Superlattice(5.0, 2.0, 0.3, 0.067, 0.092)
        >>> sl.minibands(n_bands=2).round(3).tolist()
        [[0.061, 0.108], [0.257, 0.441]]
        """
        n_bands = check_int("n_bands", n_bands, low=1)
        method = check_choice("method", method, ("kp", "kwant"))
        if lattice_constant_nm is not None:
            check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
        if method == "kp":
            return kronig_penney_band_edges(self.well_nm, self.barrier_nm,
                                            self.barrier_height_eV, self.well_mass,
                                            self.barrier_mass, n_bands)[0]
        if lattice_constant_nm is None:
            raise ValueError("lattice_constant_nm must be given for method='kwant', got None")
        return kwant_minibands([self.well_nm, self.barrier_nm], [0.0, self.barrier_height_eV],
                               [self.well_mass, self.barrier_mass], lattice_constant_nm, n_bands)

    def minibands_result(self, n_bands: int = 3, method: str = "kp",
                         lattice_constant_nm: float | None = None) -> Result:
        """:meth:`minibands` as a :class:`~qtransport.results.Result` (kind
        ``"superlattice.minibands"``: ``minibands_eV`` (band, edge), ``band_width_eV``).

        Parameters
        ----------
        n_bands : int, optional
            Number of minibands (≥ 1).
        method : {"kp", "kwant"}, optional
            Exact Kronig–Penney or the Kwant lattice.
        lattice_constant_nm : float, optional
            Lattice spacing for ``"kwant"``, nm.

        Returns
        -------
        Result
            ``minibands_eV`` (eV, band × edge) and ``band_width_eV`` (eV).

        Examples
        --------
        >>> r = Superlattice(5.0, 2.0, 0.3, 0.067, 0.092).minibands_result(n_bands=2)
        >>> r.kind, r.minibands_eV.shape
        ('superlattice.minibands', (2, 2))
        """
        edges = self.minibands(n_bands, method, lattice_constant_nm)
        return Result("superlattice.minibands",
                      {**self._params(), "n_bands": n_bands, "method": method,
                       "lattice_constant_nm": lattice_constant_nm},
                      {"minibands_eV": edges, "band_width_eV": edges[:, 1] - edges[:, 0]})

    def transmission_result(self, energies_eV, n_periods: int = 5, method: str = "tmm",
                            lattice_constant_nm: float | None = None) -> Result:
        """:meth:`transmission` as a :class:`~qtransport.results.Result` (kind
        ``"superlattice.transmission"``: ``energies_eV``, ``transmission``).

        Parameters
        ----------
        energies_eV : array_like
            Energies from the well bottom, eV.
        n_periods : int, optional
            Barriers (≥ 1).
        method : {"tmm", "kwant"}, optional
            Solver.
        lattice_constant_nm : float, optional
            Lattice spacing for ``"kwant"``, nm.

        Returns
        -------
        Result
            ``energies_eV`` (eV) and ``transmission`` (dimensionless).

        Examples
        --------
        >>> r = Superlattice(5.0, 2.0, 0.3, 0.067, 0.092).transmission_result([0.05, 0.5])
        >>> r.kind, r.transmission.shape
        ('superlattice.transmission', (2,))
        """
        t = self.transmission(energies_eV, n_periods, method, lattice_constant_nm)
        return Result("superlattice.transmission",
                      {**self._params(), "n_periods": n_periods, "method": method,
                       "lattice_constant_nm": lattice_constant_nm},
                      {"energies_eV": np.atleast_1d(np.asarray(energies_eV, float)),
                       "transmission": np.atleast_1d(t)})

    def _params(self) -> dict:
        return {"well_nm": self.well_nm, "barrier_nm": self.barrier_nm,
                "barrier_height_eV": self.barrier_height_eV, "well_mass": self.well_mass,
                "barrier_mass": self.barrier_mass}

    def transmission(self, energies_eV, n_periods: int = 5, method: str = "tmm",
                     lattice_constant_nm: float | None = None, *,
                     max_layers: int = MAX_LAYERS) -> np.ndarray:
        """T(E) of ``n_periods`` barriers separated by ``n_periods − 1`` wells, well-material leads.

        N periods (the first well merged with the left lead) give N − 1 resonances per miniband.
        ``method="tmm"`` is exact (:func:`layered_transmission`); ``method="kwant"`` uses a Kwant
        chain of spacing ``lattice_constant_nm`` (:func:`kwant_transmission`). More than
        ``max_layers`` layers (2 n_periods − 1) are refused up front.

        Parameters
        ----------
        energies_eV : array_like
            Energies from the well bottom, eV.
        n_periods : int, optional
            Barriers (≥ 1).
        method : {"tmm", "kwant"}, optional
            Solver.
        lattice_constant_nm : float, optional
            Lattice spacing for ``"kwant"``, nm (> 0).
        max_layers : int, optional
            Most layers (2 n_periods − 1).

        Returns
        -------
        numpy.ndarray
            T(E), dimensionless in [0, 1].

        Raises
        ------
        ValueError
            ``"kwant"`` without ``lattice_constant_nm``, a bad argument or a work limit exceeded.

        Examples
        --------
        >>> sl = Superlattice(5.0, 2.0, 0.3, 0.067, 0.092)
        >>> t = sl.transmission([0.08, 0.2], n_periods=5)
        >>> bool(t[0] > 100 * t[1])
        True
        """
        n = check_int("n_periods", n_periods, low=1)
        method = check_choice("method", method, ("tmm", "kwant"))
        E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
        check_work("max_layers", 2 * n - 1, max_layers, unit="layers", hint=f"n_periods = {n}")
        if lattice_constant_nm is not None:
            check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
        widths, pots, masses = self._layers(n)
        if method == "tmm":
            return layered_transmission(E, widths, pots, masses, self.well_mass)
        if lattice_constant_nm is None:
            raise ValueError("lattice_constant_nm must be given for method='kwant', got None")
        return kwant_transmission(E, widths, pots, masses, self.well_mass, lattice_constant_nm)

    def well_levels(self) -> np.ndarray:
        """Bound levels of one isolated well of this superlattice, eV.

        Returns
        -------
        numpy.ndarray
            Levels, eV from the well bottom, ascending.

        Examples
        --------
        >>> Superlattice(5.0, 2.0, 0.3, 0.067, 0.092).well_levels().round(3).tolist()
        [0.082, 0.284]
        """
        return finite_well_levels(self.well_nm, self.barrier_height_eV, self.well_mass,
                                  self.barrier_mass)

    def coupled_levels(self, n_wells: int) -> np.ndarray:
        """Bound levels of ``n_wells`` coupled wells of this superlattice, eV.

        Parameters
        ----------
        n_wells : int
            Number of wells (≥ 1).

        Returns
        -------
        numpy.ndarray
            Levels, eV from the well bottom, ascending.

        Examples
        --------
        >>> Superlattice(5.0, 2.0, 0.3, 0.067, 0.092).coupled_levels(2).round(3).tolist()
        [0.071, 0.093, 0.273]
        """
        return coupled_well_levels(n_wells, self.well_nm, self.barrier_nm,
                                   self.barrier_height_eV, self.well_mass, self.barrier_mass)


# --- InGaO3(ZnO)m -------------------------------------------------------------------------------

def ingao3_zno_period_nm(m: int) -> float:
    """Period of InGaO3(ZnO)m, nm: the m = 3 value plus c_ZnO/2 per extra ZnO layer.

    d(m) = d(3) + (m − 3)·c_ZnO/2 with d(3) = c/3 = 1.393 nm (Kimizuka 1995) and c_ZnO = 0.521 nm;
    reproduces c/3 = 0.867 nm of m = 1 within 1 % (weak for m ≠ 3).

    Parameters
    ----------
    m : int
        ZnO layers per period (≥ 1).

    Returns
    -------
    float
        Period d(m), nm.

    Examples
    --------
    >>> round(ingao3_zno_period_nm(3), 3)
    1.393
    """
    m = _check_m(m)
    d3 = materials.get("InGaO3(ZnO)3").period_nm
    return d3 + (m - 3) * 0.5 * materials.get("ZnO").lattice_constant_c_nm


def _check_m(m) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)):
        raise TypeError(f"m must be a positive integer (ZnO layers per period), got {m!r}")
    if not 1 <= m <= 100:
        raise ValueError(f"m must be an integer >= 1 and <= 100 (ZnO layers per period), got {m}")
    return int(m)


def ingao3_zno(m: int = 3, wells: str = "InO2", barrier_height_eV: float | None = None,
               well_nm: float | None = None, well_mass: float | None = None,
               barrier_mass: float | None = None) -> Superlattice:
    """Superlattice preset for InGaO3(ZnO)m from the materials database.

    Parameters
    ----------
    m : int
        ZnO layers per period (positive integer); period from :func:`ingao3_zno_period_nm`.
    wells : {"InO2", "GaO(ZnO)m"}
        Which layers confine electrons. Default ``"InO2"``: the In 5s-derived InO2 layers are wells
        and the GaO(ZnO)m blocks barriers, with the Anderson-rule offset χ(In2O3) − χ(ZnO) =
        0.10 eV (**weak**). ``"GaO(ZnO)m"`` swaps the roles and needs ``barrier_height_eV``
        (no literature value exists).
    barrier_height_eV, well_nm, well_mass, barrier_mass : float, optional
        Overrides of the database choices.

    Returns
    -------
    Superlattice
        The well/barrier preset, with its ``description``.

    Raises
    ------
    ValueError
        If an argument is invalid: `wells` must be one of ``WELL_CHOICES``; barrier_height_eV
        must be given for wells='GaO(ZnO)m' (the InO2 barrier height has no literature value);
        `well_nm` must be > 0 and < the period
        :func:`ingao3_zno_period_nm` (`m`).
    TypeError
        If an argument has the wrong type: `well_nm` is not a real number.

    Notes
    -----
    InO2 layer thickness 0.351 nm = d(3) − 4·c_ZnO/2 (weak, derived); the block of the m ZnO layers
    plus the GaO layer is (m + 1)·c_ZnO/2. Masses: In2O3 0.22 m_e and ZnO 0.24 m_e (lit).

    Examples
    --------
    >>> round(ingao3_zno(3).period_nm, 3)
    1.393
    """
    m = _check_m(m)
    wells = check_choice("wells", wells, WELL_CHOICES)
    sl_mat, zno, ino = (materials.get(k) for k in ("InGaO3(ZnO)3", "ZnO", "In2O3"))
    d = ingao3_zno_period_nm(m)
    ino2_nm = sl_mat.well_layer_thickness_nm
    block_nm = d - ino2_nm
    if wells == "InO2":
        w, b = ino2_nm, block_nm
        mw, mb = ino.effective_mass, zno.effective_mass
        v0 = sl_mat.conduction_band_offset_eV if barrier_height_eV is None else barrier_height_eV
    else:
        if barrier_height_eV is None:
            raise ValueError("barrier_height_eV must be given for wells='GaO(ZnO)m' (the InO2 "
                             "barrier height has no literature value), got None")
        w, b, mw, mb, v0 = block_nm, ino2_nm, zno.effective_mass, ino.effective_mass, \
            barrier_height_eV
    if well_nm is not None:
        w = check_real("well_nm", well_nm, low=0.0, high=d, low_open=True, high_open=True)
        b = d - w
    return Superlattice(w, b, v0, mw if well_mass is None else well_mass,
                        mb if barrier_mass is None else barrier_mass,
                        description=f"InGaO3(ZnO){m}: {wells} wells, period {d:.4f} nm "
                                    f"(band offset weak, see docs/superlattice.md)")


# --- registered models ---------------------------------------------------------------------------

_PROFILE_PARAMS = [
    Param("well_nm", float, low=0.0, low_open=True, doc="well width, nm"),
    Param("barrier_nm", float, low=0.0, low_open=True, doc="barrier width, nm"),
    Param("barrier_height_eV", float, low=0.0, low_open=True, doc="band offset, eV"),
    Param("well_mass", float, default=0.067, low=0.0, low_open=True, doc="well mass, m_e"),
    Param("barrier_mass", float, default=0.067, low=0.0, low_open=True, doc="barrier mass, m_e"),
]


@register("superlattice.minibands", params=_PROFILE_PARAMS + [
    Param("n_bands", int, default=3, low=1, doc="number of minibands"),
    Param("method", str, default="kp", choices=("kp", "kwant"), doc="Kronig–Penney or Kwant"),
    Param("lattice_constant_nm", float, default=None, optional=True, low=0.0, low_open=True,
          doc="Kwant lattice spacing, nm (method='kwant')")],
    summary="Kronig–Penney (or Kwant) miniband edges of a superlattice")
def minibands_model(well_nm: float, barrier_nm: float, barrier_height_eV: float,
                    well_mass: float = 0.067, barrier_mass: float = 0.067, n_bands: int = 3,
                    method: str = "kp", lattice_constant_nm: float | None = None) -> Result:
    """Registered model: ``minibands_eV`` (n_bands, 2) and ``band_width_eV``."""
    sl = Superlattice(well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass)
    edges = sl.minibands(n_bands, method=method, lattice_constant_nm=lattice_constant_nm)
    params = dict(well_nm=well_nm, barrier_nm=barrier_nm, barrier_height_eV=barrier_height_eV,
                  well_mass=well_mass, barrier_mass=barrier_mass, n_bands=n_bands, method=method,
                  lattice_constant_nm=lattice_constant_nm)
    return Result("superlattice.minibands", params,
                  {"minibands_eV": edges, "band_width_eV": edges[:, 1] - edges[:, 0]})


@register("superlattice.transmission", params=_PROFILE_PARAMS + [
    Param("energies_eV", "array", doc="energies from the well bottom, eV"),
    Param("n_periods", int, default=5, low=1, doc="barriers in the finite superlattice")],
    summary="Transmission of a finite superlattice between well-material leads (exact TMM)")
def transmission_model(well_nm: float, barrier_nm: float, barrier_height_eV: float,
                       energies_eV, well_mass: float = 0.067, barrier_mass: float = 0.067,
                       n_periods: int = 5) -> Result:
    """Registered model: ``energies_eV`` and ``transmission``."""
    sl = Superlattice(well_nm, barrier_nm, barrier_height_eV, well_mass, barrier_mass)
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    params = dict(well_nm=well_nm, barrier_nm=barrier_nm, barrier_height_eV=barrier_height_eV,
                  well_mass=well_mass, barrier_mass=barrier_mass, energies_eV=E,
                  n_periods=n_periods)
    return Result("superlattice.transmission", params,
                  {"energies_eV": E, "transmission": sl.transmission(E, n_periods)})


@register("superlattice.ingao3_zno", params=[
    Param("m", int, default=3, low=1, doc="ZnO layers per period"),
    Param("n_bands", int, default=2, low=1, doc="number of minibands"),
    Param("barrier_height_eV", float, default=None, optional=True, low=0.0, low_open=True,
          doc="override of the weak band offset, eV")],
    summary="InGaO3(ZnO)m preset: period, well levels and minibands")
def ingao3_zno_model(m: int = 3, n_bands: int = 2,
                     barrier_height_eV: float | None = None) -> Result:
    """Registered model: ``period_nm``, ``well_levels_eV`` and ``minibands_eV`` of the preset."""
    sl = ingao3_zno(m, barrier_height_eV=barrier_height_eV)
    return Result("superlattice.ingao3_zno", {"m": m, "n_bands": n_bands,
                                              "barrier_height_eV": sl.barrier_height_eV},
                  {"period_nm": np.float64(sl.period_nm), "well_nm": np.float64(sl.well_nm),
                   "well_levels_eV": sl.well_levels(), "minibands_eV": sl.minibands(n_bands)},
                  {"description": sl.description})


# ---- layout and default plot of the result kinds made here (qtransport.results.declare)
def _draw_minibands(result, ax, **kw):
    """Each miniband as a shaded energy interval (and the isolated-well levels, if stored)."""
    bands = np.atleast_2d(result.minibands_eV)
    for i, (lo, hi) in enumerate(bands):
        ax.axhspan(lo, hi, alpha=0.4, color=kw.get("color", "C0"),
                   label="minibands" if i == 0 else "_")
    if "well_levels_eV" in result.data:
        for i, e in enumerate(np.atleast_1d(result.well_levels_eV)):
            ax.axhline(e, color="C3", ls="--", label="well levels" if i == 0 else "_")
    ax.set_xticks([])
    ax.set_ylabel(r"Energy $E$ (eV)")
    ax.legend(fontsize="small")
    ax.set_title(result.kind, fontsize="medium")


_declare("superlattice.minibands", dims={"minibands_eV": ("band", "edge"),
                                         "band_width_eV": ("band",)}, draw=_draw_minibands)
_declare("superlattice.ingao3_zno", dims={"minibands_eV": ("band", "edge"),
                                          "well_levels_eV": ("level",)}, draw=_draw_minibands)
_declare("superlattice.transmission", coords=("energies_eV",), y=("transmission",),
         yscale="log")
