"""Pipeline stage: HfZrOx ferroelectric synapses (FeFET on InGaZnO, tunnel junction).

Orchestration only: the physics results are registered model calls (``ferroelectric.*``,
distributed with ``ctx.map``); the device responses come from the device families
:class:`qtransport.devices.ferroelectric.FeFETSynapse` and
:class:`~qtransport.devices.ferroelectric.FTJSynapse` (``fefet/device_response``,
``ftj/device_response``, read by the synapse stage). The other pulse scheme of each family is
kept as ``<family>_<scheme>/device_record`` for the summary (not a second table row).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import MAX_STAGE_COUNT
from ...errors import check_choice, check_int, check_real
from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver, nonlinearity_text as _ap, scaled_unit, si_text

__all__ = ["DEFAULTS", "plan", "validate", "run", "figures", "summary"]

SCHEMES = ("identical", "incremental")

DEFAULTS = {
    "scheme": "identical",            # pulse scheme of the devices in the synapse table
    "n_pulses": 32,                   # pulses per LTP / LTD branch
    "pulse_width_s": 1e-7,
    "n_devices": 5,                   # activation-field draws → device-to-device spread
    "n_cycles": 8,                    # repeated cycles of device 0 → cycle-to-cycle spread
    "fe_thickness_nm": 10.0,          # FeFET HZO gate
    "read_gate_V": 0.5,               # FeFET read gate voltage (no read disturb, see docs)
    "ftj_thickness_nm": 2.0,          # FTJ HZO barrier
    "width_um": 1.0,                  # device area W × L (sets the number of grains)
    "length_um": 1.0,
    "read_noise_rel": 0.01,
    "amplitudes_V": [0.9, 1.0, 1.1, 1.2, 1.4],   # switched-fraction figure (10 nm film)
    "loop_n_steps": 200,
    "seed": 0,
}


def validate(cfg: dict) -> None:
    """Range checks of the [ferroelectric] section.

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError, TypeError
        A key out of range or inconsistent with another (the message names the key).
    """
    check_choice("ferroelectric.scheme", cfg["scheme"], SCHEMES)
    check_int("ferroelectric.n_pulses", cfg["n_pulses"], low=2, high=MAX_STAGE_COUNT)
    check_int("ferroelectric.n_devices", cfg["n_devices"], low=1, high=MAX_STAGE_COUNT)
    check_int("ferroelectric.n_cycles", cfg["n_cycles"], low=2, high=MAX_STAGE_COUNT)
    check_int("ferroelectric.loop_n_steps", cfg["loop_n_steps"], low=4, high=MAX_STAGE_COUNT)
    check_int("ferroelectric.seed", cfg["seed"], low=0)
    for key in ("pulse_width_s", "fe_thickness_nm", "ftj_thickness_nm", "width_um",
                "length_um"):
        check_real(f"ferroelectric.{key}", cfg[key], low=0.0, low_open=True)
    check_real("ferroelectric.read_noise_rel", cfg["read_noise_rel"], low=0.0)
    check_real("ferroelectric.read_gate_V", cfg["read_gate_V"])
    for v in cfg["amplitudes_V"]:
        check_real("ferroelectric.amplitudes_V[]", v, low=0.0, low_open=True)


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    :func:`run` maps them over the ranks; the pipeline validates every one against its model's
    schema before any stage runs.

    Parameters
    ----------
    cfg : dict
        The merged ``ferroelectric`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``pe_loop``,
        ``switched_fraction``, ``ftj_ter``, ``fefet_transfer``.
    """
    return {
        "pe_loop": ("ferroelectric.pe_loop", {"n_steps": cfg["loop_n_steps"]}),
        "switched_fraction": ("ferroelectric.switched_fraction", {
            "amplitudes_V": list(cfg["amplitudes_V"]), "thickness_nm": cfg["fe_thickness_nm"],
            "pulse_width_s": cfg["pulse_width_s"], "n_pulses": 2 * cfg["n_pulses"]}),
        "ftj_ter": ("ferroelectric.ftj_ter", {"thickness_nm": cfg["ftj_thickness_nm"]}),
        "fefet_transfer": ("ferroelectric.fefet_transfer",
                           {"fe_thickness_nm": cfg["fe_thickness_nm"]}),
    }


def _families(cfg: dict, scheme: str):
    from ...devices.ferroelectric import FeFETSynapse, FTJSynapse
    common = dict(scheme=scheme, n_pulses=cfg["n_pulses"], pulse_width_s=cfg["pulse_width_s"],
                  n_devices=cfg["n_devices"], n_cycles=cfg["n_cycles"],
                  read_noise_rel=cfg["read_noise_rel"], width_um=cfg["width_um"],
                  length_um=cfg["length_um"])
    return {"fefet": FeFETSynapse(fe_thickness_nm=cfg["fe_thickness_nm"],
                                  read_gate_V=cfg["read_gate_V"], **common),
            "ftj": FTJSynapse(barrier_thickness_nm=cfg["ftj_thickness_nm"], **common)}


def run(ctx) -> dict[str, Result]:
    """Switching, loop, FTJ and FeFET physics; both device families in both pulse schemes.

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
    ctx.progress(f"ferroelectric: {len(calls)} physics calls, then the FeFET and FTJ families")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    results = dict(zip(calls, outputs))
    other = [s for s in SCHEMES if s != cfg["scheme"]][0]
    for name, fam in _families(cfg, cfg["scheme"]).items():
        for key, res in fam.results(seed=cfg["seed"], map=ctx.map).items():
            results[f"{name}/{key}"] = res
    for name, fam in _families(cfg, other).items():
        results[f"{name}_{other}/device_record"] = fam.response(seed=cfg["seed"])
    return results


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """P–E loop, switched fraction vs pulses, FeFET I_D–V_G, FTJ TER vs P, LTP/LTD curves.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``pe_loop``, ``switched_fraction``,
        ``fefet_transfer``, ``ftj_ter``, ``fefet/device_response``, ``ftj/device_response``; a
        figure whose results are absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/ferroelectric_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator
    save = FigureSaver(fig_dir, "ferroelectric")
    if "pe_loop" in results:
        r = results["pe_loop"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.plot(r.field_V_per_m / 1e8, 100 * r.polarization_C_per_m2,
                label="$P$ (total, as measured)")
        ax.plot(r.field_V_per_m / 1e8, 100 * r.switched_polarization_C_per_m2, "--",
                label="switched part")
        ec = float(r.implied_coercive_field_V_per_m) / 1e8
        for i, x in enumerate((ec, -ec)):
            ax.axvline(x, color="k", ls=":", lw=0.8,
                       label=r"$\pm E_\mathrm{c}$" if i == 0 else None)
        ax.set(xlabel="$E$ (MV/cm)", ylabel="$P$ (µC cm$^{-2}$)",
               title=r"HZO $P$–$E$ loop (NLS), implied $E_\mathrm{c}$ = " f"{ec:.2f} MV/cm")
        ax.legend(fontsize=8)
        save(fig, "pe_loop")
    if "switched_fraction" in results:
        r = results["switched_fraction"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for v, row in zip(r.amplitude_V, r.switched_fraction):
            ax.plot(r.pulse_number, row, label=f"{v:g} V")
        ax.set(xlabel="pulse number", ylabel="switched fraction",
               title=f"identical {si_text(r.params['pulse_width_s'], 's')} pulses, "
                     f"{r.params['thickness_nm']:g} nm HZO")
        ax.legend(fontsize=8, title="pulse amplitude", title_fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
        save(fig, "switched_fraction")
    if "fefet_transfer" in results:
        r = results["fefet_transfer"]
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
        for P, row in zip(r.polarization_C_per_m2, r.drain_current_A):
            axes[0].semilogy(r.gate_V, row, label=f"$P$ = {100 * P:.0f} µC cm$^{{-2}}$")
        axes[0].set(xlabel=r"$V_\mathrm{G}$ (V)", ylabel=r"$I_\mathrm{D}$ (A)",
                    title=r"FeFET, frozen polarization ($V_\mathrm{DS}$ = 0.1 V)")
        axes[0].legend(fontsize=7)
        vg, i_d = r.sweep_gate_V, r.sweep_drain_current_A
        turn = int(np.argmin(vg)) if vg[0] > np.median(vg) else int(np.argmax(vg))
        if 0 < turn < vg.size - 1:     # one up and one down branch: name each
            first = "up" if vg[turn] > vg[0] else "down"
            second = "down" if first == "up" else "up"
            axes[1].semilogy(vg[:turn + 1], i_d[:turn + 1], "C0-", label=f"{first} sweep")
            axes[1].semilogy(vg[turn:], i_d[turn:], "C3--", label=f"{second} sweep")
            axes[1].legend(fontsize=7)
        else:
            axes[1].semilogy(vg, i_d)
        axes[1].set(xlabel=r"$V_\mathrm{G}$ (V)", ylabel=r"$I_\mathrm{D}$ (A)",
                    title="quasi-static double sweep with switching")
        save(fig, "fefet_transfer")
    if "ftj_ter" in results:
        r = results["ftj_ter"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.plot(100 * r.polarization_C_per_m2, 100 * r.ter, "o-",
                label=r"TER = $G_\mathrm{high} / G_\mathrm{low} - 1$ at $\pm P$")
        ax.legend(fontsize=8)
        ax.set(xlabel="$|P|$ (µC cm$^{-2}$)", ylabel="TER (%)",
               title=f"FTJ {r.params['left']} | HZO {r.params['thickness_nm']:g} nm | "
                     f"{r.params['right']}, read at {r.params['read_bias_V']:g} V")
        save(fig, "ftj_ter")
    curves = [k for k in ("fefet/device_response", "ftj/device_response") if k in results]
    if curves:
        fig, axes = plt.subplots(1, len(curves), figsize=(4.6 * len(curves), 3.6),
                                 squeeze=False)
        for ax, key in zip(axes[0], curves):
            r = results[key]
            k = r.pulse_number
            n = len(r.weight_ltp_S)
            both = np.r_[r.weight_ltp_S.ravel(), r.weight_ltd_S.ravel()]
            # a window over decades (the FeFET read below threshold) on a log axis, else the
            # off state is a flat line at 0
            log = both.min() > 0 and both.max() / both.min() > 100
            factor, unit = (1.0, "S") if log else scaled_unit(both, "S")
            for i, row in enumerate(r.weight_ltp_S):
                ax.plot(k, row / factor, "C0-", alpha=0.6,
                        label=f"potentiation ({n} devices)" if i == 0 else None)
            for i, row in enumerate(r.weight_ltd_S):
                ax.plot(k, row / factor, "C3-", alpha=0.6,
                        label="depression" if i == 0 else None)
            if log:
                ax.set_yscale("log")
            else:
                ax.ticklabel_format(axis="y", useOffset=False, style="plain")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            name = {"fefet": "FeFET", "ftj": "FTJ"}.get(key.split("/")[0], key.split("/")[0])
            ax.set(xlabel="pulses since the start of the phase", ylabel=f"$G$ ({unit})",
                   title=f"{name}: {r.params['scheme']} pulses")
            ax.legend(fontsize=7)
        save(fig, "pulse_response")
    return save.paths


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines: loop, window, TER and the extracted figures of merit of both schemes.

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
    if "pe_loop" in results:
        r = results["pe_loop"]
        E, P = r.field_V_per_m, r.polarization_C_per_m2
        zero = np.flatnonzero(E == 0.0)
        lines.append(f"- P–E loop: P(E = 0) = {100 * P[zero[0]]:+.1f} / {100 * P[zero[-1]]:+.1f}"
                     f" µC/cm², implied E_c = {float(r.implied_coercive_field_V_per_m) / 1e8:.3f}"
                     " MV/cm (`ferroelectric/pe_loop/{polarization_C_per_m2, "
                     "implied_coercive_field_V_per_m}`)")
    if "fefet_transfer" in results:
        r = results["fefet_transfer"]
        lines.append(f"- FeFET frozen-P window 2P_r t_FE/(ε0 ε_FE) = "
                     f"{float(r.ideal_memory_window_V):.2f} V "
                     "(`ferroelectric/fefet_transfer/ideal_memory_window_V`)")
    if "ftj_ter" in results:
        r = results["ftj_ter"]
        g = max(float(r.conductance_up_S_per_m2[-1]), float(r.conductance_down_S_per_m2[-1]))
        lines.append(f"- FTJ TER at P_r: {100 * float(r.ter[-1]):.1f} %, G/A = {g:.3g} S/m² "
                     "(`ferroelectric/ftj_ter/{ter, conductance_up_S_per_m2}`)")
    for key in sorted(k for k in results if k.endswith(("/device_response", "/device_record"))):
        r = results[key]
        p = extract.extract(r, f"ferroelectric/{key}")
        lines.append(f"- {key.split('/')[0]} ({r.params['scheme']} pulses, first "
                     f"{abs(float(r.pulse_ltp_V[0])):.3g} V): {p.n_states} states, on/off "
                     f"{p.on_off_ratio:.3g}, A/P = {_ap(p.a_over_p_ltp)} / {_ap(p.a_over_p_ltd)}, "
                     f"c2c {100 * (p.c2c_rel or 0):.1f} %, d2d {100 * p.d2d_rel:.1f} %, "
                     f"{p.event_energy_J * 1e15:.3g} fJ/pulse (`ferroelectric/{key}`)")
    return lines
