"""2π phase slips (SFQ voltage pulses): the slip counting rule of the whole josephson package.

The phase is periodic, so a slip is a winding by ±2π and the count of a run is the net number
of windings, forward minus backward (φ falling at negative bias — the mirror orbit φ → −φ — slips
backwards, ∫V dt = −Φ0 per slip). Two views of that rule live here, one per kind of data:

* recorded traces (:func:`slip_times`, :func:`phase_slips`): with k the number of slips so far
  (net; 0 at the start), a slip completes when the phase reaches the level φ_ref + 2π(k + 1)
  (forward, k → k + 1) or φ_ref + 2π(k − 1) (backward, k → k − 1), φ_ref the initial phase, i.e.
  the bottom of the starting well. Jitter back and forth across the level just reached is no
  slip, and every pulse between consecutive completions has ∫V dt = ±Φ0 exactly;
* the integrator's per-element bookkeeping of 2π-level crossings after settling (counts both
  ways, first and last crossing time): :func:`one_way_crossings` and :func:`crossing_rate` read
  it for the DC voltage of the RCSJ (:mod:`.rcsj`) and the firing rate of the SFQ neuron
  (:mod:`.sfq`).

Between consecutive completions the voltage pulse is integrated with the trapezoid rule on the recorded samples, with the window ends
located on the cubic Hermite interpolant of φ(t) (which uses V = (Φ0/2π) φ̇). The pulse area
∫V dt then checks the phase–voltage relation numerically (it must equal Φ0 = h/2e), and
∫V²/R dt is the energy dissipated in the shunt (≈ I Φ0 in a steady pulse train: the bias
source delivers I ∫V dt = I Φ0 per slip).

Examples
--------
>>> import numpy as np
>>> from qtransport.josephson import Junction, rcsj, slips
>>> from qtransport.constants import PHI0
>>> j = Junction(critical_current_A=100e-6, capacitance_F=0.1e-12, resistance_ohm=2.0)
>>> tr = rcsj.simulate(j, bias_A=150e-6, duration_s=100e-12)
>>> s = slips.phase_slips(tr.time_s, tr.phase, tr.voltage_V, resistance_ohm=2.0)
>>> bool(np.allclose(s.area_Wb / PHI0, 1.0, atol=1e-4))
True
"""
from __future__ import annotations

import math

import numpy as np

from ..constants import PHI0
from ..errors import check_increasing, check_array, check_real
from ..results import Result
from ..results import declare as _declare
from .integrator import TWO_PI, hermite_root

__all__ = ["phase_slips", "slip_times", "signed_slips", "one_way_crossings", "crossing_rate"]


def one_way_crossings(forward, backward) -> tuple[np.ndarray, np.ndarray]:
    """(2π-level crossings, direction ±1) of elements that cross in one direction only.

    φ rises through its levels at positive drive and falls through them at negative drive (the
    mirror orbit φ → −φ); both are running orbits. Elements that crossed both ways (a transient,
    noise, a drive) get 0 crossings.

    Parameters
    ----------
    forward, backward : array_like of int
        Upward and downward crossings of the levels 2πk per element (the integrator's
        ``cross_forward``/``cross_backward``).

    Returns
    -------
    crossings : numpy.ndarray
        Crossings per element (int; 0 where both directions occurred).
    direction : numpy.ndarray
        −1.0 where any downward crossing occurred, else +1.0.

    Examples
    --------
    >>> c, d = one_way_crossings([3, 0, 2], [0, 4, 1])
    >>> c.tolist(), d.tolist()
    ([3, 4, 0], [1.0, -1.0, -1.0])
    """
    fwd, bwd = np.asarray(forward), np.asarray(backward)
    one_way = (fwd == 0) | (bwd == 0)
    return np.where(one_way, fwd + bwd, 0), np.where(bwd > 0, -1.0, 1.0)


def crossing_rate(out: dict, prefix: str, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Signed rate of 2π slips of the elements whose window is periodic, and that mask.

    On a one-way orbit with n ≥ 3 crossings, (n − 1) whole periods lie between the first and the
    last crossing (both Hermite-interpolated), so the rate ± (n − 1)/(t_last − t_first) carries no
    partial-cycle error; the sign is the direction of the slips.

    Parameters
    ----------
    out : dict
        :func:`~.integrator.integrate` output.
    prefix : str
        ``"cross_"`` (the window after settling) or ``"checkpoint_cross_"`` (its first part).
    scale : float
        Factor on the rate per unit of the integrator's (reduced) time: 2π for the mean φ̇, ω_c
        for slips per second.

    Returns
    -------
    (rate, periodic)
        ``sign · scale · (n − 1)/span`` where periodic (elsewhere undefined: combine with
        ``np.where(periodic, rate, fallback)``), and the boolean mask.

    Examples
    --------
    Five one-way crossings, the first at τ = 1 and the last at τ = 9, span four whole periods;
    an element that crossed both ways is not periodic:

    >>> import numpy as np
    >>> out = {"cross_forward": np.array([5, 2]), "cross_backward": np.array([0, 3]),
    ...        "cross_first": np.array([1.0, 1.0]), "cross_last": np.array([9.0, 9.0])}
    >>> rate, periodic = crossing_rate(out, "cross_", 1.0)
    >>> float(rate[0]), periodic.tolist()
    (0.5, [True, False])
    """
    n, sign = one_way_crossings(out[prefix + "forward"], out[prefix + "backward"])
    span = out[prefix + "last"] - out[prefix + "first"]
    periodic = (n >= 3) & (span > 0)
    return sign * scale * (n - 1) / np.where(periodic, span, 1.0), periodic


def signed_slips(time_s, phase, voltage_V, reference_phase: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Completion times (s, Hermite-interpolated) and directions (±1) of the slips of a trace.

    With k the net number of slips so far (0 at the start), a slip completes when φ reaches
    φ_ref + 2π(k + 1) (direction +1) or φ_ref + 2π(k − 1) (direction −1).

    Parameters
    ----------
    time_s : array_like, shape (n,)
        Sample times, s (increasing).
    phase, voltage_V : array_like, shape (n,)
        Phase (rad) and voltage (V) samples of one junction.
    reference_phase : float, optional
        φ_ref (default: the first phase sample).

    Returns
    -------
    times_s : numpy.ndarray
        Completion times, s.
    directions : numpy.ndarray
        +1 (forward) or −1 (backward) per slip (int).

    Raises
    ------
    ValueError
        The arrays differ in length or ``time_s`` is not increasing.

    Examples
    --------
    A phase falling uniformly by 2.5 × 2π in 1 s slips backwards twice, at t = 0.4 s and 0.8 s:

    >>> import numpy as np
    >>> from qtransport.constants import PHI0
    >>> t = np.linspace(0.0, 1.0, 101)
    >>> times, dirs = signed_slips(t, -2 * np.pi * 2.5 * t, np.full_like(t, -2.5 * PHI0))
    >>> dirs.tolist(), bool(np.allclose(times, [0.4, 0.8], atol=1e-9))
    ([-1, -1], True)
    """
    t = check_increasing("time_s", time_s)
    phi = check_array("phase", phase, ndim=1, min_size=2)
    volt = check_array("voltage_V", voltage_V, ndim=1, min_size=2)
    if not (len(t) == len(phi) == len(volt)):
        raise ValueError(f"time_s, phase and voltage_V must have equal lengths, got {len(t)}, "
                         f"{len(phi)}, {len(volt)}")
    ref = phi[0] if reference_phase is None else check_real("reference_phase", reference_phase)
    region = np.floor((phi - ref) / TWO_PI)           # φ ∈ [ref + 2π r, ref + 2π(r + 1))
    change = np.diff(region)
    if np.any(np.abs(change) > 1):
        raise ValueError("phase changed by more than 2π between samples; record more densely")
    rows, levels, dirs = [], [], []
    k = 0                                             # net slips so far
    for n in np.flatnonzero(change):                  # level crossings, in time order
        if change[n] > 0 and region[n + 1] == k + 1:      # up through level k + 1
            k += 1
            rows.append(n), levels.append(k), dirs.append(1)
        elif change[n] < 0 and region[n] == k - 1:        # down through level k − 1
            k -= 1
            rows.append(n), levels.append(k), dirs.append(-1)
    if not rows:
        return np.empty(0), np.empty(0, dtype=int)
    new = np.asarray(rows)
    dt = t[new + 1] - t[new]
    dphi = volt * TWO_PI / PHI0                       # φ̇ from V
    target = ref + TWO_PI * np.asarray(levels, dtype=float)
    s = hermite_root(phi[new], dt * dphi[new], phi[new + 1], dt * dphi[new + 1], target)
    return t[new] + s * dt, np.asarray(dirs)


def slip_times(time_s, phase, voltage_V, reference_phase: float | None = None) -> np.ndarray:
    """Completion times of the slips of a trace, forward and backward, s: the times of
    :func:`signed_slips` (same parameters) without their directions.

    Parameters
    ----------
    time_s : array_like
        Sample times, s (increasing).
    phase : array_like
        Phase samples, rad.
    voltage_V : array_like
        Voltage samples, V.
    reference_phase : float, optional
        φ_ref, rad (default: the first phase sample).

    Returns
    -------
    numpy.ndarray
        Completion times, s.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0.0, 1.0, 101)
    >>> len(slip_times(t, 2 * np.pi * 1.5 * t, np.ones_like(t)))   # φ passes 2π once
    1
    """
    return signed_slips(time_s, phase, voltage_V, reference_phase)[0]


def _segment_integral(t, y, t0, t1) -> float:
    """∫ y dt from t0 to t1 by the trapezoid rule on samples, linear at the ends."""
    inner = (t > t0) & (t < t1)
    tt = np.concatenate(([t0], t[inner], [t1]))
    yy = np.concatenate(([np.interp(t0, t, y)], y[inner], [np.interp(t1, t, y)]))
    return float(np.trapezoid(yy, tt))


def phase_slips(time_s, phase, voltage_V, *, resistance_ohm: float,
                reference_phase: float | None = None) -> Result:
    """The complete 2π phase slips of one trace with their pulse area and dissipated energy.

    Parameters
    ----------
    time_s, phase, voltage_V : array_like, shape (n,)
        One junction's trace (e.g. a row of :func:`~.rcsj.simulate`).
    resistance_ohm : float
        Shunt resistance R, Ω (> 0).
    reference_phase : float, optional
        Bottom of the starting well (default: the first phase sample).

    Returns
    -------
    Result
        ``slip_time_s`` (completion times), ``direction`` (+1 forward, −1 backward), and per pulse
        between consecutive completions (the first pulse starts at the first sample):
        ``start_s``, ``end_s``, ``area_Wb`` = ∫V dt, ``energy_J`` = ∫V²/R dt, ``peak_V`` (the
        sample of largest |V|, negative on a backward pulse); attributes ``count`` (net slips,
        forward minus backward: Δφ ≈ 2π·count), ``forward``, ``backward``.

    Raises
    ------
    ValueError
        If an argument is invalid: `resistance_ohm` must be > 0.
    TypeError
        If an argument has the wrong type: `resistance_ohm` is not a real number.

    Notes
    -----
    ∫V dt = (Φ0/2π)Δφ = ±Φ0 per slip (Josephson relation); the first window starts at the first
    sample, so it equals ±Φ0 only if that sample sits at φ_ref.

    Examples
    --------
    In a steady running state every pulse has area Φ0 and dissipates I Φ0 in the shunt, the
    energy the bias source delivers per slip (J):

    >>> import numpy as np
    >>> from qtransport.constants import PHI0
    >>> from qtransport.josephson import Junction, rcsj
    >>> j = Junction(critical_current_A=100e-6, capacitance_F=0.1e-12, resistance_ohm=2.0)
    >>> tr = rcsj.simulate(j, bias_A=150e-6, duration_s=50e-12)
    >>> s = phase_slips(tr.time_s, tr.phase, tr.voltage_V, resistance_ohm=2.0)
    >>> s.attrs["backward"], bool(s.attrs["count"] >= 3)
    (0, True)
    >>> bool(np.allclose(s.energy_J[1:] / (150e-6 * PHI0), 1.0, atol=1e-4))
    True
    """
    r = check_real("resistance_ohm", resistance_ohm, low=0.0, low_open=True)
    t = np.asarray(time_s, dtype=float)
    volt = np.asarray(voltage_V, dtype=float)
    times, direction = signed_slips(time_s, phase, voltage_V, reference_phase)
    starts = np.concatenate(([t[0]], times[:-1]))
    area = np.array([_segment_integral(t, volt, a, b) for a, b in zip(starts, times)])
    energy = np.array([_segment_integral(t, volt**2 / r, a, b) for a, b in zip(starts, times)])
    peak = np.array([_largest(volt[(t >= a) & (t <= b)]) for a, b in zip(starts, times)])
    forward = int(np.count_nonzero(direction > 0))
    return Result("josephson.phase_slips", {"resistance_ohm": r},
                  {"slip_time_s": times, "direction": direction, "start_s": starts,
                   "end_s": times, "area_Wb": area, "energy_J": energy, "peak_V": peak},
                  {"count": int(direction.sum()), "forward": forward,
                   "backward": int(direction.size) - forward})


def _largest(v: np.ndarray) -> float:
    """The sample of largest magnitude (NaN for none)."""
    return float(v[np.argmax(np.abs(v))]) if v.size else math.nan


_declare("josephson.phase_slips", coords=("slip_time_s",), y=("peak_V",), style="points")
