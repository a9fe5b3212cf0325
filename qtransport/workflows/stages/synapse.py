"""Pipeline stage: from every device family's response to synapse parameters and network accuracy.

Reads each ``*/device_response`` record the physics stages left in ``ctx.results``, extracts
:class:`~qtransport.synapse.extract.SynapseParameters`, fits the reduced pulse-response models,
trains the digits MLP with each family's fitted device (in situ, stochastic rounding, the
family's c2c/d2d/read variation), runs the floating-point reference and an accuracy-vs-levels
sweep, fits PPF to a Tsodyks–Markram synapse, and builds the report's comparison table of device
families against the biological synapse and the literature values. Families whose physics did
not run are listed as missing, never filled in.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...devices.record import DEVICE_RESPONSE_KIND
from ...errors import MAX_STAGE_COUNT
from ...errors import check_choice, check_int
from ...results import Result
from ...results import declare as _declare
from ...synapse import extract as _extract
from ...synapse import literature, models
from ...synapse.lookup import LookupTableDevice
from ..figures import FigureSaver, nonlinearity_text
from . import Grid, grid_values

__all__ = ["DEFAULTS", "FEEDS", "run", "figures", "summary"]

DEFAULTS = {
    "network": True,                  # train the digits MLP for every family
    "device_model": "pulse_response",  # network device: fitted NeuroSim model, or "lookup"
                                       # (ΔG(G) table of the mean curves; ~3x slower)
    "seeds": 2,                       # network seeds per family (report: mean ± std)
    "epochs": 30,                     # training epochs per network run
    "levels": [4, 8, 16, 32, 64],     # accuracy vs levels per device (>= 3; float-trained)
    "stp_utilization": 0.2,           # Tsodyks–Markram U for the PPF demonstration
    "stp_tau_rec_s": 0.05,
    "stp_tau_facil_s": 0.5,
    "stp_intervals_s": Grid(1e-3, 3.0, 40, scale="log"),
}

#: the model parameter each key feeds; its type and range checks apply to the key, with the full
#: key path in the message, before any stage runs (pipeline)
FEEDS = {
    "epochs": ("synapse.network", "epochs"),
    "stp_utilization": ("synapse.stp", "utilization"),
    "stp_tau_rec_s": ("synapse.stp", "tau_rec_s"),
    "stp_tau_facil_s": ("synapse.stp", "tau_facil_s"),
    "stp_intervals_s": ("synapse.stp", "intervals_s"),
}


def _device_responses(results: dict[str, Result]) -> dict[str, Result]:
    return {k: r for k, r in results.items()
            if k.endswith("/device_response") and r.kind == DEVICE_RESPONSE_KIND}


def _lookup_kwargs(record: Result, unit: str) -> dict:
    table = LookupTableDevice.from_curves(np.atleast_2d(record.data[f"weight_ltp_{unit}"])
                                          .mean(axis=0),
                                          np.atleast_2d(record.data[f"weight_ltd_{unit}"])
                                          .mean(axis=0))
    return {"device": "lookup", "lookup_g_S": table.g_S.tolist(),
            "lookup_dg_ltp_S": table.dg_ltp_S.tolist(),
            "lookup_dg_ltd_S": table.dg_ltd_S.tolist()}


def _network_calls(cfg: dict, params: dict, records: dict) -> list[tuple[str, dict]]:
    """(result key, kwargs of models.network_model) for every network run."""
    seeds = range(int(cfg["seeds"]))
    common = {"epochs": int(cfg["epochs"])}
    calls = [("float", dict(common, device="float", seed=s)) for s in seeds]
    for family, p in params.items():
        base = dict(common, g_min_S=p.weight_min, g_max_S=p.weight_max, n_pulses=p.n_pulses,
                    a_ltp=p.a_ltp, a_ltd=p.a_ltd, c2c_rel=p.c2c_rel or 0.0, d2d_rel=p.d2d_rel,
                    read_noise_rel=p.read_noise_rel, event_energy_J=p.event_energy_J)
        if cfg["device_model"] == "lookup":
            base.update(_lookup_kwargs(records[_record_key(p)], p.weight_unit))
        calls += [(family, dict(base, seed=s)) for s in seeds]
    for lv in cfg["levels"]:
        calls += [(f"levels_{int(lv)}", dict(common, g_min_S=0.0, g_max_S=1.0,
                                              n_pulses=int(lv) - 1, mode="ex_situ", seed=s))
                  for s in seeds]
    return calls


def _collect(key: str, runs: list[Result]) -> Result:
    acc = np.array([float(r.accuracy) for r in runs])
    energy = np.array([float(r.training_energy_J) for r in runs])
    return Result("synapse.network_summary", {"key": key, "seeds": [r.params["seed"]
                                                                       for r in runs]},
                  {"seed": np.array([r.params["seed"] for r in runs]), "accuracy": acc,
                   "accuracy_mean": acc.mean(), "accuracy_std": acc.std(ddof=1) if acc.size > 1
                   else np.float64(0.0), "training_energy_J": energy,
                   "training_energy_mean_J": energy.mean(),
                   "write_pulses": np.array([float(r.write_pulses) for r in runs]),
                   "seconds": np.array([float(r.seconds) for r in runs])},
                  {"mode": str(runs[0].attrs.get("mode", "")), **{k: v for k, v in
                                                                   runs[0].params.items()
                                                                   if k != "seed"}})


def _fit_curves(p, record: Result) -> Result:
    u = p.weight_unit
    ltp = np.atleast_2d(record.data[f"weight_ltp_{u}"]).mean(axis=0)
    ltd = np.atleast_2d(record.data[f"weight_ltd_{u}"]).mean(axis=0)
    k = np.arange(ltp.size)
    s = p.pulse_response()
    return Result("synapse.fit", {"family": p.family},
                  {"pulse_number": k, f"mean_ltp_{u}": ltp, f"mean_ltd_{u}": ltd,
                   f"fit_ltp_{u}": s.conductance_ltp(k),
                   f"fit_ltd_{u}": s.conductance_after_ltd(k)},
                  {"family": p.family, "weight_unit": u})


def _record_key(p) -> str:
    """Run-file key of the device response a SynapseParameters record came from."""
    return p.sources["a_ltp"].rsplit("/", 1)[0]


def validate(cfg: dict) -> None:
    """Range checks of the [synapse] section (called by the pipeline before any stage runs)."""
    check_choice("synapse.device_model", cfg["device_model"], ("pulse_response", "lookup"))
    check_int("synapse.seeds", cfg["seeds"], low=1, high=MAX_STAGE_COUNT)
    check_int("synapse.epochs", cfg["epochs"], low=1, high=MAX_STAGE_COUNT)
    for lv in cfg["levels"]:
        check_int("synapse.levels[]", lv, low=3, high=MAX_STAGE_COUNT)


def run(ctx) -> dict[str, Result]:
    """Extract, fit, evaluate networks and collect the comparison table's data.

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
    validate(cfg)                     # also when the stage is used outside the pipeline
    records = _device_responses(ctx.results)
    params = _extract.extract_all(records)
    missing = [f for f in _extract.KNOWN_FAMILIES if f not in params]
    ctx.progress(f"synapse: families {', '.join(params) or 'none'}; missing "
                 f"{', '.join(missing) or 'none'}")
    out: dict[str, Result] = {}
    for family, p in params.items():
        out[f"parameters/{family}"] = _extract.parameters_result(p)
        out[f"fit/{family}"] = _fit_curves(p, records[_record_key(p)])
    out["families"] = Result("synapse.families", {},
                             {"n_present": np.int64(len(params)), "n_missing":
                              np.int64(len(missing))},
                             {"present": ",".join(params), "missing": ",".join(missing)})
    if cfg["network"]:
        calls = _network_calls(cfg, params, records)
        ctx.progress(f"synapse: {len(calls)} network trainings (digits MLP)")
        # the in-situ trainings (each ~10x a floating-point one) first, so the ranks taking
        # tasks from the shared counter finish together; results are put back in call order
        order = sorted(range(len(calls)), key=lambda i: calls[i][0] == "float"
                       or calls[i][0].startswith("levels_"))
        done = ctx.map(models.network_model, [calls[i][1] for i in order])
        runs = [None] * len(calls)
        for i, res in zip(order, done):
            runs[i] = res
        grouped: dict[str, list[Result]] = {}
        for (key, _), res in zip(calls, runs):
            grouped.setdefault(key, []).append(res)
        for key, group in grouped.items():
            out[f"network/{key}"] = _collect(key, group)
    out["stp"] = models.stp_model(cfg["stp_utilization"], cfg["stp_tau_rec_s"],
                                  cfg["stp_tau_facil_s"],
                                  np.asarray(grid_values(cfg["stp_intervals_s"], "synapse.stp_intervals_s")))
    out.update(_measured_ppf(ctx))
    out["literature"] = literature.references_result()
    return out


def _measured_ppf(ctx) -> dict[str, Result]:
    """Double-exponential fits of every paired-pulse result a physics stage produced."""
    out = {}
    for key, res in sorted(ctx.results.items()):
        dt = res.data.get("interval_s", res.data.get("intervals_s"))
        if res.kind.startswith("synapse.") or dt is None or "ppf" not in res.data:
            continue
        try:
            data = models.ppf_fit_data(dt, res.data["ppf"])
        except ValueError as exc:                 # e.g. fewer than 5 intervals
            ctx.progress(f"synapse: no PPF fit for {key}: {exc}")
            continue
        out[f"ppf_fit/{key.split('/', 1)[0]}"] = Result("synapse.ppf_fit", {"source": key},
                                                          data, {"source": key})
    return out


# -- figures -------------------------------------------------------------------------------------
def figures(results: dict[str, Result], fig_dir: Path) -> list[Path]:
    """Fitted pulse responses per family, accuracy by family and vs levels, PPF fit.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`); the figures read ``fit/*`` (with
        ``parameters/<family>``), ``network/*`` and ``levels_*``, ``stp`` and ``ppf_fit/*``; a
        figure whose results are absent is left out.
    fig_dir : pathlib.Path
        Folder the figures are written to.

    Returns
    -------
    list of pathlib.Path
        Every file written, ``<fig_dir>/synapse_<name>.<format>``.
    """
    import matplotlib.pyplot as plt
    save = FigureSaver(fig_dir, "synapse")

    fits = sorted(k for k in results if k.startswith("fit/"))
    if fits:
        ncol = min(3, len(fits))
        nrow = -(-len(fits) // ncol)
        fig, axes = plt.subplots(nrow, ncol, figsize=(4.3 * ncol, 3.4 * nrow), squeeze=False)
        for ax in axes.flat[len(fits):]:
            ax.set_visible(False)
        for ax, key in zip(axes.flat, fits):
            _pulse_fit_panel(ax, results[key], results.get(
                f"parameters/{results[key].attrs['family']}"))
        save(fig, "pulse_fits")
    _accuracy_figure(results, plt, save)
    ppf = [("Tsodyks–Markram model", results["stp"])] if "stp" in results else []
    ppf += [(results[k].attrs["source"], results[k]) for k in sorted(results)
            if k.startswith("ppf_fit/")]
    if ppf:
        fig, axes = plt.subplots(1, len(ppf), figsize=(5 * len(ppf), 3.6), squeeze=False)
        for ax, (label, r) in zip(axes[0], ppf):
            ax.semilogx(r.intervals_s, r.ppf, "o", ms=3, label=label)
            ax.semilogx(r.intervals_s, r.ppf_fit, "-", label=(
                f"fit: $C_1$ = {float(r.ppf_c1):.2f}, $\\tau_1$ = {_seconds(r.ppf_tau1_s)}; "
                f"$C_2$ = {float(r.ppf_c2):.2f}, $\\tau_2$ = {_seconds(r.ppf_tau2_s)}"))
            ax.axhline(1.0, color="k", lw=0.5)
            ax.set(xlabel="pulse interval $\\Delta t$ (s)", ylabel="paired-pulse ratio",
                   title="PPF $= 1 + C_1 e^{-\\Delta t/\\tau_1} + C_2 e^{-\\Delta t/\\tau_2}$")
            ax.legend(fontsize=7)
        save(fig, "ppf")
    return save.paths


#: SI prefixes for weight axes (the unit is S or A): values shown between 1 and 1000
_PREFIXES = ((1e-12, "p"), (1e-9, "n"), (1e-6, "µ"), (1e-3, "m"), (1.0, ""))


def _prefixed(values, unit: str) -> tuple[float, str]:
    """Scale and label putting ``values`` (in ``unit``) in [1, 1000) of an SI prefix."""
    top = float(np.nanmax(np.abs(values))) if np.size(values) else 1.0
    scale, prefix = next(((f, p) for f, p in reversed(_PREFIXES) if top >= f), _PREFIXES[0])
    return scale, f"{prefix}{unit}"


def _pulse_fit_panel(ax, r, p) -> None:
    """Ensemble-mean LTP/LTD of one family with its NeuroSim fits and their rms misfit."""
    u = r.attrs["weight_unit"]
    k = r.pulse_number
    data = [r.data[f"{w}_{d}_{u}"] for w in ("mean", "fit") for d in ("ltp", "ltd")]
    scale, label = _prefixed(np.concatenate([np.ravel(x) for x in data]), u)
    rms = {d: (float(getattr(p, f"fit_rms_{d}")) if p is not None else math.nan)
           for d in ("ltp", "ltd")}
    for d, color, marker in (("ltp", "C0", "o"), ("ltd", "C3", "s")):
        ax.plot(k, r.data[f"mean_{d}_{u}"] / scale, marker, ms=3, color=color,
                label=f"{d.upper()} (ensemble mean)")
        miss = f", rms {100 * rms[d]:.0f} % of range" if math.isfinite(rms[d]) else ""
        ax.plot(k, r.data[f"fit_{d}_{u}"] / scale, "-", color=color, lw=1.2,
                label=f"{d.upper()} NeuroSim fit{miss}")
    title = r.attrs["family"].replace("_", " ")
    if p is not None:
        title += f"\nA/P = {_ap(p.a_over_p_ltp)} (LTP) / {_ap(p.a_over_p_ltd)} (LTD)"
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    ax.set(xlabel="pulses since the start of the phase", ylabel=f"weight ({label})",
           title=title)
    ax.title.set_fontsize(9)
    ax.legend(fontsize=6.5)


def _seconds(v) -> str:
    v = float(v)
    return f"{v * 1e3:.3g} ms" if v < 1 else f"{v:.3g} s"


def _accuracy_figure(results, plt, save) -> None:
    fams = [k.split("/", 1)[1] for k in sorted(results) if k.startswith("network/")
            and not k.startswith("network/levels_")]
    levels = sorted((int(k.rsplit("_", 1)[1]), results[k]) for k in results
                    if k.startswith("network/levels_"))
    if not fams and not levels:
        return
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    if fams:
        means = [100 * float(results[f"network/{f}"].accuracy_mean) for f in fams]
        errs = [100 * float(results[f"network/{f}"].accuracy_std) for f in fams]
        labels = ["floating point" if f == "float" else f.replace("_", " ") for f in fams]
        order = np.argsort(means)
        y = np.arange(len(fams))
        colors = ["0.5" if fams[i] == "float" else "C0" for i in order]
        axes[0].barh(y, np.array(means)[order], xerr=np.array(errs)[order], capsize=3,
                     color=colors)
        for yi, i in zip(y, order):         # the value at the bar's end: differences readable
            axes[0].text(means[i] + errs[i] + 1, yi, f"{means[i]:.1f} %", va="center",
                         fontsize=7)
        axes[0].axvline(10.0, color="k", ls=":", lw=1)
        axes[0].text(11.0, -0.45, "chance", fontsize=7, va="bottom")
        axes[0].set_yticks(y, [labels[i] for i in order], fontsize=8)
        axes[0].set(xlabel="test accuracy (%)", xlim=(0, 112),
                    title="8×8 digits MLP, trained in situ, by device family")
        axes[0].set_xticks(np.arange(0, 101, 20))
    if levels:
        lv = [x for x, _ in levels]
        axes[1].semilogx(lv, [100 * float(r.accuracy_mean) for _, r in levels], "o-", base=2)
        if "network/float" in results:
            axes[1].axhline(100 * float(results["network/float"].accuracy_mean), color="k",
                            ls=":", label="floating point")
            axes[1].legend()
        axes[1].set(xlabel="levels per device", ylabel="test accuracy (%)",
                    title="float-trained, programmed to levels")
    save(fig, "accuracy")


# -- report ----------------------------------------------------------------------------------------
def _ap(v) -> str:
    return nonlinearity_text(v, digits=2)


def _energy(v) -> str:
    v = float(v)
    if not math.isfinite(v):
        return "–"
    for unit, scale in (("nJ", 1e-9), ("pJ", 1e-12), ("fJ", 1e-15), ("aJ", 1e-18)):
        if v >= 0.1 * scale:
            return f"{v / scale:.3g} {unit}"
    return f"{v:.3g} J"


def _nonlinearity(p) -> str:
    """A/P of both directions, with the fit's rms residual when the NeuroSim form fits poorly."""
    text = f"{_ap(p.a_over_p_ltp)} / {_ap(p.a_over_p_ltd)}"
    worst = max(float(p.fit_rms_ltp), float(p.fit_rms_ltd))
    return text + (f" (fit rms {100 * worst:.0f} % of range)" if worst > 0.02 else "")


def _bio_energy(results) -> tuple[float, str]:
    """Energy of the biological synapse from the literature table, and its dataset path."""
    lit = results.get("literature")
    if lit is None:
        return math.nan, ""
    i = [str(n) for n in lit.name].index("biological synapse")
    return float(lit.energy_per_event_J[i]), "`synapse/literature/energy_per_event_J`"


def _family_row(results, family, notes) -> str:
    p = results[f"parameters/{family}"]
    path = f"synapse/parameters/{family}"
    net = results.get(f"network/{family}")
    acc = "not run"
    refs = [f"`{path}/{{n_states, on_off_ratio, a_over_p_ltp, a_over_p_ltd, c2c_rel, fit_rms_ltp, "
            f"fit_rms_ltd, event_energy_J}}`"]
    bio, bio_path = _bio_energy(results)
    ratio = "–" if math.isnan(bio) else f"{float(p.event_energy_J) / bio:.3g}"
    if bio_path:
        refs.append(bio_path + " (biological synapse)")
    if net is not None:
        acc = (f"{100 * float(net.accuracy_mean):.1f} ± {100 * float(net.accuracy_std):.1f} % "
               f"({net.accuracy.size} seeds)")
        refs.append(f"`synapse/network/{family}/{{accuracy_mean, accuracy_std}}`")
    notes.append(f"{family}: " + ", ".join(refs) + f"; extracted from "
                 f"`{p.attrs['sources']['a_ltp'].rsplit('/', 1)[0]}`")
    onoff = float(p.on_off_ratio)
    c2c = float(p.c2c_rel)
    c2c = "not modelled" if math.isnan(c2c) else f"{100 * c2c:.2g} %"
    return (f"| {family} (this run) | {int(p.n_states)} | "
            f"{'∞' if math.isinf(onoff) else f'{onoff:.3g}'} | {_nonlinearity(p)} | {c2c} | "
            f"{_energy(p.event_energy_J)} | {ratio} | {acc} | [{len(notes)}] |")


def _reference_rows(results, notes) -> list[str]:
    rows = []
    if "network/float" in results:
        net = results["network/float"]
        notes.append("floating point: `synapse/network/float/{accuracy_mean, accuracy_std}`")
        rows.append(f"| floating-point weights (reference) | – | – | – | – | – | – | "
                    f"{100 * float(net.accuracy_mean):.1f} ± {100 * float(net.accuracy_std):.1f}"
                    f" % | [{len(notes)}] |")
    if "literature" in results:
        lit = results["literature"]
        notes.append("literature rows: `synapse/literature/{name, states, energy_per_event_J, "
                     "accuracy, bound, source}` (values from docs/validation.md; other tasks)")
        for i, name in enumerate(lit.name):
            states = float(lit.states[i])
            acc = float(lit.accuracy[i])
            bound = str(lit.bound[i])
            e = _energy(lit.energy_per_event_J[i])
            e = ("< " + e) if "< energy" in bound else ("≥ " + e) if "> energy" in bound else (
                ("~" + e) if bound == "~" and e != "–" else e)
            st = "–" if math.isnan(states) else (("> " if "> states" in bound else "")
                                                  + f"{states:.0f}")
            ratio = "1" if name == "biological synapse" else "–"
            acc_text = "–" if math.isnan(acc) else (
                ("> " if "> accuracy" in bound else "") + f"{100 * acc:.0f} %")
            rows.append(f"| {name} [{lit.source[i]}] | {st} | – | – | – | {e} | {ratio} | "
                        f"{acc_text} | "
                        f"[{len(notes)}] |")
    return rows


def summary(results: dict[str, Result]) -> list[str]:
    """The comparison table of device families (every number quoted with its dataset path).

    Parameters
    ----------
    results : dict of str to Result
        The stage's results (:func:`run`).

    Returns
    -------
    list of str
        Markdown lines of the report (numbers taken from ``results``).
    """
    notes: list[str] = []
    lines = ["### Device families compared", "",
             "| device | states | on/off | A/P (LTP / LTD) | c2c | energy per event | energy / "
             "biological | digits accuracy | data |", "|---|---|---|---|---|---|---|---|---|"]
    present = [k.split("/", 1)[1] for k in sorted(results) if k.startswith("parameters/")]
    lines += [_family_row(results, f, notes) for f in present]
    fam = results.get("families")
    missing = [m for m in (fam.attrs.get("missing", "") if fam else "").split(",") if m]
    lines += [f"| {m} | missing: its physics stage did not run | | | | | | | |"
              for m in missing]
    lines += _reference_rows(results, notes)
    lines += [""] + [f"[{i}] {n}" for i, n in enumerate(notes, start=1)] + [""]
    used = {str(results[f"network/{f}"].attrs.get("device")) for f in present
            if f"network/{f}" in results}
    model = ("the ΔG(G) lookup table of the mean curves" if used == {"lookup"} else
             "the fitted NeuroSim model" if used <= {"pulse_response"} else
             "the configured device model")
    lines += ["States: distinguishable levels of the mean potentiation curve given read noise and "
              "device-to-device spread (non-overlapping ±2σ). A/P: NeuroSim nonlinearity (fit of "
              "the ensemble-mean curves with their common range; 'linear' = A → ∞). c2c: median "
              "relative cycle-to-cycle spread of the per-pulse step. Accuracy: "
              f"64-hidden MLP on 8×8 digits trained in situ through {model}, with stochastic "
              "rounding and the family's variation. Literature rows use other tasks and "
              "networks."]
    levels = sorted((int(k.rsplit("_", 1)[1]), results[k]) for k in results
                    if k.startswith("network/levels_"))
    if levels:
        lines += ["", "Accuracy vs levels per device (float-trained, programmed, clipped "
                  "scaling): " + ", ".join(f"{lv}: {100 * float(r.accuracy_mean):.1f} %"
                                           for lv, r in levels)
                  + " (`synapse/network/levels_<N>/accuracy_mean`)."]
    if "stp" in results:
        r = results["stp"]
        lines += ["", f"PPF fit to a Tsodyks–Markram synapse (U = {r.params['utilization']}, "
                  f"facilitate-then-release order): C1 = {float(r.ppf_c1):.3f}, τ1 = "
                  f"{1e3 * float(r.ppf_tau1_s):.1f} ms, C2 = {float(r.ppf_c2):.3f}, τ2 = "
                  f"{1e3 * float(r.ppf_tau2_s):.1f} ms, rms {float(r.ppf_rms):.1e} "
                  "(`synapse/stp/{ppf_c1, ppf_tau1_s, ppf_c2, ppf_tau2_s, ppf_rms}`)."]
    for key in sorted(k for k in results if k.startswith("ppf_fit/")):
        r = results[key]
        lo, hi = float(r.intervals_s.min()), float(r.intervals_s.max())
        outside = [name for name, tau in (("τ1", r.ppf_tau1_s), ("τ2", r.ppf_tau2_s))
                   if not lo <= float(tau) <= hi]
        caveat = (f"; {' and '.join(outside)} outside the measured intervals "
                  f"({_seconds(lo)}–{_seconds(hi)}): not constrained by the data"
                  if outside else "")
        lines += ["", f"PPF fit to `{r.attrs['source']}`: C1 = {float(r.ppf_c1):.3f}, τ1 = "
                  f"{_seconds(r.ppf_tau1_s)}, C2 = {float(r.ppf_c2):.3f}, τ2 = "
                  f"{_seconds(r.ppf_tau2_s)}, rms {float(r.ppf_rms):.1e}{caveat} "
                  f"(`synapse/{key}/{{ppf_c1, ppf_tau1_s, ppf_c2, ppf_tau2_s, ppf_rms}}`)."]
    return lines


_declare("synapse.network_summary", coords=("seed",), y=("accuracy",), style="points")
_declare("synapse.fit", coords=("pulse_number",))
