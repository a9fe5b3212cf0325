"""Solvers for one-dimensional tunneling through piecewise profiles, each checkable against another.

Four independent ways to get the transmission T(E) of a barrier described by slabs (thickness,
potential, effective mass) between two leads:

* :func:`continuum_transmission` — exact for a piecewise-constant continuum profile with
  BenDaniel–Duke matching (ψ and ψ'/m continuous): scaled transfer matrices, vectorized over
  energies (and biases), free of overflow down to T ~ 1e-300.
* :func:`lattice_transmission` — the same problem on the BenDaniel–Duke finite-difference lattice,
  solved exactly by the lattice transfer matrix propagated in ratio (Riccati / recursive Green's
  function) form, which never overflows.
* :func:`kwant_transmission` — Kwant on that same lattice (MUMPS), the independent reference.
* :func:`wkb_transmission` — T ≈ exp(−2∫κ dx), analytic for piecewise-linear profiles.

Energies are in eV measured from the left lead's band bottom, lengths in nm, masses in m_e.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ..constants import eV, hbar, m_e, nm
from .lattice import hopping_eV, smatrix

__all__ = ["K_PER_SQRT_EV", "Slabs", "continuum_transmission", "LatticeChain",
           "lattice_chain", "lattice_transmission", "kwant_system", "kwant_transmission",
           "wkb_exponent", "wkb_transmission"]

log = logging.getLogger(__name__)

#: k in 1/nm of a particle of mass m_e with kinetic energy 1 eV: sqrt(2 m_e · 1 eV)/ħ · 1 nm
K_PER_SQRT_EV = float(np.sqrt(2 * m_e * eV) / hbar * nm)
_TINY = 1e-300


@dataclass(frozen=True)
class Slabs:
    """A discretized barrier: slabs between two leads, broadcast over a leading bias axis.

    Attributes
    ----------
    thickness_nm : ndarray, shape (n,)
        Slab thicknesses.
    start_eV, end_eV : ndarray, shape (n, n_bias)
        Potential at the left and right edge of each slab (linear in between); the transfer
        matrix uses the slab average, WKB the exact linear integral.
    mass : ndarray, shape (n,)
        Effective mass of each slab in m_e.
    left_mass, right_mass : float
        Lead masses in m_e. The left lead's band bottom is the energy zero.
    right_bottom_eV : ndarray, shape (n_bias,)
        Band bottom of the right lead.
    """

    thickness_nm: np.ndarray
    start_eV: np.ndarray
    end_eV: np.ndarray
    mass: np.ndarray
    left_mass: float
    right_mass: float
    right_bottom_eV: np.ndarray

    @property
    def n_bias(self) -> int:
        return int(self.right_bottom_eV.shape[0])


def _slab_matrix(k2: np.ndarray, d: float, m: float):
    """Scaled transfer matrix of one constant slab in the (ψ, ψ'/m) basis.

    Returns ``(c, S, log_scale)`` with M = e^{log_scale} [[c, m S], [−k² S/m, c]]: for k² ≥ 0,
    c = cos kd, S = sin(kd)/k; for k² = −κ² < 0, c = cosh(κd) e^{−κd}, S = sinh(κd) e^{−κd}/κ.
    Both are regular at k = 0 (S → d), so E = V is exact. Each branch's transcendental functions
    are evaluated only where that branch applies (ufunc ``where=``).
    """
    x = np.sqrt(np.abs(k2)) * d
    prop = k2 >= 0
    evan = ~prop
    small = x < 1e-6
    c = np.cos(x, where=prop, out=np.empty_like(x))
    sinc = np.sin(x, where=prop, out=np.zeros_like(x))
    decay = np.exp(-2 * x, where=evan, out=np.zeros_like(x))
    np.multiply(0.5, 1 + decay, out=c, where=evan)
    safe_x = np.where(small, 1.0, x)
    # sin(x)/x and (1 − e^{−2x})/(2x); both → 1 − O(x) as x → 0
    S = np.where(prop, sinc, 0.5 * (1 - decay)) / np.where(prop, safe_x, safe_x)
    S = np.where(small, 1 - np.where(prop, 0.0, x), S) * d
    return c, S, np.where(prop, 0.0, x)


def _energy_rows(energies_eV) -> np.ndarray:
    """Energies as a (1, n) row shared by every bias, or (n_bias, n) rows given per bias."""
    E = np.asarray(energies_eV, float)
    return E[None, :] if E.ndim == 1 else E


def _lead_q(energies: np.ndarray, bottom, mass: float) -> np.ndarray:
    """q = k/m in 1/nm of a lead (0 where the lead has no propagating state)."""
    k2 = (K_PER_SQRT_EV ** 2) * mass * (energies - bottom)
    return np.sqrt(np.clip(k2, 0.0, None)) / mass


def continuum_transmission(slabs: Slabs, energies_eV: np.ndarray) -> np.ndarray:
    """Exact transmission of a piecewise-constant continuum profile, shape (n_bias, n_energy).

    Parameters
    ----------
    slabs : Slabs
        The profile (each slab taken at its average potential).
    energies_eV : ndarray, shape (n_energy,) or (n_bias, n_energy)
        Energies above the left lead's band bottom (one grid, or one row per bias).

    Returns
    -------
    ndarray
        T(E) in [0, 1] for every bias row.

    Notes
    -----
    Each slab maps (ψ, ψ'/m) across it by M = [[cos kd, m sin(kd)/k], [−k sin(kd)/m, cos kd]]
    (BenDaniel & Duke, Phys. Rev. 152, 683 (1966)), with k² = 2m(E − V)/ħ². Evanescent slabs
    carry their growth e^{κd} as a separate logarithm, so products never overflow. With q = k/m in
    the leads, t = 2iq_L / (iq_L M22 + iq_R M11 + q_L q_R M12 − M21) and T = (q_R/q_L)|t|²;
    for a single barrier the four terms of |D|² add without cancellation, so T keeps full
    relative precision however small it is.
    """
    E = _energy_rows(energies_eV)
    c2 = K_PER_SQRT_EV ** 2
    p11 = np.ones((slabs.n_bias, E.shape[1]))
    p12 = np.zeros_like(p11)
    p21 = np.zeros_like(p11)
    p22 = np.ones_like(p11)
    log_scale = np.zeros_like(p11)
    for j, d in enumerate(slabs.thickness_nm):
        m = float(slabs.mass[j])
        v = 0.5 * (slabs.start_eV[j] + slabs.end_eV[j])[:, None]
        k2 = c2 * m * (E - v)
        c, S, sc = _slab_matrix(k2, float(d), m)
        a12, a21 = m * S, -k2 * S / m
        p11, p12, p21, p22 = (c * p11 + a12 * p21, c * p12 + a12 * p22,
                              a21 * p11 + c * p21, a21 * p12 + c * p22)
        log_scale += sc
    q_l = _lead_q(E, 0.0, slabs.left_mass)
    q_r = _lead_q(E, slabs.right_bottom_eV[:, None], slabs.right_mass)
    denom2 = (q_l * q_r * p12 - p21) ** 2 + (q_l * p22 + q_r * p11) ** 2
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        log_t = (np.log(np.maximum(4 * q_l * q_r, _TINY)) - 2 * log_scale
                 - np.log(np.maximum(denom2, _TINY)))
        trans = np.where((q_l > 0) & (q_r > 0), np.exp(np.minimum(log_t, 0.0)), 0.0)
    return trans


@dataclass(frozen=True)
class LatticeChain:
    """A 1D tight-binding chain between two uniform leads (all energies in eV).

    ``onsite_eV`` has shape (n_sites, n_bias), ``hopping_eV`` shape (n_sites − 1,) (positive
    t; the Hamiltonian element is −t). Lead ``X`` is a uniform chain with on-site
    ``X_onsite_eV`` and hopping ``X_hopping_eV`` attached to the first/last site by that hopping.
    """

    onsite_eV: np.ndarray
    hopping_eV: np.ndarray
    left_onsite_eV: float
    left_hopping_eV: float
    right_onsite_eV: np.ndarray
    right_hopping_eV: float


def _profile_at(slabs: Slabs, x_nm: np.ndarray, total_nm: float):
    """Potential (n_x, n_bias) and mass (n_x,) of the slab profile sampled at positions x."""
    edges = np.concatenate([[0.0], np.cumsum(slabs.thickness_nm)])
    idx = np.clip(np.searchsorted(edges, x_nm, side="right") - 1, 0, len(slabs.thickness_nm) - 1)
    frac = ((x_nm - edges[idx]) / slabs.thickness_nm[idx])[:, None]
    pot = slabs.start_eV[idx] + frac * (slabs.end_eV[idx] - slabs.start_eV[idx])
    inside = ((x_nm >= 0) & (x_nm <= total_nm))[:, None]
    left = np.zeros_like(pot)
    right = np.broadcast_to(slabs.right_bottom_eV[None, :], pot.shape)
    pot = np.where(inside, pot, np.where(x_nm[:, None] < 0, left, right))
    mass = np.where(x_nm < 0, slabs.left_mass,
                    np.where(x_nm > total_nm, slabs.right_mass, slabs.mass[idx]))
    return pot, mass


def lattice_chain(slabs: Slabs, lattice_constant_nm: float) -> LatticeChain:
    """BenDaniel–Duke finite-difference lattice of a slab profile.

    Sites sit at x_i = (i + ½)a inside the barrier plus one lead-material site on each side, so
    material interfaces fall on bond midpoints. The bond (i, i+1) has hopping
    t = ħ²/(2 m_{i+½} a²) with m_{i+½} = (m_i + m_{i+1})/2 (flux continuity of ψ'/m across the
    bond), and site i has on-site V(x_i) + t_{i−1,i} + t_{i,i+1}. The potential is sampled at the
    site (midpoint rule), so the error is O(a²) when interfaces are multiples of a.
    """
    a = float(lattice_constant_nm)
    total = float(np.sum(slabs.thickness_nm))
    n_in = max(1, int(round(total / a)))
    x = (np.arange(-1, n_in + 1) + 0.5) * a
    pot, mass = _profile_at(slabs, x, total)
    bond_mass = 0.5 * (mass[1:] + mass[:-1])
    hop = np.array([hopping_eV(float(mb), a) for mb in bond_mass])
    t_l = hopping_eV(slabs.left_mass, a)
    t_r = hopping_eV(slabs.right_mass, a)
    left_nb = np.concatenate([[t_l], hop])
    right_nb = np.concatenate([hop, [t_r]])
    onsite = pot + (left_nb + right_nb)[:, None]
    return LatticeChain(onsite, hop, 2 * t_l, t_l, slabs.right_bottom_eV + 2 * t_r, t_r)


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


def lattice_transmission(chain: LatticeChain, energies_eV: np.ndarray) -> np.ndarray:
    """Exact transmission of a lattice chain, shape (n_bias, n_energy).

    Notes
    -----
    The lattice transfer matrix (ψ_{i+1}, ψ_i) ← (ψ_i, ψ_{i−1}) is propagated in ratio form:
    g_i = [E − ε_i − t_{i−1,i}² g_{i−1}]⁻¹ (g_0 includes the left-lead self-energy, the last one
    the right-lead one), the recursive Green's function of a chain. Then
    |G_{N1}| = Π |t g| and T = Γ_L Γ_R |G_{N1}|² with Γ = −2 Im Σ (Caroli formula). Every ratio
    is bounded, so nothing overflows; the product is summed as a logarithm.
    """
    E = _energy_rows(energies_eV)
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


def kwant_system(n_sites: int, left_hopping_eV: float, right_hopping_eV: float):
    """Finalized Kwant chain of ``n_sites`` sites with two uniform leads.

    On-site energies and hoppings come through ``params`` (``onsite_eV``, ``hopping_eV``,
    ``left_onsite_eV``, ``right_onsite_eV``), so one system serves every bias and energy.
    """
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
    return syst.finalized()


def kwant_transmission(chain: LatticeChain, energies_eV: np.ndarray) -> np.ndarray:
    """Transmission of the same lattice chain computed by Kwant, shape (n_bias, n_energy).

    One ``kwant.smatrix`` (MUMPS) per energy and bias; energies outside either lead's band give 0.
    """
    n_sites, n_bias = chain.onsite_eV.shape
    fsyst = kwant_system(n_sites, chain.left_hopping_eV, chain.right_hopping_eV)
    energies = np.broadcast_to(_energy_rows(energies_eV), (n_bias, np.shape(energies_eV)[-1]))
    out = np.zeros(energies.shape)
    for b in range(n_bias):
        params = {"onsite_eV": chain.onsite_eV[:, b], "hopping_eV": chain.hopping_eV,
                  "left_onsite_eV": chain.left_onsite_eV,
                  "right_onsite_eV": float(chain.right_onsite_eV[b])}
        for i, energy in enumerate(energies[b]):
            smat = smatrix(fsyst, float(energy), params=params)
            if all(smat.num_propagating(lead) > 0 for lead in (0, 1)):
                out[b, i] = smat.transmission(1, 0)
    return out


def wkb_exponent(slabs: Slabs, energies_eV: np.ndarray) -> np.ndarray:
    """∫κ dx over the classically forbidden parts, shape (n_bias, n_energy) (dimensionless).

    Exact for a piecewise-linear profile: on a slab from V_a to V_b over d,
    ∫ sqrt(max(V − E, 0)) dx = (2d/3) [max(V_b − E, 0)^{3/2} − max(V_a − E, 0)^{3/2}] / (V_b − V_a).
    """
    E = _energy_rows(energies_eV)
    total = np.zeros((slabs.n_bias, E.shape[1]))
    for j, d in enumerate(slabs.thickness_nm):
        va, vb = slabs.start_eV[j][:, None], slabs.end_eV[j][:, None]
        ua, ub = np.clip(va - E, 0, None), np.clip(vb - E, 0, None)
        dv = vb - va
        flat = np.abs(dv) < 1e-12
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (2 * d / 3) * (ub ** 1.5 - ua ** 1.5) / np.where(flat, 1.0, dv)
        integral = np.where(flat, d * np.sqrt(0.5 * (ua + ub)), slope)
        total += K_PER_SQRT_EV * np.sqrt(slabs.mass[j]) * integral
    return total


def wkb_transmission(slabs: Slabs, energies_eV: np.ndarray) -> np.ndarray:
    """WKB transmission T ≈ exp(−2∫κ dx) (no prefactor), shape (n_bias, n_energy).

    Zero where either lead has no propagating state at that energy.
    """
    E = _energy_rows(energies_eV)
    open_ = (E > 0) & (E > slabs.right_bottom_eV[:, None])
    return np.where(open_, np.exp(-2 * wkb_exponent(slabs, energies_eV)), 0.0)
