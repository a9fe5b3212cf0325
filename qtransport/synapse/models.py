"""Reduced synapse models in one place, and their registered (sweepable) forms.

The models live in small modules — :mod:`.pulse` (NeuroSim/SoftBoundsPmax pulse response and its
fit), :mod:`.lookup` (ΔG(G) lookup-table device), :mod:`.plasticity` (Tsodyks–Markram STP, PPF,
pair STDP), :mod:`.energy` (energy ledger) — and are re-exported here. This module also registers
the computations sweeps and the pipeline run by name:

``synapse.pulse_response``  potentiation/depression curves of a PulseResponse
``synapse.network``         digits-MLP accuracy and training energy of a device (one seed)
``synapse.stp``             Tsodyks–Markram paired-pulse ratio and its double-exponential fit
"""
from __future__ import annotations

import math

import numpy as np

from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .energy import EnergyLedger
from .lookup import LookupTableDevice
from .plasticity import PPFFit, TsodyksMarkram, fit_ppf, ppf, stdp_pair
from .pulse import PulseFit, PulseResponse, fit_pulse_response

__all__ = ["PulseResponse", "PulseFit", "fit_pulse_response", "LookupTableDevice",
           "TsodyksMarkram", "ppf", "PPFFit", "fit_ppf", "stdp_pair", "EnergyLedger",
           "pulse_response_model", "network_model", "stp_model", "ppf_fit_data"]

_DEVICE_PARAMS = [
    Param("g_min_S", float, low=0.0, doc="low conductance bound, S (A for I_c devices)"),
    Param("g_max_S", float, low=0.0, low_open=True, doc="high conductance bound, S"),
    Param("n_pulses", int, low=2, doc="pulses from G_min to G_max (P)"),
    Param("a_ltp", float, allow_inf=True, low=0.0, low_open=True,
          doc="LTP nonlinearity A, pulses (inf = linear)"),
    Param("a_ltd", float, allow_inf=True, low=0.0, low_open=True,
          doc="LTD nonlinearity A, pulses (inf = linear)"),
]


@register("synapse.pulse_response", params=_DEVICE_PARAMS,
          summary="NeuroSim exponential pulse response (signed A, separate LTP/LTD pulse counts)",
          outputs=("pulse_number", "conductance_ltp_S", "conductance_ltd_S",
                   "conductance_after_ltd_S"))
def pulse_response_model(g_min_S: float, g_max_S: float, n_pulses: int, a_ltp: float,
                         a_ltd: float) -> Result:
    """Curves of a :class:`PulseResponse`: LTP, LTD (NeuroSim coordinate) and LTD by pulse count.

    Parameters
    ----------
    g_min_S : float
        Low conductance bound, S (A for I_c devices; ≥ 0).
    g_max_S : float
        High conductance bound, S (> g_min_S).
    n_pulses : int
        Pulses from G_min to G_max, P (≥ 2).
    a_ltp : float
        LTP nonlinearity A, pulses (> 0; ``inf`` = linear).
    a_ltd : float
        LTD nonlinearity A, pulses (> 0; ``inf`` = linear).

    Returns
    -------
    Result
        Kind ``"synapse.pulse_response"``: ``pulse_number``, ``conductance_ltp_S``,
        ``conductance_ltd_S``, ``conductance_after_ltd_S`` (S).

    Examples
    --------
    >>> r = pulse_response_model(1e-6, 1e-4, 10, 5.0, 5.0)
    >>> float(r.conductance_ltp_S[-1])
    0.0001
    """
    return PulseResponse(g_min_S, g_max_S, n_pulses, a_ltp, a_ltd).to_result()


@register("synapse.network", params=[
    Param("device", str, default="pulse_response", choices=("float", "pulse_response", "lookup"),
          doc="float = floating-point reference; pulse_response = the NeuroSim device below; "
              "lookup = the ΔG(G) table below"),
    Param("g_min_S", float, default=0.0, low=0.0, doc="low bound, S"),
    Param("g_max_S", float, default=1.0, low=0.0, low_open=True, doc="high bound, S"),
    Param("n_pulses", int, default=64, low=2, doc="pulses from G_min to G_max (P)"),
    Param("a_ltp", float, math.inf, allow_inf=True, low=0.0, low_open=True,
          doc="LTP A, pulses"),
    Param("a_ltd", float, math.inf, allow_inf=True, low=0.0, low_open=True,
          doc="LTD A, pulses"),
    Param("mode", str, default="in_situ", choices=("in_situ", "ex_situ"), doc="training mode"),
    Param("seed", int, default=0, low=0, doc="random seed"),
    Param("epochs", int, default=30, low=1, doc="training epochs"),
    Param("c2c_rel", float, default=0.0, low=0.0, doc="cycle-to-cycle relative step noise"),
    Param("d2d_rel", float, default=0.0, low=0.0, doc="device-to-device relative range spread"),
    Param("read_noise_rel", float, default=0.0, low=0.0, doc="relative read noise"),
    Param("event_energy_J", float, default=None, optional=True, low=0.0,
          doc="energy per programming pulse, J (None = unknown)"),
    Param("lookup_g_S", "array", default=None, optional=True, doc="lookup: conductance grid"),
    Param("lookup_dg_ltp_S", "array", default=None, optional=True, doc="lookup: ΔG per LTP pulse"),
    Param("lookup_dg_ltd_S", "array", default=None, optional=True,
          doc="lookup: |ΔG| per LTD pulse")],
    summary="digits MLP (64 hidden) trained with device weights: accuracy and training energy",
    outputs=("accuracy", "train_accuracy", "write_pulses", "training_energy_J", "seconds",
             "levels"))
def network_model(device: str = "pulse_response", g_min_S: float = 0.0, g_max_S: float = 1.0,
                  n_pulses: int = 64, a_ltp: float = math.inf, a_ltd: float = math.inf,
                  mode: str = "in_situ", seed: int = 0, epochs: int = 30, c2c_rel: float = 0.0,
                  d2d_rel: float = 0.0, read_noise_rel: float = 0.0,
                  event_energy_J: float | None = None, lookup_g_S=None, lookup_dg_ltp_S=None,
                  lookup_dg_ltd_S=None) -> Result:
    """One :func:`qtransport.synapse.network.evaluate` run as a Result (picklable, for MPI).

    ``event_energy_J`` None or NaN means unknown (no training energy); it is stored as NaN.

    Parameters
    ----------
    device : {"float", "pulse_response", "lookup"}, optional
        Floating-point reference, the NeuroSim device of the next parameters, or the ΔG(G) table.
    g_min_S : float, optional
        Low bound, S (≥ 0).
    g_max_S : float, optional
        High bound, S (> 0).
    n_pulses : int, optional
        Pulses from G_min to G_max, P (≥ 2).
    a_ltp : float, optional
        LTP nonlinearity A, pulses (> 0; ``inf`` = linear).
    a_ltd : float, optional
        LTD nonlinearity A, pulses (> 0; ``inf`` = linear).
    mode : {"in_situ", "ex_situ"}, optional
        Training mode.
    seed : int, optional
        Random seed (≥ 0).
    epochs : int, optional
        Training epochs (≥ 1).
    c2c_rel : float, optional
        Cycle-to-cycle relative step noise (≥ 0).
    d2d_rel : float, optional
        Device-to-device relative range spread (≥ 0).
    read_noise_rel : float, optional
        Relative read noise (≥ 0).
    event_energy_J : float, optional
        Energy per programming pulse, J (≥ 0; None or NaN: unknown).
    lookup_g_S : array_like, optional
        ``"lookup"``: conductance grid, S.
    lookup_dg_ltp_S : array_like, optional
        ``"lookup"``: ΔG per LTP pulse, S.
    lookup_dg_ltd_S : array_like, optional
        ``"lookup"``: |ΔG| per LTD pulse, S.

    Returns
    -------
    Result
        Kind ``"synapse.network"``: ``accuracy``, ``train_accuracy`` (fractions),
        ``write_pulses``, ``training_energy_J`` (J), ``seconds`` (s), ``levels``.

    Raises
    ------
    ValueError
        ``device="lookup"`` without the three lookup arrays.

    Examples
    --------
    A linear 9-level device (P = 8) trained in situ for one epoch; the training energy is the
    number of programming pulses times the energy per pulse (J):

    >>> r = network_model(n_pulses=8, epochs=1, event_energy_J=1e-12)
    >>> r.kind, int(r.levels)
    ('synapse.network', 9)
    >>> bool(0.0 <= r.accuracy <= 1.0 and r.write_pulses > 0)
    True
    >>> bool(abs(r.training_energy_J - 1e-12 * r.write_pulses) < 1e-9 * r.training_energy_J)
    True
    """
    from . import network
    if event_energy_J is None:
        event_energy_J = math.nan
    params = dict(device=device, g_min_S=g_min_S, g_max_S=g_max_S, n_pulses=n_pulses,
                  a_ltp=a_ltp, a_ltd=a_ltd, mode=mode, seed=seed, epochs=epochs, c2c_rel=c2c_rel,
                  d2d_rel=d2d_rel, read_noise_rel=read_noise_rel, event_energy_J=event_energy_J)
    if device == "float":
        dev = None
    elif device == "lookup":
        if lookup_g_S is None or lookup_dg_ltp_S is None or lookup_dg_ltd_S is None:
            raise ValueError("device='lookup' needs lookup_g_S, lookup_dg_ltp_S and "
                             "lookup_dg_ltd_S")
        dev = LookupTableDevice(lookup_g_S, lookup_dg_ltp_S, lookup_dg_ltd_S)
        params.update(lookup_g_S=lookup_g_S, lookup_dg_ltp_S=lookup_dg_ltp_S,
                      lookup_dg_ltd_S=lookup_dg_ltd_S)
    else:
        dev = PulseResponse(g_min_S, g_max_S, n_pulses, a_ltp, a_ltd)
    energy = None if event_energy_J is None or math.isnan(event_energy_J) else event_energy_J
    r = network.evaluate(dev, seed=seed, mode=mode, epochs=epochs, c2c_rel=c2c_rel,
                         d2d_rel=d2d_rel, read_noise_rel=read_noise_rel, event_energy_J=energy)
    return Result("synapse.network", params,
                  {"accuracy": r.accuracy, "train_accuracy": r.train_accuracy,
                   "write_pulses": r.write_pulses, "training_energy_J": r.training_energy_J,
                   "seconds": r.seconds, "levels": r.levels}, {"mode": r.mode})


@register("synapse.stp", params=[
    Param("utilization", float, low=0.0, high=1.0, low_open=True, doc="Tsodyks–Markram U"),
    Param("tau_rec_s", float, low=0.0, low_open=True, doc="resource recovery time, s"),
    Param("tau_facil_s", float, low=0.0, low_open=True, doc="facilitation decay time, s"),
    Param("intervals_s", "array", low=0.0, low_open=True, doc="paired-pulse intervals, s")],
    summary="Tsodyks–Markram paired-pulse ratio and its double-exponential PPF fit",
    outputs=("intervals_s", "ppf", "ppf_fit", "ppf_c1", "ppf_c2", "ppf_tau1_s", "ppf_tau2_s"))
def stp_model(utilization: float, tau_rec_s: float, tau_facil_s: float, intervals_s) -> Result:
    """Paired-pulse ratio of a Tsodyks–Markram synapse and the fitted PPF double exponential.

    Parameters
    ----------
    utilization : float
        Tsodyks–Markram U, in (0, 1].
    tau_rec_s : float
        Resource recovery time, s (> 0).
    tau_facil_s : float
        Facilitation decay time, s (> 0).
    intervals_s : array_like
        Paired-pulse intervals, s (> 0).

    Returns
    -------
    Result
        Kind ``"synapse.stp"``: the :func:`ppf_fit_data` arrays.

    Examples
    --------
    >>> r = stp_model(0.2, 0.5, 0.1, [0.01, 0.02, 0.05, 0.1, 0.2])
    >>> r.kind
    'synapse.stp'
    """
    tm = TsodyksMarkram(utilization, tau_rec_s, tau_facil_s)
    dt = np.asarray(intervals_s, dtype=float)
    return Result("synapse.stp", dict(utilization=utilization, tau_rec_s=tau_rec_s,
                                      tau_facil_s=tau_facil_s, intervals_s=dt),
                  ppf_fit_data(dt, tm.paired_pulse_ratio(dt)))


def ppf_fit_data(intervals_s, ppf_values) -> dict[str, np.ndarray]:
    """Arrays of a double-exponential PPF fit: data, fitted curve, C1, C2, τ1, τ2, rms.

    Parameters
    ----------
    intervals_s : array_like
        Intervals, s (> 0, at least 5).
    ppf_values : array_like
        Paired-pulse ratios at those intervals.

    Returns
    -------
    dict of str to numpy.ndarray
        ``intervals_s`` (s), ``ppf``, ``ppf_fit``, ``ppf_c1``, ``ppf_c2``, ``ppf_tau1_s`` and
        ``ppf_tau2_s`` (s), ``ppf_rms``.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.array([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0])
    >>> out = ppf_fit_data(t, 1 + 0.5 * np.exp(-t / 0.05) + 0.2 * np.exp(-t / 0.5))
    >>> sorted(out)[:3]
    ['intervals_s', 'ppf', 'ppf_c1']
    """
    dt = np.asarray(intervals_s, dtype=float)
    ratio = np.asarray(ppf_values, dtype=float)
    fit = fit_ppf(dt, ratio)
    return {"intervals_s": dt, "ppf": ratio, "ppf_fit": fit(dt), "ppf_c1": np.float64(fit.c1),
            "ppf_c2": np.float64(fit.c2), "ppf_tau1_s": np.float64(fit.tau1_s),
            "ppf_tau2_s": np.float64(fit.tau2_s), "ppf_rms": np.float64(fit.rms)}


_declare("synapse.pulse_response", coords=("pulse_number",),
         y=("conductance_ltp_S", "conductance_ltd_S"))
