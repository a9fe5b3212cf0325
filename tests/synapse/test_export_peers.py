"""Exports checked against transcriptions of the peers' own update rules.

aihwkit (IBM/aihwkit), read at these commits:
  * src/aihwkit/simulator/configs/devices.py @ adbd978044b53133ff11e93b40a5f48cfc28a089
    (LinearStepDevice / SoftBoundsDevice keywords; SoftBoundsPmaxDevice.as_bindings)
  * src/rpucuda/rpu_pulsed_device.cpp @ 1df17450f9a0481e1e2a262fd90bad55c9b39a46
    (PulsedRPUDevice::populate: bounds, scale_up/scale_down from dw_min and up_down,
    enforce_consistency, "[w_min,w_max] needs to contain 0")
  * src/rpucuda/rpu_linearstep_device.cpp @ 2376df4cd0d425c19dfb4150c02a2b89fd83e0ef
    (LinearStepRPUDevice::populate: slopes; update_once_mult), and rpu_linearstep_device.h
    (SoftBoundsRPUDeviceMetaParameter: ls_decrease_up/down = 1, ls_mean_bound_reference = false)
NeuroSim (neurosim/MLP_NeuroSim_V3.0):
  * Cell.cpp @ 58a5f0ca7304367e628ebc5df0b44dfdef08867e (RealDevice::Write, nonlinearWrite)
  * formula.cpp @ 58a5f0ca7304367e628ebc5df0b44dfdef08867e (NonlinearWeight,
    InvNonlinearWeight, getParamA table)

The transcriptions below are written from those sources in Python for this test only; the
package never uses them. They run without the peers installed.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from qtransport.synapse import PulseResponse, export

# Agreement target: 1e-12 of the weight range. One pulse is a handful of flops in either code;
# after ~300 pulses the accumulated round-off is ~1e-14 of the range.
TOL = 1e-12


# -- aihwkit, transcribed ------------------------------------------------------------------------
class AihwkitDevice:
    """One aihwkit LinearStep/SoftBounds cross-point built from the exported keywords.

    Variation is switched off by the export (all *_dtod and dw_min_std are 0), so populate's
    Gaussian draws contribute exactly 0 and the device is deterministic.
    """

    def __init__(self, d: dict):
        d = dict(d)
        cls = d.pop("device")
        for key in ("dw_min_std", "dw_min_dtod", "up_down_dtod", "w_min_dtod", "w_max_dtod",
                    "write_noise_std"):
            assert d.pop(key) == 0.0, key
        assert d.pop("mult_noise") is True
        if cls == "SoftBoundsDevice":          # SoftBoundsRPUDeviceMetaParameter's fixed ls_*
            gamma_up = gamma_down = 1.0
            allow_increasing, mean_bound_reference = False, False
        else:
            assert cls == "LinearStepDevice"
            gamma_up, gamma_down = d.pop("gamma_up"), d.pop("gamma_down")
            assert d.pop("gamma_up_dtod") == 0.0 and d.pop("gamma_down_dtod") == 0.0
            allow_increasing = d.pop("allow_increasing")
            mean_bound_reference = d.pop("mean_bound_reference")
        dw_min, up_down, w_min, w_max = (d.pop(k) for k in ("dw_min", "up_down", "w_min",
                                                            "w_max"))
        assert not d, f"unexpected keywords {sorted(d)}"
        # PulsedRPUDevice::populate
        if w_min > 0.0 or w_max < 0.0:
            raise RuntimeError("The closed interval [w_min,w_max] needs to contain 0.")
        up_bias = 0.0 if up_down > 0.0 else up_down
        down_bias = -up_down if up_down > 0.0 else 0.0
        gain, r = 1.0, 0.0
        scale_up = (up_bias + gain + r) * dw_min
        scale_down = (down_bias + gain - r) * dw_min
        # enforce_consistency (default True)
        scale_up, scale_down = abs(scale_up), abs(scale_down)
        max_bound, min_bound = abs(w_max), -abs(w_min)
        # LinearStepRPUDevice::populate
        if not allow_increasing:
            gamma_up, gamma_down = abs(gamma_up), abs(gamma_down)
        w_ref_up = w_max if mean_bound_reference else max_bound
        w_ref_down = w_min if mean_bound_reference else min_bound
        self.slope_up = -gamma_up * scale_up / w_ref_up if w_ref_up != 0.0 else 0.0
        self.slope_down = -gamma_down * scale_down / w_ref_down if w_ref_down != 0.0 else 0.0
        self.scale_up, self.scale_down = scale_up, scale_down
        self.min_bound, self.max_bound = min_bound, max_bound

    def pulse(self, w: float, up: bool) -> float:
        """update_once_mult with dw_min_std = 0; aihwkit's sign > 0 is a *down* pulse."""
        if up:
            w += self.slope_up * w + self.scale_up
        else:
            w -= self.slope_down * w + self.scale_down
        return min(max(w, self.min_bound), self.max_bound)


def _random_device(rng, signed: bool) -> PulseResponse:
    def a_of(p):
        kind = rng.integers(4) if signed else rng.integers(3)
        if kind == 0:
            return math.inf
        if kind == 3:
            # anti-saturating: a step recursion amplifies the round-off of the start weight by
            # e^{P/|A|} (the curve runs away from its asymptote), so |P/A| <= 5 keeps a 1e-12
            # agreement meaningful; saturating curves contract errors and take any A
            return -p * 10 ** rng.uniform(-0.69, 1.3)
        return p * 10 ** rng.uniform(-1.3, 1.3)
    p_up, p_dn = int(rng.integers(5, 300)), int(rng.integers(5, 300))
    g0 = 10 ** rng.uniform(-7, -4)
    return PulseResponse(g0, g0 * 10 ** rng.uniform(0.1, 3), p_up, a_of(p_up), a_of(p_dn),
                         n_pulses_ltd=p_dn)


def _weights(s: PulseResponse, g, lo, hi):
    return lo + (hi - lo) * (np.asarray(g) - s.g_min_S) / s.range_S


def _check_curves(s, d, lo, hi, beyond: bool):
    dev = AihwkitDevice(d)
    span = hi - lo
    w, got = lo, [lo]
    for _ in range(s.n_ltp):
        w = dev.pulse(w, up=True)
        got.append(w)
    want = _weights(s, s.conductance_ltp(np.arange(s.n_ltp + 1)), lo, hi)
    assert np.max(np.abs(np.array(got) - want)) < TOL * span
    w, got = hi, [hi]
    for _ in range(s.n_ltd):
        w = dev.pulse(w, up=False)
        got.append(w)
    want = _weights(s, s.conductance_after_ltd(np.arange(s.n_ltd + 1)), lo, hi)
    assert np.max(np.abs(np.array(got) - want)) < TOL * span
    if beyond:      # hard bounds = curve ends: extra pulses saturate exactly like qtransport
        assert abs(dev.pulse(dev.pulse(hi, True), True) - hi) < TOL * span
        assert abs(dev.pulse(dev.pulse(lo, False), False) - lo) < TOL * span


def test_linear_step_export_reproduces_both_curves_pulse_by_pulse():
    rng = np.random.default_rng(14)
    for _ in range(150):
        s = _random_device(rng, signed=True)
        lo = -10 ** rng.uniform(-2, 1)
        hi = 10 ** rng.uniform(-2, 1)
        d = export.to_aihwkit(s, lo, hi)
        assert d["device"] == "LinearStepDevice"
        _check_curves(s, d, lo, hi, beyond=True)


def test_linear_step_export_follows_mixed_pulse_trains_from_any_state():
    """Any sequence of up/down pulses from any weight: same state-based rule as apply_pulses."""
    rng = np.random.default_rng(7)
    for _ in range(40):
        s = _random_device(rng, signed=True)
        lo, hi = -rng.uniform(0.1, 2), rng.uniform(0.1, 2)
        dev = AihwkitDevice(export.to_aihwkit(s, lo, hi))
        g = s.g_min_S + s.range_S * rng.uniform()
        w = float(_weights(s, g, lo, hi))
        for up in rng.uniform(size=200) < rng.uniform(0.2, 0.8):
            g = float(s.apply_pulses(np.array([g]), 1 if up else -1)[0])
            w = dev.pulse(w, bool(up))
            assert abs(w - _weights(s, g, lo, hi)) < TOL * (hi - lo)


def test_soft_bounds_export_for_ranges_without_zero():
    """range_min > 0 (or range_max < 0): SoftBoundsDevice, exact along both curves."""
    rng = np.random.default_rng(3)
    done = 0
    while done < 60:
        s = _random_device(rng, signed=False)
        if math.isinf(s.a_ltp) or math.isinf(s.a_ltd):
            with pytest.raises(ValueError, match="cannot represent"):
                export.to_aihwkit(s, 0.5, 1.5)
            continue
        lo = rng.uniform(0.0, 1.0) * rng.choice([-1, 1])
        lo, hi = (lo, lo + rng.uniform(0.1, 2)) if lo > 0 else (lo - rng.uniform(0.1, 2), lo)
        try:
            d = export.to_aihwkit(s, lo, hi)
        except ValueError as exc:        # asymptotes on one side of 0: aihwkit refuses it too
            assert "straddle 0" in str(exc)
            with pytest.raises(RuntimeError, match="needs to contain 0"):
                x_u, x_d = s.x_ltp, s.x_ltd
                AihwkitDevice({"device": "SoftBoundsDevice", "dw_min": 1e-3, "up_down": 0.0,
                               "w_min": hi - (hi - lo) / -math.expm1(-x_d),
                               "w_max": lo + (hi - lo) / -math.expm1(-x_u),
                               "dw_min_std": 0.0, "dw_min_dtod": 0.0, "up_down_dtod": 0.0,
                               "w_min_dtod": 0.0, "w_max_dtod": 0.0, "write_noise_std": 0.0,
                               "mult_noise": True})
            continue
        assert d["device"] == ("LinearStepDevice" if lo <= 0 <= hi else "SoftBoundsDevice")
        _check_curves(s, d, lo, hi, beyond=d["device"] == "LinearStepDevice")
        done += 1


def test_soft_bounds_export_on_the_default_range_matches_too():
    s = PulseResponse(1e-6, 1e-4, 97, 30.0, 12.0, n_pulses_ltd=100)
    _check_curves(s, export.to_aihwkit(s, device_class="SoftBoundsDevice"), -1.0, 1.0,
                  beyond=False)


def test_aihwkit_dict_holds_exactly_the_class_keywords():
    """Names of the aihwkit dataclass fields (devices.py @ adbd978): no stray keys."""
    pulsed = {"dw_min", "up_down", "w_min", "w_max", "dw_min_std", "dw_min_dtod",
              "up_down_dtod", "w_min_dtod", "w_max_dtod"}
    linear = pulsed | {"gamma_up", "gamma_down", "gamma_up_dtod", "gamma_down_dtod",
                       "allow_increasing", "mean_bound_reference", "mult_noise",
                       "write_noise_std"}
    soft = pulsed | {"mult_noise", "write_noise_std"}
    s = PulseResponse(1e-6, 1e-4, 64, 20.0, -40.0)
    d = export.to_aihwkit(s)
    assert d.pop("device") == "LinearStepDevice" and set(d) == linear
    assert d["allow_increasing"] is True          # the anti-saturating LTD needs it
    d = export.to_aihwkit(PulseResponse(1e-6, 1e-4, 64, 20.0, 20.0), 0.0, 1.0)
    assert d.pop("device") == "SoftBoundsDevice" and set(d) == soft


# -- NeuroSim, transcribed -------------------------------------------------------------------------
def neurosim_write(par: dict, g: float, num_pulse: int) -> float:
    """RealDevice::Write with nonlinearWrite, no cycle-to-cycle noise, integer numPulse."""
    g_max, g_min = par["maxConductance"], par["minConductance"]
    if num_pulse > 0:
        n, a = par["maxNumLevelLTP"], par["paramALTP"]
    else:
        n, a = par["maxNumLevelLTD"], par["paramALTD"]
    if math.isinf(a):
        x = (g - g_min) / (g_max - g_min) * n
        new = (x + num_pulse) / n * (g_max - g_min) + g_min
    else:
        b = (g_max - g_min) / (1 - math.exp(-n / a))
        x = -a * math.log(1 - (g - g_min) / b)                  # InvNonlinearWeight
        new = b * (1 - math.exp(-(x + num_pulse) / a)) + g_min    # NonlinearWeight
    return min(max(new, g_min), g_max)


def test_neurosim_export_reproduces_neurosims_write_rule():
    rng = np.random.default_rng(5)
    for _ in range(100):
        s = _random_device(rng, signed=True)
        par = export.to_neurosim(s)
        assert export.from_neurosim(par) == s
        g = s.g_min_S
        for k in range(1, s.n_ltp + 1):          # full LTP curve, one pulse per write
            g = neurosim_write(par, g, 1)
            assert abs(g - s.conductance_ltp(k)) < TOL * s.range_S
        g = s.g_max_S
        for k in range(1, s.n_ltd + 1):
            g = neurosim_write(par, g, -1)
            assert abs(g - s.conductance_after_ltd(k)) < TOL * s.range_S
        g = s.g_min_S + s.range_S * rng.uniform(0.05, 0.95)   # multi-pulse writes, any state
        for n in rng.integers(-12, 13, size=30):
            if n == 0:
                continue
            want = float(s.apply_pulses(np.array([g]), int(n))[0])
            g = neurosim_write(par, g, int(n))
            assert abs(g - want) < TOL * s.range_S


# getParamA's table (formula.cpp @ 58a5f0c): normalized A at NL labels, 6 printed digits for
# the first entries, 4 in documents/Nonlinearity-NormA.htm for the larger labels
NEUROSIM_TABLE = [(0.01, 126.268958, 1e-6), (0.02, 63.134314, 1e-6), (0.10, 12.625807, 1e-6),
                  (0.20, 6.311253, 1e-6), (0.50, 2.519877, 1e-6), (1.00, 1.251653, 2e-6),
                  (1.51, 0.8195, 1e-4), (3.01, 0.3853, 2e-4), (4.51, 0.2266, 3e-4),
                  (6.01, 0.1351, 4e-4), (7.51, 0.0702, 8e-4)]


@pytest.mark.parametrize("nl, norm_a, rtol", NEUROSIM_TABLE)
def test_neurosim_label_conversion_reproduces_the_table(nl, norm_a, rtol):
    # rtol = half a unit of the table's last printed digit, relative
    for sign in (1, -1):
        a = export.neurosim_nl_to_a(sign * nl, 100)
        assert a == pytest.approx(sign * norm_a * 100, rel=rtol)
        assert export.neurosim_a_to_nl(a, 100) == pytest.approx(sign * nl, rel=1e-9)


def test_neurosim_ag_asi_device_imports_exactly():
    """NeuroSim's RealDevice defaults: Ag:a-Si, 97 LTP / 100 LTD levels, NL 2.4 / -4.88."""
    par = {"maxConductance": 3.8462e-8, "minConductance": 3.0769e-9, "maxNumLevelLTP": 97,
           "maxNumLevelLTD": 100, "NL_LTP": 2.4, "NL_LTD": -4.88}
    s = export.from_neurosim(par)
    assert (s.n_ltp, s.n_ltd) == (97, 100)
    assert s.a_ltp > 0 and s.a_ltd > 0            # both saturating in qtransport's convention
    out = export.to_neurosim(s)
    assert out["NL_LTP"] == pytest.approx(2.4, rel=1e-9)
    assert out["NL_LTD"] == pytest.approx(-4.88, rel=1e-9)
    assert out["paramALTD"] == pytest.approx(-s.a_ltd)
    # the LTD curve really has 100 steps: forcing P = 100 on LTP would move it (issue 14: 0.7 %)
    forced = PulseResponse(s.g_min_S, s.g_max_S, 100, s.a_ltp * 100 / 97, s.a_ltd)
    k = np.arange(98)
    assert np.max(np.abs(forced.conductance_ltp(np.minimum(k, 100)) -
                         s.conductance_ltp(k))) > 1e-3 * s.range_S
    with pytest.raises(ValueError, match="missing NeuroSim keys"):
        export.from_neurosim({"maxConductance": 1e-6})
