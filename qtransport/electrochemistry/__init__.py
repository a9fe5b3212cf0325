"""Electrochemical switching kinetics of filamentary memristors (physics layer).

* :mod:`.rates` — Butler–Volmer charge-transfer rates, field-assisted ion hopping, Arrhenius.
* :mod:`.ecm` — seeded kinetic Monte Carlo of an electrochemical-metallization (ECM) filament on
  the filament lattice of :mod:`qtransport.tight_binding.filament`, whose atomic configurations
  feed the Kwant conductance of that module, with the gap tunneling current, Joule heating and
  current compliance in the loop.
"""
from . import rates  # noqa: F401

__all__ = ["rates", "ecm"]


def __getattr__(name):            # ecm imports Kwant lazily through tight_binding.filament
    if name == "ecm":
        import importlib
        return importlib.import_module(".ecm", __name__)
    raise AttributeError(name)
