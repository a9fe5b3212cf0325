"""Recursive Green's function (RGF) transmission of slice-structured Kwant systems.

A two-terminal Kwant system whose sites can be cut into slices along the transport direction,
with hoppings only inside a slice and between neighbouring slices, has a block-tridiagonal
Hamiltonian. Its transmission at energy E is the Caroli formula

    T(E) = Tr[Γ_in G_io Γ_out G_io†],   Γ = i(Σ − Σ†),

with G_io the block of the retarded Green's function between the two lead interfaces. The slice
recursion (right to left: g_i = (E − H_ii − H_i,i+1 g_i+1 H_i+1,i)⁻¹, one dense LU solve per
slice) gives G_io and the in-lead diagonal block G_ii in O(Σ n_i³) operations and
O(Σ n_i²) memory, where n_i is the number of orbitals of slice i — instead of a sparse LU of the
whole system per energy.

What is reused between energies (the point of this module):

* the slicing (:func:`slice_plan`, cached per finalized system) and the dense blocks of H
  (:class:`Sweep`, once per ``params``);
* the lead self-energies Σ (from the lead's Bloch modes in one eigensolve,
  :mod:`~qtransport.tight_binding.lead_selfenergy`, equal to Kwant's ``lead.modes(E,
  params=...)`` → ``StabilizedModes.selfenergy()`` to ~1e-12, which is used where the
  decomposition is ambiguous, e.g. at a mode threshold), computed once per energy for
  every set of leads with identical unit cells (a wire's two electrodes are one computation),
  and cached across calls (:func:`lead_selfenergy`) so that many configurations sharing their
  leads (a kinetic Monte Carlo reading many filaments at one Fermi energy) pay for it once.

Checks of every energy (the analogue of the S-matrix unitarity check): the Ward identity of the
in-lead block, Tr[Γ_in i(G_ii − G_ii†)] = Tr[Γ_in G_ii Γ_in G_ii†] + T, exact in exact arithmetic
(i(G − G†) = G Γ G†), whose residual measures the round-off of the recursion, to
:data:`WARD_TOLERANCE` per open mode; 0 ≤ T ≤ N_open; and no lead at a mode threshold (Γ of
rank N_open, :data:`GAMMA_LEAK_TOLERANCE`). An energy failing a check (e.g. a partial system
with a state hidden from its lead exactly at E, or E exactly at a channel threshold) is flagged,
and :func:`~qtransport.tight_binding.lattice.transmission_sweep` solves it with
``kwant.smatrix``.

Not slice-structured (more than two leads, leads not at opposite ends, one slice bigger than
:data:`MAX_BLOCK_ORBITALS`): :func:`slice_plan` returns None and the caller uses
``kwant.smatrix`` (:func:`qtransport.tight_binding.lattice.transmission_sweep` does).

Examples
--------
>>> import kwant
>>> lat = kwant.lattice.square(1, norbs=1)
>>> syst = kwant.Builder()
>>> syst[(lat(x, y) for x in range(6) for y in range(3))] = 4.0
>>> syst[lat.neighbors()] = -1.0
>>> lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
>>> lead[(lat(0, y) for y in range(3))] = 4.0
>>> lead[lat.neighbors()] = -1.0
>>> _ = syst.attach_lead(lead), syst.attach_lead(lead.reversed())
>>> fsyst = syst.finalized()
>>> from qtransport.tight_binding.lattice import transmission_sweep
>>> t, modes = transmission_sweep(fsyst, [1.0, 2.5], method="rgf")
>>> t.round(10).tolist(), modes.tolist()
([1.0, 2.0], [1, 2])
"""
from __future__ import annotations

import hashlib
import logging
import math
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from ..errors import check_array, check_bool, check_int, check_real, check_work
from .lead_selfenergy import retarded_selfenergy

__all__ = ["SlicePlan", "Sweep", "slice_plan", "prepare", "lead_selfenergy", "check_leads",
           "clear_lead_cache", "memory_bytes", "MAX_RGF_BYTES", "MAX_BLOCK_ORBITALS",
           "LEAD_CACHE_BYTES", "WARD_TOLERANCE", "GAMMA_LEAK_TOLERANCE", "PIVOT_TOLERANCE",
           "DENSE_ORBITALS", "TINY_TRANSMISSION", "dense_is_cheaper"]

logger = logging.getLogger(__name__)

#: default most bytes of the dense slice blocks an RGF sweep may hold (``max_bytes=``)
MAX_RGF_BYTES = 2 * 1024 ** 3
#: slices with more orbitals than this are not worth a dense LU: the sweep goes to Kwant
MAX_BLOCK_ORBITALS = 3000
#: most bytes of lead self-energies kept across calls (least recently used dropped first)
LEAD_CACHE_BYTES = 64 * 1024 ** 2
#: Ward-identity residual (per open mode) above which an energy is handed to kwant.smatrix
WARD_TOLERANCE = 1e-10
#: Γ = i(Σ − Σ†) eigenvalues beyond the open modes (relative to max|Σ|) above which the lead is
#: at a mode threshold (Σ's broadening ambiguous) and the energy is handed to kwant.smatrix
GAMMA_LEAK_TOLERANCE = 1e-10
#: smallest pivot of an equilibrated slice LU below which (round-off of T ≳ eps/pivot ≈ 2e-11)
#: the energy is handed to kwant.smatrix
PIVOT_TOLERANCE = 1e-5
#: transmissions below this are handed to kwant.smatrix: T through a vacancy barrier (on-site
#: 1e9 t, T ~ 1e-17) comes out of the dense LU with ~1e-8 relative round-off (measured against
#: 40-digit arithmetic; MUMPS keeps 1e-15), above it RGF's relative error is ≲ 1e-12
TINY_TRANSMISSION = 1e-12
#: systems of at most this many orbitals may be solved as one dense block (no partial
#: systems); by default only when :func:`dense_is_cheaper` says so
DENSE_ORBITALS = 400
#: per-energy cost model, µs on one core (least-squares fit, non-negative, of 30 filament
#: strips and wires, 2-D and 3-D, 24-880 orbitals, 8-44 slices, OpenBLAS, 2026-12-02):
#: one dense block ≈ 64 + 7.8e-5 n³, sliced ≈ 16.8 per slice + 5.7e-3 Σ n_i³ — the sliced
#: recursion pays Python per slice, the dense LU pays n³. Only the speed depends on it.
_DENSE_US = (64.0, 7.8e-5)
_SLICED_US = (16.8, 5.7e-3)


class _SingularSlice(ArithmeticError):
    """A slice's (E − H − Σ) is exactly singular: a state decoupled from both leads at E."""


@dataclass(frozen=True)
class SlicePlan:
    """How the orbitals of a finalized system are cut into slices.

    Parameters
    ----------
    order : ndarray of int
        Orbital indices of the system, slice after slice.
    bounds : ndarray of int
        Slice ``i`` is ``order[bounds[i]:bounds[i + 1]]``.
    in_idx, out_idx : ndarray of int
        Positions of the ``lead_in`` interface orbitals (in Kwant's interface order) inside the
        first slice, and of the ``lead_out`` ones inside the last slice.
    lead_in, lead_out : int
        The two leads.

    Examples
    --------
    >>> from qtransport.tight_binding.filament import system
    >>> plan = slice_plan(system(3, 4).finalized())
    >>> plan.lead_in, plan.lead_out, int(plan.sizes.max())
    (0, 1, 3)
    """

    order: np.ndarray
    bounds: np.ndarray
    in_idx: np.ndarray
    out_idx: np.ndarray
    lead_in: int
    lead_out: int

    @property
    def sizes(self) -> np.ndarray:
        """Orbitals per slice."""
        return np.diff(self.bounds)


def memory_bytes(sizes) -> int:
    """Bytes of the dense RGF blocks of slices with ``sizes`` orbitals (complex, 16 B each).

    Diagonal blocks n_i², the two couplings n_i·n_i+1 of every neighbouring pair, and a working
    set of four blocks of the widest slice (the running Schur complement, its solve, the
    accumulated G column): ≈ slices × width² × 16 B × 3 for a uniform wire.

    Parameters
    ----------
    sizes : array_like of int
        Orbitals of every slice, in slice order.

    Returns
    -------
    int
        Estimated memory, bytes.

    Raises
    ------
    ValueError
        If an argument is invalid: `sizes` must be a 1-D array of finite numbers >= 0; sizes
        must be whole orbital counts.
    TypeError
        If an argument has the wrong type: `sizes` is not an array of real numbers.

    Examples
    --------
    >>> memory_bytes([2, 2])
    512
    """
    n = check_array("sizes", sizes, low=0.0, ndim=1)
    if np.any(n != np.round(n)):
        raise ValueError(f"sizes must be whole orbital counts, got {n[n != np.round(n)][0]}")
    return int(16 * (np.sum(n * n) + 2 * np.sum(n[:-1] * n[1:]) + 4 * n.max() ** 2))


# --- slicing ----------------------------------------------------------------------------------

_PLANS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _orbital_offsets(norbs) -> np.ndarray:
    return np.concatenate([[0], np.cumsum(np.asarray(norbs, dtype=np.int64))])


def _interface_orbitals(sites, offsets) -> np.ndarray:
    sites = np.asarray(sites, dtype=np.int64)
    counts = offsets[sites + 1] - offsets[sites]
    starts = np.repeat(offsets[sites] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return starts + np.arange(int(counts.sum()))


def _direction(fsyst, lead_in, lead_out, pos, in_sites, out_sites) -> np.ndarray:
    """Unit vector along the transport direction: into the system from ``lead_in``."""
    periods = getattr(getattr(fsyst.leads[lead_in], "symmetry", None), "periods", None)
    periods = None if periods is None else np.asarray(periods, dtype=float)
    if periods is not None and periods.shape == (1, pos.shape[1]):
        u = -periods[0]
    else:
        u = pos[out_sites].mean(axis=0) - pos[in_sites].mean(axis=0)
    norm = float(np.linalg.norm(u))
    return u / norm if norm > 0 else u


def _labels(fsyst, rows, cols, norbs, lead_in, lead_out):
    """Slice label of every orbital (consecutive from 0), or None if not slice-structured."""
    offsets = _orbital_offsets(norbs)
    in_sites = np.asarray(fsyst.lead_interfaces[lead_in], dtype=np.int64)
    out_sites = np.asarray(fsyst.lead_interfaces[lead_out], dtype=np.int64)
    pos = [np.atleast_1d(s.pos) for s in fsyst.sites]
    if len({p.shape for p in pos}) != 1:
        return None                               # sites of lattices of different dimension
    pos = np.array(pos, dtype=float)
    if pos.ndim != 2 or not np.all(np.isfinite(pos)):
        return None
    u = _direction(fsyst, lead_in, lead_out, pos, in_sites, out_sites)
    if not np.any(u):
        return None
    s = pos @ u
    order = np.argsort(s, kind="stable")
    scale = max(float(np.ptp(s)), 1.0)
    site_label = np.empty(len(s), dtype=np.int64)
    site_label[order] = np.concatenate([[0], np.cumsum(np.diff(s[order]) > 1e-9 * scale)])
    label = np.repeat(site_label, np.diff(offsets))
    reach = int(np.abs(label[rows] - label[cols]).max()) if len(rows) else 1
    label //= max(reach, 1)                       # hoppings then span at most one slice
    in_orb = _interface_orbitals(in_sites, offsets)
    out_orb = _interface_orbitals(out_sites, offsets)
    if label[in_orb].min() > label[out_orb].max():
        label = label.max() - label               # lead_in sits on the far side: flip
    first, last = int(label[in_orb].max()), int(label[out_orb].min())
    if first >= last:                             # the two interfaces overlap: one block
        label[:] = 0
    else:                                         # everything behind an interface joins it
        label = np.clip(label, first, last) - first
    _, label = np.unique(label, return_inverse=True)
    return label.ravel(), in_orb, out_orb


def _plan_from_pattern(fsyst, rows, cols, norbs, lead_in, lead_out):
    found = _labels(fsyst, rows, cols, norbs, lead_in, lead_out)
    if found is None:
        return None
    label, in_orb, out_orb = found
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(label.max() + 2))
    if np.diff(bounds).max() > MAX_BLOCK_ORBITALS:
        return None
    where = np.empty(len(order), dtype=np.int64)
    where[order] = np.arange(len(order))
    return SlicePlan(order, bounds, where[in_orb] - bounds[0], where[out_orb] - bounds[-2],
                     lead_in, lead_out)


def dense_is_cheaper(sizes) -> bool:
    """Is one dense block expected to solve faster than the slices of these sizes?

    Parameters
    ----------
    sizes : sequence of int
        Orbitals per slice (at least one slice, each ≥ 1).

    Returns
    -------
    bool
        True when the per-energy cost model (:data:`_DENSE_US`, :data:`_SLICED_US`) favours
        one dense LU of all Σ n_i orbitals over the recursion.

    Raises
    ------
    ValueError
        If `sizes` is empty, not 1-D, not finite or has a size < 1.
    TypeError
        If `sizes` holds strings, booleans or complex numbers.

    Examples
    --------
    >>> dense_is_cheaper([3] * 24)          # a thin wire: Python per slice dominates
    True
    >>> dense_is_cheaper([13] * 24)         # a W = 13 strip, L = 20: n³ dominates
    False
    """
    n = check_array("sizes", sizes, ndim=1, low=1.0)
    dense = _DENSE_US[0] + _DENSE_US[1] * n.sum() ** 3
    sliced = _SLICED_US[0] * n.size + _SLICED_US[1] * float(np.sum(n ** 3))
    return bool(dense <= sliced)


def _one_block(plan: SlicePlan) -> SlicePlan:
    """The same orbitals as a single slice (both interfaces inside it)."""
    return SlicePlan(plan.order, np.array([0, plan.bounds[-1]]), plan.in_idx,
                     plan.out_idx + plan.bounds[-2], plan.lead_in, plan.lead_out)


def _fits(plan, rows, cols) -> bool:
    """True if every hopping (rows, cols) stays within a slice or joins neighbouring slices."""
    blk = np.empty(plan.bounds[-1], dtype=np.int64)
    blk[plan.order] = np.repeat(np.arange(len(plan.sizes)), plan.sizes)
    return not len(rows) or int(np.abs(blk[rows] - blk[cols]).max()) <= 1


def check_leads(fsyst, lead_in: int, lead_out: int) -> tuple[int, int, int]:
    """Checked (lead_in, lead_out, number of leads) of a finalized Kwant system.

    ``TypeError`` unless ``fsyst`` is a finalized system; ``ValueError`` with fewer than two
    leads, a lead index out of range, or ``lead_in == lead_out``.

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system.
    lead_in : int
        Index of the incoming lead.
    lead_out : int
        Index of the outgoing lead.

    Returns
    -------
    lead_in : int
        The checked incoming lead.
    lead_out : int
        The checked outgoing lead.
    n_leads : int
        Number of leads of ``fsyst``.

    Raises
    ------
    TypeError
        ``fsyst`` is not a finalized system.
    ValueError
        Fewer than two leads, a lead index out of range, or ``lead_in == lead_out``.

    Examples
    --------
    >>> from qtransport.tight_binding.filament import system
    >>> check_leads(system(3, 4).finalized(), 0, 1)
    (0, 1, 2)
    """
    import kwant
    if not isinstance(fsyst, kwant.system.FiniteSystem):
        raise TypeError(f"fsyst must be a finalized Kwant system (call .finalized() on the "
                        f"Builder), got {type(fsyst).__name__}")
    n_leads = len(fsyst.leads)
    if n_leads < 2:
        raise ValueError(f"fsyst must have at least 2 leads for a conductance, got {n_leads}")
    lead_in = check_int("lead_in", lead_in, low=0, high=n_leads - 1)
    lead_out = check_int("lead_out", lead_out, low=0, high=n_leads - 1)
    if lead_in == lead_out:
        raise ValueError(f"lead_out must differ from lead_in = {lead_in}, got {lead_out}")
    return lead_in, lead_out, n_leads


def slice_plan(fsyst, lead_in: int = 0, lead_out: int = 1, params: dict | None = None, *,
               _pattern=None):
    """The :class:`SlicePlan` of a finalized two-terminal system, or None if it has none.

    Sites are grouped by their coordinate along the transport direction (the ``lead_in``
    period, else the line between the two interfaces); groups are merged until hoppings
    connect only neighbouring slices, and everything behind a lead interface joins the
    interface's slice. None when the system has other than two leads or a slice would exceed
    :data:`MAX_BLOCK_ORBITALS` orbitals (then ``kwant.smatrix`` is the better solver).
    ``params`` are needed only if the system's value functions take some (the plan uses the
    hopping graph and the orbitals per site, not the values). Cached per system.

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system.
    lead_in : int, optional
        Index of the incoming lead (0 ≤ lead_in < number of leads).
    lead_out : int, optional
        Index of the outgoing lead (≠ ``lead_in``).
    params : dict, optional
        Parameters of the value functions, eV-valued Hamiltonian (only for building the hopping
        graph).
    _pattern : tuple, optional
        Internal: the (rows, cols, orbitals per site) of an already built Hamiltonian.

    Returns
    -------
    SlicePlan or None
        The slicing, or ``None`` when the system is not two-terminal slice-structured.

    Raises
    ------
    TypeError, ValueError
        Bad ``fsyst`` or lead indices (:func:`check_leads`).

    Examples
    --------
    >>> from qtransport.tight_binding.filament import system
    >>> plan = slice_plan(system(3, 4).finalized())
    >>> int(plan.sizes.sum()) >= 3 * 4, int(plan.sizes.max())
    (True, 3)
    """
    lead_in, lead_out, n_leads = check_leads(fsyst, lead_in, lead_out)
    if n_leads != 2:
        return None
    key = (lead_in, lead_out)
    try:
        cached = _PLANS.setdefault(fsyst, {})
    except TypeError:                             # not weak-referenceable: do not cache
        cached = {}
    if key in cached:
        return cached[key]
    if _pattern is None:
        ham, norbs, _ = fsyst.hamiltonian_submatrix(sparse=True, return_norb=True,
                                                    params=params)
        _pattern = (ham.row, ham.col, np.asarray(norbs))
    plan = _plan_from_pattern(fsyst, *_pattern, lead_in, lead_out)
    cached[key] = plan
    return plan


# --- lead self-energies ---------------------------------------------------------------------

_LEAD_CACHE: "OrderedDict[tuple, tuple[np.ndarray, int, float]]" = OrderedDict()
_LEAD_CACHE_SIZE = [0]


def clear_lead_cache() -> None:
    """Forget every cached lead self-energy.

    Examples
    --------
    >>> clear_lead_cache()      # the next lead_selfenergy call recomputes
    """
    _LEAD_CACHE.clear()
    _LEAD_CACHE_SIZE[0] = 0


_KEYS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _lead_cell(lead, params):
    """(identity, cell Hamiltonian, inter-cell hopping) of a lead's unit cell, or None.

    The identity hashes the two matrices' bytes. Memoized per lead and per value of the
    parameters the lead uses (``lead.parameters``), so calls that change only the scattering
    region's parameters (disorder maps, vacancies) do not rebuild the lead's matrices.
    """
    if not hasattr(lead, "cell_hamiltonian"):
        return None                               # precalculated lead: nothing to compute
    try:
        used = tuple(sorted((name, (params or {})[name]) for name in lead.parameters))
        memo = _KEYS.setdefault(lead, {})
        hash(used)
    except (AttributeError, KeyError, TypeError):
        used = memo = None                        # unhashable or unknown: compute
    if memo is not None and used in memo:
        return memo[used]
    h = np.ascontiguousarray(lead.cell_hamiltonian(params=params))
    v = np.ascontiguousarray(lead.inter_cell_hopping(params=params))
    digest = hashlib.sha256()
    for a in (h, v):
        digest.update(repr((a.shape, a.dtype.str)).encode())
        digest.update(a.tobytes())
    cell = (digest.digest(), h, v)
    if memo is not None:
        memo[used] = cell
    return cell


def _lead_key(lead, params):
    """Identity of a lead's unit cell (cell Hamiltonian and hopping bytes), or None."""
    cell = _lead_cell(lead, params)
    return None if cell is None else cell[0]


def lead_selfenergy(lead, energy: float, params: dict | None = None, *, key=None
                    ) -> tuple[np.ndarray, int, float]:
    """Retarded self-energy of a Kwant lead at ``energy``, its open modes and its Γ leak.

    Σ from the lead's Bloch modes in one eigensolve
    (:func:`~qtransport.tight_binding.lead_selfenergy.retarded_selfenergy`, equal to Kwant's to
    ~1e-12), or, where that is ambiguous (within ~2e-4 t of a mode threshold, a degenerate
    group moving both ways, a check failed) or the lead is precalculated, from
    ``lead.modes(energy, params=params)`` (the computation ``kwant.smatrix`` does),
    ``StabilizedModes.selfenergy()``; in the order of the lead's interface orbitals. Cached by
    the bytes of the lead's cell Hamiltonian and hopping and by the energy, up to
    :data:`LEAD_CACHE_BYTES` (least recently used dropped): identical leads, and repeated
    calls at one energy, compute it once. The returned array is read-only.

    The leak is the largest eigenvalue of Γ = i(Σ − Σ†) beyond the ``n_open`` largest,
    relative to max|Σ|: ~1e-15 normally, large only at a mode threshold (a mode with zero
    velocity, where the split of Σ into propagating and evanescent parts is ambiguous).

    Parameters
    ----------
    lead : kwant.system.InfiniteSystem
        Finalized Kwant lead.
    energy : float
        Energy, eV (the unit of the Hamiltonian).
    params : dict, optional
        Parameters of the lead's value functions.
    key : bytes, optional
        Identity of the lead's unit cell for the cache (default: computed from its matrices).

    Returns
    -------
    sigma : numpy.ndarray
        Read-only retarded self-energy, eV, on the lead's interface orbitals.
    n_open : int
        Open (propagating) modes at ``energy``.
    leak : float
        Γ eigenvalue beyond the open ones relative to max|Σ|, dimensionless.

    Raises
    ------
    ValueError
        If an argument is invalid: `energy` must be finite.
    TypeError
        If an argument has the wrong type: `energy` is not a real number; lead must be a
        finalized Kwant lead (InfiniteSystem); params must be a dict or None.

    Examples
    --------
    >>> from qtransport.tight_binding.filament import system
    >>> fsyst = system(3, 4).finalized()
    >>> sigma, n_open, _ = lead_selfenergy(fsyst.leads[0], 2.5)
    >>> sigma.shape, n_open
    ((3, 3), 2)
    """
    if not callable(getattr(lead, "modes", None)):
        raise TypeError(f"lead must be a finalized Kwant lead (InfiniteSystem), got {lead!r:.80}")
    energy = check_real("energy", energy)
    if params is not None and not isinstance(params, dict):
        raise TypeError(f"params must be a dict or None, got {params!r:.80}")
    if key is None:
        key = _lead_key(lead, params)
    full = None if key is None else (key, energy)
    if full is not None and full in _LEAD_CACHE:
        _LEAD_CACHE.move_to_end(full)
        return _LEAD_CACHE[full]
    cell = _lead_cell(lead, params)
    fast = None if cell is None else retarded_selfenergy(cell[1], cell[2], energy)
    if fast is not None:                     # one eigensolve (tight_binding.lead_selfenergy)
        sigma, n_open = fast
    else:                                    # ambiguous there (a threshold…): Kwant's modes
        _, stabilized = lead.modes(energy, params=params)
        sigma = np.asarray(stabilized.selfenergy(), dtype=complex)
        n_open = int(stabilized.nmodes)
    sigma.setflags(write=False)
    gamma = np.sort(np.abs(np.linalg.eigvalsh(1j * (sigma - sigma.conj().T))))[::-1]
    scale = max(float(np.abs(sigma).max()) if sigma.size else 0.0, np.finfo(float).tiny)
    leak = float(gamma[n_open]) / scale if n_open < len(gamma) else 0.0
    value = (sigma, n_open, leak)
    if full is not None and sigma.nbytes <= LEAD_CACHE_BYTES:
        _LEAD_CACHE[full] = value
        _LEAD_CACHE_SIZE[0] += sigma.nbytes
        while _LEAD_CACHE_SIZE[0] > LEAD_CACHE_BYTES:
            _, (old, _, _) = _LEAD_CACHE.popitem(last=False)
            _LEAD_CACHE_SIZE[0] -= old.nbytes
    return value


# --- the sweep --------------------------------------------------------------------------------

def _gesv():
    from scipy.linalg import lapack
    return lapack.zgesv


def _operator(block: np.ndarray):
    """``block`` as a left factor: CSR if at most a quarter of it is nonzero, else itself."""
    if block.size and np.count_nonzero(block) <= block.size // 4:
        import scipy.sparse as sp
        return sp.csr_matrix(block)
    return block


class Sweep:
    """Dense slice blocks of one system at fixed ``params``: T(E) per energy by RGF.

    Build it with :func:`prepare`; ``sweep(energy)`` returns (T, open modes of ``lead_in``,
    Ward residual).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system.
    plan : SlicePlan
        Its slicing (:func:`slice_plan`).
    ham : scipy.sparse.coo_matrix
        Its Hamiltonian (eV) from ``fsyst.hamiltonian_submatrix(sparse=True, params=params)``.
    params : dict or None
        Parameters of the value functions (also passed to the leads).

    Examples
    --------
    >>> from qtransport.tight_binding.filament import system
    >>> sweep = prepare(system(3, 4).finalized())
    >>> t, n_open, ok = sweep(2.5)      # a clean 3-site-wide wire: T = its open modes
    >>> round(t, 6), n_open, ok
    (2.0, 2, True)
    """

    def __init__(self, fsyst, plan: SlicePlan, ham, params):
        self.fsyst, self.plan, self.params = fsyst, plan, params
        k = len(plan.sizes)
        where = np.empty(plan.bounds[-1], dtype=np.int64)
        where[plan.order] = np.arange(len(plan.order))
        blk = np.repeat(np.arange(k), plan.sizes)              # slice of each position
        r, c = where[ham.row], where[ham.col]
        br, bc = blk[r], blk[c]
        lr, lc = r - plan.bounds[br], c - plan.bounds[bc]
        dtype = np.result_type(ham.dtype, float)
        self.diag = [np.zeros((n, n), dtype) for n in plan.sizes]
        self.up = [np.zeros((plan.sizes[i], plan.sizes[i + 1]), dtype) for i in range(k - 1)]
        self.down = [np.zeros((plan.sizes[i + 1], plan.sizes[i]), dtype) for i in range(k - 1)]
        for kind, target in ((0, self.diag), (1, self.up), (-1, self.down)):
            sel = np.flatnonzero(bc - br == kind)
            key = np.minimum(br, bc)[sel]                       # index of the block pair
            order = sel[np.argsort(key, kind="stable")]
            cuts = np.searchsorted(np.minimum(br, bc)[order], np.arange(k + 1))
            for i in range(len(target)):
                part = order[cuts[i]:cuts[i + 1]]
                np.add.at(target[i], (lr[part], lc[part]), ham.data[part])
        #: the couplings as left factors: sparse when sparse (nearest-neighbour lattices couple
        #: each site to one or two of the next slice), so H_i,i+1 @ x costs O(n²), not O(n³)
        self.up_op = [_operator(v) for v in self.up]
        self.down_op = [_operator(v) for v in self.down]
        #: the two recursions meet at the narrowest slice (a constriction's bottleneck): each
        #: runs toward narrowing cross-sections, where every site of a slice couples to the
        #: previous one (no partial system with states hidden from its lead)
        self.meet = int(np.argmin(plan.sizes))
        leads = fsyst.leads
        self.keys = [_lead_key(leads[plan.lead_in], params),
                     _lead_key(leads[plan.lead_out], params)]
        self._zgesv = _gesv()
        self._min_pivot = 1.0

    def _solve(self, a, b):
        """a⁻¹ b by LU with partial pivoting after power-of-2 row and column equilibration.

        Equilibration keeps the solve accurate relative to each row's own scale: without it a
        vacancy (on-site barrier 1e9 t) makes the normwise round-off eps·1e9 on the O(t)
        entries. The smallest pivot of the equilibrated LU is kept (``_min_pivot``): a partial
        system with a state nearly hidden from its lead (atoms reached only through vacancies)
        makes it tiny, and the round-off of T grows as eps/pivot.
        """
        mag = np.abs(a)
        row = np.ldexp(1.0, -np.frexp(mag.max(axis=1))[1])
        col = np.ldexp(1.0, -np.frexp((mag * row[:, None]).max(axis=0))[1])
        lu, _, x, info = self._zgesv(a * row[:, None] * col[None, :], b * row[:, None],
                                     overwrite_a=1, overwrite_b=1)
        if info > 0:
            raise _SingularSlice(f"singular slice block (pivot {info})")
        self._min_pivot = min(self._min_pivot, float(np.abs(np.diagonal(lu)).min()))
        return x * col[:, None]

    def __call__(self, energy: float) -> tuple[float, int, bool]:
        """(T, open modes of ``lead_in``, passed the checks) at ``energy`` (eV, finite)."""
        energy = check_real("energy", energy)
        try:
            return self._transmission(energy)
        except _SingularSlice:
            return math.nan, -1, False

    def injectivity(self, energy: float, broadening: float = 0.0
                    ) -> tuple[float, int, bool, np.ndarray | None]:
        """(T, open modes of ``lead_in``, passed the checks, injectivities) at ``energy``.

        Same solve and checks as :meth:`__call__` (the same T to the last bit). For a system
        solved as one dense block (:data:`DENSE_ORBITALS`) the solve yields the whole columns
        G_{·,in} and G_{·,out} of the retarded Green's function, hence the partial local
        densities of states of the states injected from each lead,
        ρ_lead(i) = [G Γ_lead G†]_ii / 2π (= Σ_modes |ψ_lead,m(i)|² / 2π of the scattering
        states of unit current), on every orbital at no extra solve. Sliced systems give
        ``None`` (the recursion keeps only the interface blocks).

        ``broadening`` η > 0 adds iη to every diagonal element of the scattering region (the
        leads keep Σ(E)): a state decoupled from both leads exactly at E (a bound state in the
        continuum, e.g. two dangling atoms on one atom at the band centre of a bipartite
        lattice) makes E − H − Σ singular and its null-space component swamps the columns;
        with η it is damped to eps/η while the injected states change by O(η) (the checks are
        then not meaningful and ``ok`` is returned as computed).

        Parameters
        ----------
        energy : float
            Energy, eV (finite).
        broadening : float, optional
            η ≥ 0, eV (0: none).

        Returns
        -------
        transmission : float
            T(lead_in → lead_out) (``nan`` for a singular block).
        n_open : int
            Open modes of ``lead_in``.
        ok : bool
            The energy passed the checks of :meth:`__call__`.
        rho : numpy.ndarray or None
            Shape (2, orbitals) in the orbital order of the Kwant system: row 0 injected from
            ``lead_in``, row 1 from ``lead_out``, 1/eV; ``None`` for a sliced system, at a
            singular block or without open modes.

        Raises
        ------
        ValueError
            If an argument is invalid: `energy` must be finite; `broadening` must be >= 0.
        TypeError
            If an argument has the wrong type: `energy` or `broadening` are not real numbers.
        """
        energy = check_real("energy", energy)
        eta = check_real("broadening", broadening, low=0.0)
        try:
            return self._transmission(energy, columns=True, eta=eta)
        except _SingularSlice:
            return math.nan, -1, False, None

    def _transmission(self, energy: float, columns: bool = False, eta: float = 0.0):
        plan, leads, up, down = self.plan, self.fsyst.leads, self.up, self.down
        up_op, down_op = self.up_op, self.down_op
        sig_in, n_open, leak_in = lead_selfenergy(leads[plan.lead_in], energy, self.params,
                                                  key=self.keys[0])
        sig_out, n_out, leak_out = lead_selfenergy(leads[plan.lead_out], energy, self.params,
                                                   key=self.keys[1])
        if n_open == 0 or n_out == 0:           # no propagating mode on one side: T = 0
            return (0.0, n_open, True, None) if columns else (0.0, n_open, True)
        if max(leak_in, leak_out) > GAMMA_LEAK_TOLERANCE:   # at a mode threshold: Γ ambiguous
            return (math.nan, n_open, False, None) if columns else (math.nan, n_open, False)
        ii, oo, m = plan.in_idx, plan.out_idx, self.meet
        k, n_in = len(self.diag), len(ii)
        self._min_pivot = 1.0
        # left-connected recursion, slices 0 … m−1 (lead_in side)
        a = self._shifted(0, energy)
        if eta and k == 1:
            a.flat[::a.shape[0] + 1] += 1j * eta
        a[np.ix_(ii, ii)] -= sig_in
        d = np.zeros((a.shape[0], n_in), dtype=complex)
        d[ii, np.arange(n_in)] = 1.0
        r = g0_ii = None
        for i in range(m):
            n1 = up[i].shape[1]
            x = self._solve(a, np.hstack([up[i], d]))
            x1, c = x[:, :n1], x[:, n1:]
            if i == 0:          # r = [g_0 H_01 … g_i H_i,i+1] and g0_ii = G^(0…i)_00, rows ii
                r, g0_ii = x1[ii], c[ii]
            else:               # Dyson: the part 0 … i−1 coupled to slice i
                g0_ii = g0_ii + r @ c
                r = r @ x1
            a = self._shifted(i + 1, energy) - down_op[i] @ x1
            d = down_op[i] @ c
        # right-connected recursion, slices k−1 … m+1 (lead_out side)
        b = a if m == k - 1 else self._shifted(k - 1, energy)
        b[np.ix_(oo, oo)] -= sig_out
        right = np.zeros((b.shape[0], len(oo)), dtype=complex)
        right[oo, np.arange(len(oo))] = 1.0
        for j in range(k - 1, m, -1):
            n1 = down[j - 1].shape[1]
            x = self._solve(b, np.hstack([down[j - 1], right]))
            schur = up_op[j - 1] @ x[:, :n1]
            right = up_op[j - 1] @ x[:, n1:]
            if j - 1 > m:
                b = self._shifted(j - 1, energy) - schur
            else:
                a = a - schur
        z = self._solve(a, np.hstack([d, right]))
        if m == 0:
            g_ii, g_io = z[ii, :n_in], z[ii, n_in:]
        else:
            g_ii, g_io = g0_ii + r @ z[:, :n_in], r @ z[:, n_in:]
        gam_in = 1j * (sig_in - sig_in.conj().T)
        gam_out = 1j * (sig_out - sig_out.conj().T)
        t = float(np.einsum("ij,ji->", gam_in, g_io @ gam_out @ g_io.conj().T).real)
        spectral = float(np.einsum("ij,ji->", gam_in, 1j * (g_ii - g_ii.conj().T)).real)
        back = float(np.einsum("ij,ji->", gam_in, g_ii @ gam_in @ g_ii.conj().T).real)
        scale = WARD_TOLERANCE * max(1, n_open)
        ok = (abs(spectral - back - t) <= scale and -scale <= t <= min(n_open, n_out) + scale
              and np.isfinite(t) and self._min_pivot >= PIVOT_TOLERANCE
              and t >= TINY_TRANSMISSION)
        if not columns:
            return t, n_open, bool(ok)
        rho = None
        if k == 1:                  # one block: z = [G_{·,in}, G_{·,out}] on every orbital
            rho = np.empty((2, plan.bounds[-1]))
            for row, g, gam in ((0, z[:, :n_in], gam_in), (1, z[:, n_in:], gam_out)):
                rho[row, plan.order] = np.einsum("ia,ab,ib->i", g, gam, g.conj()).real
            rho /= 2 * math.pi
        return t, n_open, bool(ok), rho

    def _shifted(self, i: int, energy: float) -> np.ndarray:
        """E·1 − H_ii of slice i (a new complex array)."""
        a = -self.diag[i].astype(complex)
        a.flat[::a.shape[0] + 1] += energy
        return a


def prepare(fsyst, params: dict | None = None, lead_in: int = 0, lead_out: int = 1, *,
            max_bytes: int = MAX_RGF_BYTES, strict: bool = True,
            dense_orbitals: int | None = None):
    """A :class:`Sweep` of ``fsyst`` at ``params``, or None when RGF does not apply.

    Systems of at most ``dense_orbitals`` orbitals are one dense block (the same Caroli
    formula and checks, no partial systems); larger ones are sliced. By default
    (``dense_orbitals=None``) a system of at most :data:`DENSE_ORBITALS` orbitals is one block
    only when that is the faster solve (:func:`dense_is_cheaper`): a W = 13, L = 20 strip
    (312 orbitals in 24 slices) solves 3–5× faster sliced. Both give T to round-off
    (measured ≤ 8e-15 apart; tested to 1e-12).

    ``strict=True`` (the explicit RGF request) raises ``ValueError`` when the system is not
    slice-structured and ``WorkLimitError`` when the dense blocks (:func:`memory_bytes`) exceed
    ``max_bytes``; ``strict=False`` returns None in both cases (the caller uses Kwant).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system.
    params : dict, optional
        Parameters of the value functions.
    lead_in : int, optional
        Index of the incoming lead (0 ≤ lead_in < number of leads).
    lead_out : int, optional
        Index of the outgoing lead (≠ ``lead_in``).
    max_bytes : int, optional
        Most bytes of the dense blocks (≥ 1).
    strict : bool, optional
        Raise instead of returning ``None`` when RGF does not apply.
    dense_orbitals : int or None, optional
        Systems of at most this many orbitals are one dense block (≥ 0); None: at most
        :data:`DENSE_ORBITALS` and only when :func:`dense_is_cheaper` (the default).

    Returns
    -------
    Sweep or None
        The prepared sweep, or ``None`` (``strict=False``) when RGF does not apply.

    Raises
    ------
    ValueError
        ``strict=True`` and the system is not slice-structured, or a bad argument.
    WorkLimitError
        ``strict=True`` and the blocks need more than ``max_bytes``.

    Examples
    --------
    >>> from qtransport.tight_binding.filament import system
    >>> sweep = prepare(system(3, 4).finalized())
    >>> [round(sweep(e)[0], 6) for e in (1.0, 2.5, 4.0)]   # clean wire: T = open modes
    [1.0, 2.0, 3.0]
    """
    limit = check_int("max_bytes", max_bytes, low=1)
    strict = check_bool("strict", strict)
    if dense_orbitals is not None:
        dense_orbitals = check_int("dense_orbitals", dense_orbitals, low=0)
    ham, norbs, _ = fsyst.hamiltonian_submatrix(sparse=True, return_norb=True, params=params)
    pattern = (ham.row, ham.col, np.asarray(norbs))
    plan = slice_plan(fsyst, lead_in, lead_out, _pattern=pattern)
    if plan is not None and not _fits(plan, ham.row, ham.col):
        plan = _plan_from_pattern(fsyst, *pattern, lead_in, lead_out)   # other params' graph
        if plan is not None and not _fits(plan, ham.row, ham.col):
            plan = None
    if plan is None:
        if strict:
            raise ValueError("fsyst is not slice-structured for RGF (two leads at opposite "
                             "ends, hoppings between neighbouring slices only, slices of at "
                             f"most {MAX_BLOCK_ORBITALS} orbitals): use method='kwant'")
        return None
    n_orbitals = plan.bounds[-1]
    if dense_orbitals is None:          # the default: one block only where it is faster
        one_block = n_orbitals <= DENSE_ORBITALS and dense_is_cheaper(plan.sizes)
    else:
        one_block = n_orbitals <= dense_orbitals
    if one_block and len(plan.sizes) > 1:
        plan = _one_block(plan)
    estimate = memory_bytes(plan.sizes)
    sizes = plan.sizes
    hint = (f"{len(sizes)} slices of up to {int(sizes.max())} orbitals × 16 B, "
            f"Σ n² + 2 Σ n_i n_i+1 + 4 n_max²")
    if estimate > limit:
        if strict:
            check_work("max_bytes", estimate, limit, unit="bytes", hint=hint)
        logger.info("RGF would need %.3g bytes (%s) > max_bytes = %.3g: using kwant.smatrix",
                    estimate, hint, limit)
        return None
    return Sweep(fsyst, plan, ham, params)
