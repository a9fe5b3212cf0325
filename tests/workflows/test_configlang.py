"""One config language for `qtransport run` and `qtransport sweep`: the same text means the same.

The trap this guards against: a run config once read ``[0.0, 3.0, 121]`` as start/stop/count while
a sweep file read it as three energies. Now a list is a list in both, a grid is a table in both,
and a value that could be read either way is refused naming its full key, before any work.
"""
from __future__ import annotations

import os

import numpy as np
import pytest

from qtransport import cli
from qtransport.workflows import config, configlang, pipeline
from qtransport.workflows.configlang import Grid

SWEEP = """
[sweep]
model = "filament.conductance"
[sweep.fixed]
energies_eV = {energies}
length_atoms = 10
[sweep.grid]
width_atoms = [1, 2]
"""


def _run_energies(text_value: str):
    cfg = pipeline.parse_config(f"[filament]\nstaircase_energies_eV = {text_value}\n")
    return configlang.grid_values(cfg["filament"]["staircase_energies_eV"])


def _sweep_energies(text_value: str):
    return config.parse_config(SWEEP.format(energies=text_value)).fixed["energies_eV"]


@pytest.mark.parametrize("text", ["{start = 0.0, stop = 3.0, num = 121}",
                                  "{start = 0.001, stop = 3.0, num = 7, scale = \"log\"}",
                                  "[0.25, 0.5, 1.0, 2.0]", "[0.5]"])
def test_same_text_same_values_in_run_and_sweep(text):
    run, sweep = _run_energies(text), _sweep_energies(text)
    np.testing.assert_array_equal(run, sweep)      # same parser, same numpy call: exact contract


def test_run_list_of_reals_accepts_a_grid_table():
    cfg = pipeline.parse_config("[superlattice]\n"
                                "ppf_intervals_s = {start = 0.03, stop = 30.0, num = 7, "
                                "scale = \"log\"}\n")
    np.testing.assert_array_equal(cfg["superlattice"]["ppf_intervals_s"],
                                  np.geomspace(0.03, 30.0, 7))


def test_grid_table_is_linspace_with_both_ends():
    np.testing.assert_array_equal(_sweep_energies("{start = 0.0, stop = 3.0, num = 121}"),
                                  np.linspace(0.0, 3.0, 121))
    np.testing.assert_array_equal(Grid(1e-3, 3.0, 40, scale="log").values(),
                                  np.geomspace(1e-3, 3.0, 40))


def test_sweep_list_is_literal_even_with_three_numbers():
    np.testing.assert_array_equal(_sweep_energies("[0.0, 3.0, 31]"), [0.0, 3.0, 31.0])


def test_sweep_grid_axis_accepts_a_grid_table():
    text = SWEEP.format(energies="[0.5]").replace("width_atoms = [1, 2]",
                                                   "width_atoms = [2]\n"
                                                   "disorder_eV = {start = 0.0, stop = 0.6, "
                                                   "num = 4}")
    cfg = config.parse_config(text)
    np.testing.assert_allclose(cfg.grid["disorder_eV"], [0.0, 0.2, 0.4, 0.6], rtol=0,
                               atol=1e-15)   # linspace rounding of 0.2 steps: a few ulp


AMBIGUOUS = [
    # (command, text, key named in the error)
    ("run", "[filament]\nstaircase_energies_eV = [0.0, 3.0, 121]\n",
     "filament.staircase_energies_eV"),
    ("run", "[tunneling]\niv_bias_V = [-1.0, 1.0, 81]\n", "tunneling.iv_bias_V"),
    ("run", "[synapse]\nstp_intervals_s = [1e-3, 3.0, 40]\n", "synapse.stp_intervals_s"),
    ("run", "[filament]\ntemperature_K = {start = 0.0, stop = 1.0, num = 3}\n",
     "filament.temperature_K"),
    ("run", "[superlattice]\ntransmission_periods = {start = 3, stop = 8, num = 3}\n",
     "superlattice.transmission_periods"),
    ("run", "[filament]\nqpc_energies_eV = {start = 0.0, stop = 1.0}\n",
     "filament.qpc_energies_eV.num"),
    ("run", "[filament]\nqpc_energies_eV = {start = 0.0, stop = 1.0, num = 5, step = 1}\n",
     "filament.qpc_energies_eV.step"),
    ("run", "[filament]\nqpc_energies_eV = {start = 0.0, stop = 1.0, num = 1e12}\n",
     "filament.qpc_energies_eV.num"),
    ("run", "[synapse]\nstp_intervals_s = {start = 0.0, stop = 1.0, num = 5, scale = \"log\"}\n",
     "synapse.stp_intervals_s"),
    ("sweep", SWEEP.format(energies="[0.5]").replace("length_atoms = 10",
                                                     "length_atoms = {start = 1, stop = 9, "
                                                     "num = 3}"),
     "sweep.fixed.length_atoms"),
    ("sweep", SWEEP.format(energies="[0.5]").replace("width_atoms = [1, 2]",
                                                     "width_atoms = {start = 1, stop = 9, "
                                                     "num = 3}"),
     "sweep.grid.width_atoms"),
    ("sweep", SWEEP.format(energies="{start = 0.0, stop = 3.0, number = 3}"),
     "sweep.fixed.energies_eV.number"),
]


@pytest.mark.parametrize("command, text, key", AMBIGUOUS)
def test_ambiguous_or_misplaced_value_names_full_key(command, text, key):
    parse = pipeline.parse_config if command == "run" else config.parse_config
    with pytest.raises((ValueError, TypeError), match=f"config key {key}"):
        parse(text)


@pytest.mark.parametrize("command, text, key", AMBIGUOUS)
def test_cli_refuses_before_any_output(tmp_path, capsys, command, text, key):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    if command == "run":
        argv = ["run", str(cfg), "--output-dir", str(tmp_path / "out")]
    else:
        argv = ["sweep", str(cfg), "--output", str(tmp_path / "out.h5"), "--no-progress"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"config key {key}" in err
    assert os.listdir(tmp_path) == ["c.toml"]


def test_show_config_round_trips_with_grids(capsys):
    assert cli.main(["run", "--show-config"]) == 0
    text = capsys.readouterr().out
    assert "staircase_energies_eV = {start = 0.0, stop = 3.0, num = 121}" in text
    # each key shows the range of the registered parameter it feeds, read from the schema
    assert "temperature_K = 300.0  # >= 0.0; filament.conductance(temperature_K)" in text
    assert pipeline.parse_config(text) == pipeline.default_config()


def test_stale_start_stop_count_list_in_code_fails_loudly():
    with pytest.raises(ValueError, match="ambiguous"):
        configlang.grid_values([0.0, 3.0, 121], "filament.staircase_energies_eV")


def test_examples_and_documented_config_parse():
    from pathlib import Path
    import re
    root = Path(__file__).resolve().parents[2]
    blocks = re.findall(r"```toml\n(.*?)```", (root / "docs" / "config.md").read_text(), re.S)
    assert blocks
    for block in blocks:
        pipeline.parse_config(block)
    pipeline.parse_config((root / "examples" / "pipeline_small.toml").read_text())
    api = re.findall(r"```toml\n(.*?)```", (root / "docs" / "api.md").read_text(), re.S)
    assert len(api) == 1 and config.parse_config(api[0]).model == "filament.conductance"
    config.load_config(root / "examples" / "sweep_filament.toml")


def _feeds():
    out = []
    for stage in pipeline.STAGES:
        for key, target in getattr(pipeline.stage_module(stage), "FEEDS", {}).items():
            out.append((stage, key, target))
    return out


@pytest.mark.parametrize("stage, key, target", _feeds())
def test_feeds_point_at_declared_parameters(stage, key, target):
    from qtransport import devices
    from qtransport.workflows import catalog
    module = pipeline.stage_module(stage)
    assert key in module.DEFAULTS
    name, pname = target
    if name.startswith("device:"):
        assert pname in devices.get(name.removeprefix("device:")).default_params()
    else:
        catalog.get_model(name).param(pname)


def _below_range():
    """(stage, key, TOML value) just outside the lower bound of the parameter a key feeds."""
    from qtransport.workflows import catalog
    cases = []
    for stage, key, (name, pname) in _feeds():
        if name.startswith("device:"):
            continue
        p = catalog.get_model(name).param(pname)
        if p.low is None or p.type not in (int, float, "array"):
            continue
        bad = p.low if p.low_open else p.low - 1
        default = pipeline.stage_module(stage).DEFAULTS[key]
        if isinstance(default, Grid):
            text = f"{{start = {float(bad)!r}, stop = {float(bad) + 1.0!r}, num = 2}}"
        elif isinstance(default, list):
            text = f"[{bad!r}, {bad!r}]" if p.type is not int else f"[{int(bad)}, {int(bad)}]"
        else:
            text = repr(int(bad)) if p.type is int else repr(float(bad))
        cases.append((stage, key, text))
    return cases


@pytest.mark.parametrize("stage, key, text", _below_range())
def test_out_of_range_run_value_names_the_full_key_before_running(stage, key, text):
    with pytest.raises((ValueError, TypeError), match=rf"config key {stage}\.{key}\b"):
        pipeline.parse_config(f"[{stage}]\n{key} = {text}\n")


def test_planned_calls_are_validated_before_running(monkeypatch):
    """A value derived from several keys reaches a model only through the stage's plan: every
    planned call is checked against its model's schema, before any stage runs."""
    from qtransport.workflows.stages import josephson
    real = josephson.plan

    def plan(cfg):
        calls = real(cfg)
        model, params = calls["iv_shapiro"]
        calls["iv_shapiro"] = (model, dict(params, capacitance_F=-1e-12))   # as if derived < 0
        return calls
    monkeypatch.setattr(josephson, "plan", plan)
    with pytest.raises(ValueError, match=r"config \[josephson\]: its 'iv_shapiro' calculation "
                                         r"\(josephson\.iv_curve\).*capacitance_F"):
        pipeline.parse_config(None)


@pytest.mark.parametrize("key, value", [("bias_points", "-3"), ("ng_points", "1"),
                                        ("sfq_inputs", "0"), ("beta_c_hysteretic", "0.0"),
                                        ("ac_amplitude_ratio", "-0.5")])
def test_josephson_stage_knobs_name_their_key(key, value):
    with pytest.raises(ValueError, match=rf"josephson\.{key} must be"):
        pipeline.parse_config(f"[josephson]\n{key} = {value}\n")


def test_device_family_keys_are_checked_with_their_path():
    with pytest.raises(ValueError, match=r"config key filament\.growth_devices: n_devices"):
        pipeline.parse_config("[filament]\ngrowth_devices = 0\n")
    with pytest.raises(ValueError, match=r"config key superlattice\.ppf_intervals_s"):
        pipeline.parse_config("[superlattice]\nppf_intervals_s = [-1.0, 2.0]\n")


def test_defaults_pass_every_check():
    pipeline.validate_stages(pipeline.default_config())
