"""Josephson junctions: RCSJ dynamics, SFQ neurons, quantum circuits.

Submodules: :mod:`~.junction` (parameters), :mod:`~.rcsj` (vectorized stochastic RCSJ engine:
I–V, Shapiro steps, phase slips, switching), :mod:`~.escape` (Kramers and MQT rates),
:mod:`~.sfq` (SFQ neuron), :mod:`~.slips` (2π phase slips), :mod:`~.quantum` (charge-basis Hamiltonians), :mod:`~.washboard` (phase-basis MQT),
:mod:`~.qdynamics` (QuTiP ``mesolve``), :mod:`~.thermal_iv` (exact Ambegaokar–Halperin I–V of the
overdamped junction with thermal noise). The magnetic-cluster synapse built on these junctions is
the device family :mod:`qtransport.devices.magnetic_josephson`. Submodules load on first attribute access, so QuTiP is
imported only when ``quantum``/``qdynamics`` are used.
"""
from __future__ import annotations

import importlib

from .junction import Junction, fraunhofer_critical_current

__all__ = ["Junction", "fraunhofer_critical_current", "rcsj", "escape", "sfq", "quantum",
           "slips", "washboard", "qdynamics", "thermal_iv"]

_SUBMODULES = {"junction", "rcsj", "escape", "sfq", "quantum", "slips", "washboard", "qdynamics",
               "integrator", "steppers", "thermal_iv"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qtransport.josephson' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)
