"""h-BN vacancy memristor, k∥-conserving fcc(111) electrodes: metal constants, the electrodes
joined without the layer (channel count, unitarity), Kwant torus = per-k Fisher–Lee sum = dense
real-space Fisher–Lee, the Friedel-placed adatom, and the local-chain option kept reachable."""
import dataclasses
import math

import kwant
import numpy as np
import pytest

from qtransport import materials
from qtransport.electrochemistry import vacancy2d as v

FCC = v.layer_parameters("hBN", patch_sites=4, n_vacancies=4, electrode="fcc111")
CHAINS = v.layer_parameters("hBN", patch_sites=4, n_vacancies=4, electrode="chains")


def test_fcc_metal_is_half_filled_with_the_free_electron_surface_dos():
    x_f, rho_t, _ = v.fcc_band_constants()
    # independent: the 3-D nearest-neighbour fcc band ε = −4t Σ cos(k_x a/2) cos(k_y a/2) on a
    # uniform 128³ mesh of the conventional reciprocal cube (two Brillouin zones), shifted off
    # the symmetry points (a symmetric mesh puts whole degenerate shells on one side of E_F:
    # 1 % errors at 64³): half of the states lie below E_F. The counting error of such a mesh
    # falls from ~1e-3 at 64³ to ~2e-4 at 128³ (measured 1.7e-4): bound 1e-3
    n = 128
    cx, cy, cz = np.meshgrid(*[np.cos(4 * np.pi * (np.arange(n) + s) / n)
                               for s in (0.31, 0.47, 0.13)], indexing="ij", sparse=True)
    eps = -4 * (cx * cy + cy * cz + cz * cx)
    assert abs(np.mean(eps < x_f) - 0.5) < 1e-3
    # the surface density of states: Kwant's LDOS of the surface plane of the semi-infinite
    # lead (scattering states) = the closed-form k sum on the same 5 × 5 torus (rounding only)
    L, t = 5, FCC.metal_hopping_eV
    bottom = v._fcc_lattices()[0]
    syst = kwant.Builder()
    for i in range(L):
        for j in range(L):
            syst[bottom(i, j, 0)] = 0.0
    for i in range(L):
        for j in range(L):
            for di, dj in v._INPLANE:
                syst[bottom(i, j, 0), bottom((i + di) % L, (j + dj) % L, 0)] = -t
    syst.attach_lead(v._fcc_lead(bottom, L))
    ldos = kwant.ldos(syst.finalized(), x_f * t, params=dict(e_metal=0.0, t_m=t))
    k = 2 * np.pi * np.arange(L) / L
    e_par, hop = v._fcc_bloch(*np.meshgrid(k, k, indexing="ij"))
    expected = -np.mean(v._chain_surface_green(x_f - e_par, hop).imag) / (math.pi * t)
    np.testing.assert_allclose(ldos, expected, rtol=1e-10)
    # converged surface DOS × t_m = Cu's free-electron value 3/(4 E_F) (the rule of t_m)
    assert rho_t / t == pytest.approx(3 / (4 * materials.get("Cu").fermi_energy_eV), rel=1e-12)
    # free-electron check of the k∥ filter: Cu's Fermi sphere projected on the 1 × 1 (111) zone
    # covers π k_F² / A_BZ ≈ 0.83 of it; the tight-binding metal's open fraction (converged
    # 0.813 at 256² k points) is within 0.03 of it
    k_f = (3 * math.pi ** 2 * 4 / materials.get("Cu").lattice_constant_nm ** 3) ** (1 / 3)
    a_bz = 8 * math.pi ** 2 / (math.sqrt(3) * materials.get("hBN").lattice_constant_nm ** 2)
    assert v.electrode_channels(FCC, 256) / 256 ** 2 == pytest.approx(
        math.pi * k_f ** 2 / a_bz, abs=0.03)


@pytest.mark.parametrize("L", [3, 4, 6])
def test_electrodes_joined_without_the_layer_carry_their_open_channels(L):
    """Layer removed: one fcc plane between the two semi-infinite halves is the perfect crystal,
    T = number of open k∥ channels exactly (rounding only), S unitary."""
    t = FCC.metal_hopping_eV
    lat = v._fcc_lattices()[0]
    syst = kwant.Builder()
    for i in range(L):
        for j in range(L):
            syst[lat(i, j, 0)] = v._metal_onsite
    for i in range(L):
        for j in range(L):
            for di, dj in v._INPLANE:
                syst[lat(i, j, 0), lat((i + di) % L, (j + dj) % L, 0)] = v._chain_hop
    syst.attach_lead(v._fcc_lead(lat, L, 1))
    syst.attach_lead(v._fcc_lead(lat, L, -1))
    x_f = v.fcc_band_constants()[0]
    smat = kwant.smatrix(syst.finalized(), 0.0, params=dict(e_metal=-x_f * t, t_m=t))
    channels = v.electrode_channels(dataclasses.replace(FCC, patch_sites=L))
    assert smat.num_propagating(0) == channels
    assert smat.transmission(1, 0) == pytest.approx(channels, abs=1e-10)
    s = smat.data
    np.testing.assert_allclose(s.conj().T @ s, np.eye(len(s)), atol=1e-10)


def test_junction_smatrix_is_unitary_and_counts_the_electrode_channels():
    sites = v.vacancy_sites(FCC, seed=1)
    params = v._two_band_params(FCC, frozenset(sites), frozenset(sites[:2]))
    smat = kwant.smatrix(v._two_band_system(4, "fcc111"), params["e_fermi"], params=params)
    s = smat.data
    np.testing.assert_allclose(s.conj().T @ s, np.eye(len(s)), atol=1e-10)
    assert smat.num_propagating(0) == smat.num_propagating(1) == v.electrode_channels(FCC)


@pytest.mark.parametrize("cells", [3, 4, 6])
def test_pristine_torus_equals_the_per_k_fisher_lee_sum(cells):
    """Translation invariance: G(Kwant, whole torus) = Σ_k T(k) of the 2 × 2 (B, N) blocks with
    the closed-form surface Green function (L = 3 contains K, where the planes decouple)."""
    layer = dataclasses.replace(FCC, patch_sites=cells, n_vacancies=0)
    g = v.layer_conductance(layer)
    # the two sides solve the same Hamiltonian (rounding ~1e-14 relative): 1e-8 is slack
    assert g == pytest.approx(v.two_band_floor(layer), rel=1e-8)
    assert g == pytest.approx(v.direct_conductance(layer), rel=1e-8)


@pytest.mark.parametrize("sublattice", ["B", "N"])
def test_kwant_equals_the_dense_real_space_fisher_lee(sublattice):
    """Any configuration: Kwant's lead modes vs Σ = V† g V with g from the closed-form k sum
    (an independent surface Green function), rounding only."""
    layer = dataclasses.replace(FCC, vacancy_sublattice=sublattice)
    rng = np.random.default_rng(5)
    sites = v.vacancy_sites(layer, seed=3)
    for _ in range(3):
        filled = [s for s in sites if rng.random() < 0.5]
        assert v.layer_conductance(layer, filled, vacancies=sites) == pytest.approx(
            v.direct_conductance(layer, filled, vacancies=sites), abs=1e-10)


@pytest.mark.parametrize("offset_eV", [0.0, 1.0])
def test_adatom_between_fcc_surfaces_is_the_friedel_placed_resonance(offset_eV):
    """Layer decoupled (γ = 0, t_a = 0): the adatom in the hollow, bonded with t_m to three
    surface atoms of each metal, is one level; with Σ = t_m² Σ_{pq} g_pq over its three atoms
    (real-space surface Green function of this torus) T = (2 Im Σ)² / |E_F − ε_a − 2Σ|², and
    the bare level ε_a = E_F + x − 2 Re σ_a(converged) puts the resonance at E_F (T → 1 at x = 0
    as the torus grows)."""
    layer = dataclasses.replace(FCC, electrode_coupling_eV=0.0, adatom_coupling_eV=0.0,
                                adatom_level_eV=offset_eV, patch_sites=6)
    site = v.vacancy_sites(layer, seed=0)[0]
    g = v.electrode_surface_green(layer)
    L = layer.patch_sites
    trio = [((site[0] + di) % L) * L + (site[1] + dj) % L for di, dj in v._BONDS]
    sigma = layer.metal_hopping_eV ** 2 * g[np.ix_(trio, trio)].sum()
    shift = -2 * v.fcc_band_constants()[2].real * layer.metal_hopping_eV
    expected = (2 * sigma.imag) ** 2 / abs(-offset_eV - shift - 2 * sigma) ** 2
    assert v.layer_conductance(layer, [site]) == pytest.approx(expected, abs=1e-10)
    # converged (σ_a of the fine mesh): a perfect channel on resonance, Breit–Wigner off it
    s_inf = v.fcc_band_constants()[2] * layer.metal_hopping_eV
    assert (2 * s_inf.imag) ** 2 / abs(-offset_eV - 2 * 1j * s_inf.imag) ** 2 == pytest.approx(
        (2 * s_inf.imag) ** 2 / (offset_eV ** 2 + (2 * s_inf.imag) ** 2), rel=1e-12)
    if offset_eV == 0.0:
        assert 0.97 < v.layer_conductance(layer, [site]) <= 1.0 + 1e-10


def test_chains_option_keeps_the_local_model():
    """electrode="chains": the local, wide-band contact of the original model (every atom −iγ²/t_m)
    — the band k sum and the dense −ic²/t_m Fisher–Lee (rounding only), t_m = 4E_F/3π, and the
    default device's documented levels."""
    assert CHAINS.metal_hopping_eV == pytest.approx(
        v.chain_hopping_from_fermi_energy(materials.get("Cu").fermi_energy_eV), rel=1e-15)
    pristine = dataclasses.replace(CHAINS, n_vacancies=0)
    assert v.layer_conductance(pristine) == pytest.approx(v.two_band_floor(pristine), rel=1e-10)
    sites = v.vacancy_sites(CHAINS, seed=2)
    assert v.layer_conductance(CHAINS, sites[:2], vacancies=sites) == pytest.approx(
        v.direct_conductance(CHAINS, sites[:2], vacancies=sites), abs=1e-10)
    # the numbers quoted for the chains option (docs/filament.md), to their printed digits
    lv = v.pulse_train(material="hBN", n_pulses=1, electrode="chains").levels_G0
    np.testing.assert_allclose(lv, [0.0302, 1.017, 2.002, 2.987, 3.971], atol=6e-4)


def test_fcc_levels_and_floor_convergence():
    """Default device (6 × 6 cells, 4 B vacancies): the off state is the fcc floor changed by
    less than the removed fraction of atoms; every filled vacancy adds 0.6–1 G0 (bridges
    interfere through the common metal; measured 0.65–0.94 on three placements); the floor per
    cell converges with the L × L k mesh (L = 96 vs 192: 2.2e-4 measured) and L = 6 overestimates it by
    ~22 %."""
    lv = v.pulse_train(material="hBN", n_pulses=1, electrode="fcc111", seed=2).levels_G0
    layer = v.layer_parameters("hBN", electrode="fcc111")
    assert abs(lv[0] / v.two_band_floor(layer) - 1) < 4 / 72
    assert np.all(np.diff(lv) > 0.6) and np.all(np.diff(lv) < 1.0)
    per_cell = v.two_band_floor(layer, 192) / 192 ** 2
    assert v.two_band_floor(layer, 96) / 96 ** 2 == pytest.approx(per_cell, rel=5e-4)
    assert v.two_band_floor(layer) / 36 / per_cell == pytest.approx(1.22, abs=0.01)
    # the k∥ filter does not lower the floor here: it is above the local chains' floor
    chains = v.layer_parameters("hBN", electrode="chains")
    assert per_cell > v.two_band_floor(chains, 192) / 192 ** 2


def test_electrode_errors():
    with pytest.raises(ValueError, match="electrode"):
        v.layer_parameters("hBN", electrode="bcc")
    with pytest.raises(ValueError, match="patch_sites"):
        v.layer_parameters("hBN", patch_sites=2, electrode="fcc111")
    assert v.layer_parameters("hBN", patch_sites=2, electrode="chains").patch_sites == 2
    with pytest.raises(ValueError, match="cells"):
        v.two_band_floor(FCC, 1024)
