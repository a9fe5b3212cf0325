"""Registered quantum-dot models: shapes, the staircase period, the CdSe rows."""
import numpy as np
import pytest

from qtransport.workflows.catalog import run_model


def test_size_levels_rows_and_limits():
    r = run_model(model="quantum_dots.size_levels", params={"diameters_nm": [2.5, 5.0, 8.0]})
    assert r.gap_eV.shape == (3,) and np.all(np.isfinite(r.measured_gap_eV))
    assert np.all(r.gap_eV > r.bulk_gap_eV)
    assert np.all(r.brus_gap_eV > r.gap_eV)          # infinite barriers confine harder
    other = run_model(model="quantum_dots.size_levels",
                      params={"material": "PbS", "diameters_nm": [4.0]})
    assert np.isnan(other.measured_gap_eV[0])


def test_staircase_steps_are_spaced_by_e_over_c():
    r = run_model(model="quantum_dots.staircase", params={"n_bias": 4001, "max_bias_V": 0.6})
    V, I = r.bias_V, r.current_A
    g = np.gradient(I, V)
    peaks = V[1:-1][(g[1:-1] > g[:-2]) & (g[1:-1] >= g[2:]) & (g[1:-1] > 0.3 * g.max())]
    steps = np.diff(peaks)
    # bias grid 1.5e-4 V; the peak positions carry ±1 grid point each
    assert steps == pytest.approx(np.full(steps.size, float(r.step_V)), abs=3 * (V[1] - V[0]))
    assert steps.size >= 3


def test_diamond_map_shape():
    r = run_model(model="quantum_dots.coulomb_diamonds", params={"n_gate": 21, "n_bias": 11})
    assert r.current_A.shape == (11, 21)
    assert float(r.half_height_V) == pytest.approx(1.602176634e-19 / 2.5e-18)


def test_double_dot_stability_diagram_is_gate_periodic():
    """Shifting either gate by e/C_g adds one electron to that dot: same rates, same current."""
    r = run_model(model="quantum_dots.double_dot", params={"n_gate": 21, "temperature_K": 4.0})
    I = r.current_A
    k = 10                                   # 21 points over two periods: index 10 = e/C_g
    scale = np.abs(I).max()
    assert scale > 0
    assert np.max(np.abs(I[k:k + 11] - I[:11])) < 1e-9 * scale
    assert np.max(np.abs(I[:, k:k + 11] - I[:, :11])) < 1e-9 * scale
    assert np.all(I > -1e-9 * scale)         # positive bias: current never flows backwards
