"""Josephson-junction parameters and the quantities derived from them.

A :class:`Junction` is the lumped RCSJ element: critical current I_c, capacitance C and shunt
(normal-state) resistance R. Everything else — plasma frequency, Stewart–McCumber parameter,
Josephson and charging energies, characteristic voltage, switching energy — follows from these
three numbers. :meth:`Junction.from_material` builds one from a superconductor of
``data/materials.toml`` with the Ambegaokar–Baratoff I_cR_n product and the BCS gap Δ(T);
:func:`fraunhofer_critical_current` gives I_c(Φ) of a rectangular junction.

Examples
--------
>>> from qtransport.josephson import Junction
>>> j = Junction(critical_current_A=100e-6, capacitance_F=0.5e-12, resistance_ohm=2.0)
>>> round(j.stewart_mccumber, 4)
0.6077
>>> round(j.switching_energy_J * 1e18, 4)   # I_c Φ0 in aJ
0.2068
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import integrate, optimize

from .. import materials
from ..constants import PHI0, e, h, k_B
from ..errors import check_array, check_real
from ..errors import MAX_CURRENT_A, MAX_TEMPERATURE_K

#: smallest junction capacitance accepted, F (single-molecule junctions are ~1e-19 F)
MIN_CAPACITANCE_F = 1e-21

__all__ = ["Junction", "bcs_gap_J", "ambegaokar_baratoff_V", "fraunhofer_critical_current",
           "capacitance_for_stewart_mccumber"]

#: BCS weak-coupling ratio Δ(0)/(k_B T_c) = π e^{-γ_E}
BCS_RATIO = math.pi * math.exp(-np.euler_gamma)


@dataclasses.dataclass(frozen=True)
class Junction:
    """A resistively and capacitively shunted Josephson junction (RCSJ element).

    Parameters
    ----------
    critical_current_A : float
        Critical current I_c, A (> 0).
    capacitance_F : float
        Junction capacitance C, F (> 0).
    resistance_ohm : float
        Shunt / normal-state resistance R, Ω (> 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `critical_current_A` must be > 0 and <= 1000; `capacitance_F`
        must be >= 1e-21 (a zeptofarad) and <= 1000; `resistance_ohm` must be >= 1e-06 and <=
        1e+15.
    TypeError
        If an argument has the wrong type: `critical_current_A`, `capacitance_F` or
        `resistance_ohm` are not real numbers.

    Notes
    -----
    ω_p = √(2π I_c/(Φ0 C)), ω_c = 2π I_c R/Φ0, β_c = (ω_c/ω_p)² = 2π I_c R² C/Φ0,
    E_J = I_c Φ0/2π, E_C = e²/2C (Tinkham, *Introduction to Superconductivity*, ch. 6).

    Examples
    --------
    >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-15, resistance_ohm=100.0)
    >>> round(j.ej_GHz, 2), round(j.ec_GHz, 2)
    (496.68, 19.37)
    """

    critical_current_A: float
    capacitance_F: float
    resistance_ohm: float

    def __post_init__(self):
        for name, high in (("critical_current_A", MAX_CURRENT_A), ("capacitance_F", 1e3),
                           ("resistance_ohm", 1e15)):
            object.__setattr__(self, name, check_real(name, getattr(self, name), low=0.0,
                                                      low_open=True, high=high))
        if self.resistance_ohm < 1e-6:
            raise ValueError(f"resistance_ohm must be >= 1e-06 ohm (a micro-ohm shunt), got "
                             f"{self.resistance_ohm:g}")
        if self.capacitance_F < MIN_CAPACITANCE_F:
            raise ValueError(f"capacitance_F must be >= {MIN_CAPACITANCE_F:g} F (a zeptofarad, "
                             f"below any junction), got {self.capacitance_F:g}")

    # --- energies -----------------------------------------------------------------------------
    @property
    def josephson_energy_J(self) -> float:
        """E_J = I_c Φ0 / 2π, J."""
        return self.critical_current_A * PHI0 / (2 * math.pi)

    @property
    def charging_energy_J(self) -> float:
        """E_C = e² / 2C, J (single-electron convention, as in scqubits)."""
        return e**2 / (2 * self.capacitance_F)

    @property
    def ej_GHz(self) -> float:
        """E_J / h, GHz."""
        return self.josephson_energy_J / h / 1e9

    @property
    def ec_GHz(self) -> float:
        """E_C / h, GHz."""
        return self.charging_energy_J / h / 1e9

    @property
    def switching_energy_J(self) -> float:
        """I_c Φ0, J: the energy a 2π phase slip draws from a bias current equal to I_c."""
        return self.critical_current_A * PHI0

    # --- frequencies and damping --------------------------------------------------------------
    @property
    def plasma_angular_frequency(self) -> float:
        """ω_p = √(2π I_c / (Φ0 C)), rad/s."""
        return math.sqrt(2 * math.pi * self.critical_current_A / (PHI0 * self.capacitance_F))

    @property
    def plasma_frequency_Hz(self) -> float:
        """f_p = ω_p / 2π, Hz."""
        return self.plasma_angular_frequency / (2 * math.pi)

    @property
    def characteristic_angular_frequency(self) -> float:
        """ω_c = 2π I_c R / Φ0, rad/s (the time unit of the RCSJ equation)."""
        return 2 * math.pi * self.critical_current_A * self.resistance_ohm / PHI0

    @property
    def characteristic_frequency_Hz(self) -> float:
        """f_c = ω_c / 2π = I_c R / Φ0, Hz."""
        return self.characteristic_angular_frequency / (2 * math.pi)

    @property
    def characteristic_voltage_V(self) -> float:
        """V_c = I_c R, V."""
        return self.critical_current_A * self.resistance_ohm

    @property
    def stewart_mccumber(self) -> float:
        """β_c = 2π I_c R² C / Φ0 (dimensionless)."""
        return (2 * math.pi * self.critical_current_A * self.resistance_ohm**2
                * self.capacitance_F / PHI0)

    @property
    def quality_factor(self) -> float:
        """Q = ω_p R C = √β_c."""
        return math.sqrt(self.stewart_mccumber)

    def plasma_frequency_at_bias_Hz(self, bias_A) -> np.ndarray:
        """Small-oscillation frequency ω_p (1 − i²)^¼ / 2π at bias I (|I| < I_c), Hz.

        Parameters
        ----------
        bias_A : float or array_like
            Bias current(s), A, |I| < I_c.

        Returns
        -------
        numpy.ndarray
            Frequency, Hz.

        Raises
        ------
        ValueError
            A bias with |I| ≥ I_c.

        Examples
        --------
        >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
        >>> f = j.plasma_frequency_at_bias_Hz([0.0, 0.5e-6])
        >>> bool(f[0] > f[1] > 0)
        True
        """
        i = check_array("bias_A", bias_A, low=-MAX_CURRENT_A, high=MAX_CURRENT_A) \
            / self.critical_current_A
        if np.any(np.abs(i) >= 1):
            raise ValueError(f"bias_A must satisfy |bias_A| < critical_current_A = "
                             f"{self.critical_current_A}, got {bias_A!r}")
        return self.plasma_frequency_Hz * (1 - i**2) ** 0.25

    def retrapping_current_A(self) -> float:
        """Retrapping current of an underdamped junction, I_r ≈ (4/π) I_c/√β_c, A.

        Returns
        -------
        float
            I_r, A.

        Notes
        -----
        Energy balance of the running state (Tinkham eq. 6.21), valid for β_c ≫ 1; returns I_c
        for β_c ≤ (4/π)² where the junction is not hysteretic in this approximation.

        Examples
        --------
        >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
        >>> bool(0 < j.retrapping_current_A() < j.critical_current_A)
        True
        """
        q = self.quality_factor              # 0 when β_c underflows: overdamped, I_r = I_c
        return self.critical_current_A * (min(1.0, 4 / (math.pi * q)) if q > 0 else 1.0)

    def with_critical_current(self, critical_current_A: float) -> "Junction":
        """A copy with another I_c (R and C unchanged).

        Parameters
        ----------
        critical_current_A : float
            New critical current I_c, A (> 0).

        Returns
        -------
        Junction
            The copy (validated).

        Examples
        --------
        >>> j = Junction(critical_current_A=1e-6, capacitance_F=1e-13, resistance_ohm=100.0)
        >>> j.with_critical_current(2e-6).critical_current_A
        2e-06
        """
        return dataclasses.replace(self, critical_current_A=critical_current_A)

    @classmethod
    def from_material(cls, material: str = "Nb", *, resistance_ohm: float,
                      capacitance_F: float, temperature_K: float = 0.0) -> "Junction":
        """Junction with I_c from the Ambegaokar–Baratoff relation for a database superconductor.

        Parameters
        ----------
        material : str
            Name in ``data/materials.toml`` with ``gap_meV`` and ``critical_temperature_K``.
        resistance_ohm : float
            Normal-state resistance R_n, Ω (> 0).
        capacitance_F : float
            Capacitance, F (> 0).
        temperature_K : float
            Temperature, K (≥ 0, < T_c).

        Raises
        ------
        ValueError
            If an argument is invalid: the material must have ``gap_meV`` and
            ``critical_temperature_K``; `resistance_ohm` must be > 0; `temperature_K` must be >= 0
            and below the material's critical temperature.
        TypeError
            If an argument has the wrong type: `resistance_ohm` or `temperature_K` are not real
            numbers.

        Notes
        -----
        I_c R_n = (π Δ(T) / 2e) tanh(Δ(T) / 2 k_B T) (Ambegaokar & Baratoff, PRL 10, 486 (1963)),
        with Δ(T) from the BCS gap equation (:func:`bcs_gap_J`).

        Examples
        --------
        >>> j = Junction.from_material("Nb", resistance_ohm=1.0, capacitance_F=1e-12)
        >>> round(j.characteristic_voltage_V * 1e3, 3)
        2.197
        """
        mat = materials.get(material)
        gap0 = mat.get("gap_meV")
        tc = mat.get("critical_temperature_K")
        if gap0 is None or tc is None:
            raise ValueError(f"material {material!r} needs gap_meV and critical_temperature_K "
                             f"to build a junction; it has {sorted(mat.quantities)}")
        r = check_real("resistance_ohm", resistance_ohm, low=0.0, low_open=True)
        t = check_real("temperature_K", temperature_K, low=0.0, high=tc, high_open=True)
        gap = bcs_gap_J(gap0 * 1e-3 * e, t, tc)
        return cls(float(ambegaokar_baratoff_V(gap, t)) / r, capacitance_F, r)


def _gap_equation(delta: float, t_reduced: float) -> float:
    """ln(Δ0/Δ) − 2∫₀^∞ f(E)/E dξ in units Δ0 = 1, k_B T = t·Δ0/BCS_RATIO."""
    kt = t_reduced / BCS_RATIO

    def integrand(x):
        energy = math.hypot(x, delta)
        return 1.0 / (energy * (math.exp(min(energy / kt, 700.0)) + 1.0))

    upper = delta + 60 * kt
    val = integrate.quad(integrand, 0.0, upper, limit=200, epsabs=1e-13, epsrel=1e-12)[0]
    return math.log(1.0 / delta) - 2.0 * val


def bcs_gap_J(gap0_J: float, temperature_K: float, critical_temperature_K: float) -> float:
    """BCS superconducting gap Δ(T), J, from the weak-coupling gap equation.

    Parameters
    ----------
    gap0_J : float
        Zero-temperature gap Δ(0), J (> 0).
    temperature_K, critical_temperature_K : float
        Temperature and T_c, K (0 ≤ T; T ≥ T_c gives 0).

    Returns
    -------
    float
        Δ(T), J (0 at T ≥ T_c).

    Raises
    ------
    ValueError
        If an argument is invalid: `gap0_J` and `critical_temperature_K` must be > 0;
        `temperature_K` must be >= 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `gap0_J`, `critical_temperature_K` or
        `temperature_K` are not real numbers.

    Notes
    -----
    ln(Δ(0)/Δ) = 2∫₀^∞ dξ f(E)/E, E = √(ξ² + Δ²), with k_B T_c = Δ(0)/(π e^{−γ}) (BCS; Tinkham
    eq. 3.53). The equation is written in reduced units t = T/T_c, so the material's Δ(0) and T_c
    only set the scales.

    Examples
    --------
    >>> round(bcs_gap_J(1.0, 0.5, 1.0), 4)
    0.9569
    """
    gap0 = check_real("gap0_J", gap0_J, low=0.0, low_open=True)
    tc = check_real("critical_temperature_K", critical_temperature_K, low=0.0, low_open=True)
    t = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K) / tc
    if t >= 1.0:
        return 0.0
    if t < 0.05:   # thermal correction ~ exp(−1.76/t) < 1e-15
        return gap0
    return gap0 * optimize.brentq(_gap_equation, 1e-12, 1.0, args=(t,), xtol=1e-14)


def ambegaokar_baratoff_V(gap_J: float, temperature_K: float) -> float:
    """I_c R_n = (πΔ/2e) tanh(Δ/2k_BT), V (Ambegaokar & Baratoff, PRL 10, 486 (1963)).

    Parameters
    ----------
    gap_J : float
        Superconducting gap Δ(T), J (≥ 0).
    temperature_K : float
        Temperature, K (≥ 0).

    Returns
    -------
    float
        I_c R_n, V.

    Raises
    ------
    ValueError
        If an argument is invalid: `gap_J` must be >= 0; `temperature_K` must be >= 0 and <=
        10000.
    TypeError
        If an argument has the wrong type: `gap_J` or `temperature_K` are not real numbers.

    Examples
    --------
    >>> round(ambegaokar_baratoff_V(1.3987e-3 * 1.602176634e-19, 0.0) * 1e3, 3)
    2.197
    """
    gap = check_real("gap_J", gap_J, low=0.0)
    t = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    factor = 1.0 if t == 0.0 else math.tanh(gap / (2 * k_B * t))
    return math.pi * gap / (2 * e) * factor


def fraunhofer_critical_current(critical_current_A: float, flux_Wb) -> np.ndarray:
    """I_c(Φ) = I_c0 |sin(πΦ/Φ0) / (πΦ/Φ0)| of a rectangular junction with uniform current, A.

    Parameters
    ----------
    critical_current_A : float
        Zero-field critical current I_c0, A (> 0).
    flux_Wb : array_like
        Flux through the junction, Wb.

    Returns
    -------
    numpy.ndarray
        I_c(Φ), A.

    Raises
    ------
    ValueError
        If an argument is invalid: `critical_current_A` must be > 0; `flux_Wb` must be an array
        of finite numbers.
    TypeError
        If an argument has the wrong type: `critical_current_A` is not a real number; `flux_Wb`
        is not an array of real numbers.

    Notes
    -----
    Barone & Paternò, *Physics and Applications of the Josephson Effect* (1982), eq. 4.13.

    Examples
    --------
    >>> from qtransport.constants import PHI0
    >>> fraunhofer_critical_current(1e-3, [0.0, PHI0, 1.5 * PHI0]).round(7)
    array([0.001    , 0.       , 0.0002122])
    """
    ic0 = check_real("critical_current_A", critical_current_A, low=0.0, low_open=True)
    flux = check_array("flux_Wb", flux_Wb)
    return ic0 * np.abs(np.sinc(flux / PHI0))


def capacitance_for_stewart_mccumber(critical_current_A: float, resistance_ohm: float,
                                     stewart_mccumber: float) -> float:
    """The capacitance (F) that gives a junction of I_c and R the damping β_c = 2π I_c R² C / Φ0.

    Parameters
    ----------
    critical_current_A : float
        Critical current I_c, A (> 0).
    resistance_ohm : float
        Shunt resistance R, Ω (> 0).
    stewart_mccumber : float
        Target β_c, dimensionless (> 0).

    Returns
    -------
    float
        Capacitance C, F.

    Raises
    ------
    ValueError
        If an argument is invalid: `critical_current_A`, `resistance_ohm` and
        `stewart_mccumber` must be > 0.
    TypeError
        If an argument has the wrong type: `critical_current_A`, `resistance_ohm` or
        `stewart_mccumber` are not real numbers.

    Examples
    --------
    >>> c = capacitance_for_stewart_mccumber(100e-6, 2.0, 0.3)
    >>> round(Junction(100e-6, c, 2.0).stewart_mccumber, 12)
    0.3
    """
    ic = check_real("critical_current_A", critical_current_A, low=0.0, low_open=True)
    r = check_real("resistance_ohm", resistance_ohm, low=0.0, low_open=True)
    beta_c = check_real("stewart_mccumber", stewart_mccumber, low=0.0, low_open=True)
    return beta_c * PHI0 / (2 * math.pi * ic * r**2)
