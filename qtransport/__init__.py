"""qtransport: quantum transport for quantum artificial synapses.

From Kwant tight-binding models, exact transfer matrices and QuTiP dynamics to reduced synapse
models and network-level evaluation. Units are SI unless a name says otherwise (``_eV``, ``_nm``,
``_G0`` = in units of 2e²/h ...).
"""
from __future__ import annotations

__version__ = "0.1.0"

from . import constants, materials
from .constants import G0, PHI0
from .errors import AccuracyWarning

__all__ = ["__version__", "G0", "PHI0", "AccuracyWarning", "constants", "materials"]


def __getattr__(name: str):
    # Heavier subpackages load on first use so `import qtransport` stays fast.
    import importlib
    if name in {"landauer", "results", "registry", "tight_binding", "josephson", "synapse",
                "workflows"}:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'qtransport' has no attribute {name!r}")
