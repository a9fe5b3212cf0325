"""What both scan modes of a sweep share: point keys and seeds, computing a point, the rank-0
committer, the file header, resume checks, the output path and rank-0 errors agreed by all ranks.

:mod:`~qtransport.workflows.sweep` (grids, :func:`~qtransport.workflows.sweep.run`,
:func:`~qtransport.workflows.sweep.load`) and :mod:`~qtransport.workflows.adaptive_scan` (the
adaptive 1-D scan) both build on this module; neither imports the other's internals, so there is
no import cycle. :mod:`~qtransport.workflows.sweep` re-exports every public name.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..infra import canonical_json, captured_warnings, warning_pairs
from ..results import Result, provenance
from . import checkpoint
from .catalog import get_model
from .checkpoint import Outcome
from .config import SweepConfig
from .executor import AgreedError

__all__ = ["point_key", "point_seed", "seeded", "compute_point", "SweepSummary", "agreed",
           "Committer", "run_header", "one_line", "agreed_outcome", "warned_points",
           "open_output", "check_compatible", "describe_change", "output_path"]

log = logging.getLogger("qtransport.workflows.sweep")     # the messages of a sweep, one logger
_MAX_BUFFER_BYTES = 16 << 20      # rank 0 commits a segment at this size at the latest


def point_key(params: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a point's parameters, ``seed`` excluded.

    Parameters
    ----------
    params : dict of str to object
        The point's parameters.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    return hashlib.sha256(canonical_json({k: v for k, v in params.items() if k != "seed"})
                          .encode()).hexdigest()


def point_seed(root_seed: int, key: str) -> int:
    """A 63-bit seed for the point ``key``: ``SeedSequence(root_seed, spawn_key=key words)``.

    Parameters
    ----------
    root_seed : int
        The sweep's root seed.
    key : str
        The point key (hexadecimal, ≥ 32 characters).

    Returns
    -------
    int
        The seed, 0 ≤ seed < 2⁶³.

    Notes
    -----
    The key's first 128 bits become the spawn key, so streams of different points are
    independent (NumPy's SeedSequence hashing) and the same on every rank.
    """
    words = tuple(int(key[i:i + 8], 16) for i in range(0, 32, 8))
    state = np.random.SeedSequence(root_seed, spawn_key=words).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1]))


def seeded(cfg: SweepConfig, params: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``(params with the derived seed, key)``; a ``seed`` listed in the grid labels the key.

    The key hashes the parameters that differ from the model's defaults (see
    :meth:`~qtransport.registry.Model.non_default`).

    Parameters
    ----------
    cfg : SweepConfig
        The validated sweep.
    params : dict of str to object
        The point's validated parameters.

    Returns
    -------
    params : dict of str to object
        The parameters with ``seed`` replaced by the derived one (when the model takes a seed).
    key : str
        The point key.
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
    """Evaluate one point; an exception becomes a failed :class:`Outcome` with its message.

    Every Python warning the call raises (an :class:`~qtransport.AccuracyWarning`, say) is
    recorded in the outcome — category name and message, each pair once — on whichever rank
    computes the point, failed or not. Inside the call every warning is caught whatever the
    process's warning filters say (they would show a repeated warning once per process, or
    turn it into an error, so the record would depend on which rank computed what before;
    :func:`~qtransport.infra.captured_warnings`): the same point records the same warnings
    serially and under MPI. They are logged at INFO.

    Parameters
    ----------
    model_name : str
        Registered model name.
    params : dict of str to object
        The point's parameters.
    index : int
        The point's index in the sweep.
    key : str, optional
        The point key (default: :func:`point_key` of ``params``).
    rank : int, optional
        MPI rank computing it (recorded).

    Returns
    -------
    Outcome
        Data, error, timing and warnings of the point.
    """
    text = canonical_json(params)
    key = key or point_key(params)
    t0 = time.perf_counter()
    with captured_warnings() as caught:
        try:
            value = get_model(model_name).function(**params)
            data = value.data if isinstance(value, Result) else dict(value)
            data = {k: np.asarray(v) for k, v in data.items()}
            ok, error = True, ""
        except Exception as exc:           # recorded in the file; the sweep goes on
            log.warning("point %d failed: %s: %s", index, type(exc).__name__, exc)
            data, ok, error = {}, False, f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - t0
    pairs = warning_pairs(caught)
    for category, message in dict.fromkeys(pairs):
        log.info("point %d warned: %s: %s", index, category, message)
    return Outcome(index, text, key, ok, data, error, seconds, rank,
                   checkpoint.encode_warnings(pairs))


def warned_points(rows) -> dict[str, int]:
    """Warning category → number of points (rows or outcomes with ``warnings``) that raised it.

    Parameters
    ----------
    rows : iterable
        Committed rows or outcomes (their ``warnings`` text).

    Returns
    -------
    dict of str to int
        Sorted by category.
    """
    counts: dict[str, int] = {}
    for r in rows:
        for category in dict.fromkeys(c for c, _ in checkpoint.decode_warnings(r.warnings)):
            counts[category] = counts.get(category, 0) + 1
    return dict(sorted(counts.items()))


@dataclass
class SweepSummary:
    """What a :func:`run` did (identical on every rank).

    Parameters
    ----------
    output : str
        The sweep file.
    model : str
        Registered model name.
    n_points : int
        Points of the sweep.
    n_computed : int
        Points computed by this run.
    n_already_done : int
        Points committed before it.
    n_failed : int
        Points whose call raised.
    seconds : float
        Wall time of the run, s.
    ranks : int
        MPI ranks.
    complete : bool
        Every point computed without error (adaptive: and the scan finished).
    warned : dict of str to int, optional
        Warning category → points of the file that raised it (:func:`warned_points`).
    """

    output: str
    model: str
    n_points: int
    n_computed: int
    n_already_done: int
    n_failed: int
    seconds: float
    ranks: int
    complete: bool
    #: warning category → points of the file that raised it (see :func:`warned_points`)
    warned: dict[str, int] = field(default_factory=dict)

    @property
    def points_per_s(self) -> float:
        """Points computed per second of wall time (NaN for a zero-length run)."""
        return self.n_computed / self.seconds if self.seconds > 0 else float("nan")

    def line(self) -> str:
        """One human-readable line.

        Returns
        -------
        str
            The line.
        """
        return (f"sweep {self.model}: {self.n_points} points ({self.n_computed} computed now, "
                f"{self.n_already_done} already done), {self.n_failed} failed, "
                f"{self.seconds:.2f} s wall, {self.points_per_s:.2f} points/s on {self.ranks} "
                f"rank(s) -> {self.output}")

    def warnings_line(self) -> str:
        """One line on the points that raised warnings (``""`` when none did).

        Returns
        -------
        str
            The line, or ``""``.
        """
        if not self.warned:
            return ""
        parts = [f"{n} point{'s' if n != 1 else ''} raised {c}" for c, n in self.warned.items()]
        return f"{'; '.join(parts)}; see {self.output}:/{checkpoint.GROUP}/warnings"


class Committer:
    """A buffer of finished points; writes a segment every ``every_s`` seconds.

    Rank 0's single writer in a serial run (and an adaptive scan); under MPI every rank has
    its own (``writer`` = its rank), see :func:`~qtransport.workflows.sweep.run`.

    Parameters
    ----------
    output : str
        The sweep file.
    config_hash : str
        Hash of the sweep's configuration (stored with every segment).
    every_s : float
        Commit interval, s.
    progress : callable or None
        Called with every finished :class:`Outcome`.
    writer : int, optional
        This writer's index (its rank under MPI).
    """

    def __init__(self, output: str, config_hash: str, every_s: float,
                 progress: Callable[[Outcome], None] | None, writer: int = 0):
        self.output, self.hash, self.every_s, self.writer = output, config_hash, every_s, writer
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
        """Write the buffered points as one segment now (nothing when the buffer is empty)."""
        if self.buffer:
            checkpoint.write_segment(self.output, self.buffer, self.hash, self.writer)
            self.buffer, self.bytes = [], 0
        self.last = time.monotonic()


def _sweep_attrs(cfg: SweepConfig) -> dict[str, Any]:
    return {"kind": cfg.model, "params": canonical_json(cfg.fixed),
            "config_hash": cfg.hash, "seed": cfg.seed,
            "mode": "adaptive" if cfg.adaptive else "grid",
            "grid": json.dumps(list(cfg.grid)),
            "adaptive": canonical_json(vars(cfg.adaptive) if cfg.adaptive else None)}


def run_header(cfg: SweepConfig, state, command: str, size: int) -> dict[str, dict]:
    """The root and sweep attributes of the output for this run.

    Parameters
    ----------
    cfg : SweepConfig
        The validated sweep.
    state : object or None
        The scanned file state of a resumed run (None: a new file).
    command : str
        Command line stored for provenance.
    size : int
        Number of MPI ranks.

    Returns
    -------
    dict of str to dict
        ``{"attrs": root attributes, "sweep": sweep-group attributes}``.
    """
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
    """Which parameter values of the ``old`` points are missing from the ``new`` ones (text).

    Parameters
    ----------
    old : sequence of (str, str)
        Canonical parameters and key of the committed points.
    new : sequence of (str, str)
        Those of the new grid.

    Returns
    -------
    str
        A description such as ``"width_atoms no longer has 5"``.
    """
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

    Parameters
    ----------
    output : str
        The sweep file (for the messages).
    cfg : SweepConfig
        The validated sweep.
    state : object or None
        The scanned file state (None: a new file, always compatible).
    points : sequence of (str, str), optional
        Canonical parameters and key of the new grid's points.

    Raises
    ------
    ValueError
        An incompatible change.
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


def open_output(output: str, cfg: SweepConfig, points=None):
    """Rank 0: take the run lock, drop a killed run's temporaries, check the configuration.

    Returns ``(lock, state)``; ``state`` is None for a new file. The lock is released on error.
    See :func:`check_compatible` for which configuration changes a resume accepts.

    Parameters
    ----------
    output : str
        The sweep file.
    cfg : SweepConfig
        The validated sweep.
    points : sequence of (str, str), optional
        The new grid's points (see :func:`check_compatible`).

    Returns
    -------
    lock : RunLock
        The held run lock.
    state : object or None
        The scanned file state.
    """
    _make_folder(output)
    lock = checkpoint.RunLock(output).acquire()
    try:
        checkpoint.check_no_writers(output)     # no orphaned rank of a killed run still writes
        checkpoint.clean_temporaries(output)
        state = checkpoint.scan(output)
        check_compatible(output, cfg, state, points)
        return lock, state
    except BaseException:
        lock.release()
        raise


def agreed(executor, make: Callable[[], Any]) -> Any:
    """Run ``make`` on rank 0; a user error there is raised on every rank as AgreedError.

    Returns ``make()``'s value on rank 0 and None elsewhere.

    Parameters
    ----------
    executor : SerialExecutor or MPIExecutor
        The run's executor.
    make : callable
        Called without arguments on rank 0.

    Returns
    -------
    object
        ``make()`` on rank 0, None elsewhere.

    Raises
    ------
    AgreedError
        ``make`` raised ValueError, TypeError or OSError on rank 0.
    """
    value, message = None, None
    if executor.is_root:
        try:
            value = make()
        except (ValueError, TypeError, OSError) as exc:
            message = one_line(exc)
    message = executor.bcast(message)
    if message is not None:
        raise AgreedError(message)
    return value


def agreed_outcome(executor, summary: Any, error: str | None) -> Any:
    """End of a sweep on every rank: wait for all, share rank 0's ``(summary, error)``, and raise
    the error (one line, :func:`one_line`) everywhere as AgreedError, else return the summary.

    Parameters
    ----------
    executor : SerialExecutor or MPIExecutor
        The run's executor.
    summary : object
        Rank 0's summary.
    error : str or None
        Rank 0's error message.

    Returns
    -------
    object
        The summary, on every rank.

    Raises
    ------
    AgreedError
        Rank 0 reported an error.
    """
    executor.wait_all()
    summary, error = executor.bcast((summary, error))
    if error is not None:
        raise AgreedError(error)
    return summary


def one_line(exc: BaseException) -> str:
    """The message of ``exc`` as one line (an unexpected OSError names its path and errno).

    Parameters
    ----------
    exc : BaseException
        The exception.

    Returns
    -------
    str
        The message without line breaks.
    """
    if isinstance(exc, OSError) and not isinstance(exc, checkpoint.DiskError):
        return str(checkpoint.disk_error(exc.filename or "the output", exc))
    return " ".join(str(exc).split("\n"))


def output_path(output: str | os.PathLike) -> str:
    """Check the ``--output`` value and return it as an absolute path.

    It must be a non-empty file name (not a folder). A missing folder is created later, by
    rank 0, when the run starts.

    Parameters
    ----------
    output : str or os.PathLike
        The given output.

    Returns
    -------
    str
        The absolute path.

    Raises
    ------
    TypeError
        Not a path.
    ValueError
        An empty path or a folder.
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
