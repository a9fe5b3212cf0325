"""Charge-trap benchmark: a 10^4-dot ensemble under 10^3 pulses, vectorized vs solve_ivp per dot.

The vectorized :meth:`qtransport.quantum_dots.charge_trap.TrapEnsemble.run` (exact two-state
update for all dots at once, rates cached per voltage) runs the whole train on 10^4 CdSe dots
(size spread → level spread); the peer integrates the same rate equation dp/dt = Γ_in(1 − p) −
Γ_out p pulse by pulse with ``scipy.integrate.solve_ivp`` (LSODA, rtol 1e-8) for a subset of
dots, timed and scaled per dot-pulse. Both must agree; the ratio is printed.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.integrate import solve_ivp

from qtransport.quantum_dots import charge_trap as ct

N_DOTS, N_PULSES, PEER_DOTS, REPS = 10_000, 1_000, 5, 3


def _peer(tr, p0, volts, width):
    rates = {v: tr.rates(v) for v in set(volts)}
    out = []
    for i in range(p0.size):
        p = p0[0, i]
        for v in volts:
            gin, gout = rates[v][0][0, i], rates[v][1][0, i]
            sol = solve_ivp(lambda t, y, a=gin, b=gout: a * (1 - y) - b * y, (0.0, width), [p],
                            method="LSODA", rtol=1e-8, atol=1e-12)
            p = sol.y[0, -1]
        out.append(p)
    return np.array(out)


def main() -> None:
    # 10^4 dots: density 2e12 cm^-2 over 0.5 µm²
    dev = ct.qd_film(area_um2=0.5, rng=np.random.default_rng(0))
    tr = dev.traps
    assert tr.shape == (1, N_DOTS)
    vp, width = ct.default_pulses(dev, N_PULSES // 2)
    volts = [-vp] * (N_PULSES // 2) + [vp] * (N_PULSES // 2)
    p0 = tr.equilibrium(0.0)
    tr.run(p0, volts[:1] + volts[-1:], width)          # fill the rate cache (2 voltages)
    t_vec, t_peer, err = [], [], []
    for _ in range(REPS):
        t0 = time.perf_counter()
        p = tr.run(p0, volts, width)[0][-1]
        t_vec.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref = _peer(tr, p0[:, :PEER_DOTS], volts, width)
        t_peer.append(time.perf_counter() - t0)
        err.append(float(np.max(np.abs(p[0, :PEER_DOTS] - ref))))
    tv, tp = statistics.median(t_vec), statistics.median(t_peer)
    per_vec, per_peer = tv / (N_DOTS * N_PULSES), tp / (PEER_DOTS * N_PULSES)
    print(f"charge-trap ensemble {N_DOTS} dots x {N_PULSES} pulses: vectorized {tv:.3f} s "
          f"({per_vec * 1e9:.1f} ns/dot-pulse); solve_ivp per dot {per_peer * 1e6:.0f} "
          f"us/dot-pulse (timed on {PEER_DOTS} dots); speed-up = {per_peer / per_vec:.0f}x; "
          f"max |p - p_ivp| = {max(err):.1e}")


if __name__ == "__main__":
    main()
