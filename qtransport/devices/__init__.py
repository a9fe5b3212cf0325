"""Device families: each module turns physics into one synaptic device's response.

``devices.get("floating_gate")`` returns the family class; ``devices.names()`` lists them.
Family modules load on first use, so ``import qtransport.devices`` (and the synapse layer, which
reads only :mod:`qtransport.devices.record`) stays free of Kwant and QuTiP.
"""
from __future__ import annotations

import importlib

from .base import DeviceFamily, family_classes, register_family
from .record import DEVICE_RESPONSE_KIND, device_response, weight_unit

__all__ = ["DeviceFamily", "register_family", "get", "names", "DEVICE_RESPONSE_KIND",
           "device_response", "weight_unit"]

# family name -> module (relative to this package) that registers it; the order is the order
# of the pipeline's physics stages (reports list the families in it)
_FAMILY_MODULES: dict[str, str] = {
    "filament": "filament",
    "floating_gate": "floating_gate",
    "photonic_2deg": "photonic",
    "magnetic_josephson": "magnetic_josephson",
    "fefet": "ferroelectric",
    "ftj": "ferroelectric",
    "domain_wall": "spintronic",
    "skyrmion": "spintronic",
    "quantum_dot": "quantum_dot",
    "vacancy_2d": "vacancy_memristor",
    "vacancy_2d_hbn": "vacancy_memristor",
}


def names() -> list[str]:
    """Names of every device family qtransport knows (listed ones first, in pipeline order).

    Returns
    -------
    list of str
        Family names.

    Examples
    --------
    >>> names()[:2]
    ['filament', 'floating_gate']
    """
    return list(_FAMILY_MODULES) + sorted(set(family_classes()) - set(_FAMILY_MODULES))


def get(name: str) -> type[DeviceFamily]:
    """The family class registered as ``name``; unknown names list the known ones.

    Parameters
    ----------
    name : str
        Family name (one of :func:`names`).

    Returns
    -------
    type
        The :class:`DeviceFamily` subclass (its module is imported on first use).

    Raises
    ------
    ValueError
        An unknown name.

    Examples
    --------
    >>> get('ftj').__name__
    'FTJSynapse'
    """
    if name in _FAMILY_MODULES:
        importlib.import_module(f".{_FAMILY_MODULES[name]}", __name__)
    classes = family_classes()
    if name not in classes:
        raise ValueError(f"unknown device family {name!r}; known: {names()}")
    return classes[name]
