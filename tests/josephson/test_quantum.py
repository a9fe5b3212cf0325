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
    ng = np.linspace(-1, 1, 41)
    ref = t.get_spectrum_vs_paramvals("ng", ng, evals_count=5, subtract_ground=False)
    got = quantum.spectrum(20.0, 0.3, ng, 30, 5)
    np.testing.assert_allclose(got, ref.energy_table, rtol=1e-10)
    ej = np.linspace(2.0, 40.0, 33)
    t.ng = 0.3
    ref = t.get_spectrum_vs_paramvals("EJ", ej, evals_count=5, subtract_ground=False)
    got = quantum.spectrum(ej, 0.3, 0.3, 30, 5)
    assert got.shape == (33, 5)
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
