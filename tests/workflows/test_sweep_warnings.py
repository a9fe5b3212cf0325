"""Each sweep point's Python warnings are part of its recorded outcome (``/sweep/warnings``).

The real-physics case is ``josephson.spectrum``, whose charge-basis truncation check raises an
AccuracyWarning exactly where ``ncut`` is too small for E_J/E_C; which points those are is found
by calling the model directly. ``testsweep.warns`` makes duplicates, a second category, a
failing point and slow points (for a SIGKILL) controllable.

Tests marked ``mpi`` run as one rank under plain pytest and as two under ``mpiexec -n 2``.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import h5py
import numpy as np
import pytest

import sweep_models  # noqa: F401  (registers testsweep.* models)
from faults import kill_after_commits, run
from qtransport import AccuracyWarning
from qtransport.workflows import checkpoint, config, executor, sweep
from qtransport.workflows.catalog import get_model
from qtransport.workflows.executor import SerialExecutor
from test_sweep import assert_same_results
from test_sweep_faults import interrupted

SPECTRUM = """
[sweep]
model = "josephson.spectrum"
checkpoint_seconds = 0
[sweep.fixed]
ec_GHz = 1.0
ng_values = [0.0, 0.25, 0.5]
levels = 3
[sweep.grid]
ej_GHz = [1.0, 10.0, 30.0]
ncut = [2, 4, 8, 16]
"""

WARNS = """
[sweep]
model = "testsweep.warns"
checkpoint_seconds = 0
[sweep.fixed]
warn_below = 2.5
fail_x = 1.0
sleep_s = {sleep}
[sweep.grid]
x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]
"""


def direct_warnings(model: str, params: dict) -> list[tuple[str, str]]:
    """The distinct (category, message) pairs of one direct model call, in order raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            get_model(model).function(**params)
        except ValueError:
            pass
    return list(dict.fromkeys((w.category.__name__, str(w.message)) for w in caught))


def warnings_column(path) -> tuple[list[str], list[str]]:
    with h5py.File(path, "r") as f:
        return (list(f["sweep/warnings"].asstr()[()]), list(f["sweep/point_sha256"].asstr()[()]))


def test_points_that_warn_record_exactly_their_own_warnings(tmp_path, capsys):
    """Serial: the file holds, point by point, the warnings a direct call with the recorded
    parameters raises — AccuracyWarning on the ncut-too-small points only, nothing elsewhere —
    also where the test suite turns AccuracyWarning into an error (setup.cfg filterwarnings),
    and the same warning text on two points is recorded on both (no once-per-process filter)."""
    out = tmp_path / "s.h5"
    summary = sweep.run(config.parse_config(SPECTRUM), out, executor=SerialExecutor())
    res = sweep.load(out)
    assert summary.complete and not res.failed.any()         # a warning is not a failure
    expected = [direct_warnings("josephson.spectrum", p) for p in res.parameters]
    assert res.warnings == expected
    warned = res.warned("AccuracyWarning")
    assert 0 < warned.sum() < len(warned)                    # some points warn, some do not
    ncut = np.array([p["ncut"] for p in res.parameters])
    ratio = np.array([p["ej_GHz"] for p in res.parameters])
    assert not warned[ncut == 16].any() and warned[(ncut == 2) & (ratio >= 10)].all()
    assert all(c == "AccuracyWarning" and "ncut" in m for w in res.warnings for c, m in w)
    assert summary.warned == {"AccuracyWarning": int(warned.sum())}
    assert summary.warnings_line() == (f"{int(warned.sum())} points raised AccuracyWarning; "
                                       f"see {out}:/sweep/warnings")
    # the xarray view carries the same per-point text, shaped by the grid (ej_GHz, ncut)
    ds = res.to_xarray()
    assert ds["warnings"].dims == ("ej_GHz", "ncut")
    text = ds["warnings"].values.ravel().tolist()
    assert [checkpoint.decode_warnings(t) for t in text] == expected
    # the CLI says it in one line at the end (stderr), the summary line unchanged on stdout
    cfg = tmp_path / "c.toml"
    cfg.write_text(SPECTRUM)
    from qtransport.cli import main
    assert main(["sweep", str(cfg), "--output", str(tmp_path / "cli.h5"), "--no-progress"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (f"qtransport: {int(warned.sum())} points raised AccuracyWarning; see "
                       f"{tmp_path / 'cli.h5'}:/sweep/warnings")


def test_warnings_deduplicated_per_point_and_kept_on_failed_points(tmp_path):
    """Two identical AccuracyWarnings of one call are one entry; a UserWarning is its own
    category; a point that warns and then raises keeps both its error and its warnings."""
    out = tmp_path / "w.h5"
    summary = sweep.run(config.parse_config(WARNS.format(sleep=0.0)), out,
                        executor=SerialExecutor())
    res = sweep.load(out)
    xs = [p["x"] for p in res.parameters]
    for x, w, failed in zip(xs, res.warnings, res.failed):
        if x < 2.5:
            assert w == [("AccuracyWarning", f"x = {x} is below warn_below = 2.5"),
                         ("UserWarning", f"x = {x}: a plain UserWarning")]
        else:
            assert w == []
        assert failed == (x == 1.0)
    assert res.errors[1].startswith("ValueError: x = 1.0")
    assert summary.warned == {"AccuracyWarning": 3, "UserWarning": 3}
    assert summary.warnings_line() == (f"3 points raised AccuracyWarning; 3 points raised "
                                       f"UserWarning; see {out}:/sweep/warnings")


def test_resume_attaches_warnings_to_their_parameters_and_checks_them(tmp_path):
    """An interrupted sweep resumed with its grid reversed and extended equals a fresh run,
    warnings included (matched by point key, never by index); a warning edited or moved to
    another point inside a still-valid segment or final file is refused by its checksum."""
    text = WARNS.format(sleep=0.0)
    out = tmp_path / "o.h5"
    interrupted(text, out, 5)                     # points x = 0..4 committed in segments only
    segments = sorted(checkpoint.parts_dir(out).glob("seg-*.h5"))
    with h5py.File(segments[0], "r+") as f:       # x = 0's warnings onto nothing: refused
        saved = f["warnings"][0]
        f["warnings"][0] = ""
    with pytest.raises(ValueError, match=f"checkpoint segment {segments[0]} is corrupted"):
        sweep.load(out)
    with h5py.File(segments[0], "r+") as f:
        f["warnings"][0] = saved
    reverse = text.replace("x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]",
                           "x = [12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, "
                           "0.0, -1.0]")
    summary = sweep.run(config.parse_config(reverse), out, executor=SerialExecutor())
    assert summary.n_already_done == 5
    fresh = tmp_path / "fresh.h5"
    sweep.run(config.parse_config(reverse), fresh, executor=SerialExecutor())
    assert_same_results(sweep.load(fresh), sweep.load(out))
    assert warnings_column(out) == warnings_column(fresh)
    res = sweep.load(out)
    assert res.warned().tolist() == [p["x"] < 2.5 for p in res.parameters]
    with h5py.File(out, "r+") as f:               # swap two points' warnings: both refused
        w = f["sweep/warnings"]
        a, b = w[-1], w[-2]                       # x = -1 and x = 0, both warned
        w[-1], w[-2] = b, a
    with pytest.raises(ValueError, match=f"sweep file {out} is corrupted: point 1[23]"):
        sweep.load(out)
    with h5py.File(out, "r+") as f:               # not JSON: a damaged file, one line
        f["sweep/warnings"][-1] = "[[not json"
    with pytest.raises(ValueError, match="the warnings of point 13 are not a JSON list"):
        sweep.load(out)


def test_file_written_before_warnings_were_recorded_still_reads_and_resumes(tmp_path):
    """Without the column (files of earlier versions) every point reads with no warnings and
    passes its checksum (a point without warnings hashes as before); a resume adds it."""
    out = tmp_path / "old.h5"
    text = WARNS.format(sleep=0.0).replace("warn_below = 2.5", "warn_below = -5.0")
    interrupted(text, out, 3)
    for path in [out, *checkpoint.parts_dir(out).glob("seg-*.h5")]:
        with h5py.File(path, "r+") as f:
            del (f["sweep"] if "sweep" in f else f)["warnings"]
    res = sweep.load(out)
    assert int(res.done.sum()) == 3 and res.warnings == [[]] * 12
    sweep.run(config.parse_config(text), out, executor=SerialExecutor())
    assert warnings_column(out)[0] == [""] * 12 and sweep.load(out).complete is False


def test_sigkilled_run_resumes_to_the_uninterrupted_warnings(tmp_path):
    """A real SIGKILL mid-run (0.05 s points, killed just after the 4th commit): the partial
    file reads, and the resumed file's warnings and checksums equal an uninterrupted run's."""
    cfg = tmp_path / "w.toml"
    cfg.write_text(WARNS.format(sleep=0.05))
    ref, out = tmp_path / "ref.h5", tmp_path / "killed.h5"
    rc, _, err = run(["sweep", str(cfg), "--output", str(ref), "--no-progress"])
    assert rc == 3, err                           # finished; x = 1 failed by design
    args = ["sweep", str(cfg), "--output", str(out), "--no-progress"]
    kill_after_commits(args, False, checkpoint.parts_dir(out), 4, 0.01)
    assert 4 <= int(sweep.load(out).done.sum()) < 12
    rc, _, err = run(args)
    assert rc == 3, err
    assert "points raised AccuracyWarning" in err
    assert_same_results(sweep.load(ref), sweep.load(out))
    assert warnings_column(out) == warnings_column(ref)


@pytest.mark.mpi
def test_mpi_file_equals_serial_file_for_the_warnings(tmp_path):
    """MPI = serial (the contract, so exact): the same warnings text and point checksums, point
    by point, whichever rank computed which point."""
    ex = executor.get_executor()
    folder = Path(ex.bcast(str(tmp_path)))
    for name, text in (("spectrum", SPECTRUM), ("warns", WARNS.format(sleep=0.01))):
        summary = sweep.run(config.parse_config(text), folder / f"{name}-mpi.h5", executor=ex)
        assert summary.ranks == ex.size and summary.warned
        if ex.is_root:
            serial = folder / f"{name}-serial.h5"
            sweep.run(config.parse_config(text), serial, executor=SerialExecutor())
            assert warnings_column(folder / f"{name}-mpi.h5") == warnings_column(serial)
            assert_same_results(sweep.load(serial), sweep.load(folder / f"{name}-mpi.h5"))


def test_mpiexec_cli_records_worker_warnings_like_serial(tmp_path):
    """Under ``mpiexec -n 2`` the warnings raised on the worker rank are in the file (as in a
    serial run) and the summary line is printed once."""
    cfg = tmp_path / "w.toml"
    cfg.write_text(WARNS.format(sleep=0.02))
    rc, out, err = run(["sweep", str(cfg), "--output", str(tmp_path / "mpi.h5"),
                        "--no-progress"], mpi=True)
    assert rc == 3, err
    assert err.count("points raised AccuracyWarning") == 1 and "on 2 rank(s)" in out
    sweep.run(config.parse_config(WARNS.format(sleep=0.02)), tmp_path / "serial.h5",
              executor=SerialExecutor())
    assert warnings_column(tmp_path / "mpi.h5") == warnings_column(tmp_path / "serial.h5")
    with h5py.File(tmp_path / "mpi.h5") as f:
        ranks = f["sweep/rank"][()]
        warned = np.array([bool(w) for w in f["sweep/warnings"].asstr()[()]])
    assert set(ranks) == {0, 1} and warned.sum() == 3
    assert os.path.exists(tmp_path / "mpi.h5") and not checkpoint.parts_dir(
        tmp_path / "mpi.h5").exists()


def test_adaptive_scan_records_the_warnings_of_the_points_it_chose(tmp_path):
    """The adaptive 1-D scan goes through the same point evaluation: its points below
    warn_below carry the warnings, the others none, and its summary counts them."""
    text = """
[sweep]
model = "testsweep.warns"
[sweep.fixed]
warn_below = 2.5
[sweep.adaptive]
parameter = "x"
bounds = [0.0, 5.0]
output = "x_squared"
max_points = 8
"""
    out = tmp_path / "a.h5"
    summary = sweep.run(config.parse_config(text), out, executor=SerialExecutor())
    res = sweep.load(out)
    xs = np.array([p["x"] for p in res.parameters])
    assert res.complete and len(xs) == 8 and 0 < (xs < 2.5).sum() < 8
    assert res.warned("AccuracyWarning").tolist() == (xs < 2.5).tolist()
    assert res.warnings == [direct_warnings("testsweep.warns", p) for p in res.parameters]
    assert summary.warned == {"AccuracyWarning": int((xs < 2.5).sum()),
                              "UserWarning": int((xs < 2.5).sum())}


def test_a_point_with_thousands_of_distinct_warnings_keeps_a_bounded_record():
    """Past MAX_WARNINGS_PER_CATEGORY distinct messages of one category the rest are counted in
    one entry of that category (so the summary still counts the category); duplicates and
    other categories are unaffected; the text round-trips."""
    cap = checkpoint.MAX_WARNINGS_PER_CATEGORY
    pairs = [("AccuracyWarning", f"energy {i}") for i in range(cap + 500)] * 2 + \
        [("UserWarning", "one")] * 3
    got = checkpoint.decode_warnings(checkpoint.encode_warnings(pairs))
    assert got[:cap] == pairs[:cap]
    assert got[cap:] == [("UserWarning", "one"),
                         ("AccuracyWarning", "... and 500 more distinct AccuracyWarning messages")]
    assert checkpoint.encode_warnings([]) == "" and checkpoint.decode_warnings("") == []
