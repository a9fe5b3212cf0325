"""The compiled (numba) RCSJ block kernels against the numpy steppers, and the fallback without numba.

Both paths evaluate the same RK4 / stochastic-Heun stage formulas in the same floating-point
order and take the same Gaussian increments from the caller's Generator, so they agree to
round-off: the only difference allowed is the numpy path's SIMD ``tan`` form of sin φ on
ensembles of ≥ 256 elements (≤ 1 ulp per sine, steppers.py), which over the ~10⁴ contracting
steps here stays ≲ 1e-13 relative — hence the 1e-12 tolerances. The runs are short (tens of ms).
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from qtransport.josephson import Junction, integrator, rcsj, sfq
from qtransport.josephson.integrator import NO_NUMBA_ENV, Problem, compiled_kernels, integrate

IC, R = 100e-6, 2.0
RTOL = 1e-12
JUNCTION = Junction(IC, 0.5e-12, R)
BIAS = np.linspace(0.0, 3.0, 20) * IC


def _both(monkeypatch, fn):
    """fn() with the compiled kernels, then with the numpy steppers (QTRANSPORT_NO_NUMBA=1)."""
    monkeypatch.delenv(NO_NUMBA_ENV, raising=False)
    assert compiled_kernels() is not None       # numba is a test dependency (make installs it)
    fast = fn()
    monkeypatch.setenv(NO_NUMBA_ENV, "1")
    assert compiled_kernels() is None
    slow = fn()
    monkeypatch.delenv(NO_NUMBA_ENV)
    return fast, slow


def _close(a, b, scale=1.0):
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=RTOL * scale)


def _vclose(fast, slow, name="voltage_V"):
    _close(getattr(fast, name), getattr(slow, name), IC * R)


def test_deterministic_iv_curve(monkeypatch):
    fast, slow = _both(monkeypatch, lambda: rcsj.iv_curve(JUNCTION, BIAS, rtol=1e-4))
    _vclose(fast, slow)
    # same decisions, same step ladder: the chosen step agrees to round-off (the two paths may
    # differ in the last bits of the calibration voltages, not in the ladder level picked)
    assert fast.attrs["step_s"] == pytest.approx(slow.attrs["step_s"], rel=1e-12, abs=0)
    assert np.max(np.abs(fast.voltage_V)) > 2 * IC * R    # running points were integrated


def test_noisy_iv_curve_with_realizations(monkeypatch):
    fast, slow = _both(monkeypatch, lambda: rcsj.iv_curve(
        Junction(IC, 0.05e-12, R), BIAS, temperature_K=4.2, seed=7, realizations=3, rtol=1e-3))
    _vclose(fast, slow)
    _vclose(fast, slow, "voltage_std_V")


def test_shapiro_steps_and_both_branches(monkeypatch):
    freq = 0.3 * JUNCTION.characteristic_angular_frequency / (2 * math.pi)
    bias = np.linspace(0.5, 2.0, 12) * IC
    fast, slow = _both(monkeypatch, lambda: rcsj.iv_curve(
        JUNCTION, bias, ac_amplitude_A=0.8 * IC, ac_frequency_Hz=freq, direction="both",
        steps_per_period=30))
    _vclose(fast, slow)
    _vclose(fast, slow, "voltage_down_V")
    assert rcsj.shapiro_step_orders(fast.voltage_V, freq)[1].any()   # some points phase-lock


def test_device_ensemble_d2d(monkeypatch):
    devices = [Junction(IC * s, 0.5e-12 * c, R / s) for s, c in ((1.0, 1.0), (1.1, 0.8),
                                                                    (0.9, 1.3))]
    fast, slow = _both(monkeypatch, lambda: rcsj.iv_curve(devices, BIAS, rtol=1e-4))
    _vclose(fast, slow)
    noisy = _both(monkeypatch, lambda: rcsj.iv_curve(devices, BIAS, temperature_K=4.2, seed=3,
                                                     realizations=2))
    _vclose(*noisy)


def _integrate_all(stochastic: bool) -> dict:
    """Every option of the integrator at once: ramp, drive, escapes, a subset's noise stream,
    substeps, records, energy, checkpoint and bump averages."""
    shape = (3, 5)
    rng = np.random.default_rng(11)
    prob = Problem(shape=shape, mass=rng.uniform(0.1, 1.0, shape), damping=rng.uniform(0.5, 1.5, shape),
                   amplitude=rng.uniform(0.8, 1.2, shape), bias=rng.uniform(0.0, 2.0, shape),
                   ramp=1e-3, ac_amplitude=0.4, ac_omega=0.7,
                   noise=0.05 if stochastic else 0.0, phase0=rng.uniform(-1, 1, shape),
                   velocity0=0.1, escape_phase=np.full(shape, 8.0))
    if stochastic:
        prob = prob.subset(np.array([0, 3, 4, 8, 13]))
    return integrate(prob, 0.05, 3000, rng=np.random.default_rng(5) if stochastic else None,
                     settle_steps=700, record_every=97, substeps=2 if stochastic else 1,
                     energy=True, checkpoint_steps=1800, bump_average=True)


@pytest.mark.parametrize("stochastic", [False, True])
def test_integrator_outputs_agree(monkeypatch, stochastic):
    fast, slow = _both(monkeypatch, lambda: _integrate_all(stochastic))
    assert fast.keys() == slow.keys()
    for key in fast:
        a, b = np.asarray(fast[key], dtype=float), np.asarray(slow[key], dtype=float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), key
        _close(a[~np.isnan(a)], b[~np.isnan(b)], max(1.0, float(np.nanmax(np.abs(b)))))
    assert np.any(np.abs(fast["phase"] - fast["phase_settled"]) > 50.0)   # some run (slips)


def test_rl_loop_sfq_neuron(monkeypatch):
    """The L–R loop current (β_L, ρ) of the SFQ neuron: the third state variable of the kernels."""
    inputs = np.linspace(0.0, 80e-6, 6)
    fast, slow = _both(monkeypatch, lambda: sfq.firing_rate(inputs, duration_s=2e-10,
                                                            settle_s=2e-11))
    _close(fast.rate_Hz, slow.rate_Hz, float(np.max(slow.rate_Hz)))
    ok = ~np.isnan(slow.energy_per_spike_J)
    assert ok.any()
    _close(fast.energy_per_spike_J[ok], slow.energy_per_spike_J[ok],
           float(np.max(slow.energy_per_spike_J[ok])))


def test_same_seed_bit_identical_compiled(monkeypatch):
    monkeypatch.delenv(NO_NUMBA_ENV, raising=False)
    runs = [rcsj.iv_curve(JUNCTION, BIAS, temperature_K=4.2, seed=21, realizations=2).voltage_V
            for _ in range(2)]
    # the seed contract: same seed, same machine -> bit-identical, so exact equality is the test
    assert np.array_equal(runs[0], runs[1])
    other = rcsj.iv_curve(JUNCTION, BIAS, temperature_K=4.2, seed=22, realizations=2).voltage_V
    assert not np.array_equal(runs[0], other)


_CHILD = """
import json, sys
sys.modules["numba"] = None          # numba unimportable in this process
import numpy as np
from qtransport.josephson import Junction, integrator, rcsj
j = Junction(100e-6, 0.5e-12, 2.0)
bias = np.linspace(0.0, 3.0, 20) * 100e-6
det = rcsj.iv_curve(j, bias, rtol=1e-4).voltage_V
noisy = rcsj.iv_curve(j, bias, temperature_K=4.2, seed=7, realizations=2).voltage_V
print(json.dumps({"kernels": integrator.compiled_kernels() is None,
                  "numba_loaded": sys.modules.get("numba") is not None,
                  "det": det.tolist(), "noisy": noisy.tolist()}))
"""


@pytest.mark.parametrize("env", [{NO_NUMBA_ENV: "1"}, {}])
def test_without_numba_numpy_path_same_answers(monkeypatch, env):
    """A process where numba cannot be imported (and one that also sets QTRANSPORT_NO_NUMBA=1)
    runs the numpy steppers and gets the compiled path's answers."""
    child_env = {k: v for k, v in os.environ.items() if k != NO_NUMBA_ENV}
    run = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True,
                         env={**child_env, **env}, check=True, timeout=300)
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["kernels"] and not out["numba_loaded"]
    monkeypatch.delenv(NO_NUMBA_ENV, raising=False)
    assert compiled_kernels() is not None
    det = rcsj.iv_curve(JUNCTION, BIAS, rtol=1e-4).voltage_V
    noisy = rcsj.iv_curve(JUNCTION, BIAS, temperature_K=4.2, seed=7, realizations=2).voltage_V
    _close(np.array(out["det"]), det, IC * R)
    _close(np.array(out["noisy"]), noisy, IC * R)


def test_import_does_not_load_numba():
    """numba is optional: ``import qtransport`` (and its josephson package) never imports it."""
    code = ("import sys, qtransport, qtransport.josephson, qtransport.josephson.rcsj; "
            "print('numba' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert run.stdout.strip() == "False"


def test_engine_name_in_env_values(monkeypatch):
    """QTRANSPORT_NO_NUMBA=0 or empty keeps the kernels; any other value selects numpy."""
    for value, compiled in (("0", True), ("", True), ("1", False), ("yes", False)):
        monkeypatch.setenv(NO_NUMBA_ENV, value)
        assert (integrator.compiled_kernels() is not None) is compiled


def test_large_ensemble_same_answers_whichever_path_runs(monkeypatch):
    """Above COMPILED_MAX_SIZE elements a SIMD-tan machine keeps the numpy steppers (faster there)
    except for the plain noisy equation, whose kernel is SIMD itself; elsewhere the kernels run.
    Either way the answers are those of the numpy path: plain noisy, and noisy with a drive."""
    n = integrator.COMPILED_MAX_SIZE + 88
    for drive in (0.0, 0.3):
        prob = Problem(shape=(n,), mass=0.6, bias=np.linspace(0.0, 3.0, n), noise=0.02,
                       ac_amplitude=drive, ac_omega=0.7 if drive else 0.0)
        fast, slow = _both(monkeypatch, lambda: integrate(prob, 0.05, 600,
                                                          rng=np.random.default_rng(4)))
        _close(fast["phase"], slow["phase"], float(np.max(np.abs(slow["phase"]))))
        _close(fast["velocity"], slow["velocity"], 1.0)


def test_vectorized_sine_within_an_ulp_of_libm():
    """kernels.sine (branch-free, so the plain Heun loop vectorizes) is within 1 ulp of 1 of libm's
    sine on |x| < SINE_LIMIT: random arguments small and large, and the quadrant edges kπ/4 ± ε
    where the reduction switches between the sin and cos polynomials."""
    from qtransport.josephson import kernels
    rng = np.random.default_rng(0)
    k = np.arange(-3000, 3001) * (math.pi / 4)
    x = np.concatenate([rng.uniform(-10.0, 10.0, 4000),
                        rng.uniform(-kernels.SINE_LIMIT, kernels.SINE_LIMIT, 4000),
                        k, k + 1e-9, k - 1e-9, np.nextafter(k, np.inf), [0.0, -0.0, 1e-300]])
    got = np.array([kernels.sine(v) for v in x])
    ref = np.array([math.sin(v) for v in x])
    assert np.max(np.abs(got - ref)) <= np.spacing(1.0)


def _plain_pair(scheme: str, phase0, b=300):
    """The same plain (no ramp/drive/loop) block through the SIMD kernel and the general one
    (libm sine): heun_plain_block vs heun_block (with kicks), rk4_plain_block vs rk4_block."""
    from qtransport.josephson import kernels
    rng = np.random.default_rng(9)
    n, h = phase0.size, 0.05
    P = np.zeros((b + 1, n))
    V = np.zeros((b + 1, n))
    P[0], V[0] = phase0, rng.uniform(-1.0, 2.0, n)
    kick = 0.02 * rng.standard_normal((b, n))
    cs, cg = np.full(n, -0.5 * h / 0.3), np.full(n, -0.25 * h / 0.3)
    cb = rng.uniform(0.0, 0.5, n) * 0.5 * h / 0.3
    P2, V2 = P.copy(), V.copy()
    zero, no_loop = np.zeros(n), np.zeros((1, n))
    if scheme == "heun":
        done = kernels.heun_plain_block(0, b, h, P, V, kick, cs, cg, cb)
        kernels.heun_block(0, b, h, P2, V2, no_loop, kick, cs, cg, cb, zero, zero, zero,
                           0.0, 0.0, np.zeros((b, 3)), False, False, False)
    else:
        done = kernels.rk4_plain_block(0, b, h, P, V, cs, cg, cb)
        kernels.rk4_block(0, b, h, P2, V2, no_loop, cs, cg, cb, zero, zero, zero, 0.0, 0.0,
                          np.zeros((b, 3)), False, False, False)
    return (P, V), (P2, V2), done


@pytest.mark.parametrize("scheme", ["heun", "rk4"])
def test_plain_kernel_matches_general_kernel(scheme):
    """The SIMD kernels of the plain equation step like heun_block / rk4_block (libm sine) to
    round-off: same stage formulas, sines within an ulp, over 300 contracting steps."""
    phase0 = np.random.default_rng(2).uniform(-50.0, 50.0, 37)
    (P, V), (P2, V2), done = _plain_pair(scheme, phase0)
    assert done == 300                      # every step done by the SIMD kernel
    np.testing.assert_allclose(P, P2, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(V, V2, rtol=0, atol=1e-13)
    assert np.ptp(P[-1] - P[0]) > 1.0      # the elements moved apart (not a trivial run)


@pytest.mark.parametrize("noise", [0.0, 0.02])
def test_plain_kernel_falls_back_to_libm_beyond_sine_limit(monkeypatch, noise):
    """Phases past SINE_LIMIT (the two-part π/2 reduction is exact only below ~6.5e6; its sine
    error is ~ulp(φ), ~4e-9 at 3e7): the plain kernels stop at the first such row and the
    integrator does the rest of the block with the general kernel (libm's sine). So a plain run
    there equals the same run through the general kernel (a drive of zero amplitude, which adds
    exact zeros); without the fallback its velocities would be ~1e-9 off. Heun and RK4."""
    from qtransport.josephson import kernels
    monkeypatch.delenv(NO_NUMBA_ENV, raising=False)
    rng = np.random.default_rng(3)
    n = 16
    phase0 = np.where(np.arange(n) % 2 == 0, 30.0 * kernels.SINE_LIMIT, 0.0) \
        + rng.uniform(-3.0, 3.0, n)
    base = dict(shape=(n,), mass=0.3, bias=np.linspace(0.0, 2.0, n), noise=noise,
                phase0=phase0, velocity0=0.5)
    runs = [integrate(Problem(**base, ac_omega=omega), 0.05, 700, crossings=False,
                      rng=np.random.default_rng(8)) for omega in (0.0, 0.7)]
    # the range matters: there kernels.sine itself is off by ~ulp(φ) for most phases
    assert max(abs(kernels.sine(x) - math.sin(x)) for x in phase0) > 1e-10
    np.testing.assert_allclose(runs[0]["velocity"], runs[1]["velocity"], rtol=0, atol=1e-14)
    np.testing.assert_allclose(runs[0]["phase"], runs[1]["phase"], rtol=1e-15, atol=0)


def _brownian(level: int, coarse_steps: int, seed: int = 4, settle: int = 0, n: int = 2000):
    """W(τ) on the coarse grid from a LevyPath level: with no drift and σ = m the Heun velocity
    is exactly the sum of the kicks, v_n = W(τ_n) (rows recorded every 2^level steps)."""
    prob = Problem(shape=(n,), mass=1.0, damping=0.0, amplitude=0.0, noise=1.0)
    out = integrate(prob, 0.4 / 2**level, coarse_steps * 2**level,
                    rng=integrator.LevyPath(seed, level), record_every=2**level,
                    settle_steps=settle, crossings=False)
    return out["rec_velocity"]


def test_levy_path_levels_share_one_brownian_path():
    """Every level of a LevyPath (steps h0/2^k) follows the same W on the coarse grid (to
    round-off), a level's increments have variance h (Lévy's midpoint construction is exact in
    law), and the block boundaries (moved by settle_steps) do not change the path."""
    paths = [_brownian(k, 40) for k in range(4)]
    for w in paths[1:]:
        np.testing.assert_allclose(w, paths[0], rtol=0, atol=1e-12)
    # increments of the finest level at its own step h = 0.05: variance h, ±5σ of the sample
    prob = Problem(shape=(2000,), mass=1.0, damping=0.0, amplitude=0.0, noise=1.0)
    rec = integrate(prob, 0.05, 64, rng=integrator.LevyPath(4, 3), record_every=1,
                    crossings=False)["rec_velocity"]
    dw = np.diff(rec, axis=0).ravel()
    assert abs(dw.var() / 0.05 - 1.0) < 5 * math.sqrt(2.0 / dw.size)
    assert abs(dw.mean()) < 5 * math.sqrt(0.05 / dw.size)
    # the seed contract: blocks cut elsewhere (settle_steps) draw the same path, bit for bit
    assert np.array_equal(_brownian(2, 40, settle=37), paths[2])
    assert not np.array_equal(_brownian(2, 40, seed=5), paths[2])


def test_levy_path_refuses_substeps():
    prob = Problem(shape=(3,), mass=1.0, noise=1.0)
    with pytest.raises(ValueError, match="substeps"):
        integrate(prob, 0.1, 10, rng=integrator.LevyPath(0, 1), substeps=2)
