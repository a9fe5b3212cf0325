"""Quantum dots: size-dependent confinement, single-electron charging, charge-trap memory."""
from . import charge_trap, charging, confinement, sizing  # noqa: F401

__all__ = ["charge_trap", "charging", "confinement", "sizing"]
