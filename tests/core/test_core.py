"""Constants, materials, results/HDF5 and the registry."""
import os

import h5py
import numpy as np
import pytest

import qtransport as qt
from qtransport import materials, results
from qtransport.registry import Param, Model

REQUIRED = ["hBN", "graphene", "MoS2", "WSe2", "ZnO", "In2O3", "InGaO3(ZnO)3", "SiO2", "Al2O3",
            "HfO2", "Ta2O5", "Ag", "Cu", "Nb", "Al"]


def test_constants_match_exact_si_values():
    assert qt.G0 == pytest.approx(7.748091729863650e-5, rel=1e-15)
    assert qt.G0 * 12906.40373 == pytest.approx(1.0, rel=1e-9)     # 1/G0 = 12906.40373 ohm
    assert qt.PHI0 == pytest.approx(2.067833848e-15, rel=1e-9, abs=0)


def test_materials_have_sources_and_confidence():
    assert set(REQUIRED) <= set(materials.names())
    for name in materials.names():
        m = materials.get(name)
        assert m.sources, name
        for q in m.quantities.values():
            assert q.source and q.confidence in materials.CONFIDENCE_LEVELS
    assert materials.get("hBN").quantity("tunneling_mass").confidence == "weak"
    assert materials.get("hBN").band_gap_eV == 5.955


def test_unknown_material_lists_known_names():
    with pytest.raises(ValueError, match="unknown material 'Unobtainium'.*hBN"):
        materials.get("Unobtainium")


def test_result_round_trip_with_units_and_provenance(tmp_path):
    r = results.Result("demo.kind", {"width_atoms": 3, "energies": np.arange(2.0)},
                       {"energies_eV": np.linspace(0, 1, 5), "conductance_G0": np.arange(5.0),
                        "labels": np.array(["a", "bb"])}, {"note": "x"})
    path = tmp_path / "r.h5"
    results.save(path, {"stage/one": r}, config_text="[a]\nb = 1", command="pytest")
    back = results.load(path)
    assert back == {"stage/one": r}
    with h5py.File(path) as f:
        assert f["stage/one/energies_eV"].attrs["units"] == "eV"
        assert f["stage/one/conductance_G0"].attrs["units"] == "G_0"
        assert f.attrs["config"] == "[a]\nb = 1"
        assert f.attrs["kwant_version"] and f.attrs["qtransport_version"] == qt.__version__
    assert r.energies_eV[-1] == 1.0
    with pytest.raises(AttributeError, match="fields"):
        r.nonexistent


def test_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "out.h5"
    with pytest.raises(RuntimeError):
        with results.atomic_path(path) as tmp:
            with open(tmp, "w") as fh:
                fh.write("partial")
            raise RuntimeError("killed")
    assert os.listdir(tmp_path) == []


def test_registry_validation_names_parameter():
    model = Model("x.y", lambda **kw: kw, (Param("width_atoms", int, low=1),
                                           Param("energy_eV", float, 0.5),
                                           Param("mode", str, "a", choices=("a", "b"))))
    assert model(width_atoms=2) == {"width_atoms": 2, "energy_eV": 0.5, "mode": "a"}
    with pytest.raises(ValueError, match="width_atoms must be >= 1, got 0"):
        model(width_atoms=0)
    with pytest.raises(ValueError, match="no parameter 'wdth'"):
        model(width_atoms=1, wdth=3)
    with pytest.raises(ValueError, match="mode must be one of"):
        model(width_atoms=1, mode="c")
    with pytest.raises(TypeError, match="energy_eV must be a real number"):
        model(width_atoms=1, energy_eV="high")
    with pytest.raises(ValueError, match="needs parameter 'width_atoms'"):
        model()


def test_result_pickles_for_mpi():
    """Results travel between MPI ranks by pickle: the round trip must give an equal object."""
    import pickle
    r = results.Result("demo", {"a": 1}, {"x_eV": np.arange(3.0)}, {"note": "y"})
    assert pickle.loads(pickle.dumps(r)) == r


def test_saved_files_get_ordinary_permissions(tmp_path):
    """Atomic writes go through mkstemp (mode 0600); the final file must follow the umask."""
    import stat
    umask = os.umask(0o022)
    try:
        results.save(tmp_path / "r.h5", {"a": results.Result("k", {}, {"x": np.zeros(2)})})
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "r.h5").st_mode) == 0o644


def test_registry_refuses_inf_unless_the_parameter_allows_it():
    model = Model("x.z", lambda **kw: kw, (Param("bias_V", float),
                                           Param("a_ltp", float, allow_inf=True)))
    with pytest.raises(ValueError, match="bias_V must be finite"):
        model(bias_V=float("inf"), a_ltp=1.0)
    assert model(bias_V=0.1, a_ltp=float("inf"))["a_ltp"] == float("inf")
