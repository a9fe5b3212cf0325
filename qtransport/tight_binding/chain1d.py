"""The one 1-D BenDaniel–Duke lattice chain: construction, exact ratio-form solver, Kwant.

A piecewise-linear continuum profile (:class:`~qtransport.tight_binding.transfer_matrix.Profile`)
is discretized on sites x_i = (i + ½)a across the profile plus one lead-material site on each
side, so material interfaces that are multiples of a fall on bond midpoints. The bond (i, i+1)
has hopping t = ħ²/(2 m_{i+½} a²) with the bond mass m_{i+½} = (m_i + m_{i+1})/2 (continuity of
the flux ψ'/m across the bond, :func:`~qtransport.tight_binding.lattice.hoppings_eV`); site i has
on-site V(x_i) + t_{i−1,i} + t_{i,i+1}. The leads are uniform chains of the lead material. The
error against the continuum is O(a²) when the interfaces sit on the grid.

Two solvers of the same finite lattice, used by barriers (``method="lattice"``/``"kwant"`` of
:class:`~qtransport.tight_binding.tunneling.Barrier`) and superlattices
(``Superlattice.transmission(method="kwant")``):

* :func:`lattice_transmission` — recursive Green's function (ratio form of the lattice transfer
  matrix), vectorized over energies and biases, overflow-free;
* :func:`kwant_transmission` — Kwant (MUMPS) energy by energy, each S-matrix checked for
  unitarity (:func:`~qtransport.tight_binding.lattice.check_unitarity`, AccuracyWarning).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lattice import bake_values, check_unitarity, hopping_eV, hoppings_eV, smatrix
from .transfer_matrix import Profile, energy_rows

__all__ = ["LatticeChain", "lattice_chain", "lattice_transmission", "kwant_chain", "chain_system",
           "kwant_transmission"]

_TINY = 1e-300


@dataclass(frozen=True)
class LatticeChain:
    """A 1-D tight-binding chain between two uniform leads (all energies in eV).

    ``onsite_eV`` has shape (n_sites, n_bias), ``hopping_eV`` shape (n_sites − 1,) (positive
    t; the Hamiltonian element is −t). Lead ``X`` is a uniform chain with on-site
    ``X_onsite_eV`` and hopping ``X_hopping_eV`` attached to the first/last site by that hopping.

    Parameters
    ----------
    onsite_eV : numpy.ndarray
        On-site energies, eV, shape (n_sites, n_bias).
    hopping_eV : numpy.ndarray
        Hoppings t between neighbouring sites, eV, shape (n_sites − 1,).
    left_onsite_eV : float
        On-site energy of the left lead, eV.
    left_hopping_eV : float
        Hopping of the left lead, eV.
    right_onsite_eV : numpy.ndarray
        On-site energy of the right lead at each bias, eV, shape (n_bias,).
    right_hopping_eV : float
        Hopping of the right lead, eV.
    """

    onsite_eV: np.ndarray
    hopping_eV: np.ndarray
    left_onsite_eV: float
    left_hopping_eV: float
    right_onsite_eV: np.ndarray
    right_hopping_eV: float


def _profile_at(profile: Profile, x_nm: np.ndarray, total_nm: float):
    """Potential (n_x, n_bias) and mass (n_x,) of the profile sampled at positions x."""
    edges = np.concatenate([[0.0], np.cumsum(profile.thickness_nm)])
    idx = np.clip(np.searchsorted(edges, x_nm, side="right") - 1, 0,
                  len(profile.thickness_nm) - 1)
    frac = ((x_nm - edges[idx]) / profile.thickness_nm[idx])[:, None]
    pot = profile.start_eV[idx] + frac * (profile.end_eV[idx] - profile.start_eV[idx])
    inside = ((x_nm >= 0) & (x_nm <= total_nm))[:, None]
    left = np.full_like(pot, profile.left_bottom_eV)
    right = np.broadcast_to(profile.right_bottom_eV[None, :], pot.shape)
    pot = np.where(inside, pot, np.where(x_nm[:, None] < 0, left, right))
    mass = np.where(x_nm < 0, profile.left_mass,
                    np.where(x_nm > total_nm, profile.right_mass, profile.mass[idx]))
    return pot, mass


def lattice_chain(profile: Profile, lattice_constant_nm: float) -> LatticeChain:
    """BenDaniel–Duke finite-difference chain of a profile (see the module docstring).

    The potential is sampled at the sites (midpoint rule), so the error is O(a²) when the
    interfaces are multiples of a.

    Parameters
    ----------
    profile : Profile
        Piecewise-linear band-edge profile (eV, nm, m_e), one column per bias.
    lattice_constant_nm : float
        Site spacing a, nm.

    Returns
    -------
    LatticeChain
        The chain (barrier sites plus one lead site on each side).
    """
    a = float(lattice_constant_nm)
    total = float(np.sum(profile.thickness_nm))
    n_in = max(1, int(round(total / a)))
    x = (np.arange(-1, n_in + 1) + 0.5) * a
    pot, mass = _profile_at(profile, x, total)
    hop = hoppings_eV(0.5 * (mass[1:] + mass[:-1]), a)
    t_l = hopping_eV(profile.left_mass, a)
    t_r = hopping_eV(profile.right_mass, a)
    left_nb = np.concatenate([[t_l], hop])
    right_nb = np.concatenate([hop, [t_r]])
    onsite = pot + (left_nb + right_nb)[:, None]
    return LatticeChain(onsite, hop, profile.left_bottom_eV + 2 * t_l, t_l,
                        profile.right_bottom_eV + 2 * t_r, t_r)


def _lead_self_energy(energies: np.ndarray, onsite, hop: float) -> np.ndarray:
    """Retarded self-energy Σ = −t λ of a semi-infinite chain, |λ| ≤ 1, E = ε − t(λ + 1/λ)."""
    c = (onsite - energies) / (2 * hop)            # = cos(ka) inside the band
    inside = np.abs(c) <= 1
    root = np.sqrt(np.abs(c * c - 1.0))
    lam_out = np.where(c > 1, c - root, c + root)  # the decaying solution outside the band
    lam = np.where(inside, c + 1j * root, lam_out + 0j)
    return -hop * lam


def _inverse(denominator: np.ndarray) -> np.ndarray:
    """1/x with an exact zero (a real pole outside both bands) nudged to 1e-300."""
    return 1.0 / np.where(denominator == 0, 1e-300, denominator)


def lattice_transmission(chain: LatticeChain, energies_eV) -> np.ndarray:
    """Exact transmission of a lattice chain, shape (n_bias, n_energy).

    Parameters
    ----------
    chain : LatticeChain
        The chain (from :func:`lattice_chain`).
    energies_eV : float or array_like
        Energies above the left lead's band bottom, eV: 1-D (shared by every bias) or one row
        per bias.

    Returns
    -------
    numpy.ndarray
        Transmission, dimensionless in [0, 1], shape (n_bias, n_energy).

    Notes
    -----
    The lattice transfer matrix (ψ_{i+1}, ψ_i) ← (ψ_i, ψ_{i−1}) is propagated in ratio form:
    g_i = [E − ε_i − t_{i−1,i}² g_{i−1}]⁻¹ (g_0 includes the left-lead self-energy, the last one
    the right-lead one), the recursive Green's function of a chain. Then
    |G_{N1}| = Π |t g| and T = Γ_L Γ_R |G_{N1}|² with Γ = −2 Im Σ (Caroli formula). Every ratio
    is bounded, so nothing overflows; the product is summed as a logarithm.

    Examples
    --------
    The same lattice solved by Kwant agrees to round-off; against the continuum barrier the
    lattice differs by its O((ka)²) discretization error (a = 0.02 nm: ~1e-3):

    >>> import numpy as np
    >>> from qtransport.tight_binding import transfer_matrix as tm, tunneling
    >>> prof = tm.Profile(thickness_nm=np.array([1.0]), start_eV=np.array([[1.0]]),
    ...                   end_eV=np.array([[1.0]]), mass=np.array([0.5]), left_mass=0.5,
    ...                   right_mass=0.5, right_bottom_eV=np.array([0.0]))
    >>> chain = lattice_chain(prof, lattice_constant_nm=0.02)
    >>> E = np.array([0.3, 0.7, 1.3])
    >>> T = lattice_transmission(chain, E)
    >>> bool(np.max(np.abs(T - kwant_transmission(chain, E))) < 1e-10)
    True
    >>> exact = tunneling.rectangular_transmission(E, 1.0, 1.0, 0.5)
    >>> bool(np.max(np.abs(T[0] / exact - 1)) < 3e-3)
    True
    """
    E = energy_rows(energies_eV)
    onsite = chain.onsite_eV[:, :, None]
    n = onsite.shape[0]
    sigma_l = _lead_self_energy(E, chain.left_onsite_eV, chain.left_hopping_eV)
    sigma_r = _lead_self_energy(E, chain.right_onsite_eV[:, None], chain.right_hopping_eV)
    g = _inverse(E - onsite[0] - sigma_l - (sigma_r if n == 1 else 0.0))
    log_g = np.log(np.abs(g))
    for i in range(1, n):
        t = chain.hopping_eV[i - 1]
        extra = sigma_r if i == n - 1 else 0.0
        g = _inverse(E - onsite[i] - t * t * g - extra)
        log_g = log_g + np.log(np.abs(g)) + np.log(t)
    gamma = 4 * sigma_l.imag * sigma_r.imag           # Γ_L Γ_R = 4 Im Σ_L Im Σ_R
    with np.errstate(divide="ignore", under="ignore"):
        trans = np.where(gamma > 0, np.exp(np.log(np.maximum(gamma, _TINY)) + 2 * log_g), 0.0)
    return np.minimum(trans, 1.0)


def _kwant_onsite(site, onsite_eV):
    return onsite_eV[site.tag[0]]


def _kwant_hopping(site1, site2, hopping_eV):
    i = min(site1.tag[0], site2.tag[0])
    return -hopping_eV[i]


def _kwant_left_onsite(site, left_onsite_eV):
    return left_onsite_eV


def _kwant_right_onsite(site, right_onsite_eV):
    return right_onsite_eV


def _chain_builder(n_sites: int, left_hopping_eV: float, right_hopping_eV: float):
    import kwant
    lat = kwant.lattice.chain(1.0, norbs=1)
    syst = kwant.Builder()
    syst[(lat(i) for i in range(n_sites))] = _kwant_onsite
    syst[lat.neighbors()] = _kwant_hopping
    left = kwant.Builder(kwant.TranslationalSymmetry((-1,)))
    left[lat(0)] = _kwant_left_onsite
    left[lat.neighbors()] = -left_hopping_eV
    right = kwant.Builder(kwant.TranslationalSymmetry((1,)))
    right[lat(0)] = _kwant_right_onsite
    right[lat.neighbors()] = -right_hopping_eV
    syst.attach_lead(left)
    syst.attach_lead(right)
    return syst


def _chain_params(chain: LatticeChain, b: int) -> dict:
    return {"onsite_eV": chain.onsite_eV[:, b], "hopping_eV": chain.hopping_eV,
            "left_onsite_eV": chain.left_onsite_eV,
            "right_onsite_eV": float(chain.right_onsite_eV[b])}


def kwant_chain(n_sites: int, left_hopping_eV: float, right_hopping_eV: float):
    """Finalized Kwant chain of ``n_sites`` sites with two uniform leads.

    On-site energies and hoppings come through ``params`` (``onsite_eV``, ``hopping_eV``,
    ``left_onsite_eV``, ``right_onsite_eV``), so one system serves every bias and energy.

    Parameters
    ----------
    n_sites : int
        Sites of the chain.
    left_hopping_eV : float
        Hopping of the left lead, eV.
    right_hopping_eV : float
        Hopping of the right lead, eV.

    Returns
    -------
    kwant.system.FiniteSystem
        The finalized chain (values through ``params``).
    """
    return _chain_builder(n_sites, left_hopping_eV, right_hopping_eV).finalized()


def chain_system(chain: LatticeChain, bias_index: int = 0):
    """A lattice chain (one bias of it) as an unfinalized Kwant Builder, leads attached.

    Values are numbers (no ``params``): site i at x = i (lattice units) has on-site
    ``chain.onsite_eV[i, bias_index]``; ``syst.leads[0]`` is the left lead, ``[1]`` the right.
    The finalized system's transmission is :func:`kwant_transmission`'s row ``bias_index``.

    Parameters
    ----------
    chain : LatticeChain
        The chain (from :func:`lattice_chain`).
    bias_index : int, optional
        Which bias column of the chain (0 ≤ index < n_bias).

    Returns
    -------
    kwant.Builder
        Unfinalized, two leads attached, values baked in (eV).

    Raises
    ------
    TypeError
        ``chain`` is not a :class:`LatticeChain`.
    ValueError
        ``bias_index`` out of range.
    """
    from ..errors import check_int
    if not isinstance(chain, LatticeChain):
        raise TypeError(f"chain must be a LatticeChain, got {type(chain).__name__}")
    n_sites, n_bias = chain.onsite_eV.shape
    b = check_int("bias_index", bias_index, low=0, high=n_bias - 1)
    syst = _chain_builder(n_sites, chain.left_hopping_eV, chain.right_hopping_eV)
    return bake_values(syst, _chain_params(chain, b))


def kwant_transmission(chain: LatticeChain, energies_eV, *, progress=None) -> np.ndarray:
    """Transmission of a lattice chain computed by Kwant, shape (n_bias, n_energy).

    One ``kwant.smatrix`` (MUMPS) per energy and bias; energies outside either lead's band give
    0. Every S-matrix is checked for unitarity (Σ T + R = open modes, AccuracyWarning).
    ``progress``: a bar over the energies (:func:`qtransport.infra.progress`).

    Parameters
    ----------
    chain : LatticeChain
        The chain (from :func:`lattice_chain`).
    energies_eV : float or array_like
        Energies above the left lead's band bottom, eV: 1-D (shared by every bias) or one row
        per bias.
    progress : bool, optional
        Progress bar over the energies (None: only on an interactive terminal).

    Returns
    -------
    numpy.ndarray
        Transmission, dimensionless, shape (n_bias, n_energy).
    """
    from ..infra import progress as _progress
    n_sites, n_bias = chain.onsite_eV.shape
    fsyst = kwant_chain(n_sites, chain.left_hopping_eV, chain.right_hopping_eV)
    E = energy_rows(energies_eV)
    energies = np.broadcast_to(E, (n_bias, E.shape[-1]))
    out = np.zeros(energies.shape)
    for b in range(n_bias):
        params = _chain_params(chain, b)
        desc = "energies" if n_bias == 1 else f"energies, bias {b + 1}/{n_bias}"
        for i, energy in enumerate(_progress(energies[b], desc=desc, enable=progress)):
            smat = smatrix(fsyst, float(energy), params=params)
            if all(smat.num_propagating(lead) > 0 for lead in (0, 1)):
                check_unitarity(smat, float(energy))
                out[b, i] = smat.transmission(1, 0)
    return out
