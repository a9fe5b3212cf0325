"""The Python warnings of ``map`` calls reach rank 0, and ``qtransport run`` records them per stage.

The warning is real physics: ``josephson.spectrum`` raises an AccuracyWarning when the charge
basis (``ncut``) is too small for E_J/E_C; which calls warn, and with which message, is found by
calling the model directly. Tests marked ``mpi`` run as one rank under plain pytest and as two
under ``mpiexec -n 2`` (in-process, see tests/workflows/test_mpi_sweep.py); MPI = serial is the
contract, so the records are compared exactly.
"""
from __future__ import annotations

import json
import os
import warnings

import h5py
import pytest

from qtransport import AccuracyWarning
from qtransport.workflows import executor, pipeline
from qtransport.workflows.catalog import run_model

#: E_J/E_C from 1e3 to 2e5 with ncut = 30: the first calls are converged, the last ones are not
#: (each with its own message, so the order of the record is checked too)
CALLS = [{"model": "josephson.spectrum",
          "params": {"ej_GHz": ej, "ec_GHz": 0.01, "ncut": 30, "levels": 4, "ng_values": [0.0]}}
         for ej in (10.0, 100.0, 500.0, 1000.0, 1500.0, 2000.0)]

#: the josephson stage with E_J/E_C = 2e5: its "spectrum" call (index 2 of its map) and its
#: "relaxation" call (index 4, on rank 1 under mpiexec -n 2: rank 0's block is 0..2 and its
#: I-V calls take seconds) each warn, with different messages
JOSEPHSON = """
[pipeline]
stages = ["josephson"]
[josephson]
ej_GHz = 2000.0
ec_GHz = 0.01
bias_points = 21
ng_points = 11
magnetic_pulses = 10
magnetic_devices = 2
sfq_inputs = 5
"""


def direct(calls) -> list[str]:
    """Messages of the warnings of each call made directly, in call order."""
    got = []
    for kw in calls:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run_model(**kw)
        got += [str(w.message) for w in caught]
    return got


def mapped(map_function, calls) -> tuple[list, list[tuple[type, str]]]:
    """``(values, [(category, message), ...])`` of a map, warnings as they reach the caller."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = map_function(run_model, calls)
    return values, [(w.category, str(w.message)) for w in caught]


def test_serial_map_raises_each_calls_warnings_again_in_call_order():
    expected = direct(CALLS)
    assert len(expected) >= 2                      # the large E_J/E_C calls do warn
    values, got = mapped(executor.SerialExecutor().map, CALLS)
    assert len(values) == len(CALLS)
    assert got == [(AccuracyWarning, m) for m in expected]


def test_serial_map_error_filter_still_raises_after_the_calls():
    # tests run with AccuracyWarning as an error: the replayed warning raises, as it would have
    # inside the call
    with pytest.raises(AccuracyWarning, match="ncut = 30 is too small"):
        executor.SerialExecutor().map(run_model, CALLS)


def test_serial_map_failing_call_raises_its_exception_after_the_warnings():
    bad = CALLS[-1:] + [{"model": "josephson.spectrum", "params": {"ej_GHz": -1.0}}]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="ej_GHz"):
            executor.SerialExecutor().map(run_model, bad)
    assert [str(w.message) for w in caught] == direct(CALLS[-1:])


@pytest.mark.mpi
def test_map_brings_every_ranks_warnings_to_rank_0():
    ex = executor.get_executor()
    values, got = mapped(ex.map, CALLS)
    if ex.is_root:
        # MPI = serial (the contract): same warnings, same order, whichever rank computed them
        assert got == mapped(executor.SerialExecutor().map, CALLS)[1]
        assert len(values) == len(CALLS)
    else:
        assert values == [] and got == []         # shown once, on rank 0, not on the workers


@pytest.mark.mpi
@pytest.mark.slow
@pytest.mark.filterwarnings("default::qtransport.AccuracyWarning")
def test_pipeline_records_each_stages_warnings_the_same_on_any_number_of_ranks(tmp_path):
    ex = executor.get_executor()
    folder = ex.bcast(str(tmp_path))               # rank 0's folder; only rank 0 writes

    def main(map_function):
        return pipeline.run_pipeline(os.path.join(folder, "mpi"), JOSEPHSON,
                                     map_function=map_function, mpi_size=ex.size)
    outcome = executor.serve_on_workers(ex, main)
    if not ex.is_root:
        assert outcome is None
        return
    serial = pipeline.run_pipeline(os.path.join(folder, "serial"), JOSEPHSON)
    calls = pipeline.stage_module("josephson").plan(pipeline.parse_config(JOSEPHSON)["josephson"])
    expected = direct([{"model": calls[k][0], "params": calls[k][1]}
                       for k in ("spectrum", "relaxation")])
    assert len(set(expected)) == 2                 # two calls, two different messages
    for run in (serial, outcome):
        with h5py.File(run["h5"]) as f:
            recorded = json.loads(f.attrs["stage_warnings"])
            accuracy = f.attrs["accuracy_warnings"]
        assert recorded == run["stage_warnings"]
        assert [m for c, m in recorded["josephson"] if c == "AccuracyWarning"] == expected
        assert accuracy.split("\n") == expected
        report = run["report"].read_text()
        section = report.split("## josephson")[1].split("## Timing")[0]
        assert "- Python warnings raised (2; `run.h5` attribute `stage_warnings`):" in section
        assert all(f"  - AccuracyWarning: {m}" in section for m in expected)
    assert outcome["stage_warnings"] == serial["stage_warnings"]      # MPI = serial (contract)
