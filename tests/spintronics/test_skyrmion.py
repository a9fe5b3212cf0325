"""Skyrmion Thiele drift (Hall angle) and the seeded nucleation/annihilation counts."""
import math

import numpy as np
import pytest

from qtransport.spintronics import skyrmion as sk

P = sk.SkyrmionParameters(radius_m=50e-9, wall_width_m=8.66e-9, damping=0.015,
                          saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
                          spin_hall_angle=-0.33)


@pytest.mark.parametrize("alpha", [0.015, 0.1, 0.5])
@pytest.mark.parametrize("charge", [-1, 1])
def test_hall_angle_matches_g_over_alpha_d(alpha, charge):
    """The numerically solved Thiele system moves at tan θ = G/(α𝒟) to the force; the 2×2
    solve is exact to rounding (1e-12)."""
    p = P.with_(damping=alpha, charge=charge)
    vx, vy = sk.thiele_velocity(p, 2e10)
    F = p.force(2e10)
    # G ẑ × v on the left: the velocity is the force rotated by −θ, tan θ = G/(α𝒟)
    assert vy / vx == pytest.approx(-p.gyro / (alpha * p.dissipation), rel=1e-12)
    assert math.atan2(vy * np.sign(F), vx * np.sign(F)) == pytest.approx(-sk.hall_angle(p),
                                                                         rel=1e-12)
    # the force balance holds componentwise
    G, ad = p.gyro, alpha * p.dissipation
    assert -G * vy + ad * vx == pytest.approx(F, rel=1e-12)
    assert G * vx + ad * vy == pytest.approx(0.0, abs=1e-12 * abs(F))


def test_drift_deflects_to_the_edge_then_runs_along_it():
    """A free skyrmion's displacement in a wide track follows the Hall angle; in a narrow track
    it stops at |y| = W/2 − R and continues at the edge speed F/(α𝒟)."""
    J, t = 2e10, 1e-9
    vx, vy = sk.thiele_velocity(P, J)
    x, y = sk.drift(P, [0.0], [0.0], J, t, 1.0)          # 1 m wide: no edge reached
    assert y[0] / x[0] == pytest.approx(-math.tan(sk.hall_angle(P)), rel=1e-12)
    W, t = 200e-9, 10e-9
    x, y = sk.drift(P, [0.0], [0.0], J, t, W)
    assert abs(y[0]) == pytest.approx(W / 2 - P.radius_m, rel=1e-12, abs=0)
    t_edge = (W / 2 - P.radius_m) / abs(vy)
    assert x[0] == pytest.approx(vx * t_edge + sk.edge_velocity(P, J) * (t - t_edge), rel=1e-12)


def test_counts_are_bounded_integers_and_seeded():
    trains = np.r_[np.full(20, 9.5e10), np.full(20, -9.5e10)]
    traces = [sk.count_trace(P, trains, 8e-9, 12, np.random.default_rng(s), start=0,
                             nucleation_barriers_J=np.full(4, P.nucleation_barrier_J))
              for s in (5, 5, 6)]
    a = traces[0]
    assert a.dtype == np.int64 and a.shape == (4, 41)
    assert np.all(a >= 0) and np.all(a <= 12)
    assert np.all(np.diff(a[:, :21], axis=1) >= 0) and np.all(np.diff(a[:, 20:], axis=1) <= 0)
    assert np.array_equal(traces[0], traces[1])
    assert not np.array_equal(traces[0], traces[2])


def test_mean_count_follows_the_binomial_rate_model():
    """E[N_k] = N_s[1 − (1 − p_n)^k] under nucleation pulses and N_k = N_0 (1 − p_a)^k under
    deletion pulses. 4000 devices: the standard error of the mean count is below
    √(N_s/4 /4000) ≈ 0.027; 5 standard errors."""
    J, t, ns, nd = 9.5e10, 8e-9, 12, 4000
    pn = sk.event_probability(P.nucleation_barrier_J, P.nucleation_current_A_per_m2, J, t,
                              P.attempt_frequency_Hz, P.temperature_K)
    assert 0.05 < pn < 0.95
    up = sk.count_trace(P, np.full(10, J), t, ns, np.random.default_rng(1),
                        nucleation_barriers_J=np.full(nd, P.nucleation_barrier_J))
    k = np.arange(11)
    np.testing.assert_allclose(up.mean(axis=0), ns * (1 - (1 - pn) ** k), atol=5 * 0.027)
    down = sk.count_trace(P, np.full(10, -J), t, ns, np.random.default_rng(2), start=ns,
                          nucleation_barriers_J=np.full(nd, P.nucleation_barrier_J))
    np.testing.assert_allclose(down.mean(axis=0), ns * (1 - pn) ** k, atol=5 * 0.027)


def test_bad_input():
    with pytest.raises(ValueError, match="charge"):
        P.with_(charge=2)
    with pytest.raises(TypeError, match="rng"):
        sk.count_trace(P, [1e10], 1e-9, 3, rng=0)
    with pytest.raises(ValueError, match="start"):
        sk.count_trace(P, [1e10], 1e-9, 3, np.random.default_rng(0), start=5)
    with pytest.raises(ValueError, match="track_width_m"):
        sk.drift(P, [0.0], [0.0], 1e10, 1e-9, 50e-9)
