"""Phase-basis metastable levels vs WKB MQT; mesolve relaxation and Rabi vs exact forms."""
import math

import numpy as np
import pytest

from qtransport import AccuracyWarning
from qtransport.josephson import escape, qdynamics, washboard, Junction


def test_mqt_rate_approaches_wkb_formula():
    """CAP resonance width vs the cubic Caldeira–Leggett WKB rate (asymptotic in x = ΔU/ħω_a).

    The ratio deviates from 1 by the first asymptotic correction c/x with c ≈ 0.215 (measured,
    stable across x = 2…3.8 to ±0.01, grid 2e-3 vs 1e-3 rad changes it < 1e-3): we require
    |1 − Γ/Γ_WKB| < 0.3/x at every x and x·(1 − Γ/Γ_WKB) constant to ±0.02.
    """
    products = []
    for i in (0.93, 0.91, 0.885):
        r = washboard.metastable_levels(1e4, 1.0, i)
        x = float(r.barrier_over_hbar_omega)
        dev = 1 - r.rate_per_s[0] / float(r.wkb_rate_per_s)
        assert abs(dev) < 0.3 / x
        products.append(x * dev)
        # level spacing: ħω_a(1 − (5/36)/x) plus O(1/x²)
        spacing = (r.energies_GHz[1] - r.energies_GHz[0]) / float(r.omega_GHz)
        assert spacing == pytest.approx(1 - 5 / 36 / x, abs=0.1 / x**2)
        assert r.energies_GHz[0] / float(r.omega_GHz) == pytest.approx(0.5, abs=0.1 / x)
    assert np.ptp(products) < 0.02


def test_wkb_formula_matches_escape_module():
    j = Junction(1e-6, 1e-12, 100.0)
    bias = 0.95e-6
    barrier = escape.barrier_height_J(j, bias)[0] / 6.62607015e-34 / 1e9
    omega = escape.well_frequency_Hz(j, bias)[0] / 1e9
    assert washboard.wkb_rate_per_s(barrier, omega) == pytest.approx(
        escape.mqt_rate_per_s(j, bias)[0], rel=1e-12)


def test_unresolvable_width_warns():
    with pytest.warns(AccuracyWarning, match="ΔU/ħω_a"):
        washboard.metastable_levels(1e4, 1.0, 0.8, levels=1)


def test_mesolve_relaxation_matches_exponential():
    """mesolve with atol 1e-10, rtol 1e-9: agreement to 1e-4 required (measured ~1e-9)."""
    r = qdynamics.relaxation(20.0, 0.3, t1_ns=50.0, times_ns=np.linspace(0, 250, 251))
    assert np.max(np.abs(r.population_excited - r.analytic_excited)) < 1e-4


@pytest.mark.parametrize("kwargs", [dict(rabi_GHz=0.05), dict(rabi_GHz=0.05, detuning_GHz=0.03),
                                    dict(rabi_GHz=0.05, t1_ns=40.0)])
def test_mesolve_rabi_matches_analytic(kwargs):
    r = qdynamics.rabi(times_ns=np.linspace(0, 200, 401), **kwargs)
    assert np.max(np.abs(r.population_excited - r.analytic_excited)) < 1e-4
    assert r.population_excited.max() > 0.3          # oscillates, not trivially zero


def test_rabi_bad_input():
    with pytest.raises(ValueError, match="rabi_GHz"):
        qdynamics.rabi(rabi_GHz=-1.0, times_ns=[0.0, 1.0])
    with pytest.raises(ValueError, match="times_ns"):
        qdynamics.rabi(rabi_GHz=0.1, times_ns=[1.0, 0.5])
