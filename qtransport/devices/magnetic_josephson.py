"""Device family ``magnetic_josephson``: magnetic-cluster Josephson synapses (Mn nanoclusters in a
Si barrier between Nb electrodes). The junction physics (RCSJ I–V, plasma frequency) is
:mod:`qtransport.josephson`; this module owns the cluster-order programming, energy per pulse and
variation (:class:`MagneticJosephsonSynapse`).

Schneider et al., Sci. Adv. 4, e1701329 (2018): the spin order of Mn nanoclusters in the barrier
tunes the junction's critical current; electrical training pulses (in an applied field) change that
order; the junction spikes (2π phase slips) with < 1 aJ per event at plasma frequencies > 100 GHz,
and trains with pulses down to ~3 aJ.

Model (documented choices, not fits)
-----------------------------------
* ``n_clusters`` Ising clusters s_k = ±1 along the field axis; the order parameter is
  m = (1/N) Σ s_k ∈ [−1, 1].
* A training pulse is a current pulse I_p > I_c of duration t_p; the junction dissipates
  E_p = I_p V̄(I_p) t_p with V̄ from the RCSJ I–V (:func:`qtransport.josephson.rcsj.iv_curve`). A cluster can switch
  only if E_p exceeds its threshold ε_k (log-normal across clusters: cluster-size spread); then it
  switches with probability p per pulse. *Ordering* pulses (field applied) set s_k = +1;
  *disordering* pulses (zero field) give s_k a random sign.
* I_c(m) = I_c,max · f(m), with the replaceable default :func:`quadratic_suppression`
  f(m) = 1 − (1 − r) m². Reasoning: the clusters' net exchange field breaks pairs in the barrier,
  and I_c cannot depend on the sign of m (time reversal), so the lowest-order form is even in m;
  r = I_c(ordered)/I_c(disordered). The paper reports that order lowers I_c but does not pin the
  functional form — pass ``ic_model`` to use another.

Potentiation (LTP) is disordering from the ordered (low-I_c) state, depression (LTD) ordering from
the disordered (high-I_c) state.

Examples
--------
>>> from qtransport.devices import magnetic_josephson as magnetic
>>> r = magnetic.training(n_pulses=20, n_devices=2, seed=0)
>>> r.ic_ltp_A.shape, bool(r.spiking_energy_J < 1e-18), bool(r.plasma_frequency_min_Hz > 1e11)
((2, 21), True, True)
"""
from __future__ import annotations

import dataclasses
import math
from typing import Callable

import numpy as np

from ..constants import PHI0
from ..errors import check_array, check_choice, check_int, check_real, check_work
from ..josephson.junction import Junction
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .base import DeviceFamily, register_family, serial_map
from .record import device_response as _device_response

__all__ = ["ClusterSynapse", "PRESETS", "quadratic_suppression", "pulse_energy_J", "train",
           "training", "device_response", "MagneticJosephsonSynapse"]


#: default most cluster updates (n_pulses × n_devices × n_clusters) of one :func:`train` call
#: (``max_updates=``): ~10^8 per second
MAX_UPDATES = 2 * 10**9


def quadratic_suppression(order, ordered_ratio: float) -> np.ndarray:
    """Default I_c(m)/I_c,max = 1 − (1 − r) m² (even in m; r at |m| = 1); m in [−1, 1].

    Parameters
    ----------
    order : float or array_like
        Order parameter m, in [−1, 1].
    ordered_ratio : float
        r = I_c(|m| = 1)/I_c,max, in (0, 1].

    Returns
    -------
    numpy.ndarray
        I_c/I_c,max, dimensionless.

    Raises
    ------
    ValueError
        If an argument is invalid: `ordered_ratio` must be > 0 and <= 1; `order` must be an
        array of finite numbers >= -1 and <= 1.
    TypeError
        If an argument has the wrong type: `ordered_ratio` is not a real number; `order` is not
        an array of real numbers.

    Examples
    --------
    >>> [round(float(x), 6) for x in quadratic_suppression([0.0, 1.0], 0.3)]
    [1.0, 0.3]
    """
    m = np.asarray(check_array("order", order, low=-1.0, high=1.0), float).reshape(
        np.shape(order))
    r = check_real("ordered_ratio", ordered_ratio, low=0.0, high=1.0, low_open=True)
    return 1.0 - (1.0 - r) * m**2


@dataclasses.dataclass(frozen=True)
class ClusterSynapse:
    """Parameters of a magnetic-cluster Josephson synapse (SI units).

    Parameters
    ----------
    n_clusters : int, optional
        Magnetic clusters in the barrier (≥ 1).
    ic_max_A : float, optional
        Critical current of the fully disordered state I_c,max, A (> 0).
    ordered_ratio : float, optional
        I_c(ordered)/I_c,max, in (0, 1].
    capacitance_F : float, optional
        Junction capacitance, F (> 0).
    resistance_ohm : float, optional
        Junction resistance, Ω (> 0).
    threshold_energy_J : float, optional
        Median cluster threshold energy, J (> 0).
    threshold_spread : float, optional
        Log-normal σ of the thresholds (≥ 0).
    flip_probability : float, optional
        Switching probability of an above-threshold cluster per pulse, in (0, 1].
    pulse_current_A : float, optional
        Training pulse current I_p, A (> ``ic_max_A``).
    pulse_duration_s : float, optional
        Training pulse duration t_p, s (> 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `n_clusters` must be >= 1; `ordered_ratio` and
        `flip_probability` must be > 0 and <= 1; `threshold_spread` must be >= 0;
        pulse_current_A must exceed ic_max_A (a training pulse drives the junction resistive);
        `ic_max_A`, `capacitance_F`, `resistance_ohm`, `threshold_energy_J`, `pulse_current_A`
        and `pulse_duration_s` must be > 0.
    TypeError
        If an argument has the wrong type: `ordered_ratio`, `threshold_spread`,
        `flip_probability`, `ic_max_A`, `capacitance_F`, `resistance_ohm`,
        `threshold_energy_J`, `pulse_current_A` or `pulse_duration_s` are not real numbers;
        `n_clusters` is not an integer.

    Examples
    --------
    >>> syn = ClusterSynapse()
    >>> syn.n_clusters
    400
    """

    n_clusters: int = 400
    ic_max_A: float = 100e-6
    ordered_ratio: float = 0.3
    capacitance_F: float = 75e-15
    resistance_ohm: float = 1.0
    threshold_energy_J: float = 2e-18
    threshold_spread: float = 0.3
    flip_probability: float = 0.08
    pulse_current_A: float = 250e-6
    pulse_duration_s: float = 50e-12

    def __post_init__(self):
        check_int("n_clusters", self.n_clusters, low=1)
        for name in ("ic_max_A", "capacitance_F", "resistance_ohm", "threshold_energy_J",
                     "pulse_current_A", "pulse_duration_s"):
            check_real(name, getattr(self, name), low=0.0, low_open=True)
        check_real("ordered_ratio", self.ordered_ratio, low=0.0, high=1.0, low_open=True)
        check_real("threshold_spread", self.threshold_spread, low=0.0)
        check_real("flip_probability", self.flip_probability, low=0.0, high=1.0, low_open=True)
        if self.pulse_current_A <= self.ic_max_A:
            raise ValueError(f"pulse_current_A must exceed ic_max_A = {self.ic_max_A} (a training "
                             f"pulse drives the junction resistive), got {self.pulse_current_A}")

    def junction(self, critical_current_A: float | None = None) -> Junction:
        """The junction at a given I_c (default I_c,max).

        Parameters
        ----------
        critical_current_A : float, optional
            I_c, A (default ``ic_max_A``).

        Returns
        -------
        Junction
            The junction with this synapse's C and R.

        Examples
        --------
        >>> j = ClusterSynapse().junction()
        >>> f'{j.critical_current_A:.1e}'
        '1.0e-04'
        """
        return Junction(critical_current_A or self.ic_max_A, self.capacitance_F,
                        self.resistance_ohm)


#: Presets inside the published ranges (Schneider et al. 2018): ~10 fF/µm² Si barrier, ~3 µm
#: junction (75 fF), I_c ≤ 100 µA → I_cΦ0 ≤ 0.21 aJ, f_p ≥ 170 GHz at the lowest I_c.
PRESETS = {"schneider2018": ClusterSynapse(),
           "schneider2018_small": ClusterSynapse(n_clusters=100, ic_max_A=30e-6,
                                                 capacitance_F=20e-15, pulse_current_A=80e-6,
                                                 threshold_energy_J=0.2e-18)}


def pulse_energy_J(synapse: ClusterSynapse) -> float:
    """Energy dissipated by one training pulse, I_p V̄(I_p) t_p, J (DC voltage at I_c,max).

    For β_c ≤ 0.05 V̄ = R√(I_p² − I_c²) (the RCSJ correction is O(β_c²) < 0.3 %, tested in
    ``tests/josephson/test_rcsj.py``); otherwise V̄ comes from :func:`.rcsj.iv_curve`.

    Parameters
    ----------
    synapse : ClusterSynapse
        The synapse.

    Returns
    -------
    float
        Energy, J.

    Examples
    --------
    >>> bool(pulse_energy_J(ClusterSynapse()) > 0)
    True
    """
    jj = synapse.junction()
    ip = synapse.pulse_current_A
    if jj.stewart_mccumber <= 0.05:
        volt = jj.resistance_ohm * math.sqrt(ip**2 - jj.critical_current_A**2)
    else:
        from ..josephson.rcsj import iv_curve
        volt = float(iv_curve(jj, np.array([ip]), check_convergence=False).voltage_V[0])
    return ip * volt * synapse.pulse_duration_s


def _step(spins, active, rng, p, mode):
    flip = active & (rng.random(spins.shape) < p)
    if mode == "order":
        return np.where(flip, 1, spins)
    return np.where(flip, rng.choice(np.array([-1, 1]), size=spins.shape), spins)


def train(synapse: ClusterSynapse, n_pulses: int, *, mode: str, initial: str, n_devices: int = 1,
          seed: int = 0, energy_J: float | None = None, same_device: bool = False,
          max_updates: int = MAX_UPDATES) -> np.ndarray:
    """Order parameter m after 0 … n_pulses pulses, shape (n_devices, n_pulses + 1).

    ``mode`` is "order" (field applied) or "disorder"; ``initial`` is "ordered" (m = 1) or
    "disordered" (random signs). Every device has its own cluster thresholds (device-to-device
    variation); with ``same_device`` every row shares one set of thresholds and differs only by
    the random flips of each pulse (cycle-to-cycle variation). ``energy_J`` overrides the pulse
    energy. More than ``max_updates`` cluster updates (n_pulses × n_devices × n_clusters) are
    refused up front (``WorkLimitError``).

    Parameters
    ----------
    synapse : ClusterSynapse
        The synapse.
    n_pulses : int
        Pulses (≥ 1).
    mode : {"order", "disorder"}
        Field applied (ordering) or not (disordering).
    initial : {"ordered", "disordered"}
        Initial state.
    n_devices : int, optional
        Rows (devices, ≥ 1).
    seed : int, optional
        Seed (≥ 0).
    energy_J : float, optional
        Pulse energy, J (≥ 0; default :func:`pulse_energy_J`).
    same_device : bool, optional
        Share one set of thresholds between rows (cycle-to-cycle variation).
    max_updates : int, optional
        Most cluster updates.

    Returns
    -------
    numpy.ndarray
        m, dimensionless in [−1, 1], shape (n_devices, n_pulses + 1).

    Raises
    ------
    TypeError
        ``synapse`` is not a ClusterSynapse.
    ValueError
        A bad argument or too many updates (``WorkLimitError``).
    """
    if not isinstance(synapse, ClusterSynapse):
        raise TypeError(f"synapse must be a ClusterSynapse, got {synapse!r}")
    check_choice("mode", mode, ("order", "disorder"))
    check_choice("initial", initial, ("ordered", "disordered"))
    n = check_int("n_pulses", n_pulses, low=1)
    rng = np.random.default_rng(check_int("seed", seed, low=0))
    shape = (check_int("n_devices", n_devices, low=1), synapse.n_clusters)
    check_work("max_updates", float(n) * shape[0] * shape[1],
               check_int("max_updates", max_updates, low=1), unit="cluster updates",
               hint=f"n_pulses = {n} × n_devices = {shape[0]} × n_clusters = {shape[1]}")
    drawn = (1, shape[1]) if same_device else shape
    thresholds = np.broadcast_to(synapse.threshold_energy_J
                                 * rng.lognormal(0.0, synapse.threshold_spread, drawn), shape)
    energy = pulse_energy_J(synapse) if energy_J is None else check_real("energy_J", energy_J,
                                                                       low=0.0)
    active = thresholds <= energy
    spins = np.ones(shape, dtype=int) if initial == "ordered" else rng.choice([-1, 1], shape)
    order = np.empty((shape[0], n + 1))
    order[:, 0] = spins.mean(axis=1)
    for k in range(1, n + 1):
        spins = _step(spins, active, rng, synapse.flip_probability, mode)
        order[:, k] = spins.mean(axis=1)
    return order


@register("magnetic_josephson.training", aliases=("josephson.magnetic_training",),
          summary="I_c of a magnetic-cluster Josephson synapse vs training pulses (LTP/LTD)",
          params=[Param("n_pulses", int, default=50, low=2),
                  Param("n_devices", int, default=8, low=1),
                  Param("preset", str, default="schneider2018", choices=tuple(PRESETS)),
                  Param("seed", int, default=0, low=0),
                  Param("n_cycles", int, default=0, low=0,
                        doc="repeated LTP cycles of device 0 (cycle-to-cycle variation)")],
          python_only=("synapse", "ic_model"))
def training(n_pulses: int = 50, n_devices: int = 8, preset: str = "schneider2018",
             seed: int = 0, n_cycles: int = 0, *, synapse: ClusterSynapse | None = None,
             ic_model: Callable | None = None) -> Result:
    """Potentiation and depression curves I_c(pulse) with energies and plasma frequency.

    Parameters
    ----------
    n_pulses, n_devices : int
        Pulses per curve and independent cluster realizations (devices).
    preset : str
        Name in :data:`PRESETS` (ignored if ``synapse`` is given).
    seed : int
        Random seed (LTP, LTD and cycles use independent child streams).
    n_cycles : int
        If > 0, also ``ic_cycle_ltp_A`` (n_cycles, n_pulses + 1): LTP repeated on one device
        (one set of cluster thresholds), differing only by the random flips of each pulse.
    synapse : ClusterSynapse, optional
        Explicit parameters.
    ic_model : callable, optional
        ``f(order, ordered_ratio) -> I_c/I_c,max``; default :func:`quadratic_suppression`.

    Returns
    -------
    Result
        ``ic_ltp_A``, ``ic_ltd_A``, ``order_ltp``, ``order_ltd`` (n_devices, n_pulses + 1),
        ``training_energy_J``, ``spiking_energy_J`` (I_c,max Φ0), ``plasma_frequency_min_Hz``
        (at the lowest I_c reached), ``pulse_duration_s``.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_pulses` and `n_devices` must be >= 1; `n_cycles` and
        `seed` must be >= 0; `preset` must be one of ``PRESETS``.
    TypeError
        If an argument has the wrong type: `n_pulses`, `n_devices`, `n_cycles` or `seed` are
        not integers; synapse must be a ClusterSynapse or None; ic_model must be a callable
        f(order, ordered_ratio).
    """
    if synapse is not None and not isinstance(synapse, ClusterSynapse):
        raise TypeError(f"synapse must be a ClusterSynapse or None, got {synapse!r}")
    if ic_model is not None and not callable(ic_model):
        raise TypeError(f"ic_model must be a callable f(order, ordered_ratio), got {ic_model!r}")
    syn = synapse or PRESETS[check_choice("preset", preset, PRESETS)]
    n_pulses = check_int("n_pulses", n_pulses, low=1)
    n_devices = check_int("n_devices", n_devices, low=1)
    model = _checked_model(ic_model or quadratic_suppression)
    energy = pulse_energy_J(syn)
    ltp_seed, ltd_seed, cycle_seed = np.random.SeedSequence(
        check_int("seed", seed, low=0)).generate_state(3)
    order_ltp = train(syn, n_pulses, mode="disorder", initial="ordered", n_devices=n_devices,
                      seed=int(ltp_seed), energy_J=energy)
    order_ltd = train(syn, n_pulses, mode="order", initial="disordered", n_devices=n_devices,
                      seed=int(ltd_seed), energy_J=energy)
    ic_ltp = syn.ic_max_A * model(order_ltp, syn.ordered_ratio)
    ic_ltd = syn.ic_max_A * model(order_ltd, syn.ordered_ratio)
    cycles = {}
    if check_int("n_cycles", n_cycles, low=0):
        order_cyc = train(syn, n_pulses, mode="disorder", initial="ordered", n_devices=n_cycles,
                          seed=int(cycle_seed), energy_J=energy, same_device=True)
        cycles["ic_cycle_ltp_A"] = syn.ic_max_A * model(order_cyc, syn.ordered_ratio)
    ic_min = float(min(ic_ltp.min(), ic_ltd.min()))
    return Result("magnetic_josephson.training",
                  {"n_pulses": n_pulses, "n_devices": n_devices, "preset": preset, "seed": seed,
                   "n_cycles": n_cycles, **dataclasses.asdict(syn)},
                  {**cycles, "pulse_number": np.arange(n_pulses + 1), "ic_ltp_A": ic_ltp,
                   "ic_ltd_A": ic_ltd, "order_ltp": order_ltp, "order_ltd": order_ltd,
                   "training_energy_J": np.float64(energy),
                   "spiking_energy_J": np.float64(syn.ic_max_A * PHI0),
                   "plasma_frequency_min_Hz": np.float64(syn.junction(ic_min).plasma_frequency_Hz),
                   "pulse_duration_s": np.float64(syn.pulse_duration_s)},
                  {"ic_model": getattr(model, "__name__", repr(model))})


def _checked_model(model: Callable) -> Callable:
    """``model`` wrapped so that a NaN or negative I_c/I_c,max is refused, naming ic_model."""
    def checked(order, ratio):
        out = np.asarray(model(order, ratio), dtype=float)
        if out.shape != np.shape(order) or not np.all(np.isfinite(out)) or np.any(out < 0):
            bad = out[~np.isfinite(out) | (out < 0)].ravel()[:1] if out.shape == np.shape(
                order) else out.shape
            raise ValueError(f"ic_model must return finite I_c/I_c,max >= 0 of the shape of "
                             f"order {np.shape(order)}, got {bad}")
        return out
    checked.__name__ = getattr(model, "__name__", repr(model))
    return checked


def device_response(result: Result) -> Result:
    """The synapse-layer record (weights = I_c in A) of a :func:`training` result.

    Parameters
    ----------
    result : Result
        A ``"magnetic_josephson.training"`` result.

    Returns
    -------
    Result
        Kind ``"device.response"`` (weights in A).
    """
    return _device_response(
        "magnetic_josephson", weight_ltp=result.ic_ltp_A, weight_ltd=result.ic_ltd_A,
        cycle_ltp=result.data.get("ic_cycle_ltp_A"),
        weight_unit="A", event_energy_J=float(result.training_energy_J),
        write_time_s=float(result.pulse_duration_s), retention_s=math.inf,
        description="Mn-cluster Josephson junction: I_c vs disordering (LTP) / ordering (LTD) "
                    "pulses; devices = independent cluster realizations; cycles = repeated "
                    "LTP of one device (random flips)",
        params=result.params)


@register_family
class MagneticJosephsonSynapse(DeviceFamily):
    """The magnetic-cluster Josephson device family (weights = critical current, A).

    Every parameter is a keyword; the defaults (:meth:`default_params`) are the demo's.

    Parameters
    ----------
    preset : str
        Junction and cluster parameters, a name in :data:`PRESETS`.
    n_pulses : int
        Training pulses per potentiation/depression curve (≥ 2).
    n_devices : int
        Independent cluster realizations (device-to-device variation).
    n_cycles : int
        Repeated potentiation of one device (cycle-to-cycle variation; 0: not modelled).

    Notes
    -----
    Energy per event: the training pulse I_p V̄(I_p) t_p (:func:`pulse_energy_J`); retention:
    ``inf`` (cluster order is stable between pulses in this model).

    Examples
    --------
    >>> from qtransport.devices import weight_unit
    >>> r = MagneticJosephsonSynapse(n_devices=2, n_cycles=0).response(seed=0)
    >>> weight_unit(r), r.weight_ltp_A.shape          # (devices, pulses + 1), amperes
    ('A', (2, 61))
    >>> bool(r.weight_ltp_A[:, -1].mean() > 2 * r.weight_ltp_A[:, 0].mean())   # I_c rises
    True
    """

    name = "magnetic_josephson"
    summary = "Mn-cluster Josephson junction: I_c set by the clusters' spin order (training pulses)"

    @classmethod
    def default_params(cls) -> dict:
        return {"preset": "schneider2018", "n_pulses": 60, "n_devices": 8, "n_cycles": 4}

    def validate(self, params: dict) -> dict:
        p = dict(params)
        p["preset"] = check_choice("preset", p["preset"], tuple(PRESETS))
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=2)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        p["n_cycles"] = check_int("n_cycles", p["n_cycles"], low=0)
        return p

    def results(self, *, seed: int = 0, map=serial_map) -> dict[str, Result]:
        """``"magnetic_training"`` (:func:`training`: I_c and order curves, energies, plasma
        frequency) and ``"device_response"``. One call, sent through ``map``.

        Parameters
        ----------
        seed : int, optional
            Seed of the cluster thresholds and flips (≥ 0).
        map : callable, optional
            Distributes the call (default :func:`serial_map`).

        Returns
        -------
        dict of str to Result
            ``"magnetic_training"`` and ``"device_response"``.

        Raises
        ------
        ValueError
            If an argument is invalid: `seed` must be >= 0.
        TypeError
            If an argument has the wrong type: `seed` is not an integer.
        """
        kw = dict(self.params, seed=check_int("seed", seed, low=0))
        train_result = map(training, [kw])[0]
        return {"magnetic_training": train_result, "device_response": device_response(train_result)}

    def response(self, *, seed: int = 0, map=serial_map) -> Result:
        """The ``device.response`` record.

        Parameters
        ----------
        seed : int, optional
            Seed of the cluster thresholds and flips (≥ 0).
        map : callable, optional
            Distributes the call (default :func:`serial_map`).

        Returns
        -------
        Result
            Kind ``"device.response"``.
        """
        return self.results(seed=seed, map=map)["device_response"]


_declare("magnetic_josephson.training", coords=("pulse_number",), y=("ic_ltp_A", "ic_ltd_A"),
         labels={"ic_ltp_A": r"$I_c$ potentiation (A)", "ic_ltd_A": r"$I_c$ depression (A)"})
