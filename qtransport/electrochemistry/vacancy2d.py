"""2-D vacancy memristor: metal adatoms filling vacancy sites of a monolayer (MoS₂, h-BN).

Documented models of the vertical "atomristor" (metal / monolayer / metal). The occupation
kinetics is one kernel for every material; the conductance model is chosen by the material
(``VacancyLayer.model``): ``"minimal"`` (MoS₂) or ``"two_band"`` (h-BN).

* **Kinetics.** ``n_vacancies`` vacancy sites of the monolayer, each empty or filled by a metal
  adatom from the electrodes. Each site is an independent two-state Markov process with
  field-lowered Arrhenius rates k_fill = ν exp(−(E_a − λ e V)/k_BT) and
  k_empty = ν exp(−(E_a + ΔE + λ e V)/k_BT) (E_a fill barrier, ΔE binding of the filled site,
  λ the fraction of the bias that drops over the adatom's hop). A pulse of width t is sampled
  exactly from the two-state propagator P_fill(t) = p_eq + (s0 − p_eq) e^{−(k_fill + k_empty) t},
  p_eq = k_fill/(k_fill + k_empty), with a seeded numpy Generator (no time-step error).
* **Conductance.** The monolayer is ``n_planes`` atomic planes (S–Mo–S: 3) of an N × N square
  patch (spacing a) between two semi-infinite metal electrodes along z (Kwant leads of the same
  cross-section, one-orbital metal at half filling, hopping t_m). In the layer the hopping is
  t_s = ħ²/(2 m* a²) (conduction-band mass) and the on-site energy puts the layer's bulk-like band
  bottom φ_B above the Fermi level (a tunneling barrier); a filled vacancy makes its column of
  the layer metallic (on-site at the Fermi level: a conducting point defect through the layer).
  Metal–layer hopping t_s. G = G0 T(E_F), T = 0 K. Multiple levels come from the number of
  filled sites.
* **Conductance, two-band model (h-BN).** The monolayer is an L × L torus of honeycomb cells
  (periodic: a patch of an infinite layer, no edges and no edge states in the gap), one p_z
  orbital per atom: B on-site +Δ/2, N on-site −Δ/2 (Δ = the computed PBE gap at K), nearest-
  neighbour hopping −t. Electrodes (``VacancyLayer.electrode``): ``"fcc111"`` (default), two
  semi-infinite one-orbital fcc metals stacked along [111] on the same torus (Kwant leads of one
  (111) plane of L² atoms, hopping t_m), N on top of a surface atom and B in the fcc hollow, so
  k∥ is conserved; half filled (monovalent) with the (111) surface density of states per atom
  and spin 3/(4 E_F^metal) (:func:`fcc_hopping_from_fermi_energy`); each atom's total coupling γ
  shared equally by its bonds (γ on top, γ/√3 to each hollow atom); the adatom of a filled
  vacancy sits at the next fcc site (t_m to three surface atoms) with its level placed at E_F
  after the electrodes' real self-energy (Friedel sum rule). ``"chains"``: every atom couples
  vertically, with hopping γ, to its own semi-infinite
  one-orbital chain above (top electrode) and below (bottom electrode), chain hopping t_m with the
  Fermi level at the chain's band centre (Kwant leads: 2·2L² chains). At E_F the chain's surface
  Green function is −i/t_m, so each atom gets the energy-independent (wide-band) self-energy
  −iγ²/t_m per electrode: G_off is tunneling through one layer, computed exactly (the k-sum
  formula of :func:`two_band_floor`; for the fcc electrode the same function sums the per-k
  2 × 2 Fisher–Lee formula). With chains t_m is set by the electrode metal's free-electron density
  of states per atom and spin, ρ = 3/(4 E_F^metal) = 1/(π t_m) (the chain's surface value). A vacancy site (B by default) is
  removed from the layer while empty; a filled vacancy holds a metal adatom: one s orbital at
  E_F (a monovalent adatom's half-filled resonance: Friedel sum rule), bonded to both electrodes
  like an electrode atom (hopping t_m: the conducting bridge) and to its three layer neighbours
  with t_a. Its resonance carries one channel with T ≈ 1 (Breit–Wigner, width 2 t_m per side
  with chains, 2|Im σ_a| with the fcc metal),
  so the levels step by ≈ 1 G0 per filled site above the tunneling floor.
"""
from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np

from .. import materials
from ..constants import G0
from ..errors import check_array, check_choice, check_int, check_real
from ..errors import MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..registry import Param, register
from ..results import Result, declare as _declare
from .rates import arrhenius_rate

__all__ = ["VacancyLayer", "MODELS", "layer_parameters", "fill_rates", "fill_probability",
           "sample_pulses", "switching_voltage", "vacancy_sites", "layer_conductance",
           "two_band_hamiltonian", "direct_conductance", "two_band_floor",
           "chain_hopping_from_fermi_energy", "interlayer_hopping_from_decay", "pulse_train",
           "ELECTRODES", "fcc_hopping_from_fermi_energy", "fcc_band_constants",
           "electrode_channels", "electrode_surface_green"]

#: conductance models: "minimal" (cubic planes, MoS₂), "two_band" (honeycomb p_z, h-BN)
MODELS = ("minimal", "two_band")

#: electrodes of the two-band model: "fcc111" (a k∥-conserving fcc(111) metal on the same
#: torus), "chains" (one independent chain per layer atom: a local, wide-band contact)
ELECTRODES = ("fcc111", "chains")


@dataclasses.dataclass(frozen=True)
class VacancyLayer:
    """Parameters of the 2-D vacancy memristor (see the module docstring).

    Every field is checked on construction (the ranges below); a bad value raises.

    Parameters
    ----------
    patch_sites : int
        N: the patch is N × N sites (1–12; ≥ 2 for ``"two_band"``).
    n_planes : int
        Atomic planes of the monolayer (1–6).
    n_vacancies : int
        Vacancy sites in the patch (0 ≤ n ≤ N²).
    spacing_nm, effective_mass : float
        In-plane spacing a (nm, > 0) and conduction-band mass m*/m_e (> 0) of the layer.
    barrier_eV : float
        φ_B, layer band bottom above the electrode Fermi level, eV (> 0).
    metal_hopping_eV : float
        Electrode hopping t_m, eV (> 0).
    fill_barrier_eV, binding_eV, field_fraction, attempt_frequency_Hz : float
        E_a (eV, ≥ 0), ΔE (eV), λ (dimensionless, 0–1) and ν (Hz, > 0) of the fill/empty
        rates.
    temperature_K : float
        Temperature of the kinetics, K (> 0).
    model : str
        Conductance model, one of :data:`MODELS`. The fields below are read by ``"two_band"``
        only (``patch_sites`` is then L, the torus of L × L honeycomb cells, L ≥ 2, and the
        vacancies sit on L² sites of one sublattice; ``n_planes``, ``effective_mass`` and
        ``barrier_eV`` are read by ``"minimal"`` only).
    gap_eV : float
        Δ: B on-site +Δ/2, N on-site −Δ/2 (gap at K), eV (> 0).
    nn_hopping_eV : float
        t, nearest-neighbour π hopping, eV (> 0).
    fermi_above_valence_eV : float
        E_F − E_V: electrode Fermi level above the valence edge −Δ/2, eV (0 < · < Δ).
    electrode_coupling_eV : float
        γ, hopping of every layer atom to its electrode chain above and below, eV (≥ 0).
    adatom_coupling_eV : float
        t_a, hopping of a filled vacancy's adatom to its three layer neighbours, eV (≥ 0).
    adatom_level_eV : float
        Adatom s level, shifted by the electrodes' real self-energy, minus E_F, eV (0: the
        half-filled monovalent resonance; the bare level is E_F for chains, E_F − 2 Re σ_a for
        the fcc electrode).
    vacancy_sublattice : str
        "B" or "N": the sublattice of the vacancies.
    electrode : str
        One of :data:`ELECTRODES`: ``"fcc111"`` (semi-infinite one-orbital fcc(111) metal,
        hopping t_m, on the same L × L torus: k∥ conserved) or ``"chains"`` (one chain of
        hopping t_m per layer atom). ``metal_hopping_eV`` is the hopping of that electrode
        (:func:`layer_parameters` sets it by the electrode's own rule).

    Raises
    ------
    ValueError
        If an argument is invalid: `model` must be one of ``MODELS``; `electrode` must be one
        of ``ELECTRODES``; `patch_sites` must be >= 1 (two-band model: >= 2, >= 3 on an fcc111
        electrode) and <= 12; `n_planes` must be >= 1
        and <= 6; `n_vacancies` must be >= 0 and <= `patch_sites`²;
        `fermi_above_valence_eV` must be > 0 and < `gap_eV`; `adatom_coupling_eV`,
        `electrode_coupling_eV` and `fill_barrier_eV` must be >= 0; `adatom_level_eV` and
        `binding_eV` must be finite; `vacancy_sublattice` must be one of ``('B', 'N')``;
        `field_fraction` must be >= 0 and <= 1; `spacing_nm`, `effective_mass`, `barrier_eV`,
        `metal_hopping_eV`, `attempt_frequency_Hz`, `temperature_K`, `gap_eV` and
        `nn_hopping_eV` must be > 0.
    TypeError
        If an argument has the wrong type: `fermi_above_valence_eV`, `adatom_coupling_eV`,
        `electrode_coupling_eV`, `adatom_level_eV`, `fill_barrier_eV`, `binding_eV`,
        `field_fraction`, `spacing_nm`, `effective_mass`, `barrier_eV`, `metal_hopping_eV`,
        `attempt_frequency_Hz`, `temperature_K`, `gap_eV` or `nn_hopping_eV` are not real
        numbers; `patch_sites`, `n_planes` or `n_vacancies` are not integers.

    Examples
    --------
    >>> layer = VacancyLayer()
    >>> layer.model, layer.patch_sites, layer.n_vacancies
    ('minimal', 6, 4)
    """

    patch_sites: int = 6
    n_planes: int = 3
    n_vacancies: int = 4
    spacing_nm: float = 0.316
    effective_mass: float = 0.44
    barrier_eV: float = 0.5
    metal_hopping_eV: float = 2.0
    fill_barrier_eV: float = 0.9
    binding_eV: float = 0.3
    field_fraction: float = 0.5
    attempt_frequency_Hz: float = 1e13
    temperature_K: float = 300.0
    model: str = "minimal"
    gap_eV: float = 4.5
    nn_hopping_eV: float = 2.33
    fermi_above_valence_eV: float = 2.5
    electrode_coupling_eV: float = 0.34
    adatom_coupling_eV: float = 1.0
    adatom_level_eV: float = 0.0
    vacancy_sublattice: str = "B"
    electrode: str = "fcc111"

    def __post_init__(self):
        check_choice("model", self.model, MODELS)
        check_choice("electrode", self.electrode, ELECTRODES)
        # the fcc torus needs L ≥ 3: at L = 2 the in-plane bonds ±a1 join the same two sites
        low = (3 if self.electrode == "fcc111" else 2) if self.model == "two_band" else 1
        check_int("patch_sites", self.patch_sites, low=low, high=12)
        check_int("n_planes", self.n_planes, low=1, high=6)
        check_int("n_vacancies", self.n_vacancies, low=0, high=self.patch_sites ** 2)
        for key in ("spacing_nm", "effective_mass", "barrier_eV", "metal_hopping_eV",
                    "attempt_frequency_Hz", "temperature_K", "gap_eV", "nn_hopping_eV"):
            check_real(key, getattr(self, key), low=0.0, low_open=True)
        check_real("fermi_above_valence_eV", self.fermi_above_valence_eV, low=0.0,
                   high=self.gap_eV, low_open=True, high_open=True)
        check_real("adatom_coupling_eV", self.adatom_coupling_eV, low=0.0)
        check_real("electrode_coupling_eV", self.electrode_coupling_eV, low=0.0)
        check_real("adatom_level_eV", self.adatom_level_eV)
        check_choice("vacancy_sublattice", self.vacancy_sublattice, ("B", "N"))
        check_real("fill_barrier_eV", self.fill_barrier_eV, low=0.0)
        check_real("binding_eV", self.binding_eV)
        check_real("field_fraction", self.field_fraction, low=0.0, high=1.0)

    @property
    def layer_hopping_eV(self) -> float:
        """t_s = ħ²/(2 m* a²), eV."""
        from ..tight_binding.lattice import hopping_eV
        return hopping_eV(self.effective_mass, self.spacing_nm)


def chain_hopping_from_fermi_energy(fermi_energy_eV: float) -> float:
    """t_m (eV) of a one-orbital chain whose surface density of states 1/(π t_m) equals the
    free-electron density of states per atom and spin of a monovalent metal, 3/(4 E_F).

    Parameters
    ----------
    fermi_energy_eV : float
        Free-electron Fermi energy E_F of the metal, eV (> 0).

    Returns
    -------
    float
        Chain hopping t_m = 4 E_F / (3π), eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energy_eV` must be > 0 and <= 1000.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV` is not a real number.

    Examples
    --------
    >>> round(chain_hopping_from_fermi_energy(7.0), 4)
    2.9709
    """
    ef = check_real("fermi_energy_eV", fermi_energy_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    return 4.0 * ef / (3.0 * math.pi)


#: k mesh (per direction) of the fcc(111) band constants (x_F and ρ_s change by < 1e-5
#: relative from 800² to 2400² k points)
FCC_MESH = 800
#: in-plane nearest-neighbour offsets of the triangular (111) planes, (i, j) cell units
_INPLANE = ((1, 0), (0, 1), (1, -1))
#: offsets (i, j) of the three atoms of plane m that an atom (i, j) of plane m + 1 (one plane
#: farther from the layer) bonds to; the same offsets are the three N neighbours of B(i, j)
_DOWN = ((0, 0), (0, 1), (-1, 1))


def _fcc_bloch(k1, k2):
    """(ε∥/t, |h⊥|/t) of a (111) plane of the fcc metal at in-plane k (cell units)."""
    eps = -2.0 * (np.cos(k1) + np.cos(k2) + np.cos(k1 - k2))
    hop = np.abs(1.0 + np.exp(1j * k2) + np.exp(-1j * (k1 - k2)))
    return eps, hop


def _chain_surface_green(zeta, hop):
    """Retarded end-site Green function (units 1/t) of a semi-infinite chain, on-site offset
    ``zeta`` = (E − ε∥)/t and hopping ``hop`` (units t): 2/(ζ + s), s = i√(4h² − ζ²) inside
    the band, sign(ζ)√(ζ² − 4h²) outside (stable also for h → 0, where it is 1/ζ)."""
    zeta, hop = np.broadcast_arrays(np.asarray(zeta, float), np.asarray(hop, float))
    disc = zeta ** 2 - 4.0 * hop ** 2
    root = np.where(disc > 0, np.sign(zeta) * np.sqrt(np.abs(disc)) + 0j,
                    1j * np.sqrt(np.abs(disc)))
    return 2.0 / (zeta + root)


@functools.lru_cache(maxsize=1)
def fcc_band_constants() -> tuple[float, float, complex]:
    """(x_F, t ρ_s, σ_a/t) of the nearest-neighbour one-orbital fcc metal (hopping −t).

    x_F = (E_F − ε_0)/t is the Fermi level of the half-filled band (one electron per atom: a
    monovalent metal), ρ_s its (111) surface-atom density of states per spin at E_F (1/eV, times
    t), σ_a the self-energy at E_F of an atom in a surface hollow bonded with −t to its three
    surface atoms (the site of the next fcc plane). Each (111) plane at in-plane k is one orbital with on-site ε∥(k) = −2t Σ cos and hopping
    t|1 + e^{ik2} + e^{−i(k1−k2)}| to the next plane, so both follow in closed form per k (the
    fraction of a chain's band below E, the chain's end-site Green function), averaged on a
    :data:`FCC_MESH`² midpoint mesh of the surface Brillouin zone (σ_a = t² ⟨|h⊥|² g_s⟩).

    Returns
    -------
    tuple of (float, float, complex)
        x_F, t ρ_s and σ_a/t (dimensionless).
    """
    import scipy.optimize
    k = 2.0 * np.pi * (np.arange(FCC_MESH) + 0.5) / FCC_MESH
    eps, hop = _fcc_bloch(*np.meshgrid(k, k, indexing="ij"))

    def filling(x):
        ratio = np.clip(-(x - eps) / (2.0 * np.maximum(hop, 1e-300)), -1.0, 1.0)
        return float(np.mean(np.arccos(ratio))) / math.pi - 0.5

    x_f = scipy.optimize.brentq(filling, -12.0, 4.0, xtol=1e-13)
    g_s = _chain_surface_green(x_f - eps, hop)
    return float(x_f), -float(np.mean(g_s.imag)) / math.pi, complex(np.mean(hop ** 2 * g_s))


def fcc_hopping_from_fermi_energy(fermi_energy_eV: float) -> float:
    """t_m (eV) of the half-filled fcc metal whose (111) surface density of states per atom and
    spin at E_F equals the free-electron value 3/(4 E_F) (the rule of
    :func:`chain_hopping_from_fermi_energy`, applied to the fcc electrode).

    Parameters
    ----------
    fermi_energy_eV : float
        Free-electron Fermi energy of the metal, eV (> 0).

    Returns
    -------
    float
        Nearest-neighbour hopping t_m of the fcc electrode, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energy_eV` must be > 0.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV` is not a real number.

    Examples
    --------
    >>> round(fcc_hopping_from_fermi_energy(5.49), 2)      # Ag: E_F = 5.49 eV
    1.09
    """
    ef = check_real("fermi_energy_eV", fermi_energy_eV, low=0.0, low_open=True)
    return fcc_band_constants()[1] * 4.0 * ef / 3.0


def interlayer_hopping_from_decay(gap_eV: float, kappa_per_layer: float) -> float:
    """γ (eV) of AA'-stacked two-band layers whose midgap decay at K is ``kappa_per_layer``.

    At K the in-plane hopping vanishes and the stack is the chain B–N–B–N… (on-site ±Δ/2,
    hopping γ, two layers per period): E² = Δ²/4 + 2γ²(1 + cos q). At E = 0 (midgap, the
    largest decay) q = π + 2iκ, so cosh 2κ = 1 + Δ²/(8γ²) and γ = Δ / √(8 (cosh 2κ − 1)).

    Parameters
    ----------
    gap_eV : float
        Two-band gap Δ, eV (> 0).
    kappa_per_layer : float
        Midgap decay constant κ per layer at K, dimensionless (> 0).

    Returns
    -------
    float
        Interlayer hopping γ, eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `gap_eV` and `kappa_per_layer` must be > 0.
    TypeError
        If an argument has the wrong type: `gap_eV` or `kappa_per_layer` are not real numbers.

    Examples
    --------
    >>> round(interlayer_hopping_from_decay(4.5, 1.0), 4)
    0.9573
    """
    gap = check_real("gap_eV", gap_eV, low=0.0, low_open=True)
    kap = check_real("kappa_per_layer", kappa_per_layer, low=0.0, low_open=True)
    return gap / math.sqrt(8.0 * (math.cosh(2.0 * kap) - 1.0))


def layer_parameters(material: str = "MoS2", metal: str = "Cu", electrode: str = "fcc111",
                     **overrides) -> VacancyLayer:
    """:class:`VacancyLayer` of ``material`` from ``data/materials.toml``.

    MoS2 (``model="minimal"``): the ``vac_*`` keys, spacing and mass. hBN (``model="two_band"``,
    recognised by ``vac_nn_hopping_eV``): Δ = ``band_gap_pbe_eV`` (computed), t =
    ``vac_nn_hopping_eV``, E_F − E_V = ``hole_barrier_metal_eV``, γ from
    :func:`interlayer_hopping_from_decay` with the computed ``decay_midgap_per_layer`` (the
    electrode–layer vdW contact taken as one more h-BN interlayer gap), t_m from ``metal``'s
    Fermi energy by the rule of ``electrode`` (:func:`fcc_hopping_from_fermi_energy` or
    :func:`chain_hopping_from_fermi_energy`; ``metal`` is the electrode and adatom metal, Cu or
    Au), t_a = ``vac_adatom_coupling_eV``. ``electrode`` is read by the two-band model only.

    Parameters
    ----------
    material : str, optional
        Monolayer with ``vac_*`` keys in the materials database (``"MoS2"``, ``"hBN"``).
    metal : {"Cu", "Au"}, optional
        Electrode and adatom metal (two-band model only).
    electrode : {"fcc111", "chains"}, optional
        Electrodes of the two-band model (:data:`ELECTRODES`); sets t_m by its own rule.
    **overrides
        Field values of :class:`VacancyLayer` that replace the database ones.

    Returns
    -------
    VacancyLayer
        The device parameters.

    Raises
    ------
    ValueError
        ``material`` has no vacancy-memristor parameters, or a bad ``metal``, ``electrode`` or
        override.

    Examples
    --------
    >>> layer_parameters("MoS2").model, layer_parameters("hBN").model
    ('minimal', 'two_band')
    """
    electrode = check_choice("electrode", electrode, ELECTRODES)
    m = materials.get(material)
    if m.get("vac_fill_barrier_eV") is None:
        raise ValueError(f"material = {material!r} has no vacancy-memristor parameters "
                         f"(vac_* keys); allowed: MoS2, hBN")
    values = dict(fill_barrier_eV=m.vac_fill_barrier_eV, binding_eV=m.vac_binding_eV,
                  field_fraction=m.vac_field_fraction)
    if m.get("vac_nn_hopping_eV") is None:
        values.update(spacing_nm=m.lattice_constant_nm, effective_mass=m.effective_mass,
                      barrier_eV=m.vac_barrier_eV)
    else:
        metal = check_choice("metal", metal, ("Cu", "Au"))
        gap = m.band_gap_pbe_eV
        hopping = (fcc_hopping_from_fermi_energy if electrode == "fcc111"
                   else chain_hopping_from_fermi_energy)
        values.update(model="two_band", spacing_nm=m.lattice_constant_nm, gap_eV=gap,
                      nn_hopping_eV=m.vac_nn_hopping_eV,
                      fermi_above_valence_eV=m.hole_barrier_metal_eV,
                      electrode_coupling_eV=interlayer_hopping_from_decay(
                          gap, m.decay_midgap_per_layer),
                      metal_hopping_eV=hopping(materials.get(metal).fermi_energy_eV),
                      adatom_coupling_eV=m.vac_adatom_coupling_eV, electrode=electrode)
    values.update(overrides)
    return VacancyLayer(**values)


def fill_rates(layer: VacancyLayer, voltage_V: float, temperature_K: float | None = None
               ) -> tuple[float, float]:
    """(k_fill, k_empty), 1/s, at bias ``voltage_V``.

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    voltage_V : float
        Bias, V (positive lowers the fill barrier by λ·e·V).
    temperature_K : float, optional
        Temperature, K (default ``layer.temperature_K``).

    Returns
    -------
    k_fill : float
        Fill rate, Hz.
    k_empty : float
        Empty rate, Hz.

    Raises
    ------
    TypeError
        ``layer`` is not a :class:`VacancyLayer`.

    Examples
    --------
    >>> k_fill, k_empty = fill_rates(VacancyLayer(), 0.6)     # SET bias: filling wins
    >>> k_fill > 1e10 * k_empty
    True
    """
    if not isinstance(layer, VacancyLayer):
        raise TypeError(f"layer must be a VacancyLayer (see layer_parameters), got "
                        f"{type(layer).__name__}")
    v = check_real("voltage_V", voltage_V)
    temp = layer.temperature_K if temperature_K is None else temperature_K
    shift = layer.field_fraction * v
    fill, empty = arrhenius_rate(layer.attempt_frequency_Hz,
                                 [layer.fill_barrier_eV - shift,
                                  layer.fill_barrier_eV + layer.binding_eV + shift], temp)
    return float(fill), float(empty)


def fill_probability(layer: VacancyLayer, voltage_V: float, width_s: float, filled0):
    """Exact probability that a site is filled after a pulse, from state ``filled0`` (0/1).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    voltage_V : float
        Pulse amplitude, V.
    width_s : float
        Pulse width, s (≥ 0).
    filled0 : int or array_like
        Initial state(s): 0 (empty) or 1 (filled).

    Returns
    -------
    float or numpy.ndarray
        Fill probability after the pulse (shape of ``filled0``), in [0, 1].

    Raises
    ------
    ValueError
        If an argument is invalid: `width_s` must be >= 0.
    TypeError
        If an argument has the wrong type: `width_s` is not a real number.

    Examples
    --------
    >>> layer = layer_parameters("MoS2")
    >>> float(fill_probability(layer, 0.0, 0.0, 1))
    1.0
    """
    kf, ke = fill_rates(layer, voltage_V)
    t = check_real("width_s", width_s, low=0.0)
    total = kf + ke
    if math.isinf(total):       # |V| ≳ 40 V: a rate overflows, the site equilibrates at once
        p_eq, decay = (1.0 if kf > ke else 0.0), (0.0 if t > 0 else 1.0)
    elif total == 0:            # both Arrhenius rates underflow (cold): the site keeps its state
        p_eq, decay = 0.0, 1.0
    else:
        p_eq, decay = kf / total, math.exp(-total * t)
    s0 = np.asarray(filled0, float)
    return p_eq + (s0 - p_eq) * decay


def switching_voltage(layer: VacancyLayer, width_s: float, probability: float = 0.5,
                      reset: bool = False) -> float:
    """Pulse amplitude (V) that fills an empty site (``reset=False``, V > 0) or empties a
    filled one (``reset=True``, V < 0) with ``probability`` in one pulse of ``width_s``.

    Solved from the exact two-state propagator (:func:`fill_probability`, monotonic in V) by
    bracketing root finding to 1e-9 V. A SET probability at or above the zero-bias
    equilibrium fill p_eq(V→∞) = 1 is always reachable; none below V = 0 is sought.

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    width_s : float
        Pulse width, s (> 0).
    probability : float, optional
        Target switching probability, in (0, 1).
    reset : bool, optional
        Solve for the RESET (emptying, V < 0) amplitude instead of SET.

    Returns
    -------
    float
        Pulse amplitude, V (0 if the target is met at zero bias).

    Raises
    ------
    ValueError
        A bad argument, or no amplitude below 1000 V reaches ``probability``.

    Examples
    --------
    >>> layer = VacancyLayer()
    >>> v_set = switching_voltage(layer, 1e-3)
    >>> v_reset = switching_voltage(layer, 1e-3, reset=True)
    >>> round(v_set, 2), round(v_reset, 2)
    (0.59, -1.19)
    """
    import scipy.optimize
    t = check_real("width_s", width_s, low=0.0, low_open=True)
    prob = check_real("probability", probability, low=0.0, high=1.0, low_open=True,
                      high_open=True)

    def excess(v):
        if reset:
            return (1.0 - fill_probability(layer, v, t, 1)) - prob
        return fill_probability(layer, v, t, 0) - prob

    sign = -1.0 if reset else 1.0
    if excess(0.0) >= 0.0:
        return 0.0
    hi = 0.05
    while excess(sign * hi) < 0.0:
        hi *= 2.0
        if hi > 1e3:
            raise ValueError(f"no pulse amplitude below 1000 V reaches probability={prob} in "
                             f"width_s={t} (the rates are too slow)")
    return float(scipy.optimize.brentq(lambda x: excess(sign * x), 0.0, hi, xtol=1e-9)) * sign


def vacancy_sites(layer: VacancyLayer, seed: int = 0) -> list[tuple[int, int]]:
    """Positions (x, y) of the vacancies in the patch (seeded: one device = one placement).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    seed : int, optional
        Seed of the placement (≥ 0).

    Returns
    -------
    list of tuple of int
        ``layer.n_vacancies`` distinct sites (x, y), sorted.

    Raises
    ------
    ValueError
        If an argument is invalid: `seed` must be >= 0.
    TypeError
        If an argument has the wrong type: `seed` is not an integer.

    Examples
    --------
    >>> len(vacancy_sites(layer_parameters("MoS2", n_vacancies=3), seed=1))
    3
    """
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    n = layer.patch_sites
    picks = rng.choice(n * n, size=layer.n_vacancies, replace=False)
    return sorted((int(i // n), int(i % n)) for i in picks)


def sample_pulses(layer: VacancyLayer, voltages_V, widths_s, filled0, seed: int = 0
                  ) -> np.ndarray:
    """Occupations (n_pulses + 1, n_sites) through a pulse sequence, sampled exactly from the
    two-state propagator of every site (seeded ``numpy`` Generator).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    voltages_V : array_like
        Pulse amplitudes, V.
    widths_s : array_like
        Pulse widths, s (≥ 0), same length as ``voltages_V``.
    filled0 : array_like
        Initial occupation of every site, 0 or 1.
    seed : int, optional
        Seed of the sampling (≥ 0).

    Returns
    -------
    numpy.ndarray
        int8 occupations, shape (n_pulses + 1, n_sites); row 0 is ``filled0``.

    Raises
    ------
    ValueError
        ``voltages_V`` and ``widths_s`` differ in length, or a bad value.

    Examples
    --------
    >>> import numpy as np
    >>> occ = sample_pulses(VacancyLayer(), [0.6] * 3, [1e-3] * 3, np.zeros(4, int), seed=1)
    >>> occ.shape, occ.sum(axis=1).tolist()
    ((4, 4), [0, 2, 4, 4])
    """
    volts = check_array("voltages_V", voltages_V)
    widths = check_array("widths_s", widths_s, low=0.0)
    if volts.shape != widths.shape:
        raise ValueError(f"voltages_V and widths_s must have the same length, got "
                         f"{volts.size} and {widths.size}")
    rng = np.random.default_rng(np.random.SeedSequence([check_int("seed", seed, low=0), 19]))
    state = np.asarray(filled0, np.int8).copy()
    out = [state.copy()]
    for v, w in zip(volts, widths):
        p = fill_probability(layer, float(v), float(w), state)
        state = (rng.random(state.size) < p).astype(np.int8)
        out.append(state.copy())
    return np.array(out)


# --- Kwant conductance ---------------------------------------------------------------------------

def _onsite(site, e_metal, e_layer, e_fermi, n_planes, filled):
    z = site.tag[2]
    if z < 0 or z >= n_planes:
        return e_metal
    return e_fermi if (site.tag[0], site.tag[1]) in filled else e_layer


def _hop(site1, site2, t_m, t_s, n_planes):
    inside = [0 <= s.tag[2] < n_planes for s in (site1, site2)]
    return -t_s if any(inside) else -t_m


def _lead_onsite(site, e_metal):
    return e_metal


def _lead_hop(site1, site2, t_m):
    return -t_m


@functools.lru_cache(maxsize=8)
def _system(n: int, n_planes: int):
    """Finalized Kwant system: one metal plane on each side of the layer, leads along z."""
    import kwant
    lat = kwant.lattice.cubic(1, norbs=1)
    syst = kwant.Builder()
    for z in range(-1, n_planes + 1):
        for x in range(n):
            for y in range(n):
                syst[lat(x, y, z)] = _onsite
    syst[lat.neighbors()] = _hop
    for direction in (-1, 1):
        lead = kwant.Builder(kwant.TranslationalSymmetry((0, 0, direction)))
        for x in range(n):
            for y in range(n):
                lead[lat(x, y, 0)] = _lead_onsite
        lead[lat.neighbors()] = _lead_hop
        syst.attach_lead(lead)
    return syst.finalized()


def _site_set(name: str, sites, n: int) -> frozenset:
    if isinstance(sites, (str, bytes)) or not np.iterable(sites):
        raise TypeError(f"{name} must be a sequence of (x, y) integer sites, got {sites!r}")
    out = set()
    for site in sites:
        if isinstance(site, (str, bytes)) or np.ndim(site) != 1 or len(site) != 2:
            raise ValueError(f"{name} must be a sequence of (x, y) integer sites, got {site!r}")
        out.add((check_int(f"{name} x", site[0]), check_int(f"{name} y", site[1])))
    out = frozenset(out)
    if any(not (0 <= x < n and 0 <= y < n) for x, y in out):
        raise ValueError(f"{name} must lie in the {n} x {n} patch, got {sorted(out)}")
    return out


def layer_conductance(layer: VacancyLayer, filled_sites=(), vacancies=None) -> float:
    """Conductance (G0) of the patch with the given filled vacancy sites (x, y), Kwant.

    ``vacancies`` (two-band model only): every vacancy site, filled or empty (default: the
    filled ones); an empty vacancy is a missing atom. The minimal model has no empty-vacancy
    state (an empty site is a pristine layer column).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    filled_sites : sequence of (int, int), optional
        Filled vacancy sites (x, y), 0 ≤ x, y < ``patch_sites``.
    vacancies : sequence of (int, int), optional
        Every vacancy site, filled or empty (two-band model; default: ``filled_sites``).

    Returns
    -------
    float
        Conductance at E_F, T = 0 K, units of G0 = 2e²/h.

    Raises
    ------
    TypeError
        The sites are not a sequence.
    ValueError
        A site outside the patch, or a filled site that is not a vacancy.

    Examples
    --------
    >>> layer = VacancyLayer()
    >>> g_off, g_on = layer_conductance(layer), layer_conductance(layer, vacancy_sites(layer))
    >>> f"{g_off:.2g} {g_on:.3g}"
    '0.00024 1.33'
    """
    from ..infra import blas_threads
    from ..tight_binding.lattice import transmission_sweep
    n = layer.patch_sites
    filled = _site_set("filled_sites", filled_sites, n)
    if layer.model == "two_band":
        vac = filled if vacancies is None else _site_set("vacancies", vacancies, n)
        if not filled <= vac:
            raise ValueError(f"filled_sites {sorted(filled - vac)} are not vacancies "
                             f"{sorted(vac)}")
        params = _two_band_params(layer, vac, filled)
        with blas_threads(1):
            trans, _ = transmission_sweep(_two_band_system(n, layer.electrode),
                                          [params["e_fermi"]], params)
        return float(trans[0])
    t_m, t_s = layer.metal_hopping_eV, layer.layer_hopping_eV
    e_fermi = 6 * t_m                                   # half-filled metal band
    params = dict(e_metal=6 * t_m, e_layer=e_fermi + layer.barrier_eV + 6 * t_s,
                  e_fermi=e_fermi, n_planes=layer.n_planes, filled=filled, t_m=t_m, t_s=t_s)
    with blas_threads(1):
        trans, _ = transmission_sweep(_system(n, layer.n_planes), [e_fermi], params)
    return float(trans[0])


# --- two-band (h-BN) conductance -----------------------------------------------------------------
#
# Sites: honeycomb cells (i, j) of an L × L torus, sublattice a = B, b = N; each honeycomb atom
# s = 2 (i L + j) + sub has an electrode chain site (s, 0, +1) above and (s, 0, −1) below, and the
# leads continue the chains to z → ±∞. A(i, j) bonds to B(i, j), B(i, j−1), B(i+1, j−1) (mod L),
# so H_AB(k) = −t (1 + e^{−i k2} + e^{i(k1 − k2)}), k_m = 2π m / L.

_SUBLATTICE = {"B": 0, "N": 1}
_BONDS = ((0, 0), (0, -1), (1, -1))      # offsets of the three N neighbours of B(i, j)


def _two_band_params(layer: VacancyLayer, vacancies, filled) -> dict:
    sub = _SUBLATTICE[layer.vacancy_sublattice]
    e_fermi = -0.5 * layer.gap_eV + layer.fermi_above_valence_eV
    params = dict(L=layer.patch_sites, e_b=0.5 * layer.gap_eV, e_n=-0.5 * layer.gap_eV,
                  e_fermi=e_fermi,
                  e_adatom=e_fermi + layer.adatom_level_eV + _adatom_level_shift(layer),
                  vacant=frozenset((sub, x, y) for x, y in vacancies),
                  filled=frozenset((sub, x, y) for x, y in filled),
                  t=layer.nn_hopping_eV, t_a=layer.adatom_coupling_eV,
                  gamma=layer.electrode_coupling_eV, t_m=layer.metal_hopping_eV)
    if layer.electrode == "fcc111":     # half-filled band: its Fermi level at the layer's E_F
        params["e_metal"] = e_fermi - fcc_band_constants()[0] * layer.metal_hopping_eV
    return params


def _adatom_level_shift(layer: VacancyLayer) -> float:
    """Bare adatom level minus (E_F + ``adatom_level_eV``), eV: −2 Re σ_a, so that the level
    shifted by both electrodes' real self-energy sits at E_F + ``adatom_level_eV`` (with 0: a
    half-filled, charge-neutral monovalent resonance, the Friedel sum rule). Chains: Re σ = 0 at
    their band centre (no shift); fcc(111): −2 Re σ_a (:func:`fcc_band_constants`) ≈ −0.92 t_m,
    within 1 % of the metal's own on-site level −x_F t_m."""
    if layer.electrode != "fcc111":
        return 0.0
    return -2.0 * fcc_band_constants()[2].real * layer.metal_hopping_eV


def _adatom_contact(layer: VacancyLayer) -> float:
    """Total hopping c of a filled vacancy's adatom to one electrode, eV (Σ over its bonds of
    c_i² = c²): like an electrode atom, t_m to its chain, or t_m to each of the three surface
    atoms of the fcc electrode that an atom of the next (111) plane bonds to (c = √3 t_m)."""
    return layer.metal_hopping_eV * (math.sqrt(3.0) if layer.electrode == "fcc111" else 1.0)


def _surface_bonds(sub: int) -> int:
    """Number of fcc surface atoms a layer atom bonds to: B (0) sits in a hollow (3), N (1) on
    top of one surface atom (1)."""
    return 3 if sub == 0 else 1


def _atom_key(site):
    """(sublattice, i, j) of a honeycomb site (its family name ends in 0 = B or 1 = N)."""
    return (int(site.family.name[-1]), int(site.tag[0]), int(site.tag[1]))


def _tb_onsite(site, L, e_b, e_n, e_fermi, e_adatom, vacant, filled):
    key = _atom_key(site)
    if key in filled:
        return e_adatom
    if key in vacant:             # missing atom: decoupled below, any detuning from E_F
        return e_fermi + 1.0
    return e_b if key[0] == 0 else e_n


def _tb_hop(site1, site2, vacant, filled, t, t_a):
    keys = (_atom_key(site1), _atom_key(site2))
    if any(k in vacant and k not in filled for k in keys):
        return 0.0
    return -t_a if any(k in filled for k in keys) else -t


def _chain_onsite(site, e_fermi):
    return e_fermi


def _contact_hop(site1, site2, L, vacant, filled, gamma, t_m):
    chain, atom = (site1, site2) if len(site1.tag) == 3 else (site2, site1)
    key = _atom_key(atom)
    if key in filled:
        return -t_m
    return 0.0 if key in vacant else -gamma


def _chain_hop(site1, site2, t_m):
    return -t_m


def _fcc_contact_hop(site1, site2, vacant, filled, gamma, t_m):
    """Hopping of a layer atom (or adatom) to one of its fcc surface atoms: the total coupling
    (γ, or √3 t_m for an adatom) shared equally by its bonds (3 from a hollow, 1 on top)."""
    atom = site2 if len(site1.tag) == 3 else site1
    key = _atom_key(atom)
    if key in filled:
        total = math.sqrt(3.0) * t_m
    elif key in vacant:
        return 0.0
    else:
        total = gamma
    return -total / math.sqrt(_surface_bonds(key[0]))


def _metal_onsite(site, e_metal):
    return e_metal


def _fcc_lattices():
    """The fcc electrodes below and above the layer, (111) planes of the h-BN Bravais lattice.

    Tags (i, j, m): plane m = 0, 1, … counted away from the layer. A surface atom (i, j, 0) sits
    under (over) N(i, j); each farther plane is shifted in-plane by (0, a/√3) (ABC stacking), so
    the B atoms sit in the surface hollows where the next fcc plane would be. Positions are in
    units of a; plane spacing √(2/3) a (nearest neighbours all at distance a).
    """
    import kwant
    d, s3 = math.sqrt(2.0 / 3.0), math.sqrt(3.0)
    out = []
    for side, name in ((-1.0, "bottom"), (1.0, "top")):
        out.append(kwant.lattice.Monatomic(
            [(1.0, 0.0, 0.0), (0.5, 0.5 * s3, 0.0), (0.0, 1.0 / s3, side * d)],
            offset=(0.0, 1.0 / s3, side * d), name=f"fcc_{name}", norbs=1))
    return out


def _fcc_lead(lat, L: int, direction: int = 1):
    """Semi-infinite fcc(111) lead (one plane of L × L atoms per cell, periodic in-plane),
    extending towards planes m → +∞ (``direction`` 1, away from the layer) or −∞ (−1)."""
    import kwant
    lead = kwant.Builder(kwant.TranslationalSymmetry(lat.vec((0, 0, direction))))
    for i in range(L):
        for j in range(L):
            lead[lat(i, j, 0)] = _metal_onsite
    for i in range(L):
        for j in range(L):
            for di, dj in _INPLANE:
                lead[lat(i, j, 0), lat((i + di) % L, (j + dj) % L, 0)] = _chain_hop
            for di, dj in _DOWN:
                lead[lat(i, j, 1), lat((i + di) % L, (j + dj) % L, 0)] = _chain_hop
    return lead


@functools.lru_cache(maxsize=8)
def _two_band_system(L: int, electrode: str = "chains"):
    """Finalized Kwant system of the L × L honeycomb torus with its electrodes: 2 × 2L² chains
    (``"chains"``) or two fcc(111) metals with one surface plane each (``"fcc111"``)."""
    import kwant
    hc = kwant.lattice.honeycomb(1.0, norbs=1, name="hbn")
    cells = [(i, j) for i in range(L) for j in range(L)]
    syst = kwant.Builder()
    for i, j in cells:
        syst[hc.sublattices[0](i, j)] = _tb_onsite
        syst[hc.sublattices[1](i, j)] = _tb_onsite
    for i, j in cells:
        for di, dj in _BONDS:
            syst[hc.sublattices[0](i, j), hc.sublattices[1]((i + di) % L, (j + dj) % L)] = _tb_hop
    if electrode == "fcc111":
        for lat in _fcc_lattices():
            for i, j in cells:
                syst[lat(i, j, 0)] = _metal_onsite
            for i, j in cells:
                for di, dj in _INPLANE:
                    syst[lat(i, j, 0), lat((i + di) % L, (j + dj) % L, 0)] = _chain_hop
                # N(i, j) on top of surface atom (i, j); B(i, j) in the hollow of the three
                # surface atoms under its N neighbours
                syst[lat(i, j, 0), hc.sublattices[1](i, j)] = _fcc_contact_hop
                for di, dj in _BONDS:
                    syst[lat((i + di) % L, (j + dj) % L, 0), hc.sublattices[0](i, j)] = \
                        _fcc_contact_hop
            syst.attach_lead(_fcc_lead(lat, L))
        return syst.finalized()
    chain = kwant.lattice.general([(1, 0, 0), (0, 1, 0), (0, 0, 1)], norbs=1, name="electrode")
    for s, (i, j, sub) in enumerate((i, j, sub) for i, j in cells for sub in (0, 1)):
        for z in (1, -1):
            syst[chain(s, 0, z)] = _chain_onsite
            syst[chain(s, 0, z), hc.sublattices[sub](i, j)] = _contact_hop
    for direction in (1, -1):
        lead = kwant.Builder(kwant.TranslationalSymmetry((0, 0, direction)))
        for s in range(2 * L * L):
            lead[chain(s, 0, 0)] = _chain_onsite
        lead[kwant.builder.HoppingKind((0, 0, 1), chain)] = _chain_hop     # chains only along z
        syst.attach_lead(lead)
    return syst.finalized()


def two_band_hamiltonian(layer: VacancyLayer, filled_sites=(), vacancies=None
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Dense layer Hamiltonian H (eV) of the two-band patch and each orbital's electrode coupling.

    Orbitals are ordered s = 2 (i L + j) + sub (sub 0 = B, 1 = N); an empty vacancy keeps its row
    (on-site E_F + 1 eV, all couplings zero). Returns ``(H, c)`` with c_s the total hopping of
    orbital s to each electrode (γ; for a filled vacancy t_m with chains, √3 t_m with the fcc
    electrode; 0 for an empty one): with chains c_s is its one bond, with the fcc electrode
    c_s/√n_b on each of its n_b surface bonds (3 for B, 1 for N).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    filled_sites : sequence of (int, int), optional
        Filled vacancy sites (x, y), 0 ≤ x, y < ``patch_sites``.
    vacancies : sequence of (int, int), optional
        Every vacancy site, filled or empty (two-band model; default: ``filled_sites``).

    Returns
    -------
    H : numpy.ndarray
        Layer Hamiltonian, eV, shape (2L², 2L²).
    c : numpy.ndarray
        Total hopping of each orbital to each electrode, eV, shape (2L²,).

    Raises
    ------
    ValueError
        ``layer.model`` is not ``"two_band"``, or bad sites.

    Examples
    --------
    A 3 × 3 h-BN patch has 18 orbitals, each B bonded to three N (54 nonzero off-diagonal
    entries); an empty vacancy decouples its orbital from the electrodes:

    >>> import numpy as np
    >>> layer = layer_parameters("hBN", patch_sites=3, n_vacancies=2)
    >>> H, c = two_band_hamiltonian(layer)
    >>> H.shape, bool(np.allclose(H, H.T)), int(np.count_nonzero(H - np.diag(np.diag(H))))
    ((18, 18), True, 54)
    >>> sites = vacancy_sites(layer, 0)
    >>> _, c_empty = two_band_hamiltonian(layer, vacancies=sites)
    >>> _, c_one = two_band_hamiltonian(layer, filled_sites=sites[:1], vacancies=sites)
    >>> int(np.sum(c_empty == 0)), int(np.sum(c_one == 0))
    (2, 1)
    """
    if layer.model != "two_band":
        raise ValueError(f"layer.model = {layer.model!r}; two_band_hamiltonian needs 'two_band'")
    n = layer.patch_sites
    filled = _site_set("filled_sites", filled_sites, n)
    vac = filled if vacancies is None else _site_set("vacancies", vacancies, n)
    p = _two_band_params(layer, vac, filled)
    vacant, fill = p["vacant"], p["filled"]
    index = {(sub, i, j): 2 * (i * n + j) + sub for i in range(n) for j in range(n)
             for sub in (0, 1)}
    size = 2 * n * n
    H = np.zeros((size, size))
    c = np.empty(size)
    for key, s in index.items():
        if key in fill:
            H[s, s], c[s] = p["e_adatom"], _adatom_contact(layer)
        elif key in vacant:
            H[s, s], c[s] = p["e_fermi"] + 1.0, 0.0
        else:
            H[s, s], c[s] = (p["e_b"] if key[0] == 0 else p["e_n"]), p["gamma"]
    for i in range(n):
        for j in range(n):
            for di, dj in _BONDS:
                ka, kb = (0, i, j), (1, (i + di) % n, (j + dj) % n)
                if any(k in vacant and k not in fill for k in (ka, kb)):
                    continue
                hop = -p["t_a"] if (ka in fill or kb in fill) else -p["t"]
                H[index[ka], index[kb]] += hop
                H[index[kb], index[ka]] += hop
    return H, c


def electrode_surface_green(layer: VacancyLayer, cells: int | None = None) -> np.ndarray:
    """Surface Green function (1/eV) of one fcc(111) electrode at E_F on the ``cells`` ×
    ``cells`` torus (default ``layer.patch_sites``): g[m, m'] between surface atoms m = i L + j.

    Closed form per in-plane k (a semi-infinite chain of (111) planes, on-site ε∥(k), hopping
    t_m|h⊥(k)|: :func:`fcc_band_constants`), summed over the L × L k points k_m = 2π m / L.

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters (``metal_hopping_eV`` is the fcc hopping t_m).
    cells : int, optional
        Torus size L (3–64; default ``layer.patch_sites``).

    Returns
    -------
    numpy.ndarray
        Complex (L², L²) surface Green function, 1/eV.

    Raises
    ------
    ValueError
        If an argument is invalid: `cells` must be >= 3 and <= 64.
    TypeError
        If an argument has the wrong type: `cells` is not an integer.

    Examples
    --------
    >>> electrode_surface_green(VacancyLayer(model='two_band')).shape    # 6 × 6 torus
    (36, 36)
    """
    L = layer.patch_sites if cells is None else check_int("cells", cells, low=3, high=64)
    x_f = fcc_band_constants()[0]
    k = 2 * np.pi * np.arange(L) / L
    eps, hop = _fcc_bloch(*np.meshgrid(k, k, indexing="ij"))
    g_r = np.fft.ifft2(_chain_surface_green(x_f - eps, hop)) / layer.metal_hopping_eV
    idx = np.arange(L)
    di = (idx[:, None] - idx[None, :]) % L
    return g_r[di[:, None, :, None], di[None, :, None, :]].reshape(L * L, L * L)


def electrode_channels(layer: VacancyLayer, cells: int | None = None) -> int:
    """Open channels of one electrode at E_F on the ``cells`` × ``cells`` torus (default
    ``layer.patch_sites``): 2L² chains, or the fcc(111) k points with |E_F − ε∥(k)| < 2t_m|h⊥(k)|
    (the conductance of the electrodes joined without the layer).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    cells : int, optional
        Torus size L (3–4096; default ``layer.patch_sites``).

    Returns
    -------
    int
        Number of open channels of one electrode at E_F.

    Raises
    ------
    ValueError
        If an argument is invalid: `cells` must be >= 3 and <= 4096.
    TypeError
        If an argument has the wrong type: `cells` is not an integer.

    Examples
    --------
    >>> electrode_channels(VacancyLayer(model='two_band'))
    33
    """
    L = layer.patch_sites if cells is None else check_int("cells", cells, low=3, high=4096)
    if layer.electrode == "chains":
        return 2 * L * L
    k = 2 * np.pi * np.arange(L) / L
    eps, hop = _fcc_bloch(*np.meshgrid(k, k, indexing="ij"))
    return int(np.count_nonzero(np.abs(fcc_band_constants()[0] - eps) < 2 * hop))


def _contact_matrix(layer: VacancyLayer, c: np.ndarray) -> np.ndarray:
    """V (L² surface atoms × 2L² orbitals): each orbital's total coupling c_s shared by its fcc
    surface bonds (N on top of atom (i, j), B in the hollow of its three N neighbours' atoms)."""
    L = layer.patch_sites
    V = np.zeros((L * L, 2 * L * L))
    for i in range(L):
        for j in range(L):
            s_b, s_n = 2 * (i * L + j), 2 * (i * L + j) + 1
            V[i * L + j, s_n] += c[s_n]
            for di, dj in _BONDS:
                V[((i + di) % L) * L + (j + dj) % L, s_b] += c[s_b] / math.sqrt(3.0)
    return V


def direct_conductance(layer: VacancyLayer, filled_sites=(), vacancies=None) -> float:
    """The two-band conductance (G0) without Kwant: Fisher–Lee T = Tr[Γ_T G Γ_B G†].

    G = (E_F − H − Σ_T − Σ_B)⁻¹, dense numpy. Chains: Σ = −i c²/t_m per electrode and orbital
    (the semi-infinite chain's surface Green function at its band centre is exactly −i/t_m).
    fcc(111): Σ = V† g V with the closed-form surface Green function g of
    :func:`electrode_surface_green` (the same on both sides: the top metal is the mirror image).

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    filled_sites : sequence of (int, int), optional
        Filled vacancy sites (x, y), 0 ≤ x, y < ``patch_sites``.
    vacancies : sequence of (int, int), optional
        Every vacancy site, filled or empty (two-band model; default: ``filled_sites``).

    Returns
    -------
    float
        Conductance, units of G0 = 2e²/h.

    Raises
    ------
    ValueError
        ``layer.model`` is not ``"two_band"``, or bad sites.

    Examples
    --------
    >>> layer = layer_parameters("hBN", patch_sites=3)
    >>> abs(direct_conductance(layer) - two_band_floor(layer)) < 1e-9 * two_band_floor(layer)
    True
    """
    H, c = two_band_hamiltonian(layer, filled_sites, vacancies)
    e_fermi = -0.5 * layer.gap_eV + layer.fermi_above_valence_eV
    if layer.electrode == "fcc111":
        V = _contact_matrix(layer, c)
        sigma = V.T @ electrode_surface_green(layer) @ V
        gam = 1j * (sigma - sigma.conj().T)
        G = np.linalg.inv(e_fermi * np.eye(H.shape[0]) - H - 2.0 * sigma)
        return float(np.real(np.trace(gam @ G @ gam @ G.conj().T)))
    gam = 2.0 * c ** 2 / layer.metal_hopping_eV          # Γ of one electrode, per orbital
    G = np.linalg.inv(e_fermi * np.eye(H.shape[0]) - H + 1j * np.diag(gam))
    return float(np.real(np.einsum("i,ij,j,ij->", gam, G, gam, G.conj())))


def two_band_floor(layer: VacancyLayer, cells: int | None = None) -> float:
    """Tunneling conductance (G0) of the pristine two-band torus of ``cells`` × ``cells``
    (default ``layer.patch_sites``), from its bands.

    Chains: with the uniform electrode broadening Γ = 2γ²/t_m per side, the k-blocks decouple:
    T = Σ_k Σ_± Γ² / ((E_F − ε_±(k))² + Γ²), ε_± = ±√(Δ²/4 + t²|f(k)|²),
    |f|² = 3 + 2 cos k1 + 2 cos k2 + 2 cos(k1 − k2), k_m = 2π m / L.

    fcc(111): k∥ is conserved, and at each k the layer's 2 × 2 block (B, N) couples to one
    surface orbital of each metal by v(k) = −γ (f(k)/√3, 1) (B through its hollow's three
    bonds, N on top), Σ(k) = g_s(k) v v†, T = Σ_k (2 Im g_s)² |v† G(k) v|² with
    G(k) = (E_F − H(k) − 2Σ(k))⁻¹ and g_s the closed-form surface Green function.

    Parameters
    ----------
    layer : VacancyLayer
        Device parameters.
    cells : int, optional
        Torus size L in cells (chains 1–4096, fcc111 3–512; default ``layer.patch_sites``).

    Returns
    -------
    float
        Tunneling conductance of the pristine layer, units of G0 = 2e²/h.

    Raises
    ------
    ValueError
        ``layer.model`` is not ``"two_band"``, or ``cells`` out of range.

    Examples
    --------
    >>> f"{two_band_floor(VacancyLayer(model='two_band')):.2g}"
    '0.024'
    """
    if layer.model != "two_band":
        raise ValueError(f"layer.model = {layer.model!r}; two_band_floor needs 'two_band'")
    # fcc: 2 × 2 complex blocks per k point, ~1 KiB each at most: 512² k points ≈ 0.3 GB
    low, high = (3, 512) if layer.electrode == "fcc111" else (1, 4096)
    L = layer.patch_sites if cells is None else check_int("cells", cells, low=low, high=high)
    k = 2 * np.pi * np.arange(L) / L
    k1, k2 = np.meshgrid(k, k, indexing="ij")
    e_fermi = -0.5 * layer.gap_eV + layer.fermi_above_valence_eV
    if layer.electrode == "fcc111":
        f = 1.0 + np.exp(-1j * k2) + np.exp(1j * (k1 - k2))
        eps_m, hop = _fcc_bloch(k1, k2)
        g_s = _chain_surface_green(fcc_band_constants()[0] - eps_m, hop) / layer.metal_hopping_eV
        gm = layer.electrode_coupling_eV
        v = np.stack([gm * f / math.sqrt(3.0), np.full_like(f, gm)], axis=-1)   # (L, L, 2)
        h = np.zeros(f.shape + (2, 2), complex)
        h[..., 0, 0], h[..., 1, 1] = 0.5 * layer.gap_eV, -0.5 * layer.gap_eV
        h[..., 0, 1] = -layer.nn_hopping_eV * f
        h[..., 1, 0] = np.conj(h[..., 0, 1])
        sigma = g_s[..., None, None] * v[..., :, None] * np.conj(v[..., None, :])
        green = np.linalg.inv(e_fermi * np.eye(2) - h - 2.0 * sigma)
        amp = np.einsum("...i,...ij,...j->...", np.conj(v), green, v)
        return float(np.sum((2.0 * g_s.imag) ** 2 * np.abs(amp) ** 2))
    f2 = 3 + 2 * np.cos(k1) + 2 * np.cos(k2) + 2 * np.cos(k1 - k2)
    eps = np.sqrt(0.25 * layer.gap_eV ** 2 + layer.nn_hopping_eV ** 2 * np.maximum(f2, 0.0))
    gam = 2.0 * layer.electrode_coupling_eV ** 2 / layer.metal_hopping_eV
    return float(np.sum(gam ** 2 / ((e_fermi - eps) ** 2 + gam ** 2)
                        + gam ** 2 / ((e_fermi + eps) ** 2 + gam ** 2)))


@register("vacancy2d.pulse_train", params=[
    Param("material", str, "MoS2", doc="monolayer with vac_* parameters (MoS2, hBN)"),
    Param("patch_sites", int, 6, low=1, high=12, doc="patch is N x N sites"),
    Param("n_vacancies", int, 4, low=0, doc="vacancy sites in the patch"),
    Param("temperature_K", float, 300.0, low=1.0, high=MAX_TEMPERATURE_K, doc="temperature"),
    Param("set_voltage_V", float, 0.5, doc="SET pulse amplitude"),
    Param("set_width_s", float, 1e-3, low=0.0, low_open=True, doc="SET pulse width"),
    Param("reset_voltage_V", float, -1.0, doc="RESET pulse amplitude"),
    Param("reset_width_s", float, 1e-3, low=0.0, low_open=True, doc="RESET pulse width"),
    Param("n_pulses", int, 8, low=1, high=10**4, doc="pulses per branch"),
    Param("seed", int, 0, low=0, doc="seed of the vacancy placement (the device)"),
    Param("kinetics_seed", int, None, low=0, optional=True,
          doc="seed of the stochastic filling (None: seed); another value = another cycle"),
    Param("electrode", str, "fcc111", choices=ELECTRODES,
          doc="two-band (h-BN) electrodes: fcc111 (k-conserving metal) or chains (local)"),
], summary="2-D vacancy memristor: adatom filling of vacancies under pulses, Kwant conductance",
   outputs=("pulse_voltage_V", "pulse_width_s", "filled", "conductance_G0", "conductance_S", "levels_G0"))
def pulse_train(material: str = "MoS2", patch_sites: int = 6, n_vacancies: int = 4,
                temperature_K: float = 300.0, set_voltage_V: float = 0.5,
                set_width_s: float = 1e-3, reset_voltage_V: float = -1.0,
                reset_width_s: float = 1e-3, n_pulses: int = 8, seed: int = 0,
                kinetics_seed: int | None = None, electrode: str = "fcc111") -> Result:
    """SET then RESET pulses from an all-empty layer: filled sites and conductance per pulse.

    ``levels_G0[k]`` is the conductance with the first k vacancies (in placement order) filled,
    k = 0 … n_vacancies: the ladder of states the device can visit.

    Parameters
    ----------
    material : str, optional
        Monolayer with ``vac_*`` parameters (``"MoS2"``, ``"hBN"``).
    patch_sites : int, optional
        Patch size N (N × N sites, 1–12).
    n_vacancies : int, optional
        Vacancy sites in the patch (0 ≤ n ≤ N²).
    temperature_K : float, optional
        Temperature, K (> 0).
    set_voltage_V : float, optional
        SET pulse amplitude, V.
    set_width_s : float, optional
        SET pulse width, s (> 0).
    reset_voltage_V : float, optional
        RESET pulse amplitude, V.
    reset_width_s : float, optional
        RESET pulse width, s (> 0).
    n_pulses : int, optional
        Pulses per branch (≥ 1).
    seed : int, optional
        Seed of the vacancy placement (the device, ≥ 0).
    kinetics_seed : int or None, optional
        Seed of the stochastic filling (≥ 0); ``None``: ``seed``.
    electrode : {"fcc111", "chains"}, optional
        Electrodes of the two-band (h-BN) model (:data:`ELECTRODES`); not read by MoS₂.

    Returns
    -------
    Result
        Kind ``"vacancy2d.pulse_train"``: per state (index 0 = initial) ``pulse_voltage_V`` (V),
        ``pulse_width_s`` (s), ``filled`` (0/1 per site), ``conductance_G0`` (G0),
        ``conductance_S`` (S); and ``levels_G0`` (G0, k = 0 … n_vacancies filled).

    Raises
    ------
    ValueError
        If an argument is invalid: `n_pulses` must be >= 1; `seed` and `kinetics_seed` must be
        >= 0.
    TypeError
        If an argument has the wrong type: `n_pulses`, `seed` or `kinetics_seed` are not
        integers.

    Examples
    --------
    At ±2 V the SET pulses fill both vacancies of a small MoS₂ patch (fill probability 1) and
    the RESET pulses empty them, so the conductance jumps between the ends of the ladder:

    >>> import numpy as np
    >>> r = pulse_train("MoS2", patch_sites=3, n_vacancies=2, n_pulses=2, set_voltage_V=2.0,
    ...                 reset_voltage_V=-2.0)
    >>> r.filled.tolist()
    [[0, 0], [1, 1], [1, 1], [0, 0], [0, 0]]
    >>> bool(np.all(np.diff(r.levels_G0) > 0))
    True
    >>> g = r.conductance_G0
    >>> bool(g[1] == r.levels_G0[-1] and g[-1] == r.levels_G0[0])
    True
    """
    layer = layer_parameters(material, patch_sites=patch_sites, n_vacancies=n_vacancies,
                             temperature_K=temperature_K, electrode=electrode)
    n = check_int("n_pulses", n_pulses, low=1)
    seed = check_int("seed", seed, low=0)
    sites = vacancy_sites(layer, seed)
    kseed = seed if kinetics_seed is None else check_int("kinetics_seed", kinetics_seed, low=0)
    volts = [0.0] + [set_voltage_V] * n + [reset_voltage_V] * n
    widths = [0.0] + [set_width_s] * n + [reset_width_s] * n
    states = sample_pulses(layer, volts[1:], widths[1:], np.zeros(len(sites), np.int8), kseed)
    cache: dict = {}

    def g_of(s):
        key = tuple(int(i) for i in s)
        if key not in cache:
            cache[key] = layer_conductance(layer, [site for site, f in zip(sites, s) if f],
                                           vacancies=sites)
        return cache[key]

    g = np.array([g_of(s) for s in states])
    levels = np.array([layer_conductance(layer, sites[:k], vacancies=sites)
                       for k in range(len(sites) + 1)])
    params = dict(material=material, patch_sites=patch_sites, n_vacancies=n_vacancies,
                  temperature_K=temperature_K, set_voltage_V=set_voltage_V,
                  set_width_s=set_width_s, reset_voltage_V=reset_voltage_V,
                  reset_width_s=reset_width_s, n_pulses=n, seed=seed, kinetics_seed=kseed,
                  electrode=electrode)
    return Result("vacancy2d.pulse_train", params, {
        "pulse_voltage_V": np.array(volts, float), "pulse_width_s": np.array(widths, float), "filled": np.array(states),
        "conductance_G0": g, "conductance_S": g * G0, "levels_G0": levels})


_declare("vacancy2d.pulse_train", dims={"pulse_voltage_V": ("pulse",), "pulse_width_s": ("pulse",),
                                        "filled": ("pulse", "site"),
                                        "conductance_G0": ("pulse",), "conductance_S": ("pulse",),
                                        "levels_G0": ("n_filled",)},
         y=("conductance_G0",), style="step")
