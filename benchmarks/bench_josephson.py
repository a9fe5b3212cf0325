"""Benchmark: vectorized RCSJ I–V vs a loop of scipy solve_ivp; tridiagonal spectrum vs QuTiP.

1. RCSJ I–V (same problem, same quantity, same accuracy). One junction (β_c = 1) at 1000 bias
   points in [0, 2] I_c, 200 plasma periods each (40 settling + 160 averaging); the quantity is the
   DC voltage as ``rcsj.iv_curve`` defines it: over whole Josephson periods between the first and
   last 2π crossing after settling when the orbit is periodic (≥ 3 forward, no backward
   crossings), else Δφ/Δt over the averaging window.
   * qtransport: ``rcsj.iv_curve`` as a user calls it — all 1000 points in one integration (RK4,
     its step chosen for rtol = 1e-6 I_cR, calibration included) over the same fixed windows.
   * loop: one ``solve_ivp`` (RK45) per bias point; crossings are located by its event finder.
   * accuracy of both: max |V − V_ref| / (I_c R) over 10 bias points spread over [0, 2] I_c, with
     V_ref from the same loop run with DOP853 at rtol = atol = 1e-12. The loop runs at the loosest
     rtol (atol = rtol·1e-3) of a ladder whose error does not exceed qtransport's.
   * the loop is timed on those 10 points and extrapolated linearly to 1000 (each solve is
     independent of the others) — printed as such.
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
from qtransport.josephson import Junction, quantum, rcsj

N_BIAS, SUBSET, REPS = 1000, 10, 3
IC, R = 100e-6, 2.0
J = Junction(IC, 1.0 * PHI0 / (2 * math.pi * IC * R**2), R)
BIAS = np.linspace(0.0, 2.0, N_BIAS) * IC
PICK = np.linspace(0, N_BIAS - 1, SUBSET).astype(int)
PERIOD = 2 * math.pi                    # plasma period in units of 1/ω_c (β_c = 1: ω_p = ω_c)
TAU_SETTLE, TAU_END = 40 * PERIOD, 200 * PERIOD
LADDER = (1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10)


def vectorized(bias):
    """DC voltages / (I_c R) from qtransport's I–V (convergence check included)."""
    wc = J.characteristic_angular_frequency
    iv = rcsj.iv_curve(J, bias, rtol=1e-6, settle_s=TAU_SETTLE / wc,
                       average_s=(TAU_END - TAU_SETTLE) / wc)
    return iv.voltage_V / J.characteristic_voltage_V


def rhs(_t, y, i):
    return [y[1], i - math.sin(y[0]) - y[1]]       # β_c = 1


def crossing(_t, y, _i):
    return math.sin(0.5 * y[0])                    # zero at φ = 2πk


def dc_voltage(i, method="RK45", rtol=1e-6, atol=1e-9):
    """The DC voltage of one bias point from solve_ivp, defined as in ``rcsj.iv_curve``."""
    sol = solve_ivp(rhs, (0.0, TAU_END), [math.asin(min(i, 1.0)), 0.0], method=method,
                    rtol=rtol, atol=atol, args=(i,), events=crossing,
                    t_eval=[TAU_SETTLE, TAU_END])
    t, y = sol.t_events[0], np.reshape(sol.y_events[0], (-1, 2))
    after = t > TAU_SETTLE
    fwd, back = int(np.sum(y[after, 1] > 0)), int(np.sum(y[after, 1] <= 0))
    if fwd >= 3 and back == 0 and t[after][-1] > t[after][0]:
        return 2 * math.pi * (fwd - 1) / (t[after][-1] - t[after][0])
    return (sol.y[0, -1] - sol.y[0, 0]) / (TAU_END - TAU_SETTLE)


def ivp_loop(bias, **kwargs):
    return np.array([dc_voltage(i, **kwargs) for i in bias / IC])


def median_time(fn, *args, **kwargs):
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def choose_tolerance(reference, target):
    """Loosest ladder rtol whose loop error ≤ target; prints the ladder."""
    print(f"{'solve_ivp RK45 rtol':>20s} {'max |dV|/IcR':>14s}")
    err = math.inf
    for rtol in LADDER:
        err = np.abs(ivp_loop(BIAS[PICK], rtol=rtol, atol=rtol * 1e-3) - reference).max()
        print(f"{rtol:20.0e} {err:14.2e}")
        if err <= target:
            return rtol, err
    return LADDER[-1], err


def main():
    reference = ivp_loop(BIAS[PICK], method="DOP853", rtol=1e-12, atol=1e-12)
    err_vec = np.abs(vectorized(BIAS)[PICK] - reference).max()
    rtol, err_ivp = choose_tolerance(reference, err_vec)
    t_vec, t_loop = [], []
    for _ in range(REPS):                          # alternated repetitions
        t_vec.append(median_time(vectorized, BIAS))
        t_loop.append(median_time(ivp_loop, BIAS[PICK], rtol=rtol, atol=rtol * 1e-3))
    tv, tl = statistics.median(t_vec), statistics.median(t_loop)
    tl_all = tl * N_BIAS / SUBSET
    print(f"{'method':44s} {'time (s)':>10s} {'max |dV|/IcR':>14s}")
    print(f"{'qtransport iv_curve, RK4 (1000 pts, 1 run)':44s} {tv:10.2f} {err_vec:14.2e}")
    print(f"{f'solve_ivp RK45 rtol={rtol:g}, {SUBSET} pts (measured)':44s} {tl:10.2f} "
          f"{err_ivp:14.2e}")
    print(f"{f'  same, {N_BIAS} pts (extrapolated x{N_BIAS // SUBSET})':44s} {tl_all:10.2f}")
    print(f"RCSJ I-V: solve_ivp-loop/qtransport time ratio = {tl_all / tv:.0f} ({N_BIAS} bias "
          f"points, 200 plasma periods, equal accuracy {err_vec:.1e} IcR; loop timed on {SUBSET} "
          f"points and extrapolated; qtransport {tv:.2f} s, loop {tl_all:.1f} s)")

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
