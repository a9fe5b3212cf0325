"""Serial and MPI execution behind one interface: every rank computes, rank 0 collects.

:class:`SerialExecutor` runs tasks in order in this process. :class:`MPIExecutor` (under
``mpiexec``/``srun``) balances load dynamically with a :class:`BlockQueue`: the task indices are
split into one contiguous block per rank, each rank — rank 0 included — works through its own
block from its last index down (longest first on the usual rising grid, see :func:`claim`),
and a rank whose block is empty steals the front half of the largest block left.
Neighbouring tasks of a sweep grid share their outer parameters (the last axis varies fastest),
so a rank keeps meeting the geometry, leads and caches it has already built; a shared counter
that deals indices round-robin made every rank build every lead of a 64-point filament sweep
(measured: each of 2 ranks computed 290 of the serial run's 292 lead-mode sets). Results go to
rank 0 with non-blocking sends (``mpi4py.util.pkl5``: no 2 GiB pickle limit), so workers never
wait for the writer; with ``batch_s`` a worker sends its results in batches (the sweep's
progress notes, when every rank writes its own data). Rank 0 drains incoming results between
its own tasks and, once out of work, polls with ``Iprobe`` plus a 1 ms sleep instead of a
blocking ``recv`` that would spin a core that another rank needs.

An exception that is not raised identically on every rank would deadlock the job; :func:`guard`
turns it into ``MPI_Abort`` (like ``python -m mpi4py``), so no rank hangs. Errors that all ranks
agree on (see :class:`AgreedError`) are re-raised normally.

Examples
--------
>>> ex = SerialExecutor()
>>> got = {}
>>> ex.map_unordered(lambda i: i * i, 4, lambda i, value, rank: got.update({i: value}))
>>> got
{0: 0, 1: 1, 2: 4, 3: 9}
>>> ex.map(pow, [{"base": 2, "exp": 3}])
[8]
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import traceback
from typing import Any, Callable, Iterator, Mapping, Sequence

import numpy as np

from ..errors import AgreedError
from ..infra import blas_threads, captured_warnings, replay_warnings, retain_heap

__all__ = ["SerialExecutor", "MPIExecutor", "BlockQueue", "initial_blocks", "AgreedError", "get_executor", "under_mpi", "guard",
           "serve_on_workers", "launcher_rank"]

log = logging.getLogger(__name__)

#: environment variables set by mpiexec/srun launchers (Open MPI, PMIx, MPICH/Hydra, PMI-2)
_LAUNCHER_VARS = ("OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE",
                  "MPI_LOCALNRANKS", "MV2_COMM_WORLD_SIZE")
_TAG = 77
_POLL_S = 0.001

Sink = Callable[[int, Any, int], None]


def under_mpi() -> bool:
    """True when started by an MPI launcher (``QTRANSPORT_MPI=0/1`` overrides the detection).

    Returns
    -------
    bool
        Whether a launcher's environment variables are set (or the override says so).
    """
    flag = os.environ.get("QTRANSPORT_MPI")
    if flag is not None:
        return flag.strip().lower() not in ("", "0", "no", "false")
    return any(var in os.environ for var in _LAUNCHER_VARS)


def launcher_rank() -> int:
    """This process's rank as told by the launcher's environment (0 when not under MPI).

    Returns
    -------
    int
        The rank.
    """
    for var in ("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "MV2_COMM_WORLD_RANK"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return 0


class SerialExecutor:
    """Runs every task here, in order. Same interface as :class:`MPIExecutor`."""

    rank = 0
    size = 1
    is_root = True

    def bcast(self, obj: Any) -> Any:
        """Return ``obj`` (there is nobody to broadcast to).

        Parameters
        ----------
        obj : object
            A picklable value.

        Returns
        -------
        object
            ``obj``.
        """
        return obj

    def gather(self, obj: Any) -> list:
        """``[obj]`` (the one rank's value).

        Parameters
        ----------
        obj : object
            A picklable value.

        Returns
        -------
        list
            ``[obj]``.
        """
        return [obj]

    def map_unordered(self, task: Callable[[int], Any], n_tasks: int, sink: Sink, *,
                      batch_s: float = 0.0, stop: Callable[[], bool] | None = None) -> None:
        """Call ``sink(i, task(i), 0)`` for ``i`` in ``range(n_tasks)``; end early once
        ``stop()`` is true after a task (``batch_s`` is accepted for the MPI interface).

        Parameters
        ----------
        task : callable
            ``task(i)`` computes task ``i``.
        n_tasks : int
            Number of tasks.
        sink : callable
            ``sink(i, value, rank)`` for every finished task.
        batch_s : float, optional
            Unused here (the MPI executor's message batching interval, s).
        stop : callable, optional
            Checked after every task; once true, no further task starts.
        """
        for i in range(n_tasks):
            sink(i, task(i), 0)
            if stop is not None and stop():
                return

    def map(self, function: Callable, calls: Sequence[Mapping[str, Any]]) -> list:
        """``[function(**kw) for kw in calls]``, each call's warnings raised again after the last.

        As in :meth:`MPIExecutor.map`, the Python warnings of every call are caught inside it
        (:func:`~qtransport.infra.captured_warnings`) and then raised again here in call order
        (:func:`~qtransport.infra.replay_warnings`), so a run records the same warnings
        serially and under MPI. A failing call re-raises its exception after the warnings of
        the calls before it and its own.

        Parameters
        ----------
        function : callable
            A module-level (picklable) function.
        calls : sequence of mapping
            Keyword arguments of every call.

        Returns
        -------
        list
            The results in the order of ``calls``.
        """
        values, caught = [], []
        for kw in calls:
            ok, value, mine = _caught_call(function, kw)
            caught += mine
            if not ok:
                replay_warnings(caught)
                raise value
            values.append(value)
        replay_warnings(caught)
        return values

    def wait_all(self) -> None:
        """Synchronize the ranks (nothing to do)."""


def initial_blocks(n_tasks: int, size: int) -> list[tuple[int, int]]:
    """Contiguous ``[lo, hi)`` blocks of ``range(n_tasks)``, one per rank, sizes differing by <= 1.

    Parameters
    ----------
    n_tasks : int
        Number of tasks (>= 0).
    size : int
        Number of ranks (>= 1).

    Returns
    -------
    list of (int, int)
        Block ``r`` is ``(r * n_tasks // size, (r + 1) * n_tasks // size)``.

    Examples
    --------
    >>> initial_blocks(10, 3)
    [(0, 3), (3, 6), (6, 10)]
    """
    return [(r * n_tasks // size, (r + 1) * n_tasks // size) for r in range(size)]


def claim(bounds: list[int], me: int) -> tuple[int | None, list[tuple[int, int, int]]]:
    """One scheduling decision on the table of blocks (pure: the MPI lock is the caller's).

    ``bounds`` holds ``lo_0, hi_0, lo_1, hi_1, ...``. Rank ``me`` takes the back of its own
    block (blocks are worked through from their last index down); if that is empty it steals
    from the largest block: the front half, which its owner would have reached last (its last
    index now, the rest becomes ``me``'s block), or the single index left.

    Working backwards is the longest-first rule of list scheduling for the usual sweep grid,
    whose values rise along each axis (widths, lengths, sizes) and with them the cost of a
    point: the points left for the end, which decide how long one rank waits for the other,
    are then the cheap ones (on the 64-point filament benchmark the ranks' finishing times
    differ by 0.05 s instead of 0.14 s). Neighbouring points still stay on one rank.

    Parameters
    ----------
    bounds : list of int
        ``2 * size`` block bounds, as stored in the queue's window.
    me : int
        The claiming rank.

    Returns
    -------
    index : int or None
        The task to run, or None when every block is empty.
    writes : list of (int, int, int)
        ``(rank, lo, hi)`` bounds to store back.

    Examples
    --------
    >>> claim([0, 2, 2, 4], 0)
    (1, [(0, 0, 1)])
    >>> claim([2, 2, 2, 7], 0)      # rank 1 keeps 4..6, rank 0 takes 3 and then 2
    (3, [(1, 4, 7), (0, 2, 3)])
    >>> claim([2, 2, 4, 4], 0)
    (None, [])
    """
    lo, hi = bounds[2 * me], bounds[2 * me + 1]
    if lo < hi:
        return hi - 1, [(me, lo, hi - 1)]
    left = [bounds[2 * r + 1] - bounds[2 * r] for r in range(len(bounds) // 2)]
    victim = max(range(len(left)), key=left.__getitem__)
    if left[victim] <= 0:
        return None, []
    vlo, vhi = bounds[2 * victim], bounds[2 * victim + 1]
    if left[victim] == 1:
        return vlo, [(victim, vlo + 1, vhi)]
    mid = vhi - (left[victim] + 1) // 2              # the victim keeps the back half
    return mid - 1, [(victim, mid, vhi), (me, vlo, mid - 1)]


class BlockQueue:
    """Task indices shared by all ranks: contiguous blocks per rank with work stealing.

    The table of block bounds lives in an MPI-3 RMA window on rank 0; every claim reads and
    updates it under an exclusive passive-target lock (a few microseconds on one node), so no
    index is ever handed out twice or lost, whichever ranks claim at the same time.
    Collective to create and to :meth:`free`.

    Parameters
    ----------
    comm : mpi4py.MPI.Intracomm
        Communicator of the ranks sharing the tasks.
    n_tasks : int
        Tasks ``0 .. n_tasks - 1``.
    """

    def __init__(self, comm, n_tasks: int):
        from mpi4py import MPI
        self.MPI, self.comm = MPI, comm
        self.rank, self.size = comm.Get_rank(), comm.Get_size()
        count = 2 * self.size if self.rank == 0 else 0
        self.window = MPI.Win.Allocate(count * 8, 8, MPI.INFO_NULL, comm)
        if self.rank == 0:
            table = np.array(initial_blocks(n_tasks, self.size), dtype=np.int64).ravel()
            self.window.Lock(0, MPI.LOCK_EXCLUSIVE)
            self.window.Put(table, 0)
            self.window.Unlock(0)
        comm.Barrier()

    def _read(self, first: int, count: int):
        buf = np.empty(count, dtype=np.int64)
        self.window.Get(buf, 0, target=(first, count, self.MPI.INT64_T))
        self.window.Flush(0)
        return buf

    def _write(self, writes) -> None:
        for rank, lo, hi in writes:
            self.window.Put(np.array([lo, hi], dtype=np.int64), 0,
                            target=(2 * rank, 2, self.MPI.INT64_T))

    def next(self) -> int | None:
        """The next task index for this rank, or None when there is none left.

        Returns
        -------
        int or None
            A task index, or ``None`` when every block is empty.
        """
        self.window.Lock(0, self.MPI.LOCK_EXCLUSIVE)
        try:
            own = self._read(2 * self.rank, 2)
            if own[0] < own[1]:                       # the common case: two integers read
                index, writes = int(own[1]) - 1, [(self.rank, int(own[0]), int(own[1]) - 1)]
            else:
                index, writes = claim([int(b) for b in self._read(0, 2 * self.size)],
                                      self.rank)
            self._write(writes)
        finally:
            self.window.Unlock(0)
        return index

    def stop(self) -> None:
        """Empty every block: each rank stops after the task it is running."""
        self.window.Lock(0, self.MPI.LOCK_EXCLUSIVE)
        try:
            table = self._read(0, 2 * self.size)
            table[1::2] = table[0::2]
            self.window.Put(table, 0)
        finally:
            self.window.Unlock(0)

    def free(self) -> None:
        """Release the window (collective)."""
        self.window.Free()


class MPIExecutor:
    """Dynamic load balancing over MPI ranks; results gathered on rank 0.

    Parameters
    ----------
    comm : mpi4py.MPI.Intracomm, optional
        Communicator (default ``COMM_WORLD``).
    """

    def __init__(self, comm=None):
        os.environ.setdefault("OMPI_MCA_osc", "^ucx")   # silences a harmless UCX probe error
        from mpi4py import MPI
        from mpi4py.util import pkl5
        self.MPI = MPI
        self.comm = comm if comm is not None else MPI.COMM_WORLD
        self.p2p = pkl5.Intracomm(self.comm)
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        self.is_root = self.rank == 0
        _single_threaded_blas()
        retain_heap()        # a rank repeats the same solves: freed blocks stay in its heap

    def bcast(self, obj: Any) -> Any:
        """Broadcast ``obj`` from rank 0 to every rank.

        The ranks first meet in a sleeping barrier (:meth:`wait_all`): a plain ``bcast`` busy-
        polls in Open MPI, so ranks waiting while rank 0 prepares the output (lock, header,
        merge) would take the CPU that rank 0 needs on a shared or oversubscribed node.

        Parameters
        ----------
        obj : object
            A picklable value.

        Returns
        -------
        object
            Rank 0's ``obj``, on every rank.
        """
        self.wait_all()
        return self.comm.bcast(obj, root=0)

    def gather(self, obj: Any) -> list | None:
        """``obj`` of every rank as a list on rank 0 (None elsewhere), after a sleeping barrier.

        Parameters
        ----------
        obj : object
            A picklable value.

        Returns
        -------
        list or None
            Every rank's ``obj`` on rank 0, ``None`` elsewhere.
        """
        self.wait_all()
        return self.comm.gather(obj, root=0)

    def wait_all(self) -> None:
        """Barrier that sleeps while waiting (``Ibarrier`` + polling) instead of spinning."""
        request = self.comm.Ibarrier()
        while not request.Test():
            time.sleep(_POLL_S)

    def map_unordered(self, task: Callable[[int], Any], n_tasks: int, sink: Sink, *,
                      batch_s: float = 0.0, stop: Callable[[], bool] | None = None) -> None:
        """Run ``task(i)`` for every ``i < n_tasks`` on all ranks; ``sink`` runs on rank 0.

        Collective: every rank must call it with the same ``n_tasks``. Each rank works
        through its own contiguous block of indices and then steals from the largest block
        left (:class:`BlockQueue`), so fast ranks take more tasks and neighbouring tasks stay
        on one rank. If rank 0's own task or its ``sink`` raises, the other ranks stop after
        their current task and return normally; rank 0 re-raises once they are done (so the
        caller can broadcast it).

        Parameters
        ----------
        task : callable
            ``task(i)`` computes task ``i`` on whichever rank claims it.
        n_tasks : int
            Number of tasks.
        sink : callable
            ``sink(i, value, rank)``, called on rank 0 for every finished task.
        batch_s : float
            A worker sends its results to rank 0 at most every ``batch_s`` seconds, several in
            one message (0: each at once). Results that are only notes (the data already
            written by the worker) then cost rank 0 one message per rank and interval.
        stop : callable, optional
            Checked by each rank after each of its tasks; once true, that rank empties the
            queue, so every rank stops after its current task.
        """
        queue = BlockQueue(self.comm, n_tasks)
        try:
            if self.is_root:
                self._root_loop(queue, task, sink, stop)
            else:
                self._worker_loop(queue, task, batch_s, stop)
        finally:
            self.wait_all()                   # nobody may still be claiming from the window
            queue.free()

    def _root_loop(self, queue: BlockQueue, task, sink: Sink, stop) -> None:
        self._running = self.size - 1
        try:
            while (i := queue.next()) is not None:
                self._drain(sink)
                sink(i, task(i), 0)
                if stop is not None and stop():
                    queue.stop()
                    break
            while self._running:
                if not self._drain(sink):
                    time.sleep(_POLL_S)
        except Exception:
            # rank 0 failed (e.g. its sink could not write): no worker takes another task;
            # each finishes the one it has, is drained, and returns normally, so the error can
            # be handled (and agreed on) instead of aborting the job
            queue.stop()
            while self._running:
                if not self._drain(lambda *_: None):
                    time.sleep(_POLL_S)
            raise

    def _drain(self, sink: Sink) -> int:
        """Hand every waiting result to ``sink``; count the ranks that said they are done.

        Returns the number of messages received (finished ranks included).
        """
        got = 0
        status = self.MPI.Status()
        while self.p2p.iprobe(source=self.MPI.ANY_SOURCE, tag=_TAG):
            message = self.p2p.recv(source=self.MPI.ANY_SOURCE, tag=_TAG, status=status)
            got += 1
            if message is None:
                self._running -= 1
            else:
                source = status.Get_source()
                for i, value in message:
                    sink(i, value, source)
        return got

    def _worker_loop(self, queue: BlockQueue, task, batch_s: float, stop) -> None:
        pending, batch, sent = [], [], time.monotonic()
        while (i := queue.next()) is not None:
            batch.append((i, task(i)))
            if stop is not None and stop():
                queue.stop()
                break
            if time.monotonic() - sent >= batch_s:
                pending.append(self.p2p.isend(batch, dest=0, tag=_TAG))
                batch, sent = [], time.monotonic()
            pending = [r for r in pending if not r.test()[0]]
        if batch:
            pending.append(self.p2p.isend(batch, dest=0, tag=_TAG))
        pending.append(self.p2p.isend(None, dest=0, tag=_TAG))
        while pending:
            pending = [r for r in pending if not r.test()[0]]
            if pending:
                time.sleep(_POLL_S)

    def map(self, function: Callable, calls: Sequence[Mapping[str, Any]]) -> list:
        """``[function(**kw) for kw in calls]`` computed by all ranks; the list is on rank 0.

        Collective. On rank 0 inside :func:`serve_on_workers`, the workers join automatically.
        An exception in a call is re-raised on rank 0 after all calls finished. The Python
        warnings of each call are caught where it runs (whatever that rank's filters,
        :func:`~qtransport.infra.captured_warnings`), travel to rank 0 with its result and are
        raised again there, in call order (:func:`~qtransport.infra.replay_warnings`), as
        :meth:`SerialExecutor.map` does: a ``catch_warnings`` on rank 0 around the map (the
        pipeline's record) sees the warnings of every rank, the same as serially.

        Parameters
        ----------
        function : callable
            A module-level (picklable) function.
        calls : sequence of mapping
            Keyword arguments of every call.

        Returns
        -------
        list
            The results in the order of ``calls`` on rank 0 (an empty list on the other ranks).

        Raises
        ------
        RuntimeError
            A call failed (on rank 0, after every call finished).
        """
        calls = list(calls)
        results: list = [None] * len(calls)
        errors: list[tuple[int, str]] = []
        caught: list[list] = [[] for _ in calls]        # each call's warnings, by call index

        def task(i):
            ok, value, warned = _caught_call(function, calls[i])
            # an exception is reported on rank 0, never left hanging on a worker
            return ok, value if ok else f"{type(value).__name__}: {value}", warned

        def sink(i, value, rank):
            ok, payload, caught[i] = value
            if ok:
                results[i] = payload
            else:
                errors.append((i, payload))

        self.map_unordered(task, len(calls), sink)
        if self.is_root:
            replay_warnings([w for warned in caught for w in warned])     # in call order
        if errors:
            i, message = min(errors)
            raise RuntimeError(f"{getattr(function, '__name__', function)} failed for call {i} "
                               f"{calls[i]!r}: {message} ({len(errors)} of {len(calls)} failed)")
        return results if self.is_root else []

    def abort(self, code: int = 1) -> None:
        """Terminate every rank of the job (``MPI_Abort``).

        Parameters
        ----------
        code : int, optional
            Exit code of the job.
        """
        self.comm.Abort(code)


def _caught_call(function: Callable, kw: Mapping[str, Any]) -> tuple[bool, Any, list]:
    """``(True, function(**kw), warnings)`` or ``(False, the exception, warnings)``: one call of
    a ``map`` with its Python warnings caught (:func:`~qtransport.infra.captured_warnings`)."""
    with captured_warnings() as caught:
        try:
            ok, value = True, function(**kw)
        except Exception as exc:
            ok, value = False, exc
    return ok, value, caught


def _single_threaded_blas() -> None:
    """One BLAS/OpenMP thread per rank for the life of the process, so ranks do not
    oversubscribe the cores (:func:`qtransport.infra.blas_threads`)."""
    blas_threads(1, user_api=None)


def get_executor(mpi: bool | None = None) -> SerialExecutor | MPIExecutor:
    """The executor for this process: MPI when launched by mpiexec/srun (or ``mpi=True``).

    Parameters
    ----------
    mpi : bool, optional
        Force MPI (True) or serial (False); default: :func:`under_mpi`.

    Returns
    -------
    SerialExecutor or MPIExecutor
        The executor (serial when only one rank runs).
    """
    use_mpi = under_mpi() if mpi is None else mpi
    if not use_mpi:
        return SerialExecutor()
    ex = MPIExecutor()
    return ex if ex.size > 1 else SerialExecutor()


@contextlib.contextmanager
def guard(executor) -> Iterator[None]:
    """Abort the whole MPI job when one rank raises an error the others do not know about.

    :class:`AgreedError` (raised on every rank together) and errors in a serial run pass
    through unchanged.

    Parameters
    ----------
    executor : SerialExecutor or MPIExecutor
        The run's executor.

    Yields
    ------
    None
        Control to the guarded block.
    """
    try:
        yield
    except AgreedError:
        raise
    except BaseException as exc:
        if getattr(executor, "size", 1) == 1 or isinstance(exc, SystemExit) and not exc.code:
            raise
        sys.stderr.write(f"qtransport: rank {executor.rank} failed; aborting all ranks\n")
        traceback.print_exc()
        sys.stderr.flush()
        executor.abort(1)


_STOP = "stop"


def serve_on_workers(executor, main: Callable[[Callable], Any]) -> Any:
    """Run ``main(map_function)`` on rank 0 while the other ranks compute its ``map`` calls.

    Each ``map`` call on rank 0 wakes the workers (a non-blocking barrier they poll while
    sleeping), broadcasts the call and runs it with :meth:`MPIExecutor.map`. When ``main``
    returns or raises, the workers are released. Returns ``main``'s value on every rank (None
    on workers).

    Parameters
    ----------
    executor : SerialExecutor or MPIExecutor
        The run's executor.
    main : callable
        ``main(map_function)``, the root's work.

    Returns
    -------
    object
        ``main``'s value (None on the workers).
    """
    if executor.size == 1:
        return main(executor.map)
    if executor.is_root:
        def map_function(function, calls):
            executor.wait_all()
            executor.bcast(("map", function, list(calls)))
            return executor.map(function, calls)
        try:
            return main(map_function)
        finally:
            executor.wait_all()
            executor.bcast((_STOP, None, None))
    while True:
        executor.wait_all()
        what, function, calls = executor.bcast(None)
        if what == _STOP:
            return None
        executor.map(function, calls)
