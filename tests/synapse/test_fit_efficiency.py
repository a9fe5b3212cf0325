"""The pulse-response fit against plain least squares (scipy.optimize.curve_fit) on the same data.

Gaussian noise: the robust fit (soft-L1 start, Huber refinement at 1.345 σ̂) must be at least as
accurate as least squares — median errors within 1.2× of curve_fit's over 200 random devices
(Huber at 1.345 σ is 95 % efficient, so the expected ratio is ~1.03; 1.2 leaves room for the
sampling noise of a median over 200 devices, ~±9 %). curve_fit is started at the *true*
parameters, its best case. With glitches curve_fit is pulled, the robust fit is not.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import curve_fit

from qtransport.synapse import PulseResponse
from qtransport.synapse.pulse import fit_pulse_response, shape


def _devices(rng, n):
    for _ in range(n):
        p = int(rng.integers(20, 200))
        a = p * 10 ** rng.uniform(-1, 1)
        g_min = 10 ** rng.uniform(-7, -5)
        yield PulseResponse(g_min, g_min * 10 ** rng.uniform(0.5, 2), p, a, a)


def _model(p_total):
    def f(p, g_min, g_max, a):
        return g_min + (g_max - g_min) * shape(p / p_total, p_total / a)
    return f


def _errors(s, fit_a, fit_lo, fit_hi):
    return (abs(fit_a - s.a_ltp) / s.a_ltp, abs(fit_lo - s.g_min_S) / s.range_S,
            abs(fit_hi - s.g_max_S) / s.range_S)


def _compare(noise_kind, n_devices, seed, glitches=0):
    rng = np.random.default_rng(seed)
    ours, lsq, stderr_z = [], [], []
    for s in _devices(rng, n_devices):
        p = np.arange(s.n_pulses + 1)
        clean = s.conductance_ltp(p)
        if noise_kind == "absolute":
            sigma = 0.002 * s.g_max_S * np.ones_like(clean)      # 0.2 % of G_max, every point
        else:
            sigma = 0.002 * clean                                 # 0.2 % of G
        g = clean + sigma * rng.standard_normal(p.size)
        if glitches:
            idx = rng.choice(p.size, glitches, replace=False)
            g[idx] += s.range_S * rng.uniform(0.2, 0.5, glitches) * rng.choice([-1, 1], glitches)
            g = np.abs(g)
        fit = fit_pulse_response(p, g, "ltp")
        ours.append(_errors(s, fit.a, fit.response.g_min_S, fit.response.g_max_S))
        stderr_z.append((fit.a - s.a_ltp) / fit.a_stderr)
        popt, _ = curve_fit(_model(s.n_pulses), p, g, p0=[s.g_min_S, s.g_max_S, s.a_ltp],
                            sigma=sigma, maxfev=20000)
        lsq.append(_errors(s, popt[2], popt[0], popt[1]))
    return np.median(ours, axis=0), np.median(lsq, axis=0), np.array(stderr_z)


@pytest.mark.parametrize("noise_kind, n_devices", [("absolute", 200), ("relative", 100)])
def test_fit_is_as_accurate_as_least_squares_on_gaussian_noise(noise_kind, n_devices):
    ours, lsq, z = _compare(noise_kind, n_devices, seed=14)
    # median errors of A, G_min, G_max (relative to A, to the range, to the range)
    assert np.all(ours <= 1.2 * lsq), (ours, lsq)
    # the reported standard error of A is honest: (A_fit − A)/σ_A has spread ~1; the 1.5 band
    # allows the MAD-based σ̂ (~±10 % over ~100 points) and the curvature of A = P/x
    spread = 1.4826 * np.median(np.abs(z - np.median(z)))
    assert 0.67 < spread < 1.5, spread


def test_fit_stays_accurate_with_glitches_where_least_squares_does_not():
    clean, _, _ = _compare("absolute", 60, seed=3)
    ours, lsq, _ = _compare("absolute", 60, seed=3, glitches=3)
    # three 20-50 %-of-range glitches: the robust fit's median A error grows by < 3x, least
    # squares' error is several times the robust one
    assert ours[0] < 3 * clean[0], (ours, clean)
    assert lsq[0] > 3 * ours[0], (ours, lsq)


def test_fit_reports_standard_errors_and_noise_model():
    s = PulseResponse(1e-6, 1e-4, 100, 40.0, 40.0)
    p = np.arange(101)
    rng = np.random.default_rng(0)
    g_rel = s.conductance_ltp(p) * (1 + 0.003 * rng.standard_normal(p.size))
    g_abs = s.conductance_ltp(p) + 3e-7 * rng.standard_normal(p.size)
    f_rel, f_abs = fit_pulse_response(p, g_rel), fit_pulse_response(p, g_abs)
    assert f_rel.noise == "relative" and f_rel.noise_sigma == pytest.approx(0.003, rel=0.25)
    assert f_abs.noise == "absolute" and f_abs.noise_sigma == pytest.approx(3e-7, rel=0.25)
    for f in (f_rel, f_abs):
        assert 0 < f.g_min_stderr < 0.01 * s.range_S and 0 < f.g_max_stderr < 0.01 * s.range_S
        assert abs(f.a - 40.0) < 5 * f.a_stderr
    forced = fit_pulse_response(p, g_abs, noise="relative")
    assert forced.noise == "relative"
    with pytest.raises(ValueError, match="noise"):
        fit_pulse_response(p, g_abs, noise="gaussian")
    assert math.isnan(fit_pulse_response(p, g_abs, bounds_S=(1e-6, 1e-4)).g_min_stderr)


def test_fit_recovers_an_anti_saturating_curve():
    s = PulseResponse(1e-6, 1e-4, 60, -30.0, -30.0)
    p = np.arange(61)
    g = s.conductance_ltp(p) * (1 + 1e-3 * np.random.default_rng(4).standard_normal(61))
    assert fit_pulse_response(p, g).a == pytest.approx(-30.0, rel=0.05)
