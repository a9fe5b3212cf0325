"""Size-dependent confinement in spherical quantum dots (exact effective-mass radial problem).

A carrier of energy E in a spherically symmetric, piecewise-constant potential — a core, any
number of shells, and an outer medium that extends to infinity — has, in every region of
potential V and mass m, the radial solutions

* E > V: spherical Bessel functions j_l(kr), y_l(kr) with k = sqrt(2m(E − V))/ħ;
* E < V: modified spherical Bessel functions i_l(qr), k_l(qr) with q = sqrt(2m(V − E))/ħ.

The core starts with the regular function (j_l or i_l); BenDaniel–Duke matching carries it
through every interface (ψ and ψ'/m continuous); a bound state is an energy at which the
solution in the outer medium is the decaying k_l alone. The mismatch function

    F(E) = ψ'(a)/m_in − ψ(a) q (k_l'/k_l)(q a) / m_out        (a = last interface)

has no poles (every Bessel function is evaluated away from its singularities and the
coefficients are rescaled by positive factors only), so its sign changes are exactly the levels;
they are bracketed on a fine energy grid, split at every interior potential where the basis
changes, and polished with Brent's method to ~1e-13 eV.

Also here: the infinite-barrier levels ħ²j_{l,n}²/(2m R²), the first-order electron–hole Coulomb
energy of the computed 1s states (−1.786 e²/(4πε0 εR) in the infinite-barrier limit) and the
exciton gap; the Brus formula as the infinite-barrier limit of the same expression.

Units: energies eV, lengths nm, masses in m_e.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import optimize, special

from ..constants import HBAR2_OVER_2ME_EV_NM2, e, eps0, eV, nm
from ..errors import check_int, check_real

__all__ = ["Region", "HBAR2_2M_EV_NM2", "COULOMB_EV_NM", "radial_levels", "finite_well_levels",
           "infinite_well_levels", "bessel_zeros", "radial_wavefunction", "coulomb_energy",
           "brus_gap", "BRUS_COULOMB", "band_edges", "alignment", "exciton_gap"]

#: ħ²/(2 m_e) in eV nm² (:data:`qtransport.constants.HBAR2_OVER_2ME_EV_NM2`, under this module's
#: older name)
HBAR2_2M_EV_NM2: float = HBAR2_OVER_2ME_EV_NM2
#: e²/(4π ε0) in eV nm
COULOMB_EV_NM: float = e**2 / (4 * math.pi * eps0) / eV / nm
#: Brus's coefficient of the 1s–1s Coulomb energy in an infinite spherical well (e²/4πε0εR units)
BRUS_COULOMB: float = 1.786


@dataclass(frozen=True)
class Region:
    """One radial region: ``outer_radius_nm`` (``inf`` for the outer medium), ``potential_eV``,
    ``mass`` (m*/m_e).

    Parameters
    ----------
    outer_radius_nm : float
        Outer radius of the region, nm (``inf`` for the outer medium).
    potential_eV : float
        Band edge in the region, eV.
    mass : float
        Effective mass m*/m_e.

    Examples
    --------
    >>> r = Region(outer_radius_nm=2.0, potential_eV=0.0, mass=0.13)
    >>> r.outer_radius_nm
    2.0
    """

    outer_radius_nm: float
    potential_eV: float
    mass: float


def _check_regions(regions: Sequence[Region]) -> tuple[Region, ...]:
    regs = tuple(regions)
    if len(regs) < 2 or not all(isinstance(r, Region) for r in regs):
        raise TypeError(f"regions must be a sequence of at least two Region, got {regions!r}")
    radii = [check_real(f"regions[{i}].outer_radius_nm", r.outer_radius_nm, low=0.0,
                        low_open=True, allow_inf=i == len(regs) - 1) for i, r in enumerate(regs)]
    if not math.isinf(radii[-1]):
        raise ValueError(f"the last region must extend to infinity, got outer_radius_nm = "
                         f"{radii[-1]}")
    if any(b <= a for a, b in zip(radii[:-1], radii[1:])):
        raise ValueError(f"region radii must increase, got {radii}")
    for i, r in enumerate(regs):
        check_real(f"regions[{i}].potential_eV", r.potential_eV)
        check_real(f"regions[{i}].mass", r.mass, low=0.0, low_open=True)
    return regs


def _basis(l: int, E: np.ndarray, V: float, m: float, r: float):
    """(f, f', g, g') at radius r (derivatives d/dr); f regular-type, g the other solution.

    Oscillating where E > V (j_l, y_l), evanescent where E < V (i_l, k_l)."""
    osc = E > V
    w = np.sqrt(np.abs(E - V) * m / HBAR2_2M_EV_NM2)       # k or q, 1/nm
    x = w * r
    f = np.where(osc, special.spherical_jn(l, x), special.spherical_in(l, x))
    fp = w * np.where(osc, special.spherical_jn(l, x, True), special.spherical_in(l, x, True))
    g = np.where(osc, special.spherical_yn(l, x), special.spherical_kn(l, x))
    gp = w * np.where(osc, special.spherical_yn(l, x, True), special.spherical_kn(l, x, True))
    return f, fp, g, gp


def _log_derivative_kl(l: int, x: np.ndarray) -> np.ndarray:
    """k_l'(x)/k_l(x) from exponentially scaled K_{l±1/2} (no underflow at large x)."""
    return -special.kve(l - 0.5, x) / special.kve(l + 0.5, x) - (l + 1) / x


def _propagate(regs: tuple[Region, ...], l: int, E: np.ndarray):
    """Coefficients (c, d) of ψ = c f + d g in every region but the last, for energies E.

    The core starts with f (regular); at each interface the 2×2 BenDaniel–Duke matching gives
    the next pair, rescaled by a positive factor (ψ keeps its sign pattern)."""
    c, d = np.ones_like(E), np.zeros_like(E)
    coeffs = [(c, d)]
    for j in range(len(regs) - 2):
        a = regs[j].outer_radius_nm
        f, fp, g, gp = _basis(l, E, regs[j].potential_eV, regs[j].mass, a)
        psi, dpsi = c * f + d * g, (c * fp + d * gp) / regs[j].mass
        f2, fp2, g2, gp2 = _basis(l, E, regs[j + 1].potential_eV, regs[j + 1].mass, a)
        fp2, gp2 = fp2 / regs[j + 1].mass, gp2 / regs[j + 1].mass
        det = f2 * gp2 - g2 * fp2
        c, d = (psi * gp2 - g2 * dpsi) / det, (f2 * dpsi - psi * fp2) / det
        scale = np.abs(c) + np.abs(d)
        c, d = c / scale, d / scale
        coeffs.append((c, d))
    return coeffs


def _mismatch(regs: tuple[Region, ...], l: int, E: np.ndarray) -> np.ndarray:
    c, d = _propagate(regs, l, E)[-1]
    inner, outer = regs[-2], regs[-1]
    a = inner.outer_radius_nm
    f, fp, g, gp = _basis(l, E, inner.potential_eV, inner.mass, a)
    psi, dpsi = c * f + d * g, (c * fp + d * gp) / inner.mass
    q = np.sqrt((outer.potential_eV - E) * outer.mass / HBAR2_2M_EV_NM2)
    norm = np.abs(psi) + np.abs(dpsi) * a
    return (dpsi - psi * q * _log_derivative_kl(l, q * a) / outer.mass) / norm


def radial_levels(regions: Sequence[Region], l: int = 0, n_levels: int = 1, *,
                  grid_points: int = 4000) -> np.ndarray:
    """Bound levels (eV) of angular momentum ``l`` in a piecewise-constant spherical potential.

    Parameters
    ----------
    regions : sequence of Region
        Core first, the outer medium (``outer_radius_nm = inf``) last.
    l : int
        Angular momentum quantum number (≥ 0).
    n_levels : int
        How many levels to return, lowest first (fewer if fewer are bound).
    grid_points : int
        Energy grid used to bracket the roots (per interval between interior potentials).

    Returns
    -------
    ndarray
        The lowest ``min(n_levels, n_bound)`` levels, eV, ascending (empty if none is bound).

    Raises
    ------
    ValueError
        If an argument is invalid: `l` must be >= 0 and <= 40; `n_levels` must be >= 1;
        `grid_points` must be >= 50.
    TypeError
        If an argument has the wrong type: `l`, `n_levels` or `grid_points` are not integers.

    Examples
    --------
    >>> core, outside = Region(2.0, 0.0, 0.13), Region(float('inf'), 1.0, 0.13)
    >>> levels = radial_levels([core, outside], n_levels=2)
    >>> levels.round(3).tolist()
    [0.431]
    """
    regs = _check_regions(regions)
    l = check_int("l", l, low=0, high=40)
    n_levels = check_int("n_levels", n_levels, low=1)
    grid_points = check_int("grid_points", grid_points, low=50)
    top = regs[-1].potential_eV
    bottom = min(r.potential_eV for r in regs)
    if not bottom < top:
        return np.empty(0)
    cuts = sorted({bottom, top} | {r.potential_eV for r in regs[:-1] if bottom < r.potential_eV
                                   < top})
    span = top - bottom
    r_max = regs[-2].outer_radius_nm
    roots: list[float] = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        eps = 1e-12 * span
        # uniform in wavenumber (levels of one l are ~π/R apart in k): at least 5 points per
        # π/2 of phase k·R_max across the widest region, and never fewer than grid_points
        k_max = math.sqrt((hi - bottom) * max(r.mass for r in regs) / HBAR2_2M_EV_NM2)
        n = min(max(grid_points, int(k_max * r_max / 0.3) + 1), 200_000)
        s = np.linspace(0.0, 1.0, n)
        grid = lo + eps + (hi - lo - 2 * eps) * s**2
        vals = _mismatch(regs, l, grid)
        for i in np.flatnonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0):
            root = optimize.brentq(lambda x: float(_mismatch(regs, l, np.array([x]))[0]),
                                   grid[i], grid[i + 1], xtol=1e-14, rtol=4 * np.finfo(float).eps,
                                   maxiter=200)
            roots.append(root)
        if len(roots) >= n_levels:
            break
    return np.array(sorted(roots)[:n_levels])


def finite_well_levels(radius_nm: float, barrier_eV: float, mass_in: float, mass_out: float,
                       l: int = 0, n_levels: int = 1, **kwargs) -> np.ndarray:
    """Levels (eV above the well bottom) of a spherical well of depth ``barrier_eV``.

    BenDaniel–Duke matching with mass ``mass_in`` inside and ``mass_out`` outside.

    Parameters
    ----------
    radius_nm : float
        Well radius R, nm (> 0).
    barrier_eV : float
        Well depth, eV (> 0).
    mass_in : float
        Mass inside, m_e.
    mass_out : float
        Mass outside, m_e.
    l : int, optional
        Angular momentum (≥ 0).
    n_levels : int, optional
        Most levels returned.
    **kwargs
        Passed to :func:`radial_levels` (``grid_points``).

    Returns
    -------
    numpy.ndarray
        Bound levels, eV above the well bottom, ascending.

    Raises
    ------
    ValueError
        If an argument is invalid: `radius_nm` and `barrier_eV` must be > 0.
    TypeError
        If an argument has the wrong type: `radius_nm` or `barrier_eV` are not real numbers.

    Examples
    --------
    >>> finite_well_levels(2.0, 1.0, 0.13, 0.13, n_levels=1).round(3).tolist()
    [0.431]
    """
    r = check_real("radius_nm", radius_nm, low=0.0, low_open=True)
    v = check_real("barrier_eV", barrier_eV, low=0.0, low_open=True)
    return radial_levels([Region(r, 0.0, mass_in), Region(math.inf, v, mass_out)], l, n_levels,
                         **kwargs)


def bessel_zeros(l: int, n: int) -> np.ndarray:
    """First ``n`` positive zeros j_{l,1} … j_{l,n} of the spherical Bessel function j_l.

    Parameters
    ----------
    l : int
        Order (0–40).
    n : int
        Number of zeros (≥ 1).

    Returns
    -------
    numpy.ndarray
        The zeros, dimensionless.

    Raises
    ------
    ValueError
        If an argument is invalid: `l` must be >= 0 and <= 40; `n` must be >= 1.
    TypeError
        If an argument has the wrong type: `l` or `n` are not integers.

    Examples
    --------
    >>> [round(float(x), 4) for x in bessel_zeros(1, 2)]
    [4.4934, 7.7253]
    """
    l = check_int("l", l, low=0, high=40)
    n = check_int("n", n, low=1)
    if l == 0:
        return math.pi * np.arange(1, n + 1)
    # the zeros of j_l interlace those of j_{l-1}: one root of j_l in each interval between
    # consecutive zeros of j_{l-1} (and one beyond the last)
    prev = bessel_zeros(l - 1, n + 1)
    f = lambda x: special.spherical_jn(l, x)   # noqa: E731
    return np.array([optimize.brentq(f, a, b, xtol=1e-15) for a, b in zip(prev[:-1], prev[1:])])


def infinite_well_levels(radius_nm: float, mass: float, l: int = 0,
                         n_levels: int = 1) -> np.ndarray:
    """ħ² j_{l,n}² / (2 m R²) for n = 1 … n_levels, eV.

    Parameters
    ----------
    radius_nm : float
        Sphere radius R, nm (> 0).
    mass : float
        m*/m_e (> 0).
    l : int, optional
        Angular momentum (0–40).
    n_levels : int, optional
        Number of levels (≥ 1).

    Returns
    -------
    numpy.ndarray
        Levels, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `radius_nm` and `mass` must be > 0.
    TypeError
        If an argument has the wrong type: `radius_nm` or `mass` are not real numbers.

    Examples
    --------
    >>> infinite_well_levels(2.0, 0.13).round(3).tolist()
    [0.723]
    """
    r = check_real("radius_nm", radius_nm, low=0.0, low_open=True)
    m = check_real("mass", mass, low=0.0, low_open=True)
    return HBAR2_2M_EV_NM2 * bessel_zeros(l, n_levels)**2 / (m * r**2)


def radial_wavefunction(regions: Sequence[Region], l: int, energy_eV: float,
                        r_nm) -> np.ndarray:
    """Radial function R(r) of the level ``energy_eV``, normalized to ∫ R² r² dr = 1 over r_nm.

    ``r_nm`` must be an ascending grid from 0 reaching well into the outer medium (the
    normalization is the trapezoid integral over it).

    Parameters
    ----------
    regions : sequence of Region
        Core first, the outer medium (``outer_radius_nm = inf``) last.
    l : int
        Angular momentum (≥ 0).
    energy_eV : float
        The bound level (from :func:`radial_levels`), eV.
    r_nm : array_like
        Ascending radial grid from 0, nm.

    Returns
    -------
    numpy.ndarray
        R(r) on ``r_nm``, nm^(−3/2).

    Examples
    --------
    >>> import numpy as np
    >>> regions = [Region(2.0, 0.0, 0.13), Region(float('inf'), 1.0, 0.13)]
    >>> e = float(radial_levels(regions)[0])
    >>> psi = radial_wavefunction(regions, 0, e, np.linspace(0.1, 4.0, 5))
    >>> psi.shape
    (5,)
    """
    regs = _check_regions(regions)
    r = np.asarray(r_nm, float)
    E = np.array([float(energy_eV)])
    coeffs = _propagate(regs, l, E)
    out = np.zeros_like(r)
    lo = 0.0
    for j, reg in enumerate(regs[:-1]):
        sel = (r >= lo) & (r <= reg.outer_radius_nm)
        c, d = coeffs[j]
        rr = np.where(r[sel] > 0, r[sel], 1e-30)
        w = np.sqrt(abs(E[0] - reg.potential_eV) * reg.mass / HBAR2_2M_EV_NM2)
        osc = E[0] > reg.potential_eV
        x = w * rr
        f = special.spherical_jn(l, x) if osc else special.spherical_in(l, x)
        g = (special.spherical_yn(l, x) if osc else special.spherical_kn(l, x)) if j else 0.0
        out[sel] = c[0] * f + d[0] * g
        lo = reg.outer_radius_nm
    a = regs[-2].outer_radius_nm
    inner = regs[-2]
    c, d = coeffs[-1]
    fa, _, ga, _ = _basis(l, E, inner.potential_eV, inner.mass, a)
    psi_a = float(c[0] * fa[0] + d[0] * ga[0])
    q = math.sqrt((regs[-1].potential_eV - E[0]) * regs[-1].mass / HBAR2_2M_EV_NM2)
    sel = r > a
    # k_l(q r)/k_l(q a) from the scaled K_{l+1/2}: no underflow far outside
    ratio = (special.kve(l + 0.5, q * r[sel]) / special.kve(l + 0.5, q * a) *
             np.sqrt(a / r[sel]) * np.exp(-q * (r[sel] - a)))
    out[sel] = psi_a * ratio
    norm = np.trapezoid(out**2 * r**2, r)
    return out / math.sqrt(norm)


def coulomb_energy(regions_e: Sequence[Region], energy_e_eV: float,
                   regions_h: Sequence[Region], energy_h_eV: float, permittivity: float, *,
                   extent_nm: float | None = None, n_grid: int = 6000) -> float:
    """First-order direct Coulomb energy (eV, > 0) of an electron and a hole in s states.

    J = e²/(4πε0 ε) ∫∫ ρ_e(r1) ρ_h(r2) / max(r1, r2) dr1 dr2 with ρ = R² r² (the angular
    average of 1/|r1 − r2| for s states); one uniform permittivity (no dielectric mismatch).

    Parameters
    ----------
    regions_e : sequence of Region
        Electron potential (core first).
    energy_e_eV : float
        Electron s level, eV.
    regions_h : sequence of Region
        Hole potential.
    energy_h_eV : float
        Hole s level, eV.
    permittivity : float
        Relative permittivity (> 0).
    extent_nm : float, optional
        Integration range, nm (default: until e^−40 of the density is left).
    n_grid : int, optional
        Radial grid points (≥ 200).

    Returns
    -------
    float
        J, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `permittivity` must be > 0; `n_grid` must be >= 200.
    TypeError
        If an argument has the wrong type: `permittivity` is not a real number; `n_grid` is not
        an integer.

    Examples
    --------
    For a 2 nm dot the coefficient J·4πε0εR/e² approaches Brus's 1.786 (infinite barrier) as
    the barrier rises from 10 to 100 eV:

    >>> import math
    >>> def coefficient(barrier_eV, R=2.0, eps=9.5):
    ...     reg_e = [Region(R, 0.0, 0.13), Region(math.inf, barrier_eV, 0.13)]
    ...     reg_h = [Region(R, 0.0, 0.45), Region(math.inf, barrier_eV, 0.45)]
    ...     ee, eh = radial_levels(reg_e)[0], radial_levels(reg_h)[0]
    ...     return coulomb_energy(reg_e, ee, reg_h, eh, eps) * eps * R / COULOMB_EV_NM
    >>> round(coefficient(10.0), 2), round(coefficient(100.0), 2)
    (1.67, 1.75)
    """
    eps_r = check_real("permittivity", permittivity, low=0.0, low_open=True)
    n_grid = check_int("n_grid", n_grid, low=200)
    a = max(_check_regions(regions_e)[-2].outer_radius_nm,
            _check_regions(regions_h)[-2].outer_radius_nm)
    if extent_nm is None:
        qs = [math.sqrt(max(rg[-1].potential_eV - E, 1e-9) * rg[-1].mass / HBAR2_2M_EV_NM2)
              for rg, E in ((regions_e, energy_e_eV), (regions_h, energy_h_eV))]
        extent_nm = a + 20.0 / min(qs)          # e^-40 of the density left outside
    r = np.linspace(0.0, extent_nm, n_grid)
    rho_e = radial_wavefunction(regions_e, 0, energy_e_eV, r)**2 * r**2
    rho_h = radial_wavefunction(regions_h, 0, energy_h_eV, r)**2 * r**2
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (rho_h[1:] + rho_h[:-1]) * np.diff(r))])
    inv = np.where(r > 0, rho_h / np.where(r > 0, r, 1.0), 0.0)
    tail = np.concatenate([[0.0], np.cumsum(0.5 * (inv[1:] + inv[:-1]) * np.diff(r))])
    tail = tail[-1] - tail
    inner = np.where(r > 0, cum / np.where(r > 0, r, 1.0), 0.0) + tail
    return COULOMB_EV_NM / eps_r * float(np.trapezoid(rho_e * inner, r))


def brus_gap(band_gap_eV: float, radius_nm: float, mass_e: float, mass_h: float,
             permittivity: float) -> float:
    """Brus (1984) gap: E_g + ħ²π²/(2R²)(1/m_e + 1/m_h) − 1.786 e²/(4πε0 ε R), eV.

    Parameters
    ----------
    band_gap_eV : float
        Bulk gap E_g, eV.
    radius_nm : float
        Dot radius R, nm (> 0).
    mass_e : float
        Electron mass, m_e (> 0).
    mass_h : float
        Hole mass, m_e (> 0).
    permittivity : float
        Relative permittivity ε (> 0).

    Returns
    -------
    float
        Gap, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `radius_nm`, `mass_e`, `mass_h` and `permittivity` must be >
        0; `band_gap_eV` must be finite.
    TypeError
        If an argument has the wrong type: `radius_nm`, `band_gap_eV`, `mass_e`, `mass_h` or
        `permittivity` are not real numbers.

    Examples
    --------
    >>> round(brus_gap(1.74, 2.0, 0.13, 0.45, 9.5), 2)
    2.54
    """
    r = check_real("radius_nm", radius_nm, low=0.0, low_open=True)
    conf = HBAR2_2M_EV_NM2 * math.pi**2 / r**2 * (1 / check_real("mass_e", mass_e, low=0.0,
                                                                  low_open=True)
                                                 + 1 / check_real("mass_h", mass_h, low=0.0,
                                                                  low_open=True))
    return (check_real("band_gap_eV", band_gap_eV) + conf
            - BRUS_COULOMB * COULOMB_EV_NM / (check_real("permittivity", permittivity, low=0.0,
                                                         low_open=True) * r))


def band_edges(material) -> tuple[float, float]:
    """(conduction-band edge, valence-band edge) in eV below the vacuum level, signed
    (−χ, −χ − E_g), from a material with ``electron_affinity_eV`` and ``band_gap_eV``.

    Parameters
    ----------
    material : Material
        Entry with ``electron_affinity_eV`` and ``band_gap_eV``.

    Returns
    -------
    conduction_eV : float
        −χ, eV.
    valence_eV : float
        −χ − E_g, eV.

    Examples
    --------
    >>> from qtransport import materials
    >>> [round(x, 2) for x in band_edges(materials.get('CdSe'))]
    [-4.95, -6.69]
    """
    chi = material.electron_affinity_eV
    return -chi, -chi - material.band_gap_eV


def alignment(core, shell) -> str:
    """Band alignment of a core/shell pair by Anderson's rule: ``"type-I"`` (both carriers
    lowest in the core), ``"reverse type-I"`` (both in the shell) or ``"type-II"``.

    Parameters
    ----------
    core : Material
        Core material (``electron_affinity_eV``, ``band_gap_eV``).
    shell : Material
        Shell material.

    Returns
    -------
    str
        ``"type-I"``, ``"reverse type-I"`` or ``"type-II"``.

    Examples
    --------
    >>> from qtransport import materials
    >>> alignment(materials.get('CdSe'), materials.get('ZnS'))
    'type-I'
    """
    (ec_c, ev_c), (ec_s, ev_s) = band_edges(core), band_edges(shell)
    e_core, h_core = ec_c < ec_s, ev_c > ev_s
    if e_core and h_core:
        return "type-I"
    if not e_core and not h_core:
        return "reverse type-I"
    return "type-II"


def _carrier_regions(layers, outside_barrier_eV: tuple[float, float], outside_mass: float):
    """Electron and hole Region lists of concentric ``layers`` = [(material, outer_radius_nm)].

    Energies measured from the vacuum level: electrons see E_c(r) = −χ(r), holes see
    −E_v(r) = χ + E_g (hole energies increase downward). The outer medium sits
    ``outside_barrier_eV`` = (electron, hole) above the outermost layer's band edges."""
    reg_e, reg_h = [], []
    for mat, radius in layers:
        ec, ev = band_edges(mat)
        reg_e.append(Region(radius, ec, mat.electron_mass))
        reg_h.append(Region(radius, -ev, mat.hole_mass))
    reg_e.append(Region(math.inf, reg_e[-1].potential_eV + outside_barrier_eV[0], outside_mass))
    reg_h.append(Region(math.inf, reg_h[-1].potential_eV + outside_barrier_eV[1], outside_mass))
    return reg_e, reg_h


def exciton_gap(layers, *, outside_barrier_eV: tuple[float, float] | None = None,
                outside_mass: float = 1.0, grid_points: int = 4000) -> dict[str, float]:
    """Lowest electron and hole s levels and the first-order exciton gap of a (core–shell) dot.

    Parameters
    ----------
    layers : sequence of (Material, outer_radius_nm)
        Core first; materials need ``electron_affinity_eV``, ``band_gap_eV``,
        ``electron_mass``, ``hole_mass``, ``permittivity``.
    outside_barrier_eV : (float, float), optional
        Electron and hole barrier of the outer medium above the outermost layer's band edges.
        Default: the vacuum level for electrons (χ) and for holes (χ + E_g) of that layer.
    outside_mass : float
        Carrier mass in the outer medium (m_e).
    grid_points : int, optional
        Energy grid of the level search (:func:`radial_levels`).

    Returns
    -------
    dict
        ``electron_eV``/``hole_eV`` (levels on the vacuum scale; hole = −E of the hole state),
        ``confinement_e_eV``/``confinement_h_eV`` (above the lowest band edge each sees),
        ``coulomb_eV`` (first-order e–h attraction, core permittivity), ``gap_eV``.

    Raises
    ------
    ValueError
        No layers, or no bound electron or hole state.

    Examples
    --------
    The gap is E_g + confinement − Coulomb; it blue-shifts strongly in small CdSe dots and
    approaches the bulk gap (1.74 eV) for large ones; a ZnS shell lowers the confinement:

    >>> from qtransport import materials
    >>> cdse, zns = materials.get("CdSe"), materials.get("ZnS")
    >>> small, large = exciton_gap([(cdse, 1.5)]), exciton_gap([(cdse, 20.0)])
    >>> parts = cdse.band_gap_eV + small["confinement_e_eV"] + small["confinement_h_eV"]
    >>> bool(abs(small["gap_eV"] - (parts - small["coulomb_eV"])) < 1e-12)
    True
    >>> round(small["gap_eV"], 2), bool(abs(large["gap_eV"] - cdse.band_gap_eV) < 0.01)   # eV
    (2.46, True)
    >>> core_shell = exciton_gap([(cdse, 2.0), (zns, 3.0)])
    >>> bool(core_shell["gap_eV"] < exciton_gap([(cdse, 2.0)])["gap_eV"])
    True
    """
    layers = list(layers)
    if not layers:
        raise ValueError("layers must hold at least one (material, radius) pair")
    outer = layers[-1][0]
    if outside_barrier_eV is None:
        outside_barrier_eV = (outer.electron_affinity_eV,
                              outer.electron_affinity_eV + outer.band_gap_eV)
    reg_e, reg_h = _carrier_regions(layers, outside_barrier_eV, outside_mass)
    ee = radial_levels(reg_e, 0, 1, grid_points=grid_points)
    eh = radial_levels(reg_h, 0, 1, grid_points=grid_points)
    if ee.size == 0 or eh.size == 0:
        raise ValueError("no bound electron or hole state: the outer barrier is too low")
    coul = coulomb_energy(reg_e, ee[0], reg_h, eh[0], layers[0][0].permittivity)
    bottom_e = min(r.potential_eV for r in reg_e)
    bottom_h = min(r.potential_eV for r in reg_h)
    return {"electron_eV": float(ee[0]), "hole_eV": float(-eh[0]),
            "confinement_e_eV": float(ee[0] - bottom_e),
            "confinement_h_eV": float(eh[0] - bottom_h), "coulomb_eV": coul,
            "gap_eV": float(ee[0] + eh[0] - coul)}
