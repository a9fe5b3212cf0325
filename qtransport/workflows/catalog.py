"""The physics modules whose models are registered for sweeps, configs and the CLI.

Importing a module runs its ``@register`` decorators. Add a module here when it registers models.
"""
from __future__ import annotations

import importlib

from .. import registry

__all__ = ["MODULES", "load_all", "get_model", "model_names", "run_model"]

MODULES = (
    "qtransport.tight_binding.filament",
    "qtransport.tight_binding.qpc",
    "qtransport.tight_binding.tunneling_models",
    "qtransport.tight_binding.floating_gate",
    "qtransport.tight_binding.tb_systems",
    "qtransport.tight_binding.complex_bands",
    "qtransport.tight_binding.superlattice",
    "qtransport.tight_binding.schrodinger_poisson",
    "qtransport.tight_binding.photonic",
    "qtransport.ferroelectric.models",
    "qtransport.synapse.models",
    "qtransport.josephson.rcsj",
    "qtransport.josephson.quantum",
    "qtransport.josephson.qdynamics",
    "qtransport.josephson.magnetic",
    "qtransport.josephson.sfq",
)


def load_all() -> None:
    """Import every model module so that the registry is complete."""
    for name in MODULES:
        importlib.import_module(name)


def get_model(name: str) -> registry.Model:
    """Return the registered model ``name`` (loading all model modules first)."""
    load_all()
    return registry.get(name)


def model_names() -> list[str]:
    """Names of all registered models."""
    load_all()
    return registry.names()


def run_model(model: str, params: dict):
    """Validate ``params`` against the schema of ``model`` and run it (picklable for MPI maps)."""
    return get_model(model)(**params)
