"""Barrier layers described by a decay constant κ(φ) instead of (height, mass), for WKB.

The effective-mass picture gives a barrier layer the decay κ = √(2m*φ)/ħ at depth φ below its
band edge. A complex band structure (:mod:`~qtransport.tight_binding.complex_bands`) gives the
true κ(φ) of the material across its whole gap. A :class:`DecayTable` holds κ on a depth grid;
attached to a :class:`~qtransport.tight_binding.tunneling.Layer` (``decay=``) it replaces
√(2m*φ)/ħ in the WKB exponent, which stays bias dependent through the local depth
φ(x) = V(x) − E of the tilted profile.

κ² is interpolated linearly in φ (κ² is analytic in φ at a parabolic band edge, where κ itself
has a square-root branch point), so an effective-mass table is reproduced exactly and the
antiderivative ∫κ dφ has a closed form on every interval.

Examples
--------
>>> import numpy as np
>>> t = DecayTable.effective_mass(0.5, max_depth_eV=3.0)
>>> bool(np.isclose(t.decay(1.5), K_PER_SQRT_EV * np.sqrt(0.5 * 1.5), rtol=1e-14))
True
"""
from __future__ import annotations

import dataclasses
import logging
from typing import Callable, Sequence

import numpy as np

from ..errors import check_array, check_int, check_real
from ..errors import MAX_EFFECTIVE_MASS, MAX_ENERGY_EV
from .tunneling_solvers import K_PER_SQRT_EV, Slabs, wkb_exponent

__all__ = ["DecayTable", "decay_wkb_exponent", "decay_wkb_transmission", "K_PER_SQRT_EV"]

log = logging.getLogger(__name__)

#: potential difference (eV) across a slab below which it is treated as flat (κ at the midpoint)
_FLAT_EV = 1e-9


@dataclasses.dataclass(frozen=True, eq=False)
class DecayTable:
    """Decay constant κ(φ) (1/nm) of a barrier material versus depth φ below its band edge (eV).

    Parameters
    ----------
    depth_eV : array_like
        Strictly increasing depths φ ≥ 0 below the band edge the layer's ``height_eV`` refers
        to (the conduction band for electrons), starting at 0.
    kappa_per_nm : array_like
        κ at those depths, 1/nm (≥ 0). Above the band edge (φ < 0) κ = 0; deeper than the last
        depth is an error (tabulate the whole gap).
    band_edge_mass : float, optional
        Tunneling mass at the band edge, m_e, used where a mass is still needed (electrode
        default, reports); defaults to κ²/(k₀²φ) on the first interval, k₀ = √(2m_e·1 eV)/ħ.
    source : str
        Where the table comes from (for ``Barrier.sources``).

    Raises
    ------
    ValueError
        If an argument is invalid: `depth_eV` must be a 1-D array of finite numbers >= 0 and <=
        1000, starting at 0 and strictly increasing; `kappa_per_nm` must be a 1-D array of finite
        numbers >= 0 with the length of `depth_eV`; `band_edge_mass` must be > 0.
    TypeError
        If an argument has the wrong type: `band_edge_mass` is not a real number; `depth_eV` or
        `kappa_per_nm` are not arrays of real numbers.

    Examples
    --------
    >>> import numpy as np
    >>> table = DecayTable(np.array([0.0, 1.0, 2.0]), np.array([0.0, 3.0, 4.0]))
    >>> round(table.max_depth_eV, 1)
    2.0
    """

    depth_eV: np.ndarray
    kappa_per_nm: np.ndarray
    band_edge_mass: float | None = None
    source: str = ""

    def __post_init__(self):
        phi = check_array("depth_eV", self.depth_eV, ndim=1, min_size=2, low=0.0, high=MAX_ENERGY_EV)
        kap = check_array("kappa_per_nm", self.kappa_per_nm, ndim=1, min_size=2, low=0.0)
        if kap.shape != phi.shape:
            raise ValueError(f"kappa_per_nm has {kap.size} values but depth_eV has {phi.size}")
        if phi[0] != 0.0 or np.any(np.diff(phi) <= 0):
            raise ValueError("depth_eV must start at 0 and increase strictly, got "
                             f"{phi[:3]}… (first {phi[0]}, min step {np.min(np.diff(phi))})")
        mass = self.band_edge_mass
        if mass is None:
            mass = kap[1] ** 2 / (K_PER_SQRT_EV ** 2 * phi[1])
        mass = check_real("band_edge_mass", mass, low=0.0, low_open=True)
        k2 = kap ** 2
        # cumulative ∫_0^φ_i κ dφ with the exact integral of √(linear) on each interval
        pieces = self._piece(kap[:-1], kap[1:], np.diff(phi))
        for name, value in (("depth_eV", phi), ("kappa_per_nm", kap), ("band_edge_mass", mass),
                            ("_k2", k2), ("_cumulative", np.concatenate([[0.0],
                                                                         np.cumsum(pieces)]))):
            object.__setattr__(self, name, value)

    @staticmethod
    def _piece(kappa_a, kappa_b, width):
        """∫ κ dφ over [φ_a, φ_b] with κ² linear: (2/3)(φ_b − φ_a)(a² + ab + b²)/(a + b)."""
        s = kappa_a + kappa_b
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (2 / 3) * width * (kappa_a ** 2 + kappa_a * kappa_b + kappa_b ** 2) / s
        return np.where(s > 0, value, 0.0)

    @property
    def max_depth_eV(self) -> float:
        """Deepest tabulated depth, eV."""
        return float(self.depth_eV[-1])

    def _locate(self, depth_eV):
        phi = np.asarray(check_array("depth_eV", depth_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV), dtype=float).reshape(
            np.shape(depth_eV))
        if np.any(phi > self.max_depth_eV * (1 + 1e-12)):
            raise ValueError(f"depth below the band edge {float(np.max(phi)):.6g} eV exceeds the "
                             f"decay table (0 … {self.max_depth_eV:.6g} eV): the energy lies "
                             "outside the barrier's gap; tabulate deeper or lower the bias")
        phi = np.clip(phi, 0.0, self.max_depth_eV)
        i = np.clip(np.searchsorted(self.depth_eV, phi, side="right") - 1, 0,
                    self.depth_eV.size - 2)
        s = phi - self.depth_eV[i]
        slope = (self._k2[i + 1] - self._k2[i]) / (self.depth_eV[i + 1] - self.depth_eV[i])
        kappa = np.sqrt(np.clip(self._k2[i] + slope * s, 0.0, None))
        return i, s, kappa

    def decay(self, depth_eV) -> np.ndarray:
        """κ(φ) in 1/nm (0 for φ ≤ 0).

        Parameters
        ----------
        depth_eV : float or array_like
            Depth φ below the band edge, eV (≤ the table's deepest depth).

        Returns
        -------
        numpy.ndarray
            κ, 1/nm.

        Raises
        ------
        ValueError
            A depth beyond the table.

        Examples
        --------
        >>> t = DecayTable.effective_mass(1.0, 2.0)
        >>> [round(float(k), 4) for k in t.decay([0.0, 1.0])]
        [0.0, 5.1232]
        """
        _, _, kappa = self._locate(depth_eV)
        return np.where(np.asarray(depth_eV, float) > 0, kappa, 0.0)

    def integral(self, depth_eV) -> np.ndarray:
        """Antiderivative ∫_0^φ κ(φ') dφ' in eV/nm (0 for φ ≤ 0).

        Parameters
        ----------
        depth_eV : float or array_like
            Depth φ below the band edge, eV (≤ the table's deepest depth).

        Returns
        -------
        numpy.ndarray
            ∫κ dφ, eV/nm.

        Raises
        ------
        ValueError
            A depth beyond the table.

        Examples
        --------
        >>> table = DecayTable.effective_mass(0.5, 2.0)
        >>> [round(float(x), 3) for x in table.integral([0.0, 1.0])]
        [0.0, 2.415]
        """
        i, s, kappa = self._locate(depth_eV)
        value = self._cumulative[i] + self._piece(self.kappa_per_nm[i], kappa, s)
        return np.where(np.asarray(depth_eV, float) > 0, value, 0.0)

    @classmethod
    def from_function(cls, kappa_of_depth: Callable[[np.ndarray], np.ndarray],
                      max_depth_eV: float, n_points: int = 401,
                      band_edge_mass: float | None = None, source: str = "") -> "DecayTable":
        """Tabulate a callable κ(φ) (1/nm) on Chebyshev–Lobatto depths in [0, max_depth_eV].

        The nodes cluster at both ends, where κ has square-root branch points (band edges), so
        the linear-κ² interpolation error stays small in relative terms there too.

        Parameters
        ----------
        kappa_of_depth : callable
            κ(φ) in 1/nm for an array of depths φ (eV).
        max_depth_eV : float
            Deepest depth, eV (> 0).
        n_points : int, optional
            Number of depths (≥ 3).
        band_edge_mass : float, optional
            Tunneling mass at the band edge, m_e.
        source : str, optional
            Where κ comes from.

        Returns
        -------
        DecayTable
            The table.

        Raises
        ------
        ValueError
            If an argument is invalid: `max_depth_eV` must be > 0; `n_points` must be >= 3.
        TypeError
            If an argument has the wrong type: `max_depth_eV` is not a real number; `n_points` is
            not an integer.

        Examples
        --------
        >>> import numpy as np
        >>> table = DecayTable.from_function(lambda d: 5.0 * np.sqrt(d), 2.0)
        >>> round(float(table.decay([1.0])[0]), 3)
        5.0
        """
        top = check_real("max_depth_eV", max_depth_eV, low=0.0, low_open=True)
        n = check_int("n_points", n_points, low=3)
        phi = top * 0.5 * (1 - np.cos(np.linspace(0.0, np.pi, n)))
        phi[0] = 0.0
        return cls(phi, np.asarray(kappa_of_depth(phi), dtype=float), band_edge_mass, source)

    @classmethod
    def effective_mass(cls, effective_mass: float, max_depth_eV: float) -> "DecayTable":
        """The effective-mass decay κ = √(2m*φ)/ħ as a table (exact: κ² is linear in φ).

        Parameters
        ----------
        effective_mass : float
            m*/m_e (> 0).
        max_depth_eV : float
            Deepest depth, eV (> 0).

        Returns
        -------
        DecayTable
            Two-point table (exact for κ² linear in φ).

        Raises
        ------
        ValueError
            If an argument is invalid: `effective_mass` must be > 0 and <= 1000; `max_depth_eV`
            must be > 0.
        TypeError
            If an argument has the wrong type: `effective_mass` or `max_depth_eV` are not real
            numbers.

        Examples
        --------
        >>> table = DecayTable.effective_mass(0.5, 2.0)
        >>> round(float(table.decay([1.0])[0]), 3)
        3.623
        """
        m = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
        top = check_real("max_depth_eV", max_depth_eV, low=0.0, low_open=True)
        phi = np.array([0.0, top])
        return cls(phi, K_PER_SQRT_EV * np.sqrt(m * phi), m, f"effective mass {m:g} m_e")


def _slab_tables(slabs: Slabs, layers: Sequence) -> list:
    """The layer's DecayTable (or None) of every slab, by the slab midpoint's position."""
    mid = np.cumsum(slabs.thickness_nm) - 0.5 * slabs.thickness_nm
    right_edges = np.cumsum([lay.thickness_nm for lay in layers])
    idx = np.minimum(np.searchsorted(right_edges, mid), len(layers) - 1)
    return [layers[i].decay for i in idx]


def decay_wkb_exponent(slabs: Slabs, energies_eV, layers: Sequence) -> np.ndarray:
    """∫κ dx with each layer's own κ(φ(x)), shape (n_bias, n_energy) (dimensionless).

    Slabs of layers without a table go through
    :func:`~qtransport.tight_binding.tunneling_solvers.wkb_exponent` (κ = √(2m*φ)/ħ). On a
    table slab the depth φ(x) = V(x) − E is linear from φ_a to φ_b over the thickness d, so
    ∫κ dx = d [G(φ_b) − G(φ_a)] / (φ_b − φ_a) with G = :meth:`DecayTable.integral`
    (d·κ(φ) on a flat slab).

    Parameters
    ----------
    slabs : Profile
        Slab profile of the barrier (:meth:`Barrier.slabs`), eV, nm, m_e.
    energies_eV : array_like
        Energies above the left band bottom, eV (1-D, or one row per bias).
    layers : sequence of Layer
        The barrier's layers (their ``decay`` tables, or None for effective-mass layers).

    Returns
    -------
    numpy.ndarray
        ∫κ dx, dimensionless, shape (n_bias, n_energy).
    """
    E = np.asarray(energies_eV, float)
    E = E[None, :] if E.ndim == 1 else E
    tables = _slab_tables(slabs, layers)
    plain = np.array([t is None for t in tables])
    total = np.zeros((slabs.n_bias, E.shape[1]))
    if plain.any():
        total += wkb_exponent(dataclasses.replace(
            slabs, thickness_nm=slabs.thickness_nm[plain], start_eV=slabs.start_eV[plain],
            end_eV=slabs.end_eV[plain], mass=slabs.mass[plain]), E)
    for j in np.flatnonzero(~plain):
        table, d = tables[j], float(slabs.thickness_nm[j])
        phi_a = slabs.start_eV[j][:, None] - E
        phi_b = slabs.end_eV[j][:, None] - E
        dphi = phi_b - phi_a
        flat = np.abs(dphi) < _FLAT_EV
        with np.errstate(invalid="ignore", divide="ignore"):
            sloped = d * (table.integral(phi_b) - table.integral(phi_a)) / np.where(flat, 1.0,
                                                                                   dphi)
        total += np.where(flat, d * table.decay(0.5 * (phi_a + phi_b)), sloped)
    return total


def decay_wkb_transmission(slabs: Slabs, energies_eV, layers: Sequence) -> np.ndarray:
    """WKB T ≈ exp(−2∫κ dx) with per-layer decay tables, shape (n_bias, n_energy).

    Same conventions as :func:`~qtransport.tight_binding.tunneling_solvers.wkb_transmission`
    (no prefactor; 0 where either lead has no propagating state).

    Parameters
    ----------
    slabs : Profile
        Slab profile of the barrier (:meth:`Barrier.slabs`), eV, nm, m_e.
    energies_eV : array_like
        Energies above the left band bottom, eV (1-D, or one row per bias).
    layers : sequence of Layer
        The barrier's layers (their ``decay`` tables, or None for effective-mass layers).

    Returns
    -------
    numpy.ndarray
        T, dimensionless, shape (n_bias, n_energy).
    """
    E = np.asarray(energies_eV, float)
    E = E[None, :] if E.ndim == 1 else E
    open_ = (E > 0) & (E > slabs.right_bottom_eV[:, None])
    return np.where(open_, np.exp(-2 * decay_wkb_exponent(slabs, E, layers)), 0.0)
