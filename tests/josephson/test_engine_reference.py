"""The optimized engine against straightforward references: scipy solve_ivp and libm sin."""
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from qtransport.constants import PHI0
from qtransport.josephson import Junction, rcsj, steppers

IC, R = 100e-6, 2.0


def _reference_dc_voltage(i: float, settle: float, end: float) -> float:
    """β_c = 1 DC voltage / I_cR by DOP853 (rtol = atol = 1e-12), defined as in iv_curve:
    whole periods between the first and last 2π crossing after settling if periodic, else Δφ/Δτ."""
    sol = solve_ivp(lambda _t, y: [y[1], i - math.sin(y[0]) - y[1]], (0.0, end),
                    [math.asin(min(i, 1.0)), 0.0], method="DOP853", rtol=1e-12, atol=1e-12,
                    events=lambda _t, y: math.sin(0.5 * y[0]), t_eval=[settle, end])
    t, y = sol.t_events[0], np.reshape(sol.y_events[0], (-1, 2))
    after = t > settle
    fwd, back = np.sum(y[after, 1] > 0), np.sum(y[after, 1] <= 0)
    if fwd >= 3 and back == 0:
        return 2 * math.pi * (fwd - 1) / (t[after][-1] - t[after][0])
    return (sol.y[0, -1] - sol.y[0, 0]) / (end - settle)


def test_vectorized_iv_equals_solve_ivp():
    """400 bias points in one run (the SIMD path, ≥ TAN_MIN_SIZE elements) vs DOP853 at 1e-12.

    The step is chosen for rtol = 1e-6 I_cR (RK4 error model calibrated by the run's own step
    ladder): the error must stay within rtol, and the run's estimate (``convergence_error_V``)
    must bound it within a factor 3 (Richardson is asymptotic), with a floor of 1e-9 I_cR for the
    zero-voltage points.
    """
    j = Junction(IC, PHI0 / (2 * math.pi * IC * R**2), R)          # β_c = 1
    wc = j.characteristic_angular_frequency
    bias = np.linspace(0.0, 2.0, 400) * IC
    assert bias.size >= steppers.TAN_MIN_SIZE
    settle, end = 20 * 2 * math.pi, 60 * 2 * math.pi
    iv = rcsj.iv_curve(j, bias, settle_s=settle / wc, average_s=(end - settle) / wc, rtol=1e-6)
    picks = [100, 260, 399]                                          # i = 0.50, 1.30, 2.00
    ref = np.array([_reference_dc_voltage(bias[k] / IC, settle, end) for k in picks])
    err = np.abs(iv.voltage_V[picks] / j.characteristic_voltage_V - ref)
    estimate = iv.attrs["convergence_error_V"] / j.characteristic_voltage_V
    assert np.all(err <= 3 * estimate + 1e-9), (err, estimate)
    assert err.max() < 1e-6
    assert ref[0] == 0.0 and ref[2] > 1.5


def test_tan_half_angle_sine_is_libm_accurate():
    """sin φ = 2t/(1 + t²), t = tan(φ/2): ≤ 2 ulp of 1 absolute over |φ| ≤ 1e4 (measured 1 ulp)."""
    phi = np.random.default_rng(0).uniform(-1e4, 1e4, 200_000)
    phi[:4] = [0.0, math.pi, -math.pi, 2 * math.pi * 1000 + math.pi]
    out, work = np.empty_like(phi), np.empty_like(phi)
    for use_tan in (True, False):
        steppers.half_sine(0.5 * phi, out, work, use_tan)
        assert np.max(np.abs(2 * out - np.sin(phi))) <= 4.5e-16


def test_step_kernels_agree_with_textbook_rk4():
    """The fused in-place RK4 step equals the textbook form (one step, both sine paths)."""
    prob, _ = rcsj.reduced_problem(Junction(IC, 0.3e-12, R), np.linspace(0.0, 2.0, 300) * IC)
    h = 0.05
    phi = np.random.default_rng(1).uniform(-3, 30, 300)
    vel = np.random.default_rng(2).uniform(-1, 2, 300)
    m, i = prob.mass, np.asarray(prob.bias)

    def acc(p, v):
        return (i - np.sin(p) - v) / m
    k1p, k1v = vel, acc(phi, vel)
    k2p, k2v = vel + h / 2 * k1v, acc(phi + h / 2 * k1p, vel + h / 2 * k1v)
    k3p, k3v = vel + h / 2 * k2v, acc(phi + h / 2 * k2p, vel + h / 2 * k2v)
    k4p, k4v = vel + h * k3v, acc(phi + h * k3p, vel + h * k3v)
    ref_p = phi + h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p)
    ref_v = vel + h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
    for use_tan in (True, False):
        step = steppers.make_rk4(steppers.Coefficients(prob, h), h, use_tan=use_tan)
        out_p, out_v = np.empty(300), np.empty(300)
        step(0.0, phi, vel, None, out_p, out_v, None)
        np.testing.assert_allclose(out_p, ref_p, rtol=0, atol=1e-13)   # rounding of |φ| ≤ 30
        np.testing.assert_allclose(out_v, ref_v, rtol=0, atol=1e-14)
