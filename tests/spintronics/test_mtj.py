"""MTJ: spin-resolved exact transfer matrix + Tsu–Esaki against Slonczewski and Jullière."""
import math

import numpy as np
import pytest
from scipy.optimize import brentq

from qtransport.spintronics import MTJ, SPINS, STATES, Ferromagnet, cofeb_mtj, julliere_tmr
from qtransport.spintronics import slonczewski_polarization
from qtransport.tight_binding.lattice import K_PER_SQRT_EV

FE = Ferromagnet("Fe (Stearns)", 4.53, 3.86)


def test_julliere_formula_values():
    assert float(julliere_tmr(0.5, 0.5)[0]) == pytest.approx(2 / 3, rel=1e-15)
    assert float(julliere_tmr(0.5, -0.5)[0]) == pytest.approx(-0.4, rel=1e-15)
    with pytest.raises(ValueError, match="p1"):
        julliere_tmr(1.0, 0.5)


def test_channel_transmission_matches_the_asymmetric_rectangular_barrier():
    """Flat barrier between leads of different band bottoms (AP channel): the closed form
    T = 4 k_L k_R κ² / [κ²(k_L + k_R)² cosh²κd + (κ² − k_L k_R)² sinh²κd] (equal masses).
    The kernel is exact for a flat segment; 1e-11 covers rounding in sinh/cosh of κd ≈ 10."""
    m = MTJ(FE, FE, 1.5, 0.8)
    E = np.linspace(4.0, 5.9, 25)
    T = m.transmission(E, "AP", "up")[0]             # left majority (0) → right minority (Δ)
    kl = K_PER_SQRT_EV * np.sqrt(E)
    kr = K_PER_SQRT_EV * np.sqrt(E - FE.exchange_splitting_eV)
    kap = K_PER_SQRT_EV * np.sqrt(FE.fermi_energy_eV + 1.5 - E)
    d = 0.8
    ref = 4 * kl * kr * kap**2 / (kap**2 * (kl + kr)**2 * np.cosh(kap * d)**2 +
                                  (kap**2 - kl * kr)**2 * np.sinh(kap * d)**2)
    np.testing.assert_allclose(T, ref, rtol=1e-11)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("spin", SPINS)
def test_unitarity_per_spin_channel(state, spin):
    """T + R = 1 for every channel at zero and finite bias, below and above the barrier;
    R comes from the same matrix by a different combination, so det P = 1 is what is tested
    (1e-12: a few rounding steps of O(1) entries)."""
    m = MTJ(FE, FE, 1.0, 1.0, barrier_mass=0.6)
    E = np.linspace(3.9, 9.0, 80)
    T = m.transmission(E, state, spin, [0.0, 0.3, -0.5])
    R = m.reflection(E, state, spin, [0.0, 0.3, -0.5])
    ok = T > 0
    assert ok.sum() > 100
    assert np.max(np.abs(T + R - 1)[ok]) < 1e-12


@pytest.mark.parametrize("mass", [1.0, 0.4])
def test_normal_incidence_polarization_is_slonczewski_in_thick_barrier(mass):
    """k∥ = 0 at E_F: the interference correction to factorization is O(e^{−2κd}) ≈ e^{−30}
    for κd ≈ 15 (d = 2.5 nm), so agreement to 1e-10 absolute is the contract."""
    m = MTJ(FE, FE, 2.0, 2.5, barrier_mass=mass)
    assert m.decay_constant() * m.thickness_nm * mass > 7
    assert m.effective_polarization() == pytest.approx(m.slonczewski_polarizations()[0],
                                                       abs=1e-10)
    t = m.normal_incidence_transmissions()
    p = m.slonczewski_polarizations()[0]
    tmr = (t["up-up"] + t["down-down"]) / (t["up-down"] + t["down-up"]) - 1
    assert tmr == pytest.approx(float(julliere_tmr(p, p)[0]), rel=1e-9)


def test_julliere_with_two_different_electrodes_and_negative_tmr():
    """Electrodes with Slonczewski polarizations of opposite sign (κ² between k↑k↓ of the two):
    the normal-incidence TMR is Jullière's with P1·P2 < 0, i.e. G_AP > G_P."""
    other = Ferromagnet("weak", 4.53, 1.0)
    ku1, kd1 = FE.fermi_wavenumbers()
    ku2, kd2 = other.fermi_wavenumbers()
    kap2 = 0.5 * (ku1 * kd1 + ku2 * kd2)            # between the two sign-change points
    phi = kap2 / K_PER_SQRT_EV**2
    m = MTJ(FE, other, phi, 3.0)
    p1, p2 = m.slonczewski_polarizations()
    assert p1 * p2 < 0
    t = m.normal_incidence_transmissions()
    tmr = (t["up-up"] + t["down-down"]) / (t["up-down"] + t["down-up"]) - 1
    assert tmr < 0
    assert tmr == pytest.approx(float(julliere_tmr(p1, p2)[0]), rel=1e-8)


def test_polarization_changes_sign_at_kappa_squared_equal_k_up_k_down():
    """Root of the model's normal-incidence P_eff in the barrier height φ against the analytic
    κ² = k↑k↓ ⇔ φ = k↑k↓/(2m/ħ²) (equal masses). Thick barrier (κd ≈ 20): the root is exact to
    the brentq tolerance plus O(e^{−2κd})."""
    ku, kd = FE.fermi_wavenumbers()
    phi0 = ku * kd / K_PER_SQRT_EV**2

    def p(phi):
        return MTJ(FE, FE, phi, 3.0).effective_polarization()

    assert p(0.8 * phi0) < 0 < p(1.2 * phi0)
    root = brentq(p, 0.8 * phi0, 1.2 * phi0, xtol=1e-12)
    assert root == pytest.approx(phi0, rel=1e-8)
    assert float(slonczewski_polarization(ku, kd, math.sqrt(ku * kd))[0]) == pytest.approx(
        0.0, abs=1e-15)


def test_integrated_polarization_approaches_slonczewski_as_barrier_thickens():
    """All k∥ (Tsu–Esaki at T = 0, linear response): the transverse integral weights E_z near
    E_F over a window ∝ 1/d, so P_int − P_S = O(1/(κd)). Measured: (P_int − P_S)·d falls from
    0.13 (1 nm) to 0.07 nm (16 nm); the tolerance 0.15/d bounds it, the error must shrink, and the
    Richardson value 2P(16) − P(8) must hit P_S to 0.005 (the 1/d² remainder measured 2e-3)."""
    errs, ps = [], []
    for d in (2.0, 4.0, 8.0, 16.0):
        m = MTJ(FE, FE, 2.0, d, temperature_K=0.0, read_bias_V=1e-3, n_energies=4000)
        pint, ps_ = m.effective_polarization(integrated=True), m.slonczewski_polarizations()[0]
        errs.append(pint - ps_)
        ps.append(pint)
        assert abs(pint - ps_) < 0.15 / d
    assert all(abs(b) < abs(a) for a, b in zip(errs, errs[1:]))
    assert 2 * ps[-1] - ps[-2] == pytest.approx(ps_, abs=5e-3)


def test_no_exchange_splitting_gives_zero_tmr_exactly():
    """Δ = 0: P and AP channels are the same profiles, so the currents are bit-identical."""
    nm_ = Ferromagnet("paramagnet", 4.53, 0.0)
    m = MTJ(nm_, nm_, 1.0, 1.0)
    assert np.all(m.tmr([0.01, 0.3, -0.3]) == 0.0)


@pytest.mark.parametrize("barrier", ["MgO", "Al2O3"])
def test_tmr_falls_with_bias_and_parallel_conducts_more(barrier):
    """Identical electrodes: G_P − G_AP ∝ (f↑ − f↓)² ≥ 0 channel by channel in the factorized
    limit, and the biased barrier lets minority states and lower barrier tops in, so TMR drops."""
    m = cofeb_mtj(barrier)
    v = np.array([0.01, 0.1, 0.2, 0.4, 0.6, 0.8])
    tmr = m.tmr(v)
    assert np.all(tmr > 0)
    assert np.all(np.diff(tmr) < 0)
    assert m.conductance_per_area("P") >= m.conductance_per_area("AP")
    # odd in bias for identical electrodes: J(−V) = −J(V) to the trapezoid error (grid 2000)
    j = m.current_density(np.array([0.2, -0.2]), "AP")
    assert j[1] == pytest.approx(-j[0], rel=1e-6)


def test_positive_polarization_gives_g_p_above_g_ap_over_barrier_heights():
    for phi in (2.0, 3.0, 5.0):
        m = MTJ(FE, FE, phi, 1.5)
        assert m.slonczewski_polarizations()[0] > 0
        for v in (0.01, 0.5):
            assert m.conductance_per_area("P", v) > m.conductance_per_area("AP", v)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="exchange_splitting_eV"):
        Ferromagnet("x", 1.0, 2.0)
    with pytest.raises(ValueError, match="thickness_nm"):
        MTJ(FE, FE, 1.0, -1.0)
    with pytest.raises(ValueError, match="state"):
        MTJ(FE, FE, 1.0, 1.0).current_density([0.1], "XP")
    with pytest.raises(ValueError, match="bias_V"):
        MTJ(FE, FE, 1.0, 1.0).tmr([0.0])
    with pytest.raises(ValueError, match="barrier"):
        cofeb_mtj("SiO2")


def test_thick_barrier_normal_incidence_polarization_is_the_slonczewski_limit():
    """2κd = 410 (100 nm): T ~ 1e-178 still representable, and the polarization equals
    Slonczewski's factorized P_eff up to e^{-2κd} corrections (1e-12 for rounding); 2κd = 820
    (200 nm): every T underflows and the same limit is returned instead of 0/0."""
    for d in (100.0, 200.0):
        m = cofeb_mtj(thickness_nm=d)
        assert m.effective_polarization() == pytest.approx(m.slonczewski_polarizations()[0],
                                                           rel=1e-12)


def test_opaque_barrier_tmr_is_refused_by_name():
    """At 4 K a 200 nm MgO barrier carries no current in double precision (tunneling e^-820,
    emission e^-1160): TMR would be 0/0, so it is refused, naming the thickness, the temperature
    and the thickest barrier tunneling still carries; at 300 K emission over the 0.4 eV top
    carries a finite current and TMR is finite."""
    cold = cofeb_mtj(thickness_nm=200.0, temperature_K=4.0)
    with pytest.raises(ValueError, match=r"thickness_nm = 200 nm.*temperature_K = 4.*"
                                         r"thickness_nm <= 146"):
        cold.tmr([0.1])
    assert np.all(np.isfinite(cofeb_mtj(thickness_nm=200.0).tmr([0.1, 0.3])))
