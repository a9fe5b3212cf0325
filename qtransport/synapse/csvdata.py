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

Instead of ``conductance_S`` the file may give the conductance in another unit, or the
resistance, with the unit in the column name (see :data:`CONDUCTANCE_COLUMNS`):
``conductance_mS``, ``conductance_uS`` (or ``µS``), ``conductance_nS``, ``conductance_G0``,
``resistance_ohm``, ``resistance_kohm``, ``resistance_Mohm``; values are converted to siemens
(resistance R → 1/R). The separator may be ``,``, ``;`` or a tab (found from the header line);
with ``;`` or tab separators a decimal comma (``1,5e-6``) is read as a decimal point.

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

from ..constants import G0
from ..errors import check_choice
from ..infra import read_user_text, to_jsonable
from .pulse import PulseFit, PulseResponse, fit_pulse_response

__all__ = ["PulseData", "read_pulse_csv", "fit_csv", "fits_to_dict", "REQUIRED_COLUMNS",
           "CONDUCTANCE_COLUMNS"]

REQUIRED_COLUMNS = ("pulse_number", "conductance_S")
#: accepted conductance/resistance columns → (kind, factor): G[S] = factor × value for a
#: conductance, G[S] = 1 / (factor × value) for a resistance (factor in ohm)
CONDUCTANCE_COLUMNS = {
    "conductance_S": ("conductance", 1.0), "conductance_mS": ("conductance", 1e-3),
    "conductance_uS": ("conductance", 1e-6), "conductance_µS": ("conductance", 1e-6),
    "conductance_nS": ("conductance", 1e-9), "conductance_pS": ("conductance", 1e-12),
    "conductance_G0": ("conductance", G0),
    "resistance_ohm": ("resistance", 1.0), "resistance_Ohm": ("resistance", 1.0),
    "resistance_kohm": ("resistance", 1e3), "resistance_kOhm": ("resistance", 1e3),
    "resistance_Mohm": ("resistance", 1e6), "resistance_MOhm": ("resistance", 1e6),
}
#: separators tried on the header line, in this order
SEPARATORS = (",", ";", "\t")
DIRECTIONS = ("ltp", "ltd")


@dataclass(frozen=True)
class PulseData:
    """Measured pulse curves by direction: ``curves[dir] = (pulse_numbers, conductance_S)``.

    Parameters
    ----------
    path : str
        The file read.
    curves : dict of str to (numpy.ndarray, numpy.ndarray)
        Direction → (pulse numbers, conductances in S).

    Examples
    --------
    >>> from pathlib import Path
    >>> import qtransport
    >>> path = Path(qtransport.__file__).parents[1] / 'examples' / 'pulse_data.csv'
    >>> n, g = read_pulse_csv(path).curves['ltp']
    >>> n.size == g.size
    True
    """

    path: str
    curves: dict[str, tuple[np.ndarray, np.ndarray]]


def _number(path, line, column, text, decimal_comma: bool = False) -> float:
    try:
        value = float(text.replace(",", ".") if decimal_comma else text)
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
    text = read_user_text(path, "pulse-data CSV", max_bytes=MAX_CSV_BYTES,
                          limit="csvdata.MAX_CSV_BYTES",
                          advice="; an .xlsx or .h5 file? export it as CSV")
    return list(io.StringIO(text, newline=""))


def _separator(header_line: str) -> str:
    """The separator that splits the header into a ``pulse_number`` column (default ',')."""
    for sep in SEPARATORS:
        if "pulse_number" in (h.strip() for h in header_line.split(sep)):
            return sep
    return ","


def _rows(path: str):
    """Yield (line number, row dict) of the data lines, after checking the header.

    Returns a generator; its first item is ``(conductance column, separator)``.
    """
    lines = [(i, ln) for i, ln in enumerate(_text_lines(path), start=1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        raise ValueError(f"{path}: no header line; expected columns "
                         f"{', '.join(REQUIRED_COLUMNS)}[, direction]")
    sep = _separator(lines[0][1])
    reader = csv.reader([ln for _, ln in lines], delimiter=sep)
    header = [h.strip() for h in next(reader)]
    g_cols = [c for c in header if c in CONDUCTANCE_COLUMNS]
    missing = [c for c in ("pulse_number",) if c not in header] or (
        [] if g_cols else ["conductance_S"])
    if missing:
        hint = ""
        if len(header) == 1 and any(c in header[0] for c in ";\t|"):
            hint = " — separators understood: ',', ';' and tab"
        elif missing == ["conductance_S"]:
            hint = (f" — or the conductance in another unit or the resistance: one of "
                    f"{sorted(CONDUCTANCE_COLUMNS)}")
        raise ValueError(f"{path}: missing column {missing[0]!r}; found columns {header}, "
                         f"required {list(REQUIRED_COLUMNS)} (optional 'direction'){hint}")
    if len(g_cols) > 1:
        raise ValueError(f"{path}: give one conductance/resistance column, found {g_cols}")
    yield g_cols[0], sep
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
        The CSV file.
    direction : {"ltp", "ltd"}
        Direction of rows without a ``direction`` column.

    Returns
    -------
    PulseData
        Pulse numbers and conductances (S) by direction, sorted by pulse number.

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Missing columns, non-numeric or non-finite values, unknown direction, negative pulse
        numbers, a direction with fewer than 3 points — naming file, line and column.

    Examples
    --------
    >>> from pathlib import Path
    >>> import qtransport
    >>> path = Path(qtransport.__file__).parents[1] / 'examples' / 'pulse_data.csv'
    >>> data = read_pulse_csv(path)
    >>> sorted(data.curves)
    ['ltd', 'ltp']
    """
    path = _path(path)
    check_choice("direction", direction, DIRECTIONS)
    found: dict[str, list[tuple[float, float]]] = {}
    rows = _rows(path)
    column, sep = next(rows)
    kind, factor = CONDUCTANCE_COLUMNS[column]
    comma = sep != ","
    for lineno, row in rows:
        p = _number(path, lineno, "pulse_number", row["pulse_number"], comma)
        g = _number(path, lineno, column, row[column], comma)
        if kind == "resistance":
            if g <= 0:
                raise ValueError(f"{path}, line {lineno}, column {column!r}: a resistance must "
                                 f"be > 0, got {row[column]!r}")
            g = 1.0 / (factor * g)
        else:
            g *= factor
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
        The CSV file.
    direction : {"ltp", "ltd"}, optional
        Fit only this direction (and read rows without a ``direction`` column as this one).

    Returns
    -------
    dict of direction → PulseFit
        LTD pulse counts are converted to NeuroSim's state coordinate (P − k) before fitting.

    Raises
    ------
    ValueError
        If `direction` is not one of ``DIRECTIONS``, the file has no rows of a wanted
        direction, or the pulse-response fit of a direction fails (the message names the file
        and the direction); errors reading the file come from :func:`read_pulse_csv`.

    Examples
    --------
    >>> from pathlib import Path
    >>> import qtransport
    >>> path = Path(qtransport.__file__).parents[1] / 'examples' / 'pulse_data.csv'
    >>> fits = fit_csv(path)
    >>> sorted(fits), bool(10 < fits['ltp'].response.a_ltp < 20)    # file made with A_LTP = 15
    (['ltd', 'ltp'], True)
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
    """JSON-ready summary: every fit, the combined response, and aihwkit parameters.

    Parameters
    ----------
    fits : dict of str to PulseFit
        ``"ltp"`` and/or ``"ltd"`` fits (:func:`fit_csv`).

    Returns
    -------
    dict of str to object
        ``format``, ``fits`` (A in pulses, conductances in S), ``pulse_response`` and
        ``aihwkit``.

    Raises
    ------
    ValueError
        ``fits`` empty or not a dict.
    TypeError
        A value that is not a PulseFit under ``"ltp"``/``"ltd"``.

    Examples
    --------
    >>> from pathlib import Path
    >>> import qtransport
    >>> path = Path(qtransport.__file__).parents[1] / 'examples' / 'pulse_data.csv'
    >>> sorted(fits_to_dict(fit_csv(path)))
    ['aihwkit', 'fits', 'format', 'pulse_response']
    """
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
