"""RCSJ dynamics in SI units: time traces, DC I–V curves (with hysteresis), Shapiro steps, slips.

Every function integrates a whole ensemble — bias points × noise realizations × devices — in one
vectorized run of :func:`qtransport.josephson.integrator.integrate` (RK4 without noise, stochastic
Heun with the shunt's Johnson noise). The reduced equation (docs/validation.md):

    β_c φ̈ + φ̇ + sin φ = i + i_ac sin(Ωτ) + i_n,   τ = ω_c t,   ⟨i_n(τ) i_n(τ')⟩ = 2Γ δ(τ − τ'),

with Γ = k_BT/E_J and V = I_c R dφ/dτ = (Φ0/2π) dφ/dt.

Examples
--------
>>> import numpy as np
>>> from qtransport.josephson import Junction, rcsj
>>> j = Junction(critical_current_A=100e-6, capacitance_F=0.5e-12, resistance_ohm=2.0)
>>> iv = rcsj.iv_curve(j, bias_A=np.array([50e-6, 200e-6]), temperature_K=0.0, seed=0)
>>> bool(abs(iv.voltage_V[0]) < 1e-12), round(float(iv.voltage_V[1]) * 1e3, 3)   # V, then mV
(True, 0.378)
"""
from __future__ import annotations

import logging
import math
import warnings
from typing import Sequence

import numpy as np

from ..constants import PHI0, k_B
from ..errors import (AccuracyWarning, check_array, check_bool, check_choice, check_int,
                      check_real, check_work)
from ..errors import MAX_CURRENT_A, MAX_TEMPERATURE_K
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .integrator import (MAX_ELEMENT_STEPS, MAX_ELEMENTS, MAX_STEPS, TWO_PI, LevyPath, Problem,
                         check_numpy_steps, check_steps, integrate, time_step)
from .junction import Junction
from .slips import crossing_rate, one_way_crossings
from .steppers import HEUN_DRIFT_ORDER, HEUN_STRONG_ORDER, RK4_ORDER, stability_polynomial

__all__ = ["simulate", "iv_curve", "iv_curve_model", "shapiro_voltages", "shapiro_step_orders", "reduced_problem",
           "SCHEMES"]

log = logging.getLogger(__name__)

#: scheme name and (pathwise) order by regime
SCHEMES = {"deterministic": ("RK4", RK4_ORDER), "stochastic": ("stochastic Heun", HEUN_STRONG_ORDER)}
#: order p of the error of a DC voltage (a time average), error ≈ C h^p: what the automatic step
#: of :func:`iv_curve` is chosen from (C is calibrated per curve by a Richardson pair)
DC_ORDER = {"deterministic": RK4_ORDER, "stochastic": HEUN_DRIFT_ORDER}
#: the automatic step aims at this fraction of ``rtol`` (margin for C h^p being an estimate)
STEP_SAFETY = 0.5
#: pilot (coarsest) step: the shortest dynamical period (plasma, Josephson, drive) over this
PILOT_STEPS_PER_PERIOD = 6
#: an automatic averaging window holds this many (estimated) Josephson periods of its slowest
#: point: ≥ 3 crossings, two whole periods — the first checked against the average
WINDOW_PERIODS = 3.2
#: whole iv_curve work (pilot ladder, main run, window checks) over one settling + averaging run
#: at the first step: measured 5.1-5.8 (work_steps attr) from β_c = 1e-6 to 12, for the up-front
#: estimate with numba off (:func:`~.integrator.check_numpy_steps`)
RUN_WORK_FACTOR = 5
#: default most recorded samples (time × ensemble) of :func:`simulate` (``max_samples=``)
MAX_SAMPLES = 5 * 10**7


def _junctions(junction) -> tuple[Junction, list[Junction] | None]:
    if isinstance(junction, Junction):
        return junction, None
    devices = list(junction) if isinstance(junction, Sequence) else None
    if not devices or not all(isinstance(d, Junction) for d in devices):
        raise TypeError(f"junction must be a Junction or a non-empty sequence of Junctions, got "
                        f"{junction!r}")
    return devices[0], devices


def reduced_problem(junction, bias_A, *, temperature_K: float = 0.0, ac_amplitude_A: float = 0.0,
                    ac_frequency_Hz: float = 0.0, realizations: int | None = None,
                    initial: str = "static",
                    max_elements: int = MAX_ELEMENTS) -> tuple[Problem, Junction]:
    """Build the reduced :class:`~.integrator.Problem` of an ensemble and its reference junction.

    The ensemble shape is ``(n_devices,)`` if ``junction`` is a sequence, then
    ``(realizations,)`` if given, then ``bias_A.shape``. ``initial`` is ``"static"`` (at rest in
    the well, φ = arcsin i; the branch an upward sweep arrives on) or ``"running"`` (at the
    barrier top φ = π − arcsin i with φ̇ = i/g, above the running orbit's energy there, so it
    relaxes onto the running branch wherever that exists — where a downward sweep arrives).
    An ensemble of more than ``max_elements`` junctions is refused up front (``WorkLimitError``):
    the integrator keeps ~10 float64 arrays of that size.

    Parameters
    ----------
    junction : Junction or sequence of Junction
        The junction, or a device ensemble (the first is the reference).
    bias_A : array_like
        Bias currents, A.
    temperature_K : float, optional
        Shunt temperature, K (≥ 0; > 0 adds Johnson noise).
    ac_amplitude_A : float, optional
        Microwave drive amplitude, A (≥ 0).
    ac_frequency_Hz : float, optional
        Drive frequency, Hz (> 0 when ``ac_amplitude_A`` > 0).
    realizations : int, optional
        Noise realizations (≥ 1).
    initial : {"static", "running"}, optional
        Initial state.
    max_elements : int, optional
        Refuse larger ensembles.

    Returns
    -------
    problem : Problem
        The reduced problem (currents in units of the reference I_c, time in 1/ω_c).
    reference : Junction
        The reference junction.

    Raises
    ------
    TypeError
        ``junction`` is not a Junction or a non-empty sequence of them.
    ValueError
        A bad argument or too many elements (``WorkLimitError``).
    """
    ref, devices = _junctions(junction)
    bias = check_array("bias_A", bias_A, low=-MAX_CURRENT_A, high=MAX_CURRENT_A)
    temp = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    iac = check_real("ac_amplitude_A", ac_amplitude_A, low=0.0)
    fac = check_real("ac_frequency_Hz", ac_frequency_Hz, low=0.0)
    if iac > 0 and fac == 0:
        raise ValueError(f"ac_frequency_Hz must be > 0 when ac_amplitude_A = {iac} > 0 (a drive "
                         f"I_ac sin(2π f t) at f = 0 vanishes), got {fac}")
    check_choice("initial", initial, ("static", "running"))
    lead: tuple = ()
    if devices is not None:
        lead += (len(devices),)
    if realizations is not None:
        lead += (check_int("realizations", realizations, low=1),)
    shape = lead + bias.shape
    check_work("max_elements", float(np.prod(shape, dtype=float)),
               check_int("max_elements", max_elements, low=1), unit="ensemble elements",
               hint=f"ensemble shape {shape} (devices × realizations × biases)")
    expand = (slice(None),) + (None,) * (len(shape) - 1)

    def per_device(values):
        return 1.0 if devices is None else np.asarray(values)[expand]
    ic0, r0, c0 = ref.critical_current_A, ref.resistance_ohm, ref.capacitance_F
    a = per_device([d.critical_current_A / ic0 for d in devices or []])
    g = per_device([r0 / d.resistance_ohm for d in devices or []])
    m = ref.stewart_mccumber * per_device([d.capacitance_F / c0 for d in devices or []])
    i = np.broadcast_to(bias / ic0, shape)
    gamma = k_B * temp / ref.josephson_energy_J
    if initial == "static":
        phase0, vel0 = np.arcsin(np.clip(i / a, -1.0, 1.0)), 0.0
    else:   # at the barrier top moving at the running-branch speed: converges from above
        phase0, vel0 = math.pi - np.arcsin(np.clip(i / a, -1.0, 1.0)), i / g
    prob = Problem(shape=shape, mass=m, damping=g, amplitude=a, bias=i,
                   ac_amplitude=iac / ic0, ac_omega=TWO_PI * fac / ref.characteristic_angular_frequency,
                   noise=np.sqrt(2.0 * gamma * np.asarray(g)), phase0=phase0, velocity0=vel0)
    return prob, ref


def _step(prob: Problem, steps_per_period: int) -> float:
    imax = float(np.max(np.abs(prob.bias)) + np.max(prob.ac_amplitude))
    return time_step(prob.mass, prob.damping, prob.amplitude, imax, prob.ac_omega,
                     steps_per_period)


class _Work:
    """Count of the time steps (and steps × ensemble elements) of every integration of a call."""

    def __init__(self):
        self.steps = 0
        self.element_steps = 0

    def add(self, n_steps: int, size: int) -> None:
        self.steps += int(n_steps)
        self.element_steps += int(n_steps) * int(size)


def _extremes(prob: Problem) -> tuple[float, float, float]:
    """(smallest mass, largest damping, largest amplitude) of the ensemble: the stiffest mode."""
    return (float(np.min(prob.mass)), float(np.max(prob.damping)),
            float(np.max(prob.amplitude)))


def _stable_step(prob: Problem) -> float:
    """90 % of the largest step at which the scheme is linearly stable on every mode.

    The linearized motion m δφ̈ + g δφ̇ + a cos φ δφ = 0 has eigenvalues
    λ = (−g ± √(g² − 4ma cos φ))/(2m); the stiffest are those of cos φ = 0 (λ = −g/m, the RC
    relaxation: it limits overdamped junctions) and cos φ = 1 (the plasma oscillation damped at
    g/2m). Explicit RK4 and Heun are stable where |R(λh)| ≤ 1 (R: the stability polynomial).
    """
    m, g, a = _extremes(prob)
    root = np.sqrt(complex(g * g - 4 * m * a))
    lams = np.array([-g / m, (-g + root) / (2 * m), (-g - root) / (2 * m)])
    lams = lams[np.abs(lams) > 0]
    scheme = "Heun" if prob.stochastic else "RK4"
    h_hi = 4.0 / float(np.max(np.abs(lams)))          # both regions lie inside |z| < 3
    hs = h_hi * np.linspace(1e-3, 1.0, 500)            # 0.2 % resolution, below the 10 % margin
    amp = np.abs(stability_polynomial(scheme, np.outer(hs, lams))).max(axis=1)
    bad = np.flatnonzero(amp > 1.0 + 1e-12)
    return 0.9 * float(hs[bad[0] - 1] if bad.size and bad[0] > 0 else hs[-1])


def _dynamic_period(prob: Problem) -> float:
    """Shortest non-stiff period (reduced): plasma 2π√(m/a), Josephson 2πg/i_max, drive 2π/Ω."""
    m, _, a = _extremes(prob)
    imax = float(np.max(np.abs(prob.bias)) + np.max(prob.ac_amplitude))
    periods = [TWO_PI * math.sqrt(m / a),
               TWO_PI * float(np.min(prob.damping)) / max(imax, float(np.max(prob.amplitude)))]
    if prob.ac_omega:
        periods.append(TWO_PI / prob.ac_omega)
    return min(periods)


def _josephson_periods(prob: Problem, running_start: bool) -> np.ndarray:
    """Estimated Josephson period of every element (flat; inf where it stays superconducting).

    Overdamped estimate 2πg/√(i² − a²) above a (an upper bound: capacitance speeds the orbit
    up); an element started on the running branch below a is given 2πg/|i| (it may retrap).
    """
    i = np.abs(np.broadcast_to(prob.bias, prob.shape)).ravel()
    a = np.broadcast_to(prob.amplitude, prob.shape).ravel()
    g = np.broadcast_to(prob.damping, prob.shape).ravel()
    excess = np.sqrt(np.maximum(i * i - a * a, 0.0))
    speed = np.where(i > a, excess, i if running_start else 0.0) / g
    with np.errstate(divide="ignore"):
        return np.where(speed > 0, TWO_PI / np.where(speed > 0, speed, 1.0), np.inf)


#: cost of one element in a time step relative to the fixed cost of the step (numpy call
#: overhead): measured ~0.035 µs per element against ~15 µs per RK4 step
ELEMENT_COST = 1.0 / 400


def _cheapest_window(need: np.ndarray, settle: float, size: int) -> float:
    """Half window A minimizing the estimated cost of the main run plus window doublings.

    Points needing more than A (``need`` per running point) are rerun as a subset with the half
    window doubled until it covers them (:func:`_converged_average`); a step costs
    1 + ELEMENT_COST·(elements). Candidates: the needs at 64 quantiles.
    """
    cand = np.unique(np.quantile(need, np.linspace(0.0, 1.0, 64)))
    rounds = np.maximum(0.0, np.ceil(np.log2(float(need.max()) / cand) - 1e-12))
    n_sub = need.size - np.searchsorted(np.sort(need), cand, side="right")
    # main run, then rounds k = 1 … R of the slower subset at half window a·2^k:
    # Σ_k (settle + 2a·2^k) = R·settle + 2a(2^(R+1) − 2)
    cost = (settle + 2 * cand) * (1 + ELEMENT_COST * size) \
        + (rounds * settle + 2 * cand * (2.0 ** (rounds + 1) - 2)) * (1 + ELEMENT_COST * n_sub)
    return float(cand[int(np.argmin(cost))])


def _auto_settle(prob: Problem, rtol: float) -> float:
    """Settling time (reduced) of an up sweep from ``rtol`` (:func:`_auto_windows`)."""
    relax = float(np.max(np.asarray(prob.mass) / np.asarray(prob.damping)))
    # an up sweep starts the zero-voltage points at rest in their well (no transient there), so
    # only the running orbit's rate g/m matters: the start (v = 0) is ~|i|/g from the orbit
    imax = float(np.max(np.abs(prob.bias) / np.asarray(prob.damping)))
    return relax * (math.log(max(imax, 1.0) / max(rtol, 1e-16)) + 3.0)


def _auto_windows(prob: Problem, rtol: float, periods: np.ndarray, settle_s, average_s,
                  wc: float, running_start: bool = False) -> tuple[float, float]:
    """Settling time and half averaging window (reduced) of a deterministic undriven sweep.

    Settling: the distance to the attractor decays as exp(−gτ/m) on the running orbit (the
    divergence of the flow is −g/m everywhere and one Floquet multiplier is 1); the start (at
    rest, φ = arcsin i) is ≲ |i|/g from it, so (m/g)(ln(|i|_max/g/rtol) + 3) leaves a residue
    ≪ rtol, after leaving the bottleneck at φ = π/2 (half an overdamped period, added).
    Points below I_c start exactly at their equilibrium. Averaging: the DC
    voltage is a 2π-crossing rate, exact on a periodic orbit once settled, so the window only
    needs ≥ 3 crossings (two whole periods, the first checked against their average):
    WINDOW_PERIODS estimated periods of the slowest running element — or shorter, when
    rerunning the few slower elements near I_c with a doubled window (:func:`_converged_average`)
    costs less than a longer window for all (:func:`_cheapest_window`). The half window is
    returned (the run spans twice it, as for the W-vs-2W check elsewhere).

    A down sweep (``running_start``) starts every point at the barrier top with φ̇ = i/g: a
    point below I_c then crawls through the bottleneck of the next well, for up to
    gπ/√(2a(a − |i|)), before it retraps or joins its running orbit; that time is added too.
    """
    settle = _auto_settle(prob, rtol)
    if running_start:
        i = np.abs(np.broadcast_to(prob.bias, prob.shape)).ravel()
        a = np.broadcast_to(prob.amplitude, prob.shape).ravel()
        g = np.broadcast_to(prob.damping, prob.shape).ravel()
        below = (i < a) & (a > 0)
        if np.any(below):
            # (a − |i| floored at 1e-6 a: a point that close to I_c is at the bifurcation,
            # where no finite run decides the branch; it bounds the crawl at ~2200 g)
            gap = np.maximum(a[below] - i[below], 1e-6 * a[below])
            crawl = g[below] * math.pi / np.sqrt(2 * a[below] * gap)
            settle += float(crawl.max())
    finite = periods[np.isfinite(periods)]
    if finite.size:
        # a running point starts at rest at φ = π/2, the bottleneck of the washboard just above
        # I_c: it needs up to g π/√(2a(i − a)) — half the overdamped period, an upper bound with
        # inertia — to leave it before the relaxation onto the orbit starts (β_c = 8 at
        # i = 1.0005: ~100 ω_c⁻¹ against a relaxation settling time of 80)
        settle += 0.5 * float(finite.max())
    average = math.pi                            # half window: the run spans twice this
    if finite.size:
        average = max(average, _cheapest_window(0.5 * WINDOW_PERIODS * finite, settle,
                                                int(np.prod(prob.shape))))
    if settle_s is not None:
        settle = check_real("settle_s", settle_s, low=0.0) * wc
    if average_s is not None:
        average = check_real("average_s", average_s, low=0.0, low_open=True) * wc
    return settle, average


def _pilot_subset(prob: Problem, periods: np.ndarray) -> np.ndarray:
    """≤ 8 flat element indices for the step calibration.

    Noisy or driven ensembles: spread over all elements. Otherwise the running elements only
    (a junction at rest has no step error), spread over the faster half by |i|/a — the step error
    grows with the bias (measured at β_c = 0.06 and 0.6) and the slow ones near I_c would make
    the pilot window long — plus the fastest.
    """
    size = int(np.prod(prob.shape))
    if prob.stochastic or prob.ac_omega:
        return np.unique(np.linspace(0, size - 1, min(8, size)).round().astype(int))
    running = np.flatnonzero(np.isfinite(periods))
    if running.size == 0:
        return running
    ranked = running[np.argsort(periods[running])]          # fastest first
    top = ranked[:max(1, math.ceil(ranked.size / 2))]
    pick = np.unique(np.linspace(0, top.size - 1, min(8, top.size)).round().astype(int))
    return np.sort(top[pick])


def _pilot_step(prob: Problem) -> float:
    """Coarsest step tried: min(stability limit, shortest non-stiff period / PILOT_STEPS_PER_PERIOD)."""
    return min(_stable_step(prob), _dynamic_period(prob) / PILOT_STEPS_PER_PERIOD)


def _auto_step(prob: Problem, settle: float, average: float, periods: np.ndarray, seed: int,
               rtol: float, work: _Work, max_steps: int = MAX_STEPS, ref=None,
               h_c: float | None = None) -> tuple[float, float, float]:
    """Time step from the accuracy asked for: the DC-voltage error model e(h) = C h^p.

    p is the order of the stepper for a time average (:data:`DC_ORDER`); C is calibrated per curve
    on ≤ 8 elements (:func:`_pilot_subset`) by DC voltages on a step ladder h_k = h_c/r^k (r = √2,
    with noise 2) over the same settling time, window and Brownian path (with noise a
    :class:`~.integrator.LevyPath`). The finest pair is the Richardson pair: e(h_K) ≈ |v(h_{K−1}) − v(h_K)|/(r^p − 1); it is trusted once the pair above
    it shrinks at least r^(p−1)-fold (else one more level, down to h_c/16), and a first pair that
    already puts h_c within the target ends the ladder. The coarser levels' errors are measured,
    |v(h_k) − v(h_K)| + e(h_K). The step is the largest with e ≤ STEP_SAFETY·rtol: from C h^p
    below the finest level, by log–log interpolation between the bracketing levels above it
    (near the stability limit the error is not yet ∝ h^p, so it is not extrapolated there), never
    above h_c = min(stability limit, shortest non-stiff period / PILOT_STEPS_PER_PERIOD).

    Returns (h, estimated DC error at h in units of I_cR, pilot step h_c).
    """
    p = DC_ORDER["stochastic" if prob.stochastic else "deterministic"]
    h_c = _pilot_step(prob) if h_c is None else h_c
    # the pilot compares steps on one orbit: a transient left at its start is common to every
    # level (its own step error is that residue × C h^p), so a third of the settling suffices
    settle = settle / 3
    flat = _pilot_subset(prob, periods)
    if flat.size == 0:                         # every junction at rest: no step error to resolve
        return h_c, 0.0, h_c
    sub = prob.subset(flat)
    if prob.ac_omega:
        window = average
    elif prob.stochastic:
        # elements below I_c have no deterministic period (inf): with noise they still slip,
        # and a pilot of subcritical points only (phase diffusion) keeps the quarter window
        running = periods[flat][np.isfinite(periods[flat])]
        window = max(average / 4, WINDOW_PERIODS * float(np.min(running, initial=0.0)))
    else:
        window = WINDOW_PERIODS * float(np.max(periods[flat]))
    # ladder ratio: √2 without noise (cheaper levels); 2 with noise, where every level follows
    # one Brownian path, refined by midpoints level by level (LevyPath: one normal per step)
    ratio, max_levels = (2.0, 5) if prob.stochastic else (math.sqrt(2.0), 9)
    levels = []
    spent = 0.0                                # the ladder's steps so far: one budget for all
    for k in range(max_levels):
        h_k = h_c / ratio**k
        n_k = spent + (settle + window) / h_k
        if k >= 2 and n_k > max_steps:        # the budget ends the ladder (≥ 2 levels done)
            break
        check_steps(n_k, max_steps, ref, f"step calibration up to the run at {h_k:.3g} "
                    f"(reduced units)")
        spent = n_k
        levels.append(_dc_velocity(sub, h_k, settle, window,
                                   LevyPath(seed, k) if prob.stochastic else None, work=work,
                                   noisy_crossings=False))
        if k == 1 and (np.max(np.abs(levels[0] - levels[1])) * ratio**p / (ratio**p - 1)
                       <= STEP_SAFETY * rtol):
            break                              # h_c itself is measured to be accurate enough
        if k < 2:
            continue
        d_last = float(np.max(np.abs(levels[-2] - levels[-1])))
        d_prev = float(np.max(np.abs(levels[-3] - levels[-2])))
        if d_last < 1e-13 or d_prev >= ratio ** (p - 1) * d_last:
            break
    finest = len(levels) - 1
    e_fine = float(np.max(np.abs(levels[-2] - levels[-1]))) / (ratio**p - 1)
    errors = np.array([float(np.max(np.abs(v - levels[-1]))) + e_fine for v in levels])
    steps = h_c / ratio ** np.arange(len(levels))
    target = STEP_SAFETY * rtol
    if e_fine > target:                        # finer than every level: C h^p, asymptotic there
        h = steps[finest] * (target / e_fine) ** (1.0 / p)
        return h, target, h_c
    ok = np.flatnonzero(errors <= target)
    k = int(ok[0])                             # coarsest level within the target
    if k == 0:
        return h_c, float(errors[0]), h_c
    lo, hi = errors[k], errors[k - 1]          # e(h_k) ≤ target < e(h_{k−1})
    frac = 1.0 if lo <= 0 else math.log(target / lo) / math.log(hi / lo)
    return float(steps[k] * ratio ** frac), target, h_c


def simulate(junction, bias_A, duration_s: float = 1e-9, temperature_K: float = 0.0,
             ac_amplitude_A: float = 0.0, ac_frequency_Hz: float = 0.0, seed: int = 0, *,
             realizations: int | None = None, initial: str = "static",
             steps_per_period: int = 40, record_every: int = 1, max_steps: int = MAX_STEPS,
             max_samples: int = MAX_SAMPLES, max_elements: int = MAX_ELEMENTS) -> Result:
    """Time traces φ(t), V(t) of an ensemble of current-biased junctions.

    Parameters
    ----------
    junction : Junction or sequence of Junction
        One junction, or a device ensemble (a leading device axis).
    bias_A : float or array_like
        DC bias current(s), A; one junction per element.
    duration_s : float
        Simulated time, s (> 0).
    temperature_K : float
        Shunt temperature for Johnson noise, K (0 = deterministic RK4).
    ac_amplitude_A, ac_frequency_Hz : float
        Microwave drive I_ac sin(2π f t).
    seed : int
        Seed of the noise generator.
    realizations : int, optional
        Number of noise realizations (adds an axis after the device axis).
    initial : {"static", "running"}
        Initial state (see :func:`reduced_problem`).
    steps_per_period : int
        Steps per shortest period (plasma, RC, Josephson, drive).
    record_every : int
        Keep every n-th step.
    max_steps : int
        Refuse (``WorkLimitError``) a run of more than this many time steps, before starting.
    max_samples : int
        Refuse a run recording more than this many (time × ensemble) samples (16 bytes each).
    max_elements : int
        Refuse an ensemble of more junctions than this (see :func:`reduced_problem`).

    Returns
    -------
    Result
        ``time_s`` (n_t,), ``phase`` and ``voltage_V`` (ensemble shape + (n_t,)), ``bias_A``.

    Raises
    ------
    ValueError
        If an argument is invalid: `duration_s` must be > 0; `steps_per_period` must be >= 4;
        `record_every` and `max_samples` must be >= 1; the estimated size must not exceed
        `max_samples` (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `seed` must
        be >= 0.
    TypeError
        If an argument has the wrong type: `duration_s` is not a real number;
        `steps_per_period`, `record_every`, `max_samples` or `seed` are not integers.

    Notes
    -----
    V = I_c R dφ/dτ. Small oscillations ring at ω_p (1 − i²)^¼ (tested).

    Examples
    --------
    A junction biased at 2 I_c slips its phase by 2π per flux quantum passed (∫V dt = Φ0):

    >>> import numpy as np
    >>> import qtransport as qt
    >>> from qtransport import josephson
    >>> j = josephson.Junction(critical_current_A=100e-6, capacitance_F=0.01e-12,
    ...                        resistance_ohm=2.0)
    >>> tr = josephson.rcsj.simulate(j, bias_A=200e-6, duration_s=0.2e-9)
    >>> slips = (tr.phase[-1] - tr.phase[0]) / (2 * np.pi)
    >>> flux = np.trapezoid(tr.voltage_V, tr.time_s) / qt.PHI0
    >>> bool(abs(slips - flux) < 1e-3)
    True
    """
    prob, ref = reduced_problem(junction, bias_A, temperature_K=temperature_K,
                                ac_amplitude_A=ac_amplitude_A, ac_frequency_Hz=ac_frequency_Hz,
                                realizations=realizations, initial=initial,
                                max_elements=max_elements)
    dur = check_real("duration_s", duration_s, low=0.0, low_open=True)
    spp = check_int("steps_per_period", steps_per_period, low=4)
    every = check_int("record_every", record_every, low=1)
    h = _step(prob, spp)
    wc = ref.characteristic_angular_frequency
    n_steps = max(1, math.ceil(min(dur * wc / h, 1e300)))
    check_steps(n_steps, max_steps, ref, f"duration_s = {dur:g} at a step of {h / wc:.3g} s")
    size = int(np.prod(prob.shape))
    check_work("max_samples", (n_steps // every + 2) * size,
               check_int("max_samples", max_samples, low=1), unit="samples",
               hint=f"{n_steps // every + 2} recorded times × {size} ensemble elements")
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    out = integrate(prob, h, n_steps, rng=rng, record_every=every)
    lead = prob.shape[:len(prob.shape) - max(1, np.ndim(bias_A))]
    shape = lead + np.shape(bias_A)                   # a scalar bias has no bias axis
    n_t = out["rec_tau"].size
    scheme = SCHEMES["stochastic" if prob.stochastic else "deterministic"][0]
    return Result("josephson.trace",
                  {"bias_A": np.asarray(bias_A, float), "duration_s": dur,
                   "temperature_K": temperature_K, "ac_amplitude_A": ac_amplitude_A,
                   "ac_frequency_Hz": ac_frequency_Hz, "seed": seed},
                  {"time_s": out["rec_tau"] / wc,
                   "phase": np.moveaxis(out["rec_phase"], 0, -1).reshape(shape + (n_t,)),
                   "voltage_V": (np.moveaxis(out["rec_velocity"], 0, -1).reshape(shape + (n_t,))
                                 * ref.characteristic_voltage_V),
                   "bias_A": np.asarray(bias_A, float)},
                  {"scheme": scheme, "step_s": h / wc,
                   "resistance_ohm": ref.resistance_ohm})


def _windows(prob: Problem, settle_s, average_s, wc: float) -> tuple[float, float]:
    m_over_g = float(np.max(np.asarray(prob.mass) / np.asarray(prob.damping)))
    settle = TWO_PI * max(10.0, 5.0 * m_over_g, 10.0 * math.sqrt(float(np.max(prob.mass))))
    average = TWO_PI * max(40.0, 10.0 * math.sqrt(float(np.max(prob.mass))))
    if settle_s is not None:
        settle = check_real("settle_s", settle_s, low=0.0) * wc
    if average_s is not None:
        average = check_real("average_s", average_s, low=0.0, low_open=True) * wc
    if prob.ac_omega:   # whole drive periods: exact averages on phase-locked steps
        period = TWO_PI / prob.ac_omega
        average = max(1, round(average / period)) * period
    return settle, average


def _velocity_from(out: dict, phase_key: str, tau_key: str, prefix: str, periodic_ok: bool,
                   bump_key: str | None = None):
    """Mean φ̇ over [settled, key]: 2π-crossing rate on periodic orbits, else the bump-weighted
    (Birkhoff) average when computed, else Δφ/Δτ."""
    window = out[tau_key] - out["tau_settled"]
    mean = out[bump_key] if bump_key in out else (out[phase_key] - out["phase_settled"]) / window
    if not periodic_ok:
        return mean
    rate, periodic = crossing_rate(out, prefix, TWO_PI)
    return np.where(periodic, rate, mean)


def _dc_velocity(prob: Problem, h: float, settle: float, average: float, rng, substeps=1,
                 halves: bool = False, work: _Work | None = None, one_period: bool = False,
                 noisy_crossings: bool = True):
    """Time-averaged φ̇ of every element after settling (reduced units).

    With ``halves`` the run spans 2 × ``average`` and returns (v over the doubled window,
    v over its first half): the window-convergence check of the average. With ``one_period``
    too, elements whose whole window is periodic are checked instead against their first period
    alone, 2π/(t₂ − t₁), its difference from the average weighed by 1/(periods averaged): on a
    settled orbit every period is the same, so this needs only ≥ 3 crossings in the whole
    window, not in each half; a transient left at the start shows in the first period.
    ``noisy_crossings=False`` reads noisy runs as Δφ/Δτ (no crossing bookkeeping): for the step
    calibration, whose levels share the start and the Brownian path, so the edge term cancels
    in their differences.
    """
    n_settle = round(settle / h)
    n_avg = max(1, round(average / h))
    n_total = n_settle + (2 * n_avg if halves else n_avg)
    # a drive makes the orbit (quasi-)periodic but not 2π-periodic in φ: bump-weighted average
    bump = bool(prob.ac_omega) and not prob.stochastic
    # 2π crossings are read on undriven orbits, noisy ones included: Δφ/Δτ over a window that
    # does not hold whole periods is off by (ψ(end) − ψ(start))/window, ψ the orbit's periodic
    # part. With noise the end is dephased but the start is not (every realization leaves the
    # same initial state and the settling is short), so the plain mean of weak noise kept a
    # systematic ~1 rad/window error (2.6e-3 I_cR at β_c = 0.061, 4.2 K, 100 µA: above rtol).
    # The first-to-last crossing rate of one-way elements has no such edge term; elements that
    # crossed both ways (noise-activated slips back and forth) keep Δφ/Δτ. Driven orbits are
    # not 2π-periodic in φ: there the bump-weighted average, or Δφ/Δτ with noise.
    periodic_ok = not prob.ac_omega and (noisy_crossings or not prob.stochastic)
    out = integrate(prob, h, n_total, rng=rng, settle_steps=n_settle, substeps=substeps,
                    checkpoint_steps=n_settle + n_avg if halves else 0, bump_average=bump,
                    crossings=periodic_ok)
    if work is not None:
        work.add(n_total, np.prod(prob.shape))
    v = _velocity_from(out, "phase", "tau_end", "cross_", periodic_ok, "bump_velocity")
    if not halves:
        return v
    check = _velocity_from(out, "phase_checkpoint", "tau_checkpoint", "checkpoint_cross_",
                           periodic_ok, "checkpoint_bump_velocity")
    if one_period and periodic_ok:
        n, sign = one_way_crossings(out["cross_forward"], out["cross_backward"])
        period = out["cross_second"] - out["cross_first"]
        periodic = (n >= 3) & (period > 0)
        first = sign * TWO_PI / np.where(periodic, period, 1.0)
        # a transient (or the crossing-time error of the step) shifts the first period; in the
        # average over n − 1 periods the same shift weighs 1/(n − 1). A transient left on the
        # running orbit decays by q = e^{−gT/m} per period T (the divergence of the flow), so
        # the periods after the first carry δ q, δ q², …: the average is off by
        # δ/((1 − q)(n − 1)), not δ/(n − 1) (e.g. β_c = 8 at i = 1.0005: q ≈ 0.5, the escape
        # from the bottleneck near φ = π/2 outlasting the settling time)
        rate = np.broadcast_to(np.asarray(prob.damping) / np.asarray(prob.mass), np.shape(v))
        with np.errstate(over="ignore"):
            q = np.exp(-rate * np.where(periodic, np.abs(period), np.inf))
        check = np.where(periodic, v + (first - v) / ((1.0 - q) * np.maximum(n - 1, 1)), check)
        # running but fewer than 3 crossings: Δφ/Δτ over a window of ~1 period is off by up to a
        # period's share, and its half-window value may agree by chance — never converged
        short = (n >= 1) & (n < 3)
        check = np.where(short, np.inf, check)
    return v, check


#: the averaging window is doubled at most this often (×64) before warning
MAX_WINDOW_DOUBLINGS = 6


def _converged_average(prob: Problem, h: float, settle: float, average: float, rng_seed: int,
                       rtol: float, max_steps: int, ref, work: _Work | None = None,
                       one_period: bool = False) -> tuple[np.ndarray, np.ndarray, float]:
    """DC velocity whose averaging window is converged: v(2W) vs v(W) per element, doubling W
    (for the elements that need it) until |v(2W) − v(W)| ≤ rtol or the step budget is spent.

    Returns (v, window error estimate per element, the longest window used). With a drive
    the averages are bump-weighted (Birkhoff) averages, which converge faster than any power of
    W on locked and quasi-periodic orbits, so |v(2W) − v(W)| ≈ error of v(W) ≫ error of v(2W):
    the estimate is conservative. Undriven deterministic points use 2π-crossing rates (exact on
    periodic orbits), noisy points the plain average (estimate = statistical, no doubling).
    ``one_period``: periodic points are checked against their first period (:func:`_dc_velocity`).
    """
    v, v_half = _dc_velocity(prob, h, settle, average, np.random.default_rng(rng_seed),
                             halves=True, work=work, one_period=one_period)
    v, err = v.ravel().copy(), np.abs(v - v_half).ravel()
    window = 2 * average
    deterministic = not prob.stochastic
    doublings = 0
    while (deterministic and np.any(err > rtol) and doublings < MAX_WINDOW_DOUBLINGS
           and (settle + 2 * window) / h <= max_steps):
        doublings += 1
        bad = np.flatnonzero(err > rtol)
        sub = prob.subset(bad)
        vb, vb_half = _dc_velocity(sub, h, settle, window, np.random.default_rng(rng_seed),
                                   halves=True, work=work, one_period=one_period)
        v[bad], err[bad] = vb, np.abs(vb - vb_half)
        window *= 2
    if deterministic and np.any(err > rtol):
        warnings.warn(AccuracyWarning(
            f"RCSJ averaging window not converged: the DC voltage changes by {err.max():.3g} "
            f"I_cR when the window is doubled to {window / ref.characteristic_angular_frequency:.3g}"
            f" s (rtol {rtol:.3g}); raise average_s (or max_steps)"), stacklevel=3)
    return v.reshape(prob.shape), err.reshape(prob.shape), window


def _convergence(prob: Problem, h, settle, average, seed, rtol, work: _Work | None = None
                 ) -> float:
    """Time-step error estimate: ≤ 8 elements rerun at h and 2h over the same window and noise."""
    size = int(np.prod(prob.shape))
    flat = np.unique(np.linspace(0, size - 1, min(8, size)).round().astype(int))
    sub = prob.subset(flat)
    fine = _dc_velocity(sub, h, settle, average, np.random.default_rng(seed), work=work)
    coarse = _dc_velocity(sub, 2 * h, settle, average, np.random.default_rng(seed), substeps=2,
                          work=work)
    order = SCHEMES["stochastic" if prob.stochastic else "deterministic"][1]
    diff = coarse - fine
    err = float(np.abs(diff.mean() if prob.stochastic else diff).max()) / (2**order - 1)
    if err > rtol:
        warnings.warn(AccuracyWarning(
            f"RCSJ time step not converged: estimated DC-voltage error {err:.3g} I_cR exceeds "
            f"{rtol:.3g} I_cR; increase steps_per_period"), stacklevel=3)
    return err


def iv_curve(junction, bias_A, temperature_K: float = 0.0, seed: int = 0, *,
             direction: str = "up", ac_amplitude_A: float = 0.0, ac_frequency_Hz: float = 0.0,
             realizations: int | None = None, settle_s: float | None = None,
             average_s: float | None = None, steps_per_period: int | None = None,
             check_convergence: bool = True, rtol: float | None = None,
             max_steps: int = MAX_STEPS, max_elements: int = MAX_ELEMENTS,
             max_element_steps: float = MAX_ELEMENT_STEPS) -> Result:
    """DC current–voltage curve: time-averaged voltage at every bias, all integrated at once.

    Parameters
    ----------
    junction : Junction or sequence of Junction
        The junction (or a device ensemble: leading device axis of ``voltage_V``).
    bias_A : array_like
        Bias currents, A.
    temperature_K : float
        Shunt temperature, K (> 0 adds Johnson noise; stochastic Heun scheme).
    seed : int
        Noise seed.
    direction : {"up", "down", "both"}
        Sweep direction. A quasi-static sweep keeps the junction on the attractor it arrives on,
        so "up" starts every point at rest in its well and "down" on the running branch; "both"
        integrates both branches in the same run (``voltage_V`` up, ``voltage_down_V`` down).
    ac_amplitude_A, ac_frequency_Hz : float
        Microwave drive (Shapiro steps); the average then spans whole drive periods.
    realizations : int, optional
        Noise realizations; ``voltage_V`` is their mean, ``voltage_std_V`` their spread.
    settle_s, average_s : float, optional
        Settling time and averaging window, s. Defaults: for a deterministic undriven sweep
        both from ``rtol`` (settling 2RC(ln(1/rtol) + 3), each half of the window 3 estimated
        Josephson periods of the slowest running point; a down sweep, which starts at the
        barrier top, also waits out the crawl through the next well's bottleneck,
        gπ/√(2(1 − |i|)) in units of 1/ω_c); otherwise from the RC, plasma and Josephson
        times (with noise the settling time from ``rtol`` too).
    steps_per_period : int, optional
        Explicit override: steps per shortest period (plasma, RC, Josephson, drive), then ≤ 8
        points are rerun at twice the step to check it. Default (None): the step is chosen from
        ``rtol`` — a Richardson pair on ≤ 8 points calibrates the DC-voltage error C·h^p of the
        scheme (p = 4 RK4, 2 Heun drift) and the coarsest stable step with C·h^p ≤ rtol/2 is used.
    check_convergence : bool
        Check the averaging window (W vs 2W, doubling where needed) and, with an explicit
        ``steps_per_period``, the step; warn (:class:`~qtransport.AccuracyWarning`) where the
        error estimate exceeds ``rtol`` · I_cR.
    rtol : float, optional
        Accuracy asked for, in units of I_cR (default 1e-3 deterministic, 1e-2 stochastic). With
        noise it bounds the discretization bias of the mean, not the statistical error of a
        finite window (that is ``voltage_std_V`` over ``realizations``).
    max_steps : int
        Refuse (``WorkLimitError``) a run of more than this many time steps (settling plus
        averaging), before starting: e.g. a capacitance given in F instead of pF makes β_c and
        the settling time explode.
    max_elements : int
        Refuse an ensemble of more junctions than this (per branch; see :func:`reduced_problem`).
    max_element_steps : float
        Refuse, before starting, a run whose estimated work — ensemble size × time steps
        (``RUN_WORK_FACTOR`` × settling + averaging at the coarsest step: the pilot ladder,
        main run and window checks) — exceeds this (≥ 1; the default 10^10 is minutes).

    Returns
    -------
    Result
        ``bias_A``, ``voltage_V`` (and ``voltage_down_V``, ``voltage_std_V`` when asked). attrs:
        ``step_s``, ``steps_per_period`` (per shortest plasma/Josephson/drive period),
        ``convergence_error_V`` (step-error estimate), ``window_error_V``, ``average_s``,
        ``settle_s``, ``rtol`` and the work done: ``work_steps`` (time steps of every
        integration, pilot and reruns included) and ``work_element_steps`` (× ensemble size).

    Raises
    ------
    ValueError
        If an argument is invalid: `direction` must be one of ``('up', 'down', 'both')``;
        `bias_A` must be an array of finite numbers >= -1000 and <= 1000; `seed` must be >= 0;
        `rtol` must be > 0; `steps_per_period` must be >= 4.
    TypeError
        If an argument has the wrong type: `rtol` is not a real number; `seed` or
        `steps_per_period` are not integers; `bias_A` is not an array of real numbers;
        `check_convergence` is not a bool.

    Notes
    -----
    Deterministic DC points average over whole Josephson periods (Hermite-interpolated 2π
    crossings), so the overdamped curve V = R√(I² − I_c²) is reproduced to the step error plus
    the O(β_c²) capacitive correction (the O(β_c) term averages to zero over a period).

    Examples
    --------
    An overdamped junction (β_c = 0.012): no voltage below I_c, V = R√(I² − I_c²) above it.

    >>> from qtransport import josephson
    >>> j = josephson.Junction(critical_current_A=100e-6, capacitance_F=0.01e-12,
    ...                        resistance_ohm=2.0)
    >>> iv = josephson.rcsj.iv_curve(j, bias_A=[50e-6, 200e-6])
    >>> v = iv.voltage_V / (100e-6 * 2.0)                       # in units of I_c R
    >>> bool(abs(v[0]) < 1e-9), round(float(v[1]), 2)          # √(2² − 1) = 1.732
    (True, 1.73)
    """
    direction = check_choice("direction", direction, ("up", "down", "both"))
    bias = check_array("bias_A", bias_A, low=-MAX_CURRENT_A, high=MAX_CURRENT_A)
    prob_up, ref = reduced_problem(junction, bias, temperature_K=temperature_K,
                                   ac_amplitude_A=ac_amplitude_A, ac_frequency_Hz=ac_frequency_Hz,
                                   realizations=realizations,
                                   initial="running" if direction == "down" else "static",
                                   max_elements=max_elements)
    prob = prob_up
    if direction == "both":   # stack the two branches on a new leading axis, one integration
        down, _ = reduced_problem(junction, bias, temperature_K=temperature_K,
                                  ac_amplitude_A=ac_amplitude_A, ac_frequency_Hz=ac_frequency_Hz,
                                  realizations=realizations, initial="running")
        prob = _stack(prob_up, down)
    wc = ref.characteristic_angular_frequency
    seed = check_int("seed", seed, low=0)
    check_convergence = check_bool("check_convergence", check_convergence)
    tol = (1e-2 if prob.stochastic else 1e-3) if rtol is None else \
        check_real("rtol", rtol, low=0.0, low_open=True)
    auto = steps_per_period is None
    work = _Work()
    periods = _josephson_periods(prob, direction != "up")
    auto_windows = auto and not prob.stochastic and not prob.ac_omega
    if auto_windows:
        settle, average = _auto_windows(prob, tol, periods, settle_s, average_s, wc,
                                        running_start=direction != "up")
    else:
        settle, average = _windows(prob, settle_s, average_s, wc)
        if auto and direction == "up" and prob.stochastic and not prob.ac_omega \
                and settle_s is None:    # noisy: the settling time from rtol too
            settle = min(settle, _auto_settle(prob, tol))
    if auto:   # refuse up front what even the coarsest step cannot do within max_steps
        h_c = _pilot_step(prob)
        check_steps(min((settle + average) / h_c, 1e300), max_steps, ref,
                    f"settling {settle / wc:.3g} s + averaging {average / wc:.3g} s at the "
                    f"coarsest step {h_c / wc:.3g} s")
        check_numpy_steps(min(RUN_WORK_FACTOR * (settle + average) / h_c, 1e300),
                          int(np.prod(prob.shape)), max_steps, ref,
                          f"{RUN_WORK_FACTOR} × (settling + averaging) / coarsest step")
        _check_element_steps(RUN_WORK_FACTOR * (settle + average) / h_c, prob, max_element_steps,
                             "the coarsest step")
        h, err, h_pilot = _auto_step(prob, settle, average, periods, seed, tol, work,
                                     max_steps, ref, h_c)
    else:
        h = _step(prob, check_int("steps_per_period", steps_per_period, low=4))
        check_numpy_steps(min(RUN_WORK_FACTOR * (settle + average) / h, 1e300),
                          int(np.prod(prob.shape)), max_steps, ref,
                          f"{RUN_WORK_FACTOR} × (settling + averaging) / step")
        _check_element_steps(RUN_WORK_FACTOR * (settle + average) / h, prob, max_element_steps,
                             "the given step")
        h_pilot = float("nan")
    check_steps(min((settle + average) / h, 1e300), max_steps, ref,
                f"settling {settle / wc:.3g} s + averaging {average / wc:.3g} s at a step of "
                f"{h / wc:.3g} s")
    if check_convergence:
        v, window_err, window = _converged_average(prob, h, settle, average, seed, tol,
                                                   max_steps, ref, work, one_period=auto_windows)
        if not auto:
            err = _convergence(prob, h, settle, average, seed, tol, work)
    else:
        v = _dc_velocity(prob, h, settle, average, np.random.default_rng(seed), work=work)
        window_err, window = np.full(prob.shape, np.nan), average
        if not auto:
            err = float("nan")
    volts = v * ref.characteristic_voltage_V
    data = {"bias_A": bias}
    branches = {"voltage_V": volts[0], "voltage_down_V": volts[1]} if direction == "both" \
        else {"voltage_V": volts}
    axis = 1 if devices_axis(junction) else 0
    for name, val in branches.items():
        if realizations is not None:
            data[name.replace("_V", "_std_V")] = val.std(axis=axis)
            val = val.mean(axis=axis)
        data[name] = val
    params = {"bias_A": bias, "temperature_K": temperature_K, "seed": seed,
              "direction": direction, "ac_amplitude_A": ac_amplitude_A,
              "ac_frequency_Hz": ac_frequency_Hz}
    scheme = SCHEMES["stochastic" if prob.stochastic else "deterministic"][0]
    return Result("josephson.iv_curve", params, data,
                  {"scheme": scheme, "step_s": h / wc, "convergence_error_V":
                   err * ref.characteristic_voltage_V, "rtol": tol,
                   "steps_per_period": _dynamic_period(prob) / h, "pilot_step_s": h_pilot / wc,
                   "settle_s": settle / wc, "work_steps": work.steps,
                   "work_element_steps": work.element_steps,
                   "window_error_V": float(np.nanmax(window_err, initial=0.0))
                   * ref.characteristic_voltage_V if check_convergence else float("nan"),
                   "average_s": window / wc, "stewart_mccumber": ref.stewart_mccumber})


def _check_element_steps(n_steps: float, prob: Problem, limit: float, where: str) -> None:
    """Refuse (``WorkLimitError``) a run of more than ``limit`` element-steps, before it starts."""
    n = int(np.prod(prob.shape))
    limit = check_real("max_element_steps", limit, low=1.0)
    check_work("max_element_steps", min(n * n_steps, 1e300), limit, unit="junction-steps",
               hint=f"{n} junctions (biases × realizations × branches) × ~{n_steps:.3g} steps "
                    f"({RUN_WORK_FACTOR} × settling + averaging at {where}); the compiled "
                    f"kernels take ~8-25 ns per junction-step, so ~{n * n_steps * 8e-9:.2g}-"
                    f"{n * n_steps * 25e-9:.2g} s")


def devices_axis(junction) -> bool:
    """True if ``junction`` is a device ensemble (sequence of junctions)."""
    return not isinstance(junction, Junction)


def _stack(a: Problem, b: Problem) -> Problem:
    def pair(x, y):
        x, y = np.broadcast_to(x, a.shape), np.broadcast_to(y, a.shape)
        return np.stack([x, y])
    fields = {k: pair(getattr(a, k), getattr(b, k)) for k in
              ("mass", "damping", "amplitude", "bias", "noise", "phase0", "velocity0")}
    return Problem(shape=(2,) + a.shape, ramp=a.ramp, ac_amplitude=a.ac_amplitude,
                   ac_omega=a.ac_omega, **fields)


def shapiro_voltages(frequency_Hz: float, orders) -> np.ndarray:
    """Shapiro-step voltages V_n = n Φ0 f, V (Shapiro, PRL 11, 80 (1963)).

    Parameters
    ----------
    frequency_Hz : float
        Drive frequency f, Hz (≥ 0).
    orders : array_like
        Step orders n.

    Returns
    -------
    numpy.ndarray
        V_n, V.

    Raises
    ------
    ValueError
        If an argument is invalid: `frequency_Hz` must be >= 0; `orders` must be an array of
        finite numbers.
    TypeError
        If an argument has the wrong type: `frequency_Hz` is not a real number; `orders` is not
        an array of real numbers.

    Examples
    --------
    >>> round(float(shapiro_voltages(10e9, 1)[0]) * 1e6, 3)
    20.678
    """
    f = check_real("frequency_Hz", frequency_Hz, low=0.0)
    return check_array("orders", orders) * PHI0 * f


def shapiro_step_orders(voltage_V, frequency_Hz: float, tolerance: float = 1e-6):
    """Which DC voltages sit on a Shapiro step, and its order n (V = nΦ0f).

    Parameters
    ----------
    voltage_V : array_like
        Time-averaged junction voltages, V.
    frequency_Hz : float
        Microwave drive frequency f, Hz (> 0).
    tolerance : float
        Largest |V/(Φ0 f) − n| counted as phase-locked (dimensionless). The default 1e-6 is far
        above the averaging error of :func:`iv_curve` on a step (whole drive periods, ~1e-12)
        and far below the spacing of a running state between steps.

    Returns
    -------
    orders : ndarray of int
        The nearest integer n of every voltage.
    locked : ndarray of bool
        True where the voltage is on step ``orders`` within ``tolerance``.

    Raises
    ------
    ValueError
        If an argument is invalid: `voltage_V` must be an array of finite numbers;
        `frequency_Hz` must be > 0; `tolerance` must be > 0 and <= 0.5.
    TypeError
        If an argument has the wrong type: `frequency_Hz` or `tolerance` are not real numbers;
        `voltage_V` is not an array of real numbers.

    Examples
    --------
    >>> from qtransport.constants import h, e
    >>> f = 10e9
    >>> orders, locked = shapiro_step_orders([0.0, h * f / (2 * e), 2 * h * f / (2 * e)], f)
    >>> orders.tolist(), locked.tolist()
    ([0, 1, 2], [True, True, True])
    """
    v = check_array("voltage_V", voltage_V)
    f = check_real("frequency_Hz", frequency_Hz, low=0.0, low_open=True)
    tol = check_real("tolerance", tolerance, low=0.0, low_open=True, high=0.5)
    n = v / (PHI0 * f)
    orders = np.round(n)
    return orders.astype(int), np.abs(n - orders) < tol


@register("josephson.iv_curve", summary="DC I-V of an RCSJ junction (vectorized, optional noise "
          "and microwave drive)",
          params=[Param("critical_current_A", float, low=0.0, low_open=True, high=MAX_CURRENT_A),
                  Param("capacitance_F", float, low=1e-21, high=1e3),
                  Param("resistance_ohm", float, low=1e-6, high=1e15),
                  Param("bias_A", "array", doc="bias currents"),
                  Param("temperature_K", float, default=0.0, low=0.0),
                  Param("direction", str, default="up", choices=("up", "down", "both")),
                  Param("ac_amplitude_A", float, default=0.0, low=0.0),
                  Param("ac_frequency_Hz", float, default=0.0, low=0.0),
                  Param("seed", int, default=0, low=0)])
def iv_curve_model(critical_current_A: float, capacitance_F: float, resistance_ohm: float,
                   bias_A, temperature_K: float = 0.0, direction: str = "up",
                   ac_amplitude_A: float = 0.0, ac_frequency_Hz: float = 0.0,
                   seed: int = 0) -> Result:
    """Registered form of :func:`iv_curve` taking the junction's parameters as keywords.

    Parameters
    ----------
    critical_current_A : float
        Critical current I_c, A (> 0).
    capacitance_F : float
        Junction capacitance C, F (> 0).
    resistance_ohm : float
        Shunt resistance R, Ω (> 0).
    bias_A : array_like
        Bias currents, A.
    temperature_K : float, optional
        Shunt temperature, K (≥ 0).
    direction : {"up", "down", "both"}, optional
        Sweep direction (see :func:`iv_curve`).
    ac_amplitude_A : float, optional
        Microwave drive amplitude, A (≥ 0).
    ac_frequency_Hz : float, optional
        Drive frequency, Hz.
    seed : int, optional
        Noise seed (≥ 0).

    Returns
    -------
    Result
        As :func:`iv_curve` (``bias_A``, ``voltage_V`` …), with the junction's parameters in
        ``params``.
    """
    res = iv_curve(Junction(critical_current_A, capacitance_F, resistance_ohm), bias_A,
                   temperature_K, seed, direction=direction, ac_amplitude_A=ac_amplitude_A,
                   ac_frequency_Hz=ac_frequency_Hz)
    res.params.update(critical_current_A=critical_current_A, capacitance_F=capacitance_F,
                      resistance_ohm=resistance_ohm)
    return res


_declare("josephson.iv_curve", coords=("bias_A",), y=("voltage_V",),
         labels={"bias_A": r"Bias current $I$ (A)", "voltage_V": r"DC voltage $\langle V\rangle$ (V)"})
_declare("josephson.trace", coords=("time_s",), y=("voltage_V",))
