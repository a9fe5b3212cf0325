"""Electrochemical switching kinetics of filamentary memristors (physics layer).

* :mod:`.rates` — Butler–Volmer charge-transfer rates, field-assisted ion hopping, Arrhenius.
* :mod:`.ecm` — seeded kinetic Monte Carlo of an electrochemical-metallization (ECM) filament on
  the filament lattice of :mod:`qtransport.tight_binding.filament`, whose atomic configurations
  feed the Kwant conductance of that module, with the gap tunneling current, Joule heating and
  current compliance in the loop.
* :mod:`.vacancy2d` — 2-D vacancy memristor (MoS₂-type monolayer): adatom filling of vacancy
  sites with field-lowered Arrhenius rates, Kwant conductance of the layer with the filled sites.
"""
from . import rates  # noqa: F401

__all__ = ["rates", "ecm", "vacancy2d"]


def __getattr__(name):            # ecm imports Kwant lazily through tight_binding.filament
    if name in ("ecm", "vacancy2d"):
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(name)
