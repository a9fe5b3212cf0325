"""Short-term plasticity (Tsodyks–Markram), the double-exponential PPF fit and pair STDP."""
from __future__ import annotations

import math

import numpy as np
import pytest

from qtransport.synapse.plasticity import TsodyksMarkram, fit_ppf, ppf, stdp_pair


def test_tsodyks_markram_convention_and_closed_form():
    tm = TsodyksMarkram(utilization=0.3, tau_rec_s=0.2, tau_facil_s=0.6)
    # facilitate-then-release: the first spike releases exactly U
    assert tm.release([0.0])[0] == pytest.approx(0.3, rel=1e-15)
    dt = np.array([1e-3, 0.01, 0.1, 1.0, 10.0])
    pairs = np.array([tm.release([0.0, d]) for d in dt])
    # event-driven simulation vs closed-form paired-pulse ratio: same algebra, rounding only
    np.testing.assert_allclose(pairs[:, 1] / pairs[:, 0], tm.paired_pulse_ratio(dt), rtol=1e-13)
    # short interval: (U + U(1-U)) (1 - U) / U = (2 - U)(1 - U); long: back to 1
    assert tm.paired_pulse_ratio([0.0])[0] == pytest.approx((2 - 0.3) * (1 - 0.3))
    assert tm.paired_pulse_ratio([100.0])[0] == pytest.approx(1.0, abs=1e-12)


def test_tsodyks_markram_steady_state_of_a_regular_train():
    """Analytic fixed point of a regular train at rate 1/T (u*, x*) against a long simulation."""
    big_u, td, tf, period = 0.2, 0.1, 0.5, 0.02
    ef, ed = math.exp(-period / tf), math.exp(-period / td)
    u_star = big_u / (1 - (1 - big_u) * ef)       # u after the jump, at steady state
    x_star = (1 - ed) / (1 - (1 - u_star) * ed)   # x before the release, at steady state
    r = TsodyksMarkram(big_u, td, tf).release(np.arange(400) * period)
    assert r[-1] == pytest.approx(u_star * x_star, rel=1e-10)


def test_ppf_fit_recovers_parameters():
    """Synthetic PPF with 0.2 % noise; tau2/tau1 = 15, 40 intervals over 1 ms .. 3 s. The
    covariance of this fit gives relative errors < 1.5 %, so 5 % is a > 3-sigma bound."""
    dt = np.geomspace(1e-3, 3.0, 40)
    truth = dict(c1=0.6, c2=0.3, tau1_s=0.02, tau2_s=0.3)
    y = ppf(dt, **truth) * (1 + 0.002 * np.random.default_rng(3).standard_normal(dt.size))
    fit = fit_ppf(dt, y)
    for key, value in truth.items():
        assert getattr(fit, key) == pytest.approx(value, rel=0.05), key
    assert fit.rms < 0.005


def test_ppf_fit_orders_time_constants_and_checks_input():
    dt = np.geomspace(1e-3, 3.0, 30)
    fit = fit_ppf(dt, ppf(dt, 0.2, 0.5, 0.5, 0.01))   # given in the "wrong" order
    assert fit.tau1_s < fit.tau2_s
    assert fit.tau1_s == pytest.approx(0.01, rel=1e-4) and fit.c1 == pytest.approx(0.5, rel=1e-4)
    with pytest.raises(ValueError, match="at least 5"):
        fit_ppf([0.1, 0.2], [1.1, 1.05])
    with pytest.raises(ValueError, match="intervals_s must be > 0"):
        fit_ppf([0.0, 0.1, 0.2, 0.3, 0.4], np.ones(5))
    with pytest.raises(ValueError, match="ppf_values must contain only finite"):
        fit_ppf(dt, np.full(30, np.nan))


def test_stdp_pair_window():
    dt = np.array([-0.05, -0.01, 0.0, 0.01, 0.05])
    dw = stdp_pair(dt, a_plus=0.01, a_minus=0.012, tau_plus_s=0.02, tau_minus_s=0.03)
    expected = [-0.012 * math.exp(-0.05 / 0.03), -0.012 * math.exp(-0.01 / 0.03), 0.0,
                0.01 * math.exp(-0.5), 0.01 * math.exp(-2.5)]
    np.testing.assert_allclose(dw, expected, rtol=1e-14)
    with pytest.raises(ValueError, match="tau_plus_s must be > 0"):
        stdp_pair(dt, tau_plus_s=0.0)
    with pytest.raises(ValueError, match="utilization must be > 0.0 and <= 1.0"):
        TsodyksMarkram(1.5, 0.1, 0.1)
