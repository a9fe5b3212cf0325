"""Synapse layer benchmark: robust pulse fit vs plain curve_fit, in-situ vs float network run.

Side by side in one run, alternating, several repetitions, median reported.
Prints a small table and one line per headline ratio.
"""
from __future__ import annotations

import statistics
import time

import numpy as np
from scipy.optimize import curve_fit

from qtransport.synapse import PulseResponse, fit_pulse_response, network

REPS = 5


def _data(seed):
    s = PulseResponse(1e-6, 1e-4, 100, 30.0, 30.0)
    p = np.arange(101)
    g = s.conductance_ltp(p) * (1 + 0.002 * np.random.default_rng(seed).standard_normal(101))
    g[[20, 60]] *= [1.4, 0.7]                       # two read glitches
    return p, g


def _curve_fit(p, g):
    def model(pp, g_min, delta, a):
        return g_min + delta * np.expm1(-pp / a) / np.expm1(-100.0 / a)
    popt, _ = curve_fit(model, p, g, p0=[g.min(), np.ptp(g), 50.0], maxfev=10000)
    return popt[2]


def _time(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    rows = {"qtransport fit": [], "scipy curve_fit": [], "network float": [],
            "network in-situ": []}
    err = {"qtransport fit": [], "scipy curve_fit": []}
    s = PulseResponse(1e-6, 1e-4, 64, 64.0, 64.0)
    network.evaluate(None, epochs=1)                 # load the data set once
    for rep in range(REPS):
        p, g = _data(rep)
        t, fit = _time(lambda: fit_pulse_response(p, g))
        rows["qtransport fit"].append(t)
        err["qtransport fit"].append(abs(fit.a / 30.0 - 1))
        t, a = _time(lambda: _curve_fit(p, g))
        rows["scipy curve_fit"].append(t)
        err["scipy curve_fit"].append(abs(a / 30.0 - 1))
        rows["network float"].append(_time(lambda: network.evaluate(None, seed=rep))[0])
        rows["network in-situ"].append(_time(lambda: network.evaluate(s, seed=rep))[0])
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{'task':<18} {'median s':>10} {'median |A err|':>15}")
    for k, v in med.items():
        e = f"{100 * statistics.median(err[k]):.2f} %" if k in err else ""
        print(f"{k:<18} {v:>10.4f} {e:>15}")
    e_q = 100 * statistics.median(err["qtransport fit"])
    e_c = 100 * statistics.median(err["scipy curve_fit"])
    print(f"pulse fit: qtransport/curve_fit time ratio = "
          f"{med['qtransport fit'] / med['scipy curve_fit']:.2f} (P=100, 0.2 % noise + 2 "
          f"glitches; A error {e_q:.2f} % vs {e_c:.2f} %)")
    print(f"digits MLP: in-situ/float time ratio = "
          f"{med['network in-situ'] / med['network float']:.1f} (A/P=1, P=64, 30 epochs, "
          f"{REPS} seeds)")

if __name__ == "__main__":
    main()
