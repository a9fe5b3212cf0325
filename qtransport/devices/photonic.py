"""Device family ``photonic_2deg``: the photonic synapse on a quasi-2DEG superlattice nanowire, a
rate-equation model of persistent photoconductivity (PPC), after the InGaO3(ZnO)3 device of Meng et
al., Sci. Adv. 6, eabc6389 (2020). The dark electron density comes from the Schrödinger–Poisson
solver (:mod:`qtransport.tight_binding.schrodinger_poisson`, :func:`dark_density_per_well`); this
module owns programming, energy per pulse, retention and device-to-device variation
(:class:`PhotonicQuasi2DEG`).

Per well and unit area (m⁻²) the state is the electron sheet density n, the free photo-holes p and
the desorbed surface-oxygen sites h (each one a hole trapped by O2⁻ + h⁺ → O2↑):

    dp/dt = G − p/τ_r − (p/τ_t)(1 − h/N_s)
    dh/dt = (p/τ_t)(1 − h/N_s) − h/τ_a
    dn/dt = G − p/τ_r − h/τ_a

G: pair generation by light (absorbed photon flux shared by the wells); τ_r: band-to-band
recombination; τ_t: hole capture by adsorbed O2⁻ (only free sites, N_s of them); τ_a: oxygen
re-adsorption in the dark (captures one well electron), shortened to τ_erase during electrical
erase pulses (depression). n − p − h = n_dark is conserved (every process moves charge in pairs), so
after light the excess n = p + h decays fast (p: short-term plasticity) and slowly (h: long-term
plasticity). Conductance G = e μ n N_wells W/L.

Closed forms used as checks: dark state p = h = 0, n = n_dark; under constant G the steady state
solves τ_r(G − h/τ_a)(1 − h/N_s) = h τ_t/τ_a (a quadratic), p = τ_r(G − h/τ_a).

All parameters are **weak** defaults (documented in docs/superlattice.md); only the 0.7 fJ event
energy of Meng et al. is a literature number to compare with, not a fit target.

Examples
--------
>>> syn = PhotonicSynapse()
>>> r = syn.paired_pulse([0.1, 1.0, 10.0])
>>> bool(np.all(np.diff(r.ppf) < 0) and np.all(r.ppf > 1))
True
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
from scipy.integrate import solve_ivp

from ..constants import e, eV, h as planck, nm
from ..errors import check_array, check_bool, check_int, check_real
from ..errors import MAX_ENERGY_EV
from ..errors import check_work
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .base import DeviceFamily, register_family
from .record import device_response

__all__ = ["PhotonicSynapse", "Segment", "simulate", "ensemble", "pulse_schedule",
           "potentiation_depression", "paired_pulse", "retention_time", "dark_density_per_well",
           "PhotonicQuasi2DEG", "STATE_NAMES", "LITERATURE_EVENT_ENERGY_J"]

log = logging.getLogger(__name__)

STATE_NAMES = ("electrons", "holes", "desorbed")
#: Meng et al., Sci. Adv. 2020 (materials.toml, InGaO3(ZnO)3 synaptic_event_energy_J) [lit]
LITERATURE_EVENT_ENERGY_J = 0.7e-15
_RTOL, _ATOL_REL = 1e-10, 1e-12


@dataclass(frozen=True)
class PhotonicSynapse:
    """Parameters of the PPC rate-equation synapse (all **weak** defaults; SI or unit in name).

    Parameters
    ----------
    dark_density_per_m2 : float
        Electron sheet density per well in the dark (from Schrödinger–Poisson), m⁻².
    site_density_per_m2 : float
        Surface-oxygen sites available per well area, N_s, m⁻².
    recombination_time_s, trapping_time_s, readsorption_time_s, erase_time_s : float
        τ_r, τ_t, τ_a and τ_a during an erase pulse, s.
    intensity_W_per_m2, wavelength_nm, absorption : float
        Light pulse intensity (W/m²), wavelength (nm) and absorbed fraction (in (0, 1]).
    mobility_m2_per_Vs : float
        Electron mobility, m²/(V s).
    n_wells : int
        Wells stacked in the wire (diameter / period).
    width_nm, length_nm : float
        Conducting width and channel length, nm.
    read_voltage_V : float
        Drain voltage while reading/programming, V (sets the electrical event energy).
    pulse_s, interval_s : float
        Programming pulse width and spacing (end to start), s.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_wells` must be >= 1; `absorption` must be > 0 and <= 1;
        every other field must be > 0.
    TypeError
        If an argument has the wrong type: `n_wells` is not an integer; another field is not a
        real number.

    Examples
    --------
    >>> dev = PhotonicSynapse()
    >>> f'{dev.dark_density_per_m2:.1e}'
    '1.0e+15'
    """

    dark_density_per_m2: float = 1.0e15
    site_density_per_m2: float = 5.0e15
    recombination_time_s: float = 0.5
    trapping_time_s: float = 0.2
    readsorption_time_s: float = 300.0
    erase_time_s: float = 0.5
    intensity_W_per_m2: float = 2.0
    wavelength_nm: float = 365.0
    absorption: float = 0.1
    mobility_m2_per_Vs: float = 3.0e-3
    n_wells: int = 72
    width_nm: float = 100.0
    length_nm: float = 2000.0
    read_voltage_V: float = 1.0e-4
    pulse_s: float = 0.05
    interval_s: float = 0.2

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "n_wells":
                object.__setattr__(self, f.name, check_int(f.name, value, low=1))
            elif f.name == "absorption":
                check_real(f.name, value, low=0.0, high=1.0, low_open=True)
            else:
                check_real(f.name, value, low=0.0, low_open=True)

    @property
    def generation_per_m2_s(self) -> float:
        """G = absorption · I/(hc/λ) / n_wells: pairs per well area per second."""
        photon_J = planck * 299792458.0 / (self.wavelength_nm * nm)
        return self.absorption * self.intensity_W_per_m2 / photon_J / self.n_wells

    def conductance_S(self, density_per_m2):
        """G = e μ n N_wells W/L, S.

        Parameters
        ----------
        density_per_m2 : float or array_like
            Electron sheet density per well n, m⁻².

        Returns
        -------
        numpy.ndarray
            G, S.

        Examples
        --------
        >>> dev = PhotonicSynapse()
        >>> bool(dev.conductance_S(2e15) > dev.conductance_S(1e15))
        True
        """
        return (e * self.mobility_m2_per_Vs * np.asarray(density_per_m2) * self.n_wells
                * self.width_nm / self.length_nm)

    def steady_state(self, generation_per_m2_s: float | None = None) -> np.ndarray:
        """Analytic (n, p, h) under constant illumination (``None``: the pulse generation rate).

        Parameters
        ----------
        generation_per_m2_s : float, optional
            Pair generation rate per well area, m⁻² s⁻¹ (≥ 0; default: the pulse's).

        Returns
        -------
        numpy.ndarray
            (n, p, h), m⁻².

        Raises
        ------
        ValueError
            If an argument is invalid: `generation_per_m2_s` must be >= 0.
        TypeError
            If an argument has the wrong type: `generation_per_m2_s` is not a real number.

        Examples
        --------
        >>> PhotonicSynapse().steady_state().shape
        (3,)
        """
        G = self.generation_per_m2_s if generation_per_m2_s is None else \
            check_real("generation_per_m2_s", generation_per_m2_s, low=0.0)
        tr, tt, ta, ns = (self.recombination_time_s, self.trapping_time_s,
                          self.readsorption_time_s, self.site_density_per_m2)
        a = tr / (ta * ns)
        b = tr * G / ns + tr / ta + tt / ta
        c = tr * G
        h = 2 * c / (b + np.sqrt(b * b - 4 * a * c))        # smaller root, in [0, min(N_s, G τ_a)]
        p = tr * (G - h / ta)
        return np.array([self.dark_density_per_m2 + p + h, p, h])

    def dark_state(self) -> np.ndarray:
        """(n, p, h) = (n_dark, 0, 0).

        Returns
        -------
        numpy.ndarray
            (n, p, h), m⁻².

        Examples
        --------
        >>> PhotonicSynapse().dark_state().shape
        (3,)
        """
        return np.array([self.dark_density_per_m2, 0.0, 0.0])

    def paired_pulse(self, intervals_s) -> Result:
        """Paired-pulse facilitation A2/A1 vs interval (peak excess conductance after each pulse).

        Parameters
        ----------
        intervals_s : array_like
            Intervals between the two pulses, s (> 0).

        Returns
        -------
        Result
            ``interval_s`` (s) and ``ppf`` (dimensionless).
        """
        return paired_pulse(self, intervals_s)


@dataclass(frozen=True)
class Segment:
    """A stretch of constant conditions: ``duration_s``, light on/off, erase pulse on/off.

    Parameters
    ----------
    duration_s : float
        Duration, s (> 0).
    light : bool, optional
        Light on.
    erase : bool, optional
        Erase pulse on (fast readsorption τ_a = ``erase_time_s``).

    Raises
    ------
    ValueError
        If an argument is invalid: `duration_s` must be > 0.
    TypeError
        If an argument has the wrong type: `duration_s` is not a real number; `light` or
        `erase` are not bools.

    Examples
    --------
    >>> s = Segment(1e-3, light=True)
    >>> s.duration_s, s.light
    (0.001, True)
    """

    duration_s: float
    light: bool = False
    erase: bool = False

    def __post_init__(self):
        check_real("duration_s", self.duration_s, low=0.0, low_open=True)
        check_bool("light", self.light)
        check_bool("erase", self.erase)


#: default most pulses of a schedule (``max_pulses=``) and most segments × samples of one
#: simulation (``max_samples=``): each segment is one stiff ODE solve of ~1 ms
MAX_PULSES = 100_000
MAX_SAMPLES = 10**7


def _devices(devices) -> list:
    devs = [devices] if isinstance(devices, PhotonicSynapse) else (
        list(devices) if isinstance(devices, (list, tuple)) else None)
    if not devs or not all(isinstance(d, PhotonicSynapse) for d in devs):
        raise TypeError(f"devices must be a PhotonicSynapse or a non-empty sequence of them, got "
                        f"{devices!r}")
    return devs


def _stack(devices):
    keys = ("recombination_time_s", "trapping_time_s", "readsorption_time_s", "erase_time_s",
            "site_density_per_m2")
    out = {k: np.array([getattr(d, k) for d in devices]) for k in keys}
    out["G"] = np.array([d.generation_per_m2_s for d in devices])
    return out


def _rhs(t, y, G, tr, tt, ta, ns):
    n, p, h = y.reshape(3, -1)
    trap = p / tt * (1 - h / ns)
    return np.concatenate([G - p / tr - h / ta, G - p / tr - trap, trap - h / ta])


def simulate(devices, segments, initial_state=None, samples_per_segment: int = 2, *,
             max_samples: int = MAX_SAMPLES) -> Result:
    """Integrate the rate equations for one or several devices through a list of segments.

    Parameters
    ----------
    devices : PhotonicSynapse or sequence of them
        Devices integrated together (same schedule).
    segments : sequence of Segment
        The light/erase schedule.
    initial_state : ndarray, shape (3, n_devices), optional
        (n, p, h) at t = 0; default the dark state.
    samples_per_segment : int
        Output samples per segment (≥ 2; the segment ends are always included).
    max_samples : int
        Refuse (``WorkLimitError``) more than this many segments × samples × devices.

    Returns
    -------
    Result
        ``time_s`` (n_t,), ``state_per_m2`` (n_t, 3, n_devices), ``conductance_S``
        (n_t, n_devices), ``segment_end_index`` (one per segment).

    Raises
    ------
    ValueError
        If an argument is invalid: segments must hold at least one Segment;
        `samples_per_segment` must be >= 2; the estimated size must not exceed `max_samples`
        (:class:`~qtransport.errors.WorkLimitError`, a ValueError); `max_samples` must be >= 1;
        `initial_state` must be an array of finite numbers >= 0; `initial_state` must have shape
        (3, n_devices): (n, p, h) for each device.
    TypeError
        If an argument has the wrong type: `samples_per_segment` or `max_samples` are not
        integers; `initial_state` is not an array of real numbers; segments must be a non-empty
        sequence of Segment.

    Notes
    -----
    ``scipy.integrate.solve_ivp`` (LSODA, rtol 1e-10) per segment, all devices in one system.
    """
    devs = _devices(devices)
    segments = list(segments) if isinstance(segments, (list, tuple)) else segments
    if not isinstance(segments, list) or not all(isinstance(seg, Segment) for seg in segments):
        raise TypeError(f"segments must be a non-empty sequence of Segment, got {segments!r}")
    if not segments:
        raise ValueError("segments must hold at least one Segment, got an empty sequence")
    k = check_int("samples_per_segment", samples_per_segment, low=2)
    check_work("max_samples", len(segments) * k * len(devs),
               check_int("max_samples", max_samples, low=1), unit="samples",
               hint=f"{len(segments)} segments × samples_per_segment = {k} × {len(devs)} devices")
    par = _stack(devs)
    if initial_state is None:
        y = np.array([d.dark_state() for d in devs]).T
    else:
        y = check_array("initial_state", initial_state, low=0.0)
        if y.size != 3 * len(devs):
            raise ValueError(f"initial_state must hold (n, p, h) for each of the {len(devs)} "
                             f"device(s): shape (3, {len(devs)}), got shape {np.shape(initial_state)}")
        y = y.reshape(3, len(devs))
    scale = max(float(np.max(np.abs(y))), float(par["site_density_per_m2"].max()))
    times, states, ends, t0 = [0.0], [y.copy()], [], 0.0
    for seg in segments:
        G = par["G"] if seg.light else np.zeros_like(par["G"])
        ta = par["erase_time_s"] if seg.erase else par["readsorption_time_s"]
        t_eval = np.linspace(0.0, seg.duration_s, k)[1:]
        sol = solve_ivp(_rhs, (0.0, seg.duration_s), y.ravel(), method="LSODA", t_eval=t_eval,
                        args=(G, par["recombination_time_s"], par["trapping_time_s"], ta,
                              par["site_density_per_m2"]), rtol=_RTOL, atol=_ATOL_REL * scale)
        if not sol.success:
            raise RuntimeError(f"rate equations failed: {sol.message}")
        y = sol.y[:, -1].reshape(3, -1)
        times += list(t0 + sol.t)
        states += [s.reshape(3, -1) for s in sol.y.T]
        t0 += seg.duration_s
        ends.append(len(times) - 1)
    state = np.array(states)
    cond = np.stack([d.conductance_S(state[:, 0, i]) for i, d in enumerate(devs)], axis=-1)
    return Result("photonic.simulate", {"n_devices": len(devs)},
                  {"time_s": np.array(times), "state_per_m2": state, "conductance_S": cond,
                   "segment_end_index": np.array(ends)})


def pulse_schedule(n_pulses: int, pulse_s: float, interval_s: float, erase: bool = False, *,
                   max_pulses: int = MAX_PULSES):
    """Segments of ``n_pulses`` light (or erase) pulses, each followed by a dark interval.

    More than ``max_pulses`` pulses are refused up front (``WorkLimitError``).

    Parameters
    ----------
    n_pulses : int
        Pulses (≥ 1).
    pulse_s : float
        Pulse width, s (> 0).
    interval_s : float
        Dark interval after each pulse, s (> 0).
    erase : bool, optional
        Erase pulses instead of light pulses.
    max_pulses : int, optional
        Most pulses.

    Returns
    -------
    list of Segment
        Pulse, interval, pulse, interval, …

    Raises
    ------
    ValueError
        If an argument is invalid: `n_pulses` and `max_pulses` must be >= 1; the estimated size
        must not exceed `max_pulses` (:class:`~qtransport.errors.WorkLimitError`, a
        ValueError); `pulse_s` and `interval_s` must be > 0 and <= 1e+06.
    TypeError
        If an argument has the wrong type: `pulse_s` or `interval_s` are not real numbers;
        `n_pulses` or `max_pulses` are not integers; `erase` is not a bool.

    Examples
    --------
    >>> segs = pulse_schedule(2, 1e-3, 1e-3)
    >>> len(segs), segs[0].light
    (4, True)
    """
    n = check_int("n_pulses", n_pulses, low=1)
    check_work("max_pulses", n, check_int("max_pulses", max_pulses, low=1), unit="pulses",
               hint=f"n_pulses = {n}")
    check_bool("erase", erase)
    # at most ~11.6 days per pulse or gap: the rate equations' ~0.1-1 s time constants are
    # integrated to the end of each segment
    tp = check_real("pulse_s", pulse_s, low=0.0, low_open=True, high=1e6)
    ti = check_real("interval_s", interval_s, low=0.0, low_open=True, high=1e6)
    pulse = Segment(tp, light=not erase, erase=erase)
    return [s for _ in range(n) for s in (pulse, Segment(ti))]


def paired_pulse(device: PhotonicSynapse, intervals_s) -> Result:
    """PPF = A2/A1 for each interval: A_i the excess conductance at the end of pulse i.

    Parameters
    ----------
    device : PhotonicSynapse
        The device.
    intervals_s : array_like
        Intervals between the two pulses, s (> 0).

    Returns
    -------
    Result
        Kind ``"photonic.paired_pulse"``: ``interval_s`` (s) and ``ppf`` (dimensionless).

    Raises
    ------
    ValueError
        If an argument is invalid: `intervals_s` must be an array of finite numbers > 0.
    TypeError
        If an argument has the wrong type: `intervals_s` is not an array of real numbers.
    """
    _devices(device)
    intervals = check_array("intervals_s", intervals_s, low=0.0, low_open=True)
    g_dark = device.conductance_S(device.dark_density_per_m2)
    out = []
    for dt in intervals:
        segs = [Segment(device.pulse_s, light=True), Segment(float(dt)),
                Segment(device.pulse_s, light=True)]
        r = simulate(device, segs)
        g = r.conductance_S[r.segment_end_index, 0] - g_dark
        out.append(g[2] / g[0])
    return Result("photonic.paired_pulse", {"intervals_s": intervals},
                  {"interval_s": intervals, "ppf": np.array(out)})


def potentiation_depression(devices, n_pulses: int) -> dict:
    """Conductance after 0…n_pulses light pulses (LTP), then 0…n_pulses erase pulses (LTD).

    Returns ``{"ltp_S": (n_dev, n+1), "ltd_S": (n_dev, n+1), "peak_current_A": (n_dev,),
    "event_energy_J": (n_dev,)}``; the electrical event energy is V_read·I·t_pulse averaged over
    the potentiation pulses (read current through the channel while the pulse programs it).

    Parameters
    ----------
    devices : PhotonicSynapse or sequence of PhotonicSynapse
        Devices (the first one's pulse timing is used for all).
    n_pulses : int
        Pulses per branch (≥ 1).

    Returns
    -------
    dict of str to numpy.ndarray
        ``ltp_S``, ``ltd_S`` (S), ``peak_current_A`` (A), ``event_energy_J`` (J).

    Raises
    ------
    ValueError
        If an argument is invalid: `n_pulses` must be >= 1.
    TypeError
        If an argument has the wrong type: `n_pulses` is not an integer.
    """
    devs = _devices(devices)
    check_int("n_pulses", n_pulses, low=1)
    d0 = devs[0]
    ltp = simulate(devs, pulse_schedule(n_pulses, d0.pulse_s, d0.interval_s))
    y_high = ltp.state_per_m2[-1]
    ltd = simulate(devs, pulse_schedule(n_pulses, d0.pulse_s, d0.interval_s, erase=True),
                   initial_state=y_high)
    pick = lambda r: np.vstack([r.conductance_S[:1], r.conductance_S[r.segment_end_index[1::2]]])
    g_ltp, g_ltd = pick(ltp).T, pick(ltd).T
    g_pulse = ltp.conductance_S[ltp.segment_end_index[0::2]]        # at the end of each pulse
    v = np.array([d.read_voltage_V for d in devs])
    energy = v**2 * np.mean(g_pulse, axis=0) * np.array([d.pulse_s for d in devs])
    return {"ltp_S": g_ltp, "ltd_S": g_ltd, "peak_current_A": v * g_pulse.max(axis=0),
            "event_energy_J": energy}


def ensemble(n_devices: int, spread: float = 0.1, seed: int = 0,
             base: PhotonicSynapse | None = None) -> list[PhotonicSynapse]:
    """Device-to-device variation: log-normal spread of μ, τ_t, τ_a and N_s (σ_ln = ``spread``).

    Parameters
    ----------
    n_devices : int
        Devices (≥ 1).
    spread : float, optional
        σ of ln of the varied parameters (≥ 0).
    seed : int, optional
        Seed (≥ 0).
    base : PhotonicSynapse, optional
        Nominal device (default :class:`PhotonicSynapse`).

    Returns
    -------
    list of PhotonicSynapse
        The devices.

    Raises
    ------
    TypeError
        ``base`` is not a PhotonicSynapse.

    Examples
    --------
    >>> devs = ensemble(3, seed=1)
    >>> len(devs)
    3
    """
    n = check_int("n_devices", n_devices, low=1)
    s = check_real("spread", spread, low=0.0)
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    if base is not None and not isinstance(base, PhotonicSynapse):
        raise TypeError(f"base must be a PhotonicSynapse or None, got {base!r}")
    base = base or PhotonicSynapse()
    keys = ("mobility_m2_per_Vs", "trapping_time_s", "readsorption_time_s",
            "site_density_per_m2")
    factors = np.exp(s * rng.standard_normal((n, len(keys))))
    return [replace(base, **{k: getattr(base, k) * f for k, f in zip(keys, row)})
            for row in factors]


@register("photonic.pulse_train", params=[
    Param("n_pulses", int, default=20, low=1, high=10**4,
          doc="light pulses (then as many erase pulses)"),
    Param("pulse_s", float, default=0.05, low=1e-9, high=1e6,
          doc="pulse width, s"),
    Param("interval_s", float, default=0.2, low=1e-9, high=1e6,
          doc="pulse spacing, s"),
    Param("intensity_W_per_m2", float, default=2.0, low=0.0, low_open=True, high=1e12,
          doc="light intensity, W/m²"),
    Param("dark_density_per_m2", float, default=1.0e15, low=0.0, low_open=True, high=1e20,
          doc="dark sheet density per well, m⁻²")],
    summary="Photonic quasi-2DEG synapse: conductance vs pulse number (LTP, then erase LTD)")
def pulse_train_model(n_pulses: int = 20, pulse_s: float = 0.05, interval_s: float = 0.2,
                      intensity_W_per_m2: float = 2.0,
                      dark_density_per_m2: float = 1.0e15) -> Result:
    """Registered model: ``pulse_number``, ``conductance_ltp_S``, ``conductance_ltd_S``,
    ``event_energy_J``."""
    dev = PhotonicSynapse(dark_density_per_m2=dark_density_per_m2, pulse_s=pulse_s,
                          interval_s=interval_s, intensity_W_per_m2=intensity_W_per_m2)
    r = potentiation_depression(dev, n_pulses)
    return Result("photonic.pulse_train", asdict(dev),
                  {"pulse_number": np.arange(n_pulses + 1), "conductance_ltp_S": r["ltp_S"][0],
                   "conductance_ltd_S": r["ltd_S"][0],
                   "event_energy_J": np.float64(r["event_energy_J"][0])})


def retention_time(device: PhotonicSynapse, state_per_m2, window_s: float) -> float:
    """1/e decay time (s) of the excess conductance of ``state_per_m2`` in the dark.

    The rate equations are integrated for ``window_s`` (400 samples); ``inf`` if the excess has not
    fallen to 1/e of its start within the window.

    Parameters
    ----------
    device : PhotonicSynapse
        The device.
    state_per_m2 : array_like
        Programmed (n, p, h), m⁻².
    window_s : float
        Dark time followed, s (> 0).

    Returns
    -------
    float
        Time, s (``inf`` if not reached within the window).

    Raises
    ------
    ValueError
        If an argument is invalid: `window_s` must be > 0.
    TypeError
        If an argument has the wrong type: `window_s` is not a real number.
    """
    window = check_real("window_s", window_s, low=0.0, low_open=True)
    r = simulate(device, [Segment(window)], initial_state=state_per_m2, samples_per_segment=400)
    g = r.conductance_S[:, 0] - device.conductance_S(device.dark_density_per_m2)
    below = np.nonzero(g <= g[0] / np.e)[0]
    return float(r.time_s[below[0]]) if below.size else float("inf")


def dark_density_per_well(sheet_density: Result, fermi_energy_eV: float = 0.0) -> float:
    """Dark electron density per well, m⁻², from a ``schrodinger_poisson.ingao3_zno`` result.

    The stack's self-consistent sheet density interpolated at ``fermi_energy_eV`` (default: the
    well bottom) and divided by the number of wells (``params["n_periods"]``).

    Parameters
    ----------
    sheet_density : Result
        A ``"schrodinger_poisson.ingao3_zno"`` result.
    fermi_energy_eV : float, optional
        Fermi level from the well bottom, eV.

    Returns
    -------
    float
        n_dark per well, m⁻².

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energy_eV` must be >= -1000 and <= 1000; `n_periods`
        must be >= 1.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV` is not a real number; `n_periods`
        is not an integer.
    """
    total = np.interp(check_real("fermi_energy_eV", fermi_energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV),
                      sheet_density.fermi_energy_eV, sheet_density.sheet_density_per_m2)
    return float(total) / check_int("n_periods", sheet_density.params["n_periods"], low=1)


@register_family
class PhotonicQuasi2DEG(DeviceFamily):
    """The photonic quasi-2DEG device family (InGaO3(ZnO)3 nanowires, PPC rate equations).

    Parameters
    ----------
    dark_density_per_m2 : float
        Dark electron density per well, m⁻² (from :func:`dark_density_per_well`).
    n_pulses : int
        Light pulses (LTP), then as many erase pulses (LTD) (≥ 2).
    n_devices : int
        Devices of the ensemble; device-to-device variation is a log-normal spread of μ, τ_t, τ_a
        and N_s of standard deviation ``device_spread`` (:func:`ensemble`).
    device_spread : float
        σ of ln of the device parameters (≥ 0).
    read_noise_rel : float
        Relative read noise written into the record.
    retention_window_s : float
        Dark time over which the retention of the programmed state is followed, s.
    ppf_intervals_s : sequence of float
        Pulse intervals of the paired-pulse facilitation result, s.

    Notes
    -----
    Energy per event: V_read² ⟨G⟩ t_pulse of the potentiation pulses, averaged over devices;
    retention: 1/e decay of the nominal device's potentiated excess conductance in the dark; no
    cycle-to-cycle variation (deterministic rate equations).

    Examples
    --------
    >>> r = PhotonicQuasi2DEG(n_pulses=3, n_devices=2).response(seed=0)
    >>> r.weight_ltp_S.shape
    (2, 4)
    """

    name = "photonic_2deg"
    summary = "InGaO3(ZnO)3 quasi-2DEG nanowire: light/erase pulses through PPC rate equations"

    @classmethod
    def default_params(cls) -> dict:
        return {"dark_density_per_m2": 1.0e15, "n_pulses": 20, "n_devices": 6,
                "device_spread": 0.1, "read_noise_rel": 0.01, "retention_window_s": 3000.0,
                "ppf_intervals_s": [0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]}

    def validate(self, params: dict) -> dict:
        p = dict(params)
        p["dark_density_per_m2"] = check_real("dark_density_per_m2", p["dark_density_per_m2"],
                                              low=0.0, low_open=True)
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=2)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        for key in ("device_spread", "read_noise_rel"):
            p[key] = check_real(key, p[key], low=0.0)
        p["retention_window_s"] = check_real("retention_window_s", p["retention_window_s"],
                                             low=0.0, low_open=True)
        check_array("ppf_intervals_s", p["ppf_intervals_s"], low=0.0, low_open=True)
        return p

    def _programming(self, seed: int):
        p = self.params
        base = PhotonicSynapse(dark_density_per_m2=p["dark_density_per_m2"])
        devices = ensemble(p["n_devices"], p["device_spread"], check_int("seed", seed, low=0),
                           base)
        prog = potentiation_depression(devices, p["n_pulses"])
        final = simulate(base, pulse_schedule(p["n_pulses"], base.pulse_s, base.interval_s))
        retention = retention_time(base, final.state_per_m2[-1], p["retention_window_s"])
        record = device_response(
            self.name, weight_ltp=prog["ltp_S"], weight_ltd=prog["ltd_S"], weight_unit="S",
            event_energy_J=float(np.mean(prog["event_energy_J"])), write_time_s=base.pulse_s,
            retention_s=retention, read_noise_rel=p["read_noise_rel"],
            description="InGaO3(ZnO)3 quasi-2DEG nanowire: light pulses (LTP) and erase pulses "
                        "(LTD) through the PPC rate equations; energy = V_read^2 <G> t_pulse",
            params={"n_devices": p["n_devices"], "device_spread": p["device_spread"],
                    "seed": seed, "dark_density_per_m2": p["dark_density_per_m2"]})
        return base, prog, retention, record

    def response(self, *, seed: int = 0) -> Result:
        """The ``device.response`` record of the ensemble.

        Parameters
        ----------
        seed : int, optional
            Seed of the device ensemble (≥ 0).

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S).
        """
        return self._programming(seed)[3]

    def results(self, *, seed: int = 0, map=None) -> dict[str, Result]:
        """``"ppf"`` (nominal device), ``"programming"`` (per-device curves and energies, the
        literature energy to compare with, retention) and ``"device_response"``. The ensemble is
        one ODE system, so ``map`` is not used.

        Parameters
        ----------
        seed : int, optional
            Seed of the device ensemble (≥ 0).
        map : callable, optional
            Unused (the ensemble is one ODE system).

        Returns
        -------
        dict of str to Result
            ``"ppf"``, ``"programming"`` and ``"device_response"``.
        """
        base, prog, retention, record = self._programming(seed)
        n = self.params["n_pulses"]
        programming = Result(
            "photonic.programming", {"n_pulses": n},
            {"pulse_number": np.arange(n + 1), "ltp_S": prog["ltp_S"], "ltd_S": prog["ltd_S"],
             "event_energy_J": prog["event_energy_J"],
             "literature_event_energy_J": np.float64(LITERATURE_EVENT_ENERGY_J),
             "retention_s": np.float64(retention)})
        return {"ppf": paired_pulse(base, self.params["ppf_intervals_s"]),
                "programming": programming, "device_response": record}


_declare("photonic.programming", coords=("pulse_number",), y=("ltp_S", "ltd_S"))
