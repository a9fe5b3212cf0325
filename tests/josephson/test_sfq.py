"""SFQ neuron: threshold, firing rate, energy per spike, pulse area."""
import numpy as np
import pytest

from qtransport.constants import PHI0
from qtransport.josephson import sfq, slips


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


def test_firing_rate_window_convergence():
    """Rates from whole slip periods do not carry the ±1-spike partial-cycle error of a count:
    the half-window and full-window rates agree, and a 4× longer window agrees within that
    reported estimate (plus the RK4 error, ≲ 1e-6 relative)."""
    n = sfq.SFQNeuron()
    inputs = np.array([1.3, 2.0, 3.0]) * n.threshold_input_A
    r = sfq.firing_rate(inputs, duration_s=2e-9)
    long = sfq.firing_rate(inputs, duration_s=8e-9)
    est = r.attrs["rate_window_error_Hz"]
    assert est < 1e-3 * r.rate_Hz.min()
    np.testing.assert_allclose(r.rate_Hz, long.rate_Hz, atol=2 * est + 1e-6 * r.rate_Hz.max())
    # the plain count per window would be off by up to 1/window
    assert np.all(np.abs(r.spikes / 2e-9 - long.rate_Hz) <= 1 / 2e-9)


def test_window_estimate_of_a_few_spike_window_is_the_count_error():
    """Two spikes in 200 ps are a plain count (fewer than 3 crossings): the rate is 13 % off
    the converged one (1.1457e10 Hz over 2 ns), and the estimate must say so (it said 8 Hz:
    both halves were counts of the same spacing); a long window keeps its small estimate."""
    n = sfq.SFQNeuron()
    short = sfq.firing_rate(np.array([15e-6]), duration_s=200e-12, neuron=n)
    converged = sfq.firing_rate(np.array([15e-6]), duration_s=2e-9, neuron=n)
    error = abs(short.rate_Hz[0] - converged.rate_Hz[0])
    assert error > 0.05 * converged.rate_Hz[0]
    assert short.attrs["rate_window_error_Hz"] >= error
    assert converged.attrs["rate_window_error_Hz"] < 1e-3 * converged.rate_Hz[0]
