"""Orchestration: configs, sweeps over MPI with checkpoints, the end-to-end pipeline, reports.

Submodules load on first attribute access; ``dir()`` lists them.
"""
from __future__ import annotations

import importlib

__all__ = ["adaptive_scan", "catalog", "checkpoint", "config", "configlang", "executor",
           "figures", "pipeline", "report", "stages", "sweep", "sweep_engine"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qtransport.workflows' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
