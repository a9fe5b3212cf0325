"""Figures and a readable Markdown summary of a pipeline run."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from ..results import Result, atomic_path
from .executor import SerialExecutor
from .figures import FigureSaver, current_options, figure_options
from .stages import stage_module

__all__ = ["write", "stage_results", "stage_figures", "console_summary", "provenance_header",
           "timing_table", "stage_warning_lines", "FigureSaver"]


def stage_results(results: dict[str, Result], stage: str) -> dict[str, Result]:
    """The results of one stage, keyed without the ``stage/`` prefix.

    Parameters
    ----------
    results : dict of str to Result
        Every result of the run, by ``"stage/name"``.
    stage : str
        Stage name.

    Returns
    -------
    dict of str to Result
        The stage's results by name.

    Examples
    --------
    >>> sorted(stage_results({"a/x": 1, "a/y": 2, "b/x": 3}, "a"))
    ['x', 'y']
    """
    prefix = stage + "/"
    return {k[len(prefix):]: v for k, v in results.items() if k.startswith(prefix)}


def provenance_header(attrs: Mapping[str, Any]) -> list[str]:
    """Markdown lines describing a run from the root attributes of its ``run.h5``: versions,
    git commit, command, ranks, AccuracyWarnings and the effective configuration.

    Parameters
    ----------
    attrs : mapping of str to object
        Root attributes of ``run.h5`` (:func:`qtransport.results.provenance`).

    Returns
    -------
    list of str
        Markdown lines.
    """
    def text(key, default="—"):
        v = attrs.get(key, default)
        if isinstance(v, bytes):
            v = v.decode("utf-8", "replace")
        return str(v) if str(v) != "" else default
    versions = ", ".join(f"{k[:-len('_version')]} {text(k)}" for k in sorted(attrs)
                         if k.endswith("_version") and k != "qtransport_version")
    lines = ["## Provenance", "",
             f"- qtransport {text('qtransport_version')}, git commit `{text('git_commit')}`",
             f"- command: `{text('command')}`",
             f"- MPI ranks: {text('mpi_size')}; host {text('host')}; Python {text('python')}; "
             f"created {text('created')}",
             f"- packages: {versions}",
             f"- configuration: {text('config_source', 'given')} (full text below and in "
             "`run.h5` attribute `config`)"]
    warned = [w for w in text("accuracy_warnings", "").split("\n") if w]
    if warned:
        lines.append(f"- AccuracyWarnings raised ({len(warned)}):")
        lines += [f"  - {w}" for w in warned]
    else:
        lines.append("- AccuracyWarnings raised: none")
    lines += ["", "<details><summary>Effective configuration (TOML)</summary>", "", "```toml",
              text("config", "").rstrip(), "```", "", "</details>", ""]
    return lines


def write(out: Path, cfg: dict[str, Any], results: dict[str, Result],
          seconds: dict[str, float], *,
          provenance: Mapping[str, Any] | None = None,
          write_s: float | None = None,
          map_function: Callable | None = None) -> tuple[list[Path], Path]:
    """Write every stage's figures into ``out/figures`` and the report ``out/report.md``.

    ``provenance`` (the root attributes of ``run.h5``) becomes the report's header
    (:func:`provenance_header`). The report ends with a ``## Timing`` table: each stage's wall
    time (``seconds``, as in ``run.h5``'s ``stage_seconds``) and, when ``write_s`` (seconds
    already spent writing ``run.h5``) is given, the writing of the outputs. ``map_function``
    (``map(function, list_of_kwargs)``, e.g. the MPI ranks' of ``qtransport run``) draws the
    stages' figures in parallel, one stage per call; serially by default.

    Parameters
    ----------
    out : pathlib.Path
        The output folder.
    cfg : dict of str to object
        The merged configuration (its ``pipeline.stages`` order the report).
    results : dict of str to Result
        Every result of the run, by ``"stage/name"``.
    seconds : dict of str to float
        Wall time of every stage, s.
    provenance : mapping, optional
        Root attributes of ``run.h5``.
    write_s : float, optional
        Seconds already spent writing ``run.h5``.
    map_function : callable, optional
        ``map(function, list_of_kwargs)`` drawing the stages' figures.

    Returns
    -------
    figures : list of pathlib.Path
        The figure files written.
    report : pathlib.Path
        ``out/report.md``.
    """
    t0 = time.perf_counter()
    import matplotlib
    matplotlib.use("Agg")
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures: list[Path] = []
    lines = ["# qtransport run report", "",
             "Every number below is read from `run.h5` (dataset paths given where quoted).", ""]
    if provenance is not None:
        lines += provenance_header(provenance)
    names = list(cfg["pipeline"]["stages"])
    warned = _stage_warnings(provenance or {})
    formats, dpi = current_options()
    drawn = (map_function or SerialExecutor().map)(stage_figures, [
        {"name": name, "results": stage_results(results, name), "fig_dir": str(fig_dir),
         "formats": formats, "dpi": dpi} for name in names])
    for name, stage_figs in zip(names, drawn):
        module = stage_module(name)
        mine = stage_results(results, name)
        figures += stage_figs
        lines += [f"## {name} ({seconds.get(name, 0.0):.1f} s)", ""]
        lines += module.summary(mine)
        lines += stage_warning_lines(warned.get(name)) + [""]
        lines += [f"![{p.stem}](figures/{p.name})" for p in _embedded(stage_figs)] + [""]
    lines += timing_table(seconds, None if write_s is None
                          else write_s + time.perf_counter() - t0)
    report = out / "report.md"
    with atomic_path(report) as tmp:
        Path(tmp).write_text("\n".join(lines), encoding="utf-8")
    return figures, report


def _stage_warnings(attrs: Mapping[str, Any]) -> dict[str, list]:
    """``{stage: [[category, message], ...]}`` from run.h5's ``stage_warnings`` attribute."""
    text = attrs.get("stage_warnings", "")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return json.loads(text) if text else {}


def stage_warning_lines(warned: list | None) -> list[str]:
    """The report's line on a stage's Python warnings (``[]`` when they were not recorded).

    Parameters
    ----------
    warned : list of [str, str] or None
        The stage's ``[category, message]`` pairs from ``run.h5``'s ``stage_warnings``; None
        for a file written before they were recorded.

    Returns
    -------
    list of str
        Markdown lines: a count, then one sub-bullet per warning.

    Examples
    --------
    >>> stage_warning_lines(None)
    []
    """
    if warned is None:
        return []
    if not warned:
        return ["- Python warnings raised: none"]
    return ([f"- Python warnings raised ({len(warned)}; `run.h5` attribute `stage_warnings`):"]
            + [f"  - {category}: {message}" for category, message in warned])


def stage_figures(name: str, results: dict[str, Result], fig_dir: str,
                  formats: tuple[str, ...], dpi: int) -> list[Path]:
    """Draw the figures of stage ``name`` from its ``results`` into ``fig_dir`` (any process).

    Parameters
    ----------
    name : str
        Stage name.
    results : dict of str to Result
        The stage's results.
    fig_dir : str
        Folder of the figures.
    formats : tuple of str
        File formats.
    dpi : int
        Resolution of raster figures, dots per inch.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    import matplotlib
    matplotlib.use("Agg")
    with figure_options(formats, dpi):
        return stage_module(name).figures(results, Path(fig_dir))


def timing_table(seconds: Mapping[str, float], write_s: float | None = None) -> list[str]:
    """Markdown lines of the ``## Timing`` section: wall seconds per stage (rank 0), total.

    Parameters
    ----------
    seconds : mapping of str to float
        Wall time of every stage, s.
    write_s : float, optional
        Seconds spent writing the outputs.

    Returns
    -------
    list of str
        Markdown lines.

    Examples
    --------
    >>> timing_table({"filament": 1.0})[-2]
    '| total | 1.00 |'
    """
    lines = ["## Timing", "", "| stage | wall time (s) |", "|---|---|"]
    lines += [f"| {name} | {s:.2f} |" for name, s in seconds.items()]
    total = sum(seconds.values())
    if write_s is not None:
        lines.append(f"| writing run.h5, figures, report | {write_s:.2f} |")
        total += write_s
    return lines + [f"| total | {total:.2f} |", ""]


def _embedded(paths: list[Path]) -> list[Path]:
    """The figures the report shows: the PNGs, else the first format written (one per figure)."""
    if not paths:
        return []
    suffix = ".png" if any(p.suffix == ".png" for p in paths) else paths[0].suffix
    return [p for p in paths if p.suffix == suffix]


def console_summary(report_text: str, max_lines: int = 60) -> list[str]:
    """The lines of a report worth printing in a terminal: stage headings, bullet points, the
    comparison-table rows of this run's devices and the timing rows (the last lines kept).

    Parameters
    ----------
    report_text : str
        The Markdown report.
    max_lines : int, optional
        Most lines kept (the last ones).

    Returns
    -------
    list of str
        The lines.
    """
    keep = []
    in_provenance = in_timing = False
    for line in report_text.splitlines():
        if line.startswith("## "):
            in_provenance = line == "## Provenance"
            in_timing = line == "## Timing"
            if in_provenance:
                continue
            keep.append("")
            keep.append(line[3:])
        elif in_timing:
            if line.startswith("| ") and not line.startswith("| stage"):
                keep.append("  " + line)
        elif in_provenance:
            if line.startswith("- AccuracyWarnings") or line.startswith("  - "):
                keep.append(line)
        elif line.startswith("- ") or (line.startswith("|") and ("this run" in line
                                                                  or "| device" in line)):
            keep.append("  " + line)
    while keep and keep[0] == "":
        keep.pop(0)
    if "Timing" in keep and len(keep) > max_lines:       # the timing table always fits
        cut = keep.index("Timing") - 1
        timing = keep[cut:]
        return keep[:max(0, min(cut, max_lines - len(timing)))] + timing
    return keep[:max_lines]
