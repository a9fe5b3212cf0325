"""Magnetic-cluster Josephson synapse family: presets, threshold model, I_c law, variation."""
import math

import numpy as np
import pytest

from qtransport import devices
from qtransport.devices import magnetic_josephson as magnetic
from qtransport.devices import record


@pytest.mark.parametrize("preset", list(magnetic.PRESETS))
def test_presets_in_published_ranges(preset):
    r = magnetic.training(n_pulses=60, n_devices=4, preset=preset, seed=1)
    assert float(r.spiking_energy_J) < 1e-18                  # < 1 aJ per spike
    assert float(r.plasma_frequency_min_Hz) > 100e9           # > 100 GHz
    assert 0.1e-18 < float(r.training_energy_J) < 10e-18      # aJ-scale training pulses
    syn = magnetic.PRESETS[preset]
    ltp, ltd = r.ic_ltp_A, r.ic_ltd_A
    assert np.all(ltp[:, 0] == pytest.approx(syn.ic_max_A * syn.ordered_ratio))
    assert np.all(ltp[:, -1] > ltp[:, 0] + 0.3 * (syn.ic_max_A - ltp[:, 0]))   # potentiation
    assert np.all(ltd[:, -1] < ltd[:, 0] - 0.2 * (ltd[:, 0] - ltp[:, 0]))     # depression
    assert not np.allclose(ltp[0], ltp[1])                    # device-to-device variation


def test_mean_order_follows_the_threshold_model():
    """Ordering from m0: ⟨m_k⟩ = 1 − (1 − m0)·... per active cluster: E[s_k] → 1 − 2(1−p)^k·P(s=−1).
    Starting disordered, ⟨m⟩ after k pulses = f_a(1 − (1 − p)^k) with f_a the active fraction
    (mean of the initial random signs ~ 0). 64 devices × 400 clusters: std of the mean ≈ 0.003."""
    syn = magnetic.PRESETS["schneider2018"]
    energy = magnetic.pulse_energy_J(syn)
    from scipy.stats import norm
    active = norm.cdf(math.log(energy / syn.threshold_energy_J) / syn.threshold_spread)
    order = magnetic.train(syn, 30, mode="order", initial="disordered", n_devices=64, seed=3)
    k = np.arange(31)
    expected = active * (1 - (1 - syn.flip_probability) ** k)
    np.testing.assert_allclose(order.mean(axis=0), expected, atol=0.015)


def test_replaceable_ic_model_and_device_response():
    linear = lambda m, r: 1 - (1 - r) * np.abs(m)     # noqa: E731
    r = magnetic.training(n_pulses=10, n_devices=2, ic_model=linear)
    assert r.attrs["ic_model"] == "<lambda>"
    d = magnetic.device_response(r)
    assert record.weight_unit(d) == "A" and d.weight_ltp_A.shape == (2, 11)
    assert d.attrs["family"] == "magnetic_josephson"


def test_bad_synapse_parameters():
    with pytest.raises(ValueError, match="ic_max_A"):
        magnetic.ClusterSynapse(ic_max_A=-1.0)
    with pytest.raises(ValueError, match="pulse_current_A"):
        magnetic.ClusterSynapse(pulse_current_A=50e-6)


def test_cycles_share_one_device_and_differ_only_by_random_flips():
    """Cycle-to-cycle variation: every cycle of device 0 starts from the same ordered state and
    differs only by the random flips of each pulse, so cycles spread (std > 0)."""
    r = magnetic.training(n_pulses=30, n_devices=8, seed=3, n_cycles=8)
    cyc = r.ic_cycle_ltp_A
    assert cyc.shape == (8, 31)
    np.testing.assert_array_equal(cyc[:, 0], cyc[0, 0])
    assert np.std(cyc[:, -1]) > 0
    assert np.all(np.diff(cyc.mean(axis=0)) >= -0.02 * cyc.max())   # LTP: I_c rises on average
    # one device drawn once: for a single row both ways draw the same random numbers
    syn = magnetic.PRESETS["schneider2018"]
    e = magnetic.pulse_energy_J(syn)
    args = dict(mode="disorder", initial="ordered", n_devices=1, seed=1, energy_J=e)
    np.testing.assert_array_equal(magnetic.train(syn, 5, **args),
                                  magnetic.train(syn, 5, same_device=True, **args))
    assert magnetic.device_response(r).cycle_ltp_A.shape == (8, 31)


def test_family_record_equals_the_registered_training_model():
    from qtransport.workflows.catalog import get_model
    family = devices.get("magnetic_josephson")(n_pulses=12, n_devices=3, n_cycles=2)
    out = family.results(seed=5)
    model = get_model("magnetic_josephson.training")(n_pulses=12, n_devices=3, n_cycles=2,
                                                      seed=5)
    assert out["magnetic_training"] == model
    assert out["device_response"] == magnetic.device_response(model) == family.response(seed=5)
    rec = out["device_response"]
    assert record.weight_unit(rec) == "A" and rec.cycle_ltp_A.shape == (2, 13)
    assert float(rec.event_energy_J) == float(model.training_energy_J)
    assert math.isinf(float(rec.retention_s))


def test_family_refuses_bad_parameters_by_name():
    with pytest.raises(ValueError, match="preset"):
        magnetic.MagneticJosephsonSynapse(preset="nope")
    with pytest.raises(ValueError, match="n_pulses"):
        magnetic.MagneticJosephsonSynapse(n_pulses=1)
