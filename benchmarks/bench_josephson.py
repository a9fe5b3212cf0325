"""Benchmark: vectorized RCSJ ensemble vs a loop of scipy solve_ivp; tridiagonal spectrum vs QuTiP.

1. RCSJ: one junction (β_c = 1) at 1000 bias points in [0, 2] I_c over 200 plasma periods.
   qtransport integrates all of them at once (RK4, 40 steps per shortest period); the reference
   is a Python loop of ``solve_ivp`` (RK45) with the loosest tolerance whose final-phase error is
   not larger than the vectorized run's (both measured against DOP853 at rtol = 1e-12 on a
   subset). The loop is timed on a subset of bias points and extrapolated linearly to 1000
   (each point is an independent solve) — printed as such.
2. Spectrum: ``quantum.spectrum`` (LAPACK tridiagonal) vs building the QuTiP Hamiltonian and
   calling ``eigenenergies`` (dense) for E_J = 20 GHz, E_C = 0.3 GHz, n_g = 0.3, ncut = 30.

Runs are alternated, repeated, and the median is reported.
"""
from __future__ import annotations

import math
import statistics
import time

import numpy as np
from scipy.integrate import solve_ivp

from qtransport.constants import PHI0
from qtransport.josephson import Junction, integrator, quantum, rcsj

N_BIAS, SUBSET, REPS = 1000, 10, 3
IC, R = 100e-6, 2.0
J = Junction(IC, 1.0 * PHI0 / (2 * math.pi * IC * R**2), R)
BIAS = np.linspace(0.0, 2.0, N_BIAS) * IC
TAU_END = 2 * math.pi * 200            # 200 plasma periods (β_c = 1: ω_p = ω_c)


def vectorized(bias):
    prob, _ = rcsj.reduced_problem(J, bias)
    h = integrator.time_step(prob.mass, bias_max=2.0, steps_per_period=40)
    n = math.ceil(TAU_END / h)
    return integrator.integrate(prob, TAU_END / n, n, crossings=False)["phase"]


def rhs(_t, y, i):
    return [y[1], i - math.sin(y[0]) - y[1]]       # β_c = 1


def ivp_loop(bias, method="RK45", rtol=1e-6, atol=1e-9):
    out = []
    for i in bias / IC:
        sol = solve_ivp(rhs, (0.0, TAU_END), [math.asin(min(i, 1.0)), 0.0], method=method,
                        rtol=rtol, atol=atol, args=(i,))
        out.append(sol.y[0, -1])
    return np.array(out)


def median_time(fn, *args, **kwargs):
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def main():
    subset = BIAS[np.linspace(0, N_BIAS - 1, SUBSET).astype(int)]
    reference = ivp_loop(subset, method="DOP853", rtol=1e-12, atol=1e-12)
    err_vec = np.abs(vectorized(subset) - reference).max()
    chosen = None
    for rtol in (1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10):
        err = np.abs(ivp_loop(subset, rtol=rtol, atol=rtol * 1e-3) - reference).max()
        if err <= err_vec:
            chosen = (rtol, err)
            break
    rtol, err_ivp = chosen if chosen else (1e-10, err)
    t_vec, t_loop = [], []
    for _ in range(REPS):
        t_vec.append(median_time(vectorized, BIAS))
        t_loop.append(median_time(ivp_loop, subset, rtol=rtol, atol=rtol * 1e-3)
                      * N_BIAS / SUBSET)
    tv, tl = statistics.median(t_vec), statistics.median(t_loop)
    print(f"{'method':40s} {'time (s)':>10s} {'max phase error':>16s}")
    print(f"{'qtransport vectorized RK4 (1000 pts)':40s} {tv:10.2f} {err_vec:16.2e}")
    print(f"{f'solve_ivp RK45 loop rtol={rtol:g} (extrap.)':40s} {tl:10.2f} {err_ivp:16.2e}")
    print(f"RCSJ I-V: solve_ivp-loop/qtransport time ratio = {tl / tv:.0f} ({N_BIAS} bias points, "
          f"200 plasma periods; loop timed on {SUBSET} points and extrapolated)")

    t_tri, t_qt = [], []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(100):
            quantum.spectrum(20.0, 0.3, 0.3, 30, 5)
        t_tri.append((time.perf_counter() - t0) / 100)
        t0 = time.perf_counter()
        for _ in range(100):
            quantum.hamiltonian(20.0, 0.3, 0.3, 30).eigenenergies(eigvals=5)
        t_qt.append((time.perf_counter() - t0) / 100)
    a, b = statistics.median(t_tri), statistics.median(t_qt)
    print(f"{'eigh_tridiagonal spectrum':40s} {a * 1e6:10.1f} µs")
    print(f"{'QuTiP build + eigenenergies':40s} {b * 1e6:10.1f} µs")
    print(f"transmon spectrum: qutip/qtransport time ratio = {b / a:.1f} (ncut=30, 5 levels)")


if __name__ == "__main__":
    main()
