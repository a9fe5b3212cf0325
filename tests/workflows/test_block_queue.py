"""The MPI task queue: every index handed out exactly once, neighbouring tasks kept on one rank.

The pure scheduling rule (:func:`executor.claim`) is driven here by random interleavings of
claiming ranks; the ``mpi`` test runs the real RMA window on one rank under plain pytest and on
two under ``make test``'s ``mpiexec -n 2`` line.
"""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.workflows import executor


def drain(n_tasks: int, size: int, order) -> dict[int, list[int]]:
    """Claim until empty, the claiming rank at each step drawn by ``order``; tasks per rank."""
    bounds = [b for block in executor.initial_blocks(n_tasks, size) for b in block]
    taken: dict[int, list[int]] = {r: [] for r in range(size)}
    active = set(range(size))
    while active:
        me = order(sorted(active))
        index, writes = executor.claim(bounds, me)
        for rank, lo, hi in writes:
            bounds[2 * rank:2 * rank + 2] = [lo, hi]
        if index is None:
            active.discard(me)          # a rank that found nothing stops asking
        else:
            taken[me].append(index)
    return taken


@pytest.mark.parametrize("n_tasks,size", [(0, 1), (0, 3), (1, 4), (7, 2), (64, 2), (100, 7),
                                          (1000, 33)])
def test_every_index_is_handed_out_exactly_once_whatever_the_interleaving(n_tasks, size):
    rng = np.random.default_rng(n_tasks * 101 + size)
    for _ in range(20):
        # a skewed random order: some ranks claim far more often (fast ranks, slow ranks)
        weights = rng.random(size) ** 3 + 1e-3

        def order(active):
            w = weights[active] / weights[active].sum()
            return int(rng.choice(active, p=w))
        taken = drain(n_tasks, size, order)
        got = sorted(i for tasks in taken.values() for i in tasks)
        assert got == list(range(n_tasks))      # integers: nothing lost, nothing twice


def test_blocks_are_contiguous_and_balanced():
    blocks = executor.initial_blocks(10, 3)
    assert blocks == [(0, 3), (3, 6), (6, 10)]
    assert [hi - lo for lo, hi in executor.initial_blocks(64, 2)] == [32, 32]


def test_a_lone_rank_runs_every_task_from_the_last_down():
    taken = drain(9, 1, lambda active: active[0])
    assert taken[0] == list(range(8, -1, -1))


def runs(indices: list[int]) -> int:
    """Number of maximal runs of consecutive integers (descending), in the order taken."""
    return sum(1 for a, b in zip([None] + indices, indices) if a is None or b != a - 1)


def test_a_fast_rank_steals_the_front_half_and_keeps_locality():
    # rank 0 claims 3 times as often as rank 1 (its tasks are 3x faster)
    clock = {0: 0.0, 1: 0.0}

    def order(active):
        me = min(active, key=lambda r: clock[r])
        clock[me] += 1.0 if me == 0 else 3.0
        return me
    taken = drain(64, 2, order)
    assert taken[0][:32] == list(range(31, -1, -1))   # its own block first, last index first
    # then the front half of rank 1's rest: the part rank 1 would have reached last
    assert 32 <= taken[0][32] < 48 and taken[1][0] == 63
    assert len(taken[0]) > len(taken[1])         # the fast rank did more
    # a round-robin counter would give each rank 32+ runs of length 1; stealing halves gives
    # a handful of contiguous runs per rank (one per steal, log2 of the block at most)
    assert runs(taken[0]) <= 1 + 6 and runs(taken[1]) <= 1 + 6


@pytest.mark.mpi
def test_the_rma_queue_hands_every_index_once_across_ranks():
    from mpi4py import MPI
    comm = MPI.COMM_WORLD                         # one rank under plain pytest, two under make
    n_tasks = 57
    queue = executor.BlockQueue(comm, n_tasks)
    mine = []
    while (i := queue.next()) is not None:
        mine.append(i)
    comm.Barrier()
    queue.free()
    everyone = comm.allgather(mine)
    assert sorted(i for m in everyone for i in m) == list(range(n_tasks))
    lo, hi = executor.initial_blocks(n_tasks, comm.Get_size())[comm.Get_rank()]
    # others take only the front half of a block, so each rank (28/29 or 57 tasks in its
    # block here) starts with the last index of its own block — unless it started so late
    # (a loaded host, a slow MPI start-up) that the others had taken its whole block
    assert hi - lo >= 28
    assert not mine or mine[0] == hi - 1


@pytest.mark.mpi
def test_stop_empties_the_queue_for_every_rank():
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    queue = executor.BlockQueue(comm, 40)
    first = queue.next()
    comm.Barrier()
    if comm.Get_rank() == 0:
        queue.stop()
    comm.Barrier()
    assert first is not None
    assert queue.next() is None                   # nothing left for anybody after a stop
    comm.Barrier()
    queue.free()
