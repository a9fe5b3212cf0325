"""Lead self-energy from one Bloch eigensolve, against analytic chains and strips and Kwant.

Tolerances: Σ is a few N × N products of the QZ eigenvectors, whose round-off is ~eps × the
condition number of the retained states (≤ 1e8 by construction, ~10 here): measured ≤ 5e-12
relative to Kwant on random cells and ≤ 1e-13 from the analytic strip. 1e-10 leaves a margin of
~20 and still catches a wrong mode selection (an O(1) change of Σ).
"""
import kwant
import numpy as np
import pytest

from qtransport.tight_binding import filament, rgf
from qtransport.tight_binding.lead_selfenergy import retarded_selfenergy

RTOL = 1e-10


def _chain_sigma(x, t=1.0):
    """Retarded Σ of a semi-infinite chain (on-site 0, hopping −t) at E = x."""
    if abs(x) < 2 * t:
        return (x - 1j * np.sqrt(4 * t * t - x * x)) / 2
    return (x - np.sign(x) * np.sqrt(x * x - 4 * t * t)) / 2


@pytest.mark.parametrize("energy", [-3.0, -1.995, -1.2, 0.0, 0.4, 1.5, 1.99, 2.01, 7.0])
def test_chain_matches_the_analytic_selfenergy(energy):
    out = retarded_selfenergy(np.zeros((1, 1)), -np.ones((1, 1)), energy)
    assert out is not None
    sigma, n_open = out
    assert n_open == (1 if abs(energy) < 2 else 0)
    assert abs(sigma[0, 0] - _chain_sigma(energy)) <= 1e-13


def test_strip_matches_the_analytic_selfenergy_of_its_transverse_channels():
    """A W = 9 square-lattice electrode: Σ = U diag(Σ_chain(E − ε_n)) U† over its transverse
    modes ε_n, at energies across the band (thresholds excluded by ≥ 1e-2 t)."""
    lead = filament.system(3, 6, electrode_width_atoms=9).finalized().leads[0]
    h, v = lead.cell_hamiltonian(), lead.inter_cell_hopping()
    t = -float(v[0, 0].real)
    eps, u = np.linalg.eigh(h)
    used = 0
    for energy in np.linspace(-0.3, 8.3, 41):
        out = retarded_selfenergy(h, v, energy)
        if out is None:
            continue
        used += 1
        exact = u @ np.diag([_chain_sigma(energy - e, t) for e in eps]) @ u.conj().T
        assert np.abs(out[0] - exact).max() <= 1e-12 * t
        assert out[1] == int(np.sum(np.abs(energy - eps) < 2 * t))
    assert used >= 35                    # the eigensolve, not Kwant, answered nearly all


def _random_lead(rng, width, norbs, partial):
    """A square-lattice strip with random on-sites, complex (Peierls-like) hoppings, optionally
    a spin-like orbital pair, and optionally sites without a hopping to the next cell (M < N)."""
    lat = kwant.lattice.square(1, norbs=norbs)
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    for y in range(width):
        a = rng.normal(size=(norbs, norbs)) + 1j * rng.normal(size=(norbs, norbs))
        lead[lat(0, y)] = (a + a.conj().T) / 2 + 2.0 * np.eye(norbs)
    for y in range(width - 1):
        lead[lat(0, y + 1), lat(0, y)] = -np.eye(norbs) * np.exp(1j * rng.uniform(0, 3))
    for y in range(width):
        if partial and y == width - 1 and width > 1:
            continue                                 # this site couples only inside its cell
        hop = rng.normal(size=(norbs, norbs)) + 1j * rng.normal(size=(norbs, norbs))
        lead[lat(1, y), lat(0, y)] = -np.eye(norbs) + 0.3 * hop
    return lead.finalized()


@pytest.mark.parametrize("seed", range(4))
def test_random_leads_match_kwant(seed):
    rng = np.random.default_rng(seed)
    used = total = 0
    for _ in range(12):
        lead = _random_lead(rng, int(rng.integers(1, 7)), int(rng.choice([1, 2])),
                            bool(rng.integers(0, 2)))
        h, v = lead.cell_hamiltonian(), lead.inter_cell_hopping()
        for energy in rng.uniform(-4, 8, 6):
            total += 1
            out = retarded_selfenergy(h, v, energy)
            if out is None:
                continue
            used += 1
            _, stabilized = lead.modes(energy)
            reference = stabilized.selfenergy()
            scale = max(np.abs(reference).max(), 1e-300)
            assert np.abs(out[0] - reference).max() <= RTOL * scale
            assert out[1] == stabilized.nmodes
            assert out[0].shape == (v.shape[1], v.shape[1])
    assert used >= 0.8 * total, (used, total)


def test_spin_degenerate_lead_uses_the_eigensolve_and_matches_kwant():
    """Two identical orbitals per site: every λ twice, both copies moving the same way."""
    lat = kwant.lattice.square(1, norbs=2)
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    lead[(lat(0, y) for y in range(4))] = 4.0 * np.eye(2)
    lead[lat.neighbors()] = -np.eye(2)
    lead = lead.finalized()
    h, v = lead.cell_hamiltonian(), lead.inter_cell_hopping()
    for energy in (0.7, 2.3, 4.1, 6.6):
        out = retarded_selfenergy(h, v, energy)
        assert out is not None
        reference = lead.modes(energy)[1]
        assert np.abs(out[0] - reference.selfenergy()).max() <= RTOL
        assert out[1] == reference.nmodes and out[1] % 2 == 0


def test_declines_where_the_decomposition_is_ambiguous():
    # a mode threshold: the chain's band edge
    assert retarded_selfenergy(np.zeros((1, 1)), -np.ones((1, 1)), 2.0) is None
    # two chains with bands E = ∓2 cos k cross at E = 0 with the same λ = ±i and opposite
    # velocities: a degenerate group moving both ways (Kwant separates it)
    assert retarded_selfenergy(np.zeros((2, 2)), np.diag([-1.0, 1.0]), 0.0) is None


def test_lead_selfenergy_falls_back_to_kwant_on_the_crossing():
    """rgf.lead_selfenergy gives Kwant's Σ where the eigensolve declines."""
    lat, sub = kwant.lattice.general([(1.0, 0.0), (0.0, 1.0)], [(0, 0), (0, 0.5)],
                                     norbs=1).sublattices
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    lead[lat(0, 0)] = 0.0
    lead[sub(0, 0)] = 0.0
    lead[lat(1, 0), lat(0, 0)] = -1.0
    lead[sub(1, 0), sub(0, 0)] = 1.0
    lead = lead.finalized()
    rgf.clear_lead_cache()
    sigma, n_open, _ = rgf.lead_selfenergy(lead, 0.0)
    reference = lead.modes(0.0)[1]
    assert n_open == reference.nmodes == 2
    assert np.abs(sigma - reference.selfenergy()).max() <= RTOL


@pytest.mark.parametrize("kwargs,error,words", [
    (dict(h_cell=np.zeros((2, 3))), ValueError, "h_cell must be square"),
    (dict(h_hop=np.ones((3, 1))), ValueError, "h_hop must have shape (N, M) with N = 2"),
    (dict(h_hop=np.ones((2, 3))), ValueError, "1 <= M <= N"),
    (dict(h_cell=np.array([[0.0, 1.0], [0.0, 0.0]])), ValueError, "Hermitian"),
    (dict(h_cell=np.full((2, 2), np.nan)), ValueError, "h_cell must be finite"),
    (dict(h_hop=np.array([["a", "b"], ["c", "d"]])), TypeError, "h_hop must be a numeric"),
    (dict(h_hop=np.ones(2)), ValueError, "h_hop must be a non-empty 2-D array"),
    (dict(energy=float("inf")), ValueError, "energy"),
    (dict(energy="1.0"), TypeError, "energy"),
    (dict(max_orbitals=1), ValueError, "max_orbitals"),
])
def test_bad_input_names_the_parameter(kwargs, error, words):
    args = dict(h_cell=np.zeros((2, 2)), h_hop=-np.eye(2), energy=0.5)
    args.update(kwargs)
    with pytest.raises(error, match=None) as info:
        retarded_selfenergy(**args)
    assert words in str(info.value), str(info.value)


def test_decoupled_cells_are_left_to_kwant():
    assert retarded_selfenergy(np.eye(2), np.zeros((2, 2)), 0.3) is None
