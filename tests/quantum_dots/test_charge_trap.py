"""Charge-trap memory: charge bookkeeping, retention decay, detailed balance, presets, family."""
import math

import numpy as np
import pytest
from scipy import integrate

from qtransport import devices
from qtransport.constants import e, k_B
from qtransport.quantum_dots import charge_trap as ct
from qtransport.quantum_dots import charging as ch


@pytest.fixture(scope="module")
def film():
    return ct.qd_film(n_devices=2, rng=np.random.default_rng(3))


def test_trapped_charge_equals_integrated_tunnel_current(film):
    tr = film.traps
    vp, width = ct.default_pulses(film, 8)
    volts = [-vp] * 8 + [vp] * 5 + [0.0] + [-0.6 * vp] * 3
    p, dn = tr.run(tr.equilibrium(0.0), volts, width)
    # closed-form ∫I dt (independent of the occupation update) vs the change of Σp
    assert np.max(np.abs(dn.sum(axis=0) - (p[-1] - p[0]))) < 1e-9
    # and the closed form against adaptive quadrature of the instantaneous current
    for k in (0, 8, 13):
        got = dn[k].sum()
        quad = sum(integrate.quad(lambda t: float(tr.tunnel_current(p[k], t, volts[k])
                                                  [..., d, :].sum()), 0.0, width,
                                  epsabs=1e-12, epsrel=1e-11, limit=200)[0] for d in range(2))
        assert got == pytest.approx(quad, rel=1e-9, abs=1e-9)


def test_no_pulses_decay_at_the_escape_rate(film):
    tr = film.traps
    gin, gout = tr.rates(0.0)
    p0 = np.zeros(tr.shape)                        # erased
    t = 0.37 / np.median(gin + gout)
    p, _ = tr.step(p0, t, 0.0)
    peq = gin / (gin + gout)
    assert p == pytest.approx(peq * (1 - np.exp(-(gin + gout) * t)), rel=1e-12)
    # a full trap whose charged level sits 0.5 eV above E_F empties at the escape rate Γ_out
    # (recapture Γ_in = Γ_out e^{−0.5 eV/k_BT} ~ 4e-9 Γ_out)
    deep = ct.TrapEnsemble(np.array([[0.5]]), 1e-17, 0.4, tr.barrier, 300.0)
    gi, go = (float(x[0, 0]) for x in deep.rates(0.0))
    assert gi / go == pytest.approx(math.exp(-0.5 / (k_B * 300.0 / e)), rel=1e-9, abs=0)
    times = np.array([0.1, 1.0, 3.0]) / go
    p = [float(deep.step(np.ones((1, 1)), t, 0.0)[0][0, 0]) for t in times]
    pinf = gi / (gi + go)
    assert p == pytest.approx(pinf + (1 - pinf) * np.exp(-(gi + go) * times), rel=1e-12)
    assert p == pytest.approx(np.exp(-go * times), rel=1e-7)


def test_rates_are_the_orthodox_rates_with_the_kernel_resistance(film):
    tr = film.traps
    v = 1.7
    gin, gout = tr.rates(v)
    r_t = tr.resistance_area(v) / tr.area_m2
    dF = tr.delta_E_eV - tr.lever_arm * v
    assert gin == pytest.approx(np.vectorize(lambda x, r: float(ch.tunnel_rate(x, r, 300.0)))(
        dF, r_t), rel=1e-12)
    # detailed balance: Γ_out/Γ_in = exp(ΔF_in/k_BT)
    kT = k_B * 300.0 / e
    assert np.log(gout / gin) == pytest.approx(dF / kT, rel=1e-9, abs=1e-9)
    # R_T(V) is the Tsu-Esaki chord resistance of the tunnel oxide at α V
    j = tr.barrier.current_density(tr.lever_arm * v, 300.0)
    assert tr.resistance_area(v) == pytest.approx(tr.lever_arm * v / j, rel=1e-12)


def test_threshold_shift_is_charge_over_capacitance(film):
    p = np.zeros(film.traps.shape[1])
    p[:10] = 1.0
    assert float(film.threshold_shift(p)) == pytest.approx(10 * e / film.control_capacitance_F,
                                                           rel=1e-12)
    g = film.conductance(np.stack([np.zeros_like(p), p]))
    assert g[0] > g[1]


def test_stochastic_mode_matches_mean_field_on_average(film):
    tr = film.traps
    vp, width = ct.default_pulses(film, 4)
    rng = np.random.default_rng(0)
    start = np.ones(tr.shape)
    mean = tr.run(start, [-vp] * 4, width)[0][-1].mean()
    draws = [tr.run(start, [-vp] * 4, width, rng=rng)[0][-1].mean() for _ in range(20)]
    n = tr.shape[0] * tr.shape[1] * 20
    # binomial standard error of the pooled mean, 5 sigma
    assert np.mean(draws) == pytest.approx(mean, abs=5 * math.sqrt(0.25 / n))


@pytest.mark.parametrize("preset", ["qd_film", "cnt", "nanowire"])
def test_family_response(preset):
    fam = devices.get("quantum_dot")(preset=preset, n_pulses=6, n_devices=2, n_cycles=2)
    r = fam.response(seed=1)
    assert r.weight_ltp_S.shape == (2, 7) and r.cycle_ltp_S.shape == (2, 7)
    # erase pulses raise the conductance on average, program pulses lower it
    assert np.all(r.weight_ltp_S[:, -1] > r.weight_ltp_S[:, 0])
    assert np.all(r.weight_ltd_S[:, -1] < r.weight_ltd_S[:, 0])
    assert float(r.retention_s) > 0 and float(r.event_energy_J) > 0
    again = devices.get("quantum_dot")(preset=preset, n_pulses=6, n_devices=2,
                                       n_cycles=2).response(seed=1)
    assert np.array_equal(again.weight_ltp_S, r.weight_ltp_S)      # same seed → same bits


def test_bad_input():
    with pytest.raises(ValueError, match="preset"):
        devices.get("quantum_dot")(preset="graphene")
    with pytest.raises(ValueError, match="size_spread_rel"):
        ct.qd_film(size_spread_rel=0.9)
    with pytest.raises(ValueError, match="width_s"):
        ct.qd_film().traps.run(np.zeros((1, 1000)), [1.0], 0.0)
