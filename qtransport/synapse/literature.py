"""Reference synapses for the comparison table (values and sources as listed in docs/validation.md).

Each entry: name, states (nan = not reported), energy per event in J (nan = not reported),
network accuracy in [0, 1] (nan = not reported), the task/condition, the source and the
confidence tag of docs/validation.md. Upper/lower bounds ("< 1 aJ", "> 500 states") are
stored as the bound with the relation in ``bound``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..results import Result
from ..results import declare as _declare

__all__ = ["Reference", "REFERENCES", "references_result", "BIOLOGICAL_SYNAPSE_J"]

#: energy of one biological synaptic event, J (~10 fJ; 1–100 fJ quoted) [lit]
BIOLOGICAL_SYNAPSE_J = 10e-15


@dataclass(frozen=True)
class Reference:
    """One literature synapse (see module notes).

    Parameters
    ----------
    name : str
        Device.
    states : float
        Reported conductance states (``nan``: not reported).
    energy_J : float
        Reported energy per synaptic event, J (``nan``: not reported).
    accuracy : float
        Reported network accuracy, fraction (``nan``: not reported).
    bound : str
        How the reported numbers bound the device (``"~"``, ``"<  energy"`` …; ``""``: equal).
    condition : str
        Conditions of the report.
    source : str
        Citation.

    Examples
    --------
    >>> ref = REFERENCES[0]
    >>> ref.name, ref.energy_J == BIOLOGICAL_SYNAPSE_J, ref.bound
    ('biological synapse', True, '~')
    >>> import math
    >>> math.isnan(ref.states)                                     # not reported
    True
    """

    name: str
    states: float
    energy_J: float
    accuracy: float
    bound: str
    condition: str
    source: str


_NAN = math.nan
REFERENCES: tuple[Reference, ...] = (
    Reference("biological synapse", _NAN, BIOLOGICAL_SYNAPSE_J, _NAN, "~",
              "per synaptic event; 1-100 fJ quoted", "docs/validation.md, Energies [lit]"),
    Reference("FeFET synapse", 32, _NAN, 0.84, "", "32 levels, network accuracy",
              "Oh et al. 2017; docs/validation.md [lit]"),
    Reference("skyrmion synapse", _NAN, _NAN, 0.89, "~", "network accuracy",
              "Song et al. 2020; docs/validation.md [lit]"),
    Reference("domain-wall synapse", _NAN, 1e-12, _NAN, "> energy",
              "8 ns pulses, 1-16 pJ per update, multi-level linear weights",
              "Siddiqui et al. 2020; docs/validation.md [lit]"),
    Reference("MgO/CoFeB/W spintronic network", _NAN, _NAN, 0.93, "> accuracy",
              "> 93 % pattern classification (synapses and neurons)",
              "Yang et al. 2021; docs/validation.md [lit]"),
    Reference("organic electrochemical synapse", 500, 10e-12, _NAN, "> states, < energy",
              "> 500 states, < 10 pJ per switching event", "van de Burgt et al. 2017; "
              "docs/validation.md [lit]"),
    Reference("PEO-P3HT nanowire synapse", _NAN, 1.23e-15, _NAN, "", "energy per event",
              "docs/validation.md, Energies [lit]"),
    Reference("quasi-2DEG superlattice (photonic)", _NAN, 0.7e-15, _NAN, "",
              "sub-femtojoule synaptic event", "Meng et al., Sci. Adv. 2020; docs/validation.md "
              "[lit, partly confirmed]"),
    Reference("magnetic Josephson synapse", _NAN, 1e-18, _NAN, "< energy",
              "spiking energy < 1 aJ", "Schneider et al., Sci. Adv. 2018; docs/validation.md "
              "[lit/weak]"),
    Reference("magnetic Josephson synapse, training", _NAN, 3e-18, _NAN, "~",
              "training pulses down to ~3 aJ (the programming event compared in this table)",
              "Schneider et al., Sci. Adv. 2018; docs/validation.md [lit/weak]"),
)


def references_result() -> Result:
    """The reference table as a Result (one array per column) for the run file.

    Returns
    -------
    Result
        Kind ``"synapse.literature"``: one array per column (energies in J).

    Examples
    --------
    One entry per reference; unreported numbers are NaN and equalities are marked "=":

    >>> import numpy as np
    >>> r = references_result()
    >>> r.kind, r.name.shape == (len(REFERENCES),)
    ('synapse.literature', True)
    >>> float(r.energy_per_event_J[0])                             # J, biological synapse
    1e-14
    >>> int(np.sum(~np.isnan(r.accuracy)))                         # reports with an accuracy
    3
    """
    refs = REFERENCES
    return Result("synapse.literature", {},
                  {"name": np.array([r.name for r in refs]),
                   "states": np.array([r.states for r in refs], dtype=float),
                   "energy_per_event_J": np.array([r.energy_J for r in refs], dtype=float),
                   "accuracy": np.array([r.accuracy for r in refs], dtype=float),
                   "bound": np.array([r.bound or "=" for r in refs]),
                   "condition": np.array([r.condition for r in refs]),
                   "source": np.array([r.source for r in refs])},
                  {"note": "values as listed in docs/validation.md; tasks differ from the digits MLP"})


def _draw_literature(result, ax, **kw):
    """Energy per event against the number of states, one labelled point per reported device
    (the accuracy is reported for few of them)."""
    e = np.asarray(result.energy_per_event_J, float)
    a = np.asarray(result.states, float)
    ax.scatter(e, a, **kw)
    for x, y, n in zip(e, a, result.name):
        if np.isfinite(x) and np.isfinite(y):
            ax.annotate(str(n), (x, y), fontsize="x-small")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"Energy per event (J)")
    ax.set_ylabel("Conductance states")
    ax.set_title("synapse.literature", fontsize="medium")


_declare("synapse.literature", dims={k: ("reference",) for k in (
    "name", "states", "energy_per_event_J", "accuracy", "bound", "condition", "source")},
    draw=_draw_literature)
