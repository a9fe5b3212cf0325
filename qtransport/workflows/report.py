"""Figures and a readable Markdown summary of a pipeline run."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..results import Result, atomic_path
from .figures import FigureSaver
from .stages import stage_module

__all__ = ["write", "stage_results", "console_summary", "FigureSaver"]


def stage_results(results: dict[str, Result], stage: str) -> dict[str, Result]:
    """The results of one stage, keyed without the ``stage/`` prefix."""
    prefix = stage + "/"
    return {k[len(prefix):]: v for k, v in results.items() if k.startswith(prefix)}


def write(out: Path, cfg: dict[str, Any], results: dict[str, Result],
          seconds: dict[str, float]) -> tuple[list[Path], Path]:
    """Write every stage's figures into ``out/figures`` and the report ``out/report.md``."""
    import matplotlib
    matplotlib.use("Agg")
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures: list[Path] = []
    lines = ["# qtransport run report", "",
             "Every number below is read from `run.h5` (dataset paths given where quoted).", ""]
    for name in cfg["pipeline"]["stages"]:
        module = stage_module(name)
        mine = stage_results(results, name)
        stage_figs = module.figures(mine, fig_dir)
        figures += stage_figs
        lines += [f"## {name} ({seconds.get(name, 0.0):.1f} s)", ""]
        lines += module.summary(mine) + [""]
        lines += [f"![{p.stem}](figures/{p.name})" for p in _embedded(stage_figs)] + [""]
    report = out / "report.md"
    with atomic_path(report) as tmp:
        Path(tmp).write_text("\n".join(lines), encoding="utf-8")
    return figures, report


def _embedded(paths: list[Path]) -> list[Path]:
    """The figures the report shows: the PNGs, else the first format written (one per figure)."""
    if not paths:
        return []
    suffix = ".png" if any(p.suffix == ".png" for p in paths) else paths[0].suffix
    return [p for p in paths if p.suffix == suffix]


def console_summary(report_text: str, max_lines: int = 60) -> list[str]:
    """The lines of a report worth printing in a terminal: stage headings, bullet points and the
    comparison-table rows of this run's devices."""
    keep = []
    for line in report_text.splitlines():
        if line.startswith("## "):
            keep.append("")
            keep.append(line[3:])
        elif line.startswith("- ") or (line.startswith("|") and ("this run" in line
                                                                  or "| device" in line)):
            keep.append("  " + line)
    return keep[1:max_lines + 1]
