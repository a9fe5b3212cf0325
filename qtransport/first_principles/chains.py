"""From a structure to a Kwant conductance in one call: DFT (cached) → H(R), S(R) → Löwdin → Kwant.

:func:`tight_binding_from_dft` chooses both cut-offs from a tolerance (no hand-chosen hopping):
the non-orthogonal H(R), S(R) keep the shortest set of cells whose dropped norm
Σ‖H(R) − E_F S(R)‖₂ is below ``tol_eV``; the Löwdin-orthogonalized H̃(R) (built on a dense mesh
from those) is cut the same way. :func:`chain_conductance` runs Kwant on the perfect chain and
checks it against two independent counts: the number of bands crossing E_F (non-orthogonal
bands) and the propagating solutions of the generalized complex-band problem
Σ_n (H_n − E S_n) λ^n ψ = 0 (no orthogonalization at all).
"""
from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np

from ..errors import check_bool, check_choice, check_real
from ..errors import MAX_ENERGY_EV
from ..registry import Param, register
from ..results import Result
from ..tight_binding.complex_bands import PROPAGATING_TOL, bloch_factors
from . import realspace as rs
from .dft import DFTResult, DFTSettings, load_or_run
from .structure import CHAIN_BOND_ANGSTROM, atomic_chain

__all__ = ["tight_binding_from_dft", "generalized_channels", "chain_conductance", "auto_cutoff",
           "dense_fermi_level"]

logger = logging.getLogger(__name__)


def auto_cutoff(tb: rs.RealSpaceTB, tol_eV: float) -> rs.RealSpaceTB:
    """Truncate at the shortest cell distance whose truncation bound is ≤ tol_eV.

    Parameters
    ----------
    tb : RealSpaceTB
        Real-space model (eV, Å).
    tol_eV : float
        Tolerance of the truncation bound, eV (> 0).

    Returns
    -------
    RealSpaceTB
        The truncated model (``tb`` itself when no shorter cut-off meets the tolerance).

    Raises
    ------
    ValueError
        If an argument is invalid: `tol_eV` must be > 0.
    TypeError
        If an argument has the wrong type: `tol_eV` is not a real number.
    """
    tol = check_real("tol_eV", tol_eV, low=0.0, low_open=True)
    for d in np.unique(np.round(tb.lengths_angstrom(), 6)):
        t = tb.truncate(float(d))
        if t.truncation_error_eV - tb.truncation_error_eV <= tol and len(t.R) > 1:
            return t
    return tb


def tight_binding_from_dft(result: DFTResult, tol_eV: float = 1e-3, n_dense: int = 151):
    """Non-orthogonal and Löwdin-orthogonal real-space models of a DFT result.

    Parameters
    ----------
    result : DFTResult
        A periodic DFT calculation of a chain.
    tol_eV : float, optional
        Truncation tolerance of both models, eV (> 0).
    n_dense : int, optional
        Dense k mesh of the Löwdin step (odd, 11–2001).

    Returns
    -------
    nonorth : RealSpaceTB
        H(R), S(R) (eV) truncated by :func:`auto_cutoff`.
    orth : RealSpaceTB
        The Löwdin-orthogonal model, truncated likewise.
    """
    full = rs.real_space(result)
    nonorth = auto_cutoff(full, tol_eV)
    orth = auto_cutoff(rs.lowdin(nonorth, n_dense=n_dense), tol_eV)
    return nonorth, orth


def dense_fermi_level(tb: rs.RealSpaceTB, result: DFTResult, n_k: int = 3001) -> float:
    """E_F (eV) from the interpolated bands on a dense 1-D mesh, same smearing and electron count.

    On the coarse SCF mesh of a strongly dispersive chain the levels near E_F are eV apart
    (cumulene's π bands: ~2.7 eV between neighbouring k of a 15-point mesh), so the mesh E_F can
    sit anywhere between two levels; the H(R), S(R) interpolation (sub-meV off the mesh) fixes it.

    Parameters
    ----------
    tb : RealSpaceTB
        Real-space model (eV, Å).
    result : DFTResult
        The calculation (electron count and smearing).
    n_k : int, optional
        Points of the dense mesh along the chain (z) axis.

    Returns
    -------
    float
        E_F, eV.
    """
    from .dft import HARTREE_EV, fermi_level
    k = np.zeros((n_k, 3))
    k[:, 2] = np.arange(n_k) / n_k
    return fermi_level(tb.bands(k), int(result.provenance["nelectron_per_cell"]),
                       result.settings.smearing_Ha * HARTREE_EV)


def generalized_channels(tb: rs.RealSpaceTB, energy_eV: float | None = None,
                         axis: int = 2) -> int:
    """Open channels from the generalized complex-band problem (half the |λ| = 1 solutions).

    Parameters
    ----------
    tb : RealSpaceTB
        Real-space model (eV, Å).
    energy_eV : float, optional
        Energy, eV (default: the model's Fermi level).
    axis : int, optional
        Chain axis (0–2).

    Returns
    -------
    int
        Open channels.

    Raises
    ------
    ValueError
        If an argument is invalid: `energy_eV` must be >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number.
    """
    E = tb.fermi_eV if energy_eV is None else check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    blocks = {n: H - E * S for n, (H, S) in rs.chain_blocks(tb, axis).items()}
    lam = bloch_factors(blocks, 0.0)
    # eigenvalue accuracy near |λ| = 1 for these ~1e2-eV-wide pencils is ~1e-10; 1e-6 separates
    # the propagating states from the slowest evanescent ones (κ ≥ 1e-3 per cell near E_F)
    n_prop = int(np.sum(np.abs(np.log(np.abs(lam))) < max(PROPAGATING_TOL, 1e-6)))
    return n_prop // 2


@register("first_principles.chain_conductance",
          summary="PBE DFT (PySCF, cached) of a monatomic chain -> H(R), S(R) -> Loewdin -> Kwant "
                  "conductance of the perfect chain at E_F, with band and channel checks",
          params=[
              Param("element", str, default="Au", choices=tuple(CHAIN_BOND_ANGSTROM),
                    doc="chain element (bond length from the structure module)"),
              Param("tol_meV", float, default=1.0, low=1e-3, high=100.0,
                    doc="truncation tolerance of H(R), S(R) and of the orthogonal H(R) (meV)"),
              Param("compute", bool, default=False,
                    doc="run PySCF if the result is not in the cache (else: cache only)"),
          ])
def chain_conductance(element: str = "Au", tol_meV: float = 1.0, compute: bool = False) -> Result:
    """Conductance of a perfect monatomic chain from first principles.

    Parameters
    ----------
    element : {"Au", "Ag", "Cu", "C"}, optional
        Chain element.
    tol_meV : float, optional
        Truncation tolerance of H(R), S(R) and of the orthogonal H(R), meV (1e-3–100).
    compute : bool, optional
        Run PySCF if the result is not cached (else: cache only).

    Returns
    -------
    Result
        ``k_frac`` (dense path 0 … 0.5), ``bands_tb_eV`` (orthogonal model), ``bands_nonorth_eV``,
        ``check_k_frac`` / ``check_bands_dft_eV`` (DFT at off-mesh k), ``conductance_G0`` (one
        value at E_F); attrs: ``fermi_eV`` (from the dense interpolated bands,
        :func:`dense_fermi_level`), ``fermi_mesh_eV`` (SCF mesh), ``n_bands_crossing``, ``n_channels_generalized``,
        ``n_modes_kwant``, ``unitarity_error``, ``band_error_nonorth_meV``,
        ``band_error_orth_meV`` (±3 eV of E_F), cut-offs (Å) and DFT provenance.

    Raises
    ------
    ValueError
        If an argument is invalid: `element` must be one of ``tuple(CHAIN_BOND_ANGSTROM)``;
        `tol_meV` must be >= 0.001 and <= 100.
    TypeError
        If an argument has the wrong type: `tol_meV` is not a real number; `compute` is not a
        bool.
    """
    element = check_choice("element", element, tuple(CHAIN_BOND_ANGSTROM))
    tol = check_real("tol_meV", tol_meV, low=1e-3, high=100.0)
    compute = check_bool("compute", compute)
    res = load_or_run(atomic_chain(element), DFTSettings(), compute=compute)
    nonorth, orth = tight_binding_from_dft(res, tol * 1e-3)
    ef = dense_fermi_level(nonorth, res)
    nonorth, orth = replace(nonorth, fermi_eV=ef), replace(orth, fermi_eV=ef)
    g = rs.chain_conductance(orth)
    k = np.zeros((201, 3))
    k[:, 2] = np.linspace(0.0, 0.5, 201)
    attrs = {"fermi_eV": ef, "fermi_mesh_eV": res.fermi_eV, "n_bands_crossing": rs.bands_crossing(nonorth),
             "n_channels_generalized": generalized_channels(nonorth),
             "n_modes_kwant": g["n_modes"], "unitarity_error": g["unitarity_error"],
             "band_error_nonorth_meV": 1e3 * rs.band_error_eV(nonorth, res),
             "band_error_orth_meV": 1e3 * rs.band_error_eV(orth, res),
             "cutoff_nonorth_angstrom": float(nonorth.lengths_angstrom().max()),
             "cutoff_orth_angstrom": float(orth.lengths_angstrom().max()),
             "truncation_bound_meV": 1e3 * orth.truncation_error_eV,
             "bond_angstrom": res.structure.cell[2][2],
             "pyscf_version": res.provenance["pyscf_version"],
             "dft_settings": str(res.provenance["settings"]),
             "cache_key": res.provenance["cache_key"]}
    return Result("first_principles.chain_conductance",
                  {"element": element, "tol_meV": tol, "compute": compute},
                  {"k_frac": k[:, 2], "bands_tb_eV": orth.bands(k),
                   "bands_nonorth_eV": nonorth.bands(k),
                   "check_k_frac": res.check_kpts_frac[:, 2],
                   "check_bands_dft_eV": res.check_bands_eV,
                   "conductance_G0": np.array([g["conductance_G0"]])}, attrs)
