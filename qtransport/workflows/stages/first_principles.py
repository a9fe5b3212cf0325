"""Pipeline stage: first-principles chains and h-BN from the shipped PySCF cache.

Orchestration only: the results are the registered models ``first_principles.chain_conductance``
(PBE chain → H(R), S(R) → Löwdin → Kwant G at E_F), ``first_principles.decay_along_c``
(bulk h-BN complex bands along c) and ``first_principles.break_junction`` (G versus the gap). They read ``data/first_principles``; no DFT runs here.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import check_choice
from ...results import Result
from ..catalog import run_model
from ..figures import FigureSaver

__all__ = ["DEFAULTS", "FEEDS", "plan", "validate", "run", "figures", "summary"]

CHAINS = ("Au", "Ag", "Cu", "C")

DEFAULTS = {
    "elements": list(CHAINS),        # monatomic chains (shipped cache)
    "tol_meV": 1.0,                  # truncation tolerance of H(R), S(R) and the Löwdin H(R)
    "hbn": True,                     # bulk h-BN complex bands along c
    "hbn_n_energies": 61,
    "break_junction": True,          # Au break junction G(d), with and without gap ghosts
    "break_junction_gaps": [0.0, 1.0, 2.0, 3.0, 4.0],        # Å beyond the bond (shipped cache)
    "break_junction_gaps_no_ghosts": [0.0, 2.0, 4.0],        # the comparison without ghosts
}

FEEDS = {
    "tol_meV": ("first_principles.chain_conductance", "tol_meV"),
    "hbn_n_energies": ("first_principles.decay_along_c", "n_energies"),
    "break_junction_gaps": ("first_principles.break_junction", "gaps_angstrom"),
}


def validate(cfg: dict) -> None:
    """Range checks of the [first_principles] section.

    Parameters
    ----------
    cfg : dict
        The stage's merged configuration section.

    Raises
    ------
    ValueError, TypeError
        A key out of range or inconsistent with another (the message names the key).
    """
    if not isinstance(cfg["elements"], list):
        raise TypeError(f"first_principles.elements must be a list, got {cfg['elements']!r}")
    for el in cfg["elements"]:
        check_choice("first_principles.elements[]", el, CHAINS)
    if not isinstance(cfg["hbn"], bool):
        raise TypeError(f"first_principles.hbn must be true or false, got {cfg['hbn']!r}")
    if not isinstance(cfg["break_junction"], bool):
        raise TypeError("first_principles.break_junction must be true or false, got "
                        f"{cfg['break_junction']!r}")
    for key in ("break_junction_gaps", "break_junction_gaps_no_ghosts"):
        gaps = cfg[key]
        if not isinstance(gaps, list) or not all(
                isinstance(g, (int, float)) and 0.0 <= g <= 6.0 for g in gaps):
            raise ValueError(f"first_principles.{key} must be a list of bond stretches in "
                             f"[0, 6] Å, got {gaps!r}")


def plan(cfg: dict) -> dict[str, tuple[str, dict]]:
    """The registered model calls, ``label -> (model, params)``.

    Parameters
    ----------
    cfg : dict
        The merged ``first_principles`` configuration section (:data:`DEFAULTS` overridden by
        the config file).

    Returns
    -------
    dict of str to (str, dict)
        Label → (registered model name, its parameters); the labels are ``chain_<element>``;
        ``hbn_decay_K`` when ``hbn`` is on; ``break_junction`` and ``break_junction_no_ghosts``
        when ``break_junction`` is on and their gap lists are not empty.
    """
    calls = {f"chain_{el}": ("first_principles.chain_conductance",
                             {"element": el, "tol_meV": cfg["tol_meV"]})
             for el in cfg["elements"]}
    if cfg["hbn"]:
        calls["hbn_decay_K"] = ("first_principles.decay_along_c",
                                {"n_energies": cfg["hbn_n_energies"], "valley": "K"})
    if cfg["break_junction"]:
        for ghosts, key in ((True, "break_junction_gaps"),
                            (False, "break_junction_gaps_no_ghosts")):
            if cfg[key]:
                calls["break_junction" + ("" if ghosts else "_no_ghosts")] = (
                    "first_principles.break_junction",
                    {"gaps_angstrom": [float(g) for g in cfg[key]], "ghosts": ghosts,
                     "tol_meV": cfg["tol_meV"]})
    return calls


def run(ctx) -> dict[str, Result]:
    """All chain conductances and the h-BN decay, distributed with ``ctx.map``.

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
    ctx.progress(f"first_principles: {len(calls)} cached-DFT model calls")
    outputs = ctx.map(run_model, [{"model": m, "params": p} for m, p in calls.values()])
    return dict(zip(calls, outputs))


def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """Chain bands (tight-binding lines, DFT off-mesh points), h-BN κ(E) along c.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``chain_*``, ``hbn_decay_K``,
        ``break_junction`` (and ``break_junction_no_ghosts``); a figure whose results are absent is
        left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/first_principles_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    save = FigureSaver(fig_dir, "first_principles")
    chains = [k for k in results if k.startswith("chain_")]
    if chains:
        fig, axes = plt.subplots(1, len(chains), figsize=(3.2 * len(chains), 3.8), squeeze=False)
        for ax, key in zip(axes[0], chains):
            r = results[key]
            ef = float(r.attrs["fermi_eV"])
            ax.plot(r.k_frac, r.bands_tb_eV - ef, "C0-", lw=1)
            half = r.check_k_frac <= 0.5
            ax.plot(r.check_k_frac[half], r.check_bands_dft_eV[half] - ef, "k.", ms=4)
            ax.axhline(0.0, color="C3", ls=":", lw=0.8)
            ax.set(xlabel=r"$k$ ($2\pi/a$)", ylim=(-8, 6), xlim=(0.0, 0.5),
                   title=f"{r.params['element']} chain: $G(E_\\mathrm{{F}})$ = "
                         f"{float(r.conductance_G0[0]):.3f} $G_0$")
        axes[0][0].set_ylabel(r"$E - E_\mathrm{F}$ (eV)")
        axes[0][0].plot([], [], "C0-", label="Löwdin TB from PBE")
        axes[0][0].plot([], [], "k.", label="PBE at off-mesh $k$")
        axes[0][0].plot([], [], "C3:", label=r"$E_\mathrm{F}$")
        axes[0][0].legend(fontsize=7, loc="lower right")
        save(fig, "chain_bands")
    if "hbn_decay_K" in results:
        r = results["hbn_decay_K"]
        fig, ax = plt.subplots(figsize=(5, 3.6))
        ax.plot(r.energies_eV, r.kappa_per_nm, "C0-", label=r"$\kappa(E)$ from the PBE Hamiltonian")
        ax.set(xlabel=r"$E - E_\mathrm{V}$ at K (eV)", ylabel=r"$\kappa$ (nm$^{-1}$)",
               xlim=(float(r.energies_eV.min()), float(r.energies_eV.max())),
               title="bulk h-BN (PBE): complex bands along $c$ at K")
        ratio = float(r.attrs.get("layer_spacing_nm", 0.0))   # κ per layer = κ d
        if ratio > 0:
            ax.secondary_yaxis("right", functions=(lambda k: k * ratio, lambda k: k / ratio)
                               ).set_ylabel(r"$\kappa$ per layer")
        ax.legend(fontsize=7, loc="lower center")
        save(fig, "hbn_kappa")
    if "break_junction" in results:
        _break_junction_figure(results, save)
    return save.paths


def _break_junction_figure(results, save) -> None:
    """ln G vs gap: DFT with and without gap ghosts, the fit, and the vacuum-κ slope."""
    import matplotlib.pyplot as plt
    r = results["break_junction"]
    fig, ax = plt.subplots(figsize=(5.2, 3.9))
    ax.semilogy(r.gaps_angstrom, r.conductance_G0, "C0o-",
                label="PBE + ghost basis in the gap (Kwant)")
    if "break_junction_no_ghosts" in results:
        q = results["break_junction_no_ghosts"]
        ax.semilogy(q.gaps_angstrom, q.conductance_G0, "C1s", mfc="none", ms=9,
                    label="PBE, atom basis only (no ghosts)")
    a = r.attrs
    if "slope_per_angstrom" in a:
        x = r.gaps_angstrom[r.gaps_angstrom >= a["fit_from_angstrom"] - 1e-9]
        ax.semilogy(x, np.exp(a["intercept"] + a["slope_per_angstrom"] * x), "k:", lw=1,
                    label=f"fit: $2\\kappa$ = {-a['slope_per_angstrom']:.2f} Å$^{{-1}}$")
        x0 = float(x.mean())
        y0 = a["intercept"] + a["slope_per_angstrom"] * x0
        kv = a["kappa_vacuum_per_angstrom"]
        ax.semilogy(x, np.exp(y0 - 2 * kv * (x - x0)), "C3-.", lw=1,
                    label=f"vacuum $2\\kappa = 2\\sqrt{{2mW}}/\\hbar$ = {2 * kv:.2f} Å$^{{-1}}$ "
                          f"($W$ = {a['work_function_mean_eV']:.2f} eV)")
    ax.set(xlabel=f"gap stretch $d$ beyond the {a['bond_angstrom']} Å bond (Å)",
           ylabel=r"$G(E_\mathrm{F})$ ($G_0 = 2e^2/h$)",
           title="Au chain break junction (PBE supercells)")
    ax.legend(fontsize=7, loc="lower left")
    save(fig, "break_junction")


def summary(results: dict[str, Result]) -> list[str]:
    """Markdown lines: chain conductances and checks, h-BN gap and decay.

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
    for key in (k for k in results if k.startswith("chain_")):
        r = results[key]
        a = r.attrs
        lines.append(f"- {r.params['element']} chain (PBE, PySCF {a['pyscf_version']}): "
                     f"G(E_F) = {float(r.conductance_G0[0]):.9f} G0, bands crossing E_F "
                     f"{a['n_bands_crossing']}, generalized channels "
                     f"{a['n_channels_generalized']}, TB band error "
                     f"{a['band_error_orth_meV']:.3g} meV (`first_principles/{key}`)")
    if "hbn_decay_K" in results:
        r = results["hbn_decay_K"]
        i = int(np.argmax(r.kappa_per_layer))
        lines.append(f"- bulk h-BN (PBE): gap {r.attrs['gap_eV']:.2f} eV (indirect), "
                     f"max κ along c at K {float(r.kappa_per_layer[i]):.3f}/layer "
                     f"(attenuation {float(r.attenuation_per_layer[i]):.3g} per layer) "
                     f"(`first_principles/hbn_decay_K`)")
    if "break_junction" in results:
        r = results["break_junction"]
        a = r.attrs
        g = ", ".join(f"{d:g} Å: {x:.3g}" for d, x in zip(r.gaps_angstrom, r.conductance_G0))
        lines.append(f"- Au break junction (PBE supercells, ghost basis in the gap): G/G0 = {g}")
        if "slope_per_angstrom" in a:
            lines.append(f"  - ln G slope {a['slope_per_angstrom']:.3f}/Å (d ≥ "
                         f"{a['fit_from_angstrom']:g} Å, max residual {a['fit_max_residual']:.2g}); "
                         f"vacuum 2κ = {2 * a['kappa_vacuum_per_angstrom']:.3f}/Å from W = "
                         f"{a['work_function_mean_eV']:.2f} eV (`first_principles/break_junction`)")
    return lines
