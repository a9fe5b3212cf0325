"""``qtransport run`` checkpoints every finished stage: a run that fails or is killed resumes at the
stage it was in, and the resumed outputs are those of an uninterrupted run.

The data-safety contract is bit identity: a resumed stage's results are the bytes it stored, and
the stages after it compute from those same bytes in both runs, so every stored array must be
equal exactly. The only exception is wall-clock time (fields named ``seconds``).
"""
import os
import signal
import subprocess
import sys
import time

import h5py
import numpy as np
import pytest

from qtransport.workflows import pipeline, stage_checkpoint
from qtransport.workflows.stages import stage_module

pytestmark = pytest.mark.slow

CONFIG = """[pipeline]
stages = ["superlattice", "josephson", "ferroelectric", "synapse"]
[synapse]
seeds = 1
epochs = 2
levels = [4]
"""
STAGES = ["superlattice", "josephson", "ferroelectric", "synapse"]


def _datasets(path):
    """Every dataset of a run file, except wall-clock times (which differ between runs)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.endswith("seconds"):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def _assert_same_run(path, reference):
    got, ref = _datasets(path), _datasets(reference)
    assert sorted(got) == sorted(ref)
    differ = [k for k in ref if got[k].shape != ref[k].shape
              or not np.array_equal(got[k], ref[k], equal_nan=got[k].dtype.kind in "fc")]
    assert differ == []          # bit identity: the resume contract (module docstring)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "run"
    pipeline.run_pipeline(out, CONFIG)
    assert not (out / stage_checkpoint.CHECKPOINT_DIR).exists()   # removed once complete
    return out / "run.h5"


@pytest.fixture
def computed(monkeypatch):
    """Names of the stages whose ``run`` is called, in order."""
    calls = []
    for name in STAGES:
        module = stage_module(name)
        original = module.run

        def spy(ctx, _name=name, _run=original):
            calls.append(_name)
            return _run(ctx)
        monkeypatch.setattr(module, "run", spy)
    return calls


def _fail_at(monkeypatch, name):
    def boom(ctx):
        raise RuntimeError(f"stage {name} interrupted")
    monkeypatch.setattr(stage_module(name), "run", boom)


def test_a_failed_run_resumes_after_its_finished_stages_and_equals_the_uninterrupted_one(
        tmp_path, monkeypatch, reference, computed):
    out = tmp_path / "run"
    with monkeypatch.context() as m:
        _fail_at(m, "synapse")
        messages = []
        with pytest.raises(RuntimeError, match="interrupted"):
            pipeline.run_pipeline(out, CONFIG, progress=messages.append)
    assert any("the same command resumes" in m for m in messages)
    assert sorted(os.listdir(out)) == [stage_checkpoint.CHECKPOINT_DIR]     # no run.h5 yet
    assert sorted(os.listdir(out / stage_checkpoint.CHECKPOINT_DIR)) == [
        "00-superlattice.h5", "01-josephson.h5", "02-ferroelectric.h5"]
    computed.clear()
    messages = []
    pipeline.run_pipeline(out, CONFIG, progress=messages.append)
    assert computed == ["synapse"]                      # nothing computed twice
    assert sum("read from its checkpoint" in m for m in messages) == 3
    _assert_same_run(out / "run.h5", reference)
    assert not (out / stage_checkpoint.CHECKPOINT_DIR).exists()


def test_a_changed_stage_is_recomputed_with_every_stage_after_it(tmp_path, monkeypatch,
                                                                 computed):
    out = tmp_path / "run"
    with monkeypatch.context() as m:
        _fail_at(m, "synapse")
        with pytest.raises(RuntimeError):
            pipeline.run_pipeline(out, CONFIG)
    computed.clear()
    changed = CONFIG + "[josephson]\nbias_points = 41\n"
    pipeline.run_pipeline(out, changed)
    # superlattice's key is unchanged; josephson changed, and the stages after it read its
    # results, so they are recomputed too (a stale ferroelectric file is never used)
    assert computed == ["josephson", "ferroelectric", "synapse"]
    with h5py.File(out / "run.h5", "r") as f:
        assert "bias_points = 41" in f.attrs["config"]


def test_a_tampered_or_foreign_stage_file_is_recomputed_never_used(tmp_path, monkeypatch,
                                                                  reference, computed):
    out = tmp_path / "run"
    with monkeypatch.context() as m:
        _fail_at(m, "synapse")
        with pytest.raises(RuntimeError):
            pipeline.run_pipeline(out, CONFIG)
    folder = out / stage_checkpoint.CHECKPOINT_DIR
    with h5py.File(folder / "01-josephson.h5", "r+") as f:     # one value silently changed
        floats = []
        f.visititems(lambda name, obj: floats.append(obj) if isinstance(obj, h5py.Dataset)
                     and obj.dtype.kind == "f" and obj.size > 1 else None)
        data = floats[0][()]
        data.flat[0] += 1.0
        floats[0][...] = data
    (folder / "02-ferroelectric.h5").write_bytes(b"not an HDF5 file")
    computed.clear()
    pipeline.run_pipeline(out, CONFIG)
    assert computed == ["josephson", "ferroelectric", "synapse"]
    _assert_same_run(out / "run.h5", reference)


def _cli(args, **kw):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "qtransport.cli", *args], capture_output=True,
                          text=True, env=env, timeout=600, **kw)


def test_sigkilled_cli_run_resumes_with_the_same_command(tmp_path):
    cfg = tmp_path / "run.toml"
    cfg.write_text(CONFIG)
    # the reference runs in the same environment as the killed run (one BLAS thread): the
    # round-off of some LAPACK calls depends on the thread count
    whole = _cli(["run", str(cfg), "--output-dir", str(tmp_path / "whole"), "--no-progress"])
    assert whole.returncode == 0, whole.stderr
    out = tmp_path / "out"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-m", "qtransport.cli", "run", str(cfg),
                             "--output-dir", str(out), "--no-progress"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    folder = out / stage_checkpoint.CHECKPOINT_DIR
    deadline = time.monotonic() + 300
    while not (folder / "01-josephson.h5").exists() and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (folder / "00-superlattice.h5").exists() and not (out / "run.h5").exists()

    other = tmp_path / "other.toml"
    other.write_text(CONFIG + "[josephson]\nbias_points = 41\n")
    refused = _cli(["run", str(other), "--output-dir", str(out)])
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "unfinished run of another configuration" in refused.stderr
    assert "--force" in refused.stderr

    resumed = _cli(["run", str(cfg), "--output-dir", str(out), "--no-progress"])
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming the unfinished run" in resumed.stdout
    assert "superlattice: read from its checkpoint" in resumed.stdout
    _assert_same_run(out / "run.h5", tmp_path / "whole" / "run.h5")
    assert not folder.exists()


def test_a_stage_refusing_its_input_leaves_nothing_behind(tmp_path, monkeypatch):
    # a ValueError/TypeError is refused input (a value out of range, a work limit): as for a
    # config refused before any stage ran, no folder or checkpoint of this call is left
    out = tmp_path / "new" / "run"
    def refuse(ctx):
        raise ValueError("synapse.seeds must be ...")
    monkeypatch.setattr(stage_module("synapse"), "run", refuse)
    with pytest.raises(ValueError, match="synapse.seeds"):
        pipeline.run_pipeline(out, CONFIG)
    assert not (tmp_path / "new").exists()
