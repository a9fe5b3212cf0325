"""Magnetic tunnel junction: spin-resolved free-electron tunneling (Slonczewski's model).

Each ferromagnetic electrode is a Stoner free-electron metal: majority (↑) and minority (↓)
parabolic bands of one mass m, band bottoms 0 and Δ below a common Fermi level E_F (Fermi wave
numbers k↑ = √(2mE_F)/ħ, k↓ = √(2m(E_F − Δ))/ħ). Spin is conserved in the barrier, so the
junction is four independent one-dimensional scattering problems σ_L → σ_R:

* parallel (P) state: ↑ → ↑ (both majority), ↓ → ↓ (both minority);
* antiparallel (AP) state: the right electrode's majority is the other spin, so an electron
  of one spin goes from a majority band into a minority band or back.

Every channel is a :class:`~qtransport.tight_binding.transfer_matrix.Profile` solved by the
project's exact Airy-segment kernel: left lead with band bottom U_σL, a barrier whose band edge
runs linearly from E_F + φ to E_F + φ − eV (the bias drops uniformly across the oxide), right
lead with band bottom U_σR − eV. The current of each spin channel is the Tsu–Esaki integral
(:func:`~qtransport.tight_binding.tunneling_currents.tsu_esaki`, which counts both spins, so
each channel carries one half of it):

    J_σσ' = ½ (e m/2π²ħ³) ∫ dE_z T_σσ'(E_z, V) N(E_z, V),

with the transverse energy conserved (exact for equal masses in leads and barrier, Slonczewski's
model; with a barrier mass m_b ≠ m the BenDaniel–Duke matching is kept for the longitudinal
problem and the transverse energy is treated as in the electrode, the same approximation as the
project's other Tsu–Esaki barriers). J_P = J_↑↑ + J_↓↓, J_AP = J_↑↓ + J_↓↑ and
TMR(V) = J_P(V)/J_AP(V) − 1 (R = V/I).

Limits used as checks (Slonczewski, Phys. Rev. B 39, 6995 (1989)):

* thick barrier, normal incidence at E_F: T_σσ' ∝ k_σ k_σ'/[(κ'² + k_σ²)(κ'² + k_σ'²)] with
  κ' = κ m/m_b, so the junction obeys Jullière's formula TMR = 2P1P2/(1 − P1P2) with
  P = [(k↑ − k↓)/(k↑ + k↓)]·[(κ'² − k↑k↓)/(κ'² + k↑k↓)], which changes sign at κ'² = k↑k↓;
* Δ = 0: the P and AP channels are the same problem, TMR = 0 exactly.

Energies in eV (zero = left majority band bottom), lengths in nm, masses in m_e.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .. import materials
from ..constants import thermal_energy_eV
from ..errors import check_array, check_choice, check_int, check_real
from ..errors import MAX_BIAS_V, MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..tight_binding.lattice import K_PER_SQRT_EV
from ..tight_binding.transfer_matrix import Profile, lead_velocity, profile_matrix, transmission
from ..tight_binding.tunneling import require_current
from ..tight_binding.tunneling_currents import over_barrier_energies, supply_function_eV, tsu_esaki

__all__ = ["Ferromagnet", "MTJ", "julliere_tmr", "slonczewski_polarization", "cofeb_mtj",
           "STATES", "SPINS"]

STATES = ("P", "AP")
SPINS = ("up", "down")


def julliere_tmr(p1, p2):
    """Jullière's TMR = 2P1P2/(1 − P1P2) for electrode polarizations P1, P2 in (−1, 1).

    Parameters
    ----------
    p1 : float or array_like
        Polarization of electrode 1, in (−1, 1).
    p2 : float or array_like
        Polarization of electrode 2, in (−1, 1).

    Returns
    -------
    numpy.ndarray
        TMR, dimensionless.

    Raises
    ------
    ValueError
        If an argument is invalid: `p1` and `p2` must be arrays of finite numbers > -1 and < 1.
    TypeError
        If an argument has the wrong type: `p1` or `p2` are not arrays of real numbers.

    Examples
    --------
    >>> [round(float(x), 4) for x in julliere_tmr(0.5, 0.5)]
    [0.6667]
    """
    a = check_array("p1", p1, low=-1.0, high=1.0, low_open=True, high_open=True)
    b = check_array("p2", p2, low=-1.0, high=1.0, low_open=True, high_open=True)
    return 2 * a * b / (1 - a * b)


def slonczewski_polarization(k_up, k_down, kappa):
    """Slonczewski's effective polarization [(k↑ − k↓)/(k↑ + k↓)]·[(κ² − k↑k↓)/(κ² + k↑k↓)].

    Wave numbers in any common unit (1/nm here); κ is the barrier decay constant (divided by
    m_b/m when the masses differ, see module notes).

    Parameters
    ----------
    k_up : float or array_like
        Majority Fermi wave number k↑ (≥ 0).
    k_down : float or array_like
        Minority Fermi wave number k↓ (≥ 0), same unit.
    kappa : float or array_like
        Barrier decay constant κ (> 0), same unit.

    Returns
    -------
    numpy.ndarray
        P_eff, dimensionless in (−1, 1).

    Raises
    ------
    ValueError
        If an argument is invalid: `k_up` and `k_down` must be arrays of finite numbers >= 0;
        `kappa` must be an array of finite numbers > 0.
    TypeError
        If an argument has the wrong type: `k_up`, `k_down` or `kappa` are not arrays of real
        numbers.

    Examples
    --------
    >>> round(slonczewski_polarization(1.0, 0.5, 1.0).item(), 3)
    0.111
    """
    ku = check_array("k_up", k_up, low=0.0)
    kd = check_array("k_down", k_down, low=0.0)
    kap = check_array("kappa", kappa, low=0.0, low_open=True)
    return (ku - kd) / (ku + kd) * (kap**2 - ku * kd) / (kap**2 + ku * kd)


@dataclass(frozen=True)
class Ferromagnet:
    """A Stoner free-electron ferromagnetic electrode.

    Parameters
    ----------
    name : str
        Label.
    fermi_energy_eV : float
        E_F above the majority band bottom, eV (> 0).
    exchange_splitting_eV : float
        Δ: minority band bottom above the majority one, eV (0 ≤ Δ < E_F; 0 = non-magnetic).
    mass : float
        Band mass of both spin bands, m_e.

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energy_eV` must be > 0 and <= 1000;
        `exchange_splitting_eV` must be >= 0 and < `fermi_energy_eV`; `mass` must be >
        0.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV`, `exchange_splitting_eV` or `mass`
        are not real numbers.

    Examples
    --------
    >>> fm = cofeb_mtj().left
    >>> fm.name, round(fm.fermi_energy_eV, 2)
    ('CoFeB', 4.53)
    """

    name: str
    fermi_energy_eV: float
    exchange_splitting_eV: float
    mass: float = 1.0

    def __post_init__(self):
        check_real("fermi_energy_eV", self.fermi_energy_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
        check_real("exchange_splitting_eV", self.exchange_splitting_eV, low=0.0,
                   high=self.fermi_energy_eV, high_open=True)
        check_real("mass", self.mass, low=0.0, low_open=True)

    def band_bottom(self, spin: str) -> float:
        """Band bottom of ``spin`` ("up" = majority, "down" = minority) below E_F offset, eV.

        Parameters
        ----------
        spin : {"up", "down"}
            Majority or minority band.

        Returns
        -------
        float
            Band bottom above the majority one, eV (0 or Δ).

        Raises
        ------
        ValueError
            If an argument is invalid: `spin` must be one of ``SPINS``.

        Examples
        --------
        >>> fm = cofeb_mtj().left
        >>> bool(fm.band_bottom('down') > fm.band_bottom('up'))
        True
        """
        check_choice("spin", spin, SPINS)
        return 0.0 if spin == "up" else float(self.exchange_splitting_eV)

    def fermi_wavenumbers(self) -> tuple[float, float]:
        """(k↑, k↓) in 1/nm.

        Returns
        -------
        k_up : float
            Majority Fermi wave number, 1/nm.
        k_down : float
            Minority Fermi wave number, 1/nm.

        Examples
        --------
        >>> k_up, k_down = cofeb_mtj().left.fermi_wavenumbers()
        >>> bool(k_up > k_down)
        True
        """
        c = K_PER_SQRT_EV * math.sqrt(self.mass)
        return (c * math.sqrt(self.fermi_energy_eV),
                c * math.sqrt(self.fermi_energy_eV - self.exchange_splitting_eV))


def _flip(spin: str) -> str:
    return "down" if spin == "up" else "up"


@dataclass(frozen=True)
class MTJ:
    """Ferromagnet | insulator | ferromagnet tunnel junction (module notes).

    Parameters
    ----------
    left, right : Ferromagnet
        Electrodes (the right one is the free layer whose magnetization sets P or AP).
    barrier_height_eV : float
        Barrier band edge above the left Fermi level at zero bias, eV (> 0).
    thickness_nm : float
        Barrier thickness, nm (> 0).
    barrier_mass : float
        Tunneling mass in the barrier, m_e (> 0).
    temperature_K : float
        Electrode temperature of the Tsu–Esaki integral, K (≥ 0).
    read_bias_V : float
        Bias at which :meth:`conductance_per_area` is evaluated (static G = J/V), V (> 0).
    n_energies : int
        Energy points per spin channel of the Tsu–Esaki integral.
    sources : dict
        Provenance of the values.

    Raises
    ------
    ValueError
        If an argument is invalid: left and right electrode masses must be equal (transverse
        energy conservation); `temperature_K` must be >= 0 and <= 10000; `n_energies` must be
        >= 16; `barrier_height_eV`, `thickness_nm`, `barrier_mass` and `read_bias_V` must be >
        0.
    TypeError
        If an argument has the wrong type: `temperature_K`, `barrier_height_eV`,
        `thickness_nm`, `barrier_mass` or `read_bias_V` are not real numbers; `n_energies` is
        not an integer; left and right must be Ferromagnet instances.

    Examples
    --------
    >>> j = cofeb_mtj()
    >>> j.thickness_nm, round(j.barrier_height_eV, 2)
    (1.2, 0.4)
    """

    left: Ferromagnet
    right: Ferromagnet
    barrier_height_eV: float
    thickness_nm: float
    barrier_mass: float = 1.0
    temperature_K: float = 300.0
    read_bias_V: float = 0.01
    n_energies: int = 2000
    sources: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.left, Ferromagnet) or not isinstance(self.right, Ferromagnet):
            raise TypeError("left and right must be Ferromagnet instances")
        if self.left.mass != self.right.mass:
            raise ValueError(f"left and right electrode masses must be equal (transverse energy "
                             f"conservation), got {self.left.mass} and {self.right.mass}")
        for k in ("barrier_height_eV", "thickness_nm", "barrier_mass", "read_bias_V"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)
        check_real("temperature_K", self.temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
        check_int("n_energies", self.n_energies, low=16)

    def with_(self, **changes) -> "MTJ":
        """A copy with some fields changed.

        Parameters
        ----------
        **changes
            Field names and new values (validated).

        Returns
        -------
        MTJ
            The copy.

        Examples
        --------
        >>> cofeb_mtj().with_(thickness_nm=1.5).thickness_nm
        1.5
        """
        return replace(self, **changes)

    # -- one spin channel ----------------------------------------------------------------------
    def _bottoms(self, state: str, spin: str) -> tuple[float, float]:
        """(left, right) band bottoms of the channel at zero bias, eV (zero: left majority)."""
        check_choice("state", state, STATES)
        right_spin = spin if state == "P" else _flip(spin)
        offset = self.left.fermi_energy_eV - self.right.fermi_energy_eV
        return self.left.band_bottom(spin), offset + self.right.band_bottom(right_spin)

    def profile(self, state: str, spin: str, bias_V=0.0) -> Profile:
        """The channel's piecewise-linear profile (one row per bias) for the exact kernel.

        Parameters
        ----------
        state : {"P", "AP"}
            Parallel or antiparallel magnetizations.
        spin : {"up", "down"}
            Spin of the channel in the left electrode (majority = up).
        bias_V : float or array_like, optional
            Bias(es), V.

        Returns
        -------
        Profile
            One barrier segment (eV, nm, m_e), one column per bias.

        Raises
        ------
        ValueError
            If an argument is invalid: `bias_V` must be a 1-D array of finite numbers >= -10000 and
            <= 10000.
        TypeError
            If an argument has the wrong type: `bias_V` is not an array of real numbers.

        Examples
        --------
        >>> p = cofeb_mtj().profile('P', 'up')
        >>> p.thickness_nm.size
        1
        """
        bias = check_array("bias_V", bias_V, ndim=1, low=-MAX_BIAS_V, high=MAX_BIAS_V)
        lo, ro = self._bottoms(state, spin)
        top = self.left.fermi_energy_eV + self.barrier_height_eV
        return Profile(np.array([self.thickness_nm]), np.full((1, bias.size), top),
                       (top - bias)[None, :], np.array([self.barrier_mass]), self.left.mass,
                       self.right.mass, ro - bias, lo)

    def transmission(self, energies_eV, state: str, spin: str, bias_V=0.0) -> np.ndarray:
        """T(E_z) of one spin channel, shape (n_bias, n_energy) (exact Airy kernel).

        Parameters
        ----------
        energies_eV : array_like
            Longitudinal energies E_z, eV (zero = left majority band bottom; one row per bias
            allowed).
        state : {"P", "AP"}
            Parallel or antiparallel magnetizations.
        spin : {"up", "down"}
            Spin of the channel in the left electrode (majority = up).
        bias_V : float or array_like, optional
            Bias(es), V.

        Returns
        -------
        numpy.ndarray
            T, dimensionless, shape (n_bias, n_energy).

        Examples
        --------
        >>> t = cofeb_mtj().transmission([1.0], 'P', 'up')
        >>> bool(0 < t[0] < 1)
        True
        """
        return transmission(self.profile(state, spin, bias_V), energies_eV)

    def reflection(self, energies_eV, state: str, spin: str, bias_V=0.0) -> np.ndarray:
        """R(E_z) of one spin channel from the same transfer matrix (unitarity: T + R = 1).

        With q = k/m in the leads and P the (ψ, ψ'/m) matrix of the barrier,
        R = [(q_L q_R P12 + P21)² + (q_L P22 − q_R P11)²]/[(q_L q_R P12 − P21)² +
        (q_L P22 + q_R P11)²]; the evanescent log-scale of P cancels in the ratio.

        Parameters
        ----------
        energies_eV : array_like
            Longitudinal energies E_z, eV (zero = left majority band bottom; one row per bias
            allowed).
        state : {"P", "AP"}
            Parallel or antiparallel magnetizations.
        spin : {"up", "down"}
            Spin of the channel in the left electrode (majority = up).
        bias_V : float or array_like, optional
            Bias(es), V.

        Returns
        -------
        numpy.ndarray
            R, dimensionless, shape (n_bias, n_energy) (1 where a lead has no propagating state).

        Raises
        ------
        ValueError
            If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
            and <= 1000.
        TypeError
            If an argument has the wrong type: `energies_eV` is not an array of real numbers.

        Examples
        --------
        >>> j = cofeb_mtj()
        >>> r, t = j.reflection([1.0], 'P', 'up'), j.transmission([1.0], 'P', 'up')
        >>> (r + t).round(6).ravel().tolist()
        [1.0]
        """
        from ..tight_binding.transfer_matrix import energy_rows
        prof = self.profile(state, spin, bias_V)
        E = energy_rows(check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV))
        p11, p12, p21, p22, _ = profile_matrix(prof, E)
        ql = lead_velocity(E, prof.left_bottom_eV, prof.left_mass)
        qr = lead_velocity(E, prof.right_bottom_eV[:, None], prof.right_mass)
        num = (ql * qr * p12 + p21) ** 2 + (ql * p22 - qr * p11) ** 2
        den = (ql * qr * p12 - p21) ** 2 + (ql * p22 + qr * p11) ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where((ql > 0) & (qr > 0), num / den, 1.0)

    def energy_grid(self, state: str, spin: str, bias_V) -> np.ndarray:
        """E_z rows (n_bias, n_energies) from the channel's higher band bottom to E_F + 40 k_BT.

        Below the higher of the two lead band bottoms T = 0, so the √E onset of the integrand
        sits on the first grid point (no kink inside the trapezoid rule).

        Parameters
        ----------
        state : {"P", "AP"}
            Parallel or antiparallel magnetizations.
        spin : {"up", "down"}
            Spin of the channel in the left electrode (majority = up).
        bias_V : array_like
            Biases, V.

        Returns
        -------
        numpy.ndarray
            E_z, eV, shape (n_bias, n_energies).

        Raises
        ------
        ValueError
            If an argument is invalid: `bias_V` must be a 1-D array of finite numbers >= -10000 and
            <= 10000.
        TypeError
            If an argument has the wrong type: `bias_V` is not an array of real numbers.

        Examples
        --------
        >>> e = cofeb_mtj().energy_grid('P', 'up', 0.1)
        >>> e.ndim
        2
        """
        bias = check_array("bias_V", bias_V, ndim=1, low=-MAX_BIAS_V, high=MAX_BIAS_V)
        lo, ro = self._bottoms(state, spin)
        start = np.maximum(lo, ro - bias)
        margin = 40 * thermal_energy_eV(self.temperature_K) + 1e-9
        stop = self.left.fermi_energy_eV + np.maximum(0.0, -bias) + margin
        return start[:, None] + (stop - start)[:, None] * np.linspace(0, 1, self.n_energies)

    def channel_current_density(self, bias_V, state: str, spin: str) -> np.ndarray:
        """J of one spin channel (A/m², half the spin-summed Tsu–Esaki prefactor).

        Parameters
        ----------
        bias_V : array_like
            Biases, V.
        state : {"P", "AP"}
            Parallel or antiparallel magnetizations.
        spin : {"up", "down"}
            Spin of the channel in the left electrode (majority = up).

        Returns
        -------
        numpy.ndarray
            J, A/m², one per bias.

        Raises
        ------
        ValueError
            If an argument is invalid: `bias_V` must be a 1-D array of finite numbers >= -10000 and
            <= 10000.
        TypeError
            If an argument has the wrong type: `bias_V` is not an array of real numbers.

        Examples
        --------
        >>> j = cofeb_mtj().channel_current_density([0.1], 'P', 'up')
        >>> bool(j[0] > 0)
        True
        """
        bias = check_array("bias_V", bias_V, ndim=1, low=-MAX_BIAS_V, high=MAX_BIAS_V)
        E = self.energy_grid(state, spin, bias)
        T = self.transmission(E, state, spin, bias)
        ef, temp = self.left.fermi_energy_eV, self.temperature_K
        j = 0.5 * tsu_esaki(E, T, bias, temp, ef, self.left.mass)
        inside = np.trapezoid(T * supply_function_eV(E, ef, bias, temp), E, axis=-1)
        for b, v in enumerate(bias):
            # a thick barrier: emission over its top (E_F + φ, or E_F + φ − eV at V < 0) may
            # carry what the window to E_F + 40 k_BT missed
            top = ef + self.barrier_height_eV + max(0.0, -float(v))
            above = over_barrier_energies(float(E[b, -1]), top, ef, float(v), temp,
                                          abs(float(inside[b])), self.thickness_nm,
                                          self.barrier_mass)
            if above.size:
                row = bias[b:b + 1]
                e = np.concatenate([E[b], above])
                t = np.concatenate([T[b], self.transmission(above[None, :], state, spin, row)[0]])
                j[b] = 0.5 * tsu_esaki(e, t[None, :], row, temp, ef, self.left.mass)[0]
        return j

    def current_density(self, bias_V, state: str = "P") -> np.ndarray:
        """J_P or J_AP (A/m²): both spin channels of the state.

        Parameters
        ----------
        bias_V : array_like
            Biases, V.
        state : {"P", "AP"}, optional
            Magnetic state.

        Returns
        -------
        numpy.ndarray
            J, A/m², one per bias.

        Raises
        ------
        ValueError
            If an argument is invalid: `state` must be one of ``STATES``.

        Examples
        --------
        >>> j = cofeb_mtj()
        >>> bool(j.current_density([0.1], 'P')[0] > j.current_density([0.1], 'AP')[0])
        True
        """
        check_choice("state", state, STATES)
        return sum(self.channel_current_density(bias_V, state, s) for s in SPINS)

    def conductance_per_area(self, state: str = "P", bias_V: float | None = None) -> float:
        """Static G/A = J(V)/V at ``bias_V`` (default ``read_bias_V``), S/m².

        Parameters
        ----------
        state : {"P", "AP"}, optional
            Magnetic state.
        bias_V : float, optional
            Bias, V (> 0).

        Returns
        -------
        float
            G/A, S/m².

        Raises
        ------
        ValueError
            If an argument is invalid: `bias_V` must be > 0 and <= 10000.
        TypeError
            If an argument has the wrong type: `bias_V` is not a real number.

        Examples
        --------
        >>> j = cofeb_mtj()
        >>> bool(j.conductance_per_area('P') > j.conductance_per_area('AP'))
        True
        """
        v = self.read_bias_V if bias_V is None else check_real("bias_V", bias_V, low=0.0,
                                                               low_open=True, high=MAX_BIAS_V)
        return float(self.current_density(np.array([v]), state)[0] / v)

    def tmr(self, bias_V) -> np.ndarray:
        """TMR(V) = J_P/J_AP − 1 at each bias (V ≠ 0).

        Parameters
        ----------
        bias_V : array_like
            Biases, V (≠ 0).

        Returns
        -------
        numpy.ndarray
            TMR, dimensionless.

        Raises
        ------
        ValueError
            A zero bias.

        Examples
        --------
        >>> tmr = cofeb_mtj().tmr([0.01, 0.5])
        >>> bool(tmr[0] > tmr[1] > 0)
        True
        """
        bias = check_array("bias_V", bias_V, ndim=1, low=-MAX_BIAS_V, high=MAX_BIAS_V)
        if np.any(bias == 0):
            raise ValueError("bias_V must be non-zero (TMR = J_P/J_AP − 1 at that bias); use a "
                             "small bias such as 1e-3 V for the zero-bias value")
        jp, jap = self.current_density(bias, "P"), self.current_density(bias, "AP")
        return self.require_currents("TMR", jp) / self.require_currents("TMR", jap) - 1

    # -- Slonczewski's limit -------------------------------------------------------------------
    def decay_constant(self) -> float:
        """κ' = κ m/m_b at E_F (1/nm), κ = √(2 m_b φ)/ħ, zero bias.

        Returns
        -------
        float
            κ', 1/nm.

        Examples
        --------
        >>> round(cofeb_mtj().decay_constant(), 2)
        5.12
        """
        kappa = K_PER_SQRT_EV * math.sqrt(self.barrier_mass * self.barrier_height_eV)
        return kappa * self.left.mass / self.barrier_mass

    def normal_incidence_transmissions(self) -> dict[str, float]:
        """T_σσ' at E_z = E_F (k∥ = 0), zero bias, for the four channels ("up-up", …).

        Returns
        -------
        dict of str to float
            T of ``"up-up"``, ``"down-down"``, ``"up-down"``, ``"down-up"`` (dimensionless).

        Examples
        --------
        >>> sorted(cofeb_mtj().normal_incidence_transmissions())
        ['down-down', 'down-up', 'up-down', 'up-up']
        """
        out = {}
        E = np.array([self.left.fermi_energy_eV])
        for state in STATES:
            for spin in SPINS:
                key = f"{spin}-{spin if state == 'P' else _flip(spin)}"
                out[key] = float(self.transmission(E, state, spin, [0.0])[0, 0])
        return out

    def effective_polarization(self, integrated: bool = False) -> float:
        """Tunneling polarization (T↑↑ − T↓↓)/(T↑↑ + T↓↓ + T↑↓ + T↓↑) of identical electrodes.

        For a factorizing (thick) barrier T_σσ' = f_σ f_σ' this is (f↑ − f↓)/(f↑ + f↓),
        Slonczewski's P_eff. ``integrated=False`` uses the normal-incidence transmissions at E_F;
        ``integrated=True`` the spin-channel Tsu–Esaki conductances at ``read_bias_V`` (all k∥),
        which approach the same value as the barrier thickens.

        Parameters
        ----------
        integrated : bool, optional
            Use the k∥-integrated channel conductances instead of normal incidence.

        Returns
        -------
        float
            Polarization, dimensionless.

        Examples
        --------
        >>> round(cofeb_mtj().effective_polarization(), 2)
        -0.12
        """
        if integrated:
            v = np.array([self.read_bias_V])
            g = {f"{s}-{s if st == 'P' else _flip(s)}":
                 float(self.channel_current_density(v, st, s)[0]) for st in STATES for s in SPINS}
            self.require_currents("the integrated polarization", sum(g.values()))
        else:
            g = self.normal_incidence_transmissions()
            if sum(g.values()) == 0:
                # every T ∝ e^{-2κd} underflowed (2κd ≳ 700): the factorizing thick-barrier
                # limit, whose corrections are e^{-2κd} relative, is then exact
                return float(self.slonczewski_polarizations()[0])
        return (g["up-up"] - g["down-down"]) / (g["up-up"] + g["down-down"] + g["up-down"]
                                                + g["down-up"])

    def require_currents(self, quantity: str, currents) -> np.ndarray:
        """The currents, or a ValueError if one underflowed to 0 (``quantity`` would be 0/0).

        :func:`~qtransport.tight_binding.tunneling.require_current` for this junction: its
        thickness, barrier height above E_F, barrier mass and temperature go into the message.

        Parameters
        ----------
        quantity : str
            The ratio being formed ("TMR", ...).
        currents : array_like
            J_P, J_AP or channel current densities, A/m².

        Returns
        -------
        numpy.ndarray
            The same values.

        Examples
        --------
        >>> cofeb_mtj().require_currents("TMR", [1.0, 2.0]).size
        2
        """
        return require_current(quantity, currents, self.thickness_nm, self.barrier_height_eV,
                               self.barrier_mass, self.temperature_K)

    def slonczewski_polarizations(self) -> tuple[float, float]:
        """Slonczewski's P_eff of the left and right electrodes for this barrier.

        Returns
        -------
        tuple of float
            (P_left, P_right), dimensionless.

        Examples
        --------
        >>> p = cofeb_mtj().slonczewski_polarizations()
        >>> len(p)
        2
        """
        kap = self.decay_constant()
        return tuple(float(slonczewski_polarization(*fm.fermi_wavenumbers(), kap)[0])
                     for fm in (self.left, self.right))


def cofeb_mtj(barrier: str = "MgO", thickness_nm: float = 1.2, **overrides) -> MTJ:
    """A CoFeB | barrier | CoFeB junction from ``materials.toml`` (free-electron electrodes).

    Parameters
    ----------
    barrier : {"MgO", "Al2O3"}
        Barrier material (its ``mtj_barrier_height_eV`` and ``tunneling_mass``).
    thickness_nm : float
        Barrier thickness, nm.
    **overrides
        Other :class:`MTJ` fields (``barrier_height_eV``, ``barrier_mass``, ``temperature_K``,
        ``read_bias_V``, …).

    Returns
    -------
    MTJ
        The junction with its sources.

    Raises
    ------
    ValueError
        An unknown barrier.

    Examples
    --------
    >>> cofeb_mtj(thickness_nm=1.0).thickness_nm
    1.0
    """
    check_choice("barrier", barrier, ("MgO", "Al2O3"))
    fm = materials.get("CoFeB")
    ox = materials.get(barrier)
    el = Ferromagnet("CoFeB", fm.majority_fermi_energy_eV, fm.exchange_splitting_eV)
    sources = {"fermi_energy_eV": fm.quantity("majority_fermi_energy_eV").source,
               "exchange_splitting_eV": fm.quantity("exchange_splitting_eV").source,
               "barrier_height_eV": ox.quantity("mtj_barrier_height_eV").source,
               "barrier_mass": ox.quantity("tunneling_mass").source}
    kw = dict(left=el, right=el, barrier_height_eV=ox.mtj_barrier_height_eV,
              thickness_nm=thickness_nm, barrier_mass=ox.tunneling_mass, sources=sources)
    for k in overrides:
        if k in sources:
            sources[k] = "user override"
    kw.update(overrides)
    return MTJ(**kw)
