"""Device family ``floating_gate``: tunneling-programmed floating-gate synaptic transistors
(MoS2 | h-BN | graphene FG | dielectric | gate).

The tunnel current itself is physics (:mod:`qtransport.tight_binding.tunneling`); this module owns
the device: MOS electrostatics, the charge ODE under program/erase pulses, energy per pulse,
retention, and the device-to-device ensemble (:class:`FloatingGateSynapse`).

A program/erase pulse on the control gate puts a voltage V_FG across the h-BN tunnel barrier;
the Tsu–Esaki current of that barrier (:mod:`qtransport.tight_binding.tunneling`,
transfer matrices) charges the floating
gate, which lowers |V_FG| in turn (coupling ratio). The stored charge shifts the threshold voltage
and a compact transistor model turns it into channel conductance.

Model (per unit area; channel grounded, blocking dielectric leak-free)::

    V_FG = α_G V_CG + Q/C_Σ,  α_G = C_b/C_Σ,  C_Σ = C_t + C_b,  C = ε0 ε/d
    dQ/dt = −J(V_FG)            (J > 0: electrons tunnel channel → floating gate)
    ΔV_th = −Q/C_b
    G = (W/L) μ C_s n φ_t ln(1 + exp((V_read − V_th)/(n φ_t))),  C_s = C_t C_b / C_Σ,
    n = SS / (ln 10 · φ_t) ≥ 1      (SS never below the thermionic limit ln(10) k_BT/e)

The channel is read at a fixed low control-gate voltage ``read_gate_V`` near the threshold of
the programmed window (demo default −0.3 V, the depressed-state threshold of the nominal demo
device), as measured FG synapses are: the depressed states sit at or below threshold, where G
depends exponentially on the stored charge (one decade per SS of threshold shift), the
potentiated states a few hundred mV above it. At that gate voltage |V_FG| ≲ 0.5 V across the
barrier, the retention regime, so reading does not disturb the charge (a read at the pulse
amplitude would itself program the device).

At fixed V_CG the charge equation is autonomous in V = V_FG: dV/dt = −J(V)/C_Σ. It is solved
exactly by quadrature, t(V0 → V1) = C_Σ ∫_{V1}^{V0} dV/J(V), on a table of J(V) computed once per
barrier (geometric bias grid, ln J interpolated), with the ohmic law J = V/(R·A) continued
analytically below the table's smallest bias. The energy dissipated by tunneling during one
pulse is then exact too: ∫ J V dt = C_Σ (V0² − V1²)/2.

Examples
--------
>>> fg = FloatingGate()            # 18 h-BN layers, 10 nm Al2O3 blocking
>>> round(fg.coupling_ratio, 2)
0.59
"""
from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field, replace

import numpy as np

from ..constants import eps0, thermal_energy_eV
from ..errors import (AccuracyWarning, check_array, check_choice, check_int, check_real,
                      check_work)
from ..errors import MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from ..tight_binding.tunneling import ELECTRODES, Barrier, hbn_barrier
from .base import DeviceFamily, register_family, serial_map
from .record import device_response

__all__ = ["FloatingGate", "TunnelLaw", "tunnel_law", "pulse_train", "pulse_response",
           "simulate_device", "device_ensemble", "ensemble_result", "to_device_response",
           "measured_swing_mV_per_dec", "steady_cycle", "THERMIONIC_SWING_MV_PER_DEC",
           "DEMO_PULSE_AMPLITUDE_V", "DEMO_PULSE_WIDTH_S", "DEMO_N_PULSES", "DEMO_READ_GATE_V",
           "FloatingGateSynapse"]

log = logging.getLogger(__name__)

#: Demo programming scheme (identical pulses, both polarities). 20 ns: the write/erase time of
#: MoS2/h-BN/graphene flash (Liu et al. 2021). 7 V on the control gate puts ≈ 4 V (≈ 0.7 V/nm,
#: the Fowler–Nordheim regime, eV_FG > φ_B) across the 18-layer barrier at the start of a branch,
#: where the FN charging time C_Σ|V_FG|/J is many pulse widths, so each pulse moves a fraction of
#: the charge and the update saturates gradually over 32 pulses (0.7 V threshold window on the
#: steady cycle) instead of being dumped by the first pulse (10 V: 6.5 V window, 76 % in pulse 1).
DEMO_PULSE_AMPLITUDE_V = 7.0
DEMO_PULSE_WIDTH_S = 20e-9
DEMO_N_PULSES = 32
#: Read gate voltage of the demo: ≈ the depressed-state threshold of the nominal device under the
#: demo pulses (−0.29 V), so that state is read at threshold and the window is ≈ 40× in G.
DEMO_READ_GATE_V = -0.3


def THERMIONIC_SWING_MV_PER_DEC(temperature_K: float) -> float:  # noqa: N802 (reads as a constant)
    """ln(10) k_BT/e in mV/decade (59.5 mV/dec at 300 K).

    Parameters
    ----------
    temperature_K : float
        Temperature, K (> 0).

    Returns
    -------
    float
        The thermionic limit of the sub-threshold swing, mV/decade.

    Raises
    ------
    ValueError
        If an argument is invalid: `temperature_K` must be > 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `temperature_K` is not a real number.

    Examples
    --------
    >>> round(THERMIONIC_SWING_MV_PER_DEC(300.0), 1)
    59.5
    """
    return 1e3 * math.log(10) * thermal_energy_eV(check_real("temperature_K", temperature_K,
                                                             low=0.0, low_open=True, high=MAX_TEMPERATURE_K))


@dataclass(frozen=True)
class FloatingGate:
    """Geometry and materials of a 2D floating-gate synaptic transistor.

    Parameters
    ----------
    tunnel_layers : int
        h-BN layers of the tunnel barrier (≥ 1).
    blocking_thickness_nm : float
        Blocking dielectric thickness, nm.
    blocking_permittivity : float
        Its relative permittivity (default 9.0: ALD Al2O3, Robertson 2004, as in materials.toml).
    tunnel_permittivity : float
        Relative permittivity of the tunnel h-BN (3.8, weak).
    channel, floating_gate : str
        Electrode materials (one of the tunneling ``ELECTRODES``; channel = left electrode of the
        barrier).
    barrier_height_eV, effective_mass : float, optional
        Overrides of the weak h-BN parameters at the channel interface (eV; m_e).
    width_um, length_um : float
        Channel width and length, µm (also the gate area).
    mobility_cm2_per_Vs : float
        Channel mobility, cm²/(V s) (> 0; MoS2 ~ 1–50 cm²/Vs; weak).
    subthreshold_swing_mV_per_dec : float
        Sub-threshold swing (77 mV/dec: Paul et al. 2019, MoS2/h-BN/graphene); must be at least
        ln(10) k_BT/e.
    threshold_voltage_V : float
        Threshold voltage with a neutral floating gate, V.
    read_gate_V : float
        Control-gate voltage while reading, V (default 0 = the neutral threshold). Pick it near the
        threshold of the programmed window (:data:`DEMO_READ_GATE_V` for the demo pulses) so the
        stored charge modulates G exponentially; far above threshold G is only linear in V_th.
    temperature_K : float
        Operating temperature, K (> 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `tunnel_layers` must be >= 1; `threshold_voltage_V` and
        `read_gate_V` must be finite; `channel` and `floating_gate` must be one of
        ``ELECTRODES``; `subthreshold_swing_mV_per_dec` must be >= the thermionic limit
        :func:`THERMIONIC_SWING_MV_PER_DEC` (`temperature_K`);
        `blocking_thickness_nm`, `blocking_permittivity`, `tunnel_permittivity`, `width_um`,
        `length_um`, `mobility_cm2_per_Vs` and `temperature_K` must be > 0.
    TypeError
        If an argument has the wrong type: `threshold_voltage_V`, `read_gate_V`,
        `subthreshold_swing_mV_per_dec`, `blocking_thickness_nm`, `blocking_permittivity`,
        `tunnel_permittivity`, `width_um`, `length_um`, `mobility_cm2_per_Vs` or
        `temperature_K` are not real numbers; `tunnel_layers` is not an integer.

    Examples
    --------
    >>> gate = FloatingGate()
    >>> gate.tunnel_layers
    18
    """

    tunnel_layers: int = 18
    blocking_thickness_nm: float = 10.0
    blocking_permittivity: float = 9.0
    tunnel_permittivity: float = 3.8
    channel: str = "MoS2"
    floating_gate: str = "graphene"
    barrier_height_eV: float | None = None
    effective_mass: float | None = None
    width_um: float = 1.0
    length_um: float = 1.0
    mobility_cm2_per_Vs: float = 20.0
    subthreshold_swing_mV_per_dec: float = 77.0
    threshold_voltage_V: float = 0.0
    read_gate_V: float = 0.0
    temperature_K: float = 300.0
    barrier: Barrier = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        check_int("tunnel_layers", self.tunnel_layers, low=1)
        for name in ("blocking_thickness_nm", "blocking_permittivity", "tunnel_permittivity",
                     "width_um", "length_um", "mobility_cm2_per_Vs", "temperature_K"):
            check_real(name, getattr(self, name), low=0.0, low_open=True)
        check_real("threshold_voltage_V", self.threshold_voltage_V)
        check_real("read_gate_V", self.read_gate_V)
        check_choice("channel", self.channel, ELECTRODES)
        check_choice("floating_gate", self.floating_gate, ELECTRODES)
        limit = THERMIONIC_SWING_MV_PER_DEC(self.temperature_K)
        check_real("subthreshold_swing_mV_per_dec", self.subthreshold_swing_mV_per_dec,
                   low=limit)
        object.__setattr__(self, "barrier", hbn_barrier(
            self.tunnel_layers, self.channel, counter_electrode=self.floating_gate,
            barrier_height_eV=self.barrier_height_eV, effective_mass=self.effective_mass))

    # -- electrostatics (per unit area, SI) ---------------------------------------------------
    @property
    def tunnel_capacitance_F_per_m2(self) -> float:
        """C_t = ε0 ε_t / t_t of the tunnel h-BN, F/m²."""
        return eps0 * self.tunnel_permittivity / (self.barrier.thickness_nm * 1e-9)

    @property
    def blocking_capacitance_F_per_m2(self) -> float:
        """C_b = ε0 ε_b / t_b of the blocking dielectric, F/m²."""
        return eps0 * self.blocking_permittivity / (self.blocking_thickness_nm * 1e-9)

    @property
    def total_capacitance_F_per_m2(self) -> float:
        """C_Σ = C_t + C_b, the floating gate's capacitance to its surroundings."""
        return self.tunnel_capacitance_F_per_m2 + self.blocking_capacitance_F_per_m2

    @property
    def coupling_ratio(self) -> float:
        """Gate coupling ratio α_G = C_b / C_Σ."""
        return self.blocking_capacitance_F_per_m2 / self.total_capacitance_F_per_m2

    @property
    def area_m2(self) -> float:
        """Gate area W·L, m²."""
        return self.width_um * self.length_um * 1e-12

    @property
    def ideality(self) -> float:
        """Sub-threshold ideality n = SS / (ln 10 k_BT/e) ≥ 1."""
        return self.subthreshold_swing_mV_per_dec / THERMIONIC_SWING_MV_PER_DEC(self.temperature_K)

    def threshold_voltage(self, charge_C_per_m2) -> np.ndarray:
        """V_th = V_th0 − Q/C_b (stored electrons, Q < 0, raise the threshold).

        Parameters
        ----------
        charge_C_per_m2 : float or array_like
            Floating-gate charge per area Q, C/m².

        Returns
        -------
        numpy.ndarray
            V_th, V.

        Raises
        ------
        ValueError
            If an argument is invalid: `charge_C_per_m2` must be an array of finite numbers.
        TypeError
            If an argument has the wrong type: `charge_C_per_m2` is not an array of real numbers.

        Examples
        --------
        >>> v = FloatingGate().threshold_voltage([0.0, -0.01])
        >>> bool(v[1] > v[0])
        True
        """
        q = np.asarray(check_array("charge_C_per_m2", charge_C_per_m2), float).reshape(
            np.shape(charge_C_per_m2))
        return self.threshold_voltage_V - q / self.blocking_capacitance_F_per_m2

    def conductance(self, charge_C_per_m2, gate_voltage_V=None) -> np.ndarray:
        """Channel conductance (S) at small drain bias: EKV-type sub-threshold/above-threshold model.

        G = (W/L) μ C_s n φ_t ln(1 + exp((V_G − V_th)/(n φ_t))); in sub-threshold
        d(log10 G)/dV_G = 1/(n φ_t ln 10), so the swing is n·59.5 mV/dec at 300 K and never less.

        Parameters
        ----------
        charge_C_per_m2 : float or array_like
            Floating-gate charge per area Q, C/m².
        gate_voltage_V : float or array_like, optional
            Control-gate voltage V_G, V (default ``read_gate_V``).

        Returns
        -------
        numpy.ndarray
            G, S.

        Raises
        ------
        ValueError
            If an argument is invalid: `gate_voltage_V` must be an array of finite numbers.
        TypeError
            If an argument has the wrong type: `gate_voltage_V` is not an array of real numbers.

        Examples
        --------
        >>> g = FloatingGate().conductance([0.0, -0.01])
        >>> g.shape
        (2,)
        """
        vg = self.read_gate_V if gate_voltage_V is None else np.asarray(
            check_array("gate_voltage_V", gate_voltage_V), float).reshape(np.shape(gate_voltage_V))
        phi_t = thermal_energy_eV(self.temperature_K)
        n = self.ideality
        c_s = self.tunnel_capacitance_F_per_m2 * self.coupling_ratio
        beta = self.width_um / self.length_um * self.mobility_cm2_per_Vs * 1e-4 * c_s
        x = (vg - self.threshold_voltage(charge_C_per_m2)) / (n * phi_t)
        return beta * n * phi_t * np.logaddexp(0.0, x)

    def with_barrier(self, **changes) -> "FloatingGate":
        """A copy with changed fields (e.g. ``tunnel_layers``), barrier rebuilt.

        Parameters
        ----------
        **changes
            Field names and new values.

        Returns
        -------
        FloatingGate
            The copy (validated, barrier rebuilt).

        Examples
        --------
        >>> FloatingGate().with_barrier(tunnel_layers=10).tunnel_layers
        10
        """
        return replace(self, **changes)


@dataclass(frozen=True)
class _Branch:
    """Φ(V) = C_Σ ∫_V^{V_max} dV'/J(V') on one polarity, exact for piecewise-exponential g = V/J.

    On ln V ∈ [u_i, u_{i+1}], g = g_{i+1} e^{s_i (u − u_{i+1})}, so with y = u_{i+1} − u,
    Φ(u) = Φ_{i+1} + C g_{i+1} (1 − e^{−s y})/s and the inverse is y = −ln(1 − s w)/s,
    w = (Φ − Φ_{i+1})/(C g_{i+1}). Below the table J is ohmic (g constant): Φ grows as
    C g_0 ln(V_0/V). Forward and inverse use the same interpolant, so evolve(t1 + t2) equals
    evolve(t2) after evolve(t1) to rounding.
    """

    u: np.ndarray          # ln |V|, increasing
    g: np.ndarray          # |V|/|J|, Ω m²
    slope: np.ndarray      # s_i = d ln g / d u on each interval
    phi: np.ndarray        # Φ at the grid points, s (decreasing, last = 0)
    capacitance: float

    @classmethod
    def build(cls, v: np.ndarray, j: np.ndarray, capacitance: float) -> "_Branch":
        u, g = np.log(v), v / j
        slope = np.diff(np.log(g)) / np.diff(u)
        piece = capacitance * g[1:] * _one_minus_exp_over(slope, np.diff(u))
        phi = np.concatenate([np.cumsum(piece[::-1])[::-1], [0.0]])
        return cls(u, g, slope, phi, capacitance)

    def forward(self, a: np.ndarray) -> np.ndarray:
        """Φ at |V| = a."""
        ua = np.log(np.maximum(a, 1e-300))
        i = np.clip(np.searchsorted(self.u, ua, side="right") - 1, 0, len(self.u) - 2)
        y = self.u[i + 1] - np.clip(ua, self.u[0], self.u[-1])
        inside = self.phi[i + 1] + self.capacitance * self.g[i + 1] * \
            _one_minus_exp_over(self.slope[i], y)
        below = self.phi[0] + self.capacitance * self.g[0] * (self.u[0] - ua)
        return np.where(ua < self.u[0], below, inside)

    def inverse(self, phi: np.ndarray) -> np.ndarray:
        """|V| at which Φ takes the value ``phi``."""
        order = self.phi[::-1]                       # increasing
        k = np.clip(np.searchsorted(order, phi, side="right") - 1, 0, len(order) - 2)
        i = len(self.u) - 2 - k                      # interval [u_i, u_{i+1}]
        w = (phi - self.phi[i + 1]) / (self.capacitance * self.g[i + 1])
        s = self.slope[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(np.abs(s * w) > 1e-12, -np.log1p(-s * w) / np.where(s == 0, 1, s), w)
        below = self.u[0] - (phi - self.phi[0]) / (self.capacitance * self.g[0])
        return np.exp(np.where(phi > self.phi[0], below, self.u[i + 1] - y))


def _one_minus_exp_over(s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(1 − e^{−s y})/s, → y as s → 0."""
    sy = s * y
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(np.abs(sy) > 1e-12, -np.expm1(-sy) / np.where(s == 0, 1, s), y)


@dataclass(frozen=True)
class TunnelLaw:
    """J(V) of the tunnel barrier and the exact time map of dV/dt = −J(V)/C_Σ.

    ``bias_V`` is a symmetric geometric grid (no zero) and ``current_density_A_per_m2`` the
    Tsu–Esaki J there. Evolving V0 for a time t means Φ(V1) = Φ(V0) + t on V0's branch
    (:class:`_Branch`).

    Parameters
    ----------
    bias_V : numpy.ndarray
        Tabulated floating-gate voltages, V.
    current_density_A_per_m2 : numpy.ndarray
        Tsu–Esaki J at those voltages, A/m².
    positive : _Branch
        Time map of the positive polarity.
    negative : _Branch
        Time map of the negative polarity.
    """

    bias_V: np.ndarray
    current_density_A_per_m2: np.ndarray
    positive: _Branch
    negative: _Branch

    def _branch(self, sign: int) -> _Branch:
        return self.positive if sign > 0 else self.negative

    def current(self, v_fg) -> np.ndarray:
        """J(V_FG) in A/m², from the same interpolant as the time map (ohmic below the table).

        Parameters
        ----------
        v_fg : float or array_like
            Floating-gate voltage V_FG, V.

        Returns
        -------
        numpy.ndarray
            J, A/m².
        """
        v = np.atleast_1d(np.asarray(v_fg, float))
        out = np.zeros_like(v)
        for sign in (1, -1):
            m = np.sign(v) == sign
            br = self._branch(sign)
            ua = np.log(np.abs(v[m]))
            i = np.clip(np.searchsorted(br.u, ua, side="right") - 1, 0, len(br.u) - 2)
            ln_g = np.log(br.g[i + 1]) + br.slope[i] * (np.clip(ua, br.u[0], None) - br.u[i + 1])
            out[m] = sign * np.abs(v[m]) / np.exp(np.where(ua < br.u[0], np.log(br.g[0]), ln_g))
        return out

    def decay_time(self, v_fg: float, factor: float = math.e) -> float:
        """Time (s) for |V_FG| to fall by ``factor`` with the control gate grounded (retention).

        Parameters
        ----------
        v_fg : float
            Initial floating-gate voltage, V (≠ 0).
        factor : float, optional
            Decay factor of |V_FG| (default e).

        Returns
        -------
        float
            Time, s.
        """
        br = self._branch(1 if v_fg > 0 else -1)
        a = np.array([abs(v_fg)])
        return float(br.forward(a / factor)[0] - br.forward(a)[0])

    def evolve(self, v_fg, duration_s: float) -> np.ndarray:
        """V_FG after ``duration_s`` at fixed control-gate voltage (exact for the interpolant).

        Parameters
        ----------
        v_fg : float or array_like
            Floating-gate voltage(s) at the start, V (inside the table).
        duration_s : float
            Time, s (≥ 0).

        Returns
        -------
        numpy.ndarray
            V_FG after ``duration_s``, V.

        Raises
        ------
        ValueError
            A voltage beyond the table.
        """
        v = check_array("v_fg", v_fg)
        check_real("duration_s", duration_s, low=0.0)
        vmax = float(np.max(np.abs(self.bias_V)))
        if np.any(np.abs(v) > vmax * (1 + 1e-9)):
            raise ValueError(f"v_fg up to {np.max(np.abs(v)):.3g} V exceeds the tunnel table "
                             f"(|V| <= {vmax:.3g} V)")
        if duration_s == 0:
            return v.copy()
        out = np.zeros_like(v)
        for sign in (1, -1):
            m = np.sign(v) == sign
            if m.any():
                br = self._branch(sign)
                out[m] = sign * br.inverse(br.forward(np.abs(v[m])) + duration_s)
        return out


def tunnel_law(gate: FloatingGate, max_bias_V: float, *, n_bias: int = 64,
               min_bias_V: float = 1e-3, n_energies: int = 800) -> TunnelLaw:
    """Tabulate J(V_FG) of the gate's tunnel barrier (Tsu–Esaki, TMM) and the time map.

    Parameters
    ----------
    gate : FloatingGate
        The transistor (its tunnel barrier and capacitances).
    max_bias_V : float
        Largest |V_FG| needed (≥ the largest α_G V_pulse + |Q|/C_Σ).
    n_bias : int
        Points per polarity, geometric between ``min_bias_V`` and ``max_bias_V``.
    min_bias_V : float
        Smallest tabulated |V|; below it J is ohmic (checked: J ∝ V there).
    n_energies : int
        Energy points of the Tsu–Esaki integral.

    Returns
    -------
    TunnelLaw
        The tabulated law and its time maps.

    Raises
    ------
    ValueError
        The current underflows or changes sign on the table.
    """
    vmax = check_real("max_bias_V", max_bias_V, low=0.0, low_open=True)
    n = check_int("n_bias", n_bias, low=8)
    pos = np.geomspace(check_real("min_bias_V", min_bias_V, low=0.0, low_open=True), vmax, n)
    bias = np.concatenate([-pos[::-1], pos])
    j = gate.barrier.current_density(bias, gate.temperature_K, n_energies=n_energies)
    if np.any(np.sign(j) != np.sign(bias)) or np.any(j == 0):
        raise ValueError(f"tunnel current underflows or changes sign on the table "
                         f"(min |J| = {np.min(np.abs(j)):.3g} A/m²); use fewer tunnel_layers")
    cap = gate.total_capacitance_F_per_m2
    return TunnelLaw(bias, j, _Branch.build(pos, j[n:], cap),
                     _Branch.build(pos, -j[:n][::-1], cap))


def _pulse(gate: FloatingGate, law: TunnelLaw, q: float, v_cg: float, width_s: float,
           interval_s: float) -> tuple[float, float]:
    """Charge (C/m²) after one pulse and the following rest; tunneling energy of the pulse (J/m²)."""
    c, alpha = gate.total_capacitance_F_per_m2, gate.coupling_ratio
    v0 = alpha * v_cg + q / c
    v1 = float(law.evolve(v0, width_s)[0]) if v0 != 0 else 0.0
    q1 = c * (v1 - alpha * v_cg)
    if interval_s > 0 and q1 != 0:
        q1 = c * float(law.evolve(q1 / c, interval_s)[0])
    return q1, 0.5 * c * (v0 * v0 - v1 * v1)


def pulse_train(gate: FloatingGate, law: TunnelLaw, charge_C_per_m2: float, amplitudes_V,
                width_s: float, interval_s: float = 0.0):
    """Apply control-gate pulses one by one.

    Parameters
    ----------
    gate : FloatingGate
        The transistor.
    law : TunnelLaw
        Its tunnel law (:func:`tunnel_law`).
    charge_C_per_m2 : float
        Floating-gate charge per area before the train, C/m².
    amplitudes_V : array_like
        Control-gate pulse voltages, V.
    width_s : float
        Pulse width, s (≥ 0).
    interval_s : float, optional
        Rest after each pulse, s (≥ 0).

    Returns
    -------
    charges : ndarray, shape (n + 1,)
        Floating-gate charge per area (C/m²) before and after each pulse (and rest).
    tunnel_energy : ndarray, shape (n,)
        Energy dissipated by tunneling in each pulse, J/m² (= C_Σ(V0² − V1²)/2, exact).

    Raises
    ------
    ValueError
        If an argument is invalid: `charge_C_per_m2` must be finite; `width_s` and `interval_s`
        must be >= 0; `amplitudes_V` must be an array of finite numbers.
    TypeError
        If an argument has the wrong type: `charge_C_per_m2`, `width_s` or `interval_s` are not
        real numbers; `amplitudes_V` is not an array of real numbers.
    """
    q = check_real("charge_C_per_m2", charge_C_per_m2)
    check_real("width_s", width_s, low=0.0)
    check_real("interval_s", interval_s, low=0.0)
    charges, energy = [q], []
    for v in check_array("amplitudes_V", amplitudes_V):
        q, e_t = _pulse(gate, law, q, float(v), width_s, interval_s)
        charges.append(q)
        energy.append(e_t)
    return np.array(charges), np.array(energy)


def measured_swing_mV_per_dec(gate: FloatingGate, charge_C_per_m2: float = 0.0) -> float:
    """Smallest dV_G/d(log10 G) of the transfer curve G(V_G), mV/dec (numerical).

    Parameters
    ----------
    gate : FloatingGate
        The transistor.
    charge_C_per_m2 : float, optional
        Floating-gate charge per area, C/m².

    Returns
    -------
    float
        Swing, mV/decade.

    Examples
    --------
    >>> bool(measured_swing_mV_per_dec(FloatingGate()) >= THERMIONIC_SWING_MV_PER_DEC(300.0))
    True
    """
    vth = float(gate.threshold_voltage(charge_C_per_m2))
    vg = np.linspace(vth - 1.5, vth + 0.5, 4001)
    log_g = np.log10(gate.conductance(charge_C_per_m2, vg))
    return float(1e3 * np.min(np.diff(vg) / np.diff(log_g)))


def steady_cycle(gate: FloatingGate, law: TunnelLaw, amplitude_V: float, width_s: float,
                 n_pulses: int, interval_s: float = 0.0, *, tol_V: float = 1e-4,
                 max_cycles: int = 200) -> tuple[float, int]:
    """Charge (C/m²) of the depressed end of the steady LTP/LTD cycle of identical pulses.

    From a neutral floating gate, ``n_pulses`` depression pulses (+V), then full cycles
    (``n_pulses`` at −V, ``n_pulses`` at +V) until the depressed-state threshold moves by less
    than ``tol_V`` per cycle, so the recorded LTP and LTD branches span the same window.

    Parameters
    ----------
    gate : FloatingGate
        The transistor.
    law : TunnelLaw
        Its tunnel law (:func:`tunnel_law`).
    amplitude_V : float
        Pulse amplitude V, V (+V depresses).
    width_s : float
        Pulse width, s.
    n_pulses : int
        Pulses per branch (≥ 1).
    interval_s : float, optional
        Rest after each pulse, s.
    tol_V : float, optional
        Convergence tolerance of the depressed-state threshold, V per cycle.
    max_cycles : int, optional
        Most conditioning cycles (≥ 1).

    Returns
    -------
    charge : float
        Charge at the start of the steady potentiation branch, C/m².
    cycles : int
        Conditioning cycles used. An :class:`AccuracyWarning` reports the remaining drift if
        ``max_cycles`` is reached.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_pulses` and `max_cycles` must be >= 1.
    TypeError
        If an argument has the wrong type: `n_pulses` or `max_cycles` are not integers.
    """
    dep = np.full(check_int("n_pulses", n_pulses, low=1), float(amplitude_V))
    q = pulse_train(gate, law, 0.0, dep, width_s, interval_s)[0][-1]
    drift = math.inf
    for cycle in range(1, check_int("max_cycles", max_cycles, low=1) + 1):
        q_ltp = pulse_train(gate, law, q, -dep, width_s, interval_s)[0][-1]
        q_new = pulse_train(gate, law, q_ltp, dep, width_s, interval_s)[0][-1]
        drift = abs(q_new - q) / gate.blocking_capacitance_F_per_m2
        q = q_new
        if drift < tol_V:
            return q, cycle
    warnings.warn(f"floating gate: LTP/LTD cycle not steady after {max_cycles} cycles (threshold "
                  f"drift {drift:.3g} V per cycle > tol_V = {tol_V:.3g} V)", AccuracyWarning,
                  stacklevel=2)
    return q, max_cycles


def simulate_device(*, tunnel_layers: int, barrier_height_eV: float | None,
                    pulse_amplitude_V: float, pulse_width_s: float, n_pulses: int,
                    interval_s: float, read_gate_V: float = DEMO_READ_GATE_V,
                    gate_options: dict | None = None) -> dict:
    """Potentiation/depression of one device (module-level, so it maps over MPI ranks).

    Protocol: the device is conditioned to its steady cycle (:func:`steady_cycle`); from the
    depressed end, ``n_pulses`` potentiation pulses (−V: electrons leave the floating gate, V_th
    falls, G rises) give the LTP curve and ``n_pulses`` depression pulses (+V) the LTD curve.
    Conductance is read at the control-gate voltage ``read_gate_V`` (V; near the threshold of
    the programmed window, see :data:`DEMO_READ_GATE_V`).

    Parameters
    ----------
    tunnel_layers : int
        h-BN tunnel layers (≥ 1).
    barrier_height_eV : float or None
        Override of the channel-side h-BN barrier, eV (> 0); ``None``: the database value.
    pulse_amplitude_V : float
        |Control-gate pulse|, V (> 0).
    pulse_width_s : float
        Pulse width, s (> 0).
    n_pulses : int
        Pulses per LTP/LTD branch (≥ 1).
    interval_s : float
        Rest between pulses, s (≥ 0).
    read_gate_V : float, optional
        Control-gate voltage while reading, V.
    gate_options : dict, optional
        Further :class:`FloatingGate` fields.

    Returns
    -------
    dict of str to object
        Conductance (S), charge (C/m²) and threshold (V) curves of both branches,
        ``event_energy_J`` (J), ``retention_s`` (s), ``conditioning_cycles``, the tunnel law
        (V, A/m²), ``coupling_ratio`` and ``subthreshold_swing_mV_per_dec``.

    Raises
    ------
    ValueError
        If an argument is invalid: `read_gate_V` must be finite.
    TypeError
        If an argument has the wrong type: `read_gate_V` is not a real number.
    """
    _check_protocol(dict(tunnel_layers=tunnel_layers, barrier_height_eV=barrier_height_eV,
                         pulse_amplitude_V=pulse_amplitude_V, pulse_width_s=pulse_width_s,
                         n_pulses=n_pulses, interval_s=interval_s, read_gate_V=read_gate_V))
    gate = FloatingGate(tunnel_layers=tunnel_layers, barrier_height_eV=barrier_height_eV,
                        read_gate_V=check_real("read_gate_V", read_gate_V),
                        **(gate_options or {}))
    vmax = 2.2 * gate.coupling_ratio * pulse_amplitude_V
    law = tunnel_law(gate, vmax)
    dep = np.full(n_pulses, pulse_amplitude_V)
    q_start, cycles = steady_cycle(gate, law, pulse_amplitude_V, pulse_width_s, n_pulses,
                                   interval_s)
    q_ltp, e_ltp = pulse_train(gate, law, q_start, -dep, pulse_width_s, interval_s)
    q_ltd, e_ltd = pulse_train(gate, law, q_ltp[-1], dep, pulse_width_s, interval_s)
    charging = gate.tunnel_capacitance_F_per_m2 * gate.coupling_ratio * pulse_amplitude_V ** 2
    energy = gate.area_m2 * (charging + np.mean(np.concatenate([e_ltp, e_ltd])))
    v_high = q_ltp[-1] / gate.total_capacitance_F_per_m2
    return {"conductance_ltp_S": gate.conductance(q_ltp), "conductance_ltd_S":
            gate.conductance(q_ltd), "charge_ltp_C_per_m2": q_ltp, "charge_ltd_C_per_m2": q_ltd,
            "threshold_ltp_V": gate.threshold_voltage(q_ltp),
            "threshold_ltd_V": gate.threshold_voltage(q_ltd),
            "event_energy_J": energy, "retention_s": law.decay_time(v_high),
            "conditioning_cycles": cycles,
            "tunnel_bias_V": law.bias_V,
            "tunnel_current_density_A_per_m2": law.current_density_A_per_m2,
            "coupling_ratio": gate.coupling_ratio,
            "subthreshold_swing_mV_per_dec": measured_swing_mV_per_dec(gate)}


def device_ensemble(tunnel_layers: int, n_devices: int, seed: int, *, layer_spread: int = 1,
                    height_spread_eV: float = 0.05,
                    barrier_height_eV: float | None = None) -> list[dict]:
    """Device-to-device variation: per device a tunnel-layer count and a barrier height.

    Device 0 is nominal; the others draw the layer count uniformly from nominal ± ``layer_spread``
    (thickness fluctuation of one h-BN layer) and the channel-side barrier height from a normal
    distribution of standard deviation ``height_spread_eV`` around the nominal (weak) value,
    with ``numpy.random.default_rng(seed)``.

    Parameters
    ----------
    tunnel_layers : int
        Nominal h-BN tunnel layers (≥ 1).
    n_devices : int
        Devices (≥ 1).
    seed : int
        Seed of the draws (≥ 0).
    layer_spread : int, optional
        ± tunnel-layer fluctuation (≥ 0).
    height_spread_eV : float, optional
        Standard deviation of the channel-side barrier height, eV (≥ 0).
    barrier_height_eV : float, optional
        Override of the nominal barrier height, eV.

    Returns
    -------
    list of dict
        Per device ``tunnel_layers`` and ``barrier_height_eV`` (eV or None for nominal).

    Raises
    ------
    ValueError
        If an argument is invalid: `n_devices` and `tunnel_layers` must be >= 1; `layer_spread`
        must be >= 0 and <= 100; `height_spread_eV` and `seed` must be >= 0.
    TypeError
        If an argument has the wrong type: `height_spread_eV` is not a real number;
        `n_devices`, `tunnel_layers`, `layer_spread` or `seed` are not integers.
    """
    n = check_int("n_devices", n_devices, low=1)
    layers = check_int("tunnel_layers", tunnel_layers, low=1)
    spread = check_int("layer_spread", layer_spread, low=0, high=MAX_LAYER_SPREAD)
    sigma = check_real("height_spread_eV", height_spread_eV, low=0.0)
    nominal = FloatingGate(tunnel_layers=layers, barrier_height_eV=barrier_height_eV).barrier
    phi0 = nominal.layers[0].height_eV - nominal.fermi_energy_eV
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    out = [{"tunnel_layers": layers, "barrier_height_eV": barrier_height_eV}]
    for _ in range(n - 1):
        nl = max(1, layers + int(rng.integers(-spread, spread + 1)))
        out.append({"tunnel_layers": nl,
                    "barrier_height_eV": float(max(0.1, phi0 + sigma * rng.standard_normal()))})
    return out


_ENSEMBLE_FIELDS = ("conductance_ltp_S", "conductance_ltd_S", "charge_ltp_C_per_m2",
                    "charge_ltd_C_per_m2", "threshold_ltp_V", "threshold_ltd_V")


def ensemble_result(params: dict, devices: list[dict], outputs: list[dict]) -> Result:
    """Stack per-device outputs of :func:`simulate_device` into one Result (device 0 nominal).

    Parameters
    ----------
    params : dict
        Parameters of the run (stored in the Result; ``pulse_width_s`` and ``read_gate_V`` used).
    devices : list of dict
        :func:`device_ensemble` output.
    outputs : list of dict
        :func:`simulate_device` output per device.

    Returns
    -------
    Result
        Kind ``"floating_gate.pulse_response"``.
    """
    data = {k: np.array([o[k] for o in outputs]) for k in _ENSEMBLE_FIELDS}
    data["pulse_number"] = np.arange(data["conductance_ltp_S"].shape[1])
    data["device_tunnel_layers"] = np.array([d["tunnel_layers"] for d in devices])
    data["event_energy_J"] = np.array([o["event_energy_J"] for o in outputs])
    data["retention_s"] = np.array([o["retention_s"] for o in outputs])
    data["write_time_s"] = np.float64(params["pulse_width_s"])
    data["read_gate_V"] = np.float64(params["read_gate_V"])
    data["conditioning_cycles"] = np.array([o["conditioning_cycles"] for o in outputs])
    data["tunnel_bias_V"] = outputs[0]["tunnel_bias_V"]
    data["tunnel_current_density_A_per_m2"] = outputs[0]["tunnel_current_density_A_per_m2"]
    data["subthreshold_swing_mV_per_dec"] = np.float64(outputs[0]["subthreshold_swing_mV_per_dec"])
    return Result("floating_gate.pulse_response", params, data,
                  {"coupling_ratio": outputs[0]["coupling_ratio"]})


@register("floating_gate.pulse_response", summary="potentiation/depression of a MoS2/h-BN/graphene "
          "floating-gate synaptic transistor driven by h-BN tunneling", params=[
              Param("tunnel_layers", int, default=18, low=1, doc="h-BN tunnel layers"),
              Param("pulse_amplitude_V", float, default=DEMO_PULSE_AMPLITUDE_V, low=0.0,
                    low_open=True, doc="|control-gate pulse|, V"),
              Param("pulse_width_s", float, default=DEMO_PULSE_WIDTH_S, low=0.0, low_open=True,
                    doc="pulse width, s"),
              Param("n_pulses", int, default=DEMO_N_PULSES, low=2,
                    doc="pulses per LTP/LTD branch"),
              Param("read_gate_V", float, default=DEMO_READ_GATE_V,
                    doc="control-gate voltage while reading (near threshold), V"),
              Param("interval_s", float, default=1e-6, low=0.0, doc="rest between pulses, s"),
              Param("n_devices", int, default=5, low=1, doc="devices in the ensemble"),
              Param("layer_spread", int, default=1, low=0, doc="± layer fluctuation"),
              Param("height_spread_eV", float, default=0.05, low=0.0,
                    doc="barrier-height standard deviation, eV"),
              Param("barrier_height_eV", float, default=None, optional=True, low=0.0,
                    low_open=True, doc="override of the channel-side h-BN barrier, eV"),
              Param("seed", int, default=0, low=0, doc="ensemble seed")])
def pulse_response(*, tunnel_layers: int = 18, pulse_amplitude_V: float = DEMO_PULSE_AMPLITUDE_V,
                   pulse_width_s: float = DEMO_PULSE_WIDTH_S, n_pulses: int = DEMO_N_PULSES,
                   read_gate_V: float = DEMO_READ_GATE_V, interval_s: float = 1e-6,
                   n_devices: int = 5, layer_spread: int = 1, height_spread_eV: float = 0.05,
                   barrier_height_eV: float | None = None, seed: int = 0) -> Result:
    """Conductance vs pulse number (LTP and LTD) for an ensemble of floating-gate devices.

    Returns a Result with ``conductance_ltp_S``/``conductance_ltd_S`` of shape
    (n_devices, n_pulses + 1) read at ``read_gate_V``, the stored charge and threshold curves
    of the steady cycle, per-device ``event_energy_J``, ``retention_s`` and
    ``conditioning_cycles``, ``write_time_s`` (the pulse width), the nominal tunnel law and the
    measured sub-threshold swing (:meth:`FloatingGateSynapse.results`, key ``"pulse_response"``).

    Parameters
    ----------
    tunnel_layers : int, optional
        h-BN tunnel layers (≥ 1).
    pulse_amplitude_V : float, optional
        |Control-gate pulse|, V (> 0).
    pulse_width_s : float, optional
        Pulse width, s (> 0).
    n_pulses : int, optional
        Pulses per LTP/LTD branch (≥ 2).
    read_gate_V : float, optional
        Control-gate voltage while reading, V.
    interval_s : float, optional
        Rest between pulses, s (≥ 0).
    n_devices : int, optional
        Devices in the ensemble (≥ 1).
    layer_spread : int, optional
        ± tunnel-layer fluctuation between devices (≥ 0).
    height_spread_eV : float, optional
        Standard deviation of the channel-side barrier height, eV (≥ 0).
    barrier_height_eV : float, optional
        Override of the channel-side h-BN barrier, eV (> 0).
    seed : int, optional
        Ensemble seed (≥ 0).

    Returns
    -------
    Result
        Kind ``"floating_gate.pulse_response"`` (fields above).

    Raises
    ------
    ValueError
        If an argument is invalid: `seed` must be >= 0.
    TypeError
        If an argument has the wrong type: `seed` is not an integer.
    """
    params = {k: v for k, v in locals().items() if k != "seed"}
    _check_protocol(params)
    check_int("seed", seed, low=0)
    return FloatingGateSynapse(**params).results(seed=seed)["pulse_response"]


#: most pulses × devices of one pulse-response run; more is refused up front (raise this module
#: constant for a deliberate long run: each pulse is a few ODE steps, conditioning repeats the
#: cycle up to 200 times)
MAX_PULSES = 10**5
#: largest device-to-device spread of the tunnel-layer count (layers)
MAX_LAYER_SPREAD = 100


def _check_protocol(params: dict) -> None:
    """Validate the pulse-protocol keywords present in ``params`` (names, values and ranges)."""
    checks = {"tunnel_layers": lambda v: check_int("tunnel_layers", v, low=1),
              "pulse_amplitude_V": lambda v: check_real("pulse_amplitude_V", v, low=0.0,
                                                        low_open=True),
              "pulse_width_s": lambda v: check_real("pulse_width_s", v, low=0.0, low_open=True),
              "n_pulses": lambda v: check_int("n_pulses", v, low=1),
              "read_gate_V": lambda v: check_real("read_gate_V", v),
              "interval_s": lambda v: check_real("interval_s", v, low=0.0),
              "n_devices": lambda v: check_int("n_devices", v, low=1),
              "layer_spread": lambda v: check_int("layer_spread", v, low=0,
                                                  high=MAX_LAYER_SPREAD),
              "height_spread_eV": lambda v: check_real("height_spread_eV", v, low=0.0),
              "barrier_height_eV": lambda v: v is None or check_real(
                  "barrier_height_eV", v, low=0.0, low_open=True)}
    for name, value in params.items():
        if name in checks:
            checks[name](value)
    pulses = int(params.get("n_pulses", 1)) * int(params.get("n_devices", 1))
    check_work("MAX_PULSES", pulses, MAX_PULSES, unit="pulses × devices",
               hint=f"n_pulses = {params.get('n_pulses')} × n_devices = "
                    f"{params.get('n_devices', 1)}",
               advice="set qtransport.devices.floating_gate.MAX_PULSES higher for a deliberate "
                      "long run")


def to_device_response(result: Result, read_noise_rel: float = 0.0) -> Result:
    """The :func:`qtransport.devices.record.device_response` record of a pulse-response result.

    Energy, retention: medians over the ensemble; write time: the pulse width.

    Parameters
    ----------
    result : Result
        A ``"floating_gate.pulse_response"`` result.
    read_noise_rel : float, optional
        Relative read noise written into the record (≥ 0).

    Returns
    -------
    Result
        Kind ``"device.response"`` (weights in S).
    """
    return device_response(
        "floating_gate", weight_ltp=result.conductance_ltp_S, weight_ltd=result.conductance_ltd_S,
        weight_unit="S", event_energy_J=float(np.median(result.event_energy_J)),
        write_time_s=float(result.write_time_s), retention_s=float(np.median(result.retention_s)),
        read_noise_rel=read_noise_rel,
        description="MoS2|h-BN|graphene floating-gate transistor: channel conductance after each "
                    "program pulse; rows = devices (±1 h-BN layer, barrier-height spread)",
        params=result.params)


@register_family
class FloatingGateSynapse(DeviceFamily):
    """The floating-gate device family: an ensemble of MoS2/h-BN/graphene FG transistors.

    Every parameter is a keyword; the defaults (:meth:`default_params`) are the demo's
    (:data:`DEMO_PULSE_AMPLITUDE_V` …).

    Parameters
    ----------
    tunnel_layers : int
        h-BN layers of the nominal tunnel barrier (≥ 1).
    pulse_amplitude_V, pulse_width_s, interval_s : float
        |Control-gate pulse| (V, > 0), its width (s, > 0) and the rest after it (s, ≥ 0).
    n_pulses : int
        Pulses per potentiation/depression branch (≥ 2).
    read_gate_V : float
        Control-gate voltage while reading, V.
    n_devices, layer_spread : int
        Devices in the ensemble and their ± tunnel-layer fluctuation (device-to-device variation,
        :func:`device_ensemble`).
    height_spread_eV : float
        Standard deviation of the channel-side barrier height between devices, eV.
    barrier_height_eV : float or None
        Override of the nominal channel-side h-BN barrier, eV.
    read_noise_rel : float
        Relative read noise written into the record.

    Notes
    -----
    Programming: the steady LTP/LTD cycle of identical pulses (:func:`simulate_device`); energy
    per event: capacitive charging plus the tunneling dissipation of a pulse; retention: 1/e
    decay of the potentiated floating-gate voltage with the gate grounded; no cycle-to-cycle
    variation (the model is deterministic for a given device).

    Examples
    --------
    >>> FloatingGateSynapse(tunnel_layers=14, n_pulses=3, n_devices=1).params["n_pulses"]
    3
    """

    name = "floating_gate"
    summary = "MoS2 | h-BN | graphene floating-gate transistor programmed by h-BN tunneling"

    @classmethod
    def default_params(cls) -> dict:
        return {"tunnel_layers": 18, "pulse_amplitude_V": DEMO_PULSE_AMPLITUDE_V,
                "pulse_width_s": DEMO_PULSE_WIDTH_S, "n_pulses": DEMO_N_PULSES,
                "read_gate_V": DEMO_READ_GATE_V, "interval_s": 1e-6, "n_devices": 5,
                "layer_spread": 1, "height_spread_eV": 0.05, "barrier_height_eV": None,
                "read_noise_rel": 0.0}

    def validate(self, params: dict) -> dict:
        p = dict(params)
        p["tunnel_layers"] = check_int("tunnel_layers", p["tunnel_layers"], low=1)
        for key in ("pulse_amplitude_V", "pulse_width_s"):
            p[key] = check_real(key, p[key], low=0.0, low_open=True)
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=2)
        p["read_gate_V"] = check_real("read_gate_V", p["read_gate_V"])
        for key in ("interval_s", "height_spread_eV", "read_noise_rel"):
            p[key] = check_real(key, p[key], low=0.0)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        p["layer_spread"] = check_int("layer_spread", p["layer_spread"], low=0,
                                      high=MAX_LAYER_SPREAD)
        if p["barrier_height_eV"] is not None:
            p["barrier_height_eV"] = check_real("barrier_height_eV", p["barrier_height_eV"],
                                                low=0.0, low_open=True, high=MAX_ENERGY_EV)
        return p

    def results(self, *, seed: int = 0, map=serial_map) -> dict[str, Result]:
        """``"pulse_response"`` (the ensemble's curves, energies, retention, tunnel law) and
        ``"device_response"``; the devices are independent ``map`` calls of
        :func:`simulate_device`.

        Parameters
        ----------
        seed : int, optional
            Ensemble seed (≥ 0).
        map : callable, optional
            Distributes the device calls (default :func:`serial_map`).

        Returns
        -------
        dict of str to Result
            ``"pulse_response"`` and ``"device_response"``.

        Raises
        ------
        ValueError
            If an argument is invalid: `seed` must be >= 0.
        TypeError
            If an argument has the wrong type: `seed` is not an integer.
        """
        p = self.params
        seed = check_int("seed", seed, low=0)
        devices = device_ensemble(p["tunnel_layers"], p["n_devices"], seed,
                                  layer_spread=p["layer_spread"],
                                  height_spread_eV=p["height_spread_eV"],
                                  barrier_height_eV=p["barrier_height_eV"])
        pulse = {k: p[k] for k in ("pulse_amplitude_V", "pulse_width_s", "n_pulses",
                                   "interval_s", "read_gate_V")}
        outputs = map(simulate_device, [dict(pulse, **d) for d in devices])
        params = {k: v for k, v in p.items() if k != "read_noise_rel"}
        ensemble = ensemble_result({**params, "seed": seed}, devices, outputs)
        return {"pulse_response": ensemble,
                "device_response": to_device_response(ensemble, p["read_noise_rel"])}

    def response(self, *, seed: int = 0, map=serial_map) -> Result:
        """The ``device.response`` record (medians of energy and retention over the ensemble).

        Parameters
        ----------
        seed : int, optional
            Ensemble seed (≥ 0).
        map : callable, optional
            Distributes the device calls.

        Returns
        -------
        Result
            Kind ``"device.response"``.
        """
        return self.results(seed=seed, map=map)["device_response"]


_declare("floating_gate.pulse_response", coords=("pulse_number", "device_tunnel_layers"),
         y=("conductance_ltp_S", "conductance_ltd_S"),
         dims={"tunnel_bias_V": ("tunnel_bias",), "tunnel_current_density_A_per_m2":
               ("tunnel_bias",)})
