"""One-dimensional self-consistent Schrödinger–Poisson solver for quasi-2D electron gases.

Along the growth axis z the conduction-band edge is E_c(z) = ΔE_c(z) + u(z), where ΔE_c is the
band offset of the material and u = −eφ the electrostatic potential energy (eV). Electrons fill 2D
subbands E_i with envelopes ψ_i(z) (BenDaniel–Duke finite differences, hard walls at both ends):

    n(z) = Σ_i |ψ_i(z)|² n_i,  n_i = (m_i k_BT/πħ²) ln(1 + exp((E_F − E_i)/k_BT)),

with m_i = ⟨ψ_i|m*|ψ_i⟩ the in-plane mass. Poisson's equation d/dz(ε du/dz) = ρ/ε0 with
ρ = e(N_D − n) + Σ_s e σ_s δ(z − z_s) (sheet charges σ_s in e/m², signed) is discretized by finite
volumes on the same grid. Boundary conditions per end: ``("dirichlet", u_eV)`` fixes u, or
``("neumann", field_V_per_m)`` fixes the field F = du/dz / e (F > 0 pushes electrons to −z).

Self-consistency uses the predictor–corrector scheme of Trellakis et al., J. Appl. Phys. 81, 7880
(1997): the Poisson step is solved by Newton's method with the subband energies shifted by the local
change of u, which converges in a few outer iterations without damping. Convergence (max |Δu|) and
Gauss's law (total charge = flux difference at the ends; charge neutrality for zero-field ends) are
checked; failures give an :class:`~qtransport.AccuracyWarning` with the numbers.

Examples
--------
>>> import numpy as np
>>> z = np.linspace(0.0, 40.0, 801)
>>> r = solve(z, band_offset_eV=np.zeros_like(z), effective_mass=0.2, permittivity=10.0,
...           fermi_energy_eV=-0.5, temperature_K=300.0, left_bc=("dirichlet", 0.0),
...           right_bc=("neumann", 1e7))
>>> round(float(r.subband_energies_eV[0]), 4)     # Airy: 2.338 (ħ²/2m)^(1/3) (eF)^(2/3)
0.0624
"""
from __future__ import annotations

import logging
import warnings
from typing import Sequence

import numpy as np
from scipy.linalg import eigh_tridiagonal, solve_banded

from ..errors import MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..constants import e, eps0, eV, k_B, nm, sheet_dos_per_J_m2
from ..errors import AccuracyWarning, check_array, check_choice, check_int, check_real
from ..errors import MAX_EFFECTIVE_MASS, MAX_ENERGY_EV, MAX_LENGTH_NM, MAX_TEMPERATURE_K
from ..errors import check_increasing, check_same_length, check_work
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .lattice import HBAR2_OVER_2ME_EV_NM2

__all__ = ["fd_eigenstates", "fd_well_levels", "layered_structure", "solve", "sheet_density_sweep",
           "superlattice_structure", "ingao3_zno_sheet_density",
           "GAUSS_TOLERANCE", "BC_KINDS"]

log = logging.getLogger(__name__)
#: default most grid nodes a structure may be built on (``max_nodes=``): 10^6 nodes already take
#: ~1 s per Schrödinger solve
MAX_NODES = 10**6

BC_KINDS = ("dirichlet", "neumann")
#: relative mismatch of Gauss's law above which an AccuracyWarning is raised
GAUSS_TOLERANCE = 1e-6
#: ħ²/(2 m_e) in eV nm² (the package's one definition, in lattice.py)
_H2M = HBAR2_OVER_2ME_EV_NM2


def fd_eigenstates(z_nm, potential_eV, mass, n_states: int):
    """Lowest eigenstates of −d/dz (ħ²/2m* d/dz) + V on a uniform grid, ψ = 0 at both ends.

    Parameters
    ----------
    z_nm : ndarray, shape (N,)
        Uniform grid, nm; the end nodes carry the hard walls.
    potential_eV, mass : ndarray, shape (N,)
        V (eV) and m*/m_e on the nodes.
    n_states : int
        Number of states (≤ N − 2).

    Returns
    -------
    energies_eV : ndarray, shape (n_states,)
        Eigen-energies, eV, ascending.
    psi : ndarray, shape (n_states, N)
        Envelopes normalized to ∫|ψ|² dz = 1 with z in nm (zero at the end nodes).

    Raises
    ------
    ValueError
        If an argument is invalid: `z_nm` must be a strictly increasing grid; `potential_eV`
        must be a 1-D array of finite numbers; `mass` must be a 1-D array of finite numbers >
        0; `z_nm` and `potential_eV` and `mass` must have the same length; z_nm must be a
        uniform grid; `n_states` must be >= 1.
    TypeError
        If an argument has the wrong type: `n_states` is not an integer; `z_nm`, `potential_eV`
        or `mass` are not arrays of real numbers.

    Notes
    -----
    Link mass = mean of the neighbouring node masses (continuity of ψ'/m*); error O(h²).

    Examples
    --------
    >>> import numpy as np
    >>> z = np.linspace(0.0, 10.0, 201)
    >>> v = np.where((z > 3) & (z < 7), 0.0, 0.5)
    >>> e, psi = fd_eigenstates(z, v, np.full(z.size, 0.067), 2)
    >>> e.round(3).tolist(), psi.shape
    ([0.147, 0.515], (2, 201))
    """
    z = check_increasing("z_nm", z_nm, min_size=3)
    potential_eV = check_array("potential_eV", np.broadcast_to(potential_eV, z.shape)
                               if np.ndim(potential_eV) == 0 else potential_eV, ndim=1)
    mass = check_array("mass", np.broadcast_to(mass, z.shape) if np.ndim(mass) == 0 else mass,
                       low=0.0, low_open=True, ndim=1)
    check_same_length(z_nm=z, potential_eV=potential_eV, mass=mass)
    h = z[1] - z[0]
    if np.ptp(np.diff(z)) > 1e-6 * h:
        raise ValueError(f"z_nm must be a uniform grid, got spacings from {np.diff(z).min():.6g} "
                         f"to {np.diff(z).max():.6g} nm")
    inner = slice(1, z.size - 1)
    t = _H2M / (0.5 * (mass[:-1] + mass[1:])) / h**2          # link hoppings, eV
    diag = potential_eV[inner] + t[:-1] + t[1:]
    off = -t[1:-1]
    n = min(check_int("n_states", n_states, low=1), diag.size)
    energies, vecs = eigh_tridiagonal(diag, off, select="i", select_range=(0, n - 1))
    psi = np.zeros((n, z.size))
    psi[:, inner] = vecs.T / np.sqrt(h)
    return energies, psi


def fd_well_levels(width_nm: float, depth_eV: float, effective_mass: float,
                   barrier_mass: float | None = None, lattice_constant_nm: float = 0.01,
                   cladding_nm: float | None = None, *,
                   max_nodes: int = MAX_NODES) -> np.ndarray:
    """Bound levels of a finite square well by finite differences (cross-check, error O(h²)), eV.

    The well sits in barriers of thickness ``cladding_nm`` (default: 8 decay lengths ħ/√(2m_bV0),
    at least 5 nm) closed by hard walls; levels below ``depth_eV`` are returned. Nodes sit at cell
    centres, so the interfaces fall midway between nodes (second order) when
    ``lattice_constant_nm`` divides ``width_nm``/2. Compare with :func:`qtransport.tight_binding.superlattice.finite_well_levels`.

    Parameters
    ----------
    width_nm : float
        Well width L, nm (> 0).
    depth_eV : float
        Well depth V0 (barrier height), eV (> 0).
    effective_mass : float
        Well mass, m_e (> 0).
    barrier_mass : float, optional
        Barrier mass, m_e (> 0; default: ``effective_mass``).
    lattice_constant_nm : float, optional
        Grid spacing h, nm (> 0).
    cladding_nm : float, optional
        Barrier thickness on each side, nm (> 0).
    max_nodes : int, optional
        Most grid nodes.

    Returns
    -------
    numpy.ndarray
        Bound levels below ``depth_eV``, eV from the well bottom, ascending.

    Raises
    ------
    ValueError
        An argument out of range or too many nodes (``WorkLimitError``).

    Examples
    --------
    >>> levels = fd_well_levels(5.0, 0.3, 0.067)
    >>> bool(0 < levels[0] < 0.3)
    True
    """
    L = check_real("width_nm", width_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM)
    v0 = check_real("depth_eV", depth_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    mw = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    mb = mw if barrier_mass is None else check_real("barrier_mass", barrier_mass, low=0.0,
                                                    low_open=True, high=MAX_EFFECTIVE_MASS)
    h = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    clad = max(5.0, 8 * np.sqrt(_H2M / (mb * v0))) if cladding_nm is None else check_real(
        "cladding_nm", cladding_nm, low=0.0, low_open=True)
    check_work("max_nodes", 2 * (clad + L / 2) / h, check_int("max_nodes", max_nodes, low=1),
               unit="nodes", hint=f"(width_nm + 2 cladding) = {L + 2 * clad:.4g} nm / "
                                  f"lattice_constant_nm = {h}")
    half = int(round((clad + L / 2) / h))
    z = h * (np.arange(-half, half) + 0.5)          # interfaces midway between nodes when h | L/2
    inside = np.abs(z) < L / 2
    V, m = np.where(inside, 0.0, v0), np.where(inside, mw, mb)
    energies, _ = fd_eigenstates(z, V, m, n_states=int(L * np.sqrt(mw * v0 / _H2M) / np.pi) + 2)
    return energies[energies < v0]


def layered_structure(thicknesses_nm: Sequence[float], band_offsets_eV: Sequence[float],
                      masses: Sequence[float], permittivities: Sequence[float],
                      donor_densities_per_m3: Sequence[float], spacing_nm: float = 0.05, *,
                      max_nodes: int = MAX_NODES) -> dict:
    """Node arrays of a layer stack for :func:`solve` (interfaces rounded to the grid).

    All five layer sequences need one value per layer; masses and permittivities > 0. A grid of
    more than ``max_nodes`` nodes is refused up front (``WorkLimitError``).

    Returns a dict with ``z_nm``, ``band_offset_eV``, ``effective_mass``, ``permittivity``,
    ``donor_density_per_m3`` (one value per node; a node on an interface takes the next layer).

    Parameters
    ----------
    thicknesses_nm : sequence of float
        Layer thicknesses, nm (> 0).
    band_offsets_eV : sequence of float
        Conduction-band offset of each layer, eV.
    masses : sequence of float
        Effective mass of each layer, m_e (> 0).
    permittivities : sequence of float
        Relative permittivity of each layer (> 0).
    donor_densities_per_m3 : sequence of float
        Ionized donor density of each layer, m⁻³.
    spacing_nm : float, optional
        Grid spacing, nm (> 0).
    max_nodes : int, optional
        Most grid nodes.

    Returns
    -------
    dict of str to numpy.ndarray
        ``z_nm`` (nm), ``band_offset_eV`` (eV), ``effective_mass`` (m_e), ``permittivity`` and
        ``donor_density_per_m3`` (m⁻³), one value per node.

    Raises
    ------
    ValueError
        If an argument is invalid: `thicknesses_nm` must be an array of finite numbers > 0;
        `spacing_nm` must be > 0; the estimated size must not exceed `max_nodes`
        (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `band_offsets_eV` and
        `donor_densities_per_m3` must be arrays of finite numbers, `masses` and `permittivities`
        of finite numbers > 0, each with the length of `thicknesses_nm`; `max_nodes` must
        be >= 1.
    TypeError
        If an argument has the wrong type: `spacing_nm` is not a real number; `max_nodes` is
        not an integer; `thicknesses_nm`, `band_offsets_eV`, `masses`, `permittivities` or
        `donor_densities_per_m3` are not arrays of real numbers.

    Examples
    --------
    >>> s = layered_structure([1.0, 1.0], [0.0, 0.3], [0.1, 0.1], [9.0, 9.0], [0.0, 0.0],
    ...                       spacing_nm=0.5)
    >>> s["z_nm"].tolist(), s["band_offset_eV"].tolist()
    ([0.0, 0.5, 1.0, 1.5, 2.0], [0.0, 0.0, 0.3, 0.3, 0.3])
    """
    d = check_array("thicknesses_nm", thicknesses_nm, low=0.0, low_open=True)
    h = check_real("spacing_nm", spacing_nm, low=0.0, low_open=True)
    cols = [check_array(name, values, low=low, low_open=low is not None)
            for name, values, low in (
                ("band_offsets_eV", band_offsets_eV, None), ("masses", masses, 0.0),
                ("permittivities", permittivities, 0.0),
                ("donor_densities_per_m3", donor_densities_per_m3, None))]
    for name, c in zip(("band_offsets_eV", "masses", "permittivities", "donor_densities_per_m3"),
                       cols):
        check_same_length(thicknesses_nm=d, **{name: c})
    check_work("max_nodes", d.sum() / h + 1, check_int("max_nodes", max_nodes, low=1),
               unit="nodes", hint=f"total thickness {d.sum():.4g} nm / spacing_nm = {h}")
    z = np.linspace(0.0, d.sum(), int(round(d.sum() / h)) + 1)
    layer = np.minimum(np.searchsorted(np.cumsum(d), z + 1e-9 * h, side="right"), d.size - 1)
    names = ("band_offset_eV", "effective_mass", "permittivity", "donor_density_per_m3")
    return {"z_nm": z, **{n: c[layer] for n, c in zip(names, cols)}}


def _n2d(eta_eV, mass, kt_eV):
    """Sheet density (m⁻²) of a subband with E_F − E_i = eta and its derivative d/d eta."""
    dos = sheet_dos_per_J_m2(mass) * eV                 # m⁻² per eV
    x = eta_eV / kt_eV
    return dos * kt_eV * np.logaddexp(0.0, x), dos * 0.5 * (1 + np.tanh(0.5 * x))


def _check_bc(name, bc):
    if not (isinstance(bc, (tuple, list)) and len(bc) == 2):
        raise TypeError(f"{name} must be a pair (kind, value) with kind in {BC_KINDS}, got {bc!r}")
    return check_choice(f"{name}[0]", bc[0], BC_KINDS), check_real(f"{name}[1]", bc[1])


def _poisson_matrix(eps_r, h_m, bcs):
    """Banded finite-volume operator A with (A u)_i = flux difference (eps0 units), and RHS terms."""
    n = eps_r.size
    el = eps0 * 0.5 * (eps_r[:-1] + eps_r[1:]) / h_m          # link conductances, F/m²
    ab = np.zeros((3, n))
    ab[1, :-1] -= el
    ab[1, 1:] -= el
    ab[0, 1:] = el
    ab[2, :-1] = el
    rhs_bc = np.zeros(n)
    for end, (kind, value) in zip((0, n - 1), bcs):
        if kind == "neumann":                                  # flux ε ε0 F enters the end cell
            rhs_bc[end] += (1 if end == 0 else -1) * eps0 * eps_r[end] * value
    return ab, rhs_bc


def _fix_dirichlet(ab, rhs, bcs, n):
    for end, (kind, value) in zip((0, n - 1), bcs):
        if kind == "dirichlet":
            ab[:, end] = 0.0
            ab[1, end] = 1.0
            if end == 0:
                ab[0, 1] = 0.0
            else:
                ab[2, n - 2] = 0.0
            rhs[end] = value
    return ab, rhs


def _subbands(z, ec, mass, ef, kt, n_min):
    """Subbands up to E_F + 30 k_BT (at least ``n_min``): energies, |ψ|² (1/m), in-plane masses."""
    n = n_min
    while True:
        energies, psi = fd_eigenstates(z, ec, mass, n)
        if energies[-1] > ef + 30 * kt or energies.size < n:
            break
        n *= 2
    prob = psi**2 / nm                                          # 1/m
    h = z[1] - z[0]
    m_par = (psi**2 * mass).sum(axis=1) * h
    return energies, prob, m_par


def _density(u_new, u_old, energies, prob, m_par, ef, kt):
    """n(z) with subbands shifted by the local change of u (predictor–corrector), and dn/du."""
    eta = ef - energies[:, None] - (u_new - u_old)[None, :]
    n2, dn2 = _n2d(eta, m_par[:, None], kt)
    return (prob * n2).sum(axis=0), -(prob * dn2).sum(axis=0)


def _poisson_newton(u, ab0, rhs_fixed, bcs, h_m, args, tol):
    """Solve A u = e h (N_D − n(u)) + e σ + BC fluxes by Newton's method; return u."""
    n_nodes = u.size
    for _ in range(100):
        n, dn = _density(u, *args)
        resid = _banded_dot(ab0, u) - rhs_fixed + e * h_m * _cell(n, n_nodes)
        jac = ab0.copy()
        jac[1] += e * h_m * _cell(dn, n_nodes)
        jac, resid = _fix_dirichlet(jac, resid, bcs, n_nodes)
        for end, (kind, value) in zip((0, n_nodes - 1), bcs):
            if kind == "dirichlet":
                resid[end] = u[end] - value
        try:
            step = solve_banded((1, 1), jac, resid)
        except np.linalg.LinAlgError:
            raise ValueError("left_bc and right_bc are both 'neumann' and there is no free charge "
                             "to fix the potential: make one end 'dirichlet'") from None
        u = u - np.clip(step, -0.2, 0.2)                        # limit steps to 0.2 eV
        if np.max(np.abs(step)) < tol:
            break
    return u


def _cell(values, n):
    """Per-node cell weights: full cells inside, half cells at the two ends."""
    w = np.ones(n)
    w[0] = w[-1] = 0.5
    return values * w


def _banded_dot(ab, x):
    y = ab[1] * x
    y[:-1] += ab[0, 1:] * x[1:]
    y[1:] += ab[2, :-1] * x[:-1]
    return y


def solve(z_nm, band_offset_eV, effective_mass, permittivity, donor_density_per_m3=0.0, *,
          fermi_energy_eV: float = 0.0, temperature_K: float = 300.0,
          sheet_charges: Sequence[tuple[float, float]] = (),
          left_bc=("neumann", 0.0), right_bc=("neumann", 0.0), initial_potential_eV=None,
          tolerance_eV: float = 1e-9, max_iterations: int = 60, n_subbands: int = 8) -> Result:
    """Self-consistent Schrödinger–Poisson solution of a 1D heterostructure.

    Parameters
    ----------
    z_nm : array_like, shape (N,)
        Uniform grid, nm (hard walls for the electrons at both ends).
    band_offset_eV, effective_mass, permittivity, donor_density_per_m3 : float or array_like
        Conduction-band offset ΔE_c (eV), m*/m_e, relative permittivity and ionized donor density
        (m⁻³; negative values are acceptors), per node.
    fermi_energy_eV : float
        Fermi level, eV (same zero as ΔE_c + u).
    temperature_K : float
        Temperature, K (> 0).
    sheet_charges : sequence of (position_nm, density_per_m2)
        Fixed sheet charges (surface or interface, in units of e per m², signed).
    left_bc, right_bc : (kind, value)
        ``("dirichlet", u_eV)`` or ``("neumann", field_V_per_m)``.
    initial_potential_eV : array_like, optional
        Starting u(z) (continuation of a sweep).
    tolerance_eV : float
        Convergence threshold on max |Δu| between outer iterations, eV.
    max_iterations : int
        Outer (Schrödinger) iterations before giving up with an AccuracyWarning.
    n_subbands : int
        Minimum subbands kept (more are added until E_max > E_F + 30 k_BT).

    Returns
    -------
    Result
        ``z_nm``, ``conduction_band_eV``, ``potential_energy_eV`` (u), ``electron_density_per_m3``,
        ``subband_energies_eV``, ``subband_density_per_m2``, ``subband_mass``,
        ``probability_density_per_m`` (n_sub, N), ``sheet_density_per_m2``, ``field_V_per_m``
        (at the two ends), ``iterations``, ``residual_eV``, ``gauss_error``; attrs ``converged``.

    Raises
    ------
    ValueError
        If an argument is invalid: `z_nm` must be a uniform, increasing 1-D grid of finite numbers;
        `band_offset_eV`, `donor_density_per_m3` and `initial_potential_eV` must be arrays of
        finite numbers, `initial_potential_eV` with one value per node of `z_nm`; `effective_mass`
        must be an array of finite numbers > 0 and <= 1000; `permittivity` must be an array of
        finite numbers > 0; `fermi_energy_eV` must be >= -1000 and <= 1000; `temperature_K` must be
        > 0 and <= 10000; `tolerance_eV` must be > 0; `max_iterations` must be >= 1; `n_subbands`
        must be >= 1 and <= (number of nodes) − 2.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV`, `temperature_K` or `tolerance_eV` are
        not real numbers; `max_iterations` or `n_subbands` are not integers; `z_nm`,
        `band_offset_eV`, `effective_mass`, `permittivity`, `donor_density_per_m3` or
        `initial_potential_eV` are not arrays of real numbers.

    Notes
    -----
    Gauss's law ε0[ε F]_left^right = e(∫(N_D − n) dz + Σσ) is checked after convergence;
    relative mismatch above ``GAUSS_TOLERANCE`` warns. Reference: Tan, Snider, Chang, Hu, J. Appl.
    Phys. 68, 4071 (1990); Trellakis et al., J. Appl. Phys. 81, 7880 (1997).
    """
    z = check_array("z_nm", z_nm, ndim=1, min_size=5)
    h = np.diff(z)
    if np.any(h <= 0) or np.ptp(h) > 1e-6 * h[0]:
        raise ValueError("z_nm must be a uniform, increasing grid")
    n_nodes = z.size
    dec = check_array("band_offset_eV", np.broadcast_to(band_offset_eV, z.shape))
    mass = check_array("effective_mass", np.broadcast_to(effective_mass, z.shape), low=0.0,
                       low_open=True, high=MAX_EFFECTIVE_MASS)
    eps_r = check_array("permittivity", np.broadcast_to(permittivity, z.shape), low=0.0,
                        low_open=True)
    nd = check_array("donor_density_per_m3", np.broadcast_to(donor_density_per_m3, z.shape))
    ef = check_real("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    T = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
    tol = check_real("tolerance_eV", tolerance_eV, low=0.0, low_open=True)
    max_it = check_int("max_iterations", max_iterations, low=1)
    n_subbands = check_int("n_subbands", n_subbands, low=1, high=n_nodes - 2)
    bcs = (_check_bc("left_bc", left_bc), _check_bc("right_bc", right_bc))
    kt, h_m = k_B * T / eV, h[0] * nm
    sheet = _sheet_charge_vector(sheet_charges, z)
    ab0, rhs_bc = _poisson_matrix(eps_r, h_m, bcs)
    rhs_fixed = e * h_m * _cell(nd, n_nodes) + e * sheet + rhs_bc
    u = (np.zeros(n_nodes) if initial_potential_eV is None else
         check_array("initial_potential_eV", initial_potential_eV).copy())
    if u.shape != z.shape:
        raise ValueError(f"initial_potential_eV must have one value per node of z_nm "
                         f"({z.size}), got {u.size}")
    for kind_value, end in zip(bcs, (0, n_nodes - 1)):
        if kind_value[0] == "dirichlet":
            u[end] = kind_value[1]
    residual, converged = np.inf, False
    for iteration in range(1, max_it + 1):
        energies, prob, m_par = _subbands(z, dec + u, mass, ef, kt, n_subbands)
        u_new = _poisson_newton(u, ab0, rhs_fixed, bcs, h_m,
                                (u, energies, prob, m_par, ef, kt), 1e-3 * tol)
        residual = float(np.max(np.abs(u_new - u)))
        u = u_new
        if residual < tol:
            converged = True
            break
    return _finish(z, dec, u, mass, eps_r, nd, sheet, ef, kt, bcs, n_subbands, iteration,
                   residual, converged, tol, T)


def _sheet_charge_vector(sheet_charges, z):
    """Sheet charges (e/m²) assigned to the nearest node."""
    out = np.zeros(z.size)
    for i, item in enumerate(sheet_charges):
        if not isinstance(item, (tuple, list, np.ndarray)) or len(item) != 2:
            raise TypeError(f"sheet_charges[{i}] must be (position_nm, density_per_m2), got {item!r}")
        pos = check_real(f"sheet_charges[{i}] position_nm", item[0], low=z[0], high=z[-1])
        out[int(np.argmin(np.abs(z - pos)))] += check_real(f"sheet_charges[{i}] density_per_m2",
                                                           item[1])
    return out


def _finish(z, dec, u, mass, eps_r, nd, sheet, ef, kt, bcs, n_subbands, iterations, residual,
            converged, tol, T):
    """Final subbands, density, Gauss check and the Result."""
    energies, prob, m_par = _subbands(z, dec + u, mass, ef, kt, n_subbands)
    n_i, _ = _n2d(ef - energies, m_par, kt)
    density = (prob * n_i[:, None]).sum(axis=0)
    h_m = (z[1] - z[0]) * nm
    fields = np.array([_end_flux(u, h_m, bcs, end, eps_r, nd - density, sheet)
                       for end in (0, 1)])                                    # V/m
    # Gauss over the whole domain, using the discrete fluxes at the two ends
    charge = e * (np.sum(_cell(nd - density, z.size)) * h_m + sheet.sum())          # C/m²
    flux = eps0 * (eps_r[-1] * fields[1] - eps_r[0] * fields[0])
    scale = max(abs(charge), abs(flux), e * np.sum(np.abs(nd)) * h_m + e * np.sum(np.abs(sheet)),
                e * density.sum() * h_m, 1e-30)
    gauss = abs(flux - charge) / scale
    if not converged:
        warnings.warn(f"Schrödinger–Poisson did not converge in {iterations} iterations: "
                      f"max |Δu| = {residual:.3e} eV > {tol:.1e} eV", AccuracyWarning, stacklevel=3)
    if gauss > GAUSS_TOLERANCE:
        warnings.warn(f"Schrödinger–Poisson violates Gauss's law / neutrality by {gauss:.3e} "
                      f"(relative; tolerance {GAUSS_TOLERANCE:.0e})", AccuracyWarning, stacklevel=3)
    data = {"z_nm": z, "conduction_band_eV": dec + u, "potential_energy_eV": u,
            "electron_density_per_m3": density, "subband_energies_eV": energies,
            "subband_density_per_m2": n_i, "subband_mass": m_par,
            "probability_density_per_m": prob, "sheet_density_per_m2": np.float64(n_i.sum()),
            "field_V_per_m": fields, "iterations": np.int64(iterations),
            "residual_eV": np.float64(residual), "gauss_error": np.float64(gauss)}
    params = {"fermi_energy_eV": ef, "temperature_K": T, "left_bc": list(bcs[0]),
              "right_bc": list(bcs[1])}
    return Result("schrodinger_poisson.solve", params, data, {"converged": bool(converged)})


def _end_flux(u, h_m, bcs, end, eps_r, net, sheet):
    """Field du/dz at an end: the imposed one (Neumann) or the one Gauss needs for the end cell."""
    kind, value = bcs[end]
    if kind == "neumann":
        return value
    # Dirichlet end: the end half-cell balance gives the boundary flux
    i, j = (0, 1) if end == 0 else (-1, -2)
    link = 0.5 * (eps_r[i] + eps_r[j]) / eps_r[i] * (u[j] - u[i]) / h_m
    cell = e * (0.5 * net[i] * h_m + sheet[i]) / (eps0 * eps_r[i])
    return link - cell if end == 0 else -link + cell


def sheet_density_sweep(fermi_energies_eV, temperatures_K, structure: dict,
                        **solve_kwargs) -> Result:
    """Sheet density n_s(E_F, T) from self-consistent solutions, m⁻².

    Parameters
    ----------
    fermi_energies_eV, temperatures_K : array_like
        Grid of Fermi levels (eV) and temperatures (K).
    structure : dict
        Node arrays as returned by :func:`layered_structure`.
    **solve_kwargs
        Passed to :func:`solve` (boundary conditions, sheet charges …).

    Returns
    -------
    Result
        ``fermi_energy_eV``, ``temperature_K``, ``sheet_density_per_m2`` (n_T, n_EF) and
        ``ground_subband_eV`` (n_T, n_EF). Each row continues from the previous solution.

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energies_eV` must be an array of finite numbers;
        `temperatures_K` must be an array of finite numbers > 0.
    TypeError
        If an argument has the wrong type: `fermi_energies_eV` or `temperatures_K` are not
        arrays of real numbers; structure must be the dict of node arrays returned by
        layered_structure or superlattice_structure.
    """
    efs = check_array("fermi_energies_eV", fermi_energies_eV)
    temps = check_array("temperatures_K", temperatures_K, low=0.0, low_open=True)
    if not isinstance(structure, dict) or not {"z_nm", "band_offset_eV", "effective_mass",
                                               "permittivity",
                                               "donor_density_per_m3"} <= set(structure):
        raise TypeError("structure must be the dict of node arrays returned by "
                        f"layered_structure or superlattice_structure, got {type(structure)}")
    ns = np.zeros((temps.size, efs.size))
    e0 = np.zeros_like(ns)
    for i, T in enumerate(temps):
        u = None
        for j, ef in enumerate(efs):
            r = solve(structure["z_nm"], structure["band_offset_eV"],
                      structure["effective_mass"], structure["permittivity"],
                      structure["donor_density_per_m3"], fermi_energy_eV=float(ef),
                      temperature_K=float(T), initial_potential_eV=u, **solve_kwargs)
            u = r.potential_energy_eV
            ns[i, j], e0[i, j] = r.sheet_density_per_m2, r.subband_energies_eV[0]
    return Result("schrodinger_poisson.sheet_density", {"fermi_energies_eV": efs,
                                                        "temperatures_K": temps},
                  {"fermi_energy_eV": efs, "temperature_K": temps, "sheet_density_per_m2": ns,
                   "ground_subband_eV": e0})


def superlattice_structure(sl, n_periods: int, cladding_nm: float = 2.0,
                           spacing_nm: float = 0.01, well_permittivity: float = 9.0,
                           barrier_permittivity: float = 8.66,
                           donor_density_per_m3: float = 0.0) -> dict:
    """Node arrays of ``n_periods`` wells of a :class:`~.superlattice.Superlattice` in barriers.

    Wells (offset 0) alternate with barriers (offset ``barrier_height_eV``); ``cladding_nm`` of
    barrier closes both ends. Donors (m⁻³) sit uniformly in the barriers (modulation doping).
    Default permittivities: In2O3-like wells 9.0, ZnO-like barriers 8.66 (materials.toml).

    Parameters
    ----------
    sl : Superlattice
        Well/barrier widths (nm), offset (eV) and masses (m_e).
    n_periods : int
        Number of wells (≥ 1).
    cladding_nm : float, optional
        Barrier thickness closing each end, nm (> 0).
    spacing_nm : float, optional
        Grid spacing, nm (> 0).
    well_permittivity : float, optional
        Relative permittivity of the wells (> 0).
    barrier_permittivity : float, optional
        Relative permittivity of the barriers (> 0).
    donor_density_per_m3 : float, optional
        Donor density in the barriers, m⁻³ (≥ 0).

    Returns
    -------
    dict of str to numpy.ndarray
        Node arrays as :func:`layered_structure` returns them.

    Raises
    ------
    TypeError
        ``sl`` is not a Superlattice.
    """
    from .superlattice import Superlattice
    if not isinstance(sl, Superlattice):
        raise TypeError(f"sl must be a Superlattice, got {sl!r}")
    n = check_int("n_periods", n_periods, low=1)
    clad = check_real("cladding_nm", cladding_nm, low=0.0, low_open=True)
    nd = check_real("donor_density_per_m3", donor_density_per_m3, low=0.0)
    check_real("well_permittivity", well_permittivity, low=0.0, low_open=True)
    check_real("barrier_permittivity", barrier_permittivity, low=0.0, low_open=True)
    thick = [clad] + [sl.well_nm, sl.barrier_nm] * (n - 1) + [sl.well_nm, clad]
    offsets = [sl.barrier_height_eV] + [0.0, sl.barrier_height_eV] * n
    masses = [sl.barrier_mass] + [sl.well_mass, sl.barrier_mass] * n
    eps = [barrier_permittivity] + [well_permittivity, barrier_permittivity] * n
    donors = [nd] + [0.0, nd] * n
    return layered_structure(thick, offsets, masses, eps, donors, spacing_nm=spacing_nm)


@register("schrodinger_poisson.ingao3_zno", params=[
    Param("m", int, default=3, low=1, high=100,
          doc="ZnO layers per period"),
    Param("n_periods", int, default=4, low=1, high=1000,
          doc="wells in the stack"),
    Param("fermi_energies_eV", "array", doc="Fermi levels from the well bottom, eV"),
    Param("temperature_K", float, default=300.0, low=0.0, low_open=True, high=MAX_TEMPERATURE_K,
          doc="temperature, K"),
    Param("barrier_height_eV", float, default=None, optional=True, low=0.0, low_open=True, high=MAX_ENERGY_EV,
          doc="override of the weak band offset, eV"),
    Param("spacing_nm", float, default=0.01, low=1e-4, high=10.0,
          doc="grid spacing, nm")],
    summary="Self-consistent sheet density vs Fermi level of an InGaO3(ZnO)m well stack")
def ingao3_zno_sheet_density(fermi_energies_eV, m: int = 3, n_periods: int = 4,
                             temperature_K: float = 300.0,
                             barrier_height_eV: float | None = None,
                             spacing_nm: float = 0.01) -> Result:
    """Registered model: ``fermi_energy_eV``, ``sheet_density_per_m2`` (whole stack),
    ``ground_subband_eV`` and ``analytic_sheet_density_per_m2`` (the subband sum).

    Parameters
    ----------
    fermi_energies_eV : array_like
        Fermi levels from the well bottom, eV.
    m : int, optional
        ZnO layers per period (≥ 1).
    n_periods : int, optional
        Wells in the stack (≥ 1).
    temperature_K : float, optional
        Temperature, K (> 0).
    barrier_height_eV : float, optional
        Override of the band offset, eV (> 0).
    spacing_nm : float, optional
        Grid spacing, nm (> 0).

    Returns
    -------
    Result
        ``fermi_energy_eV`` (eV), ``sheet_density_per_m2`` and ``analytic_sheet_density_per_m2``
        (m⁻²), ``ground_subband_eV`` (eV).

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energies_eV` must be an array of finite numbers;
        `temperature_K` must be > 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `temperature_K` is not a real number;
        `fermi_energies_eV` is not an array of real numbers.
    """
    from . import superlattice
    efs = check_array("fermi_energies_eV", fermi_energies_eV)
    temperature_K = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
    sl = superlattice.ingao3_zno(m, barrier_height_eV=barrier_height_eV)
    struct = superlattice_structure(sl, n_periods, spacing_nm=spacing_nm)
    bcs = {"left_bc": ("dirichlet", 0.0), "right_bc": ("dirichlet", 0.0)}
    efs = check_array("fermi_energies_eV", fermi_energies_eV)
    ns, e0, analytic, u = [], [], [], None
    for ef in efs:
        r = solve(struct["z_nm"], struct["band_offset_eV"], struct["effective_mass"],
                  struct["permittivity"], struct["donor_density_per_m3"],
                  fermi_energy_eV=float(ef), temperature_K=temperature_K,
                  initial_potential_eV=u, **bcs)
        u = r.potential_energy_eV
        ns.append(float(r.sheet_density_per_m2))
        e0.append(float(r.subband_energies_eV[0]))
        analytic.append(float(sum(superlattice.sheet_density([E], ef, temperature_K, m_i)
                                  for E, m_i in zip(r.subband_energies_eV, r.subband_mass))))
    return Result("schrodinger_poisson.ingao3_zno",
                  {"m": m, "n_periods": n_periods, "temperature_K": temperature_K,
                   "barrier_height_eV": sl.barrier_height_eV, "spacing_nm": spacing_nm,
                   "fermi_energies_eV": efs},
                  {"fermi_energy_eV": efs, "sheet_density_per_m2": np.array(ns),
                   "ground_subband_eV": np.array(e0),
                   "analytic_sheet_density_per_m2": np.array(analytic)})


for _kind in ("schrodinger_poisson.sheet_density", "schrodinger_poisson.ingao3_zno"):
    _declare(_kind, coords=("fermi_energy_eV",), yscale="log",
             y=("sheet_density_per_m2", "analytic_sheet_density_per_m2"),
             labels={"sheet_density_per_m2": r"Sheet density $n_s$ (m$^{-2}$)",
                     "analytic_sheet_density_per_m2": r"analytic $n_s$ (m$^{-2}$)"})
