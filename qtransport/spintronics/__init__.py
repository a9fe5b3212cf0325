"""Spintronic physics: magnetic tunnel junctions, domain-wall and skyrmion dynamics."""
from .mtj import (MTJ, SPINS, STATES, Ferromagnet, cofeb_mtj, julliere_tmr,
                  slonczewski_polarization)

__all__ = ["MTJ", "SPINS", "STATES", "Ferromagnet", "cofeb_mtj", "julliere_tmr",
           "slonczewski_polarization"]
