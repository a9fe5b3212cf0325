"""Recursive Green's function transmission against kwant.smatrix (the independent method).

Tolerance 1e-10 relative in T: the lead self-energies are the Bloch eigensolve's
(tight_binding.lead_selfenergy, equal to Kwant's modes to ~1e-12; Kwant's own within ~2e-4 t of
a mode threshold, where a just-closed channel's tiny T amplifies round-off), and the linear
algebra differs (dense slice LU + Caroli formula vs MUMPS + S-matrix), whose round-off is ~1e-13
relative for these well-conditioned systems (measured ≤ 1.1e-12), so 1e-10 leaves a margin of
~100 and still
catches any error in the recursion (a wrong Dyson term is O(1), see the history of rgf.py).
Every comparison asserts that RGF itself produced the number (its checks passed, no Kwant
fallback), except where the fallback is what is tested.
"""
import kwant
import numpy as np
import pytest

from qtransport.errors import WorkLimitError
from qtransport.tight_binding import filament, rgf
from qtransport.tight_binding.lattice import transmission_sweep

RTOL = 1e-10


def _filament(width, electrode, length, dim, disorder=0.0, seed=3, profile="abrupt"):
    sections = tuple(tuple(filament._centered(w, electrode, dim))
                     for w in filament._profile_widths(width, electrode, length, profile))
    fsyst, central = filament._build(sections, electrode, dim)
    return fsyst, filament._params(central, 1.0, dim, disorder, seed)


def _thresholds(electrode, dim):
    """Energies within 1e-7 and 1e-6 of the electrode's mode openings and closings (ε, ε+4t)."""
    eps = np.unique(filament.transverse_energies_eV(electrode, dim).round(12))
    edges = np.concatenate([eps[:4], eps[:2] + 4.0])
    return np.concatenate([edges + d for d in (-1e-6, -1e-7, 1e-7, 1e-6)])


def _kwant(fsyst, energies, params=None):
    out = []
    for e in energies:
        smat = kwant.smatrix(fsyst, e, params=params)
        out.append((smat.transmission(1, 0), smat.num_propagating(0)))
    return np.array(out).T


def _rgf_only(fsyst, energies, params=None, **options):
    """T and open modes from the RGF sweep itself, asserting that no energy needed the Kwant
    fallback — except the documented hand-off of T < rgf.TINY_TRANSMISSION, where the Kwant
    value (which transmission_sweep then returns) is substituted."""
    sweep = rgf.prepare(fsyst, params, **options)
    out = [sweep(float(e)) for e in energies]
    t = np.array([t for t, _, _ in out])
    failed = [i for i, (_, _, ok) in enumerate(out) if not ok]
    if failed:
        t_k = _kwant(fsyst, np.asarray(energies)[failed], params)[0]
        assert np.all(t_k < rgf.TINY_TRANSMISSION), \
            f"RGF checks failed (would fall back to Kwant) at {np.asarray(energies)[failed]}"
        t[failed] = t_k
    return t, np.array([n for _, n, _ in out])


def _assert_close(t, t_kwant):
    """|T − T_kwant| ≤ 1e-10 T_kwant (both exactly 0 where no mode is open)."""
    t, t_kwant = np.asarray(t), np.asarray(t_kwant)
    both_zero = (t == 0) & (t_kwant < 1e-300)
    rel = np.abs(t - t_kwant) / np.where(both_zero, 1.0, np.abs(t_kwant))
    assert np.all(rel[~both_zero] <= RTOL), f"max relative deviation {rel.max():.2e}"


@pytest.mark.parametrize("case", [
    dict(width=6, electrode=6, length=12, dim=2),                     # uniform wire
    dict(width=3, electrode=9, length=6, dim=2, disorder=1.0),         # disordered constriction
    dict(width=2, electrode=10, length=8, dim=2, disorder=0.7, profile="smooth"),
    dict(width=2, electrode=6, length=5, dim=3, disorder=2.0, seed=11),
    dict(width=3, electrode=7, length=4, dim=3),                       # odd widths: off-centre
])
@pytest.mark.parametrize("dense", [0, rgf.DENSE_ORBITALS], ids=["sliced", "auto"])
def test_rgf_matches_kwant_on_grid_band_centre_and_thresholds(case, dense):
    """dense=0 forces the slice recursion (these systems are small enough for one block)."""
    dim = case["dim"]
    fsyst, params = _filament(**case)
    energies = np.concatenate([np.linspace(0.05, 4 * dim - 0.05, 7), [2.0 * dim, 1.0],
                               _thresholds(case["electrode"], dim)])
    t, modes = _rgf_only(fsyst, energies, params, dense_orbitals=dense)
    t_k, modes_k = _kwant(fsyst, energies, params)
    _assert_close(t, t_k)
    np.testing.assert_array_equal(modes, modes_k)       # integer mode counts: exact contract


def test_rgf_matches_kwant_for_tunneling_through_a_pinched_constriction():
    """Below the narrow part's first channel T is exponentially small (tunneling): the Caroli
    formula keeps its relative accuracy there (no 1 − R cancellation)."""
    fsyst, params = _filament(1, 8, 12, 2)
    # one-site chain: band 2t … 6t on on-site 4t; below 2t it tunnels (evanescent)
    energies = np.array([0.3, 0.6, 1.0, 1.5])
    t, _ = _rgf_only(fsyst, energies, params)
    t_k, _ = _kwant(fsyst, energies, params)
    assert t_k.min() < 1e-6                             # really a tunneling regime
    _assert_close(t, t_k)


@pytest.mark.parametrize("dense", [0, rgf.DENSE_ORBITALS], ids=["sliced", "auto"])
def test_rgf_matches_kwant_for_many_disorder_configurations(dense):
    """Ten disorder seeds of a 3D constriction at the half-filled band centre (6t, where the
    ECM read happens and a naive one-way recursion meets singular partial blocks) and near it."""
    energies = np.array([6.0, 5.5, 3.3])
    for seed in range(10):
        fsyst, params = _filament(3, 7, 5, 3, disorder=1.5, seed=seed)
        t, _ = _rgf_only(fsyst, energies, params, dense_orbitals=dense)
        _assert_close(t, _kwant(fsyst, energies, params)[0])


@pytest.mark.parametrize("dense", [0, rgf.DENSE_ORBITALS], ids=["sliced", "auto"])
def test_vacancy_configurations_match_kwant(dense):
    """Random atom configurations of an ECM box (absent atoms = vacancies, on-site 1e9 t) at
    the band centre, end to end through transmission_sweep: partial systems reached only
    through vacancies (caught by the pivot and Ward checks) and vacancy-blocked T ~ 1e-17
    (handed to Kwant) must still come out as Kwant's T to 1e-10."""
    rng = np.random.default_rng(5)
    fsyst, central = filament._build((tuple(filament._square(3, 3)),) * 4, 3, 3)
    for _ in range(12):
        vacancies = [s for s in central if rng.random() > 0.6]
        params = filament._params(central, 1.0, 3, 0.3, 1, vacancies)
        sweep = rgf.prepare(fsyst, params, dense_orbitals=dense)
        t = []
        for e in (6.0, 4.5):
            value, _, ok = sweep(e)
            # what transmission_sweep does with an energy failing the checks
            t.append(value if ok else transmission_sweep(fsyst, [e], params,
                                                          method="kwant")[0][0])
        _assert_close(t, _kwant(fsyst, [6.0, 4.5], params)[0])


def _graphene_ribbon(width=4, length=5):
    """Armchair-free zigzag ribbon of graphene: two sublattices, slices merged by the plan."""
    lat = kwant.lattice.honeycomb(norbs=1)
    syst = kwant.Builder()

    def shape(pos):
        return 0 <= pos[0] < length and 0 <= pos[1] < width

    syst[lat.shape(shape, (0, 0))] = 0.0
    syst[lat.neighbors()] = -1.0
    lead = kwant.Builder(kwant.TranslationalSymmetry(lat.vec((-1, 0))))
    lead[lat.shape(lambda p: 0 <= p[1] < width, (0, 0))] = 0.0
    lead[lat.neighbors()] = -1.0
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def _spinful_wire(width=3, length=6):
    """Two orbitals per site, complex (spin–orbit-like) hopping, Zeeman term: no real symmetry."""
    lat = kwant.lattice.square(1, norbs=2)
    sx = np.array([[0, 1], [1, 0]])
    sy = np.array([[0, -1j], [1j, 0]])
    sz = np.diag([1.0, -1.0])
    syst = kwant.Builder()
    syst[(lat(x, y) for x in range(length) for y in range(width))] = 4 * np.eye(2) + 0.3 * sz
    syst[kwant.builder.HoppingKind((1, 0), lat)] = -np.eye(2) + 0.2j * sy
    syst[kwant.builder.HoppingKind((0, 1), lat)] = -np.eye(2) - 0.2j * sx
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    lead[(lat(0, y) for y in range(width))] = 4 * np.eye(2) + 0.3 * sz
    lead[kwant.builder.HoppingKind((1, 0), lat)] = -np.eye(2) + 0.2j * sy
    lead[kwant.builder.HoppingKind((0, 1), lat)] = -np.eye(2) - 0.2j * sx
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


@pytest.mark.parametrize("make, energies", [
    (_graphene_ribbon, [0.1, 0.7, 1.3, 2.2]),
    (_spinful_wire, [0.4, 1.1, 2.0, 3.7]),
])
def test_rgf_handles_polyatomic_lattices_and_several_orbitals(make, energies):
    fsyst = make()
    plan = rgf.slice_plan(fsyst)
    assert plan is not None and len(plan.sizes) > 2
    t, modes = _rgf_only(fsyst, energies, dense_orbitals=0)
    t_k, modes_k = _kwant(fsyst, energies)
    _assert_close(t, t_k)
    np.testing.assert_array_equal(modes, modes_k)       # integer counts


def test_exact_mode_threshold_is_handed_to_kwant():
    """E exactly at an opening of the 4×4 wire's leads (0.382 + 2.618 = 3.0 t): Γ has a spurious
    zero-velocity part, the sweep flags it and transmission_sweep returns Kwant's number."""
    fsyst, params = _filament(4, 4, 3, 3)
    _, _, ok = rgf.prepare(fsyst, params)(3.0)
    assert not ok
    t, _ = transmission_sweep(fsyst, [3.0], params, method="rgf")
    np.testing.assert_allclose(t, _kwant(fsyst, [3.0], params)[0], rtol=RTOL)


def test_three_terminal_system_is_not_slice_structured_and_auto_uses_kwant():
    lat = kwant.lattice.square(1, norbs=1)
    syst = kwant.Builder()
    syst[(lat(x, y) for x in range(5) for y in range(5))] = 4.0
    syst[lat.neighbors()] = -1.0
    for direction, cells in (((-1, 0), [(0, y) for y in range(5)]),
                             ((1, 0), [(0, y) for y in range(5)]),
                             ((0, 1), [(x, 0) for x in range(5)])):
        lead = kwant.Builder(kwant.TranslationalSymmetry(direction))
        lead[(lat(*c) for c in cells)] = 4.0
        lead[lat.neighbors()] = -1.0
        syst.attach_lead(lead)
    fsyst = syst.finalized()
    assert rgf.slice_plan(fsyst) is None
    with pytest.raises(ValueError, match="not slice-structured"):
        transmission_sweep(fsyst, [1.0], method="rgf")
    t, _ = transmission_sweep(fsyst, [1.0, 2.0])                # auto: Kwant
    np.testing.assert_allclose(t, _kwant(fsyst, [1.0, 2.0])[0], rtol=RTOL)


def test_perpendicular_leads_give_a_correct_transmission_either_way():
    """An L-shaped bend: leads not at opposite ends. The plan merges what it must (or declines);
    whichever solver runs, T equals Kwant's."""
    lat = kwant.lattice.square(1, norbs=1)
    syst = kwant.Builder()
    syst[(lat(x, y) for x in range(6) for y in range(6) if x < 3 or y < 3)] = 4.0
    syst[lat.neighbors()] = -1.0
    left = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    left[(lat(0, y) for y in range(3))] = 4.0
    left[lat.neighbors()] = -1.0
    top = kwant.Builder(kwant.TranslationalSymmetry((0, 1)))
    top[(lat(x, 0) for x in range(3))] = 4.0
    top[lat.neighbors()] = -1.0
    syst.attach_lead(left)
    syst.attach_lead(top)
    fsyst = syst.finalized()
    energies = [0.5, 1.7, 2.9]
    t, _ = transmission_sweep(fsyst, energies)
    np.testing.assert_allclose(t, _kwant(fsyst, energies)[0], rtol=RTOL)


def test_memory_estimate_refuses_above_the_limit_and_auto_falls_back():
    fsyst, params = _filament(5, 5, 10, 2)
    plan = rgf.slice_plan(fsyst, params=params)
    estimate = rgf.memory_bytes(plan.sizes)
    # 14 slices of 5 orbitals: 16 B × (14·25 + 2·13·25 + 4·25)
    assert estimate == 16 * (14 * 25 + 2 * 13 * 25 + 4 * 25)
    with pytest.raises(WorkLimitError, match=r"max_bytes.*bytes"):
        transmission_sweep(fsyst, [1.0], params, method="rgf", max_rgf_bytes=estimate - 1)
    t, _ = transmission_sweep(fsyst, [0.5, 2.5], params, max_rgf_bytes=estimate - 1)  # Kwant
    np.testing.assert_allclose(t, filament.wire_mode_count(5, [0.5, 2.5]), atol=1e-9)
    with pytest.raises(ValueError, match="method"):
        transmission_sweep(fsyst, [1.0], params, method="fast")


def test_identical_leads_and_repeated_configurations_share_one_mode_computation(monkeypatch):
    """A wire's two electrodes are one lead-mode computation per energy (the Bloch eigensolve,
    Kwant's modes not needed away from thresholds), and a second disorder configuration with
    the same electrodes (a KMC read) computes none."""
    calls, kwant_calls = [], []
    original = kwant.system.InfiniteSystem.modes
    eigensolve = rgf.retarded_selfenergy

    def counting(self, *args, **kwargs):
        kwant_calls.append(args)
        return original(self, *args, **kwargs)

    def counting_eig(*args):
        calls.append(args)
        return eigensolve(*args)

    monkeypatch.setattr(kwant.system.InfiniteSystem, "modes", counting)
    monkeypatch.setattr(rgf, "retarded_selfenergy", counting_eig)
    rgf.clear_lead_cache()
    energies = [0.7, 1.9, 3.1]
    fsyst, params = _filament(2, 6, 4, 2, disorder=1.0, seed=1)
    first, _ = transmission_sweep(fsyst, energies, params, method="rgf")
    assert (len(calls), len(kwant_calls)) == (len(energies), 0)
    _, params2 = _filament(2, 6, 4, 2, disorder=1.0, seed=2)
    second, _ = transmission_sweep(fsyst, energies, params2, method="rgf")
    assert (len(calls), len(kwant_calls)) == (len(energies), 0)      # all from the cache
    assert np.abs(first - second).max() > 1e-3                  # really another configuration
    monkeypatch.undo()
    _assert_close(second, _kwant(fsyst, energies, params2)[0])


def test_lead_selfenergy_asks_kwant_next_to_a_threshold(monkeypatch):
    """Within ~2e-4 t of a mode threshold the eigensolve declines and Kwant's modes give Σ
    (the RGF results there stay Kwant's own); away from it no Kwant call is made."""
    calls = []
    original = kwant.system.InfiniteSystem.modes

    def counting(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(kwant.system.InfiniteSystem, "modes", counting)
    rgf.clear_lead_cache()
    fsyst, params = _filament(3, 9, 6, 2)
    opening = float(np.unique(filament.transverse_energies_eV(9, 2).round(12))[1])
    for e in (opening - 1e-7, opening + 1e-7, opening + 1e-6):
        rgf.lead_selfenergy(fsyst.leads[0], e, params)
    assert len(calls) == 3
    rgf.lead_selfenergy(fsyst.leads[0], opening + 0.05, params)
    assert len(calls) == 3


def test_reversed_leads_give_kwants_reverse_transmission():
    """lead_in = 1 (the right electrode): the plan flips the slice order; T_{0←1} and the open
    modes of lead 1 as Kwant's."""
    fsyst, params = _filament(3, 9, 6, 2, disorder=1.0)
    energies = [0.7, 1.9, 3.3]
    sweep = rgf.prepare(fsyst, params, 1, 0, dense_orbitals=0)
    out = [sweep(e) for e in energies]
    assert all(ok for _, _, ok in out)
    ref = [kwant.smatrix(fsyst, e, params=params) for e in energies]
    _assert_close([t for t, _, _ in out], [s.transmission(0, 1) for s in ref])
    assert [n for _, n, _ in out] == [s.num_propagating(1) for s in ref]     # integer counts


@pytest.mark.parametrize("width, length, dim, one_block", [
    (3, 20, 2, True),       # thin wire, 24 slices of 3: Python per slice costs more than n³
    (13, 20, 2, False),     # the sweep benchmark's widest strip: 312 orbitals, n³ dominates
    (2, 6, 3, True),        # 3-D wire, 4 orbitals per slice
    (4, 20, 3, False),      # 3-D constriction, 16 orbitals per slice, 384 orbitals
])
def test_default_block_choice_follows_the_cost_model_and_gives_the_same_T(width, length, dim,
                                                                          one_block):
    """Default prepare: one dense block only where the cost model says it is faster, and the
    same T as both forced choices. Tolerance 1e-12 absolute: two LU orderings of the same
    well-conditioned Green's function differ by round-off (measured ≤ 8e-15 on these)."""
    electrode = width + 2
    fsyst, params = _filament(width, electrode, length, dim, disorder=0.5, seed=7)
    energies = np.linspace(0.3, 3.7, 9) if dim == 2 else np.linspace(0.3, 5.3, 9)
    default = rgf.prepare(fsyst, params)
    assert (len(default.plan.sizes) == 1) == one_block
    sizes = rgf.prepare(fsyst, params, dense_orbitals=0).plan.sizes
    assert rgf.dense_is_cheaper(sizes) == one_block
    t = _rgf_only(fsyst, energies, params)[0]
    for forced in (0, 10 ** 6):
        t_forced = _rgf_only(fsyst, energies, params, dense_orbitals=forced)[0]
        np.testing.assert_allclose(t, t_forced, rtol=0, atol=1e-12)
    np.testing.assert_allclose(t, _kwant(fsyst, energies, params)[0], rtol=RTOL, atol=1e-12)


def test_cost_model_never_takes_one_block_above_dense_orbitals():
    """Above DENSE_ORBITALS the default is sliced even where the model would favour one block
    (few large slices), so the dense block's n² memory stays bounded."""
    fsyst, params = _filament(10, 12, 2, 3)      # 3-D: 6 slices of 100-144, 776 orbitals
    sizes = rgf.prepare(fsyst, params, dense_orbitals=0).plan.sizes
    assert sizes.sum() > rgf.DENSE_ORBITALS and rgf.dense_is_cheaper(sizes)
    assert len(rgf.prepare(fsyst, params).plan.sizes) == len(sizes)
    assert not rgf.dense_is_cheaper([40] * 30)
