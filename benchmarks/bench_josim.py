"""Benchmark: RCSJ DC I–V, qtransport vs JoSIM (the C++ superconducting-circuit simulator).

Same junctions, same model, same quantity, equal accuracy, measured side by side in one run.

* Junctions: I_c = 100 µA, R = 2 Ω, C = 0.5 pF (β_c = 0.61) and C = 0.05 pF (β_c = 0.061); JoSIM's
  RCSJ model with ``rtype=0`` (a linear R = RN, no gap), one current-biased junction per netlist.
* Bias: N = 20, 100, 1000 points evenly spaced in [0, 3] I_c (the up sweep).
* Quantity: the DC voltage ⟨V⟩ over whole Josephson periods after settling. qtransport:
  ``rcsj.iv_curve(j, bias, rtol=rtol)`` as a user calls it (step, settling time and window chosen
  from rtol; calibration runs included in the time). JoSIM: every step of the window is printed;
  the phase is rebuilt from the printed voltage (Σ V h equals JoSIM's own phase advance up to
  boundary terms, and the 7-digit printed phase would limit the crossing times to ~1e-6 I_cR),
  its 2π crossings located, and ⟨V⟩ = Φ0 (crossings − 1)/(t_last − t_first) — whole periods, as
  qtransport does (a plain mean over the window has a 2–3e-3 I_cR edge error). Zero-voltage
  points: Δφ/Δt. Each JoSIM point gets its own window: the settling time qtransport chose for that
  rtol plus 2 × 3 of its own estimated Josephson periods (qtransport's rule, but per point,
  which only favours JoSIM). JoSIM starts at φ = 0, so below I_c it also gets the time to relax
  into its well (``josim_settle``).
* Accuracy: max |V − V_ref|/(I_c R) over ≤ 10 evenly spaced points of each grid (none within 2 %
  of I_c, where i = 1 exactly is a degenerate saddle-node on two of the grids), V_ref from
  scipy DOP853 at rtol = atol = 1e-12 (period of the settled orbit). JoSIM's step is the coarsest
  of a ladder (steps per shortest plasma/Josephson period) whose error is ≤ rtol on those points.
* Time: CPU time (user + system). JoSIM: of the child processes (netlist parsing, transient,
  CSV writing; not our parsing of its CSV), measured on the ≤ 10 points and scaled by N/10 —
  every point is an independent JoSIM run, so its cost per point does not depend on N.
  qtransport: ``time.process_time`` of the whole ``iv_curve`` over all N points, median of 3
  (of 9 when a curve takes < 50 ms).
* Noise (4.2 K): JoSIM's ``.temp 4.2`` with ``.neb`` = 1/h (its default bandwidth would filter
  the Johnson noise), one realization per point in both, same settling time and window (the
  default noisy window of qtransport), the same estimator (first-to-last 2π crossing rate where
  the trace crosses one way, else Δφ/Δt); rtol 1e-3 and 1e-4 set both steps (JoSIM's at its
  noiseless equal-accuracy step). Agreement is statistical: z = ΔV/σ with σ the spread of one window from
  16 extra qtransport realizations. rtol = 1e-6 is not run with noise: one window's statistical
  error (~3e-3 I_cR) is far above it.

JoSIM is a peer, never a dependency: the binary comes from ``JOSIM=/path/to/josim-cli``
(docs/benchmarks.md says how to build it); without it this benchmark says so and exits 0.
"""
from __future__ import annotations

import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
from scipy.integrate import solve_ivp

from qtransport.constants import PHI0
from qtransport.josephson import Junction, rcsj

IC, R = 100e-6, 2.0
CAPACITANCES = (0.5e-12, 0.05e-12)
SIZES = (20, 100, 1000)
RTOLS = (1e-3, 1e-4, 1e-6)
NOISY_RTOLS = (1e-3, 1e-4)
SAMPLE = 10
TEMPERATURE = 4.2
LADDER = tuple(int(round(8 * 2 ** (k / 2))) for k in range(24))   # 8 … ~2900 per period
QUICK = os.environ.get("QTRANSPORT_BENCH_QUICK") == "1"            # development: smaller grid


def josim_binary() -> str | None:
    path = os.environ.get("JOSIM", "")
    if not path:
        return None
    found = shutil.which(path) or (path if os.path.isfile(path) and os.access(path, os.X_OK)
                                   else None)
    return found


def reference_dc(beta: float, i: float, periods: int = 4) -> float:
    """⟨dφ/dτ⟩ of β φ'' + φ' + sin φ = i on the attractor reached from rest (0 for i ≤ 1)."""
    if i <= 1.0:
        return 0.0
    f = lambda _t, y: [y[1], (i - math.sin(y[0]) - y[1]) / beta]   # noqa: E731
    start = solve_ivp(f, (0.0, 40 * beta + 4 * math.pi / math.sqrt(i * i - 1)),
                      [math.pi / 2, 0.0], method="DOP853", rtol=1e-12, atol=1e-12).y[:, -1]
    goal = start[0] + 2 * math.pi * periods
    event = lambda _t, y: y[0] - goal                              # noqa: E731
    event.terminal = True
    hit = solve_ivp(f, (0.0, 1e7), start, method="DOP853", rtol=1e-12, atol=1e-12,
                    events=event).t_events[0][0]
    return 2 * math.pi * periods / hit


def estimated_period(i: float) -> float:
    """Overdamped Josephson period 2π/√(i² − 1) (reduced), an upper bound; inf at rest."""
    return 2 * math.pi / math.sqrt(i * i - 1) if i > 1 else math.inf


class JoSIM:
    """One current-biased RCSJ junction per JoSIM run; CPU time of the child processes."""

    def __init__(self, binary: str, junction: Junction, folder: str):
        self.binary, self.j, self.folder = binary, junction, folder
        self.wc = junction.characteristic_angular_frequency
        self.cpu = 0.0
        self.runs = 0

    def dc(self, i: float, h: float, settle: float, window: float, noise_seed: int | None = None):
        """DC voltage / I_cR at bias i I_c: step h, settling and window in reduced time."""
        dt = h / self.wc
        t_start, t_stop = settle / self.wc, (settle + window) / self.wc
        lines = ["* qtransport benchmark: one current-biased RCSJ junction",
                 f".model jm jj(rtype=0, icrit={IC:.12e}, cap={self.j.capacitance_F:.12e}, "
                 f"rn={R:.12e})",
                 f"I1 0 1 dc {i * IC:.12e}",
                 "B1 1 0 jm",
                 f".tran {dt:.12e} {t_stop:.12e} {t_start:.12e} {dt:.12e} DST"]
        if noise_seed is not None:
            lines += [f".temp {TEMPERATURE}", f".neb {1.0 / dt:.12e}",
                      f".option seed={noise_seed}"]
        lines += [".print DEVV B1", ".print PHASE B1", ".end"]
        cir, out = os.path.join(self.folder, "b.cir"), os.path.join(self.folder, "b.csv")
        with open(cir, "w") as fh:
            fh.write("\n".join(lines) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([self.binary, "-m", "-o", out, cir], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.runs += 1
        data = np.loadtxt(out, delimiter=",", skiprows=1, ndmin=2)
        volts, phase0 = data[:, 1], data[0, 2]
        return self._whole_periods(volts, phase0, h)

    def _whole_periods(self, volts, phase0, h):
        v = volts / self.j.characteristic_voltage_V          # dφ/dτ on the printed steps
        phi = phase0 + np.concatenate([[0.0], np.cumsum(0.5 * h * (v[1:] + v[:-1]))])
        span = h * (len(v) - 1)
        # noisy too: the first-to-last crossing rate of a one-way trace, as qtransport's noisy
        # iv_curve. Δφ/Δt over the window kept the start's edge term, coherent over seeds (every
        # run starts at φ = 0): −1 … −3e-3 I_cR at β_c = 0.061, 4.2 K (docs/josephson.md)
        level = np.floor(phi / (2 * math.pi))
        k = np.flatnonzero(level[1:] != level[:-1])
        if k.size < 3 or np.any(level[k + 1] < level[k]):
            return (phi[-1] - phi[0]) / span
        target = 2 * math.pi * level[k + 1]
        s = (target - phi[k]) / (phi[k + 1] - phi[k])
        t = (k + s) * h
        return 2 * math.pi * (k.size - 1) / (t[-1] - t[0])


def josim_settle(junction, i: float, settle: float, rtol: float) -> float:
    """JoSIM starts at φ = 0, not at rest in the tilted well (qtransport's up-sweep start): below
    I_c it must first relax into the well, at the rate √(1 − i²)/g (overdamped creep) or
    g/2m (ringing), so it gets that much longer to settle — the cost of its start, not of ours."""
    if i >= 1.0:
        return settle
    beta = junction.stewart_mccumber
    slow = max(2.0 * beta, 1.0 / math.sqrt(1.0 - i * i))
    return settle + slow * (math.log(1.0 / rtol) + 3.0)


def sample(bias) -> np.ndarray:
    """≤ SAMPLE evenly spaced indices, none within 2 % of I_c: at i = 1 exactly (on the grids
    N = 100, 1000) the orbit is a saddle-node, V = 0 only for a start at φ = π/2 — degenerate for
    any method starting elsewhere, so such a point would measure the start, not the solver."""
    n = bias.size
    picks = []
    for k in np.linspace(0, n - 1, min(SAMPLE, n)).round().astype(int):
        while k < n - 1 and abs(bias[k] / IC - 1.0) < 0.02:
            k += 1
        picks.append(k)
    return np.unique(picks)


def qt_time(fn, reps=3, short=0.05, short_reps=9):
    """Median CPU time of ``reps`` calls; ``short_reps`` when a call takes < ``short`` s (a
    10-ms curve timed 3 times is at the mercy of one burst of load on the shared machine)."""
    times, out = [], None
    while len(times) < (short_reps if times and max(times) < short else reps):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


_FIRST_CALL = """
import time
t0 = time.process_time()
import numpy as np
from qtransport.josephson import Junction, integrator, rcsj
j = Junction(100e-6, 0.5e-12, 2.0)
rcsj.iv_curve(j, np.linspace(0.0, 3e-4, 20), rtol=1e-3)
rcsj.iv_curve(j, np.linspace(0.0, 3e-4, 20), temperature_K=4.2, seed=1, rtol=1e-3)
t1 = time.process_time()
rcsj.iv_curve(j, np.linspace(0.0, 3e-4, 20), rtol=1e-3)
rcsj.iv_curve(j, np.linspace(0.0, 3e-4, 20), temperature_K=4.2, seed=1, rtol=1e-3)
t2 = time.process_time()
kind = "numba" if integrator.compiled_kernels() is not None else "numpy"
print(kind, t1 - t0, t2 - t1)
"""


def first_call_costs():
    """CPU seconds of a fresh process's first noiseless + noisy 20-point curve (imports included),
    its second pair, and the same with an empty numba cache (the JIT compile), in subprocesses."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="bench_josim_numba_") as cache:
        for name, extra in (("cold", {"NUMBA_CACHE_DIR": cache}), ("cached", {"NUMBA_CACHE_DIR": cache}),
                            ("numpy", {"QTRANSPORT_NO_NUMBA": "1"})):
            run = subprocess.run([sys.executable, "-c", _FIRST_CALL], capture_output=True,
                                 text=True, env={**os.environ, **extra}, check=True)
            kind, first, second = run.stdout.split()
            out[name] = (kind, float(first), float(second))
    return out


def josim_at_equal_accuracy(sim, picks_i, ref, rtol, settle, dyn_period, start=0):
    """Coarsest ladder step whose max error on the sample is ≤ rtol: (index, step, error, cpu/pt)."""
    for idx in range(start, len(LADDER)):
        h = dyn_period / LADDER[idx]
        cpu0, runs0 = sim.cpu, sim.runs
        vals = []
        for i in picks_i:
            period = estimated_period(i)
            window = 2 * rcsj.WINDOW_PERIODS * period if math.isfinite(period) else 4 * math.pi
            vals.append(sim.dc(i, h, josim_settle(sim.j, i, settle, rtol), window))
        err = float(np.max(np.abs(np.array(vals) - ref)))
        if err <= rtol:
            return idx, h, err, (sim.cpu - cpu0) / (sim.runs - runs0)
    return None, h, err, (sim.cpu - cpu0) / (sim.runs - runs0)


def deterministic(binary, folder):
    rows = []
    for cap in CAPACITANCES:
        j = Junction(IC, cap, R)
        beta = j.stewart_mccumber
        sim = JoSIM(binary, j, folder)
        dyn = min(2 * math.pi * math.sqrt(beta), 2 * math.pi / 3.0)
        for n in SIZES:
            bias = np.linspace(0.0, 3.0, n) * IC
            picks = sample(bias)
            ref = np.array([reference_dc(beta, b / IC) for b in bias[picks]])
            start = 0
            for rtol in RTOLS:
                t_qt, iv = qt_time(lambda: rcsj.iv_curve(j, bias, rtol=rtol))
                v = iv.voltage_V / j.characteristic_voltage_V
                err_qt = float(np.max(np.abs(v[picks] - ref)))
                settle = iv.attrs["settle_s"] * j.characteristic_angular_frequency
                idx, h_j, err_j, cpu_pt = josim_at_equal_accuracy(
                    sim, bias[picks] / IC, ref, rtol, settle, dyn, start)
                start = idx or 0
                rows.append((beta, "no", n, rtol, err_qt, err_j, t_qt / n, cpu_pt,
                             None if idx is None else LADDER[idx]))
                print_row(rows[-1])
    return rows


def noisy(binary, folder):
    rows = []
    for cap in CAPACITANCES:
        j = Junction(IC, cap, R)
        beta = j.stewart_mccumber
        wc = j.characteristic_angular_frequency
        sim = JoSIM(binary, j, folder)
        dyn = min(2 * math.pi * math.sqrt(beta), 2 * math.pi / 3.0)
        for n in SIZES:
            bias = np.linspace(0.0, 3.0, n) * IC
            picks = sample(bias)
            ref = np.array([reference_dc(beta, b / IC) for b in bias[picks]])
            for rtol in NOISY_RTOLS:
                t_qt, iv = qt_time(lambda: rcsj.iv_curve(j, bias, temperature_K=TEMPERATURE,
                                                         seed=1, rtol=rtol))
                settle = iv.attrs["settle_s"] * wc
                window = iv.attrs["average_s"] * wc
                spread = rcsj.iv_curve(j, bias[picks], temperature_K=TEMPERATURE, seed=2,
                                       realizations=16, rtol=rtol).voltage_std_V
                sigma = np.maximum(spread / j.characteristic_voltage_V, 1e-12)
                idx = josim_at_equal_accuracy(sim, bias[picks] / IC, ref, rtol, settle, dyn)[0]
                h_j = dyn / LADDER[idx if idx is not None else -1]
                cpu0, runs0 = sim.cpu, sim.runs
                vj = np.array([sim.dc(i, h_j, josim_settle(j, i, settle, rtol), window,
                                      noise_seed=100 + k)
                               for k, i in enumerate(bias[picks] / IC)])
                cpu_pt = (sim.cpu - cpu0) / (sim.runs - runs0)
                vq = iv.voltage_V[picks] / j.characteristic_voltage_V
                z = (vq - vj) / (math.sqrt(2) * sigma)
                rows.append((beta, "4.2 K", n, rtol, float(np.max(np.abs(z))),
                             float(np.mean(z)), t_qt / n, cpu_pt,
                             None if idx is None else LADDER[idx]))
                print_row(rows[-1], noisy=True)
    return rows


HEADER = (f"{'beta_c':>7s} {'noise':>6s} {'N':>5s} {'rtol':>6s} {'err qt':>9s} {'err JoSIM':>9s} "
          f"{'qt ms/pt':>9s} {'JoSIM ms/pt':>11s} {'JoSIM/qt':>8s} {'JoSIM steps/T':>13s}")


def print_row(row, noisy=False):
    beta, noise, n, rtol, a, b, tq, tj, spp = row
    ratio = tj / tq if tq > 0 else math.inf
    if noisy:
        errs = f"{'max|z|=' + format(a, '.1f'):>9s} {'mean z=' + format(b, '+.1f'):>9s}"
    else:
        errs = f"{a:9.1e} {b:9.1e}"
    steps = "rtol not met" if spp is None else str(spp)
    print(f"{beta:7.3f} {noise:>6s} {n:5d} {rtol:6.0e} {errs} {tq * 1e3:9.3f} {tj * 1e3:11.3f} "
          f"{ratio:8.1f} {steps:>13s}", flush=True)


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description="RCSJ I-V: qtransport vs JoSIM, CPU time per "
                                     "bias point at equal accuracy")
    parser.add_argument("--noise-only", action="store_true",
                        help="only the 4.2 K noise cases (QTRANSPORT_BENCH_PARTS=noisy)")
    args = parser.parse_args(argv)
    binary = josim_binary()
    if binary is None:
        given = os.environ.get("JOSIM", "")
        why = f"JOSIM={given} is not an executable" if given else "JOSIM is not set"
        print(f"bench_josim: JoSIM not available ({why}) — set JOSIM=/path/to/josim-cli (see "
              "docs/benchmarks.md for the build); skipped.")
        return 0
    global SIZES
    if QUICK:
        SIZES = (20,)
    warnings.simplefilter("ignore")
    print(f"JoSIM: {binary}; CPU time per bias point at equal accuracy (JoSIM timed on "
          f"≤ {SAMPLE} points per grid)")
    costs = first_call_costs()
    for name, (kind, first, second) in costs.items():
        what = {"cold": "empty numba cache (JIT compile)", "cached": "numba cache on disk",
                "numpy": "QTRANSPORT_NO_NUMBA=1"}[name]
        print(f"first call, fresh process, {what}: kernel {kind}, 20-point curve without + with "
              f"noise {first:.2f} s CPU (imports included), the same again {second:.3f} s")
    print(HEADER)
    with tempfile.TemporaryDirectory(prefix="bench_josim_") as folder:
        parts = ["noisy"] if args.noise_only else \
            os.environ.get("QTRANSPORT_BENCH_PARTS", "deterministic,noisy").split(",")
        rows = ((deterministic(binary, folder) if "deterministic" in parts else [])
                + (noisy(binary, folder) if "noisy" in parts else []))
    ratios = [r[7] / r[6] for r in rows]
    print(f"RCSJ I-V: JoSIM/qtransport CPU-time ratio per bias point = {min(ratios):.1f} … "
          f"{max(ratios):.1f} over {len(rows)} cases (target ≥ 10 in every case: "
          f"{'met' if min(ratios) >= 10 else 'missed in ' + str(sum(r < 10 for r in ratios))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
