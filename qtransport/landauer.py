"""Landauer–Büttiker conductance and current from a transmission function T(E) on an energy grid.

Shared by every transport model (filaments, barriers, superlattices). T(E) is taken as piecewise
linear between the grid points; integrals against the thermal kernels are done per interval by
4-point Gauss–Legendre quadrature, which is exact for polynomials of degree 7 and therefore has an
error of order (ΔE / k_BT)^8 for a kernel that varies on the scale k_BT. The grid is checked: it
must cover the thermal window and resolve k_BT, otherwise an :class:`~qtransport.AccuracyWarning`
gives the numbers.
"""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from .constants import e, h
from .constants import thermal_energy_eV
from .errors import (AccuracyWarning, check_array, check_increasing, check_int, check_real,
                     check_work)
from .errors import MAX_BIAS_V, MAX_ENERGY_EV, MAX_TEMPERATURE_K

__all__ = ["fermi", "thermal_kernel", "integrate_transmission", "thermal_average",
           "conductance", "current",
           "check_grid", "adaptive_conductance", "thermal_windows", "THERMAL_ATOL"]

_GL_X, _GL_W = np.polynomial.legendre.leggauss(4)
#: the grid spacing must stay below this fraction of k_BT inside the thermal window
MAX_SPACING_PER_KT = 0.5
#: thermal-window weight allowed outside the grid before a warning
MAX_MISSING_WEIGHT = 1e-6


#: default most biases × energies of one :func:`current` call (``max_values=``): ~5 float64
#: arrays of that size, so 10^7 is ~400 MB
MAX_VALUES = 10**7


def _finite(name, value) -> np.ndarray:
    """``value`` as a float array of any shape (scalars stay 0-d), refusing NaN and ±inf."""
    arr = np.asarray(check_array(name, value), float)
    return arr.reshape(np.shape(value))


def fermi(energies_eV, mu_eV, temperature_K: float) -> np.ndarray:
    """Fermi–Dirac occupation f(E) = 1 / (1 + exp((E − μ)/k_BT)); a step at T = 0.

    Parameters
    ----------
    energies_eV : array_like
        Energies in eV.
    mu_eV : float or array_like
        Chemical potential in eV (broadcast against ``energies_eV``).
    temperature_K : float
        Temperature in K (≥ 0).

    Returns
    -------
    numpy.ndarray
        Occupation f(E), dimensionless in [0, 1] (0.5 at E = μ when T = 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `temperature_K` must be >= 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `temperature_K` is not a real number.

    Examples
    --------
    >>> fermi([-1.0, 0.0, 1.0], 0.0, 0.0).tolist()
    [1.0, 0.5, 0.0]
    """
    temperature_K = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    x = _finite("energies_eV", energies_eV) - _finite("mu_eV", mu_eV)
    if temperature_K == 0:
        return np.where(x < 0, 1.0, np.where(x > 0, 0.0, 0.5))
    kt = thermal_energy_eV(temperature_K)
    return 0.5 * (1.0 - np.tanh(x / (2 * kt)))       # overflow-free form of the Fermi function


def thermal_kernel(energies_eV, mu_eV, temperature_K: float) -> np.ndarray:
    """−∂f/∂E = 1 / (4 k_BT cosh²((E − μ)/2k_BT)), in 1/eV (integrates to 1); needs T > 0.

    Parameters
    ----------
    energies_eV : array_like
        Energies, eV.
    mu_eV : float or array_like
        Chemical potential, eV (broadcast against ``energies_eV``).
    temperature_K : float
        Temperature, K (> 0).

    Returns
    -------
    numpy.ndarray
        −∂f/∂E, 1/eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `temperature_K` must be > 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `temperature_K` is not a real number.

    Examples
    --------
    >>> round(float(thermal_kernel(0.0, 0.0, 300.0)[()]), 3)
    9.67
    """
    kt = thermal_energy_eV(check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K))
    x = (_finite("energies_eV", energies_eV) - _finite("mu_eV", mu_eV)) / (2 * kt)
    return 1.0 / (4 * kt * np.cosh(np.clip(x, -350, 350)) ** 2)


def integrate_transmission(energies_eV: np.ndarray, transmission: np.ndarray,
                           kernel: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """∫ T(E) K(E) dE for piecewise-linear T(E) on the grid, by 4-point Gauss–Legendre per interval.

    Parameters
    ----------
    energies_eV : ndarray, shape (n,)
        Strictly increasing grid, eV.
    transmission : ndarray, shape (n,)
        T(E) on the grid.
    kernel : callable
        ``kernel(E)`` with ``E`` of shape (n − 1, 4) returning an array broadcastable to
        ``(..., n − 1, 4)``; leading axes (e.g. over μ or bias) are kept in the result.

    Returns
    -------
    ndarray
        The integral, with the kernel's leading axes.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.linspace(-1.0, 1.0, 201)
    >>> flat = lambda x: np.ones_like(x) / 2.0         # a kernel of weight 1/2 per eV
    >>> round(float(integrate_transmission(e, np.ones_like(e), flat)), 6)
    1.0
    """
    lo, hi = energies_eV[:-1], energies_eV[1:]
    half = 0.5 * (hi - lo)
    nodes = (0.5 * (hi + lo))[:, None] + half[:, None] * _GL_X[None, :]
    slope = np.diff(transmission) / (hi - lo)
    t_nodes = transmission[:-1, None] + slope[:, None] * (nodes - lo[:, None])
    weights = half[:, None] * _GL_W[None, :]
    return np.sum(kernel(nodes) * (t_nodes * weights), axis=(-2, -1))


def thermal_average(energies_eV: np.ndarray, transmission: np.ndarray, mu_eV: np.ndarray,
                    temperature_K: float) -> np.ndarray:
    """∫ T(E) (−∂f/∂E) dE over the grid for piecewise-linear T, exactly, at each μ.

    On [a, b] with T = T_a + s (E − a): ∫ T (−f′) dE = T_a [f(a) − f(b)] + s [F(b) − F(a) −
    (b − a) f(b)], where F(E) = −k_BT ln(1 + e^{−(E−μ)/k_BT}) is a primitive of f. Exact
    whatever the grid spacing against k_BT (a 4-point Gauss rule per interval missed a kernel
    much narrower than the spacing: G = 1e-294 instead of 1 at 1 µK on a 10 µeV grid).

    Parameters
    ----------
    energies_eV : numpy.ndarray, shape (n,)
        Strictly increasing grid, eV.
    transmission : numpy.ndarray, shape (n,)
        T(E) on the grid.
    mu_eV : numpy.ndarray, shape (m,)
        Chemical potentials, eV.
    temperature_K : float
        Temperature, K (> 0).

    Returns
    -------
    numpy.ndarray, shape (m,)
        The thermal averages (G in G0 for a transmission).

    Examples
    --------
    >>> import numpy as np
    >>> e = np.linspace(-1.0, 1.0, 5)                       # 0.5 eV apart, k_BT = 86 µeV
    >>> float(thermal_average(e, (e > 0.2).astype(float), np.array([0.75]), 1.0)[0])
    1.0
    """
    kt = thermal_energy_eV(temperature_K)
    x = (energies_eV[None, :] - np.asarray(mu_eV, float)[:, None]) / kt       # (m, n)
    f = 0.5 * (1.0 - np.tanh(0.5 * x))                     # 1/(1 + e^x), no overflow
    prim = -kt * np.logaddexp(0.0, -x)                      # F(E) = −kT ln(1 + e^{−x})
    a, b = energies_eV[:-1], energies_eV[1:]
    slope = np.diff(transmission) / (b - a)
    flat = transmission[:-1] * (f[:, :-1] - f[:, 1:])
    ramp = slope * (prim[:, 1:] - prim[:, :-1] - (b - a) * f[:, 1:])
    return np.sum(flat + ramp, axis=1)


def check_grid(energies_eV: np.ndarray, window_eV: tuple[float, float],
               temperature_K: float) -> None:
    """Warn (AccuracyWarning) if the grid misses the thermal window or does not resolve k_BT.

    ``window_eV`` is the (lowest, highest) chemical potential involved.

    Parameters
    ----------
    energies_eV : numpy.ndarray
        Strictly increasing energy grid, eV.
    window_eV : tuple of float
        (lowest, highest) chemical potential involved, eV.
    temperature_K : float
        Temperature, K (> 0).

    Examples
    --------
    >>> import numpy as np
    >>> check_grid(np.linspace(-1.0, 1.0, 2001), (-0.1, 0.1), 300.0)
    """
    kt = thermal_energy_eV(temperature_K)
    lo, hi = window_eV
    missing = (1 - fermi(energies_eV[0], lo, temperature_K)) + fermi(energies_eV[-1], hi,
                                                                    temperature_K)
    if missing > MAX_MISSING_WEIGHT:
        warnings.warn(f"energy grid [{energies_eV[0]:.6g}, {energies_eV[-1]:.6g}] eV misses "
                      f"{missing:.2e} of the thermal window around [{lo:.6g}, {hi:.6g}] eV "
                      f"(k_BT = {kt:.4g} eV): extend it by ~15 k_BT", AccuracyWarning,
                      stacklevel=3)
    inside = (energies_eV[1:] > lo - 5 * kt) & (energies_eV[:-1] < hi + 5 * kt)
    if inside.any():
        spacing = np.diff(energies_eV)[inside].max()
        if spacing > MAX_SPACING_PER_KT * kt:
            warnings.warn(f"energy grid spacing {spacing:.3g} eV does not resolve k_BT = "
                          f"{kt:.3g} eV (need <= {MAX_SPACING_PER_KT} k_BT)", AccuracyWarning,
                          stacklevel=3)


def _validated(energies_eV, transmission, temperature_K):
    energies = check_increasing("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    trans = check_array("transmission", transmission, low=0.0, ndim=1)
    if trans.shape != energies.shape:
        raise ValueError(f"transmission must have the shape of energies_eV {energies.shape}, "
                         f"got {trans.shape}")
    temp = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    return energies, trans, temp


def _cumulative(energies, trans, x):
    """∫_{E_0}^{x} T(E) dE for piecewise-linear T, exact (x inside the grid)."""
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (trans[1:] + trans[:-1]) * np.diff(energies))])
    i = np.clip(np.searchsorted(energies, x, side="right") - 1, 0, len(energies) - 2)
    dx = x - energies[i]
    slope = (trans[i + 1] - trans[i]) / (energies[i + 1] - energies[i])
    return cum[i] + trans[i] * dx + 0.5 * slope * dx**2


def _inside(name, values, energies):
    if np.any(values < energies[0]) or np.any(values > energies[-1]):
        raise ValueError(f"{name} must lie inside the energy grid [{energies[0]}, "
                         f"{energies[-1]}] eV at zero temperature, got {values.min()}..{values.max()}")


def conductance(energies_eV, transmission, mu_eV, temperature_K: float):
    """Linear-response conductance G(μ, T) = ∫ T(E) (−∂f/∂E) dE in units of G0 = 2e²/h.

    Parameters
    ----------
    energies_eV : array_like, shape (n,)
        Strictly increasing energy grid in eV.
    transmission : array_like, shape (n,)
        Total transmission T(E) = Σ_n T_n(E) (spin degeneracy is in G0).
    mu_eV : float or array_like
        Chemical potential(s) in eV.
    temperature_K : float
        Temperature in K; 0 gives T(μ) by linear interpolation.

    Returns
    -------
    float or ndarray
        G/G0, a float for scalar ``mu_eV``.

    Raises
    ------
    ValueError
        If an argument is invalid: `mu_eV` must be a number or a 1-D array of finite numbers
        >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `mu_eV` is not an array of real numbers.

    Notes
    -----
    G = G0 ∫ T(E) [4 k_BT cosh²((E − μ)/2k_BT)]⁻¹ dE (Landauer–Büttiker). Warns with
    :class:`~qtransport.AccuracyWarning` if the grid does not cover μ ± 15 k_BT or its spacing
    exceeds k_BT/2 there.

    Examples
    --------
    >>> import numpy as np
    >>> E = np.linspace(-1, 1, 20001)
    >>> step = (np.sign(E) + 1) / 2          # T = 0, ½, 1 below, at and above E = 0
    >>> round(float(conductance(E, step, 0.0, 300.0)), 6)
    0.5
    """
    energies, trans, temp = _validated(energies_eV, transmission, temperature_K)
    mu = check_array("mu_eV", mu_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV, ndim=1)
    if temp == 0:
        _inside("mu_eV", mu, energies)
        g = np.interp(mu, energies, trans)
    else:
        check_grid(energies, (mu.min(), mu.max()), temp)
        g = thermal_average(energies, trans, mu, temp)
    return float(g[0]) if np.ndim(mu_eV) == 0 else g


def current(energies_eV, transmission, bias_V, temperature_K: float, mu_eV: float = 0.0, *,
            max_values: int = MAX_VALUES):
    """Landauer current I(V) = (2e/h) ∫ T(E) [f_L(E) − f_R(E)] dE, in A.

    Parameters
    ----------
    energies_eV, transmission : array_like, shape (n,)
        T(E) on a strictly increasing grid (eV). T is taken as bias independent.
    bias_V : float or array_like
        Bias voltage(s) in V, applied symmetrically: μ_L,R = μ ± eV/2.
    temperature_K : float
        Temperature in K (≥ 0).
    mu_eV : float
        Equilibrium chemical potential in eV.
    max_values : int
        Refuse (``WorkLimitError``) more biases × energies than this (the thermal integral holds
        a few arrays of that size).

    Returns
    -------
    ndarray
        Current in A, one per bias (positive for positive bias and T ≥ 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_V` must be a 1-D array of finite numbers >= -10000 and
        <= 10000; `mu_eV` must be >= -1000 and <= 1000; the estimated size must not exceed
        `max_values` (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `max_values`
        must be >= 1.
    TypeError
        If an argument has the wrong type: `mu_eV` is not a real number; `max_values` is not an
        integer; `bias_V` is not an array of real numbers.

    Notes
    -----
    At T = 0 the integral ∫_{μ_R}^{μ_L} T(E) dE is exact for piecewise-linear T.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.linspace(-0.5, 0.5, 401)
    >>> i = current(e, np.ones_like(e), [0.01], 0.0)
    >>> f'{float(i[0]):.3e}'
    '7.748e-07'
    """
    energies, trans, temp = _validated(energies_eV, transmission, temperature_K)
    bias = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V, ndim=1)
    mu = check_real("mu_eV", mu_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    check_work("max_values", float(bias.size) * energies.size,
               check_int("max_values", max_values, low=1), unit="bias-energy values",
               hint=f"{bias.size} biases × {energies.size} energies")
    mu_l, mu_r = mu + bias / 2, mu - bias / 2
    if temp == 0:
        _inside("mu_eV ± bias_V/2", np.concatenate([mu_l, mu_r]), energies)
        integral = _cumulative(energies, trans, mu_l) - _cumulative(energies, trans, mu_r)
    else:
        check_grid(energies, (min(mu_l.min(), mu_r.min()), max(mu_l.max(), mu_r.max())), temp)
        integral = integrate_transmission(
            energies, trans,
            lambda x: fermi(x[None], mu_l[:, None, None], temp)
            - fermi(x[None], mu_r[:, None, None], temp))
    return (2 * e / h) * e * integral       # (2e/h) × ∫ dE, with dE in eV → J


#: default target error of :func:`adaptive_conductance`, in units of G0
THERMAL_ATOL = 1e-5


def _simpson(h: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Simpson's rule on rows (…, 3) of equally spaced values over widths w (…)."""
    return w / 6.0 * (h[..., 0] + 4.0 * h[..., 1] + h[..., 2])


def thermal_windows(mu_eV, reach_eV: float) -> np.ndarray:
    """The union of the windows [μ − reach, μ + reach] over all μ, as merged (lo, hi) rows (eV).

    Windows that overlap or touch are merged, so far-apart chemical potentials are sampled
    around each one only, never across the gap between them.

    Parameters
    ----------
    mu_eV : float or array_like
        Chemical potentials μ, eV (any order).
    reach_eV : float
        Half-width of each window, eV (not checked; the callers pass a positive multiple of
        k_B T).

    Returns
    -------
    numpy.ndarray
        Shape (n_windows, 2): the merged windows' (lo, hi) edges, eV, sorted.

    Examples
    --------
    >>> thermal_windows([0.0, 0.1, 1.0], 0.1).round(2).tolist()
    [[-0.1, 0.2], [0.9, 1.1]]
    """
    mu = np.sort(np.atleast_1d(np.asarray(mu_eV, float)))
    start = np.concatenate([[True], np.diff(mu) > 2 * reach_eV])   # not touching the previous
    first, last = np.flatnonzero(start), np.r_[np.flatnonzero(start)[1:] - 1, mu.size - 1]
    return np.column_stack([mu[first] - reach_eV, mu[last] + reach_eV])


def _start_panels(mu: np.ndarray, reach_eV: float, spacing_eV: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """First adaptive panels: energies (unique, sorted) and the (panels, 5) indices into them.

    Each merged thermal window (:func:`thermal_windows`) is cut into equal panels no wider than
    ``spacing_eV``, each holding its ends, midpoint and quarter points.
    """
    grids, idx, offset = [], [], 0
    for lo, hi in thermal_windows(mu, reach_eV):
        n_panels = max(1, int(np.ceil((hi - lo) / spacing_eV)))
        grids.append(np.linspace(lo, hi, 4 * n_panels + 1))
        idx.append(offset + 4 * np.arange(n_panels)[:, None] + np.arange(5)[None, :])
        offset += 4 * n_panels + 1
    return np.concatenate(grids), np.concatenate(idx)


def adaptive_conductance(solve: Callable[[np.ndarray], np.ndarray], mu_eV, temperature_K: float,
                         *, atol: float = THERMAL_ATOL, reach_kT: float = 18.0,
                         initial_spacing_kT: float = 1.0, max_evaluations: int = 200_000
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """G(μ, T)/G0 = ∫T(E)(−∂f/∂E)dE with T(E) sampled adaptively to an error ≤ ``atol``.

    Parameters
    ----------
    solve : callable
        ``solve(E)`` → T at the energies ``E`` (1-D array, eV); called once per refinement round
        with every new energy, so a Kwant sweep can batch them.
    mu_eV : array_like
        Chemical potentials, eV (sharing one set of samples).
    temperature_K : float
        Temperature, K (> 0).
    atol : float
        Target absolute error of every G, in G0 (> 0).
    reach_kT : float
        Energies farther than reach·k_BT from every μ are not sampled: truncation error
        ≤ 2e^{−reach}·max T (3e-8 max T at 18). Far-apart μ are sampled around each one only
        (:func:`thermal_windows`), so the cost does not grow with the gap between them.
    initial_spacing_kT : float
        Width of the starting panels, k_BT. Features of T(E) narrower than about a quarter of it
        can be missed by the first look (as by any sampling).
    max_evaluations : int
        Most T evaluations; if reached the estimate is returned with an AccuracyWarning.

    Returns
    -------
    (g, energies, transmission)
        G/G0 per μ, and the sorted samples of T(E) used.

    Raises
    ------
    ValueError
        If an argument is invalid: `temperature_K` must be > 0 and <= 10000; `atol` must be >
        0; `mu_eV` must be an array of finite numbers >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `temperature_K` or `atol` are not real numbers;
        `mu_eV` is not an array of real numbers.

    Notes
    -----
    Adaptive Simpson on the integrand T(E)·K(E − μ) for all μ at once: each panel [a, b] holds
    T at a, b, its midpoint and its quarter points; S1 = Simpson on (a, m, b), S2 = Simpson on
    the two halves, and the panel's error estimate is |S2 − S1| (not the /15 of smooth
    integrands: a step inside the panel makes S2 err by up to ~|S2 − S1|). Panels are split
    (4 new samples each), largest estimate first, until the estimates of the panels left alone
    sum to ≤ atol/2 for every μ. G = Σ S2. A step costs ~4 log2(jump·width/(k_BT·atol))
    samples; a smooth T(E) converges as (width)⁴, so it needs few.

    Examples
    --------
    >>> import numpy as np
    >>> g, e, t = adaptive_conductance(lambda E: np.ones_like(E), [0.0], 300.0)
    >>> round(float(g[0]), 6)
    1.0
    """
    temp = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
    atol = check_real("atol", atol, low=0.0, low_open=True)
    mu = np.atleast_1d(check_array("mu_eV", mu_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV))
    kt = thermal_energy_eV(temp)
    grid, idx = _start_panels(mu, reach_kT * kt, initial_spacing_kT * kt)
    vals = np.asarray(solve(grid), dtype=float)
    pe, pt = grid[idx], vals[idx]                       # panels × 5 energies and values
    done_e, done_t, count = [grid], [vals], grid.size

    def estimates(pe, pt):
        w = pe[:, 4] - pe[:, 0]
        k = thermal_kernel(pe[:, None, :], mu[None, :, None], temp)   # panels × mu × 5
        f = pt[:, None, :] * k
        s1 = _simpson(f[..., ::2], w[:, None])
        s2 = _simpson(f[..., 0:3], 0.5 * w[:, None]) + _simpson(f[..., 2:5], 0.5 * w[:, None])
        return s2, np.abs(s2 - s1)

    while True:
        s2, err = estimates(pe, pt)
        order = np.argsort(err.max(axis=1))
        kept = np.cumsum(err[order], axis=0).max(axis=1) <= 0.5 * atol
        if kept.all():
            break
        split = np.sort(order[~kept])
        if count + 4 * split.size > max_evaluations:
            warnings.warn(f"adaptive thermal quadrature stopped at max_evaluations = "
                          f"{max_evaluations} with an error estimate "
                          f"{float(err.sum(axis=0).max()):.3g} G0 > atol/2 = {0.5 * atol:.3g}",
                          AccuracyWarning, stacklevel=2)
            break
        e5, t5 = pe[split], pt[split]
        new_e = np.concatenate([0.5 * (e5[:, 0] + e5[:, 1]), 0.5 * (e5[:, 1] + e5[:, 2]),
                                0.5 * (e5[:, 2] + e5[:, 3]), 0.5 * (e5[:, 3] + e5[:, 4])])
        new_t = np.asarray(solve(new_e), dtype=float)
        count += new_e.size
        done_e.append(new_e)
        done_t.append(new_t)
        q = new_t.reshape(4, split.size).T                 # quarter points of each half
        qe = new_e.reshape(4, split.size).T
        left_e = np.column_stack([e5[:, 0], qe[:, 0], e5[:, 1], qe[:, 1], e5[:, 2]])
        left_t = np.column_stack([t5[:, 0], q[:, 0], t5[:, 1], q[:, 1], t5[:, 2]])
        right_e = np.column_stack([e5[:, 2], qe[:, 2], e5[:, 3], qe[:, 3], e5[:, 4]])
        right_t = np.column_stack([t5[:, 2], q[:, 2], t5[:, 3], q[:, 3], t5[:, 4]])
        keep = np.ones(pe.shape[0], dtype=bool)
        keep[split] = False
        pe = np.concatenate([pe[keep], left_e, right_e])
        pt = np.concatenate([pt[keep], left_t, right_t])
    energies = np.concatenate(done_e)
    trans = np.concatenate(done_t)
    order = np.argsort(energies, kind="stable")
    energies, first = np.unique(energies[order], return_index=True)
    return s2.sum(axis=0), energies, trans[order][first]
