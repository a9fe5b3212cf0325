"""Users' measured pulse data from CSV: read, check, fit.

Format (comma-separated, one header line, ``#`` comment lines allowed anywhere)::

    pulse_number,conductance_S,direction
    0,1.02e-06,ltp
    1,3.91e-06,ltp
    ...
    0,9.98e-05,ltd
    1,9.40e-05,ltd

``pulse_number``  pulses applied so far in that phase (0 = before the first pulse); for ``ltd``
                  rows it counts depression pulses from the high state.
``conductance_S`` measured conductance, S (a critical-current device may use ``conductance_S``
                  for amperes; the fit does not care about the unit).
``direction``     optional, ``ltp`` or ``ltd``; without it every row belongs to the direction
                  given to :func:`fit_csv` (default ``ltp``).

Every problem is reported with the file, line and column: a missing column, a value that is not
a number, NaN/inf, an unknown direction, too few points.
"""
from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import check_choice
from ..infra import to_jsonable
from .pulse import PulseFit, PulseResponse, fit_pulse_response

__all__ = ["PulseData", "read_pulse_csv", "fit_csv", "fits_to_dict", "REQUIRED_COLUMNS"]

REQUIRED_COLUMNS = ("pulse_number", "conductance_S")
DIRECTIONS = ("ltp", "ltd")


@dataclass(frozen=True)
class PulseData:
    """Measured pulse curves by direction: ``curves[dir] = (pulse_numbers, conductance_S)``."""

    path: str
    curves: dict[str, tuple[np.ndarray, np.ndarray]]


def _number(path, line, column, text) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path}, line {line}, column {column!r}: expected a number, got "
                         f"{text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{path}, line {line}, column {column!r}: value must be finite, got "
                         f"{text!r}")
    return value


#: refuse CSV files larger than this before reading them (a pulse table is kilobytes)
MAX_CSV_BYTES = 64 * 2**20


def _text_lines(path: str) -> list[str]:
    """The lines of a UTF-8 text file (a BOM is dropped); clear errors naming the file."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path} is a directory, not a CSV file")
    if not os.path.isfile(path):
        raise ValueError(f"{path} is not a regular file (a device or a pipe?); give a CSV file")
    with open(path, "rb") as fh:
        raw = fh.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise ValueError(f"{path}: more than {MAX_CSV_BYTES // 2**20} MiB is too large for a "
                         f"pulse-data CSV (limit csvdata.MAX_CSV_BYTES)")
    if b"\0" in raw:
        raise ValueError(f"{path} is a binary file, not a CSV text file (it contains NUL bytes; "
                         "an .xlsx or .h5 file? export it as CSV)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ValueError(f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                         "save the CSV as UTF-8") from None
    return list(io.StringIO(text, newline=""))


def _rows(path: str):
    """Yield (line number, row dict) of the data lines, after checking the header."""
    lines = [(i, ln) for i, ln in enumerate(_text_lines(path), start=1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ValueError(f"{path}: no header line; expected columns "
                         f"{', '.join(REQUIRED_COLUMNS)}[, direction]")
    reader = csv.reader([ln for _, ln in lines])
    header = [h.strip() for h in next(reader)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        sep = next((c for c in (";", "\t", "|") if len(header) == 1 and c in header[0]), None)
        hint = f" — the file seems to use {sep!r} as separator; this reader needs commas" \
            if sep else ""
        raise ValueError(f"{path}: missing column {missing[0]!r}; found columns {header}, "
                         f"required {list(REQUIRED_COLUMNS)} (optional 'direction'){hint}")
    for (lineno, _), row in zip(lines[1:], reader):
        if len(row) != len(header):
            raise ValueError(f"{path}, line {lineno}: expected {len(header)} fields "
                             f"({', '.join(header)}), got {len(row)}")
        yield lineno, dict(zip(header, (v.strip() for v in row)))


def _path(path) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a CSV file path (str or os.PathLike), got {path!r}")
    path = os.fspath(path)
    if not path:
        raise ValueError("path must be a non-empty CSV file path, got ''")
    return path


def read_pulse_csv(path: str | os.PathLike, direction: str = "ltp") -> PulseData:
    """Read a pulse-data CSV file (see the module notes for the format).

    Parameters
    ----------
    path : path-like
    direction : {"ltp", "ltd"}
        Direction of rows without a ``direction`` column.

    Returns
    -------
    PulseData

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Missing columns, non-numeric or non-finite values, unknown direction, negative pulse
        numbers, a direction with fewer than 3 points — naming file, line and column.
    """
    path = _path(path)
    check_choice("direction", direction, DIRECTIONS)
    found: dict[str, list[tuple[float, float]]] = {}
    for lineno, row in _rows(path):
        p = _number(path, lineno, "pulse_number", row["pulse_number"])
        g = _number(path, lineno, "conductance_S", row["conductance_S"])
        if p < 0:
            raise ValueError(f"{path}, line {lineno}, column 'pulse_number': must be >= 0, "
                             f"got {row['pulse_number']!r}")
        d = row.get("direction", direction).lower() or direction
        if d not in DIRECTIONS:
            raise ValueError(f"{path}, line {lineno}, column 'direction': must be one of "
                             f"{list(DIRECTIONS)}, got {row['direction']!r}")
        found.setdefault(d, []).append((p, g))
    if not found:
        raise ValueError(f"{path}: no data rows after the header")
    curves = {}
    for d, pts in found.items():
        if len(pts) < 3:
            raise ValueError(f"{path}: direction {d!r} has {len(pts)} data row(s); at least 3 "
                             "are needed to fit a pulse response")
        arr = np.array(sorted(pts))
        curves[d] = (arr[:, 0], arr[:, 1])
    return PulseData(path, curves)


def fit_csv(path: str | os.PathLike, direction: str | None = None) -> dict[str, PulseFit]:
    """Fit the NeuroSim pulse response to each direction of a CSV file.

    Parameters
    ----------
    path : path-like
    direction : {"ltp", "ltd"}, optional
        Fit only this direction (and read rows without a ``direction`` column as this one).

    Returns
    -------
    dict of direction → PulseFit
        LTD pulse counts are converted to NeuroSim's state coordinate (P − k) before fitting.
    """
    if direction is not None:
        check_choice("direction", direction, DIRECTIONS)
    data = read_pulse_csv(path, direction or "ltp")
    wanted = [direction] if direction else sorted(data.curves)
    missing = [d for d in wanted if d not in data.curves]
    if missing:
        raise ValueError(f"{data.path}: no rows with direction {missing[0]!r}; found "
                         f"{sorted(data.curves)}")
    fits = {}
    for d in wanted:
        p, g = data.curves[d]
        if d == "ltd":
            p = p.max() - p
        try:
            fits[d] = fit_pulse_response(p, g, d)
        except ValueError as exc:
            raise ValueError(f"{data.path}, direction {d!r}: {exc}") from None
    return fits


def fits_to_dict(fits: dict[str, PulseFit]) -> dict[str, Any]:
    """JSON-ready summary: every fit, the combined response, and aihwkit parameters."""
    from .export import to_aihwkit
    if not isinstance(fits, dict) or not fits:
        raise ValueError(f"fits must be a non-empty dict of direction -> PulseFit (from "
                         f"fit_csv), got {fits!r}")
    bad = [d for d, f in fits.items() if d not in DIRECTIONS or not isinstance(f, PulseFit)]
    if bad:
        raise TypeError(f"fits[{bad[0]!r}] must be a PulseFit under key 'ltp' or 'ltd', got "
                        f"{type(fits[bad[0]]).__name__}")
    out: dict[str, Any] = {"format": "qtransport.synapse.fit/1", "fits": {}}
    for d, f in fits.items():
        out["fits"][d] = {"A_pulses": f.a, "A_stderr_pulses": f.a_stderr,
                          "A_over_P": f.a / f.response.n_pulses, "rms_rel": f.rms_rel,
                          "n_points": f.n_points, **f.response.to_dict()}
    if "ltp" in fits and "ltd" in fits:
        resp = PulseResponse.from_fits(fits["ltp"], fits["ltd"])
    else:
        resp = next(iter(fits.values())).response
    out["pulse_response"] = resp.to_dict()
    out["aihwkit"] = to_aihwkit(resp)
    return to_jsonable(out)
