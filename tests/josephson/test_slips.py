"""The one 2π-slip counting rule (forward minus backward) on SFQ neurons and RCSJ traces.

The slip count is a net number of windings: φ falling through its levels (negative drive) slips
backwards. The SFQ neuron used to count only forward crossings, so a negative drive fell back to
the plain count per window (0.5-3 % off, energy per spike NaN) and traces counted no slips.
"""
import math

import numpy as np

from qtransport.constants import PHI0
from qtransport.josephson import Junction, rcsj, sfq, slips


def _mirror_neurons():
    n = sfq.SFQNeuron()
    return n, sfq.SFQNeuron(bias_A=-n.bias_A)


def test_negative_drive_fires_the_mirror_spike_train():
    """I → −I, φ → −φ, j → −j maps the neuron's equations onto themselves, so the neuron biased
    at −I_b fed −I_in fires the mirror train: spikes and rate change sign, |spikes|, energy per
    spike and the window estimate are equal. The mirror run does the same float operations on
    negated numbers (sin is odd), so it agrees to round-off; rtol 1e-12 allows for a libm whose
    sin is not exactly odd."""
    pos, neg = _mirror_neurons()
    x = np.array([0.5, 1.3, 2.0, 3.0]) * pos.threshold_input_A
    a = sfq.firing_rate(x, duration_s=1e-9, neuron=pos)
    b = sfq.firing_rate(-x, duration_s=1e-9, neuron=neg)
    assert a.spikes.tolist() == (-b.spikes).tolist()            # integer counts
    assert a.spikes[0] == 0 and np.all(a.spikes[1:] >= 3)
    np.testing.assert_allclose(b.rate_Hz, -a.rate_Hz, rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(b.energy_per_spike_J[1:], a.energy_per_spike_J[1:], rtol=1e-12)
    assert np.all(b.energy_per_spike_J[1:] > 0)
    assert b.attrs["rate_window_error_Hz"] < 1e-3 * np.abs(b.rate_Hz[1:]).min()
    # the traces' slips: −count, pulses of area −Φ0 and a negative peak voltage
    res = pos.junction.resistance_ohm
    up = sfq.spike_train(2.0 * pos.threshold_input_A, 300e-12, neuron=pos)
    down = sfq.spike_train(-2.0 * pos.threshold_input_A, 300e-12, neuron=neg)
    su = slips.phase_slips(up.time_s, up.phase, up.voltage_V, resistance_ohm=res)
    sd = slips.phase_slips(down.time_s, down.phase, down.voltage_V, resistance_ohm=res)
    assert su.attrs["count"] >= 3 and sd.attrs["count"] == -su.attrs["count"]
    assert sd.attrs["backward"] == su.attrs["forward"] and sd.attrs["forward"] == 0
    np.testing.assert_allclose(sd.area_Wb[1:], -PHI0, rtol=1e-5)   # as the forward pulses
    np.testing.assert_allclose(sd.peak_V, -su.peak_V, rtol=1e-12)


def _trapezoid_tolerance(t, v, a, b, area):
    """Error allowance of the trapezoid rule for ∫_a^b V dt on the samples (Δt apart).

    Composite rule: error ∝ Δt², so the rule on every second sample is off by 4× as much and
    (T(2Δt) − T(Δt))/3 estimates the error of T(Δt) (Richardson); ×2 for the asymptotic ratio
    not being reached. The partial intervals at a and b take V linearly interpolated: ≤ Δt³
    max|V''|/8 each, max|V''| from the samples' second differences."""
    coarse = slips._segment_integral(t[::2], v[::2], a, b)
    dt = float(np.max(np.diff(t)))
    v2 = float(np.max(np.abs(np.diff(v, 2)))) / dt**2
    return 2.0 * abs(coarse - area) / 3.0 + 2.0 * dt**3 * v2 / 8.0


def _check_josephson_relation(tr_time, tr_phase, tr_volt, resistance):
    """∫V dt between the first and the last slip = Φ0 × the net slips in between."""
    s = slips.phase_slips(tr_time, tr_phase, tr_volt, resistance_ohm=resistance)
    a, b = s.slip_time_s[0], s.slip_time_s[-1]
    net = int(s.direction[1:].sum())
    area = float(s.area_Wb[1:].sum())               # trapezoid of the pulses between a and b
    tol = _trapezoid_tolerance(tr_time, tr_volt, a, b, area)
    assert abs(area - PHI0 * net) <= tol, (area / PHI0, net, tol / PHI0)
    assert tol < 1e-3 * PHI0                         # far below one slip: a miscount shows
    # the whole trace: what is left after the last slip is less than one slip either way
    phase_left = (tr_phase[-1] - tr_phase[0]) / (2 * math.pi) - s.attrs["count"]
    assert abs(phase_left) < 1.0
    return s


def test_slip_count_is_the_voltage_integral_over_phi0():
    """Josephson relation ∫V dt = Φ0 × (net slips), on traces slipping forward, backward and both
    ways: an RCSJ at negative DC bias, the SFQ neuron at negative drive, and a junction driven by
    I_ac sin ωt with a small DC part (slips back and forth every drive period). Tolerance: the
    trapezoid rule's error estimated from the samples (measured errors 1e-6-2e-5 Φ0, 2-8× below
    the allowance)."""
    j = Junction(critical_current_A=100e-6, capacitance_F=0.1e-12, resistance_ohm=2.0)
    tr = rcsj.simulate(j, bias_A=-150e-6, duration_s=200e-12)
    s = _check_josephson_relation(tr.time_s, tr.phase, tr.voltage_V, 2.0)
    assert s.attrs["count"] <= -5 and s.attrs["forward"] == 0
    neuron = sfq.SFQNeuron(bias_A=-0.7 * 32e-6)
    trace = sfq.spike_train(-3 * neuron.junction.critical_current_A, 200e-12, neuron=neuron)
    s = _check_josephson_relation(trace.time_s, trace.phase, trace.voltage_V,
                                  neuron.junction.resistance_ohm)
    assert s.attrs["count"] <= -3
    f = 0.1 * j.characteristic_voltage_V / PHI0        # drive at 0.1 of the Josephson frequency
    driven = rcsj.simulate(j, bias_A=-20e-6, duration_s=5 / f, ac_amplitude_A=300e-6,
                           ac_frequency_Hz=f)
    s = _check_josephson_relation(driven.time_s, driven.phase, driven.voltage_V, 2.0)
    assert s.attrs["forward"] >= 5 and s.attrs["backward"] >= 5
    assert s.attrs["count"] == s.attrs["forward"] - s.attrs["backward"]


def test_trace_slips_count_jitter_across_a_level_once():
    """A phase that crosses a level back and forth (noise, ringing) completes one slip there, not
    one per crossing; falling back through the level it came from is a backward slip.
    φ = 2π(1.3 sin 2πt + 0.1 sin 60πt) on 0 ≤ t ≤ 0.85: up through 2π, down through 0 and
    −2π, the jitter (slope 6π levels per unit t, more than the main swing's 2.6π) crossing each
    of those levels 3 to 6 times; V = (Φ0/2π) φ̇."""
    t = np.linspace(0.0, 0.85, 8501)
    phi = 2 * math.pi * (1.3 * np.sin(2 * math.pi * t) + 0.1 * np.sin(60 * math.pi * t))
    volt = PHI0 * (2.6 * math.pi * np.cos(2 * math.pi * t) + 6 * math.pi * np.cos(60 * math.pi * t))
    times, direction = slips.signed_slips(t, phi, volt)
    assert direction.tolist() == [1, -1, -1]
    crossings = np.count_nonzero(np.diff(np.floor(phi / (2 * math.pi))))
    assert crossings >= 9                        # the jitter did cross each level repeatedly
    # completion = the first time each level is reached from the side of the slip
    t_up = t[np.argmax(phi >= 2 * math.pi)]
    first = [t_up, t[np.argmax((t > t_up) & (phi <= 0.0))], t[np.argmax(phi <= -2 * math.pi)]]
    np.testing.assert_allclose(times, first, atol=t[1] - t[0])
