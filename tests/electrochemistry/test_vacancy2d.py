"""2-D vacancy memristor: exact two-state kinetics, sampling statistics, Kwant limits, family."""
import math

import numpy as np
import pytest

from qtransport import G0, devices
from qtransport.constants import thermal_energy_eV
from qtransport.electrochemistry import vacancy2d as v
from qtransport.tight_binding.filament import wire_mode_count
from qtransport.tight_binding.lattice import HBAR2_OVER_2ME_EV_NM2

LAYER = v.layer_parameters("MoS2")


def test_propagator_limits_semigroup_and_detailed_balance():
    kf, ke = v.fill_rates(LAYER, 0.4)
    p_eq = kf / (kf + ke)
    assert v.fill_probability(LAYER, 0.4, 0.0, 1) == 1.0
    assert v.fill_probability(LAYER, 0.4, 1e6 / (kf + ke), 0) == pytest.approx(p_eq, rel=1e-12)
    # Markov semigroup: t1 then t2 equals t1 + t2 (exact algebra, rounding only)
    p1 = v.fill_probability(LAYER, 0.4, 1e-3, 0)
    two = p1 * v.fill_probability(LAYER, 0.4, 2e-3, 1) + (1 - p1) * v.fill_probability(
        LAYER, 0.4, 2e-3, 0)
    assert two == pytest.approx(v.fill_probability(LAYER, 0.4, 3e-3, 0), rel=1e-12)
    # field-lowered Arrhenius: k_fill/k_empty = exp((ΔE + 2 λ e V)/k_BT)
    kt = thermal_energy_eV(LAYER.temperature_K)
    for volts in (-0.5, 0.0, 0.3):
        kf, ke = v.fill_rates(LAYER, volts)
        assert kf / ke == pytest.approx(math.exp((LAYER.binding_eV + 2 * LAYER.field_fraction
                                                  * volts) / kt), rel=1e-12)


def test_sampled_filling_follows_the_exact_probability():
    layer = v.layer_parameters("MoS2", patch_sites=12, n_vacancies=144)
    states = v.sample_pulses(layer, [0.45] * 3, [1e-3] * 3, np.zeros(144, np.int8), seed=4)
    for k in range(1, 4):
        # independent sites from the same previous state: binomial statistics
        for prev in (0, 1):
            mask = states[k - 1] == prev
            if mask.sum() < 20:
                continue
            p = v.fill_probability(layer, 0.45, 1e-3, prev)
            frac = states[k][mask].mean()
            assert abs(frac - p) < 4 * math.sqrt(p * (1 - p) / mask.sum()) + 1e-12
    again = v.sample_pulses(layer, [0.45] * 3, [1e-3] * 3, np.zeros(144, np.int8), seed=4)
    np.testing.assert_array_equal(states, again)


def test_conductance_limits():
    # filled everywhere with t_s = t_m: the uniform metal wire, G = its mode count
    t_m = LAYER.metal_hopping_eV
    m_uniform = HBAR2_OVER_2ME_EV_NM2 / (t_m * LAYER.spacing_nm ** 2)
    uniform = v.VacancyLayer(patch_sites=4, n_vacancies=16, effective_mass=m_uniform)
    assert uniform.layer_hopping_eV == pytest.approx(t_m, rel=1e-6)
    everywhere = [(x, y) for x in range(4) for y in range(4)]
    modes = float(wire_mode_count(4, np.array([6 * t_m]), 3, t_m)[0])
    assert v.layer_conductance(uniform, everywhere) == pytest.approx(modes, abs=1e-4)
    # the empty layer is a tunneling barrier: G falls by orders of magnitude per plane
    g = [v.layer_conductance(v.VacancyLayer(patch_sites=4, n_planes=k)) for k in (1, 2, 3)]
    assert g[0] > 10 * g[1] > 100 * g[2]
    # every filled vacancy adds a conducting column: the ladder of levels rises
    r = v.pulse_train(patch_sites=4, n_vacancies=3, n_pulses=2)
    assert np.all(np.diff(r.levels_G0) > 0) and r.levels_G0[0] < 1e-2


def test_family_record_and_errors():
    fam = devices.get("vacancy_2d")(patch_sites=4, n_vacancies=3, n_devices=2, n_cycles=1,
                                    n_pulses=3)
    out = fam.results(seed=1)
    rec = out["device_response"]
    # the record copies the device's computed curve (same array, no recomputation): equal to
    # round-off at most
    np.testing.assert_allclose(rec.weight_ltp_S[1], out["vacancy_device_1"].conductance_S[:4],
                               rtol=1e-15, atol=0)
    assert float(rec.retention_s) == pytest.approx(1 / v.fill_rates(LAYER, 0.0)[1], rel=1e-12)
    assert fam.response(seed=1) == rec
    with pytest.raises(ValueError, match="n_vacancies"):
        v.VacancyLayer(patch_sites=2, n_vacancies=5)
    with pytest.raises(ValueError, match="vacancy-memristor parameters"):
        v.layer_parameters("Ag")
    with pytest.raises(ValueError, match="reset_voltage_V"):
        devices.get("vacancy_2d")(reset_voltage_V=1.0)


def test_cold_site_keeps_its_state_when_both_rates_underflow():
    """At 1 K both Arrhenius rates (barriers ~1 eV: e^-11600) are 0 in double precision; the
    exact propagator then leaves the site as it was (it divided 0/0 before), and a pulse train
    of the registered model switches nothing."""
    from dataclasses import replace
    cold = replace(LAYER, temperature_K=1.0)
    assert v.fill_rates(cold, 0.4) == (0.0, 0.0)
    assert v.fill_probability(cold, 0.4, 1e-3, 1) == 1.0
    assert v.fill_probability(cold, 0.4, 1e-3, 0) == 0.0
    from qtransport import registry
    from qtransport.workflows import catalog
    catalog.load_all()
    r = registry.get("vacancy2d.pulse_train")(temperature_K=1.0)
    assert np.all(r.data["filled"] == r.data["filled"][0])
