"""Filament device family: record built from the Kwant growth curves, variation, energy, errors."""
import math

import numpy as np
import pytest

from qtransport import G0, devices
from qtransport.devices.filament import FilamentSwitch, pulse_energy_J
from qtransport.devices.record import DEVICE_RESPONSE_KIND
from qtransport.electrochemistry import ecm as _ecm


@pytest.fixture(scope="module")
def clean():
    """2x2 cross-section without disorder: every device is the same device."""
    return FilamentSwitch(kinetics="atom_per_pulse", max_width_atoms=2, n_devices=2, n_cycles=2,
                          disorder_eV=0.0, pulse_voltage_V=0.2, pulse_width_s=5e-9
                          ).results(seed=0)


def test_record_is_the_growth_levels_in_siemens(clean):
    rec = clean["device_response"]
    assert rec.kind == DEVICE_RESPONSE_KIND and rec.attrs["family"] == "filament"
    np.testing.assert_array_equal(rec.weight_ltp_S[1], clean["growth_device_1"].conductance_G0 * G0)
    np.testing.assert_array_equal(rec.weight_ltd_S, rec.weight_ltp_S[:, ::-1])
    assert rec.weight_ltp_S.shape == (2, 4) and rec.cycle_ltp_S.shape == (2, 4)
    # Joule energy of one pulse at the mean potentiation conductance, recomputed by hand
    g = np.concatenate([clean[f"growth_device_{i}"].conductance_G0 for i in (0, 1)]) * G0
    assert float(rec.event_energy_J) == pytest.approx(0.2 ** 2 * g.mean() * 5e-9, rel=1e-12, abs=0)
    assert float(rec.write_time_s) == 5e-9 and math.isinf(float(rec.retention_s))


def test_no_disorder_means_no_device_or_cycle_variation(clean):
    rec = clean["device_response"]
    # same Hamiltonian, same solver: bit-identical rows
    np.testing.assert_array_equal(rec.weight_ltp_S[0], rec.weight_ltp_S[1])
    # every random compact order of a 2x2 cross-section is a rotation/reflection of the compact
    # one, so the levels agree up to the rounding of differently ordered sparse solves
    np.testing.assert_allclose(rec.cycle_ltp_S, rec.weight_ltp_S, rtol=1e-9)


def test_disorder_spreads_devices_and_the_map_does_not_matter():
    family = devices.get("filament")(kinetics="atom_per_pulse", max_width_atoms=2,
                                     n_devices=2, n_cycles=0)
    out = family.results(seed=3)
    assert "cycle_ltp_S" not in out["device_response"].data
    assert not np.allclose(out["growth_device_0"].conductance_G0,
                           out["growth_device_1"].conductance_G0)
    def backwards(function, calls):
        return [function(**c) for c in calls[::-1]][::-1]
    assert family.response(seed=3, map=backwards) == out["device_response"]


def test_bad_parameters_are_named():
    with pytest.raises(ValueError, match="max_width_atoms"):
        FilamentSwitch(max_width_atoms=1)
    with pytest.raises(ValueError, match="Xx"):
        FilamentSwitch(material="Xx")
    with pytest.raises(TypeError, match="width_atoms"):
        FilamentSwitch(width_atoms=3)
    with pytest.raises(ValueError, match="pulse_voltage_V"):
        pulse_energy_J([1e-4], 0.0, 1e-9)
    with pytest.raises(ValueError, match="kinetics"):
        FilamentSwitch(kinetics="magic")
    with pytest.raises(ValueError, match="reset_voltage_V"):
        FilamentSwitch(reset_voltage_V=0.5)


@pytest.fixture(scope="module")
def kmc():
    family = FilamentSwitch(max_width_atoms=3, n_devices=2, n_cycles=2, n_pulses=4,
                            pulse_voltage_V=2.5, pulse_width_s=1e-3)
    return family, family.results(seed=0)


def test_kmc_record_is_the_read_conductance_of_each_pulse(kmc):
    family, out = kmc
    rec = out["device_response"]
    assert rec.weight_ltp_S.shape == (2, 5) and rec.cycle_ltp_S.shape == (2, 5)
    for i in (0, 1):
        train = out[f"kmc_device_{i}"]
        np.testing.assert_array_equal(rec.weight_ltp_S[i], train.conductance_S[:5])
        np.testing.assert_array_equal(rec.weight_ltd_S[i], train.conductance_S[4:])
    # energy: mean of the KMC pulse integrals of V I dt; retention: the KMC contact lifetime
    energies = np.concatenate([out[f"kmc_device_{i}"].energy_J[1:] for i in (0, 1)])
    assert float(rec.event_energy_J) == pytest.approx(energies.mean(), rel=1e-12, abs=0)
    assert float(rec.retention_s) == pytest.approx(
        float(out["kmc_retention"].mean_time_s[0]), rel=1e-12)
    assert np.isfinite(float(rec.retention_s))
    # same seed: bit-identical record
    assert family.response(seed=0) == rec
    # c2c: the cycles are device 0 (its disorder realization) on other KMC paths
    for c in (0, 1):
        cyc = out[f"kmc_cycle_{c}"]
        assert cyc.params["disorder_seed"] == out["kmc_device_0"].params["disorder_seed"]
        assert cyc.params["seed"] != out["kmc_device_0"].params["seed"]
        for occ, g in zip(cyc.occupations, cyc.conductance_G0):
            if g > 0:      # the recorded level is the Kwant G of device 0's disorder
                assert g == pytest.approx(_ecm.configuration_conductance(
                    occ, disorder_eV=family.params["disorder_eV"], seed=0), abs=1e-10)


def test_kmc_pulse_amplitude_and_width_change_the_states(kmc):
    _, out = kmc
    strong = out["device_response"].weight_ltp_S
    weak = FilamentSwitch(max_width_atoms=3, n_devices=2, n_cycles=0, n_pulses=4,
                          pulse_voltage_V=1.0, pulse_width_s=1e-3).response(seed=0).weight_ltp_S
    short = FilamentSwitch(max_width_atoms=3, n_devices=2, n_cycles=0, n_pulses=4,
                           pulse_voltage_V=2.5, pulse_width_s=1e-6).response(seed=0).weight_ltp_S
    # 2.5 V / 1 ms pulses bridge the gap (≥ 1 G0 reached); 1 V or 1 µs pulses leave a
    # tunneling gap (read conductance far below G0): the switching time grows exponentially
    # as the voltage drops (tested in tests/electrochemistry)
    assert strong.max() > 0.3 * G0
    assert weak.max() < 1e-2 * G0 and short.max() < 1e-2 * G0


def test_kmc_default_reset_is_incremental_and_a_strong_reset_is_one_pulse(kmc):
    """Default RESET −1.5 V / 10 µs (the reverse bias acts through the drop at the neck): the
    first RESET pulse leaves a thinner contact (a level between the SET state and the gap) in
    at least one device (scattering field: device 0) before the gap opens; −2 V / 100 µs opens
    the gap on the first RESET pulse."""
    family, out = kmc
    assert family.params["reset_voltage_V"] == -1.5 and family.params["reset_width_s"] == 1e-5
    ltd = out["device_response"].weight_ltd_S
    assert np.all(ltd[:, 0] > 0.3 * G0)                       # SET reached contact
    levels = [np.unique(np.round(row[row > 0.1 * G0] / G0, 6)).size for row in ltd]
    assert max(levels) >= 2                                   # ≥ 2 contact levels on the way down
    # and the gap at the end (the stump left on the active electrode reads by tunneling)
    assert all(out[f"kmc_device_{i}"].gap_columns[-1] > 0 for i in (0, 1))
    strong = FilamentSwitch(max_width_atoms=3, n_devices=2, n_cycles=0, n_pulses=4,
                            pulse_voltage_V=2.5, pulse_width_s=1e-3, reset_voltage_V=-2.0,
                            reset_width_s=1e-4).results(seed=0)
    assert np.all(strong["device_response"].weight_ltd_S[:, 0] > 0.3 * G0)
    # the first RESET pulse opens a gap in every device (what is left is the stump on the
    # active electrode, read by tunneling across the gap)
    for i in (0, 1):
        assert strong[f"kmc_device_{i}"].gap_columns[5] > 0
