"""Reduced synapse models, parameter extraction, network-level evaluation and export.

Imports only numpy, scipy, scikit-learn and qtransport's core (never Kwant or QuTiP), so the
models load fast and run anywhere.

>>> from qtransport import synapse
>>> s = synapse.PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=64, a_ltp=20.0, a_ltd=20.0)
>>> synapse.export.to_aihwkit(s)["device"]
'LinearStepDevice'
"""
from __future__ import annotations

from . import csvdata, energy, export, extract, lookup, models, network, plasticity, pulse
from .csvdata import fit_csv, read_pulse_csv
from .energy import EnergyLedger
from .extract import SynapseParameters
from .lookup import LookupTableDevice
from .plasticity import TsodyksMarkram, fit_ppf, ppf, stdp_pair
from .pulse import PulseFit, PulseResponse, fit_pulse_response

__all__ = ["PulseResponse", "PulseFit", "fit_pulse_response", "LookupTableDevice",
           "TsodyksMarkram", "ppf", "fit_ppf", "stdp_pair", "EnergyLedger", "SynapseParameters",
           "read_pulse_csv", "fit_csv",
           "csvdata", "energy", "export", "extract", "lookup", "models", "network", "plasticity",
           "pulse"]
