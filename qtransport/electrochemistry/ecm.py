"""Kinetic Monte Carlo of electrochemical-metallization (ECM) filament growth and dissolution.

The cell is the filament lattice of :mod:`qtransport.tight_binding.filament` (3D cubic, spacing
a): a box of ``width_atoms`` × ``width_atoms`` cross-section and ``length_atoms`` columns between
an inert cathode plane (x = −1) and an active-metal anode plane (x = L, an infinite reservoir).
Every box site is empty (electrolyte), a metal atom, or a metal ion (M⁺). The processes
(Gillespie algorithm, numpy ``Generator`` seeded explicitly) are

* **ion hopping** to an empty neighbour: ν exp(−E_hop/k_BT) exp(±z e a E/2k_BT) along/against the
  field, ν exp(−E_hop/k_BT) transversally (:func:`.rates.hopping_rates`);
* **reduction** M⁺ + e⁻ → M of an ion touching metal (atom or electrode), and **oxidation** of an
  atom touching metal, Butler–Volmer (:func:`.rates.butler_volmer_rates`) with exchange rate
  k0 = ν exp(−E_ct/k_BT); oxidation carries exp(−ΔG_ion/k_BT) (ion formation free energy) and
  exp(−(n − n_kink) ε_b/k_BT) (n metal neighbours, ε_b the bond energy: atoms with fewer bonds than
  a kink atom dissolve faster — the Gibbs–Thomson instability that sets retention); the
  cathodic overpotential at a site touching cathode-connected metal is η = E a, at a site
  touching only the anode it is −E a;
* **anode oxidation/absorption**: the anode emits an ion into an empty site of the last column
  (k0 exp(−ΔG_ion/k_BT) exp(+(1−α) z e E a/k_BT)) and absorbs one from there (k0 exp(−α z e E a/k_BT));
* **surface diffusion** of an atom with n ≥ 1 bonds to an empty site with n' ≥ 1 bonds (both
  counted without the mover): ν exp(−(E_d + max(0, n − n') ε_b)/k_BT).

Atoms and ions without a metal neighbour neither react nor diffuse (no electron path), which
keeps every move reversible. At zero bias the rates obey detailed balance with the energy
E = −ε_b·(bonds) + n_kink ε_b·N_atoms + ΔG_ion·N_ions (:func:`configuration_energy_eV`).

Field (``field_model="local"``): every rate takes the potential difference it involves
from the site potentials of :mod:`.field` (Laplace in the electrolyte, metal clusters as
conductors, after contact the bridging filament's potential from the series resistance 1/(n_j G0)
of its columns, so the drop sits at the neck), see :meth:`FilamentKMC._field_factors`; before
contact a flat front gives exactly the gap field E = V_cell/((g + 1) a) over the g empty columns.
``field_model="uniform_gap"`` applies that gap field to every ion and atom (η = ±E a above; at
contact the whole V_cell over one spacing), the earlier rule. ``field_model="scattering"`` is
``"local"`` with the bridging filament's atoms at the injectivity potential of its Kwant
scattering states at E_F instead of the series-resistance one (:func:`.field.injectivity_potentials`;
one solve per distinct bridge gives both this potential and the loop conductance) — the default.

Electrical loop (recomputed before every event). The cell current is

* before contact, the tunneling current across the gap from the project's transfer-matrix kernel
  (:meth:`qtransport.tight_binding.tunneling.Barrier.current_density`, exact Airy segments of the
  biased rectangular barrier of height E_F + φ_t and thickness g·a, Tsu–Esaki integral at the
  ambient temperature) times the area of the filament's front column (:func:`gap_current_A`);
* after contact, G·V_cell with G the Kwant conductance of the bridging cluster's atoms
  (:func:`loop_conductance_G0`, the same calculation as :func:`configuration_conductance`,
  cached per atomic configuration so that each configuration is solved once).

A positive-polarity current compliance I_cc lowers V_cell until I = I_cc (exactly I_cc/G after
contact, a root of the monotone tunneling I(V) before), and Joule heating raises the local
temperature to T = T0 + R_th·V_cell·I.
"""
from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np

from .. import materials
from ..constants import G0, eV, nm, thermal_energy_eV
from ..errors import check_array, check_bool, check_choice, check_int, check_real
from ..errors import MAX_BIAS_V, MAX_CURRENT_A, MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..registry import Param, register
from ..results import Result, declare as _declare
from . import field as _field

__all__ = ["ECMParameters", "FilamentKMC", "PulseRecord", "configuration_energy_eV",
           "configuration_conductance", "gap_columns", "channel_estimate", "bridge_mask",
           "gap_current_A", "loop_conductance_G0", "operating_point",
           "switching_times", "retention_times", "pulse_train", "CHANNELS", "MAX_EVENTS",
           "material_parameters", "chain_occupation", "read_conductance_S",
           "spike_pair_waveform", "stdp_window", "site_potential", "FIELD_MODELS",
           "check_occupation"]

#: the six lattice directions (x is the cathode → anode axis)
DIRECTIONS = ((-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1), (0, 0, 1))
#: event channels, in the order of the rate array of :meth:`FilamentKMC.rates`
CHANNELS = (tuple(f"ion_hop{d}" for d in DIRECTIONS) + ("reduction", "anode_absorption",
            "anode_oxidation", "oxidation") + tuple(f"diffusion{d}" for d in DIRECTIONS))
EMPTY, ATOM, ION = 0, 1, 2
#: default most KMC events of one call (``max_events=`` raises it)
MAX_EVENTS = 200_000
#: most KMC runs (points × n_runs) or pulses of one call: each run may take up to max_events
MAX_RUNS = 10**4
#: longest pulse, gap or spike delay, s (11.6 days): a KMC run stops at max_events anyway, and a
#: 1e300 s pulse spent ~20 s reaching it before the error
MAX_PULSE_S = 1e6
#: most bytes of the per-instance cache of rate arrays (configuration, V_cell, T)
_RATE_CACHE_BYTES = 32 * 2 ** 20
#: field models of :class:`ECMParameters` (``field_model``)
FIELD_MODELS = ("local", "uniform_gap", "scattering")

#: materials-database key of each kinetic parameter (``[Ag]``, ``[Cu]`` entries)
_MATERIAL_KEYS = {"hop_barrier_eV": "ecm_hop_barrier_eV",
                  "charge_transfer_barrier_eV": "ecm_charge_transfer_barrier_eV",
                  "alpha": "ecm_transfer_coefficient",
                  "ion_formation_eV": "ecm_ion_formation_eV",
                  "bond_energy_eV": "ecm_bond_energy_eV",
                  "diffusion_barrier_eV": "ecm_diffusion_barrier_eV",
                  "attempt_frequency_Hz": "ecm_attempt_frequency_Hz",
                  "tunnel_barrier_eV": "ecm_tunnel_barrier_eV"}


@dataclasses.dataclass(frozen=True)
class ECMParameters:
    """Kinetic and electrical parameters of an ECM cell (see the module docstring).

    Every field is checked on construction (the ranges below); a bad value raises.

    Parameters
    ----------
    width_atoms, length_atoms : int
        Box cross-section (width × width sites, 1–8) and number of columns between the
        electrodes (1–16).
    spacing_nm : float
        Lattice spacing a = ion hop distance, nm (> 0).
    temperature_K : float
        Ambient temperature T0, K (> 0).
    attempt_frequency_Hz : float
        Attempt frequency ν of every process, Hz (> 0).
    hop_barrier_eV, charge_transfer_barrier_eV, diffusion_barrier_eV : float
        Barriers of ion hopping, charge transfer (k0 = ν e^{−E_ct/kT}) and surface diffusion, eV (≥ 0).
    ion_formation_eV : float
        Free energy ΔG_ion of an ion in the electrolyte relative to a kink atom, eV.
    bond_energy_eV : float
        Bond energy ε_b of the bond-counting model, eV (≥ 0).
    kink_coordination : int
        Bonds n_kink of a kink (bulk-equilibrium) atom: 3 on the simple cubic lattice (0–6).
    alpha : float
        Cathodic charge-transfer coefficient α, dimensionless, in (0, 1).
    charge_number : int
        Ion charge z, units of e (1–4).
    tunnel_barrier_eV, tunnel_mass : float
        Barrier height (eV, > 0) and mass (m_e, > 0) of electron tunneling across the gap.
    thermal_resistance_K_per_W : float
        R_th of the filament region (Joule heating), K/W (≥ 0).
    compliance_A : float
        Current compliance of positive-polarity pulses, A (> 0; ``inf``: none).
    material : str
        Filament metal of the electrical loop: hopping and Fermi level of the Kwant conductance,
        Fermi energy and electron mass of the tunneling electrodes (``materials`` database).
    disorder_eV : float
        On-site disorder of the Kwant filament (one realization per device), eV (≥ 0).
    disorder_seed : int
        Seed of that disorder realization (≥ 0).
    field_model : {"local", "uniform_gap", "scattering"}
        ``"local"``: the potential of every site from :mod:`.field` (Laplace in the
        electrolyte, metal clusters as conductors, after contact the filament's potential from
        the series resistance of its columns), and every rate from the potential difference it
        involves. ``"uniform_gap"``: the earlier rule — every ion and atom sees the gap field
        V_cell/((g + 1) a), i.e. the whole V_cell over one spacing at contact.
        ``"scattering"`` (default): as ``"local"``, but after contact each atom of the
        bridging filament sits at the local electrochemical potential of its Kwant scattering
        states at E_F, φ/V_cell = ρ_anode/(ρ_cathode + ρ_anode) of the injectivities
        (:func:`.field.injectivity_potentials`, from the same solve as the loop conductance;
        linear response).

    Raises
    ------
    ValueError
        If an argument is invalid: `width_atoms` must be >= 1 and <= 8; `length_atoms` must be
        >= 1 and <= 16; `kink_coordination` must be >= 0 and <= 6; `charge_number` must be >= 1
        and <= 4; `temperature_K` must be >= 1 and <= 10000; `thermal_resistance_K_per_W` must
        be >= 0 and <= 1e+12; `ion_formation_eV` must be finite; `alpha` must be > 0 and < 1;
        `disorder_eV`, `hop_barrier_eV`, `charge_transfer_barrier_eV`, `diffusion_barrier_eV`
        and `bond_energy_eV` must be >= 0 and <= 1000; `disorder_seed` must be >= 0;
        `field_model` must be one of ``FIELD_MODELS``; `spacing_nm`, `attempt_frequency_Hz`,
        `tunnel_barrier_eV` and `tunnel_mass` must be > 0; `compliance_A` must be > 0 and <=
        1000.
    TypeError
        If an argument has the wrong type: `temperature_K`, `thermal_resistance_K_per_W`,
        `ion_formation_eV`, `alpha`, `disorder_eV`, `spacing_nm`, `attempt_frequency_Hz`,
        `tunnel_barrier_eV`, `tunnel_mass`, `hop_barrier_eV`, `charge_transfer_barrier_eV`,
        `diffusion_barrier_eV`, `bond_energy_eV` or `compliance_A` are not real numbers;
        `width_atoms`, `length_atoms`, `kink_coordination`, `charge_number` or `disorder_seed`
        are not integers; material must be a str.

    Examples
    --------
    >>> p = ECMParameters()
    >>> p.width_atoms, p.length_atoms, p.material
    (3, 4, 'Ag')
    """

    width_atoms: int = 3
    length_atoms: int = 4
    spacing_nm: float = 0.289
    temperature_K: float = 300.0
    attempt_frequency_Hz: float = 1e13
    hop_barrier_eV: float = 0.5
    charge_transfer_barrier_eV: float = 0.6
    diffusion_barrier_eV: float = 0.6
    ion_formation_eV: float = 0.3
    bond_energy_eV: float = 0.15
    kink_coordination: int = 3
    alpha: float = 0.5
    charge_number: int = 1
    tunnel_barrier_eV: float = 1.0
    tunnel_mass: float = 1.0
    thermal_resistance_K_per_W: float = 1e6
    compliance_A: float = 1e-4
    material: str = "Ag"
    disorder_eV: float = 0.0
    disorder_seed: int = 0
    field_model: str = "scattering"

    def __post_init__(self):
        check_int("width_atoms", self.width_atoms, low=1, high=8)
        check_int("length_atoms", self.length_atoms, low=1, high=16)
        check_int("kink_coordination", self.kink_coordination, low=0, high=6)
        check_int("charge_number", self.charge_number, low=1, high=4)
        for key in ("spacing_nm", "attempt_frequency_Hz", "tunnel_barrier_eV", "tunnel_mass"):
            check_real(key, getattr(self, key), low=0.0, low_open=True)
        # below 1 K every thermally activated rate underflows (nothing moves, e^-3000 and less)
        check_real("temperature_K", self.temperature_K, low=1.0, high=MAX_TEMPERATURE_K)
        for key in ("hop_barrier_eV", "charge_transfer_barrier_eV", "diffusion_barrier_eV",
                    "bond_energy_eV"):
            check_real(key, getattr(self, key), low=0.0, high=MAX_ENERGY_EV)
        # 1e12 K/W: a nanowire in vacuum is ~1e8 K/W; beyond, Joule heating overflows the rates
        check_real("thermal_resistance_K_per_W", self.thermal_resistance_K_per_W, low=0.0,
                   high=1e12)
        check_real("ion_formation_eV", self.ion_formation_eV)
        check_real("alpha", self.alpha, low=0.0, high=1.0, low_open=True, high_open=True)
        if not (isinstance(self.compliance_A, (int, float)) and math.isinf(self.compliance_A)):
            check_real("compliance_A", self.compliance_A, low=0.0, low_open=True,
                       high=MAX_CURRENT_A)     # inf: no compliance
        check_real("disorder_eV", self.disorder_eV, low=0.0, high=MAX_ENERGY_EV)
        check_int("disorder_seed", self.disorder_seed, low=0)
        check_choice("field_model", self.field_model, FIELD_MODELS)
        if not isinstance(self.material, str):
            raise TypeError(f"material must be a str, got {type(self.material).__name__}")
        materials.get(self.material)             # unknown metal -> error naming it

    def replace(self, **changes) -> "ECMParameters":
        """A copy with ``changes`` (validated).

        Parameters
        ----------
        **changes
            Field names of :class:`ECMParameters` and their new values.

        Returns
        -------
        ECMParameters
            The copy; its fields are validated as on construction.

        Raises
        ------
        TypeError
            A name in ``changes`` is not a field.

        Examples
        --------
        >>> ECMParameters().replace(temperature_K=350.0).temperature_K
        350.0
        """
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"unknown ECM parameter(s) {sorted(unknown)}; allowed: "
                            f"{[f.name for f in dataclasses.fields(self)]}")
        return dataclasses.replace(self, **changes)


def material_parameters(material: str = "Ag", **overrides) -> ECMParameters:
    """:class:`ECMParameters` with the kinetic parameters of ``material`` from the database
    (``ecm_*`` keys of ``[Ag]``, ``[Cu]``) and its atomic spacing, then ``overrides``.

    Parameters
    ----------
    material : str, optional
        Key of the ``materials`` database with ``ecm_*`` entries (``"Ag"``, ``"Cu"``).
    **overrides
        Field values of :class:`ECMParameters` that replace the database ones.

    Returns
    -------
    ECMParameters
        The material's cell parameters (``spacing_nm`` = its atomic spacing, nm).

    Raises
    ------
    ValueError
        ``material`` has no ECM kinetic parameters.
    TypeError
        An override is not a field of :class:`ECMParameters`.

    Examples
    --------
    >>> p = material_parameters("Ag", width_atoms=2)
    >>> p.material, p.width_atoms
    ('Ag', 2)
    """
    entry = materials.get(material)
    if entry.get("ecm_hop_barrier_eV") is None:
        ok = [m for m in materials.names() if materials.get(m).get("ecm_hop_barrier_eV")
              is not None]
        raise ValueError(f"material = {material!r} has no ECM kinetic parameters (ecm_* keys); "
                         f"allowed: {ok}")
    values = {key: entry.get(db) for key, db in _MATERIAL_KEYS.items()
              if entry.get(db) is not None}
    values["spacing_nm"] = entry.atomic_spacing_nm
    values["material"] = material
    values.update(overrides)
    return ECMParameters().replace(**values)


# --- configuration helpers ---------------------------------------------------------------------

def _check_occupation(occ, params: ECMParameters) -> np.ndarray:
    shape = (params.length_atoms, params.width_atoms, params.width_atoms)
    arr = np.asarray(occ)
    if arr.shape != shape or not np.isin(arr, (EMPTY, ATOM, ION)).all():
        raise ValueError(f"occupation must be an integer array of shape {shape} (length, width, "
                         f"width) with values 0 (empty), 1 (atom), 2 (ion); got shape "
                         f"{arr.shape}")
    return arr.astype(np.int8)


def _pad(mask: np.ndarray, electrodes: bool) -> np.ndarray:
    """Pad a (L, W, W) mask by one site; the x faces are the electrodes when ``electrodes``."""
    p = np.zeros(tuple(n + 2 for n in mask.shape), dtype=np.int16)
    p[1:-1, 1:-1, 1:-1] = mask
    if electrodes:
        p[0, 1:-1, 1:-1] = 1
        p[-1, 1:-1, 1:-1] = 1
    return p


def _shift(padded: np.ndarray, d) -> np.ndarray:
    """Value of the neighbour in direction ``d`` of every box site (from a padded array)."""
    L, W = padded.shape[0] - 2, padded.shape[1] - 2
    return padded[1 + d[0]:L + 1 + d[0], 1 + d[1]:W + 1 + d[1], 1 + d[2]:W + 1 + d[2]]


def _neighbours(occ: np.ndarray):
    """Metal-neighbour count (atoms and electrode planes) and anode-neighbour flag of each site."""
    metal = _pad(occ == ATOM, electrodes=True)
    nb = sum(_shift(metal, d) for d in DIRECTIONS)
    anode = np.zeros(occ.shape, dtype=np.int16)
    anode[-1] = 1
    return nb, anode


def configuration_energy_eV(occupation, params: ECMParameters) -> float:
    """E = −ε_b·(metal bonds, electrode bonds included) + n_kink ε_b N_atoms + ΔG_ion N_ions, eV.

    The zero-bias equilibrium weight of a configuration is exp(−E/k_BT) (detailed balance).

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length_atoms, width_atoms, width_atoms) of 0 (empty),
        1 (atom), 2 (ion).
    params : ECMParameters
        Cell parameters (ε_b, n_kink, ΔG_ion in eV, the box shape).

    Returns
    -------
    float
        The configuration energy E, eV.

    Raises
    ------
    ValueError
        ``occupation`` has the wrong shape or values.

    Examples
    --------
    >>> import numpy as np
    >>> p = ECMParameters(width_atoms=1, length_atoms=2)
    >>> configuration_energy_eV(np.zeros((2, 1, 1)), p)
    0.0
    """
    occ = _check_occupation(occupation, params)
    atoms = occ == ATOM
    metal = _pad(atoms, electrodes=True)
    nb = sum(_shift(metal, d) for d in DIRECTIONS)
    # atom–atom bonds are counted twice in Σ nb over atoms, electrode bonds once
    inner = sum(_shift(_pad(atoms, electrodes=False), d) for d in DIRECTIONS)
    bonds = float(np.sum(nb[atoms]) - 0.5 * np.sum(inner[atoms]))
    return (-params.bond_energy_eV * bonds
            + params.kink_coordination * params.bond_energy_eV * int(atoms.sum())
            + params.ion_formation_eV * int(np.sum(occ == ION)))


def _check_runs(n_points: int, n_runs: int, name: str) -> None:
    """Refuse more than :data:`MAX_RUNS` KMC runs (points × n_runs) before the first one."""
    if n_points * n_runs > MAX_RUNS:
        raise ValueError(f"{name} ({n_points} values) × n_runs ({n_runs}) must be <= {MAX_RUNS} "
                         f"KMC runs, got {n_points * n_runs}")


def check_occupation(occupation) -> np.ndarray:
    """Return ``occupation`` as an int array after checking it is a cell's box of site states.

    Shape (length, width, width) within the cell limits of :class:`ECMParameters` (length
    1-16, width 1-8 sites), values EMPTY/ATOM/ION (0, 1, 2).

    Parameters
    ----------
    occupation : array_like of int
        Site states of the cell, shape (length, width, width) in sites: 0 empty, 1 metal atom,
        2 ion.

    Returns
    -------
    numpy.ndarray
        ``occupation`` as an array, its dtype kept (integer, bool or float).

    Raises
    ------
    TypeError
        If `occupation` is None, a string or not a numeric array.
    ValueError
        If its shape is not (length, width, width) with length 1-16 and width 1-8, or a value
        is not 0, 1 or 2.

    Examples
    --------
    >>> check_occupation([[[0, 1], [2, 0]]]).shape
    (1, 2, 2)
    """
    if occupation is None or isinstance(occupation, (str, bytes)):
        raise TypeError(f"occupation must be an integer array of site states, got "
                        f"{occupation!r:.80}")
    occ = np.asarray(occupation)
    if occ.dtype.kind not in "iubf":
        raise TypeError(f"occupation must be an integer array of site states (0 empty, 1 atom, "
                        f"2 ion), got dtype {occ.dtype}")
    if occ.ndim != 3 or occ.shape[1] != occ.shape[2] or not 1 <= occ.shape[0] <= 16 \
            or not 1 <= occ.shape[1] <= 8:
        raise ValueError(f"occupation must have shape (length, width, width) with length 1-16 "
                         f"and width 1-8 sites, got {occ.shape}")
    bad = ~np.isin(occ, (EMPTY, ATOM, ION))
    if bad.any():
        raise ValueError(f"occupation values must be 0 (empty), 1 (atom) or 2 (ion), got "
                         f"{occ[bad].ravel()[0]}")
    return occ


def _clusters(occupation):
    """Connected metal clusters (6-neighbour) with the electrode planes: (labels, cathode label,
    anode label) on the padded lattice (x = 0 cathode plane, x = L + 1 anode plane)."""
    from scipy import ndimage
    occ = np.asarray(occupation)
    if occ.ndim != 3:
        raise ValueError(f"occupation must have shape (length, width, width), got {occ.shape}")
    metal = _pad(occ == ATOM, electrodes=True)
    labels, _ = ndimage.label(metal)
    return labels, labels[0, 1, 1], labels[-1, 1, 1]


def cluster_state(occupation) -> tuple[int, int, int]:
    """(gap, channels, front) of a configuration from one cluster labelling.

    gap: empty columns between the cathode-connected metal (filament, ending at column x_c) and
    the anode-connected metal (the anode with any atoms grown on it, starting at x_a),
    max(x_a − x_c − 1, 1), or 0 when one cluster touches both electrodes. channels: atoms of the
    bridging cluster in its thinnest column (one conduction channel per atom of a monovalent
    metal; 0 without contact). front: atoms of the filament's front column (the whole cathode
    face if bare), which tunnel across the gap.
    """
    labels, cath, anode = _clusters(occupation)
    on_cath = labels[1:-1] == cath
    columns = on_cath.sum(axis=(1, 2))
    if cath == anode:
        return 0, int(columns.min()), 0
    filled = np.flatnonzero(columns)
    xc = int(filled.max()) + 1 if filled.size else 0                # padded coordinates
    front = int(columns[xc - 1]) if xc else int(labels.shape[1] - 2) ** 2
    on_anode = (labels[1:-1] == anode).any(axis=(1, 2))
    xa = int(np.flatnonzero(on_anode).min()) + 1 if on_anode.any() else labels.shape[0] - 1
    # fronts in adjacent columns that do not touch are still one (diagonal) gap apart
    return max(xa - xc - 1, 1), 0, front


def bridge_mask(occupation) -> np.ndarray | None:
    """Boolean (L, W, W) mask of the atoms of the cluster that touches both electrodes, ``None``
    without contact. Atoms of floating clusters couple to it only through vacancy sites
    (residual (t/U)² ≈ 1e-18 in the Kwant model), so they do not change its conductance.

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).

    Returns
    -------
    numpy.ndarray or None
        Boolean mask of shape (length, width, width), or ``None`` without contact.

    Raises
    ------
    ValueError
        ``occupation`` is not three-dimensional.

    Examples
    --------
    >>> import numpy as np
    >>> occ = chain_occupation(ECMParameters())
    >>> int(bridge_mask(occ).sum()), bridge_mask(np.zeros_like(occ)) is None
    (4, True)
    """
    labels, cath, anode = _clusters(occupation)
    return labels[1:-1, 1:-1, 1:-1] == cath if cath == anode else None


def gap_columns(occupation) -> int:
    """Empty columns between filament and anode metal, 0 at contact (see :func:`cluster_state`).

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).

    Returns
    -------
    int
        Number of empty columns of the gap (≥ 1), or 0 when a cluster touches both electrodes.

    Raises
    ------
    ValueError
        ``occupation`` is not three-dimensional.

    Examples
    --------
    >>> import numpy as np
    >>> gap_columns(np.zeros((4, 1, 1))), gap_columns(np.ones((4, 1, 1)))
    (4, 0)
    """
    return cluster_state(occupation)[0]


def channel_estimate(occupation) -> int:
    """Atoms of the bridging cluster in its thinnest column, 0 without contact.

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).

    Returns
    -------
    int
        Atom count of the thinnest column of the bridging cluster (0 without contact).

    Raises
    ------
    ValueError
        ``occupation`` is not three-dimensional.

    Examples
    --------
    >>> import numpy as np
    >>> occ = np.ones((3, 2, 2))
    >>> occ[1, 0, :] = 0
    >>> channel_estimate(occ)
    2
    """
    return cluster_state(occupation)[1]


def site_potential(occupation, params: "ECMParameters | None" = None) -> np.ndarray:
    """Potential of every box site in units of V_cell (cathode 0, anode 1):
    :func:`.field.laplace_potential` with the metal as conductors.

    Before contact the cathode-connected metal is at 0 and the anode-connected metal at 1; at
    contact the bridging cluster's atoms are fixed by the field model of ``params``:
    ``"local"`` (default, also without ``params``) puts the atoms of column j at the mid-drop
    potential of the series column resistances (:func:`.field.column_potentials`);
    ``"scattering"`` gives each atom the injectivity potential of the Kwant scattering states
    of the bridge (:func:`.field.injectivity_potentials`, the material, disorder and disorder
    seed of ``params``; cached per bridge with its conductance). Floating clusters are
    equipotential nodes without net current; empty sites and ions follow the Laplace equation.

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).
    params : ECMParameters, optional
        Cell parameters (``field_model``, material and disorder); default: the local field.

    Returns
    -------
    numpy.ndarray
        Potential of every box site, shape (length, width, width), in units of V_cell
        (dimensionless, 0 at the cathode, 1 at the anode).

    Raises
    ------
    ValueError
        ``occupation`` is not three-dimensional.

    Examples
    --------
    >>> import numpy as np
    >>> phi = site_potential(np.zeros((3, 1, 1)))
    >>> [round(float(x), 3) for x in phi.ravel()]
    [0.25, 0.5, 0.75]
    """
    occ = check_occupation(occupation)
    labels, cath, anode = _clusters(occ)
    inner = labels[1:-1, 1:-1, 1:-1]
    fixed = np.zeros(occ.shape, dtype=bool)
    value = np.zeros(occ.shape)
    if cath == anode:
        bridge = inner == cath
        fixed |= bridge
        if params is not None and params.field_model == "scattering":
            _check_params(params)
            value[bridge] = _bridge_scattering(
                params.material, float(params.disorder_eV), int(params.disorder_seed),
                bridge.shape, bridge.tobytes())[1][bridge]
        else:
            phi, _ = _field.column_potentials(bridge)
            value[bridge] = np.broadcast_to(phi[:, None, None], occ.shape)[bridge]
    else:
        fixed |= (inner == cath) | (inner == anode)
        value[inner == anode] = 1.0
    floating = (occ == ATOM) & ~fixed
    return _field.laplace_potential(fixed, value, np.where(floating, inner, 0))


# --- the electrical loop -----------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _gap_current_density(fermi_eV: float, height_eV: float, thickness_nm: float, mass: float,
                         electrode_mass: float, temperature_K: float, bias_V: float) -> float:
    from ..tight_binding.tunneling import Barrier
    barrier = Barrier(height_eV=fermi_eV + height_eV, thickness_nm=thickness_nm,
                      effective_mass=mass, electrode_mass=electrode_mass,
                      fermi_energy_eV=fermi_eV)
    return float(barrier.current_density(bias_V, temperature_K))


def _check_params(params) -> None:
    if not isinstance(params, ECMParameters):
        raise TypeError(f"params must be an ECMParameters (see material_parameters), got "
                        f"{type(params).__name__}")


def gap_current_A(voltage_V: float, gap: int, front_atoms: int, params: ECMParameters) -> float:
    """Tunneling current (A) across a gap of ``gap`` empty columns from ``front_atoms`` atoms.

    Tsu–Esaki current density of the transfer-matrix kernel
    (:meth:`qtransport.tight_binding.tunneling.Barrier.current_density`, ``method="tmm"``: exact
    for the biased rectangular barrier) through a barrier of height E_F + ``tunnel_barrier_eV``
    above the electrodes' band bottom (φ_t above their Fermi level E_F), thickness g·a and mass
    ``tunnel_mass``, electrodes of the metal's Fermi energy and electron mass, at the ambient
    temperature; times the front column's area ``front_atoms``·a². Cached per
    (material, barrier, bias).

    Parameters
    ----------
    voltage_V : float
        Cell voltage across the gap, V (sign = polarity).
    gap : int
        Empty columns of the gap, 1 ≤ gap ≤ ``params.length_atoms``.
    front_atoms : int
        Atoms of the filament's front column (≥ 0); the tunneling area is front_atoms·a².
    params : ECMParameters
        Cell parameters (material, spacing, tunnel barrier and mass, temperature).

    Returns
    -------
    float
        Tunneling current, A (0 at zero voltage or without front atoms).

    Raises
    ------
    TypeError
        ``params`` is not an :class:`ECMParameters`.
    ValueError
        ``gap``, ``front_atoms`` or ``voltage_V`` out of range.

    Examples
    --------
    >>> p = ECMParameters()
    >>> gap_current_A(0.0, 1, 4, p)
    0.0
    >>> gap_current_A(0.5, 2, 4, p) < gap_current_A(0.5, 1, 4, p)
    True
    """
    _check_params(params)
    g = check_int("gap", gap, low=1, high=params.length_atoms)
    n = check_int("front_atoms", front_atoms, low=0)
    v = check_real("voltage_V", voltage_V)
    if v == 0.0 or n == 0:
        return 0.0
    entry = materials.get(params.material)
    j = _gap_current_density(float(entry.fermi_energy_eV), params.tunnel_barrier_eV,
                             g * params.spacing_nm, params.tunnel_mass,
                             float(entry.effective_mass), params.temperature_K, v)
    return j * n * (params.spacing_nm * nm) ** 2


@functools.lru_cache(maxsize=16384)
def _bridge_conductance_G0(material: str, disorder_eV: float, seed: int, shape: tuple,
                           mask: bytes) -> float:
    occ = np.where(np.frombuffer(mask, dtype=bool).reshape(shape), ATOM, EMPTY).astype(np.int8)
    return configuration_conductance(occ, material, disorder_eV=disorder_eV, seed=seed)


@functools.lru_cache(maxsize=16384)
def _bridge_scattering(material: str, disorder_eV: float, seed: int, shape: tuple,
                       mask: bytes) -> tuple[float, np.ndarray]:
    """(G/G0, φ/V_cell of the bridge atoms) of a bridging cluster from one solve of its Kwant
    box: the conductance of :func:`configuration_conductance` and the injectivity potential
    (:func:`.field.injectivity_potentials`) of its scattering states at E_F."""
    from ..tight_binding import filament as tb
    bridge = np.frombuffer(mask, dtype=bool).reshape(shape)
    g, rho = tb.configuration_injectivity(
        [tuple(int(i) for i in s) for s in np.argwhere(bridge)], width_atoms=shape[1],
        length_atoms=shape[0], fermi_energy_eV=tb.metal_fermi_energy_eV(material, 3),
        hopping_eV=tb.metal_hopping_eV(material), disorder_eV=disorder_eV, seed=seed)
    phi = _field.injectivity_potentials(rho[0], rho[1], bridge)
    phi.flags.writeable = False
    return g, phi


def loop_conductance_G0(occupation, params: ECMParameters) -> float:
    """Kwant conductance (G0) of the bridging cluster of ``occupation`` (0 without contact).

    :func:`configuration_conductance` of the atoms of :func:`bridge_mask` with the material,
    disorder and disorder seed of ``params``; one Kwant solve per distinct bridging cluster
    (cached), so the KMC's electrical loop uses the conductance of its actual configuration.

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).
    params : ECMParameters
        Cell parameters (``material``, ``disorder_eV``, ``disorder_seed``).

    Returns
    -------
    float
        Conductance of the bridging cluster, units of G0 = 2e²/h (0 without contact).

    Raises
    ------
    TypeError
        ``params`` is not an :class:`ECMParameters`.

    Examples
    --------
    >>> p = ECMParameters()
    >>> round(loop_conductance_G0(chain_occupation(p), p), 2)
    0.64
    """
    _check_params(params)
    mask = bridge_mask(np.asarray(occupation))
    if mask is None:
        return 0.0
    key = (params.material, float(params.disorder_eV), int(params.disorder_seed), mask.shape,
           mask.tobytes())
    if params.field_model == "scattering":      # one solve: conductance and field together
        return _bridge_scattering(*key)[0]
    return _bridge_conductance_G0(*key)


@functools.lru_cache(maxsize=4096)
def _compliant_gap_voltage(v: float, gap: int, front: int, params: "ECMParameters") -> float:
    from scipy.optimize import brentq
    # I(V) of a rectangular tunnel barrier rises monotonically with V: one root in (0, v)
    return float(brentq(lambda x: gap_current_A(x, gap, front, params) - params.compliance_A,
                        0.0, v, xtol=1e-12 * v, rtol=1e-13))


def operating_point(voltage_V: float, gap: int, front_atoms: int, conductance_G0: float,
                    params: ECMParameters) -> tuple[float, float]:
    """(V_cell, I) at applied ``voltage_V``: contact (``gap`` = 0) with conductance
    ``conductance_G0``, or a tunneling gap of ``gap`` columns from ``front_atoms`` atoms.

    A positive applied voltage whose current exceeds ``params.compliance_A`` is lowered to the
    cell voltage at which I = I_cc: I_cc/G at contact, the root of the tunneling I(V) (to 1e-12
    relative) before it. Never I > I_cc (to rounding) at positive voltage.

    Parameters
    ----------
    voltage_V : float
        Applied voltage, V (anode positive = SET polarity).
    gap : int
        Empty gap columns (≥ 0; 0 = contact).
    front_atoms : int
        Atoms of the filament's front column (used when ``gap`` > 0).
    conductance_G0 : float
        Conductance of the bridging cluster, units of G0 (≥ 0; used when ``gap`` = 0).
    params : ECMParameters
        Cell parameters (``compliance_A`` and those of :func:`gap_current_A`).

    Returns
    -------
    cell_voltage_V : float
        Cell voltage after the compliance, V.
    current_A : float
        Cell current, A.

    Raises
    ------
    TypeError
        ``params`` is not an :class:`ECMParameters`.
    ValueError
        An argument is out of range.

    Examples
    --------
    >>> p = ECMParameters(compliance_A=1e-5)
    >>> v, i = operating_point(1.0, 0, 0, 1.0, p)
    >>> round(i / 1e-5, 6), round(v, 4)
    (1.0, 0.1291)
    """
    _check_params(params)
    v = check_real("voltage_V", voltage_V)
    if check_int("gap", gap, low=0) == 0:
        conductance = G0 * check_real("conductance_G0", conductance_G0, low=0.0)
        i = conductance * v
        if v > 0 and i > params.compliance_A:
            v = params.compliance_A / conductance
            i = conductance * v
        return v, i
    i = gap_current_A(v, gap, front_atoms, params)
    if v > 0 and i > params.compliance_A:
        v = _compliant_gap_voltage(v, gap, front_atoms, params)
        i = min(gap_current_A(v, gap, front_atoms, params), params.compliance_A)
    return v, i


# --- the kinetic Monte Carlo -------------------------------------------------------------------

@dataclasses.dataclass
class PulseRecord:
    """What one :meth:`FilamentKMC.pulse` (or :meth:`FilamentKMC.run_until`) did.

    Parameters
    ----------
    voltage_V : float
        Applied voltage, V (anode positive).
    width_s : float
        Duration of the pulse, s (for ``run_until``: the elapsed time).
    n_events : int
        KMC events carried out.
    energy_J : float
        Dissipated energy ∫ V_cell I dt, J.
    charge_C : float
        Charge ∫ I dt through the cell, C.
    max_current_A : float
        Largest magnitude of the cell current, A.
    max_temperature_K : float
        Highest local (Joule-heated) temperature, K.
    occupation : numpy.ndarray
        Configuration at the end, int8 array (length, width, width) of 0 (empty), 1 (atom),
        2 (ion).
    first_contact_s : float
        Time of the first filament contact within the pulse, s (``nan`` if none).
    events : numpy.ndarray
        Count of events per channel, int64 array of length ``len(CHANNELS)``.
    trace : dict or None, optional
        With ``trace=True``: per constant-configuration interval ``duration_s`` (s),
        ``cell_voltage_V`` (V), ``current_A`` (A), ``gap_columns`` and ``occupations``
        (arrays); else ``None``.

    Examples
    --------
    Without compliance the cell voltage is the applied one, so the dissipated energy is V × the
    charge that flowed (tunnelling before contact, then through the filament); the per-channel
    counts add up to the events:

    >>> import math
    >>> p = material_parameters("Ag", width_atoms=1, length_atoms=2, compliance_A=math.inf,
    ...                         thermal_resistance_K_per_W=0.0)
    >>> rec = FilamentKMC(p, 0).pulse(1.6, 1e-2)
    >>> type(rec).__name__, rec.occupation.shape, len(rec.events) == len(CHANNELS)
    ('PulseRecord', (2, 1, 1), True)
    >>> bool(int(rec.events.sum()) == rec.n_events)
    True
    >>> bool(abs(rec.energy_J / (1.6 * rec.charge_C) - 1) < 1e-9)
    True
    """

    voltage_V: float
    width_s: float
    n_events: int
    energy_J: float
    charge_C: float
    max_current_A: float
    max_temperature_K: float
    occupation: np.ndarray
    first_contact_s: float
    events: np.ndarray
    trace: dict | None = None


class FilamentKMC:
    """Seeded kinetic Monte Carlo of one ECM cell (see the module docstring).

    Parameters
    ----------
    params : ECMParameters
        Cell parameters.
    seed : int
        Seed of the ``numpy.random.Generator`` (same seed and calls → identical trajectory).
    occupation : array_like, optional
        Initial configuration, shape (length, width, width), values 0/1/2 (default: empty).

    Raises
    ------
    ValueError
        If an argument is invalid: `seed` must be >= 0.
    TypeError
        If an argument has the wrong type: `seed` is not an integer; params must be an
        ECMParameters.

    Examples
    --------
    >>> kmc = FilamentKMC(ECMParameters(width_atoms=1, length_atoms=2), seed=0)
    >>> rec = kmc.pulse(0.0, 1e-6)
    >>> rec.n_events >= 0
    True
    """

    def __init__(self, params: ECMParameters | None = None, seed: int = 0, occupation=None):
        self.params = params if params is not None else ECMParameters()
        if not isinstance(self.params, ECMParameters):
            raise TypeError(f"params must be an ECMParameters, got {type(params).__name__}")
        self.seed = check_int("seed", seed, low=0)
        self.rng = np.random.default_rng(self.seed)
        p = self.params
        shape = (p.length_atoms, p.width_atoms, p.width_atoms)
        self.occupation = (np.zeros(shape, dtype=np.int8) if occupation is None
                           else _check_occupation(occupation, p).copy())
        self.time_s = 0.0

    # electrical loop ---------------------------------------------------------------------------
    def electrical_state(self, voltage_V: float) -> tuple[float, float, float, int]:
        """(V_cell, I, T, g): cell voltage after compliance, current (A), local temperature (K)
        and gap columns of the present configuration at applied ``voltage_V``.

        I is :func:`gap_current_A` before contact and G0·:func:`loop_conductance_G0`·V_cell
        after it; a positive ``voltage_V`` whose current would exceed ``compliance_A`` is
        lowered to the V_cell at which I = I_cc (:func:`operating_point`).

        Parameters
        ----------
        voltage_V : float
            Applied voltage, V (anode positive).

        Returns
        -------
        cell_voltage_V : float
            Cell voltage after the compliance, V.
        current_A : float
            Cell current, A.
        temperature_K : float
            Local temperature T0 + R_th |V_cell I|, K.
        gap : int
            Empty gap columns (0 at contact).

        Examples
        --------
        >>> kmc = FilamentKMC(ECMParameters(), seed=0)
        >>> len(kmc.electrical_state(0.1))
        4
        """
        p, occ = self.params, self.occupation
        key = occ.tobytes()
        cache = self.__dict__.setdefault("_cluster_cache", {})
        if key not in cache:
            # entries hold the site potential (N + 3 floats): bound the cache to ~32 MB
            if len(cache) > min(20000, _RATE_CACHE_BYTES // (8 * (occ.size + 3))):
                cache.clear()
            gap, _, front = cluster_state(occ)
            cache[key] = [gap, front, None if gap == 0 else 0.0, None]
        entry = cache[key]
        gap, front, g, _ = entry
        v = float(voltage_V)
        if g is None and v != 0.0:          # at zero bias no current flows: no Kwant solve
            g = entry[2] = loop_conductance_G0(occ, p)
        v, i = operating_point(v, gap, front, 0.0 if g is None else g, p)
        temperature = p.temperature_K + p.thermal_resistance_K_per_W * abs(v * i)
        return v, i, temperature, gap

    # rates -------------------------------------------------------------------------------------
    def _tables(self):
        """Neighbour index table (6, N) of the flattened box: N = cathode, N+1 = anode,
        N+2 = insulating wall; and the anode flag of every site."""
        if getattr(self, "_nbr", None) is None:
            L, W = self.params.length_atoms, self.params.width_atoms
            x = np.unravel_index(np.arange(L * W * W), (L, W, W))[0]
            self._nbr, self._anode = _field._neighbour_table((L, W, W)), (x == L - 1)
        return self._nbr, self._anode

    def potential(self) -> np.ndarray:
        """Flat site potential (units of V_cell) of the present configuration with the cathode,
        anode and wall appended (0, 1, 0): :func:`site_potential`, cached per configuration.

        Returns
        -------
        numpy.ndarray
            Flat array of length N + 3 (N box sites, then cathode, anode, wall), units of V_cell.

        Examples
        --------
        >>> FilamentKMC(ECMParameters(), seed=0).potential().shape
        (39,)
        """
        key = self.occupation.tobytes()
        cache = self.__dict__.setdefault("_cluster_cache", {})
        if key not in cache:
            self.electrical_state(0.0)
        entry = cache[key]
        if entry[3] is None:
            entry[3] = np.concatenate([site_potential(self.occupation, self.params).ravel(),
                                       [0.0, 1.0, 0.0]])
        return entry[3]

    def rates(self, voltage_V: float = 0.0, *, cell_voltage_V: float | None = None,
              temperature_K: float | None = None) -> np.ndarray:
        """Rates (1/s) of every event, shape (len(CHANNELS), length, width, width).

        ``cell_voltage_V`` and ``temperature_K`` default to the electrical loop's values at the
        applied ``voltage_V`` (:meth:`electrical_state`).

        Parameters
        ----------
        voltage_V : float, optional
            Applied voltage, V (anode positive).
        cell_voltage_V : float, optional
            Cell voltage, V, instead of the electrical loop's.
        temperature_K : float, optional
            Local temperature, K, instead of the electrical loop's.

        Returns
        -------
        numpy.ndarray
            Rates, Hz, shape (len(CHANNELS), length, width, width).

        Examples
        --------
        >>> kmc = FilamentKMC(ECMParameters(width_atoms=1, length_atoms=2))
        >>> kmc.rates(0.0).shape
        (16, 2, 1, 1)
        """
        p, occ = self.params, self.occupation
        if cell_voltage_V is None or temperature_K is None:
            v, _, t, _ = self.electrical_state(voltage_V)
            cell_voltage_V = v if cell_voltage_V is None else cell_voltage_V
            temperature_K = t if temperature_K is None else temperature_K
        return self._rates(float(cell_voltage_V), float(temperature_K)).reshape(
            (len(CHANNELS),) + occ.shape)

    def _constants(self, temperature: float) -> dict:
        """Field-free rate constants at ``temperature`` (cached)."""
        cache = self.__dict__.setdefault("_const_cache", {})
        if temperature in cache:
            return cache[temperature]
        p = self.params
        kt = thermal_energy_eV(temperature)
        nu = p.attempt_frequency_Hz
        k0 = nu * math.exp(-p.charge_transfer_barrier_eV / kt)
        k_form = math.exp(-p.ion_formation_eV / kt)
        nbs = np.arange(7)
        uphill = np.maximum(nbs[:, None] - nbs[None, :], 0) * p.bond_energy_eV
        c = {"kt": kt, "hop": nu * math.exp(-p.hop_barrier_eV / kt), "k0": k0,
             "emit": k0 * k_form,
             # oxidation vs bond count (Gibbs–Thomson factor of the bond-counting model)
             "ox": k0 * k_form * np.exp(-(nbs - p.kink_coordination) * p.bond_energy_eV / kt),
             "diff": nu * np.exp(-(p.diffusion_barrier_eV + uphill) / kt)}
        if len(cache) > 4096:
            cache.clear()
        cache[temperature] = c
        return c

    def _field_factors(self, cell_voltage: float, kt: float, gap: int, metal_nb, cath):
        """Field factors of every event: (hop (6, N), reduction, oxidation, anode emission,
        anode absorption (N each)), all 1 at zero bias.

        ``"local"``: with the site potentials φ (:meth:`potential`), a hop s → t carries
        e^{z e (φ_s − φ_t)/2k_BT}; reduction of an ion at s the mean over its metal neighbours m
        of e^{α z e (φ_s − φ_m)/k_BT} (η = φ_s − φ_m); oxidation of an atom at s the mean over
        its electrolyte neighbours e of e^{−(1−α) z e (φ_e − φ_s)/k_BT} (1 without one); the
        anode exchanges with a last-column site at η = φ_s − V_cell. ``"uniform_gap"``: the
        same with every drop replaced by the gap's E a = V_cell/(g + 1) (sign σ = +1 next to
        cathode-connected metal).
        """
        z, a = self.params.charge_number, self.params.alpha
        nbr, _ = self._tables()
        n = nbr.shape[1]
        if self.params.field_model == "uniform_gap":
            x = z * cell_voltage / (gap + 1) / kt            # z e E a / k_BT
            sign = np.array([[1.0], [-1.0], [0.0], [0.0], [0.0], [0.0]])
            hop = np.broadcast_to(np.exp(0.5 * x * sign), (6, n))
            sigma = np.where(cath, 1.0, -1.0)
            anode = np.full(n, x)
            return (hop, np.exp(a * x * sigma), np.exp(-(1 - a) * x * sigma),
                    np.exp((1 - a) * anode), np.exp(-a * anode))
        if cell_voltage == 0.0:
            one = np.ones(n)
            return np.ones((6, n)), one, one, one, one
        phi = cell_voltage * self.potential()
        drop = z * (phi[:n][None, :] - phi[nbr]) / kt        # z e (φ_s − φ_t) / k_BT
        hop = np.exp(0.5 * drop)
        n_metal = metal_nb.sum(axis=0)
        red = np.where(metal_nb, np.exp(a * drop), 0.0).sum(axis=0) / np.maximum(n_metal, 1)
        electrolyte = ~metal_nb & (nbr != n + 2)
        n_el = electrolyte.sum(axis=0)
        ox = np.where(electrolyte, np.exp((1 - a) * drop), 0.0).sum(axis=0)
        ox = np.where(n_el > 0, ox / np.maximum(n_el, 1), 1.0)
        eta_anode = z * (phi[:n] - cell_voltage) / kt
        return hop, red, ox, np.exp(-(1 - a) * eta_anode), np.exp(a * eta_anode)

    def _rates(self, cell_voltage: float, temperature: float, gap: int | None = None
               ) -> np.ndarray:
        """Flat (len(CHANNELS), N) rate array (see :meth:`rates`)."""
        occ = self.occupation.ravel()
        nbr, anode = self._tables()
        n = occ.size
        atoms, ions, empty = occ == ATOM, occ == ION, occ == EMPTY
        metal_ext = np.concatenate([atoms, [True, True, False]])
        empty_ext = np.concatenate([empty, [False, False, False]])
        nb_atoms = metal_ext[nbr]
        nb = nb_atoms.sum(axis=0)
        cath = (nb - anode) > 0
        empty_nb = empty_ext[nbr]
        gap = gap_columns(self.occupation) if gap is None else gap
        c = self._constants(temperature)
        hop, red, ox, emit, absorb = self._field_factors(cell_voltage, c["kt"], gap, nb_atoms,
                                                         cath)
        out = np.zeros((len(CHANNELS), n))
        out[0:6] = c["hop"] * hop * (ions & empty_nb)
        touching = nb > 0
        out[6] = np.where(ions & touching, c["k0"] * red, 0.0)
        out[7] = np.where(ions & anode, c["k0"] * absorb, 0.0)
        out[8] = np.where(empty & anode, c["emit"] * emit, 0.0)
        out[9] = np.where(atoms & touching, c["ox"][nb] * ox, 0.0)
        nb_ext = np.concatenate([nb, [0, 0, 0]])
        target_nb = nb_ext[nbr] - 1                  # bonds of the target without the mover
        ok = (atoms & touching) & empty_nb & (target_nb > 0)
        out[10:16] = np.where(ok, c["diff"][nb[None, :], np.clip(target_nb, 0, 6)], 0.0)
        return out

    def apply(self, channel: int, site) -> None:
        """Carry out event ``channel`` (index into :data:`CHANNELS`) at box ``site``.

        Parameters
        ----------
        channel : int
            Index into :data:`CHANNELS` (0–15).
        site : sequence of int
            Box site (x, y, z) of the event (for a hop or diffusion: the site of the mover).
        """
        occ, s = self.occupation, tuple(int(i) for i in site)
        if channel < 6 or channel >= 10:
            d = DIRECTIONS[channel % 10 if channel >= 10 else channel]
            target = (s[0] + d[0], s[1] + d[1], s[2] + d[2])
            occ[target] = occ[s]
            occ[s] = EMPTY
        elif channel == 6:
            occ[s] = ATOM
        elif channel == 7:
            occ[s] = EMPTY
        elif channel == 8:
            occ[s] = ION
        else:
            occ[s] = ION

    # time evolution ----------------------------------------------------------------------------
    def _run(self, voltage_V: float, width_s: float, max_events: int, stop=None,
             trace: bool = False) -> PulseRecord:
        v_applied = check_real("voltage_V", voltage_V)
        width = check_real("width_s", width_s, low=0.0, low_open=True, allow_inf=stop is not None)
        limit = check_int("max_events", max_events, low=1)
        t, n, energy, charge, i_max, t_max = 0.0, 0, 0.0, 0.0, 0.0, self.params.temperature_K
        first_contact = math.nan
        counts = np.zeros(len(CHANNELS), dtype=np.int64)
        shape = self.occupation.shape
        n_sites = int(np.prod(shape))
        steps: list | None = [] if trace else None
        rate_cache = self.__dict__.setdefault("_rate_cache", {})
        while True:
            v, i, temp, gap = self.electrical_state(v_applied)
            if gap == 0 and math.isnan(first_contact):
                first_contact = t
            if stop is _contact:
                done = gap == 0
            elif stop is _broken:
                done = gap > 0
            else:
                done = stop is not None and stop(self.occupation)
            if done:
                break
            i_max, t_max = max(i_max, abs(i)), max(t_max, temp)
            # the rates are a function of (configuration, V_cell, T): revisits reuse them
            rkey = (self.occupation.tobytes(), v, temp)
            if rkey not in rate_cache:
                r = self._rates(v, temp, gap).ravel()
                if len(rate_cache) * 2 * r.nbytes > _RATE_CACHE_BYTES:
                    rate_cache.clear()
                rate_cache[rkey] = (r, np.cumsum(r))
            r, cum = rate_cache[rkey]
            total = cum[-1]
            dt = math.inf if total <= 0 else -math.log1p(-self.rng.random()) / total
            if t + dt >= width:
                energy += v * i * (width - t)
                charge += i * (width - t)
                if steps is not None:
                    steps.append((width - t, v, i, gap, self.occupation.copy()))
                t = width
                break
            if n >= limit:
                raise ValueError(
                    f"max_events = {limit} KMC events reached after {t:.3g} s of a {width:.3g} s "
                    f"pulse at {v_applied} V (total rate {total:.3g} /s): shorten the pulse, "
                    f"lower the voltage or raise max_events")
            energy += v * i * dt
            charge += i * dt
            if steps is not None:
                steps.append((dt, v, i, gap, self.occupation.copy()))
            t += dt
            k = int(np.searchsorted(cum, self.rng.random() * total, side="right"))
            k = min(k, r.size - 1)
            channel, flat = divmod(k, n_sites)
            self.apply(channel, np.unravel_index(flat, shape))
            counts[channel] += 1
            n += 1
        self.time_s += t
        if steps is not None:
            cols = list(zip(*steps)) if steps else [()] * 5
            steps = {"duration_s": np.array(cols[0], float),
                     "cell_voltage_V": np.array(cols[1], float),
                     "current_A": np.array(cols[2], float),
                     "gap_columns": np.array(cols[3], int),
                     "occupations": np.array(cols[4], dtype=np.int8).reshape((-1,) + shape)}
        return PulseRecord(v_applied, t, n, energy, charge, i_max, t_max,
                           self.occupation.copy(), first_contact, counts, steps)

    def pulse(self, voltage_V: float, width_s: float, *, max_events: int = MAX_EVENTS,
              trace: bool = False) -> PulseRecord:
        """Apply ``voltage_V`` (anode positive: SET polarity) for ``width_s`` seconds
        (``trace=True`` keeps the electrical state of every interval, :class:`PulseRecord`).

        Parameters
        ----------
        voltage_V : float
            Applied voltage, V (anode positive = SET polarity).
        width_s : float
            Pulse duration, s (> 0).
        max_events : int, optional
            Most KMC events of the pulse (≥ 1).
        trace : bool, optional
            Keep the per-interval electrical state in the record.

        Returns
        -------
        PulseRecord
            What the pulse did; the instance's ``occupation`` and ``time_s`` advance.

        Raises
        ------
        ValueError
            An argument out of range, or ``max_events`` reached before the end of the pulse.
        """
        return self._run(voltage_V, width_s, max_events, trace=check_bool("trace", trace))

    def run_until(self, stop, voltage_V: float, max_time_s: float = math.inf, *,
                  max_events: int = MAX_EVENTS, trace: bool = False) -> PulseRecord:
        """Evolve at ``voltage_V`` until ``stop(occupation)`` is true (or ``max_time_s``);
        the record's ``width_s`` is the elapsed time.

        Parameters
        ----------
        stop : callable
            ``stop(occupation) -> bool``, checked before every event.
        voltage_V : float
            Applied voltage, V (anode positive).
        max_time_s : float, optional
            Longest evolution time, s (> 0, ``inf`` allowed).
        max_events : int, optional
            Most KMC events (≥ 1).
        trace : bool, optional
            Keep the per-interval electrical state in the record.

        Returns
        -------
        PulseRecord
            The record; ``width_s`` is the elapsed time, s.

        Raises
        ------
        ValueError
            An argument out of range, or ``max_events`` reached first.
        """
        return self._run(voltage_V, max_time_s, max_events, stop=stop,
                         trace=check_bool("trace", trace))


# --- Kwant conductance of a configuration ------------------------------------------------------

def configuration_conductance(occupation, material: str = "Ag", *, disorder_eV: float = 0.0,
                              seed: int = 0, length_atoms: int | None = None) -> float:
    """Kwant conductance (G0) at the Fermi energy of the atoms of ``occupation``.

    The box (length × width × width) sits between electrodes of its own cross-section; the atoms
    are the metal sites of the one-orbital model of :mod:`qtransport.tight_binding.filament`
    (hopping and Fermi level of ``material``), every other site is removed (vacancy barrier).
    Ions do not conduct.

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).
    material : str, optional
        Metal of the ``materials`` database (hopping and Fermi level).
    disorder_eV : float, optional
        On-site disorder amplitude, eV (≥ 0).
    seed : int, optional
        Seed of the disorder realization.
    length_atoms : int, optional
        Unused: the length is taken from ``occupation``.

    Returns
    -------
    float
        Conductance, units of G0 = 2e²/h.

    Raises
    ------
    ValueError
        ``occupation`` is not a (length, width, width) array.

    Examples
    --------
    >>> occ = chain_occupation(ECMParameters())       # a one-atom chain across a 4-site gap
    >>> round(configuration_conductance(occ), 2)
    0.64
    """
    from ..tight_binding import filament as tb
    occ = np.asarray(occupation)
    if occ.ndim != 3 or occ.shape[1] != occ.shape[2]:
        raise ValueError(f"occupation must have shape (length, width, width), got {occ.shape}")
    sites = [tuple(int(i) for i in s) for s in np.argwhere(occ == ATOM)]
    return tb.configuration_conductance(sites, width_atoms=occ.shape[1],
                                        length_atoms=occ.shape[0],
                                        fermi_energy_eV=tb.metal_fermi_energy_eV(material, 3),
                                        hopping_eV=tb.metal_hopping_eV(material),
                                        disorder_eV=disorder_eV, seed=seed)


# --- protocols: switching time, retention, pulse trains ---------------------------------------

def _seeds(seed: int, n: int, tag: int) -> list[int]:
    """Independent seeds of run i (``SeedSequence([seed, tag, i])``): run i does not depend on
    how many runs are drawn."""
    return [int(np.random.SeedSequence([seed, tag, i]).generate_state(1)[0]) for i in range(n)]


def chain_occupation(params: ECMParameters, filament_width_atoms: int = 1) -> np.ndarray:
    """A straight filament of filament_width × filament_width atoms per column, bridging the box
    (a freshly formed contact).

    Parameters
    ----------
    params : ECMParameters
        Cell parameters (the box shape).
    filament_width_atoms : int, optional
        Atoms per side of the filament's square cross-section, 1 ≤ w ≤ ``params.width_atoms``.

    Returns
    -------
    numpy.ndarray
        int8 configuration (length, width, width): 1 on the centred filament, 0 elsewhere.

    Raises
    ------
    ValueError
        ``filament_width_atoms`` out of range.

    Examples
    --------
    >>> occ = chain_occupation(ECMParameters(width_atoms=3, length_atoms=2))
    >>> int(occ.sum()), gap_columns(occ)
    (2, 0)
    """
    w = check_int("filament_width_atoms", filament_width_atoms, low=1, high=params.width_atoms)
    occ = np.zeros((params.length_atoms, params.width_atoms, params.width_atoms), dtype=np.int8)
    off = (params.width_atoms - w) // 2
    occ[:, off:off + w, off:off + w] = ATOM
    return occ


def _contact(occ) -> bool:
    return gap_columns(occ) == 0


def _broken(occ) -> bool:
    return gap_columns(occ) > 0


_CELL_PARAMS = [
    Param("material", str, "Ag", doc="filament metal with ECM kinetic parameters (Ag, Cu)"),
    Param("width_atoms", int, 3, low=1, high=8, doc="box cross-section width, sites"),
    Param("length_atoms", int, 4, low=1, high=16, doc="columns between the electrodes"),
    Param("temperature_K", float, 300.0, low=0.0, low_open=True, doc="ambient temperature"),
    Param("compliance_A", float, 1e-4, low=0.0, low_open=True, doc="current compliance"),
    Param("thermal_resistance_K_per_W", float, 1e6, low=0.0, doc="Joule-heating R_th"),
]


_FIELD_PARAM = Param("field_model", str, "scattering", choices=FIELD_MODELS,
                     doc="scattering (default): Laplace with the bridge atoms at the "
                         "injectivity potential of the Kwant scattering states; local: "
                         "Laplace/series-resistance potential; uniform_gap: V_cell/(g+1) for "
                         "every ion (the earliest rule)")


def _cell(material, width_atoms, length_atoms, temperature_K, compliance_A,
          thermal_resistance_K_per_W, field_model="scattering") -> ECMParameters:
    return material_parameters(material, width_atoms=width_atoms, length_atoms=length_atoms,
                               temperature_K=temperature_K, compliance_A=compliance_A,
                               thermal_resistance_K_per_W=thermal_resistance_K_per_W,
                               field_model=field_model)


@register("ecm.switching_time", params=[
    Param("voltages_V", "array", doc="SET voltages (anode positive)"),
    *_CELL_PARAMS,
    Param("n_runs", int, 8, low=1, doc="KMC runs per voltage"),
    Param("seed", int, 0, low=0, doc="KMC seed"),
    Param("max_time_s", float, 1e6, low=0.0, low_open=True, doc="give up after this time"),
    Param("max_events", int, MAX_EVENTS, low=1, doc="most KMC events of one run"),
    _FIELD_PARAM,
], summary="ECM SET time (first filament contact) vs voltage from the kinetic Monte Carlo",
   outputs=("voltages_V", "mean_time_s", "stderr_time_s", "times_s"))
def switching_times(voltages_V, material: str = "Ag", width_atoms: int = 3,
                    length_atoms: int = 4, temperature_K: float = 300.0,
                    compliance_A: float = 1e-4, thermal_resistance_K_per_W: float = 1e6,
                    n_runs: int = 8, seed: int = 0, max_time_s: float = 1e6,
                    max_events: int = MAX_EVENTS, field_model: str = "scattering") -> Result:
    """Time from an empty cell to the first filament contact at each constant voltage.

    Parameters
    ----------
    voltages_V : array_like
        SET voltages, V (> 0, anode positive).
    material : str, optional
        Filament metal with ECM kinetic parameters (``"Ag"``, ``"Cu"``).
    width_atoms : int, optional
        Box cross-section width, sites (1–8).
    length_atoms : int, optional
        Columns between the electrodes (1–16).
    temperature_K : float, optional
        Ambient temperature, K (> 0).
    compliance_A : float, optional
        Current compliance, A (> 0).
    thermal_resistance_K_per_W : float, optional
        Joule-heating thermal resistance R_th, K/W (≥ 0).
    n_runs : int, optional
        KMC runs per voltage (≥ 1).
    seed : int, optional
        KMC seed (≥ 0); run i of voltage j uses an independent derived seed.
    max_time_s : float, optional
        Give up (time ``inf``) after this time, s (> 0).
    max_events : int, optional
        Most KMC events of one run (≥ 1).
    field_model : {"local", "uniform_gap", "scattering"}, optional
        Field model of :class:`ECMParameters`.

    Returns
    -------
    Result
        ``voltages_V``, ``times_s`` (n_voltages × n_runs; ``inf`` if no contact within
        ``max_time_s``), ``mean_time_s`` and ``stderr_time_s`` (standard error of the mean).

    Raises
    ------
    ValueError
        An argument out of range, or a run reaches ``max_events``.

    Examples
    --------
    Field-accelerated ion transport: doubling the voltage shortens the mean SET time of a
    one-atom-wide cell by far more than an order of magnitude (s):

    >>> import numpy as np
    >>> r = switching_times([0.8, 1.6], width_atoms=1, length_atoms=2, n_runs=8)
    >>> r.times_s.shape, bool(np.all(np.isfinite(r.times_s)))
    ((2, 8), True)
    >>> bool(r.mean_time_s[1] < r.mean_time_s[0] / 10)
    True
    """
    volts = check_array("voltages_V", voltages_V, low=0.0, low_open=True, high=MAX_BIAS_V, ndim=1)
    p = _cell(material, width_atoms, length_atoms, temperature_K, compliance_A,
              thermal_resistance_K_per_W, field_model)
    n = check_int("n_runs", n_runs, low=1, high=MAX_RUNS)
    _check_runs(volts.size, n, "voltages_V")
    seed = check_int("seed", seed, low=0)
    limit = check_real("max_time_s", max_time_s, low=0.0, low_open=True)
    times = np.empty((volts.size, n))
    for j, v in enumerate(volts):
        for i, s in enumerate(_seeds(seed, n, j)):
            rec = FilamentKMC(p, s).run_until(_contact, float(v), limit, max_events=max_events)
            times[j, i] = rec.width_s if _contact(rec.occupation) else math.inf
    mean = times.mean(axis=1)
    err = times.std(axis=1, ddof=1) / math.sqrt(n) if n > 1 else np.full(volts.size, np.nan)
    params = dict(voltages_V=volts, material=material, width_atoms=p.width_atoms,
                  length_atoms=p.length_atoms, temperature_K=p.temperature_K,
                  compliance_A=p.compliance_A,
                  thermal_resistance_K_per_W=p.thermal_resistance_K_per_W, n_runs=n, seed=seed,
                  max_time_s=limit, field_model=p.field_model)
    return Result("ecm.switching_time", params, {"voltages_V": volts, "times_s": times,
                                                 "mean_time_s": mean, "stderr_time_s": err})


@register("ecm.retention", params=[
    Param("temperatures_K", "array", doc="storage temperatures"),
    *_CELL_PARAMS[:3],
    Param("filament_width_atoms", int, 1, low=1, doc="programmed filament: atoms per side"),
    Param("read_voltage_V", float, 0.0, doc="bias during storage (read disturb), V"),
    Param("n_runs", int, 8, low=1, doc="KMC runs per temperature"),
    Param("seed", int, 0, low=0, doc="KMC seed"),
    Param("max_time_s", float, 1e12, low=0.0, low_open=True, doc="give up after this time"),
    Param("max_events", int, MAX_EVENTS, low=1, doc="most KMC events of one run"),
    _FIELD_PARAM,
], summary="ECM retention: time for a bridging filament to lose contact vs temperature (KMC)",
   outputs=("temperatures_K", "mean_time_s", "stderr_time_s", "times_s",
            "activation_energy_eV"))
def retention_times(temperatures_K, material: str = "Ag", width_atoms: int = 3,
                    length_atoms: int = 4, filament_width_atoms: int = 1,
                    read_voltage_V: float = 0.0, n_runs: int = 8, seed: int = 0,
                    max_time_s: float = 1e12, max_events: int = MAX_EVENTS,
                    field_model: str = "scattering") -> Result:
    """Time for a straight bridging filament to lose contact, at each storage temperature.

    Thermal dissolution (oxidation of weakly bonded atoms, ions carried away) at zero bias, or
    under a small ``read_voltage_V`` (read disturb). ``activation_energy_eV`` is the Arrhenius
    slope −d ln τ / d(1/k_BT) fitted to the mean times (needs ≥ 2 temperatures).

    Parameters
    ----------
    temperatures_K : array_like
        Storage temperatures, K (> 0).
    material : str, optional
        Filament metal with ECM kinetic parameters (``"Ag"``, ``"Cu"``).
    width_atoms : int, optional
        Box cross-section width, sites (1–8).
    length_atoms : int, optional
        Columns between the electrodes (1–16).
    filament_width_atoms : int, optional
        Atoms per side of the programmed filament (1 ≤ w ≤ ``width_atoms``).
    read_voltage_V : float, optional
        Bias during storage (read disturb), V.
    n_runs : int, optional
        KMC runs per temperature (≥ 1).
    seed : int, optional
        KMC seed (≥ 0).
    max_time_s : float, optional
        Give up (time ``inf``) after this time, s (> 0).
    max_events : int, optional
        Most KMC events of one run (≥ 1).
    field_model : {"local", "uniform_gap", "scattering"}, optional
        Field model of :class:`ECMParameters`.

    Returns
    -------
    Result
        Kind ``"ecm.retention"``: ``temperatures_K``, ``times_s`` (n_temperatures × n_runs, s;
        ``inf`` if contact survives ``max_time_s``), ``mean_time_s`` and ``stderr_time_s`` (s),
        ``activation_energy_eV`` (eV, ``nan`` with fewer than 2 temperatures or an infinite mean).

    Raises
    ------
    ValueError
        An argument out of range, or a run reaches ``max_events``.

    Examples
    --------
    Thermally activated dissolution: a one-atom filament survives for a shorter time at the
    higher temperature, i.e. a positive Arrhenius activation energy (eV):

    >>> r = retention_times([400.0, 500.0], width_atoms=1, length_atoms=2, n_runs=8)
    >>> r.times_s.shape, bool(r.mean_time_s[1] < r.mean_time_s[0])
    ((2, 8), True)
    >>> bool(float(r.activation_energy_eV) > 0)
    True
    """
    temps = check_array("temperatures_K", temperatures_K, low=1.0, high=MAX_TEMPERATURE_K, ndim=1)
    v_read = check_real("read_voltage_V", read_voltage_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    n = check_int("n_runs", n_runs, low=1, high=MAX_RUNS)
    _check_runs(temps.size, n, "temperatures_K")
    seed = check_int("seed", seed, low=0)
    limit = check_real("max_time_s", max_time_s, low=0.0, low_open=True)
    times = np.empty((temps.size, n))
    for j, temp in enumerate(temps):
        p = material_parameters(material, width_atoms=width_atoms, length_atoms=length_atoms,
                                temperature_K=float(temp), compliance_A=math.inf,
                                thermal_resistance_K_per_W=0.0, field_model=field_model)
        start = chain_occupation(p, filament_width_atoms)
        for i, s in enumerate(_seeds(seed, n, j)):
            rec = FilamentKMC(p, s, start).run_until(_broken, v_read, limit,
                                                     max_events=max_events)
            times[j, i] = rec.width_s if _broken(rec.occupation) else math.inf
    mean = times.mean(axis=1)
    err = times.std(axis=1, ddof=1) / math.sqrt(n) if n > 1 else np.full(temps.size, np.nan)
    if temps.size >= 2 and np.all(np.isfinite(mean)):
        slope = np.polyfit(1.0 / thermal_energy_eV(temps), np.log(mean), 1)[0]
    else:
        slope = math.nan
    params = dict(temperatures_K=temps, material=material, width_atoms=width_atoms,
                  length_atoms=length_atoms, filament_width_atoms=filament_width_atoms,
                  read_voltage_V=v_read, n_runs=n, seed=seed, max_time_s=limit,
                  field_model=field_model)
    return Result("ecm.retention", params, {"temperatures_K": temps, "times_s": times,
                                            "mean_time_s": mean, "stderr_time_s": err,
                                            "activation_energy_eV": np.float64(slope)})


def read_conductance_S(occupation, params: ECMParameters, material: str = "Ag",
                       read_voltage_V: float = 0.1, disorder_eV: float = 0.0,
                       seed: int = 0) -> float:
    """Read conductance, S: the Kwant conductance of the atoms when the filament bridges the
    cell, the tunneling conductance I(V_read)/V_read across the gap otherwise.

    Parameters
    ----------
    occupation : array_like
        Configuration, integer array (length, width, width) of 0 (empty), 1 (atom), 2 (ion).
    params : ECMParameters
        Cell parameters (tunneling across the gap).
    material : str, optional
        Metal of the Kwant conductance at contact.
    read_voltage_V : float, optional
        Read voltage, V (> 0).
    disorder_eV : float, optional
        On-site disorder of the Kwant filament, eV (≥ 0).
    seed : int, optional
        Seed of the disorder realization.

    Returns
    -------
    float
        Read conductance, S.

    Raises
    ------
    ValueError
        ``read_voltage_V`` ≤ 0 or a bad ``occupation``.

    Examples
    --------
    >>> p = ECMParameters()
    >>> f"{read_conductance_S(chain_occupation(p), p):.2e}"
    '4.96e-05'
    """
    # >= 1 µV: below, the read current underflows and log(G/G0) divides by zero
    v = check_real("read_voltage_V", read_voltage_V, low=1e-6, high=MAX_BIAS_V)
    if gap_columns(occupation) == 0:
        return G0 * configuration_conductance(occupation, material, disorder_eV=disorder_eV,
                                              seed=seed)
    probe = FilamentKMC(params.replace(compliance_A=math.inf, thermal_resistance_K_per_W=0.0),
                        0, occupation)
    return probe.electrical_state(v)[1] / v


@register("ecm.pulse_train", params=[
    *_CELL_PARAMS,
    Param("set_voltage_V", float, 1.5, low=0.0, low_open=True, doc="SET pulse amplitude"),
    Param("set_width_s", float, 1e-3, low=0.0, low_open=True, doc="SET pulse width"),
    Param("reset_voltage_V", float, -1.0, high=0.0, high_open=True, doc="RESET amplitude"),
    Param("reset_width_s", float, 1e-3, low=0.0, low_open=True, doc="RESET pulse width"),
    Param("n_pulses", int, 8, low=1, doc="pulses per SET and per RESET branch"),
    Param("read_voltage_V", float, 0.1, low=0.0, low_open=True, doc="read voltage"),
    Param("disorder_eV", float, 0.0, low=0.0, doc="on-site disorder of the Kwant filament"),
    Param("seed", int, 0, low=0, doc="KMC seed (and disorder seed unless disorder_seed)"),
    Param("max_events", int, MAX_EVENTS, low=1, doc="most KMC events of one pulse"),
    Param("disorder_seed", int, None, low=0, optional=True,
          doc="seed of the Kwant disorder realization (the device); default: seed"),
    _FIELD_PARAM,
], summary="ECM cell under SET then RESET pulse trains: KMC atoms, Kwant conductance, energy",
   outputs=("pulse_voltage_V", "conductance_S", "conductance_G0", "atoms", "gap_columns",
            "energy_J", "n_events", "occupations"))
def pulse_train(material: str = "Ag", width_atoms: int = 3, length_atoms: int = 4,
                temperature_K: float = 300.0, compliance_A: float = 1e-4,
                thermal_resistance_K_per_W: float = 1e6, set_voltage_V: float = 1.5,
                set_width_s: float = 1e-3, reset_voltage_V: float = -1.0,
                reset_width_s: float = 1e-3, n_pulses: int = 8, read_voltage_V: float = 0.1,
                disorder_eV: float = 0.0, seed: int = 0,
                max_events: int = MAX_EVENTS, disorder_seed: int | None = None,
                field_model: str = "scattering") -> Result:
    """``n_pulses`` SET pulses from an empty cell, then ``n_pulses`` RESET pulses.

    ``seed`` seeds the KMC path; ``disorder_seed`` (default ``seed``) the device's Kwant disorder
    realization, so one device (one ``disorder_seed``) can be cycled with several KMC seeds.

    After each pulse the configuration is read: ``conductance_G0`` is the Kwant conductance of
    its atoms (0 with a gap), ``conductance_S`` the read conductance (:func:`read_conductance_S`,
    tunneling included). Index 0 is the initial state. ``energy_J`` is ∫ V_cell I dt of each
    pulse (gap tunneling current included), ``occupations`` the configurations.

    Parameters
    ----------
    material : str, optional
        Filament metal with ECM kinetic parameters (``"Ag"``, ``"Cu"``).
    width_atoms : int, optional
        Box cross-section width, sites (1–8).
    length_atoms : int, optional
        Columns between the electrodes (1–16).
    temperature_K : float, optional
        Ambient temperature, K (> 0).
    compliance_A : float, optional
        Current compliance of the SET pulses, A (> 0).
    thermal_resistance_K_per_W : float, optional
        Joule-heating thermal resistance R_th, K/W (≥ 0).
    set_voltage_V : float, optional
        SET pulse amplitude, V (> 0).
    set_width_s : float, optional
        SET pulse width, s (> 0).
    reset_voltage_V : float, optional
        RESET pulse amplitude, V (< 0).
    reset_width_s : float, optional
        RESET pulse width, s (> 0).
    n_pulses : int, optional
        Pulses per SET and per RESET branch (≥ 1).
    read_voltage_V : float, optional
        Read voltage, V (> 0).
    disorder_eV : float, optional
        On-site disorder of the Kwant filament, eV (≥ 0).
    seed : int, optional
        KMC seed (≥ 0).
    max_events : int, optional
        Most KMC events of one pulse (≥ 1).
    disorder_seed : int or None, optional
        Seed of the Kwant disorder realization (≥ 0); ``None``: ``seed``.
    field_model : {"local", "uniform_gap", "scattering"}, optional
        Field model of :class:`ECMParameters`.

    Returns
    -------
    Result
        Kind ``"ecm.pulse_train"``, per state (index 0 = initial, then 2·n_pulses pulses):
        ``pulse_voltage_V`` (V), ``conductance_S`` (S), ``conductance_G0`` (G0), ``atoms``,
        ``gap_columns``, ``energy_J`` (J), ``n_events`` and ``occupations``.

    Raises
    ------
    ValueError
        An argument out of range, or a pulse reaches ``max_events``.

    Examples
    --------
    SET pulses bridge a one-atom-wide, two-column cell: the read conductance jumps from
    tunnelling across the gap to one conductance quantum G0 of the atomic chain:

    >>> r = pulse_train(width_atoms=1, length_atoms=2, n_pulses=3)
    >>> r.pulse_voltage_V.tolist()
    [0.0, 1.5, 1.5, 1.5, -1.0, -1.0, -1.0]
    >>> int(r.gap_columns[0]), int(r.gap_columns[-1]), int(r.atoms[-1])
    (2, 0, 2)
    >>> bool(abs(r.conductance_G0[-1] - 1) < 1e-6 and r.conductance_S[0] < 1e-3 * r.conductance_S[-1])
    True
    """
    seed = check_int("seed", seed, low=0)
    dseed = seed if disorder_seed is None else check_int("disorder_seed", disorder_seed, low=0)
    p = _cell(material, width_atoms, length_atoms, temperature_K, compliance_A,
              thermal_resistance_K_per_W, field_model).replace(
        disorder_eV=check_real("disorder_eV", disorder_eV, low=0.0, high=MAX_ENERGY_EV), disorder_seed=dseed)
    n = check_int("n_pulses", n_pulses, low=1, high=MAX_RUNS)
    v_set = check_real("set_voltage_V", set_voltage_V, low=0.0, low_open=True, high=MAX_BIAS_V)
    v_reset = check_real("reset_voltage_V", reset_voltage_V, low=-MAX_BIAS_V, high=0.0,
                         high_open=True)
    t_set = check_real("set_width_s", set_width_s, low=0.0, low_open=True, high=MAX_PULSE_S)
    t_reset = check_real("reset_width_s", reset_width_s, low=0.0, low_open=True, high=MAX_PULSE_S)
    kmc = FilamentKMC(p, seed)
    volts, occs, energy, events = [0.0], [kmc.occupation.copy()], [0.0], [0]
    for k in range(2 * n):
        v, w = (v_set, t_set) if k < n else (v_reset, t_reset)
        rec = kmc.pulse(v, w, max_events=max_events)
        volts.append(v)
        occs.append(rec.occupation)
        energy.append(rec.energy_J)
        events.append(rec.n_events)
    g_s = np.array([read_conductance_S(o, p, material, read_voltage_V, disorder_eV, dseed)
                    for o in occs])
    g0 = np.array([configuration_conductance(o, material, disorder_eV=disorder_eV, seed=dseed)
                   if gap_columns(o) == 0 else 0.0 for o in occs])
    params = dict(material=material, width_atoms=p.width_atoms, length_atoms=p.length_atoms,
                  temperature_K=p.temperature_K, compliance_A=p.compliance_A,
                  thermal_resistance_K_per_W=p.thermal_resistance_K_per_W,
                  set_voltage_V=v_set, set_width_s=t_set, reset_voltage_V=v_reset,
                  reset_width_s=t_reset, n_pulses=n, read_voltage_V=read_voltage_V,
                  disorder_eV=disorder_eV, seed=seed, disorder_seed=dseed,
                  field_model=p.field_model)
    return Result("ecm.pulse_train", params, {
        "pulse_voltage_V": np.array(volts), "conductance_S": g_s, "conductance_G0": g0,
        "atoms": np.array([int(np.sum(o == ATOM)) for o in occs]),
        "gap_columns": np.array([gap_columns(o) for o in occs]),
        "energy_J": np.array(energy), "n_events": np.array(events),
        "occupations": np.array(occs)})


# ---- layout and default plot of the result kinds made here (qtransport.results.declare)
_declare("ecm.switching_time", coords=("voltages_V",), y=("mean_time_s",), yscale="log",
         dims={"times_s": ("voltage", "run")}, style="points")
_declare("ecm.retention", coords=("temperatures_K",), y=("mean_time_s",), yscale="log",
         dims={"times_s": ("temperature", "run")}, style="points")
_declare("ecm.pulse_train", dims={"pulse_voltage_V": ("pulse",), "conductance_S": ("pulse",),
                                  "conductance_G0": ("pulse",), "atoms": ("pulse",),
                                  "gap_columns": ("pulse",), "energy_J": ("pulse",),
                                  "n_events": ("pulse",),
                                  "occupations": ("pulse", "x", "y", "z")},
         y=("conductance_G0",), style="step")


def spike_pair_waveform(delay_s: float, amplitude_V: float, half_width_s: float
                        ) -> list[tuple[float, float]]:
    """Piecewise-constant cell voltage V(t) = s(t) − s(t − Δt) of a pre/post spike pair.

    Each spike s is −A for ``half_width_s`` then +A for ``half_width_s`` (pre on the anode, post
    on the cathode). Where the pre spike's positive half overlaps the post spike's negative half
    (0 < Δt < 2τ) the cell sees +2A (SET polarity); Δt < 0 gives −2A. Returns (voltage, duration)
    segments covering both spikes.

    Parameters
    ----------
    delay_s : float
        Post − pre spike delay Δt, s (any sign).
    amplitude_V : float
        Spike half amplitude A, V (> 0).
    half_width_s : float
        Duration τ of each half of a spike, s (> 0).

    Returns
    -------
    list of tuple of float
        ``(voltage_V, duration_s)`` segments in time order.

    Raises
    ------
    ValueError
        ``amplitude_V`` or ``half_width_s`` ≤ 0.

    Examples
    --------
    >>> spike_pair_waveform(1e-3, 1.0, 1e-3)
    [(-1.0, 0.001), (2.0, 0.001), (-1.0, 0.001)]
    """
    dt = check_real("delay_s", delay_s)
    amp = check_real("amplitude_V", amplitude_V, low=0.0, low_open=True, high=MAX_BIAS_V)
    tau = check_real("half_width_s", half_width_s, low=0.0, low_open=True, high=MAX_PULSE_S)

    def spike(t):
        return -amp if 0 <= t < tau else amp if tau <= t < 2 * tau else 0.0

    edges = sorted({0.0, tau, 2 * tau, dt, dt + tau, dt + 2 * tau})
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            mid = 0.5 * (a + b)
            out.append((spike(mid) - spike(mid - dt), b - a))
    return out


def _gap_start(params: ECMParameters) -> np.ndarray:
    """A 2 × 2 filament (1 × 1 in a one-site box) one column short of the anode (a one-column
    tunneling gap)."""
    occ = chain_occupation(params, min(2, params.width_atoms))
    occ[-1] = EMPTY
    return occ


@register("ecm.stdp_window", params=[
    Param("delays_s", "array", doc="post − pre spike delays"),
    *_CELL_PARAMS,
    Param("amplitude_V", float, 1.0, low=0.0, low_open=True, doc="spike half amplitude A"),
    Param("half_width_s", float, 1e-3, low=0.0, low_open=True, doc="spike half width"),
    Param("n_runs", int, 8, low=1, doc="KMC runs per delay"),
    Param("read_voltage_V", float, 0.1, low=0.0, low_open=True, doc="read voltage"),
    Param("seed", int, 0, low=0, doc="KMC seed"),
    Param("max_events", int, MAX_EVENTS, low=1, doc="most KMC events of one spike pair"),
    _FIELD_PARAM,
], summary="Pair-STDP window of an ECM cell from overlapping pre/post spikes (KMC)",
   outputs=("delays_s", "mean_log_change", "stderr_log_change", "log_change"))
def stdp_window(delays_s, material: str = "Ag", width_atoms: int = 3, length_atoms: int = 4,
                temperature_K: float = 300.0, compliance_A: float = 1e-4,
                thermal_resistance_K_per_W: float = 1e6, amplitude_V: float = 1.0,
                half_width_s: float = 1e-3, n_runs: int = 8, read_voltage_V: float = 0.1,
                seed: int = 0, max_events: int = MAX_EVENTS, field_model: str = "scattering"
                ) -> Result:
    """Weight change ln(G_after/G_before) vs spike delay, from a one-column tunneling gap.

    The cell starts as a 2 × 2 filament one column short of the anode (a mid state from which
    both directions are open); each delay applies :func:`spike_pair_waveform` and reads
    the conductance (:func:`read_conductance_S`). Runs use independent seeds.

    Parameters
    ----------
    delays_s : array_like
        Post − pre spike delays, s.
    material : str, optional
        Filament metal with ECM kinetic parameters (``"Ag"``, ``"Cu"``).
    width_atoms : int, optional
        Box cross-section width, sites (1–8).
    length_atoms : int, optional
        Columns between the electrodes (1–16).
    temperature_K : float, optional
        Ambient temperature, K (> 0).
    compliance_A : float, optional
        Current compliance, A (> 0).
    thermal_resistance_K_per_W : float, optional
        Joule-heating thermal resistance R_th, K/W (≥ 0).
    amplitude_V : float, optional
        Spike half amplitude A, V (> 0).
    half_width_s : float, optional
        Spike half width τ, s (> 0).
    n_runs : int, optional
        KMC runs per delay (≥ 1).
    read_voltage_V : float, optional
        Read voltage, V (> 0).
    seed : int, optional
        KMC seed (≥ 0).
    max_events : int, optional
        Most KMC events of one spike-pair segment (≥ 1).
    field_model : {"local", "uniform_gap", "scattering"}, optional
        Field model of :class:`ECMParameters`.

    Returns
    -------
    Result
        Kind ``"ecm.stdp_window"``: ``delays_s`` (s), ``log_change`` (n_delays × n_runs,
        ln(G_after/G_before), dimensionless), ``mean_log_change`` and ``stderr_log_change``.

    Raises
    ------
    ValueError
        An argument out of range, or a segment reaches ``max_events``.
    """
    delays = check_array("delays_s", delays_s, ndim=1, low=-MAX_PULSE_S, high=MAX_PULSE_S)
    p = _cell(material, width_atoms, length_atoms, temperature_K, compliance_A,
              thermal_resistance_K_per_W, field_model)
    n = check_int("n_runs", n_runs, low=1, high=MAX_RUNS)
    _check_runs(delays.size, n, "delays_s")
    seed = check_int("seed", seed, low=0)
    start = _gap_start(p)
    g0 = read_conductance_S(start, p, material, read_voltage_V)
    cache: dict = {}
    change = np.empty((delays.size, n))
    for j, d in enumerate(delays):
        wave = spike_pair_waveform(float(d), amplitude_V, half_width_s)
        for i, s in enumerate(_seeds(seed, n, 100 + j)):
            kmc = FilamentKMC(p, s, start)
            for v, w in wave:
                kmc.pulse(v, w, max_events=max_events)
            key = kmc.occupation.tobytes()
            if key not in cache:
                cache[key] = read_conductance_S(kmc.occupation, p, material, read_voltage_V)
            change[j, i] = math.log(cache[key] / g0)
    mean = change.mean(axis=1)
    err = change.std(axis=1, ddof=1) / math.sqrt(n) if n > 1 else np.full(delays.size, np.nan)
    params = dict(delays_s=delays, material=material, width_atoms=p.width_atoms,
                  length_atoms=p.length_atoms, temperature_K=p.temperature_K,
                  compliance_A=p.compliance_A,
                  thermal_resistance_K_per_W=p.thermal_resistance_K_per_W,
                  amplitude_V=amplitude_V, half_width_s=half_width_s, n_runs=n,
                  read_voltage_V=read_voltage_V, seed=seed, field_model=p.field_model)
    return Result("ecm.stdp_window", params, {"delays_s": delays, "log_change": change,
                                              "mean_log_change": mean,
                                              "stderr_log_change": err})


_declare("ecm.stdp_window", coords=("delays_s",), y=("mean_log_change",),
         dims={"log_change": ("delay", "run")}, style="points")
