"""Stages of the end-to-end pipeline (``qtransport run``), one module each.

A stage module defines:

``DEFAULTS``
    dict — its configuration at demo size; the types of the defaults are the schema (a TOML
    section ``[NAME]`` overrides keys; unknown keys are refused).
``validate(section)`` (optional)
    range and consistency checks of its merged config section, raising ValueError/TypeError
    naming the key; the pipeline calls it for every stage before anything runs.
``run(ctx) -> dict[str, Result]``
    the computation; ``ctx`` is a :class:`~qtransport.workflows.pipeline.StageContext` whose
    ``map`` distributes independent model calls over MPI ranks. Pure: no files, no prints.
``figures(results, fig_dir) -> list[pathlib.Path]``
    PNG figures of its results (matplotlib, Agg backend).
``summary(results) -> list[str]``
    Markdown lines for the report; numbers quoted there must come from ``results``.
"""

import numpy as np

__all__ = ["linear_grid"]


def linear_grid(spec) -> list[float]:
    """A config grid ``[start, stop, n]`` as ``n`` evenly spaced floats (plain list, picklable).

    Examples
    --------
    >>> linear_grid([0.0, 1.0, 3])
    [0.0, 0.5, 1.0]
    """
    if not isinstance(spec, (list, tuple)) or len(spec) != 3:
        raise ValueError(f"a grid must be [start, stop, n], got {spec!r}")
    start, stop, n = spec
    return np.linspace(float(start), float(stop), int(n)).tolist()
