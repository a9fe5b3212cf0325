"""Kwant systems in hand: every lattice model as a Builder, and Landauer transport of any system.

Each builder returns an **unfinalized** ``kwant.Builder`` with its leads attached
(``syst.leads[0]``, ``syst.leads[1]``; a lead's own Builder is ``syst.leads[i].builder``). Every
value is a number, so ``syst.finalized()`` needs no ``params`` and works with all of Kwant:
``kwant.plot``, ``kwant.wave_function``, ``kwant.ldos``, ``kwant.operator.Current``. The
finalized system gives the same transmission as the qtransport model it comes from (tested).

======================  ==================================================================
builder                 model
======================  ==================================================================
:func:`filament_system`  filament wire / constriction (:func:`.filament.conductance`)
:func:`growth_system`    one step of atom-by-atom growth (:func:`.filament.growth`)
:func:`qpc_system`       saddle-point contact (:func:`.qpc.saddle_point_qpc`)
:func:`barrier_system`   tunnel barrier chain (``Barrier.transmission(method="kwant")``)
:func:`superlattice_system`  superlattice chain (``Superlattice.transmission(method="kwant")``)
:func:`ribbon_system`    Wannier ribbon (:func:`.tb_systems.ribbon_conductance`)
======================  ==================================================================

:func:`conductance` takes **any** finalized Kwant system — yours or one of these — and returns
the same :class:`~qtransport.results.Result` as qtransport's own models: G(E) in G0 at T = 0 or
at finite temperature (the filament's k_BT/2 grid with step bisection), through
:func:`.lattice.transmission_sweep` (RGF for slice-structured two-terminal systems, else
kwant.smatrix), every energy checked (AccuracyWarning).

Examples
--------
>>> import kwant
>>> from qtransport.tight_binding import systems
>>> syst = systems.filament_system(width_atoms=2, length_atoms=3)     # a uniform wire
>>> syst[list(syst.sites())[0]]          # numbers, not value functions
4.0
>>> r = systems.conductance(syst.finalized(), [2.0, 3.5])
>>> r.conductance_G0.round(6).tolist()
[1.0, 2.0]

``kwant.plot(syst)`` draws it (matplotlib; ``kwant.plot(syst, file="filament.png")``).
"""
from __future__ import annotations

import numpy as np

from ..errors import check_array, check_int, check_real
from ..errors import MAX_BIAS_V, MAX_ENERGY_EV, MAX_TEMPERATURE_K
from ..results import Result
from .chain1d import chain_system, lattice_chain
from .filament import MAX_SOLVES, growth_system, system as filament_system, thermal_conductance
from .lattice import transmission_sweep
from .qpc import qpc_system
from .rgf import check_leads
from .tb_systems import ribbon_system

__all__ = ["filament_system", "growth_system", "qpc_system", "barrier_system",
           "superlattice_system", "ribbon_system", "chain_system", "conductance"]


def barrier_system(barrier, bias_V: float = 0.0, lattice_constant_nm: float = 0.01):
    """A tunnel barrier's BenDaniel–Duke chain as an unfinalized Kwant Builder, leads attached.

    Parameters
    ----------
    barrier : qtransport.tight_binding.tunneling.Barrier
        The barrier (e.g. :func:`~qtransport.tight_binding.tunneling.hbn_barrier`).
    bias_V : float
        Bias across the stack, V.
    lattice_constant_nm : float
        Site spacing a, nm (should divide every layer thickness: error O(a²)).

    Returns
    -------
    kwant.Builder
        1-D chain, site i at x = i·a (positions in lattice units); energies in eV above the
        left electrode's band bottom. The finalized system's transmission equals
        ``barrier.transmission(E, method="kwant", bias_V=bias_V, lattice_constant_nm=a)``.

    Raises
    ------
    ValueError
        If an argument is invalid: `bias_V` must be >= -10000 and <= 10000;
        `lattice_constant_nm` must be > 0.
    TypeError
        If an argument has the wrong type: `bias_V` or `lattice_constant_nm` are not real
        numbers; barrier must be a Barrier.

    Examples
    --------
    >>> from qtransport.tight_binding.tunneling import hbn_barrier
    >>> fsyst = barrier_system(hbn_barrier(1))
    >>> len(fsyst.leads)
    2
    """
    from .tunneling import Barrier
    if not isinstance(barrier, Barrier):
        raise TypeError(f"barrier must be a Barrier, got {type(barrier).__name__}")
    bias = check_real("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    return chain_system(lattice_chain(barrier.slabs(bias), a))


def superlattice_system(superlattice, n_periods: int = 5, lattice_constant_nm: float = 0.1):
    """``n_periods`` of a superlattice between well-material leads, as an unfinalized Builder.

    The chain of ``Superlattice.transmission(method="kwant")`` (same layers: N barriers, N − 1
    wells); energies in eV from the lead (well) band bottom. ``lattice_constant_nm`` should
    divide both the well and the barrier width.

    Parameters
    ----------
    superlattice : Superlattice
        The superlattice (widths nm, offset eV, masses m_e).
    n_periods : int, optional
        Barriers (≥ 1).
    lattice_constant_nm : float, optional
        Site spacing, nm (> 0).

    Returns
    -------
    kwant.Builder
        1-D chain with two well-material leads attached, values in eV.

    Raises
    ------
    TypeError
        ``superlattice`` is not a Superlattice.
    """
    from . import transfer_matrix as _tm
    from .superlattice import Superlattice
    if not isinstance(superlattice, Superlattice):
        raise TypeError(f"superlattice must be a Superlattice, got {type(superlattice).__name__}")
    n = check_int("n_periods", n_periods, low=1)
    a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
    widths, pots, masses = superlattice._layers(n)
    profile = _tm.Profile.from_layers(np.asarray(widths, float), np.asarray(pots, float),
                                      np.asarray(masses, float), lead_mass=superlattice.well_mass)
    return chain_system(lattice_chain(profile, a))


def conductance(fsyst, energies_eV, temperature_K: float = 0.0, params: dict | None = None,
                lead_in: int = 0, lead_out: int = 1, *, max_solves: int = MAX_SOLVES,
                progress: bool | None = None) -> Result:
    """Landauer conductance G(E) in G0 of any finalized Kwant system (yours or qtransport's).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        A finalized system with at least two leads (``builder.finalized()``).
    energies_eV : array_like
        Fermi energies (the system's energy unit, eV for qtransport's builders).
    temperature_K : float
        Temperature, K. At T > 0, G(μ, T) = ∫ T(E)(−∂f/∂E) dE on a k_BT/2 grid reaching
        18 k_BT beyond the energies, each transmission step bisected to k_BT/2¹¹ (the
        filament's path, :func:`~qtransport.tight_binding.filament.thermal_conductance`).
    params : dict, optional
        Kwant ``params`` of the system's value functions.
    lead_in, lead_out : int
        Source and drain leads (multi-terminal systems: G = G0 T_{out←in}).
    max_solves : int
        Refuse a call needing more S-matrix solves than this (``WorkLimitError``).
    progress : bool, optional
        Progress bar over the energies (:func:`qtransport.infra.progress`).

    Returns
    -------
    Result
        ``energies_eV``, ``conductance_G0`` and ``open_modes`` (propagating modes of
        ``lead_in``; at T > 0 the T = 0 count), like :func:`.filament.conductance`.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000; `temperature_K` must be >= 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `temperature_K` is not a real number; `energies_eV`
        is not an array of real numbers; params must be a dict or None.

    Notes
    -----
    G = (2e²/h) T_{out←in}: the spin degeneracy 2 is in G0, so give spinless (one orbital per
    spin-degenerate state) systems. Two-terminal slice-structured systems are solved by RGF
    (:mod:`.rgf`: Ward identity of the ``lead_in`` block to 1e-10 per mode, else that energy
    goes to Kwant); every Kwant S-matrix is checked for unitarity of ``lead_in``:
    Σ_j T_{j←in} + R = N_open (AccuracyWarning beyond 1e-8 per mode).
    """
    lead_in, lead_out, n_leads = check_leads(fsyst, lead_in, lead_out)
    energies = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    temperature = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    if params is not None and not isinstance(params, dict):
        raise TypeError(f"params must be a dict or None, got {type(params).__name__}")
    from .filament import check_solves
    check_solves(energies.size, temperature, energies, max_solves)

    def solve(e, bar):
        return transmission_sweep(fsyst, e, params, lead_in, lead_out, progress=bar)
    if temperature == 0:
        g, modes = solve(energies, progress)
    else:
        g, modes = thermal_conductance(solve, energies, temperature, progress=progress)
    return Result("systems.conductance",
                  {"temperature_K": temperature, "lead_in": lead_in, "lead_out": lead_out,
                   "sites": len(fsyst.sites), "leads": n_leads},
                  {"energies_eV": energies, "conductance_G0": np.atleast_1d(g),
                   "open_modes": modes})

