"""Adaptive 1-D scans: sample where the curve changes (steps, resonances), not uniformly.

Uses ``adaptive.Learner1D`` (default loss: length of the curve segments in the bounded box, so
steep steps and narrow resonances attract points). Rank 0 owns the learner; each round it asks
for one point per rank, every rank computes one, and the results are told back and committed
like grid points (same file layout, checkpoints and resume: on restart the learner is re-fed
the committed points and carries on). The scan stops at ``max_points`` evaluations or when the
learner's loss drops below ``loss_goal``.

With more ranks a round asks for more points at once, so the sampled energies depend on the
number of ranks (each value is still exact and reproducible from its parameters).

Examples
--------
>>> import numpy as np
>>> x = uniform_error_curve(np.array([0.0, 0.5, 1.0]), np.array([0.0, 0.0, 1.0]),
...                         lambda e: np.clip((e - 0.5) * 10, 0, 1), np.linspace(0, 1, 11))
>>> float(round(x, 3))         # at E = 0.6 the line gives 0.2 where the ramp is already 1
0.8
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

import numpy as np

from ..infra import canonical_json
from .checkpoint import Outcome
from .config import SweepConfig
from .executor import AgreedError, guard
from .catalog import get_model
from .sweep_engine import (SweepSummary, Committer, run_header, one_line, agreed, agreed_outcome,
                           compute_point, open_output, output_path, seeded, warned_points)

__all__ = ["run_adaptive", "uniform_error_curve", "scan_value"]

log = logging.getLogger(__name__)


def scan_value(outcome: Outcome, output: str) -> float:
    """The scalar that the learner resolves: field ``output`` of a point (one element).

    Parameters
    ----------
    outcome : Outcome
        A computed point.
    output : str
        Field name of the scanned output.

    Returns
    -------
    float
        The value.

    Raises
    ------
    AgreedError
        No such field, or a field with more than one value.
    """
    if output not in outcome.data:
        raise AgreedError(f"config key sweep.adaptive.output: the model returned no field "
                          f"{output!r}; its fields: {', '.join(sorted(outcome.data))}")
    value = np.ravel(outcome.data[output])
    if value.size != 1:
        raise AgreedError(f"config key sweep.adaptive.output: field {output!r} has {value.size} "
                          f"values per point; an adaptive scan needs one")
    return float(value[0])


def uniform_error_curve(x: np.ndarray, y: np.ndarray, exact: Callable[[np.ndarray], np.ndarray],
                        x_check: np.ndarray) -> float:
    """Maximum error of the piecewise-linear interpolant through (x, y) on ``x_check``.

    Parameters
    ----------
    x : numpy.ndarray
        Sample positions (any order).
    y : numpy.ndarray
        Sampled values.
    exact : callable
        The exact function of an array of positions.
    x_check : numpy.ndarray
        Positions where the error is measured.

    Returns
    -------
    float
        max |interpolant − exact|, in the unit of ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(0.0, 1.0, 5)
    >>> uniform_error_curve(x, 2 * x, lambda t: 2 * t, np.linspace(0.0, 1.0, 11)) < 1e-12
    True
    """
    order = np.argsort(x)
    return float(np.max(np.abs(np.interp(x_check, x[order], y[order]) - exact(x_check))))


def _point(cfg: SweepConfig, x: float) -> tuple[dict[str, Any], str]:
    a = cfg.adaptive
    value = [x] if get_model(cfg.model).param(a.parameter).type == "array" else x
    return seeded(cfg, get_model(cfg.model).validate({**cfg.fixed, a.parameter: value}))


def _learner(cfg: SweepConfig, state):
    import adaptive
    learner = adaptive.Learner1D(None, bounds=cfg.adaptive.bounds)
    for r in sorted(state.rows.values(), key=lambda r: r.index) if state else []:
        if r.ok:
            x = float(np.ravel(canonical_params(r.parameters)[cfg.adaptive.parameter])[0])
            learner.tell(x, r_value(state, r, cfg.adaptive.output))
    return learner


def canonical_params(text: str) -> dict[str, Any]:
    import json
    return json.loads(text)


def r_value(state, row, output: str) -> float:
    """The scanned output of a committed row (read from its file)."""
    import h5py
    from .checkpoint import read_data
    with h5py.File(row.source, "r") as f:
        return scan_value(Outcome(row.index, "", "", True, read_data(f, row)), output)


def _state_points(state) -> list[tuple[str, str]]:
    rows = sorted(state.rows.values(), key=lambda r: r.index) if state else []
    points = list(state.points) if state else []
    for r in rows:
        points += [("", "")] * (r.index + 1 - len(points))
        points[r.index] = (r.parameters, r.key)
    return points


def _done(cfg: SweepConfig, learner, n: int) -> bool:
    a = cfg.adaptive
    return n >= a.max_points or (a.loss_goal is not None and n >= 3
                                 and learner.loss() <= a.loss_goal)


def run_adaptive(cfg: SweepConfig, output, *, executor, retry_failed: bool = False,
                 progress=None, command: str = "", checkpoint_seconds: float | None = None):
    """Run or resume an adaptive 1-D scan (see the module docstring); collective under MPI.

    Parameters
    ----------
    cfg : SweepConfig
        A sweep config with an ``[sweep.adaptive]`` table.
    output : str or os.PathLike
        The sweep's HDF5 file (created or resumed).
    executor : SerialExecutor or MPIExecutor
        Distributes the points (:func:`~qtransport.workflows.executor.get_executor`).
    retry_failed : bool, optional
        Recompute failed points of an earlier run.
    progress : object, optional
        Progress reporter (``start``/update protocol of the sweep commands).
    command : str, optional
        Command line recorded in the file.
    checkpoint_seconds : float, optional
        Commit interval, s (default: the config's).

    Returns
    -------
    SweepSummary
        Points, failures, timing and completion of the scan.
    """
    from . import checkpoint
    output = output_path(output)
    t0 = time.perf_counter()
    every = cfg.checkpoint_seconds if checkpoint_seconds is None else checkpoint_seconds

    def begin():
        lock, state = open_output(output, cfg)
        try:
            points = _state_points(state)
            header = run_header(cfg, state, command, executor.size)
            header["sweep"]["finished"] = bool(header["sweep"].get("finished", False))
            checkpoint.assemble(output, header, points, state)
            return lock, checkpoint.scan(output), len(points)
        except BaseException:
            lock.release()
            raise

    with guard(executor):
        lock, state, n_before = agreed(executor, begin) or (None, None, 0)
        summary, error = None, None
        try:
            sink = None
            if executor.is_root:
                sink = Committer(output, cfg.hash, every, progress)
                if hasattr(progress, "start"):
                    progress.start(cfg.adaptive.max_points - n_before, cfg.adaptive.max_points)
            n_new = _rounds(cfg, executor, state, sink, compute_point)
            if executor.is_root:
                try:
                    sink.flush()
                    state = checkpoint.scan(output)
                    points = _state_points(state)
                    header = run_header(cfg, state, command, executor.size)
                    header["attrs"]["n_runs"] = int(state.attrs.get("n_runs", 1))
                    header["sweep"]["finished"] = True   # the learner stopped: scan complete
                    checkpoint.assemble(output, header, points, state)
                    n_failed = sum(not r.ok for r in state.rows.values())
                    summary = SweepSummary(output, cfg.model, len(points), n_new, n_before,
                                           n_failed, time.perf_counter() - t0, executor.size,
                                           n_failed == 0, warned_points(state.rows.values()))
                except (ValueError, TypeError, OSError) as exc:
                    error = one_line(exc)
        finally:
            if executor.is_root and lock is not None:
                lock.release()
        return agreed_outcome(executor, summary, error)


def _rounds(cfg: SweepConfig, executor, state, sink, compute_point) -> int:
    """Ask-compute-tell rounds until done; returns the number of points computed."""
    learner = _learner(cfg, state) if executor.is_root else None
    n = len(_state_points(state)) if executor.is_root else 0
    computed = 0
    while True:
        batch = None
        if executor.is_root and not _done(cfg, learner, n):
            k = min(executor.size, cfg.adaptive.max_points - n)
            xs, _ = learner.ask(k)
            batch = [(n + i, *_point(cfg, float(x))) for i, x in enumerate(xs)]
        batch = executor.bcast(batch)
        if not batch:
            return computed
        got: list[Outcome] = []

        def collect(j, outcome, rank):
            got.append(outcome)
            sink(j, outcome, rank)
        message = None
        try:
            executor.map_unordered(lambda j: compute_point(cfg.model, batch[j][1], batch[j][0],
                                                           batch[j][2], executor.rank),
                                   len(batch), collect if executor.is_root else None)
        except (ValueError, TypeError, OSError) as exc:   # rank 0 could not commit: agreed
            if not executor.is_root:
                raise
            message = " ".join(str(exc).split("\n"))
        computed += len(batch)
        if executor.is_root and message is None:
            n += len(batch)
            try:
                for o in got:
                    if o.ok:
                        x = float(np.ravel(canonical_params(o.parameters)
                                           [cfg.adaptive.parameter])[0])
                        learner.tell(x, scan_value(o, cfg.adaptive.output))
            except AgreedError as exc:
                message = str(exc)
        message = executor.bcast(message)
        if message:
            raise AgreedError(message)
