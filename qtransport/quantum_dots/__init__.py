"""Quantum dots: size-dependent confinement, single-electron charging, charge-trap memory."""
from . import confinement, charging  # noqa: F401

__all__ = ["confinement", "charging"]
