"""Transport through ribbons built from imported models.

References: a clean ribbon transmits exactly its number of open lead modes, counted here
independently from the lead's band structure (kwant.physics.Bands, crossings of E); zigzag graphene
ribbons have G = G0 near E = 0 (edge state; Brey & Fertig 2006); armchair ribbons are metallic
only for N = 3M + 2 dimer lines.
"""
from __future__ import annotations

import numpy as np
import pytest

from qtransport import results
from qtransport.tight_binding import tb_examples, tb_systems, wannier
from qtransport.workflows import catalog


def _band_count(fsyst, energies):
    """Right-moving modes = half the crossings of E by the lead bands over the zone.

    Sign changes of E_n(k) − E on a periodic 1200-point k grid, plus the pairs of crossings a band
    makes between two grid points: every local extremum of a band on the grid (the zone boundary
    included) that is close enough to E is refined by bounded minimization, and if it passes E it
    adds one crossing pair.
    """
    import kwant
    from scipy.optimize import minimize_scalar
    bands = kwant.physics.Bands(fsyst.leads[0])
    k = np.linspace(-np.pi, np.pi, 1200, endpoint=False)
    dk = k[1] - k[0]
    b = np.array([bands(x) for x in k])                    # (nk, n_bands), sorted per k
    prev, nxt = np.roll(b, 1, axis=0), np.roll(b, -1, axis=0)
    counts = []
    for e in energies:
        s = np.sign(b - e)
        n = np.sum(s != np.roll(s, -1, axis=0))            # crossings around the closed zone
        for i, m in zip(*np.nonzero((b - prev) * (nxt - b) < 0)):
            sgn = 1.0 if b[i, m] > prev[i, m] else -1.0     # +1 at a maximum
            if sgn * (b[i, m] - e) >= 0 or s[i - 1, m] != s[i, m] \
                    or s[(i + 1) % k.size, m] != s[i, m]:
                continue                                    # no hidden pair: already counted
            if abs(b[i, m] - e) > 4 * max(abs(b[i, m] - prev[i, m]), abs(nxt[i, m] - b[i, m])):
                continue    # a smooth band cannot overshoot its samples by that much in 2 dk
            opt = minimize_scalar(lambda x: -sgn * bands(x)[m], bounds=(k[i] - dk, k[i] + dk),
                                  method="bounded", options={"xatol": 1e-12})
            extreme = -sgn * opt.fun
            n += 2 * bool(sgn * (extreme - e) > 0)
        counts.append(n // 2)
    return np.array(counts)


@pytest.mark.parametrize("edge,width", [("zigzag", 3), ("zigzag", 6), ("armchair", 5),
                                        ("armchair", 6)])
def test_ribbon_plateaus_equal_mode_count(edge, width):
    # Integer plateaus to 1e-8 (MUMPS solve of a clean system; unitarity checked to 1e-8).
    g = wannier.example("graphene")
    T = tb_systems.edge_translation(g, edge)
    fsyst = tb_systems.ribbon(g, T, width_cells=width, length_cells=3)
    E = np.array([0.03, 0.2, 0.45, 0.9, 1.3, 1.9, -0.7])
    G = tb_systems.conductance(fsyst, E)
    assert np.max(np.abs(G - np.round(G))) < 1e-8
    assert np.array_equal(np.round(G).astype(int), _band_count(fsyst, E))


def test_zigzag_edge_state_and_armchair_metallicity():
    r = catalog.get_model("tb_systems.ribbon_conductance")
    small = np.array([-0.05, -0.01, 0.01, 0.05])
    for width in (2, 5):
        zz = r(energies_eV=small, edge="zigzag", width_cells=width, length_cells=2)
        assert np.allclose(zz.conductance_G0, 1.0, atol=1e-8)
        assert np.array_equal(zz.open_modes, np.ones(4, int))
    assert np.allclose(r(energies_eV=small, edge="armchair", width_cells=8,
                         length_cells=2).conductance_G0, 1.0, atol=1e-8)     # 8 = 3·2 + 2
    assert np.allclose(r(energies_eV=small, edge="armchair", width_cells=7,
                         length_cells=2).conductance_G0, 0.0, atol=1e-8)


def test_zigzag_plateaus_are_odd():
    # Zigzag graphene ribbons: G = 1, 3, 5 … G0 (valley-degenerate bulk modes + one edge channel).
    r = catalog.get_model("tb_systems.ribbon_conductance")(
        energies_eV=np.linspace(0.02, 2.0, 8), edge="zigzag", width_cells=5, length_cells=2)
    G = np.round(r.conductance_G0).astype(int)
    assert np.max(np.abs(r.conductance_G0 - G)) < 1e-8        # on the plateaus, as above
    assert set(G.tolist()) <= {1, 3, 5, 7, 9} and G.max() >= 3


def test_result_round_trips_through_hdf5(tmp_path):
    res = catalog.get_model("tb_systems.ribbon_conductance")(energies_eV=[0.1, 1.0],
                                                           edge="armchair", width_cells=5)
    path = tmp_path / "wannier.h5"
    results.save(path, {"wannier/armchair": res})
    back = results.load(path)["wannier/armchair"]
    assert back == res
    assert back.units()["conductance_G0"] == "G_0"


def test_chain_with_second_neighbours_counts_two_channels():
    # E(k) = 2t1 cos k + 2t2 cos 2k with t1 = −1, t2 = −0.4 has a second right-mover for
    # 1.2 < E < 1.425 (local minimum at k = π, maximum at cos k = −0.625): G = 2 there.
    chain = tb_examples.chain(0.0, -1.0, -0.4, 0.3)
    fsyst = tb_systems.ribbon(chain, (1,), length_cells=3)
    G = tb_systems.conductance(fsyst, [0.0, 1.3, 1.5])
    assert np.allclose(G, [1.0, 2.0, 0.0], atol=1e-8)
    # 1e-8 eV below the local maximum both crossings fall between two k-grid points: the
    # reference count must still see them (a plain 1201-point sign scan counted 0), and so
    # must Kwant (measured |G − 2| = 1.5e-12; slow modes near the maximum, so 1e-8)
    edge = 1.425 - 1e-8
    assert _band_count(fsyst, [edge]).tolist() == [2]
    assert tb_systems.conductance(fsyst, [edge])[0] == pytest.approx(2.0, abs=1e-8)


def test_user_file_path_and_cutoff(tmp_path):
    model = wannier.example("graphene")
    wannier.write_hr(tmp_path / "gr_hr.dat", model)
    wannier.write_lattice_toml(tmp_path / "gr_lattice.toml", model)
    r = catalog.get_model("tb_systems.ribbon_conductance")(
        energies_eV=[0.05], model=str(tmp_path / "gr_hr.dat"), width_cells=3,
        translation=[1, 0], min_abs_eV=0.1)
    assert r.conductance_G0[0] == pytest.approx(1.0, abs=1e-8)
    # a cut-off above t removes every hopping between cells: refused with the numbers
    with pytest.raises(ValueError, match="min_abs_eV = 3.0 removes every hopping"):
        catalog.get_model("tb_systems.ribbon_conductance")(
            energies_eV=[0.0], width_cells=3, translation=[1, 0], min_abs_eV=3.0)


def test_slab_and_lead_shapes():
    # A 2-D model cut 4 cells wide along a2 has 4 × 2 sites per period, as a lead or a "slab".
    g = wannier.example("graphene")
    lead = tb_systems.lead(g, (1, 0), 4 * tb_systems.transverse_spacing_nm(g, (1, 0)))
    assert len(list(lead.sites())) == 8                      # 4 zigzag chains × 2 atoms
    slab = tb_systems.slab(g, normal_axis=1, thickness_cells=4)
    assert len(list(slab.sites())) == 8
    with pytest.raises(ValueError, match="translation"):
        tb_systems.lead(g, (0, 0), 1.0)
    with pytest.raises(ValueError, match="width_nm"):
        tb_systems.lead(g, (1, 0), (1.0, 2.0))
    with pytest.raises(ValueError, match="needs a 2-D model"):
        tb_systems.edge_translation(wannier.example("chain"), "zigzag")


def test_cubic_slab_bands():
    # Simple cubic, one orbital, hopping −t: a slab of n layers along a3 has
    # E = −2t(cos k1 + cos k2) − 2t cos(jπ/(n + 1)), j = 1 … n (particle in a box).
    import kwant
    from qtransport.tight_binding.tb_model import TightBindingModel
    t, n = 1.0, 3
    R = np.array([[0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]])
    H = np.full((7, 1, 1), -t, dtype=complex)
    H[0] = 0.0
    cubic = TightBindingModel(R=R, degeneracy=np.ones(7, int), hoppings_eV=H,
                              lattice_vectors_nm=np.eye(3) * 0.5)
    slab = kwant.wraparound.wraparound(tb_systems.slab(cubic, 2, n)).finalized()
    k1, k2 = 0.4, -1.3
    got = np.linalg.eigvalsh(slab.hamiltonian_submatrix(params=dict(k_x=k1, k_y=k2)))
    ref = np.sort(-2 * t * (np.cos(k1) + np.cos(k2)) - 2 * t * np.cos(np.arange(1, n + 1) * np.pi
                                                                        / (n + 1)))
    assert np.max(np.abs(got - ref)) < 1e-12
