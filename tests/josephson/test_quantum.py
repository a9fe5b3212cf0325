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
