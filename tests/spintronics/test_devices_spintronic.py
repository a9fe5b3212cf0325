"""Domain-wall and skyrmion device families: records, MTJ read, seeds, energies."""
import math

import numpy as np
import pytest

from qtransport import devices
from qtransport.constants import nm
from qtransport.devices import spintronic as sd
from qtransport.spintronics import domain_wall as dw
from qtransport.spintronics.mtj import cofeb_mtj
from qtransport.synapse import extract

DW_SMALL = dict(n_pulses=6, n_notches=6, n_devices=2, n_cycles=2, dt_s=2e-11)
SK_SMALL = dict(n_pulses=10, n_devices=3, n_cycles=3)


@pytest.fixture(scope="module")
def dw_record():
    return sd.DomainWallSynapse(**DW_SMALL).response(seed=1)


def test_families_are_registered():
    assert {"domain_wall", "skyrmion"} <= set(devices.names())
    assert devices.get("domain_wall") is sd.DomainWallSynapse
    assert devices.get("skyrmion") is sd.SkyrmionSynapse


def test_domain_wall_record_reads_the_wall_through_the_mtj(dw_record):
    r = dw_record
    assert r.kind == devices.DEVICE_RESPONSE_KIND and r.attrs["family"] == "domain_wall"
    assert r.weight_ltp_S.shape == (2, 7) and r.cycle_ltp_S.shape == (2, 7)
    m = cofeb_mtj("MgO", 1.2, read_bias_V=0.1)
    L = float(r.track_length_m)
    area = L * 100 * nm
    gp, gap = m.conductance_per_area("P") * area, m.conductance_per_area("AP") * area
    assert float(r.conductance_P_S) == pytest.approx(gp, rel=1e-12)
    x = np.clip(r.wall_position_ltp_m / L, 0, 1)
    np.testing.assert_allclose(r.weight_ltp_S, x * gp + (1 - x) * gap, rtol=1e-12)
    # starts at the first notch, ends in [0, L]; LTP moves forward, LTD back on average
    assert np.all(r.wall_position_ltp_m[:, 0] == 0.0)
    assert np.all((r.wall_position_ltp_m >= 0) & (r.wall_position_ltp_m <= L))
    assert np.all(r.wall_position_ltp_m[:, -1] > 0.5 * L)
    assert np.all(r.wall_position_ltd_m[:, -1] < r.wall_position_ltd_m[:, 0])
    p = extract.extract(r)
    assert p.on_off_ratio > 1 and p.write_time_s == pytest.approx(8e-9, rel=1e-6, abs=0)


def test_domain_wall_drive_and_energy_follow_the_documented_rules(dw_record):
    fam = sd.DomainWallSynapse(**DW_SMALL)
    wp = fam.wall()
    J, s = fam.drive()
    jd = sd.depinning_current(wp, 800.0)
    assert abs(J) == pytest.approx(1.5 * jd, rel=1e-12)
    assert 0.5 * math.pi * abs(float(wp.spin_hall_field(jd))) == pytest.approx(800.0, rel=1e-12)
    assert s == pytest.approx(abs(float(dw.sot_dmi_velocity(wp, J))) * 8e-9, rel=1e-12, abs=0)
    assert np.sign(dw.sot_dmi_velocity(wp, J)) > 0          # potentiation moves +q
    r = dw_record
    assert float(r.event_energy_J) == pytest.approx(
        float(r.write_current_A) ** 2 * float(r.write_resistance_ohm) * 8e-9, rel=1e-12, abs=0)


def test_domain_wall_same_seed_identical(dw_record):
    again = sd.DomainWallSynapse(**DW_SMALL).response(seed=1)
    np.testing.assert_array_equal(again.weight_ltp_S, dw_record.weight_ltp_S)
    np.testing.assert_array_equal(again.cycle_ltp_S, dw_record.cycle_ltp_S)


def test_skyrmion_record_counts_and_read():
    fam = sd.SkyrmionSynapse(**SK_SMALL)
    r = fam.response(seed=4)
    assert r.count_ltp.dtype == np.int64 and r.count_ltp.shape == (3, 11)
    assert np.all(r.count_ltp >= 0) and np.all(r.count_ltp <= 16)
    # default drive: f0 e^{−E_n/kT} n t_p = 1, so p_n = 1 − e^{−1/n} per pulse
    assert float(r.nucleation_probability) == pytest.approx(-math.expm1(-1 / 10), rel=1e-9)
    gap = float(r.conductance_AP_S)
    np.testing.assert_allclose(r.weight_ltp_S, gap + r.count_ltp *
                               float(r.conductance_per_skyrmion_S), rtol=1e-12)
    assert np.array_equal(r.count_ltd[:, 0], r.count_ltp[:, -1])
    skp = fam.skyrmion()
    assert abs(math.tan(math.radians(float(r.hall_angle_deg)))) == pytest.approx(
        abs(skp.gyro) / (skp.damping * skp.dissipation), rel=1e-12)
    again = sd.SkyrmionSynapse(**SK_SMALL).response(seed=4)
    np.testing.assert_array_equal(again.count_ltp, r.count_ltp)
    np.testing.assert_array_equal(again.count_cycles, r.count_cycles)
    other = sd.SkyrmionSynapse(**SK_SMALL).response(seed=5)
    assert not np.array_equal(other.count_ltp, r.count_ltp)


@pytest.mark.parametrize("family, key, value, match", [
    (sd.DomainWallSynapse, "n_notches", 0, "n_notches"),
    (sd.DomainWallSynapse, "dt_s", 1e-6, "dt_s"),
    (sd.DomainWallSynapse, "barrier", "SiO2", "barrier"),
    (sd.SkyrmionSynapse, "n_sites", 10**6, "n_sites"),
    (sd.SkyrmionSynapse, "temperature_K", 0.0, "temperature_K")])
def test_bad_parameters_name_themselves(family, key, value, match):
    with pytest.raises((ValueError, TypeError), match=match):
        family(**{key: value})


def test_domain_wall_simulation_is_reused_across_read_barriers(dw_record):
    # the stage reads one wall simulation through both barriers: it must be the record a
    # fresh response gives (same seed -> bit-identical is the contract, hence ==)
    wall_sim = sd.DomainWallSynapse(**DW_SMALL).simulate(1)
    other = sd.DomainWallSynapse(**DW_SMALL, barrier="Al2O3")
    assert sd.DomainWallSynapse(**DW_SMALL).response(seed=1, simulation=wall_sim) == dw_record
    reused = other.response(seed=1, simulation=wall_sim)
    np.testing.assert_array_equal(reused.wall_position_ltp_m, dw_record.wall_position_ltp_m)
    assert float(reused.tmr) != float(dw_record.tmr)           # read through the other barrier
    # a simulation of other wall parameters or another seed is refused
    for fam, seed in ((sd.DomainWallSynapse(**dict(DW_SMALL, n_notches=5)), 1),
                      (other, 2)):
        with pytest.raises(ValueError, match="simulation"):
            fam.response(seed=seed, simulation=wall_sim)
