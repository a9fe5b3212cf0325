"""Result containers and their HDF5 form: units from the name suffix, provenance, atomic writes.

A :class:`Result` holds named numpy arrays (``r.energies_eV``, ``r.conductance_G0`` …), the
registered model name that made it (``kind``) and its parameters (JSON-serializable). Files are
written through :func:`qtransport.infra.atomic_path` (temporary file in the target folder,
fsync, rename, folder fsync), so a kill never leaves a half-written file under the final name.

Examples
--------
>>> import numpy as np, tempfile, os
>>> r = Result("demo", {"width_atoms": 3}, {"energies_eV": np.arange(3.0)})
>>> path = os.path.join(tempfile.mkdtemp(), "r.h5")
>>> save(path, {"stage/demo": r})
>>> load(path)["stage/demo"] == r
True
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from .infra import atomic_path, package_versions, to_jsonable  # noqa: F401  (re-exported)

__all__ = ["Result", "unit_of", "provenance", "save", "load", "atomic_path", "to_jsonable"]

#: name suffix → unit written to the HDF5 ``units`` attribute
UNIT_SUFFIXES = {
    "_eV": "eV", "_meV": "meV", "_nm": "nm", "_m": "m", "_K": "K", "_A": "A", "_V": "V",
    "_F": "F", "_ohm": "ohm", "_S": "S", "_Hz": "Hz", "_GHz": "GHz", "_s": "s", "_J": "J",
    "_G0": "2e^2/h", "_per_m": "1/m", "_per_m2": "1/m^2", "_A_per_m2": "A/m^2",
    "_V_per_m": "V/m", "_C_per_m2": "C/m^2", "_W": "W", "_fJ": "fJ", "_aJ": "aJ",
    "_rad": "rad", "_H": "H", "_Wb": "Wb", "_T": "T", "_ohm_m2": "ohm m^2",
    "_per_nm": "1/nm", "_m2_per_Vs": "m^2/(V s)", "_per_s": "1/s", "_C": "C",
}


def unit_of(name: str) -> str:
    """Return the unit a field name declares by its suffix ('1' for dimensionless names)."""
    for suffix in sorted(UNIT_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return UNIT_SUFFIXES[suffix]
    return "1"


@dataclass
class Result:
    """Arrays computed by one model call, with the model name and the parameters used.

    Parameters
    ----------
    kind : str
        Registered model name, e.g. ``"filament.conductance"``.
    params : dict
        Parameters of the call (JSON-serializable after :func:`to_jsonable`).
    data : dict of str → ndarray
        Named arrays; the unit is in the name suffix (see :func:`unit_of`).
    attrs : dict
        Extra scalar metadata (strings, numbers).
    """

    kind: str
    params: dict[str, Any]
    data: dict[str, np.ndarray]
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        self.data = {k: np.asarray(v) for k, v in self.data.items()}
        self.params = to_jsonable(self.params)

    def __getattr__(self, name: str):
        # only called for names not found normally; during unpickling __dict__ is still empty
        data = self.__dict__.get("data", {})
        if name in data:
            return data[name]
        kind = self.__dict__.get("kind", "Result")
        raise AttributeError(f"{kind} result has no field {name!r}; fields: {sorted(data)}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.kind == other.kind and self.params == other.params
                and to_jsonable(self.attrs) == to_jsonable(other.attrs)
                and self.data.keys() == other.data.keys()
                and all(np.array_equal(self.data[k], other.data[k], equal_nan=True)
                        if self.data[k].dtype.kind in "fc" else
                        np.array_equal(self.data[k], other.data[k]) for k in self.data))

    def units(self) -> dict[str, str]:
        """Unit of every array, from its name."""
        return {k: unit_of(k) for k in self.data}

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}{list(v.shape)}" for k, v in self.data.items())
        return f"Result(kind={self.kind!r}, {fields})"


def provenance(config_text: str = "", command: str = "", mpi_size: int = 1) -> dict[str, Any]:
    """Root attributes of a run file: versions, time, host, MPI size, config text and command."""
    from . import __version__
    attrs = {"qtransport_version": __version__,
             "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
             "host": platform.node(), "python": platform.python_version(),
             "mpi_size": int(mpi_size), "config": config_text, "command": command}
    for pkg, version in package_versions().items():
        attrs[f"{pkg}_version"] = version
    return attrs


def write_result(group, result: Result) -> None:
    """Write one :class:`Result` into an open h5py group."""
    group.attrs["kind"] = result.kind
    group.attrs["params"] = json.dumps(result.params, sort_keys=True)
    group.attrs["attrs"] = json.dumps(to_jsonable(result.attrs), sort_keys=True)
    for name, arr in result.data.items():
        if arr.dtype.kind == "U":
            arr = arr.astype(object)
            import h5py
            ds = group.create_dataset(name, data=arr, dtype=h5py.string_dtype())
        else:
            ds = group.create_dataset(name, data=arr)
        ds.attrs["units"] = unit_of(name)


def read_result(group) -> Result:
    """Read a :class:`Result` written by :func:`write_result`."""
    data = {}
    for name, ds in group.items():
        if not hasattr(ds, "shape"):
            continue
        arr = ds[()]
        if ds.dtype.kind == "O":
            arr = np.asarray(ds.asstr()[()], dtype=str)
        data[name] = np.asarray(arr)
    return Result(str(group.attrs["kind"]), json.loads(group.attrs["params"]), data,
                  json.loads(group.attrs.get("attrs", "{}")))


def save(path: str | os.PathLike, results: Mapping[str, Result], *, config_text: str = "",
         command: str = "", mpi_size: int = 1) -> None:
    """Write results to one HDF5 file atomically, with provenance as root attributes.

    Parameters
    ----------
    path : path-like
        Target file; replaced only once the new file is complete.
    results : mapping of str → Result
        Group path inside the file (e.g. ``"filament/staircase_2d"``) → result.
    config_text, command : str
        The TOML text and command line, stored for provenance.
    mpi_size : int
        Number of MPI ranks that computed the results.
    """
    import h5py
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            for key, value in provenance(config_text, command, mpi_size).items():
                f.attrs[key] = value
            for name, result in results.items():
                write_result(f.create_group(name), result)


def load(path: str | os.PathLike) -> dict[str, Result]:
    """Read every result group (one with a ``kind`` attribute) of a file written by :func:`save`."""
    import h5py
    found: dict[str, Result] = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Group) and "kind" in obj.attrs and "params" in obj.attrs:
                found[name] = read_result(obj)
        f.visititems(visit)
    return found
