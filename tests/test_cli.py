"""The command line: info, materials, run — and one-line errors with exit code 2."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def qtransport(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "qtransport.cli", *args], capture_output=True,
                          text=True, env=ENV, cwd=cwd, timeout=600)


def test_info_reports_mumps_and_mpi():
    out = qtransport("info")
    assert out.returncode == 0, out.stderr
    assert re.search(r"^kwant solver +MUMPS", out.stdout, re.M)     # column width may vary
    assert "Open MPI" in out.stdout and "mpiexec" in out.stdout


def test_materials_table_and_detail():
    out = qtransport("materials")
    assert out.returncode == 0 and "InGaO3(ZnO)3" in out.stdout
    out = qtransport("materials", "hBN")
    assert "band_gap_eV" in out.stdout and "Cassabois" in out.stdout and "[weak]" in out.stdout


@pytest.mark.parametrize("args, fragment", [
    (["materials", "Unobtainium"], "unknown material"),
    (["info", "--bogus"], "unrecognized arguments"),
    (["run"], "--output-dir"),
    (["frobnicate"], "invalid choice"),
])
def test_user_errors_are_one_line_with_exit_code_2(args, fragment):
    out = qtransport(*args)
    assert out.returncode == 2
    assert fragment in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr


@pytest.mark.parametrize("config, fragment", [
    ("[filament]\nwidth_2d_atoms = 'six'\n", "filament.width_2d_atoms"),
    ("[filament]\nno_such_key = 1\n", "filament.no_such_key"),
    ("[nonsense]\n", "unknown section"),
    ("[filament\n", "not valid TOML"),
    ("[synapse]\nlevels = [2]\n", "synapse.levels"),      # range checked before any stage runs
])
def test_bad_run_config_leaves_no_output(tmp_path, config, fragment):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(config)
    out = qtransport("run", str(cfg), "--output-dir", str(tmp_path / "out"))
    assert out.returncode == 2, out.stderr
    assert fragment in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_help_reads_well():
    out = qtransport("--help")
    assert out.returncode == 0
    for word in ("info", "materials", "run"):
        assert word in out.stdout


@pytest.mark.slow
def test_run_filament_stage_writes_h5_figures_and_report(tmp_path):
    cfg = tmp_path / "filament.toml"
    cfg.write_text('[pipeline]\nstages = ["filament"]\n[filament]\nhistogram_samples = 8\n'
                   'growth_devices = 2\ngrowth_cycles = 2\nqpc_energies_eV = {start = 0.01, stop = 0.03, num = 3}\n')
    out = qtransport("run", str(cfg), "--output-dir", str(tmp_path / "out"))
    assert out.returncode == 0, out.stderr
    from qtransport import results
    run = results.load(tmp_path / "out" / "run.h5")
    assert "filament/staircase_2d_0K" in run and "filament/device_response" in run
    assert "filament/vacancy_2d_hbn/device_response" in run      # the h-BN vacancy memristor
    figures = sorted(p.name for p in (tmp_path / "out" / "figures").iterdir())
    assert "filament_staircase_2d.png" in figures and "filament_qpc.png" in figures
    assert "filament_vacancy_2d_hbn.png" in figures
    report = (tmp_path / "out" / "report.md").read_text()
    assert "filament/staircase_2d_0K/conductance_G0" in report
    assert "h-BN (two-band) vacancy memristor" in report
    # per-stage wall time recorded by the run itself: run.h5 attribute, report table, console
    import json
    import h5py
    with h5py.File(tmp_path / "out" / "run.h5", "r") as f:
        stage_seconds = json.loads(f.attrs["stage_seconds"])
        stage_cpu = json.loads(f.attrs["stage_cpu_seconds"])
    assert list(stage_seconds) == ["filament"] and stage_seconds["filament"] > 0
    assert list(stage_cpu) == ["filament"] and stage_cpu["filament"] > 0
    timing = report[report.index("## Timing"):]
    assert f"| filament | {stage_seconds['filament']:.2f} |" in timing
    assert "| writing run.h5, figures, report |" in timing and "| total |" in timing
    assert f"| filament | {stage_seconds['filament']:.2f} |" in out.stdout


def test_show_config_round_trips(tmp_path):
    """`run --show-config` prints every key; feeding it back changes nothing."""
    out = qtransport("run", "--show-config")
    assert out.returncode == 0 and "[filament]" in out.stdout and "[synapse]" in out.stdout
    cfg = tmp_path / "all.toml"
    cfg.write_text(out.stdout)
    again = qtransport("run", str(cfg), "--show-config")
    assert again.returncode == 0 and again.stdout == out.stdout


def test_version_and_run_refuses_a_non_empty_folder(tmp_path):
    out = qtransport("--version")
    assert out.returncode == 0 and out.stdout.startswith("qtransport ")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep me")
    out = qtransport("run", "--output-dir", str(busy))
    assert out.returncode == 2 and "not empty" in out.stderr and "--force" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("args, fragment", [
    (["--format", "png,jpg"], "--format"), (["--dpi", "5"], "--dpi"),
    (["--dpi", "many"], "--dpi")])
def test_run_figure_options_are_checked(tmp_path, args, fragment):
    out = qtransport("run", "--output-dir", str(tmp_path / "o"), *args)
    assert out.returncode == 2 and fragment in out.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
def test_run_writes_every_format_into_a_new_nested_folder(tmp_path):
    cfg = tmp_path / "small.toml"
    cfg.write_text('[pipeline]\nstages = ["superlattice"]\n')
    out_dir = tmp_path / "a" / "b"
    out = qtransport("run", str(cfg), "--output-dir", str(out_dir), "--format", "png,svg,pdf",
                     "--dpi", "80")
    assert out.returncode == 0, out.stderr
    names = {p.name for p in (out_dir / "figures").iterdir()}
    stems = {n.rsplit(".", 1)[0] for n in names}
    assert names == {f"{s}.{x}" for s in stems for x in ("png", "svg", "pdf")}
    report = (out_dir / "report.md").read_text()
    assert ".png)" in report and ".svg)" not in report
    again = qtransport("run", str(cfg), "--output-dir", str(out_dir))
    assert again.returncode == 2 and "not empty" in again.stderr
    forced = qtransport("run", str(cfg), "--output-dir", str(out_dir), "--force")
    assert forced.returncode == 0, forced.stderr


def test_fit_reads_unit_columns_and_semicolons(tmp_path):
    from qtransport.synapse import PulseResponse
    import numpy as np
    s = PulseResponse(1e-6, 1e-4, 20, 8.0, 8.0)
    k = np.arange(21)
    rows = [f"{p};{1 / g:.8e};ltp".replace(".", ",") for p, g in zip(k, s.conductance_ltp(k))]
    csv = tmp_path / "lab.csv"
    csv.write_text("pulse_number;resistance_ohm;direction\n" + "\n".join(rows) + "\n")
    out = qtransport("fit", str(csv), "--json", str(tmp_path / "new" / "fit.json"))
    assert out.returncode == 0, out.stderr
    import json
    body = json.loads((tmp_path / "new" / "fit.json").read_text())
    assert abs(body["fits"]["ltp"]["A_pulses"] - 8.0) < 1e-3      # 9 digits of data
