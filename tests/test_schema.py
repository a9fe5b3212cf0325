"""One schema: every registered model's Param list agrees with its function's signature.

What the Python call accepts must be settable from a config (no unsweepable keyword), defaults are
declared once (a repeated default must equal the signature's), registered names follow the
namespace convention, and every module that registers models is imported by the catalog.
"""
from __future__ import annotations

import importlib
import inspect
import math
import re
from pathlib import Path

import numpy as np
import pytest

from qtransport import registry
from qtransport.workflows import catalog, config

ROOT = Path(__file__).resolve().parents[1]
catalog.load_all()
MODELS = {name: m for name, m in registry.models().items()
          if m.function.__module__ in catalog.MODULES}      # not test/doctest demo models


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, (list, tuple, np.ndarray)) or isinstance(b, (list, tuple, np.ndarray)):
        return np.array_equal(np.asarray(a), np.asarray(b))
    return type(a) is type(b) and a == b or (a is None and b is None)


def test_catalog_models_present():
    assert len(MODELS) >= 20
    assert set(MODELS) == {n for n, m in registry.models().items()
                           if m.function.__module__.startswith("qtransport.")
                           and m.function.__module__ in catalog.MODULES}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_params_match_signature(name):
    model = MODELS[name]
    sig = inspect.signature(model.function)
    keywords = {p.name: p for p in sig.parameters.values()
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    declared = {p.name: p for p in model.params}
    assert len(declared) == len(model.params), f"{name}: a parameter is declared twice"
    schema_keywords = set(keywords) - set(model.python_only)
    assert set(declared) == schema_keywords, (
        f"{name}: accepted but undeclared (unsweepable) {sorted(schema_keywords - set(declared))}; "
        f"declared but not accepted {sorted(set(declared) - schema_keywords)}")
    for extra in model.python_only:                # Python objects only, never required
        assert extra in keywords and keywords[extra].default is None, (name, extra)
    for pname, param in declared.items():
        default = keywords[pname].default
        if default is inspect.Parameter.empty:
            assert param.required, f"{name}.{pname}: the function requires it, the schema not"
            continue
        assert not param.required, f"{name}.{pname}: the schema requires it, the function not"
        assert _same(param.default, default), (
            f"{name}.{pname}: schema default {param.default!r} != signature default {default!r}")
        if default is None:
            assert param.optional, f"{name}.{pname}: default None but None is not accepted"
        else:                                       # the default passes its own schema
            param.validate(default)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_name_follows_namespace_convention(name):
    module = MODELS[name].function.__module__
    assert registry.namespace_ok(name, module), (
        f"{name} is registered in {module}: its namespace must be the module's name (or "
        f"<name>_models) or its package's name")


def test_every_registering_module_is_in_the_catalog():
    registering = set()
    for path in (ROOT / "qtransport").rglob("*.py"):
        if re.search(r"^@register\(", path.read_text(encoding="utf-8"), re.M):
            rel = path.relative_to(ROOT).with_suffix("")
            registering.add(".".join(rel.parts))
    assert registering == set(catalog.MODULES)


def test_old_names_still_resolve():
    for old, new in registry.aliases().items():
        assert catalog.get_model(old) is catalog.get_model(new)
        assert old not in catalog.model_names()
    assert catalog.get_model("filament.saddle_point_qpc").name == "qpc.saddle_point_qpc"


SWEEP = """
[sweep]
model = "{model}"
[sweep.fixed]
{fixed}
[sweep.grid]
{grid}
"""


@pytest.mark.parametrize("model, fixed, grid", [
    ("filament.conductance", "width_atoms = 2\nenergies_eV = [0.5]",
     'material = ["Ag", "Cu"]'),
    ("filament.conductance", "width_atoms = 2\nenergies_eV = [0.5]\nlattice_constant_nm = 0.3",
     "effective_mass = [1.0, 0.5]"),
    ("filament.growth", "max_width_atoms = 2\nfermi_energy_eV = 1.0", 'material = ["Cu"]'),
    ("filament.growth", "max_width_atoms = 2\nfermi_energy_eV = 1.0",
     "electrode_width_atoms = [4, 6]"),
    ("josephson.sfq_firing_rate", "input_A = [1e-5]", "steps_per_period = [20, 40]"),
])
def test_keywords_once_missing_from_the_schema_are_sweepable(model, fixed, grid):
    cfg = config.parse_config(SWEEP.format(model=model, fixed=fixed, grid=grid))
    assert cfg.grid


def test_material_sweep_computes_the_metal_hopping():
    """material = "Cu" sets t from the database: the first 2D-wire mode opens at 2t(1-cos(pi/3))."""
    from qtransport.tight_binding import filament
    t = filament.metal_hopping_eV("Cu")
    edge = 2 * t * (1 - np.cos(np.pi / 3))          # W = 2 sites
    r = catalog.run_model("filament.conductance",
                          {"width_atoms": 2, "length_atoms": 4, "material": "Cu",
                           "energies_eV": [0.5 * edge, 1.5 * edge]})
    # clean uniform wire: exactly 0 and 1 open channel, up to the S-matrix rounding (~1e-12)
    np.testing.assert_allclose(r.conductance_G0, [0.0, 1.0], atol=1e-9)


def test_bad_material_names_parameter_and_choices():
    with pytest.raises(ValueError, match="material must be one of .*Cu"):
        catalog.run_model("filament.conductance",
                          {"width_atoms": 2, "energies_eV": [0.5], "material": "hBN"})


def test_models_doc_is_generated_from_the_schema():
    text = (ROOT / "docs" / "models.md").read_text(encoding="utf-8")
    assert text == catalog.models_markdown(), (
        "docs/models.md is stale: regenerate with "
        "python -c 'from qtransport.workflows import catalog; "
        "open(\"docs/models.md\", \"w\").write(catalog.models_markdown())'")


def test_cli_models_prints_the_schema(capsys):
    from qtransport import cli
    assert cli.main(["models"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in MODELS)
    assert cli.main(["models", "filament.conductance"]) == 0
    out = capsys.readouterr().out
    assert "material (str; one of Ag, Cu, Au; default None)" in out
    assert cli.main(["models", "filament.nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "filament.nope" in err


def test_point_key_ignores_parameters_at_their_default():
    from qtransport.workflows import sweep
    base = SWEEP.format(model="filament.conductance", fixed="energies_eV = [0.5]",
                        grid="width_atoms = [1, 2]")
    spelled = base.replace("energies_eV = [0.5]", "energies_eV = [0.5]\nlength_atoms = 10\n"
                           "max_sites = 200000")
    other = base.replace("energies_eV = [0.5]", "energies_eV = [0.5]\nlength_atoms = 11")
    keys = [[k for _, k in sweep.grid_points(config.parse_config(t))]
            for t in (base, spelled, other)]
    assert keys[0] == keys[1] and set(keys[0]).isdisjoint(keys[2])
