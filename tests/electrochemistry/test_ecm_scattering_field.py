"""The scattering field of the ECM cell (``field_model = "scattering"``): the potential of the
atoms of a bridging filament from the injectivities of its Kwant scattering states at E_F
(Büttiker's local electrochemical potential in linear response), checked against the analytic
1-D weak link, an independent dense Green's function, ``kwant.wave_function``, and symmetry."""
import math

import kwant
import numpy as np
import pytest

from qtransport.electrochemistry import ecm, field
from qtransport.tight_binding import filament as tb
from qtransport.tight_binding import lattice

AG = ecm.material_parameters("Ag")
T_AG = tb.metal_hopping_eV("Ag")
E_AG = tb.metal_fermi_energy_eV("Ag", 3)      # the band centre 6t of the cubic lattice


def _injectivity(occ, disorder=0.0, seed=0):
    sites = [tuple(int(i) for i in s) for s in np.argwhere(occ == ecm.ATOM)]
    return tb.configuration_injectivity(sites, occ.shape[1], occ.shape[0], E_AG, T_AG,
                                        disorder, seed)


@pytest.mark.parametrize("length, width", [(6, 1), (4, 3), (3, 4)])
def test_perfect_wire_has_no_drop_inside(length, width):
    """A wire as wide as its identical electrodes is reflectionless: every mode injected from
    either side has the same |ψ|² at every site, so ρ_C = ρ_A and φ = ½ V_cell on every atom,
    pointwise and smoothed (round-off of the dense solve: 1e-10)."""
    occ = np.full((length, width, width), ecm.ATOM, dtype=np.int8)
    g, rho = _injectivity(occ)
    assert g >= 1 and abs(g - round(g)) < 1e-10         # the open modes: a plateau
    for smooth in (True, False):
        phi = field.injectivity_potentials(rho[0], rho[1], occ == ecm.ATOM, smooth=smooth)
        assert np.allclose(phi, 0.5, atol=1e-10, rtol=0)


def _weak_link_chain(n_sites, link, t, t_link):
    """Finalized 1-D chain x = 0 … n_sites − 1 (on-site 2t, hopping −t, −t_link between
    ``link`` and ``link + 1``) between two semi-infinite chain leads."""
    lat = kwant.lattice.chain(1, norbs=1)
    syst = kwant.Builder()
    syst[(lat(x) for x in range(n_sites))] = 2 * t
    syst[lat.neighbors()] = -t
    syst[lat(link), lat(link + 1)] = -t_link
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1,)))
    lead[lat(0)] = 2 * t
    lead[lat.neighbors()] = -t
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def _analytic_weak_link(x, link, t, t_link, energy):
    """ρ_L(x) of the infinite chain with one bond t' (on-site 2t, E = 2t − 2t cos k): the
    left-injected state e^{ikn} + r e^{−ikn} (n = x − link ≤ 0), τ e^{ikn} (n ≥ 1), from the
    Schrödinger equation at the two link sites, t(e^{ik} + r e^{−ik}) = t' τ e^{ik} and
    t τ = t'(1 + r); unit current (|amplitude|² = 1/v, v = 2t sin k), ρ = |ψ|²/2π. Returns
    (ρ_L(x), r, τ)."""
    k = math.acos(1 - energy / (2 * t))
    # unknowns (r, τ): [t e^{−ik}, −t' e^{ik}; t', −t] (r, τ) = (−t e^{ik}, −t')
    a = np.array([[t * np.exp(-1j * k), -t_link * np.exp(1j * k)], [t_link, -t]])
    r, tau = np.linalg.solve(a, np.array([-t * np.exp(1j * k), -t_link]))
    n = np.asarray(x) - link
    psi = np.where(n <= 0, np.exp(1j * k * n) + r * np.exp(-1j * k * n), tau * np.exp(1j * k * n))
    return np.abs(psi) ** 2 / (2 * math.pi * 2 * t * math.sin(k)), r, tau


@pytest.mark.parametrize("energy_t", [2.0, 1.3, 0.4])
def test_weak_link_injectivities_equal_the_analytic_scattering_states(energy_t):
    """1-D chain with one bond t' = 0.3 t: the injectivities of both leads (the production
    dense-block solve) equal the analytic scattering states of the infinite chain, oscillation
    included, at the band centre (E = 2t) and away from it (round-off: 1e-10 relative), and
    an independent dense Green's function, [G Γ_L G†]_xx / 2π with the analytic lead
    self-energy Σ = −t e^{ik}, agrees to 1e-10."""
    t, tl, n, link = 1.0, 0.3, 12, 5
    energy = energy_t * t
    fsyst = _weak_link_chain(n, link, t, tl)
    trans, modes, rho = lattice.transmission_injectivity(fsyst, energy)
    x = np.array([s.tag[0] for s in fsyst.sites])
    left, r, tau = _analytic_weak_link(x, link, t, tl, energy)
    right, _, _ = _analytic_weak_link(n - 1 - x, n - 2 - link, t, tl, energy)  # the mirror
    scale = left.max()
    assert trans == pytest.approx(abs(tau) ** 2, abs=1e-12)
    assert abs(r) ** 2 + abs(tau) ** 2 == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(rho[0], left, atol=1e-10 * scale, rtol=0)
    assert np.allclose(rho[1], right, atol=1e-10 * scale, rtol=0)
    # independent: dense G = (E − H − Σ_L − Σ_R)⁻¹ of the 12 sites, Γ = −2 Im Σ
    k = math.acos(1 - energy / (2 * t))
    h = fsyst.hamiltonian_submatrix()
    sigma = -t * np.exp(1j * k)
    first, last = int(np.flatnonzero(x == 0)[0]), int(np.flatnonzero(x == n - 1)[0])
    a = energy * np.eye(n) - h
    a[first, first] -= sigma
    a[last, last] -= sigma
    g = np.linalg.inv(a)
    gamma = -2 * sigma.imag
    assert np.allclose(rho[0], np.abs(g[:, first]) ** 2 * gamma / (2 * math.pi),
                       atol=1e-10 * scale, rtol=0)
    assert np.allclose(rho[1], np.abs(g[:, last]) ** 2 * gamma / (2 * math.pi),
                       atol=1e-10 * scale, rtol=0)


def test_weak_link_drop_sits_at_the_link_with_the_landauer_values():
    """Band centre (the metals' E_F): ρ_L on the left side is (1 + R + 2 r (−1)^n)/(2πv), the
    transmitted ρ_R is T/(2πv). The smoothed ratio (½ self + ½ neighbours removes the
    alternating part exactly) is flat on each side at T/2 and 1 − T/2 — the contact drops of the
    Landauer picture, the rest R = 1 − T across the link's two atoms — to 1e-10; the pointwise
    ratio oscillates between t'²/(t² + t'²) and t²/(t² + t'²) (analytic at the band centre)."""
    t, tl, n, link = 1.0, 0.3, 12, 5
    fsyst = _weak_link_chain(n, link, t, tl)
    trans, _, rho = lattice.transmission_injectivity(fsyst, 2.0 * t)
    x = np.array([s.tag[0] for s in fsyst.sites])
    order = np.argsort(x)
    # x = 0 and x = 11 play the electrode columns, x = 1 … 10 the box
    rc, ra = (r[order].reshape(n, 1, 1) for r in rho)
    bridge = np.ones((n - 2, 1, 1), dtype=bool)
    phi = field.injectivity_potentials(rc, ra, bridge).ravel()
    box_x = np.arange(1, n - 1)
    t_exact = (2 * t * tl / (t ** 2 + tl ** 2)) ** 2
    assert trans == pytest.approx(t_exact, abs=1e-12)
    assert np.allclose(phi[box_x < link], t_exact / 2, atol=1e-10, rtol=0)
    assert np.allclose(phi[box_x > link + 1], 1 - t_exact / 2, atol=1e-10, rtol=0)
    assert t_exact / 2 < phi[box_x == link][0] < phi[box_x == link + 1][0] < 1 - t_exact / 2
    point = field.injectivity_potentials(rc, ra, bridge, smooth=False).ravel()
    low, high = tl ** 2 / (t ** 2 + tl ** 2), t ** 2 / (t ** 2 + tl ** 2)
    left = point[box_x < link]
    parity = (box_x[box_x < link] - link) % 2
    assert np.allclose(left, np.where(parity == 0, low, high), atol=1e-10, rtol=0)


def test_box_injectivities_equal_kwant_wave_functions():
    """A disordered KMC-like bridge (neck, side branch, dead end) in the 3 × 3 × 5 box: the
    injectivities from the dense RGF block equal Σ_m |ψ_m|²/2π of ``kwant.wave_function``
    (MUMPS, an independent solver) on every atom and electrode site (1e-10 relative), and
    the conductance is the one of ``configuration_conductance`` to the last bit (same solve:
    the contract of reusing it)."""
    occ = np.zeros((5, 3, 3), dtype=np.int8)
    occ[0] = occ[4] = ecm.ATOM
    occ[1, 1, :] = occ[2, 1, 1] = occ[3, 1, 1] = occ[3, 0, 1] = occ[1, 2, 2] = ecm.ATOM
    sites = [tuple(int(i) for i in s) for s in np.argwhere(occ == ecm.ATOM)]
    g, rho = tb.configuration_injectivity(sites, 3, 5, E_AG, T_AG, 0.3, 4)
    systems, central, _, _, _, _, vac = tb._configuration_setup(sites, 3, 5, E_AG, T_AG, 0.3, 4,
                                                                tb.MAX_SITES)
    (fsyst, _), = systems                        # E_F of Ag is off the 3-wide thresholds
    ref = lattice.wave_function_injectivity(fsyst, E_AG, tb._params(central, T_AG, 3, 0.3, 4,
                                                                    vac))
    ref = ref[:, tb._box_layout(3, 5, E_AG, T_AG)]
    metal = np.ones(ref.shape[1:], dtype=bool)
    metal[1:-1] = occ == ecm.ATOM
    assert np.allclose(rho[:, metal], ref[:, metal], atol=1e-10 * ref.max(), rtol=0)
    # contract: the same dense solve as the conductance path, identical number
    assert g == tb.configuration_conductance(sites, 3, 5, E_AG, T_AG, 0.3, 4)


def _mirror_symmetric():
    occ = np.zeros((5, 3, 3), dtype=np.int8)
    occ[0] = occ[4] = ecm.ATOM
    occ[1, 1, :] = occ[3, 1, :] = ecm.ATOM
    occ[1, 0, 0] = occ[3, 0, 0] = ecm.ATOM
    occ[2, 1, 1] = ecm.ATOM
    return occ


def test_mirror_symmetric_filament_gives_an_antisymmetric_potential():
    """A filament symmetric under x → L − 1 − x between identical electrodes (no disorder):
    ρ_C(x) = ρ_A(L − 1 − x), so φ − ½ is antisymmetric and the mirror plane is at ½ (1e-10);
    the neck carries most of the drop (the thick parts sit near their electrodes)."""
    occ = _mirror_symmetric()
    assert np.array_equal(occ, occ[::-1])
    _, rho = _injectivity(occ)
    bridge = occ == ecm.ATOM
    phi = field.injectivity_potentials(rho[0], rho[1], bridge)
    assert np.allclose((phi + phi[::-1])[bridge], 1.0, atol=1e-10, rtol=0)
    assert phi[2, 1, 1] == pytest.approx(0.5, abs=1e-10)
    assert phi[0][bridge[0]].max() < 0.25 and phi[4][bridge[4]].min() > 0.75


def test_bound_state_at_the_band_centre_is_handled():
    """Two dangling atoms on one chain atom: at the band centre the chain atom is a node of every
    scattering state (T ≈ 0) and the pair hosts a bound state decoupled from the leads, which
    makes the exact solve singular; the broadened solve gives finite potentials in [0, 1],
    the node takes its column's ratio, and the mirror-symmetric drop sits at the node
    (½ there, the chains at their electrodes' potentials to 1e-6: broadening 1e-8)."""
    occ = np.zeros((5, 3, 3), dtype=np.int8)
    occ[:, 1, 1] = ecm.ATOM
    occ[2, 0, 1] = occ[2, 2, 1] = ecm.ATOM
    g, rho = _injectivity(occ)
    assert np.all(np.isfinite(rho)) and g < 1e-12
    phi = field.injectivity_potentials(rho[0], rho[1], occ == ecm.ATOM)
    assert np.allclose(phi[:, 1, 1], [0, 0, 0.5, 1, 1], atol=1e-6, rtol=0)
    assert phi[2, 0, 1] == pytest.approx(0.5, abs=1e-6)


def _cell(**kw):
    return AG.replace(compliance_A=math.inf, thermal_resistance_K_per_W=0.0, **kw)


def test_kmc_rates_use_the_scattering_potential_and_the_same_conductance():
    """In the KMC with ``field_model = "scattering"`` the site potential of a bridging
    configuration fixes the bridge atoms at the injectivity potential (the electrolyte follows
    Laplace), the loop conductance is the local field's (the same solve: identical), every
    hop rate carries e^{ze(φ_s − φ_t)/2k_BT} of that potential, and before contact both field
    models give identical rates (the same code path)."""
    p = _cell(length_atoms=5, disorder_eV=0.3, disorder_seed=2)
    occ = _mirror_symmetric()
    occ[0, 2, 2] = ecm.ION
    occ[0, 2, 1] = ecm.EMPTY
    scat = p.replace(field_model="scattering")
    g_loc = ecm.loop_conductance_G0(occ, p)
    # contract: one solve gives the conductance in both models, so the numbers are identical
    assert ecm.loop_conductance_G0(occ, scat) == g_loc
    u = ecm.site_potential(occ, scat)
    bridge = ecm.bridge_mask(occ)
    _, rho = _injectivity(np.where(bridge, ecm.ATOM, ecm.EMPTY), 0.3, 2)
    expect = field.injectivity_potentials(rho[0], rho[1], bridge)
    assert np.allclose(u[bridge], expect[bridge], atol=1e-12, rtol=0)
    assert np.all((u >= 0) & (u <= 1))
    kt = ecm.thermal_energy_eV(p.temperature_K)
    base = p.attempt_frequency_Hz * math.exp(-p.hop_barrier_eV / kt)
    v = 0.7
    k = ecm.FilamentKMC(scat, 0, occ).rates(cell_voltage_V=v, temperature_K=p.temperature_K)
    hop = k[ecm.CHANNELS.index("ion_hop(0, 0, -1)"), 0, 2, 2]
    assert hop == pytest.approx(base * math.exp((u[0, 2, 2] - u[0, 2, 1]) * v / (2 * kt)),
                                rel=1e-12)
    gap = occ.copy()
    gap[2, 1, 1] = ecm.EMPTY                         # the neck removed: no contact
    a = ecm.FilamentKMC(p, 0, gap).rates(1.3)
    b = ecm.FilamentKMC(scat, 0, gap).rates(1.3)
    # contract: before contact the scattering model runs the local model's code
    np.testing.assert_array_equal(a, b)


def test_bad_injectivities_are_named():
    bridge = np.ones((3, 1, 1), dtype=bool)
    with pytest.raises(ValueError, match="rho_cathode"):
        field.injectivity_potentials(np.ones((3, 1, 1)), np.ones((3, 1, 1)), bridge)
    with pytest.raises(ValueError, match="rho_cathode"):
        field.injectivity_potentials(-np.ones((5, 1, 1)), np.ones((5, 1, 1)), bridge)
    with pytest.raises(ValueError, match="field_model"):
        AG.replace(field_model="poisson")


@pytest.mark.parametrize("neck", [1, 2])
def test_single_atom_neck_sits_at_half_wherever_it_is(neck):
    """A one-atom neck between full 3 × 3 columns (no disorder): the full columns are pieces of
    the identical electrodes, so the system is the neck between two semi-infinite wires —
    mirror symmetric about the neck wherever it sits in the box. The neck is at ½ V_cell, the
    atoms at equal distance on either side sum to 1, the electrolyte beside the neck is at ½
    (1e-10), the thick columns lie within 0.02–0.28 V_cell of their electrode (the series rule
    instead puts 9/12 of V_cell over the neck column and the thick columns 1/12 apart)."""
    occ = np.full((4, 3, 3), ecm.ATOM, dtype=np.int8)
    occ[neck] = ecm.EMPTY
    occ[neck, 1, 1] = ecm.ATOM
    g, rho = _injectivity(occ)
    assert g == pytest.approx(1.0, abs=1e-10)
    phi = field.injectivity_potentials(rho[0], rho[1], occ == ecm.ATOM)
    assert phi[neck, 1, 1] == pytest.approx(0.5, abs=1e-10)
    assert np.allclose(phi[neck - 1] + phi[neck + 1], 1.0, atol=1e-10, rtol=0)
    assert 0.02 < phi[:neck].min() and phi[:neck].max() < 0.28
    assert 0.72 < phi[neck + 1:].min() and phi[neck + 1:].max() < 0.98
    u = ecm.site_potential(occ, AG.replace(field_model="scattering"))
    assert np.allclose(u[neck][occ[neck] == ecm.EMPTY], 0.5, atol=1e-10, rtol=0)


def test_boxes_beyond_one_dense_block_use_kwant_wave_functions():
    """A 5 × 5 × 14 box (450 orbitals with the electrode columns, above rgf.DENSE_ORBITALS: the
    RGF sweep is sliced and keeps no full G columns) takes its injectivities from
    ``kwant.wave_function``: a mirror-symmetric filament gives φ − ½ antisymmetric (1e-10),
    and the conductance is ``configuration_conductance``'s (1e-10)."""
    from qtransport.tight_binding import rgf
    occ = np.full((14, 5, 5), ecm.ATOM, dtype=np.int8)
    occ[5:9] = ecm.EMPTY
    occ[5:9, 2, 2] = ecm.ATOM
    occ[6:8, 1, 2] = ecm.ATOM
    assert np.array_equal(occ, occ[::-1])
    assert (occ.shape[0] + 2 * tb.BUFFER_COLUMNS) * 25 > rgf.DENSE_ORBITALS
    g, rho = _injectivity(occ)
    sites = [tuple(int(i) for i in s) for s in np.argwhere(occ == ecm.ATOM)]
    systems, central, _, _, _, _, vac = tb._configuration_setup(sites, 5, 14, E_AG, T_AG, 0.0, 0,
                                                                tb.MAX_SITES)
    fsyst = systems[0][0]            # 5 wide at the band centre: solved either side of E_F
    sweep = rgf.prepare(fsyst, tb._params(central, T_AG, 3, 0.0, 0, vac), strict=False)
    assert sweep is None or len(sweep.plan.sizes) > 1        # no one-block G columns
    assert g == pytest.approx(tb.configuration_conductance(sites, 5, 14, E_AG, T_AG), abs=1e-10)
    bridge = occ == ecm.ATOM
    phi = field.injectivity_potentials(rho[0], rho[1], bridge)
    assert np.allclose((phi + phi[::-1])[bridge], 1.0, atol=1e-10, rtol=0)
