"""Compiled (numba) block kernels of the RCSJ time loop: the same RK4 / stochastic-Heun steps as
:mod:`.steppers`, one machine-code loop over the steps of a block and the ensemble elements.

Imported only lazily by :func:`qtransport.josephson.integrator.compiled_kernels` (never at
``import qtransport``): numba is an optional dependency, and without it (or with
``QTRANSPORT_NO_NUMBA=1``) the integrator runs the numpy steppers. The kernels evaluate the
stage formulas of :mod:`.steppers` in the same floating-point order, with libm's sine, so the
two paths agree to round-off (the numpy path's SIMD ``tan`` form of sin φ differs by ≤ 1 ulp).
Noise is not drawn here: the velocity kicks of a block come in from the integrator, which draws
them with the caller's numpy Generator exactly as the numpy path does (same seed, same path).
``cache=True`` keeps the machine code on disk (``__pycache__``, or ``NUMBA_CACHE_DIR``): the
compile (a few seconds) is paid once per installation, later processes load it.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["rk4_block", "heun_block", "rk4_plain_block", "heun_plain_block", "drive_table", "sine",
           "SINE_LIMIT"]

#: |x| below which :func:`sine` is used; beyond it the rows fall back to libm's sine. The
#: reduction x − n·P_hi is exact while n·P_hi is (P_hi has 31 significant bits: |n| < 2^22,
#: |x| < 6.5e6); 1e6 keeps a margin
SINE_LIMIT = 1e6
_TWO_OVER_PI = 0.63661977236758134308
_PIO2_HI = 1.57079632673412561417e+00        # π/2 cut to 33 bits (31 significant)
_PIO2_LO = 6.07710050650619224932e-11        # π/2 − _PIO2_HI to double precision
# Taylor coefficients (−1)^k/(2k+1)! and (−1)^k/(2k)!: on |r| ≤ π/4 the first omitted terms,
# r^17/17! and r^18/18!, are < 5e-17, below half an ulp of the results
_S = tuple((-1.0) ** k / math.factorial(2 * k + 1) for k in range(1, 8))
_C = tuple((-1.0) ** k / math.factorial(2 * k) for k in range(2, 9))
_S3, _S5, _S7, _S9, _S11, _S13, _S15 = _S
_C4, _C6, _C8, _C10, _C12, _C14, _C16 = _C


@njit(cache=True, inline="always")
def sine(x):
    """sin x for |x| < SINE_LIMIT, branch-free so that loops over elements vectorize (SIMD).

    Reduction by π/2 (Cody–Waite, two parts: r = (x − n·P_hi) − n·P_lo, absolute error ~1e-21
    here), then the Taylor polynomials of sin and cos on |r| ≤ π/4, the quadrant n mod 4
    choosing ± sin r or ± cos r (the cos as w + ((1 − w) − z/2 + …), w = 1 − z/2, so its
    rounding stays below an ulp). Absolute error ≤ 1 ulp of 1 (tested against libm); libm's
    sine (an opaque call) keeps the loop scalar and costs ~3× more per element.
    """
    n = np.rint(x * _TWO_OVER_PI)
    r = (x - n * _PIO2_HI) - n * _PIO2_LO
    z = r * r
    s = r + (r * z) * (_S3 + z * (_S5 + z * (_S7 + z * (_S9 + z * (_S11 + z * (_S13
                                                                          + z * _S15))))))
    hz = 0.5 * z
    w = 1.0 - hz
    c = w + (((1.0 - w) - hz) + (z * z) * (_C4 + z * (_C6 + z * (_C8 + z * (_C10 + z * (
        _C12 + z * (_C14 + z * _C16)))))))
    q = np.int64(n) & 3
    v = s if (q & 1) == 0 else c
    return v if q < 2 else -v


@njit(cache=True)
def drive_table(n0, b, h, omega, stages):
    """sin(Ω τ) at τ = (n0 + k)h + s·h/2 for the steps k < b of a block, s = 0 … stages − 1."""
    hh = 0.5 * h
    out = np.empty((b, 3))
    for k in range(b):
        tau = (n0 + k) * h
        out[k, 0] = math.sin(omega * tau)
        if stages == 3:
            out[k, 1] = math.sin(omega * (tau + hh))
            out[k, 2] = math.sin(omega * (tau + h))
        else:
            out[k, 1] = math.sin(omega * (tau + h))
    return out


@njit(cache=True)
def _slope(sine, v, j, tau, cs, cg, cb, cr, cac, cl, sac, ramp, drive, loop):
    """k = cs·sine + cg·v + cb (+ cr τ + cac sin Ωτ + cl j), the order of steppers._slope_function."""
    out = sine * cs
    out += v * cg
    out += cb
    if ramp:
        out += cr * tau
    if drive:
        out += cac * sac
    if loop:
        out += j * cl
    return out


@njit(cache=True, inline="always")
def _rk4_combine(phi, vel, k1, k2, k3, k4, h, third):
    """(φ, v) after an RK4 step from its stage slopes, in the order of steppers._combine."""
    k2 = k2 + k3
    k1 = k1 + k2
    phi_new = vel * h + phi
    phi_new += k1 * third
    k2 += k1
    k2 += k4
    return phi_new, k2 * (1.0 / 3.0) + vel


@njit(cache=True)
def rk4_block(n0, b, h, P, V, J, cs, cg, cb, cr, cac, cl, ql, qr, sac, ramp, drive, loop):
    """Steps n0 … n0 + b − 1 of classical RK4 from row 0 of P, V, J into rows 1 … b.

    Coefficients are flat arrays of the ensemble size (``cs`` is that of :mod:`.steppers`, the
    sine taken of φ itself as in its direct form); ``sac`` is :func:`drive_table` with 3 stages.
    """
    hh = 0.5 * h
    third = h / 3.0
    n = P.shape[1]
    for k in range(b):          # elements innermost: independent chains overlap in the CPU
        tau = (n0 + k) * h
        for i in range(n):
            csd = 0.5 * cs[i]
            cgi, cbi, cri, caci, cli = cg[i], cb[i], cr[i], cac[i], cl[i]
            phi, vel = P[k, i], V[k, i]
            jj = J[k, i] if loop else 0.0
            k1 = _slope(math.sin(phi), vel, jj, tau, csd, cgi, cbi, cri, caci, cli, sac[k, 0],
                        ramp, drive, loop)
            l1 = vel * ql + jj * qr
            # stages 2 and 3: θ = φ + (h/2) V_prev, V = v + k_prev (V_prev = v, then V2)
            vs, kp, lp = vel, k1, l1
            k2 = l2 = 0.0
            for stage in range(2):
                th = vs * hh + phi
                vs = vel + kp
                js = jj + lp
                kp = _slope(math.sin(th), vs, js, tau + hh, csd, cgi, cbi, cri, caci, cli,
                            sac[k, 1], ramp, drive, loop)
                lp = vs * ql + js * qr
                if stage == 0:
                    k2, l2 = kp, lp
            k3, l3 = kp, lp
            # stage 4: θ = φ + h V3, V4 = v + 2 k3
            th = vs * h + phi
            vs = k3 * 2.0 + vel
            js = l3 * 2.0 + jj
            k4 = _slope(math.sin(th), vs, js, tau + h, csd, cgi, cbi, cri, caci, cli,
                        sac[k, 2], ramp, drive, loop)
            phi_new, vel_new = _rk4_combine(phi, vel, k1, k2, k3, k4, h, third)
            if loop:
                l4 = vs * ql + js * qr
                l2 = l2 + l3
                l2 = l2 + l2
                l2 = l2 + l1
                l2 = l2 + l4
                J[k + 1, i] = l2 * (1.0 / 3.0) + jj
            P[k + 1, i] = phi_new
            V[k + 1, i] = vel_new


@njit(cache=True)
def heun_block(n0, b, h, P, V, J, kick, cs, cg, cb, cr, cac, cl, ql, qr, sac, ramp, drive,
               loop):
    """Steps n0 … n0 + b − 1 of stochastic Heun from row 0 into rows 1 … b.

    ``kick`` (b, n) holds the velocity kicks Δ = σΔW/m of the steps (drawn by the caller);
    ``sac`` is :func:`drive_table` with 2 stages. The sine is sin(2θ)/2 of the half angle
    θ = φ/2, as in :func:`.steppers.make_heun`.
    """
    hh = 0.5 * h
    n = P.shape[1]
    for k in range(b):          # elements innermost: independent chains overlap in the CPU
        tau = (n0 + k) * h
        for i in range(n):
            csi, cgi, cbi, cri, caci, cli = cs[i], cg[i], cb[i], cr[i], cac[i], cl[i]
            phi, vel = P[k, i], V[k, i]
            jj = J[k, i] if loop else 0.0
            th = phi * 0.5
            k0 = _slope(math.sin(th + th) * 0.5, vel, jj, tau, csi, cgi, cbi, cri, caci, cli,
                        sac[k, 0], ramp, drive, loop)
            th = th + vel * hh
            d = kick[k, i]
            vp = k0 * 2.0
            vp = vp + vel
            vp = vp + d
            l0 = vel * ql + jj * qr
            jp = l0 * 2.0 + jj
            k1 = _slope(math.sin(th + th) * 0.5, vp, jp, tau + h, csi, cgi, cbi, cri, caci,
                        cli, sac[k, 1], ramp, drive, loop)
            phi_new = (vel + vp) * hh
            phi_new += phi
            vel_new = k0 + k1
            vel_new += vel
            vel_new += d
            if loop:
                l1 = vp * ql + jp * qr
                J[k + 1, i] = (l0 + l1) + jj
            P[k + 1, i] = phi_new
            V[k + 1, i] = vel_new


@njit(cache=True, inline="always")
def _plain_slope(x, v, cs, cg, cb):
    """cs·sine(x) + cg·v + cb, the order of :func:`_slope` (the plain rows' stage slope)."""
    out = sine(x) * cs
    out += v * cg
    out += cb
    return out


@njit(cache=True)
def _heun_plain_row(h, p0, v0, p1, v1, kick, cs, cg, cb):
    """One stochastic-Heun step of every element (no ramp, drive or loop): rows p0, v0 → p1, v1.

    The stage formulas and their floating-point order are those of :func:`heun_block`; only the
    sine is :func:`sine`, so the loop vectorizes. Returns True if a phase reached SINE_LIMIT
    (the row must then be redone with libm's sine).
    """
    hh = 0.5 * h
    big = False
    for i in range(p0.size):
        csi, cgi, cbi = cs[i], cg[i], cb[i]
        phi, vel = p0[i], v0[i]
        th = phi * 0.5
        x = th + th
        big |= abs(x) >= SINE_LIMIT
        k0 = _plain_slope(x, vel, 0.5 * csi, cgi, cbi)
        th = th + vel * hh
        d = kick[i]
        vp = k0 * 2.0
        vp = vp + vel
        vp = vp + d
        x = th + th
        big |= abs(x) >= SINE_LIMIT
        k1 = _plain_slope(x, vp, 0.5 * csi, cgi, cbi)
        phi_new = (vel + vp) * hh
        phi_new += phi
        vel_new = k0 + k1
        vel_new += vel
        vel_new += d
        p1[i] = phi_new
        v1[i] = vel_new
    return big


@njit(cache=True)
def heun_plain_block(n0, b, h, P, V, kick, cs, cg, cb):
    """:func:`heun_block` for the undriven, unramped, loop-free equation (the noisy DC I–V):
    steps n0 … n0 + b − 1 from row 0 of P, V into rows 1 … b, SIMD over the elements.

    Returns the steps done: b, or the first row k from which some phase reached SINE_LIMIT —
    rows 1 … k are done, and the caller continues from row k with :func:`heun_block` (libm's
    sine, exact reduction for any phase), so a result never depends on the reduction's range.
    The general kernel is called by the caller, not from here: it is not compiled into this one.
    """
    for k in range(b):
        if _heun_plain_row(h, P[k], V[k], P[k + 1], V[k + 1], kick[k], cs, cg, cb):
            return k
    return b


@njit(cache=True)
def _rk4_plain_row(h, p0, v0, p1, v1, cs, cg, cb):
    """One classical RK4 step of every element (no ramp, drive or loop): rows p0, v0 → p1, v1.

    The stage formulas and their floating-point order are those of :func:`rk4_block`; only the
    sine is :func:`sine`, so the loop vectorizes. Returns True if a stage's phase reached
    SINE_LIMIT (the row must then be redone with libm's sine).
    """
    hh = 0.5 * h
    third = h / 3.0
    big = False
    for i in range(p0.size):
        csd, cgi, cbi = 0.5 * cs[i], cg[i], cb[i]
        phi, vel = p0[i], v0[i]
        big |= abs(phi) >= SINE_LIMIT
        k1 = _plain_slope(phi, vel, csd, cgi, cbi)
        # stages 2 and 3: θ = φ + (h/2) V_prev, V = v + k_prev (V_prev = v, then V2)
        th = vel * hh + phi
        v2 = vel + k1
        big |= abs(th) >= SINE_LIMIT
        k2 = _plain_slope(th, v2, csd, cgi, cbi)
        th = v2 * hh + phi
        v3 = vel + k2
        big |= abs(th) >= SINE_LIMIT
        k3 = _plain_slope(th, v3, csd, cgi, cbi)
        # stage 4: θ = φ + h V3, V4 = v + 2 k3
        th = v3 * h + phi
        v4 = k3 * 2.0 + vel
        big |= abs(th) >= SINE_LIMIT
        k4 = _plain_slope(th, v4, csd, cgi, cbi)
        p1[i], v1[i] = _rk4_combine(phi, vel, k1, k2, k3, k4, h, third)
    return big


@njit(cache=True)
def rk4_plain_block(n0, b, h, P, V, cs, cg, cb):
    """:func:`rk4_block` for the undriven, unramped, loop-free equation (the noiseless DC I–V):
    steps n0 … n0 + b − 1 from row 0 of P, V into rows 1 … b, SIMD over the elements. Returns
    the steps done, as :func:`heun_plain_block` (the rest is :func:`rk4_block`'s)."""
    for k in range(b):
        if _rk4_plain_row(h, P[k], V[k], P[k + 1], V[k + 1], cs, cg, cb):
            return k
    return b
