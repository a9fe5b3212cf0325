"""Vectorized time stepping of the (stochastic) RCSJ equation for a whole ensemble at once.

In reduced units (τ = ω_c t for a reference junction; currents in units of its I_c) every element
of the ensemble obeys

    m φ̈ + g φ̇ + a sin φ = i_dc + r τ + i_ac sin(Ω τ) + σ ξ(τ),   ⟨ξ(τ)ξ(τ')⟩ = δ(τ − τ'),

with m = β_c (capacitance), g (conductance), a (critical current) relative to the reference and
σ = √(2 g k_BT/E_J) (Johnson noise of the shunt; fluctuation–dissipation). All coefficients are
numpy arrays broadcast to one ensemble shape (bias points × noise realizations × devices), so one
Python loop over time steps advances every junction.

Schemes
-------
* deterministic (σ = 0): classical Runge–Kutta, global order 4;
* stochastic: stochastic Heun (predictor–corrector trapezoid) — order 2 on the drift and strong
  order 1 for this additive noise (Kloeden & Platen, *Numerical Solution of SDEs*, §11.1;
  Greiner, Strittmatter & Honerkamp, J. Stat. Phys. 51, 95 (1988)).

Noise increments are drawn as ``rng.standard_normal((substeps, size))`` per step and summed, so a
run at step h with ``substeps=2`` follows exactly the Brownian path of a run at h/2 with
``substeps=1`` — that is how the strong-convergence check compares step sizes on one path.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

__all__ = ["Problem", "time_step", "integrate", "hermite_root", "TWO_PI"]

TWO_PI = 2.0 * math.pi


@dataclass
class Problem:
    """Coefficients of the reduced RCSJ equation, broadcastable to ``shape``.

    ``phase0``/``velocity0`` are the initial state; ``escape_phase`` (optional) is the phase past
    which an element counts as escaped (its first-passage time is recorded).
    """

    shape: tuple
    mass: np.ndarray | float
    damping: np.ndarray | float = 1.0
    amplitude: np.ndarray | float = 1.0
    bias: np.ndarray | float = 0.0
    ramp: float = 0.0
    ac_amplitude: np.ndarray | float = 0.0
    ac_omega: float = 0.0
    noise: np.ndarray | float = 0.0
    phase0: np.ndarray | float = 0.0
    velocity0: np.ndarray | float = 0.0
    escape_phase: np.ndarray | None = None
    loop_beta: float = 0.0
    loop_ratio: float = 1.0
    select: np.ndarray | None = field(default=None, repr=False)
    full_size: int = 0

    def __post_init__(self):
        def unit(x):
            return np.ndim(x) == 0 and float(x) == 1.0
        self._unit_amplitude = unit(self.amplitude)
        self._unit_damping = unit(self.damping)

    @property
    def stochastic(self) -> bool:
        return bool(np.any(np.asarray(self.noise) > 0))

    def subset(self, flat_index: np.ndarray) -> "Problem":
        """The same problem restricted to some flat element indices (noise stream unchanged)."""
        def pick(x):
            arr = np.asarray(x)
            return arr if arr.ndim == 0 else np.broadcast_to(arr, self.shape).ravel()[flat_index]
        fields = {k: pick(getattr(self, k)) for k in ("mass", "damping", "amplitude", "bias",
                                                       "ac_amplitude", "noise", "phase0",
                                                       "velocity0")}
        esc = None if self.escape_phase is None else pick(self.escape_phase)
        return replace(self, shape=(len(flat_index),), escape_phase=esc, select=flat_index,
                       full_size=int(np.prod(self.shape)), **fields)

    def force(self, tau: float, phi: np.ndarray, vel: np.ndarray, cur=0.0) -> np.ndarray:
        """Deterministic acceleration φ̈ at time τ (``cur``: current of the optional loop)."""
        drive = self.bias + self.ramp * tau if self.ramp else self.bias
        if self.ac_omega:
            drive = drive + self.ac_amplitude * math.sin(self.ac_omega * tau)
        sin = np.sin(phi)
        acc = drive - (sin if self._unit_amplitude else self.amplitude * sin)
        acc -= vel if self._unit_damping else self.damping * vel
        if self.loop_beta:
            acc -= cur
        return acc / self.mass

    def loop_rate(self, vel, cur):
        """d j/dτ of the optional L–R_L loop across the junction: (φ̇ − ρ j)/β_L (0 if none)."""
        if not self.loop_beta:
            return 0.0
        return (vel - self.loop_ratio * cur) / self.loop_beta

    def power(self, vel, cur):
        """Dissipated power in units of E_J ω_c: g φ̇² (shunt) + ρ j² (loop resistor)."""
        out = self.damping * vel * vel
        return out + self.loop_ratio * cur * cur if self.loop_beta else out


def time_step(mass, damping=1.0, amplitude=1.0, bias_max: float = 1.0, ac_omega: float = 0.0,
              steps_per_period: int = 40) -> float:
    """Reduced step h from the fastest time scale of the ensemble.

    The scales are the plasma period 2π√(m/a), the relaxation time 2π m/g, the Josephson period
    2π g/|i|max of the running state and the drive period 2π/Ω; h is the shortest divided by
    ``steps_per_period``.
    """
    m = np.min(mass)
    g_max = np.max(damping)
    periods = [TWO_PI * math.sqrt(m / np.max(amplitude)), TWO_PI * m / g_max,
               TWO_PI * np.min(damping) / max(bias_max, np.max(amplitude))]
    if ac_omega > 0:
        periods.append(TWO_PI / ac_omega)
    return float(min(periods)) / steps_per_period


class _Crossings:
    """Times of 2π-level crossings of φ (Hermite-interpolated) and their net count."""

    def __init__(self, phi: np.ndarray, start: float):
        self.level = np.floor(phi / TWO_PI)
        self.first = np.full(phi.shape, np.nan)
        self.last = np.full(phi.shape, np.nan)
        self.forward = np.zeros(phi.shape, dtype=np.int64)
        self.backward = np.zeros(phi.shape, dtype=np.int64)
        self.start = start

    def update(self, tau, h, phi0, v0, phi1, v1):
        level = np.floor(phi1 / TWO_PI)
        moved = level != self.level
        if not moved.any():
            return
        k = np.flatnonzero(moved)
        up = level.flat[k] > self.level.flat[k]
        target = TWO_PI * np.where(up, level.flat[k], self.level.flat[k])
        s = hermite_root(phi0.flat[k], h * v0.flat[k], phi1.flat[k], h * v1.flat[k], target)
        t = tau + s * h
        first = self.first.flat[k]
        self.first.flat[k] = np.where(np.isnan(first), t, first)
        self.last.flat[k] = t
        self.forward.flat[k] += up
        self.backward.flat[k] += ~up
        self.level = level


def hermite_root(p0, m0, p1, m1, target, iterations: int = 3):
    """Root s ∈ [0, 1] of the cubic Hermite interpolant p(s) = target (Newton from linear)."""
    s = np.clip((target - p0) / np.where(p1 != p0, p1 - p0, 1.0), 0.0, 1.0)
    for _ in range(iterations):
        s2, s3 = s * s, s * s * s
        p = ((2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1
             + (s3 - s2) * m1)
        dp = (6 * s2 - 6 * s) * p0 + (3 * s2 - 4 * s + 1) * m0 + (6 * s - 6 * s2) * p1 \
            + (3 * s2 - 2 * s) * m1
        s = np.clip(s - (p - target) / np.where(dp != 0, dp, 1.0), 0.0, 1.0)
    return s


def _rk4(p: Problem, tau, h, phi, vel, cur, _dw):
    k1v, k1c = p.force(tau, phi, vel, cur), p.loop_rate(vel, cur)
    t2 = tau + 0.5 * h
    p2, v2, c2 = phi + 0.5 * h * vel, vel + 0.5 * h * k1v, cur + 0.5 * h * k1c
    k2v, k2c = p.force(t2, p2, v2, c2), p.loop_rate(v2, c2)
    p3, v3, c3 = phi + 0.5 * h * v2, vel + 0.5 * h * k2v, cur + 0.5 * h * k2c
    k3v, k3c = p.force(t2, p3, v3, c3), p.loop_rate(v3, c3)
    p4, v4, c4 = phi + h * v3, vel + h * k3v, cur + h * k3c
    k4v, k4c = p.force(tau + h, p4, v4, c4), p.loop_rate(v4, c4)
    return (phi + h / 6.0 * (vel + 2 * v2 + 2 * v3 + v4),
            vel + h / 6.0 * (k1v + 2 * k2v + 2 * k3v + k4v),
            cur + h / 6.0 * (k1c + 2 * k2c + 2 * k3c + k4c))


def _heun(p: Problem, tau, h, phi, vel, cur, dw):
    kick = p.noise * dw / p.mass
    a0, c0 = p.force(tau, phi, vel, cur), p.loop_rate(vel, cur)
    phi_p, vel_p, cur_p = phi + h * vel, vel + h * a0 + kick, cur + h * c0
    a1, c1 = p.force(tau + h, phi_p, vel_p, cur_p), p.loop_rate(vel_p, cur_p)
    return (phi + 0.5 * h * (vel + vel_p), vel + 0.5 * h * (a0 + a1) + kick,
            cur + 0.5 * h * (c0 + c1))


def _noise(rng, p: Problem, h: float, substeps: int):
    if p.select is not None:   # a subset run draws the full ensemble's numbers, keeps its own
        full = rng.standard_normal((substeps, p.full_size))[:, p.select]
    else:
        full = rng.standard_normal((substeps, int(np.prod(p.shape))))
    return (full.sum(axis=0) * math.sqrt(h / substeps)).reshape(p.shape)


def integrate(p: Problem, h: float, n_steps: int, *, rng: np.random.Generator | None = None,
              settle_steps: int = 0, record_every: int = 0, substeps: int = 1,
              stop_when_escaped: bool = False, crossings: bool = True,
              energy: bool = False) -> dict:
    """Advance every element of ``p`` by ``n_steps`` steps of size ``h`` (reduced units).

    Returns a dict with the final state (``phase``, ``velocity``, ``loop_current``), the energy
    dissipated after settling (``energy``, units of E_J: ∫(gφ̇² + ρj²)dτ), the phase at the end of the
    settling time (``phase_settled``, ``tau_settled``), crossing bookkeeping after settling
    (``cross_first``, ``cross_last``, ``cross_forward``, ``cross_backward``), escape times
    (``escape_tau``, NaN if none) and, if ``record_every`` > 0, the samples ``rec_tau``,
    ``rec_phase`` and ``rec_velocity`` (time on the first axis).
    """
    stochastic = p.stochastic
    if stochastic and rng is None:
        raise ValueError("a stochastic RCSJ run needs a numpy Generator (rng)")
    step = _heun if stochastic else _rk4
    phi = np.array(np.broadcast_to(p.phase0, p.shape), dtype=float)
    vel = np.array(np.broadcast_to(p.velocity0, p.shape), dtype=float)
    esc = np.full(p.shape, np.nan)
    cur = np.zeros(p.shape) if p.loop_beta else 0.0
    track_energy, energy = energy, np.zeros(p.shape)
    out: dict = {"phase_settled": phi.copy(), "tau_settled": 0.0}
    recs = _Recorder(p.shape, n_steps, record_every, phi, vel)
    cross = _Crossings(phi, 0.0) if settle_steps == 0 and crossings else None
    dw = None
    for n in range(n_steps):
        tau = n * h
        if stochastic:
            dw = _noise(rng, p, h, substeps)
        new_phi, new_vel, new_cur = step(p, tau, h, phi, vel, cur, dw)
        if track_energy and n >= settle_steps:
            energy += 0.5 * h * (p.power(vel, cur) + p.power(new_vel, new_cur))
        if cross is not None:
            cross.update(tau, h, phi, vel, new_phi, new_vel)
        if p.escape_phase is not None:
            hit = (new_phi > p.escape_phase) & np.isnan(esc)
            if hit.any():
                esc[hit] = tau + h
                if stop_when_escaped and not np.isnan(esc).any():
                    phi, vel, cur = new_phi, new_vel, new_cur
                    recs.add(n + 1, tau + h, phi, vel)
                    break
        phi, vel, cur = new_phi, new_vel, new_cur
        if n + 1 == settle_steps:
            out["phase_settled"], out["tau_settled"] = phi.copy(), tau + h
            cross = _Crossings(phi, tau + h) if crossings else None
        recs.add(n + 1, tau + h, phi, vel)
    recs.finish(tau + h, phi, vel)
    out.update(phase=phi, velocity=vel, loop_current=cur, energy=energy, escape_tau=esc,
               tau_end=tau + h, **recs.arrays())
    if cross is not None:
        out.update(cross_first=cross.first, cross_last=cross.last,
                   cross_forward=cross.forward, cross_backward=cross.backward)
    return out


class _Recorder:
    """Keeps every ``every``-th state, the initial and the final one."""

    def __init__(self, shape, n_steps, every, phi, vel):
        self.every = every
        if every <= 0:
            return
        n = n_steps // every + 2
        self.tau = np.empty(n)
        self.phase = np.empty((n,) + tuple(shape))
        self.vel = np.empty((n,) + tuple(shape))
        self.count = 0
        self.add(0, 0.0, phi, vel)

    def add(self, n, tau, phi, vel):
        if self.every <= 0 or n % self.every:
            return
        self.tau[self.count], self.phase[self.count], self.vel[self.count] = tau, phi, vel
        self.count += 1

    def finish(self, tau, phi, vel):
        """Make sure the final state is the last sample."""
        if self.every > 0 and self.tau[self.count - 1] != tau:
            self.tau[self.count], self.phase[self.count], self.vel[self.count] = tau, phi, vel
            self.count += 1

    def arrays(self) -> dict:
        if self.every <= 0:
            return {}
        c = self.count
        return {"rec_tau": self.tau[:c], "rec_phase": self.phase[:c],
                "rec_velocity": self.vel[:c]}
