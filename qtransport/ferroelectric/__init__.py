"""Ferroelectric physics: polarization switching (NLS/Merz), FTJ barriers, FeFET gate stacks."""
from .switching import (NLSFilm, SwitchingParameters, activation_fields, hzo_switching,
                        implied_coercive_field, merz_field, merz_time, pe_loop, pulse_train_fields,
                        single_domain_fraction)
from .ftj import FTJ, Electrode, electrode_from_materials, hzo_ftj, interface_potentials, \
    screening_charge

__all__ = ["NLSFilm", "SwitchingParameters", "activation_fields", "hzo_switching",
           "implied_coercive_field", "merz_field", "merz_time", "pe_loop", "pulse_train_fields",
           "single_domain_fraction", "FTJ", "Electrode", "electrode_from_materials", "hzo_ftj",
           "interface_potentials", "screening_charge"]
from .fefet import FeFETStack, hzo_igzo_stack, transfer_sweep  # noqa: E402

__all__ += ["FeFETStack", "hzo_igzo_stack", "transfer_sweep"]
