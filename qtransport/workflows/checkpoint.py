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
point into a new ``OUT.h5`` and the segments are deleted. The new file lists the segments it
absorbed (``/sweep/absorbed_segments``), so a kill between the replacement and the deletion
leaves segments that readers skip (and the next assembly deletes) instead of points committed
twice. Readers merge ``OUT.h5`` with any segments present, so an interrupted run reads as a
partial sweep.

Layout of group ``/sweep`` (N points; stacked fields are NaN/0 where ``done`` is False)::

    parameters (N,) str   canonical JSON of each point's full parameters (derived seed included)
    point_key  (N,) str   SHA-256 of the canonical JSON (without the seed)
    done, failed (N,) bool; error (N,) str; seconds (N,) float; rank (N,) int
    grid/<name> (N,)      swept scalar values, with ``units``
    absorbed_segments (M,) str   names of the segments merged into this file
    results/<field>       (N, ...) stacked; or a group of per-point datasets named by index
                          when the shapes differ between points
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..infra import atomic_path
from ..results import unit_of

__all__ = ["Outcome", "RunLock", "parts_dir", "write_segment", "scan", "assemble",
           "clean_temporaries", "GROUP"]

log = logging.getLogger(__name__)

GROUP = "sweep"
_STR = None  # h5py string dtype, set lazily
_CHUNK_BYTES = 1 << 16
#: stacked results are read in slices of at most this many bytes
READ_BYTES = 8 << 20


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


def _atomic_h5(path: Path, prefix: str, fill) -> None:
    """Write an HDF5 file with ``fill(h5file)`` atomically (:func:`qtransport.infra.atomic_path`:
    temporary named ``prefix*.h5`` in the same folder, fsync, rename, folder fsync)."""
    import h5py
    with atomic_path(path, prefix=prefix, suffix=".h5", make_dirs=False) as tmp:
        with h5py.File(tmp, "w") as f:
            fill(f)


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


#: dataset of /sweep naming the segments merged into this file (to skip if still on disk)
_ABSORBED = "absorbed_segments"
_META = (("parameters", "str"), ("point_key", "str"), ("error", "str"), ("done", bool),
         ("failed", bool), ("seconds", float), ("rank", np.int32))


def _write_meta(g, cols: dict[str, Sequence]) -> None:
    """Write the per-point bookkeeping columns in one go each."""
    for name, dtype in _META:
        if dtype == "str":
            g.create_dataset(name, data=np.array(list(cols[name]), dtype=object),
                             dtype=_str_dtype())
        else:
            g.create_dataset(name, data=np.asarray(cols[name], dtype=dtype).reshape(-1))
    g["seconds"].attrs["units"] = "s"


def _fill(dtype: np.dtype):
    return np.nan if dtype.kind in "fc" else 0


def _create_results(g, n: int, specs: dict[str, tuple | None]) -> None:
    res = g.create_group("results")
    for name, spec in specs.items():
        if spec is None:
            res.create_group(name).attrs["units"] = unit_of(name)
            continue
        shape, dtype = spec
        rows = max(1, min(n, _CHUNK_BYTES // max(1, dtype.itemsize * int(np.prod(shape)))))
        ds = res.create_dataset(name, shape=(n, *shape), dtype=dtype, fillvalue=_fill(dtype),
                                chunks=(rows, *shape) if n else None)
        ds.attrs["units"] = unit_of(name)


def _put(res, name: str, positions: np.ndarray, values, indices: np.ndarray) -> None:
    """Write rows ``values`` of field ``name`` at sorted ``positions`` (contiguous runs at once)."""
    obj = res[name]
    if not hasattr(obj, "shape"):                      # ragged: one dataset per point
        for index, value in zip(indices, values):
            obj.create_dataset(str(int(index)), data=value)
        return
    cuts = np.flatnonzero(np.diff(positions) != 1) + 1
    for lo, hi in zip(np.r_[0, cuts], np.r_[cuts, len(positions)]):
        if hi > lo:
            obj[positions[lo]:positions[hi - 1] + 1] = np.asarray(values[lo:hi])


def write_segment(output: str | os.PathLike, outcomes: Sequence[Outcome], config_hash: str) -> Path:
    """Commit ``outcomes`` as one immutable segment of ``output``; return its path."""
    folder = parts_dir(output)
    folder.mkdir(exist_ok=True)
    specs = _field_specs((k, np.shape(v), np.asarray(v).dtype)
                         for o in outcomes for k, v in o.data.items())

    def fill(f):
        f.attrs["config_hash"] = config_hash
        f.create_dataset("index", data=np.array([o.index for o in outcomes], dtype=np.int64))
        _write_meta(f, {"parameters": [o.parameters for o in outcomes],
                        "point_key": [o.key for o in outcomes],
                        "error": [o.error for o in outcomes], "done": [True] * len(outcomes),
                        "failed": [not o.ok for o in outcomes],
                        "seconds": [o.seconds for o in outcomes],
                        "rank": [o.rank for o in outcomes]})
        _create_results(f, len(outcomes), specs)
        for name in specs:
            rows = [(r, o) for r, o in enumerate(outcomes) if name in o.data]
            _put(f["results"], name, np.array([r for r, _ in rows], dtype=np.int64),
                 [o.data[name] for _, o in rows], np.array([o.index for _, o in rows]))

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
    rows: dict[str, Row]               # committed points by point key (never by index)
    specs: dict[str, tuple | None]
    segments: list[Path]               # every segment on disk (absorbed ones included)
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
    rows: dict[str, Row] = {}
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
        absorbed = set(g[_ABSORBED].asstr()[()]) if _ABSORBED in g else set()
    segments = sorted(parts_dir(out).glob("seg-*.h5")) if parts_dir(out).is_dir() else []
    for seg in segments:
        if seg.name in absorbed:       # already merged into OUT.h5; its deletion was cut short
            continue
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


def _merge(rows: dict[str, Row], block: list[Row]) -> None:
    for r in block:
        old = rows.get(r.key)
        if old is not None and old.ok and r.ok:
            raise ValueError(f"point {r.index} (key {r.key[:12]}) was committed twice "
                             f"({old.source}, {r.source}); two runs wrote the same output "
                             f"concurrently")
        rows[r.key] = r


def read_rows(f, rows: Sequence[Row], chunk_bytes: int = READ_BYTES):
    """Yield ``(field, rows, values)`` for the successful ``rows`` of the open source ``f``.

    Reads stacked fields in slices of at most ``chunk_bytes``, so memory stays bounded.
    """
    g = f[GROUP] if GROUP in f else f
    ok = sorted((r for r in rows if r.ok), key=lambda r: r.row)
    for name, obj in g["results"].items():
        row_bytes = obj.dtype.itemsize * int(np.prod(obj.shape[1:])) if hasattr(obj, "shape") \
            else 1
        chunk = max(1, min(4096, chunk_bytes // max(1, row_bytes)))
        for start in range(0, len(ok), chunk):
            part = ok[start:start + chunk]
            if hasattr(obj, "shape"):
                lo, hi = part[0].row, part[-1].row + 1
                block = obj[lo:hi]
                yield name, part, [block[r.row - lo] for r in part]
            else:
                have = [r for r in part if str(r.index) in obj]
                yield name, have, [obj[str(r.index)][()] for r in have]


def read_data(f, row: Row) -> dict[str, np.ndarray]:
    """The result arrays of one ``row`` from its open source file ``f``."""
    return {name: values[0] for name, _, values in read_rows(f, [row]) if values}


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
    n = len(points)
    target = {k: i for i, (_, k) in enumerate(points)}    # point key -> index in the new file
    rows = list(state.rows.values()) if state else []
    lost = [r for r in rows if r.key not in target]
    if lost:                  # a caller bug if it gets here: sweep refuses such changes first
        raise ValueError(f"refusing to assemble {out}: {len(lost)} committed point(s) (first: "
                         f"point {lost[0].index} of {lost[0].source}) are not in the new list "
                         f"of points and would be lost")
    done = sorted(rows, key=lambda r: target[r.key])
    specs = dict(state.specs) if state else {}

    def fill(f):
        f.attrs.update(header["attrs"])
        g = f.create_group(GROUP)
        g.attrs.update(header["sweep"])
        g.attrs["n_points"] = n
        g.attrs["n_done"] = len(done)
        g.attrs["n_failed"] = sum(not r.ok for r in done)
        # an adaptive scan lists only the points asked so far: it is complete once it stopped
        g.attrs["complete"] = (len(done) == n and all(r.ok for r in done)
                               and bool(header["sweep"].get("finished", True)))
        cols = {"parameters": [p for p, _ in points], "point_key": [k for _, k in points],
                "error": [""] * n, "done": np.zeros(n, bool), "failed": np.zeros(n, bool),
                "seconds": np.zeros(n), "rank": np.zeros(n, np.int32)}
        for r in done:
            i = target[r.key]
            cols["error"][i] = r.error
            cols["done"][i], cols["failed"][i] = True, not r.ok
            cols["seconds"][i], cols["rank"][i] = r.seconds, r.rank
        _write_meta(g, cols)
        g.create_dataset(_ABSORBED, data=np.array([seg.name for seg in (state.segments if state
                                                                        else [])], dtype=object),
                         dtype=_str_dtype())
        for name, values in (grid or {}).items():
            g.create_dataset(f"grid/{name}", data=values).attrs["units"] = unit_of(name)
        _create_results(g, n, specs)
        by_source: dict[str, list[Row]] = {}
        for r in done:
            by_source.setdefault(r.source, []).append(r)
        for source, source_rows in by_source.items():
            with h5py.File(source, "r") as src:
                for name, part, values in read_rows(src, source_rows):
                    dest = [target[r.key] for r in part]
                    order = np.argsort(dest, kind="stable")
                    idx = np.array([dest[i] for i in order], dtype=np.int64)
                    _put(g["results"], name, idx, [values[i] for i in order], idx)

    _atomic_h5(out, _tmp_prefix(out), fill)
    for seg in state.segments if state else []:
        seg.unlink(missing_ok=True)
    if state and state.segments:
        try:
            parts_dir(out).rmdir()
        except OSError:
            pass
    log.debug("assembled %s: %d of %d points", out, len(done), n)
