"""Fault injection: SIGKILL real sweep processes (serial and mpiexec -n 2) at random moments.

After each kill the output must be readable (as a partial sweep) with no point committed twice
(``checkpoint.scan`` raises on a duplicate commit); rerunning the same command must complete it
with results identical to an uninterrupted run.
"""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

import sweep_models  # noqa: F401  (registers testsweep.* models)
from faults import finish, kill_after, kill_after_commits, launcher_failed, run, start
from qtransport.tight_binding import filament
from qtransport.workflows import checkpoint, config, sweep
from qtransport.workflows.executor import SerialExecutor
from test_sweep import assert_same_results

# a seeded disorder sweep of the real Kwant filament model, committing every point; each point
# (32 energies, 80 atoms long) takes tens of ms, so a kill a fraction of a point after the n-th
# commit (below) lands before the next few points, not after the end of the sweep
DISORDER = """
[sweep]
model = "filament.conductance"
seed = 11
checkpoint_seconds = 0
[sweep.fixed]
energies_eV = {start = 0.4, stop = 2.3, num = 32}
length_atoms = 80
[sweep.grid]
width_atoms = [2, 3, 4]
disorder_eV = [0.0, 0.5, 1.0, 1.5]
"""


def _check_partial(out) -> int:
    """Number of points committed so far (-1: no file yet); the file must be readable."""
    if not out.exists():
        return -1
    res = sweep.load(out)                        # readable; raises on duplicate commits
    assert len(res.parameters) == 12
    return int(res.done.sum())


#: the first kill falls at a random moment of this window after launch: inside start-up (the
#: imports of numpy, Kwant and mpi4py alone take longer), before any point is committed
STARTUP_KILL_WINDOW_S = 0.5


def _kill_and_resume(tmp_path, mpi, whole_job=True, kills=2, seed=0):
    cfg = tmp_path / "d.toml"
    cfg.write_text(DISORDER)
    ref = tmp_path / "ref.h5"
    rc, _, err = run(["sweep", str(cfg), "--output", str(ref), "--no-progress"], mpi)
    assert rc == 0, err
    out = tmp_path / "killed.h5"
    rng = np.random.default_rng(seed)
    args = ["sweep", str(cfg), "--output", str(out), "--no-progress"]
    # one kill at a random moment of start-up (imports, MPI launch, lock, first points), then
    # kills at random points of progress, a random fraction of a point after the n-th commit
    kill_after(start(args, mpi), rng.uniform(0.0, STARTUP_KILL_WINDOW_S), whole_job)
    seen = [_check_partial(out)]
    for k in range(kills):
        before = max(seen[-1], 0)
        # n commits after the restart, leaving room for the kills still to come and a margin
        # of points still to do (a commit may hold several points, and more can land in the
        # fraction of a point before the kill); with too little left, no further kill
        room = 12 - before - 3
        if room < 2:
            break
        n = int(rng.integers(1, max(2, room // (kills - k))))
        kill_after_commits(args, mpi, checkpoint.parts_dir(out), n,
                           rng.uniform(0.0, 0.02), whole_job)
        seen.append(_check_partial(out))
        assert before < seen[-1] < 12             # killed mid-run, progress kept
    print("points committed after each kill:", seen)
    assert len(seen) >= 2, seen                  # at least one kill fell in mid-run
    for _ in range(40):                          # orphaned ranks may hold the lock briefly
        rc, stdout, err = finish(start(args, mpi))
        busy = rc == 2 and "another running sweep" in err
        if not (busy or (mpi and launcher_failed(rc, err))):
            break
    assert rc == 0, err
    final = sweep.load(out)
    assert final.complete
    assert_same_results(sweep.load(ref), final)
    assert not checkpoint.parts_dir(out).exists()


@pytest.mark.slow
def test_sigkill_serial_at_random_moments_then_resume_equals_uninterrupted(tmp_path):
    _kill_and_resume(tmp_path, mpi=False, seed=1)


@pytest.mark.slow
def test_sigkill_mpi_job_at_random_moments_then_resume_equals_uninterrupted(tmp_path):
    _kill_and_resume(tmp_path, mpi=True, seed=2)


@pytest.mark.slow
def test_killing_only_mpiexec_and_relaunching_at_once_never_duplicates(tmp_path):
    _kill_and_resume(tmp_path, mpi=True, whole_job=False, kills=1, seed=3)


# ----------------------------------------------------------------------------- point identity
# Committed points are matched to the grid by their point key (their parameters), never by
# their index: a resumed sweep whose grid was reordered or extended must equal an uninterrupted
# run of the new config; one that would drop committed points is refused, naming the change.
TWO_KEYS = """
[sweep]
model = "testsweep.noisy"
seed = 9
checkpoint_seconds = 0
[sweep.grid]
x = [0.0, 1.0, 2.0]
fail_x = [-1.0, -3.0]
"""


def interrupted(text, out, n_commits):
    """Run in-process and stop like a kill once ``n_commits`` points are committed."""
    seen = []

    def progress(outcome):           # called before the point's own commit: it is lost
        seen.append(outcome)
        if len(seen) > n_commits:
            raise KeyboardInterrupt("killed")
    with pytest.raises(KeyboardInterrupt):
        sweep.run(config.parse_config(text), out, executor=SerialExecutor(), progress=progress)
    assert int(sweep.load(out).done.sum()) == n_commits


def resumed_equals_fresh(tmp_path, text, out, ex=None):
    summary = sweep.run(config.parse_config(text), out, executor=ex or SerialExecutor())
    fresh = tmp_path / "fresh.h5"
    sweep.run(config.parse_config(text), fresh, executor=SerialExecutor())
    assert_same_results(sweep.load(fresh), sweep.load(out))
    return summary


def test_swapped_grid_keys_resume_by_key_equals_uninterrupted(tmp_path):
    # the case: width_atoms and disorder_eV swapped keep the config hash, and used to
    # attach 11 of 12 committed results to other parameters
    out = tmp_path / "o.h5"
    interrupted(DISORDER, out, 5)
    swapped = DISORDER.replace("width_atoms = [2, 3, 4]\ndisorder_eV = [0.0, 0.5, 1.0, 1.5]",
                               "disorder_eV = [0.0, 0.5, 1.0, 1.5]\nwidth_atoms = [2, 3, 4]")
    assert swapped != DISORDER and config.parse_config(swapped).hash == \
        config.parse_config(DISORDER).hash
    summary = resumed_equals_fresh(tmp_path, swapped, out)
    assert summary.n_already_done == 5 and summary.n_computed == 7
    res = sweep.load(out)
    assert [p["disorder_eV"] for p in res.parameters[:3]] == [0.0, 0.0, 0.0]  # new order
    for i in (0, 11):                            # results belong to their parameters
        direct = filament.conductance(**res.parameters[i])
        np.testing.assert_array_equal(res.results[i]["conductance_G0"], direct.conductance_G0)


@pytest.mark.parametrize("change", ["x = [2.0, 0.0, 1.0]", "x = [0.0, 1.0, 2.0, 3.0]",
                                    "x = [3.0, 1.0, 0.0, 2.0]", "x = [0.0, 1.0]"])
def test_reordered_extended_or_uncommitted_removed_values_resume_by_key(tmp_path, change):
    out = tmp_path / "o.h5"
    interrupted(TWO_KEYS, out, 4)                # x = 0 and 1 committed (fail_x fastest)
    summary = resumed_equals_fresh(tmp_path, TWO_KEYS.replace("x = [0.0, 1.0, 2.0]", change),
                                   out)
    assert summary.n_already_done == 4


@pytest.mark.parametrize("change, named", [
    ("x = [1.0, 2.0]", "x no longer has 0.0"),
    ("fail_x = [-1.0, -4.0]", "fail_x no longer has -3.0"),
    ("fail_x = [-1.0, -3.0]\nsleep_s = [0.0]\ncrash_x = [-2.0]", "crash_x changed from -1.0 to -2.0")])
def test_resume_that_would_drop_committed_points_is_refused_naming_the_change(tmp_path, change,
                                                                           named):
    out = tmp_path / "o.h5"
    interrupted(TWO_KEYS, out, 4)
    before = out.read_bytes()
    text = TWO_KEYS.replace("x = [0.0, 1.0, 2.0]", change) if change.startswith("x") else \
        TWO_KEYS.replace("fail_x = [-1.0, -3.0]", change)
    with pytest.raises(ValueError, match="no longer contains") as info:
        sweep.run(config.parse_config(text), out, executor=SerialExecutor())
    assert named in str(info.value) and "\n" not in str(info.value)
    assert out.read_bytes() == before and int(sweep.load(out).done.sum()) == 4
    resumed_equals_fresh(tmp_path, TWO_KEYS, out)   # the original config still resumes


def test_changed_seed_or_model_is_refused_and_duplicate_grid_values_too(tmp_path):
    out = tmp_path / "o.h5"
    interrupted(TWO_KEYS, out, 2)
    with pytest.raises(ValueError, match=r"sweep.seed 9 in the file, 10 now"):
        sweep.run(config.parse_config(TWO_KEYS.replace("seed = 9", "seed = 10")), out,
                  executor=SerialExecutor())
    with pytest.raises(ValueError, match="grid points 0 and 1 are the same point"):
        sweep.grid_points(config.parse_config(TWO_KEYS.replace("[0.0, 1.0, 2.0]", "[1.0, 1]")
                                              .replace("fail_x = [-1.0, -3.0]", "")))


def test_grid_change_refusal_is_one_line_exit_2_on_the_cli(tmp_path):
    out = tmp_path / "o.h5"
    interrupted(TWO_KEYS, out, 4)
    cfg = tmp_path / "c.toml"
    cfg.write_text(TWO_KEYS.replace("x = [0.0, 1.0, 2.0]", "x = [2.0]"))
    rc, stdout, err = run(["sweep", str(cfg), "--output", str(out), "--no-progress"])
    assert rc == 2 and err.count("\n") == 1 and "x no longer has 0.0, 1.0" in err, err


@pytest.mark.mpi
def test_mpi_resume_of_a_reordered_and_extended_grid_equals_serial(tmp_path):
    from qtransport.workflows import executor
    ex = executor.get_executor()
    folder = Path(ex.bcast(str(tmp_path)))
    out = folder / "o.h5"
    if ex.is_root:
        interrupted(TWO_KEYS, out, 3)
    ex.wait_all()
    text = TWO_KEYS.replace("x = [0.0, 1.0, 2.0]", "x = [3.0, 2.0, 1.0, 0.0]")
    summary = sweep.run(config.parse_config(text), out, executor=ex)
    assert summary.n_already_done == 3 and summary.complete
    if ex.is_root:
        ref = folder / "ref.h5"
        sweep.run(config.parse_config(text), ref, executor=SerialExecutor())
        assert_same_results(sweep.load(ref), sweep.load(out))
    shrunk = TWO_KEYS.replace("x = [0.0, 1.0, 2.0]", "x = [1.0, 2.0]")
    with pytest.raises(ValueError, match=r"no longer contains \(x no longer has 0.0, 3.0\)"):
        sweep.run(config.parse_config(shrunk), out, executor=ex)       # on every rank


# ----------------------------------------------------------------------------- full / read-only disks
# 12 points of 160 KB each (about 2 MB of segments, as much again for the merged file)
BULK = """
[sweep]
model = "testsweep.bulk"
seed = 4
checkpoint_seconds = 0
[sweep.fixed]
readonly_at_x = {ro}
[sweep.grid]
x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]
"""


class SmallDisk:
    """A folder on a small file system: a real tmpfs when this process may mount one (root),
    otherwise the same limits injected into the writes of the sweep's files (``os.pwrite``),
    in this process and, through ``subprocess_env``, in the CLI processes the tests start."""

    def __init__(self, path: Path, size_mib: float, monkeypatch):
        self.path, self.monkeypatch = path, monkeypatch
        path.mkdir()
        # QT_TEST_NO_TMPFS=1 runs the injected disk even as root (how non-root machines test)
        self.mounted = not os.environ.get("QT_TEST_NO_TMPFS") and os.geteuid() == 0 and \
            subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={int(size_mib * 1024)}k", "tmpfs", str(path)],
            capture_output=True).returncode == 0
        self.budget = int(size_mib * 2**20)
        self.flag = path.parent / (path.name + ".readonly")     # outside the disk's budget
        if not self.mounted:
            self._inject()

    def _inject(self) -> None:
        sweep_models.install_small_disk(str(self.path), lambda: self.budget, self.flag.exists,
                                        self.monkeypatch.setattr)

    def subprocess_env(self) -> dict[str, str]:
        """Environment for CLI subprocesses: the injected disk when no tmpfs is mounted."""
        if self.mounted:
            return {}
        return {sweep_models.SMALL_DISK_ENV: f"{self.path}|{self.budget}|{self.flag}"}

    def used(self) -> int:
        return sweep_models.folder_bytes(self.path)

    def resize(self, size_mib: float) -> None:
        self.budget = int(size_mib * 2**20)
        if self.mounted:
            subprocess.run(["mount", "-o", f"remount,size={int(size_mib * 1024)}k",
                            str(self.path)], check=True)

    def make_readonly(self, readonly: bool = True) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount," + ("ro" if readonly else "rw"),
                            str(self.path)], check=True)
        elif readonly:
            self.flag.touch()
        else:
            self.flag.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def small_disk(tmp_path, monkeypatch):
    disk = SmallDisk(tmp_path / "disk", 1.0, monkeypatch)
    yield disk
    disk.unmount()


def _bulk(ro=-1.0):
    return config.parse_config(BULK.format(ro=ro))


def _reference(tmp_path, ro=-1.0):
    ref = tmp_path / "ref.h5"
    sweep.run(_bulk(ro), ref, executor=SerialExecutor())
    return sweep.load(ref)


def _assert_resumable(out, disk, tmp_path, ro=-1.0, size_mib=16.0):
    """Nothing half-written is left, the partial file loads; with room the rerun completes."""
    leftovers = [p.name for p in out.parent.glob(".*tmp*")] + \
        [p.name for p in checkpoint.parts_dir(out).glob(".seg-*")]
    assert leftovers == []
    partial = sweep.load(out)                   # readable; merged with its segments
    disk.make_readonly(False)
    disk.resize(size_mib)
    summary = sweep.run(_bulk(ro), out, executor=SerialExecutor())
    assert summary.complete
    assert_same_results(_reference(tmp_path, ro), sweep.load(out))
    return partial


def test_full_disk_during_segment_write_one_error_nothing_half_written(small_disk, tmp_path):
    out = small_disk.path / "o.h5"
    with pytest.raises(ValueError) as info:
        sweep.run(_bulk(), out, executor=SerialExecutor())
    message = str(info.value)
    assert "\n" not in message and str(small_disk.path) in message
    assert "No space left on device" in message and "rerun the same command" in message
    partial = _assert_resumable(out, small_disk, tmp_path)
    assert 0 < partial.done.sum() < 12          # the segments that fitted were kept


def test_full_disk_at_the_merge_is_refused_up_front_then_resumes(small_disk, tmp_path):
    small_disk.resize(2.6)                      # the segments fit, the merged file does not
    out = small_disk.path / "o.h5"
    with pytest.raises(ValueError, match="not enough free space to write"):
        sweep.run(_bulk(), out, executor=SerialExecutor())
    assert int(sweep.load(out).done.sum()) == 12     # every point committed, none lost
    _assert_resumable(out, small_disk, tmp_path)


def test_full_disk_during_the_merge_itself_fails_cleanly(small_disk, tmp_path, monkeypatch):
    # the free-space estimate can be wrong (another job fills the disk meanwhile): the merge
    # then meets ENOSPC inside HDF5's writes, which used to end in a segmentation fault
    small_disk.resize(2.6)
    monkeypatch.setattr(checkpoint, "free_bytes", lambda folder: 1 << 40)
    out = small_disk.path / "o.h5"
    with pytest.raises(ValueError, match=f"cannot write {out}: No space left"):
        sweep.run(_bulk(), out, executor=SerialExecutor())
    assert int(sweep.load(out).done.sum()) == 12
    assert [p.name for p in small_disk.path.glob(".*tmp*")] == []


def test_read_only_disk_mid_run_one_error_then_resumes(small_disk, tmp_path):
    small_disk.resize(16)
    out = small_disk.path / "o.h5"
    seen = []

    def progress(outcome):
        seen.append(outcome)
        if len(seen) == 4:                     # the disk turns read-only after 3 commits
            small_disk.make_readonly()
    with pytest.raises(ValueError) as info:
        sweep.run(_bulk(), out, executor=SerialExecutor(), progress=progress)
    assert "read-only" in str(info.value) and "\n" not in str(info.value)
    small_disk.make_readonly(False)
    assert int(sweep.load(out).done.sum()) == 3
    _assert_resumable(out, small_disk, tmp_path)


def test_permission_denied_mid_run_one_error_then_resumes(tmp_path, monkeypatch):
    # root ignores file modes, so EACCES is injected into the writes of the segments
    out = tmp_path / "o.h5"
    real, calls = os.pwrite, []

    def pwrite(fd, data, offset):
        target = os.readlink(f"/proc/self/fd/{fd}")
        if ".parts" in target:
            calls.append(target)
            if len(set(calls)) > 2:            # the third segment is refused
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(fd, data, offset)
    monkeypatch.setattr(os, "pwrite", pwrite)
    with pytest.raises(ValueError, match="Permission denied; no permission to write there") as info:
        sweep.run(config.parse_config(TWO_KEYS), out, executor=SerialExecutor())
    assert "\n" not in str(info.value) and str(checkpoint.parts_dir(out)) in str(info.value)
    monkeypatch.undo()
    assert int(sweep.load(out).done.sum()) == 2
    assert list(checkpoint.parts_dir(out).glob(".seg-*")) == []
    resumed_equals_fresh(tmp_path, TWO_KEYS, out)


def test_full_disk_on_the_cli_serial_and_mpi_one_line_exit_2_no_segfault(small_disk,
                                                                      tmp_path):
    cfg = tmp_path / "b.toml"
    cfg.write_text(BULK.format(ro=-1.0))
    for mpi, out in ((False, small_disk.path / "s.h5"), (True, small_disk.path / "m.h5")):
        rc, _, err = run(["sweep", str(cfg), "--output", str(out), "--no-progress"], mpi,
                         small_disk.subprocess_env())
        ours = [line for line in err.splitlines() if line.startswith("qtransport")]
        assert rc == 2 and len(ours) == 1 and "No space left on device" in ours[0], err
        assert "Traceback" not in err and "Segmentation" not in err
        assert not sweep.load(out).complete
        for p in small_disk.path.glob("*.h5.parts"):     # room for the other run
            for seg in p.glob("seg-*.h5"):
                seg.unlink()


def test_read_only_disk_mid_run_under_mpi_one_line_exit_2_then_resumes(small_disk, tmp_path):
    small_disk.resize(16)
    cfg = tmp_path / "b.toml"
    # the model remounts the disk read-only at x = 3: rank 0 works through its block x = 0…5
    # from the last point down, so x = 5 and 4 come before it (rank 1 starts at x = 11)
    cfg.write_text(BULK.format(ro=3.0))
    out = small_disk.path / "o.h5"
    args = ["sweep", str(cfg), "--output", str(out), "--no-progress"]
    # a mounted tmpfs is remounted read-only by the model; an injected disk gets its flag
    extra = small_disk.subprocess_env() or {sweep_models.RO_DIR_ENV: str(small_disk.path)}
    rc, _, err = run(args, True, extra)
    ours = [line for line in err.splitlines() if line.startswith("qtransport")]
    assert rc == 2 and len(ours) == 1 and "read-only" in ours[0] and "Traceback" not in err, err
    small_disk.make_readonly(False)
    done = int(sweep.load(out).done.sum())
    # a real remount waits until rank 0 closes its open segment, so the points rank 0 computed
    # before x = 3 are committed; the injected disk fails at once, possibly before any commit
    assert (0 < done < 12) if small_disk.mounted else (done < 12)
    sweep.run(_bulk(3.0), out, executor=SerialExecutor())      # resumes (MPI: see above)
    assert_same_results(_reference(tmp_path, 3.0), sweep.load(out))


# ----------------------------------------------------------------------------- integrity
def _committed_segment(tmp_path):
    """An output whose points 0-3 are committed in segments only (as after a kill)."""
    out = tmp_path / "o.h5"
    interrupted(TWO_KEYS, out, 4)
    segments = sorted(checkpoint.parts_dir(out).glob("seg-*.h5"))
    assert len(segments) == 4
    return out, segments


def _tamper(path, name="value", row=0, delta=0.5):
    import h5py
    with h5py.File(path, "r+") as f:          # still perfectly valid HDF5 afterwards
        g = f["sweep"] if "sweep" in f else f
        ds = g["results"][name]
        ds[row] = ds[row] + delta


def test_corrupted_segment_payload_refuses_the_merge_and_load_naming_it(tmp_path):
    out, segments = _committed_segment(tmp_path)
    _tamper(segments[2])
    before = out.read_bytes()
    with pytest.raises(ValueError, match="does not match its SHA-256") as info:
        sweep.run(config.parse_config(TWO_KEYS), out, executor=SerialExecutor())
    assert str(segments[2]) in str(info.value) and "\n" not in str(info.value)
    assert out.read_bytes() == before and segments[2].exists()
    with pytest.raises(ValueError, match=f"checkpoint segment {segments[2]} is corrupted"):
        sweep.load(out)
    segments[2].unlink()                       # what the message says to do
    segments[3].write_bytes(segments[3].read_bytes()[:300])     # and a truncated one
    with pytest.raises(ValueError, match=f"checkpoint segment {segments[3]} is not a readable "
                                         f"HDF5 file .*; delete it to recompute its points"):
        sweep.load(out)
    segments[3].unlink()
    resumed_equals_fresh(tmp_path, TWO_KEYS, out)


def test_corrupted_final_file_is_detected_by_load_and_by_a_resume(tmp_path):
    out = tmp_path / "o.h5"
    sweep.run(config.parse_config(TWO_KEYS), out, executor=SerialExecutor())
    import h5py
    with h5py.File(out) as f:
        assert len(f["sweep/point_sha256"][()]) == 6 and len(f["sweep"].attrs["payload_sha256"]) == 64
    _tamper(out, row=4, delta=1e-12)           # one ulp-scale change is enough
    with pytest.raises(ValueError, match=f"sweep file {out} is corrupted: point 4"):
        sweep.load(out)
    with pytest.raises(ValueError, match="corrupted"):
        sweep.run(config.parse_config(TWO_KEYS), out, executor=SerialExecutor())
    with h5py.File(out, "r+") as f:            # an edited checksum column is caught as well
        f["sweep/point_sha256"][1] = "0" * 64
    with pytest.raises(ValueError, match="payload_sha256"):
        sweep.load(out)


def test_a_point_flagged_done_without_its_checksum_is_refused_not_taken_as_computed(tmp_path):
    # one flipped byte in /sweep/done of an unfinished file made a never-computed point (fill
    # values) count as done; the resume then skipped it and certified the file complete
    import h5py
    out = tmp_path / "o.h5"
    interrupted(TWO_KEYS, out, 3)

    def killed(outcome):
        raise KeyboardInterrupt("killed")
    with pytest.raises(KeyboardInterrupt):    # a resume killed right after its start-up merge
        sweep.run(config.parse_config(TWO_KEYS), out, executor=SerialExecutor(), progress=killed)
    with h5py.File(out, "r+") as f:
        done = f["sweep/done"][()]
        assert done.sum() == 3 and "point_sha256" in f["sweep"]
        row = int(np.flatnonzero(~done)[-1])
        f["sweep/done"][row] = True
    for call in (lambda: sweep.load(out),
                 lambda: sweep.run(config.parse_config(TWO_KEYS), out,
                                   executor=SerialExecutor())):
        with pytest.raises(ValueError, match=f"point {row} is marked done but has no SHA-256"):
            call()


def test_damaged_truncated_and_foreign_hdf5_files_give_one_line_naming_the_path(tmp_path):
    import h5py
    good = tmp_path / "good.h5"
    sweep.run(config.parse_config(TWO_KEYS), good, executor=SerialExecutor())
    data = good.read_bytes()
    cases = {"truncated.h5": data[:len(data) // 2], "garbage.h5": b"\x89HDF\r\n" + bytes(999),
             "text.h5": b"not hdf5 at all\n"}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    with h5py.File(tmp_path / "foreign.h5", "w") as f:
        f.create_dataset("x", data=[1, 2])
    with h5py.File(tmp_path / "foreign_sweep.h5", "w") as f:
        f.create_group("sweep").create_dataset("results", data=[1.0])
    (tmp_path / "folder.h5").mkdir()
    for name in [*cases, "foreign.h5", "foreign_sweep.h5"]:
        path = tmp_path / name
        with pytest.raises(ValueError) as info:
            sweep.load(path)
        assert str(path) in str(info.value) and "\n" not in str(info.value), name
        with pytest.raises(ValueError):       # never resumed into, never overwritten
            sweep.run(config.parse_config(TWO_KEYS), path, executor=SerialExecutor())
    with pytest.raises(ValueError, match="is a folder"):
        sweep.run(config.parse_config(TWO_KEYS), tmp_path / "folder.h5", executor=SerialExecutor())
    cfg = tmp_path / "c.toml"
    cfg.write_text(TWO_KEYS)
    rc, _, err = run(["sweep", str(cfg), "--output", str(tmp_path / "foreign_sweep.h5")])
    assert rc == 2 and err.count("\n") == 1 and "foreign_sweep.h5" in err, err
    assert "did not write" in err


# ----------------------------------------------------------------------------- options, sizes
@pytest.mark.parametrize("value", ["nan", "-5", "inf", "-inf", "soon"])
def test_bad_checkpoint_seconds_refused_like_the_config_key(tmp_path, value):
    with pytest.raises((ValueError, TypeError), match="sweep.checkpoint_seconds"):
        config.parse_config(TWO_KEYS.replace("checkpoint_seconds = 0",
                                             f"checkpoint_seconds = {value!r}".replace("'", "")
                                             if value != "soon" else 'checkpoint_seconds = "x"'))
    if value != "soon":
        with pytest.raises(ValueError, match="checkpoint_seconds must be"):
            sweep.run(config.parse_config(TWO_KEYS), tmp_path / "o.h5", executor=SerialExecutor(),
                      checkpoint_seconds=float(value))
    assert not (tmp_path / "o.h5").exists()


def _cli(argv, capsys):
    """``qtransport ARGV`` in this process: (exit code, stderr)."""
    from qtransport.cli import main
    try:
        rc = main(argv)
    except SystemExit as exc:                  # argparse usage errors
        rc = exc.code
    return rc, capsys.readouterr().err


def test_cli_options_validated_and_missing_output_folder_created(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(TWO_KEYS)
    for args, says in ((["--checkpoint-seconds", "nan"], "--checkpoint-seconds must be finite"),
                       (["--checkpoint-seconds", "-5"], "--checkpoint-seconds must be >= 0"),
                       (["--checkpoint-seconds", "soon"], "--checkpoint-seconds must be a num"),
                       (["--output", ""], "output must be a file path"),
                       (["--output", str(tmp_path)], "is a folder")):
        argv = ["sweep", str(cfg), "--no-progress"] + (["--output", str(tmp_path / "x.h5")]
                                                       if "--output" not in args else []) + args
        rc, err = _cli(argv, capsys)
        assert rc == 2 and err.count("\n") == 1 and says in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]     # nothing written
    out = tmp_path / "new" / "deeper" / "t.h5"
    rc, err = _cli(["sweep", str(cfg), "--output", str(out), "--no-progress",
                    "--checkpoint-seconds", "0"], capsys)
    assert rc == 0, err
    assert sweep.load(out).complete


def test_hostile_grid_sizes_refused_up_front_with_the_count():
    huge = TWO_KEYS.replace("fail_x = [-1.0, -3.0]", "\n".join(
        f"{k} = {{start = 0.0, stop = 1.0, num = 10000}}" for k in ("fail_x", "crash_x",
                                                                   "sleep_s")))
    with pytest.raises(ValueError, match=r"3e\+12 points \(3 × 10000 × 10000 × 10000\)") as info:
        config.parse_config(huge)
    assert "sweep.max_points = 3000000000000" in str(info.value)
    six = TWO_KEYS.replace("x = [0.0, 1.0, 2.0]\nfail_x = [-1.0, -3.0]",
                           "x = {start = 0.0, stop = 1.0, num = 1000000}\n"
                           "fail_x = {start = -2.0, stop = -1.0, num = 1000000}")
    with pytest.raises(ValueError, match=r"1e\+12 points"):
        config.parse_config(six)
    raised = config.parse_config(TWO_KEYS.replace("seed = 9", "seed = 9\nmax_points = 6"))
    assert len(sweep.grid_points(raised)) == 6
    with pytest.raises(ValueError, match="more than sweep.max_points = 5"):
        config.parse_config(TWO_KEYS.replace("seed = 9", "seed = 9\nmax_points = 5"))
    for num in (-5, 0):
        with pytest.raises(ValueError, match="sweep.grid.x"):
            config.parse_config(TWO_KEYS.replace("[0.0, 1.0, 2.0]",
                                                 f"{{start = 0.0, stop = 1.0, num = {num}}}"))


# ----------------------------------------------------------------------------- files named in configs
WANNIER = """
[sweep]
model = "wannier.decay_constant"
[sweep.fixed]
model = "{model}"
[sweep.grid]
energies_eV = [[0.0], [0.5]]
"""
def _write_config(folder, model):
    cfg = folder / "c.toml"
    cfg.write_text(WANNIER.format(model=model))
    return cfg


def test_model_file_resolves_from_the_config_folder_and_is_the_bundled_one(tmp_path):
    import shutil
    from importlib import resources
    models = tmp_path / "cfgdir" / "models"
    models.mkdir(parents=True)
    data = resources.files("qtransport.data")
    shutil.copy(data / "hbn_like_hr.dat", models / "mine_hr.dat")
    shutil.copy(data / "hbn_like_lattice.toml", models / "mine_lattice.toml")
    cfg = config.load_config(_write_config(tmp_path / "cfgdir", "models/mine_hr.dat"))
    assert cfg.fixed["model"] == str(models / "mine_hr.dat")     # absolute, from the config
    out = tmp_path / "w.h5"
    sweep.run(cfg, out, executor=SerialExecutor())
    ref = tmp_path / "ref.h5"
    sweep.run(config.parse_config(WANNIER.format(model="hbn_like")), ref,
              executor=SerialExecutor())
    got, want = sweep.load(out), sweep.load(ref)
    assert got.complete and want.complete
    for a, b in zip(got.results, want.results):  # same file content, same code: same numbers
        np.testing.assert_allclose(a["kappa_per_nm"], b["kappa_per_nm"], rtol=1e-12)


def test_config_naming_any_other_file_is_refused_without_leaking_it(tmp_path):
    # a private file outside the config's folder, shaped like /etc/passwd (made here, so the
    # test runs on any machine)
    private = tmp_path / "private" / "passwd"
    private.parent.mkdir()
    private.write_text("".join(f"user{i}:x:{1000 + i}:{1000 + i}:secret gecos {i}:/home/u{i}:"
                               "/bin/sh\n" for i in range(5)))
    secret = [line for line in private.read_text().splitlines() if len(line) > 8]
    cfg_dir = tmp_path / "cfg"
    cfg_dir.mkdir()
    (cfg_dir / "evil_hr.dat").symlink_to(private)
    (cfg_dir / "copy_hr.dat").write_text(private.read_text())
    os.mkfifo(cfg_dir / "fifo_hr.dat")                          # would hang a reader
    (cfg_dir / "cut_hr.dat").write_text("header\n   2\n")      # a truncated model
    cases = {"../private/passwd": "must be a file named *_hr.dat",
             "evil_hr.dat": f"links to {private}",
             "copy_hr.dat": "is not a valid Wannier90 _hr.dat file",
             "fifo_hr.dat": "is not a regular file",
             "cut_hr.dat": "line 3: file ends before nrpts (truncated)"}
    for model, says in cases.items():
        cfg = _write_config(cfg_dir, model)
        with pytest.raises(ValueError, match="config key sweep.fixed.model") as info:
            config.load_config(cfg)
        assert says in str(info.value), (model, str(info.value))
        assert not any(line in str(info.value) for line in secret)
    rc, _, err = run(["sweep", str(_write_config(cfg_dir, "../private/passwd")), "--output",
                      str(cfg_dir / "o.h5"), "--no-progress"])
    assert rc == 2 and err.count("\n") == 1 and not any(line in err for line in secret), err
    assert not (cfg_dir / "o.h5").exists()


# ----------------------------------------------------------------------------- the same under MPI
@pytest.mark.mpi
def test_mpi_full_disk_and_corrupted_segment_are_agreed_errors_on_every_rank(small_disk,
                                                                              tmp_path):
    from qtransport.workflows import executor
    ex = executor.get_executor()
    out = Path(ex.bcast(str(small_disk.path / "o.h5")))   # rank 0's disk; only rank 0 writes
    with pytest.raises(ValueError, match="No space left on device"):
        sweep.run(_bulk(), out, executor=ex)
    ex.wait_all()
    if ex.is_root:
        assert 0 < sweep.load(out).done.sum() < 12
        small_disk.resize(2.6)                 # room for the segments, not for the merge
    ex.wait_all()
    with pytest.raises(ValueError, match="not enough free space to write"):
        sweep.run(_bulk(), out, executor=ex)
    if ex.is_root:
        assert int(sweep.load(out).done.sum()) == 12
    folder = Path(ex.bcast(str(tmp_path)))
    if ex.is_root:
        _, segments = _committed_segment(folder)
        _tamper(segments[1])
    ex.wait_all()
    with pytest.raises(ValueError, match="does not match its SHA-256"):
        sweep.run(config.parse_config(TWO_KEYS), folder / "o.h5", executor=ex)
    with pytest.raises(ValueError, match="checkpoint_seconds must be finite"):
        sweep.run(config.parse_config(TWO_KEYS), folder / "n.h5", executor=ex,
                  checkpoint_seconds=float("nan"))
