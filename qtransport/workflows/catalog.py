"""The physics modules whose models are registered for sweeps, configs and the CLI.

Importing a module runs its ``@register`` decorators. Add a module here when it registers models
(``tests/test_schema.py`` fails when a registering module is missing). ``docs/models.md`` and
``qtransport models`` are generated from the registered schemas (:func:`models_markdown`).
"""
from __future__ import annotations

import importlib

from .. import registry

__all__ = ["MODULES", "load_all", "get_model", "model_names", "run_model", "models_markdown"]

MODULES = (
    "qtransport.tight_binding.filament",
    "qtransport.tight_binding.qpc",
    "qtransport.tight_binding.tunneling_models",
    "qtransport.devices.floating_gate",
    "qtransport.tight_binding.tb_systems",
    "qtransport.tight_binding.complex_bands",
    "qtransport.first_principles.chains",
    "qtransport.first_principles.hbn",
    "qtransport.first_principles.breakjunction",
    "qtransport.tight_binding.superlattice",
    "qtransport.tight_binding.schrodinger_poisson",
    "qtransport.devices.photonic",
    "qtransport.ferroelectric.models",
    "qtransport.spintronics.models",
    "qtransport.synapse.models",
    "qtransport.josephson.rcsj",
    "qtransport.josephson.quantum",
    "qtransport.josephson.qdynamics",
    "qtransport.devices.magnetic_josephson",
    "qtransport.josephson.sfq",
    "qtransport.electrochemistry.ecm",
    "qtransport.electrochemistry.vacancy2d",
    "qtransport.quantum_dots.models",
)


_loaded: tuple | None = None                 # the MODULES tuple already imported, if any


def load_all() -> None:
    """Import every model module so that the registry is complete.

    Done once per process (per value of :data:`MODULES`): a sweep calls :func:`get_model` for
    every point, and re-running ~30 ``import_module`` look-ups each time was most of the
    engine's per-point overhead.

    Examples
    --------
    >>> load_all()
    >>> from qtransport import registry
    >>> 'tunneling.hbn_transmission' in registry.names()
    True
    """
    global _loaded
    if _loaded is MODULES:
        return
    for name in MODULES:
        importlib.import_module(name)
    _loaded = MODULES


def get_model(name: str) -> registry.Model:
    """Return the registered model ``name`` (loading all model modules first).

    Parameters
    ----------
    name : str
        Model name or alias.

    Returns
    -------
    Model
        The registered model.

    Raises
    ------
    ValueError
        An unknown name.

    Examples
    --------
    >>> get_model("filament.conductance").name
    'filament.conductance'
    """
    load_all()
    return registry.get(name)


def model_names() -> list[str]:
    """Names of all registered models.

    Returns
    -------
    list of str
        Sorted model names.

    Examples
    --------
    >>> 'tunneling.hbn_transmission' in model_names()
    True
    """
    load_all()
    return registry.names()


def run_model(model: str, params: dict):
    """Validate ``params`` against the schema of ``model`` and run it (picklable for MPI maps).

    Parameters
    ----------
    model : str
        Registered model name.
    params : dict
        Its parameters (validated against the schema).

    Returns
    -------
    Result
        The model's result.

    Examples
    --------
    >>> r = run_model('tunneling.hbn_transmission', {'energies_eV': [0.1], 'n_layers': 3})
    >>> r.kind, r.transmission.shape
    ('tunneling.hbn_transmission', (1,))
    """
    return get_model(model)(**params)


def _type_text(p: registry.Param) -> str:
    rng = ", ".join(p.constraints()).replace("|", "\\|")
    return p.type_name + (f", {rng}" if rng else "")


def models_markdown() -> str:
    """``docs/models.md``: every registered model with its parameters, from the schema.

    The file in the repository must equal this text (``tests/test_schema.py``).

    Returns
    -------
    str
        The Markdown text.

    Examples
    --------
    >>> models_markdown().startswith('#')
    True
    """
    load_all()
    out = ["# Registered models", "",
           "Generated from the registered parameter schemas (`qtransport/registry.py`) by",
           "`qtransport.workflows.catalog.models_markdown()`; do not edit by hand. Any of these",
           "names can be the `model` of a sweep file (`docs/sweeps.md`); every parameter can be",
           "set in `[sweep.fixed]` or swept in `[sweep.grid]` (`docs/config.md`).",
           "`qtransport models NAME` prints the same.", ""]
    old = {}
    for alias, name in registry.aliases().items():
        old.setdefault(name, []).append(alias)
    for name in registry.names():
        m = registry.get(name)
        if m.function.__module__ not in MODULES:
            continue
        out += [f"## `{name}`", "", m.summary.rstrip(".") + ".", "",
                f"`{m.function.__module__}.{m.function.__name__}`"
                + (f"; formerly {', '.join(f'`{a}`' for a in sorted(old[name]))}"
                   if name in old else "")
                + (f"; outputs {', '.join(f'`{o}`' for o in m.outputs)}" if m.outputs else ""),
                "", "| parameter | type | default | meaning |", "|---|---|---|---|"]
        for p in m.params:
            default = "required" if p.required else f"`{p.default!r}`"
            out.append(f"| `{p.name}` | {_type_text(p)} | {default} | {p.doc} |")
        out.append("")
    return "\n".join(out)
