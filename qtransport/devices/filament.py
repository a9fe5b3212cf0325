"""Device family ``filament``: a conductive-bridge (ECM) switch whose weight is a metal filament.

Two kinetics are selectable with ``kinetics``:

``"kmc"`` (default): the pulses drive the electrochemical kinetic Monte Carlo of
:mod:`qtransport.electrochemistry.ecm` (Butler–Volmer redox, field-assisted ion hopping, surface
diffusion, thermal dissolution, compliance, Joule heating), whose electrical loop carries the
transfer-matrix tunneling current of the gap before contact and G·V with G the Kwant conductance
of the actual configuration (this device's disorder) after it. Device i runs
``n_pulses`` SET pulses (``pulse_voltage_V``, ``pulse_width_s``) from an empty cell and then
``n_pulses`` RESET pulses (``reset_voltage_V``, ``reset_width_s``) with KMC seed and disorder
seed ``seed + i`` (device-to-device variation: the Kwant disorder and the stochastic path);
cycle-to-cycle variation: device 0 (its disorder seed ``seed``) cycled again with KMC seeds
``seed + 1000 + c``, so c2c is the KMC's stochasticity alone. The
weight after each pulse is the read conductance of the configuration (Kwant conductance of its
atoms at contact, gap tunneling conductance before). Energy per event: the mean ∫ V I dt of the
actual pulses (tunneling and filament current). Retention: the mean KMC lifetime (zero bias,
``temperature_K``) of a single-atom contact, the weakest programmed state.

``"atom_per_pulse"`` (the earlier model): one programming pulse adds (potentiation) or removes (depression) one atom of the filament
cross-section, so the weights are the quantized conductance levels of atom-by-atom growth, computed
with Kwant by :func:`qtransport.tight_binding.filament.growth` (Landauer conductance at the metal's
Fermi energy, on-site disorder in the filament):

* device-to-device variation: one disorder realization per device (seeds ``seed + i``), grown in
  the compact order; depression retraces the same levels backwards;
* cycle-to-cycle variation: device 0's disorder regrown ``n_cycles`` times in random compact-biased
  atom orders (``order_seed = seed + 1000 + i``);
* energy per event: V_pulse² ⟨G⟩ t_pulse, the Joule energy of one pulse at the mean conductance of
  the potentiation curves (the ionic work of moving one atom is neglected: a documented choice);
* retention: ``inf`` (an atomic filament does not decay in this model).

Pulse amplitude and width do nothing in ``"atom_per_pulse"`` except through the energy.

Examples
--------
>>> FilamentSwitch(max_width_atoms=2, n_devices=1, n_cycles=0).params["kinetics"]
'kmc'
"""
from __future__ import annotations

import math

import numpy as np

from ..constants import G0
from ..electrochemistry import ecm as _ecm
from ..errors import check_choice, check_int, check_real
from ..results import Result
from ..tight_binding import filament as _tb
from .base import DeviceFamily, register_family, serial_map
from .record import device_response, set_reset_curves

__all__ = ["FilamentSwitch", "grow", "train", "pulse_energy_J", "KINETICS"]

KINETICS = ("kmc", "atom_per_pulse")


def grow(**kwargs) -> Result:
    """One growth curve: :func:`qtransport.tight_binding.filament.growth` (module level, so a
    pipeline stage can map it over MPI ranks).

    Parameters
    ----------
    **kwargs
        Keywords of :func:`qtransport.tight_binding.filament.growth`.

    Returns
    -------
    Result
        Kind ``"filament.growth"``.
    """
    return _tb.growth(**kwargs)


def train(**kwargs) -> Result:
    """One SET/RESET pulse train of the ECM kinetic Monte Carlo,
    :func:`qtransport.electrochemistry.ecm.pulse_train` (module level, for ``map``).

    Parameters
    ----------
    **kwargs
        Keywords of :func:`qtransport.electrochemistry.ecm.pulse_train`.

    Returns
    -------
    Result
        Kind ``"ecm.pulse_train"``.
    """
    return _ecm.pulse_train(**kwargs)


def pulse_energy_J(conductance_S, pulse_voltage_V: float, pulse_width_s: float) -> float:
    """Joule energy of one programming pulse, V² ⟨G⟩ t, J (⟨G⟩: mean of ``conductance_S``).

    Parameters
    ----------
    conductance_S : array_like
        Conductances, S.
    pulse_voltage_V : float
        Pulse amplitude, V (> 0).
    pulse_width_s : float
        Pulse width, s (> 0).

    Returns
    -------
    float
        Energy, J.

    Raises
    ------
    ValueError
        If an argument is invalid: `pulse_voltage_V` and `pulse_width_s` must be > 0.
    TypeError
        If an argument has the wrong type: `pulse_voltage_V` or `pulse_width_s` are not real
        numbers.

    Examples
    --------
    >>> f"{pulse_energy_J([1e-4, 3e-4], 1.0, 1e-6):.3g}"
    '2e-10'
    """
    v = check_real("pulse_voltage_V", pulse_voltage_V, low=0.0, low_open=True)
    t = check_real("pulse_width_s", pulse_width_s, low=0.0, low_open=True)
    return v ** 2 * float(np.mean(conductance_S)) * t


@register_family
class FilamentSwitch(DeviceFamily):
    """The filament device family: atom-by-atom growth of a metal filament (Kwant).

    Parameters
    ----------
    kinetics : {"kmc", "atom_per_pulse"}
        Electrochemical kinetic Monte Carlo, or the earlier one-atom-per-pulse model.
    material : str
        Filament metal (its free-electron Fermi energy and hopping from ``materials``; with
        ``"kmc"`` also its ECM kinetic parameters).
    max_width_atoms : int
        The cross-section grows to max_width × max_width atoms (3D cubic lattice); with
        ``"kmc"`` the width of the cell box.
    length_atoms : int
        ``"kmc"``: columns between the electrodes (the gap of an empty cell).
    n_pulses : int
        ``"kmc"``: pulses per SET and per RESET branch.
    reset_voltage_V, reset_width_s : float
        ``"kmc"``: RESET pulse amplitude (< 0, V) and width (s). Default −1.5 V / 10 µs: the
        reverse bias acts through the drop at the filament's neck; with the local field a scan
        (docs/filament.md) gives no change at −0.5 … −0.7 V / 0.1–1 ms, depression over 1–4
        pulses at −1 V / 1 ms (~3× the KMC events and Kwant solves of the whole train), two-step
        depression at −1.5 V / 10 µs and a one-pulse RESET at −1.5 V / 100 µs; the default
        scattering field shifts it to weaker pulses (gradual at −1 V / 0.1 ms, two-step at
        −1.5 V / 10 µs in one device of three, one pulse in the others).
    compliance_A, temperature_K, read_voltage_V : float
        ``"kmc"``: current compliance of SET pulses (A), ambient temperature (K), read voltage
        (V).
    n_devices : int
        Disorder realizations = devices (≥ 1).
    n_cycles : int
        Random-order regrowths of device 0 (cycle-to-cycle variation; 0: not modelled).
    disorder_eV : float
        On-site disorder amplitude in the filament, eV.
    pulse_voltage_V, pulse_width_s : float
        Programming pulse amplitude (V) and width (s).
    read_noise_rel : float
        Relative read noise written into the record.
    field_model : {"local", "uniform_gap", "scattering"}
        ``"kmc"``: the field the ions see (:class:`qtransport.electrochemistry.ecm.ECMParameters`):
        the local field with the filament's atoms at the injectivity potential of its Kwant
        scattering states (default), the local Laplace/series-resistance potential, or the
        earliest uniform gap field (the whole V_cell over one spacing at contact).

    Examples
    --------
    >>> import qtransport as qt
    >>> r = FilamentSwitch(max_width_atoms=2, n_devices=1, n_cycles=0).response(seed=0)
    >>> g = r.weight_ltp_S[0] / qt.G0              # conductance after each SET pulse, 2e²/h
    >>> bool(g[0] < 0.01 and g[-1] > 1.0)          # the gap bridges: tunneling -> a channel
    True
    """

    name = "filament"
    summary = ("metal filament switch: ECM kinetic Monte Carlo under the pulses, quantized "
               "Kwant levels")

    @classmethod
    def default_params(cls) -> dict:
        return {"kinetics": "kmc", "material": "Ag", "max_width_atoms": 3, "length_atoms": 4,
                "n_devices": 3, "n_cycles": 2, "n_pulses": 6, "disorder_eV": 0.3,
                "pulse_voltage_V": 2.5, "pulse_width_s": 1e-3, "reset_voltage_V": -1.5,
                "reset_width_s": 1e-5, "compliance_A": 1e-4, "temperature_K": 300.0,
                "read_voltage_V": 0.1, "read_noise_rel": 0.01, "field_model": "scattering"}

    def validate(self, params: dict) -> dict:
        p = dict(params)
        check_choice("kinetics", p["kinetics"], KINETICS)
        _tb.metal_fermi_energy_eV(p["material"])           # unknown metal -> error naming it
        if p["kinetics"] == "kmc":
            _ecm.material_parameters(p["material"])       # no kinetic data -> error naming it
        check_choice("field_model", p["field_model"], _ecm.FIELD_MODELS)
        p["length_atoms"] = check_int("length_atoms", p["length_atoms"], low=1, high=16)
        p["n_pulses"] = check_int("n_pulses", p["n_pulses"], low=1)
        p["reset_voltage_V"] = check_real("reset_voltage_V", p["reset_voltage_V"], high=0.0,
                                          high_open=True)
        for key in ("reset_width_s", "compliance_A", "temperature_K", "read_voltage_V"):
            p[key] = check_real(key, p[key], low=0.0, low_open=True)
        p["max_width_atoms"] = check_int("max_width_atoms", p["max_width_atoms"], low=2)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        p["n_cycles"] = check_int("n_cycles", p["n_cycles"], low=0)
        for key in ("disorder_eV", "read_noise_rel"):
            p[key] = check_real(key, p[key], low=0.0)
        for key in ("pulse_voltage_V", "pulse_width_s"):
            p[key] = check_real(key, p[key], low=0.0, low_open=True)
        return p

    def calls(self, seed: int = 0) -> dict[str, dict]:
        """Keyword arguments of every :func:`grow` (or, with ``kinetics="kmc"``, :func:`train`)
        call, by result name.

        Parameters
        ----------
        seed : int, optional
            Base seed (≥ 0): device i uses ``seed + i``, cycle c ``seed + 1000 + c``.

        Returns
        -------
        dict of str to dict
            Result name → keyword arguments.

        Raises
        ------
        ValueError
            If an argument is invalid: `seed` must be >= 0.
        TypeError
            If an argument has the wrong type: `seed` is not an integer.
        """
        p = self.params
        seed = check_int("seed", seed, low=0)
        if p["kinetics"] == "kmc":
            cell = {"material": p["material"], "width_atoms": p["max_width_atoms"],
                    "length_atoms": p["length_atoms"], "temperature_K": p["temperature_K"],
                    "compliance_A": p["compliance_A"], "set_voltage_V": p["pulse_voltage_V"],
                    "set_width_s": p["pulse_width_s"], "reset_voltage_V": p["reset_voltage_V"],
                    "reset_width_s": p["reset_width_s"], "n_pulses": p["n_pulses"],
                    "read_voltage_V": p["read_voltage_V"], "disorder_eV": p["disorder_eV"],
                    "field_model": p["field_model"]}
            out = {f"kmc_device_{i}": dict(cell, seed=seed + i) for i in range(p["n_devices"])}
            # cycles: device 0 (its disorder realization) with other KMC paths
            out.update({f"kmc_cycle_{c}": dict(cell, seed=seed + 1000 + c, disorder_seed=seed)
                        for c in range(p["n_cycles"])})
            return out
        common = {"max_width_atoms": p["max_width_atoms"], "dimension": 3,
                  "fermi_energy_eV": _tb.metal_fermi_energy_eV(p["material"]),
                  "hopping_eV": _tb.metal_hopping_eV(p["material"]),
                  "disorder_eV": p["disorder_eV"]}
        out = {f"growth_device_{i}": dict(common, seed=seed + i) for i in range(p["n_devices"])}
        out.update({f"growth_cycle_{i}": dict(common, seed=seed, order="random",
                                              order_seed=seed + 1000 + i)
                    for i in range(p["n_cycles"])})
        return out

    def _kmc_record(self, trains: dict[str, Result], seed: int) -> Result:
        p = self.params
        n = p["n_pulses"]
        devices, ltp, ltd, cycles = set_reset_curves(trains, "kmc_device_", "kmc_cycle_", n,
                                                     p["n_devices"], p["n_cycles"])
        energy = float(np.mean(np.concatenate([r.energy_J[1:] for r in devices])))
        retention = trains["kmc_retention"]
        return device_response(
            self.name, weight_ltp=ltp, weight_ltd=ltd, cycle_ltp=cycles, weight_unit="S",
            event_energy_J=max(energy, np.finfo(float).tiny),
            write_time_s=p["pulse_width_s"],
            retention_s=float(np.mean(retention.mean_time_s)),
            read_noise_rel=p["read_noise_rel"],
            description=f"{p['material']} ECM cell, kinetic Monte Carlo: {n} SET pulses "
                        f"{p['pulse_voltage_V']:g} V / {p['pulse_width_s']:g} s then {n} RESET "
                        f"{p['reset_voltage_V']:g} V / {p['reset_width_s']:g} s; Kwant read "
                        f"conductance; energy = mean pulse integral of V I dt",
            params={**p, "seed": seed})

    def record(self, growth: dict[str, Result], seed: int = 0) -> Result:
        """The ``device.response`` record from the results named as in :meth:`calls`
        (and, with ``"kmc"``, ``kmc_retention``).

        Parameters
        ----------
        growth : dict of str to Result
            The results of the :meth:`calls` (and ``kmc_retention``).
        seed : int, optional
            The seed used (stored in the record's parameters).

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S).
        """
        p = self.params
        if p["kinetics"] == "kmc":
            return self._kmc_record(growth, seed)
        def curves(prefix, n):
            return np.array([growth[f"{prefix}{i}"].conductance_G0 for i in range(n)]) * G0
        ltp = curves("growth_device_", p["n_devices"])
        cycles = curves("growth_cycle_", p["n_cycles"]) if p["n_cycles"] else None
        side = p["max_width_atoms"]
        return device_response(
            self.name, weight_ltp=ltp, weight_ltd=ltp[:, ::-1], cycle_ltp=cycles,
            weight_unit="S",
            event_energy_J=pulse_energy_J(ltp, p["pulse_voltage_V"], p["pulse_width_s"]),
            write_time_s=p["pulse_width_s"], retention_s=math.inf,
            read_noise_rel=p["read_noise_rel"],
            description=f"{p['material']} filament: one pulse adds/removes one atom of a "
                        f"{side}x{side} cross-section; energy = V^2 G t_pulse",
            params={**p, "seed": seed})

    def results(self, *, seed: int = 0, map=serial_map) -> dict[str, Result]:
        """Every growth curve (``growth_device_i``, ``growth_cycle_i``; independent ``map``
        calls of :func:`grow`) — with ``"kmc"`` every pulse train (``kmc_device_i``,
        ``kmc_cycle_i``, ``map`` calls of :func:`train`) and ``kmc_retention`` — and
        ``"device_response"``.

        Parameters
        ----------
        seed : int, optional
            Base seed of the devices and cycles (≥ 0).
        map : callable, optional
            Distributes the independent calls (default :func:`serial_map`).

        Returns
        -------
        dict of str to Result
            Every call's result, ``kmc_retention`` (with ``"kmc"``) and ``"device_response"``.
        """
        calls = self.calls(seed)
        kmc = self.params["kinetics"] == "kmc"
        out = dict(zip(calls, map(train if kmc else grow, list(calls.values()))))
        if kmc:
            p = self.params
            out["kmc_retention"] = _ecm.retention_times(
                [p["temperature_K"]], material=p["material"], width_atoms=p["max_width_atoms"],
                length_atoms=p["length_atoms"], n_runs=8, seed=seed,
                field_model=p["field_model"])
        out["device_response"] = self.record(out, seed)
        return out

    def response(self, *, seed: int = 0, map=serial_map) -> Result:
        """The ``device.response`` record (Kwant growth of every device and cycle).

        Parameters
        ----------
        seed : int, optional
            Base seed of the devices and cycles (≥ 0).
        map : callable, optional
            Distributes the independent calls (default :func:`serial_map`).

        Returns
        -------
        Result
            Kind ``"device.response"``.
        """
        return self.results(seed=seed, map=map)["device_response"]
