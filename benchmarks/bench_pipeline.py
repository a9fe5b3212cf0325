"""End-to-end ``qtransport run`` on 2 cores (the ``make demo`` command), time per stage.

Runs ``mpiexec -n 2 qtransport run --output-dir <tmp> --force`` with the built-in configuration
once and prints, from the run's own records, the wall time of every stage (rank 0's clock, the
``stage_seconds`` attribute of ``run.h5``) and rank 0's CPU time in it (``stage_cpu_seconds``), the writing of ``run.h5``/figures/report (the
``## Timing`` table of ``report.md``) and the command's whole wall time, process start-up
included, and the CPU time of all its processes (``RUSAGE_CHILDREN``: mpiexec reaps its ranks),
which on a shared machine bounds the wall time two free cores would take from below.
Target: under 60 s after set-up (the venv built).

Usage: ``python benchmarks/bench_pipeline.py`` (``--serial``: one process, no mpiexec).
"""
from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
MPIEXEC = [str(VENV_BIN / "mpiexec"), "--allow-run-as-root", "--oversubscribe", "-n", "2"]
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
TARGET_S = 60.0


def main(serial: bool = False) -> None:
    import h5py
    out = Path(tempfile.mkdtemp()) / "demo"
    cmd = ([] if serial else MPIEXEC) + [sys.executable, "-m", "mpi4py", "-m", "qtransport.cli",
                                         "run", "--output-dir", str(out), "--force",
                                         "--no-progress"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"qtransport run failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with h5py.File(out / "run.h5", "r") as f:
        stages = json.loads(f.attrs["stage_seconds"])
        cpus = json.loads(f.attrs["stage_cpu_seconds"])
    report = (out / "report.md").read_text(encoding="utf-8")
    write = float(re.search(r"\| writing run.h5, figures, report \| ([\d.]+) \|", report)
                  .group(1))
    where = "1 process" if serial else "mpiexec -n 2"
    print(f"| stage ({where}) | wall time (s) | rank-0 CPU (s) |")
    print("|---|---|---|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.2f} | {cpus[name]:.2f} |")
    print(f"| writing run.h5, figures, report | {write:.2f} | |")
    print(f"| sum of the above | {sum(stages.values()) + write:.2f} | {sum(cpus.values()):.2f} |")
    print(f"| whole command (process start-up, imports included) | {wall:.2f} | |")
    print(f"| CPU time of all its processes (user + system) | | {cpu:.2f} |")
    for name, seconds in stages.items():
        print(f"pipeline stage {name}: {seconds:.2f} s wall, {cpus[name]:.2f} s rank-0 CPU")
    print(f"pipeline qtransport run on 2 cores: {wall:.1f} s wall ({where}; stages "
          f"{sum(stages.values()):.1f} s, writing {write:.1f} s; target < {TARGET_S:.0f} s); "
          f"{cpu:.1f} CPU-s in all processes, i.e. >= {cpu / (1 if serial else 2):.1f} s wall "
          f"on {'1 core' if serial else '2 free cores'} (load-insensitive)")


if __name__ == "__main__":
    main(serial="--serial" in sys.argv)
