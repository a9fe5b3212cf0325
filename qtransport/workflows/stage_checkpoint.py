"""Stage checkpoints of ``qtransport run``: a killed pipeline resumes at the stage it was in.

Each finished stage is written, atomically, to ``DIR/.qtransport-run/NN-stage.h5`` (the stage's
results in the one result schema, plus its timing and warnings). A stage file carries a key: the
SHA-256 of the qtransport version and the configuration of that stage *and of every stage before
it* (a stage reads its predecessors' results), and a SHA-256 of its payload. A rerun with the
same configuration reads the stages whose key and payload digest match and computes the rest; a
file with any other key, an unreadable file or a payload that does not hash to its digest is
recomputed, never used. So a resume cannot attach a result to other parameters. When
``run.h5``, the figures and the report are written, the checkpoint folder is removed.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from ..results import Result

__all__ = ["CHECKPOINT_DIR", "StageRecord", "stage_key", "save_stage", "load_stage",
           "unfinished_config", "discard"]

log = logging.getLogger(__name__)

#: folder inside the output folder that holds the finished stages of an unfinished run
CHECKPOINT_DIR = ".qtransport-run"
#: format tag of a stage file (bumped if the layout changes: older files are recomputed)
STAGE_FORMAT = "qtransport-stage-v1"


@dataclass
class StageRecord:
    """A finished stage: its results and what the run's provenance records about it.

    Parameters
    ----------
    results : dict of str to Result
        The stage's results by name (without the ``"stage/"`` prefix).
    seconds, cpu_seconds : float
        Wall and rank-0 CPU seconds the stage took when it was computed.
    warnings : list of [str, str]
        ``[category, message]`` of the warnings it raised.
    accuracy : list of str
        Its AccuracyWarning messages.
    """

    results: dict[str, Result]
    seconds: float
    cpu_seconds: float
    warnings: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)


def stage_key(cfg: Mapping[str, Mapping[str, Any]], index: int,
              to_toml: Callable[[Mapping[str, Mapping[str, Any]]], str]) -> str:
    """SHA-256 naming what stage ``index`` of ``cfg`` computes from.

    Parameters
    ----------
    cfg : mapping
        The merged pipeline configuration (``cfg["pipeline"]["stages"]`` in run order).
    index : int
        Position of the stage in that order.
    to_toml : callable
        The configuration's canonical TOML writer (:func:`~.pipeline.config_toml`).

    Returns
    -------
    str
        64 hexadecimal characters; equal keys mean equal version, stage order up to ``index``
        and configuration of each of those stages.

    Examples
    --------
    >>> cfg = {"pipeline": {"stages": ["a", "b"]}, "a": {"x": 1}, "b": {"y": 2}}
    >>> toml = lambda c: json.dumps(c, sort_keys=True)
    >>> stage_key(cfg, 0, toml) == stage_key({**cfg, "b": {"y": 3}}, 0, toml)
    True
    >>> stage_key(cfg, 1, toml) == stage_key({**cfg, "b": {"y": 3}}, 1, toml)
    False
    """
    from .. import __version__
    names = list(cfg["pipeline"]["stages"][:index + 1])
    prefix = {"pipeline": {"stages": names}, **{n: cfg[n] for n in names}}
    h = hashlib.sha256(f"{STAGE_FORMAT}\0{__version__}\0".encode())
    h.update(to_toml(prefix).encode())
    return h.hexdigest()


def _path(out: Path, index: int, name: str) -> Path:
    return out / CHECKPOINT_DIR / f"{index:02d}-{name}.h5"


def _payload_digest(results: Mapping[str, Result]) -> str:
    """SHA-256 of results as the schema stores them: kind, params and attrs as JSON, each data
    field's name, shape and bytes (numbers: with their dtype; strings: their values)."""
    from ..results import to_jsonable
    h = hashlib.sha256(b"qtransport-stage-payload-v1\0")
    for key in sorted(results):
        r = results[key]
        h.update(json.dumps([key, str(r.kind), r.params, to_jsonable(r.attrs)],
                            sort_keys=True).encode())
        for name in sorted(r.data):
            a = np.ascontiguousarray(r.data[name])
            if a.dtype.kind in "OUS":
                h.update(f"\0{name}\0str\0{a.shape}\0{a.tolist()!r}".encode())
            else:
                h.update(f"\0{name}\0{a.dtype.str}\0{a.shape}\0".encode())
                h.update(a.tobytes())
    return h.hexdigest()


def save_stage(out: Path, index: int, name: str, key: str, record: StageRecord, *,
               config_text: str, command: str = "", mpi_size: int = 1) -> Path:
    """Write one finished stage to the checkpoint folder (atomically: the whole file or none).

    Parameters
    ----------
    out : pathlib.Path
        The run's output folder (created, with the checkpoint folder, if missing).
    index : int
        Position of the stage in the run order.
    name : str
        Stage name.
    key : str
        Its :func:`stage_key`.
    record : StageRecord
        What to store.
    config_text : str
        The run's whole effective configuration (TOML), read back by :func:`unfinished_config`.
    command : str, optional
        Command line, for provenance.
    mpi_size : int, optional
        Ranks, for provenance.

    Returns
    -------
    pathlib.Path
        The stage file.
    """
    from .. import results as _results
    from ..results import to_jsonable
    stored = {f"{name}/{k}": _results.as_result(k, v) for k, v in record.results.items()}
    path = _path(out, index, name)
    _results.save(path, stored, config_text=config_text, command=command, mpi_size=mpi_size,
                  attrs={"stage_format": STAGE_FORMAT, "stage_name": name,
                         "stage_index": index, "stage_key": key,
                         "stage_payload_sha256": _payload_digest(stored),
                         "stage_seconds": float(record.seconds),
                         "stage_cpu_seconds": float(record.cpu_seconds),
                         "stage_warnings": json.dumps(to_jsonable(record.warnings)),
                         "stage_accuracy_warnings": json.dumps(list(record.accuracy))})
    return path


def _attr(attrs, name: str, default=None):
    value = attrs.get(name, default)
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def load_stage(out: Path, index: int, name: str, key: str) -> StageRecord | None:
    """The stored stage if its file holds exactly this stage of this configuration, else None.

    A missing file, another key (configuration, stage order or version), a damaged or foreign
    file, or a payload that does not hash to its recorded digest all give None (the stage is
    then computed again); the reason is logged.

    Parameters
    ----------
    out : pathlib.Path
        The run's output folder.
    index : int
        Position of the stage in the run order.
    name : str
        Stage name.
    key : str
        The :func:`stage_key` the stage must have.

    Returns
    -------
    StageRecord or None
        The stage's results (names without the ``"stage/"`` prefix), timing and warnings.
    """
    import h5py
    from .. import results as _results
    path = _path(out, index, name)
    if not path.is_file():
        return None
    try:
        with h5py.File(path, "r") as f:
            attrs = {k: f.attrs[k] for k in f.attrs}
        if (_attr(attrs, "stage_format") != STAGE_FORMAT or _attr(attrs, "stage_key") != key
                or _attr(attrs, "stage_name") != name):
            log.info("stage checkpoint %s is of another configuration: recomputed", path)
            return None
        stored = _results.load(path)
        if _payload_digest(stored) != _attr(attrs, "stage_payload_sha256"):
            log.warning("stage checkpoint %s does not match its digest: recomputed", path)
            return None
        prefix = f"{name}/"
        if not all(k.startswith(prefix) for k in stored):
            return None
        return StageRecord(results={k[len(prefix):]: v for k, v in stored.items()},
                           seconds=float(attrs["stage_seconds"]),
                           cpu_seconds=float(attrs["stage_cpu_seconds"]),
                           warnings=json.loads(_attr(attrs, "stage_warnings", "[]")),
                           accuracy=json.loads(_attr(attrs, "stage_accuracy_warnings", "[]")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("stage checkpoint %s is unreadable (%s): recomputed", path, exc)
        return None


def unfinished_config(out: str | os.PathLike) -> str | None:
    """The configuration (TOML) of the unfinished run in ``out``, or None if there is none.

    Parameters
    ----------
    out : path-like
        An output folder of ``qtransport run``.

    Returns
    -------
    str or None
        The effective configuration recorded in its newest readable stage file; ``""`` if the
        checkpoint folder exists but holds no readable stage.
    """
    import h5py
    folder = Path(out) / CHECKPOINT_DIR
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("[0-9][0-9]-*.h5"), reverse=True):
        try:
            with h5py.File(path, "r") as f:
                if _attr(f.attrs, "stage_format") == STAGE_FORMAT:
                    return str(_attr(f.attrs, "config", ""))
        except (OSError, ValueError):
            continue
    return ""


def discard(out: str | os.PathLike) -> None:
    """Remove the checkpoint folder of ``out`` (after the run's outputs are written).

    Parameters
    ----------
    out : path-like
        The run's output folder.
    """
    shutil.rmtree(Path(out) / CHECKPOINT_DIR, ignore_errors=True)
