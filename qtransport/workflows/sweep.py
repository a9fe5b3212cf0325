"""Parameter sweeps of any registered model: grids, point keys, per-point seeds, resume.

:func:`run` evaluates a :class:`~qtransport.workflows.config.SweepConfig` on every point of its
grid — serially or on all MPI ranks (see :mod:`~qtransport.workflows.executor`) — and writes one
HDF5 file through :mod:`~qtransport.workflows.checkpoint`, so a killed run resumes where it
stopped. :func:`load` reads a (possibly unfinished) file back.

Reproducibility: point *i* is identified by its key, the SHA-256 of the canonical JSON of its
full, schema-normalized parameters; its random stream derives from ``SeedSequence(seed,
spawn_key=key)``. Results therefore do not depend on the number of ranks nor on the order in
which points ran.

Examples
--------
>>> cfg_text = '''
... [sweep]
... model = "filament.conductance"
... [sweep.fixed]
... energies_eV = [0.5]
... [sweep.grid]
... width_atoms = [1, 2]
... '''
>>> import tempfile, os
>>> from qtransport.workflows import config
>>> out = os.path.join(tempfile.mkdtemp(), "s.h5")
>>> summary = run(config.parse_config(cfg_text), out)
>>> res = load(out)
>>> res.complete, len(res.results), [p["width_atoms"] for p in res.parameters]
(True, 2, [1, 2])
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..infra import canonical_json, retain_heap, to_jsonable
from . import checkpoint
from .catalog import get_model
from .checkpoint import Outcome
from .config import SweepConfig, check_checkpoint_seconds, load_config
from .executor import get_executor, guard
from .sweep_engine import (SweepSummary, Committer, run_header, one_line, agreed, agreed_outcome,
                           check_compatible, compute_point, describe_change, open_output, output_path, point_key,
                           point_seed, seeded, warned_points)

__all__ = ["run", "load", "SweepResult", "SweepSummary", "grid_points", "point_key",
           "point_seed", "seeded", "compute_point", "agreed", "open_output", "prepare", "finish",
           "load_config", "check_compatible", "describe_change", "output_path"]

log = logging.getLogger(__name__)


def grid_points(cfg: SweepConfig) -> list[tuple[dict[str, Any], str]]:
    """``(parameters, key)`` of every grid point: defaults filled, per-point ``seed`` set.

    The cartesian product runs over ``cfg.grid`` in file order, the last key fastest. Two grid
    points with the same parameters (a value listed twice) are refused: a point is identified by
    its key, so each must be unique.

    Parameters
    ----------
    cfg : SweepConfig
        The validated sweep.

    Returns
    -------
    list of (dict, str)
        Validated parameters and point key of every point, in grid order.

    Raises
    ------
    ValueError
        Two identical grid points.

    Examples
    --------
    >>> from qtransport.workflows import config
    >>> text = ('sweep = {model = "tunneling.hbn_transmission", '
    ...     'fixed = {energies_eV = [0.1, 0.2]}, grid = {n_layers = [1, 2, 3]}}')  # inline tables
    >>> points = grid_points(config.parse_config(text))
    >>> len(points), [p['n_layers'] for p, _ in points]
    (3, [1, 2, 3])
    """
    model = get_model(cfg.model)
    names = list(cfg.grid)
    out = [seeded(cfg, model.validate({**cfg.fixed, **dict(zip(names, combo))}))
           for combo in itertools.product(*(cfg.grid[n] for n in names))]
    first: dict[str, int] = {}
    for i, (_, key) in enumerate(out):
        j = first.setdefault(key, i)
        if j != i:
            combo = next(itertools.islice(itertools.product(*(cfg.grid[n] for n in names)), i,
                                          None))
            where = ", ".join(f"{n} = {canonical_json(v)}" for n, v in zip(names, combo))
            raise ValueError(f"config key sweep.grid: grid points {j} and {i} are the same point "
                             f"({where}); list each value only once")
    return out


def _grid_columns(cfg: SweepConfig, points: Sequence[dict]) -> dict[str, np.ndarray]:
    names = [n for n in cfg.grid if np.ndim(points[0][n]) == 0 and points[0][n] is not None
             and not isinstance(points[0][n], str)] if points else []
    return {n: np.array([p[n] for p in points]) for n in names}


def prepare(output: str, cfg: SweepConfig, points: Sequence[tuple[str, str]], *,
            retry_failed: bool, command: str, size: int, grid=None):
    """Rank 0: open the output, compact it; return ``(lock, state, to-do indices)``.

    Committed points are found by their point key, so the to-do list is right for any order
    of the grid.

    Parameters
    ----------
    output : str
        The sweep file.
    cfg : SweepConfig
        The validated sweep.
    points : sequence of (str, str)
        Canonical parameters (JSON) and key of every point.
    retry_failed : bool
        Recompute points recorded as failed.
    command : str
        Command line stored for provenance.
    size : int
        Number of MPI ranks.
    grid : dict of str to numpy.ndarray, optional
        Scalar grid columns written as coordinates.

    Returns
    -------
    lock : RunLock
        The held lock of the output.
    state : object or None
        The scanned file state (None for a new file).
    todo : list of int
        Indices of the points to compute.
    """
    lock, state = open_output(output, cfg, points)
    try:
        checkpoint.assemble(output, run_header(cfg, state, command, size), points, state, grid)
        if state is None:               # a new file: only the header, every point to do
            return lock, state, list(range(len(points)))
        state = checkpoint.scan(output)
        todo = [i for i, (_, k) in enumerate(points)
                if k not in state.rows or (retry_failed and not state.rows[k].ok)]
        return lock, state, todo
    except BaseException:
        lock.release()
        raise


def run(cfg: SweepConfig | str | os.PathLike, output: str | os.PathLike, *, executor=None,
        retry_failed: bool = False, progress: Callable[[Outcome], None] | None = None,
        command: str = "", checkpoint_seconds: float | None = None) -> SweepSummary:
    """Run (or resume) a sweep and write ``output``.

    Parameters
    ----------
    cfg : SweepConfig or path-like
        Validated configuration, or the path of its TOML file.
    output : path-like
        HDF5 file. If it exists with the same configuration the sweep resumes; with another
        configuration it is refused.
    executor : SerialExecutor or MPIExecutor, optional
        Default: MPI when launched by mpiexec/srun, serial otherwise. Collective under MPI.
    retry_failed : bool
        Recompute points recorded as failed.
    progress : callable, optional
        Called on rank 0 with each finished :class:`~qtransport.workflows.checkpoint.Outcome`;
        its ``start(n_todo, n_points)`` method, if any, is called once before.
    command : str
        Command line stored for provenance.
    checkpoint_seconds : float, optional
        Overrides ``cfg.checkpoint_seconds`` (0 commits every point).

    Returns
    -------
    SweepSummary
        Points computed, already done and failed, timing and completion.

    Examples
    --------
    Open channels of uniform wires 1–3 sites wide, at 0.5 and 2.5 eV above the band bottom:

    >>> import os, tempfile
    >>> import numpy as np
    >>> from qtransport.workflows import sweep
    >>> from qtransport.workflows.config import parse_config
    >>> cfg = parse_config('''
    ... [sweep]
    ... model = "filament.conductance"
    ... [sweep.fixed]
    ... energies_eV = [0.5, 2.5]
    ... length_atoms = 4
    ... [sweep.grid]
    ... width_atoms = [1, 2, 3]
    ... ''')
    >>> out = os.path.join(tempfile.mkdtemp(), "wires.h5")
    >>> sweep.run(cfg, out).complete
    True
    >>> res = sweep.load(out)
    >>> [p["width_atoms"] for p in res.parameters]
    [1, 2, 3]
    >>> [np.rint(r["conductance_G0"]).astype(int).tolist() for r in res.results]
    [[0, 1], [0, 1], [0, 2]]
    """
    if not isinstance(cfg, SweepConfig):
        cfg = load_config(cfg)
    executor = executor or get_executor()
    if checkpoint_seconds is not None:
        check_checkpoint_seconds(checkpoint_seconds, "checkpoint_seconds")
    if cfg.adaptive is not None:
        from .adaptive_scan import run_adaptive
        return run_adaptive(cfg, output, executor=executor, retry_failed=retry_failed,
                            progress=progress, command=command,
                            checkpoint_seconds=checkpoint_seconds)
    output = output_path(output)
    retain_heap()        # the same solves at every point: no page-fault churn between them
    every = cfg.checkpoint_seconds if checkpoint_seconds is None else \
        check_checkpoint_seconds(checkpoint_seconds, "checkpoint_seconds")
    # the file layer is start-up, loaded by every rank at once before the clock starts: left
    # to its first use, its import (20-30 ms) fell inside rank 0's set-up, which the other
    # ranks wait for, and inside each worker's final commit, which rank 0 waits for
    import h5py  # noqa: F401
    t0 = time.perf_counter()
    params, keys = zip(*grid_points(cfg))
    points = [(canonical_json(p), k) for p, k in zip(params, keys)]
    grid = _grid_columns(cfg, params)
    with guard(executor):
        prepared = agreed(executor, lambda: prepare(
            output, cfg, points, retry_failed=retry_failed, command=command, size=executor.size,
            grid=grid))
        lock, _, todo = prepared if executor.is_root else (None, None, None)
        todo = executor.bcast(todo)
        if executor.is_root and hasattr(progress, "start"):
            progress.start(len(todo), len(points))
        summary, error = None, None
        try:
            try:
                if executor.size > 1:
                    error = _compute_per_rank(executor, cfg, output, every, params, keys, todo,
                                              progress)
                else:
                    sink = Committer(output, cfg.hash, every, progress)
                    executor.map_unordered(
                        lambda j: compute_point(cfg.model, params[todo[j]], todo[j],
                                                keys[todo[j]]), len(todo), sink)
                    sink.flush()
                if executor.is_root and error is None:
                    summary = finish(output, cfg, points, len(todo), len(points) - len(todo),
                                     t0, executor.size, command, grid)
            except (ValueError, TypeError, OSError) as exc:
                if not executor.is_root:
                    raise
                error = one_line(exc)     # disk full, read-only, corrupted segment: agreed
        finally:
            if executor.is_root:
                lock.release()
        return agreed_outcome(executor, summary, error)


#: under MPI, workers send rank 0 their progress notes at most this often (s)
_NOTE_S = 1.0


def _compute_per_rank(executor, cfg: SweepConfig, output: str, every: float, params, keys,
                      todo: Sequence[int], progress) -> str | None:
    """MPI: every rank computes points and commits them to segments of its own.

    Rank 0 holds the run lock; every rank holds the shared :class:`~.checkpoint.WriterLock`
    while it may write (taken before any rank computes), so a rank orphaned by a killed
    launcher keeps a new run from starting. Rank 0 receives only small notes (outcome without
    data, a batch per rank every :data:`_NOTE_S` seconds at most) for the progress display,
    so no single writer limits the number of ranks. A rank whose segment write fails stops
    every rank after its current point; its uncommitted points are recomputed on resume.
    Collective; returns on every rank the first write error of any rank (one line) or None.
    """
    def first_error(mine: str | None) -> str | None:          # agreed by every rank
        errors = executor.gather(mine)
        return executor.bcast(next((e for e in errors if e), None) if executor.is_root
                              else None)

    writers = checkpoint.WriterLock(output)
    try:
        writers.acquire()
        mine = None
    except (ValueError, OSError) as exc:
        mine = one_line(exc)
    if (error := first_error(mine)) is not None:               # nobody has computed yet
        writers.release()
        return error
    local = Committer(output, cfg.hash, every, None, writer=executor.rank)
    failed: list[str] = []
    failure: BaseException | None = None

    def task(j: int) -> Outcome:
        i = todo[j]
        outcome = compute_point(cfg.model, params[i], i, keys[i], executor.rank)
        if not failed:
            try:
                local(j, outcome, executor.rank)
            except (ValueError, TypeError, OSError) as exc:       # disk full, read-only
                failed.append(one_line(exc))
        return Outcome(outcome.index, "", outcome.key, outcome.ok, {}, outcome.error,
                       outcome.seconds, outcome.rank, outcome.warnings)

    def sink(j: int, note: Outcome, rank: int) -> None:
        if progress:
            progress(note)

    try:
        executor.map_unordered(task, len(todo), sink if executor.is_root else None,
                               batch_s=_NOTE_S, stop=lambda: bool(failed))
    except Exception as exc:      # rank 0's progress display: the others are drained already
        failure = exc
    try:
        if not failed:
            try:
                local.flush()
            except (ValueError, TypeError, OSError) as exc:
                failed.append(one_line(exc))
    finally:
        writers.release()
    error = first_error(failed[0] if failed else None)      # every rank has flushed
    if executor.is_root:
        checkpoint.remove_writers_file(output)
    if failure is not None:
        raise failure
    return error


def finish(output: str, cfg: SweepConfig, points, n_computed: int, n_before: int, t0: float,
           size: int, command: str, grid=None) -> SweepSummary:
    """Rank 0: assemble the final file from the header and the segments; summarize.

    Parameters
    ----------
    output : str
        The sweep file.
    cfg : SweepConfig
        The validated sweep.
    points : sequence of (str, str)
        Canonical parameters and key of every point.
    n_computed : int
        Points computed in this run.
    n_before : int
        Points already committed before it.
    t0 : float
        ``time.perf_counter()`` at the start of the run, s.
    size : int
        Number of MPI ranks.
    command : str
        Command line stored for provenance.
    grid : dict of str to numpy.ndarray, optional
        Scalar grid columns written as coordinates.

    Returns
    -------
    SweepSummary
        The run's summary.
    """
    state = checkpoint.scan(output)
    header = run_header(cfg, state, command, size)
    header["attrs"]["n_runs"] = int(state.attrs.get("n_runs", 1))   # same run, not a new one
    checkpoint.assemble(output, header, points, state, grid)
    # the merged file holds exactly these rows (assemble refuses anything else)
    n_failed = sum(not r.ok for r in state.rows.values())
    complete = len(state.rows) == len(points) and n_failed == 0 and \
        bool(header["sweep"].get("finished", True))
    return SweepSummary(output, cfg.model, len(points), n_computed, n_before, n_failed,
                        time.perf_counter() - t0, size, complete,
                        warned_points(state.rows.values()))


@dataclass
class SweepResult:
    """A sweep file read back: parameters and results by point index.

    Parameters
    ----------
    complete : bool
        Every point computed without error (adaptive scans: and the scan reached its stopping
        criterion).
    parameters : list of dict
        Full parameters of each point (arrays as ndarrays; ``seed`` is the derived seed).
    results : list of dict of str → ndarray
        Result arrays of each point; ``{}`` where not (successfully) computed yet.
    done, failed : ndarray of bool
        Committed points; points whose call raised.
    errors : list of str
        Error message per point (``""`` if none).
    model : str
        Registered model name.
    attrs : dict, optional
        Root attributes (provenance).
    grid : list of str, optional
        Names of the swept parameters, in file order (the last varies fastest).
    fixed : dict, optional
        Parameters common to every point.
    warnings : list of list of (str, str), optional
        Per point, the ``(category name, message)`` of every distinct Python warning its model
        call raised (``[]`` if none, or not computed yet); :meth:`warned` selects by category.

    Notes
    -----
    :meth:`to_xarray` shapes every field by the grid axes (``(n_width, n_disorder, n_E)``, not
    ``(n_points, n_E)``); :meth:`to_result` gives the same as one
    :class:`~qtransport.results.Result`, which :func:`qtransport.results.save` writes with
    dimension scales.
    """

    complete: bool
    parameters: list[dict[str, Any]]
    results: list[dict[str, np.ndarray]]
    done: np.ndarray
    failed: np.ndarray
    errors: list[str]
    model: str
    attrs: dict[str, Any] = field(default_factory=dict)
    grid: list[str] = field(default_factory=list)
    fixed: dict[str, Any] = field(default_factory=dict)
    warnings: list[list[tuple[str, str]]] = field(default_factory=list)

    def warned(self, category: str | None = None) -> np.ndarray:
        """Per point: did its call raise a warning (of class name ``category``, if given)?

        Parameters
        ----------
        category : str, optional
            Warning class name (e.g. ``"AccuracyWarning"``); any warning when None.

        Returns
        -------
        numpy.ndarray
            bool per point.
        """
        return np.array([any(category is None or c == category for c, _ in w)
                         for w in self.warnings], dtype=bool)

    def __repr__(self) -> str:
        shape, _ = self._grid_axes()
        where = (" × ".join(f"{n}[{len(v)}]" for n, v in zip(self.grid, shape))
                 if shape is not None else "not a full grid")
        fields = sorted({k for r in self.results for k in r})
        shown = ", ".join(fields[:6]) + (f", … {len(fields) - 6} more" if len(fields) > 6
                                          else "")
        return (f"SweepResult(model={self.model!r}, {len(self.results)} points ({where}), "
                f"{int(np.sum(self.done))} done, {int(np.sum(self.failed))} failed, "
                f"complete={self.complete}, fields: {shown})")

    def _repr_html_(self) -> str:
        import html
        return (f"<div><b>SweepResult</b> {html.escape(repr(self))}</div>"
                + self.to_result()._repr_html_())

    def _grid_axes(self):
        """``(values per grid axis, multi-index per point)`` or ``(None, None)`` if the points
        are not a full cartesian grid (adaptive scans)."""
        from ..infra import canonical_json
        if not self.grid or not self.parameters or not all(self.parameters):
            return None, None
        axes: list[list] = [[] for _ in self.grid]
        keys: list[dict] = [{} for _ in self.grid]
        index = []
        for p in self.parameters:
            idx = []
            for a, name in enumerate(self.grid):
                if name not in p:
                    return None, None
                k = canonical_json(p[name])
                if k not in keys[a]:
                    keys[a][k] = len(axes[a])
                    axes[a].append(p[name])
                idx.append(keys[a][k])
            index.append(tuple(idx))
        if int(np.prod([len(v) for v in axes])) != len(self.parameters) or \
                len(set(index)) != len(index):
            return None, None
        return axes, index

    def to_result(self):
        """The sweep as one :class:`~qtransport.results.Result` (kind ``"sweep"``), every field
        shaped ``grid shape + point shape`` (NaN where a point is missing or failed), the grid
        parameters as coordinates, ``done``/``failed``/``warnings`` (JSON text of
        ``[[category, message], ...]``, ``""`` for none) per point; not a full grid (adaptive):
        one ``point`` dimension with the parameters as fields.

        Returns
        -------
        Result
            Kind ``"sweep"``.
        """
        from ..results import Result, layout
        axes, index = self._grid_axes()
        names = []
        for r in self.results:
            names += [k for k in r if k not in names]
        ok = [i for i, r in enumerate(self.results) if r]
        inner = Result(self.model, {}, self.results[ok[0]]) if ok else None
        inner_coords, inner_dims, _ = layout(inner) if inner else ([], {}, {})
        data: dict[str, np.ndarray] = {}
        dims: dict[str, list[str]] = {}
        coords: list[str] = []
        if axes is not None:
            grid_dims = list(self.grid)
            shape = tuple(len(v) for v in axes)
            for name, values in zip(self.grid, axes):
                scalar = all(np.ndim(v) == 0 and not isinstance(v, str) for v in values)
                if scalar:
                    data[name] = np.asarray(values, dtype=float if any(
                        isinstance(v, float) for v in values) else None)
                    coords.append(name)
                else:                         # arrays or strings as grid values
                    data[name] = np.asarray([json.dumps(to_jsonable(v)) if not
                                             isinstance(v, str) else v for v in values])
                    coords.append(name)       # a string coordinate (JSON for arrays)
            where = index
        else:
            grid_dims = ["point"]
            shape = (len(self.results),)
            where = [(i,) for i in range(len(self.results))]
            for name in self.grid:
                data[name] = np.asarray([p.get(name, np.nan) if np.ndim(p.get(name, 0)) == 0
                                         else np.nan for p in self.parameters], dtype=float)
                dims[name] = ["point"]
        for c in inner_coords:                # a point coordinate equal everywhere stays 1-D
            vals = [r[c] for r in self.results if c in r]
            if all(np.shape(v) == np.shape(vals[0]) and np.array_equal(v, vals[0])
                   for v in vals):
                data[c] = np.asarray(vals[0])
                coords.append(c)
        for name in names:
            if name in data:
                continue
            first = next(np.asarray(r[name]) for r in self.results if name in r)
            numeric = first.dtype.kind in "biuf"
            arr = np.full(shape + first.shape, np.nan if numeric else "",
                          dtype=float if numeric else first.dtype)
            for w, r in zip(where, self.results):
                if name in r and np.shape(r[name]) == first.shape:
                    arr[w] = r[name]
            data[name] = arr
            inner_names = list(inner_dims.get(name, ()))
            if len(inner_names) != first.ndim:
                inner_names = [f"{name}_dim{i}" for i in range(first.ndim)]
            dims[name] = grid_dims + inner_names
        data["done"] = np.zeros(shape, bool)
        data["failed"] = np.zeros(shape, bool)
        for w, d, f in zip(where, self.done, self.failed):
            data["done"][w], data["failed"][w] = bool(d), bool(f)
        dims["done"] = dims["failed"] = grid_dims
        # the warnings of each point as in the file: JSON [[category, message], ...], "" if none
        texts = [checkpoint.encode_warnings(w) for w in self.warnings] or [""] * len(where)
        data["warnings"] = np.full(shape, "", dtype=f"<U{max([1, *map(len, texts)])}")
        for w, text in zip(where, texts):
            data["warnings"][w] = text
        dims["warnings"] = grid_dims
        return Result("sweep", {"model": self.model, "grid": list(self.grid),
                                "fixed": to_jsonable(self.fixed)},
                      data, {"coords": coords, "dims": dims, "complete": bool(self.complete)})

    def to_xarray(self):
        """An :class:`xarray.Dataset` shaped by the grid axes (see :meth:`to_result`), with the
        grid parameters as coordinates, ``units`` attributes and the fixed parameters as typed
        ``param_<name>`` attributes.

        Returns
        -------
        xarray.Dataset
            The sweep shaped by its grid.
        """
        from ..results import attr_value
        ds = self.to_result().to_xarray()
        for k, v in self.fixed.items():
            typed = attr_value(to_jsonable(v))
            if typed is not None:
                ds.attrs[f"param_{k}"] = typed
        ds.attrs["model"] = self.model
        return ds

    def plot(self, ax=None, field: str | None = None, **kw):
        """Draw one field (default: the first numeric one) for every grid point: against the
        point's own coordinate (e.g. energy) when it has one, else against the first grid axis.
        Returns the matplotlib axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw into (a new figure when None).
        field : str, optional
            Field to draw (default: the first numeric one).
        **kw
            Passed to ``ax.plot``.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.

        Raises
        ------
        ValueError
            An unknown field.
        """
        import matplotlib.pyplot as plt
        from ..results import label_of
        r = self.to_result()
        coords = r.attrs["coords"]
        skip = set(self.grid) | {"done", "failed", "warnings"} | set(coords)
        if field is None:
            field = next((k for k, v in r.data.items() if k not in skip
                          and v.dtype.kind in "biuf"), None)
        if field is None or field not in r.data:
            raise ValueError(f"field must be one of the sweep's fields "
                             f"{[k for k in r.data if k not in skip]}, got {field!r}")
        if ax is None:
            _, ax = plt.subplots(figsize=(5.0, 3.5), constrained_layout=True)
        dims = r.attrs["dims"][field]
        n_grid = len(dims) - np.ndim(self.results[0].get(field, 0)) if self.results else 0
        inner = [d for d in dims[n_grid:] if d in coords]
        arr = np.asarray(r.data[field], float)
        if inner:
            x = r.data[inner[0]]
            lines = arr.reshape(-1, x.size)
            for i, y in enumerate(lines):
                ax.plot(x, y, lw=1, label="_" if i else label_of(field, "sweep"), **kw)
            ax.set_xlabel(label_of(inner[0], self.model))
        else:
            x = r.data[dims[0]] if dims[0] in r.data and r.data[dims[0]].dtype.kind in "biuf" \
                else np.arange(arr.shape[0])
            ax.plot(x, arr.reshape(arr.shape[0], -1), "o-", ms=3, **kw)
            ax.set_xlabel(label_of(dims[0], self.model))
        ax.set_ylabel(label_of(field, self.model))
        ax.set_title(f"sweep of {self.model} ({len(self.results)} points)", fontsize="medium")
        return ax

    def stack(self, name: str) -> np.ndarray:
        """Field ``name`` of every point stacked along axis 0 (NaN where missing).

        Parameters
        ----------
        name : str
            Field name.

        Returns
        -------
        numpy.ndarray
            Shape (n_points, *field shape), NaN where missing.

        Raises
        ------
        ValueError
            The field is missing everywhere or has differing shapes.
        """
        shapes = {np.shape(r[name]) for r in self.results if name in r}
        if len(shapes) != 1:
            raise ValueError(f"field {name!r} is missing or has differing shapes {shapes}")
        shape = shapes.pop()
        out = np.full((len(self.results), *shape), np.nan)
        for i, r in enumerate(self.results):
            if name in r:
                out[i] = r[name]
        return out


def _from_json(text: str) -> dict[str, Any]:
    return {k: np.asarray(v, dtype=float) if isinstance(v, list) else v
            for k, v in json.loads(text).items()}


def load(path: str | os.PathLike) -> SweepResult:
    """Read a sweep file (finished or not), merging checkpoint segments not yet assembled.

    Every point is checked against the SHA-256 recorded when it was committed; a damaged,
    foreign or corrupted file raises a one-line ValueError naming it.

    Parameters
    ----------
    path : path-like
        File written by :func:`run` / ``qtransport sweep``.

    Returns
    -------
    SweepResult
        Parameters, results and status of every point.

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        A damaged, foreign or corrupted file.

    Examples
    --------
    A sweep run from its TOML file, read back:

    >>> import pathlib, tempfile
    >>> from qtransport.workflows import sweep
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> lines = ["[sweep]", 'model = "filament.conductance"', "[sweep.fixed]",
    ...          "energies_eV = [0.5, 2.5]", "[sweep.grid]", "width_atoms = [1, 3]"]
    >>> _ = (folder / "w.toml").write_text(chr(10).join(lines))
    >>> _ = sweep.run(folder / "w.toml", folder / "w.h5")
    >>> res = sweep.load(folder / "w.h5")
    >>> res.complete, len(res.results)
    (True, 2)
    >>> ds = res.to_xarray()                        # swept and result axes become dimensions
    >>> dict(ds["conductance_G0"].sizes)
    {'width_atoms': 2, 'energies_eV': 2}
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or path-like), got {path!r:.80}")
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"path must be a sweep file, got the directory {str(path)!r}")
    state = checkpoint.scan(path)
    if state is None:
        raise FileNotFoundError(f"no sweep file {path}")
    points = list(state.points)
    where = {k: i for i, (_, k) in enumerate(points)}
    for r in sorted(state.rows.values(), key=lambda r: r.index):
        if r.key not in where:                 # adaptive points may only be in segments
            points += [("", "")] * (r.index + 1 - len(points))
            points[r.index] = (r.parameters, r.key)
            where[r.key] = r.index
    n = len(points)
    results: list[dict[str, np.ndarray]] = [{} for _ in range(n)]
    done, failed, errors = np.zeros(n, bool), np.zeros(n, bool), [""] * n
    warned: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    by_source: dict[str, list] = {}
    for r in state.rows.values():
        i = where[r.key]
        done[i], failed[i], errors[i] = True, not r.ok, r.error
        warned[i] = checkpoint.decode_warnings(r.warnings)
        by_source.setdefault(r.source, []).append(r)
    for source, rows in by_source.items():
        verify = checkpoint.Verifier(source, rows)
        with checkpoint._open_h5(Path(source), checkpoint._label(source)) as f:
            for name, part, values in checkpoint.read_rows(f, rows):
                verify.feed(name, part, values)
                for r, value in zip(part, values):
                    results[where[r.key]][name] = np.asarray(value)
        verify.finish()                        # a corrupted point is never returned
    finished = bool(state.sweep_attrs.get("finished", True))     # False: adaptive, unfinished
    try:
        grid = [str(n) for n in json.loads(state.sweep_attrs.get("grid", "[]"))]
        fixed = _from_json(state.sweep_attrs.get("params", "{}"))
    except (TypeError, ValueError, AttributeError):
        grid, fixed = [], {}
    return SweepResult(bool(done.all() and not failed.any() and finished),
                       [_from_json(p) if p else {} for p, _ in points], results, done, failed,
                       errors, str(state.sweep_attrs.get("kind", "")), state.attrs, grid, fixed,
                       warned)
