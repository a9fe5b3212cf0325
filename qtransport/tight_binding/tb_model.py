"""A typed tight-binding model: real-space blocks H(R), degeneracy weights, lattice and orbitals.

This is the in-memory form of a Wannier90 ``seedname_hr.dat`` file (see
:mod:`qtransport.tight_binding.wannier` for reading and writing it). Energies are in eV, lengths
in nm. The matrix element ``hoppings_eV[r, m, n]`` is ⟨m, 0|H|n, R_r⟩ exactly as stored in the file,
i.e. still multiplied by the Wigner–Seitz degeneracy ``degeneracy[r]``; every physical use divides
by it (:meth:`TightBindingModel.blocks`).

Examples
--------
>>> import numpy as np
>>> chain = TightBindingModel(
...     R=np.array([[-1, 0, 0], [0, 0, 0], [1, 0, 0]]), degeneracy=np.array([1, 1, 1]),
...     hoppings_eV=np.array([[[-1.0]], [[0.0]], [[-1.0]]], dtype=complex),
...     lattice_vectors_nm=np.diag([0.1, 1.0, 1.0]))
>>> round(float(chain.eigenvalues([0.0, 0.0, 0.0])[0]), 12)      # E(k=0) = -2t
-2.0
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from ..errors import check_array, check_int, check_real

__all__ = ["TightBindingModel"]

logger = logging.getLogger(__name__)


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class TightBindingModel:
    """Tight-binding Hamiltonian H(k) = Σ_R H(R) e^{2πi k·R} / N_deg(R) with its geometry.

    Parameters
    ----------
    R : (n_R, 3) int array
        Lattice vectors of the blocks in units of the primitive vectors (Wannier90 ``irvec``).
    degeneracy : (n_R,) int array
        Wigner–Seitz degeneracy N_deg(R) ≥ 1 of every block (Wannier90 ``ndegen``).
    hoppings_eV : (n_R, n_orb, n_orb) complex array
        ⟨m, 0|H|n, R⟩ in eV *times* N_deg(R), as stored in ``_hr.dat``.
    lattice_vectors_nm : (3, 3) array, optional
        Rows are the primitive vectors a1, a2, a3 in nm (Cartesian). ``None`` if unknown: k-space
        uses reduced coordinates only and Kwant systems cannot be built.
    orbital_positions_nm : (n_orb, 3) array, optional
        Cartesian Wannier centres in nm; default: every orbital at the cell origin.
    orbital_names : tuple of str, optional
        Labels of the orbitals (default ``"w1", "w2", ...``).
    comment : str
        Header line of the file.

    Raises
    ------
    ValueError
        If an argument is invalid: R must be an (n_R, 3) integer array; degeneracy must be n_R
        integers >= 1 (one per row of R); hoppings_eV must have shape (n_R, n_orb, n_orb);
        hoppings_eV must be finite; R contains a lattice vector twice; orbital_positions_nm
        must have shape (n_orb, 3); orbital_names must have n_orb entries; `lattice_vectors_nm` and
        `orbital_positions_nm` must be arrays of finite numbers; lattice_vectors_nm must be 3
        linearly independent rows (a (3, 3) array).
    TypeError
        If an argument has the wrong type: `lattice_vectors_nm` or `orbital_positions_nm` are
        not arrays of real numbers.

    Notes
    -----
    Wannier90 "convention II" (no orbital positions in the Bloch phase, Wannier90 User Guide,
    §``write_hr``): H_mn(k) = Σ_R e^{i k·R} H_mn(R) / N_deg(R), with k·R = 2π Σ_i k_i R_i for
    reduced k. Hermiticity means H(−R) = H(R)^† and N_deg(−R) = N_deg(R).

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> m = wannier.example('chain')
    >>> m.num_orbitals, m.R.shape[1]
    (1, 3)
    """

    R: np.ndarray
    degeneracy: np.ndarray
    hoppings_eV: np.ndarray
    lattice_vectors_nm: np.ndarray | None = None
    orbital_positions_nm: np.ndarray | None = None
    orbital_names: tuple[str, ...] = field(default=())
    comment: str = ""

    def __post_init__(self):
        R = np.asarray(self.R)
        if R.ndim != 2 or R.shape[1] != 3 or not np.issubdtype(R.dtype, np.integer):
            raise ValueError(f"R must be an (n_R, 3) integer array, got shape {R.shape}, "
                             f"dtype {R.dtype}")
        deg = np.asarray(self.degeneracy)
        if deg.shape != (len(R),) or not np.issubdtype(deg.dtype, np.integer) or np.any(deg < 1):
            raise ValueError(f"degeneracy must be {len(R)} integers >= 1 (one per row of R), "
                             f"got {deg!r}")
        H = np.asarray(self.hoppings_eV, dtype=complex)
        if H.ndim != 3 or H.shape[0] != len(R) or H.shape[1] != H.shape[2] or H.shape[1] < 1:
            raise ValueError(f"hoppings_eV must have shape (n_R={len(R)}, n_orb, n_orb), "
                             f"got {H.shape}")
        if not np.all(np.isfinite(H)):
            raise ValueError("hoppings_eV must be finite")
        if len({tuple(r) for r in R.tolist()}) != len(R):
            raise ValueError("R contains a lattice vector twice")
        n = H.shape[1]
        object.__setattr__(self, "R", _frozen(R.astype(np.int64)))
        object.__setattr__(self, "degeneracy", _frozen(deg.astype(np.int64)))
        object.__setattr__(self, "hoppings_eV", _frozen(H))
        if self.lattice_vectors_nm is not None:
            lat = check_array("lattice_vectors_nm", self.lattice_vectors_nm)
            if lat.shape != (3, 3) or abs(np.linalg.det(lat)) < 1e-12:
                raise ValueError(f"lattice_vectors_nm must be 3 linearly independent rows "
                                 f"(a (3, 3) array), got {lat.tolist()}")
            object.__setattr__(self, "lattice_vectors_nm", _frozen(lat))
        pos = (np.zeros((n, 3)) if self.orbital_positions_nm is None
               else check_array("orbital_positions_nm", self.orbital_positions_nm))
        if pos.shape != (n, 3):
            raise ValueError(f"orbital_positions_nm must have shape ({n}, 3), got {pos.shape}")
        object.__setattr__(self, "orbital_positions_nm", _frozen(pos))
        names = tuple(self.orbital_names) or tuple(f"w{i + 1}" for i in range(n))
        if len(names) != n:
            raise ValueError(f"orbital_names must have {n} entries, got {len(names)}")
        object.__setattr__(self, "orbital_names", names)

    # -- basic properties -------------------------------------------------------------------
    @property
    def num_orbitals(self) -> int:
        """Number of Wannier orbitals per cell."""
        return self.hoppings_eV.shape[1]

    @property
    def periodic_axes(self) -> tuple[int, ...]:
        """Lattice axes along which some block has R_i ≠ 0 (the model's periodic directions)."""
        return tuple(i for i in range(3) if np.any(self.R[:, i] != 0))

    def blocks(self) -> np.ndarray:
        """Physical blocks H(R)/N_deg(R) in eV, shape (n_R, n_orb, n_orb).

        Returns
        -------
        numpy.ndarray
            Complex blocks, eV.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> wannier.example('chain').blocks().shape
        (5, 1, 1)
        """
        return self.hoppings_eV / self.degeneracy[:, None, None]

    def index_of(self, R: Sequence[int]) -> int:
        """Row of lattice vector ``R`` in :attr:`R`; ValueError if the model has no such block.

        Parameters
        ----------
        R : sequence of int
            Lattice vector (three integers).

        Returns
        -------
        int
            Index into :attr:`R` and :attr:`hoppings_eV`.

        Raises
        ------
        ValueError
            If an argument is invalid: the model has no block R.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> m = wannier.example('chain')
        >>> bool((m.R[m.index_of((0, 0, 0))] == 0).all())
        True
        """
        hit = np.flatnonzero(np.all(self.R == np.asarray(R, dtype=np.int64), axis=1))
        if hit.size == 0:
            raise ValueError(f"the model has no block R = {tuple(R)}")
        return int(hit[0])

    def __eq__(self, other: object) -> bool:
        """Identical blocks (same order), weights, geometry and names."""
        if not isinstance(other, TightBindingModel):
            return NotImplemented
        same_lat = ((self.lattice_vectors_nm is None and other.lattice_vectors_nm is None) or
                    (self.lattice_vectors_nm is not None and other.lattice_vectors_nm is not None
                     and np.array_equal(self.lattice_vectors_nm, other.lattice_vectors_nm)))
        return (same_lat and np.array_equal(self.R, other.R)
                and np.array_equal(self.degeneracy, other.degeneracy)
                and np.array_equal(self.hoppings_eV, other.hoppings_eV)
                and np.array_equal(self.orbital_positions_nm, other.orbital_positions_nm)
                and self.orbital_names == other.orbital_names)

    __hash__ = None  # mutable-looking arrays: not hashable

    # -- k space ----------------------------------------------------------------------------
    def reciprocal_vectors_per_nm(self) -> np.ndarray:
        """Rows b_i with a_i·b_j = 2π δ_ij, in 1/nm.

        Returns
        -------
        numpy.ndarray
            Reciprocal vectors b_i (rows), 1/nm, shape (3, 3).

        Raises
        ------
        ValueError
            The model has no lattice vectors.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> wannier.example('graphene').reciprocal_vectors_per_nm().shape
        (3, 3)
        """
        lat = self._require_lattice()
        return 2 * np.pi * np.linalg.inv(lat).T

    def hamiltonian(self, k_reduced: Sequence[float]) -> np.ndarray:
        """Bloch Hamiltonian H(k) in eV for reduced k (units of the reciprocal vectors b_i).

        Parameters
        ----------
        k_reduced : (3,) or (n_k, 3) array_like
            k = Σ_i k_i b_i; the phase of block R is 2π k·R.

        Returns
        -------
        ndarray
            (n_orb, n_orb) or (n_k, n_orb, n_orb) complex, Hermitian.

        Raises
        ------
        ValueError
            If an argument is invalid: k_reduced must have 3 components; `k_reduced` must be an
            array of finite numbers.
        TypeError
            If an argument has the wrong type: `k_reduced` is not an array of real numbers.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> h = wannier.example('graphene').hamiltonian([0.0, 0.0, 0.0])
        >>> h.shape, bool(abs(h - h.conj().T).max() < 1e-12)
        ((2, 2), True)
        """
        k = np.asarray(check_array("k_reduced", k_reduced), dtype=float).reshape(
            np.shape(k_reduced))
        single = k.ndim == 1
        k = np.atleast_2d(k)
        if k.ndim != 2 or k.shape[1] != 3:
            raise ValueError(f"k_reduced must have 3 components, got shape {np.shape(k_reduced)}")
        phases = np.exp(2j * np.pi * (k @ self.R.T))           # (n_k, n_R)
        Hk = np.einsum("kr,rmn->kmn", phases, self.blocks())
        return Hk[0] if single else Hk

    def hamiltonian_cartesian(self, k_per_nm: Sequence[float]) -> np.ndarray:
        """H(k) for a Cartesian wave vector k in 1/nm (needs the lattice vectors).

        Parameters
        ----------
        k_per_nm : (3,) or (n_k, 3) array_like
            Cartesian wave vector(s), 1/nm.

        Returns
        -------
        numpy.ndarray
            H(k), eV, (n_orb, n_orb) or (n_k, n_orb, n_orb).

        Raises
        ------
        ValueError
            The model has no lattice vectors.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> wannier.example('graphene').hamiltonian_cartesian([0.0, 0.0, 0.0]).shape
        (2, 2)
        """
        k = np.asarray(check_array("k_per_nm", k_per_nm), dtype=float).reshape(
            np.shape(k_per_nm))
        lat = self._require_lattice()
        return self.hamiltonian(k @ lat.T / (2 * np.pi))

    def eigenvalues(self, k_reduced: Sequence[float]) -> np.ndarray:
        """Band energies (eV, ascending) at reduced k: shape (n_orb,) or (n_k, n_orb).

        Parameters
        ----------
        k_reduced : (3,) or (n_k, 3) array_like
            Reduced wave vector(s).

        Returns
        -------
        numpy.ndarray
            Band energies, eV.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> m = wannier.example('graphene')
        >>> m.eigenvalues([0.0, 0.0, 0.0]).round(3).tolist()
        [-8.1, 8.1]
        """
        return np.linalg.eigvalsh(self.hamiltonian(k_reduced))

    def hermiticity_error(self) -> float:
        """max |H(R) − H(−R)^†| over all blocks, in eV (inf if some −R is missing).

        Returns
        -------
        float
            The largest deviation, eV.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> bool(wannier.example('graphene').hermiticity_error() < 1e-12)
        True
        """
        worst, blocks = 0.0, self.blocks()
        for r, vec in enumerate(self.R):
            try:
                s = self.index_of(-vec)
            except ValueError:
                return float("inf")
            worst = max(worst, float(np.max(np.abs(blocks[r] - blocks[s].conj().T))))
        return worst

    # -- derived models ---------------------------------------------------------------------
    def with_cutoff(self, min_abs_eV: float) -> "TightBindingModel":
        """Copy with every hopping |H_mn(R)/N_deg| < ``min_abs_eV`` set to zero.

        On-site energies (R = 0, m = n) are always kept, and so are the (possibly all-zero)
        blocks, so the periodic axes do not change. Hermiticity is preserved because
        |H_mn(R)| = |H_nm(−R)|.

        Parameters
        ----------
        min_abs_eV : float
            Cut-off, eV (≥ 0).

        Returns
        -------
        TightBindingModel
            The truncated copy.

        Raises
        ------
        ValueError
            If an argument is invalid: `min_abs_eV` must be >= 0.
        TypeError
            If an argument has the wrong type: `min_abs_eV` is not a real number.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> m = wannier.example('graphene')
        >>> m.with_cutoff(0.5).R.shape[0] <= m.R.shape[0]
        True
        """
        cut = check_real("min_abs_eV", min_abs_eV, low=0.0)
        H = np.array(self.hoppings_eV)
        small = np.abs(self.blocks()) < cut
        if np.any(np.all(self.R == 0, axis=1)):
            np.fill_diagonal(small[self.index_of((0, 0, 0))], False)
        H[small] = 0.0
        logger.debug("cutoff %.3g eV removed %d of %d matrix elements", cut, int(small.sum()),
                     small.size)
        return replace(self, hoppings_eV=H)

    def with_geometry(self, lattice_vectors_nm=None, orbital_positions_nm=None,
                      orbital_names: Sequence[str] | None = None) -> "TightBindingModel":
        """Copy with lattice vectors / orbital positions / names replaced (``None`` keeps).

        Parameters
        ----------
        lattice_vectors_nm : array_like, optional
            Lattice vectors (rows), nm, shape (3, 3).
        orbital_positions_nm : array_like, optional
            Orbital positions, nm, shape (n_orb, 3).
        orbital_names : sequence of str, optional
            One name per orbital.

        Returns
        -------
        TightBindingModel
            The copy.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> m = wannier.example('chain')
        >>> m.with_geometry(orbital_names=['s']).orbital_names
        ('s',)
        """
        return replace(
            self,
            lattice_vectors_nm=(self.lattice_vectors_nm if lattice_vectors_nm is None
                                else lattice_vectors_nm),
            orbital_positions_nm=(self.orbital_positions_nm if orbital_positions_nm is None
                                  else orbital_positions_nm),
            orbital_names=self.orbital_names if orbital_names is None else tuple(orbital_names))

    def chain_blocks(self, axis: int, transverse_k_reduced: Sequence[float] = (0.0, 0.0, 0.0)
                     ) -> dict[int, np.ndarray]:
        """1-D blocks h_n along lattice ``axis`` at fixed transverse reduced k.

        h_n = Σ_{R: R_axis = n} H(R)/N_deg(R) · e^{2πi Σ_{j≠axis} k_j R_j}, so that
        H(k) = Σ_n h_n e^{2πi k_axis n}. Used for complex bands and 1-D leads.

        Parameters
        ----------
        axis : int
            0, 1 or 2: the lattice vector the chain runs along.
        transverse_k_reduced : (3,) array_like
            Reduced k; the component along ``axis`` is ignored.

        Returns
        -------
        dict of int to numpy.ndarray
            {n: h_n}, complex (n_orb, n_orb) blocks in eV.

        Raises
        ------
        ValueError
            If an argument is invalid: `axis` must be >= 0 and <= 2; transverse_k_reduced must have
            3 components; `transverse_k_reduced` must be a 1-D array of finite numbers.
        TypeError
            If an argument has the wrong type: `axis` is not an integer; `transverse_k_reduced` is
            not an array of real numbers.

        Examples
        --------
        >>> from qtransport.tight_binding import wannier
        >>> sorted(wannier.example('chain').chain_blocks(0))
        [-2, -1, 0, 1, 2]
        """
        ax = check_int("axis", axis, low=0, high=2)
        k = check_array("transverse_k_reduced", transverse_k_reduced, ndim=1).copy()
        if k.size != 3:
            raise ValueError(f"transverse_k_reduced must have 3 components, got {k.size}")
        k[ax] = 0.0
        phases = np.exp(2j * np.pi * (self.R @ k))
        out: dict[int, np.ndarray] = {}
        for r, (vec, blk) in enumerate(zip(self.R, self.blocks())):
            n = int(vec[ax])
            out[n] = out.get(n, 0) + phases[r] * blk
        return out

    def _require_lattice(self) -> np.ndarray:
        if self.lattice_vectors_nm is None:
            raise ValueError("this model has no lattice vectors; pass lattice_vectors_nm to "
                             "read_hr or a companion .win / _lattice.toml file")
        return self.lattice_vectors_nm
