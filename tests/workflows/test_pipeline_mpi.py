"""`qtransport run` under mpiexec -n 2 gives the same results as the serial run."""
from __future__ import annotations

import pytest

from faults import run
from qtransport import results

CONFIG = """
[pipeline]
stages = ["filament", "josephson", "synapse"]
[filament]
staircase_energies_eV = {start = 0.0, stop = 2.0, num = 21}
histogram_samples = 6
growth_max_width_atoms = 3
growth_devices = 2
growth_cycles = 2
qpc_energies_eV = {start = 0.01, stop = 0.03, num = 3}
[synapse]
seeds = 1
epochs = 2
levels = [4]
"""


@pytest.mark.slow
def test_pipeline_under_mpiexec_equals_serial(tmp_path):
    cfg = tmp_path / "small.toml"
    cfg.write_text(CONFIG)
    outs = {}
    for mpi in (False, True):
        out = tmp_path / ("mpi" if mpi else "serial")
        rc, stdout, stderr = run(["run", str(cfg), "--output-dir", str(out)], mpi=mpi)
        assert rc == 0, stderr
        assert (out / "report.md").exists() and any((out / "figures").iterdir())
        outs[mpi] = results.load(out / "run.h5")
    assert outs[False].keys() == outs[True].keys()
    for r in (*outs[False].values(), *outs[True].values()):
        r.data.pop("seconds", None)              # wall-clock timings legitimately differ
    different = [k for k in outs[False] if outs[False][k] != outs[True][k]]
    assert not different, different
