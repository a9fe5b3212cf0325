"""Quantum Josephson circuits: charge-basis spectra (transmon / CPB) and QuTiP operators.

H = 4E_C (n̂ − n_g)² − E_J cos φ̂ in the charge basis |n⟩, |n| ≤ ncut (energies in GHz, E/h, as
scqubits does). cos φ̂ couples n ↔ n ± 1, so H is real symmetric tridiagonal: :func:`spectrum`
finds its lowest levels with LAPACK for a few parameter points (on a charge window around
n ≈ n_g proven to hold them, :func:`_one_window`). A sweep along one parameter
(many n_g at one E_J, or many E_J at one n_g) is interpolated from a few LAPACK points on
Chebyshev nodes (in cos 2πn_g, Bloch's variable, or in √E_J; :func:`_sweep_guess`), polished by
Newton steps where needed, and every level of every point is then verified by Sturm counts of
the exact matrix (:func:`_sturm_verify`); points that fail, and sweeps that are not smooth enough
to interpolate even roughly, are solved as one batched problem (:func:`_windowed_lowest`,
vectorized Sturm counts + Newton). :func:`hamiltonian` returns a QuTiP
``Qobj`` stored explicitly as sparse CSR for dynamics. Open-system dynamics live in
:mod:`.qdynamics`, the current-biased junction in the phase basis in :mod:`.washboard`.

Examples
--------
>>> from qtransport.josephson import quantum
>>> e = quantum.spectrum(ej_GHz=20.0, ec_GHz=0.3, ng=0.3, ncut=30, levels=3)
>>> round(float(e[1] - e[0]), 4)
6.6134
"""
from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from numpy.polynomial.chebyshev import chebvander as _chebvander
from scipy.fft import dct as _dct
from scipy.linalg import eigh_tridiagonal, eigvalsh_tridiagonal
from scipy.linalg.lapack import dstemr as _dstemr
from scipy.linalg.lapack import dsterf as _dsterf

from ..errors import AccuracyWarning, check_array, check_int, check_real, check_work
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare

__all__ = ["charge_diagonals", "spectrum", "hamiltonian", "charge_operator", "transmon_e01_GHz",
           "spectrum_vs_ng"]


#: estimated truncation error (GHz) of a level above which :func:`spectrum` warns: 1 kHz, below
#: any spectroscopic resolution of a superconducting qubit
TRUNCATION_TOLERANCE_GHZ = 1e-6
#: default most charge states × n_g values of one :func:`spectrum` call (``max_states=``)
MAX_STATES = 10**8
#: largest basis solved by scipy's ``dstemr`` wrapper, which allocates all n × n eigenvector
#: entries whatever the number asked for (8n² bytes: 128 MB here); larger bases use
#: ``eigh_tridiagonal(select="i")``, which keeps only the k vectors asked for
DSTEMR_MAX_STATES = 4001
#: largest E_J/h and E_C/h accepted, GHz: 1e6 GHz is E_J of a ~2 mA junction or E_C of a
#: 0.02 aF island, far beyond any Josephson circuit (squared energies would overflow near 1e154)
MAX_ENERGY_GHZ = 1e6
#: largest |n_g| accepted (Cooper pairs): the spectrum is periodic in n_g, and beyond ~ncut the
#: charge basis no longer holds the levels (warned); 1e6 is far beyond any cut-off in use
MAX_NG = 1e6


def _truncation_error(d, vecs, vals, ej, ec, nc, ng) -> np.ndarray:
    """Second-order estimate of each level's shift from the charge states |n| = ncut + 1 left out.

    The missing states n = ±(ncut + 1) couple to the edge states |±ncut⟩ by −E_J/2, so level k
    moves by ≈ (E_J/2)² |ψ_k(±ncut)|² / (E_k − 4E_C(±(ncut + 1) − n_g)²) (the denominator kept
    at least E_C). Zero when E_J = 0 (charge states are exact) or when ψ_k vanishes at the edge.
    """
    d_out = 4.0 * ec * np.array([[(-nc - 1 - ng) ** 2], [(nc + 1 - ng) ** 2]])   # n = ∓(ncut+1)
    gap = np.maximum(np.abs(d_out - vals), ec)
    return (0.25 * ej * ej) * np.einsum("ij,ij->j", vecs[[0, -1]] ** 2, 1.0 / gap)


def _periodic_error(vals, ej: float, ec: float, ng: float, nc: int) -> np.ndarray:
    """|E_k(n_g) − E_k(n_g − round(n_g))| for |n_g| near or beyond ncut, else zeros (GHz).

    The spectrum is periodic in n_g (period 1). Near the edge of the charge basis the states
    left out lie below the ones kept, where the second-order estimate of
    :func:`_truncation_error` does not apply; the same levels at the reduced n_g, in the
    centre of the basis, are the reference (their own truncation is estimated as usual).
    """
    vals = np.asarray(vals, float)
    if abs(ng) <= nc - 2:
        return np.zeros_like(vals)
    d, e = charge_diagonals(ej, ec, ng - round(ng), nc)
    ref = eigvalsh_tridiagonal(d, e, select="i", select_range=(0, len(vals) - 1))
    return np.abs(vals - ref)


def _check(ej_GHz, ec_GHz, ncut) -> tuple[float, float, int]:
    ej = check_real("ej_GHz", ej_GHz, low=0.0, high=MAX_ENERGY_GHZ)
    ec = check_real("ec_GHz", ec_GHz, low=0.0, low_open=True, high=MAX_ENERGY_GHZ)
    return ej, ec, check_int("ncut", ncut, low=1)


def charge_diagonals(ej_GHz: float, ec_GHz: float, ng: float, ncut: int):
    """Main and off-diagonal of H in the charge basis n = −ncut … ncut, GHz.

    Parameters
    ----------
    ej_GHz : float
        Josephson energy E_J/h, GHz (≥ 0).
    ec_GHz : float
        Charging energy E_C/h, GHz (> 0).
    ng : float
        Offset charge n_g, units of 2e.
    ncut : int
        Charge cut-off (≥ 1): states |n| ≤ ncut.

    Returns
    -------
    diagonal : numpy.ndarray
        4E_C(n − n_g)², GHz, length 2·ncut + 1.
    off_diagonal : numpy.ndarray
        −E_J/2, GHz, length 2·ncut.

    Raises
    ------
    ValueError
        If an argument is invalid: `ng` must be >= -1e+06 and <= 1e+06.
    TypeError
        If an argument has the wrong type: `ng` is not a real number.

    Examples
    --------
    >>> d, e = charge_diagonals(10.0, 0.5, 0.0, 1)
    >>> d.tolist(), e.tolist()
    ([2.0, 0.0, 2.0], [-5.0, -5.0])
    """
    ej, ec, nc = _check(ej_GHz, ec_GHz, ncut)
    n = np.arange(-nc, nc + 1, dtype=float)
    ng = check_real("ng", ng, low=-MAX_NG, high=MAX_NG)
    return 4.0 * ec * (n - ng) ** 2, np.full(2 * nc, -0.5 * ej)


#: at least this many spectra in one :func:`spectrum` call go through the batched solver
#: :func:`_lowest_eigenvalues` (fewer: one LAPACK ``dstemr`` call each)
BATCH_MIN = 8
#: bisection steps with Sturm counts alone (2 numpy calls per row instead of 5) before Newton
ISOLATION_STEPS = 3
#: points per block of the batched solver (bounds its work arrays to ~ 2 × N × block × levels)
BATCH_BLOCK = 2048


def _lowest_eigenvalues(d: np.ndarray, e2: np.ndarray, k: int,
                        maxiter: int = 200) -> np.ndarray:
    """Lowest ``k`` eigenvalues of many real symmetric tridiagonal matrices at once.

    Row p is the matrix with diagonal ``d[p]`` (length N) and every off-diagonal element equal to
    ±√``e2[p]`` (only the square enters). All P × k eigenvalues are found together by a
    safeguarded Newton iteration on the characteristic polynomial, evaluated with the LDLᵀ pivot
    recurrence q_i = (d_i − x) − e²/q_{i−1}, vectorized over every point and level:

    * the number of negative pivots is the Sturm count (eigenvalues below x), which keeps a
      bracket [a, b] of eigenvalue j (count(a) ≤ j < count(b)), started from Weyl's bound
      |λ_j − (j-th smallest d)| ≤ ‖off-diagonal part‖ ≤ 2|e|;
    * d/dx log det(T − x) = Σ q_i'/q_i (q_i' by differentiating the recurrence) gives the Newton
      step, accepted only when the count says x is between λ_{j−1} and λ_{j+1} and the step
      stays in the bracket; otherwise the bracket is bisected;
    * an eigenvalue is done when the Newton step (or the bracket) is below 1e-13 ‖T‖ — LAPACK's
      own accuracy is ~1e-16 ‖T‖, and Newton converges quadratically, so the returned value is
      typically at rounding level.

    Points whose eigenvalues do not all converge in ``maxiter`` iterations (or hit an exactly
    zero pivot) are redone one by one with LAPACK (``eigvalsh_tridiagonal``).
    """
    P, N = d.shape
    dT = np.ascontiguousarray(d.T)
    e2 = np.asarray(e2, dtype=float)
    w = 2.0 * np.sqrt(e2)
    norm = np.abs(d).max(axis=1) + w
    tol = (1e-13 * norm)[:, None]
    ds = np.sort(d, axis=1)[:, :k]
    pad = (1e-12 * norm + 1e-300)[:, None]
    a, b = ds - w[:, None] - pad, ds + w[:, None] + pad
    x = 0.5 * (a + b)
    j = np.arange(k)
    out = np.full((P, k), np.nan)
    act = np.arange(P)
    fin = np.zeros((P, k), bool)
    e2c = e2[:, None]
    Q, QP = np.empty((N, P, k)), np.empty((N, P, k))
    t = np.empty((P, k))
    with np.errstate(all="ignore"):
        for _ in range(ISOLATION_STEPS):         # cheap bisection: Sturm counts only
            dmx = dT[:, :, None] - x
            q = Q
            q[0] = dmx[0]
            for i in range(1, N):
                np.divide(e2c, q[i - 1], out=t)
                np.subtract(dmx[i], t, out=q[i])
            below = np.count_nonzero(q < 0, axis=0) <= j
            a, b = np.where(below, x, a), np.where(below, b, x)
            x = 0.5 * (a + b)
        for _ in range(maxiter):
            n = act.size
            q, qp, tt = Q[:, :n], QP[:, :n], t[:n]
            dmx = dT[:, act, None] - x
            eb = e2c[act]
            q[0] = dmx[0]
            qp[0] = -1.0
            for i in range(1, N):
                np.divide(eb, q[i - 1], out=tt)
                np.subtract(dmx[i], tt, out=q[i])
                tt /= q[i - 1]
                tt *= qp[i - 1]
                np.subtract(tt, 1.0, out=qp[i])
            cnt = np.count_nonzero(q < 0, axis=0)
            step = -1.0 / np.einsum("ijk,ijk->jk", qp, 1.0 / q)
            below = (cnt <= j) | fin
            a, b = np.where(below, x, a), np.where(below, b, x)
            y = x + step
            ta = tol[act]
            near = (cnt == j) | (cnt == j + 1)
            conv = near & (np.abs(step) <= ta)
            newton = (near & (y > a) & (y < b)) | conv
            y = np.where(fin, x, np.where(newton, y, 0.5 * (a + b)))
            fin = fin | conv | (b - a <= ta)
            rows = fin.all(axis=1)
            if rows.any():
                out[act[rows]] = y[rows]
                keep = ~rows
                act, a, b, y, fin = act[keep], a[keep], b[keep], y[keep], fin[keep]
                if act.size == 0:
                    break
            x = y
    bad = ~np.isfinite(out).all(axis=1)
    for p in np.flatnonzero(bad):               # not converged / zero pivot: LAPACK, one by one
        out[p] = eigvalsh_tridiagonal(d[p], np.full(N - 1, -np.sqrt(e2[p])), select="i",
                                      select_range=(0, k - 1))
    return out


def _edge_weight_bound(d: np.ndarray, e2: np.ndarray, lam_max: np.ndarray,
                       enough: tuple | None = None) -> tuple:
    """Rigorous upper bounds on |ψ_j(first row)|² and |ψ_j(last row)|² for all λ_j ≤ ``lam_max``.

    For an eigenvector, the forward pivots of T − λ give ψ_i = −e ψ_{i+1}/q_i exactly, so
    |ψ_0|² = Π_{l<m} (e/q_l)² |ψ_m|² ≤ Π_{l<m} (e/q_l)² for every m (|ψ_m| ≤ 1). Over the leading
    rows with d_l > λ_max + 2|e| every pivot exceeds |e| (induction: q_l > d_l − λ − |e|) and
    decreases with λ, so the product there, evaluated at λ_max, bounds every lower level too —
    and the recurrence is stable there (no cancellation). The last row: the same from the
    bottom. One (N, P) recurrence per edge instead of eigenvectors; used to decide whether the
    exact estimate (:func:`_truncation_error`, eigenvectors from LAPACK) is needed at all.
    ``enough`` (first-row and last-row arrays over the points): stop an edge's product once it
    is below them at every point (each further factor is ≤ 1, so the bound only tightens, and a
    bound below what the caller needs is as good as the tightest).
    """
    thr = lam_max + 2.0 * np.sqrt(e2)
    out = []
    with np.errstate(all="ignore"):
        dT = np.ascontiguousarray(d.T)
        for edge, ddT in enumerate((dT, dT[::-1])):
            bound = np.ones(d.shape[0])
            lead = ddT[0] > thr                     # the point is still in its leading rows
            q = ddT[0] - lam_max
            for i in range(1, ddT.shape[0] + 1):
                if not lead.any():
                    break
                t = e2 / q                                  # e²/q_i, also the next pivot's term
                np.multiply(bound, t / q, out=bound, where=lead)
                if i == ddT.shape[0] or (enough is not None and np.all(bound <= enough[edge])):
                    break
                q = ddT[i] - lam_max
                q -= t
                lead &= ddT[i] > thr
            out.append(bound)
    return out[0], out[1]


def _window_width(d: np.ndarray, e2: np.ndarray, ec: float, k: int) -> int:
    """Rows 2h + 1 of the charge window of :func:`_windowed_lowest` (its docstring: h is the
    smallest half-width at which Π |e|/(d_l − U) falls below 1e-15 ‖T‖/|e| at every point),
    for all offsets at once in log space (the factors count only beyond d_l > U + 2|e|, which
    once true stays true as d_l grows with the offset)."""
    P, N = d.shape
    e = np.sqrt(e2)
    upper = np.partition(d, k - 1, axis=1)[:, k - 1]
    norm = np.abs(d).max(axis=1) + 2 * e
    # |ψ_edge| below this makes the residual |e ψ_edge| 10× under the verification's 1e-14 ‖T‖
    log_target = np.log(1e-15 * norm / np.maximum(e, 1e-300))
    o = np.arange(1, N // 2 + 1)
    gap = 4 * ec * (o[None, :] - 0.5) ** 2 - upper[:, None]          # d_l − U at offset o
    with np.errstate(all="ignore"):
        f = np.where(gap > 2 * e[:, None], np.log(e[:, None] / np.maximum(gap, 1e-300)), 0.0)
    ok = (np.cumsum(f, axis=1) < log_target[:, None]).all(axis=0)
    h = int(o[np.argmax(ok)]) if ok.any() else N
    return 2 * max(h, k) + 1


def _windowed_lowest(d: np.ndarray, e2: np.ndarray, ec: float, k: int) -> np.ndarray:
    """:func:`_lowest_eigenvalues` on a window of the charge basis around n ≈ n_g, verified.

    The low levels decay like Π |e|/(d_l − λ) away from n ≈ n_g, so the charge states far out
    change them by less than rounding. The window half-width h is the smallest for which that
    product, with λ replaced by the estimate U = k-th smallest d (factors |e|/(d_l − U) over
    rows with d_l > U + 2|e|, d_l ≥ 4E_C(|o| − ½)² at offset o), falls below 1e-15 ‖T‖/|e| for
    every point (and h ≥ k). U is only a guess (Weyl's rigorous bound would add 2|e|); what
    guarantees the result is the check after solving. After solving, each
    point is verified rigorously: the window's eigenvector at a cut edge is bounded by
    :func:`_edge_weight_bound`, the residual of that eigenpair in the full matrix is
    |e|·|ψ_edge| and some full-matrix eigenvalue lies within it; the window (a principal
    submatrix) is accepted when that residual is below 1e-14 ‖T‖ and the rows left out lie
    above λ_max + 2|e| (so they carry no lower level). Other points use the full matrix.
    """
    P, N = d.shape
    e = np.sqrt(e2)
    norm = np.abs(d).max(axis=1) + 2 * e
    width = _window_width(d, e2, ec, k)
    if width >= N:
        return _lowest_eigenvalues(d, e2, k)
    start = np.clip(np.argmin(d, axis=1) - width // 2, 0, N - width)
    dw = _window(d, width)
    vals = _lowest_eigenvalues(dw, e2, k)
    w0, w1 = _edge_weight_bound(dw, e2, vals[:, -1])
    tol2 = (1e-14 * norm) ** 2
    cut0, cut1 = start > 0, start + width < N
    rows = np.arange(N)
    left = (rows[None, :] < start[:, None]) | (rows[None, :] >= (start + width)[:, None])
    out_min = np.where(left, d, np.inf).min(axis=1)
    ok = ((~cut0 | (e2 * w0 <= tol2)) & (~cut1 | (e2 * w1 <= tol2))
          & (out_min > vals[:, -1] + 2 * e))
    redo = np.flatnonzero(~ok)
    if redo.size:
        vals[redo] = _lowest_eigenvalues(d[redo], e2[redo], k)
    return vals


#: Chebyshev extrema grids tried (nested: each reuses the previous nodes) for the levels along a
#: one-parameter sweep (:func:`_sweep_guess`); a grid is used only if it has at most
#: ``points // SWEEP_NODE_FRACTION`` nodes, so the nodes never cost more than the sweep saves
SWEEP_NODES = (9, 17, 33, 65, 129)
SWEEP_NODE_FRACTION = 8
#: Chebyshev tail (relative to the levels' scale) below which the interpolated levels are used as
#: they are; between it and SWEEP_POLISH_TAIL Newton steps polish them first (one, and a second
#: at the points whose first step was large)
SWEEP_EXACT_TAIL, SWEEP_POLISH_TAIL = 1e-13, 1e-7
#: a rougher interpolant (tail up to SWEEP_GUESS_TAIL, e.g. E_J ≲ 10 E_C, where the higher bands
#: nearly touch) still serves as the start of up to SWEEP_NEWTON_STEPS Newton steps
SWEEP_GUESS_TAIL, SWEEP_NEWTON_STEPS = 1e-3, 4
#: accepted levels are within SWEEP_VERIFY × (max |level| + E_C) of the exact ones (Sturm counts)
SWEEP_VERIFY = 1e-12


def _lapack_lowest(d: np.ndarray, e2: np.ndarray, k: int) -> np.ndarray:
    """Lowest k eigenvalues of each row's tridiagonal matrix (diagonal ``d[p]``, off-diagonal
    −√``e2[p]``), one LAPACK ``dsterf`` call each (all eigenvalues, values only, ascending:
    ~50 µs for 61 rows, less than a batched pass over few points); shape (points, k)."""
    out = np.empty((d.shape[0], k))
    for p in range(d.shape[0]):
        e = np.full(d.shape[1] - 1, -np.sqrt(e2[p]))
        vals, info = _dsterf(d[p], e)
        out[p] = vals[:k] if info == 0 else eigvalsh_tridiagonal(d[p], e, select="i",
                                                                  select_range=(0, k - 1))
    return out


def _window(d: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` rows of each point's diagonal centred on its smallest entry (n ≈ n_g)."""
    if width >= d.shape[1]:
        return d
    start = np.clip(np.argmin(d, axis=1) - width // 2, 0, d.shape[1] - width)
    return np.take_along_axis(d, start[:, None] + np.arange(width), axis=1)


def _sweep_guess(ejs: np.ndarray, ngv: np.ndarray, ec: float, nc: int, k: int):
    """Levels of a one-parameter sweep interpolated from a few exact points, or ``None``.

    Along an E_J sweep (one n_g) every level is an analytic function of E_J (the eigenvalues of
    an irreducible tridiagonal matrix are simple), interpolated in t = √E_J (the variable of the
    transmon's plasma frequency √(8E_JE_C): half the nodes of t = E_J for E_J = 2 … 40 GHz at
    1e-7); along an n_g sweep (one E_J) the levels of the untruncated problem depend on n_g
    only through t = cos 2πn_g (period 1 in n_g, even in n_g: Bloch's theorem for the
    2π-periodic potential), and within a band the level is an analytic function of t (the
    Floquet discriminant has a non-zero slope inside a band and at an open gap's edge). So each
    level is interpolated on Chebyshev nodes spanning the swept range of t, the levels at the
    nodes from LAPACK (:func:`_lapack_lowest`), doubling the nodes until the Chebyshev tail is below
    :data:`SWEEP_POLISH_TAIL` of the levels' scale (a Newton step, ~ one pass over the rows
    at all points, costs less than the next doubling). Nothing here is trusted: every returned
    level is verified point by point against the exact matrix (:func:`_sturm_verify`).

    Returns
    -------
    tuple or None
        ``(guess, polish, width)`` with ``guess`` of shape (points, k), ``polish`` True when
        the tail is only below :data:`SWEEP_POLISH_TAIL` (Newton steps are needed) and
        ``width`` the charge window's rows for them; ``None`` when the
        parameters are not a one-parameter sweep, or the tail with at most points /
        :data:`SWEEP_NODE_FRACTION` nodes is above :data:`SWEEP_GUESS_TAIL` — then the points
        go to the batched solver directly. Between :data:`SWEEP_POLISH_TAIL` and
        :data:`SWEEP_GUESS_TAIL` (E_J ≲ 10 E_C: the higher bands nearly touch at n_g = 0, ½,
        where a level has a branch point just off the real t axis) the interpolant is only a
        starting point for Newton steps.
    """
    P = ejs.size
    if ngv.min() == ngv.max():
        t = np.sqrt(ejs)

        def node_at(tn):                        # (E_J, n_g) of the nodes tn
            return tn * tn, np.full(tn.size, ngv[0])
    elif ejs.min() == ejs.max():
        t = np.cos(2.0 * np.pi * ngv)

        def node_at(tn):
            return np.full(tn.size, ejs[0]), np.arccos(np.clip(tn, -1.0, 1.0)) / (2.0 * np.pi)
    else:
        return None
    n = np.arange(-nc, nc + 1, dtype=float)
    width = None

    def levels_at(tn):
        """LAPACK on a charge window (:func:`_window_width` of the first grid, which holds
        the ends of the swept range; LAPACK's cost grows as rows²: 61 → 35 rows is 2.5×
        cheaper; the window's levels differ from the full matrix's by less than rounding, and
        the check against the full matrix catches it if not)."""
        nonlocal width
        ej, ng = node_at(tn)
        d, e2 = 4.0 * ec * (n[None, :] - ng[:, None]) ** 2, (0.5 * ej) ** 2
        if width is None:
            width = _window_width(d, e2, ec, k)
        return _lapack_lowest(_window(d, width), e2, k)

    lo, hi = float(t.min()), float(t.max())
    if hi - lo <= 1e-14 * max(abs(lo), abs(hi), 1.0):   # one matrix (up to n_g → n_g + 1)
        return np.broadcast_to(levels_at(np.array([lo])), (P, k)), False, width
    vals = None
    for n_nodes in SWEEP_NODES:
        if n_nodes > P // SWEEP_NODE_FRACTION:
            break
        u = np.cos(np.pi * np.arange(n_nodes) / (n_nodes - 1))      # extrema of T_{n-1}
        if vals is None:
            vals = levels_at(0.5 * (hi + lo) + 0.5 * (hi - lo) * u)
        else:                       # the previous grid is every other node of this one
            new = np.empty((n_nodes, k))
            new[::2] = vals
            new[1::2] = levels_at(0.5 * (hi + lo) + 0.5 * (hi - lo) * u[1::2])
            vals = new
        coef = _dct(vals, type=1, axis=0) / (n_nodes - 1)
        coef[0] /= 2.0
        coef[-1] /= 2.0
        tail = np.abs(coef[-3:]).max() / (np.abs(vals).max() + ec)
        if tail <= SWEEP_POLISH_TAIL:           # one Newton step is cheaper than doubling
            break
    if vals is None or tail > SWEEP_GUESS_TAIL:
        return None
    x = np.clip((2.0 * t - (hi + lo)) / (hi - lo), -1.0, 1.0)
    return _chebvander(x, coef.shape[0] - 1) @ coef, bool(tail > SWEEP_EXACT_TAIL), width


def _sturm_counts(dT: np.ndarray, e2: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Sturm counts (eigenvalues of T_p below x[p, m]) for every point p and shift x[p, :].

    ``dT`` (N, P) diagonals (row i: entry i of every point, contiguous), ``e2`` (P,) squared
    off-diagonals, ``x`` (P, m) shifts. The count is
    the number of negative LDLᵀ pivots q_i = d_i − x − e²/q_{i−1}; −1 where a 0/0 (only possible
    if e = 0) made it meaningless. One vector operation per row and term over all P × m shifts
    (the recurrence is sequential in rows only), on row-sized buffers that stay in cache.
    """
    dT = dT[:, :, None]
    e2c = np.asarray(e2, dtype=float).reshape(-1, 1)
    q = np.subtract(dT[0], x)
    t = np.empty(x.shape)
    neg = np.empty(x.shape, bool)
    cnt = (q < 0).astype(np.int64)
    for i in range(1, dT.shape[0]):
        np.divide(e2c, q, out=t)                 # e²/q_{i−1}
        np.subtract(dT[i], x, out=q)
        q -= t                                   # q_i
        np.less(q, 0.0, out=neg)
        cnt += neg
    cnt[np.isnan(q)] = -1                        # a NaN pivot stays NaN to the last row
    return cnt


def _newton_steps(dT: np.ndarray, e2: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Newton steps −(d/dx log det(T_p − x))⁻¹ at every point p and shift x[p, :] (shapes as
    :func:`_sturm_counts`), from the pivots q_i and their derivatives
    q_i' = −1 + (e²/q_{i−1}) q_{i−1}'/q_{i−1}: d/dx log det = Σ_i q_i'/q_i."""
    dT = dT[:, :, None]
    e2c = np.asarray(e2, dtype=float).reshape(-1, 1)
    q = np.subtract(dT[0], x)
    w = np.divide(-1.0, q)                       # q_0'/q_0 (q_0' = −1)
    s = w.copy()
    r = np.empty(x.shape)
    for i in range(1, dT.shape[0]):
        np.divide(e2c, q, out=r)                 # e²/q_{i−1}
        np.subtract(dT[i], x, out=q)
        q -= r                                   # q_i
        r *= w
        r -= 1.0                                 # q_i'
        np.divide(r, q, out=w)
        s += w
    return -1.0 / s


def _sturm_verify(d: np.ndarray, e2: np.ndarray, guess: np.ndarray, ec: float,
                  polish: bool, width: int | None = None) -> tuple:
    """Check (and optionally first polish by Newton steps) guessed lowest levels, rigorously.

    Level j of point p is accepted when the Sturm counts of the exact matrix at g ∓ δ bracket it,
    count(g − δ) ≤ j < count(g + δ), so |g − λ_j| ≤ δ = :data:`SWEEP_VERIFY` × (max_j |g| + E_C)
    (the counts are backward stable: exact for a matrix within a few ulps of T entry by entry).
    Returns the (possibly polished, sorted) levels and a mask of the points whose levels all pass.
    ``width``: rows of the charge window the Newton steps use (default :func:`_window_width`).
    """
    P, k = guess.shape
    with np.errstate(all="ignore"):
        if polish:
            # Newton on a charge window (the rows far out move the levels by less than
            # rounding; a wrong window only makes the check below fail)
            dwT = np.ascontiguousarray(
                _window(d, _window_width(d, e2, ec, k) if width is None else width).T)
            guess = np.array(guess)
            scale = np.abs(guess).max(axis=1) + ec
            act = np.arange(P)
            for _ in range(SWEEP_NEWTON_STEPS):
                step = _newton_steps(dwT[:, act], e2[act], guess[act])
                step = np.where(np.isfinite(step), step, 0.0)
                guess[act] += step
                # Newton's error after the step is ~ step² × Σ_i 1/|λ_j − λ_i|; where that
                # estimate (nearest neighbours ≈ the smallest gap seen) is not well below δ,
                # another step
                gap = (np.diff(guess[act], axis=1).min(axis=1) if k > 1
                       else np.full(act.size, ec))
                est = (step ** 2).max(axis=1) * 2.0 / np.abs(gap)
                act = act[~(est <= 0.25 * SWEEP_VERIFY * scale[act])]
                if act.size == 0:
                    break
        delta = SWEEP_VERIFY * (np.abs(guess).max(axis=1, keepdims=True) + ec)
        cnt = _sturm_counts(np.ascontiguousarray(d.T), e2,
                            np.concatenate([guess - delta, guess + delta], axis=1))
    j = np.arange(k)
    ok = (((cnt[:, :k] <= j) & (cnt[:, k:] > j)).all(axis=1) & (cnt >= 0).all(axis=1)
          & np.isfinite(guess).all(axis=1))
    return np.sort(guess, axis=1), ok


def _one_window(d: np.ndarray, e: float, ec: float, k: int):
    """Lowest k levels of one point from a charge window, with a proof, or ``None``.

    The window (rows start … start + W − 1 around n ≈ n_g, the half-width from the same decay
    product as :func:`_window_width`, here in scalar arithmetic) is diagonalized by LAPACK's
    MRRR (values and vectors: ~26 µs for 35 rows instead of ~53 µs for 61). Accepted only when

    * the residual of each window eigenpair in the full matrix, r_j = |e| |ψ_j(cut edge)|, is
      below δ = :data:`SWEEP_VERIFY` × (max |θ| + E_C) and below half the gaps between the θ_j
      (each θ_j then has its own full-matrix eigenvalue within r_j), and
    * the full matrix has exactly k eigenvalues below μ = θ_{k−1} + max(3 r, δ): at least k by
      Cauchy interlacing (λ_j ≤ θ_j), and at most the Sturm count at μ of the window with its
      cut corner entries lowered by |e|. Why: where every left-out row has d_i − μ > 2|e|, their
      pivots stay > |e| (induction: q > |e| ⇒ e²/q < |e|), so they add no negative pivot and
      lower the adjacent window entry by e²/q ∈ (0, |e|) (Sylvester's inertia, eliminating the
      left-out rows from both ends inward); lowering a diagonal entry only adds negative pivots.

    Then the θ_j are the lowest k levels to within r_j, and the truncation estimate of the
    charge states beyond ±ncut is below r_j²/E_C (the eigenvector decays outward in the
    left-out rows: |ψ_{i−1}/ψ_i| = |e|/q_{i−1} < 1), which is returned.
    """
    N = d.size
    c = int(np.argmin(d))
    upper = float(np.partition(d, k - 1)[k - 1])
    norm = float(max(d[0], d[-1])) + 2.0 * e
    if e == 0.0:
        return None
    target, prod, h = 1e-15 * norm / e, 1.0, N
    for o in range(1, N // 2 + 1):              # the decay product of _window_width
        gap = 4.0 * ec * (o - 0.5) ** 2 - upper
        prod = prod * e / gap if gap > 2.0 * e else 1.0
        if prod < target:
            h = o
            break
    width = 2 * max(h, k) + 1
    if width >= N:
        return None
    start = min(max(c - width // 2, 0), N - width)
    if start == 0 or start + width == N:
        # the window reaches ±ncut (|n_g| near or beyond ncut): the charge states beyond the
        # basis are then not bounded by the window's residuals, so let the full matrix and its
        # truncation estimate (_truncation_error) decide
        return None
    dw = d[start:start + width]
    m, vals, vecs, info = _dstemr(dw, np.full(width, -e), 2, 0.0, 0.0, 1, k)
    if info != 0 or m != k:
        return None
    vals = vals[:k]
    cut0, cut1 = start > 0, start + width < N
    r = e * np.sqrt(cut0 * vecs[0, :k] ** 2 + cut1 * vecs[width - 1, :k] ** 2)
    r_max, top = float(r.max()), float(vals[-1])
    delta = SWEEP_VERIFY * (float(np.abs(vals).max()) + ec)
    if r_max > delta or (k > 1 and float(np.diff(vals).min()) <= 2.0 * r_max):
        return None
    mu = top + max(3.0 * r_max, delta)
    if ((cut0 and float(d[:start].min()) - mu <= 2.0 * e)
            or (cut1 and float(d[start + width:].min()) - mu <= 2.0 * e)):
        return None                             # a left-out row could hold a lower level
    diag = (dw - mu).tolist()
    if cut0:
        diag[0] -= e
    if cut1:
        diag[-1] -= e
    e2, q, cnt = e * e, 1.0, 0
    for i, di in enumerate(diag):               # Sturm count of the lowered window at μ
        q = di - e2 / q if i else di
        if q < 0.0:
            cnt += 1
        elif q == 0.0:
            return None
    if cnt > k:
        return None
    return vals, r * r / ec


def _one_spectrum(ej: float, ec: float, ng: float, nc: int, k: int) -> tuple:
    """Lowest k levels of one point, and their truncation-error estimates (GHz): from a
    verified charge window (:func:`_one_window`), else LAPACK's MRRR (``dstemr``, values and
    vectors) on the full matrix and :func:`_truncation_error`."""
    d = np.arange(-nc, nc + 1, dtype=float)
    d -= ng
    d *= d
    d *= 4.0 * ec
    win = _one_window(d, 0.5 * ej, ec, k)
    if win is not None:
        return win
    n = 2 * nc + 1
    if n <= DSTEMR_MAX_STATES:
        e = np.full(n, -0.5 * ej)            # dstemr wants n entries (the last unused) and
        m, vals, vecs, info = _dstemr(d, e, 2, 0.0, 0.0, 1, k)   # overwrites them; MRRR
    else:                                   # scipy's dstemr allocates n × n vectors
        m = info = -1
    if info != 0 or m != k:
        vals, vecs = eigh_tridiagonal(d, np.full(2 * nc, -0.5 * ej), select="i",
                                      select_range=(0, k - 1))
    vals, vecs = vals[:k], vecs[:, :k]
    return vals, _truncation_error(d, vecs, vals, ej, ec, nc, ng)


def _warn_truncation(nc: int, ratio: float, level: int, ng: float, err: float) -> None:
    cure = (f"the spectrum is periodic in n_g: use n_g - round(n_g) = {ng - round(ng):.3g}, or "
            f"ncut > |n_g| + 10" if abs(ng) > nc - 2 else f"increase ncut (try "
                                                           f"{max(2 * nc, nc + 10)})")
    warnings.warn(AccuracyWarning(
        f"ncut = {nc} is too small for E_J/E_C = {ratio:.3g}: level {level} (n_g = "
        f"{ng:.3g}) is off by ~{err:.3g} GHz from the charge states left out "
        f"(tolerance {TRUNCATION_TOLERANCE_GHZ:g} GHz); {cure}"), stacklevel=3)


def spectrum(ej_GHz, ec_GHz: float, ng=0.0, ncut: int = 30, levels: int = 5, *,
             max_states: int = MAX_STATES) -> np.ndarray:
    """Lowest eigenenergies of H = 4E_C(n − n_g)² − E_J cos φ, GHz.

    Parameters
    ----------
    ej_GHz : float or array_like
        Josephson energy E_J/h (0 … :data:`MAX_ENERGY_GHZ`), GHz; an array (e.g. a flux-tuned E_J sweep) gives one row
        per value and broadcasts against ``ng``.
    ec_GHz : float
        Charging energy E_C/h (> 0, ≤ :data:`MAX_ENERGY_GHZ`), GHz.
    ng : float or array_like
        Offset charge n_g (in units of 2e); an array gives one row per value.
    ncut : int
        Charge cut-off (≥ 1): states |n| ≤ ncut.
    levels : int
        Number of eigenvalues (1 … 2 ncut + 1).
    max_states : int
        Refuse (``WorkLimitError``) more than this many charge states × parameter points.

    Returns
    -------
    ndarray
        Shape (levels,) when ``ej_GHz`` and ``ng`` are scalars, else
        ``broadcast(ej_GHz, ng).shape + (levels,)``; absolute energies, GHz.

    Raises
    ------
    ValueError
        If an argument is invalid: `ej_GHz` must be >= 0 and <= 1e+06 (every element of an array);
        `ec_GHz` must be > 0; `ng` must be >= -1e+06 and <= 1e+06; `ncut`, `levels` and
        `max_states` must be >= 1, `levels` <= 2 ncut + 1; array `ej_GHz` and `ng` must broadcast
        against each other; the estimated size (2 ncut + 1 charge states per point) must not exceed
        `max_states` (:class:`~qtransport.errors.WorkLimitError`, a ValueError).
    TypeError
        If an argument has the wrong type: `ej_GHz`, `ec_GHz` or `ng` are not real numbers (or
        arrays of them); `ncut`, `levels` or `max_states` are not integers.

    Warns
    -----
    AccuracyWarning
        If ``ncut`` is too small: the estimated shift of some level from the charge states left
        out (see :func:`_truncation_error`) exceeds :data:`TRUNCATION_TOLERANCE_GHZ`. The message
        gives the estimate and E_J/E_C.

    Notes
    -----
    Koch et al., PRA 76, 042319 (2007), eq. 2.1. Fewer than :data:`BATCH_MIN` points: one
    LAPACK tridiagonal MRRR call (``dstemr``) per point, on a charge window around n ≈ n_g
    when it is proven to hold the lowest levels to 1e-12 × (max |level| + E_C)
    (:func:`_one_window`), else on the full matrix. A one-parameter sweep (``ng`` an array
    at one E_J, or ``ej_GHz`` an array at one n_g) of at least 8 × 9 points: Chebyshev
    interpolation from LAPACK at a few nodes (:func:`_sweep_guess`), then every level checked by
    Sturm counts of the exact matrix to within 1e-12 × (max |level| + E_C) of its exact value
    (:func:`_sturm_verify`). Other points, and those that fail the check: all points and
    levels at once by :func:`_lowest_eigenvalues` (vectorized Sturm-count-safeguarded Newton),
    the same eigenvalues to ~1e-13 of the matrix norm.

    Examples
    --------
    >>> e = spectrum(20.0, 0.25, levels=3)
    >>> e.shape, bool(e[1] > e[0])
    ((3,), True)
    """
    if np.ndim(ej_GHz) == 0 and np.ndim(ng) == 0:         # one spectrum: LAPACK, least overhead
        ej, ec, nc = _check(ej_GHz, ec_GHz, ncut)
        k = check_int("levels", levels, low=1, high=2 * nc + 1)
        ngv = check_real("ng", ng, low=-MAX_NG, high=MAX_NG)
        check_work("max_states", 2 * nc + 1, check_int("max_states", max_states, low=1),
                   unit="charge states", hint=f"(2 ncut + 1) = {2 * nc + 1}")
        vals, err = _one_spectrum(ej, ec, ngv, nc, k)
        err = np.maximum(err, _periodic_error(vals, ej, ec, ngv, nc))
        if err.max() > TRUNCATION_TOLERANCE_GHZ:
            _warn_truncation(nc, ej / ec, int(np.argmax(err)), ngv, float(err.max()))
        return vals
    if np.ndim(ej_GHz) == 0:
        ej_arr = np.atleast_1d(check_real("ej_GHz", ej_GHz, low=0.0, high=MAX_ENERGY_GHZ))
    else:
        ej_arr = check_array("ej_GHz", ej_GHz, low=0.0, high=MAX_ENERGY_GHZ)
    _, ec, nc = _check(0.0, ec_GHz, ncut)
    k = check_int("levels", levels, low=1, high=2 * nc + 1)
    ngs = check_array("ng", ng, low=-MAX_NG, high=MAX_NG)
    try:
        shape = np.broadcast_shapes(np.shape(ej_GHz), np.shape(ng))
    except ValueError:
        raise ValueError(f"ej_GHz (shape {np.shape(ej_GHz)}) and ng (shape {np.shape(ng)}) "
                         "must broadcast against each other") from None
    size = int(np.prod(shape, dtype=np.int64))
    check_work("max_states", (2 * nc + 1) * size,
               check_int("max_states", max_states, low=1), unit="charge states",
               hint=f"(2 ncut + 1) = {2 * nc + 1} × {size} parameter points")
    ejs = np.broadcast_to(ej_arr.reshape(np.shape(ej_GHz)), shape).ravel()
    ngv = np.broadcast_to(ngs.reshape(np.shape(ng)), shape).ravel()
    n = np.arange(-nc, nc + 1, dtype=float)
    out = np.empty((size, k))
    exact = []                                  # points whose truncation needs the exact estimate
    worst = (0.0, 0, 0.0, 0.0)
    if size < BATCH_MIN:                        # LAPACK bisection + inverse iteration directly
        for p in range(size):
            out[p], err = _one_spectrum(ejs[p], ec, ngv[p], nc, k)
            if err.max() > worst[0]:
                worst = (float(err.max()), int(np.argmax(err)), float(ngv[p]), float(ejs[p]))
    else:
        sweep = _sweep_guess(ejs, ngv, ec, nc, k)
        for lo in range(0, size, BATCH_BLOCK):
            sl = slice(lo, min(lo + BATCH_BLOCK, size))
            d = 4.0 * ec * (n[None, :] - ngv[sl, None]) ** 2
            e2 = (0.5 * ejs[sl]) ** 2
            if sweep is None:
                vals = _windowed_lowest(d, e2, ec, k)
            else:                               # interpolated along the sweep, then verified
                vals, ok = _sturm_verify(d, e2, sweep[0][sl], ec, sweep[1], sweep[2])
                redo = np.flatnonzero(~ok)
                if redo.size > SWEEP_NODE_FRACTION * SWEEP_NODES[0]:
                    vals[redo] = _windowed_lowest(d[redo], e2[redo], ec, k)
                elif redo.size:                 # a few points: LAPACK is cheaper
                    vals[redo] = _lapack_lowest(d[redo], e2[redo], k)
            out[sl] = vals
            g0 = np.maximum(np.abs(4 * ec * (-nc - 1 - ngv[sl, None]) ** 2 - vals), ec).min(1)
            g1 = np.maximum(np.abs(4 * ec * (nc + 1 - ngv[sl, None]) ** 2 - vals), ec).min(1)
            with np.errstate(divide="ignore"):      # e = 0: nothing is needed
                enough = (0.5 * TRUNCATION_TOLERANCE_GHZ * g0 / e2,
                          0.5 * TRUNCATION_TOLERANCE_GHZ * g1 / e2)
            w0, w1 = _edge_weight_bound(d, e2, vals[:, -1], enough)
            bound = e2 * (w0 / g0 + w1 / g1)
            exact.extend(lo + np.flatnonzero(bound > TRUNCATION_TOLERANCE_GHZ))
    for p in exact:
        if ejs[p] == 0.0:                       # charge states are exact
            continue
        d, e = charge_diagonals(ejs[p], ec, ngv[p], nc)
        vals, vecs = eigh_tridiagonal(d, e, select="i", select_range=(0, k - 1))
        err = np.maximum(_truncation_error(d, vecs, vals, ejs[p], ec, nc, ngv[p]),
                         _periodic_error(vals, ejs[p], ec, ngv[p], nc))
        if err.max() > worst[0]:
            worst = (float(err.max()), int(np.argmax(err)), float(ngv[p]), float(ejs[p]))
    if worst[0] > TRUNCATION_TOLERANCE_GHZ:
        _warn_truncation(nc, worst[3] / ec, worst[1], worst[2], worst[0])
    return out.reshape(shape + (k,))


def hamiltonian(ej_GHz: float, ec_GHz: float, ng: float = 0.0, ncut: int = 30):
    """The charge-basis Hamiltonian as a QuTiP ``Qobj`` (CSR storage), GHz.

    Parameters
    ----------
    ej_GHz : float
        Josephson energy E_J/h, GHz (≥ 0).
    ec_GHz : float
        Charging energy E_C/h, GHz (> 0).
    ng : float, optional
        Offset charge n_g, units of 2e.
    ncut : int, optional
        Charge cut-off (≥ 1).

    Returns
    -------
    qutip.Qobj
        Hermitian (2·ncut + 1)² Hamiltonian, GHz.

    Raises
    ------
    ValueError
        If an argument is invalid: `ncut` must be >= 1 and <= ``MAX_STATES // 2``.
    TypeError
        If an argument has the wrong type: `ncut` is not an integer.

    Examples
    --------
    >>> h = hamiltonian(20.0, 0.3, 0.3, 30)
    >>> h.shape, h.isherm
    ((61, 61), True)
    """
    check_int("ncut", ncut, low=1, high=MAX_STATES // 2)
    d, e = charge_diagonals(ej_GHz, ec_GHz, ng, ncut)
    import qutip
    mat = sp.diags([e, d, e], [-1, 0, 1], format="csr")
    return qutip.Qobj(mat, dims=[[d.size], [d.size]], isherm=True).to("csr")


def charge_operator(ncut: int):
    """n̂ = diag(−ncut … ncut) as a sparse (CSR) ``Qobj``.

    Parameters
    ----------
    ncut : int
        Charge cut-off (≥ 1).

    Returns
    -------
    qutip.Qobj
        Diagonal charge operator n̂ (dimensionless, units of 2e).

    Raises
    ------
    ValueError
        If an argument is invalid: `ncut` must be >= 1 and <= ``MAX_STATES // 2``.
    TypeError
        If an argument has the wrong type: `ncut` is not an integer.

    Examples
    --------
    The charging part of the Hamiltonian is 4E_C(n̂ − n_g)² (GHz):

    >>> import numpy as np
    >>> n = charge_operator(2)
    >>> np.diag(n.full()).real.tolist()
    [-2.0, -1.0, 0.0, 1.0, 2.0]
    >>> charging = 4 * 0.5 * (n - 0.3) ** 2                     # E_C = 0.5 GHz, n_g = 0.3
    >>> bool(np.allclose(hamiltonian(0.0, 0.5, 0.3, ncut=2).full(), charging.full(), atol=1e-12))
    True
    """
    nc = check_int("ncut", ncut, low=1, high=MAX_STATES // 2)
    import qutip
    n = np.arange(-nc, nc + 1, dtype=float)
    return qutip.Qobj(sp.diags(n, 0, format="csr"), dims=[[n.size], [n.size]],
                      isherm=True).to("csr")


def transmon_e01_GHz(ej_GHz: float, ec_GHz: float) -> float:
    """Transmon-limit transition energy E01 ≈ √(8E_J E_C) − E_C, GHz (Koch et al. 2007, eq. 2.11).

    Parameters
    ----------
    ej_GHz : float
        Josephson energy E_J/h, GHz (≥ 0).
    ec_GHz : float
        Charging energy E_C/h, GHz (> 0).

    Returns
    -------
    float
        E01/h, GHz.

    Examples
    --------
    >>> round(transmon_e01_GHz(20.0, 0.25), 4)
    6.0746
    """
    ej, ec, _ = _check(ej_GHz, ec_GHz, 1)
    return float(np.sqrt(8 * ej * ec) - ec)


@register("josephson.spectrum", summary="charge-basis spectrum of a transmon/CPB vs offset charge",
          params=[Param("ej_GHz", float, low=0.0, high=MAX_ENERGY_GHZ,
                        doc="Josephson energy E_J/h"),
                  Param("ec_GHz", float, low=0.0, low_open=True, high=MAX_ENERGY_GHZ,
                        doc="charging energy E_C/h"),
                  Param("ng_values", "array", doc="offset charges n_g"),
                  Param("ncut", int, default=30, low=1, doc="charge cut-off"),
                  Param("levels", int, default=5, low=1, doc="number of levels")])
def spectrum_vs_ng(ej_GHz: float, ec_GHz: float, ng_values, ncut: int = 30,
                   levels: int = 5) -> Result:
    """Registered model: :func:`spectrum` on a grid of n_g values (``energies_GHz`` (n_g, levels)).

    Parameters
    ----------
    ej_GHz : float
        Josephson energy E_J/h, GHz (≥ 0).
    ec_GHz : float
        Charging energy E_C/h, GHz (> 0).
    ng_values : array_like
        Offset charges n_g, units of 2e.
    ncut : int, optional
        Charge cut-off (≥ 1).
    levels : int, optional
        Number of levels (≥ 1).

    Returns
    -------
    Result
        ``ng``, ``energies_GHz`` (n_g × levels, GHz) and ``e01_GHz`` (GHz).

    Raises
    ------
    ValueError
        If an argument is invalid: `ng_values` must be a 1-D array of finite numbers >= -1e+06
        and <= 1e+06.
    TypeError
        If an argument has the wrong type: `ng_values` is not an array of real numbers.

    Examples
    --------
    >>> r = spectrum_vs_ng(1.0, 1.0, [0.0, 0.5], levels=2)
    >>> r.kind
    'josephson.spectrum'
    """
    ngs = check_array("ng_values", ng_values, ndim=1, low=-MAX_NG, high=MAX_NG)
    with warnings.catch_warnings():          # re-issued below so that it points at the caller
        warnings.simplefilter("error", AccuracyWarning)
        try:
            energies = spectrum(ej_GHz, ec_GHz, ngs, ncut, levels)
            caught = None
        except AccuracyWarning as w:
            caught = w
    if caught is not None:
        warnings.warn(caught, stacklevel=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AccuracyWarning)
            energies = spectrum(ej_GHz, ec_GHz, ngs, ncut, levels)
    return Result("josephson.spectrum",
                  {"ej_GHz": ej_GHz, "ec_GHz": ec_GHz, "ncut": ncut, "levels": levels},
                  {"ng": ngs, "energies_GHz": energies,
                   "e01_GHz": energies[:, 1] - energies[:, 0] if levels > 1 else energies[:, 0]})


_declare("josephson.spectrum", coords=("ng",), dims={"energies_GHz": ("ng", "level")},
         y=("energies_GHz",), labels={"energies_GHz": r"Energy $E/h$ (GHz)"})
