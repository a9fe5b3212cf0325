"""Ferroelectric NLS benchmark: 10^4 pulses on a 10^3-domain film, vectorized vs per-domain loop.

The vectorized :class:`qtransport.ferroelectric.switching.NLSFilm` (mean field) runs the full
10^4-pulse train over 10^3 regions; the peer is a plain per-domain Python loop of the same
recurrence (u += t/τ_i(E); q_i = 1 − exp(−u^β)), timed on the same train for a subset of domains
and scaled per domain-pulse. Both must agree; the ratio is printed.
"""
from __future__ import annotations

import math
import statistics
import time

import numpy as np

from qtransport.ferroelectric import switching as sw

N_PULSES, N_DOMAINS, PEER_DOMAINS, REPS = 10_000, 1_000, 20, 3


def _vectorized(hzo, Ea, field, width):
    film = sw.NLSFilm(hzo, Ea)
    for k in range(N_PULSES):
        film.apply(field[k], width)
    return film.up[0]


def _loop(hzo, Ea, field, width):
    out = []
    for ea in Ea:
        u = 0.0
        for k in range(N_PULSES):
            u += width * math.exp(-(ea / field[k]) ** hzo.alpha) / hzo.tau0_s
        out.append(1.0 - math.exp(-u ** hzo.beta))
    return np.array(out)


def main() -> None:
    hzo = sw.hzo_switching()
    Ea = sw.activation_fields(hzo, N_DOMAINS, 1, np.random.default_rng(0))
    width = 1e-8
    # incremental train across the distribution so every pulse does work
    field = np.linspace(0.7, 1.3, N_PULSES) * sw.merz_field(hzo, N_PULSES * width)
    t_vec, t_loop, err = [], [], []
    for _ in range(REPS):
        t0 = time.perf_counter()
        q = _vectorized(hzo, Ea, field, width)
        t_vec.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        q_ref = _loop(hzo, Ea[0, :PEER_DOMAINS], field, width)
        t_loop.append(time.perf_counter() - t0)
        err.append(float(np.max(np.abs(q[:PEER_DOMAINS] - q_ref))))
    tv, tl = statistics.median(t_vec), statistics.median(t_loop)
    per_vec = tv / (N_PULSES * N_DOMAINS)
    per_loop = tl / (N_PULSES * PEER_DOMAINS)
    print(f"NLS film {N_PULSES} pulses x {N_DOMAINS} domains: vectorized {tv:.3f} s "
          f"({per_vec * 1e9:.1f} ns/domain-pulse); per-domain loop {per_loop * 1e9:.0f} "
          f"ns/domain-pulse (timed on {PEER_DOMAINS} domains); speed-up = "
          f"{per_loop / per_vec:.0f}x; max |q - q_loop| = {max(err):.1e}")


if __name__ == "__main__":
    main()
