"""Deprecated location of the device-response record; use :mod:`qtransport.devices.record`."""
from .devices.record import DEVICE_RESPONSE_KIND, WEIGHT_UNITS, device_response, weight_unit

__all__ = ["DEVICE_RESPONSE_KIND", "WEIGHT_UNITS", "device_response", "weight_unit"]
