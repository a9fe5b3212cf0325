"""Filament sweeps: qtransport (RGF fast path) vs a bare kwant.smatrix loop, side by side.

1. The 64-energy sweep of a W = 40, L = 80 square-lattice strip (uniform wire).
2. A 3-D constriction: 12×12 electrodes, a 4×4 filament of 20 columns (+ 2 electrode columns
   kept on each side, as qtransport builds it), 32 energies across the band.
3. ECM kinetic Monte Carlo reads: ``configuration_conductance`` of many random atom
   configurations of one box at the metal's Fermi energy (shared leads, cached self-energy),
   RGF vs the same call through Kwant.
4. Scaling with the cross-section: 3-D uniform wires n×n, 20 columns; per energy the RGF
   recursion, the lead self-energy (qtransport's, and Kwant's modes → selfenergy beside it),
   kwant.smatrix; RGF memory estimate and the measured peak (tracemalloc) of the dense blocks.
5. Lead self-energies alone, qtransport (``tight_binding.lead_selfenergy``) / Kwant's
   ``lead.modes(E)[1].selfenergy()``, for each of its three paths: transverse channels
   (V = v·1), the ordinary eigenproblem (a lead with random complex inter-cell hopping
   matrices) and QZ (a lead with sites that do not hop to the next cell), same Σ checked.
6. One dense block or slices (``rgf.dense_is_cheaper``): for small 2-D strips and wires of
   the sizes a sweep's points have, the per-energy time of each way and which one the cost
   model picks by default (the picked one should be the faster).

Each pair is timed alternating in one run, several repetitions; median ratios are printed.
qtransport's time includes building the system, the per-energy checks and the Result (and its
lead self-energy cache is cleared before each repetition, as on a user's first call).
"""
from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import kwant  # noqa: E402
import numpy as np  # noqa: E402

from qtransport.tight_binding import filament, rgf  # noqa: E402
from qtransport.tight_binding.lattice import transmission_sweep  # noqa: E402

W, L, N_E, REPEATS = 40, 80, 64, 3
ENERGIES = np.linspace(0.05, 3.9, N_E)
E3, F3, L3, N_E3, REPEATS3 = 12, 4, 20, 32, 2
ENERGIES3 = np.linspace(0.05, 11.9, N_E3)
SCALING_WIDTHS, SCALING_LENGTH = (4, 6, 8, 10, 12, 14), 20


def _lead(lat, cells, direction, onsite):
    lead = kwant.Builder(kwant.TranslationalSymmetry(direction))
    lead[(lat(*c) for c in cells)] = onsite
    lead[lat.neighbors()] = -1.0
    return lead


def bare_strip(solver=kwant.smatrix):
    """The textbook loop: build the strip, kwant.smatrix at each energy."""
    lat = kwant.lattice.square(1, norbs=1)
    syst = kwant.Builder()
    syst[(lat(x, y) for x in range(L) for y in range(W))] = 4.0
    syst[lat.neighbors()] = -1.0
    lead = _lead(lat, [(0, y) for y in range(W)], (-1, 0), 4.0)
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    fsyst = syst.finalized()
    return np.array([solver(fsyst, e).transmission(1, 0) for e in ENERGIES])


def bare_constriction():
    """The same loop for the 3-D constriction, built by hand."""
    lat = kwant.lattice.cubic(1, norbs=1)
    off = (E3 - F3) // 2
    syst = kwant.Builder()
    columns = L3 + 2 * filament.BUFFER_COLUMNS
    for x in range(columns):
        electrode = x < filament.BUFFER_COLUMNS or x >= columns - filament.BUFFER_COLUMNS
        for y in range(E3):
            for z in range(E3):
                if electrode or (off <= y < off + F3 and off <= z < off + F3):
                    syst[lat(x, y, z)] = 6.0
    syst[lat.neighbors()] = -1.0
    lead = _lead(lat, [(0, y, z) for y in range(E3) for z in range(E3)], (-1, 0, 0), 6.0)
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    fsyst = syst.finalized()
    return np.array([kwant.smatrix(fsyst, e).transmission(1, 0) for e in ENERGIES3])


def ours_strip():
    filament._build.cache_clear()          # count the build, as a user's first call does
    rgf.clear_lead_cache()
    return filament.conductance(width_atoms=W, energies_eV=ENERGIES,
                                length_atoms=L - 2 * filament.BUFFER_COLUMNS).conductance_G0


def ours_constriction():
    filament._build.cache_clear()
    rgf.clear_lead_cache()
    return filament.conductance(width_atoms=F3, energies_eV=ENERGIES3, length_atoms=L3,
                                dimension=3, electrode_width_atoms=E3).conductance_G0


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def side_by_side(ours, bare, repeats):
    t_ours, t_bare, diff = [], [], 0.0
    for _ in range(repeats):
        t, g_ours = timed(ours)
        t_ours.append(t)
        t, g_bare = timed(bare)
        t_bare.append(t)
        diff = max(diff, float(np.abs(g_ours - g_bare).max()))
    ratio = statistics.median(a / b for a, b in zip(t_ours, t_bare))
    return statistics.median(t_ours), statistics.median(t_bare), ratio, diff


def kmc_reads(n_configs=40, width=3, length=4, seed=0):
    """Random bridging configurations of one ECM box read at Ag's Fermi energy."""
    rng = np.random.default_rng(seed)
    energy = filament.metal_fermi_energy_eV("Ag", 3)
    t_hop = filament.metal_hopping_eV("Ag")
    fsyst, central = filament._build((tuple(filament._square(width, 3)),) * length, width, 3)
    configs = []
    for _ in range(n_configs):
        keep = rng.random(len(central)) < 0.6
        vacancies = [s for s, k in zip(central, keep) if not k]
        configs.append(filament._params(central, t_hop, 3, 0.3, 1, vacancies))
    times = {}
    values = {}
    for method in ("kwant", "auto", "kwant", "auto"):
        rgf.clear_lead_cache()
        t0 = time.perf_counter()
        values[method] = np.array([transmission_sweep(fsyst, [energy], p, method=method)[0][0]
                                   for p in configs])
        times.setdefault(method, []).append(time.perf_counter() - t0)
    ratio = statistics.median(a / b for a, b in zip(times["auto"], times["kwant"]))
    return ratio, min(times["auto"]) / n_configs, min(times["kwant"]) / n_configs, \
        float(np.abs(values["auto"] - values["kwant"]).max())


def scaling(widths=SCALING_WIDTHS, length=SCALING_LENGTH, energies=(1.3, 4.1, 6.7)):
    """Per-energy times and RGF memory of 3-D uniform wires n×n, ``length`` columns."""
    rows = []
    for n in widths:
        sections = (tuple(filament._square(n, 3)),) * length
        fsyst, central = filament._build(sections, n, 3, 1.0)
        rgf.clear_lead_cache()
        t0 = time.perf_counter()
        for e in energies:
            rgf.lead_selfenergy(fsyst.leads[0], e)
        t_lead = (time.perf_counter() - t0) / len(energies)
        t0 = time.perf_counter()
        for e in energies:
            fsyst.leads[0].modes(e)[1].selfenergy()
        t_modes = (time.perf_counter() - t0) / len(energies)
        tracemalloc.start()
        sweep = rgf.prepare(fsyst, None, dense_orbitals=0)    # sliced even when small
        t0 = time.perf_counter()
        values = [sweep(e)[0] for e in energies]          # leads cached: the recursion only
        t_rgf = (time.perf_counter() - t0) / len(energies)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        estimate = rgf.memory_bytes(sweep.plan.sizes)
        t0 = time.perf_counter()
        ref = [kwant.smatrix(fsyst, e).transmission(1, 0) for e in energies]
        t_kwant = (time.perf_counter() - t0) / len(energies)
        rows.append((n * n, len(sweep.plan.sizes), t_rgf, t_lead, t_kwant, estimate, peak,
                     float(np.abs(np.subtract(values, ref)).max()), t_modes))
        del sweep
    return rows


def _random_lead(width, norbs, partial, seed=0):
    """A strip lead with random Hermitian on-sites and random complex inter-cell hopping
    matrices (partial: the last site has no hopping to the next cell)."""
    rng = np.random.default_rng(seed)
    lat = kwant.lattice.square(1, norbs=norbs)
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    for y in range(width):
        a = rng.normal(size=(norbs, norbs)) + 1j * rng.normal(size=(norbs, norbs))
        lead[lat(0, y)] = (a + a.conj().T) / 2 + 2.0 * np.eye(norbs)
    for y in range(width - 1):
        lead[lat(0, y + 1), lat(0, y)] = -np.eye(norbs)
    for y in range(width - (1 if partial else 0)):
        lead[lat(1, y), lat(0, y)] = -np.eye(norbs) + 0.3 * rng.normal(size=(norbs, norbs))
    return lead.finalized()


def lead_paths(energies=np.linspace(-1.0, 5.0, 13), repeats=3):
    """(label, N, qtransport s/energy, Kwant s/energy, max relative |ΣΔ|) per path."""
    from qtransport.tight_binding.lead_selfenergy import retarded_selfenergy
    cases = [("transverse channels (V = v·1), 12×12 cubic electrode",
              filament._build(((tuple(filament._square(12, 3)),) * 4), 12, 3, 1.0)[0].leads[0]),
             ("ordinary eigenproblem, random hopping matrices", _random_lead(12, 2, False)),
             ("QZ, one site without inter-cell hopping", _random_lead(12, 2, True))]
    rows = []
    for label, lead in cases:
        h, v = lead.cell_hamiltonian(), lead.inter_cell_hopping()
        ours, theirs, worst = [], [], 0.0
        for _ in range(repeats):
            t0 = time.perf_counter()
            got = [retarded_selfenergy(h, v, e) for e in energies]
            ours.append((time.perf_counter() - t0) / len(energies))
            t0 = time.perf_counter()
            ref = [lead.modes(e)[1].selfenergy() for e in energies]
            theirs.append((time.perf_counter() - t0) / len(energies))
        for g, r in zip(got, ref):
            if g is not None:
                worst = max(worst, float(np.abs(g[0] - r).max() / np.abs(r).max()))
        answered = sum(g is not None for g in got)
        rows.append((label, h.shape[0], statistics.median(ours), statistics.median(theirs),
                     worst, answered, len(energies)))
    return rows


BLOCK_CASES = ((3, 20, 2), (6, 20, 2), (10, 10, 2), (13, 20, 2), (20, 40, 2), (4, 20, 3))


def block_choice(cases=BLOCK_CASES, energies=np.linspace(0.25, 1.5, 16), repeats=3):
    """Per-energy seconds of the dense block and of the slices, the default's pick, |ΔT|."""
    rows = []
    for width, length, dim in cases:
        sections = tuple(tuple(filament._centered(width, width + 2, dim))
                         for _ in range(length))
        fsyst, central = filament._build(sections, width + 2, dim)
        params = filament._params(central, 1.0, dim, 0.4, 0)
        ways = {"dense": rgf.prepare(fsyst, params, dense_orbitals=10 ** 6),
                "sliced": rgf.prepare(fsyst, params, dense_orbitals=0)}
        best, values = {}, {}
        for name, sweep in ways.items():
            sweep(0.5)                                   # leads cached: the solve only
            for _ in range(repeats):
                t0 = time.perf_counter()
                values[name] = [sweep(float(e))[0] for e in energies]
                t = (time.perf_counter() - t0) / len(energies)
                best[name] = min(best.get(name, t), t)
        picked = "dense" if len(rgf.prepare(fsyst, params).plan.sizes) == 1 else "sliced"
        n = int(ways["sliced"].plan.bounds[-1])
        rows.append((f"{width}x{length} ({dim}-D)", n, len(ways["sliced"].plan.sizes),
                     best["dense"], best["sliced"], picked,
                     float(np.abs(np.subtract(values["dense"], values["sliced"])).max())))
    return rows


def _slope(x, y):
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def main() -> int:
    from kwant.solvers import sparse
    ok = True
    t_o, t_b, ratio, diff = side_by_side(ours_strip, bare_strip, REPEATS)
    print(f"filament sweep: qtransport/bare-kwant time ratio = {ratio:.2f} "
          f"({N_E} energies, W={W}, L={L}; {t_o:.2f} s vs {t_b:.2f} s, "
          f"max |G difference| = {diff:.1e} G0)")
    ok &= diff < 1e-8
    t, g_scipy = timed(lambda: bare_strip(sparse.smatrix))
    print(f"kwant solver: SciPy/MUMPS time ratio = {t / t_b:.2f}")
    t_o, t_b, ratio, diff = side_by_side(ours_constriction, bare_constriction, REPEATS3)
    print(f"3-D constriction sweep: qtransport/bare-kwant time ratio = {ratio:.2f} "
          f"({N_E3} energies, {E3}x{E3} electrodes, {F3}x{F3} filament, L={L3}; "
          f"{t_o:.2f} s vs {t_b:.2f} s, max |G difference| = {diff:.1e} G0)")
    ok &= diff < 1e-8
    ratio, per_auto, per_kwant, diff = kmc_reads()
    print(f"ECM KMC reads (3x3x4 box, Ag Fermi energy): qtransport RGF/Kwant time ratio = "
          f"{ratio:.2f} ({per_auto * 1e3:.2f} ms vs {per_kwant * 1e3:.2f} ms per configuration, "
          f"max |G difference| = {diff:.1e} G0)")
    ok &= diff < 1e-8
    rows = scaling()
    print(f"scaling with cross-section (3-D uniform wires, {SCALING_LENGTH} columns; per energy):")
    print(f"{'orbitals/slice':>14} {'slices':>6} {'RGF ms':>8} {'lead Σ ms':>9} "
          f"{'Kwant Σ ms':>10} {'kwant ms':>9} {'RGF MB est':>10} {'RGF MB peak':>11} "
          f"{'|ΔT|':>8}")
    for n, k, t_rgf, t_lead, t_kwant, est, peak, d, t_modes in rows:
        print(f"{n:>14} {k:>6} {t_rgf * 1e3:8.2f} {t_lead * 1e3:9.2f} {t_modes * 1e3:10.2f} "
              f"{t_kwant * 1e3:9.1f} {est / 1e6:10.3f} {peak / 1e6:11.3f} {d:8.1e}")
        ok &= d < 1e-8
    big = [r for r in rows if r[0] >= 64]
    n = [r[0] for r in big]
    print(f"fitted exponents vs orbitals per slice (n ≥ 64): RGF time ∝ n^"
          f"{_slope(n, [r[2] for r in big]):.2f}, lead Σ ∝ n^{_slope(n, [r[3] for r in big]):.2f}, "
          f"kwant.smatrix ∝ n^{_slope(n, [r[4] for r in big]):.2f}, RGF memory ∝ n^"
          f"{_slope(n, [r[6] for r in big]):.2f}")
    for label, size, t_ours, t_kwant, worst, answered, total in lead_paths():
        print(f"lead self-energy, {label} (N = {size}): qtransport/Kwant modes time ratio = "
              f"{t_ours / t_kwant:.3f} ({t_ours * 1e3:.2f} ms vs {t_kwant * 1e3:.2f} ms per "
              f"energy; {answered} of {total} energies answered, the rest by Kwant; max "
              f"relative |ΔΣ| = {worst:.1e})")
        ok &= worst < 1e-8
    print("one dense block or slices (default picks by rgf.dense_is_cheaper; per energy):")
    print(f"{'system':>14} {'orbitals':>8} {'slices':>6} {'dense ms':>8} {'sliced ms':>9} "
          f"{'dense/sliced':>12} {'default':>7} {'|ΔT|':>8}")
    for name, n, k, t_d, t_s, picked, d in block_choice():
        print(f"{name:>14} {n:>8} {k:>6} {t_d * 1e3:8.3f} {t_s * 1e3:9.3f} {t_d / t_s:12.2f} "
              f"{picked:>7} {d:8.1e}")
        ok &= d < 1e-8
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
