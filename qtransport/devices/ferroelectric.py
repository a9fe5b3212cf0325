"""Ferroelectric synapses: HfZrOx FeFET on InGaZnO and HfZrOx tunnel junction (FTJ).

Both families program a multi-domain HZO film with the NLS/Merz model of
:mod:`qtransport.ferroelectric.switching` (history carried between pulses) and read it through
their own physics: the FeFET through the self-consistent gate-stack charge balance and the TFT
channel (:mod:`qtransport.ferroelectric.fefet`), the FTJ through the Thomas–Fermi barrier and the
Tsu–Esaki current of :mod:`qtransport.ferroelectric.ftj` (G = q G(+P_r) + (1 − q) G(−P_r)).

Variation: device-to-device = independent draws of the activation fields (one row per device);
cycle-to-cycle = repeated LTP/LTD cycles of device 0 with fresh random nucleation (stochastic
regions). Write time = pulse width; energy per event = C A V² + |ΔP| A |V| averaged over the
recorded pulses; retention is not modelled (``inf``: no depolarization relaxation).

Write field: the film sees E = (V − V_off)/t during a pulse of V. For the FTJ V_off = 0; for the
FeFET V_off = V_FB, its flat-band voltage (channel tied to the grounded source and drain;
:mod:`qtransport.ferroelectric.fefet`).

Default pulse trains (derived from the switching parameters, not fitted to any synapse data):
identical pulses at the field whose Merz time for the median region equals the whole train,
E = E_a/[ln(n t_p/τ0)]^{1/α}; incremental pulses from E_a e^{−2σ} to E_a e^{+2σ} over the train
(at Merz time t_p), i.e. across ±2σ of the activation-field distribution. The pulses are
V = V_off ± E t, so the film sees ±E. A given ``amplitude_V`` (and ``step_V``) is instead the
pulse voltage itself: ±amplitude_V, seen by the film as (±amplitude_V − V_off)/t.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..constants import eps0, nm
from ..errors import check_choice, check_int, check_real
from ..errors import MAX_TEMPERATURE_K
from ..ferroelectric import switching as sw
from ..ferroelectric.fefet import hzo_igzo_stack
from ..ferroelectric.ftj import hzo_ftj
from ..results import Result
from .base import DeviceFamily, register_family
from .record import nonvolatile_response

__all__ = ["FeFETSynapse", "FTJSynapse", "program_cycles", "default_amplitudes"]

SCHEMES = ("identical", "incremental")


def default_amplitudes(params: sw.SwitchingParameters, thickness_nm: float, scheme: str,
                       n_pulses: int, width_s: float) -> tuple[float, float]:
    """(first amplitude V, step V) of the default train for a film of ``thickness_nm``.

    Parameters
    ----------
    params : SwitchingParameters
        Film switching parameters.
    thickness_nm : float
        Film thickness, nm.
    scheme : {"identical", "incremental"}
        Train type.
    n_pulses : int
        Pulses per train.
    width_s : float
        Pulse width, s.

    Returns
    -------
    amplitude_V : float
        First (or every) amplitude, V.
    step_V : float
        Increment per pulse, V (0 for identical pulses).
    """
    d = thickness_nm * nm
    if scheme == "identical":
        return float(sw.merz_field(params, n_pulses * width_s) * d), 0.0
    e_pulse = sw.merz_field(params, width_s)
    lo, hi = e_pulse * math.exp(-2 * params.spread_ln), e_pulse * math.exp(2 * params.spread_ln)
    return float(lo * d), float((hi - lo) * d / max(n_pulses - 1, 1))


def program_cycles(film: sw.NLSFilm, ltp_V: np.ndarray, ltd_V: np.ndarray, thickness_nm: float,
                   width_s: float, n_cycles: int,
                   offset_V: float = 0.0) -> dict[str, np.ndarray]:
    """Run ``n_cycles`` LTP/LTD cycles; return P after every pulse of every cycle.

    Returns ``ltp``/``ltd`` of shape (n_cycles, n_pulses + 1, n_devices) in C/m², the first
    column being the state before the train.

    Parameters
    ----------
    film : NLSFilm
        The film (its state advances).
    ltp_V : numpy.ndarray
        Potentiation pulse voltages, V.
    ltd_V : numpy.ndarray
        Depression pulse voltages, V.
    thickness_nm : float
        Film thickness t, nm.
    width_s : float
        Pulse width, s.
    n_cycles : int
        Number of LTP/LTD cycles.
    offset_V : float, optional
        Voltage at which the film sees no field (FeFET: V_FB); the field is (V − offset_V)/t.

    Returns
    -------
    dict of str to numpy.ndarray
        ``ltp`` and ``ltd`` polarizations, C/m².
    """
    d = thickness_nm * nm
    out = {"ltp": [], "ltd": []}
    for _ in range(n_cycles):
        for key, train in (("ltp", ltp_V), ("ltd", ltd_V)):
            rows = [film.polarization()]
            for v in train:
                rows.append(film.apply((float(v) - offset_V) / d, width_s))
            out[key].append(np.array(rows))
    return {k: np.array(v) for k, v in out.items()}


def _energy(P_ltp: np.ndarray, P_ltd: np.ndarray, ltp_V, ltd_V, cap_F: float,
            area_m2: float) -> float:
    """Mean C A V² + |ΔP| A |V| over the recorded pulses (C = capacitance per area)."""
    dp = np.concatenate([np.abs(np.diff(P_ltp, axis=0)).mean(axis=1),
                         np.abs(np.diff(P_ltd, axis=0)).mean(axis=1)])
    v = np.abs(np.concatenate([ltp_V, ltd_V]))
    return float(np.mean(cap_F * area_m2 * v**2 + dp * area_m2 * v))


class _FerroelectricFamily(DeviceFamily):
    """Shared pulse/variation machinery of the two HZO families."""

    thickness_key = "fe_thickness_nm"

    @classmethod
    def _common_defaults(cls) -> dict[str, Any]:
        return {"scheme": "identical", "n_pulses": 32, "pulse_width_s": 1e-7,
                "amplitude_V": None, "step_V": None, "n_domains": None, "n_devices": 5,
                "n_cycles": 8, "conditioning_cycles": 2, "read_noise_rel": 0.01,
                "width_um": 1.0, "length_um": 1.0}

    def validate(self, params: dict[str, Any]) -> dict[str, Any]:
        p = dict(params)
        check_choice("scheme", p["scheme"], SCHEMES)
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=2)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        p["n_cycles"] = check_int("n_cycles", p["n_cycles"], low=2)
        p["conditioning_cycles"] = check_int("conditioning_cycles", p["conditioning_cycles"],
                                             low=0)
        for k in ("pulse_width_s", "width_um", "length_um", self.thickness_key):
            p[k] = check_real(k, p[k], low=0.0, low_open=True)
        p["read_noise_rel"] = check_real("read_noise_rel", p["read_noise_rel"], low=0.0)
        if p["amplitude_V"] is not None:
            p["amplitude_V"] = check_real("amplitude_V", p["amplitude_V"], low=0.0,
                                          low_open=True)
        if p["step_V"] is not None:
            p["step_V"] = check_real("step_V", p["step_V"], low=0.0)
        if p["n_domains"] is not None:
            p["n_domains"] = check_int("n_domains", p["n_domains"], low=1)
        if self._derives_train(p):
            # the derived train's Merz field needs a Merz time above τ0 (module notes)
            tau0 = self.switching().tau0_s
            n = p["n_pulses"] if p["scheme"] == "identical" else 1
            if n * p["pulse_width_s"] <= tau0:
                what = (f"n_pulses * pulse_width_s > tau0 = {tau0:g} s" if n > 1
                        else f"pulse_width_s > tau0 = {tau0:g} s")
                raise ValueError(f"pulse_width_s must be > {tau0 / n:g} s for the derived "
                                 f"{p['scheme']} train ({what}; or give amplitude_V and "
                                 f"step_V), got {p['pulse_width_s']:g}")
        return p

    @staticmethod
    def _derives_train(p: dict[str, Any]) -> bool:
        """Whether the pulse train needs :func:`default_amplitudes` (an amplitude or step not
        given)."""
        return p["amplitude_V"] is None or (p["scheme"] == "incremental" and p["step_V"] is None)

    # -- pieces used by response() ----------------------------------------------------------
    def switching(self) -> sw.SwitchingParameters:
        return sw.hzo_switching()

    def n_domains(self) -> int:
        """Regions per device: given, or device area / grain area."""
        from .. import materials
        if self.params["n_domains"] is not None:
            return self.params["n_domains"]
        grain = materials.get("HZO").grain_size_nm * 1e-3
        return max(1, round(self.params["width_um"] * self.params["length_um"] / grain**2))

    def write_offset_V(self) -> float:
        """Pulse voltage at which the film sees no field, V (0 here; the FeFET's V_FB)."""
        return 0.0

    def trains(self, sp: sw.SwitchingParameters) -> tuple[np.ndarray, np.ndarray]:
        """LTP and LTD pulse voltages, V (module notes: defaults V_off ± E t, or ±amplitude_V)."""
        p = self.params
        amp, step = default_amplitudes(sp, p[self.thickness_key], p["scheme"], p["n_pulses"],
                                       p["pulse_width_s"]) if self._derives_train(p) else (0, 0)
        given = p["amplitude_V"] is not None
        amp = p["amplitude_V"] if given else amp
        step = step if p["step_V"] is None else p["step_V"]
        ltp = sw.pulse_train_fields(p["scheme"], p["n_pulses"], amp, step)
        offset = 0.0 if given else self.write_offset_V()
        return offset + ltp, offset - ltp

    def simulate(self, seed: int) -> dict[str, Any]:
        """P curves of the ensemble (rows = devices) and of the cycles of device 0."""
        p = self.params
        sp = self.switching()
        ltp_V, ltd_V = self.trains(sp)
        nd, n_dom = p["n_devices"], self.n_domains()
        seeds = np.random.SeedSequence(seed).spawn(3)
        Ea = sw.activation_fields(sp, n_dom, nd, np.random.default_rng(seeds[0]))
        t = p[self.thickness_key]
        ens = sw.NLSFilm(sp, Ea, 0.0, np.random.default_rng(seeds[1]))
        offset = self.write_offset_V()
        run = program_cycles(ens, ltp_V, ltd_V, t, p["pulse_width_s"],
                             p["conditioning_cycles"] + 1, offset)
        single = sw.NLSFilm(sp, Ea[:1], 0.0, np.random.default_rng(seeds[2]))
        cyc = program_cycles(single, ltp_V, ltd_V, t, p["pulse_width_s"],
                             p["conditioning_cycles"] + p["n_cycles"], offset)
        k = p["conditioning_cycles"]
        return {"switching": sp, "ltp_V": ltp_V, "ltd_V": ltd_V, "n_domains": n_dom,
                "P_ltp": run["ltp"][k], "P_ltd": run["ltd"][k],          # (n_pulses+1, nd)
                "P_cycles": cyc["ltp"][k:, :, 0]}                          # (n_cycles, n+1)

    def _record(self, sim: dict, weights, energy: float, description: str,
                extra: dict) -> Result:
        g_ltp, g_ltd, g_cyc = weights
        rec = nonvolatile_response(self.name, self.params, weight_ltp=g_ltp, weight_ltd=g_ltd,
                                   cycle_ltp=g_cyc, event_energy_J=energy,
                                   description=description)
        rec.data.update({"polarization_ltp_C_per_m2": sim["P_ltp"].T,
                         "polarization_ltd_C_per_m2": sim["P_ltd"].T,
                         "pulse_ltp_V": sim["ltp_V"], "pulse_ltd_V": sim["ltd_V"],
                         "n_domains": np.int64(sim["n_domains"]), **extra})
        return rec


@register_family
class FeFETSynapse(_FerroelectricFamily):
    """TiN | HZO | a-IGZO ferroelectric thin-film transistor (channel conductance = weight).

    Parameters
    ----------
    scheme : {"identical", "incremental"}
        Pulse train type.
    n_pulses : int
        Pulses per LTP/LTD branch (≥ 2).
    pulse_width_s : float
        Pulse width = write time, s (> 0).
    amplitude_V : float or None
        First (or every) pulse amplitude, V (> 0; ``None``: derived, see module notes).
    step_V : float or None
        Increment of an incremental train, V (≥ 0; ``None``: derived).
    n_domains : int or None
        Switching regions per device (≥ 1; ``None``: device area / grain area).
    n_devices : int
        Devices (activation-field draws, ≥ 1).
    n_cycles : int
        Recorded LTP/LTD cycles of device 0 (≥ 2).
    conditioning_cycles : int
        Cycles run before recording (≥ 0).
    read_noise_rel : float
        Relative read noise written into the record (≥ 0).
    width_um, length_um : float
        Device width and length, µm (> 0).
    fe_thickness_nm : float
        HZO thickness, nm (> 0).
    read_gate_V : float
        Gate voltage of the read, V.
    drain_V : float
        Read drain bias, V (> 0).
    off_current_A : float
        Off-state current floor, A (≥ 0).

    Examples
    --------
    >>> FeFETSynapse().name
    'fefet'
    """

    name = "fefet"
    summary = "HfZrOx FeFET on InGaZnO: NLS polarization switching read through the TFT channel"

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        return {**cls._common_defaults(), "fe_thickness_nm": 10.0, "read_gate_V": 0.5,
                "drain_V": 0.1, "off_current_A": 1e-12}

    def validate(self, params):
        p = super().validate(params)
        p["read_gate_V"] = check_real("read_gate_V", p["read_gate_V"])
        p["drain_V"] = check_real("drain_V", p["drain_V"], low=0.0, low_open=True)
        p["off_current_A"] = check_real("off_current_A", p["off_current_A"], low=0.0)
        return p

    def stack(self):
        """The :class:`~qtransport.ferroelectric.fefet.FeFETStack` of these parameters.

        Returns
        -------
        FeFETStack
            TiN | HZO | a-IGZO stack.

        Examples
        --------
        >>> FeFETSynapse(fe_thickness_nm=8.0).stack().fe_thickness_nm
        8.0
        """
        p = self.params
        return hzo_igzo_stack(p["fe_thickness_nm"], width_um=p["width_um"],
                              length_um=p["length_um"], drain_V=p["drain_V"],
                              off_current_A=p["off_current_A"])

    def write_offset_V(self) -> float:
        """The stack's flat-band voltage V_FB, V: a write pulse V_G gives E = (V_G − V_FB)/t_FE.

        Returns
        -------
        float
            V_FB, V.

        Examples
        --------
        >>> round(FeFETSynapse().write_offset_V(), 6)          # W(TiN) − χ(a-IGZO)
        0.3
        """
        return float(self.stack().flatband_V)

    def response(self, *, seed: int = 0) -> Result:
        """Channel conductance at ``read_gate_V`` after each pulse (see module notes).

        Parameters
        ----------
        seed : int, optional
            Seed of the activation fields and nucleation draws.

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S) with the polarization curves (C/m²) and pulse
            voltages (V).
        """
        sim = self.simulate(seed)
        st = self.stack()
        vr = self.params["read_gate_V"]
        g = tuple(st.conductance(vr, P) for P in (sim["P_ltp"].T, sim["P_ltd"].T,
                                                  sim["P_cycles"]))
        energy = _energy(sim["P_ltp"], sim["P_ltd"], sim["ltp_V"], sim["ltd_V"],
                         st.capacitance_F_per_m2, st.area_m2)
        pr = sim["switching"].remanent_polarization_C_per_m2
        extra = {"threshold_ltp_V": st.threshold_voltage(sim["P_ltp"].T),
                 "threshold_ltd_V": st.threshold_voltage(sim["P_ltd"].T),
                 "ideal_memory_window_V": np.float64(2 * pr / st.capacitance_F_per_m2)}
        return self._record(sim, g, energy,
                            f"HZO FeFET on a-IGZO ({self.params['scheme']} pulses): channel "
                            f"conductance at V_G = {vr} V; rows = devices (activation-field "
                            "draws)", extra)


@register_family
class FTJSynapse(_FerroelectricFamily):
    """TiN | HZO | n+ Si ferroelectric tunnel junction (junction conductance = weight).

    Parameters
    ----------
    scheme : {"identical", "incremental"}
        Pulse train type.
    n_pulses : int
        Pulses per LTP/LTD branch (≥ 2).
    pulse_width_s : float
        Pulse width = write time, s (> 0).
    amplitude_V : float or None
        First (or every) pulse amplitude, V (> 0; ``None``: derived, see module notes).
    step_V : float or None
        Increment of an incremental train, V (≥ 0; ``None``: derived).
    n_domains : int or None
        Switching regions per device (≥ 1; ``None``: device area / grain area).
    n_devices : int
        Devices (activation-field draws, ≥ 1).
    n_cycles : int
        Recorded LTP/LTD cycles of device 0 (≥ 2).
    conditioning_cycles : int
        Cycles run before recording (≥ 0).
    read_noise_rel : float
        Relative read noise written into the record (≥ 0).
    width_um, length_um : float
        Device width and length, µm (> 0).
    barrier_thickness_nm : float
        HZO barrier thickness, nm (> 0).
    left : str
        Electrode 1 material.
    right : str
        Electrode 2 material.
    read_bias_V : float
        Read bias, V (> 0).
    temperature_K : float
        Temperature, K (≥ 0).

    Examples
    --------
    >>> syn = FTJSynapse(barrier_thickness_nm=2.5)
    >>> syn.params['barrier_thickness_nm']
    2.5
    """

    name = "ftj"
    summary = "HfZrOx tunnel junction: Thomas-Fermi barrier, Tsu-Esaki current, domain mixture"
    thickness_key = "barrier_thickness_nm"

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        return {**cls._common_defaults(), "barrier_thickness_nm": 2.0, "left": "TiN",
                "right": "Si(n+)", "read_bias_V": 0.01, "temperature_K": 300.0}

    def validate(self, params):
        p = super().validate(params)
        p["read_bias_V"] = check_real("read_bias_V", p["read_bias_V"], low=0.0, low_open=True)
        p["temperature_K"] = check_real("temperature_K", p["temperature_K"], low=0.0, high=MAX_TEMPERATURE_K)
        return p

    def junction(self):
        """The :class:`~qtransport.ferroelectric.ftj.FTJ` of these parameters.

        Returns
        -------
        FTJ
            The junction.

        Examples
        --------
        >>> round(FTJSynapse().junction().ter(), 1)
        0.1
        """
        p = self.params
        return hzo_ftj(p["barrier_thickness_nm"], p["left"], p["right"],
                       read_bias_V=p["read_bias_V"], temperature_K=p["temperature_K"])

    def response(self, *, seed: int = 0) -> Result:
        """Junction conductance G = A[q G+ + (1 − q) G−] after each pulse.

        Parameters
        ----------
        seed : int, optional
            Seed of the activation fields and nucleation draws.

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S) with the polarization curves (C/m²) and pulse
            voltages (V).
        """
        sim = self.simulate(seed)
        ftj = self.junction()
        pr = sim["switching"].remanent_polarization_C_per_m2
        area = self.params["width_um"] * self.params["length_um"] * 1e-12
        g_up, g_down = ftj.conductance_per_area([pr, -pr]) * area

        def weight(P):
            q = 0.5 * (1 + np.asarray(P) / pr)
            return q * g_up + (1 - q) * g_down

        g = tuple(weight(P) for P in (sim["P_ltp"].T, sim["P_ltd"].T, sim["P_cycles"]))
        cap = eps0 * ftj.permittivity / (ftj.thickness_nm * nm)
        energy = _energy(sim["P_ltp"], sim["P_ltd"], sim["ltp_V"], sim["ltd_V"], cap, area)
        extra = {"conductance_up_S": np.float64(g_up), "conductance_down_S": np.float64(g_down),
                 "ter": np.float64(max(g_up, g_down) / min(g_up, g_down) - 1)}
        return self._record(sim, g, energy,
                            f"HZO FTJ {self.params['left']}|HZO|{self.params['right']} "
                            f"({self.params['scheme']} pulses): conductance at "
                            f"{self.params['read_bias_V']} V; rows = devices", extra)
