"""The josephson pipeline stage: results, device response, figures and summary at demo size."""
import numpy as np
import pytest

from qtransport.devices import record
from qtransport.workflows import pipeline
from qtransport.workflows.pipeline import StageContext
from qtransport.workflows.stages import josephson as stage


@pytest.fixture(scope="module")
def results():
    cfg = dict(stage.DEFAULTS, bias_points=31, ng_points=21, magnetic_pulses=20,
               magnetic_devices=3, sfq_inputs=7)
    return stage.run(StageContext(cfg))


def test_stage_results_and_device_response(results):
    d = results["device_response"]
    assert d.kind == record.DEVICE_RESPONSE_KIND and record.weight_unit(d) == "A"
    assert d.attrs["family"] == "magnetic_josephson"
    assert d.weight_ltp_A.shape == (3, 21)
    assert float(d.event_energy_J) < 10e-18
    iv = results["iv_shapiro"]
    n = iv.voltage_V / (2.067833848e-15 * iv.params["ac_frequency_Hz"])
    assert np.sum(np.abs(n - np.round(n)) < 1e-6) > 5
    assert results["sfq_slips"].attrs["count"] >= 3


def test_stage_figures_and_summary(results, tmp_path):
    paths = stage.figures(results, tmp_path)
    assert len(paths) == 5 and all(p.stat().st_size > 1000 for p in paths)
    text = "\n".join(stage.summary(results))
    assert "Shapiro" in text and "aJ" in text and "mesolve" in text


def test_stage_is_listed_before_synapse():
    assert "josephson" in pipeline.STAGES
    assert pipeline.STAGES.index("josephson") < pipeline.STAGES.index("synapse")
    assert pipeline.STAGES[-1] == "synapse"


def test_bad_preset_is_refused():
    with pytest.raises(ValueError, match="magnetic_preset"):
        stage.run(StageContext(dict(stage.DEFAULTS, magnetic_preset="nope")))
