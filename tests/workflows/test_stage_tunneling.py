"""The tunneling pipeline stage at reduced size: results, device response, figures, summary."""
import numpy as np
import pytest

from qtransport.devices.record import DEVICE_RESPONSE_KIND
from qtransport.workflows.pipeline import STAGES, StageContext, parse_config
from qtransport.workflows.stages import tunneling as stage

SMALL = """
[tunneling]
energies_eV = {start = 0.01, stop = 2.0, num = 60}
max_layers = 3
iv_bias_V = {start = -0.5, stop = 0.5, num = 11}
n_energies = 400
fn_layers = 3
fn_bias_V = {start = 0.05, stop = 3.0, num = 24}
fg_tunnel_layers = 14
fg_n_pulses = 6
fg_devices = 2
"""


@pytest.fixture(scope="module")
def results():
    cfg = parse_config(SMALL)["tunneling"]
    return stage.run(StageContext(cfg))


def test_stage_is_registered_after_filament():
    # the pipeline runs physics stages before the synapse stage reads their device records
    assert STAGES.index("filament") < STAGES.index("tunneling") < STAGES.index("synapse")
    assert STAGES[-1] == "synapse"


def test_stage_results_and_device_response(results):
    assert {"transmission_1L", "transmission_3L", "iv_2L", "fn", "resistance_area",
            "floating_gate", "device_response"} <= set(results)
    t1, t3 = results["transmission_1L"].transmission, results["transmission_3L"].transmission
    # more layers transmit less below the barrier top (tunneling); above it (E > E_F + 1.5 eV)
    # over-barrier resonances of the thicker stack may exceed the thinner one
    from qtransport.tight_binding.tunneling import hbn_barrier
    below = results["transmission_1L"].energies_eV < hbn_barrier(1).layers[0].height_eV
    assert below.sum() > 40 and np.all(t3[below] < t1[below])
    dr = results["device_response"]
    assert dr.kind == DEVICE_RESPONSE_KIND and dr.attrs["family"] == "floating_gate"
    assert dr.weight_ltp_S.shape == (2, 7)
    assert np.all(np.diff(dr.weight_ltp_S, axis=1) > 0)
    assert np.all(np.diff(dr.weight_ltd_S, axis=1) < 0)


def test_stage_figures_and_summary(results, tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    paths = stage.figures(results, tmp_path)
    assert {p.name for p in paths} == {"tunneling_transmission.png", "tunneling_jv.png",
                                       "tunneling_fn.png", "tunneling_floating_gate.png"}
    assert all(p.stat().st_size > 1000 for p in paths)
    text = "\n".join(stage.summary(results))
    assert "WKB" in text and "floating gate" in text and "mV/dec" in text
    assert "read at V_G = -0.30 V" in text and "on/off" in text


def test_bad_config_names_the_key():
    with pytest.raises(TypeError, match="tunneling.max_layers"):
        parse_config("[tunneling]\nmax_layers = 'six'\n")


def test_floating_gate_demo_defaults_match_the_model():
    from qtransport.devices import floating_gate as fg
    d = stage.DEFAULTS
    assert (d["fg_pulse_amplitude_V"], d["fg_pulse_width_s"], d["fg_n_pulses"],
            d["fg_read_gate_V"]) == (fg.DEMO_PULSE_AMPLITUDE_V, fg.DEMO_PULSE_WIDTH_S,
                                     fg.DEMO_N_PULSES, fg.DEMO_READ_GATE_V)
