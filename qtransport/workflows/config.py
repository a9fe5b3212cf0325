"""Sweep configuration: TOML text → a typed, validated :class:`SweepConfig`.

The file names a registered model and the values of its parameters; the model's
:class:`~qtransport.registry.Param` schema checks every name, type and range. Nothing in the file
is executed or imported except the registered model name::

    [sweep]
    model = "filament.conductance"
    seed = 0                      # root of the per-point random streams
    checkpoint_seconds = 10.0     # how often results are committed (not part of the identity)
    [sweep.fixed]
    energies_eV = [0.05, 0.1, 0.2]
    length_atoms = 10
    [sweep.grid]                  # cartesian product; the last key varies fastest
    width_atoms = [1, 2, 3, 4]
    disorder_eV = {start = 0.0, stop = 0.6, num = 4}   # a grid table: 0, 0.2, 0.4, 0.6

The config language is shared with ``qtransport run`` (:mod:`.configlang`, ``docs/config.md``):
a list is a list of values (``energies_eV = [0.0, 3.0, 31]`` is three energies); a grid is a
table ``{start, stop, num[, scale = "log"]}``, expanded to values in ``sweep.fixed`` (array
parameters) and to the swept values in ``sweep.grid``; a table where a single value is
expected is an error naming the key.

or, instead of ``[sweep.grid]``, an adaptive 1-D scan::

    [sweep.adaptive]
    parameter = "energies_eV"     # a float (or array, called with one value) parameter
    bounds = [0.0, 1.0]
    output = "conductance_G0"     # scalar (or one-element) result field to resolve
    max_points = 100
    loss_goal = 0.005             # optional: stop earlier once the loss is below this

Every error is a ``ValueError``/``TypeError`` whose message starts with the offending key
(``config key sweep.grid.width_atoms[2]: width_atoms must be >= 1, got 0``).

Examples
--------
>>> from qtransport import registry
>>> _ = registry.register("demo.square", params=[registry.Param("x", float)],
...                       summary="x squared")(lambda x: None)
>>> cfg = parse_config('[sweep]\\nmodel = "demo.square"\\n[sweep.grid]\\nx = [1, 2]\\n')
>>> cfg.grid["x"]
[1.0, 2.0]
"""
from __future__ import annotations

import hashlib
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..errors import check_int, check_real
from ..infra import MAX_CONFIG_BYTES, canonical_json, read_user_text
from ..registry import Model
from . import configlang
from .catalog import get_model

__all__ = ["SweepConfig", "AdaptiveConfig", "parse_config", "load_config", "canonical_json",
           "DEFAULT_CHECKPOINT_SECONDS", "DEFAULT_MAX_POINTS", "check_checkpoint_seconds",
           "grid_size", "resolve_file", "MAX_FILE_BYTES"]

#: results are committed at least this often (seconds) unless the config says otherwise
DEFAULT_CHECKPOINT_SECONDS = 10.0
#: largest grid a sweep accepts unless ``sweep.max_points`` says otherwise: rank 0 keeps ~2 KiB
#: of bookkeeping per point, so 10^6 points are ~2 GB before any result
DEFAULT_MAX_POINTS = 1_000_000
_SWEEP_KEYS = {"model", "seed", "checkpoint_seconds", "max_points", "fixed", "grid", "adaptive"}


def check_checkpoint_seconds(value: Any, name: str = "sweep.checkpoint_seconds") -> float:
    """The commit interval in seconds: a finite number >= 0 (0 commits every point).

    One schema for the config key and the ``--checkpoint-seconds`` option: NaN, infinities and
    negative values are refused with a message naming ``name``.

    Parameters
    ----------
    value : object
        The given interval, s.
    name : str, optional
        How the messages call it.

    Returns
    -------
    float
        The interval, s.

    Raises
    ------
    TypeError, ValueError
        Not a finite number ≥ 0.

    Examples
    --------
    >>> check_checkpoint_seconds(10)
    10.0
    """
    return check_real(name, value, low=0.0)


def grid_size(raw_grid: Mapping[str, Any]) -> int:
    """Number of points of a ``[sweep.grid]`` table, counted before any value is expanded.

    A list counts its items, a grid table its ``num`` (when it is a positive integer; any other
    ``num`` is refused later, naming the key).

    Parameters
    ----------
    raw_grid : mapping
        The raw ``[sweep.grid]`` table.

    Returns
    -------
    int
        Number of grid points.

    Examples
    --------
    >>> grid_size({"a": [1, 2, 3], "b": {"start": 0, "stop": 1, "num": 4}})
    12
    """
    n = 1
    for value in raw_grid.values():
        if isinstance(value, list):
            n *= len(value)
        elif isinstance(value, dict) and isinstance(value.get("num"), int) \
                and not isinstance(value.get("num"), bool) and value["num"] > 0:
            n *= value["num"]
    return n


#: largest file a config may name (bytes): tight-binding models are text files of a few MB
MAX_FILE_BYTES = 256 << 20


def _check_hr_file(key: str, path: Path, shown: str) -> None:
    """A Wannier90 ``_hr.dat`` file (and its companion geometry) must parse strictly."""
    from ..errors import HrFormatError
    from ..tight_binding.wannier import read_hr
    try:
        read_hr(path)
    except UnicodeDecodeError:
        raise ValueError(f"config key {key}: {shown} is not a text file, so not a Wannier90 "
                         f"_hr.dat file") from None
    except HrFormatError as exc:       # its messages quote only numeric text, never content
        where = "" if exc.source == os.fspath(path) else f" (its companion {exc.source})"
        line = f"line {exc.line}: " if exc.line else ""
        raise ValueError(f"config key {key}: {shown} is not a valid Wannier90 _hr.dat "
                         f"file{where}: {line}{str(exc).split(': ', 1)[-1]}") from None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"config key {key}: {shown} could not be read as a Wannier90 _hr.dat "
                         f"file ({type(exc).__name__})") from None


#: format checks of the files a config may name, by the parameter's ``file_suffix``
_FILE_CHECKS = {"_hr.dat": _check_hr_file}


def resolve_file(key: str, value: Any, suffix: str, base_dir: str | os.PathLike | None) -> Any:
    """The value of a parameter that may name a file: a bundled name stays as it is; a path is
    resolved relative to ``base_dir`` (the config's folder) and checked.

    A path (a value with a path separator, or ending in ``suffix``) must resolve (symbolic links
    followed) to a regular, readable file whose name ends in ``suffix``, of at most
    :data:`MAX_FILE_BYTES`, that parses as that format. Messages name the key and the path, never
    the file's content.

    Parameters
    ----------
    key : str
        Config key of the value, for the messages.
    value : object
        The given value.
    suffix : str
        File-name suffix of the format (``"_hr.dat"``).
    base_dir : str or os.PathLike or None
        Folder of relative paths (``None``: the working directory).

    Returns
    -------
    object
        The value unchanged, or the absolute path (str) of the checked file.

    Raises
    ------
    ValueError
        A missing, unreadable, non-regular, too large or unparsable file.
    """
    if not isinstance(value, str) or ("/" not in value and os.sep not in value
                                      and not value.endswith(suffix)):
        return value
    given = Path(value).expanduser()
    path = given if given.is_absolute() else Path(base_dir or os.getcwd()) / given
    shown = f"{value!r}" + ("" if given.is_absolute() else f" (= {path})")
    try:
        real = path.resolve(strict=True)
        st = real.stat()
    except FileNotFoundError:
        raise ValueError(f"config key {key}: file {shown} does not exist (relative paths are "
                         f"read from the config file's folder)") from None
    except (OSError, RuntimeError) as exc:
        raise ValueError(f"config key {key}: cannot open {shown} "
                         f"({os.strerror(getattr(exc, 'errno', 0) or 0) or type(exc).__name__})"
                         ) from None
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"config key {key}: {shown} is not a regular file")
    if not real.name.endswith(suffix):
        raise ValueError(f"config key {key}: {shown} must be a file named *{suffix}"
                         + (f" (it links to {real})" if real.name != given.name else ""))
    if st.st_size > MAX_FILE_BYTES:
        raise ValueError(f"config key {key}: {shown} is {st.st_size / 2**20:.0f} MiB, more than "
                         f"the {MAX_FILE_BYTES >> 20} MiB a {suffix} file may have")
    if not os.access(real, os.R_OK):
        raise ValueError(f"config key {key}: {shown} is not readable (permission denied)")
    check = _FILE_CHECKS.get(suffix)
    if check is not None:
        check(key, real, shown)
    return str(real)


def _resolve_files(model: Model, fixed: dict, grid: dict, base_dir) -> tuple[dict, dict]:
    def one(name, key, value):
        suffix = getattr(model.param(name), "file_suffix", None)
        return resolve_file(key, value, suffix, base_dir) if suffix else value
    fixed = {n: one(n, f"sweep.fixed.{n}", v) for n, v in fixed.items()}
    grid = {n: [one(n, f"sweep.grid.{n}[{i}]", v) for i, v in enumerate(values)]
            for n, values in grid.items()}
    return fixed, grid


def _check_grid_size(raw_grid: Mapping[str, Any], limit: int) -> None:
    n = grid_size(raw_grid)
    if n > limit:
        sizes = " × ".join(str(grid_size({k: v})) for k, v in raw_grid.items())
        raise ValueError(f"config key sweep.grid: {n:.3g} points ({sizes}) is more than "
                         f"sweep.max_points = {limit}; refused before anything is computed "
                         f"(about {n * 2048 / 2**30:.3g} GiB of bookkeeping alone); set "
                         f"sweep.max_points = {n} in the config if this is really intended")
_ADAPTIVE_KEYS = {"parameter", "bounds", "output", "max_points", "loss_goal"}


@dataclass(frozen=True)
class AdaptiveConfig:
    """An adaptive 1-D scan of one parameter (see :mod:`qtransport.workflows.adaptive_scan`).

    Parameters
    ----------
    parameter : str
        The scanned parameter.
    bounds : tuple of float
        Its (low, high) range, in the parameter's unit.
    output : str
        Result field the learner resolves (one value per point).
    max_points : int, optional
        Most points of the scan.
    loss_goal : float, optional
        Stop once the learner's loss is at most this (None: run to ``max_points``).
    """

    parameter: str
    bounds: tuple[float, float]
    output: str
    max_points: int = 100
    loss_goal: float | None = None


@dataclass(frozen=True)
class SweepConfig:
    """A validated sweep: model name, root seed, fixed values and a grid (or an adaptive scan).

    Parameters
    ----------
    model : str
        Registered model name.
    seed : int
        Root of the per-point random streams.
    fixed : dict
        Validated values shared by every point.
    grid : dict of str → list
        Validated values of each swept parameter (cartesian product, last key fastest).
    adaptive : AdaptiveConfig or None
        Set for an adaptive 1-D scan (then ``grid`` is empty).
    checkpoint_seconds : float, optional
        Commit interval, s; not part of :attr:`hash`.
    text : str, optional
        The TOML text, stored in output files for provenance.

    Examples
    --------
    >>> text = ('sweep = {model = "tunneling.hbn_transmission", '
    ...     'fixed = {energies_eV = [0.1, 0.2]}, grid = {n_layers = [1, 2, 3]}}')  # inline tables
    >>> cfg = parse_config(text)
    >>> cfg.fixed['energies_eV'].tolist(), cfg.seed
    ([0.1, 0.2], 0)
    """

    model: str
    seed: int
    fixed: dict[str, Any]
    grid: dict[str, list[Any]]
    adaptive: AdaptiveConfig | None = None
    checkpoint_seconds: float = DEFAULT_CHECKPOINT_SECONDS
    text: str = field(default="", compare=False)

    def identity(self) -> dict[str, Any]:
        """What defines the computation (everything but scheduling options).

        Returns
        -------
        dict of str to object
            ``model``, ``seed``, ``fixed``, ``grid`` and ``adaptive``.

        Examples
        --------
        >>> text = ('sweep = {model = "tunneling.hbn_transmission", '
        ...     'fixed = {energies_eV = [0.1, 0.2]}, grid = {n_layers = [1, 2, 3]}}')
        >>> sorted(parse_config(text).identity())
        ['adaptive', 'fixed', 'grid', 'model', 'seed']
        """
        adaptive = None if self.adaptive is None else vars(self.adaptive)
        return {"model": self.model, "seed": self.seed, "fixed": self.fixed, "grid": self.grid,
                "adaptive": adaptive}

    @property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON of :meth:`identity` (comments and layout do not count)."""
        return hashlib.sha256(canonical_json(self.identity()).encode()).hexdigest()

    @property
    def model_info(self) -> Model:
        """The registered :class:`~qtransport.registry.Model`."""
        return get_model(self.model)


def _fail(key: str, exc: Exception) -> Exception:
    return type(exc)(f"config key {key}: {exc}")


def _table(where: str, value: Any, allowed: set[str] | None = None) -> dict:
    if not isinstance(value, dict):
        raise TypeError(f"config key {where} must be a table, got {value!r}")
    unknown = sorted(set(value) - allowed) if allowed is not None else []
    if unknown:
        raise ValueError(f"config key {where}.{unknown[0]} is unknown; allowed keys: "
                         f"{', '.join(sorted(allowed))}")
    return value


def _param(model: Model, key: str, name: str):
    try:
        return model.param(name)
    except ValueError as exc:
        raise _fail(key, exc) from None


def _validate(param, key: str, value: Any) -> Any:
    if isinstance(value, dict):
        raise TypeError(f"config key {key} must be a value, got a table")
    return configlang.param_value(param, key, value)


def _fixed(model: Model, values: dict) -> dict[str, Any]:
    out = {}
    for name, value in values.items():
        key = f"sweep.fixed.{name}"
        if name == "seed":
            raise ValueError(f"config key {key}: per-point seeds derive from sweep.seed; set "
                             f"that, or list seeds in sweep.grid to label realizations")
        out[name] = configlang.param_value(_param(model, key, name), key, value)
    return out


def _grid(model: Model, values: dict) -> dict[str, list]:
    out = {}
    for name, items in values.items():
        key = f"sweep.grid.{name}"
        out[name] = configlang.param_axis(_param(model, key, name), key, items)
    return out


def _adaptive(model: Model, values: dict, taken: set[str]) -> AdaptiveConfig:
    where = "sweep.adaptive"
    missing = sorted({"parameter", "bounds", "output"} - set(values))
    if missing:
        raise ValueError(f"config key {where}.{missing[0]} is required for an adaptive scan")
    name = values["parameter"]
    if not isinstance(name, str):
        raise TypeError(f"config key {where}.parameter must be a parameter name, got {name!r}")
    param = _param(model, f"{where}.parameter", name)
    if param.type not in (float, "array") or name in taken:
        raise ValueError(f"config key {where}.parameter: {name!r} must be a real-valued "
                         f"parameter that is not also in sweep.fixed/sweep.grid")
    bounds = values["bounds"]
    if not (isinstance(bounds, list) and len(bounds) == 2):
        raise TypeError(f"config key {where}.bounds must be [low, high], got {bounds!r}")
    lo, hi = (float(np.ravel(_validate(param, f"{where}.bounds[{i}]", b))[0])
              for i, b in enumerate(bounds))
    for i, b in enumerate((lo, hi)):
        if not math.isfinite(b):       # float params may allow inf; a scanned interval may not
            raise ValueError(f"config key {where}.bounds[{i}] must be finite, got {b}")
    if not lo < hi:
        raise ValueError(f"config key {where}.bounds must have low < high, got {bounds!r}")
    if not isinstance(values["output"], str):
        raise TypeError(f"config key {where}.output must be a result field name")
    try:
        n_max = check_int(f"{where}.max_points", values.get("max_points", 100), low=3)
        goal = values.get("loss_goal")
        goal = None if goal is None else check_real(f"{where}.loss_goal", goal, low=0.0,
                                                    low_open=True)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"config key {exc}") from None
    return AdaptiveConfig(name, (lo, hi), values["output"], n_max, goal)


def _required(model: Model, cfg_fixed: dict, cfg_grid: dict, adaptive) -> None:
    given = set(cfg_fixed) | set(cfg_grid) | ({adaptive.parameter} if adaptive else set())
    for p in model.params:
        if p.required and p.name not in given and p.name != "seed":
            raise ValueError(f"config key sweep.fixed.{p.name} is missing: model {model.name!r} "
                             f"needs it ({p.describe()})")


def parse_config(text: str, base_dir: str | os.PathLike | None = None) -> SweepConfig:
    """Parse and validate a sweep configuration given as TOML text.

    Parameters
    ----------
    text : str
        TOML with one ``[sweep]`` table (see the module docstring).
    base_dir : path-like, optional
        Folder that relative file paths in the config are read from (:func:`load_config`
        passes the config file's folder); default: the working directory.

    Returns
    -------
    SweepConfig
        The validated sweep.

    Raises
    ------
    ValueError, TypeError
        Bad TOML, unknown model or key, wrong type, out-of-range value, empty grid; the message
        names the key.

    Examples
    --------
    >>> text = '''
    ... [sweep]
    ... model = "tunneling.hbn_transmission"
    ... [sweep.fixed]
    ... energies_eV = [0.1, 0.2]
    ... [sweep.grid]
    ... n_layers = [1, 2, 3]
    ... '''
    >>> cfg = parse_config(text)
    >>> cfg.model, cfg.grid['n_layers']
    ('tunneling.hbn_transmission', [1, 2, 3])
    """
    doc = configlang.load_toml(text)
    unknown = sorted(set(doc) - {"sweep"})
    if unknown or "sweep" not in doc:
        raise ValueError(f"config key {unknown[0] if unknown else 'sweep'}: a sweep config has "
                         f"exactly one table, [sweep]")
    sweep = _table("sweep", doc["sweep"], _SWEEP_KEYS)
    if "model" not in sweep or not isinstance(sweep["model"], str):
        raise ValueError("config key sweep.model is required: a registered model name")
    try:
        model = get_model(sweep["model"])
    except ValueError as exc:
        raise _fail("sweep.model", exc) from None
    try:
        seed = check_int("sweep.seed", sweep.get("seed", 0), low=0)
        every = check_checkpoint_seconds(sweep.get("checkpoint_seconds",
                                                   DEFAULT_CHECKPOINT_SECONDS))
        max_points = check_int("sweep.max_points", sweep.get("max_points", DEFAULT_MAX_POINTS),
                               low=1)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"config key {exc}") from None
    raw_grid = _table("sweep.grid", sweep.get("grid", {}))
    _check_grid_size(raw_grid, max_points)          # before expanding or validating values
    fixed = _fixed(model, _table("sweep.fixed", sweep.get("fixed", {})))
    grid = _grid(model, raw_grid)
    fixed, grid = _resolve_files(model, fixed, grid, base_dir)
    both = sorted(set(fixed) & set(grid))
    if both:
        raise ValueError(f"config key sweep.grid.{both[0]} is also in sweep.fixed")
    adaptive = None
    if "adaptive" in sweep:
        if grid:
            raise ValueError("config key sweep.adaptive: an adaptive scan cannot be combined "
                             "with sweep.grid")
        adaptive = _adaptive(model, _table("sweep.adaptive", sweep["adaptive"], _ADAPTIVE_KEYS),
                             set(fixed))
    elif not grid:
        raise ValueError("config key sweep.grid is missing or empty: list at least one "
                         "parameter with its values (or use sweep.adaptive)")
    _required(model, fixed, grid, adaptive)
    return SweepConfig(model.name, seed, fixed, grid, adaptive, every, text)


def load_config(path: str | Path) -> SweepConfig:
    """Read and validate the sweep configuration file ``path`` (see :func:`parse_config`).

    File paths inside it are read relative to its folder.

    Parameters
    ----------
    path : str or pathlib.Path
        The TOML file.

    Returns
    -------
    SweepConfig
        The validated sweep.

    Raises
    ------
    ValueError, TypeError
        As :func:`parse_config`, or an unreadable file.

    Examples
    --------
    >>> text = ('sweep = {model = "tunneling.hbn_transmission", '
    ...     'fixed = {energies_eV = [0.1, 0.2]}, grid = {n_layers = [1, 2, 3]}}')  # inline tables
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), 'sweep.toml')
    >>> _ = open(path, 'w').write(text)
    >>> load_config(path).model
    'tunneling.hbn_transmission'
    """
    text = read_user_text(path, "config", max_bytes=MAX_CONFIG_BYTES, limit="for a sweep config")
    return parse_config(text, base_dir=Path(path).resolve().parent)
