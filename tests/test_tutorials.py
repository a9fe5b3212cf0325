"""Every tutorial in docs/tutorials runs as a script and writes its figures.

Each runs in a fresh subprocess (as a user would run it) in a temporary folder with the Agg
backend; the figures it saves must exist and be real PNG images.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TUTORIALS = Path(__file__).resolve().parents[1] / "docs" / "tutorials"
FIGURES = {
    "filament_staircase_to_weights.py": ["filament_staircase.png", "filament_system.png",
                                         "filament_density.png", "filament_growth.png"],
    "hbn_barrier_to_floating_gate.py": ["hbn_transmission.png", "hbn_jv.png",
                                        "floating_gate.png"],
    "superlattice_minibands_to_2deg.py": ["superlattice_transmission.png",
                                          "ingao3_sheet_density.png"],
    "transmon_and_rcsj.py": ["transmon_spectrum.png", "rcsj_iv.png"],
    "sweep_and_resume.py": ["sweep_resume.png"],
    "fit_your_pulse_data.py": ["pulse_fit.png"],
}


def test_every_tutorial_is_listed_and_in_percent_format():
    found = sorted(p.name for p in TUTORIALS.glob("*.py"))
    assert found == sorted(FIGURES)
    for name in found:
        text = (TUTORIALS / name).read_text(encoding="utf-8")
        assert "format_name: percent" in text and "# %% [markdown]" in text, name


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_tutorial_runs_and_writes_its_figures(name, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, str(TUTORIALS / name)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    for fig in FIGURES[name]:
        path = tmp_path / fig
        assert path.is_file(), f"{name} did not write {fig}"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
