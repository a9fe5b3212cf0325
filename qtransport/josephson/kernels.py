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

__all__ = ["rk4_block", "heun_block", "drive_table"]


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
            # combine (steppers._combine)
            k2 = k2 + k3
            k1 = k1 + k2
            phi_new = vel * h + phi
            phi_new += k1 * third
            k2 += k1
            k2 += k4
            vel_new = k2 * (1.0 / 3.0) + vel
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
