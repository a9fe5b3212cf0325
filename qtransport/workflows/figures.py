"""Saving a pipeline stage's matplotlib figures (used by every stage's ``figures``)."""
from __future__ import annotations

from pathlib import Path

__all__ = ["FigureSaver"]


class FigureSaver:
    """Saves a stage's matplotlib figures as ``<fig_dir>/<prefix>_<name>.png`` and lists them.

    Examples
    --------
    >>> import tempfile, pathlib, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> save = FigureSaver(pathlib.Path(tempfile.mkdtemp()), "demo")
    >>> save(plt.figure(), "empty").name
    'demo_empty.png'
    """

    def __init__(self, fig_dir: Path, prefix: str, dpi: int = 110):
        self.fig_dir, self.prefix, self.dpi = Path(fig_dir), prefix, dpi
        self.paths: list[Path] = []

    def __call__(self, fig, name: str) -> Path:
        import matplotlib.pyplot as plt
        path = self.fig_dir / f"{self.prefix}_{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=self.dpi)
        plt.close(fig)
        self.paths.append(path)
        return path
