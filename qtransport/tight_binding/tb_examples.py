"""Analytic tight-binding models used as bundled examples and as test references.

``scripts/make_wannier_examples.py`` writes them to ``data/<name>_hr.dat`` with
:func:`~qtransport.tight_binding.wannier.write_hr`; tests rebuild them here and compare.

Examples
--------
>>> m = honeycomb(hopping_eV=2.7, onsite_eV=0.0, lattice_constant_nm=0.246)
>>> [round(float(e), 12) for e in m.eigenvalues([0.0, 0.0, 0.0])]   # ±3t at Γ
[-8.1, 8.1]
"""
from __future__ import annotations

import numpy as np

from ..errors import check_array, check_real
from ..errors import MAX_ENERGY_EV
from .tb_model import TightBindingModel

__all__ = ["honeycomb", "chain", "honeycomb_dispersion", "chain_dispersion", "VACUUM_NM"]

#: length of the non-periodic lattice vectors of 1-D and 2-D models (arbitrary; no hopping)
VACUUM_NM = 1.0


def honeycomb(hopping_eV: float, onsite_eV: float, lattice_constant_nm: float,
              comment: str = "") -> TightBindingModel:
    """Nearest-neighbour honeycomb model: graphene (Δ = 0) or an h-BN-like two-band model.

    Parameters
    ----------
    hopping_eV : float
        t > 0; the hopping matrix element is −t.
    onsite_eV : float
        Δ: on-site +Δ on sublattice A, −Δ on B.
    lattice_constant_nm : float
        a = |a1| = |a2|; a1 = a(1, 0, 0), a2 = a(1/2, √3/2, 0); A at 0, B at (a1 + a2)/3.
    comment : str, optional
        First line of the ``_hr.dat`` file written from the model.

    Returns
    -------
    TightBindingModel
        Two orbitals (A, B), hoppings in eV, lattice in nm.

    Raises
    ------
    ValueError
        If an argument is invalid: `hopping_eV` must be > 0 and <= 1000; `onsite_eV` must be
        finite; `lattice_constant_nm` must be > 0.
    TypeError
        If an argument has the wrong type: `hopping_eV`, `onsite_eV` or `lattice_constant_nm`
        are not real numbers.

    Notes
    -----
    H_AB(k) = −t (1 + e^{−ik·a1} + e^{−ik·a2}), so E(k) = ±√(Δ² + t²|1 + e^{ik·a1} + e^{ik·a2}|²)
    (Wallace, Phys. Rev. 71, 622 (1947)); gap 2|Δ| at K.
    """
    t = check_real("hopping_eV", hopping_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    d = check_real("onsite_eV", onsite_eV)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    lat = np.array([[a, 0, 0], [a / 2, a * np.sqrt(3) / 2, 0], [0, 0, VACUUM_NM]])
    R = np.array([[0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]])
    H = np.zeros((5, 2, 2), dtype=complex)
    H[0] = [[d, -t], [-t, 0.0 - d]]
    H[2, 0, 1] = H[4, 0, 1] = -t         # A(0) – B(−a1), A(0) – B(−a2)
    H[1, 1, 0] = H[3, 1, 0] = -t         # their Hermitian partners
    pos = np.array([[0.0, 0.0, 0.0], (lat[0] + lat[1]) / 3])
    return TightBindingModel(R=R, degeneracy=np.ones(5, dtype=int), hoppings_eV=H,
                             lattice_vectors_nm=lat, orbital_positions_nm=pos,
                             orbital_names=("A", "B"), comment=comment)


def honeycomb_dispersion(k_reduced, hopping_eV: float, onsite_eV: float) -> np.ndarray:
    """Analytic bands (n_k, 2) of :func:`honeycomb`: ±√(Δ² + t²|1 + e^{2πik1} + e^{2πik2}|²).

    Parameters
    ----------
    k_reduced : array_like
        Rows (k1, k2[, k3]) of reduced wave vectors.
    hopping_eV : float
        t, eV.
    onsite_eV : float
        Δ, eV.

    Returns
    -------
    numpy.ndarray
        Bands, eV, shape (n_k, 2): (−E, +E).

    Raises
    ------
    ValueError
        ``k_reduced`` rows with fewer than two components.

    Examples
    --------
    >>> honeycomb_dispersion([[0.0, 0.0]], 1.0, 0.0).tolist()
    [[-3.0, 3.0]]
    """
    k = np.atleast_2d(np.asarray(check_array("k_reduced", k_reduced), float).reshape(
        np.shape(k_reduced)))
    if k.ndim != 2 or k.shape[1] < 2:
        raise ValueError(f"k_reduced must hold (k1, k2[, k3]) rows, got shape {np.shape(k_reduced)}")
    hopping_eV = check_real("hopping_eV", hopping_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    onsite_eV = check_real("onsite_eV", onsite_eV)
    f = 1 + np.exp(2j * np.pi * k[:, 0]) + np.exp(2j * np.pi * k[:, 1])
    e = np.sqrt(onsite_eV ** 2 + hopping_eV ** 2 * np.abs(f) ** 2)
    return np.stack([-e, e], axis=1)


def chain(onsite_eV: float, hopping_eV: float, second_hopping_eV: float, lattice_constant_nm: float,
          comment: str = "") -> TightBindingModel:
    """One-orbital chain with first and second neighbours, in Wannier90's Wigner–Seitz form.

    The blocks are R = −2 … 2 as for a 4-point k mesh: R = ±2 lie on the Wigner–Seitz boundary
    and carry degeneracy 2, so the file stores 2·t2 there (Σ 1/N_deg = 4 k-points).

    Parameters
    ----------
    onsite_eV : float
        On-site energy ε0, eV.
    hopping_eV : float
        First-neighbour hopping t1, eV (the matrix element itself, any sign).
    second_hopping_eV : float
        Second-neighbour hopping t2, eV.
    lattice_constant_nm : float
        Lattice constant a, nm (> 0).
    comment : str, optional
        First line of the ``_hr.dat`` file written from the model.

    Returns
    -------
    TightBindingModel
        One orbital, hoppings in eV, lattice in nm.

    Raises
    ------
    ValueError
        If an argument is invalid: `onsite_eV` and `second_hopping_eV` must be finite;
        `hopping_eV` must be >= -1000 and <= 1000; `lattice_constant_nm` must be > 0.
    TypeError
        If an argument has the wrong type: `onsite_eV`, `hopping_eV`, `second_hopping_eV` or
        `lattice_constant_nm` are not real numbers.

    Notes
    -----
    E(k) = ε0 + 2 t1 cos(ka) + 2 t2 cos(2ka).
    """
    e0 = check_real("onsite_eV", onsite_eV)
    t1 = check_real("hopping_eV", hopping_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    t2 = check_real("second_hopping_eV", second_hopping_eV)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    R = np.array([[-2, 0, 0], [-1, 0, 0], [0, 0, 0], [1, 0, 0], [2, 0, 0]])
    deg = np.array([2, 1, 1, 1, 2])
    H = np.array([2 * t2, t1, e0, t1, 2 * t2], dtype=complex).reshape(5, 1, 1)
    lat = np.diag([a, VACUUM_NM, VACUUM_NM])
    return TightBindingModel(R=R, degeneracy=deg, hoppings_eV=H, lattice_vectors_nm=lat,
                             orbital_positions_nm=np.zeros((1, 3)), orbital_names=("s",),
                             comment=comment)


def chain_dispersion(k_reduced, onsite_eV: float, hopping_eV: float,
                     second_hopping_eV: float) -> np.ndarray:
    """Analytic band of :func:`chain` at reduced k (k·a = 2π k_reduced).

    Parameters
    ----------
    k_reduced : array_like
        Reduced wave numbers k·a/2π.
    onsite_eV : float
        ε0, eV.
    hopping_eV : float
        t1, eV.
    second_hopping_eV : float
        t2, eV.

    Returns
    -------
    numpy.ndarray
        E(k), eV, shape of ``k_reduced``.

    Raises
    ------
    ValueError
        If an argument is invalid: `onsite_eV` and `second_hopping_eV` must be finite;
        `hopping_eV` must be >= -1000 and <= 1000; `k_reduced` must be an array of finite
        numbers.
    TypeError
        If an argument has the wrong type: `onsite_eV`, `hopping_eV` or `second_hopping_eV` are
        not real numbers; `k_reduced` is not an array of real numbers.

    Examples
    --------
    >>> chain_dispersion([0.0, 0.5], 0.0, -1.0, 0.0).tolist()
    [-2.0, 2.0]
    """
    x = 2 * np.pi * np.asarray(check_array("k_reduced", k_reduced), float).reshape(
        np.shape(k_reduced))
    onsite_eV = check_real("onsite_eV", onsite_eV)
    hopping_eV = check_real("hopping_eV", hopping_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    second_hopping_eV = check_real("second_hopping_eV", second_hopping_eV)
    return onsite_eV + 2 * hopping_eV * np.cos(x) + 2 * second_hopping_eV * np.cos(2 * x)
