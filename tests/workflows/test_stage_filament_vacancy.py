"""The [filament] keys of the 2-D vacancy memristors reach their device families; a bad value
stops the run before any stage, naming the key path.

The h-BN cell's electrodes (``vacancy_hbn_electrode``) change the physics: the chains' local
contact lets every in-plane k tunnel, the fcc(111) metal conserves k∥, so the empty layer's
tunneling floor differs (docs/filament.md: ~0.03 G0 with chains, ~0.05 G0 with fcc(111)).
"""
from __future__ import annotations

import os

import pytest

from qtransport import cli
from qtransport.devices.vacancy_memristor import HBNVacancyMemristor, train
from qtransport.workflows.pipeline import parse_config
from qtransport.workflows.stages import filament as stage

SMALL = "[filament]\nvacancy_devices = 0\nvacancy_hbn_devices = 1\nvacancy_pulses = 1\n"


def hbn_family(text: str):
    (family,) = stage.vacancy_families(parse_config(text)["filament"])
    assert isinstance(family, HBNVacancyMemristor)
    return family


def test_default_electrode_is_the_families_default():
    assert stage.DEFAULTS["vacancy_hbn_electrode"] == \
        HBNVacancyMemristor.default_params()["electrode"] == "fcc111"
    assert hbn_family(SMALL).params["electrode"] == "fcc111"


def test_electrode_key_reaches_the_hbn_device_and_its_conductance():
    chains = hbn_family(SMALL + 'vacancy_hbn_electrode = "chains"\n')
    fcc = hbn_family(SMALL)
    assert chains.params["electrode"] == "chains"
    got = {}
    for name, family in (("chains", chains), ("fcc111", fcc)):
        call = family.calls(seed=0)["vacancy_device_0"]
        assert call["electrode"] == name                      # what every pulse train gets
        got[name] = train(**call)
        assert got[name].params["electrode"] == name
    # the stage's device is the family built directly with that electrode: same seed, same
    # numbers (the contract of a seeded call)
    direct = HBNVacancyMemristor(n_devices=1, n_cycles=2, n_pulses=1, electrode="chains",
                                 set_voltage_V=0.8, reset_voltage_V=-1.6, set_width_s=1e-3,
                                 reset_width_s=1e-3)
    assert direct.calls(seed=0) == chains.calls(seed=0)
    # and the electrodes change the physics: the empty-layer floor differs by far more than the
    # solver's accuracy (unitarity-checked Kwant, ~1e-10)
    floor = {k: float(r.levels_G0[0]) for k, r in got.items()}
    assert abs(floor["chains"] - floor["fcc111"]) > 0.2 * floor["fcc111"], floor


def test_the_mos2_family_is_not_given_the_hbn_electrode():
    text = SMALL.replace("vacancy_devices = 0", "vacancy_devices = 1")
    families = stage.vacancy_families(parse_config(text + 'vacancy_hbn_electrode = "chains"\n')
                                      ["filament"])
    assert [f.name for f in families] == ["vacancy_2d", "vacancy_2d_hbn"]
    assert families[0].params["electrode"] == "fcc111"       # the MoS2 model never reads it


@pytest.mark.parametrize("value, error, expected", [
    ('"gold"', ValueError, "config key filament.vacancy_hbn_electrode: electrode must be one of "
                           "['fcc111', 'chains'], got 'gold'"),
    ("3", TypeError, "config key filament.vacancy_hbn_electrode must be str like the default "
                     "'fcc111', got 3"),
])
def test_bad_electrode_is_one_line_naming_the_key_path(value, error, expected):
    with pytest.raises(error) as info:
        parse_config(f"[filament]\nvacancy_hbn_electrode = {value}\n")
    assert str(info.value) == expected


def test_cli_bad_electrode_exits_2_before_any_output(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[filament]\nvacancy_hbn_electrode = "Chains"\n')
    assert cli.main(["run", str(cfg), "--output-dir", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "filament.vacancy_hbn_electrode" in err and "'Chains'" in err
    assert "fcc111" in err and "chains" in err
    assert os.listdir(tmp_path) == ["c.toml"]
