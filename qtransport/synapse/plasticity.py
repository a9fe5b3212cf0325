"""Short-term plasticity (Tsodyks–Markram, paired-pulse facilitation) and pair STDP.

Conventions
-----------
Tsodyks–Markram (Tsodyks, Pawelzik & Markram, Neural Comput. 10, 821 (1998); the facilitating
form of Markram, Wang & Tsodyks, PNAS 95, 5323 (1998)) with resources x (1 at rest) and
utilization u (0 at rest). Between spikes x recovers, x → 1 − (1 − x) e^{−Δt/τ_d}, and u decays,
u → u e^{−Δt/τ_f}. **Update order used here ("facilitate, then release")**: at a spike
u ← u + U (1 − u) first, then the release r = u x, then x ← x − r. So the first spike of a
train releases U (the other convention, release before facilitation, gives U only through
the increment on the first spike and a different paired-pulse ratio).

Paired-pulse facilitation: PPF(Δt) = 1 + C1 e^{−Δt/τ1} + C2 e^{−Δt/τ2} (ratio of the second
response to the first), with τ1 < τ2 by convention.

Pair STDP with Δt = t_post − t_pre: Δw = A₊ e^{−Δt/τ₊} for Δt > 0, −A₋ e^{Δt/τ₋} for Δt < 0,
and 0 at Δt = 0 (Bi & Poo, J. Neurosci. 18, 10464 (1998); Song, Miller & Abbott, Nat. Neurosci.
3, 919 (2000)).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from ..errors import check_array, check_real

__all__ = ["TsodyksMarkram", "ppf", "PPFFit", "fit_ppf", "stdp_pair"]


@dataclass(frozen=True)
class TsodyksMarkram:
    """Tsodyks–Markram short-term plasticity (facilitate-then-release convention).

    Parameters
    ----------
    utilization : float
        U, the utilization increment per spike (0 < U ≤ 1).
    tau_rec_s : float
        Recovery time of resources τ_d, s (> 0).
    tau_facil_s : float
        Decay time of utilization τ_f, s (> 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `utilization` must be > 0 and <= 1; `tau_rec_s` and
        `tau_facil_s` must be > 0.
    TypeError
        If an argument has the wrong type: `utilization`, `tau_rec_s` or `tau_facil_s` are not
        real numbers.

    Examples
    --------
    >>> tm = TsodyksMarkram(0.2, 0.1, 0.5)
    >>> float(tm.release([0.0])[0])
    0.2
    """

    utilization: float
    tau_rec_s: float
    tau_facil_s: float

    def __post_init__(self):
        check_real("utilization", self.utilization, low=0.0, high=1.0, low_open=True)
        check_real("tau_rec_s", self.tau_rec_s, low=0.0, low_open=True)
        check_real("tau_facil_s", self.tau_facil_s, low=0.0, low_open=True)

    def release(self, spike_times_s) -> np.ndarray:
        """Released fraction r = u x at each spike of a train (times sorted, s).

        Parameters
        ----------
        spike_times_s : array_like
            Spike times, s (sorted).

        Returns
        -------
        numpy.ndarray
            r at each spike, dimensionless.

        Raises
        ------
        ValueError
            Unsorted spike times.

        Examples
        --------
        >>> tm = TsodyksMarkram(utilization=0.2, tau_rec_s=0.5, tau_facil_s=0.1)
        >>> r = tm.release([0.0, 0.05])
        >>> r.shape
        (2,)
        """
        t = check_array("spike_times_s", spike_times_s, ndim=1)
        if np.any(np.diff(t) < 0):
            raise ValueError("spike_times_s must be sorted in increasing order")
        x, u, out = 1.0, 0.0, np.empty(t.size)
        for k in range(t.size):
            if k:
                dt = t[k] - t[k - 1]
                x = 1.0 - (1.0 - x) * math.exp(-dt / self.tau_rec_s)
                u = u * math.exp(-dt / self.tau_facil_s)
            u = u + self.utilization * (1.0 - u)
            out[k] = u * x
            x -= out[k]
        return out

    def paired_pulse_ratio(self, intervals_s) -> np.ndarray:
        """r₂/r₁ for two spikes separated by each interval, s (closed form of :meth:`release`).

        Parameters
        ----------
        intervals_s : array_like
            Spike intervals Δt, s (≥ 0).

        Returns
        -------
        numpy.ndarray
            r₂/r₁, dimensionless.

        Raises
        ------
        ValueError
            If an argument is invalid: `intervals_s` must be an array of finite numbers >= 0.
        TypeError
            If an argument has the wrong type: `intervals_s` is not an array of real numbers.

        Examples
        --------
        >>> tm = TsodyksMarkram(utilization=0.2, tau_rec_s=0.5, tau_facil_s=0.1)
        >>> bool(tm.paired_pulse_ratio([0.02])[0] > 1)      # facilitation
        True
        """
        dt = check_array("intervals_s", intervals_s, low=0.0)
        big_u = self.utilization
        u2 = big_u * np.exp(-dt / self.tau_facil_s)
        u2 = u2 + big_u * (1.0 - u2)
        x2 = 1.0 - big_u * np.exp(-dt / self.tau_rec_s)
        return u2 * x2 / big_u


def ppf(intervals_s, c1: float, c2: float, tau1_s: float, tau2_s: float) -> np.ndarray:
    """Double-exponential paired-pulse facilitation 1 + C1 e^{−Δt/τ1} + C2 e^{−Δt/τ2}.

    ``intervals_s`` ≥ 0 and the amplitudes finite; τ1, τ2 > 0, s.

    Parameters
    ----------
    intervals_s : array_like
        Intervals Δt, s (≥ 0).
    c1 : float
        Amplitude C1 of the fast term.
    c2 : float
        Amplitude C2 of the slow term.
    tau1_s : float
        τ1, s (> 0).
    tau2_s : float
        τ2, s (> 0).

    Returns
    -------
    numpy.ndarray
        PPF, dimensionless, shape of ``intervals_s``.

    Raises
    ------
    ValueError
        If an argument is invalid: `c1` and `c2` must be finite; `tau1_s` and `tau2_s` must be
        > 0; `intervals_s` must be an array of finite numbers >= 0.
    TypeError
        If an argument has the wrong type: `c1`, `c2`, `tau1_s` or `tau2_s` are not real
        numbers; `intervals_s` is not an array of real numbers.

    Examples
    --------
    >>> round(float(ppf(0.0, 0.6, 0.3, 0.02, 0.3)), 6)
    1.9
    """
    dt = check_array("intervals_s", intervals_s, low=0.0).reshape(np.shape(intervals_s))
    check_real("c1", c1)
    check_real("c2", c2)
    check_real("tau1_s", tau1_s, low=0.0, low_open=True)
    check_real("tau2_s", tau2_s, low=0.0, low_open=True)
    return _ppf(dt, c1, c2, tau1_s, tau2_s)


def _ppf(dt, c1, c2, tau1_s, tau2_s) -> np.ndarray:
    """:func:`ppf` without argument checks (inside the fit's optimizer)."""
    return 1.0 + c1 * np.exp(-dt / tau1_s) + c2 * np.exp(-dt / tau2_s)


@dataclass(frozen=True)
class PPFFit:
    """Fitted PPF parameters (τ1 < τ2) and the rms residual.

    Parameters
    ----------
    c1 : float
        Amplitude C1 of the fast term.
    c2 : float
        Amplitude C2 of the slow term.
    tau1_s : float
        τ1, s.
    tau2_s : float
        τ2, s (> τ1).
    rms : float
        Root-mean-square residual of the fit, dimensionless.

    Examples
    --------
    The record evaluates its law, PPF = 1 + C1 e^{−Δt/τ1} + C2 e^{−Δt/τ2}; at Δt → 0 it is
    1 + C1 + C2, and a fit of exact data recovers the parameters:

    >>> import math
    >>> import numpy as np
    >>> f = PPFFit(c1=0.6, c2=0.3, tau1_s=0.02, tau2_s=0.3, rms=0.0)
    >>> round(float(f([0.0])[0]), 12)
    1.9
    >>> expected = 1 + 0.6 * math.exp(-1) + 0.3 * math.exp(-0.02 / 0.3)       # Δt = τ1
    >>> bool(abs(f([0.02])[0] - expected) < 1e-12)
    True
    >>> dt = np.geomspace(1e-3, 2.0, 30)                                      # s
    >>> g = fit_ppf(dt, f(dt))
    >>> bool(abs(g.tau1_s - 0.02) < 1e-6 and abs(g.c1 - 0.6) < 1e-6 and g.rms < 1e-9)
    True
    """

    c1: float
    c2: float
    tau1_s: float
    tau2_s: float
    rms: float

    def __call__(self, intervals_s) -> np.ndarray:
        return ppf(intervals_s, self.c1, self.c2, self.tau1_s, self.tau2_s)


def _ppf_linear(dt, y, tau1, tau2):
    m = np.column_stack([np.exp(-dt / tau1), np.exp(-dt / tau2)])
    coef, *_ = np.linalg.lstsq(m, y - 1.0, rcond=None)
    r = m @ coef - (y - 1.0)
    return coef, float(r @ r)


def fit_ppf(intervals_s, ppf_values) -> PPFFit:
    """Fit the double-exponential PPF law to measured paired-pulse ratios.

    Parameters
    ----------
    intervals_s : array_like
        Pulse intervals Δt, s (> 0; at least 5 points spanning both time constants).
    ppf_values : array_like
        Ratio of the second to the first response at each interval.

    Returns
    -------
    PPFFit
        C1, C2 (dimensionless), τ1 < τ2 (s) and the rms residual.

    Raises
    ------
    ValueError
        Fewer than 5 intervals, a non-positive interval, or arrays of different lengths.

    Notes
    -----
    Variable projection: C1, C2 enter linearly, so a grid over (log τ1 < log τ2) spanning the
    measured intervals gives the start, then ``least_squares`` refines (log τ1, log τ2, C1, C2).

    Examples
    --------
    >>> dt = np.geomspace(1e-3, 2.0, 30)
    >>> f = fit_ppf(dt, ppf(dt, 0.6, 0.3, 0.02, 0.3))
    >>> round(f.tau1_s, 6), round(f.c2, 6)
    (0.02, 0.3)
    """
    dt = check_array("intervals_s", intervals_s, low=0.0, low_open=True, ndim=1, min_size=5)
    y = check_array("ppf_values", ppf_values, ndim=1)
    if y.shape != dt.shape:
        raise ValueError(f"intervals_s and ppf_values must have the same length, got {dt.size} "
                         f"and {y.size}")
    taus = np.geomspace(dt.min() / 3.0, dt.max() * 3.0, 60)
    best = (math.inf, 0, 1)
    for i in range(taus.size):
        for j in range(i + 1, taus.size):
            sse = _ppf_linear(dt, y, taus[i], taus[j])[1]
            if sse < best[0]:
                best = (sse, i, j)
    l1, l2 = math.log(taus[best[1]]), math.log(taus[best[2]])
    (c1, c2), _ = _ppf_linear(dt, y, taus[best[1]], taus[best[2]])

    def resid(z):
        return _ppf(dt, z[2], z[3], math.exp(z[0]), math.exp(z[1])) - y

    sol = least_squares(resid, [l1, l2, c1, c2], x_scale="jac")
    t1, t2 = math.exp(sol.x[0]), math.exp(sol.x[1])
    c1, c2 = float(sol.x[2]), float(sol.x[3])
    if t1 > t2:
        t1, t2, c1, c2 = t2, t1, c2, c1
    return PPFFit(c1, c2, t1, t2, float(np.sqrt(np.mean(sol.fun ** 2))))


def stdp_pair(delta_t_s, a_plus: float = 0.01, a_minus: float = 0.012,
              tau_plus_s: float = 0.0168, tau_minus_s: float = 0.0337) -> np.ndarray:
    """Pair-based STDP weight change for spike-time differences Δt = t_post − t_pre.

    Parameters
    ----------
    delta_t_s : array_like
        Δt, s.
    a_plus, a_minus : float
        Amplitudes (≥ 0) of potentiation and depression.
    tau_plus_s, tau_minus_s : float
        Time constants, s (> 0). Defaults: Bi & Poo's hippocampal fits (16.8 ms, 33.7 ms).

    Returns
    -------
    ndarray
        Δw: A₊ e^{−Δt/τ₊} (Δt > 0), −A₋ e^{Δt/τ₋} (Δt < 0), 0 at Δt = 0.

    Raises
    ------
    ValueError
        If an argument is invalid: `delta_t_s` must be an array of finite numbers; `a_plus` and
        `a_minus` must be >= 0; `tau_plus_s` and `tau_minus_s` must be > 0.
    TypeError
        If an argument has the wrong type: `a_plus`, `a_minus`, `tau_plus_s` or `tau_minus_s`
        are not real numbers; `delta_t_s` is not an array of real numbers.

    Examples
    --------
    >>> stdp_pair([0.0168], a_plus=1.0).round(4).tolist()
    [0.3679]
    """
    dt = check_array("delta_t_s", delta_t_s)
    check_real("a_plus", a_plus, low=0.0)
    check_real("a_minus", a_minus, low=0.0)
    check_real("tau_plus_s", tau_plus_s, low=0.0, low_open=True)
    check_real("tau_minus_s", tau_minus_s, low=0.0, low_open=True)
    out = np.zeros_like(dt)
    pos, neg = dt > 0, dt < 0
    out[pos] = a_plus * np.exp(-dt[pos] / tau_plus_s)
    out[neg] = -a_minus * np.exp(dt[neg] / tau_minus_s)
    return out.reshape(np.shape(delta_t_s))
