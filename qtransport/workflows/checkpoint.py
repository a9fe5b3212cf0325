"""Crash-safe sweep files: a run lock, immutable checkpoint segments, atomic assembly.

A sweep writing ``OUT.h5`` keeps three things next to it:

``OUT.h5``
    Only ever replaced atomically (temporary file, ``fsync``, ``os.replace``): at any moment it
    is a complete, readable HDF5 file — the header written at the start, or the last assembly.
``OUT.h5.parts/seg-<time>-<n>.h5``
    Immutable segments, one per checkpoint, each written the same atomic way. A SIGKILL loses
    at most the points computed since the last segment; it never leaves a half-written file
    under a final name (HDF5 itself promises no crash safety, so files are never edited in
    place).
``OUT.h5.lock``
    ``fcntl.flock`` run lock, released by the kernel when its holder dies; a second run on the
    same output is refused instead of committing the same points twice.

At the end (and on resume) the header, the old ``OUT.h5`` and the segments are merged point by
point into a new ``OUT.h5`` and the segments are deleted. Readers merge ``OUT.h5`` with any
segments present, so an interrupted run reads as a partial sweep.

Layout of group ``/sweep`` (N points; stacked fields are NaN/0 where ``done`` is False)::

    parameters (N,) str   canonical JSON of each point's full parameters (derived seed included)
    point_key  (N,) str   SHA-256 of the canonical JSON (without the seed)
    done, failed (N,) bool; error (N,) str; seconds (N,) float; rank (N,) int
    grid/<name> (N,)      swept scalar values, with ``units``
    results/<field>       (N, ...) stacked; or a group of per-point datasets named by index
                          when the shapes differ between points
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..results import unit_of

__all__ = ["Outcome", "RunLock", "parts_dir", "write_segment", "scan", "assemble",
           "clean_temporaries", "GROUP"]

log = logging.getLogger(__name__)

GROUP = "sweep"
_STR = None  # h5py string dtype, set lazily
_CHUNK_BYTES = 1 << 16


def _str_dtype():
    global _STR
    if _STR is None:
        import h5py
        _STR = h5py.string_dtype()
    return _STR


@dataclass
class Outcome:
    """What one point produced: its data, or the error message of a failed call."""

    index: int
    parameters: str
    key: str
    ok: bool
    data: dict[str, np.ndarray] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    rank: int = 0


def parts_dir(path: str | os.PathLike) -> Path:
    """The folder holding the checkpoint segments of output ``path``."""
    return Path(os.fspath(path) + ".parts")


class RunLock:
    """Exclusive, non-blocking ``flock`` on ``<output>.lock``; the kernel frees it on death.

    Raises ValueError naming the output when another live process holds it.
    """

    def __init__(self, output: str | os.PathLike):
        self.output = os.fspath(output)
        self.path = self.output + ".lock"
        self.fd: int | None = None

    def acquire(self) -> "RunLock":
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                raise ValueError(f"output {self.output} is being written by another running "
                                 f"sweep (lock {self.path} is held); wait for it to finish or "
                                 f"choose another --output") from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:       # not a lock file that its previous holder unlinked meanwhile
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.uname().nodename} pid {os.getpid()}\n".encode())
                self.fd = fd
                return self
            os.close(fd)

    def release(self) -> None:
        if self.fd is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _tmp_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


def clean_temporaries(output: str | os.PathLike) -> int:
    """Delete temporaries of ``output`` and its segments left by a killed run (hold the lock)."""
    out = Path(output)
    n = 0
    for folder, prefix in ((out.parent, _tmp_prefix(out)), (parts_dir(out), ".seg-")):
        if folder.is_dir():
            for p in folder.glob(prefix + "*"):
                p.unlink(missing_ok=True)
                n += 1
    return n


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _atomic_h5(path: Path, prefix: str, fill) -> None:
    """Write an HDF5 file with ``fill(h5file)`` to a temporary, fsync it, rename it to ``path``."""
    import h5py
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".h5", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        with h5py.File(tmp, "w") as f:
            fill(f)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# ----------------------------------------------------------------------------- columns
def _field_specs(items: Iterable[tuple[str, tuple, np.dtype]]) -> dict[str, tuple | None]:
    """name → (shape, dtype) when every point agrees, None (ragged) otherwise."""
    specs: dict[str, tuple | None] = {}
    for name, shape, dtype in items:
        spec = (tuple(shape), np.dtype(dtype))
        if name not in specs:
            specs[name] = spec
        elif specs[name] != spec:
            specs[name] = None
    return specs


def _create_columns(g, n: int, specs: dict[str, tuple | None]) -> None:
    s = _str_dtype()
    for name, dtype in (("parameters", s), ("point_key", s), ("error", s), ("done", bool),
                        ("failed", bool), ("seconds", float), ("rank", np.int32)):
        g.create_dataset(name, shape=(n,), dtype=dtype)
    g["seconds"].attrs["units"] = "s"
    res = g.create_group("results")
    for name, spec in specs.items():
        if spec is None:
            res.create_group(name).attrs["units"] = unit_of(name)
            continue
        shape, dtype = spec
        fill = np.nan if dtype.kind in "fc" else 0
        rows = max(1, min(n, _CHUNK_BYTES // max(1, dtype.itemsize * int(np.prod(shape)))))
        ds = res.create_dataset(name, shape=(n, *shape), dtype=dtype, fillvalue=fill,
                                chunks=(rows, *shape) if n else None)
        ds.attrs["units"] = unit_of(name)


def _write_row(g, row: int, o: Outcome, specs: dict[str, tuple | None]) -> None:
    g["parameters"][row] = o.parameters
    g["point_key"][row] = o.key
    g["done"][row] = True
    g["failed"][row] = not o.ok
    g["error"][row] = o.error
    g["seconds"][row] = o.seconds
    g["rank"][row] = o.rank
    for name, value in o.data.items():
        if specs[name] is None:
            g["results"][name].create_dataset(str(o.index), data=value)
        else:
            g["results"][name][row] = value


def write_segment(output: str | os.PathLike, outcomes: Sequence[Outcome], config_hash: str) -> Path:
    """Commit ``outcomes`` as one immutable segment of ``output``; return its path."""
    folder = parts_dir(output)
    folder.mkdir(exist_ok=True)
    specs = _field_specs((k, np.shape(v), np.asarray(v).dtype)
                         for o in outcomes for k, v in o.data.items())

    def fill(f):
        f.attrs["config_hash"] = config_hash
        f.create_dataset("index", data=np.array([o.index for o in outcomes], dtype=np.int64))
        _create_columns(f, len(outcomes), specs)
        for row, o in enumerate(outcomes):
            _write_row(f, row, o, specs)

    path = folder / f"seg-{time.time_ns():020d}-{os.getpid()}.h5"
    _atomic_h5(path, ".seg-", fill)
    return path


# ----------------------------------------------------------------------------- reading
@dataclass
class Row:
    """Where a committed point lives: file, row within its block, and its metadata."""

    source: str
    row: int
    index: int
    parameters: str
    key: str
    ok: bool
    error: str
    seconds: float
    rank: int


def _block_rows(source: str, g, index: np.ndarray) -> list[Row]:
    cols = {n: g[n][()] for n in ("done", "failed", "seconds", "rank")}
    params = g["parameters"].asstr()[()]
    keys = g["point_key"].asstr()[()]
    errors = g["error"].asstr()[()]
    return [Row(source, r, int(index[r]), params[r], keys[r], not cols["failed"][r], errors[r],
                float(cols["seconds"][r]), int(cols["rank"][r]))
            for r in range(len(index)) if cols["done"][r]]


def _block_specs(g, rows: list[Row]):
    res = g["results"]
    for name, obj in res.items():
        if hasattr(obj, "shape"):
            if any(r.ok for r in rows):
                yield name, obj.shape[1:], obj.dtype
        else:
            for r in rows:
                if str(r.index) in obj:
                    yield name, obj[str(r.index)].shape, obj[str(r.index)].dtype


@dataclass
class State:
    """Everything committed so far for one output: header attributes, rows, field specs."""

    attrs: dict[str, Any]
    sweep_attrs: dict[str, Any]
    n_points: int
    rows: dict[int, Row]
    specs: dict[str, tuple | None]
    segments: list[Path]
    points: list[tuple[str, str]]      # (parameters JSON, key) per index, from the header

    @property
    def config_hash(self) -> str:
        return str(self.sweep_attrs.get("config_hash", ""))


def scan(output: str | os.PathLike) -> State | None:
    """Read what ``output`` and its segments hold (metadata only); None if there is no file.

    Later sources win over earlier ones (a retried point replaces its failure); a point
    committed twice with a result is reported as an error — it would mean a lost lock.
    """
    import h5py
    out = Path(output)
    if not out.exists():
        return None
    rows: dict[int, Row] = {}
    spec_items: list = []
    with h5py.File(out, "r") as f:
        if GROUP not in f:
            raise ValueError(f"{out} is not a qtransport sweep file (no /{GROUP} group)")
        g = f[GROUP]
        attrs, sweep_attrs = dict(f.attrs), dict(g.attrs)
        n = int(g.attrs["n_points"])
        points = list(zip(g["parameters"].asstr()[()], g["point_key"].asstr()[()]))
        block = _block_rows(str(out), g, np.arange(n))
        spec_items += list(_block_specs(g, block))
        _merge(rows, block)
    segments = sorted(parts_dir(out).glob("seg-*.h5")) if parts_dir(out).is_dir() else []
    for seg in segments:
        try:
            with h5py.File(seg, "r") as f:
                if f.attrs["config_hash"] != sweep_attrs["config_hash"]:
                    raise ValueError(f"checkpoint segment {seg} belongs to another configuration")
                block = _block_rows(str(seg), f, f["index"][()])
                spec_items += list(_block_specs(f, block))
                _merge(rows, block)
        except OSError as exc:
            raise ValueError(f"checkpoint segment {seg} is unreadable ({exc}); delete it to "
                             f"recompute its points") from None
    return State(attrs, sweep_attrs, n, rows, _field_specs(spec_items), segments, points)


def _merge(rows: dict[int, Row], block: list[Row]) -> None:
    for r in block:
        old = rows.get(r.index)
        if old is not None and old.ok and r.ok:
            raise ValueError(f"point {r.index} was committed twice ({old.source}, {r.source}); "
                             f"two runs wrote the same output concurrently")
        rows[r.index] = r


def read_data(f, row: Row) -> dict[str, np.ndarray]:
    """The result arrays of ``row`` from its open source file ``f``."""
    g = f[GROUP] if GROUP in f else f
    data = {}
    for name, obj in g["results"].items():
        if hasattr(obj, "shape"):
            data[name] = obj[row.row]
        elif str(row.index) in obj:
            data[name] = obj[str(row.index)][()]
    return data


# ----------------------------------------------------------------------------- assembly
def assemble(output: str | os.PathLike, header: dict[str, Any], points: Sequence[tuple[str, str]],
             state: State | None, grid: dict[str, np.ndarray] | None = None) -> None:
    """Write a new ``output`` from the header and every committed point; drop the segments.

    Parameters
    ----------
    output : path-like
        The sweep file, replaced atomically.
    header : dict
        ``{"attrs": root attributes, "sweep": attributes of /sweep}``.
    points : sequence of (parameters JSON, key)
        One entry per point index.
    state : State or None
        From :func:`scan` (None for a new file).
    grid : dict of str → ndarray, optional
        Swept scalar parameters by point (written to ``/sweep/grid`` with units).
    """
    import h5py
    out = Path(output)
    rows = dict(state.rows) if state else {}
    specs = dict(state.specs) if state else {}
    n = len(points)

    def fill(f):
        f.attrs.update(header["attrs"])
        g = f.create_group(GROUP)
        g.attrs.update(header["sweep"])
        done = [r for r in rows.values() if r.index < n]
        g.attrs["n_points"] = n
        g.attrs["n_done"] = len(done)
        g.attrs["n_failed"] = sum(not r.ok for r in done)
        g.attrs["complete"] = len(done) == n and all(r.ok for r in done)
        _create_columns(g, n, specs)
        g["parameters"][:] = [p for p, _ in points] if n else []
        g["point_key"][:] = [k for _, k in points] if n else []
        for name, values in (grid or {}).items():
            g.create_dataset(f"grid/{name}", data=values).attrs["units"] = unit_of(name)
        by_source: dict[str, list[Row]] = {}
        for r in done:
            by_source.setdefault(r.source, []).append(r)
        for source, source_rows in by_source.items():
            with h5py.File(source, "r") as src:
                for r in source_rows:
                    o = Outcome(r.index, r.parameters, r.key, r.ok, read_data(src, r), r.error,
                                r.seconds, r.rank)
                    _write_row(g, r.index, o, specs)

    _atomic_h5(out, _tmp_prefix(out), fill)
    for seg in state.segments if state else []:
        seg.unlink(missing_ok=True)
    if state and state.segments:
        try:
            parts_dir(out).rmdir()
        except OSError:
            pass
    log.debug("assembled %s: %d of %d points", out, len(rows), n)
