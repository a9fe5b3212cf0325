"""Sweep config: TOML → validated SweepConfig; every malformed input names its key (CLI exit 2)."""
from __future__ import annotations

import os

import numpy as np
import pytest

from qtransport import cli
from qtransport.workflows import config

GOOD = """
[sweep]
model = "filament.conductance"
seed = 0
[sweep.fixed]
energies_eV = [0.05, 0.1, 0.2]
length_atoms = 10
[sweep.grid]
width_atoms = [1, 2, 3, 4]
disorder_eV = [0.0, 0.2]
"""


def test_api_example_parses_to_typed_values():
    cfg = config.parse_config(GOOD)
    assert cfg.model == "filament.conductance" and cfg.seed == 0
    assert cfg.grid["width_atoms"] == [1, 2, 3, 4]
    assert all(type(v) is float for v in cfg.grid["disorder_eV"])
    np.testing.assert_array_equal(cfg.fixed["energies_eV"], [0.05, 0.1, 0.2])


def test_hash_ignores_layout_and_int_float_spelling_but_not_values():
    base = config.parse_config(GOOD).hash
    respelled = GOOD.replace("[0.0, 0.2]", "[0, 0.2]  # same values") + "\n# comment\n"
    assert config.parse_config(respelled).hash == base
    assert config.parse_config(GOOD.replace("seed = 0", "seed = 1")).hash != base
    timed = GOOD.replace("seed = 0", "seed = 0\ncheckpoint_seconds = 1")
    assert config.parse_config(timed).hash == base          # scheduling is not identity


BAD = [
    ("[sweep\nmodel = 1", "not valid TOML"),
    (GOOD.replace('"filament.conductance"', '"filament.nope"'), "sweep.model"),
    (GOOD.replace("seed = 0", "seed = 0\nspeed = 3"), "sweep.speed"),
    (GOOD.replace("length_atoms = 10", "length_atom = 10"), "sweep.fixed.length_atom"),
    (GOOD.replace("length_atoms = 10", 'length_atoms = "ten"'), "sweep.fixed.length_atoms"),
    (GOOD.replace("[1, 2, 3, 4]", "[1, 0]"), "sweep.grid.width_atoms[1]"),
    (GOOD.replace("[1, 2, 3, 4]", "[]"), "sweep.grid.width_atoms"),
    (GOOD.replace("[1, 2, 3, 4]", "3"), "sweep.grid.width_atoms"),
    (GOOD.split("[sweep.grid]")[0], "sweep.grid"),
    (GOOD.replace("seed = 0", "seed = -1"), "sweep.seed"),
    (GOOD + "[other]\nx = 1\n", "other"),
    (GOOD.replace("energies_eV = [0.05, 0.1, 0.2]", ""), "sweep.fixed.energies_eV"),
    (GOOD.replace("length_atoms = 10", "seed = 3"), "sweep.fixed.seed"),
]


@pytest.mark.parametrize("text, key", BAD)
def test_malformed_config_names_the_key(text, key):
    with pytest.raises((ValueError, TypeError), match=key.replace("[", r"\[").replace("]", r"\]")):
        config.parse_config(text)


@pytest.mark.parametrize("text, key", BAD)
def test_cli_malformed_config_exits_2_one_line_no_output(tmp_path, capsys, text, key):
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    out = tmp_path / "out" / "o.h5"
    assert cli.main(["sweep", str(cfg), "--output", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and key in err
    assert sorted(os.listdir(tmp_path)) == ["c.toml"]       # nothing written, not even a lock


def test_adaptive_section_validated():
    text = GOOD.split("[sweep.grid]")[0] + (
        '[sweep.adaptive]\nparameter = "temperature_K"\nbounds = [0.0, 10.0]\n'
        'output = "conductance_G0"\nmax_points = 20\n').replace("energies_eV = [0.05, 0.1, 0.2]",
                                                             "energies_eV = [0.5]")
    cfg = config.parse_config(text.replace("length_atoms = 10", "length_atoms = 10\nwidth_atoms = 2"))
    assert cfg.adaptive.bounds == (0.0, 10.0) and cfg.adaptive.max_points == 20
    with pytest.raises(ValueError, match="sweep.adaptive.bounds"):
        config.parse_config(cfg.text.replace("[0.0, 10.0]", "[10.0, 0.0]"))
    with pytest.raises(ValueError, match="sweep.adaptive.parameter"):
        config.parse_config(cfg.text.replace('"temperature_K"', '"width_atoms"'))
    # float parameters accept inf (e.g. a linear synapse's A), but a scan needs a finite interval:
    # an infinite bound used to reach adaptive.Learner1D and fail with "cannot convert float NaN"
    for bounds in ("[0.0, inf]", "[1.0, inf]"):
        with pytest.raises(ValueError, match=r"sweep.adaptive.bounds\[\d\].*finite"):
            config.parse_config(cfg.text.replace("[0.0, 10.0]", bounds))
