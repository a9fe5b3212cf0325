"""Exact thermally rounded DC I–V of the overdamped junction (Ambegaokar–Halperin).

For β_c → 0 the reduced RCSJ equation of :mod:`.rcsj` is first order,

    dφ/dτ = i − sin φ + i_n(τ),   ⟨i_n(τ) i_n(τ')⟩ = 2Γ δ(τ − τ'),   Γ = k_BT/E_J,

Brownian motion in the tilted washboard U(φ) = −cos φ − iφ with diffusion constant Γ. The noise
strength is that of the shunt's Johnson current: the one-sided spectral density S_I = 4k_BT/R,
i.e. ⟨δI(t)δI(t')⟩ = (2k_BT/R) δ(t − t'), gives in units of I_c and τ = ω_c t
(ω_c = 2eI_cR/ħ) ⟨i_n i_n'⟩ = 2k_BT·2e/(ħI_c) δ(τ − τ') = 2Γ δ(τ − τ') — the convention of
:func:`.rcsj.reduced_problem` (σ = √(2gΓ)).

Its stationary mean velocity ⟨φ̇⟩ = ⟨V⟩/(I_cR) is exact (Ambegaokar & Halperin, PRL 22, 1364
(1969); Ivanchenko & Zil'berman, JETP 28, 1272 (1969); Stratonovich's formula):

    ⟨φ̇⟩ = 2πΓ (1 − e^{−2πi/Γ}) / ∫₀^{2π}dx ∫₀^{2π}dy exp{[U(x) − U(x − y)]/Γ}.

It is computed here from the stationary Fokker–Planck equation Γp'' = ∂_φ[(i − sin φ)p] in
Fourier space, p(φ) = Σ_k c_k e^{ikφ}: the probability current J = (i − sin φ)p − Γp' is
constant, and every mode k ≠ 0 gives (i − iΓk)c_k = (c_{k−1} − c_{k+1})/2i. The ratios
S_k = c_k/c_{k−1} are the continued fraction S_k = 1/(2Γk + 2i·i + S_{k+1}) (minimal solution,
evaluated backwards, which is numerically stable), and the k = 0 mode gives J = (i + Im S₁)/2π:

    ⟨φ̇⟩ = 2πJ = i + Im S₁.

The terms 2Γk dominate for k ≫ (1 + |i|)/Γ, after which the tail's truncation error falls
factorially; :func:`ambegaokar_halperin_voltage` truncates at
K = 40 + 8(1 + |i|)/Γ + 4/√Γ terms, where doubling K changes the result by < 1e-13 (tested). The
limits are exact: Γ → 0 gives √(i² − 1) above i = 1 and 0 below, Γ → ∞ or |i| → ∞ give i,
and deep below i = 1 (Γ ≪ ΔU) the voltage is the net Kramers rate of overdamped escape
over the barrier ΔU = 2(√(1 − i²) − i arccos i),
⟨φ̇⟩ ≈ √(1 − i²) e^{−ΔU/Γ} (1 − e^{−2πi/Γ}), to a relative O(Γ/ΔU) (tested).
Accuracy: absolute ~1e-15 (the result is i + Im S₁, so values below ~1e-13 are round-off).

Examples
--------
>>> from qtransport.josephson.thermal_iv import ambegaokar_halperin_voltage
>>> round(float(ambegaokar_halperin_voltage(2.0, 1e-4)), 4)    # ≈ √3: nearly noise-free
1.7321
>>> round(float(ambegaokar_halperin_voltage(1.0, 0.05)), 3)
0.293
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import check_array, check_int, check_work

__all__ = ["ambegaokar_halperin_voltage", "continued_fraction_terms", "MAX_TERMS"]

#: most continued-fraction terms of one evaluation (Γ ≳ 1e-7 at |i| ≲ 10)
MAX_TERMS = 10**8


def continued_fraction_terms(bias, noise) -> np.ndarray:
    """Default truncation K of the continued fraction: 40 + 8(1 + |i|)/Γ + 4/√Γ, per point.

    Beyond k ≈ (1 + |i|)/Γ the terms 2Γk dominate and the truncation error of S₁ falls like a
    product of ratios ≲ 1/(2Γk)²; 8× that point leaves it below double precision. The 4/√Γ is
    the width of the density's Fourier spectrum at the bottom of a deep well (p ∝ e^{cos φ/Γ}
    has c_k ∝ I_k(1/Γ), significant up to k ~ 1/√Γ).

    Parameters
    ----------
    bias : array_like
        Reduced bias i = I/I_c.
    noise : array_like
        Γ = k_BT/E_J (> 0).

    Returns
    -------
    numpy.ndarray of int
        K per (broadcast) point.

    Examples
    --------
    K = ⌈40 + 8(1 + 1)/0.1 + 4/√0.1⌉ = ⌈212.65⌉:

    >>> continued_fraction_terms(1.0, 0.1).tolist()
    213
    """
    i = np.abs(np.asarray(bias, dtype=float))
    g = np.asarray(noise, dtype=float)
    return np.ceil(40 + 8 * (1 + i) / g + 4 / np.sqrt(g)).astype(np.int64)


def ambegaokar_halperin_voltage(bias, noise, *, terms: int | None = None):
    """Mean DC voltage ⟨V⟩/(I_cR) of the overdamped junction with thermal noise (exact).

    Parameters
    ----------
    bias : array_like
        Reduced bias i = I/I_c (dimensionless, finite).
    noise : array_like
        Reduced temperature Γ = k_BT/E_J = 2e k_BT/(ħI_c) (dimensionless, > 0), broadcast with
        ``bias``. For a junction: ``k_B * T / junction.josephson_energy_J``.
    terms : int, optional
        Continued-fraction terms K (≥ 1) for every point; default
        :func:`continued_fraction_terms` (converged to < 1e-13).

    Returns
    -------
    numpy.ndarray
        ⟨dφ/dτ⟩ = ⟨V⟩/(I_cR), the broadcast shape of ``bias`` and ``noise``; odd in the bias.

    Raises
    ------
    ValueError
        `bias` not finite, `noise` not > 0 (or not finite), `terms` < 1, or more than
        :data:`MAX_TERMS` terms needed (``WorkLimitError``: Γ too small).
    TypeError
        `bias`/`noise` not real arrays, `terms` not an int.

    Notes
    -----
    Backward continued fraction of the stationary Fokker–Planck equation (module docstring);
    vectorized over the points, one loop over k. For i < 0 the result is −v(|i|) (evaluated
    at |i|, so the odd symmetry is exact).

    Examples
    --------
    Ohmic at high bias (⟨V⟩ → IR, here √(i² − 1) ≈ i − 1/2i), ohmic at high temperature, odd in
    the bias, and thermally activated deep below the critical current (V ∝ e^{−ΔU/Γ}):

    >>> import math
    >>> bool(abs(ambegaokar_halperin_voltage(20.0, 0.1) / 20.0 - 1) < 2e-3)   # V/(I_c R) → i
    True
    >>> bool(abs(ambegaokar_halperin_voltage(0.5, 1e3) / 0.5 - 1) < 1e-5)
    True
    >>> v = ambegaokar_halperin_voltage([-1.5, 1.5], 0.2)
    >>> bool(v[0] == -v[1])
    True
    >>> i, g = 0.5, 0.05                                     # ΔU/Γ ≈ 14
    >>> du = 2 * (math.sqrt(1 - i**2) - i * math.acos(i))
    >>> kramers = math.sqrt(1 - i**2) * math.exp(-du / g) * (1 - math.exp(-2 * math.pi * i / g))
    >>> bool(abs(ambegaokar_halperin_voltage(i, g) / kramers - 1) < 0.05)   # O(Γ/ΔU)
    True
    """
    shape = np.broadcast_shapes(np.shape(bias), np.shape(noise))
    i = check_array("bias", bias)
    g = check_array("noise", noise, low=0.0, low_open=True)
    i, g = np.broadcast_arrays(i, g)
    sign = np.sign(i)
    a = np.abs(i).ravel()
    gf = g.ravel().astype(float)
    if terms is None:
        k_max = int(continued_fraction_terms(a, gf).max(initial=1))
    else:
        k_max = check_int("terms", terms, low=1)
    check_work("terms", float(k_max), MAX_TERMS, unit="continued-fraction terms",
               hint=f"smallest noise Γ = {float(gf.min(initial=np.inf)):.3g}")
    s = np.zeros(a.shape, dtype=complex)
    shift = 2j * a
    for k in range(k_max, 0, -1):
        s = 1.0 / (2.0 * gf * k + shift + s)
    v = a + s.imag
    return (sign.ravel() * np.maximum(v, 0.0)).reshape(shape)
