"""The one config language of ``qtransport run`` and ``qtransport sweep``.

Both commands read TOML and give every value the same meaning (documented in ``docs/config.md``):

* a **list is a list of values**, always: ``energies_eV = [0.0, 3.0, 31]`` is the three energies
  0, 3 and 31 eV, in a run section as in a sweep file;
* a **grid is written as a table**: ``energies_eV = {start = 0.0, stop = 3.0, num = 121}`` is
  121 evenly spaced values with both ends included (:func:`numpy.linspace`); add
  ``scale = "log"`` for geometric spacing (:func:`numpy.geomspace`, both ends > 0);
* a value that could be read two ways is refused before anything is computed, with the full key
  path in the message: three numbers at a ``qtransport run`` key that holds a grid (older
  versions read them as start/stop/count), or a grid table where a single value is expected.

This module holds the pieces both parsers use: TOML loading, the :class:`Grid` table, and the
checks of one value against a registered :class:`~qtransport.registry.Param` (sweeps) or against
a stage default (``qtransport run``). Errors are ``ValueError``/``TypeError`` whose message
starts with ``config key <path>:``.

Examples
--------
>>> g = parse_grid("filament.staircase_energies_eV", {"start": 0.0, "stop": 1.0, "num": 3})
>>> g.values()
[0.0, 0.5, 1.0]
>>> toml_value(g)
'{start = 0.0, stop = 1.0, num = 3}'
"""
from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np

from ..errors import check_int, check_real
from ..registry import Param

__all__ = ["Grid", "MAX_GRID_POINTS", "load_toml", "parse_grid", "key_error", "param_value",
           "param_axis", "value_like_default", "grid_values", "toml_value"]

#: most values one grid table may expand to (a typo such as num = 1e9 fails instead of
#: allocating gigabytes)
MAX_GRID_POINTS = 10_000_000
_GRID_KEYS = ("start", "stop", "num", "scale")
_SCALES = ("linear", "log")


@dataclass(frozen=True)
class Grid:
    """An explicit grid ``{start = a, stop = b, num = n}`` (optionally ``scale = "log"``).

    Parameters
    ----------
    start, stop : float
        First and last value (both included), in the unit of the key.
    num : int
        Number of values (>= 2).
    scale : {"linear", "log"}
        Even spacing (:func:`numpy.linspace`) or geometric spacing (:func:`numpy.geomspace`,
        which needs ``start`` and ``stop`` > 0).

    Examples
    --------
    >>> Grid(0.0, 1.0, 5).values()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """

    start: float
    stop: float
    num: int
    scale: str = "linear"

    def __post_init__(self):
        checked = _check_grid("grid", self.start, self.stop, self.num, self.scale)
        for name, v in zip(("start", "stop", "num", "scale"), checked):
            object.__setattr__(self, name, v)

    def values(self) -> list[float]:
        """The grid as a plain list of floats (picklable, JSON-able).

        Returns
        -------
        list of float
            ``num`` values from ``start`` to ``stop``.

        Examples
        --------
        >>> Grid(0.0, 1.0, 3).values()
        [0.0, 0.5, 1.0]
        """
        space = np.geomspace if self.scale == "log" else np.linspace
        return space(float(self.start), float(self.stop), int(self.num)).tolist()

    def as_table(self) -> dict[str, Any]:
        """The TOML table that spells this grid.

        Returns
        -------
        dict of str to object
            ``start``, ``stop``, ``num`` (and ``scale`` when not linear).

        Examples
        --------
        >>> Grid(1.0, 100.0, 3, scale='log').as_table()
        {'start': 1.0, 'stop': 100.0, 'num': 3, 'scale': 'log'}
        """
        table: dict[str, Any] = {"start": float(self.start), "stop": float(self.stop),
                                 "num": int(self.num)}
        if self.scale != "linear":
            table["scale"] = self.scale
        return table


def key_error(key: str, exc: Exception) -> Exception:
    """``exc`` re-raised as the same type with ``config key <key>:`` in front of its message.

    Parameters
    ----------
    key : str
        The config key, for the messages.
    exc : Exception
        The original error.

    Returns
    -------
    Exception
        A new exception of the same type.
    """
    return type(exc)(f"config key {key}: {exc}")


def load_toml(text: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error becomes ``ValueError('config is not valid TOML: ...')``.

    Parameters
    ----------
    text : str
        TOML text.

    Returns
    -------
    dict of str to object
        The parsed document.

    Raises
    ------
    TypeError
        ``text`` is not a str.
    ValueError
        A TOML syntax error.

    Examples
    --------
    >>> load_toml('''
    ... a = 1
    ... [b]
    ... c = 'x'
    ... ''')
    {'a': 1, 'b': {'c': 'x'}}
    """
    if not isinstance(text, str):
        raise TypeError(f"config text must be a str, got {type(text).__name__}")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"config is not valid TOML: {exc}") from None


def parse_grid(key: str, table: Any) -> Grid:
    """Check a grid table ``{start, stop, num[, scale]}`` found at config key ``key``.

    Parameters
    ----------
    key : str
        The config key, for the messages.
    table : object
        The table given.

    Returns
    -------
    Grid
        The checked grid.

    Raises
    ------
    TypeError
        Not a table.
    ValueError
        Unknown or missing keys, or bad values.

    Examples
    --------
    >>> parse_grid('x', {'start': 0, 'stop': 1, 'num': 3}).values()
    [0.0, 0.5, 1.0]
    """
    if not isinstance(table, dict):
        raise TypeError(f"config key {key} must be a grid table {{start = ..., stop = ..., "
                        f"num = ...}}, got {table!r}")
    unknown = sorted(set(table) - set(_GRID_KEYS))
    missing = [k for k in ("start", "stop", "num") if k not in table]
    if unknown or missing:
        bad = f"{key}.{unknown[0]} is unknown" if unknown else f"{key}.{missing[0]} is missing"
        raise ValueError(f"config key {bad}: a grid table has start, stop, num and optionally "
                         f"scale = \"linear\" | \"log\"")
    return Grid(*_check_grid(key, table["start"], table["stop"], table["num"],
                             table.get("scale", "linear")))


def _check_grid(key: str, start: Any, stop: Any, num: Any, scale: Any) -> tuple:
    try:
        start = check_real(f"{key}.start", start)
        stop = check_real(f"{key}.stop", stop)
        num = check_int(f"{key}.num", num, low=2, high=MAX_GRID_POINTS)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"config key {exc}") from None
    if scale not in _SCALES:
        raise ValueError(f"config key {key}.scale must be one of {list(_SCALES)}, got {scale!r}")
    if start == stop:
        raise ValueError(f"config key {key}: start and stop are both {start}; a single value is "
                         f"written as a number (or a one-element list)")
    if scale == "log" and not (start > 0 and stop > 0):
        raise ValueError(f"config key {key}: scale = \"log\" needs start > 0 and stop > 0, got "
                         f"start = {start}, stop = {stop}")
    return start, stop, num, scale


def grid_values(spec: Any, key: str = "grid") -> list[float]:
    """Values of a stage config entry that holds a grid: a :class:`Grid` or a list of values.

    A list of exactly three numbers is refused as in a config file (it is what older code wrote
    for start/stop/count), so a stale caller fails instead of computing at three odd values.

    Parameters
    ----------
    spec : Grid or sequence of float
        The entry.
    key : str, optional
        Its config key, for the messages.

    Returns
    -------
    list of float
        The values.

    Raises
    ------
    TypeError
        Neither a Grid nor a list.
    ValueError
        An ambiguous list of three numbers.

    Examples
    --------
    >>> grid_values(Grid(1.0, 100.0, 3, scale="log"))
    [1.0, 10.0, 100.0]
    >>> grid_values([0.5, 0.25])
    [0.5, 0.25]
    """
    if isinstance(spec, Grid):
        return spec.values()
    if isinstance(spec, (list, tuple, np.ndarray)):
        return value_like_default(key, Grid(0.0, 1.0, 2), list(np.asarray(spec).tolist()))
    raise TypeError(f"config key {key} must be a Grid or a list of values, got {spec!r}")


def _is_number(v: Any) -> bool:
    return isinstance(v, (Real, np.number)) and not isinstance(v, bool)


# --- values checked against a registered parameter (sweep files) -----------------------------

def param_value(param: Param, key: str, value: Any) -> Any:
    """One value for ``param`` at config key ``key`` (``sweep.fixed.*``), validated.

    A grid table is accepted where the parameter is an array (it is expanded); where a single
    value is expected it is an error naming the key.

    Parameters
    ----------
    param : Param
        The registered parameter's schema.
    key : str
        The config key, for the messages.
    value : object
        The given value (a grid table for an array parameter).

    Returns
    -------
    object
        The validated value.

    Raises
    ------
    TypeError, ValueError
        A value the schema refuses (the message names the key).
    """
    if isinstance(value, dict):
        if param.type != "array":
            raise TypeError(f"config key {key} expects a single {_type_name(param)} value, got "
                            f"a table {value!r} (a grid of values to sweep belongs in "
                            f"[sweep.grid])")
        value = parse_grid(key, value).values()
    try:
        return param.validate(value)
    except (ValueError, TypeError) as exc:
        raise key_error(key, exc) from None


def param_axis(param: Param, key: str, value: Any) -> list[Any]:
    """The values a sweep axis ``sweep.grid.<name>`` takes: a list, or a grid table (floats).

    Parameters
    ----------
    param : Param
        The registered parameter's schema.
    key : str
        The config key, for the messages.
    value : list or dict
        A list of values or a grid table.

    Returns
    -------
    list
        The validated values.

    Raises
    ------
    TypeError, ValueError
        A bad axis or value (the message names the key).
    """
    if isinstance(value, dict):
        if param.type not in (float, "array"):
            raise TypeError(f"config key {key}: a grid table gives real numbers, but "
                            f"{param.name} is {_type_name(param)}; list its values instead")
        items = parse_grid(key, value).values()
    elif isinstance(value, list):
        items = value
    else:
        raise TypeError(f"config key {key} must be a list of values or a grid table "
                        f"{{start = ..., stop = ..., num = ...}}, got {value!r}")
    if not items:
        raise ValueError(f"config key {key} is an empty list: nothing to sweep")
    out = []
    for i, v in enumerate(items):
        if isinstance(v, dict):
            raise TypeError(f"config key {key}[{i}] must be a value, got a table")
        out.append(param_value(param, f"{key}[{i}]", v))
    return out


def _type_name(param: Param) -> str:
    return param.type if isinstance(param.type, str) else param.type.__name__


# --- values checked against a stage default (qtransport run) ---------------------------------

def value_like_default(key: str, default: Any, value: Any) -> Any:
    """A ``qtransport run`` value at ``key`` checked against the type of its built-in default.

    A key whose default is a :class:`Grid` takes a grid table or a list of values; a list of
    exactly three numbers there is refused as ambiguous (it used to mean start/stop/count). A key
    whose default is a list of reals also takes a grid table (expanded to its values). A table
    anywhere else (a single value, a list of integers or strings) is refused.

    Parameters
    ----------
    key : str
        The config key, for the messages.
    default : object
        The built-in default of the key.
    value : object
        The given value.

    Returns
    -------
    object
        The checked value (a :class:`Grid` or a list for a grid key).

    Raises
    ------
    TypeError, ValueError
        A value of the wrong type or an ambiguous list.

    Examples
    --------
    >>> value_like_default('n', 3, 4)
    4
    """
    if isinstance(default, Grid):
        if isinstance(value, dict):
            return parse_grid(key, value)
        if isinstance(value, list):
            if not value or not all(_is_number(v) for v in value):
                raise TypeError(f"config key {key} must be a grid table {toml_value(default)} "
                                f"or a non-empty list of numbers, got {value!r}")
            if len(value) == 3:
                start, stop, n = value
                raise ValueError(
                    f"config key {key}: the three numbers {value!r} are ambiguous here (older "
                    f"versions read them as start, stop, count); write a grid as "
                    f"{{start = {start!r}, stop = {stop!r}, num = {n!r}}}, or list more or "
                    f"fewer than three values")
            return [float(v) for v in value]
        raise TypeError(f"config key {key} must be a grid table like {toml_value(default)} or a "
                        f"list of numbers, got {value!r}")
    if isinstance(value, dict):
        if isinstance(default, list) and default and all(isinstance(v, float) for v in default):
            return parse_grid(key, value).values()      # a list of reals may be written as a grid
        raise TypeError(f"config key {key} expects {_describe_default(default)}, got the table "
                        f"{value!r}")
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = _is_number(value)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, Integral) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise TypeError(f"config key {key} must be {type(default).__name__} like the default "
                        f"{default!r}, got {value!r}")
    return value


def _describe_default(default: Any) -> str:
    if isinstance(default, list):
        return f"a list like the default {toml_value(default)}"
    return f"a single {type(default).__name__} like the default {toml_value(default)}"


def toml_value(value: Any) -> str:
    """TOML text of a config value (scalars, lists, :class:`Grid` as an inline table).

    Parameters
    ----------
    value : object
        A config value.

    Returns
    -------
    str
        Its TOML text.

    Examples
    --------
    >>> toml_value([1.0, "a", True]), toml_value(Grid(1.0, 2.0, 2))
    ('[1.0, "a", true]', '{start = 1.0, stop = 2.0, num = 2}')
    """
    if isinstance(value, Grid):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.as_table().items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if math.isnan(value):
            return "nan"
    return repr(value)
