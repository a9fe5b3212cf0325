"""From a device-response record (one per device family) to a :class:`SynapseParameters` record.

Every number is computed from the arrays of the record (see :mod:`qtransport.devices.record`) and
the record's dataset path is kept in :attr:`SynapseParameters.sources`, so a report can say where
each number came from:

* weight range and on/off ratio — the ensemble-mean potentiation/depression curves;
* nonlinearity A (LTP, LTD) — robust fits of the NeuroSim form to those mean curves with the
  range fixed to that weight range (the model's two curves share one range; the rms residuals
  say how well it fits), depression converted to NeuroSim's state coordinate p = P − k;
* distinguishable states — levels of the mean potentiation curve, each with spread
  σ_i = √((σ_read G_i)² + σ_d2d,i²) (σ_d2d,i: standard deviation across devices at pulse i);
  counted greedily from the bottom, a level counts when its ±2σ window does not overlap the
  previous counted level's ±2σ window (no noise: all distinct levels);
* device-to-device variation — relative standard deviation of the devices' weight ranges;
* cycle-to-cycle variation — from ``cycle_ltp`` if present: median over pulses of the relative
  standard deviation of the per-pulse step across cycles; ``None`` ("not modelled") otherwise;
* energy per event, write time, retention, read noise — copied from the record.
"""
from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import numpy as np

from .. import devices
from ..devices.record import DEVICE_RESPONSE_KIND, weight_unit
from ..errors import check_array
from ..infra import to_jsonable
from ..results import Result
from .pulse import PulseResponse, fit_pulse_response

__all__ = ["KNOWN_FAMILIES", "SynapseParameters", "extract", "extract_all", "count_states",
           "parameters_result", "PARAMETERS_KIND"]

log = logging.getLogger(__name__)

#: device families the synapse layer knows: every family of :mod:`qtransport.devices`
KNOWN_FAMILIES = tuple(devices.names())
PARAMETERS_KIND = "synapse.parameters"


@dataclass(frozen=True)
class SynapseParameters:
    """Synaptic figures of merit of one device family, extracted from its device response.

    Parameters
    ----------
    family, description : str
        Device family name and the record's one-line description.
    weight_unit : {"S", "A"}
        Unit of ``weight_min``/``weight_max``: conductance or Josephson critical current.
    weight_min, weight_max : float
        Low and high weight of the ensemble-mean curves (weight_unit).
    on_off_ratio : float
        weight_max / weight_min (``inf`` if weight_min = 0).
    n_pulses : int
        Pulses of the programming curves (P).
    n_states : int
        Distinguishable states given read noise and device-to-device spread.
    a_ltp, a_ltd : float
        NeuroSim nonlinearity A of the fitted curves, pulses (``inf`` = linear).
    fit_rms_ltp, fit_rms_ltd : float
        RMS fit residuals in units of the weight range.
    c2c_rel : float or None
        Cycle-to-cycle relative step variation; None when the physics does not model it.
    d2d_rel : float
        Device-to-device relative variation of the weight range (0 for a single device).
    event_energy_J, write_time_s, retention_s, read_noise_rel : float
        From the record: J, s, s (``inf`` = no leak) and relative read noise.
    n_devices : int
        Devices of the record's ensemble.
    sources : dict, optional
        Field name → dataset path it was computed from.

    Examples
    --------
    The figures of merit of the FeFET family; A/P is NeuroSim's normalized nonlinearity and the
    on/off ratio is weight_max/weight_min:

    >>> from qtransport.devices import get
    >>> p = extract(get("fefet")().response(seed=0))
    >>> p.family, p.weight_unit, p.n_pulses
    ('fefet', 'S', 32)
    >>> bool(abs(p.a_over_p_ltp - p.a_ltp / p.n_pulses) < 1e-12)
    True
    >>> bool(abs(p.on_off_ratio - p.weight_max / p.weight_min) < 1e-9 * p.on_off_ratio)
    True
    >>> r = p.pulse_response()
    >>> (r.g_min_S, r.g_max_S) == (p.weight_min, p.weight_max)
    True
    """

    family: str
    weight_unit: str
    description: str
    weight_min: float
    weight_max: float
    on_off_ratio: float
    n_pulses: int
    n_states: int
    a_ltp: float
    a_ltd: float
    fit_rms_ltp: float
    fit_rms_ltd: float
    c2c_rel: float | None
    d2d_rel: float
    event_energy_J: float
    write_time_s: float
    retention_s: float
    read_noise_rel: float
    n_devices: int
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def a_over_p_ltp(self) -> float:
        """A/P of potentiation (NeuroSim's normalized nonlinearity; inf = linear)."""
        return self.a_ltp / self.n_pulses

    @property
    def a_over_p_ltd(self) -> float:
        """A/P of depression."""
        return self.a_ltd / self.n_pulses

    def pulse_response(self) -> PulseResponse:
        """The fitted NeuroSim/SoftBoundsPmax model of this family.

        Returns
        -------
        PulseResponse
            Bounds ``weight_min``/``weight_max`` (weight_unit), P and both A.
        """
        return PulseResponse(self.weight_min, self.weight_max, self.n_pulses, self.a_ltp,
                             self.a_ltd)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field (``inf`` as the string 'inf', None kept).

        Returns
        -------
        dict of str to object
            Every field.
        """
        return to_jsonable(asdict(self))

    def to_result(self) -> Result:
        """This record as a :class:`Result` (:func:`parameters_result`), which
        :func:`qtransport.results.save` writes.

        Returns
        -------
        Result
            Kind ``"synapse.parameters"``.
        """
        return parameters_result(self)

    def plot(self, ax=None, **kw):
        """The fitted pulse response of this family (matplotlib axes).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw into (a new figure when None).
        **kw
            Passed to :meth:`PulseResponse.plot`.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.
        """
        ax = self.pulse_response().plot(ax, **kw)
        ax.set_title(f"{self.family}: fitted pulse response", fontsize="medium")
        return ax

    def to_xarray(self):
        """The figures of merit as a scalar :class:`xarray.Dataset`.

        Returns
        -------
        xarray.Dataset
            Scalar dataset of the figures of merit.
        """
        return self.to_result().to_xarray()


def count_states(levels, sigma) -> int:
    """Number of distinguishable levels: greedy, non-overlapping ±2σ windows from the bottom.

    Parameters
    ----------
    levels : array_like
        Candidate levels (any order).
    sigma : array_like
        Standard deviation of each level (same shape, ≥ 0).

    Returns
    -------
    int
        Number of distinguishable states (≥ 1).

    Raises
    ------
    ValueError
        ``sigma`` of the wrong shape, or a negative sigma.

    Examples
    --------
    >>> count_states([0.0, 1.0, 2.0, 3.0], [0.3, 0.3, 0.3, 0.3])
    2
    """
    lv = check_array("levels", levels, ndim=1)
    sg = check_array("sigma", sigma, low=0.0)
    try:
        sg = np.broadcast_to(sg.reshape(np.shape(sigma)), lv.shape)
    except ValueError:
        raise ValueError(f"sigma must be a scalar or have the length of levels ({lv.size}), got "
                         f"shape {np.shape(sigma)}") from None
    order = np.argsort(lv)
    lv, sg = lv[order], sg[order]
    tol = 1e-9 * (np.ptp(lv) or 1.0)
    count, top = 1, lv[0] + 2.0 * sg[0]
    for g, s in zip(lv[1:], sg[1:]):
        if g - 2.0 * s > top + tol:
            count += 1
            top = g + 2.0 * s
    return count


def _c2c(cycles: np.ndarray | None, span: float) -> float | None:
    if cycles is None or cycles.shape[0] < 2:
        return None
    steps = np.diff(cycles, axis=1)
    mean = steps.mean(axis=0)
    valid = np.abs(mean) > 0.01 * span / steps.shape[1]
    if not valid.any():
        return None
    return float(np.median(steps[:, valid].std(axis=0, ddof=1) / np.abs(mean[valid])))


def _d2d(ltp: np.ndarray) -> float:
    if ltp.shape[0] < 2:
        return 0.0
    ranges = ltp.max(axis=1) - ltp.min(axis=1)
    return float(ranges.std(ddof=1) / ranges.mean()) if ranges.mean() > 0 else 0.0


def _check_family(result: Result) -> str:
    if not isinstance(result, Result):
        raise TypeError(f"result must be a {DEVICE_RESPONSE_KIND!r} Result, got "
                        f"{type(result).__name__}")
    if result.kind != DEVICE_RESPONSE_KIND:
        raise ValueError(f"expected a {DEVICE_RESPONSE_KIND!r} result, got kind {result.kind!r}")
    family = str(result.attrs.get("family", ""))
    if family not in KNOWN_FAMILIES:
        raise ValueError(f"unknown device family {family!r}; known families: "
                         f"{', '.join(KNOWN_FAMILIES)}")
    return family


def extract(result: Result, source: str = "") -> SynapseParameters:
    """Extract the synaptic figures of merit of one device-response record.

    Parameters
    ----------
    result : Result
        A ``device.response`` record (:func:`qtransport.devices.record.device_response`).
    source : str
        Where the record lives in the run file (e.g. ``"filament/device_response"``); used to
        name the datasets in :attr:`SynapseParameters.sources`.

    Returns
    -------
    SynapseParameters
        The figures of merit with their source datasets.

    Raises
    ------
    ValueError
        Wrong record kind or unknown device family.

    Examples
    --------
    >>> from qtransport.devices import get
    >>> record = get('ftj')().response(seed=0)
    >>> p = extract(record)
    >>> p.family, p.n_pulses > 1
    ('ftj', True)
    """
    family = _check_family(result)
    unit = weight_unit(result)
    where = source or f"{family} device response"
    need = (f"weight_ltp_{unit}", f"weight_ltd_{unit}", "read_noise_rel", "event_energy_J",
            "write_time_s", "retention_s")
    missing = [k for k in need if k not in result.data]
    if missing:
        raise ValueError(f"{where}: field {missing[0]!r} missing; a device response needs "
                         f"{', '.join(need)}")
    arrays = {}
    for key in (f"weight_ltp_{unit}", f"weight_ltd_{unit}", f"cycle_ltp_{unit}"):
        if key in result.data:
            arrays[key] = np.atleast_2d(check_array(f"{where}: {key}", result.data[key],
                                                    low=0.0).reshape(result.data[key].shape))
    ltp, ltd = arrays[f"weight_ltp_{unit}"], arrays[f"weight_ltd_{unit}"]
    cyc = arrays.get(f"cycle_ltp_{unit}")
    if ltp.shape[1] != ltd.shape[1] or ltp.shape[1] < 3:
        raise ValueError(f"{where}: weight_ltp_{unit} and weight_ltd_{unit} must have the same "
                         f"number of columns (pulses + 1, at least 3), got shapes {ltp.shape} "
                         f"and {ltd.shape}")
    n_pulses = ltp.shape[1] - 1
    mean_ltp, mean_ltd = ltp.mean(axis=0), ltd.mean(axis=0)
    k = np.arange(n_pulses + 1)
    w_min = float(min(mean_ltp.min(), mean_ltd.min()))
    w_max = float(max(mean_ltp.max(), mean_ltd.max()))
    for key, curve in ((f"weight_ltp_{unit}", mean_ltp), (f"weight_ltd_{unit}", mean_ltd)):
        if np.ptp(curve) <= 0:
            raise ValueError(f"{where}: {key} (mean over devices) is constant at {curve[0]:.6g} "
                             f"{unit}: the pulses change nothing, so there is no pulse response "
                             f"to fit (stronger or longer pulses are needed)")
    fit_up = fit_pulse_response(k, mean_ltp, "ltp", bounds_S=(w_min, w_max))
    fit_dn = fit_pulse_response(n_pulses - k, mean_ltd, "ltd", bounds_S=(w_min, w_max))
    read = float(result.data["read_noise_rel"])
    sigma = np.hypot(read * mean_ltp, ltp.std(axis=0) if ltp.shape[0] > 1 else 0.0)
    pre = f"{source}/" if source else ""
    names = {"ltp": f"{pre}weight_ltp_{unit}", "ltd": f"{pre}weight_ltd_{unit}",
             "cyc": f"{pre}cycle_ltp_{unit}"}
    sources = {"weight_min": names["ltp"], "weight_max": names["ltp"],
               "on_off_ratio": names["ltp"], "n_states": f"{names['ltp']}, {pre}read_noise_rel",
               "a_ltp": names["ltp"], "a_ltd": names["ltd"], "d2d_rel": names["ltp"],
               "c2c_rel": names["cyc"] if cyc is not None else "not modelled"}
    for key in ("event_energy_J", "write_time_s", "retention_s", "read_noise_rel"):
        sources[key] = f"{pre}{key}"
    params = SynapseParameters(
        family=family, weight_unit=unit, description=str(result.attrs.get("description", "")),
        weight_min=w_min, weight_max=w_max,
        on_off_ratio=w_max / w_min if w_min > 0 else math.inf, n_pulses=n_pulses,
        n_states=count_states(mean_ltp, sigma), a_ltp=fit_up.a, a_ltd=fit_dn.a,
        fit_rms_ltp=fit_up.rms_rel, fit_rms_ltd=fit_dn.rms_rel,
        c2c_rel=_c2c(None if cyc is None else np.atleast_2d(cyc).astype(float), w_max - w_min),
        d2d_rel=_d2d(ltp), event_energy_J=float(result.data["event_energy_J"]),
        write_time_s=float(result.data["write_time_s"]),
        retention_s=float(result.data["retention_s"]), read_noise_rel=read,
        n_devices=int(ltp.shape[0]), sources=sources)
    log.info("extracted %s: %d states, on/off %.3g, A/P %.3g/%.3g", family, params.n_states,
             params.on_off_ratio, params.a_over_p_ltp, params.a_over_p_ltd)
    return params


def extract_all(results: Mapping[str, Result]) -> dict[str, SynapseParameters]:
    """Extract every ``device.response`` record of a run, keyed by family.

    Keys of ``results`` are run-file paths (``"filament/device_response"``); two records of the
    same family are an error (the comparison table would be ambiguous).

    Parameters
    ----------
    results : mapping of str to Result
        Run-file path → result (non-``device.response`` results are skipped).

    Returns
    -------
    dict of str to SynapseParameters
        Family → figures of merit.

    Raises
    ------
    TypeError
        ``results`` is not a mapping.
    ValueError
        Two records of one family.

    Examples
    --------
    Records of other kinds are skipped; each family is keyed by name, with its run-file path in
    the sources (the magnetic Josephson synapse's weight is a critical current, A):

    >>> from qtransport.devices import get
    >>> run = {"fefet/device_response": get("fefet")().response(seed=0),
    ...        "mj/device_response": get("magnetic_josephson")().response(seed=0)}
    >>> run["fefet/parameters"] = parameters_result(extract(run["fefet/device_response"]))
    >>> out = extract_all(run)
    >>> sorted(out), out["magnetic_josephson"].weight_unit
    (['fefet', 'magnetic_josephson'], 'A')
    >>> out["fefet"].sources["a_ltp"]
    'fefet/device_response/weight_ltp_S'
    """
    if not isinstance(results, Mapping):
        raise TypeError(f"results must be a dict of run-file path -> Result, got "
                        f"{type(results).__name__}")
    out: dict[str, SynapseParameters] = {}
    for key in sorted(results):
        res = results[key]
        if res.kind != DEVICE_RESPONSE_KIND:
            continue
        params = extract(res, source=key)
        if params.family in out:
            raise ValueError(f"two device responses of family {params.family!r}: "
                             f"{out[params.family].sources['a_ltp']} and {key}")
        out[params.family] = params
    return out


def parameters_result(params: SynapseParameters) -> Result:
    """The record as a :class:`Result` (one scalar dataset per number) for the run file.

    Parameters
    ----------
    params : SynapseParameters
        The record.

    Returns
    -------
    Result
        Kind ``"synapse.parameters"``: one scalar dataset per number (units in the names).

    Raises
    ------
    TypeError
        ``params`` is not a SynapseParameters.

    Examples
    --------
    >>> from qtransport.devices import get
    >>> p = extract(get("magnetic_josephson")().response(seed=0))
    >>> r = parameters_result(p)
    >>> r.kind, r.attrs["family"], r.attrs["weight_unit"]
    ('synapse.parameters', 'magnetic_josephson', 'A')
    >>> int(r.n_states) == p.n_states and float(r.weight_max_A) == p.weight_max
    True
    """
    if not isinstance(params, SynapseParameters):
        raise TypeError(f"params must be a SynapseParameters record, got {type(params).__name__}")
    u = params.weight_unit
    data = {f"weight_min_{u}": params.weight_min, f"weight_max_{u}": params.weight_max,
            "on_off_ratio": params.on_off_ratio, "n_pulses": params.n_pulses,
            "n_states": params.n_states, "a_ltp": params.a_ltp, "a_ltd": params.a_ltd,
            "a_over_p_ltp": params.a_over_p_ltp, "a_over_p_ltd": params.a_over_p_ltd,
            "fit_rms_ltp": params.fit_rms_ltp, "fit_rms_ltd": params.fit_rms_ltd,
            "c2c_rel": math.nan if params.c2c_rel is None else params.c2c_rel,
            "d2d_rel": params.d2d_rel, "event_energy_J": params.event_energy_J,
            "write_time_s": params.write_time_s, "retention_s": params.retention_s,
            "read_noise_rel": params.read_noise_rel, "n_devices": params.n_devices}
    attrs = {"family": params.family, "weight_unit": u, "description": params.description,
             "c2c_modelled": params.c2c_rel is not None,
             "sources": to_jsonable(params.sources)}
    return Result(PARAMETERS_KIND, {"family": params.family},
                  {k: np.asarray(v) for k, v in data.items()}, attrs)
