"""Pipeline stage: quantized filament conductance (staircases, growth, histograms, QPC).

Every calculation is one registered model call, distributed with ``ctx.map``: the Kwant
staircases, constrictions, histogram and QPC, and the ECM kinetics (``ecm_switching``: SET time
vs voltage, ``ecm_retention``: contact lifetime vs temperature, both kinetic Monte Carlo). The
stage ends with the filament device family (:class:`qtransport.devices.filament.FilamentSwitch`):
its KMC pulse trains (``kmc_device_i``, ``kmc_cycle_i``, also mapped; ``growth_device_i``,
``growth_cycle_i`` with ``kinetics = "atom_per_pulse"``) and its device response.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...constants import G0
from ...errors import MAX_STAGE_COUNT
from ...errors import check_int
from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver, si_text
from . import Grid, grid_values

__all__ = ["DEFAULTS", "FEEDS", "validate", "plan", "run", "vacancy_families", "figures", "summary"]

DEFAULTS = {
    "staircase_energies_eV": Grid(0.0, 3.0, 121),   # eV above the band bottom (hopping 1 eV)
    "width_2d_atoms": 6,
    "width_3d_atoms": 3,
    "length_atoms": 8,
    "temperature_K": 300.0,
    "constriction_width_atoms": 2,
    "electrode_width_atoms": 10,
    "growth_material": "Ag",
    "growth_max_width_atoms": 3,     # cross-section (KMC: box width) in atoms
    "kinetics": "kmc",               # "kmc" (electrochemical KMC) or "atom_per_pulse"
    "ecm_length_atoms": 4,           # KMC: columns between the electrodes
    "ecm_pulses": 6,                 # KMC: pulses per SET / RESET branch
    "reset_voltage_V": -1.5,         # KMC RESET: two-step depression (local field; scattering:
    "reset_width_s": 1e-5,           # in 1 of 3 devices), between "no change" and one pulse
    "compliance_A": 1e-4,
    "switching_voltages_V": [1.5, 2.0, 2.5, 3.0, 4.0],
    "retention_temperatures_K": [300.0, 350.0, 400.0, 450.0],
    "ecm_runs": 4,                   # KMC runs per voltage / temperature
    "stdp_delays_s": [-3e-3, -1.5e-3, -1e-3, -5e-4, 5e-4, 1e-3, 1.5e-3, 3e-3],
    "stdp_amplitude_V": 1.0,         # spike half amplitude (overlap: 2 x)
    "ecm_read_voltage_V": 0.1,       # read bias held during storage (read disturb)
    "stdp_half_width_s": 1e-3,
    "vacancy_devices": 2,            # 2-D vacancy memristor (MoS2): vacancy placements (0: off)
    "vacancy_set_voltage_V": 0.6,
    "vacancy_reset_voltage_V": -1.5,
    "vacancy_pulse_width_s": 1e-3,
    "vacancy_pulses": 6,
    "vacancy_hbn_devices": 2,        # 2-D vacancy memristor (h-BN, two-band): placements (0: off)
    "vacancy_hbn_set_voltage_V": 0.8,
    "vacancy_hbn_reset_voltage_V": -1.6,
    "vacancy_hbn_electrode": "fcc111",   # h-BN cell's metal: "fcc111" (k∥-conserving) or "chains"
    "growth_devices": 4,             # disorder realizations → device-to-device spread
    "growth_cycles": 4,              # random re-growth orders → cycle-to-cycle spread
    "growth_disorder_eV": 0.3,
    "histogram_samples": 60,         # random smooth contact geometries (2D, t = 1 eV)
    "qpc_energies_eV": Grid(0.0, 0.07, 15),
    "qpc_lattice_constant_nm": 1.0,
    "pulse_voltage_V": 2.5,          # SET pulse (KMC: sets the atoms added per pulse)
    "pulse_width_s": 1e-3,
    "read_noise_rel": 0.01,
    "seed": 0,
}

#: the model (or ``device:<family>``) parameter each key feeds; its type and range checks apply
#: to the key, with the full key path in the message, before any stage runs (pipeline)
FEEDS = {
    "staircase_energies_eV": ("filament.conductance", "energies_eV"),
    "width_2d_atoms": ("filament.conductance", "width_atoms"),
    "width_3d_atoms": ("filament.conductance", "width_atoms"),
    "length_atoms": ("filament.conductance", "length_atoms"),
    "temperature_K": ("filament.conductance", "temperature_K"),
    "constriction_width_atoms": ("filament.conductance", "width_atoms"),
    "electrode_width_atoms": ("filament.conductance", "electrode_width_atoms"),
    "growth_material": ("device:filament", "material"),
    "growth_max_width_atoms": ("device:filament", "max_width_atoms"),
    "growth_devices": ("device:filament", "n_devices"),
    "growth_cycles": ("device:filament", "n_cycles"),
    "growth_disorder_eV": ("device:filament", "disorder_eV"),
    "kinetics": ("device:filament", "kinetics"),
    "ecm_length_atoms": ("device:filament", "length_atoms"),
    "ecm_pulses": ("device:filament", "n_pulses"),
    "reset_voltage_V": ("device:filament", "reset_voltage_V"),
    "reset_width_s": ("device:filament", "reset_width_s"),
    "compliance_A": ("device:filament", "compliance_A"),
    "switching_voltages_V": ("ecm.switching_time", "voltages_V"),
    "retention_temperatures_K": ("ecm.retention", "temperatures_K"),
    "ecm_runs": ("ecm.switching_time", "n_runs"),
    "stdp_delays_s": ("ecm.stdp_window", "delays_s"),
    "stdp_amplitude_V": ("ecm.stdp_window", "amplitude_V"),
    "ecm_read_voltage_V": ("ecm.retention", "read_voltage_V"),
    "stdp_half_width_s": ("ecm.stdp_window", "half_width_s"),
    "vacancy_set_voltage_V": ("device:vacancy_2d", "set_voltage_V"),
    "vacancy_reset_voltage_V": ("device:vacancy_2d", "reset_voltage_V"),
    "vacancy_pulse_width_s": ("device:vacancy_2d", "set_width_s"),
    "vacancy_pulses": ("device:vacancy_2d", "n_pulses"),
    "vacancy_hbn_set_voltage_V": ("device:vacancy_2d_hbn", "set_voltage_V"),
    "vacancy_hbn_reset_voltage_V": ("device:vacancy_2d_hbn", "reset_voltage_V"),
    "vacancy_hbn_electrode": ("device:vacancy_2d_hbn", "electrode"),
    "histogram_samples": ("filament.ensemble", "n_samples"),
    "qpc_energies_eV": ("qpc.saddle_point_qpc", "energies_eV"),
    "qpc_lattice_constant_nm": ("qpc.saddle_point_qpc", "lattice_constant_nm"),
    "pulse_voltage_V": ("device:filament", "pulse_voltage_V"),
    "pulse_width_s": ("device:filament", "pulse_width_s"),
    "read_noise_rel": ("device:filament", "read_noise_rel"),
    "seed": ("filament.ensemble", "seed"),
}


def validate(cfg: dict) -> None:
    """Checks of the [filament] keys that feed no model parameter as such.

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError, TypeError
        ``vacancy_devices`` or ``vacancy_hbn_devices`` is not an integer >= 0 (0 leaves that
        memristor out; the families themselves need >= 1).
    """
    for key in ("vacancy_devices", "vacancy_hbn_devices"):
        check_int(f"config key filament.{key}", cfg[key], low=0)


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    :func:`run` maps them over the ranks; the pipeline validates every one against its model's
    schema before any stage runs.

    Parameters
    ----------
    cfg : dict
        The merged ``filament`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``staircase_<2|3>d_<T>K``,
        ``constriction_<abrupt|smooth>``, ``histogram``, ``qpc``; with ``kinetics = "kmc"`` also
        ``ecm_switching``, ``ecm_retention``, ``ecm_read_disturb``, ``ecm_stdp``.
    """
    energies = grid_values(cfg["staircase_energies_eV"], "filament.staircase_energies_eV")
    common = {"energies_eV": energies, "length_atoms": cfg["length_atoms"]}
    calls = {}
    for dim, width in ((2, cfg["width_2d_atoms"]), (3, cfg["width_3d_atoms"])):
        for label, temp in (("0K", 0.0), (f"{cfg['temperature_K']:g}K", cfg["temperature_K"])):
            calls[f"staircase_{dim}d_{label}"] = ("filament.conductance", dict(
                common, width_atoms=width, dimension=dim, temperature_K=temp))
    for profile in ("abrupt", "smooth"):
        calls[f"constriction_{profile}"] = ("filament.conductance", dict(
            common, width_atoms=cfg["constriction_width_atoms"], profile=profile,
            electrode_width_atoms=cfg["electrode_width_atoms"], length_atoms=8))
    calls["histogram"] = ("filament.ensemble", dict(
        width_atoms=8, fermi_energy_eV=2.0, kind="geometry", n_samples=cfg["histogram_samples"],
        length_atoms=10, electrode_width_atoms=16, disorder_eV=0.3, seed=cfg["seed"]))
    if cfg["kinetics"] == "kmc":
        cell = dict(material=cfg["growth_material"], width_atoms=cfg["growth_max_width_atoms"],
                    length_atoms=cfg["ecm_length_atoms"], n_runs=cfg["ecm_runs"],
                    seed=cfg["seed"])
        calls["ecm_switching"] = ("ecm.switching_time", dict(
            cell, voltages_V=list(cfg["switching_voltages_V"]),
            compliance_A=cfg["compliance_A"]))
        calls["ecm_retention"] = ("ecm.retention", dict(
            cell, temperatures_K=list(cfg["retention_temperatures_K"])))
        calls["ecm_read_disturb"] = ("ecm.retention", dict(
            cell, temperatures_K=list(cfg["retention_temperatures_K"]),
            read_voltage_V=cfg["ecm_read_voltage_V"]))
        calls["ecm_stdp"] = ("ecm.stdp_window", dict(
            cell, delays_s=list(cfg["stdp_delays_s"]), amplitude_V=cfg["stdp_amplitude_V"],
            half_width_s=cfg["stdp_half_width_s"], compliance_A=cfg["compliance_A"]))
    calls["qpc"] = ("qpc.saddle_point_qpc", dict(
        energies_eV=grid_values(cfg["qpc_energies_eV"], "filament.qpc_energies_eV"),
        lattice_constant_nm=cfg["qpc_lattice_constant_nm"]))
    return calls


def _family(cfg: dict):
    from ...devices.filament import FilamentSwitch
    return FilamentSwitch(kinetics=cfg["kinetics"], length_atoms=cfg["ecm_length_atoms"],
                          n_pulses=cfg["ecm_pulses"], reset_voltage_V=cfg["reset_voltage_V"],
                          reset_width_s=cfg["reset_width_s"], compliance_A=cfg["compliance_A"],
                          material=cfg["growth_material"],
                          max_width_atoms=cfg["growth_max_width_atoms"],
                          n_devices=cfg["growth_devices"], n_cycles=cfg["growth_cycles"],
                          disorder_eV=cfg["growth_disorder_eV"],
                          pulse_voltage_V=cfg["pulse_voltage_V"],
                          pulse_width_s=cfg["pulse_width_s"], read_noise_rel=cfg["read_noise_rel"])


def run(ctx) -> dict[str, Result]:
    """Compute every filament result of the demo and the filament device response.

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
        If the config keys ``filament.vacancy_devices`` or ``filament.vacancy_hbn_devices``
        are < 0.
    TypeError
        If ``filament.vacancy_devices`` or ``filament.vacancy_hbn_devices`` is not an
        integer.
    """
    calls = plan(ctx.config)
    family = _family(ctx.config)
    ctx.progress(f"filament: {len(calls)} Kwant calculations, then the filament device family")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    results = dict(zip(calls, outputs))
    results.update(family.results(seed=ctx.config["seed"], map=ctx.map))
    for vac in vacancy_families(ctx.config):
        for name, res in vac.results(seed=ctx.config["seed"], map=ctx.map).items():
            results[f"{vac.name}/{name}"] = res
    return results


def vacancy_families(cfg: dict) -> list:
    """The 2-D vacancy memristors of the config: MoS₂ (``vacancy_*`` keys) and h-BN
    (``vacancy_hbn_*``, its electrodes from ``vacancy_hbn_electrode``); one with 0 devices is
    left out.

    Parameters
    ----------
    cfg : dict
        The merged ``[filament]`` section.

    Returns
    -------
    list of VacancyMemristor
        The families to run, MoS₂ first.

    Raises
    ------
    ValueError
        If the config keys ``filament.vacancy_devices`` or ``filament.vacancy_hbn_devices`` are < 0
        or > 10000.
    TypeError
        If ``filament.vacancy_devices`` or ``filament.vacancy_hbn_devices`` is not an integer.
    """
    from ...devices.vacancy_memristor import HBNVacancyMemristor, VacancyMemristor
    out = []
    for cls, key, extra in ((VacancyMemristor, "vacancy", {}),
                            (HBNVacancyMemristor, "vacancy_hbn",
                             {"electrode": cfg["vacancy_hbn_electrode"]})):
        if check_int(f"filament.{key}_devices", cfg[f"{key}_devices"], low=0,
                     high=MAX_STAGE_COUNT):
            out.append(cls(n_devices=cfg[f"{key}_devices"], n_cycles=2,
                           n_pulses=cfg["vacancy_pulses"],
                           set_voltage_V=cfg[f"{key}_set_voltage_V"],
                           reset_voltage_V=cfg[f"{key}_reset_voltage_V"],
                           set_width_s=cfg["vacancy_pulse_width_s"],
                           reset_width_s=cfg["vacancy_pulse_width_s"], **extra))
    return out


#: conductance axis label (mathtext): G in units of the conductance quantum
G_LABEL = "$G$ ($G_0 = 2e^2/h$)"


def _thousand_over(x):
    """1000/x for the T ↔ 1000/T axis pair (inf at 0, where matplotlib probes the limits)."""
    x = np.array(x, dtype=float)
    zero = np.isclose(x, 0.0)
    x[zero] = np.inf
    x[~zero] = 1000.0 / x[~zero]
    return x


def _display_bin_width(n_samples: int, stored: float) -> float:
    """Histogram bin for the figure: ~1/√n G0 (a few counts per bin), at most 0.25 G0 so the
    integer plateaus stay resolved, never finer than the stored bins; a multiple of them."""
    target = min(0.25, 1.0 / np.sqrt(max(n_samples, 1)))
    return max(stored, stored * round(target / stored))



def _per_temperature(r) -> str:
    """'T K: t s' for each storage temperature of a retention-type result."""
    return ", ".join(f"{T:g} K: {x:.3g} s" for T, x in zip(r.temperatures_K, r.mean_time_s))

def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """Staircases (2D, 3D), constriction profiles, growth, histogram, QPC vs Büttiker.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``staircase_*``, ``constriction_*``,
        ``growth_device_*``, ``kmc_device_*``, ``<family>/vacancy_device_*``, ``ecm_*``,
        ``histogram``, ``qpc``; a figure whose results are absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/filament_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    from ...tight_binding.filament import wire_mode_count
    save = FigureSaver(fig_dir, "filament")

    for dim in (2, 3):
        keys = sorted(k for k in results if k.startswith(f"staircase_{dim}d_"))
        if not keys:
            continue
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in keys:
            r = results[k]
            ax.plot(r.energies_eV, r.conductance_G0,
                    label=f"$T$ = {k.rsplit('_', 1)[1].removesuffix('K')} K")
        r = results[keys[0]]
        ax.plot(r.energies_eV, wire_mode_count(r.params["width_atoms"], r.energies_eV, dim,
                                               r.params["hopping_eV"]), "k:", lw=1,
                label="mode count (exact)")
        ax.set(xlabel="$E - E_c$ (eV), $t$ = 1 eV", ylabel=G_LABEL,
               title=f"{dim}D uniform wire, W = {r.params['width_atoms']}")
        ax.legend()
        save(fig, f"staircase_{dim}d")
    if "constriction_abrupt" in results:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for profile in ("abrupt", "smooth"):
            r = results[f"constriction_{profile}"]
            ax.plot(r.energies_eV, r.conductance_G0, label=profile)
        ax.set(xlabel="$E - E_c$ (eV)", ylabel=G_LABEL,
               title="constriction between wide electrodes")
        ax.legend()
        save(fig, "constriction")
    devices = sorted(k for k in results if k.startswith("growth_device_"))
    if devices:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in devices:
            r = results[k]
            ax.step(r.width_atoms, r.conductance_G0, where="mid", alpha=0.8,
                    label=f"device {k.rsplit('_', 1)[1]} (disorder seed {r.params['seed']}, "
                          f"$W$ = {r.params['disorder_eV']:g} eV)")
        ax.set(xlabel="atoms in the filament cross-section", ylabel=G_LABEL,
               title=f"atom-by-atom growth ({r.params['dimension']}D Ag, disorder ensemble)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
        save(fig, "growth")
    trains = sorted(k for k in results if k.startswith("kmc_device_"))
    if trains:
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in trains:
            r = results[k]
            ax.semilogy(np.arange(r.conductance_S.size), r.conductance_S / G0, "o-", ms=3,
                        label=k.replace("kmc_", "").replace("_", " "))
        p = results[trains[0]].params
        ax.axvline(p["n_pulses"], color="k", ls=":", lw=0.8, label="SET → RESET")
        ax.set(xlabel="pulse number (SET, then RESET)", ylabel=r"read $G$ ($G_0$)",
               title=f"ECM KMC: {p['set_voltage_V']:g} V / {si_text(p['set_width_s'], 's')} "
                     f"SET, {p['reset_voltage_V']:g} V / {si_text(p['reset_width_s'], 's')} "
                     "RESET")
        ax.legend(fontsize=7)
        save(fig, "kmc_pulse_trains")
    for prefix, title in (("vacancy_2d", "MoS$_2$"), ("vacancy_2d_hbn", "h-BN (two-band)")):
        vac = sorted(k for k in results if k.startswith(f"{prefix}/vacancy_device_"))
        if not vac:
            continue
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for k in vac:
            r = results[k]
            ax.semilogy(np.arange(r.conductance_G0.size), r.conductance_G0, "o-", ms=3,
                        label=f"device {k.rsplit('_', 1)[1]}")
        p = results[vac[0]].params
        ax.axvline(p["n_pulses"], color="k", ls=":", lw=0.8, label="SET → RESET")
        ax.set(xlabel="pulse number (SET, then RESET)", ylabel=r"$G$ ($G_0$)",
               title=f"{title} vacancy memristor:\n{p['set_voltage_V']:g} V SET, "
                     f"{p['reset_voltage_V']:g} V RESET")
        ax.legend(fontsize=7)
        save(fig, prefix)
    if "ecm_switching" in results:
        r = results["ecm_switching"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.errorbar(r.voltages_V, r.mean_time_s, yerr=r.stderr_time_s, fmt="o-", capsize=2,
                    label=f"KMC mean ± standard error ({r.params['n_runs']} runs)")
        ax.set_yscale("log")
        ax.set(xlabel=r"$V_\mathrm{SET}$ (V)",
               ylabel=r"time to first contact $t_\mathrm{SET}$ (s)",
               title=f"ECM switching time vs voltage ({r.params['material']})")
        ax.legend(fontsize=7)
        save(fig, "switching_time")
    if "ecm_stdp" in results:
        r = results["ecm_stdp"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.errorbar(r.delays_s * 1e3, r.mean_log_change, yerr=r.stderr_log_change, fmt="o",
                    capsize=2, label=f"KMC mean ± standard error ({r.params['n_runs']} runs)")
        ax.axhline(0, color="k", lw=0.8)
        ax.axvline(0, color="0.6", ls=":", lw=0.8)
        ax.set(xlabel=r"$\Delta t = t_\mathrm{post} - t_\mathrm{pre}$ (ms)",
               ylabel=r"$\ln(G_\mathrm{after} / G_\mathrm{before})$",
               title=f"pair STDP (KMC): ±{r.params['amplitude_V']:g} V bipolar spikes")
        ax.legend(fontsize=7, loc="best")
        save(fig, "stdp")
    if "ecm_retention" in results:
        r = results["ecm_retention"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.errorbar(1000.0 / r.temperatures_K, r.mean_time_s, yerr=r.stderr_time_s, fmt="o-",
                    capsize=2, label="no bias")
        if "ecm_read_disturb" in results:
            d = results["ecm_read_disturb"]
            ax.errorbar(1000.0 / d.temperatures_K, d.mean_time_s, yerr=d.stderr_time_s,
                        fmt="s--", capsize=2,
                        label=f"{d.params['read_voltage_V']:g} V read bias held")
        ax.legend(fontsize=7, title=f"KMC mean ± s.e. ({r.params['n_runs']} runs)",
                  title_fontsize=7)
        ax.set_yscale("log")
        ax.set(xlabel=r"$1000/T$ (K$^{-1}$)", ylabel="single-atom contact lifetime (s)",
               title=r"retention (KMC): Arrhenius $E_\mathrm{a}$ = "
                     f"{float(r.activation_energy_eV):.3f} eV")
        top = ax.secondary_xaxis("top", functions=(_thousand_over, _thousand_over))
        top.set_xticks(r.temperatures_K)
        top.set_xlabel("$T$ (K)")
        save(fig, "retention")
    if "histogram" in results:
        r = results["histogram"]
        values = r.conductance_G0
        width = _display_bin_width(values.size, float(r.params["bin_width_G0"]))
        # bins centred on multiples of the width, so the integer plateaus sit mid-bin
        edges = np.arange(-width / 2, values.max() + width, width)
        counts, edges = np.histogram(values, bins=edges)
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", edgecolor="white",
               label=f"{values.size} geometries, {width:g} $G_0$ bins")
        ax.plot(values, np.full(values.size, -0.04 * max(counts.max(), 1)), "|", color="k",
                ms=8, label="each sample")
        ax.set(xlabel=G_LABEL, ylabel="counts",
               title=f"conductance over contact geometries ({r.params['dimension']}D, "
                     f"$E_F$ = {r.params['fermi_energy_eV']:g} eV)")
        ax.set_xticks(np.arange(0, np.ceil(edges[-1]) + 1))
        ax.set_xlim(edges[0], max(edges[-1], np.ceil(values.max())) + width)
        ax.grid(axis="x", alpha=0.4)
        ax.legend(fontsize=7)
        save(fig, "histogram")
    if "qpc" in results:
        r = results["qpc"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.plot(r.energies_eV * 1e3, r.conductance_G0, "o", label="Kwant lattice")
        fine = np.linspace(r.energies_eV.min(), r.energies_eV.max(), 400)
        from ...tight_binding.filament import buttiker_conductance
        p = r.params
        ax.plot(fine * 1e3, buttiker_conductance(fine, p["v0_eV"], p["hbar_omega_x_eV"],
                                                 p["hbar_omega_y_eV"]), label="Büttiker")
        ax.set(xlabel="$E$ (meV)", ylabel=G_LABEL, title="saddle-point QPC: Kwant lattice vs Büttiker")
        ax.legend()
        save(fig, "qpc")
    return save.paths


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines: plateau exactness, growth levels, histogram peaks, QPC agreement.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`).

    Returns
    -------
    list of str
        Markdown lines of the report (numbers taken from ``results``).
    """
    from ...tight_binding.filament import plateau_deviation_G0
    lines = []
    for dim in (2, 3):
        key = f"staircase_{dim}d_0K"
        if key in results:
            r = results[key]
            dev = plateau_deviation_G0(r.params["width_atoms"], r.energies_eV, r.conductance_G0,
                                       dim, r.params["hopping_eV"])
            lines.append(f"- {dim}D uniform wire (W = {r.params['width_atoms']}): max |G − mode "
                         f"count| = {dev:.1e} G0 away from thresholds "
                         f"(`filament/{key}/conductance_G0`)")
    devices = sorted(k for k in results if k.startswith("growth_device_"))
    if devices:
        r = results[devices[0]]
        lines.append(f"- Ag growth: {len(r.width_atoms)} atoms → G from "
                     f"{r.conductance_G0[0]:.2f} to {r.conductance_G0[-1]:.2f} G0 "
                     f"(`filament/{devices[0]}/conductance_G0`)")
    if "ecm_switching" in results:
        r = results["ecm_switching"]
        t = r.mean_time_s
        lines.append(f"- ECM SET time (KMC, {r.params['n_runs']} runs): "
                     + ", ".join(f"{v:g} V: {x:.3g} s" for v, x in zip(r.voltages_V, t))
                     + f"; {np.log10(t[0] / t[-1]) / (r.voltages_V[-1] - r.voltages_V[0]):.2g}"
                     " decades per volt (`filament/ecm_switching/mean_time_s`)")
    if "ecm_retention" in results:
        r = results["ecm_retention"]
        lines.append(f"- ECM retention of a single-atom contact (KMC): "
                     + _per_temperature(r) + f"; Arrhenius E_a = {float(r.activation_energy_eV):.3f} eV "
                     "(`filament/ecm_retention/mean_time_s`)")
    if "ecm_read_disturb" in results:
        r = results["ecm_read_disturb"]
        lines.append(f"- ECM read disturb: contact lifetime under {r.params['read_voltage_V']:g} V "
                     + _per_temperature(r) + " (`filament/ecm_read_disturb/mean_time_s`)")
    if "ecm_stdp" in results:
        r = results["ecm_stdp"]
        lines.append("- ECM pair-STDP window (KMC), ln(G_after/G_before) at Δt (ms): "
                     + ", ".join(f"{d * 1e3:g}: {x:+.2f}" for d, x in zip(r.delays_s,
                                                                       r.mean_log_change))
                     + " (`filament/ecm_stdp/mean_log_change`)")
    for prefix, name in (("vacancy_2d", "MoS2"), ("vacancy_2d_hbn", "h-BN (two-band)")):
        vac = sorted(k for k in results if k.startswith(f"{prefix}/vacancy_device_"))
        if not vac:
            continue
        r = results[vac[0]]
        lv = r.levels_G0
        extra = ""
        if prefix == "vacancy_2d_hbn":
            from ...electrochemistry import vacancy2d
            layer = vacancy2d.layer_parameters(r.params["material"],
                                               patch_sites=r.params["patch_sites"],
                                               temperature_K=r.params["temperature_K"])
            width = r.params["set_width_s"]
            extra = (f"; 50 % switching in one {width:g} s pulse at "
                     f"{vacancy2d.switching_voltage(layer, width):.3g} V SET / "
                     f"{vacancy2d.switching_voltage(layer, width, reset=True):.3g} V RESET "
                     f"(model kinetics)")
        if prefix == "vacancy_2d_hbn":
            extra += f"; {r.params.get('electrode', 'chains')} electrodes"
        lines.append(f"- {name} vacancy memristor: G/G0 with 0…{lv.size - 1} filled vacancies = "
                     + ", ".join(f"{g:.3g}" for g in lv)
                     + f" (on/off {lv[-1] / lv[0]:.3g}{extra}; seed's monolayer MoS2 > 1e4 at "
                     "< 0.25 V is a comparison, not a fit) "
                     f"(`filament/{vac[0]}/levels_G0`)")
    trains = sorted(k for k in results if k.startswith("kmc_device_"))
    if trains:
        r = results[trains[0]]
        lines.append(f"- ECM pulse train ({trains[0]}): read G/G0 = "
                     + ", ".join(f"{g / G0:.3g}" for g in r.conductance_S)
                     + f"; mean pulse energy {np.mean(r.energy_J[1:]):.3g} J "
                     f"(`filament/{trains[0]}/conductance_S`)")
    if "histogram" in results:
        r = results["histogram"]
        frac = np.mean(np.abs(r.conductance_G0 - np.round(r.conductance_G0)) < 0.25)
        lines.append(f"- contact-geometry histogram: {r.conductance_G0.size} contacts, "
                     f"{100 * frac:.0f}% within ±0.25 G0 of an integer "
                     f"(`filament/histogram/conductance_G0`)")
    if "qpc" in results:
        r = results["qpc"]
        lines.append(f"- saddle-point QPC vs Büttiker: max |ΔG| = "
                     f"{np.abs(r.conductance_G0 - r.buttiker_G0).max():.3f} G0 at a = "
                     f"{r.params['lattice_constant_nm']} nm (`filament/qpc/conductance_G0`, "
                     f"`filament/qpc/buttiker_G0`)")
    return lines

