"""Saving a pipeline stage's matplotlib figures (used by every stage's ``figures``).

The file formats and resolution come from :func:`figure_options` (``qtransport run --format
png,svg,pdf --dpi 200``): every figure is written once per format, ``<prefix>_<name>.<fmt>``.
Text uses matplotlib's mathtext (``$G\\ (2e^2/h)$``), which every backend renders without LaTeX.
"""
from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path

__all__ = ["FigureSaver", "figure_options", "current_options", "FORMATS", "DEFAULT_DPI",
           "check_formats", "check_dpi", "nonlinearity_text", "si_text", "scaled_unit", "sci_tex",
           "label_log_ticks"]

#: file formats ``--format`` accepts (matplotlib writes each without extra dependencies)
FORMATS = ("png", "svg", "pdf")
#: resolution of raster (PNG) figures, dots per inch
DEFAULT_DPI = 150
_OPTIONS = contextvars.ContextVar("figure_options", default=(("png",), DEFAULT_DPI))


def check_formats(formats, name: str = "--format") -> tuple[str, ...]:
    """``"png,svg"`` or a sequence → a tuple of distinct known formats (ValueError otherwise).

    Parameters
    ----------
    formats : str or sequence of str
        Formats (``"png,svg"`` or a list).
    name : str, optional
        How the messages call the argument.

    Returns
    -------
    tuple of str
        Distinct lower-case formats.

    Raises
    ------
    TypeError
        Not a string or sequence.
    ValueError
        An unknown or no format.

    Examples
    --------
    >>> check_formats("PNG, svg,png")
    ('png', 'svg')
    """
    if isinstance(formats, str):
        formats = [f.strip().lower() for f in formats.split(",")]
    try:
        out = tuple(dict.fromkeys(str(f).strip().lower() for f in formats))
    except TypeError:
        raise TypeError(f"{name} must be a comma-separated list of {', '.join(FORMATS)}, got "
                        f"{formats!r}") from None
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise ValueError(f"{name} must be a comma-separated list of {', '.join(FORMATS)}, got "
                         f"{bad[0] if bad else formats!r}")
    return out


def check_dpi(dpi, name: str = "--dpi") -> int:
    """Resolution in dots per inch, an integer in [30, 1200].

    Parameters
    ----------
    dpi : int
        Resolution, dots per inch.
    name : str, optional
        How the messages call the argument.

    Returns
    -------
    int
        The checked resolution.

    Raises
    ------
    ValueError, TypeError
        Not an integer in [30, 1200].

    Examples
    --------
    >>> check_dpi(300)
    300
    """
    from ..errors import check_int
    return check_int(name, dpi, low=30, high=1200)


@contextlib.contextmanager
def figure_options(formats=("png",), dpi: int = DEFAULT_DPI):
    """Within the block, :class:`FigureSaver` writes ``formats`` at ``dpi`` (checked).

    Parameters
    ----------
    formats : str or sequence of str, optional
        File formats (:data:`FORMATS`).
    dpi : int, optional
        Resolution of raster figures, dots per inch (30–1200).

    Yields
    ------
    None
        Control to the block.

    Examples
    --------
    >>> with figure_options(formats=('png', 'pdf'), dpi=100):
    ...     print(current_options())
    (('png', 'pdf'), 100)
    """
    token = _OPTIONS.set((check_formats(formats, "formats"), check_dpi(dpi, "dpi")))
    try:
        yield
    finally:
        _OPTIONS.reset(token)


def current_options() -> tuple[tuple[str, ...], int]:
    """``(formats, dpi)`` in force (set by :func:`figure_options`; PNG at the default dpi).

    Returns
    -------
    formats : tuple of str
        The formats.
    dpi : int
        The resolution, dots per inch.

    Examples
    --------
    >>> current_options()
    (('png',), 150)
    """
    return _OPTIONS.get()


class FigureSaver:
    """Saves a stage's figures as ``<fig_dir>/<prefix>_<name>.<format>`` and lists them.

    ``dpi`` and ``formats`` default to the enclosing :func:`figure_options` (PNG at
    :data:`DEFAULT_DPI`). Calling it returns the first format's path (the one the report
    embeds); :attr:`paths` lists every file written.

    Parameters
    ----------
    fig_dir : pathlib.Path
        Folder of the figures.
    prefix : str
        File name prefix (the stage).
    dpi : int, optional
        Resolution, dots per inch (default: :func:`current_options`).
    formats : tuple of str, optional
        File formats (default: :func:`current_options`).

    Examples
    --------
    >>> import tempfile, pathlib, matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> save = FigureSaver(pathlib.Path(tempfile.mkdtemp()), "demo")
    >>> save(plt.figure(), "empty").name
    'demo_empty.png'
    """

    def __init__(self, fig_dir: Path, prefix: str, dpi: int | None = None,
                 formats: tuple[str, ...] | None = None):
        default_formats, default_dpi = _OPTIONS.get()
        self.fig_dir, self.prefix = Path(fig_dir), prefix
        self.dpi = default_dpi if dpi is None else check_dpi(dpi, "dpi")
        self.formats = default_formats if formats is None else check_formats(formats, "formats")
        self.paths: list[Path] = []

    def __call__(self, fig, name: str) -> Path:
        import matplotlib.pyplot as plt
        fig.tight_layout()
        first = None
        for fmt in self.formats:
            path = self.fig_dir / f"{self.prefix}_{name}.{fmt}"
            fig.savefig(path, dpi=self.dpi)
            self.paths.append(path)
            first = first or path
        plt.close(fig)
        return first


def nonlinearity_text(a_over_p: float, digits: int = 3) -> str:
    """Report text of a NeuroSim nonlinearity A/P: ``"linear"`` when infinite or above 1e3
    (the curve is a straight line to plotting accuracy), else the number to ``digits``
    significant digits (``"nan"`` for a failed fit).

    Parameters
    ----------
    a_over_p : float
        A/P, dimensionless.
    digits : int, optional
        Significant digits.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> nonlinearity_text(float("inf")), nonlinearity_text(0.123456)
    ('linear', '0.123')
    """
    v = float(a_over_p)
    return "linear" if v == float("inf") or v > 1e3 else f"{v:.{digits}g}"


_PREFIXES = ((1e-15, "f"), (1e-12, "p"), (1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1.0, ""),
             (1e3, "k"), (1e6, "M"), (1e9, "G"))


def _prefix_for(magnitude: float) -> tuple[float, str]:
    """The SI prefix whose factor is the largest one not above ``magnitude`` (1 for 0/inf)."""
    if not magnitude or not magnitude < float("inf"):
        return 1.0, ""
    chosen = _PREFIXES[0]
    for factor, prefix in _PREFIXES:
        if magnitude >= factor * (1 - 1e-9):
            chosen = (factor, prefix)
    return chosen


def si_text(value: float, unit: str, digits: int = 3) -> str:
    """``value`` in ``unit`` with an SI prefix, for titles and legends: ``si_text(1e-3, "s")``
    → ``"1 ms"``, ``si_text(8e-9, "s")`` → ``"8 ns"``.

    Parameters
    ----------
    value : float
        The value in ``unit``.
    unit : str
        Base unit (``"s"``, ``"S"`` …).
    digits : int, optional
        Significant digits.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> si_text(8e-9, "s")
    '8 ns'
    """
    v = float(value)
    factor, prefix = _prefix_for(abs(v))
    return f"{v / factor:.{digits}g} {prefix}{unit}"


def scaled_unit(values, unit: str) -> tuple[float, str]:
    """``(factor, label_unit)`` to plot ``values / factor`` in ``label_unit`` (an SI prefix
    chosen from the largest magnitude): conductances of 0.38 S → ``(1e-3, "mS")``.

    Parameters
    ----------
    values : array_like
        Values in ``unit``.
    unit : str
        Base unit.

    Returns
    -------
    factor : float
        Divide the values by this.
    label_unit : str
        The prefixed unit.

    Examples
    --------
    >>> scaled_unit([0.38, 0.1], "S")
    (0.001, 'mS')
    """
    import numpy as np
    a = np.abs(np.asarray(values, dtype=float))
    a = a[np.isfinite(a)]
    factor, prefix = _prefix_for(float(a.max()) if a.size else 0.0)
    return factor, f"{prefix}{unit}"


def sci_tex(value: float, digits: int = 3) -> str:
    r"""Mathtext of ``value`` in scientific notation: ``9.72e9`` → ``"$9.72\times10^{9}$"``
    (no mantissa when it is 1: ``"$10^{11}$"``).

    Parameters
    ----------
    value : float
        The number.
    digits : int, optional
        Significant digits of the mantissa.

    Returns
    -------
    str
        Matplotlib mathtext.

    Examples
    --------
    >>> sci_tex(9.72e9), sci_tex(1e11)
    ('$9.72\\times10^{9}$', '$10^{11}$')
    """
    v = float(value)
    if v == 0 or not abs(v) < float("inf"):
        return f"${v:g}$"
    import math
    exp = math.floor(math.log10(abs(v)))
    mant = float(f"{v / 10 ** exp:.{digits}g}")
    if abs(mant) >= 10:
        mant, exp = mant / 10, exp + 1
    if exp == 0:
        return f"${mant:g}$"
    return (f"$10^{{{exp}}}$" if mant == 1 else
            f"$-10^{{{exp}}}$" if mant == -1 else f"${mant:g}\\times10^{{{exp}}}$")


def label_log_ticks(axis, values) -> None:
    """Put the ticks of a log ``axis`` (``ax.xaxis``/``ax.yaxis``) at ``values`` with
    :func:`sci_tex` labels and no minor labels: a log axis spanning about one decade otherwise
    labels its minor ticks too, and the labels run into each other.

    Parameters
    ----------
    axis : matplotlib.axis.Axis
        ``ax.xaxis`` or ``ax.yaxis`` of a log-scaled axes.
    values : sequence of float
        Tick positions.
    """
    from matplotlib.ticker import FixedLocator, FixedFormatter, NullFormatter
    values = [float(v) for v in values]
    axis.set_major_locator(FixedLocator(values))
    axis.set_major_formatter(FixedFormatter([sci_tex(v) for v in values]))
    axis.set_minor_formatter(NullFormatter())
