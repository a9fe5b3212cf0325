"""Thermal escape vs Kramers; switching-current distributions; MQT formula inputs."""
import math

import numpy as np
import pytest

from qtransport import josephson
from qtransport.constants import PHI0, k_B
from qtransport.josephson import escape

IC, R = 1e-6, 10.0
J = josephson.Junction(IC, 1.0 * PHI0 / (2 * math.pi * IC * R**2), R)    # β_c = 1


def test_barrier_and_well_frequency():
    # ΔU(i) → (4√2/3) E_J (1 − i)^{3/2} as i → 1 (cubic limit), to O(1 − i)
    i = 0.999
    assert escape.barrier_height_J(J, i * IC)[0] == pytest.approx(
        4 * math.sqrt(2) / 3 * J.josephson_energy_J * (1 - i) ** 1.5, rel=2e-3, abs=0)
    assert escape.well_frequency_Hz(J, 0.6 * IC)[0] == pytest.approx(
        J.plasma_frequency_Hz * 0.8**0.5, rel=1e-14)
    with pytest.raises(ValueError, match="bias_A"):
        escape.barrier_height_J(J, 1.2 * IC)


def test_escape_is_even_in_the_bias():
    # U(φ) at -i is U(-φ) at +i: the downhill barrier, the rates and the simulated escape of a
    # negative bias are those of its mirror image (the uphill barrier was returned before)
    bias = np.array([0.3, 0.8, 0.95]) * IC
    for f in (escape.barrier_height_J, escape.mqt_rate_per_s):
        np.testing.assert_allclose(f(J, -bias), f(J, bias), rtol=1e-15)
    np.testing.assert_allclose(escape.kramers_rate_per_s(J, -bias, 0.1),
                               escape.kramers_rate_per_s(J, bias, 0.1), rtol=1e-15)
    temp = escape.barrier_height_J(J, 0.8 * IC)[0] / (5.0 * k_B)
    kr = escape.kramers_rate_per_s(J, 0.8 * IC, temp)[0]
    up, down = (escape.escape_rate(J, b, temp, realizations=200, duration_s=1.0 / kr, seed=4)
                for b in (0.8 * IC, -0.8 * IC))
    assert down.attrs["escaped"] == up.attrs["escaped"] > 80     # same seed, same draws
    assert float(down.rate_per_s) == pytest.approx(float(up.rate_per_s), rel=1e-12)


def test_escape_rate_agrees_with_kramers():
    """β_c = 1 (Q = 1, moderate damping where Kramers' spatial-diffusion rate holds), i = 0.8,
    ΔU/k_BT = 5. 1000 realizations over one Kramers time: ~630 escapes, relative standard error
    1/√630 ≈ 4 %; the test allows 3σ."""
    bias = 0.8 * IC
    temp = escape.barrier_height_J(J, bias)[0] / (5.0 * k_B)
    kr = escape.kramers_rate_per_s(J, bias, temp)[0]
    r = escape.escape_rate(J, bias, temp, realizations=1000, duration_s=1.0 / kr, seed=1)
    assert r.attrs["escaped"] > 500
    assert abs(float(r.rate_per_s) - kr) < 3 * float(r.rate_error_per_s)


def test_switching_distribution_agrees_with_kramers():
    """Ramp di/dτ = 1e-4 from 0.5 I_c, Γ = k_BT/E_J = 0.05, 500 realizations: mean and width of
    the simulated I_sw equal the Kramers/Fulton–Dunkleberger prediction within 3 standard errors
    (σ/√N for the mean; σ/√(2N) for the width)."""
    temp = 0.05 * J.josephson_energy_J / k_B
    ramp = 1e-4 * IC * J.characteristic_angular_frequency
    s = escape.switching_currents(J, ramp, temp, start_A=0.5 * IC, realizations=500, seed=2)
    k = escape.kramers_switching_distribution(J, ramp, temp, start_A=0.5 * IC)
    n = np.sum(~np.isnan(s.switching_current_A))
    assert n == 500
    sigma = float(s.std_A)
    assert abs(float(s.mean_A) - float(k.mean_A)) < 3 * sigma / math.sqrt(n)
    assert abs(sigma - float(k.std_A)) < 3 * sigma / math.sqrt(2 * n)
    assert np.trapezoid(k.density_per_A, k.current_A) == pytest.approx(1.0, rel=1e-9)
