"""Pipeline stage: Josephson junctions — RCSJ I–V with Shapiro steps and hysteresis, SFQ spikes,
magnetic-cluster synapse training (the device response), transmon spectrum and QuTiP dynamics.

Every calculation is a registered model (``josephson.*``) distributed with ``ctx.map``; the SFQ
spike train for the figure is one extra direct call. The magnetic-cluster synapse is the device
family :class:`qtransport.devices.magnetic_josephson.MagneticJosephsonSynapse`: its training curves
and its ``device_response`` (weights = I_c in A).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...constants import PHI0
from ...errors import MAX_STAGE_COUNT
from ...errors import check_int, check_real
from ...devices import magnetic_josephson as magnetic
from ...josephson import sfq, slips
from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver

__all__ = ["DEFAULTS", "FEEDS", "validate", "plan", "run", "figures", "summary"]

DEFAULTS = {
    "critical_current_A": 100e-6,        # RCSJ demo junction
    "resistance_ohm": 2.0,
    "beta_c_shapiro": 0.3,               # damping of the Shapiro-step junction
    "beta_c_hysteretic": 30.0,           # underdamped junction for the up/down sweep
    "bias_points": 81,
    "ac_amplitude_ratio": 1.0,           # I_ac / I_c at f = f_c
    "ej_GHz": 20.0,
    "ec_GHz": 0.3,
    "ng_points": 101,
    "t1_ns": 40.0,
    "rabi_GHz": 0.05,
    "magnetic_preset": "schneider2018",
    "magnetic_pulses": 60,
    "magnetic_devices": 8,
    "magnetic_cycles": 4,            # repeated LTP of one device → cycle-to-cycle variation
    "sfq_inputs": 25,
    "seed": 0,
}

#: the model (or ``device:<family>``) parameter each key feeds; its type and range checks apply
#: to the key, with the full key path in the message, before any stage runs (pipeline)
FEEDS = {
    "critical_current_A": ("josephson.iv_curve", "critical_current_A"),
    "resistance_ohm": ("josephson.iv_curve", "resistance_ohm"),
    "ej_GHz": ("josephson.relaxation", "ej_GHz"),
    "ec_GHz": ("josephson.relaxation", "ec_GHz"),
    "t1_ns": ("josephson.relaxation", "t1_ns"),
    "rabi_GHz": ("josephson.rabi", "rabi_GHz"),
    "magnetic_preset": ("device:magnetic_josephson", "preset"),
    "magnetic_pulses": ("device:magnetic_josephson", "n_pulses"),
    "magnetic_devices": ("device:magnetic_josephson", "n_devices"),
    "magnetic_cycles": ("device:magnetic_josephson", "n_cycles"),
    "seed": ("magnetic_josephson.training", "seed"),
}


def validate(cfg: dict) -> None:
    """Checks of the [josephson] keys that feed no single model parameter (grid sizes, ratios).

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError, TypeError
        A key out of range or inconsistent with another (the message names the key).
    """
    for key in ("bias_points", "ng_points"):
        check_int(f"josephson.{key}", cfg[key], low=2, high=MAX_STAGE_COUNT)
    check_int("josephson.sfq_inputs", cfg["sfq_inputs"], low=1, high=MAX_STAGE_COUNT)
    for key in ("beta_c_shapiro", "beta_c_hysteretic"):
        check_real(f"josephson.{key}", cfg[key], low=0.0, low_open=True)
    check_real("josephson.ac_amplitude_ratio", cfg["ac_amplitude_ratio"], low=0.0)


def _capacitance(cfg: dict, beta_c: float) -> float:
    from ...josephson.junction import capacitance_for_stewart_mccumber
    return capacitance_for_stewart_mccumber(cfg["critical_current_A"], cfg["resistance_ohm"],
                                            beta_c)


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    :func:`run` maps them over the ranks; the pipeline validates every one against its model's
    schema before any stage runs.

    Parameters
    ----------
    cfg : dict
        The merged ``josephson`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``iv_shapiro``,
        ``iv_hysteresis``, ``spectrum``, ``spectrum_cpb``, ``relaxation``, ``rabi``, ``sfq_rate``.
    """
    ic, r = cfg["critical_current_A"], cfg["resistance_ohm"]
    fc = ic * r / PHI0
    bias = list(np.linspace(0.0, 2.5 * ic, int(cfg["bias_points"])))
    times = list(np.linspace(0.0, 5 * cfg["t1_ns"], 201))
    threshold = sfq.SFQNeuron().threshold_input_A
    return {
        "iv_shapiro": ("josephson.iv_curve", dict(
            critical_current_A=ic, resistance_ohm=r, bias_A=bias,
            capacitance_F=_capacitance(cfg, cfg["beta_c_shapiro"]),
            ac_amplitude_A=cfg["ac_amplitude_ratio"] * ic, ac_frequency_Hz=fc)),
        "iv_hysteresis": ("josephson.iv_curve", dict(
            critical_current_A=ic, resistance_ohm=r, bias_A=list(np.linspace(0, 1.5 * ic, 61)),
            capacitance_F=_capacitance(cfg, cfg["beta_c_hysteretic"]), direction="both")),
        "spectrum": ("josephson.spectrum", dict(
            ej_GHz=cfg["ej_GHz"], ec_GHz=cfg["ec_GHz"], ncut=30, levels=4,
            ng_values=list(np.linspace(-1.0, 1.0, int(cfg["ng_points"]))))),
        "spectrum_cpb": ("josephson.spectrum", dict(
            ej_GHz=cfg["ec_GHz"], ec_GHz=cfg["ec_GHz"], ncut=30, levels=4,
            ng_values=list(np.linspace(-1.0, 1.0, int(cfg["ng_points"]))))),
        "relaxation": ("josephson.relaxation", dict(
            ej_GHz=cfg["ej_GHz"], ec_GHz=cfg["ec_GHz"], t1_ns=cfg["t1_ns"], times_ns=times)),
        "rabi": ("josephson.rabi", dict(rabi_GHz=cfg["rabi_GHz"], t1_ns=cfg["t1_ns"],
                                        times_ns=times)),
        "sfq_rate": ("josephson.sfq_firing_rate", dict(
            input_A=list(np.linspace(0.0, 4 * threshold, int(cfg["sfq_inputs"]))))),
    }


def run(ctx) -> dict[str, Result]:
    """Compute the Josephson demo results and the magnetic-cluster device response.

    Parameters
    ----------
    ctx : StageContext
        The stage's configuration, the results of earlier stages and ``ctx.map`` (MPI ranks).

    Returns
    -------
    dict of str to Result
        The stage's results by name (written under the stage's group of the run file).

    Raises
    ------
    ValueError
        If the config key ``josephson.magnetic_preset`` is not one of
        :data:`qtransport.devices.magnetic_josephson.PRESETS`.
    """
    cfg = ctx.config
    if cfg["magnetic_preset"] not in magnetic.PRESETS:
        raise ValueError(f"config key josephson.magnetic_preset must be one of "
                         f"{list(magnetic.PRESETS)}, got {cfg['magnetic_preset']!r}")
    calls = plan(cfg)
    ctx.progress(f"josephson: {len(calls)} model calls")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    results = dict(zip(calls, outputs))
    neuron = sfq.SFQNeuron()
    results["sfq_spike_train"] = sfq.spike_train(2.0 * neuron.threshold_input_A, 300e-12)
    tr = results["sfq_spike_train"]
    results["sfq_slips"] = slips.phase_slips(tr.time_s, tr.phase, tr.voltage_V,
                                             resistance_ohm=neuron.junction.resistance_ohm)
    family = magnetic.MagneticJosephsonSynapse(
        preset=cfg["magnetic_preset"], n_pulses=cfg["magnetic_pulses"],
        n_devices=cfg["magnetic_devices"], n_cycles=cfg["magnetic_cycles"])
    results.update(family.results(seed=cfg["seed"], map=ctx.map))
    return results


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """I–V with Shapiro steps and hysteresis, SFQ spike train, I_c vs pulses, spectra, dynamics.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``iv_shapiro`` (with
        ``iv_hysteresis``), ``sfq_spike_train``, ``magnetic_training``, ``spectrum`` (with
        ``spectrum_cpb``), ``rabi`` with ``relaxation``; a figure whose results are absent is left
        out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/josephson_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    save = FigureSaver(fig_dir, "josephson")

    if "iv_shapiro" in results:
        iv, hy = results["iv_shapiro"], results.get("iv_hysteresis")
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        f = iv.params["ac_frequency_Hz"]
        axes[0].plot(iv.bias_A * 1e6, iv.voltage_V / (PHI0 * f), ".-")
        axes[0].set(xlabel="bias (µA)", ylabel="$V/(\\Phi_0 f)$", title="Shapiro steps (RF-driven RCSJ)")
        axes[0].grid(alpha=0.3)
        if hy is not None:
            axes[1].plot(hy.bias_A * 1e6, hy.voltage_V * 1e6, label="sweep up")
            axes[1].plot(hy.bias_A * 1e6, hy.voltage_down_V * 1e6, "--", label="sweep down")
            axes[1].set(xlabel="bias (µA)", ylabel="$V$ (µV)",
                        title=f"hysteresis, $\\beta_c$ = {hy.attrs['stewart_mccumber']:.0f}")
            axes[1].legend()
        save(fig, "iv")
    if "sfq_spike_train" in results:
        tr = results["sfq_spike_train"]
        fig, ax = plt.subplots(figsize=(8, 3))
        ax.plot(tr.time_s * 1e12, tr.voltage_V * 1e6)
        ax.set(xlabel="time (ps)", ylabel="$V$ (µV)", title="SFQ neuron: $2\\pi$ phase-slip pulses")
        save(fig, "sfq_spikes")
    if "magnetic_training" in results:
        m = results["magnetic_training"]
        fig, ax = plt.subplots(figsize=(6, 4))
        for row in range(m.ic_ltp_A.shape[0]):
            ax.plot(m.pulse_number, m.ic_ltp_A[row] * 1e6, "C0", alpha=0.5,
                    label=f"potentiation ({len(m.ic_ltp_A)} devices)" if row == 0 else None)
            ax.plot(m.pulse_number, m.ic_ltd_A[row] * 1e6, "C3", alpha=0.5,
                    label="depression" if row == 0 else None)
        ax.set(xlabel="training pulses", ylabel="$I_c$ (µA)",
               title="Mn-cluster magnetic Josephson synapse")
        ax.legend(fontsize=8)
        save(fig, "magnetic_training")
    if "spectrum" in results:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, key in zip(axes, ("spectrum_cpb", "spectrum")):
            if key in results:
                s = results[key]
                ax.plot(s.ng, s.energies_GHz - s.energies_GHz[:, :1].min())
                ax.set(xlabel="offset charge $n_g$", ylabel="$(E_m - E_0)/h$ (GHz)",
                       title=f"$E_J/E_C$ = {s.params['ej_GHz'] / s.params['ec_GHz']:.3g}")
        save(fig, "spectrum")
    if "rabi" in results and "relaxation" in results:
        fig, ax = plt.subplots(figsize=(7, 4))
        for key, label in (("relaxation", "T1 decay"), ("rabi", "Rabi")):
            r = results[key]
            ax.plot(r.times_ns, r.population_excited, label=f"{label} (mesolve)")
            ax.plot(r.times_ns, r.analytic_excited, "k:", lw=1)
        ax.set(xlabel="$t$ (ns)", ylabel="$P(|1\\rangle)$", title="QuTiP mesolve vs exact (dotted)")
        ax.legend()
        save(fig, "dynamics")
    return save.paths


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines quoting numbers read from the results.

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
    if "iv_shapiro" in results:
        iv = results["iv_shapiro"]
        from ...josephson.rcsj import shapiro_step_orders
        orders, locked = shapiro_step_orders(iv.voltage_V, iv.params["ac_frequency_Hz"])
        lines.append(f"- Shapiro steps (`josephson/iv_shapiro`): {int(locked.sum())} of "
                     f"{orders.size} bias points phase-locked at V = nΦ0f, orders "
                     f"{sorted(set(orders[locked].tolist()))}.")
    if "iv_hysteresis" in results:
        hy = results["iv_hysteresis"]
        running = hy.bias_A[hy.voltage_down_V > 0]
        if running.size:
            lines.append(f"- Hysteresis (β_c = {hy.attrs['stewart_mccumber']:.0f}): retrapping "
                         f"at {running.min() * 1e6:.1f} µA on the down sweep.")
    if "magnetic_training" in results:
        m = results["magnetic_training"]
        lines.append(f"- Mn-cluster synapse: I_c {m.ic_ltp_A[:, 0].mean() * 1e6:.1f} → "
                     f"{m.ic_ltp_A[:, -1].mean() * 1e6:.1f} µA (LTP, {m.pulse_number[-1]} "
                     f"pulses); spiking energy {float(m.spiking_energy_J) * 1e18:.3f} aJ, "
                     f"training pulse {float(m.training_energy_J) * 1e18:.2f} aJ, plasma "
                     f"frequency ≥ {float(m.plasma_frequency_min_Hz) / 1e9:.0f} GHz.")
    if "sfq_slips" in results:
        s = results["sfq_slips"]
        lines.append(f"- SFQ neuron: {s.attrs['count']} pulses in the trace; pulse area / Φ0 = "
                     f"{np.mean(s.area_Wb[1:]) / PHI0:.6f}.")
    if "sfq_rate" in results:
        r = results["sfq_rate"]
        lines.append(f"- SFQ firing threshold {float(r.threshold_input_A) * 1e6:.1f} µA; max rate "
                     f"{r.rate_Hz.max() / 1e9:.1f} GHz; energy per spike "
                     f"{np.nanmedian(r.energy_per_spike_J) * 1e18:.3f} aJ (median).")
    for key in ("relaxation", "rabi"):
        if key in results:
            r = results[key]
            err = np.max(np.abs(r.population_excited - r.analytic_excited))
            lines.append(f"- {key}: mesolve vs exact, max |ΔP| = {err:.1e}.")
    return lines
