"""Skyrmions in a W/CoFeB-type film: Thiele drift and a seeded nucleation/annihilation model.

Motion (rigid skyrmion, Thiele equation, Thiele PRL 30, 230 (1973); SOT form as in Tomasello et
al., Sci. Rep. 4, 6784 (2014)), per unit film area and in units of μ0 M_s t/γ0:

    G ẑ × v + α 𝒟 v = F,   G = 4πQ,   𝒟 = 2π(R/Δ + Δ/R),   F = π² γ0 H_SH R x̂,

Q = ±1 the topological charge, R the radius and Δ the wall width of the skyrmion (𝒟 from the
thin-wall profile: ½∫|∇m|² dA), H_SH = ħθ_SH J/(2e μ0 M_s t) the spin-Hall field of the current
density J along x̂ (F: the damping-like torque integrated around a Néel skyrmion's wall, R ≫ Δ).
The solution v = [α𝒟 F − G ẑ × F]/(G² + α²𝒟²) is the force rotated by −θ, the skyrmion Hall
angle tan θ = G/(α𝒟) (v_y/v_x = −G/(α𝒟)). In a track of width W the transverse motion stops at the edge
(|y| = W/2 − R), where the edge force balances the Magnus force and the skyrmion runs along the
edge at v_x = F/(α𝒟).

Creation and deletion (documented rate model, not micromagnetics): each nucleation site of the
read region holds at most one skyrmion. A pulse of current density J and width t_p nucleates
one at an empty site with probability p_n = 1 − exp[−f0 t_p e^{−E_n(J)/k_BT}],
E_n(J) = E_n0 max(0, 1 − |J|/J_n) (a barrier lowered linearly by the current, as in thermally
assisted switching), and a reverse pulse deletes each skyrmion with
p_a = 1 − exp[−f0 t_p e^{−E_a(J)/k_BT}], E_a(J) = E_a0 max(0, 1 − |J|/J_a). Events are drawn
from a seeded numpy Generator (binomial per pulse), so the same seed gives the same trace and the
counts are non-negative integers bounded by the number of sites.

SI units throughout.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ..constants import e, hbar, k_B
from ..errors import MAX_TEMPERATURE_K, check_int, check_real
from .domain_wall import GAMMA_E, mu_0

__all__ = ["SkyrmionParameters", "thiele_velocity", "hall_angle", "edge_velocity",
           "drift", "event_probability", "count_trace"]


@dataclass(frozen=True)
class SkyrmionParameters:
    """Skyrmion film and event-model parameters (module notes).

    Parameters
    ----------
    radius_m, wall_width_m : float
        R and Δ, m (> 0).
    damping : float
        α (> 0).
    saturation_magnetization_A_per_m, film_thickness_m : float
        M_s (A/m) and t (m), both > 0.
    spin_hall_angle : float
        θ_SH of the heavy metal.
    charge : int
        Topological charge Q (±1).
    attempt_frequency_Hz : float
        f0 of the event rates, Hz (> 0).
    nucleation_barrier_J, nucleation_current_A_per_m2 : float
        E_n0 (J) and J_n (A/m²), both > 0.
    annihilation_barrier_J, annihilation_current_A_per_m2 : float
        E_a0 (J) and J_a (A/m²), both > 0.
    temperature_K : float
        T, K (> 0: the events are thermally activated).
    sources : dict, optional
        Provenance.

    Raises
    ------
    ValueError
        If an argument is invalid: `spin_hall_angle` must be finite; charge must be -1 or +1;
        `radius_m`, `wall_width_m`, `damping`, `saturation_magnetization_A_per_m`,
        `film_thickness_m`, `attempt_frequency_Hz`, `nucleation_barrier_J`,
        `nucleation_current_A_per_m2`, `annihilation_barrier_J`,
        `annihilation_current_A_per_m2` and `temperature_K` must be > 0.
    TypeError
        If an argument has the wrong type: `spin_hall_angle`, `radius_m`, `wall_width_m`,
        `damping`, `saturation_magnetization_A_per_m`, `film_thickness_m`,
        `attempt_frequency_Hz`, `nucleation_barrier_J`, `nucleation_current_A_per_m2`,
        `annihilation_barrier_J`, `annihilation_current_A_per_m2` or `temperature_K` are not
        real numbers.

    Examples
    --------
    A 20 nm skyrmion with 5 nm walls: 𝒟 = 2π(4 + 1/4) = 8.5π and G = 4πQ = −4π:

    >>> import math
    >>> p = SkyrmionParameters(radius_m=20e-9, wall_width_m=5e-9, damping=0.3,
    ...                        saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
    ...                        spin_hall_angle=0.2)
    >>> round(p.dissipation / math.pi, 6), round(p.gyro / math.pi, 6)
    (8.5, -4.0)
    """

    radius_m: float
    wall_width_m: float
    damping: float
    saturation_magnetization_A_per_m: float
    film_thickness_m: float
    spin_hall_angle: float
    charge: int = -1
    attempt_frequency_Hz: float = 1e9
    nucleation_barrier_J: float = 50 * k_B * 300.0
    nucleation_current_A_per_m2: float = 1e11
    annihilation_barrier_J: float = 50 * k_B * 300.0
    annihilation_current_A_per_m2: float = 1e11
    temperature_K: float = 300.0
    sources: dict = field(default_factory=dict)

    def __post_init__(self):
        for k in ("radius_m", "wall_width_m", "damping", "saturation_magnetization_A_per_m",
                  "film_thickness_m", "attempt_frequency_Hz", "nucleation_barrier_J",
                  "nucleation_current_A_per_m2", "annihilation_barrier_J",
                  "annihilation_current_A_per_m2", "temperature_K"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)
        check_real("spin_hall_angle", self.spin_hall_angle)
        if self.charge not in (-1, 1):
            raise ValueError(f"charge must be -1 or +1, got {self.charge!r}")

    def with_(self, **changes) -> "SkyrmionParameters":
        """A copy with some fields changed.

        Parameters
        ----------
        **changes
            Field names and new values (validated).

        Returns
        -------
        SkyrmionParameters
            The copy.
        """
        return replace(self, **changes)

    @property
    def gyro(self) -> float:
        """G = 4πQ (units of μ0 M_s t/γ0)."""
        return 4 * math.pi * self.charge

    @property
    def dissipation(self) -> float:
        """𝒟 = 2π(R/Δ + Δ/R)."""
        r = self.radius_m / self.wall_width_m
        return 2 * math.pi * (r + 1 / r)

    def force(self, current_density_A_per_m2: float) -> float:
        """F_x = π² γ0 H_SH R (m/s in the units of the module notes).

        Parameters
        ----------
        current_density_A_per_m2 : float
            Heavy-metal current density J, A/m².

        Returns
        -------
        float
            F_x, m/s (module units).

        Raises
        ------
        ValueError
            If an argument is invalid: `current_density_A_per_m2` must be finite.
        TypeError
            If an argument has the wrong type: `current_density_A_per_m2` is not a real number.
        """
        J = check_real("current_density_A_per_m2", current_density_A_per_m2)
        h_sh = hbar * self.spin_hall_angle * J / (
            2 * e * mu_0 * self.saturation_magnetization_A_per_m * self.film_thickness_m)
        return math.pi**2 * mu_0 * GAMMA_E * h_sh * self.radius_m


def thiele_velocity(p: SkyrmionParameters, current_density_A_per_m2: float) -> np.ndarray:
    """Free-film velocity (v_x, v_y) in m/s: the linear Thiele system solved numerically.

    Parameters
    ----------
    p : SkyrmionParameters
        Film parameters.
    current_density_A_per_m2 : float
        Heavy-metal current density J, A/m².

    Returns
    -------
    numpy.ndarray
        (v_x, v_y), m/s.

    Examples
    --------
    The solution obeys v_y/v_x = −G/(α𝒟) and |v| = F/√(G² + α²𝒟²) (m/s):

    >>> import math
    >>> p = SkyrmionParameters(radius_m=20e-9, wall_width_m=5e-9, damping=0.3,
    ...                        saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
    ...                        spin_hall_angle=0.2)
    >>> vx, vy = thiele_velocity(p, 1e11)
    >>> ad = p.damping * p.dissipation
    >>> bool(abs(vy / vx + p.gyro / ad) < 1e-12)
    True
    >>> bool(abs(math.hypot(vx, vy) - p.force(1e11) / math.hypot(p.gyro, ad)) < 1e-9)
    True
    """
    F = p.force(current_density_A_per_m2)
    a_d, G = p.damping * p.dissipation, p.gyro
    # G ẑ × v = G(−v_y, v_x): rows are the x and y components of G ẑ × v + α𝒟 v = F
    M = np.array([[a_d, -G], [G, a_d]])
    return np.linalg.solve(M, np.array([F, 0.0]))


def hall_angle(p: SkyrmionParameters) -> float:
    """Analytic skyrmion Hall angle θ = atan(G/(α𝒟)) (rad, sign of G); v is F rotated by −θ.

    Parameters
    ----------
    p : SkyrmionParameters
        Film parameters.

    Returns
    -------
    float
        θ, rad.

    Examples
    --------
    θ = atan(G/(α𝒟)) = atan(−4/(0.3 × 8.5)); the Thiele velocity is the force (along x̂)
    rotated by −θ:

    >>> import math
    >>> p = SkyrmionParameters(radius_m=20e-9, wall_width_m=5e-9, damping=0.3,
    ...                        saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
    ...                        spin_hall_angle=0.2)
    >>> round(math.degrees(hall_angle(p)), 1)                 # degrees
    -57.5
    >>> vx, vy = thiele_velocity(p, 1e11)
    >>> bool(abs(math.atan2(vy, vx) + hall_angle(p)) < 1e-12)
    True
    """
    return math.atan2(p.gyro, p.damping * p.dissipation)


def edge_velocity(p: SkyrmionParameters, current_density_A_per_m2: float) -> float:
    """v_x = F/(α𝒟) of a skyrmion held at the track edge (m/s).

    Parameters
    ----------
    p : SkyrmionParameters
        Film parameters.
    current_density_A_per_m2 : float
        Heavy-metal current density J, A/m².

    Returns
    -------
    float
        v_x, m/s.

    Examples
    --------
    Held at the edge the skyrmion runs faster than the free v_x, by 1 + tan²θ (θ the Hall angle):

    >>> import math
    >>> p = SkyrmionParameters(radius_m=20e-9, wall_width_m=5e-9, damping=0.3,
    ...                        saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
    ...                        spin_hall_angle=0.2)
    >>> vx, _ = thiele_velocity(p, 1e11)
    >>> bool(abs(edge_velocity(p, 1e11) / vx - (1 + math.tan(hall_angle(p)) ** 2)) < 1e-9)
    True
    """
    return p.force(current_density_A_per_m2) / (p.damping * p.dissipation)


def drift(p: SkyrmionParameters, x_m, y_m, current_density_A_per_m2: float, duration_s: float,
          track_width_m: float):
    """Positions after a pulse: free Thiele motion until the edge, then along it.

    Returns new (x, y) arrays; y stays within ±(W/2 − R).

    Parameters
    ----------
    p : SkyrmionParameters
        Film parameters.
    x_m : array_like
        Initial positions along the track, m.
    y_m : array_like
        Initial transverse positions, m (0 = track centre).
    current_density_A_per_m2 : float
        Heavy-metal current density J, A/m².
    duration_s : float
        Pulse width, s (≥ 0).
    track_width_m : float
        Track width W, m (> 2R).

    Returns
    -------
    x : numpy.ndarray
        Final positions along the track, m.
    y : numpy.ndarray
        Final transverse positions, m.

    Raises
    ------
    ValueError
        If an argument is invalid: `duration_s` must be >= 0; `track_width_m` must be > ``2 *
        p.radius_m``.
    TypeError
        If an argument has the wrong type: `duration_s` or `track_width_m` are not real
        numbers.

    Examples
    --------
    In a 100 nm track a 10 ns pulse drives both skyrmions to the edge, |y| = W/2 − R = 30 nm;
    the one starting on the centre line travels v_x t_edge + v_edge (t − t_edge):

    >>> import numpy as np
    >>> p = SkyrmionParameters(radius_m=20e-9, wall_width_m=5e-9, damping=0.3,
    ...                        saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
    ...                        spin_hall_angle=0.2)
    >>> x, y = drift(p, [0.0, 0.0], [0.0, 10e-9], 1e11, 10e-9, 100e-9)
    >>> bool(np.allclose(y, 30e-9, rtol=0, atol=1e-18))
    True
    >>> vx, vy = thiele_velocity(p, 1e11)
    >>> t_edge = 30e-9 / vy                                  # s
    >>> expected = vx * t_edge + edge_velocity(p, 1e11) * (10e-9 - t_edge)
    >>> bool(abs(x[0] - expected) < 1e-18)                    # m
    True
    """
    x = np.asarray(x_m, float).copy()
    y = np.asarray(y_m, float).copy()
    t = check_real("duration_s", duration_s, low=0.0)
    W = check_real("track_width_m", track_width_m, low=2 * p.radius_m, low_open=True)
    vx, vy = thiele_velocity(p, current_density_A_per_m2)
    ve = edge_velocity(p, current_density_A_per_m2)
    ymax = 0.5 * W - p.radius_m
    if vy == 0.0:
        return x + vx * t, y
    target = math.copysign(ymax, vy)
    t_edge = np.clip((target - y) / vy, 0.0, t)
    return x + vx * t_edge + ve * (t - t_edge), y + vy * t_edge


def event_probability(barrier_J: float, current_scale_A_per_m2: float,
                      current_density_A_per_m2: float, duration_s: float,
                      attempt_frequency_Hz: float, temperature_K: float) -> float:
    """p = 1 − exp[−f0 t e^{−E0 max(0, 1 − |J|/J_c)/k_BT}] (module notes).

    Parameters
    ----------
    barrier_J : float
        Zero-current barrier E0, J.
    current_scale_A_per_m2 : float
        Current J_c at which the barrier vanishes, A/m².
    current_density_A_per_m2 : float
        Pulse current density J, A/m² (only |J| matters).
    duration_s : float
        Pulse width t, s (≥ 0).
    attempt_frequency_Hz : float
        f0, Hz.
    temperature_K : float
        T, K.

    Returns
    -------
    float
        Probability of the event during the pulse, in [0, 1].

    Raises
    ------
    ValueError
        If an argument is invalid: `duration_s`, `barrier_J` and `attempt_frequency_Hz` must be
        >= 0; `current_scale_A_per_m2` must be > 0; `temperature_K` must be > 0 and <= 1e4;
        `current_density_A_per_m2` must be finite.
    TypeError
        If an argument is not a real number.

    Examples
    --------
    >>> event_probability(1e-19, 1e11, 2e11, 1e-9, 1e9, 300.0) > 0.6
    True
    """
    J = abs(check_real("current_density_A_per_m2", current_density_A_per_m2))
    t = check_real("duration_s", duration_s, low=0.0)
    e0 = check_real("barrier_J", barrier_J, low=0.0)
    jc = check_real("current_scale_A_per_m2", current_scale_A_per_m2, low=0.0, low_open=True)
    f0 = check_real("attempt_frequency_Hz", attempt_frequency_Hz, low=0.0)
    T = check_real("temperature_K", temperature_K, low=0.0, low_open=True,
                   high=MAX_TEMPERATURE_K)
    barrier = e0 * max(0.0, 1.0 - J / jc)
    rate = f0 * math.exp(-barrier / (k_B * T))
    return -math.expm1(-rate * t)


def count_trace(p: SkyrmionParameters, currents_A_per_m2, duration_s: float, n_sites: int,
                rng: np.random.Generator, start: int = 0,
                nucleation_barriers_J=None) -> np.ndarray:
    """Skyrmion count after each pulse of a train (positive J nucleates, negative deletes).

    Parameters
    ----------
    p : SkyrmionParameters
        Film and event-model parameters.
    currents_A_per_m2 : array_like, shape (n_pulses,)
        Pulse current densities, A/m².
    duration_s : float
        Pulse width t_p, s (≥ 0).
    n_sites : int
        Nucleation sites of the read region (the largest count).
    rng : numpy.random.Generator
        The seeded source of the binomial draws.
    start : int or array_like
        Count before the train (one per device).
    nucleation_barriers_J : array_like, optional
        E_n0 per device (device-to-device variation); default ``p.nucleation_barrier_J``.

    Returns
    -------
    ndarray of int64, shape (n_devices, n_pulses + 1)
        Skyrmion counts, column 0 = ``start``.

    Raises
    ------
    TypeError
        ``rng`` is not a Generator.
    ValueError
        ``start`` outside [0, n_sites].

    Examples
    --------
    Above J_n (and J_a) the barrier vanishes and a long pulse (f0 t_p = 100) fills, then empties,
    every site; a zero-current pulse changes nothing:

    >>> import numpy as np
    >>> p = SkyrmionParameters(radius_m=20e-9, wall_width_m=5e-9, damping=0.3,
    ...                        saturation_magnetization_A_per_m=1.1e6, film_thickness_m=1e-9,
    ...                        spin_hall_angle=0.2)
    >>> n = count_trace(p, [3e11, 0.0, -3e11], 1e-7, 10, np.random.default_rng(0),
    ...                 nucleation_barriers_J=[1e-19, 2e-19])
    >>> n.shape, n.tolist()
    ((2, 4), [[0, 10, 10, 0], [0, 10, 10, 0]])
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (seeded), got {rng!r}")
    n_sites = check_int("n_sites", n_sites, low=1)
    Js = np.atleast_1d(np.asarray(currents_A_per_m2, float))
    barriers = np.atleast_1d(np.asarray(p.nucleation_barrier_J if nucleation_barriers_J is None
                                        else nucleation_barriers_J, float))
    n = np.broadcast_to(np.asarray(start, np.int64), barriers.shape).copy()
    if np.any(n < 0) or np.any(n > n_sites):
        raise ValueError(f"start must be in [0, n_sites = {n_sites}], got {start!r}")
    rows = [n.copy()]
    for J in Js:
        if J > 0:
            pn = np.array([event_probability(b, p.nucleation_current_A_per_m2, J, duration_s,
                                             p.attempt_frequency_Hz, p.temperature_K)
                           for b in barriers])
            n = n + rng.binomial(n_sites - n, pn)
        elif J < 0:
            pa = event_probability(p.annihilation_barrier_J, p.annihilation_current_A_per_m2,
                                   J, duration_s, p.attempt_frequency_Hz, p.temperature_K)
            n = n - rng.binomial(n, pa)
        rows.append(n.copy())
    return np.array(rows, dtype=np.int64).T
