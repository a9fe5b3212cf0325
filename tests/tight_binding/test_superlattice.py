"""Wells, Kronig–Penney minibands and finite-superlattice transmission against independent methods."""
import mpmath as mp
import numpy as np
import pytest
from hypothesis import assume, example, given, settings, strategies as st
from scipy import constants as sc
from scipy.optimize import brentq, minimize_scalar

from qtransport.tight_binding import superlattice
from qtransport.tight_binding.superlattice import Superlattice

# independent wavenumber unit: k [1/nm] = C sqrt(m E[eV])
C = np.sqrt(2 * sc.m_e * sc.eV) / sc.hbar * 1e-9


def ref_cos_qd(E, w, b, v0, mw, mb, lib=np):
    """docs/validation.md's explicit Kronig–Penney relation (below, at and above the barrier top).

    ``lib`` is numpy (double precision) or mpmath (the caller's working precision).
    """
    c = C if lib is np else lib.sqrt(2 * lib.mpf(sc.m_e) * lib.mpf(sc.eV)) / lib.mpf(sc.hbar) \
        * lib.mpf("1e-9")
    alpha = c * lib.sqrt(mw * E)
    if E < v0:
        beta = c * lib.sqrt(mb * (v0 - E))
        xi = mw * beta / (mb * alpha)
        return lib.cos(alpha * w) * lib.cosh(beta * b) + (xi**2 - 1) / (2 * xi) * \
            lib.sin(alpha * w) * lib.sinh(beta * b)
    if E == v0:     # limit γ → 0 of the form below: sin(γb)/η → mb α b / mw
        return lib.cos(alpha * w) - mb * alpha * b / (2 * mw) * lib.sin(alpha * w)
    gamma = c * lib.sqrt(mb * (E - v0))
    eta = mw * gamma / (mb * alpha)
    return lib.cos(alpha * w) * lib.cos(gamma * b) - (eta**2 + 1) / (2 * eta) * \
        lib.sin(alpha * w) * lib.sin(gamma * b)


def _phase_grid(w, b, v0, mw, mb, e_max, step=0.02):
    """Energies at which neither phase α(E)w nor β(E)b / γ(E)b moves by more than ``step`` rad.

    cos(qd) is a smooth combination of cos/sin (cosh/sinh) of these two phases with slowly varying
    coefficients, so on this grid it cannot hide a crossing of ±1 or an extremum between two
    neighbouring points, whatever the masses and widths (a fixed energy grid is far too coarse at
    low energy for light masses: 0.08 eV spacing against a 0.036 eV gap at w = 0.5 nm, m = 0.0625).
    """
    a_max = C * np.sqrt(mw * e_max) * w
    e_alpha = (np.arange(1, int(a_max / step) + 2) * step / (C * w)) ** 2 / mw
    beta_max = C * np.sqrt(mb * v0) * b
    e_beta = v0 - (np.arange(1, int(beta_max / step) + 1) * step / (C * b)) ** 2 / mb
    g_max = C * np.sqrt(mb * (e_max - v0)) * b
    e_gamma = v0 + (np.arange(1, int(g_max / step) + 2) * step / (C * b)) ** 2 / mb
    grid = np.unique(np.concatenate([[1e-9 * e_max], e_alpha, e_beta, [v0], e_gamma]))
    return grid[(grid > 0) & (grid <= e_max)]


def ref_band_edges(w, b, v0, mw, mb, n_bands):
    """Band edges where cos(qd) = ±1, bracketed on a phase-resolved grid, solved in 40 digits.

    Crossings of ±1 between grid points are bracketed directly. Every local extremum of cos(qd)
    on the grid with |cos(qd)| > 0.5 is located precisely, in 40-digit arithmetic when it lies
    within 1e-6 of ±1 (a nearly closed gap, where double precision cannot tell a tangency from a
    crossing), and if it pokes beyond ±1 it brackets the two edges of a gap that the grid straddles.
    All roots are then solved by a bracketing method in 40 digits; finally the band/gap pattern
    between consecutive edges is checked, so that a missed edge fails loudly instead of shifting
    the comparison.
    """
    e_max = v0 + ((n_bands + 1.5) * np.pi / (C * w)) ** 2 / mw
    grid = _phase_grid(w, b, v0, mw, mb, e_max)
    f = np.array([ref_cos_qd(e, w, b, v0, mw, mb) for e in grid])

    def fmp(e):
        return ref_cos_qd(e, *(mp.mpf(float(x)) for x in (w, b, v0, mw, mb)), lib=mp)

    brackets = []                                   # (lo, hi, target ±1), one root inside
    for target in (1.0, -1.0):
        g = f - target
        for i in np.nonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0)[0]:
            brackets.append((mp.mpf(grid[i]), mp.mpf(grid[i + 1]), target))
    with mp.workdps(40):
        for i in range(1, grid.size - 1):
            if not ((f[i] - f[i - 1]) * (f[i + 1] - f[i]) < 0 and 0.5 < abs(f[i]) <= 1):
                continue
            sgn = float(np.sign(f[i]))
            lo, hi = grid[i - 1], grid[i + 1]
            opt = minimize_scalar(lambda e: -sgn * ref_cos_qd(e, w, b, v0, mw, mb),
                                  bounds=(lo, hi), method="bounded", options={"xatol": 1e-14})
            if -opt.fun < 1 - 1e-6:
                continue                            # clearly inside the band: no gap here
            # extremum in 40 digits: golden-section on sgn·f over [lo, hi]
            a, c = mp.mpf(lo), mp.mpf(hi)
            invphi = (mp.sqrt(5) - 1) / 2
            for _ in range(200):
                x1, x2 = c - invphi * (c - a), a + invphi * (c - a)
                if sgn * fmp(x1) > sgn * fmp(x2):
                    c = x2
                else:
                    a = x1
            xm = (a + c) / 2
            if sgn * fmp(xm) > 1:
                brackets += [(mp.mpf(lo), xm, sgn), (xm, mp.mpf(hi), sgn)]
        # bracketing solver (stays inside [lo, hi]); mpmath's residual check is absolute and too
        # strict at 100s of eV, so the bracket is checked instead
        roots = [mp.findroot(lambda e, t=t: fmp(e) - t, (lo, hi), solver="anderson",
                             verify=False) for lo, hi, t in brackets]
        assert all(lo <= r <= hi for r, (lo, hi, _) in zip(roots, brackets))
        roots.sort()
        assert len(roots) >= 2 * n_bands, (len(roots), n_bands)
        for k in range(2 * n_bands - 1):            # band, gap, band, ...: |cos qd| ≤ 1 in bands
            mid = abs(fmp((roots[k] + roots[k + 1]) / 2))
            assert (mid <= 1) if k % 2 == 0 else (mid > 1), (k, roots[k], roots[k + 1], mid)
        return np.array([float(r) for r in roots[:2 * n_bands]]).reshape(n_bands, 2)


@settings(max_examples=30, deadline=None)
@given(w=st.floats(0.5, 6.0), b=st.floats(0.2, 3.0), v0=st.floats(0.05, 1.0),
       mw=st.floats(0.05, 0.5), mb=st.floats(0.05, 0.5), n_bands=st.integers(1, 4))
@example(w=0.5, b=3.0, v0=0.0625, mw=0.0625, mb=0.5, n_bands=3)  # 36 meV gap a 6000-point scan missed
def test_kronig_penney_matches_independent_root_finding(w, b, v0, mw, mb, n_bands):
    # Reference roots are solved in 40 digits; the implementation bisects a monotone Prüfer
    # angle to 2e-15 relative (~1e-13 eV at 100 eV), so 1e-9 eV is far above both errors.
    edges = superlattice.kronig_penney_band_edges(w, b, v0, mw, mb, n_bands)[0]
    ref = ref_band_edges(w, b, v0, mw, mb, n_bands)
    assert ref.shape == edges.shape
    np.testing.assert_allclose(edges, ref, atol=1e-9, rtol=0)


def test_band_edges_vectorized_equal_one_by_one():
    rng = np.random.default_rng(1)
    params = [rng.uniform(0.5, 4, 20), rng.uniform(0.2, 2, 20), rng.uniform(0.1, 1, 20),
              rng.uniform(0.05, 0.4, 20), rng.uniform(0.05, 0.4, 20)]
    together = superlattice.kronig_penney_band_edges(*params, n_bands=3)
    for i in range(20):
        alone = superlattice.kronig_penney_band_edges(*(p[i] for p in params), n_bands=3)[0]
        np.testing.assert_allclose(together[i], alone, rtol=0, atol=1e-12)
    # edges strictly ordered: bands never overlap and every band has a width
    flat = together.reshape(20, -1)
    assert np.all(np.diff(flat, axis=1) >= 0) and np.all(together[..., 1] > together[..., 0])


def test_minibands_inside_have_real_q():
    sl = Superlattice(well_nm=1.0, barrier_nm=0.4, barrier_height_eV=0.5, well_mass=0.24,
                      barrier_mass=0.3)
    edges = sl.minibands(4)
    assert edges[2, 0] > 0.5                                    # bands above the barrier included
    for lo, hi in edges:
        inside = np.linspace(lo, hi, 50)[1:-1]
        assert np.all(np.abs(sl.cos_qd(inside)) < 1)
        np.testing.assert_allclose(np.abs(sl.cos_qd([lo, hi])), 1.0, atol=1e-9)


def test_kwant_minibands_converge_second_order():
    # Finite-volume (BenDaniel–Duke) discretization: error ∝ a², so halving a divides it by 4;
    # the residual O(a⁴) term moves the ratio by ≲ 1 % at a = 0.02 nm (measured 3.998–4.000).
    sl = Superlattice(well_nm=1.0, barrier_nm=0.4, barrier_height_eV=0.5, well_mass=0.24,
                      barrier_mass=0.35)
    exact = sl.minibands(3)
    err_a = sl.minibands(3, method="kwant", lattice_constant_nm=0.02) - exact
    err_a2 = sl.minibands(3, method="kwant", lattice_constant_nm=0.01) - exact
    np.testing.assert_allclose(err_a / err_a2, 4.0, rtol=0.02)
    # size: relative error ≲ (k a)²/12 with k at the highest edge (7.3 eV: k a = 0.066 → 3.6e-4)
    k_max = C * np.sqrt(0.35 * exact.max())
    assert np.max(np.abs(err_a2) / exact) < (k_max * 0.01) ** 2 / 12


def test_kwant_lattice_must_fit_layers():
    sl = Superlattice(1.0, 0.4, 0.5, 0.24, 0.24)
    with pytest.raises(ValueError, match="lattice_constant_nm"):
        sl.minibands(2, method="kwant", lattice_constant_nm=0.03)
    with pytest.raises(ValueError, match="lattice_constant_nm"):
        sl.minibands(2, method="kwant")


@pytest.mark.parametrize("mb", [None, 0.092])
def test_finite_well_levels_match_independent_roots(mb):
    # Reference: Griffiths' energy form, even  sqrt(E)/m_w tan(k L/2) = sqrt(V0 − E)/m_b ... solved
    # with brentq on the energy axis between the asymptotes of tan/cot.
    L, v0, mw = 5.0, 0.3, 0.067
    mbb = mw if mb is None else mb
    levels = superlattice.finite_well_levels(L, v0, mw, mb)

    def even(E):
        k, q = C * np.sqrt(mw * E), C * np.sqrt(mbb * (v0 - E))
        return np.tan(k * L / 2) - (mw * q) / (mbb * k)

    def odd(E):
        k, q = C * np.sqrt(mw * E), C * np.sqrt(mbb * (v0 - E))
        return -1 / np.tan(k * L / 2) - (mw * q) / (mbb * k)

    ref = []
    # branch limits: k L/2 = j π/2
    cuts = [((j * np.pi / L) ** 2 / (C**2 * mw)) for j in range(0, 10)]
    for j in range(len(cuts) - 1):
        lo, hi = cuts[j] + 1e-12, min(cuts[j + 1], v0) - 1e-12
        if lo >= hi:
            break
        f = even if j % 2 == 0 else odd
        if np.sign(f(lo)) != np.sign(f(hi)):
            ref.append(brentq(f, lo, hi, xtol=1e-15, rtol=1e-15))
    np.testing.assert_allclose(levels, ref, atol=1e-9, rtol=0)
    # the counting (transfer-matrix) method for one well agrees as well
    np.testing.assert_allclose(superlattice.coupled_well_levels(1, L, 1.0, v0, mw, mb), levels,
                               atol=1e-9, rtol=0)


def test_infinite_well_limit():
    # E_n(V0) − E_n(∞) ∝ 1/√V0 (penetration depth): the ratio to the infinite-well levels → 1.
    L, m = 3.0, 0.1
    inf = superlattice.infinite_well_levels(L, m, 3)
    errs = []
    for v0 in (10.0, 1000.0, 100000.0):
        fin = superlattice.finite_well_levels(L, v0, m)[:3]
        errs.append(np.max(np.abs(fin / inf - 1)))
    assert errs[0] > errs[1] > errs[2]
    # penetration: effective width L + 2/k_0, k_0 = C sqrt(m V0), so E_n/E_n(∞) − 1 ≈ −4/(k_0 L)
    # (2.6e-3 at V0 = 1e5 eV); the next order (k_n/k_0)² is < 1e-3 of it here
    np.testing.assert_allclose(errs[2], 4 / (C * np.sqrt(m * 1e5) * L), rtol=0.05)


def test_coupled_wells_split_into_n_levels():
    L, b, v0, m = 8.0, 1.5, 0.3, 0.067
    single = superlattice.finite_well_levels(L, v0, m)
    for n in (2, 3, 5):
        levels = superlattice.coupled_well_levels(n, L, b, v0, m)
        ground = levels[levels < 0.5 * (single[0] + single[1])]
        assert ground.size == n
        # the multiplet straddles the single-well level
        assert ground.min() < single[0] < ground.max()


def test_finite_superlattice_resonances():
    # N barriers / N − 1 wells: N − 1 resonances per miniband with T = 1 (symmetric structure).
    sl = Superlattice(well_nm=3.0, barrier_nm=1.0, barrier_height_eV=0.3, well_mass=0.067,
                      barrier_mass=0.067)
    lo, hi = sl.minibands(1)[0]
    for n in (3, 5, 8):
        E = np.linspace(lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo), 6000)
        T = sl.transmission(E, n_periods=n)
        peaks = np.nonzero((T[1:-1] > T[:-2]) & (T[1:-1] > T[2:]))[0] + 1
        assert peaks.size == n - 1
        for i in peaks:
            opt = minimize_scalar(lambda e: -sl.transmission([e], n)[0],
                                  bounds=(E[i - 1], E[i + 1]), method="bounded",
                                  options={"xatol": 1e-13})
            assert -opt.fun == pytest.approx(1.0, abs=1e-6)
            assert lo - 0.01 * (hi - lo) < opt.x < hi + 0.01 * (hi - lo)


@settings(max_examples=20, deadline=None)
@given(w=st.floats(0.5, 4.0), b=st.floats(0.2, 2.0), v0=st.floats(0.05, 1.0),
       mw=st.floats(0.05, 0.5), mb=st.floats(0.05, 0.5), n=st.integers(1, 6))
@example(w=1.0, b=0.5, v0=0.3, mw=0.1, mb=0.1, n=1)   # random floats rarely give mw == mb
def test_transmission_bounded_and_single_barrier_exact(w, b, v0, mw, mb, n):
    sl = Superlattice(w, b, v0, mw, mb)
    E = np.linspace(0.001, 3 * v0, 200)
    T = sl.transmission(E, n_periods=n)
    assert np.all((T >= 0) & (T <= 1 + 1e-12))
    if n == 1 and mw == mb:
        # docs/validation.md rectangular barrier, E < V0 and E > V0
        k = C * np.sqrt(mw * E)
        below = E < v0
        kap = C * np.sqrt(mw * np.abs(v0 - E))
        sh = np.where(below, np.sinh(kap * b), np.sin(kap * b))
        ref = 1 / (1 + v0**2 * sh**2 / (4 * E * np.abs(v0 - E)))
        np.testing.assert_allclose(T, ref, rtol=1e-9, atol=1e-12)
        assert k.size == E.size


def test_kwant_transmission_converges_second_order():
    # Continuum TMM is exact; Kwant's lattice error is O(a²): halving a divides it by ≈ 4.
    sl = Superlattice(1.0, 0.4, 0.5, 0.24, 0.35)
    E = np.linspace(0.05, 3.0, 15)
    exact = sl.transmission(E, 3)
    errs = [np.max(np.abs(sl.transmission(E, 3, method="kwant", lattice_constant_nm=a) - exact))
            for a in (0.02, 0.01)]
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.1)
    assert errs[1] < 2e-3


def test_sheet_density_formula():
    # T → 0 limit is the step sum; ln(1+e^x) = x for x ≫ 1
    m = 0.24
    dos = m * sc.m_e / (np.pi * sc.hbar**2)
    Ei = np.array([0.0, 0.02, 0.05])
    n0 = superlattice.sheet_density(Ei, 0.03, 0.0, m)
    assert n0 == pytest.approx(dos * (0.03 + 0.01) * sc.eV, rel=1e-12)
    n_cold = superlattice.sheet_density(Ei, 0.03, 1.0, m)
    assert n_cold == pytest.approx(n0, rel=1e-3)
    arr = superlattice.sheet_density(Ei, [0.0, 0.03], 300.0, m)
    kt = sc.k * 300.0
    ref = dos * kt * np.log1p(np.exp((0.03 - Ei) * sc.eV / kt)).sum()
    assert arr.shape == (2,) and arr[1] == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("kwargs, name", [
    (dict(well_nm=-1.0), "well_nm"), (dict(barrier_nm=-0.2), "barrier_nm"),
    (dict(barrier_height_eV=0.0), "barrier_height_eV"), (dict(well_mass=0.0), "well_mass"),
    (dict(barrier_mass=-0.1), "barrier_mass")])
def test_bad_superlattice_input_names_parameter(kwargs, name):
    base = dict(well_nm=1.0, barrier_nm=0.4, barrier_height_eV=0.5, well_mass=0.24,
                barrier_mass=0.24)
    with pytest.raises(ValueError, match=name):
        Superlattice(**{**base, **kwargs})
    with pytest.raises(ValueError, match=name):
        superlattice.kronig_penney_band_edges(**{**base, **kwargs})


@pytest.mark.parametrize("args, name", [
    ((-1.0, 0.3, 0.1), "width_nm"), ((1.0, 0.0, 0.1), "depth_eV"), ((1.0, 0.3, 0.0),
                                                                   "effective_mass")])
def test_bad_well_input_names_parameter(args, name):
    with pytest.raises(ValueError, match=name):
        superlattice.finite_well_levels(*args)


def test_sheet_density_bad_mass():
    with pytest.raises(ValueError, match="effective_mass"):
        superlattice.sheet_density([0.0], 0.1, 300.0, -0.2)


def test_layered_transmission_refuses_nan_energy():
    # was: T(NaN) silently returned as 0
    with pytest.raises(ValueError, match="energies_eV"):
        superlattice.layered_transmission([float("nan"), 0.1], [1.0], [0.3], [0.067], 0.067)


def test_coupled_wells_behind_thick_barriers_do_not_overflow():
    # κb ≈ 1000: cosh(κb) overflows double precision. The node counting uses the log-scaled layer
    # matrices of the transfer-matrix kernel, so each level of the isolated well appears twice
    # (true splitting ~e^{−1000}). Before, the counting saw inf − inf and returned six copies of
    # one level. 1e-8: for a pair closer than rounding, which E the count steps at is decided by
    # the rounding of the growing component (measured 1e-9 for 20–300 nm, old and new code alike).
    levels = superlattice.coupled_well_levels(2, 3.0, 300.0, 1.0, 0.5)
    single = superlattice.finite_well_levels(3.0, 1.0, 0.5)
    np.testing.assert_allclose(levels, np.repeat(single, 2), rtol=1e-8)


def test_layered_transmission_is_the_shared_kernel_with_biased_layers():
    # The finite-superlattice transmission and a tunnel Barrier of the same flat layers are the
    # same kernel call; with leads at the well bottom both give T to rounding.
    from qtransport.tight_binding import tunneling as tn
    E = np.linspace(0.01, 0.9, 50)
    widths, pots, masses = [1.0, 3.0, 1.0], [0.3, 0.0, 0.3], [0.09, 0.067, 0.09]
    t_sl = superlattice.layered_transmission(E, widths, pots, masses, 0.067)
    b = tn.Barrier(layers=[tn.Layer(w, v, m) for w, v, m in zip(widths, pots, masses)],
                   electrode_mass=0.067)
    np.testing.assert_allclose(b.transmission(E), t_sl, rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(L=st.floats(0.3, 20.0), v0=st.floats(0.02, 3.0), mw=st.floats(0.02, 1.0),
       mb=st.floats(0.02, 1.0))
def test_well_levels_from_the_kernel_equal_the_transcendental_roots(L, v0, mw, mb):
    # Two independent routes to the bound states of a finite well: the even/odd transcendental
    # equations (brentq, finite_well_levels) and node counting through the shared transfer-matrix
    # kernel (layer_bound_states). Both converge to ~1e-14 eV; 1e-9 eV leaves room for levels
    # within rounding of the barrier top (where the count's tail test is ill-conditioned).
    analytic = superlattice.finite_well_levels(L, v0, mw, mb)
    counted = superlattice.layer_bound_states([L], [0.0], [mw], v0, mb)
    assume(np.all(v0 - analytic > 1e-9))
    assert counted.shape == analytic.shape
    np.testing.assert_allclose(counted, analytic, atol=1e-9, rtol=0)


def test_illinois_edges_match_plain_bisection_including_narrow_bands_and_gaps():
    """The fast root search (√E grid + bracketed Illinois) against plain bisection of the same
    Prüfer angle to 2e-15 relative, on random configurations plus hard ones: thick, high
    barriers (lowest bands 2e-5 and ~1e-13 eV wide) and thin, low barriers (gaps above the barrier
    almost closed). Both solve the same monotone equation, so they must agree to the
    Illinois stopping width (~1e-13 eV); 1e-9 eV leaves a wide margin."""
    rng = np.random.default_rng(3)
    n = 200
    w = np.concatenate([rng.uniform(0.5, 3.0, n), [3.0, 2.0, 1.0, 4.0]])
    b = np.concatenate([rng.uniform(0.2, 1.5, n), [6.0, 8.0, 0.05, 0.02]])
    v0 = np.concatenate([rng.uniform(0.1, 1.0, n), [1.5, 2.0, 0.02, 0.01]])
    mw = np.concatenate([rng.uniform(0.05, 0.4, n), [0.067, 0.1, 0.067, 0.2]])
    mb = np.concatenate([rng.uniform(0.05, 0.4, n), [0.092, 0.3, 0.092, 0.2]])
    edges = superlattice.kronig_penney_band_edges(w, b, v0, mw, mb, n_bands=3)
    widths = edges[..., 1] - edges[..., 0]
    assert widths[n:n + 2, 0].max() < 1e-4        # the hard cases really are narrow bands
    np.testing.assert_allclose(edges, _full_union_edges(w, b, v0, mw, mb, 3), rtol=0, atol=1e-9)


@pytest.mark.parametrize("n_bands", [1, 2, 5])
def test_edges_from_the_needed_eigenvalues_equal_the_full_union(n_bands):
    # kronig_penney_band_edges solves only the 2 n_bands + 1 half-cell eigenvalues that the
    # oscillation theorem puts below the next group; the reference bisects n_bands + 1 of
    # each of the four problems and sorts them all. Both converge to ~1e-13 eV (2e-15 relative
    # bisection, 1e-13 Illinois), so 1e-9 eV leaves room for either.
    rng = np.random.default_rng(7)
    n = 60
    w, b = rng.uniform(0.5, 4.0, n), rng.uniform(0.1, 3.0, n)
    v0, mw, mb = rng.uniform(0.02, 1.5, n), rng.uniform(0.05, 0.4, n), rng.uniform(0.05, 0.4, n)
    edges = superlattice.kronig_penney_band_edges(w, b, v0, mw, mb, n_bands=n_bands)
    np.testing.assert_allclose(edges, _full_union_edges(w, b, v0, mw, mb, n_bands), rtol=0,
                               atol=1e-9)


def _full_union_edges(w, b, v0, mw, mb, n_bands):
    """Reference edges: n_bands + 1 eigenvalues of each of the four half-cell problems, by plain
    bisection of the generic-kernel Prüfer angle to 2e-15 relative, all sorted together."""
    nb = np.arange(1, n_bands + 2, dtype=float)
    args = [a[:, None] for a in (w, b, v0, mw, mb)]
    e_hi = v0[:, None] + ((nb + 1) * np.pi / (superlattice.K_PER_SQRT_EV * 0.5 * w[:, None])) \
        ** 2 / mw[:, None]
    ref = []
    for sd in (True, False):
        for ed in (True, False):
            target = nb * np.pi if ed else (nb - 0.5) * np.pi
            ref.append(superlattice._bisect_count(
                lambda E: superlattice._half_cell_angle(E, sd, *args), target,
                np.zeros_like(e_hi), e_hi))
    ref = np.sort(np.concatenate(ref, axis=-1), axis=-1)[:, :2 * n_bands]
    return ref.reshape(len(w), n_bands, 2)


@pytest.mark.parametrize("excess", [1e-6, 1e-9, 1e-10, 1e-12, 1e-14])
def test_finite_well_has_exactly_the_analytic_number_of_levels_near_a_new_one(excess):
    # N = ceil(√(2m V0) L/(πħ)): a level appears as soon as the well admits it. Just above an
    # integer the last branch's root sits within round-off of θ_max and was dropped (N − 1),
    # and a top level could come out 2e-16 above V0
    from scipy.constants import e, hbar, m_e
    hb2m = hbar**2 / (2 * m_e) / e * 1e18                 # ħ²/2m_e, eV nm²
    width, mass = 2.156998048002941, 0.05372585346320759
    for n in range(1, 6):
        depth = ((n + excess) * np.pi / width) ** 2 * hb2m / mass
        levels = superlattice.finite_well_levels(width, depth, mass)
        assert len(levels) == n + 1
        assert np.all(levels <= depth) and np.all(np.diff(levels) > 0)
