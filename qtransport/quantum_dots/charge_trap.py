"""Charge-trap memory: a dot (or trap) ensemble in a transistor gate, programmed by tunnelling.

Each trap i holds 0 or 1 extra electron (the second electron costs a further 2E_C, ≳ 0.1 eV for
nm dots; it is not kept). Filling it from the channel changes the free energy by

    ΔF_in,i(V_G) = ΔE_i − α V_G,      ΔE_i = (ε_i − E_F) + E_C,i,

with ε_i the trap's electron level (for a dot: the confined level of
:mod:`qtransport.quantum_dots.confinement`, so the size distribution becomes a level
distribution), E_C,i = e²/(2C_i) its charging energy (self-capacitance 4πε0 ε_ox R_i of
:mod:`~qtransport.quantum_dots.charging`) and α the fraction of the gate voltage dropped across
the tunnel oxide (series plate capacitors). The capture and escape rates are the orthodox rates
of part 2,

    Γ_in = Γ(ΔF_in; R_T),   Γ_out = Γ(−ΔF_in; R_T),   Γ(ΔF) = −ΔF/(e²R_T[1 − e^{ΔF/k_BT}]),

with the tunnel resistance of the trap's junction from the project's tunnelling kernel
(:class:`qtransport.tight_binding.tunneling.Barrier`: Tsu–Esaki current through the tunnel oxide
at the oxide voltage α V_G), R_T = α V_G / (J A_i), or the zero-bias resistance–area product
RA/A_i at V_G = 0. At V_G = 0 a bound electron (ΔF_out = E_a > 0) leaves at
Γ_out ≈ (E_a/e²R_T) e^{−E_a/k_BT}: retention is thermally activated escape over the trap depth.

The occupation obeys dp/dt = Γ_in (1 − p) − Γ_out p, solved exactly for piecewise-constant
gate voltage (vectorized over traps): p(t) = p∞ + (p0 − p∞)e^{−Γt}, Γ = Γ_in + Γ_out. The charge
that tunnelled during a segment is its own closed-form integral of the current
e[Γ_in − Γ ∫p dt], independent of the occupation update (the tests compare them). A stochastic
mode draws every trap's state at each pulse boundary from the same exact two-state propagator
(cycle-to-cycle noise of a finite ensemble).

The trapped charge shifts the threshold, ΔV_th = e Σ p_i / C_ctrl (C_ctrl: capacitance between
the trap layer and the gate), and the channel reads it with a smooth subthreshold/above-threshold
interpolation of the linear-region conductance, G = G_off + μ C_G (W/L) nφ_t
ln[1 + exp((V_read − V_th)/(nφ_t))].

Presets (documented in ``docs/quantum_dots.md``; values from ``data/materials.toml`` where the
database has them, all others tagged there as assumptions): :func:`qd_film` (CdSe dots in
SiO2/Al2O3 over an n-channel), :func:`cnt_transistor` (traps with a Gaussian energy distribution
in the oxide of an aligned-CNT transistor) and :func:`nanowire_transistor` (redox molecules on an
InP nanowire: a narrow trap-level distribution).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..constants import e, eps0, k_B, nm
from ..errors import check_array, check_int, check_real
from ..errors import MAX_TEMPERATURE_K
from . import charging as ch

__all__ = ["TrapEnsemble", "ChargeTrapTransistor", "default_pulses", "qd_film", "cnt_transistor",
           "nanowire_transistor", "dot_levels_vs_diameter", "PRESETS"]


@dataclass
class TrapEnsemble:
    """Traps of one or several devices (rows = devices, columns = traps).

    Parameters
    ----------
    delta_E_eV : array_like, shape (n_devices, n_traps)
        ΔE_i = ε_i − E_F + E_C,i, eV (ΔF_in at zero gate voltage).
    area_m2 : array_like, same shape
        Tunnel-junction area of every trap, m².
    lever_arm : float
        α = fraction of V_G across the tunnel oxide (0 < α ≤ 1).
    barrier : Barrier
        The tunnel oxide (:class:`qtransport.tight_binding.tunneling.Barrier`) with a
        ``fermi_energy_eV``.
    temperature_K : float, optional
        Temperature, K (> 0).
    _ra_cache, _rate_cache : dict, optional
        Internal caches of R·A and of the rates per gate voltage (leave at the default).

    Raises
    ------
    ValueError
        If an argument is invalid: `lever_arm` must be > 0 and <= 1; `temperature_K` must be >
        0 and <= 10000; `delta_E_eV` must be an array of finite numbers; `area_m2` must be an
        array of finite numbers > 0.
    TypeError
        If an argument has the wrong type: `lever_arm` or `temperature_K` are not real numbers;
        `delta_E_eV` or `area_m2` are not arrays of real numbers.

    Examples
    --------
    Three traps behind a 1.5 nm oxide: the orthodox rates obey detailed balance,
    Γ_in/Γ_out = e^{−ΔF_in/k_BT}, so the stationary occupation is the Fermi function; a
    mean-field step conserves charge (the electrons tunnelled in equal the change of p):

    >>> import numpy as np
    >>> from qtransport.constants import e, k_B
    >>> from qtransport.tight_binding.tunneling import Barrier
    >>> b = Barrier(height_eV=1.5, thickness_nm=1.5, effective_mass=0.4, electrode_mass=0.1,
    ...             fermi_energy_eV=0.1)
    >>> tr = TrapEnsemble(delta_E_eV=[[-0.6, -0.5, 0.2]], area_m2=1e-18, lever_arm=0.2,
    ...                   barrier=b, temperature_K=300.0)
    >>> tr.shape
    (1, 3)
    >>> g_in, g_out = tr.rates(0.0)                             # 1/s
    >>> kT = k_B * 300.0 / e                                    # eV
    >>> bool(np.allclose(g_in / g_out, np.exp(-tr.delta_E_eV / kT), rtol=1e-9))
    True
    >>> bool(np.allclose(tr.equilibrium(0.0), g_in / (g_in + g_out), rtol=1e-12))
    True
    >>> p0 = np.zeros(tr.shape)
    >>> p, dn = tr.step(p0, 1e-6, 2.0)                          # 1 µs at V_G = 2 V
    >>> bool(np.allclose(dn, p - p0, rtol=0, atol=1e-9))
    True

    Starting full at V_G = 0, only the shallow trap (ΔE > 0) empties, so the ensemble's 1/e time
    is its 1/(Γ_in + Γ_out) (s):

    >>> t = tr.relaxation_time(np.ones(tr.shape), 0.0)
    >>> bool(abs(t[0] * (g_in + g_out)[0, 2] - 1) < 1e-6)
    True
    """

    delta_E_eV: np.ndarray
    area_m2: np.ndarray
    lever_arm: float
    barrier: object
    temperature_K: float = 300.0
    _ra_cache: dict = field(default_factory=dict, repr=False)
    _rate_cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.delta_E_eV = np.atleast_2d(check_array("delta_E_eV", self.delta_E_eV))
        self.area_m2 = np.broadcast_to(np.atleast_2d(check_array("area_m2", self.area_m2,
                                                                 low=0.0, low_open=True)),
                                       self.delta_E_eV.shape).copy()
        self.lever_arm = check_real("lever_arm", self.lever_arm, low=0.0, high=1.0,
                                    low_open=True)
        self.temperature_K = check_real("temperature_K", self.temperature_K, low=0.0,
                                        low_open=True, high=MAX_TEMPERATURE_K)

    @property
    def shape(self) -> tuple[int, int]:
        """(n_devices, n_traps)."""
        return self.delta_E_eV.shape

    def resistance_area(self, gate_V: float) -> float:
        """R A of the tunnel oxide (Ω m²) at gate voltage ``gate_V`` (cached per voltage).

        Parameters
        ----------
        gate_V : float
            Gate voltage V_G, V.

        Returns
        -------
        float
            R·A, Ω m².
        """
        v = round(float(gate_V), 12)
        if v not in self._ra_cache:
            vox = self.lever_arm * v
            if abs(vox) < 1e-3:           # linear response (chord → slope as V → 0)
                ra = self.barrier.resistance_area(self.temperature_K)
            else:
                j = self.barrier.current_density(vox, self.temperature_K)
                ra = vox / j
            self._ra_cache[v] = float(ra)
        return self._ra_cache[v]

    def rates(self, gate_V: float) -> tuple[np.ndarray, np.ndarray]:
        """(Γ_in, Γ_out) of every trap at gate voltage ``gate_V``, 1/s (cached per voltage;
        the arrays are read-only).

        Parameters
        ----------
        gate_V : float
            Gate voltage V_G, V.

        Returns
        -------
        gamma_in : numpy.ndarray
            Capture rates, 1/s, shape (n_devices, n_traps).
        gamma_out : numpy.ndarray
            Emission rates, 1/s.
        """
        key = round(float(gate_V), 12)
        if key not in self._rate_cache:
            if len(self._rate_cache) > 64:
                self._rate_cache.clear()
            rates = self._rates(gate_V)
            for r in rates:
                r.flags.writeable = False
            self._rate_cache[key] = rates
        return self._rate_cache[key]

    def _rates(self, gate_V: float) -> tuple[np.ndarray, np.ndarray]:
        ra = self.resistance_area(gate_V)
        r_t = ra / self.area_m2
        dF = self.delta_E_eV - self.lever_arm * float(gate_V)
        kT = k_B * self.temperature_K / e
        pre = kT / (e * r_t)
        return (pre * np.exp(ch.log_rate_factor(dF / kT)),
                pre * np.exp(ch.log_rate_factor(-dF / kT)))

    def equilibrium(self, gate_V: float = 0.0) -> np.ndarray:
        """Stationary occupation Γ_in/(Γ_in + Γ_out) = 1/(1 + e^{ΔF_in/k_BT}).

        Parameters
        ----------
        gate_V : float, optional
            Gate voltage, V.

        Returns
        -------
        numpy.ndarray
            Occupations, in [0, 1].
        """
        kT = k_B * self.temperature_K / e
        x = (self.delta_E_eV - self.lever_arm * float(gate_V)) / kT
        return 0.5 * (1 - np.tanh(x / 2))

    def step(self, p0: np.ndarray, duration_s: float, gate_V: float):
        """Exact mean-field update over one constant-voltage segment.

        Returns (p, dn): occupations after the segment and the number of electrons that
        tunnelled in during it (closed-form integral of the tunnel current / e).

        Parameters
        ----------
        p0 : numpy.ndarray
            Occupations before the segment, shape (n_devices, n_traps), in [0, 1].
        duration_s : float
            Segment length, s.
        gate_V : float
            Gate voltage V_G, V.

        Returns
        -------
        p : numpy.ndarray
            Occupations after the segment.
        dn : numpy.ndarray
            Electrons tunnelled into each trap during it.
        """
        gin, gout = self.rates(gate_V)
        g = gin + gout
        p_inf = gin / g
        decay = -np.expm1(-g * duration_s)                    # 1 − e^{−Γt}
        p = p_inf + (p0 - p_inf) * (1 - decay)
        # ∫ p dt = p∞ t + (p0 − p∞)(1 − e^{−Γt})/Γ;  dn = Γ_in t − Γ ∫p dt
        integral_p = p_inf * duration_s + (p0 - p_inf) * decay / g
        dn = gin * duration_s - g * integral_p
        return p, dn

    def tunnel_current(self, p0: np.ndarray, t_s, gate_V: float) -> np.ndarray:
        """Electrons per second tunnelling into each trap at time(s) ``t_s`` into a segment.

        Parameters
        ----------
        p0 : numpy.ndarray
            Occupations before the segment, shape (n_devices, n_traps), in [0, 1].
        t_s : float or array_like
            Time(s) into the segment, s.
        gate_V : float
            Gate voltage V_G, V.

        Returns
        -------
        numpy.ndarray
            Electrons per second into each trap, 1/s (leading axes of ``t_s``).
        """
        gin, gout = self.rates(gate_V)
        g = gin + gout
        p_inf = gin / g
        t = np.asarray(t_s, float)[..., None, None]
        p = p_inf + (p0 - p_inf) * np.exp(-g * t)
        return gin * (1 - p) - gout * p

    def step_stochastic(self, state: np.ndarray, duration_s: float, gate_V: float,
                        rng: np.random.Generator) -> np.ndarray:
        """Draw every trap's occupation (0/1) after a segment from the exact propagator.

        Parameters
        ----------
        state : numpy.ndarray
            Occupations 0/1 before the segment.
        duration_s : float
            Segment length, s.
        gate_V : float
            Gate voltage V_G, V.
        rng : numpy.random.Generator
            Seeded source of the draws.

        Returns
        -------
        numpy.ndarray
            Occupations 0/1 (float) after the segment.
        """
        gin, gout = self.rates(gate_V)
        g = gin + gout
        p_inf = gin / g
        decay = -np.expm1(-g * duration_s)
        p1 = np.where(state > 0.5, 1 - (1 - p_inf) * decay, p_inf * decay)
        return (rng.random(state.shape) < p1).astype(float)

    def run(self, p0: np.ndarray, voltages: Sequence[float], width_s: float,
            *, rng: np.random.Generator | None = None):
        """Apply pulses (each ``width_s`` at its voltage); occupations after each one.

        Returns ``(p, dn)`` with ``p`` of shape (n_pulses + 1, n_devices, n_traps) and ``dn``
        (n_pulses, n_devices, n_traps); in stochastic mode (``rng`` given) ``p`` holds 0/1
        states and ``dn`` the state changes.

        Parameters
        ----------
        p0 : numpy.ndarray
            Initial occupations, shape (n_devices, n_traps).
        voltages : sequence of float
            Pulse voltages, V.
        width_s : float
            Pulse width, s (> 0).
        rng : numpy.random.Generator, optional
            Stochastic traps when given.

        Returns
        -------
        p : numpy.ndarray
            Occupations, shape (n_pulses + 1, n_devices, n_traps) (0/1 in stochastic mode).
        dn : numpy.ndarray
            Electrons tunnelled in per pulse (state changes in stochastic mode), shape
            (n_pulses, n_devices, n_traps).

        Raises
        ------
        ValueError
            If an argument is invalid: `width_s` must be > 0.
        TypeError
            If an argument has the wrong type: `width_s` is not a real number.
        """
        width = check_real("width_s", width_s, low=0.0, low_open=True)
        p = np.array(p0, float)
        out, dns = [p], []
        for v in voltages:
            if rng is None:
                p, dn = self.step(p, width, float(v))
            else:
                new = self.step_stochastic(p, width, float(v), rng)
                dn, p = new - p, new
            out.append(p)
            dns.append(dn)
        return np.array(out), np.array(dns)

    def relaxation_time(self, p0: np.ndarray, gate_V: float = 0.0) -> np.ndarray:
        """Per device: time (s) at which Σ(p − p_eq) has decayed to 1/e of its start.

        Every trap relaxes as (p0 − p_eq)e^{−Γt}; the ensemble sum is monotonic in t for a
        one-signed start, so the 1/e time is found by bisection in ln t.

        Parameters
        ----------
        p0 : numpy.ndarray
            Occupations before the segment, shape (n_devices, n_traps), in [0, 1].
        gate_V : float, optional
            Gate voltage during the relaxation, V.

        Returns
        -------
        numpy.ndarray
            1/e times, s, one per device (``inf`` for a start at equilibrium).
        """
        gin, gout = self.rates(gate_V)
        g = gin + gout
        amp = p0 - gin / g
        out = []
        for a, gg in zip(np.atleast_2d(amp), np.atleast_2d(g)):
            total = a.sum()
            if total == 0.0:
                out.append(math.inf)
                continue

            def frac(logt):
                return float((a * np.exp(-gg * math.exp(logt))).sum() / total)
            lo, hi = math.log(1e-3 / gg.max()), math.log(1e3 / gg.min())
            if frac(hi) > math.exp(-1):
                out.append(math.exp(hi))
                continue
            for _ in range(200):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if frac(mid) > math.exp(-1) else (lo, mid)
                if hi - lo < 1e-10:
                    break
            out.append(math.exp(0.5 * (lo + hi)))
        return np.array(out)


@dataclass
class ChargeTrapTransistor:
    """Trap ensemble + the channel that reads it (see module notes).

    Parameters
    ----------
    traps : TrapEnsemble
        The traps the channel reads.
    control_capacitance_F : float
        C_ctrl between the trap layer and the gate, per device, F.
    gate_capacitance_F : float
        Total gate–channel capacitance per device, F (channel charge and pulse energy).
    mobility_m2_per_Vs : float
        Channel mobility, m²/(V s).
    length_m : float
        Channel length, m: G = μ C_G V_ov / L² with C_G per device (any channel shape).
    threshold_V : float
        V_th of the trap-free channel, V.
    ideality : float
        Subthreshold ideality n (swing n · 60 mV/dec at 300 K).
    off_conductance_S : float
        Leakage floor, S.
    read_gate_V : float
        Gate voltage of the read, V.
    name : str, optional
        Label.
    sources : dict, optional
        Provenance of the values.

    Examples
    --------
    One trapped electron per 1.6 aF of control capacitance shifts V_th by ≈ 0.1 V, and well
    above threshold the channel is linear, G = G_off + μC_G(V_read − V_th)/L²:

    >>> import numpy as np
    >>> from qtransport.constants import e
    >>> from qtransport.tight_binding.tunneling import Barrier
    >>> b = Barrier(height_eV=1.5, thickness_nm=1.5, effective_mass=0.4, electrode_mass=0.1,
    ...             fermi_energy_eV=0.1)
    >>> tr = TrapEnsemble([[-0.6, -0.5, 0.2]], 1e-18, 0.2, b)
    >>> t = ChargeTrapTransistor(tr, control_capacitance_F=1.6e-18, gate_capacitance_F=1e-17,
    ...                          mobility_m2_per_Vs=0.01, length_m=1e-7, threshold_V=0.0)
    >>> round(float(t.threshold_shift([1.0, 0.0, 0.0])), 3)     # V
    0.1
    >>> g0 = t.conductance(np.zeros(3))                         # S
    >>> bool(abs(g0 - (1e-11 + 0.01 * 1e-17 * 1.0 / 1e-14)) < 1e-9 * g0)
    True
    >>> bool(t.conductance(np.ones(3)) < g0)                    # trapped electrons raise V_th
    True
    """

    traps: TrapEnsemble
    control_capacitance_F: float
    gate_capacitance_F: float
    mobility_m2_per_Vs: float
    length_m: float
    threshold_V: float
    ideality: float = 1.5
    off_conductance_S: float = 1e-11
    read_gate_V: float = 1.0
    name: str = ""
    sources: dict = field(default_factory=dict)

    def threshold_shift(self, p) -> np.ndarray:
        """ΔV_th = e Σ p / C_ctrl, V (last axis = traps).

        Parameters
        ----------
        p : array_like
            Trap occupations (last axis = traps).

        Returns
        -------
        numpy.ndarray
            ΔV_th, V.
        """
        return e * np.sum(p, axis=-1) / self.control_capacitance_F

    def conductance(self, p) -> np.ndarray:
        """Channel conductance (S) at ``read_gate_V`` for occupations ``p``.

        Parameters
        ----------
        p : array_like
            Trap occupations (last axis = traps).

        Returns
        -------
        numpy.ndarray
            Conductance, S.
        """
        vt = self.threshold_V + self.threshold_shift(p)
        nphi = self.ideality * k_B * self.traps.temperature_K / e
        x = (self.read_gate_V - vt) / nphi
        vov = nphi * np.logaddexp(0.0, x)
        return self.off_conductance_S + self.mobility_m2_per_Vs * self.gate_capacitance_F * \
            vov / self.length_m**2


def default_pulses(transistor: ChargeTrapTransistor, n_pulses: int) -> tuple[float, float]:
    """(V_p, pulse width) of the default trains, derived from the ensemble (not fitted):
    V_p = (|median ΔE| + 3σ_ΔE + 10 k_BT/e)/α flips every trap's ΔF_in with margin; the width
    makes ``n_pulses`` pulses last three median relaxation times 1/(Γ_in + Γ_out) at −V_p.

    Parameters
    ----------
    transistor : ChargeTrapTransistor
        The device.
    n_pulses : int
        Pulses per train (≥ 1).

    Returns
    -------
    amplitude_V : float
        V_p, V.
    width_s : float
        Pulse width, s.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_pulses` must be >= 1.
    TypeError
        If an argument has the wrong type: `n_pulses` is not an integer.

    Examples
    --------
    >>> import numpy as np
    >>> v, w = default_pulses(qd_film(rng=np.random.default_rng(0)), 16)
    >>> bool(v > 0 and w > 0)
    True
    """
    tr = transistor.traps
    n_pulses = check_int("n_pulses", n_pulses, low=1)
    dE = tr.delta_E_eV
    kT = k_B * tr.temperature_K / e
    vp = (abs(float(np.median(dE))) + 3 * float(dE.std()) + 10 * kT) / tr.lever_arm
    gin, gout = tr.rates(-vp)
    return vp, 3.0 / float(np.median(gin + gout)) / n_pulses


# -- presets -----------------------------------------------------------------------------------
def dot_levels_vs_diameter(material: str, diameters_nm, outside_barrier_eV=None) -> np.ndarray:
    """Confined electron level (eV, vacuum scale) of bare dots of ``material`` vs diameter.

    Parameters
    ----------
    material : str
        Dot material (database entry with ``electron_affinity_eV`` and ``band_gap_eV``).
    diameters_nm : array_like
        Dot diameters, nm.
    outside_barrier_eV : tuple of float, optional
        (electron, hole) barrier levels outside the dot, eV (default: the material's own edges).

    Returns
    -------
    numpy.ndarray
        Levels, eV (vacuum scale), one per diameter.

    Examples
    --------
    >>> dot_levels_vs_diameter('CdSe', [3.0, 5.0]).shape
    (2,)
    """
    from .. import materials
    from . import confinement as cf
    mat = materials.get(material)
    out = []
    for d in np.atleast_1d(diameters_nm):
        regs, _ = cf._carrier_regions([(mat, d / 2)], outside_barrier_eV or (
            mat.electron_affinity_eV, mat.electron_affinity_eV + mat.band_gap_eV), 1.0)
        found = cf.radial_levels(regs, 0, 1)
        if not len(found):
            raise ValueError(f"diameters_nm: a {d:g} nm {material} dot has no bound electron "
                             f"level (confinement lifts it above the barrier)")
        out.append(found[0])
    return np.array(out)


def _stack(t_tunnel_nm, eps_tunnel, t_ctrl_nm, eps_ctrl):
    """(lever arm α, control capacitance per area, total capacitance per area)."""
    a, b = t_tunnel_nm / eps_tunnel, t_ctrl_nm / eps_ctrl
    return a / (a + b), eps0 / (b * nm), eps0 / ((a + b) * nm)


def qd_film(*, n_devices: int = 1, dot_diameter_nm: float = 4.0, size_spread_rel: float = 0.08,
            dot_density_per_cm2: float = 2e12, area_um2: float = 0.05,
            tunnel_oxide_nm: float = 2.5, control_oxide_nm: float = 8.0,
            material: str = "CdSe", temperature_K: float = 300.0,
            rng: np.random.Generator | None = None) -> ChargeTrapTransistor:
    """CdSe (or other) dots between a SiO2 tunnel oxide and an Al2O3 control oxide on an
    n-type Si channel (E_F at the conduction-band edge under the gate).

    Dot diameters are normal with relative spread ``size_spread_rel`` (clipped at ±3σ); each
    size gives its confined level and self-capacitance charging energy.

    Parameters
    ----------
    n_devices : int, optional
        Devices (≥ 1).
    dot_diameter_nm : float, optional
        Mean dot diameter, nm (1–20).
    size_spread_rel : float, optional
        Relative standard deviation of the diameter (0–0.3).
    dot_density_per_cm2 : float, optional
        Dot density, 1/cm² (> 0).
    area_um2 : float, optional
        Gate area, µm² (> 0); dots per device = density × area (1–200000).
    tunnel_oxide_nm : float, optional
        SiO2 tunnel oxide thickness, nm (0.5–20).
    control_oxide_nm : float, optional
        Al2O3 control oxide thickness, nm.
    material : str, optional
        Dot material.
    temperature_K : float, optional
        Temperature, K.
    rng : numpy.random.Generator, optional
        Seeds the preset's random draws (default: ``default_rng(0)``).

    Returns
    -------
    ChargeTrapTransistor
        The device.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_devices` must be >= 1; `dot_diameter_nm` must be >= 1 and
        <= 20; `size_spread_rel` must be >= 0 and <= 0.3; `dot_density_per_cm2` and `area_um2`
        must be > 0; the dots per device (density × area) must be >= 1 and <= 200000;
        `tunnel_oxide_nm` must be >= 0.5 and <= 20.
    TypeError
        If an argument has the wrong type: `dot_diameter_nm`, `size_spread_rel`,
        `dot_density_per_cm2`, `area_um2` or `tunnel_oxide_nm` are not real numbers;
        `n_devices` is not an integer.

    Examples
    --------
    >>> import numpy as np
    >>> t = qd_film(rng=np.random.default_rng(0))
    >>> type(t).__name__
    'ChargeTrapTransistor'
    """
    from .. import materials
    from ..tight_binding.tunneling import Barrier
    rng = np.random.default_rng(0) if rng is None else rng
    n_devices = check_int("n_devices", n_devices, low=1)
    d0 = check_real("dot_diameter_nm", dot_diameter_nm, low=1.0, high=20.0)
    sig = check_real("size_spread_rel", size_spread_rel, low=0.0, high=0.3)
    dens = check_real("dot_density_per_cm2", dot_density_per_cm2, low=0.0, low_open=True)
    area = check_real("area_um2", area_um2, low=0.0, low_open=True)
    n_dots = check_int("dots per device (density × area)", round(dens * area * 1e-8), low=1,
                       high=200_000)
    sio2, al2o3, si = materials.get("SiO2"), materials.get("Al2O3"), materials.get("Si(n+)")
    try:                                       # the smallest dots drawn (−3σ) must bind
        dot_levels_vs_diameter(material, [d0 * (1 - 3 * sig)])
    except ValueError:
        raise ValueError(f"dot_diameter_nm = {d0:g} with size_spread_rel = {sig:g}: the "
                         f"smallest dots (−3σ, {d0 * (1 - 3 * sig):.3g} nm) have no bound "
                         f"electron level; use a larger dot_diameter_nm or a smaller "
                         f"size_spread_rel") from None
    z = np.clip(rng.standard_normal((n_devices, n_dots)), -3, 3)
    diam = d0 * (1 + sig * z)
    grid = np.linspace(diam.min(), diam.max(), 24) if diam.max() > diam.min() else \
        np.array([d0, d0 * 1.0001])
    levels = np.interp(diam, grid, dot_levels_vs_diameter(material, grid))
    e_c = e / (2 * 4 * math.pi * eps0 * sio2.permittivity * diam / 2 * nm)   # eV
    fermi = -si.electron_affinity_eV           # channel E_F ≈ E_c (vacuum scale)
    delta = levels - fermi + e_c
    alpha, c_ctrl, c_tot = _stack(tunnel_oxide_nm, sio2.permittivity, control_oxide_nm,
                                  al2o3.permittivity)
    barrier = Barrier(height_eV=sio2.conduction_band_offset_Si_eV,
                      thickness_nm=check_real("tunnel_oxide_nm", tunnel_oxide_nm, low=0.5,
                                              high=20.0),
                      effective_mass=sio2.tunneling_mass, electrode_mass=si.effective_mass,
                      fermi_energy_eV=si.fermi_energy_eV, name="SiO2 tunnel oxide")
    traps = TrapEnsemble(delta, math.pi * (diam / 2 * nm)**2, alpha, barrier, temperature_K)
    a_m2 = area * 1e-12
    L = math.sqrt(a_m2)
    return ChargeTrapTransistor(traps, c_ctrl * a_m2, c_tot * a_m2, mobility_m2_per_Vs=0.03,
                                length_m=L, threshold_V=0.3, read_gate_V=1.0,
                                name=f"{material} QD charge-trap transistor",
                                sources={"dots": material, "tunnel oxide": "SiO2",
                                         "control oxide": "Al2O3", "channel": "Si(n+)",
                                         "mobility": "300 cm^2/Vs Si inversion layer (assumed)"})


def _trap_preset(*, n_devices, n_traps, mean_depth_eV, spread_eV, trap_area_m2, tunnel_nm,
                 barrier_eV, tunnel_mass, electrode_mass, fermi_eV, alpha, c_ctrl_F, c_gate_F,
                 mobility, length_m, threshold_V, read_V, temperature_K, rng, name, sources):
    from ..tight_binding.tunneling import Barrier
    rng = np.random.default_rng(0) if rng is None else rng
    delta = -mean_depth_eV + spread_eV * rng.standard_normal((n_devices, n_traps))
    barrier = Barrier(height_eV=barrier_eV, thickness_nm=tunnel_nm, effective_mass=tunnel_mass,
                      electrode_mass=electrode_mass, fermi_energy_eV=fermi_eV, name=name)
    traps = TrapEnsemble(delta, trap_area_m2, alpha, barrier, temperature_K)
    return ChargeTrapTransistor(traps, c_ctrl_F, c_gate_F, mobility, length_m, threshold_V,
                                read_gate_V=read_V, name=name, sources=sources)


def _cylinder_capacitance_per_m(radius_nm: float, distance_nm: float, eps_r: float) -> float:
    """2π ε0 ε / arccosh(d/r): a wire of radius r at distance d (centre) from a gate plane."""
    return 2 * math.pi * eps0 * eps_r / math.acosh(distance_nm / radius_nm)


def cnt_transistor(*, n_devices: int = 1, n_traps: int = 2000, length_um: float = 1.0,
                   temperature_K: float = 300.0,
                   rng: np.random.Generator | None = None) -> ChargeTrapTransistor:
    """Aligned-CNT transistor (one 1.5-nm tube, 1 µm under a 10-nm HfO2 gate) whose oxide traps
    (Gaussian depth 0.6 ± 0.15 eV below E_F, 1.5 nm from the tube) do the charge trapping.

    Parameters
    ----------
    n_devices : int, optional
        Devices (≥ 1).
    n_traps : int, optional
        Oxide traps per device (1–200000).
    length_um : float, optional
        Gated tube length, µm (> 0).
    temperature_K : float, optional
        Temperature, K.
    rng : numpy.random.Generator, optional
        Seeds the preset's random draws (default: ``default_rng(0)``).

    Returns
    -------
    ChargeTrapTransistor
        The device.

    Raises
    ------
    ValueError
        If an argument is invalid: `length_um` must be > 0; `n_devices` must be >= 1; `n_traps`
        must be >= 1 and <= 200000.
    TypeError
        If an argument has the wrong type: `length_um` is not a real number; `n_devices` or
        `n_traps` are not integers.

    Examples
    --------
    >>> import numpy as np
    >>> type(cnt_transistor(n_traps=100, rng=np.random.default_rng(0))).__name__
    'ChargeTrapTransistor'
    """
    from .. import materials
    hfo2 = materials.get("HfO2")
    L = check_real("length_um", length_um, low=0.0, low_open=True) * 1e-6
    r, t_ox, t_trap = 0.75, 10.0, 1.5
    c_gate = _cylinder_capacitance_per_m(r, r + t_ox, hfo2.permittivity) * L
    c_ctrl = _cylinder_capacitance_per_m(r + t_trap, r + t_ox, hfo2.permittivity) * L
    return _trap_preset(n_devices=check_int("n_devices", n_devices, low=1),
                        n_traps=check_int("n_traps", n_traps, low=1, high=200_000),
                        mean_depth_eV=0.6, spread_eV=0.15, trap_area_m2=(1.0 * nm)**2,
                        tunnel_nm=t_trap, barrier_eV=hfo2.conduction_band_offset_Si_eV,
                        tunnel_mass=hfo2.tunneling_mass, electrode_mass=0.1, fermi_eV=0.1,
                        alpha=math.log((r + t_trap) / r) / math.log((r + t_ox) / r),
                        c_ctrl_F=c_ctrl, c_gate_F=c_gate, mobility=0.1, length_m=L,
                        threshold_V=0.0, read_V=0.5, temperature_K=temperature_K, rng=rng,
                        name="CNT charge-trap transistor",
                        sources={"oxide": "HfO2 (data/materials.toml)",
                                 "traps": "0.6 +- 0.15 eV deep, 1.5 nm from the tube, 1 nm^2 "
                                          "tunnel area (assumed)",
                                 "tube": "1.5 nm diameter, mobility 1000 cm^2/Vs (assumed)"})


def nanowire_transistor(*, n_devices: int = 1, n_traps: int = 4000, length_um: float = 2.0,
                        temperature_K: float = 300.0,
                        rng: np.random.Generator | None = None) -> ChargeTrapTransistor:
    """InP nanowire (20 nm radius) under a 30-nm SiO2 back gate, with redox molecules (CoPc-like:
    one narrow level 0.8 ± 0.05 eV below E_F) bound to its surface through a 1-nm linker.

    Parameters
    ----------
    n_devices : int, optional
        Devices (≥ 1).
    n_traps : int, optional
        Molecules per device (1–200000).
    length_um : float, optional
        Gated wire length, µm (> 0).
    temperature_K : float, optional
        Temperature, K.
    rng : numpy.random.Generator, optional
        Seeds the preset's random draws (default: ``default_rng(0)``).

    Returns
    -------
    ChargeTrapTransistor
        The device.

    Raises
    ------
    ValueError
        If an argument is invalid: `length_um` must be > 0; `n_devices` must be >= 1; `n_traps`
        must be >= 1 and <= 200000.
    TypeError
        If an argument has the wrong type: `length_um` is not a real number; `n_devices` or
        `n_traps` are not integers.

    Examples
    --------
    >>> import numpy as np
    >>> type(nanowire_transistor(n_traps=100, rng=np.random.default_rng(0))).__name__
    'ChargeTrapTransistor'
    """
    from .. import materials
    sio2, inp = materials.get("SiO2"), materials.get("InP")
    L = check_real("length_um", length_um, low=0.0, low_open=True) * 1e-6
    r, t_ox, t_link = 20.0, 30.0, 1.0
    c_gate = _cylinder_capacitance_per_m(r, r + t_ox, sio2.permittivity) * L
    c_ctrl = _cylinder_capacitance_per_m(r + t_link, r + t_ox, sio2.permittivity) * L
    return _trap_preset(n_devices=check_int("n_devices", n_devices, low=1),
                        n_traps=check_int("n_traps", n_traps, low=1, high=200_000),
                        mean_depth_eV=0.8, spread_eV=0.05, trap_area_m2=(1.0 * nm)**2,
                        tunnel_nm=t_link, barrier_eV=2.0, tunnel_mass=0.5,
                        electrode_mass=inp.electron_mass, fermi_eV=0.05,
                        alpha=math.log((r + t_link) / r) / math.log((r + t_ox) / r),
                        c_ctrl_F=c_ctrl, c_gate_F=c_gate, mobility=0.05, length_m=L,
                        threshold_V=0.0, read_V=1.0, temperature_K=temperature_K, rng=rng,
                        name="InP nanowire + redox molecules",
                        sources={"gate oxide": "SiO2 (data/materials.toml)",
                                 "wire": "InP (data/materials.toml), 20 nm radius, mobility "
                                         "500 cm^2/Vs (assumed)",
                                 "molecules": "level 0.8 +- 0.05 eV below E_F, 1 nm linker "
                                              "barrier 2 eV, m = 0.5 (assumed)"})


PRESETS = {"qd_film": qd_film, "cnt": cnt_transistor, "nanowire": nanowire_transistor}
