"""Measured sizing curve of CdSe dots: Yu, Qu, Guo, Peng, Chem. Mater. 15, 2854 (2003).

Their empirical fit of TEM diameter D (nm) against the first-exciton absorption wavelength
λ (nm) of wurtzite CdSe dots,

    D = 1.6122e-9 λ⁴ − 2.6575e-6 λ³ + 1.6242e-3 λ² − 0.4277 λ + 41.57,

is the experimental reference of the confinement model. It is a fit over λ ≈ 480–660 nm
(D ≈ 2–8 nm); outside that window it is not used. ``cdse_gap_eV`` inverts it (D is monotonic in
λ over the window) and returns the photon energy hc/λ.
"""
from __future__ import annotations

import numpy as np
from scipy import constants as _c
from scipy import optimize

from ..errors import check_array

__all__ = ["YU_COEFFICIENTS", "YU_WAVELENGTH_RANGE_NM", "yu_cdse_diameter_nm", "yu_cdse_gap_eV",
           "YU_DIAMETER_RANGE_NM", "YU_SOURCE"]

YU_SOURCE = "Yu, Qu, Guo, Peng, Chem. Mater. 15, 2854 (2003): CdSe sizing curve"
#: polynomial coefficients of D(λ), highest power first
YU_COEFFICIENTS = (1.6122e-9, -2.6575e-6, 1.6242e-3, -0.4277, 41.57)
#: wavelength window of the fit, nm
YU_WAVELENGTH_RANGE_NM = (480.0, 660.0)
_HC_EV_NM = _c.h * _c.c / _c.eV / _c.nano


def yu_cdse_diameter_nm(wavelength_nm) -> np.ndarray:
    """Diameter (nm) of CdSe dots whose first exciton absorbs at ``wavelength_nm``.

    Parameters
    ----------
    wavelength_nm : float or array_like
        First-exciton absorption wavelength, nm (480–660, the fit's range).

    Returns
    -------
    numpy.ndarray
        Diameter, nm.

    Raises
    ------
    ValueError
        If an argument is invalid: `wavelength_nm` must be an array of finite numbers >=
        ``YU_WAVELENGTH_RANGE_NM[0]`` and <= ``YU_WAVELENGTH_RANGE_NM[1]``.
    TypeError
        If an argument has the wrong type: `wavelength_nm` is not an array of real numbers.

    Examples
    --------
    >>> [round(float(d), 2) for d in yu_cdse_diameter_nm(560.0)]
    [3.26]
    """
    lam = check_array("wavelength_nm", wavelength_nm, low=YU_WAVELENGTH_RANGE_NM[0],
                      high=YU_WAVELENGTH_RANGE_NM[1])
    return np.polyval(YU_COEFFICIENTS, lam)


#: diameter window of the fit, nm
YU_DIAMETER_RANGE_NM = tuple(float(yu_cdse_diameter_nm(w)[0]) for w in YU_WAVELENGTH_RANGE_NM)


def yu_cdse_gap_eV(diameter_nm) -> np.ndarray:
    """First-exciton energy (eV) of CdSe dots of ``diameter_nm`` from the inverted fit.

    Parameters
    ----------
    diameter_nm : float or array_like
        Dot diameter, nm (inside :data:`YU_DIAMETER_RANGE_NM`).

    Returns
    -------
    numpy.ndarray
        First-exciton energy, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `diameter_nm` must be an array of finite numbers >=
        ``YU_DIAMETER_RANGE_NM[0]`` and <= ``YU_DIAMETER_RANGE_NM[1]``.
    TypeError
        If an argument has the wrong type: `diameter_nm` is not an array of real numbers.

    Examples
    --------
    It inverts :func:`yu_cdse_diameter_nm`: the dots that absorb at 560 nm have the photon
    energy hc/560 nm; larger dots absorb further to the red:

    >>> import numpy as np
    >>> d = yu_cdse_diameter_nm(560.0)                           # nm
    >>> bool(abs(yu_cdse_gap_eV(d)[0] - 1239.84198 / 560.0) < 1e-6)   # eV
    True
    >>> g = yu_cdse_gap_eV([3.0, 5.0, 7.0])
    >>> [round(float(x), 2) for x in g]
    [2.26, 2.04, 1.94]
    """
    d = check_array("diameter_nm", diameter_nm, low=YU_DIAMETER_RANGE_NM[0],
                    high=YU_DIAMETER_RANGE_NM[1])
    lo, hi = YU_WAVELENGTH_RANGE_NM
    lam = [optimize.brentq(lambda x: np.polyval(YU_COEFFICIENTS, x) - di, lo, hi, xtol=1e-12)
           for di in d]
    return _HC_EV_NM / np.array(lam)
