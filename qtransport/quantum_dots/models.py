"""Registered quantum-dot models (sweeps, configs, ``qtransport run-model``)."""
from __future__ import annotations

import math

import numpy as np

from ..errors import MAX_BIAS_V, MAX_ENERGY_EV, MAX_TEMPERATURE_K
from .. import materials
from ..constants import e
from ..registry import Param, register
from ..results import Result
from . import charging as ch
from . import confinement as cf
from . import sizing

__all__ = ["size_levels", "coulomb_diamonds", "staircase", "programming", "double_dot"]

DOT_MATERIALS = ("CdSe", "PbS", "InP", "ZnSe", "CsPbBr3")


@register("quantum_dots.size_levels", summary="electron/hole levels and exciton gap of a "
          "spherical dot vs diameter (finite barrier, BenDaniel-Duke, first-order Coulomb), "
          "Brus limit, and the measured CdSe sizing curve", params=[
              Param("material", str, default="CdSe", choices=DOT_MATERIALS,
                    doc="dot material"),
              Param("diameters_nm", "array", default=(2.2, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0,
                                                       8.0), low=0.5, high=50.0,
                    doc="dot diameters, nm"),
              Param("shell", str, default="", choices=("", "ZnS", "ZnSe"),
                    doc="shell material ('' = bare dot)"),
              Param("shell_thickness_nm", float, default=0.0, low=0.0, high=100.0,
                    doc="shell thickness, nm"),
              Param("outside_barrier_eV", float, default=None, low=0.0, low_open=True,
                    optional=True, high=MAX_ENERGY_EV,
                    doc="electron and hole barrier of the outer medium (default: vacuum level)"),
          ])
def size_levels(*, material: str = "CdSe",
                diameters_nm=(2.2, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0), shell: str = "",
                shell_thickness_nm: float = 0.0, outside_barrier_eV: float | None = None
                ) -> Result:
    """Levels vs core diameter; ``measured_gap_eV`` is Yu et al. 2003 (CdSe only, NaN outside
    the fit's window and for other materials).

    Parameters
    ----------
    material : str, optional
        Dot material (one of ``DOT_MATERIALS``).
    diameters_nm : array_like, optional
        Core diameters, nm (0.5–50).
    shell : {"", "ZnS", "ZnSe"}, optional
        Shell material (``""``: bare dot).
    shell_thickness_nm : float, optional
        Shell thickness, nm (≥ 0).
    outside_barrier_eV : float, optional
        Electron and hole barrier of the outer medium, eV (> 0; default: the vacuum level).

    Returns
    -------
    Result
        ``diameter_nm`` (nm) and, in eV, ``gap_eV``, ``electron_eV``, ``hole_eV``,
        ``confinement_e_eV``, ``confinement_h_eV``, ``coulomb_eV``, ``brus_gap_eV``,
        ``measured_gap_eV``, ``bulk_gap_eV``.

    Examples
    --------
    The finite (vacuum) barrier confines less than Brus's infinite well, all gaps lie above
    the bulk gap, and at 5 nm the model meets the measured CdSe sizing curve within 0.01 eV:

    >>> import numpy as np
    >>> r = size_levels(diameters_nm=(3.0, 5.0, 8.0))
    >>> bool(np.all(r.gap_eV < r.brus_gap_eV) and np.all(r.gap_eV > r.bulk_gap_eV))
    True
    >>> bool(abs(r.gap_eV[1] - r.measured_gap_eV[1]) < 0.01)     # eV
    True
    >>> [round(float(g), 2) for g in r.gap_eV]
    [2.46, 2.04, 1.86]
    """
    params = {k: v for k, v in locals().items()}
    core = materials.get(material)
    D = np.atleast_1d(np.asarray(diameters_nm, float))
    rows = []
    for d in D:
        layers = [(core, d / 2)]
        if shell and shell_thickness_nm > 0:
            layers.append((materials.get(shell), d / 2 + shell_thickness_nm))
        ob = None if outside_barrier_eV is None else (outside_barrier_eV, outside_barrier_eV)
        rows.append(cf.exciton_gap(layers, outside_barrier_eV=ob))
    brus = np.array([cf.brus_gap(core.band_gap_eV, d / 2, core.electron_mass, core.hole_mass,
                                 core.permittivity) for d in D])
    lo, hi = sizing.YU_DIAMETER_RANGE_NM
    measured = np.full(D.shape, np.nan)
    if material == "CdSe" and not shell:
        inside = (D >= lo) & (D <= hi)
        if inside.any():
            measured[inside] = sizing.yu_cdse_gap_eV(D[inside])
    data = {"diameter_nm": D, "bulk_gap_eV": np.float64(core.band_gap_eV), "brus_gap_eV": brus,
            "measured_gap_eV": measured}
    for key in ("gap_eV", "electron_eV", "hole_eV", "confinement_e_eV", "confinement_h_eV",
                "coulomb_eV"):
        data[key] = np.array([r[key] for r in rows])
    attrs = {"sources": "; ".join(core.sources), "measured_source": sizing.YU_SOURCE}
    if shell:
        attrs["alignment"] = cf.alignment(core, materials.get(shell))
    return Result("quantum_dots.size_levels", params, data, attrs)


_SET_PARAMS = [
    Param("c1_aF", float, default=1.0, low=1e-3, high=1e6,
          doc="source junction C, aF"),
    Param("c2_aF", float, default=1.0, low=1e-3, high=1e6,
          doc="drain junction C, aF"),
    Param("cg_aF", float, default=0.5, low=1e-3, high=1e6,
          doc="gate C, aF"),
    Param("c0_aF", float, default=0.0, low=0.0, high=1e6,
          doc="capacitance to ground, aF"),
    Param("r1_ohm", float, default=1e6, low=1.0, high=1e15,
          doc="source junction R, ohm"),
    Param("r2_ohm", float, default=1e6, low=1.0, high=1e15,
          doc="drain junction R, ohm"),
    Param("temperature_K", float, default=4.2, low=0.0, low_open=True, high=MAX_TEMPERATURE_K,
          doc="temperature, K"),
]


def _device(c1_aF, c2_aF, cg_aF, c0_aF, r1_ohm, r2_ohm) -> ch.SingleElectronTransistor:
    return ch.SingleElectronTransistor(c1_aF * 1e-18, c2_aF * 1e-18, cg_aF * 1e-18, r1_ohm,
                                       r2_ohm, c0_aF * 1e-18)


@register("quantum_dots.coulomb_diamonds", summary="orthodox-theory stationary current and "
          "differential conductance of a single-electron transistor vs gate and bias",
          params=_SET_PARAMS + [
              Param("n_gate", int, default=161, low=3, high=4001, doc="gate points"),
              Param("n_bias", int, default=121, low=3, high=4001, doc="bias points"),
              Param("gate_periods", float, default=2.0, low=1e-3, high=1e3,
                    doc="gate range in units of e/C_g"),
              Param("bias_span", float, default=1.5, low=1e-3, high=1e3,
                    doc="bias range ± in units of e/C_Σ")])
def coulomb_diamonds(*, c1_aF: float = 1.0, c2_aF: float = 1.0, cg_aF: float = 0.5,
                     c0_aF: float = 0.0, r1_ohm: float = 1e6, r2_ohm: float = 1e6,
                     temperature_K: float = 4.2, n_gate: int = 161, n_bias: int = 121,
                     gate_periods: float = 2.0, bias_span: float = 1.5) -> Result:
    """``current_A`` of shape (n_bias, n_gate) (V1 = V, V2 = 0) and dI/dV.

    Parameters
    ----------
    c1_aF : float, optional
        Source junction capacitance, aF (> 0).
    c2_aF : float, optional
        Drain junction capacitance, aF (> 0).
    cg_aF : float, optional
        Gate capacitance, aF (> 0).
    c0_aF : float, optional
        Capacitance to ground, aF (≥ 0).
    r1_ohm : float, optional
        Source junction resistance, Ω (> 0).
    r2_ohm : float, optional
        Drain junction resistance, Ω (> 0).
    temperature_K : float, optional
        Temperature, K (> 0).
    n_gate : int, optional
        Gate points (3–4001).
    n_bias : int, optional
        Bias points (3–4001).
    gate_periods : float, optional
        Gate range in units of e/C_g (> 0).
    bias_span : float, optional
        Bias range ± in units of e/C_Σ (> 0).

    Returns
    -------
    Result
        ``gate_V`` and ``bias_V`` (V), ``current_A`` (A, n_bias × n_gate), ``conductance_S`` (S),
        ``gate_period_V``, ``half_height_V`` (V) and ``charging_energy_eV`` (eV).

    Examples
    --------
    Gate period e/C_g = 0.32 V and diamond half-height e/C_Σ = 64 mV for the defaults; at the
    centre of the n = 0 diamond the current is blockaded (at least) for |V| < e/2C_Σ (A):

    >>> import numpy as np
    >>> d = coulomb_diamonds(n_gate=21, n_bias=21, temperature_K=1.0)
    >>> d.current_A.shape, round(float(d.gate_period_V), 3), round(float(d.half_height_V), 4)
    ((21, 21), 0.32, 0.0641)
    >>> inside = np.abs(d.bias_V) < 0.5 * d.half_height_V
    >>> bool(np.all(np.abs(d.current_A[inside, 0]) < 1e-20) and d.current_A.max() > 1e-9)
    True
    """
    params = {k: v for k, v in locals().items()}
    dev = _device(c1_aF, c2_aF, cg_aF, c0_aF, r1_ohm, r2_ohm)
    geo = ch.diamond_vertices(dev)
    vg = np.linspace(0.0, gate_periods * geo["gate_period_V"], n_gate)
    V = np.linspace(-bias_span, bias_span, n_bias) * geo["half_height_V"]
    current = dev.current(V[:, None], vg[None, :], temperature_K)
    return Result("quantum_dots.coulomb_diamonds", params,
                  {"gate_V": vg, "bias_V": V, "current_A": current,
                   "conductance_S": np.gradient(current, V, axis=0),
                   "gate_period_V": np.float64(geo["gate_period_V"]),
                   "half_height_V": np.float64(geo["half_height_V"]),
                   "charging_energy_eV": np.float64(geo["charging_energy_eV"])}, {})


@register("quantum_dots.staircase", summary="Coulomb staircase I-V of an asymmetric "
          "single-electron transistor, with the single-junction asymptote (V - e/2C)/R",
          params=[
              Param("c1_aF", float, default=0.5, low=1e-3, high=1e6,
                    doc="source junction C, aF"),
              Param("c2_aF", float, default=2.0, low=1e-3, high=1e6,
                    doc="drain junction C, aF"),
              Param("cg_aF", float, default=0.1, low=1e-3, high=1e6,
                    doc="gate C, aF"),
              Param("r1_ohm", float, default=1e6, low=1.0, high=1e15,
                    doc="source junction R, ohm"),
              Param("r2_ohm", float, default=1e8, low=1.0, high=1e15,
                    doc="drain junction R, ohm"),
              Param("temperature_K", float, default=1.0, low=0.0, low_open=True, high=MAX_TEMPERATURE_K,
                    doc="temperature, K"),
              Param("gate_V", float, default=0.0, low=-MAX_BIAS_V, high=MAX_BIAS_V,
                    doc="gate voltage, V"),
              Param("max_bias_V", float, default=0.4, low=0.0, low_open=True, high=MAX_BIAS_V,
                    doc="largest bias, V"),
              Param("n_bias", int, default=801, low=3, high=20001, doc="bias points")])
def staircase(*, c1_aF: float = 0.5, c2_aF: float = 2.0, cg_aF: float = 0.1,
              r1_ohm: float = 1e6, r2_ohm: float = 1e8, temperature_K: float = 1.0,
              gate_V: float = 0.0, max_bias_V: float = 0.4, n_bias: int = 801) -> Result:
    """I(V) of the dot (steps of e/C2 in bias when R2 ≫ R1) and a lone junction's I(V).

    Parameters
    ----------
    c1_aF : float, optional
        Source junction capacitance, aF (> 0).
    c2_aF : float, optional
        Drain junction capacitance, aF (> 0).
    cg_aF : float, optional
        Gate capacitance, aF (> 0).
    r1_ohm : float, optional
        Source junction resistance, Ω (> 0).
    r2_ohm : float, optional
        Drain junction resistance, Ω (> 0).
    temperature_K : float, optional
        Temperature, K (> 0).
    gate_V : float, optional
        Gate voltage, V.
    max_bias_V : float, optional
        Largest bias, V (> 0).
    n_bias : int, optional
        Bias points (3–20001).

    Returns
    -------
    Result
        ``bias_V`` (V), ``current_A`` and ``single_junction_current_A`` (A), ``step_V`` and
        ``single_junction_threshold_V`` (V), ``charging_energy_eV`` (eV).

    Examples
    --------
    With R2 ≫ R1 the steps are e/(C2 + C_g) apart (V), and the lone junction follows its
    offset-ohmic asymptote (V − e/2C)/R well above the threshold e/2C:

    >>> s = staircase(n_bias=201)
    >>> round(float(s.step_V), 4), round(float(s.single_junction_threshold_V), 4)
    (0.0763, 0.1602)
    >>> ohmic = (s.bias_V[-1] - s.single_junction_threshold_V) / 1e6          # A
    >>> bool(abs(s.single_junction_current_A[-1] / ohmic - 1) < 1e-6)
    True
    """
    params = {k: v for k, v in locals().items()}
    dev = _device(c1_aF, c2_aF, cg_aF, 0.0, r1_ohm, r2_ohm)
    V = np.linspace(0.0, max_bias_V, n_bias)
    I = dev.current(V, gate_V, temperature_K)
    c = c1_aF * 1e-18
    single = ch.single_junction_current(V, c, r1_ohm, temperature_K)
    return Result("quantum_dots.staircase", params,
                  {"bias_V": V, "current_A": I, "single_junction_current_A": single,
                   "step_V": np.float64(e / (dev.c2_F + dev.cg_F) if dev.r2_ohm >= dev.r1_ohm
                                        else e / (dev.c1_F + dev.cg_F)),
                   "single_junction_threshold_V": np.float64(e / (2 * c)),
                   "charging_energy_eV": np.float64(dev.charging_energy_eV)},
                  {"note": "step e/(C + C_g) with C the capacitance of the slow (high-R) "
                           "junction; single junction in a high-impedance environment"})


@register("quantum_dots.programming", summary="charge-trap programming: trapped fraction and "
          "threshold shift vs pulse number for several gate amplitudes (mean field), and the "
          "retention decay at V_G = 0", params=[
              Param("preset", str, default="qd_film", choices=("qd_film", "cnt", "nanowire"),
                    doc="device preset"),
              Param("amplitude_fractions", "array", default=(0.5, 0.75, 1.0, 1.25), low=0.0,
                    low_open=True, high=1e3,
                    doc="program amplitudes in units of the default V_p"),
              Param("n_pulses", int, default=32, low=1, high=100_000, doc="pulses per train"),
              Param("n_traps", int, default=2000, low=1, high=200_000,
                    doc="traps (cnt, nanowire) — qd_film: dots from density × area"),
              Param("n_times", int, default=60, low=2, high=10_000,
                    doc="points of the retention curve"),
              Param("seed", int, default=0, low=0, doc="ensemble draw")])
def programming(*, preset: str = "qd_film", amplitude_fractions=(0.5, 0.75, 1.0, 1.25),
                n_pulses: int = 32, n_traps: int = 2000, n_times: int = 60,
                seed: int = 0) -> Result:
    """Erase-from-equilibrium then program trains; ``trapped_fraction`` (n_amp, n_pulses + 1).

    Parameters
    ----------
    preset : {"qd_film", "cnt", "nanowire"}, optional
        Device preset.
    amplitude_fractions : array_like, optional
        Program amplitudes in units of the default V_p (> 0).
    n_pulses : int, optional
        Pulses per train (1–100000).
    n_traps : int, optional
        Traps (cnt, nanowire; 1–200000); qd_film: dots from density × area.
    n_times : int, optional
        Points of the retention curve (2–10000).
    seed : int, optional
        Seed of the ensemble draw (≥ 0).

    Returns
    -------
    Result
        ``pulse_number``, ``amplitude_V`` (V), ``trapped_fraction``, ``threshold_shift_V`` (V),
        ``tunnelled_electrons``, ``pulse_width_s`` (s), ``retention_time_s`` (s),
        ``retention_trapped_fraction`` and ``relaxation_time_s`` (s).

    Examples
    --------
    Each program train raises the trapped fraction monotonically from the erased state, a
    larger amplitude programs further, and the threshold shift follows the trapped charge:

    >>> import numpy as np
    >>> p = programming(n_pulses=8, n_times=5)
    >>> f = p.trapped_fraction                                  # (amplitudes, pulses + 1)
    >>> f.shape, bool(np.all(np.diff(f, axis=1) > 0))
    ((4, 9), True)
    >>> bool(np.all(np.diff(f[:, -1]) > 0) and f[-1, -1] > 0.99)
    True
    >>> bool(np.all(np.diff(p.threshold_shift_V[:, -1]) > 0))  # V
    True
    """
    params = {k: v for k, v in locals().items()}
    from . import charge_trap as ct
    rng = np.random.default_rng(seed)
    dev = ct.qd_film(rng=rng) if preset == "qd_film" else ct.PRESETS[preset](n_traps=n_traps,
                                                                             rng=rng)
    tr = dev.traps
    vp, width = ct.default_pulses(dev, n_pulses)
    fr = np.atleast_1d(np.asarray(amplitude_fractions, float))
    start = tr.run(tr.equilibrium(0.0), np.full(n_pulses, -vp), width)[0][-1]
    frac, dvth, charge = [], [], []
    for f in fr:
        p, dn = tr.run(start, np.full(n_pulses, f * vp), width)
        frac.append(p.mean(axis=(1, 2)))
        dvth.append(dev.threshold_shift(p)[:, 0])
        charge.append(np.concatenate([[0.0], np.cumsum(dn.sum(axis=(1, 2)))]))
    tau = float(tr.relaxation_time(start, 0.0)[0])
    t = np.geomspace(1e-3 * tau, 1e3 * tau, n_times) if math.isfinite(tau) else \
        np.geomspace(1e-9, 1e9, n_times)
    gin, gout = tr.rates(0.0)
    g, peq = gin + gout, gin / (gin + gout)
    decay = (peq + (start - peq) * np.exp(-g * t[:, None, None])).mean(axis=(1, 2))
    return Result("quantum_dots.programming", params,
                  {"pulse_number": np.arange(n_pulses + 1), "amplitude_V": fr * vp,
                   "trapped_fraction": np.array(frac), "threshold_shift_V": np.array(dvth),
                   "tunnelled_electrons": np.array(charge), "pulse_width_s": np.float64(width),
                   "retention_time_s": np.array(t), "retention_trapped_fraction": decay,
                   "relaxation_time_s": np.float64(tau)}, {"device": dev.name,
                                                          "sources": str(dev.sources)})


@register("quantum_dots.double_dot", summary="stability diagram of a double dot in series: "
          "stationary current vs the two gate voltages at a small bias (orthodox theory)",
          params=[
              Param("c_junction_aF", float, default=1.0, low=1e-3, high=1e6,
                    doc="outer junction capacitances, aF"),
              Param("c_interdot_aF", float, default=0.5, low=1e-3, high=1e6,
                    doc="inter-dot junction capacitance, aF"),
              Param("cg_aF", float, default=0.5, low=1e-3, high=1e6,
                    doc="gate capacitance of each dot, aF"),
              Param("r_ohm", float, default=1e6, low=1.0, high=1e15,
                    doc="every junction's resistance, ohm"),
              Param("bias_V", float, default=1e-3, low=-MAX_BIAS_V, high=MAX_BIAS_V,
                    doc="source-drain bias, V"),
              Param("temperature_K", float, default=1.0, low=0.0, low_open=True, high=MAX_TEMPERATURE_K,
                    doc="temperature, K"),
              Param("n_gate", int, default=41, low=3, high=201, doc="points per gate axis"),
              Param("gate_periods", float, default=2.0, low=1e-3, high=1e3,
                    doc="gate range in units of e/C_g")])
def double_dot(*, c_junction_aF: float = 1.0, c_interdot_aF: float = 0.5, cg_aF: float = 0.5,
               r_ohm: float = 1e6, bias_V: float = 1e-3, temperature_K: float = 1.0,
               n_gate: int = 41, gate_periods: float = 2.0) -> Result:
    """``current_A`` of shape (n_gate, n_gate): rows gate 1, columns gate 2 (triple points).

    Parameters
    ----------
    c_junction_aF : float, optional
        Outer junction capacitances, aF (> 0).
    c_interdot_aF : float, optional
        Inter-dot junction capacitance, aF (> 0).
    cg_aF : float, optional
        Gate capacitance of each dot, aF (> 0).
    r_ohm : float, optional
        Every junction's resistance, Ω (> 0).
    bias_V : float, optional
        Source–drain bias, V.
    temperature_K : float, optional
        Temperature, K (> 0).
    n_gate : int, optional
        Points per gate axis (3–201).
    gate_periods : float, optional
        Gate range in units of e/C_g (> 0).

    Returns
    -------
    Result
        ``gate1_V``, ``gate2_V`` (V), ``current_A`` (A, n_gate × n_gate), ``gate_period_V`` (V).

    Examples
    --------
    Current flows only at the triple points of the honeycomb (eight grid points here, the
    rest is blockaded below 1e-14 of the peak); the diagram repeats with the gate period e/C_g
    and is symmetric under exchange of the gates for this symmetric device:

    >>> import numpy as np
    >>> dd = double_dot(n_gate=11, bias_V=5e-3, temperature_K=4.2)
    >>> c = dd.current_A                                         # A
    >>> int(np.sum(c > 1e-3 * c.max()))
    8
    >>> bool(np.allclose(c[:6, :6], c[5:, 5:], rtol=0, atol=1e-9 * c.max()))   # one period
    True
    >>> bool(np.allclose(c, c.T, rtol=0, atol=1e-9 * c.max()))
    True
    """
    params = {k: v for k, v in locals().items()}
    cj, ci, cg = c_junction_aF * 1e-18, c_interdot_aF * 1e-18, cg_aF * 1e-18
    chain = ch.DotChain((cj, ci, cj), (r_ohm, r_ohm, r_ohm), (cg, cg))
    vg = np.linspace(0.0, gate_periods * e / cg, n_gate)
    current = np.array([[chain.steady_state(bias_V, 0.0, [a, b], temperature_K,
                                            half_width=2)[2][0] for b in vg] for a in vg])
    return Result("quantum_dots.double_dot", params,
                  {"gate1_V": vg, "gate2_V": vg, "current_A": current,
                   "gate_period_V": np.float64(e / cg)}, {})
