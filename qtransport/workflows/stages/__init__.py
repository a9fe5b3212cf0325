"""Stages of the end-to-end pipeline (``qtransport run``), one module each.

A stage module defines:

``DEFAULTS``
    dict — its configuration at demo size; the types of the defaults are the schema (a TOML
    section ``[NAME]`` overrides keys; unknown keys are refused). A key holding a grid of values
    has a :class:`~qtransport.workflows.configlang.Grid` default; the stage reads it with
    :func:`grid_values` (the user may give a grid table or a list of values, see
    ``docs/config.md``).
``FEEDS`` (optional)
    dict — key → ``(model, parameter)`` or ``("device:<family>", parameter)``: the registered
    parameter the key's value is passed to. Its schema (type, range, choices) checks the key
    before any stage runs, and the error names the full key path — the schema is declared once,
    with the model or family.
``plan(section)`` (optional)
    the stage's registered model calls, ``label -> (model, params)``, without running them;
    the pipeline validates each against its model's schema before any stage runs.
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

import importlib

from ..configlang import Grid, grid_values

__all__ = ["Grid", "grid_values", "stage_module"]


def stage_module(name: str):
    """Import the stage module ``name`` (``qtransport.workflows.stages.<name>``).

    Parameters
    ----------
    name : str
        Stage name (the module name).

    Returns
    -------
    module
        The stage module.

    Raises
    ------
    ModuleNotFoundError
        No stage of that name.
    """
    return importlib.import_module(f"{__name__}.{name}")
