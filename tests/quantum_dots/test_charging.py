"""Orthodox-theory charging of a dot: rates, blockade geometry, master-equation invariants."""
import math

import numpy as np
import pytest
from scipy import linalg

from qtransport.constants import e, k_B
from qtransport.quantum_dots import charging as ch

SET = ch.SingleElectronTransistor(c1_F=1e-18, c2_F=1.5e-18, cg_F=0.5e-18, r1_ohm=1e6,
                                  r2_ohm=3e6, c0_F=0.2e-18)


def test_rate_formula_and_zero_limit():
    R, T = 1e6, 4.2
    kT = k_B * T / e
    dF = np.array([-0.05, -1e-3, -1e-9, 0.0, 1e-9, 1e-3, 0.05, 0.2])
    import mpmath as mp
    mp.mp.dps = 40         # the literal formula in high precision (no cancellation/overflow)
    ref = np.array([float(kT / (e * R)) if x == 0 else
                    float(-mp.mpf(x) / (e * R * (1 - mp.exp(mp.mpf(x) / kT)))) for x in dF])
    assert ch.tunnel_rate(dF, R, T) == pytest.approx(ref, rel=1e-12, abs=0)
    assert ch.tunnel_rate(0.0, R, T) == pytest.approx(kT / (e * R), rel=1e-15)
    # T = 0: the step −ΔF/(e²R) for ΔF < 0, zero otherwise
    assert ch.tunnel_rate([-0.1, 0.1], R, 0.0) == pytest.approx([0.1 / (e * R), 0.0])


def test_single_junction_far_above_threshold():
    C, R, T = 1e-18, 1e6, 4.2
    V = np.array([20.0, 50.0]) * e / (2 * C)
    I = ch.single_junction_current(V, C, R, T)
    # corrections are exp(−(V − e/2C)/kT)-small (here < 1e-300): the T = 0 line to rounding
    assert I == pytest.approx((V - e / (2 * C)) / R, rel=1e-12)
    assert ch.single_junction_current([0.5 * e / (2 * C)], C, R, 0.0)[0] == 0.0


def test_detailed_balance_at_zero_bias():
    T = 3.0
    vg = 0.37 * e / SET.cg_F
    n, p, current = SET.steady_state(0.0, 0.0, vg, T, n_states=15)
    q = SET.cg_F * vg / e
    F = (n - q)**2 * e / (2 * SET.c_sigma_F)           # eV: (ne − Q)²/2C_Σ
    boltz = np.exp(-(F - F.min()) / (k_B * T / e))
    assert p == pytest.approx(boltz / boltz.sum(), rel=1e-12, abs=1e-300)
    assert abs(current) < 1e-12 * e / (e * SET.r1_ohm) * SET.charging_energy_eV
    r = SET.rates(n, 0.0, 0.0, vg, T)
    for j in ("1", "2"):            # every junction balances on its own
        assert p[:-1] * r[f"in{j}"][:-1] == pytest.approx(p[1:] * r[f"out{j}"][1:], rel=1e-11, abs=0)


def test_steady_state_equals_null_vector_of_generator():
    n, p, I = SET.steady_state(0.09, 0.0, 0.2, 4.2, n_states=11)
    W, j = SET.generator(n, 0.09, 0.0, 0.2, 4.2)
    null = linalg.null_space(W)[:, 0]
    null /= null.sum()
    assert p == pytest.approx(null, abs=1e-12)
    assert I == pytest.approx(float(j @ null), rel=1e-9, abs=0)


def test_diamond_period_and_half_height():
    T = 0.05                                   # k_BT ≈ E_C/1000
    geo = ch.diamond_vertices(SET)
    assert SET.charging_energy_eV / (k_B * T / e) > 500
    vg = np.linspace(0.0, 2 * geo["gate_period_V"], 401)
    V = np.linspace(-1.2, 1.2, 301) * geo["half_height_V"]
    I = SET.current(V[:, None], vg[None, :], T)
    blocked = np.abs(I) < 1e-6 * np.abs(I).max()
    height = np.array([np.abs(V[blocked[:, k]]).max() for k in range(vg.size)])
    dV = V[1] - V[0]
    assert height.max() == pytest.approx(geo["half_height_V"], abs=2 * dV)
    # degeneracy points (no blockade at V → 0): spaced by e/C_g
    lin = np.abs(SET.current(1e-3 * geo["half_height_V"], vg, T))
    peaks = vg[1:-1][(lin[1:-1] > lin[:-2]) & (lin[1:-1] >= lin[2:]) & (lin[1:-1] > 0.1 *
                                                                      lin.max())]
    assert np.diff(peaks) == pytest.approx(geo["gate_period_V"], abs=2 * (vg[1] - vg[0]))


def test_blockade_washes_out_at_high_temperature():
    """Gate modulation of the linear conductance: deep at k_BT ≪ E_C, gone at k_BT ≫ E_C,
    where G → 1/(R1 + R2) with a first-order correction of relative size O(E_C/k_BT)."""
    Ec = SET.charging_energy_eV
    vg = np.linspace(0, e / SET.cg_F, 101)
    dv = 1e-6

    def modulation(kT_over_Ec):
        T = kT_over_Ec * Ec * e / k_B
        G = SET.current(dv, vg, T) / dv
        return G, (G.max() - G.min()) / G.max()

    _, cold = modulation(0.02)
    G_hot, hot = modulation(10.0)
    assert cold > 0.999
    assert hot < 1e-2
    g_classical = 1 / (SET.r1_ohm + SET.r2_ohm)
    assert np.all(np.abs(G_hot / g_classical - 1) < 1 / 10.0)


@pytest.mark.slow
def test_probability_conserved_and_charge_integrated_over_pulses():
    n = np.arange(-6, 7)
    p0 = np.zeros(n.size)
    p0[6] = 1.0
    T = 1.0
    h = ch.diamond_vertices(SET)["half_height_V"]
    segs = [(2e-10, 1.5 * h, 0.0, 0.1), (3e-10, 0.0, 0.0, 0.0), (1e-10, -2 * h, 0.0, 0.3)] * 4
    ps, q = SET.evolve(p0, n, segs, T)
    assert np.max(np.abs(ps.sum(axis=1) - 1)) < 1e-12
    assert np.all(np.abs(q) > 0)
    # charge through junction 1 = ∫ j·p dt, checked against a fine solve of the same ODE
    from scipy.integrate import solve_ivp
    p = p0.copy()
    for (dt, v1, v2, vg), qi in list(zip(segs, q))[:3]:
        W, j = SET.generator(n, v1, v2, vg, T)
        sol = solve_ivp(lambda t, y: np.concatenate([W @ y[:-1], [j @ y[:-1]]]), (0, dt),
                        np.concatenate([p, [0.0]]), method="Radau", rtol=1e-11, atol=1e-30)
        p = sol.y[:-1, -1]
        assert qi == pytest.approx(sol.y[-1, -1], rel=1e-6, abs=1e-30)
    # long DC segment → steady-state current
    ps, q = SET.evolve(p0, n, [(1e-6, 1.5 * h, 0.0, 0.1)], T)
    _, _, I = SET.steady_state(1.5 * h, 0.0, 0.1, T, n_states=13)
    assert q[0] / 1e-6 == pytest.approx(float(I), rel=1e-3)   # transient ~1e-10 s of 1e-6 s


def test_probability_conserved_through_pulses():
    n = np.arange(-6, 7)
    p0 = np.zeros(n.size)
    p0[6] = 1.0
    h = ch.diamond_vertices(SET)["half_height_V"]
    segs = [(2e-10, 1.5 * h, 0.0, 0.1), (3e-10, 0.0, 0.0, 0.0), (1e-10, -2 * h, 0.0, 0.3)] * 4
    ps, _ = SET.evolve(p0, n, segs, 1.0)
    # expm of a generator whose columns sum to zero: rounding only (13 states)
    assert np.max(np.abs(ps.sum(axis=1) - 1)) < 1e-12
    assert np.max(np.abs(ps[-1] - ps[0])) > 0.1          # the drive really moved the charge


def test_bad_input():
    with pytest.raises(ValueError, match="r1_ohm"):
        ch.SingleElectronTransistor(1e-18, 1e-18, 1e-18, -1.0, 1e6)
    with pytest.raises(ValueError, match="temperature_K"):
        SET.steady_state(0.0, 0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="p0"):
        SET.evolve([1.0, -0.1], [0, 1], [(1e-9, 0, 0, 0)])


def test_dot_chain_of_one_is_the_set():
    chain = ch.DotChain((SET.c1_F, SET.c2_F), (SET.r1_ohm, SET.r2_ohm), (SET.cg_F,),
                        (SET.c0_F,))
    for V, vg in [(0.05, 0.1), (0.09, 0.2), (-0.07, 0.33)]:
        ref = SET.current(V, vg, 4.2)
        got = chain.steady_state(V, 0.0, [vg], 4.2, half_width=6)[2]
        assert got == pytest.approx(np.full(2, ref), rel=1e-9, abs=0)


def test_double_dot_current_continuity_and_zero_bias_boltzmann():
    chain = ch.DotChain((1e-18, 0.5e-18, 1e-18), (1e6, 2e6, 1e6), (0.3e-18, 0.4e-18))
    n, p, I = chain.steady_state(0.1, 0.0, [0.2, 0.1], 4.2, half_width=3)
    assert p.sum() == pytest.approx(1.0, abs=1e-12) and np.all(p >= 0)
    assert np.max(np.abs(I - I.mean())) < 1e-9 * abs(I.mean())   # one current through all
    T = 8.0
    gates = np.array([0.27, 0.41])
    n, p, I = chain.steady_state(0.0, 0.0, gates, T, half_width=3)
    Cinv = np.linalg.inv(chain.capacitance_matrix())
    q = np.array([0.3e-18, 0.4e-18]) * gates
    E = np.array([0.5 * (q - e * row) @ Cinv @ (q - e * row) for row in n]) / e      # eV
    boltz = np.exp(-(E - E.min()) / (k_B * T / e))
    assert p == pytest.approx(boltz / boltz.sum(), rel=1e-8, abs=1e-14)
    assert np.all(np.abs(I) < 1e-20)
