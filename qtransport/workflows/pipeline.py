"""The end-to-end job behind ``qtransport run``: every physics stage, extraction, synapse models.

Stages (see :mod:`qtransport.workflows.stages`) run in order; each gets the results of the ones
before it. Everything lands in one HDF5 file (``run.h5``, written atomically with provenance), PNG
figures in ``figures/`` and a Markdown report ``report.md``.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .. import results as _results
from ..results import Result
from .stages import stage_module
from . import configlang

__all__ = ["STAGES", "StageContext", "default_config", "parse_config", "validate_stages",
           "config_toml", "run_pipeline"]

log = logging.getLogger(__name__)

#: stage modules in run order (modules under qtransport.workflows.stages)
STAGES: tuple[str, ...] = ("filament", "tunneling", "superlattice", "josephson", "ferroelectric",
                           "synapse")


def _serial_map(function: Callable, calls: Sequence[Mapping[str, Any]]) -> list:
    return [function(**kw) for kw in calls]


@dataclass
class StageContext:
    """What a stage sees: its config section, earlier results, a map over MPI ranks, progress."""

    config: dict[str, Any]
    results: dict[str, Result] = field(default_factory=dict)
    map: Callable[[Callable, Sequence[Mapping[str, Any]]], list] = _serial_map
    progress: Callable[[str], None] = lambda message: None


def default_config() -> dict[str, dict[str, Any]]:
    """The built-in configuration: ``{"pipeline": {"stages": [...]}, stage: DEFAULTS, ...}``."""
    cfg: dict[str, dict[str, Any]] = {"pipeline": {"stages": list(STAGES)}}
    for name in STAGES:
        cfg[name] = dict(stage_module(name).DEFAULTS)
    return cfg


def parse_config(text: str | None) -> dict[str, dict[str, Any]]:
    """Merge a TOML text over :func:`default_config`; every value is checked before anything runs.

    The config language is the one of ``qtransport sweep`` (:mod:`.configlang`,
    ``docs/config.md``): a list is a list of values; a key holding a grid takes a grid table
    ``{start = ..., stop = ..., num = ...}`` (or a list of values, but not three bare numbers,
    which older versions read as start/stop/count). Unknown sections/keys, wrong types and
    ambiguous values raise ValueError/TypeError naming the full key path
    (``config key filament.staircase_energies_eV: ...``).
    """
    cfg = default_config()
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
            cfg[section][key] = configlang.value_like_default(f"{section}.{key}",
                                                              cfg[section][key], value)
    unknown = [s for s in cfg["pipeline"]["stages"] if s not in STAGES]
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
        for label, (model, params) in calls.items():
            try:
                get_model(model).validate(params)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"config [{name}]: its {label!r} calculation ({model}) refuses "
                                f"these settings: {exc}") from None


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


def config_toml(cfg: Mapping[str, Mapping[str, Any]]) -> str:
    """A configuration as TOML text (what ``qtransport run --show-config`` prints).

    Grids print as grid tables, so the text parses back to the same configuration.

    Examples
    --------
    >>> parse_config(config_toml(default_config())) == default_config()
    True
    """
    lines = []
    for section, values in cfg.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {configlang.toml_value(value)}" for key, value in values.items()]
        lines.append("")
    return "\n".join(lines)


def run_pipeline(output_dir: str | Path, config_text: str | None = None, *,
                 map_function: Callable | None = None, mpi_size: int = 1,
                 command: str = "", progress: Callable[[str], None] | None = None) -> dict:
    """Run the configured stages and write ``run.h5``, ``figures/*.png`` and ``report.md``.

    Parameters
    ----------
    output_dir : path-like
        Folder for the outputs (created).
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

    Returns
    -------
    dict
        ``{"results": {...}, "h5": Path, "figures": [...], "report": Path, "seconds": {...}}``.
    """
    cfg = parse_config(config_text)           # validate everything before touching the disk
    say = progress or (lambda message: None)
    out = Path(output_dir)
    all_results: dict[str, Result] = {}
    seconds: dict[str, float] = {}
    for name in cfg["pipeline"]["stages"]:
        say(f"stage {name}: computing")
        t0 = time.perf_counter()
        ctx = StageContext(cfg[name], dict(all_results), map_function or _serial_map, say)
        for key, res in stage_module(name).run(ctx).items():
            all_results[f"{name}/{key}"] = res
        seconds[name] = time.perf_counter() - t0
        say(f"stage {name}: done in {seconds[name]:.1f} s")
    out.mkdir(parents=True, exist_ok=True)
    h5 = out / "run.h5"
    _results.save(h5, all_results, config_text=config_text or "", command=command,
                  mpi_size=mpi_size)
    from . import report
    figures, report_path = report.write(out, cfg, all_results, seconds)
    return {"results": all_results, "h5": h5, "figures": figures, "report": report_path,
            "seconds": seconds}
