"""Registry of computations that sweeps, configs and the CLI can run by a stable name.

A physics module registers a function together with its parameter schema::

    @register("filament.conductance", summary="...", params=[
        Param("width_atoms", int, low=1, doc="filament width in sites"),
        Param("energies_eV", "array", doc="energies above the band bottom"),
        Param("seed", int, low=0, default=0)])
    def conductance(...): ...

The function must accept the parameters as keywords and return a :class:`~qtransport.results.Result`.
A model that takes ``seed`` receives a per-point seed from sweeps. Modules are imported (and so
registered) by :mod:`qtransport.workflows.catalog`, which keeps the dependency arrow pointing down.

One schema, one convention
--------------------------
The ``Param`` list is the only declaration of a model's parameters: sweep and run configs, the
``qtransport models`` command and ``docs/models.md`` read it. It must match the function's
signature (``tests/test_schema.py`` checks every registered model with :func:`inspect.signature`):

* every keyword the function accepts has a ``Param`` — so everything the Python call accepts can
  be set from a config — except keywords listed in ``python_only`` (Python objects such as a
  preset dataclass or a callable, which TOML cannot spell);
* a ``Param`` without ``default`` takes the signature's default (declare defaults once, in the
  signature); a ``Param`` that repeats a default must repeat it exactly;
* the name is ``"<namespace>.<what>"`` where the namespace is the defining module's name (a
  ``<namespace>_models.py`` module holds the registered wrappers of ``<namespace>.py``) or its
  package's name (``josephson.*`` in ``qtransport/josephson/rcsj.py``). A renamed model keeps
  its old name working through ``aliases``.
"""
from __future__ import annotations

import inspect
import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping

import numpy as np

from .errors import check_array, check_bool, check_choice, check_int, check_real

__all__ = ["Param", "Model", "register", "get", "names", "models", "aliases",
           "namespace_ok"]

_MISSING = object()


#: most values of one array parameter of a registered model: every model computes something per
#: value (a solve, a KMC run, a time step), and 10^6-value arrays ran for minutes
MAX_ARRAY_VALUES = 10**5


@dataclass(frozen=True)
class Param:
    """Schema of one model parameter.

    Parameters
    ----------
    name : str
        Keyword name, with its unit suffix.
    type : {float, int, str, bool, "array"}
        Expected type; ``"array"`` is a 1-D array of floats.
    default : object, optional
        Value when not given; omit for a required parameter.
    low, high : float, optional
        Inclusive bounds (``low_open`` / ``high_open`` make them strict).
    low_open, high_open : bool, optional
        Exclude ``low`` / ``high`` themselves.
    choices : tuple, optional
        Allowed values for strings.
    optional : bool, optional
        ``None`` is accepted (meaning "not given").
    allow_inf : bool, optional
        ±inf is a meaningful value (e.g. a linear synapse's nonlinearity A = inf).
    doc : str, optional
        One line for ``--help`` and error messages.
    file_suffix : str, optional
        For a string that may name a file (e.g. ``"_hr.dat"``): a value containing a path
        separator or ending in this suffix is a file path, which config readers resolve
        relative to the config's folder and check (a regular, readable file of that format).

    Examples
    --------
    >>> p = Param('temperature_K', float, 300.0, low=0.0, doc='temperature')
    >>> p.name, p.default
    ('temperature_K', 300.0)
    """

    name: str
    type: Any
    default: Any = _MISSING
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple | None = None
    optional: bool = False
    allow_inf: bool = False
    doc: str = ""
    file_suffix: str | None = None

    @property
    def required(self) -> bool:
        """Whether the parameter has no default (it must be given)."""
        return self.default is _MISSING

    def validate(self, value: Any) -> Any:
        """Return the value converted to the declared type, or raise a ValueError/TypeError.

        Parameters
        ----------
        value : object
            The value given for this parameter.

        Returns
        -------
        object
            ``value`` as the declared type (float, int, bool, str, 1-D float array) or ``None``.

        Raises
        ------
        TypeError, ValueError
            Wrong type, out of range or not one of ``choices``.

        Examples
        --------
        >>> Param("n_layers", int, 1, low=1).validate(3.0)
        3
        """
        if value is None and self.optional:
            return None
        if self.type is float:
            return check_real(self.name, value, low=self.low, high=self.high,
                              low_open=self.low_open, high_open=self.high_open,
                              allow_inf=self.allow_inf)
        if self.type is int:
            return check_int(self.name, value,
                             low=None if self.low is None else math.ceil(self.low),
                             high=None if self.high is None else math.floor(self.high))
        if self.type is bool:
            return check_bool(self.name, value)
        if self.type is str:
            if not isinstance(value, str):
                raise TypeError(f"{self.name} must be a string, got {value!r}")
            return check_choice(self.name, value, self.choices) if self.choices else value
        if self.type == "array":
            arr = check_array(self.name, value, low=self.low, high=self.high,
                              low_open=self.low_open, high_open=self.high_open, ndim=1)
            if arr.size > MAX_ARRAY_VALUES:
                raise ValueError(f"{self.name} must have at most {MAX_ARRAY_VALUES} values, got "
                                 f"{arr.size}")
            return arr
        raise TypeError(f"parameter {self.name} has an unknown schema type {self.type!r}")

    @property
    def type_name(self) -> str:
        """``"float"``, ``"int"``, ``"str"``, ``"bool"`` or ``"array"``."""
        return self.type if isinstance(self.type, str) else self.type.__name__

    def constraints(self) -> list[str]:
        """The allowed range as short phrases: ``[">= 1"]``, ``["one of abrupt, smooth"]``.

        Returns
        -------
        list of str
            Phrases for the bounds and choices (empty when unconstrained).

        Examples
        --------
        >>> Param("t_nm", float, 1.0, low=0.0, low_open=True).constraints()
        ['> 0.0']
        """
        rng = []
        if self.low is not None:
            rng.append(f"{'>' if self.low_open else '>='} {self.low}")
        if self.high is not None:
            rng.append(f"{'<' if self.high_open else '<='} {self.high}")
        if self.choices:
            rng.append("one of " + ", ".join(map(str, self.choices)))
        return rng

    def describe(self) -> str:
        """One line: name, type, range, default and doc (``--help``, error messages).

        Returns
        -------
        str
            The description line.

        Examples
        --------
        >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
        >>> isinstance(get('josephson.rabi').params[0].describe(), str)
        True
        """
        rng = self.constraints()
        default = "required" if self.required else f"default {self.default!r}"
        return (f"{self.name} ({self.type_name}{'; ' + ' and '.join(rng) if rng else ''}; "
                f"{default}) {self.doc}")


@dataclass(frozen=True)
class Model:
    """A registered computation: name, function, parameter schema and a one-line summary.

    Parameters
    ----------
    name : str
        Registered name ``"<namespace>.<what>"``.
    function : callable
        The function computing it (keywords = the parameters).
    params : tuple of Param
        Schema of every keyword of ``function`` except ``python_only``.
    summary : str, optional
        One line for ``qtransport models``.
    outputs : tuple of str, optional
        Names of the main result fields.
    python_only : tuple of str, optional
        Keywords that take Python objects and are not part of the config schema.
    aliases : tuple of str, optional
        Old names that keep working.

    Examples
    --------
    >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
    >>> m = get('josephson.rabi')
    >>> m.name
    'josephson.rabi'
    """

    name: str
    function: Callable[..., Any]
    params: tuple[Param, ...]
    summary: str = ""
    outputs: tuple[str, ...] = field(default=())
    python_only: tuple[str, ...] = field(default=())
    aliases: tuple[str, ...] = field(default=())

    @property
    def takes_seed(self) -> bool:
        """Whether the model has a ``seed`` parameter."""
        return any(p.name == "seed" for p in self.params)

    def param(self, name: str) -> Param:
        """Return the schema of the parameter ``name``.

        Parameters
        ----------
        name : str
            Parameter name.

        Returns
        -------
        Param
            Its schema.

        Raises
        ------
        ValueError
            The model has no such parameter; the message lists them.

        Examples
        --------
        >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
        >>> get('josephson.rabi').param('rabi_GHz').type.__name__
        'float'
        """
        for p in self.params:
            if p.name == name:
                return p
        raise ValueError(f"model {self.name!r} has no parameter {name!r}; its parameters: "
                         f"{', '.join(p.name for p in self.params)}")

    def validate(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check names, types and ranges; fill defaults. Errors name the parameter.

        Parameters
        ----------
        values : mapping of str to object
            Given parameter values.

        Returns
        -------
        dict of str to object
            Every parameter, validated, defaults filled in.

        Raises
        ------
        ValueError
            An unknown or missing parameter.
        TypeError
            A value of the wrong type (from :meth:`Param.validate`).

        Examples
        --------
        >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
        >>> v = get('josephson.rabi').validate({'rabi_GHz': 0.05, 'times_ns': [0.0, 10.0]})
        >>> v['rabi_GHz']
        0.05
        """
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"model {self.name!r} has no parameter {unknown[0]!r}; its "
                             f"parameters: {', '.join(sorted(known))}")
        out = {}
        for p in self.params:
            if p.name in values:
                out[p.name] = p.validate(values[p.name])
            elif p.required:
                raise ValueError(f"model {self.name!r} needs parameter {p.name!r}: {p.describe()}")
            else:
                out[p.name] = p.default
        return out

    def non_default(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` without the entries equal to their parameter's default.

        What identifies a computation: a parameter left at its default and the same parameter
        written out with the default value are the same call, and adding a new parameter (with
        a default) to a model does not change the identity of existing calls.

        Parameters
        ----------
        values : mapping of str to object
            Parameter values.

        Returns
        -------
        dict of str to object
            The entries that differ from their parameter's default.

        Examples
        --------
        >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
        >>> get('josephson.rabi').non_default({'rabi_GHz': 0.05, 'detuning_GHz': 0.0})
        {'rabi_GHz': 0.05}
        """
        defaults = {p.name: p.default for p in self.params if not p.required}
        return {k: v for k, v in values.items()
                if not (k in defaults and _equal_value(v, defaults[k]))}

    def __call__(self, **kwargs):
        return self.function(**self.validate(kwargs))

    def describe(self) -> str:
        """Several lines: name, summary, one line per parameter (what ``qtransport models`` prints).

        Returns
        -------
        str
            The description, lines joined by newlines.

        Examples
        --------
        >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
        >>> get('josephson.rabi').describe().splitlines()[0].startswith('josephson.rabi')
        True
        """
        lines = [f"{self.name}: {self.summary}"]
        if self.aliases:
            lines.append(f"  (also accepted under the old name{'s' if len(self.aliases) > 1 else ''} "
                         f"{', '.join(self.aliases)})")
        lines += [f"  {p.describe()}" for p in self.params]
        if self.outputs:
            lines.append(f"  outputs: {', '.join(self.outputs)}")
        return "\n".join(lines)


def _equal_value(a: Any, b: Any) -> bool:
    """Exact equality of two parameter values (arrays elementwise, NaN equal to NaN)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    try:
        x, y = np.asarray(a), np.asarray(b)
        return x.shape == y.shape and bool(np.all((x == y) | ((x != x) & (y != y))))
    except (TypeError, ValueError):
        return False


_REGISTRY: dict[str, Model] = {}
_ALIASES: dict[str, str] = {}


def _signature_defaults(func: Callable) -> dict[str, Any]:
    """Keyword parameters of ``func`` → their default (``_MISSING`` when required)."""
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):          # builtins without a signature: nothing to fill
        return {}
    return {p.name: (_MISSING if p.default is inspect.Parameter.empty else p.default)
            for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def namespace_ok(name: str, module: str) -> bool:
    """Whether the registered ``name`` follows the convention for a function in ``module``.

    Parameters
    ----------
    name : str
        Registered model name.
    module : str
        Dotted name of the module defining the function.

    Returns
    -------
    bool
        True if the namespace (before the first dot) is the module's name, that name without
        ``_models``, or its package's name.

    Examples
    --------
    >>> namespace_ok("josephson.iv_curve", "qtransport.josephson.rcsj")
    True
    >>> namespace_ok("tunneling.transmission", "qtransport.tight_binding.tunneling_models")
    True
    >>> namespace_ok("wannier.decay_constant", "qtransport.tight_binding.complex_bands")
    False
    """
    parts = module.split(".")
    allowed = {parts[-1], parts[-1].removesuffix("_models")}
    if len(parts) > 1:
        allowed.add(parts[-2])
    return name.split(".", 1)[0] in allowed


def register(name: str, *, params: list[Param], summary: str = "",
             outputs: tuple[str, ...] = (), python_only: tuple[str, ...] = (),
             aliases: tuple[str, ...] = ()) -> Callable:
    """Decorator registering a function under ``name`` with its parameter schema.

    Parameters
    ----------
    name : str
        ``"<namespace>.<what>"`` (see the module docstring for the convention).
    params : list of Param
        Every keyword of the function except ``python_only``; a Param without ``default``
        takes the signature's default.
    summary : str
        One line; default: the first line of the docstring.
    outputs : tuple of str
        Names of the main result fields.
    python_only : tuple of str
        Keywords that take Python objects and are not part of the config schema.
    aliases : tuple of str
        Old names that keep working (configs, tests) after a rename.

    Returns
    -------
    callable
        The decorator; it returns the function unchanged.

    Raises
    ------
    ValueError
        ``name`` (or an alias) is already registered for another function.
    """
    def wrap(func):
        if name in _REGISTRY and _REGISTRY[name].function is not func:
            raise ValueError(f"model name {name!r} is already registered")
        sig = _signature_defaults(func)
        filled = tuple(replace(p, default=sig[p.name])
                       if p.required and sig.get(p.name, _MISSING) is not _MISSING else p
                       for p in params)
        _REGISTRY[name] = Model(name, func, filled, summary or (func.__doc__ or "")
                                .strip().splitlines()[0], tuple(outputs), tuple(python_only),
                                tuple(aliases))
        for old in aliases:
            if old in _REGISTRY or _ALIASES.get(old, name) != name:
                raise ValueError(f"alias {old!r} of {name!r} is already a model name")
            _ALIASES[old] = name
        return func
    return wrap


def get(name: str) -> Model:
    """Return the registered model ``name`` or an old alias of it (modules must be imported
    first; see :mod:`qtransport.workflows.catalog`).

    Parameters
    ----------
    name : str
        Model name or old alias.

    Returns
    -------
    Model
        The registered model.

    Raises
    ------
    ValueError
        Unknown name; the message lists the registered models.

    Examples
    --------
    >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
    >>> get('josephson.rabi').name
    'josephson.rabi'
    """
    name = _ALIASES.get(name, name)
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; registered models: "
                         f"{', '.join(sorted(_REGISTRY)) or 'none'}")
    return _REGISTRY[name]


def aliases() -> dict[str, str]:
    """Old model names → current names.

    Returns
    -------
    dict of str to str
        Each alias and the name it stands for.

    Examples
    --------
    >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
    >>> isinstance(aliases(), dict)
    True
    """
    return dict(_ALIASES)


def names() -> list[str]:
    """Names of the registered models, sorted.

    Returns
    -------
    list of str
        Model names.

    Examples
    --------
    >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
    >>> 'josephson.rabi' in names()
    True
    """
    return sorted(_REGISTRY)


def models() -> dict[str, Model]:
    """A copy of the registry.

    Returns
    -------
    dict of str to Model
        Every registered model by name.

    Examples
    --------
    >>> import qtransport.josephson.qdynamics     # registers josephson.rabi
    >>> 'josephson.rabi' in models()
    True
    """
    return dict(_REGISTRY)


def as_float_array(x) -> np.ndarray:
    """Helper for model functions: a 1-D float array."""
    return np.atleast_1d(np.asarray(x, dtype=float))
