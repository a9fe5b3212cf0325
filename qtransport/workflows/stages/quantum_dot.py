"""Pipeline stage: quantum-dot confinement, single-electron charging and charge-trap synapses.

Orchestration only: physics results are registered model calls (``quantum_dots.*``, distributed
with ``ctx.map``); the device response comes from
:class:`qtransport.devices.quantum_dot.QuantumDotSynapse` (``quantum_dot/device_response``, read
by the synapse stage). The CNT and nanowire presets are kept as ``quantum_dot_<preset>/
device_record`` for the summary, beside the literature numbers (not extra table rows).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...errors import check_choice
from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver

__all__ = ["DEFAULTS", "FEEDS", "plan", "validate", "run", "figures", "summary",
           "LITERATURE"]

PRESETS = ("qd_film", "cnt", "nanowire")

DEFAULTS = {
    "material": "CdSe",                       # levels / gap vs diameter
    "diameters_nm": [2.2, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0],
    "set_temperature_K": 4.2,                 # single-electron transistor maps
    "diamond_gate_points": 161,
    "diamond_bias_points": 121,
    "double_dot_gate_points": 41,             # stability diagram of a double dot (per axis)
    "preset": "qd_film",                      # the family in the synapse table
    "n_pulses": 32,
    "n_devices": 5,
    "n_cycles": 8,
    "temperature_K": 300.0,
    "seed": 0,
}

#: the model (or ``device:<family>``) parameter each key feeds (checked before any stage runs)
FEEDS = {
    "material": ("quantum_dots.size_levels", "material"),
    "diameters_nm": ("quantum_dots.size_levels", "diameters_nm"),
    "set_temperature_K": ("quantum_dots.coulomb_diamonds", "temperature_K"),
    "diamond_gate_points": ("quantum_dots.coulomb_diamonds", "n_gate"),
    "diamond_bias_points": ("quantum_dots.coulomb_diamonds", "n_bias"),
    "double_dot_gate_points": ("quantum_dots.double_dot", "n_gate"),
    "preset": ("device:quantum_dot", "preset"),
    "n_pulses": ("device:quantum_dot", "n_pulses"),
    "n_devices": ("device:quantum_dot", "n_devices"),
    "n_cycles": ("device:quantum_dot", "n_cycles"),
    "temperature_K": ("device:quantum_dot", "temperature_K"),
    "seed": ("quantum_dots.programming", "seed"),
}

#: literature figures of the seed review, sections 2.1–2.2 (as stated there; tags as in
#: docs/validation.md): (label, quantity, relation, value, preset the model row compares)
LITERATURE = (
    ("BP QDs in PMMA (RRAM)", "on/off", "~", 1e7, "qd_film"),
    ("CeO2 QDs on ZnO nanorods", "retention_s", ">", 1e4, "qd_film"),
    ("CoPc-functionalized InP nanowires", "on/off", ">", 1e4, "nanowire"),
    ("CoPc-functionalized InP nanowires", "retention_s", ">", 1.2e3, "nanowire"),
)


def validate(cfg: dict) -> None:
    """Checks of the keys that feed no single model parameter.

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError, TypeError
        A key out of range or inconsistent with another (the message names the key).
    """
    check_choice("quantum_dot.preset", cfg["preset"], PRESETS)


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    Parameters
    ----------
    cfg : dict
        The merged ``quantum_dot`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``size_levels``,
        ``core_shell``, ``coulomb_diamonds``, ``staircase``, ``double_dot``,
        ``programming_<preset>``.
    """
    calls = {
        "size_levels": ("quantum_dots.size_levels", {"material": cfg["material"],
                                                     "diameters_nm": list(cfg["diameters_nm"])}),
        "core_shell": ("quantum_dots.size_levels", {"material": "InP", "shell": "ZnS",
                                                    "shell_thickness_nm": 0.6,
                                                    "diameters_nm": list(cfg["diameters_nm"])}),
        "coulomb_diamonds": ("quantum_dots.coulomb_diamonds", {
            "temperature_K": cfg["set_temperature_K"], "n_gate": cfg["diamond_gate_points"],
            "n_bias": cfg["diamond_bias_points"]}),
        "staircase": ("quantum_dots.staircase", {}),
        "double_dot": ("quantum_dots.double_dot", {"n_gate": cfg["double_dot_gate_points"]}),
    }
    for preset in PRESETS:
        calls[f"programming_{preset}"] = ("quantum_dots.programming",
                                          {"preset": preset, "n_pulses": cfg["n_pulses"],
                                           "seed": cfg["seed"]})
    return calls


def _family(cfg: dict, preset: str):
    from ...devices.quantum_dot import QuantumDotSynapse
    return QuantumDotSynapse(preset=preset, n_pulses=cfg["n_pulses"],
                             n_devices=cfg["n_devices"], n_cycles=cfg["n_cycles"],
                             temperature_K=cfg["temperature_K"])


def run(ctx) -> dict[str, Result]:
    """Confinement, SET maps, programming curves; the family in all three presets.

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
    ctx.progress(f"quantum_dot: {len(calls)} physics calls, then the charge-trap family")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    results = dict(zip(calls, outputs))
    for key, res in _family(cfg, cfg["preset"]).results(seed=cfg["seed"], map=ctx.map).items():
        results[f"quantum_dot/{key}"] = res
    for preset in PRESETS:
        if preset != cfg["preset"]:
            results[f"quantum_dot_{preset}/device_record"] = _family(cfg, preset).response(
                seed=cfg["seed"])
    return results


#: figure names of the device presets
_PRESET_TEXT = {"qd_film": "QD film", "cnt": "CNT", "nanowire": "nanowire"}
#: one colour map per preset in the programming figure (shade = pulse amplitude)
_PRESET_CMAP = {"qd_film": "Blues", "cnt": "Oranges", "nanowire": "Greens"}


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """Levels and gap vs diameter (with Yu et al.), Coulomb diamonds, staircase, double-dot
    stability diagram, programming.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``size_levels``, ``coulomb_diamonds``,
        ``staircase``, ``double_dot``, ``programming_<preset>``, ``quantum_dot/device_response``; a
        figure whose results are absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/quantum_dot_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator
    save = FigureSaver(fig_dir, "quantum_dot")
    if "size_levels" in results:
        r = results["size_levels"]
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
        D = r.diameter_nm
        axes[0].plot(D, r.gap_eV, "o-", label="finite barrier + Coulomb (this model)")
        axes[0].plot(D, r.brus_gap_eV, "--", label="Brus (infinite barrier)")
        if np.isfinite(r.measured_gap_eV).any():
            axes[0].plot(D, r.measured_gap_eV, "ks", label="Yu et al. 2003 (fit to measured)")
        axes[0].axhline(float(r.bulk_gap_eV), color="0.5", lw=0.8, ls=":",
                        label=f"bulk gap {float(r.bulk_gap_eV):.3g} eV")
        axes[0].set(xlabel="$d$ (nm)", ylabel="first exciton energy (eV)",
                    title=f"{r.params['material']} dots: first exciton vs diameter")
        axes[0].legend(fontsize=7)
        axes[1].plot(D, r.confinement_e_eV, "o-", label="electron confinement")
        axes[1].plot(D, r.confinement_h_eV, "s-", label="hole confinement")
        axes[1].plot(D, r.coulomb_eV, "^-", label="e–h Coulomb")
        axes[1].set(xlabel="$d$ (nm)", ylabel="energy (eV)", yscale="log",
                    title="confinement and Coulomb energies")
        # plain decimals (0.06, 0.1, 0.2 …) instead of 6×10⁻² on a 1–2 decade axis
        plain = FuncFormatter(lambda v, _: f"{v:g}")
        axes[1].yaxis.set_minor_locator(LogLocator(subs=(2.0, 4.0, 6.0)))
        axes[1].yaxis.set_major_formatter(plain)
        axes[1].yaxis.set_minor_formatter(plain)
        axes[1].legend(fontsize=7)
        save(fig, "levels")
    if "coulomb_diamonds" in results:
        r = results["coulomb_diamonds"]
        fig, ax = plt.subplots(figsize=(5.2, 3.8))
        g = np.abs(r.conductance_S)
        im = ax.pcolormesh(r.gate_V, 1e3 * r.bias_V, g / g.max(), shading="auto",
                           cmap="magma")
        fig.colorbar(im, ax=ax, label=r"$|\mathrm{d}I/\mathrm{d}V|$ / max")
        ax.set(xlabel=r"$V_\mathrm{G}$ (V)", ylabel=r"$V_\mathrm{b}$ (mV)",
               title=f"SET at {r.params['temperature_K']:g} K: period "
                     f"{float(r.gate_period_V):.3g} V, half-height "
                     f"{1e3 * float(r.half_height_V):.3g} mV")
        save(fig, "diamonds")
    if "staircase" in results:
        r = results["staircase"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.plot(1e3 * r.bias_V, 1e9 * r.current_A, label="asymmetric SET (master equation)")
        ax.set(xlabel=r"$V_\mathrm{b}$ (mV)", ylabel="$I$ (nA)",
               title=f"Coulomb staircase, step {1e3 * float(r.step_V):.3g} mV")
        ax.legend(fontsize=8)
        save(fig, "staircase")
    if "double_dot" in results:
        r = results["double_dot"]
        fig, ax = plt.subplots(figsize=(4.8, 4.0))
        cur = np.abs(r.current_A)
        im = ax.pcolormesh(r.gate2_V, r.gate1_V, np.log10(cur / cur.max() + 1e-12),
                           shading="auto", cmap="viridis")
        fig.colorbar(im, ax=ax, label=r"$\log_{10}(|I| / I_\mathrm{max})$")
        ax.set_aspect("equal")
        ax.set(xlabel=r"$V_\mathrm{G2}$ (V)", ylabel=r"$V_\mathrm{G1}$ (V)",
               title=f"double dot at {r.params['temperature_K']:g} K, $V_\\mathrm{{b}}$ = "
                     f"{1e3 * r.params['bias_V']:g} mV:\ncurrent only at the triple points")
        save(fig, "double_dot")
    prog = [k for k in (f"programming_{p}" for p in PRESETS) if k in results]
    if prog:
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        for i, k in enumerate(prog):
            r = results[k]
            preset = k.split("_", 1)[1]
            cmap = plt.get_cmap(_PRESET_CMAP.get(preset, "Greys"))
            amps = list(r.amplitude_V)
            for j, (v, row) in enumerate(zip(amps, r.trapped_fraction)):
                shade = 0.45 + 0.55 * j / max(len(amps) - 1, 1)
                axes[0].plot(r.pulse_number, row, color=cmap(shade),
                             label=f"{_PRESET_TEXT.get(preset, preset)} {v:.3g} V")
            axes[1].semilogx(r.retention_time_s, r.retention_trapped_fraction,
                             color=cmap(0.8), label=_PRESET_TEXT.get(preset, preset))
        axes[0].set(xlabel="program pulse number", ylabel="trapped fraction",
                    title="programming from the erased state")
        axes[0].legend(fontsize=6, ncol=1, title="preset, amplitude", title_fontsize=7,
                       loc="center left", bbox_to_anchor=(1.0, 0.5))
        axes[1].set(xlabel=r"time at $V_\mathrm{G}$ = 0 (s)", ylabel="trapped fraction",
                    title="retention of the erased state")
        axes[1].legend(fontsize=7)
        save(fig, "programming")
    if "quantum_dot/device_response" in results:
        r = results["quantum_dot/device_response"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        n = len(r.weight_ltp_S)
        for i, row in enumerate(r.weight_ltp_S):
            ax.plot(r.pulse_number, row, "C0-", alpha=0.6,
                    label=f"potentiation ({n} devices)" if i == 0 else None)
        for i, row in enumerate(r.weight_ltd_S):
            ax.plot(r.pulse_number, row, "C3-", alpha=0.6,
                    label="depression" if i == 0 else None)
        preset = r.params["preset"]
        ax.set(xlabel="pulses since the start of the phase", ylabel="$G$ (S)", yscale="log",
               title=f"{_PRESET_TEXT.get(preset, preset)} charge-trap synapse")
        ax.legend(fontsize=7)
        save(fig, "pulse_response")
    return save.paths


def _compare(rel: str, model: float, lit: float) -> str:
    if not math.isfinite(model):
        return "model: not volatile (inf)"
    ok = model > lit if rel == ">" else 0.1 < model / lit < 10
    return "meets" if ok else "falls short" if model < lit else "exceeds"


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines: sizing deviation, SET geometry, and model vs literature rows.

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
    if "size_levels" in results:
        r = results["size_levels"]
        dev = r.gap_eV - r.measured_gap_eV
        ok = np.isfinite(dev)
        if ok.any():
            D = r.diameter_nm[ok]
            lines.append(f"- {r.params['material']} first exciton vs Yu et al. 2003: model − "
                         f"measured = {dev[ok][0]:+.3f} eV at {D[0]:g} nm, {dev[ok][-1]:+.3f} eV "
                         f"at {D[-1]:g} nm (Brus at {D[0]:g} nm: "
                         f"{(r.brus_gap_eV - r.measured_gap_eV)[ok][0]:+.3f} eV) "
                         "(`quantum_dot/size_levels/{gap_eV, measured_gap_eV}`)")
    if "core_shell" in results:
        r = results["core_shell"]
        lines.append(f"- InP/ZnS core–shell by Anderson's rule: {r.attrs.get('alignment')} "
                     "(the review calls it type-II; see docs/quantum_dots.md)")
    if "coulomb_diamonds" in results:
        r = results["coulomb_diamonds"]
        lines.append(f"- SET: E_C = {1e3 * float(r.charging_energy_eV):.3g} meV, diamond period "
                     f"e/C_g = {float(r.gate_period_V):.3g} V, half-height e/C_Σ = "
                     f"{1e3 * float(r.half_height_V):.3g} mV (`quantum_dot/coulomb_diamonds`)")
    records = {k: results[k] for k in sorted(results)
               if k.startswith("quantum_dot") and k.endswith(("/device_response",
                                                             "/device_record"))}
    by_preset = {}
    for key, r in records.items():
        p = extract.extract(r, f"quantum_dot/{key}")
        by_preset[r.params["preset"]] = (key, r, p)
        lines.append(f"- {key.split('/')[0]} ({r.params['preset']}, ±"
                     f"{float(r.pulse_amplitude_V):.3g} V, {float(r.pulse_width_s):.3g} s): "
                     f"{p.n_states} states, on/off {p.on_off_ratio:.3g} (full window "
                     f"{float(r.on_off_window):.3g}), retention {float(r.retention_s):.3g} s "
                     f"(erased state; V_G = 0 equilibrium trapped fraction "
                     f"{float(r.equilibrium_trapped_fraction):.3g}, trapped-electron escape "
                     f"time {float(r.escape_time_s):.3g} s), "
                     f"c2c {100 * (p.c2c_rel or 0):.1f} %, d2d {100 * p.d2d_rel:.1f} %, "
                     f"{p.event_energy_J * 1e15:.3g} fJ/pulse (`quantum_dot/{key}`)")
    if by_preset:
        lines += ["", "| literature (seed review §2.1–2.2) | quantity | reported | model preset "
                      "| model | |", "|---|---|---|---|---|---|"]
        for label, qty, rel, value, preset in LITERATURE:
            if preset not in by_preset:
                continue
            _, r, p = by_preset[preset]
            model = p.on_off_ratio if qty == "on/off" else float(r.retention_s)
            lines.append(f"| {label} | {qty} | {rel} {value:.3g} | {preset} | {model:.3g} | "
                         f"{_compare(rel, model, value)} |")
    return lines
