"""Benchmark: transmon spectra over many parameter values, qtransport vs scqubits, side by side.

Same problem for both: H = 4E_C(n − n_g)² − E_J cos φ in the charge basis, ncut = 30, the
5 lowest levels (absolute energies), E_C = 0.3 GHz.

1. n_g sweep (charge dispersion): 1000 values in [−1, 1] at E_J = 20 GHz, and at
   E_J = 5 E_C (the higher bands nearly touch: a rougher interpolant, more Newton steps).
2. E_J sweep (flux-tunable transmon): 1000 values in [2, 40] GHz at n_g = 0.3.
3. one spectrum (E_J = 20, n_g = 0.3).

scqubits: ``Transmon.get_spectrum_vs_paramvals`` (progress bar off), one LAPACK tridiagonal
call per point. qtransport: ``quantum.spectrum`` with the array, all points at once
(Chebyshev interpolation along the sweep from a few LAPACK points, Newton steps, every level
verified by Sturm counts of the full matrix; docs/josephson.md, *Transmon sweeps*). The two are run alternately in one process, REPS times, and the
median CPU time of each is reported with the spread (min–max) and the ratio
scqubits/qtransport of the medians; the eigenvalues are compared (max difference relative to
the largest |level| of the point). Skips cleanly if scqubits is not installed.
"""
from __future__ import annotations

import statistics
import time

import numpy as np

from qtransport.josephson import quantum

REPS, N_POINTS, SINGLE_CALLS = 7, 1000, 200
EJ, EC, NCUT, LEVELS = 20.0, 0.3, 30, 5


def timed(fn):
    """CPU time of this process (not wall time: on a shared machine the wall clock also counts
    the time slices given to other processes, ~10 ms each, longer than a whole sweep here)."""
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def main():
    try:
        import scqubits
    except ImportError:
        print("bench_transmon: scqubits is not installed; skipped")
        return
    scqubits.settings.PROGRESSBAR_DISABLED = True
    tm = scqubits.Transmon(EJ=EJ, EC=EC, ng=0.3, ncut=NCUT, truncated_dim=LEVELS)
    tm5 = scqubits.Transmon(EJ=5 * EC, EC=EC, ng=0.3, ncut=NCUT, truncated_dim=LEVELS)
    ng = np.linspace(-1.0, 1.0, N_POINTS)
    ej = np.linspace(2.0, 40.0, N_POINTS)
    cases = {
        f"n_g sweep, {N_POINTS} points": (
            lambda: tm.get_spectrum_vs_paramvals("ng", ng, evals_count=LEVELS,
                                                 subtract_ground=False).energy_table,
            lambda: quantum.spectrum(EJ, EC, ng, NCUT, LEVELS)),
        f"n_g sweep, E_J/E_C = 5": (              # charge-dispersion regime, bands nearly touch
            lambda: tm5.get_spectrum_vs_paramvals("ng", ng, evals_count=LEVELS,
                                                  subtract_ground=False).energy_table,
            lambda: quantum.spectrum(5 * EC, EC, ng, NCUT, LEVELS)),
        f"E_J sweep, {N_POINTS} points": (
            lambda: tm.get_spectrum_vs_paramvals("EJ", ej, evals_count=LEVELS,
                                                 subtract_ground=False).energy_table,
            lambda: quantum.spectrum(ej, EC, 0.3, NCUT, LEVELS)),
        f"one spectrum (x{SINGLE_CALLS} calls)": (
            lambda: np.array([tm.eigenvals(evals_count=LEVELS) for _ in range(SINGLE_CALLS)]),
            lambda: np.array([quantum.spectrum(EJ, EC, 0.3, NCUT, LEVELS)
                              for _ in range(SINGLE_CALLS)])),
    }
    print(f"{'case':32s} {'scqubits (ms)':>13s} {'qtransport (ms)':>15s} {'ratio':>6s} "
          f"{'ratio range':>12s} {'max rel diff':>12s}")
    for name, (peer, ours) in cases.items():
        tm.EJ, tm.ng = EJ, 0.3
        t_peer, t_ours, diff = [], [], 0.0
        for _ in range(REPS):                   # alternated repetitions
            tp, ref = timed(peer)
            to, got = timed(ours)
            t_peer.append(tp)
            t_ours.append(to)
            diff = max(diff, float(np.max(np.abs(got - ref) / np.abs(ref).max(axis=-1,
                                                                               keepdims=True))))
            tm.EJ, tm.ng = EJ, 0.3
        a, b = statistics.median(t_peer), statistics.median(t_ours)
        pair = [p / o for p, o in zip(t_peer, t_ours)]     # ratio of each alternated pair
        print(f"{name:32s} {1e3 * a:13.2f} {1e3 * b:15.2f} {a / b:6.1f} "
              f"{min(pair):5.1f}–{max(pair):<6.1f} {diff:12.1e}")
        print(f"transmon {name}: scqubits/qtransport CPU-time ratio = {a / b:.1f} (median of "
              f"{REPS} alternated pairs, pairs {min(pair):.1f}–{max(pair):.1f}; ncut={NCUT}, "
              f"{LEVELS} levels)")

if __name__ == "__main__":
    main()
