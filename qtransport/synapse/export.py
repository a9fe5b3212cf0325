"""Device parameters for other tools: aihwkit, NeuroSim, JSON.

aihwkit (IBM Analog Hardware Acceleration Kit)
----------------------------------------------
:func:`to_aihwkit` returns ``{"device": <class name>, **constructor keywords}`` for a class of
``aihwkit.simulator.configs`` whose pulse update reproduces the device's curves in both
directions, each with its own A and P (read off aihwkit's sources, see docs/synapse.md):

* ``LinearStepDevice`` (preferred; needs range_min ≤ 0 ≤ range_max, as aihwkit requires of its
  hard bounds). Its update w ← w ± (scale + slope·w), clipped to [w_min, w_max], is exactly the
  exponential curve's one-pulse map: the step of the NeuroSim curve is linear in w. With
  w_min = range_min, w_max = range_max the hard bounds are the curve's ends, so pulses beyond
  G_max/G_min saturate exactly like :meth:`PulseResponse.apply_pulses`. Linear and
  anti-saturating (A < 0) directions are represented too (``allow_increasing``).
* ``SoftBoundsDevice`` (when the range does not contain 0; saturating curves only): its bounds
  are the curves' asymptotes w_max = range_min + B_LTP, w_min = range_max − B_LTD, and its steps
  (1 − e^{−1/A})·|bound|. The curves from range_min up and from range_max down agree exactly; a
  weight pushed past range_max (range_min) keeps creeping toward the asymptote, where qtransport
  clips.

Anything else (e.g. a range ⊂ (0, ∞) with a linear or anti-saturating direction) raises
ValueError. Every variation parameter is set explicitly (aihwkit's defaults add 30 %
device-to-device and cycle-to-cycle variation). aihwkit weights are dimensionless: conductance
maps linearly onto [range_min, range_max]; :func:`aihwkit_weight_map` returns that map.

NeuroSim
--------
:func:`to_neurosim` / :func:`from_neurosim` convert to and from the parameters of NeuroSim's
``RealDevice`` (MLP_NeuroSim: ``maxConductance``, ``minConductance``, ``maxNumLevelLTP``,
``maxNumLevelLTD``, ``NL_LTP``, ``NL_LTD``, ``paramALTP``, ``paramALTD``). NeuroSim writes both
directions with the potentiation formula and a *signed* A, so its ``paramALTD = −a_ltd``
(saturating depression has NeuroSim A_LTD < 0, label NL_LTD < 0). :func:`neurosim_nl_to_a` and
:func:`neurosim_a_to_nl` convert NeuroSim's nonlinearity label to A/P: the label is
``NEUROSIM_NL_PER_DEVIATION`` × the largest deviation of the normalized curve from the straight
line, with the sign of A (this reproduces NeuroSim's 900-entry ``getParamA`` table to its six
printed digits; NeuroSim itself rounds |label| down to a multiple of 0.01 before the lookup).
"""
from __future__ import annotations

import json
import logging
import math
import os
from typing import Any

from scipy.optimize import brentq

from ..errors import check_choice, check_int, check_real
from ..infra import atomic_path, check_output_file, to_jsonable
from .extract import SynapseParameters
from .pulse import PulseResponse, shape

__all__ = ["to_aihwkit", "aihwkit_weight_map", "neurosim_table", "to_neurosim",
           "from_neurosim", "neurosim_nl_to_a", "neurosim_a_to_nl",
           "NEUROSIM_NL_PER_DEVIATION", "to_json", "write_json"]

log = logging.getLogger(__name__)

#: NeuroSim's label per unit of maximum deviation of the normalized curve from linear: read off
#: NeuroSim's getParamA table (MLP_NeuroSim V3.0 formula.cpp; label/deviation = 10.1015254 for
#: every entry checked, tests/synapse/test_export_peers.py)
NEUROSIM_NL_PER_DEVIATION = 10.1015254

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


def _step_coefficients(x: float, n: int) -> tuple[float, float]:
    """(r, k) of one direction: first step = r·(range), step change per unit weight = k.

    r = f(1/P; x) (the normalized curve after one pulse) and k = 1 − e^{−1/A} (0 if linear,
    < 0 if anti-saturating), so the step taken from weight w is r·R − k·(w − w_start).
    """
    r = float(shape(1.0 / n, x))
    k = -math.expm1(-x / n) if x != 0.0 else 0.0
    return r, k


def _dw_min_up_down(s_up: float, s_dn: float) -> tuple[float, float]:
    """aihwkit's (dw_min, up_down) giving scale_up = s_up and scale_down = s_dn.

    PulsedRPUDevice::populate sets scale_up = (1 + min(up_down, 0))·dw_min and
    scale_down = (1 − max(up_down, 0))·dw_min (no device-to-device variation).
    """
    if s_up >= s_dn:
        return s_up, 1.0 - s_dn / s_up
    return s_dn, s_up / s_dn - 1.0


def _variation(params) -> dict[str, float]:
    c2c = params.c2c_rel if params is not None and params.c2c_rel is not None else 0.0
    d2d = params.d2d_rel if params is not None else 0.0
    return {"dw_min_std": float(c2c), "dw_min_dtod": float(d2d), "up_down_dtod": 0.0,
            "w_min_dtod": float(d2d), "w_max_dtod": float(d2d), "write_noise_std": 0.0,
            "mult_noise": True}


def _linear_step(resp: PulseResponse, lo: float, hi: float) -> dict[str, Any] | str:
    """LinearStepDevice keywords, or the reason it cannot represent the device."""
    if not lo <= 0.0 <= hi:
        return (f"LinearStepDevice needs range_min <= 0 <= range_max (aihwkit: '[w_min,w_max] "
                f"needs to contain 0'), got [{lo}, {hi}]")
    span = hi - lo
    r_u, k_u = _step_coefficients(resp.x_ltp, resp.n_ltp)
    r_d, k_d = _step_coefficients(resp.x_ltd, resp.n_ltd)
    if (hi == 0.0 and k_u != 0.0) or (lo == 0.0 and k_d != 0.0):
        return ("LinearStepDevice scales its slopes by 1/w_max and 1/w_min, so a nonlinear "
                "direction needs a nonzero bound on its side: use range_min < 0 < range_max")
    s_up = span * r_u + k_u * lo          # up step at w = 0
    s_dn = span * r_d - k_d * hi          # down step at w = 0
    if not (s_up > 0 and s_dn > 0):
        return f"the steps at w = 0 are not positive (up {s_up:.3g}, down {s_dn:.3g})"
    dw_min, up_down = _dw_min_up_down(s_up, s_dn)
    gamma_up = k_u * hi / s_up if hi != 0.0 else 0.0
    gamma_down = -k_d * lo / s_dn if lo != 0.0 else 0.0
    return {"device": "LinearStepDevice", "dw_min": dw_min, "up_down": up_down, "w_min": lo,
            "w_max": hi, "gamma_up": gamma_up, "gamma_down": gamma_down,
            "gamma_up_dtod": 0.0, "gamma_down_dtod": 0.0,
            "allow_increasing": bool(gamma_up < 0 or gamma_down < 0),
            "mean_bound_reference": True}


def _soft_bounds(resp: PulseResponse, lo: float, hi: float) -> dict[str, Any] | str:
    """SoftBoundsDevice keywords, or the reason it cannot represent the device."""
    if resp.x_ltp <= 0 or resp.x_ltd <= 0:
        return ("SoftBoundsDevice has saturating steps only (A_LTP and A_LTD must be finite "
                f"and > 0, got {resp.a_ltp}, {resp.a_ltd})")
    span = hi - lo
    r_u, k_u = _step_coefficients(resp.x_ltp, resp.n_ltp)
    r_d, k_d = _step_coefficients(resp.x_ltd, resp.n_ltd)
    w_max = lo + span * r_u / k_u          # asymptote of the LTP curve, range_min + B_LTP
    w_min = hi - span * r_d / k_d          # asymptote of the LTD curve, range_max - B_LTD
    if not (w_min < 0.0 < w_max):
        return (f"SoftBoundsDevice's bounds (the curves' asymptotes) must straddle 0, got "
                f"w_min={w_min:.6g}, w_max={w_max:.6g}: the device is too linear for this range")
    dw_min, up_down = _dw_min_up_down(k_u * w_max, -k_d * w_min)
    return {"device": "SoftBoundsDevice", "dw_min": dw_min, "up_down": up_down, "w_min": w_min,
            "w_max": w_max}


def to_aihwkit(device, range_min: float = -1.0, range_max: float = 1.0,
               device_class: str = "auto") -> dict[str, Any]:
    """aihwkit device configuration reproducing the device's pulse response.

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
        The device (conductances in S).
    range_min, range_max : float
        Dimensionless weights that G_min and G_max map to (range_min < range_max).
    device_class : {"auto", "LinearStepDevice", "SoftBoundsDevice"}
        ``auto`` = LinearStepDevice when it can represent the device (range_min ≤ 0 ≤ range_max),
        else SoftBoundsDevice.

    Returns
    -------
    dict
        ``"device"`` (the class name in ``aihwkit.simulator.configs``) and exactly that class's
        constructor keywords, so ``getattr(configs, d.pop("device"))(**d)`` builds it.

    Raises
    ------
    ValueError
        aihwkit cannot represent the device in this range (the message says why).

    Examples
    --------
    >>> d = to_aihwkit(PulseResponse(1e-6, 1e-4, 64, 20.0, 20.0))
    >>> d["device"], d["w_min"], d["w_max"]
    ('LinearStepDevice', -1.0, 1.0)
    """
    lo, hi = _weight_range(range_min, range_max)
    check_choice("device_class", device_class, ("auto", "LinearStepDevice", "SoftBoundsDevice"))
    resp, params = _split(device)
    tried = []
    builders = {"LinearStepDevice": _linear_step, "SoftBoundsDevice": _soft_bounds}
    order = list(builders) if device_class == "auto" else [device_class]
    for name in order:
        out = builders[name](resp, lo, hi)
        if isinstance(out, dict):
            if name == "SoftBoundsDevice":
                log.info("aihwkit SoftBoundsDevice for range [%g, %g]: weights pushed beyond the "
                         "range creep toward w_min=%g / w_max=%g (qtransport clips)", lo, hi,
                         out["w_min"], out["w_max"])
            return {**out, **_variation(params)}
        tried.append(f"{name}: {out}")
    raise ValueError(f"aihwkit cannot represent this device with weight range [{lo}, {hi}] "
                     "(range_min/range_max): " + "; ".join(tried))


def aihwkit_weight_map(device, range_min: float = -1.0,
                       range_max: float = 1.0) -> dict[str, float]:
    """The affine map w = w0 + G · scale from conductance (S) to aihwkit's weight.

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
        The device (conductances in S).
    range_min, range_max : float
        Weights of G_min and G_max (finite, range_min < range_max).

    Returns
    -------
    dict
        ``weight_per_unit_conductance`` (1/S) and ``weight_at_zero_conductance``.

    Examples
    --------
    >>> from qtransport.synapse.pulse import PulseResponse
    >>> device = PulseResponse(g_min_S=2e-6, g_max_S=5e-5, n_pulses=40, a_ltp=15.0, a_ltd=25.0)
    >>> sorted(aihwkit_weight_map(device))[:3]
    ['weight_at_zero_conductance', 'weight_per_unit_conductance']
    """
    range_min, range_max = _weight_range(range_min, range_max)
    resp, _ = _split(device)
    scale = (range_max - range_min) / resp.range_S
    return {"weight_per_unit_conductance": scale,
            "weight_at_zero_conductance": range_min - resp.g_min_S * scale}


def _max_deviation(x: float) -> float:
    """max_t [f(t; x) − t] of the normalized saturating curve, x = P/A > 0 (→ x/8 for x → 0)."""
    if x < 1e-6:
        return x / 8.0
    h = -math.expm1(-x)                                  # 1 − e^{−x}
    t_star = -math.log(h / x) / x                        # where f'(t) = 1
    return (1.0 - h / x) / h - t_star


def neurosim_nl_to_a(nl: float, n_levels: int) -> float:
    """NeuroSim's signed A (pulses) of nonlinearity label ``nl`` for a curve of ``n_levels``.

    Parameters
    ----------
    nl : float
        NeuroSim's label (NL_LTP or NL_LTD), |nl| < 10.1; 0 = linear. The sign is the sign of
        NeuroSim's A (NL_LTD < 0 is ordinary saturating depression).
    n_levels : int
        maxNumLevelLTP or maxNumLevelLTD (≥ 2).

    Returns
    -------
    float
        NeuroSim's paramA = sign(nl)·(A/P)·n_levels; ``inf`` for nl = 0.

    Raises
    ------
    ValueError
        If an argument is invalid: `nl` must be > -10.1015 and < 10.1015; `n_levels` must be >=
        2.
    TypeError
        If an argument has the wrong type: `nl` is not a real number; `n_levels` is not an
        integer.

    Examples
    --------
    >>> round(neurosim_nl_to_a(2.0, 64), 2)
    38.98
    """
    nl = check_real("nl", nl, low=-NEUROSIM_NL_PER_DEVIATION, high=NEUROSIM_NL_PER_DEVIATION,
                    low_open=True, high_open=True)
    n = check_int("n_levels", n_levels, low=2)
    if nl == 0.0:
        return math.inf
    dev = abs(nl) / NEUROSIM_NL_PER_DEVIATION
    x = brentq(lambda x: _max_deviation(x) - dev, 1e-12, 1e4, xtol=1e-15, rtol=1e-14)
    return math.copysign(n / x, nl)


def neurosim_a_to_nl(a: float, n_levels: int) -> float:
    """NeuroSim's nonlinearity label of its signed A (pulses) on a curve of ``n_levels``.

    Parameters
    ----------
    a : float
        NeuroSim's signed A, pulses (≠ 0; ``inf`` = linear).
    n_levels : int
        Levels of the curve (≥ 2).

    Returns
    -------
    float
        The label (0 for a linear curve; sign of ``a``).

    Raises
    ------
    ValueError
        ``a`` = 0.

    Examples
    --------
    >>> neurosim_a_to_nl(float("inf"), 64)
    0.0
    >>> n = 64
    >>> round(neurosim_nl_to_a(neurosim_a_to_nl(20.0, n), n), 6)
    20.0
    """
    a = check_real("a", a, allow_inf=True)
    n = check_int("n_levels", n_levels, low=2)
    if a == 0.0:
        raise ValueError("a must be nonzero (inf = linear), got 0.0")
    if math.isinf(a):
        return 0.0
    return math.copysign(NEUROSIM_NL_PER_DEVIATION * _max_deviation(n / abs(a)), a)


def to_neurosim(device) -> dict[str, Any]:
    """Parameters of NeuroSim's ``RealDevice`` for this device (MLP_NeuroSim V3.0 names).

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
        The device (conductances in S).

    Returns
    -------
    dict
        ``maxConductance``, ``minConductance`` (S), ``maxNumLevelLTP``, ``maxNumLevelLTD``,
        ``nonlinearWrite``, ``paramALTP``, ``paramALTD`` (NeuroSim's signed A in pulses:
        ``paramALTD = −a_ltd``), ``NL_LTP``, ``NL_LTD`` (the labels of those A) and, for a
        :class:`SynapseParameters`, ``sigmaCtoC`` (S, per pulse: c2c_rel × mean step
        (G_max − G_min)/P_LTP — NeuroSim adds N(0, sigmaCtoC)·√|n| per write) and
        ``writePulseWidthLTP``/``writePulseWidthLTD`` (s). NeuroSim's ``sigmaDtoD`` varies the
        label, not qtransport's range gain, and is not exported.

    Examples
    --------
    >>> from qtransport.synapse.pulse import PulseResponse
    >>> device = PulseResponse(g_min_S=2e-6, g_max_S=5e-5, n_pulses=40, a_ltp=15.0, a_ltd=25.0)
    >>> sorted(to_neurosim(device))[:3]
    ['NL_LTD', 'NL_LTP', 'maxConductance']
    """
    resp, p = _split(device)
    linear = math.isinf(resp.a_ltp) and math.isinf(resp.a_ltd)
    out = {"maxConductance": resp.g_max_S, "minConductance": resp.g_min_S,
           "maxNumLevelLTP": resp.n_ltp, "maxNumLevelLTD": resp.n_ltd,
           "nonlinearWrite": not linear, "paramALTP": resp.a_ltp, "paramALTD": -resp.a_ltd,
           "NL_LTP": neurosim_a_to_nl(resp.a_ltp, resp.n_ltp),
           "NL_LTD": neurosim_a_to_nl(-resp.a_ltd, resp.n_ltd)}
    if p is not None:
        c2c = 0.0 if p.c2c_rel is None else p.c2c_rel
        out.update({"sigmaCtoC": c2c * resp.range_S / resp.n_ltp,
                    "writePulseWidthLTP": p.write_time_s, "writePulseWidthLTD": p.write_time_s})
    return out


def from_neurosim(params: dict) -> PulseResponse:
    """:class:`PulseResponse` of NeuroSim ``RealDevice`` parameters (inverse of :func:`to_neurosim`).

    Parameters
    ----------
    params : dict
        ``maxConductance``, ``minConductance``, ``maxNumLevelLTP``, ``maxNumLevelLTD`` and either
        ``paramALTP``/``paramALTD`` (signed A, pulses) or ``NL_LTP``/``NL_LTD`` (labels);
        ``nonlinearWrite=False`` means linear. Other keys are ignored.

    Returns
    -------
    PulseResponse
        The response (``a_ltd = −paramALTD``).

    Raises
    ------
    TypeError
        ``params`` is not a dict.
    ValueError
        Missing keys or bad values.

    Examples
    --------
    >>> from qtransport.synapse.pulse import PulseResponse
    >>> device = PulseResponse(g_min_S=2e-6, g_max_S=5e-5, n_pulses=40, a_ltp=15.0, a_ltd=25.0)
    >>> from_neurosim(to_neurosim(device)).n_pulses
    40
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of NeuroSim RealDevice parameters, got "
                        f"{type(params).__name__}")
    need = ("maxConductance", "minConductance", "maxNumLevelLTP", "maxNumLevelLTD")
    missing = [k for k in need if k not in params]
    if missing:
        raise ValueError(f"params is missing NeuroSim keys {missing} (needs {list(need)})")
    n_up = check_int("maxNumLevelLTP", params["maxNumLevelLTP"], low=2)
    n_dn = check_int("maxNumLevelLTD", params["maxNumLevelLTD"], low=2)
    if not params.get("nonlinearWrite", True):
        a_up, a_dn_ns = math.inf, math.inf
    elif "paramALTP" in params and "paramALTD" in params:
        a_up = check_real("paramALTP", params["paramALTP"], allow_inf=True)
        a_dn_ns = check_real("paramALTD", params["paramALTD"], allow_inf=True)
    elif "NL_LTP" in params and "NL_LTD" in params:
        a_up = neurosim_nl_to_a(params["NL_LTP"], n_up)
        a_dn_ns = neurosim_nl_to_a(params["NL_LTD"], n_dn)
    else:
        raise ValueError("params needs paramALTP/paramALTD or NL_LTP/NL_LTD (or "
                         "nonlinearWrite=False)")
    return PulseResponse(params["minConductance"], params["maxConductance"], n_up, a_up,
                         -a_dn_ns, n_pulses_ltd=n_dn)


def neurosim_table(device) -> list[tuple[str, str, str]]:
    """NeuroSim-style device table: rows of (parameter, value, unit).

    Rows follow NeuroSim's device-parameter block (:func:`to_neurosim`): max/min conductance,
    on/off, LTP/LTD level counts, NeuroSim's signed A and label per direction, normalized A/P;
    for a :class:`SynapseParameters` also distinguishable states, variation, read noise, write
    pulse width, energy per pulse and retention.

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
        The device (conductances in S).

    Returns
    -------
    list of tuple of str
        (parameter, value, unit) rows.

    Examples
    --------
    >>> from qtransport.synapse.pulse import PulseResponse
    >>> device = PulseResponse(g_min_S=2e-6, g_max_S=5e-5, n_pulses=40, a_ltp=15.0, a_ltd=25.0)
    >>> len(neurosim_table(device)) > 0
    True
    """
    resp, p = _split(device)
    unit = p.weight_unit if p is not None else "S"
    ns = to_neurosim(device)

    def fmt(v: float) -> str:
        return "inf" if math.isinf(v) else f"{v:.6g}"

    rows = [("maxConductance", fmt(resp.g_max_S), unit),
            ("minConductance", fmt(resp.g_min_S), unit),
            ("onOffRatio", fmt(resp.g_max_S / resp.g_min_S) if resp.g_min_S > 0 else "inf", "1"),
            ("maxNumLevelLTP", str(resp.n_ltp), "pulses"),
            ("maxNumLevelLTD", str(resp.n_ltd), "pulses"),
            ("paramALTP", fmt(ns["paramALTP"]), "pulses"),
            ("paramALTD", fmt(ns["paramALTD"]), "pulses"),
            ("NL_LTP", fmt(ns["NL_LTP"]), "1"), ("NL_LTD", fmt(ns["NL_LTD"]), "1"),
            ("A_LTP", fmt(resp.a_ltp), "pulses"), ("A_LTD", fmt(resp.a_ltd), "pulses"),
            ("A_LTP/P", fmt(resp.a_ltp / resp.n_ltp), "1"),
            ("A_LTD/P", fmt(resp.a_ltd / resp.n_ltd), "1")]
    if p is not None:
        rows += [("numDistinguishableStates", str(p.n_states), "1"),
                 ("sigmaCtoC", "not modelled" if p.c2c_rel is None else fmt(ns["sigmaCtoC"]),
                  unit),
                 ("sigmaDtoD", fmt(p.d2d_rel), "rel"), ("readNoise", fmt(p.read_noise_rel), "rel"),
                 ("writePulseWidth", fmt(p.write_time_s), "s"),
                 ("writeEnergyPerPulse", fmt(p.event_energy_J), "J"),
                 ("retention", fmt(p.retention_s), "s")]
    return rows


def to_json(device) -> str:
    """JSON text of the full record (SynapseParameters) or of a PulseResponse.

    Parameters
    ----------
    device : PulseResponse or SynapseParameters
        The device (conductances in S).

    Returns
    -------
    str
        Indented JSON (``format``, ``pulse_response``, ``parameters``, ``aihwkit``,
        ``neurosim``).

    Examples
    --------
    >>> from qtransport.synapse.pulse import PulseResponse
    >>> device = PulseResponse(g_min_S=2e-6, g_max_S=5e-5, n_pulses=40, a_ltp=15.0, a_ltd=25.0)
    >>> import json
    >>> sorted(json.loads(to_json(device)))[:2]
    ['aihwkit', 'format']
    """
    resp, params = _split(device)
    body = params.to_dict() if params is not None else to_jsonable(resp.to_dict())
    body = {"format": "qtransport.synapse/1", "pulse_response": to_jsonable(resp.to_dict()),
            **({"parameters": body} if params is not None else {}),
            "aihwkit": to_aihwkit(device), "neurosim": to_neurosim(device)}
    return json.dumps(body, indent=2, sort_keys=True)


def write_json(path: str | os.PathLike, device) -> None:
    """Write :func:`to_json` to ``path`` atomically (missing folders are created).

    Parameters
    ----------
    path : str or os.PathLike
        Output file.
    device : PulseResponse or SynapseParameters
        The device (conductances in S).

    Raises
    ------
    IsADirectoryError, NotADirectoryError, PermissionError
        ``path`` is a directory, or its folder cannot be created or written; nothing is left.

    Examples
    --------
    >>> from qtransport.synapse.pulse import PulseResponse
    >>> device = PulseResponse(g_min_S=2e-6, g_max_S=5e-5, n_pulses=40, a_ltp=15.0, a_ltd=25.0)
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'device.json')
    >>> write_json(path, device)
    >>> os.path.getsize(path) > 0
    True
    """
    check_output_file(path, "path")
    text = to_json(device)
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
