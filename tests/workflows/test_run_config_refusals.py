"""Every key of every stage's section refuses a bad value before any stage runs, in one line that
names the full key path and the value (and the allowed range or type).

The cases come from a fuzz over every stage's DEFAULTS (wrong type, NaN, negative, huge,
unknown key); the systematic ones run over all keys, the others are the representatives of what
the fuzz found refused wrongly (a MemoryError while planning a 10⁹-point grid, an OverflowError,
a run-time failure after earlier stages, a message naming only the stage).
"""
from __future__ import annotations

import math
import os

import pytest

from qtransport import cli
from qtransport.errors import MAX_STAGE_COUNT
from qtransport.workflows import pipeline
from qtransport.workflows.configlang import Grid


def _keys():
    return [(stage, key, default) for stage in pipeline.STAGES
            for key, default in pipeline.stage_module(stage).DEFAULTS.items()]


def _wrong_type(default) -> str:
    """A TOML value of another type than ``default``."""
    if isinstance(default, str):
        return "3"
    if isinstance(default, (list, Grid)):
        return '"x"'
    return '"3"'


def refused(text: str, *, error=(ValueError, TypeError)) -> str:
    with pytest.raises(error) as info:
        pipeline.parse_config(text)
    message = str(info.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("stage, key, default", _keys())
def test_wrong_type_names_the_key_path(stage, key, default):
    message = refused(f"[{stage}]\n{key} = {_wrong_type(default)}\n")
    assert f"{stage}.{key}" in message


@pytest.mark.parametrize("stage, key, default",
                         [k for k in _keys() if isinstance(k[2], float) and math.isfinite(k[2])])
def test_nan_names_the_key_path(stage, key, default):
    message = refused(f"[{stage}]\n{key} = nan\n")
    assert f"config key {stage}.{key}" in message and "nan" in message


@pytest.mark.parametrize("stage, key, default",
                         [k for k in _keys() if type(k[2]) is int and k[1] != "seed"])
def test_huge_count_is_refused_before_planning(stage, key, default):
    # 10⁹ grid points used to be allocated while the stage's calls were planned (8 GB,
    # MemoryError or the OOM killer) before any check could refuse them
    message = refused(f"[{stage}]\n{key} = 1000000000\n")
    assert f"{stage}.{key}" in message and "1000000000" in message
    assert pipeline.parse_config(f"[{stage}]\n{key} = {default}\n")[stage][key] == default
    assert MAX_STAGE_COUNT >= 10 * default          # the cap leaves room above the default


@pytest.mark.parametrize("stage", pipeline.STAGES)
def test_unknown_key_lists_the_known_ones(stage):
    message = refused(f"[{stage}]\nno_such_key = 1\n")
    assert f"config key {stage}.no_such_key is unknown" in message
    assert next(iter(pipeline.stage_module(stage).DEFAULTS)) in message


@pytest.mark.parametrize("stage", [s for s in pipeline.STAGES
                                   if "seed" in pipeline.stage_module(s).DEFAULTS])
def test_negative_seed_is_refused_in_every_stage(stage):
    assert refused(f"[{stage}]\nseed = -1\n") == \
        f"config key {stage}.seed must be >= 0, got -1"


@pytest.mark.parametrize("text, expected", [
    # a value refused by the model call the stage plans: the key it came from is named
    ("[ferroelectric]\nfe_thickness_nm = 1e300\n",
     "config key ferroelectric.fe_thickness_nm: thickness_nm must be >= 0.1 and <= 10000.0, "
     "got 1e+300 (in its 'switched_fraction' calculation, ferroelectric.switched_fraction)"),
    ("[josephson]\nej_GHz = 1e300\n", "config key josephson.ej_GHz: ej_GHz must be"),
    ("[ferroelectric]\namplitudes_V = []\n", "config key ferroelectric.amplitudes_V:"),
    # a list of counts: the element is named
    ("[superlattice]\ntransmission_periods = [3, 1000000000]\n",
     "config key superlattice.transmission_periods[1] must be"),
    # used to fail only when the stage ran (after the stages before it)
    ("[filament]\nvacancy_devices = -1\n",
     "config key filament.vacancy_devices must be >= 0, got -1"),
    ("[superlattice]\nsp_temperatures_K = []\n",
     "config key superlattice.sp_temperatures_K must list at least one value, got []"),
    ("[superlattice]\ntransmission_periods = [3, 3]\n",
     "config key superlattice.transmission_periods lists 3 twice"),
])
def test_representative_refusals_name_the_key(text, expected):
    assert refused(text).startswith(expected)


def test_overflow_while_planning_is_a_value_error_naming_the_section(monkeypatch):
    """A derived value that overflows a float while the stage plans its calls (an exponential
    of a key, as an Arrhenius factor would be) is a ValueError naming the section, not an
    OverflowError traceback."""
    from qtransport.workflows.stages import josephson
    real = josephson.plan

    def plan(cfg):
        calls = real(cfg)
        model, params = calls["relaxation"]
        calls["relaxation"] = (model, dict(params, t1_ns=math.exp(cfg["t1_ns"])))
        return calls
    monkeypatch.setattr(josephson, "plan", plan)
    message = refused("[josephson]\nt1_ns = 1000.0\n", error=ValueError)
    assert message.startswith("config [josephson]: its settings give numbers out of the "
                              "floating-point range (OverflowError")


def test_a_refused_derived_value_names_the_keys_set_away_from_their_defaults():
    # the junction capacitance is derived from beta_c, I_c and R: no one key holds it
    message = refused("[josephson]\nbeta_c_shapiro = 1e300\n", error=ValueError)
    assert message.startswith("config [josephson]: its 'iv_shapiro' calculation "
                              "(josephson.iv_curve) refuses these settings: capacitance_F")
    assert message.endswith("those not at their default: josephson.beta_c_shapiro)")


def test_zero_devices_still_switch_a_vacancy_memristor_off():
    cfg = pipeline.parse_config("[filament]\nvacancy_devices = 0\nvacancy_hbn_devices = 0\n")
    assert pipeline.stage_module("filament").vacancy_families(cfg["filament"]) == []


@pytest.mark.parametrize("text, key", [
    ("[josephson]\nbias_points = 1000000000\n", "josephson.bias_points"),
    ("[ferroelectric]\nfe_thickness_nm = 1e300\n", "ferroelectric.fe_thickness_nm"),
    ("[superlattice]\nseed = -1\n", "superlattice.seed"),
])
def test_cli_prints_one_line_and_exits_2_before_any_output(tmp_path, capsys, text, key):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    assert cli.main(["run", str(cfg), "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and key in err
    assert os.listdir(tmp_path) == ["c.toml"]


def test_the_defaults_and_their_printed_form_pass():
    text = pipeline.config_toml(pipeline.default_config(), comments=True)
    assert pipeline.parse_config(text) == pipeline.default_config()
