"""Command-line interface: ``qtransport info | materials | models | run | sweep | fit``.

Thin: parse, call the library, print. Our errors (ValueError, TypeError, FileNotFoundError from
user input) become one line on stderr and exit code 2; anything else is a bug and keeps its
traceback (exit 1).
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
from typing import Sequence

__all__ = ["main", "build_parser"]

USER_ERRORS = (ValueError, TypeError, FileNotFoundError, IsADirectoryError, NotADirectoryError,
               FileExistsError, PermissionError)
#: exit code of ``qtransport sweep`` when it finished but some points raised
SWEEP_FAILED_POINTS = 3


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are one line on stderr, exit code 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def kwant_solver() -> str:
    """'MUMPS' when Kwant's MUMPS solver is linked, otherwise 'SciPy (fallback)'."""
    try:
        from kwant.linalg import mumps  # noqa: F401
        return "MUMPS"
    except ImportError:
        return "SciPy (fallback: slower; install libmumps-seq-dev and rebuild Kwant)"


def _cmd_info(args) -> int:
    from . import __version__
    rows = [("qtransport", __version__), ("python", sys.version.split()[0])]
    from .infra import package_versions
    rows += list(package_versions().items())
    rows.append(("kwant solver", kwant_solver()))
    try:
        from mpi4py import MPI
        rows.append(("MPI library", MPI.Get_library_version().splitlines()[0].strip()))
    except Exception as exc:  # report, do not fail: info is a diagnostic
        rows.append(("MPI library", f"unavailable ({exc})"))
    mpiexec = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    rows.append(("mpiexec", mpiexec if os.path.exists(mpiexec) else shutil.which("mpiexec")
                 or "not found"))
    rows.append(("cores", str(os.cpu_count())))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


def _cmd_materials(args) -> int:
    from . import materials
    if args.name is None:
        print(f"{'name':<14} {'kind':<15} description")
        for name in materials.names():
            m = materials.get(name)
            print(f"{name:<14} {m.kind:<15} {m.description}")
        return 0
    m = materials.get(args.name)
    print(f"{m.name}: {m.description} [{m.kind}]")
    if m.aliases:
        print(f"  also found as: {', '.join(m.aliases)}")
    if m.origin != "materials.toml":
        print(f"  from: {m.origin}")
    width = max(len(k) for k in m.quantities)
    for key, q in m.quantities.items():
        print(f"  {key:<{width}}  {q.value:<11.6g} [{q.confidence}]  {q.source}")
    return 0


def _cmd_models(args) -> int:
    from .workflows import catalog
    if args.name is None:
        names = catalog.model_names()
        width = max(len(n) for n in names)
        for name in names:
            print(f"{name:<{width}}  {catalog.get_model(name).summary}")
        return 0
    print(catalog.get_model(args.name).describe())
    return 0


def read_text_file(path: str, what: str = "config") -> str:
    """The text of a UTF-8 file, with one-line errors naming the file (missing, folder, binary,
    not UTF-8)."""
    from .infra import MAX_CONFIG_BYTES, read_user_text
    return read_user_text(path, f"{what} file", max_bytes=MAX_CONFIG_BYTES,
                          limit="for a TOML config")


def _refuse_non_empty(folder: str, force: bool, config_toml: str) -> bool:
    """``qtransport run`` does not overwrite an earlier run unless ``--force`` is given.

    A folder holding an unfinished run (stage checkpoints) of the same configuration is resumed
    (returns True); one of another configuration needs ``--force``.
    """
    from .workflows.stage_checkpoint import CHECKPOINT_DIR, discard, unfinished_config
    path = os.path.abspath(folder)
    if not os.path.isdir(path):
        return False
    unfinished = unfinished_config(path)
    if unfinished is not None and unfinished == config_toml:
        return True
    if force:
        if unfinished is not None:
            discard(path)
        return False
    if unfinished:
        raise FileExistsError(f"--output-dir {folder!r} holds an unfinished run of another "
                              f"configuration ({CHECKPOINT_DIR}): rerun it with that "
                              f"configuration to resume it, add --force to replace it, or "
                              f"choose a new folder")
    entries = sorted(os.listdir(path))
    if entries:
        shown = ", ".join(entries[:4]) + (", ..." if len(entries) > 4 else "")
        raise FileExistsError(f"--output-dir {folder!r} is not empty ({shown}): add --force to "
                              f"overwrite it, or choose a new folder")


def _formats(text: str):
    from .workflows.figures import check_formats
    try:
        return check_formats(text)
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _dpi(text: str) -> int:
    from .workflows.figures import check_dpi
    try:
        return check_dpi(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dpi must be an integer in [30, 1200], got "
                                         f"{text!r}") from None


def _cmd_run(args) -> int:
    from .workflows import pipeline
    from .workflows.executor import get_executor, guard, serve_on_workers
    text = None
    if args.config:
        text = read_text_file(args.config)
    cfg = pipeline.parse_config(text)      # fail fast, before any computation or output
    if args.show_config:
        print(pipeline.config_toml(cfg, comments=True), end="")
        return 0
    if args.output_dir is None:
        raise ValueError("run needs --output-dir DIR (or --show-config)")
    pipeline.check_output_dir(args.output_dir, "--output-dir")
    if _refuse_non_empty(args.output_dir, args.force, pipeline.config_toml(cfg)):
        print(f"[qtransport] resuming the unfinished run in {args.output_dir}", flush=True)
    executor = get_executor()              # under mpiexec, every rank computes ctx.map calls

    def main(map_function):
        return pipeline.run_pipeline(args.output_dir, text, command=" ".join(sys.argv),
                                     map_function=map_function, mpi_size=executor.size,
                                     progress=lambda m: print(f"[qtransport] {m}", flush=True),
                                     figure_formats=args.format, dpi=args.dpi,
                                     stage_bar=False if args.no_progress else None)
    with guard(executor) if not executor.is_root else contextlib.nullcontext():
        outcome = serve_on_workers(executor, main)
    if executor.is_root:
        from .workflows.report import console_summary
        print("\n".join(console_summary(outcome["report"].read_text(encoding="utf-8"))))
        print(f"\nwrote {outcome['h5']}, {len(outcome['figures'])} figures, {outcome['report']}")
    return 0


class _SweepProgress:
    """tqdm bar on rank 0 (stderr; hidden when not a terminal) counting finished points."""

    def __init__(self, enabled: bool):
        self.enabled, self.bar, self.failed = enabled, None, 0

    def start(self, n_todo: int, n_points: int) -> None:
        if self.enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=n_todo, initial=0, unit="pt", disable=None, file=sys.stderr,
                            desc=f"sweep ({n_points - n_todo} of {n_points} done before)")

    def __call__(self, outcome) -> None:
        self.failed += not outcome.ok
        if self.bar is not None:
            self.bar.update(1)
            if self.failed:
                self.bar.set_postfix(failed=self.failed, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _checkpoint_seconds(text: str) -> float:
    """``--checkpoint-seconds``: checked by the same schema as ``sweep.checkpoint_seconds``."""
    from .workflows.config import check_checkpoint_seconds
    try:
        return check_checkpoint_seconds(float(text), "--checkpoint-seconds")
    except ValueError as exc:
        msg = str(exc) if "must" in str(exc) else f"--checkpoint-seconds must be a number, " \
            f"got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _cmd_sweep(args) -> int:
    from .workflows import config, sweep
    from .workflows.executor import get_executor
    sweep.output_path(args.output)         # "" or a folder: refused before anything starts
    cfg = config.load_config(args.config)  # every rank validates; a bad file fails before output
    executor = get_executor()
    bar = _SweepProgress(executor.is_root and not args.no_progress)
    try:
        summary = sweep.run(cfg, args.output, executor=executor, retry_failed=args.retry_failed,
                            progress=bar, command=" ".join(sys.argv),
                            checkpoint_seconds=args.checkpoint_seconds)
    finally:
        bar.close()
    if executor.is_root:
        print(summary.line(), flush=True)
        if summary.warned:
            print(f"qtransport: {summary.warnings_line()}", file=sys.stderr)
        if summary.n_failed:
            print(f"qtransport: {summary.n_failed} point(s) failed (messages in "
                  f"{args.output}:/sweep/error); rerun with --retry-failed", file=sys.stderr)
    return 0 if summary.n_failed == 0 else SWEEP_FAILED_POINTS


def _cmd_fit(args) -> int:
    import json
    from .infra import atomic_path, check_output_file
    from .synapse import csvdata
    if args.json:
        check_output_file(args.json, "--json")     # before the fit: nothing printed, nothing left
    fits = csvdata.fit_csv(args.pulses, args.direction)
    report = csvdata.fits_to_dict(fits)
    print(f"{'direction':<9} {'A (pulses)':>14} {'A/P':>8} {'G_min (S)':>11} {'G_max (S)':>11} "
          f"{'P':>5} {'rms/range':>9}")
    for d, f in report["fits"].items():
        a = f"{f['A_pulses']:.4g} ± {f['A_stderr_pulses']:.2g}" if f["A_pulses"] != "inf" \
            else "inf (linear)"
        ap = f["A_over_P"] if isinstance(f["A_over_P"], str) else f"{f['A_over_P']:.3g}"
        print(f"{d:<9} {a:>14} {ap:>8} {f['g_min_S']:>11.4g} {f['g_max_S']:>11.4g} "
              f"{f['n_pulses']:>5} {f['rms_rel']:>9.2g}")
    aih = dict(report["aihwkit"])
    print(f"aihwkit {aih.pop('device')}(" + ", ".join(f"{k}={v!r}" for k, v in aih.items()) + ")")
    if args.json:
        with atomic_path(args.json, name="--json") as tmp:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(report, fh, indent=2, sort_keys=True)
        print(f"wrote {args.json}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests).

    Returns
    -------
    argparse.ArgumentParser
        The parser with every sub-command.

    Examples
    --------
    >>> parser = build_parser()
    >>> parser.prog
    'qtransport'
    """
    parser = _Parser(prog="qtransport",
                     description="Quantum transport for quantum artificial synapses: quantized "
                                 "filament conductance, h-BN tunneling, superlattices, Josephson "
                                 "junctions, and reduced synapse models.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"qtransport {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("info", help="versions, Kwant solver (MUMPS?), MPI library, cores",
                       description="Print package versions, whether Kwant uses MUMPS, the MPI "
                                   "library and mpiexec, and the number of cores.")
    p.set_defaults(func=_cmd_info)
    p = sub.add_parser("materials", help="list materials, or show one with sources",
                       description="List the material database, or show every value of one "
                                   "material with its source and confidence (exact/lit/weak).")
    p.add_argument("name", nargs="?", help="material name, e.g. hBN or Ag")
    p.set_defaults(func=_cmd_materials)
    p = sub.add_parser("models", help="list registered models, or show one's parameters",
                       description="List the models a sweep file can name, or print one model's "
                                   "parameters (type, range, default) from its registered schema "
                                   "(the same table as docs/models.md).")
    p.add_argument("name", nargs="?", help="model name, e.g. filament.conductance")
    p.set_defaults(func=_cmd_models)
    p = sub.add_parser("run", help="run the end-to-end pipeline (built-in demo config)",
                       description="Run every pipeline stage (physics demos and device "
                                   "families, the synapse stage last; --show-config lists them) "
                                   "and write run.h5, figures/ and report.md "
                                   "into the output folder. A TOML file overrides any key of the "
                                   "built-in config; --show-config prints all keys with their "
                                   "defaults. Under mpiexec every rank computes.",
                       epilog="example: qtransport run --show-config > my.toml; edit; "
                              "qtransport run my.toml --output-dir results/mine")
    p.add_argument("config", nargs="?", help="TOML file overriding the built-in config")
    p.add_argument("--output-dir", help="folder for run.h5, figures/, report.md")
    p.add_argument("--show-config", action="store_true",
                   help="print the effective configuration as TOML and exit")
    p.add_argument("--force", action="store_true",
                   help="write into a non-empty output folder, replacing an earlier run")
    p.add_argument("--format", type=_formats, default=("png",), metavar="FMT[,FMT]",
                   help="figure formats, any of png,svg,pdf (default png)")
    p.add_argument("--dpi", type=_dpi, default=None,
                   help="resolution of PNG figures (default 150)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bars (they are shown only at a terminal anyway)")
    p.set_defaults(func=_cmd_run)
    p = sub.add_parser("sweep", help="run a registered model over a parameter grid (MPI-ready)",
                       description="Evaluate the model of a sweep TOML on every grid point (or "
                                   "adaptively) and write one HDF5 file; rerunning resumes an "
                                   "unfinished file. Under mpiexec every rank computes. Exit "
                                   f"codes: 0 done, 2 bad input, {SWEEP_FAILED_POINTS} finished "
                                   "with failed points.",
                       epilog="models and their parameters: qtransport models [NAME]; values: a "
                              "list is a list, a grid is {start = a, stop = b, num = n} "
                              "(docs/config.md)")
    p.add_argument("config", help="sweep TOML ([sweep] model, seed, [sweep.fixed], [sweep.grid])")
    p.add_argument("--output", required=True, help="HDF5 file to write or resume")
    p.add_argument("--retry-failed", action="store_true", help="recompute failed points")
    p.add_argument("--checkpoint-seconds", type=_checkpoint_seconds, default=None,
                   help="commit results at least this often, a number >= 0 (default: config, "
                        "else 10 s)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_sweep)
    p = sub.add_parser("fit", help="fit measured pulse data (CSV) with the NeuroSim model",
                       description="Fit G_min, G_max and the nonlinearity A of NeuroSim's "
                                   "exponential pulse response (= aihwkit SoftBoundsPmax, "
                                   "alpha = 1/A) to a CSV of measured pulses with columns "
                                   "pulse_number, conductance_S[, direction]. See "
                                   "examples/pulse_data.csv.")
    p.add_argument("pulses", help="CSV file: pulse_number,conductance_S[,direction]")
    p.add_argument("--direction", choices=("ltp", "ltd"), default=None,
                   help="fit only this direction (default: every direction in the file)")
    p.add_argument("--json", default=None, help="write the fit and aihwkit parameters here")
    p.set_defaults(func=_cmd_fit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qtransport`` command. Returns the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit code (0 success, 2 a user error reported in one line on stderr, 130 interrupted).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("qtransport: interrupted", file=sys.stderr)
        return 130
    except USER_ERRORS as exc:
        from .workflows.executor import launcher_rank
        if launcher_rank() == 0:           # under mpiexec every rank fails alike; say it once
            print(f"qtransport: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
