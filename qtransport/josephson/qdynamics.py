"""Open-system dynamics of a transmon qubit with QuTiP ``mesolve``: relaxation and Rabi driving.

The qubit is the lowest two levels of the charge-basis transmon (:func:`.quantum.spectrum` gives
ω01). Operators are small, so they are stored explicitly **dense** (``Qobj.to("dense")``).

* Relaxation: H = (ω01/2) σ_z (lab frame, GHz·2π → rad/ns), collapse √γ₁ σ₋, start in |1⟩;
  exact P₁(t) = e^{−γ₁t}.
* Rabi (rotating frame, RWA): H = (Δ/2) σ_z + (Ω/2) σ_x, optional √γ₁ σ₋; exact without decay
  P₁ = Ω²/Ω'² sin²(Ω't/2), Ω' = √(Ω² + Δ²); on resonance with decay the Torrey solution
  P₁ = Ω²/(2Ω² + γ₁²) [1 − e^{−3γ₁t/4}(cos λt + (3γ₁/4λ) sin λt)], λ = √(Ω² − γ₁²/16)
  (Torrey, Phys. Rev. 76, 1059 (1949); valid for Ω > γ₁/4).

Times are in ns, rates in 1/ns, frequencies in GHz (angular: 2π·GHz).

Examples
--------
>>> import numpy as np
>>> from qtransport.josephson import qdynamics
>>> r = qdynamics.relaxation(ej_GHz=20.0, ec_GHz=0.3, t1_ns=100.0, times_ns=np.linspace(0, 300, 7))
>>> float(np.max(np.abs(r.population_excited - r.analytic_excited))) < 1e-6
True
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import check_array, check_increasing, check_int, check_real, check_work
from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .quantum import spectrum

__all__ = ["relaxation", "rabi", "rabi_analytic", "SOLVER_OPTIONS"]

#: tolerances an order of magnitude below the 1e-4 agreement the tests demand (adams, default)
SOLVER_OPTIONS = {"atol": 1e-10, "rtol": 1e-9, "nsteps": 100000}


def _ops():
    import qutip
    sm = qutip.destroy(2).to("dense")          # σ₋ = |0⟩⟨1| in the (|0⟩, |1⟩) basis
    sz = (2 * sm.dag() * sm - qutip.qeye(2)).to("dense")   # +1 on |1⟩
    sx = (sm + sm.dag()).to("dense")
    return qutip, sm, sz, sx


#: default most output times of one ``mesolve`` call (``max_times=``): 10^6 took over 20 s
MAX_TIMES = 10**5
#: largest Rabi frequency / |detuning| accepted, GHz (10 THz, far above any qubit drive)
MAX_DRIVE_GHZ = 1e4
#: shortest T1 accepted, ns (1 fs)
MIN_T1_NS = 1e-6


def _times(times_ns, max_times: int = MAX_TIMES) -> np.ndarray:
    t = check_increasing("times_ns", times_ns, low=0.0)
    check_work("max_times", t.size, check_int("max_times", max_times, low=1), unit="times")
    return t


@register("josephson.relaxation", summary="transmon T1 decay with mesolve vs exp(-t/T1)",
          params=[Param("ej_GHz", float, low=0.0, low_open=True), Param("ec_GHz", float, low=0.0,
                  low_open=True), Param("t1_ns", float, allow_inf=True, low=0.0, low_open=True),
                  Param("times_ns", "array", low=0.0), Param("ng", float, default=0.0)])
def relaxation(ej_GHz: float, ec_GHz: float, t1_ns: float, times_ns, ng: float = 0.0) -> Result:
    """Energy relaxation of the transmon's |1⟩ with a σ₋ collapse operator (``mesolve``).

    Parameters
    ----------
    ej_GHz : float
        Josephson energy E_J/h, GHz (≥ 0).
    ec_GHz : float
        Charging energy E_C/h, GHz (> 0).
    t1_ns : float
        Relaxation time T1, ns (> 0).
    times_ns : array_like
        Output times, ns.
    ng : float, optional
        Offset charge n_g, units of 2e.

    Returns
    -------
    Result
        ``times_ns``, ``population_excited`` (mesolve), ``analytic_excited`` (e^{−t/T1}),
        ``e01_GHz``.

    Raises
    ------
    ValueError
        If an argument is invalid: `t1_ns` must be >= 1e-06.
    TypeError
        If an argument has the wrong type: `t1_ns` is not a real number.

    Examples
    --------
    >>> r = relaxation(20.0, 0.25, 10.0, [0.0, 10.0])
    >>> r.kind
    'josephson.relaxation'
    """
    t = _times(times_ns)
    t1 = check_real("t1_ns", t1_ns, low=MIN_T1_NS)
    levels = spectrum(ej_GHz, ec_GHz, ng, 30, 2)
    qutip, sm, sz, _ = _ops()
    e01 = float(levels[1] - levels[0])
    ham = 0.5 * 2 * math.pi * e01 * sz
    psi1 = qutip.basis(2, 1).to("dense")
    res = qutip.mesolve(ham, psi1, t, c_ops=[math.sqrt(1 / t1) * sm],
                        e_ops=[sm.dag() * sm], options=SOLVER_OPTIONS)
    return Result("josephson.relaxation", {"ej_GHz": ej_GHz, "ec_GHz": ec_GHz, "t1_ns": t1,
                                           "ng": ng},
                  {"times_ns": t, "population_excited": np.real(res.expect[0]),
                   "analytic_excited": np.exp(-t / t1), "e01_GHz": np.float64(e01)})


def rabi_analytic(times_ns, rabi_GHz: float, detuning_GHz: float = 0.0,
                  t1_ns: float = math.inf) -> np.ndarray:
    """Exact excited-state population of a driven qubit (see module notes).

    Parameters
    ----------
    times_ns : array_like
        Times, ns (≥ 0).
    rabi_GHz : float
        Rabi frequency Ω/2π, GHz (> 0).
    detuning_GHz : float, optional
        Detuning Δ/2π, GHz (must be 0 with a finite ``t1_ns``).
    t1_ns : float, optional
        Relaxation time T1, ns (> 0; ``inf``: none).

    Returns
    -------
    numpy.ndarray
        Excited-state population P1(t), dimensionless, shape of ``times_ns``.

    Raises
    ------
    ValueError
        A nonzero detuning with finite T1, or Ω ≤ 1/(4 T1).

    Examples
    --------
    >>> [round(float(p), 6) for p in rabi_analytic([0.0, 0.5], 1.0)]
    [0.0, 1.0]
    """
    t = np.asarray(check_array("times_ns", times_ns, low=0.0), float).reshape(np.shape(times_ns))
    rabi_GHz = check_real("rabi_GHz", rabi_GHz, low=0.0, low_open=True, high=MAX_DRIVE_GHZ)
    detuning_GHz = check_real("detuning_GHz", detuning_GHz, low=-MAX_DRIVE_GHZ,
                              high=MAX_DRIVE_GHZ)
    t1_ns = check_real("t1_ns", t1_ns, low=MIN_T1_NS, allow_inf=True)
    om, de = 2 * math.pi * rabi_GHz, 2 * math.pi * detuning_GHz
    if math.isinf(t1_ns):
        gen = math.hypot(om, de)
        return (om / gen) ** 2 * np.sin(gen * t / 2) ** 2
    if de != 0.0:
        raise ValueError("the closed form with decay needs detuning_GHz = 0")
    g = 1.0 / t1_ns
    if om <= g / 4:
        raise ValueError(f"rabi_GHz must exceed 1/(8π t1_ns) = {g / 4 / (2 * math.pi)} for the "
                         f"underdamped closed form, got {rabi_GHz}")
    lam = math.sqrt(om**2 - g**2 / 16)
    return om**2 / (2 * om**2 + g**2) * (1 - np.exp(-0.75 * g * t) * (
        np.cos(lam * t) + 0.75 * g / lam * np.sin(lam * t)))


@register("josephson.rabi", summary="driven Rabi oscillations (RWA) with mesolve vs exact forms",
          params=[Param("rabi_GHz", float, low=0.0, low_open=True),
                  Param("times_ns", "array", low=0.0),
                  Param("detuning_GHz", float, default=0.0),
                  Param("t1_ns", float, allow_inf=True, default=math.inf, low=0.0, low_open=True)])
def rabi(rabi_GHz: float, times_ns, detuning_GHz: float = 0.0,
         t1_ns: float = math.inf) -> Result:
    """Rabi oscillations of a qubit driven at Rabi frequency Ω/2π (rotating frame, ``mesolve``).

    Parameters
    ----------
    rabi_GHz : float
        Rabi frequency Ω/2π, GHz (> 0).
    times_ns : array_like
        Output times, ns (≥ 0).
    detuning_GHz : float, optional
        Drive detuning Δ/2π, GHz.
    t1_ns : float, optional
        Relaxation time T1, ns (> 0; ``inf``: none). With finite T1, Ω must exceed 1/(4 T1).

    Returns
    -------
    Result
        ``times_ns``, ``population_excited`` (mesolve), ``analytic_excited``.

    Raises
    ------
    ValueError
        A finite ``t1_ns`` with Ω ≤ 1/(4 T1) (overdamped: no closed form), or a bad value.

    Examples
    --------
    >>> r = rabi(0.05, [0.0, 10.0])
    >>> r.kind
    'josephson.rabi'
    """
    t = _times(times_ns)
    om = 2 * math.pi * check_real("rabi_GHz", rabi_GHz, low=0.0, low_open=True,
                                  high=MAX_DRIVE_GHZ)
    de = 2 * math.pi * check_real("detuning_GHz", detuning_GHz, low=-MAX_DRIVE_GHZ,
                                  high=MAX_DRIVE_GHZ)
    t1 = check_real("t1_ns", t1_ns, low=MIN_T1_NS, allow_inf=True)
    if not math.isinf(t1) and om <= 0.25 / t1:
        raise ValueError(f"rabi_GHz must exceed 1/(8π t1_ns) = {0.25 / t1 / (2 * math.pi)} for "
                         f"the underdamped closed form, got {rabi_GHz}")
    qutip, sm, sz, sx = _ops()
    c_ops = [] if math.isinf(t1) else [math.sqrt(1 / t1) * sm]
    res = qutip.mesolve(0.5 * de * sz + 0.5 * om * sx, qutip.basis(2, 0).to("dense"), t,
                        c_ops=c_ops, e_ops=[sm.dag() * sm], options=SOLVER_OPTIONS)
    return Result("josephson.rabi", {"rabi_GHz": rabi_GHz, "detuning_GHz": detuning_GHz,
                                     "t1_ns": t1},
                  {"times_ns": t, "population_excited": np.real(res.expect[0]),
                   "analytic_excited": rabi_analytic(t, rabi_GHz, detuning_GHz, t1)})


for _kind in ("josephson.relaxation", "josephson.rabi"):
    _declare(_kind, coords=("times_ns",), y=("population_excited", "analytic_excited"),
             labels={"analytic_excited": r"analytic $P_1$"})
