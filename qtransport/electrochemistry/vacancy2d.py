"""2-D vacancy memristor: metal adatoms filling vacancy sites of a monolayer (MoS₂-type).

A documented minimal model of the vertical "atomristor" (metal / monolayer / metal):

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
"""
from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np

from .. import materials
from ..constants import G0, thermal_energy_eV
from ..errors import check_array, check_int, check_real
from ..registry import Param, register
from ..results import Result, declare as _declare

__all__ = ["VacancyLayer", "layer_parameters", "fill_rates", "fill_probability", "sample_pulses",
           "vacancy_sites", "layer_conductance", "pulse_train"]


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

    def __post_init__(self):
        check_int("patch_sites", self.patch_sites, low=1, high=12)
        check_int("n_planes", self.n_planes, low=1, high=6)
        check_int("n_vacancies", self.n_vacancies, low=0, high=self.patch_sites ** 2)
        for key in ("spacing_nm", "effective_mass", "barrier_eV", "metal_hopping_eV",
                    "attempt_frequency_Hz", "temperature_K"):
            check_real(key, getattr(self, key), low=0.0, low_open=True)
        check_real("fill_barrier_eV", self.fill_barrier_eV, low=0.0)
        check_real("binding_eV", self.binding_eV)
        check_real("field_fraction", self.field_fraction, low=0.0, high=1.0)

    @property
    def layer_hopping_eV(self) -> float:
        """t_s = ħ²/(2 m* a²), eV."""
        from ..tight_binding.lattice import hopping_eV
        return hopping_eV(self.effective_mass, self.spacing_nm)


def layer_parameters(material: str = "MoS2", **overrides) -> VacancyLayer:
    """:class:`VacancyLayer` with the ``vac_*`` keys, spacing and mass of ``material``."""
    m = materials.get(material)
    if m.get("vac_fill_barrier_eV") is None:
        raise ValueError(f"material = {material!r} has no vacancy-memristor parameters "
                         f"(vac_* keys); allowed: MoS2")
    values = dict(spacing_nm=m.lattice_constant_nm, effective_mass=m.effective_mass,
                  barrier_eV=m.vac_barrier_eV, fill_barrier_eV=m.vac_fill_barrier_eV,
                  binding_eV=m.vac_binding_eV, field_fraction=m.vac_field_fraction)
    values.update(overrides)
    return VacancyLayer(**values)


def fill_rates(layer: VacancyLayer, voltage_V: float, temperature_K: float | None = None
               ) -> tuple[float, float]:
    """(k_fill, k_empty), 1/s, at bias ``voltage_V``."""
    v = check_real("voltage_V", voltage_V)
    kt = thermal_energy_eV(layer.temperature_K if temperature_K is None else
                           check_real("temperature_K", temperature_K, low=0.0, low_open=True))
    shift = layer.field_fraction * v
    nu = layer.attempt_frequency_Hz
    return (nu * math.exp(-(layer.fill_barrier_eV - shift) / kt),
            nu * math.exp(-(layer.fill_barrier_eV + layer.binding_eV + shift) / kt))


def fill_probability(layer: VacancyLayer, voltage_V: float, width_s: float, filled0):
    """Exact probability that a site is filled after a pulse, from state ``filled0`` (0/1)."""
    kf, ke = fill_rates(layer, voltage_V)
    t = check_real("width_s", width_s, low=0.0)
    p_eq = kf / (kf + ke)
    s0 = np.asarray(filled0, float)
    return p_eq + (s0 - p_eq) * math.exp(-(kf + ke) * t)


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


def layer_conductance(layer: VacancyLayer, filled_sites=()) -> float:
    """Conductance (G0) of the patch with the given filled vacancy columns (x, y)."""
    from ..infra import blas_threads
    from ..tight_binding.lattice import transmission_sweep
    n = layer.patch_sites
    filled = frozenset((int(x), int(y)) for x, y in filled_sites)
    if any(not (0 <= x < n and 0 <= y < n) for x, y in filled):
        raise ValueError(f"filled_sites must lie in the {n} x {n} patch, got {sorted(filled)}")
    t_m, t_s = layer.metal_hopping_eV, layer.layer_hopping_eV
    e_fermi = 6 * t_m                                   # half-filled metal band
    params = dict(e_metal=6 * t_m, e_layer=e_fermi + layer.barrier_eV + 6 * t_s,
                  e_fermi=e_fermi, n_planes=layer.n_planes, filled=filled, t_m=t_m, t_s=t_s)
    with blas_threads(1):
        trans, _ = transmission_sweep(_system(n, layer.n_planes), [e_fermi], params)
    return float(trans[0])


@register("vacancy2d.pulse_train", params=[
    Param("material", str, "MoS2", doc="monolayer with vac_* parameters"),
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
            cache[key] = layer_conductance(layer, [site for site, f in zip(sites, s) if f])
        return cache[key]

    g = np.array([g_of(s) for s in states])
    levels = np.array([layer_conductance(layer, sites[:k]) for k in range(len(sites) + 1)])
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
