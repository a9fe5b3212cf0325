"""Every device family follows the protocol of qtransport.devices.base (no responses computed)."""
import inspect
import re
from pathlib import Path

import pytest

from qtransport import devices
from qtransport.devices import DeviceFamily, _FAMILY_MODULES
from qtransport.synapse.extract import KNOWN_FAMILIES

PACKAGE = Path(devices.__file__).parent


def test_every_family_module_is_listed_and_registers_what_the_list_says():
    registering = {p.stem for p in PACKAGE.glob("*.py")
                   if re.search(r"^@register_family", p.read_text(encoding="utf-8"), re.M)}
    assert registering == set(_FAMILY_MODULES.values())
    for name, module in _FAMILY_MODULES.items():
        cls = devices.get(name)
        assert cls.__module__ == f"qtransport.devices.{module}" and cls.name == name


def test_the_synapse_layer_knows_every_family():
    assert KNOWN_FAMILIES == tuple(devices.names())
    assert KNOWN_FAMILIES[:4] == ("filament", "floating_gate", "photonic_2deg",
                                  "magnetic_josephson")


@pytest.mark.parametrize("name", sorted(_FAMILY_MODULES))
def test_family_protocol(name):
    cls = devices.get(name)
    assert issubclass(cls, DeviceFamily) and not inspect.isabstract(cls)
    assert cls.summary and cls.__doc__
    defaults = cls.default_params()
    family = cls()                                   # the defaults are valid parameters
    assert set(family.params) == set(defaults)
    assert family.params == cls(**defaults).params
    with pytest.raises(TypeError, match="no_such_parameter"):
        cls(no_such_parameter=1)
    for method in ("response", "results"):
        assert "seed" in inspect.signature(getattr(cls, method)).parameters


def test_unknown_family_lists_the_known_ones():
    with pytest.raises(ValueError, match="floating_gate"):
        devices.get("memristor")
