"""Typed, read-only access to ``data/materials.toml``: every value with its source and confidence.

Examples
--------
>>> from qtransport import materials
>>> m = materials.get("hBN")
>>> m.band_gap_eV
5.955
>>> m.quantity("tunneling_mass").confidence
'weak'
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["Quantity", "Material", "names", "get", "CONFIDENCE_LEVELS"]

CONFIDENCE_LEVELS = ("exact", "lit", "weak")


@dataclass(frozen=True)
class Quantity:
    """One material parameter: value (unit in its name), citation and confidence tag."""

    name: str
    value: float
    source: str
    confidence: str


@dataclass(frozen=True)
class Material:
    """A material from the database. Quantities are attributes named with their unit suffix."""

    name: str
    description: str
    kind: str
    quantities: dict[str, Quantity] = field(repr=False)

    def __getattr__(self, item: str) -> float:
        quantities = object.__getattribute__(self, "quantities")
        if item in quantities:
            return quantities[item].value
        raise AttributeError(f"material {self.name!r} has no quantity {item!r}; "
                             f"it has {sorted(quantities)}")

    def quantity(self, key: str) -> Quantity:
        """Return the :class:`Quantity` ``key`` (value, source, confidence)."""
        if key not in self.quantities:
            raise KeyError(f"material {self.name!r} has no quantity {key!r}; "
                           f"it has {sorted(self.quantities)}")
        return self.quantities[key]

    def get(self, key: str, default: float | None = None) -> float | None:
        """Return the value of ``key``, or ``default`` when the material does not list it."""
        return self.quantities[key].value if key in self.quantities else default

    @property
    def sources(self) -> list[str]:
        """Distinct citations of this material's values, in file order."""
        return list(dict.fromkeys(q.source for q in self.quantities.values()))


def _parse(name: str, table: dict) -> Material:
    quantities = {}
    for key, entry in table.items():
        if key in ("description", "kind"):
            continue
        if not isinstance(entry, dict) or set(entry) != {"value", "source", "confidence"}:
            raise ValueError(f"materials.toml [{name}].{key} must be a table with value, source "
                             f"and confidence, got {entry!r}")
        if entry["confidence"] not in CONFIDENCE_LEVELS:
            raise ValueError(f"materials.toml [{name}].{key}.confidence must be one of "
                             f"{CONFIDENCE_LEVELS}, got {entry['confidence']!r}")
        quantities[key] = Quantity(key, float(entry["value"]), str(entry["source"]),
                                   entry["confidence"])
    return Material(name, str(table.get("description", "")), str(table.get("kind", "")),
                    quantities)


@functools.cache
def _database() -> dict[str, Material]:
    text = resources.files("qtransport.data").joinpath("materials.toml").read_text("utf-8")
    return {name: _parse(name, table) for name, table in tomllib.loads(text).items()}


def names() -> list[str]:
    """Return the names of all materials in the database, in file order."""
    return list(_database())


def get(name: str) -> Material:
    """Return the material ``name``.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.
    """
    if not isinstance(name, str):
        raise TypeError(f"material name must be a string such as 'hBN', got {name!r}")
    db = _database()
    if name not in db:
        raise ValueError(f"unknown material {name!r}; known materials: {', '.join(db)}")
    return db[name]
