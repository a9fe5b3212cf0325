"""Typed, read-only access to ``data/materials.toml``: every value with its source and confidence.

Names are found ignoring case, spaces, ``-`` and ``_`` (``"hbn"``, ``"h-BN"`` and ``"HBN"`` are
``hBN``), and by the ``aliases`` a material lists (``"gold"`` is ``Au``). Your own materials, in
the same TOML format and checked the same way, are added with :func:`load` or by naming their
files in the environment variable :data:`ENV_VAR` (``QTRANSPORT_MATERIALS``, paths separated
by ``os.pathsep``), read on first use.

Examples
--------
>>> from qtransport import materials
>>> m = materials.get("hBN")
>>> m.band_gap_eV
5.955
>>> m.quantity("tunneling_mass").confidence
'weak'
>>> materials.get("h-bn").name, materials.get("gold").name
('hBN', 'Au')
"""
from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["Quantity", "Material", "names", "get", "load", "CONFIDENCE_LEVELS", "ENV_VAR"]

CONFIDENCE_LEVELS = ("exact", "lit", "weak", "computed")
#: environment variable naming user material files (``os.pathsep``-separated), read on first use
ENV_VAR = "QTRANSPORT_MATERIALS"
_META_KEYS = ("description", "kind", "aliases")


@dataclass(frozen=True)
class Quantity:
    """One material parameter: value (unit in its name), citation and confidence tag.

    Parameters
    ----------
    name : str
        Key with its unit suffix (``"fermi_energy_eV"``).
    value : float
        Value in the unit of the name.
    source : str
        Citation, or ``"computed: ..."`` for a value this project calculated.
    confidence : str
        Confidence tag from the database.

    Examples
    --------
    >>> q = get('Ag').quantity('fermi_energy_eV')
    >>> q.name, round(q.value, 2)
    ('fermi_energy_eV', 5.49)
    """

    name: str
    value: float
    source: str
    confidence: str


@dataclass(frozen=True)
class Material:
    """A material from the database. Quantities are attributes named with their unit suffix.

    ``aliases`` are other names it is found by; ``origin`` the file it came from.

    Parameters
    ----------
    name : str
        Database name (``"hBN"``, ``"Cu"`` …).
    description : str
        One-line description.
    kind : str
        Material class (``"metal"``, ``"superconductor"``, ``"insulator"`` …).
    quantities : dict of str to Quantity
        Every quantity, keyed by its unit-suffixed name.
    aliases : tuple of str, optional
        Other names :func:`get` finds it by.
    origin : str, optional
        File it came from.

    Examples
    --------
    >>> m = get('Ag')
    >>> m.name, m.kind
    ('Ag', 'metal')
    """

    name: str
    description: str
    kind: str
    quantities: dict[str, Quantity] = field(repr=False)
    aliases: tuple[str, ...] = ()
    origin: str = "qtransport"

    def __getattr__(self, item: str) -> float:
        quantities = object.__getattribute__(self, "quantities")
        if item in quantities:
            return quantities[item].value
        raise AttributeError(f"material {self.name!r} has no quantity {item!r}; "
                             f"it has {sorted(quantities)}")

    def quantity(self, key: str) -> Quantity:
        """Return the :class:`Quantity` ``key`` (value, source, confidence).

        Parameters
        ----------
        key : str
            Unit-suffixed quantity name.

        Returns
        -------
        Quantity
            The entry with value, source and confidence.

        Raises
        ------
        KeyError
            The material does not list ``key``.

        Examples
        --------
        >>> get("Cu").quantity("fermi_energy_eV").value > 0
        True
        """
        if key not in self.quantities:
            raise KeyError(f"material {self.name!r} has no quantity {key!r}; "
                           f"it has {sorted(self.quantities)}")
        return self.quantities[key]

    def get(self, key: str, default: float | None = None) -> float | None:
        """Return the value of ``key``, or ``default`` when the material does not list it.

        Parameters
        ----------
        key : str
            Unit-suffixed quantity name.
        default : float, optional
            Returned when the material does not list ``key``.

        Returns
        -------
        float or None
            The value (in the unit of ``key``), or ``default``.

        Examples
        --------
        >>> get("Cu").get("no_such_quantity_eV", 1.0)
        1.0
        """
        return self.quantities[key].value if key in self.quantities else default

    @property
    def sources(self) -> list[str]:
        """Distinct citations of this material's values, in file order."""
        return list(dict.fromkeys(q.source for q in self.quantities.values()))


def _parse(name: str, table: dict, origin: str = "materials.toml") -> Material:
    where = f"{origin} [{name}]"
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table of quantities, got {table!r}")
    for key in ("description", "kind"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise ValueError(f"{where}.{key} must be a non-empty string, got {table.get(key)!r}")
    aliases = table.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and _key(a) for a in aliases):
        raise ValueError(f"{where}.aliases must be a list of non-empty strings, got {aliases!r}")
    quantities = {}
    for key, entry in table.items():
        if key in _META_KEYS:
            continue
        if not isinstance(entry, dict) or set(entry) != {"value", "source", "confidence"}:
            raise ValueError(f"{where}.{key} must be a table with value, source "
                             f"and confidence, got {entry!r}")
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not math.isfinite(value):
            raise ValueError(f"{where}.{key}.value must be a finite number, got {value!r}")
        if not isinstance(entry["source"], str) or not entry["source"].strip():
            raise ValueError(f"{where}.{key}.source must name where the value comes from (a "
                             f"non-empty string), got {entry['source']!r}")
        if entry["confidence"] not in CONFIDENCE_LEVELS:
            raise ValueError(f"{where}.{key}.confidence must be one of "
                             f"{CONFIDENCE_LEVELS}, got {entry['confidence']!r}")
        quantities[key] = Quantity(key, float(value), entry["source"], entry["confidence"])
    return Material(name, table["description"], table["kind"], quantities, tuple(aliases),
                    origin)


def _key(name: str) -> str:
    """Lookup key of a name: lower case without spaces, '-' and '_'."""
    return "".join(c for c in name.lower() if c not in " -_")


def _parse_file(text: str, origin: str) -> dict[str, Material]:
    try:
        tables = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{origin} is not valid TOML: {exc}") from None
    if not tables:
        raise ValueError(f"{origin} defines no material (expected [NAME] tables)")
    return {name: _parse(name, table, origin) for name, table in tables.items()}


_STATE: dict = {}


def _database() -> dict[str, Material]:
    if "db" not in _STATE:
        text = resources.files("qtransport.data").joinpath("materials.toml").read_text("utf-8")
        _STATE["db"], _STATE["index"] = {}, {}
        _add(_parse_file(text, "materials.toml"))
        for path in filter(None, os.environ.get(ENV_VAR, "").split(os.pathsep)):
            load(path)
    return _STATE["db"]


def _add(new: dict[str, Material]) -> None:
    """Add materials, refusing a name or alias that already finds another material."""
    db, index = _STATE["db"], _STATE["index"]
    staged = dict(index)
    for name, mat in new.items():
        for label in (name, *mat.aliases):
            key = _key(label)
            other = staged.get(key)
            if other is not None and other != name:
                raise ValueError(f"material name or alias {label!r} of [{name}] ({mat.origin}) "
                                 f"clashes with {other!r} ({db[other].origin if other in db else mat.origin}); "
                                 f"names are compared ignoring case, spaces, '-' and '_'")
            staged[key] = name
        if name in db:
            raise ValueError(f"material {name!r} ({mat.origin}) is already defined by "
                             f"{db[name].origin}; give it another name")
    db.update(new)
    index.update(staged)


def load(path) -> list[str]:
    """Add the materials of a TOML file (the format of ``data/materials.toml``) to the database.

    Parameters
    ----------
    path : str or os.PathLike
        A TOML file of ``[NAME]`` tables with ``description``, ``kind``, optional ``aliases``
        and quantities ``{value, source, confidence}`` (unit in the key's name).

    Returns
    -------
    list of str
        The names added.

    Raises
    ------
    ValueError
        The file is missing or unreadable, not TOML, or a table breaks the format (the message
        names the file, table and key), or a name/alias clashes with a known material (the
        database is unchanged then).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mine.toml"
    >>> _ = f.write_text('[NbN]\\ndescription = "niobium nitride"\\nkind = "superconductor"\\n'
    ...                  'critical_temperature_K = {value = 16.0, source = "my data", '
    ...                  'confidence = "weak"}\\n')
    >>> load(f)
    ['NbN']
    >>> get("nbn").critical_temperature_K
    16.0
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or os.PathLike), got {path!r}")
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise ValueError(f"cannot read materials file path = {path!r}: {exc.strerror}") from None
    _database()
    new = _parse_file(text, path)
    _add(new)
    return list(new)


def names() -> list[str]:
    """Return the names of all materials in the database, in file order.

    Returns
    -------
    list of str
        Material names.

    Examples
    --------
    >>> "hBN" in names()
    True
    """
    return list(_database())


def get(name: str) -> Material:
    """Return the material ``name`` (case, spaces, '-' and '_' ignored; aliases accepted).

    Parameters
    ----------
    name : str
        Material name or alias.

    Returns
    -------
    Material
        The database entry.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the known names.
    TypeError
        ``name`` is not a string.

    Examples
    --------
    >>> get("h-BN").name
    'hBN'
    """
    if not isinstance(name, str):
        raise TypeError(f"material name must be a string such as 'hBN', got {name!r}")
    db = _database()
    if name in db:
        return db[name]
    canonical = _STATE["index"].get(_key(name))
    if canonical is None:
        raise ValueError(f"unknown material {name!r}; known materials: {', '.join(db)}")
    return db[canonical]
