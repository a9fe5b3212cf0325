"""Retarded self-energy of a translation-invariant lead from its Bloch modes (one eigensolve).

A lead is a semi-infinite chain of identical cells j = 1, 2, … running away from the scattering
region. With the cell Hamiltonian H₀ (N × N) and Kwant's ``inter_cell_hopping`` h (N × M: the
hopping from a cell to the M orbitals of the next cell toward the system, which are the first M
orbitals of a cell), the hopping between neighbouring cells is V = H_{j, j−1} = [h | 0] (N × N).
A Bloch state ψ_j = λ^j φ solves

    (E − H₀) φ = λ⁻¹ V φ + λ V† φ,

a quadratic eigenvalue problem, linearized to the 2N × 2N pencil

    [[0, 1], [−V, E − H₀]] (φ, λφ) = λ [[1, 0], [0, V†]] (φ, λφ)

and solved with LAPACK: as an ordinary eigenproblem (zgeev, after multiplying by V†⁻¹) when V
is well conditioned, with QZ (zggev) otherwise. The retarded solution keeps the N states
that carry no flux in from infinity: the evanescent ones decaying away from the system
(|λ| < 1, including λ = 0 from the orbitals V does not reach) and the propagating ones
(|λ| = 1) whose current J = −2 Im(λ φ†V†φ) flows away from it. Their Bloch matrix
F = Φ diag(λ) Φ⁻¹ (ψ_{j+1} = F ψ_j) gives the surface Green's function of the lead,
g = (E − H₀ − V†F)⁻¹, and the self-energy on the system's interface orbitals

    Σ = h† g h      (M × M).

When every orbital hops only to its own image with one amplitude (V = v·1: the square, cubic
and chain electrodes of the filament models), H₀ = U diag(ε_n) U† splits the lead into
independent chains and Σ = U diag(Σ_n) U† with the exact chain self-energy of each transverse
channel: one Hermitian eigensolve of H₀ instead of the 2N problem.

This is the same Σ as Kwant's ``StabilizedModes.selfenergy()`` (tests compare them to 1e-12),
computed with one eigensolve and a few N × N products instead of Kwant's stabilized
decomposition (singular-value basis change, orthogonalized current-normalized modes), which is
~10× slower for the small cells of a sweep.

It is used only where it is unambiguous. :func:`retarded_selfenergy` returns None — and the
caller asks Kwant — when a propagating state has (nearly) zero velocity, an evanescent state
lies within :data:`AMBIGUOUS_BAND` of the unit circle (an energy within ~2e-4 t of a mode
threshold), degenerate propagating states move both ways, the retained states are nearly
linearly dependent, or the result fails its own check: Σ_cell = V†F must solve the lead's
Dyson equation Σ_cell = V†(E − H₀ − Σ_cell)⁻¹V to :data:`DYSON_TOLERANCE` and Γ = i(Σ − Σ†)
must be positive semidefinite.

References: D. H. Lee and J. D. Joannopoulos, Phys. Rev. B 23, 4988 (1981) (transfer-matrix
lead modes); F. Tisseur and K. Meerbergen, SIAM Rev. 43, 235 (2001) (linearization);
C. W. Groth et al., New J. Phys. 16, 063065 (2014) (Kwant).

Examples
--------
A one-orbital chain (on-site 0, hopping −1) has Σ = (E − i√(4 − E²))/2 inside its band:

>>> import numpy as np
>>> sigma, n_open = retarded_selfenergy(np.zeros((1, 1)), -np.ones((1, 1)), 1.0)
>>> n_open, np.allclose(sigma, (1.0 - 1j * np.sqrt(3.0)) / 2)
(1, True)
"""
from __future__ import annotations

import numpy as np

from ..errors import check_int, check_real, check_work

__all__ = ["retarded_selfenergy", "UNIT_CIRCLE_TOLERANCE", "AMBIGUOUS_BAND",
           "DYSON_TOLERANCE", "MAX_CELL_ORBITALS"]

#: largest cell accepted by default: the 2N × 2N complex QZ of N = 4096 orbitals holds ~1 GiB
#: of matrices and takes minutes (raise with ``max_orbitals=``)
MAX_CELL_ORBITALS = 4096

#: a state with ||λ| − 1| below this is propagating: the QZ round-off of a unit-modulus
#: eigenvalue is ~eps × its condition number, 1e-13 or less away from mode thresholds
UNIT_CIRCLE_TOLERANCE = 1e-9
#: an evanescent state with ||λ| − 1| below this (and above UNIT_CIRCLE_TOLERANCE) is near a
#: mode threshold (κ < 0.02 per cell: E within ~2e-4 t of it). Σ from the eigensolve is still
#: exact there (measured 7e-14 from the analytic strip Σ at 1e-7 t, Kwant's 8e-13), but a
#: transmission that is tiny because a channel has just closed amplifies either's round-off by
#: 1/T: Kwant decides there, so the RGF results stay Kwant's own near thresholds
AMBIGUOUS_BAND = 2e-2
#: largest residual of the lead's Dyson equation, relative to the scale |E| + ‖H₀‖ + ‖V‖, for a
#: result to be returned (measured 1e-16–1e-14 on strips, wires and random cells)
DYSON_TOLERANCE = 1e-11
#: largest condition number of the retained states' matrix Φ
_MAX_CONDITION = 1e8
#: smallest |velocity| of a propagating state relative to ‖V‖_F (a state at a band edge has 0;
#: 1e-2 hands E within ~2e-4 t above a threshold to Kwant, like AMBIGUOUS_BAND below it)
_MIN_VELOCITY = 1e-2
#: a transverse channel with ||E − ε_n| − 2τ| below this × τ is at its threshold (the V = v·1
#: path): Kwant decides, as within AMBIGUOUS_BAND / _MIN_VELOCITY in the general case
_EDGE_WINDOW = 1e-3
#: two unit-modulus λ closer than this are one degenerate group
_DEGENERATE = 1e-7


def retarded_selfenergy(h_cell: np.ndarray, h_hop: np.ndarray, energy: float, *,
                        max_orbitals: int = MAX_CELL_ORBITALS
                        ) -> tuple[np.ndarray, int] | None:
    """Retarded lead self-energy Σ(E) and the number of open modes, or None if ambiguous.

    Parameters
    ----------
    h_cell : numpy.ndarray
        Cell Hamiltonian H₀, shape (N, N), Hermitian, eV.
    h_hop : numpy.ndarray
        Kwant's ``inter_cell_hopping``, shape (N, M), M ≤ N, eV.
    energy : float
        Energy E, eV (finite).
    max_orbitals : int, optional
        Largest N accepted (refused before any allocation above it).

    Returns
    -------
    tuple of (numpy.ndarray, int) or None
        Σ (M × M, complex, eV) and the open (outgoing propagating) modes; None where the
        decomposition is not unambiguous (see the module notes), or when ``h_hop`` is zero
        (decoupled cells): use Kwant's modes there.

    Raises
    ------
    ValueError
        If an argument is invalid: `h_cell` must be a square 2-D array, finite and Hermitian
        (to 1e-10 of its largest element); `h_hop` a finite 2-D array of shape (N, M) with
        1 <= M <= N for the N of `h_cell`; `energy` finite; N at most `max_orbitals`.
    TypeError
        If an argument has the wrong type: the matrices are not numeric (strings, objects,
        booleans), `energy` is not a real number, `max_orbitals` is not an integer.

    Examples
    --------
    Below the band of a chain no mode is open and Σ is real:

    >>> import numpy as np
    >>> sigma, n_open = retarded_selfenergy(np.zeros((1, 1)), -np.ones((1, 1)), -2.5)
    >>> n_open, round(float(sigma[0, 0].real), 6), bool(abs(sigma[0, 0].imag) < 1e-15)
    (0, -0.5, True)
    """
    energy = check_real("energy", energy)
    max_orbitals = check_int("max_orbitals", max_orbitals, low=1)
    h_cell = _matrix("h_cell", h_cell)
    h_hop = _matrix("h_hop", h_hop)
    n, m = h_hop.shape
    if h_cell.shape[0] != h_cell.shape[1]:
        raise ValueError(f"h_cell must be square, got shape {h_cell.shape}")
    if h_cell.shape[0] != n or not 1 <= m <= n:
        raise ValueError(f"h_hop must have shape (N, M) with N = {h_cell.shape[0]} (the cell's "
                         f"orbitals) and 1 <= M <= N, got {h_hop.shape}")
    check_work("max_orbitals", n, max_orbitals, unit="orbitals",
               hint=f"a lead cell of {n} orbitals: a {2 * n} x {2 * n} complex eigenproblem, "
                    f"~{3 * (2 * n) ** 2 * 16 / 2**30:.2g} GiB")
    big = float(np.abs(h_cell).max())
    if np.abs(h_cell - h_cell.conj().T).max() > 1e-10 * max(big, 1e-300):
        raise ValueError("h_cell must be Hermitian (H₀ = H₀†): largest |H₀ − H₀†| is "
                         f"{np.abs(h_cell - h_cell.conj().T).max():.3g} of max |H₀| {big:.3g}")
    if not np.any(h_hop):
        return None
    if m == n and _is_scalar(h_hop):
        return _transverse_channels(h_cell, abs(complex(h_hop[0, 0])), energy)
    v = np.zeros((n, n), dtype=complex)
    v[:, :m] = h_hop
    vd = v.conj().T
    a_e = -np.asarray(h_cell, dtype=complex)
    a_e.flat[::n + 1] += energy                               # E − H₀
    lam, vecs = _bloch_states(v, vd, a_e)
    if vecs is None:
        return None
    v_norm = np.linalg.norm(v)                                # Frobenius: a scale, no SVD
    scale = abs(energy) + np.linalg.norm(h_cell) + v_norm
    gap = np.abs(np.abs(lam) - 1.0)
    if np.any((gap >= UNIT_CIRCLE_TOLERANCE) & (gap < AMBIGUOUS_BAND)):
        return None
    keep = np.abs(lam) < 1.0 - UNIT_CIRCLE_TOLERANCE          # evanescent, decaying outward
    phi = vecs[:n]
    unit = np.flatnonzero(gap < UNIT_CIRCLE_TOLERANCE)
    n_open = 0
    if unit.size:
        ph = phi[:, unit] / np.linalg.norm(phi[:, unit], axis=0)
        # current of each state, J = −2 Im(λ φ†V†φ) (|φ| = 1)
        speed = -2.0 * np.imag(lam[unit] * np.einsum("ij,ij->j", ph.conj(), vd @ ph))
        for group in _groups(lam[unit]):
            idx = unit[group]
            if len(group) > 1:          # degenerate: the current as a Hermitian form on them
                q, _ = np.linalg.qr(phi[:, idx])
                mean = np.mean(lam[idx])
                mean /= abs(mean)
                w = 1j * (mean * (q.conj().T @ vd @ q) - np.conj(mean) * (q.conj().T @ v @ q))
                speeds = np.linalg.eigvalsh((w + w.conj().T) / 2)
            else:
                speeds = speed[group]
            if np.min(np.abs(speeds)) < _MIN_VELOCITY * v_norm:
                return None                                   # a state at a band edge
            if np.all(speeds > 0):
                keep[idx] = True
                n_open += len(idx)
            elif not np.all(speeds < 0):
                return None                                   # a degenerate group moving both ways
    if np.count_nonzero(keep) != n:
        return None
    basis = phi[:, keep]
    basis = basis / np.linalg.norm(basis, axis=0)
    bloch = _bloch_matrix(basis, lam[keep])                   # F = Φ Λ Φ⁻¹
    if bloch is None:
        return None
    cell = vd @ bloch                                         # Σ_cell = V†F
    g = np.linalg.inv(a_e - cell)
    if np.linalg.norm(cell - vd @ g @ v) > DYSON_TOLERANCE * max(scale, 1e-300):
        return None
    sigma = h_hop.conj().T @ g @ h_hop
    gamma = np.linalg.eigvalsh(1j * (sigma - sigma.conj().T))
    if gamma.size and gamma.min() < -DYSON_TOLERANCE * max(scale, 1e-300):
        return None                                           # not retarded
    return np.asarray(sigma, dtype=complex), n_open


def _matrix(name: str, value) -> np.ndarray:
    """``value`` as a finite, numeric 2-D array (real or complex), or ValueError/TypeError."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a numeric 2-D array, got {value!r:.60}") from exc
    if array.dtype.kind not in "iufc":
        raise TypeError(f"{name} must be a numeric 2-D array (real or complex), got dtype "
                        f"{array.dtype} ({value!r:.60})")
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return array


def _bloch_matrix(basis: np.ndarray, lam: np.ndarray) -> np.ndarray | None:
    """F = Φ diag(λ) Φ⁻¹ from an LU of Φᵀ, or None if Φ is near singular (rcond < 1e-8)."""
    from scipy.linalg import lapack
    lu, piv, info = lapack.zgetrf(basis.T)
    if info != 0:
        return None
    rcond, info = lapack.zgecon(lu, np.abs(basis.T).sum(axis=0).max(), norm="1")
    if info != 0 or not rcond > 1.0 / _MAX_CONDITION:
        return None
    x, info = lapack.zgetrs(lu, piv, (basis * lam).T)
    return x.T if info == 0 else None


def _bloch_states(v: np.ndarray, vd: np.ndarray, a_e: np.ndarray):
    """All 2N Bloch factors λ (``inf`` where V† is singular) and eigenvectors (φ, λφ).

    With V† well conditioned (rcond > 1e-8; a lattice lead's hopping usually is), the pencil is
    reduced to the ordinary eigenproblem [[0, 1], [V†⁻¹(−V), V†⁻¹(E − H₀)]] (LAPACK zgeev,
    5–6× faster than QZ for N ≥ 100); otherwise QZ of the pencil (zggev), whose infinite
    eigenvalues are the states V† does not reach. Returns (None, None) if LAPACK fails or the
    input is not finite.
    """
    from scipy.linalg import lapack
    n = v.shape[0]
    if not (np.isfinite(v).all() and np.isfinite(a_e).all()):
        return None, None
    lu, piv, info = lapack.zgetrf(vd)
    rcond = 0.0
    if info == 0:
        rcond, info = lapack.zgecon(lu, np.abs(vd).sum(axis=0).max(), norm="1")
    if info == 0 and rcond > 1e-8:
        lower, info = lapack.zgetrs(lu, piv, np.hstack([-v, a_e]))
        if info != 0:
            return None, None
        companion = np.zeros((2 * n, 2 * n), dtype=complex, order="F")
        diagonal = np.arange(n)
        companion[diagonal, n + diagonal] = 1.0
        companion[n:] = lower
        lam, _, vecs, info = lapack.zgeev(companion, compute_vl=0, compute_vr=1,
                                                overwrite_a=1)
        return (lam, vecs) if info == 0 else (None, None)
    lhs = np.zeros((2 * n, 2 * n), dtype=complex, order="F")
    rhs = np.zeros((2 * n, 2 * n), dtype=complex, order="F")
    diagonal = np.arange(n)
    lhs[diagonal, n + diagonal] = 1.0
    lhs[n:, :n], lhs[n:, n:] = -v, a_e
    rhs[diagonal, diagonal] = 1.0
    rhs[n:, n:] = vd
    alpha, beta, _, vecs, _, info = lapack.zggev(lhs, rhs, compute_vl=0, compute_vr=1,
                                                 overwrite_a=1, overwrite_b=1)
    if info != 0:
        return None, None
    finite = np.abs(beta) > 1e-14 * np.abs(alpha)
    lam = np.full(2 * n, np.inf, dtype=complex)
    lam[finite] = alpha[finite] / beta[finite]
    return lam, vecs


def _is_scalar(h_hop: np.ndarray) -> bool:
    """True if the hopping is v·1 (every orbital to its own image, one amplitude, v ≠ 0)."""
    v = complex(h_hop.flat[0])
    return v != 0 and float(np.abs(h_hop - v * np.eye(len(h_hop))).max()) <= 1e-14 * abs(v)


def _transverse_channels(h_cell: np.ndarray, tau: float, energy: float
                         ) -> tuple[np.ndarray, int] | None:
    """Σ for V = v·1: H₀ = U diag(ε) U† splits the lead into independent chains.

    Each transverse channel is a chain of on-site ε_n and hopping |v| = τ (v's phase is a
    gauge), whose retarded self-energy is exact: with x = E − ε_n, Σ_n = (x − i√(4τ² − x²))/2
    inside its band (|x| < 2τ, an open mode) and 2τ²/(x + sign(x)√(x² − 4τ²)) outside (the
    same root, written without cancellation). Σ = U diag(Σ_n) U†; one Hermitian eigensolve of
    H₀ instead of the 2N companion problem. None within 1e-3 τ of a channel edge (Kwant
    decides there, as in the general case).
    """
    eps, u = np.linalg.eigh(h_cell)
    x = energy - eps
    edge = np.abs(np.abs(x) - 2.0 * tau)
    if np.any(edge < _EDGE_WINDOW * tau):
        return None
    inside = np.abs(x) < 2.0 * tau
    root = np.sqrt(np.abs(x * x - 4.0 * tau * tau))
    sigma_n = (x - 1j * root) / 2.0
    out = ~inside                                  # |x| > 2τ (1 + 1e-3): no zero denominator
    sigma_n[out] = 2.0 * tau * tau / (x[out] + np.sign(x[out]) * root[out])
    return (u * sigma_n) @ u.conj().T, int(np.count_nonzero(inside))


def _groups(lam: np.ndarray) -> list[np.ndarray]:
    """Indices of ``lam`` split into groups of (nearly) equal values."""
    order = np.argsort(np.angle(lam))
    groups: list[list[int]] = []
    for i in order:
        for g in groups:
            if abs(lam[g[0]] - lam[i]) < _DEGENERATE:
                g.append(int(i))
                break
        else:
            groups.append([int(i)])
    return [np.array(g) for g in groups]
