"""The spintronic pipeline stage: physics calls, both families, figures, table rows."""
from __future__ import annotations

import matplotlib
import pytest

from qtransport.devices import DEVICE_RESPONSE_KIND
from qtransport.workflows import pipeline
from qtransport.workflows.stages import spintronic as stage
from qtransport.workflows.stages import synapse as synapse_stage

matplotlib.use("Agg")


def small_config(**over):
    return {**stage.DEFAULTS, "n_pulses": 5, "n_notches": 5, "n_devices": 2, "n_cycles": 2,
            "tmr_biases_V": [0.01, 0.3], "compare_barrier": "", **over}


@pytest.fixture(scope="module")
def results():
    return stage.run(pipeline.StageContext(small_config()))


def test_stage_registered_before_synapse():
    assert pipeline.STAGES.index("spintronic") < pipeline.STAGES.index("synapse")
    assert pipeline.default_config()["spintronic"]["barrier"] == "MgO"


def test_stage_hands_both_device_responses(results):
    for fam in ("domain_wall", "skyrmion"):
        rec = results[f"{fam}/device_response"]
        assert rec.kind == DEVICE_RESPONSE_KIND and rec.attrs["family"] == fam
        assert rec.weight_ltp_S.shape == (2, 6)
    r = results["mtj_tmr_MgO"]
    assert r.tmr[1] < r.tmr[0]


def test_synapse_table_lists_spintronic_rows_beside_literature(results):
    ctx = pipeline.StageContext({**synapse_stage.DEFAULTS, "network": False},
                                {f"spintronic/{k}": v for k, v in results.items()})
    out = synapse_stage.run(ctx)
    assert {"parameters/domain_wall", "parameters/skyrmion"} <= set(out)
    table = "\n".join(synapse_stage.summary(out))
    assert "| domain_wall (this run) |" in table and "| skyrmion (this run) |" in table
    assert "| skyrmion synapse [" in table and "89 %" in table
    assert "> 93 %" in table and "≥ 1 pJ" in table


def test_figures_and_summary(results, tmp_path):
    names = {p.name for p in stage.figures(results, tmp_path)}
    assert {"spintronic_tmr_vs_bias.png", "spintronic_wall_velocity.png",
            "spintronic_wall_position.png", "spintronic_conductance_vs_pulse.png",
            "spintronic_skyrmion_counts.png"} <= names
    lines = stage.summary(results)
    assert any(ln.startswith("- domain_wall (MgO read") for ln in lines)
    assert any("Siddiqui" in ln for ln in lines)


@pytest.mark.parametrize("key, value, match", [
    ("barrier", "SiO2", "spintronic.barrier"), ("n_pulses", 1, "spintronic.n_pulses"),
    ("temperature_K", 0.0, "spintronic.temperature_K")])
def test_bad_config_names_the_key(key, value, match):
    with pytest.raises(ValueError, match=match):
        stage.validate(small_config(**{key: value}))
