"""Registered ferroelectric models (sweeps, configs, ``qtransport run-model``)."""
from __future__ import annotations

import numpy as np

from ..errors import MAX_BIAS_V, MAX_FIELD_V_PER_M, MAX_LENGTH_NM
from ..constants import nm
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from . import fefet as _fefet
from . import ftj as _ftj
from . import switching as sw

__all__ = ["switched_fraction", "pe_loop_model", "ftj_ter", "fefet_transfer"]


@register("ferroelectric.switched_fraction", summary="HZO switched fraction vs pulse number "
          "(NLS/Merz, history carried between pulses) for several pulse amplitudes", params=[
              Param("amplitudes_V", "array", default=(0.9, 1.0, 1.1, 1.2, 1.4), low=0.0,
                    low_open=True, high=MAX_BIAS_V, doc="pulse amplitudes across the film, V"),
              Param("thickness_nm", float, default=10.0, low=0.1, high=MAX_LENGTH_NM,
                    doc="film thickness, nm"),
              Param("pulse_width_s", float, default=1e-7, low=0.0, low_open=True, high=1e6,
                    doc="pulse width, s"),
              Param("n_pulses", int, default=64, low=1, high=10**5, doc="pulses per train"),
              Param("n_domains", int, default=2000, low=1, high=10**6, doc="switching regions")])
def switched_fraction(*, amplitudes_V=(0.9, 1.0, 1.1, 1.2, 1.4), thickness_nm: float = 10.0,
                      pulse_width_s: float = 1e-7, n_pulses: int = 64,
                      n_domains: int = 2000) -> Result:
    """Up-fraction after 0 … n_pulses identical pulses from the saturated down state (mean field,
    quantile activation fields); ``switched_fraction`` has shape (n_amplitudes, n_pulses + 1).

    Parameters
    ----------
    amplitudes_V : array_like, optional
        Pulse amplitudes across the film, V (> 0).
    thickness_nm : float, optional
        Film thickness, nm (> 0).
    pulse_width_s : float, optional
        Pulse width, s (> 0).
    n_pulses : int, optional
        Pulses per train (≥ 1).
    n_domains : int, optional
        Switching regions (≥ 1).

    Returns
    -------
    Result
        ``pulse_number``, ``amplitude_V`` (V) and ``switched_fraction`` (dimensionless, 0–1).
    """
    params = {k: v for k, v in locals().items()}
    hzo = sw.hzo_switching()
    Ea = sw.activation_fields(hzo, n_domains)
    amps = np.atleast_1d(np.asarray(amplitudes_V, float))
    out = []
    for v in amps:
        film = sw.NLSFilm(hzo, Ea)
        row = [0.0]
        for _ in range(n_pulses):
            film.apply(v / (thickness_nm * nm), pulse_width_s)
            row.append(float(film.up_fraction()[0]))
        out.append(row)
    return Result("ferroelectric.switched_fraction", params,
                  {"pulse_number": np.arange(n_pulses + 1), "amplitude_V": amps,
                   "switched_fraction": np.array(out)}, {"sources": str(hzo.sources)})


@register("ferroelectric.pe_loop", summary="quasi-static P-E loop of an HZO film (NLS/Merz)",
          params=[Param("max_field_V_per_m", float, default=3e8, low=0.0, low_open=True,
                        high=MAX_FIELD_V_PER_M,
                        doc="loop amplitude, V/m"),
                  Param("sweep_rate_V_per_m_s", float, default=1e10, low=1.0, high=1e20,
                        doc="ramp rate, V/(m s)"),
                  Param("n_steps", int, default=200, low=4, high=10**5, doc="steps per quarter period"),
                  Param("n_domains", int, default=2000, low=1, high=10**6, doc="switching regions")])
def pe_loop_model(*, max_field_V_per_m: float = 3e8, sweep_rate_V_per_m_s: float = 1e10,
                  n_steps: int = 200, n_domains: int = 2000) -> Result:
    """P(E) of the closed loop and the coercive field implied by the median activation field.

    Parameters
    ----------
    max_field_V_per_m : float, optional
        Loop amplitude, V/m (> 0).
    sweep_rate_V_per_m_s : float, optional
        Field ramp rate, V/(m s) (> 0).
    n_steps : int, optional
        Steps per quarter period (≥ 4).
    n_domains : int, optional
        Switching regions (≥ 1).

    Returns
    -------
    Result
        ``field_V_per_m`` (V/m), ``polarization_C_per_m2`` and ``switched_polarization_C_per_m2``
        (C/m²), ``implied_coercive_field_V_per_m`` (V/m), ``remanent_polarization_C_per_m2``.
    """
    params = {k: v for k, v in locals().items()}
    hzo = sw.hzo_switching()
    dwell = max_field_V_per_m / n_steps / sweep_rate_V_per_m_s
    loop = sw.pe_loop(hzo, sw.activation_fields(hzo, n_domains), max_field_V_per_m, n_steps,
                      dwell)
    return Result("ferroelectric.pe_loop", params,
                  {"field_V_per_m": loop["field_V_per_m"],
                   "polarization_C_per_m2": loop["polarization_C_per_m2"][:, 0],
                   "switched_polarization_C_per_m2":
                       loop["switched_polarization_C_per_m2"][:, 0],
                   "implied_coercive_field_V_per_m":
                       np.float64(sw.implied_coercive_field(hzo, sweep_rate_V_per_m_s)),
                   "remanent_polarization_C_per_m2":
                       np.float64(hzo.remanent_polarization_C_per_m2)}, {})


@register("ferroelectric.ftj_ter", summary="HZO tunnel junction: Thomas-Fermi barrier, "
          "Tsu-Esaki conductance and TER vs polarization", params=[
              Param("thickness_nm", float, default=2.0, low=0.1, high=MAX_LENGTH_NM,
                    doc="HZO thickness, nm"),
              Param("left", str, default="TiN", doc="electrode 1 material"),
              Param("right", str, default="Si(n+)", doc="electrode 2 material"),
              Param("n_polarizations", int, default=9, low=2, high=10**4, doc="P points in [0, P_r]"),
              Param("read_bias_V", float, default=0.01, low=1e-6, high=MAX_BIAS_V,
                    doc="read bias, V")])
def ftj_ter(*, thickness_nm: float = 2.0, left: str = "TiN", right: str = "Si(n+)",
            n_polarizations: int = 9, read_bias_V: float = 0.01) -> Result:
    """G(±P)/A and TER(P) = G_high/G_low − 1 for |P| from 0 to P_r.

    Parameters
    ----------
    thickness_nm : float, optional
        HZO thickness, nm (> 0).
    left : str, optional
        Electrode 1 material.
    right : str, optional
        Electrode 2 material.
    n_polarizations : int, optional
        P points in [0, P_r] (≥ 2).
    read_bias_V : float, optional
        Read bias, V (> 0).

    Returns
    -------
    Result
        ``polarization_C_per_m2`` (C/m²), ``conductance_up_S_per_m2`` and
        ``conductance_down_S_per_m2`` (S/m²), ``ter`` (dimensionless).
    """
    params = {k: v for k, v in locals().items()}
    junction = _ftj.hzo_ftj(thickness_nm, left, right, read_bias_V=read_bias_V)
    P = np.linspace(0.0, junction.remanent_polarization_C_per_m2, n_polarizations)
    g_up = junction.require_conductances("TER", junction.conductance_per_area(P))
    g_dn = junction.require_conductances("TER", junction.conductance_per_area(-P))
    ter = np.maximum(g_up, g_dn) / np.minimum(g_up, g_dn) - 1
    return Result("ferroelectric.ftj_ter", params,
                  {"polarization_C_per_m2": P, "conductance_up_S_per_m2": g_up,
                   "conductance_down_S_per_m2": g_dn, "ter": ter}, {
                      "sources": str(junction.sources)})


@register("ferroelectric.fefet_transfer", summary="HZO/a-IGZO FeFET I_D-V_G curves for several "
          "programmed polarizations and a switching double sweep", params=[
              Param("fe_thickness_nm", float, default=10.0, low=0.1, high=MAX_LENGTH_NM,
                    doc="HZO thickness, nm"),
              Param("polarization_fractions", "array", default=(-1.0, -0.5, 0.0, 0.5, 1.0),
                    low=-1.0, high=1.0, doc="programmed P / P_r"),
              Param("max_gate_V", float, default=4.0, low=0.0, low_open=True, high=MAX_BIAS_V,
                    doc="sweep amplitude, V"),
              Param("n_steps", int, default=200, low=4, high=10**5, doc="steps per quarter sweep"),
              Param("sweep_rate_V_per_m_s", float, default=1e10, low=1.0, high=1e20,
                    doc="field ramp rate of the double sweep")])
def fefet_transfer(*, fe_thickness_nm: float = 10.0,
                   polarization_fractions=(-1.0, -0.5, 0.0, 0.5, 1.0), max_gate_V: float = 4.0,
                   n_steps: int = 200, sweep_rate_V_per_m_s: float = 1e10) -> Result:
    """Frozen-P transfer curves (``drain_current_A``: n_P × n_V) and a switching double sweep.

    Parameters
    ----------
    fe_thickness_nm : float, optional
        HZO thickness, nm (> 0).
    polarization_fractions : array_like, optional
        Programmed P / P_r, each in [−1, 1].
    max_gate_V : float, optional
        Double-sweep amplitude, V (> 0).
    n_steps : int, optional
        Steps per quarter sweep (≥ 4).
    sweep_rate_V_per_m_s : float, optional
        Field ramp rate of the double sweep, V/(m s) (> 0).

    Returns
    -------
    Result
        ``gate_V`` (V), ``polarization_C_per_m2`` (C/m²), ``drain_current_A`` (A, n_P × n_V),
        ``threshold_V`` (V), the sweep arrays and ``ideal_memory_window_V`` (V).

    Raises
    ------
    ValueError
        If an argument is invalid: polarization_fractions must have at most 10000 values.
    """
    params = {k: v for k, v in locals().items()}
    stack = _fefet.hzo_igzo_stack(fe_thickness_nm)
    hzo = sw.hzo_switching()
    fr = np.atleast_1d(np.asarray(polarization_fractions, float))
    if fr.size > 10**4:           # n_P × 801 gate points are held at once
        raise ValueError(f"polarization_fractions must have at most 10000 values, got {fr.size}")
    P = fr * hzo.remanent_polarization_C_per_m2
    vg = np.linspace(-8.0, 8.0, 801)
    frozen = stack.drain_current(vg[None, :], P[:, None])
    dwell = max_gate_V / n_steps / (fe_thickness_nm * nm) / sweep_rate_V_per_m_s
    sweep = _fefet.transfer_sweep(stack, sw.NLSFilm(hzo, sw.activation_fields(hzo, 2000)),
                                  max_gate_V, n_steps, dwell)
    return Result("ferroelectric.fefet_transfer", params,
                  {"gate_V": vg, "polarization_C_per_m2": P, "drain_current_A": frozen,
                   "threshold_V": stack.threshold_voltage(P),
                   "sweep_gate_V": sweep["gate_V"],
                   "sweep_polarization_C_per_m2": sweep["polarization_C_per_m2"][:, 0],
                   "sweep_drain_current_A": sweep["drain_current_A"][:, 0],
                   "ideal_memory_window_V": np.float64(
                       2 * hzo.remanent_polarization_C_per_m2 / stack.capacitance_F_per_m2)},
                  {"sources": str(stack.sources)})


_declare("ferroelectric.switched_fraction", coords=("amplitude_V", "pulse_number"),
         dims={"switched_fraction": ("amplitude_V", "pulse_number")}, x="pulse_number",
         y=("switched_fraction",))
_declare("ferroelectric.pe_loop", dims={k: ("sample",) for k in (
    "field_V_per_m", "polarization_C_per_m2", "switched_polarization_C_per_m2")},
    x="field_V_per_m", y=("polarization_C_per_m2",))
_declare("ferroelectric.ftj_ter", dims={k: ("state",) for k in (
    "conductance_down_S_per_m2", "conductance_up_S_per_m2", "polarization_C_per_m2", "ter")},
    x="polarization_C_per_m2", y=("ter",), style="points", yscale="log")
_declare("ferroelectric.fefet_transfer", coords=("gate_V",),
         dims={"drain_current_A": ("state", "gate_V"), "polarization_C_per_m2": ("state",),
               "threshold_V": ("state",), "sweep_drain_current_A": ("sweep",),
               "sweep_gate_V": ("sweep",), "sweep_polarization_C_per_m2": ("sweep",)},
         y=("drain_current_A",), yscale="log")
