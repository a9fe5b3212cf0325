"""The up-front estimate of a fresh PySCF run: it bounds the shipped runs and refuses big ones."""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.errors import WorkLimitError
from qtransport.first_principles import dft, structure_conductance
from qtransport.first_principles.structure import Structure, atomic_chain, hbn_bulk


def test_estimate_bounds_every_shipped_run():
    """estimate_cost counts the orbitals of the stored result exactly, and its time is an upper
    bound of each recorded wall time within a factor 6 (the claim in the SECONDS_PER_UNIT note;
    wall times were recorded on a loaded 2-core machine, hence the wide band)."""
    files = sorted(dft.CACHE_DIR.glob("*.h5"))
    assert len(files) >= 10
    for f in files:
        res = dft.DFTResult.load(f)
        cost = dft.estimate_cost(res.structure, res.settings)
        assert cost["n_orbitals"] == res.n_orbitals, f.name
        wall = float(res.provenance["wall_time_s"])
        assert wall <= cost["seconds"] <= 6 * wall, (f.name, wall, cost["seconds"])
        assert cost["bytes"] < dft.MAX_DFT_BYTES


def test_orbitals_add_up_per_atom():
    """A 40-atom Au chain supercell has 40 times the orbitals of the one-atom chain, counted
    from a one-atom probe, and its 15 k-point run is refused (~3e6 s) before PySCF starts."""
    L, a = 10.0, 2.6
    st = Structure(("Au",) * 40, tuple((0.0, 0.0, a * i) for i in range(40)),
                   ((L, 0, 0), (0, L, 0), (0, 0, 40 * a)), (False, False, True), name="Au40")
    cost = dft.estimate_cost(st)
    assert cost["n_orbitals"] == 40 * dft.basis_size(atomic_chain("Au"))["n_orbitals"]
    with pytest.raises(WorkLimitError, match=r"max_dft_s.*Au40|Au40.*max_dft_s"):
        structure_conductance(st, compute=True, cache_dir="/nonexistent-cache")


def test_limit_can_be_raised_and_is_checked():
    st = hbn_bulk()
    settings = dft.DFTSettings(kmesh=(15, 15, 15))
    with pytest.raises(WorkLimitError, match="refused before starting.*max_dft_s"):
        dft.run_dft(st, settings)
    # a large enough limit passes the time check; the memory check then refuses (3375² k pairs)
    with pytest.raises(WorkLimitError, match="max_dft_bytes"):
        dft.check_cost([(st, settings)], max_dft_s=np.inf)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="max_dft_s"):
            dft.check_cost([(st, settings)], max_dft_s=bad)
    assert dft.check_cost([], max_dft_s=1.0)["seconds"] == 0.0
