"""Ambegaokar–Halperin thermally rounded I–V: limits, independent quadrature, and the noisy RCSJ
solver (stochastic Heun) against it in the overdamped regime."""
from __future__ import annotations

import math

import numpy as np
import pytest

from qtransport.constants import PHI0, k_B
from qtransport.josephson import Junction, rcsj
from qtransport.josephson.thermal_iv import (ambegaokar_halperin_voltage as ah,
                                             continued_fraction_terms)


def stratonovich(b: float, gamma: float, n: int = 400) -> float:
    """The double-integral form, independently: trapezoid in x (periodic, smooth: exponential
    convergence), Gauss–Legendre in y (analytic, not periodic)."""
    x = np.arange(n) * 2 * np.pi / n
    y, w = np.polynomial.legendre.leggauss(n)
    y, w = np.pi * (y + 1), np.pi * w
    e = (np.cos(x[:, None] - y[None, :]) - np.cos(x[:, None]) - b * y[None, :]) / gamma
    top = e.max()
    integral = float((np.exp(e - top) * w).sum()) * 2 * np.pi / n
    return 2 * np.pi * gamma * -math.expm1(-2 * np.pi * b / gamma) / integral * math.exp(-top)


@pytest.mark.parametrize("b, gamma", [(0.5, 0.2), (1.0, 0.05), (1.5, 0.1), (0.8, 0.5),
                                      (2.0, 0.02)])
def test_matches_stratonovich_double_integral(b, gamma):
    # both converge exponentially; 400 vs 800 nodes agree to ~1e-14 relative at these Γ, so
    # 1e-10 is the claimed accuracy with room for the exponent's round-off
    assert abs(ah(b, gamma)[()] - stratonovich(b, gamma)) < 1e-10


def test_truncation_converged():
    # doubling the default number of continued-fraction terms changes nothing beyond round-off
    b = np.array([0.3, 0.9, 1.0, 1.1, 2.0, 5.0])
    for gamma in (1e-3, 0.01, 0.1, 1.0):
        k = int(continued_fraction_terms(b, gamma).max())
        assert np.max(np.abs(ah(b, gamma) - ah(b, gamma, terms=2 * k))) < 1e-13
        # and a too short fraction (3 terms) is visibly wrong: the check can fail
        assert np.max(np.abs(ah(b, gamma) - ah(b, gamma, terms=3))) > 1e-6


@pytest.mark.slow
def test_noise_free_limit():
    # Γ → 0: √(i² − 1) above I_c, 0 below; the rounding shrinks with Γ (∝ Γ^(2/3) at i = 1,
    # ∝ Γ away from it)
    b = np.array([0.5, 0.9, 1.2, 1.5, 2.0, 3.0])
    exact = np.sqrt(np.maximum(b * b - 1, 0.0))
    err = [np.max(np.abs(ah(b, g) - exact)) for g in (1e-2, 1e-3, 1e-4)]
    assert err[2] < 2e-4 and err[1] < err[0] / 5 and err[2] < err[1] / 5
    assert abs(ah(1.0, 1e-4)[()]) < 0.05 and ah(1.0, 1e-3)[()] > ah(1.0, 1e-4)[()]


def test_large_bias_and_high_temperature_limits():
    # |i| → ∞: v = i − i/(2(i² + Γ²)) + O(i⁻³) (first-order perturbation in sin φ); Γ → ∞: v → i
    for b, g in [(30.0, 0.05), (100.0, 1.0), (20.0, 3.0)]:
        assert abs(ah(b, g)[()] - (b - b / (2 * (b * b + g * g)))) < 2 / b**3
    assert abs(ah(0.7, 1e3)[()] - 0.7) < 1e-6
    np.testing.assert_allclose(ah([-1.5, -0.3], 0.1), -ah([1.5, 0.3], 0.1), rtol=0, atol=0)


def test_arrhenius_below_critical_current():
    # net overdamped Kramers rate: v ≈ √(1 − i²) e^{−ΔU/Γ}(1 − e^{−2πi/Γ}), ratio 1 + O(Γ/ΔU)
    b = 0.5
    du = 2 * (math.sqrt(1 - b * b) - b * math.acos(b))
    dev = []
    for g in (0.08, 0.06, 0.04):
        kramers = math.sqrt(1 - b * b) * math.exp(-du / g) * -math.expm1(-2 * math.pi * b / g)
        dev.append(abs(ah(b, g)[()] / kramers - 1))
    assert dev[2] < 0.03 and dev[2] < dev[1] < dev[0]          # shrinks as Γ → 0
    # activation energy from the slope of ln v against 1/Γ, within 5 %
    g1, g2 = 0.04, 0.05
    slope = (math.log(ah(b, g2)[()]) - math.log(ah(b, g1)[()])) / (1 / g1 - 1 / g2)
    assert abs(slope / du - 1) < 0.05


def test_bad_input():
    with pytest.raises(ValueError, match="noise"):
        ah(1.0, 0.0)
    with pytest.raises(ValueError, match="terms"):
        ah(1.0, 0.1, terms=0)
    with pytest.raises(ValueError, match="terms"):
        ah(1.0, 1e-9)          # 1e10 terms: refused up front
    with pytest.raises(ValueError, match="bias"):
        ah(np.nan, 0.1)


#: overdamped check of the noisy solver: I_c = 1 µA, R = 2 Ω (E_J/k_B = 23.8 K: Γ = 0.05 is 1.19 K)
GAMMA, BETA = 0.05, 0.01
BIAS = np.array([0.9, 1.0, 1.1, 1.5])


@pytest.mark.slow
def test_noisy_solver_matches_ambegaokar_halperin():
    ic, r = 1e-6, 2.0
    j = Junction(ic, BETA * PHI0 / (2 * math.pi * ic * r * r), r)
    wc = j.characteristic_angular_frequency
    n, window = 200, 2000.0
    res = rcsj.iv_curve(j, BIAS * ic, temperature_K=GAMMA * j.josephson_energy_J / k_B, seed=3,
                        realizations=n, settle_s=50 / wc, average_s=window / wc,
                        steps_per_period=8, check_convergence=False)
    v = res.voltage_V / j.characteristic_voltage_V
    sigma = res.voltage_std_V / j.characteristic_voltage_V / math.sqrt(n)   # realizations iid
    # systematic bound, measured (docs/josephson.md): β_c = 0.005, 0.01, 0.02 and h/β_c = 0.2-0.8
    # agree within their statistics (≤ 6e-4, 800 realizations); the plain Δφ/Δτ mean of a
    # window W carries an edge term ≲ 1 rad/W = 5e-4 (measured 2-5e-4 with the noise off)
    systematic = 1e-3
    exact = ah(BIAS, GAMMA)
    assert np.all(np.abs(v - exact) < 4 * sigma + systematic), (v, exact, sigma)
    # the check resolves a factor 2 in the noise power (the Johnson-noise convention)
    for wrong in (2 * GAMMA, GAMMA / 2):
        assert np.any(np.abs(v - ah(BIAS, wrong)) > 4 * sigma + systematic)
