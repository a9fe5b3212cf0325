"""Sweep engine, serial: grids, point keys, seeds, failures and retries, resume, lock, provenance."""
from __future__ import annotations

import h5py
import numpy as np
import pytest

import sweep_models  # noqa: F401  (registers testsweep.* models)
from qtransport.tight_binding import filament
from qtransport.workflows import checkpoint, config, sweep
from qtransport.workflows.executor import SerialExecutor

FIL = """
[sweep]
model = "filament.conductance"
seed = 7
[sweep.fixed]
energies_eV = [0.3, 0.8, 1.5]
length_atoms = 5
[sweep.grid]
width_atoms = [2, 3]
disorder_eV = [0.0, 0.5]
"""

NOISY = """
[sweep]
model = "testsweep.noisy"
seed = 3
checkpoint_seconds = 0
[sweep.fixed]
fail_x = 2.0
[sweep.grid]
x = [0.0, 1.0, 2.0, 3.0]
"""


def run(text, out, **kw):
    return sweep.run(config.parse_config(text), out, executor=SerialExecutor(), **kw)


def test_results_equal_direct_model_calls_with_the_recorded_parameters(tmp_path):
    out = tmp_path / "f.h5"
    summary = run(FIL, out)
    res = sweep.load(out)
    assert res.complete and summary.n_points == 4 and summary.n_failed == 0
    assert [(p["width_atoms"], p["disorder_eV"]) for p in res.parameters] == \
        [(2, 0.0), (2, 0.5), (3, 0.0), (3, 0.5)]          # last grid key varies fastest
    for p, r in zip(res.parameters, res.results):
        direct = filament.conductance(**p)
        # same model, same recorded parameters and seed; the sweep may run on another rank or
        # BLAS thread count, so allow the MUMPS round-off of a G ~ 1 solve (~1e-15), not more
        np.testing.assert_allclose(r["conductance_G0"], direct.conductance_G0, rtol=0, atol=1e-12)
    # distinct derived seeds; a clean W=2 wire (t = 1 eV) opens modes at 2t(1 - cos(m pi/3)) =
    # 1 eV and 3 eV, so integer plateaus 0, 0, 1 at E = 0.3, 0.8, 1.5 eV (an AMD EPYC gives
    # 0.9999999999999989)
    assert len({p["seed"] for p in res.parameters}) == 4
    # (to 1e-12: T is a sum of |S_ij|^2 from a sparse solve, exact only to rounding, ~1e-15)
    np.testing.assert_allclose(res.results[0]["conductance_G0"], [0.0, 0.0, 1.0], atol=1e-12)


def test_point_keys_normalize_types_and_seed_depends_on_key_only():
    a = dict(x=1.0, seed=0, fail_x=-1.0, crash_x=-1.0, sleep_s=0.0)
    b = dict(a, x=np.float64(1.0), seed=99)
    assert sweep.point_key(a) == sweep.point_key(b)
    assert sweep.point_key(a) != sweep.point_key(dict(a, x=2.0))
    k = sweep.point_key(a)
    assert sweep.point_seed(0, k) == sweep.point_seed(0, k) != sweep.point_seed(1, k)
    # int 1 and float 1.0 written in the TOML give the same validated point and key
    one = run_points(NOISY.replace("[0.0, 1.0, 2.0, 3.0]", "[1]"))
    assert one == run_points(NOISY.replace("[0.0, 1.0, 2.0, 3.0]", "[1.0]"))


def run_points(text):
    return [k for _, k in sweep.grid_points(config.parse_config(text))]


def test_failed_point_recorded_sweep_goes_on_and_retry_reruns_it(tmp_path, monkeypatch):
    flag = tmp_path / "fail-now"
    flag.touch()
    monkeypatch.setenv(sweep_models.FLAG_ENV, str(flag))
    out = tmp_path / "n.h5"
    s1 = run(NOISY, out)
    res = sweep.load(out)
    assert s1.n_failed == 1 and not res.complete
    assert res.failed.tolist() == [False, False, True, False] and res.done.all()
    assert "designated failing point" in res.errors[2] and res.results[2] == {}
    s2 = run(NOISY, out)                                   # plain rerun: nothing to do
    assert s2.n_computed == 0 and s2.n_failed == 1
    flag.unlink()
    s3 = run(NOISY, out, retry_failed=True)
    res = sweep.load(out)
    assert s3.n_computed == 1 and res.complete and res.errors == [""] * 4
    fresh = tmp_path / "fresh.h5"
    run(NOISY, fresh)
    assert_same_results(sweep.load(fresh), res)


def assert_same_results(a, b):
    assert a.parameters.__len__() == b.parameters.__len__()
    for pa, pb in zip(a.parameters, b.parameters):
        assert pa.keys() == pb.keys()
        for k in pa:
            np.testing.assert_array_equal(pa[k], pb[k])
    assert a.done.tolist() == b.done.tolist() and a.failed.tolist() == b.failed.tolist()
    assert a.warnings == b.warnings                 # each point's warnings, by point
    for ra, rb in zip(a.results, b.results):
        assert ra.keys() == rb.keys()
        for k in ra:
            np.testing.assert_array_equal(ra[k], rb[k])


def test_changed_config_is_refused_and_file_untouched(tmp_path):
    out = tmp_path / "n.h5"
    run(NOISY.replace("fail_x = 2.0", ""), out)
    before = out.read_bytes()
    with pytest.raises(ValueError, match="different configuration"):
        run(NOISY.replace("fail_x = 2.0", "").replace("seed = 3", "seed = 4"), out)
    assert out.read_bytes() == before


def test_second_concurrent_run_is_refused_by_the_lock(tmp_path):
    out = tmp_path / "n.h5"
    with checkpoint.RunLock(out):
        with pytest.raises(ValueError, match="another running sweep"):
            run(NOISY, out)
    assert not out.exists()
    run(NOISY.replace("fail_x = 2.0", ""), out)           # lock released: runs
    assert sweep.load(out).complete and not (tmp_path / "n.h5.lock").exists()


def test_unassembled_segments_read_as_partial_sweep_and_resume(tmp_path):
    cfg = config.parse_config(NOISY.replace("fail_x = 2.0", ""))
    out = str(tmp_path / "n.h5")
    points = [(config.canonical_json(p), k) for p, k in sweep.grid_points(cfg)]
    lock, state, todo = sweep.prepare(out, cfg, points, retry_failed=False, command="t", size=1)
    params = sweep.grid_points(cfg)
    outcome = sweep.compute_point(cfg.model, params[1][0], 1, params[1][1])
    checkpoint.write_segment(out, [outcome], cfg.hash)     # as if killed right after this commit
    lock.release()
    partial = sweep.load(out)
    assert partial.done.tolist() == [False, True, False, False] and not partial.complete
    summary = sweep.run(cfg, out, executor=SerialExecutor())
    assert summary.n_already_done == 1 and summary.n_computed == 3
    assert not checkpoint.parts_dir(out).exists()


def test_provenance_and_layout(tmp_path):
    out = tmp_path / "f.h5"
    run(FIL, out, command="qtransport sweep x.toml")
    with h5py.File(out) as f:
        for key in ("qtransport_version", "kwant_version", "numpy_version", "h5py_version",
                    "mpi4py_version", "created", "host", "mpi_size", "config", "command"):
            assert key in f.attrs, key
        assert f.attrs["config"] == FIL and f.attrs["command"] == "qtransport sweep x.toml"
        g = f["sweep"]
        assert g.attrs["kind"] == "filament.conductance" and g.attrs["complete"]
        assert g["results/conductance_G0"].shape == (4, 3)
        assert g["results/conductance_G0"].attrs["units"] == "G_0"
        assert g["grid/disorder_eV"].attrs["units"] == "eV" and g["done"][()].all()


def test_kill_between_assembly_and_segment_deletion_resumes(tmp_path, monkeypatch):
    # assemble() replaces OUT.h5 atomically and only then deletes the segments it merged. A
    # SIGKILL between the two used to leave every merged point both in OUT.h5 and in a segment,
    # which scan() reads as a double commit: the file could be neither loaded nor resumed.
    cfg = config.parse_config(NOISY.replace("fail_x = 2.0", ""))
    out = str(tmp_path / "n.h5")
    params = sweep.grid_points(cfg)
    points = [(config.canonical_json(p), k) for p, k in params]
    lock, _, _ = sweep.prepare(out, cfg, points, retry_failed=False, command="t", size=1)
    for i in (0, 2):
        checkpoint.write_segment(out, [sweep.compute_point(cfg.model, *params[i][:1], i,
                                                           params[i][1])], cfg.hash)
    lock.release()
    real_unlink = checkpoint.Path.unlink

    def killed(self, missing_ok=False):          # the process dies at the first segment unlink
        if self.name.startswith("seg-"):
            raise KeyboardInterrupt("SIGKILL")
        return real_unlink(self, missing_ok=missing_ok)
    monkeypatch.setattr(checkpoint.Path, "unlink", killed)
    with pytest.raises(KeyboardInterrupt):
        sweep.run(cfg, out, executor=SerialExecutor())
    monkeypatch.undo()
    (tmp_path / "n.h5.lock").unlink(missing_ok=True)      # the kernel drops a dead holder's lock
    partial = sweep.load(out)
    assert partial.done.tolist() == [True, False, True, False]
    summary = sweep.run(cfg, out, executor=SerialExecutor())
    assert summary.n_already_done == 2 and summary.n_computed == 2
    fresh = tmp_path / "fresh.h5"
    sweep.run(cfg, fresh, executor=SerialExecutor())
    assert_same_results(sweep.load(fresh), sweep.load(out))
    assert not checkpoint.parts_dir(out).exists()


def test_a_live_segment_writer_of_an_earlier_run_blocks_a_new_run(tmp_path):
    # an MPI rank orphaned by a killed launcher still holds the shared writers' lock: a new run
    # must not start (it would recompute, and commit a second time, the points that rank has)
    out = tmp_path / "w.h5"
    orphan = checkpoint.WriterLock(out).acquire()
    try:
        with pytest.raises(ValueError, match="another running sweep .*still hold"):
            run(NOISY, out)
        assert not out.exists()
    finally:
        orphan.release()
    assert (tmp_path / "w.h5.writers").exists()          # left behind, nobody holds it
    run(NOISY.replace("fail_x = 2.0", ""), out)
    assert sweep.load(out).complete and not (tmp_path / "w.h5.writers").exists()
