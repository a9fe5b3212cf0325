"""DFT break junction (shipped PySCF supercell cache): G(d) across a vacuum gap between Au chains."""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.first_principles import breakjunction as bj, dft
from qtransport.first_principles.structure import CHAIN_BOND_ANGSTROM, atomic_chain


@pytest.fixture(scope="module")
def electrode():
    chain = dft.load_or_run(atomic_chain("Au"), dft.DFTSettings(), compute=False)
    return bj.electrode_models(chain, 1e-3)


def test_supercell_geometry_and_ghost_spacing():
    a = CHAIN_BOND_ANGSTROM["Au"]
    for d in bj.GAPS_ANGSTROM:
        s = bj.junction_structure("Au", d)
        z = np.array([p[2] for p in s.positions])
        real = np.array([not x.startswith("ghost-") for x in s.symbols])
        assert real.sum() == bj.N_ATOMS
        assert s.cell[2][2] == pytest.approx(bj.N_ATOMS * a + d, abs=1e-12)
        # every neighbouring pair of basis sites, across the periodic gap too, is within 1.3 Å
        # (ghosts) or one chain bond (atoms)
        zz = np.sort(np.append(z, z.min() + s.cell[2][2]))
        assert np.max(np.diff(zz)) <= max(bj.GHOST_SPACING_ANGSTROM, a) + 1e-9
        gaps = np.diff(np.sort(np.append(z[real], s.cell[2][2])))
        assert gaps[-1] == pytest.approx(a + d, abs=1e-9)
        if d > 0:
            assert np.max(np.diff(zz[zz >= z[real].max() - 1e-9])) <= bj.GHOST_SPACING_ANGSTROM + 1e-9
        assert bj.junction_settings(s).kmesh == (1, 1, 3)
    plain = bj.junction_structure("Au", 2.0, ghosts=False)
    assert all(not x.startswith("ghost-") for x in plain.symbols)
    with pytest.raises(ValueError, match="gap_extra_angstrom"):
        bj.junction_structure("Au", -0.1)
    with pytest.raises(ValueError, match="element"):
        bj.junction_structure("Fe", 1.0)
    with pytest.raises(ValueError, match="work_function"):
        bj.vacuum_kappa_per_angstrom(-1.0)


def test_perfect_chain_ring_reproduces_the_lead(electrode):
    """The assembly + whole-ring Löwdin + Kwant route on the perfect chain: exactly one channel."""
    model = bj.junction_ring(electrode, None)
    g = bj.junction_conductance(model, electrode)
    # no scattering: T = 1 up to the rounding of a ~1e3-orbital orthogonalization (~1e-12)
    assert g["conductance_G0"] == pytest.approx(1.0, abs=1e-8)
    assert g["unitarity_error"] < 1e-8
    # far from the window the ring's S^{-1/2} H S^{-1/2} is the lead's Löwdin H(R) (the ring of
    # 120 atoms aliases like a 120-point k mesh; the lead used 151 points)
    assert g["lead_mismatch_eV"] < 1e-6
