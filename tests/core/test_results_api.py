"""One result type: units, layout, repr, plot, xarray, HDF5 dimension scales, append, provenance."""
import math
import warnings

import h5netcdf  # noqa: F401  (xarray's HDF5 engine, used by to_netcdf below)
import h5py
import numpy as np
import pint
import pytest
import xarray as xr

import qtransport as qt
from qtransport import results
from qtransport.results import Result, unit_of

UREG = pint.UnitRegistry()

#: every suffix the project uses → the unit it must mean
SUFFIXES = {
    "times_ns": "ns", "t_ps": "ps", "t_us": "us", "t_ms": "ms", "t_s": "s", "f_GHz": "GHz",
    "f_MHz": "MHz", "f_Hz": "Hz", "w_nm": "nm", "x_m": "m", "e_eV": "eV", "g_G0": "G_0",
    "g_S": "S", "i_A": "A", "v_V": "V", "t_K": "K", "e_J": "J", "c_F": "F", "r_ohm": "ohm",
    "kappa_per_m": "m^-1", "p_C_per_m2": "C m^-2", "j_A_per_m2": "A m^-2", "a_m2": "m^2",
    "n_per_m2": "m^-2", "rate_per_s": "s^-1", "ra_ohm_m2": "ohm m^2", "e_V_per_m": "V m^-1",
    "mu_m2_per_Vs": "m^2 V^-1 s^-1", "phase": "rad", "transmission": "1", "e_meV": "meV",
    "flux_Wb": "Wb", "l_H": "H", "p_W": "W", "e_aJ": "aJ", "g_uS": "uS",
}


def test_unit_of_every_suffix_and_pint_reads_each():
    for name, unit in SUFFIXES.items():
        assert unit_of(name) == unit, name
        UREG.parse_units(unit)                        # raises if pint cannot read it
    # names whose last word only looks like a unit stay dimensionless
    assert unit_of("kappa_per_layer") == "1" and unit_of("accuracy") == "1"
    # the G0 unit converts to siemens: pint's conductance_quantum is 2e^2/h exactly
    assert UREG.Quantity(1.0, unit_of("conductance_G0")).to("S").magnitude == \
        pytest.approx(qt.G0, rel=1e-12)
    assert UREG("m^2 V^-1 s^-1") == UREG("m^2/(V*s)")


def demo_result():
    return Result("demo.kind", {"width_atoms": 3, "label": "x"},
                  {"energies_eV": np.linspace(0, 1, 50), "conductance_G0": np.arange(50.0),
                   "map_G0": np.ones((50, 3)), "total_J": np.float64(2.5)})


def test_dir_repr_and_html_are_short_and_list_fields():
    r = demo_result()
    assert {"energies_eV", "conductance_G0", "map_G0", "total_J"} <= set(dir(r))
    assert "plot" in dir(r) and "to_xarray" in dir(r)
    text = repr(r)
    assert "energies_eV[50] eV" in text and "total_J=2.5 J" in text and len(text) < 200
    big = Result("k", {}, {f"f{i}_eV": np.zeros(1000) for i in range(30)})
    assert len(repr(big)) < 300 and "more" in repr(big)
    html = r._repr_html_()
    assert "<table>" in html and "conductance_G0" in html and "G_0" in html


def test_to_xarray_generic_layout_names_dims_and_units():
    ds = demo_result().to_xarray()
    assert list(ds.coords) == ["energies_eV"]
    assert ds["conductance_G0"].dims == ("energies_eV",)
    assert ds["map_G0"].dims == ("energies_eV", "map_G0_dim1")
    assert ds["conductance_G0"].attrs["units"] == "G_0" and "2 e^2/h" in \
        ds["conductance_G0"].attrs["units_note"]
    assert ds.attrs["param_width_atoms"] == 3 and ds.attrs["kind"] == "demo.kind"
    np.testing.assert_array_equal(ds["conductance_G0"].values, np.arange(50.0))


def test_declared_layout_of_a_real_spectrum_opens_in_xarray_from_hdf5(tmp_path):
    from qtransport.josephson import quantum
    r = quantum.spectrum_vs_ng(20.0, 0.3, np.linspace(-1, 1, 11), ncut=20, levels=4)
    # the array contract call and the Result sibling agree
    np.testing.assert_allclose(r.energies_GHz[3], quantum.spectrum(20.0, 0.3, r.ng[3], 20, 4),
                               rtol=0, atol=1e-9)
    path = tmp_path / "q.h5"
    results.save(path, {"josephson/spectrum": r})
    with xr.open_dataset(path, group="josephson/spectrum", engine="h5netcdf") as ds:
        assert ds["energies_GHz"].dims == ("ng", "level") and "ng" in ds.coords
        assert ds["energies_GHz"].attrs["units"] == "GHz"
        np.testing.assert_array_equal(ds["energies_GHz"].values, r.energies_GHz)
    assert results.load(path) == {"josephson/spectrum": r}     # the "level" scale is skipped


def test_filament_result_has_energy_coordinate_in_file_and_xarray(tmp_path):
    from qtransport.tight_binding import filament
    r = filament.conductance(width_atoms=2, energies_eV=np.linspace(0.1, 2.0, 7), length_atoms=3)
    assert r.to_xarray()["conductance_G0"].dims == ("energies_eV",)
    path = tmp_path / "f.h5"
    results.save(path, {"filament/staircase_2d_0K": r})
    with xr.open_dataset(path, group="filament/staircase_2d_0K", engine="h5netcdf") as ds:
        assert "energies_eV" in ds.coords and ds["energies_eV"].attrs["units"] == "eV"
        assert ds["conductance_G0"].dims == ("energies_eV",)
        assert ds.attrs["param_width_atoms"] == 2           # typed, not JSON


def test_plot_every_kind_of_a_stage_and_fallbacks():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    r = demo_result()
    ax = r.plot()
    assert ax.get_xlabel() == "Energy $E$ (eV)" and "$2e^2/h$" in ax.get_ylabel()
    ax = r.plot(y="conductance_G0", color="k")
    assert len(ax.lines) == 1
    ax = Result("scalars.only", {}, {"a_J": np.float64(1.0), "b": np.int64(3)}).plot()
    assert ax.tables                                          # a table of scalars
    ax = Result("no.coordinate", {}, {"x_eV": np.array([3.0, 1.0, 2.0])}).plot()
    assert ax.get_xlabel() == "index"
    with pytest.raises(ValueError, match="y field 'nope'"):
        r.plot(y="nope")
    plt.close("all")


def test_array_contract_calls_have_result_siblings():
    from qtransport.tight_binding import superlattice, tunneling
    b = tunneling.Barrier(height_eV=1.5, thickness_nm=1.0, effective_mass=0.5)
    E = np.linspace(0.1, 1.0, 5)
    t = b.transmission(E)
    assert isinstance(t, np.ndarray)                          # the contract stays an array
    rt = b.transmission_result(E)
    np.testing.assert_array_equal(rt.transmission, t)
    assert rt.to_xarray()["transmission"].dims == ("energies_eV",)
    sl = superlattice.Superlattice(well_nm=1.0, barrier_nm=0.4, barrier_height_eV=0.5,
                                   well_mass=0.24, barrier_mass=0.24)
    mb = sl.minibands(2)
    assert mb.shape == (2, 2)
    r = sl.minibands_result(2)
    np.testing.assert_array_equal(r.minibands_eV, mb)
    assert r.to_xarray()["minibands_eV"].dims == ("band", "edge")


def test_dir_of_tight_binding_lists_its_modules():
    import qtransport.tight_binding as tb
    import qtransport.josephson as jj
    assert {"filament", "tunneling", "superlattice", "qpc", "wannier"} <= set(dir(tb))
    assert {"quantum", "rcsj", "qdynamics"} <= set(dir(jj))


def test_pulse_response_saves_and_loads(tmp_path):
    s = qt.synapse.PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=16, a_ltp=5.0,
                                 a_ltd=math.inf)
    path = tmp_path / "s.h5"
    results.save(path, {"synapse/device": s})
    back = qt.synapse.PulseResponse.from_result(results.load(path)["synapse/device"])
    assert back.to_dict() == s.to_dict()
    np.testing.assert_array_equal(back.conductance_ltp(np.arange(17)),
                                  s.conductance_ltp(np.arange(17)))
    with xr.open_dataset(path, group="synapse/device", engine="h5netcdf") as ds:
        assert ds["conductance_ltp_S"].dims == ("pulse_number",)
    with pytest.raises(ValueError, match="synapse.pulse_response"):
        qt.synapse.PulseResponse.from_result(Result("other", {}, {}))
    with pytest.raises(TypeError, match="to_result"):
        results.save(path, {"a": object()})


def test_append_mode_adds_and_replaces_groups(tmp_path):
    path = tmp_path / "r.h5"
    a = Result("k", {"i": 1}, {"x_eV": np.arange(3.0)})
    b = Result("k", {"i": 2}, {"x_eV": np.arange(4.0)})
    results.save(path, {"one": a}, command="first")
    with h5py.File(path) as f:
        created = f.attrs["created"]
    results.save(path, {"two": b}, mode="a", command="second")
    assert results.load(path) == {"one": a, "two": b}
    results.save(path, {"one": b}, mode="a")
    assert results.load(path) == {"one": b, "two": b}
    with h5py.File(path) as f:
        assert f.attrs["first_created"] == created
    results.save(path, {"three": a})                          # "w" replaces the file
    assert set(results.load(path)) == {"three"}
    with pytest.raises(ValueError, match="collides"):
        results.save(path, {"three/sub": a}, mode="a")
    with pytest.raises(ValueError, match="mode"):
        results.save(path, {"x": a}, mode="x")
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = 1
    with pytest.raises(ValueError, match="not a qtransport result file"):
        results.save(foreign, {"x": a}, mode="a")


def test_provenance_records_git_commit_and_accuracy_warnings(tmp_path):
    path = tmp_path / "r.h5"
    results.save(path, {"a": demo_result()}, config_text="[x]\ny = 1", command="pytest",
                 accuracy_warnings=["grid too coarse: 3 points per period"])
    with h5py.File(path) as f:
        assert f.attrs["accuracy_warning_count"] == 1
        assert "3 points per period" in f.attrs["accuracy_warnings"]
        assert f.attrs["xarray_version"] == xr.__version__
        commit = f.attrs["git_commit"]
    import os
    root = os.path.dirname(os.path.dirname(os.path.abspath(qt.__file__)))
    if os.path.exists(os.path.join(root, ".git")):           # run from a checkout
        assert len(commit.split("+")[0]) == 40


def test_pipeline_warnings_are_recorded_and_still_shown():
    from qtransport.errors import AccuracyWarning
    from qtransport.workflows.pipeline import _RecordAccuracyWarnings
    with warnings.catch_warnings(record=True) as outer:
        warnings.simplefilter("always")
        with _RecordAccuracyWarnings() as caught:
            warnings.warn("coarse grid: 4 points", AccuracyWarning)
            warnings.warn("unrelated", UserWarning)
    assert caught.messages == ["coarse grid: 4 points"]
    assert {str(w.message) for w in outer} == {"coarse grid: 4 points", "unrelated"}


def test_pipeline_file_units_xarray_plots_and_provenance(tmp_path):
    """A pipeline run (josephson stage, small): every dataset's unit parses with pint, every
    group opens in xarray with named dims, every result plots, and report.md and run.h5 carry
    the effective config, versions, command and warnings."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from qtransport.workflows import pipeline
    text = ('[pipeline]\nstages = ["josephson"]\n[josephson]\nbias_points = 21\n'
            'ng_points = 11\nmagnetic_pulses = 10\nmagnetic_devices = 2\nsfq_inputs = 5\n')
    out = pipeline.run_pipeline(tmp_path / "out", text, command="pytest run")
    h5 = out["h5"]
    units = []
    with h5py.File(h5) as f:
        f.visititems(lambda n, o: units.append((n, o.attrs["units"]))
                     if isinstance(o, h5py.Dataset) and "units" in o.attrs else None)
        attrs = dict(f.attrs)
    assert len(units) > 30
    for name, unit in units:
        try:
            UREG.parse_units(unit)
        except Exception as exc:                              # noqa: BLE001 - name the dataset
            raise AssertionError(f"{name}: unit {unit!r} is not pint-parsable: {exc}")
    assert dict(units)["josephson/rabi/times_ns"] == "ns"
    # the effective config: built-in defaults of every stage, not only the text given
    assert "[filament]" in attrs["config"] and "bias_points = 21" in attrs["config"]
    assert attrs["config_input"] == text and attrs["command"] == "pytest run"
    assert attrs["mpi_size"] == 1 and attrs["numpy_version"] == np.__version__
    report = out["report"].read_text()
    head = report.split("## josephson")[0]
    assert "## Provenance" in head and "pytest run" in head and "xarray" in head
    assert "bias_points = 21" in head and "AccuracyWarnings raised" in head
    loaded = results.load(h5)
    for key, r in loaded.items():
        with xr.open_dataset(h5, group=key, engine="h5netcdf") as ds:
            assert not [d for d in ds.dims if str(d).startswith("phony_dim")], key
        r.to_xarray()
        r.plot()
        plt.close("all")
    with xr.open_dataset(h5, group="josephson/rabi", engine="h5netcdf") as ds:
        assert "times_ns" in ds.coords and ds["times_ns"].attrs["units"] == "ns"


def test_sweep_result_is_shaped_by_the_grid(tmp_path):
    from qtransport.workflows import sweep
    cfg = tmp_path / "s.toml"
    cfg.write_text('[sweep]\nmodel = "filament.conductance"\nseed = 0\n[sweep.fixed]\n'
                   'energies_eV = [0.1, 0.5, 1.0, 2.0, 3.0]\nlength_atoms = 3\n[sweep.grid]\n'
                   'width_atoms = [1, 2, 3]\ndisorder_eV = [0.0, 0.2]\n')
    sweep.run(str(cfg), str(tmp_path / "s.h5"))
    res = sweep.load(tmp_path / "s.h5")
    assert res.grid == ["width_atoms", "disorder_eV"]
    text = repr(res)
    assert "width_atoms[3] × disorder_eV[2]" in text and len(text) < 400
    assert "conductance_G0" in res._repr_html_()
    ds = res.to_xarray()
    assert ds["conductance_G0"].dims == ("width_atoms", "disorder_eV", "energies_eV")
    assert ds["conductance_G0"].shape == (3, 2, 5)
    assert list(ds["width_atoms"].values) == [1, 2, 3]
    assert ds.attrs["param_length_atoms"] == 3
    i = next(i for i, p in enumerate(res.parameters)
             if p["width_atoms"] == 2 and p["disorder_eV"] == 0.2)
    np.testing.assert_array_equal(ds["conductance_G0"].sel(width_atoms=2, disorder_eV=0.2),
                                  res.results[i]["conductance_G0"])
    # clean wire: G counts the open modes, min(W, modes open at E) (exact up to round-off)
    clean = ds["conductance_G0"].sel(disorder_eV=0.0).values
    np.testing.assert_allclose(clean, ds["open_modes"].sel(disorder_eV=0.0).values, atol=1e-6)
    path = tmp_path / "as_result.h5"
    results.save(path, {"sweep/filament": res})
    with xr.open_dataset(path, group="sweep/filament", engine="h5netcdf") as back:
        assert back["conductance_G0"].shape == (3, 2, 5) and "disorder_eV" in back.coords


def test_synapse_objects_convert_save_and_plot(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from qtransport.synapse import network
    from qtransport.synapse.pulse import fit_pulse_response
    s = qt.synapse.PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=20, a_ltp=6.0, a_ltd=6.0)
    n = np.arange(21)
    fit = fit_pulse_response(n, s.conductance_ltp(n), "ltp")
    # noiseless data from the model itself: the fit returns A to optimizer precision
    assert fit.a == pytest.approx(6.0, rel=1e-4)
    net = network.evaluate(s, seed=0, epochs=1)             # a real (short) training run
    results.save(tmp_path / "s.h5", {"fit": fit, "net": net})
    back = results.load(tmp_path / "s.h5")
    assert back["fit"].attrs["direction"] == "ltp"
    assert float(back["net"].accuracy) == net.accuracy and back["net"].params["seed"] == 0
    for obj in (fit, net, s):
        obj.plot()
        obj.to_xarray()
    plt.close("all")


@pytest.mark.slow
def test_filament_stage_staircase_opens_with_energy_coordinate(tmp_path):
    """The group named in issue 13: ``filament/staircase_2d_0K`` of a pipeline run."""
    from qtransport.workflows import pipeline
    text = ('[pipeline]\nstages = ["filament"]\n[filament]\nhistogram_samples = 8\n'
            'growth_devices = 2\ngrowth_cycles = 2\n'
            'qpc_energies_eV = {start = 0.01, stop = 0.03, num = 3}\n')
    out = pipeline.run_pipeline(tmp_path / "out", text)
    with xr.open_dataset(out["h5"], group="filament/staircase_2d_0K", engine="h5netcdf") as ds:
        assert "energies_eV" in ds.coords and ds["conductance_G0"].dims == ("energies_eV",)
        assert ds["conductance_G0"].attrs["units"] == "G_0"
    with xr.open_dataset(out["h5"], group="filament/histogram", engine="h5netcdf") as ds:
        assert ds["histogram_counts"].dims == ("bin",)


def test_a_result_read_in_a_fresh_process_keeps_its_declared_layout(tmp_path):
    import subprocess
    import sys
    import qtransport.tight_binding.filament  # noqa: F401  (declares its kinds, as computing does)
    r = Result("filament.ensemble", {}, {"conductance_G0": np.array([0.9, 1.1, 2.0]),
                                         "histogram_counts": np.array([2, 1]),
                                         "bin_edges_G0": np.array([0.0, 1.5, 3.0])})
    g = Result("filament.conductance", {}, {"energies_eV": np.array([0.1, 0.2, 0.3]),
                                            "conductance_G0": np.array([0.0, 1.0, 1.0])})
    results.save(tmp_path / "e.h5", {"filament/histogram": r, "filament/g": g})
    # the core layer never imports the producing (physics) module: the file carries the layout
    # and the plot style (labels, scales), and only the kind's custom draw needs its module
    code = ("import sys, matplotlib; matplotlib.use('Agg'); from qtransport import results; "
            "f = results.load(sys.argv[1]); r = f['filament/histogram']; "
            "assert r.to_xarray()['histogram_counts'].dims == ('bin',); r.plot(); "
            "ax = f['filament/g'].plot(); assert 'rm band' in ax.get_xlabel(), ax.get_xlabel(); "
            "assert f['filament/g'].to_xarray()['conductance_G0'].dims == ('energies_eV',); "
            "assert not [m for m in sys.modules if m.startswith(('qtransport.tight_binding', "
            "'qtransport.devices', 'qtransport.workflows', 'qtransport.synapse'))], "
            "sorted(m for m in sys.modules if m.startswith('qtransport'))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "e.h5")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr


def test_sweep_over_a_string_parameter_has_a_string_coordinate(tmp_path):
    from qtransport.workflows import sweep
    cfg = tmp_path / "s.toml"
    cfg.write_text('[sweep]\nmodel = "tunneling.transmission"\n[sweep.fixed]\n'
                   'energies_eV = [0.2, 0.5, 1.0]\n[sweep.grid]\nmethod = ["tmm", "wkb"]\n'
                   'thickness_nm = [0.5, 1.0]\n')
    sweep.run(str(cfg), str(tmp_path / "s.h5"))
    res = sweep.load(tmp_path / "s.h5")
    path = tmp_path / "r.h5"
    results.save(path, {"sweep": res})
    with xr.open_dataset(path, group="sweep", engine="h5netcdf") as ds:
        assert list(ds["method"].values) == ["tmm", "wkb"]
        assert ds["transmission"].dims == ("method", "thickness_nm", "energies_eV")
        # WKB and the exact transfer matrix agree in order of magnitude deep in the barrier
        # (WKB drops the O(1) prefactor), and both decay with thickness
        t = ds["transmission"].sel(energies_eV=0.2).values
        assert np.all(t[:, 1] < t[:, 0]) and 0.1 < t[1, 1] / t[0, 1] < 10
