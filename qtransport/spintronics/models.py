"""Registered spintronic models (sweeps, configs, ``qtransport run-model``)."""
from __future__ import annotations

import math

import numpy as np

from ..errors import MAX_BIAS_V, MAX_LENGTH_NM, MAX_TEMPERATURE_K, check_work
from ..registry import Param, register
from ..results import Result
from . import domain_wall as dw
from .mtj import cofeb_mtj, julliere_tmr

__all__ = ["mtj_tmr", "wall_velocity"]


@register("spintronics.mtj_tmr", summary="CoFeB/barrier/CoFeB free-electron MTJ: J_P, J_AP and "
          "TMR vs bias (exact transfer matrix, Tsu-Esaki per spin channel) beside Julliere",
          params=[
              Param("barrier", str, default="MgO", choices=("MgO", "Al2O3"),
                    doc="barrier material"),
              Param("thickness_nm", float, default=1.2, low=0.1, high=MAX_LENGTH_NM,
                    doc="barrier thickness, nm"),
              Param("biases_V", "array", default=(0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8,
                                                  1.0), low=0.0, low_open=True, high=MAX_BIAS_V,
                    doc="positive biases, V"),
              Param("temperature_K", float, default=300.0, low=0.0, high=MAX_TEMPERATURE_K,
                    doc="temperature, K")])
def mtj_tmr(*, barrier: str = "MgO", thickness_nm: float = 1.2,
            biases_V=(0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0),
            temperature_K: float = 300.0) -> Result:
    """TMR(V) = J_P/J_AP − 1; Slonczewski's P_eff and the Jullière TMR it implies.

    Parameters
    ----------
    barrier : {"MgO", "Al2O3"}, optional
        Barrier material.
    thickness_nm : float, optional
        Barrier thickness, nm (> 0).
    biases_V : array_like, optional
        Positive biases, V.
    temperature_K : float, optional
        Temperature, K (≥ 0).

    Returns
    -------
    Result
        ``bias_V`` (V), ``current_density_P_A_per_m2`` and ``current_density_AP_A_per_m2`` (A/m²),
        ``tmr`` (dimensionless), the polarizations, ``julliere_tmr``, ``resistance_area_P_ohm_m2``
        (Ω m²), ``barrier_height_eV`` (eV) and ``barrier_mass`` (m_e).

    Examples
    --------
    The Jullière TMR is 2P²/(1 − P²) of Slonczewski's P_eff, and the resistance–area product
    grows as e^{2κd} with κ = √(2m*φ)/ħ (the decay constant from two thicknesses is within 10 %
    of κ; the rest is the thickness dependence of the prefactor):

    >>> import math
    >>> from qtransport.constants import e, hbar, m_e
    >>> a = mtj_tmr(thickness_nm=2.0, biases_V=(0.01,))
    >>> b = mtj_tmr(thickness_nm=2.5, biases_V=(0.01,))
    >>> P = float(a.slonczewski_polarization)
    >>> bool(abs(a.julliere_tmr - 2 * P**2 / (1 - P**2)) < 1e-12)
    True
    >>> kappa = math.sqrt(2 * a.barrier_mass * m_e * a.barrier_height_eV * e) / hbar   # 1/m
    >>> decay = math.log(b.resistance_area_P_ohm_m2 / a.resistance_area_P_ohm_m2) / (2 * 0.5e-9)
    >>> bool(abs(decay / kappa - 1) < 0.1)
    True
    """
    params = {k: v for k, v in locals().items()}
    m = cofeb_mtj(barrier, thickness_nm, temperature_K=temperature_K)
    v = np.atleast_1d(np.asarray(biases_V, float))
    jp = m.require_currents("TMR", m.current_density(v, "P"))
    jap = m.require_currents("TMR", m.current_density(v, "AP"))
    p_s = m.slonczewski_polarizations()[0]
    return Result("spintronics.mtj_tmr", params,
                  {"bias_V": v, "current_density_P_A_per_m2": jp,
                   "current_density_AP_A_per_m2": jap, "tmr": jp / jap - 1,
                   "slonczewski_polarization": np.float64(p_s),
                   "normal_incidence_polarization": np.float64(m.effective_polarization()),
                   "integrated_polarization": np.float64(m.effective_polarization(True)),
                   "julliere_tmr": np.float64(julliere_tmr(p_s, p_s)[0]),
                   "resistance_area_P_ohm_m2": np.float64(v[0] / jp[0]),
                   "barrier_height_eV": np.float64(m.barrier_height_eV),
                   "barrier_mass": np.float64(m.barrier_mass)},
                  {"sources": str(m.sources)})


@register("spintronics.wall_velocity", summary="W/CoFeB domain wall (1-D q-phi model): velocity "
          "vs field (Walker) and vs SOT current, integrated beside the analytic limits",
          params=[
              Param("field_ratios", "array", default=(0.25, 0.5, 0.75, 1.5, 3.0, 6.0),
                    low=0.0, low_open=True, high=1e6,
                    doc="fields H/H_W"),
              Param("current_densities_A_per_m2", "array",
                    default=(2e10, 5e10, 1e11, 2e11, 5e11), low=0.0, low_open=True, high=1e14,
                    doc="heavy-metal current densities (H_K included, no field), A/m^2"),
              Param("dt_s", float, default=1e-11, low=1e-18, high=1e-3,
                    doc="RK4 time step, s")])
def wall_velocity(*, field_ratios=(0.25, 0.5, 0.75, 1.5, 3.0, 6.0),
                  current_densities_A_per_m2=(2e10, 5e10, 1e11, 2e11, 5e11),
                  dt_s: float = 1e-11) -> Result:
    """Mean wall velocities from the integrated (q, φ) equations at T = 0, no pinning.

    Field drive without DMI: below H_W after 12 relaxation times 1/(αγ0H_K); above H_W over
    exactly one precession period (exact mean). Current drive with the full H_K and DMI: after
    40 ns, over 5 ns.

    Parameters
    ----------
    field_ratios : array_like, optional
        Fields H/H_W (> 0).
    current_densities_A_per_m2 : array_like, optional
        Heavy-metal current densities, A/m² (> 0).
    dt_s : float, optional
        RK4 time step, s (> 0).

    Returns
    -------
    Result
        Fields (A/m), velocities (m/s, integrated and analytic), current densities (A/m²) and
        ``wall_width_m`` (m).

    Examples
    --------
    The integrated velocities reproduce the steady (below H_W) and precessional (above)
    analytic values, and the current-driven wall stays below the DMI saturation (π/2)γ0ΔH_D
    (m/s); a coarser step than the default keeps this fast:

    >>> import numpy as np
    >>> w = wall_velocity(field_ratios=(0.5, 3.0), current_densities_A_per_m2=(1e11,), dt_s=1e-10)
    >>> bool(np.allclose(w.velocity_field_m_per_s, w.velocity_field_analytic_m_per_s, rtol=1e-4))
    True
    >>> bool(w.velocity_field_m_per_s[1] < w.velocity_field_m_per_s[0])   # Walker breakdown
    True
    >>> bool(0 < w.velocity_current_m_per_s[0] < w.velocity_saturation_m_per_s)
    True
    """
    params = {k: v for k, v in locals().items()}
    base = dw.cofeb_wall(temperature_K=0.0)
    pf = base.with_(dmi_field_A_per_m=0.0)
    hw = dw.walker_field(pf)
    ratios = np.atleast_1d(np.asarray(field_ratios, float))
    J = np.atleast_1d(np.asarray(current_densities_A_per_m2, float))
    if np.any(ratios == 1.0):
        raise ValueError("field_ratios must not contain 1.0: at the Walker field itself the "
                         "wall settles infinitely slowly (no steady or precessional mean "
                         "velocity to measure); take values on either side, e.g. 0.99 or 1.01")
    # (relaxation, measured span) of each field drive, computed once: the step count of every
    # span is checked before the first step, and the loops integrate exactly these spans
    plan = []
    for r in ratios:
        if r < 1:       # steady motion: relax for 12 times 1/(α γ0 H_K √(1 − r²)), then 5 ns
            plan.append((12 / (pf.damping * pf.gamma0 * pf.hard_axis_field_A_per_m
                               * math.sqrt(1 - r * r)), 5e-9))
        else:           # precession: exactly one period from the start
            H = r * hw
            plan.append((0.0, math.pi * (1 + pf.damping**2)
                         / (pf.gamma0 * math.sqrt(H * H - hw * hw))))
    relax_j, span_j = 40e-9, 5e-9
    spans = [x for pair in plan for x in pair if x > 0] + [relax_j, span_j] * J.size
    check_work("max_steps", sum(math.ceil(x / dt_s) for x in spans), dw.MAX_WALL_STEPS,
               unit="RK4 steps", hint=f"dt_s = {dt_s:.3g} s over {sum(spans):.3g} s of dynamics",
               advice="pass a larger dt_s= (the default 1e-11 s resolves the dynamics) or "
                      "field_ratios farther from 1 (the Walker field, where the wall settles "
                      "ever more slowly)")
    v_field = []
    for r, (relax, span) in zip(ratios, plan):
        H = r * hw
        s = dw.WallState(np.zeros(1), np.zeros(1))
        if relax > 0:
            dw.integrate(pf, s, relax, dt_s, field_A_per_m=H)
        q0 = s.q[0]
        dw.integrate(pf, s, span, dt_s, field_A_per_m=H)
        v_field.append((s.q[0] - q0) / span)
    dense = np.linspace(0.0, float(ratios.max()) * hw, 400)
    v_cur = []
    for j in J:
        s = dw.WallState(np.zeros(1), np.zeros(1))
        dw.integrate(base, s, relax_j, dt_s, current_density_A_per_m2=j)
        q0 = s.q[0]
        dw.integrate(base, s, span_j, dt_s, current_density_A_per_m2=j)
        v_cur.append((s.q[0] - q0) / span_j)
    return Result("spintronics.wall_velocity", params,
                  {"field_A_per_m": ratios * hw, "walker_field_A_per_m": np.float64(hw),
                   "velocity_field_m_per_s": np.array(v_field),
                   "velocity_field_analytic_m_per_s": dw.precessional_velocity(pf, ratios * hw),
                   "field_dense_A_per_m": dense,
                   "velocity_dense_analytic_m_per_s": dw.precessional_velocity(pf, dense),
                   "current_density_A_per_m2": J,
                   "velocity_current_m_per_s": np.abs(v_cur),
                   "velocity_current_no_hk_analytic_m_per_s": np.abs(dw.sot_dmi_velocity(
                       base, J)),
                   "velocity_saturation_m_per_s": np.float64(
                       0.5 * math.pi * base.gamma0 * base.wall_width_m *
                       abs(base.dmi_field_A_per_m)),
                   "wall_width_m": np.float64(base.wall_width_m),
                   "dmi_field_A_per_m": np.float64(base.dmi_field_A_per_m),
                   "hard_axis_field_A_per_m": np.float64(base.hard_axis_field_A_per_m)},
                  {"sources": str(base.sources)})
