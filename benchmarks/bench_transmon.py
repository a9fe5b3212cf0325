"""Benchmark: transmon spectra over many parameter values, qtransport vs scqubits, side by side.

Same problem for both: H = 4E_C(n − n_g)² − E_J cos φ in the charge basis, ncut = 30, the
5 lowest levels (absolute energies), E_C = 0.3 GHz.

1. n_g sweep (charge dispersion): 1000 values in [−1, 1] at E_J = 20 GHz.
2. E_J sweep (flux-tunable transmon): 1000 values in [2, 40] GHz at n_g = 0.3.
3. one spectrum (E_J = 20, n_g = 0.3).

scqubits: ``Transmon.get_spectrum_vs_paramvals`` (progress bar off), one LAPACK tridiagonal
call per point. qtransport: ``quantum.spectrum`` with the array, all points at once (vectorized
Sturm-safeguarded Newton). The two are run alternately in one process, REPS times, and the
median of each is reported with the ratio scqubits/qtransport; the eigenvalues are compared
(max relative difference). Skips cleanly if scqubits is not installed.
"""
from __future__ import annotations

import statistics
import time

import numpy as np

from qtransport.josephson import quantum

REPS, N_POINTS, SINGLE_CALLS = 5, 1000, 200
EJ, EC, NCUT, LEVELS = 20.0, 0.3, 30, 5


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main():
    try:
        import scqubits
    except ImportError:
        print("bench_transmon: scqubits is not installed; skipped")
        return
    scqubits.settings.PROGRESSBAR_DISABLED = True
    tm = scqubits.Transmon(EJ=EJ, EC=EC, ng=0.3, ncut=NCUT, truncated_dim=LEVELS)
    ng = np.linspace(-1.0, 1.0, N_POINTS)
    ej = np.linspace(2.0, 40.0, N_POINTS)
    cases = {
        f"n_g sweep, {N_POINTS} points": (
            lambda: tm.get_spectrum_vs_paramvals("ng", ng, evals_count=LEVELS,
                                                 subtract_ground=False).energy_table,
            lambda: quantum.spectrum(EJ, EC, ng, NCUT, LEVELS)),
        f"E_J sweep, {N_POINTS} points": (
            lambda: tm.get_spectrum_vs_paramvals("EJ", ej, evals_count=LEVELS,
                                                 subtract_ground=False).energy_table,
            lambda: quantum.spectrum(ej, EC, 0.3, NCUT, LEVELS)),
        f"one spectrum (x{SINGLE_CALLS} calls)": (
            lambda: np.array([tm.eigenvals(evals_count=LEVELS) for _ in range(SINGLE_CALLS)]),
            lambda: np.array([quantum.spectrum(EJ, EC, 0.3, NCUT, LEVELS)
                              for _ in range(SINGLE_CALLS)])),
    }
    print(f"{'case':32s} {'scqubits (s)':>12s} {'qtransport (s)':>14s} {'ratio':>7s} "
          f"{'max rel diff':>12s}")
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
        print(f"{name:32s} {a:12.4f} {b:14.4f} {a / b:7.1f} {diff:12.1e}")
        print(f"transmon {name}: scqubits/qtransport time ratio = {a / b:.1f} (median of {REPS}, "
              f"alternated; ncut={NCUT}, {LEVELS} levels)")


if __name__ == "__main__":
    main()
