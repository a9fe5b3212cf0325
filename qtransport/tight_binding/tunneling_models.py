"""Registered tunneling computations (sweeps, configs, the pipeline): thin wrappers returning Results.

Models: ``tunneling.transmission`` (rectangular barrier, any method), ``tunneling.hbn_transmission``,
``tunneling.current_density`` (Tsu–Esaki J–V of an h-BN stack, with Simmons for comparison) and
``tunneling.resistance_area`` (R·A and current decay per layer against WKB).
"""
from __future__ import annotations

import numpy as np

from ..registry import Param, register
from ..results import Result
from ..results import declare as _declare
from .tunneling import (ELECTRODES, MASS_SOURCES, METHODS, Barrier, hbn_barrier,
                        simmons_current_density, wkb_decay_per_layer)

__all__ = ["transmission", "hbn_transmission", "current_density", "resistance_area"]

_HBN_PARAMS = [
    Param("electrode", str, default="graphene", choices=ELECTRODES, doc="electrode material"),
    Param("carrier", str, default="electron", choices=("electron", "hole"), doc="carrier type"),
    Param("barrier_height_eV", float, default=None, optional=True, low=0.0, low_open=True,
          doc="override of the (weak) barrier height above E_F, eV"),
    Param("effective_mass", float, default=None, optional=True, low=0.0, low_open=True,
          doc="override of the tunneling mass, m_e (takes precedence over mass_source)"),
    Param("mass_source", str, default="auto", choices=MASS_SOURCES,
          doc="tunneling mass: computed from the PBE kappa at K (auto: for electrons between "
              "graphene electrodes), or the Britnell 0.5 m_e fit"),
]


def _hbn(n_layers: int, electrode: str, carrier: str, barrier_height_eV, effective_mass,
         mass_source: str = "auto"):
    return hbn_barrier(n_layers, electrode, carrier, barrier_height_eV=barrier_height_eV,
                       effective_mass=effective_mass, mass_source=mass_source)


@register("tunneling.transmission", summary="T(E) of a rectangular barrier (tmm/lattice/kwant/wkb)",
          params=[Param("energies_eV", "array", low=0.0, low_open=True, doc="energies, eV"),
                  Param("height_eV", float, default=1.5, low=0.0, low_open=True),
                  Param("thickness_nm", float, default=1.0, low=0.0, low_open=True),
                  Param("effective_mass", float, default=0.5, low=0.0, low_open=True),
                  Param("bias_V", float, default=0.0, doc="bias across the barrier, V"),
                  Param("method", str, default="tmm", choices=METHODS),
                  Param("lattice_constant_nm", float, default=0.01, low=0.0, low_open=True)])
def transmission(*, energies_eV, height_eV: float = 1.5, thickness_nm: float = 1.0,
                 effective_mass: float = 0.5, bias_V: float = 0.0, method: str = "tmm",
                 lattice_constant_nm: float = 0.01) -> Result:
    """Transmission of a rectangular barrier by the chosen method; fields ``energies_eV``,
    ``transmission``.

    Parameters
    ----------
    energies_eV : array_like
        Energies above the left electrode's band bottom, eV (> 0).
    height_eV : float, optional
        Barrier height, eV (> 0).
    thickness_nm : float, optional
        Barrier thickness, nm (> 0).
    effective_mass : float, optional
        Barrier mass, m_e (> 0).
    bias_V : float, optional
        Bias across the barrier, V.
    method : {"tmm", "lattice", "kwant", "wkb"}, optional
        Solver (see :meth:`Barrier.transmission`).
    lattice_constant_nm : float, optional
        Lattice spacing of ``"lattice"``/``"kwant"``, nm (> 0).

    Returns
    -------
    Result
        ``energies_eV`` (eV) and ``transmission`` (dimensionless).

    Examples
    --------
    >>> r = transmission(energies_eV=[0.5], height_eV=1.0, thickness_nm=1.0)
    >>> 0 < float(r.transmission[0]) < 1
    True
    """
    params = dict(locals())
    b = Barrier(height_eV=height_eV, thickness_nm=thickness_nm, effective_mass=effective_mass)
    t = b.transmission(energies_eV, method, bias_V=bias_V, lattice_constant_nm=lattice_constant_nm)
    return Result("tunneling.transmission", params,
                  {"energies_eV": np.asarray(energies_eV, float), "transmission": t})


@register("tunneling.hbn_transmission", summary="T(E) of an n-layer h-BN barrier",
          params=[Param("energies_eV", "array", low=0.0, low_open=True, doc="energies, eV"),
                  Param("n_layers", int, low=1, doc="h-BN layers"),
                  Param("bias_V", float, default=0.0)] + _HBN_PARAMS)
def hbn_transmission(*, energies_eV, n_layers: int, bias_V: float = 0.0,
                     electrode: str = "graphene", carrier: str = "electron",
                     barrier_height_eV=None, effective_mass=None,
                     mass_source: str = "auto") -> Result:
    """T(E) of an h-BN stack (TMM); fields ``energies_eV``, ``transmission``.

    Parameters
    ----------
    energies_eV : array_like
        Energies above the electrode's band bottom, eV (> 0).
    n_layers : int
        h-BN layers (≥ 1).
    bias_V : float, optional
        Bias, V.
    electrode : str, optional
        Electrode material (one of :data:`~qtransport.tight_binding.tunneling.ELECTRODES`).
    carrier : {"electron", "hole"}, optional
        Carrier type.
    barrier_height_eV : float, optional
        Override of the barrier height above E_F, eV (> 0).
    effective_mass : float, optional
        Override of the tunneling mass, m_e (> 0; takes precedence over ``mass_source``).
    mass_source : str, optional
        Tunneling mass source (one of :data:`~qtransport.tight_binding.tunneling.MASS_SOURCES`):
        computed from the PBE κ at K, or the Britnell 0.5 m_e fit.

    Returns
    -------
    Result
        ``energies_eV`` (eV) and ``transmission`` (dimensionless); attrs: the barrier and sources.
    """
    params = dict(locals())
    bar = _hbn(n_layers, electrode, carrier, barrier_height_eV, effective_mass, mass_source)
    t = bar.transmission(energies_eV, bias_V=bias_V)
    return Result("tunneling.hbn_transmission", params,
                  {"energies_eV": np.asarray(energies_eV, float), "transmission": t},
                  {"barrier": repr(bar), **{f"source.{k}": v for k, v in bar.sources.items()}})


@register("tunneling.current_density", summary="Tsu–Esaki J(V) of an n-layer h-BN barrier",
          params=[Param("bias_V", "array", doc="biases, V"),
                  Param("n_layers", int, low=1, doc="h-BN layers"),
                  Param("temperature_K", float, default=300.0, low=0.0),
                  Param("method", str, default="tmm", choices=("tmm", "wkb")),
                  Param("n_energies", int, default=2000, low=16)] + _HBN_PARAMS)
def current_density(*, bias_V, n_layers: int, temperature_K: float = 300.0, method: str = "tmm",
                    n_energies: int = 2000, electrode: str = "graphene",
                    carrier: str = "electron", barrier_height_eV=None,
                    effective_mass=None, mass_source: str = "auto") -> Result:
    """J(V) (A/m²) by Tsu–Esaki, plus Simmons' formula for the same flat barrier.

    Fields: ``bias_V``, ``current_density_A_per_m2``, ``simmons_current_density_A_per_m2``.

    Parameters
    ----------
    bias_V : array_like
        Biases, V.
    n_layers : int
        h-BN layers (≥ 1).
    temperature_K : float, optional
        Temperature, K (≥ 0).
    method : {"tmm", "wkb"}, optional
        Transmission solver.
    n_energies : int, optional
        Energy grid points (≥ 16).
    electrode : str, optional
        Electrode material (one of :data:`~qtransport.tight_binding.tunneling.ELECTRODES`).
    carrier : {"electron", "hole"}, optional
        Carrier type.
    barrier_height_eV : float, optional
        Override of the barrier height above E_F, eV (> 0).
    effective_mass : float, optional
        Override of the tunneling mass, m_e (> 0; takes precedence over ``mass_source``).
    mass_source : str, optional
        Tunneling mass source (one of :data:`~qtransport.tight_binding.tunneling.MASS_SOURCES`):
        computed from the PBE κ at K, or the Britnell 0.5 m_e fit.

    Returns
    -------
    Result
        ``bias_V`` (V), ``current_density_A_per_m2`` and ``simmons_current_density_A_per_m2``
        (A/m²).
    """
    params = dict(locals())
    bar = _hbn(n_layers, electrode, carrier, barrier_height_eV, effective_mass, mass_source)
    bias = np.asarray(bias_V, float)
    j = bar.current_density(bias, temperature_K, method=method, n_energies=n_energies)
    phi = bar.layers[0].height_eV - bar.fermi_energy_eV
    js = simmons_current_density(bias, phi, bar.thickness_nm, bar.effective_mass)
    return Result("tunneling.current_density", params,
                  {"bias_V": bias, "current_density_A_per_m2": j,
                   "simmons_current_density_A_per_m2": js},
                  {"barrier": repr(bar), "thickness_nm": bar.thickness_nm,
                   "barrier_height_eV": phi, "effective_mass": bar.effective_mass})


@register("tunneling.resistance_area", summary="R·A and current decay per h-BN layer vs WKB",
          params=[Param("max_layers", int, default=6, low=2, high=100, doc="layers 1..max_layers"),
                  Param("temperature_K", float, default=300.0, low=0.0, high=1e4),
                  Param("bias_V", float, default=0.01, low=1e-6, high=1e4)] + _HBN_PARAMS)
def resistance_area(*, max_layers: int = 6, temperature_K: float = 300.0, bias_V: float = 0.01,
                    electrode: str = "graphene", carrier: str = "electron",
                    barrier_height_eV=None, effective_mass=None,
                     mass_source: str = "auto") -> Result:
    """Low-bias R·A (Ω m²) for 1..max_layers layers and ln(J_n/J_{n+1}) against WKB's 2κd.

    Fields: ``n_layers``, ``resistance_area_ohm_m2``, ``decay_per_layer`` (n − 1 values),
    ``wkb_decay_per_layer`` (scalar).

    Parameters
    ----------
    max_layers : int, optional
        Largest layer count (≥ 2).
    temperature_K : float, optional
        Temperature, K (≥ 0).
    bias_V : float, optional
        Probe bias, V (> 0).
    electrode : str, optional
        Electrode material (one of :data:`~qtransport.tight_binding.tunneling.ELECTRODES`).
    carrier : {"electron", "hole"}, optional
        Carrier type.
    barrier_height_eV : float, optional
        Override of the barrier height above E_F, eV (> 0).
    effective_mass : float, optional
        Override of the tunneling mass, m_e (> 0; takes precedence over ``mass_source``).
    mass_source : str, optional
        Tunneling mass source (one of :data:`~qtransport.tight_binding.tunneling.MASS_SOURCES`):
        computed from the PBE κ at K, or the Britnell 0.5 m_e fit.

    Returns
    -------
    Result
        ``n_layers``, ``resistance_area_ohm_m2`` (Ω m²), ``decay_per_layer`` and
        ``wkb_decay_per_layer`` (dimensionless).

    Examples
    --------
    Each added h-BN layer multiplies R·A by about exp(2κd), the WKB decay per layer:

    >>> import numpy as np
    >>> ra = resistance_area(max_layers=4)
    >>> ra.resistance_area_ohm_m2.shape                        # 1, 2, 3, 4 layers
    (4,)
    >>> bool(np.all(np.abs(ra.decay_per_layer / ra.wkb_decay_per_layer - 1) < 0.02))
    True
    """
    params = dict(locals())
    layers = np.arange(1, max_layers + 1)
    bars = [_hbn(int(n), electrode, carrier, barrier_height_eV, effective_mass, mass_source)
            for n in layers]
    ra = np.array([b.resistance_area(temperature_K, bias_V) for b in bars])
    return Result("tunneling.resistance_area", params,
                  {"n_layers": layers, "resistance_area_ohm_m2": ra,
                   "decay_per_layer": np.diff(np.log(ra)),
                   "wkb_decay_per_layer": np.float64(wkb_decay_per_layer(bars[0]))})


# ---- layout and default plot of the result kinds made here (qtransport.results.declare)
def _draw_current_density(result, ax, **kw):
    """|J| against bias on a log axis (the tunneling current spans many decades)."""
    j = np.abs(np.asarray(result.current_density_A_per_m2, float))
    ax.semilogy(result.bias_V, np.where(j > 0, j, np.nan), **kw)
    ax.set_xlabel(r"Bias $V$ (V)")
    ax.set_ylabel(r"$|J|$ (A m$^{-2}$)")
    ax.set_title("tunneling.current_density", fontsize="medium")


for _kind in ("tunneling.transmission", "tunneling.hbn_transmission"):
    _declare(_kind, coords=("energies_eV",), y=("transmission",), yscale="log")
_declare("tunneling.current_density", coords=("bias_V",), draw=_draw_current_density)
_declare("tunneling.resistance_area", coords=("n_layers",), y=("resistance_area_ohm_m2",),
         dims={"decay_per_layer": ("layer_step",)}, yscale="log", style="points")
