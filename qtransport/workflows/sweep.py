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

import hashlib
import itertools
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..infra import canonical_json
from ..results import Result, provenance
from . import checkpoint
from .catalog import get_model
from .checkpoint import Outcome
from .config import SweepConfig, check_checkpoint_seconds, load_config
from .executor import AgreedError, get_executor, guard

__all__ = ["run", "load", "SweepResult", "SweepSummary", "grid_points", "point_key",
           "point_seed", "seeded", "compute_point", "agreed", "open_output", "prepare", "finish",
           "load_config", "check_compatible", "describe_change", "output_path"]

log = logging.getLogger(__name__)
_MAX_BUFFER_BYTES = 16 << 20      # rank 0 commits a segment at this size at the latest


def point_key(params: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a point's parameters, ``seed`` excluded."""
    return hashlib.sha256(canonical_json({k: v for k, v in params.items() if k != "seed"})
                          .encode()).hexdigest()


def point_seed(root_seed: int, key: str) -> int:
    """A 63-bit seed for the point ``key``: ``SeedSequence(root_seed, spawn_key=key words)``.

    Notes
    -----
    The key's first 128 bits become the spawn key, so streams of different points are
    independent (NumPy's SeedSequence hashing) and the same on every rank.
    """
    words = tuple(int(key[i:i + 8], 16) for i in range(0, 32, 8))
    state = np.random.SeedSequence(root_seed, spawn_key=words).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1]))


def grid_points(cfg: SweepConfig) -> list[tuple[dict[str, Any], str]]:
    """``(parameters, key)`` of every grid point: defaults filled, per-point ``seed`` set.

    The cartesian product runs over ``cfg.grid`` in file order, the last key fastest. Two grid
    points with the same parameters (a value listed twice) are refused: a point is identified by
    its key, so each must be unique.
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


def seeded(cfg: SweepConfig, params: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``(params with the derived seed, key)``; a ``seed`` listed in the grid labels the key.

    The key hashes the parameters that differ from the model's defaults (see
    :meth:`~qtransport.registry.Model.non_default`).
    """
    label = {"grid_seed": params["seed"]} if "seed" in cfg.grid else {}
    model = get_model(cfg.model)
    # parameters at their default do not enter the key: spelling a default out, or a new
    # defaulted parameter added to the model, leaves every point's key (and seed) unchanged
    key = point_key({**model.non_default(params), **label})
    if model.takes_seed:
        params = {**params, "seed": point_seed(cfg.seed, key)}
    return params, key


def compute_point(model_name: str, params: dict[str, Any], index: int, key: str = "",
                  rank: int = 0) -> Outcome:
    """Evaluate one point; an exception becomes a failed :class:`Outcome` with its message."""
    text = canonical_json(params)
    key = key or point_key(params)
    t0 = time.perf_counter()
    try:
        value = get_model(model_name).function(**params)
        data = value.data if isinstance(value, Result) else dict(value)
        data = {k: np.asarray(v) for k, v in data.items()}
        return Outcome(index, text, key, True, data, "", time.perf_counter() - t0, rank)
    except Exception as exc:           # recorded in the file; the sweep goes on
        log.warning("point %d failed: %s: %s", index, type(exc).__name__, exc)
        return Outcome(index, text, key, False, {}, f"{type(exc).__name__}: {exc}",
                       time.perf_counter() - t0, rank)


@dataclass
class SweepSummary:
    """What a :func:`run` did (identical on every rank)."""

    output: str
    model: str
    n_points: int
    n_computed: int
    n_already_done: int
    n_failed: int
    seconds: float
    ranks: int
    complete: bool

    @property
    def points_per_s(self) -> float:
        return self.n_computed / self.seconds if self.seconds > 0 else float("nan")

    def line(self) -> str:
        """One human-readable line."""
        return (f"sweep {self.model}: {self.n_points} points ({self.n_computed} computed now, "
                f"{self.n_already_done} already done), {self.n_failed} failed, "
                f"{self.seconds:.1f} s wall, {self.points_per_s:.2f} points/s on {self.ranks} "
                f"rank(s) -> {self.output}")


class _Committer:
    """Rank 0's buffer of finished points; writes a segment every ``every_s`` seconds."""

    def __init__(self, output: str, config_hash: str, every_s: float,
                 progress: Callable[[Outcome], None] | None):
        self.output, self.hash, self.every_s = output, config_hash, every_s
        self.progress = progress
        self.buffer: list[Outcome] = []
        self.bytes = 0
        self.last = time.monotonic()
        self.n = 0

    def __call__(self, j: int, outcome: Outcome, rank: int) -> None:
        self.buffer.append(outcome)
        self.bytes += sum(np.asarray(v).nbytes for v in outcome.data.values())
        self.n += 1
        if self.progress:
            self.progress(outcome)
        if time.monotonic() - self.last >= self.every_s or self.bytes > _MAX_BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            checkpoint.write_segment(self.output, self.buffer, self.hash)
            self.buffer, self.bytes = [], 0
        self.last = time.monotonic()


def _sweep_attrs(cfg: SweepConfig) -> dict[str, Any]:
    return {"kind": cfg.model, "params": canonical_json(cfg.fixed),
            "config_hash": cfg.hash, "seed": cfg.seed,
            "mode": "adaptive" if cfg.adaptive else "grid",
            "grid": json.dumps(list(cfg.grid)),
            "adaptive": canonical_json(vars(cfg.adaptive) if cfg.adaptive else None)}


def _header(cfg: SweepConfig, state, command: str, size: int) -> dict[str, dict]:
    sweep_attrs = _sweep_attrs(cfg)
    if state is not None:
        attrs = dict(state.attrs)
        attrs["n_runs"] = int(attrs.get("n_runs", 1)) + 1
        attrs["mpi_size"] = size
        attrs["config"] = cfg.text              # a reordered/extended grid: the config now used
        if "finished" in state.sweep_attrs:
            sweep_attrs["finished"] = bool(state.sweep_attrs["finished"])
        return {"attrs": attrs, "sweep": sweep_attrs}
    attrs = provenance(cfg.text, command, size)
    attrs["n_runs"] = 1
    return {"attrs": attrs, "sweep": sweep_attrs}


def _value_sets(points: Sequence[tuple[str, str]]) -> dict[str, set[str]]:
    """Parameter name -> the set of its values (canonical JSON) over ``points``; seed excluded."""
    values: dict[str, set[str]] = {}
    for text, _ in points:
        if text:
            for name, v in json.loads(text).items():
                if name != "seed":
                    values.setdefault(name, set()).add(canonical_json(v))
    return values


def describe_change(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]) -> str:
    """Which parameter values of the ``old`` points are missing from the ``new`` ones (text)."""
    before, after = _value_sets(old), _value_sets(new)
    parts = []
    for name in sorted(before):
        gone = sorted(before[name] - after.get(name, set()))
        if gone and name in after and len(before[name]) == len(after[name]) == 1:
            parts.append(f"{name} changed from {gone[0]} to {next(iter(after[name]))}")
        elif gone:
            parts.append(f"{name} no longer has {', '.join(gone[:4])}"
                         f"{' ...' if len(gone) > 4 else ''}")
    return "; ".join(parts) or "the combination of grid values changed"


def check_compatible(output: str, cfg: SweepConfig, state, points=None) -> None:
    """Refuse to resume ``output`` with ``cfg`` unless every committed point keeps its meaning.

    The model, root seed and scan mode (and an adaptive scan's settings) must be those of the
    file. In a grid sweep committed points are matched to the new grid by their point key, so
    reordered keys or values and added values are fine; a committed point that is no longer in
    the grid (a removed value, a changed fixed value) is refused, naming the change.
    """
    if state is None or state.config_hash == cfg.hash:
        return
    old = state.sweep_attrs
    new = _sweep_attrs(cfg)
    for attr, what in (("kind", "sweep.model"), ("seed", "sweep.seed"), ("mode", "scan mode"),
                       ("adaptive", "sweep.adaptive")):
        if attr in old and str(old[attr]) != str(new[attr]):
            raise ValueError(f"output {output} was started with a different configuration "
                             f"({what} {old[attr]} in the file, {new[attr]} now); refusing to "
                             f"mix results: choose another --output or delete it")
    if cfg.adaptive is not None or points is None:
        raise ValueError(f"output {output} was started with a different configuration "
                         f"(hash {state.config_hash[:12]} in the file, {cfg.hash[:12]} now); "
                         f"refusing to mix results: choose another --output or delete it")
    keys = {k for _, k in points}
    lost = [r for r in state.rows.values() if r.key not in keys]
    if lost:
        raise ValueError(f"output {output} holds {len(lost)} committed point(s) that the new grid "
                         f"no longer contains ({describe_change(state.points, points)}); "
                         f"refusing to drop results: restore those values or choose another "
                         f"--output")
    log.info("output %s: grid reordered or extended; %d committed points matched by key",
             output, len(state.rows))


def _grid_columns(cfg: SweepConfig, points: Sequence[dict]) -> dict[str, np.ndarray]:
    names = [n for n in cfg.grid if np.ndim(points[0][n]) == 0 and points[0][n] is not None
             and not isinstance(points[0][n], str)] if points else []
    return {n: np.array([p[n] for p in points]) for n in names}


def open_output(output: str, cfg: SweepConfig, points=None):
    """Rank 0: take the run lock, drop a killed run's temporaries, check the configuration.

    Returns ``(lock, state)``; ``state`` is None for a new file. The lock is released on error.
    See :func:`check_compatible` for which configuration changes a resume accepts.
    """
    _make_folder(output)
    lock = checkpoint.RunLock(output).acquire()
    try:
        checkpoint.clean_temporaries(output)
        state = checkpoint.scan(output)
        check_compatible(output, cfg, state, points)
        return lock, state
    except BaseException:
        lock.release()
        raise


def prepare(output: str, cfg: SweepConfig, points: Sequence[tuple[str, str]], *,
            retry_failed: bool, command: str, size: int, grid=None):
    """Rank 0: open the output, compact it; return ``(lock, state, to-do indices)``.

    Committed points are found by their point key, so the to-do list is right for any order
    of the grid.
    """
    lock, state = open_output(output, cfg, points)
    try:
        checkpoint.assemble(output, _header(cfg, state, command, size), points, state, grid)
        state = checkpoint.scan(output)
        todo = [i for i, (_, k) in enumerate(points)
                if k not in state.rows or (retry_failed and not state.rows[k].ok)]
        return lock, state, todo
    except BaseException:
        lock.release()
        raise


def agreed(executor, make: Callable[[], Any]) -> Any:
    """Run ``make`` on rank 0; a user error there is raised on every rank as AgreedError.

    Returns ``make()``'s value on rank 0 and None elsewhere.
    """
    value, message = None, None
    if executor.is_root:
        try:
            value = make()
        except (ValueError, TypeError, OSError) as exc:
            message = str(exc)
    message = executor.bcast(message)
    if message is not None:
        raise AgreedError(message)
    return value


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
    every = cfg.checkpoint_seconds if checkpoint_seconds is None else \
        check_checkpoint_seconds(checkpoint_seconds, "checkpoint_seconds")
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
            sink = _Committer(output, cfg.hash, every, progress) if executor.is_root else None
            try:
                executor.map_unordered(
                    lambda j: compute_point(cfg.model, params[todo[j]], todo[j], keys[todo[j]],
                                            executor.rank),
                    len(todo), sink)
                if executor.is_root:
                    sink.flush()
                    summary = finish(output, cfg, points, len(todo), len(points) - len(todo),
                                     t0, executor.size, command, grid)
            except (ValueError, TypeError, OSError) as exc:
                if not executor.is_root:
                    raise
                error = _one_line(exc)     # disk full, read-only, corrupted segment: agreed
        finally:
            if executor.is_root:
                lock.release()
        executor.wait_all()
        summary, error = executor.bcast((summary, error))
        if error is not None:
            raise AgreedError(error)
        return summary


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` as one line (an unexpected OSError names its path and errno)."""
    if isinstance(exc, OSError) and not isinstance(exc, checkpoint.DiskError):
        return str(checkpoint.disk_error(exc.filename or "the output", exc))
    return " ".join(str(exc).split("\n"))


def output_path(output: str | os.PathLike) -> str:
    """Check the ``--output`` value and return it as an absolute path.

    It must be a non-empty file name (not a folder). A missing folder is created later, by
    rank 0, when the run starts.
    """
    if not isinstance(output, (str, os.PathLike)):
        raise TypeError(f"output must be a file path, got {output!r}")
    text = os.fspath(output)
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"output must be a file path such as results/sweep.h5, got {text!r}")
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        raise ValueError(f"output {text} is a folder; give a file name such as "
                         f"{os.path.join(text, 'sweep.h5')}")
    return os.path.abspath(text)


def _make_folder(output: str) -> None:
    folder = Path(output).parent
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise ValueError(f"output {output}: {folder} exists and is not a folder") from None
        except OSError as exc:
            raise checkpoint.disk_error(folder, exc, "create the folder") from None


def finish(output: str, cfg: SweepConfig, points, n_computed: int, n_before: int, t0: float,
           size: int, command: str, grid=None) -> SweepSummary:
    """Rank 0: assemble the final file from the header and the segments; summarize."""
    state = checkpoint.scan(output)
    header = _header(cfg, state, command, size)
    header["attrs"]["n_runs"] = int(state.attrs.get("n_runs", 1))   # same run, not a new one
    checkpoint.assemble(output, header, points, state, grid)
    state = checkpoint.scan(output)
    n_failed = sum(not r.ok for r in state.rows.values())
    return SweepSummary(output, cfg.model, len(points), n_computed, n_before, n_failed,
                        time.perf_counter() - t0, size, bool(state.sweep_attrs["complete"]))


@dataclass
class SweepResult:
    """A sweep file read back: parameters and results by point index.

    Attributes
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
    attrs : dict
        Root attributes (provenance).
    """

    complete: bool
    parameters: list[dict[str, Any]]
    results: list[dict[str, np.ndarray]]
    done: np.ndarray
    failed: np.ndarray
    errors: list[str]
    model: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def stack(self, name: str) -> np.ndarray:
        """Field ``name`` of every point stacked along axis 0 (NaN where missing)."""
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
    """
    path = Path(path)
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
    by_source: dict[str, list] = {}
    for r in state.rows.values():
        i = where[r.key]
        done[i], failed[i], errors[i] = True, not r.ok, r.error
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
    return SweepResult(bool(done.all() and not failed.any() and finished),
                       [_from_json(p) if p else {} for p, _ in points], results, done, failed,
                       errors, str(state.sweep_attrs.get("kind", "")), state.attrs)
