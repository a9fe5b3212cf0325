"""FeFET and FTJ device families: the device-response record and what the synapse layer reads."""
import math

import numpy as np
import pytest

from qtransport import devices
from qtransport.constants import eps0, nm
from qtransport.devices import ferroelectric as fd
from qtransport.ferroelectric import switching as sw
from qtransport.synapse import extract

SMALL = dict(n_pulses=8, n_devices=3, n_cycles=3, n_domains=400, conditioning_cycles=1)


@pytest.fixture(scope="module", params=["fefet", "ftj"])
def family(request):
    return devices.get(request.param)


def test_families_are_registered():
    assert {"fefet", "ftj"} <= set(devices.names())
    assert devices.get("fefet") is fd.FeFETSynapse and devices.get("ftj") is fd.FTJSynapse


@pytest.mark.parametrize("scheme", ["identical", "incremental"])
def test_response_is_a_device_record_the_synapse_layer_reads(family, scheme):
    rec = family(scheme=scheme, **SMALL).response(seed=3)
    assert rec.kind == devices.DEVICE_RESPONSE_KIND and rec.attrs["family"] == family.name
    assert rec.weight_ltp_S.shape == (3, 9) and rec.cycle_ltp_S.shape == (3, 9)
    p = extract.extract(rec)
    assert p.n_pulses == 8 and p.c2c_rel is not None and p.d2d_rel > 0
    assert p.weight_max > p.weight_min > 0 and math.isinf(p.retention_s)
    assert p.write_time_s == pytest.approx(1e-7, rel=1e-6, abs=0)
    # LTP raises the polarization monotonically (mean field would be strictly monotone;
    # stochastic regions only ever switch towards the pulse direction)
    P = rec.polarization_ltp_C_per_m2
    assert np.all(np.diff(P, axis=1) >= 0) and np.all(np.diff(rec.polarization_ltd_C_per_m2,
                                                              axis=1) <= 0)
    if scheme == "incremental":
        np.testing.assert_allclose(np.diff(np.abs(rec.pulse_ltp_V)), np.diff(
            np.abs(rec.pulse_ltp_V))[0], rtol=1e-12)


def test_same_seed_is_bit_identical_and_seeds_differ(family):
    a = family(**SMALL).response(seed=1)
    b = family(**SMALL).response(seed=1)
    c = family(**SMALL).response(seed=2)
    np.testing.assert_array_equal(a.weight_ltp_S, b.weight_ltp_S)
    np.testing.assert_array_equal(a.cycle_ltp_S, b.cycle_ltp_S)
    assert not np.array_equal(a.weight_ltp_S, c.weight_ltp_S)


def test_fefet_weight_is_the_channel_conductance_of_the_polarization():
    fam = fd.FeFETSynapse(**SMALL)
    rec = fam.response(seed=0)
    stack = fam.stack()
    np.testing.assert_allclose(rec.weight_ltp_S, stack.conductance(
        fam.params["read_gate_V"], rec.polarization_ltp_C_per_m2), rtol=1e-12)
    # energy: C A V² + |ΔP| A |V| per pulse, averaged (recomputed here from the record)
    A = stack.area_m2
    dp = np.concatenate([np.abs(np.diff(rec.polarization_ltp_C_per_m2, axis=1)).mean(axis=0),
                         np.abs(np.diff(rec.polarization_ltd_C_per_m2, axis=1)).mean(axis=0)])
    v = np.abs(np.concatenate([rec.pulse_ltp_V, rec.pulse_ltd_V]))
    expect = np.mean(stack.capacitance_F_per_m2 * A * v**2 + dp * A * v)
    assert float(rec.event_energy_J) == pytest.approx(expect, rel=1e-12, abs=0)
    assert float(rec.ideal_memory_window_V) == pytest.approx(
        2 * 0.16 * 10 * nm / (eps0 * 30.0), rel=1e-12)


def test_ftj_weight_is_the_area_mixture_of_the_two_polarization_states():
    fam = fd.FTJSynapse(**SMALL)
    rec = fam.response(seed=0)
    g_up, g_dn = float(rec.conductance_up_S), float(rec.conductance_down_S)
    q = 0.5 * (1 + rec.polarization_ltp_C_per_m2 / 0.16)
    np.testing.assert_allclose(rec.weight_ltp_S, q * g_up + (1 - q) * g_dn, rtol=1e-12)
    lo, hi = min(g_up, g_dn), max(g_up, g_dn)
    assert np.all(rec.weight_ltp_S >= lo * (1 - 1e-12)) and np.all(
        rec.weight_ltp_S <= hi * (1 + 1e-12))
    assert float(rec.ter) == pytest.approx(hi / lo - 1, rel=1e-12)


def test_default_trains_follow_the_documented_rules():
    hzo = sw.hzo_switching()
    amp, step = fd.default_amplitudes(hzo, 10.0, "identical", 32, 1e-7)
    assert amp == pytest.approx(sw.merz_field(hzo, 32e-7) * 10 * nm) and step == 0
    amp, step = fd.default_amplitudes(hzo, 10.0, "incremental", 32, 1e-7)
    e = sw.merz_field(hzo, 1e-7) * 10 * nm
    assert amp == pytest.approx(e * math.exp(-0.3))
    assert amp + 31 * step == pytest.approx(e * math.exp(0.3))


@pytest.mark.parametrize("scheme", ["identical", "incremental"])
def test_fefet_film_sees_the_gate_voltage_minus_flatband_like_an_ftj_of_that_voltage(scheme):
    # E = (V_G - V_FB)/t_FE during a FeFET write, E = V/d in the FTJ: the same film (same
    # thickness, regions and seed) driven by FTJ pulses V_G - V_FB must switch identically,
    # region for region (the same NLS arithmetic, so to round-off)
    common = dict(scheme=scheme, n_domains=40, n_devices=2, n_cycles=2)
    fefet = devices.get("fefet")(fe_thickness_nm=10.0, **common)
    ftj = devices.get("ftj")(barrier_thickness_nm=10.0, **common)
    v_fb = fefet.write_offset_V()
    assert v_fb == pytest.approx(0.3, abs=1e-9)       # W(TiN) 4.6 eV - chi(a-IGZO) 4.3 eV
    ltp, ltd = fefet.trains(sw.hzo_switching())
    ftj_ltp, ftj_ltd = ftj.trains(sw.hzo_switching())
    np.testing.assert_allclose(ltp - v_fb, ftj_ltp, rtol=1e-12)   # default: the film sees ±E
    np.testing.assert_allclose(ltd - v_fb, ftj_ltd, rtol=1e-12)
    a, b = fefet.simulate(seed=5), ftj.simulate(seed=5)
    for key in ("P_ltp", "P_ltd", "P_cycles"):
        np.testing.assert_allclose(a[key], b[key], rtol=0, atol=1e-12 * 0.2)
    # an explicit amplitude is the gate pulse itself (±A), and the film sees A - V_FB: with no
    # conditioning cycle the LTP train starts from the same state in both, so the FeFET's LTP
    # curve is the FTJ's of amplitude A - V_FB
    amp, fresh = 1.2, {**common, "conditioning_cycles": 0}
    a = devices.get("fefet")(fe_thickness_nm=10.0, amplitude_V=amp, step_V=0.01,
                             **fresh).simulate(seed=5)
    b = devices.get("ftj")(barrier_thickness_nm=10.0, amplitude_V=amp - v_fb, step_V=0.01,
                           **fresh).simulate(seed=5)
    np.testing.assert_allclose(a["ltp_V"], np.asarray(b["ltp_V"]) + v_fb, rtol=1e-12)
    np.testing.assert_allclose(a["ltd_V"], -a["ltp_V"], rtol=1e-12)
    np.testing.assert_allclose(a["P_ltp"], b["P_ltp"], rtol=0, atol=1e-12 * 0.2)


def test_domain_count_follows_area_and_grain_size():
    assert fd.FeFETSynapse(width_um=1.0, length_um=1.0).n_domains() == 2500
    assert fd.FeFETSynapse(n_domains=7).n_domains() == 7


@pytest.mark.parametrize("kwargs, match", [
    ({"scheme": "random"}, "scheme"), ({"n_pulses": 1}, "n_pulses"),
    ({"pulse_width_s": 0.0}, "pulse_width_s"), ({"amplitude_V": -1.0}, "amplitude_V"),
    ({"colour": 1}, "colour"), ({"n_cycles": 1}, "n_cycles")])
def test_bad_parameters_name_themselves(family, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        family(**kwargs)


def test_registered_models_run_and_make_sense():
    from qtransport.workflows import catalog
    names = catalog.model_names()
    for m in ("ferroelectric.switched_fraction", "ferroelectric.pe_loop",
              "ferroelectric.ftj_ter", "ferroelectric.fefet_transfer"):
        assert m in names
    sf = catalog.run_model("ferroelectric.switched_fraction",
                           {"n_pulses": 10, "n_domains": 200, "amplitudes_V": [1.0, 1.2]})
    f = sf.switched_fraction
    assert np.all(np.diff(f, axis=1) > 0) and np.all(f[1, 1:] > f[0, 1:])
    ter = catalog.run_model("ferroelectric.ftj_ter", {"n_polarizations": 3})
    assert abs(ter.ter[0]) < 1e-12 and ter.ter[-1] > ter.ter[1] > 0
    loop = catalog.run_model("ferroelectric.pe_loop", {"n_steps": 40, "n_domains": 200})
    assert np.max(loop.polarization_C_per_m2) > 0.16
    tr = catalog.run_model("ferroelectric.fefet_transfer", {"n_steps": 40})
    assert tr.drain_current_A.shape == (5, 801)
    with pytest.raises(ValueError, match="n_pulses"):
        catalog.run_model("ferroelectric.switched_fraction", {"n_pulses": 0})
