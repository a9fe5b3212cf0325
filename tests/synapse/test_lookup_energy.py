"""Lookup-table device from ΔG(G) data, and the energy ledger."""
from __future__ import annotations

import numpy as np
import pytest

from qtransport.synapse import EnergyLedger, LookupTableDevice, PulseResponse


def test_lookup_table_reproduces_a_linear_device_exactly():
    dev = LookupTableDevice([0.0, 1.0], [0.1, 0.1], [0.2, 0.2])
    assert dev.n_pulses == 10
    np.testing.assert_allclose(dev.levels(), np.linspace(0.0, 1.0, 11), atol=1e-12)
    np.testing.assert_allclose(dev.apply_pulses(np.array([1.0, 0.5, 0.5]), [-2, 2.5, 0]),
                               [0.6, 0.75, 0.5], atol=1e-12)


def test_lookup_table_from_pulse_response_curves():
    """ΔG(G) tabulated from a NeuroSim curve: the per-pulse change is an exact function of G,
    so linear interpolation on a 256-point grid errs by ~(ΔG'' h²/8) — below 1e-3 of the range
    after 64 pulses."""
    s = PulseResponse(1e-6, 1e-4, 64, 20.0, 30.0)
    k = np.arange(65)
    dev = LookupTableDevice.from_curves(s.conductance_ltp(k), s.conductance_after_ltd(k),
                                        n_grid=256)
    g = dev.apply_pulses(np.full(3, 1e-6), [5, 20, 64])
    np.testing.assert_allclose(g, s.conductance_ltp([5, 20, 64]), atol=1e-3 * s.range_S)
    g = dev.apply_pulses(np.full(2, 1e-4), [-10, -40])
    np.testing.assert_allclose(g, s.conductance_after_ltd([10, 40]), atol=1e-3 * s.range_S)


def test_lookup_table_bad_input():
    with pytest.raises(ValueError, match="g_S must be strictly increasing"):
        LookupTableDevice([1.0, 0.0], [0.1, 0.1], [0.1, 0.1])
    with pytest.raises(ValueError, match="dg_ltp_S must be >= 0"):
        LookupTableDevice([0.0, 1.0], [-0.1, 0.1], [0.1, 0.1])
    with pytest.raises(ValueError, match="dg_ltd_S must contain a positive step"):
        LookupTableDevice([0.0, 1.0], [0.1, 0.1], [0.0, 0.0])
    with pytest.raises(ValueError, match="does not change"):
        LookupTableDevice.from_curves([1.0, 1.0, 1.0], [1.0, 0.5, 0.0])


def test_energy_ledger():
    ledger = EnergyLedger()
    ledger.add("write", 1000, 10e-15)
    ledger.add("write", 500, 10e-15)
    ledger.add("read", 2e4, 1e-16)
    assert ledger.energy_J("write") == pytest.approx(1.5e-11, rel=1e-6, abs=0)
    assert ledger.total_J == pytest.approx(1.5e-11 + 2e-12, rel=1e-6, abs=0)
    assert ledger.total_events == 21500
    assert [row[0] for row in ledger.table()] == ["read", "write"]
    with pytest.raises(ValueError, match="already 1e-14 J"):
        ledger.add("write", 1, 2e-15)
    with pytest.raises(ValueError, match="n_events must be >= 0"):
        ledger.add("read", -1, 1e-16)
    with pytest.raises(ValueError, match="no events of kind 'erase'"):
        ledger.energy_J("erase")
