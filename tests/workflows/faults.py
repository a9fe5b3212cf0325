"""Helpers for fault-injection tests: launch real sweep processes (serial or mpiexec) and kill them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
MPIEXEC = [str(VENV_BIN / "mpiexec"), "--allow-run-as-root", "--oversubscribe", "-n", "2"]
DRIVER = ("import sys; sys.path.insert(0, {here!r}); import sweep_models; "
          "from qtransport.cli import main; sys.exit(main(sys.argv[1:]))")
TIMEOUT_S = 120


def env() -> dict[str, str]:
    e = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
             OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    for var in ("OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK",
                "PMI_SIZE", "QTRANSPORT_MPI"):
        e.pop(var, None)                 # a test itself running under mpiexec must not leak
    return e


def command(args: list[str], mpi: bool) -> list[str]:
    """``qtransport ARGS`` (with the test models registered), optionally under mpiexec -n 2."""
    cmd = [sys.executable, "-c", DRIVER.format(here=str(HERE)), *args]
    return MPIEXEC + cmd if mpi else cmd


def start(args: list[str], mpi: bool = False,
          extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(command(args, mpi), env={**env(), **(extra_env or {})},
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=TIMEOUT_S)
    return proc.returncode, out, err


#: Open MPI's own start-up failures (before any rank runs qtransport), seen on a loaded machine
#: when many mpiexec jobs start and die in quick succession: the launch is retried, never the run
LAUNCHER_FAILURES = ("PMIx server's listener thread failed to start",
                     "ORTE_ERROR_LOG", "PRTE_ERROR_LOG")


def launcher_failed(rc: int, err: str) -> bool:
    """True if mpiexec itself failed to start the job (no qtransport code ran)."""
    return rc != 0 and "Traceback" not in err and any(m in err for m in LAUNCHER_FAILURES)


def run(args: list[str], mpi: bool = False,
        extra_env: dict[str, str] | None = None) -> tuple[int, str, str]:
    for _ in range(3):
        rc, out, err = finish(start(args, mpi, extra_env))
        if not (mpi and launcher_failed(rc, err)):
            break
    return rc, out, err


def kill(proc: subprocess.Popen, whole_job: bool = True) -> None:
    """SIGKILL the job's process group (a scheduler's kill) or only its first process.

    A killed ``mpiexec`` leaves its session folder (``$TMPDIR/ompi.<its pid>``, with PMIx
    rendezvous files) behind, and a later ``mpiexec`` that is given the same pid fails to
    start ("PMIx server's listener thread failed to start", exit 213; reproduced by planting
    copies of such a folder at the next pids). The folder is removed here, as a scheduler's
    epilogue would."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL) if whole_job else os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=TIMEOUT_S)
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:        # orphaned ranks finish within a few seconds
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            break
        time.sleep(0.05)
    import shutil
    import tempfile
    shutil.rmtree(Path(tempfile.gettempdir()) / f"ompi.{proc.pid}", ignore_errors=True)


def kill_after(proc: subprocess.Popen, delay_s: float, whole_job: bool = True) -> None:
    """SIGKILL the job ``delay_s`` seconds after it started (if it is still running)."""
    try:
        proc.wait(timeout=delay_s)
    except subprocess.TimeoutExpired:
        pass
    kill(proc, whole_job)


def kill_after_commits(args: list[str], mpi: bool, parts: Path, n_commits: int, extra_s: float,
                       whole_job: bool = True) -> None:
    """Start a job; SIGKILL it ``extra_s`` seconds after its ``n_commits``-th new segment."""
    old = set(parts.glob("seg-*.h5")) if parts.is_dir() else set()
    proc = start(args, mpi)
    deadline = time.monotonic() + TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        if parts.is_dir() and len(set(parts.glob("seg-*.h5")) - old) >= n_commits:
            break
        time.sleep(0.005)
    kill_after(proc, extra_s, whole_job)
