"""Small registered models for sweep-engine tests (imported by tests and by subprocess drivers).

Not physics: they make failures, crashes and randomness controllable. Physics sweeps in the
tests use the real ``filament.conductance`` model.
"""
from __future__ import annotations

import errno
import os
import signal
import time
import warnings
from pathlib import Path

import numpy as np

from qtransport.errors import AccuracyWarning
from qtransport.registry import Param, register
from qtransport.results import Result

FLAG_ENV = "QT_TEST_FAIL_FLAG"
# "FOLDER|BUDGET_BYTES|READONLY_FLAG": writes of sweep files into FOLDER meet ENOSPC beyond the
# budget and EROFS while READONLY_FLAG exists (a small disk where no tmpfs can be mounted)
SMALL_DISK_ENV = "QT_TEST_SMALL_DISK"


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def install_small_disk(folder: str, budget, readonly, setattr=setattr) -> None:
    """Inject a small (or read-only) disk into this process's writes below ``folder``.

    ``budget()`` gives the size in bytes and ``readonly()`` whether the disk is read-only, both
    asked at every write; ``setattr`` may be pytest's ``monkeypatch.setattr`` (undone after a test).
    """
    from qtransport.workflows import checkpoint
    real = os.pwrite

    def pwrite(fd, data, offset):
        if os.readlink(f"/proc/self/fd/{fd}").startswith(folder):
            if readonly():
                raise OSError(errno.EROFS, os.strerror(errno.EROFS))
            if folder_bytes(folder) + len(memoryview(data).cast("B")) > budget():
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data, offset)
    setattr(os, "pwrite", pwrite)
    setattr(checkpoint, "free_bytes", lambda _folder: max(0, budget() - folder_bytes(folder)))


if os.environ.get(SMALL_DISK_ENV):          # set by the fault tests for their subprocesses
    _folder, _budget, _flag = os.environ[SMALL_DISK_ENV].split("|")
    install_small_disk(_folder, lambda: int(_budget), lambda: os.path.exists(_flag))


@register("testsweep.noisy", summary="x plus a seeded normal draw; fails or dies on request",
          params=[Param("x", float), Param("seed", int, 0, low=0),
                  Param("fail_x", float, -1.0), Param("crash_x", float, -1.0),
                  Param("sleep_s", float, 0.0, low=0.0)])
def noisy(x: float, seed: int = 0, fail_x: float = -1.0, crash_x: float = -1.0,
          sleep_s: float = 0.0) -> Result:
    """Return x + N(0, 1) from ``seed``; raise at ``fail_x`` (while the flag file exists, if one
    is named in $QT_TEST_FAIL_FLAG); SIGKILL this process at x >= ``crash_x`` unless it is rank 0."""
    if sleep_s:
        time.sleep(sleep_s)
    flag = os.environ.get(FLAG_ENV)
    if x == fail_x and (flag is None or os.path.exists(flag)):
        raise ValueError(f"x = {x} is the designated failing point")
    if crash_x >= 0 and x >= crash_x and os.environ.get("OMPI_COMM_WORLD_RANK", "0") != "0":
        os.kill(os.getpid(), signal.SIGKILL)
    draw = np.random.default_rng(seed).normal(size=3)
    return Result("testsweep.noisy", {"x": x, "seed": seed},
                  {"value": x + draw, "x_squared": np.array(x * x)})


def whoami(x: float, sleep_s: float = 0.05) -> tuple[float, int]:
    """(x, pid of the process that computed it): shows which ranks took part in a map.

    The short sleep stands for real work, so that every rank gets a share of the calls."""
    time.sleep(sleep_s)
    return x, os.getpid()


RO_DIR_ENV = "QT_TEST_READONLY_DIR"


@register("testsweep.bulk", summary="n seeded normal draws per point (disk-filling tests)",
          params=[Param("x", float), Param("seed", int, 0, low=0),
                  Param("n", int, 20000, low=1), Param("readonly_at_x", float, -1.0)])
def bulk(x: float, seed: int = 0, n: int = 20000, readonly_at_x: float = -1.0) -> Result:
    """``n`` normal draws from ``seed`` (8 n bytes per point). At ``x == readonly_at_x`` the
    tmpfs named in $QT_TEST_READONLY_DIR is remounted read-only, as if the disk failed mid-run."""
    if x == readonly_at_x and os.environ.get(SMALL_DISK_ENV):
        Path(os.environ[SMALL_DISK_ENV].split("|")[2]).touch()   # the injected disk fails
    elif x == readonly_at_x and os.environ.get(RO_DIR_ENV):
        import subprocess
        for _ in range(400):        # "busy" while rank 0 has a segment open for writing
            if subprocess.run(["mount", "-o", "remount,ro", os.environ[RO_DIR_ENV]],
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.005)
        else:
            raise RuntimeError(f"could not remount {os.environ[RO_DIR_ENV]} read-only")
    return Result("testsweep.bulk", {"x": x, "seed": seed},
                  {"draws": np.random.default_rng(seed).normal(size=n)})


@register("testsweep.warns", summary="x squared; warns below warn_below, fails at fail_x",
          params=[Param("x", float), Param("warn_below", float, 0.0),
                  Param("fail_x", float, -1.0), Param("sleep_s", float, 0.0, low=0.0)])
def warns(x: float, warn_below: float = 0.0, fail_x: float = -1.0, sleep_s: float = 0.0) -> Result:
    """x² after ``sleep_s``; for x < ``warn_below`` an AccuracyWarning raised twice alike, then
    a plain UserWarning; raise (after those warnings) at ``fail_x``."""
    if sleep_s:
        time.sleep(sleep_s)
    if x < warn_below:
        for _ in range(2):
            warnings.warn(AccuracyWarning(f"x = {x} is below warn_below = {warn_below}"))
        warnings.warn(f"x = {x}: a plain UserWarning")
    if x == fail_x:
        raise ValueError(f"x = {x} is the designated failing point")
    return Result("testsweep.warns", {"x": x}, {"x_squared": np.array(x * x)})
