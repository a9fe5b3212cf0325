"""Fault injection: SIGKILL real sweep processes (serial and mpiexec -n 2) at random moments.

After each kill the output must be readable (as a partial sweep) with no point committed twice
(``checkpoint.scan`` raises on a duplicate commit); rerunning the same command must complete it
with results identical to an uninterrupted run.
"""
from __future__ import annotations

import numpy as np
import pytest

from faults import finish, kill_after, kill_after_commits, run, start
from qtransport.workflows import checkpoint, sweep
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
