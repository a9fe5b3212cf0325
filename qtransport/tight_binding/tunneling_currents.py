"""Tunneling currents: Tsu–Esaki from T(E, V), Simmons, Fowler–Nordheim, FN plot, transition voltage.

All functions are pure and vectorized. Inputs and outputs are SI except energies (eV) and
thicknesses (nm), as their names say; current densities are in A/m².
"""
from __future__ import annotations

import numpy as np

from ..constants import K_PER_SQRT_EV, e, eV, h, hbar, m_e, nm, thermal_energy_eV
from ..errors import check_array, check_increasing, check_real, check_same_length
from ..errors import MAX_BIAS_V, MAX_EFFECTIVE_MASS, MAX_ENERGY_EV, MAX_FIELD_V_PER_M, MAX_LENGTH_NM, MAX_TEMPERATURE_K

#: smallest barrier height (eV), thickness (nm) and mass (m_e) of the closed-form Simmons and
#: Fowler–Nordheim formulas: below them the prefactors overflow (1/φ, 1/s²) and the formulas'
#: WKB premise (a barrier many decay lengths thick) is long gone
MIN_FORMULA_VALUE = 1e-3

__all__ = ["supply_function_eV", "tsu_esaki", "over_barrier_energies", "OVER_BARRIER_RTOL", "simmons_current_density",
           "fowler_nordheim_current_density", "fowler_nordheim_slope", "fn_plot",
           "transition_voltage", "fn_fit", "fn_regime_line", "FN_REGIME_FACTOR"]

#: the Fowler–Nordheim regime of :func:`fn_fit`: biases with eV above this many barrier heights
#: (the triangular barrier has clearly closed; below, direct tunneling bends the FN line)
FN_REGIME_FACTOR = 1.2


def supply_function_eV(energies_eV, fermi_energy_eV: float, bias_V, temperature_K: float):
    """Tsu–Esaki supply function N(E) = k_BT ln{[1 + e^{(E_F − E)/k_BT}] / [1 + e^{(E_F − eV − E)/k_BT}]}.

    Parameters
    ----------
    energies_eV : ndarray, shape (n_energy,) or (n_bias, n_energy)
        Longitudinal energy E_z from the emitter's band bottom (one grid or one row per bias).
    fermi_energy_eV : float
        Emitter Fermi energy above its band bottom.
    bias_V : ndarray, shape (n_bias,)
        Bias; the collector's Fermi level sits at E_F − eV.
    temperature_K : float
        Temperature (0 allowed: N = max(E_F − E, 0) − max(E_F − eV − E, 0)).

    Returns
    -------
    ndarray, shape (n_bias, n_energy)
        N in eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energy_eV` must be >= -1000 and <= 1000;
        `temperature_K` must be >= 0 and <= 10000; `bias_V` must be an array of finite numbers
        >= -10000 and <= 10000; `energies_eV` must be an array of finite numbers >= -1000 and
        <= 1000.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV` or `temperature_K` are not real
        numbers; `bias_V` or `energies_eV` are not arrays of real numbers.

    Examples
    --------
    >>> s = supply_function_eV([0.0, 0.1], 0.1, 0.2, 300.0)
    >>> s.shape
    (1, 2)
    """
    E = np.asarray(check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV), float).reshape(np.shape(energies_eV))
    fermi_energy_eV = check_real("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    temperature_K = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    x1 = fermi_energy_eV - (E[None, :] if E.ndim == 1 else E)
    x2 = x1 - check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)[:, None]
    if temperature_K == 0:
        return np.maximum(x1, 0.0) - np.maximum(x2, 0.0)
    kt = thermal_energy_eV(temperature_K)
    return kt * (np.logaddexp(0.0, x1 / kt) - np.logaddexp(0.0, x2 / kt))


#: :func:`over_barrier_energies` adds the energies up to the barrier top when the emission
#: over the top could carry more than this fraction of the current found inside the window
OVER_BARRIER_RTOL = 1e-12


def over_barrier_energies(window_top_eV: float, barrier_top_eV: float, fermi_energy_eV: float,
                          bias_V: float, temperature_K: float, window_integral_eV2: float,
                          thickness_nm: float, effective_mass: float,
                          max_points: int = 8000, density: float = 1.0) -> np.ndarray:
    """E_z points above a Tsu–Esaki window that the integral still needs, or an empty array.

    A window that ends at E_F + 40 k_BT misses the electrons that cross a thick barrier over (or
    just below) its top, at U_top > E_F + 40 k_BT: their current, ~(k_BT)² e^{−(U_top − μ)/k_BT}
    (Richardson), exceeds the tunneling current through a barrier whose exponent 2κd is larger
    than (U_top − μ)/k_BT. When that bound is above :data:`OVER_BARRIER_RTOL` times the window's
    integral, the window is continued to U_top + 40 k_BT: in steps of at most k_BT/8 up to the
    top, and above it evenly in the wavenumber k' = √(2m*(E − U_top))/ħ, 64 points per π/d,
    where the over-barrier resonances (k'd = nπ, narrowest near the top) lie evenly spaced;
    ``density`` multiplies both (and ``max_points``). A 20 nm, 2.5 eV barrier (E_F 1 eV, 300 K)
    at 1e-4 V is then 1.7e-3 / 7.6e-5 / 1.6e-6 off a 2·10⁶-point reference at density 1, 4, 16
    (0.1 V: 1.0e-3, 1.0e-3, 2.3e-4).

    Parameters
    ----------
    window_top_eV : float
        Last energy of the window, eV (E_z scale of the integral).
    barrier_top_eV : float
        Highest band edge of the barrier at this bias, eV (same scale; an upper bound will do).
    fermi_energy_eV : float
        Emitter Fermi energy, eV; the collector's is E_F − eV.
    bias_V : float
        Bias, V.
    temperature_K : float
        Temperature, K (0: nothing above the window carries current).
    window_integral_eV2 : float
        ∫ T N dE over the window, eV².
    thickness_nm : float
        Barrier thickness d, nm.
    effective_mass : float
        Largest mass in the barrier, m_e (sets the k' spacing).
    max_points : int, optional
        Most points added (each part at most half), before ``density``.
    density : float, optional
        Points per k_BT/8 and per π/(64d) (≥ 1; :meth:`~.tunneling.Barrier.current_density`
        passes n_energies / 2000).

    Returns
    -------
    numpy.ndarray
        Increasing energies strictly above ``window_top_eV`` (empty when none are needed).

    Examples
    --------
    >>> over_barrier_energies(2.0, 2.5, 1.0, 0.01, 300.0, 1e-40, 20.0, 0.5).size > 0
    True
    >>> over_barrier_energies(2.0, 2.5, 1.0, 0.01, 300.0, 1e-10, 1.0, 0.5).size   # tunneling wins
    0
    """
    kt = thermal_energy_eV(temperature_K)
    if kt <= 0 or barrier_top_eV <= window_top_eV:
        return np.empty(0)
    mu = max(fermi_energy_eV, fermi_energy_eV - bias_V)
    x = (barrier_top_eV - mu) / kt
    if x > 700:                  # e^-700: nothing a double-precision current could hold
        return np.empty(0)
    if window_integral_eV2 > 0 and kt * kt * np.exp(-x) <= OVER_BARRIER_RTOL * window_integral_eV2:
        return np.empty(0)
    density = max(1.0, float(density))
    half = max(16, int(density * max_points) // 2)
    n_below = int(min(half, max(16, np.ceil((barrier_top_eV - window_top_eV)
                                            / (kt / (8 * density))))))
    below = np.linspace(window_top_eV, barrier_top_eV, n_below + 1)[1:]
    k_max = K_PER_SQRT_EV * np.sqrt(effective_mass * 40 * kt)           # 1/nm
    n_above = int(min(half, max(320 * density,
                                np.ceil(64 * density * k_max * thickness_nm / np.pi))))
    s = np.linspace(0.0, 1.0, n_above + 1)[1:]
    return np.concatenate([below, barrier_top_eV + 40 * kt * s * s])


def tsu_esaki(energies_eV, transmission, bias_V, temperature_K: float, fermi_energy_eV: float,
              emitter_mass: float) -> np.ndarray:
    """Tsu–Esaki current density J(V) in A/m² from a bias-dependent transmission T(E_z, V).

    Parameters
    ----------
    energies_eV : ndarray, shape (n_energy,) or (n_bias, n_energy)
        Increasing grid(s) of longitudinal energies (eV) covering the transport window.
    transmission : ndarray, shape (n_bias, n_energy)
        T(E_z) for each bias.
    bias_V : ndarray, shape (n_bias,)
        Biases, V.
    temperature_K, fermi_energy_eV, emitter_mass : float
        Temperature, emitter Fermi energy (eV) and emitter mass (m_e).

    Returns
    -------
    ndarray, shape (n_bias,)
        J in A/m², positive when electrons flow from the emitter (left) at positive bias.

    Raises
    ------
    ValueError
        If an argument is invalid: `emitter_mass` must be > 0; `energies_eV` must be a 1- or 2-D
        array of finite numbers >= -1000 and <= 1000, strictly increasing (each row of a 2-D one);
        `transmission` must be an array of finite numbers >= 0 with one value per energy (per
        bias).
    TypeError
        If an argument has the wrong type: `emitter_mass` is not a real number; `energies_eV` or
        `transmission` are not arrays of real numbers.

    Notes
    -----
    J = (e m* / 2π²ħ³) ∫ dE_z T(E_z) N(E_z) with the supply function of
    :func:`supply_function_eV` (Tsu & Esaki, Appl. Phys. Lett. 22, 562 (1973)); k∥ is conserved
    and the emitter is a parabolic band of mass m*. The integral is the trapezoid rule on the
    given grid (its spacing should stay below k_BT/2).

    Examples
    --------
    A transparent interface (T = 1) carries the Sharvin current density
    (e m*/2π²ħ³)·e²(V·E_F − V²/2) at any temperature (E_F ≫ k_BT):

    >>> import numpy as np
    >>> from scipy.constants import e, hbar, m_e
    >>> E = np.linspace(0.0, 1.5, 30001)                     # eV, spacing 5e-5 < k_BT/2
    >>> J = tsu_esaki(E, np.ones((1, E.size)), [0.01], 10.0, 1.0, 1.0)
    >>> sharvin = e * m_e / (2 * np.pi**2 * hbar**3) * e**2 * (0.01 * 1.0 - 0.01**2 / 2)
    >>> round(float(J[0] / sharvin), 6)
    1.0
    """
    energies = np.asarray(check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV), float)
    if energies.ndim == 1 or (energies.ndim == 2 and energies.shape[0] == 1):
        check_increasing("energies_eV", energies.ravel(), low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    elif energies.ndim == 2:
        for row in energies:
            check_increasing("energies_eV (each row)", row)
    else:
        raise ValueError(f"energies_eV must be 1- or 2-dimensional, got shape {energies.shape}")
    trans = np.asarray(check_array("transmission", transmission, low=0.0), float)
    check_real("emitter_mass", emitter_mass, low=0.0, low_open=True)
    supply = supply_function_eV(energies, fermi_energy_eV, bias_V, temperature_K)
    if trans.shape[-1] != energies.shape[-1]:
        raise ValueError(f"transmission must have {energies.shape[-1]} values per bias (one per "
                         f"energy in energies_eV), got shape {np.shape(transmission)}")
    integral = np.trapezoid(trans * supply, energies, axis=-1)
    prefactor = e * emitter_mass * m_e / (2 * np.pi**2 * hbar**3) * eV**2
    return prefactor * integral


def simmons_current_density(bias_V, height_eV: float, thickness_nm: float,
                            effective_mass: float, beta: float | None = None) -> np.ndarray:
    """Simmons' (1963) current density through a rectangular barrier, A/m².

    Parameters
    ----------
    bias_V : float or array_like
        Bias in V (the result is odd in V).
    height_eV : float
        Barrier height φ0 above the Fermi level, eV (> 0).
    thickness_nm : float
        Barrier thickness s, nm (> 0).
    effective_mass : float
        Tunneling mass m*/m_e (> 0).
    beta : float, optional
        Simmons' correction factor β. Default (``None``) = as Simmons wrote it: β = 1 in the
        intermediate range (eV ≤ φ0, his Eq. 26) and, above it, his Eq. 27 with its printed
        constants 2.2 and 2.96 (which are Eq. 26 at β = 23/24, rounded). A number uses Eq. 26
        with that β at every bias.

    Returns
    -------
    ndarray
        J in A/m², one per bias.

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_V` must be an array of finite numbers >= -10000 and <=
        10000; `height_eV` and `effective_mass` must be >= 0.001 and <= 1000; `thickness_nm`
        must be >= 0.001 and <= 10000; `beta` must be > 0.
    TypeError
        If an argument has the wrong type: `height_eV`, `thickness_nm`, `effective_mass` or
        `beta` are not real numbers; `bias_V` is not an array of real numbers.

    Notes
    -----
    Both equations assume an opaque barrier. Outside it (A φ̄^½ ≲ 2 — a thin or low barrier, or a
    very high field in Eq. 27, where the exponent k falls as 1/F) their braces change sign and
    J ≤ 0 at a positive bias; such a bias is refused (ValueError naming it), never returned.
    Eq. 26: J = J0 {φ̄ exp(−A φ̄^½) − (φ̄ + eV) exp(−A (φ̄ + eV)^½)}, J0 = e/(2πh(βΔs)²),
    A = (4πβΔs/h)(2m*)^½; for eV < φ0: φ̄ = φ0 − eV/2, Δs = s; for eV > φ0: φ̄ = φ0/2,
    Δs = s φ0/eV. Eq. 27 (eV > φ0, F = V/s):
    J = [2.2 e³F²/(8πhφ0)] {exp[−8π(2m*)^½ φ0^{3/2}/(2.96 heF)]
    − (1 + 2eV/φ0) exp[−8π(2m*)^½ φ0^{3/2}(1 + 2eV/φ0)^½/(2.96 heF)]}
    (J. G. Simmons, J. Appl. Phys. 34, 1793 (1963); image force neglected). Energies enter in
    joules. With the default β, J jumps at eV = φ0 where Simmons' β changes from 1 to 23/24
    (by ~exp(A φ̄^½/24): a factor 1.5–3 for nm barriers); Eq. 27 is 0.5–0.7 × Eq. 26 at β = 1.

    Examples
    --------
    >>> j = simmons_current_density([-0.1, 0.1], 1.5, 1.0, 0.5)
    >>> bool(j[1] > 0 and abs(j[0] + j[1]) < 1e-9 * j[1])
    True
    """
    bias = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    phi0 = check_real("height_eV", height_eV, low=MIN_FORMULA_VALUE, high=MAX_ENERGY_EV) * eV
    s = check_real("thickness_nm", thickness_nm, low=MIN_FORMULA_VALUE, high=MAX_LENGTH_NM) * nm
    mass = check_real("effective_mass", effective_mass, low=MIN_FORMULA_VALUE, high=MAX_EFFECTIVE_MASS) * m_e
    as_printed = beta is None
    beta = 1.0 if as_printed else check_real("beta", beta, low=0.0, low_open=True)
    ev = np.abs(bias) * e
    high = ev > phi0
    phibar = np.where(high, phi0 / 2, phi0 - ev / 2)
    ds = np.where(high, s * phi0 / np.maximum(ev, 1e-300), s)
    j0 = e / (2 * np.pi * h * (beta * ds) ** 2)
    a = 4 * np.pi * beta * ds / h * np.sqrt(2 * mass)
    j = j0 * (phibar * np.exp(-a * np.sqrt(phibar)) - (phibar + ev) * np.exp(-a * np.sqrt(phibar + ev)))
    # the sign of the braces, in logarithms (no underflow): Simmons' formulas assume an opaque
    # barrier, and outside it they give J <= 0 at a positive bias
    margin = (np.log(phibar) - a * np.sqrt(phibar)) - (np.log(phibar + ev)
                                                       - a * np.sqrt(phibar + ev))
    if as_printed and np.any(high):
        field = ev[high] / e / s                                   # F = V/s, V/m
        k = 8 * np.pi * np.sqrt(2 * mass) * phi0 ** 1.5 / (2.96 * h * e * field)
        ratio = 1 + 2 * ev[high] / phi0
        j[high] = (2.2 * e ** 3 * field ** 2 / (8 * np.pi * h * phi0)
                   * (np.exp(-k) - ratio * np.exp(-k * np.sqrt(ratio))))
        margin[high] = k * (np.sqrt(ratio) - 1) - np.log(ratio)
    bad = (ev > 0) & ~(margin > 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"simmons_current_density: Simmons' formula needs an opaque barrier and gives J <= 0 "
            f"at bias_V = {bias[i]:g} V for height_eV = {height_eV:g}, thickness_nm = "
            f"{thickness_nm:g}, effective_mass = {effective_mass:g} (2 s sqrt(2 m phi0)/hbar = "
            f"{2 * s * np.sqrt(2 * mass * phi0) / hbar:.3g}; it needs roughly > 2 at low bias "
            f"and fails at high field): use Barrier.current_density (Tsu-Esaki) there")
    return np.sign(bias) * j


def fowler_nordheim_slope(height_eV: float, effective_mass: float) -> float:
    """Slope b of ln(J/F²) = ln a − b/F, in V/m: b = 8π(2m*)^½ φ_B^{3/2}/(3he).

    Parameters
    ----------
    height_eV : float
        Barrier height φ_B above the emitter Fermi level, eV (> 0).
    effective_mass : float
        Tunneling mass m*/m_e (> 0).

    Returns
    -------
    float
        b, V/m.

    Raises
    ------
    ValueError
        If an argument is invalid: `effective_mass` and `height_eV` must be >= 0.001 and <=
        1000.
    TypeError
        If an argument has the wrong type: `effective_mass` or `height_eV` are not real
        numbers.

    Examples
    --------
    >>> f"{fowler_nordheim_slope(3.0, 0.5):.3g}"
    '2.51e+10'
    """
    phi = check_real("height_eV", height_eV, low=MIN_FORMULA_VALUE, high=MAX_ENERGY_EV) * eV
    mass = check_real("effective_mass", effective_mass, low=MIN_FORMULA_VALUE, high=MAX_EFFECTIVE_MASS)
    return float(8 * np.pi * np.sqrt(2 * mass * m_e) * phi**1.5 / (3 * h * e))


def fowler_nordheim_current_density(field_V_per_m, height_eV: float,
                                    effective_mass: float) -> np.ndarray:
    """Fowler–Nordheim current density through a triangular barrier, A/m².

    Parameters
    ----------
    field_V_per_m : float or array_like
        Field in the barrier, V/m (the result is odd in F).
    height_eV : float
        Barrier height φ_B above the emitter Fermi level, eV (> 0).
    effective_mass : float
        Tunneling mass m*/m_e (> 0).

    Returns
    -------
    ndarray
        J in A/m².

    Raises
    ------
    ValueError
        If an argument is invalid: `field_V_per_m` must be an array of finite numbers >= -1e+11
        and <= 1e+11; `height_eV` and `effective_mass` must be >= 0.001 and <= 1000.
    TypeError
        If an argument has the wrong type: `height_eV` or `effective_mass` are not real
        numbers; `field_V_per_m` is not an array of real numbers.

    Notes
    -----
    J = [e³F²/(8πhφ_B)](m_e/m*) exp[−8π(2m*)^½ φ_B^{3/2}/(3heF)] (Lenzlinger & Snow, J. Appl.
    Phys. 40, 278 (1969)); the exponent is the WKB integral of the triangular barrier.

    Examples
    --------
    >>> bool(fowler_nordheim_current_density(1e9, 3.0, 0.5)[0] > 0)
    True
    """
    field = check_array("field_V_per_m", field_V_per_m, low=-MAX_FIELD_V_PER_M, high=MAX_FIELD_V_PER_M)
    phi = check_real("height_eV", height_eV, low=MIN_FORMULA_VALUE, high=MAX_ENERGY_EV)
    mass = check_real("effective_mass", effective_mass, low=MIN_FORMULA_VALUE, high=MAX_EFFECTIVE_MASS)
    f = np.abs(field)
    b = fowler_nordheim_slope(phi, mass)
    with np.errstate(divide="ignore", over="ignore"):
        expo = np.where(f > 0, np.exp(-b / np.where(f > 0, f, 1.0)), 0.0)
    return np.sign(field) * e**3 * f**2 / (8 * np.pi * h * phi * eV * mass) * expo


def fn_plot(bias_V, current_density_A_per_m2, thickness_nm: float):
    """Fowler–Nordheim coordinates (1/F in m/V, ln(|J|/F²)) for the positive, nonzero biases.

    F = V/d (uniform field). In the FN regime the points fall on a line of slope −b
    (:func:`fowler_nordheim_slope`).

    Parameters
    ----------
    bias_V : array_like
        Biases, V.
    current_density_A_per_m2 : array_like
        Current density at each bias, A/m² (same length).
    thickness_nm : float
        Barrier thickness d, nm (> 0; F = V/d).

    Returns
    -------
    x : numpy.ndarray
        1/F, m/V.
    y : numpy.ndarray
        ln(|J|/F²) with J in A/m² and F in V/m.

    Raises
    ------
    ValueError
        The arrays differ in length, or ``thickness_nm`` ≤ 0.
    """
    bias = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    cur = check_array("current_density_A_per_m2", current_density_A_per_m2)
    d = check_real("thickness_nm", thickness_nm, low=MIN_FORMULA_VALUE, high=MAX_LENGTH_NM) * nm
    check_same_length(bias_V=bias, current_density_A_per_m2=cur)
    keep = (bias > 0) & (np.abs(cur) > 0)
    field = bias[keep] / d
    return 1.0 / field, np.log(np.abs(cur[keep]) / field**2)


def transition_voltage(bias_V, current) -> float:
    """Transition voltage V_t: the minimum of ln(|I|/V²) versus 1/V over the positive biases.

    Below V_t, I ∝ V (direct tunneling, ln(I/V²) rises with 1/V); above it the FN form
    ln(I/V²) = c − b/V falls (Beebe et al., Phys. Rev. Lett. 97, 026801 (2006)). The grid minimum
    is refined by a parabola in 1/V through its neighbours.

    Parameters
    ----------
    bias_V : array_like
        Biases, V.
    current : array_like
        Current or current density at each bias (any unit: only ln(|I|/V²) differences matter).

    Returns
    -------
    float
        V_t, V.

    Raises
    ------
    ValueError
        If the minimum lies at the end of the bias range (no transition inside it).

    Examples
    --------
    >>> import numpy as np
    >>> v = np.linspace(0.05, 2.0, 40)
    >>> round(transition_voltage(v, v * np.exp(v)), 2)
    1.0
    """
    bias = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    cur = check_array("current", current)
    check_same_length(bias_V=bias, current=cur)
    keep = (bias > 0) & (np.abs(cur) > 0)
    if np.count_nonzero(keep) < 3:
        raise ValueError(f"bias_V must hold at least 3 positive biases with nonzero current to "
                         f"locate a minimum, got {np.count_nonzero(keep)}")
    u = 1.0 / bias[keep]
    y = np.log(np.abs(cur[keep]) / bias[keep] ** 2)
    order = np.argsort(u)
    u, y = u[order], y[order]
    i = int(np.argmin(y))
    if i == 0 or i == len(y) - 1:
        raise ValueError(f"bias_V range {bias.min():.3g}..{bias.max():.3g} V does not bracket the "
                         f"transition voltage (ln(I/V²) has no interior minimum)")
    c2, c1, _ = np.polyfit(u[i - 1:i + 2], y[i - 1:i + 2], 2)
    return float(1.0 / (-c1 / (2 * c2)))


def fn_fit(bias_V, current_density_A_per_m2, thickness_nm: float, barrier_height_eV: float):
    """Fowler–Nordheim analysis of a J–V curve: FN coordinates, fitted slope, transition voltage.

    Returns ``(x, y, slope, v_t)``: the :func:`fn_plot` coordinates, the least-squares slope of
    y against x (V/m) over the biases eV > 1.2 φ_B (the FN regime; ``nan`` with fewer than 3 such
    points), to compare with −b of :func:`fowler_nordheim_slope`, and the
    :func:`transition_voltage` (``nan`` if the bias range holds no minimum).

    Parameters
    ----------
    bias_V : array_like
        Biases, V.
    current_density_A_per_m2 : array_like
        Current density at each bias, A/m² (same length).
    thickness_nm : float
        Barrier thickness d, nm (> 0; F = V/d).
    barrier_height_eV : float
        Barrier height φ_B, eV (> 0): the FN regime is eV > 1.2 φ_B.

    Returns
    -------
    x : numpy.ndarray
        1/F, m/V.
    y : numpy.ndarray
        ln(|J|/F²).
    slope : float
        Fitted slope in the FN regime, V/m (``nan`` with fewer than 3 points).
    v_t : float
        Transition voltage, V (``nan`` without an interior minimum).

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_V` must be an array of finite numbers >= -10000 and <=
        10000; `current_density_A_per_m2` must be an array of finite numbers;
        `barrier_height_eV` must be > 0 and <= 1000.
    TypeError
        If an argument has the wrong type: `barrier_height_eV` is not a real number; `bias_V`
        or `current_density_A_per_m2` are not arrays of real numbers.

    Examples
    --------
    Exact Fowler–Nordheim current densities give back the slope −b of the FN line:

    >>> import numpy as np
    >>> from qtransport.tight_binding import tunneling
    >>> V = np.linspace(8.0, 16.0, 9)                      # V, all above 1.2 φ_B / e
    >>> J = tunneling.fowler_nordheim_current_density(V / 5e-9, 3.0, 0.5)
    >>> x, y, slope, v_t = fn_fit(V, J, 5.0, 3.0)
    >>> round(slope / -fowler_nordheim_slope(3.0, 0.5), 9)
    1.0
    """
    v = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    j = check_array("current_density_A_per_m2", current_density_A_per_m2)
    phi = check_real("barrier_height_eV", barrier_height_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    x, y = fn_plot(v, j, thickness_nm)
    try:
        vt = transition_voltage(v, j)
    except ValueError:
        vt = float("nan")
    _, slope, _ = _regime_line(v, j, x, y, phi)
    return x, y, slope, vt


def _regime_line(v, j, x, y, phi):
    high = v[(v > 0) & (np.abs(j) > 0)] > FN_REGIME_FACTOR * phi
    if high.sum() < 3:
        return high, float("nan"), float("nan")
    slope, intercept = np.polyfit(x[high], y[high], 1)
    return high, float(slope), float(intercept)


def fn_regime_line(bias_V, current_density_A_per_m2, thickness_nm: float,
                   barrier_height_eV: float):
    """The straight line :func:`fn_fit` fits in the Fowler–Nordheim regime.

    Parameters
    ----------
    bias_V : array_like
        Biases, V.
    current_density_A_per_m2 : array_like
        Current density at each bias, A/m² (same length).
    thickness_nm : float
        Barrier thickness d, nm (> 0; F = V/d).
    barrier_height_eV : float
        Barrier height φ_B, eV (> 0).

    Returns
    -------
    regime : ndarray of bool
        Over the :func:`fn_plot` points: True where eV > :data:`FN_REGIME_FACTOR` · φ_B.
    slope : float
        Least-squares slope of ln(|J|/F²) against 1/F there, V/m (``nan`` with fewer than
        3 points; the same value as :func:`fn_fit`).
    intercept : float
        Its intercept, ln(A m⁻² / (V/m)²) (``nan`` likewise).

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_V` must be an array of finite numbers >= -10000 and <=
        10000; `current_density_A_per_m2` must be an array of finite numbers;
        `barrier_height_eV` must be > 0 and <= 1000.
    TypeError
        If an argument has the wrong type: `barrier_height_eV` is not a real number; `bias_V`
        or `current_density_A_per_m2` are not arrays of real numbers.
    """
    v = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    j = check_array("current_density_A_per_m2", current_density_A_per_m2)
    phi = check_real("barrier_height_eV", barrier_height_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    x, y = fn_plot(v, j, thickness_nm)
    return _regime_line(v, j, x, y, phi)
