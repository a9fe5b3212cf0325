"""Tunneling: lattice transfer matrix vs Kwant on the same 1D lattice, and Tsu–Esaki I–V time.

1. A three-layer stack (different masses, a sloped layer, 0.4 V bias) on a 0.01 nm lattice
   (≈ 120 sites), 200 energies: the ratio-form lattice transfer matrix vs ``kwant.smatrix``
   (MUMPS) energy by energy. Both must agree to 1e-8 (checked, printed).
2. Tsu–Esaki J(V) of a 1 nm, 1.5 eV barrier: 200 biases × 2000 energies (the exact Airy-segment
   transfer-matrix kernel on the bias-dependent trapezoid).
3. The kernel alone on the same 400 000 (bias, energy) points, and its agreement with a fine
   constant-slab staircase (the former method, 2000 slabs, no extrapolation) for the issue-12
   trapezoid (V0 = 1.27 eV, 2.883 nm, m = 0.909, E = 1.006 eV, 0.19–0.5 V).
Side by side, alternating, several repetitions, median reported.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from qtransport.tight_binding import transfer_matrix as tm  # noqa: E402
from qtransport.tight_binding import tunneling as tn  # noqa: E402

REPEATS = 3
ENERGIES = np.linspace(0.15, 2.0, 200)
LATTICE_NM = 0.01


def stack() -> tn.Barrier:
    layers = [tn.Layer(0.4, 1.2, 0.4, 3.0), tn.Layer(0.3, 0.8, 0.25, 6.0),
              tn.Layer(0.5, 1.5, 0.6, 4.0, height_end_eV=1.1)]
    return tn.Barrier(layers=layers, electrode_mass=0.8, right_electrode_mass=0.3,
                      right_band_bottom_eV=0.1)


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    b = stack()
    run = {m: (lambda m=m: b.transmission(ENERGIES, m, bias_V=0.4,
                                          lattice_constant_nm=LATTICE_NM))
           for m in ("lattice", "kwant")}
    times = {"lattice TMM": [], "kwant": []}
    for _ in range(REPEATS):
        t, t_lat = timed(run["lattice"])
        times["lattice TMM"].append(t)
        t, t_kw = timed(run["kwant"])
        times["kwant"].append(t)
    agree = float(np.max(np.abs(t_lat / t_kw - 1)))
    barrier = tn.Barrier(height_eV=1.5, thickness_nm=1.0, effective_mass=0.5,
                         fermi_energy_eV=0.5)
    bias = np.linspace(-1.0, 1.0, 200)
    te = [timed(lambda: barrier.current_density(bias, 300.0, n_energies=2000))[0]
          for _ in range(REPEATS)]
    kernel_profile = barrier.profile(bias)
    grid = np.linspace(0.0, 1.5, 2000)
    tk = [timed(lambda: tm.transmission(kernel_profile, grid))[0] for _ in range(REPEATS)]
    issue = tn.Barrier(height_eV=1.27, thickness_nm=2.883, effective_mass=0.909)
    ib = np.linspace(0.19, 0.5, 32)
    exact = issue.transmission([1.006], bias_V=ib)[:, 0]
    fine = tn.Barrier(height_eV=1.27, thickness_nm=2.883, effective_mass=0.909,
                      max_step_eV=0.5 / 2000).slabs(ib)
    flat = tm.Profile(fine.thickness_nm, 0.5 * (fine.start_eV + fine.end_eV),
                      0.5 * (fine.start_eV + fine.end_eV), fine.mass, fine.left_mass,
                      fine.right_mass, fine.right_bottom_eV)
    stair = tm.transmission(flat, np.full((ib.size, 1), 1.006))[:, 0]
    stair_err = float(np.max(np.abs(stair / exact - 1)))
    n_sites = int(round(b.thickness_nm / LATTICE_NM)) + 2
    print(f"{'method':<14}{'median s':>10}   ({len(ENERGIES)} energies, {n_sites} sites)")
    for name, ts in times.items():
        print(f"{name:<14}{statistics.median(ts):>10.4f}")
    print(f"{'Tsu-Esaki':<14}{statistics.median(te):>10.4f}   (200 biases x 2000 energies)")
    ratio = statistics.median(times["kwant"]) / statistics.median(times["lattice TMM"])
    print(f"tunneling 1D lattice: kwant/TMM time ratio = {ratio:.0f} (same answer to "
          f"{agree:.1e}; {len(ENERGIES)} energies, {n_sites} sites)")
    print(f"tunneling Tsu-Esaki J(V): {statistics.median(te):.3f} s for 200 biases x 2000 "
          f"energies (1 nm, 1.5 eV, +-1 V, 300 K)")
    print(f"tunneling Airy kernel: {statistics.median(tk):.3f} s for 200 biases x 2000 energies; "
          f"a {fine.thickness_nm.size}-slab staircase differs from it by {stair_err:.1e} "
          f"(issue-12 trapezoid, 32 biases 0.19-0.5 V)")
    return 0 if agree < 1e-8 else 1


if __name__ == "__main__":
    sys.exit(main())
