"""Physical constants used throughout qtransport, all taken from :mod:`scipy.constants`.

SI 2019 values (exact where SI defines them). Nothing here is typed by hand. The effective-mass
combinations every model shares are written here once: ħ²/2m_e (the hopping t = ħ²/2m*a² and
the kinetic energy ħ²k²/2m*), the wave-number prefactor √(2m_e·1 eV)/ħ of k(E), and the 2-D
density of states m*/(πħ²).
"""
from __future__ import annotations

import math

from scipy import constants as _c

__all__ = ["e", "h", "hbar", "k_B", "m_e", "eps0", "G0", "PHI0", "R_K", "eV", "nm",
           "HBAR2_OVER_2ME_EV_NM2", "K_PER_SQRT_EV", "thermal_energy_eV", "sheet_dos_per_J_m2"]

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

#: ħ²/(2 m_e) in eV nm²: the kinetic energy ħ²k²/2m* is HBAR2_OVER_2ME_EV_NM2 · k²/m* (k in 1/nm)
#: and the finite-difference hopping is t = HBAR2_OVER_2ME_EV_NM2 / (m* a²) (a in nm)
HBAR2_OVER_2ME_EV_NM2: float = float(hbar**2 / (2 * m_e) / eV / nm**2)
#: k in 1/nm of a particle of mass m_e with kinetic energy 1 eV: √(2 m_e · 1 eV)/ħ · 1 nm, so
#: k = K_PER_SQRT_EV · √(m*/m_e · E/eV)
K_PER_SQRT_EV: float = float(math.sqrt(2 * m_e * eV) / hbar * nm)


def thermal_energy_eV(temperature_K: float) -> float:
    """Return k_B T in eV for a temperature in kelvin.

    Parameters
    ----------
    temperature_K : float or array_like
        Temperature, K (not checked here).

    Returns
    -------
    float or numpy.ndarray
        k_B T, eV.

    Examples
    --------
    >>> round(thermal_energy_eV(300.0), 6)
    0.025852
    """
    return k_B * temperature_K / eV


def sheet_dos_per_J_m2(mass):
    """2-D density of states m*/(πħ²) of one parabolic subband, spin included, per J per m².

    Parameters
    ----------
    mass : float or ndarray
        Effective mass m*/m_e (not checked here: the calling model validates it).

    Returns
    -------
    float or numpy.ndarray
        m* m_e / (π ħ²), states per J per m².

    Examples
    --------
    >>> f"{sheet_dos_per_J_m2(1.0):.4g}"
    '2.607e+37'
    """
    return mass * m_e / (math.pi * hbar**2)
