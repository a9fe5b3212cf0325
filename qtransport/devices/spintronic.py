"""Spintronic synapses: MTJ-read domain-wall track and skyrmion synapse (W/CoFeB/MgO stacks).

``domain_wall``
    A perpendicular CoFeB track on β-W with pinning notches every ``notch_spacing_nm``. Current
    pulses in the W layer drive the wall by spin–orbit torque (plus STT from the share of the
    current in the CoFeB) through the 1-D (q, φ) model of
    :mod:`qtransport.spintronics.domain_wall`, with the seeded thermal field (cycle-to-cycle
    variation) and notch depinning fields drawn per device (device-to-device variation). After
    each pulse the wall relaxes for ``relax_s`` at zero current and is read. An MTJ covering the
    track (:func:`qtransport.spintronics.mtj.cofeb_mtj`) reads it: the free-layer fraction
    parallel to the reference is x = q/L, G = A[x G_P + (1 − x) G_AP] with G_P, G_AP the
    Tsu–Esaki conductances per area at the read bias.
    Default pulses (derived, not fitted): the current density is ``drive_over_depinning`` times
    the quasi-static depinning current of a Néel wall, (π/2)H_SH(J) = H_p (H_p the mean notch
    depinning field); the default notch spacing is the free-wall distance per pulse at that
    current, v(J) t_p with v the SOT+DMI steady velocity, so that a pulse can carry the wall
    about one notch. Energy per pulse = I² R t_p of the write path (W and CoFeB in parallel
    along the track).

``skyrmion``
    A read region with ``n_sites`` nucleation sites under an MTJ: weight
    G = A G_AP + N π R² (G_P − G_AP) (skyrmion cores parallel to the reference, background
    antiparallel), N the skyrmion count from the seeded binomial rate model of
    :mod:`qtransport.spintronics.skyrmion` (potentiation pulses nucleate, depression pulses of the
    reverse polarity delete). Default current density (derived): the one at which the mean
    nucleation time of an empty site equals the whole train (n t_p). The Thiele drift of a pulse and the Hall angle are
    recorded with the response. Device-to-device variation: nucleation barrier drawn per device
    (relative spread ``barrier_spread_rel``); cycle-to-cycle: repeated cycles with fresh draws.
    Energy per pulse = I² R t_p of the W write strip.

Retention is not modelled (``inf``: no thermally activated depinning or skyrmion decay at
zero current).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..constants import k_B, nm
from ..errors import check_choice, check_int, check_real
from ..errors import MAX_TEMPERATURE_K
from ..results import Result
from ..spintronics import domain_wall as dw
from ..spintronics import skyrmion as sk
from ..spintronics.mtj import cofeb_mtj
from .base import DeviceFamily, register_family
from .record import nonvolatile_response

__all__ = ["DomainWallSynapse", "SkyrmionSynapse", "depinning_current", "spacing_for_current"]


def depinning_current(p: dw.WallParameters, depinning_field_A_per_m: float) -> float:
    """|J| at which the SOT effective field (π/2)|H_SH| of a Néel wall equals H_p, A/m².

    Parameters
    ----------
    p : WallParameters
        The track.
    depinning_field_A_per_m : float
        Notch depinning field H_p, A/m.

    Returns
    -------
    float
        |J|, A/m².

    Raises
    ------
    ValueError
        A zero spin Hall angle.
    """
    per_j = abs(float(p.spin_hall_field(1.0)))
    if per_j == 0:
        raise ValueError("spin_hall_angle must be non-zero for an SOT-driven track")
    return depinning_field_A_per_m / (0.5 * math.pi * per_j)


def spacing_for_current(p: dw.WallParameters, current_density_A_per_m2: float,
                        pulse_width_s: float) -> float:
    """Free-wall travel |v(J)| t_p of one pulse (SOT+DMI steady velocity), m.

    Parameters
    ----------
    p : WallParameters
        The track.
    current_density_A_per_m2 : float
        Pulse current density J, A/m².
    pulse_width_s : float
        Pulse width t_p, s.

    Returns
    -------
    float
        Distance, m.
    """
    return abs(float(dw.sot_dmi_velocity(p, current_density_A_per_m2))) * pulse_width_s


class _SpintronicFamily(DeviceFamily):
    """Shared pulse-train parameters and checks."""

    @classmethod
    def _common(cls) -> dict[str, Any]:
        return {"n_pulses": 32, "pulse_width_s": 8e-9, "current_density_A_per_m2": None,
                "n_devices": 5, "n_cycles": 8, "read_noise_rel": 0.01, "barrier": "MgO",
                "barrier_thickness_nm": 1.2, "read_bias_V": 0.1, "temperature_K": 300.0,
                "heavy_metal_thickness_nm": 5.0, "film_thickness_nm": 1.0,
                "track_width_nm": 100.0}

    def validate(self, params: dict[str, Any]) -> dict[str, Any]:
        p = dict(params)
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=2)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        p["n_cycles"] = check_int("n_cycles", p["n_cycles"], low=2)
        check_choice("barrier", p["barrier"], ("MgO", "Al2O3"))
        for k in ("pulse_width_s", "barrier_thickness_nm", "read_bias_V",
                  "heavy_metal_thickness_nm", "film_thickness_nm", "track_width_nm"):
            p[k] = check_real(k, p[k], low=0.0, low_open=True)
        p["read_noise_rel"] = check_real("read_noise_rel", p["read_noise_rel"], low=0.0)
        p["temperature_K"] = check_real("temperature_K", p["temperature_K"], low=0.0, high=MAX_TEMPERATURE_K)
        if p["current_density_A_per_m2"] is not None:
            p["current_density_A_per_m2"] = check_real(
                "current_density_A_per_m2", p["current_density_A_per_m2"], low=0.0,
                low_open=True)
        return p

    def mtj_conductances(self) -> tuple[float, float, float]:
        """(G_P/A, G_AP/A in S/m², TMR at the read bias) of the read junction."""
        p = self.params
        m = cofeb_mtj(p["barrier"], p["barrier_thickness_nm"], read_bias_V=p["read_bias_V"],
                      temperature_K=max(p["temperature_K"], 0.0))
        gp, gap = m.conductance_per_area("P"), m.conductance_per_area("AP")
        return gp, gap, gp / gap - 1

    def _strip_resistance(self, length_m: float) -> tuple[float, float]:
        """(R of the W ∥ CoFeB write path, current per current density I/J) for the track."""
        from .. import materials
        p = self.params
        w = p["track_width_nm"] * nm
        t_hm, t_f = p["heavy_metal_thickness_nm"] * nm, p["film_thickness_nm"] * nm
        rho_hm = materials.get("beta-W").resistivity_ohm_m
        rho_f = materials.get("CoFeB").resistivity_ohm_m
        conductance = w * (t_hm / rho_hm + t_f / rho_f) / length_m
        # J is the density in W; the CoFeB carries J ρ_W/ρ_F (same field along the strip)
        return 1.0 / conductance, w * (t_hm + t_f * rho_hm / rho_f)

    def _record(self, g_ltp, g_ltd, g_cyc, energy, description, extra) -> Result:
        rec = nonvolatile_response(self.name, self.params, weight_ltp=g_ltp, weight_ltd=g_ltd,
                                   cycle_ltp=g_cyc, event_energy_J=energy,
                                   description=description)
        rec.data.update(extra)
        return rec


@register_family
class DomainWallSynapse(_SpintronicFamily):
    """SOT-driven domain wall in a notched W/CoFeB track, read by a CoFeB/MgO/CoFeB MTJ.

    Parameters
    ----------
    n_pulses : int
        Pulses per LTP/LTD branch (≥ 2).
    pulse_width_s : float
        Pulse width = write time, s (> 0).
    current_density_A_per_m2 : float or None
        Pulse current density in the W layer, A/m² (> 0; ``None``: derived, see module notes).
    n_devices : int
        Devices (≥ 1).
    n_cycles : int
        Recorded cycles of device 0 (≥ 2).
    read_noise_rel : float
        Relative read noise written into the record (≥ 0).
    barrier : {"MgO", "Al2O3"}
        Barrier of the read MTJ.
    barrier_thickness_nm : float
        Its thickness, nm (> 0).
    read_bias_V : float
        Read bias of the MTJ, V (> 0).
    temperature_K : float
        Temperature, K (≥ 0).
    heavy_metal_thickness_nm : float
        W layer thickness, nm (> 0).
    film_thickness_nm : float
        CoFeB thickness, nm (> 0).
    track_width_nm : float
        Track (film) width, nm (> 0).
    n_notches : int
        Pinning notches along the track (≥ 1).
    notch_spacing_nm : float or None
        Notch spacing, nm (> 0; ``None``: the free-wall travel of one pulse).
    notch_width_nm : float
        Notch width, nm (> 0).
    depinning_field_A_per_m : float
        Mean notch depinning field, A/m (> 0).
    depinning_spread_rel : float
        Relative spread of the depinning fields between devices (0–1).
    drive_over_depinning : float
        Default current density in units of the depinning current (> 0).
    relax_s : float
        Relaxation at zero current after each pulse, s (> 0).
    dt_s : float
        Integration step, s (> 0, ≤ ``pulse_width_s``).

    Examples
    --------
    >>> DomainWallSynapse().name
    'domain_wall'
    """

    name = "domain_wall"
    summary = ("domain-wall track (W/CoFeB, SOT + DMI, 1-D (q, phi) model with notches and "
               "thermal field) read by a free-electron MTJ")

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        return {**cls._common(), "n_notches": 32, "notch_spacing_nm": None,
                "notch_width_nm": 20.0, "depinning_field_A_per_m": 800.0,
                "depinning_spread_rel": 0.1, "drive_over_depinning": 1.5, "relax_s": 4e-9,
                "dt_s": 1e-11}

    def validate(self, params):
        p = super().validate(params)
        p["n_notches"] = check_int("n_notches", p["n_notches"], low=1)
        for k in ("notch_width_nm", "depinning_field_A_per_m", "relax_s", "dt_s"):
            p[k] = check_real(k, p[k], low=0.0, low_open=True)
        p["depinning_spread_rel"] = check_real("depinning_spread_rel",
                                               p["depinning_spread_rel"], low=0.0, high=1.0)
        p["drive_over_depinning"] = check_real("drive_over_depinning",
                                               p["drive_over_depinning"], low=0.0,
                                               low_open=True)
        if p["notch_spacing_nm"] is not None:
            p["notch_spacing_nm"] = check_real("notch_spacing_nm", p["notch_spacing_nm"],
                                               low=0.0, low_open=True)
        if p["dt_s"] > p["pulse_width_s"]:
            raise ValueError(f"dt_s must not exceed pulse_width_s = {p['pulse_width_s']}, got "
                             f"{p['dt_s']}")
        return p

    def wall(self) -> dw.WallParameters:
        """The track's :class:`~qtransport.spintronics.domain_wall.WallParameters`.

        Returns
        -------
        WallParameters
            W/CoFeB/MgO track of these parameters.

        Examples
        --------
        >>> f'{DomainWallSynapse().wall().wall_width_m:.2e}'
        '8.66e-09'
        """
        p = self.params
        return dw.cofeb_wall(p["film_thickness_nm"], p["track_width_nm"],
                             p["heavy_metal_thickness_nm"], p["temperature_K"])

    def drive(self) -> tuple[float, float]:
        """(signed current density of a potentiation pulse, A/m²; notch spacing, m).

        Returns
        -------
        current_density_A_per_m2 : float
            Signed potentiation current density, A/m².
        spacing_m : float
            Notch spacing, m.
        """
        p = self.params
        wp = self.wall()
        j = p["current_density_A_per_m2"]
        if j is None:
            j = p["drive_over_depinning"] * depinning_current(wp, p["depinning_field_A_per_m"])
        # potentiation moves the wall towards +q: the SOT velocity sign is sign(θ_SH H_D)
        sign = float(np.sign(dw.sot_dmi_velocity(wp, 1.0))) or 1.0
        spacing = (p["notch_spacing_nm"] * nm if p["notch_spacing_nm"] is not None
                   else spacing_for_current(wp, j, p["pulse_width_s"]))
        return sign * j, spacing

    #: parameters only the MTJ read-out uses: the wall simulation does not depend on them
    READ_PARAMS = ("barrier", "barrier_thickness_nm", "read_bias_V", "read_noise_rel")

    def _simulation_key(self, seed: int) -> tuple:
        return (seed,) + tuple(sorted((k, v) for k, v in self.params.items()
                                      if k not in self.READ_PARAMS))

    def simulate(self, seed: int) -> dict[str, Any]:
        """Wall positions after every pulse: rows = devices, then the cycles of device 0.

        Parameters
        ----------
        seed : int
            Seed of the depinning fields and the thermal field.

        Returns
        -------
        dict of str to object
            Wall positions ``q_ltp``/``q_ltd`` (m), ``length_m``, ``spacing_m`` (m), the current
            density (A/m²), depinning fields (A/m), a trace (s, m) and the ``key`` of the run.
        """
        p = self.params
        wp = self.wall()
        J, s = self.drive()
        n_n, nd, nc = p["n_notches"], p["n_devices"], p["n_cycles"]
        length = n_n * s
        seeds = np.random.SeedSequence(seed).spawn(2)
        rng_dev = np.random.default_rng(seeds[0])
        hp = p["depinning_field_A_per_m"] * np.clip(
            1 + p["depinning_spread_rel"] * rng_dev.standard_normal((nd, n_n + 1)), 0.0, None)
        hp_all = np.vstack([hp, np.repeat(hp[:1], nc, axis=0)])   # cycles: device 0 repeated
        pin = dw.Pinning(np.arange(n_n + 1) * s, hp_all, p["notch_width_nm"] * nm, length)
        n_real = nd + nc
        state = dw.WallState(np.zeros(n_real), np.zeros(n_real))
        rng = np.random.default_rng(seeds[1])
        trace_t, trace_q = [0.0], [state.q.copy()]
        out = {}
        t0 = 0.0
        for branch, sign in (("ltp", 1.0), ("ltd", -1.0)):
            rows = [state.q.copy()]
            for _ in range(p["n_pulses"]):
                for dur, cur in ((p["pulse_width_s"], sign * J), (p["relax_s"], 0.0)):
                    _, tt, qq = dw.integrate(wp, state, dur, p["dt_s"],
                                             current_density_A_per_m2=cur, pinning=pin,
                                             rng=rng if wp.temperature_K > 0 else None,
                                             record_every=max(1, round(1e-9 / p["dt_s"])))
                    trace_t += list(t0 + tt[1:])
                    trace_q += list(qq[1:])
                    t0 += dur
                rows.append(state.q.copy())
            out[branch] = np.array(rows).T                          # (n_real, n_pulses + 1)
        return {"q_ltp": out["ltp"], "q_ltd": out["ltd"], "length_m": length, "spacing_m": s,
                "current_density_A_per_m2": J, "depinning_A_per_m": hp_all,
                "trace_t": np.array(trace_t), "trace_q": np.array(trace_q)[:, 0],
                "notches_m": pin.positions_m, "wall": wp, "key": self._simulation_key(seed)}

    def response(self, *, seed: int = 0, simulation: dict[str, Any] | None = None) -> Result:
        """MTJ conductance G = A[x G_P + (1 − x) G_AP], x = q/L, after each pulse.

        ``simulation``, optional: the :meth:`simulate` output of ``seed`` of a family whose
        parameters differ from these at most in :attr:`READ_PARAMS` (the same walls read
        through another barrier: the wall motion is not computed twice). Anything else is
        refused (ValueError).

        Parameters
        ----------
        seed : int, optional
            Seed of the simulation.
        simulation : dict, optional
            A :meth:`simulate` output to reuse (see above).

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S) with wall positions (m), the trace and the MTJ
            conductances (S).

        Raises
        ------
        ValueError
            ``simulation`` from other wall parameters or another seed.
        """
        p = self.params
        if simulation is None:
            sim = self.simulate(seed)
        elif simulation.get("key") != self._simulation_key(seed):
            raise ValueError("simulation must come from simulate(seed) of a domain_wall family "
                             f"differing at most in {', '.join(self.READ_PARAMS)} (seed {seed})")
        else:
            sim = simulation
        gp, gap, tmr = self.mtj_conductances()
        L = sim["length_m"]
        area = L * p["track_width_nm"] * nm
        nd = p["n_devices"]

        def g(q):
            x = np.clip(q / L, 0.0, 1.0)
            return area * (x * gp + (1 - x) * gap)

        R, i_per_j = self._strip_resistance(L)
        current = abs(sim["current_density_A_per_m2"]) * i_per_j
        energy = current**2 * R * p["pulse_width_s"]
        wp = sim["wall"]
        extra = {"wall_position_ltp_m": sim["q_ltp"][:nd], "wall_position_ltd_m": sim["q_ltd"][:nd],
                 "trace_time_s": sim["trace_t"], "trace_position_m": sim["trace_q"],
                 "notch_positions_m": np.asarray(sim["notches_m"]),
                 "track_length_m": np.float64(L), "notch_spacing_m": np.float64(sim["spacing_m"]),
                 "current_density_A_per_m2": np.float64(sim["current_density_A_per_m2"]),
                 "write_current_A": np.float64(current), "write_resistance_ohm": np.float64(R),
                 "conductance_P_S": np.float64(gp * area),
                 "conductance_AP_S": np.float64(gap * area), "tmr": np.float64(tmr),
                 "walker_field_A_per_m": np.float64(dw.walker_field(wp)),
                 "dmi_field_A_per_m": np.float64(wp.dmi_field_A_per_m),
                 "free_velocity_m_per_s": np.float64(abs(float(dw.sot_dmi_velocity(
                     wp, sim["current_density_A_per_m2"]))))}
        return self._record(g(sim["q_ltp"][:nd]), g(sim["q_ltd"][:nd]), g(sim["q_ltp"][nd:]),
                            energy, f"W/CoFeB domain-wall track, {p['n_notches']} notches, "
                            f"read by CoFeB/{p['barrier']}/CoFeB MTJ; rows = devices", extra)


@register_family
class SkyrmionSynapse(_SpintronicFamily):
    """Skyrmion-count synapse (W/CoFeB film), read by an MTJ over the read region.

    Parameters
    ----------
    n_pulses : int
        Pulses per LTP/LTD branch (≥ 2).
    pulse_width_s : float
        Pulse width = write time, s (> 0).
    current_density_A_per_m2 : float or None
        Pulse current density in the W layer, A/m² (> 0; ``None``: derived, see module notes).
    n_devices : int
        Devices (≥ 1).
    n_cycles : int
        Recorded cycles of device 0 (≥ 2).
    read_noise_rel : float
        Relative read noise written into the record (≥ 0).
    barrier : {"MgO", "Al2O3"}
        Barrier of the read MTJ.
    barrier_thickness_nm : float
        Its thickness, nm (> 0).
    read_bias_V : float
        Read bias of the MTJ, V (> 0).
    temperature_K : float
        Temperature, K (≥ 0).
    heavy_metal_thickness_nm : float
        W layer thickness, nm (> 0).
    film_thickness_nm : float
        CoFeB thickness, nm (> 0).
    track_width_nm : float
        Track (film) width, nm (> 0).
    n_sites : int
        Nucleation sites of the read region (≥ 2).
    radius_nm : float
        Skyrmion radius, nm (> 0).
    read_length_nm : float
        Read region length, nm (> 0; with ``track_width_nm`` it must hold the sites).
    barrier_spread_rel : float
        Relative spread of the nucleation barrier between devices (0–1).
    nucleation_barrier_kT300 : float
        Zero-current nucleation (and annihilation) barrier, units of k_B·300 K (> 0).
    attempt_frequency_Hz : float
        Attempt frequency, Hz (> 0).
    critical_current_A_per_m2 : float
        Current density at which the barriers vanish, A/m² (> 0).

    Examples
    --------
    >>> SkyrmionSynapse().name
    'skyrmion'
    """

    name = "skyrmion"
    summary = ("skyrmion synapse: seeded nucleation/annihilation counts, Thiele drift, "
               "free-electron MTJ read")

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        return {**cls._common(), "n_sites": 16, "radius_nm": 50.0, "read_length_nm": 2000.0,
                "track_width_nm": 400.0, "barrier_spread_rel": 0.02,
                "nucleation_barrier_kT300": 50.0, "attempt_frequency_Hz": 1e9,
                "critical_current_A_per_m2": 1e11}

    def validate(self, params):
        p = super().validate(params)
        p["n_sites"] = check_int("n_sites", p["n_sites"], low=2)
        for k in ("radius_nm", "read_length_nm", "nucleation_barrier_kT300",
                  "attempt_frequency_Hz", "critical_current_A_per_m2"):
            p[k] = check_real(k, p[k], low=0.0, low_open=True)
        p["barrier_spread_rel"] = check_real("barrier_spread_rel", p["barrier_spread_rel"],
                                             low=0.0, high=1.0)
        if p["temperature_K"] <= 0:
            raise ValueError(f"temperature_K must be > 0 for the thermally activated skyrmion "
                             f"events, got {p['temperature_K']}")
        area_sites = p["n_sites"] * math.pi * (p["radius_nm"]) ** 2
        if area_sites > p["read_length_nm"] * p["track_width_nm"]:
            raise ValueError(f"n_sites = {p['n_sites']} skyrmions of radius {p['radius_nm']} nm "
                             f"do not fit the read region {p['read_length_nm']} x "
                             f"{p['track_width_nm']} nm")
        return p

    def skyrmion(self) -> sk.SkyrmionParameters:
        """The film's :class:`~qtransport.spintronics.skyrmion.SkyrmionParameters`.

        Returns
        -------
        SkyrmionParameters
            CoFeB film on W with these event-model parameters.

        Examples
        --------
        >>> SkyrmionSynapse().skyrmion().charge
        -1
        """
        from .. import materials
        p = self.params
        wp = dw.cofeb_wall(p["film_thickness_nm"], p["track_width_nm"],
                           p["heavy_metal_thickness_nm"], p["temperature_K"])
        barrier = p["nucleation_barrier_kT300"] * k_B * 300.0
        return sk.SkyrmionParameters(
            p["radius_nm"] * nm, wp.wall_width_m, wp.damping,
            wp.saturation_magnetization_A_per_m, wp.film_thickness_m,
            materials.get("beta-W").spin_hall_angle, -1, p["attempt_frequency_Hz"], barrier,
            p["critical_current_A_per_m2"], barrier, p["critical_current_A_per_m2"],
            p["temperature_K"], dict(wp.sources))

    def drive(self, skp: sk.SkyrmionParameters) -> float:
        """Pulse current density: given, or the one whose nucleation time equals the train, A/m².

        Default rule (as for the ferroelectric trains): the mean nucleation time of an empty
        site, 1/(f0 e^{−E_n(J)/k_BT}), equals the whole train n t_p, i.e.
        E_n(J) = k_BT ln(f0 n t_p); a site then fills by the end of the train with
        probability 1 − 1/e.

        Parameters
        ----------
        skp : SkyrmionParameters
            The film (:meth:`skyrmion`).

        Returns
        -------
        float
            J, A/m².
        """
        p = self.params
        if p["current_density_A_per_m2"] is not None:
            return p["current_density_A_per_m2"]
        kt = k_B * skp.temperature_K
        e_train = kt * math.log(skp.attempt_frequency_Hz * p["n_pulses"] * p["pulse_width_s"])
        return skp.nucleation_current_A_per_m2 * max(0.0, 1 - e_train / skp.nucleation_barrier_J)

    def response(self, *, seed: int = 0) -> Result:
        """G = A G_AP + N πR² (G_P − G_AP) after each pulse (module notes).

        Parameters
        ----------
        seed : int, optional
            Seed of the barriers and the event draws.

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S) with the skyrmion counts, the drive and the MTJ
            conductances (S).
        """
        p = self.params
        skp = self.skyrmion()
        J = self.drive(skp)
        seeds = np.random.SeedSequence(seed).spawn(3)
        nd, nc, ns = p["n_devices"], p["n_cycles"], p["n_sites"]
        barriers = skp.nucleation_barrier_J * np.clip(
            1 + p["barrier_spread_rel"] * np.random.default_rng(seeds[0]).standard_normal(nd),
            0.0, None)
        rng = np.random.default_rng(seeds[1])
        n = p["n_pulses"]
        ltp = sk.count_trace(skp, np.full(n, J), p["pulse_width_s"], ns, rng, 0, barriers)
        ltd = sk.count_trace(skp, np.full(n, -J), p["pulse_width_s"], ns, rng, ltp[:, -1],
                             barriers)
        rng_c = np.random.default_rng(seeds[2])
        cyc = []
        start = 0
        for _ in range(nc):
            up = sk.count_trace(skp, np.full(n, J), p["pulse_width_s"], ns, rng_c, start,
                                barriers[:1])
            down = sk.count_trace(skp, np.full(n, -J), p["pulse_width_s"], ns, rng_c,
                                  up[:, -1], barriers[:1])
            cyc.append(up[0])
            start = int(down[0, -1])
        gp, gap, tmr = self.mtj_conductances()
        area = p["read_length_nm"] * p["track_width_nm"] * nm**2
        core = math.pi * (p["radius_nm"] * nm) ** 2

        def g(N):
            return area * gap + np.asarray(N, float) * core * (gp - gap)

        R, i_per_j = self._strip_resistance(p["read_length_nm"] * nm)
        current = J * i_per_j
        energy = current**2 * R * p["pulse_width_s"]
        vx, vy = sk.thiele_velocity(skp, J)
        x, _ = sk.drift(skp, [0.0], [0.0], J, p["pulse_width_s"], p["track_width_nm"] * nm)
        extra = {"count_ltp": ltp, "count_ltd": ltd, "count_cycles": np.array(cyc),
                 "current_density_A_per_m2": np.float64(J),
                 "nucleation_probability": np.float64(sk.event_probability(
                     skp.nucleation_barrier_J, skp.nucleation_current_A_per_m2, J,
                     p["pulse_width_s"], skp.attempt_frequency_Hz, skp.temperature_K)),
                 "hall_angle_deg": np.float64(math.degrees(sk.hall_angle(skp))),
                 "free_velocity_m_per_s": np.array([vx, vy]),
                 "drift_per_pulse_m": np.float64(abs(x[0])),
                 "conductance_per_skyrmion_S": np.float64(core * (gp - gap)),
                 "conductance_P_S": np.float64(gp * area), "conductance_AP_S":
                     np.float64(gap * area), "tmr": np.float64(tmr),
                 "write_current_A": np.float64(current)}
        return self._record(g(ltp), g(ltd), g(np.array(cyc)), energy,
                            f"skyrmion synapse, {ns} sites, MTJ read (CoFeB/{p['barrier']}); "
                            "rows = devices", extra)
