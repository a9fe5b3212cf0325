"""Network-level evaluation on scikit-learn's 8×8 digits (64 hidden units).

Targets (docs/validation.md, 5 seeds, measured on this machine): float ≥ 96.5 %;
16 levels per device ≥ 96 %; in-situ A/P = 1 with stochastic rounding ≥ 95 %; A/P = 0.3 is
reported, not gated. Per-seed spread is ~0.5 % (540 test images: one image = 0.19 %), so the
mean over 5 seeds is known to ~0.25 %; our measured means (97.5, 97.2, 96.6 %) clear the gates by
≥ 4 of those.
"""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from qtransport import synapse
from qtransport.synapse import network
from qtransport.synapse.models import network_model

SEEDS = range(5)


def _mean_accuracy(device, **kw):
    return float(np.mean([network.evaluate(device, seed=s, **kw).accuracy for s in SEEDS]))


@pytest.mark.slow
def test_float_and_sixteen_levels_meet_targets():
    assert _mean_accuracy(None) >= 0.965
    assert _mean_accuracy(network.levels_device(16), mode="ex_situ") >= 0.96


@pytest.mark.slow
def test_in_situ_a_over_p_one_with_stochastic_rounding():
    s = synapse.PulseResponse(1e-6, 1e-4, 64, 64.0, 64.0)
    assert _mean_accuracy(s) >= 0.95


def test_nonlinearity_and_deterministic_rounding_cost_accuracy():
    """One seed, 10 epochs: strong nonlinearity (A/P = 0.1) loses to A/P = 1, and deterministic
    rounding of sub-pulse updates (batch 10) stalls training (docs/validation.md)."""
    mild = synapse.PulseResponse(1e-6, 1e-4, 64, 64.0, 64.0)
    strong = synapse.PulseResponse(1e-6, 1e-4, 64, 6.4, 6.4)
    acc_mild = network.evaluate(mild, seed=0, epochs=10).accuracy
    assert network.evaluate(strong, seed=0, epochs=10).accuracy < acc_mild - 0.01
    assert network.evaluate(mild, seed=0, epochs=10,
                            stochastic_rounding=False).accuracy < acc_mild - 0.05


def test_energy_comes_from_the_ledger_and_runs_reproduce():
    s = synapse.PulseResponse(1e-6, 1e-4, 32, 32.0, 32.0)
    r1 = network.evaluate(s, seed=3, epochs=2, event_energy_J=2e-15)
    r2 = network.evaluate(s, seed=3, epochs=2, event_energy_J=2e-15)
    assert r1.accuracy == r2.accuracy and r1.write_pulses == r2.write_pulses > 0
    assert r1.training_energy_J == pytest.approx(r1.write_pulses * 2e-15, rel=1e-6, abs=0)
    assert r1.ledger.energy_J("write") == pytest.approx(r1.training_energy_J, rel=1e-6, abs=0)
    assert r1.levels == 33 and 0.0 <= r1.accuracy <= 1.0
    assert math.isnan(network.evaluate(s, seed=3, epochs=1).training_energy_J)


def test_variation_and_registered_model():
    r = network_model(g_min_S=1e-6, g_max_S=1e-4, n_pulses=32, a_ltp=32.0, a_ltd=32.0,
                      epochs=3, c2c_rel=0.2, d2d_rel=0.1, read_noise_rel=0.02,
                      event_energy_J=1e-15)
    assert 0.5 < float(r.accuracy) <= 1.0            # still learns with variation
    assert float(r.training_energy_J) == pytest.approx(float(r.write_pulses) * 1e-15, rel=1e-6, abs=0)
    base = network_model(device="float", epochs=3)
    assert math.isnan(float(base.training_energy_J)) and int(base.levels) == 0


def test_parameters_record_drives_the_network():
    from qtransport.devices.record import device_response
    from qtransport.synapse.extract import extract
    s = synapse.PulseResponse(1e-6, 1e-4, 32, 32.0, 32.0)
    k = np.arange(33)
    params = extract(device_response("floating_gate", weight_ltp=s.conductance_ltp(k),
                                     weight_ltd=s.conductance_after_ltd(k), event_energy_J=5e-15,
                                     write_time_s=1e-8, retention_s=1e4, read_noise_rel=0.01))
    r = network.evaluate(params, seed=0, epochs=2)
    assert r.training_energy_J == pytest.approx(r.write_pulses * 5e-15, rel=1e-6, abs=0)


def test_bad_network_input():
    with pytest.raises(ValueError, match="mode must be one of"):
        network.evaluate(None, mode="hybrid")
    with pytest.raises(TypeError, match="device must be a PulseResponse"):
        network.evaluate("filament")
    with pytest.raises(ValueError, match="c2c_rel must be >= 0"):
        network.evaluate(None, c2c_rel=-0.1)
    with pytest.raises(ValueError, match="levels must be >= 3"):
        network.levels_device(2)


def test_synapse_does_not_import_kwant_or_qutip():
    code = ("import sys, qtransport.synapse, qtransport.workflows.stages.synapse; "
            "bad = [m for m in ('kwant', 'qutip') if m in sys.modules]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_models_are_registered_with_schemas():
    from qtransport.workflows import catalog
    model = catalog.get_model("synapse.network")
    assert model.takes_seed and model.param("mode").choices == ("in_situ", "ex_situ")
    with pytest.raises(ValueError, match="mode must be one of"):
        model(mode="hybrid")
    curves = catalog.get_model("synapse.pulse_response")(g_min_S=1e-6, g_max_S=1e-4,
                                                         n_pulses=8, a_ltp=4.0, a_ltd=4.0)
    assert curves.conductance_ltp_S.shape == (9,) and curves.units()["conductance_ltp_S"] == "S"
    with pytest.raises(ValueError, match="g_min_S must be < g_max_S"):
        catalog.get_model("synapse.pulse_response")(g_min_S=1e-4, g_max_S=1e-6, n_pulses=8,
                                                    a_ltp=4.0, a_ltd=4.0)
    stp = catalog.get_model("synapse.stp")(utilization=0.2, tau_rec_s=0.05, tau_facil_s=0.5,
                                           intervals_s=np.geomspace(1e-3, 3.0, 30))
    assert float(stp.ppf_rms) < 1e-3


def test_lookup_table_device_trains_in_situ():
    s = synapse.PulseResponse(1e-6, 1e-4, 32, 32.0, 32.0)
    k = np.arange(33)
    table = synapse.LookupTableDevice.from_curves(s.conductance_ltp(k),
                                                  s.conductance_after_ltd(k))
    r = network.evaluate(table, seed=0, epochs=3, event_energy_J=1e-15)
    assert r.accuracy > 0.8 and r.training_energy_J == pytest.approx(r.write_pulses * 1e-15, rel=1e-6, abs=0)
    with pytest.raises(ValueError, match="device='lookup' needs lookup_g_S"):
        network_model(device="lookup")
