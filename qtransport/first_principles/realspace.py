"""Real-space H(R), S(R) from a k-mesh DFT calculation, Löwdin orthogonalization, Kwant chains.

Inverse Fourier transform over the Γ-centred mesh of N_i (odd) points per periodic axis::

    H(R) = (1/N_k) Σ_k e^{−2πi k·R} F(k),   S(R) = (1/N_k) Σ_k e^{−2πi k·R} S(k),

for the N_k lattice vectors R_i ∈ {−(N_i−1)/2, …, (N_i−1)/2}; H(R)_{μν} = ⟨μ,0|H|ν,R⟩ in eV.
This set interpolates F(k), S(k) exactly on the mesh; off the mesh the error is the aliasing of
the cells beyond it plus whatever a cut-off drops. :meth:`RealSpaceTB.truncate` keeps the cells with
|R| ≤ cut-off and records Σ_dropped ‖H(R) − E_F S(R)‖₂, a first-order bound of the band shift near
E_F (``truncation_error_eV``); :func:`band_error_eV` measures the actual error against DFT
eigenvalues computed at k points not in the mesh.

Kwant needs an orthonormal basis. :func:`lowdin` forms H̃(k) = S(k)^{−1/2} F(k) S(k)^{−1/2} on the
mesh (the Löwdin/symmetric orthogonalization, unique and smooth in k because S(k) is positive
definite), transforms it back to real space and is truncated and checked the same way; the
eigenvalues of H̃(k) are those of the generalized problem F ψ = E S ψ.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
import scipy.linalg

from ..constants import G0  # noqa: F401  (documented unit of the conductances)
from ..errors import check_array, check_int, check_real
from ..errors import MAX_ENERGY_EV
from ..tight_binding.lattice import check_unitarity
from .dft import DFTResult

__all__ = ["RealSpaceTB", "real_space", "lowdin", "band_error_eV", "chain_blocks",
           "chain_lead", "chain_system", "chain_conductance", "bands_crossing"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RealSpaceTB:
    """Real-space tight-binding blocks.

    Parameters
    ----------
    R : ndarray (nR, 3) int
        Lattice vectors in units of the cell vectors.
    H : ndarray (nR, n, n) complex
        H(R) in eV.
    S : ndarray (nR, n, n) complex or None
        S(R); None for an orthonormal basis (S(R) = δ_R0).
    cell : ndarray (3, 3)
        Lattice vectors (Å).
    fermi_eV : float
        Fermi level of the calculation, eV.
    truncation_error_eV : float, optional
        Σ over dropped cells of ‖H(R) − E_F S(R)‖₂ (0 before any cut-off).
    """

    R: np.ndarray
    H: np.ndarray
    S: np.ndarray | None
    cell: np.ndarray
    fermi_eV: float
    truncation_error_eV: float = 0.0

    @property
    def orthogonal(self) -> bool:
        """Whether the basis is orthonormal (``S`` is None)."""
        return self.S is None

    def lengths_angstrom(self) -> np.ndarray:
        """|R| in Å for every cell.

        Returns
        -------
        numpy.ndarray
            |R|, Å, one per cell.

        Examples
        --------
        >>> from qtransport.first_principles import hbn
        >>> tb = real_space(hbn.hbn_result())
        >>> bool(tb.lengths_angstrom().min() == 0)
        True
        """
        return np.linalg.norm(self.R @ self.cell, axis=1)

    def truncate(self, cutoff_angstrom: float) -> "RealSpaceTB":
        """Keep the cells with |R| ≤ cutoff_angstrom (Å) and add the dropped norm to the error.

        Parameters
        ----------
        cutoff_angstrom : float
            Largest kept |R|, Å (≥ 0).

        Returns
        -------
        RealSpaceTB
            The truncated model.

        Raises
        ------
        ValueError
            If an argument is invalid: `cutoff_angstrom` must be >= 0.
        TypeError
            If an argument has the wrong type: `cutoff_angstrom` is not a real number.

        Examples
        --------
        >>> from qtransport.first_principles import hbn
        >>> tb = real_space(hbn.hbn_result())
        >>> tb.truncate(5.0).R.shape[0] <= tb.R.shape[0]
        True
        """
        cut = check_real("cutoff_angstrom", cutoff_angstrom, low=0.0)
        keep = self.lengths_angstrom() <= cut + 1e-9
        drop = ~keep
        S = self.S if self.S is not None else np.zeros_like(self.H)
        if self.S is None:
            S[np.all(self.R == 0, axis=1)] = np.eye(self.H.shape[1])
        err = sum(float(np.linalg.norm(self.H[i] - self.fermi_eV * S[i], 2))
                  for i in np.flatnonzero(drop))
        return replace(self, R=self.R[keep], H=self.H[keep],
                       S=None if self.S is None else self.S[keep],
                       truncation_error_eV=self.truncation_error_eV + err)

    def hk(self, k_frac) -> tuple[np.ndarray, np.ndarray]:
        """H(k), S(k) at one reduced k point (Bloch sum Σ_R e^{2πi k·R} X(R)).

        Parameters
        ----------
        k_frac : array_like
            Reduced k (three components).

        Returns
        -------
        Hk : numpy.ndarray
            H(k), eV (Hermitian).
        Sk : numpy.ndarray
            S(k), dimensionless (identity for an orthogonal model).

        Raises
        ------
        ValueError
            If an argument is invalid: `k_frac` must be an array of finite numbers.
        TypeError
            If an argument has the wrong type: `k_frac` is not an array of real numbers.

        Examples
        --------
        >>> from qtransport.first_principles import hbn
        >>> h, s = real_space(hbn.hbn_result()).hk([0.0, 0.0, 0.0])
        >>> h.shape == s.shape
        True
        """
        k = check_array("k_frac", k_frac)
        ph = np.exp(2j * np.pi * (self.R @ k))
        Hk = np.tensordot(ph, self.H, axes=1)
        Sk = np.eye(self.H.shape[1], dtype=complex) if self.S is None else np.tensordot(
            ph, self.S, axes=1)
        return 0.5 * (Hk + Hk.conj().T), 0.5 * (Sk + Sk.conj().T)

    def bands(self, kpts_frac) -> np.ndarray:
        """Eigenvalues (eV), shape (nk, n), of H(k) ψ = E S(k) ψ at reduced k points.

        Parameters
        ----------
        kpts_frac : array_like
            Reduced k points, shape (nk, 3) (or one point).

        Returns
        -------
        numpy.ndarray
            Bands, eV, shape (nk, n).

        Raises
        ------
        ValueError
            S(k) not positive definite (a cut-off too short).

        Examples
        --------
        >>> from qtransport.first_principles import hbn
        >>> real_space(hbn.hbn_result()).bands([[0.0, 0.0, 0.0]]).shape
        (1, 16)
        """
        ks = np.atleast_2d(check_array("kpts_frac", kpts_frac))
        out = []
        for k in ks:
            Hk, Sk = self.hk(k)
            try:
                out.append(scipy.linalg.eigh(Hk, Sk, eigvals_only=True))
            except np.linalg.LinAlgError as exc:
                raise ValueError(f"k_frac={k.tolist()}: truncated S(k) is not positive definite "
                                 "(cut-off too short for this basis)") from exc
        return np.array(out)


def _mesh_R(kmesh) -> np.ndarray:
    axes = [np.arange(-(n - 1) // 2, (n - 1) // 2 + 1) if n > 1 else np.array([0]) for n in kmesh]
    return np.array(np.meshgrid(*axes, indexing="ij")).reshape(3, -1).T


def _inverse_ft(kfrac: np.ndarray, Xk: np.ndarray, R: np.ndarray) -> np.ndarray:
    ph = np.exp(-2j * np.pi * (R @ kfrac.T)) / kfrac.shape[0]   # (nR, nk)
    return np.tensordot(ph, Xk, axes=1)


def real_space(result: DFTResult) -> RealSpaceTB:
    """Non-orthogonal H(R), S(R) (eV) on the full symmetric cell set of the mesh.

    Parameters
    ----------
    result : DFTResult
        A periodic calculation (Fock and overlap on its k mesh).

    Returns
    -------
    RealSpaceTB
        H(R) (eV), S(R), cell (Å) and Fermi level (eV).

    Raises
    ------
    TypeError
        ``result`` is not a DFTResult.

    Examples
    --------
    >>> from qtransport.first_principles import hbn
    >>> tb = real_space(hbn.hbn_result())
    >>> tb.H.shape[1:]
    (16, 16)
    """
    if not isinstance(result, DFTResult):
        raise TypeError(f"result must be a DFTResult, got {type(result).__name__}")
    R = _mesh_R(result.settings.kmesh)
    H = _inverse_ft(result.kpts_frac, result.fock_eV, R)
    S = _inverse_ft(result.kpts_frac, result.overlap, R)
    return RealSpaceTB(R, H, S, np.array(result.structure.cell), result.fermi_eV)


def _inv_sqrt(S: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh(0.5 * (S + S.conj().T))
    if w.min() <= 0:
        raise ValueError(f"overlap matrix is not positive definite (smallest eigenvalue {w.min()})")
    return (v / np.sqrt(w)) @ v.conj().T


def lowdin(source, n_dense: int = 151) -> RealSpaceTB:
    """Orthogonal H̃(R) from H̃(k) = S(k)^{−1/2} H(k) S(k)^{−1/2} (eV).

    Parameters
    ----------
    source : DFTResult or RealSpaceTB
        A DFT result (H̃ on its own k mesh) or a non-orthogonal real-space model, whose H(k), S(k)
        are interpolated to a dense Γ-centred mesh of ``n_dense`` (odd) points per periodic axis
        first. H̃(R) is longer-ranged than H(R) and S(R) when S(k) has small eigenvalues
        (minimal-basis metals: ~0.04 for the Au chain), so the DFT mesh alone aliases it.
    n_dense : int
        Odd, 11-2001.

    Returns
    -------
    RealSpaceTB
        The orthogonal model (``S`` None), eV.

    Raises
    ------
    TypeError
        ``source`` is neither a DFTResult nor a non-orthogonal RealSpaceTB.
    ValueError
        An even or out-of-range ``n_dense``, or S(k) not positive definite.
    """
    if isinstance(source, DFTResult):
        kfrac, Fk, Sk = source.kpts_frac, source.fock_eV, source.overlap
        kmesh = source.settings.kmesh
        cell, ef = np.array(source.structure.cell), source.fermi_eV
    elif isinstance(source, RealSpaceTB) and not source.orthogonal:
        n_dense = check_int("n_dense", n_dense, low=11, high=2001)
        if n_dense % 2 == 0:
            raise ValueError(f"n_dense must be odd (symmetric cells), got {n_dense}")
        per = np.any(source.R != 0, axis=0)
        kmesh = tuple(n_dense if p else 1 for p in per)
        R0 = _mesh_R(kmesh)
        kfrac = (R0 % np.array(kmesh)) / np.array(kmesh)
        pairs = [source.hk(k) for k in kfrac]
        Fk = np.array([p[0] for p in pairs])
        Sk = np.array([p[1] for p in pairs])
        cell, ef = source.cell, source.fermi_eV
    else:
        raise TypeError("source must be a DFTResult or a non-orthogonal RealSpaceTB, got "
                        f"{type(source).__name__}")
    Hk = []
    for F, S in zip(Fk, Sk):
        X = _inv_sqrt(S)
        Hk.append(X @ F @ X)
    R = _mesh_R(kmesh)
    H = _inverse_ft(np.asarray(kfrac), np.array(Hk), R)
    return RealSpaceTB(R, H, None, cell, ef,
                       0.0 if isinstance(source, DFTResult) else source.truncation_error_eV)


def band_error_eV(tb: RealSpaceTB, result: DFTResult, window_eV: float = 3.0) -> float:
    """max |ε_TB − ε_DFT| over the off-mesh check k points, for DFT bands within ±window of E_F.

    Bands are compared in sorted order; ``window_eV`` (> 0) selects the DFT eigenvalues.

    Parameters
    ----------
    tb : RealSpaceTB
        The model (eV, Å).
    result : DFTResult
        The calculation whose off-mesh check bands are the reference.
    window_eV : float, optional
        Half-width of the compared window around E_F, eV (> 0).

    Returns
    -------
    float
        The largest band error, eV.

    Raises
    ------
    ValueError
        The window selects no band.
    """
    w = check_real("window_eV", window_eV, low=0.0, low_open=True)
    tb_e = tb.bands(result.check_kpts_frac)
    ref = result.check_bands_eV
    sel = np.abs(ref - result.fermi_eV) <= w
    if not sel.any():
        raise ValueError(f"window_eV={w} selects no DFT band near E_F={result.fermi_eV:.3f} eV")
    return float(np.max(np.abs(tb_e - ref)[sel]))


def chain_blocks(tb: RealSpaceTB, axis: int = 2) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """{n: (H_n, S_n)} along a 1-D chain axis (the other R components must be 0).

    Parameters
    ----------
    tb : RealSpaceTB
        The model (eV, Å).
    axis : int, optional
        Chain axis (0–2); the model must have cells along it only.

    Returns
    -------
    dict of int to (numpy.ndarray, numpy.ndarray)
        {n: (H_n in eV, S_n)}.

    Raises
    ------
    ValueError
        The model has cells off ``axis``.
    """
    axis = check_int("axis", axis, low=0, high=2)
    other = [a for a in range(3) if a != axis]
    if np.any(tb.R[:, other] != 0):
        raise ValueError(f"axis={axis}: the model has cells off that axis (not a 1-D chain)")
    n = tb.H.shape[1]
    S = tb.S if tb.S is not None else np.array([np.eye(n) if np.all(r == 0) else np.zeros((n, n))
                                                for r in tb.R])
    return {int(r[axis]): (tb.H[i], S[i]) for i, r in enumerate(tb.R)}


def bands_crossing(tb: RealSpaceTB, energy_eV: float | None = None, axis: int = 2,
                   n_k: int = 2001) -> int:
    """Number of right-moving Bloch states at the energy (default E_F) from the bands.

    Counts sign changes of ε_n(k) − E over a dense grid k ∈ [0, 1) (each band crossing E twice
    per period gives one right mover); independent of Kwant's mode solver.

    Parameters
    ----------
    tb : RealSpaceTB
        The model (eV, Å).
    energy_eV : float, optional
        Energy, eV (default: the Fermi level).
    axis : int, optional
        Chain axis (0–2); the model must have cells along it only.
    n_k : int, optional
        k points over the zone (11–200001).

    Returns
    -------
    int
        Right-moving states at the energy.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_k` must be >= 11 and <= 200001; `energy_eV` must be >=
        -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number; `n_k` is not an
        integer.
    """
    E = tb.fermi_eV if energy_eV is None else check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    n_k = check_int("n_k", n_k, low=11, high=200001)
    k = np.zeros((n_k, 3))
    k[:, axis] = np.arange(n_k) / n_k
    e = tb.bands(k) - E
    flips = np.sum(np.sign(e) != np.sign(np.roll(e, -1, axis=0)))
    return int(flips // 2)


def chain_lead(tb: RealSpaceTB, axis: int = 2):
    """A Kwant lead (orthogonal model only) with a supercell of M sites for hopping range M.

    Parameters
    ----------
    tb : RealSpaceTB
        The model (eV, Å).
    axis : int, optional
        Chain axis (0–2); the model must have cells along it only.

    Returns
    -------
    lead : kwant.Builder
        The lead (supercell of M sites, values in eV, positions in Å).
    lattice : kwant.lattice.Monatomic
        Its chain lattice.
    M : int
        Hopping range in cells (sites per supercell).

    Raises
    ------
    ValueError
        A non-orthogonal model, or no inter-cell hopping.
    """
    import kwant
    if not tb.orthogonal:
        raise ValueError("chain_lead needs an orthogonal model (use lowdin(result) first)")
    blocks = chain_blocks(tb, axis)
    M = max(abs(k) for k in blocks)
    if M < 1:
        raise ValueError("the model has no inter-cell hopping (cut-off shorter than one cell)")
    n = tb.H.shape[1]
    a = float(np.linalg.norm(tb.cell[axis]))
    lat = kwant.lattice.chain(a, norbs=n, name="fp")
    lead = kwant.Builder(kwant.TranslationalSymmetry((-M * a,)))
    onsite = 0.5 * (blocks[0][0] + blocks[0][0].conj().T)
    for i in range(M):
        lead[lat(i)] = onsite
    for d in range(1, M + 1):
        # Kwant's value for (to=x+d, from=x) is ⟨x+d|H|x⟩ = H(−d)
        lead[kwant.builder.HoppingKind((d,), lat, lat)] = blocks[-d][0]
    return lead, lat, M


def chain_system(tb: RealSpaceTB, axis: int = 2, n_cells: int = 2):
    """Finite chain of n_cells·M sites between two semi-infinite leads of the same chain.

    Parameters
    ----------
    tb : RealSpaceTB
        The model (eV, Å).
    axis : int, optional
        Chain axis (0–2); the model must have cells along it only.
    n_cells : int, optional
        Supercells in the scattering region (1–50).

    Returns
    -------
    kwant.system.FiniteSystem
        The finalized perfect chain with two leads.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_cells` must be >= 1 and <= 50.
    TypeError
        If an argument has the wrong type: `n_cells` is not an integer.
    """
    import kwant
    n_cells = check_int("n_cells", n_cells, low=1, high=50)
    lead, lat, M = chain_lead(tb, axis)
    blocks = chain_blocks(tb, axis)
    syst = kwant.Builder()
    for i in range(n_cells * M):
        syst[lat(i)] = 0.5 * (blocks[0][0] + blocks[0][0].conj().T)
    for d in range(1, M + 1):
        syst[kwant.builder.HoppingKind((d,), lat, lat)] = blocks[-d][0]
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def chain_conductance(tb: RealSpaceTB, energy_eV: float | None = None, axis: int = 2,
                      n_cells: int = 2) -> dict:
    """Kwant conductance (G0) and S-matrix unitarity of the perfect chain at E (default E_F).

    Parameters
    ----------
    tb : RealSpaceTB
        The model (eV, Å).
    energy_eV : float, optional
        Energy, eV (default: the Fermi level).
    axis : int, optional
        Chain axis (0–2); the model must have cells along it only.
    n_cells : int, optional
        Supercells in the scattering region (1–50).

    Returns
    -------
    dict
        ``conductance_G0``, ``n_modes`` (open channels of the lead), ``unitarity_error``
        (max |S†S − 1|).

    Raises
    ------
    ValueError
        If an argument is invalid: `energy_eV` must be >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number.
    """
    import kwant
    E = tb.fermi_eV if energy_eV is None else check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    fsys = chain_system(tb, axis, n_cells)
    sm = kwant.smatrix(fsys, energy=E)
    S = sm.data
    unit = float(np.max(np.abs(S.conj().T @ S - np.eye(S.shape[0])))) if S.size else 0.0
    if S.size:
        check_unitarity(sm, E)           # the package's one unitarity warning (AccuracyWarning)
    return {"conductance_G0": float(sm.transmission(1, 0)),
            "n_modes": int(sm.num_propagating(0)), "unitarity_error": unit}
