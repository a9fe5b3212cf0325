"""Any 1-D periodic structure → Kwant conductance in one call (DFT cached, no hand-chosen hopping).

:func:`structure_conductance` chains the whole route for a cell that is periodic along exactly
one lattice vector (a chain, a wire, a ribbon of any atoms in :class:`Structure`'s list):
PySCF KS-DFT (or the cache keyed by the SHA-256 of the inputs, :func:`~.dft.load_or_run`) →
non-orthogonal H(R), S(R) and their Löwdin-orthogonal form, both cut off by a tolerance
(:func:`~.chains.tight_binding_from_dft`) → Kwant leads and scattering region along the periodic
axis (:func:`~.realspace.chain_conductance`). E_F is recomputed from the interpolated bands on a
dense mesh along that axis (same smearing and electron count as the SCF). Every conductance is
returned with two counts that do not use Kwant or the orthogonalization: the bands crossing E
and the propagating solutions of the generalized problem Σ_n (H_n − E S_n) λ^n ψ = 0.

Examples
--------
>>> from qtransport.first_principles import Structure, structure_conductance
>>> cumulene = Structure(("C",), ((0.0, 0.0, 0.0),), ((10, 0, 0), (0, 10, 0), (0, 0, 1.28)),
...                      (False, False, True), name="C_chain")
>>> r = structure_conductance(cumulene, compute=False)      # the shipped cache: no PySCF run
>>> round(float(r.conductance_G0[0]), 9), r.attrs["n_channels_generalized"]
(2.0, 2)
"""
from __future__ import annotations

import logging

import numpy as np

from ..errors import check_array, check_bool, check_int, check_real
from ..results import Result
from ..results import declare as _declare
from . import realspace as rs
from .chains import generalized_channels, tight_binding_from_dft
from .dft import HARTREE_EV, MAX_DFT_S, DFTSettings, fermi_level, load_or_run
from .structure import Structure

__all__ = ["structure_conductance", "periodic_axis"]

logger = logging.getLogger(__name__)


def periodic_axis(structure: Structure) -> int:
    """The index (0-2) of the single periodic lattice vector of a 1-D structure.

    Parameters
    ----------
    structure : Structure
        A 1-D structure (one periodic axis).

    Returns
    -------
    int
        The periodic axis, 0–2.

    Raises
    ------
    TypeError
        ``structure`` is not a Structure.
    ValueError
        Not exactly one periodic axis.
    """
    if not isinstance(structure, Structure):
        raise TypeError(f"structure must be a Structure, got {type(structure).__name__}")
    axes = [i for i, p in enumerate(structure.periodic) if p]
    if len(axes) != 1:
        raise ValueError(f"structure.periodic must have exactly one True axis (a 1-D lead), got "
                         f"{structure.periodic!r}")
    return axes[0]


def structure_conductance(structure: Structure, energies_eV=None, *,
                          settings: DFTSettings | None = None, tol_eV: float = 1e-3,
                          n_dense: int = 151, cache_dir=None, compute: bool = True,
                          max_dft_s: float = MAX_DFT_S) -> Result:
    """Landauer conductance (G0) of the perfect periodic structure from first principles.

    Parameters
    ----------
    structure : Structure
        Periodic along exactly one lattice vector (vacuum-padded along the other two).
    energies_eV : array_like, optional
        Energies relative to E_F (eV); default ``[0.0]`` (the Fermi level).
    settings : DFTSettings, optional
        DFT settings (default :class:`DFTSettings`: PBE, minimal GTH basis, 15 k points along
        the axis); the k mesh must be 1 on the two vacuum axes.
    tol_eV : float
        Truncation tolerance of H(R), S(R) and of the Löwdin H(R) (eV, dropped-norm bound), > 0.
    n_dense : int
        Odd mesh on which the Löwdin transform is taken (see :func:`~.realspace.lowdin`).
    cache_dir : path, optional
        Cache folder (default: the shipped ``data/first_principles``).
    compute : bool
        Run PySCF when the inputs are not cached (False: a missing entry is an error).
    max_dft_s : float
        Limit of the estimated time (s, one core) of a fresh PySCF run; a larger run is refused
        before it starts, with the estimate (:func:`~.dft.check_cost`).

    Returns
    -------
    Result
        Kind ``"first_principles.structure_conductance"``; fields ``energies_eV`` (relative to
        E_F), ``conductance_G0``, ``n_modes``, ``n_channels_generalized``, ``n_bands_crossing``,
        ``unitarity_error``; attrs ``fermi_eV``, ``n_channels_generalized`` and
        ``n_bands_crossing`` at E_F, ``band_error_nonorth_meV`` / ``band_error_orth_meV``
        (off-mesh DFT check, ±3 eV of E_F), the cut-offs (Å), ``cache_key``, ``pyscf_version``.

    Raises
    ------
    ValueError
        If an argument is invalid: `tol_eV` must be > 0 and <= 1; `n_dense` must be >= 11 and
        <= 2001; n_dense must be odd (symmetric cells); `energies_eV` must be a 1-D array of
        finite numbers >= -20 and <= 20.
    TypeError
        If an argument has the wrong type: `tol_eV` is not a real number; `n_dense` is not an
        integer; `energies_eV` is not an array of real numbers; `compute` is not a bool.
    """
    axis = periodic_axis(structure)
    settings = DFTSettings(kmesh=tuple(15 if i == axis else 1 for i in range(3))) \
        if settings is None else settings
    tol = check_real("tol_eV", tol_eV, low=0.0, low_open=True, high=1.0)
    compute = check_bool("compute", compute)
    dE = np.zeros(1) if energies_eV is None else check_array("energies_eV", energies_eV,
                                                             low=-20.0, high=20.0, ndim=1)
    n_dense = check_int("n_dense", n_dense, low=11, high=2001)      # before any DFT run
    if n_dense % 2 == 0:
        raise ValueError(f"n_dense must be odd (symmetric cells), got {n_dense}")
    res = load_or_run(structure, settings, cache_dir=cache_dir, compute=compute,
                      max_dft_s=max_dft_s)
    nonorth, orth = tight_binding_from_dft(res, tol, n_dense=n_dense)
    k = np.zeros((3001, 3))
    k[:, axis] = np.arange(3001) / 3001
    ef = fermi_level(nonorth.bands(k), int(res.provenance["nelectron_per_cell"]),
                     res.settings.smearing_Ha * HARTREE_EV)
    cols = {n: [] for n in ("conductance_G0", "n_modes", "n_channels_generalized",
                            "n_bands_crossing", "unitarity_error")}
    for e in ef + dE:
        g = rs.chain_conductance(orth, float(e), axis=axis)
        cols["conductance_G0"].append(g["conductance_G0"])
        cols["n_modes"].append(g["n_modes"])
        cols["unitarity_error"].append(g["unitarity_error"])
        cols["n_channels_generalized"].append(generalized_channels(nonorth, float(e), axis))
        cols["n_bands_crossing"].append(rs.bands_crossing(nonorth, float(e), axis))
    logger.info("%s: G(E_F) = %.6f G0 (%d cells H, %d cells Löwdin)", structure.name,
                cols["conductance_G0"][int(np.argmin(np.abs(dE)))], len(nonorth.R), len(orth.R))
    attrs = {"fermi_eV": ef, "fermi_mesh_eV": res.fermi_eV, "axis": axis,
             "n_channels_generalized": generalized_channels(nonorth, ef, axis),
             "n_bands_crossing": rs.bands_crossing(nonorth, ef, axis),
             "band_error_nonorth_meV": 1e3 * rs.band_error_eV(nonorth, res),
             "band_error_orth_meV": 1e3 * rs.band_error_eV(orth, res),
             "cutoff_nonorth_angstrom": float(nonorth.lengths_angstrom().max()),
             "cutoff_orth_angstrom": float(orth.lengths_angstrom().max()),
             "n_orbitals": res.n_orbitals, "cache_key": res.provenance["cache_key"],
             "pyscf_version": res.provenance["pyscf_version"],
             "dft_settings": str(res.provenance["settings"])}
    data = {"energies_eV": dE, **{n: np.array(v) for n, v in cols.items()}}
    return Result("first_principles.structure_conductance",
                  {"structure": structure.as_dict(), "tol_eV": tol, "n_dense": n_dense,
                   "compute": compute}, data, attrs)


_declare("first_principles.structure_conductance", coords=("energies_eV",),
         y=("conductance_G0",), style="points",
         labels={"energies_eV": r"$E - E_\mathrm{F}$ (eV)"})
