"""Fault injection: SIGKILL real sweep processes (serial and mpiexec -n 2) at random moments.

After each kill the output must be readable (as a partial sweep) with no point committed twice
(``checkpoint.scan`` raises on a duplicate commit); rerunning the same command must complete it
with results identical to an uninterrupted run.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import sweep_models  # noqa: F401  (registers testsweep.* models)
from faults import finish, kill_after, kill_after_commits, run, start
from qtransport.tight_binding import filament
from qtransport.workflows import checkpoint, config, sweep
from qtransport.workflows.executor import SerialExecutor
from test_sweep import assert_same_results

# a seeded disorder sweep of the real Kwant filament model, committing every point
DISORDER = """
[sweep]
model = "filament.conductance"
seed = 11
checkpoint_seconds = 0
[sweep.fixed]
energies_eV = [0.4, 0.9, 1.6, 2.3]
length_atoms = 6
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
    for _ in range(kills):
        before = max(seen[-1], 0)
        n = int(rng.integers(1, 12 - before - 3))
        kill_after_commits(args, mpi, checkpoint.parts_dir(out), n,
                           rng.uniform(0.0, 0.05), whole_job)
        seen.append(_check_partial(out))
        assert before < seen[-1] < 12             # killed mid-run, progress kept
    print("points committed after each kill:", seen)
    for _ in range(40):                          # orphaned ranks may hold the lock briefly
        rc, stdout, err = finish(start(args, mpi))
        if not (rc == 2 and "another running sweep" in err):
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
    for p, r in zip(res.parameters, res.results):    # every result belongs to its parameters
        direct = filament.conductance(**p)
        np.testing.assert_array_equal(r["conductance_G0"], direct.conductance_G0)


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
