"""The end-to-end job behind ``qtransport run``: every physics stage, extraction, synapse models.

Stages (see :mod:`qtransport.workflows.stages`) run in order; each gets the results of the ones
before it. Everything lands in one HDF5 file (``run.h5``, written atomically with provenance), PNG
figures in ``figures/`` and a Markdown report ``report.md``.
"""
from __future__ import annotations

import json
import logging
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .. import results as _results
from ..infra import existing_ancestor, retain_heap, why_not_writable
from ..results import Result
from .stages import stage_module
from . import configlang
from . import stage_checkpoint
from .checkpoint import encode_warnings
from .executor import SerialExecutor

__all__ = ["STAGES", "StageContext", "default_config", "parse_config", "validate_stages",
           "config_toml", "run_pipeline", "check_output_dir", "OUTPUTS"]

log = logging.getLogger(__name__)

#: stage modules in run order (modules under qtransport.workflows.stages)
STAGES: tuple[str, ...] = ("filament", "first_principles", "tunneling", "superlattice",
                           "josephson", "ferroelectric", "spintronic", "quantum_dot", "synapse")


#: the map of a serial run: each call's warnings are caught and raised again after the calls,
#: in call order, as under MPI (:meth:`~.executor.SerialExecutor.map`)
_serial_map = SerialExecutor().map


@dataclass
class StageContext:
    """What a stage sees: its config section, earlier results, a map over MPI ranks, progress.

    Parameters
    ----------
    config : dict of str to object
        The stage's configuration section.
    results : dict of str to Result, optional
        Results of the stages that ran before, by ``"stage/name"``.
    map : callable, optional
        ``map(function, calls)`` over the MPI ranks (serial by default).
    progress : callable, optional
        ``progress(message)`` for one-line progress messages.
    """

    config: dict[str, Any]
    results: dict[str, Result] = field(default_factory=dict)
    map: Callable[[Callable, Sequence[Mapping[str, Any]]], list] = _serial_map
    progress: Callable[[str], None] = lambda message: None


def default_config() -> dict[str, dict[str, Any]]:
    """The built-in configuration: ``{"pipeline": {"stages": [...]}, stage: DEFAULTS, ...}``.

    Returns
    -------
    dict of str to dict
        Section name → its keys and values.

    Examples
    --------
    >>> cfg = default_config()
    >>> 'tunneling' in cfg
    True
    """
    cfg: dict[str, dict[str, Any]] = {"pipeline": {"stages": list(STAGES)}}
    for name in STAGES:
        cfg[name] = dict(stage_module(name).DEFAULTS)
    return cfg


def _check_finite(where: str, default: Any, value: Any) -> Any:
    """NaN/inf are refused where the built-in default is finite (a float, or a list of them)."""
    def finite(v):
        return not isinstance(v, float) or math.isfinite(v)
    if isinstance(default, float) and finite(default) and not finite(value):
        raise ValueError(f"config key {where} must be a finite number, got {value}")
    default_finite = all(finite(v) for v in default) if isinstance(default, list) else True
    if isinstance(value, list) and default_finite:
        bad = [v for v in value if not finite(v)]
        if bad:
            raise ValueError(f"config key {where} must contain only finite numbers, got "
                             f"{bad[0]}")
    return value


def _check_count(where: str, default: Any, value: Any) -> Any:
    """Integer keys (and lists of integers) are counts ≤ :data:`~qtransport.errors.MAX_STAGE_COUNT`
    (larger ones would exhaust the memory already while the stage's calculations are planned: a
    10⁹-point bias grid is 8 GB); ``seed`` is ≥ 0."""
    from ..errors import MAX_STAGE_COUNT, check_int
    def is_int(v):
        return isinstance(v, int) and not isinstance(v, bool)
    if where.rsplit(".", 1)[-1] == "seed" and is_int(default):
        check_int(f"config key {where}", value, low=0)
    elif is_int(default):
        check_int(f"config key {where}", value, high=MAX_STAGE_COUNT)
    elif isinstance(default, list) and default and all(is_int(v) for v in default):
        for i, v in enumerate(value):
            check_int(f"config key {where}[{i}]", v, high=MAX_STAGE_COUNT)
    return value


def parse_config(text: str | None) -> dict[str, dict[str, Any]]:
    """Merge a TOML text over :func:`default_config`; every value is checked before anything runs.

    The config language is the one of ``qtransport sweep`` (:mod:`.configlang`,
    ``docs/config.md``): a list is a list of values; a key holding a grid takes a grid table
    ``{start = ..., stop = ..., num = ...}`` (or a list of values, but not three bare numbers,
    which older versions read as start/stop/count). Unknown sections/keys, wrong types and
    ambiguous values raise ValueError/TypeError naming the full key path
    (``config key filament.staircase_energies_eV: ...``).

    Parameters
    ----------
    text : str or None
        TOML text (``None``: the defaults).

    Returns
    -------
    dict of str to dict
        The merged configuration.

    Raises
    ------
    ValueError, TypeError
        Bad TOML, unknown sections or keys, wrong types or ambiguous values (the message names the
        key).

    Examples
    --------
    >>> cfg = parse_config('''
    ... [tunneling]
    ... max_layers = 3
    ... ''')
    >>> cfg['tunneling']['max_layers']
    3
    """
    cfg = default_config()
    if text is not None and not isinstance(text, str):
        raise TypeError(f"config text must be a TOML string, got {type(text).__name__}")
    user = configlang.load_toml(text) if text else {}
    for section, values in user.items():
        if section not in cfg:
            raise ValueError(f"config has unknown section [{section}]; known: {', '.join(cfg)}")
        if not isinstance(values, dict):
            raise TypeError(f"config key {section} must be a table [{section}], got {values!r}")
        for key, value in values.items():
            if key not in cfg[section]:
                raise ValueError(f"config key {section}.{key} is unknown; known keys: "
                                 f"{', '.join(cfg[section])}")
            where, default = f"{section}.{key}", cfg[section][key]
            value = configlang.value_like_default(where, default, value)
            cfg[section][key] = _check_count(where, default,
                                             _check_finite(where, default, value))
    stages = cfg["pipeline"]["stages"]
    if not stages:
        raise ValueError(f"config key pipeline.stages must name at least one stage, got []; "
                         f"known: {', '.join(STAGES)}")
    not_str = [s for s in stages if not isinstance(s, str)]
    if not_str:
        raise TypeError(f"config key pipeline.stages must be a list of stage names, got "
                        f"{not_str[0]!r}")
    dup = [s for i, s in enumerate(stages) if s in stages[:i]]
    if dup:
        raise ValueError(f"config key pipeline.stages names stage {dup[0]!r} twice")
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ValueError(f"config key pipeline.stages names unknown stage {unknown[0]!r}; "
                         f"known: {', '.join(STAGES)}")
    validate_stages(cfg)
    return cfg


def validate_stages(cfg: Mapping[str, Mapping[str, Any]]) -> None:
    """Check every stage section of a merged config before anything is computed.

    Three checks, in order: each key listed in a stage's ``FEEDS`` against the registered model
    (or device-family) parameter it feeds — the message names the full key path; the stage's
    own ``validate(section)``; and every model call of the stage's ``plan(section)`` against
    its model's schema (this catches values derived from several keys).

    Parameters
    ----------
    cfg : mapping of str to mapping
        A merged configuration (:func:`parse_config`).

    Raises
    ------
    ValueError, TypeError
        A value refused by a schema or by a stage (the message names the key).

    Examples
    --------
    >>> validate_stages(default_config())      # the defaults pass
    """
    from .catalog import get_model
    for name in STAGES:
        module = stage_module(name)
        section = cfg[name]
        for key, (target, pname) in getattr(module, "FEEDS", {}).items():
            _check_feed(f"{name}.{key}", section[key], target, pname)
        check = getattr(module, "validate", None)
        if check is not None:
            check(section)
        plan = getattr(module, "plan", None)
        if plan is None:
            continue
        try:
            calls = plan(section)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"config [{name}]: {exc}") from None
        except ArithmeticError as exc:          # e.g. a resistance so large that R² overflows
            raise ValueError(f"config [{name}]: its settings give numbers out of the floating-"
                             f"point range ({type(exc).__name__}: {exc}); check the magnitudes "
                             f"of its keys") from None
        for label, (model, params) in calls.items():
            for pname, value in params.items():       # one parameter: name the key it came from
                try:
                    get_model(model).param(pname).validate(value)
                except (ValueError, TypeError) as exc:
                    key = _key_holding(section, pname, value)
                    if key is None:
                        break
                    raise type(exc)(f"config key {name}.{key}: {exc} (in its {label!r} "
                                    f"calculation, {model})") from None
            try:
                get_model(model).validate(params)
            except (ValueError, TypeError) as exc:
                changed = [f"{name}.{k}" for k, v in section.items()
                           if k in module.DEFAULTS and v != module.DEFAULTS[k]]
                hint = (f" (a value derived from several keys; those not at their default: "
                        f"{', '.join(changed)})" if changed else "")
                raise type(exc)(f"config [{name}]: its {label!r} calculation ({model}) refuses "
                                f"these settings: {exc}{hint}") from None


def _key_holding(section: Mapping[str, Any], pname: str, value: Any) -> str | None:
    """The key of a stage section that a planned call's parameter ``pname`` = ``value`` came
    from: a key with that value (grids expanded) whose name contains ``pname`` (or is contained
    in it), else the only key with that value; None when the value was derived."""
    from ..infra import to_jsonable

    def norm(v):
        if isinstance(v, configlang.Grid):
            v = configlang.grid_values(v, pname)
        v = to_jsonable(v)
        if isinstance(v, list):
            return [norm(x) for x in v]
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
    target = norm(value)
    hits = [k for k, v in section.items() if norm(v) == target]
    named = [k for k in hits if pname in k or k in pname]
    return (named or hits)[0] if named or len(hits) == 1 else None


def _check_feed(key: str, value: Any, target: str, pname: str) -> None:
    """Validate a stage value with the parameter ``pname`` of model/device ``target``."""
    items = configlang.grid_values(value, key) if isinstance(value, configlang.Grid) else value
    if target.startswith("device:"):
        from .. import devices
        family = devices.get(target.removeprefix("device:"))
        whole = isinstance(family.default_params()[pname], (list, tuple))

        def check(v):
            family(**{pname: v})
    else:
        from .catalog import get_model
        param = get_model(target).param(pname)
        whole = param.type == "array"
        check = param.validate
    values = [(key, items)] if whole or not isinstance(items, list) else \
        [(f"{key}[{i}]", v) for i, v in enumerate(items)]
    for where, v in values:
        try:
            check(v)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"config key {where}: {exc}") from None


def config_toml(cfg: Mapping[str, Mapping[str, Any]], *, comments: bool = False) -> str:
    """A configuration as TOML text (what ``qtransport run --show-config`` prints).

    Grids print as grid tables, so the text parses back to the same configuration. With
    ``comments``, a key that feeds a registered parameter (``FEEDS``) gets a trailing comment
    with that parameter's range and where it goes, read from its schema.

    Parameters
    ----------
    cfg : mapping of str to mapping
        A merged configuration (:func:`parse_config`).
    comments : bool, optional
        Add the schema comments of the ``FEEDS`` keys.

    Returns
    -------
    str
        TOML text.

    Examples
    --------
    >>> parse_config(config_toml(default_config())) == default_config()
    True
    >>> parse_config(config_toml(default_config(), comments=True)) == default_config()
    True
    """
    lines = []
    for section, values in cfg.items():
        lines.append(f"[{section}]")
        feeds = getattr(stage_module(section), "FEEDS", {}) if section in STAGES else {}
        for key, value in values.items():
            line = f"{key} = {configlang.toml_value(value)}"
            if comments and key in feeds:
                line += f"  # {_feed_comment(*feeds[key])}"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


def _feed_comment(target: str, pname: str) -> str:
    """``">= 0.0; filament.conductance(temperature_K)"`` for a FEEDS entry."""
    if target.startswith("device:"):
        return f"device family {target.removeprefix('device:')}: {pname}"
    from .catalog import get_model
    param = get_model(target).param(pname)
    rng = " and ".join(param.constraints())
    return f"{rng + '; ' if rng else ''}{target}({pname})"


#: what :func:`run_pipeline` writes inside the output folder, and the kind of each entry
OUTPUTS = {"run.h5": "file", "report.md": "file", "figures": "dir",
           stage_checkpoint.CHECKPOINT_DIR: "dir"}


def check_output_dir(output_dir: str | Path, name: str = "output_dir") -> Path:
    """Check, before anything is computed, that the pipeline can write into ``output_dir``.

    The folder may be missing (it is created, with its parents, when the outputs are written) or
    an existing writable folder; ``run.h5``/``report.md`` inside it must not be folders and
    ``figures`` must not be a file. Nothing is created here.

    Parameters
    ----------
    output_dir : str or pathlib.Path
        The output folder.
    name : str, optional
        How the messages call it.

    Returns
    -------
    pathlib.Path
        The folder as a path.

    Raises
    ------
    TypeError, NotADirectoryError, IsADirectoryError, PermissionError
        Not a path, a parent that is a file, an output name that is a folder, or a folder
        that cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> check_output_dir(tempfile.mkdtemp()).is_dir()
    True
    """
    if not isinstance(output_dir, (str, os.PathLike)) or not os.fspath(output_dir):
        raise TypeError(f"{name} must be a folder path, got {output_dir!r}")
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{name} {str(out)!r} is a file, not a folder")
    for entry_name, kind in OUTPUTS.items():
        entry = out / entry_name
        if kind == "file" and entry.is_dir():
            raise IsADirectoryError(f"{name} {str(out)!r}: {entry_name} is a folder; remove it "
                                    "or choose another output folder")
        if kind == "dir" and entry.exists() and not entry.is_dir():
            raise NotADirectoryError(f"{name} {str(out)!r}: {entry_name} is a file; remove it "
                                     "or choose another output folder")
    base = existing_ancestor(os.path.abspath(out))
    if not os.path.isdir(base):
        raise NotADirectoryError(f"{name} {str(out)!r}: {base!r} is a file, not a folder")
    if not os.access(base, os.W_OK | os.X_OK):
        raise PermissionError(f"{name} {str(out)!r}: folder {base!r} is "
                              f"{why_not_writable(base)}")
    return out


class _undo_on_error:
    """Remove what the pipeline created under ``out`` (files, folders) if the block fails."""

    def __init__(self, out: Path):
        self.out = out
        top = out.resolve()
        self.missing = []                      # folders to create, outermost first
        while not top.exists():
            self.missing.insert(0, top)
            top = top.parent
        self.before = self._listing()

    def _listing(self) -> set[Path]:
        found = set()
        for sub in (self.out, self.out / "figures"):
            if sub.is_dir():
                found |= set(sub.iterdir())
        return found

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        for path in sorted(self._listing() - self.before, key=lambda p: len(p.parts),
                           reverse=True):
            try:
                path.rmdir() if path.is_dir() else path.unlink()
            except OSError:
                pass
        for folder in reversed(self.missing):
            try:
                folder.rmdir()
            except OSError:
                break
        return False


def run_pipeline(output_dir: str | Path, config_text: str | None = None, *,
                 map_function: Callable | None = None, mpi_size: int = 1,
                 command: str = "", progress: Callable[[str], None] | None = None,
                 figure_formats=("png",), dpi: int | None = None,
                 stage_bar: bool | None = False, resume: bool = True) -> dict:
    """Run the configured stages and write ``run.h5``, ``figures/*.png`` and ``report.md``.

    Parameters
    ----------
    output_dir : path-like
        Folder for the outputs (created with its parents; checked by :func:`check_output_dir`
        before any stage runs). If a stage refuses its input (ValueError/TypeError), nothing
        this call created is left there; if it fails otherwise (killed, out of memory, a
        crash), or writing the outputs fails, the finished stages stay in its
        ``.qtransport-run`` folder for a resume.
    config_text : str, optional
        TOML text overriding the built-in defaults.
    map_function : callable, optional
        ``map(function, list_of_kwargs) -> list`` distributing model calls (MPI); serial if None.
    mpi_size : int
        Ranks taking part (for provenance).
    command : str
        Command line, stored for provenance.
    progress : callable, optional
        Receives one-line progress messages.
    figure_formats : str or sequence of str
        Figure file formats, any of ``png``, ``svg``, ``pdf`` (``"png,svg"`` works too).
    dpi : int, optional
        Resolution of the PNG figures (default :data:`~.figures.DEFAULT_DPI`).
    stage_bar : bool or None
        A progress bar over the stages (:func:`qtransport.infra.progress`: None = at a
        terminal; False, the default for library calls, = never).
    resume : bool
        Read the stages an earlier, unfinished run of the same configuration left in
        ``output_dir/.qtransport-run`` instead of computing them again
        (:mod:`~qtransport.workflows.stage_checkpoint`). Every finished stage is written there
        as it ends, and the folder is removed once the outputs are written.

    Returns
    -------
    dict
        ``{"results": {...}, "h5": Path, "figures": [...], "report": Path, "seconds": {...},
        "accuracy_warnings": [...], "stage_warnings": {...}}``. ``run.h5``'s root attributes
        hold the effective configuration (``config``: the built-in defaults merged with
        ``config_text``, as TOML; ``config_input``: the text given), versions, git commit,
        command, ranks and the AccuracyWarnings raised, ``stage_warnings`` (JSON ``{stage:
        [[category, message], ...]}``: every Python warning a stage raised that the warning
        filters show, each once, at most 20 distinct messages per category, those of its
        ``ctx.map`` calls included whichever rank computed them), ``stage_seconds`` (JSON
        ``{stage: wall seconds}``, rank 0's clock) and ``stage_cpu_seconds`` (rank 0's CPU
        seconds, which other jobs on the machine do not inflate; the ranks serving ``ctx.map``
        are not in it); ``report.md`` starts with the same, has a warnings line in each stage's
        section and ends with a timing table (the stages, then writing ``run.h5``, figures and
        report).
    """
    cfg = parse_config(config_text)           # validate everything before touching the disk
    say = progress or (lambda message: None)
    out = check_output_dir(output_dir)
    from .figures import DEFAULT_DPI, check_dpi, check_formats, figure_options
    formats = check_formats(figure_formats, "figure_formats")
    dpi = DEFAULT_DPI if dpi is None else check_dpi(dpi, "dpi")
    retain_heap()                  # a long run of the same solves: no page-fault churn
    all_results: dict[str, Result] = {}
    seconds: dict[str, float] = {}
    cpu_seconds: dict[str, float] = {}           # rank 0's own CPU time (load-insensitive)
    from ..infra import progress as _bar
    stages = _bar(cfg["pipeline"]["stages"], desc="pipeline", unit="stage", enable=stage_bar)
    accuracy: list[str] = []                     # AccuracyWarning messages of the whole run
    stage_warnings: dict[str, list] = {}         # stage -> [[category, message], ...]
    effective = config_toml(cfg)
    undo_refused = _undo_on_error(out)            # what a refused input must not leave behind
    had_checkpoint = (out / stage_checkpoint.CHECKPOINT_DIR).exists()
    for index, name in enumerate(stages):
        if hasattr(stages, "set_description"):
            stages.set_description(f"stage {name}")
        key = stage_checkpoint.stage_key(cfg, index, config_toml)
        record = stage_checkpoint.load_stage(out, index, name, key) if resume else None
        if record is None:
            say(f"stage {name}: computing")
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                with _RecordAccuracyWarnings() as caught:
                    ctx = StageContext(cfg[name], dict(all_results),
                                       map_function or _serial_map, say)
                    computed = dict(stage_module(name).run(ctx))
            except (ValueError, TypeError) as exc:
                # input refused (a bad value, a work limit): nothing of this call is left
                # behind, as for a config refused before any stage ran; the stages of an
                # earlier unfinished run stay
                if not had_checkpoint:
                    stage_checkpoint.discard(out)
                undo_refused.__exit__(type(exc), exc, None)
                raise
            except BaseException:
                if index:
                    say(f"stage {name} failed; the {index} stage(s) before it are kept in "
                        f"{out / stage_checkpoint.CHECKPOINT_DIR}: the same command resumes "
                        f"after them")
                raise
            record = stage_checkpoint.StageRecord(
                computed, time.perf_counter() - t0, time.process_time() - c0,
                json.loads(encode_warnings(caught.pairs) or "[]"), caught.messages)
            stage_checkpoint.save_stage(out, index, name, key, record, config_text=effective,
                                        command=command, mpi_size=mpi_size)
            # later stages, figures and run.h5 get the results as stored: what a resume reads
            record = stage_checkpoint.load_stage(out, index, name, key) or record
            done = "done"
        else:
            done = "read from its checkpoint (computed"
        for key_name, res in record.results.items():
            all_results[f"{name}/{key_name}"] = res
        seconds[name], cpu_seconds[name] = record.seconds, record.cpu_seconds
        accuracy += [m for m in record.accuracy if m not in accuracy]
        stage_warnings[name] = record.warnings
        say(f"stage {name}: {done} in {seconds[name]:.1f} s"
            + (f", {len(stage_warnings[name])} warning(s)" if stage_warnings[name] else "")
            + (")" if done != "done" else ""))
    h5 = out / "run.h5"
    with _undo_on_error(out):
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        _results.save(h5, all_results, config_text=config_toml(cfg), command=command,
                      mpi_size=mpi_size, accuracy_warnings=accuracy,
                      attrs={"config_input": config_text or "",
                             "config_source": "user config over the built-in defaults"
                             if config_text else "built-in defaults",
                             "stage_seconds": json.dumps(seconds),
                             "stage_cpu_seconds": json.dumps(cpu_seconds),
                             "stage_warnings": json.dumps(stage_warnings,
                                                          ensure_ascii=False)})
        import h5py
        with h5py.File(h5, "r") as f:
            root = {k: f.attrs[k] for k in f.attrs}
        from . import report
        with figure_options(formats, dpi):
            figures, report_path = report.write(out, cfg, all_results, seconds,
                                                provenance=root,
                                                write_s=time.perf_counter() - t0,
                                                map_function=map_function)
    stage_checkpoint.discard(out)               # the run is complete: nothing to resume
    return {"results": all_results, "h5": h5, "figures": figures, "report": report_path,
            "seconds": seconds, "accuracy_warnings": accuracy,
            "stage_warnings": stage_warnings}


class _RecordAccuracyWarnings:
    """Record the warnings raised in the block (for provenance) and still show them.

    ``messages`` are the distinct AccuracyWarning messages, ``pairs`` the ``(category,
    message)`` of every warning shown, in order. Warning filters are left as they are: where
    AccuracyWarning is an error (the test suite), it still raises; a warning the filters ignore
    is not recorded. Every warning caught is re-shown after the block. The warnings of
    ``ctx.map`` calls computed on other MPI ranks are raised again on rank 0 when the map
    returns (:meth:`~.executor.MPIExecutor.map`), so they are recorded here too, as serially.
    """

    def __enter__(self):
        import warnings
        self._ctx = warnings.catch_warnings(record=True)
        self._caught = self._ctx.__enter__()
        self.messages: list[str] = []
        self.pairs: list[tuple[str, str]] = []
        return self

    def __exit__(self, exc_type, exc, tb):
        import warnings
        from ..errors import AccuracyWarning
        self._ctx.__exit__(exc_type, exc, tb)
        for w in self._caught:
            self.pairs.append((w.category.__name__, str(w.message)))
            if issubclass(w.category, AccuracyWarning):
                text = str(w.message)
                if text not in self.messages:
                    self.messages.append(text)
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        return False
