"""Every exception and warning class of qtransport, and the argument checks every public function uses.

All of the package's own exception and warning classes live here (other modules re-export them
under their old names): :class:`AccuracyWarning`, :class:`WorkLimitError`,
:class:`HrFormatError`, :class:`AgreedError`, :class:`DiskError`.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the parameter, the value
received and what is allowed, e.g. ``thickness_nm must be > 0, got -1.0``.
"""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Iterable

import numpy as np

__all__ = ["AccuracyWarning", "WorkLimitError", "HrFormatError", "AgreedError", "DiskError",
           "check_real", "check_int", "check_array", "check_choice", "check_bool",
           "check_increasing", "check_same_length", "check_work", "MAX_ENERGY_EV",
           "MAX_TEMPERATURE_K", "MAX_EFFECTIVE_MASS", "MAX_BIAS_V", "MAX_LENGTH_NM",
           "MAX_FIELD_V_PER_M", "MAX_CURRENT_A", "MAX_STAGE_COUNT"]

# --- physical ranges shared by the public checks (far outside every device, never a limit on
# --- a real calculation; they turn 1e300-type typos into an error instead of inf/NaN/hangs)
#: |energy| of an electron or a band parameter, eV: bands span ~10 eV, 1 keV is an X-ray photon
MAX_ENERGY_EV = 1e3
#: temperature, K: above the boiling point of every element (W: 6200 K)
MAX_TEMPERATURE_K = 1e4
#: effective mass in units of m_e: heavy-fermion metals reach a few hundred
MAX_EFFECTIVE_MASS = 1e3
#: |bias| across one device, V
MAX_BIAS_V = 1e4
#: a layer, well or barrier thickness, nm (10 µm: no tunneling or confinement left)
MAX_LENGTH_NM = 1e4
#: |electric field|, V/m: a hundred times the breakdown field of the strongest dielectrics
MAX_FIELD_V_PER_M = 1e11
#: |current| through one device, A
MAX_CURRENT_A = 1e3
#: largest count (seeds, devices, pulses, cycles, levels …) of one pipeline-stage config key:
#: the stages run every one of them (a 1e9 seeds key ran for ever)
MAX_STAGE_COUNT = 10**4


class AccuracyWarning(UserWarning):
    """A physics sanity check (unitarity, convergence, grid resolution) failed by a stated amount."""


class HrFormatError(ValueError):
    """A malformed tight-binding file; ``line`` is the 1-based line number (0 = whole file).

    Parameters
    ----------
    source : str
        File name (or other description) of the input.
    line : int
        1-based line number of the error, 0 for the whole file.
    message : str
        What is wrong; the exception text is ``"<source>, line <line>: <message>"``.
    """

    def __init__(self, source: str, line: int, message: str):
        self.source, self.line = source, line
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {message}")


class AgreedError(ValueError):
    """A user error decided on rank 0 and broadcast, so every rank raises it together."""


class DiskError(ValueError):
    """A write of the sweep's files failed (disk full, no permission, read-only file system).

    The message is one line naming the path and what to do; nothing half-written is left and
    the committed points are kept, so rerunning the same command resumes.
    """


class WorkLimitError(ValueError):
    """A computation was refused before it started: its estimated size exceeds a stated limit.

    A subclass of ``ValueError``, raised by :func:`check_work`. The message gives the estimate, the
    limit and the keyword that raises the limit.
    """


def _bound_text(low, high, low_open, high_open) -> str:
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high}")
    return " and ".join(parts) if parts else "finite"


def check_real(name: str, value: Any, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking type, finiteness and bounds.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    low, high : float, optional
        Lower and upper bounds (``None``: unbounded).
    low_open, high_open : bool, optional
        Exclude the bound itself (``>`` / ``<`` instead of ``>=`` / ``<=``).
    allow_inf : bool, optional
        Accept ±inf (still subject to the bounds).

    Returns
    -------
    float
        ``value`` as a float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (bools are refused).
    ValueError
        If it is NaN, infinite (unless ``allow_inf``) or outside the bounds.

    Examples
    --------
    >>> check_real("thickness_nm", 2)
    2.0
    >>> check_real("thickness_nm", -1.0, low=0.0, low_open=True)
    Traceback (most recent call last):
    ...
    ValueError: thickness_nm must be > 0.0, got -1.0
    """
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ValueError(f"{name} must be finite, got {v}")
    bad = ((low is not None and (v <= low if low_open else v < low)) or
           (high is not None and (v >= high if high_open else v > high)))
    if bad:
        raise ValueError(f"{name} must be {_bound_text(low, high, low_open, high_open)}, got {v}")
    return v


_INT64_MAX = 2**63 - 1


def check_int(name: str, value: Any, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int after checking that it is an integer within [low, high].

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check (an integral float such as ``3.0`` is accepted).
    low, high : int, optional
        Inclusive bounds (``None``: unbounded).

    Returns
    -------
    int
        ``value`` as an int.

    Raises
    ------
    TypeError
        ``value`` is not an integer (bools are refused).
    ValueError
        ``value`` is outside [low, high].

    Examples
    --------
    >>> check_int("n_layers", 3.0, low=1)
    3
    """
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if abs(v) > _INT64_MAX:          # 1e300 "integers" would become object arrays downstream
        raise ValueError(f"{name} must be an integer within ±{_INT64_MAX} (int64), got "
                         f"{float(v):.6g}")
    if (low is not None and v < low) or (high is not None and v > high):
        raise ValueError(f"{name} must be {_bound_text(low, high, False, False)}, got {v}")
    return v


def check_array(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                low_open: bool = False, high_open: bool = False, ndim: int | None = None,
                min_size: int = 1) -> np.ndarray:
    """Return ``value`` as a float ndarray (at least 1-D) after checking finiteness and bounds.

    Strings, bytes, ``None``, booleans and complex numbers are refused (``TypeError``) rather than
    parsed or truncated: ``"1.0"`` would otherwise become 1.0, ``True`` 1.0 and ``1 + 2j`` would
    lose its imaginary part.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : array_like
        The values to check.
    low, high : float, optional
        Lower and upper bounds (``None``: unbounded).
    low_open, high_open : bool, optional
        Exclude the bound itself (``>`` / ``<`` instead of ``>=`` / ``<=``).
    ndim : int, optional
        Required number of dimensions (after ``atleast_1d``).
    min_size : int, optional
        Fewest elements.

    Returns
    -------
    numpy.ndarray
        ``value`` as a float array, at least 1-D.

    Raises
    ------
    TypeError
        ``value`` holds strings, bytes, ``None``, booleans or complex numbers.
    ValueError
        Wrong dimension, too few elements, a non-finite value or one outside the bounds.

    Examples
    --------
    >>> check_array("energies_eV", 0.5).tolist()
    [0.5]
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers, got {value!r}")
    try:
        raw = np.asarray(value)
        if raw.dtype.kind in "USbc" or (raw.dtype.kind == "O" and any(
                isinstance(v, (str, bytes, complex)) or v is None for v in raw.ravel())):
            raise TypeError
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        text = repr(value)
        raise TypeError(f"{name} must be an array of real numbers, got "
                        f"{text if len(text) < 80 else text[:77] + '...'}") from None
    arr = np.atleast_1d(arr)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must have at least {min_size} element(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0]
        raise ValueError(f"{name} must contain only finite numbers, got {bad}")
    if low is not None:
        viol = arr <= low if low_open else arr < low
        if viol.any():
            raise ValueError(f"{name} must be {_bound_text(low, high, low_open, high_open)}, "
                             f"got {arr[viol].ravel()[0]}")
    if high is not None:
        viol = arr >= high if high_open else arr > high
        if viol.any():
            raise ValueError(f"{name} must be {_bound_text(low, high, low_open, high_open)}, "
                             f"got {arr[viol].ravel()[0]}")
    return arr


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``; otherwise raise ValueError listing them.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check.
    choices : iterable
        Allowed values.

    Returns
    -------
    object
        ``value`` itself.

    Raises
    ------
    ValueError
        ``value`` is not one of ``choices``.

    Examples
    --------
    >>> check_choice("method", "tmm", ("tmm", "wkb"))
    'tmm'
    """
    choices = list(choices)
    if not any(_same_choice(value, c) for c in choices):
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def _same_choice(value: Any, choice: Any) -> bool:
    """``value == choice`` for one option: an array or list is no option (its ``==`` is
    elementwise), and a bool matches only a bool (``True == 1`` otherwise)."""
    if np.ndim(value) != 0 or isinstance(value, (dict, set)):
        return False
    if isinstance(value, (bool, np.bool_)) != isinstance(choice, (bool, np.bool_)):
        return False
    try:
        return bool(value == choice)
    except (TypeError, ValueError):
        return False


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool; otherwise raise TypeError.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : object
        The value to check (``bool`` or ``numpy.bool_``).

    Returns
    -------
    bool
        ``value`` as a Python bool.

    Raises
    ------
    TypeError
        ``value`` is not a bool (``0``/``1`` are refused).

    Examples
    --------
    >>> check_bool('compute', True)
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_increasing(name: str, value: Any, *, min_size: int = 2, low: float | None = None,
               high: float | None = None) -> np.ndarray:
    """Return ``value`` as a finite, strictly increasing 1-D float grid.

    Integrations over a grid (energies, times) need it sorted without duplicates: an unsorted grid
    gives a wrong integral without any error, so it is refused here with the first bad pair.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    value : array_like
        The grid.
    min_size : int, optional
        Fewest points.
    low, high : float, optional
        Inclusive bounds of every point.

    Returns
    -------
    numpy.ndarray
        The grid as a 1-D float array.

    Raises
    ------
    TypeError, ValueError
        As :func:`check_array`, or a duplicated/decreasing pair.

    Examples
    --------
    >>> check_increasing("times_s", [0.0, 1.0, 1.0])
    Traceback (most recent call last):
    ...
    ValueError: times_s must be strictly increasing (sorted, no duplicates), got duplicated values 1.0 then 1.0 at index 1
    """
    arr = check_array(name, value, ndim=1, min_size=min_size, low=low, high=high)
    steps = np.diff(arr)
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0))
        kind = "duplicated" if steps[i] == 0 else "decreasing"
        raise ValueError(f"{name} must be strictly increasing (sorted, no duplicates), got "
                         f"{kind} values {float(arr[i])} then {float(arr[i + 1])} at index {i}")
    return arr


def check_same_length(**arrays: Any) -> int:
    """Check that the given sequences have one common length; return it.

    ``check_same_length(widths_nm=w, potentials_eV=v)`` raises ``ValueError`` naming both
    parameters and their lengths when they differ (nothing is silently truncated or broadcast).

    Parameters
    ----------
    **arrays
        Named sequences (the names appear in the message).

    Returns
    -------
    int
        The common length (0 without arguments).

    Raises
    ------
    ValueError
        The lengths differ.

    Examples
    --------
    >>> check_same_length(widths_nm=[1, 2], potentials_eV=[0.1, 0.2])
    2
    """
    lengths = {name: int(np.size(v)) for name, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        text = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"{' and '.join(lengths)} must have the same length: {text}")
    return next(iter(lengths.values()), 0)


def check_work(name: str, estimate: float, limit: float, *, unit: str = "",
               hint: str = "", advice: str | None = None) -> float:
    """Refuse a computation up front when its estimated size exceeds a user-raisable limit.

    Parameters
    ----------
    name : str
        The keyword that holds the limit (e.g. ``"max_sites"``); the message tells the user to
        pass a larger value of it.
    estimate : float
        Estimated size of the work (sites, time steps, bytes …), computed before allocating.
    limit : float
        The limit in force (the keyword's value).
    unit : str
        Unit of ``estimate`` and ``limit`` for the message (``"sites"``, ``"steps"``, ``"bytes"``).
    hint : str
        What in the input made it large (e.g. ``"length_atoms = 100000000 × width 3"``) and, where
        useful, the likely mistake (a value in F instead of pF).
    advice : str, optional
        How to raise the limit, when it is not a keyword ``name=`` (default: "pass a larger
        ``name``= if this is really intended").

    Returns
    -------
    float
        ``estimate``, when it is within the limit.

    Raises
    ------
    WorkLimitError
        (a ``ValueError``) if ``estimate > limit``.

    Examples
    --------
    >>> check_work('max_points', 1e4, 1e6, unit='points')
    10000.0
    """
    if not estimate <= limit:             # also catches a NaN estimate
        unit_text = f" {unit}" if unit else ""
        reason = f" ({hint})" if hint else ""
        how = advice or f"pass a larger {name}= if this is really intended"
        raise WorkLimitError(f"refused before starting: this needs about {estimate:.3g}"
                             f"{unit_text}{reason}, above {name} = {limit:.3g}{unit_text}; {how}")
    return estimate
