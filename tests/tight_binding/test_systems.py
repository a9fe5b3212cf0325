"""Kwant systems in hand: public Builders of every lattice model, and transport of any system.

Each builder's finalized system must reproduce the model it comes from: the same lattice, the
same numbers, so the same S-matrix up to MUMPS round-off (~1e-14). The user-system entry is
checked against an analytic transmission (one impurity on a chain) and against the filament's
own finite-temperature path.
"""
from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

import kwant

from qtransport import AccuracyWarning
from qtransport.tight_binding import filament, qpc, systems
from qtransport.tight_binding.superlattice import Superlattice
from qtransport.tight_binding.tb_systems import ribbon_conductance
from qtransport.tight_binding.tunneling import hbn_barrier

#: same lattice and values, only the solver's round-off differs (sparse LU of ≤ 10^3 sites)
ROUNDOFF = 1e-10


def _kwant_T(syst, energies):
    fsyst = syst.finalized()
    return np.array([kwant.smatrix(fsyst, float(e)).transmission(1, 0) for e in energies])


@pytest.mark.parametrize("kw", [
    dict(width_atoms=3, length_atoms=4, electrode_width_atoms=5),
    dict(width_atoms=2, length_atoms=5, electrode_width_atoms=6, disorder_eV=0.7, seed=3,
         profile="smooth"),
    dict(width_atoms=2, length_atoms=3, dimension=3, electrode_width_atoms=3, disorder_eV=0.3,
         hopping_eV=0.8),
])
def test_filament_system_matches_conductance(kw):
    E = np.linspace(0.1, 3.0, 7)
    syst = filament.system(**kw)
    assert isinstance(syst, kwant.Builder) and len(syst.leads) == 2
    assert all(not callable(v) for _, v in syst.site_value_pairs())
    ref = filament.conductance(energies_eV=E, **kw).conductance_G0
    np.testing.assert_allclose(_kwant_T(syst, E), ref, atol=ROUNDOFF)


def test_growth_system_matches_growth_steps():
    g = filament.growth(3, 3.0, dimension=3, disorder_eV=0.5, seed=2).conductance_G0
    for n in (1, 4, 9):
        syst = filament.growth_system(3, n, dimension=3, disorder_eV=0.5, seed=2)
        # growth() keeps absent atoms as U = 1e9 t vacancies: residual hopping t²/U changes
        # T at first order in t/U = 1e-9 (measured ≤ 5e-9), the explicit system has none
        assert abs(_kwant_T(syst, [3.0])[0] - g[n - 1]) < 1e-7
    with pytest.raises(ValueError, match="n_atoms"):
        filament.growth_system(3, 10, dimension=3)


def test_qpc_barrier_superlattice_ribbon_systems_match_their_models():
    E = np.linspace(0.005, 0.06, 5)
    np.testing.assert_allclose(systems.conductance(qpc.qpc_system().finalized(), E)
                               .conductance_G0, qpc.saddle_point_qpc(E).conductance_G0,
                               atol=ROUNDOFF)
    barrier = hbn_barrier(3)
    Eb = np.linspace(0.1, 1.0, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AccuracyWarning)    # interfaces off the grid: same on both
        ref = barrier.transmission(Eb, method="kwant", bias_V=0.2, lattice_constant_nm=0.01)
    got = _kwant_T(systems.barrier_system(barrier, 0.2, 0.01), Eb)
    np.testing.assert_allclose(got, ref, rtol=1e-8)        # T ~ 1e-6: relative round-off
    sl = Superlattice(2.0, 1.0, 0.3, 0.067, 0.09)
    Es = np.linspace(0.01, 0.3, 5)
    np.testing.assert_allclose(_kwant_T(systems.superlattice_system(sl, 5, 0.1), Es),
                               sl.transmission(Es, 5, method="kwant", lattice_constant_nm=0.1),
                               atol=ROUNDOFF)
    Er = np.linspace(-0.93, 1.07, 4)
    np.testing.assert_allclose(
        _kwant_T(systems.ribbon_system(width_cells=3, length_cells=2), Er),
        ribbon_conductance(Er, width_cells=3, length_cells=2).conductance_G0, atol=ROUNDOFF)


def test_kwant_plot_draws_a_filament():
    import matplotlib
    matplotlib.use("Agg")
    buf = io.BytesIO()
    kwant.plot(filament.system(3, 4, electrode_width_atoms=5), file=buf, show=False)
    assert buf.getvalue()[:4] == b"\x89PNG"


def _impurity_chain(eps0):
    """A user-built chain (t = 1, band [0, 4]) with one impurity of on-site energy +eps0."""
    lat = kwant.lattice.chain(1, norbs=1)
    syst = kwant.Builder()
    for i in range(5):
        syst[lat(i)] = 2.0 + (eps0 if i == 2 else 0.0)
    syst[lat.neighbors()] = -1.0
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1,)))
    lead[lat(0)] = 2.0
    lead[lat.neighbors()] = -1.0
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def test_user_system_against_analytic_impurity_transmission():
    eps0 = 0.7
    E = np.linspace(0.2, 3.8, 9)
    r = systems.conductance(_impurity_chain(eps0), E)
    k = np.arccos(1 - E / 2)                        # E = 2(1 − cos k)
    exact = 1 / (1 + (eps0 / (2 * np.sin(k))) ** 2)    # delta impurity on a lattice chain
    np.testing.assert_allclose(r.conductance_G0, exact, atol=ROUNDOFF)
    assert r.open_modes.tolist() == [1] * E.size
    assert r.kind == "systems.conductance" and set(r.data) >= {"energies_eV", "conductance_G0"}


def test_user_system_finite_temperature_matches_filament_path():
    kw = dict(width_atoms=2, length_atoms=3, electrode_width_atoms=4, hopping_eV=0.2)
    E = np.array([0.3])
    ref = filament.conductance(energies_eV=E, temperature_K=40.0, **kw).conductance_G0
    got = systems.conductance(filament.system(**kw).finalized(), E, temperature_K=40.0)
    # the same grid, bisection and quadrature on the same S-matrices: round-off only
    np.testing.assert_allclose(got.conductance_G0, ref, atol=1e-9)
    # and between plateaus the thermal value lies between the T = 0 plateau values
    g0 = systems.conductance(filament.system(**kw).finalized(), [0.25, 0.35]).conductance_G0
    assert min(g0) - 1e-6 <= got.conductance_G0[0] <= max(g0) + 1e-6


def test_user_system_bad_input():
    fsyst = _impurity_chain(0.0)
    with pytest.raises(TypeError, match="fsyst"):
        systems.conductance(filament.system(2, 2), [1.0])        # not finalized
    with pytest.raises(ValueError, match="lead_out"):
        systems.conductance(fsyst, [1.0], lead_out=5)
    with pytest.raises(ValueError, match="lead_out"):
        systems.conductance(fsyst, [1.0], lead_in=1, lead_out=1)
    with pytest.raises(ValueError, match="temperature_K"):
        systems.conductance(fsyst, [1.0], temperature_K=-1)
    with pytest.raises(TypeError, match="barrier"):
        systems.barrier_system("hBN")


def test_progress_bar_over_energies(monkeypatch, capsys):
    from qtransport import infra
    monkeypatch.setattr(infra, "PROGRESS_DELAY_S", 0.0)      # show at once (normally after 2 s)
    fsyst = _impurity_chain(0.5)
    quiet = systems.conductance(fsyst, [1.0, 2.0], progress=False)
    assert capsys.readouterr().err == ""
    loud = systems.conductance(fsyst, [1.0, 2.0], progress=True)
    assert "energies" in capsys.readouterr().err
    np.testing.assert_array_equal(quiet.conductance_G0, loud.conductance_G0)   # same numbers
    filament.conductance(2, [1.0, 2.0], 3, progress=True)
    assert "energies" in capsys.readouterr().err


def test_the_kwant_systems_page_runs_as_written(tmp_path, monkeypatch):
    """docs/kwant_systems.md: its Python blocks run in order (kwant.plot with Agg)."""
    import re
    from pathlib import Path
    import matplotlib
    matplotlib.use("Agg")
    page = Path(__file__).resolve().parents[2] / "docs" / "kwant_systems.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(page), "exec"), namespace)
    k = np.arccos(1 - np.array([0.5, 1.0, 2.0]) / 2)
    np.testing.assert_allclose(namespace["r"].conductance_G0,
                               1 / (1 + (0.7 / (2 * np.sin(k))) ** 2), atol=ROUNDOFF)
