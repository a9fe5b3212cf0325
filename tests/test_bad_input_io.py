"""Bad input to the non-physics API is refused clearly, and nothing is left on disk.

Areas: the synapse layer (pulse response and its fit, lookup table, export, plasticity, energy
ledger, extraction, network), measured-pulse CSV files, result files (``results.save``/``load``),
the ``qtransport run`` pipeline config and output folder, and the ``run``/``fit``/``materials``
subcommands. (The physics modules are in ``tests/test_bad_input.py``; sweep files and
``qtransport sweep`` in ``tests/workflows/``.)

Every case asserts the exception type, that the message names the parameter (or the file), and
that the working folder *and its parent* hold exactly the files they held before (a temporary
``.tmp-*`` written next to a target that turns out to be a directory lands in the parent).

CLI cases are real processes: one driver process imports qtransport once and forks a child per
case, which runs ``qtransport.cli.main`` with its own stdout/stderr files and exit code, the
way ``python -m qtransport.cli`` would (an uncaught exception prints a traceback and exits 1).
That keeps ~25 CLI cases to a few seconds; a handful of them are also run through the real
``python -m qtransport.cli`` entry point and must behave identically.
"""
from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import h5py
import numpy as np
import pytest

from qtransport import results
from qtransport.results import Result
from qtransport.synapse import (csvdata, energy, export, extract, lookup, network, plasticity,
                                pulse)
from qtransport.synapse.pulse import PulseResponse
from qtransport.workflows import pipeline

ROOT = Path(__file__).resolve().parents[1]
DEVICE = PulseResponse(1e-6, 1e-4, 50, 10.0, 10.0)
P = np.arange(51)
G = DEVICE.conductance_ltp(P)
#: a measured-looking CSV (LTP then LTD) that fits fine: the good baseline for the CSV cases
GOOD_CSV = "pulse_number,conductance_S,direction\n" + "".join(
    f"{k},{g:.6e},ltp\n" for k, g in zip(P, G)) + "".join(
    f"{k},{g:.6e},ltd\n" for k, g in zip(P, DEVICE.conductance_after_ltd(P)))


def _write(path: str, content: str | bytes) -> str:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        Path(path).write_bytes(content)
    else:
        Path(path).write_text(content, encoding="utf-8")
    return path


def _h5_foreign(path: str) -> str:
    with h5py.File(path, "w") as f:
        f["x"] = np.arange(3.0)
        f.attrs["creator"] = "another program"
    return path


def _h5_truncated(path: str) -> str:
    results.save(path, {"a/b": Result("demo", {}, {"x_eV": np.arange(4000.0)})})
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:len(data) // 2])
    return path


def _sweep_file(path: str) -> str:
    """A real sweep file: two points of a registered model through qtransport's sweep runner."""
    from qtransport.workflows import config, sweep
    cfg = config.parse_config(textwrap.dedent("""
        [sweep]
        model = "synapse.pulse_response"
        checkpoint_seconds = 0.0
        [sweep.fixed]
        g_min_S = 1e-6
        g_max_S = 1e-4
        a_ltp = 5.0
        a_ltd = 5.0
        [sweep.grid]
        n_pulses = [4, 8]
        """))
    sweep.run(cfg, path)
    return path


def _h5_corrupt_group(path: str) -> str:
    """A result file whose one group has params that are not JSON (hand-edited, or a bug)."""
    results.save(path, {"s/r": Result("demo", {}, {"x_eV": np.arange(3.0)})})
    with h5py.File(path, "a") as f:
        f["s/r"].attrs["params"] = "{not json"
    return path


# Each case: (id, setup, call, exception type(s), fragments the message must contain).
# ``setup()`` runs in the empty working folder and returns what ``call`` receives; files it makes
# are the "before" state. Fragments: the parameter (or file) name, and where it helps the range.
CASES = [
    # --- pulse response and its fit --------------------------------------------------------
    ("fit_log10_conductance", None, lambda _: PulseResponse.fit(P, np.log10(G)),
     ValueError, ["conductance_S", ">= 0", "log10"]),
    ("fit_negative_conductance", None, lambda _: PulseResponse.fit(P, G - 2e-5),
     ValueError, ["conductance_S", ">= 0"]),
    ("fit_nan_conductance", None, lambda _: PulseResponse.fit(P, np.where(P == 7, np.nan, G)),
     ValueError, ["conductance_S", "finite"]),
    ("fit_inf_pulse_number", None, lambda _: PulseResponse.fit(np.where(P == 3, np.inf, P), G),
     ValueError, ["pulse_numbers", "finite"]),
    ("fit_one_pulse_number", None,
     lambda _: PulseResponse.fit([5, 5, 5, 5], [1e-6, 2e-6, 3e-6, 4e-6]), ValueError,
     ["pulse_numbers", "3 distinct"]),
    ("fit_bounds_not_pair", None, lambda _: pulse.fit_pulse_response(P, G, bounds_S=1e-4),
     TypeError, ["bounds_S"]),
    ("fit_bounds_reversed", None,
     lambda _: pulse.fit_pulse_response(P, G, bounds_S=(1e-4, 1e-6)), ValueError, ["bounds_S"]),
    ("response_bounds_reversed", None, lambda _: PulseResponse(1e-4, 1e-6, 50, 10.0, 10.0),
     ValueError, ["g_min_S", "g_max_S"]),
    ("response_nan_a", None, lambda _: PulseResponse(1e-6, 1e-4, 50, math.nan, 10.0),
     ValueError, ["a_ltp", "finite"]),
    ("response_fractional_pulses", None, lambda _: PulseResponse(1e-6, 1e-4, 50.5, 10.0, 10.0),
     TypeError, ["n_pulses"]),
    ("response_levels_typo", None,
     lambda _: PulseResponse(1e-6, 1e-4, 10**9, 10.0, 10.0).levels(), ValueError,
     ["max_levels", "n_pulses = 1000000000"]),
    ("apply_pulses_nan_state", None, lambda _: DEVICE.apply_pulses([math.nan], [1]),
     ValueError, ["g must", "finite"]),
    ("apply_pulses_inf_count", None, lambda _: DEVICE.apply_pulses([1e-5], [math.inf]),
     ValueError, ["n must", "finite"]),
    ("apply_pulses_shapes", None, lambda _: DEVICE.apply_pulses([1e-5, 2e-5], [1, 2, 3]),
     ValueError, ["n (shape", "g"]),
    ("shape_nan_x", None, lambda _: pulse.shape(0.5, math.nan), ValueError, ["x must"]),
    ("shape_infinite_x", None, lambda _: pulse.inverse_shape(0.5, -math.inf), ValueError,
     ["x must be finite"]),
    ("from_fits_not_fits", None, lambda _: PulseResponse.from_fits(DEVICE, DEVICE), TypeError,
     ["ltp", "PulseFit"]),
    # --- lookup-table device -----------------------------------------------------------------
    ("lookup_inf_pulses_no_hang", None,
     lambda _: lookup.LookupTableDevice([0.0, 1.0], [0.1, 0.1], [0.1, 0.1])
     .apply_pulses([0.5], [math.inf]), ValueError, ["n must", "finite"]),
    ("lookup_unsorted_grid", None,
     lambda _: lookup.LookupTableDevice([0.0, 2.0, 1.0], [0.1] * 3, [0.1] * 3), ValueError,
     ["g_S", "increasing"]),
    ("lookup_negative_step", None,
     lambda _: lookup.LookupTableDevice([0.0, 1.0], [0.1, -0.1], [0.1, 0.1]), ValueError,
     ["dg_ltp_S", ">= 0"]),
    ("lookup_grid_one_point", None,
     lambda _: lookup.LookupTableDevice.from_curves(G, G[::-1], n_grid=1), ValueError,
     ["n_grid", ">= 2"]),
    # --- export ------------------------------------------------------------------------------
    ("weight_map_reversed", None, lambda _: export.aihwkit_weight_map(DEVICE, 1.0, -1.0),
     ValueError, ["range_min", "range_max"]),
    ("weight_map_nan", None, lambda _: export.aihwkit_weight_map(DEVICE, -1.0, math.nan),
     ValueError, ["range_max", "finite"]),
    ("aihwkit_wrong_device", None, lambda _: export.to_aihwkit({"g_min_S": 1e-6}), TypeError,
     ["device"]),
    ("write_json_to_directory", lambda: os.mkdir("out") or "out",
     lambda target: export.write_json(target, DEVICE), IsADirectoryError,
     ["'out'", "directory"]),
    ("write_json_under_a_file", lambda: _write("f", "x") and "f/a.json",
     lambda target: export.write_json(target, DEVICE), NotADirectoryError, ["f/a.json"]),
    # --- plasticity, energy -------------------------------------------------------------------
    ("ppf_nan_amplitude", None, lambda _: plasticity.ppf([0.1], math.nan, 0.1, 0.1, 0.2),
     ValueError, ["c1", "finite"]),
    ("ppf_negative_tau", None, lambda _: plasticity.ppf([0.1], 0.1, 0.1, -0.1, 0.2),
     ValueError, ["tau1_s", "> 0"]),
    ("stp_zero_utilization", None, lambda _: plasticity.TsodyksMarkram(0.0, 0.1, 0.5),
     ValueError, ["utilization"]),
    ("fit_ppf_lengths", None,
     lambda _: plasticity.fit_ppf(np.geomspace(1e-3, 1, 6), [1.2] * 5), ValueError,
     ["ppf_values", "same length"]),
    ("release_unsorted_spikes", None,
     lambda _: plasticity.TsodyksMarkram(0.2, 0.1, 0.5).release([0.0, 0.2, 0.1]), ValueError,
     ["spike_times_s", "sorted"]),
    ("stdp_nan", None, lambda _: plasticity.stdp_pair([0.01, math.nan]), ValueError,
     ["delta_t_s", "finite"]),
    ("ledger_kind_not_string", None, lambda _: energy.EnergyLedger().add(3, 10, 1e-15),
     TypeError, ["kind"]),
    ("ledger_negative_energy", None, lambda _: energy.EnergyLedger().add("write", 10, -1e-15),
     ValueError, ["energy_per_event_J", ">= 0"]),
    # --- extraction, network -----------------------------------------------------------------
    ("count_states_nan", None, lambda _: extract.count_states([0.0, math.nan, 1.0], 0.1),
     ValueError, ["levels", "finite"]),
    ("count_states_negative_sigma", None,
     lambda _: extract.count_states([0.0, 1.0, 2.0], [0.1, -0.1, 0.1]), ValueError,
     ["sigma", ">= 0"]),
    ("extract_not_a_result", None, lambda _: extract.extract({"family": "filament"}), TypeError,
     ["result"]),
    ("extract_wrong_kind", None, lambda _: extract.extract(Result("demo", {}, {})), ValueError,
     ["device.response", "'demo'"]),
    ("network_zero_epochs", None, lambda _: network.evaluate(DEVICE, epochs=0), ValueError,
     ["epochs", ">= 1"]),
    ("network_nan_learning_rate", None,
     lambda _: network.evaluate(DEVICE, learning_rate=math.nan), ValueError,
     ["learning_rate", "finite"]),
    ("network_negative_noise", None, lambda _: network.evaluate(DEVICE, c2c_rel=-0.1),
     ValueError, ["c2c_rel", ">= 0"]),
    ("network_device_string", None, lambda _: network.evaluate("filament"), TypeError,
     ["device"]),
    ("network_huge_hidden_layer", None, lambda _: network.evaluate(None, hidden=10**6),
     ValueError, ["max_work", "hidden = 1000000"]),
    ("network_epochs_typo", None, lambda _: network.evaluate(DEVICE, epochs=3 * 10**6),
     ValueError, ["max_work", "epochs = 3000000"]),
    ("network_memory", None, lambda _: network.evaluate(None, hidden=200_000, epochs=1),
     ValueError, ["max_bytes", "hidden = 200000"]),
    # --- measured-pulse CSV files ------------------------------------------------------------
    ("csv_binary", lambda: _write("pulses.csv", bytes(range(256)) * 8),
     csvdata.fit_csv, ValueError, ["pulses.csv", "binary"]),
    ("csv_not_utf8", lambda: _write("latin.csv", "pulse_number,conductance_S\n0,1e-6\n"
                                                 "# 1 \u00b5S\n".encode("latin-1")),
     csvdata.fit_csv, ValueError, ["latin.csv", "line 3", "UTF-8"]),
    ("csv_negative_conductance", lambda: _write("neg.csv", GOOD_CSV.replace(",1.", ",-1.")),
     csvdata.fit_csv, ValueError, ["neg.csv", "conductance_S", ">= 0"]),
    ("csv_log10_conductance", lambda: _write("log.csv", "pulse_number,conductance_S\n" + "".join(
        f"{k},{math.log10(g):.5f}\n" for k, g in zip(P, G))),
     csvdata.fit_csv, ValueError, ["log.csv", "log10"]),
    ("csv_nan_value", lambda: _write("nan.csv", "pulse_number,conductance_S\n0,1e-6\n1,nan\n"
                                                "2,3e-6\n"),
     csvdata.read_pulse_csv, ValueError, ["nan.csv", "line 3", "conductance_S", "finite"]),
    # ',', ';' and tab are read (tests/synapse/test_csv_export.py); other separators are named
    ("csv_pipe_separated", lambda: _write("pipe.csv", "pulse_number|conductance_S\n"
                                                      "0|1e-6\n1|2e-6\n2|3e-6\n"),
     csvdata.fit_csv, ValueError, ["pipe.csv", "pulse_number", "separators understood"]),
    ("csv_missing_column", lambda: _write("cols.csv", "pulse,G\n0,1e-6\n1,2e-6\n2,3e-6\n"),
     csvdata.fit_csv, ValueError, ["cols.csv", "pulse_number"]),
    ("csv_is_directory", lambda: os.mkdir("data.csv") or "data.csv", csvdata.fit_csv,
     IsADirectoryError, ["data.csv"]),
    ("csv_missing", lambda: "absent.csv", csvdata.fit_csv, FileNotFoundError, ["absent.csv"]),
    ("csv_path_not_a_path", None, lambda _: csvdata.fit_csv(3.5), TypeError, ["path"]),
    ("fits_to_dict_empty", None, lambda _: csvdata.fits_to_dict({}), ValueError, ["fits"]),
    # --- result files --------------------------------------------------------------------------
    ("save_to_directory", lambda: os.mkdir("run.h5") or "run.h5",
     lambda t: results.save(t, {"a/b": Result("demo", {}, {"x_eV": [1.0]})}),
     IsADirectoryError, ["'run.h5'", "directory"]),
    ("save_under_a_file", lambda: _write("f", "x") and "f/run.h5",
     lambda t: results.save(t, {"a/b": Result("demo", {}, {"x_eV": [1.0]})}),
     NotADirectoryError, ["f/run.h5"]),
    ("save_not_a_mapping", None, lambda _: results.save("r.h5", [Result("demo", {}, {})]),
     TypeError, ["results", "dict"]),
    ("save_value_not_result", None, lambda _: results.save("r.h5", {"a": {"x_eV": [1.0]}}),
     TypeError, ["results['a']", "Result"]),
    ("save_colliding_groups", None,
     lambda _: results.save("r.h5", {"a": Result("demo", {}, {}),
                                     "a/b": Result("demo", {}, {})}),
     ValueError, ["results keys", "'a'", "'a/b'"]),
    ("save_object_array", None,
     lambda _: results.save("r.h5", {"a": Result("demo", {}, {"v": np.array([object()])})}),
     TypeError, ["results['a'].data['v']", "dtype object"]),
    ("save_params_not_json", None,
     lambda _: results.save("r.h5", {"a": Result("demo", {"f": print}, {"v": [1.0]})}),
     TypeError, ["results['a'] params", "JSON"]),
    ("unit_of_not_a_name", None, lambda _: results.unit_of(3), TypeError, ["name"]),
    ("save_zero_ranks", None, lambda _: results.save("r.h5", {}, mpi_size=0), ValueError,
     ["mpi_size", ">= 1"]),
    ("result_kind_not_string", None, lambda _: Result(3, {}, {}), TypeError, ["kind"]),
    ("result_data_not_mapping", None, lambda _: Result("demo", {}, [1.0, 2.0]), TypeError,
     ["data"]),
    ("result_data_name_with_slash", None, lambda _: Result("demo", {}, {"a/b": [1.0]}),
     ValueError, ["data names", "'a/b'"]),
    ("load_text_file", lambda: _write("notes.h5", "hello\n"), results.load, ValueError,
     ["notes.h5", "not an HDF5 file"]),
    ("load_empty_file", lambda: _write("empty.h5", b""), results.load, ValueError,
     ["empty.h5", "not a qtransport result file"]),
    ("load_foreign_hdf5", lambda: _h5_foreign("foreign.h5"), results.load, ValueError,
     ["foreign.h5", "another program"]),
    ("load_sweep_file", lambda: _sweep_file("sweep.h5"), results.load, ValueError,
     ["sweep.h5", "sweep file", "sweep.load"]),
    ("load_truncated", lambda: _h5_truncated("cut.h5"), results.load, ValueError,
     ["cut.h5", "truncated"]),
    ("load_corrupt_group", lambda: _h5_corrupt_group("bad.h5"), results.load, ValueError,
     ["bad.h5", "'/s/r'", "not JSON"]),
    ("load_fifo_no_hang", lambda: os.mkfifo("pipe.h5") or "pipe.h5", results.load, ValueError,
     ["pipe.h5", "regular file"]),
    ("csv_fifo_no_hang", lambda: os.mkfifo("pipe.csv") or "pipe.csv", csvdata.fit_csv,
     ValueError, ["pipe.csv", "regular file"]),
    ("load_missing", lambda: "nothing.h5", results.load, FileNotFoundError, ["nothing.h5"]),
    ("load_directory", lambda: os.mkdir("d.h5") or "d.h5", results.load, IsADirectoryError,
     ["d.h5"]),
    # --- pipeline config and output folder (all checked before any stage runs) ---------------
    ("config_empty_stages", None, lambda _: pipeline.parse_config("[pipeline]\nstages = []\n"),
     ValueError, ["pipeline.stages", "at least one"]),
    ("config_duplicate_stage", None,
     lambda _: pipeline.parse_config('[pipeline]\nstages = ["synapse", "synapse"]\n'),
     ValueError, ["pipeline.stages", "'synapse'", "twice"]),
    ("config_unknown_stage", None,
     lambda _: pipeline.parse_config('[pipeline]\nstages = ["filamnet"]\n'), ValueError,
     ["pipeline.stages", "'filamnet'", "known"]),
    ("config_nan_number", None,
     lambda _: pipeline.parse_config("[filament]\ntemperature_K = nan\n"), ValueError,
     ["filament.temperature_K", "finite"]),
    ("config_inf_in_list", None,
     lambda _: pipeline.parse_config("[superlattice]\nsp_temperatures_K = [77.0, inf]\n"),
     ValueError, ["superlattice.sp_temperatures_K", "finite"]),
    ("config_text_not_string", None, lambda _: pipeline.parse_config(b"[pipeline]"), TypeError,
     ["config text"]),
    ("run_output_dir_is_a_file", lambda: _write("out", "x"),
     lambda out: pipeline.run_pipeline(out, '[pipeline]\nstages = ["synapse"]\n'),
     NotADirectoryError, ["output_dir", "'out'"]),
    ("run_h5_is_a_folder", lambda: os.makedirs("out/run.h5") or "out",
     lambda out: pipeline.run_pipeline(out, '[pipeline]\nstages = ["synapse"]\n'),
     IsADirectoryError, ["output_dir", "run.h5"]),
    ("run_figures_is_a_file", lambda: _write("out/figures", "x") and "out",
     lambda out: pipeline.run_pipeline(out, '[pipeline]\nstages = ["synapse"]\n'),
     NotADirectoryError, ["output_dir", "figures"]),
]


def _snapshot(folder: Path) -> dict[str, int]:
    """Every path under ``folder`` (hidden ones too) with its size (-1 for folders)."""
    return {str(p.relative_to(folder)): (-1 if p.is_dir() else p.stat().st_size)
            for p in folder.rglob("*")}


class _Alarm:
    """Fail a case after ``seconds`` instead of hanging the suite (a hang is a bug here)."""

    def __init__(self, seconds: int):
        self.seconds = seconds

    def __enter__(self):
        def boom(signum, frame):
            raise TimeoutError(f"case did not finish within {self.seconds} s (a hang)")
        self.old = signal.signal(signal.SIGALRM, boom)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.old)


@pytest.mark.parametrize("case_id, setup, call, exc, fragments", CASES,
                         ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_nothing_is_left(case_id, setup, call, exc, fragments,
                                                  tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    arg = setup() if setup is not None else None
    before = _snapshot(tmp_path)
    with _Alarm(20), pytest.raises(exc) as info:
        call(arg)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "\n" not in message.strip(), "a message must be one line"
    assert _snapshot(tmp_path) == before, "a file or folder was left behind"


def test_enough_distinct_cases():
    ids = [c[0] for c in CASES] + [c[0] for c in CLI_CASES]
    assert len(set(ids)) == len(ids) >= 50


# --- what must keep working next to the refusals ---------------------------------------------

def test_fit_of_positive_data_still_recovers_the_model():
    fit = pulse.fit_pulse_response(P, G)
    # noiseless data of the model itself: the fit is exact to the optimizer tolerance (~1e-8)
    assert abs(fit.a - 10.0) < 1e-4 and abs(fit.response.g_min_S - 1e-6) < 1e-10


def test_lookup_update_with_a_huge_pulse_count_stops_at_the_bound():
    dev = lookup.LookupTableDevice([0.0, 1.0], [0.25, 0.25], [0.5, 0.5])
    with _Alarm(10):
        out = dev.apply_pulses(np.array([0.0, 0.6]), np.array([10**9, -10**9]))
    assert out.tolist() == [1.0, 0.0]         # clipped to the bounds: exact by construction


def test_csv_with_a_utf8_bom_reads(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_CSV.encode())
    fits = csvdata.fit_csv(path)
    assert sorted(fits) == ["ltd", "ltp"] and abs(fits["ltp"].a - 10.0) < 0.05


def test_missing_output_folders_are_created(tmp_path):
    r = Result("demo", {"n": 1}, {"x_eV": np.arange(3.0)})
    results.save(tmp_path / "a" / "b" / "r.h5", {"s/r": r})
    assert results.load(tmp_path / "a" / "b" / "r.h5")["s/r"] == r
    export.write_json(tmp_path / "c" / "d.json", DEVICE)
    assert json.loads((tmp_path / "c" / "d.json").read_text())["pulse_response"]["n_pulses"] == 50
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "c"]   # no temporaries


def test_a_failed_write_removes_its_temporary_and_the_folders_it_made(tmp_path):
    from qtransport.infra import atomic_path
    with pytest.raises(RuntimeError, match="writer failed"):
        with atomic_path(tmp_path / "g" / "h" / "x.txt") as tmp:
            Path(tmp).write_text("half")
            raise RuntimeError("writer failed")
    assert list(tmp_path.iterdir()) == []


def test_pipeline_creates_missing_output_folders(tmp_path):
    out = tmp_path / "new" / "deeper"
    outcome = pipeline.run_pipeline(out, '[pipeline]\nstages = ["synapse"]\n'
                                         '[synapse]\nnetwork = false\n')
    assert outcome["h5"] == out / "run.h5" and (out / "report.md").exists()
    assert "synapse/stp" in results.load(out / "run.h5")


# --- CLI: real processes, exit code 2, one line on stderr, nothing left ----------------------

SMALL_TOML = '[pipeline]\nstages = ["synapse"]\n[synapse]\nnetwork = false\n'

# (id, {file: content} to create, argv, fragments of the single stderr line)
CLI_CASES = [
    ("cli_run_empty_stages", {"c.toml": "[pipeline]\nstages = []\n"},
     ["run", "c.toml", "--output-dir", "out"], ["pipeline.stages"]),
    ("cli_run_unknown_stage", {"c.toml": '[pipeline]\nstages = ["josephsen"]\n'},
     ["run", "c.toml", "--output-dir", "out"], ["pipeline.stages", "josephsen"]),
    ("cli_run_duplicate_stage", {"c.toml": '[pipeline]\nstages = ["synapse", "synapse"]\n'},
     ["run", "c.toml", "--output-dir", "out"], ["pipeline.stages", "twice"]),
    ("cli_run_nan_value", {"c.toml": "[josephson]\nresistance_ohm = nan\n"},
     ["run", "c.toml", "--output-dir", "out"], ["josephson.resistance_ohm", "finite"]),
    ("cli_run_negative_count", {"c.toml": "[synapse]\nseeds = -2\n"},
     ["run", "c.toml", "--output-dir", "out"], ["synapse.seeds"]),
    ("cli_run_bad_toml", {"c.toml": "[pipeline\n"},
     ["run", "c.toml", "--output-dir", "out"], ["TOML"]),
    ("cli_run_binary_config", {"c.toml": bytes(range(256))},
     ["run", "c.toml", "--output-dir", "out"], ["c.toml", "binary"]),
    ("cli_run_latin1_config", {"c.toml": "# r\u00e9sistance\n".encode("latin-1")},
     ["run", "c.toml", "--output-dir", "out"], ["c.toml", "UTF-8"]),
    ("cli_run_config_is_a_device", {}, ["run", "/dev/zero", "--output-dir", "out"],
     ["/dev/zero", "regular file"]),
    ("cli_run_missing_config", {}, ["run", "nope.toml", "--output-dir", "out"], ["nope.toml"]),
    ("cli_run_config_is_folder", {"cfg/": None}, ["run", "cfg", "--output-dir", "out"],
     ["cfg", "directory"]),
    ("cli_run_output_is_a_file", {"c.toml": SMALL_TOML, "out": "x"},
     ["run", "c.toml", "--output-dir", "out"], ["--output-dir", "'out'"]),
    ("cli_run_output_under_a_file", {"c.toml": SMALL_TOML, "f": "x"},
     ["run", "c.toml", "--output-dir", "f/out"], ["--output-dir", "f/out"]),
    ("cli_run_h5_is_a_folder", {"c.toml": SMALL_TOML, "out/run.h5/": None},
     ["run", "c.toml", "--output-dir", "out"], ["--output-dir", "run.h5"]),
    ("cli_run_without_output", {}, ["run"], ["--output-dir"]),
    # a count of 1e9 network seeds ran for ever; 1e300 A reached the solver as an inf frequency
    ("cli_run_huge_count", {"c.toml": "[synapse]\nseeds = 1000000000\n"},
     ["run", "c.toml", "--output-dir", "out"], ["synapse.seeds", "10000"]),
    ("cli_run_huge_current", {"c.toml": '[pipeline]\nstages = ["josephson"]\n[josephson]\n'
                                        'critical_current_A = 1e300\n'},
     ["run", "c.toml", "--output-dir", "out"], ["josephson.critical_current_A"]),
    # a 1.2 MB list of energies: refused by size before parsing (a 12 MB one took > 1 min)
    ("cli_sweep_config_too_large",
     {"c.toml": '[sweep]\nmodel = "filament.conductance"\n[sweep.fixed]\nenergies_eV = ['
                + ",".join(["0.1"] * 300000) + ']\n[sweep.grid]\nwidth_atoms = [1]\n'},
     ["sweep", "c.toml", "--output", "o.h5"], ["c.toml", "larger than 1 MiB"]),
    # 1e300 as an integer parameter: refused naming the key (was an HDF5 object-dtype error)
    ("cli_sweep_int_1e300",
     {"c.toml": '[sweep]\nmodel = "filament.conductance"\n[sweep.fixed]\nenergies_eV = [0.05]'
                '\n[sweep.grid]\nwidth_atoms = [1e300]\n'},
     ["sweep", "c.toml", "--output", "o.h5"], ["sweep.grid.width_atoms", "int64"]),
    # sweep configs with the wrong shape or type of value, each named by its config key
    *[(f"cli_sweep_{tag}", {"c.toml": '[sweep]\nmodel = "filament.conductance"\n[sweep.fixed]\n'
                            f'energies_eV = {energies}\nlength_atoms = {length}\n'
                            f'[sweep.grid]\nwidth_atoms = {widths}\n'},
       ["sweep", "c.toml", "--output", "o.h5"], fragments)
      for tag, energies, length, widths, fragments in [
          ("num_zero", "{start = 0.1, stop = 1.0, num = 0}", "5", "[1, 2]",
           ["sweep.fixed.energies_eV.num", ">= 2"]),
          ("num_float", "{start = 0.1, stop = 1.0, num = 2.5}", "5", "[1, 2]",
           ["sweep.fixed.energies_eV.num", "integer"]),
          ("energies_nested", "[[0.1, 0.2]]", "5", "[1, 2]",
           ["sweep.fixed.energies_eV", "1-dimensional"]),
          ("energies_inf", "[0.1, inf]", "5", "[1]", ["sweep.fixed.energies_eV", "finite"]),
          ("length_bool", "[0.1]", "true", "[1, 2]", ["sweep.fixed.length_atoms", "integer"]),
          ("length_string", "[0.1]", '"5"', "[1, 2]", ["sweep.fixed.length_atoms", "integer"]),
          ("widths_empty", "[0.1]", "5", "[]", ["sweep.grid.width_atoms", "empty"]),
          ("widths_duplicate", "[0.1]", "5", "[1, 1]", ["sweep.grid", "same point"]),
          ("widths_table", "[0.1]", "5", "{a = 1}", ["sweep.grid.width_atoms"]),
          ("widths_nan", "[0.1]", "5", "[nan]", ["sweep.grid.width_atoms[0]", "integer"]),
          ("widths_negative", "[0.1]", "5", "[-1, 2]", ["sweep.grid.width_atoms[0]", ">= 1"]),
      ]],
    ("cli_fit_json_is_a_folder", {"p.csv": GOOD_CSV, "res/": None},
     ["fit", "p.csv", "--json", "res"], ["--json", "'res'", "directory"]),
    ("cli_fit_json_is_cwd", {"p.csv": GOOD_CSV}, ["fit", "p.csv", "--json", "."],
     ["--json", "directory"]),
    ("cli_fit_json_under_a_file", {"p.csv": GOOD_CSV, "f": "x"},
     ["fit", "p.csv", "--json", "f/fit.json"], ["--json", "f/fit.json"]),
    ("cli_fit_binary_csv", {"p.csv": bytes(range(256)) * 4}, ["fit", "p.csv"],
     ["p.csv", "binary"]),
    ("cli_fit_latin1_csv", {"p.csv": "pulse_number,conductance_S\n# \u00b5S\n".encode("latin-1")},
     ["fit", "p.csv"], ["p.csv", "line 2", "UTF-8"]),
    ("cli_fit_negative_conductance", {"p.csv": GOOD_CSV.replace(",1.", ",-1.")},
     ["fit", "p.csv"], ["p.csv", "conductance_S", ">= 0"]),
    ("cli_fit_nan_conductance", {"p.csv": "pulse_number,conductance_S\n0,1e-6\n1,nan\n2,3e-6\n"},
     ["fit", "p.csv"], ["p.csv", "line 3", "finite"]),
    ("cli_fit_missing_csv", {}, ["fit", "absent.csv"], ["absent.csv"]),
    ("cli_fit_bad_direction", {"p.csv": GOOD_CSV}, ["fit", "p.csv", "--direction", "up"],
     ["--direction", "'up'"]),
    ("cli_fit_direction_absent", {"p.csv": GOOD_CSV.replace(",ltd", ",ltp")},
     ["fit", "p.csv", "--direction", "ltd"], ["p.csv", "'ltd'"]),
    ("cli_models_unknown", {}, ["models", "synapse.netwrok"], ["synapse.netwrok"]),
    ("cli_materials_unknown", {}, ["materials", "Unobtainium"], ["Unobtainium"]),
]
#: cases also run through ``python -m qtransport.cli`` (the real entry point, no fork driver)
REAL_ENTRY = ("cli_run_empty_stages", "cli_fit_json_is_cwd", "cli_fit_latin1_csv")

DRIVER = r'''
import json, os, sys, traceback
import h5py, numpy, scipy.optimize                      # noqa: F401  imported once, shared
import qtransport.cli as cli
import qtransport.workflows.pipeline, qtransport.synapse.csvdata   # noqa: F401
cases = json.loads(sys.argv[1])
done = {}
for case in cases:
    out_path, err_path = case["stdout"], case["stderr"]
    pid = os.fork()
    if pid == 0:
        rc = 1
        try:
            os.chdir(case["cwd"])
            for fd, path in ((1, out_path), (2, err_path)):
                f = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(f, fd)
                os.close(f)
            sys.argv = ["qtransport", *case["argv"]]
            try:
                rc = cli.main(case["argv"])
            except SystemExit as exc:                 # argparse: usage errors exit here
                rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:                      # what python -m would do
                traceback.print_exc()
                rc = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(rc or 0))
    _, status = os.waitpid(pid, 0)
    done[case["id"]] = os.waitstatus_to_exitcode(status)
print(json.dumps(done))
'''


def _cli_env() -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("OMPI_COMM_WORLD_RANK", None)
    return env


def _prepare(base: Path, case_id: str, files: dict) -> Path:
    work = base / case_id / "work"
    work.mkdir(parents=True)
    for name, content in files.items():
        target = work / name.rstrip("/")
        if name.endswith("/"):
            target.mkdir(parents=True)
        else:
            _write(str(target), content)
    return work


@pytest.fixture(scope="module")
def cli_outcomes(tmp_path_factory):
    """Run every CLI case in its own process (fork driver); collect rc, stderr, leftovers."""
    base = tmp_path_factory.mktemp("cli")
    logs = tmp_path_factory.mktemp("cli_logs")
    cases, before = [], {}
    for case_id, files, argv, _ in CLI_CASES:
        work = _prepare(base, case_id, files)
        before[case_id] = _snapshot(work.parent)
        cases.append({"id": case_id, "cwd": str(work), "argv": argv,
                      "stdout": str(logs / f"{case_id}.out"),
                      "stderr": str(logs / f"{case_id}.err")})
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(cases)],
                          capture_output=True, text=True, env=_cli_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    codes = json.loads(proc.stdout.strip().splitlines()[-1])
    return {c["id"]: {"rc": codes[c["id"]],
                      "stderr": Path(c["stderr"]).read_text(errors="replace"),
                      "left": _snapshot(Path(c["cwd"]).parent) != before[c["id"]]}
            for c in cases}


def _assert_clean_failure(rc: int, stderr: str, fragments, left: bool) -> None:
    lines = stderr.strip().splitlines()
    assert rc == 2, f"exit code {rc}, stderr:\n{stderr}"
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, f"expected one line on stderr, got:\n{stderr}"
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert not left, "a file or folder was left behind"


@pytest.mark.parametrize("case_id, files, argv, fragments", CLI_CASES,
                         ids=[c[0] for c in CLI_CASES])
def test_cli_bad_input_one_line_exit_2_nothing_left(case_id, files, argv, fragments,
                                                     cli_outcomes):
    got = cli_outcomes[case_id]
    _assert_clean_failure(got["rc"], got["stderr"], fragments, got["left"])


def test_real_entry_point_behaves_like_the_driver(tmp_path):
    """A few cases through ``python -m qtransport.cli`` itself, started in parallel."""
    procs = {}
    for case_id, files, argv, fragments in CLI_CASES:
        if case_id in REAL_ENTRY:
            work = _prepare(tmp_path, case_id, files)
            snap = _snapshot(work.parent)
            procs[case_id] = (subprocess.Popen(
                [sys.executable, "-m", "qtransport.cli", *argv], cwd=work, env=_cli_env(),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), work, snap,
                fragments)
    assert len(procs) == len(REAL_ENTRY)
    for case_id, (proc, work, snap, fragments) in procs.items():
        _, err = proc.communicate(timeout=120)
        _assert_clean_failure(proc.returncode, err, fragments, _snapshot(work.parent) != snap)


def test_a_failed_pipeline_write_removes_only_what_it_created(tmp_path):
    """What run_pipeline does when writing fails after the checks: new files and folders go,
    files that were there before stay."""
    out = tmp_path / "runs" / "new"
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "keep.txt").write_text("mine")
    with pytest.raises(OSError, match="disk full"):
        with pipeline._undo_on_error(out):
            (out / "figures").mkdir(parents=True)
            (out / "run.h5").write_bytes(b"partial")
            (out / "figures" / "a.png").write_bytes(b"png")
            raise OSError("disk full")
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["keep.txt"]
    out.mkdir()
    (out / "report.md").write_text("old report")
    with pytest.raises(OSError):
        with pipeline._undo_on_error(out):
            (out / "run.h5").write_bytes(b"partial")
            raise OSError("disk full")
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]


def test_fit_json_into_a_missing_folder(tmp_path, capsys):
    from qtransport import cli
    csv = tmp_path / "p.csv"
    csv.write_text(GOOD_CSV)
    target = tmp_path / "new" / "fit.json"
    assert cli.main(["fit", str(csv), "--json", str(target)]) == 0
    report = json.loads(target.read_text())
    assert abs(report["fits"]["ltp"]["A_pulses"] - 10.0) < 0.05   # 7-digit CSV rounding
    assert sorted(p.name for p in target.parent.iterdir()) == ["fit.json"]
