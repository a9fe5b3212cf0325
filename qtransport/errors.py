"""Warnings of our own, and the argument checks every public function uses.

Each check raises ``ValueError`` or ``TypeError`` with a message that names the parameter, the value
received and what is allowed, e.g. ``thickness_nm must be > 0, got -1.0``.
"""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Iterable

import numpy as np

__all__ = ["AccuracyWarning", "check_real", "check_int", "check_array", "check_choice",
           "check_bool"]


class AccuracyWarning(UserWarning):
    """A physics sanity check (unitarity, convergence, grid resolution) failed by a stated amount."""


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

    Raises
    ------
    TypeError
        If ``value`` is not a real number (bools are refused).
    ValueError
        If it is NaN, infinite (unless ``allow_inf``) or outside the bounds.
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


def check_int(name: str, value: Any, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int after checking that it is an integer within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (Integral, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        raise ValueError(f"{name} must be {_bound_text(low, high, False, False)}, got {v}")
    return v


def check_array(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                low_open: bool = False, high_open: bool = False, ndim: int | None = None,
                min_size: int = 1) -> np.ndarray:
    """Return ``value`` as a float ndarray (at least 1-D) after checking finiteness and bounds."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of real numbers, got {value!r}") from None
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
    """Return ``value`` if it is one of ``choices``; otherwise raise ValueError listing them."""
    choices = list(choices)
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_bool(name: str, value: Any) -> bool:
    """Return ``value`` if it is a bool; otherwise raise TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)
