"""Spherical-dot confinement against independent solutions of the exact equations."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate

from qtransport import materials
from qtransport.quantum_dots import confinement as c
from qtransport.quantum_dots import sizing

C0 = c.HBAR2_2M_EV_NM2


def _mp_levels(l, R, V0, m_in, m_out, n_max=5):
    """Roots of the explicit BenDaniel–Duke condition, found by mpmath (30 digits) in brackets
    from its own scan: (1/m_in) x j_l'(x)/j_l(x) = (1/m_out) y k_l'(y)/k_l(y), x = kR, y = qR."""
    mp.mp.dps = 30

    def f(E):
        x = mp.sqrt(E * m_in / C0) * R
        y = mp.sqrt((V0 - E) * m_out / C0) * R
        if l == 0:      # j0 = sin x/x, k0 ∝ e^-y/y; written without poles (times sin x)
            lhs = (x * mp.cos(x) - mp.sin(x)) / m_in
            rhs = (-y - 1) * mp.sin(x) / m_out
        else:           # j1 = sin x/x² − cos x/x, k1 ∝ e^-y (y + 1)/y²
            j1 = mp.sin(x) / x**2 - mp.cos(x) / x
            j1p = mp.sin(x) / x - 2 * j1 / x           # j1' = j0 − 2 j1/x
            lhs = x * j1p / m_in
            rhs = (-y + y / (y + 1) - 2) * j1 / m_out
        return lhs - rhs

    grid = [mp.mpf(V0) * k / 3000 for k in range(1, 3000)]
    vals = [f(E) for E in grid]
    roots = [mp.findroot(f, (a, b), solver="anderson")
             for a, b, fa, fb in zip(grid[:-1], grid[1:], vals[:-1], vals[1:]) if fa * fb < 0]
    return [float(r) for r in roots[:n_max]]


@pytest.mark.parametrize("l", [0, 1])
@pytest.mark.parametrize("R,V0,m_in,m_out", [(2.0, 1.0, 0.13, 0.4), (3.5, 0.6, 0.08, 1.0),
                                             (1.5, 2.5, 0.45, 0.45)])
def test_finite_well_levels_are_roots_of_exact_equation(l, R, V0, m_in, m_out):
    ref = _mp_levels(l, R, V0, m_in, m_out)
    got = c.finite_well_levels(R, V0, m_in, m_out, l, n_levels=10)
    assert len(got) == len(ref) and len(ref) >= 1
    # brentq stops at xtol 1e-14 eV; mpmath is exact to 30 digits: 1e-9 eV is the contract
    assert np.max(np.abs(got - np.array(ref))) < 1e-9


def test_equal_masses_reduce_to_textbook_well():
    """l = 0, equal masses: x cot x = −y, the odd states of the 1-D well of half-width R."""
    R, V0, m = 2.5, 0.8, 0.2
    got = c.finite_well_levels(R, V0, m, m, 0, n_levels=10)
    u0 = math.sqrt(V0 * m / C0) * R

    def g(x):
        return x / math.tan(x) + math.sqrt(u0**2 - x**2)
    from scipy.optimize import brentq
    ref = []
    for n in range(1, 20):
        lo, hi = (n - 0.5) * math.pi + 1e-12, min(n * math.pi - 1e-12, u0 - 1e-15)
        if lo < hi and g(lo) * g(hi) < 0:
            ref.append(brentq(g, lo, hi, xtol=1e-15))
    ref_E = C0 * np.array(ref)**2 / (m * R**2)
    # textbook count: number of odd states = round(u0/π)
    assert len(got) == len(ref_E) == round(u0 / math.pi)
    assert np.max(np.abs(got - ref_E)) < 1e-9


def test_bessel_zeros_match_tabulated_values():
    # Abramowitz & Stegun table 10.6: zeros of j_1 (tan x = x) and j_2
    assert c.bessel_zeros(1, 2) == pytest.approx([4.493409457909064, 7.725251836937707],
                                                 abs=1e-12)
    assert c.bessel_zeros(2, 1) == pytest.approx([5.763459196894550], abs=1e-12)


@pytest.mark.parametrize("l", [0, 1, 2])
def test_infinite_barrier_limit(l):
    """E(V0) → ħ²j²/(2mR²) with the leading penetration error ∝ V0^(−1/2): raising V0 by 100
    cuts the error by 10 (the next order, ∝ 1/V0, changes that ratio by ~1/(qR) < 1e-2)."""
    R, m = 2.0, 0.13
    inf = c.infinite_well_levels(R, m, l, 2)
    err = [c.finite_well_levels(R, V0, m, m, l, 2)[0] - inf[0] for V0 in (1e3, 1e5)]
    assert err[0] < 0 and err[1] < 0
    assert err[0] / err[1] == pytest.approx(10.0, rel=0.02)


def test_core_shell_reductions_and_type_II():
    R1, R2 = 1.2, 2.0
    single = c.finite_well_levels(R2, 1.0, 0.13, 0.4, 0, 3)
    same = c.radial_levels([c.Region(R1, 0.0, 0.13), c.Region(R2, 0.0, 0.13),
                            c.Region(math.inf, 1.0, 0.4)], 0, 3)
    assert np.max(np.abs(same - single)) < 1e-9
    # type-II-like step: the core is a barrier (0.4 eV) for the carrier, the shell the well
    R1, R2 = 1.0, 4.0
    regs = [c.Region(R1, 0.4, 0.13), c.Region(R2, 0.0, 0.13), c.Region(math.inf, 1.0, 0.4)]
    E = c.radial_levels(regs, 0, 2)
    r = np.linspace(0, 12.0, 12001)
    rho = c.radial_wavefunction(regs, 0, E[0], r)**2 * r**2
    assert np.trapezoid(rho, r) == pytest.approx(1.0, abs=1e-12)
    in_shell = np.trapezoid(np.where((r > R1) & (r < R2), rho, 0), r)
    assert in_shell > 0.5
    # independent method: finite differences of −C0[(u'/m)' − (1/m)' u/r] + V u = E u (u = rR),
    # interfaces on grid nodes; the error must fall with h at the scheme's order
    fd = [_fd_levels(regs, h, 2) for h in (0.01, 0.005)]
    err = [np.abs(f - E) for f in fd]
    # node-sampled potential steps make the scheme first order: error halves with h, and the
    # Richardson extrapolation 2 E_{h/2} − E_h leaves only the O(h²) rest (~1e-5 eV here)
    assert np.all(err[0] / err[1] == pytest.approx(2.0, rel=0.05))
    assert np.max(np.abs(2 * fd[1] - fd[0] - E)) < 2e-5


def _fd_levels(regs, h, k, r_end=14.0):
    from scipy.linalg import eigvalsh_tridiagonal
    n = int(round(r_end / h))
    r = h * np.arange(1, n + 1)                     # u(0) = 0, u(r_end) = 0
    half = h * (np.arange(n + 1) + 0.5)             # flux points r_{i+1/2}

    def region(x):
        for reg in regs:
            if x < reg.outer_radius_nm:
                return reg
    inv_m = np.array([1 / region(x).mass for x in half])
    V = np.array([region(x).potential_eV for x in r])
    # u = rR turns the mass step into the extra term +C0 (1/m)' u / r (a delta at the interface)
    diag = C0 * (inv_m[:-1] + inv_m[1:]) / h**2 + V + C0 * np.diff(inv_m) / h / r
    off = -C0 * inv_m[1:-1] / h**2
    return eigvalsh_tridiagonal(diag, off, select="i", select_range=(0, k - 1))


def test_brus_coulomb_coefficient_is_the_infinite_barrier_limit():
    """1.786 e²/(4πε0εR) = the 1s–1s integral; the model's finite-barrier integral tends to it."""
    def rho(x):
        return 2 * np.sin(math.pi * x)**2

    ref, _ = integrate.dblquad(lambda y, x: rho(x) * rho(y) / max(x, y), 0, 1, 0, 1,
                               epsabs=1e-11)
    assert ref == pytest.approx(c.BRUS_COULOMB, abs=5e-4)     # Brus's 3-digit coefficient
    R, m, V0 = 2.0, 0.13, 1e5
    regs = [c.Region(R, 0.0, m), c.Region(math.inf, V0, m)]
    E = c.radial_levels(regs)[0]
    J = c.coulomb_energy(regs, E, regs, E, 1.0) * R / c.COULOMB_EV_NM
    qR = math.sqrt(V0 * m / C0) * R
    assert J == pytest.approx(ref, rel=4 / qR)       # penetration shrinks the integral ∝ 1/qR


def test_exciton_gap_tends_to_brus_with_infinite_barriers():
    cdse = materials.get("CdSe")
    R = 2.0
    g = c.exciton_gap([(cdse, R)], outside_barrier_eV=(1e4, 1e4),
                      outside_mass=cdse.electron_mass)
    b = c.brus_gap(cdse.band_gap_eV, R, cdse.electron_mass, cdse.hole_mass, cdse.permittivity)
    # differences: hole mass outside = electron mass (mismatch), penetration ~1/qR ~ 1e-2 of
    # the confinement energy, and 1.786 vs the exact 1.7862
    assert g["gap_eV"] == pytest.approx(b, abs=0.02)
    assert g["gap_eV"] < b


def test_cdse_sizing_curve_large_diameter_agreement_small_diameter_overestimate():
    """Yu et al. 2003: model within 3 % for D ≥ 5 nm (the documented agreement, not a fit; the
    weak hole mass and permittivity move it by ~1 %); overestimated by > 0.1 eV at 2.5 nm."""
    cdse = materials.get("CdSe")
    D = np.array([2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    model = np.array([c.exciton_gap([(cdse, d / 2)])["gap_eV"] for d in D])
    ref = sizing.yu_cdse_gap_eV(D)
    dev = model - ref
    assert np.all(np.abs(dev[D >= 5]) / ref[D >= 5] < 0.03)
    assert dev[0] > 0.1
    assert np.all(np.diff(model) < 0) and np.all(np.diff(ref) < 0)


def test_anderson_alignment_of_review_core_shells():
    get = materials.get
    assert c.alignment(get("ZnSe"), get("ZnS")) == "type-I"       # as the review states
    # the review calls InP/ZnS type-II; Anderson's rule with the tabulated affinities gives
    # type-I (documented in docs/quantum_dots.md)
    assert c.alignment(get("InP"), get("ZnS")) == "type-I"


def test_bad_input_names_parameter():
    with pytest.raises(ValueError, match="radius_nm"):
        c.finite_well_levels(-1.0, 1.0, 0.1, 0.1)
    with pytest.raises(ValueError, match="infinity"):
        c.radial_levels([c.Region(1.0, 0, 0.1), c.Region(2.0, 1.0, 0.1)])
    with pytest.raises(ValueError, match="mass"):
        c.radial_levels([c.Region(1.0, 0, 0.0), c.Region(math.inf, 1.0, 0.1)])
    with pytest.raises(ValueError, match="diameter_nm"):
        sizing.yu_cdse_gap_eV([20.0])


def test_cdse_sizing_within_the_documented_2p3_percent_from_5_to_8_nm():
    """docs/quantum_dots.md: "within 2.3 % of the measured curve from 5 to 8 nm" (measured
    −0.044 eV of 1.900 eV at 8 nm, 2.3 %). A pure evaluation of the model and Yu's fit, no
    numerics beyond root finding at 1e-9 eV, so 2.35 % (the claim's rounding) is the bound."""
    cdse = materials.get("CdSe")
    D = np.linspace(5.0, 8.0, 7)
    model = np.array([c.exciton_gap([(cdse, d / 2)])["gap_eV"] for d in D])
    ref = sizing.yu_cdse_gap_eV(D)
    assert np.max(np.abs(model - ref) / ref) < 0.0235, np.abs(model - ref) / ref
