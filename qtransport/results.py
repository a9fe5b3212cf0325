"""Result containers and their HDF5 form: units from the name suffix, provenance, atomic writes.

A :class:`Result` holds named numpy arrays (``r.energies_eV``, ``r.conductance_G0`` …), the
registered model name that made it (``kind``) and its parameters (JSON-serializable). Files are
written through :func:`qtransport.infra.atomic_path` (temporary file in the target folder,
fsync, rename, folder fsync), so a kill never leaves a half-written file under the final name.

Examples
--------
>>> import numpy as np, tempfile, os
>>> r = Result("demo", {"width_atoms": 3}, {"energies_eV": np.arange(3.0)})
>>> path = os.path.join(tempfile.mkdtemp(), "r.h5")
>>> save(path, {"stage/demo": r})
>>> load(path)["stage/demo"] == r
True
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import platform
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

from .constants import G0 as _G0
from .infra import (atomic_path, check_output_file, file_path,  # noqa: F401  (re-exported)
                    package_versions, to_jsonable)

__all__ = ["Result", "KindSpec", "declare", "spec_of", "layout", "label_of", "unit_mathtext",
           "unit_of", "G0_UNIT", "DIMENSIONLESS", "provenance", "save", "load", "atomic_path", "to_jsonable",
           "check_output_file", "FORMAT", "attr_value", "as_result"]

#: root attribute ``qtransport_format`` of every file written by :func:`save`
FORMAT = "qtransport.results/1"

#: unit written for ``_G0`` fields: pint's own symbol for the conductance quantum 2e²/h
#: (``pint.UnitRegistry().parse_units("G_0")`` needs no custom definition)
G0_UNIT = "G_0"
#: the ``units_note`` attribute written next to every ``_G0`` dataset, for readers without pint
G0_NOTE = f"G_0 = 2 e^2/h = {_G0!r} S (pint: conductance_quantum)"

#: unit of a dimensionless field: the UDUNITS/CF spelling, which pint also parses
DIMENSIONLESS = "1"

_TOKEN = re.compile(r"^([afpnumckMGT])?(eV|Hz|Wb|ohm|rad|Pa|m|s|A|V|S|F|H|J|K|W|C|T|N)([23])?$")
#: suffix tokens that are a product of units written as one word
_COMPOUND = {"Vs": ["V", "s"], "As": ["A", "s"], "Ws": ["W", "s"]}
#: two-token products (``resistance_area_ohm_m2``)
_PRODUCTS = {("ohm", "m2"), ("ohm", "m"), ("ohm", "cm2"), ("ohm", "cm"), ("V", "s"), ("A", "s"),
             ("J", "s"), ("eV", "s"), ("C", "m"), ("W", "s")}
#: whole field names with a unit but no suffix
_NAMED_UNITS = {"phase": "rad", "subthreshold_swing_mV_per_dec": "mV"}


def _factors(token: str) -> list[tuple[str, int]] | None:
    """``"m2"`` → ``[("m", 2)]``; ``"Vs"`` → ``[("V", 1), ("s", 1)]``; None if not a unit."""
    if token == "G0":
        return [(G0_UNIT, 1)]
    if token in _COMPOUND:
        return [(u, 1) for u in _COMPOUND[token]]
    m = _TOKEN.match(token)
    if m is None:
        return None
    prefix, base, power = m.groups()
    if prefix == "c" and base != "m":
        return None
    return [((prefix or "") + base, int(power or 1))]


def _format(num: list[tuple[str, int]], den: list[tuple[str, int]]) -> str:
    parts = [u if p == 1 else f"{u}^{p}" for u, p in num]
    parts += [f"{u}^-{p}" for u, p in den]
    return " ".join(parts)


def unit_of(name: str) -> str:
    """Return the unit a field name declares by its suffix, as a UDUNITS/pint-parsable string.

    The suffix is a unit token (an optional SI prefix ``a f p n u m c k M G T``, a base ``eV m s
    Hz A V S F H J K W C T N Wb ohm rad Pa`` and an optional power ``2``/``3``), ``G0`` (written
    ``"G_0"``, pint's name of 2e²/h), ``_per_<unit>``, ``_<unit>_per_<unit>`` or a product such as
    ``_ohm_m2``. A name without one is dimensionless: ``"1"``.

    Parameters
    ----------
    name : str
        Field name.

    Returns
    -------
    str
        The unit (``"1"`` when dimensionless).

    Raises
    ------
    TypeError
        ``name`` is not a str.

    Examples
    --------
    >>> [unit_of(n) for n in ("times_ns", "current_density_A_per_m2", "rate_per_s",
    ...                       "conductance_G0", "resistance_area_ohm_m2", "transmission")]
    ['ns', 'A m^-2', 's^-1', 'G_0', 'ohm m^2', '1']
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a field name (str), got {name!r}")
    if name in _NAMED_UNITS:
        return _NAMED_UNITS[name]
    tokens = name.split("_")
    if len(tokens) < 2 or not tokens[0]:
        return DIMENSIONLESS
    last = _factors(tokens[-1])
    if last is None:
        return DIMENSIONLESS
    if len(tokens) >= 3 and tokens[-2] == "per":
        numer = _factors(tokens[-3]) if len(tokens) >= 4 else None
        return _format(numer or [], last)
    if len(tokens) >= 3 and (tokens[-2], tokens[-1]) in _PRODUCTS:
        return _format(_factors(tokens[-2]) + last, [])
    return _format(last, [])


#: the NAME attribute HDF5/netCDF readers take for "a dimension without coordinate values"
_PURE_DIM = "This is a netCDF dimension but not a netCDF variable."


@dataclass(frozen=True)
class KindSpec:
    """How the results of one kind are laid out (dimensions) and drawn (see :func:`declare`).

    Parameters
    ----------
    coords : tuple of str, optional
        Coordinate fields.
    dims : mapping of str to tuple of str, optional
        Explicit dimension names by field.
    x : str, optional
        Field on the horizontal axis of the default plot.
    y : tuple of str, optional
        Fields drawn against ``x``.
    labels : mapping of str to str, optional
        Axis labels (mathtext) by field.
    xscale, yscale : str, optional
        Axis scales (``"linear"``, ``"log"``, ``"symlog"``).
    style : str, optional
        ``"line"``, ``"step"``, ``"points"`` or ``"bar"``.
    title : str, optional
        Plot title.
    draw : callable, optional
        ``draw(result, ax, **kw)`` replacing the generic drawing.
    """

    coords: tuple[str, ...] = ()
    dims: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    x: str | None = None
    y: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    xscale: str = "linear"
    yscale: str = "linear"
    style: str = "line"
    title: str = ""
    draw: Callable | None = None


_SPECS: dict[str, KindSpec] = {}


def declare(kind: str, *, coords: tuple[str, ...] | list[str] = (),
            dims: Mapping[str, tuple[str, ...]] | None = None, x: str | None = None,
            y: tuple[str, ...] | list[str] = (), labels: Mapping[str, str] | None = None,
            xscale: str = "linear", yscale: str = "linear", style: str = "line",
            title: str = "", draw: Callable | None = None) -> KindSpec:
    """Declare the layout and default plot of a result kind (next to the code producing it).

    Parameters
    ----------
    kind : str
        Result kind, e.g. ``"filament.conductance"``.
    coords : sequence of str
        Fields that are coordinates (1-D, one per dimension). Other fields take these as
        dimensions wherever an axis has the coordinate's length (first match, in this order).
    dims : dict of str → tuple of str, optional
        Explicit dimension names of a field, for axes that have no coordinate (``"level"``) or
        when two coordinates have the same length.
    x, y : str, sequence of str
        Field on the horizontal axis (default: the first coordinate) and fields drawn against it
        (default: every field having ``x`` as a dimension).
    labels : dict of str → str, optional
        Axis labels (matplotlib mathtext) by field; the default is built from the field name and
        unit (:func:`label_of`).
    xscale, yscale : {"linear", "log", "symlog"}
        Axis scales of the default plot.
    style : {"line", "step", "points", "bar"}
        How the default plot draws the ``y`` fields.
    title : str
        Plot title (empty: none).
    draw : callable, optional
        ``draw(result, ax, **kw)`` replaces the generic drawing for this kind.

    Returns
    -------
    KindSpec
        The declared spec (also stored for :func:`spec_of`).

    Raises
    ------
    TypeError
        ``kind`` is not a non-empty string.
    ValueError
        An unknown ``style``.
    """
    if not isinstance(kind, str) or not kind:
        raise TypeError(f"kind must be a non-empty string, got {kind!r}")
    if style not in ("line", "step", "points", "bar"):
        raise ValueError(f"style must be one of line, step, points, bar, got {style!r}")
    spec = KindSpec(tuple(coords), dict(dims or {}), x, tuple(y), dict(labels or {}), xscale,
                    yscale, style, title, draw)
    _SPECS[kind] = spec
    return spec


def spec_of(kind: str) -> KindSpec | None:
    """The :class:`KindSpec` declared for ``kind`` in this process (None: not declared).

    Kinds are declared by the modules producing them, at import (:func:`declare`); this core
    module never imports them. A result read from a file carries the layout and plot style it
    was written with (:func:`read_result`), so it is laid out and labelled as when computed even
    where its producing module was never imported; only a kind's custom ``draw`` function needs
    that module (``qtransport.workflows.catalog.load_all()`` imports every one).

    Parameters
    ----------
    kind : str
        Result kind.

    Returns
    -------
    KindSpec or None
        The declared spec, or ``None``.

    Examples
    --------
    >>> spec_of('no.such.kind') is None
    True
    """
    return _SPECS.get(kind)


#: the parts of a :class:`KindSpec` a file stores (JSON group attribute ``layout``)
_STORED = ("coords", "dims", "x", "y", "labels", "xscale", "yscale", "style", "title")


def _spec_to_json(spec: KindSpec, coords: list[str], dims: dict[str, tuple[str, ...]]) -> str:
    out = {name: getattr(spec, name) for name in _STORED}
    out["coords"], out["dims"] = list(coords), {k: list(v) for k, v in dims.items()}
    return json.dumps(to_jsonable(out), sort_keys=True)


def _spec_from_json(text: Any) -> KindSpec | None:
    """The :class:`KindSpec` stored by :func:`write_result`, or None (absent or unreadable)."""
    try:
        raw = json.loads(text)
        spec = KindSpec(coords=tuple(raw.get("coords", ())),
                        dims={k: tuple(v) for k, v in dict(raw.get("dims", {})).items()},
                        x=raw.get("x"), y=tuple(raw.get("y", ())),
                        labels=dict(raw.get("labels", {})),
                        xscale=str(raw.get("xscale", "linear")),
                        yscale=str(raw.get("yscale", "linear")),
                        style=str(raw.get("style", "line")), title=str(raw.get("title", "")))
    except (TypeError, ValueError, AttributeError):
        return None
    return spec


def _spec(result: "Result") -> KindSpec:
    """The spec a result is laid out and drawn with: its kind's declared one, else the one
    stored with it in its file, else the generic layout."""
    return spec_of(result.kind) or result.__dict__.get("stored_spec") or KindSpec()


def _monotonic(arr: np.ndarray) -> bool:
    if arr.ndim != 1 or arr.size < 2 or arr.dtype.kind not in "iuf":
        return False
    d = np.diff(arr.astype(float))
    return bool(np.all(d > 0) or np.all(d < 0))


#: stems of field names that are coordinates when a kind declares none (``energies`` …)
COORDINATE_STEMS = frozenset({
    "energies", "energy", "bias", "time", "times", "pulse_number", "width_atoms", "ng",
    "n_layers", "intervals", "interval", "input", "fermi_energy", "fermi_energies",
    "temperature", "temperatures", "current", "field", "amplitude", "frequency", "frequencies",
    "thickness", "position", "positions", "z", "x", "wavevector", "k", "seed", "n_periods",
    "ramp_rate", "device_tunnel_layers", "pulse_numbers", "cycles", "n_pulses"})


def _stem(name: str) -> str:
    """The field name without its unit suffix (``"current_density_A_per_m2"`` → ``"current_density"``)."""
    tokens = name.split("_")
    if unit_of(name) == DIMENSIONLESS and name not in _NAMED_UNITS:
        return name
    n = 1
    if len(tokens) >= 3 and tokens[-2] == "per":
        n = 3 if len(tokens) >= 4 and _factors(tokens[-3]) else 2
    elif len(tokens) >= 3 and (tokens[-2], tokens[-1]) in _PRODUCTS:
        n = 2
    return "_".join(tokens[:-n]) if len(tokens) > n else name


def _is_coordinate_name(name: str) -> bool:
    return _stem(name) in COORDINATE_STEMS


def layout(result: "Result") -> tuple[list[str], dict[str, tuple[str, ...]], dict[str, int]]:
    """Coordinates, the dimension names of every field, and the dimensions without coordinate.

    A result's own ``attrs["coords"]``/``attrs["dims"]`` (list of fields; field → list of dims)
    decide first, then the kind's declared :class:`KindSpec`; without either, the monotonic 1-D
    fields with a coordinate-like name (:data:`COORDINATE_STEMS`: energies, bias, times, pulse
    numbers …) are coordinates, else the first strictly monotonic 1-D numeric field. An axis no coordinate fits is called
    ``<field>_dim<axis>``.

    Parameters
    ----------
    result : Result
        The result to lay out.

    Returns
    -------
    coords : list of str
        The coordinate fields.
    dims : dict of str → tuple of str
        For every field (a coordinate's dims are ``(itself,)``; scalars ``()``).
    pure : dict of str → int
        Dimensions that have no coordinate field, with their length.
    """
    spec = _spec(result)
    data = result.data
    if "coords" in result.attrs or "dims" in result.attrs:     # this result's own layout
        spec = KindSpec(coords=tuple(result.attrs.get("coords", ())),
                        dims={k: tuple(v) for k, v in dict(result.attrs.get("dims", {})).items()})
    if spec.coords:
        coords = [c for c in spec.coords if c in data and data[c].ndim == 1]
    else:
        coords = [k for k, v in data.items() if _is_coordinate_name(k) and _monotonic(v)]
        if not coords:
            coords = [next((k for k, v in data.items() if _monotonic(v)), None)]
            coords = [c for c in coords if c is not None]
    dims: dict[str, tuple[str, ...]] = {c: (c,) for c in coords}
    lengths = {c: data[c].shape[0] for c in coords}
    pure: dict[str, int] = {}
    for name, arr in data.items():
        if name in dims:
            continue
        names: tuple[str, ...] | None = None
        if name in spec.dims and len(spec.dims[name]) == arr.ndim:
            names = tuple(spec.dims[name])
            if any(lengths.get(d, pure.get(d, n)) != n for d, n in zip(names, arr.shape)):
                names = None                 # a declared dim that does not fit this array
        if names is None:
            found, used = [], set()
            for axis, n in enumerate(arr.shape):
                match = next((c for c in coords if lengths[c] == n and c not in used), None)
                if match is None:            # share a coordinate-less dim of the same length
                    match = next((d for d, m in pure.items() if m == n and d not in used),
                                 f"{name}_dim{axis}")
                used.add(match)
                found.append(match)
            names = tuple(found)
        for d, n in zip(names, arr.shape):
            if d not in lengths:
                pure[d] = n
        dims[name] = names
    return coords, dims, pure


_MATH_UNITS = {"G_0": r"$2e^2/h$", "1": "", "ohm": r"$\Omega$", "us": r"$\mu$s",
               "uA": r"$\mu$A", "uV": r"$\mu$V", "um": r"$\mu$m", "uS": r"$\mu$S",
               "uF": r"$\mu$F", "uJ": r"$\mu$J", "uW": r"$\mu$W", "rad": "rad"}

#: symbols of common field stems for axis labels (mathtext)
_SYMBOLS = {"energies": "Energy $E$", "energy": "Energy $E$", "conductance": "Conductance $G$",
            "transmission": "Transmission $T$", "bias": "Bias", "voltage": "Voltage $V$",
            "current": "Current $I$", "current_density": "Current density $J$",
            "time": "Time $t$", "times": "Time $t$", "temperature": "Temperature $T$",
            "pulse_number": "Pulse number $n$", "width_atoms": "Width $W$ (atoms)",
            "phase": r"Phase $\varphi$", "ng": r"Offset charge $n_g$",
            "fermi_energy": r"Fermi energy $E_F$", "sheet_density": r"Sheet density $n_s$",
            "population_excited": r"Excited population $P_1$", "accuracy": "Accuracy",
            "resistance_area": r"Resistance-area $RA$", "n_layers": "Layers $N$",
            "switched_fraction": "Switched fraction", "open_modes": "Open modes"}


def unit_mathtext(unit: str) -> str:
    """A unit string as matplotlib mathtext (``"A m^-2"`` → ``"A m$^{-2}$"``; ``"1"`` → ``""``).

    Parameters
    ----------
    unit : str
        Unit string as :func:`unit_of` returns it.

    Returns
    -------
    str
        The mathtext form.

    Examples
    --------
    >>> unit_mathtext("A m^-2")
    'A m$^{-2}$'
    """
    if unit in _MATH_UNITS:
        return _MATH_UNITS[unit]
    out = []
    for part in unit.split():
        if "^" in part:
            base, power = part.split("^", 1)
            base = _MATH_UNITS.get(base, base)
            out.append(f"{base}$^{{{power}}}$")
        else:
            out.append(_MATH_UNITS.get(part, part))
    return " ".join(out)


def label_of(name: str, kind: str | None = None, *, spec: KindSpec | None = None) -> str:
    """Axis label of a field: the kind's declared label (or ``spec``'s), else its name and unit
    in mathtext.

    Parameters
    ----------
    name : str
        Field name.
    kind : str, optional
        Result kind whose declared labels are consulted.
    spec : KindSpec, optional
        Spec to use instead of the kind's.

    Returns
    -------
    str
        The label, e.g. ``"Bias (V)"``.

    Examples
    --------
    >>> label_of('energies_eV')
    'Energy $E$ (eV)'
    """
    spec = spec or (spec_of(kind) if kind else None)
    if spec is not None and name in spec.labels:
        return spec.labels[name]
    unit = unit_of(name)
    stem = _stem(name)
    text = _SYMBOLS.get(stem, stem.replace("_", " "))
    u = unit_mathtext(unit)
    return f"{text} ({u})" if u else text


def attr_value(value: Any) -> Any:
    """A parameter as a typed netCDF/HDF5 attribute value, or None when it has no such form.

    Parameters
    ----------
    value : object
        A parameter value.

    Returns
    -------
    object or None
        ``int8`` for a bool, the value for int/float/str, an array for a list of numbers, else
        ``None``.

    Examples
    --------
    >>> attr_value(True), attr_value("tmm"), attr_value({"a": 1})
    (np.int8(1), 'tmm', None)
    """
    if isinstance(value, bool):
        return np.int8(value)
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return np.asarray(value)
    return None


@dataclass
class Result:
    """Arrays computed by one model call, with the model name and the parameters used.

    Fields are attributes (``r.energies_eV``) and show up in ``dir(r)`` (tab completion). The
    unit of a field is in its name (:func:`unit_of`). ``r.plot()`` draws it (matplotlib),
    ``r.to_xarray()`` gives an :class:`xarray.Dataset` with named dimensions, coordinates and
    ``units`` attributes; both follow the kind's :func:`declare`-d layout.

    Parameters
    ----------
    kind : str
        Registered model name, e.g. ``"filament.conductance"``.
    params : dict
        Parameters of the call (JSON-serializable after :func:`to_jsonable`).
    data : dict of str → ndarray
        Named arrays; the unit is in the name suffix (see :func:`unit_of`).
    attrs : dict
        Extra scalar metadata (strings, numbers).
    stored_spec : KindSpec, optional
        Layout and plot style read from a file (:func:`read_result`), used when the kind is not
        declared in this process; not part of equality.

    Raises
    ------
    ValueError
        If an argument is invalid: Result data names must be non-empty strings without '/'.
    TypeError
        If an argument has the wrong type: `kind` must be a non-empty string (a registered model
        name); `params`, `data` and `attrs` must be dicts.

    Examples
    --------
    >>> import numpy as np
    >>> r = Result('demo', {'n': 2}, {'x': np.arange(3.0)})
    >>> r.kind, r.x.tolist()
    ('demo', [0.0, 1.0, 2.0])
    """

    kind: str
    params: dict[str, Any]
    data: dict[str, np.ndarray]
    attrs: dict[str, Any] = field(default_factory=dict)
    stored_spec: KindSpec | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if not isinstance(self.kind, str) or not self.kind:
            raise TypeError(f"Result kind must be a non-empty string (a registered model name), "
                            f"got {self.kind!r}")
        for name, value, what in (("params", self.params, "parameters"),
                                  ("data", self.data, "named arrays"),
                                  ("attrs", self.attrs, "metadata")):
            if not isinstance(value, Mapping):
                raise TypeError(f"Result {name} must be a dict of {what}, got "
                                f"{type(value).__name__}")
        bad = [k for k in self.data if not isinstance(k, str) or not k or "/" in k]
        if bad:
            raise ValueError(f"Result data names must be non-empty strings without '/', got "
                             f"{bad[0]!r}")
        self.data = {k: np.asarray(v) for k, v in self.data.items()}
        self.params = to_jsonable(dict(self.params))
        self.attrs = dict(self.attrs)

    def __getattr__(self, name: str):
        # only called for names not found normally; during unpickling __dict__ is still empty
        data = self.__dict__.get("data", {})
        if name in data:
            return data[name]
        kind = self.__dict__.get("kind", "Result")
        raise AttributeError(f"{kind} result has no field {name!r}; fields: {sorted(data)}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.__dict__.get("data", {})))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.kind == other.kind and self.params == other.params
                and to_jsonable(self.attrs) == to_jsonable(other.attrs)
                and self.data.keys() == other.data.keys()
                and all(np.array_equal(self.data[k], other.data[k], equal_nan=True)
                        if self.data[k].dtype.kind in "fc" else
                        np.array_equal(self.data[k], other.data[k]) for k in self.data))

    @property
    def fields(self) -> list[str]:
        """Names of the arrays, in order."""
        return list(self.data)

    def units(self) -> dict[str, str]:
        """Unit of every array, from its name.

        Returns
        -------
        dict of str to str
            Field name → unit string (:func:`unit_of`).

        Examples
        --------
        >>> import numpy as np
        >>> Result('demo', {}, {'energies_eV': np.zeros(2)}).units()
        {'energies_eV': 'eV'}
        """
        return {k: unit_of(k) for k in self.data}

    def _label(self, name: str) -> str:
        return label_of(name, self.kind, spec=_spec(self))

    def to_result(self) -> "Result":
        """This result (every object :func:`save` accepts has ``to_result()``).

        Returns
        -------
        Result
            ``self``.

        Examples
        --------
        >>> import numpy as np
        >>> r = Result('demo', {}, {'x': np.zeros(2)})
        >>> r.to_result() is r
        True
        """
        return self

    def _field_text(self, name: str, arr: np.ndarray) -> str:
        unit = unit_of(name) if arr.dtype.kind in "iufcb" else "1"
        u = "" if unit == "1" else f" {unit}"
        if arr.ndim == 0:
            v = arr.item()
            return f"{name}={v:.4g}{u}" if isinstance(v, float) else f"{name}={v!r}{u}"
        return f"{name}{list(arr.shape)}{u}"

    def __repr__(self) -> str:
        items = [self._field_text(k, v) for k, v in self.data.items()]
        if len(items) > 8:
            items = items[:8] + [f"… {len(items) - 8} more"]
        return f"Result({self.kind!r}: {', '.join(items)})"

    def _repr_html_(self) -> str:
        import html
        coords, dims, _ = layout(self)
        rows = []
        for name, arr in self.data.items():
            unit = unit_of(name) if arr.dtype.kind in "iufcb" else ""
            if arr.ndim == 0:
                value = f"{arr.item():.6g}" if arr.dtype.kind in "f" else str(arr.item())
            elif arr.size and arr.dtype.kind in "iuf" and np.isfinite(arr).any():
                finite = arr[np.isfinite(arr)]
                value = f"{finite.min():.4g} … {finite.max():.4g}"
            else:
                value = ", ".join(map(str, arr.ravel()[:4])) + (" …" if arr.size > 4 else "")
            rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in (
                ("● " if name in coords else "") + name, "×".join(
                    f"{d}:{n}" for d, n in zip(dims[name], arr.shape)) or "scalar",
                unit if unit != "1" else "", value)) + "</tr>")
        params = ", ".join(f"{k}={v!r}" for k, v in list(self.params.items())[:12])
        return (f"<div><b>Result</b> <code>{html.escape(self.kind)}</code>"
                f"<div style='font-size:smaller'>{html.escape(params)}</div>"
                "<table><tr><th>field</th><th>dims</th><th>unit</th><th>value / range</th></tr>"
                + "".join(rows) + "</table></div>")

    def to_xarray(self):
        """This result as an :class:`xarray.Dataset` (xarray is imported here, lazily).

        Coordinates are the kind's coordinate fields (energies, biases, times, pulse numbers…),
        dimensions are named after them (or ``<field>_dim<axis>`` / a declared name), every
        numeric variable has a ``units`` attribute (:func:`unit_of`), ``_G0`` fields also a
        ``units_note``. Attributes: ``kind``, each parameter as a typed attribute where it has
        one (``param_<name>``), the full parameters as JSON (``params``) and the metadata.

        Returns
        -------
        xarray.Dataset
            The dataset.
        """
        import xarray as xr
        coords, dims, _ = layout(self)

        def var(name):
            arr = self.data[name]
            attrs = {}
            if arr.dtype.kind in "iufcb":
                attrs["units"] = unit_of(name)
                if attrs["units"] == G0_UNIT:
                    attrs["units_note"] = G0_NOTE
            attrs["long_name"] = self._label(name)
            return (dims[name], arr, attrs)

        ds = xr.Dataset({k: var(k) for k in self.data if k not in coords},
                        coords={c: var(c) for c in coords})
        ds.attrs["kind"] = self.kind
        ds.attrs["params"] = json.dumps(self.params, sort_keys=True)
        for k, v in self.params.items():
            typed = attr_value(v)
            if typed is not None:
                ds.attrs[f"param_{k}"] = typed
        for k, v in self.attrs.items():
            typed = attr_value(v)
            ds.attrs[f"attr_{k}"] = typed if typed is not None else json.dumps(to_jsonable(v))
        return ds

    def plot(self, ax=None, **kw):
        """Draw this result with matplotlib (imported here) and return the axes.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw into; a new figure when None.
        **kw
            ``x=``/``y=`` (field names) override the kind's default; every other keyword goes to
            the matplotlib call (``plot``/``step``/``scatter``/``bar``), e.g. ``color``, ``lw``.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.

        Raises
        ------
        ValueError
            If the result has no numeric field to plot against the x field, or a `y` field is
            not a numeric field of this result.

        Notes
        -----
        The default plot is declared next to the code producing the kind (:func:`declare`); a
        kind without one draws its first coordinate against every field defined along it
        (fields in another unit than the first go on a twin axis), or, with no coordinate, its
        arrays against their index and its scalars as bars.
        """
        import matplotlib.pyplot as plt
        spec = _spec(self)
        if ax is None:
            _, ax = plt.subplots(figsize=(5.0, 3.5), constrained_layout=True)
        if spec.draw is not None and "x" not in kw and "y" not in kw:
            spec.draw(self, ax, **kw)
            return ax
        coords, dims, _ = layout(self)
        x = kw.pop("x", None) or spec.x or (coords[0] if coords else None)
        y = kw.pop("y", None) or spec.y
        if isinstance(y, str):
            y = (y,)
        numeric = {k: v for k, v in self.data.items() if v.dtype.kind in "iufb"}
        if x is None or x not in numeric:
            return self._plot_without_coordinate(ax, numeric, y, **kw)
        xs = numeric[x]
        if not y:
            y = tuple(k for k, v in numeric.items() if k != x and 1 <= v.ndim <= 2
                      and (x in dims.get(k, ()) or v.shape[0] == xs.shape[0]))
        if not y:
            raise ValueError(f"{self.kind} result has no field to plot against {x!r}; "
                             f"fields: {self.fields}")
        first_unit = unit_of(y[0])
        twin = None
        for name in y:
            if name not in numeric:
                raise ValueError(f"y field {name!r} is not a numeric field of this "
                                 f"{self.kind} result; fields: {self.fields}")
            target = ax
            if unit_of(name) != first_unit:
                twin = twin or ax.twinx()
                target = twin
            arr = numeric[name]
            if x in dims.get(name, ()):
                arr = np.moveaxis(arr, dims[name].index(x), 0)
            elif arr.shape[:1] != xs.shape:
                continue
            self._draw(target, spec.style, xs, arr, label=self._label(name), **kw)
            target.set_ylabel(self._label(name))
            target.set_yscale(spec.yscale)
        ax.set_xlabel(self._label(x))
        ax.set_xscale(spec.xscale)
        if len(y) > 1:
            ax.set_ylabel(self._label(y[0]))
            ax.legend(fontsize="small")
        ax.set_title(spec.title or self.kind, fontsize="medium")
        return ax

    @staticmethod
    def _draw(ax, style, x, y, label="", **kw):
        y = np.asarray(y, dtype=float)
        if y.ndim > 1:                       # one line per column; one legend entry
            y = y.reshape(y.shape[0], -1)
            if y.shape[1] > 1:
                for j in range(y.shape[1]):
                    Result._draw(ax, style, x, y[:, j], label=label if j == 0 else "_", **kw)
                return
            y = y[:, 0]
        if style == "step":
            ax.step(x, y, where="mid", label=label, **kw)
        elif style == "points":
            ax.plot(x, y, "o", ms=3, label=label, **kw)
        elif style == "bar":
            ax.bar(x, y if y.ndim == 1 else y[:, 0], label=label, **kw)
        else:
            ax.plot(x, y, label=label, **kw)

    def _plot_without_coordinate(self, ax, numeric, y, **kw):
        arrays = [k for k in (y or numeric) if k in numeric and numeric[k].ndim >= 1]
        if arrays:
            for name in arrays:
                arr = numeric[name].reshape(numeric[name].shape[0], -1)
                ax.plot(np.arange(arr.shape[0]), arr, ".-", label=self._label(name),
                        **kw)
            ax.set_xlabel("index")
            ax.set_ylabel(self._label(arrays[0]) if len(arrays) == 1 else "value")
            if len(arrays) > 1:
                ax.legend(fontsize="small")
        else:
            scalars = [k for k, v in numeric.items() if v.ndim == 0]
            if not scalars:
                raise ValueError(f"{self.kind} result has no numeric field to plot; "
                                 f"fields: {self.fields}")
            ax.axis("off")                   # scalars of different units: a table
            cells = [[self._label(k), f"{float(numeric[k]):.4g}"] for k in scalars]
            ax.table(cellText=cells, colLabels=["field", "value"], loc="center", **kw)
        ax.set_title(self.kind, fontsize="medium")
        return ax


def _git_commit() -> str:
    """``<sha>`` (``+dirty`` when tracked files changed) of the checkout holding this package,
    or ``""`` when it is not run from a git checkout."""
    import subprocess
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not os.path.exists(os.path.join(root, ".git")):
        return ""
    procs = []
    try:                             # both at once: each git start-up costs ~15 ms here
        for args in (["rev-parse", "HEAD"], ["status", "--porcelain", "-uno"]):
            procs.append(subprocess.Popen(["git", "-C", root, *args], stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, text=True))
        (sha, _), (dirty, _) = (p.communicate(timeout=10) for p in procs)
        if procs[0].returncode != 0:
            return ""
    except (OSError, subprocess.SubprocessError):
        return ""
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    return sha.strip() + ("+dirty" if dirty.strip() else "")


def provenance(config_text: str = "", command: str = "", mpi_size: int = 1,
               accuracy_warnings: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Root attributes of a run file: versions, git commit, time, host, MPI size, config text,
    command and the AccuracyWarnings raised while computing.

    ``git_commit`` is the commit of the checkout the package runs from (``+dirty`` when tracked
    files differ), ``""`` for an installed package. ``accuracy_warnings`` is the messages joined
    by newlines (``accuracy_warning_count`` their number).

    Parameters
    ----------
    config_text : str, optional
        The run's configuration text.
    command : str, optional
        The command line.
    mpi_size : int, optional
        Number of MPI ranks.
    accuracy_warnings : sequence of str, optional
        Messages of the AccuracyWarnings raised.

    Returns
    -------
    dict of str to object
        Attribute name → value (str or int), including ``<package>_version`` entries.

    Examples
    --------
    >>> sorted(provenance(command='demo'))[:3]
    ['accuracy_warning_count', 'accuracy_warnings', 'adaptive_version']
    """
    from . import __version__
    warnings_list = [str(w) for w in accuracy_warnings]
    attrs = {"qtransport_version": __version__, "git_commit": _git_commit(),
             "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
             "host": platform.node(), "python": platform.python_version(),
             "mpi_size": int(mpi_size), "config": config_text, "command": command,
             "accuracy_warning_count": len(warnings_list),
             "accuracy_warnings": "\n".join(warnings_list)}
    for pkg, version in package_versions().items():
        attrs[f"{pkg}_version"] = version
    return attrs


def _fspath(name: str, path: Any) -> str:
    """``os.fspath(path)`` with an error naming the parameter (:func:`qtransport.infra.file_path`)."""
    return file_path(path, name)


def write_result(group, result: Result) -> None:
    """Write one :class:`Result` into an open h5py group, with netCDF-4 dimension scales.

    Coordinates (:func:`layout`) become dimension scales attached to every dataset defined along
    them; axes without a coordinate get a dimension-only scale, so ``xarray.open_dataset(path,
    group=..., engine="h5netcdf")`` sees named dimensions. Parameters are stored as JSON
    (``params``, exact round trip) and, where they have one, as typed attributes
    ``param_<name>``.
    """
    import h5py
    group.attrs["kind"] = result.kind
    group.attrs["params"] = json.dumps(result.params, sort_keys=True)
    group.attrs["attrs"] = json.dumps(to_jsonable(result.attrs), sort_keys=True)
    for k, v in result.params.items():
        typed = attr_value(v)
        if typed is not None:
            group.attrs[f"param_{k}"] = typed
    coords, dims, pure = layout(result)
    group.attrs["layout"] = _spec_to_json(_spec(result), coords, dims)
    written = {}
    for name, arr in result.data.items():      # in the result's order (track_order groups)
        if arr.dtype.kind == "U":
            ds = group.create_dataset(name, data=arr.astype(object), dtype=h5py.string_dtype())
        else:
            ds = group.create_dataset(name, data=arr)
            ds.attrs["units"] = unit_of(name)
            if ds.attrs["units"] == G0_UNIT:
                ds.attrs["units_note"] = G0_NOTE
        written[name] = ds
    scales = {}
    for name in coords:
        written[name].make_scale(name)
        scales[name] = written[name]
    for name, n in pure.items():
        if name not in written:
            ds = group.create_dataset(name, data=np.zeros(n, dtype="f4"))
            ds.make_scale(f"{_PURE_DIM}{n:10d}")
            scales[name] = ds
    for name, ds in written.items():
        if name in coords:
            continue
        for axis, dim in enumerate(dims[name]):
            if dim in scales:
                ds.dims[axis].attach_scale(scales[dim])


def _is_pure_dim(ds) -> bool:
    name = ds.attrs.get("NAME", b"")
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    return isinstance(name, str) and name.startswith(_PURE_DIM)


def read_result(group) -> Result:
    """Read a :class:`Result` written by :func:`write_result`.

    Raises
    ------
    ValueError
        The group is not a result group (no ``kind``/``params``, or unreadable JSON), naming the
        group.
    """
    where = f"group {group.name!r}"
    try:
        kind = group.attrs["kind"]
        params = json.loads(group.attrs["params"])
        attrs = json.loads(group.attrs.get("attrs", "{}"))
    except KeyError as exc:
        raise ValueError(f"{where} is not a qtransport result (attribute {exc} missing)") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where} has unreadable params/attrs (not JSON: {exc})") from None
    if isinstance(kind, bytes):
        kind = kind.decode("utf-8", "replace")
    if not isinstance(params, dict) or not isinstance(attrs, dict):
        raise ValueError(f"{where} has params/attrs that are not JSON objects")
    data = {}
    for name, ds in group.items():
        if not hasattr(ds, "shape") or _is_pure_dim(ds):
            continue
        arr = ds[()]
        if ds.dtype.kind == "O":
            arr = np.asarray(ds.asstr()[()], dtype=str)
        data[name] = np.asarray(arr)
    stored = _spec_from_json(group.attrs["layout"]) if "layout" in group.attrs else None
    return Result(str(kind), params, data, attrs, stored_spec=stored)


def as_result(name: str, value: Any) -> Result:
    """``value`` as a :class:`Result`: itself, or its ``to_result()``.

    Parameters
    ----------
    name : str
        Its key, for the error message.
    value : Result or object with a ``to_result()`` method
        A result, or e.g. a :class:`~qtransport.synapse.PulseResponse`.

    Returns
    -------
    Result
        ``value`` itself, or what its ``to_result()`` returned.

    Raises
    ------
    TypeError
        ``value`` is neither.

    Examples
    --------
    >>> r = Result("demo", {}, {"x": [1.0]})
    >>> as_result("demo", r) is r
    True
    """
    if isinstance(value, Result):
        return value
    to_result = getattr(value, "to_result", None)
    if callable(to_result):
        out = to_result()
        if isinstance(out, Result):
            return out
    raise TypeError(f"results[{name!r}] must be a Result or have a to_result() method "
                    f"(PulseResponse, NetworkResult, SweepResult …), got {type(value).__name__}")


def save(path: str | os.PathLike, results: Mapping[str, Any], *, config_text: str = "",
         command: str = "", mpi_size: int = 1, mode: str = "w",
         accuracy_warnings: list[str] | tuple[str, ...] = (),
         attrs: Mapping[str, Any] | None = None) -> None:
    """Write results to one HDF5 file atomically, with provenance as root attributes.

    Parameters
    ----------
    path : path-like
        Target file; replaced only once the new file is complete.
    results : mapping of str → Result
        Group path inside the file (e.g. ``"filament/staircase_2d"``) → result, or any object
        with a ``to_result()`` method (:class:`qtransport.synapse.PulseResponse`, a network
        result, a sweep result).
    config_text, command : str
        The TOML text and command line, stored for provenance.
    mpi_size : int
        Number of MPI ranks that computed the results.
    mode : {"w", "a"}
        ``"w"`` writes a new file (replacing any); ``"a"`` adds the results to an existing result
        file (a group of the same name is replaced, the others kept; the file is still replaced
        atomically, from a copy) or creates it. The root provenance describes the latest write;
        ``first_created`` keeps the date of the first.
    accuracy_warnings : sequence of str
        Messages of the AccuracyWarnings raised while computing (provenance).
    attrs : mapping, optional
        Further root attributes (strings or numbers).

    Raises
    ------
    ValueError
        If an argument is invalid: mode must be 'w' (new file) or 'a' (add to the file);
        `mpi_size` must be >= 1; results keys must be non-empty group paths like 'stage/name';
        two results keys collide (one group inside the other); with ``mode="a"``, a key
        collides with a group already in the file.
    TypeError
        If an argument has the wrong type: `mpi_size` is not an integer; `results` is not a
        dict of group path -> Result; `config_text` or `command` is not a string; a result's
        params/attrs are not JSON values (numbers, strings, lists, dicts); a data array's dtype
        is not numeric, bool or string.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), 'run.h5')
    >>> save(path, {'demo/a': Result('demo', {}, {'x': np.arange(3.0)})})
    >>> load(path)['demo/a'].x.tolist()
    [0.0, 1.0, 2.0]
    """
    import h5py
    import shutil
    if not isinstance(results, Mapping):
        raise TypeError(f"results must be a dict of group path -> Result, got "
                        f"{type(results).__name__}")
    if mode not in ("w", "a"):
        raise ValueError(f"mode must be 'w' (new file) or 'a' (add to the file), got {mode!r}")
    checked = {}
    for name, result in results.items():
        if not isinstance(name, str) or not name.strip("/"):
            raise ValueError(f"results keys must be non-empty group paths like "
                             f"'stage/name', got {name!r}")
        result = checked[name] = as_result(name, result)
        try:
            json.dumps(result.params)
            json.dumps(to_jsonable(result.attrs))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"results[{name!r}] params/attrs must be JSON values (numbers, "
                            f"strings, lists, dicts): {exc}") from None
        for field_name, arr in result.data.items():
            if arr.dtype.kind not in "biufcUS":
                raise TypeError(f"results[{name!r}].data[{field_name!r}] has dtype {arr.dtype}; "
                                "only numeric, bool and string arrays can be saved")
    names = sorted(n.strip("/") for n in results)
    for a, b in zip(names, names[1:]):
        if a == b or b.startswith(a + "/"):
            raise ValueError(f"results keys {a!r} and {b!r} collide (one group inside the other)")
    for name, value in (("config_text", config_text), ("command", command)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    from .errors import check_int
    mpi_size = check_int("mpi_size", mpi_size, low=1)
    path = _fspath("path", path)
    append = mode == "a" and os.path.exists(path)
    first_created = None
    if append:
        old = load(path)                        # refuses a non-result file, naming it
        for name in old:
            for new in checked:
                a, b = sorted((name.strip("/"), new.strip("/")))
                if a != b and b.startswith(a + "/"):
                    raise ValueError(f"results key {new!r} collides with group {name!r} "
                                     f"already in {path!r}")
        with h5py.File(path, "r") as f:
            first_created = f.attrs.get("first_created", f.attrs.get("created"))
    with atomic_path(path) as tmp:
        if append:
            shutil.copyfile(path, tmp)
        with h5py.File(tmp, "a" if append else "w") as f:
            for key, value in provenance(config_text, command, mpi_size,
                                         accuracy_warnings).items():
                f.attrs[key] = value
            for key, value in (attrs or {}).items():
                f.attrs[key] = value
            if first_created is not None:
                f.attrs["first_created"] = first_created
            f.attrs["qtransport_format"] = FORMAT
            for name, result in checked.items():
                if name.strip("/") in f:
                    del f[name.strip("/")]
                write_result(f.create_group(name, track_order=True), result)


def _open_h5(path: str, name: str = "path"):
    """Open an HDF5 file for reading; clear errors naming the path instead of h5py's OSError."""
    import h5py
    if not os.path.exists(path):
        raise FileNotFoundError(f"{name} {path!r}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{name} {path!r} is a directory, not an HDF5 file")
    if not os.path.isfile(path):
        raise ValueError(f"{name} {path!r} is not a regular file (a device or a pipe?), not a "
                         "qtransport result file")
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        text = str(exc)
        if "truncated" in text:
            why = "the file is truncated (an interrupted copy or write?)"
        elif "signature" in text:
            why = "it is not an HDF5 file"
        else:
            why = f"it cannot be read as HDF5 ({text})"
        raise ValueError(f"{name} {path!r} is not a qtransport result file: {why}") from None


def load(path: str | os.PathLike) -> dict[str, Result]:
    """Read every result group of a file written by :func:`save`.

    Parameters
    ----------
    path : str or os.PathLike
        The HDF5 file.

    Returns
    -------
    dict of str → Result
        Group path → result (empty only for a result file saved with no results).

    Raises
    ------
    FileNotFoundError, IsADirectoryError
        No such file; a directory.
    ValueError
        Not a qtransport result file, naming the path: not HDF5, truncated, a sweep file (read
        those with :func:`qtransport.workflows.sweep.load`), an HDF5 file of another program, or
        a result group that cannot be read.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), 'run.h5')
    >>> save(path, {'demo/a': Result('demo', {'n': 1}, {'x': np.arange(2.0)})})
    >>> sorted(load(path))
    ['demo/a']
    """
    import h5py
    path = _fspath("path", path)
    found: dict[str, Result] = {}
    with _open_h5(path) as f:
        if "sweep" in f and isinstance(f["sweep"], h5py.Group) and "n_points" in f["sweep"].attrs:
            raise ValueError(f"path {path!r} is a sweep file, not a result file: read it with "
                             "qtransport.workflows.sweep.load")
        marked = f.attrs.get("qtransport_format") == FORMAT
        legacy = "qtransport_version" in f.attrs     # written by save() before the format mark
        if not (marked or legacy):
            raise ValueError(f"path {path!r} is an HDF5 file but not a qtransport result file "
                             "(no qtransport_format attribute; written by another program?)")

        def visit(name, obj):
            if isinstance(obj, h5py.Group) and "kind" in obj.attrs and "params" in obj.attrs:
                try:
                    found[name] = read_result(obj)
                except ValueError as exc:
                    raise ValueError(f"path {path!r}: {exc}") from None
        try:
            f.visititems(visit)
        except (OSError, RuntimeError, KeyError) as exc:
            raise ValueError(f"path {path!r} is damaged: cannot read its groups ({exc})") from None
    return found
