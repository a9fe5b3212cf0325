"""Escape from the tilted washboard: Kramers thermal rate, MQT (WKB) rate, switching currents.

The washboard U(φ) = −E_J (cos φ + i φ) has a barrier ΔU = 2E_J(√(1 − i²) − |i| arccos |i|) and
equal well and barrier curvature frequencies ω_a = ω_b = ω_p (1 − i²)^¼. Everything is even in the
bias: at i < 0 the phase escapes downhill towards −2π, the mirror image (φ → −φ) of i > 0. Simulated escape (stochastic
RCSJ ensembles, :mod:`.integrator`) is compared with

* Kramers (moderate-to-strong damping, Kramers, Physica 7, 284 (1940); Hänggi, Talkner & Borkovec,
  Rev. Mod. Phys. 62, 251 (1990), eq. 4.19):
  Γ = (ω_a/2π) (√(1 + α²) − α) exp(−ΔU/k_BT),  α = 1/(2ω_b RC);
* macroscopic quantum tunnelling in the cubic approximation, zero damping (Caldeira & Leggett,
  Ann. Phys. 149, 374 (1983); Martinis, Devoret & Clarke, PRB 35, 4682 (1987)):
  Γ_q = (ω_a/2π) √(864π ΔU/ħω_a) exp(−36ΔU/5ħω_a).

Examples
--------
>>> from qtransport.josephson import Junction, escape
>>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-12, resistance_ohm=50.0)
>>> round(float(escape.barrier_height_J(j, 0.0)[0] / j.josephson_energy_J), 6)
2.0
"""
from __future__ import annotations

import math

import numpy as np

from ..constants import hbar, k_B
from ..errors import check_array, check_int, check_real, check_work
from ..errors import MAX_TEMPERATURE_K
from ..results import Result
from .integrator import MAX_ELEMENTS, MAX_STEPS, TWO_PI, check_steps, integrate, time_step
from .junction import Junction
from .rcsj import reduced_problem

__all__ = ["barrier_height_J", "well_frequency_Hz", "kramers_rate_per_s", "mqt_rate_per_s",
           "escape_rate", "switching_currents", "kramers_switching_distribution"]


def _junction(junction) -> Junction:
    if not isinstance(junction, Junction):
        raise TypeError(f"junction must be a Junction, got {junction!r}")
    return junction


def _reduced_bias(junction: Junction, bias_A, name: str = "bias_A") -> np.ndarray:
    i = check_array(name, bias_A) / _junction(junction).critical_current_A
    if np.any(np.abs(i) >= 1):
        raise ValueError(f"{name} must lie inside (-I_c, I_c) = ±{junction.critical_current_A}, "
                         f"got {np.asarray(bias_A)!r}")
    return i


def barrier_height_J(junction: Junction, bias_A) -> np.ndarray:
    """ΔU = 2E_J (√(1 − i²) − |i| arccos |i|), J (the downhill barrier, even in the bias).

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    bias_A : float or array_like
        Bias current(s), A, inside (−I_c, I_c).

    Returns
    -------
    numpy.ndarray
        ΔU, J.

    Raises
    ------
    TypeError
        ``junction`` is not a Junction.
    ValueError
        A bias outside (−I_c, I_c).

    Examples
    --------
    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> u = barrier_height_J(j, [0.0, 0.9e-6, -0.9e-6])
    >>> bool(u[0] > u[1] > 0 and u[1] == u[2])
    True
    """
    i = np.abs(_reduced_bias(junction, bias_A))
    return 2 * junction.josephson_energy_J * (np.sqrt(1 - i**2) - i * np.arccos(i))


def well_frequency_Hz(junction: Junction, bias_A) -> np.ndarray:
    """Small-oscillation frequency ω_a/2π = f_p (1 − i²)^¼, Hz.

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    bias_A : float or array_like
        Bias current(s), A, inside (−I_c, I_c).

    Returns
    -------
    numpy.ndarray
        Well frequency, Hz.

    Raises
    ------
    TypeError
        ``junction`` is not a Junction.
    ValueError
        A bias outside (−I_c, I_c).

    Examples
    --------
    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> w = well_frequency_Hz(j, [0.0, 0.9e-6])
    >>> bool(w[0] > w[1] > 0)
    True
    """
    i = _reduced_bias(junction, bias_A)
    return junction.plasma_frequency_Hz * (1 - i**2) ** 0.25


def kramers_rate_per_s(junction: Junction, bias_A, temperature_K: float) -> np.ndarray:
    """Kramers thermal escape rate (moderate-to-strong damping), 1/s. See module notes.

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    bias_A : float or array_like
        Bias current(s), A, inside (−I_c, I_c).
    temperature_K : float
        Temperature, K (> 0).

    Returns
    -------
    numpy.ndarray
        Escape rate, 1/s.

    Raises
    ------
    TypeError
        ``junction`` is not a Junction.
    ValueError
        A bias outside (−I_c, I_c).

    Examples
    --------
    The prefactor does not depend on T, so two temperatures recover the Arrhenius factor
    exactly, ln(Γ₁/Γ₂) = −ΔU (1/k_BT₁ − 1/k_BT₂); for weak damping (α → 0) Γ → f_a e^{−ΔU/k_BT}:

    >>> import math
    >>> from qtransport.constants import k_B
    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> g1, g2 = kramers_rate_per_s(j, 0.9e-6, 1.0)[0], kramers_rate_per_s(j, 0.9e-6, 2.0)[0]
    >>> du = barrier_height_J(j, 0.9e-6)[0]                  # J
    >>> bool(abs(math.log(g1 / g2) + du / k_B * (1 / 1.0 - 1 / 2.0)) < 1e-9)
    True
    >>> weak = Junction(critical_current_A=1e-6, capacitance_F=1e-12, resistance_ohm=1e4)
    >>> arrhenius = well_frequency_Hz(weak, 0.9e-6)[0] * math.exp(
    ...     -barrier_height_J(weak, 0.9e-6)[0] / (k_B * 0.1))      # 1/s
    >>> bool(abs(kramers_rate_per_s(weak, 0.9e-6, 0.1)[0] / arrhenius - 1) < 0.01)
    True
    """
    temp = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
    omega = TWO_PI * well_frequency_Hz(junction, bias_A)
    alpha = 1.0 / (2 * omega * junction.resistance_ohm * junction.capacitance_F)
    prefactor = omega / TWO_PI * (np.sqrt(1 + alpha**2) - alpha)
    return prefactor * np.exp(-barrier_height_J(junction, bias_A) / (k_B * temp))


def mqt_rate_per_s(junction: Junction, bias_A) -> np.ndarray:
    """Zero-damping MQT rate in the cubic approximation (Caldeira–Leggett WKB), 1/s.

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    bias_A : float or array_like
        Bias current(s), A, inside (−I_c, I_c).

    Returns
    -------
    numpy.ndarray
        Tunneling rate, 1/s.

    Raises
    ------
    TypeError
        ``junction`` is not a Junction.
    ValueError
        A bias outside (−I_c, I_c).

    Examples
    --------
    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> r = mqt_rate_per_s(j, [0.98e-6, 0.99e-6])
    >>> bool(r[1] > r[0])
    True
    """
    omega = TWO_PI * well_frequency_Hz(junction, bias_A)
    ratio = barrier_height_J(junction, bias_A) / (hbar * omega)
    return omega / TWO_PI * np.sqrt(864 * math.pi * ratio) * np.exp(-36.0 * ratio / 5.0)


def escape_rate(junction: Junction, bias_A: float, temperature_K: float, *,
                realizations: int = 1000, duration_s: float, seed: int = 0,
                steps_per_period: int = 40, max_steps: int = MAX_STEPS,
                max_elements: int = MAX_ELEMENTS) -> Result:
    """Thermal escape rate at fixed bias from a stochastic RCSJ ensemble (censored MLE).

    Every realization starts at rest at the bottom of the well; its escape time is the first
    passage of φ through the next downhill well's bottom (φ₀ + 2π; a negative bias, which
    escapes towards −2π, is integrated as its mirror image |I|, φ → −φ: the same law). With k escapes out of N and total
    observed time Σt (escaped: their time; others: ``duration_s``), Γ = k/Σt with relative
    standard error 1/√k (exponential waiting times). A run of more than ``max_steps`` time
    steps or ``max_elements`` realizations is refused up front (``WorkLimitError``).

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    bias_A : float
        Bias current, A, inside (−I_c, I_c).
    temperature_K : float
        Temperature of the noise, K (> 0).
    duration_s : float
        Observation time of each realization, s (> 0).
    realizations : int, optional
        Ensemble size (≥ 1; ≤ ``max_elements``).
    seed : int, optional
        Seed of the noise (≥ 0).
    steps_per_period : int, optional
        Time steps per plasma period (≥ 4).
    max_steps : int, optional
        Refuse runs of more time steps (``WorkLimitError``).
    max_elements : int, optional
        Refuse more realizations (``WorkLimitError``).

    Returns
    -------
    Result
        ``escape_time_s`` (NaN if not escaped), ``rate_per_s``, ``rate_error_per_s``,
        ``kramers_rate_per_s``.

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_A` must be finite; `realizations` and `max_elements`
        must be >= 1; the estimated size must not exceed `max_elements`
        (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `duration_s` and
        `temperature_K` must be > 0; `seed` must be >= 0; `steps_per_period` must be >= 4.
    TypeError
        If an argument has the wrong type: `bias_A`, `duration_s` or `temperature_K` are not
        real numbers; `realizations`, `seed`, `max_elements` or `steps_per_period` are not
        integers.

    Examples
    --------
    A small ensemble (ΔU ≈ 1.4 k_BT at 0.9 I_c, 1 K) reproduces the Kramers rate within its
    statistical error (1/√200 ≈ 7 %):

    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> r = escape_rate(j, 0.9e-6, 1.0, realizations=200, duration_s=3e-9, seed=1)
    >>> r.escape_time_s.shape
    (200,)
    >>> bool(abs(r.rate_per_s / r.kramers_rate_per_s - 1) < 0.3)
    True
    """
    bias = check_real("bias_A", bias_A)
    _reduced_bias(junction, bias)
    downhill = abs(bias)                     # φ → −φ maps a negative bias onto |I|
    n = check_int("realizations", realizations, low=1)
    check_work("max_elements", n, check_int("max_elements", max_elements, low=1),
               unit="realizations", hint=f"realizations = {n}")
    prob, ref = reduced_problem(junction, np.full(n, downhill), temperature_K=check_real(
        "temperature_K", temperature_K, low=0.0, low_open=True))
    prob.escape_phase = np.asarray(prob.phase0) + TWO_PI
    wc = ref.characteristic_angular_frequency
    h = time_step(prob.mass, bias_max=1.0, steps_per_period=check_int(
        "steps_per_period", steps_per_period, low=4))
    dur = check_real("duration_s", duration_s, low=0.0, low_open=True)
    seed = check_int("seed", seed, low=0)
    n_steps = check_steps(math.ceil(min(dur * wc / h, 1e300)), max_steps, ref,
                          f"duration_s = {dur:g} at a step of {h / wc:.3g} s")
    out = integrate(prob, h, n_steps, rng=np.random.default_rng(seed),
                    stop_when_escaped=True)
    t_esc = out["escape_tau"] / wc
    k = int(np.sum(~np.isnan(t_esc)))
    exposure = float(np.sum(np.where(np.isnan(t_esc), dur, t_esc)))
    rate = k / exposure
    return Result("josephson.escape_rate",
                  {"bias_A": bias, "temperature_K": temperature_K, "realizations": n,
                   "duration_s": dur, "seed": seed},
                  {"escape_time_s": t_esc, "rate_per_s": np.float64(rate),
                   "rate_error_per_s": np.float64(rate / math.sqrt(max(k, 1))),
                   "kramers_rate_per_s": kramers_rate_per_s(junction, bias, temperature_K)[0]},
                  {"escaped": k})


def switching_currents(junction: Junction, ramp_rate_A_per_s: float, temperature_K: float, *,
                       start_A: float, realizations: int = 1000, seed: int = 0,
                       steps_per_period: int = 40, max_steps: int = MAX_STEPS,
                max_elements: int = MAX_ELEMENTS) -> Result:
    """Switching-current samples of a linearly ramped bias I(t) = I_start + İ t (stochastic RCSJ).

    Each realization starts at rest at I_start; its switching current is the bias when φ first
    passes φ₀ + 2π. The ramp ends at I_c + 5 % (remaining realizations are NaN). A ramp of
    more than ``max_steps`` time steps (a ramp rate far too slow) or more than
    ``max_elements`` realizations is refused up front.

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    ramp_rate_A_per_s : float
        Ramp rate İ, A/s (> 0).
    temperature_K : float
        Temperature of the noise, K (> 0).
    start_A : float
        Starting bias, A, inside (−I_c, I_c).
    realizations : int, optional
        Ensemble size (≥ 2; ≤ ``max_elements``).
    seed : int, optional
        Seed of the noise (≥ 0).
    steps_per_period : int, optional
        Time steps per plasma period (≥ 4).
    max_steps : int, optional
        Refuse runs of more time steps (``WorkLimitError``).
    max_elements : int, optional
        Refuse more realizations (``WorkLimitError``).

    Returns
    -------
    Result
        ``switching_current_A`` (realizations,), ``mean_A``, ``std_A``.

    Raises
    ------
    ValueError
        If an argument is invalid: `ramp_rate_A_per_s` and `temperature_K` must be > 0;
        `start_A` must be finite; `realizations` must be >= 2; the estimated size must not
        exceed `max_elements` (:class:`~qtransport.errors.WorkLimitError`, a ValueError);
        `seed` must be >= 0; `max_elements` must be >= 1; `steps_per_period` must be >= 4.
    TypeError
        If an argument has the wrong type: `ramp_rate_A_per_s`, `start_A` or `temperature_K`
        are not real numbers; `realizations`, `seed`, `max_elements` or `steps_per_period` are
        not integers.

    Examples
    --------
    The mean switching current of a slow ramp (20 A/s, 0.3 K) agrees with the Kramers
    (Fulton–Dunkleberger) prediction to within 10 nA (four standard errors of the mean):

    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> s = switching_currents(j, 20.0, 0.3, start_A=0.85e-6, realizations=64, seed=0)
    >>> k = kramers_switching_distribution(j, 20.0, 0.3, start_A=0.85e-6)
    >>> s.switching_current_A.shape
    (64,)
    >>> bool(abs(s.mean_A - k.mean_A) < 1e-8)               # A
    True
    """
    ramp = check_real("ramp_rate_A_per_s", ramp_rate_A_per_s, low=0.0, low_open=True)
    start = check_real("start_A", start_A)
    _reduced_bias(junction, start, "start_A")
    n = check_int("realizations", realizations, low=2)
    check_work("max_elements", n, check_int("max_elements", max_elements, low=1),
               unit="realizations", hint=f"realizations = {n}")
    seed = check_int("seed", seed, low=0)
    prob, ref = reduced_problem(junction, np.full(n, start), temperature_K=check_real(
        "temperature_K", temperature_K, low=0.0, low_open=True))
    wc, ic = ref.characteristic_angular_frequency, ref.critical_current_A
    prob.ramp = ramp / (ic * wc)
    prob.escape_phase = np.asarray(prob.phase0) + TWO_PI
    h = time_step(prob.mass, bias_max=1.05, steps_per_period=check_int(
        "steps_per_period", steps_per_period, low=4))
    n_steps = check_steps(math.ceil(min((1.05 - start / ic) / prob.ramp / h, 1e300)), max_steps,
                          ref, f"ramp from start_A = {start:g} A to 1.05 I_c at "
                          f"ramp_rate_A_per_s = {ramp:g}")
    out = integrate(prob, h, n_steps, rng=np.random.default_rng(seed), stop_when_escaped=True)
    isw = start + ramp * out["escape_tau"] / wc
    return Result("josephson.switching_currents",
                  {"ramp_rate_A_per_s": ramp, "temperature_K": temperature_K, "start_A": start,
                   "realizations": n, "seed": seed},
                  {"switching_current_A": isw, "mean_A": np.float64(np.nanmean(isw)),
                   "std_A": np.float64(np.nanstd(isw, ddof=1))})


def kramers_switching_distribution(junction: Junction, ramp_rate_A_per_s: float,
                                   temperature_K: float, *, start_A: float,
                                   points: int = 4000) -> Result:
    """Switching-current density predicted by the Kramers rate for a linear ramp.

    Parameters
    ----------
    junction : Junction
        The junction (I_c in A, R in Ω, C in F).
    ramp_rate_A_per_s : float
        Ramp rate İ, A/s (> 0).
    temperature_K : float
        Temperature, K (> 0).
    start_A : float
        Starting bias, A, inside (−I_c, I_c).
    points : int, optional
        Current grid points (100–10⁷).

    Returns
    -------
    Result
        ``current_A``, ``density_per_A``, ``mean_A``, ``std_A``.

    Raises
    ------
    ValueError
        If an argument is invalid: `ramp_rate_A_per_s` must be > 0; `temperature_K` must be > 0
        and <= 10000; `start_A` must be finite; `points` must be >= 100 and <= ``10 ** 7``.
    TypeError
        If an argument has the wrong type: `ramp_rate_A_per_s`, `temperature_K` or `start_A`
        are not real numbers; `points` is not an integer.

    Notes
    -----
    P(I) = Γ(I)/İ · exp(−∫_{I_start}^{I} Γ(I')/İ dI') (Fulton & Dunkleberger, PRB 9, 4760 (1974)).

    Examples
    --------
    The density is normalized; cooling moves the distribution towards I_c and narrows it:

    >>> import numpy as np
    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
    >>> hot = kramers_switching_distribution(j, 10.0, 0.3, start_A=0.8e-6)
    >>> cold = kramers_switching_distribution(j, 10.0, 0.1, start_A=0.8e-6)
    >>> bool(abs(np.trapezoid(hot.density_per_A, hot.current_A) - 1) < 1e-9)
    True
    >>> round(float(hot.mean_A / j.critical_current_A), 2)     # ⟨I_sw⟩/I_c at 0.3 K
    0.92
    >>> bool(cold.mean_A > hot.mean_A and cold.std_A < hot.std_A)
    True
    """
    ramp = check_real("ramp_rate_A_per_s", ramp_rate_A_per_s, low=0.0, low_open=True)
    ic = _junction(junction).critical_current_A
    _reduced_bias(junction, check_real("start_A", start_A), "start_A")
    check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
    current = np.linspace(start_A, ic * (1 - 1e-9), check_int(
        "points", points, low=100, high=10**7))
    rate = kramers_rate_per_s(junction, current, temperature_K)
    cum = np.concatenate(([0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(current))))
    density = rate / ramp * np.exp(-cum / ramp)
    norm = np.trapezoid(density, current)
    mean = np.trapezoid(current * density, current) / norm
    std = math.sqrt(np.trapezoid((current - mean) ** 2 * density, current) / norm)
    return Result("josephson.kramers_switching",
                  {"ramp_rate_A_per_s": ramp, "temperature_K": temperature_K, "start_A": start_A},
                  {"current_A": current, "density_per_A": density / norm,
                   "mean_A": np.float64(mean), "std_A": np.float64(std)})
