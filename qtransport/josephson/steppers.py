"""In-place RK4 and stochastic-Heun steps of the reduced RCSJ equation on flat float64 arrays.

The engine (:mod:`.integrator`) spends almost all its time here, so every step works on
preallocated contiguous buffers with ``out=`` ufuncs: no temporaries, no per-step allocation, and
every coefficient pre-multiplied by h/2 so a stage velocity is one addition. With the stage
accelerations written k = (h/2) φ̈ (a *scaled* slope), classical RK4 for φ̈ = f(τ, φ, φ̇) reads

    V₂ = v + k₁,  V₃ = v + k₂,  V₄ = v + 2k₃,
    φ' = φ + (h/6)(v + 2V₂ + 2V₃ + V₄),   v' = v + (k₁ + 2k₂ + 2k₃ + k₄)/3,

with k_s evaluated at φ + (h/2)v, φ + (h/2)V₂, φ + hV₃ — the same scheme as the textbook form,
only the floating-point association differs (rounding ~1e-16). Stochastic Heun likewise:
predictor v_p = v + 2k₀ + Δ, corrector v' = v + k₀ + k₁ + Δ (Δ = σ ΔW / m).

sin φ is the hot spot (one per stage). Where numpy dispatches ``tan`` to a SIMD (AVX-512) loop and
``sin`` to scalar libm, sin φ = 2t/(1 + t²) with t = tan(φ/2) is ~2× cheaper at the same accuracy
(≤ 1 ulp absolute of |sin φ| ≤ 1, measured over |φ| ≤ 1e4; the test suite compares both). It is
used for ensembles of ≥ ``TAN_MIN_SIZE`` elements, where the array work outweighs the call count.
"""
from __future__ import annotations

import math

import numpy as np

__all__ = ["make_rk4", "make_heun", "half_sine", "tan_is_simd", "Coefficients", "TAN_MIN_SIZE",
           "RK4_ORDER", "HEUN_DRIFT_ORDER", "HEUN_STRONG_ORDER", "stability_polynomial"]

#: global order of classical RK4: the error of a DC voltage (a time average) is ∝ h^4
RK4_ORDER = 4
#: stochastic Heun with additive noise: the drift part is the explicit trapezoid (order 2); the
#: bias of a time-averaged quantity (a DC voltage) falls ∝ h^2 as long as the drift error dominates
#: (measured: ~4× per halving of h at Γ = 1.8e-3, β_c = 0.06–0.6, down to ~1e-5 I_cR)
HEUN_DRIFT_ORDER = 2
#: pathwise (strong) order of stochastic Heun for additive noise
HEUN_STRONG_ORDER = 1


def stability_polynomial(scheme: str, z):
    """Amplification factor R(z), z = λh, of the scheme on y' = λy ("RK4" or "Heun").

    A step is linearly stable where |R(λh)| ≤ 1 for every eigenvalue λ of the linearized motion.

    Parameters
    ----------
    scheme : {"RK4", "Heun"}
        The scheme.
    z : complex or array_like
        λh values.

    Returns
    -------
    numpy.ndarray
        R(z), complex.

    Raises
    ------
    ValueError
        An unknown ``scheme``.

    Examples
    --------
    >>> complex(stability_polynomial("Heun", -1.0))
    (0.5+0j)
    """
    z = np.asarray(z, dtype=complex)
    if scheme == "RK4":
        return 1 + z * (1 + z / 2 * (1 + z / 3 * (1 + z / 4)))
    if scheme == "Heun":
        return 1 + z * (1 + z / 2)
    raise ValueError(f"scheme must be 'RK4' or 'Heun', got {scheme!r}")


def tan_is_simd() -> bool:
    """True if numpy runs float64 ``tan`` in an AVX-512 (SIMD) loop on this CPU.

    Returns
    -------
    bool
        Whether the SIMD tan loop is active (False on numpy without introspection).
    """
    try:
        info = np.lib.introspect.opt_func_info(func_name="^tan$", signature="float64")
        current = str(info["tan"]["dd"]["current"])
    except (AttributeError, KeyError, TypeError):   # older numpy: no introspection
        return False
    return "V4" in current or "AVX512" in current


_SIMD_TAN = tan_is_simd()
#: below this ensemble size the four extra ufunc calls of the tan form cost more than libm sin
TAN_MIN_SIZE = 256


def _use_tan(c) -> bool:
    return _SIMD_TAN and c.size >= TAN_MIN_SIZE


def half_sine(theta: np.ndarray, out: np.ndarray, work: np.ndarray, use_tan: bool) -> None:
    """out = sin(2θ)/2 (the half-angle is what the steppers carry), in place.

    ``use_tan``: t/(1 + t²) with t = tan θ (SIMD tan); otherwise sin(2θ)·½ from libm.

    Parameters
    ----------
    theta : numpy.ndarray
        Half angles θ = φ/2, rad.
    out : numpy.ndarray
        Output buffer (same shape), receives sin(2θ)/2.
    work : numpy.ndarray
        Scratch buffer (same shape).
    use_tan : bool
        Use the tan form.
    """
    if use_tan:
        np.tan(theta, out=work)
        np.multiply(work, work, out=out)
        out += 1.0
        np.divide(work, out, out=out)
    else:
        np.add(theta, theta, out=work)
        np.sin(work, out=out)
        out *= 0.5


class Coefficients:
    """Flat per-element coefficients of the scaled acceleration k = (h/2) φ̈ (scalars stay scalars).

    k = cs·sin(φ)/2 + cg·v + cb + cr·τ + cac·sin(Ωτ) + cl·j  with cs = −2a(h/2)/m, cg = −g(h/2)/m,
    cb = i(h/2)/m, cr = ramp(h/2)/m, cac = i_ac(h/2)/m, cl = −(h/2)/m; the L–R loop current obeys
    (h/2) dj/dτ = ql·v + qr·j with ql = (h/2)/β_L, qr = −ρ(h/2)/β_L.

    Parameters
    ----------
    p : Problem
        The reduced RCSJ problem.
    h : float
        Time step, reduced (units of 1/ω_c).
    """

    def __init__(self, p, h: float):
        hh = 0.5 * h
        shape = p.shape

        def flat(x):
            arr = np.asarray(x, dtype=float)
            if arr.ndim == 0:
                return float(arr)
            return np.ascontiguousarray(np.broadcast_to(arr, shape), dtype=np.float64).ravel()

        self.cs = flat(-2.0 * hh * np.asarray(p.amplitude) / np.asarray(p.mass))
        self.cg = flat(-hh * np.asarray(p.damping) / np.asarray(p.mass))
        self.cb = np.ascontiguousarray(np.broadcast_to(
            hh * np.asarray(p.bias, dtype=float) / np.asarray(p.mass), shape),
            dtype=np.float64).ravel()
        self.cr = flat(hh * p.ramp / np.asarray(p.mass)) if p.ramp else 0.0
        self.cac = flat(hh * np.asarray(p.ac_amplitude) / np.asarray(p.mass)) if p.ac_omega \
            else 0.0
        self.omega = float(p.ac_omega)
        self.loop = bool(p.loop_beta)
        self.cl = flat(-hh / np.asarray(p.mass)) if self.loop else 0.0
        self.ql = hh / p.loop_beta if self.loop else 0.0
        self.qr = -hh * p.loop_ratio / p.loop_beta if self.loop else 0.0
        self.damping = flat(p.damping)
        self.loop_ratio = float(p.loop_ratio)
        self.kick = flat(np.asarray(p.noise) / np.asarray(p.mass))
        self.size = int(np.prod(shape))


def _axpy(out, coeff, scalar: float, work) -> None:
    """out += coeff·scalar for a scalar or array coefficient."""
    if np.ndim(coeff) == 0:
        out += coeff * scalar
    else:
        np.multiply(coeff, scalar, out=work)
        out += work


def _slope_function(c: Coefficients, use_tan: bool, direct: bool = False):
    """k(τ, θ = φ/2, v, j) → out, the scaled acceleration; ``w`` is a work buffer.

    ``direct``: the angle argument is φ itself (libm sine, no half angle): two ufunc calls fewer
    per stage, which is what a small ensemble's step costs.
    """
    cs, cg, cb, cr, cac, cl, omega = c.cs, c.cg, c.cb, c.cr, c.cac, c.cl, c.omega
    mul, ramp, drive, loop = np.multiply, bool(np.any(cr)), bool(omega), c.loop
    sin, cs_direct = np.sin, 0.5 * cs

    def slope(tau, theta, v, j, out, w):
        if direct:
            sin(theta, out=out)
            out *= cs_direct
        else:
            half_sine(theta, out, w, use_tan)
            out *= cs
        mul(v, cg, out=w)
        out += w
        out += cb
        if ramp:
            _axpy(out, cr, tau, w)
        if drive:
            _axpy(out, cac, math.sin(omega * tau), w)
        if loop:
            mul(j, cl, out=w)
            out += w
    return slope


def _loop_slope(c: Coefficients):
    ql, qr, mul = c.ql, c.qr, np.multiply

    def loop_slope(v, j, out, w):         # (h/2) dj/dτ
        mul(v, ql, out=out)
        mul(j, qr, out=w)
        out += w
    return loop_slope


def make_rk4(c: Coefficients, h: float, use_tan: bool | None = None):
    """Return ``step(τ, φ, v, j, φ_out, v_out, j_out)``: one classical RK4 step, in place.

    With V₂ = v + k₁, V₃ = v + k₂, V₄ = v + 2k₃ the phase update (h/6)(v + 2V₂ + 2V₃ + V₄) is
    h·v + (h/3)(k₁ + k₂ + k₃). ``j``/``j_out`` (loop current) are unused without a loop; outputs
    must not alias inputs.

    Parameters
    ----------
    c : Coefficients
        Flat coefficients of the ensemble at step ``h``.
    h : float
        Time step, reduced (units of 1/ω_c).
    use_tan : bool, optional
        Use the tan half-angle sine (default: where numpy's tan is SIMD and the ensemble is large).

    Returns
    -------
    callable
        The step function (writes into the ``*_out`` arrays, returns None).
    """
    use_tan = _use_tan(c) if use_tan is None else use_tan
    direct = not use_tan        # libm sine: carry φ itself, not the half angle θ = φ/2
    slope, loop_slope = _slope_function(c, use_tan, direct), _loop_slope(c)
    n, hh, loop = c.size, 0.5 * h, c.loop
    k1, k2, k3, k4, half, th, vs, w = (np.empty(n) for _ in range(8))
    l1, l2, l3, l4, js = (np.empty(n) if loop else None for _ in range(5))
    mul, add = np.multiply, np.add
    third = h / 3.0
    # stage angles: θ_s = φ/2 + (h/4)V (midpoints), φ/2 + (h/2)V (end); twice that when direct
    quarter, end = (hh, h) if direct else (0.5 * hh, hh)

    def stage(vel_s, factor):
        """θ_s = φ/2 + factor·vel_s (φ + factor·vel_s when direct), into ``th``."""
        mul(vel_s, factor, out=th)
        add(th, half, out=th)

    def midpoint(tau_s, v_prev, vel, j, k_prev, l_prev, k_out, l_out):
        """Stages 2 and 3: θ = φ/2 + (h/4)·v_prev (φ + (h/2)·v_prev), V = v + k_prev, slope."""
        stage(v_prev, quarter)
        add(vel, k_prev, out=vs)
        if loop:
            add(j, l_prev, out=js)
        slope(tau_s, th, vs, js, k_out, w)
        if loop:
            loop_slope(vs, js, l_out, w)

    def step(tau, phi, vel, j, phi_out, vel_out, j_out):
        nonlocal half
        if direct:
            half = phi
        else:
            mul(phi, 0.5, out=half)
        slope(tau, half, vel, j, k1, w)
        if loop:
            loop_slope(vel, j, l1, w)
        midpoint(tau + hh, vel, vel, j, k1, l1, k2, l2)   # V2 = v + k1
        midpoint(tau + hh, vs, vel, j, k2, l2, k3, l3)    # V3 = v + k2
        stage(vs, end)
        mul(k3, 2.0, out=vs)                      # V4
        add(vs, vel, out=vs)
        if loop:
            mul(l3, 2.0, out=js)
            add(js, j, out=js)
        slope(tau + h, th, vs, js, k4, w)
        _combine(phi, vel, k1, k2, k3, k4, phi_out, vel_out, h, third, w)
        if loop:
            loop_slope(vs, js, l4, w)
            add(l2, l3, out=l2)
            add(l2, l2, out=l2)
            add(l2, l1, out=l2)
            add(l2, l4, out=l2)
            mul(l2, 1.0 / 3.0, out=j_out)
            j_out += j
    return step


def _combine(phi, vel, k1, k2, k3, k4, phi_out, vel_out, h, third, w):
    """φ' = φ + h·v + (h/3)(k₁+k₂+k₃), v' = v + (k₁ + 2k₂ + 2k₃ + k₄)/3 (k's are overwritten)."""
    np.add(k2, k3, out=k2)                        # k2 + k3
    np.add(k1, k2, out=k1)                        # S = k1 + k2 + k3
    np.multiply(vel, h, out=phi_out)
    phi_out += phi
    np.multiply(k1, third, out=w)
    phi_out += w
    k2 += k1                                      # S + k2 + k3
    k2 += k4
    np.multiply(k2, 1.0 / 3.0, out=vel_out)
    vel_out += vel


def make_heun(c: Coefficients, h: float, use_tan: bool | None = None):
    """Return ``step(τ, φ, v, j, Δ, φ_out, v_out, j_out)``: one stochastic Heun step, in place.

    Predictor φ_p = φ + h v, v_p = v + 2k₀ + Δ; corrector φ' = φ + (h/2)(v + v_p),
    v' = v + k₀ + k₁ + Δ with Δ = σΔW/m the velocity kick of the step.

    Parameters
    ----------
    c : Coefficients
        Flat coefficients of the ensemble at step ``h``.
    h : float
        Time step, reduced (units of 1/ω_c).
    use_tan : bool, optional
        Use the tan half-angle sine (default: where numpy's tan is SIMD and the ensemble is large).

    Returns
    -------
    callable
        The step function (writes into the ``*_out`` arrays, returns None).
    """
    use_tan = _use_tan(c) if use_tan is None else use_tan
    slope, loop_slope = _slope_function(c, use_tan), _loop_slope(c)
    n, hh, loop = c.size, 0.5 * h, c.loop
    k0, k1, th, vp, w = (np.empty(n) for _ in range(5))
    l0, l1, jp = (np.empty(n) if loop else None for _ in range(3))
    mul, add = np.multiply, np.add

    def step(tau, phi, vel, j, kick, phi_out, vel_out, j_out):
        mul(phi, 0.5, out=th)
        slope(tau, th, vel, j, k0, w)
        mul(vel, hh, out=w)                       # θ_p = φ/2 + (h/2) v
        add(th, w, out=th)
        mul(k0, 2.0, out=vp)
        add(vp, vel, out=vp)
        add(vp, kick, out=vp)
        if loop:
            loop_slope(vel, j, l0, w)
            mul(l0, 2.0, out=jp)
            add(jp, j, out=jp)
        slope(tau + h, th, vp, jp, k1, w)
        add(vel, vp, out=phi_out)
        phi_out *= hh
        phi_out += phi
        add(k0, k1, out=vel_out)
        vel_out += vel
        vel_out += kick
        if loop:
            loop_slope(vp, jp, l1, w)
            add(l0, l1, out=j_out)
            j_out += j
    return step
