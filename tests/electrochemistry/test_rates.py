"""Rate laws: Butler–Volmer and field-assisted hopping limits, Arrhenius."""
import math

import numpy as np
import pytest

from qtransport.constants import thermal_energy_eV
from qtransport.electrochemistry import rates

KT = thermal_energy_eV(300.0)


def test_butler_volmer_symmetric_is_sinh_and_zero_overpotential_is_zero_net():
    eta = np.linspace(-0.5, 0.5, 41)
    net = rates.butler_volmer_net_rate(eta, 1e3, 300.0, alpha=0.5)
    # two exponentials vs one sinh: only rounding differs (|net| up to ~1e7 k0, rel 1e-12)
    np.testing.assert_allclose(net, 2e3 * np.sinh(eta / (2 * KT)), rtol=1e-12, atol=1e-9)
    red, ox = rates.butler_volmer_rates(0.0, 1e3, 300.0, alpha=0.3)
    assert red == ox == 1e3                       # exp(0) = 1 exactly: no net rate at η = 0


@pytest.mark.parametrize("alpha", [0.2, 0.5, 0.8])
def test_butler_volmer_ratio_is_boltzmann_for_any_alpha(alpha):
    eta = np.array([-0.3, 0.1, 0.4])
    red, ox = rates.butler_volmer_rates(eta, 5.0, 400.0, alpha=alpha, charge_number=2)
    np.testing.assert_allclose(red / ox, np.exp(2 * eta / thermal_energy_eV(400.0)),
                               rtol=1e-12)


def test_hopping_low_field_is_linear_and_high_field_is_exponential():
    a_nm, ea, nu = 0.25, 0.4, 1e13
    base = nu * math.exp(-ea / KT)
    # low field: x = q a E / 2kT = 1e-3, sinh(x)/x − 1 = x²/6 ≈ 1.7e-7
    e_low = 2e-3 * KT / (a_nm * 1e-9)
    net = rates.hopping_net_rate(e_low, ea, a_nm, 300.0, nu)
    assert net == pytest.approx(base * a_nm * 1e-9 * e_low / KT, rel=3e-7)
    # high field: x = 15, the backward hop is e^{-2x} ≈ 1e-13 of the forward one
    e_high = 30 * KT / (a_nm * 1e-9)
    net = rates.hopping_net_rate(e_high, ea, a_nm, 300.0, nu)
    assert net == pytest.approx(base * math.exp(15.0), rel=1e-12)
    # zero field: no drift
    assert rates.drift_velocity(0.0, ea, a_nm, 300.0, nu) == 0.0


def test_arrhenius_and_errors_name_the_parameter():
    assert rates.arrhenius_rate(1e13, 0.5, 300.0) == pytest.approx(1e13 * math.exp(-0.5 / KT),
                                                                  rel=1e-14)
    with pytest.raises(ValueError, match="alpha"):
        rates.butler_volmer_rates(0.1, 1.0, 300.0, alpha=1.0)
    with pytest.raises(ValueError, match="temperature_K"):
        rates.hopping_rates(1e8, 0.4, 0.25, 0.0)
    with pytest.raises(ValueError, match="hop_distance_nm"):
        rates.hopping_rates(1e8, 0.4, -1.0, 300.0)
