"""Material names: case/alias lookup, the added metals, user material files (load + env var)."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from qtransport import materials
from qtransport.constants import e, eps0 as epsilon_0, hbar, m_e

GOOD = '''[NbN]
description = "niobium nitride"
kind = "superconductor"
aliases = ["niobium nitride"]
critical_temperature_K = { value = 16.0, source = "my sample", confidence = "weak" }
'''


@pytest.fixture
def fresh_database():
    """The database rebuilt from the packaged file before and after the test."""
    materials._STATE.clear()
    yield
    materials._STATE.clear()


@pytest.mark.parametrize("spelling, name", [("hbn", "hBN"), ("h-BN", "hBN"), ("HBN", "hBN"),
                                            ("boron nitride", "hBN"), ("gold", "Au"),
                                            ("a_igzo", "a-IGZO"), ("SI(N+)", "Si(n+)")])
def test_names_ignore_case_and_accept_aliases(spelling, name):
    assert materials.get(spelling).name == name


def test_added_metals_have_sourced_electrode_fields():
    for name in ("Au", "Pt", "Pd", "Ti", "W", "Nb"):
        m = materials.get(name)
        for key in ("fermi_energy_eV", "work_function_eV", "screening_length_nm",
                    "electrode_permittivity", "atomic_spacing_nm"):
            assert m.quantity(key).source, (name, key)
        assert 4.0 < m.work_function_eV < 6.0            # Michaelson 1977: 4.3 (Nb) … 5.65 (Pt)
    # the free-electron E_F of Au from its own lattice constant (4 atoms per fcc cell, one s
    # electron each) is Ashcroft & Mermin's 5.53 eV: the file's numbers are consistent
    n = 4 / (materials.get("Au").lattice_constant_nm * 1e-9) ** 3
    ef = hbar**2 * (3 * np.pi**2 * n) ** (2 / 3) / (2 * m_e) / e
    assert abs(ef - materials.get("Au").fermi_energy_eV) < 0.01
    # and the Thomas–Fermi length λ² = 2ε0E_F/(3e²n) listed for it
    lam = np.sqrt(2 * epsilon_0 * ef * e / (3 * e**2 * n)) * 1e9
    assert abs(lam - materials.get("Au").screening_length_nm) < 1e-3


def test_new_electrodes_work_in_the_models():
    from qtransport.tight_binding.filament import FILAMENT_METALS, metal_hopping_eV
    from qtransport.tight_binding.tunneling import hbn_barrier
    assert "Au" in FILAMENT_METALS                   # monovalent: one channel per atom
    assert not {"Pt", "Pd", "Ti", "W", "Nb"} & set(FILAMENT_METALS)   # multi-orbital: excluded
    assert metal_hopping_eV("gold") == metal_hopping_eV("Au")
    b = hbn_barrier(3, electrode="gold")
    au, hbn = materials.get("Au"), materials.get("hBN")
    # band edge above the electrode band bottom: E_F + (W − χ), Anderson rule
    expected = au.fermi_energy_eV + au.work_function_eV - hbn.electron_affinity_eV
    assert abs(b.layers[0].height_eV - expected) < 1e-12


def test_load_user_file(tmp_path, fresh_database):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    assert materials.load(path) == ["NbN"]
    assert materials.get("niobium-nitride").critical_temperature_K == 16.0
    assert materials.get("nbn").origin == str(path)
    assert "NbN" in materials.names()
    with pytest.raises(ValueError, match="already defined"):
        materials.load(path)


@pytest.mark.parametrize("text, fragment", [
    ('[X]\ndescription = "x"\nkind = "metal"\nv_eV = { value = "a", source = "s", '
     'confidence = "lit" }\n', "X].v_eV.value must be a finite number"),
    ('[X]\ndescription = "x"\nkind = "metal"\nv_eV = { value = 1.0, source = "s", '
     'confidence = "sure" }\n', "confidence must be one of"),
    ('[X]\ndescription = "x"\nkind = "metal"\nv_eV = { value = 1.0, source = "" , '
     'confidence = "lit" }\n', "source must name"),
    ('[X]\nkind = "metal"\n', "X].description must be a non-empty string"),
    ('[X]\ndescription = "x"\nkind = "metal"\nv_eV = 1.0\n', "must be a table with value"),
    ('[X\n', "not valid TOML"),
    ('[Gold2]\ndescription = "x"\nkind = "metal"\naliases = ["GOLD"]\n', "clashes with 'Au'"),
    ('[au]\ndescription = "x"\nkind = "metal"\n', "clashes with 'Au'"),
])
def test_bad_user_files_are_refused_with_the_place(tmp_path, fresh_database, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    before = materials.names()
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace("[", r"\[")
                       .replace("]", r"\]")):
        materials.load(path)
    assert materials.names() == before                # nothing half-added
    with pytest.raises(ValueError, match="cannot read"):
        materials.load(tmp_path / "missing.toml")


def _cli(*args, **env):
    return subprocess.run([sys.executable, "-m", "qtransport.cli", *args], capture_output=True,
                          text=True, env=dict(os.environ, **env), timeout=300)


def test_env_var_and_cli(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD)
    out = _cli("materials", "hbn")
    assert out.returncode == 0 and "hBN:" in out.stdout and "Cassabois" in out.stdout
    out = _cli("materials", "nbn", QTRANSPORT_MATERIALS=str(path))
    assert out.returncode == 0 and "my sample" in out.stdout and str(path) in out.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[X\n")
    out = _cli("materials", QTRANSPORT_MATERIALS=str(bad))
    assert out.returncode == 2 and "not valid TOML" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
