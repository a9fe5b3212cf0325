"""Pipeline stage: superlattice confinement and the quasi-2DEG photonic synapse.

Minibands of InGaO3(ZnO)m (weak default offset and a strong-offset variant) and of a GaAs-like
demo superlattice (with its Kwant cross-check), finite-superlattice transmission, self-consistent
sheet density vs Fermi level, and the photonic synapse: PPF, multi-level programming, retention and
the device response handed to the synapse stage.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver
from . import Grid, grid_values

__all__ = ["DEFAULTS", "FEEDS", "validate", "plan", "run", "figures", "summary"]

DEFAULTS = {
    "ingao3_m_values": [1, 2, 3, 4, 5],
    "strong_offset_eV": 0.5,          # variant of the weak 0.10 eV Anderson-rule offset
    "n_bands": 2,
    "demo_well_nm": 3.0,
    "demo_barrier_nm": 1.0,
    "demo_barrier_height_eV": 0.3,
    "demo_mass": 0.067,
    "transmission_periods": [3, 5, 8],
    "transmission_energies_eV": Grid(0.001, 0.6, 1500),
    "kwant_lattice_constant_nm": 0.02,
    "sp_periods": 4,
    "sp_fermi_energies_eV": Grid(-0.1, 0.15, 11),
    "sp_temperatures_K": [77.0, 300.0],
    "ppf_intervals_s": [0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0],
    "n_pulses": 20,
    "n_devices": 6,
    "device_spread": 0.1,             # log-normal σ of μ, τ_t, τ_a, N_s between devices (weak)
    "read_noise_rel": 0.01,
    "retention_window_s": 3000.0,
    "seed": 0,
}

#: the model (or ``device:<family>``) parameter each key feeds; its type and range checks apply
#: to the key, with the full key path in the message, before any stage runs (pipeline)
FEEDS = {
    "ingao3_m_values": ("superlattice.ingao3_zno", "m"),
    "strong_offset_eV": ("superlattice.ingao3_zno", "barrier_height_eV"),
    "n_bands": ("superlattice.minibands", "n_bands"),
    "demo_well_nm": ("superlattice.minibands", "well_nm"),
    "demo_barrier_nm": ("superlattice.minibands", "barrier_nm"),
    "demo_barrier_height_eV": ("superlattice.minibands", "barrier_height_eV"),
    "demo_mass": ("superlattice.minibands", "well_mass"),
    "transmission_periods": ("superlattice.transmission", "n_periods"),
    "transmission_energies_eV": ("superlattice.transmission", "energies_eV"),
    "kwant_lattice_constant_nm": ("superlattice.minibands", "lattice_constant_nm"),
    "sp_periods": ("schrodinger_poisson.ingao3_zno", "n_periods"),
    "sp_fermi_energies_eV": ("schrodinger_poisson.ingao3_zno", "fermi_energies_eV"),
    "sp_temperatures_K": ("schrodinger_poisson.ingao3_zno", "temperature_K"),
    "ppf_intervals_s": ("device:photonic_2deg", "ppf_intervals_s"),
    "n_pulses": ("device:photonic_2deg", "n_pulses"),
    "n_devices": ("device:photonic_2deg", "n_devices"),
    "device_spread": ("device:photonic_2deg", "device_spread"),
    "read_noise_rel": ("device:photonic_2deg", "read_noise_rel"),
    "retention_window_s": ("device:photonic_2deg", "retention_window_s"),
}


def validate(cfg: dict) -> None:
    """Checks of the [superlattice] lists the stage cannot do without (before any stage runs).

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError
        ``transmission_periods`` or ``sp_temperatures_K`` is empty (the transmission figure
        and the photonic synapse's dark density need at least one), or lists a value twice.
    """
    for key in ("transmission_periods", "sp_temperatures_K", "ingao3_m_values"):
        values = list(cfg[key])
        if not values and key != "ingao3_m_values":
            raise ValueError(f"config key superlattice.{key} must list at least one value, "
                             f"got []")
        twice = [v for i, v in enumerate(values) if v in values[:i]]
        if twice:
            raise ValueError(f"config key superlattice.{key} lists {twice[0]!r} twice, got "
                             f"{values}")


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls of this config, ``label -> (model, params)``.

    :func:`run` maps them over the ranks; the pipeline validates every one against its model's
    schema before any stage runs.

    Parameters
    ----------
    cfg : dict
        The merged ``superlattice`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``demo_minibands``,
        ``demo_minibands_kwant``, ``transmission_N<periods>``, ``ingao3_m<m>`` and
        ``ingao3_m<m>_strong``, ``sheet_density_<T>K``.
    """
    demo = {"well_nm": cfg["demo_well_nm"], "barrier_nm": cfg["demo_barrier_nm"],
            "barrier_height_eV": cfg["demo_barrier_height_eV"], "well_mass": cfg["demo_mass"],
            "barrier_mass": cfg["demo_mass"]}
    calls = {"demo_minibands": ("superlattice.minibands", dict(demo, n_bands=cfg["n_bands"])),
             "demo_minibands_kwant": ("superlattice.minibands", dict(
                 demo, n_bands=cfg["n_bands"], method="kwant",
                 lattice_constant_nm=cfg["kwant_lattice_constant_nm"]))}
    for n in cfg["transmission_periods"]:
        calls[f"transmission_N{n}"] = ("superlattice.transmission", dict(
            demo, energies_eV=grid_values(cfg["transmission_energies_eV"],
                                  "superlattice.transmission_energies_eV"), n_periods=n))
    for m in cfg["ingao3_m_values"]:
        calls[f"ingao3_m{m}"] = ("superlattice.ingao3_zno", {"m": m, "n_bands": cfg["n_bands"]})
        calls[f"ingao3_m{m}_strong"] = ("superlattice.ingao3_zno", {
            "m": m, "n_bands": cfg["n_bands"], "barrier_height_eV": cfg["strong_offset_eV"]})
    for T in cfg["sp_temperatures_K"]:
        calls[f"sheet_density_{T:g}K"] = ("schrodinger_poisson.ingao3_zno", {
            "m": 3, "n_periods": cfg["sp_periods"], "temperature_K": T,
            "fermi_energies_eV": grid_values(cfg["sp_fermi_energies_eV"],
                                             "superlattice.sp_fermi_energies_eV")})
    return calls


def _photonic(cfg: dict, sheet_density: Result) -> dict[str, Result]:
    """The photonic family at the stack's dark density: PPF, programming, device response."""
    from ...devices.photonic import PhotonicQuasi2DEG, dark_density_per_well
    family = PhotonicQuasi2DEG(
        dark_density_per_m2=dark_density_per_well(sheet_density), n_pulses=cfg["n_pulses"],
        n_devices=cfg["n_devices"], device_spread=cfg["device_spread"],
        read_noise_rel=cfg["read_noise_rel"], retention_window_s=cfg["retention_window_s"],
        ppf_intervals_s=cfg["ppf_intervals_s"])
    return family.results(seed=cfg["seed"])


def run(ctx) -> dict[str, Result]:
    """Minibands, transmission, sheet density and the photonic synapse with its device response.

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
    ctx.progress(f"superlattice: {len(calls)} model calls")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    results = dict(zip(calls, outputs))
    # dark density per well: the stack density at the last (300 K) temperature, E_F = well bottom
    sd = results[f"sheet_density_{ctx.config['sp_temperatures_K'][-1]:g}K"]
    results.update(_photonic(ctx.config, sd))
    return results


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """Band diagram with minibands, transmission, sheet density, PPF, multi-level programming.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``demo_minibands``,
        ``transmission_N*``, ``sheet_density_*``, ``ppf``, ``programming``; a figure whose results
        are absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/superlattice_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    save = FigureSaver(fig_dir, "superlattice")

    if "demo_minibands" in results:
        fig, ax = plt.subplots(figsize=(5.5, 3.8))
        _band_diagram(ax, results["demo_minibands"])
        save(fig, "band_diagram")
    trans = sorted((k for k in results if k.startswith("transmission_N")),
                   key=lambda k: int(k[len("transmission_N"):]))
    if trans:
        fig, ax = plt.subplots(figsize=(5.5, 3.8))
        e_lo, e_hi = np.inf, -np.inf
        for k in trans:
            n = int(k[len("transmission_N"):])
            e = results[k].energies_eV
            e_lo, e_hi = min(e_lo, float(e.min())), max(e_hi, float(e.max()))
            ax.plot(e, results[k].transmission, lw=1,
                    label=f"{n} periods ({n - 1} wells)")
        for lo, hi in results.get("demo_minibands", results[trans[0]]).data.get(
                "minibands_eV", np.zeros((0, 2))):
            ax.axvspan(lo, hi, color="0.9", zorder=0)
        ax.set_xlim(e_lo, e_hi)                  # the computed range, not the last miniband
        ax.set(xlabel="$E - E_c$ of the well (eV)", ylabel="transmission $T(E)$",
               title="finite superlattice (shaded: Kronig–Penney minibands)")
        ax.legend(fontsize=8, loc="lower right")
        save(fig, "transmission")
    _sheet_density_figure(results, save, plt)
    _photonic_figures(results, save, plt)
    return save.paths


def _band_diagram(ax, r):
    p = r.params
    d = p["well_nm"] + p["barrier_nm"]
    x = np.linspace(0, 4 * d, 800)
    ax.plot(x, np.where(np.mod(x, d) < p["well_nm"], 0.0, p["barrier_height_eV"]), "k", lw=1)
    for lo, hi in r.minibands_eV:
        ax.axhspan(lo, hi, color="tab:blue", alpha=0.3)
    ax.set(xlabel="$z$ (nm)", ylabel="$E - E_c$ of the well (eV)",
           title="conduction-band edge and Kronig–Penney minibands (shaded)")


def _sheet_density_figure(results, save, plt):
    keys = sorted(k for k in results if k.startswith("sheet_density_"))
    if not keys:
        return
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for k in keys:
        r = results[k]
        ax.semilogy(r.fermi_energy_eV, r.sheet_density_per_m2 * 1e-4, "o-", ms=3,
                    label=k.split("_")[-1])
    ax.set(xlabel="$E_F - E_c$ of the well (eV)", ylabel="$n_s$ (cm$^{-2}$, whole stack)",
           title="InGaO$_3$(ZnO)$_3$ stack: self-consistent sheet density")
    ax.legend(title="temperature")
    save(fig, "sheet_density")


def _photonic_figures(results, save, plt):
    if "ppf" in results:
        r = results["ppf"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.semilogx(r.interval_s, 100 * r.ppf, "o-")
        ax.set(xlabel="pulse interval $\\Delta t$ (s)", ylabel="PPF $= A_2/A_1$ (%)",
               title="paired-pulse facilitation (photonic synapse)")
        save(fig, "ppf")
    if "programming" in results:
        r = results["programming"]
        n = r.pulse_number
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for i, (ltp, ltd) in enumerate(zip(r.ltp_S, r.ltd_S)):
            ax.plot(n, ltp * 1e6, "-", color="C0", lw=0.8,
                    label=f"light pulses ({len(r.ltp_S)} devices)" if i == 0 else None)
            ax.plot(n[-1] + n, ltd * 1e6, "-", color="C3", lw=0.8,
                    label="erase pulses" if i == 0 else None)
        ax.set(xlabel="pulse number (light, then erase)", ylabel="$G$ (µS)",
               title="photonic synapse: multi-level programming")
        ax.legend(fontsize=8)
        save(fig, "programming")


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines quoting minibands, Kwant agreement, sheet density and synapse figures.

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
    if "demo_minibands" in results and "demo_minibands_kwant" in results:
        kp, kw = results["demo_minibands"].minibands_eV, results["demo_minibands_kwant"]
        err = np.max(np.abs(kw.minibands_eV - kp))
        lines.append(f"- demo superlattice miniband 1: {kp[0, 0]:.4f}–{kp[0, 1]:.4f} eV; Kwant "
                     f"(a = {kw.params['lattice_constant_nm']} nm) max |ΔE| = {err:.1e} eV "
                     f"(`superlattice/demo_minibands/minibands_eV`)")
    for m_key in sorted(k for k in results if k.startswith("ingao3_m") and "strong" not in k):
        r = results[m_key]
        lines.append(f"- {m_key}: period {float(r.period_nm):.3f} nm, miniband 1 width "
                     f"{np.diff(r.minibands_eV[0])[0] * 1e3:.0f} meV at the weak "
                     f"{r.params['barrier_height_eV']} eV offset "
                     f"(`superlattice/{m_key}/minibands_eV`)")
    for k in sorted(k for k in results if k.startswith("sheet_density_")):
        r = results[k]
        rel = np.max(np.abs(r.sheet_density_per_m2 / r.analytic_sheet_density_per_m2 - 1))
        lines.append(f"- {k}: n_s = {r.sheet_density_per_m2[0]:.2e}…"
                     f"{r.sheet_density_per_m2[-1]:.2e} m⁻²; subband-sum mismatch {rel:.1e} "
                     f"(`superlattice/{k}/sheet_density_per_m2`)")
    if "ppf" in results:
        r = results["ppf"]
        lines.append(f"- PPF {100 * r.ppf[0]:.0f} % at {r.interval_s[0]:g} s → "
                     f"{100 * r.ppf[-1]:.0f} % at {r.interval_s[-1]:g} s (`superlattice/ppf/ppf`)")
    if "programming" in results:
        r = results["programming"]
        lines.append(f"- event energy {np.mean(r.event_energy_J) * 1e15:.2f} fJ (model, weak "
                     f"parameters) vs {float(r.literature_event_energy_J) * 1e15:.1f} fJ "
                     f"(Meng et al. 2020); retention {float(r.retention_s):.0f} s "
                     f"(`superlattice/programming/event_energy_J`)")
    return lines
