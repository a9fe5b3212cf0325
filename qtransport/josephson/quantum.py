"""Quantum Josephson circuits: charge-basis spectra (transmon / CPB) and QuTiP operators.

H = 4E_C (n̂ − n_g)² − E_J cos φ̂ in the charge basis |n⟩, |n| ≤ ncut (energies in GHz, E/h, as
scqubits does). cos φ̂ couples n ↔ n ± 1, so H is real symmetric tridiagonal: :func:`spectrum`
diagonalizes it with LAPACK's tridiagonal solver (``scipy.linalg.eigh_tridiagonal``, exact and
O(N) per eigenvalue), while :func:`hamiltonian` returns a QuTiP ``Qobj`` stored explicitly as
sparse CSR for dynamics. Open-system dynamics live in :mod:`.qdynamics`, the current-biased
junction in the phase basis in :mod:`.washboard`.

Examples
--------
>>> from qtransport.josephson import quantum
>>> e = quantum.spectrum(ej_GHz=20.0, ec_GHz=0.3, ng=0.3, ncut=30, levels=3)
>>> round(float(e[1] - e[0]), 4)
6.6134
"""
from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from scipy.linalg import eigh_tridiagonal

from ..errors import AccuracyWarning, check_array, check_int, check_real, check_work
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare

__all__ = ["charge_diagonals", "spectrum", "hamiltonian", "charge_operator", "transmon_e01_GHz",
           "spectrum_vs_ng"]


#: estimated truncation error (GHz) of a level above which :func:`spectrum` warns: 1 kHz, below
#: any spectroscopic resolution of a superconducting qubit
TRUNCATION_TOLERANCE_GHZ = 1e-6
#: default most charge states × n_g values of one :func:`spectrum` call (``max_states=``)
MAX_STATES = 10**8


def _truncation_error(d, vecs, vals, ej, ec, nc, ng) -> np.ndarray:
    """Second-order estimate of each level's shift from the charge states |n| = ncut + 1 left out.

    The missing states n = ±(ncut + 1) couple to the edge states |±ncut⟩ by −E_J/2, so level k
    moves by ≈ (E_J/2)² |ψ_k(±ncut)|² / (E_k − 4E_C(±(ncut + 1) − n_g)²) (the denominator kept
    at least E_C). Zero when E_J = 0 (charge states are exact) or when ψ_k vanishes at the edge.
    """
    err = np.zeros(vals.size)
    for row, n_out in ((0, -nc - 1), (-1, nc + 1)):
        gap = np.maximum(np.abs(4 * ec * (n_out - ng) ** 2 - vals), ec)
        err += (0.5 * ej) ** 2 * vecs[row] ** 2 / gap
    return err


def _check(ej_GHz, ec_GHz, ncut) -> tuple[float, float, int]:
    ej = check_real("ej_GHz", ej_GHz, low=0.0)
    ec = check_real("ec_GHz", ec_GHz, low=0.0, low_open=True)
    return ej, ec, check_int("ncut", ncut, low=1)


def charge_diagonals(ej_GHz: float, ec_GHz: float, ng: float, ncut: int):
    """Main and off-diagonal of H in the charge basis n = −ncut … ncut, GHz."""
    ej, ec, nc = _check(ej_GHz, ec_GHz, ncut)
    n = np.arange(-nc, nc + 1, dtype=float)
    ng = check_real("ng", ng)
    return 4.0 * ec * (n - ng) ** 2, np.full(2 * nc, -0.5 * ej)


def spectrum(ej_GHz: float, ec_GHz: float, ng=0.0, ncut: int = 30, levels: int = 5, *,
             max_states: int = MAX_STATES) -> np.ndarray:
    """Lowest eigenenergies of H = 4E_C(n − n_g)² − E_J cos φ, GHz.

    Parameters
    ----------
    ej_GHz, ec_GHz : float
        Josephson energy E_J/h (≥ 0) and charging energy E_C/h (> 0), GHz.
    ng : float or array_like
        Offset charge n_g (in units of 2e); an array gives one row per value.
    ncut : int
        Charge cut-off (≥ 1): states |n| ≤ ncut.
    levels : int
        Number of eigenvalues (1 … 2 ncut + 1).
    max_states : int
        Refuse (``WorkLimitError``) more than this many charge states × n_g values.

    Returns
    -------
    ndarray
        Shape (levels,) for scalar ``ng``, (len(ng), levels) otherwise; absolute energies, GHz.

    Warns
    -----
    AccuracyWarning
        If ``ncut`` is too small: the estimated shift of some level from the charge states left
        out (see :func:`_truncation_error`) exceeds :data:`TRUNCATION_TOLERANCE_GHZ`. The message
        gives the estimate and E_J/E_C.

    Notes
    -----
    Koch et al., PRA 76, 042319 (2007), eq. 2.1; eigenvalues by ``eigh_tridiagonal``.
    """
    ej, ec, nc = _check(ej_GHz, ec_GHz, ncut)
    k = check_int("levels", levels, low=1, high=2 * nc + 1)
    ngs = check_array("ng", ng)
    check_work("max_states", (2 * nc + 1) * ngs.size,
               check_int("max_states", max_states, low=1), unit="charge states",
               hint=f"(2 ncut + 1) = {2 * nc + 1} × {ngs.size} n_g values")
    out = np.empty((ngs.size, k))
    worst = (0.0, 0, 0.0)
    for row, value in enumerate(ngs.ravel()):
        d, e = charge_diagonals(ej, ec, value, nc)
        vals, vecs = eigh_tridiagonal(d, e, select="i", select_range=(0, k - 1))
        out[row] = vals
        err = _truncation_error(d, vecs, vals, ej, ec, nc, value)
        if err.max() > worst[0]:
            worst = (float(err.max()), int(np.argmax(err)), float(value))
    if worst[0] > TRUNCATION_TOLERANCE_GHZ:
        warnings.warn(AccuracyWarning(
            f"ncut = {nc} is too small for E_J/E_C = {ej / ec:.3g}: level {worst[1]} (n_g = "
            f"{worst[2]:.3g}) is off by ~{worst[0]:.3g} GHz from the charge states left out "
            f"(tolerance {TRUNCATION_TOLERANCE_GHZ:g} GHz); increase ncut (try "
            f"{max(2 * nc, nc + 10)})"), stacklevel=2)
    return out[0] if np.ndim(ng) == 0 else out.reshape(np.shape(ng) + (k,))


def hamiltonian(ej_GHz: float, ec_GHz: float, ng: float = 0.0, ncut: int = 30):
    """The charge-basis Hamiltonian as a QuTiP ``Qobj`` (CSR storage), GHz.

    Examples
    --------
    >>> h = hamiltonian(20.0, 0.3, 0.3, 30)
    >>> h.shape, h.isherm
    ((61, 61), True)
    """
    check_int("ncut", ncut, low=1, high=MAX_STATES // 2)
    d, e = charge_diagonals(ej_GHz, ec_GHz, ng, ncut)
    import qutip
    mat = sp.diags([e, d, e], [-1, 0, 1], format="csr")
    return qutip.Qobj(mat, dims=[[d.size], [d.size]], isherm=True).to("csr")


def charge_operator(ncut: int):
    """n̂ = diag(−ncut … ncut) as a sparse (CSR) ``Qobj``."""
    nc = check_int("ncut", ncut, low=1, high=MAX_STATES // 2)
    import qutip
    n = np.arange(-nc, nc + 1, dtype=float)
    return qutip.Qobj(sp.diags(n, 0, format="csr"), dims=[[n.size], [n.size]],
                      isherm=True).to("csr")


def transmon_e01_GHz(ej_GHz: float, ec_GHz: float) -> float:
    """Transmon-limit transition energy E01 ≈ √(8E_J E_C) − E_C, GHz (Koch et al. 2007, eq. 2.11)."""
    ej, ec, _ = _check(ej_GHz, ec_GHz, 1)
    return float(np.sqrt(8 * ej * ec) - ec)


@register("josephson.spectrum", summary="charge-basis spectrum of a transmon/CPB vs offset charge",
          params=[Param("ej_GHz", float, low=0.0, doc="Josephson energy E_J/h"),
                  Param("ec_GHz", float, low=0.0, low_open=True, doc="charging energy E_C/h"),
                  Param("ng_values", "array", doc="offset charges n_g"),
                  Param("ncut", int, default=30, low=1, doc="charge cut-off"),
                  Param("levels", int, default=5, low=1, doc="number of levels")])
def spectrum_vs_ng(ej_GHz: float, ec_GHz: float, ng_values, ncut: int = 30,
                   levels: int = 5) -> Result:
    """Registered model: :func:`spectrum` on a grid of n_g values (``energies_GHz`` (n_g, levels))."""
    ngs = check_array("ng_values", ng_values, ndim=1)
    with warnings.catch_warnings():          # re-issued below so that it points at the caller
        warnings.simplefilter("error", AccuracyWarning)
        try:
            energies = spectrum(ej_GHz, ec_GHz, ngs, ncut, levels)
            caught = None
        except AccuracyWarning as w:
            caught = w
    if caught is not None:
        warnings.warn(caught, stacklevel=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AccuracyWarning)
            energies = spectrum(ej_GHz, ec_GHz, ngs, ncut, levels)
    return Result("josephson.spectrum",
                  {"ej_GHz": ej_GHz, "ec_GHz": ec_GHz, "ncut": ncut, "levels": levels},
                  {"ng": ngs, "energies_GHz": energies,
                   "e01_GHz": energies[:, 1] - energies[:, 0] if levels > 1 else energies[:, 0]})


_declare("josephson.spectrum", coords=("ng",), dims={"energies_GHz": ("ng", "level")},
         y=("energies_GHz",), labels={"energies_GHz": r"Energy $E/h$ (GHz)"})
