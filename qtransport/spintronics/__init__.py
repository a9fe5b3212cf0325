"""Spintronic physics: magnetic tunnel junctions, domain-wall and skyrmion dynamics."""
from .mtj import (MTJ, SPINS, STATES, Ferromagnet, cofeb_mtj, julliere_tmr,
                  slonczewski_polarization)

__all__ = ["MTJ", "SPINS", "STATES", "Ferromagnet", "cofeb_mtj", "julliere_tmr",
           "slonczewski_polarization"]
from . import domain_wall  # noqa: E402
from .domain_wall import Pinning, WallParameters, WallState, cofeb_wall  # noqa: E402

__all__ += ["domain_wall", "Pinning", "WallParameters", "WallState", "cofeb_wall"]
from . import skyrmion  # noqa: E402
from .skyrmion import SkyrmionParameters  # noqa: E402

__all__ += ["skyrmion", "SkyrmionParameters"]
