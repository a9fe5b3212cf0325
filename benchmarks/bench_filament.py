"""Filament sweep: qtransport vs a bare kwant.smatrix loop, and MUMPS vs SciPy solver.

The same 64-energy sweep of a W = 40, L = 80 square-lattice strip (uniform wire), timed side by
side, alternating, several repetitions; the median ratio is printed. qtransport's time includes
building the system, the unitarity check of every S-matrix and the Result.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import kwant  # noqa: E402
import numpy as np  # noqa: E402

from qtransport.tight_binding import filament  # noqa: E402

W, L, N_E, REPEATS = 40, 80, 64, 3
ENERGIES = np.linspace(0.05, 3.9, N_E)


def bare_kwant(solver=kwant.smatrix):
    """The textbook loop: build the strip, kwant.smatrix at each energy."""
    lat = kwant.lattice.square(1, norbs=1)
    syst = kwant.Builder()
    syst[(lat(x, y) for x in range(L) for y in range(W))] = 4.0
    syst[lat.neighbors()] = -1.0
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    lead[(lat(0, y) for y in range(W))] = 4.0
    lead[lat.neighbors()] = -1.0
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    fsyst = syst.finalized()
    return np.array([solver(fsyst, e).transmission(1, 0) for e in ENERGIES])


def ours():
    filament._build.cache_clear()          # count the build, as a user's first call does
    return filament.conductance(width_atoms=W, energies_eV=ENERGIES,
                                length_atoms=L - 2 * filament.BUFFER_COLUMNS).conductance_G0


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    from kwant.solvers import sparse
    times = {"qtransport": [], "bare kwant": [], "bare kwant (SciPy solver)": []}
    for _ in range(REPEATS):
        t, g_ours = timed(ours)
        times["qtransport"].append(t)
        t, g_bare = timed(bare_kwant)
        times["bare kwant"].append(t)
    t, g_scipy = timed(lambda: bare_kwant(sparse.smatrix))
    times["bare kwant (SciPy solver)"].append(t)
    diff = max(np.abs(g_ours - g_bare).max(), np.abs(g_scipy - g_bare).max())
    print(f"{'method':<28} {'median s':>9}   ({N_E} energies, W={W}, L={L}, {REPEATS} reps)")
    for name, ts in times.items():
        print(f"{name:<28} {statistics.median(ts):9.3f}")
    print(f"max |G difference| = {diff:.1e} G0")
    ratio = statistics.median(a / b for a, b in zip(times["qtransport"], times["bare kwant"]))
    print(f"filament sweep: qtransport/bare-kwant time ratio = {ratio:.2f} "
          f"({N_E} energies, W={W}, L={L})")
    scipy_ratio = times["bare kwant (SciPy solver)"][0] / statistics.median(times["bare kwant"])
    print(f"kwant solver: SciPy/MUMPS time ratio = {scipy_ratio:.2f}")
    return 0 if diff < 1e-8 else 1


if __name__ == "__main__":
    sys.exit(main())
