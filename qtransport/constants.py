"""Physical constants used throughout qtransport, all taken from :mod:`scipy.constants`.

SI 2019 values (exact where SI defines them). Nothing here is typed by hand.
"""
from __future__ import annotations

from scipy import constants as _c

__all__ = ["e", "h", "hbar", "k_B", "m_e", "eps0", "G0", "PHI0", "R_K", "eV", "nm",
           "thermal_energy_eV"]

e: float = _c.e                 #: elementary charge, C
h: float = _c.h                 #: Planck constant, J s
hbar: float = _c.hbar           #: reduced Planck constant, J s
k_B: float = _c.k               #: Boltzmann constant, J/K
m_e: float = _c.m_e             #: electron mass, kg
eps0: float = _c.epsilon_0      #: vacuum permittivity, F/m
eV: float = _c.eV               #: one electronvolt, J
nm: float = _c.nano             #: one nanometre, m
G0: float = 2 * e**2 / h        #: conductance quantum 2e²/h, S
PHI0: float = h / (2 * e)       #: superconducting flux quantum h/2e, Wb
R_K: float = h / e**2           #: von Klitzing constant, ohm


def thermal_energy_eV(temperature_K: float) -> float:
    """Return k_B T in eV for a temperature in kelvin."""
    return k_B * temperature_K / eV
