"""Magnetic-cluster synapse and SFQ neuron."""
import math

import numpy as np
import pytest

from qtransport import device
from qtransport.constants import PHI0
from qtransport.josephson import magnetic, sfq, slips


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
    assert device.weight_unit(d) == "A" and d.weight_ltp_A.shape == (2, 11)
    assert d.attrs["family"] == "magnetic_josephson"


def test_bad_synapse_parameters():
    with pytest.raises(ValueError, match="ic_max_A"):
        magnetic.ClusterSynapse(ic_max_A=-1.0)
    with pytest.raises(ValueError, match="pulse_current_A"):
        magnetic.ClusterSynapse(pulse_current_A=50e-6)


def test_sfq_neuron_threshold_rate_energy_and_pulse_area():
    """No spikes below I_c − I_b; above it the rate rises monotonically; every spike draws ≈ the
    source energy I_total Φ0 (energy balance over whole cycles; 1 ns windows hold ≥ 3 spikes so
    the partial-cycle error is ≲ 1/spikes ≈ 3 %... bound 5 %); each SFQ pulse has area Φ0."""
    n = sfq.SFQNeuron()
    inputs = np.array([0.5, 0.9, 1.3, 2.0, 3.0]) * n.threshold_input_A
    r = sfq.firing_rate(inputs, duration_s=1e-9)
    assert np.all(r.spikes[:2] == 0) and np.all(r.spikes[2:] >= 3)
    assert np.all(np.diff(r.rate_Hz[2:]) > 0)
    np.testing.assert_allclose(r.energy_per_spike_J[2:], (n.bias_A + inputs[2:]) * PHI0,
                               rtol=0.05)
    tr = sfq.spike_train(2.0 * n.threshold_input_A, duration_s=300e-12)
    s = slips.phase_slips(tr.time_s, tr.phase, tr.voltage_V,
                          resistance_ohm=n.junction.resistance_ohm)
    assert s.attrs["count"] >= 3
    np.testing.assert_allclose(s.area_Wb[1:], PHI0, rtol=1e-5)


def test_spike_train_input_is_checked():
    with pytest.raises(TypeError, match="input_A"):
        sfq.spike_train([20e-6, 30e-6], duration_s=10e-12)
    with pytest.raises(ValueError, match="input_A"):
        sfq.spike_train(float("nan"), duration_s=10e-12)


def test_cycles_share_one_device_and_differ_only_by_random_flips():
    """Cycle-to-cycle variation: every cycle of device 0 starts from the same ordered state and
    differs only by the random flips of each pulse, so cycles spread (std > 0)."""
    import numpy as np
    from qtransport.josephson import magnetic
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
