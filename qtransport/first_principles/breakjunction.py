"""DFT break junction: two semi-infinite chain electrodes across a vacuum gap → Kwant conductance.

(Module docstring completed below.)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ..errors import check_array, check_bool, check_choice, check_int, check_real
from ..errors import MAX_ENERGY_EV
from ..registry import Param, register
from ..results import Result
from .dft import DFTSettings
from .structure import CHAIN_BOND_ANGSTROM, Structure

__all__ = ["junction_structure", "junction_settings", "N_ATOMS", "GHOST_SPACING_ANGSTROM",
           "JunctionModel", "electrode_models", "junction_ring", "junction_conductance",
           "vacuum_level", "work_function_eV", "vacuum_kappa_per_angstrom", "GAPS_ANGSTROM",
           "FIT_FROM_ANGSTROM", "break_junction"]

logger = logging.getLogger(__name__)

#: Chain atoms per supercell: the middle atom is 2 bonds from both chain ends, and the 3-point
#: k mesh of a 5-atom cell samples the chain like the 15-point mesh of the shipped chains.
N_ATOMS = 5

#: Largest spacing (Å) between neighbouring basis sites (atoms or ghosts) across the gap.
GHOST_SPACING_ANGSTROM = 1.3


def junction_structure(element: str = "Au", gap_extra_angstrom: float = 1.0, *,
                       ghosts: bool = True, n_atoms: int = N_ATOMS,
                       vacuum_angstrom: float = 10.0) -> Structure:
    """Supercell of ``n_atoms`` chain atoms followed by a stretched bond (the gap), periodic in z.

    Atoms sit at z = i·a (i = 0 … n_atoms − 1, a the chain bond); the cell is n_atoms·a + d long,
    so the bond between the last atom and the periodic image of the first is a + d: one gap per
    cell, the chain atoms on both sides of it are the two electrode tips.

    Parameters
    ----------
    element : {"Au", "Ag", "Cu", "C"}
        Chain element.
    gap_extra_angstrom : float
        d, the stretch of one bond beyond the chain bond a (Å), 0-6.
    ghosts : bool
        Fill the gap with equally spaced ghost sites (``ghost-El``: the element's s and p basis
        shells, no nucleus) so that no two neighbouring basis sites are more than
        :data:`GHOST_SPACING_ANGSTROM` apart.
    n_atoms : int
        Chain atoms per supercell, 4-12.
    vacuum_angstrom : float
        Lateral box (Å), as for :func:`~qtransport.first_principles.structure.atomic_chain`.

    Returns
    -------
    Structure
        The supercell (Å), periodic along z.

    Raises
    ------
    ValueError
        An argument out of range.

    Examples
    --------
    >>> s = junction_structure("Au", 2.0, ghosts=False, n_atoms=4)
    >>> len(s.symbols), s.periodic
    (4, (False, False, True))
    """
    element = check_choice("element", element, tuple(CHAIN_BOND_ANGSTROM))
    d = check_real("gap_extra_angstrom", gap_extra_angstrom, low=0.0, high=6.0)
    ghosts = check_bool("ghosts", ghosts)
    n = check_int("n_atoms", n_atoms, low=4, high=12)
    L = check_real("vacuum_angstrom", vacuum_angstrom, low=6.0, high=30.0)
    a = CHAIN_BOND_ANGSTROM[element]
    symbols = [element] * n
    z = [i * a for i in range(n)]
    gap = a + d
    if ghosts:
        n_g = int(np.ceil(gap / GHOST_SPACING_ANGSTROM - 1e-9)) - 1
        for j in range(1, n_g + 1):
            symbols.append(f"ghost-{element}")
            z.append((n - 1) * a + j * gap / (n_g + 1))
    tag = f"{element}_junction_d{d:.2f}" + ("_ghost" if ghosts else "")
    return Structure(tuple(symbols), tuple((0.0, 0.0, float(v)) for v in z),
                     ((L, 0, 0), (0, L, 0), (0, 0, n * a + d)), (False, False, True), name=tag)


def junction_settings(structure: Structure) -> DFTSettings:
    """The chain settings (:class:`DFTSettings` defaults) with the k mesh cut in proportion to
    the cell length (15 points per chain bond of the shipped chains → the nearest odd number
    ≥ 3 for the supercell) and the potential lines stored (vacuum level).

    Parameters
    ----------
    structure : Structure
        A :func:`junction_structure` supercell.

    Returns
    -------
    DFTSettings
        The settings.
    """
    el = structure.symbols[0]
    n_k = 15 * CHAIN_BOND_ANGSTROM[el] / structure.cell[2][2]
    n_k = max(3, int(2 * np.floor(n_k / 2) + 1))
    # one off-mesh check point (k = 1/2): the supercell bands are not used for the fit, and every
    # check point costs a density-fitting pass
    return DFTSettings(kmesh=(1, 1, n_k), n_check=1, extra={"potential_lines": True})


def _site_orbitals(result):
    """AO indices of every site of a DFT result (PySCF labels start with the atom index)."""
    idx = np.array([int(lbl.split()[0]) for lbl in result.ao_labels])
    return [np.flatnonzero(idx == i) for i in range(len(result.structure.symbols))]


@dataclass
class JunctionModel:
    """Non-orthogonal H, S of a ring: perfect chain everywhere except a window around the gap.

    Parameters
    ----------
    H, S : ndarray (n, n)
        Ring matrices (eV; dimensionless), orbital blocks in site order.
    sites : list of (kind, index)
        ``("atom", p)`` (chain index p: p ≤ 0 left electrode, p ≥ 1 right, tips p = 0, 1) or
        ``("ghost", g)``; the ring closes from the last right atom to the first left atom.
    blocks : list of ndarray
        Orbital indices of every site in H, S.
    fermi_eV : float
        E_F of the electrodes (perfect chain, dense mesh).
    info : dict
        Alignment shift and residuals, dropped-element bounds (eV).
    """

    H: np.ndarray
    S: np.ndarray
    sites: list
    blocks: list
    fermi_eV: float
    info: dict


def electrode_models(chain_result, tol_eV: float = 1e-3) -> dict:
    """The perfect chain's non-orthogonal and Löwdin models (cut at ``tol_eV``) and dense E_F.

    Parameters
    ----------
    chain_result : DFTResult
        DFT of the perfect chain.
    tol_eV : float, optional
        Truncation tolerance, eV (> 0).

    Returns
    -------
    dict
        ``nonorth`` and ``orth`` (RealSpaceTB, eV), ``fermi_eV`` (eV) and ``ao_labels``.
    """
    from . import chains
    nonorth, orth = chains.tight_binding_from_dft(chain_result, tol_eV)
    return {"nonorth": nonorth, "orth": orth, "fermi_eV": chains.dense_fermi_level(nonorth, chain_result),
            "ao_labels": list(chain_result.ao_labels)}


def junction_ring(electrode: dict, junction_result=None, *, window: int = 2,
                  n_side: int | None = None) -> JunctionModel:
    """Assemble the junction's non-orthogonal H, S on a ring of 2·n_side chain atoms (+ ghosts).

    Pairs of sites both inside the window (``window`` atoms each side of the gap and the ghost
    sites) take their blocks from the supercell H(R), S(R) (the tips of cell 0 and of its image
    in cell 1), shifted by ΔV·S(R): ΔV aligns the supercell's on-site block of its middle atom
    (:data:`N_ATOMS` // 2, ``window`` bonds from both tips, the deepest electrode atom) with the
    perfect chain's (the periodic cells have different average-potential references). All other
    atom pairs on the same side take the perfect chain's H(R), S(R) (cut at ``tol_eV``); pairs
    across the gap with a site outside the window are zero (their supercell size is reported in
    ``info["dropped_eV"]``). ``junction_result=None`` builds the perfect chain the same way (the
    test of the assembly and of the orthogonalization).

    Parameters
    ----------
    electrode : dict
        :func:`electrode_models` of the perfect chain.
    junction_result : DFTResult, optional
        DFT of the junction supercell (``None``: the perfect chain).
    window : int, optional
        Atoms each side of the gap taken from the supercell (1–6).
    n_side : int, optional
        Chain atoms per side of the ring (window + 10 … 400; default from the hopping range).

    Returns
    -------
    JunctionModel
        The ring's H (eV), S and site bookkeeping.

    Raises
    ------
    ValueError
        A window too large for the supercell, or a bad argument.
    """
    from . import realspace as rs
    window = check_int("window", window, low=1, high=6)
    # default: the window, a margin of M atoms and M more for the lead check (M = hopping range
    # of the Löwdin lead); the 2·n_side-atom ring then aliases like a ≥ 4M-point k mesh
    M = max(abs(int(r[2])) for r in electrode["orth"].R)
    n_side = window + 2 * M + 2 if n_side is None else check_int(
        "n_side", n_side, low=window + 10, high=400)
    ef = electrode["fermi_eV"]
    cb = rs.chain_blocks(electrode["nonorth"])
    n_cut = max(cb)
    norb = cb[0][0].shape[0]
    info = {"n_cut_chain": n_cut, "window": window}
    sc = None
    n_ghost = 0
    if junction_result is not None:
        st = junction_result.structure
        n_at = sum(1 for s in st.symbols if not s.startswith("ghost-"))
        if 2 * window > n_at + 1:
            raise ValueError(f"window={window}: needs at most (n_atoms + 1)/2 = {(n_at + 1) // 2}"
                             " atoms each side of the gap")
        n_ghost = len(st.symbols) - n_at
        orbs = _site_orbitals(junction_result)
        lab_c = [lbl.split(None, 2)[2] for lbl in electrode["ao_labels"]]
        lab_j = [junction_result.ao_labels[i].split(None, 2)[2] for i in orbs[0]]
        if lab_c != lab_j:
            raise ValueError("junction and chain results have different atomic bases")
        jb = rs.chain_blocks(rs.real_space(junction_result))
        deep = n_at // 2
        d0 = np.ix_(orbs[deep], orbs[deep])
        dv = float(np.mean(np.real(np.diag(cb[0][0] - jb[0][0][d0]))))
        jb = {n: (H + dv * S, S) for n, (H, S) in jb.items()}
        info["alignment_shift_eV"] = dv
        info["alignment_onsite_residual_eV"] = float(np.max(np.abs(jb[0][0][d0] - cb[0][0])))
        d1 = np.ix_(orbs[deep], orbs[deep + 1])
        info["alignment_hopping_residual_eV"] = float(np.max(np.abs(jb[0][0][d1] - cb[1][0])))
        info["fermi_junction_aligned_eV"] = junction_result.fermi_eV + dv
        sc = (jb, orbs, n_at)
    # site list: left atoms p = -n_side+1 … 0, ghosts, right atoms p = 1 … n_side
    sites = [("atom", p) for p in range(-n_side + 1, 1)] + \
        [("ghost", g) for g in range(n_ghost)] + [("atom", p) for p in range(1, n_side + 1)]
    sizes = [norb if k == "atom" else len(sc[1][sc[2] + v]) for k, v in sites]
    offs = np.concatenate([[0], np.cumsum(sizes)])
    blocks = [np.arange(offs[i], offs[i + 1]) for i in range(len(sites))]
    n = int(offs[-1])
    H = np.zeros((n, n), complex)
    S = np.zeros((n, n), complex)
    n_ring = 2 * n_side

    def in_window(site):
        k, v = site
        return k == "ghost" or (-window < v <= window)

    def sc_index(site):             # (cell, supercell site) of a site in the supercell span
        jb, orbs, n_at = sc
        k, v = site
        if k == "ghost":
            return 0, n_at + v
        return (0, n_at - 1 + v) if v <= 0 else (1, v - 1)

    def in_span(site):              # left p ≥ −(n_at − 1) (cell 0), right p ≤ n_at (cell 1)
        k, v = site
        return k == "ghost" or (-sc[2] < v <= sc[2])

    def across(si, sj):             # a pair that couples through the gap (or via a ghost)
        return "ghost" in (si[0], sj[0]) or (si[1] <= 0) != (sj[1] <= 0)

    for i, si in enumerate(sites):
        for j, sj in enumerate(sites):
            if sc is not None and ((in_window(si) and in_window(sj)) or (
                    across(si, sj) and in_span(si) and in_span(sj))):
                ci, ai = sc_index(si)
                cj, aj = sc_index(sj)
                Hb, Sb = sc[0][cj - ci]
                sl = np.ix_(sc[1][ai], sc[1][aj])
                H[np.ix_(blocks[i], blocks[j])] = Hb[sl]
                S[np.ix_(blocks[i], blocks[j])] = Sb[sl]
                continue
            if si[0] == "ghost" or sj[0] == "ghost":
                continue
            delta = sj[1] - si[1]
            cross = (si[1] <= 0) != (sj[1] <= 0)
            if abs(delta) > n_ring // 2:            # the short way round closes the ring
                delta -= np.sign(delta) * n_ring
                cross = False
            if abs(delta) > n_cut or (cross and sc is not None):
                continue
            H[np.ix_(blocks[i], blocks[j])] = cb[delta][0]
            S[np.ix_(blocks[i], blocks[j])] = cb[delta][1]
    if sc is not None:
        # what the supercell span drops: couplings through the gap (and of the ghosts) reach
        # the outermost atoms of the span, p = −(n_at − 1) and p = n_at, with at most this
        # norm ‖H − E_F S‖₂; the next atoms out are one bond farther and set to zero
        jb, orbs, n_at = sc
        dropped = 0.0
        for si in sites:
            for sj in (("atom", -n_at + 1), ("atom", n_at)):
                if not (in_span(si) and across(si, sj)):
                    continue
                ci, ai = sc_index(si)
                cj, aj = sc_index(sj)
                Hb, Sb = jb[cj - ci]
                sl = np.ix_(orbs[ai], orbs[aj])
                dropped = max(dropped, float(np.linalg.norm(Hb[sl] - ef * Sb[sl], 2)))
        info["dropped_eV"] = dropped
        # the window boundary: supercell block of the first same-side pair replaced by the chain
        ci, ai = sc_index(("atom", -window + 1))
        cj, aj = sc_index(("atom", -window))
        Hb = jb[cj - ci][0][np.ix_(orbs[ai], orbs[aj])]
        info["window_boundary_residual_eV"] = float(np.max(np.abs(Hb - cb[-1][0])))
    H = 0.5 * (H + H.conj().T)
    S = 0.5 * (S + S.conj().T)
    # real orbitals and a Γ-centred symmetric mesh make every H(R), S(R) real (F(−k) = F(k)*):
    # keep the real part (4× cheaper eigh) and record what was dropped
    info["imag_dropped_eV"] = float(max(np.max(np.abs(H.imag)), ef * np.max(np.abs(S.imag))))
    if info["imag_dropped_eV"] > 1e-6:
        raise ValueError(f"ring H, S have imaginary parts up to {info['imag_dropped_eV']:.3g} eV "
                         "(not a real-orbital, inversion-symmetric mesh)")
    return JunctionModel(H.real.copy(), S.real.copy(), sites, blocks, ef, info)


def junction_conductance(model: JunctionModel, electrode: dict, *, margin: int | None = None,
                         energy_eV: float | None = None) -> dict:
    """Löwdin-orthogonalize the ring and run Kwant with perfect-chain Löwdin leads.

    H̃ = S^{−1/2} H S^{−1/2} of the whole ring (far from the window it is the perfect chain's
    H̃(R) up to the ring's aliasing, like a k mesh of 2·n_side points). The scattering region is
    the window plus ``margin`` atoms each side (default the lead's hopping range M); its
    on-site and hopping blocks are those of the ring's H̃ (atom pairs up to M apart, ghost pairs
    all), and the two leads are the perfect chain's H̃(R) cut at ``tol_eV``
    (:func:`~qtransport.first_principles.realspace.chain_lead`).

    Parameters
    ----------
    model : JunctionModel
        The ring (:func:`junction_ring`).
    electrode : dict
        :func:`electrode_models` of the perfect chain.
    margin : int, optional
        Atoms added to each side of the window in the scattering region (≥ M, ≤ 200).
    energy_eV : float, optional
        Energy, eV (default: the electrodes' E_F).

    Returns
    -------
    dict
        ``conductance_G0`` at E (default the electrodes' E_F), ``n_modes``,
        ``unitarity_error`` (max |S†S − 1|), ``lead_mismatch_eV`` (max difference between the
        ring's H̃ at the outer M atoms of the scattering region and the lead's H̃(R)),
        ``min_overlap_eigenvalue`` of the ring.

    Raises
    ------
    ValueError
        The ring overlap is not positive definite, or a bad argument.
    """
    import kwant
    from . import realspace as rs
    from ..tight_binding.lattice import check_unitarity
    orth = electrode["orth"]
    lead, lat, M = rs.chain_lead(orth)
    lb = rs.chain_blocks(orth)
    margin = M if margin is None else check_int("margin", margin, low=M, high=200)
    w, v = np.linalg.eigh(model.S)
    if w.min() <= 0:
        raise ValueError(f"ring overlap not positive definite (smallest eigenvalue {w.min():.3g})")
    X = (v / np.sqrt(w)) @ v.conj().T
    Ht = X @ model.H @ X
    Ht = 0.5 * (Ht + Ht.T)
    atoms = [p for k, p in model.sites if k == "atom"]
    n_side = max(atoms)
    ghosts = [g for k, g in model.sites if k == "ghost"]
    inner = model.info["window"]
    lo, hi = -(inner + margin) + 1, inner + margin
    if hi + M >= n_side:
        raise ValueError(f"margin={margin}: the ring (n_side={n_side}) is too short for the "
                         f"scattering region ±{hi} and the lead range {M}")
    a = float(lat.prim_vecs[0][0])
    n_gorb = len(model.blocks[model.sites.index(("ghost", 0))]) if ghosts else 1
    gl = kwant.lattice.Monatomic([[a]], offset=[0.5 * a], name="ghost", norbs=n_gorb)
    syst = kwant.Builder()
    chosen = []
    for idx, (k, p) in enumerate(model.sites):
        if k == "ghost":
            chosen.append((idx, gl(p), None))
        elif lo <= p <= hi:
            chosen.append((idx, lat(p), p))
    for idx, site, p in chosen:
        b = model.blocks[idx]
        syst[site] = Ht[np.ix_(b, b)]
    for a_, (i, si, pi) in enumerate(chosen):
        for (j, sj, pj) in chosen[a_ + 1:]:
            if pi is not None and pj is not None and abs(pi - pj) > M:
                continue
            syst[si, sj] = Ht[np.ix_(model.blocks[i], model.blocks[j])]
    # the leads replace the ring's H̃ by the perfect chain's for every pair with a site beyond
    # the scattering region (p < lo or p > hi): compare the two there, up to M bonds in
    mismatch = 0.0
    index = {p: i for i, (k, p) in enumerate(model.sites) if k == "atom"}
    for p in list(range(lo - M, lo)) + list(range(hi + 1, hi + M + 1)):
        for dlt in range(-M, M + 1):
            q = p + dlt
            if (p < lo and q <= lo + M - 1 and q >= lo - M) or (p > hi and hi - M + 1 <= q <= hi + M):
                blk = Ht[np.ix_(model.blocks[index[p]], model.blocks[index[q]])]
                mismatch = max(mismatch, float(np.max(np.abs(blk - lb[dlt][0]))))
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    fsys = syst.finalized()
    E = model.fermi_eV if energy_eV is None else check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    sm = kwant.smatrix(fsys, energy=E)
    Sm = sm.data
    check_unitarity(sm, E)
    return {"conductance_G0": float(sm.transmission(1, 0)), "n_modes": int(sm.num_propagating(0)),
            "unitarity_error": float(np.max(np.abs(Sm.conj().T @ Sm - np.eye(Sm.shape[0])))),
            "lead_mismatch_eV": mismatch, "min_overlap_eigenvalue": float(w.min()),
            "lead_range_cells": M, "margin": margin, "energy_eV": E, "n_orbitals_ring": len(w)}


def vacuum_level(result) -> tuple[float, float]:
    """Vacuum level (eV) of a supercell: mean electrostatic potential energy on the line through
    the middle of the lateral vacuum, and its spread (max − min) along that line (eV).

    Parameters
    ----------
    result : DFTResult
        A calculation run with ``extra={"potential_lines": True}``.

    Returns
    -------
    level_eV : float
        Vacuum level, eV.
    spread_eV : float
        Its spread along the line, eV.

    Raises
    ------
    ValueError
        The result has no potential lines.
    """
    v = result.provenance.get("potential_vacuum_eV")
    if v is None:
        raise ValueError(f"result {result.structure.name!r} has no potential lines "
                         "(run with extra={'potential_lines': True})")
    v = np.asarray(v, dtype=float)
    return float(v.mean()), float(v.max() - v.min())


def work_function_eV(result) -> float:
    """W = V_vacuum − E_F (eV) of the same calculation (no alignment needed).

    Parameters
    ----------
    result : DFTResult
        A calculation with potential lines.

    Returns
    -------
    float
        W, eV.
    """
    return vacuum_level(result)[0] - float(result.fermi_eV)


def vacuum_kappa_per_angstrom(work_function: float) -> float:
    """κ = √(2 m_e W)/ħ (1/Å): the decay of a state at E_F in a vacuum barrier of height W (eV),
    the free-electron complex band structure of vacuum, k² = −2m(W)/ħ².

    Parameters
    ----------
    work_function : float
        Barrier height W, eV (> 0).

    Returns
    -------
    float
        κ, 1/Å.

    Raises
    ------
    ValueError
        If an argument is invalid: `work_function` must be > 0.
    TypeError
        If an argument has the wrong type: `work_function` is not a real number.

    Examples
    --------
    >>> round(vacuum_kappa_per_angstrom(5.0), 4)
    1.1456
    """
    from scipy import constants as c
    W = check_real("work_function", work_function, low=0.0, low_open=True)
    return float(np.sqrt(2 * c.m_e * W * c.e) / c.hbar * 1e-10)


#: Gap stretches d (Å beyond the chain bond) of the shipped Au supercell calculations, with
#: ghosts in the gap (True) and without (False).
GAPS_ANGSTROM = {True: (0.0, 1.0, 2.0, 3.0, 4.0), False: (0.0, 2.0, 4.0)}

#: Fits of ln G(d) use the gaps at and beyond this stretch (Å): "beyond contact". At d = 1 Å
#: (tips 3.6 Å apart) the computed G is still 0.58 G0 and the local slope of ln G only 70 % of
#: the slope beyond 2 Å: the tip orbitals still overlap directly (a stretched bond, not a gap).
FIT_FROM_ANGSTROM = 2.0


_ELECTRODES: dict = {}


def _fit_line(x, y):
    A = np.vstack([x, np.ones_like(x)]).T
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return float(coef[0]), float(coef[1]), float(np.max(np.abs(A @ coef - y)))


@register("first_principles.break_junction",
          summary="PBE supercell DFT (PySCF, cached) of two chain electrodes across a gap -> "
                  "H, S -> Loewdin -> Kwant G(d); ln G fit vs the vacuum kappa from the work function",
          params=[
              Param("element", str, default="Au", choices=("Au",),
                    doc="electrode chain element (shipped: Au)"),
              Param("gaps_angstrom", "array", default=None, optional=True, low=0.0, high=6.0,
                    doc="bond stretches d (Å) beyond the chain bond; default the shipped set"),
              Param("ghosts", bool, default=True,
                    doc="ghost s+p basis sites in the gap (the vacuum tail)"),
              Param("tol_meV", float, default=1.0, low=1e-3, high=100.0,
                    doc="truncation tolerance of the electrode H(R), S(R) and Löwdin H(R) (meV)"),
              Param("compute", bool, default=False,
                    doc="run PySCF for gaps missing from the cache (minutes each)"),
              Param("max_dft_s", float, default=3600.0, low=0.0, low_open=True, allow_inf=True,
                    doc="limit of the estimated total time of the missing PySCF runs (s, one "
                        "core); above it compute=True is refused before starting"),
          ])
def break_junction(element: str = "Au", gaps_angstrom=None, ghosts: bool = True,
                   tol_meV: float = 1.0, compute: bool = False,
                   max_dft_s: float = 3600.0) -> Result:
    """Conductance of a chain break junction versus the gap, from first principles.

    Parameters
    ----------
    element : {"Au"}, optional
        Electrode chain element (shipped: Au).
    gaps_angstrom : array_like, optional
        Bond stretches d beyond the chain bond, Å (0–6; default: the shipped set).
    ghosts : bool, optional
        Ghost s+p basis sites in the gap (the vacuum tail).
    tol_meV : float, optional
        Truncation tolerance of the electrode models, meV (1e-3–100).
    compute : bool, optional
        Run PySCF for gaps missing from the cache.
    max_dft_s : float, optional
        Limit of the estimated total time of the missing PySCF runs, s (> 0, ``inf`` allowed).

    Returns
    -------
    Result
        ``gaps_angstrom`` (d), ``conductance_G0`` G(E_F), ``work_function_eV`` (per supercell),
        ``unitarity_error``, ``alignment_shift_eV``, ``dft_wall_s``; attrs: ``slope_per_angstrom``
        (d ln G/dd fitted for d ≥ :data:`FIT_FROM_ANGSTROM`), ``fit_max_residual``,
        ``kappa_fit_per_angstrom`` (= −slope/2), ``kappa_vacuum_per_angstrom`` (√(2mW)/ħ from
        the mean W of the fitted gaps), ``work_function_mean_eV``, ``fermi_eV``.

    Raises
    ------
    ValueError
        If an argument is invalid: `element` must be one of ``('Au',)``; `gaps_angstrom` must be a
        1-D array of finite numbers >= 0 and <= 6; `tol_meV` must be >= 0.001 and <= 100;
        `max_dft_s` must be > 0; with ``compute=False`` every gap must have a cached DFT result
        (pass ``compute=True`` to run PySCF).
    TypeError
        If an argument has the wrong type: `tol_meV` or `max_dft_s` are not real numbers;
        `gaps_angstrom` is not an array of real numbers; `ghosts` or `compute` are not bools.
    """
    from .dft import cached_path, check_cost, load_or_run
    from .structure import atomic_chain
    element = check_choice("element", element, ("Au",))
    ghosts = check_bool("ghosts", ghosts)
    gaps = check_array("gaps_angstrom", GAPS_ANGSTROM[ghosts] if gaps_angstrom is None
                       else gaps_angstrom, low=0.0, high=6.0, ndim=1)
    tol = check_real("tol_meV", tol_meV, low=1e-3, high=100.0)
    compute = check_bool("compute", compute)
    max_dft_s = check_real("max_dft_s", max_dft_s, low=0.0, low_open=True, allow_inf=True)
    jobs = [(atomic_chain(element), DFTSettings())]
    jobs += [(st, junction_settings(st)) for st in
             (junction_structure(element, float(d), ghosts=ghosts) for d in gaps)]
    missing = [i for i, job in enumerate(jobs) if cached_path(*job) is None]
    if compute:            # every missing supercell run is estimated (and maybe refused) first
        check_cost([jobs[i] for i in missing], max_dft_s=max_dft_s)
    elif any(i > 0 for i in missing):
        d = [float(gaps[i - 1]) for i in missing if i > 0]
        raise ValueError(f"gaps_angstrom {d[:5]}{' …' if len(d) > 5 else ''} have no cached "
                         f"DFT result (the shipped gaps with ghosts={ghosts}: "
                         f"{list(GAPS_ANGSTROM[ghosts])} Å); pass compute=True to run PySCF")
    chain = load_or_run(atomic_chain(element), DFTSettings(), compute=compute,
                        max_dft_s=max_dft_s)
    key = (chain.provenance["cache_key"], tol)
    if key not in _ELECTRODES:                  # same inputs, same models: computed once
        _ELECTRODES[key] = electrode_models(chain, tol * 1e-3)
    el = _ELECTRODES[key]
    cols = {k: [] for k in ("conductance_G0", "work_function_eV", "unitarity_error",
                            "alignment_shift_eV", "alignment_onsite_residual_eV",
                            "dropped_eV", "lead_mismatch_eV", "fermi_junction_eV", "dft_wall_s",
                            "min_overlap_eigenvalue", "vacuum_spread_eV")}
    for d in gaps:
        st = junction_structure(element, float(d), ghosts=ghosts)
        res = load_or_run(st, junction_settings(st), compute=compute, max_dft_s=max_dft_s)
        model = junction_ring(el, res)
        g = junction_conductance(model, el)
        cols["conductance_G0"].append(g["conductance_G0"])
        cols["unitarity_error"].append(g["unitarity_error"])
        cols["lead_mismatch_eV"].append(g["lead_mismatch_eV"])
        cols["min_overlap_eigenvalue"].append(g["min_overlap_eigenvalue"])
        cols["work_function_eV"].append(work_function_eV(res))
        cols["vacuum_spread_eV"].append(vacuum_level(res)[1])
        for k in ("alignment_shift_eV", "alignment_onsite_residual_eV", "dropped_eV"):
            cols[k].append(model.info[k])
        cols["fermi_junction_eV"].append(model.info["fermi_junction_aligned_eV"])
        cols["dft_wall_s"].append(float(res.provenance["wall_time_s"]))
    data = {"gaps_angstrom": gaps, **{k: np.array(v) for k, v in cols.items()}}
    fit = gaps >= FIT_FROM_ANGSTROM - 1e-9
    attrs = {"fermi_eV": el["fermi_eV"], "fit_from_angstrom": FIT_FROM_ANGSTROM,
             "bond_angstrom": CHAIN_BOND_ANGSTROM[element], "n_atoms_supercell": N_ATOMS,
             "ghost_spacing_angstrom": GHOST_SPACING_ANGSTROM}
    if fit.sum() >= 2:
        slope, icpt, resid = _fit_line(gaps[fit], np.log(data["conductance_G0"][fit]))
        W = float(np.mean(data["work_function_eV"][fit]))
        attrs.update({"slope_per_angstrom": slope, "intercept": icpt, "fit_max_residual": resid,
                      "kappa_fit_per_angstrom": -slope / 2, "work_function_mean_eV": W,
                      "kappa_vacuum_per_angstrom": vacuum_kappa_per_angstrom(W)})
    return Result("first_principles.break_junction",
                  {"element": element, "gaps_angstrom": gaps, "ghosts": ghosts, "tol_meV": tol,
                   "compute": compute}, data, attrs)
