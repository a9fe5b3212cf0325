"""fn_fit: on an exact Fowler–Nordheim J–V curve the fitted slope is −b."""
import numpy as np
import pytest

from qtransport.tight_binding.tunneling_currents import (fn_fit, fowler_nordheim_current_density,
                                                         fowler_nordheim_slope)


def test_slope_of_an_exact_fn_curve_is_minus_b():
    phi, mass, d_nm = 1.5, 0.5, 2.0
    bias = np.linspace(0.5, 6.0, 40)
    j = fowler_nordheim_current_density(bias / (d_nm * 1e-9), phi, mass)
    x, y, slope, vt = fn_fit(bias, j, d_nm, phi)
    # ln(J/F²) = ln(a) − b/F is exactly linear in 1/F: the fit is exact to rounding
    assert slope == pytest.approx(-fowler_nordheim_slope(phi, mass), rel=1e-9)
    assert x.shape == y.shape == (40,)
    assert np.isnan(vt)                     # a pure FN curve has no direct-tunneling branch


def test_too_few_fn_points_give_nan_and_bad_input_is_named():
    bias = np.array([0.1, 0.2, 0.3])
    j = fowler_nordheim_current_density(bias / 2e-9, 1.5, 0.5)
    assert np.isnan(fn_fit(bias, j, 2.0, 1.5)[2])
    with pytest.raises(ValueError, match="barrier_height_eV"):
        fn_fit(bias, j, 2.0, -1.0)


def test_regime_line_is_the_fit_of_fn_fit_and_passes_through_an_exact_curve():
    """The line the run report draws: same slope as fn_fit, and on an exact FN curve (exactly
    linear in 1/F) it reproduces every regime point to rounding (~1e-12 of |y| ≈ 30)."""
    from qtransport.tight_binding.tunneling_currents import FN_REGIME_FACTOR, fn_regime_line
    phi, mass, d_nm = 1.5, 0.5, 2.0
    bias = np.linspace(0.5, 6.0, 40)
    j = fowler_nordheim_current_density(bias / (d_nm * 1e-9), phi, mass)
    x, y, slope, _ = fn_fit(bias, j, d_nm, phi)
    regime, slope2, intercept = fn_regime_line(bias, j, d_nm, phi)
    assert slope2 == slope
    # contract: the regime is defined as bias > FN_REGIME_FACTOR·φ (a boolean mask, same floats)
    assert regime.dtype == bool and regime.tolist() == (bias > FN_REGIME_FACTOR * phi).tolist()
    np.testing.assert_allclose(intercept + slope * x[regime], y[regime], rtol=1e-9)
    assert np.isnan(fn_regime_line(bias[:3], j[:3], d_nm, phi)[2])
