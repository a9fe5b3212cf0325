"""Quantized conductance of atomic filaments and point contacts (Kwant tight-binding models).

The filament is a nearest-neighbour tight-binding model on a square (``dimension=2``) or cubic
(``dimension=3``) lattice with hopping t and on-site energy 2·d·t, so energies are measured from the
bottom of the bulk band. It runs along x between two semi-infinite electrodes (Kwant leads) of width
``electrode_width_atoms``; a filament as wide as its electrodes is a uniform wire with exact integer
conductance plateaus, a narrower one is a constriction (abrupt or smooth/adiabatic profile).

Conductance is G = G0 Σ T_n (Landauer, G0 = 2e²/h, spin-degenerate). Finite temperature is done by
:func:`qtransport.landauer.conductance` on an internal grid that resolves k_BT. Transmissions
come from :func:`qtransport.tight_binding.lattice.transmission_sweep`: the recursive Green's
function solver of :mod:`.rgf` (the filament is a chain of slices), every energy checked (Ward
identity, 0 ≤ T ≤ N_open), and ``kwant.smatrix`` checked for unitarity
(:func:`~qtransport.tight_binding.lattice.check_unitarity`) for any energy RGF declines.

Physical units: give ``hopping_eV`` directly, or ``lattice_constant_nm`` with ``effective_mass``
(t = ħ²/2m*a²), or ``material="Ag"`` (atomic spacing and free-electron mass from the database). For
monovalent metals (Ag, Cu: one s electron per atom, one conduction channel per atom — Scheer et al.,
Nature 394, 154 (1998)) the one-orbital band is half filled: :func:`metal_fermi_energy_eV` returns
its Fermi level 2·d·t. Multi-orbital metals (Nb: 5 channels) are beyond this one-orbital model.

The saddle-point point contact and Büttiker's formula live in :mod:`.qpc` and are re-exported
here (``filament.saddle_point_qpc``, ``filament.buttiker_conductance``).
"""
from __future__ import annotations

import functools

import numpy as np

from .. import materials
from ..constants import thermal_energy_eV
from ..errors import (check_array, check_choice, check_int, check_real, check_same_length,
                      check_work)
from ..errors import MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..infra import blas_threads, progress as _progress
from ..landauer import THERMAL_ATOL, adaptive_conductance, thermal_windows
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .lattice import (THRESHOLD_OFFSET, bake_values, hopping_eV as _hopping_from_mass,
                      hopping_value, threshold_limit, threshold_points,
                      transmission_sweep)
from .qpc import QPC_DEFAULT_MASS, buttiker_conductance, saddle_point_qpc  # noqa: F401

__all__ = ["conductance", "plateau_deviation_G0", "check_solves", "system", "growth_system", "configuration_conductance", "configuration_injectivity", "thermal_conductance", "growth", "ensemble", "histogram", "saddle_point_qpc",
           "buttiker_conductance", "wire_mode_count", "transverse_energies_eV",
           "metal_hopping_eV", "metal_fermi_energy_eV", "growth_order", "PROFILES", "ENSEMBLES"]

PROFILES = ("abrupt", "smooth")
ENSEMBLES = ("disorder", "geometry", "growth")
#: electrode columns kept inside the scattering region on each side (leads attach to them)
BUFFER_COLUMNS = 2
#: on-site barrier (in units of t) that removes a site in growth sequences
VACANCY_BARRIER = 1e9
#: first samples of T(E) at finite temperature are this many k_BT apart (adaptive panels of
#: 2 k_BT with midpoint and quarter points, then refined until the error meets ``thermal_atol``)
THERMAL_GRID_SPACING = 0.5
#: thermal grid reaches this many k_BT beyond the requested energies
THERMAL_GRID_REACH = 18.0
#: default most tight-binding sites a filament system may have (``max_sites=`` raises it):
#: a 2D wire of 10^5 sites takes ~ seconds per energy, 10^6 would take minutes and GBs
MAX_SITES = 200_000
#: default most S-matrix solves (energies × thermal grid × bisections) of one call (``max_solves=``)
MAX_SOLVES = 200_000
#: smallest hopping accepted, eV (1 µeV: a bandwidth below any metal or semiconductor; at 1e-300
#: the lead's Bloch factors divided by zero)
MIN_HOPPING_EV = 1e-6


def _check_size(width, length, electrode, dim, max_sites):
    """Refuse, before building anything, a system whose site count exceeds ``max_sites``."""
    limit = check_int("max_sites", max_sites, low=1)
    cross = electrode ** (dim - 1)
    sites = cross * (length + 2 * BUFFER_COLUMNS)
    check_work("max_sites", sites, limit, unit="sites",
               hint=f"length_atoms = {length} columns + {2 * BUFFER_COLUMNS} buffer × {cross} "
                    f"sites per electrode cross-section ({dim}D, electrode width {electrode})")
    return sites


def check_solves(n_energies, temperature, energies, max_solves, repeats=1, what=""):
    """Refuse a call whose number of S-matrix solves exceeds ``max_solves`` (thermal grids).

    ``repeats`` multiplies the count (growth steps, ensemble samples), ``what`` says why.

    Parameters
    ----------
    n_energies : int
        Number of energies of the call.
    temperature : float
        Temperature, K (> 0 counts the thermal grid instead of the energies).
    energies : numpy.ndarray or None
        The energies, eV (their span sets the thermal grid; unused at T = 0).
    max_solves : int
        The limit (≥ 1).
    repeats : int, optional
        Multiplier of the count (growth steps, ensemble samples).
    what : str, optional
        What ``repeats`` counts, for the message.

    Raises
    ------
    WorkLimitError
        The estimated solves exceed ``max_solves``.
    """
    limit = check_int("max_solves", max_solves, low=1)
    n = n_energies
    hint = f"{n_energies} energies"
    if temperature > 0:
        kt = thermal_energy_eV(temperature)
        windows = thermal_windows(energies, THERMAL_GRID_REACH * kt)
        span = float(np.sum(windows[:, 1] - windows[:, 0]))
        n = span / (THERMAL_GRID_SPACING * kt) + windows.shape[0]
        hint = (f"a first thermal grid of spacing k_BT/2 = {THERMAL_GRID_SPACING * kt:.3g} eV over "
                f"{span:.3g} eV at temperature_K = {temperature}")
    if repeats > 1:
        hint += f", × {repeats} {what}"
    check_work("max_solves", n * repeats, limit, unit="S-matrix solves", hint=hint)


# --- value functions (module level: finalized systems pickle) -------------------------------

def _onsite(site, t, dimension, disorder_map):
    return 2 * dimension * t + disorder_map.get(site, 0.0)


def _onsite_lead(site, t, dimension):
    return 2 * dimension * t


# --- geometry ---------------------------------------------------------------------------------

def _square(width: int, dimension: int) -> list[tuple[int, ...]]:
    """Transverse coordinates of a full width × width cross-section (2D: a line of sites)."""
    if dimension == 2:
        return [(y,) for y in range(width)]
    return [(y, z) for y in range(width) for z in range(width)]


def _centered(width: int, electrode_width: int, dimension: int) -> list[tuple[int, ...]]:
    off = (electrode_width - width) // 2
    return [tuple(c + off for c in coord) for coord in _square(width, dimension)]


def _profile_widths(width: int, electrode_width: int, length: int, profile: str) -> list[int]:
    """Filament width at each of the ``length`` columns."""
    if profile == "abrupt" or electrode_width == width:
        return [width] * length
    s = (np.arange(length) + 0.5) / length * 2 - 1           # −1 … 1 along the filament
    widths = width + (electrode_width - width) * s**2         # parabolic (adiabatic) taper
    return [int(round(w)) for w in widths]


def _builder(cross_sections, electrode_width: int, dimension: int,
             clean_hopping: float | None = None):
    """Unfinalized Kwant Builder (leads attached): columns with the given cross-sections.

    With ``clean_hopping`` = t the values are constants; otherwise they are value functions
    taking ``t``, ``dimension`` and ``disorder_map`` through ``params``. Returns the Builder and
    the lattice.
    """
    import kwant
    if clean_hopping is not None:
        onsite = onsite_lead = 2 * dimension * clean_hopping
        hopping = -clean_hopping
    else:
        onsite, onsite_lead, hopping = _onsite, _onsite_lead, hopping_value
    lat = (kwant.lattice.square(1, norbs=1) if dimension == 2
           else kwant.lattice.cubic(1, norbs=1))
    electrode = tuple(_square(electrode_width, dimension))
    columns = [electrode] * BUFFER_COLUMNS + list(cross_sections) + [electrode] * BUFFER_COLUMNS
    syst = kwant.Builder()
    for x, section in enumerate(columns):
        for coord in section:
            syst[lat(x, *coord)] = onsite
    syst[lat.neighbors()] = hopping
    direction = (-1,) + (0,) * (dimension - 1)
    lead = kwant.Builder(kwant.TranslationalSymmetry(lat.vec(direction)))
    for coord in electrode:
        lead[lat(0, *coord)] = onsite_lead
    lead[lat.neighbors()] = hopping
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst, lat


def _central(sites, n_columns: int, lat) -> tuple:
    """The filament's sites (not the electrode buffer columns), sorted by tag."""
    return tuple(lat(*tag) for tag in sorted(
        s.tag for s in sites if BUFFER_COLUMNS <= s.tag[0] < BUFFER_COLUMNS + n_columns))


@functools.lru_cache(maxsize=64)
def _build(cross_sections: tuple[tuple[tuple[int, ...], ...], ...], electrode_width: int,
           dimension: int, clean_hopping: float | None = None):
    """Finalized :func:`_builder` and its filament sites (cached: one system per geometry).

    Constant values (``clean_hopping``, no disorder possible) let Kwant skip a Python call per
    site and hopping, ~10 % faster per energy.
    """
    syst, lat = _builder(cross_sections, electrode_width, dimension, clean_hopping)
    fsyst = syst.finalized()
    return fsyst, _central(fsyst.sites, len(cross_sections), lat)


def _disorder_map(central_sites, disorder: float, seed: int) -> dict:
    if disorder == 0:
        return {}
    rng = np.random.default_rng(seed)
    values = rng.uniform(-disorder / 2, disorder / 2, len(central_sites))
    return dict(zip(central_sites, values))


# --- core transmission sweep ----------------------------------------------------------------

def _transmissions(fsyst, central_sites, energies: np.ndarray, t: float, dimension: int,
                   disorder: float, seed: int, vacancies=(), progress=False
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Total transmission and open electrode modes at each energy (eV).

    ``vacancies`` are sites removed from the filament by an on-site barrier of
    ``VACANCY_BARRIER × t``: they shift their neighbours by t²/U = 1e-9 t, which changes
    transmissions by ~1e-9 (measured against systems without those sites).
    """
    return transmission_sweep(fsyst, energies, _params(central_sites, t, dimension, disorder,
                                                       seed, vacancies), progress=progress)


def _wire_transmissions(fsyst, central_sites, energies: np.ndarray, t: float, dimension: int,
                        disorder: float, seed: int, electrode: int, progress=False,
                        vacancies=()) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_transmissions` with energies on a channel threshold of the ``electrode``-wide
    leads solved at :func:`threshold_sides` and combined by :func:`combine_sides` (the side
    that agrees with :func:`wire_mode_count`)."""
    sides = [threshold_sides(float(e), electrode, dimension, t) for e in energies]
    if all(len(x) == 1 for x in sides):
        return _transmissions(fsyst, central_sites, energies, t, dimension, disorder, seed,
                              vacancies, progress)
    flat = np.array([e for x in sides for e in x])
    g_all, m_all = _transmissions(fsyst, central_sites, flat, t, dimension, disorder, seed,
                                  vacancies, progress)
    g, modes, start = np.empty(len(energies)), np.empty(len(energies), dtype=int), 0
    counts = wire_mode_count(electrode, energies, dimension, t)
    for i, x in enumerate(sides):
        part = list(zip(g_all[start:start + len(x)], m_all[start:start + len(x)]))
        g[i], modes[i] = combine_sides(part, int(counts[i]))
        start += len(x)
    return g, modes


def _params(central_sites, t, dimension, disorder, seed, vacancies=()) -> dict:
    """Kwant ``params`` of the filament value functions (disorder and vacancy potentials)."""
    potential = _disorder_map(central_sites, disorder, seed)
    potential.update({site: VACANCY_BARRIER * t for site in vacancies})
    return {"t": t, "dimension": dimension, "disorder_map": potential}


def _thermal_conductance(fsyst, central, energies, temperature, t, dim, disorder, seed,
                         vacancies=(), progress=False, atol: float = THERMAL_ATOL
                         ) -> tuple[np.ndarray, np.ndarray]:
    """G(μ, T) of a filament at each energy (see :func:`thermal_conductance`)."""
    params = _params(central, t, dim, disorder, seed, vacancies)
    return thermal_conductance(lambda e, bar: transmission_sweep(fsyst, e, params, progress=bar),
                               energies, temperature, progress=progress, atol=atol)


def thermal_conductance(solve, energies, temperature, *, progress=None,
                        atol: float = THERMAL_ATOL) -> tuple[np.ndarray, np.ndarray]:
    """G(μ, T) at each energy by adaptive quadrature of T(E) against −∂f/∂E, error ≤ ``atol``.

    ``solve(energies, progress)`` returns (transmission, open modes) at the given energies (one
    S-matrix each). :func:`qtransport.landauer.adaptive_conductance` samples T(E) on panels of
    2 k_BT (with midpoints and quarter points, i.e. every k_BT/2, as fine as the former fixed
    grid) and splits the panels whose
    adaptive-Simpson error estimate is largest until the estimates sum to ≤ atol/2 per energy,
    so steps (mode openings) and smooth T(E) (constrictions, resonances) get the same documented
    error, in G0. Returns G/G0 and the T = 0 open-mode count at each energy (interpolated from
    the samples).

    Parameters
    ----------
    solve : callable
        ``solve(energies_eV, progress) -> (transmission, open_modes)``.
    energies : array_like
        Chemical potentials μ, eV.
    temperature : float
        Temperature, K (> 0).
    progress : bool, optional
        Progress bar over the first batch of energies.
    atol : float, optional
        Target absolute error of each G, units of G0.

    Returns
    -------
    conductance_G0 : numpy.ndarray
        G(μ, T)/G0 at each energy.
    open_modes : numpy.ndarray
        T = 0 open-mode count at each energy (int).
    """
    energies = np.atleast_1d(np.asarray(energies, dtype=float))
    samples_e, samples_m = [], []
    first = [True]

    def transmission(e):
        t, m = solve(e, progress if first[0] else False)
        first[0] = False
        samples_e.append(e)
        samples_m.append(m)
        return t
    g, _, _ = adaptive_conductance(transmission, energies, temperature, atol=atol,
                                   reach_kT=THERMAL_GRID_REACH,
                                   initial_spacing_kT=4 * THERMAL_GRID_SPACING)
    e_all, m_all = np.concatenate(samples_e), np.concatenate(samples_m)
    order = np.argsort(e_all)
    return np.atleast_1d(g), np.interp(energies, e_all[order], m_all[order]).round().astype(int)


def _resolve_hopping(hopping_eV, material, lattice_constant_nm, effective_mass) -> float:
    given = [hopping_eV is not None, material is not None,
             lattice_constant_nm is not None or effective_mass is not None]
    if sum(given) > 1:
        raise ValueError("give only one of hopping_eV, material, or lattice_constant_nm with "
                         "effective_mass")
    if material is not None:
        return metal_hopping_eV(material)
    if lattice_constant_nm is not None or effective_mass is not None:
        if lattice_constant_nm is None or effective_mass is None:
            raise ValueError("lattice_constant_nm and effective_mass must be given together")
        return _hopping_from_mass(effective_mass, lattice_constant_nm)
    return 1.0 if hopping_eV is None else check_real("hopping_eV", hopping_eV,
                                                      low=MIN_HOPPING_EV, high=MAX_ENERGY_EV)


def _check_geometry(width_atoms, length_atoms, dimension, electrode_width_atoms):
    dim = check_choice("dimension", dimension, (2, 3))
    width = check_int("width_atoms", width_atoms, low=1)
    length = check_int("length_atoms", length_atoms, low=1)
    electrode = width if electrode_width_atoms is None else check_int(
        "electrode_width_atoms", electrode_width_atoms, low=1)
    if electrode < width:
        raise ValueError(f"electrode_width_atoms must be >= width_atoms = {width} (electrodes "
                         f"cannot be narrower than the filament), got {electrode}")
    return width, length, dim, electrode


# --- public API -----------------------------------------------------------------------------

#: database materials with an atomic spacing and an effective mass (usable as ``material=``)
FILAMENT_METALS = tuple(name for name in materials.names()
                        if materials.get(name).get("atomic_spacing_nm") is not None
                        and materials.get(name).get("effective_mass") is not None)

_FILAMENT_PARAMS = [
    Param("width_atoms", int, low=1, doc="filament width in sites (3D: width × width)"),
    Param("energies_eV", "array", doc="energies above the bulk band bottom"),
    Param("length_atoms", int, 10, low=1, doc="filament length in sites"),
    Param("dimension", int, 2, low=2, high=3, doc="2 (square) or 3 (cubic lattice)"),
    Param("electrode_width_atoms", int, None, low=1, optional=True,
          doc="electrode width (None: as wide as the filament)"),
    Param("hopping_eV", float, None, low=0.0, low_open=True, optional=True,
          doc="hopping t (default 1 eV)"),
    Param("disorder_eV", float, 0.0, low=0.0, doc="Anderson disorder strength (box width)"),
    Param("temperature_K", float, 0.0, low=0.0, doc="temperature"),
    Param("seed", int, 0, low=0, doc="random seed of the disorder"),
    Param("profile", str, "abrupt", choices=PROFILES, doc="constriction profile"),
    Param("material", str, None, optional=True, choices=FILAMENT_METALS,
          doc="metal whose atomic spacing and mass give t (instead of hopping_eV)"),
    Param("lattice_constant_nm", float, None, optional=True, low=0.0, low_open=True,
          doc="site spacing a giving t = hbar^2/(2 m* a^2) with effective_mass, nm"),
    Param("effective_mass", float, None, optional=True, low=0.0, low_open=True,
          doc="m*/m_e giving t = hbar^2/(2 m* a^2) with lattice_constant_nm"),
    Param("max_sites", int, low=1, doc="refuse larger systems (tight-binding sites) up front"),
    Param("max_solves", int, low=1, doc="refuse calls needing more S-matrix solves up front"),
    Param("progress", bool, optional=True,
          doc="progress bar over energies (None: only on an interactive terminal)"),
]
_CONDUCTANCE_PARAMS = _FILAMENT_PARAMS + [
    Param("thermal_atol", float, THERMAL_ATOL, low=0.0, low_open=True,
          doc="target error of G at temperature_K > 0 (adaptive quadrature), G0"),
]


@register("filament.conductance", params=_CONDUCTANCE_PARAMS,
          summary="Landauer conductance (G0) of a filament/constriction vs energy",
          outputs=("energies_eV", "conductance_G0", "open_modes"))
def conductance(width_atoms: int, energies_eV, length_atoms: int = 10, dimension: int = 2,
                electrode_width_atoms: int | None = None, hopping_eV: float | None = None,
                disorder_eV: float = 0.0, temperature_K: float = 0.0, seed: int = 0,
                profile: str = "abrupt", material: str | None = None,
                lattice_constant_nm: float | None = None,
                effective_mass: float | None = None, *, max_sites: int = MAX_SITES,
                max_solves: int = MAX_SOLVES, progress: bool | None = None,
                thermal_atol: float = THERMAL_ATOL) -> Result:
    """Conductance of an atomic filament (uniform wire or constriction) vs energy, in G0.

    Parameters
    ----------
    width_atoms : int
        Filament width in sites (≥ 1); in 3D the cross-section is width × width.
    energies_eV : array_like
        Energies above the bottom of the bulk band, eV.
    length_atoms : int
        Filament length in sites.
    dimension : {2, 3}
        Square (2) or cubic (3) lattice.
    electrode_width_atoms : int, optional
        Electrode width (≥ width_atoms). None: as wide as the filament (uniform wire).
    hopping_eV : float, optional
        Hopping t in eV (default 1 eV unless ``material`` or mass and spacing are given).
    disorder_eV : float
        Anderson disorder: on-site energies uniform in [−W/2, W/2] on the filament sites, eV.
    temperature_K : float
        Temperature; > 0 smears T(E) with the Fermi window (:mod:`qtransport.landauer`).
    seed : int
        Seed of the disorder realization (same seed → identical result).
    profile : {"abrupt", "smooth"}
        Constriction profile: abrupt step or a parabolic (adiabatic) taper.
    material : str, optional
        Metal from the database (``"Ag"``, ``"Cu"`` …): t from its atomic spacing and mass.
    lattice_constant_nm, effective_mass : float, optional
        Spacing a (nm) and m*/m_e giving t = ħ²/(2m*a²).
    max_sites : int
        Refuse (``WorkLimitError``, a ValueError) a system with more tight-binding sites than
        this, before building it (default :data:`MAX_SITES`); raise it deliberately for big runs.
    max_solves : int
        Refuse a call needing more S-matrix solves than this (energies, or the k_BT/2 thermal grid
        at T > 0; default :data:`MAX_SOLVES`).
    progress : bool, optional
        Progress bar over the energies (:func:`qtransport.infra.progress`): None shows it at a
        terminal once the loop has run 2 s, False never, True always.
    thermal_atol : float
        At temperature_K > 0: target absolute error of every G, G0 (default 1e-5). T(E) is
        sampled adaptively (:func:`thermal_conductance`) until the adaptive-Simpson error
        estimate meets it — for staircases and smooth T(E) (constrictions) alike.

    Returns
    -------
    Result
        ``energies_eV``, ``conductance_G0`` and ``open_modes`` (propagating electrode modes at
        each energy, an upper bound of G/G0; at T > 0 the T = 0 count).

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000; `temperature_K` must be >= 0 and <= 10000; `thermal_atol` must be > 0.
    TypeError
        If an argument has the wrong type: `temperature_K` or `thermal_atol` are not real
        numbers; `energies_eV` is not an array of real numbers.

    See Also
    --------
    system : the same device as an unfinalized ``kwant.Builder`` (for ``kwant.plot``, wave
        functions, currents).

    Notes
    -----
    G = (2e²/h) Σ_n T_n(E) from the Kwant S-matrix. A uniform wire of W sites has exactly
    #{m : 2t[1 − cos(mπ/(W+1))] < E} open channels (see :func:`wire_mode_count`).

    Examples
    --------
    >>> r = conductance(width_atoms=3, energies_eV=[1.0, 2.5], length_atoms=4)
    >>> [round(float(g), 8) for g in r.conductance_G0]
    [1.0, 2.0]
    """
    energies = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    width, length, dim, electrode, t, disorder, seed, sections = _setup(
        width_atoms, length_atoms, dimension, electrode_width_atoms, hopping_eV, disorder_eV,
        seed, profile, material, lattice_constant_nm, effective_mass, max_sites)
    temperature = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    check_solves(energies.size, temperature, energies, max_solves)
    fsyst, central = _build(sections, electrode, dim, None if disorder else t)
    if temperature == 0:
        g, modes = _wire_transmissions(fsyst, central, energies, t, dim, disorder, seed,
                                       electrode, progress)
    else:
        g, modes = _thermal_conductance(
            fsyst, central, energies, temperature, t, dim, disorder, seed, progress=progress,
            atol=check_real("thermal_atol", thermal_atol, low=0.0, low_open=True))
    params = dict(width_atoms=width, length_atoms=length, dimension=dim,
                  electrode_width_atoms=electrode, hopping_eV=t, disorder_eV=disorder,
                  temperature_K=temperature, seed=seed, profile=profile, material=material,
                  lattice_constant_nm=lattice_constant_nm, effective_mass=effective_mass)
    return Result("filament.conductance", params,
                  {"energies_eV": energies, "conductance_G0": np.atleast_1d(g),
                   "open_modes": modes})


def _setup(width_atoms, length_atoms, dimension, electrode_width_atoms, hopping_eV, disorder_eV,
           seed, profile, material, lattice_constant_nm, effective_mass, max_sites):
    """Checked geometry and physics of :func:`conductance`/:func:`system`, and the sections."""
    width, length, dim, electrode = _check_geometry(width_atoms, length_atoms, dimension,
                                                    electrode_width_atoms)
    t = _resolve_hopping(hopping_eV, material, lattice_constant_nm, effective_mass)
    disorder = check_real("disorder_eV", disorder_eV, low=0.0, high=MAX_ENERGY_EV)
    seed = check_int("seed", seed, low=0)
    check_choice("profile", profile, PROFILES)
    _check_size(width, length, electrode, dim, max_sites)
    sections = tuple(tuple(_centered(w, electrode, dim))
                     for w in _profile_widths(width, electrode, length, profile))
    return width, length, dim, electrode, t, disorder, seed, sections


def system(width_atoms: int, length_atoms: int = 10, dimension: int = 2,
           electrode_width_atoms: int | None = None, hopping_eV: float | None = None,
           disorder_eV: float = 0.0, seed: int = 0, profile: str = "abrupt",
           material: str | None = None, lattice_constant_nm: float | None = None,
           effective_mass: float | None = None, *, max_sites: int = MAX_SITES):
    """The filament of :func:`conductance` as an unfinalized Kwant Builder, leads attached.

    Same parameters (and checks) as :func:`conductance`, without the energies. Every value is a
    number (hopping −t, on-site 2·d·t plus this ``seed``'s disorder), so the finalized system
    needs no ``params``. The two electrodes are ``syst.leads[0]`` (left, x < 0) and
    ``syst.leads[1]`` (right); their Builders are ``syst.leads[i].builder``. Lattice spacing 1:
    site ``(x, y[, z])`` has tag = position.

    Parameters
    ----------
    width_atoms : int
        Filament width in sites (≥ 1); in 3D the cross-section is width × width.
    length_atoms : int, optional
        Filament length in sites (≥ 1).
    dimension : {2, 3}, optional
        Square (2) or cubic (3) lattice.
    electrode_width_atoms : int, optional
        Electrode width (≥ width_atoms); None: as wide as the filament.
    hopping_eV : float, optional
        Hopping t, eV (> 0; default 1 eV unless ``material`` or mass and spacing are given).
    disorder_eV : float, optional
        Anderson disorder: on-site energies uniform in [−W/2, W/2] on the filament sites, eV (≥ 0).
    seed : int, optional
        Seed of the disorder realization (≥ 0).
    profile : {"abrupt", "smooth"}, optional
        Constriction profile: abrupt step or a parabolic (adiabatic) taper.
    material : str, optional
        Metal from the database (``"Ag"``, ``"Cu"`` …): t from its atomic spacing and mass.
    lattice_constant_nm : float, optional
        Spacing a, nm (> 0), with ``effective_mass`` giving t = ħ²/(2m*a²).
    effective_mass : float, optional
        m*/m_e (> 0), with ``lattice_constant_nm``.
    max_sites : int, optional
        Refuse (``WorkLimitError``) a system with more tight-binding sites, before building it.

    Returns
    -------
    kwant.Builder
        Unfinalized, with the two electrode leads attached: edit it (add sites, a gate
        potential…), then ``.finalized()``.

    Raises
    ------
    ValueError
        An argument out of range, conflicting ways of giving t, or a work limit exceeded.
    TypeError
        An argument of the wrong type.

    Examples
    --------
    >>> import kwant
    >>> syst = system(width_atoms=3, length_atoms=4, electrode_width_atoms=5)
    >>> len(syst.leads)
    2
    >>> smat = kwant.smatrix(syst.finalized(), 2.5)
    >>> round(float(smat.transmission(1, 0)), 6) == round(float(conductance(
    ...     3, [2.5], 4, electrode_width_atoms=5).conductance_G0[0]), 6)
    True

    Draw it with ``kwant.plot(syst)`` (the electrodes are drawn as three faded unit cells each).
    """
    width, length, dim, electrode, t, disorder, seed, sections = _setup(
        width_atoms, length_atoms, dimension, electrode_width_atoms, hopping_eV, disorder_eV,
        seed, profile, material, lattice_constant_nm, effective_mass, max_sites)
    syst, lat = _builder(sections, electrode, dim)
    central = _central(syst.sites(), len(sections), lat)
    return bake_values(syst, _params(central, t, dim, disorder, seed))


def growth_system(max_width_atoms: int, n_atoms: int, dimension: int = 2,
                  length_atoms: int = 4, electrode_width_atoms: int | None = None,
                  hopping_eV: float | None = None, disorder_eV: float = 0.0, seed: int = 0,
                  order: str = "compact", order_seed: int | None = None,
                  material: str | None = None, *, max_sites: int = MAX_SITES):
    """Step ``n_atoms`` of :func:`growth` as an unfinalized Kwant Builder, leads attached.

    The filament holds the first ``n_atoms`` atoms of :func:`growth_order` in every one of its
    ``length_atoms`` columns; the atoms not yet grown are absent (``growth`` models them as
    vacancies of on-site barrier U = ``VACANCY_BARRIER``·t). The disorder is the one
    :func:`growth` uses with the same ``seed``, so the finalized system's transmission at
    ``fermi_energy_eV`` equals ``growth(...).conductance_G0[n_atoms - 1]`` up to the vacancies'
    residual virtual hopping t²/U: first order in t/U = 1e-9 in T (measured ≲ 5e-9).
    Parameters as in :func:`growth`; values are numbers (no ``params`` needed).

    Parameters
    ----------
    max_width_atoms : int
        Final cross-section width in atoms (≥ 1).
    n_atoms : int
        Growth step: atoms present per column, 1 ≤ n_atoms ≤ max_width^(d−1).
    dimension : {2, 3}, optional
        Square or cubic lattice.
    length_atoms : int, optional
        Filament length in atoms (≥ 1).
    electrode_width_atoms : int, optional
        Electrode width (≥ max_width_atoms; default max_width_atoms + 2).
    hopping_eV : float, optional
        Hopping t, eV (> 0; default 1 eV, or from ``material``).
    disorder_eV : float, optional
        Anderson disorder box width, eV (≥ 0).
    seed : int, optional
        Disorder seed (and order seed unless ``order_seed``), ≥ 0.
    order : {"compact", "random"}, optional
        Growth order (:func:`growth_order`).
    order_seed : int, optional
        Seed of the random order (default ``seed``).
    material : str, optional
        Metal whose atomic spacing and mass give t.
    max_sites : int, optional
        Refuse larger systems (tight-binding sites) up front.

    Returns
    -------
    kwant.Builder
        Unfinalized, with the two electrode leads attached (``syst.leads[0]`` left).

    Raises
    ------
    ValueError
        If an argument is invalid: `dimension` must be one of ``(2, 3)``; `max_width_atoms` and
        `length_atoms` must be >= 1; `n_atoms` must be >= 1 and <= `max_width_atoms` **
        (`dimension` − 1); `disorder_eV` must be >= 0 and <= 1000; `seed` and `order_seed` must be
        >= 0; `electrode_width_atoms` must be >= the wire width.
    TypeError
        If an argument has the wrong type: `disorder_eV` is not a real number;
        `max_width_atoms`, `n_atoms`, `length_atoms`, `seed`, `electrode_width_atoms` or
        `order_seed` are not integers.

    Examples
    --------
    >>> syst = growth_system(3, 3, length_atoms=4)
    >>> len(syst.leads)
    2
    """
    dim = check_choice("dimension", dimension, (2, 3))
    width = check_int("max_width_atoms", max_width_atoms, low=1)
    n = check_int("n_atoms", n_atoms, low=1, high=width ** (dim - 1))
    length = check_int("length_atoms", length_atoms, low=1)
    electrode = width + 2 if electrode_width_atoms is None else check_int(
        "electrode_width_atoms", electrode_width_atoms, low=width)
    t = _resolve_hopping(hopping_eV, material, None, None)
    disorder = check_real("disorder_eV", disorder_eV, low=0.0, high=MAX_ENERGY_EV)
    seed = check_int("seed", seed, low=0)
    order_seed = seed if order_seed is None else check_int("order_seed", order_seed, low=0)
    _check_size(width, length, electrode, dim, max_sites)
    sequence = _offset_order(width, dim, order, order_seed, electrode)
    syst, lat = _builder((tuple(sorted(sequence)),) * length, electrode, dim)
    central = _central(syst.sites(), length, lat)
    bake_values(syst, _params(central, t, dim, disorder, seed))
    present = set(sequence[:n])
    for site in central:
        if tuple(site.tag)[1:] not in present:
            del syst[site]
    return syst


def _offset_order(width, dim, order, order_seed, electrode) -> list[tuple[int, ...]]:
    """:func:`growth_order` shifted to the centre of the electrode cross-section."""
    off = (electrode - width) // 2
    return [tuple(c + off for c in coord)
            for coord in growth_order(width, dim, order, order_seed)]


def wire_mode_count(width_atoms: int, energies_eV, dimension: int = 2,
                    hopping_eV: float = 1.0) -> np.ndarray:
    """Exact number of open channels of a clean uniform lattice wire (the plateau values).

    Parameters
    ----------
    width_atoms : int
        Wire width in sites (≥ 1; 3D: width × width).
    energies_eV : array_like
        Energies above the bulk band bottom, eV.
    dimension : {2, 3}, optional
        Square or cubic lattice.
    hopping_eV : float, optional
        Hopping t, eV (> 0).

    Returns
    -------
    numpy.ndarray
        Open channels at each energy (int).

    Raises
    ------
    ValueError
        If an argument is invalid: `hopping_eV` must be >= 1e-06 and <= 1000; `energies_eV`
        must be an array of finite numbers >= -1000 and <= 1000.
    TypeError
        If an argument has the wrong type: `hopping_eV` is not a real number; `energies_eV` is
        not an array of real numbers.

    Notes
    -----
    Transverse energies of a W-site hard-wall chain are ε_m = 2t[1 − cos(mπ/(W+1))]; a channel is
    open when the sum of the transverse energies (one per transverse direction) is below E and the
    longitudinal band (width 4t) has not closed: ε < E < ε + 4t.

    Examples
    --------
    >>> wire_mode_count(3, [1.0, 2.5]).tolist()
    [1, 2]
    """
    t = check_real("hopping_eV", hopping_eV, low=MIN_HOPPING_EV, high=MAX_ENERGY_EV)
    eps = transverse_energies_eV(width_atoms, dimension, t)
    e = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)[:, None]
    return np.sum((eps[None, :] < e) & (e < eps[None, :] + 4 * t), axis=1)


def transverse_energies_eV(width_atoms: int, dimension: int = 2,
                           hopping_eV: float = 1.0) -> np.ndarray:
    """Transverse mode energies 2t[1 − cos(mπ/(W+1))] (3D: sums of two), eV: channel thresholds.

    Parameters
    ----------
    width_atoms : int
        Wire width in sites (≥ 1).
    dimension : {2, 3}, optional
        Square (W energies) or cubic (W² sums) lattice.
    hopping_eV : float, optional
        Hopping t, eV (> 0).

    Returns
    -------
    numpy.ndarray
        Transverse energies, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `width_atoms` must be >= 1; `dimension` must be one of ``(2,
        3)``; `hopping_eV` must be >= 1e-06 and <= 1000.
    TypeError
        If an argument has the wrong type: `hopping_eV` is not a real number; `width_atoms` is
        not an integer.

    Examples
    --------
    >>> [round(float(x), 4) for x in transverse_energies_eV(3)]
    [0.5858, 2.0, 3.4142]
    """
    width = check_int("width_atoms", width_atoms, low=1)
    dim = check_choice("dimension", dimension, (2, 3))
    t = check_real("hopping_eV", hopping_eV, low=MIN_HOPPING_EV, high=MAX_ENERGY_EV)
    eps = 2 * t * (1 - np.cos(np.arange(1, width + 1) * np.pi / (width + 1)))
    return (eps[:, None] + eps[None, :]).ravel() if dim == 3 else eps


def plateau_deviation_G0(width_atoms: int, energies_eV, conductance_G0, dimension: int = 2,
                         hopping_eV: float = 1.0, threshold_margin_eV: float = 1e-6) -> float:
    """Largest |G − N(E)| of a clean-wire conductance, away from the channel thresholds (G0).

    Parameters
    ----------
    width_atoms : int
        Wire width in sites (≥ 1; 3D: width × width).
    energies_eV : array_like
        Energies E − E_band (eV) of ``conductance_G0``.
    conductance_G0 : array_like
        Conductance at those energies, in units of G0 = 2e²/h.
    dimension : {2, 3}, optional
        Square (2) or cubic (3) lattice.
    hopping_eV : float, optional
        Hopping t, eV (> 0).
    threshold_margin_eV : float, optional
        Energies closer than this (eV) to a channel opening ε_m or closing ε_m + 4t are left
        out: there the step of the exact count :func:`wire_mode_count` is not defined.

    Returns
    -------
    float
        max |G − N(E)| over the energies kept (NaN when none is kept).

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be a 1-D array of finite numbers >= -1000
        and <= 1000; `conductance_G0` must be a 1-D array of finite numbers; `energies_eV` and
        `conductance_G0` must have the same length; `threshold_margin_eV` must be >= 0;
        `hopping_eV` must be >= 1e-06 and <= 1000.
    TypeError
        If an argument has the wrong type: `threshold_margin_eV` or `hopping_eV` are not real
        numbers; `energies_eV` or `conductance_G0` are not arrays of real numbers.

    Examples
    --------
    A clean wire of 4 sites gives the exact channel count everywhere (round-off only):

    >>> import numpy as np
    >>> E = np.linspace(0.1, 3.9, 40)
    >>> r = conductance(width_atoms=4, energies_eV=E, length_atoms=5)
    >>> bool(plateau_deviation_G0(4, E, r.conductance_G0) < 1e-9)
    True
    """
    e = check_array("energies_eV", energies_eV, ndim=1, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    g = check_array("conductance_G0", conductance_G0, ndim=1)
    check_same_length(energies_eV=e, conductance_G0=g)
    margin = check_real("threshold_margin_eV", threshold_margin_eV, low=0.0)
    t = check_real("hopping_eV", hopping_eV, low=MIN_HOPPING_EV, high=MAX_ENERGY_EV)
    exact = wire_mode_count(width_atoms, e, dimension, t)
    eps = transverse_energies_eV(width_atoms, dimension, t)
    edges = np.concatenate([eps, eps + 4 * t])
    away = np.abs(e[:, None] - edges[None, :]).min(axis=1) > margin
    return float(np.abs(g - exact)[away].max()) if away.any() else float("nan")


def metal_hopping_eV(material: str) -> float:
    """Hopping t = ħ²/(2m*a²) of a metal from its database atomic spacing and effective mass.

    Parameters
    ----------
    material : str
        Database metal with ``atomic_spacing_nm`` and ``effective_mass`` (``"Ag"``, ``"Cu"``).

    Returns
    -------
    float
        Hopping t, eV.

    Raises
    ------
    ValueError
        The material lacks those entries (or is unknown).

    Examples
    --------
    >>> round(metal_hopping_eV('Ag'), 2)
    0.46
    """
    m = materials.get(material)
    if m.get("atomic_spacing_nm") is None or m.get("effective_mass") is None:
        raise ValueError(f"material {material!r} has no atomic_spacing_nm/effective_mass: not a "
                         f"filament metal (use Ag or Cu)")
    return _hopping_from_mass(m.effective_mass, m.atomic_spacing_nm)


def metal_fermi_energy_eV(material: str, dimension: int = 3) -> float:
    """Fermi level of a monovalent metal's half-filled one-orbital band: 2·d·t (band centre), eV.

    Parameters
    ----------
    material : str
        Database metal (``"Ag"``, ``"Cu"``).
    dimension : {2, 3}, optional
        Lattice dimension d.

    Returns
    -------
    float
        Fermi level above the band bottom, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `dimension` must be one of ``(2, 3)``.

    Examples
    --------
    >>> round(metal_fermi_energy_eV('Ag'), 2)
    2.74
    """
    return 2 * check_choice("dimension", dimension, (2, 3)) * metal_hopping_eV(material)


# --- atom-by-atom growth and ensembles ------------------------------------------------------

def growth_order(max_width_atoms: int, dimension: int, order: str = "compact",
                 seed: int = 0) -> list[tuple[int, ...]]:
    """Order in which atoms fill a max_width (× max_width) cross-section.

    ``"compact"`` fills by distance from the centre (ties broken by angle), so every intermediate
    cross-section is a compact cluster; ``"random"`` draws a random compact-biased order: each new
    atom is chosen at random among the empty sites touching the cluster (seeded).

    Parameters
    ----------
    max_width_atoms : int
        Cross-section width (≥ 1).
    dimension : {2, 3}
        2: a line of ``max_width_atoms`` sites; 3: a square of max_width².
    order : {"compact", "random"}, optional
        Growth order.
    seed : int, optional
        Seed of the random order (≥ 0).

    Returns
    -------
    list of tuple of int
        Transverse coordinates, in filling order.

    Raises
    ------
    ValueError
        If an argument is invalid: `max_width_atoms` must be >= 1; `dimension` must be one of
        ``(2, 3)``; `order` must be one of ``('compact', 'random')``; `seed` must be >= 0.
    TypeError
        If an argument has the wrong type: `max_width_atoms` or `seed` are not integers.

    Examples
    --------
    >>> growth_order(3, 2)
    [(1,), (0,), (2,)]
    """
    width = check_int("max_width_atoms", max_width_atoms, low=1)
    dim = check_choice("dimension", dimension, (2, 3))
    check_choice("order", order, ("compact", "random"))
    cells = _square(width, dim)
    centre = (width - 1) / 2
    def rank(c):
        d = np.subtract(c, centre)
        return (round(float(np.hypot(*d)) if dim == 3 else abs(float(d[0])), 9),
                float(np.arctan2(d[-1], d[0])) if dim == 3 else float(d[0]))
    compact = sorted(cells, key=rank)
    if order == "compact":
        return compact
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    chosen, free = [compact[0]], set(cells) - {compact[0]}
    while free:
        frontier = sorted(c for c in free
                          if any(sum(abs(a - b) for a, b in zip(c, o)) == 1 for o in chosen))
        pick = frontier[rng.integers(len(frontier))]
        chosen.append(pick)
        free.remove(pick)
    return chosen


@register("filament.growth", params=[
    Param("max_width_atoms", int, low=1, doc="final cross-section width in atoms"),
    Param("fermi_energy_eV", float, doc="Fermi energy above the band bottom"),
    Param("dimension", int, 2, low=2, high=3, doc="2 or 3"),
    Param("length_atoms", int, 4, low=1, doc="filament length"),
    Param("hopping_eV", float, None, low=0.0, low_open=True, optional=True, doc="hopping t"),
    Param("disorder_eV", float, 0.0, low=0.0, doc="Anderson disorder"),
    Param("temperature_K", float, 0.0, low=0.0, doc="temperature"),
    Param("order", str, "compact", choices=("compact", "random"), doc="growth order"),
    Param("seed", int, 0, low=0, doc="seed of the disorder (and of the order by default)"),
    Param("order_seed", int, None, low=0, optional=True, doc="seed of the random order"),
    Param("electrode_width_atoms", int, None, low=1, optional=True,
          doc="electrode width (None: final filament width + 2)"),
    Param("material", str, None, optional=True, choices=FILAMENT_METALS,
          doc="metal whose atomic spacing and mass give t (instead of hopping_eV)"),
    Param("max_sites", int, low=1, doc="refuse larger systems (tight-binding sites) up front"),
    Param("max_solves", int, low=1, doc="refuse calls needing more S-matrix solves up front"),
    Param("progress", bool, optional=True,
          doc="progress bar over energies (None: only on an interactive terminal)"),
], summary="Conductance vs number of atoms as a filament grows atom by atom")
def growth(max_width_atoms: int, fermi_energy_eV: float, dimension: int = 2,
           length_atoms: int = 4, electrode_width_atoms: int | None = None,
           hopping_eV: float | None = None, disorder_eV: float = 0.0,
           temperature_K: float = 0.0, order: str = "compact", seed: int = 0,
           material: str | None = None, order_seed: int | None = None, *,
           max_sites: int = MAX_SITES, max_solves: int = MAX_SOLVES,
           progress: bool | None = None) -> Result:
    """Conductance at the Fermi energy as the filament cross-section grows one atom at a time.

    Parameters
    ----------
    max_width_atoms : int
        The cross-section grows up to max_width (2D) or max_width × max_width (3D) atoms.
    fermi_energy_eV : float
        Fermi energy above the bulk band bottom, eV.
    dimension : {2, 3}
        Square or cubic lattice.
    length_atoms : int
        Length of the filament (the narrow part) in atoms.
    electrode_width_atoms : int, optional
        Electrode width; default max_width_atoms + 2.
    hopping_eV : float, optional
        Hopping t, eV (> 0; default 1 eV, or from ``material``).
    disorder_eV : float, optional
        Anderson disorder box width W, eV (≥ 0); the realization is the same at every step.
    temperature_K : float, optional
        Temperature, K (≥ 0).
    seed : int, optional
        Seed of the disorder (and of the random order unless ``order_seed``), ≥ 0.
    order : {"compact", "random"}
        Growth order (see :func:`growth_order`).
    order_seed : int, optional
        Seed of the random growth order (default: ``seed``). Keeping ``seed`` and changing
        ``order_seed`` re-grows the same device along another path (cycle-to-cycle variation).
    material : str, optional
        Metal from the database whose atomic spacing and mass give t (instead of
        ``hopping_eV``).
    max_sites : int, optional
        Refuse larger systems (tight-binding sites) up front (see :func:`conductance`).
    max_solves : int, optional
        Refuse calls needing more S-matrix solves (over all growth steps) up front.
    progress : bool, optional
        Progress bar over the growth steps (None: only on an interactive terminal).

    Returns
    -------
    Result
        ``width_atoms`` (number of atoms in the cross-section, 1 … N) and ``conductance_G0``.

    Raises
    ------
    ValueError
        If an argument is invalid: `dimension` must be one of ``(2, 3)``; `max_width_atoms` and
        `length_atoms` must be >= 1; `fermi_energy_eV` must be >= -1000 and <= 1000;
        `disorder_eV` must be >= 0 and <= 1000; `temperature_K` must be >= 0 and <= 10000;
        `seed` and `order_seed` must be >= 0; `electrode_width_atoms` must be >= the wire width.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV`, `disorder_eV` or `temperature_K`
        are not real numbers; `max_width_atoms`, `length_atoms`, `seed`,
        `electrode_width_atoms` or `order_seed` are not integers.

    Notes
    -----
    The system is built once with the full cross-section; atoms not yet grown are vacancies
    (on-site barrier ``VACANCY_BARRIER``·t: neighbours shifted by t²/U = 1e-9 t, T by ~1e-9). The
    test suite
    checks this against systems built with each partial cross-section explicitly.

    Examples
    --------
    >>> g = growth(max_width_atoms=3, fermi_energy_eV=3.0, dimension=2)
    >>> g.width_atoms.tolist()
    [1, 2, 3]
    """
    dim = check_choice("dimension", dimension, (2, 3))
    width = check_int("max_width_atoms", max_width_atoms, low=1)
    energy = check_real("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    length = check_int("length_atoms", length_atoms, low=1)
    electrode = width + 2 if electrode_width_atoms is None else check_int(
        "electrode_width_atoms", electrode_width_atoms, low=width)
    t = _resolve_hopping(hopping_eV, material, None, None)
    disorder = check_real("disorder_eV", disorder_eV, low=0.0, high=MAX_ENERGY_EV)
    temperature = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    seed = check_int("seed", seed, low=0)
    order_seed = seed if order_seed is None else check_int("order_seed", order_seed, low=0)
    _check_size(width, length, electrode, dim, max_sites)
    check_solves(1, temperature, np.array([energy]), max_solves, width ** (dim - 1),
                  "growth steps")
    sequence = _offset_order(width, dim, order, order_seed, electrode)
    fsyst, central = _build((tuple(sorted(sequence)),) * length, electrode, dim)
    if temperature == 0:        # one energy for every step: compute the lead modes once
        with blas_threads(1):      # (twice at an electrode threshold: its one-sided limits)
            sides = [(fsyst.precalculate(e, params={"t": t, "dimension": dim}), e)
                     for e in threshold_sides(energy, electrode, dim, t)]
    g = np.empty(len(sequence))
    for n in _progress(range(1, len(sequence) + 1), desc="growth steps", enable=progress,
                       unit="atom"):
        present = set(sequence[:n])
        vacancies = [site for site in central if tuple(site.tag)[1:] not in present]
        if temperature == 0:
            solved = [_transmissions(fs, central, np.array([e]), t, dim, disorder, seed,
                                     vacancies) for fs, e in sides]
            g[n - 1] = combine_sides([(x[0][0], x[1][0]) for x in solved],
                                     int(wire_mode_count(electrode, [energy], dim, t)[0]))[0]
        else:
            g[n - 1] = _thermal_conductance(fsyst, central, np.array([energy]), temperature, t,
                                            dim, disorder, seed, vacancies)[0][0]
    params = dict(max_width_atoms=width, fermi_energy_eV=energy, dimension=dim,
                  length_atoms=length, electrode_width_atoms=electrode, hopping_eV=t,
                  disorder_eV=disorder, temperature_K=temperature, order=order, seed=seed,
                  order_seed=order_seed, material=material)
    return Result("filament.growth", params,
                  {"width_atoms": np.arange(1, len(sequence) + 1), "conductance_G0": g})


def _random_constriction(max_width, energy, length, dimension, electrode, hopping, disorder,
                         seed, **limits) -> np.ndarray:
    rng = np.random.default_rng(seed)
    width = int(rng.integers(1, max_width + 1))
    n = int(rng.integers(length, 2 * length + 1))
    return conductance(width, [energy], n, dimension, electrode, hopping, disorder, seed=seed,
                       profile="smooth", progress=False, **limits).conductance_G0


def histogram(conductances_G0, bin_width_G0: float = 0.05,
              max_G0: float | None = None, *, max_bins: int = 10**6
              ) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of conductance values (G0) with bins of ``bin_width_G0``: (counts, edges).

    The bins run from 0 to ``max_G0`` (default: the largest value + 1, rounded up), so every
    value is counted: a value above an explicit ``max_G0`` raises ``ValueError`` instead of being
    dropped silently. More than ``max_bins`` bins (a bin width far too small for the range) are
    refused up front.

    Parameters
    ----------
    conductances_G0 : array_like
        Conductances, units of G0 (≥ 0).
    bin_width_G0 : float, optional
        Bin width, G0 (> 0).
    max_G0 : float, optional
        Upper edge, G0 (> 0; default: ceil(largest value + 1)).
    max_bins : int, optional
        Most bins (≥ 1).

    Returns
    -------
    counts : numpy.ndarray
        Values per bin (int).
    edges : numpy.ndarray
        Bin edges, G0 (one more than ``counts``).

    Raises
    ------
    ValueError
        A value above ``max_G0``, too many bins, or a bad argument.

    Examples
    --------
    >>> counts, edges = histogram([0.0, 0.5, 1.0], bin_width_G0=0.5)
    >>> counts.tolist(), edges.tolist()
    ([1, 1, 1, 0], [0.0, 0.5, 1.0, 1.5, 2.0])
    """
    values = check_array("conductances_G0", conductances_G0, low=0.0)
    width = check_real("bin_width_G0", bin_width_G0, low=0.0, low_open=True)
    top = np.ceil(values.max() + 1) if max_G0 is None else check_real("max_G0", max_G0,
                                                                      low=0.0, low_open=True)
    if values.max() > top:
        outside = int(np.sum(values > top))
        raise ValueError(f"max_G0 = {top} would drop {outside} of {values.size} conductances "
                         f"(largest {values.max():.6g} G0): give max_G0 >= {values.max():.6g} or "
                         f"None to cover all data")
    check_work("max_bins", top / width, check_int("max_bins", max_bins, low=1), unit="bins",
               hint=f"max_G0 = {top} / bin_width_G0 = {width}")
    edges = np.arange(0.0, top + width / 2, width)
    if edges[-1] < values.max():        # arange stopped short of top by rounding
        edges = np.append(edges, edges[-1] + width)
    counts, edges = np.histogram(values, bins=edges)
    return counts, edges


@register("filament.ensemble", params=[
    Param("width_atoms", int, low=1, doc="filament width (disorder) / max width (growth)"),
    Param("fermi_energy_eV", float, doc="Fermi energy above the band bottom"),
    Param("n_samples", int, 20, low=1, doc="disorder realizations / growth trajectories"),
    Param("kind", str, "disorder", choices=ENSEMBLES, doc="ensemble type"),
    Param("disorder_eV", float, 0.5, low=0.0, doc="Anderson disorder"),
    Param("dimension", int, 2, low=2, high=3, doc="2 or 3"),
    Param("length_atoms", int, 6, low=1, doc="filament length"),
    Param("seed", int, 0, low=0, doc="ensemble seed"),
    Param("bin_width_G0", float, 0.05, low=0.0, low_open=True, doc="histogram bin"),
    Param("electrode_width_atoms", int, None, low=1, optional=True, doc="electrode width"),
    Param("hopping_eV", float, None, low=0.0, low_open=True, optional=True, doc="hopping t"),
    Param("max_sites", int, low=1, doc="refuse larger systems (tight-binding sites) up front"),
    Param("max_solves", int, low=1, doc="refuse calls needing more S-matrix solves up front"),
    Param("progress", bool, optional=True,
          doc="progress bar over energies (None: only on an interactive terminal)"),
], summary="Conductance histogram over a disorder or growth-geometry ensemble")
def ensemble(width_atoms: int, fermi_energy_eV: float, n_samples: int = 20,
             kind: str = "disorder", disorder_eV: float = 0.5, dimension: int = 2,
             length_atoms: int = 6, seed: int = 0, bin_width_G0: float = 0.05,
             electrode_width_atoms: int | None = None,
             hopping_eV: float | None = None, *, max_sites: int = MAX_SITES,
             max_solves: int = MAX_SOLVES, progress: bool | None = None) -> Result:
    """Conductance histogram over a disorder ensemble or over random growth trajectories.

    ``kind="disorder"``: ``n_samples`` Anderson realizations of one smooth constriction
    (electrodes ``electrode_width_atoms``, default width + 4). ``kind="geometry"``: smooth
    constrictions of random narrowest width (1 … ``width_atoms``) and random length
    (``length_atoms`` … 2·``length_atoms``), each with its own disorder — the many contact
    geometries a break junction or forming filament visits. ``kind="growth"``: ``n_samples``
    random growth orders (:func:`growth_order`), every intermediate cross-section counted. Sample ``i`` uses the seed
    ``SeedSequence([seed, i])``, so a sample does not depend on how many others are drawn.

    ``max_sites`` and ``max_solves`` are the limits of :func:`conductance`; the solves are counted
    over the whole ensemble. ``progress``: a bar over the samples (see :func:`conductance`).

    Parameters
    ----------
    width_atoms : int
        Filament width (disorder) / largest width (geometry, growth), ≥ 1.
    fermi_energy_eV : float
        Fermi energy above the band bottom, eV.
    n_samples : int, optional
        Disorder realizations / geometries / growth trajectories (≥ 1).
    kind : {"disorder", "geometry", "growth"}, optional
        Ensemble type.
    disorder_eV : float, optional
        Anderson disorder box width, eV (≥ 0).
    dimension : {2, 3}, optional
        Square or cubic lattice.
    length_atoms : int, optional
        Filament length (≥ 1).
    seed : int, optional
        Ensemble seed (≥ 0).
    bin_width_G0 : float, optional
        Histogram bin width, units of G0 (> 0).
    electrode_width_atoms : int, optional
        Electrode width (default width + 4).
    hopping_eV : float, optional
        Hopping t, eV (> 0; default 1 eV).
    max_sites : int, optional
        Refuse larger systems (tight-binding sites) up front.
    max_solves : int, optional
        Refuse ensembles needing more S-matrix solves up front.
    progress : bool, optional
        Progress bar over the samples (None: only on an interactive terminal).

    Returns
    -------
    Result
        ``conductance_G0`` (all samples), ``histogram_counts`` and ``bin_edges_G0``.

    Raises
    ------
    ValueError
        If an argument is invalid: `kind` must be one of ``ENSEMBLES``; `n_samples`,
        `width_atoms` and `length_atoms` must be >= 1; `fermi_energy_eV` must be >= -1000 and
        <= 1000; `disorder_eV` must be >= 0 and <= 1000; `bin_width_G0` must be > 0;
        `dimension` must be one of ``(2, 3)``; `hopping_eV` must be >= 1e-06 and <= 1000;
        `electrode_width_atoms` must be >= the wire width; `seed` must be >= 0.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV`, `disorder_eV`, `bin_width_G0` or
        `hopping_eV` are not real numbers; `n_samples`, `width_atoms`, `length_atoms`,
        `electrode_width_atoms` or `seed` are not integers.

    Examples
    --------
    Four disordered constrictions whose narrowest part (2 sites) has one open channel at
    1.5 eV: each is below 1 G0, and the histogram counts every sample once.

    >>> import numpy as np
    >>> r = ensemble(2, 1.5, n_samples=4, seed=0)
    >>> int(r.histogram_counts.sum()), bool(np.all(r.conductance_G0 < 1.0 + 1e-9))
    (4, True)
    """
    check_choice("kind", kind, ENSEMBLES)
    n = check_int("n_samples", n_samples, low=1)
    width = check_int("width_atoms", width_atoms, low=1)
    check_real("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    check_real("disorder_eV", disorder_eV, low=0.0, high=MAX_ENERGY_EV)
    check_real("bin_width_G0", bin_width_G0, low=0.0, low_open=True)
    dim = check_choice("dimension", dimension, (2, 3))
    length = check_int("length_atoms", length_atoms, low=1)
    if hopping_eV is not None:
        check_real("hopping_eV", hopping_eV, low=MIN_HOPPING_EV, high=MAX_ENERGY_EV)
    electrode = width + 4 if electrode_width_atoms is None else check_int(
        "electrode_width_atoms", electrode_width_atoms, low=width)
    _check_size(width, 2 * length if kind == "geometry" else length, electrode, dim, max_sites)
    per_sample = width ** (dim - 1) if kind == "growth" else 1
    check_solves(1, 0.0, None, max_solves, n * per_sample, "S-matrix solves over n_samples")
    limits = dict(max_sites=max_sites, max_solves=max_solves)
    seeds = [int(np.random.SeedSequence([check_int("seed", seed, low=0), i]).generate_state(1)[0])
             for i in range(n)]
    bar = _progress(seeds, desc=f"{kind} ensemble", enable=progress, unit="sample")
    if kind == "disorder":
        values = np.concatenate([conductance(
            width, [fermi_energy_eV], length_atoms, dimension, electrode, hopping_eV,
            disorder_eV, seed=s, profile="smooth", progress=False, **limits).conductance_G0
            for s in bar])
    elif kind == "geometry":
        values = np.concatenate([_random_constriction(
            width, fermi_energy_eV, length_atoms, dimension, electrode, hopping_eV,
            disorder_eV, s, **limits) for s in bar])
    else:
        values = np.concatenate([growth(
            width, fermi_energy_eV, dimension, length_atoms, electrode_width_atoms, hopping_eV,
            disorder_eV, order="random", seed=s, progress=False, **limits).conductance_G0
            for s in bar])
    counts, edges = histogram(values, bin_width_G0)
    params = dict(width_atoms=width, fermi_energy_eV=fermi_energy_eV, n_samples=n, kind=kind,
                  disorder_eV=disorder_eV, dimension=dimension, length_atoms=length_atoms,
                  seed=seed, bin_width_G0=bin_width_G0)
    return Result("filament.ensemble", params, {"conductance_G0": values,
                                                "histogram_counts": counts,
                                                "bin_edges_G0": edges})


# ---- layout and default plot of the result kinds made here (qtransport.results.declare)
def _draw_ensemble(result, ax, **kw):
    """Histogram of the ensemble's conductances (the stored counts over the stored bins)."""
    ax.stairs(result.histogram_counts, result.bin_edges_G0, fill=True, alpha=0.6, **kw)
    ax.set_xlabel(r"Conductance $G$ ($2e^2/h$)")
    ax.set_ylabel("Samples")
    ax.set_title(f"filament.ensemble ({result.conductance_G0.size} samples)", fontsize="medium")


_declare("filament.conductance", coords=("energies_eV",),
         y=("conductance_G0",), labels={"energies_eV": r"Energy $E - E_{\rm band}$ (eV)"})
_declare("filament.growth", coords=("width_atoms",), y=("conductance_G0",), style="points")
_declare("filament.ensemble", dims={"conductance_G0": ("sample",),
                                    "histogram_counts": ("bin",),
                                    "bin_edges_G0": ("bin_edge",)}, draw=_draw_ensemble)


def configuration_conductance(sites, width_atoms: int, length_atoms: int,
                              fermi_energy_eV: float, hopping_eV: float = 1.0,
                              disorder_eV: float = 0.0, seed: int = 0, *,
                              max_sites: int = MAX_SITES) -> float:
    """Conductance (G0, T = 0) of an arbitrary set of filament atoms in a 3D box.

    The box is ``length_atoms`` columns of width × width sites between electrodes of the same
    cross-section (the growth machinery: one finalized system per box, absent atoms are
    vacancies with the on-site barrier ``VACANCY_BARRIER``·t). ``sites`` are (x, y, z) with
    0 ≤ x < length, 0 ≤ y, z < width (e.g. a kinetic Monte Carlo configuration). The disorder
    realization (``seed``) is one per box site, so a given device keeps it along a trajectory.

    Parameters
    ----------
    sites : iterable of (int, int, int)
        Atoms present, (x, y, z) with 0 ≤ x < length_atoms, 0 ≤ y, z < width_atoms.
    width_atoms : int
        Box cross-section width (≥ 1).
    length_atoms : int
        Box length in columns (≥ 1).
    fermi_energy_eV : float
        Fermi energy above the bulk band bottom, eV.
    hopping_eV : float, optional
        Hopping t, eV (> 0).
    disorder_eV : float, optional
        Anderson disorder box width, eV (≥ 0).
    seed : int, optional
        Disorder seed (≥ 0).
    max_sites : int, optional
        Refuse larger boxes (tight-binding sites) up front.

    Returns
    -------
    float
        Conductance at T = 0, units of G0 = 2e²/h.

    Raises
    ------
    ValueError
        A site outside the box, or an argument out of range.

    Examples
    --------
    >>> sites = [(x, 0, 0) for x in range(3)]
    >>> round(configuration_conductance(sites, 1, 3, 6.0), 6)
    1.0
    """
    systems, central, energy, t, disorder, seed, vacancies = _configuration_setup(
        sites, width_atoms, length_atoms, fermi_energy_eV, hopping_eV, disorder_eV, seed,
        max_sites)
    solved = [_transmissions(fsyst, central, np.array([e]), t, 3, disorder, seed, vacancies)
              for fsyst, e in systems]
    count = int(wire_mode_count(int(width_atoms), [energy], 3, t)[0])
    return combine_sides([(g[0], m[0]) for g, m in solved], count)[0]


def _configuration_setup(sites, width_atoms, length_atoms, fermi_energy_eV, hopping_eV,
                         disorder_eV, seed, max_sites):
    """Checked arguments of :func:`configuration_conductance`: (box system, its box sites,
    E_F, t, disorder, seed, vacancy sites)."""
    width = check_int("width_atoms", width_atoms, low=1)
    length = check_int("length_atoms", length_atoms, low=1)
    energy = check_real("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    t = check_real("hopping_eV", hopping_eV, low=MIN_HOPPING_EV, high=MAX_ENERGY_EV)
    disorder = check_real("disorder_eV", disorder_eV, low=0.0, high=MAX_ENERGY_EV)
    seed = check_int("seed", seed, low=0)
    _check_size(width, length, width, 3, max_sites)
    present = set()
    for s in sites:
        s = tuple(int(i) for i in s)
        if len(s) != 3 or not (0 <= s[0] < length and 0 <= s[1] < width and 0 <= s[2] < width):
            raise ValueError(f"sites must be (x, y, z) with 0 <= x < length_atoms = {length} and "
                             f"0 <= y, z < width_atoms = {width}; got {s}")
        present.add((s[0] + BUFFER_COLUMNS,) + s[1:])
    systems = [(_box_system(width, length, e, t)[0], e)
               for e in threshold_sides(energy, width, 3, t)]
    central = _box_system(width, length, systems[0][1], t)[1]
    vacancies = [site for site in central if tuple(site.tag) not in present]
    return systems, central, energy, t, disorder, seed, vacancies


def threshold_sides(energy_eV: float, width_atoms: int, dimension: int,
                    hopping_eV: float) -> tuple[float, ...]:
    """Energies at which to solve a wire's electrodes: ``(E,)`` off the channel thresholds,
    the four :func:`~.lattice.threshold_points` (δ = THRESHOLD_OFFSET · t) on one.

    At a threshold (a subband edge ε_m or ε_m + 4t, to round-off) the electrode modes are
    undefined; :func:`combine_sides` takes T's limit from the side where the threshold mode is
    closed (:func:`~.lattice.threshold_limit`). At the band centre of a cubic wire every
    opening edge is paired with a closing one (cos(mπ/(W+1)) = −cos((W+1−m)π/(W+1))), so T is
    continuous there and the two sides agree (W = 2, 5, 8, … at a metal's half-filled band).

    Parameters
    ----------
    energy_eV : float
        Energy above the bulk band bottom, eV.
    width_atoms : int
        Wire (electrode) width in sites (3D: width × width).
    dimension : {2, 3}
        Square or cubic lattice.
    hopping_eV : float
        Hopping t, eV.

    Returns
    -------
    tuple of float
        The energies to solve at, eV.

    Examples
    --------
    >>> threshold_sides(1.0, 1, 2, 1.0)                       # no threshold: E itself
    (1.0,)
    >>> len(threshold_sides(2.0, 1, 2, 1.0))                   # the W = 1 channel opens at 2t
    4
    """
    eps = transverse_energies_eV(width_atoms, dimension, hopping_eV)
    edges = np.concatenate([eps, eps + 4 * hopping_eV])
    if np.min(np.abs(edges - energy_eV)) > 1e-9 * hopping_eV:
        return (float(energy_eV),)
    return threshold_points(float(energy_eV), THRESHOLD_OFFSET * hopping_eV)


def combine_sides(solved, open_modes: int | None = None) -> tuple[float, int]:
    """(T, open modes) at E from the solves at :func:`threshold_sides`.

    At a threshold the side agreeing with ``open_modes`` is taken: pass
    :func:`wire_mode_count` of the electrodes at E, so that a clean wire gives exactly the
    count #{ε_m < E < ε_m + 4t} as evaluated in floating point (at E = 2t a 1-wide wire's
    ε_1 = 2t(1 − cos(π/2)) rounds below 2t: one channel).

    Parameters
    ----------
    solved : sequence of (float, int)
        (T, open modes) at each energy of :func:`threshold_sides`.
    open_modes : int, optional
        The electrode modes counted open at E.

    Returns
    -------
    transmission : float
        T at E.
    open_modes : int
        Open electrode modes at E.

    Examples
    --------
    >>> combine_sides([(0.7, 1)])
    (0.7, 1)
    """
    if len(solved) == 1:
        return float(solved[0][0]), int(solved[0][1])
    return threshold_limit(solved, open_modes)


def configuration_injectivity(sites, width_atoms: int, length_atoms: int,
                              fermi_energy_eV: float, hopping_eV: float = 1.0,
                              disorder_eV: float = 0.0, seed: int = 0, *,
                              max_sites: int = MAX_SITES) -> tuple[float, np.ndarray]:
    """Conductance and the injectivities of both electrodes for the atoms of a 3D box, from one
    solve of the system of :func:`configuration_conductance`.

    The injectivity of an electrode at a site is the partial local density of states of the
    scattering states at the Fermi energy injected from it, ρ(r) = Σ_m |ψ_m(r)|² / 2π
    (:func:`qtransport.tight_binding.lattice.transmission_injectivity`: the same finalized
    box, the same disorder and vacancy potentials, the same transmission).

    Parameters
    ----------
    sites : iterable of (int, int, int)
        Atoms present, (x, y, z) with 0 ≤ x < length_atoms, 0 ≤ y, z < width_atoms.
    width_atoms : int
        Box cross-section width (≥ 1).
    length_atoms : int
        Box length in columns (≥ 1).
    fermi_energy_eV : float
        Fermi energy above the bulk band bottom, eV.
    hopping_eV : float, optional
        Hopping t, eV (> 0).
    disorder_eV : float, optional
        Anderson disorder box width, eV (≥ 0).
    seed : int, optional
        Disorder seed (≥ 0).
    max_sites : int, optional
        Refuse larger boxes (tight-binding sites) up front.

    Returns
    -------
    conductance_G0 : float
        Conductance at T = 0, units of G0 (= :func:`configuration_conductance`).
    injectivity : numpy.ndarray
        Shape (2, length_atoms + 2, width_atoms, width_atoms), 1/eV: index 0 injected from the
        x < 0 electrode, 1 from the x > L one; x = 0 and x = L + 1 are the electrode columns
        next to the box (x = 1 … L the box columns 0 … L − 1).

    Raises
    ------
    ValueError
        A site outside the box, or an argument out of range.

    Examples
    --------
    >>> # a one-atom chain: its band starts 4t above the bulk band bottom, so E_F = 5 eV
    >>> g, rho = configuration_injectivity([(x, 0, 0) for x in range(3)], 1, 3, 5.0)
    >>> round(g, 6), bool(abs(rho[0] - rho[1]).max() < 1e-10)
    (1.0, True)
    """
    from .lattice import transmission_injectivity
    systems, central, energy, t, disorder, seed, vacancies = _configuration_setup(
        sites, width_atoms, length_atoms, fermi_energy_eV, hopping_eV, disorder_eV, seed,
        max_sites)
    params = _params(central, t, 3, disorder, seed, vacancies)
    solved = [transmission_injectivity(fsyst, e, params) for fsyst, e in systems]
    trans = combine_sides([(x[0], x[1]) for x in solved],
                          int(wire_mode_count(int(width_atoms), [energy], 3, t)[0]))[0]
    # the injectivity has the 1/√δ van Hove peak of a slow mode at a threshold, which no
    # weighting removes: the mean of the two nearest sides
    rho = np.mean([x[2] for x in solved[:2]], axis=0)
    index = _box_layout(int(width_atoms), int(length_atoms), systems[0][1], t)
    return trans, rho[:, index]


@functools.lru_cache(maxsize=16)
def _box_layout(width: int, length: int, energy: float, t: float) -> np.ndarray:
    """Orbital index of each site of the box plus one electrode column on each side, shape
    (length + 2, width, width), in the system of :func:`_box_system` (one orbital per site)."""
    fsyst, _ = _box_system(width, length, energy, t)
    index = np.empty((length + 2, width, width), dtype=np.intp)
    for i, site in enumerate(fsyst.sites):
        x = site.tag[0] - BUFFER_COLUMNS + 1
        if 0 <= x <= length + 1:
            index[x, site.tag[1], site.tag[2]] = i
    index.flags.writeable = False
    return index


@functools.lru_cache(maxsize=16)
def _box_system(width: int, length: int, energy: float, t: float):
    """The finalized box of :func:`configuration_conductance` with its (clean) lead modes
    precalculated at ``energy``: one lead-mode solve per box and Fermi level, not per
    configuration (the leads do not depend on the atoms or the disorder in the box)."""
    fsyst, central = _build((tuple(_square(width, 3)),) * length, width, 3)
    with blas_threads(1):
        return fsyst.precalculate(energy, params={"t": t, "dimension": 3}), central
