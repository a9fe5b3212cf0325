"""The quantum_dot pipeline stage: physics calls, the family, figures, literature rows."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from qtransport.devices import DEVICE_RESPONSE_KIND
from qtransport.workflows import pipeline
from qtransport.workflows.stages import quantum_dot as stage
from qtransport.workflows.stages import synapse as synapse_stage

matplotlib.use("Agg")


def small_config(**over):
    return {**stage.DEFAULTS, "n_pulses": 8, "n_devices": 2, "n_cycles": 2,
            "diameters_nm": [2.5, 4.0, 8.0], "diamond_gate_points": 21,
            "diamond_bias_points": 15, "double_dot_gate_points": 11, **over}


@pytest.fixture(scope="module")
def results():
    return stage.run(pipeline.StageContext(small_config()))


def test_stage_registered_before_synapse():
    assert pipeline.STAGES.index("quantum_dot") < pipeline.STAGES.index("synapse")
    cfg = pipeline.parse_config('[quantum_dot]\npreset = "cnt"\n')
    assert cfg["quantum_dot"]["preset"] == "cnt"
    with pytest.raises(ValueError, match="quantum_dot.preset"):
        pipeline.parse_config('[quantum_dot]\npreset = "graphene"\n')
    with pytest.raises((ValueError, TypeError), match="quantum_dot.n_pulses"):
        pipeline.parse_config('[quantum_dot]\nn_pulses = 1\n')


def test_stage_results(results):
    rec = results["quantum_dot/device_response"]
    assert rec.kind == DEVICE_RESPONSE_KIND and rec.attrs["family"] == "quantum_dot"
    assert rec.weight_ltp_S.shape == (2, 9)
    assert {"quantum_dot_cnt/device_record", "quantum_dot_nanowire/device_record"} <= set(results)
    r = results["size_levels"]
    assert np.all(np.isfinite(r.measured_gap_eV))


def test_synapse_stage_lists_quantum_dot(results):
    ctx = pipeline.StageContext({**synapse_stage.DEFAULTS, "network": False},
                                {f"quantum_dot/{k}": v for k, v in results.items()})
    out = synapse_stage.run(ctx)
    assert "parameters/quantum_dot" in out
    assert "| quantum_dot (this run) |" in "\n".join(synapse_stage.summary(out))


def test_figures_and_summary(results, tmp_path):
    names = {p.name for p in stage.figures(results, tmp_path)}
    assert {"quantum_dot_levels.png", "quantum_dot_diamonds.png", "quantum_dot_staircase.png",
            "quantum_dot_programming.png", "quantum_dot_pulse_response.png",
            "quantum_dot_double_dot.png"} <= names
    text = "\n".join(stage.summary(results))
    assert "Yu et al. 2003" in text and "| BP QDs in PMMA (RRAM) | on/off | ~ 1e+07 |" in text
    assert "CoPc-functionalized InP nanowires" in text


def test_results_round_trip_through_hdf5(results, tmp_path):
    from qtransport import results as res
    path = tmp_path / "run.h5"
    res.save(path, {f"quantum_dot/{k}": v for k, v in results.items()})
    back = res.load(path)
    key = "quantum_dot/programming_qd_film"
    assert np.array_equal(back[key].trapped_fraction, results["programming_qd_film"]
                          .trapped_fraction)
