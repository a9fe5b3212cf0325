"""MPI: every rank computes, results equal the serial run, no hang when a point raises or a rank dies.

Tests marked ``mpi`` run in-process: as one rank under plain pytest and as two ranks under
``make test``'s ``mpiexec -n 2 python -m mpi4py -m pytest -m mpi`` line. The others launch
``mpiexec -n 2`` themselves.
"""
from __future__ import annotations

import os
import sys

import h5py
import numpy as np
import pytest

from faults import DRIVER, HERE, env, run
from qtransport.workflows import config, executor, sweep
from test_sweep import assert_same_results
from test_sweep_faults import DISORDER

NOISY = """
[sweep]
model = "testsweep.noisy"
seed = 5
checkpoint_seconds = 0
[sweep.fixed]
fail_x = 3.0
crash_x = {crash}
sleep_s = 0.05
[sweep.grid]
x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
"""


@pytest.mark.mpi
def test_world_size_matches_the_launcher():
    ex = executor.get_executor()
    launched = int(os.environ.get("OMPI_COMM_WORLD_SIZE", "1"))
    assert ex.size == launched                     # mpiexec -n 2 really gives 2 ranks


@pytest.mark.mpi
def test_seeded_disorder_sweep_same_on_any_number_of_ranks(tmp_path):
    ex = executor.get_executor()
    folder = ex.bcast(str(tmp_path))               # rank 0's folder; only rank 0 writes
    cfg = config.parse_config(DISORDER.replace("checkpoint_seconds = 0", ""))
    summary = sweep.run(cfg, os.path.join(folder, "any.h5"), executor=ex)
    assert summary.complete and summary.ranks == ex.size
    if ex.is_root:
        serial = os.path.join(folder, "serial.h5")
        sweep.run(cfg, serial, executor=executor.SerialExecutor())
        assert_same_results(sweep.load(serial), sweep.load(os.path.join(folder, "any.h5")))


@pytest.mark.mpi
def test_map_returns_results_in_order_on_root():
    ex = executor.get_executor()
    got = ex.map(pow, [{"base": b, "exp": 2} for b in range(7)])
    assert got == ([b * b for b in range(7)] if ex.is_root else [])


def test_mpiexec_sweep_equals_serial_and_both_ranks_compute(tmp_path):
    cfg = tmp_path / "d.toml"
    cfg.write_text(DISORDER)
    rc, out, err = run(["sweep", str(cfg), "--output", str(tmp_path / "mpi.h5")], mpi=True)
    assert rc == 0, err
    assert "on 2 rank(s)" in out and out.count("sweep filament.conductance") == 1
    sweep.run(config.parse_config(DISORDER), tmp_path / "serial.h5",
              executor=executor.SerialExecutor())
    assert_same_results(sweep.load(tmp_path / "serial.h5"), sweep.load(tmp_path / "mpi.h5"))
    with h5py.File(tmp_path / "mpi.h5") as f:
        assert set(f["sweep/rank"][()]) == {0, 1} and f.attrs["mpi_size"] == 2


def test_failing_point_under_mpi_is_recorded_and_the_sweep_finishes(tmp_path):
    cfg = tmp_path / "n.toml"
    cfg.write_text(NOISY.format(crash="-1.0"))
    rc, out, err = run(["sweep", str(cfg), "--output", str(tmp_path / "n.h5")], mpi=True)
    assert rc == 3, err                            # finished, with failed points
    res = sweep.load(tmp_path / "n.h5")
    assert res.done.all() and res.failed.tolist() == [x == 3.0 for x in range(8)]
    assert "designated failing point" in res.errors[3] and "--retry-failed" in err


def test_rank_dying_ends_the_job_without_hang_and_a_rerun_completes(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(NOISY.format(crash="2.0").replace("fail_x = 3.0", ""))
    out = tmp_path / "c.h5"
    rc, _, err = run(["sweep", str(cfg), "--output", str(out)], mpi=True)  # timeout = hang
    assert rc != 0
    if out.exists():
        assert not sweep.load(out).complete           # readable, partial
    rc, _, err = run(["sweep", str(cfg), "--output", str(out)], mpi=False)  # rank 0 only
    assert rc == 0, err
    assert sweep.load(out).complete


def test_pipeline_map_under_mpiexec_uses_every_rank(tmp_path):
    script = tmp_path / "serve.py"
    script.write_text(f"""
import sys; sys.path.insert(0, {str(HERE)!r})
import sweep_models
from qtransport.workflows.executor import get_executor, serve_on_workers
ex = get_executor()
def main(map_function):
    first = map_function(sweep_models.whoami, [dict(x=float(i)) for i in range(16)])
    second = map_function(sweep_models.whoami, [dict(x=-1.0)] * 4)
    return first, second
value = serve_on_workers(ex, main)
if ex.is_root:
    first, second = value
    assert [x for x, _ in first] == [float(i) for i in range(16)]
    print("pids", len({{p for _, p in first + second}}))
""")
    import subprocess
    from faults import MPIEXEC, TIMEOUT_S, launcher_failed
    for _ in range(3):                   # Open MPI's own start-up failure: launch again
        done = subprocess.run(MPIEXEC + [sys.executable, str(script)], env=env(), text=True,
                              capture_output=True, timeout=TIMEOUT_S)
        if not launcher_failed(done.returncode, done.stderr):
            break
    assert done.returncode == 0, done.stderr
    assert "pids 2" in done.stdout


@pytest.mark.mpi
def test_every_rank_commits_its_own_segments_and_they_merge_to_the_serial_result(tmp_path,
                                                                                monkeypatch):
    from qtransport.workflows import checkpoint
    ex = executor.get_executor()
    folder = ex.bcast(str(tmp_path))
    written = []                                   # (writer, rank column, index) per point
    original = checkpoint.write_segment

    def spy(output, outcomes, config_hash, writer=0):
        written.extend((writer, o.rank, o.index) for o in outcomes)
        return original(output, outcomes, config_hash, writer)
    monkeypatch.setattr(checkpoint, "write_segment", spy)
    cfg = config.parse_config(NOISY.format(crash=-1.0))          # commits every point
    out = os.path.join(folder, "own.h5")
    summary = sweep.run(cfg, out, executor=ex)
    everyone = ex.gather(written)
    if ex.is_root:
        records = [r for rank_records in everyone for r in rank_records]
        indices = sorted(i for _, _, i in records)
        assert indices == list(range(8))           # each point committed once, none lost
        assert all(writer == rank for writer, rank, _ in records)   # by the rank computing it
        assert {w for w, _, _ in records} == set(range(ex.size))    # every rank wrote
        assert summary.n_failed == 1 and not os.path.exists(out + ".writers")
        serial = os.path.join(folder, "serial.h5")
        sweep.run(cfg, serial, executor=executor.SerialExecutor())
        assert_same_results(sweep.load(serial), sweep.load(out))
        with h5py.File(out) as f:
            assert sorted(set(f["sweep/rank"][()])) == list(range(ex.size))


@pytest.mark.mpi
def test_a_failed_segment_write_on_one_rank_is_one_agreed_error_and_resumes(tmp_path,
                                                                             monkeypatch):
    from qtransport.workflows import checkpoint
    ex = executor.get_executor()
    folder = ex.bcast(str(tmp_path))
    original = checkpoint.write_segment
    calls = []

    def flaky(output, outcomes, config_hash, writer=0):       # the last rank's 2nd commit fails
        calls.append(len(outcomes))
        if len(calls) == 2:
            raise checkpoint.DiskError(f"cannot write {output}.parts/seg-x.h5: No space left "
                                       f"on device; injected")
        return original(output, outcomes, config_hash, writer)
    if ex.rank == ex.size - 1:
        monkeypatch.setattr(checkpoint, "write_segment", flaky)
    cfg = config.parse_config(NOISY.format(crash=-1.0))
    out = os.path.join(folder, "flaky.h5")
    with pytest.raises(ValueError, match="No space left on device; injected"):
        sweep.run(cfg, out, executor=ex)                       # on every rank, no hang
    monkeypatch.undo()
    ex.wait_all()
    if ex.is_root:
        assert 0 < int(sweep.load(out).done.sum()) < 8          # what was committed is kept
    summary = sweep.run(cfg, out, executor=ex)                  # the rerun completes it
    assert summary.n_points == 8 and summary.n_already_done > 0
    if ex.is_root:
        serial = os.path.join(folder, "serial.h5")
        sweep.run(cfg, serial, executor=executor.SerialExecutor())
        assert_same_results(sweep.load(serial), sweep.load(out))
