"""Shared infrastructure: the one atomic writer, JSON normaliser, BLAS-thread scope, version list."""
from __future__ import annotations

import json
import os
import stat

import numpy as np
import pytest

from qtransport import infra, results
from qtransport.workflows import checkpoint, config


def test_atomic_path_replaces_and_fsyncs_file_and_folder(tmp_path, monkeypatch):
    target = tmp_path / "sub" / "out.txt"
    synced = []
    real_fsync = os.fsync

    def spy(fd):
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        return real_fsync(fd)
    monkeypatch.setattr(os, "fsync", spy)
    with infra.atomic_path(target) as tmp:
        assert os.path.dirname(tmp) == str(target.parent)      # same folder: rename is atomic
        with open(tmp, "w") as fh:
            fh.write("new")
        assert not target.exists()
    assert target.read_text() == "new"
    assert synced == [False, True]                              # the file, then its folder
    assert os.listdir(target.parent) == ["out.txt"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~infra._umask()


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_atomic_path_error_in_body_keeps_old_file_and_removes_temp(tmp_path, error):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(error):
        with infra.atomic_path(target) as tmp:
            open(tmp, "w").write("half")
            raise error()
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.txt"]


def test_atomic_path_error_while_committing_removes_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"

    def refuse(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        with infra.atomic_path(target) as tmp:
            open(tmp, "w").write("x")
    assert os.listdir(tmp_path) == []


def test_every_writer_is_the_shared_one():
    assert results.atomic_path is infra.atomic_path
    assert results.to_jsonable is infra.to_jsonable
    assert config.canonical_json is infra.canonical_json
    assert checkpoint.atomic_path is infra.atomic_path


def test_json_normaliser():
    value = {"a": np.array([[1.0, np.nan], [-0.0, np.inf]]), "b": np.int64(3), 4: (np.True_,)}
    plain = infra.to_jsonable(value)
    assert plain == {"a": [[1.0, "nan"], [0.0, "inf"]], "b": 3, "4": [True]}
    text = infra.canonical_json(value)
    assert json.loads(text) == plain and " " not in text
    assert infra.canonical_json({"x": 1e-300}) == '{"x":1e-300}'     # repr round-trips floats


def test_result_params_use_the_normaliser():
    r = results.Result("demo", {"e": np.array([np.nan, -0.0])}, {"x_eV": np.zeros(1)})
    assert r.params == {"e": ["nan", 0.0]}


def test_blas_scope_restores_the_previous_limit():
    from threadpoolctl import threadpool_info
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    with infra.blas_threads(1):
        inside = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        assert all(n == 1 for n in inside)
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def test_one_package_list_for_info_and_provenance(capsys):
    from qtransport import cli
    attrs = results.provenance()
    for pkg in infra.PACKAGES:
        assert f"{pkg}_version" in attrs
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert all(pkg in out for pkg in infra.PACKAGES)


def test_progress_bar_only_when_asked_or_at_a_terminal(monkeypatch, capsys):
    from qtransport.infra import progress
    items = [1, 2, 3]
    assert progress(items, enable=False) is items
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert progress(items) is items                       # not a terminal: silent by default
    bar = progress(items, enable=True, desc="energies")
    assert bar is not items and list(bar) == items         # asked: a tqdm bar, same items
    for name in ("OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"):
        monkeypatch.delenv(name, raising=False)
    import sys
    monkeypatch.delitem(sys.modules, "mpi4py.MPI", raising=False)   # rank from the launcher
    monkeypatch.setenv("PMI_RANK", "1")
    assert progress(items, enable=True) is items           # only rank 0 draws


#: a dense solve's pattern: ~1 MB complex temporaries allocated and freed around a LAPACK call,
#: first at a smaller size (as a process that starts with narrow systems). Prints the minor page
#: faults per call once the sizes repeat.
_HEAP_PROBE = """
import os, resource, sys
import numpy as np
from scipy.linalg import lapack
from qtransport import infra
applied = infra.retain_heap() if sys.argv[1] == "retain" else None
def solve(n):
    a = np.random.default_rng(0).standard_normal((n, n)) + 0j
    b = np.ones((n, 20), complex)
    for _ in range(5):
        lapack.zgesv(a * 2.0 * 0.5, b)
        np.abs(a)
solve(100); solve(240)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    solve(240)
print(applied, (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""


def _heap_probe(mode, **env):
    import subprocess
    import sys
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_"))}
    done = subprocess.run([sys.executable, "-c", _HEAP_PROBE, mode], capture_output=True,
                          text=True, env={**environ, **env}, check=True, timeout=120)
    applied, faults = done.stdout.split()
    return applied, float(faults)


def _glibc() -> bool:
    import platform
    return platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not _glibc(), reason="mallopt thresholds are glibc's")
def test_retain_heap_stops_page_faults_of_repeated_temporaries():
    # each call maps ~5 MB of temporaries; retained, they come back from the heap without a
    # fault. Measured 0 faults per call retained, ~1200 with glibc's adaptive defaults (not
    # asserted: that number is glibc's, not ours); 50 leaves room for the interpreter's own
    # small allocations (a 4 KiB page each) while a heap returned to the kernel costs > 200
    applied, faults = _heap_probe("retain")
    assert applied == "True"
    assert faults < 50, faults


@pytest.mark.skipif(not _glibc(), reason="mallopt thresholds are glibc's")
def test_retain_heap_leaves_a_users_malloc_tunables_alone():
    applied, _ = _heap_probe("retain", MALLOC_TRIM_THRESHOLD_="131072")
    assert applied == "False"
