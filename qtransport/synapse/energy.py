"""Energy ledger: counts of synaptic events times the energy of one event.

The ledger is how every energy figure of the synapse layer is made: the network model records how
many programming pulses (and, optionally, reads) it issued, and the total is Σ events × energy per
event, with each contribution kept separately so a report can show where the energy went.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import check_real

__all__ = ["EnergyLedger"]


@dataclass
class EnergyLedger:
    """Running tally of synaptic events and their energy.

    Parameters
    ----------
    events : dict of str to float, optional
        Event count by kind.
    energy_per_event_J : dict of str to float, optional
        Energy of one event by kind, J.

    Notes
    -----
    E_total = Σ_k N_k · E_k over event kinds k (write pulses, reads …); E_k in J per event.

    Examples
    --------
    >>> ledger = EnergyLedger()
    >>> ledger.add("write", 1000, 10e-15)
    >>> ledger.total_J
    1e-11
    """

    events: dict[str, float] = field(default_factory=dict)
    energy_per_event_J: dict[str, float] = field(default_factory=dict)

    def add(self, kind: str, n_events: float, energy_per_event_J: float) -> None:
        """Record ``n_events`` events of ``kind`` costing ``energy_per_event_J`` each (J).

        A kind keeps the energy per event given first; a different value for the same kind is an
        error (it would make the total ambiguous).

        Parameters
        ----------
        kind : str
            Event kind (``"write"``, ``"read"`` …).
        n_events : float
            Number of events (≥ 0).
        energy_per_event_J : float
            Energy of one event, J (≥ 0).

        Raises
        ------
        TypeError
            An empty or non-string ``kind``.
        ValueError
            A different energy per event for a known kind, or a negative value.

        Examples
        --------
        >>> ledger = EnergyLedger()
        >>> ledger.add('write', 10, 1e-12)
        >>> f"{ledger.energy_J('write'):.1e}"
        '1.0e-11'
        """
        if not isinstance(kind, str) or not kind:
            raise TypeError(f"kind must be a non-empty string naming the event (e.g. 'write'), "
                            f"got {kind!r}")
        n = check_real("n_events", n_events, low=0.0)
        e = check_real("energy_per_event_J", energy_per_event_J, low=0.0)
        known = self.energy_per_event_J.get(kind)
        if known is not None and known != e:
            raise ValueError(f"energy_per_event_J for {kind!r} is already {known!r} J, got {e!r}")
        self.energy_per_event_J[kind] = e
        self.events[kind] = self.events.get(kind, 0.0) + n

    def energy_J(self, kind: str) -> float:
        """Energy spent on events of one kind, J.

        Parameters
        ----------
        kind : str
            A recorded event kind.

        Returns
        -------
        float
            Energy, J.

        Raises
        ------
        ValueError
            No events of that kind.

        Examples
        --------
        >>> ledger = EnergyLedger()
        >>> ledger.add('read', 4, 2e-15)
        >>> f"{ledger.energy_J('read'):.1e}"
        '8.0e-15'
        """
        if kind not in self.events:
            raise ValueError(f"no events of kind {kind!r}; recorded: {sorted(self.events)}")
        return self.events[kind] * self.energy_per_event_J[kind]

    @property
    def total_J(self) -> float:
        """Total energy, J."""
        return float(sum(self.events[k] * self.energy_per_event_J[k] for k in self.events))

    @property
    def total_events(self) -> float:
        """Number of events of all kinds."""
        return float(sum(self.events.values()))

    def table(self) -> list[tuple[str, float, float, float]]:
        """Rows (kind, events, energy per event J, energy J).

        Returns
        -------
        list of tuple
            One (kind, events, energy per event in J, energy in J) per kind, sorted by kind.

        Examples
        --------
        >>> ledger = EnergyLedger()
        >>> ledger.add('write', 10, 1e-12)
        >>> len(ledger.table())
        1
        """
        return [(k, self.events[k], self.energy_per_event_J[k], self.energy_J(k))
                for k in sorted(self.events)]
