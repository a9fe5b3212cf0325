"""Rate laws of electrochemical switching: Butler–Volmer, field-assisted hopping, Arrhenius.

All rates are per second. Energies in eV, temperatures in K, fields in V/m, distances in nm.

* Butler–Volmer (one electron transfer of charge z e, transfer coefficient α, overpotential η):
  reduction k_red = k0 exp(+α z e η / k_BT), oxidation k_ox = k0 exp(−(1 − α) z e η / k_BT);
  the net rate k_red − k_ox vanishes at η = 0 and equals 2 k0 sinh(z e η / 2k_BT) at α = ½.
* Field-assisted hopping over a barrier E_a with hop distance a in a field E (Mott–Gurney):
  forward/backward ν exp(−E_a/k_BT) exp(±q a E / 2k_BT); net 2 ν exp(−E_a/k_BT) sinh(q a E/2k_BT),
  drift velocity a × net. Low field: linear in E (mobility q a² ν e^{−E_a/kT}/k_BT); high field:
  ν exp(−E_a/k_BT) exp(q a E / 2k_BT).
"""
from __future__ import annotations

import numpy as np

from ..constants import thermal_energy_eV
from ..errors import check_array, check_real
from ..errors import MAX_FIELD_V_PER_M, MAX_TEMPERATURE_K

__all__ = ["arrhenius_rate", "butler_volmer_rates", "butler_volmer_net_rate", "hopping_rates",
           "hopping_net_rate", "drift_velocity"]


def _kt(temperature_K: float) -> float:
    return thermal_energy_eV(check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K))


def arrhenius_rate(attempt_frequency_Hz: float, activation_eV, temperature_K: float):
    """ν exp(−E_a / k_BT), 1/s (``activation_eV`` may be an array).

    Parameters
    ----------
    attempt_frequency_Hz : float
        Attempt frequency ν, Hz (> 0).
    activation_eV : float or array_like
        Activation energy E_a, eV.
    temperature_K : float
        Temperature, K (> 0).

    Returns
    -------
    float or numpy.ndarray
        Rate, Hz (an array when ``activation_eV`` is one).

    Raises
    ------
    ValueError
        If an argument is invalid: `attempt_frequency_Hz` must be > 0; `activation_eV` must be
        an array of finite numbers.
    TypeError
        If an argument has the wrong type: `attempt_frequency_Hz` is not a real number;
        `activation_eV` is not an array of real numbers.

    Examples
    --------
    >>> f"{arrhenius_rate(1e13, 0.5, 300.0):.3g}"
    '3.98e+04'
    """
    nu = check_real("attempt_frequency_Hz", attempt_frequency_Hz, low=0.0, low_open=True)
    ea = check_array("activation_eV", activation_eV)
    out = nu * np.exp(-ea / _kt(temperature_K))
    return out if np.ndim(activation_eV) else float(out[0])


def butler_volmer_rates(overpotential_V, exchange_rate_Hz: float, temperature_K: float,
                        alpha: float = 0.5, charge_number: int = 1):
    """Reduction and oxidation rates (k_red, k_ox), 1/s, at cathodic overpotential η (V).

    Parameters
    ----------
    overpotential_V : float or array_like
        Cathodic overpotential η (positive drives reduction), V.
    exchange_rate_Hz : float
        Exchange rate k0 at η = 0, 1/s (> 0).
    temperature_K : float
        Temperature, K (> 0).
    alpha : float
        Cathodic transfer coefficient α, 0 < α < 1.
    charge_number : int
        Ion charge z (1 for Ag⁺, Cu⁺).

    Returns
    -------
    k_red : float or numpy.ndarray
        Reduction rate, Hz.
    k_ox : float or numpy.ndarray
        Oxidation rate, Hz.

    Raises
    ------
    ValueError
        If an argument is invalid: `exchange_rate_Hz` and `charge_number` must be > 0; `alpha`
        must be > 0 and < 1; `overpotential_V` must be an array of finite numbers.
    TypeError
        If an argument has the wrong type: `exchange_rate_Hz`, `alpha` or `charge_number` are
        not real numbers; `overpotential_V` is not an array of real numbers.

    Examples
    --------
    >>> butler_volmer_rates(0.0, 1.0, 300.0)
    (1.0, 1.0)
    """
    k0 = check_real("exchange_rate_Hz", exchange_rate_Hz, low=0.0, low_open=True)
    a = check_real("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    z = check_real("charge_number", charge_number, low=0.0, low_open=True)
    eta = check_array("overpotential_V", overpotential_V)
    x = z * eta / _kt(temperature_K)
    red, ox = k0 * np.exp(a * x), k0 * np.exp(-(1 - a) * x)
    if np.ndim(overpotential_V) == 0:
        return float(red[0]), float(ox[0])
    return red, ox


def butler_volmer_net_rate(overpotential_V, exchange_rate_Hz: float, temperature_K: float,
                           alpha: float = 0.5, charge_number: int = 1):
    """Net reduction rate k_red − k_ox, 1/s (zero at η = 0; 2 k0 sinh(zeη/2kT) at α = ½).

    Parameters
    ----------
    overpotential_V : float or array_like
        Cathodic overpotential η, V (positive drives reduction).
    exchange_rate_Hz : float
        Exchange rate k0, Hz (> 0).
    temperature_K : float
        Temperature, K (> 0).
    alpha : float, optional
        Cathodic transfer coefficient α, 0 < α < 1.
    charge_number : int, optional
        Ion charge z, units of e (> 0).

    Returns
    -------
    float or numpy.ndarray
        Net reduction rate, Hz.

    Examples
    --------
    >>> r = butler_volmer_net_rate([-0.1, 0.0, 0.1], 1e3, 300.0)
    >>> [bool(x) for x in (r[0] < 0, r[1] == 0, r[2] > 0)]
    [True, True, True]
    """
    red, ox = butler_volmer_rates(overpotential_V, exchange_rate_Hz, temperature_K, alpha,
                                  charge_number)
    return red - ox


def hopping_rates(field_V_per_m, activation_eV: float, hop_distance_nm: float,
                  temperature_K: float, attempt_frequency_Hz: float = 1e13,
                  charge_number: int = 1):
    """Hop rates along and against the force on a positive ion, (forward, backward), 1/s.

    ν exp(−E_a/k_BT) exp(± z e a E / 2k_BT): the field lowers the barrier by half the potential
    drop over one hop distance a in the forward direction and raises it backwards.

    Parameters
    ----------
    field_V_per_m : float or array_like
        Electric field along the forward direction, V/m.
    activation_eV : float
        Zero-field barrier E_a, eV (≥ 0).
    hop_distance_nm : float
        Hop distance a, nm (> 0).
    temperature_K : float
        Temperature, K (> 0).
    attempt_frequency_Hz : float, optional
        Attempt frequency ν, Hz (> 0).
    charge_number : int, optional
        Ion charge z, units of e (> 0).

    Returns
    -------
    forward : float or numpy.ndarray
        Rate along the force on a positive ion, Hz.
    backward : float or numpy.ndarray
        Rate against it, Hz.

    Raises
    ------
    ValueError
        If an argument is invalid: `activation_eV` must be >= 0; `charge_number` and
        `hop_distance_nm` must be > 0; `field_V_per_m` must be an array of finite numbers >=
        -1e+11 and <= 1e+11.
    TypeError
        If an argument has the wrong type: `activation_eV`, `charge_number` or
        `hop_distance_nm` are not real numbers; `field_V_per_m` is not an array of real
        numbers.

    Examples
    --------
    The ratio of forward to backward hops is the Boltzmann factor of the work zeEa done on one
    hop (here 30 meV at 1e8 V/m over 0.3 nm), and the geometric mean is the zero-field rate:

    >>> import math
    >>> from qtransport.constants import e, k_B
    >>> fwd, bwd = hopping_rates(1e8, 0.5, 0.3, 300.0)               # 1/s
    >>> kT = k_B * 300.0 / e                                          # eV
    >>> bool(abs(fwd / bwd - math.exp(0.3e-9 * 1e8 / kT)) < 1e-9)
    True
    >>> bool(abs(math.sqrt(fwd * bwd) / arrhenius_rate(1e13, 0.5, 300.0) - 1) < 1e-12)
    True
    """
    e_a = check_real("activation_eV", activation_eV, low=0.0)
    a = check_real("hop_distance_nm", hop_distance_nm, low=0.0, low_open=True) * 1e-9
    z = check_real("charge_number", charge_number, low=0.0, low_open=True)
    field = check_array("field_V_per_m", field_V_per_m, low=-MAX_FIELD_V_PER_M, high=MAX_FIELD_V_PER_M)
    base = arrhenius_rate(attempt_frequency_Hz, e_a, temperature_K)
    x = z * a * field / (2 * _kt(temperature_K))
    fwd, bwd = base * np.exp(x), base * np.exp(-x)
    if np.ndim(field_V_per_m) == 0:
        return float(fwd[0]), float(bwd[0])
    return fwd, bwd


def hopping_net_rate(field_V_per_m, activation_eV: float, hop_distance_nm: float,
                     temperature_K: float, attempt_frequency_Hz: float = 1e13,
                     charge_number: int = 1):
    """Net hop rate 2 ν exp(−E_a/k_BT) sinh(z e a E / 2k_BT), 1/s.

    Parameters
    ----------
    field_V_per_m : float or array_like
        Electric field along the forward direction, V/m.
    activation_eV : float
        Zero-field barrier E_a, eV (≥ 0).
    hop_distance_nm : float
        Hop distance a, nm (> 0).
    temperature_K : float
        Temperature, K (> 0).
    attempt_frequency_Hz : float, optional
        Attempt frequency ν, Hz (> 0).
    charge_number : int, optional
        Ion charge z, units of e (> 0).

    Returns
    -------
    float or numpy.ndarray
        Net forward hop rate, Hz.

    Examples
    --------
    >>> hopping_net_rate(0.0, 0.5, 0.3, 300.0)
    0.0
    """
    fwd, bwd = hopping_rates(field_V_per_m, activation_eV, hop_distance_nm, temperature_K,
                             attempt_frequency_Hz, charge_number)
    return fwd - bwd


def drift_velocity(field_V_per_m, activation_eV: float, hop_distance_nm: float,
                   temperature_K: float, attempt_frequency_Hz: float = 1e13,
                   charge_number: int = 1):
    """Mean ion drift velocity a × (net hop rate), m/s.

    Parameters
    ----------
    field_V_per_m : float or array_like
        Electric field along the forward direction, V/m.
    activation_eV : float
        Zero-field barrier E_a, eV (≥ 0).
    hop_distance_nm : float
        Hop distance a, nm (> 0).
    temperature_K : float
        Temperature, K (> 0).
    attempt_frequency_Hz : float, optional
        Attempt frequency ν, Hz (> 0).
    charge_number : int, optional
        Ion charge z, units of e (> 0).

    Returns
    -------
    float or numpy.ndarray
        Drift velocity, m/s (positive along the field).

    Examples
    --------
    >>> v = drift_velocity([0.0, 1e8], 0.5, 0.3, 300.0)
    >>> bool(v[0] == 0 and v[1] > 0)
    True
    """
    return hop_distance_nm * 1e-9 * hopping_net_rate(field_V_per_m, activation_eV,
                                                      hop_distance_nm, temperature_K,
                                                      attempt_frequency_Hz, charge_number)
