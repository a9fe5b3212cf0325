"""Crystal structures for the embedded DFT: an ASE-like cell (symbols, positions, cell, periodic axes).

Only the periodic axes carry k points; the others must be padded with vacuum (the cell is 3-D
periodic for PySCF, and the vacuum keeps the images apart). Positions and cell vectors are in Å.

Examples
--------
>>> from qtransport.first_principles.structure import atomic_chain
>>> s = atomic_chain("Au")
>>> s.symbols, s.periodic, round(s.cell[2][2], 3)
(('Au',), (False, False, True), 2.6)
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

from ..errors import check_array, check_choice, check_real

__all__ = ["Structure", "atomic_chain", "CHAIN_BOND_ANGSTROM", "hbn_bulk", "HBN_LATTICE_ANGSTROM"]

#: Bond lengths (Å) of the monatomic chains: inputs, not computed here. Au 2.6, Ag 2.7, Cu 2.3 are
#: the round PBE/LDA equilibrium values of free-standing chains (Au 2.5-2.6 in Sanchez-Portal et
#: al., PRL 83, 3884 (1999); Bahn & Jacobsen, PRL 87, 266101 (2001) for Cu/Ag/Au); carbon 1.28 Å is
#: the cumulene (equal-bond) polyyne geometry (Cahangirov et al., PRB 81, 205428 (2010)).
CHAIN_BOND_ANGSTROM = {"Au": 2.6, "Ag": 2.7, "Cu": 2.3, "C": 1.28}

#: Bulk h-BN (AA' stacking) lattice constants a, c in Å (Pease, Acta Cryst. 5, 356 (1952)).
HBN_LATTICE_ANGSTROM = (2.504, 6.661)

_SYMBOLS = ("H", "B", "C", "N", "O", "Al", "Si", "Cu", "Zn", "Ga", "Ag", "In", "Au", "Nb")


@dataclass(frozen=True)
class Structure:
    """A periodic cell.

    Parameters
    ----------
    symbols : tuple of str
        Chemical symbols, one per atom (from a small supported list); ``"ghost-El"`` is a ghost
        site: the s and p basis shells of element El, no nucleus, no pseudopotential, no
        electrons (used to give the basis a tail across a vacuum gap).
    positions : tuple of (x, y, z)
        Cartesian positions in Å.
    cell : tuple of three (x, y, z)
        Lattice vectors (rows) in Å.
    periodic : tuple of three bool
        Which lattice vectors carry k points (the others are vacuum-padded).
    name : str
        Label used in logs and file names.

    Raises
    ------
    ValueError
        If an argument is invalid: symbols must be a non-empty sequence of element symbols;
        `positions` and `cell` must be arrays of finite numbers; positions must have shape
        (n_atoms, 3) (Å); cell must be a 3x3 matrix of lattice vectors in Å; cell must have a
        positive volume; periodic must be three booleans with at least one True; each of `symbols`
        (without a ``ghost-`` prefix) must be an element the module knows (H, B, C, N, O, Al, Si,
        Cu, Zn, Ga, Ag, In, Au, Nb).
    TypeError
        If an argument has the wrong type: `positions` or `cell` are not arrays of real
        numbers.

    Examples
    --------
    >>> s = hbn_bulk()
    >>> len(s.symbols), s.periodic
    (4, (True, True, True))
    """

    symbols: tuple
    positions: tuple
    cell: tuple
    periodic: tuple
    name: str = field(default="structure")

    def __post_init__(self):
        if not isinstance(self.symbols, (tuple, list)) or not self.symbols:
            raise ValueError(f"symbols must be a non-empty sequence of element symbols, got {self.symbols!r}")
        for s in self.symbols:
            # "ghost-El": basis functions of El at that site, no nucleus, no electrons
            check_choice("symbols", s[6:] if str(s).startswith("ghost-") else s, _SYMBOLS)
        pos = check_array("positions", self.positions)
        if pos.shape != (len(self.symbols), 3):
            raise ValueError(f"positions must have shape ({len(self.symbols)}, 3) (Å), got {pos.shape}")
        cell = check_array("cell", self.cell)
        if cell.shape != (3, 3):
            raise ValueError(f"cell must be a 3x3 matrix of lattice vectors in Å, got shape {cell.shape}")
        vol = abs(float(np.linalg.det(cell)))
        if vol < 1e-6:
            raise ValueError(f"cell must have a positive volume, got {vol} Å^3")
        per = tuple(bool(p) for p in self.periodic)
        if len(per) != 3 or not any(per):
            raise ValueError(f"periodic must be three booleans with at least one True, got {self.periodic!r}")
        object.__setattr__(self, "symbols", tuple(str(s) for s in self.symbols))
        object.__setattr__(self, "positions", tuple(tuple(float(x) for x in p) for p in pos))
        object.__setattr__(self, "cell", tuple(tuple(float(x) for x in v) for v in cell))
        object.__setattr__(self, "periodic", per)

    def as_dict(self) -> dict:
        """Plain-JSON form (the cache key is built from it).

        Returns
        -------
        dict
            ``symbols``, ``positions`` (Å), ``cell`` (Å), ``periodic``, ``name`` as lists/str.

        Examples
        --------
        >>> sorted(hbn_bulk().as_dict())
        ['cell', 'name', 'periodic', 'positions', 'symbols']
        """
        return {"symbols": list(self.symbols), "positions": [list(p) for p in self.positions],
                "cell": [list(v) for v in self.cell], "periodic": list(self.periodic),
                "name": self.name}

    def digest(self) -> str:
        """SHA-256 of the geometry (rounded to 1e-8 Å so float noise does not change it).

        Returns
        -------
        str
            Hexadecimal digest (64 characters).

        Examples
        --------
        >>> len(hbn_bulk().digest())
        64
        """
        d = self.as_dict()
        d["positions"] = np.round(np.asarray(d["positions"]), 8).tolist()
        d["cell"] = np.round(np.asarray(d["cell"]), 8).tolist()
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()


def atomic_chain(element: str, bond_angstrom: float | None = None,
                 vacuum_angstrom: float = 10.0) -> Structure:
    """A monatomic chain along z, one atom per cell, in a square vacuum box.

    Parameters
    ----------
    element : {"Au", "Ag", "Cu", "C"}
        Chain element.
    bond_angstrom : float, optional
        Interatomic distance (Å); default :data:`CHAIN_BOND_ANGSTROM`.
    vacuum_angstrom : float
        Box side perpendicular to the chain (Å), 6-30.

    Returns
    -------
    Structure
        One atom at the origin, cell vectors in Å, periodic along z only.

    Raises
    ------
    ValueError
        An unknown element or a length out of range.

    Examples
    --------
    >>> s = atomic_chain("Au", 2.6)
    >>> s.periodic, s.cell[2][2]
    ((False, False, True), 2.6)
    """
    element = check_choice("element", element, tuple(CHAIN_BOND_ANGSTROM))
    a = CHAIN_BOND_ANGSTROM[element] if bond_angstrom is None else check_real(
        "bond_angstrom", bond_angstrom, low=0.9, high=4.0)
    L = check_real("vacuum_angstrom", vacuum_angstrom, low=6.0, high=30.0)
    return Structure((element,), ((0.0, 0.0, 0.0),), ((L, 0, 0), (0, L, 0), (0, 0, a)),
                     (False, False, True), name=f"{element}_chain")


def hbn_bulk(a_angstrom: float | None = None, c_angstrom: float | None = None) -> Structure:
    """Bulk h-BN, AA' stacking (B over N), 4 atoms per cell, periodic in 3-D.

    Parameters
    ----------
    a_angstrom, c_angstrom : float, optional
        Lattice constants (Å); default :data:`HBN_LATTICE_ANGSTROM`.

    Returns
    -------
    Structure
        Four atoms, cell in Å, periodic along a1, a2, a3.

    Raises
    ------
    ValueError
        a outside 2–3 Å or c outside 5–9 Å.

    Examples
    --------
    >>> s = hbn_bulk()
    >>> s.symbols
    ('B', 'N', 'N', 'B')
    """
    a = HBN_LATTICE_ANGSTROM[0] if a_angstrom is None else check_real(
        "a_angstrom", a_angstrom, low=2.0, high=3.0)
    c = HBN_LATTICE_ANGSTROM[1] if c_angstrom is None else check_real(
        "c_angstrom", c_angstrom, low=5.0, high=9.0)
    a1 = np.array([a, 0.0, 0.0])
    a2 = np.array([-a / 2, a * np.sqrt(3) / 2, 0.0])
    a3 = np.array([0.0, 0.0, c])
    frac = [("B", (1 / 3, 2 / 3, 0.0)), ("N", (2 / 3, 1 / 3, 0.0)),
            ("N", (1 / 3, 2 / 3, 0.5)), ("B", (2 / 3, 1 / 3, 0.5))]
    M = np.array([a1, a2, a3])
    return Structure(tuple(s for s, _ in frac), tuple(tuple(np.array(f) @ M) for _, f in frac),
                     tuple(tuple(v) for v in M), (True, True, True), name="hBN_bulk")
