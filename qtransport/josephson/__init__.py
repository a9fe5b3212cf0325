"""Josephson junctions: RCSJ dynamics, magnetic-cluster synapses, SFQ neurons, quantum circuits.

Submodules: :mod:`~.junction` (parameters), :mod:`~.rcsj` (vectorized stochastic RCSJ engine:
I–V, Shapiro steps, phase slips, switching), :mod:`~.escape` (Kramers and MQT rates),
:mod:`~.sfq` (SFQ neuron), :mod:`~.magnetic` (Mn-cluster synapses), :mod:`~.quantum`
(charge-basis Hamiltonians and QuTiP dynamics). ``quantum`` loads QuTiP on first use.
"""
from __future__ import annotations

import importlib

from .junction import Junction, fraunhofer_critical_current

__all__ = ["Junction", "fraunhofer_critical_current", "rcsj", "escape", "sfq", "magnetic",
           "quantum"]

_SUBMODULES = {"junction", "rcsj", "escape", "sfq", "magnetic", "quantum"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qtransport.josephson' has no attribute {name!r}")
