"""The device-response record: how a physics stage hands a synaptic device to the synapse layer.

Every device family (filament growth, floating gate, photonic quasi-2DEG, magnetic Josephson
junction) ends its physics stage with one :func:`device_response` result. The synapse layer
(:mod:`qtransport.synapse.extract`) reads only this record, so it never imports Kwant or QuTiP and
every extracted number traces to a dataset in the run file.

Fields (``U`` is ``S`` for conductance weights, ``A`` for critical-current weights):

``weight_ltp_U`` (n_devices, n_pulses + 1)
    weight after 0 … n_pulses potentiation pulses, starting from the low state; one row per device
    of an ensemble (disorder / cluster realizations: device-to-device variation).
``weight_ltd_U`` (n_devices, n_pulses + 1)
    the same for depression pulses, starting from the high state.
``cycle_ltp_U`` (n_cycles, n_pulses + 1), optional
    repeated potentiation of one device (cycle-to-cycle variation); absent if not modelled.
``event_energy_J``, ``write_time_s``, ``retention_s``
    energy of one programming event, duration of one programming pulse, and the time over which the
    programmed weight change decays to 1/e (``inf`` when the model has no leak).
``read_noise_rel``
    relative standard deviation of one read (sets the number of distinguishable states).
"""
from __future__ import annotations

import math

from typing import Any

import numpy as np

from ..errors import check_array, check_choice, check_real
from ..results import Result
from ..results import declare as _declare, label_of as _label_of

__all__ = ["DEVICE_RESPONSE_KIND", "WEIGHT_UNITS", "device_response", "weight_unit",
           "storable_params", "nonvolatile_response", "set_reset_curves"]

DEVICE_RESPONSE_KIND = "device.response"
WEIGHT_UNITS = ("S", "A")


def _curves(name: str, values) -> np.ndarray:
    arr = check_array(name, values, low=0.0)
    arr = np.atleast_2d(arr)
    if arr.ndim != 2 or arr.shape[1] < 3:
        raise ValueError(f"{name} must have shape (n_devices, n_pulses + 1) with at least 2 "
                         f"pulses, got {arr.shape}")
    return arr


def storable_params(params: dict[str, Any]) -> dict[str, Any]:
    """A family's parameters for the record: ``None`` ("derived from the preset") as ``""``, so
    every parameter keeps a typed HDF5/netCDF attribute.

    Parameters
    ----------
    params : dict of str to object
        The family's parameters.

    Returns
    -------
    dict of str to object
        The same with ``None`` replaced by ``""``.

    Examples
    --------
    >>> storable_params({"a": None, "b": 1.0})
    {'a': '', 'b': 1.0}
    """
    return {k: ("" if v is None else v) for k, v in params.items()}


def nonvolatile_response(family: str, params: dict[str, Any], *, weight_ltp, weight_ltd,
                         cycle_ltp, event_energy_J: float, description: str) -> Result:
    """:func:`device_response` of a non-volatile conductance synapse driven by pulses of
    ``params["pulse_width_s"]`` (the write time) with relative read noise
    ``params["read_noise_rel"]``: weights in S, retention infinite (the state is a stable
    polarization or magnetization; thermal loss is outside the model).

    Parameters
    ----------
    family : str
        Device family name.
    params : dict of str to object
        The family's parameters (``pulse_width_s`` in s and ``read_noise_rel`` are read).
    weight_ltp : array_like
        Potentiation curves, S, shape (n_devices, n_pulses + 1).
    weight_ltd : array_like
        Depression curves, S.
    cycle_ltp : array_like or None
        Repeated potentiation cycles of one device, S (``None``: not modelled).
    event_energy_J : float
        Energy of one programming event, J (> 0).
    description : str
        One line saying what the curves are.

    Returns
    -------
    Result
        Kind ``"device.response"``.
    """
    return device_response(
        family, weight_ltp=weight_ltp, weight_ltd=weight_ltd, weight_unit="S",
        event_energy_J=event_energy_J, write_time_s=params["pulse_width_s"],
        retention_s=math.inf, read_noise_rel=params["read_noise_rel"], cycle_ltp=cycle_ltp,
        description=description, params=storable_params(params))


def set_reset_curves(trains: dict[str, Result], device_prefix: str, cycle_prefix: str,
                     n_pulses: int, n_devices: int, n_cycles: int):
    """Potentiation/depression curves from pulse trains of n SET then n RESET pulses.

    Each train ``trains[f"{device_prefix}{i}"]`` (i < ``n_devices``) and
    ``trains[f"{cycle_prefix}{c}"]`` (c < ``n_cycles``) holds ``conductance_S`` of length
    2n + 1 (the state before the first pulse and after every pulse). Returns the device trains
    and the arrays ``weight_ltp`` (first n + 1 states), ``weight_ltd`` (last n + 1, starting at
    the top) and ``cycle_ltp`` (the cycles' SET halves, None without cycles), shape
    (count, n + 1), S.

    Parameters
    ----------
    trains : dict of str to Result
        Pulse-train results with ``conductance_S`` (S).
    device_prefix : str
        Key prefix of the device trains.
    cycle_prefix : str
        Key prefix of the cycle trains.
    n_pulses : int
        Pulses n per SET and per RESET branch.
    n_devices : int
        Device trains.
    n_cycles : int
        Cycle trains (0: none).

    Returns
    -------
    devices : list of Result
        The device trains.
    weight_ltp : numpy.ndarray
        SET halves, S, shape (n_devices, n + 1).
    weight_ltd : numpy.ndarray
        RESET halves, S, shape (n_devices, n + 1).
    cycle_ltp : numpy.ndarray or None
        The cycles' SET halves, S.
    """
    n = n_pulses
    devices = [trains[f"{device_prefix}{i}"] for i in range(n_devices)]
    ltp = np.array([r.conductance_S[:n + 1] for r in devices])
    ltd = np.array([r.conductance_S[n:] for r in devices])
    cycles = (np.array([trains[f"{cycle_prefix}{c}"].conductance_S[:n + 1]
                        for c in range(n_cycles)]) if n_cycles else None)
    return devices, ltp, ltd, cycles


def device_response(family: str, *, weight_ltp, weight_ltd, weight_unit: str = "S",
                    event_energy_J: float, write_time_s: float, retention_s: float,
                    read_noise_rel: float = 0.0, cycle_ltp=None, description: str = "",
                    params: dict[str, Any] | None = None) -> Result:
    """Build the standard device-response :class:`~qtransport.results.Result`.

    Parameters
    ----------
    family : str
        Device family name, e.g. ``"filament"``, ``"floating_gate"``.
    weight_ltp, weight_ltd : array_like, shape (n_devices, n_pulses + 1)
        Potentiation and depression curves (S or A, see ``weight_unit``).
    weight_unit : {"S", "A"}
        Unit of the weights: conductance or critical current.
    event_energy_J : float
        Energy of one programming event, J (> 0).
    write_time_s : float
        Duration of one programming pulse, s (> 0).
    retention_s : float
        1/e decay time of a programmed change, s (> 0; ``inf`` allowed).
    read_noise_rel : float
        Relative read-noise standard deviation (≥ 0).
    cycle_ltp : array_like, optional
        Repeated potentiation cycles of one device, shape (n_cycles, n_pulses + 1).
    description : str
        One line saying what the curves are.
    params : dict, optional
        Parameters of the physics that produced the curves (provenance).

    Returns
    -------
    Result
        Kind ``"device.response"``: ``weight_ltp_<U>``, ``weight_ltd_<U>``, ``pulse_number``,
        ``event_energy_J``, ``write_time_s``, ``retention_s``, ``read_noise_rel`` (and
        ``cycle_ltp_<U>``); attrs ``family``, ``description``, ``weight_unit``.

    Raises
    ------
    ValueError
        Curves of fewer than 2 pulses or of different lengths, or a value out of range.

    Examples
    --------
    >>> r = device_response("demo", weight_ltp=[[1.0, 2.0, 3.0]], weight_ltd=[[3.0, 2.0, 1.0]],
    ...                     event_energy_J=1e-12, write_time_s=1e-6, retention_s=float("inf"))
    >>> sorted(r.data)[:3], weight_unit(r)
    (['event_energy_J', 'pulse_number', 'read_noise_rel'], 'S')
    """
    unit = check_choice("weight_unit", weight_unit, WEIGHT_UNITS)
    ltp, ltd = _curves("weight_ltp", weight_ltp), _curves("weight_ltd", weight_ltd)
    if ltp.shape[1] != ltd.shape[1]:
        raise ValueError(f"weight_ltp and weight_ltd must have the same number of pulses, got "
                         f"{ltp.shape[1] - 1} and {ltd.shape[1] - 1}")
    data = {f"weight_ltp_{unit}": ltp, f"weight_ltd_{unit}": ltd,
            "pulse_number": np.arange(ltp.shape[1]),
            "event_energy_J": np.float64(check_real("event_energy_J", event_energy_J,
                                                    low=0.0, low_open=True)),
            "write_time_s": np.float64(check_real("write_time_s", write_time_s, low=0.0,
                                                  low_open=True)),
            "retention_s": np.float64(check_real("retention_s", retention_s, low=0.0,
                                                 low_open=True, allow_inf=True)),
            "read_noise_rel": np.float64(check_real("read_noise_rel", read_noise_rel, low=0.0))}
    if cycle_ltp is not None:
        cyc = _curves("cycle_ltp", cycle_ltp)
        if cyc.shape[1] != ltp.shape[1]:
            raise ValueError(f"cycle_ltp must have {ltp.shape[1]} columns, got {cyc.shape[1]}")
        data[f"cycle_ltp_{unit}"] = cyc
    return Result(DEVICE_RESPONSE_KIND, params or {}, data,
                  {"family": family, "description": description, "weight_unit": unit})


def weight_unit(result: Result) -> str:
    """The weight unit ('S' or 'A') of a device-response result.

    Parameters
    ----------
    result : Result
        A ``"device.response"`` result.

    Returns
    -------
    str
        ``"S"`` or ``"A"``.

    Raises
    ------
    ValueError
        ``result`` is of another kind.
    """
    if result.kind != DEVICE_RESPONSE_KIND:
        raise ValueError(f"expected a {DEVICE_RESPONSE_KIND!r} result, got {result.kind!r}")
    return str(result.attrs["weight_unit"])


def _draw_device_response(result, ax, **kw):
    """Every device's potentiation and depression weight against pulse number."""
    n = result.pulse_number
    for j, (name, color) in enumerate(((k, f"C{i}") for i, k in enumerate(
            k for k in result.data if k.startswith(("weight_ltp_", "weight_ltd_"))))):
        curves = np.atleast_2d(result.data[name])
        for i, c in enumerate(curves):
            ax.plot(n[:c.size], c, color=color, lw=1, alpha=0.7,
                    label=_label_of(name, result.kind) if i == 0 else "_", **kw)
    ax.set_xlabel(r"Pulse number $n$")
    ax.set_ylabel("Weight")
    ax.legend(fontsize="small")
    ax.set_title(f"{result.kind}: {result.attrs.get('family', '')}", fontsize="medium")


_declare(DEVICE_RESPONSE_KIND, coords=("pulse_number",), draw=_draw_device_response)
