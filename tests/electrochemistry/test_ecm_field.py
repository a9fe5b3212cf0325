"""The local field of the ECM cell (electrochemistry/field.py): Laplace in the electrolyte, metal as
conductors, the bridging filament as series column resistances — analytic limits and the
consistency of the KMC rates with the potential."""
import math

import numpy as np
import pytest

from qtransport.constants import thermal_energy_eV
from qtransport.electrochemistry import ecm, field

AG = ecm.material_parameters("Ag", field_model="local")      # this file tests the local field


def _cell(**kw):
    return AG.replace(compliance_A=math.inf, thermal_resistance_K_per_W=0.0, **kw)


@pytest.mark.parametrize("front", [0, 1, 2])
def test_flat_front_gives_the_uniform_gap_field(front):
    """A cathode-connected front filling ``front`` whole columns: the electrolyte between it and
    the anode is a parallel-plate gap, φ(x) = (x − front + 1)/(g + 1) exactly (1D Laplace with
    insulating walls), i.e. the field V/((g + 1) a) of the earlier rule (round-off only: 1e-12)."""
    length = 5
    occ = np.zeros((length, 3, 3), dtype=np.int8)
    occ[:front] = ecm.ATOM
    u = ecm.site_potential(occ)
    g = length - front
    x = np.arange(length)
    expect = np.where(x < front, 0.0, (x - front + 1) / (g + 1))
    assert np.allclose(u, expect[:, None, None], atol=1e-12, rtol=0)


def test_local_rates_equal_the_uniform_gap_rates_for_a_flat_front():
    """Before contact and with a flat front the Laplace picture is the gap field: every rate of
    the two field models agrees (relative 1e-12, round-off of the exponentials)."""
    p = _cell(length_atoms=5)
    occ = np.zeros((5, 3, 3), dtype=np.int8)
    occ[:2] = ecm.ATOM
    occ[3, 0, 1] = occ[4, 2, 2] = ecm.ION
    local = ecm.FilamentKMC(p, 0, occ).rates(1.3)
    uniform = ecm.FilamentKMC(p.replace(field_model="uniform_gap"), 0, occ).rates(1.3)
    # the field-bearing channels: hops, reduction at the front, anode exchange
    assert np.allclose(local[:9], uniform[:9], rtol=1e-12, atol=0)
    # oxidation: only atoms with an electrolyte neighbour (the front column) feel the field
    front = (slice(1, 2),)
    assert np.allclose(local[9][front], uniform[9][front], rtol=1e-12, atol=0)


def test_straight_filament_of_identical_columns_drops_linearly():
    """n_j equal for every column: R_j equal, so φ_j = (j + ½)/L (linear) and every drop 1/L."""
    for length, width in ((4, 1), (6, 2), (3, 3)):
        p = AG.replace(length_atoms=length, width_atoms=3)
        occ = ecm.chain_occupation(p, width)
        phi, drop = field.column_potentials(occ == ecm.ATOM)
        assert np.allclose(phi, (np.arange(length) + 0.5) / length, atol=1e-14, rtol=0)
        assert np.allclose(drop, 1.0 / length, atol=1e-14, rtol=0)
        u = ecm.site_potential(occ)
        atoms = occ == ecm.ATOM
        assert np.allclose(u[atoms], np.broadcast_to(phi[:, None, None], occ.shape)[atoms],
                           atol=1e-14, rtol=0)


def test_single_atom_neck_carries_the_drop_in_the_ratio_of_the_resistances():
    """Thick 3 × 3 columns in series with one single-atom column: R_neck / R_thick = 9, so the
    neck takes 9/(9 + (L − 1)) of V_cell and each thick column 1/(9 + L − 1) (to 1e-10)."""
    length = 5
    occ = np.full((length, 3, 3), ecm.ATOM, dtype=np.int8)
    occ[2] = ecm.EMPTY
    occ[2, 1, 1] = ecm.ATOM
    phi, drop = field.column_potentials(occ == ecm.ATOM)
    total = 9 + (length - 1)
    assert drop[2] == pytest.approx(9 / total, abs=1e-10)
    assert np.allclose(np.delete(drop, 2), 1 / total, atol=1e-10, rtol=0)
    assert drop[2] / drop[0] == pytest.approx(9.0, rel=1e-10)
    assert drop.sum() == pytest.approx(1.0, abs=1e-12)
    assert phi[2] == pytest.approx((2 + 4.5) / total, abs=1e-10)   # mid-drop of the neck
    # the electrolyte around the neck lies between the potentials of the columns beside it
    u = ecm.site_potential(occ)
    side = u[2][occ[2] == ecm.EMPTY]
    assert np.all(side > phi[1]) and np.all(side < phi[3])


def _laplace_residual(occ, u):
    """Max |Σ_neighbours (u_t − u_s)| over electrolyte sites and over floating clusters (as a
    whole): zero for the discrete Laplace solution with insulating walls."""
    length, width, _ = occ.shape
    ext = np.zeros((length + 2, width, width))
    ext[1:-1] = u
    ext[-1] = 1.0
    labels, cath, anode = ecm._clusters(occ)
    inner = labels[1:-1, 1:-1, 1:-1]
    flux = np.zeros(occ.shape)
    for x, y, z in np.ndindex(occ.shape):
        for d in ecm.DIRECTIONS:
            yy, zz = y + d[1], z + d[2]
            if 0 <= yy < width and 0 <= zz < width:
                flux[x, y, z] += ext[x + 1 + d[0], yy, zz] - ext[x + 1, y, z]
    worst = float(np.max(np.abs(flux[occ != ecm.ATOM]), initial=0.0))
    for lab in np.unique(inner[occ == ecm.ATOM]):
        if lab not in (cath, anode):
            worst = max(worst, abs(float(flux[inner == lab].sum())))
    return worst


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_laplace_solution_satisfies_the_discrete_equation(seed):
    """Random configurations (atoms, ions, floating clusters, contact or not): the solution's
    residual of the lattice Laplace equation and of the zero-current condition of floating
    clusters is at round-off (1e-12), the metal pieces sit at their potentials, 0 ≤ u ≤ 1
    (maximum principle)."""
    rng = np.random.default_rng(seed)
    occ = rng.choice([ecm.EMPTY, ecm.ATOM, ecm.ION], size=(5, 3, 3), p=[0.45, 0.4, 0.15])
    occ = occ.astype(np.int8)
    u = ecm.site_potential(occ)
    assert _laplace_residual(occ, u) < 1e-12
    assert u.min() >= -1e-14 and u.max() <= 1 + 1e-14
    labels, cath, anode = ecm._clusters(occ)
    inner = labels[1:-1, 1:-1, 1:-1]
    if cath != anode:
        assert np.all(u[inner == cath] == 0.0) and np.all(u[inner == anode] == 1.0)


def test_sparse_and_dense_solves_agree():
    """A box above DENSE_MAX_NODES sites takes the scipy.sparse path: same equation, residual
    at round-off; and it agrees with the dense solve of the same system (1e-10)."""
    rng = np.random.default_rng(7)
    occ = rng.choice([ecm.EMPTY, ecm.ATOM], size=(12, 8, 8), p=[0.8, 0.2]).astype(np.int8)
    assert occ.size > field.DENSE_MAX_NODES
    u_sparse = ecm.site_potential(occ)
    assert _laplace_residual(occ, u_sparse) < 1e-10
    old = field.DENSE_MAX_NODES
    try:
        field.DENSE_MAX_NODES = 10 ** 6
        u_dense = ecm.site_potential(occ)
    finally:
        field.DENSE_MAX_NODES = old
    assert np.allclose(u_sparse, u_dense, atol=1e-10, rtol=0)


def test_neck_field_is_local_and_the_old_rule_puts_v_over_every_ion():
    """At contact through a single-atom neck, an ion in the thick part far from the neck sees
    a hop bias set by the potential there (≪ V_cell), while ``uniform_gap`` gives every ion
    e^{±zeV/2kT}; the hop bias of each ion is e^{ze(φ_s − φ_t)/2kT} of the Laplace potential."""
    p = _cell(length_atoms=5)
    occ = np.full((5, 3, 3), ecm.ATOM, dtype=np.int8)
    occ[2] = ecm.EMPTY
    occ[2, 1, 1] = ecm.ATOM
    occ[0, 0, 0] = ecm.ION                   # next to the cathode, far from the neck
    occ[0, 0, 1] = ecm.EMPTY
    v = 1.0
    kt = thermal_energy_eV(p.temperature_K)
    base = p.attempt_frequency_Hz * math.exp(-p.hop_barrier_eV / kt)
    u = ecm.site_potential(occ)
    k = ecm.FilamentKMC(p, 0, occ).rates(cell_voltage_V=v, temperature_K=p.temperature_K)
    hop = k[ecm.CHANNELS.index("ion_hop(0, 0, 1)"), 0, 0, 0]
    assert hop == pytest.approx(base * math.exp((u[0, 0, 0] - u[0, 0, 1]) * v / (2 * kt)),
                                rel=1e-12)
    assert abs(u[0, 0, 0] - u[0, 0, 1]) < 0.05                 # ≪ V_cell: the field is local
    uniform = ecm.FilamentKMC(p.replace(field_model="uniform_gap"), 0, occ).rates(
        cell_voltage_V=v, temperature_K=p.temperature_K)
    assert uniform[ecm.CHANNELS.index("ion_hop(0, 0, 1)"), 0, 0, 0] == pytest.approx(base)
    assert uniform[ecm.CHANNELS.index("ion_hop(-1, 0, 0)"), 0, 0, 0] == 0.0   # cathode: no site
    # the uniform rule: an ion anywhere is pushed by e^{zeV/2kT} along x at contact
    occ2 = occ.copy()
    occ2[0, 0, 0], occ2[0, 0, 1], occ2[1, 0, 0] = ecm.EMPTY, ecm.ATOM, ecm.ION
    r2 = ecm.FilamentKMC(p.replace(field_model="uniform_gap"), 0, occ2).rates(
        cell_voltage_V=v, temperature_K=p.temperature_K)
    assert r2[0, 1, 0, 0] == pytest.approx(base * math.exp(v / (2 * kt)), rel=1e-12)
    # ... and η = V at contact for reduction and oxidation next to the filament (closed forms)
    k0 = p.attempt_frequency_Hz * math.exp(-p.charge_transfer_barrier_eV / kt)
    assert r2[ecm.CHANNELS.index("reduction"), 1, 0, 0] == pytest.approx(
        k0 * math.exp(p.alpha * v / kt), rel=1e-12)
    n_bonds = 4                                    # atom (0, 1, 0): cathode, (1,1,0), (0,2,0), (0,1,1)
    k_ox = (k0 * math.exp(-p.ion_formation_eV / kt)
            * math.exp(-(n_bonds - p.kink_coordination) * p.bond_energy_eV / kt)
            * math.exp(-(1 - p.alpha) * v / kt))
    assert r2[ecm.CHANNELS.index("oxidation"), 0, 1, 0] == pytest.approx(k_ox, rel=1e-12, abs=0)


@pytest.mark.parametrize("model", ecm.FIELD_MODELS)
def test_zero_bias_rates_are_the_same_for_both_field_models(model):
    """At V = 0 there is no field in either model: the rates (and so detailed balance,
    tests/electrochemistry/test_ecm.py) do not depend on the field model."""
    rng = np.random.default_rng(3)
    occ = rng.choice([0, 1, 2], size=(4, 3, 3)).astype(np.int8)
    p = _cell()
    ref = ecm.FilamentKMC(p.replace(field_model="uniform_gap"), 0, occ).rates(0.0)
    got = ecm.FilamentKMC(p.replace(field_model=model), 0, occ).rates(0.0)
    # at zero bias both models multiply by exp(0) = 1: the same rates to round-off
    np.testing.assert_allclose(got, ref, rtol=1e-14, atol=0)


def test_bad_field_model_is_named():
    with pytest.raises(ValueError, match="field_model"):
        AG.replace(field_model="poisson")
    with pytest.raises(ValueError, match="bridge"):
        field.column_potentials(np.zeros((3, 2, 2), dtype=bool))
