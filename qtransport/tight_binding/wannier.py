"""Strict reader and writer of Wannier90 ``seedname_hr.dat`` tight-binding Hamiltonians.

A DFT code plus Wannier90 (``write_hr = .true.``) gives the real-space Hamiltonian of maximally
localized Wannier functions; this module turns it into a :class:`TightBindingModel` that
:mod:`~qtransport.tight_binding.tb_systems` builds Kwant systems from, and
:mod:`~qtransport.tight_binding.complex_bands` computes barrier decay constants from.

File layout (Wannier90 User Guide, "seedname_hr.dat")::

    line 1               header (free text, e.g. the creation date)
    line 2               num_wann
    line 3               nrpts
    next ceil(nrpts/15)  the nrpts degeneracy weights N_deg(R), 15 per line
    next nrpts*num_wann² R1 R2 R3 m n Re(H_mn(R)) Im(H_mn(R))     (energies in eV)

The reader checks every count, every token and the Hermiticity H(−R) = H(R)^†, and every error
names the file and line (:class:`HrFormatError`). ``sisl`` reads this format too, but it is not a
dependency of qtransport; this reader is stricter (it refuses rather than guesses).

Geometry is not in ``_hr.dat``. Lattice vectors and Wannier centres come, in this order, from the
keywords of :func:`read_hr`, a sidecar ``seedname_lattice.toml`` (written by :func:`write_lattice_toml`),
or Wannier90's ``seedname.win`` (``unit_cell_cart`` block) and ``seedname_centres.xyz``. A
``seedname_wsvec.dat`` (``use_ws_distance``) does not hold lattice vectors: it moves each hopping
to its minimal-distance image; :func:`apply_wsvec` applies it.

Examples
--------
>>> from qtransport.tight_binding import wannier
>>> m = wannier.example("graphene")
>>> m.num_orbitals, m.periodic_axes
(2, (0, 1))
"""
from __future__ import annotations

import io
import json
import logging
import math
import os
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy.constants import physical_constants

from ..errors import (HrFormatError, check_array, check_choice, check_int, check_real,
                      check_work)
from ..infra import atomic_path
from .tb_model import TightBindingModel

__all__ = ["HrFormatError", "read_hr", "parse_hr", "write_hr", "format_hr", "read_win_lattice",
           "read_centres_xyz", "read_lattice_toml", "write_lattice_toml", "apply_wsvec",
           "example", "example_parameters", "load", "EXAMPLES",
           "HERMITICITY_TOL_EV"]

logger = logging.getLogger(__name__)

#: Wannier90 writes H with format F12.6 (rounding ≤ 5e-7 eV per entry), so H(R) and H(−R)^† of a
#: genuine file may differ by up to 1e-6 eV; anything above 1e-5 eV is a real asymmetry.
HERMITICITY_TOL_EV = 1e-5
#: names of the bundled example models in ``data/`` (``<name>_hr.dat`` + ``<name>_lattice.toml``)
EXAMPLES = ("graphene", "hbn_like", "chain")
#: default most Wannier orbitals per cell a ``_hr.dat`` may declare (``max_orbitals=``): the
#: blocks take nrpts × num_wann² × 24 bytes and every Kwant solve scales as num_wann³
MAX_ORBITALS = 2000
#: default largest ``_hr.dat`` file read (``max_file_bytes=``), bytes
MAX_FILE_BYTES = 2 * 10**9
_WEIGHTS_PER_LINE = 15
_ANGSTROM_NM = 0.1
_BOHR_NM = physical_constants["Bohr radius"][0] * 1e9


# -- parsing helpers -------------------------------------------------------------------------
#: text quoted in error messages: only what looks like numbers, so that naming a file that is
#: not a tight-binding file (a config may name any path) never copies its content into
#: messages, logs or result files
_NUMERIC_TEXT = re.compile(r"[0-9eEdD+\-.\s]{1,80}")


def _shown(text: str) -> str:
    """``repr(text)`` if it looks numeric (or like a mistyped number: a short token with a
    digit and at most two letters, e.g. ``-2.7x0``), else a description without its content."""
    text = text.strip()
    letters = sum(c.isalpha() for c in text)
    if _NUMERIC_TEXT.fullmatch(text) or (len(text) <= 16 and " " not in text and letters <= 2
                                         and any(c.isdigit() for c in text)):
        return repr(text)
    return f"{len(text.split())} token(s) of text that is not numeric (not shown)"


def _int_token(tok: str, source: str, line: int, what: str) -> int:
    try:
        return int(tok)
    except ValueError:
        raise HrFormatError(source, line, f"{what} must be an integer, got {_shown(tok)}") from None


def _float_token(tok: str, source: str, line: int, what: str) -> float:
    try:
        value = float(tok.replace("D", "E").replace("d", "e"))   # Fortran double exponent
    except ValueError:
        raise HrFormatError(source, line, f"{what} must be a real number, got {_shown(tok)}") from None
    if not math.isfinite(value):
        raise HrFormatError(source, line, f"{what} must be finite, got {_shown(tok)}")
    return value


def _single_int(lines: list[str], index: int, source: str, what: str, low: int) -> int:
    if index >= len(lines):
        raise HrFormatError(source, index + 1, f"file ends before {what} (truncated)")
    toks = lines[index].split()
    if len(toks) != 1:
        raise HrFormatError(source, index + 1, f"expected one integer ({what}), got "
                            f"{_shown(lines[index])}")
    value = _int_token(toks[0], source, index + 1, what)
    if value < low:
        raise HrFormatError(source, index + 1, f"{what} must be >= {low}, got {value}")
    return value


def _read_weights(lines: list[str], start: int, nrpts: int, source: str) -> tuple[np.ndarray, int]:
    weights: list[int] = []
    i = start
    while len(weights) < nrpts:
        if i >= len(lines):
            raise HrFormatError(source, i + 1, f"file ends after {len(weights)} of nrpts={nrpts} "
                                "degeneracy weights (truncated)")
        toks = lines[i].split()
        if not toks or len(weights) + len(toks) > nrpts:
            raise HrFormatError(source, i + 1, f"expected {min(_WEIGHTS_PER_LINE, nrpts - len(weights))}"
                                f" more degeneracy weights (nrpts={nrpts}), got {len(toks)} tokens")
        for tok in toks:
            w = _int_token(tok, source, i + 1, "degeneracy weight")
            if w < 1:
                raise HrFormatError(source, i + 1, f"degeneracy weight must be >= 1, got {w}")
            weights.append(w)
        i += 1
    return np.array(weights, dtype=np.int64), i


def _parse_hopping_line(line: str, lineno: int, source: str, num_wann: int):
    toks = line.split()
    if len(toks) != 7:
        raise HrFormatError(source, lineno, "expected 7 columns 'R1 R2 R3 m n Re Im', got "
                            f"{len(toks)}: {_shown(line)}")
    R = tuple(_int_token(t, source, lineno, f"R{i + 1}") for i, t in enumerate(toks[:3]))
    m = _int_token(toks[3], source, lineno, "orbital index m")
    n = _int_token(toks[4], source, lineno, "orbital index n")
    for name, idx in (("m", m), ("n", n)):
        if not 1 <= idx <= num_wann:
            raise HrFormatError(source, lineno, f"orbital index {name} must be in 1..num_wann="
                                f"{num_wann}, got {idx}")
    value = complex(_float_token(toks[5], source, lineno, "Re H"),
                    _float_token(toks[6], source, lineno, "Im H"))
    return R, m - 1, n - 1, value


def _read_blocks(lines, start, num_wann, nrpts, source):
    """Hopping lines: nrpts blocks of num_wann² lines sharing one R, each (m, n) exactly once."""
    per_block = num_wann * num_wann
    R = np.zeros((nrpts, 3), dtype=np.int64)
    H = np.zeros((nrpts, num_wann, num_wann), dtype=complex)
    line_of = np.zeros((nrpts, num_wann, num_wann), dtype=np.int64)
    seen_R: dict[tuple, int] = {}
    for b in range(nrpts):
        for j in range(per_block):
            i = start + b * per_block + j
            if i >= len(lines):
                found = b * per_block + j
                raise HrFormatError(source, i + 1, f"file ends after {found} of nrpts*num_wann^2 "
                                    f"= {nrpts}*{num_wann}^2 = {nrpts * per_block} hopping lines "
                                    "(truncated)")
            vec, m, n, value = _parse_hopping_line(lines[i], i + 1, source, num_wann)
            if j == 0:
                if vec in seen_R:
                    raise HrFormatError(source, i + 1, f"R = {vec} appears twice (first block at "
                                        f"line {seen_R[vec]})")
                seen_R[vec] = i + 1
                R[b] = vec
            elif vec != tuple(R[b]):
                raise HrFormatError(source, i + 1, f"R = {vec} inside the block of R = "
                                    f"{tuple(R[b].tolist())} (each R must have num_wann^2 = "
                                    f"{per_block} consecutive lines)")
            if line_of[b, m, n]:
                raise HrFormatError(source, i + 1, f"(m, n) = ({m + 1}, {n + 1}) repeated for R = "
                                    f"{vec} (first at line {line_of[b, m, n]})")
            H[b, m, n], line_of[b, m, n] = value, i + 1
    return R, H, line_of, start + nrpts * per_block


def _check_trailing(lines: list[str], end: int, source: str, expected: int) -> None:
    for i in range(end, len(lines)):
        if lines[i].strip():
            raise HrFormatError(source, i + 1, f"unexpected data after the {expected} hopping "
                                f"lines that nrpts and num_wann announce: {_shown(lines[i])}")


def _check_hermitian(R, deg, H, line_of, source, tol):
    index = {tuple(v): r for r, v in enumerate(R.tolist())}
    for r, vec in enumerate(R.tolist()):
        s = index.get(tuple(-x for x in vec))
        if s is None:
            raise HrFormatError(source, int(line_of[r, 0, 0]), f"block R = {tuple(vec)} has no "
                                f"partner -R (H(-R) = H(R)^dagger is required)")
        if deg[r] != deg[s]:
            raise HrFormatError(source, int(line_of[r, 0, 0]), f"degeneracy of R = {tuple(vec)} "
                                f"is {deg[r]} but that of -R is {deg[s]}")
        diff = np.abs(H[r] / deg[r] - H[s].conj().T / deg[s])
        m, n = np.unravel_index(int(np.argmax(diff)), diff.shape)
        if diff[m, n] > tol:
            raise HrFormatError(source, int(line_of[r, m, n]), (
                f"not Hermitian: H_{m + 1}{n + 1}(R={tuple(vec)}) = {H[r, m, n]:.6g} but "
                f"conj(H_{n + 1}{m + 1}(-R)) = {np.conj(H[s, n, m]):.6g} (line "
                f"{line_of[s, n, m]}); |difference| {diff[m, n]:.3g} eV > tolerance {tol:g} eV"))


def parse_hr(text: str, source: str = "<string>",
             hermiticity_tol_eV: float = HERMITICITY_TOL_EV, *,
             max_orbitals: int = MAX_ORBITALS) -> TightBindingModel:
    """Parse the text of a ``_hr.dat`` file into a model without geometry.

    Parameters
    ----------
    text : str
        File contents.
    source : str
        Name used in error messages.
    hermiticity_tol_eV : float
        Largest accepted |H(R)/N_deg − H(−R)^†/N_deg| in eV (default 1e-5; see
        :data:`HERMITICITY_TOL_EV`).
    max_orbitals : int
        Refuse (``WorkLimitError``) a file declaring more than this many orbitals (num_wann),
        before allocating anything (default :data:`MAX_ORBITALS`).

    Returns
    -------
    TightBindingModel
        Blocks in file order, file values (still multiplied by N_deg).

    Raises
    ------
    HrFormatError
        Truncated file, wrong counts, bad tokens, repeated entries, non-Hermitian data; the
        message names the line.

    Examples
    --------
    >>> m = parse_hr(format_hr(example('chain')))
    >>> m.num_orbitals, m.R.shape[0]
    (1, 5)
    """
    tol = check_real("hermiticity_tol_eV", hermiticity_tol_eV, low=0.0)
    limit = check_int("max_orbitals", max_orbitals, low=1)
    if not isinstance(text, str):
        raise TypeError(f"text must be the str contents of a _hr.dat file, got "
                        f"{type(text).__name__}")
    lines = text.splitlines()
    if not lines:
        raise HrFormatError(source, 1, "empty file (expected a header line)")
    num_wann = _single_int(lines, 1, source, "num_wann", 1)
    check_work("max_orbitals", num_wann, limit, unit="orbitals",
               hint=f"{source} declares num_wann = {num_wann}; its blocks alone would take "
                    f"~{24.0 * num_wann ** 2:.3g} bytes per lattice vector")
    nrpts = _single_int(lines, 2, source, "nrpts", 1)
    needed = nrpts * num_wann ** 2 + 3 + -(-nrpts // _WEIGHTS_PER_LINE)
    if needed > len(lines) and nrpts * num_wann ** 2 > 10**6:
        # a big declared size the file cannot hold: refuse before allocating the blocks
        # (small files get the line-level "truncated" error of _read_blocks instead)
        raise HrFormatError(source, 0, f"declares num_wann = {num_wann} and nrpts = {nrpts}, "
                            f"i.e. {needed} lines, but has only {len(lines)} (truncated, or "
                            f"wrong counts)")
    deg, start = _read_weights(lines, 3, nrpts, source)
    R, H, line_of, end = _read_blocks(lines, start, num_wann, nrpts, source)
    _check_trailing(lines, end, source, nrpts * num_wann ** 2)
    _check_hermitian(R, deg, H, line_of, source, tol)
    k_points = float(np.sum(1.0 / deg))
    if abs(k_points - round(k_points)) > 1e-8:
        logger.warning("%s: sum of 1/N_deg = %.6g is not an integer (a Wannier90 file gives the "
                       "number of k-points)", source, k_points)
    return TightBindingModel(R=R, degeneracy=deg, hoppings_eV=H, comment=lines[0].strip())


# -- companions: lattice and centres ---------------------------------------------------------
def _length_factor(unit: str, source: str, line: int) -> float:
    unit = unit.strip().lower()
    if unit in ("ang", "angstrom", "a"):
        return _ANGSTROM_NM
    if unit == "bohr":
        return _BOHR_NM
    if unit == "nm":
        return 1.0
    raise HrFormatError(source, line, f"length unit must be ang, bohr or nm, got {repr(unit) if unit.isalpha() and len(unit) <= 8 else _shown(unit)}")


def read_win_lattice(path: str | os.PathLike) -> np.ndarray:
    """Lattice vectors (rows, nm) from the ``unit_cell_cart`` block of a Wannier90 ``.win`` file.

    The block may start with a unit line (``ang`` — the default — or ``bohr``).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.win`` file.

    Returns
    -------
    numpy.ndarray
        Lattice vectors (rows), nm, shape (3, 3).

    Raises
    ------
    HrFormatError
        No or a malformed ``unit_cell_cart`` block.
    """
    source = os.fspath(path)
    lines = Path(path).read_text().splitlines()
    clean = [ln.split("!")[0].split("#")[0].strip() for ln in lines]
    try:
        begin = next(i for i, ln in enumerate(clean)
                     if ln.lower().split() == ["begin", "unit_cell_cart"])
    except StopIteration:
        raise HrFormatError(source, 0, "no 'begin unit_cell_cart' block") from None
    rows, factor, i = [], _ANGSTROM_NM, begin + 1
    while i < len(clean) and clean[i].lower().split() != ["end", "unit_cell_cart"]:
        toks = clean[i].split()
        if len(toks) == 1 and not rows:
            factor = _length_factor(toks[0], source, i + 1)
        elif len(toks) == 3:
            rows.append([_float_token(t, source, i + 1, "lattice vector component") for t in toks])
        elif toks:
            raise HrFormatError(source, i + 1, f"expected 3 numbers, got {_shown(clean[i])}")
        i += 1
    if i == len(clean):
        raise HrFormatError(source, begin + 1, "'begin unit_cell_cart' has no matching end")
    if len(rows) != 3:
        raise HrFormatError(source, begin + 1, f"unit_cell_cart needs 3 vectors, got {len(rows)}")
    return np.array(rows) * factor


def read_centres_xyz(path: str | os.PathLike, num_wann: int) -> np.ndarray:
    """Wannier centres (nm) from Wannier90's ``seedname_centres.xyz`` (the first ``X`` lines, Å).

    Parameters
    ----------
    path : str or os.PathLike
        The ``_centres.xyz`` file.
    num_wann : int
        Number of Wannier functions.

    Returns
    -------
    numpy.ndarray
        Centres, nm, shape (num_wann, 3).

    Raises
    ------
    HrFormatError
        Fewer centres than ``num_wann`` or a malformed line.
    """
    source = os.fspath(path)
    lines = Path(path).read_text().splitlines()
    centres = []
    for i, line in enumerate(lines[2:], start=3):
        toks = line.split()
        if len(centres) == num_wann:
            break
        if len(toks) != 4 or toks[0].upper() != "X":
            raise HrFormatError(source, i, f"expected 'X x y z' for Wannier centre "
                                f"{len(centres) + 1} of {num_wann}, got {_shown(line)}")
        centres.append([_float_token(t, source, i, "centre coordinate") for t in toks[1:]])
    if len(centres) != num_wann:
        raise HrFormatError(source, len(lines), f"found {len(centres)} Wannier centres, "
                            f"num_wann = {num_wann}")
    return np.array(centres) * _ANGSTROM_NM


def read_lattice_toml(path: str | os.PathLike) -> dict:
    """Geometry sidecar: ``lattice_vectors`` (rows), ``orbital_positions`` (Cartesian),
    ``orbital_names``, ``length_unit`` ("nm", "ang" or "bohr"); returns them in nm.

    Any other tables (e.g. ``[parameters]`` of a generated example) are returned unchanged.

    Parameters
    ----------
    path : str or os.PathLike
        The ``_lattice.toml`` file.

    Returns
    -------
    dict
        The file's tables plus ``lattice_vectors_nm`` (and ``orbital_positions_nm``), nm.

    Raises
    ------
    HrFormatError
        Invalid TOML or no ``lattice_vectors``.
    """
    source = os.fspath(path)
    with open(path, "rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise HrFormatError(source, 0, f"invalid TOML: {exc}") from None
    factor = _length_factor(str(data.get("length_unit", "nm")), source, 0)
    out = dict(data)
    if "lattice_vectors" not in data:
        raise HrFormatError(source, 0, "missing key 'lattice_vectors' (3 rows of 3 numbers)")
    out["lattice_vectors_nm"] = check_array("lattice_vectors", data["lattice_vectors"]) * factor
    if "orbital_positions" in data:
        out["orbital_positions_nm"] = check_array("orbital_positions",
                                                  data["orbital_positions"]) * factor
    return out


def write_lattice_toml(path: str | os.PathLike, model: TightBindingModel,
                       parameters: dict | None = None, description: str = "") -> None:
    """Write the geometry sidecar of ``model`` (nm; shortest round-trip float repr).

    Parameters
    ----------
    path : str or os.PathLike
        Output file.
    model : TightBindingModel
        The model (hoppings eV, geometry nm).
    parameters : dict, optional
        Written as a ``[parameters]`` table.
    description : str, optional
        Written as ``description``.
    """
    def row(v):
        return "[" + ", ".join(repr(float(x)) for x in v) + "]"
    lat = model._require_lattice()
    text = io.StringIO()
    if description:
        text.write(f"description = {json.dumps(description)}\n")
    text.write('length_unit = "nm"\n')
    text.write("lattice_vectors = [\n" + "".join(f"  {row(v)},\n" for v in lat) + "]\n")
    text.write("orbital_positions = [\n" + "".join(f"  {row(v)},\n"
                                                   for v in model.orbital_positions_nm) + "]\n")
    text.write(f"orbital_names = {json.dumps(list(model.orbital_names))}\n")
    if parameters:
        text.write("\n[parameters]\n")
        for key, value in parameters.items():
            text.write(f"{key} = {float(value)!r}\n" if isinstance(value, (int, float)) else
                       f"{key} = {json.dumps(value)}\n")
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text.getvalue())


# -- Wigner–Seitz shifts ---------------------------------------------------------------------
def _parse_wsvec(path: str | os.PathLike, num_wann: int) -> dict[tuple, list[tuple]]:
    source = os.fspath(path)
    lines = [(i + 1, ln) for i, ln in enumerate(Path(path).read_text().splitlines())
             if ln.strip() and not ln.lstrip().startswith("#")]
    shifts: dict[tuple, list[tuple]] = {}
    pos = 0
    while pos < len(lines):
        lineno, line = lines[pos]
        toks = line.split()
        if len(toks) != 5:
            raise HrFormatError(source, lineno, f"expected 'R1 R2 R3 m n', got {_shown(line)}")
        key = tuple(_int_token(t, source, lineno, "R or orbital index") for t in toks)
        if not (1 <= key[3] <= num_wann and 1 <= key[4] <= num_wann):
            raise HrFormatError(source, lineno, f"orbital indices must be in 1..{num_wann}, "
                                f"got {key[3:]}")
        if pos + 1 >= len(lines):
            raise HrFormatError(source, lineno, "file ends before the number of shifts")
        count_line, count_text = lines[pos + 1]
        count = _int_token(count_text.strip(), source, count_line, "number of shifts")
        if count < 1:
            raise HrFormatError(source, count_line, f"number of shifts must be >= 1, got {count}")
        vecs = []
        for j in range(count):
            if pos + 2 + j >= len(lines):
                raise HrFormatError(source, lines[-1][0], f"file ends inside the {count} shifts "
                                    f"of {key}")
            ln, text = lines[pos + 2 + j]
            t = text.split()
            if len(t) != 3:
                raise HrFormatError(source, ln, f"expected a shift 'T1 T2 T3', got {_shown(text)}")
            vecs.append(tuple(_int_token(x, source, ln, "shift component") for x in t))
        shifts[key] = vecs
        pos += 2 + count
    return shifts


def apply_wsvec(model: TightBindingModel, path: str | os.PathLike) -> TightBindingModel:
    """Apply Wannier90's ``seedname_wsvec.dat`` minimal-distance shifts (``use_ws_distance``).

    Each hopping H_mn(R)/N_deg(R) is split equally among its N images R + T_i listed in the file
    (Wannier90 ≥ 2.1, ``ws_distance.F90``). The result has degeneracy 1 everywhere and is exactly
    Hermitian when the input is. Entries missing from the file keep their single image R.

    Parameters
    ----------
    model : TightBindingModel
        The model (hoppings eV, geometry nm).
    path : str or os.PathLike
        The ``_wsvec.dat`` file.

    Returns
    -------
    TightBindingModel
        The shifted model (degeneracy 1).

    Raises
    ------
    HrFormatError
        A malformed file.
    """
    shifts = _parse_wsvec(path, model.num_orbitals)
    acc: dict[tuple, np.ndarray] = {}
    blocks = model.blocks()
    n = model.num_orbitals
    for r, vec in enumerate(model.R.tolist()):
        for m in range(n):
            for k in range(n):
                if blocks[r, m, k] == 0:
                    continue
                images = shifts.get((*vec, m + 1, k + 1), [(0, 0, 0)])
                for T in images:
                    key = (vec[0] + T[0], vec[1] + T[1], vec[2] + T[2])
                    acc.setdefault(key, np.zeros((n, n), dtype=complex))[m, k] += \
                        blocks[r, m, k] / len(images)
    keys = sorted(acc)
    return TightBindingModel(R=np.array(keys, dtype=np.int64), degeneracy=np.ones(len(keys), int),
                             hoppings_eV=np.array([acc[k] for k in keys]),
                             lattice_vectors_nm=model.lattice_vectors_nm,
                             orbital_positions_nm=model.orbital_positions_nm,
                             orbital_names=model.orbital_names, comment=model.comment)


# -- top level -------------------------------------------------------------------------------
def _seed(path: Path) -> Path:
    name = path.name
    return path.with_name(name[:-len("_hr.dat")] if name.endswith("_hr.dat") else path.stem)


def _companion_geometry(path: Path, num_wann: int) -> dict:
    seed = _seed(path)
    toml_path = seed.with_name(seed.name + "_lattice.toml")
    if toml_path.exists():
        logger.info("geometry from %s", toml_path)
        return read_lattice_toml(toml_path)
    geometry: dict = {}
    win = seed.with_name(seed.name + ".win")
    if win.exists():
        logger.info("lattice vectors from %s", win)
        geometry["lattice_vectors_nm"] = read_win_lattice(win)
    centres = seed.with_name(seed.name + "_centres.xyz")
    if centres.exists():
        geometry["orbital_positions_nm"] = read_centres_xyz(centres, num_wann)
    return geometry


def read_hr(path: str | os.PathLike, *, lattice_vectors_nm=None, orbital_positions_nm=None,
            orbital_names: Sequence[str] | None = None, companions: bool = True,
            use_wsvec: bool = True, min_abs_eV: float = 0.0,
            hermiticity_tol_eV: float = HERMITICITY_TOL_EV, max_orbitals: int = MAX_ORBITALS,
            max_file_bytes: int = MAX_FILE_BYTES) -> TightBindingModel:
    """Read ``seedname_hr.dat`` (strictly) and attach its geometry.

    Parameters
    ----------
    path : path-like
        The ``_hr.dat`` file.
    lattice_vectors_nm : (3, 3) array_like, optional
        Rows a1, a2, a3 in nm; overrides any companion file.
    orbital_positions_nm : (num_wann, 3) array_like, optional
        Cartesian Wannier centres in nm; overrides any companion file.
    orbital_names : sequence of str, optional
        Orbital labels.
    companions : bool
        Look for ``seedname_lattice.toml``, else ``seedname.win`` + ``seedname_centres.xyz``,
        next to the file.
    use_wsvec : bool
        Apply ``seedname_wsvec.dat`` when it exists (see :func:`apply_wsvec`).
    min_abs_eV : float
        Drop hoppings with |H/N_deg| below this (eV); on-site energies are kept.
    hermiticity_tol_eV, max_orbitals : float, int
        See :func:`parse_hr`.
    max_file_bytes : int
        Refuse (``WorkLimitError``) a file larger than this, before reading it.

    Returns
    -------
    TightBindingModel
        Hoppings in eV, geometry in nm (``None`` lattice when none was found).

    Raises
    ------
    HrFormatError
        Malformed file (message names file and line). ``FileNotFoundError`` if missing.

    Examples
    --------
    >>> import os, tempfile
    >>> m = example("chain")
    >>> path = os.path.join(tempfile.mkdtemp(), "c_hr.dat")
    >>> write_hr(path, m)
    >>> read_hr(path, lattice_vectors_nm=m.lattice_vectors_nm,
    ...         orbital_positions_nm=m.orbital_positions_nm,
    ...         orbital_names=m.orbital_names, companions=False) == m
    True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a path to a _hr.dat file, got {path!r}")
    path = Path(path)
    check_real("min_abs_eV", min_abs_eV, low=0.0)
    if path.is_dir():
        raise ValueError(f"path must be a _hr.dat file, got the directory {os.fspath(path)!r}")
    size = path.stat().st_size              # FileNotFoundError names a missing file
    check_work("max_file_bytes", size, check_int("max_file_bytes", max_file_bytes, low=1),
               unit="bytes", hint=f"size of {os.fspath(path)}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise HrFormatError(os.fspath(path), 0, f"not a text _hr.dat file (byte {exc.start} is "
                            f"not UTF-8)") from None
    model = parse_hr(text, os.fspath(path), hermiticity_tol_eV, max_orbitals=max_orbitals)
    geometry = _companion_geometry(path, model.num_orbitals) if companions else {}
    if lattice_vectors_nm is not None:
        geometry["lattice_vectors_nm"] = lattice_vectors_nm
    if orbital_positions_nm is not None:
        geometry["orbital_positions_nm"] = orbital_positions_nm
    names = orbital_names if orbital_names is not None else geometry.get("orbital_names")
    model = model.with_geometry(geometry.get("lattice_vectors_nm"),
                                geometry.get("orbital_positions_nm"), names)
    wsvec = _seed(path).with_name(_seed(path).name + "_wsvec.dat")
    if use_wsvec and wsvec.exists():
        logger.info("applying Wigner-Seitz shifts from %s", wsvec)
        model = apply_wsvec(model, wsvec)
    if min_abs_eV:
        model = model.with_cutoff(min_abs_eV)
    return model


def format_hr(model: TightBindingModel, header: str | None = None) -> str:
    """Text of a ``_hr.dat`` file for ``model``, in Wannier90's order, lossless.

    Numbers are written with 17 significant digits (``%.16e``), so reading the text back gives
    bit-identical values; Wannier90 itself writes only 6 decimals.

    Parameters
    ----------
    model : TightBindingModel
        The model (hoppings eV, geometry nm).
    header : str, optional
        First (comment) line of the file (default: the model's comment).

    Returns
    -------
    str
        The file text.

    Examples
    --------
    >>> text = format_hr(example('chain'))
    >>> text.splitlines()[1].strip()
    '1'
    """
    n, nR = model.num_orbitals, len(model.R)
    out = io.StringIO()
    out.write((header if header is not None else (model.comment or "written by qtransport"))
              .replace("\n", " ") + "\n")
    out.write(f"{n:12d}\n{nR:12d}\n")
    for start in range(0, nR, _WEIGHTS_PER_LINE):
        out.write("".join(f"{d:5d}" for d in model.degeneracy[start:start + _WEIGHTS_PER_LINE])
                  + "\n")
    for vec, block in zip(model.R.tolist(), model.hoppings_eV):
        for col in range(n):               # Wannier90: outer loop n (column), inner loop m (row)
            for row in range(n):
                v = block[row, col]
                out.write(f"{vec[0]:5d}{vec[1]:5d}{vec[2]:5d}{row + 1:5d}{col + 1:5d} "
                          f"{v.real:24.16e} {v.imag:24.16e}\n")
    return out.getvalue()


def write_hr(path: str | os.PathLike, model: TightBindingModel, header: str | None = None) -> None:
    """Write ``model`` as ``_hr.dat`` atomically (see :func:`format_hr`).

    Parameters
    ----------
    path : str or os.PathLike
        Output ``_hr.dat`` file.
    model : TightBindingModel
        The model (hoppings eV, geometry nm).
    header : str, optional
        First (comment) line of the file (default: the model's comment).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'chain_hr.dat')
    >>> write_hr(path, example('chain'))
    >>> parse_hr(open(path).read()).num_orbitals
    1
    """
    text = format_hr(model, header)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text)


def example(name: str, min_abs_eV: float = 0.0) -> TightBindingModel:
    """A bundled example model from ``data/<name>_hr.dat`` and ``data/<name>_lattice.toml``.

    Parameters
    ----------
    name : {"graphene", "hbn_like", "chain"}
        ``graphene``: nearest-neighbour honeycomb, t = 2.7 eV, a = 0.246 nm;
        ``hbn_like``: the same with on-site ±Δ (gap 2|Δ| at K);
        ``chain``: one orbital, first and second neighbours (second stored with N_deg = 2).
        The generating parameters are in :func:`example_parameters`.
    min_abs_eV : float
        Hopping cut-off (eV).

    Returns
    -------
    TightBindingModel
        The model (hoppings eV, geometry nm).

    Raises
    ------
    ValueError
        If an argument is invalid: `name` must be one of ``EXAMPLES``; `min_abs_eV` must be >=
        0.
    TypeError
        If an argument has the wrong type: `min_abs_eV` is not a real number.

    Examples
    --------
    >>> example("graphene").num_orbitals
    2
    """
    check_choice("name", name, EXAMPLES)
    min_abs_eV = check_real("min_abs_eV", min_abs_eV, low=0.0)
    folder = resources.files("qtransport.data")
    with resources.as_file(folder.joinpath(f"{name}_hr.dat")) as path:
        return read_hr(path, min_abs_eV=min_abs_eV)


def example_parameters(name: str) -> dict:
    """The ``[parameters]`` table the example ``name`` was generated from (t, Δ, a ...).

    Parameters
    ----------
    name : str
        Example name (one of :data:`EXAMPLES`).

    Returns
    -------
    dict
        Parameter name → value (eV, nm).

    Raises
    ------
    ValueError
        If an argument is invalid: `name` must be one of ``EXAMPLES``.

    Examples
    --------
    >>> sorted(example_parameters('chain'))[:3]
    ['hopping_eV', 'lattice_constant_nm', 'onsite_eV']
    """
    check_choice("name", name, EXAMPLES)
    folder = resources.files("qtransport.data")
    with resources.as_file(folder.joinpath(f"{name}_lattice.toml")) as path:
        return dict(read_lattice_toml(path).get("parameters", {}))


def load(model: str, min_abs_eV: float = 0.0) -> TightBindingModel:
    """A bundled example by name (see :data:`EXAMPLES`), else the ``_hr.dat`` file at that path.

    Parameters
    ----------
    model : str
        Example name (:data:`EXAMPLES`) or path to a ``_hr.dat`` file.
    min_abs_eV : float, optional
        Hopping cut-off, eV (≥ 0).

    Returns
    -------
    TightBindingModel
        The model.

    Raises
    ------
    TypeError
        ``model`` is not a string or path.
    ValueError
        Neither an example name nor an existing file.

    Examples
    --------
    >>> load('chain').num_orbitals
    1
    """
    if not isinstance(model, str):
        raise TypeError(f"model must be an example name {EXAMPLES} or a path, got {model!r}")
    if model in EXAMPLES:
        return example(model, min_abs_eV)
    if not Path(model).is_file():
        raise ValueError(f"model must be one of {EXAMPLES} or an existing _hr.dat path, "
                         f"got {model!r}")
    return read_hr(model, min_abs_eV=min_abs_eV)
