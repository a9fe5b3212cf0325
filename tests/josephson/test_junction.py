"""Junction parameters: derived quantities, BCS gap, Ambegaokar–Baratoff, Fraunhofer, bad input."""
import math

import numpy as np
import pytest

from qtransport import josephson
from qtransport.constants import PHI0, e, h, k_B
from qtransport.josephson.junction import BCS_RATIO, ambegaokar_baratoff_V, bcs_gap_J


def test_api_names_and_derived_quantities():
    j = josephson.Junction(critical_current_A=100e-6, capacitance_F=0.5e-12, resistance_ohm=2.0)
    # definitions (Tinkham ch. 6), recomputed here from scratch
    wp = math.sqrt(2 * math.pi * 100e-6 / (PHI0 * 0.5e-12))
    assert j.plasma_frequency_Hz == pytest.approx(wp / (2 * math.pi), rel=1e-14)
    assert j.stewart_mccumber == pytest.approx((j.characteristic_angular_frequency / wp) ** 2,
                                               rel=1e-12)
    assert j.josephson_energy_J == pytest.approx(h / (2 * e) * 100e-6 / (2 * math.pi), rel=1e-14, abs=0)
    assert j.charging_energy_J == pytest.approx(e**2 / 1e-12, rel=1e-14, abs=0)
    # ħω_p = √(8 E_J E_C) (docs/validation.md)
    assert h * j.plasma_frequency_Hz == pytest.approx(
        math.sqrt(8 * j.josephson_energy_J * j.charging_energy_J), rel=1e-12, abs=0)
    assert j.characteristic_voltage_V == pytest.approx(200e-6)
    assert j.switching_energy_J == pytest.approx(0.2068e-18, rel=1e-3, abs=0)   # 0.207 aJ at 100 µA
    assert j.plasma_frequency_at_bias_Hz(60e-6)[0] == pytest.approx(
        j.plasma_frequency_Hz * 0.64**0.25, rel=1e-14)


def test_nb_ambegaokar_baratoff_zero_temperature():
    j = josephson.Junction.from_material("Nb", resistance_ohm=10.0, capacitance_F=1e-13)
    assert j.characteristic_voltage_V == pytest.approx(2.197e-3, abs=1e-6)   # docs/validation.md


def _gap_matsubara(t: float) -> float:
    """Independent BCS gap: ln(T_c/T) = 2πk_BT Σ_n [1/ω_n − 1/√(ω_n² + Δ²)], Δ(0) = 1."""
    from scipy.optimize import brentq
    kt = t / BCS_RATIO
    w = math.pi * kt * (2 * np.arange(400000) + 1)
    return brentq(lambda d: math.log(1 / t) - 2 * math.pi * kt * np.sum(1 / w - 1 / np.hypot(w, d)),
                  1e-9, 1.0)


@pytest.mark.parametrize("t", [0.3, 0.6, 0.95])
def test_bcs_gap_against_matsubara_sum(t):
    # the truncated Matsubara tail is ~Δ²/(2π²kT·N) ≲ 1e-8: tolerance 1e-7
    assert bcs_gap_J(1.0, t, 1.0) == pytest.approx(_gap_matsubara(t), abs=1e-7)


def test_gap_near_tc_and_ab_temperature_dependence():
    # Δ ≈ 3.06 k_BT_c √(1 − t) near T_c (Tinkham 3.54): at t = 0.999 the O(1 − t) correction < 1 %
    tc = 9.2
    gap0 = 1.764 * k_B * tc
    assert bcs_gap_J(gap0, 0.999 * tc, tc) == pytest.approx(
        3.06 * k_B * tc * math.sqrt(0.001), rel=1e-2, abs=0)
    cold = josephson.Junction.from_material("Nb", resistance_ohm=1.0, capacitance_F=1e-12)
    warm = josephson.Junction.from_material("Nb", resistance_ohm=1.0, capacitance_F=1e-12,
                                            temperature_K=4.2)
    d = bcs_gap_J(gap0 * 1.3987e-3 * e / gap0, 4.2, tc)
    assert warm.characteristic_voltage_V == pytest.approx(
        math.pi * d / (2 * e) * math.tanh(d / (2 * k_B * 4.2)), rel=1e-12)
    assert warm.critical_current_A < cold.critical_current_A
    assert ambegaokar_baratoff_V(0.0, 1.0) == 0.0


def test_fraunhofer_zeros_and_maximum():
    flux = np.array([0.0, 1.0, 2.0, 0.5]) * PHI0
    ic = josephson.fraunhofer_critical_current(2e-6, flux)
    assert ic[0] == pytest.approx(2e-6, rel=1e-15) and ic[1] < 1e-20 and ic[2] < 1e-20
    assert ic[3] == pytest.approx(2e-6 * 2 / math.pi, rel=1e-14)


@pytest.mark.parametrize("kwargs,name", [
    (dict(critical_current_A=-1e-6, capacitance_F=1e-12, resistance_ohm=1.0), "critical_current_A"),
    (dict(critical_current_A=1e-6, capacitance_F=0.0, resistance_ohm=1.0), "capacitance_F"),
    (dict(critical_current_A=1e-6, capacitance_F=-1e-12, resistance_ohm=1.0), "capacitance_F"),
    (dict(critical_current_A=1e-6, capacitance_F=1e-12, resistance_ohm=float("nan")),
     "resistance_ohm"),
])
def test_bad_junction_parameters_name_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=name):
        josephson.Junction(**kwargs)


def test_from_material_needs_a_superconductor():
    with pytest.raises(ValueError, match="gap_meV"):
        josephson.Junction.from_material("hBN", resistance_ohm=1.0, capacitance_F=1e-12)


def test_every_submodule_is_reachable_as_an_attribute():
    """``josephson.<module>`` must work for every submodule (lazy import). Checked in a fresh
    interpreter: in this process other tests have already imported them."""
    import subprocess
    import sys
    names = ("junction", "rcsj", "escape", "sfq", "quantum", "slips", "washboard",
             "qdynamics", "integrator", "steppers")     # magnetic: now qtransport.devices
    code = ("from qtransport import josephson as j; "
            f"assert all(getattr(j, n).__name__ == 'qtransport.josephson.' + n for n in {names!r})")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    with pytest.raises(AttributeError, match="nope"):
        josephson.nope


def test_retrapping_current_of_an_underflowed_beta_c_is_the_critical_current():
    # β_c = 2π I_c R² C/Φ0 underflows to 0 for I_c = 1e-300 A: fully overdamped, I_r = I_c
    # (it divided by Q = 0)
    j = josephson.Junction(1e-300, 1e-21, 1e-6)
    assert j.stewart_mccumber == 0.0
    assert j.retrapping_current_A() == pytest.approx(1e-300, rel=1e-12, abs=0)
