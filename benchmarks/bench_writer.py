"""Sweep writer throughput: points/s of 8 KiB results, and the rank count where a writer saturates.

1. **Single writer** (how every MPI sweep committed before per-rank segments, and how serial runs
   and adaptive scans still commit): under ``mpiexec -n 2`` the executor floods rank 0 with
   8 KiB outcomes built at no cost (rank 1 and rank 0 itself), rank 0 receives each message and
   commits it through the sweep's :class:`~qtransport.workflows.sweep_engine.Committer`
   (buffer, SHA-256 per point, atomic segments with fsync, 10 s checkpoints or 16 MiB).
   Throughput = points / wall time of rank 0; with points of ``T_POINT`` = 0.1 s each, the writer
   saturates at about ``points_per_s × T_POINT`` ranks.
2. **Per-rank segments** (what an MPI grid sweep does now): each rank commits its own points
   locally (same Committer, no message), so writing scales with the ranks; rank 0 only receives
   progress notes (an outcome without data, one message per rank and second at most). Printed:
   one rank's local commit rate; the messages of 10 notes (what a rank of 0.1 s points sends
   each second) that rank 0 receives per second under ``mpiexec -n 2``, i.e. the rank count
   where the notes would saturate rank 0; and the end-of-run merge rate (points/s of
   :func:`~qtransport.workflows.checkpoint.assemble`, paid once).
3. The engine end to end on 2 ranks: a no-op model returning 8 KiB per point through
   ``sweep.run`` (per-rank segments), points/s.

Medians of ``REPEATS`` runs. Usage: ``python benchmarks/bench_writer.py`` (``--quick``: smaller).
"""
from __future__ import annotations

import os
import pickle
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

VENV_BIN = Path(sys.executable).parent
MPIEXEC = [str(VENV_BIN / "mpiexec"), "--allow-run-as-root", "--oversubscribe", "-n", "2"]
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
T_POINT = 0.1            # s per point, the case
NOTE_S = 1.0             # a rank's notes to rank 0: one message per second (sweep._NOTE_S)
FLOATS = 1024            # 8 KiB of float64 per point
REPEATS = 3


def _points(n: int):
    from qtransport.infra import canonical_json
    from qtransport.workflows.sweep_engine import point_key
    params = [canonical_json({"i": i, "size": FLOATS}) for i in range(n)]
    return params, [point_key({"i": i}) for i in range(n)]


def _outcome(i, params, keys, rank):
    from qtransport.workflows.checkpoint import Outcome
    return Outcome(i, params[i], keys[i], True, {"value": np.full(FLOATS, float(i))}, "", 0.0,
                   rank)


def inner_single(n: int) -> None:
    """Under mpiexec: flood rank 0's single Committer with ``n`` 8 KiB outcomes."""
    from qtransport.workflows.executor import MPIExecutor
    from qtransport.workflows.sweep_engine import Committer
    ex = MPIExecutor()
    params, keys = _points(n)
    out = ex.bcast(str(Path(tempfile.mkdtemp()) / "single.h5") if ex.is_root else None)
    sink = Committer(out, "bench", 10.0, None) if ex.is_root else None
    ex.wait_all()
    t0 = time.perf_counter()
    ex.map_unordered(lambda i: _outcome(i, params, keys, ex.rank), n, sink)
    if ex.is_root:
        sink.flush()
        print(f"RESULT seconds={time.perf_counter() - t0:.4f}", flush=True)
    ex.wait_all()


def _mpi_rate(mode: str, n: int) -> float:
    """``n`` / rank 0's seconds of ``--inner-<mode> n`` under ``mpiexec -n 2``."""
    done = subprocess.run(MPIEXEC + [sys.executable, __file__, f"--inner-{mode}", str(n)],
                          env=ENV, capture_output=True, text=True, check=True)
    return n / float(re.search(r"RESULT seconds=([\d.]+)", done.stdout).group(1))


def _local_commit(n: int) -> float:
    """One rank committing its own ``n`` points (no messages): points/s."""
    from qtransport.workflows.sweep_engine import Committer
    params, keys = _points(n)
    outs = [_outcome(i, params, keys, 1) for i in range(n)]
    out = str(Path(tempfile.mkdtemp()) / "local.h5")
    c = Committer(out, "bench", 10.0, None, writer=1)
    t0 = time.perf_counter()
    for j, o in enumerate(outs):
        c(j, o, 1)
    c.flush()
    return n / (time.perf_counter() - t0)


def inner_notes(n: int) -> None:
    """Under mpiexec: flood rank 0 with ``n`` messages of 10 progress notes each."""
    from qtransport.workflows.checkpoint import Outcome
    from qtransport.workflows.executor import MPIExecutor
    ex = MPIExecutor()
    _, keys = _points(10)
    batch = [Outcome(i, "", keys[i], True, {}, "", T_POINT, 1) for i in range(10)]
    seen = []
    ex.wait_all()
    t0 = time.perf_counter()
    ex.map_unordered(lambda i: batch, n, lambda i, notes, rank: seen.extend(o.ok for o in notes)
                     if ex.is_root else None)
    if ex.is_root:
        print(f"RESULT seconds={time.perf_counter() - t0:.4f}", flush=True)
    ex.wait_all()


def _merge_rate(n: int) -> float:
    """points/s of the end-of-run assembly of ``n`` committed 8 KiB points from segments."""
    from qtransport.workflows import checkpoint
    from qtransport.workflows.sweep_engine import Committer
    params, keys = _points(n)
    out = str(Path(tempfile.mkdtemp()) / "merge.h5")
    header = {"attrs": {}, "sweep": {"kind": "bench", "config_hash": "bench"}}
    points = list(zip(params, keys))
    checkpoint.assemble(out, header, points, None)
    for rank in (0, 1):                       # two ranks' segments, 1000 points each
        c = Committer(out, "bench", 1e9, None, writer=rank)
        for i in range(rank, n, 2):
            c(i, _outcome(i, params, keys, rank), rank)
            if len(c.buffer) == 1000:
                c.flush()
        c.flush()
    t0 = time.perf_counter()
    state = checkpoint.scan(out)
    checkpoint.assemble(out, header, points, state)
    return n / (time.perf_counter() - t0)


def _engine(n: int, mpi: bool) -> float:
    """points/s of ``sweep.run`` over ``n`` no-op points of 8 KiB (bench_sweep's no-op model)."""
    cmd = [sys.executable, str(Path(__file__).with_name("bench_sweep.py")), "--inner", str(n),
           str(FLOATS), "10.0"]
    done = subprocess.run((MPIEXEC if mpi else []) + cmd, env=ENV, capture_output=True,
                          text=True, check=True)
    return n / float(re.search(r"RESULT seconds=([\d.]+)", done.stdout).group(1))


def main(quick: bool = False) -> None:
    n = 2000 if quick else 8000
    reps = 1 if quick else REPEATS
    single = statistics.median(_mpi_rate("single", n) for _ in range(reps))
    local = statistics.median(_local_commit(n) for _ in range(reps))
    notes = statistics.median(_mpi_rate("notes", n) for _ in range(reps))   # messages/s
    merge = statistics.median(_merge_rate(n // 2) for _ in range(reps))
    engine = {mpi: statistics.median(_engine(n // 2, mpi) for _ in range(reps))
              for mpi in (False, True)}
    print("| writer (8 KiB points) | points/s | saturates at (ranks, 0.1 s points) |")
    print("|---|---|---|")
    print(f"| single writer on rank 0 (mpiexec -n 2, MPI receive + commit) | {single:.0f} | "
          f"{single * T_POINT:.0f} |")
    print(f"| per-rank segments: one rank's own commits | {local:.0f} per rank | "
          f"writing scales with the ranks |")
    print(f"| per-rank segments: rank 0's progress notes (messages of 10) | {notes:.0f} "
          f"messages/s | {notes * NOTE_S:.0f} (one message per rank every {NOTE_S:.0f} s) |")
    print(f"| end-of-run merge of the segments (once) | {merge:.0f} | - |")
    print(f"sweep single writer: {single:.0f} points/s of 8 KiB -> saturates at about "
          f"{single * T_POINT:.0f} ranks for {T_POINT} s points (median of {reps})")
    print(f"sweep per-rank segments: {local:.0f} points/s per rank; rank 0 receives "
          f"{notes:.0f} note messages/s -> saturates at about {notes * NOTE_S:.0f} ranks; "
          f"merge {merge:.0f} points/s at the end ({n // 2} points take "
          f"{n / 2 / merge:.2f} s)")
    print(f"sweep engine, no-op 8 KiB points: {engine[False]:.0f} points/s serial, "
          f"{engine[True]:.0f} points/s on 2 ranks ({n // 2} points, per-rank segments)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--inner-single":
        inner_single(int(sys.argv[2]))
    elif len(sys.argv) > 2 and sys.argv[1] == "--inner-notes":
        inner_notes(int(sys.argv[2]))
    else:
        main(quick="--quick" in sys.argv)
