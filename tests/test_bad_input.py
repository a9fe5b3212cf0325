"""Bad input to the physics API is refused with a clear error, never a silent wrong answer.

Three kinds of cases, each with the parameter its message must name:

* ``CASES``: a public function, constructor or registered model called with a plausible mistake
  (NaN/inf, unsorted or duplicated grids, inconsistent lengths, negative widths, unknown names,
  data outside histogram bins …) must raise the stated exception, name the parameter, and leave
  no file behind;
* ``WARNS``: an answer that would be inaccurate (a charge basis cut too small) gives an
  :class:`~qtransport.errors.AccuracyWarning` with the number;
* ``HOSTILE``: a size that would hang or exhaust memory (10^8-atom filaments, a capacitance in F
  instead of pF, a ``_hr.dat`` declaring 10^9 orbitals …) is refused up front with an estimate
  and the keyword that raises the limit. These run in one subprocess under a memory limit
  (RLIMIT_AS) and a per-case alarm, so a regression shows up as a failure, not a hung suite.

The I/O side (results files, CSV, configs, CLI) is in ``tests/test_bad_input_io.py``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

from qtransport import landauer, materials, registry
from qtransport import devices, synapse
from qtransport.workflows import catalog, sweep
from qtransport.devices import floating_gate, photonic
from qtransport.electrochemistry import ecm, vacancy2d
from qtransport.first_principles import atomic_chain, dft, hbn, structure_conductance
from qtransport.first_principles.breakjunction import break_junction
from qtransport.first_principles.structure import Structure, hbn_bulk
from qtransport.devices import magnetic_josephson as magnetic
from qtransport.spintronics import domain_wall
from qtransport.errors import AccuracyWarning, WorkLimitError
from qtransport.josephson import (Junction, escape, junction, qdynamics, quantum, rcsj, sfq,
                                  slips, washboard)
from qtransport.tight_binding import (complex_bands, filament, qpc, rgf, schrodinger_poisson,
                                      superlattice, tb_examples, tb_model, tb_systems,
                                      tunneling, tunneling_currents, tunneling_models,
                                      wannier)
from qtransport.tight_binding.lattice import transmission_sweep

#: a junction with β_c ≈ 0.6 used by the Josephson cases (I_c 100 µA, 0.5 pF, 2 Ω)
J0 = Junction(1e-4, 0.5e-12, 2.0)
#: the ECM cell and the h-BN vacancy layer of the electrochemistry cases
AG = ecm.material_parameters("Ag")
HBN = vacancy2d.layer_parameters("hBN", patch_sites=3, n_vacancies=2)


def wire_system(width: int = 3, length: int = 4):
    """A two-terminal square-lattice Kwant wire (one orbital, t = 1) for the sweep cases."""
    import kwant
    lat = kwant.lattice.square(1, norbs=1)
    syst = kwant.Builder()
    syst[(lat(x, y) for x in range(length) for y in range(width))] = 4.0
    syst[lat.neighbors()] = -1.0
    lead = kwant.Builder(kwant.TranslationalSymmetry((-1, 0)))
    lead[(lat(0, y) for y in range(width))] = 4.0
    lead[lat.neighbors()] = -1.0
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


WIRE = wire_system()
catalog.load_all()          # every registered model (the ferroelectric ones are imported lazily)


def without_numba(call):
    """call() on the numpy RCSJ steppers (QTRANSPORT_NO_NUMBA=1); the environment is restored."""
    old = os.environ.get("QTRANSPORT_NO_NUMBA")
    os.environ["QTRANSPORT_NO_NUMBA"] = "1"
    try:
        return call()
    finally:
        if old is None:
            del os.environ["QTRANSPORT_NO_NUMBA"]
        else:
            os.environ["QTRANSPORT_NO_NUMBA"] = old

NAMESPACE = {k: v for k, v in globals().items() if not k.startswith("_")}

# --- namespace end ---

# (case id, code, exception type(s), text the message must contain: the parameter name)
CASES = [

# landauer
("landauer_unsorted", "landauer.conductance([0.0, 0.5, 0.2, 1.0], [1,1,1,1], 0.3, 10.0)", ValueError, "energies_eV"),
("landauer_dup", "landauer.current([0.0, 0.5, 0.5, 1.0], [1,1,1,1], 0.1, 10.0)", ValueError, "energies_eV"),
("landauer_nan_T", "landauer.conductance([0.0, 1.0], [1,1], 0.5, float('nan'))", ValueError, "temperature_K"),
("landauer_neg_trans", "landauer.conductance([0.0, 1.0], [1,-1], 0.5, 0.0)", ValueError, "transmission"),
("landauer_len", "landauer.conductance([0.0, 0.5, 1.0], [1,1], 0.5, 0.0)", ValueError, "transmission"),
("landauer_mu_nan", "landauer.conductance([0.0, 1.0], [1,1], float('nan'), 0.0)", ValueError, "mu_eV"),
("landauer_fermi_nan_T", "landauer.fermi([0.0, 1.0], 0.5, float('nan'))", ValueError, "temperature_K"),
("landauer_fermi_neg_T", "landauer.fermi([0.0, 1.0], 0.5, -3.0)", ValueError, "temperature_K"),
("landauer_fermi_nan_E", "landauer.fermi([0.0, float('nan')], 0.5, 3.0)", ValueError, "energies_eV"),
("landauer_kernel_T0", "landauer.thermal_kernel([0.0, 1.0], 0.5, 0.0)", ValueError, "temperature_K"),
("landauer_mu_2d", "landauer.conductance([0.0, 1.0], [1,1], [[0.2, 0.3], [0.4, 0.5]], 10.0)", ValueError, "mu_eV"),
("landauer_current_bias_inf", "landauer.current([0.0, 1.0], [1,1], float('inf'), 10.0)", ValueError, "bias_V"),
# materials
("materials_unknown", "materials.get('Unobtainium')", ValueError, "Unobtainium"),
("materials_nonstr", "materials.get(3)", (TypeError, ValueError), "name"),
# filament
("filament_nan_energy", "filament.conductance(3, [1.0, float('nan')])", ValueError, "energies_eV"),
("filament_width0", "filament.conductance(0, [1.0])", ValueError, "width_atoms"),
("filament_width_float", "filament.conductance(2.5, [1.0])", TypeError, "width_atoms"),
("filament_dim4", "filament.conductance(3, [1.0], dimension=4)", ValueError, "dimension"),
# an option given as an array or a bool: named, not numpy's "truth value of an array"
("filament_dim_array", "filament.conductance(3, [1.0], dimension=np.array([2, 3]))", ValueError, "dimension"),
("filament_dim_bool", "filament.growth(3, 1.0, dimension=True)", ValueError, "dimension"),
("tunneling_method_array", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5], method=np.array(['tmm']))", ValueError, "method"),
("tunneling_electrode_list", "tunneling.hbn_barrier(3, electrode=['graphene'])", (TypeError, ValueError), "electrode"),
("pulse_fit_direction_array", "synapse.PulseResponse.fit(np.arange(8), np.linspace(1e-6, 1e-5, 8), direction=np.array(['ltp', 'ltd']))", ValueError, "direction"),
# a barrier that carries no current in double precision: a ratio of currents would be 0/0
("mtj_opaque_cold", "registry.get('spintronics.mtj_tmr')(thickness_nm=200.0, temperature_K=4.0)", ValueError, "thickness_nm"),
("wall_walker_field_itself", "registry.get('spintronics.wall_velocity')(field_ratios=[0.5, 1.0])", ValueError, "field_ratios"),
("filament_neg_disorder", "filament.conductance(3, [1.0], disorder_eV=-0.1)", ValueError, "disorder_eV"),
("filament_nan_T", "filament.conductance(3, [1.0], temperature_K=float('nan'))", ValueError, "temperature_K"),
("filament_profile", "filament.conductance(3, [1.0], profile='round')", ValueError, "profile"),
("filament_electrode_narrow", "filament.conductance(3, [1.0], electrode_width_atoms=2)", ValueError, "electrode_width_atoms"),
("filament_hopping_neg", "filament.conductance(3, [1.0], hopping_eV=-1.0)", ValueError, "hopping_eV"),
("filament_material_unknown", "filament.conductance(3, [1.0], material='Xx')", ValueError, "material"),
("filament_material_and_hopping", "filament.conductance(3, [1.0], material='Ag', hopping_eV=1.0)", ValueError, "hopping_eV"),
("filament_mass_alone", "filament.conductance(3, [1.0], effective_mass=0.5)", ValueError, "lattice_constant_nm"),
("filament_neg_seed", "filament.conductance(3, [1.0], seed=-1)", ValueError, "seed"),
("filament_empty_energies", "filament.conductance(3, [])", ValueError, "energies_eV"),
("filament_growth_nan_ef", "filament.growth(3, float('nan'))", ValueError, "fermi_energy_eV"),
("filament_growth_order", "filament.growth(3, 1.0, order='spiral')", ValueError, "order"),
("filament_growth_electrode", "filament.growth(3, 1.0, electrode_width_atoms=2)", ValueError, "electrode_width_atoms"),
("filament_ensemble_nan_ef", "filament.ensemble(2, float('nan'), n_samples=2)", ValueError, "fermi_energy_eV"),
("filament_ensemble_kind", "filament.ensemble(2, 1.0, kind='magic')", ValueError, "kind"),
("filament_ensemble_n0", "filament.ensemble(2, 1.0, n_samples=0)", ValueError, "n_samples"),
("filament_ensemble_dim", "filament.ensemble(2, 1.0, n_samples=1, dimension=5)", ValueError, "dimension"),
("filament_ensemble_neg_dis", "filament.ensemble(2, 1.0, n_samples=1, disorder_eV=-1.0)", ValueError, "disorder_eV"),
("filament_ensemble_bin", "filament.ensemble(2, 1.0, n_samples=1, bin_width_G0=0.0)", ValueError, "bin_width_G0"),
("filament_ensemble_electrode", "filament.ensemble(3, 1.0, n_samples=1, electrode_width_atoms=1)", ValueError, "electrode_width_atoms"),
("filament_hist_outside", "filament.histogram([0.5, 1.0, 3.7], bin_width_G0=0.1, max_G0=2.0)", ValueError, "max_G0"),
("filament_hist_neg", "filament.histogram([0.5, -1.0])", ValueError, "conductances_G0"),
("filament_hist_nan", "filament.histogram([0.5, float('nan')])", ValueError, "conductances_G0"),
("filament_hist_bin_nan", "filament.histogram([0.5], bin_width_G0=float('nan'))", ValueError, "bin_width_G0"),
("filament_modecount_nan", "filament.wire_mode_count(3, [float('inf')])", ValueError, "energies_eV"),
("filament_transverse_w0", "filament.transverse_energies_eV(0)", ValueError, "width_atoms"),
("filament_metal_nonmetal", "filament.metal_hopping_eV('hBN')", ValueError, "material"),
("filament_growth_order_w", "filament.growth_order(0, 2)", ValueError, "max_width_atoms"),
("filament_registry_nan", "registry.get('filament.conductance')(width_atoms=3, energies_eV=[float('nan')])", ValueError, "energies_eV"),
# qpc
("qpc_nan_energy", "qpc.saddle_point_qpc([float('nan')])", ValueError, "energies_eV"),
("qpc_neg_mass", "qpc.saddle_point_qpc([0.01], effective_mass=-0.067)", ValueError, "effective_mass"),
("qpc_hwx0", "qpc.saddle_point_qpc([0.01], hbar_omega_x_eV=0.0)", ValueError, "hbar_omega_x_eV"),
("qpc_v0_nan", "qpc.saddle_point_qpc([0.01], v0_eV=float('nan'))", ValueError, "v0_eV"),
("qpc_buttiker_nan", "qpc.buttiker_conductance([0.01], hbar_omega_y_eV=float('nan'))", ValueError, "hbar_omega_y_eV"),
("qpc_buttiker_E_inf", "qpc.buttiker_conductance([float('inf')])", ValueError, "energies_eV"),
# tunneling
("barrier_cd_unsorted", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, 0.5, energies_eV=[1.0, 0.2, 0.5, 0.1])", ValueError, "energies_eV"),
("barrier_cd_dup", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, 0.5, energies_eV=[0.1, 0.2, 0.2, 0.5])", ValueError, "energies_eV"),
("barrier_cd_nan_bias", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(float('nan'), 300.0, 0.5)", ValueError, "bias_V"),
("barrier_cd_nan_T", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, float('nan'), 0.5)", ValueError, "temperature_K"),
("barrier_cd_no_ef", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0)", ValueError, "fermi_energy_eV"),
("barrier_cd_method", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, 0.5, method='exact')", ValueError, "method"),
("barrier_cd_nE", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, 0.5, n_energies=3)", ValueError, "n_energies"),
("barrier_neg_thickness", "tunneling.Barrier(1.5, -1.0, 0.5)", ValueError, "thickness_nm"),
("barrier_absurd_thickness", "tunneling.Barrier(1.5, 2.9e8, 0.5)", ValueError, "thickness_nm"),
("layer_absurd_thickness", "tunneling.Layer(2.9e8, 1.5, 0.5)", ValueError, "thickness_nm"),
("barrier_nan_height", "tunneling.Barrier(float('nan'), 1.0, 0.5)", ValueError, "height_eV"),
("barrier_zero_mass", "tunneling.Barrier(1.5, 1.0, 0.0)", ValueError, "effective_mass"),
("barrier_partial", "tunneling.Barrier(1.5, 1.0)", ValueError, "effective_mass"),
("barrier_layers_bad", "tunneling.Barrier(layers=[1, 2])", TypeError, "layers"),
("barrier_T_nan_E", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5, float('nan')])", ValueError, "energies_eV"),
("barrier_T_method", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5], method='magic')", ValueError, "method"),
("barrier_T_lattice_neg", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5], method='lattice', lattice_constant_nm=-0.1)", ValueError, "lattice_constant_nm"),
("barrier_T_bias_inf", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5], bias_V=float('inf'))", ValueError, "bias_V"),
("barrier_ra_T_nan", "tunneling.Barrier(1.5, 1.0, 0.5, fermi_energy_eV=0.5).resistance_area(float('nan'))", ValueError, "temperature_K"),
("barrier_energy_grid_nan", "tunneling.Barrier(1.5, 1.0, 0.5).energy_grid(0.1, 300.0, float('nan'))", ValueError, "fermi_energy_eV"),
("barrier_energy_grid_n", "tunneling.Barrier(1.5, 1.0, 0.5).energy_grid(0.1, 300.0, 0.5, n_energies=1)", ValueError, "n_energies"),
("layer_neg_perm", "tunneling.Layer(1.0, 1.5, 0.5, permittivity=-3.0)", ValueError, "permittivity"),
("rect_neg_E", "tunneling.rectangular_transmission([-0.5], 1.5, 1.0, 0.5)", ValueError, "energies_eV"),
("rect_nan_L", "tunneling.rectangular_transmission([0.5], 1.5, float('nan'), 0.5)", ValueError, "thickness_nm"),
("hbn_layers0", "tunneling.hbn_barrier(0)", ValueError, "n_layers"),
("hbn_electrode", "tunneling.hbn_barrier(3, electrode='unobtainium')", ValueError, "electrode"),
("hbn_carrier", "tunneling.hbn_barrier(3, carrier='positron')", ValueError, "carrier"),
("hbn_height_nan", "tunneling.hbn_barrier(3, barrier_height_eV=float('nan'))", ValueError, "barrier_height_eV"),
("simmons_nan_bias", "tunneling.simmons_current_density([float('nan')], 1.5, 1.0, 0.5)", ValueError, "bias_V"),
("simmons_not_opaque", "tunneling.simmons_current_density([0.01], 0.1, 1.0, 0.067)", ValueError, "bias_V"),
("simmons_neg_thick", "tunneling.simmons_current_density([0.1], 1.5, -1.0, 0.5)", ValueError, "thickness_nm"),
("fn_nan_field", "tunneling.fowler_nordheim_current_density([float('nan')], 3.0, 0.5)", ValueError, "field_V_per_m"),
("fn_slope_neg", "tunneling.fowler_nordheim_slope(-3.0, 0.5)", ValueError, "height_eV"),
("fnplot_len", "tunneling.fn_plot([1.0, 2.0, 3.0], [1.0, 2.0], 1.0)", ValueError, "current_density_A_per_m2"),
("transition_len", "tunneling.transition_voltage([1.0, 2.0, 3.0], [1.0, 2.0])", ValueError, "current"),
("wkb_decay_nan", "tunneling.wkb_decay_per_layer(tunneling.Barrier(1.5, 1.0, 0.5), float('nan'))", ValueError, "energy_eV"),
("decay_table_len", "tunneling.DecayTable([0.0, 1.0, 2.0], [0.0, 1.0])", ValueError, "kappa_per_nm"),
("decay_table_unsorted", "tunneling.DecayTable([0.0, 2.0, 1.0], [0.0, 1.0, 2.0])", ValueError, "depth_eV"),
("decay_table_nan", "tunneling.DecayTable.effective_mass(0.5, float('nan'))", ValueError, "max_depth_eV"),
("decay_table_decay_nan", "tunneling.DecayTable.effective_mass(0.5, 3.0).decay(float('nan'))", ValueError, "depth_eV"),
("supply_nan", "tunneling_currents.supply_function_eV([0.1], float('nan'), [0.1], 300.0)", ValueError, "fermi_energy_eV"),
("tsu_esaki_unsorted", "tunneling_currents.tsu_esaki([0.3, 0.1, 0.2], [[1,1,1]], [0.1], 300.0, 0.5, 0.5)", ValueError, "energies_eV"),
("tun_model_nan_bias", "registry.get('tunneling.transmission')(energies_eV=[0.5], bias_V=float('nan'))", ValueError, "bias_V"),
("tun_model_cd_unsorted_ok", "registry.get('tunneling.current_density')(bias_V=[float('inf')], n_layers=3)", ValueError, "bias_V"),
# superlattice
("kp_cos_neg_well", "superlattice.kronig_penney_cos([0.1], -3.0, 1.0, 0.3, 0.067, 0.067)", ValueError, "well_nm"),
("kp_cos_nan_E", "superlattice.kronig_penney_cos([float('nan')], 3.0, 1.0, 0.3, 0.067, 0.067)", ValueError, "energies_eV"),
("kp_cos_zero_mass", "superlattice.kronig_penney_cos([0.1], 3.0, 1.0, 0.3, 0.0, 0.067)", ValueError, "well_mass"),
("kp_edges_neg_b", "superlattice.kronig_penney_band_edges(3.0, -1.0, 0.3, 0.067, 0.067)", ValueError, "barrier_nm"),
("kp_edges_nb0", "superlattice.kronig_penney_band_edges(3.0, 1.0, 0.3, 0.067, 0.067, n_bands=0)", ValueError, "n_bands"),
("layered_len", "superlattice.layered_transmission([0.1], [1.0, 2.0, 1.0], [0.3], [0.067]*3, 0.067)", ValueError, "potentials_eV"),
("layered_mass_len", "superlattice.layered_transmission([0.1], [1.0, 2.0], [0.3, 0.0], [0.067], 0.067)", ValueError, "masses"),
("layered_nan_E", "superlattice.layered_transmission([float('nan')], [1.0], [0.3], [0.067], 0.067)", ValueError, "energies_eV"),
("layered_neg_w", "superlattice.layered_transmission([0.1], [-1.0], [0.3], [0.067], 0.067)", ValueError, "widths_nm"),
("layer_bound_len", "superlattice.layer_bound_states([1.0, 2.0], [0.0], [0.067, 0.067], 0.3, 0.067)", ValueError, "potentials_eV"),
("finite_well_neg", "superlattice.finite_well_levels(-5.0, 0.3, 0.067)", ValueError, "width_nm"),
("infinite_well_nan", "superlattice.infinite_well_levels(float('nan'), 0.067)", ValueError, "width_nm"),
("coupled_n0", "superlattice.coupled_well_levels(0, 3.0, 1.0, 0.3, 0.067)", ValueError, "n_wells"),
("sheet_T_neg", "superlattice.sheet_density([0.0], 0.01, -1.0, 0.067)", ValueError, "temperature_K"),
("sheet_ef_nan", "superlattice.sheet_density([0.0], float('nan'), 10.0, 0.067)", ValueError, "fermi_energy_eV"),
("sl_neg_well", "superlattice.Superlattice(-3.0, 1.0, 0.3, 0.067, 0.067)", ValueError, "well_nm"),
("sl_T_nperiods", "superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067).transmission([0.1], n_periods=0)", ValueError, "n_periods"),
("sl_T_method", "superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067).transmission([0.1], method='x')", ValueError, "method"),
("sl_mb_kwant_noa", "superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067).minibands(method='kwant')", ValueError, "lattice_constant_nm"),
("sl_coupled_nan", "superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067).coupled_levels(float('nan'))", (TypeError, ValueError), "n_wells"),
("kwant_mb_nb", "superlattice.kwant_minibands([3.0, 1.0], [0.0, 0.3], [0.067, 0.067], 0.1, 0)", ValueError, "n_bands"),
("kwant_mb_len", "superlattice.kwant_minibands([3.0, 1.0], [0.0], [0.067, 0.067], 0.1, 2)", ValueError, "potentials_eV"),
("kwant_T_len", "superlattice.kwant_transmission([0.1], [3.0, 1.0], [0.0], [0.067, 0.067], 0.067, 0.1)", ValueError, "potentials_eV"),
("kwant_T_nan", "superlattice.kwant_transmission([float('nan')], [1.0], [0.3], [0.067], 0.067, 0.1)", ValueError, "energies_eV"),
("kwant_T_neg_w", "superlattice.kwant_transmission([0.1], [-1.0], [0.3], [0.067], 0.067, 0.1)", ValueError, "widths_nm"),
("ingao3_m0", "superlattice.ingao3_zno(0)", ValueError, "m"),
("ingao3_wells", "superlattice.ingao3_zno(3, wells='ZnO')", ValueError, "wells"),
("ingao3_height_nan", "superlattice.ingao3_zno(3, barrier_height_eV=float('nan'))", ValueError, "barrier_height_eV"),
("ingao3_well_too_wide", "superlattice.ingao3_zno(3, well_nm=5.0)", ValueError, "well_nm"),
("sl_model_nan", "registry.get('superlattice.transmission')(well_nm=3.0, barrier_nm=1.0, barrier_height_eV=0.3, energies_eV=[float('nan')])", ValueError, "energies_eV"),
# schrodinger-poisson
("fd_len", "schrodinger_poisson.fd_eigenstates([0.0, 0.1, 0.2], [0.0, 0.1], 0.067, 1)", ValueError, "potential_eV"),
("fd_unsorted", "schrodinger_poisson.fd_eigenstates([0.0, 0.2, 0.1, 0.3], [0.0]*4, 0.067, 1)", ValueError, "z_nm"),
("fd_n0", "schrodinger_poisson.fd_eigenstates(np.linspace(0, 10, 50), np.zeros(50), 0.067, 0)", ValueError, "n_states"),
("fd_nan_pot", "schrodinger_poisson.fd_eigenstates(np.linspace(0, 10, 50), np.r_[np.zeros(49), np.nan], 0.067, 1)", ValueError, "potential_eV"),
("fd_well_neg", "schrodinger_poisson.fd_well_levels(-5.0, 0.3, 0.067)", ValueError, "width_nm"),
("sp_layered_len", "schrodinger_poisson.layered_structure([1.0, 2.0], [0.0], [0.067, 0.067], [9.0, 9.0], [0.0, 0.0])", ValueError, "band_offsets_eV"),
("sp_layered_neg", "schrodinger_poisson.layered_structure([1.0, -2.0], [0.0, 0.3], [0.067, 0.067], [9.0, 9.0], [0.0, 0.0])", ValueError, "thicknesses_nm"),
("sp_layered_spacing", "schrodinger_poisson.layered_structure([1.0, 2.0], [0.0, 0.3], [0.067, 0.067], [9.0, 9.0], [0.0, 0.0], spacing_nm=0.0)", ValueError, "spacing_nm"),
("sp_solve_T_nan", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, temperature_K=float('nan'))", ValueError, "temperature_K"),
("sp_solve_ef_nan", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, fermi_energy_eV=float('nan'))", ValueError, "fermi_energy_eV"),
("sp_solve_bc", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, left_bc=('robin', 0.0))", ValueError, "left_bc"),
("sp_solve_unsorted", "schrodinger_poisson.solve(np.r_[0.0, 2.0, 1.0, np.linspace(3, 20, 98)], np.zeros(101), 0.067, 9.0)", ValueError, "z_nm"),
("sp_solve_tol", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, tolerance_eV=-1.0)", ValueError, "tolerance_eV"),
("sp_solve_iters", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, max_iterations=0)", ValueError, "max_iterations"),
("sp_solve_perm", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, -9.0)", ValueError, "permittivity"),
("sp_solve_sheet_nan", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, sheet_charges=[(float('nan'), 1e16)])", ValueError, "sheet_charges"),
("sp_sheet_outside", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, sheet_charges=[(50.0, 1e16)])", ValueError, "sheet_charges"),
("sp_superlattice_np0", "schrodinger_poisson.superlattice_structure(superlattice.ingao3_zno(3), 0)", ValueError, "n_periods"),
("sp_ingao3_nan", "schrodinger_poisson.ingao3_zno_sheet_density([float('nan')])", ValueError, "fermi_energies_eV"),
("sp_sweep_T_neg", "schrodinger_poisson.sheet_density_sweep([0.0], [-1.0], schrodinger_poisson.superlattice_structure(superlattice.ingao3_zno(3), 2))", ValueError, "temperatures_K"),
# photonic
("ph_neg_tau", "photonic.PhotonicSynapse(recombination_time_s=-0.5)", ValueError, "recombination_time_s"),
("ph_nan_int", "photonic.PhotonicSynapse(intensity_W_per_m2=float('nan'))", ValueError, "intensity_W_per_m2"),
("ph_absorb", "photonic.PhotonicSynapse(absorption=1.5)", ValueError, "absorption"),
("ph_nwells", "photonic.PhotonicSynapse(n_wells=0)", ValueError, "n_wells"),
("ph_segment_neg", "photonic.Segment(-1.0)", ValueError, "duration_s"),
("ph_segment_nan", "photonic.Segment(float('nan'))", ValueError, "duration_s"),
("ph_schedule_n", "photonic.pulse_schedule(-1, 0.05, 0.2)", ValueError, "n_pulses"),
("ph_schedule_nan", "photonic.pulse_schedule(3, float('nan'), 0.2)", ValueError, "pulse_s"),
("ph_simulate_samples", "photonic.simulate(photonic.PhotonicSynapse(), [photonic.Segment(0.1)], samples_per_segment=0)", ValueError, "samples_per_segment"),
("ph_simulate_segments", "photonic.simulate(photonic.PhotonicSynapse(), [])", ValueError, "segments"),
("ph_simulate_initial", "photonic.simulate(photonic.PhotonicSynapse(), [photonic.Segment(0.1)], initial_state=[1.0])", ValueError, "initial_state"),
("ph_ensemble_spread", "photonic.ensemble(3, spread=-0.1)", ValueError, "spread"),
("ph_ensemble_n", "photonic.ensemble(0)", ValueError, "n_devices"),
("ph_paired_nan", "photonic.PhotonicSynapse().paired_pulse([float('nan')])", ValueError, "intervals_s"),
("ph_model_nan", "registry.get('photonic.pulse_train')(pulse_s=float('nan'))", ValueError, "pulse_s"),
# floating gate
("fg_layers0", "floating_gate.FloatingGate(tunnel_layers=0)", ValueError, "tunnel_layers"),
("fg_neg_thick", "floating_gate.FloatingGate(blocking_thickness_nm=-10.0)", ValueError, "blocking_thickness_nm"),
("fg_nan_T", "floating_gate.FloatingGate(temperature_K=float('nan'))", ValueError, "temperature_K"),
("fg_channel", "floating_gate.FloatingGate(channel='unobtainium')", ValueError, "channel"),
("fg_vth_nan", "floating_gate.FloatingGate().threshold_voltage(float('nan'))", ValueError, "charge_C_per_m2"),
("fg_cond_nan", "floating_gate.FloatingGate().conductance(0.0, float('nan'))", ValueError, "gate_voltage_V"),
("fg_law_bias", "floating_gate.tunnel_law(floating_gate.FloatingGate(), -1.0)", ValueError, "max_bias_V"),
("fg_swing_nan", "floating_gate.THERMIONIC_SWING_MV_PER_DEC(float('nan'))", ValueError, "temperature_K"),
("fg_pulse_resp_nan", "floating_gate.pulse_response(pulse_amplitude_V=float('nan'))", ValueError, "pulse_amplitude_V"),
("fg_pulse_resp_w", "floating_gate.pulse_response(pulse_width_s=-1e-8)", ValueError, "pulse_width_s"),
("fg_pulse_resp_n", "floating_gate.pulse_response(n_pulses=0)", ValueError, "n_pulses"),
("fg_ensemble_spread", "floating_gate.device_ensemble(18, 3, 0, layer_spread=-1)", ValueError, "layer_spread"),
# wannier / tb
("hr_parse_garbage", "wannier.parse_hr('not a hr file')", ValueError, "<string>"),
("hr_example_unknown", "wannier.example('unobtainium')", ValueError, "unobtainium"),
("hr_min_abs_nan", "wannier.example('graphene', min_abs_eV=float('nan'))", ValueError, "min_abs_eV"),
("hr_load_unknown", "wannier.load('nope_model')", ValueError, "nope_model"),
("tb_hamiltonian_nan_k", "wannier.example('graphene').hamiltonian([float('nan'), 0.0, 0.0])", ValueError, "k_reduced"),
("tb_hamiltonian_len_k", "wannier.example('graphene').hamiltonian([0.1])", ValueError, "k_reduced"),
("tb_cutoff_neg", "wannier.example('graphene').with_cutoff(-1.0)", ValueError, "min_abs_eV"),
("tb_index_missing", "wannier.example('graphene').index_of([99, 99, 0])", (KeyError, ValueError), "R"),
("tb_model_shape", "tb_model.TightBindingModel(np.zeros((2, 3), int), np.ones(3, int), np.zeros((2, 2, 2)))", ValueError, "degeneracy"),
("tb_model_nan", "tb_model.TightBindingModel(np.zeros((1, 3), int), np.ones(1, int), np.full((1, 1, 1), np.nan))", ValueError, "hoppings_eV"),
("cb_decay_nan", "complex_bands.decay_per_layer(wannier.example('hbn_like'), [float('nan')])", ValueError, "energies_eV"),
("cb_axis", "complex_bands.decay_per_layer(wannier.example('hbn_like'), [0.0], axis=5)", ValueError, "axis"),
("cb_two_band_nan", "complex_bands.two_band_decay_per_layer([0.0], float('nan'), 0.0, 0.0)", ValueError, "hopping_eV"),
("cb_equiv_mass", "complex_bands.equivalent_barrier_height_eV([1.0], -0.5)", ValueError, "effective_mass"),
("cb_equiv_kappa_nan", "complex_bands.equivalent_barrier_height_eV([float('nan')], 0.5)", ValueError, "kappa_per_nm"),
("cb_valley", "complex_bands.valley_k_reduced(wannier.example('hbn_like'), 'Q')", ValueError, "valley"),
("cb_band_edges_nk", "complex_bands.band_edges(wannier.example('hbn_like'), 0.0, n_k=1)", ValueError, "n_k"),
("cb_barrier_layers", "complex_bands.complex_band_barrier(wannier.example('hbn_like'), 0, 3.0)", ValueError, "n_layers"),
("cb_table_carrier", "complex_bands.decay_table(wannier.example('hbn_like'), carrier='muon')", ValueError, "carrier"),
("cb_model_nan", "registry.get('wannier.decay_constant')(energies_eV=[float('nan')])", ValueError, "energies_eV"),
("cb_bt_nan_bias", "complex_bands.barrier_transmission([0.0], bias_V=float('nan'))", ValueError, "bias_V"),
("tbs_ribbon_w0", "tb_systems.ribbon_conductance([0.1], width_cells=0)", ValueError, "width_cells"),
("tbs_ribbon_edge", "tb_systems.ribbon_conductance([0.1], edge='diagonal')", ValueError, "edge"),
("tbs_ribbon_nan", "tb_systems.ribbon_conductance([float('nan')])", ValueError, "energies_eV"),
("tbs_ribbon_translation0", "tb_systems.ribbon_conductance([0.1], translation=[0, 0])", ValueError, "translation"),
("tbs_ribbon_translation_frac", "tb_systems.ribbon_conductance([0.1], translation=[0.5, 1])", ValueError, "translation"),
("tbs_ribbon_builder_model", "tb_systems.ribbon_builder('graphene', (1, 0), width_cells=2)", TypeError, "model"),
("tbs_ribbon_length0", "tb_systems.ribbon(wannier.example('graphene'), (1, 0), length_cells=0, width_cells=2)", ValueError, "length_cells"),
("qpc_a_neg", "qpc.saddle_point_qpc([0.01], lattice_constant_nm=-1.0)", ValueError, "lattice_constant_nm"),
("tbx_honeycomb_nan", "tb_examples.honeycomb(float('nan'), 0.0, 0.246)", ValueError, "hopping_eV"),
("tbx_chain_a", "tb_examples.chain(0.0, 1.0, 0.0, -0.3)", ValueError, "lattice_constant_nm"),
("rgf_lead_str", "rgf.lead_selfenergy('x', 0.1)", TypeError, "lead"),
("rgf_lead_energy_nan", "rgf.lead_selfenergy(WIRE.leads[0], float('nan'))", ValueError, "energy"),
("rgf_memory_neg", "rgf.memory_bytes([-1])", ValueError, "sizes"),
("rgf_memory_str", "rgf.memory_bytes('x')", TypeError, "sizes"),
("ecm_site_potential_huge", "ecm.site_potential(np.zeros((1000, 100, 100), dtype=np.int8))", ValueError, "occupation"),
("ecm_site_potential_values", "ecm.site_potential(np.full((4, 3, 3), 7))", ValueError, "occupation"),
("ecm_site_potential_str", "ecm.site_potential('x')", TypeError, "occupation"),
("vacancy_hbn_family_mos2", "devices.get('vacancy_2d_hbn')(material='MoS2')", ValueError, "material"),
# josephson
("jj_neg_ic", "Junction(-1e-6, 1e-15, 100.0)", ValueError, "critical_current_A"),
("jj_nan_c", "Junction(1e-6, float('nan'), 100.0)", ValueError, "capacitance_F"),
("jj_str_r", "Junction(1e-6, 1e-15, '100')", TypeError, "resistance_ohm"),
("jj_from_material", "Junction.from_material('Unobtainium', resistance_ohm=1.0, capacitance_F=1e-13)", ValueError, "material"),
("jj_bcs_nan", "junction.bcs_gap_J(1e-22, float('nan'), 9.2)", ValueError, "temperature_K"),
("jj_ab_neg", "junction.ambegaokar_baratoff_V(-1e-22, 4.2)", ValueError, "gap_J"),
("jj_fraunhofer_nan", "junction.fraunhofer_critical_current(1e-6, [float('nan')])", ValueError, "flux_Wb"),
("jj_plasma_bias_nan", "J0.plasma_frequency_at_bias_Hz(float('nan'))", ValueError, "bias_A"),
("rcsj_shapiro_nan", "rcsj.shapiro_voltages(10e9, [1, float('nan')])", ValueError, "orders"),
("rcsj_shapiro_inf", "rcsj.shapiro_voltages(10e9, float('inf'))", ValueError, "orders"),
("rcsj_shapiro_f_nan", "rcsj.shapiro_voltages(float('nan'), 1)", ValueError, "frequency_Hz"),
("rcsj_iv_nan_bias", "rcsj.iv_curve(J0, [1e-4, float('nan')])", ValueError, "bias_A"),
("rcsj_iv_direction", "rcsj.iv_curve(J0, [1e-4], direction='sideways')", ValueError, "direction"),
("rcsj_iv_T_neg", "rcsj.iv_curve(J0, [1e-4], temperature_K=-1.0)", ValueError, "temperature_K"),
("rcsj_iv_ac_nof", "rcsj.iv_curve(J0, [1e-4], ac_amplitude_A=1e-5)", ValueError, "ac_frequency_Hz"),
("rcsj_iv_spp", "rcsj.iv_curve(J0, [1e-4], steps_per_period=2)", ValueError, "steps_per_period"),
("rcsj_iv_junction_type", "rcsj.iv_curve('Nb', [1e-4])", TypeError, "junction"),
("rcsj_iv_settle_nan", "rcsj.iv_curve(J0, [1e-4], settle_s=float('nan'))", ValueError, "settle_s"),
# 1 aF: β_c = 1.2e-6, ~1.5e7 steps, minutes on the numpy steppers (a few s with numba)
("rcsj_iv_attofarad_numpy", "without_numba(lambda: rcsj.iv_curve(Junction(1e-4, 1e-18, 2.0), np.linspace(0, 2e-4, 5)))", WorkLimitError, "max_steps"),
("rcsj_iv_attofarad_numpy_spp", "without_numba(lambda: rcsj.iv_curve(Junction(1e-4, 1e-18, 2.0), [2e-4], steps_per_period=40))", WorkLimitError, "numba is off"),
("rcsj_sim_dur", "rcsj.simulate(J0, 1e-4, duration_s=-1e-9)", ValueError, "duration_s"),
("rcsj_sim_every", "rcsj.simulate(J0, 1e-4, duration_s=1e-11, record_every=0)", ValueError, "record_every"),
("rcsj_model_nan", "registry.get('josephson.iv_curve')(critical_current_A=1e-4, capacitance_F=0.5e-12, resistance_ohm=2.0, bias_A=[float('nan')])", ValueError, "bias_A"),
("esc_rate_T_nan", "escape.kramers_rate_per_s(J0, 9e-5, float('nan'))", ValueError, "temperature_K"),
("esc_bias_over", "escape.barrier_height_J(J0, 2e-4)", ValueError, "bias_A"),
("esc_mqt_nan", "escape.mqt_rate_per_s(J0, float('nan'))", ValueError, "bias_A"),
("esc_escape_rate_dur", "escape.escape_rate(J0, 9e-5, 1.0, duration_s=-1.0)", ValueError, "duration_s"),
("esc_switching_ramp", "escape.switching_currents(J0, -1.0, 1.0, start_A=5e-5)", ValueError, "ramp_rate_A_per_s"),
("esc_kramers_dist_points", "escape.kramers_switching_distribution(J0, 1.0, 1.0, start_A=5e-5, points=1)", ValueError, "points"),
("sfq_neg_L", "sfq.SFQNeuron(loop_inductance_H=-1e-11)", ValueError, "loop_inductance_H"),
("sfq_rate_nan", "sfq.firing_rate([float('nan')])", ValueError, "input_A"),
("sfq_rate_dur", "sfq.firing_rate([1e-5], duration_s=0.0)", ValueError, "duration_s"),
("sfq_spike_nan", "sfq.spike_train(float('nan'))", ValueError, "input_A"),
("mag_ratio", "magnetic.ClusterSynapse(ordered_ratio=1.5)", ValueError, "ordered_ratio"),
("mag_clusters", "magnetic.ClusterSynapse(n_clusters=0)", ValueError, "n_clusters"),
("mag_flip_nan", "magnetic.ClusterSynapse(flip_probability=float('nan'))", ValueError, "flip_probability"),
("mag_train_mode", "magnetic.train(magnetic.ClusterSynapse(), 3, mode='x', initial='ordered')", ValueError, "mode"),
("mag_train_n", "magnetic.train(magnetic.ClusterSynapse(), -3, mode='order', initial='disordered')", ValueError, "n_pulses"),
("mag_train_energy_nan", "magnetic.train(magnetic.ClusterSynapse(), 3, mode='order', initial='disordered', energy_J=float('nan'))", ValueError, "energy_J"),
("mag_quad_nan", "magnetic.quadratic_suppression([float('nan')], 0.3)", ValueError, "order"),
("mag_training_preset", "magnetic.training(preset='nope')", ValueError, "preset"),
("q_spectrum_nan_ng", "quantum.spectrum(10.0, 0.2, float('nan'))", ValueError, "ng"),
("q_spectrum_ej_huge", "quantum.spectrum(1e300, 0.3)", ValueError, "ej_GHz"),
("q_spectrum_ej_huge_sweep", "quantum.spectrum(1e300, 0.3, ng=np.linspace(0, 1, 100))", ValueError, "ej_GHz"),
("q_spectrum_ec_huge", "quantum.spectrum_vs_ng(20.0, 1e300, [0.0, 0.5])", ValueError, "ec_GHz"),
("q_spectrum_levels", "quantum.spectrum(10.0, 0.2, levels=0)", ValueError, "levels"),
("q_spectrum_ej_nan", "quantum.spectrum(float('nan'), 0.2)", ValueError, "ej_GHz"),
("q_e01_neg", "quantum.transmon_e01_GHz(-10.0, 0.2)", ValueError, "ej_GHz"),
("q_ham_ncut", "quantum.hamiltonian(10.0, 0.2, ncut=0)", ValueError, "ncut"),
("q_charge_op", "quantum.charge_operator(-1)", ValueError, "ncut"),
("q_vs_ng_nan", "quantum.spectrum_vs_ng(10.0, 0.2, [0.0, float('nan')])", ValueError, "ng_values"),
("slip_len", "slips.slip_times([0.0, 1.0, 2.0], [0.0, 1.0], [0.0, 1.0, 2.0])", ValueError, "phase"),
("slip_unsorted", "slips.slip_times([0.0, 2.0, 1.0], [0.0, 4.0, 8.0], [0.0, 1.0, 2.0])", ValueError, "time_s"),
("slips_R", "slips.phase_slips([0.0, 1.0], [0.0, 7.0], [0.0, 1.0], resistance_ohm=-1.0)", ValueError, "resistance_ohm"),
("wb_bias", "washboard.metastable_levels(100.0, 1.0, 1.2)", ValueError, "bias_ratio"),
("wb_wkb_nan", "washboard.wkb_rate_per_s(float('nan'), 1.0)", ValueError, "barrier_GHz"),
("qd_relax_unsorted", "qdynamics.relaxation(10.0, 0.2, 100.0, [0.0, 20.0, 10.0])", ValueError, "times_ns"),
("qd_rabi_nan", "qdynamics.rabi(0.05, [0.0, 1.0], detuning_GHz=float('nan'))", ValueError, "detuning_GHz"),
("qd_rabi_an_nan", "qdynamics.rabi_analytic([0.0, float('nan')], 0.05)", ValueError, "times_ns"),
("qd_rabi_an_rabi", "qdynamics.rabi_analytic([0.0, 1.0], float('nan'))", ValueError, "rabi_GHz"),
# more entry points: complex bands, model examples, systems, registered wrappers, devices
("cb_table_gap_outside", "complex_bands.decay_table(wannier.example('hbn_like'), energy_in_gap_eV=100.0)", ValueError, "energy_in_gap_eV"),
("cb_table_gap_nan", "complex_bands.decay_table(wannier.example('hbn_like'), energy_in_gap_eV=float('nan'))", ValueError, "energy_in_gap_eV"),
("cb_table_npoints", "complex_bands.decay_table(wannier.example('hbn_like'), n_points=1)", ValueError, "n_points"),
("cb_barrier_height_nan", "complex_bands.complex_band_barrier(wannier.example('hbn_like'), 3, float('nan'))", ValueError, "height_eV"),
("cb_bt_height_nan", "complex_bands.barrier_transmission([0.0], height_eV=float('nan'))", ValueError, "height_eV"),
("cb_bt_layers0", "complex_bands.barrier_transmission([0.0], n_layers=0)", ValueError, "n_layers"),
("cb_dc_model", "complex_bands.decay_constant([0.0], model='nope')", ValueError, "nope"),
("cb_bloch_nan", "complex_bands.bloch_factors(wannier.example('hbn_like').chain_blocks(0), float('nan'))", ValueError, "energy_eV"),
("cb_cbs_nan", "complex_bands.complex_band_structure(wannier.example('hbn_like').chain_blocks(0), [float('nan')])", ValueError, "energies_eV"),
("cb_layer_spacing_axis", "complex_bands.layer_spacing_nm(wannier.example('hbn_like'), 7)", ValueError, "axis"),
("cb_em_decay_nan", "complex_bands.effective_mass_decay({'conduction_band_eV': 1.0, 'valence_band_eV': -1.0, 'conduction_mass': 0.5, 'valence_mass': 0.5}, [float('nan')])", ValueError, "energies_eV"),
("tbx_disp_nan", "tb_examples.honeycomb_dispersion([[float('nan'), 0, 0]], 2.7, 0.0)", ValueError, "k_reduced"),
("tbx_chain_disp_nan", "tb_examples.chain_dispersion([float('nan')], 0.0, 1.0, 0.0)", ValueError, "k_reduced"),
("tbs_conductance_nan", "tb_systems.conductance(tb_systems.ribbon(wannier.example('graphene'), (1, 0), width_cells=2), [float('nan')])", ValueError, "energies_eV"),
("tbs_lead_width_neg", "tb_systems.lead(wannier.example('graphene'), (1, 0), width_nm=-1.0)", ValueError, "width_nm"),
("tbs_slab_axis", "tb_systems.slab(wannier.example('graphene'), 2, 3)", ValueError, "normal_axis"),
("tbs_edge", "tb_systems.edge_translation(wannier.example('graphene'), 'bearded')", ValueError, "edge"),
("tun_model_hbn_layers", "registry.get('tunneling.hbn_transmission')(energies_eV=[0.5], n_layers=0)", ValueError, "n_layers"),
("tun_model_ra", "registry.get('tunneling.resistance_area')(max_layers=1)", ValueError, "max_layers"),

("barrier_from_decay_type", "tunneling.Barrier.from_decay('table', 1.5, 1.0)", TypeError, "decay"),
("barrier_potential_nan", "tunneling.Barrier(1.5, 1.0, 0.5).potential([float('nan')])", ValueError, "x_nm"),
("barrier_slabs_refine", "tunneling.Barrier(1.5, 1.0, 0.5).slabs(0.1, refine=0)", ValueError, "refine"),
("filament_growth_T_nan", "filament.growth(2, 1.0, temperature_K=float('nan'))", ValueError, "temperature_K"),
("filament_growth_seed", "filament.growth(2, 1.0, order='random', order_seed=-2)", ValueError, "order_seed"),
("landauer_current_mu_nan", "landauer.current([0.0, 1.0], [1, 1], 0.1, 10.0, mu_eV=float('nan'))", ValueError, "mu_eV"),
("landauer_T0_mu_outside", "landauer.conductance([0.0, 1.0], [1, 1], 2.0, 0.0)", ValueError, "mu_eV"),
("jj_with_ic_nan", "J0.with_critical_current(float('nan'))", ValueError, "critical_current_A"),
("esc_kramers_start_over", "escape.kramers_switching_distribution(J0, 1.0, 1.0, start_A=2e-4)", ValueError, "start_A"),
("rcsj_reduced_init", "rcsj.reduced_problem(J0, [1e-5], initial='moving')", ValueError, "initial"),
("rcsj_realizations0", "rcsj.iv_curve(J0, [1e-4], realizations=0)", ValueError, "realizations"),
("rcsj_rtol_neg", "rcsj.iv_curve(J0, [1e-4], rtol=-1.0)", ValueError, "rtol"),
("wb_levels0", "washboard.metastable_levels(100.0, 1.0, 0.9, levels=0)", ValueError, "levels"),
("sfq_bias_nan", "sfq.SFQNeuron(bias_A=float('nan'))", ValueError, "bias_A"),
("sfq_neuron_type", "sfq.firing_rate([1e-5], neuron='default')", TypeError, "neuron"),
("mag_training_model", "magnetic.training(n_pulses=3, n_devices=1, ic_model=lambda m, r: m * float('nan'))", ValueError, "ic_model"),
("ph_pp_device", "photonic.paired_pulse('device', [0.1])", TypeError, "devices"),
("fg_law_nbias", "floating_gate.tunnel_law(floating_gate.FloatingGate(), 5.0, n_bias=1)", ValueError, "n_bias"),
("fg_pulse_train_nan", "floating_gate.pulse_train(floating_gate.FloatingGate(), None, float('nan'), [1.0], 1e-8)", (ValueError, TypeError), "charge_C_per_m2"),
# wrong types: strings, None, complex, floats for integers, bytes
("type_energies_str", "filament.conductance(3, 'one eV')", TypeError, "energies_eV"),
("type_energies_complex", "filament.conductance(3, [1.0 + 0.5j])", TypeError, "energies_eV"),
("type_energies_none", "filament.conductance(3, None)", TypeError, "energies_eV"),
("type_energies_dict", "tunneling.rectangular_transmission({'E': 1.0}, 1.5, 1.0, 0.5)", TypeError, "energies_eV"),
("type_width_str", "filament.conductance('3', [1.0])", TypeError, "width_atoms"),
("type_bias_complex", "rcsj.iv_curve(J0, [1e-4 + 1e-5j])", TypeError, "bias_A"),
("type_T_str", "landauer.conductance([0.0, 1.0], [1, 1], 0.5, '300')", TypeError, "temperature_K"),
("type_T_bool", "superlattice.sheet_density([0.0], 0.01, True, 0.067)", TypeError, "temperature_K"),
("type_ng_complex", "quantum.spectrum(10.0, 0.2, ng=0.3j)", TypeError, "ng"),
("type_layers_str", "superlattice.layered_transmission([0.1], '1.0', [0.3], [0.067], 0.067)", TypeError, "widths_nm"),
("type_ragged", "superlattice.layered_transmission([0.1], [[1.0, 2.0], [1.0]], [0.3, 0.3], [0.067, 0.067], 0.067)", (TypeError, ValueError), "widths_nm"),
("type_barrier_height_str", "tunneling.Barrier('1.5', 1.0, 0.5)", TypeError, "height_eV"),
("type_hbn_layers_float", "tunneling.hbn_barrier(2.5)", TypeError, "n_layers"),
("type_ncut_float", "quantum.spectrum(10.0, 0.2, ncut=10.5)", TypeError, "ncut"),
("type_junction_list", "rcsj.iv_curve([J0, 'x'], [1e-4])", TypeError, "junction"),
("type_material_none", "filament.metal_hopping_eV(None)", TypeError, "material"),
("type_seed_float", "filament.conductance(3, [1.0], disorder_eV=0.1, seed=1.5)", TypeError, "seed"),
("type_kp_energy_str", "superlattice.kronig_penney_cos('0.1', 3.0, 1.0, 0.3, 0.067, 0.067)", TypeError, "energies_eV"),
("type_slips_R_str", "slips.phase_slips([0.0, 1.0], [0.0, 7.0], [0.0, 1.0], resistance_ohm='2')", TypeError, "resistance_ohm"),
("type_fraunhofer_complex", "junction.fraunhofer_critical_current(1e-6, [1e-15j])", TypeError, "flux_Wb"),
("type_model_param_str", "registry.get('filament.conductance')(width_atoms=3, energies_eV='1.0')", TypeError, "energies_eV"),
("type_hr_text_bytes", "wannier.parse_hr(b'abc')", TypeError, "text"),
("type_photonic_nwells_float", "photonic.PhotonicSynapse(n_wells=7.5)", TypeError, "n_wells"),
("type_sp_bc_str", "schrodinger_poisson.solve(np.linspace(0, 20, 101), np.zeros(101), 0.067, 9.0, left_bc='dirichlet')", TypeError, "left_bc"),
("type_decay_table_str", "tunneling.DecayTable('0 1', [0.0, 1.0])", TypeError, "depth_eV"),
# electrochemistry: the ECM loop and the h-BN vacancy memristor
("ecm_gap_current_nan_v", "ecm.gap_current_A(float('nan'), 1, 4, AG)", ValueError, "voltage_V"),
("ecm_gap_current_gap0", "ecm.gap_current_A(1.0, 0, 4, AG)", ValueError, "gap"),
("ecm_gap_current_gap_huge", "ecm.gap_current_A(1.0, 10**9, 4, AG)", ValueError, "gap"),
("ecm_gap_current_params", "ecm.gap_current_A(1.0, 1, 4, None)", TypeError, "params"),
("ecm_operating_nan_g", "ecm.operating_point(2.0, 0, 0, float('nan'), AG)", ValueError, "conductance_G0"),
("ecm_operating_neg_g", "ecm.operating_point(2.0, 0, 0, -1.0, AG)", ValueError, "conductance_G0"),
("ecm_operating_inf_v", "ecm.operating_point(float('inf'), 1, 4, 0.0, AG)", ValueError, "voltage_V"),
("ecm_loop_g_2d", "ecm.loop_conductance_G0(np.zeros((2, 2)), AG)", ValueError, "occupation"),
("ecm_bridge_mask_str", "ecm.bridge_mask('x')", ValueError, "occupation"),
("ecm_pulse_trace_str", "ecm.FilamentKMC(AG, 0).pulse(2.5, 1e-3, trace='yes')", TypeError, "trace"),
("ecm_disorder_seed_neg", "AG.replace(disorder_seed=-1)", ValueError, "disorder_seed"),
("ecm_disorder_nan", "AG.replace(disorder_eV=float('nan'))", ValueError, "disorder_eV"),
("vac_chain_hopping_neg", "vacancy2d.chain_hopping_from_fermi_energy(-1.0)", ValueError, "fermi_energy_eV"),
("vac_interlayer_kappa0", "vacancy2d.interlayer_hopping_from_decay(4.5, 0.0)", ValueError, "kappa_per_layer"),
("vac_hbn_metal", "vacancy2d.layer_parameters('hBN', metal='Ag')", ValueError, "metal"),
("vac_hbn_patch_huge", "vacancy2d.layer_parameters('hBN', patch_sites=10**6)", ValueError, "patch_sites"),
("vac_hbn_coupling_nan", "vacancy2d.layer_parameters('hBN', electrode_coupling_eV=float('nan'))", ValueError, "electrode_coupling_eV"),
("vac_switch_width0", "vacancy2d.switching_voltage(HBN, 0.0)", ValueError, "width_s"),
("vac_switch_prob1", "vacancy2d.switching_voltage(HBN, 1e-3, probability=1.0)", ValueError, "probability"),
("vac_switch_layer_str", "vacancy2d.switching_voltage('hBN', 1e-3)", TypeError, "layer"),
("vac_site_fraction", "vacancy2d.layer_conductance(HBN, [(0.5, 0)])", TypeError, "filled_sites"),
("vac_site_triple", "vacancy2d.layer_conductance(HBN, [(0, 0, 0)])", ValueError, "filled_sites"),
("vac_site_str", "vacancy2d.layer_conductance(HBN, 'ab')", TypeError, "filled_sites"),
("vac_site_outside", "vacancy2d.layer_conductance(HBN, [], vacancies=[(-1, 0)])", ValueError, "vacancies"),
("vac_floor_cells0", "vacancy2d.two_band_floor(HBN, 0)", ValueError, "cells"),
# RGF / transmission sweeps
("sweep_nan_energy", "transmission_sweep(WIRE, [float('nan')], method='rgf')", ValueError, "energies_eV"),
("sweep_method", "transmission_sweep(WIRE, [1.0], method='fast')", ValueError, "method"),
("sweep_max_bytes_neg", "transmission_sweep(WIRE, [1.0], method='rgf', max_rgf_bytes=-1)", ValueError, "max_bytes"),
("sweep_same_leads", "transmission_sweep(WIRE, [1.0], lead_in=0, lead_out=0)", ValueError, "lead_out"),
("rgf_energy_nan", "rgf.prepare(WIRE)(float('nan'))", ValueError, "energy"),
("rgf_dense_neg", "rgf.prepare(WIRE, dense_orbitals=-1)", ValueError, "dense_orbitals"),
("rgf_dense_str", "rgf.prepare(WIRE, dense_orbitals='all')", TypeError, "dense_orbitals"),
("rgf_cost_empty", "rgf.dense_is_cheaper([])", ValueError, "sizes"),
("rgf_cost_zero", "rgf.dense_is_cheaper([3, 0])", ValueError, "sizes"),
("rgf_cost_nan", "rgf.dense_is_cheaper([3, float('nan')])", ValueError, "sizes"),
("rgf_cost_str", "rgf.dense_is_cheaper(['3'])", TypeError, "sizes"),
("rgf_plan_not_kwant", "rgf.slice_plan('x')", TypeError, "fsyst"),
# h-BN tunneling mass, RCSJ accuracy, first principles
("hbn_mass_source", "tunneling.hbn_barrier(1, mass_source='dft')", ValueError, "mass_source"),
("hbn_computed_too_deep", "tunneling.hbn_barrier(1, barrier_height_eV=5.0, mass_source='computed')", ValueError, "barrier_height_eV"),
("hbn_computed_mass_depth", "tunneling.computed_hbn_mass(0.0)", ValueError, "depth_eV"),
("hbn_decay_carrier", "tunneling.computed_hbn_decay('proton')", ValueError, "carrier"),
("jj_rtol_nan", "rcsj.iv_curve(J0, [1.5e-4], rtol=float('nan'))", ValueError, "rtol"),
("jj_rtol_zero", "rcsj.iv_curve(J0, [1.5e-4], rtol=0.0)", ValueError, "rtol"),
("jj_rtol_str", "rcsj.iv_curve(J0, [1.5e-4], rtol='1e-3')", TypeError, "rtol"),
("fp_sc_energy_nan", "structure_conductance(atomic_chain('Au'), [float('nan')], compute=False)", ValueError, "energies_eV"),
("fp_sc_tol0", "structure_conductance(atomic_chain('Au'), [0.0], tol_eV=0.0, compute=False)", ValueError, "tol_eV"),
("fp_sc_n_dense", "structure_conductance(atomic_chain('Au'), [0.0], n_dense=10**9, compute=False)", ValueError, "n_dense"),
("fp_sc_structure", "structure_conductance('Au', compute=False)", TypeError, "structure"),
("fp_bj_gaps_str", "break_junction(gaps_angstrom='x')", TypeError, "gaps_angstrom"),
("fp_bj_gaps_range", "break_junction(gaps_angstrom=[1.0, 60.0])", ValueError, "gaps_angstrom"),
("fp_bj_max_dft", "break_junction(max_dft_s=-1.0)", ValueError, "max_dft_s"),
("fp_sc_n_dense_even", "structure_conductance(atomic_chain('Au'), [0.0], n_dense=150, compute=True)", ValueError, "n_dense"),
("fp_load_compute", "dft.load_or_run(atomic_chain('Au'), compute='yes')", TypeError, "compute"),
("fp_monolayer_vacuum", "hbn.monolayer(vacuum_angstrom=1e9)", ValueError, "vacuum_angstrom"),
("fp_decay_csv_points", "hbn.write_decay_csv('k.csv', n_points=10**9)", ValueError, "n_points"),
# found by fuzzing: 1e300-type values (physical ranges in qtransport.errors), wrong shapes, bools
("landauer_current_bias_2d", "landauer.current(np.linspace(-1, 1, 401), np.ones(401), [[0.1, 0.2], [0.3, 0.4]], 10.0)", ValueError, "bias_V"),
("landauer_T_huge", "landauer.conductance([0.0, 1.0], [1, 1], 0.5, 1e300)", ValueError, "temperature_K"),
("landauer_mu_bool", "landauer.conductance([0.0, 1.0], [1, 1], True, 0.0)", TypeError, "mu_eV"),
("filament_energy_huge", "filament.conductance(3, [1e300])", ValueError, "energies_eV"),
("filament_hopping_huge", "filament.conductance(3, [1.0], hopping_eV=1e300)", ValueError, "hopping_eV"),
("filament_growth_ef_huge", "filament.growth(3, -1e300)", ValueError, "fermi_energy_eV"),
("qpc_v0_huge", "qpc.saddle_point_qpc([0.01], v0_eV=1e300)", ValueError, "v0_eV"),
("qpc_hw_huge", "qpc.saddle_point_qpc([0.01], hbar_omega_x_eV=1e300)", ValueError, "hbar_omega_x_eV"),
("qpc_buttiker_2d", "qpc.buttiker_conductance([[0.1, 0.2], [0.3, 0.4]])", ValueError, "energies_eV"),
("barrier_kwant_a_thick", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5], method='kwant', lattice_constant_nm=5.0)", ValueError, "lattice_constant_nm"),
("barrier_mass_huge", "tunneling.Barrier(1.5, 1.0, 1e300)", ValueError, "effective_mass"),
("simmons_height_tiny", "tunneling.simmons_current_density([0.1], 1e-300, 1.0, 0.5)", ValueError, "height_eV"),
("fn_field_huge", "tunneling.fowler_nordheim_current_density([1e300], 3.0, 0.5)", ValueError, "field_V_per_m"),
("fn_mass_tiny", "tunneling.fowler_nordheim_current_density([1e9], 3.0, 1e-300)", ValueError, "effective_mass"),
("hbn_layers_huge", "tunneling.hbn_barrier(10**9)", ValueError, "n_layers"),
("sheet_T_huge", "superlattice.sheet_density([0.0], 0.01, 1e300, 0.067)", ValueError, "temperature_K"),
("ingao3_m_huge", "superlattice.ingao3_zno(10**18)", ValueError, "m"),
("sl_well_huge", "superlattice.Superlattice(1e300, 1.0, 0.3, 0.067, 0.067)", ValueError, "well_nm"),
("jj_ic_huge", "Junction(1e300, 1e-15, 100.0)", ValueError, "critical_current_A"),
("jj_c_tiny", "Junction(1e-6, 1e-300, 100.0)", ValueError, "capacitance_F"),
("jj_r_huge", "Junction(1e-6, 1e-15, 1e300)", ValueError, "resistance_ohm"),
("rcsj_bias_huge", "rcsj.iv_curve(J0, [1e300])", ValueError, "bias_A"),
("rcsj_sim_T_huge", "rcsj.simulate(J0, 1e-4, duration_s=1e-11, temperature_K=1e300)", ValueError, "temperature_K"),
("q_ng_huge", "quantum.spectrum(10.0, 0.2, 1e300)", ValueError, "ng"),
("q_ham_ng_huge", "quantum.hamiltonian(10.0, 0.2, ng=-1e300)", ValueError, "ng"),
("sweep_load_none", "sweep.load(None)", TypeError, "path"),
("sweep_load_dir", "sweep.load('.')", ValueError, "path"),
("pulse_g_huge", "synapse.PulseResponse(1e-6, 1e300, 16, 20.0, 20.0)", ValueError, "g_max_S"),
("ecm_T_tiny", "registry.get('ecm.switching_time')(voltages_V=[0.5], temperature_K=1e-300)", ValueError, "temperature_K"),
("ecm_runs_huge", "registry.get('ecm.retention')(temperatures_K=[400.0], n_runs=10**9)", ValueError, "n_runs"),
("ecm_runs_total", "registry.get('ecm.switching_time')(voltages_V=np.linspace(0.1, 0.5, 10**5))", ValueError, "voltages_V"),
("ecm_temps_2d", "registry.get('ecm.retention')(temperatures_K=[[300.0, 400.0]])", ValueError, "temperatures_K"),
("ecm_pulses_huge", "registry.get('ecm.pulse_train')(n_pulses=10**9)", ValueError, "n_pulses"),
("ecm_rth_huge", "registry.get('ecm.pulse_train')(thermal_resistance_K_per_W=1e300)", ValueError, "thermal_resistance_K_per_W"),
("fe_pe_steps_huge", "registry.get('ferroelectric.pe_loop')(n_steps=10**9)", ValueError, "n_steps"),
("fe_pe_domains_huge", "registry.get('ferroelectric.pe_loop')(n_domains=10**18)", ValueError, "n_domains"),
("fe_pe_field_huge", "registry.get('ferroelectric.pe_loop')(max_field_V_per_m=1e300)", ValueError, "max_field_V_per_m"),
("fe_pe_rate_tiny", "registry.get('ferroelectric.pe_loop')(sweep_rate_V_per_m_s=1e-300)", ValueError, "sweep_rate_V_per_m_s"),
("fe_ftj_bias_tiny", "registry.get('ferroelectric.ftj_ter')(read_bias_V=1e-300)", ValueError, "read_bias_V"),
("fe_fefet_thickness_tiny", "registry.get('ferroelectric.fefet_transfer')(fe_thickness_nm=1e-300)", ValueError, "fe_thickness_nm"),
("fe_fefet_fractions_2d", "registry.get('ferroelectric.fefet_transfer')(polarization_fractions=[[0.1, 0.2], [0.3, 0.4]])", ValueError, "polarization_fractions"),
("int_param_1e300", "registry.get('filament.conductance')(width_atoms=1e300, energies_eV=[0.5])", ValueError, "width_atoms"),
("fp_bj_gap_not_cached", "break_junction(gaps_angstrom=[0.3, 0.1])", ValueError, "gaps_angstrom"),
("fg_layer_spread_huge", "floating_gate.device_ensemble(18, 3, 0, layer_spread=10**9)", ValueError, "layer_spread"),
("ph_pulse_huge", "photonic.pulse_schedule(3, 1e300, 0.2)", ValueError, "pulse_s"),
("qd_rabi_huge", "qdynamics.rabi(1e300, [0.0, 1.0])", ValueError, "rabi_GHz"),
("qd_relax_t1_tiny", "qdynamics.relaxation(10.0, 0.2, 1e-300, [0.0, 1.0])", ValueError, "t1_ns"),
("jj_r_tiny", "Junction(1e-4, 1e-12, 1e-300)", ValueError, "resistance_ohm"),
("filament_hopping_tiny", "filament.conductance(3, [1.0], hopping_eV=1e-300)", ValueError, "hopping_eV"),
("sheet_subband_huge", "superlattice.sheet_density([-1e300], 0.01, 10.0, 0.067)", ValueError, "subband_energies_eV"),
("reg_array_too_long", "registry.get('josephson.spectrum')(ej_GHz=20.0, ec_GHz=0.3, ng_values=np.zeros(10**6))", ValueError, "ng_values"),
("qd_capacitance_huge", "registry.get('quantum_dots.staircase')(c1_aF=1e300)", ValueError, "c1_aF"),
("qd_resistance_tiny", "registry.get('quantum_dots.coulomb_diamonds')(r1_ohm=1e-300)", ValueError, "r1_ohm"),
("qd_bias_huge", "registry.get('quantum_dots.double_dot')(bias_V=1e300)", ValueError, "bias_V"),
("qpc_lattice_huge", "registry.get('qpc.saddle_point_qpc')(energies_eV=[0.01], lattice_constant_nm=1e300)", ValueError, "lattice_constant_nm"),
("sp_periods_huge", "registry.get('schrodinger_poisson.ingao3_zno')(fermi_energies_eV=[0.1], n_periods=10**9)", ValueError, "n_periods"),
("photonic_pulse_tiny", "registry.get('photonic.pulse_train')(pulse_s=1e-300)", ValueError, "pulse_s"),
("wall_dt_tiny", "registry.get('spintronics.wall_velocity')(dt_s=1e-300)", ValueError, "dt_s"),
("family_count_huge", "devices.get('floating_gate')(n_devices=10**18)", ValueError, "n_devices"),
("family_float_huge", "devices.get('skyrmion')(radius_nm=1e300)", ValueError, "radius_nm"),
("family_float_tiny", "devices.get('photonic_2deg')(retention_window_s=1e-300)", ValueError, "retention_window_s"),
("ra_layers_huge", "registry.get('tunneling.resistance_area')(max_layers=10**9)", ValueError, "max_layers"),
("ra_bias_tiny", "registry.get('tunneling.resistance_area')(bias_V=1e-300)", ValueError, "bias_V"),
("vac2d_T_tiny", "registry.get('vacancy2d.pulse_train')(temperature_K=1e-300)", ValueError, "temperature_K"),
("vac2d_pulses_huge", "registry.get('vacancy2d.pulse_train')(n_pulses=10**9)", ValueError, "n_pulses"),
("sl_well_tiny", "superlattice.Superlattice(1e-300, 1.0, 0.3, 0.067, 0.067)", ValueError, "well_nm"),
("ecm_read_voltage_huge", "registry.get('ecm.retention')(temperatures_K=[400.0], read_voltage_V=1e300)", ValueError, "read_voltage_V"),
("ecm_stdp_read_tiny", "registry.get('ecm.stdp_window')(delays_s=[1e-3], read_voltage_V=1e-300)", ValueError, "read_voltage_V"),
("ecm_set_width_huge", "registry.get('ecm.pulse_train')(set_width_s=1e300)", ValueError, "set_width_s"),
("ribbon_dirac_point", "tb_systems.ribbon_conductance([0.0])", ValueError, "energies_eV"),
("qd_film_smallest_dots_unbound", "devices.get('quantum_dot')(dot_diameter_nm=1.0, size_spread_rel=0.3).response()", ValueError, "dot_diameter_nm"),
("fefet_width_below_tau0", "devices.get('fefet')(pulse_width_s=1e-15)", ValueError, "pulse_width_s"),
("ftj_incremental_width_below_tau0", "devices.get('ftj')(scheme='incremental', pulse_width_s=5e-14)", ValueError, "pulse_width_s"),
("skyrmion_event_T_zero", "__import__('qtransport.spintronics.skyrmion', fromlist=['x']).event_probability(1e-19, 1e11, 1e11, 8e-9, 1e9, 0.0)", ValueError, "temperature_K"),
("skyrmion_event_scale_zero", "__import__('qtransport.spintronics.skyrmion', fromlist=['x']).event_probability(1e-19, 0.0, 1e11, 8e-9, 1e9, 300.0)", ValueError, "current_scale_A_per_m2"),
("skyrmion_event_barrier_nan", "__import__('qtransport.spintronics.skyrmion', fromlist=['x']).event_probability(float('nan'), 1e11, 1e11, 8e-9, 1e9, 300.0)", ValueError, "barrier_J"),
# parameters that the chosen method does not use are still checked (never silently ignored)
("unused_lattice_tmm", "tunneling_models.transmission(energies_eV=[0.5], lattice_constant_nm=float('nan'))", ValueError, "lattice_constant_nm"),
("unused_lattice_kp", "superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067).minibands(lattice_constant_nm=float('inf'))", ValueError, "lattice_constant_nm"),
]

WARNS = [
    # E_J/E_C = 67 with charge states |n| <= 2 only: levels off by GHz (tested below)
    ("q_spectrum_ncut_small", "quantum.spectrum(67 * 0.2, 0.2, ncut=2)", "ncut = 2 is too small"),
    ("q_spectrum_ncut_small_ng", "quantum.spectrum(67 * 0.2, 0.2, ng=[0.0, 0.5], ncut=3)",
     "ncut = 3"),
    ("q_spectrum_vs_ng_small", "quantum.spectrum_vs_ng(50.0, 0.3, [0.0, 0.25], ncut=4)",
     "ncut = 4"),
    ("q_spectrum_too_many_levels", "quantum.spectrum(50.0, 0.3, ncut=10, levels=21)",
     "E_J/E_C"),
    # |n_g| beyond ncut: the charge window reaches the basis edge, so its proof does not bound
    # the states left out (levels ~140 GHz off at n_g = 40.3); one point and a short batch
    ("q_spectrum_ng_beyond_ncut", "quantum.spectrum(20.0, 0.3, ng=40.3)", "ncut = 30"),
    ("q_spectrum_ng_near_ncut_pair", "quantum.spectrum(20.0, 0.3, ng=[25.3, 0.3])",
     "ncut = 30"),
    # an explicit E_z grid that stops inside the transport window (the current would be 9× low)
    ("barrier_grid_too_short", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, "
     "0.5, energies_eV=[0.1, 0.2])", "energies_eV ends at 0.2 eV"),
    ("barrier_grid_starts_high", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, "
     "0.5, energies_eV=np.linspace(0.2, 2.0, 3000))", "energies_eV starts at 0.2 eV"),
    # a Landauer grid that does not resolve k_BT
    ("landauer_coarse_grid", "landauer.conductance(np.linspace(-1, 1, 5), np.ones(5), 0.0, 10.0)",
     "does not resolve k_BT"),
]


def _run(code: str):
    return eval(code, dict(NAMESPACE))         # noqa: S307 (test corpus of literal calls)


@pytest.mark.parametrize("case_id,code,exc,param", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused(case_id, code, exc, param, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AccuracyWarning)   # only the exception is under test
        with pytest.raises(exc) as info:
            _run(code)
    assert param in str(info.value), f"message does not name {param!r}: {info.value}"
    assert "\n" not in str(info.value).strip() or len(str(info.value)) < 400
    assert list(tmp_path.iterdir()) == [], "a file was left behind"


@pytest.mark.parametrize("case_id,code,text", WARNS, ids=[c[0] for c in WARNS])
def test_inaccurate_answer_warns(case_id, code, text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.warns(AccuracyWarning) as record:
        _run(code)
    assert any(text in str(w.message) for w in record), [str(w.message) for w in record]
    assert list(tmp_path.iterdir()) == []


def test_enough_distinct_cases():
    ids = [c[0] for c in CASES] + [c[0] for c in WARNS] + [c[0] for c in HOSTILE]
    assert len(ids) == len(set(ids)) and len(ids) >= 80
    assert len({c[1] for c in CASES}) == len(CASES)


def test_truncation_estimate_tracks_the_true_error():
    """The ncut warning's number is the true truncation error within a factor 2 (perturbative).

    Reference: the same spectrum with ncut = 80, converged to machine precision for E_J/E_C <= 70
    (charge-basis weight at |n| = 80 is ~exp(-80²/(2σ²)) with σ ~ 1.2).
    """
    from scipy.linalg import eigh_tridiagonal
    for ej, ec, nc in [(13.4, 0.2, 6), (13.4, 0.2, 8), (20.0, 0.3, 5), (1.0, 1.0, 2),
                       (1.0, 1.0, 3)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AccuracyWarning)
            true = np.abs(quantum.spectrum(ej, ec, 0.3, nc, 3)
                          - quantum.spectrum(ej, ec, 0.3, 80, 3)).max()
        d, e = quantum.charge_diagonals(ej, ec, 0.3, nc)
        vals, vecs = eigh_tridiagonal(d, e, select="i", select_range=(0, 2))
        estimate = quantum._truncation_error(d, vecs, vals, ej, ec, nc, 0.3).max()
        assert 0.5 < estimate / true < 2.0, (ej, ec, nc, estimate, true)


def test_converged_spectra_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", AccuracyWarning)
        for ratio in (0.01, 1.0, 10.0, 67.0, 300.0):
            quantum.spectrum(ratio * 0.3, 0.3, ng=np.linspace(-1, 1, 5), ncut=30, levels=5)
        quantum.spectrum(0.0, 0.3, ncut=3, levels=7)       # E_J = 0: charge states are exact


def test_unsorted_grid_used_to_give_a_wrong_current():
    """The issue's grid [1.0, 0.2, 0.5, 0.1] is refused, and so is a shuffled good grid.

    Sorted, the same points give the automatic-grid current to the trapezoid error (a grid of
    3000 points from the band bottom to E_F + 40 k_BT: relative difference < 1e-3).
    """
    b = tunneling.Barrier(1.5, 1.0, 0.5)
    with pytest.raises(ValueError, match="energies_eV must be strictly increasing"):
        b.current_density(0.1, 300.0, 0.5, energies_eV=[1.0, 0.2, 0.5, 0.1])
    grid = b.energy_grid(0.1, 300.0, 0.5, 3000)[0]
    reference = b.current_density(0.1, 300.0, 0.5)
    assert abs(b.current_density(0.1, 300.0, 0.5, energies_eV=grid) / reference - 1) < 1e-3
    shuffled = np.random.default_rng(0).permutation(grid)
    with pytest.raises(ValueError, match="energies_eV must be strictly increasing"):
        b.current_density(0.1, 300.0, 0.5, energies_eV=shuffled)


def test_histogram_keeps_every_value():
    values = [0.0, 0.5, 1.0, 2.0, 2.999]
    counts, edges = filament.histogram(values, bin_width_G0=0.1, max_G0=3.0)
    assert counts.sum() == len(values) and edges[-1] >= 2.999
    counts, edges = filament.histogram([0.3, 7.26], bin_width_G0=0.07)
    assert counts.sum() == 2


def test_limits_can_be_raised():
    """A refused size runs once the documented keyword allows it (same call, larger limit)."""
    with pytest.raises(WorkLimitError, match="max_sites"):
        filament.conductance(2, [1.0], length_atoms=10, max_sites=20)
    r = filament.conductance(2, [1.5], length_atoms=10, max_sites=100)
    # W = 2 wire at E = 1.5 t: thresholds 1 t and 3 t, so exactly one open channel (to ~1e-12)
    assert abs(r.conductance_G0[0] - filament.wire_mode_count(2, [1.5])[0]) < 1e-9
    assert filament.wire_mode_count(2, [1.5])[0] == 1
    with pytest.raises(WorkLimitError, match="max_steps"):
        rcsj.simulate(J0, 1e-4, duration_s=1e-11, max_steps=10)
    assert rcsj.simulate(J0, 1e-4, duration_s=1e-11, max_steps=10**4).time_s.size > 10
    with pytest.raises(WorkLimitError, match="max_layers"):
        superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067).transmission([0.1], 50,
                                                                           max_layers=10)
    with pytest.raises(WorkLimitError, match="max_orbitals"):
        wannier.parse_hr(wannier.format_hr(wannier.example("hbn_like")), max_orbitals=1)
    assert wannier.parse_hr(wannier.format_hr(wannier.example("hbn_like")),
                            max_orbitals=2).num_orbitals == 2


# --- hostile sizes: one subprocess, memory-limited, one alarm per case ------------------------

HOSTILE = [
    ("filament_length_1e8", "filament.conductance(3, [1.0], length_atoms=10**8)", "max_sites"),
    # 10^5 energies, each its own thermal window of 36 k_BT at 1e-6 K: ~1.4e7 solves
    ("filament_thermal_grid",
     "filament.conductance(3, np.linspace(0.0, 3.0, 10**5), temperature_K=1e-6)", "max_solves"),
    ("filament_growth_3d", "filament.growth(1000, 1.0, dimension=3)", "max_sites"),
    # 40 ns of wall motion per current at 1e-18 s steps: 8e11 RK4 steps of Python
    ("wall_velocity_tiny_step", "registry.get('spintronics.wall_velocity')(dt_s=1e-18)", "dt_s"),
    ("wall_integrate_tiny_step", "domain_wall.integrate(domain_wall.cofeb_wall(temperature_K=0.0), "
     "domain_wall.WallState(np.zeros(1), np.zeros(1)), 1e-6, 1e-18)", "max_steps"),
    ("filament_ensemble_many", "filament.ensemble(2, 1.0, n_samples=10**7)", "max_solves"),
    ("filament_hist_bins", "filament.histogram([0.5], bin_width_G0=1e-12)", "max_bins"),
    ("jj_capacitance_in_farads", "rcsj.iv_curve(Junction(100e-6, 0.5, 2.0), [5e-5, 2e-4])",
     "pF"),
    ("jj_simulate_one_second", "rcsj.simulate(J0, 1e-4, duration_s=1.0)", "max_steps"),
    ("jj_simulate_recording", "rcsj.simulate(J0, np.zeros(10**5), duration_s=1e-9)",
     "max_samples"),
    ("jj_huge_ensemble", "rcsj.iv_curve(J0, np.zeros(1000), realizations=10**5)", "max_elements"),
    # 10^6 biases (within max_elements) × ~2e4 steps: 2e10 junction-steps, minutes compiled
    ("jj_bias_steps", "rcsj.iv_curve(J0, np.linspace(0.0, 3e-4, 10**6))", "max_element_steps"),
    ("jj_noisy_steps", "rcsj.iv_curve(J0, np.linspace(0.0, 3e-4, 100), temperature_K=4.2, "
                       "realizations=10**5)", "max_element_steps"),
    ("jj_escape_realizations", "escape.escape_rate(J0, 9e-5, 1.0, duration_s=1e-9, "
                               "realizations=10**8)", "max_elements"),
    ("jj_slow_ramp", "escape.switching_currents(J0, 1e-30, 1.0, start_A=5e-5, realizations=2)",
     "max_steps"),
    ("jj_escape_long", "escape.escape_rate(J0, 9e-5, 1.0, duration_s=10.0, realizations=2)",
     "max_steps"),
    ("sfq_long", "sfq.firing_rate([1e-5], duration_s=1.0)", "max_steps"),
    ("sfq_trace_long", "sfq.spike_train(1e-5, duration_s=1.0)", "max_steps"),
    ("hr_1e9_orbitals", "wannier.read_hr(HR_HUGE, companions=False)", "max_orbitals"),
    ("hr_1e9_blocks", "wannier.parse_hr('x\\n 10\\n 1000000000\\n 1\\n')", "declares"),
    ("sl_periods", "superlattice.Superlattice(3.0, 1.0, 0.3, 0.067, 0.067)"
                   ".transmission([0.1], n_periods=10**9)", "max_layers"),
    ("sl_coupled_wells", "superlattice.coupled_well_levels(10**9, 3.0, 1.0, 0.3, 0.067)",
     "max_layers"),
    ("kp_bands", "superlattice.kronig_penney_band_edges(3.0, 1.0, 0.3, 0.067, 0.067, "
                 "n_bands=10**8)", "max_values"),
    ("layered_huge", "superlattice.layered_transmission(np.zeros(10**4) + 0.1, np.ones(10**4),"
                     " np.zeros(10**4), np.ones(10**4), 1.0)", "max_values"),
    ("kwant_chain_tiny_a", "superlattice.kwant_transmission([0.1], [1.0], [0.3], [0.067], "
                           "0.067, 1e-9)", "max_sites"),
    ("sp_nodes", "schrodinger_poisson.layered_structure([1e3], [0.0], [0.067], [9.0], [0.0], "
                 "spacing_nm=1e-6)", "max_nodes"),
    ("fd_well_tiny_a", "schrodinger_poisson.fd_well_levels(5.0, 0.3, 0.067, "
                       "lattice_constant_nm=1e-9)", "max_nodes"),
    ("barrier_energies", "tunneling.Barrier(1.5, 1.0, 0.5).current_density(0.1, 300.0, 0.5, "
                         "n_energies=10**9)", "max_points"),
    ("barrier_kwant_tiny_a", "tunneling.Barrier(1.5, 1.0, 0.5).transmission([0.5], "
                             "method='kwant', lattice_constant_nm=1e-9)", "max_lattice_work"),
    # fresh PySCF runs: estimated from the orbital and k-point counts before PySCF starts
    ("fp_dft_supercell", "structure_conductance(Structure(('Au',) * 40, tuple((0.0, 0.0, 2.6 * i)"
                         " for i in range(40)), ((10, 0, 0), (0, 10, 0), (0, 0, 104.0)), "
                         "(False, False, True), name='Au40'), compute=True, cache_dir='.')",
     "max_dft_s"),
    ("fp_dft_kmesh", "dft.load_or_run(hbn_bulk(), dft.DFTSettings(kmesh=(15, 15, 15)), "
                     "cache_dir='.')", "max_dft_s"),
    ("fp_bj_many_gaps", "break_junction(gaps_angstrom=np.linspace(0.5, 5.5, 40), compute=True)",
     "max_dft_s"),
    # 10 µm under bias with the image force: 1.5e6 Airy slabs per point
    ("barrier_image_thick", "tunneling.Barrier(1.5, 1e4, 0.5, image_force=True).current_density("
                            "np.linspace(0.1, 5, 30), 300.0, 2.0)", "max_segment_work"),
    ("landauer_many_biases", "landauer.current(np.linspace(-1, 1, 401), np.ones(401), "
                             "np.linspace(0, 0.5, 10**6), 10.0)", "max_values"),
    ("qpc_many_energies", "qpc.saddle_point_qpc(np.linspace(0.0, 0.1, 10**6))", "max_work"),
    ("buttiker_channels", "qpc.buttiker_conductance([0.01], hbar_omega_y_eV=1e-300)",
     "max_values"),
    ("barrier_kwant_many_energies", "tunneling.Barrier(1.5, 1.0, 0.5).transmission("
                                    "np.linspace(0.1, 0.5, 10**6), method='kwant')",
     "max_lattice_work"),
    ("finite_well_levels_many", "superlattice.finite_well_levels(1e4, 1e5, 1e3)", "max_levels"),
    ("quantum_ncut", "quantum.spectrum(10.0, 0.2, ncut=10**9)", "max_states"),
    ("washboard_grid", "washboard.metastable_levels(100.0, 1.0, 0.9, grid_step=1e-9)",
     "max_nodes"),
    ("photonic_pulses", "photonic.pulse_schedule(10**9, 0.05, 0.2)", "max_pulses"),
    ("magnetic_pulses", "magnetic.train(magnetic.ClusterSynapse(), 10**9, mode='order', "
                        "initial='disordered')", "max_updates"),
    ("ribbon_wide", "tb_systems.ribbon_conductance([0.1], width_cells=10**6)", "max_sites"),
    ("ribbon_long", "tb_systems.ribbon_conductance([0.1], length_cells=10**8)", "max_sites"),
    ("qpc_flat_saddle", "qpc.saddle_point_qpc([0.01], hbar_omega_x_eV=1e-7)", "max_sites"),
    ("floating_gate_pulses", "floating_gate.pulse_response(n_pulses=10**9)", "MAX_PULSES"),
    ("qdynamics_times", "qdynamics.relaxation(10.0, 0.2, 100.0, np.linspace(0, 1, 2 * 10**6))",
     "max_times"),
]

#: memory limit of the hostile subprocess: importing Kwant, QuTiP and SciPy needs ~1.5 GB of
#: address space; the refused cases would need GBs to TBs, so 3 GiB catches any that allocate
_MEMORY_LIMIT_BYTES = 3 * 2**30
#: alarm per hostile case and timeout of the whole subprocess, s: a case that starts the
#: work instead of refusing it hangs past the alarm (or hits the memory limit) and fails
_CASE_ALARM_S = 10
_RUN_TIMEOUT_S = 120

_HOSTILE_SCRIPT = """
import json, os, signal, sys, warnings
sys.setrecursionlimit(10000)
cases = json.loads(sys.argv[1])
exec(compile(open(sys.argv[2]).read().split("# --- namespace end ---")[0], "ns", "exec"))
ns = {k: v for k, v in globals().items() if not k.startswith("_")}
ns["HR_HUGE"] = sys.argv[3]

class Hung(Exception):
    pass

def alarm(*_):
    raise Hung()

signal.signal(signal.SIGALRM, alarm)
out = {}
for cid, code in cases:
    signal.alarm(%d)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eval(code, dict(ns))
        out[cid] = ["returned", ""]
    except Hung:
        out[cid] = ["hung", ""]
    except BaseException as exc:
        out[cid] = [type(exc).__name__, str(exc)]
    finally:
        signal.alarm(0)
print(json.dumps(out))
""" % _CASE_ALARM_S


def _limit_memory():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT_BYTES, _MEMORY_LIMIT_BYTES))


@pytest.fixture(scope="module")
def hostile_outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    huge = folder / "huge_hr.dat"
    huge.write_text("declares a billion orbitals\n 1000000000\n 1\n 1\n"
                    "0 0 0 1 1 0.0 0.0\n")
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, "-c", _HOSTILE_SCRIPT, json.dumps([c[:2] for c in HOSTILE]), __file__,
         str(huge)], capture_output=True, text=True, timeout=_RUN_TIMEOUT_S, env=env,
        cwd=folder, preexec_fn=_limit_memory)
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcomes = json.loads(proc.stdout.strip().splitlines()[-1])
    leftovers = sorted(p.name for p in folder.iterdir() if p != huge)
    return outcomes, leftovers


@pytest.mark.parametrize("case_id,code,param", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_size_is_refused_up_front(case_id, code, param, hostile_outcomes):
    outcomes, leftovers = hostile_outcomes
    kind, message = outcomes[case_id]
    assert kind in ("WorkLimitError", "HrFormatError"), (kind, message)
    assert param in message, message
    if kind == "WorkLimitError":
        assert "refused before starting" in message
        assert "pass a larger" in message or "set qtransport" in message
    assert leftovers == []
