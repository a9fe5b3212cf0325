"""DFT chains (shipped PySCF cache) → H(R), S(R) → Löwdin → Kwant: bands and quantized conductance."""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.first_principles import chains, dft, realspace as rs
from qtransport.first_principles.structure import atomic_chain

ELEMENTS = {"Au": 1, "Ag": 1, "Cu": 1, "C": 2}


def _cached(el):
    return dft.load_or_run(atomic_chain(el), dft.DFTSettings(), compute=False)


@pytest.mark.parametrize("el", list(ELEMENTS))
def test_cache_is_keyed_and_has_provenance(el):
    res = _cached(el)
    assert res.provenance["cache_key"] == dft.cache_key(res.structure, res.settings)
    assert res.provenance["pyscf_version"]
    assert res.settings.xc == "pbe"
    # the smeared occupations hold the valence electron count (PySCF's own sum)
    assert res.provenance["occupation_sum_per_cell"] == pytest.approx(
        res.provenance["nelectron_per_cell"], abs=0.1)
    # E_F reproduces that count from the cached bands (fermi_level is an independent solve)
    mu = dft.fermi_level(res.mesh_bands_eV, res.provenance["nelectron_per_cell"],
                         res.settings.smearing_Ha * dft.HARTREE_EV)
    assert mu == pytest.approx(res.fermi_eV, abs=1e-9)


@pytest.mark.parametrize("el", list(ELEMENTS))
def test_real_space_model_reproduces_off_mesh_dft_bands(el):
    res = _cached(el)
    full = rs.real_space(res)
    a = res.structure.cell[2][2]
    # every check point is off the mesh, so this tests interpolation, not the fit
    mesh = res.kpts_frac[:, 2]
    assert np.min(np.abs(res.check_kpts_frac[:, 2][:, None] - mesh[None, :])) > 1e-3
    errs = []
    for n in (2, 3, 4, 5):
        try:
            errs.append(rs.band_error_eV(full.truncate(n * a + 1e-6), res))
        except ValueError:        # S(k) not positive definite at the shortest cut-offs (Cu)
            errs.append(np.inf)
    # converges with the cut-off: 5 cells is within 1 meV of DFT within ±3 eV of E_F (the
    # stated tolerance 10 meV is for the automatic cut-off below)
    assert errs[-1] < 1e-3
    assert errs[-1] <= errs[0]
    # the a-priori bound is an upper bound of the measured error (first order, S ≈ 1 scale)
    t = full.truncate(3 * a + 1e-6)
    if np.isfinite(errs[1]):
        assert errs[1] <= 3 * t.truncation_error_eV + 1e-6


@pytest.mark.parametrize("el,channels", list(ELEMENTS.items()))
def test_perfect_chain_conductance_is_the_band_count(el, channels):
    r = chains.chain_conductance(el)
    G = float(r.data["conductance_G0"][0])
    # a perfect lead-system-lead chain: T = number of modes up to rounding (~1e-12)
    assert abs(G - round(G)) < 1e-8
    assert round(G) == r.attrs["n_bands_crossing"] == r.attrs["n_channels_generalized"] \
        == r.attrs["n_modes_kwant"] == channels
    assert r.attrs["unitarity_error"] < 1e-8
    # orthogonalized (Kwant) bands reproduce DFT within 10 meV near E_F
    assert r.attrs["band_error_orth_meV"] < 10.0
    assert r.attrs["band_error_nonorth_meV"] < 10.0


def test_lowdin_from_the_dft_mesh_alone_aliases_for_a_metal():
    """Why lowdin() interpolates first: S^{-1/2} of the Au minimal basis is long-ranged."""
    res = _cached("Au")
    a = res.structure.cell[2][2]
    coarse = rs.lowdin(res)                        # 15-point DFT mesh only
    dense = rs.lowdin(rs.real_space(res).truncate(5 * a + 1e-6))
    assert rs.band_error_eV(coarse, res) > 10 * rs.band_error_eV(dense, res)


def test_bad_inputs_name_the_parameter():
    with pytest.raises(ValueError, match="element"):
        chains.chain_conductance("Fe")
    with pytest.raises(ValueError, match="tol_meV"):
        chains.chain_conductance("Au", tol_meV=-1)
    with pytest.raises(ValueError, match="kmesh"):
        dft.DFTSettings(kmesh=(1, 1, 8)).check_structure(atomic_chain("Au"))
    with pytest.raises(ValueError, match="bond_angstrom"):
        atomic_chain("Au", bond_angstrom=0.1)
    with pytest.raises(FileNotFoundError, match="no cached DFT"):
        dft.load_or_run(atomic_chain("Au", bond_angstrom=2.61), compute=False)


def test_cache_round_trip(tmp_path):
    res = _cached("C")
    p = res.save(tmp_path / "sub" / "c.npz")     # the folder is made; no temporary is left
    assert [f.name for f in (tmp_path / "sub").iterdir()] == ["c.npz"]
    back = dft.DFTResult.load(p)
    # contract: the .npz cache stores the float64 arrays as they are (bit-identical round trip)
    np.testing.assert_array_equal(back.fock_eV, res.fock_eV)
    assert back.provenance == res.provenance
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="path"):
        dft.DFTResult.load(tmp_path / "bad.npz")


@pytest.mark.slow
def test_fresh_dft_matches_the_cache(tmp_path):
    """A fresh PySCF run (carbon chain, ~5 s) reproduces the shipped cache."""
    pytest.importorskip("pyscf")
    fresh = dft.load_or_run(atomic_chain("C"), dft.DFTSettings(), cache_dir=tmp_path)
    ref = _cached("C")
    # SCF converged to 1e-8 Ha; eigenvalues agree to ~1e-5 eV across BLAS builds
    np.testing.assert_allclose(fresh.mesh_bands_eV, ref.mesh_bands_eV, atol=1e-3)
    assert fresh.fermi_eV == pytest.approx(ref.fermi_eV, abs=1e-3)


def test_pyscf_is_not_imported_by_the_cached_path():
    """PySCF is optional: importing the package and using the cache never loads it."""
    import subprocess
    import sys
    code = ("import sys, qtransport.first_principles as f; f.chain_conductance('C'); "
            "print('pyscf' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "False"
