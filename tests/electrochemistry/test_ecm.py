"""ECM kinetic Monte Carlo: single-process statistics, drift = mean-field rate, detailed balance,
Arrhenius retention, reproducibility, Kwant conductance of the configurations, errors."""
import itertools
import math

import numpy as np
import pytest
from scipy import stats

from qtransport.constants import G0, thermal_energy_eV
from qtransport.electrochemistry import ecm, rates

AG = ecm.material_parameters("Ag")


def _single_atom_cell(temperature_K=300.0):
    """One site between the electrodes holding one atom: its oxidation is the only process."""
    return AG.replace(width_atoms=1, length_atoms=1, temperature_K=temperature_K,
                      compliance_A=math.inf, thermal_resistance_K_per_W=0.0)


def _oxidation_rate(p):
    """Analytic rate of the single-atom cell: k0 e^{-ΔG/kT} e^{-(n - n_kink) ε_b/kT}, n = 2."""
    kt = thermal_energy_eV(p.temperature_K)
    return (p.attempt_frequency_Hz * math.exp(-(p.charge_transfer_barrier_eV
                                                + p.ion_formation_eV) / kt)
            * math.exp(-(2 - p.kink_coordination) * p.bond_energy_eV / kt))


def test_single_process_waiting_times_are_exponential_with_the_analytic_mean():
    p = _single_atom_cell()
    k = _oxidation_rate(p)
    n = 2000
    start = np.ones((1, 1, 1), dtype=np.int8)
    times = np.array([ecm.FilamentKMC(p, s, start).run_until(ecm._broken, 0.0).width_s
                      for s in range(n)])
    # law of large numbers: the mean of n exponential draws has standard error τ/√n
    assert abs(times.mean() - 1 / k) < 4 / (k * math.sqrt(n))
    # Poisson process: the waiting times are exponential (KS test at the 1e-3 level)
    assert stats.kstest(times * k, "expon").pvalue > 1e-3
    assert np.isclose(ecm.FilamentKMC(p, 0, start).rates().sum(), k, rtol=1e-12)


def test_retention_is_arrhenius_with_the_input_activation_energy():
    temps = np.array([300.0, 350.0, 400.0, 450.0])
    r = ecm.retention_times(temps, width_atoms=1, length_atoms=1, n_runs=400, seed=1)
    # the single atom's dissolution barrier: E_ct + ΔG_ion + (n − n_kink) ε_b with n = 2 bonds
    ea = (AG.charge_transfer_barrier_eV + AG.ion_formation_eV
          + (2 - AG.kink_coordination) * AG.bond_energy_eV)
    # ln τ has statistical error 1/√n per temperature; the slope over Δ(1/kT) = 15 /eV has an
    # error ≲ 2/(√n · 15) ≈ 0.007 eV: allow 4 of those
    assert float(r.activation_energy_eV) == pytest.approx(ea, abs=0.03)
    np.testing.assert_allclose(r.mean_time_s * [_oxidation_rate(_single_atom_cell(t))
                                                for t in temps], 1.0, atol=4 / math.sqrt(400))


def test_ion_drift_velocity_equals_the_mean_field_hopping_rate():
    """One ion in a long bare cell (redox frozen): a (N_fwd − N_bwd)/T = a (k_f − k_b)."""
    length, volts = 16, 1.0
    p = AG.replace(width_atoms=1, length_atoms=length, charge_transfer_barrier_eV=5.0,
                   compliance_A=math.inf, thermal_resistance_K_per_W=0.0)
    a = p.spacing_nm * 1e-9
    # bare cell: the field is uniform, V over the (L + 1) spacings between the electrodes
    field = volts / ((length + 1) * a)
    k_f, k_b = rates.hopping_rates(field, p.hop_barrier_eV, p.spacing_nm, p.temperature_K,
                                   p.attempt_frequency_Hz)

    def at_wall(occ):                 # stop before a wall could block a hop
        x = int(np.flatnonzero(occ.ravel() == ecm.ION)[0])
        return x in (0, length - 1)

    n_fwd = n_bwd = 0
    total = 0.0
    for seed in range(40):
        occ = np.zeros((length, 1, 1), dtype=np.int8)
        occ[length - 2] = ecm.ION
        rec = ecm.FilamentKMC(p, seed, occ).run_until(at_wall, volts, 50 / k_f)
        n_fwd += int(rec.events[ecm.CHANNELS.index("ion_hop(-1, 0, 0)")])
        n_bwd += int(rec.events[ecm.CHANNELS.index("ion_hop(1, 0, 0)")])
        total += rec.width_s
        assert rec.events.sum() == rec.events[:2].sum()       # only hops happened
    v_kmc = a * (n_fwd - n_bwd) / total
    v_mf = rates.drift_velocity(field, p.hop_barrier_eV, p.spacing_nm, p.temperature_K,
                                p.attempt_frequency_Hz)
    assert v_mf == pytest.approx(a * (k_f - k_b), rel=1e-12)
    # the hop counts are Poisson: standard error a √(N_fwd + N_bwd) / T
    assert abs(v_kmc - v_mf) < 4 * a * math.sqrt(n_fwd + n_bwd) / total


def _all_states(shape):
    for values in itertools.product((0, 1, 2), repeat=int(np.prod(shape))):
        yield np.array(values, dtype=np.int8).reshape(shape)


@pytest.mark.parametrize("shape", [(3, 1, 1), (1, 2, 2)])
def test_zero_bias_rates_obey_detailed_balance(shape):
    """k_ij / k_ji = exp(−(E_j − E_i)/kT) for every pair of configurations: no drift at V = 0."""
    p = AG.replace(length_atoms=shape[0], width_atoms=shape[1], temperature_K=400.0)
    kt = thermal_energy_eV(p.temperature_K)
    kmc = ecm.FilamentKMC(p, 0)

    def moves(state):
        kmc.occupation = state.copy()
        r = kmc.rates(0.0)
        out = {}
        for c, *site in zip(*np.nonzero(r)):
            kmc.occupation = state.copy()
            kmc.apply(c, site)
            key = kmc.occupation.tobytes()
            out[key] = out.get(key, 0.0) + r[(c, *site)]
        return out

    checked = 0
    for state in _all_states(shape):
        e_i = ecm.configuration_energy_eV(state, p)
        for key, k_ij in moves(state).items():
            target = np.frombuffer(key, dtype=np.int8).reshape(shape)
            k_ji = moves(target).get(state.tobytes(), 0.0)
            assert k_ji > 0, f"irreversible move {state.ravel()} -> {target.ravel()}"
            e_j = ecm.configuration_energy_eV(target, p)
            assert k_ij / k_ji == pytest.approx(math.exp(-(e_j - e_i) / kt), rel=1e-9)
            checked += 1
    assert checked > 50


def test_same_seed_same_trajectory_and_other_seed_another():
    kw = dict(set_voltage_V=1.5, set_width_s=5e-2, reset_voltage_V=-1.0, n_pulses=4)
    a, b = ecm.pulse_train(seed=5, **kw), ecm.pulse_train(seed=5, **kw)
    assert a == b
    # contract: same seed -> the same integer site occupations (bit-identical trajectory)
    occ_a, occ_b = np.asarray(a.occupations), np.asarray(b.occupations)
    assert occ_a.dtype.kind in "iu" and occ_a.tolist() == occ_b.tolist()
    c = ecm.pulse_train(seed=6, **kw)
    assert not np.array_equal(a.n_events, c.n_events)


def _direct_kwant_G0(occ, material="Ag"):
    """Independent Kwant system with only the atoms as sites (no vacancy barrier)."""
    import kwant
    from qtransport.tight_binding import filament as tb
    t = tb.metal_hopping_eV(material)
    lat = kwant.lattice.cubic(1, norbs=1)
    length, width, _ = occ.shape
    syst = kwant.Builder()
    for x in range(length + 4):
        for y in range(width):
            for z in range(width):
                if x < 2 or x >= length + 2 or occ[x - 2, y, z] == ecm.ATOM:
                    syst[lat(x, y, z)] = 6 * t
    syst[lat.neighbors()] = -t
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0, 0)))
    for y in range(width):
        for z in range(width):
            lead[lat(0, y, z)] = 6 * t
    lead[lat.neighbors()] = -t
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return kwant.smatrix(syst.finalized(), 6 * t).transmission(1, 0)


def test_conductance_of_kmc_configurations_equals_direct_kwant():
    r = ecm.pulse_train(set_voltage_V=2.5, set_width_s=1e-3, reset_voltage_V=-1.0,
                        n_pulses=3, seed=2)
    bridged = [i for i, g in enumerate(r.gap_columns) if g == 0]
    assert bridged, "the SET train should reach contact"
    for i in bridged:
        # vacancies couple with (t/U)^2 = 1e-18: both calculations agree to rounding
        assert r.conductance_G0[i] == pytest.approx(_direct_kwant_G0(r.occupations[i]),
                                                    abs=1e-10)
        assert r.conductance_S[i] == pytest.approx(r.conductance_G0[i] * G0, rel=1e-12)
    # before contact the read current is the gap's tunneling current, far below G0
    assert r.conductance_S[bridged[0] - 1] < 1e-3 * G0
    # the configuration at the moment of first contact carries one atomic channel (~1 G0)
    rec = ecm.FilamentKMC(AG, 3).run_until(ecm._contact, 2.0, 10.0)
    assert ecm.channel_estimate(rec.occupation) == 1
    g_first = ecm.configuration_conductance(rec.occupation)
    assert g_first == pytest.approx(_direct_kwant_G0(rec.occupation), abs=1e-10)
    assert 0.3 < g_first < 1.0 + 1e-9
    # the full box is the uniform wire: G = number of open modes
    from qtransport.tight_binding.filament import wire_mode_count, metal_hopping_eV
    t = metal_hopping_eV("Ag")
    full = ecm.chain_occupation(AG, AG.width_atoms)
    assert ecm.configuration_conductance(full) == pytest.approx(
        float(wire_mode_count(AG.width_atoms, np.array([6 * t]), 3, t)[0]), abs=1e-6)


def test_switching_time_falls_exponentially_with_voltage():
    r = ecm.switching_times([1.0, 2.0, 3.0], n_runs=6, seed=0)
    assert np.all(np.isfinite(r.mean_time_s))
    # orders of magnitude per volt (the voltage–time dilemma), faster than any power law
    decades = -np.diff(np.log10(r.mean_time_s))
    assert np.all(decades > 0.5)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="width_atoms"):
        ecm.ECMParameters(width_atoms=0)
    with pytest.raises(ValueError, match="alpha"):
        AG.replace(alpha=1.5)
    with pytest.raises(TypeError, match="unknown ECM parameter"):
        AG.replace(nonsense=1)
    with pytest.raises(ValueError, match="occupation"):
        ecm.FilamentKMC(AG, 0, np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="ECM kinetic parameters"):
        ecm.material_parameters("Nb")
    with pytest.raises(ValueError, match="max_events"):
        ecm.FilamentKMC(AG, 0).pulse(3.0, 1.0, max_events=5)
    with pytest.raises(ValueError, match="voltages_V"):
        ecm.switching_times([-1.0])
    with pytest.raises(ValueError, match="disorder_eV"):
        AG.replace(disorder_eV=-0.1)
    with pytest.raises(ValueError, match="material 'Xx'"):
        AG.replace(material="Xx")
    with pytest.raises(TypeError, match="material"):
        AG.replace(material=3)
    with pytest.raises(ValueError, match="gap"):
        ecm.gap_current_A(1.0, 0, 1, AG)


@pytest.mark.parametrize("delay", [-1.5e-3, -0.4e-3, 0.0, 0.4e-3, 1.5e-3, 2.5e-3])
def test_spike_pair_overlap_is_twice_the_amplitude_for_the_overlap_time(delay):
    tau, amp = 1e-3, 0.8
    wave = ecm.spike_pair_waveform(delay, amp, tau)
    # pre's positive half [τ, 2τ) against post's negative half [Δt, Δt + τ) (and mirrored)
    d = abs(delay)
    overlap = max(0.0, min(2 * tau, d + tau) - max(tau, d))
    sign = 1.0 if delay > 0 else -1.0
    at_peak = sum(w for v, w in wave if abs(v - sign * 2 * amp) < 1e-12)
    assert at_peak == pytest.approx(overlap if delay != 0 else 0.0, abs=1e-15)
    assert sum(w for _, w in wave) == pytest.approx(2 * tau + d, abs=1e-15)
    assert max(abs(v) for v, _ in wave) <= 2 * amp + 1e-12


def test_stdp_window_is_reproducible_and_finite():
    r = ecm.stdp_window([-0.5e-3, 0.5e-3], n_runs=2, seed=3)
    assert np.all(np.isfinite(r.log_change))
    assert ecm.stdp_window([-0.5e-3, 0.5e-3], n_runs=2, seed=3) == r


def test_in_loop_current_is_g_of_the_configuration_times_v_and_respects_compliance():
    """The KMC's electrical loop: at contact I = G0 G(config) V_cell with G the Kwant conductance
    of that very configuration, before contact the transfer-matrix tunneling current of the gap;
    the compliance is never exceeded; the pulse energy is the sum of V I dt."""
    from qtransport.tight_binding.tunneling import Barrier
    from qtransport.materials import get as material
    p = AG.replace(disorder_eV=0.3, disorder_seed=4, thermal_resistance_K_per_W=1e6)
    kmc = ecm.FilamentKMC(p, 4)
    recs = [kmc.pulse(2.5, 1e-3, trace=True) for _ in range(3)]
    ag = material("Ag")
    ef = float(ag.fermi_energy_eV)
    contact = tunnel = limited = 0
    direct: dict = {}
    for rec in recs:
        tr = rec.trace
        # the energy of the pulse is the integral of V_cell I over its intervals
        assert rec.energy_J == pytest.approx(float(np.sum(tr["cell_voltage_V"] * tr["current_A"]
                                                          * tr["duration_s"])), rel=1e-12, abs=0)
        assert tr["duration_s"].sum() == pytest.approx(1e-3, rel=1e-12)
        for v, i, gap, occ in zip(tr["cell_voltage_V"], tr["current_A"], tr["gap_columns"],
                                  tr["occupations"]):
            # compliance: never above I_cc (rounding of I_cc/G · G allowed)
            assert i <= p.compliance_A * (1 + 1e-12)
            limited += v < 2.5 * (1 - 1e-9)
            if gap == 0:
                key = occ.tobytes()
                if key not in direct:     # a fresh Kwant solve of this configuration (uncached)
                    direct[key] = ecm.configuration_conductance(occ, "Ag", disorder_eV=0.3,
                                                                seed=4)
                assert i == pytest.approx(G0 * direct[key] * v, rel=1e-10)
                contact += 1
            else:
                front = ecm.cluster_state(occ)[2]
                b = Barrier(height_eV=ef + p.tunnel_barrier_eV, thickness_nm=gap * p.spacing_nm,
                            effective_mass=p.tunnel_mass, fermi_energy_eV=ef)
                j = b.current_density(v, p.temperature_K)
                assert i == pytest.approx(j * front * (p.spacing_nm * 1e-9) ** 2, rel=1e-12, abs=0)
                tunnel += 1
    assert contact > 5 and tunnel > 5 and limited > 0
    # the clean configurations also equal an independently built Kwant system (no vacancies)
    occ = np.frombuffer(next(iter(direct)), dtype=np.int8).reshape(recs[0].occupation.shape)
    assert ecm.loop_conductance_G0(occ, AG) == pytest.approx(_direct_kwant_G0(occ), abs=1e-10)


def test_compliance_lowers_the_cell_voltage_to_the_compliance_current():
    p = AG.replace(compliance_A=1e-7)
    # a one-column tunneling gap from 4 front atoms: 1e-7 A is reached well below 2 V
    v, i = ecm.operating_point(2.0, 1, 4, 0.0, p)
    assert 0 < v < 2.0 and i == pytest.approx(1e-7, rel=1e-9, abs=0) and i <= 1e-7
    assert ecm.gap_current_A(v, 1, 4, p) == pytest.approx(1e-7, rel=1e-9, abs=0)
    # at contact: V_cell = I_cc / G exactly
    v, i = ecm.operating_point(2.0, 0, 0, 1.7, p)
    assert v == pytest.approx(1e-7 / (1.7 * G0), rel=1e-14) and i <= 1e-7 * (1 + 1e-14)
    # no compliance on the RESET polarity: I = G V
    v, i = ecm.operating_point(-2.0, 0, 0, 1.7, p)
    assert v == -2.0 and i == pytest.approx(-2.0 * 1.7 * G0, rel=1e-14)
    # the tunneling current is odd in V for identical electrodes
    assert ecm.gap_current_A(-0.7, 2, 3, p) == pytest.approx(-ecm.gap_current_A(0.7, 2, 3, p),
                                                             rel=1e-9, abs=0)


def _first_contact_mfpt(p, volts):
    """Exact mean first-passage time from the empty cell to contact: the master equation of
    every configuration with the KMC's rates, solved as a linear system."""
    shape = (p.length_atoms, p.width_atoms, p.width_atoms)
    states = list(_all_states(shape))
    index = {s.tobytes(): k for k, s in enumerate(states)}
    kmc = ecm.FilamentKMC(p, 0)
    q = np.zeros((len(states), len(states)))
    open_ = np.array([ecm.gap_columns(s) > 0 for s in states])
    for k, s in enumerate(states):
        if not open_[k]:
            continue
        kmc.occupation = s.copy()
        r = kmc.rates(volts)
        for c, *site in zip(*np.nonzero(r)):
            kmc.occupation = s.copy()
            kmc.apply(c, site)
            q[k, index[kmc.occupation.tobytes()]] += r[(c, *site)]
            q[k, k] -= r[(c, *site)]
    times = np.linalg.solve(-q[np.ix_(open_, open_)], np.ones(open_.sum()))
    return float(times[np.flatnonzero(open_).tolist().index(index[states[0].tobytes()])])


def test_switching_time_follows_the_butler_volmer_law_of_the_rate_limiting_step():
    """SET time of a 2-site cell: KMC = exact master equation at every voltage, and at high
    field t_SET = 1/k_ox of the Butler–Volmer anodic emission with the input parameters —
    exp(−(1 − α) z e V/((L + 1) k_BT)): decades of time per volt (the voltage–time dilemma)."""
    p = AG.replace(width_atoms=1, length_atoms=2, compliance_A=math.inf,
                   thermal_resistance_K_per_W=0.0)
    kt = thermal_energy_eV(p.temperature_K)
    volts = np.array([1.0, 1.5, 2.0, 2.5, 3.0])
    n = 300
    r = ecm.switching_times(volts, width_atoms=1, length_atoms=2, compliance_A=math.inf,
                            thermal_resistance_K_per_W=0.0, n_runs=n, seed=2)
    exact = np.array([_first_contact_mfpt(p, v) for v in volts])
    # KMC mean vs exact mean: 4 standard errors of the n sampled times
    assert np.all(np.abs(r.mean_time_s - exact) < 4 * r.stderr_time_s)
    # Butler–Volmer oxidation at the anode (k0 = ν e^{−(E_ct + ΔG_ion)/kT}, η = −V/(L + 1))
    k0 = p.attempt_frequency_Hz * math.exp(-(p.charge_transfer_barrier_eV
                                             + p.ion_formation_eV) / kt)
    _, k_ox = rates.butler_volmer_rates(-volts / (p.length_atoms + 1), k0, p.temperature_K,
                                        p.alpha)
    high = volts >= 2.0
    # the other steps (hop, reduction, second emission at V/2) add < 0.2 % at V >= 2 V
    np.testing.assert_allclose(exact[high] * k_ox[high], 1.0, atol=2e-3)
    np.testing.assert_allclose(r.mean_time_s[high] * k_ox[high], 1.0,
                               atol=4 / math.sqrt(n) + 2e-3)
    slope = np.polyfit(volts[high], np.log(r.mean_time_s[high]), 1)[0]
    expected = -(1 - p.alpha) * p.charge_number / ((p.length_atoms + 1) * kt)
    # ln t of n exponential draws has error ≈ 1/√n per point over 1 V: slope error ≲ 0.1 /V
    assert slope == pytest.approx(expected, abs=4 * 1.5 / math.sqrt(n) / 1.0)
    assert -slope / math.log(10) > 2.0                 # > 2 decades per volt


@pytest.mark.parametrize("model", ecm.FIELD_MODELS)
def test_trailing_half_spike_dissolves_the_fresh_contact_only_under_the_uniform_gap_rule(model):
    """The STDP mechanism of docs/filament.md: from the one-column-gap mid state the +2A overlap
    alone bridges the gap in every run. Under ``uniform_gap`` the −A half that follows it (the
    post spike's positive half for Δt > 0) dissolves the fresh contact — the whole V_cell acts
    over one spacing at contact (η = V), in the gap only V/(g + 1) — so the pair ends below the
    start and below the same −A on the gap state. With the local and the scattering (default)
    field the −A half acts through the potential drop at the neck only: it thins the contact,
    and with the local field the pair ends above the start on average (below the +2A segment
    alone); with the scattering (default) field it dissolves the contact in some runs, so the
    pair ends below the +2A segment alone, at a mean not resolved from the start."""
    p = ecm._cell("Ag", 3, 4, 300.0, 1e-4, 1e6, model)
    start = ecm._gap_start(p)
    g0 = ecm.read_conductance_S(start, p)
    n = 8

    def change(segments):
        out, contacts = [], 0
        for s in range(n):
            kmc = ecm.FilamentKMC(p, 500 + s, start)
            touched = [not math.isnan(kmc.pulse(v, w).first_contact_s) for v, w in segments]
            contacts += any(touched)
            out.append(math.log(ecm.read_conductance_S(kmc.occupation, p) / g0))
        return np.array(out), contacts

    up, contacts = change([(2.0, 5e-4)])
    assert contacts == n and np.all(up > 0)
    down, contacts = change([(2.0, 5e-4), (-1.0, 5e-4)])
    assert contacts == n                          # every run touched the anode ...
    if model == "uniform_gap":
        assert np.mean(down) < 0                  # ... and ends below the start on average
        # the same −1 V on the gap state (η = V/2) is far weaker than on the fresh contact
        gap_only, _ = change([(-1.0, 5e-4)])
        assert np.mean(down) < np.mean(gap_only)
    elif model == "local":
        # ... and keeps most of its gain (measured: up +3.0, down +1.9 ± 0.3 over 12 runs)
        assert 0 < np.mean(down) < np.mean(up)
    else:
        # scattering: the −A half loses part of the gain, and the loss is resolved from the
        # run-to-run spread (2 standard errors of the n paired runs); whether what is left is
        # above the start is not (measured +0.54 ± 0.65 over 12 runs), so it is not asserted
        loss = up - down
        assert np.mean(loss) > 2 * np.std(loss, ddof=1) / math.sqrt(n)


def test_on_state_conductance_rises_with_the_compliance_current():
    """After contact V_cell = I_cc/G, so growth stops at a G that scales with I_cc (G_on ∝ I_cc
    in ECM cells): 10, 40, 100 µA give increasing compliance-limited contacts (same seed)."""
    g_on = []
    for icc in (1e-5, 4e-5, 1e-4):
        r = ecm.pulse_train(set_voltage_V=2.5, set_width_s=1e-3, n_pulses=6, compliance_A=icc,
                            disorder_eV=0.3, seed=0)
        contacted = r.gap_columns[1:7] == 0
        assert contacted.sum() >= 3
        # mean of the contacted SET states (single states fluctuate by ~1 G0 between pulses)
        g_on.append(float(np.mean(r.conductance_G0[1:7][contacted])))
    assert g_on[0] < g_on[1] < g_on[2]
    assert g_on[2] > 2 * g_on[0]


def test_filament_growth_velocity_in_a_uniform_field_is_the_mean_field_rate():
    """Filament growth at a fixed field E (the applied voltage follows the gap, V = E a (g + 1)):
    each atom needs one Butler–Volmer emission at the anode (η = E a), and hopping and tip
    reduction are ≥ 1e5 times faster, so the front advances at v = a k_ox(η) (law of large
    numbers: the growth times are a sum of N exponential waits, relative error 1/√N).
    With the local field the atoms behind the front (no electrolyte neighbour in this 1 × 1
    box) feel no field and may oxidize thermally for a moment (k0 e^{−ΔG/kT} e^{ε_b/kT} ≈ 2.5/s,
    ~2 % of the emission rate at η = 0.5 V) before the ion is reduced again; the front position
    is what advances, so each step runs until the gap shrinks."""
    length, eta = 12, 0.5
    p = AG.replace(width_atoms=1, length_atoms=length, compliance_A=math.inf,
                   thermal_resistance_K_per_W=0.0)
    kt = thermal_energy_eV(p.temperature_K)
    a = p.spacing_nm * 1e-9
    total_time, atoms = 0.0, 0
    for seed in range(30):
        kmc = ecm.FilamentKMC(p, seed)
        gap = ecm.gap_columns(kmc.occupation)
        assert gap == length
        while gap > 1:
            rec = kmc.run_until(lambda occ, g=gap: ecm.gap_columns(occ) < g,
                                eta * (gap + 1), 1e3)
            new = ecm.gap_columns(rec.occupation)
            assert new == gap - 1                    # the front advances one column at a time
            total_time += rec.width_s
            atoms += 1
            gap = new
    v_kmc = a * atoms / total_time
    k0 = p.attempt_frequency_Hz * math.exp(-(p.charge_transfer_barrier_eV
                                             + p.ion_formation_eV) / kt)
    _, k_ox = rates.butler_volmer_rates(-eta, k0, p.temperature_K, p.alpha)
    v_mf = a * k_ox
    # the neglected steps: hop transit (≤ L hops at ν e^{−E_hop/kT} e^{ηz/2kT}) and tip reduction
    k_hop, _ = rates.hopping_rates(eta / a, p.hop_barrier_eV, p.spacing_nm, p.temperature_K,
                                   p.attempt_frequency_Hz)
    k_red, _ = rates.butler_volmer_rates(eta, p.attempt_frequency_Hz
                                         * math.exp(-p.charge_transfer_barrier_eV / kt),
                                         p.temperature_K, p.alpha)
    bias = k_ox * (length / k_hop + 1 / k_red)
    assert bias < 1e-4
    assert abs(v_kmc - v_mf) < 4 * v_mf / math.sqrt(atoms) + bias * v_mf, v_kmc / v_mf
