"""Pipeline stage: tunneling through few-layer h-BN and the floating-gate synaptic transistor.

Results: T(E) for 1–6 layers, Tsu–Esaki J–V families, a Fowler–Nordheim sweep with its transition
voltage, R·A per layer against WKB, and the potentiation/depression curves of an ensemble of
MoS2/h-BN/graphene floating-gate transistors, handed on as the ``device_response`` record.
Device-to-device ensemble: device 0 nominal; the others ±``fg_layer_spread`` h-BN layers
(uniform) and a normal barrier-height spread ``fg_height_spread_eV`` (seeded).
Floating-gate demo defaults (= ``qtransport.devices.floating_gate.DEMO_*``): identical ±7 V, 20 ns pulses, 32 per
branch, on the steady LTP/LTD cycle, read at a control-gate voltage of −0.3 V, near the
depressed-state threshold (see ``docs/tunneling.md``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver
from . import Grid, grid_values

__all__ = ["DEFAULTS", "FEEDS", "plan", "run", "figures", "summary"]

DEFAULTS = {
    "energies_eV": Grid(0.01, 3.0, 300),    # from the electrode band bottom
    "max_layers": 6,
    "electrode": "graphene",
    "carrier": "electron",
    "temperature_K": 300.0,
    "iv_bias_V": Grid(-1.0, 1.0, 81),
    "n_energies": 1000,
    "fn_layers": 6,
    "fn_bias_V": Grid(0.05, 4.0, 60),
    "fg_tunnel_layers": 18,
    "fg_pulse_amplitude_V": 7.0,          # FN regime, gradual update (floating_gate.DEMO_*)
    "fg_pulse_width_s": 20e-9,            # Liu et al. 2021: 20 ns write/erase
    "fg_n_pulses": 32,
    "fg_read_gate_V": -0.3,               # near the depressed-state threshold: G ∝ exp(charge)
    "fg_interval_s": 1e-6,
    "fg_devices": 5,
    "fg_layer_spread": 1,
    "fg_height_spread_eV": 0.05,
    "read_noise_rel": 0.0,
    "seed": 0,
}

#: the model (or ``device:<family>``) parameter each key feeds; its type and range checks apply
#: to the key, with the full key path in the message, before any stage runs (pipeline)
FEEDS = {
    "energies_eV": ("tunneling.hbn_transmission", "energies_eV"),
    "max_layers": ("tunneling.resistance_area", "max_layers"),
    "electrode": ("tunneling.hbn_transmission", "electrode"),
    "carrier": ("tunneling.hbn_transmission", "carrier"),
    "temperature_K": ("tunneling.current_density", "temperature_K"),
    "iv_bias_V": ("tunneling.current_density", "bias_V"),
    "n_energies": ("tunneling.current_density", "n_energies"),
    "fn_layers": ("tunneling.current_density", "n_layers"),
    "fn_bias_V": ("tunneling.current_density", "bias_V"),
    "fg_tunnel_layers": ("device:floating_gate", "tunnel_layers"),
    "fg_pulse_amplitude_V": ("device:floating_gate", "pulse_amplitude_V"),
    "fg_pulse_width_s": ("device:floating_gate", "pulse_width_s"),
    "fg_n_pulses": ("device:floating_gate", "n_pulses"),
    "fg_read_gate_V": ("device:floating_gate", "read_gate_V"),
    "fg_interval_s": ("device:floating_gate", "interval_s"),
    "fg_devices": ("device:floating_gate", "n_devices"),
    "fg_layer_spread": ("device:floating_gate", "layer_spread"),
    "fg_height_spread_eV": ("device:floating_gate", "height_spread_eV"),
    "read_noise_rel": ("device:floating_gate", "read_noise_rel"),
    "seed": ("floating_gate.pulse_response", "seed"),
}



def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    :func:`run` maps them over the ranks; the pipeline validates every one against its model's
    schema before any stage runs.

    Parameters
    ----------
    cfg : dict
        The merged ``tunneling`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``transmission_<n>L`` and
        ``iv_<n>L`` per layer count, ``fn``, ``resistance_area``.
    """
    hbn = {"electrode": cfg["electrode"], "carrier": cfg["carrier"]}
    calls = {}
    for n in range(1, cfg["max_layers"] + 1):
        calls[f"transmission_{n}L"] = ("tunneling.hbn_transmission", dict(
            hbn, n_layers=n,
            energies_eV=grid_values(cfg["energies_eV"], "tunneling.energies_eV")))
        calls[f"iv_{n}L"] = ("tunneling.current_density", dict(
            hbn, n_layers=n, bias_V=grid_values(cfg["iv_bias_V"], "tunneling.iv_bias_V"),
            temperature_K=cfg["temperature_K"],
            n_energies=cfg["n_energies"]))
    calls["fn"] = ("tunneling.current_density", dict(
        hbn, n_layers=cfg["fn_layers"],
        bias_V=grid_values(cfg["fn_bias_V"], "tunneling.fn_bias_V"),
        temperature_K=cfg["temperature_K"], n_energies=cfg["n_energies"]))
    calls["resistance_area"] = ("tunneling.resistance_area", dict(
        hbn, max_layers=cfg["max_layers"], temperature_K=cfg["temperature_K"]))
    return calls


def _floating_gate(ctx) -> tuple[Result, Result]:
    """The floating-gate family's ensemble (devices spread over ``ctx.map``) and its record."""
    from ...devices.floating_gate import FloatingGateSynapse
    cfg = ctx.config
    family = FloatingGateSynapse(
        tunnel_layers=cfg["fg_tunnel_layers"], pulse_amplitude_V=cfg["fg_pulse_amplitude_V"],
        pulse_width_s=cfg["fg_pulse_width_s"], n_pulses=cfg["fg_n_pulses"],
        read_gate_V=cfg["fg_read_gate_V"], interval_s=cfg["fg_interval_s"],
        n_devices=cfg["fg_devices"], layer_spread=cfg["fg_layer_spread"],
        height_spread_eV=cfg["fg_height_spread_eV"], read_noise_rel=cfg["read_noise_rel"])
    out = family.results(seed=cfg["seed"], map=ctx.map)
    return out["pulse_response"], out["device_response"]


def run(ctx) -> dict[str, Result]:
    """Barrier transmissions, J–V families, FN sweep, R·A, and the floating-gate device response.

    Parameters
    ----------
    ctx : StageContext
        The stage's configuration, the results of earlier stages and ``ctx.map`` (MPI ranks).

    Returns
    -------
    dict of str to Result
        The stage's results by name (written under the stage's group of the run file).
    """
    calls = plan(ctx.config)
    ctx.progress(f"tunneling: {len(calls)} barrier calculations")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    results = dict(zip(calls, outputs))
    ctx.progress(f"tunneling: floating-gate ensemble of {ctx.config['fg_devices']} devices")
    results["floating_gate"], results["device_response"] = _floating_gate(ctx)
    return results


def _layer_keys(results: dict, prefix: str) -> list[str]:
    return sorted((k for k in results if k.startswith(prefix)),
                  key=lambda k: int(k[len(prefix):-1]))


def _fn_fit(r: Result):
    """FN coordinates, slope in the FN regime and V_t of a J–V result (x, y, slope, V_t)."""
    from ...tight_binding.tunneling_currents import fn_fit
    return fn_fit(r.bias_V, r.current_density_A_per_m2, r.attrs["thickness_nm"],
                  r.attrs["barrier_height_eV"])


def _fn_figure(r: Result, save, plt) -> None:
    """FN regime on its own 1/F axis with the fitted and analytic slopes; V_t on a 1/V axis."""
    from ...tight_binding.tunneling import fowler_nordheim_slope
    from ...tight_binding.tunneling_currents import FN_REGIME_FACTOR, fn_regime_line
    x, y, slope, vt = _fn_fit(r)
    a = r.attrs
    v = r.bias_V
    j = np.abs(r.current_density_A_per_m2)
    pos = (v > 0) & (j > 0)
    high, _, intercept = fn_regime_line(v, r.current_density_A_per_m2, a["thickness_nm"],
                                        a["barrier_height_eV"])
    fig, (ax, ax_t) = plt.subplots(1, 2, figsize=(9, 3.6))
    if high.sum() >= 3:
        xf, yf = x[high] * 1e9, y[high]                        # 1/F in nm/V
        ax.plot(xf, yf, "o", ms=3, label=f"Tsu–Esaki, $eV > {FN_REGIME_FACTOR:g}\\,\\phi_B$")
        b = fowler_nordheim_slope(a["barrier_height_eV"], a["effective_mass"])
        grid = np.linspace(x[high].min(), x[high].max(), 50)
        ax.plot(grid * 1e9, intercept + slope * grid, "-", color="C1",
                label=f"fit: slope {slope:.3g} V/m")
        xm = grid.mean()             # the analytic slope −b drawn through the fit's centre
        ax.plot(grid * 1e9, intercept + slope * xm - b * (grid - xm), "k--", lw=1,
                label=f"FN: $-b$ = {-b:.3g} V/m")
        ax.legend(fontsize=7)
    else:
        ax.text(0.5, 0.5, "no bias above 1.2 $\\phi_B$:\nno FN regime in range",
                ha="center", va="center", transform=ax.transAxes)
    ax.set(xlabel="$1/F$ (nm/V)", ylabel="$\\ln(J/F^2)$ (SI units)",
           title=f"Fowler–Nordheim regime, {r.params['n_layers']} h-BN layers")
    inv_v = 1.0 / v[pos]
    ax_t.semilogx(inv_v, np.log(j[pos] / v[pos] ** 2), "o", ms=3, label="Tsu–Esaki")
    if np.isfinite(vt):
        ax_t.axvline(1.0 / vt, color="k", ls=":", label=f"$V_t$ = {vt:.2f} V")
    ax_t.set(xlabel="$1/V$ (V$^{-1}$)", ylabel="$\\ln(J/V^2)$",
             title="transition voltage (minimum)")
    ax_t.legend(fontsize=7)
    save(fig, "fn")


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """T(E) for 1–6 layers, J–V families, FN plot, floating-gate potentiation/depression.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``transmission_*L``, ``iv_*L``, ``fn``,
        ``floating_gate``; a figure whose results are absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/tunneling_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    save = FigureSaver(fig_dir, "tunneling")

    keys = _layer_keys(results, "transmission_")
    if keys:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in keys:
            r = results[k]
            ax.semilogy(r.energies_eV, r.transmission, label=k.split("_")[1])
        ax.set(xlabel="$E - E_c$ of the electrode (eV)", ylabel="$T(E)$",
               title="h-BN barriers (exact transfer matrix)")
        ax.legend(title="layers", fontsize=7)
        save(fig, "transmission")
    keys = _layer_keys(results, "iv_")
    if keys:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in keys:
            r = results[k]
            ax.semilogy(r.bias_V, np.abs(r.current_density_A_per_m2), label=k.split("_")[1])
        ax.set(xlabel="bias $V$ (V)", ylabel="$|J|$ (A m$^{-2}$)", title="Tsu–Esaki $J$–$V$, 300 K")
        ax.legend(title="layers", fontsize=7)
        save(fig, "jv")
    if "fn" in results:
        _fn_figure(results["fn"], save, plt)
    if "floating_gate" in results:
        r = results["floating_gate"]
        fig, (ax, ax_v) = plt.subplots(1, 2, figsize=(8, 3.6))
        n = r.pulse_number
        curves = ((ax, r.conductance_ltp_S * 1e6, r.conductance_ltd_S * 1e6),
                  (ax_v, r.threshold_ltp_V, r.threshold_ltd_V))
        for a, ltp, ltd in curves:
            for i in range(ltp.shape[0]):
                first = a is ax and i == 0
                a.plot(n, ltp[i], "-", color="C0", alpha=1 if i == 0 else 0.4,
                       label="potentiation, nominal device" if first else
                       ("other devices (layer/height spread)" if a is ax and i == 1 else None))
                a.plot(n + n[-1], ltd[i], "-", color="C3", alpha=1 if i == 0 else 0.4,
                       label="depression, nominal device" if first else None)
        ax_v.axhline(float(r.read_gate_V), color="k", ls=":", label="read gate voltage")
        ax_v.legend(fontsize=7)
        ax.legend(fontsize=7)
        ax.set(xlabel="pulse number (potentiation, then depression)", ylabel="$G$ (µS)",
               title="floating gate: potentiation / depression")
        ax_v.set(xlabel="pulse number", ylabel="$V_\\mathrm{th}$ (V)",
                 title="threshold vs read gate")
        save(fig, "floating_gate")
    return save.paths


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines: decay per layer vs WKB, R·A, FN slope and V_t, floating-gate figures.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`).

    Returns
    -------
    list of str
        Markdown lines of the report (numbers taken from ``results``).
    """
    lines = []
    if "resistance_area" in results:
        r = results["resistance_area"]
        dec = r.decay_per_layer
        lines.append(f"- ln(J_n/J_(n+1)) per h-BN layer: {', '.join(f'{d:.2f}' for d in dec)} vs "
                     f"WKB 2κd = {float(r.wkb_decay_per_layer):.2f} "
                     f"(`tunneling/resistance_area/decay_per_layer`)")
        lines.append(f"- R·A: {float(r.resistance_area_ohm_m2[0]):.3g} Ω m² (1 layer) → "
                     f"{float(r.resistance_area_ohm_m2[-1]):.3g} Ω m² ({len(dec) + 1} layers)")
    if "fn" in results:
        x, y, slope, vt = _fn_fit(results["fn"])
        from ...tight_binding.tunneling import fowler_nordheim_slope
        a = results["fn"].attrs
        b = fowler_nordheim_slope(a["barrier_height_eV"], a["effective_mass"])
        lines.append(f"- FN plot ({results['fn'].params['n_layers']} layers): slope "
                     f"{slope:.3g} V/m vs FN −b = {-b:.3g} V/m; transition voltage "
                     f"V_t = {vt:.2f} V (barrier {a['barrier_height_eV']:.2f} eV)")
    if "floating_gate" in results:
        r = results["floating_gate"]
        g, vth = r.conductance_ltp_S[0], r.threshold_ltp_V[0]
        amp = r.params.get("pulse_amplitude_V", float("nan"))
        lines.append(f"- floating gate (nominal device, ±{amp:g} V pulses of "
                     f"{float(r.write_time_s) * 1e9:.0f} ns, steady cycle): V_th {vth[0]:.2f} → "
                     f"{vth[-1]:.2f} V; read at V_G = {float(r.read_gate_V):.2f} V: G "
                     f"{g[0] * 1e6:.3g} → {g[-1] * 1e6:.3g} µS (on/off {g[-1] / g[0]:.3g}) in "
                     f"{len(g) - 1} pulses; energy/pulse "
                     f"{float(r.event_energy_J[0]) * 1e15:.0f} fJ; retention "
                     f"{float(r.retention_s[0]):.3g} s; SS "
                     f"{float(r.subthreshold_swing_mV_per_dec):.1f} mV/dec "
                     f"(`tunneling/floating_gate`)")
    return lines
