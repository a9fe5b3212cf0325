"""Quantum-dot charge-trap synapse: a dot (or trap) ensemble in a transistor gate.

The physics is :mod:`qtransport.quantum_dots.charge_trap` (confined levels and charging energies
of a dot-size distribution, orthodox capture/escape rates with the tunnel resistance from the
Tsu–Esaki kernel, ΔV_th = eΣp/C_ctrl, channel read-out). One family, three presets:
``qd_film`` (CdSe dots in SiO2/Al2O3 on Si), ``cnt`` (oxide traps of an aligned-CNT transistor),
``nanowire`` (redox molecules on an InP nanowire).

Pulse trains (derived from the preset's physics, not fitted to synapse data): depression =
program pulses +V_p (electrons trapped, V_th up, G down), potentiation = erase pulses −V_p, with
V_p = (|median ΔE| + 3σ_ΔE + 10 k_BT/e)/α (every trap's ΔF_in changes sign with margin) and the
pulse width such that the whole train lasts three median relaxation times at −V_p. The read gate
is the middle of the memory window, V_th0 + ΔV_th,max/2.

Variation: device-to-device = independent draws of the trap ensemble (rows = devices);
cycle-to-cycle = repeated cycles of device 0; each trap's 0/1 state is drawn after every pulse
from the exact two-state propagator (finite-ensemble noise). Energy per pulse = C_G V_p² +
e|Δn| α|V_p| averaged over the recorded pulses. Retention = 1/e time of the programmed change at
V_G = 0 after the potentiation train (mean field, median over devices).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..constants import e
from ..errors import check_choice, check_int, check_real
from ..quantum_dots import charge_trap as ct
from ..quantum_dots.charge_trap import default_pulses
from ..results import Result
from .base import DeviceFamily, register_family
from .record import device_response, storable_params

__all__ = ["QuantumDotSynapse", "default_pulses"]


@register_family
class QuantumDotSynapse(DeviceFamily):
    """Charge-trap transistor whose gate holds a dot/trap ensemble (conductance = weight).

    Parameters
    ----------
    preset : {"qd_film", "cnt", "nanowire"}
        Device preset (:data:`qtransport.quantum_dots.charge_trap.PRESETS`).
    n_pulses : int
        Pulses per LTP/LTD branch (2–10000).
    amplitude_V : float or None
        Pulse amplitude, V (> 0; ``None``: :func:`default_pulses`).
    pulse_width_s : float or None
        Pulse width, s (> 0; ``None``: :func:`default_pulses`).
    n_devices : int
        Devices (1–1000).
    n_cycles : int
        Recorded cycles of device 0 (2–1000).
    conditioning_cycles : int
        Depression trains run before recording (0–100).
    read_noise_rel : float
        Relative read noise written into the record (≥ 0).
    temperature_K : float
        Temperature, K (1–1000).
    dot_diameter_nm : float
        Mean dot diameter of ``"qd_film"``, nm (1–20).
    size_spread_rel : float
        Relative diameter spread of ``"qd_film"`` (0–0.3).
    tunnel_oxide_nm : float
        Tunnel oxide of ``"qd_film"``, nm (0.5–20).

    Examples
    --------
    >>> import numpy as np
    >>> r = QuantumDotSynapse(n_devices=2).response(seed=0)
    >>> r.weight_ltp_S.shape                       # (devices, pulses + 1), siemens
    (2, 33)
    >>> bool(np.all(np.diff(r.weight_ltp_S, axis=1) >= 0))   # each pulse charges more traps
    True
    """

    name = "quantum_dot"
    summary = ("quantum-dot charge-trap transistor: confined levels, orthodox tunnelling "
               "through the oxide, threshold shift e·Σp/C")

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        return {"preset": "qd_film", "n_pulses": 32, "amplitude_V": None,
                "pulse_width_s": None, "n_devices": 5, "n_cycles": 8, "conditioning_cycles": 1,
                "read_noise_rel": 0.01, "temperature_K": 300.0, "dot_diameter_nm": 4.0,
                "size_spread_rel": 0.08, "tunnel_oxide_nm": 2.5}

    def validate(self, params: dict[str, Any]) -> dict[str, Any]:
        p = dict(params)
        check_choice("preset", p["preset"], tuple(ct.PRESETS))
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=2, high=10_000)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1, high=1000)
        p["n_cycles"] = check_int("n_cycles", p["n_cycles"], low=2, high=1000)
        p["conditioning_cycles"] = check_int("conditioning_cycles", p["conditioning_cycles"],
                                             low=0, high=100)
        p["read_noise_rel"] = check_real("read_noise_rel", p["read_noise_rel"], low=0.0)
        p["temperature_K"] = check_real("temperature_K", p["temperature_K"], low=1.0,
                                        high=1000.0)
        p["dot_diameter_nm"] = check_real("dot_diameter_nm", p["dot_diameter_nm"], low=1.0,
                                          high=20.0)
        p["size_spread_rel"] = check_real("size_spread_rel", p["size_spread_rel"], low=0.0,
                                          high=0.3)
        p["tunnel_oxide_nm"] = check_real("tunnel_oxide_nm", p["tunnel_oxide_nm"], low=0.5,
                                          high=20.0)
        for k in ("amplitude_V", "pulse_width_s"):
            if p[k] is not None:
                p[k] = check_real(k, p[k], low=0.0, low_open=True)
        return p

    def transistor(self, n_devices: int, rng: np.random.Generator) -> ct.ChargeTrapTransistor:
        """The preset's :class:`~qtransport.quantum_dots.charge_trap.ChargeTrapTransistor`.

        Parameters
        ----------
        n_devices : int
            Devices (rows of the trap ensemble).
        rng : numpy.random.Generator
            Source of the preset's random draws.

        Returns
        -------
        ChargeTrapTransistor
            The device ensemble.
        """
        p = self.params
        if p["preset"] == "qd_film":
            return ct.qd_film(n_devices=n_devices, dot_diameter_nm=p["dot_diameter_nm"],
                              size_spread_rel=p["size_spread_rel"],
                              tunnel_oxide_nm=p["tunnel_oxide_nm"],
                              temperature_K=p["temperature_K"], rng=rng)
        return ct.PRESETS[p["preset"]](n_devices=n_devices, temperature_K=p["temperature_K"],
                                       rng=rng)

    def simulate(self, seed: int) -> dict[str, Any]:
        """Program the ensemble (stochastic traps) and one device's cycles.

        Parameters
        ----------
        seed : int
            Seed of the ensemble, the occupations and the cycles.

        Returns
        -------
        dict of str to object
            ``transistor``, pulse voltages (V), ``width_s`` (s), ``amplitude_V`` (V), occupations
            ``ltp``/``ltd``, tunnelled electrons ``dn``, ``cycles`` and ``retention_s`` (s).
        """
        p = self.params
        seeds = np.random.SeedSequence(seed).spawn(3)
        dev = self.transistor(p["n_devices"], np.random.default_rng(seeds[0]))
        tr = dev.traps
        vp, width = default_pulses(dev, p["n_pulses"])
        vp = vp if p["amplitude_V"] is None else p["amplitude_V"]
        width = width if p["pulse_width_s"] is None else p["pulse_width_s"]
        ltp_V = np.full(p["n_pulses"], -vp)
        ltd_V = np.full(p["n_pulses"], vp)
        # read in the middle of the window between all-empty and all-full
        full = dev.threshold_shift(np.ones(tr.shape[1]))
        dev.read_gate_V = dev.threshold_V + 0.5 * float(full)
        rng = np.random.default_rng(seeds[1])
        state = (rng.random(tr.shape) < tr.equilibrium(0.0)).astype(float)
        mean = tr.equilibrium(0.0)
        for _ in range(p["conditioning_cycles"]):
            state = tr.run(state, ltd_V, width, rng=rng)[0][-1]
            mean = tr.run(mean, ltd_V, width)[0][-1]
        ltp, dn_ltp = tr.run(state, ltp_V, width, rng=rng)
        ltd, dn_ltd = tr.run(ltp[-1], ltd_V, width, rng=rng)
        mean_ltp = tr.run(mean, ltp_V, width)[0]
        retention = tr.relaxation_time(mean_ltp[-1], 0.0)
        # cycle-to-cycle: device 0 alone, fresh randomness every cycle
        one = ct.TrapEnsemble(tr.delta_E_eV[:1], tr.area_m2[:1], tr.lever_arm, tr.barrier,
                              tr.temperature_K)
        one._ra_cache = tr._ra_cache
        rng_c = np.random.default_rng(seeds[2])
        s = state[:1]
        cycles = []
        for _ in range(p["n_cycles"]):
            run = one.run(s, ltp_V, width, rng=rng_c)[0]
            cycles.append(run[:, 0])
            s = one.run(run[-1], ltd_V, width, rng=rng_c)[0][-1]
        return {"transistor": dev, "ltp_V": ltp_V, "ltd_V": ltd_V, "width_s": width,
                "amplitude_V": vp, "ltp": ltp, "ltd": ltd, "dn": np.concatenate([dn_ltp,
                                                                                 dn_ltd]),
                "cycles": np.array(cycles), "retention_s": retention}

    def response(self, *, seed: int = 0) -> Result:
        """Channel conductance at the mid-window read gate after each pulse.

        Parameters
        ----------
        seed : int, optional
            Seed of every random draw (≥ 0).

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S) with threshold shifts (V), trapped fractions and
            the read settings.
        """
        sim = self.simulate(seed)
        dev = sim["transistor"]
        g_ltp = dev.conductance(sim["ltp"]).T          # (n_devices, n_pulses + 1)
        g_ltd = dev.conductance(sim["ltd"]).T
        g_cyc = dev.conductance(sim["cycles"])         # (n_cycles, n_pulses + 1)
        vp = sim["amplitude_V"]
        dn = np.abs(sim["dn"]).sum(axis=-1).mean(axis=-1)          # per pulse, device mean
        energy = float(np.mean(dev.gate_capacitance_F * vp**2 +
                               e * dn * dev.traps.lever_arm * vp))
        ret = float(np.median(sim["retention_s"]))
        p = self.params
        rec = device_response(
            self.name, weight_ltp=g_ltp, weight_ltd=g_ltd, weight_unit="S",
            event_energy_J=energy, write_time_s=sim["width_s"],
            retention_s=ret if math.isfinite(ret) else math.inf,
            read_noise_rel=p["read_noise_rel"], cycle_ltp=g_cyc,
            description=f"{dev.name} ({p['preset']}): channel conductance at V_G = "
                        f"{dev.read_gate_V:.3g} V after ±{vp:.3g} V pulses of "
                        f"{sim['width_s']:.3g} s; rows = devices (ensemble draws)",
            params=storable_params(p))
        rec.data.update({
            "threshold_shift_ltp_V": dev.threshold_shift(sim["ltp"]).T,
            "threshold_shift_ltd_V": dev.threshold_shift(sim["ltd"]).T,
            "trapped_fraction_ltp": sim["ltp"].mean(axis=-1).T,
            "pulse_amplitude_V": np.float64(vp), "pulse_width_s": np.float64(sim["width_s"]),
            "retention_devices_s": sim["retention_s"],
            "read_gate_V": np.float64(dev.read_gate_V),
            "n_traps": np.int64(dev.traps.shape[1]),
            "on_off_window": np.float64(
                dev.conductance(np.zeros(dev.traps.shape[1])) /
                dev.conductance(np.ones(dev.traps.shape[1]))),
            "lever_arm": np.float64(dev.traps.lever_arm),
            # a trapped electron's escape time at V_G = 0, median over the traps: the lifetime
            # of the programmed state when it is not the zero-bias equilibrium
            "escape_time_s": np.float64(1.0 / float(np.median(dev.traps.rates(0.0)[1]))),
            "equilibrium_trapped_fraction": np.float64(dev.traps.equilibrium(0.0).mean())})
        rec.attrs["sources"] = str(dev.sources)
        return rec
