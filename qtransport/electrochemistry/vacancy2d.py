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
  neighbour hopping −t. Every atom couples vertically, with hopping γ, to its own semi-infinite
  one-orbital chain above (top electrode) and below (bottom electrode), chain hopping t_m with the
  Fermi level at the chain's band centre (Kwant leads: 2·2L² chains). At E_F the chain's surface
  Green function is −i/t_m, so each atom gets the energy-independent (wide-band) self-energy
  −iγ²/t_m per electrode: G_off is tunneling through one layer, computed exactly (the k-sum
  formula of :func:`two_band_floor`). t_m is set by the electrode metal's free-electron density
  of states per atom and spin, ρ = 3/(4 E_F^metal) = 1/(π t_m) (the chain's surface value). A vacancy site (B by default) is
  removed from the layer while empty; a filled vacancy holds a metal adatom: one s orbital at
  E_F (a monovalent adatom's half-filled resonance: Friedel sum rule), bonded to both electrodes
  like an electrode atom (hopping t_m: the conducting bridge) and to its three layer neighbours
  with t_a. Its resonance carries one channel with T ≈ 1 (Breit–Wigner, width 2 t_m per side),
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
from ..errors import MAX_ENERGY_EV
from ..registry import Param, register
from ..results import Result, declare as _declare
from .rates import arrhenius_rate

__all__ = ["VacancyLayer", "MODELS", "layer_parameters", "fill_rates", "fill_probability",
           "sample_pulses", "switching_voltage", "vacancy_sites", "layer_conductance",
           "two_band_hamiltonian", "direct_conductance", "two_band_floor",
           "chain_hopping_from_fermi_energy", "interlayer_hopping_from_decay", "pulse_train"]

#: conductance models: "minimal" (cubic planes, MoS₂), "two_band" (honeycomb p_z, h-BN)
MODELS = ("minimal", "two_band")


@dataclasses.dataclass(frozen=True)
class VacancyLayer:
    """Parameters of the 2-D vacancy memristor (see the module docstring).

    Attributes
    ----------
    patch_sites : int
        N: the patch is N × N sites.
    n_planes : int
        Atomic planes of the monolayer.
    n_vacancies : int
        Vacancy sites in the patch.
    spacing_nm, effective_mass : float
        In-plane spacing a (nm) and conduction-band mass m*/m_e of the layer.
    barrier_eV : float
        φ_B, layer band bottom above the electrode Fermi level, eV.
    metal_hopping_eV : float
        Electrode hopping t_m, eV.
    fill_barrier_eV, binding_eV, field_fraction, attempt_frequency_Hz : float
        E_a, ΔE, λ and ν of the fill/empty rates.
    temperature_K : float
    model : str
        Conductance model, one of :data:`MODELS`. The fields below are read by ``"two_band"``
        only (``patch_sites`` is then L, the torus of L × L honeycomb cells, L ≥ 2, and the
        vacancies sit on L² sites of one sublattice; ``n_planes``, ``effective_mass`` and
        ``barrier_eV`` are read by ``"minimal"`` only).
    gap_eV : float
        Δ: B on-site +Δ/2, N on-site −Δ/2 (gap at K), eV.
    nn_hopping_eV : float
        t, nearest-neighbour π hopping, eV.
    fermi_above_valence_eV : float
        E_F − E_V: electrode Fermi level above the valence edge −Δ/2, eV (0 < · < Δ).
    electrode_coupling_eV : float
        γ, hopping of every layer atom to its electrode chain above and below, eV.
    adatom_coupling_eV : float
        t_a, hopping of a filled vacancy's adatom to its three layer neighbours, eV.
    adatom_level_eV : float
        Adatom s level minus E_F, eV (0: half-filled monovalent resonance).
    vacancy_sublattice : str
        "B" or "N": the sublattice of the vacancies.
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

    def __post_init__(self):
        check_choice("model", self.model, MODELS)
        check_int("patch_sites", self.patch_sites, low=2 if self.model == "two_band" else 1,
                  high=12)
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
    free-electron density of states per atom and spin of a monovalent metal, 3/(4 E_F)."""
    ef = check_real("fermi_energy_eV", fermi_energy_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    return 4.0 * ef / (3.0 * math.pi)


def interlayer_hopping_from_decay(gap_eV: float, kappa_per_layer: float) -> float:
    """γ (eV) of AA'-stacked two-band layers whose midgap decay at K is ``kappa_per_layer``.

    At K the in-plane hopping vanishes and the stack is the chain B–N–B–N… (on-site ±Δ/2,
    hopping γ, two layers per period): E² = Δ²/4 + 2γ²(1 + cos q). At E = 0 (midgap, the
    largest decay) q = π + 2iκ, so cosh 2κ = 1 + Δ²/(8γ²) and γ = Δ / √(8 (cosh 2κ − 1)).
    """
    gap = check_real("gap_eV", gap_eV, low=0.0, low_open=True)
    kap = check_real("kappa_per_layer", kappa_per_layer, low=0.0, low_open=True)
    return gap / math.sqrt(8.0 * (math.cosh(2.0 * kap) - 1.0))


def layer_parameters(material: str = "MoS2", metal: str = "Cu", **overrides) -> VacancyLayer:
    """:class:`VacancyLayer` of ``material`` from ``data/materials.toml``.

    MoS2 (``model="minimal"``): the ``vac_*`` keys, spacing and mass. hBN (``model="two_band"``,
    recognised by ``vac_nn_hopping_eV``): Δ = ``band_gap_pbe_eV`` (computed), t =
    ``vac_nn_hopping_eV``, E_F − E_V = ``hole_barrier_metal_eV``, γ from
    :func:`interlayer_hopping_from_decay` with the computed ``decay_midgap_per_layer`` (the
    electrode–layer vdW contact taken as one more h-BN interlayer gap), t_m from ``metal``'s
    Fermi energy (:func:`chain_hopping_from_fermi_energy`; ``metal`` is the electrode and adatom
    metal, Cu or Au), t_a = ``vac_adatom_coupling_eV``.
    """
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
        values.update(model="two_band", spacing_nm=m.lattice_constant_nm, gap_eV=gap,
                      nn_hopping_eV=m.vac_nn_hopping_eV,
                      fermi_above_valence_eV=m.hole_barrier_metal_eV,
                      electrode_coupling_eV=interlayer_hopping_from_decay(
                          gap, m.decay_midgap_per_layer),
                      metal_hopping_eV=chain_hopping_from_fermi_energy(
                          materials.get(metal).fermi_energy_eV),
                      adatom_coupling_eV=m.vac_adatom_coupling_eV)
    values.update(overrides)
    return VacancyLayer(**values)


def fill_rates(layer: VacancyLayer, voltage_V: float, temperature_K: float | None = None
               ) -> tuple[float, float]:
    """(k_fill, k_empty), 1/s, at bias ``voltage_V``."""
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
    """Exact probability that a site is filled after a pulse, from state ``filled0`` (0/1)."""
    kf, ke = fill_rates(layer, voltage_V)
    t = check_real("width_s", width_s, low=0.0)
    total = kf + ke
    if math.isinf(total):       # |V| ≳ 40 V: a rate overflows, the site equilibrates at once
        p_eq, decay = (1.0 if kf > ke else 0.0), (0.0 if t > 0 else 1.0)
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
    """Positions (x, y) of the vacancies in the patch (seeded: one device = one placement)."""
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    n = layer.patch_sites
    picks = rng.choice(n * n, size=layer.n_vacancies, replace=False)
    return sorted((int(i // n), int(i % n)) for i in picks)


def sample_pulses(layer: VacancyLayer, voltages_V, widths_s, filled0, seed: int = 0
                  ) -> np.ndarray:
    """Occupations (n_pulses + 1, n_sites) through a pulse sequence, sampled exactly from the
    two-state propagator of every site (seeded ``numpy`` Generator)."""
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
            trans, _ = transmission_sweep(_two_band_system(n), [params["e_fermi"]], params)
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
    return dict(L=layer.patch_sites, e_b=0.5 * layer.gap_eV, e_n=-0.5 * layer.gap_eV,
                e_fermi=e_fermi, e_adatom=e_fermi + layer.adatom_level_eV,
                vacant=frozenset((sub, x, y) for x, y in vacancies),
                filled=frozenset((sub, x, y) for x, y in filled),
                t=layer.nn_hopping_eV, t_a=layer.adatom_coupling_eV,
                gamma=layer.electrode_coupling_eV, t_m=layer.metal_hopping_eV)


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


@functools.lru_cache(maxsize=8)
def _two_band_system(L: int):
    """Finalized Kwant system of the L × L honeycomb torus with its 2 × 2L² electrode chains."""
    import kwant
    hc = kwant.lattice.honeycomb(1.0, norbs=1, name="hbn")
    cells = [(i, j) for i in range(L) for j in range(L)]
    chain = kwant.lattice.general([(1, 0, 0), (0, 1, 0), (0, 0, 1)], norbs=1, name="electrode")
    syst = kwant.Builder()
    for i, j in cells:
        syst[hc.sublattices[0](i, j)] = _tb_onsite
        syst[hc.sublattices[1](i, j)] = _tb_onsite
    for i, j in cells:
        for di, dj in _BONDS:
            syst[hc.sublattices[0](i, j), hc.sublattices[1]((i + di) % L, (j + dj) % L)] = _tb_hop
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
    (on-site E_F + 1 eV, all couplings zero). Returns ``(H, c)`` with c_s the hopping to each
    electrode chain (γ, t_m for a filled vacancy, 0 for an empty one).
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
            H[s, s], c[s] = p["e_adatom"], p["t_m"]
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


def direct_conductance(layer: VacancyLayer, filled_sites=(), vacancies=None) -> float:
    """The two-band conductance (G0) without Kwant: Fisher–Lee T = Tr[Γ_T G Γ_B G†].

    G = (E_F − H − Σ_T − Σ_B)⁻¹ with Σ = −i c²/t_m per electrode (the semi-infinite chain's
    surface Green function at its band centre is exactly −i/t_m), dense numpy.
    """
    H, c = two_band_hamiltonian(layer, filled_sites, vacancies)
    e_fermi = -0.5 * layer.gap_eV + layer.fermi_above_valence_eV
    gam = 2.0 * c ** 2 / layer.metal_hopping_eV          # Γ of one electrode, per orbital
    G = np.linalg.inv(e_fermi * np.eye(H.shape[0]) - H + 1j * np.diag(gam))
    return float(np.real(np.einsum("i,ij,j,ij->", gam, G, gam, G.conj())))


def two_band_floor(layer: VacancyLayer, cells: int | None = None) -> float:
    """Tunneling conductance (G0) of the pristine two-band torus of ``cells`` × ``cells``
    (default ``layer.patch_sites``), from its bands.

    With the uniform electrode broadening Γ = 2γ²/t_m per side, the k-blocks decouple:
    T = Σ_k Σ_± Γ² / ((E_F − ε_±(k))² + Γ²), ε_± = ±√(Δ²/4 + t²|f(k)|²),
    |f|² = 3 + 2 cos k1 + 2 cos k2 + 2 cos(k1 − k2), k_m = 2π m / L.
    """
    if layer.model != "two_band":
        raise ValueError(f"layer.model = {layer.model!r}; two_band_floor needs 'two_band'")
    L = layer.patch_sites if cells is None else check_int("cells", cells, low=1, high=4096)
    k = 2 * np.pi * np.arange(L) / L
    k1, k2 = np.meshgrid(k, k, indexing="ij")
    f2 = 3 + 2 * np.cos(k1) + 2 * np.cos(k2) + 2 * np.cos(k1 - k2)
    eps = np.sqrt(0.25 * layer.gap_eV ** 2 + layer.nn_hopping_eV ** 2 * np.maximum(f2, 0.0))
    e_fermi = -0.5 * layer.gap_eV + layer.fermi_above_valence_eV
    gam = 2.0 * layer.electrode_coupling_eV ** 2 / layer.metal_hopping_eV
    return float(np.sum(gam ** 2 / ((e_fermi - eps) ** 2 + gam ** 2)
                        + gam ** 2 / ((e_fermi + eps) ** 2 + gam ** 2)))


@register("vacancy2d.pulse_train", params=[
    Param("material", str, "MoS2", doc="monolayer with vac_* parameters (MoS2, hBN)"),
    Param("patch_sites", int, 6, low=1, high=12, doc="patch is N x N sites"),
    Param("n_vacancies", int, 4, low=0, doc="vacancy sites in the patch"),
    Param("temperature_K", float, 300.0, low=0.0, low_open=True, doc="temperature"),
    Param("set_voltage_V", float, 0.5, doc="SET pulse amplitude"),
    Param("set_width_s", float, 1e-3, low=0.0, low_open=True, doc="SET pulse width"),
    Param("reset_voltage_V", float, -1.0, doc="RESET pulse amplitude"),
    Param("reset_width_s", float, 1e-3, low=0.0, low_open=True, doc="RESET pulse width"),
    Param("n_pulses", int, 8, low=1, doc="pulses per branch"),
    Param("seed", int, 0, low=0, doc="seed of the vacancy placement (the device)"),
    Param("kinetics_seed", int, None, low=0, optional=True,
          doc="seed of the stochastic filling (None: seed); another value = another cycle"),
], summary="2-D vacancy memristor: adatom filling of vacancies under pulses, Kwant conductance",
   outputs=("pulse_voltage_V", "pulse_width_s", "filled", "conductance_G0", "conductance_S", "levels_G0"))
def pulse_train(material: str = "MoS2", patch_sites: int = 6, n_vacancies: int = 4,
                temperature_K: float = 300.0, set_voltage_V: float = 0.5,
                set_width_s: float = 1e-3, reset_voltage_V: float = -1.0,
                reset_width_s: float = 1e-3, n_pulses: int = 8, seed: int = 0,
                kinetics_seed: int | None = None) -> Result:
    """SET then RESET pulses from an all-empty layer: filled sites and conductance per pulse.

    ``levels_G0[k]`` is the conductance with the first k vacancies (in placement order) filled,
    k = 0 … n_vacancies: the ladder of states the device can visit.
    """
    layer = layer_parameters(material, patch_sites=patch_sites, n_vacancies=n_vacancies,
                             temperature_K=temperature_K)
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
                  reset_width_s=reset_width_s, n_pulses=n, seed=seed, kinetics_seed=kseed)
    return Result("vacancy2d.pulse_train", params, {
        "pulse_voltage_V": np.array(volts, float), "pulse_width_s": np.array(widths, float), "filled": np.array(states),
        "conductance_G0": g, "conductance_S": g * G0, "levels_G0": levels})


_declare("vacancy2d.pulse_train", dims={"pulse_voltage_V": ("pulse",), "pulse_width_s": ("pulse",),
                                        "filled": ("pulse", "site"),
                                        "conductance_G0": ("pulse",), "conductance_S": ("pulse",),
                                        "levels_G0": ("n_filled",)},
         y=("conductance_G0",), style="step")
