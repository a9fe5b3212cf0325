"""The BenDaniel–Duke transfer-matrix kernel: exact for piecewise-linear 1-D profiles (Airy segments).

Every continuum 1-D transport or bound-state calculation of the package goes through this module:
tunnel barriers (:mod:`~qtransport.tight_binding.tunneling`, biased trapezoids and stacks),
finite superlattices, Kronig–Penney cells and layered wells
(:mod:`~qtransport.tight_binding.superlattice`).

A profile is a sequence of segments between two flat leads. On segment j (thickness d, mass m)
the band edge is linear, V(x) = V_a + (V_b − V_a) x/d; BenDaniel–Duke matching keeps ψ and ψ'/m
continuous at every interface. The segment maps (ψ, ψ'/m) at its left edge to its right edge by a
real 2×2 matrix with unit determinant, computed *exactly* (to rounding) for any slope:

* linear segment: ψ = a Ai(z) + b Bi(z), z = (2m/ħ²)^{1/3} |F|^{-2/3} (V(x) − E) with F the field
  (V_b − V_a)/d;
* flat segment (F = 0): plane waves or exponentials, cos kd, sin(kd)/k, cosh κd, sinh(κd)/κ.

For sloped segments three numerically different but mathematically identical evaluations are
chosen per segment and energy (dimensionless A = (2m/ħ²)(V_a − E) d², B = (2m/ħ²)(V_b − V_a) d²,
αd = B^{1/3}, so z = A/(αd)² at the left edge and z + αd at the right one):

``series``
    |A|, |A + B|, |B| ≤ 4: the Taylor series of the two fundamental solutions of
    ψ'' = (A + B s) ψ on s ∈ [0, 1] (34 terms reach rounding). Covers thin or weakly sloped
    segments with E close to the band edge, where the Airy form would cancel (E = V included).
``asymptotic``
    no turning point in the segment and |z| > 10 at both ends: the large-argument Airy
    expansions (DLMF 9.7.5–9.7.12, 26 terms, truncation < 1e-17) written in physical variables.
    The phase or growth across the segment, ζ_b − ζ_a = (2/3)(|z_b|^{3/2} − |z_a|^{3/2}), is
    evaluated as (2/3)√(2m)/ħ · d (|u_b| + √|u_a u_b| + |u_a|)/(√|u_b| + √|u_a|) (u = V − E), free
    of the cancellation between two huge numbers, so the weak-field limit F → 0 is smooth and
    reaches the flat formulas.
``airy``
    all other segments (a turning point inside, or |z| ≤ 10 at one end): Ai, Ai', Bi, Bi' at both
    ends, from :func:`scipy.special.airy` (Cephes) for |z| ≤ 10 and from the expansions beyond,
    with e^{∓ζ} divided out. Segments with |αd| > 40 are first cut into equal linear pieces (an
    exact operation), so that |z| ≤ ~50 here and at most ~1e-14 is lost to the oscillation phase.

Evanescent growth e^{|ζ_b − ζ_a|} is carried as a separate logarithm and every partial product is
renormalized, so a profile with T ~ 1e-300 neither overflows nor loses relative precision
(the four terms of the transmission denominator add without cancellation for a single barrier).

With q = k/m in each lead and P the product of the segment matrices,

    T = 4 q_L q_R / [(q_L q_R P12 − P21)² + (q_L P22 + q_R P11)²].

Energies in eV, lengths in nm, masses in m_e. References: BenDaniel & Duke, Phys. Rev. 152, 683
(1966); Olver et al., NIST DLMF §9.7 (Airy asymptotics); the Airy transfer matrix for biased
barriers e.g. Brennan & Summers, J. Appl. Phys. 61, 614 (1987).

Examples
--------
>>> import numpy as np
>>> p = Profile.from_layers([1.0], [1.5], [0.5], lead_mass=0.5)
>>> float(transmission(p, [0.5])[0, 0]) > 0
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import airy

from ..errors import check_array, check_real
from ..errors import MAX_ENERGY_EV, MAX_LENGTH_NM
from .lattice import K_PER_SQRT_EV

__all__ = ["Profile", "segment_matrix", "profile_matrix", "transmission", "lead_velocity",
           "energy_rows", "segment_count",
           "ASYMPTOTIC_Z", "MAX_ALPHA_D"]

#: |z| above which both ends of a turning-point-free segment use the Airy asymptotic expansion
ASYMPTOTIC_Z = 10.0
#: linear segments with |αd| = |(2m/ħ²)(V_b − V_a) d²|^{1/3} above this are cut into pieces
MAX_ALPHA_D = 40.0
#: the Taylor series is used when |A|, |A + B| and |B| are all below this
_SERIES_LIMIT = 4.0
_SERIES_TERMS = 34
_ASYMPTOTIC_TERMS = 26
_TINY = 1e-300
_C2 = K_PER_SQRT_EV ** 2                   # 2 m_e · 1 eV · (1 nm)² / ħ²


def _airy_coefficients(n: int) -> tuple[np.ndarray, np.ndarray]:
    """u_k, v_k of the Airy asymptotic expansions (DLMF 9.7.2), k = 0 … n − 1."""
    u = [1.0]
    for k in range(1, n):
        u.append(u[-1] * (6 * k - 5) * (6 * k - 3) * (6 * k - 1) / ((2 * k - 1) * 216 * k))
    v = [-(6 * k + 1) / (6 * k - 1) * u[k] for k in range(n)]
    return np.array(u), np.array(v)


_U, _V = _airy_coefficients(_ASYMPTOTIC_TERMS)


@dataclass(frozen=True)
class Profile:
    """A piecewise-linear band-edge profile between two flat leads, broadcast over a bias axis.

    Parameters
    ----------
    thickness_nm : ndarray, shape (n,)
        Segment thicknesses (> 0).
    start_eV, end_eV : ndarray, shape (n, n_bias)
        Band edge at the left and right edge of each segment (linear in between), eV.
    mass : ndarray, shape (n,)
        Effective mass of each segment, m_e.
    left_mass, right_mass : float
        Lead masses, m_e.
    right_bottom_eV : ndarray, shape (n_bias,)
        Band bottom of the right lead, eV.
    left_bottom_eV : float
        Band bottom of the left lead, eV (the energy zero of the tunneling code).

    Raises
    ------
    ValueError
        If an argument is invalid: `thickness_nm` must be a 1-D array of finite numbers > 0 and <=
        10000; `mass` must be a 1-D array of finite numbers > 0 with one value per segment;
        `right_bottom_eV` must be a 1-D array of finite numbers; `start_eV` and `end_eV` must be
        arrays of finite numbers of shape (n_segments, n_bias); `left_mass` and `right_mass` must
        be > 0; `left_bottom_eV` must be finite.
    TypeError
        If an argument has the wrong type: `left_mass`, `right_mass` or `left_bottom_eV` are not
        real numbers; `thickness_nm`, `mass`, `right_bottom_eV`, `start_eV` or `end_eV` are not
        arrays of real numbers.

    Examples
    --------
    A 1 nm, 1 eV rectangular barrier (mass 0.5) between leads of the same mass, one bias:

    >>> import numpy as np
    >>> prof = Profile(thickness_nm=np.array([1.0]), start_eV=np.array([[1.0]]),
    ...                end_eV=np.array([[1.0]]), mass=np.array([0.5]), left_mass=0.5,
    ...                right_mass=0.5, right_bottom_eV=np.array([0.0]))
    >>> segment_count(prof), prof.start_eV.shape               # (segments, biases)
    (1, (1, 1))
    """

    thickness_nm: np.ndarray
    start_eV: np.ndarray
    end_eV: np.ndarray
    mass: np.ndarray
    left_mass: float
    right_mass: float
    right_bottom_eV: np.ndarray
    left_bottom_eV: float = 0.0

    def __post_init__(self):
        d = check_array("thickness_nm", self.thickness_nm, low=0.0, low_open=True, ndim=1, high=MAX_LENGTH_NM)
        check_array("mass", self.mass, low=0.0, low_open=True, ndim=1)
        rb = check_array("right_bottom_eV", self.right_bottom_eV, ndim=1)
        for name in ("start_eV", "end_eV"):
            v = check_array(name, getattr(self, name))
            if v.shape != (d.size, rb.size):
                raise ValueError(f"{name} must have shape (n_segments, n_bias) = "
                                 f"({d.size}, {rb.size}), got {v.shape}")
        if np.shape(self.mass) != d.shape:
            raise ValueError(f"mass must have one value per segment ({d.size}), got "
                             f"{np.shape(self.mass)}")
        check_real("left_mass", self.left_mass, low=0.0, low_open=True)
        check_real("right_mass", self.right_mass, low=0.0, low_open=True)
        check_real("left_bottom_eV", self.left_bottom_eV)

    @property
    def n_bias(self) -> int:
        """Number of bias rows."""
        return int(self.right_bottom_eV.shape[0])

    @classmethod
    def from_layers(cls, widths_nm, potentials_eV, masses, lead_mass: float,
                    lead_potential_eV: float = 0.0, right_lead_mass: float | None = None,
                    end_potentials_eV=None) -> "Profile":
        """One bias row of layers between leads at ``lead_potential_eV`` (flat unless
        ``end_potentials_eV`` gives each layer's right-edge band edge).

        Parameters
        ----------
        widths_nm : array_like
            Layer thicknesses, nm (> 0).
        potentials_eV : array_like
            Band edge of each layer (at its left edge), eV.
        masses : array_like
            Effective mass of each layer, m_e (> 0).
        lead_mass : float
            Left lead mass, m_e (> 0; also the right one unless ``right_lead_mass``).
        lead_potential_eV : float, optional
            Band bottom of both leads, eV.
        right_lead_mass : float, optional
            Right lead mass, m_e (> 0).
        end_potentials_eV : array_like, optional
            Band edge at each layer's right edge, eV (default: flat layers).

        Returns
        -------
        Profile
            One bias row.

        Raises
        ------
        ValueError
            The layer arrays differ in length, or a value out of range.

        Examples
        --------
        >>> p = Profile.from_layers([1.0], [0.5], [1.0], 1.0)
        >>> p.n_bias, p.start_eV.shape
        (1, (1, 1))
        """
        w = check_array("widths_nm", widths_nm, low=0.0, low_open=True)
        v = check_array("potentials_eV", potentials_eV)
        m = check_array("masses", masses, low=0.0, low_open=True)
        ve = v if end_potentials_eV is None else check_array("end_potentials_eV",
                                                             end_potentials_eV)
        if not (w.size == v.size == m.size == ve.size):
            raise ValueError(f"widths_nm, potentials_eV and masses must have the same length, "
                             f"got {w.size}, {v.size}, {m.size}")
        ml = check_real("lead_mass", lead_mass, low=0.0, low_open=True)
        mr = ml if right_lead_mass is None else check_real("right_lead_mass", right_lead_mass,
                                                           low=0.0, low_open=True)
        vl = check_real("lead_potential_eV", lead_potential_eV)
        return cls(w, v[:, None], ve[:, None], m, ml, mr, np.array([vl]), vl)


# --- one segment ------------------------------------------------------------------------------

def _series(a, b, d, m):
    """Taylor series of ψ'' = (A + B s)ψ on s ∈ [0, 1]; returns the (ψ, ψ'/m) matrix entries.

    U (U = 1, U' = 0 at s = 0) and W (W = 0, W' = 1) have coefficients
    c_{n+2} = (A c_n + B c_{n−1}) / ((n + 2)(n + 1)); with |A|, |A + B|, |B| ≤ 4 the terms fall
    below 1e-19 of the sum by n = 34.
    """
    cu_prev, cu, cu_next = np.zeros_like(a), np.ones_like(a), np.zeros_like(a)  # c_{n-1,n,n+1}
    cw_prev, cw, cw_next = np.zeros_like(a), np.zeros_like(a), np.ones_like(a)
    u_sum, du_sum = np.ones_like(a), np.zeros_like(a)
    w_sum, dw_sum = np.ones_like(a), np.ones_like(a)
    for n in range(_SERIES_TERMS - 2):
        # coefficient n + 2 from n and n − 1
        nu = (a * cu + b * cu_prev) / ((n + 2) * (n + 1))
        nw = (a * cw + b * cw_prev) / ((n + 2) * (n + 1))
        u_sum += nu
        w_sum += nw
        du_sum += (n + 2) * nu
        dw_sum += (n + 2) * nw
        cu_prev, cu, cu_next = cu, cu_next, nu
        cw_prev, cw, cw_next = cw, cw_next, nw
    return u_sum, d * m * w_sum, du_sum / (d * m), dw_sum


def _series_ascending(w, coef, sign):
    """Σ_k sign^k coef_k w^k by Horner's rule."""
    out = np.full_like(w, coef[-1] * sign ** (len(coef) - 1))
    for k in range(len(coef) - 2, -1, -1):
        out = out * w + coef[k] * sign ** k
    return out


_SIGNS = (-1.0) ** np.arange(_ASYMPTOTIC_TERMS)
_EVEN_U, _ODD_U = _U[0::2] * _SIGNS[:len(_U[0::2])], _U[1::2] * _SIGNS[:len(_U[1::2])]
_EVEN_V, _ODD_V = _V[0::2] * _SIGNS[:len(_V[0::2])], _V[1::2] * _SIGNS[:len(_V[1::2])]


def _pqrs(w):
    """P, Q, R, S of the oscillatory Airy expansions (DLMF 9.7.9–9.7.12) at 1/ζ = w."""
    w2 = w * w
    return (_series_ascending(w2, _EVEN_U, 1.0), w * _series_ascending(w2, _ODD_U, 1.0),
            _series_ascending(w2, _EVEN_V, 1.0), w * _series_ascending(w2, _ODD_V, 1.0))


def _polar(p, q, r, s):
    """Moduli and phases of P + iQ and R + iS."""
    return np.hypot(p, q), np.arctan2(q, p), np.hypot(r, s), np.arctan2(s, r)


def _asymptotic(u0, u1, d, m):
    """Segment matrix from the large-|z| Airy expansions, in physical variables (no turning point).

    Returns (m11, m12, m21, m22, log_scale) in the (ψ, ψ'/m) basis.
    """
    sq = K_PER_SQRT_EV * np.sqrt(m)
    a0, a1 = np.abs(u0), np.abs(u1)
    field = np.abs(u1 - u0) / d                              # |F|, eV/nm
    sgn_f = np.where(u1 >= u0, 1.0, -1.0)
    evan = u0 > 0
    r0, r1 = np.sqrt(a0), np.sqrt(a1)
    # ζ_b − ζ_a without cancellation; sign(u)·sign(F) gives its direction
    delta = np.where(evan, 1.0, -1.0) * sgn_f * (2.0 / 3.0) * sq * d * (a1 + r0 * r1 + a0) / (r1 + r0)
    w0 = 1.5 * field / (sq * a0 * r0)                        # 1/ζ at each end (0 when flat)
    w1 = 1.5 * field / (sq * a1 * r1)
    k0, k1 = sq * r0, sq * r1                                 # local wave numbers
    ratio = np.sqrt(r0 / r1)                                 # (|u_a|/|u_b|)^{1/4}
    g = sgn_f * np.sqrt(k0 * k1)
    out = [np.empty_like(u0) for _ in range(5)]
    if evan.any():
        e = evan
        lp1, lm1 = _series_ascending(w1[e], _U, 1.0), _series_ascending(w1[e], _U, -1.0)
        lp0, lm0 = _series_ascending(w0[e], _U, 1.0), _series_ascending(w0[e], _U, -1.0)
        vp1, vm1 = _series_ascending(w1[e], _V, 1.0), _series_ascending(w1[e], _V, -1.0)
        vp0, vm0 = _series_ascending(w0[e], _V, 1.0), _series_ascending(w0[e], _V, -1.0)
        dl = delta[e]
        s = np.abs(dl)
        ep, em = 0.5 * np.exp(dl - s), 0.5 * np.exp(-dl - s)
        me = m[e]
        out[0][e] = ratio[e] * (ep * lp1 * vm0 + em * lm1 * vp0)
        out[1][e] = me * (ep * lp1 * lm0 - em * lm1 * lp0) / g[e]
        out[2][e] = g[e] * (ep * vp1 * vm0 - em * vm1 * vp0) / me
        out[3][e] = (ep * vp1 * lm0 + em * vm1 * lp0) / ratio[e]
        out[4][e] = s
    osc = ~evan
    if osc.any():
        o = osc
        rho0, chi0, sig0, eta0 = _polar(*_pqrs(w0[o]))
        rho1, chi1, sig1, eta1 = _polar(*_pqrs(w1[o]))
        dl, mo = delta[o], m[o]
        out[0][o] = ratio[o] * rho1 * sig0 * np.cos(dl - chi1 + eta0)
        out[1][o] = -mo * rho0 * rho1 * np.sin(dl - chi1 + chi0) / g[o]
        out[2][o] = g[o] * sig0 * sig1 * np.sin(dl - eta1 + eta0) / mo
        out[3][o] = sig1 * rho0 * np.cos(dl - eta1 + chi0) / ratio[o]
        out[4][o] = 0.0
    return tuple(out)


def _flat(u0, u1, d, m):
    """Flat segment (F = 0, u = V − E): cos kd, sin(kd)/k or scaled cosh κd, sinh(κd)/κ.

    Exact for every kd including 0: S = d sin(x)/x for k² ≥ 0 and S = d (1 − e^{−2x})/(2x) (via
    expm1) for κ² (x = kd or κd; S = d at x = 0), with the growth e^{κd} as the log-scale.
    """
    kk = K_PER_SQRT_EV * np.sqrt(m * np.abs(u0))
    x = kk * d
    evan = u0 > 0
    decay = np.exp(-2 * np.where(evan, x, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(evan, -np.expm1(-2 * x) / (2 * x), np.sin(x) / x)
    c = np.where(evan, 0.5 * (1 + decay), np.cos(x))
    S = d * np.where(x > 0, ratio, 1.0)
    k2 = np.where(evan, 1.0, -1.0) * kk * kk                 # ψ'' = −k²ψ (k² = −κ² inside)
    return c, m * S, k2 * S / m, c, np.where(evan, x, 0.0)


def _scaled_airy(z):
    """Ai, Ai', Bi, Bi' at real z with e^{∓ζ} removed for z > 0 (ζ = ⅔ z^{3/2}), plain for z ≤ 0.

    |z| ≤ 10: :func:`scipy.special.airy` (Cephes; e^{±ζ} ≤ e^{21} is then divided out by hand).
    |z| > 10: the asymptotic expansions (DLMF 9.7.5–9.7.12) with :data:`_ASYMPTOTIC_TERMS`
    terms (truncation error < 1e-16 since ζ > 21).
    """
    small = np.abs(z) <= ASYMPTOTIC_Z
    zs = np.where(small, z, 0.0)
    ai, aip, bi, bip = airy(zs)
    pos = small & (zs > 0)
    if pos.any():
        zeta = (2.0 / 3.0) * zs[pos] * np.sqrt(zs[pos])
        grow, decay = np.exp(zeta), np.exp(-zeta)
        ai[pos] *= grow
        aip[pos] *= grow
        bi[pos] *= decay
        bip[pos] *= decay
    big = ~small
    if big.any():
        zb = z[big]
        x = np.abs(zb)
        q = np.sqrt(x)
        w = 1.0 / ((2.0 / 3.0) * x * q)                      # 1/ζ
        amp, damp = 1.0 / (np.sqrt(np.pi) * np.sqrt(q)), np.sqrt(q) / np.sqrt(np.pi)
        res = [np.empty_like(zb) for _ in range(4)]
        p_ = zb > 0
        if p_.any():
            wp = w[p_]
            res[0][p_] = 0.5 * amp[p_] * _series_ascending(wp, _U, -1.0)
            res[1][p_] = -0.5 * damp[p_] * _series_ascending(wp, _V, -1.0)
            res[2][p_] = amp[p_] * _series_ascending(wp, _U, 1.0)
            res[3][p_] = damp[p_] * _series_ascending(wp, _V, 1.0)
        n_ = ~p_
        if n_.any():
            wn = w[n_]
            P, Q, R, S = _pqrs(wn)
            phase = 1.0 / wn - 0.25 * np.pi
            c, s_ = np.cos(phase), np.sin(phase)
            res[0][n_] = amp[n_] * (c * P + s_ * Q)
            res[1][n_] = damp[n_] * (s_ * R - c * S)
            res[2][n_] = amp[n_] * (-s_ * P + c * Q)
            res[3][n_] = damp[n_] * (c * R + s_ * S)
        ai[big], aip[big], bi[big], bip[big] = res
    return ai, aip, bi, bip


def _airy_direct(u0, u1, d, m):
    """Segment matrix from Airy functions at both ends (F ≠ 0); (ψ, ψ'/m) basis, log-scaled."""
    b = _C2 * m * (u1 - u0) * d * d                          # B = (2m/ħ²) F d³
    alpha_d = np.cbrt(b)
    z0 = _C2 * m * u0 * d * d / alpha_d ** 2
    z1 = z0 + alpha_d
    p0, p1 = np.maximum(z0, 0.0), np.maximum(z1, 0.0)
    both = (z0 > 0) & (z1 > 0)
    q0, q1 = np.sqrt(p0), np.sqrt(p1)
    with np.errstate(invalid="ignore", divide="ignore"):
        stable = (2.0 / 3.0) * alpha_d * (p1 + q0 * q1 + p0) / (q1 + q0)
    delta = np.where(both, stable, (2.0 / 3.0) * (p1 * q1 - p0 * q0))
    s = np.abs(delta)
    ep, em = np.exp(delta - s), np.exp(-delta - s)
    ai0, aip0, bi0, bip0 = _scaled_airy(z0)
    ai1, aip1, bi1, bip1 = _scaled_airy(z1)
    alpha = alpha_d / d
    m11 = np.pi * (ai1 * bip0 * em - bi1 * aip0 * ep)
    m12 = (np.pi / alpha) * (bi1 * ai0 * ep - ai1 * bi0 * em) * m
    m21 = np.pi * alpha * (aip1 * bip0 * em - bip1 * aip0 * ep) / m
    m22 = np.pi * (bip1 * ai0 * ep - aip1 * bi0 * em)
    return m11, m12, m21, m22, s


def segment_matrix(energies_eV, start_eV, end_eV, mass, thickness_nm):
    """Exact transfer matrix of one linear segment in the (ψ, ψ'/m) basis, log-scaled.

    Parameters
    ----------
    energies_eV : array_like
        Energies, eV (broadcast with ``start_eV`` and ``end_eV``).
    start_eV, end_eV : array_like
        Band edge at the segment's left and right edge, eV.
    mass : float or array_like
        Effective mass in the segment, m_e (broadcast too: one segment per configuration).
    thickness_nm : float or array_like
        Segment thickness, nm (> 0).

    Returns
    -------
    m11, m12, m21, m22, log_scale : ndarray
        M = e^{log_scale} [[m11, m12], [m21, m22]] maps (ψ, ψ'/m) from the left edge to the right
        edge; det M = 1. ``log_scale`` ≥ 0 is the evanescent growth taken out.

    Raises
    ------
    ValueError
        If an argument is invalid: energies_eV, start_eV and end_eV must be finite; mass and
        thickness_nm must be finite and > 0.

    Notes
    -----
    Inputs must be finite, masses and thicknesses > 0 (``ValueError`` otherwise). A segment with
    |αd| > :data:`MAX_ALPHA_D` should be cut first (:func:`profile_matrix` does).
    """
    E = np.asarray(energies_eV, float)
    u0 = np.asarray(start_eV, float) - E
    u1 = np.asarray(end_eV, float) - E
    u0, u1, m, d = np.broadcast_arrays(u0, u1, np.asarray(mass, float),
                                       np.asarray(thickness_nm, float))
    if not (np.isfinite(u0).all() and np.isfinite(u1).all()):
        raise ValueError("energies_eV, start_eV and end_eV must be finite, got NaN or inf")
    if not (np.all(m > 0) and np.all(d > 0) and np.isfinite(m).all() and np.isfinite(d).all()):
        raise ValueError(f"mass and thickness_nm must be finite and > 0, got mass {mass!r}, "
                         f"thickness_nm {thickness_nm!r}")
    shape = u0.shape
    if np.array_equal(u0, u1):                               # flat layers: closed form
        return _flat(u0, u1, d, m)
    u0, u1, m, d = u0.ravel(), u1.ravel(), m.ravel(), d.ravel()
    scale = _C2 * m * d * d
    a0, a1, b = scale * u0, scale * u1, scale * (u1 - u0)
    alpha_d2 = np.cbrt(b) ** 2
    series = (np.abs(a0) <= _SERIES_LIMIT) & (np.abs(a1) <= _SERIES_LIMIT) & \
        (np.abs(b) <= _SERIES_LIMIT)
    flat = b == 0
    asym = ~series & ~flat & (u0 * u1 > 0) & (np.abs(a0) > ASYMPTOTIC_Z * alpha_d2) & \
        (np.abs(a1) > ASYMPTOTIC_Z * alpha_d2)
    direct = ~series & ~flat & ~asym
    out = [np.zeros_like(u0) for _ in range(5)]
    series = series & ~flat
    for mask, solve in ((flat, _flat), (series, None), (asym, _asymptotic),
                        (direct, _airy_direct)):
        if not mask.any():
            continue
        if solve is None:
            res = _series(a0[mask], b[mask], d[mask], m[mask]) + (np.zeros(int(mask.sum())),)
        else:
            res = solve(u0[mask], u1[mask], d[mask], m[mask])
        for o, r in zip(out, res):
            o[mask] = r
    return tuple(o.reshape(shape) for o in out)


# --- a whole profile --------------------------------------------------------------------------

def energy_rows(energies_eV) -> np.ndarray:
    """Energies as a (1, n) row shared by every bias, or (n_bias, n) rows given per bias.

    The energy layout every 1-D solver of the package accepts (kernel, lattice chain, WKB).

    Parameters
    ----------
    energies_eV : float or array_like
        A 1-D grid (eV) or one row per bias.

    Returns
    -------
    numpy.ndarray
        Shape (1, n) or (n_bias, n), eV.

    Examples
    --------
    >>> energy_rows([0.1, 0.2]).shape
    (1, 2)
    """
    E = np.atleast_1d(np.asarray(energies_eV, float))
    return E[None, :] if E.ndim == 1 else E


def _pieces(profile: Profile, j: int) -> int:
    """How many equal linear pieces segment j is cut into so that |αd| ≤ MAX_ALPHA_D."""
    d, m = float(profile.thickness_nm[j]), float(profile.mass[j])
    dv = float(np.max(np.abs(profile.end_eV[j] - profile.start_eV[j])))
    alpha_d = (_C2 * m * dv * d * d) ** (1.0 / 3.0)
    return max(1, math.ceil(alpha_d / MAX_ALPHA_D))


def segment_count(profile: Profile) -> int:
    """Linear pieces (Airy segment matrices) :func:`profile_matrix` multiplies per energy and bias.

    Parameters
    ----------
    profile : Profile
        Segments and leads.

    Returns
    -------
    int
        Σ_j of the pieces segment j is cut into so that |αd| ≤ :data:`MAX_ALPHA_D` — the work
        estimate callers check before a solve.

    Examples
    --------
    >>> segment_count(Profile.from_layers([1.0, 2.0], [0.5, 1.0], [1.0, 0.4], 1.0))  # flat
    2
    """
    return sum(_pieces(profile, j) for j in range(len(profile.thickness_nm)))


def profile_matrix(profile: Profile, energies_eV):
    """Product of the segment matrices, left to right, shape (n_bias, n_energy) each.

    Parameters
    ----------
    profile : Profile
        Segments and leads.
    energies_eV : array_like
        Energies (one grid for every bias, or one row per bias), eV.

    Returns
    -------
    p11, p12, p21, p22, log_scale : ndarray
        P = e^{log_scale} [[p11, p12], [p21, p22]] maps (ψ, ψ'/m) from the left lead interface to
        the right one; the entries are renormalized after every segment (max |p| = 1).
    """
    E = energy_rows(energies_eV)
    shape = (profile.n_bias, E.shape[1])
    p11, p22 = np.ones(shape), np.ones(shape)
    p12, p21 = np.zeros(shape), np.zeros(shape)
    log_scale = np.zeros(shape)
    for j, d in enumerate(profile.thickness_nm):
        va = profile.start_eV[j][:, None]
        vb = profile.end_eV[j][:, None]
        n = _pieces(profile, j)
        for i in range(n):
            lo = va + (vb - va) * (i / n)
            hi = vb if i == n - 1 else va + (vb - va) * ((i + 1) / n)
            a11, a12, a21, a22, sc = segment_matrix(E, lo, hi, float(profile.mass[j]),
                                                    float(d) / n)
            p11, p12, p21, p22 = (a11 * p11 + a12 * p21, a11 * p12 + a12 * p22,
                                  a21 * p11 + a22 * p21, a21 * p12 + a22 * p22)
            norm = np.maximum(np.maximum(np.abs(p11), np.abs(p12)),
                              np.maximum(np.abs(p21), np.abs(p22)))
            norm = np.where(norm > 0, norm, 1.0)
            p11, p12, p21, p22 = p11 / norm, p12 / norm, p21 / norm, p22 / norm
            log_scale = log_scale + sc + np.log(norm)
    return p11, p12, p21, p22, log_scale


def lead_velocity(energies_eV, bottom_eV, mass: float) -> np.ndarray:
    """q = k/m in 1/nm of a flat lead (0 where it has no propagating state).

    Parameters
    ----------
    energies_eV : array_like
        Energies, eV.
    bottom_eV : float or array_like
        Band bottom of the lead, eV.
    mass : float
        Lead mass, m_e.

    Returns
    -------
    numpy.ndarray
        q = k/m* with k in 1/nm (0 below the band bottom).
    """
    k2 = _C2 * mass * (np.asarray(energies_eV, float) - bottom_eV)
    return np.sqrt(np.clip(k2, 0.0, None)) / mass


def transmission(profile: Profile, energies_eV) -> np.ndarray:
    """Exact transmission of a piecewise-linear profile, shape (n_bias, n_energy).

    Parameters
    ----------
    profile : Profile
        Segments and leads.
    energies_eV : array_like, shape (n_energy,) or (n_bias, n_energy)
        Energies (one grid for every bias, or one row per bias), eV.

    Returns
    -------
    ndarray
        T(E) in [0, 1]; 0 where either lead has no propagating state.

    Raises
    ------
    ValueError
        If an argument is invalid: energies_eV must have shape (n_energy,) or (n_bias,
        n_energy); `energies_eV` must be an array of finite numbers >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers;
        profile must be a Profile.

    Notes
    -----
    T = 4 q_L q_R / [(q_L q_R P12 − P21)² + (q_L P22 + q_R P11)²] with q = k/m in each lead and
    P from :func:`profile_matrix`; the log-scale enters as e^{−2 log_scale}, so deep tunneling
    keeps full relative precision down to T ~ 1e-300 (then 0).

    Examples
    --------
    The rectangular barrier equals the analytic formula to round-off, below and above its top:

    >>> import numpy as np
    >>> from qtransport.tight_binding import tunneling
    >>> prof = Profile(thickness_nm=np.array([1.0]), start_eV=np.array([[1.0]]),
    ...                end_eV=np.array([[1.0]]), mass=np.array([0.5]), left_mass=0.5,
    ...                right_mass=0.5, right_bottom_eV=np.array([0.0]))
    >>> E = np.array([0.3, 0.7, 1.3])                          # eV
    >>> T = transmission(prof, E)[0]
    >>> exact = tunneling.rectangular_transmission(E, 1.0, 1.0, 0.5)
    >>> bool(np.max(np.abs(T / exact - 1)) < 1e-12)
    True
    """
    if not isinstance(profile, Profile):
        raise TypeError(f"profile must be a Profile, got {type(profile).__name__}")
    E = energy_rows(check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV))
    if E.ndim != 2 or E.shape[0] not in (1, profile.n_bias):
        raise ValueError(f"energies_eV must have shape (n_energy,) or (n_bias = "
                         f"{profile.n_bias}, n_energy), got {np.shape(energies_eV)}")
    p11, p12, p21, p22, log_scale = profile_matrix(profile, E)
    q_l = lead_velocity(E, profile.left_bottom_eV, profile.left_mass)
    q_r = lead_velocity(E, profile.right_bottom_eV[:, None], profile.right_mass)
    denom2 = (q_l * q_r * p12 - p21) ** 2 + (q_l * p22 + q_r * p11) ** 2
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        log_t = (np.log(np.maximum(4 * q_l * q_r, _TINY)) - 2 * log_scale
                 - np.log(np.maximum(denom2, _TINY)))
        trans = np.where((q_l > 0) & (q_r > 0), np.exp(np.minimum(log_t, 0.0)), 0.0)
    return trans
