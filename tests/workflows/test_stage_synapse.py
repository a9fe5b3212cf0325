"""The synapse pipeline stage on hand-made device-response records (no physics, no mocks).

The records are built with :func:`qtransport.devices.record.device_response` from known NeuroSim curves,
so the extracted numbers have exact expectations; the stage must work with any subset of families
and list the others as missing.
"""
from __future__ import annotations

import math
import re

import h5py
import matplotlib
import numpy as np
import pytest

from qtransport import results as qresults
from qtransport.devices.record import device_response
from qtransport.synapse import PulseResponse
from qtransport.workflows import pipeline
from qtransport.workflows.stages import synapse as stage

matplotlib.use("Agg")

P = 24


def _record(family, a, unit="S", g_min=1e-6, g_max=1e-4, energy=1e-14, seed=0):
    s = PulseResponse(g_min, g_max, P, a, a)
    k = np.arange(P + 1)
    rng = np.random.default_rng(seed)
    gain = 1.0 + 0.02 * rng.standard_normal((4, 1))
    return device_response(family, weight_ltp=s.conductance_ltp(k) * gain,
                           weight_ltd=s.conductance_after_ltd(k) * gain, weight_unit=unit,
                           event_energy_J=energy, write_time_s=1e-8, retention_s=math.inf,
                           read_noise_rel=0.01, description=f"synthetic {family}")


def _ctx(results, **cfg):
    config = {**stage.DEFAULTS, "seeds": 1, "epochs": 2, "levels": [4], **cfg}
    return pipeline.StageContext(config, dict(results))


def test_stage_two_families_and_missing_ones():
    records = {"filament/device_response": _record("filament", 12.0),
               "josephson/device_response": _record("magnetic_josephson", 48.0, unit="A",
                                                    g_min=10e-6, g_max=40e-6, energy=3e-18)}
    out = stage.run(_ctx(records))
    fil = out["parameters/filament"]
    # Exact curves (up to a 2 % gain spread, which cancels in A) -> the fit returns A = 12.
    assert float(fil.a_ltp) == pytest.approx(12.0, rel=1e-3)
    assert float(out["parameters/magnetic_josephson"].a_ltd) == pytest.approx(48.0, rel=1e-3)
    assert "weight_min_A" in out["parameters/magnetic_josephson"].data
    from qtransport import devices
    assert out["families"].attrs["missing"] == ",".join(
        n for n in devices.names() if n not in ("filament", "magnetic_josephson"))
    for key in ("float", "filament", "magnetic_josephson", "levels_4"):
        acc = out[f"network/{key}"].accuracy
        assert acc.shape == (1,) and 0.0 <= acc[0] <= 1.0
    assert float(out["network/filament"].training_energy_mean_J) == pytest.approx(
        float(out["network/filament"].write_pulses[0]) * 1e-14, rel=1e-6, abs=0)
    lines = stage.summary(out)
    table = "\n".join(lines)
    assert "| floating_gate | missing" in table and "| photonic_2deg | missing" in table
    assert "biological synapse" in table and "10 fJ" in table


def test_stage_without_any_device_family():
    out = stage.run(_ctx({}, network=False))
    from qtransport import devices
    assert out["families"].attrs["missing"].split(",") == devices.names()
    assert not any(k.startswith("network/") for k in out)
    assert "missing" in "\n".join(stage.summary(out))


def test_unknown_family_is_a_clear_error():
    records = {"x/device_response": _record("memristor_x", 10.0)}
    with pytest.raises(ValueError, match="unknown device family 'memristor_x'"):
        stage.run(_ctx(records, network=False))


def _quoted_datasets(lines, levels):
    """Every dataset path quoted in the report: `group/{a, b}` expands to group/a, group/b and
    `.../levels_<N>/...` to each configured level."""
    paths = []
    for quoted in re.findall(r"`(synapse/[^`]+)`", "\n".join(lines)):
        m = re.fullmatch(r"(.+)/\{([^}]*)\}", quoted)
        names = [f"{m.group(1)}/{n.strip()}" for n in m.group(2).split(",")] if m else [quoted]
        for name in names:
            paths += [name.replace("<N>", str(n)) for n in levels] if "<N>" in name else [name]
    return paths


def test_every_table_number_traces_to_the_run_file(tmp_path):
    """Write the stage's results to HDF5 and check every quoted dataset exists there."""
    records = {"filament/device_response": _record("filament", 12.0)}
    out = stage.run(_ctx(records))
    qresults.save(tmp_path / "run.h5", {**records, **{f"synapse/{k}": v for k, v in out.items()}})
    lines = stage.summary(out)
    paths = _quoted_datasets(lines, [4])
    assert "synapse/parameters/filament/n_states" in paths
    assert "synapse/network/filament/accuracy_mean" in paths
    assert "synapse/literature/energy_per_event_J" in paths
    assert "synapse/network/levels_4/accuracy_mean" in paths and "synapse/stp/ppf_c1" in paths
    with h5py.File(tmp_path / "run.h5", "r") as f:
        for path in paths:
            assert path in f, path
        n_states = int(f["synapse/parameters/filament/n_states"][()])
        acc = float(f["synapse/network/filament/accuracy_mean"][()])
    row = next(ln for ln in lines if ln.startswith("| filament"))
    assert f"| {n_states} |" in row and f"{100 * acc:.1f} ±" in row
    figs = stage.figures(out, tmp_path)
    assert {p.name for p in figs} == {"synapse_pulse_fits.png", "synapse_accuracy.png",
                                      "synapse_ppf.png"}
    assert all(p.stat().st_size > 1000 for p in figs)


def test_synapse_is_the_last_stage():
    assert pipeline.STAGES[-1] == "synapse"


@pytest.mark.parametrize("key, value, match", [
    ("levels", [2, 16], r"synapse.levels\[\] must be >= 3"),
    ("seeds", 0, "synapse.seeds must be >= 1")])
def test_bad_stage_config_names_the_key(key, value, match):
    with pytest.raises(ValueError, match=match):
        stage.run(_ctx({}, **{key: value}))


def test_lookup_device_model_in_the_stage():
    records = {"filament/device_response": _record("filament", 12.0)}
    out = stage.run(_ctx(records, device_model="lookup", levels=[]))
    net = out["network/filament"]
    assert net.attrs["device"] == "lookup" and 0.0 <= float(net.accuracy_mean) <= 1.0
    assert "ΔG(G) lookup table" in "\n".join(stage.summary(out))
    with pytest.raises(ValueError, match="synapse.device_model must be one of"):
        stage.run(_ctx(records, device_model="spline"))


def test_measured_ppf_is_fitted():
    """A physics stage's paired-pulse result (intervals, ratios) gets the double-exponential fit;
    synthetic ratios from known C1, C2, tau1, tau2 come back to < 1e-4 (noise-free)."""
    from qtransport.results import Result
    from qtransport.synapse import ppf
    dt = np.geomspace(1e-3, 5.0, 12)
    rec = Result("photonic.paired_pulse", {}, {"interval_s": dt,
                                                "ppf": ppf(dt, 0.5, 0.4, 0.02, 0.8)})
    out = stage.run(_ctx({"superlattice/ppf": rec}, network=False))
    fit = out["ppf_fit/superlattice"]
    assert float(fit.ppf_tau2_s) == pytest.approx(0.8, rel=1e-4)
    assert float(fit.ppf_c1) == pytest.approx(0.5, rel=1e-4)
    text = "\n".join(stage.summary(out))
    assert "PPF fit to `superlattice/ppf`" in text and "not constrained" not in text
