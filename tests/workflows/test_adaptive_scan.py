"""Adaptive 1-D scan of a real Kwant conductance staircase vs uniform grids.

Reference: the same model evaluated on a dense uniform grid of 601 energies (exact values at
those energies). The error of a sampling is the max |linear interpolant − reference| on that
grid. Uniform grids that are subsets of the dense grid are exact at their nodes, so their
error is measured the same way. Claim: the adaptive scan reaches an error that uniform grids
need at least twice as many evaluations to reach.
"""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.tight_binding import filament
from qtransport.workflows import config, sweep
from qtransport.workflows.adaptive_scan import uniform_error_curve
from qtransport.workflows.executor import SerialExecutor

SYSTEM = dict(width_atoms=3, electrode_width_atoms=6, length_atoms=8)   # steps + resonances
LO, HI, N_ADAPTIVE = 0.05, 2.0, 40
TEXT = f"""
[sweep]
model = "filament.conductance"
[sweep.fixed]
width_atoms = 3
electrode_width_atoms = 6
length_atoms = 8
[sweep.adaptive]
parameter = "energies_eV"
bounds = [{LO}, {HI}]
output = "conductance_G0"
max_points = {N_ADAPTIVE}
"""


@pytest.mark.slow
def test_adaptive_needs_far_fewer_points_than_uniform_for_the_same_max_error(tmp_path):
    out = tmp_path / "a.h5"
    summary = sweep.run(config.parse_config(TEXT), out, executor=SerialExecutor())
    res = sweep.load(out)
    assert res.complete and summary.n_points == N_ADAPTIVE
    x = np.array([p["energies_eV"][0] for p in res.parameters])
    y = np.array([r["conductance_G0"][0] for r in res.results])
    dense = np.linspace(LO, HI, 601)
    g = filament.conductance(energies_eV=dense, **SYSTEM).conductance_G0
    exact = dict(zip(dense, g))
    err_adaptive = uniform_error_curve(x, y, lambda e: np.array([exact[v] for v in e]), dense)
    needed = None
    for step in (30, 25, 24, 20, 15, 12, 10, 8, 6, 5, 4, 3, 2, 1):   # 21 ... 601 uniform points
        err = np.max(np.abs(np.interp(dense, dense[::step], g[::step]) - g))
        if err <= err_adaptive:
            needed = len(dense[::step])
            break
    print(f"adaptive {N_ADAPTIVE} points: max error {err_adaptive:.3f} G0; uniform needs {needed}")
    assert needed is not None and needed >= 2 * N_ADAPTIVE
    # resuming a finished scan adds nothing
    assert sweep.run(config.parse_config(TEXT), out, executor=SerialExecutor()).n_computed == 0


def test_interrupted_adaptive_scan_does_not_read_as_complete(tmp_path):
    # An adaptive file lists only the points computed so far, so "every listed point done" used
    # to make a scan killed after 3 of max_points = 8 evaluations load as complete. A scan is
    # complete only once the learner stopped (max_points or loss_goal) and nothing failed.
    import sweep_models  # noqa: F401  (registers testsweep.noisy: x² exactly in x_squared)
    text = """
[sweep]
model = "testsweep.noisy"
checkpoint_seconds = 0
[sweep.adaptive]
parameter = "x"
bounds = [0.0, 1.0]
output = "x_squared"
max_points = 8
"""
    cfg = config.parse_config(text)
    out = tmp_path / "a.h5"

    class Kill:                       # the job is killed while its 4th point is committed
        n = 0

        def __call__(self, outcome):
            Kill.n += 1
            if Kill.n == 4:
                raise KeyboardInterrupt("SIGKILL")
    with pytest.raises(KeyboardInterrupt):
        sweep.run(cfg, out, executor=SerialExecutor(), progress=Kill())
    (tmp_path / "a.h5.lock").unlink(missing_ok=True)   # the kernel drops a dead holder's lock
    partial = sweep.load(out)
    assert partial.done.sum() == 3 and not partial.complete
    summary = sweep.run(cfg, out, executor=SerialExecutor())
    assert summary.n_already_done == 3 and summary.n_computed == 5 and summary.complete
    final = sweep.load(out)
    assert final.complete and len(final.parameters) == 8
    x = np.array([p["x"] for p in final.parameters])
    np.testing.assert_array_equal(np.array([r["x_squared"] for r in final.results]), x * x)
