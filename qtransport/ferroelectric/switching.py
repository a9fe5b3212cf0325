"""Polarization switching of a polycrystalline ferroelectric: nucleation-limited switching (NLS).

A film is N independently switching regions ("domains", one per grain). Region i has an
activation field E_a,i drawn from a log-normal distribution (median E_a, log-width σ); its
switching time follows Merz's law

    τ_i(E) = τ0 exp[(E_a,i / |E|)^α],

and, inside one switching episode (a run of pulses of one polarity), the probability that it has
switched is the Kolmogorov–Avrami–Ishibashi form 1 − exp[−u_i^β] of its *reduced age*

    u_i = Σ_pulses t_k / τ_i(E_k)

(Tagantsev et al., PRB 66, 214109 (2002): the film's response is the average over the
distribution of switching times). The age is the history carried between pulses: n pulses of
width t at one field give exactly u = n t/τ, the same as one pulse of n·t; a pulse of the other
polarity starts a new episode (u = 0) acting on the regions then pointing the old way; E = 0
leaves the state unchanged (τ = ∞).

Two evaluations of the same model:

* :meth:`NLSFilm.apply` with ``rng=None`` — the mean field: each region carries its switched
  *fraction* (the expectation over nucleation events);
* with a ``numpy.random.Generator`` — each region is up or down and switches when its age
  passes a random threshold u* = (−ln ξ)^{1/β} (ξ uniform; drawn anew each episode), so that
  P(u* ≤ u) = 1 − exp(−u^β) exactly: random nucleation = cycle-to-cycle variation.

Different draws of the activation fields are different devices (device-to-device variation).
Polarization: P = P_r (2 q̄ − 1), q̄ the mean up-fraction (equal-area regions).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import materials
from ..errors import check_array, check_int, check_real
from ..errors import MAX_FIELD_V_PER_M

__all__ = ["SwitchingParameters", "hzo_switching", "merz_time", "single_domain_fraction",
           "activation_fields", "NLSFilm", "pulse_train_fields", "pe_loop",
           "implied_coercive_field", "merz_field"]


@dataclass(frozen=True)
class SwitchingParameters:
    """Switching parameters of a ferroelectric film (SI units, names carry the unit).

    Parameters
    ----------
    remanent_polarization_C_per_m2 : float
        P_r, C/m² (> 0).
    permittivity : float
        Relative background permittivity ε_FE of the film (linear dielectric response, > 0).
    tau0_s : float
        Merz attempt time τ0, s (> 0).
    alpha : float
        Merz exponent α, dimensionless (> 0).
    beta : float
        KAI exponent β of one region, dimensionless (> 0).
    activation_field_V_per_m : float
        Median activation field E_a, V/m (> 0).
    spread_ln : float
        Standard deviation of ln E_a (≥ 0; 0 = identical regions).
    sources : dict
        Parameter → citation.

    Raises
    ------
    ValueError
        If an argument is invalid: `spread_ln` must be >= 0; `remanent_polarization_C_per_m2`,
        `permittivity`, `tau0_s`, `alpha`, `beta` and `activation_field_V_per_m` must be > 0.
    TypeError
        If an argument has the wrong type: `spread_ln`, `remanent_polarization_C_per_m2`,
        `permittivity`, `tau0_s`, `alpha`, `beta` or `activation_field_V_per_m` are not real
        numbers.

    Examples
    --------
    >>> p = hzo_switching()
    >>> p.remanent_polarization_C_per_m2 > 0, p.tau0_s > 0
    (True, True)
    """

    remanent_polarization_C_per_m2: float
    permittivity: float
    tau0_s: float
    alpha: float
    beta: float
    activation_field_V_per_m: float
    spread_ln: float
    sources: dict

    def __post_init__(self):
        for name in ("remanent_polarization_C_per_m2", "permittivity", "tau0_s", "alpha", "beta",
                     "activation_field_V_per_m"):
            check_real(name, getattr(self, name), low=0.0, low_open=True)
        check_real("spread_ln", self.spread_ln, low=0.0)


def hzo_switching(**overrides) -> SwitchingParameters:
    """Hf0.5Zr0.5O2 switching parameters from ``materials.toml`` (overrides by field name).

    Parameters
    ----------
    **overrides
        Field values of :class:`SwitchingParameters` (recorded as ``"user override"``).

    Returns
    -------
    SwitchingParameters
        The parameters with their sources.

    Raises
    ------
    TypeError
        An unknown override name.

    Examples
    --------
    >>> p = hzo_switching()
    >>> p.remanent_polarization_C_per_m2, p.alpha
    (0.16, 2.0)
    """
    m = materials.get("HZO")
    keys = {"remanent_polarization_C_per_m2": "remanent_polarization_C_per_m2",
            "permittivity": "permittivity", "tau0_s": "merz_tau0_s", "alpha": "merz_alpha",
            "beta": "kai_exponent", "activation_field_V_per_m": "activation_field_V_per_m",
            "spread_ln": "activation_field_spread_ln"}
    unknown = sorted(set(overrides) - set(keys))
    if unknown:
        raise TypeError(f"hzo_switching got unknown parameter(s) {unknown}; allowed: "
                        f"{sorted(keys)}")
    values = {k: getattr(m, v) for k, v in keys.items()}
    sources = {k: m.quantity(v).source for k, v in keys.items()}
    for k, v in overrides.items():
        values[k] = v
        sources[k] = "user override"
    return SwitchingParameters(**values, sources=sources)


def merz_time(field_V_per_m, activation_field_V_per_m, tau0_s: float, alpha: float):
    """Merz switching time τ = τ0 exp[(E_a/|E|)^α] in s (``inf`` at E = 0).

    Parameters
    ----------
    field_V_per_m : float or array_like
        Applied field E (V/m); only |E| matters.
    activation_field_V_per_m : float or array_like
        Activation field(s) E_a (V/m, > 0); broadcast against ``field_V_per_m``.
    tau0_s : float
        Attempt time τ0, s (> 0).
    alpha : float
        Merz exponent α (> 0).

    Returns
    -------
    numpy.ndarray
        τ, s.

    Raises
    ------
    ValueError
        If an argument is invalid: `activation_field_V_per_m` must be an array of finite
        numbers > 0; `tau0_s` and `alpha` must be > 0; `field_V_per_m` must be an array of
        finite numbers >= -1e+11 and <= 1e+11.
    TypeError
        If an argument has the wrong type: `tau0_s` or `alpha` are not real numbers;
        `activation_field_V_per_m` or `field_V_per_m` are not arrays of real numbers.

    Examples
    --------
    >>> t = merz_time([1e8, 2e8], 1e9, 1e-13, 1.0)
    >>> bool(t[0] > t[1])
    True
    """
    E = np.abs(check_array("field_V_per_m", field_V_per_m, low=-MAX_FIELD_V_PER_M, high=MAX_FIELD_V_PER_M))
    Ea = check_array("activation_field_V_per_m", activation_field_V_per_m, low=0.0,
                     low_open=True)
    t0 = check_real("tau0_s", tau0_s, low=0.0, low_open=True)
    a = check_real("alpha", alpha, low=0.0, low_open=True)
    with np.errstate(divide="ignore", over="ignore"):
        return t0 * np.exp((Ea / E) ** a)


def single_domain_fraction(time_s, field_V_per_m: float, activation_field_V_per_m: float,
                           tau0_s: float, alpha: float, beta: float):
    """Switched fraction 1 − exp[−(t/τ)^β] of one region after a time t at a constant field.

    Parameters
    ----------
    time_s : array_like
        Times, s (≥ 0).
    field_V_per_m : float
        Applied field E, V/m.
    activation_field_V_per_m : float
        Activation field E_a of the region, V/m (> 0).
    tau0_s : float
        Merz attempt time τ0, s (> 0).
    alpha : float
        Merz exponent α (> 0).
    beta : float
        KAI exponent β (> 0).

    Returns
    -------
    numpy.ndarray
        Switched fraction, dimensionless in [0, 1].

    Raises
    ------
    ValueError
        If an argument is invalid: `time_s` must be an array of finite numbers >= 0; `beta`
        must be > 0.
    TypeError
        If an argument has the wrong type: `beta` is not a real number; `time_s` is not an
        array of real numbers.

    Examples
    --------
    >>> f = single_domain_fraction([0.0, 1e-3], 2e8, 1e9, 1e-13, 1.0, 2.0)
    >>> f.round(3).tolist()
    [0.0, 1.0]
    """
    t = check_array("time_s", time_s, low=0.0)
    tau = merz_time(field_V_per_m, activation_field_V_per_m, tau0_s, alpha)
    b = check_real("beta", beta, low=0.0, low_open=True)
    return -np.expm1(-(t / tau) ** b)


def activation_fields(params: SwitchingParameters, n_domains: int, n_devices: int = 1,
                      rng: np.random.Generator | None = None) -> np.ndarray:
    """Activation fields E_a (V/m), shape (n_devices, n_domains), log-normal around the median.

    With ``rng=None`` every device gets the deterministic quantile set
    E_a,i = E_a exp[σ Φ⁻¹((i + ½)/N)] (the nominal device); with a Generator each device is an
    independent draw (device-to-device variation).

    Parameters
    ----------
    params : SwitchingParameters
        Median E_a (V/m) and spread σ of ln E_a.
    n_domains : int
        Regions per device (≥ 1).
    n_devices : int, optional
        Devices (≥ 1).
    rng : numpy.random.Generator, optional
        Draws each device; ``None``: the quantile set.

    Returns
    -------
    numpy.ndarray
        E_a, V/m.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_domains` and `n_devices` must be >= 1.
    TypeError
        If an argument has the wrong type: `n_domains` or `n_devices` are not integers.

    Examples
    --------
    >>> p = hzo_switching(spread_ln=0.0)
    >>> activation_fields(p, 3).shape
    (1, 3)
    """
    n = check_int("n_domains", n_domains, low=1)
    nd = check_int("n_devices", n_devices, low=1)
    if rng is None:
        from scipy.special import ndtri
        z = np.broadcast_to(ndtri((np.arange(n) + 0.5) / n), (nd, n))
    else:
        z = rng.standard_normal((nd, n))
    return params.activation_field_V_per_m * np.exp(params.spread_ln * z)


class NLSFilm:
    """State of an ensemble of ferroelectric films under a pulse history (see module notes).

    Parameters
    ----------
    params : SwitchingParameters
        Material switching parameters.
    activation_fields_V_per_m : array_like, shape (n_devices, n_domains) or (n_domains,)
        E_a of every region (:func:`activation_fields`).
    up_fraction : float
        Initial up-fraction of every region (0 = saturated down, P = −P_r).
    rng : numpy.random.Generator, optional
        Given: stochastic regions (up/down, random nucleation thresholds); ``None``: mean field.

    Raises
    ------
    ValueError
        If an argument is invalid: `up_fraction` must be >= 0 and <= 1; up_fraction must be 0
        or 1 for stochastic regions; `activation_fields_V_per_m` must be an array of finite
        numbers > 0.
    TypeError
        If an argument has the wrong type: `up_fraction` is not a real number;
        `activation_fields_V_per_m` is not an array of real numbers; params must be
        SwitchingParameters; rng must be a numpy.random.Generator or None.

    Examples
    --------
    >>> import numpy as np
    >>> p = hzo_switching()
    >>> film = NLSFilm(p, activation_fields(p, 100, rng=np.random.default_rng(0)))
    >>> film.up_fraction().round(2).tolist()
    [0.0]
    """

    def __init__(self, params: SwitchingParameters, activation_fields_V_per_m,
                 up_fraction: float = 0.0, rng: np.random.Generator | None = None):
        if not isinstance(params, SwitchingParameters):
            raise TypeError(f"params must be SwitchingParameters, got {params!r}")
        if rng is not None and not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator or None, got {rng!r}")
        self.params = params
        self.Ea = np.atleast_2d(check_array("activation_fields_V_per_m",
                                            activation_fields_V_per_m, low=0.0, low_open=True))
        q0 = check_real("up_fraction", up_fraction, low=0.0, high=1.0)
        if rng is not None and q0 not in (0.0, 1.0):
            raise ValueError(f"up_fraction must be 0 or 1 for stochastic regions, got {q0}")
        self.rng = rng
        shape = self.Ea.shape
        self.up = np.full(shape, q0)            # up-fraction (mean field) or 0/1 (stochastic)
        self.start = self.up.copy()             # up-fraction at the start of the episode
        self.age = np.zeros(shape)              # reduced age u of the current episode
        self.direction = np.zeros(shape[0])     # +1 / −1 polarity of the episode, 0 = none yet
        self.threshold = np.full(shape, np.inf)

    @property
    def n_devices(self) -> int:
        """Number of devices (rows of the activation fields)."""
        return self.Ea.shape[0]

    @property
    def n_domains(self) -> int:
        """Number of switching regions per device."""
        return self.Ea.shape[1]

    def up_fraction(self) -> np.ndarray:
        """Mean up-fraction q̄ per device, shape (n_devices,).

        Returns
        -------
        numpy.ndarray
            q̄, dimensionless in [0, 1].

        Examples
        --------
        >>> import numpy as np
        >>> p = hzo_switching()
        >>> fields = activation_fields(p, 100, rng=np.random.default_rng(0))
        >>> film = NLSFilm(p, fields, up_fraction=1.0)
        >>> film.up_fraction().round(2).tolist()
        [1.0]
        """
        return self.up.mean(axis=1)

    def polarization(self) -> np.ndarray:
        """Switchable polarization P = P_r (2 q̄ − 1) per device, C/m².

        Returns
        -------
        numpy.ndarray
            P, C/m², shape (n_devices,).

        Examples
        --------
        >>> import numpy as np
        >>> p = hzo_switching()
        >>> film = NLSFilm(p, activation_fields(p, 100, rng=np.random.default_rng(0)))
        >>> bool(film.polarization() < 0)
        True
        """
        return self.params.remanent_polarization_C_per_m2 * (2 * self.up_fraction() - 1)

    def apply(self, field_V_per_m: float, width_s: float) -> np.ndarray:
        """Apply one rectangular pulse of field E and width t to every device; return P (C/m²).

        A pulse of the episode's polarity adds t/τ_i(E) to the age; the other polarity starts a
        new episode. E = 0 changes nothing.

        Parameters
        ----------
        field_V_per_m : float
            Pulse field E, V/m (sign = polarity).
        width_s : float
            Pulse width t, s (≥ 0).

        Returns
        -------
        numpy.ndarray
            P after the pulse, C/m², shape (n_devices,).

        Raises
        ------
        ValueError
            If an argument is invalid: `field_V_per_m` must be >= -1e+11 and <= 1e+11; `width_s`
            must be >= 0.
        TypeError
            If an argument has the wrong type: `field_V_per_m` or `width_s` are not real numbers.

        Examples
        --------
        >>> import numpy as np
        >>> p = hzo_switching()
        >>> film = NLSFilm(p, activation_fields(p, 100, rng=np.random.default_rng(0)))
        >>> _ = film.apply(5e8, 1e-6)      # one 1 µs pulse at 5 MV/cm
        >>> film.up_fraction().round(2).tolist()
        [1.0]
        """
        E = check_real("field_V_per_m", field_V_per_m, low=-MAX_FIELD_V_PER_M, high=MAX_FIELD_V_PER_M)
        t = check_real("width_s", width_s, low=0.0)
        if E == 0.0 or t == 0.0:
            return self.polarization()
        p = self.params
        sign = 1.0 if E > 0 else -1.0
        new = self.direction != sign
        if np.any(new):
            self.start[new] = self.up[new]
            self.age[new] = 0.0
            self.direction[new] = sign
            if self.rng is not None:
                self.threshold[new] = self.rng.weibull(p.beta, size=self.threshold[new].shape)
        # (E_a/|E|)^α as one power: E_a^α and |E|^α apart overflow for large α (inf/inf)
        self.age += (t / p.tau0_s) * np.exp(-(self.Ea / abs(E)) ** p.alpha)
        target = 1.0 if sign > 0 else 0.0
        if self.rng is None:
            survive = np.exp(-self.age ** p.beta)          # unswitched share of the episode
            self.up = target + (self.start - target) * survive
        else:
            self.up = np.where(self.age >= self.threshold, target, self.start)
        return self.polarization()


def pulse_train_fields(scheme: str, n_pulses: int, amplitude_V: float, step_V: float = 0.0):
    """Pulse amplitudes (V) of an identical (``step_V`` ignored) or incremental train.

    Incremental: |V_k| = amplitude_V + k·step_V, k = 0 … n_pulses − 1 (sign of amplitude_V).

    Parameters
    ----------
    scheme : {"identical", "incremental"}
        Train type.
    n_pulses : int
        Number of pulses (≥ 1).
    amplitude_V : float
        First (or every) amplitude, V.
    step_V : float, optional
        Increment per pulse of an incremental train, V (≥ 0).

    Returns
    -------
    numpy.ndarray
        Amplitudes, V.

    Raises
    ------
    ValueError
        An unknown ``scheme`` or a bad value.

    Examples
    --------
    >>> pulse_train_fields("incremental", 3, -1.0, 0.5).tolist()
    [-1.0, -1.5, -2.0]
    """
    n = check_int("n_pulses", n_pulses, low=1)
    a = check_real("amplitude_V", amplitude_V)
    if scheme == "identical":
        return np.full(n, a)
    if scheme == "incremental":
        s = check_real("step_V", step_V, low=0.0)
        return math.copysign(1.0, a) * (abs(a) + s * np.arange(n))
    raise ValueError(f"scheme must be one of ['identical', 'incremental'], got {scheme!r}")


def merz_field(params: SwitchingParameters, time_s: float, activation_field_V_per_m=None):
    """Field at which the Merz time equals ``time_s``: E = E_a/[ln(t/τ0)]^{1/α} (V/m).

    ``activation_field_V_per_m`` defaults to the median E_a; t must exceed τ0.

    Parameters
    ----------
    params : SwitchingParameters
        τ0 (s), α and the median E_a (V/m).
    time_s : float
        Switching time, s (> τ0).
    activation_field_V_per_m : float, optional
        E_a, V/m (> 0; default: the median).

    Returns
    -------
    float
        E, V/m.

    Raises
    ------
    ValueError
        If an argument is invalid: `time_s` must be > ``params.tau0_s``;
        `activation_field_V_per_m` must be > 0.
    TypeError
        If an argument has the wrong type: `time_s` or `activation_field_V_per_m` are not real
        numbers.

    Examples
    --------
    >>> f'{merz_field(hzo_switching(), 1e-6):.2e}'
    '1.13e+08'
    """
    t = check_real("time_s", time_s, low=params.tau0_s, low_open=True)
    Ea = params.activation_field_V_per_m if activation_field_V_per_m is None else check_real(
        "activation_field_V_per_m", activation_field_V_per_m, low=0.0, low_open=True)
    return Ea / math.log(t / params.tau0_s) ** (1.0 / params.alpha)


def implied_coercive_field(params: SwitchingParameters, sweep_rate_V_per_m_s: float) -> float:
    """Coercive field of a linear field ramp E = R t implied by the median activation field.

    The median region (E_a) is half switched, 1 − exp(−u^β) = ½, when its age under the ramp,
    u(E) = (1/(R τ0)) ∫_0^E exp[−(E_a/E')^α] dE', reaches (ln 2)^{1/β}; the integral is done by
    adaptive quadrature (relative accuracy 1e-12) and the root by Brent's method.

    Parameters
    ----------
    params : SwitchingParameters
        Film parameters.
    sweep_rate_V_per_m_s : float
        Ramp rate R (> 0), V/(m s).

    Returns
    -------
    float
        E_c in V/m.

    Raises
    ------
    ValueError
        If an argument is invalid: `sweep_rate_V_per_m_s` must be > 0.
    TypeError
        If an argument has the wrong type: `sweep_rate_V_per_m_s` is not a real number.

    Examples
    --------
    >>> f'{implied_coercive_field(hzo_switching(), 1e10):.2e}'
    '9.78e+07'
    """
    from scipy.integrate import quad
    from scipy.optimize import brentq
    rate = check_real("sweep_rate_V_per_m_s", sweep_rate_V_per_m_s, low=0.0, low_open=True)
    Ea, a = params.activation_field_V_per_m, params.alpha
    goal = math.log(2.0) ** (1.0 / params.beta)

    def excess(E: float) -> float:
        integral = quad(lambda x: math.exp(-(Ea / x) ** a), 0.0, E, epsabs=0.0, epsrel=1e-12,
                        limit=200)[0]
        return integral / (rate * params.tau0_s) - goal

    hi = Ea
    while excess(hi) < 0:                   # a ramp slower than τ0 per E_a always switches
        hi *= 2.0
    return float(brentq(excess, hi * 1e-6, hi, xtol=1e-12 * hi, rtol=1e-14))


def pe_loop(params: SwitchingParameters, activation_fields_V_per_m, max_field_V_per_m: float,
            n_steps: int = 200, dwell_s: float = 1e-4):
    """Quasi-static P–E loop of a stair-case triangular field sweep (mean field).

    The film starts saturated down; the field steps 0 → +E_max → −E_max → +E_max with
    ``n_steps`` steps per quarter period, each held for ``dwell_s``. The second (closed) cycle is
    returned.

    Parameters
    ----------
    params : SwitchingParameters
        Film parameters.
    activation_fields_V_per_m : array_like
        E_a of every region, V/m (:func:`activation_fields`).
    max_field_V_per_m : float
        Loop amplitude E_max, V/m (> 0).
    n_steps : int, optional
        Steps per quarter period (≥ 4).
    dwell_s : float, optional
        Hold time of each step, s (> 0).

    Returns
    -------
    dict
        ``field_V_per_m`` (n,), ``switched_polarization_C_per_m2`` (n, n_devices) and
        ``polarization_C_per_m2`` = switched + ε0 (ε_FE − 1) E (the measured P).

    Raises
    ------
    ValueError
        If an argument is invalid: `max_field_V_per_m` and `dwell_s` must be > 0; `n_steps`
        must be >= 4.
    TypeError
        If an argument has the wrong type: `max_field_V_per_m` or `dwell_s` are not real
        numbers; `n_steps` is not an integer.

    Examples
    --------
    >>> import numpy as np
    >>> p = hzo_switching()
    >>> loop = pe_loop(p, activation_fields(p, 50, rng=np.random.default_rng(0)), 3e8, n_steps=40)
    >>> sorted(loop)[:3]
    ['field_V_per_m', 'polarization_C_per_m2', 'switched_polarization_C_per_m2']
    """
    from ..constants import eps0
    emax = check_real("max_field_V_per_m", max_field_V_per_m, low=0.0, low_open=True)
    n = check_int("n_steps", n_steps, low=4)
    dwell = check_real("dwell_s", dwell_s, low=0.0, low_open=True)
    quarter = np.linspace(0.0, emax, n + 1)
    first = quarter
    cycle = np.concatenate([quarter[::-1][1:], -quarter[1:], -quarter[::-1][1:], quarter[1:]])
    film = NLSFilm(params, activation_fields_V_per_m, up_fraction=0.0)
    for E in first:
        film.apply(float(E), dwell)
    ps = np.array([film.apply(float(E), dwell) for E in cycle])
    return {"field_V_per_m": cycle, "switched_polarization_C_per_m2": ps,
            "polarization_C_per_m2": ps + eps0 * (params.permittivity - 1) * cycle[:, None]}
