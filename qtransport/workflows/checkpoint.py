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
    warnings   (N,) str   the Python warnings the point's model call raised: canonical JSON of
                          ``[[category name, message], ...]`` (each pair once, in the order first
                          raised), ``""`` for none; covered by ``point_sha256``
    grid/<name> (N,)      swept scalar values, with ``units``
    absorbed_segments (M,) str   names of the segments merged into this file
    results/<field>       (N, ...) stacked; or a group of per-point datasets named by index
                          when the shapes differ between points
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..errors import DiskError
from ..infra import atomic_path
from ..results import unit_of

__all__ = ["Outcome", "RunLock", "WriterLock", "check_no_writers", "remove_writers_file",
           "writers_path", "parts_dir", "write_segment", "scan", "assemble",
           "clean_temporaries", "GROUP", "DiskError", "disk_error", "Verifier", "field_digest",
           "point_digest", "payload_digest", "free_bytes", "merged_size", "encode_warnings",
           "decode_warnings"]

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
    """What one point produced: its data, or the error message of a failed call, and the
    warnings the call raised (:func:`encode_warnings` text, ``""`` for none).

    Parameters
    ----------
    index : int
        The point's index in the sweep.
    parameters : str
        Its parameters as canonical JSON.
    key : str
        Its point key.
    ok : bool
        The model call succeeded.
    data : dict of str to numpy.ndarray, optional
        Result fields (units in the names).
    error : str, optional
        Error message of a failed call.
    seconds : float, optional
        Wall time of the call, s.
    rank : int, optional
        MPI rank that computed it.
    warnings : str, optional
        :func:`encode_warnings` text of the warnings raised.
    """

    index: int
    parameters: str
    key: str
    ok: bool
    data: dict[str, np.ndarray] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0
    rank: int = 0
    warnings: str = ""


#: distinct messages of one warning category kept per point; the rest are counted in one entry
MAX_WARNINGS_PER_CATEGORY = 20


def encode_warnings(pairs: Iterable[tuple[str, str]]) -> str:
    """One point's warnings as stored: canonical JSON ``[[category, message], ...]``, each pair
    once in the order first raised; ``""`` when there are none.

    A model that warns once per energy or per iteration can raise thousands of distinct
    messages: past :data:`MAX_WARNINGS_PER_CATEGORY` of one category the others are counted in
    a last entry of that category, ``"... and N more distinct <category> messages"``.

    Parameters
    ----------
    pairs : iterable of (str, str)
        (category name, message) of every warning raised.

    Returns
    -------
    str
        JSON text, or ``""``.

    Examples
    --------
    >>> encode_warnings([("AccuracyWarning", "x"), ("AccuracyWarning", "x")])
    '[["AccuracyWarning","x"]]'
    """
    kept: list[list[str]] = []
    seen: set[tuple[str, str]] = set()
    per: dict[str, int] = {}
    more: dict[str, int] = {}
    for category, message in pairs:
        pair = (str(category), str(message))
        if pair in seen:
            continue
        seen.add(pair)
        if per.get(pair[0], 0) < MAX_WARNINGS_PER_CATEGORY:
            per[pair[0]] = per.get(pair[0], 0) + 1
            kept.append(list(pair))
        else:
            more[pair[0]] = more.get(pair[0], 0) + 1
    kept += [[c, f"... and {n} more distinct {c} messages"] for c, n in more.items()]
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":")) if kept else ""


def decode_warnings(text: str) -> list[tuple[str, str]]:
    """The ``(category, message)`` pairs of :func:`encode_warnings` text (``[]`` for ``""``).

    Parameters
    ----------
    text : str
        :func:`encode_warnings` text.

    Returns
    -------
    list of (str, str)
        The pairs.

    Examples
    --------
    >>> decode_warnings('[["UserWarning","m"]]')
    [('UserWarning', 'm')]
    """
    return [(str(c), str(m)) for c, m in json.loads(text)] if text else []


def parts_dir(path: str | os.PathLike) -> Path:
    """The folder holding the checkpoint segments of output ``path``.

    Parameters
    ----------
    path : str or os.PathLike
        The sweep file.

    Returns
    -------
    pathlib.Path
        ``<path>.parts``.
    """
    return Path(os.fspath(path) + ".parts")


class RunLock:
    """Exclusive, non-blocking ``flock`` on ``<output>.lock``; the kernel frees it on death.

    Raises ValueError naming the output when another live process holds it.

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.
    """

    def __init__(self, output: str | os.PathLike):
        self.output = os.fspath(output)
        self.path = self.output + ".lock"
        self.fd: int | None = None

    def acquire(self) -> "RunLock":
        """Take the lock (creating ``<output>.lock``); record host and pid in it.

        Returns
        -------
        RunLock
            ``self``.

        Raises
        ------
        ValueError
            Another live process holds the lock.
        DiskError
            The lock file cannot be created or locked.
        """
        while True:
            with _io(self.path, "create the lock file"):     # flock needs no write access
                fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
            _try_flock(fd, fcntl.LOCK_EX, self.path,
                       f"output {self.output} is being written by another running sweep (lock "
                       f"{self.path} is held); wait for it to finish or choose another --output")
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:       # not a lock file that its previous holder unlinked meanwhile
                try:       # who holds it, for humans; no descriptor stays open for writing
                    with open(self.path, "w", encoding="utf-8") as note:
                        note.write(f"{os.uname().nodename} pid {os.getpid()}\n")
                except OSError:        # informative only (disk full)
                    pass
                self.fd = fd
                return self
            os.close(fd)

    def release(self) -> None:
        """Drop the lock and delete the lock file (nothing when not held)."""
        if self.fd is not None:
            try:
                os.unlink(self.path)
            except OSError:           # gone, or a read-only folder: flock dies with the fd
                pass
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _try_flock(fd: int, mode: int, path: str, busy: str) -> None:
    """``flock(fd, mode)`` without waiting; held elsewhere -> ValueError ``busy`` (fd closed),
    another failure -> :class:`DiskError` (fd closed)."""
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno not in (errno.EAGAIN, errno.EACCES):
            raise disk_error(path, exc, "lock") from None
        raise ValueError(busy) from None


class WriterLock:
    """Shared ``flock`` on ``<output>.writers``, held by every MPI rank writing its own segments.

    Rank 0 holds the exclusive :class:`RunLock` for the whole run; the other ranks write
    segments too, so a rank orphaned by a killed launcher could still commit points that a new
    run recomputes. A new run therefore refuses to start (:func:`check_no_writers`) while any
    process holds this lock; the kernel drops it when its holder dies.

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.
    """

    def __init__(self, output: str | os.PathLike):
        self.output = os.fspath(output)
        self.path = writers_path(output)
        self.fd: int | None = None

    def acquire(self) -> "WriterLock":
        """Take the shared writers' lock on ``<output>.writers``.

        Returns
        -------
        WriterLock
            ``self``.

        Raises
        ------
        ValueError
            A new run holds the file exclusively.
        DiskError
            The file cannot be created or locked.
        """
        with _io(self.path, "create the writers' lock file"):
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
        _try_flock(fd, fcntl.LOCK_SH, self.path,
                   f"output {self.output} is being checked by another sweep (lock {self.path} "
                   f"is held exclusively); rerun once it ended")
        self.fd = fd
        return self

    def release(self) -> None:
        """Drop the shared lock (nothing when not held)."""
        if self.fd is not None:
            os.close(self.fd)           # drops the flock
            self.fd = None


def writers_path(output: str | os.PathLike) -> str:
    """The file whose shared ``flock`` marks live segment writers of ``output``.

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.

    Returns
    -------
    str
        ``<output>.writers``.
    """
    return os.fspath(output) + ".writers"


def check_no_writers(output: str | os.PathLike) -> None:
    """Raise ValueError when a process of an earlier run still holds :class:`WriterLock`.

    Call it holding the :class:`RunLock`, before touching the segments. A file nobody holds
    (left by a killed run) is deleted.

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.

    Raises
    ------
    ValueError
        A live process holds the writers' lock.
    DiskError
        The file cannot be opened.
    """
    path = writers_path(output)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise disk_error(path, exc, "open") from None
    _try_flock(fd, fcntl.LOCK_EX, path,
               f"output {os.fspath(output)} is being written by another running sweep (ranks "
               f"of an earlier run still hold {path}); wait for them to end or choose another "
               f"--output")
    remove_writers_file(output)         # stale: nobody can take it while we hold the RunLock
    os.close(fd)                        # releases the probe's lock


def remove_writers_file(output: str | os.PathLike) -> None:
    """Delete ``<output>.writers`` (rank 0, holding the RunLock, once every writer released).

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.
    """
    try:
        os.unlink(writers_path(output))
    except OSError:                     # gone already, or a read-only folder: harmless
        pass


def _tmp_prefix(path: Path) -> str:
    return f".{path.name}.tmp-"


def clean_temporaries(output: str | os.PathLike) -> int:
    """Delete temporaries of ``output`` and its segments left by a killed run (hold the lock).

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.

    Returns
    -------
    int
        Number of files deleted.
    """
    out = Path(output)
    n = 0
    for folder, prefix in ((out.parent, _tmp_prefix(out)), (parts_dir(out), ".seg-")):
        if folder.is_dir():
            for p in folder.glob(prefix + "*"):
                with _io(p, "delete the temporary"):
                    p.unlink(missing_ok=True)
                n += 1
    return n


_ADVICE = {
    errno.ENOSPC: "the disk is full: free space there (or choose another --output)",
    errno.EDQUOT: "the disk quota is exhausted: free space (or choose another --output)",
    errno.EACCES: "no permission to write there: make the folder writable (or choose another "
                  "--output)",
    errno.EPERM: "no permission to write there: make the folder writable (or choose another "
                 "--output)",
    errno.EROFS: "the file system is read-only: remount it read-write (or choose another "
                 "--output)",
}


def disk_error(path: str | os.PathLike, exc: OSError, what: str = "write") -> DiskError:
    """A :class:`DiskError` for the failed ``what`` of ``path`` (one line, with advice).

    Parameters
    ----------
    path : str or os.PathLike
        The file or folder.
    exc : OSError
        The failure.
    what : str, optional
        The operation (``"write"``, ``"open"`` …), for the message.

    Returns
    -------
    DiskError
        The error to raise.
    """
    advice = _ADVICE.get(exc.errno, "check the disk and the folder")
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return DiskError(f"cannot {what} {os.fspath(path)}: {reason}; {advice}, then rerun the "
                     f"same command to resume (committed points are kept)")


@contextmanager
def _io(path: str | os.PathLike, what: str = "write"):
    """Turn an OSError of the block into a one-line :class:`DiskError` naming ``path``."""
    try:
        yield
    except DiskError:
        raise
    except OSError as exc:
        raise disk_error(path, exc, what) from None


class _GuardedFile:
    """A file object for h5py's ``fileobj`` driver that never hands a write error to HDF5.

    HDF5 does not recover from a failed write: the file stays open inside the library with dirty
    metadata, and closing it again at interpreter exit crashed the process with SIGSEGV on a
    full disk (reproduced on a 2 MiB tmpfs). Here the first failing write is remembered in
    :attr:`error` and it and later writes are kept in memory (so HDF5's own reads stay
    consistent and it closes normally); the writer checks :meth:`check` between datasets and
    raises a clean :class:`DiskError`, and the temporary file is deleted.
    """

    _OVERLAY_MAX = 64 << 20

    def __init__(self, fd: int, path: Path):
        self.fd, self.path = fd, path
        self.pos = self.size = 0
        self.error: OSError | None = None
        self.overlay: list[tuple[int, bytes]] = []
        self.overlay_bytes = 0

    def check(self) -> None:
        """Raise the :class:`DiskError` of the first failed write, if any."""
        if self.error is not None:
            raise disk_error(self.path, self.error)

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else self.pos + pos if whence == 1 else self.size + pos
        return self.pos

    def tell(self) -> int:
        return self.pos

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        n = len(view)
        if self.error is None:
            try:
                done = 0
                while done < n:
                    done += os.pwrite(self.fd, view[done:], self.pos + done)
            except OSError as exc:
                self.error = exc
        if self.error is not None and self.overlay_bytes < self._OVERLAY_MAX:
            self.overlay.append((self.pos, bytes(view)))
            self.overlay_bytes += n
        self.pos += n
        self.size = max(self.size, self.pos)
        return n

    def readinto(self, buf) -> int:
        view = memoryview(buf).cast("B")
        n = len(view)
        got = os.preadv(self.fd, [view], self.pos) if n else 0
        view[got:] = bytes(n - got)
        for addr, data in self.overlay:
            lo, hi = max(addr, self.pos), min(addr + len(data), self.pos + n)
            if lo < hi:
                view[lo - self.pos:hi - self.pos] = data[lo - addr:hi - addr]
        self.pos += n
        return n

    def read(self, n: int = -1) -> bytes:
        buf = bytearray(max(0, self.size - self.pos) if n < 0 else n)
        self.readinto(buf)
        return bytes(buf)

    def truncate(self, size: int | None = None) -> int:
        size = self.pos if size is None else size
        if self.error is None:
            try:
                os.ftruncate(self.fd, size)
            except OSError as exc:
                self.error = exc
        self.size = size
        return size

    def flush(self) -> None:
        pass


def _atomic_h5(path: Path, prefix: str, fill) -> None:
    """Write an HDF5 file with ``fill(h5file, check)`` atomically, never crashing HDF5.

    The file lifecycle is :func:`qtransport.infra.atomic_path` (temporary ``prefix*.h5`` in the
    same folder, fsync, rename, folder fsync, temporary removed on any error); HDF5 writes
    through a :class:`_GuardedFile`. ``check()`` raises :class:`DiskError` once a write failed;
    call it between datasets. Any OS error (full disk, permissions, read-only file system)
    becomes a one-line :class:`DiskError` naming ``path``.
    """
    import h5py
    with _io(path):
        with atomic_path(path, prefix=prefix, suffix=".h5", make_dirs=False) as tmp:
            fd = os.open(tmp, os.O_RDWR)
            try:
                sink = _GuardedFile(fd, path)
                with h5py.File(sink, "w") as f:
                    fill(f, sink.check)
                sink.check()
            finally:
                os.close(fd)


# ----------------------------------------------------------------------------- checksums
def field_digest(name: str, value) -> str:
    """SHA-256 (hex) of one result field of one point: name, dtype, shape and raw bytes.

    Parameters
    ----------
    name : str
        Field name.
    value : array_like
        The field's value.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    a = np.asarray(value)
    h = hashlib.sha256(f"{name}\0{a.dtype.str}\0{a.shape}\0".encode())
    h.update(a.tobytes() if a.dtype.kind not in "OUS" else repr(a.tolist()).encode())
    return h.hexdigest()


def point_digest(key: str, parameters: str, ok: bool, error: str,
                 fields: dict[str, str], warnings: str = "") -> str:
    """SHA-256 (hex) of a committed point: key, parameters, outcome, its field digests and its
    warnings (a point without warnings hashes as in files written before they were recorded).

    Parameters
    ----------
    key : str
        Point key.
    parameters : str
        Parameters as canonical JSON.
    ok : bool
        The call succeeded.
    error : str
        Error message.
    fields : dict of str to str
        :func:`field_digest` of every field.
    warnings : str, optional
        :func:`encode_warnings` text.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    h = hashlib.sha256(b"qtransport-point-v1\0")
    for part in (key, parameters, "ok" if ok else "failed", error):
        h.update(part.encode() + b"\0")
    for name in sorted(fields):
        h.update(f"{name}={fields[name]}\0".encode())
    if warnings:
        h.update(b"warnings\0" + warnings.encode() + b"\0")
    return h.hexdigest()


def payload_digest(keys: Iterable[str], digests: Iterable[str]) -> str:
    """SHA-256 (hex) of a block's payload: every (point key, point digest) pair in row order.

    Parameters
    ----------
    keys : iterable of str
        Point keys in row order.
    digests : iterable of str
        Their point digests.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    h = hashlib.sha256(b"qtransport-payload-v1\0")
    for key, digest in zip(keys, digests):
        h.update(f"{key}:{digest}\0".encode())
    return h.hexdigest()


def _outcome_digest(o: Outcome) -> str:
    return point_digest(o.key, o.parameters, o.ok, o.error,
                        {k: field_digest(k, v) for k, v in o.data.items()}, o.warnings)


# ----------------------------------------------------------------------------- columns
def _field_specs(items: Iterable[tuple], n_ok: int) -> dict[str, tuple | None]:
    """name → (shape, dtype) when every successful point has it alike, None (ragged) otherwise.

    ``items`` are ``(name, shape, dtype, count)``: ``count`` points have that field so.
    """
    specs: dict[str, tuple | None] = {}
    counts: dict[str, int] = {}
    for name, shape, dtype, count in items:
        spec = (tuple(shape), np.dtype(dtype))
        if name not in specs:
            specs[name] = spec
        elif specs[name] != spec:
            specs[name] = None
        counts[name] = counts.get(name, 0) + count
    for name, count in counts.items():
        if count != n_ok:          # a field some points lack: stored per point, not stacked
            specs[name] = None
    return specs


def _payload_bytes(items: Iterable[tuple]) -> int:
    return sum(int(np.prod(shape)) * np.dtype(dtype).itemsize * count
               for _, shape, dtype, count in items)


#: dataset of /sweep naming the segments merged into this file (to skip if still on disk)
_ABSORBED = "absorbed_segments"
#: per-point SHA-256 column; the block's ``payload_sha256`` attribute covers all of them
_DIGEST = "point_sha256"
_PAYLOAD = "payload_sha256"
_META = (("parameters", "str"), ("point_key", "str"), ("error", "str"), ("done", bool),
         ("failed", bool), ("seconds", float), ("rank", np.int32), ("warnings", "str"))


def _write_meta(g, cols: dict[str, Sequence]) -> None:
    """Write the per-point bookkeeping columns in one go each."""
    for name, dtype in _META:
        if dtype == "str":
            g.create_dataset(name, data=np.array(list(cols[name]), dtype=object),
                             dtype=_str_dtype())
        else:
            g.create_dataset(name, data=np.asarray(cols[name], dtype=dtype).reshape(-1))
    g["seconds"].attrs["units"] = "s"


def _write_digests(g, keys: Sequence[str], digests: Sequence[str]) -> None:
    g.create_dataset(_DIGEST, data=np.array(list(digests), dtype=object), dtype=_str_dtype())
    g.attrs[_PAYLOAD] = payload_digest(keys, digests)


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


def write_segment(output: str | os.PathLike, outcomes: Sequence[Outcome], config_hash: str,
                  writer: int = 0) -> Path:
    """Commit ``outcomes`` as one immutable segment of ``output``; return its path.

    ``writer`` (the MPI rank writing it) enters the segment's name, so ranks writing their own
    segments at the same moment never pick the same name.

    The segment carries the SHA-256 of every point (``point_sha256``) and of its whole payload
    (attribute ``payload_sha256``). Raises :class:`DiskError` (nothing left behind) when the
    disk is full, read-only or not writable.

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.
    outcomes : sequence of Outcome
        The points to commit.
    config_hash : str
        Hash of the sweep's configuration.
    writer : int, optional
        The writer's index (its MPI rank).

    Returns
    -------
    pathlib.Path
        The segment written.

    Raises
    ------
    DiskError
        The disk is full, read-only or not writable.
    """
    folder = parts_dir(output)
    with _io(folder, "create the folder"):
        folder.mkdir(exist_ok=True)
    n_ok = sum(o.ok for o in outcomes)
    specs = _field_specs(((k, np.shape(v), np.asarray(v).dtype, 1)
                          for o in outcomes for k, v in o.data.items()), n_ok)
    digests = [_outcome_digest(o) for o in outcomes]

    def fill(f, check):
        f.attrs["config_hash"] = config_hash
        f.create_dataset("index", data=np.array([o.index for o in outcomes], dtype=np.int64))
        _write_meta(f, {"parameters": [o.parameters for o in outcomes],
                        "point_key": [o.key for o in outcomes],
                        "error": [o.error for o in outcomes], "done": [True] * len(outcomes),
                        "failed": [not o.ok for o in outcomes],
                        "seconds": [o.seconds for o in outcomes],
                        "rank": [o.rank for o in outcomes],
                        "warnings": [o.warnings for o in outcomes]})
        _write_digests(f, [o.key for o in outcomes], digests)
        _create_results(f, len(outcomes), specs)
        for name in specs:
            check()
            rows = [(r, o) for r, o in enumerate(outcomes) if name in o.data]
            _put(f["results"], name, np.array([r for r, _ in rows], dtype=np.int64),
                 [o.data[name] for _, o in rows], np.array([o.index for _, o in rows]))

    path = folder / f"seg-{time.time_ns():020d}-{os.getpid()}-{int(writer)}.h5"
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
    digest: str = ""              # SHA-256 recorded at commit ("" in files without checksums)
    warnings: str = ""            # encode_warnings text ("" in files written before warnings)


def _label(source: str) -> str:
    return "checkpoint segment" if ".parts" + os.sep in source else "sweep file"


def _what(source: str) -> str:
    return f"{_label(source)} {source}"


def _block_rows(source: str, g, index: np.ndarray) -> list[Row]:
    """The committed rows of one block; checks its column digests against ``payload_sha256``."""
    n = len(index)
    try:
        cols = {c: g[c][()] for c in ("done", "failed", "seconds", "rank")}
        params = g["parameters"].asstr()[()]
        keys = g["point_key"].asstr()[()]
        errors = g["error"].asstr()[()]
        digests = g[_DIGEST].asstr()[()] if _DIGEST in g else [""] * n
        warned = g["warnings"].asstr()[()] if "warnings" in g else [""] * n
    except KeyError as exc:
        raise ValueError(f"{_what(source)} is not a qtransport sweep file or is damaged "
                         f"(missing {exc.args[0] if exc.args else 'a column'}); move it away "
                         f"or choose another --output") from None
    if any(len(c) != n for c in (*cols.values(), params, keys, errors, digests, warned)):
        raise ValueError(f"{_what(source)} is damaged (its columns have different lengths); "
                         f"move it away or delete it")
    if _PAYLOAD in g.attrs and payload_digest(keys, digests) != g.attrs[_PAYLOAD]:
        raise ValueError(f"{_what(source)} is corrupted: its point checksums do not match its "
                         f"payload_sha256; delete it to recompute its points")
    checksummed = _DIGEST in g      # such a file writes a digest for every committed point
    for r in range(n):
        if checksummed and cols["done"][r] and not digests[r]:
            raise ValueError(f"{_what(source)} is corrupted: point {int(index[r])} is marked "
                             f"done but has no SHA-256 checksum; refusing to use it: delete "
                             f"that file to recompute its points")
        if warned[r]:
            try:
                decode_warnings(warned[r])
            except (ValueError, TypeError):
                raise ValueError(f"{_what(source)} is damaged (the warnings of point "
                                 f"{int(index[r])} are not a JSON list of [category, message] "
                                 f"pairs); delete it to recompute its points") from None
    return [Row(source, r, int(index[r]), params[r], keys[r], not cols["failed"][r], errors[r],
                float(cols["seconds"][r]), int(cols["rank"][r]), digests[r], warned[r])
            for r in range(n) if cols["done"][r]]


def _block_specs(g, rows: list[Row]):
    """``(name, shape, dtype, count)`` of the result fields of a block's rows."""
    res = g["results"]
    n_ok = sum(r.ok for r in rows)
    for name, obj in res.items():
        if hasattr(obj, "shape"):
            if n_ok:
                yield name, obj.shape[1:], obj.dtype, n_ok
        else:
            for r in rows:
                if str(r.index) in obj:
                    yield name, obj[str(r.index)].shape, obj[str(r.index)].dtype, 1


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
    payload_bytes: int = 0             # result bytes of the committed points

    @property
    def config_hash(self) -> str:
        return str(self.sweep_attrs.get("config_hash", ""))


#: attributes of /sweep that every file written by qtransport sweep has
_REQUIRED_ATTRS = ("kind", "config_hash", "n_points")


def _open_h5(path: Path, what: str):
    """``h5py.File(path, "r")``; a damaged, truncated or foreign file -> one-line ValueError."""
    import h5py
    todo = ("delete it to recompute its points" if what == "checkpoint segment"
            else "move it away or choose another --output")
    if not path.is_file():
        raise ValueError(f"{what} {path} is not a regular file; {todo}")
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        reason = str(exc).split("(")[-1].rstrip(")") if "(" in str(exc) else str(exc)
        if isinstance(exc, PermissionError) or getattr(exc, "errno", None) == errno.EACCES:
            raise disk_error(path, exc, "read") from None
        raise ValueError(f"{what} {path} is not a readable HDF5 file (damaged or truncated? "
                         f"{' '.join(reason.split())}); {todo}") from None


def scan(output: str | os.PathLike) -> State | None:
    """Read what ``output`` and its segments hold (metadata only); None if there is no file.

    Later sources win over earlier ones (a retried point replaces its failure); a point
    committed twice with a result is reported as an error — it would mean a lost lock. A
    damaged or foreign file, or a block whose checksums disagree, is a one-line ValueError
    naming the file.

    Parameters
    ----------
    output : str or os.PathLike
        The sweep file.

    Returns
    -------
    State or None
        Committed rows, points and attributes, or None without a file.

    Raises
    ------
    ValueError
        A damaged or foreign file, or disagreeing checksums.
    """
    import h5py
    out = Path(output)
    if not out.exists():
        return None
    rows: dict[str, Row] = {}
    spec_items: list = []
    with _open_h5(out, "output") as f:
        if GROUP not in f:
            raise ValueError(f"{out} is not a qtransport sweep file (no /{GROUP} group); move it "
                             f"away or choose another --output")
        g = f[GROUP]
        missing = [a for a in _REQUIRED_ATTRS if a not in g.attrs] or \
            ([] if isinstance(g, h5py.Group) else ["(a dataset, not a group)"])
        if missing:
            raise ValueError(f"{out} has a /{GROUP} group that qtransport sweep did not write "
                             f"(no attribute {missing[0]!r}); move it away or choose another "
                             f"--output")
        attrs, sweep_attrs = dict(f.attrs), dict(g.attrs)
        try:
            n = int(g.attrs["n_points"])
            points = list(zip(g["parameters"].asstr()[()], g["point_key"].asstr()[()]))
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{out} has a /{GROUP} group that qtransport sweep did not write "
                             f"or that is damaged; move it away or choose another --output") \
                from None
        if len(points) != n:
            raise ValueError(f"sweep file {out} is damaged (n_points = {n} but {len(points)} "
                             f"points listed); move it away or choose another --output")
        block = _block_rows(str(out), g, np.arange(n))
        spec_items += list(_block_specs(g, block))
        _merge(rows, block)
        absorbed = set(g[_ABSORBED].asstr()[()]) if _ABSORBED in g else set()
    folder = parts_dir(out)
    segments = sorted(folder.glob("seg-*.h5")) if folder.is_dir() else []
    for seg in segments:
        if seg.name in absorbed:       # already merged into OUT.h5; its deletion was cut short
            continue
        with _open_h5(seg, "checkpoint segment") as f:
            if f.attrs.get("config_hash") != sweep_attrs["config_hash"]:
                raise ValueError(f"checkpoint segment {seg} belongs to another configuration; "
                                 f"move it away")
            try:
                index = f["index"][()]
            except KeyError:
                raise ValueError(f"checkpoint segment {seg} is damaged (no index); delete it to "
                                 f"recompute its points") from None
            block = _block_rows(str(seg), f, index)
            spec_items += list(_block_specs(f, block))
            _merge(rows, block)
    n_ok = sum(r.ok for r in rows.values())
    return State(attrs, sweep_attrs, n, rows, _field_specs(spec_items, n_ok), segments, points,
                 _payload_bytes(spec_items))


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


class Verifier:
    """Checks the rows read from one source against the SHA-256 recorded at commit.

    Feed it every ``(field, rows, values)`` that :func:`read_rows` yields, then call
    :meth:`finish`: a row whose recomputed digest differs raises a ValueError naming the source
    and the point. Rows of files written before checksums existed (no digest) are not checked.

    Parameters
    ----------
    source : str
        The file the rows come from (for the message).
    rows : sequence of Row
        The rows to check.
    """

    def __init__(self, source: str, rows: Sequence[Row]):
        self.source, self.rows = source, list(rows)
        self.fields: dict[str, dict[str, str]] = {r.key: {} for r in self.rows}

    def feed(self, name: str, part: Sequence[Row], values) -> None:
        """Record the digests of one field of some rows.

        Parameters
        ----------
        name : str
            Field name.
        part : sequence of Row
            The rows of ``values``.
        values : sequence
            The field's value of each row.
        """
        for r, value in zip(part, values):
            self.fields[r.key][name] = field_digest(name, value)

    def finish(self) -> None:
        """Compare every row's recomputed digest with the recorded one.

        Raises
        ------
        ValueError
            A row whose digest differs.
        """
        for r in self.rows:
            if r.digest and point_digest(r.key, r.parameters, r.ok, r.error,
                                         self.fields[r.key], r.warnings) != r.digest:
                raise ValueError(f"{_what(self.source)} is corrupted: point {r.index} "
                                 f"({_short(r.parameters)}) does not match its SHA-256 "
                                 f"checksum; refusing to use it: delete that file to "
                                 f"recompute its points")


def _short(parameters: str, limit: int = 80) -> str:
    return parameters if len(parameters) <= limit else parameters[:limit - 3] + "..."


def free_bytes(folder: str | os.PathLike) -> int:
    """Bytes available to this user in the file system of ``folder``.

    Parameters
    ----------
    folder : str or os.PathLike
        A folder.

    Returns
    -------
    int
        Free bytes.
    """
    st = os.statvfs(folder)
    return st.f_bavail * st.f_frsize


def merged_size(state: State | None, points: Sequence[tuple[str, str]]) -> int:
    """Upper estimate (bytes) of the file :func:`assemble` writes: results plus bookkeeping.

    Parameters
    ----------
    state : State or None
        The scanned file state.
    points : sequence of (str, str)
        Canonical parameters and key of every point.

    Returns
    -------
    int
        Estimated bytes.
    """
    # per point: parameters JSON, key, SHA-256 and the fixed-size columns (~300 B measured
    # with HDF5's variable-length strings); plus HDF5's own headers and B-trees (< 64 KiB)
    meta = sum(len(p) + len(k) for p, k in points) + 300 * len(points)
    errors = sum(len(r.error) + len(r.warnings) for r in state.rows.values()) if state else 0
    payload = state.payload_bytes if state else 0
    return int(1.1 * (payload + meta + errors)) + (64 << 10)


# ----------------------------------------------------------------------------- assembly
def assemble(output: str | os.PathLike, header: dict[str, Any], points: Sequence[tuple[str, str]],
             state: State | None, grid: dict[str, np.ndarray] | None = None) -> None:
    """Write a new ``output`` from the header and every committed point; drop the segments.

    Every point read from a segment or from the old file is checked against its recorded
    SHA-256 first; the new file records the SHA-256 of each point (``point_sha256``) and of the
    whole payload (``/sweep.attrs["payload_sha256"]``).

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

    Raises
    ------
    DiskError
        Not enough free space for the estimated size, or a write failed (disk full, read-only,
        no permission): ``output`` and the segments are left as they were.
    ValueError
        A source is corrupted (checksum mismatch), or a committed point is not in ``points``.
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
    need = merged_size(state, points)
    with _io(out.parent, "check the free space of"):
        free = free_bytes(out.parent)
    if need > free:
        raise DiskError(f"not enough free space to write {out}: the merged file needs about "
                        f"{need / 2**20:.1f} MiB, {free / 2**20:.1f} MiB are free; free space "
                        f"there (or move the output with its .parts folder to a larger disk), "
                        f"then rerun the same command: the committed points are kept")

    def fill(f, check):
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
                "seconds": np.zeros(n), "rank": np.zeros(n, np.int32), "warnings": [""] * n}
        for r in done:
            i = target[r.key]
            cols["error"][i], cols["warnings"][i] = r.error, r.warnings
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
        digests = [""] * n
        for source, source_rows in by_source.items():
            verify = Verifier(source, source_rows)
            with _open_h5(Path(source), _label(source)) as src:
                for name, part, values in read_rows(src, source_rows):
                    check()
                    verify.feed(name, part, values)
                    dest = [target[r.key] for r in part]
                    order = np.argsort(dest, kind="stable")
                    idx = np.array([dest[i] for i in order], dtype=np.int64)
                    _put(g["results"], name, idx, [values[i] for i in order], idx)
            verify.finish()
            for r in source_rows:
                i = target[r.key]
                digests[i] = point_digest(r.key, points[i][0], r.ok, r.error, verify.fields[r.key],
                                          r.warnings)
        _write_digests(g, [k for _, k in points], digests)
        check()

    _atomic_h5(out, _tmp_prefix(out), fill)
    try:
        for seg in state.segments if state else []:
            seg.unlink(missing_ok=True)
    except OSError as exc:   # harmless: the new file lists them as absorbed; next run retries
        log.warning("could not delete merged segments of %s (%s); they are skipped and "
                    "deleted by the next run", out, os.strerror(exc.errno or 0))
    if state and state.segments:
        try:
            parts_dir(out).rmdir()
        except OSError:
            pass
    log.debug("assembled %s: %d of %d points", out, len(done), n)
