"""Extraction of synapse parameters from hand-made device-response records."""
from __future__ import annotations

import math

import numpy as np
import pytest

from qtransport.devices.record import device_response
from qtransport.results import Result
from qtransport.synapse import PulseResponse
from qtransport.synapse.extract import (count_states, extract, extract_all, parameters_result)

P = 30


def _curves(a_ltp=10.0, a_ltd=20.0, n_dev=1, spread=0.0, seed=0):
    s = PulseResponse(1e-6, 1e-4, P, a_ltp, a_ltd)
    k = np.arange(P + 1)
    gain = 1.0 + spread * np.random.default_rng(seed).standard_normal((n_dev, 1))
    return s.conductance_ltp(k) * gain, s.conductance_after_ltd(k) * gain


def _record(family="floating_gate", **kw):
    ltp, ltd = _curves(**{k: kw.pop(k) for k in ("a_ltp", "a_ltd", "n_dev", "spread")
                          if k in kw})
    args = dict(weight_ltp=ltp, weight_ltd=ltd, event_energy_J=2e-15, write_time_s=2e-8,
                retention_s=3e4, read_noise_rel=0.0)
    args.update(kw)
    return device_response(family, **args)


def test_exact_curves_give_exact_parameters():
    p = extract(_record(), source="fg/device_response")
    assert p.family == "floating_gate" and p.weight_unit == "S"
    assert p.weight_min == pytest.approx(1e-6) and p.weight_max == pytest.approx(1e-4)
    assert p.on_off_ratio == pytest.approx(100.0)
    assert p.a_ltp == pytest.approx(10.0, rel=1e-6) and p.a_ltd == pytest.approx(20.0, rel=1e-6)
    assert p.a_over_p_ltp == pytest.approx(10.0 / P, rel=1e-6)
    assert p.n_states == P + 1              # no noise, one device: every level distinct
    assert p.c2c_rel is None and p.d2d_rel == 0.0
    assert (p.event_energy_J, p.write_time_s, p.retention_s) == (2e-15, 2e-8, 3e4)
    assert p.sources["a_ltd"] == "fg/device_response/weight_ltd_S"
    assert p.sources["c2c_rel"] == "not modelled"


def test_read_noise_and_d2d_spread_limit_the_states():
    quiet = extract(_record(read_noise_rel=0.0))
    noisy = extract(_record(read_noise_rel=0.05))
    spread = extract(_record(n_dev=16, spread=0.05))
    assert noisy.n_states < quiet.n_states and spread.n_states < quiet.n_states
    # d2d: relative std of the devices' ranges = the 5 % gain spread (16 draws: ±25 %)
    assert spread.d2d_rel == pytest.approx(0.05, rel=0.35)
    # the pulse-response fit sees the ensemble mean, so A is unchanged by a pure gain spread
    assert spread.a_ltp == pytest.approx(10.0, rel=1e-6)


def test_count_states_rule():
    # ±2σ windows: levels 1 apart with σ = 0.3 overlap (1 < 4σ); every other one is distinct
    assert count_states(np.arange(10.0), 0.3) == 5
    assert count_states(np.arange(10.0), 0.0) == 10
    assert count_states([0.0, 0.0, 1.0], 0.0) == 2


def test_cycle_to_cycle_from_cycles():
    ltp, ltd = _curves()
    steps = np.diff(ltp[0])
    rng = np.random.default_rng(5)
    cycles = np.array([np.concatenate([[ltp[0, 0]], ltp[0, 0] + np.cumsum(
        steps * (1 + 0.1 * rng.standard_normal(P)))]) for _ in range(200)])
    p = extract(device_response("filament", weight_ltp=ltp, weight_ltd=ltd, cycle_ltp=cycles,
                                event_energy_J=1e-15, write_time_s=1e-8, retention_s=math.inf))
    # 200 cycles: the std estimate of a 10 % step noise is good to ~5 %
    assert p.c2c_rel == pytest.approx(0.1, rel=0.1)
    assert p.retention_s == math.inf


def test_critical_current_weights_keep_their_unit():
    ltp, ltd = _curves()
    r = device_response("magnetic_josephson", weight_ltp=ltp * 0.3, weight_ltd=ltd * 0.3,
                        weight_unit="A", event_energy_J=3e-18, write_time_s=5e-11,
                        retention_s=math.inf)
    p = extract(r)
    assert p.weight_unit == "A" and p.weight_max == pytest.approx(3e-5)
    res = parameters_result(p)
    assert "weight_max_A" in res.data and res.units()["weight_max_A"] == "A"
    assert res.attrs["c2c_modelled"] is False and math.isnan(float(res.c2c_rel))


def test_unknown_family_and_wrong_kind():
    with pytest.raises(ValueError, match="unknown device family 'memristor'; known families: "
                                         "filament, floating_gate"):
        extract(_record(family="memristor"))
    with pytest.raises(ValueError, match="expected a 'device.response' result"):
        extract(Result("filament.conductance", {}, {"x": np.zeros(3)}))


def test_extract_all_keys_by_family_and_refuses_duplicates():
    recs = {"a/device_response": _record("filament"), "b/device_response": _record(),
            "a/other": Result("filament.conductance", {}, {"x": np.zeros(2)})}
    assert sorted(extract_all(recs)) == ["filament", "floating_gate"]
    recs["c/device_response"] = _record()
    with pytest.raises(ValueError, match="two device responses of family 'floating_gate'"):
        extract_all(recs)
