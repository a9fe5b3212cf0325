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

from .infra import (atomic_path, check_output_file, file_path,  # noqa: F401  (re-exported)
                    package_versions, to_jsonable)

__all__ = ["Result", "unit_of", "provenance", "save", "load", "atomic_path", "to_jsonable",
           "check_output_file", "FORMAT"]

#: root attribute ``qtransport_format`` of every file written by :func:`save`
FORMAT = "qtransport.results/1"

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
    if not isinstance(name, str):
        raise TypeError(f"name must be a field name (str), got {name!r}")
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
        if not isinstance(self.kind, str) or not self.kind:
            raise TypeError(f"Result kind must be a non-empty string (a registered model name), "
                            f"got {self.kind!r}")
        for name, value, what in (("params", self.params, "parameters"),
                                  ("data", self.data, "named arrays"),
                                  ("attrs", self.attrs, "metadata")):
            if not isinstance(value, Mapping):
                raise TypeError(f"Result {name} must be a dict of {what}, got "
                                f"{type(value).__name__}")
        bad = [k for k in self.data if not isinstance(k, str) or not k or "/" in k]
        if bad:
            raise ValueError(f"Result data names must be non-empty strings without '/', got "
                             f"{bad[0]!r}")
        self.data = {k: np.asarray(v) for k, v in self.data.items()}
        self.params = to_jsonable(dict(self.params))
        self.attrs = dict(self.attrs)

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


def _fspath(name: str, path: Any) -> str:
    """``os.fspath(path)`` with an error naming the parameter (:func:`qtransport.infra.file_path`)."""
    return file_path(path, name)


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
    """Read a :class:`Result` written by :func:`write_result`.

    Raises
    ------
    ValueError
        The group is not a result group (no ``kind``/``params``, or unreadable JSON), naming the
        group.
    """
    where = f"group {group.name!r}"
    try:
        kind = group.attrs["kind"]
        params = json.loads(group.attrs["params"])
        attrs = json.loads(group.attrs.get("attrs", "{}"))
    except KeyError as exc:
        raise ValueError(f"{where} is not a qtransport result (attribute {exc} missing)") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where} has unreadable params/attrs (not JSON: {exc})") from None
    if isinstance(kind, bytes):
        kind = kind.decode("utf-8", "replace")
    if not isinstance(params, dict) or not isinstance(attrs, dict):
        raise ValueError(f"{where} has params/attrs that are not JSON objects")
    data = {}
    for name, ds in group.items():
        if not hasattr(ds, "shape"):
            continue
        arr = ds[()]
        if ds.dtype.kind == "O":
            arr = np.asarray(ds.asstr()[()], dtype=str)
        data[name] = np.asarray(arr)
    return Result(str(kind), params, data, attrs)


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
    if not isinstance(results, Mapping):
        raise TypeError(f"results must be a dict of group path -> Result, got "
                        f"{type(results).__name__}")
    for name, result in results.items():
        if not isinstance(name, str) or not name.strip("/"):
            raise ValueError(f"results keys must be non-empty group paths like "
                             f"'stage/name', got {name!r}")
        if not isinstance(result, Result):
            raise TypeError(f"results[{name!r}] must be a Result, got {type(result).__name__}")
        try:
            json.dumps(result.params)
            json.dumps(to_jsonable(result.attrs))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"results[{name!r}] params/attrs must be JSON values (numbers, "
                            f"strings, lists, dicts): {exc}") from None
        for field_name, arr in result.data.items():
            if arr.dtype.kind not in "biufcUS":
                raise TypeError(f"results[{name!r}].data[{field_name!r}] has dtype {arr.dtype}; "
                                "only numeric, bool and string arrays can be saved")
    names = sorted(n.strip("/") for n in results)
    for a, b in zip(names, names[1:]):
        if a == b or b.startswith(a + "/"):
            raise ValueError(f"results keys {a!r} and {b!r} collide (one group inside the other)")
    for name, value in (("config_text", config_text), ("command", command)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    from .errors import check_int
    mpi_size = check_int("mpi_size", mpi_size, low=1)
    with atomic_path(path) as tmp:
        with h5py.File(tmp, "w") as f:
            for key, value in provenance(config_text, command, mpi_size).items():
                f.attrs[key] = value
            f.attrs["qtransport_format"] = FORMAT
            for name, result in results.items():
                write_result(f.create_group(name), result)


def _open_h5(path: str, name: str = "path"):
    """Open an HDF5 file for reading; clear errors naming the path instead of h5py's OSError."""
    import h5py
    if not os.path.exists(path):
        raise FileNotFoundError(f"{name} {path!r}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{name} {path!r} is a directory, not an HDF5 file")
    if not os.path.isfile(path):
        raise ValueError(f"{name} {path!r} is not a regular file (a device or a pipe?), not a "
                         "qtransport result file")
    try:
        return h5py.File(path, "r")
    except OSError as exc:
        text = str(exc)
        if "truncated" in text:
            why = "the file is truncated (an interrupted copy or write?)"
        elif "signature" in text:
            why = "it is not an HDF5 file"
        else:
            why = f"it cannot be read as HDF5 ({text})"
        raise ValueError(f"{name} {path!r} is not a qtransport result file: {why}") from None


def load(path: str | os.PathLike) -> dict[str, Result]:
    """Read every result group of a file written by :func:`save`.

    Returns
    -------
    dict of str → Result
        Group path → result (empty only for a result file saved with no results).

    Raises
    ------
    FileNotFoundError, IsADirectoryError
        No such file; a directory.
    ValueError
        Not a qtransport result file, naming the path: not HDF5, truncated, a sweep file (read
        those with :func:`qtransport.workflows.sweep.load`), an HDF5 file of another program, or
        a result group that cannot be read.
    """
    import h5py
    path = _fspath("path", path)
    found: dict[str, Result] = {}
    with _open_h5(path) as f:
        if "sweep" in f and isinstance(f["sweep"], h5py.Group) and "n_points" in f["sweep"].attrs:
            raise ValueError(f"path {path!r} is a sweep file, not a result file: read it with "
                             "qtransport.workflows.sweep.load")
        marked = f.attrs.get("qtransport_format") == FORMAT
        legacy = "qtransport_version" in f.attrs     # written by save() before the format mark
        if not (marked or legacy):
            raise ValueError(f"path {path!r} is an HDF5 file but not a qtransport result file "
                             "(no qtransport_format attribute; written by another program?)")

        def visit(name, obj):
            if isinstance(obj, h5py.Group) and "kind" in obj.attrs and "params" in obj.attrs:
                try:
                    found[name] = read_result(obj)
                except ValueError as exc:
                    raise ValueError(f"path {path!r}: {exc}") from None
        try:
            f.visititems(visit)
        except (OSError, RuntimeError, KeyError) as exc:
            raise ValueError(f"path {path!r} is damaged: cannot read its groups ({exc})") from None
    return found
