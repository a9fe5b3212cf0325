"""Wannier90 _hr.dat reader/writer, TightBindingModel and the bundled examples.

References: the analytic bands of the generating models (tb_examples), the Kwant bulk system
(an independent Fourier sum), and exact round trips.
"""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.tight_binding import tb_examples, tb_systems, wannier
from qtransport.tight_binding.tb_model import TightBindingModel
from qtransport.tight_binding.wannier import HrFormatError


def _random_k(n, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, size=(n, 3))


def test_graphene_bands_match_analytic_dispersion():
    # Reference: E(k) = ±t|1 + e^{ik·a1} + e^{ik·a2}| (Wallace 1947). The model stores t with
    # 17 significant digits and H(k) is a sum of 3 terms: round-off ~1e-15 eV, so 1e-10 is safe.
    model = wannier.example("graphene")
    p = wannier.example_parameters("graphene")
    k = _random_k(200)
    ref = tb_examples.honeycomb_dispersion(k, p["hopping_eV"], 0.0)
    assert np.max(np.abs(model.eigenvalues(k) - ref)) < 1e-10
    # explicit form of the formula with Cartesian k·a_i
    a1, a2 = model.lattice_vectors_nm[0], model.lattice_vectors_nm[1]
    kc = k @ model.reciprocal_vectors_per_nm()
    f = np.abs(1 + np.exp(1j * kc @ a1) + np.exp(1j * kc @ a2))
    assert np.max(np.abs(model.eigenvalues(k)[:, 1] - p["hopping_eV"] * f)) < 1e-10


def test_graphene_dirac_velocity():
    # ħv_F = (√3/2) t a at K (Castro Neto et al. 2009); finite difference with δ = 1e-6 of the
    # zone: the cone is linear up to O(δ²) corrections, so relative error < 1e-6.
    model = wannier.example("graphene")
    p = wannier.example_parameters("graphene")
    K = np.array([1 / 3, -1 / 3, 0.0])
    d = 1e-6
    kc = d * np.linalg.norm(model.reciprocal_vectors_per_nm()[0])
    slope = model.eigenvalues(K + [d, 0, 0])[1] / kc
    assert model.eigenvalues(K)[1] == pytest.approx(0.0, abs=1e-12)
    assert slope == pytest.approx(np.sqrt(3) / 2 * p["hopping_eV"] * p["lattice_constant_nm"],
                                  rel=1e-6)


def test_kwant_bulk_matches_model_hamiltonian():
    # Independent method: Kwant's wraparound builds H(k) from the hoppings we added; its
    # eigenvalues must equal the direct Fourier sum to round-off.
    import kwant
    for name in wannier.EXAMPLES:
        model = wannier.example(name)
        wrapped = kwant.wraparound.wraparound(tb_systems.bulk(model)).finalized()
        names = ["k_x", "k_y", "k_z"][: len(model.periodic_axes)]
        for k in _random_k(5, seed=1):
            phases = {n: 2 * np.pi * k[ax] for n, ax in zip(names, model.periodic_axes)}
            got = np.linalg.eigvalsh(wrapped.hamiltonian_submatrix(params=phases))
            assert np.max(np.abs(got - model.eigenvalues(k))) < 1e-12


def test_chain_degeneracy_weights_are_divided_out():
    # The chain stores 2·t2 at R = ±2 with N_deg = 2: E(k) = ε0 + 2t1 cos ka + 2t2 cos 2ka
    # only if the reader divides by the weights (otherwise the cos 2ka term doubles).
    model = wannier.example("chain")
    p = wannier.example_parameters("chain")
    assert model.degeneracy.tolist() == [2, 1, 1, 1, 2]
    k = _random_k(50)
    ref = tb_examples.chain_dispersion(k[:, 0], p["onsite_eV"], p["hopping_eV"],
                                       p["second_hopping_eV"])
    assert np.max(np.abs(model.eigenvalues(k)[:, 0] - ref)) < 1e-12


@pytest.mark.parametrize("name", wannier.EXAMPLES)
def test_bundled_files_equal_their_generators(name):
    # data/ must be what scripts/make_wannier_examples.py writes (bit-identical blocks).
    build = tb_examples.honeycomb if name != "chain" else tb_examples.chain
    fresh = build(**wannier.example_parameters(name), comment=wannier.example(name).comment)
    assert wannier.example(name) == fresh


def _random_model(rng, n_orb=3):
    R = [(0, 0, 0), (1, 0, 0), (-1, 0, 0), (1, -1, 0), (-1, 1, 0), (0, 0, 2), (0, 0, -2)]
    deg = [1, 1, 1, 2, 2, 3, 3]
    H = np.zeros((len(R), n_orb, n_orb), dtype=complex)
    H[0] = rng.normal(size=(n_orb, n_orb)) + 1j * rng.normal(size=(n_orb, n_orb))
    H[0] = H[0] + H[0].conj().T
    for r in (1, 3, 5):
        H[r] = (rng.normal(size=(n_orb, n_orb)) + 1j * rng.normal(size=(n_orb, n_orb))) * deg[r]
        H[r + 1] = H[r].conj().T
    return TightBindingModel(R=np.array(R), degeneracy=np.array(deg), hoppings_eV=H,
                             lattice_vectors_nm=np.diag([0.3, 0.4, 0.5]) + 0.01,
                             orbital_positions_nm=rng.uniform(0, 0.3, size=(n_orb, 3)),
                             comment="random test model")


def test_write_read_round_trip_is_identical(tmp_path):
    rng = np.random.default_rng(7)
    models = [wannier.example(n) for n in wannier.EXAMPLES] + [_random_model(rng)]
    for i, model in enumerate(models):
        path = tmp_path / f"m{i}_hr.dat"
        wannier.write_hr(path, model)
        wannier.write_lattice_toml(tmp_path / f"m{i}_lattice.toml", model)
        back = wannier.read_hr(path)           # geometry from the sidecar
        assert back == model
        assert np.array_equal(back.hamiltonian(_random_k(4)), model.hamiltonian(_random_k(4)))
        # and the text itself is reproduced
        assert wannier.format_hr(back) == path.read_text()


def test_many_weights_span_several_lines(tmp_path):
    # 20 blocks → the weights take 2 lines (15 + 5); counts must still line up.
    R = [(i, 0, 0) for i in range(-9, 11)] + [(-10, 0, 0)]
    n = len(R)
    H = np.zeros((n, 1, 1), dtype=complex)
    for i, r in enumerate(R):
        H[i, 0, 0] = -1.0 / (1 + abs(r[0]))
    model = TightBindingModel(R=np.array(R), degeneracy=np.ones(n, int), hoppings_eV=H)
    text = wannier.format_hr(model)
    assert len(text.splitlines()[3].split()) == 15 and len(text.splitlines()[4].split()) == 6
    assert wannier.parse_hr(text) == model


# -- malformed files ------------------------------------------------------------------------
@pytest.fixture
def graphene_lines():
    return wannier.format_hr(wannier.example("graphene")).splitlines()


def _err(lines) -> HrFormatError:
    with pytest.raises(HrFormatError) as info:
        wannier.parse_hr("\n".join(lines) + "\n", "bad_hr.dat")
    return info.value


def test_truncated_file_names_the_line(graphene_lines):
    err = _err(graphene_lines[:-1])
    assert err.line == len(graphene_lines) and "truncated" in str(err)
    assert f"bad_hr.dat, line {len(graphene_lines)}" in str(err)
    err = _err(graphene_lines[:3])
    assert err.line == 4 and "degeneracy weights" in str(err)


def test_wrong_counts_name_the_line(graphene_lines):
    lines = list(graphene_lines)
    lines[2] = "           6"        # nrpts says 6, the weights line has 5
    err = _err(lines)
    assert err.line == 5 and "degeneracy" in str(err)
    lines = list(graphene_lines)
    lines[1] = "           3"        # num_wann 3: blocks of 9 lines → orbital 3 missing
    err = _err(lines)
    assert err.line >= 5
    lines = list(graphene_lines) + ["    0    0    0    1    1   1.0   0.0"]
    err = _err(lines)
    assert err.line == len(graphene_lines) + 1 and "unexpected data" in str(err)


def test_non_numeric_and_bad_columns_name_the_line(graphene_lines):
    lines = list(graphene_lines)
    lines[6] = lines[6].replace("-2.7000000000000002e+00", "-2.7x0")
    err = _err(lines)
    assert err.line == 7 and "Re H" in str(err) and "'-2.7x0'" in str(err)
    lines = list(graphene_lines)
    lines[8] = lines[8] + " 0.0"
    assert _err(lines).line == 9
    lines = list(graphene_lines)
    lines[1] = "two"
    assert _err(lines).line == 2
    lines = list(graphene_lines)
    lines[3] = "    1    1    0    1    1"
    assert "degeneracy weight must be >= 1" in str(_err(lines))
    lines = list(graphene_lines)
    lines[4] = lines[4].replace("    1    1 ", "    3    1 ", 1)
    err = _err(lines)
    assert err.line == 5 and "1..num_wann=2" in str(err)


def test_non_hermitian_data_names_the_line(graphene_lines):
    lines = list(graphene_lines)
    # line 10 is R=(1,0,0), (m, n) = (2, 1): change it so H(R) != H(-R)^†
    assert lines[9].split()[:5] == ["1", "0", "0", "2", "1"]
    lines[9] = lines[9].replace("-2.7000000000000002e+00", "-2.6000000000000000e+00")
    err = _err(lines)
    assert err.line in (10, 15) and "not Hermitian" in str(err) and "0.1" in str(err)
    # an imaginary part that does not flip sign is non-Hermitian too
    lines = list(graphene_lines)
    lines[5] = lines[5][:-24] + "   1.0000000000000000e-03"
    lines[6] = lines[6][:-24] + "   1.0000000000000000e-03"
    assert "not Hermitian" in str(_err(lines))
    # Wannier90's 6-decimal rounding (≤ 5e-7 per entry) is accepted
    lines = list(graphene_lines)
    lines[9] = lines[9].replace("-2.7000000000000002e+00", "-2.7000004000000000e+00")
    wannier.parse_hr("\n".join(lines))


def test_missing_partner_and_duplicates(graphene_lines):
    lines = list(graphene_lines)
    for i in range(12, 16):                      # R = (-1, 0, 0) → (-1, 1, 0): no partner for it
        lines[i] = lines[i].replace("   -1    0    0", "   -1    1    0", 1)
    assert "no partner" in str(_err(lines))
    lines = list(graphene_lines)
    lines[6] = lines[6].replace("    0    0    0    1    2", "    0    0    0    2    1", 1)
    err = _err(lines)
    assert err.line == 7 and "repeated" in str(err)


# -- companions -----------------------------------------------------------------------------
def test_win_and_centres_companions(tmp_path):
    model = wannier.example("graphene")
    wannier.write_hr(tmp_path / "gr_hr.dat", model)
    lat_ang = model.lattice_vectors_nm * 10
    (tmp_path / "gr.win").write_text(
        "num_wann = 2\n! comment\nbegin unit_cell_cart\nang\n"
        + "".join(f"  {v[0]:.15f} {v[1]:.15f} {v[2]:.15f}\n" for v in lat_ang)
        + "end unit_cell_cart\n")
    pos = model.orbital_positions_nm * 10
    (tmp_path / "gr_centres.xyz").write_text(
        "4\n centres\n" + "".join(f"X {p[0]:.15f} {p[1]:.15f} {p[2]:.15f}\n" for p in pos)
        + "C 0 0 0\nC 1 1 0\n")
    back = wannier.read_hr(tmp_path / "gr_hr.dat")
    assert np.allclose(back.lattice_vectors_nm, model.lattice_vectors_nm, atol=1e-14)
    assert np.allclose(back.orbital_positions_nm, model.orbital_positions_nm, atol=1e-14)
    bohr = wannier._BOHR_NM
    (tmp_path / "gr.win").write_text("begin unit_cell_cart\nbohr\n1 0 0\n0 2 0\n0 0 3\n"
                                     "end unit_cell_cart\n")
    assert np.allclose(wannier.read_win_lattice(tmp_path / "gr.win"),
                       np.diag([1, 2, 3]) * bohr)
    explicit = wannier.read_hr(tmp_path / "gr_hr.dat", lattice_vectors_nm=np.eye(3))
    assert np.array_equal(explicit.lattice_vectors_nm, np.eye(3))
    (tmp_path / "gr.win").write_text("begin unit_cell_cart\n1 0 0\n0 x 0\n0 0 3\n"
                                     "end unit_cell_cart\n")
    with pytest.raises(HrFormatError, match="line 3"):
        wannier.read_win_lattice(tmp_path / "gr.win")


def test_wsvec_moves_hoppings_to_their_images(tmp_path):
    # H_12(R=0) = -1 split into the images R = 0 and R = (1,0,0) (N = 2): the result must equal
    # a model with -1/2 at both, and stay Hermitian.
    H = np.zeros((3, 2, 2), dtype=complex)
    H[0] = [[0.5, -1.0], [-1.0, -0.5]]
    H[1, 0, 1] = -0.2
    H[2, 1, 0] = -0.2
    model = TightBindingModel(R=np.array([[0, 0, 0], [1, 0, 0], [-1, 0, 0]]),
                              degeneracy=np.ones(3, int), hoppings_eV=H)
    (tmp_path / "ws_wsvec.dat").write_text(
        "## test\n    0    0    0    1    2\n    2\n    0    0    0\n    1    0    0\n"
        "    0    0    0    2    1\n    2\n    0    0    0\n   -1    0    0\n")
    shifted = wannier.apply_wsvec(model, tmp_path / "ws_wsvec.dat")
    E = np.zeros((3, 2, 2), dtype=complex)
    E[0] = [[0.5, -0.5], [-0.5, -0.5]]
    E[1, 0, 1] = -0.2 - 0.5
    E[2, 1, 0] = -0.2 - 0.5
    expected = TightBindingModel(R=np.array([[0, 0, 0], [1, 0, 0], [-1, 0, 0]]),
                                 degeneracy=np.ones(3, int), hoppings_eV=E)
    k = _random_k(10)
    assert np.allclose(shifted.hamiltonian(k), expected.hamiltonian(k), atol=1e-15)
    assert shifted.hermiticity_error() == 0.0
    (tmp_path / "ws_wsvec.dat").write_text("    0    0    0    1    2\n    2\n    0    0    0\n")
    with pytest.raises(HrFormatError, match="ends inside"):
        wannier.apply_wsvec(model, tmp_path / "ws_wsvec.dat")


def test_cutoff_drops_small_hoppings():
    # graphene plus a tiny third-neighbour-like term; the cut-off restores the analytic NN bands.
    g = wannier.example("graphene")
    R = np.vstack([g.R, [[1, 1, 0], [-1, -1, 0]]])
    H = np.concatenate([g.hoppings_eV, np.zeros((2, 2, 2))])
    H[-2, 0, 1], H[-1, 1, 0] = 1e-4, 1e-4
    noisy = TightBindingModel(R=R, degeneracy=np.ones(len(R), int), hoppings_eV=H,
                              lattice_vectors_nm=g.lattice_vectors_nm,
                              orbital_positions_nm=g.orbital_positions_nm)
    k = _random_k(20)
    assert np.max(np.abs(noisy.eigenvalues(k) - g.eigenvalues(k))) > 1e-5
    cut = noisy.with_cutoff(1e-3)
    assert np.all(cut.hoppings_eV[-2:] == 0) and cut.periodic_axes == (0, 1)
    assert np.max(np.abs(cut.eigenvalues(k) - g.eigenvalues(k))) < 1e-12
    n_hop = lambda m: sum(1 for _ in tb_systems.ribbon_builder(m, (1, 0), width_cells=3,
                                                                  length_cells=3).hoppings())
    assert n_hop(cut) < n_hop(noisy)
    with pytest.raises(ValueError, match="min_abs_eV"):
        noisy.with_cutoff(-1.0)


def test_model_validation_errors():
    with pytest.raises(ValueError, match="degeneracy"):
        TightBindingModel(R=np.zeros((1, 3), int), degeneracy=np.array([0]),
                          hoppings_eV=np.zeros((1, 1, 1)))
    with pytest.raises(ValueError, match="lattice vector twice"):
        TightBindingModel(R=np.zeros((2, 3), int), degeneracy=np.ones(2, int),
                          hoppings_eV=np.zeros((2, 1, 1)))
    with pytest.raises(ValueError, match="no lattice vectors"):
        TightBindingModel(R=np.zeros((1, 3), int), degeneracy=np.ones(1, int),
                          hoppings_eV=np.zeros((1, 1, 1))).reciprocal_vectors_per_nm()
    with pytest.raises(ValueError, match="name must be one of"):
        wannier.example("silicon")
    with pytest.raises(ValueError, match="existing _hr.dat"):
        wannier.load("/nonexistent_hr.dat")
