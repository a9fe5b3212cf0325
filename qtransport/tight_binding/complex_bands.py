"""Complex band structure: evanescent states in a gap and the decay constant per layer.

A barrier material described by a tight-binding model is periodic along the tunneling direction
(a lattice axis: the layer stacking of a 3-D model, or an in-plane axis of a 2-D model/ribbon).
At fixed energy E and transverse wave vector, Bloch's theorem with a complex k,
ψ_{n+1} = λ ψ_n, λ = e^{ik d}, turns H ψ = E ψ into the polynomial eigenvalue problem

    Σ_{n=−N}^{N} h_n λ^n ψ = E ψ,

where h_n are the chain blocks (:meth:`TightBindingModel.chain_blocks`) or a Kwant lead's
``cell_hamiltonian`` (h_0) and ``inter_cell_hopping`` (h_±1). It is linearized to a generalized
eigenproblem of size 2N·n_orb (companion form) and solved with LAPACK (``scipy.linalg.eig``,
homogeneous eigenvalues, so singular h_±N give harmless infinite/zero λ). Propagating states have
|λ| = 1; the evanescent ones decay by κ = |ln|λ|| per layer, and the slowest one, κ_min(E), sets
tunneling through n layers: T ∝ exp(−2 κ_min n).

The effective-mass estimate κ = √(2m*φ)/ħ, with m* from the band curvature at the band edge and
φ the distance to it, is exact only near the edge (:func:`effective_mass_decay`);
:func:`two_band_decay_per_layer` gives the exact answer for the h-BN-like two-band model.

References: V. Heine, Proc. Phys. Soc. 81, 300 (1963); Y.-C. Chang, Phys. Rev. B 25, 605 (1982);
Tisseur & Meerbergen, SIAM Rev. 43, 235 (2001) (linearization).

Examples
--------
>>> from qtransport.tight_binding import wannier, complex_bands
>>> m = wannier.example("hbn_like")
>>> kappa = complex_bands.decay_per_layer(m, [0.0], axis=0, transverse_k_reduced=(0, 1/3, 0))
>>> round(float(kappa[0]), 6)
1.053394
"""
from __future__ import annotations

import logging
from typing import Mapping, Sequence

import numpy as np
import scipy.linalg
from scipy.optimize import minimize_scalar

from ..constants import eV, hbar, m_e, nm
from ..errors import check_array, check_choice, check_int, check_real
from ..errors import MAX_EFFECTIVE_MASS, MAX_ENERGY_EV
from ..registry import Param, register
from ..results import Result
from .tb_model import TightBindingModel
from .tunneling import Barrier, DecayTable

__all__ = ["bloch_factors", "complex_band_structure", "decay_per_layer", "lead_blocks",
           "layer_spacing_nm", "band_edges", "effective_mass_decay", "two_band_decay_per_layer",
           "equivalent_barrier_height_eV", "valley_k_reduced", "decay_table",
           "complex_band_barrier", "decay_constant", "barrier_transmission", "PROPAGATING_TOL"]

logger = logging.getLogger(__name__)

#: |ln|λ|| below this counts as a propagating state (the eigensolver's relative accuracy is
#: ~1e-13 for well-conditioned blocks; 1e-7 leaves a wide margin and is far below any gap decay).
PROPAGATING_TOL = 1e-7


def _as_blocks(blocks: Mapping[int, np.ndarray]) -> tuple[int, dict[int, np.ndarray]]:
    if not blocks or 0 not in blocks:
        raise ValueError("blocks must contain the on-site block h_0")
    blocks = {int(n): np.atleast_2d(np.asarray(b, dtype=complex)) for n, b in blocks.items()}
    size = blocks[0].shape[0]
    for n, b in blocks.items():
        if b.shape != (size, size):
            raise ValueError(f"block h_{n} has shape {b.shape}, expected ({size}, {size})")
        if -n not in blocks and np.any(b):
            raise ValueError(f"block h_{n} has no partner h_{-n} (the chain must be Hermitian)")
    N = max(abs(n) for n in blocks)
    if N == 0:
        raise ValueError("blocks need at least one inter-layer block h_1 (nothing to decay along)")
    return N, blocks


def bloch_factors(blocks: Mapping[int, np.ndarray], energy_eV: float) -> np.ndarray:
    """All finite, nonzero Bloch factors λ = e^{ikd} solving Σ_n h_n λ^n ψ = E ψ.

    Parameters
    ----------
    blocks : mapping int → (n, n) array
        Chain blocks h_n (eV), h_{−n} = h_n^†.
    energy_eV : float
        Energy E in eV.

    Returns
    -------
    ndarray of complex
        λ sorted by decay |ln|λ|| (propagating first). Infinite and zero λ (from singular h_±N)
        are dropped.

    Raises
    ------
    ValueError
        If an argument is invalid: `energy_eV` must be >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number.

    Notes
    -----
    With A_j = h_{j−N} − E δ_{jN} (j = 0 … 2N) and x = (ψ, λψ, …, λ^{2N−1}ψ), the companion
    pencil L0 x = λ L1 x has L1 = diag(1, …, 1, A_{2N}) and L0 the block shift with last block row
    (−A_0, …, −A_{2N−1}).

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> blocks = wannier.example('chain').chain_blocks(0)
    >>> lam = bloch_factors(blocks, 0.0)
    >>> lam.size > 0
    True
    """
    E = check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    N, h = _as_blocks(blocks)
    size = h[0].shape[0]
    deg = 2 * N
    A = [h.get(j - N, np.zeros((size, size))) - (E * np.eye(size) if j == N else 0)
         for j in range(deg + 1)]
    L0 = np.zeros((deg * size, deg * size), dtype=complex)
    L1 = np.eye(deg * size, dtype=complex)
    L0[: (deg - 1) * size, size:] = np.eye((deg - 1) * size)
    L0[(deg - 1) * size:, :] = -np.hstack(A[:deg])
    L1[(deg - 1) * size:, (deg - 1) * size:] = A[deg]
    alpha, beta = scipy.linalg.eigvals(L0, L1, homogeneous_eigvals=True)
    scale = max(1.0, max(float(np.max(np.abs(b))) for b in h.values()))
    ok = (np.abs(beta) > 1e-12 * scale) & (np.abs(alpha) > 1e-12 * scale)
    lam = alpha[ok] / beta[ok]
    return lam[np.argsort(np.abs(np.log(np.abs(lam))))]


def complex_band_structure(blocks: Mapping[int, np.ndarray], energies_eV) -> tuple[np.ndarray,
                                                                                     np.ndarray]:
    """Re k·d and κ = |ln|λ|| per layer of every state at every energy.

    Parameters
    ----------
    blocks : mapping of int to numpy.ndarray
        Chain blocks h_n (eV) between cells n apart.
    energies_eV : array_like
        Energies, eV.

    Returns
    -------
    real_k, kappa : ndarray, shape (n_E, n_states)
        Phase per layer (rad, in (−π, π]) and decay per layer of each solution, sorted by κ;
        rows are padded with NaN when some λ are infinite at that energy.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> blocks = wannier.example('chain').chain_blocks(0)
    >>> k_re, k_im = complex_band_structure(blocks, [0.0, 1.0])
    >>> k_re.shape[0], k_im.shape[0]
    (2, 2)
    """
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    sols = [bloch_factors(blocks, float(e)) for e in E]
    width = max(len(s) for s in sols)
    real_k = np.full((E.size, width), np.nan)
    kappa = np.full((E.size, width), np.nan)
    for i, lam in enumerate(sols):
        real_k[i, : lam.size] = np.angle(lam)
        kappa[i, : lam.size] = np.abs(np.log(np.abs(lam)))
    return real_k, kappa


def _smallest_decay(blocks, energies) -> np.ndarray:
    out = np.empty(len(energies))
    for i, e in enumerate(energies):
        k = np.abs(np.log(np.abs(bloch_factors(blocks, float(e)))))
        out[i] = 0.0 if k.size and k[0] < PROPAGATING_TOL else (k[0] if k.size else np.inf)
    return out


def decay_per_layer(model: TightBindingModel, energies_eV, axis: int = 0,
                    transverse_k_reduced: Sequence[float] = (0.0, 0.0, 0.0)) -> np.ndarray:
    """Smallest decay constant κ_min(E) per layer (per cell along lattice ``axis``).

    Parameters
    ----------
    model : TightBindingModel
        The barrier material.
    energies_eV : array_like
        Energies (eV) in the model's zero.
    axis : int
        Lattice axis of the tunneling direction (must be periodic in the model).
    transverse_k_reduced : (3,) array_like
        Conserved transverse wave vector (reduced units; the ``axis`` component is ignored).

    Returns
    -------
    ndarray
        κ_min per layer (dimensionless: the amplitude falls by e^{−κ} per cell); 0 where a state
        propagates at that energy.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> k = decay_per_layer(wannier.example('hbn_like'), [0.0])
    >>> bool(k[0] > 0)
    True
    """
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    ax = _check_axis(model, axis)
    return _smallest_decay(model.chain_blocks(ax, transverse_k_reduced), E)


def lead_blocks(lead, params: dict | None = None) -> dict[int, np.ndarray]:
    """Chain blocks {0: h_cell, 1: V, −1: V^†} of a finalized Kwant lead (ribbon or wire).

    Parameters
    ----------
    lead : kwant.system.InfiniteSystem
        Finalized Kwant lead.
    params : dict, optional
        Parameters of its value functions.

    Returns
    -------
    dict of int to numpy.ndarray
        {0: h_cell, 1: V, −1: V†}, eV, each square of the cell's orbital count.
    """
    h0 = lead.cell_hamiltonian(params=params)
    v = lead.inter_cell_hopping(params=params)
    n = h0.shape[0]
    if v.shape[1] != n:  # Kwant stores only the interface columns: pad to the full cell
        full = np.zeros((n, n), dtype=complex)
        full[:, : v.shape[1]] = v
        v = full
    return {0: h0, 1: v, -1: v.conj().T}


def layer_spacing_nm(model: TightBindingModel, axis: int) -> float:
    """Distance between lattice planes normal to the tunneling direction: d = 2π/|b_axis| (nm).

    The decay κ per layer becomes κ/d per nm (the evanescent wave varies along b_axis).

    Parameters
    ----------
    model : TightBindingModel
        The material (with lattice vectors).
    axis : int
        Tunneling axis (a periodic axis, 0–2).

    Returns
    -------
    float
        Layer spacing d, nm.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> round(layer_spacing_nm(wannier.example('chain'), 0), 3)
    0.3
    """
    ax = _check_axis(model, axis)
    return float(2 * np.pi / np.linalg.norm(model.reciprocal_vectors_per_nm()[ax]))


def _check_axis(model: TightBindingModel, axis: int) -> int:
    ax = check_int("axis", axis, low=0, high=2)
    if ax not in model.periodic_axes:
        raise ValueError(f"axis must be a periodic axis of the model {model.periodic_axes}, got {ax}")
    return ax


def _band_and_curvature(blocks, theta: float, band: int) -> tuple[float, float]:
    """E_b(θ) and d²E_b/dθ² (eV/rad²) by second-order perturbation theory (non-degenerate band)."""
    H = sum(b * np.exp(1j * n * theta) for n, b in blocks.items())
    d1 = sum(1j * n * b * np.exp(1j * n * theta) for n, b in blocks.items())
    d2 = sum(-(n ** 2) * b * np.exp(1j * n * theta) for n, b in blocks.items())
    w, v = np.linalg.eigh(H)
    psi = v[:, band]
    curv = float(np.real(psi.conj() @ d2 @ psi))
    for m in range(len(w)):
        if m != band:
            curv += 2 * abs(v[:, m].conj() @ d1 @ psi) ** 2 / (w[band] - w[m])
    return float(w[band]), curv


def band_edges(model: TightBindingModel, energy_eV: float, axis: int = 0,
               transverse_k_reduced: Sequence[float] = (0.0, 0.0, 0.0), n_k: int = 361) -> dict:
    """Valence maximum and conduction minimum along ``axis`` around a gap energy, with curvatures.

    Parameters
    ----------
    model : TightBindingModel
        The material.
    energy_eV : float
        An energy inside the gap, eV; bands below it are "valence", above it "conduction".
    axis : int, optional
        Lattice axis (a periodic axis, 0–2).
    transverse_k_reduced : (3,) array_like, optional
        Conserved transverse wave vector, reduced units.
    n_k : int
        Grid points over the 1-D zone before the bounded refinement of each extremum.

    Returns
    -------
    dict
        ``valence_eV``, ``conduction_eV``, ``theta_v``, ``theta_c`` (phase per layer at the
        extrema), ``curvature_v``, ``curvature_c`` (d²E/dθ², eV/rad²), ``mass_v``, ``mass_c``
        (|m*|/m_e along the tunneling direction: m* = ħ²/(E'' d²)).

    Raises
    ------
    ValueError
        If an argument is invalid: `energy_eV` must be >= -1000 and <= 1000 and lie in a gap along
        `axis` at this transverse k (not below or above all bands); `n_k` must be >= 8.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number; `n_k` is not an
        integer.
    """
    E0 = check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    ax = _check_axis(model, axis)
    blocks = model.chain_blocks(ax, transverse_k_reduced)
    grid = np.linspace(-np.pi, np.pi, check_int("n_k", n_k, low=8), endpoint=False)
    bands = np.array([np.linalg.eigvalsh(sum(b * np.exp(1j * n * t) for n, b in blocks.items()))
                      for t in grid])
    below = bands < E0
    if np.any(np.any(below, axis=0) & np.any(~below, axis=0)):
        raise ValueError(f"energy_eV = {E0} is not in a gap along axis {ax} at this transverse k")
    nv = int(below[0].sum())
    if nv == 0 or nv == bands.shape[1]:
        raise ValueError(f"energy_eV = {E0} lies below or above all bands: no gap edges")
    out = {}
    for tag, band, sign in (("v", nv - 1, -1.0), ("c", nv, 1.0)):
        start = grid[np.argmin(sign * bands[:, band])]
        step = 2 * np.pi / len(grid)
        res = minimize_scalar(lambda t: sign * _band_and_curvature(blocks, t, band)[0],
                              bounds=(start - step, start + step), method="bounded",
                              options={"xatol": 1e-10})
        energy, curv = _band_and_curvature(blocks, float(res.x), band)
        out.update({f"theta_{tag}": float(res.x), f"curvature_{tag}": curv})
        out["valence_eV" if tag == "v" else "conduction_eV"] = energy
        d = layer_spacing_nm(model, ax) * nm
        out[f"mass_{tag}"] = float(hbar ** 2 / (abs(curv) * eV * d ** 2) / m_e)
    return out


def effective_mass_decay(edges: Mapping[str, float], energies_eV) -> dict[str, np.ndarray]:
    """Effective-mass decay per layer κ = √(2m*φ)/ħ · d = √(2φ/|E''|) from :func:`band_edges`.

    Returns ``electron`` (φ = E_c − E, conduction-band mass), ``hole`` (φ = E − E_v) and
    ``nearest`` (the smaller of the two, i.e. the band the effective-mass picture would use).

    Parameters
    ----------
    edges : mapping of str to float
        :func:`band_edges` output (``conduction_eV``, ``valence_eV``, ``curvature_c``,
        ``curvature_v``).
    energies_eV : array_like
        Energies, eV.

    Returns
    -------
    dict of str to numpy.ndarray
        κ per layer (dimensionless) for ``electron``, ``hole`` and ``nearest``.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.
    """
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    phi_c = np.clip(edges["conduction_eV"] - E, 0.0, None)
    phi_v = np.clip(E - edges["valence_eV"], 0.0, None)
    electron = np.sqrt(2 * phi_c / abs(edges["curvature_c"]))
    hole = np.sqrt(2 * phi_v / abs(edges["curvature_v"]))
    return {"electron": electron, "hole": hole, "nearest": np.minimum(electron, hole)}


def two_band_decay_per_layer(energies_eV, hopping_eV: float, onsite_eV: float,
                             transverse_phase_rad: float) -> np.ndarray:
    """Exact decay per layer of the two-band honeycomb model along a1 at fixed k·a2.

    Parameters
    ----------
    energies_eV : array_like
        Energies in the gap, eV (0 = mid-gap).
    hopping_eV : float
        Nearest-neighbour hopping t, eV (> 0).
    onsite_eV : float
        Half gap Δ (on-site ±Δ), eV.
    transverse_phase_rad : float
        θ2 = k·a2, rad (not π).

    Returns
    -------
    numpy.ndarray
        κ per layer, dimensionless.

    Raises
    ------
    ValueError
        ``transverse_phase_rad`` = π (decoupled chain).

    Notes
    -----
    For :func:`~qtransport.tight_binding.tb_examples.honeycomb`, H_AB = −t(1 + λ^{−1} + e^{−iθ2})
    and H_BA = −t(1 + λ + e^{iθ2}) with λ = e^{ik·a1}, θ2 = k·a2. The determinant condition
    (Δ − E)(−Δ − E) − H_AB H_BA = 0 gives, with c = 1 + e^{iθ2} = |c| e^{iφ} and μ = λ e^{−iφ},

        E² − Δ² = t² (1 + |c|² + |c|(μ + 1/μ)).

    Evanescent solutions in the gap have μ = −e^{∓κ} (the band extremum along a1 is at μ = −1),
    so μ + 1/μ = −2 cosh κ and

        cosh κ = [1 + |c|² + (Δ² − E²)/t²] / (2|c|),   |c| = 2|cos(θ2/2)|.

    In the K valley (θ2 = ±2π/3, |c| = 1): cosh κ = 1 + (Δ² − E²)/(2t²); at mid-gap (E = 0)
    κ = arccosh(1 + Δ²/2t²). Near the band edge (E → Δ) κ² ≈ 2Δ(Δ − E)/t², which is the
    effective-mass result √(2m*φ)/ħ · d with m* = Δ/v_F², ħv_F = (√3/2) t a, d = √3a/2.

    Examples
    --------
    >>> import math
    >>> round(float(two_band_decay_per_layer([0.0], 2.0, 2.0, 2 * math.pi / 3)[0]), 4)
    0.9624
    """
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    t = check_real("hopping_eV", hopping_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    d = check_real("onsite_eV", onsite_eV)
    c = 2 * abs(np.cos(check_real("transverse_phase_rad", transverse_phase_rad) / 2))
    if c == 0:
        raise ValueError("transverse_phase_rad = π decouples the chain (|c| = 0): no decay defined")
    return np.arccosh((1 + c ** 2 + (d ** 2 - E ** 2) / t ** 2) / (2 * c))


def equivalent_barrier_height_eV(kappa_per_nm, effective_mass: float) -> np.ndarray:
    """Barrier height φ = ħ²κ²/(2m*) (eV) that gives decay κ in the effective-mass picture.

    This matches κ at one energy only; :func:`complex_band_barrier` hands the whole κ(E) to
    the tunneling module instead.

    Parameters
    ----------
    kappa_per_nm : array_like
        Decay constants κ, 1/nm (≥ 0).
    effective_mass : float
        m*/m_e (> 0).

    Returns
    -------
    numpy.ndarray
        φ, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `kappa_per_nm` must be an array of finite numbers >= 0;
        `effective_mass` must be > 0 and <= 1000.
    TypeError
        If an argument has the wrong type: `effective_mass` is not a real number;
        `kappa_per_nm` is not an array of real numbers.

    Examples
    --------
    >>> [round(float(x), 4) for x in equivalent_barrier_height_eV([5.1232], 1.0)]
    [1.0]
    """
    k = check_array("kappa_per_nm", kappa_per_nm, low=0.0) / nm
    m = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS) * m_e
    return (hbar * k) ** 2 / (2 * m) / eV


def valley_k_reduced(model: TightBindingModel, valley: str) -> np.ndarray:
    """Reduced k of the ``"gamma"`` point or the ``"K"`` corner of a hexagonal 2-D zone.

    Parameters
    ----------
    model : TightBindingModel
        The material (a 2-D hexagonal lattice for ``"K"``).
    valley : {"gamma", "K"}
        Which point.

    Returns
    -------
    numpy.ndarray
        Reduced k, shape (3,).

    Raises
    ------
    ValueError
        ``"K"`` for a model that is not 2-D hexagonal.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> valley_k_reduced(wannier.example('graphene'), 'K').round(4).tolist()
    [0.3333, -0.3333, 0.0]
    """
    check_choice("valley", valley, ("gamma", "K"))
    k = np.zeros(3)
    if valley == "gamma":
        return k
    axes = model.periodic_axes
    lat = model._require_lattice()
    if len(axes) != 2:
        raise ValueError(f"valley 'K' needs a 2-D hexagonal model, periodic axes are {axes}")
    a1, a2 = lat[axes[0]], lat[axes[1]]
    cos = a1 @ a2 / np.linalg.norm(a1) / np.linalg.norm(a2)
    if not (np.isclose(np.linalg.norm(a1), np.linalg.norm(a2)) and np.isclose(abs(cos), 0.5)):
        raise ValueError("valley 'K' needs a hexagonal lattice (|a1| = |a2| at 60° or 120°)")
    k[axes[0]], k[axes[1]] = (1 / 3, -1 / 3) if cos > 0 else (1 / 3, 1 / 3)
    return k


def _transverse_k(model: TightBindingModel, valley: str, transverse_k_reduced) -> np.ndarray:
    if transverse_k_reduced is None:
        return valley_k_reduced(model, valley)
    k = check_array("transverse_k_reduced", transverse_k_reduced, ndim=1)
    if k.size != 3:
        raise ValueError(f"transverse_k_reduced must have 3 components, got {k.size}")
    return k


def decay_table(model: TightBindingModel, axis: int = 0,
                transverse_k_reduced: Sequence[float] = (0.0, 0.0, 0.0), *,
                carrier: str = "electron", energy_in_gap_eV: float = 0.0,
                n_points: int = 401) -> DecayTable:
    """κ_min per nm versus depth below a band edge, across the whole gap, for the tunneling module.

    Parameters
    ----------
    model : TightBindingModel
        Barrier material.
    axis : int, optional
        Lattice axis of tunneling (a periodic axis, 0–2).
    transverse_k_reduced : (3,) array_like, optional
        Conserved transverse wave vector, reduced units (see :func:`decay_per_layer`).
    carrier : {"electron", "hole"}
        Depth φ below the conduction minimum (E = E_c − φ) or above the valence maximum
        (E = E_v + φ).
    energy_in_gap_eV : float
        Any energy inside the gap (model zero), to locate the band edges.
    n_points : int
        Depths tabulated (Chebyshev–Lobatto nodes on [0, E_g]).

    Returns
    -------
    DecayTable
        κ(φ) in 1/nm for φ ∈ [0, E_g], 0 at both band edges; ``band_edge_mass`` is the mass of the
        band edge along ``axis`` (:func:`band_edges`), the one the effective-mass picture uses.

    Raises
    ------
    ValueError
        If an argument is invalid: `carrier` must be one of ``('electron', 'hole')``;
        `energy_in_gap_eV` must be finite; `energy_in_gap_eV` must lie inside a gap of the model.
    TypeError
        If an argument has the wrong type: `energy_in_gap_eV` is not a real number.

    Notes
    -----
    κ² is interpolated linearly between nodes; for ``hbn_like`` with 401 nodes the relative error
    in κ is < 1e-5 everywhere in the gap (test_complex_bands.py).
    """
    check_choice("carrier", carrier, ("electron", "hole"))
    ax = _check_axis(model, axis)
    k_t = np.asarray(transverse_k_reduced, dtype=float)
    e_gap = check_real("energy_in_gap_eV", energy_in_gap_eV)
    try:
        edges = band_edges(model, e_gap, ax, k_t)
    except ValueError as exc:
        raise ValueError(f"energy_in_gap_eV = {e_gap} must lie inside a gap of the model: "
                         f"{exc}") from None
    gap = edges["conduction_eV"] - edges["valence_eV"]
    d = layer_spacing_nm(model, ax)
    electron = carrier == "electron"

    def kappa_per_nm(phi):
        energies = edges["conduction_eV"] - phi if electron else edges["valence_eV"] + phi
        kappa = decay_per_layer(model, energies, ax, k_t) / d
        kappa[[0, -1]] = 0.0          # exactly at the band edges (the solver leaves ~1e-8)
        return kappa
    mass = edges["mass_c" if electron else "mass_v"]
    source = (f"complex band structure ({model.comment.strip() or 'tight-binding model'}), "
              f"axis {ax}, k_t = {np.round(k_t, 6).tolist()}, {carrier}")
    return DecayTable.from_function(kappa_per_nm, gap, n_points, mass, source)


def complex_band_barrier(model: TightBindingModel, n_layers: int, height_eV: float, *,
                         axis: int = 0, valley: str = "K", transverse_k_reduced=None,
                         carrier: str = "electron", energy_in_gap_eV: float = 0.0,
                         n_points: int = 401, **barrier_kwargs) -> Barrier:
    """A :class:`~qtransport.tight_binding.tunneling.Barrier` of ``n_layers`` cells of ``model``
    whose WKB decay comes from its complex band structure instead of (height, mass).

    Parameters
    ----------
    model : TightBindingModel
        Barrier material (e.g. ``wannier.example("hbn_like")``).
    n_layers : int
        Number of cells along ``axis``, each :func:`layer_spacing_nm` thick.
    height_eV : float
        Band edge (conduction for electrons) at the left interface, eV above the left
        electrode's band bottom: the band alignment, still an input.
    axis : int, optional
        Lattice axis of tunneling (a periodic axis, 0–2).
    valley : {"K", "gamma"}, optional
        Transverse k (:func:`valley_k_reduced`), used when ``transverse_k_reduced`` is not
        given.
    transverse_k_reduced : (3,) array_like, optional
        Conserved transverse wave vector, reduced units.
    carrier : {"electron", "hole"}, optional
        Tunnel below the conduction band or above the valence band (:func:`decay_table`).
    energy_in_gap_eV : float, optional
        Any energy inside the gap (model zero), eV.
    n_points : int, optional
        Depths of the decay table.
    **barrier_kwargs
        Passed to :meth:`Barrier.from_decay` (``electrode_mass``, ``fermi_energy_eV``,
        ``height_end_eV``, ``permittivity``, ``name``, …).

    Returns
    -------
    Barrier
        Use ``method="wkb"``: T ≈ exp(−2∫κ(V(x) − E) dx), bias dependent through V(x).

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> b = complex_band_barrier(wannier.example("hbn_like"), 3, 2.9775 + 0.5,
    ...                          fermi_energy_eV=0.5, electrode_mass=1.0)
    >>> from qtransport.tight_binding.tunneling import wkb_decay_per_layer
    >>> round(wkb_decay_per_layer(b) / 2, 4)      # κ_min per layer at mid-gap
    1.0534
    """
    ax = _check_axis(model, axis)
    k_t = _transverse_k(model, valley, transverse_k_reduced)
    table = decay_table(model, ax, k_t, carrier=carrier, energy_in_gap_eV=energy_in_gap_eV,
                        n_points=n_points)
    barrier_kwargs.setdefault("name", f"complex-band barrier ×{n_layers}")
    return Barrier.from_decay(table, height_eV, layer_spacing_nm(model, ax), n_layers,
                              **barrier_kwargs)


@register("complex_bands.decay_constant", aliases=("wannier.decay_constant",),
          summary="decay constant per layer and per nm in a gap from the complex band structure",
          params=[
              Param("energies_eV", "array", doc="energies in the gap (eV, model zero)"),
              Param("model", str, default="hbn_like",
                    file_suffix="_hr.dat",
                    doc="bundled example (graphene, hbn_like, chain) or path to a _hr.dat file"),
              Param("axis", int, default=0, low=0, high=2, doc="lattice axis of tunneling"),
              Param("valley", str, default="K", choices=("gamma", "K"),
                    doc="transverse k (ignored if transverse_k_reduced is given)"),
              Param("transverse_k_reduced", "array", default=None, optional=True,
                    doc="conserved transverse k in reduced units (3 numbers)"),
              Param("min_abs_eV", float, default=0.0, low=0.0, doc="hopping cut-off (eV)")])
def decay_constant(energies_eV, model: str = "hbn_like", axis: int = 0, valley: str = "K",
                   transverse_k_reduced=None, min_abs_eV: float = 0.0) -> Result:
    """κ_min(E) from the complex band structure, with the effective-mass estimate beside it.

    Parameters
    ----------
    energies_eV : array_like
        Energies in the gap, eV (model zero).
    model : str, optional
        Bundled example (``graphene``, ``hbn_like``, ``chain``) or path to a ``_hr.dat`` file.
    axis : int, optional
        Lattice axis of tunneling (0–2).
    valley : {"K", "gamma"}, optional
        Transverse k, used when ``transverse_k_reduced`` is not given.
    transverse_k_reduced : array_like, optional
        Conserved transverse k, reduced units (3 numbers).
    min_abs_eV : float, optional
        Hoppings below this magnitude are dropped, eV (≥ 0).

    Returns
    -------
    Result
        ``energies_eV``, ``kappa_per_layer``, ``kappa_per_nm``, ``kappa_effective_mass_per_nm``
        (nearest band edge, mass from the band curvature) and attrs ``valence_eV``,
        ``conduction_eV``, ``mass_c``, ``mass_v``, ``layer_spacing_nm``.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.

    Examples
    --------
    >>> r = decay_constant([0.0, 0.5])
    >>> r.kind
    'complex_bands.decay_constant'
    """
    from .wannier import load
    tb = load(model, min_abs_eV)
    k_t = _transverse_k(tb, valley, transverse_k_reduced)
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    kappa = decay_per_layer(tb, E, axis, k_t)
    d = layer_spacing_nm(tb, axis)
    edges = band_edges(tb, float(np.median(E)), axis, k_t)
    em = effective_mass_decay(edges, E)["nearest"]
    params = {"model": model, "axis": axis, "valley": valley, "min_abs_eV": min_abs_eV,
              "transverse_k_reduced": k_t.tolist()}
    attrs = {key: edges[key] for key in ("valence_eV", "conduction_eV", "mass_c", "mass_v")}
    attrs["layer_spacing_nm"] = d
    return Result("complex_bands.decay_constant", params,
                  {"energies_eV": E, "kappa_per_layer": kappa, "kappa_per_nm": kappa / d,
                   "kappa_effective_mass_per_nm": em / d}, attrs)


@register("complex_bands.barrier_transmission", aliases=("wannier.barrier_transmission",),
          summary="WKB transmission of n cells of a tight-binding barrier, complex-band κ(E) "
                  "versus the effective-mass estimate",
          params=[
              Param("energies_eV", "array", doc="energies above the left electrode band bottom"),
              Param("n_layers", int, default=3, low=1, doc="barrier cells along axis"),
              Param("height_eV", float, default=3.4775,
                    doc="band edge above the electrode band bottom (eV); default: E = 0.5 eV "
                        "sits at hbn_like mid-gap"),
              Param("bias_V", float, default=0.0, doc="bias across the barrier (V)"),
              Param("model", str, default="hbn_like",
                    file_suffix="_hr.dat",
                    doc="bundled example (graphene, hbn_like, chain) or path to a _hr.dat file"),
              Param("axis", int, default=0, low=0, high=2, doc="lattice axis of tunneling"),
              Param("valley", str, default="K", choices=("gamma", "K"), doc="transverse k"),
              Param("carrier", str, default="electron", choices=("electron", "hole"),
                    doc="tunnel below the conduction band or above the valence band"),
              Param("energy_in_gap_eV", float, default=0.0, doc="any gap energy (model zero)"),
              Param("min_abs_eV", float, default=0.0, low=0.0, doc="hopping cut-off (eV)")])
def barrier_transmission(energies_eV, n_layers: int = 3, height_eV: float = 3.4775,
                         bias_V: float = 0.0, model: str = "hbn_like", axis: int = 0,
                         valley: str = "K", carrier: str = "electron",
                         energy_in_gap_eV: float = 0.0, min_abs_eV: float = 0.0) -> Result:
    """WKB T(E) of a complex-band barrier and of the effective-mass barrier with the same edge.

    Parameters
    ----------
    energies_eV : array_like
        Energies above the left electrode band bottom, eV.
    n_layers : int, optional
        Barrier cells along ``axis`` (≥ 1).
    height_eV : float, optional
        Band edge above the electrode band bottom, eV.
    bias_V : float, optional
        Bias across the barrier, V.
    model : str, optional
        Bundled example or path to a ``_hr.dat`` file.
    axis : int, optional
        Lattice axis of tunneling (0–2).
    valley : {"K", "gamma"}, optional
        Transverse k.
    carrier : {"electron", "hole"}, optional
        Tunnel below the conduction band or above the valence band.
    energy_in_gap_eV : float, optional
        Any gap energy (model zero), eV.
    min_abs_eV : float, optional
        Hopping cut-off, eV (≥ 0).

    Returns
    -------
    Result
        ``energies_eV``, ``transmission`` (complex-band κ), ``transmission_effective_mass``
        (same height, band-edge mass: κ = √(2m*φ)/ħ), ``decay_per_layer`` and
        ``decay_per_layer_effective_mass`` (flat-band 2κd at each energy); attrs
        ``layer_spacing_nm``, ``band_edge_mass``, ``thickness_nm``.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be a 1-D array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.

    Examples
    --------
    >>> r = barrier_transmission([0.0, 0.5], n_layers=3)
    >>> r.kind
    'complex_bands.barrier_transmission'
    """
    from .tunneling import wkb_decay_per_layer
    from .wannier import load
    tb = load(model, min_abs_eV)
    E = check_array("energies_eV", energies_eV, ndim=1, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    cb = complex_band_barrier(tb, n_layers, height_eV, axis=axis, valley=valley,
                              carrier=carrier, energy_in_gap_eV=energy_in_gap_eV)
    lay = cb.layers[0]
    em = Barrier(height_eV=height_eV, thickness_nm=cb.thickness_nm,
                 effective_mass=lay.effective_mass)
    em_layer = Barrier(height_eV=height_eV, thickness_nm=lay.thickness_nm,
                       effective_mass=lay.effective_mass)
    params = {"n_layers": n_layers, "height_eV": height_eV, "bias_V": bias_V, "model": model,
              "axis": axis, "valley": valley, "carrier": carrier,
              "energy_in_gap_eV": energy_in_gap_eV, "min_abs_eV": min_abs_eV}
    data = {"energies_eV": E,
            "transmission": cb.transmission(E, "wkb", bias_V=bias_V),
            "transmission_effective_mass": em.transmission(E, "wkb", bias_V=bias_V),
            "decay_per_layer": np.array([wkb_decay_per_layer(cb, float(e)) for e in E]),
            "decay_per_layer_effective_mass": np.array([wkb_decay_per_layer(em_layer, float(e))
                                                        for e in E])}
    attrs = {"layer_spacing_nm": lay.thickness_nm, "band_edge_mass": lay.effective_mass,
             "thickness_nm": cb.thickness_nm, "decay_source": lay.decay.source}
    return Result("complex_bands.barrier_transmission", params, data, attrs)
