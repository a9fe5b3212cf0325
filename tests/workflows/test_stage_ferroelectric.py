"""The ferroelectric pipeline stage: physics calls, both families, figures, synapse-table rows."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from qtransport.devices import DEVICE_RESPONSE_KIND
from qtransport.workflows import pipeline
from qtransport.workflows.stages import ferroelectric as stage
from qtransport.workflows.stages import synapse as synapse_stage

matplotlib.use("Agg")


def small_config(**over):
    return {**stage.DEFAULTS, "n_pulses": 8, "n_devices": 3, "n_cycles": 3, "loop_n_steps": 40,
            "amplitudes_V": [1.0, 1.2], "width_um": 0.4, "length_um": 0.4, **over}


@pytest.fixture(scope="module")
def results():
    return stage.run(pipeline.StageContext(small_config()))


def test_stage_registered_before_synapse():
    assert "ferroelectric" in pipeline.STAGES
    assert pipeline.STAGES.index("ferroelectric") < pipeline.STAGES.index("synapse")
    assert pipeline.default_config()["ferroelectric"]["scheme"] == "identical"


def test_stage_hands_both_device_responses(results):
    for fam in ("fefet", "ftj"):
        rec = results[f"{fam}/device_response"]
        assert rec.kind == DEVICE_RESPONSE_KIND and rec.attrs["family"] == fam
        assert rec.weight_ltp_S.shape == (3, 9) and rec.params["scheme"] == "identical"
        other = results[f"{fam}_incremental/device_record"]
        assert other.params["scheme"] == "incremental"
    # the grain count follows the device area: 0.16 µm² / (20 nm)² = 400 regions
    assert int(results["fefet/device_response"].n_domains) == 400
    loop = results["pe_loop"]
    zero = np.flatnonzero(loop.field_V_per_m == 0.0)
    np.testing.assert_allclose(loop.polarization_C_per_m2[zero], [0.16, -0.16], rtol=1e-12)
    assert abs(float(results["ftj_ter"].ter[0])) < 1e-12


def test_synapse_stage_lists_fefet_and_ftj(results):
    ctx = pipeline.StageContext({**synapse_stage.DEFAULTS, "network": False},
                                {f"ferroelectric/{k}": v for k, v in results.items()})
    out = synapse_stage.run(ctx)
    assert {"parameters/fefet", "parameters/ftj"} <= set(out)
    table = "\n".join(synapse_stage.summary(out))
    assert "| fefet (this run) |" in table and "| ftj (this run) |" in table
    assert "| FeFET synapse [" in table and "84 %" in table
    header = next(ln for ln in table.splitlines() if ln.startswith("| device"))
    row = next(ln for ln in table.splitlines() if ln.startswith("| fefet"))
    assert header.count("|") == row.count("|") and "c2c" in header


def test_figures_and_summary(results, tmp_path):
    paths = stage.figures(results, tmp_path)
    names = {p.name for p in paths}
    assert {"ferroelectric_pe_loop.png", "ferroelectric_switched_fraction.png",
            "ferroelectric_fefet_transfer.png", "ferroelectric_ftj_ter.png",
            "ferroelectric_pulse_response.png"} <= names
    assert all(p.stat().st_size > 0 for p in paths)
    lines = stage.summary(results)
    assert any("fefet (identical" in ln for ln in lines)
    assert any("ftj_incremental (incremental" in ln for ln in lines)


@pytest.mark.parametrize("key, value, match", [
    ("scheme", "random", "ferroelectric.scheme"), ("n_pulses", 1, "ferroelectric.n_pulses"),
    ("pulse_width_s", 0.0, "ferroelectric.pulse_width_s")])
def test_bad_config_names_the_key(key, value, match):
    with pytest.raises(ValueError, match=match):
        stage.validate(small_config(**{key: value}))
