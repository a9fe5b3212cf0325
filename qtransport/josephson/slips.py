"""Detection of 2π phase slips (SFQ voltage pulses) in RCSJ traces: timing, area, energy.

A slip is complete when the phase first reaches the next level φ_ref + 2πk (k = 1, 2, …; φ_ref is
the initial phase, i.e. the bottom of the starting well). Between consecutive completions the
voltage pulse is integrated with the trapezoid rule on the recorded samples, with the window ends
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

__all__ = ["phase_slips", "slip_times"]


def slip_times(time_s, phase, voltage_V, reference_phase: float | None = None) -> np.ndarray:
    """Times at which φ first reaches φ_ref + 2πk, k = 1, 2, … (Hermite-interpolated), s.

    Parameters
    ----------
    time_s : array_like, shape (n,)
        Sample times, s (increasing).
    phase, voltage_V : array_like, shape (n,)
        Phase (rad) and voltage (V) samples of one junction.
    reference_phase : float, optional
        φ_ref (default: the first phase sample).
    """
    t = check_increasing("time_s", time_s)
    phi = check_array("phase", phase, ndim=1, min_size=2)
    volt = check_array("voltage_V", voltage_V, ndim=1, min_size=2)
    if not (len(t) == len(phi) == len(volt)):
        raise ValueError(f"time_s, phase and voltage_V must have equal lengths, got {len(t)}, "
                         f"{len(phi)}, {len(volt)}")
    ref = phi[0] if reference_phase is None else check_real("reference_phase", reference_phase)
    level = np.floor((np.maximum.accumulate(phi) - ref) / TWO_PI)
    new = np.flatnonzero(np.diff(level) > 0)          # sample n → n+1 reaches a new level
    if new.size == 0:
        return np.empty(0)
    if np.any(np.diff(level)[new] > 1):
        raise ValueError("phase advanced more than 2π between samples; record more densely")
    dt = t[new + 1] - t[new]
    dphi = volt * TWO_PI / PHI0                       # φ̇ from V
    target = ref + TWO_PI * level[new + 1]
    s = hermite_root(phi[new], dt * dphi[new], phi[new + 1], dt * dphi[new + 1], target)
    return t[new] + s * dt


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
        ``slip_time_s`` (completion times), and per pulse between consecutive completions (the
        first pulse starts at the first sample): ``start_s``, ``end_s``, ``area_Wb`` = ∫V dt,
        ``energy_J`` = ∫V²/R dt, ``peak_V``; attribute ``count``.

    Notes
    -----
    ∫V dt = (Φ0/2π)Δφ = Φ0 per slip (Josephson relation); the first window starts at the first
    sample, so it equals Φ0 only if that sample sits at φ_ref.
    """
    r = check_real("resistance_ohm", resistance_ohm, low=0.0, low_open=True)
    t = np.asarray(time_s, dtype=float)
    volt = np.asarray(voltage_V, dtype=float)
    times = slip_times(time_s, phase, voltage_V, reference_phase)
    starts = np.concatenate(([t[0]], times[:-1]))
    area = np.array([_segment_integral(t, volt, a, b) for a, b in zip(starts, times)])
    energy = np.array([_segment_integral(t, volt**2 / r, a, b) for a, b in zip(starts, times)])
    peak = np.array([volt[(t >= a) & (t <= b)].max(initial=-math.inf)
                     for a, b in zip(starts, times)])
    return Result("josephson.phase_slips", {"resistance_ohm": r},
                  {"slip_time_s": times, "start_s": starts, "end_s": times, "area_Wb": area,
                   "energy_J": energy, "peak_V": peak}, {"count": int(times.size)})


_declare("josephson.phase_slips", coords=("slip_time_s",), y=("peak_V",), style="points")
