"""Complex band structure and decay constants in a gap.

References: the analytic two-band result cosh κ = [1 + |c|² + (Δ² − E²)/t²]/(2|c|) (derived in
complex_bands.two_band_decay_per_layer; re-derived inline below), the 1-D chain
cosh κ = |E − ε|/2|t|, the real-k bands of H(k), and Kwant transmission through n barrier cells.
"""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.tight_binding import complex_bands as cb
from qtransport.tight_binding import tb_examples, tb_systems, wannier
from qtransport.tight_binding.lattice import smatrix
from qtransport.workflows import catalog


@pytest.fixture(scope="module")
def hbn():
    p = wannier.example_parameters("hbn_like")
    return wannier.example("hbn_like"), p["hopping_eV"], p["onsite_eV"]


def test_gap_at_K_is_two_delta(hbn):
    # Reference: E(K) = ±|Δ| exactly (f(K) = 0); the sum of three unit phases cancels to ~1e-16,
    # so the gap equals 2Δ to 1e-12. No k in a fine zone grid has a smaller direct gap.
    model, t, delta = hbn
    K = cb.valley_k_reduced(model, "K")
    e = model.eigenvalues(K)
    assert e[1] - e[0] == pytest.approx(2 * delta, abs=1e-12)
    g = np.linspace(0, 1, 61)
    k = np.array([(a, b, 0.0) for a in g for b in g])
    bands = model.eigenvalues(k)
    assert np.min(bands[:, 1] - bands[:, 0]) >= 2 * delta - 1e-12


@pytest.mark.parametrize("theta2", [2 * np.pi / 3, -2 * np.pi / 3, 0.0, 0.7, 2.5])
def test_decay_equals_two_band_analytic(hbn, theta2):
    # The companion eigenproblem for a 2×2 pencil is backward stable: κ to ~1e-14; 1e-8 as asked.
    model, t, delta = hbn
    E = np.array([0.0, 0.5, -1.0, 2.0, delta - 0.01, -delta + 0.001])
    c = 2 * abs(np.cos(theta2 / 2))
    ref = np.arccosh((1 + c ** 2 + (delta ** 2 - E ** 2) / t ** 2) / (2 * c))
    got = cb.decay_per_layer(model, E, axis=0, transverse_k_reduced=(0, theta2 / (2 * np.pi), 0))
    assert np.max(np.abs(got - ref)) < 1e-8
    assert np.max(np.abs(cb.two_band_decay_per_layer(E, t, delta, theta2) - ref)) < 1e-14


def test_midgap_decay_K_valley(hbn):
    model, t, delta = hbn
    kappa = cb.decay_per_layer(model, [0.0], 0, cb.valley_k_reduced(model, "K"))[0]
    assert kappa == pytest.approx(np.arccosh(1 + delta ** 2 / (2 * t ** 2)), abs=1e-8)


def test_effective_mass_agrees_near_edge_and_fails_midgap(hbn):
    # Expansion of cosh κ − 1 = (2Δφ − φ²)/(2t²) around the edge (φ = Δ − E) gives
    # κ/κ_EM = 1 − φ/(4Δ) − κ_EM²/24 + …, i.e. 1.2e-3 at φ = 10 meV: allow 2e-3. Mid-gap the
    # parabolic estimate √2Δ/t overshoots arccosh(1 + Δ²/2t²) by ~48 %.
    model, t, delta = hbn
    K = cb.valley_k_reduced(model, "K")
    edges = cb.band_edges(model, 0.0, 0, K)
    assert edges["conduction_eV"] == pytest.approx(delta, abs=1e-9)
    assert edges["valence_eV"] == pytest.approx(-delta, abs=1e-9)
    assert edges["curvature_c"] == pytest.approx(t ** 2 / delta, rel=1e-8)   # E'' = t²/Δ
    E = np.array([delta - 0.01, 0.0])
    exact = cb.decay_per_layer(model, E, 0, K)
    em = cb.effective_mass_decay(edges, E)["nearest"]
    assert em[0] == pytest.approx(np.sqrt(2 * delta * 0.01) / t, rel=1e-8)
    near = abs(em[0] / exact[0] - 1)
    mid = em[1] / exact[1] - 1
    assert near < 2e-3
    assert mid > 0.4
    # mass along the tunneling direction: m* = ħ²/(E'' d²) = Δ/v_F² with ħv_F = (√3/2) t a
    from qtransport.constants import eV, hbar, m_e, nm
    a = wannier.example_parameters("hbn_like")["lattice_constant_nm"] * nm
    m_ref = delta * eV / ((np.sqrt(3) / 2 * t * eV * a / hbar) ** 2) / m_e
    assert edges["mass_c"] == pytest.approx(m_ref, rel=1e-8)


def test_chain_decay_with_singular_outer_blocks():
    # Chain with t2 = 0 stores zero blocks h_±2: the pencil has infinite/zero λ that must be
    # dropped. Outside the band, E − ε = 2t cos(k) with k = iκ or π + iκ: cosh κ = |E − ε|/2|t|.
    model = tb_examples.chain(0.0, -1.0, 0.0, 0.3)
    E = np.array([2.5, -3.0, 10.0])
    got = cb.decay_per_layer(model, E)
    assert np.max(np.abs(got - np.arccosh(np.abs(E) / 2))) < 1e-12
    assert cb.decay_per_layer(model, [0.5])[0] == 0.0          # inside the band: propagating


def test_real_k_solutions_lie_on_the_bands(hbn):
    # Propagating solutions (|λ| = 1) at an in-band energy must be eigenvalues of H(k).
    model, t, delta = hbn
    kt = (0, 0.2, 0)
    for E in (3.5, -4.0, 6.0):
        lam = cb.bloch_factors(model.chain_blocks(0, kt), E)
        prop = lam[np.abs(np.log(np.abs(lam))) < cb.PROPAGATING_TOL]
        assert prop.size >= 2
        for value in prop:
            bands = model.eigenvalues([np.angle(value) / (2 * np.pi), 0.2, 0.0])
            assert np.min(np.abs(bands - E)) < 1e-10


def test_kwant_transmission_decays_with_a_complex_band_kappa():
    # Independent method: Kwant T(n) through n cells of the h-BN-like model inside a metallic
    # armchair graphene ribbon. For large n, T ∝ exp(−2κn) with κ the decay of the channel that
    # couples to the ribbon mode: one of the lead's complex-band κ (≥ the smallest). The next
    # channel's admixture decays as exp(−2Δκ n) with Δκ ≳ 0.1, so at n = 6…8 the slope is
    # converged to < 1e-4.
    g = wannier.example("graphene")
    h = wannier.example("hbn_like")
    delta = wannier.example_parameters("hbn_like")["onsite_eV"]
    T = tb_systems.edge_translation(g, "armchair")
    energy, width = 0.3, 5

    def transmission(n):
        builder = tb_systems.ribbon_builder(g, T, width_cells=width, length_cells=n)
        for site in list(builder.sites()):
            builder[site] = delta if site.family.name == "A" else -delta
        return smatrix(builder.finalized(), energy).transmission(1, 0)

    slope = -np.log(transmission(8) / transmission(6)) / (2 * 2)
    lead = tb_systems.lead(h, T, width * tb_systems.transverse_spacing_nm(h, T)).finalized()
    _, kappas = cb.complex_band_structure(cb.lead_blocks(lead), [energy])
    kappas = kappas[0][np.isfinite(kappas[0])]
    assert slope >= kappas.min() - 1e-6
    assert np.min(np.abs(kappas - slope)) < 1e-4


def test_chain_barrier_in_kwant_decays_with_kappa_min():
    # Single channel: a chain barrier (on-site V) between chain leads. T(n) ∝ exp(−2κn) with
    # cosh κ = (V − E)/2|t| from the complex bands of the barrier chain; sub-leading terms are
    # exp(−2κ n) smaller (κ ≈ 1.3), so the slope at n = 8…10 agrees to 1e-6.
    chain = tb_examples.chain(0.0, -1.0, 0.0, 0.3)
    V, E = 4.0, 0.5

    def transmission(n):
        b = tb_systems.ribbon_builder(chain, (1,), length_cells=n)
        for site in list(b.sites()):
            b[site] = V
        return smatrix(b.finalized(), E).transmission(1, 0)
    slope = -np.log(transmission(10) / transmission(8)) / 4
    barrier = tb_examples.chain(V, -1.0, 0.0, 0.3)
    kappa = cb.decay_per_layer(barrier, [E])[0]
    assert kappa == pytest.approx(np.arccosh((V - E) / 2), abs=1e-12)
    assert slope == pytest.approx(kappa, abs=1e-6)


def test_equivalent_barrier_height():
    # φ = ħ²κ²/2m* inverts κ = √(2m*φ)/ħ (rectangular-barrier WKB exponent).
    from qtransport.constants import eV, hbar, m_e, nm
    kappa = np.array([1.0, 5.0])
    phi = cb.equivalent_barrier_height_eV(kappa, 0.5)
    assert np.allclose(np.sqrt(2 * 0.5 * m_e * phi * eV) / hbar * nm, kappa, rtol=1e-14)
    with pytest.raises(ValueError, match="kappa_per_nm"):
        cb.equivalent_barrier_height_eV(-1.0, 1.0)


def test_registered_decay_constant_and_errors(hbn):
    model, t, delta = hbn
    r = catalog.get_model("complex_bands.decay_constant")(energies_eV=[0.0, 1.0])
    d = cb.layer_spacing_nm(model, 0)
    assert d == pytest.approx(np.sqrt(3) / 2 * 0.2504, rel=1e-14)
    assert r.kappa_per_nm[0] == pytest.approx(np.arccosh(1 + delta ** 2 / (2 * t ** 2)) / d,
                                              rel=1e-10)
    assert np.all(r.kappa_effective_mass_per_nm > r.kappa_per_nm)
    with pytest.raises(ValueError, match="axis"):
        cb.decay_per_layer(model, [0.0], axis=2)
    with pytest.raises(ValueError, match="not in a gap"):
        cb.band_edges(model, 3.5, 0, cb.valley_k_reduced(model, "K"))
    with pytest.raises(ValueError, match="h_0"):
        cb.bloch_factors({1: np.eye(1)}, 0.0)
    # a NaN or short transverse k used to surface as LAPACK's "array must not contain infs or
    # NaNs" / a numpy reshape error that did not name the parameter
    for bad in ((0, np.nan, 0), (0, 1 / 3)):
        with pytest.raises(ValueError, match="transverse_k_reduced"):
            cb.decay_per_layer(model, [0.0], 0, bad)
    with pytest.raises(TypeError, match="transverse_k_reduced"):
        cb.decay_per_layer(model, [0.0], 0, "K")
