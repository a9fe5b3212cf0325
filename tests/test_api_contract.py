"""Every call of docs/api.md, exactly as written there (external checks rely on them)."""
import numpy as np
import pytest

import qtransport as qt


def test_core_calls():
    assert isinstance(qt.__version__, str) and qt.G0 > 0 and qt.PHI0 > 0
    assert "hBN" in qt.materials.names()
    m = qt.materials.get("hBN")
    assert all(isinstance(s, str) for s in m.sources)
    with pytest.raises(ValueError, match="hBN"):
        qt.materials.get("nope")
    from qtransport import landauer
    E = np.linspace(-0.5, 0.5, 2001)
    T = np.ones_like(E)
    assert landauer.conductance(E, T, 0.0, 300.0) == pytest.approx(1.0)
    assert landauer.conductance(E, T, np.array([0.0, 0.1]), 300.0).shape == (2,)
    assert landauer.current(E, T, np.array([0.01]), 300.0, mu_eV=0.0)[0] == pytest.approx(
        qt.G0 * 0.01, rel=1e-6, abs=0)


def test_filament_calls():
    from qtransport.tight_binding import filament
    E = np.array([0.1, 0.5, 1.0])
    r = filament.conductance(width_atoms=4, energies_eV=E, length_atoms=10, dimension=2,
                             electrode_width_atoms=None, hopping_eV=1.0, disorder_eV=0.0,
                             temperature_K=0.0, seed=0)
    assert r.energies_eV.shape == r.conductance_G0.shape == (3,)
    g = filament.growth(max_width_atoms=3, fermi_energy_eV=1.0, dimension=3)
    assert g.width_atoms.shape == g.conductance_G0.shape
    q = filament.saddle_point_qpc(energies_eV=[0.01], v0_eV=0.0, hbar_omega_x_eV=0.01,
                                  hbar_omega_y_eV=0.02)
    assert q.energies_eV.shape == q.conductance_G0.shape
    b = filament.buttiker_conductance(E, v0_eV=0.0, hbar_omega_x_eV=0.01, hbar_omega_y_eV=0.02)
    assert b.shape == (3,)


def test_tunneling_calls():
    from qtransport.tight_binding import tunneling
    E = np.array([0.1, 0.5])
    t = tunneling.rectangular_transmission(E, 1.5, 1.0, 0.5)
    assert np.all((t > 0) & (t < 1))
    b = tunneling.Barrier(height_eV=1.5, thickness_nm=1.0, effective_mass=0.5)
    for kwargs in ({"method": "tmm"}, {"method": "kwant", "lattice_constant_nm": 0.01},
                   {"method": "wkb"}):
        assert b.transmission(E, **kwargs).shape == (2,)
    assert b.current_density(np.array([0.1]), temperature_K=300.0, fermi_energy_eV=0.5).shape \
        == (1,)
    h = tunneling.hbn_barrier(n_layers=3, electrode="graphene")
    assert h.transmission(E, method="tmm").shape == (2,)
    assert np.all(tunneling.simmons_current_density(np.array([0.1]), 1.5, 1.0, 0.5) > 0)
    assert np.all(tunneling.fowler_nordheim_current_density(np.array([1e9]), 1.5, 0.5) > 0)


def test_superlattice_calls():
    from qtransport.tight_binding import superlattice
    sl = superlattice.Superlattice(well_nm=1.0, barrier_nm=0.4, barrier_height_eV=0.5,
                                   well_mass=0.24, barrier_mass=0.24)
    bands = sl.minibands(n_bands=3)
    assert bands.shape == (3, 2)
    kwant_bands = sl.minibands(n_bands=3, method="kwant", lattice_constant_nm=0.01)
    np.testing.assert_allclose(kwant_bands, bands, rtol=1e-2)
    assert sl.transmission(np.array([0.1, 0.2]), n_periods=5).shape == (2,)
    assert len(superlattice.finite_well_levels(5.0, 0.3, 0.067)) >= 1
    n = superlattice.sheet_density(np.array([0.01]), 0.05, 300.0, 0.24)
    assert np.all(np.asarray(n) > 0)
    assert isinstance(superlattice.ingao3_zno(m=3), superlattice.Superlattice)


def test_josephson_calls():
    from qtransport import josephson
    j = josephson.Junction(critical_current_A=100e-6, capacitance_F=0.5e-12, resistance_ohm=2.0)
    assert j.plasma_frequency_Hz > 0 and j.stewart_mccumber > 0
    assert j.josephson_energy_J > 0 and j.charging_energy_J > 0
    current = np.array([0.5e-4, 2e-4])
    iv = josephson.rcsj.iv_curve(j, bias_A=current, temperature_K=0.0, seed=0)
    assert iv.bias_A.shape == iv.voltage_V.shape == (2,)
    tr = josephson.rcsj.simulate(j, bias_A=current, duration_s=1e-10, temperature_K=0.0,
                                 ac_amplitude_A=0.0, ac_frequency_Hz=0.0, seed=0)
    assert tr.phase.shape[-1] == tr.time_s.shape[-1] and tr.voltage_V.shape == tr.phase.shape
    levels = josephson.quantum.spectrum(ej_GHz=20.0, ec_GHz=0.3, ng=0.3, ncut=30, levels=5)
    assert len(levels) == 5
    import qutip
    assert isinstance(josephson.quantum.hamiltonian(ej_GHz=20.0, ec_GHz=0.3, ng=0.3, ncut=30),
                      qutip.Qobj)


def test_synapse_calls():
    from qtransport import synapse
    s = synapse.PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=64, a_ltp=20.0, a_ltd=20.0)
    p = np.arange(65)
    ltp, ltd = s.conductance_ltp(p), s.conductance_ltd(p)
    # docs/validation.md's form: G_LTP(0) = G_min; G_LTD(p) = −B(1 − e^{(p−P)/A}) + G_max
    # is G_max at p = P
    assert ltp[0] == pytest.approx(1e-6) and ltd[-1] == pytest.approx(1e-4)
    f = synapse.PulseResponse.fit(p, ltp, direction="ltp")
    assert f.a_ltp == pytest.approx(20.0, rel=1e-3)
    assert f.g_min_S == pytest.approx(1e-6, rel=1e-3) and f.g_max_S == pytest.approx(1e-4, rel=1e-3)
    assert isinstance(synapse.export.to_aihwkit(s), dict)


@pytest.mark.slow
def test_network_call():
    from qtransport import synapse
    s = synapse.PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=64, a_ltp=20.0, a_ltd=20.0)
    acc = synapse.network.evaluate(s, seed=0)
    assert 0.0 <= acc.accuracy <= 1.0
