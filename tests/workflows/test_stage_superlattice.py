"""The superlattice pipeline stage: results, device response, figures, report lines."""
import numpy as np

from qtransport.devices.record import DEVICE_RESPONSE_KIND
from qtransport.workflows import catalog, pipeline
from qtransport.workflows.pipeline import StageContext
from qtransport.workflows.stages import Grid
from qtransport.workflows.stages import superlattice as stage


def small_config():
    cfg = dict(stage.DEFAULTS)
    cfg.update(ingao3_m_values=[2, 3], transmission_periods=[3, 5],
               transmission_energies_eV=Grid(0.001, 0.6, 300),
               sp_fermi_energies_eV=Grid(-0.05, 0.1, 4),
               ppf_intervals_s=[0.1, 1.0, 10.0], n_pulses=6, n_devices=3,
               retention_window_s=1000.0)
    return cfg


def test_stage_registered_and_ordered():
    assert "superlattice" in pipeline.STAGES
    assert pipeline.STAGES[-1] == "synapse"
    assert pipeline.STAGES.index("superlattice") > pipeline.STAGES.index("filament")
    names = catalog.model_names()
    for model in ("superlattice.minibands", "superlattice.transmission",
                  "superlattice.ingao3_zno", "schrodinger_poisson.ingao3_zno",
                  "photonic.pulse_train"):
        assert model in names


def test_stage_runs_and_hands_a_device_response(tmp_path):
    results = stage.run(StageContext(small_config()))
    rec = results["device_response"]
    assert rec.kind == DEVICE_RESPONSE_KIND and rec.attrs["family"] == "photonic_2deg"
    assert rec.weight_ltp_S.shape == (3, 7) and rec.weight_ltd_S.shape == (3, 7)
    assert np.all(np.diff(rec.weight_ltp_S, axis=1) > 0)
    assert 0 < float(rec.retention_s) < 1000.0
    # sheet density agrees with the analytic subband sum for every Fermi level
    sd = results["sheet_density_300K"]
    np.testing.assert_allclose(sd.sheet_density_per_m2, sd.analytic_sheet_density_per_m2,
                               rtol=1e-10)
    # the larger m, the longer the period and the narrower the first miniband
    w2 = np.diff(results["ingao3_m2"].minibands_eV[0])[0]
    w3 = np.diff(results["ingao3_m3"].minibands_eV[0])[0]
    assert float(results["ingao3_m3"].period_nm) > float(results["ingao3_m2"].period_nm)
    assert w3 < w2
    paths = stage.figures(results, tmp_path)
    assert {p.name for p in paths} == {f"superlattice_{n}.png" for n in (
        "band_diagram", "transmission", "sheet_density", "ppf", "programming")}
    assert all(p.stat().st_size > 0 for p in paths)
    lines = stage.summary(results)
    assert any("PPF" in line for line in lines) and any("fJ" in line for line in lines)


def test_registered_models_run_through_the_catalog():
    r = catalog.run_model("superlattice.minibands", {
        "well_nm": 1.0, "barrier_nm": 0.4, "barrier_height_eV": 0.5, "n_bands": 2})
    assert r.minibands_eV.shape == (2, 2)
    t = catalog.run_model("photonic.pulse_train", {"n_pulses": 4})
    assert t.conductance_ltp_S.shape == (5,) and np.all(np.diff(t.conductance_ltp_S) > 0)
