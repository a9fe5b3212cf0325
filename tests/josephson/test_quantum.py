"""Charge-basis spectra: independent dense diagonalization, scqubits, transmon limit, QuTiP."""
import numpy as np
import pytest
import scqubits

from qtransport import josephson
from qtransport.josephson import quantum


def dense_reference(ej, ec, ng, ncut):
    """Independent construction: cos φ = (e^{iφ} + e^{−iφ})/2 with e^{iφ}|n⟩ = |n+1⟩."""
    n = np.arange(-ncut, ncut + 1)
    shift = np.eye(n.size, k=1)
    ham = np.diag(4 * ec * (n - ng) ** 2) - ej * (shift + shift.T) / 2
    return np.linalg.eigvalsh(ham)


def test_spectrum_matches_dense_diagonalization_random():
    """Both are LAPACK-exact to ~1e-14 of the matrix norm; 1e-9 relative leaves a wide margin."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        ej, ec, ng = rng.uniform(0.1, 60), rng.uniform(0.05, 5), rng.uniform(-1, 1)
        got = quantum.spectrum(ej, ec, ng, ncut=25, levels=6)
        ref = dense_reference(ej, ec, ng, 25)[:6]
        np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9 * np.abs(ref).max())


def test_spectrum_matches_scqubits_transmon():
    t = scqubits.Transmon(EJ=20.0, EC=0.3, ng=0.3, ncut=30, truncated_dim=5)
    np.testing.assert_allclose(josephson.quantum.spectrum(ej_GHz=20.0, ec_GHz=0.3, ng=0.3,
                                                          ncut=30, levels=5),
                               t.eigenvals(evals_count=5), rtol=1e-10)


def test_transmon_limit():
    """E01 → √(8E_JE_C) − E_C; the next term of the asymptotic series is ≈ −E_C√(E_C/8E_J)
    (measured coefficient −0.354), so |error| < 0.5 E_C √(E_C/E_J) and shrinks with E_J/E_C;
    anharmonicity → −E_C with a correction ≈ −0.8 E_C √(E_C/E_J) (measured 1.05 → 0.81 for
    E_J/E_C = 50 → 5000), so |α + E_C| < 1.2 E_C √(E_C/E_J)."""
    prev = np.inf
    for ratio in (50, 200, 1000):
        e = quantum.spectrum(ratio * 1.0, 1.0, 0.25, ncut=60, levels=3)
        err = abs((e[1] - e[0]) - quantum.transmon_e01_GHz(ratio * 1.0, 1.0))
        assert err < 0.5 * np.sqrt(1.0 / ratio) and err < prev
        prev = err
        assert (e[2] - e[1]) - (e[1] - e[0]) == pytest.approx(-1.0, abs=1.2 / np.sqrt(ratio))


def test_hamiltonian_is_sparse_qobj_with_same_spectrum():
    h = josephson.quantum.hamiltonian(ej_GHz=20.0, ec_GHz=0.3, ng=0.3, ncut=30)
    assert h.shape == (61, 61) and h.isherm and type(h.data).__name__ == "CSR"
    np.testing.assert_allclose(h.eigenenergies()[:5], quantum.spectrum(20.0, 0.3, 0.3, 30, 5),
                               rtol=1e-10)


def test_spectrum_vs_ng_is_periodic_and_registered():
    from qtransport.workflows import catalog
    r = catalog.get_model("josephson.spectrum")(ej_GHz=1.0, ec_GHz=1.0,
                                                ng_values=[0.0, 0.25, 1.0], ncut=10, levels=3)
    np.testing.assert_allclose(r.energies_GHz[0], r.energies_GHz[2], rtol=1e-12)
    assert r.energies_GHz.shape == (3, 3)


@pytest.mark.parametrize("kwargs,name", [(dict(ncut=0), "ncut"), (dict(ec_GHz=0.0), "ec_GHz"),
                                         (dict(ng=float("nan")), "ng"),
                                         (dict(ej_GHz=-1.0), "ej_GHz"), (dict(levels=100), "levels")])
def test_bad_input_names_parameter(kwargs, name):
    args = dict(ej_GHz=20.0, ec_GHz=0.3, ng=0.3, ncut=30, levels=5) | kwargs
    with pytest.raises(ValueError, match=name):
        quantum.spectrum(**args)


def test_batched_spectra_match_dense_diagonalization():
    """The batched solver (≥ BATCH_MIN points: vectorized Sturm-safeguarded Newton) against
    numpy's dense eigvalsh point by point: both are accurate to ~1e-14 of the matrix norm
    ‖T‖ ≤ 4E_C(ncut + 1)² + E_J, so 1e-10 of the largest |level| leaves a wide margin. Random
    points cover the charge regime (E_J/E_C ≪ 1, near-degenerate pairs at n_g = ½), the
    transmon regime, and E_J = 0 rows (exact charge states)."""
    rng = np.random.default_rng(1)
    ec = 0.4
    ej = np.concatenate([rng.uniform(0, 80, 40), 10 ** rng.uniform(-5, 0, 15), [0.0, 0.0]])
    ng = np.concatenate([rng.uniform(-1, 1, 45), np.full(12, 0.5)])
    assert ej.size >= quantum.BATCH_MIN
    got = quantum.spectrum(ej, ec, ng, ncut=20, levels=6)
    for g, a, b in zip(got, ej, ng):
        ref = dense_reference(a, ec, b, 20)[:6]
        np.testing.assert_allclose(g, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


def test_batched_sweeps_match_scqubits():
    """n_g and E_J sweeps (the flux-tunable transmon) against scqubits'
    get_spectrum_vs_paramvals, which diagonalizes one point at a time with LAPACK."""
    t = scqubits.Transmon(EJ=20.0, EC=0.3, ng=0.0, ncut=30, truncated_dim=5)
    scqubits.settings.PROGRESSBAR_DISABLED = True
    ng = np.linspace(-1, 1, 1000)              # the benchmark's sweeps (interpolated path)
    ref = t.get_spectrum_vs_paramvals("ng", ng, evals_count=5, subtract_ground=False)
    got = quantum.spectrum(20.0, 0.3, ng, 30, 5)
    np.testing.assert_allclose(got, ref.energy_table, rtol=1e-10)
    ej = np.linspace(2.0, 40.0, 1000)
    t.ng = 0.3
    ref = t.get_spectrum_vs_paramvals("EJ", ej, evals_count=5, subtract_ground=False)
    got = quantum.spectrum(ej, 0.3, 0.3, 30, 5)
    assert got.shape == (1000, 5)
    np.testing.assert_allclose(got, ref.energy_table, rtol=1e-10,
                               atol=1e-10 * np.abs(ref.energy_table).max())


def test_batched_truncation_warning_matches_single_points():
    """The batched path screens with a rigorous edge-weight bound and then uses the same exact
    estimate as the per-point path, so a too-small ncut warns the same way in both."""
    import warnings
    from qtransport.errors import AccuracyWarning
    ng = np.linspace(-1, 1, 3 * quantum.BATCH_MIN)
    for many in (ng, ng[:2]):
        with pytest.warns(AccuracyWarning, match="ncut = 4 is too small"):
            quantum.spectrum(13.4, 0.2, many, ncut=4, levels=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        quantum.spectrum(np.linspace(0.0, 60.0, 50), 0.3, 0.25, ncut=30, levels=5)


def _assert_levels_match_dense(got, ej, ec, ng, ncut):
    """Every point against numpy's dense eigvalsh of the same (2 ncut + 1)² matrix. Both sides
    are accurate to ~1e-15 ‖T‖ ≈ 1e-12 GHz here, and the sweep path verifies its levels to
    1e-12 of the largest |level| (+ E_C), so 1e-10 of the largest |level| is the claim's
    tolerance with a wide margin."""
    ej, ng = np.broadcast_arrays(np.asarray(ej, float), np.asarray(ng, float))
    for g, a, b in zip(got, ej.ravel(), ng.ravel()):
        ref = dense_reference(a, ec, b, ncut)[:got.shape[1]]
        np.testing.assert_allclose(g, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


@pytest.mark.parametrize("ratio", [0.05, 1.0, 50.0, 100.0])
def test_ng_sweeps_match_dense_in_every_regime(ratio):
    """n_g sweeps (201 points in [−1, 1]: n_g = 0, ±½ exactly and generic values) from the charge
    regime (E_J/E_C = 0.05: near-degenerate pairs at n_g = ½, the fifth level and its partner
    split by 2e-12 GHz only) through E_J ≈ E_C to the transmon regime (50, 100)."""
    ec = 0.3
    ng = np.linspace(-1.0, 1.0, 201)
    got = quantum.spectrum(ratio * ec, ec, ng, ncut=30, levels=5)
    _assert_levels_match_dense(got, ratio * ec, ec, ng, 30)


@pytest.mark.parametrize("ratio", [0.05, 1.0, 5.0])
def test_charge_regime_ng_sweeps_from_a_rough_interpolant_match_dense(ratio):
    """1000-point n_g sweeps where the higher bands nearly touch at n_g = 0, ½ (E_J/E_C ≤ 5):
    the interpolant is rough (tail > 1e-7), Newton steps start from it and near-degenerate
    pairs can pull them to the wrong level — the Sturm check must catch every such point."""
    ec = 0.3
    ng = np.linspace(-1.0, 1.0, 1000)
    guess, polish, _ = quantum._sweep_guess(np.full(ng.size, ratio * ec), ng, ec, 30, 5)
    assert polish                               # the rough-interpolant path is the one tested
    got = quantum.spectrum(ratio * ec, ec, ng, ncut=30, levels=5)
    _assert_levels_match_dense(got, ratio * ec, ec, ng, 30)


@pytest.mark.parametrize("lo,hi", [(0.0, 0.3), (0.5, 2.0), (50.0, 100.0), (2.0, 40.0)])
@pytest.mark.parametrize("ng", [0.0, 0.5, 0.3])
def test_ej_sweeps_match_dense_in_every_regime(lo, hi, ng):
    """E_J sweeps (flux-tunable transmon, 400 points: enough for the interpolated path) in units of E_C = 1 GHz: the charge regime
    from E_J = 0 exactly (degenerate charge states at n_g = 0, ½), E_J ≈ E_C, the transmon
    regime, and the benchmark's 2 … 40 GHz; at the symmetric points n_g = 0, ½ and generic."""
    ej = np.linspace(lo, hi, 400)
    got = quantum.spectrum(ej, 1.0, ng, ncut=30, levels=5)
    _assert_levels_match_dense(got, ej, 1.0, ng, 30)


def test_sweep_interpolation_is_used_and_its_verification_rejects_wrong_levels():
    """The fast path (Chebyshev interpolation along the sweep) is taken for the benchmark's
    sweeps, and its Sturm-count check rejects guesses that are off by more than its tolerance —
    including the classic miss, returning the partner of a near-degenerate pair (charge regime,
    n_g = ½, E_J/E_C = 0.3: levels 4 and 5 split by 1.5e-8 GHz only, above the check's
    1e-12 × 26 GHz; at E_J/E_C = 0.05 they are split by 2e-12 GHz, below it, and either is a
    correct answer)."""
    ngs = np.linspace(-1.0, 1.0, 1000)
    guess, polish, _ = quantum._sweep_guess(np.full(1000, 20.0), ngs, 0.3, 30, 5)
    assert guess.shape == (1000, 5) and not polish
    ejs = np.linspace(2.0, 40.0, 1000)
    assert quantum._sweep_guess(ejs, np.full(1000, 0.3), 0.3, 30, 5) is not None
    ec, ej, nc = 1.0, 0.3, 30
    n = np.arange(-nc, nc + 1.0)
    d = np.array([4 * ec * (n - 0.5) ** 2, 4 * ec * (n - 0.3) ** 2])
    e2 = np.full(2, (0.5 * ej) ** 2)
    exact = np.array([dense_reference(ej, ec, g, nc)[:6] for g in (0.5, 0.3)])
    assert 1e-9 < exact[0, 5] - exact[0, 4] < 1e-7
    vals, ok = quantum._sturm_verify(d, e2, exact[:, :5], ec, polish=False)
    assert ok.all()
    np.testing.assert_allclose(vals, exact[:, :5], rtol=0, atol=1e-12)
    for bad in (exact[:, [0, 1, 2, 3, 5]],                      # the partner of level 4
                exact[:, :5] + [0, 0, 1e-9, 0, 0],              # one level off by 1e-9 GHz
                exact[:, [0, 0, 2, 3, 4]]):                     # a level counted twice
        _, ok = quantum._sturm_verify(d, e2, bad, ec, polish=False)
        assert not ok[0]


@pytest.mark.parametrize("ratio", [0.05, 1.0, 50.0, 100.0])
@pytest.mark.parametrize("ng", [0.0, 0.5, 0.3, -0.77])
def test_single_spectrum_matches_dense_in_every_regime(ratio, ng):
    """One spectrum (a verified charge window, else the full matrix) against dense eigvalsh:
    both within ~1e-15 ‖T‖ of exact, the window proven to 1e-12 × (max |level| + E_C), so
    1e-10 of the largest |level|; n_g = ½ in the charge regime has the near-degenerate pairs."""
    ec = 0.3
    got = quantum.spectrum(ratio * ec, ec, ng, ncut=30, levels=5)
    ref = dense_reference(ratio * ec, ec, ng, 30)[:5]
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-10 * np.abs(ref).max())


def test_single_spectrum_window_proof_rejects_a_lower_level_left_out():
    """The window is used for the transmon (61 → 35 rows), but not when a left-out row could
    carry a level below the window's (a charge state far out pulled down by hand): the proof's
    condition d_i − μ > 2|e| on the left-out rows fails, and the full matrix is used."""
    ec, ej, nc = 0.3, 20.0, 30
    d = 4 * ec * (np.arange(-nc, nc + 1.0) - 0.3) ** 2
    vals, err = quantum._one_window(d, 0.5 * ej, ec, 5)
    np.testing.assert_allclose(vals, dense_reference(ej, ec, 0.3, nc)[:5], rtol=0, atol=1e-11)
    assert err.max() < 1e-20
    d[3] = 1.0                        # far outside the window, below the levels' top (7.7)
    assert quantum._one_window(d, 0.5 * ej, ec, 5) is None
    full = np.diag(d) - 0.5 * ej * (np.eye(d.size, k=1) + np.eye(d.size, k=-1))
    assert np.linalg.eigvalsh(full)[3] < vals[3] - 1.0   # the level the window would miss


@pytest.mark.parametrize("ng", [29.3, 40.3, 999999.3])
def test_n_g_beyond_the_basis_warns_with_the_true_error(ng):
    # the spectrum is periodic in n_g: the same levels at n_g - round(n_g) are the reference;
    # the warning's estimate must not be smaller than that true error (it said 4.4 GHz for a
    # 140 GHz shift at 40.3, and 4e-5 GHz for 1e12 GHz at 1e6)
    import re
    import warnings
    from qtransport.errors import AccuracyWarning
    true = quantum.spectrum(20.0, 0.3, ng=ng - round(ng), ncut=30)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = quantum.spectrum(20.0, 0.3, ng=ng, ncut=30)
    messages = [str(w.message) for w in caught if issubclass(w.category, AccuracyWarning)]
    assert messages and "periodic in n_g" in messages[0]
    said = float(re.search(r"off by ~([0-9.e+-]+) GHz", messages[0]).group(1))
    assert said >= 0.99 * float(np.max(np.abs(got - true)))


def test_a_huge_basis_is_solved_without_a_dense_eigenvector_matrix():
    # scipy's dstemr wrapper allocates n x n vectors (4.6 GB at ncut = 12000: MemoryError);
    # the levels of E_J = E_C = 1 GHz are converged long before, so any ncut gives them to the
    # round-off of a matrix of norm 4 E_C ncut² (6e8 GHz: ~1e-7)
    big = quantum.spectrum(1.0, 1.0, 0.3, ncut=12000, levels=3)
    np.testing.assert_allclose(big, quantum.spectrum(1.0, 1.0, 0.3, ncut=30, levels=3),
                               rtol=0, atol=1e-6)
