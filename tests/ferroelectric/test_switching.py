"""NLS / Merz switching: pulse additivity, Merz law, single-domain KAI form, static P–E loop."""
import math

import numpy as np
import pytest

from qtransport.ferroelectric import switching as sw


@pytest.fixture(scope="module")
def hzo():
    return sw.hzo_switching()


def test_materials_give_hzo_parameters_with_sources(hzo):
    assert hzo.remanent_polarization_C_per_m2 == pytest.approx(0.16)
    assert set(hzo.sources) == {"remanent_polarization_C_per_m2", "permittivity", "tau0_s",
                                "alpha", "beta", "activation_field_V_per_m", "spread_ln"}
    # the activation field is derived from E_c at 1 kHz: E_a = E_c [ln(1e-4/τ0)]^(1/α)
    assert sw.merz_field(hzo, 1e-4) == pytest.approx(1.0e8, rel=1e-3)


@pytest.mark.parametrize("stochastic", [False, True])
@pytest.mark.parametrize("n", [1, 7, 100])
def test_n_pulses_switch_like_one_pulse_of_n_times_the_width(hzo, stochastic, n):
    # history is the reduced age u = Σ t/τ: n equal pulses sum to n t/τ up to n rounding
    # errors (≤ 100 ulp); 1 − exp(−u^β) then differs by ≤ 1e-13, far inside 1e-12
    Ea = sw.activation_fields(hzo, 500, 3, np.random.default_rng(1))
    E, t = 1.1e8, 3e-7 / n
    rng = (lambda: np.random.default_rng(5)) if stochastic else (lambda: None)
    many = sw.NLSFilm(hzo, Ea, 0.0, rng())
    for _ in range(n):
        many.apply(E, t)
    one = sw.NLSFilm(hzo, Ea, 0.0, rng())
    one.apply(E, n * t)
    np.testing.assert_allclose(many.up, one.up, rtol=0, atol=1e-12)
    np.testing.assert_allclose(many.polarization(), one.polarization(), rtol=0, atol=1e-12)
    if not stochastic:
        assert 0.05 < one.up_fraction().mean() < 0.95        # a genuinely partial state


def test_rest_at_zero_field_keeps_history(hzo):
    Ea = sw.activation_fields(hzo, 200)
    a, b = sw.NLSFilm(hzo, Ea), sw.NLSFilm(hzo, Ea)
    a.apply(1.2e8, 1e-7)
    a.apply(0.0, 1.0)
    a.apply(1.2e8, 1e-7)
    b.apply(1.2e8, 2e-7)
    np.testing.assert_allclose(a.up, b.up, rtol=0, atol=1e-12)


def test_merz_time_is_the_merz_law(hzo):
    E = np.array([3e7, 1e8, 3e8, -1e8])
    tau = sw.merz_time(E, 4e8, 1e-13, 2.0)
    # exact: same expression written independently, rtol = a few ulp of exp
    np.testing.assert_allclose(tau, 1e-13 * np.exp((4e8 / np.abs(E)) ** 2), rtol=1e-14)
    assert np.isinf(sw.merz_time(0.0, 4e8, 1e-13, 2.0)[0])
    assert sw.merz_field(hzo, 1e-6) == pytest.approx(
        hzo.activation_field_V_per_m / math.sqrt(math.log(1e-6 / hzo.tau0_s)), rel=1e-14)


@pytest.mark.parametrize("alpha", [40.0, 300.0])
def test_steep_merz_law_switches_without_overflow(alpha):
    # E_a^α alone overflows a double for α ≳ 36 at E_a ~ 5e8 V/m: the film must use (E_a/E)^α,
    # which is what the KAI law needs, and switch as the single-region formula says
    p = sw.hzo_switching(alpha=alpha)
    Ea, E = 4.55e8, 4.6e8                  # E just above E_a: τ = τ0 exp(0.989^α), finite
    tau = p.tau0_s * math.exp((Ea / E) ** alpha)
    film = sw.NLSFilm(p, [Ea])
    film.apply(E, tau)
    expect = sw.single_domain_fraction(tau, E, Ea, p.tau0_s, alpha, p.beta)
    assert film.up_fraction()[0] == pytest.approx(float(np.ravel(expect)[0]), rel=1e-12)
    assert film.up_fraction()[0] == pytest.approx(1 - math.exp(-1.0), rel=1e-12)


def test_single_domain_film_follows_kai_with_merz_time(hzo):
    Ea, E = 4.5e8, 1.3e8
    tau = float(sw.merz_time(E, Ea, hzo.tau0_s, hzo.alpha)[0])
    times = tau * np.array([0.1, 0.5, 1.0, 2.0, 4.0])
    expect = 1 - np.exp(-(times / tau) ** hzo.beta)
    np.testing.assert_allclose(sw.single_domain_fraction(times, E, Ea, hzo.tau0_s, hzo.alpha,
                                                         hzo.beta), expect, rtol=1e-13)
    film = sw.NLSFilm(hzo, [Ea])
    got, last = [], 0.0
    for t in times:                                       # the same times reached by pulses
        film.apply(E, t - last)
        last = t
        got.append(film.up_fraction()[0])
    # ages are sums of ≤ 5 terms: relative error ~1e-15, so 1e-12 absolute is generous
    np.testing.assert_allclose(got, expect, rtol=0, atol=1e-12)


def test_stochastic_regions_average_to_the_mean_field(hzo):
    # 20000 binary regions: the mean up-fraction has binomial sd ≤ 0.5/√20000 = 3.5e-3;
    # 5 sd = 0.018
    Ea = np.full((1, 20000), hzo.activation_field_V_per_m)
    E = sw.merz_field(hzo, 1e-6)
    mf, st = sw.NLSFilm(hzo, Ea), sw.NLSFilm(hzo, Ea, 0.0, np.random.default_rng(3))
    for _ in range(5):
        mf.apply(E, 2e-7)
        st.apply(E, 2e-7)
        assert abs(st.up_fraction()[0] - mf.up_fraction()[0]) < 0.018
    # reversal starts a new episode on the regions pointing up
    mf.apply(-E, 5e-7)
    st.apply(-E, 5e-7)
    assert abs(st.up_fraction()[0] - mf.up_fraction()[0]) < 0.018


def test_static_loop_has_remanence_and_the_implied_coercive_field(hzo):
    Ea = sw.activation_fields(hzo, 4000)
    n, emax, rate = 200, 3e8, 1e10                       # 1e10 V/m/s: 100 MV/cm per 0.1 ms
    dE = emax / n
    loop = sw.pe_loop(hzo, Ea, emax, n_steps=n, dwell_s=dE / rate)
    E, P = loop["field_V_per_m"], loop["switched_polarization_C_per_m2"][:, 0]
    pr = hzo.remanent_polarization_C_per_m2
    zero_down, zero_up = n - 1, 3 * n - 1                # E = 0 on the two branches
    assert E[zero_down] == 0.0 and E[zero_up] == 0.0
    # saturated: every region has u ≫ 1, exp(−u^β) underflows, so ±P_r to rounding
    assert P[zero_down] == pytest.approx(pr, rel=1e-12)
    assert P[zero_up] == pytest.approx(-pr, rel=1e-12)
    # measured P adds ε0(ε−1)E, which vanishes at E = 0
    assert loop["polarization_C_per_m2"][zero_down, 0] == pytest.approx(pr, rel=1e-12)
    asc_E, asc_P = E[zero_up:], P[zero_up:]
    k = int(np.argmax(asc_P > 0))
    ec_loop = float(np.interp(0.0, asc_P[k - 1:k + 1], asc_E[k - 1:k + 1]))
    ec = sw.implied_coercive_field(hzo, rate)
    # tolerance: the staircase applies each field for a whole step (≤ one step ΔE early) plus
    # half the field width over which one region goes from 1/4 to 3/4 switched (the loop's
    # P = 0 is the mean over regions, the implied E_c the median region):
    # Δln u = [ln ln 4 − ln ln(4/3)]/β, d ln u/d ln E = α (E_a/E_c)^α
    width = ec * (math.log(math.log(4)) - math.log(math.log(4 / 3))) / hzo.beta / (
        hzo.alpha * (hzo.activation_field_V_per_m / ec) ** hzo.alpha)
    assert abs(ec_loop - ec) <= dE + width / 2
    # and the descending branch is the mirror image
    desc = slice(n - 1, 2 * n)
    kd = int(np.argmax(P[desc] < 0))
    ec_down = float(np.interp(0.0, P[desc][kd - 1:kd + 1][::-1], E[desc][kd - 1:kd + 1][::-1]))
    assert ec_down == pytest.approx(-ec_loop, rel=1e-9)


def test_incremental_and_identical_trains():
    np.testing.assert_allclose(sw.pulse_train_fields("identical", 3, -1.0, 0.5), [-1, -1, -1])
    np.testing.assert_allclose(sw.pulse_train_fields("incremental", 3, -1.0, 0.5),
                               [-1, -1.5, -2])


@pytest.mark.parametrize("call, match", [
    (lambda p: sw.NLSFilm(p, [-1.0]), "activation_fields_V_per_m"),
    (lambda p: sw.NLSFilm(p, [1e8], up_fraction=1.5), "up_fraction"),
    (lambda p: sw.NLSFilm(p, [1e8], 0.5, np.random.default_rng(0)), "up_fraction"),
    (lambda p: sw.NLSFilm(p, [1e8]).apply(1e8, -1.0), "width_s"),
    (lambda p: sw.pulse_train_fields("random", 3, 1.0), "scheme"),
    (lambda p: sw.activation_fields(p, 0), "n_domains"),
    (lambda p: sw.hzo_switching(alpha=-1.0), "alpha"),
    (lambda p: sw.hzo_switching(colour=1.0), "colour"),
    (lambda p: sw.implied_coercive_field(p, 0.0), "sweep_rate"),
])
def test_bad_input_names_the_parameter(hzo, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call(hzo)
