"""Pipeline stage: spintronic synapses (MTJ-read domain-wall track, skyrmion synapse).

Orchestration only: the physics results are registered model calls (``spintronics.*``,
distributed with ``ctx.map``); the device responses come from the device families
:class:`qtransport.devices.spintronic.DomainWallSynapse` and
:class:`~qtransport.devices.spintronic.SkyrmionSynapse` (``domain_wall/device_response``,
``skyrmion/device_response``, read by the synapse stage). The same families read through the
comparison barrier (``compare_barrier``) are kept as ``<family>_<barrier>/device_record`` for
the summary (not a second table row).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import MAX_STAGE_COUNT
from ...errors import check_choice, check_int, check_real
from ...results import Result
from ..catalog import run_model
from ..figures import (FigureSaver, label_log_ticks, nonlinearity_text as _ap, scaled_unit,
                       sci_tex, si_text)

__all__ = ["DEFAULTS", "FEEDS", "plan", "validate", "run", "figures", "summary", "LITERATURE"]

DEFAULTS = {
    "n_pulses": 32,                   # pulses per LTP / LTD branch
    "pulse_width_s": 8e-9,            # the write-pulse width of the literature DW device
    "n_devices": 5,                   # notch / barrier draws → device-to-device spread
    "n_cycles": 8,                    # thermal-noise / event draws of device 0 → c2c
    "barrier": "MgO",                 # MTJ read barrier of the table rows
    "compare_barrier": "Al2O3",       # second read barrier for the summary ("" = none)
    "barrier_thickness_nm": 1.2,
    "read_bias_V": 0.1,
    "temperature_K": 300.0,
    "n_notches": 32,                  # domain-wall track
    "depinning_field_A_per_m": 800.0,
    "skyrmion_sites": 16,             # skyrmion read region
    "read_noise_rel": 0.01,
    "tmr_biases_V": [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0],
    "seed": 0,
}

#: the family / model parameter each key feeds (type and range checked with the key path)
FEEDS = {
    "n_pulses": ("device:domain_wall", "n_pulses"),
    "pulse_width_s": ("device:domain_wall", "pulse_width_s"),
    "n_devices": ("device:domain_wall", "n_devices"),
    "n_cycles": ("device:domain_wall", "n_cycles"),
    "barrier_thickness_nm": ("spintronics.mtj_tmr", "thickness_nm"),
    "read_bias_V": ("device:domain_wall", "read_bias_V"),
    "temperature_K": ("spintronics.mtj_tmr", "temperature_K"),
    "n_notches": ("device:domain_wall", "n_notches"),
    "depinning_field_A_per_m": ("device:domain_wall", "depinning_field_A_per_m"),
    "skyrmion_sites": ("device:skyrmion", "n_sites"),
    "read_noise_rel": ("device:domain_wall", "read_noise_rel"),
    "tmr_biases_V": ("spintronics.mtj_tmr", "biases_V"),
}

#: literature numbers the report quotes beside the model's (review section 3.3)
LITERATURE = {
    "domain_wall": "8 ns pulses, 1-16 pJ per update, multi-level linear weights "
                   "(Siddiqui et al., Nano Lett. 20, 1033 (2020))",
    "skyrmion": "~89 % pattern-recognition accuracy in chip-level simulation "
                "(Song et al., Nat. Electron. 3, 148 (2020))",
    "network": "> 93 % classification with MgO/CoFeB/W synapses and neurons "
               "(Yang et al., NPG Asia Mater. 13, 11 (2021))",
}


def validate(cfg: dict) -> None:
    """Range checks of the [spintronic] section.

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError, TypeError
        A key out of range or inconsistent with another (the message names the key).
    """
    check_choice("spintronic.barrier", cfg["barrier"], ("MgO", "Al2O3"))
    check_choice("spintronic.compare_barrier", cfg["compare_barrier"], ("", "MgO", "Al2O3"))
    check_int("spintronic.seed", cfg["seed"], low=0)
    check_int("spintronic.n_pulses", cfg["n_pulses"], low=2, high=MAX_STAGE_COUNT)
    check_int("spintronic.n_cycles", cfg["n_cycles"], low=2, high=MAX_STAGE_COUNT)
    check_int("spintronic.skyrmion_sites", cfg["skyrmion_sites"], low=2, high=MAX_STAGE_COUNT)
    check_real("spintronic.temperature_K", cfg["temperature_K"], low=0.0, low_open=True)
    for v in cfg["tmr_biases_V"]:
        check_real("spintronic.tmr_biases_V[]", v, low=0.0, low_open=True)


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    Parameters
    ----------
    cfg : dict
        The merged ``spintronic`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``mtj_tmr_<barrier>`` per
        barrier, ``wall_velocity``.
    """
    calls = {}
    for barrier in dict.fromkeys(b for b in (cfg["barrier"], cfg["compare_barrier"]) if b):
        calls[f"mtj_tmr_{barrier}"] = ("spintronics.mtj_tmr", {
            "barrier": barrier, "thickness_nm": cfg["barrier_thickness_nm"],
            "biases_V": list(cfg["tmr_biases_V"]), "temperature_K": cfg["temperature_K"]})
    calls["wall_velocity"] = ("spintronics.wall_velocity", {})
    return calls


def _families(cfg: dict, barrier: str):
    from ...devices.spintronic import DomainWallSynapse, SkyrmionSynapse
    common = dict(n_pulses=cfg["n_pulses"], pulse_width_s=cfg["pulse_width_s"],
                  n_devices=cfg["n_devices"], n_cycles=cfg["n_cycles"], barrier=barrier,
                  barrier_thickness_nm=cfg["barrier_thickness_nm"],
                  read_bias_V=cfg["read_bias_V"], temperature_K=cfg["temperature_K"],
                  read_noise_rel=cfg["read_noise_rel"])
    return {"domain_wall": DomainWallSynapse(n_notches=cfg["n_notches"],
                                             depinning_field_A_per_m=cfg[
                                                 "depinning_field_A_per_m"], **common),
            "skyrmion": SkyrmionSynapse(n_sites=cfg["skyrmion_sites"], **common)}


def _task(kind: str, **kw):
    """One ``ctx.map`` call of :func:`run`: a registered model call, or the domain-wall
    records (module-level, so an MPI worker can run it)."""
    if kind == "model":
        return run_model(**kw)
    return _domain_wall_records(**kw)


def _domain_wall_records(cfg: dict, barriers: list[str], seed: int) -> list[Result]:
    """The domain-wall family's record read through each barrier: the wall motion does not
    depend on the read barrier, so it is simulated once and read through all of them."""
    fams = [_families(cfg, b)["domain_wall"] for b in barriers]
    walls = fams[0].simulate(seed)
    return [fam.response(seed=seed, simulation=walls) for fam in fams]


def run(ctx) -> dict[str, Result]:
    """MTJ TMR(V), wall velocities, both device families (and the comparison barrier).

    Parameters
    ----------
    ctx : StageContext
        The stage's configuration, the results of earlier stages and ``ctx.map`` (MPI ranks).

    Returns
    -------
    dict of str to Result
        The stage's results by name (written under the stage's group of the run file).
    """
    cfg = ctx.config
    validate(cfg)
    calls = plan(cfg)
    seed = cfg["seed"]
    other = cfg["compare_barrier"]
    barriers = [cfg["barrier"]] + ([other] if other and other != cfg["barrier"] else [])
    ctx.progress(f"spintronic: {len(calls)} physics calls and the domain-wall family (in "
                 "parallel), then the skyrmion family")
    # the domain-wall simulation (the longest call) first, so another rank takes the rest
    outputs = ctx.map(_task, [{"kind": "domain_wall", "cfg": cfg, "barriers": barriers,
                               "seed": seed}]
                      + [{"kind": "model", "model": m, "params": p} for m, p in calls.values()])
    walls, outputs = outputs[0], outputs[1:]
    results = dict(zip(calls, outputs))
    for name, fam in _families(cfg, cfg["barrier"]).items():
        found = ({"device_response": walls[0]} if name == "domain_wall"
                 else fam.results(seed=seed, map=ctx.map))
        for key, res in found.items():
            results[f"{name}/{key}"] = res
    for b in barriers[1:]:
        results[f"domain_wall_{b}/device_record"] = walls[1]
        results[f"skyrmion_{b}/device_record"] = _families(cfg, b)["skyrmion"].response(
            seed=seed)
    return results


def _family_name(key: str) -> str:
    """``"domain_wall/device_response"`` → ``"domain wall"`` (figure text)."""
    return key.split("/")[0].replace("_", " ")


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """TMR vs bias, wall velocity, wall position vs time, G vs pulse number, skyrmion counts.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``mtj_tmr_*``, ``wall_velocity``,
        ``domain_wall/device_response``, ``skyrmion/device_response``; a figure whose results are
        absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/spintronic_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    save = FigureSaver(fig_dir, "spintronic")
    tmr = sorted(k for k in results if k.startswith("mtj_tmr_"))
    if tmr:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for i, key in enumerate(tmr):
            r = results[key]
            barrier = r.params["barrier"].replace("2O3", "$_2$O$_3$")
            ax.plot(r.bias_V, 100 * r.tmr, "o-", color=f"C{i}",
                    label=f"CoFeB/{barrier} {r.params['thickness_nm']:g} nm (Tsu–Esaki)")
            ax.axhline(100 * float(r.julliere_tmr), color=f"C{i}", ls=":", lw=0.9,
                       label=f"Jullière with Slonczewski $P$ = "
                             f"{float(r.slonczewski_polarization):.2f}")
        ax.axhline(0, color="k", lw=0.5)
        ax.set(xlabel=r"$V_\mathrm{b}$ (V)", ylabel="TMR (%)",
               title="free-electron MTJ, Tsu–Esaki per spin channel")
        ax.legend(fontsize=7)
        save(fig, "tmr_vs_bias")
    if "wall_velocity" in results:
        r = results["wall_velocity"]
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
        hw = float(r.walker_field_A_per_m)
        axes[0].plot(r.field_A_per_m / hw, r.velocity_field_m_per_s, "o",
                     label=r"$(q, \varphi)$ model, RK4")
        axes[0].plot(r.field_dense_A_per_m / hw, r.velocity_dense_analytic_m_per_s, "-",
                     label="Walker / precessional formula")
        axes[0].axvline(1.0, color="0.6", ls=":", lw=0.8)
        axes[0].set(xlabel=r"$H / H_\mathrm{W}$", ylabel=r"$v$ (m/s)",
                    title=f"field-driven wall (no DMI), $H_\\mathrm{{W}}$ = {hw:.3g} A/m")
        axes[0].legend(fontsize=7)
        J = r.current_density_A_per_m2
        axes[1].semilogx(J, r.velocity_current_m_per_s, "o-",
                         label=r"$(q, \varphi)$ model with $H_\mathrm{K}$")
        axes[1].semilogx(J, r.velocity_current_no_hk_analytic_m_per_s, "--",
                         label=r"SOT+DMI formula ($H_\mathrm{K}$ = 0)")
        axes[1].axhline(float(r.velocity_saturation_m_per_s), color="k", ls=":", lw=0.8,
                        label=r"DMI saturation $\frac{\pi}{2}\gamma_0 \Delta H_\mathrm{DMI}$")
        label_log_ticks(axes[1].xaxis, J)
        axes[1].set(xlabel=r"$J$ in the heavy metal (A m$^{-2}$)", ylabel=r"$|v|$ (m/s)",
                    title="SOT-driven Néel wall")
        axes[1].legend(fontsize=7)
        save(fig, "wall_velocity")
    if "domain_wall/device_response" in results:
        r = results["domain_wall/device_response"]
        fig, ax = plt.subplots(figsize=(7, 3.6))
        t = r.trace_time_s * 1e9
        ax.plot(t, r.trace_position_m * 1e6, lw=1.0, label="wall position (device 0)")
        for i, q in enumerate(r.notch_positions_m):
            ax.axhline(q * 1e6, color="0.8", lw=0.5, zorder=0,
                       label="notches (pinning sites)" if i == 0 else None)
        n = r.params["n_pulses"]
        ax.set(xlabel="$t$ (ns)", ylabel=r"wall position $q$ (µm)", xlim=(t[0], t[-1]),
               title=f"{n} + {n} pulses of {si_text(r.params['pulse_width_s'], 's')}, "
                     f"$|J|$ = {sci_tex(abs(float(r.current_density_A_per_m2)))} A m$^{{-2}}$")
        ax.legend(fontsize=7, loc="upper right")
        save(fig, "wall_position")
    curves = [k for k in ("domain_wall/device_response", "skyrmion/device_response")
              if k in results]
    if curves:
        fig, axes = plt.subplots(1, len(curves), figsize=(4.6 * len(curves), 3.6),
                                 squeeze=False)
        for ax, key in zip(axes[0], curves):
            r = results[key]
            factor, unit = scaled_unit(np.r_[r.weight_ltp_S.ravel(), r.weight_ltd_S.ravel()],
                                       "S")
            n = len(r.weight_ltp_S)
            for i, row in enumerate(r.weight_ltp_S):
                ax.plot(r.pulse_number, row / factor, "C0-", alpha=0.6,
                        label=f"potentiation ({n} devices)" if i == 0 else None)
            for i, row in enumerate(r.weight_ltd_S):
                ax.plot(r.pulse_number, row / factor, "C3-", alpha=0.6,
                        label="depression" if i == 0 else None)
            ax.ticklabel_format(axis="y", useOffset=False, style="plain")
            ax.set(xlabel="pulses since the start of the phase", ylabel=f"$G$ ({unit})",
                   title=f"{_family_name(key)} synapse, MTJ read at "
                         f"{r.params['read_bias_V']:g} V")
            ax.legend(fontsize=7)
        save(fig, "conductance_vs_pulse")
    if "skyrmion/device_response" in results:
        r = results["skyrmion/device_response"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        n = r.pulse_number
        for i, (up, down) in enumerate(zip(r.count_ltp, r.count_ltd)):
            ax.step(np.r_[n, n[-1] + n[1:]], np.r_[up, down[1:]], where="post", alpha=0.7,
                    label=f"device {i}" if i < 3 else None)
        ax.axvline(n[-1], color="k", ls=":", lw=0.8, label="LTP → LTD")
        ax.set(xlabel="pulse number (LTP, then LTD)", ylabel="skyrmions in the read region",
               title=r"skyrmion synapse: $p_\mathrm{nucl}$ = "
                     f"{float(r.nucleation_probability):.2f} per site and pulse")
        ax.legend(fontsize=7)
        save(fig, "skyrmion_counts")
    return save.paths


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines: TMR, wall velocities, both families beside the literature numbers.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`).

    Returns
    -------
    list of str
        Markdown lines of the report (numbers taken from ``results``).
    """
    from ...synapse import extract
    lines = []
    for key in sorted(k for k in results if k.startswith("mtj_tmr_")):
        r = results[key]
        lines.append(f"- MTJ CoFeB/{r.params['barrier']} {r.params['thickness_nm']:g} nm "
                     f"(free-electron, φ = {float(r.barrier_height_eV):g} eV, m_b = "
                     f"{float(r.barrier_mass):g}): TMR {100 * float(r.tmr[0]):.1f} % at "
                     f"{float(r.bias_V[0]):g} V, {100 * float(r.tmr[-1]):.1f} % at "
                     f"{float(r.bias_V[-1]):g} V; Slonczewski P = "
                     f"{float(r.slonczewski_polarization):+.3f} (Jullière "
                     f"{100 * float(r.julliere_tmr):.1f} %), all-k∥ P = "
                     f"{float(r.integrated_polarization):+.3f}; RA_P = "
                     f"{float(r.resistance_area_P_ohm_m2) * 1e12:.3g} Ω µm² "
                     f"(`spintronic/{key}/{{tmr, julliere_tmr}}`)")
    if "wall_velocity" in results:
        r = results["wall_velocity"]
        dev = np.max(np.abs(r.velocity_field_m_per_s / r.velocity_field_analytic_m_per_s - 1))
        lines.append(f"- Domain wall: H_W = {float(r.walker_field_A_per_m):.3g} A/m, integrated "
                     f"v(H) within {dev:.1e} of the Walker/precessional formula; SOT+DMI "
                     f"saturation {float(r.velocity_saturation_m_per_s):.1f} m/s, with H_K "
                     f"{', '.join(f'{v:.1f}' for v in r.velocity_current_m_per_s)} m/s at "
                     f"{', '.join(f'{j:.0e}' for j in r.current_density_A_per_m2)} A/m² "
                     "(`spintronic/wall_velocity`)")
    for key in sorted(k for k in results if k.endswith(("/device_response", "/device_record"))):
        r = results[key]
        p = extract.extract(r, f"spintronic/{key}")
        fam = key.split("/")[0]
        lines.append(f"- {fam} ({r.params['barrier']} read, TMR {100 * float(r.tmr):.1f} %, "
                     f"{abs(float(r.current_density_A_per_m2)):.3g} A/m², "
                     f"{float(r.write_time_s) * 1e9:g} ns): {p.n_states} states, on/off "
                     f"{p.on_off_ratio:.3g}, A/P = {_ap(p.a_over_p_ltp)} / {_ap(p.a_over_p_ltd)}, "
                     f"c2c {100 * (p.c2c_rel or 0):.1f} %, d2d {100 * p.d2d_rel:.1f} %, "
                     f"{p.event_energy_J * 1e12:.3g} pJ/pulse (`spintronic/{key}`)")
    lines.append(f"- literature: domain wall {LITERATURE['domain_wall']}; skyrmion "
                 f"{LITERATURE['skyrmion']}; {LITERATURE['network']}. Accuracies of these "
                 "families on the digits MLP are in the synapse table.")
    return lines
