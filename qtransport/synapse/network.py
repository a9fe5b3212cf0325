"""Network-level evaluation: what a 64-hidden-unit MLP built from a synaptic device can learn.

Task: scikit-learn's bundled 8×8 digits (1797 images, no download), a fixed stratified 70/30
split; pixels/16 are the read voltages. Network: 64 → 64 (tanh) → 10 (softmax), biases as an
extra always-on input row, cross-entropy, minibatch SGD.

Weights are differential conductance pairs, W = s (g⁺ − g⁻) with g = (G − G_min)/(G_max − G_min)
the normalized conductance and s the weight range of a layer. Two modes:

``"in_situ"``
    Training by pulses through the device model: the desired update ΔW = −η ∂L/∂W becomes a
    pulse count n = ΔW / (2 s / P) (one pulse moves a linear device by s/P, and both devices of
    the pair move: n potentiation pulses on g⁺ and n depression pulses on g⁻ for n > 0, the
    reverse for n < 0). n is rounded stochastically (floor plus a Bernoulli draw of the
    fraction), so small updates survive on average. The device's own nonlinear response, its
    bounds and its P + 1 levels then decide what each pulse does.
``"ex_situ"``
    Train in floating point, then program each device to the nearest of its levels (clipped
    scaling: s = min(max|W|, 3 std W) per layer).

Variation: device-to-device (each device's conductance range scaled by 1 + σ_d2d ξ, fixed per
device), cycle-to-cycle (each update's change scaled by 1 + σ_c2c ξ/√|n|: independent per-pulse
noise of relative size σ_c2c), read noise (each read multiplied by 1 + σ_read ξ). The training
energy is the number of programming pulses times the energy per event, kept in an
:class:`~qtransport.synapse.energy.EnergyLedger`.

Measured on this machine (5 seeds): floating point ≈ 97.5 %, 16 levels per device ex-situ ≈ 97 %,
in-situ A/P = 1 with stochastic rounding ≈ 96.6 %, A/P = 0.3 ≈ 94 %; about one second per run.
"""
from __future__ import annotations

import functools
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import check_bool, check_choice, check_int, check_real, check_work
from .energy import EnergyLedger
from .lookup import LookupTableDevice
from .pulse import PulseResponse

__all__ = ["NetworkResult", "evaluate", "levels_device", "MODES", "MAX_WORK", "MAX_BYTES"]

log = logging.getLogger(__name__)

MODES = ("in_situ", "ex_situ")
_N_IN = 64 + 1          # 8x8 pixels + bias row
_N_CLASSES = 10
_N_IMAGES = 1797        # scikit-learn digits
_N_TRAIN = 1257         # 70 % of them (stratified split)
#: default limits of :func:`evaluate` (multiply-adds of training; bytes of its arrays)
MAX_WORK = 1e11
MAX_BYTES = 2.0 * 2**30


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): fixed stratified 70/30 split, bias column appended."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    data = load_digits()
    x = np.hstack([data.data / 16.0, np.ones((data.data.shape[0], 1))])
    xtr, xte, ytr, yte = train_test_split(x, data.target, test_size=0.3, stratify=data.target,
                                          random_state=0)
    for arr in (xtr, xte, ytr, yte):
        arr.setflags(write=False)
    return xtr, ytr, xte, yte


@dataclass
class NetworkResult:
    """Outcome of one :func:`evaluate` run.

    Parameters
    ----------
    accuracy : float
        Test accuracy in [0, 1] (540 test images).
    train_accuracy : float
        Training-set accuracy in [0, 1].
    write_pulses : float
        Programming pulses issued during training (in-situ) or programming (ex-situ: one pulse
        per level step from G_min).
    training_energy_J : float
        write_pulses × event energy (``nan`` if the energy per event is unknown).
    seconds : float
        Wall time of the run, s.
    mode : str
        ``"in_situ"`` or ``"ex_situ"``.
    seed : int
        Seed of the run.
    levels : int
        P + 1 states per device (0 for float).
    ledger : EnergyLedger, optional
        Events and energies of the run.

    Examples
    --------
    >>> r = NetworkResult(accuracy=0.9, train_accuracy=0.95, write_pulses=1000.0,
    ...                   training_energy_J=1e-9, seconds=0.5, mode="in_situ", seed=0, levels=9)
    >>> res = r.to_result()
    >>> res.kind, res.attrs["mode"], float(res.accuracy)
    ('synapse.network', 'in_situ', 0.9)
    """

    accuracy: float
    train_accuracy: float
    write_pulses: float
    training_energy_J: float
    seconds: float
    mode: str
    seed: int
    levels: int
    ledger: EnergyLedger = field(repr=False, default_factory=EnergyLedger)

    def to_result(self):
        """This run as a :class:`~qtransport.results.Result` (kind ``"synapse.network"``), which
        :func:`qtransport.results.save` writes and ``.plot()`` draws.

        Returns
        -------
        Result
            Kind ``"synapse.network"``.
        """
        from ..results import Result
        return Result("synapse.network", {"mode": self.mode, "seed": self.seed,
                                          "levels": self.levels},
                      {"accuracy": self.accuracy, "train_accuracy": self.train_accuracy,
                       "write_pulses": self.write_pulses,
                       "training_energy_J": self.training_energy_J, "seconds": self.seconds,
                       "levels": self.levels}, {"mode": self.mode})

    def plot(self, ax=None, **kw):
        """Test and training accuracy as bars (matplotlib axes).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw into (a new figure when None).
        **kw
            Passed to the matplotlib call.

        Returns
        -------
        matplotlib.axes.Axes
            The axes drawn into.
        """
        import matplotlib.pyplot as plt
        if ax is None:
            _, ax = plt.subplots(figsize=(4.0, 3.0), constrained_layout=True)
        ax.bar(["train", "test"], [self.train_accuracy, self.accuracy], **kw)
        ax.set_ylim(0, 1)
        ax.set_ylabel("Accuracy")
        ax.set_title(f"synapse.network ({self.mode}, {self.levels} levels)", fontsize="medium")
        return ax

    def to_xarray(self):
        """The numbers of this run as a scalar :class:`xarray.Dataset`.

        Returns
        -------
        xarray.Dataset
            Scalar dataset of the run.
        """
        return self.to_result().to_xarray()


def levels_device(levels: int) -> PulseResponse:
    """A linear device with ``levels`` equally spaced states (normalized 0 … 1 S).

    Parameters
    ----------
    levels : int
        Number of states (≥ 3).

    Returns
    -------
    PulseResponse
        Linear response with ``levels − 1`` pulses between 0 and 1 S.

    Raises
    ------
    ValueError
        If an argument is invalid: `levels` must be >= 3.
    TypeError
        If an argument has the wrong type: `levels` is not an integer.

    Examples
    --------
    >>> levels_device(5).levels().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    levels = check_int("levels", levels, low=3)
    return PulseResponse(0.0, 1.0, levels - 1, math.inf, math.inf)


class _Net:
    """Forward pass and gradients of the 65-64-10 tanh/softmax network."""

    @staticmethod
    def forward(x, w1, w2):
        h = np.tanh(x @ w1)
        ha = np.hstack([h, np.ones((h.shape[0], 1))])
        return h, ha, ha @ w2

    @classmethod
    def grads(cls, x, onehot, w1, w2):
        h, ha, z = cls.forward(x, w1, w2)
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        dz = (p - onehot) / x.shape[0]
        dh = (dz @ w2[:-1].T) * (1.0 - h ** 2)
        return x.T @ dh, ha.T @ dz

    @classmethod
    def accuracy(cls, x, y, w1, w2) -> float:
        return float(np.mean(cls.forward(x, w1, w2)[2].argmax(axis=1) == y))


def _init_weights(rng, hidden):
    return [rng.normal(0.0, 1.0 / math.sqrt(_N_IN), (_N_IN, hidden)),
            rng.normal(0.0, 1.0 / math.sqrt(hidden + 1), (hidden + 1, _N_CLASSES))]


def _epochs(n: int, enable):
    from ..infra import progress as _progress
    return _progress(range(n), desc="training epochs", enable=enable, unit="epoch")


def _train_float(rng, hidden, epochs, lr, batch, progress=False):
    xtr, ytr, _, _ = _digits()
    onehot = np.eye(_N_CLASSES)[ytr]
    ws = _init_weights(rng, hidden)
    for _ in _epochs(epochs, progress):
        order = rng.permutation(xtr.shape[0])
        for b in range(0, order.size, batch):
            i = order[b:b + batch]
            for w, g in zip(ws, _Net.grads(xtr[i], onehot[i], *ws)):
                w -= lr * g
    return ws


class _Crossbar:
    """Differential pairs of one layer on a device model, with d2d/c2c/read variation.

    The normalized conductances of g⁺ and g⁻ are stacked (``f[0]``, ``f[1]``), and so are the
    per-device gains and their products ``f·gain``, which are kept up to date where a pulse
    acts (each training step reads every device but pulses only a few): the same numbers, in
    the same order, as recomputing them at every read.
    """

    def __init__(self, device, shape, scale, rng, cfg: "_Settings", centred: bool = True):
        self.dev, self.scale, self.rng, self.centred = device, scale, rng, centred
        self.c2c, self.read_noise = cfg.c2c, cfg.read_noise
        d2d = cfg.d2d
        lv = np.asarray(device.levels(), dtype=float)
        self.levels = np.unique((lv - device.g_min_S) / device.range_S)
        # one draw for both devices of every pair: the same numbers, in the same order, as a
        # draw for g+ followed by one for g- (the generator's stream is sequential)
        self.gain = np.clip(1.0 + d2d * rng.standard_normal((2,) + tuple(shape)), 0.05, None)
        self.f = np.zeros((2,) + tuple(shape))
        self.fg = self.f * self.gain
        self.pulses = 0.0
        # the training loop's arrays are finite by construction: skip apply_pulses' checks
        self._apply = getattr(device, "_apply_checked_pulses", device.apply_pulses)

    def program(self, w):
        """Write target weights: each device to its nearest level (one write-verify)."""
        t = np.clip(w / self.scale, -1.0, 1.0)
        targets = (0.5 + 0.5 * t, 0.5 - 0.5 * t) if self.centred else \
            (np.maximum(t, 0.0), np.maximum(-t, 0.0))
        for k, target in enumerate(targets):
            idx = np.abs(target[..., None] - self.levels).argmin(axis=-1)
            self.f[k] = self.levels[idx]
            self.pulses += float(idx.sum())
        self.fg = self.f * self.gain

    def weights(self) -> np.ndarray:
        """W = s (g⁺ − g⁻) as read now (with fresh read noise)."""
        if not self.read_noise:
            return self.scale * (self.fg[0] - self.fg[1])
        noise = self.rng.standard_normal(self.f.shape)
        noise *= self.read_noise
        noise += 1.0
        noise *= self.fg                       # g (1 + σ ξ)
        w = noise[0] - noise[1]
        w *= self.scale
        return w

    def update(self, dw, stochastic: bool):
        n = dw / (2.0 * self.scale / self.dev.n_pulses)
        if stochastic:
            base = np.floor(n)
            n = base + (self.rng.random(n.shape) < (n - base))
        else:
            n = np.round(n)
        nz = (slice(None),) + np.nonzero(n)     # both devices of the pulsed pairs
        n = n[nz[1:]]
        if not n.size:                 # no pulse in this minibatch (no draw below either)
            return
        self.pulses += 2.0 * float(np.abs(n).sum())
        lo, span = self.dev.g_min_S, self.dev.range_S
        f = self.f[nz].reshape(-1)               # [g+ ..., g- ...]: g+ gets n, g- gets -n
        counts = np.concatenate([n, -n])
        new = (self._apply(lo + span * f, counts) - lo) / span
        if self.c2c:
            noise = self.c2c * self.rng.standard_normal(f.shape) / np.sqrt(np.abs(counts))
            new = np.clip(f + (new - f) * (1.0 + noise), 0.0, 1.0)
        new = new.reshape(2, n.size)
        self.f[nz] = new
        self.fg[nz] = new * self.gain[nz]


def _device_and_variation(device, c2c, d2d, read_noise, event_energy):
    """Unpack a SynapseParameters record (duck-typed) into a device model and variations."""
    if hasattr(device, "pulse_response") and callable(device.pulse_response):
        params = device
        device = params.pulse_response()
        c2c = params.c2c_rel if c2c is None and params.c2c_rel is not None else c2c
        d2d = params.d2d_rel if d2d is None else d2d
        read_noise = params.read_noise_rel if read_noise is None else read_noise
        event_energy = params.event_energy_J if event_energy is None else event_energy
    if device is not None and not isinstance(device, (PulseResponse, LookupTableDevice)):
        raise TypeError(f"device must be a PulseResponse, LookupTableDevice, SynapseParameters "
                        f"or None (floating point), got {type(device).__name__}")
    return device, c2c or 0.0, d2d or 0.0, read_noise or 0.0, event_energy


def evaluate(device: Any = None, seed: int = 0, *, mode: str = "in_situ", epochs: int = 30,
             learning_rate: float = 0.1, batch_size: int = 10, hidden: int = 64,
             weight_range: float = 1.0, stochastic_rounding: bool = True,
             c2c_rel: float | None = None, d2d_rel: float | None = None,
             read_noise_rel: float | None = None,
             event_energy_J: float | None = None, max_work: float = MAX_WORK,
             max_bytes: float = MAX_BYTES, progress: bool | None = None) -> NetworkResult:
    """Train and test the digits MLP with weights stored in ``device``.

    Parameters
    ----------
    device : PulseResponse, LookupTableDevice, SynapseParameters or None
        The synaptic device; ``None`` trains in floating point (the reference).
        A SynapseParameters record also supplies c2c/d2d/read noise and the event energy.
    seed : int
        Seeds initialization, minibatch order and all variation draws.
    mode : {"in_situ", "ex_situ"}
        Pulse training through the device, or float training then programming (module notes).
    epochs : int
        Training epochs (≥ 1).
    learning_rate : float
        SGD learning rate (> 0).
    batch_size : int
        Minibatch size (≥ 1).
    hidden : int
        Hidden units of the MLP (≥ 1).
    weight_range : float
        s, the weight of a fully-on device (W ∈ [−s, s]) for in-situ training.
    stochastic_rounding : bool
        Round pulse counts stochastically (True) or to the nearest integer.
    c2c_rel, d2d_rel, read_noise_rel : float, optional
        Relative cycle-to-cycle, device-to-device and read variation (≥ 0); override the record.
    event_energy_J : float, optional
        Energy of one programming pulse, J; overrides the record.
    max_work, max_bytes : float
        Limits checked before training: multiply-adds of training,
        epochs × 1257 × 3 × 76 × hidden (default 10¹¹, ~200 × the default run), and memory of the
        weight and activation arrays, 8 × hidden × (10 × 76 + 1797) bytes (default 2 GiB). A
        run above either is refused with the estimate (``WorkLimitError``); raise the keyword
        for a deliberate big run.

    progress : bool, optional
        Progress bar over the training epochs (:func:`qtransport.infra.progress`: None = at a
        terminal after 2 s, False = never, True = always).

    Returns
    -------
    NetworkResult
        Accuracies, write pulses, training energy (J) and the ledger.

    Raises
    ------
    ValueError
        If an argument is invalid: `seed`, and `c2c_rel`, `d2d_rel`, `read_noise_rel`
        and `event_energy_J` where given, must be >= 0; `mode` must be one of
        ``MODES``; `epochs`, `batch_size` and `hidden` must be >= 1; `learning_rate`,
        `weight_range`, `max_work` and `max_bytes` must be > 0; the estimated size must not
        exceed `max_work` (:class:`~qtransport.errors.WorkLimitError`, a ValueError); the
        estimated size must not exceed `max_bytes` (:class:`~qtransport.errors.WorkLimitError`,
        a ValueError).
    TypeError
        If an argument has the wrong type: `learning_rate`, `weight_range`, `max_work`,
        `max_bytes`, `c2c_rel`, `d2d_rel`, `read_noise_rel` or
        `event_energy_J` are not real numbers; `seed`, `epochs`, `batch_size` or `hidden`
        are not integers; `stochastic_rounding` is not a bool.

    Examples
    --------
    >>> r = evaluate(None, seed=0, epochs=2)
    >>> 0.0 <= r.accuracy <= 1.0
    True
    """
    t0 = time.perf_counter()
    seed = check_int("seed", seed, low=0)
    check_choice("mode", mode, MODES)
    epochs = check_int("epochs", epochs, low=1)
    lr = check_real("learning_rate", learning_rate, low=0.0, low_open=True)
    batch = check_int("batch_size", batch_size, low=1)
    hidden = check_int("hidden", hidden, low=1)
    check_work("max_work", epochs * _N_TRAIN * 3.0 * (_N_IN + 1 + _N_CLASSES) * hidden,
               check_real("max_work", max_work, low=0.0, low_open=True), unit="multiply-adds",
               hint=f"epochs = {epochs} × hidden = {hidden} × {_N_TRAIN} training images",
               advice="pass a larger max_work= to network.evaluate if this is really intended")
    check_work("max_bytes", 8.0 * hidden * (10 * (_N_IN + 1 + _N_CLASSES) + _N_IMAGES),
               check_real("max_bytes", max_bytes, low=0.0, low_open=True), unit="bytes",
               hint=f"hidden = {hidden} units",
               advice="pass a larger max_bytes= to network.evaluate if this is really intended")
    scale = check_real("weight_range", weight_range, low=0.0, low_open=True)
    stochastic = check_bool("stochastic_rounding", stochastic_rounding)
    for name, v in (("c2c_rel", c2c_rel), ("d2d_rel", d2d_rel), ("read_noise_rel", read_noise_rel),
                    ("event_energy_J", event_energy_J)):
        if v is not None:
            check_real(name, v, low=0.0)
    device, c2c, d2d, read_noise, energy = _device_and_variation(
        device, c2c_rel, d2d_rel, read_noise_rel, event_energy_J)
    rng = np.random.default_rng(seed)
    xtr, ytr, xte, yte = _digits()
    if device is None:
        ws = _train_float(rng, hidden, epochs, lr, batch, progress)
        acc, tr_acc, pulses, levels = (_Net.accuracy(xte, yte, *ws), _Net.accuracy(xtr, ytr, *ws),
                                       0.0, 0)
    else:
        cfg = _Settings(hidden, epochs, lr, batch, scale, stochastic, c2c, d2d, read_noise,
                        progress)
        bars = (_in_situ if mode == "in_situ" else _ex_situ)(device, rng, cfg)
        acc = _Net.accuracy(xte, yte, *[b.weights() for b in bars])
        tr_acc = _Net.accuracy(xtr, ytr, *[b.weights() for b in bars])
        pulses, levels = sum(b.pulses for b in bars), int(bars[0].levels.size)
    ledger = EnergyLedger()
    ledger.add("write", pulses, 0.0 if energy is None else energy)
    total = math.nan if energy is None else ledger.total_J
    secs = time.perf_counter() - t0
    log.info("network %s seed %d: accuracy %.4f, %.3g pulses, %.2f s", mode, seed, acc, pulses,
             secs)
    return NetworkResult(acc, tr_acc, pulses, total, secs, mode if device is not None else
                         "float", seed, levels, ledger)


@dataclass(frozen=True)
class _Settings:
    hidden: int
    epochs: int
    lr: float
    batch: int
    scale: float
    stochastic: bool
    c2c: float
    d2d: float
    read_noise: float
    progress: bool | None = False


def _in_situ(device, rng, cfg: _Settings) -> list[_Crossbar]:
    xtr, ytr, _, _ = _digits()
    onehot = np.eye(_N_CLASSES)[ytr]
    w0 = _init_weights(rng, cfg.hidden)
    bars = [_Crossbar(device, w.shape, cfg.scale, rng, cfg) for w in w0]
    for bar, w in zip(bars, w0):
        bar.program(w)
    for _ in _epochs(cfg.epochs, cfg.progress):
        order = rng.permutation(xtr.shape[0])
        for b in range(0, order.size, cfg.batch):
            i = order[b:b + cfg.batch]
            grads = _Net.grads(xtr[i], onehot[i], *[bar.weights() for bar in bars])
            for bar, g in zip(bars, grads):
                bar.update(-cfg.lr * g, cfg.stochastic)
    return bars


def _ex_situ(device, rng, cfg: _Settings) -> list[_Crossbar]:
    ws = _train_float(rng, cfg.hidden, cfg.epochs, cfg.lr, cfg.batch, cfg.progress)
    bars = []
    for w in ws:
        s = float(min(np.abs(w).max(), 3.0 * w.std()))      # clipped scaling
        bar = _Crossbar(device, w.shape, s, rng, cfg, centred=False)
        bar.program(w)
        bars.append(bar)
    return bars
