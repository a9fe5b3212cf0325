"""Device families ``vacancy_2d`` (MoS₂) and ``vacancy_2d_hbn`` (h-BN): 2-D vacancy memristors.

A vertical metal / monolayer / metal cell (``vacancy_2d_hbn``: Cu / monolayer h-BN / Cu, the
two-band model of :mod:`qtransport.electrochemistry.vacancy2d`; ``vacancy_2d`` takes either
material through ``material``).

The weights are the Kwant conductances of the monolayer patch with its filled vacancy sites
(:mod:`qtransport.electrochemistry.vacancy2d`), through ``n_pulses`` SET pulses from the all-empty
layer and ``n_pulses`` RESET pulses:

* device-to-device variation: one vacancy placement per device (seeds ``seed + i``);
* cycle-to-cycle variation: device 0's SET train with other kinetic seeds (``seed + 1000 + c``);
* energy per event: V_pulse² ⟨G⟩ t_pulse at the mean conductance of the device curves (the
  layer's current during the pulse; the ionic work is neglected);
* retention: 1/k_empty(V = 0), the mean lifetime of a filled vacancy at zero bias (exact for the
  two-state kinetics).

Examples
--------
>>> VacancyMemristor(n_devices=1, n_cycles=0).params["material"]
'MoS2'
"""
from __future__ import annotations

import numpy as np

from ..electrochemistry import vacancy2d as _v
from ..errors import check_choice, check_int, check_real
from ..results import Result
from .base import DeviceFamily, register_family, serial_map
from .record import device_response, set_reset_curves

__all__ = ["VacancyMemristor", "HBNVacancyMemristor", "train"]


def train(**kwargs) -> Result:
    """One pulse train, :func:`qtransport.electrochemistry.vacancy2d.pulse_train` (for ``map``).

    Parameters
    ----------
    **kwargs
        Keywords of :func:`qtransport.electrochemistry.vacancy2d.pulse_train`.

    Returns
    -------
    Result
        Kind ``"vacancy2d.pulse_train"``.
    """
    return _v.pulse_train(**kwargs)


@register_family
class VacancyMemristor(DeviceFamily):
    """The 2-D vacancy memristor family (adatom filling of vacancies, Kwant conductance).

    Parameters
    ----------
    material : str
        Monolayer with vacancy parameters (``vac_*`` keys): MoS2 or hBN.
    patch_sites, n_vacancies : int
        N × N patch and its number of vacancy sites (≥ 1 each, n_vacancies ≤ N²).
    n_devices, n_cycles, n_pulses : int
        Vacancy placements (≥ 1), repeated SET trains of device 0 (≥ 0), pulses per branch
        (≥ 1).
    set_voltage_V, set_width_s, reset_voltage_V, reset_width_s : float
        Pulses: SET amplitude (V, > 0) and width (s, > 0), RESET amplitude (V, < 0) and width
        (s, > 0).
    temperature_K : float
        Temperature of the filling kinetics, K (> 0).
    read_noise_rel : float
        Relative read noise written into the record (≥ 0).
    electrode : str
        Electrodes of the two-band (h-BN) model: ``"fcc111"`` (k∥-conserving fcc(111) metal,
        default) or ``"chains"`` (one chain per layer atom); not read by the MoS₂ model, whose
        electrodes are its own cubic leads.

    Examples
    --------
    >>> import numpy as np
    >>> r = VacancyMemristor(n_devices=2, n_cycles=0).response(seed=0)
    >>> r.weight_ltp_S.shape                       # (devices, pulses + 1), siemens
    (2, 9)
    >>> bool(np.all(np.diff(r.weight_ltp_S, axis=1) >= 0))   # SET pulses only fill vacancies
    True
    """

    name = "vacancy_2d"
    summary = "2-D vacancy memristor (MoS2): adatoms fill vacancies under field, Kwant levels"

    @classmethod
    def default_params(cls) -> dict:
        return {"material": "MoS2", "patch_sites": 6, "n_vacancies": 4, "n_devices": 3,
                "n_cycles": 2, "n_pulses": 8, "set_voltage_V": 0.6, "set_width_s": 1e-3,
                "reset_voltage_V": -1.5, "reset_width_s": 1e-3, "temperature_K": 300.0,
                "read_noise_rel": 0.01, "electrode": "fcc111"}

    def validate(self, params: dict) -> dict:
        p = dict(params)
        _v.layer_parameters(p["material"], electrode=p["electrode"])
        for key, low in (("patch_sites", 1), ("n_vacancies", 1), ("n_devices", 1),
                         ("n_cycles", 0), ("n_pulses", 1)):
            p[key] = check_int(key, p[key], low=low)
        _v.layer_parameters(p["material"], patch_sites=p["patch_sites"],
                            n_vacancies=p["n_vacancies"], electrode=p["electrode"])
        p["set_voltage_V"] = check_real("set_voltage_V", p["set_voltage_V"], low=0.0,
                                        low_open=True)
        p["reset_voltage_V"] = check_real("reset_voltage_V", p["reset_voltage_V"], high=0.0,
                                          high_open=True)
        for key in ("set_width_s", "reset_width_s", "temperature_K"):
            p[key] = check_real(key, p[key], low=0.0, low_open=True)
        p["read_noise_rel"] = check_real("read_noise_rel", p["read_noise_rel"], low=0.0)
        return p

    def calls(self, seed: int = 0) -> dict[str, dict]:
        """Keyword arguments of every :func:`train` call, by result name.

        Parameters
        ----------
        seed : int, optional
            Base seed (≥ 0).

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
        common = {k: p[k] for k in ("material", "patch_sites", "n_vacancies", "temperature_K",
                                    "set_voltage_V", "set_width_s", "reset_voltage_V",
                                    "reset_width_s", "n_pulses", "electrode")}
        out = {f"vacancy_device_{i}": dict(common, seed=seed + i) for i in range(p["n_devices"])}
        out.update({f"vacancy_cycle_{c}": dict(common, seed=seed, kinetics_seed=seed + 1000 + c)
                    for c in range(p["n_cycles"])})
        return out

    def record(self, trains: dict[str, Result], seed: int = 0) -> Result:
        """The ``device.response`` record from the trains named as in :meth:`calls`.

        Parameters
        ----------
        trains : dict of str to Result
            The :meth:`calls` results.
        seed : int, optional
            The seed used (stored in the record's parameters).

        Returns
        -------
        Result
            Kind ``"device.response"`` (weights in S).
        """
        p = self.params
        n = p["n_pulses"]
        _, ltp, ltd, cycles = set_reset_curves(trains, "vacancy_device_", "vacancy_cycle_", n,
                                               p["n_devices"], p["n_cycles"])
        g_mean = float(np.mean(np.concatenate([ltp.ravel(), ltd.ravel()])))
        energy = 0.5 * (p["set_voltage_V"] ** 2 * p["set_width_s"]
                        + p["reset_voltage_V"] ** 2 * p["reset_width_s"]) * g_mean
        layer = _v.layer_parameters(p["material"], patch_sites=p["patch_sites"],
                                    n_vacancies=p["n_vacancies"],
                                    temperature_K=p["temperature_K"],
                                    electrode=p["electrode"])
        retention = 1.0 / _v.fill_rates(layer, 0.0)[1]
        cells = "honeycomb-cell torus" if layer.model == "two_band" else "patch"
        return device_response(
            self.name, weight_ltp=ltp, weight_ltd=ltd, cycle_ltp=cycles, weight_unit="S",
            event_energy_J=energy, write_time_s=p["set_width_s"], retention_s=retention,
            read_noise_rel=p["read_noise_rel"],
            description=f"{p['material']} vacancy memristor: {p['n_vacancies']} vacancies in a "
                        f"{p['patch_sites']}x{p['patch_sites']} {cells}, {n} SET "
                        f"{p['set_voltage_V']:g} V / {n} RESET {p['reset_voltage_V']:g} V "
                        f"pulses; Kwant conductance; energy = V^2 <G> t",
            params={**p, "seed": seed})

    def results(self, *, seed: int = 0, map=serial_map) -> dict[str, Result]:
        """Every pulse train (``vacancy_device_i``, ``vacancy_cycle_c``) and
        ``"device_response"``.

        Parameters
        ----------
        seed : int, optional
            Base seed (≥ 0): device i places its vacancies with ``seed + i``, cycle c fills with
            ``seed + 1000 + c``.
        map : callable, optional
            Distributes the train calls (default :func:`serial_map`).

        Returns
        -------
        dict of str to Result
            Every train and ``"device_response"``.
        """
        calls = self.calls(seed)
        out = dict(zip(calls, map(train, list(calls.values()))))
        out["device_response"] = self.record(out, seed)
        return out

    def response(self, *, seed: int = 0, map=serial_map) -> Result:
        """The ``device.response`` record.

        Parameters
        ----------
        seed : int, optional
            Base seed (≥ 0): device i places its vacancies with ``seed + i``, cycle c fills with
            ``seed + 1000 + c``.
        map : callable, optional
            Distributes the train calls (default :func:`serial_map`).

        Returns
        -------
        Result
            Kind ``"device.response"``.
        """
        return self.results(seed=seed, map=map)["device_response"]


@register_family
class HBNVacancyMemristor(VacancyMemristor):
    """The h-BN vacancy memristor: Cu adatoms fill B vacancies of monolayer h-BN (two-band
    Kwant model between two fcc(111) Cu electrodes that conserve k∥; ~one conducting channel per
    filled vacancy above the one-layer tunneling floor).

    Same parameters as :class:`VacancyMemristor`; the defaults are h-BN, a 6 × 6-cell torus with
    4 B vacancies, and pulses near the model's own 50 % switching amplitudes for 1 ms
    (:func:`qtransport.electrochemistry.vacancy2d.switching_voltage`: 0.79 V SET, −1.59 V RESET).

    Examples
    --------
    >>> HBNVacancyMemristor(n_devices=1, n_cycles=0).params["material"]
    'hBN'
    """

    name = "vacancy_2d_hbn"
    summary = "2-D vacancy memristor (h-BN): Cu adatoms fill B vacancies, two-band Kwant levels"

    @classmethod
    def default_params(cls) -> dict:
        return {**super().default_params(), "material": "hBN", "set_voltage_V": 0.8,
                "reset_voltage_V": -1.6}

    def validate(self, params: dict) -> dict:
        check_choice("material", params.get("material"), ("hBN",))   # the family is h-BN only
        return super().validate(params)
