"""Tight-binding and effective-mass models: Kwant systems and exact solvers for the same physics.

Submodules (imported on first attribute access, so ``import qtransport.tight_binding`` stays
cheap; ``dir()`` lists them): :mod:`~.filament` (atomic-filament conductance, growth,
ensembles), :mod:`~.qpc` (saddle-point QPC), :mod:`~.tunneling` (barriers, J(V)),
:mod:`~.superlattice` (minibands, finite superlattices), :mod:`~.schrodinger_poisson`
(2DEG sheet density), :mod:`~.transfer_matrix`, :mod:`~.complex_bands`, :mod:`~.wannier`,
:mod:`~.tb_model`, :mod:`~.tb_systems` and helpers.
"""
from __future__ import annotations

import importlib

__all__ = ["chain1d", "complex_bands", "filament", "lattice", "qpc", "schrodinger_poisson",
           "superlattice", "tb_examples", "tb_model", "tb_systems", "transfer_matrix",
           "tunneling", "tunneling_currents", "tunneling_decay", "tunneling_models",
           "tunneling_solvers", "wannier"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qtransport.tight_binding' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
