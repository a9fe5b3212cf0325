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
``substeps=1`` — that is how the strong-convergence check compares step sizes on one path. A
ladder of steps h₀/2^k compares them on one :class:`LevyPath` instead (midpoint refinement:
one normal per step at every level).

Performance
-----------
The steps themselves are in-place kernels on flat float64 buffers (:mod:`.steppers`). The states of
a block of steps are written into a preallocated history of cache size, and all bookkeeping —
noise draws, 2π crossings, escape times, dissipated energy, recorded samples — is done once per
block on the whole (steps × elements) array instead of once per step.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace

import numpy as np

from .steppers import Coefficients, make_heun, make_rk4, tan_is_simd

__all__ = ["Problem", "LevyPath", "time_step", "integrate", "hermite_root", "check_steps", "TWO_PI",
           "MAX_STEPS", "MAX_ELEMENTS", "compiled_kernels", "NO_NUMBA_ENV",
           "COMPILED_MAX_SIZE", "NUMPY_MAX_STEPS", "check_numpy_steps", "MAX_ELEMENT_STEPS"]

TWO_PI = 2.0 * math.pi
#: default most time steps of one integration (``max_steps=`` of the public functions): the step
#: loop costs ~20–50 µs per step, so 10^7 steps are several minutes
MAX_STEPS = 10**7
#: default most junctions of one ensemble (``max_elements=``): the integrator keeps ~10 float64
#: arrays of the ensemble size (and a block of history), so 10^7 elements is ~1 GB
MAX_ELEMENTS = 10**7
#: default most junction-steps of one run (``max_element_steps=``: ensemble size × time steps,
#: pilot and checks included): the compiled kernels take ~8-25 ns per element and step, so 10^10
#: is ~1.5-4 minutes — each limit above alone admits 10^14
MAX_ELEMENT_STEPS = 10**10
#: capacitances above this (F) are far outside Josephson junctions (fF–pF): the likely mistake of
#: a value in F meant as pF, which makes β_c and the step count explode
_SUSPICIOUS_CAPACITANCE_F = 1e-9
#: environment variable: set to 1 to run the numpy steppers even where numba is installed
NO_NUMBA_ENV = "QTRANSPORT_NO_NUMBA"
_KERNELS: list = []     # [module or None] once the lazy import was tried
#: ensembles of at least this many elements keep the numpy steppers where numpy's float64 ``tan``
#: is SIMD: there the kernels' scalar libm sines (~70 ns per element and RK4 step) cost more than
#: numpy's vectorized tan form plus its per-call overhead (measured crossover 512 for RK4 and
#: Heun on the 2-core test VM: 35 vs 38 µs per step at 512 elements, 67 vs 56 µs at 1000).
#: Not for the plain equation (no ramp, drive, loop): its kernels are SIMD, faster at every size
COMPILED_MAX_SIZE = 512
_SIMD_TAN = tan_is_simd()


def compiled_kernels():
    """The numba block kernels (:mod:`.kernels`), or None: numba missing or ``QTRANSPORT_NO_NUMBA=1``.

    numba is optional and imported here on first use only, never at ``import qtransport``; the
    environment variable is read at every call, so it can be switched per run.

    Returns
    -------
    module or None
        :mod:`qtransport.josephson.kernels`, or ``None``.
    """
    if os.environ.get(NO_NUMBA_ENV, "").strip() not in ("", "0"):
        return None
    if not _KERNELS:
        try:
            from . import kernels as _kernels
        except ImportError:          # numba not installed: the numpy steppers
            _kernels = None
        _KERNELS.append(_kernels)
    return _KERNELS[0]


def check_steps(n_steps: float, max_steps: int, junction=None, what: str = "") -> int:
    """Refuse an integration of more than ``max_steps`` steps before starting it.

    The estimate and the junction's β_c go into the message (``WorkLimitError``, a ValueError);
    a capacitance above 1 nF is pointed out as probably given in F instead of pF.

    Parameters
    ----------
    n_steps : float
        Estimated time steps.
    max_steps : int
        The limit (≥ 1).
    junction : Junction, optional
        Its β_c (and a suspicious capacitance) go into the message.
    what : str, optional
        What made the run long, for the message.

    Returns
    -------
    int
        ``n_steps`` as an int.

    Raises
    ------
    WorkLimitError
        ``n_steps`` > ``max_steps``.
    """
    from ..errors import check_int, check_work
    limit = check_int("max_steps", max_steps, low=1)
    hint = what
    if junction is not None:
        hint += (", " if hint else "") + f"β_c = {junction.stewart_mccumber:.3g}"
        if junction.capacitance_F > _SUSPICIOUS_CAPACITANCE_F:
            hint += (f"; capacitance_F = {junction.capacitance_F:g} F is far above junction "
                     f"values (1e-15 … 1e-11 F): was it meant in pF?")
    check_work("max_steps", n_steps, limit, unit="time steps", hint=hint)
    return int(n_steps)


#: default most time steps of a whole small-ensemble run (pilot, main run and window checks
#: together) on the numpy steppers, i.e. with numba disabled or missing: there one step costs
#: ~20-60 µs (vs < 1 µs in the kernels), so 3e5 steps are ~10-20 s
NUMPY_MAX_STEPS = 3 * 10**5


def check_numpy_steps(n_steps: float, n_elements: int, max_steps: int, junction=None,
                      what: str = "") -> None:
    """Refuse up front a long run that would go to the numpy steppers only because numba is off.

    Applies when the compiled kernels are unavailable (``QTRANSPORT_NO_NUMBA=1`` or no numba),
    the ensemble is small enough that they would have been used (< :data:`COMPILED_MAX_SIZE`)
    and ``max_steps`` is left at its default: then the limit is :data:`NUMPY_MAX_STEPS` and the
    message gives the estimated steps and seconds. An explicit ``max_steps`` is the caller's
    limit and is used as given (by :func:`check_steps`).

    Parameters
    ----------
    n_steps : float
        Estimated time steps of the whole run.
    n_elements : int
        Ensemble size.
    max_steps : int
        The caller's ``max_steps`` (compared with :data:`MAX_STEPS`).
    junction : Junction, optional
        Its β_c goes into the message.
    what : str, optional
        What made the run long, for the message.

    Raises
    ------
    WorkLimitError
        The run would exceed :data:`NUMPY_MAX_STEPS` on the numpy steppers.
    """
    if max_steps != MAX_STEPS or n_elements >= COMPILED_MAX_SIZE or compiled_kernels() is not None:
        return
    from ..errors import check_work
    hint = (what + ", " if what else "") + (f"β_c = {junction.stewart_mccumber:.3g}, "
                                            if junction is not None else "")
    hint += (f"numba is off ({NO_NUMBA_ENV}=1 or not installed): the numpy steppers take "
             f"~20-60 µs per step, so ~{n_steps * 20e-6:.2g}-{n_steps * 60e-6:.2g} s")
    check_work("max_steps", n_steps, NUMPY_MAX_STEPS, unit="time steps", hint=hint,
               advice="enable numba (unset QTRANSPORT_NO_NUMBA) or pass max_steps= explicitly "
                      "if this is really intended")


@dataclass
class Problem:
    """Coefficients of the reduced RCSJ equation, broadcastable to ``shape``.

    ``phase0``/``velocity0`` are the initial state; ``escape_phase`` (optional) is the phase past
    which an element counts as escaped (its first-passage time is recorded).

    Parameters
    ----------
    shape : tuple of int
        Ensemble shape every coefficient broadcasts to.
    mass : float or numpy.ndarray
        m = β_c relative to the reference junction (reduced, dimensionless).
    damping : float or numpy.ndarray, optional
        g, shunt conductance relative to the reference.
    amplitude : float or numpy.ndarray, optional
        a, critical current relative to the reference.
    bias : float or numpy.ndarray, optional
        i_dc, DC bias in units of the reference I_c.
    ramp : float, optional
        r, bias ramp per reduced time unit (units of I_c per 1/ω_c).
    ac_amplitude : float or numpy.ndarray, optional
        i_ac, drive amplitude in units of I_c.
    ac_omega : float, optional
        Ω, drive angular frequency in units of ω_c.
    noise : float or numpy.ndarray, optional
        σ = √(2 g k_BT/E_J), noise strength (0: deterministic).
    phase0 : float or numpy.ndarray, optional
        Initial phase φ, rad.
    velocity0 : float or numpy.ndarray, optional
        Initial dφ/dτ (reduced).
    escape_phase : numpy.ndarray, optional
        Phase (rad) past which an element counts as escaped.
    loop_beta : float, optional
        β_L = 2π L I_c/Φ0 of a series inductive loop (0: no loop).
    loop_ratio : float, optional
        Loop resistance over the shunt resistance, R_L/R.
    select : numpy.ndarray, optional
        Internal: flat indices of a subset run (:meth:`subset`).
    full_size : int, optional
        Internal: size of the full ensemble of a subset run.
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

    @property
    def stochastic(self) -> bool:
        """Whether any element has noise (σ > 0): the stochastic Heun scheme is used."""
        return bool(np.any(np.asarray(self.noise) > 0))

    def subset(self, flat_index: np.ndarray) -> "Problem":
        """The same problem restricted to some flat element indices (noise stream unchanged).

        Parameters
        ----------
        flat_index : numpy.ndarray
            Flat indices of the elements to keep.

        Returns
        -------
        Problem
            The subset, shape (len(flat_index),); it draws the full ensemble's noise numbers.
        """
        def pick(x):
            arr = np.asarray(x)
            return arr if arr.ndim == 0 else np.broadcast_to(arr, self.shape).ravel()[flat_index]
        fields = {k: pick(getattr(self, k)) for k in ("mass", "damping", "amplitude", "bias",
                                                       "ac_amplitude", "noise", "phase0",
                                                       "velocity0")}
        esc = None if self.escape_phase is None else pick(self.escape_phase)
        return replace(self, shape=(len(flat_index),), escape_phase=esc, select=flat_index,
                       full_size=int(np.prod(self.shape)), **fields)


def time_step(mass, damping=1.0, amplitude=1.0, bias_max: float = 1.0, ac_omega: float = 0.0,
              steps_per_period: int = 40) -> float:
    """Reduced step h from the fastest time scale of the ensemble.

    The scales are the plasma period 2π√(m/a), the relaxation time 2π m/g, the Josephson period
    2π g/|i|max of the running state and the drive period 2π/Ω; h is the shortest divided by
    ``steps_per_period``.

    Parameters
    ----------
    mass : float or array_like
        m = β_c of every element (reduced).
    damping : float or array_like, optional
        g of every element.
    amplitude : float or array_like, optional
        a of every element.
    bias_max : float, optional
        Largest |i| of the run, units of I_c.
    ac_omega : float, optional
        Drive angular frequency Ω, units of ω_c (0: none).
    steps_per_period : int, optional
        Steps per shortest period.

    Returns
    -------
    float
        h, reduced time (units of 1/ω_c).

    Examples
    --------
    >>> round(time_step(1.0, steps_per_period=40), 6)
    0.15708
    """
    m = np.min(mass)
    g_max = np.max(damping)
    periods = [TWO_PI * math.sqrt(m / np.max(amplitude)), TWO_PI * m / g_max,
               TWO_PI * np.min(damping) / max(bias_max, np.max(amplitude))]
    if ac_omega > 0:
        periods.append(TWO_PI / ac_omega)
    return float(min(periods)) / steps_per_period


def hermite_root(p0, m0, p1, m1, target, iterations: int = 3):
    """Root s ∈ [0, 1] of the cubic Hermite interpolant p(s) = target (Newton from linear).

    Parameters
    ----------
    p0, p1 : numpy.ndarray
        Values at s = 0 and s = 1 (phase, rad).
    m0, m1 : numpy.ndarray
        Slopes dp/ds at s = 0 and 1 (h·φ̇).
    target : numpy.ndarray
        Level to reach (rad), between p0 and p1.
    iterations : int, optional
        Newton iterations.

    Returns
    -------
    numpy.ndarray
        s in [0, 1], the fraction of the step.

    Examples
    --------
    >>> import numpy as np
    >>> float(hermite_root(np.array([0.0]), np.array([1.0]), np.array([1.0]), np.array([1.0]),
    ...                    np.array([0.5]))[0])
    0.5
    """
    s = np.clip((target - p0) / np.where(p1 != p0, p1 - p0, 1.0), 0.0, 1.0)
    for _ in range(iterations):
        s2, s3 = s * s, s * s * s
        p = ((2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1
             + (s3 - s2) * m1)
        dp = (6 * s2 - 6 * s) * p0 + (3 * s2 - 4 * s + 1) * m0 + (6 * s - 6 * s2) * p1 \
            + (3 * s2 - 2 * s) * m1
        s = np.clip(s - (p - target) / np.where(dp != 0, dp, 1.0), 0.0, 1.0)
    return s




class _Crossings:
    """Times of 2π-level crossings of φ (Hermite-interpolated) and their net count, per block:
    the first, second and last crossing of every element (first to second: one whole period)."""

    def __init__(self, phi: np.ndarray):
        self.first = np.full(phi.shape, np.nan)
        self.second = np.full(phi.shape, np.nan)
        self.last = np.full(phi.shape, np.nan)
        self.forward = np.zeros(phi.shape, dtype=np.int64)
        self.backward = np.zeros(phi.shape, dtype=np.int64)

    def update(self, n0: int, h: float, phi: np.ndarray, vel: np.ndarray) -> None:
        """Rows of ``phi``/``vel`` (b + 1, n) are the states after steps n0, …, n0 + b."""
        level = np.floor(phi / TWO_PI)
        k, i = np.nonzero(level[1:] != level[:-1])      # sorted by step, then element
        if k.size == 0:
            return
        lo, hi = level[k, i], level[k + 1, i]
        up = hi > lo
        target = TWO_PI * np.where(up, hi, lo)
        s = hermite_root(phi[k, i], h * vel[k, i], phi[k + 1, i], h * vel[k + 1, i], target)
        t = (n0 + k) * h + s * h
        order = np.argsort(i, kind="stable")          # by element, in time within each
        grouped, start, count = np.unique(i[order], return_index=True, return_counts=True)
        before = self.forward[grouped] + self.backward[grouped]
        nth = 1 - before                              # index in this block of crossing no. 2
        has = (nth >= 0) & (nth < count)
        self.second[grouped[has]] = t[order][start[has] + nth[has]]
        elements, first = np.unique(i, return_index=True)
        old = self.first[elements]
        self.first[elements] = np.where(np.isnan(old), t[first], old)
        elements, last = np.unique(i[::-1], return_index=True)
        self.last[elements] = t[::-1][last]
        n = phi.shape[1]
        self.forward += np.bincount(i[up], minlength=n)
        self.backward += np.bincount(i[~up], minlength=n)


class _Recorder:
    """Keeps every ``every``-th state, the initial and the final one."""

    def __init__(self, n_steps, every, phi, vel):
        self.every = every
        if every <= 0:
            return
        n = n_steps // every + 2
        self.tau = np.empty(n)
        self.phase = np.empty((n,) + phi.shape)
        self.vel = np.empty((n,) + phi.shape)
        self.count = 0
        self._put(0.0, phi, vel)

    def _put(self, tau, phi, vel):
        c = len(tau) if np.ndim(tau) else 1
        sl = slice(self.count, self.count + c)
        self.tau[sl], self.phase[sl], self.vel[sl] = tau, phi, vel
        self.count += c

    def add_block(self, n0: int, h: float, phi: np.ndarray, vel: np.ndarray) -> None:
        """Rows 1 … b of ``phi``/``vel`` are the states after steps n0 + 1, …, n0 + b."""
        if self.every <= 0:
            return
        done = np.arange(n0 + 1, n0 + len(phi))
        rows = np.flatnonzero(done % self.every == 0) + 1
        if rows.size:
            self._put((done[rows - 1] - 1) * h + h, phi[rows], vel[rows])

    def finish(self, tau, phi, vel):
        """Make sure the final state is the last sample."""
        if self.every > 0 and self.tau[self.count - 1] != tau:
            self._put(tau, phi, vel)

    def arrays(self, shape) -> dict:
        if self.every <= 0:
            return {}
        c = self.count
        return {"rec_tau": self.tau[:c], "rec_phase": self.phase[:c].reshape((c,) + shape),
                "rec_velocity": self.vel[:c].reshape((c,) + shape)}


class _Kicks:
    """Velocity kicks σΔW/m of a block of steps (b, n), drawn into preallocated buffers.

    The draw order equals b draws of one step each, ``rng.standard_normal((substeps, width))``
    per step (width: the full ensemble of a subset run, which keeps its own elements' numbers),
    and the arithmetic is that of a fresh array per block (sum over the substeps, then × √(h/s),
    then × σ/m): the same seed gives the same kicks as drawing them afresh; only the allocations
    (and, for one substep, the sum) are saved.
    """

    def __init__(self, p: Problem, coeff: Coefficients, h: float, substeps: int, block: int):
        self.select = p.select
        width = p.full_size if p.select is not None else coeff.size
        self.normals = np.empty((block, substeps, width))
        self.picked = np.empty((block, substeps, coeff.size)) if p.select is not None else None
        self.out = np.empty((block, coeff.size))
        self.scale = math.sqrt(h / substeps)
        self.kick = coeff.kick
        self.substeps = substeps

    def draw(self, rng: np.random.Generator, b: int) -> np.ndarray:
        z = self.normals[:b]
        rng.standard_normal(out=z)
        if self.select is not None:
            z = np.take(z, self.select, axis=2, out=self.picked[:b])
        dw = self.out[:b]
        if self.substeps == 1:
            np.multiply(z[:, 0], self.scale, out=dw)
        else:
            np.sum(z, axis=1, out=dw)
            dw *= self.scale
        dw *= self.kick
        return dw


def _first_escapes(phi, escape_phase, esc, n0, h):
    """Record first passages in a block; return the row of the last new escape (or 0)."""
    above = phi[1:] > escape_phase
    new = above.any(axis=0) & np.isnan(esc)
    if not new.any():
        return 0
    k = np.argmax(above[:, new], axis=0)                # first row past the threshold
    esc[new] = (n0 + k) * h + h
    return int(k.max()) + 1


@dataclass(frozen=True)
class LevyPath:
    """Level ``level`` of one Brownian path per element sampled at the steps h₀/2^k (k ≤ level).

    Passed as ``rng=`` to :func:`integrate` at step h = h₀/2^level, it supplies the increments of
    a path built by Lévy's midpoint construction: over every coarse step h₀ the increment is
    √h₀ z₀, and each refinement l = 1 … level splits every interval T = h₀/2^(l−1) with increment
    D into D/2 ± (√T/2) z_l — the exact conditional law of W at the midpoint (the Brownian
    bridge). Stream l (``SeedSequence(seed, spawn_key=(l,))``) gives 2^(l−1) normals per coarse
    step and element, in time order, so runs at different levels follow the same path (their
    increments over a coarse step agree to round-off) while a run at level k draws one normal per
    step and element — not 2^(K−k) as summing the finest level K's increments does. The path is
    the run's own: a subset run draws for its own elements only.

    Parameters
    ----------
    seed : int
        Seed of the path (≥ 0); stream l is seeded by ``SeedSequence(seed, spawn_key=(l,))``.
    level : int
        Refinement level k ≥ 0 of the run: its step is h₀/2^k.
    """

    seed: int
    level: int

    def generators(self) -> list[np.random.Generator]:
        """The generators of streams 0 … level.

        Returns
        -------
        list of numpy.random.Generator
            Fresh generators, stream l at index l.
        """
        return [np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(lev,)))
                for lev in range(self.level + 1)]


class _LevyKicks:
    """Velocity kicks σΔW/m of a block of steps from a :class:`LevyPath` (its level's steps)."""

    def __init__(self, path: LevyPath, coeff: Coefficients, h: float, block: int):
        self.gens = path.generators()
        self.level, self.h0 = path.level, h * 2**path.level
        self.kick, self.n = coeff.kick, coeff.size
        self.fine = 2**path.level                     # steps per coarse step
        self.chunk = max(1, -(-block // self.fine))   # coarse steps generated at a time
        self.pending = np.empty((0, self.n))          # generated, not yet used increments
        self.out = np.empty((block, self.n))

    def _generate(self, m: int) -> np.ndarray:
        d = self.gens[0].standard_normal((m, 1, self.n))
        d *= math.sqrt(self.h0)
        for lev in range(1, self.level + 1):
            z = self.gens[lev].standard_normal((m, 2 ** (lev - 1), self.n))
            z *= 0.5 * math.sqrt(self.h0 / 2 ** (lev - 1))
            d *= 0.5
            d = np.stack([d + z, d - z], axis=2).reshape(m, 2**lev, self.n)
        return d.reshape(m * self.fine, self.n)

    def draw(self, rng, b: int) -> np.ndarray:
        while self.pending.shape[0] < b:
            self.pending = np.concatenate([self.pending, self._generate(self.chunk)])
        dw = np.multiply(self.pending[:b], self.kick, out=self.out[:b])
        self.pending = self.pending[b:]
        return dw


def _block_size(p: Problem, size: int, substeps: int) -> int:
    """Steps per block: the history (and noise draws) of a block stay ~cache-sized."""
    width = max(size, (p.full_size or size) * substeps if p.stochastic else size)
    return int(max(8, min(512, 32768 // max(width, 1))))


def _power(coeff: Coefficients, vel, cur):
    """Dissipated power in units of E_J ω_c: g φ̇² (shunt) + ρ j² (loop resistor)."""
    out = coeff.damping * vel * vel
    return out + coeff.loop_ratio * cur * cur if coeff.loop else out


def integrate(p: Problem, h: float, n_steps: int, *,
              rng: np.random.Generator | LevyPath | None = None,
              settle_steps: int = 0, record_every: int = 0, substeps: int = 1,
              stop_when_escaped: bool = False, crossings: bool = True,
              energy: bool = False, checkpoint_steps: int = 0,
              bump_average: bool = False) -> dict:
    """Advance every element of ``p`` by ``n_steps`` steps of size ``h`` (reduced units).

    Returns a dict with the final state (``phase``, ``velocity``, ``loop_current``), the energy
    dissipated after settling (``energy``, units of E_J: ∫(gφ̇² + ρj²)dτ), the phase at the end of the
    settling time (``phase_settled``, ``tau_settled``), crossing bookkeeping after settling
    (``cross_first``, ``cross_last``, ``cross_forward``, ``cross_backward``), escape times
    (``escape_tau``, NaN if none) and, if ``record_every`` > 0, the samples ``rec_tau``,
    ``rec_phase`` and ``rec_velocity`` (time on the first axis). With ``checkpoint_steps`` > 
    ``settle_steps`` the phase, time and crossing bookkeeping after that many steps are kept too
    (``phase_checkpoint``, ``tau_checkpoint``, ``checkpoint_cross_*``): the averages over the
    first part of the window, for window-convergence checks at no extra cost.
    ``bump_average`` adds ``bump_velocity`` (and ``checkpoint_bump_velocity``): the weighted
    Birkhoff average ∫w φ̇ dτ / ∫w dτ over the window after settling (and over its part before
    the checkpoint) with the bump w(u) = exp(−1/(u(1 − u))), u the fraction of the window, φ̇
    taken as the phase increment of each step over h. On
    periodic and quasi-periodic orbits it converges faster than any power of the window
    (the plain average only as 1/W); on sums of steps all of w's derivatives vanish at both
    ends, so the rectangle rule over the steps is spectrally accurate.

    Parameters
    ----------
    p : Problem
        Coefficients and initial state of the ensemble.
    h : float
        Time step, reduced (units of 1/ω_c).
    n_steps : int
        Number of steps.
    rng : numpy.random.Generator or LevyPath, optional
        Noise source (required when ``p`` is stochastic): a Generator draws ``substeps``
        normals per step and element, summed (the path of a run at h/substeps); a
        :class:`LevyPath` gives its level's steps of one refined path (``substeps`` must be 1).
    settle_steps : int, optional
        Steps before the averaging window (energy and crossings are counted after them).
    record_every : int, optional
        Keep every n-th state (0: none).
    substeps : int, optional
        Brownian increments summed per step (a run at h/substeps on the same path).
    stop_when_escaped : bool, optional
        Stop once every element passed ``p.escape_phase``.
    crossings : bool, optional
        Keep the 2π-crossing bookkeeping.
    energy : bool, optional
        Accumulate the dissipated energy.
    checkpoint_steps : int, optional
        Also keep the phase, time and crossings after this many steps.
    bump_average : bool, optional
        Add the bump-weighted mean velocity over the window.

    Returns
    -------
    dict of str to numpy.ndarray
        The keys listed above; phases in rad, times τ reduced, energies in units of E_J.

    Raises
    ------
    ValueError
        A stochastic problem without ``rng``.
    """
    stochastic = p.stochastic
    if stochastic and rng is None:
        raise ValueError("a stochastic RCSJ run needs a numpy Generator (rng)")
    coeff = Coefficients(p, h)
    run = _Run(p, coeff, h, _block_size(p, coeff.size, substeps))
    if isinstance(rng, LevyPath):
        if substeps != 1:
            raise ValueError(f"substeps must be 1 with a LevyPath (its level sets the "
                             f"refinement), got {substeps}")
        noise = _LevyKicks(rng, coeff, h, run.block) if stochastic else None
    else:
        noise = _Kicks(p, coeff, h, substeps, run.block) if stochastic else None
    # the plain equation's kernels are SIMD themselves, faster than numpy's at every size (per
    # step at 1000 / 4000 elements: Heun 13 / 50 µs vs 29 / 81 with the draws, RK4 7 / 29 vs
    # 48 / 82)
    fast = coeff.size < COMPILED_MAX_SIZE or not _SIMD_TAN or _plain(coeff)
    kernels = compiled_kernels() if fast else None
    step = _CompiledStep(kernels, coeff, h, stochastic) if kernels is not None else \
        make_heun(coeff, h) if stochastic else make_rk4(coeff, h)
    esc = np.full(coeff.size, np.nan)
    escape_phase = None if p.escape_phase is None else \
        np.broadcast_to(p.escape_phase, p.shape).ravel()
    energy_sum = np.zeros(coeff.size)
    out: dict = {"phase_settled": run.phi[0].copy(), "tau_settled": 0.0}
    recs = _Recorder(n_steps, record_every, run.phi[0], run.vel[0])
    cross = _Crossings(run.phi[0]) if settle_steps == 0 and crossings else None
    n = 0
    check_at = checkpoint_steps if settle_steps < checkpoint_steps < n_steps else 0
    bumps = []      # (first step, last step, numerator, denominator)
    if bump_average:
        bumps.append([settle_steps, n_steps, np.zeros(coeff.size), 0.0])
        if check_at:
            bumps.append([settle_steps, check_at, np.zeros(coeff.size), 0.0])
    while n < n_steps:
        b = min(run.block, n_steps - n, settle_steps - n if n < settle_steps else n_steps,
                check_at - n if n < check_at else n_steps)
        kicks = noise.draw(rng, b) if stochastic else None
        run.advance(step, n, b, kicks)
        stop = False
        if escape_phase is not None:
            last = _first_escapes(run.phi[:b + 1], escape_phase, esc, n, h)
            if last and stop_when_escaped and not np.isnan(esc).any():
                b, stop = last, True
        phi, vel = run.phi[:b + 1], run.vel[:b + 1]
        if energy and n >= settle_steps:
            pw = _power(coeff, vel, run.cur[:b + 1] if coeff.loop else 0.0)
            energy_sum += h * (0.5 * (pw[0] + pw[b]) + pw[1:b].sum(axis=0))
        if cross is not None:
            cross.update(n, h, phi, vel)
        for bump in bumps:
            k = np.arange(n + 1, n + b + 1)
            u = (k - bump[0]) / (bump[1] - bump[0])
            inside = (u > 0) & (u < 1)
            if inside.any():
                uu = u[inside]
                w = np.exp(-1.0 / (uu * (1.0 - uu)))
                # phase increments per step, not the velocity samples: their sum is exactly
                # Δφ, so a phase-locked orbit averages to exactly nΩ at any step (RK4's
                # velocity carries an O(h⁴) error the phase increments do not add up to)
                bump[2] += w @ ((phi[1:][inside] - phi[:-1][inside]) / h)
                bump[3] += float(w.sum())
        recs.add_block(n, h, phi, vel)
        n += b
        run.restart(b)
        if n == settle_steps:
            out["phase_settled"], out["tau_settled"] = run.phi[0].copy(), (n - 1) * h + h
            cross = _Crossings(run.phi[0]) if crossings else None
        if check_at and n == check_at:
            out["phase_checkpoint"], out["tau_checkpoint"] = run.phi[0].copy(), n * h
            if cross is not None:
                out.update({f"checkpoint_cross_{k}": getattr(cross, k).copy()
                            for k in ("first", "second", "last", "forward", "backward")})
        if stop:
            break
    tau_end = (n - 1) * h + h if n else 0.0
    recs.finish(tau_end, run.phi[0], run.vel[0])
    shape = tuple(p.shape)
    cur = run.cur[0].reshape(shape).copy() if coeff.loop else 0.0
    out.update(phase=run.phi[0].reshape(shape).copy(), velocity=run.vel[0].reshape(shape).copy(),
               loop_current=cur, energy=energy_sum.reshape(shape), tau_end=tau_end,
               escape_tau=esc.reshape(shape), **recs.arrays(shape))
    out["phase_settled"] = out["phase_settled"].reshape(shape)
    for name, bump in zip(("bump_velocity", "checkpoint_bump_velocity"), bumps):
        out[name] = (bump[2] / bump[3] if bump[3] > 0 else np.full(coeff.size, np.nan)
                     ).reshape(shape)
    for key in [k for k in out if k.startswith("checkpoint_cross_")] + (
            ["phase_checkpoint"] if "phase_checkpoint" in out else []):
        out[key] = out[key].reshape(shape)
    if cross is not None:
        out.update({f"cross_{k}": getattr(cross, k).reshape(shape)
                    for k in ("first", "second", "last", "forward", "backward")})
    return out


class _Run:
    """State history of one block of steps: row k holds the state after k steps of the block."""

    def __init__(self, p: Problem, coeff: Coefficients, h: float, block: int):
        self.block, n = block, coeff.size
        self.phi = np.empty((block + 1, n))
        self.vel = np.empty((block + 1, n))
        self.phi[0] = np.broadcast_to(p.phase0, p.shape).ravel()
        self.vel[0] = np.broadcast_to(p.velocity0, p.shape).ravel()
        self.cur = np.zeros((block + 1, n)) if coeff.loop else None
        self.h = h
        self._rows = None          # row views for the numpy steppers, made on their first use

    def advance(self, step, n0: int, b: int, kicks) -> None:
        """Steps n0 … n0 + b − 1 from row 0 into rows 1 … b."""
        if isinstance(step, _CompiledStep):
            step.block(n0, b, self.phi, self.vel, self.cur, kicks)
            return
        if self._rows is None:
            self._rows = (list(self.phi), list(self.vel), list(self.cur) if self.cur is not None
                          else [None] * (self.block + 1))
        P, V, J = self._rows
        h = self.h
        if kicks is None:
            for k in range(b):
                step((n0 + k) * h, P[k], V[k], J[k], P[k + 1], V[k + 1], J[k + 1])
        else:
            for k in range(b):
                step((n0 + k) * h, P[k], V[k], J[k], kicks[k], P[k + 1], V[k + 1], J[k + 1])

    def restart(self, b: int) -> None:
        """Row b becomes row 0 of the next block."""
        self.phi[0] = self.phi[b]
        self.vel[0] = self.vel[b]
        if self.cur is not None:
            self.cur[0] = self.cur[b]


def _plain(c: Coefficients) -> bool:
    """No ramp, drive or L–R loop: the equation of the SIMD kernels (``*_plain_block``)."""
    return not (np.any(c.cr) or c.omega or c.loop)


class _CompiledStep:
    """The numba kernels of :mod:`.kernels` bound to one ensemble's coefficients: a whole block
    of steps per call, the same scheme and floating-point order as :mod:`.steppers`."""

    def __init__(self, kernels, c: Coefficients, h: float, stochastic: bool):
        n = c.size

        def full(x):
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, dtype=np.float64), (n,)))
        self.k, self.h, self.stochastic, self.omega = kernels, h, stochastic, c.omega
        self.coeffs = tuple(full(x) for x in (c.cs, c.cg, c.cb, c.cr, c.cac, c.cl))
        self.ql, self.qr = float(c.ql), float(c.qr)
        self.flags = (bool(np.any(c.cr)), bool(c.omega), bool(c.loop))
        self.plain = _plain(c)
        self.no_loop = np.zeros((1, n))
        self.no_drive = np.zeros((0, 3))     # sin Ωτ table of an undriven run (unused zeros)

    def _zeros(self, b: int) -> np.ndarray:
        if self.no_drive.shape[0] < b:
            self.no_drive = np.zeros((b, 3))
        return self.no_drive

    def block(self, n0: int, b: int, phi, vel, cur, kicks) -> None:
        """Steps n0 … n0 + b − 1 from row 0 of ``phi``/``vel``/``cur`` into rows 1 … b."""
        k, h = self.k, self.h
        if kicks is not None:
            kicks = np.ascontiguousarray(kicks)
        if self.plain:          # the plain equation: SIMD kernels ...
            done = k.heun_plain_block(n0, b, h, phi, vel, kicks, *self.coeffs[:3]) \
                if self.stochastic else k.rk4_plain_block(n0, b, h, phi, vel, *self.coeffs[:3])
            if done == b:
                return
            # ... until a phase reached kernels.SINE_LIMIT: the rest of the block with libm's sine
            phi, vel, n0, b = phi[done:], vel[done:], n0 + done, b - done
            kicks = kicks[done:] if kicks is not None else None
        sac = k.drive_table(n0, b, h, self.omega, 2 if self.stochastic else 3) \
            if self.flags[1] else self._zeros(b)
        J = cur if cur is not None else self.no_loop
        if self.stochastic:
            k.heun_block(n0, b, h, phi, vel, J, kicks, *self.coeffs, self.ql, self.qr, sac,
                         *self.flags)
        else:
            k.rk4_block(n0, b, h, phi, vel, J, *self.coeffs, self.ql, self.qr, sac, *self.flags)
