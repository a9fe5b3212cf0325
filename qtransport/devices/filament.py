"""Device family ``filament``: a conductive-bridge (ECM) switch whose weight is a metal filament.

One programming pulse adds (potentiation) or removes (depression) one atom of the filament
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

Examples
--------
>>> FilamentSwitch(max_width_atoms=2, n_devices=1, n_cycles=0).params["material"]
'Ag'
"""
from __future__ import annotations

import math

import numpy as np

from ..constants import G0
from ..errors import check_int, check_real
from ..results import Result
from ..tight_binding import filament as _tb
from .base import DeviceFamily, register_family, serial_map
from .record import device_response

__all__ = ["FilamentSwitch", "grow", "pulse_energy_J"]


def grow(**kwargs) -> Result:
    """One growth curve: :func:`qtransport.tight_binding.filament.growth` (module level, so a
    pipeline stage can map it over MPI ranks)."""
    return _tb.growth(**kwargs)


def pulse_energy_J(conductance_S, pulse_voltage_V: float, pulse_width_s: float) -> float:
    """Joule energy of one programming pulse, V² ⟨G⟩ t, J (⟨G⟩: mean of ``conductance_S``)."""
    v = check_real("pulse_voltage_V", pulse_voltage_V, low=0.0, low_open=True)
    t = check_real("pulse_width_s", pulse_width_s, low=0.0, low_open=True)
    return v ** 2 * float(np.mean(conductance_S)) * t


@register_family
class FilamentSwitch(DeviceFamily):
    """The filament device family: atom-by-atom growth of a metal filament (Kwant).

    Parameters (keywords)
    ----------
    material : str
        Filament metal (its free-electron Fermi energy and hopping from ``materials``).
    max_width_atoms : int
        The cross-section grows to max_width × max_width atoms (3D cubic lattice).
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
    """

    name = "filament"
    summary = "metal filament switch: one pulse adds/removes one atom (quantized Kwant levels)"

    @classmethod
    def default_params(cls) -> dict:
        return {"material": "Ag", "max_width_atoms": 4, "n_devices": 4, "n_cycles": 4,
                "disorder_eV": 0.3, "pulse_voltage_V": 0.3, "pulse_width_s": 10e-9,
                "read_noise_rel": 0.01}

    def validate(self, params: dict) -> dict:
        p = dict(params)
        _tb.metal_fermi_energy_eV(p["material"])           # unknown metal -> error naming it
        p["max_width_atoms"] = check_int("max_width_atoms", p["max_width_atoms"], low=2)
        p["n_devices"] = check_int("n_devices", p["n_devices"], low=1)
        p["n_cycles"] = check_int("n_cycles", p["n_cycles"], low=0)
        for key in ("disorder_eV", "read_noise_rel"):
            p[key] = check_real(key, p[key], low=0.0)
        for key in ("pulse_voltage_V", "pulse_width_s"):
            p[key] = check_real(key, p[key], low=0.0, low_open=True)
        return p

    def calls(self, seed: int = 0) -> dict[str, dict]:
        """Keyword arguments of every :func:`grow` call, by result name."""
        p = self.params
        seed = check_int("seed", seed, low=0)
        common = {"max_width_atoms": p["max_width_atoms"], "dimension": 3,
                  "fermi_energy_eV": _tb.metal_fermi_energy_eV(p["material"]),
                  "hopping_eV": _tb.metal_hopping_eV(p["material"]),
                  "disorder_eV": p["disorder_eV"]}
        out = {f"growth_device_{i}": dict(common, seed=seed + i) for i in range(p["n_devices"])}
        out.update({f"growth_cycle_{i}": dict(common, seed=seed, order="random",
                                              order_seed=seed + 1000 + i)
                    for i in range(p["n_cycles"])})
        return out

    def record(self, growth: dict[str, Result], seed: int = 0) -> Result:
        """The ``device.response`` record from the growth results named as in :meth:`calls`."""
        p = self.params
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
        calls of :func:`grow`) and ``"device_response"``."""
        calls = self.calls(seed)
        out = dict(zip(calls, map(grow, list(calls.values()))))
        out["device_response"] = self.record(out, seed)
        return out

    def response(self, *, seed: int = 0, map=serial_map) -> Result:
        """The ``device.response`` record (Kwant growth of every device and cycle)."""
        return self.results(seed=seed, map=map)["device_response"]
