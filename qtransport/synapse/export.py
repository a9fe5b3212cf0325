"""Device parameters for other tools: aihwkit, NeuroSim-style tables, JSON.

``to_aihwkit`` gives the keyword arguments of aihwkit's ``SoftBoundsPmaxDevice`` (IBM Analog
Hardware Acceleration Kit, ``aihwkit.simulator.configs.devices``): ``p_max`` (pulses from
range_min to range_max), ``alpha`` (= 1/A), ``range_min``/``range_max`` (weights at the start
and end of the up-pulse experiment) and the variation parameters it inherits from
``PulsedDevice`` — ``dw_min_std`` (cycle-to-cycle, relative to dw_min), ``dw_min_dtod``,
``w_min_dtod``, ``w_max_dtod`` (device-to-device, relative), ``up_down_dtod``. Every variation
parameter is set explicitly (aihwkit's defaults are 0.3, which would add variation the device
does not have). aihwkit weights are dimensionless: conductance maps linearly onto
[range_min, range_max] (default [−1, 1]); :func:`aihwkit_weight_map` returns that mapping.

aihwkit's SoftBoundsPmax uses one alpha for both directions; when A_LTP ≠ A_LTD the LTP value is
exported and the difference is logged. A linear device (A = inf) is exported with
alpha = 1e-6 / p_max (curvature 1e-6 of the range; aihwkit divides by 1 − e^{−alpha p_max}).
"""
from __future__ import annotations

import json
import logging
import math
import os
from typing import Any

from ..errors import check_real
from ..infra import atomic_path, check_output_file, to_jsonable
from .extract import SynapseParameters
from .pulse import PulseResponse

__all__ = ["to_aihwkit", "aihwkit_weight_map", "neurosim_table", "to_json", "write_json"]

log = logging.getLogger(__name__)


def _split(device) -> tuple[PulseResponse, SynapseParameters | None]:
    if isinstance(device, SynapseParameters):
        return device.pulse_response(), device
    if isinstance(device, PulseResponse):
        return device, None
    raise TypeError(f"device must be a PulseResponse or SynapseParameters, got "
                    f"{type(device).__name__}")


def _weight_range(range_min, range_max) -> tuple[float, float]:
    lo = check_real("range_min", range_min)
    hi = check_real("range_max", range_max)
    if lo >= hi:
        raise ValueError(f"range_min must be < range_max (G_min maps to range_min, G_max to "
                         f"range_max), got range_min={lo} >= range_max={hi}")
    return lo, hi


def to_aihwkit(device, range_min: float = -1.0, range_max: float = 1.0) -> dict[str, Any]:
    """Keyword arguments for ``aihwkit.simulator.configs.devices.SoftBoundsPmaxDevice``.

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
    range_min, range_max : float
        Dimensionless weights that G_min and G_max map to (range_min < range_max).

    Returns
    -------
    dict
        ``p_max``, ``alpha``, ``range_min``, ``range_max``, ``dw_min_std``, ``dw_min_dtod``,
        ``w_min_dtod``, ``w_max_dtod``, ``up_down_dtod``.

    Notes
    -----
    alpha = 1/A, p_max = P: the NeuroSim curve G(p) = B(1 − e^{−p/A}) + G_min is aihwkit's
    w(p) = B(1 − e^{−alpha p}) + range_min after the affine map of G onto the weight range.

    Examples
    --------
    >>> d = to_aihwkit(PulseResponse(1e-6, 1e-4, 64, 20.0, 20.0))
    >>> d["p_max"], d["alpha"]
    (64, 0.05)
    """
    lo, hi = _weight_range(range_min, range_max)
    resp, params = _split(device)
    if resp.a_ltp != resp.a_ltd:
        log.info("aihwkit SoftBoundsPmax has one alpha: exporting A_LTP=%g (A_LTD=%g dropped)",
                 resp.a_ltp, resp.a_ltd)
    alpha = 1e-6 / resp.n_pulses if math.isinf(resp.a_ltp) else 1.0 / resp.a_ltp
    c2c = params.c2c_rel if params is not None and params.c2c_rel is not None else 0.0
    d2d = params.d2d_rel if params is not None else 0.0
    return {"p_max": int(resp.n_pulses), "alpha": float(alpha), "range_min": lo,
            "range_max": hi, "dw_min_std": float(c2c), "dw_min_dtod": float(d2d),
            "w_min_dtod": float(d2d), "w_max_dtod": float(d2d), "up_down_dtod": 0.0}


def aihwkit_weight_map(device, range_min: float = -1.0,
                       range_max: float = 1.0) -> dict[str, float]:
    """The affine map w = w0 + G · scale from conductance (S) to aihwkit's weight.

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
    range_min, range_max : float
        Weights of G_min and G_max (finite, range_min < range_max).

    Returns
    -------
    dict
        ``weight_per_unit_conductance`` (1/S) and ``weight_at_zero_conductance``.
    """
    range_min, range_max = _weight_range(range_min, range_max)
    resp, _ = _split(device)
    scale = (range_max - range_min) / resp.range_S
    return {"weight_per_unit_conductance": scale,
            "weight_at_zero_conductance": range_min - resp.g_min_S * scale}


def neurosim_table(device) -> list[tuple[str, str, str]]:
    """NeuroSim-style device table: rows of (parameter, value, unit).

    Rows follow NeuroSim's device-parameter block: max/min conductance, on/off, number of
    conductance states (P + 1, or the distinguishable count when known), nonlinearity A of
    LTP/LTD in pulses and normalized A/P, cycle-to-cycle and device-to-device variation, read
    noise, write pulse width, energy per pulse and retention.
    """
    resp, p = _split(device)
    unit = p.weight_unit if p is not None else "S"

    def fmt(v: float) -> str:
        return "inf" if math.isinf(v) else f"{v:.6g}"

    rows = [("maxConductance", fmt(resp.g_max_S), unit),
            ("minConductance", fmt(resp.g_min_S), unit),
            ("onOffRatio", fmt(resp.g_max_S / resp.g_min_S) if resp.g_min_S > 0 else "inf", "1"),
            ("maxNumLevelLTP", str(resp.n_pulses), "pulses"),
            ("maxNumLevelLTD", str(resp.n_pulses), "pulses"),
            ("A_LTP", fmt(resp.a_ltp), "pulses"), ("A_LTD", fmt(resp.a_ltd), "pulses"),
            ("A_LTP/P", fmt(resp.a_ltp / resp.n_pulses), "1"),
            ("A_LTD/P", fmt(resp.a_ltd / resp.n_pulses), "1")]
    if p is not None:
        rows += [("numDistinguishableStates", str(p.n_states), "1"),
                 ("sigmaCtoC", "not modelled" if p.c2c_rel is None else fmt(p.c2c_rel), "rel"),
                 ("sigmaDtoD", fmt(p.d2d_rel), "rel"), ("readNoise", fmt(p.read_noise_rel), "rel"),
                 ("writePulseWidth", fmt(p.write_time_s), "s"),
                 ("writeEnergyPerPulse", fmt(p.event_energy_J), "J"),
                 ("retention", fmt(p.retention_s), "s")]
    return rows


def to_json(device) -> str:
    """JSON text of the full record (SynapseParameters) or of a PulseResponse."""
    resp, params = _split(device)
    body = params.to_dict() if params is not None else to_jsonable(resp.to_dict())
    body = {"format": "qtransport.synapse/1", "pulse_response": to_jsonable(resp.to_dict()),
            **({"parameters": body} if params is not None else {}),
            "aihwkit_SoftBoundsPmaxDevice": to_aihwkit(device)}
    return json.dumps(body, indent=2, sort_keys=True)


def write_json(path: str | os.PathLike, device) -> None:
    """Write :func:`to_json` to ``path`` atomically (missing folders are created).

    Raises
    ------
    IsADirectoryError, NotADirectoryError, PermissionError
        ``path`` is a directory, or its folder cannot be created or written; nothing is left.
    """
    check_output_file(path, "path")
    text = to_json(device)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
