"""The protocol every synaptic device family implements.

A family is one class per physical device (scqubits' habit: one class per system). It owns the
whole device response: programming physics, energy per event, retention, cycle-to-cycle and
device-to-device variation. Its :meth:`DeviceFamily.response` returns the one record the synapse
layer reads (:func:`qtransport.devices.record.device_response`, kind ``"device.response"``).

Adding a family = one module in :mod:`qtransport.devices` with a subclass decorated by
:func:`register_family`, its entry in ``qtransport.devices._FAMILY_MODULES``, and tests.
"""
from __future__ import annotations

import abc
from typing import Any, Callable, ClassVar, Mapping, Sequence

from ..results import Result

#: most of any count parameter (``n_devices``, ``n_pulses``, ``n_cycles`` …) of a device family:
#: the response runs every device, pulse and cycle (a count of 1e18 was accepted and ran for ever)
MAX_FAMILY_COUNT = 10**5
#: magnitude range of any real family parameter (in its SI or named unit): no device quantity
#: is beyond 1e30 or, when nonzero, below 1e-30 (1e±300 typos gave overflows and NaN)
FAMILY_FLOAT_RANGE = (1e-30, 1e30)


def _check_family_ranges(family: str, params: Mapping[str, Any]) -> None:
    """Generic sanity ranges of family parameters, applied after the family's own checks."""
    import math
    for name, value in params.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and name.startswith("n_") and value > MAX_FAMILY_COUNT:
            raise ValueError(f"{name} must be <= {MAX_FAMILY_COUNT} for family {family!r}, "
                             f"got {value}")
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if isinstance(v, float) and math.isfinite(v) and v != 0.0 and not (
                    FAMILY_FLOAT_RANGE[0] <= abs(v) <= FAMILY_FLOAT_RANGE[1]):
                raise ValueError(f"{name} must have a magnitude in [{FAMILY_FLOAT_RANGE[0]:g}, "
                                 f"{FAMILY_FLOAT_RANGE[1]:g}] (or be 0) for family {family!r}, "
                                 f"got {v:g}")

__all__ = ["DeviceFamily", "register_family", "family_classes", "serial_map", "MapFunction"]

#: ``map(function, calls) -> [function(**kw) for kw in calls]``; a pipeline stage passes its
#: ``ctx.map`` (MPI ranks), so ``function`` must be a module-level (picklable) function.
MapFunction = Callable[[Callable, Sequence[Mapping[str, Any]]], list]


def serial_map(function: Callable, calls: Sequence[Mapping[str, Any]]) -> list:
    """The serial :data:`MapFunction`: call ``function(**kw)`` for each ``kw`` in order.

    A device ensemble that takes longer than 2 s shows a progress bar at a terminal
    (:func:`qtransport.infra.progress`).

    Parameters
    ----------
    function : callable
        Called as ``function(**kw)``.
    calls : sequence of mapping
        Keyword arguments of every call.

    Returns
    -------
    list
        The results, in the order of ``calls``.

    Examples
    --------
    >>> serial_map(lambda x: 2 * x, [{"x": 1}, {"x": 2}])
    [2, 4]
    """
    from ..infra import progress
    name = getattr(function, "__name__", "calls").strip("_").replace("_", " ")
    total = len(calls) if hasattr(calls, "__len__") else None
    return [function(**kw) for kw in progress(calls, desc=name, total=total)]

_FAMILIES: dict[str, type["DeviceFamily"]] = {}


class DeviceFamily(abc.ABC):
    """One synaptic device family.

    Subclasses set ``name`` (the family name written into the record, e.g. ``"floating_gate"``)
    and ``summary`` (one line), and implement :meth:`default_params` and :meth:`response`.
    Construct with keyword parameters; unknown names are refused, missing ones take the defaults.

    Raises
    ------
    TypeError
        If a keyword is not one of :meth:`default_params` (an unknown parameter).
    """

    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    def __init__(self, **params: Any) -> None:
        defaults = self.default_params()
        unknown = sorted(set(params) - set(defaults))
        if unknown:
            raise TypeError(f"{type(self).__name__} got unknown parameter(s) {unknown}; "
                            f"allowed: {sorted(defaults)}")
        merged = {**defaults, **params}
        _check_family_ranges(self.name, merged)       # before the family's own arithmetic
        self.params: dict[str, Any] = self.validate(merged)
        _check_family_ranges(self.name, self.params)

    @classmethod
    @abc.abstractmethod
    def default_params(cls) -> dict[str, Any]:
        """The family's parameters with their default values (units in the names).

        Returns
        -------
        dict of str to object
            Parameter name → default value.

        Examples
        --------
        >>> from qtransport.devices import get
        >>> sorted(get('ftj').default_params())[:3]
        ['amplitude_V', 'barrier_thickness_nm', 'conditioning_cycles']
        """

    def validate(self, params: dict[str, Any]) -> dict[str, Any]:
        """Check and convert ``params``; raise ValueError/TypeError naming a bad one.

        Parameters
        ----------
        params : dict of str to object
            Every parameter (defaults merged in).

        Returns
        -------
        dict of str to object
            The checked (and converted) parameters.

        Raises
        ------
        ValueError, TypeError
            A bad parameter (the message names it).

        Examples
        --------
        >>> from qtransport.devices import get
        >>> ftj = get('ftj')()
        >>> ftj.validate(ftj.default_params()) == ftj.params
        True
        """
        return params

    @abc.abstractmethod
    def response(self, *, seed: int = 0) -> Result:
        """Compute the device response: a ``"device.response"`` :class:`Result`.

        Parameters
        ----------
        seed : int, optional
            Seed of every random draw of the response (same seed → same record).

        Returns
        -------
        Result
            Kind ``"device.response"`` (:func:`qtransport.devices.record.device_response`).
        """

    def results(self, *, seed: int = 0, map: MapFunction = serial_map) -> dict[str, Result]:
        """The device response and the detailed results it is built from, by name.

        Always holds ``"device_response"`` (the same record :meth:`response` returns). Families
        whose response is an ensemble of independent calls distribute them with ``map`` (a
        pipeline stage passes ``ctx.map``); the numbers do not depend on it. Default: only the
        record.

        Parameters
        ----------
        seed : int, optional
            Seed of every random draw.
        map : callable, optional
            A :data:`MapFunction` distributing independent calls (default :func:`serial_map`).

        Returns
        -------
        dict of str to Result
            ``"device_response"`` and the family's detailed results.
        """
        return {"device_response": self.response(seed=seed)}

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({inner})"


def register_family(cls: type[DeviceFamily]) -> type[DeviceFamily]:
    """Class decorator: make ``cls`` reachable as ``qtransport.devices.get(cls.name)``.

    The argument (``cls``, numpydoc's name for a class) is a :class:`DeviceFamily` subclass
    with ``name`` set.

    Returns
    -------
    type
        The class itself.

    Raises
    ------
    ValueError
        ``name`` empty or registered by another class.
    """
    if not cls.name:
        raise ValueError(f"{cls.__name__}.name must be set")
    if cls.name in _FAMILIES and _FAMILIES[cls.name] is not cls:
        raise ValueError(f"device family {cls.name!r} is registered twice")
    _FAMILIES[cls.name] = cls
    return cls


def family_classes() -> dict[str, type[DeviceFamily]]:
    """The registered family classes by name (only families already imported).

    Returns
    -------
    dict of str to type
        Family name → class.

    Examples
    --------
    >>> 'ftj' in family_classes()
    True
    """
    return dict(_FAMILIES)
