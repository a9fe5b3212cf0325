"""h-BN vacancy memristor (two-band model): tunneling floor, Breit–Wigner adatom, Kwant = direct,
monotonic levels, detailed balance and Arrhenius slope of the shared occupation kinetics."""
import dataclasses
import math

import kwant
import numpy as np
import pytest

from qtransport import devices, materials
from qtransport.constants import thermal_energy_eV
from qtransport.electrochemistry import vacancy2d as v
from qtransport.tight_binding.complex_bands import bloch_factors

#: the local-chain electrodes (``electrode="chains"``): the wide-band −iγ²/t_m contact these
#: analytic limits are written for (the fcc(111) electrode: test_vacancy2d_electrode.py)
HBN = v.layer_parameters("hBN", patch_sites=4, n_vacancies=4, electrode="chains")


def test_parameters_come_from_the_materials_table():
    m = materials.get("hBN")
    assert HBN.model == "two_band" and HBN.gap_eV == m.band_gap_pbe_eV
    assert HBN.fermi_above_valence_eV == m.hole_barrier_metal_eV
    # t_m: the surface DOS of the electrode chain at its band centre, computed by Kwant from the
    # lead's self-energy (ρ = −Im Σ / (π t_m²)), equals the free-electron DOS per atom and spin
    # 3/(4 E_F) of Cu; only the self-energy's round-off enters (1e-12)
    lead = kwant.Builder(kwant.TranslationalSymmetry((1,)))
    chain = kwant.lattice.chain(norbs=1)
    lead[chain(0)] = 0.0
    lead[chain.neighbors()] = -HBN.metal_hopping_eV
    sigma = lead.finalized().selfenergy(0.0)[0, 0]
    surface_dos = -sigma.imag / (math.pi * HBN.metal_hopping_eV ** 2)
    assert surface_dos == pytest.approx(3 / (4 * materials.get("Cu").fermi_energy_eV), rel=1e-12)
    assert v.layer_parameters("hBN", metal="Au", electrode="chains").metal_hopping_eV < \
        HBN.metal_hopping_eV
    assert v.layer_parameters("MoS2").model == "minimal"


def test_electrode_coupling_reproduces_the_computed_decay_in_the_stacked_model():
    """γ solves cosh 2κ = 1 + Δ²/8γ²; check it against the complex bands of the stack at K.

    Two-layer cell (B of layer 1, N of layer 2) coupled by γ inside and between cells: the
    smallest |ln λ| at midgap is κ per cell = 2 κ_layer (eigen-solver accuracy ~1e-12).
    """
    gam, gap = HBN.electrode_coupling_eV, HBN.gap_eV
    h0 = np.array([[gap / 2, -gam], [-gam, -gap / 2]])
    h1 = np.array([[0.0, 0.0], [-gam, 0.0]])          # N(cell n) – B(cell n + 1)
    lam = bloch_factors({0: h0, 1: h1, -1: h1.T}, 0.0)
    kappa_cell = abs(math.log(abs(lam[0])))
    assert kappa_cell / 2 == pytest.approx(materials.get("hBN").decay_midgap_per_layer,
                                           rel=1e-9)
    # κ is largest at midgap (E = 0) in the model, as the computed value is the gap maximum
    off = [abs(math.log(abs(bloch_factors({0: h0, 1: h1, -1: h1.T}, e)[0]))) for e in (-1, 1)]
    assert max(off) < kappa_cell


@pytest.mark.parametrize("cells", [3, 4])
def test_empty_monolayer_is_the_band_formula_tunneling_floor(cells):
    layer = dataclasses.replace(HBN, patch_sites=cells, n_vacancies=0)
    g = v.layer_conductance(layer)
    # independent: k-sum over the two bands with the wide-band broadening (exact algebra)
    assert g == pytest.approx(v.two_band_floor(layer), rel=1e-10)
    # tunneling, not a band state: per cell ≪ 1; the L × L torus samples an L × L k mesh
    # (L = 3 contains K, the closest band edge: +13 %), converged to 1e-6 by L = 60
    per_cell = v.two_band_floor(layer, 60) / 60 ** 2
    assert per_cell == pytest.approx(v.two_band_floor(layer, 120) / 120 ** 2, rel=1e-6)
    assert g / cells ** 2 == pytest.approx(per_cell, rel=0.15) and per_cell < 1e-2
    # and it falls as γ⁴ (two vertical hops, wide-band): halving γ divides it by ≈ 16
    half = dataclasses.replace(layer, electrode_coupling_eV=layer.electrode_coupling_eV / 2)
    assert v.layer_conductance(half) / g == pytest.approx(1 / 16, rel=0.05)


@pytest.mark.parametrize("sublattice", ["B", "N"])
def test_kwant_equals_the_direct_fisher_lee_calculation(sublattice):
    layer = dataclasses.replace(HBN, vacancy_sublattice=sublattice)
    rng = np.random.default_rng(3)
    sites = v.vacancy_sites(layer, seed=2)
    for _ in range(4):
        filled = [s for s in sites if rng.random() < 0.5]
        # same Hamiltonian, Kwant leads vs exact −i c²/t_m self-energies: rounding only
        assert v.layer_conductance(layer, filled, vacancies=sites) == pytest.approx(
            v.direct_conductance(layer, filled, vacancies=sites), abs=1e-10)


@pytest.mark.parametrize("offset_eV", [-3.0, 0.0, 1.5, 4.0])
def test_single_adatom_is_a_breit_wigner_resonance(offset_eV):
    """Adatom decoupled from the layer (t_a = 0): G(filled) − G(empty vacancy) is exactly the
    resonant level T = Γ_T Γ_B / (x² + (Γ_T + Γ_B)²/4), Γ_T = Γ_B = 2 t_m."""
    layer = dataclasses.replace(HBN, adatom_coupling_eV=0.0, adatom_level_eV=offset_eV)
    site = [v.vacancy_sites(layer, seed=0)[0]]
    step = v.layer_conductance(layer, site) - v.layer_conductance(layer, (), vacancies=site)
    gam = 2 * layer.metal_hopping_eV
    assert step == pytest.approx(gam ** 2 / (offset_eV ** 2 + gam ** 2), abs=1e-10)


@pytest.mark.parametrize("t_a", [0.5, 1.0, 2.0])
def test_adatom_coupled_to_an_isolated_layer_is_breit_wigner_with_the_layer_shift(t_a):
    """Layer decoupled from the electrodes (γ = 0): the adatom is the only path, and eliminating
    the layer exactly gives one level shifted by Σ = Σ_nn' V_n G⁰_nn'(E_F) V_n' (real: E_F is in
    the gap), T = Γ_a² / ((x + Σ)² + Γ_a²) with Γ_a = 2 t_m. Σ from a dense inverse of the layer
    with the vacancy empty; Kwant vs that formula: rounding only."""
    layer = dataclasses.replace(HBN, electrode_coupling_eV=0.0, adatom_coupling_eV=t_a,
                                adatom_level_eV=0.3)
    site = [v.vacancy_sites(layer, seed=0)[0]]
    H, _ = v.two_band_hamiltonian(layer, (), vacancies=site)
    hf, cf = v.two_band_hamiltonian(layer, site, vacancies=site)
    s = int(np.flatnonzero(cf)[0])                    # the adatom: the only electrode contact
    nb = [n for n in np.flatnonzero(hf[s]) if n != s]
    assert len(nb) == 3
    e_f = -0.5 * layer.gap_eV + layer.fermi_above_valence_eV
    G0_layer = np.linalg.inv(e_f * np.eye(len(H)) - H)
    sigma = hf[s, nb] @ G0_layer[np.ix_(nb, nb)] @ hf[nb, s]
    gam = 2 * layer.metal_hopping_eV
    expected = gam ** 2 / ((layer.adatom_level_eV + sigma) ** 2 + gam ** 2)
    assert v.layer_conductance(layer, site) == pytest.approx(expected, abs=1e-10)
    assert v.layer_conductance(layer, (), vacancies=site) == pytest.approx(0.0, abs=1e-12)


def test_coupled_adatom_stays_one_channel():
    """With t_a = 1 eV the layer shifts the resonance by Re Σ ~ 3 t_a²/2.5 eV ≈ 1 eV ≪ Γ = 2 t_m
    ≈ 6 eV, so one filled vacancy adds 1 − (ReΣ/Γ)² ≈ 0.97–1 G0."""
    site = [v.vacancy_sites(HBN, seed=0)[0]]
    step = v.layer_conductance(HBN, site) - v.layer_conductance(HBN, (), vacancies=site)
    assert 0.95 < step < 1.0 + 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_levels_are_monotonic_steps_above_the_floor(seed):
    r = v.pulse_train(material="hBN", patch_sites=4, n_vacancies=4, n_pulses=1, seed=seed,
                      electrode="chains")
    lv = r.levels_G0
    assert np.all(np.diff(lv) > 0.9) and np.all(np.diff(lv) < 1.05)
    # off state = the tunneling floor of the layer with its empty vacancies: the pristine floor
    # changed by less than the removed fraction of atoms (4 of 32), no in-gap state, no artefact
    floor = v.two_band_floor(HBN)
    assert abs(lv[0] / floor - 1) < 4 / 32


@pytest.mark.parametrize("material", ["MoS2", "hBN"])
def test_zero_bias_detailed_balance(material):
    layer = v.layer_parameters(material, patch_sites=12, n_vacancies=144)
    kt = thermal_energy_eV(layer.temperature_K)
    kf, ke = v.fill_rates(layer, 0.0)
    assert kf / ke == pytest.approx(math.exp(layer.binding_eV / kt), rel=1e-12)
    p_eq = kf / (kf + ke)
    # from the equilibrium occupation, zero-bias pulses change nothing on average
    rng = np.random.default_rng(7)
    start = (rng.random(144) < p_eq).astype(np.int8)
    states = v.sample_pulses(layer, [0.0] * 20, [1e3 / (kf + ke)] * 20, start, seed=5)
    mean = states[1:].mean()
    assert abs(mean - p_eq) < 4 * math.sqrt(p_eq * (1 - p_eq) / states[1:].size)


def test_arrhenius_slope_and_switching_voltage():
    for volts in (0.0, 0.4):
        t1, t2 = 300.0, 400.0
        k1, k2 = v.fill_rates(HBN, volts, t1)[0], v.fill_rates(HBN, volts, t2)[0]
        slope = math.log(k1 / k2) / (1 / thermal_energy_eV(t2) - 1 / thermal_energy_eV(t1))
        assert slope == pytest.approx(HBN.fill_barrier_eV - HBN.field_fraction * volts,
                                      rel=1e-10)
    v_ms = v.switching_voltage(HBN, 1e-3)
    assert v.fill_probability(HBN, v_ms, 1e-3, 0) == pytest.approx(0.5, abs=1e-8)
    v_us = v.switching_voltage(HBN, 1e-6)
    # voltage–time: k_empty is negligible here, so V50 rises by (k_BT/λ) ln 1000 per 3 decades
    kt = thermal_energy_eV(HBN.temperature_K)
    assert v_us - v_ms == pytest.approx(kt / HBN.field_fraction * math.log(1e3), rel=1e-6)
    v_reset = v.switching_voltage(HBN, 1e-3, reset=True)
    assert v_reset < 0 and 1 - v.fill_probability(HBN, v_reset, 1e-3, 1) == pytest.approx(
        0.5, abs=1e-8)


def test_hbn_family_record_and_errors():
    fam = devices.get("vacancy_2d_hbn")(patch_sites=3, n_vacancies=2, n_devices=2, n_cycles=1,
                                        n_pulses=3)
    assert fam.params["material"] == "hBN"
    out = fam.results(seed=1)
    rec = out["device_response"]
    # contract: the record copies the device's computed curve (same array, no recomputation)
    np.testing.assert_array_equal(rec.weight_ltp_S[1], out["vacancy_device_1"].conductance_S[:4])
    layer = v.layer_parameters("hBN", patch_sites=3, n_vacancies=2)
    assert float(rec.retention_s) == pytest.approx(1 / v.fill_rates(layer, 0.0)[1], rel=1e-12)
    assert rec.attrs["family"] == "vacancy_2d_hbn"
    with pytest.raises(ValueError, match="fermi_above_valence_eV"):
        v.layer_parameters("hBN", fermi_above_valence_eV=5.0)
    with pytest.raises(ValueError, match="metal"):
        v.layer_parameters("hBN", metal="Ag")
    with pytest.raises(ValueError, match="patch_sites"):
        v.layer_parameters("hBN", patch_sites=1)
    with pytest.raises(ValueError, match="vacancy_sublattice"):
        v.layer_parameters("hBN", vacancy_sublattice="C")
    with pytest.raises(ValueError, match="not vacancies"):
        v.layer_conductance(HBN, [(0, 0)], vacancies=[(1, 1)])
