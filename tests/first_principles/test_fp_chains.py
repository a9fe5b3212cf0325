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
    for n in (1, 2, 3, 4, 5):
        try:
            errs.append(rs.band_error_eV(full.truncate(n * a + 1e-6), res))
        except ValueError:        # S(k) not positive definite at the shortest cut-offs (Cu, C)
            errs.append(np.inf)
    # improves monotonically as the cut-off grows (never worse by more than round-off: the
    # errors at 5 cells are 1e-12-1e-8 eV, so 1e-9 eV of slack on top of a 1e-6 relative one)
    assert all(e2 <= e1 * (1 + 1e-6) + 1e-9 for e1, e2 in zip(errs, errs[1:])), errs
    # and by orders of magnitude: 5 cells is within 1 meV of DFT within ±3 eV of E_F
    assert errs[-1] < 1e-3 and errs[-1] < 1e-2 * errs[1]
    # the a-priori bound is an upper bound of the measured error (first order, S ≈ 1 scale)
    t = full.truncate(3 * a + 1e-6)
    if np.isfinite(errs[2]):
        assert errs[2] <= 3 * t.truncation_error_eV + 1e-6
    # the default (automatic cut-off at 1 meV) meets the stated 10 meV near E_F, both models
    nonorth, orth = chains.tight_binding_from_dft(res)
    assert rs.band_error_eV(nonorth, res) < 10e-3
    assert rs.band_error_eV(orth, res) < 10e-3


@pytest.mark.parametrize("el", list(ELEMENTS))
def test_orthogonalized_and_generalized_routes_agree(el):
    """Löwdin → Kwant and the generalized problem H − ES (no orthogonalization) give the same
    bands and the same channel count at energies across the bands, d bands included."""
    res = _cached(el)
    nonorth, orth = chains.tight_binding_from_dft(res)
    ef = chains.dense_fermi_level(nonorth, res)
    k = np.zeros((801, 3))
    k[:, 2] = np.linspace(0.0, 0.5, 801)
    e_gen, e_orth = nonorth.bands(k), orth.bands(k)
    near = np.abs(e_gen - ef) < 3.0
    # each model is truncated at 1 meV of dropped norm (measured: ≤ 0.21 meV apart, Ag)
    assert np.max(np.abs(e_orth - e_gen)[near]) < 1e-3
    edges = np.concatenate([e_gen.min(axis=0), e_gen.max(axis=0)])
    counts = []
    for dE in (-1.0, -0.5, -0.2, 0.0, 0.5):
        E = ef + dE
        if np.min(np.abs(edges - E)) < 0.02:      # 20 meV ≫ the 1 meV band agreement above
            continue
        g = rs.chain_conductance(orth, E)
        G = g["conductance_G0"]
        assert abs(G - round(G)) < 1e-8 and g["unitarity_error"] < 1e-8
        assert round(G) == chains.generalized_channels(nonorth, E) == \
            rs.bands_crossing(nonorth, E) == g["n_modes"], (el, dE)
        counts.append(round(G))
    assert len(counts) >= 4
    if el in ("Au", "Cu"):
        assert max(counts) >= 4               # the d bands below E_F are crossed and agree too


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
    p = res.save(tmp_path / "sub" / "c.h5")      # the folder is made; no temporary is left
    assert [f.name for f in (tmp_path / "sub").iterdir()] == ["c.h5"]
    back = dft.DFTResult.load(p)
    # contract: the HDF5 cache stores the float64/complex128 arrays as they are (bit-identical)
    np.testing.assert_allclose(back.fock_eV, res.fock_eV, rtol=1e-15, atol=0.0)
    np.testing.assert_allclose(back.overlap, res.overlap, rtol=1e-15, atol=0.0)
    assert back.provenance == res.provenance and back.ao_labels == res.ao_labels
    import h5py
    with h5py.File(p, "r") as f:             # every setting and the PySCF version are attributes
        assert f.attrs["pyscf_version"] == res.provenance["pyscf_version"]
        assert f.attrs["cache_key"] == dft.cache_key(res.structure, res.settings)
        for name in ("xc", "basis", "pseudo", "kmesh", "smearing_Ha", "conv_tol", "n_check"):
            assert f"setting.{name}" in f.attrs
    (tmp_path / "bad.h5").write_bytes(b"not an HDF5 file")
    with pytest.raises(ValueError, match="path"):
        dft.DFTResult.load(tmp_path / "bad.h5")


def _tamper(path, **structure_changes):
    """Edit the stored structure of a cache file in place (its key no longer matches)."""
    import json
    import h5py
    with h5py.File(path, "r+") as f:
        st = json.loads(f.attrs["structure"])
        st.update(structure_changes)
        f.attrs["structure"] = json.dumps(st, sort_keys=True)


def test_cache_file_whose_inputs_do_not_match_is_refused(tmp_path):
    """A cache file is used only if its stored inputs hash to the requested key."""
    res = _cached("C")
    st, settings = res.structure, res.settings
    p = tmp_path / f"{st.name}-{dft.cache_key(st, settings)[:16]}.h5"
    res.save(p)
    assert dft.load_or_run(st, settings, cache_dir=tmp_path, compute=False).fermi_eV == res.fermi_eV
    cell = [list(v) for v in st.cell]
    cell[2][2] = 1.40                          # a stretched chain stored under cumulene's key
    _tamper(p, cell=cell)
    with pytest.raises(ValueError, match="hash to"):
        dft.DFTResult.load(p)
    with pytest.raises(ValueError, match="refusing"):
        dft.load_or_run(st, settings, cache_dir=tmp_path, compute=False)
    # a well-formed file of *other* inputs under this name is refused as well
    other = dft.DFTSettings(smearing_Ha=0.004)
    dft.DFTResult(st, other, res.kpts_frac, res.fock_eV, res.overlap, res.fermi_eV,
                  res.mesh_bands_eV, res.check_kpts_frac, res.check_bands_eV, res.ao_labels,
                  {**res.provenance, "cache_key": dft.cache_key(st, other)}).save(p)
    with pytest.raises(ValueError, match="requested"):
        dft.load_or_run(st, settings, cache_dir=tmp_path, compute=False)


def test_legacy_npz_cache_is_read_and_checked(tmp_path):
    """Format-1 ``.npz`` files (the earlier cache) still load, with the same key check."""
    import json
    from dataclasses import asdict
    res = _cached("C")
    st = res.structure
    meta = {"structure": st.as_dict(), "settings": asdict(res.settings),
            "ao_labels": res.ao_labels, "provenance": res.provenance, "fermi_eV": res.fermi_eV}
    p = tmp_path / f"{st.name}-{dft.cache_key(st, res.settings)[:16]}.npz"
    np.savez_compressed(p, kpts_frac=res.kpts_frac, fock_eV=res.fock_eV, overlap=res.overlap,
                        mesh_bands_eV=res.mesh_bands_eV, check_kpts_frac=res.check_kpts_frac,
                        check_bands_eV=res.check_bands_eV, meta=np.array(json.dumps(meta)))
    back = dft.load_or_run(st, res.settings, cache_dir=tmp_path, compute=False)
    np.testing.assert_allclose(back.fock_eV, res.fock_eV, rtol=1e-15, atol=0.0)  # stored as is
    meta["provenance"] = {**res.provenance, "cache_key": "0" * 64}
    np.savez_compressed(p, kpts_frac=res.kpts_frac, fock_eV=res.fock_eV, overlap=res.overlap,
                        mesh_bands_eV=res.mesh_bands_eV, check_kpts_frac=res.check_kpts_frac,
                        check_bands_eV=res.check_bands_eV, meta=np.array(json.dumps(meta)))
    with pytest.raises(ValueError, match="refusing"):
        dft.load_or_run(st, res.settings, cache_dir=tmp_path, compute=False)


@pytest.mark.slow
def test_fresh_dft_matches_the_cache(tmp_path):
    """A fresh PySCF run (carbon chain, ~5 s) reproduces the shipped cache; a tampered cache
    file under the same name is recomputed, not used."""
    import pyscf  # noqa: F401  (installed by make: a missing PySCF fails here, never skips)
    st = atomic_chain("C")
    key = dft.cache_key(st, dft.DFTSettings())
    ref = _cached("C")
    path = tmp_path / f"{st.name}-{key[:16]}.h5"
    ref.save(path)
    _tamper(path, positions=[[0.0, 0.0, 0.3]])
    fresh = dft.load_or_run(st, dft.DFTSettings(), cache_dir=tmp_path)
    assert fresh.structure == st                           # not the tampered geometry
    assert dft.DFTResult.load(path).provenance["cache_key"] == key   # and replaced on disk
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


@pytest.mark.parametrize("el,below_eV,dft_channels", [("Cu", 1.0, 6), ("Ag", 2.0, 3)])
def test_one_orbital_filament_agrees_at_E_F_and_lacks_the_d_channels(el, below_eV,
                                                                      dft_channels):
    """docs/first_principles.md: the filament model's single band is the DFT s band at E_F
    (1 G0 each), but a one-orbital atom chain never carries more than 1 G0, while DFT's d bands
    open 3-6 channels a little below E_F."""
    from qtransport.tight_binding import filament
    ef_model = filament.metal_fermi_energy_eV(el, dimension=3)
    band = ef_model + np.linspace(-0.9, 0.9, 7) * filament.metal_hopping_eV(el) * 2
    g_model = filament.conductance(1, band, length_atoms=4, dimension=3, material=el)
    g_model = np.asarray(g_model.conductance_G0)
    # one orbital per atom: one mode inside the chain band, exactly (uniform wire)
    np.testing.assert_allclose(g_model, 1.0, atol=1e-8)
    res = _cached(el)
    nonorth, orth = chains.tight_binding_from_dft(res)
    ef = chains.dense_fermi_level(nonorth, res)
    assert rs.chain_conductance(orth, ef)["conductance_G0"] == pytest.approx(1.0, abs=1e-8)
    g_d = rs.chain_conductance(orth, ef - below_eV)["conductance_G0"]
    assert g_d == pytest.approx(dft_channels, abs=1e-8)


def test_basis_size_supports_the_ingao3_zno_feasibility_numbers():
    """docs/first_principles.md: InGaZnO4 (7 atoms) has 62 valence electrons (GTH-PBE
    In/Ga q13, Zn q12, O q6), 43 minimal-basis and 127 DZVP orbitals per cell (no SCF)."""
    import pyscf  # noqa: F401  (installed by make)
    st = dft.Structure(("In", "Ga", "Zn", "O", "O", "O", "O"),
                       ((0, 0, 0), (0, 0, 2.0), (0, 0, 4.0), (1.0, 0.5, 1.0), (1.0, 0.5, 3.0),
                        (-1.0, 0.5, 5.0), (-1.0, 0.5, 7.0)),
                       ((10, 0, 0), (0, 10, 0), (0, 0, 9)), (True, True, True))
    assert dft.basis_size(st) == {"n_orbitals": 43, "n_electrons": 62}
    dz = dft.basis_size(st, dft.DFTSettings(basis="gth-dzvp-molopt-sr"))
    assert dz == {"n_orbitals": 127, "n_electrons": 62}
    # per atom (m = 3, InGaZn3O6: 5 × 9 + 6 × 4 = 69 orbitals, 98 electrons)
    box = ((10, 0, 0), (0, 10, 0), (0, 0, 10))
    per_atom = {el: dft.basis_size(dft.Structure((el,), ((0, 0, 0),), box, (True,) * 3))
                for el in ("In", "Ga", "Zn", "O")}
    assert [per_atom[el]["n_orbitals"] for el in ("In", "Ga", "Zn", "O")] == [9, 9, 9, 4]
    assert sum(per_atom[el]["n_electrons"] * n for el, n in
               (("In", 1), ("Ga", 1), ("Zn", 3), ("O", 6))) == 98
    # the chains and h-BN: 9 (Au) and 4 (C, B, N) minimal-basis orbitals per atom, as documented
    assert dft.basis_size(atomic_chain("Au"))["n_orbitals"] == 9
    assert dft.basis_size(atomic_chain("C"))["n_orbitals"] == 4
