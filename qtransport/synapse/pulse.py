"""NeuroSim's exponential pulse response and its fit.

A synaptic device driven by identical programming pulses moves along

    G_LTP(p) = B (1 − e^{−p/A}) + G_min,
    G_LTD(p) = −B (1 − e^{(p − P)/A}) + G_max,       B = (G_max − G_min) / (1 − e^{−P/A}),

where p = 0 … P is NeuroSim's pulse-number *state coordinate*: potentiation pulses raise p by one,
depression pulses lower it by one, so the depression curve starts at p = P (G_max) and the
conductance after q depression pulses from G_max is ``conductance_ltd(P − q)``
(:meth:`PulseResponse.conductance_after_ltd` does that conversion). ``A`` (in pulses) sets the
nonlinearity: small A = strongly saturating, ``A = inf`` = linear, A < 0 anti-saturating (steps
grow toward the bound). Each direction has its own A and its own pulse count P (NeuroSim's
maxNumLevelLTP/LTD). The exports to aihwkit and NeuroSim that reproduce these curves are in
:mod:`qtransport.synapse.export`.

Every evaluation uses the ``expm1`` form (1 − e^{−p/A}) / (1 − e^{−P/A}) = expm1(−p/A)/expm1(−P/A)
(reflected for A < 0), which has no overflow for any A and reduces to p/P for A = inf.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from ..errors import check_array, check_choice, check_int, check_real, check_work

__all__ = ["PulseResponse", "PulseFit", "fit_pulse_response", "shape", "inverse_shape",
           "pulse_arrays"]

log = logging.getLogger(__name__)

#: below this P/A the curve is linear to double precision (series used instead of expm1 ratio)
_LINEAR_X = 1e-7
#: default limit of :meth:`PulseResponse.levels` (P + 1 values)
MAX_LEVELS = 10**7
#: upper bound of P/A in fits (A/P = 1e-4: a step, far beyond any measured device)
_MAX_X = 1e4


def shape(t, x: float) -> np.ndarray:
    """Normalized potentiation curve f(t) = (1 − e^{−x t}) / (1 − e^{−x}), t = p/P, x = P/A.

    Parameters
    ----------
    t : array_like
        Pulse number in units of P (0 … 1).
    x : float
        P/A, any sign: x > 0 saturating (steps shrink with p), x < 0 anti-saturating (steps
        grow with p), 0 linear.

    Returns
    -------
    ndarray
        f(t), 0 at t = 0 and 1 at t = 1, without overflow for any x.

    Notes
    -----
    For |x| < 1e-7 the first-order series f = t + x t(1 − t)/2 is used (error O(x²) < 1e-14).
    For x < 0 the identity f(t, x) = 1 − f(1 − t, −x) (the anti-saturating curve is the point
    reflection of the saturating one) keeps every exponential ≤ 1.

    Examples
    --------
    >>> float(shape(0.5, 0.0))
    0.5
    """
    t = np.asarray(t, dtype=float)
    x = _check_x(x)
    if abs(x) < _LINEAR_X:
        return t + 0.5 * x * t * (1.0 - t)
    if x < 0:
        return 1.0 - np.expm1(x * (1.0 - t)) / math.expm1(x)
    return np.expm1(-x * t) / math.expm1(-x)


def _check_x(x) -> float:
    """x = P/A must be a finite number (fast path for plain floats: called in loops)."""
    if type(x) is float and -math.inf < x < math.inf:
        return x
    return check_real("x", x)


def _clip01(a: np.ndarray) -> np.ndarray:
    """``np.clip(a, 0, 1)`` without its Python wrapper (same values; used in hot loops)."""
    return np.minimum(np.maximum(a, 0.0), 1.0)


def inverse_shape(f, x: float) -> np.ndarray:
    """Inverse of :func:`shape`: t such that shape(t, x) = f (f clipped to [0, 1]).

    Parameters
    ----------
    f : array_like
        Normalized conductance, in [0, 1].
    x : float
        P/A (see :func:`shape`).

    Returns
    -------
    numpy.ndarray
        t = p/P, in [0, 1].

    Examples
    --------
    >>> [round(float(v), 6) for v in inverse_shape(shape([0.25, 0.5], 3.0), 3.0)]
    [0.25, 0.5]
    """
    f = _clip01(np.asarray(f, dtype=float))       # the network calls this at every update
    x = _check_x(x)
    if abs(x) < _LINEAR_X:
        return f - 0.5 * x * f * (1.0 - f)
    if x < 0:
        return 1.0 - inverse_shape(1.0 - f, -x)
    with np.errstate(divide="ignore"):
        t = -np.log1p(f * math.expm1(-x)) / x
    return _clip01(t)


def _x_of(a: float, n_pulses: int) -> float:
    return 0.0 if math.isinf(a) else n_pulses / a


#: smallest |A| accepted, pulses (a subnormal A overflowed P/A inside the curves)
MIN_ABS_A = 1e-30


@dataclass(frozen=True)
class PulseResponse:
    """Nonlinear, bounded pulse response of a synaptic device (NeuroSim form).

    Parameters
    ----------
    g_min_S, g_max_S : float
        Conductance bounds, S (0 ≤ g_min_S < g_max_S). For critical-current devices the same
        fields hold amperes; the extracted :class:`~qtransport.synapse.extract.SynapseParameters`
        carries the unit.
    n_pulses : int
        P_LTP, the number of potentiation pulses from G_min to G_max (≥ 2).
    a_ltp, a_ltd : float
        Nonlinearity A of potentiation and depression, in pulses: A > 0 saturating (the steps
        shrink as the bound of the pulse direction is approached — the usual device), A < 0
        anti-saturating (steps grow), ``±inf`` linear. A = 0 is refused.
    n_pulses_ltd : int, optional
        P_LTD, the number of depression pulses from G_max to G_min (≥ 2); default P_LTP.
        NeuroSim's ``maxNumLevelLTD`` (its Ag:a-Si device has 97 LTP and 100 LTD levels).

    Raises
    ------
    ValueError
        If an argument is invalid: `g_min_S` and `g_max_S` must be >= 0 and <= 1000; g_min_S must
        be < g_max_S; `n_pulses` and `n_pulses_ltd` must be >= 2; `a_ltp` and `a_ltd` must be
        finite or inf (linear), with |A| >= 1e-30 (A > 0 saturating, A < 0 anti-saturating).
    TypeError
        If an argument has the wrong type: `g_min_S`, `g_max_S`, `a_ltp` or `a_ltd` are not
        real numbers; `n_pulses` or `n_pulses_ltd` are not integers.

    Notes
    -----
    G_LTP(p) = B(1 − e^{−p/A}) + G_min and G_LTD(p) = −B(1 − e^{(p − P)/A}) + G_max with
    B = (G_max − G_min)/(1 − e^{−P/A}) (Chen et al., NeuroSim, IEEE TCAD 37, 3067 (2018)), each
    direction with its own A and P. NeuroSim writes the depression curve with the LTP formula
    and a signed A: NeuroSim's A_LTD = −a_ltd (see :mod:`qtransport.synapse.export`).

    Examples
    --------
    >>> s = PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=64, a_ltp=20.0, a_ltd=20.0)
    >>> float(s.conductance_ltp(64)) == 1e-4
    True
    """

    g_min_S: float
    g_max_S: float
    n_pulses: int
    a_ltp: float
    a_ltd: float
    n_pulses_ltd: int | None = None

    def __post_init__(self):
        g_min = check_real("g_min_S", self.g_min_S, low=0.0, high=1e3)
        g_max = check_real("g_max_S", self.g_max_S, low=0.0, high=1e3)
        if g_min >= g_max:
            raise ValueError(f"g_min_S must be < g_max_S, got g_min_S={g_min!r} >= "
                             f"g_max_S={g_max!r}")
        object.__setattr__(self, "g_min_S", g_min)
        object.__setattr__(self, "g_max_S", g_max)
        n_up = check_int("n_pulses", self.n_pulses, low=2)
        object.__setattr__(self, "n_pulses", n_up)
        n_dn = n_up if self.n_pulses_ltd is None else check_int("n_pulses_ltd",
                                                                self.n_pulses_ltd, low=2)
        object.__setattr__(self, "n_pulses_ltd", n_dn)
        for name in ("a_ltp", "a_ltd"):
            v = check_real(name, getattr(self, name), allow_inf=True)
            if abs(v) < MIN_ABS_A:             # (subnormal A overflowed P/A inside the curves)
                raise ValueError(f"{name} must have |A| >= {MIN_ABS_A:g} pulses (A > 0 "
                                 f"saturating, A < 0 anti-saturating, inf linear; any |A| "
                                 f"below ~0.01 is already a one-pulse step), got {v}")
            object.__setattr__(self, name, math.inf if math.isinf(v) else v)  # linear: no sign

    # -- curves ------------------------------------------------------------------------------
    @property
    def range_S(self) -> float:
        """G_max − G_min, S."""
        return self.g_max_S - self.g_min_S

    @property
    def n_ltp(self) -> int:
        """P_LTP (= ``n_pulses``)."""
        return self.n_pulses

    @property
    def n_ltd(self) -> int:
        """P_LTD (= ``n_pulses_ltd``)."""
        return self.n_pulses_ltd

    @property
    def x_ltp(self) -> float:
        """P_LTP/A_LTP (0 = linear, < 0 anti-saturating)."""
        return _x_of(self.a_ltp, self.n_pulses)

    @property
    def x_ltd(self) -> float:
        """P_LTD/A_LTD (0 = linear, < 0 anti-saturating)."""
        return _x_of(self.a_ltd, self.n_pulses_ltd)

    def conductance_ltp(self, pulse_numbers) -> np.ndarray:
        """Conductance after ``pulse_numbers`` potentiation pulses from G_min (0 … P_LTP), S.

        Parameters
        ----------
        pulse_numbers : array_like
            Pulse numbers p, 0 … P_LTP.

        Returns
        -------
        numpy.ndarray
            G, S.

        Raises
        ------
        ValueError
            If an argument is invalid: `pulse_numbers` must be an array of finite numbers >= 0 and
            <= `n_pulses`.
        TypeError
            If an argument has the wrong type: `pulse_numbers` is not an array of real numbers.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> [f'{x:.2e}' for x in r.conductance_ltp([0, 10])]
        ['1.00e-06', '1.00e-05']
        """
        p = check_array("pulse_numbers", pulse_numbers, low=0.0, high=float(self.n_pulses))
        t = p.reshape(np.shape(pulse_numbers)) / self.n_pulses
        return self.g_min_S + self.range_S * shape(t, self.x_ltp)

    def conductance_ltd(self, pulse_numbers) -> np.ndarray:
        """Depression curve at NeuroSim state coordinate p (G_min at p = 0, G_max at p = P_LTD), S.

        Parameters
        ----------
        pulse_numbers : array_like
            State coordinates p, 0 … P_LTD.

        Returns
        -------
        numpy.ndarray
            G, S.

        Raises
        ------
        ValueError
            If an argument is invalid: `pulse_numbers` must be an array of finite numbers >= 0 and
            <= `n_pulses_ltd`.
        TypeError
            If an argument has the wrong type: `pulse_numbers` is not an array of real numbers.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> [f'{x:.2e}' for x in r.conductance_ltd([0, 10])]
        ['1.00e-06', '1.00e-05']
        """
        p = check_array("pulse_numbers", pulse_numbers, low=0.0, high=float(self.n_pulses_ltd))
        q = 1.0 - p.reshape(np.shape(pulse_numbers)) / self.n_pulses_ltd
        return self.g_max_S - self.range_S * shape(q, self.x_ltd)

    def conductance_after_ltd(self, n_depression) -> np.ndarray:
        """Conductance after ``n_depression`` depression pulses starting from G_max, S.

        Parameters
        ----------
        n_depression : array_like
            Depression pulses, 0 … P_LTD.

        Returns
        -------
        numpy.ndarray
            G, S.

        Raises
        ------
        ValueError
            If an argument is invalid: `n_depression` must be an array of finite numbers >= 0 and
            <= `n_pulses_ltd`.
        TypeError
            If an argument has the wrong type: `n_depression` is not an array of real numbers.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> [f'{x:.2e}' for x in r.conductance_after_ltd([0, 10])]
        ['1.00e-05', '1.00e-06']
        """
        q = check_array("n_depression", n_depression, low=0.0, high=float(self.n_pulses_ltd))
        return self.conductance_ltd(self.n_pulses_ltd - q.reshape(np.shape(n_depression)))

    def levels(self, max_levels: int = MAX_LEVELS) -> np.ndarray:
        """The P_LTP + 1 conductances reached by potentiation from G_min, S.

        More than ``max_levels`` (default 10⁷, 80 MB) is refused before allocating: P = 10⁹ is
        almost certainly a typo (and the network model would hold every level per device).

        Parameters
        ----------
        max_levels : int, optional
            Most levels.

        Returns
        -------
        numpy.ndarray
            The levels, S.

        Raises
        ------
        WorkLimitError
            P_LTP + 1 > ``max_levels``.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> r.levels().size
        11
        """
        check_work("max_levels", self.n_pulses + 1.0, max_levels, unit="levels",
                   hint=f"n_pulses = {self.n_pulses}")
        return self.conductance_ltp(np.arange(self.n_pulses + 1))

    # -- pulse updates (used by the network model) -------------------------------------------
    def apply_pulses(self, g, n) -> np.ndarray:
        """Conductance after ``n`` pulses from state ``g`` (n > 0 potentiate, n < 0 depress).

        The current conductance is mapped to its state coordinate on the curve of the pulse
        direction, moved by |n| pulses and mapped back (NeuroSim's update rule); the result is
        clipped to [G_min, G_max]. Non-integer n is allowed (fractional pulse count).

        Parameters
        ----------
        g : array_like
            Conductances, S.
        n : array_like
            Pulse counts (> 0 potentiate, < 0 depress), broadcast to ``g``.

        Returns
        -------
        numpy.ndarray
            Conductances after the pulses, S.

        Raises
        ------
        ValueError
            NaN/inf in ``g`` or ``n``, or ``n`` not broadcastable to the shape of ``g``.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> [f'{x:.2e}' for x in r.apply_pulses([1e-6, 1e-5], [10, -10])]
        ['1.00e-05', '1.00e-06']
        """
        g, n = pulse_arrays(g, n)
        return self._apply_checked_pulses(g, n)

    def _apply_checked_pulses(self, g: np.ndarray, n: np.ndarray) -> np.ndarray:
        """:meth:`apply_pulses` for float arrays of one shape already known to be finite.

        The network model's training loop calls this once per minibatch with arrays it built
        itself, so the checks of :func:`pulse_arrays` are skipped; the arithmetic is the same
        (same results bit for bit).
        """
        lo, span = self.g_min_S, self.g_max_S - self.g_min_S
        clip01 = _clip01
        f = clip01((g - lo) / span)
        up, dn = n > 0, n < 0
        x = self.x_ltp
        t_up = inverse_shape(f[up], x) + n[up] / self.n_pulses
        f[up] = shape(clip01(t_up), x)
        x = self.x_ltd
        q_dn = inverse_shape(1.0 - f[dn], x) - n[dn] / self.n_pulses_ltd  # depr. coord.
        f[dn] = 1.0 - shape(clip01(q_dn), x)
        return lo + span * f

    # -- conversions ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain-Python parameters (``inf`` kept as float).

        Returns
        -------
        dict of str to object
            The six fields.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> sorted(r.to_dict())[:3]
        ['a_ltd', 'a_ltp', 'g_max_S']
        """
        return {"g_min_S": self.g_min_S, "g_max_S": self.g_max_S, "n_pulses": self.n_pulses,
                "a_ltp": self.a_ltp, "a_ltd": self.a_ltd, "n_pulses_ltd": self.n_pulses_ltd}

    def to_result(self):
        """The curves as a :class:`~qtransport.results.Result` (kind ``"synapse.pulse_response"``:
        ``pulse_number``, ``conductance_ltp_S``, ``conductance_ltd_S``,
        ``conductance_after_ltd_S``; parameters = :meth:`to_dict`). :func:`qtransport.results.save`
        accepts a PulseResponse directly; :meth:`from_result` reads it back.

        Returns
        -------
        Result
            Kind ``"synapse.pulse_response"``.

        Examples
        --------
        >>> device = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> r = device.to_result()
        >>> r.kind
        'synapse.pulse_response'
        """
        from ..results import Result
        levels = self.levels()              # refuses P + 1 > 10^7 before allocating
        p = np.arange(levels.size)
        return Result("synapse.pulse_response", self.to_dict(),
                      {"pulse_number": p, "conductance_ltp_S": levels,
                       "conductance_ltd_S": self.conductance_ltd(p),
                       "conductance_after_ltd_S": self.conductance_after_ltd(p)})

    @classmethod
    def from_result(cls, result) -> "PulseResponse":
        """The PulseResponse whose :meth:`to_result` is ``result`` (e.g. loaded from a file).

        Parameters
        ----------
        result : Result
            A ``"synapse.pulse_response"`` result.

        Returns
        -------
        PulseResponse
            The response.

        Raises
        ------
        ValueError
            A result of another kind.

        Examples
        --------
        >>> r = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=10, a_ltp=2.0, a_ltd=2.0)
        >>> PulseResponse.from_result(r.to_result()).n_pulses
        10
        """
        kind = getattr(result, "kind", None)
        if kind != "synapse.pulse_response":
            raise ValueError(f"result must be a 'synapse.pulse_response' result, got kind "
                             f"{kind!r}")
        p = result.params
        return cls(p["g_min_S"], p["g_max_S"], p["n_pulses"], float(p["a_ltp"]),
                   float(p["a_ltd"]))

    def plot(self, ax=None, **kw):
        """Potentiation and depression curves (matplotlib axes), see :meth:`to_result`.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw into (a new figure when None).
        **kw
            Passed to :meth:`qtransport.results.Result.plot`.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.
        """
        return self.to_result().plot(ax, **kw)

    def to_xarray(self):
        """The curves as an :class:`xarray.Dataset` over ``pulse_number``.

        Returns
        -------
        xarray.Dataset
            The curves.
        """
        return self.to_result().to_xarray()

    @classmethod
    def fit(cls, pulse_numbers, conductance_S, direction: str = "ltp",
            noise: str = "auto") -> "PulseResponse":
        """Fit the curve of one direction by robust least squares (see :func:`fit_pulse_response`).

        The fitted A is used for both ``a_ltp`` and ``a_ltd`` (the other direction is unknown
        from one curve); fit both curves and combine them with :meth:`from_fits` when both exist.

        Parameters
        ----------
        pulse_numbers : array_like
            Pulse numbers of the measured points.
        conductance_S : array_like
            Measured conductances, S.
        direction : {"ltp", "ltd"}, optional
            Which curve.
        noise : {"auto", "absolute", "relative"}, optional
            Noise model of the fit.

        Returns
        -------
        PulseResponse
            The fitted response.

        Examples
        --------
        >>> s = PulseResponse(1e-6, 1e-4, 50, 10.0, 10.0)
        >>> p = np.arange(51)
        >>> round(PulseResponse.fit(p, s.conductance_ltp(p)).a_ltp, 6)
        10.0
        """
        return fit_pulse_response(pulse_numbers, conductance_S, direction=direction,
                                  noise=noise).response

    @classmethod
    def from_fits(cls, ltp: "PulseFit", ltd: "PulseFit") -> "PulseResponse":
        """Combine an LTP and an LTD fit: mean bounds, each direction's own A and P.

        Parameters
        ----------
        ltp : PulseFit
            Fit of the potentiation curve.
        ltd : PulseFit
            Fit of the depression curve.

        Returns
        -------
        PulseResponse
            The combined response.

        Raises
        ------
        TypeError
            An argument that is not a PulseFit.
        ValueError
            A fit of the wrong direction.
        """
        for name, value, want in (("ltp", ltp, "ltp"), ("ltd", ltd, "ltd")):
            if not isinstance(value, PulseFit):
                raise TypeError(f"{name} must be a PulseFit (from fit_pulse_response), got "
                                f"{type(value).__name__}")
            if value.direction != want:
                raise ValueError(f"{name} must be a fit of direction {want!r}, got "
                                 f"{value.direction!r}")
        g_min = 0.5 * (ltp.response.g_min_S + ltd.response.g_min_S)
        g_max = 0.5 * (ltp.response.g_max_S + ltd.response.g_max_S)
        return cls(g_min, g_max, ltp.response.n_pulses, ltp.response.a_ltp, ltd.response.a_ltd,
                   n_pulses_ltd=ltd.response.n_pulses)


@dataclass(frozen=True)
class PulseFit:
    """Outcome of :func:`fit_pulse_response`: the response and the quality of the fit.

    Parameters
    ----------
    response : PulseResponse
        The fitted response.
    direction : str
        ``"ltp"`` or ``"ltd"``: the fitted curve.
    a_stderr : float
        Standard error of A from the Jacobian at the optimum, pulses (``inf`` for a linear fit,
        ``nan`` if singular).
    rms_rel : float
        Root-mean-square residual in units of G_max − G_min.
    n_points : int
        Points used by the fit.
    g_min_stderr, g_max_stderr : float
        Standard errors of G_min and G_max, S (``nan`` when the bounds were fixed).
    noise : str
        The noise model used: ``"absolute"`` (same σ for every point) or ``"relative"``
        (σ ∝ G).
    noise_sigma : float
        Robust estimate of that σ (S for absolute, fraction of G for relative).

    Examples
    --------
    A noise-free NeuroSim curve gives its A back:

    >>> import numpy as np
    >>> s = PulseResponse(g_min_S=1e-6, g_max_S=1e-4, n_pulses=64, a_ltp=12.0, a_ltd=20.0)
    >>> p = np.arange(65)
    >>> f = fit_pulse_response(p, s.conductance_ltp(p), direction="ltp")
    >>> f.direction, round(f.response.a_ltp, 6), f.n_points
    ('ltp', 12.0, 65)
    """

    response: PulseResponse
    direction: str
    a_stderr: float
    rms_rel: float
    n_points: int
    g_min_stderr: float = math.nan
    g_max_stderr: float = math.nan
    noise: str = "relative"
    noise_sigma: float = math.nan

    @property
    def a(self) -> float:
        """The fitted A of the fitted direction, pulses."""
        return self.response.a_ltp if self.direction == "ltp" else self.response.a_ltd

    def to_result(self):
        """The fitted curves as a ``"synapse.pulse_response"`` result, with the fit quality
        (``direction``, ``a_stderr``, ``rms_rel``, ``n_points``) in its attributes.

        Returns
        -------
        Result
            Kind ``"synapse.pulse_response"`` with the fit quality in ``attrs``.
        """
        r = self.response.to_result()
        r.attrs.update({"direction": self.direction, "a_stderr": float(self.a_stderr),
                        "rms_rel": float(self.rms_rel), "n_points": int(self.n_points)})
        return r

    def plot(self, ax=None, **kw):
        """The fitted curves (matplotlib axes).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw into (a new figure when None).
        **kw
            Passed to :meth:`qtransport.results.Result.plot`.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.
        """
        return self.to_result().plot(ax, **kw)

    def to_xarray(self):
        """The fitted curves as an :class:`xarray.Dataset` over ``pulse_number``.

        Returns
        -------
        xarray.Dataset
            The fitted curves.
        """
        return self.to_result().to_xarray()


def pulse_arrays(g, n) -> tuple[np.ndarray, np.ndarray]:
    """(g, n broadcast to g's shape) as float arrays after finiteness checks (apply_pulses).

    Parameters
    ----------
    g : array_like
        Conductances, S.
    n : array_like
        Pulse counts (> 0 potentiate, < 0 depress), broadcast to ``g``.

    Returns
    -------
    g : numpy.ndarray
        Conductances (float).
    n : numpy.ndarray
        Pulse counts broadcast to ``g``'s shape.

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Non-finite values, or ``n`` not broadcastable.

    Examples
    --------
    >>> g, n = pulse_arrays([1e-6, 2e-6], 3)
    >>> g.shape, n.tolist()
    ((2,), [3.0, 3.0])
    """
    try:
        g = np.asarray(g, dtype=float)
        n = np.asarray(n, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"g and n must be arrays of real numbers, got {g!r} and {n!r}") from None
    if not np.all(np.isfinite(g)):
        raise ValueError(f"g must contain only finite conductances, got {g[~np.isfinite(g)][0]}")
    if not np.all(np.isfinite(n)):
        raise ValueError(f"n must contain only finite pulse counts, got {n[~np.isfinite(n)][0]}")
    try:
        n = np.broadcast_to(n, g.shape)
    except ValueError:
        raise ValueError(f"n (shape {n.shape}) must broadcast to the shape of g {g.shape}") \
            from None
    return g, n


def _basis(t: np.ndarray, x: float, direction: str) -> np.ndarray:
    return shape(t, x) if direction == "ltp" else 1.0 - shape(1.0 - t, x)


def _linear_part(b: np.ndarray, g: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    """Weighted least squares of g ≈ g0 + d·b; returns (g0, d, weighted SSE)."""
    m = np.column_stack([np.ones_like(b), b]) * w[:, None]
    coef, *_ = np.linalg.lstsq(m, g * w, rcond=None)
    r = m @ coef - g * w
    return float(coef[0]), float(coef[1]), float(r @ r)


def _grid_start(t: np.ndarray, y: np.ndarray, w: np.ndarray, direction: str) -> float:
    """x = P/A on a log grid minimizing the weighted SSE of y ≈ c + d·basis (closed form)."""
    grid = _X_GRID
    w2 = w ** 2
    sw, sg, sgg = w2.sum(), w2 @ y, w2 @ y ** 2
    # the basis matrix in chunks of grid values, ~8 M numbers at a time: a long measured curve
    # (10⁶ points) must not need n_grid × n_points of memory
    chunk = max(1, 2**23 // max(t.size, 1))
    parts = []
    for i in range(0, grid.size, chunk):
        b = np.array([_basis(t, x, direction) for x in grid[i:i + chunk]])
        parts.append((b @ w2, (b ** 2) @ w2, b @ (w2 * y)))
    sb, sbb, sbg = (np.concatenate(col) for col in zip(*parts))
    det = sw * sbb - sb ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (sw * sbg - sb * sg) / det
        c = (sg - d * sb) / sw
        sse = sgg - c * sg - d * sbg
    sse = np.where(np.isfinite(sse), sse, np.inf)
    return float(grid[int(np.argmin(sse))])


#: relative-noise weights are 1/(|G| + floor·(G_max − G_min)): a conductance of 0 is not exact
_REL_FLOOR = 1e-3
#: start values of x = P/A: 0 (linear) and ±10^(-3 … 3) (saturating and anti-saturating)
_X_GRID = np.concatenate([[0.0], np.logspace(-3, 3, 121), -np.logspace(-3, 3, 121)])


def _validate(pulse_numbers, conductance_S, direction):
    check_choice("direction", direction, ("ltp", "ltd"))
    p = check_array("pulse_numbers", pulse_numbers, low=0.0, ndim=1, min_size=3)
    g = check_array("conductance_S", conductance_S, ndim=1, min_size=3)
    if np.any(g < 0):
        raise ValueError(
            f"conductance_S must be >= 0 (a conductance in S, or a critical current in A), got "
            f"{float(g[g < 0][0])!r} at index {int(np.flatnonzero(g < 0)[0])}: a negative curve is not "
            "a conductance — if these are log10(G) values pass 10**values, if they are "
            "currents of a negative bias pass their magnitude")
    if p.shape != g.shape:
        raise ValueError(f"pulse_numbers and conductance_S must have the same length, got "
                         f"{p.size} and {g.size}")
    n_distinct = np.unique(p).size
    if n_distinct < 3:
        raise ValueError(f"pulse_numbers must contain at least 3 distinct values to fit a curve "
                         f"(G_min, G_max and A), got {n_distinct}: {np.unique(p).tolist()[:5]}")
    n_pulses = int(round(p.max()))
    if n_pulses < 2:
        raise ValueError(f"pulse_numbers must reach at least 2 pulses (n_pulses >= 2), got "
                         f"max {p.max()}")
    return p, g, n_pulses


def fit_pulse_response(pulse_numbers, conductance_S, direction: str = "ltp",
                       bounds_S: tuple[float, float] | None = None,
                       noise: str = "auto") -> PulseFit:
    """Robust, efficient fit of G_min, G_max and A to one measured pulse curve.

    Parameters
    ----------
    pulse_numbers : array_like, shape (n,)
        Pulse numbers (≥ 0); P is taken as ``round(max(pulse_numbers))``. For ``"ltd"`` they
        are NeuroSim's state coordinate (P at the start of depression, see the module notes).
    conductance_S : array_like, shape (n,)
        Measured conductance (or critical current), same length.
    direction : {"ltp", "ltd"}
    bounds_S : (float, float), optional
        Fix (G_min, G_max) and fit only A — how a device whose two curves must share one range
        (the :class:`PulseResponse` model) is fitted; the rms residual then shows how well the
        shared range fits this curve.
    noise : {"auto", "absolute", "relative"}
        Noise model: the same σ for every point, σ ∝ G (read noise that scales with the
        conductance), or ``auto`` = whichever of the two has the larger likelihood of the
        residuals (each with its own robust σ).

    Returns
    -------
    PulseFit
        With standard errors of A, G_min and G_max.

    Raises
    ------
    ValueError
        Fewer than 3 points, n_pulses < 2, NaNs, unequal lengths, or a curve that does not move in
        the stated direction.

    Notes
    -----
    1. Global start: for a fixed x = P/A the model G = G_min + (G_max − G_min)·f(p; x) is linear
       in (G_min, G_max − G_min); a weighted linear solve on the grid x ∈ {0, ±10^(−3…3)} picks x.
    2. ``scipy.optimize.least_squares`` with a soft-L1 loss whose scale is the median absolute
       deviation of the start residuals (outliers cannot dominate).
    3. σ is re-estimated robustly (1.4826 × MAD of those residuals) and the fit refined with a
       Huber loss of scale 1.345 σ: the M-estimator that is 95 % as efficient as least squares
       on Gaussian noise while bounding the pull of each glitch.
    Standard errors: s²(JᵀJ)⁻¹ with the raw residual Jacobian J at the optimum and s² the mean
    squared residual of the points within 3σ (n/(n − 3) corrected). |x| < 1e-7 is reported as
    A = inf (linear); x < 0 is an anti-saturating curve (A < 0).

    Examples
    --------
    >>> import numpy as np
    >>> true = PulseResponse(g_min_S=1e-6, g_max_S=1e-5, n_pulses=20, a_ltp=3.0, a_ltd=3.0)
    >>> n = np.arange(21)
    >>> fit = fit_pulse_response(n, true.conductance_ltp(n))
    >>> round(fit.response.a_ltp, 2)
    3.0
    """
    p, g, n_pulses = _validate(pulse_numbers, conductance_S, direction)
    check_choice("noise", noise, ("auto", "absolute", "relative"))
    t = p / n_pulses
    span = float(np.ptp(g))
    if span <= 0:
        raise ValueError("conductance_S is constant: no pulse response to fit")
    weights = {"absolute": np.full(g.size, 1.0 / span),
               "relative": 1.0 / (np.abs(g) + _REL_FLOOR * span)}
    models = ["absolute", "relative"] if noise == "auto" else [noise]
    if bounds_S is not None:
        fits = [_fit_a_only(t, g, weights[m], n_pulses, direction, bounds_S, m) for m in models]
    else:
        fits = [_fit_three(t, g, weights[m], n_pulses, direction, span, m) for m in models]
    best = min(fits, key=lambda item: item[1])[0]
    log.debug("pulse fit %s: A=%.4g (±%.2g), noise %s, rms=%.3g of range", direction, best.a,
              best.a_stderr, best.noise, best.rms_rel)
    return best


def _nll(r: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """(robust σ of weighted residuals r, robust −log-likelihood of the unweighted data).

    The density of point i is that of a Huber-tailed error of scale σ/w_i, so
    −log L = Σ ρ_H(r_i/σ) + n log σ − Σ log w_i: a noise model whose residuals are not
    homogeneous pays in the ρ term, and a glitch costs only linearly.
    """
    sigma = _robust_scale(r)
    u = np.abs(r / sigma)
    rho = np.where(u <= 1.345, 0.5 * u ** 2, 1.345 * u - 0.5 * 1.345 ** 2)
    return sigma, float(np.sum(rho) + r.size * math.log(sigma) - np.sum(np.log(w)))


def _refine(resid, z, bounds, sigma0: float):
    """Soft-L1 pass at scale sigma0, then Huber at 1.345 × the re-estimated robust σ."""
    sol = least_squares(resid, z, bounds=bounds, loss="soft_l1", f_scale=sigma0, x_scale="jac")
    sigma = _robust_scale(sol.fun)
    sol = least_squares(resid, sol.x, bounds=bounds, loss="huber", f_scale=1.345 * sigma,
                        x_scale="jac")
    return sol


def _covariance(resid, z: np.ndarray) -> np.ndarray:
    """s²(JᵀJ)⁻¹ with a central-difference Jacobian of the raw residuals (nan if singular)."""
    r = resid(z)
    jac = np.empty((r.size, z.size))
    for i in range(z.size):
        h = 1e-6 * max(abs(z[i]), 1e-3)
        up, dn = z.copy(), z.copy()
        up[i] += h
        dn[i] -= h
        jac[:, i] = (resid(up) - resid(dn)) / (2 * h)
    sigma = _robust_scale(r)
    inl = np.abs(r - np.median(r)) < 3 * sigma
    dof = max(int(inl.sum()) - z.size, 1)
    s2 = float(np.sum(r[inl] ** 2)) / dof
    try:
        return np.linalg.inv(jac[inl].T @ jac[inl]) * s2
    except np.linalg.LinAlgError:
        return np.full((z.size, z.size), math.nan)


def _a_and_err(x: float, sx: float, n_pulses: int) -> tuple[float, float]:
    if abs(x) < _LINEAR_X:
        return math.inf, math.inf
    return n_pulses / x, n_pulses * sx / x ** 2


def _fit_three(t, g, w, n_pulses, direction, span, model):
    """Fit (x, G_min, G_max − G_min) with noise weights w; returns (PulseFit, −log L)."""
    x0 = _grid_start(t, (g - g.min()) / span, w * span, direction)
    g0, d0, _ = _linear_part(_basis(t, x0, direction), g, w)
    if d0 <= 0:
        raise ValueError(_not_rising_message(direction, d0))
    scale = np.array([1.0, span, span])

    def resid(z):
        x, a0, dd = z * scale
        return (a0 + dd * _basis(t, float(x), direction) - g) * w

    z0 = np.array([x0, g0 / span, d0 / span])
    bounds = ([-_MAX_X, -np.inf, 1e-12], [_MAX_X, np.inf, np.inf])
    sol = _refine(resid, z0, bounds, _robust_scale(resid(z0)))
    if model == "relative":
        # weights from the fitted curve, not from the noisy data (one reweighting step)
        x, a0, dd = sol.x * scale
        w = 1.0 / (np.abs(a0 + dd * _basis(t, float(x), direction)) + _REL_FLOOR * span)
        sol = _refine(resid, sol.x, bounds, _robust_scale(resid(sol.x)))
    x, g_min, delta = sol.x * scale
    cov = _covariance(resid, sol.x) * np.outer(scale, scale)
    sx = math.sqrt(max(cov[0, 0], 0.0))
    a, a_err = _a_and_err(float(x), sx, n_pulses)
    g_min_err = math.sqrt(max(cov[1, 1], 0.0))
    g_max_err = math.sqrt(max(cov[1, 1] + cov[2, 2] + 2 * cov[1, 2], 0.0))
    lo = max(float(g_min), 0.0)
    response = PulseResponse(lo, lo + float(delta), n_pulses, a, a)
    r = resid(sol.x)
    sigma, nll = _nll(r, w)
    rms = float(np.sqrt(np.mean((r / w) ** 2)) / delta)
    sigma_out = sigma / w[0] if model == "absolute" else sigma
    return PulseFit(response, direction, a_err, rms, int(t.size), g_min_err, g_max_err, model,
                    float(sigma_out)), nll


def _not_rising_message(direction: str, d0: float) -> str:
    """Why a curve cannot be fitted in ``direction``: both directions must rise with p."""
    text = (f"conductance_S does not rise with pulse_numbers as the {direction} fit requires "
            f"(fitted G_max - G_min = {d0:.3g}); ")
    if direction == "ltd":
        return text + ("for direction='ltd' pulse_numbers are NeuroSim's state coordinate "
                       "p = P - k (k = depression pulses applied from G_max, so G rises with p): "
                       "pass P - k, or check --direction")
    return text + "check the pulse numbering and --direction"


#: least robust σ of the weighted residuals (units of the range, or relative to G): below a
#: part per million of the range no measurement resolves noise, and a loss scale near 0 turns
#: soft-L1/Huber into L1, on which least_squares stalls — noise-free curves that saturate
#: within a few pulses (A = 0.7–6 with P = 80–300) came out 1–5 % off in A at a floor of 1e-12
_SCALE_FLOOR = 1e-6


def _robust_scale(r: np.ndarray) -> float:
    """1.4826 × median absolute deviation (the soft-L1 loss scale), floored at _SCALE_FLOOR."""
    return max(1.4826 * float(np.median(np.abs(r - np.median(r)))), _SCALE_FLOOR)


def _fit_a_only(t, g, w, n_pulses, direction, bounds_S, model):
    """Fit x = P/A with (G_min, G_max) fixed: grid start, soft-L1 then Huber least squares."""
    if not isinstance(bounds_S, (tuple, list, np.ndarray)) or len(bounds_S) != 2:
        raise TypeError(f"bounds_S must be a pair (G_min, G_max) in S, got {bounds_S!r}")
    lo = check_real("bounds_S[0]", bounds_S[0], low=0.0)
    hi = check_real("bounds_S[1]", bounds_S[1])
    if lo >= hi:
        raise ValueError(f"bounds_S must satisfy G_min < G_max, got {lo!r} >= {hi!r}")

    def resid(z):
        return (lo + (hi - lo) * _basis(t, float(z[0]), direction) - g) * w

    x0 = float(_X_GRID[int(np.argmin([np.sum(resid([x]) ** 2) for x in _X_GRID]))])
    sol = _refine(resid, np.array([x0]), ([-_MAX_X], [_MAX_X]), _robust_scale(resid([x0])))
    x = float(sol.x[0])
    cov = _covariance(resid, sol.x)
    a, a_err = _a_and_err(x, math.sqrt(max(cov[0, 0], 0.0)), n_pulses)
    r = resid(sol.x)
    sigma, nll = _nll(r, w)
    rms = float(np.sqrt(np.mean((r / w) ** 2)) / (hi - lo))
    sigma_out = sigma / w[0] if model == "absolute" else sigma
    return PulseFit(PulseResponse(lo, hi, n_pulses, a, a), direction, a_err, rms, int(t.size),
                    math.nan, math.nan, model, float(sigma_out)), nll
