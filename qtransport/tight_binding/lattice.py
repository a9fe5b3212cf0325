"""Shared effective-mass units and Kwant helpers: k(E), t = ħ²/2m*a², the tuned solver, unitarity.

The effective-mass constants are written once, in :mod:`qtransport.constants` (re-exported
here); this module holds the functions built on them: the wave number k = √(2m*E)/ħ
(:func:`wave_number`) and the finite-difference hopping t = ħ²/(2m*a²) (:func:`hopping_eV`,
:func:`hoppings_eV`).

Examples
--------
>>> round(hopping_eV(effective_mass=1.0, lattice_constant_nm=0.1), 4)
3.81
>>> round(float(wave_number(1.0, 1.0)), 4)          # k of a free electron at 1 eV, 1/nm
5.1232
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np

from ..constants import HBAR2_OVER_2ME_EV_NM2, K_PER_SQRT_EV  # noqa: F401  (re-exported)
from ..errors import AccuracyWarning, check_array, check_real
from ..errors import MAX_EFFECTIVE_MASS, MAX_ENERGY_EV
from ..infra import blas_threads

__all__ = ["K_PER_SQRT_EV", "HBAR2_OVER_2ME_EV_NM2", "wave_number", "hopping_eV", "hoppings_eV",
           "hopping_value", "lattice_constant_nm_for", "smatrix", "check_unitarity",
           "single_threaded_blas", "UNITARITY_TOLERANCE", "bake_values", "transmission_sweep",
           "METHODS", "transmission_injectivity", "wave_function_injectivity",
           "INJECTIVITY_BROADENING"]

#: |Σ T + Σ R − open modes| above this triggers an AccuracyWarning
UNITARITY_TOLERANCE = 1e-8
#: offset δ, in units of the lead's largest hopping, of the one-sided solves at a mode threshold
#: (:func:`threshold_points`)
THRESHOLD_OFFSET = 1e-8


def threshold_points(energy: float, step: float) -> tuple[float, ...]:
    """Energies E − δ, E + δ, E − 4δ, E + 4δ of the one-sided solves at a mode threshold E.

    See :func:`threshold_limit`.

    Parameters
    ----------
    energy : float
        The threshold energy, eV.
    step : float
        δ, eV.

    Returns
    -------
    tuple of float
        E − δ, E + δ, E − 4δ, E + 4δ.

    Examples
    --------
    >>> threshold_points(2.0, 0.25)
    (1.75, 2.25, 1.0, 3.0)
    """
    return (energy - step, energy + step, energy - 4 * step, energy + 4 * step)


def threshold_limit(solved, open_modes: int | None = None) -> tuple[float, int]:
    """T and open modes at a mode threshold from the solves at :func:`threshold_points`.

    A mode exactly at its threshold has zero group velocity and carries no current, so T at E
    is its limit from the side where that mode is closed: below an opening, above a closing (the
    count #{ε_m < E < ε_m + 4t} of a clean wire, strict inequalities). Where as many modes open
    as close at E (the band centre of a cubic wire 2, 5, 8 … wide) T is continuous and both
    sides are averaged. Near the threshold T(E ± δ) = T₀ + c √δ + O(δ) (a channel opening or
    closing has a velocity ∝ √δ), so each side is extrapolated as 2 T(δ) − T(4δ), to O(δ).
    Given ``open_modes`` (a count of the modes open at E by a formula evaluated in floating
    point, such as :func:`~.filament.wire_mode_count`), the side with that many open modes is
    taken instead, so that T agrees with the count the formula gives (degenerate thresholds
    that round to both sides of E: the two sides interpolated by that count).

    Parameters
    ----------
    solved : sequence of (float, int)
        (T, open modes) at E − δ, E + δ, E − 4δ, E + 4δ.
    open_modes : int, optional
        The modes to be counted open at E.

    Returns
    -------
    transmission : float
        T at the threshold.
    open_modes : int
        Open modes there.

    Examples
    --------
    >>> threshold_limit([(0.0, 0), (1.0, 1), (0.0, 0), (1.0, 1)])   # a channel opens at E
    (0.0, 0)
    """
    (t_lo, m_lo), (t_hi, m_hi), (t_lo4, _), (t_hi4, _) = solved
    lower, upper = 2 * t_lo - t_lo4, 2 * t_hi - t_hi4
    if open_modes is not None and (m_lo == open_modes) != (m_hi == open_modes):
        return (float(lower), int(m_lo)) if m_lo == open_modes else (float(upper), int(m_hi))
    if open_modes is not None and min(m_lo, m_hi) < open_modes < max(m_lo, m_hi):
        # degenerate thresholds that round to both sides of E: as many of them counted open
        w = (open_modes - m_lo) / (m_hi - m_lo)
        return float((1 - w) * lower + w * upper), int(open_modes)
    if m_lo < m_hi:
        return float(lower), int(m_lo)
    if m_hi < m_lo:
        return float(upper), int(m_hi)
    return 0.5 * float(lower + upper), int(m_lo)


#: broadening η (relative to the largest hopping) of the injectivities when the exact solve
#: fails its checks (a state decoupled from the leads at E): round-off eps/η and physical
#: change O(η), both ~1e-8
INJECTIVITY_BROADENING = 1e-8



def wave_number(energy_eV, effective_mass):
    """k = √(2m*E)/ħ in 1/nm, broadcast over arrays (0 where E ≤ 0).

    Parameters
    ----------
    energy_eV : float or array_like
        Kinetic energy E − V, eV. Negative values give 0 (use −E for the decay constant κ).
    effective_mass : float or array_like
        m*/m_e (> 0; not checked: this is the inner-loop helper).

    Returns
    -------
    ndarray or float
        k in 1/nm.

    Examples
    --------
    >>> k = wave_number([0.0, 0.1], 0.067)
    >>> bool(k[0] == 0 and k[1] > 0)
    True
    """
    return K_PER_SQRT_EV * np.sqrt(np.maximum(np.multiply(effective_mass, energy_eV), 0.0))


def hoppings_eV(effective_mass, lattice_constant_nm: float) -> np.ndarray:
    """Vectorized t = ħ²/(2 m* a²) in eV for an array of masses (bond masses, m_e).

    Same formula as :func:`hopping_eV`; masses must be > 0 (checked), ``lattice_constant_nm``
    > 0.

    Parameters
    ----------
    effective_mass : array_like
        Bond masses m*/m_e (> 0).
    lattice_constant_nm : float
        Lattice spacing a, nm (> 0).

    Returns
    -------
    numpy.ndarray
        Hoppings t, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `effective_mass` must be an array of finite numbers > 0 and
        <= 1000; `lattice_constant_nm` must be > 0.
    TypeError
        If an argument has the wrong type: `lattice_constant_nm` is not a real number;
        `effective_mass` is not an array of real numbers.

    Examples
    --------
    >>> hoppings_eV([0.067, 0.1], 1.0).round(3).tolist()
    [0.569, 0.381]
    """
    m = check_array("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    return HBAR2_OVER_2ME_EV_NM2 / (m * a * a)


def hopping_eV(effective_mass: float, lattice_constant_nm: float) -> float:
    """Nearest-neighbour hopping t = ħ²/(2 m* a²) of the finite-difference lattice, in eV.

    Parameters
    ----------
    effective_mass : float
        m*/m_e (> 0).
    lattice_constant_nm : float
        Lattice spacing a in nm (> 0).

    Returns
    -------
    float
        Hopping t, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `effective_mass` must be > 0 and <= 1000;
        `lattice_constant_nm` must be > 0.
    TypeError
        If an argument has the wrong type: `effective_mass` or `lattice_constant_nm` are not
        real numbers.

    Notes
    -----
    The lattice dispersion E = 2t(1 − cos ka) matches ħ²k²/2m* to relative order (ka)²/12.

    Examples
    --------
    >>> round(hopping_eV(1.0, 0.1), 3)
    3.81
    """
    m = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    return HBAR2_OVER_2ME_EV_NM2 / (m * a * a)


def hopping_value(site1, site2, t):
    """Kwant value function of a uniform nearest-neighbour hopping −t (t via ``params``).

    Parameters
    ----------
    site1, site2 : kwant.builder.Site
        The hopping's sites (unused: the hopping is uniform).
    t : float
        Hopping t, eV.

    Returns
    -------
    float
        −t, eV.
    """
    return -t


def lattice_constant_nm_for(effective_mass: float, hopping: float) -> float:
    """Inverse of :func:`hopping_eV`: the spacing (nm) that gives hopping ``hopping`` (eV).

    Parameters
    ----------
    effective_mass : float
        m*/m_e (> 0).
    hopping : float
        Hopping t, eV (> 0).

    Returns
    -------
    float
        Lattice spacing a, nm.

    Raises
    ------
    ValueError
        If an argument is invalid: `effective_mass` and `hopping_eV` must be > 0 and <= 1000.
    TypeError
        If an argument has the wrong type: `effective_mass` or `hopping_eV` are not real
        numbers.

    Examples
    --------
    >>> round(lattice_constant_nm_for(1.0, hopping_eV(1.0, 0.25)), 12)
    0.25
    """
    m = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    t = check_real("hopping_eV", hopping, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    return float(np.sqrt(HBAR2_OVER_2ME_EV_NM2 / (m * t)))


def single_threaded_blas():
    """BLAS limited to one thread, as a context manager (:func:`qtransport.infra.blas_threads`).

    Kwant's lead-mode computation calls LAPACK on many small matrices; multithreaded OpenBLAS
    makes each call 5–10× slower here (measured: 1.7 s vs 9–15 s for a 16-step 3D growth on a
    loaded 2-core machine). Use it around loops of :func:`smatrix` calls.

    Returns
    -------
    threadpoolctl._ThreadpoolLimiter
        Context manager limiting BLAS to one thread.

    Examples
    --------
    >>> with single_threaded_blas():
    ...     pass
    """
    return blas_threads(1)


def _mumps_options():
    try:
        from kwant.solvers import mumps  # noqa: F401
        return {"ordering": "amd"}
    except ImportError:
        return None


def smatrix(fsyst, energy: float, params: dict | None = None, in_leads=None, out_leads=None):
    """``kwant.smatrix`` through the MUMPS solver with AMD ordering.

    ``in_leads``/``out_leads`` restrict the computed blocks (fewer right-hand sides): a
    transmission from lead 0 needs ``in_leads=[0]`` only, ~15 % faster for a two-terminal
    system. Falls back to Kwant's default solver when MUMPS is unavailable.

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system (Hamiltonian in eV).
    energy : float
        Energy, eV.
    params : dict, optional
        Parameters of the value functions.
    in_leads, out_leads : sequence of int, optional
        Leads of the computed blocks (default: all).

    Returns
    -------
    kwant.solvers.common.SMatrix
        The scattering matrix.
    """
    import kwant
    opts = _mumps_options()
    if opts is None:
        return kwant.smatrix(fsyst, energy, params=params, in_leads=in_leads,
                             out_leads=out_leads)
    from kwant.solvers import mumps
    mumps.options(**opts)
    try:
        return mumps.smatrix(fsyst, energy, params=params, in_leads=in_leads,
                             out_leads=out_leads)
    finally:
        mumps.reset_options()


def check_unitarity(smat, energy: float, tolerance: float = UNITARITY_TOLERANCE,
                    lead: int = 0) -> float:
    """Warn if Σ_j T_j,lead + R differs from the open-mode count of ``lead``; return the deviation.

    ``smat`` must hold ``lead`` (default 0) as an input and every lead as an output.

    Unitarity of the S-matrix means every incoming mode is transmitted or reflected:
    Σ T(lead→j) + R(lead→lead) = N_open(lead).

    Parameters
    ----------
    smat : kwant.solvers.common.SMatrix
        S-matrix with ``lead`` as an input and every lead as an output.
    energy : float
        Its energy, eV (for the message).
    tolerance : float, optional
        Allowed deviation per open mode.
    lead : int, optional
        The input lead.

    Returns
    -------
    float
        |Σ_j T_j,lead + R − N_open|, dimensionless.
    """
    total, n_open = _unitarity_sum(smat, lead)
    deviation = abs(total - n_open)
    if deviation > tolerance * max(1, n_open):
        warnings.warn(f"S-matrix not unitary at E = {energy:.6g}: Sum T + R = {total:.10g} but "
                      f"{n_open} modes are open (deviation {deviation:.2e})", AccuracyWarning,
                      stacklevel=2)
    return deviation


def _call_value(value, sites, params: dict):
    """Evaluate a Kwant value function at ``sites`` with its named arguments from ``params``."""
    names = list(inspect.signature(value).parameters)[len(sites):]
    missing = [n for n in names if n not in params]
    if missing:
        raise ValueError(f"params is missing {missing} needed by the value function "
                         f"{getattr(value, '__name__', value)!r}")
    return value(*sites, **{n: params[n] for n in names})


def bake_values(builder, params: dict):
    """Replace every value function of a Kwant Builder (and of its leads) by its number, in place.

    The Builder then needs no ``params=``: ``kwant.smatrix(builder.finalized(), E)`` works as
    is, and ``kwant.plot`` can colour by the on-site values. Returns ``builder``.

    Parameters
    ----------
    builder : kwant.Builder
        The Builder (its leads' Builders are baked too).
    params : dict
        Values of the value functions' named arguments.

    Returns
    -------
    kwant.Builder
        ``builder`` itself.

    Raises
    ------
    ValueError
        ``params`` lacks an argument a value function needs.
    """
    builders = [builder] + [getattr(lead, "builder") for lead in builder.leads
                            if hasattr(lead, "builder")]
    for b in builders:
        for site, value in list(b.site_value_pairs()):
            if callable(value):
                b[site] = _call_value(value, (site,), params)
        for hop, value in list(b.hopping_value_pairs()):
            if callable(value):
                b[hop] = _call_value(value, hop, params)
    return builder


#: solvers of :func:`transmission_sweep`
METHODS = ("auto", "rgf", "kwant")


def transmission_sweep(fsyst, energies_eV, params: dict | None = None, lead_in: int = 0,
                       lead_out: int = 1, *, progress=None, desc: str = "energies",
                       method: str = "auto", max_rgf_bytes: int | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Transmission lead_in → lead_out and open modes of lead_in at each energy, checked.

    The one transmission loop of the lattice models (filaments, user systems).

    ``method="kwant"``: one MUMPS solve per energy with ``lead_in`` as the only input (fewer
    right-hand sides), every S-matrix checked by :func:`check_unitarity` (AccuracyWarning).
    An energy exactly at a lead's mode threshold, where Kwant fails or is not unitary, gives
    T's limit from the side where the zero-velocity mode is closed (:func:`threshold_limit`,
    from solves 1e-8 t and 4e-8 t either side).

    ``method="rgf"``: the recursive Green's function solver of :mod:`.rgf` (slices along the
    transport direction, Kwant's lead self-energies computed once per energy for identical
    leads and cached across calls, Caroli formula); ``ValueError`` if the system is not
    slice-structured, ``WorkLimitError`` if its dense blocks exceed ``max_rgf_bytes``
    (default :data:`.rgf.MAX_RGF_BYTES`). Every energy is checked (Ward identity of the
    ``lead_in`` block to :data:`.rgf.WARD_TOLERANCE` per mode, 0 ≤ T ≤ N_open, no lead at a
    mode threshold); an energy failing a check is solved by ``kwant.smatrix`` instead.

    ``method="auto"`` (default): RGF when the system is slice-structured and within
    ``max_rgf_bytes``, Kwant otherwise. ``progress`` as in :func:`qtransport.infra.progress`.

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system (Hamiltonian in eV).
    energies_eV : array_like
        Energies, eV (1-D, may be empty).
    params : dict, optional
        Parameters of the value functions.
    lead_in : int, optional
        Incoming lead.
    lead_out : int, optional
        Outgoing lead.
    progress : bool, optional
        Progress bar over the energies (None: only on an interactive terminal).
    desc : str, optional
        Label of the progress bar.
    method : {"auto", "rgf", "kwant"}, optional
        Solver.
    max_rgf_bytes : int, optional
        Most bytes of the RGF dense blocks (default :data:`.rgf.MAX_RGF_BYTES`).

    Returns
    -------
    transmission : numpy.ndarray
        T(lead_in → lead_out) at each energy, dimensionless (conductance in G0).
    open_modes : numpy.ndarray
        Open modes of ``lead_in`` at each energy (int).

    Raises
    ------
    ValueError
        If an argument is invalid: `method` must be one of ``METHODS``; `energies_eV` must be a
        1-D array of finite numbers >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.
    """
    from ..errors import check_choice
    from ..infra import progress as _progress
    from . import rgf
    check_choice("method", method, METHODS)
    energies = check_array("energies_eV", energies_eV, ndim=1, min_size=0, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    trans = np.empty(len(energies))
    modes = np.empty(len(energies), dtype=int)
    with blas_threads(1):
        sweep = None
        if method != "kwant":
            limit = rgf.MAX_RGF_BYTES if max_rgf_bytes is None else max_rgf_bytes
            sweep = rgf.prepare(fsyst, params, lead_in, lead_out, max_bytes=limit,
                                strict=method == "rgf")
        for i, energy in enumerate(_progress(energies, desc=desc, enable=progress)):
            ok = False
            if sweep is not None:
                try:
                    trans[i], modes[i], ok = sweep(float(energy))
                except ValueError:          # Kwant's lead modes fail at a mode threshold
                    ok = False
            if not ok:
                trans[i], modes[i] = _kwant_transmission(fsyst, float(energy), params,
                                                         lead_in, lead_out)
    return trans, modes


def lead_hopping_scale(fsyst, params: dict | None = None) -> float:
    """Largest hopping magnitude between unit cells of any lead, eV (0 if not computable:
    precalculated leads hold no Hamiltonian).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized system.
    params : dict, optional
        Parameters of the value functions.

    Returns
    -------
    float
        max |V_lead| over the leads, eV.
    """
    scale = 0.0
    for lead in fsyst.leads:
        try:
            hop = lead.inter_cell_hopping(params=params)
        except (AttributeError, TypeError, ValueError):
            return 0.0
        if np.size(hop):
            scale = max(scale, float(np.max(np.abs(hop))))
    return scale


def unitarity_deviation(smat, lead: int = 0) -> float:
    """|Σ_j T_j,lead + R − N_open(lead)| of an S-matrix (see :func:`check_unitarity`).

    Parameters
    ----------
    smat : kwant.solvers.common.SMatrix
        S-matrix with ``lead`` as an input and every lead as an output.
    lead : int, optional
        The input lead.

    Returns
    -------
    float
        The deviation, dimensionless.
    """
    total, n_open = _unitarity_sum(smat, lead)
    return abs(total - n_open)


def _unitarity_sum(smat, lead: int) -> tuple[float, int]:
    """(Σ_j T_j,lead + R, open modes of ``lead``) of an S-matrix."""
    return (sum(smat.transmission(j, lead) for j in smat.out_leads),
            smat.submatrix(lead, lead).shape[0])


def _kwant_transmission(fsyst, energy: float, params, lead_in: int, lead_out: int
                        ) -> tuple[float, int]:
    """T(lead_in → lead_out) and open modes of ``lead_in`` by ``kwant.smatrix``, checked.

    Exactly at a mode threshold of a lead (a mode of zero velocity: E on a van Hove edge, such
    as the band centre of a 5-wide cubic wire where subbands open and close) Kwant's mode
    construction may fail outright, or return a non-unitary S-matrix (T off by up to one
    channel). Where it does, T's limit from the side where the threshold mode is closed is
    returned (:func:`threshold_limit`, δ = :data:`THRESHOLD_OFFSET` × t_lead). Precalculated
    leads cannot be shifted: their caller places E off the thresholds.
    """
    try:
        smat = smatrix(fsyst, energy, params=params, in_leads=[lead_in])
        failure = None
    except ValueError as exc:            # Kwant's lead modes at a threshold ("square matrix")
        smat, failure = None, exc
    broken = failure is not None or unitarity_deviation(smat, lead_in) > \
        UNITARITY_TOLERANCE * max(1, smat.num_propagating(lead_in))
    if broken:
        scale = lead_hopping_scale(fsyst, params)
        if scale > 0:
            solved = []
            for e_side in threshold_points(energy, THRESHOLD_OFFSET * scale):
                side = smatrix(fsyst, e_side, params=params, in_leads=[lead_in])
                check_unitarity(side, e_side, lead=lead_in)
                solved.append((float(side.transmission(lead_out, lead_in)),
                               int(side.num_propagating(lead_in))))
            return threshold_limit(solved)
        if failure is not None:
            raise ValueError(f"energies_eV: E = {energy:.12g} eV lies on a mode threshold of a "
                             f"lead, where its modes are undefined ({failure}); shift it "
                             f"slightly") from None
        check_unitarity(smat, energy, lead=lead_in)       # not unitary, and cannot be shifted
    return float(smat.transmission(lead_out, lead_in)), int(smat.num_propagating(lead_in))


def wave_function_injectivity(fsyst, energy_eV: float, params: dict | None = None,
                              leads=(0, 1)) -> np.ndarray:
    """Partial local densities of states ρ_lead(i) = Σ_m |ψ_lead,m(i)|² / 2π of the scattering
    states injected from each of ``leads``, from ``kwant.wave_function`` (modes of unit current).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized Kwant system (Hamiltonian in eV).
    energy_eV : float
        Energy, eV.
    params : dict, optional
        Parameters of the value functions.
    leads : sequence of int, optional
        The injecting leads.

    Returns
    -------
    numpy.ndarray
        Shape (len(leads), orbitals), 1/eV, in the orbital order of ``fsyst``.

    Raises
    ------
    ValueError
        If an argument is invalid: `energy_eV` must be finite.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number.
    """
    import kwant
    energy = check_real("energy_eV", energy_eV)
    wf = kwant.wave_function(fsyst, energy, params=params)
    return np.array([np.sum(np.abs(wf(lead)) ** 2, axis=0) for lead in leads]) / (2 * np.pi)


def transmission_injectivity(fsyst, energy_eV: float, params: dict | None = None,
                             lead_in: int = 0, lead_out: int = 1
                             ) -> tuple[float, int, np.ndarray]:
    """Transmission, open modes and the injectivities of both leads at one energy.

    The transmission is the one of :func:`transmission_sweep` (the same computation, the same
    number). The injectivities (partial local densities of states of the states injected from
    ``lead_in`` and from ``lead_out``, ρ = [G Γ G†]_ii / 2π = Σ_m |ψ_m(i)|² / 2π) come from the
    same dense solve when the system is one RGF block (:data:`.rgf.DENSE_ORBITALS` orbitals
    or fewer, :meth:`.rgf.Sweep.injectivity`); when that solve fails its checks (a bound state
    decoupled from the leads at E makes it singular) they are recomputed with a broadening
    iη, η = :data:`INJECTIVITY_BROADENING` × the largest hopping. Larger systems use
    :func:`wave_function_injectivity`.

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Two-terminal finalized Kwant system (Hamiltonian in eV).
    energy_eV : float
        Energy, eV.
    params : dict, optional
        Parameters of the value functions.
    lead_in, lead_out : int, optional
        The two leads.

    Returns
    -------
    transmission : float
        T(lead_in → lead_out), dimensionless.
    open_modes : int
        Open modes of ``lead_in``.
    injectivity : numpy.ndarray
        Shape (2, orbitals), 1/eV: row 0 injected from ``lead_in``, row 1 from ``lead_out``,
        in the orbital order of ``fsyst``.

    Raises
    ------
    ValueError
        If an argument is invalid: `energy_eV` must be finite.
    TypeError
        If an argument has the wrong type: `energy_eV` is not a real number.
    """
    from . import rgf
    energy = check_real("energy_eV", energy_eV)
    rho = None
    with blas_threads(1):
        sweep = rgf.prepare(fsyst, params, lead_in, lead_out, max_bytes=rgf.MAX_RGF_BYTES,
                            strict=False, dense_orbitals=rgf.DENSE_ORBITALS)   # G columns
        ok = False
        if sweep is not None:
            t, n_open, ok, rho = sweep.injectivity(energy)
            if rho is not None and not (ok and np.all(np.isfinite(rho))):
                off = sweep.diag[0] - np.diag(np.diag(sweep.diag[0]))
                eta = INJECTIVITY_BROADENING * float(np.abs(off).max(initial=1.0))
                rho = sweep.injectivity(energy, broadening=eta)[3]
        if not ok:
            smat = smatrix(fsyst, energy, params=params, in_leads=[lead_in])
            t = smat.transmission(lead_out, lead_in)
            n_open = smat.num_propagating(lead_in)
            check_unitarity(smat, energy, lead=lead_in)
        if rho is None or not np.all(np.isfinite(rho)):
            rho = wave_function_injectivity(fsyst, energy, params, (lead_in, lead_out))
    return float(t), int(n_open), rho
