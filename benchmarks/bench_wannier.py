"""Import of a Wannier90 _hr.dat file and Kwant build of a ~10^4-orbital ribbon from it.

Side by side, alternating, several repetitions, median:
  * strict reader (qtransport.wannier.parse_hr) vs numpy.loadtxt of the same hopping lines
    (no validation) for a 100-orbital model (9 blocks, 90 000 lines);
  * qtransport.tb_systems.ribbon (graphene zigzag, 50 chains x 100 periods = 10^4 orbitals, with
    leads, finalized) vs the same ribbon written by hand with kwant.lattice.honeycomb.
"""
from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


def _big_model(n_orb=100, seed=0):
    from qtransport.tight_binding.tb_model import TightBindingModel
    rng = np.random.default_rng(seed)
    R = [(0, 0, 0)] + [v for r in [(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 0)]
                       for v in (r, tuple(-x for x in r))]
    H = np.zeros((len(R), n_orb, n_orb), dtype=complex)
    H[0] = rng.normal(size=(n_orb, n_orb))
    H[0] += H[0].T
    for i in range(1, len(R), 2):
        H[i] = rng.normal(size=(n_orb, n_orb)) + 1j * rng.normal(size=(n_orb, n_orb))
        H[i + 1] = H[i].conj().T
    return TightBindingModel(R=np.array(R), degeneracy=np.ones(len(R), int), hoppings_eV=H)


def _bare_kwant_ribbon(width, length, t, a):
    import kwant
    lat = kwant.lattice.honeycomb(a, norbs=1)
    A, B = lat.sublattices
    s = np.sqrt(3) / 2 * a
    # kwant's honeycomb has a1 = (a, 0): zigzag along x; A rows at y = j·s, B rows at j·s + s/3
    # (shifted so that the first A row is at y = 0, as in the qtransport model)
    def across(pos):
        return -1e-3 * s <= pos[1] + a / (2 * np.sqrt(3)) < (width - 1e-3) * s
    sym = kwant.TranslationalSymmetry((a, 0))
    lead = kwant.Builder(sym)
    lead[lat.shape(across, (0, width * s / 2))] = 0.0
    lead[lat.neighbors()] = -t
    syst = kwant.Builder()
    def cell(pos):   # index of the lead cell (fundamental domain spanned by a2 = (a/2, s))
        return np.floor((pos[0] - pos[1] * a / (2 * s)) / a + 1e-6)
    syst[lat.shape(lambda p: across(p) and 0 <= cell(p) < length,
                   next(iter(lead.sites())).pos)] = 0.0
    syst[lat.neighbors()] = -t
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def main(reps: int = 3) -> None:
    from qtransport.tight_binding import tb_systems, wannier
    model = _big_model()
    text = wannier.format_hr(model)
    body = "\n".join(text.splitlines()[4:])
    t_read, t_np = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        back = wannier.parse_hr(text)
        t_read.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        np.loadtxt(io.StringIO(body))
        t_np.append(time.perf_counter() - t0)
    assert back == model
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        wannier.write_hr(Path(tmp) / "big_hr.dat", model)
        t_write = time.perf_counter() - t0

    g = wannier.example("graphene")
    p = wannier.example_parameters("graphene")
    width, length = 50, 100
    t_qt, t_bare = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        fq = tb_systems.ribbon(g, (1, 0), width_cells=width, length_cells=length)
        t_qt.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        fb = _bare_kwant_ribbon(width, length, p["hopping_eV"], p["lattice_constant_nm"])
        t_bare.append(time.perf_counter() - t0)
    # kwant.lattice.honeycomb puts B above A, so its cells are cut differently; after
    # attach_lead the two systems differ by at most one lead cell (2·width sites).
    assert len(fq.sites) == 2 * width * length
    assert abs(len(fb.sites) - len(fq.sites)) <= 2 * width, (len(fq.sites), len(fb.sites))
    med = statistics.median
    print(f"{'step':46s} {'median s':>9s}")
    print(f"{'parse_hr 100 orb x 9 blocks (90 000 lines)':46s} {med(t_read):9.3f}")
    print(f"{'numpy.loadtxt same lines (no checks)':46s} {med(t_np):9.3f}")
    print(f"{'write_hr same model':46s} {t_write:9.3f}")
    print(f"{'ribbon() graphene zigzag 10^4 orbitals + leads':46s} {med(t_qt):9.3f}")
    print(f"{'bare kwant.lattice.honeycomb same ribbon':46s} {med(t_bare):9.3f}"
          f"   ({len(fb.sites)} sites)")
    print(f"wannier import: strict-reader/numpy.loadtxt time ratio = {med(t_read) / med(t_np):.2f} "
          f"(90 000 lines, {reps} reps)")
    print(f"wannier build: qtransport/bare-kwant time ratio = {med(t_qt) / med(t_bare):.2f} "
          f"({2 * width * length} orbitals, {reps} reps)")


if __name__ == "__main__":
    main()
