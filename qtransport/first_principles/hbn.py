"""Bulk h-BN from PBE: band gap, complex band structure along c, per-layer attenuation, barrier.

The shipped calculation (:data:`HBN_SETTINGS`, :func:`hbn_result`) is bulk AA' h-BN at the
experimental lattice (a = 2.504 Å, c = 6.661 Å, two layers per cell; PBE does not bind the
layers, so the geometry is an input), PBE + GTH, ``gth-szv-molopt-sr`` (B, N: s + p), no
smearing, a Γ-centred 3×3×3 mesh (it contains K = (1/3, 1/3) and, along c, the cells n = −1, 0, 1).

Complex bands along c at fixed in-plane k (default K, where graphene's states tunnel):
F_n(k∥), S_n(k∥) are the inverse Fourier transform over the mesh's k₃ values at that k∥
(exact in-plane, no interpolation there), and Σ_n (F_n − E S_n) λ^n ψ = 0 is solved as a
generalized polynomial eigenproblem (:func:`~qtransport.tight_binding.complex_bands.bloch_factors`
on the pencil blocks, no orthogonalization). κ per cell (two layers) → κ per nm = κ/c; the
per-layer attenuation of |ψ|² is exp(−2κ d) with d = c/2.
"""
from __future__ import annotations

import logging

import numpy as np

from ..errors import check_array, check_choice, check_int, check_real
from ..errors import MAX_ENERGY_EV
from ..registry import Param, register
from ..results import Result
from ..tight_binding.complex_bands import bloch_factors
from ..tight_binding.tunneling import Barrier
from ..tight_binding.tunneling_decay import DecayTable
from ..infra import atomic_path
from .dft import CACHE_DIR, DFTResult, DFTSettings, load_or_run
from .structure import Structure, hbn_bulk

__all__ = ["HBN_SETTINGS", "MONOLAYER_SETTINGS", "K_INPLANE", "DECAY_CSV", "hbn_result",
           "monolayer", "write_decay_csv", "band_gap", "c_axis_blocks",
           "c_axis_bands", "kappa_along_c", "decay_table", "barrier", "decay_along_c"]

logger = logging.getLogger(__name__)

#: In-plane K point in reduced coordinates of the hexagonal cell (a1 ∠ a2 = 120°).
K_INPLANE = (1 / 3, 1 / 3)

#: Settings of the shipped bulk h-BN calculation (off-mesh checks along K-H added).
HBN_SETTINGS = DFTSettings(kmesh=(3, 3, 3), smearing_Ha=0.0, n_check=4,
                           extra={"check_kpts_frac": [[1 / 3, 1 / 3, (2 * j + 1) / 12]
                                                      for j in range(6)]})


#: Settings of the cheap monolayer check (same functional, basis and in-plane mesh as the bulk;
#: ~10 CPU-s): the in-plane 3×3 mesh, 1 k point across the vacuum, K added to the checks.
MONOLAYER_SETTINGS = DFTSettings(kmesh=(3, 3, 1), smearing_Ha=0.0, n_check=2,
                                 extra={"check_kpts_frac": [[1 / 3, 1 / 3, 0.0]]})


def monolayer(a_angstrom: float | None = None, vacuum_angstrom: float = 10.0) -> Structure:
    """Monolayer h-BN (B at (1/3, 2/3), N at (2/3, 1/3)) in a cell with ``vacuum_angstrom``
    (Å, 6-30) along c; periodic in-plane only. ``a_angstrom`` defaults to the bulk value.

    Parameters
    ----------
    a_angstrom : float, optional
        In-plane lattice constant a, Å (2–3; default: the bulk value).
    vacuum_angstrom : float, optional
        Cell length along c (layer plus vacuum), Å (6–30).

    Returns
    -------
    Structure
        Two atoms (B, N), positions and cell in Å, periodic along a1, a2 only.

    Raises
    ------
    ValueError
        A lattice constant or vacuum out of range.

    Examples
    --------
    >>> s = monolayer()
    >>> s.symbols, s.periodic, round(s.cell[2][2], 1)
    (('B', 'N'), (True, True, False), 10.0)
    """
    bulk = hbn_bulk(a_angstrom)
    c = check_real("vacuum_angstrom", vacuum_angstrom, low=6.0, high=30.0)
    a1, a2 = np.array(bulk.cell[0]), np.array(bulk.cell[1])
    M = np.array([a1, a2, [0.0, 0.0, c]])
    pos = tuple(tuple(np.array(f) @ M) for f in ((1 / 3, 2 / 3, 0.0), (2 / 3, 1 / 3, 0.0)))
    return Structure(("B", "N"), pos, tuple(tuple(v) for v in M), (True, True, False),
                     name="hBN_monolayer")


def hbn_result(compute: bool = False) -> DFTResult:
    """The bulk h-BN DFT result (shipped cache; ``compute=True`` runs PySCF if missing).

    Parameters
    ----------
    compute : bool, optional
        Run PySCF when the cache has no result for :data:`HBN_SETTINGS`.

    Returns
    -------
    DFTResult
        Bands (eV), Fock and overlap matrices of the bulk AA' cell.

    Examples
    --------
    >>> result = hbn_result()          # the stored PBE run (compute=False)
    >>> type(result).__name__
    'DFTResult'
    """
    return load_or_run(hbn_bulk(), HBN_SETTINGS, compute=compute)


def _nocc(result: DFTResult) -> int:
    return int(result.provenance["nelectron_per_cell"]) // 2


def band_gap(result: DFTResult) -> dict:
    """Gap from every k the calculation holds (mesh and checks), eV.

    Parameters
    ----------
    result : DFTResult
        A converged periodic calculation (mesh and check k points).

    Returns
    -------
    dict
        ``vbm_eV``, ``cbm_eV``, ``gap_eV`` (indirect), ``direct_gap_eV`` (smallest vertical),
        ``vbm_k``, ``cbm_k`` (reduced).

    Examples
    --------
    >>> round(band_gap(hbn_result())["gap_eV"], 1)     # bulk h-BN, PBE
    4.5
    """
    n = _nocc(result)
    k = np.vstack([result.kpts_frac, result.check_kpts_frac])
    e = np.vstack([result.mesh_bands_eV, result.check_bands_eV])
    iv, ic = int(np.argmax(e[:, n - 1])), int(np.argmin(e[:, n]))
    return {"vbm_eV": float(e[iv, n - 1]), "cbm_eV": float(e[ic, n]),
            "gap_eV": float(e[ic, n] - e[iv, n - 1]),
            "direct_gap_eV": float(np.min(e[:, n] - e[:, n - 1])),
            "vbm_k": k[iv].round(6).tolist(), "cbm_k": k[ic].round(6).tolist()}


def c_axis_blocks(result: DFTResult, k_inplane=K_INPLANE) -> dict[int, tuple[np.ndarray,
                                                                             np.ndarray]]:
    """{n: (F_n, S_n)} along c at an in-plane k that is on the mesh (eV).

    Parameters
    ----------
    result : DFTResult
        The bulk calculation (Fock matrices in eV).
    k_inplane : sequence of float, optional
        In-plane k (two reduced coordinates), on the calculation's in-plane mesh.

    Returns
    -------
    dict of int to (numpy.ndarray, numpy.ndarray)
        {n: (F_n, S_n)}: Fock (eV) and overlap blocks between cells n apart along c.

    Raises
    ------
    ValueError
        ``k_inplane`` is not two numbers or not on the mesh.

    Examples
    --------
    >>> sorted(c_axis_blocks(hbn_result()))
    [-1, 0, 1]
    """
    kp = check_array("k_inplane", k_inplane)
    if kp.shape != (2,):
        raise ValueError(f"k_inplane must be two reduced coordinates, got shape {kp.shape}")
    kf = result.kpts_frac
    d = kf[:, :2] - kp[None, :]
    sel = np.flatnonzero(np.all(np.abs(d - np.round(d)) < 1e-8, axis=1))
    n3 = result.settings.kmesh[2]
    if sel.size != n3:
        raise ValueError(f"k_inplane={kp.tolist()} is not on the in-plane k mesh "
                         f"{result.settings.kmesh[:2]} (found {sel.size} of {n3} k3 points)")
    k3 = kf[sel, 2]
    out = {}
    for m in range(-(n3 - 1) // 2, (n3 - 1) // 2 + 1):
        ph = np.exp(-2j * np.pi * k3 * m) / n3
        out[m] = (np.tensordot(ph, result.fock_eV[sel], axes=1),
                  np.tensordot(ph, result.overlap[sel], axes=1))
    return out


def c_axis_bands(blocks, k3) -> np.ndarray:
    """Bands (eV) at reduced k₃ values from the c-axis blocks (generalized eigenproblem).

    Parameters
    ----------
    blocks : dict of int to (numpy.ndarray, numpy.ndarray)
        {n: (F_n, S_n)} from :func:`c_axis_blocks` (F in eV, S dimensionless).
    k3 : array_like
        Reduced wave numbers along c.

    Returns
    -------
    numpy.ndarray
        Bands, eV, shape (len(k3), orbitals), ascending in each row.

    Raises
    ------
    ValueError
        If an argument is invalid: `k3` must be a 1-D array of finite numbers.
    TypeError
        If an argument has the wrong type: `k3` is not an array of real numbers.

    Examples
    --------
    >>> c_axis_bands(c_axis_blocks(hbn_result()), [0.0, 0.5]).shape
    (2, 16)
    """
    import scipy.linalg
    k3 = check_array("k3", k3, ndim=1)
    out = []
    for k in k3:
        H = sum(np.exp(2j * np.pi * k * m) * F for m, (F, _) in blocks.items())
        S = sum(np.exp(2j * np.pi * k * m) * Sm for m, (_, Sm) in blocks.items())
        out.append(scipy.linalg.eigh(0.5 * (H + H.conj().T), 0.5 * (S + S.conj().T),
                                     eigvals_only=True))
    return np.array(out)


def kappa_along_c(blocks, energies_eV) -> np.ndarray:
    """Smallest decay per cell κ_min(E) of Σ_n (F_n − E S_n) λ^n ψ = 0 (0 where propagating).

    Parameters
    ----------
    blocks : dict of int to (numpy.ndarray, numpy.ndarray)
        {n: (F_n, S_n)} from :func:`c_axis_blocks` (F in eV, S dimensionless).
    energies_eV : array_like
        Energies, eV (the scale of the Fock matrices).

    Returns
    -------
    numpy.ndarray
        κ_min per cell (two layers), dimensionless, one per energy (``inf`` without solutions).

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.

    Examples
    --------
    >>> kappa = kappa_along_c(c_axis_blocks(hbn_result()), [7.5])   # inside the gap
    >>> bool(0 < kappa[0] < float("inf"))
    True
    """
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    out = np.empty(E.size)
    for i, e in enumerate(E):
        pencil = {m: F - e * S for m, (F, S) in blocks.items()}
        lam = bloch_factors(pencil, 0.0)
        kap = np.abs(np.log(np.abs(lam)))
        # |ln|λ|| < 1e-6: a propagating state (pencil eigenvalues are accurate to ~1e-10 here)
        out[i] = 0.0 if kap.size and kap[0] < 1e-6 else float(kap[0]) if kap.size else np.inf
    return out


def _edges(blocks, n_occ: int) -> tuple[float, float]:
    e = c_axis_bands(blocks, np.linspace(0.0, 0.5, 101))
    return float(e[:, n_occ - 1].max()), float(e[:, n_occ].min())


def decay_table(result: DFTResult | None = None, carrier: str = "electron",
                k_inplane=K_INPLANE, n_points: int = 201) -> DecayTable:
    """κ(φ) (1/nm) versus depth φ below the band edge along c at k∥, a tunneling DecayTable.

    ``carrier="electron"`` measures φ down from the conduction-band edge, ``"hole"`` up from
    the valence-band edge (of the bands along c at that k∥).

    Parameters
    ----------
    result : DFTResult, optional
        The bulk h-BN calculation (default: :func:`hbn_result`, the shipped cache).
    carrier : {"electron", "hole"}, optional
        Measure φ from the conduction (electron) or valence (hole) edge.
    k_inplane : sequence of float, optional
        In-plane k (reduced), on the mesh.
    n_points : int, optional
        Depths of the table (11–5001).

    Returns
    -------
    DecayTable
        κ (1/nm) at depths φ (eV) from 0 to the gap along c.

    Raises
    ------
    ValueError
        A bad ``carrier``, ``n_points`` or ``k_inplane``.

    Examples
    --------
    >>> table = decay_table()          # electrons, from the stored run
    >>> round(table.max_depth_eV, 1)
    4.5
    """
    result = hbn_result() if result is None else result
    carrier = check_choice("carrier", carrier, ("electron", "hole"))
    n_points = check_int("n_points", n_points, low=11, high=5001)
    blocks = c_axis_blocks(result, k_inplane)
    ev, ec = _edges(blocks, _nocc(result))
    gap = ec - ev
    # Chebyshev-Lobatto depths cluster points at both edges, where κ varies as √φ
    phi = 0.5 * gap * (1 - np.cos(np.linspace(0.0, np.pi, n_points)))
    E = ec - phi if carrier == "electron" else ev + phi
    kap = kappa_along_c(blocks, E)
    kap[0] = 0.0
    c_nm = float(np.linalg.norm(result.structure.cell[2])) / 10.0
    src = (f"PBE/{result.settings.basis} bulk h-BN (PySCF {result.provenance['pyscf_version']}, "
           f"kmesh {result.settings.kmesh}), complex bands along c at "
           f"k_par={np.round(np.asarray(k_inplane, float), 6).tolist()}")
    return DecayTable(phi, kap / c_nm, source=src)


#: The computed κ(φ) tables at K that :func:`qtransport.tight_binding.tunneling.hbn_barrier`
#: reads (it cannot import this module: the tunneling module sits below it), written by
#: :func:`write_decay_csv` and checked against this cache by the tests.
DECAY_CSV = CACHE_DIR / "hBN_decay_K.csv"


def write_decay_csv(path=None, result: DFTResult | None = None, n_points: int = 201):
    """Write κ(φ) (1/nm) at K for electrons and holes (same depth grid) as CSV, atomically.

    Columns ``depth_eV, kappa_electron_per_nm, kappa_hole_per_nm`` (17 significant digits);
    ``#`` header lines carry the provenance (settings, PySCF version, cache key).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Output file (default :data:`DECAY_CSV`).
    result : DFTResult, optional
        The bulk h-BN calculation (default: :func:`hbn_result`, the shipped cache).
    n_points : int, optional
        Depths of the tables (11–5001).

    Returns
    -------
    str or pathlib.Path
        The path written.
    """
    result = hbn_result() if result is None else result
    el = decay_table(result, "electron", n_points=n_points)
    ho = decay_table(result, "hole", n_points=n_points)
    if not np.array_equal(el.depth_eV, ho.depth_eV):       # same gap along c: same grid
        raise RuntimeError("electron and hole decay tables have different depth grids")
    path = DECAY_CSV if path is None else path
    lines = [f"# {el.source}",
             f"# cache {result.provenance['cache_key'][:16]} (data/first_principles), smearing "
             f"{result.settings.smearing_Ha} Ha, pseudo {result.settings.pseudo}",
             "# written by qtransport.first_principles.hbn.write_decay_csv; depth below the "
             "conduction edge (electrons) or above the valence edge (holes)",
             "depth_eV,kappa_electron_per_nm,kappa_hole_per_nm"]
    lines += [f"{p!r},{a!r},{b!r}" for p, a, b in zip(el.depth_eV.tolist(),
                                                       el.kappa_per_nm.tolist(),
                                                       ho.kappa_per_nm.tolist())]
    with atomic_path(path, suffix=".csv.tmp") as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    return path


def barrier(n_layers: int, height_eV: float, carrier: str = "electron", *,
            result: DFTResult | None = None, fermi_energy_eV: float = 0.1,
            electrode_mass: float = 1.0) -> Barrier:
    """A tunneling Barrier whose decay is the computed κ(φ) (WKB with the complex bands).

    ``height_eV`` (band alignment to the electrode) is still an input: bulk DFT gives no
    interface dipole.

    Parameters
    ----------
    n_layers : int
        Number of h-BN layers (≥ 1).
    height_eV : float
        Band edge of the layers at the left interface, eV above the electrode's band bottom (the
        band alignment, an input; > 0).
    carrier : {"electron", "hole"}, optional
        Which edge the decay table is measured from.
    result : DFTResult, optional
        The bulk h-BN calculation (default: :func:`hbn_result`, the shipped cache).
    fermi_energy_eV : float, optional
        Electrode Fermi energy above its band bottom, eV.
    electrode_mass : float, optional
        Electrode effective mass, m_e.

    Returns
    -------
    Barrier
        ``n_layers`` layers of thickness c/2 (nm) with the computed decay table (WKB only).

    Raises
    ------
    ValueError
        ``n_layers`` < 1 or ``height_eV`` ≤ 0.

    Examples
    --------
    >>> b = barrier(3, 1.5)
    >>> round(b.thickness_nm, 3)
    0.999
    """
    result = hbn_result() if result is None else result
    table = decay_table(result, carrier)
    d_nm = float(np.linalg.norm(result.structure.cell[2])) / 20.0
    return Barrier.from_decay(table, check_real("height_eV", height_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV),
                              d_nm, check_int("n_layers", n_layers, low=1),
                              fermi_energy_eV=fermi_energy_eV, electrode_mass=electrode_mass)


@register("first_principles.decay_along_c",
          summary="bulk h-BN from PBE DFT (PySCF, cached): gap and complex-band decay along c, "
                  "per-layer attenuation exp(-2 kappa d) across the gap",
          params=[
              Param("n_energies", int, default=61, low=5, high=2001,
                    doc="energies spanning the gap along c at K"),
              Param("valley", str, default="K", choices=("K", "gamma"),
                    doc="in-plane k of the tunneling states"),
              Param("compute", bool, default=False, doc="run PySCF if not cached"),
          ])
def decay_along_c(n_energies: int = 61, valley: str = "K", compute: bool = False) -> Result:
    """κ(E) in the gap of bulk h-BN along c from DFT.

    Parameters
    ----------
    n_energies : int, optional
        Energies spanning the gap along c (5–2001).
    valley : {"K", "gamma"}, optional
        In-plane k of the tunneling states.
    compute : bool, optional
        Run PySCF if the result is not cached.

    Returns
    -------
    Result
        ``energies_eV`` (measured from the valence edge along c at k∥), ``kappa_per_layer``,
        ``kappa_per_nm``, ``attenuation_per_layer`` = exp(−2κd); attrs: the gaps (eV) and the
        edges along c.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_energies` must be >= 5 and <= 2001; `valley` must be one
        of ``('K', 'gamma')``.
    TypeError
        If an argument has the wrong type: `n_energies` is not an integer.
    """
    n = check_int("n_energies", n_energies, low=5, high=2001)
    valley = check_choice("valley", valley, ("K", "gamma"))
    res = hbn_result(compute=bool(compute))
    kp = K_INPLANE if valley == "K" else (0.0, 0.0)
    blocks = c_axis_blocks(res, kp)
    ev, ec = _edges(blocks, _nocc(res))
    E = np.linspace(ev, ec, n)
    kap_cell = kappa_along_c(blocks, E)
    d_nm = float(np.linalg.norm(res.structure.cell[2])) / 20.0
    kap_layer = kap_cell / 2
    gap = band_gap(res)
    attrs = {"gap_eV": gap["gap_eV"], "direct_gap_eV": gap["direct_gap_eV"],
             "valence_edge_c_eV": ev, "conduction_edge_c_eV": ec, "layer_spacing_nm": d_nm,
             "pyscf_version": res.provenance["pyscf_version"],
             "cache_key": res.provenance["cache_key"]}
    return Result("first_principles.decay_along_c",
                  {"n_energies": n, "valley": valley, "compute": bool(compute)},
                  {"energies_eV": E - ev, "kappa_per_layer": kap_layer,
                   "kappa_per_nm": kap_layer / d_nm,
                   "attenuation_per_layer": np.exp(-2 * kap_layer)}, attrs)
