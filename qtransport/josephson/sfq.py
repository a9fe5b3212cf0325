"""SFQ neuron: a junction in an rf-SQUID-type loop with a leaky inductor that fires flux quanta.

Circuit: bias I_b plus synaptic input I_in feed a node; to ground run the RCSJ junction (I_c, R,
C) and, in parallel, an inductor L in series with a leak resistor R_L. Reduced equations
(τ = ω_c t, j = I_L/I_c, β_L = 2πLI_c/Φ0, ρ = R_L/R):

    β_c φ̈ + φ̇ + sin φ + j = i_b + i_in,      β_L dj/dτ = φ̇ − ρ j.

Below threshold (i_b + i_in < 1) the phase sits in its well and the input is integrated on the
junction capacitance and the loop; past it the junction fires 2π phase slips — SFQ pulses of area
Φ0 — each of which pushes a flux quantum into the loop (j jumps by 2π/β_L), lowering the junction
current (refractoriness) until it leaks out through R_L with time L/R_L. At steady firing rate
r, ⟨V⟩ = Φ0 r and ⟨I_L⟩ = Φ0 r/R_L, so the rate grows from zero at threshold and approaches
(I_b + I_in) R_L R/((R + R_L) Φ0)-like linear growth at strong drive. The circuit is symmetric
under φ → −φ, j → −j, I → −I: a negative total drive fires the mirror train of backward slips
(pulses of area −Φ0), counted as negative spikes and rates by the one slip rule of :mod:`.slips`.

Examples
--------
>>> import numpy as np
>>> from qtransport.josephson import sfq
>>> r = sfq.firing_rate(np.array([0.0, 30e-6]), duration_s=200e-12)
>>> bool(r.rate_Hz[0] == 0.0), bool(r.rate_Hz[1] > 1e10)
(True, True)
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from ..constants import PHI0
from ..errors import check_array, check_int, check_real
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .integrator import MAX_STEPS, check_steps, TWO_PI, Problem, integrate, time_step
from .junction import Junction
from .slips import crossing_rate

#: fewest steps per shortest period accepted: an explicit fixed-step scheme goes unstable below
#: about pi steps per oscillation period (h*omega > 2), so 4 is the smallest safe integer
_MIN_STEPS_PER_PERIOD = 4

__all__ = ["SFQNeuron", "firing_rate", "spike_train"]


@dataclasses.dataclass(frozen=True)
class SFQNeuron:
    """Circuit parameters (SI). Default: a 32 µA Nb/AlOx junction as in Schneider et al., Sci.
    Rep. 10, 934 (2020), critically damped (β_c = 1), biased at 0.7 I_c.

    Parameters
    ----------
    junction : Junction, optional
        The neuron's junction (I_c A, C F, R Ω).
    bias_A : float, optional
        Bias current I_b, A.
    loop_inductance_H : float, optional
        Loop inductance L, H (> 0).
    leak_resistance_ohm : float, optional
        Leak resistance of the loop R_L, Ω (> 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_A` must be finite; `loop_inductance_H` and
        `leak_resistance_ohm` must be > 0.
    TypeError
        If an argument has the wrong type: `bias_A`, `loop_inductance_H` or
        `leak_resistance_ohm` are not real numbers; junction must be a Junction.

    Examples
    --------
    The default neuron needs I_c − I_b = 0.3 × 32 µA of input to fire; its loop holds about
    two flux quanta of current (β_L = 2πLI_c/Φ0):

    >>> n = SFQNeuron()
    >>> round(n.threshold_input_A * 1e6, 6)                 # µA
    9.6
    >>> round(n.loop_beta, 2)
    1.94
    """

    junction: Junction = Junction(32e-6, 0.5e-12, 4.54)
    bias_A: float = 0.7 * 32e-6
    loop_inductance_H: float = 20e-12
    leak_resistance_ohm: float = 2.0

    def __post_init__(self):
        if not isinstance(self.junction, Junction):
            raise TypeError(f"junction must be a Junction, got {self.junction!r}")
        check_real("bias_A", self.bias_A)
        check_real("loop_inductance_H", self.loop_inductance_H, low=0.0, low_open=True)
        check_real("leak_resistance_ohm", self.leak_resistance_ohm, low=0.0, low_open=True)

    @property
    def loop_beta(self) -> float:
        """β_L = 2π L I_c / Φ0."""
        return TWO_PI * self.loop_inductance_H * self.junction.critical_current_A / PHI0

    @property
    def threshold_input_A(self) -> float:
        """DC input at which firing starts, I_c − I_b, A."""
        return self.junction.critical_current_A - self.bias_A


def _problem(neuron: SFQNeuron, input_A: np.ndarray) -> Problem:
    j = neuron.junction
    i = (neuron.bias_A + input_A) / j.critical_current_A
    return Problem(shape=input_A.shape, mass=j.stewart_mccumber, bias=i,
                   phase0=np.arcsin(np.clip(neuron.bias_A / j.critical_current_A, -1, 1)),
                   loop_beta=neuron.loop_beta,
                   loop_ratio=neuron.leak_resistance_ohm / j.resistance_ohm)


@register("josephson.sfq_firing_rate", summary="SFQ neuron firing rate and energy per spike vs input",
          params=[Param("input_A", "array", doc="DC synaptic input currents"),
                  Param("duration_s", float, default=1e-9, low=0.0, low_open=True),
                  Param("settle_s", float, default=100e-12, low=0.0),
                  Param("steps_per_period", int, low=_MIN_STEPS_PER_PERIOD,
                        doc="integration steps per shortest dynamical period"),
                  Param("max_steps", int, low=1,
                        doc="refuse runs of more time steps than this (raise for long runs)")],
          python_only=("neuron",))
def firing_rate(input_A, duration_s: float = 1e-9, settle_s: float = 100e-12, *,
                neuron: SFQNeuron | None = None, steps_per_period: int = 40,
                max_steps: int = MAX_STEPS) -> Result:
    """Steady firing rate and dissipated energy per spike for DC inputs (one integration).

    A run of more than ``max_steps`` time steps is refused up front (``WorkLimitError``).

    Parameters
    ----------
    input_A : array_like
        DC synaptic input currents, A.
    duration_s : float, optional
        Averaging window after settling, s (> 0).
    settle_s : float, optional
        Settling time, s (≥ 0).
    neuron : SFQNeuron, optional
        The circuit (default :class:`SFQNeuron`).
    steps_per_period : int, optional
        Integration steps per shortest dynamical period (≥ 4).
    max_steps : int, optional
        Refuse runs of more time steps (``WorkLimitError``).

    Returns
    -------
    Result
        ``input_A``, ``rate_Hz`` (2π slips per second after settling: whole slip periods
        between the first and last crossing on a regular train, else the count per window;
        negative when the drive I_b + I_in is negative and the phase slips backwards),
        ``spikes`` (net slips, forward minus backward: round(Δφ/2π) over the window),
        ``energy_per_spike_J`` (shunt + leak dissipation / |spikes|, > 0 either way; NaN without
        spikes), ``threshold_input_A``; ``attrs["rate_window_error_Hz"]`` = the largest change
        of the rate between the first half of the window and the whole window (its
        convergence check; at least one spike per half window, 1/(duration_s/2), for a firing
        point with fewer than 3 crossings in either, whose rate is then a plain count).

    Raises
    ------
    ValueError
        If an argument is invalid: `input_A` must be a 1-D array of finite numbers;
        `steps_per_period` must be >= 4; `settle_s` must be >= 0; `duration_s` must be > 0.
    TypeError
        If an argument has the wrong type: `settle_s` or `duration_s` are not real numbers;
        `steps_per_period` is not an integer; `input_A` is not an array of real numbers.

    Notes
    -----
    Energy per spike from ∫(V²/R + I_L²R_L)dt accumulated by the integrator (trapezoid rule).

    Examples
    --------
    Silent below the threshold input (9.6 µA), firing faster with stronger drive above it;
    each spike dissipates about the (I_b + I_in) Φ0 that the source delivers per flux quantum:

    >>> import numpy as np
    >>> from qtransport.constants import PHI0
    >>> n = SFQNeuron()
    >>> r = firing_rate(np.array([5e-6, 15e-6, 30e-6]), duration_s=200e-12, neuron=n)
    >>> bool(r.rate_Hz[0] == 0.0 and 0 < r.rate_Hz[1] < r.rate_Hz[2])
    True
    >>> ratio = r.energy_per_spike_J[1:] / ((n.bias_A + r.input_A[1:]) * PHI0)
    >>> bool(np.all(abs(ratio - 1) < 0.1))
    True

    Without bias the circuit is odd under I → −I: the mirror drive fires backward slips at the
    opposite rate:

    >>> m = firing_rate(np.array([-40e-6, 40e-6]), duration_s=200e-12,
    ...                 neuron=SFQNeuron(bias_A=0.0))
    >>> bool(m.rate_Hz[1] > 0 and abs(m.rate_Hz[0] + m.rate_Hz[1]) < 1e-9 * m.rate_Hz[1])
    True
    """
    nrn = _neuron(neuron)
    inp = check_array("input_A", input_A, ndim=1)
    steps_per_period = check_int("steps_per_period", steps_per_period, low=_MIN_STEPS_PER_PERIOD)
    prob = _problem(nrn, inp)
    wc = nrn.junction.characteristic_angular_frequency
    imax = float(np.max(np.abs(prob.bias)))
    h = min(time_step(prob.mass, bias_max=imax, steps_per_period=steps_per_period),
            TWO_PI * nrn.loop_beta / prob.loop_ratio / steps_per_period)
    settle = check_real("settle_s", settle_s, low=0.0)
    dur = check_real("duration_s", duration_s, low=0.0, low_open=True)
    check_steps(min((settle + dur) * wc / h, 1e300), max_steps, nrn.junction,
                f"settle_s + duration_s = {settle + dur:g} s at a step of {h / wc:.3g} s")
    n_settle = round(settle * wc / h)
    n_run = max(1, round(dur * wc / h))
    half = n_settle + n_run // 2
    out = integrate(prob, h, n_settle + n_run, settle_steps=n_settle, energy=True,
                    checkpoint_steps=half if n_run >= 4 else 0)
    spikes = np.round((out["phase"] - out["phase_settled"]) / TWO_PI).astype(int)
    window = (out["tau_end"] - out["tau_settled"]) / wc
    rate, regular = _rate(out, "cross_", spikes / window, wc)
    if "phase_checkpoint" in out:    # window check: the rate over the first half of the window
        n_half = np.round((out["phase_checkpoint"] - out["phase_settled"]) / TWO_PI)
        w_half = (out["tau_checkpoint"] - out["tau_settled"]) / wc
        rate_half, regular_half = _rate(out, "checkpoint_cross_", n_half / w_half, wc)
        # a firing point with fewer than 3 crossings in either window is a plain count: its
        # error is the ±1 spike of that count over the half window, not the (then often 0)
        # difference (2 spikes in 200 ps: "8 Hz" for a 13 % error); silent points stay 0
        few = ~(regular & regular_half) & (spikes != 0)
        diff = np.where(few, np.maximum(np.abs(rate - rate_half), 1.0 / w_half),
                        np.abs(rate - rate_half))
        window_err = float(np.max(diff, initial=0.0))
    else:
        window_err = float("nan")
    energy = out["energy"] * nrn.junction.josephson_energy_J
    n_abs = np.abs(spikes)
    per_spike = np.where(n_abs > 0, energy / np.maximum(n_abs, 1), np.nan)
    return Result("josephson.sfq_firing_rate", {"duration_s": duration_s, "settle_s": settle_s,
                                                **_params(nrn)},
                  {"input_A": inp, "rate_Hz": rate, "spikes": spikes,
                   "energy_per_spike_J": per_spike,
                   "threshold_input_A": np.float64(nrn.threshold_input_A)},
                  {"rate_window_error_Hz": window_err})


def _rate(out: dict, prefix: str, fallback: np.ndarray, wc: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """Signed firing rate from whole 2π-slip periods (first to last Hermite-interpolated
    crossing) on regular spike trains, forward or backward — no partial-cycle error — else the
    plain net count per window; and whether each point was regular."""
    rate, regular = crossing_rate(out, prefix, wc)
    return np.where(regular, rate, fallback), np.broadcast_to(regular, np.shape(rate))


def _params(nrn: SFQNeuron) -> dict:
    j = nrn.junction
    return {"critical_current_A": j.critical_current_A, "capacitance_F": j.capacitance_F,
            "resistance_ohm": j.resistance_ohm, "bias_A": nrn.bias_A,
            "loop_inductance_H": nrn.loop_inductance_H,
            "leak_resistance_ohm": nrn.leak_resistance_ohm}


def _neuron(neuron) -> SFQNeuron:
    if neuron is None:
        return SFQNeuron()
    if not isinstance(neuron, SFQNeuron):
        raise TypeError(f"neuron must be an SFQNeuron or None, got {neuron!r}")
    return neuron


def spike_train(input_A: float, duration_s: float = 500e-12, *, neuron: SFQNeuron | None = None,
                steps_per_period: int = 40, max_steps: int = MAX_STEPS) -> Result:
    """Time trace of the neuron for one DC input (for figures and pulse-area checks).

    Parameters
    ----------
    input_A : float
        DC synaptic input current, A (one trace; use :func:`firing_rate` for many inputs).
    duration_s : float
        Simulated time, s (> 0).
    max_steps : int
        Refuse (``WorkLimitError``) a trace of more than this many time steps.
    neuron : SFQNeuron, optional
        The circuit (default :class:`SFQNeuron`).
    steps_per_period : int, optional
        Integration steps per shortest dynamical period (≥ 4).

    Returns
    -------
    Result
        ``time_s``, ``phase``, ``voltage_V`` (the loop current is not recorded; see
        :func:`firing_rate` for energies).

    Raises
    ------
    ValueError
        If an argument is invalid: `duration_s` must be > 0; `steps_per_period` must be >= 4;
        `input_A` must be finite.
    TypeError
        If an argument has the wrong type: `duration_s` or `input_A` are not real numbers;
        `steps_per_period` is not an integer.

    Examples
    --------
    Every complete SFQ pulse of the trace carries one flux quantum, ∫V dt = Φ0 (Wb):

    >>> import numpy as np
    >>> from qtransport.constants import PHI0
    >>> from qtransport.josephson.slips import phase_slips
    >>> n = SFQNeuron()
    >>> tr = spike_train(20e-6, 200e-12, neuron=n)
    >>> s = phase_slips(tr.time_s, tr.phase, tr.voltage_V,
    ...                 resistance_ohm=n.junction.resistance_ohm)
    >>> bool(s.attrs["count"] >= 2 and np.allclose(s.area_Wb[1:] / PHI0, 1.0, atol=1e-4))
    True
    """
    nrn = _neuron(neuron)
    prob = _problem(nrn, np.array([check_real("input_A", input_A)]))
    wc = nrn.junction.characteristic_angular_frequency
    h = time_step(prob.mass, bias_max=float(np.max(np.abs(prob.bias))),
                  steps_per_period=check_int("steps_per_period", steps_per_period, low=4))
    dur = check_real("duration_s", duration_s, low=0.0, low_open=True)
    n = check_steps(max(1, math.ceil(min(dur * wc / h, 1e300))), max_steps, nrn.junction,
                    f"duration_s = {dur:g} at a step of {h / wc:.3g} s")
    out = integrate(prob, h, n, record_every=1)
    return Result("josephson.sfq_spike_train", {"input_A": float(input_A), **_params(nrn)},
                  {"time_s": out["rec_tau"] / wc, "phase": out["rec_phase"][:, 0],
                   "voltage_V": out["rec_velocity"][:, 0] * nrn.junction.characteristic_voltage_V})


_declare("josephson.sfq_firing_rate", coords=("input_A",), y=("rate_Hz",),
         labels={"input_A": r"Input current $I$ (A)", "rate_Hz": r"Firing rate $f$ (Hz)"})
_declare("josephson.sfq_spike_train", coords=("time_s",), y=("voltage_V",))
