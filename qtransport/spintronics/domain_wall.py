"""Domain-wall motion in a perpendicular track: the 1-D collective-coordinate (q, φ) model.

A wall of width Δ at position q with in-plane magnetization angle φ (φ = 0, π: Néel walls;
±π/2: Bloch) obeys the Malozemoff–Slonczewski equations extended by spin-transfer torque (STT)
and the damping-like spin–orbit torque (SOT) of a heavy-metal underlayer with interfacial DMI
(Thiaville et al., EPL 100, 57002 (2012)):

    α q̇/Δ + φ̇ = γ0 [H + H_pin(q) + ξ_q] + β u/Δ + (π/2) γ0 H_SH cos φ  ≡ A
    q̇/Δ − α φ̇ = (γ0 H_K/2) sin 2φ + (π/2) γ0 H_D sin φ + u/Δ + γ0 ξ_φ   ≡ B

so that φ̇ = (A − αB)/(1 + α²) and q̇ = Δ(B + αA)/(1 + α²). Here γ0 = μ0 γ (m A⁻¹ s⁻¹), H the
out-of-plane field, H_K = N_x M_s the wall's hard-axis (shape) anisotropy field with
N_x = t ln2/(πΔ) for a film of thickness t (Tarasenko et al., J. Magn. Magn. Mater. 189, 19
(1998)), H_D = D/(μ0 M_s Δ) the DMI field (H_D > 0 makes φ = 0 the equilibrium),
H_SH = ħ θ_SH J/(2e μ0 M_s t) the spin-Hall effective field of current density J in the heavy
metal, u = g μ_B P J_F/(2e M_s) the STT velocity of current density J_F in the magnet and β the
non-adiabatic parameter.

Limits (tested): with field only, the steady velocity v = γ0 Δ H/α up to the Walker field
H_W = α H_K/2, above it the precessional mean v̄ = (γ0 Δ/α)[H − √(H² − H_W²)/(1 + α²)];
with SOT and DMI only (H_K = 0) the steady velocity (π/2) γ0 Δ H_D/√(1 + (α H_D/H_SH)²),
saturating at (π/2) γ0 Δ H_D.

Pinning notches at q_n: Gaussian wells of the wall energy per area, σ(q) = −Σ V_n
exp[−(q − q_n)²/2w²], i.e. the field H_pin = −(1/2μ0M_s) dσ/dq; V_n = 2 μ0 M_s w H_p,n e^{1/2}
makes H_p,n the largest restoring field of notch n (its quasi-static depinning field). The ends of
the track are hard stops (q is clamped to [0, L]).

Thermal noise (the stochastic 1-D model of Martinez et al., J. Phys.: Condens. Matter 19,
176204 (2007)): two independent white-noise fields with ⟨ξ_i(t) ξ_j(t')⟩ =
α k_B T/(γ0 μ0 M_s Δ S) δ_ij δ(t − t'), S the track cross-section, i.e. the LLG thermal field
2α k_B T/(γ0 μ0 M_s V) over the wall volume V = 2ΔS. The strength is fixed by the
fluctuation–dissipation theorem: a free wall (H_K = H_D = 0) then diffuses with the Einstein
coefficient k_B T μ of its precessional mobility μ = γ0 Δ α/[(1 + α²) 2μ0 M_s S] (the force on
the wall is 2μ0 M_s H S), which the tests check. The noise is additive, so Itô and Stratonovich
agree; the stochastic Heun scheme is used (strong order 1, order 2 without noise). Noise-free
runs use classical RK4 (order 4).

SI units throughout except where a name says nm.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .. import materials
from scipy import constants as _sc

from ..constants import e, hbar, k_B, nm
from ..errors import check_array, check_int, check_real, check_work
from ..errors import MAX_TEMPERATURE_K

__all__ = ["WallParameters", "Pinning", "WallState", "cofeb_wall", "integrate",
           "walker_field", "steady_velocity_field", "precessional_velocity",
           "sot_dmi_velocity", "GAMMA_E", "MU_B", "MAX_WALL_STEPS"]

#: vacuum permeability μ0, N/A² (scipy.constants)
mu_0 = _sc.mu_0
#: electron gyromagnetic ratio |γ|, rad s⁻¹ T⁻¹ (scipy.constants, CODATA)
GAMMA_E = _sc.physical_constants["electron gyromag. ratio"][0]
#: Bohr magneton, J/T (scipy.constants, CODATA)
MU_B = _sc.physical_constants["Bohr magneton"][0]
#: default :func:`integrate` step limit: 10⁷ steps of ~10 µs, about two minutes
MAX_WALL_STEPS = 10**7


@dataclass(frozen=True)
class WallParameters:
    """Material and geometry of the track (SI units; module notes for the symbols).

    Parameters
    ----------
    saturation_magnetization_A_per_m, damping, wall_width_m : float
        M_s (A/m), α (dimensionless) and Δ (m), all > 0.
    hard_axis_field_A_per_m : float
        H_K, A/m (≥ 0).
    dmi_field_A_per_m : float
        H_D, A/m (any sign).
    spin_hall_angle : float
        θ_SH of the heavy metal (sign sets the SOT direction).
    film_thickness_m, track_width_m : float
        Magnetic film thickness t and track width, m (> 0; cross-section S = t × width).
    current_spin_polarization, nonadiabaticity : float
        P (in [−1, 1]) and β of the STT terms, dimensionless.
    current_share_magnet : float
        J_F/J: current density in the magnet per current density in the heavy metal
        (ρ_HM/ρ_F for a parallel path).
    temperature_K : float
        Temperature of the thermal field, K (≥ 0; 0 = deterministic).
    sources : dict, optional
        Provenance.

    Raises
    ------
    ValueError
        If an argument is invalid: `hard_axis_field_A_per_m` and `current_share_magnet` must be
        >= 0; `current_spin_polarization` must be >= -1 and <= 1; `temperature_K` must be >= 0
        and <= 10000; `saturation_magnetization_A_per_m`, `damping`, `wall_width_m`,
        `film_thickness_m` and `track_width_m` must be > 0; `dmi_field_A_per_m`,
        `spin_hall_angle` and `nonadiabaticity` must be finite.
    TypeError
        If an argument has the wrong type: `hard_axis_field_A_per_m`,
        `current_spin_polarization`, `current_share_magnet`, `temperature_K`,
        `saturation_magnetization_A_per_m`, `damping`, `wall_width_m`, `film_thickness_m`,
        `track_width_m`, `dmi_field_A_per_m`, `spin_hall_angle` or `nonadiabaticity` are not
        real numbers.

    Examples
    --------
    >>> p = cofeb_wall()
    >>> bool(p.damping > 0), f'{p.wall_width_m:.2e}'
    (True, '8.66e-09')
    """

    saturation_magnetization_A_per_m: float
    damping: float
    wall_width_m: float
    hard_axis_field_A_per_m: float
    dmi_field_A_per_m: float
    spin_hall_angle: float = 0.0
    film_thickness_m: float = 1e-9
    track_width_m: float = 100e-9
    current_spin_polarization: float = 0.0
    nonadiabaticity: float = 0.0
    current_share_magnet: float = 0.0
    temperature_K: float = 0.0
    sources: dict = field(default_factory=dict)

    def __post_init__(self):
        for k in ("saturation_magnetization_A_per_m", "damping", "wall_width_m",
                  "film_thickness_m", "track_width_m"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)
        check_real("hard_axis_field_A_per_m", self.hard_axis_field_A_per_m, low=0.0)
        for k in ("dmi_field_A_per_m", "spin_hall_angle", "nonadiabaticity"):
            check_real(k, getattr(self, k))
        check_real("current_spin_polarization", self.current_spin_polarization, low=-1.0,
                   high=1.0)
        check_real("current_share_magnet", self.current_share_magnet, low=0.0)
        check_real("temperature_K", self.temperature_K, low=0.0, high=MAX_TEMPERATURE_K)

    def with_(self, **changes) -> "WallParameters":
        """A copy with some fields changed.

        Parameters
        ----------
        **changes
            Field names and new values (validated).

        Returns
        -------
        WallParameters
            The copy.

        Examples
        --------
        >>> cofeb_wall().with_(damping=0.05).damping
        0.05
        """
        return replace(self, **changes)

    @property
    def gamma0(self) -> float:
        """γ0 = μ0 γ, m A⁻¹ s⁻¹."""
        return mu_0 * GAMMA_E

    def spin_hall_field(self, current_density_A_per_m2):
        """H_SH = ħ θ_SH J/(2e μ0 M_s t), A/m.

        Parameters
        ----------
        current_density_A_per_m2 : float or array_like
            Heavy-metal current density J, A/m².

        Returns
        -------
        numpy.ndarray
            H_SH, A/m.

        Examples
        --------
        >>> h = cofeb_wall().spin_hall_field([1e11, 2e11])
        >>> round(float(h[1] / h[0]), 3)
        2.0
        """
        return (hbar * self.spin_hall_angle * np.asarray(current_density_A_per_m2, float)
                / (2 * e * mu_0 * self.saturation_magnetization_A_per_m * self.film_thickness_m))

    def stt_velocity(self, current_density_A_per_m2):
        """u = g μ_B P J_F/(2e M_s) with J_F = share × J, m/s (g = 2).

        Parameters
        ----------
        current_density_A_per_m2 : float or array_like
            Heavy-metal current density J, A/m².

        Returns
        -------
        numpy.ndarray
            u, m/s.

        Examples
        --------
        >>> u = cofeb_wall().stt_velocity([1e11, 2e11])
        >>> round(float(u[1] / u[0]), 3)
        2.0
        """
        jf = self.current_share_magnet * np.asarray(current_density_A_per_m2, float)
        return 2 * MU_B * self.current_spin_polarization * jf / (
            2 * e * self.saturation_magnetization_A_per_m)

    def noise_strength(self) -> float:
        """α k_B T/(γ0 μ0 M_s Δ S), (A/m)² s (module notes).

        Returns
        -------
        float
            The noise variance per unit time, (A/m)² s.

        Examples
        --------
        >>> bool(cofeb_wall().noise_strength() > 0)
        True
        """
        S = self.film_thickness_m * self.track_width_m
        return self.damping * k_B * self.temperature_K / (
            self.gamma0 * mu_0 * self.saturation_magnetization_A_per_m * self.wall_width_m * S)


@dataclass(frozen=True)
class Pinning:
    """Gaussian pinning notches (module notes).

    Parameters
    ----------
    positions_m : array_like, shape (n_notches,)
        Notch centres q_n, m.
    depinning_field_A_per_m : array_like, shape (n_notches,) or (n_real, n_notches)
        H_p,n, A/m (≥ 0); one row per realization (device-to-device variation), or shared.
    width_m : float
        Notch width w, m (> 0).
    track_length_m : float
        L, m (> 0): q is clamped to [0, L].

    Raises
    ------
    ValueError
        If an argument is invalid: `positions_m` must be a 1-D array of finite numbers;
        `depinning_field_A_per_m` must be an array of finite numbers >= 0;
        depinning_field_A_per_m must have shape (n_notches,) or (n_real, n_notches) with
        n_notches = len(positions_m); `width_m` and `track_length_m` must be > 0.
    TypeError
        If an argument has the wrong type: `width_m` or `track_length_m` are not real numbers;
        `positions_m` or `depinning_field_A_per_m` are not arrays of real numbers.

    Examples
    --------
    A notch exerts no force at its centre and its largest restoring field, ∓H_p, one width w
    away (A/m):

    >>> import numpy as np
    >>> pin = Pinning(positions_m=[200e-9], depinning_field_A_per_m=[500.0], width_m=20e-9,
    ...               track_length_m=1e-6)
    >>> h = pin.field(np.array([200e-9, 220e-9, 180e-9]))
    >>> bool(np.allclose(h, [0.0, -500.0, 500.0], rtol=0, atol=1e-9))
    True
    """

    positions_m: np.ndarray
    depinning_field_A_per_m: np.ndarray
    width_m: float
    track_length_m: float

    def __post_init__(self):
        pos = check_array("positions_m", self.positions_m, ndim=1)
        hp = check_array("depinning_field_A_per_m", self.depinning_field_A_per_m, low=0.0)
        if hp.shape[-1] != pos.size or hp.ndim > 2:
            raise ValueError(f"depinning_field_A_per_m must have shape (n_notches,) or (n_real, "
                             f"n_notches) with n_notches = {pos.size}, got {hp.shape}")
        check_real("width_m", self.width_m, low=0.0, low_open=True)
        check_real("track_length_m", self.track_length_m, low=0.0, low_open=True)

    def field(self, q: np.ndarray) -> np.ndarray:
        """H_pin(q), A/m, for positions q of shape (n_real,).

        Parameters
        ----------
        q : numpy.ndarray
            Wall positions, m, shape (n_real,).

        Returns
        -------
        numpy.ndarray
            Pinning field, A/m, shape (n_real,).
        """
        x = (q[:, None] - np.asarray(self.positions_m)[None, :]) / self.width_m
        hp = np.atleast_2d(np.asarray(self.depinning_field_A_per_m, float))
        return -np.sum(hp * x * np.exp(0.5 - 0.5 * x * x), axis=1)


@dataclass
class WallState:
    """Positions q (m) and angles φ (rad) of n_real independent walls.

    Parameters
    ----------
    q : numpy.ndarray
        Wall positions, m.
    phi : numpy.ndarray
        Wall angles, rad.

    Examples
    --------
    >>> import numpy as np
    >>> s = WallState(q=np.zeros(3), phi=np.zeros(3))
    >>> c = s.copy()
    >>> c.q[0] = 1e-9
    >>> float(s.q[0]), c.q.shape
    (0.0, (3,))
    """

    q: np.ndarray
    phi: np.ndarray

    def copy(self) -> "WallState":
        """Return an independent copy (the arrays are copied).

        Returns
        -------
        WallState
            The copy.
        """
        return WallState(self.q.copy(), self.phi.copy())


def _rate_function(p: WallParameters, H: float, J: float, pin: Pinning | None):
    """(q, φ, ξ_q, ξ_φ) → (q̇, φ̇) at constant drive, with the drive terms precomputed."""
    g0, a, d = p.gamma0, p.damping, p.wall_width_m
    u = float(p.stt_velocity(J))
    a0 = g0 * H + p.nonadiabaticity * u / d          # constant part of A
    c_sh = 0.5 * math.pi * g0 * float(p.spin_hall_field(J))
    c_k = 0.5 * g0 * p.hard_axis_field_A_per_m
    c_d = 0.5 * math.pi * g0 * p.dmi_field_A_per_m
    b0 = u / d
    norm = 1.0 / (1 + a * a)
    if pin is not None:
        pos = np.asarray(pin.positions_m, float)[None, :]
        hp = g0 * np.atleast_2d(np.asarray(pin.depinning_field_A_per_m, float))
        inv_w = 1.0 / pin.width_m

    def rates(q, phi, xi_q=0.0, xi_phi=0.0):
        A = a0 + g0 * xi_q + c_sh * np.cos(phi)
        if pin is not None:
            x = (q[:, None] - pos) * inv_w
            A = A - (hp * x * np.exp(0.5 - 0.5 * x * x)).sum(axis=1)   # method: no wrapper
        B = c_k * np.sin(2 * phi) + c_d * np.sin(phi) + b0 + g0 * xi_phi
        return d * norm * (B + a * A), norm * (A - a * B)
    return rates


def integrate(params: WallParameters, state: WallState, duration_s: float, dt_s: float, *,
              field_A_per_m: float = 0.0, current_density_A_per_m2: float = 0.0,
              pinning: Pinning | None = None, rng: np.random.Generator | None = None,
              record_every: int = 0, max_steps: int = MAX_WALL_STEPS):
    """Advance the walls of ``state`` by ``duration_s`` at constant drive.

    Parameters
    ----------
    params : WallParameters
        Material and geometry of the track.
    state : WallState
        Modified in place and returned.
    duration_s, dt_s : float
        Time span (≥ 0) and step (> 0), s (the last step is shortened to land on
        ``duration_s``).
    field_A_per_m, current_density_A_per_m2 : float
        Out-of-plane field H (A/m) and heavy-metal current density J (A/m²) during the span.
    pinning : Pinning, optional
        Notches and track ends.
    rng : numpy.random.Generator, optional
        Required when ``params.temperature_K > 0`` (stochastic Heun); otherwise RK4.
    record_every : int
        Record (t, q) every this many steps (0: only the end).
    max_steps : int
        Refuse (:class:`~qtransport.errors.WorkLimitError`) more time steps than this, before
        starting (one step costs ~10 µs of Python).

    Returns
    -------
    state : WallState
        ``state``, advanced.
    times : numpy.ndarray
        Recorded times, s, shape (n_rec,).
    positions : numpy.ndarray
        Recorded wall positions q, m, shape (n_rec, n_real).

    Raises
    ------
    TypeError
        ``temperature_K > 0`` without a Generator ``rng``.
    ValueError
        A negative duration or a step ≤ 0; more than ``max_steps`` steps
        (:class:`~qtransport.errors.WorkLimitError`, a ValueError).

    Examples
    --------
    Below the Walker field a free wall relaxes to the steady velocity γ0ΔH/α (m/s):

    >>> import numpy as np
    >>> p = cofeb_wall(temperature_K=0.0)
    >>> H = 0.5 * walker_field(p)                               # A/m
    >>> s, t, q = integrate(p, WallState(np.zeros(2), np.zeros(2)), 100e-9, 1e-10,
    ...                     field_A_per_m=H, record_every=10)
    >>> q.shape
    (101, 2)
    >>> v = (q[-1] - q[-2]) / (t[-1] - t[-2])
    >>> bool(np.allclose(v / steady_velocity_field(p, H), 1.0, rtol=0, atol=1e-6))
    True

    A notch with H_p = 500 A/m holds the wall against 300 A/m but not against 800 A/m, which
    drives it to the hard stop at the track end:

    >>> pin = Pinning(positions_m=[200e-9], depinning_field_A_per_m=[500.0], width_m=20e-9,
    ...               track_length_m=1e-6)
    >>> def final_q(H):
    ...     s = WallState(np.full(1, 200e-9), np.zeros(1))
    ...     return integrate(p, s, 20e-9, 1e-10, field_A_per_m=H, pinning=pin)[0].q[0]
    >>> bool(abs(final_q(300.0) - 200e-9) < 20e-9), bool(final_q(800.0) == 1e-6)
    (True, True)
    """
    T = check_real("duration_s", duration_s, low=0.0)
    dt = check_real("dt_s", dt_s, low=0.0, low_open=True)
    record_every = check_int("record_every", record_every, low=0)
    H = check_real("field_A_per_m", field_A_per_m)
    J = check_real("current_density_A_per_m2", current_density_A_per_m2)
    noisy = params.temperature_K > 0
    if noisy and not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy Generator when temperature_K > 0 (seeded noise)")
    n = max(1, math.ceil(T / dt - 1e-9)) if T > 0 else 0
    check_work("max_steps", n, check_int("max_steps", max_steps, low=1), unit="time steps",
               hint=f"duration_s = {T:.3g} s at dt_s = {dt:.3g} s")
    sigma = math.sqrt(params.noise_strength()) if noisy else 0.0
    rates = _rate_function(params, H, J, pinning)
    q, phi = state.q, state.phi
    times, rec = [0.0], [q.copy()]
    t = 0.0
    for i in range(n):
        h = min(dt, T - t)
        if noisy:
            w = rng.standard_normal((2, q.size)) * (sigma / math.sqrt(h))
            k1q, k1p = rates(q, phi, w[0], w[1])
            qp, pp = q + h * k1q, phi + h * k1p
            if pinning is not None:       # = np.clip, without its wrapper (hot loop)
                qp = np.minimum(np.maximum(qp, 0.0), pinning.track_length_m)
            k2q, k2p = rates(qp, pp, w[0], w[1])
            q = q + 0.5 * h * (k1q + k2q)
            phi = phi + 0.5 * h * (k1p + k2p)
        else:
            k1q, k1p = rates(q, phi)
            k2q, k2p = rates(q + 0.5 * h * k1q, phi + 0.5 * h * k1p)
            k3q, k3p = rates(q + 0.5 * h * k2q, phi + 0.5 * h * k2p)
            k4q, k4p = rates(q + h * k3q, phi + h * k3p)
            q = q + h / 6 * (k1q + 2 * k2q + 2 * k3q + k4q)
            phi = phi + h / 6 * (k1p + 2 * k2p + 2 * k3p + k4p)
        if pinning is not None:
            q = np.minimum(np.maximum(q, 0.0), pinning.track_length_m)
        t += h
        if record_every and (i + 1) % record_every == 0:
            times.append(t)
            rec.append(q.copy())
    if not record_every or times[-1] != t:
        times.append(t)
        rec.append(q.copy())
    state.q, state.phi = q, phi
    return state, np.array(times), np.array(rec)


# -- analytic limits ---------------------------------------------------------------------------

def walker_field(p: WallParameters) -> float:
    """H_W = α H_K/2, A/m: the Walker field of a wall without DMI (H_D = 0).

    A DMI field stabilizes the Néel wall and raises the breakdown field to
    α max_φ[(H_K/2) sin 2φ + (π/2) H_D sin φ] (the steady solution of the φ equation): for
    :func:`cofeb_wall` (H_D = 0.75 H_K) the wall stays steady at 1.5 × this value (integrated,
    v = γ0ΔH/α to 1e-10). :func:`precessional_velocity` likewise assumes H_D = 0.

    Parameters
    ----------
    p : WallParameters
        The track.

    Returns
    -------
    float
        H_W, A/m.

    Examples
    --------
    >>> f'{walker_field(cofeb_wall()):.2e}'
    '2.10e+02'
    """
    return 0.5 * p.damping * p.hard_axis_field_A_per_m


def steady_velocity_field(p: WallParameters, field_A_per_m):
    """Below Walker: v = γ0 Δ H/α, m/s.

    Parameters
    ----------
    p : WallParameters
        The track.
    field_A_per_m : float or array_like
        Applied field H, A/m.

    Returns
    -------
    numpy.ndarray
        v, m/s.

    Examples
    --------
    >>> p = cofeb_wall()
    >>> v = steady_velocity_field(p, [0.5 * walker_field(p)])
    >>> bool(v[0] > 0)
    True
    """
    return p.gamma0 * p.wall_width_m * np.asarray(field_A_per_m, float) / p.damping


def precessional_velocity(p: WallParameters, field_A_per_m):
    """Above Walker: v̄ = (γ0Δ/α)[H − sign(H)√(H² − H_W²)/(1 + α²)] (steady below), m/s.

    Parameters
    ----------
    p : WallParameters
        The track.
    field_A_per_m : float or array_like
        Applied field H, A/m.

    Returns
    -------
    numpy.ndarray
        Mean velocity v̄, m/s.

    Examples
    --------
    >>> p = cofeb_wall()
    >>> v = precessional_velocity(p, [3.0 * walker_field(p)])
    >>> bool(v[0] > 0)
    True
    """
    H = np.asarray(field_A_per_m, float)
    hw = walker_field(p)
    root = np.sqrt(np.clip(H * H - hw * hw, 0.0, None))
    return p.gamma0 * p.wall_width_m / p.damping * (H - np.sign(H) * root / (1 + p.damping**2))


def sot_dmi_velocity(p: WallParameters, current_density_A_per_m2):
    """SOT + DMI steady velocity (π/2)γ0ΔH_D/√(1 + (αH_D/H_SH)²) for H_K = 0, signed, m/s.

    Parameters
    ----------
    p : WallParameters
        The track.
    current_density_A_per_m2 : float or array_like
        Heavy-metal current density J, A/m².

    Returns
    -------
    numpy.ndarray
        v, m/s.

    Examples
    --------
    >>> v = sot_dmi_velocity(cofeb_wall(), [1e11, 2e11])
    >>> bool(abs(v[1]) > abs(v[0]))
    True
    """
    hsh = p.spin_hall_field(current_density_A_per_m2)
    hd = p.dmi_field_A_per_m
    with np.errstate(divide="ignore"):
        ratio = np.where(hsh == 0, np.inf, p.damping * hd / np.where(hsh == 0, 1.0, hsh))
    return np.sign(hsh * hd) * 0.5 * math.pi * p.gamma0 * p.wall_width_m * abs(hd) / np.sqrt(
        1 + ratio**2)


def cofeb_wall(film_thickness_nm: float = 1.0, track_width_nm: float = 100.0,
               heavy_metal_thickness_nm: float = 5.0, temperature_K: float = 300.0
               ) -> WallParameters:
    """W/CoFeB/MgO track parameters from ``materials.toml`` (Δ = √(A/K_eff), H_K, H_D).

    Parameters
    ----------
    film_thickness_nm : float, optional
        CoFeB thickness t, nm (> 0).
    track_width_nm : float, optional
        Track width, nm (> 0).
    heavy_metal_thickness_nm : float, optional
        W layer thickness, nm (> 0; checked, it does not enter the returned parameters).
    temperature_K : float, optional
        Temperature, K (≥ 0).

    Returns
    -------
    WallParameters
        The track (SI units) with its sources.

    Raises
    ------
    ValueError
        If an argument is invalid: `heavy_metal_thickness_nm`, `film_thickness_nm` and
        `track_width_nm` must be > 0; `temperature_K` must be >= 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `heavy_metal_thickness_nm`, `film_thickness_nm`,
        `temperature_K` or `track_width_nm` are not real numbers.

    Examples
    --------
    >>> p = cofeb_wall(film_thickness_nm=1.0, track_width_nm=100.0)
    >>> f'{p.film_thickness_m:.1e}'
    '1.0e-09'
    """
    fm = materials.get("CoFeB")
    hm = materials.get("beta-W")
    t = check_real("film_thickness_nm", film_thickness_nm, low=0.0, low_open=True) * nm
    check_real("heavy_metal_thickness_nm", heavy_metal_thickness_nm, low=0.0, low_open=True)
    ms = fm.saturation_magnetization_A_per_m
    delta = math.sqrt(fm.exchange_stiffness_J_per_m / fm.effective_anisotropy_J_per_m3)
    hk = t * math.log(2) / (math.pi * delta) * ms
    hd = fm.dmi_J_per_m2 / (mu_0 * ms * delta)
    sources = {k: fm.quantity(k).source for k in (
        "saturation_magnetization_A_per_m", "exchange_stiffness_J_per_m",
        "effective_anisotropy_J_per_m3", "damping", "dmi_J_per_m2", "current_spin_polarization",
        "nonadiabaticity", "resistivity_ohm_m")}
    sources["spin_hall_angle"] = hm.quantity("spin_hall_angle").source
    sources["heavy_metal_resistivity_ohm_m"] = hm.quantity("resistivity_ohm_m").source
    sources["hard_axis_field_A_per_m"] = "N_x M_s, N_x = t ln2/(pi Delta) (Tarasenko et al. 1998)"
    return WallParameters(ms, fm.damping, delta, hk, hd, hm.spin_hall_angle, t,
                          check_real("track_width_nm", track_width_nm, low=0.0,
                                     low_open=True) * nm,
                          fm.current_spin_polarization, fm.nonadiabaticity,
                          hm.resistivity_ohm_m / fm.resistivity_ohm_m,
                          check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K), sources)
