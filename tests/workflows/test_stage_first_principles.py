"""The first_principles pipeline stage: cached-DFT chains, figures and summary lines."""
from __future__ import annotations

import matplotlib
import pytest

from qtransport.workflows import pipeline
from qtransport.workflows.stages import first_principles as stage

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def results():
    # two break-junction gaps (one series) keep the stage test short (each gap ~10 s)
    cfg = {**stage.DEFAULTS, "elements": ["Ag", "C"], "hbn_n_energies": 21,
           "break_junction_gaps": [2.0, 4.0], "break_junction_gaps_no_ghosts": []}
    return stage.run(pipeline.StageContext(cfg))


def test_stage_is_in_the_pipeline():
    assert "first_principles" in pipeline.STAGES
    assert pipeline.default_config()["first_principles"]["elements"] == ["Au", "Ag", "Cu", "C"]


def test_chain_conductances_are_integers(results):
    assert float(results["chain_Ag"].conductance_G0[0]) == pytest.approx(1.0, abs=1e-8)
    assert float(results["chain_C"].conductance_G0[0]) == pytest.approx(2.0, abs=1e-8)


def test_figures_and_summary(results, tmp_path):
    paths = stage.figures(results, tmp_path)
    assert any("chain_bands" in p.name for p in paths)
    lines = stage.summary(results)
    assert len(lines) == 5 and "G(E_F) = 1.000000000 G0" in lines[0]
    assert any("hbn_kappa" in p.name for p in paths) and "h-BN" in lines[2]
    assert any("break_junction" in p.name for p in paths)
    assert "break junction" in lines[3] and "vacuum 2κ" in lines[4]


def test_bad_config_names_the_key():
    with pytest.raises(ValueError, match="first_principles.elements"):
        stage.validate({**stage.DEFAULTS, "elements": ["Fe"]})
