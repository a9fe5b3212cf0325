"""Tunneling barriers (few-layer h-BN stacks): profiles, transmission by four methods, currents.

A :class:`Barrier` is a stack of :class:`Layer` objects between two electrodes. It builds the
bias-dependent potential profile (trapezoid → triangle, optional image-force lowering) and
computes the transmission by the exact continuum transfer matrix (``"tmm"``: the Airy-segment
kernel of :mod:`~qtransport.tight_binding.transfer_matrix`, exact for the piecewise-linear
biased profile), the BenDaniel–Duke lattice solved exactly (``"lattice"``), Kwant on that lattice
(``"kwant"``, :mod:`~qtransport.tight_binding.chain1d`) or WKB (``"wkb"``); its :meth:`Barrier.current_density` is the Tsu–Esaki J(V, T).
:func:`hbn_barrier` builds h-BN stacks from :mod:`qtransport.materials` with the weak parameters
(barrier height, tunneling mass) exposed and their sources listed. Its tunneling mass is computed
where the physics allows (electrons between graphene electrodes, which tunnel at K): the mass
that gives the PBE complex-band κ(φ) of bulk h-BN at K (:func:`computed_hbn_decay`, from
:mod:`qtransport.first_principles.hbn`) at the interface depth φ; elsewhere, and with
``mass_source="britnell"``, the Britnell et al. fit 0.5 m_e.

Energies are in eV measured from the left electrode's band bottom; the bias lowers the right
electrode by eV, so positive bias drives electrons left → right (J > 0).

Examples
--------
>>> import numpy as np
>>> b = Barrier(height_eV=1.5, thickness_nm=1.0, effective_mass=0.5)
>>> E = np.array([0.5, 1.0])
>>> bool(np.allclose(b.transmission(E), rectangular_transmission(E, 1.5, 1.0, 0.5), rtol=1e-12))
True
"""
from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

import numpy as np

from .. import materials
from ..constants import e, eps0, eV, nm, thermal_energy_eV
from ..errors import (AccuracyWarning, check_array, check_choice, check_increasing, check_int,
                      check_real, check_work)
from ..errors import MAX_BIAS_V, MAX_EFFECTIVE_MASS, MAX_ENERGY_EV, MAX_LENGTH_NM, MAX_TEMPERATURE_K
from . import tunneling_solvers as _solvers
from .chain1d import kwant_transmission, lattice_chain, lattice_transmission
from .lattice import K_PER_SQRT_EV
from .transfer_matrix import Profile, segment_count, transmission as tm_transmission
from .tunneling_decay import DecayTable, decay_wkb_transmission
from .tunneling_currents import (fn_plot, fowler_nordheim_current_density,
                                 fowler_nordheim_slope, simmons_current_density,
                                 over_barrier_energies, supply_function_eV, transition_voltage,
                                 tsu_esaki)

__all__ = ["Layer", "Barrier", "rectangular_transmission", "hbn_barrier", "ELECTRODES",
           "METHODS", "simmons_current_density", "fowler_nordheim_current_density",
           "fowler_nordheim_slope", "fn_plot", "transition_voltage", "wkb_decay_per_layer",
           "DecayTable", "MASS_SOURCES", "computed_hbn_decay", "computed_hbn_mass",
           "require_current", "MAX_TUNNELING_EXPONENT"]

log = logging.getLogger(__name__)

METHODS = ("tmm", "lattice", "kwant", "wkb")
#: Simmons' image-force constant: V_im(x) = −1.15 λ s² / (x (s − x)), λ = e² ln2 / (8π ε ε0 s)
_SIMMONS_IMAGE = 1.15
#: slab width used to sample the curved image-force profile, nm
IMAGE_SLICE_NM = 0.02
#: most slabs a profile may be cut into (0.2 eV steps: a 4 kV drop); beyond, the bias is refused
MAX_SLABS = 20000
#: default most (bias, energy) points of one transmission/current call (``max_points=``)
MAX_POINTS = 10**7
#: default most lattice sites × (bias, energy) points for ``method="lattice"``/``"kwant"``
#: (``max_sites=``): the lattice solvers cost ~ sites per point
MAX_LATTICE_WORK = 10**9
#: fixed cost of one Kwant solve in site-equivalents (~1 ms of set-up and mode solving), so a
#: sweep of 10^6 energies on a short chain counts as the ~20 min it takes
KWANT_SOLVE_SITES = 10**4
#: default most transfer-matrix segments × (bias, energy) points for ``method="tmm"``
#: (``max_segment_work=``): ~2e6 segment-points per second on one core, so ~25 s
MAX_SEGMENT_WORK = 5 * 10**7
#: thickest layer accepted, nm: a tunnel barrier 10 µm thick passes no measurable tunnel
#: current (direct tunneling dies within ~10 nm) and the exact solvers' cost grows with it
MAX_THICKNESS_NM = 1e4
#: most h-BN layers of a stack (0.333 nm each: 10 µm)
MAX_HBN_LAYERS = 30000


def rectangular_transmission(energies_eV, height_eV: float, thickness_nm: float,
                             effective_mass: float, electrode_mass: float | None = None):
    """Analytic transmission of a rectangular barrier (continuum, BenDaniel–Duke matching).

    Parameters
    ----------
    energies_eV : float or array_like
        Energies above the electrodes' band bottom, eV (> 0).
    height_eV : float
        Barrier height V0, eV (> 0).
    thickness_nm : float
        Barrier thickness L, nm (> 0).
    effective_mass : float
        Barrier mass m_b/m_e (> 0).
    electrode_mass : float, optional
        Electrode mass m_w/m_e; defaults to ``effective_mass``.

    Returns
    -------
    ndarray
        T(E) in [0, 1].

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers > 0 and <=
        1000; `height_eV`, `effective_mass` and `electrode_mass` must be > 0 and <= 1000;
        `thickness_nm` must be > 0 and <= 10000.
    TypeError
        If an argument has the wrong type: `height_eV`, `thickness_nm`, `effective_mass` or
        `electrode_mass` are not real numbers; `energies_eV` is not an array of real numbers.

    Notes
    -----
    With ξ = (κ/m_b)/(k/m_w): E < V0: T = [1 + ¼(ξ + 1/ξ)² sinh²(κL)]⁻¹; E > V0:
    T = [1 + ¼(ξ − 1/ξ)² sin²(k'L)]⁻¹ with k' in place of κ; E = V0:
    T = [1 + (k L m_b/m_w)²/4]⁻¹. For equal masses these are the textbook forms
    T = [1 + V0² sinh²(κL)/(4E(V0 − E))]⁻¹ (e.g. Griffiths, Introduction to QM, Problem 2.33).
    sinh² is evaluated as e^{2κL}(1 − e^{−2κL})²/4 so T ~ 1e-300 neither overflows nor
    underflows early.

    Examples
    --------
    >>> round(float(rectangular_transmission(1.0, 1.0, 1.0, 1.0)[0]), 6)
    0.132245
    """
    E = check_array("energies_eV", energies_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    v0 = check_real("height_eV", height_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
    L = check_real("thickness_nm", thickness_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM)
    mb = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
    mw = mb if electrode_mass is None else check_real("electrode_mass", electrode_mass, low=0.0,
                                                      low_open=True, high=MAX_EFFECTIVE_MASS)
    c = K_PER_SQRT_EV
    k = c * np.sqrt(mw * E)
    s = c * np.sqrt(mb * np.abs(v0 - E))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        xi = (s / mb) / (k / mw)
        x = s * L
        decay = np.exp(-2 * x)
        # E < V0: ¼(ξ+1/ξ)² sinh² = A e^{2x}(1 − e^{−2x})²/4 → T = e^{−2x}/(e^{−2x} + A(1−e^{−2x})²/4)
        amp = 0.25 * (xi + 1 / xi) ** 2
        below = decay / (decay + 0.25 * amp * (-np.expm1(-2 * x)) ** 2)
        above = 1 / (1 + 0.25 * (xi - 1 / xi) ** 2 * np.sin(x) ** 2)
        at = 1 / (1 + 0.25 * (k * L * mb / mw) ** 2)
    return np.where(np.isclose(E, v0, rtol=1e-13, atol=0), at, np.where(E < v0, below, above))


#: tunneling exponent 2κd at the Fermi level up to which a barrier is certainly not opaque in
#: double precision: e^-600 ≈ 3e-261, far above the smallest normal double (2.2e-308) even
#: after the prefactors and the transverse and Fermi-window integrals take a few more decades
MAX_TUNNELING_EXPONENT = 600.0


def require_current(quantity: str, currents, thickness_nm: float, height_eV: float,
                    effective_mass: float, temperature_K: float) -> np.ndarray:
    """``currents`` if none is 0; otherwise a ValueError saying why a ratio of them is 0/0.

    A barrier so thick that tunneling (∝ e^{−2κd}, κ = √(2 m* m_e U)/ħ) and thermal emission over
    its top (∝ e^{−U/k_BT}) both underflow carries no current in double precision, and a
    TMR, TER or polarization formed from such currents is 0/0. The message names the
    thickness, the temperature and the thickest barrier that tunneling alone still carries
    (2κd ≤ :data:`MAX_TUNNELING_EXPONENT`).

    Parameters
    ----------
    quantity : str
        What the currents are for (for the message, e.g. ``"TMR"``).
    currents : array_like
        Currents or conductances (any unit).
    thickness_nm : float
        Barrier thickness d, nm (the parameter ``thickness_nm``).
    height_eV : float
        Lowest barrier height above the Fermi level, eV.
    effective_mass : float
        Tunneling mass, m_e.
    temperature_K : float
        Temperature, K (the parameter ``temperature_K``).

    Returns
    -------
    numpy.ndarray
        ``currents`` as an array.

    Raises
    ------
    ValueError
        Some current is 0.

    Examples
    --------
    >>> require_current("TER", [1e-30, 2e-30], 20.0, 1.5, 0.2, 300.0).size
    2
    """
    values = np.asarray(currents, float)
    if np.all(values != 0):
        return values
    exponent = 2 * K_PER_SQRT_EV * math.sqrt(effective_mass * max(height_eV, 0.0)) * thickness_nm
    kt = thermal_energy_eV(temperature_K)
    emission = f"e^-{height_eV / kt:.3g}" if kt > 0 else "0"
    limit = (f"thickness_nm <= {thickness_nm * MAX_TUNNELING_EXPONENT / exponent:.4g} nm"
             if exponent > MAX_TUNNELING_EXPONENT else "a thinner barrier")
    raise ValueError(
        f"{quantity} is 0/0 here: at thickness_nm = {thickness_nm:g} nm and temperature_K = "
        f"{temperature_K:g} the current underflows to 0 in double precision (tunneling "
        f"e^-{exponent:.3g}, emission over the {height_eV:.3g} eV barrier {emission}); use "
        f"{limit} or a higher temperature_K")


@dataclass(frozen=True)
class Layer:
    """One barrier layer.

    Parameters
    ----------
    thickness_nm : float
        Thickness (> 0, at most :data:`MAX_THICKNESS_NM`).
    height_eV : float
        Conduction-band edge at the layer's left side, eV above the left electrode's band bottom.
    effective_mass : float
        Tunneling mass m*/m_e (> 0).
    permittivity : float
        Relative permittivity; the bias drops across the layers in proportion to d/ε.
    height_end_eV : float, optional
        Band edge at the right side (linear in between, e.g. a contact potential); ``None`` =
        flat.
    name : str
        Material name.
    decay : DecayTable, optional
        Decay constant κ(φ) versus depth φ below ``height_eV`` (e.g. from a complex band
        structure, :func:`~qtransport.tight_binding.complex_bands.complex_band_barrier`); it
        replaces √(2m*φ)/ħ in ``method="wkb"``, the only method that uses it.

    Raises
    ------
    ValueError
        If an argument is invalid: `thickness_nm` must be > 0 and <= 10000; `height_eV` must be
        >= -1000 and <= 1000; `effective_mass` must be > 0 and <= 1000; `permittivity` must be
        > 0; `height_end_eV` must be finite.
    TypeError
        If an argument has the wrong type: `thickness_nm`, `height_eV`, `effective_mass`,
        `permittivity` or `height_end_eV` are not real numbers; decay must be a DecayTable or
        None.

    Examples
    --------
    >>> layer = Layer(thickness_nm=1.0, height_eV=1.5, effective_mass=0.5)
    >>> layer.thickness_nm, layer.height_eV
    (1.0, 1.5)
    """

    thickness_nm: float
    height_eV: float
    effective_mass: float
    permittivity: float = 1.0
    height_end_eV: float | None = None
    name: str = ""
    decay: DecayTable | None = None

    def __post_init__(self):
        check_real("thickness_nm", self.thickness_nm, low=0.0, low_open=True,
                   high=MAX_THICKNESS_NM)
        check_real("height_eV", self.height_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
        check_real("effective_mass", self.effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
        check_real("permittivity", self.permittivity, low=0.0, low_open=True)
        if self.height_end_eV is not None:
            check_real("height_end_eV", self.height_end_eV)
        if self.decay is not None and not isinstance(self.decay, DecayTable):
            raise TypeError(f"decay must be a DecayTable or None, got {self.decay!r}")

    @property
    def end_eV(self) -> float:
        """Band edge at the right side of the layer (zero bias)."""
        return self.height_eV if self.height_end_eV is None else self.height_end_eV


def _richardson(coarse: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Extrapolate ln T of a staircase with n and 2n slabs to n → ∞: (4 ln T_2n − ln T_n)/3.

    Used only for the curved image-force potential (piecewise-linear profiles are solved exactly).
    The staircase (midpoint) error of ln T is O(h²) in the slab width h, so this cancels the
    leading term (on a linear 1 nm, 1.5 eV barrier at ±1 V, 5 + 10 slabs gave J to 8e-5 relative
    against the exact Airy solution, 20 plain slabs 6e-4).
    """
    ok = (coarse > 0) & (fine > 0)
    with np.errstate(divide="ignore"):
        log_t = (4 * np.log(np.where(ok, fine, 1.0)) - np.log(np.where(ok, coarse, 1.0))) / 3
    return np.where(ok, np.exp(np.minimum(log_t, 0.0)), 0.0)


def _bias_array(bias_V) -> tuple[np.ndarray, bool]:
    scalar = np.ndim(bias_V) == 0
    return check_array("bias_V", bias_V, ndim=1, low=-MAX_BIAS_V, high=MAX_BIAS_V), scalar


#: relative error of the Tsu–Esaki integral below which :func:`_refine_features` stops
#: bisecting an interval (per interval, of the whole integral)
FEATURE_RTOL = 1e-7


def _refine_features(E: np.ndarray, T: np.ndarray, solve, weight, max_new: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The grid E (with T on it) refined where T has features the spacing does not resolve.

    A resonance of width Γ ≪ ΔE shows on the grid only as a local maximum of T (its Lorentzian
    tail) or a jump of ln T; the trapezoid rule then misses most of its weight (a double barrier
    of 7 nm, 0.5 eV, m* = 0.067: Γ = 1.6 µeV against ΔE = 57 µeV, J 46 % low). The intervals
    beside such points are bisected, and each half again while |f_l + f_r − 2 f_m|·w/3 (the
    trapezoid-vs-Simpson difference, f = T·weight) exceeds FEATURE_RTOL × the integral on the
    given grid (an underestimate where a feature was missed, so the test is conservative), up to
    ``max_new`` new points (an ``AccuracyWarning`` if that is not enough). ``solve(E)`` gives T,
    ``weight(E)`` the supply function. Smooth T (a single barrier) adds a few points at most.
    """
    f = T * weight(E)
    with np.errstate(divide="ignore"):
        log_t = np.log(np.maximum(T, 1e-300))
    peak = np.zeros(E.size, dtype=bool)
    peak[1:-1] = (T[1:-1] > T[:-2]) & (T[1:-1] > T[2:])
    # a jump of ln T between two open points; the onset from T = 0 at the band bottom, where
    # f ∝ √(E − E_0) loses f(ΔE)ΔE/6 to the trapezoid rule (1e-5 of J for a 1 nm, 1.5 eV
    # barrier), gets a geometric grid E_0 + ΔE·2^{−k/2}, k = 1 … 24, in one solve instead
    jump = (np.abs(np.diff(log_t)) > 0.5) & (T[:-1] > 0) & (T[1:] > 0)
    flagged = peak[:-1] | peak[1:] | jump
    new_e, new_t = [E], [T]
    if T[0] == 0 and T[1] > 0 and max_new >= 24:
        onset = E[0] + (E[1] - E[0]) * 2.0 ** (-0.5 * np.arange(1, 25))
        new_e.append(onset)
        new_t.append(solve(onset))
        max_new -= onset.size
    if not flagged.any():
        return _merged(new_e, new_t)
    total = abs(float(np.trapezoid(f, E)))
    scale = FEATURE_RTOL * (total if total > 0 else float(np.max(np.abs(f))) * (E[-1] - E[0]))
    lo, hi = E[:-1][flagged], E[1:][flagged]
    f_lo, f_hi = f[:-1][flagged], f[1:][flagged]
    added = 0
    while lo.size and added + lo.size <= max_new:
        mid = 0.5 * (lo + hi)
        t_mid = solve(mid)
        f_mid = t_mid * weight(mid)
        added += mid.size
        new_e.append(mid)
        new_t.append(t_mid)
        bad = (hi - lo) * np.abs(f_lo + f_hi - 2 * f_mid) / 3 > scale
        lo, hi = np.concatenate([lo[bad], mid[bad]]), np.concatenate([mid[bad], hi[bad]])
        f_lo, f_hi = (np.concatenate([f_lo[bad], f_mid[bad]]),
                      np.concatenate([f_mid[bad], f_hi[bad]]))
    if lo.size:
        warnings.warn(f"transmission features not resolved with {max_new} extra energies: "
                      f"{lo.size} intervals still change the current by more than "
                      f"{FEATURE_RTOL:g} of it (raise n_energies)", AccuracyWarning, stacklevel=3)
    return _merged(new_e, new_t)


def _merged(energies: list, transmissions: list) -> tuple[np.ndarray, np.ndarray]:
    """The pieces of a refined grid as one strictly increasing grid (each energy once: the
    onset points E_0 + ΔE·2^{−k/2} include the midpoint a bisection of the same interval adds)."""
    e_all, first = np.unique(np.concatenate(energies), return_index=True)
    return e_all, np.concatenate(transmissions)[first]


class Barrier:
    """A tunnel barrier: layers between two electrodes, with its bias-dependent profile.

    Parameters
    ----------
    height_eV, thickness_nm, effective_mass : float, optional
        A single rectangular layer (give all three, or ``layers``).
    layers : sequence of Layer, optional
        The stack, left to right.
    electrode_mass : float, optional
        Left electrode mass m/m_e; defaults to the first layer's mass.
    right_electrode_mass : float, optional
        Right electrode mass; defaults to ``electrode_mass``.
    right_band_bottom_eV : float
        Right electrode band bottom at zero bias (eV above the left one).
    fermi_energy_eV : float, optional
        Left electrode Fermi energy above its band bottom (used by :meth:`current_density`).
    image_force : bool
        Add Simmons' image-force potential −1.15 λ s²/(x(s − x)).
    max_step_eV : float
        Largest potential step between slabs of :meth:`slabs` (WKB and lattice sampling, where
        it changes nothing since every slab stays linear). With ``image_force`` the curved
        potential is a midpoint staircase and ``"tmm"`` solves it with n and 2n slabs and
        extrapolates ln T to zero step (Richardson), see :func:`_richardson`. Without image force
        ``"tmm"`` is exact and does not cut layers at all (:meth:`profile`).
    name : str
        Label.
    sources : dict, optional
        Parameter name → citation of the values used (filled by :func:`hbn_barrier`).

    Raises
    ------
    ValueError
        If an argument is invalid: `right_band_bottom_eV` must be finite; `max_step_eV`,
        `electrode_mass` and `right_electrode_mass` must be > 0; Barrier needs height_eV,
        thickness_nm and effective_mass, or layers; give either layers or
        height_eV/thickness_nm/effective_mass, not both; `fermi_energy_eV` must be >= 0.
    TypeError
        If an argument has the wrong type: `right_band_bottom_eV`, `max_step_eV`,
        `electrode_mass`, `right_electrode_mass` or `fermi_energy_eV` are not real numbers;
        layers must be a non-empty sequence of Layer.

    Examples
    --------
    >>> b = Barrier(height_eV=1.5, thickness_nm=1.0, effective_mass=0.5)
    >>> b.thickness_nm, b.height_eV
    (1.0, 1.5)
    """

    def __init__(self, height_eV: float | None = None, thickness_nm: float | None = None,
                 effective_mass: float | None = None, *, layers: Sequence[Layer] | None = None,
                 electrode_mass: float | None = None, right_electrode_mass: float | None = None,
                 right_band_bottom_eV: float = 0.0, fermi_energy_eV: float | None = None,
                 image_force: bool = False, max_step_eV: float = 0.2, name: str = "barrier",
                 sources: dict[str, str] | None = None):
        single = (height_eV, thickness_nm, effective_mass)
        if layers is None:
            if any(v is None for v in single):
                raise ValueError("Barrier needs height_eV, thickness_nm and effective_mass, or "
                                 "layers")
            layers = [Layer(thickness_nm, height_eV, effective_mass)]
        elif any(v is not None for v in single):
            raise ValueError("give either layers or height_eV/thickness_nm/effective_mass, "
                             "not both")
        self.layers = tuple(layers)
        if not self.layers or not all(isinstance(x, Layer) for x in self.layers):
            raise TypeError(f"layers must be a non-empty sequence of Layer, got {layers!r}")
        m0 = self.layers[0].effective_mass
        self.electrode_mass = m0 if electrode_mass is None else check_real(
            "electrode_mass", electrode_mass, low=0.0, low_open=True)
        self.right_electrode_mass = self.electrode_mass if right_electrode_mass is None else \
            check_real("right_electrode_mass", right_electrode_mass, low=0.0, low_open=True)
        self.right_band_bottom_eV = check_real("right_band_bottom_eV", right_band_bottom_eV)
        self.fermi_energy_eV = None if fermi_energy_eV is None else check_real(
            "fermi_energy_eV", fermi_energy_eV, low=0.0)
        self.image_force = bool(image_force)
        self.max_step_eV = check_real("max_step_eV", max_step_eV, low=0.0, low_open=True)
        self.name = str(name)
        self.sources = dict(sources or {})

    @classmethod
    def from_decay(cls, decay: DecayTable, height_eV: float, layer_thickness_nm: float,
                   n_layers: int = 1, *, height_end_eV: float | None = None,
                   permittivity: float = 1.0, material: str = "", **kwargs) -> "Barrier":
        """A barrier of ``n_layers`` identical layers whose decay is κ(φ) from ``decay``.

        Parameters
        ----------
        decay : DecayTable
            κ versus depth below the band edge (1/nm), replacing (height, mass) in the WKB
            exponent: T ≈ exp(−2∫κ(V(x) − E) dx), with V(x) the biased band edge.
        height_eV : float
            Band edge at the left interface, eV above the left electrode's band bottom (the
            band alignment, which a complex band structure does not give).
        layer_thickness_nm : float
            Thickness of one layer (nm); the barrier is ``n_layers`` of them.
        n_layers : int
            Number of layers (≥ 1).
        height_end_eV : float, optional
            Band edge at the right interface (contact potential), linear across the stack.
        permittivity : float
            Relative permittivity of every layer.
        material : str
            Layer name.
        **kwargs
            Passed to :class:`Barrier` (``electrode_mass``, ``fermi_energy_eV``, ``name``, …).
            Layers carry ``decay.band_edge_mass`` as their mass (the electrode default).

        Raises
        ------
        ValueError
            If an argument is invalid: `n_layers` must be >= 1 and <= 30000; `height_eV` must be >=
            -1000 and <= 1000; `height_end_eV` must be finite.
        TypeError
            If an argument has the wrong type: `height_eV` or `height_end_eV` are not real numbers;
            `n_layers` is not an integer; decay must be a DecayTable.

        Notes
        -----
        Only ``method="wkb"`` uses the table; the other methods raise ``ValueError``.

        Examples
        --------
        >>> t = DecayTable.effective_mass(0.5, 3.0)
        >>> b = Barrier.from_decay(t, 1.5, 1.0)
        >>> a = Barrier(height_eV=1.5, thickness_nm=1.0, effective_mass=0.5)
        >>> bool(np.allclose(b.transmission([0.5], "wkb"), a.transmission([0.5], "wkb")))
        True
        """
        if not isinstance(decay, DecayTable):
            raise TypeError(f"decay must be a DecayTable, got {decay!r}")
        n = check_int("n_layers", n_layers, low=1, high=MAX_HBN_LAYERS)
        h0 = check_real("height_eV", height_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
        h1 = h0 if height_end_eV is None else check_real("height_end_eV", height_end_eV)
        edge = h0 + (h1 - h0) * np.arange(n + 1) / n
        layers = [Layer(layer_thickness_nm, float(edge[i]), decay.band_edge_mass, permittivity,
                        None if height_end_eV is None else float(edge[i + 1]), material, decay)
                  for i in range(n)]
        sources = dict(kwargs.pop("sources", None) or {})
        sources.setdefault("decay", decay.source or "user decay table")
        return cls(layers=layers, sources=sources, **kwargs)

    # -- geometry ---------------------------------------------------------------------------
    @property
    def thickness_nm(self) -> float:
        """Total barrier thickness, nm."""
        return float(sum(x.thickness_nm for x in self.layers))

    @property
    def height_eV(self) -> float:
        """Highest band edge of the stack at zero bias, eV above the left band bottom."""
        return float(max(max(x.height_eV, x.end_eV) for x in self.layers))

    @property
    def effective_mass(self) -> float:
        """Tunneling mass of the first layer, m_e."""
        return self.layers[0].effective_mass

    def __repr__(self) -> str:
        return (f"Barrier({self.name!r}, {len(self.layers)} layer(s), thickness "
                f"{self.thickness_nm:.4g} nm, height {self.height_eV:.4g} eV)")

    def _drop_fractions(self) -> np.ndarray:
        """Cumulative fraction of the bias dropped at each layer boundary (∝ d/ε)."""
        w = np.array([x.thickness_nm / x.permittivity for x in self.layers])
        return np.concatenate([[0.0], np.cumsum(w) / w.sum()])

    def _image_potential(self, x_nm: np.ndarray) -> np.ndarray:
        s = self.thickness_nm
        eps = s / sum(x.thickness_nm / x.permittivity for x in self.layers)
        lam = e**2 * math.log(2) / (8 * math.pi * eps * eps0 * s * nm) / eV
        return -_SIMMONS_IMAGE * lam * s**2 / (x_nm * (s - x_nm))

    def potential(self, x_nm, bias_V: float = 0.0) -> np.ndarray:
        """Band edge V(x) in eV at positions ``x_nm`` (0 = left interface), at one bias.

        Parameters
        ----------
        x_nm : array_like
            Positions, nm (0 = left interface; < 0 left electrode, > thickness right electrode).
        bias_V : float, optional
            Bias, V.

        Returns
        -------
        numpy.ndarray
            Band edge V(x), eV above the left electrode's band bottom (image force included when
            ``image_force``).

        Raises
        ------
        ValueError
            If an argument is invalid: `x_nm` must be an array of finite numbers; `bias_V` must be
            >= -10000 and <= 10000.
        TypeError
            If an argument has the wrong type: `bias_V` is not a real number; `x_nm` is not an
            array of real numbers.

        Examples
        --------
        >>> b = hbn_barrier(3)
        >>> b.potential([0.0, 0.5], bias_V=0.2).round(3).tolist()
        [1.6, 1.5]
        """
        x = check_array("x_nm", x_nm)
        bias = check_real("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
        edges = np.concatenate([[0.0], np.cumsum([lay.thickness_nm for lay in self.layers])])
        start = np.array([lay.height_eV for lay in self.layers])
        end = np.array([lay.end_eV for lay in self.layers])
        base = np.interp(x, np.repeat(edges, 2)[1:-1], np.column_stack([start, end]).ravel())
        drop = np.interp(x, edges, self._drop_fractions()) * bias
        v = base - drop
        if self.image_force:
            inside = (x > 0) & (x < self.thickness_nm)
            v = np.where(inside, v + self._image_potential(np.where(inside, x, 0.5)), v)
        left = np.zeros_like(x)
        right = np.full_like(x, self.right_band_bottom_eV - bias)
        return np.where(x < 0, left, np.where(x > self.thickness_nm, right, v))

    def _check_bias_range(self, bias: np.ndarray, refine: int = 1) -> float:
        """Refuse biases whose staircase would need more than MAX_SLABS slabs; return max |V|."""
        vmax = float(np.max(np.abs(bias)))
        total = sum(abs(x.end_eV - x.height_eV) for x in self.layers) + vmax
        if total / self.max_step_eV * refine > MAX_SLABS:
            raise ValueError(f"bias_V up to {vmax:.3g} V needs more than {MAX_SLABS} slabs of "
                             f"max_step_eV = {self.max_step_eV} eV; allowed |bias_V| <= "
                             f"{MAX_SLABS * self.max_step_eV / refine:.3g} V (h-BN breaks down "
                             f"near 1.2 V/nm)")
        return vmax

    def profile(self, bias_V=0.0) -> Profile:
        """The exact piecewise-linear band-edge profile, for one or several biases.

        One linear segment per layer (contact-potential slope plus the bias drop ∝ d/ε);
        neighbouring layers of equal mass that lie on one straight line at every bias (an h-BN
        stack) are merged into one segment. This is what ``method="tmm"`` solves exactly
        (without image force; the image-force potential is curved, see :meth:`slabs`).

        Parameters
        ----------
        bias_V : float or array_like, optional
            Bias or biases, V.

        Returns
        -------
        Profile
            Segment thicknesses (nm), start/end band edges (eV, one column per bias), masses (m_e)
            and electrode data.

        Raises
        ------
        ValueError
            A bias beyond the slab limit (``MAX_SLABS`` slabs of ``max_step_eV``).

        Examples
        --------
        >>> p = hbn_barrier(3).profile(bias_V=0.2)
        >>> p.thickness_nm.size
        1
        """
        bias, _ = _bias_array(bias_V)
        self._check_bias_range(bias)
        fr = self._drop_fractions()
        d_all, start, end, mass = [], [], [], []
        for j, lay in enumerate(self.layers):
            a = lay.height_eV - fr[j] * bias
            b = lay.end_eV - fr[j + 1] * bias
            if d_all and mass[-1] == lay.effective_mass:
                slope_prev = (end[-1] - start[-1]) / d_all[-1]
                slope = (b - a) / lay.thickness_nm
                scale = np.maximum(np.abs(a), 1.0)
                if (np.all(np.abs(end[-1] - a) <= 1e-13 * scale) and
                        np.all(np.abs(slope - slope_prev) * lay.thickness_nm <= 1e-13 * scale)):
                    d_all[-1] += lay.thickness_nm
                    end[-1] = b
                    continue
            d_all.append(lay.thickness_nm)
            start.append(a)
            end.append(b)
            mass.append(lay.effective_mass)
        return Profile(np.array(d_all), np.vstack(start), np.vstack(end), np.array(mass),
                       self.electrode_mass, self.right_electrode_mass,
                       self.right_band_bottom_eV - bias)

    def slabs(self, bias_V=0.0, refine: int = 1) -> Profile:
        """The profile cut into slabs, for one or several biases (WKB, lattice, image force).

        Sloped layers are cut so that no step exceeds ``max_step_eV`` at the largest bias (each
        slab stays linear, so this changes nothing for the exact solvers); with image force, slabs
        are at most ``IMAGE_SLICE_NM`` thick and take the midpoint value. ``refine`` multiplies
        the number of slabs of every cut layer.

        Parameters
        ----------
        bias_V : float or array_like, optional
            Bias or biases, V.
        refine : int, optional
            Multiplier of the slabs of every cut layer (≥ 1).

        Returns
        -------
        Profile
            Slab thicknesses (nm), start/end band edges (eV, one column per bias), masses (m_e) and
            electrode data.

        Raises
        ------
        ValueError
            A bias beyond the slab limit, or ``refine`` < 1.

        Examples
        --------
        >>> s = hbn_barrier(3).slabs(bias_V=0.2, refine=4)
        >>> s.thickness_nm.size
        3
        """
        bias, _ = _bias_array(bias_V)
        refine = check_int("refine", refine, low=1)
        vmax = self._check_bias_range(bias, refine)
        fr = self._drop_fractions()
        d_all, start, end, mass = [], [], [], []
        x0 = 0.0
        for j, lay in enumerate(self.layers):
            span = abs(lay.end_eV - lay.height_eV) + vmax * (fr[j + 1] - fr[j])
            n = max(1, math.ceil(span / self.max_step_eV - 1e-9))
            if self.image_force:
                n = max(n, math.ceil(lay.thickness_nm / IMAGE_SLICE_NM))
            n = n * refine if n > 1 else n
            u = np.linspace(0.0, 1.0, n + 1)
            base = lay.height_eV + u * (lay.end_eV - lay.height_eV)
            drop = (fr[j] + u * (fr[j + 1] - fr[j]))[:, None] * bias[None, :]
            v = base[:, None] - drop
            a, b = v[:-1], v[1:]
            if self.image_force:
                mid = self._image_potential(x0 + (u[:-1] + u[1:]) / 2 * lay.thickness_nm)
                a = b = 0.5 * (a + b) + mid[:, None]
            d_all += [lay.thickness_nm / n] * n
            start.append(a)
            end.append(b)
            mass += [lay.effective_mass] * n
            x0 += lay.thickness_nm
        return Profile(np.array(d_all), np.vstack(start), np.vstack(end), np.array(mass),
                       self.electrode_mass, self.right_electrode_mass,
                       self.right_band_bottom_eV - bias)

    # -- transmission -----------------------------------------------------------------------
    def _tmm_segments(self, bias: np.ndarray) -> int:
        """Airy segments (summed over the solves) that ``method="tmm"`` multiplies per point."""
        if self.image_force:      # n and 2n slabs of at most IMAGE_SLICE_NM (Richardson pair)
            return 3 * sum(max(1, math.ceil(lay.thickness_nm / IMAGE_SLICE_NM))
                           for lay in self.layers)
        prof = self.profile(bias)
        return segment_count(prof)

    def _check_lattice(self, a: float) -> None:
        edges = np.cumsum([lay.thickness_nm for lay in self.layers])
        mismatch = float(np.max(np.abs(edges / a - np.round(edges / a)))) * a
        if mismatch > 1e-6 * a:
            warnings.warn(f"layer interfaces are not multiples of lattice_constant_nm = {a}: "
                          f"off by up to {mismatch:.3g} nm, so the lattice error is first order "
                          f"in a (choose a dividing every layer thickness)", AccuracyWarning,
                          stacklevel=3)

    def transmission(self, energies_eV, method: str = "tmm", *, bias_V=0.0,
                     lattice_constant_nm: float = 0.01, max_points: int = MAX_POINTS,
                     max_lattice_work: int = MAX_LATTICE_WORK,
                     max_segment_work: int = MAX_SEGMENT_WORK) -> np.ndarray:
        """Transmission T(E) through the barrier.

        Parameters
        ----------
        energies_eV : float or array_like
            Energies above the left electrode's band bottom, eV.
        method : {"tmm", "lattice", "kwant", "wkb"}
            Exact continuum transfer matrix (Airy segments; 1e-9 relative or better against an
            independent high-precision Airy solution at any bias); the BenDaniel–Duke lattice
            solved exactly; Kwant on that lattice; or WKB exp(−2∫κ dx).
        bias_V : float or array_like
            Bias (V); an array gives one row per bias.
        lattice_constant_nm : float
            Lattice spacing for ``"lattice"`` and ``"kwant"`` (should divide every layer).
        max_points : int
            Refuse (``WorkLimitError``) more than this many (bias, energy) points.
        max_lattice_work : int
            Refuse a lattice/Kwant solve of more than this many sites × points (a lattice
            constant far too small for the barrier).
        max_segment_work : int
            Refuse a ``"tmm"`` solve of more than this many Airy segments × points (a thick
            layer under bias is cut into many pieces; an image-force profile into 0.02 nm slabs).

        Returns
        -------
        ndarray
            Shape (n_energy,) for a scalar bias, (n_bias, n_energy) otherwise.

        Raises
        ------
        ValueError
            If an argument is invalid: `energies_eV` must be a 1-D array of finite numbers >= -1000
            and <= 1000.
        TypeError
            If an argument has the wrong type: `energies_eV` is not an array of real numbers.

        Examples
        --------
        >>> t = hbn_barrier(3).transmission([0.1, 0.5])
        >>> [f'{x:.2e}' for x in t]
        ['1.35e-05', '2.70e-04']
        """
        E = check_array("energies_eV", energies_eV, ndim=1, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
        bias, scalar = _bias_array(bias_V)
        trans = self._solve(E, method, bias, lattice_constant_nm, max_points=max_points,
                            max_lattice_work=max_lattice_work, max_segment_work=max_segment_work)
        return trans[0] if scalar else trans

    def _solve(self, E: np.ndarray, method: str, bias: np.ndarray,
               lattice_constant_nm: float = 0.01, *, max_points: int = MAX_POINTS,
               max_lattice_work: int = MAX_LATTICE_WORK,
               max_segment_work: int = MAX_SEGMENT_WORK) -> np.ndarray:
        """T on energies (n,) or per-bias rows (n_bias, n), shape (n_bias, n)."""
        check_choice("method", method, METHODS)
        points = bias.size * (E.shape[-1] if E.ndim > 1 else E.size)
        check_work("max_points", points, check_int("max_points", max_points, low=1),
                   unit="(bias, energy) points", hint=f"{bias.size} biases × "
                   f"{E.shape[-1] if E.ndim > 1 else E.size} energies")
        a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True,
                       high=MAX_LENGTH_NM)
        if method in ("lattice", "kwant"):
            thinnest = min(lay.thickness_nm for lay in self.layers)
            if a > thinnest:
                raise ValueError(f"lattice_constant_nm must be <= the thinnest layer "
                                 f"({thinnest:g} nm) for method={method!r}, got {a:g}")
            sites = self.thickness_nm / a + 2
            if method == "kwant":     # a Kwant solve costs at least ~KWANT_SOLVE_SITES sites
                sites = max(sites, KWANT_SOLVE_SITES)
            check_work("max_lattice_work", sites * points,
                       check_int("max_lattice_work", max_lattice_work, low=1),
                       unit="site-points", hint=f"{sites:.3g} lattice sites (thickness "
                       f"{self.thickness_nm:.4g} nm / lattice_constant_nm = {a}) × {points} points")
        self._check_bias_range(bias)
        limit = check_int("max_segment_work", max_segment_work, low=1)
        if method == "tmm" and not any(lay.decay is not None for lay in self.layers):
            segments = self._tmm_segments(bias)
            check_work("max_segment_work", segments * points, limit, unit="segment-points",
                       hint=f"{segments} transfer-matrix segments (thickness "
                            f"{self.thickness_nm:.4g} nm) × {points} points")
        if any(lay.decay is not None for lay in self.layers):
            if method != "wkb":
                raise ValueError(f"method must be 'wkb' for a barrier with a decay table "
                                 f"(Layer.decay), got {method!r}")
            return decay_wkb_transmission(self.slabs(bias), E, self.layers)
        if method in ("lattice", "kwant"):
            a = check_real("lattice_constant_nm", lattice_constant_nm, low=0.0, low_open=True)
            self._check_lattice(a)
            chain = lattice_chain(self.slabs(bias), a)
            solve = lattice_transmission if method == "lattice" else kwant_transmission
            trans = solve(chain, E)
        elif method == "wkb":
            trans = _solvers.wkb_transmission(self.slabs(bias), E)
        elif self.image_force:
            # curved potential: midpoint staircases of n and 2n slabs, each solved exactly
            trans = _richardson(tm_transmission(self.slabs(bias), E),
                                tm_transmission(self.slabs(bias, 2), E))
        else:
            trans = tm_transmission(self.profile(bias), E)    # exact: Airy segments
        return trans

    # -- currents ---------------------------------------------------------------------------
    def energy_grid(self, bias_V, temperature_K: float, fermi_energy_eV: float,
                    n_energies: int = 2000) -> np.ndarray:
        """E_z grids, one row per bias, covering each transport window (±40 k_BT).

        Row b runs from the higher of the two band bottoms (below it T = 0; the integrand has a
        √E onset exactly at the grid's first point; every state above it carries the supply
        function) to the higher Fermi level + 40 k_BT,
        so mirrored biases of a symmetric stack get mirrored grids. Shape (n_bias, n_energies).

        Parameters
        ----------
        bias_V : array_like
            Biases, V.
        temperature_K : float
            Electrode temperature, K (≥ 0).
        fermi_energy_eV : float
            Left electrode Fermi energy above its band bottom, eV (≥ 0).
        n_energies : int, optional
            Points per grid (≥ 2).

        Returns
        -------
        numpy.ndarray
            Longitudinal energies E_z, eV above the left band bottom, shape (n_bias, n_energies).

        Raises
        ------
        ValueError
            If an argument is invalid: `bias_V` must be an array of finite numbers >= -10000 and <=
            10000; `temperature_K` must be >= 0 and <= 10000; `fermi_energy_eV` must be >= 0 and <=
            1000; `n_energies` must be >= 2.
        TypeError
            If an argument has the wrong type: `temperature_K` or `fermi_energy_eV` are not real
            numbers; `n_energies` is not an integer; `bias_V` is not an array of real numbers.

        Examples
        --------
        >>> e = hbn_barrier(3).energy_grid(0.2, 300.0, 0.1, n_energies=50)
        >>> e.shape
        (1, 50)
        """
        bias = check_array("bias_V", bias_V, low=-MAX_BIAS_V, high=MAX_BIAS_V)
        temperature_K = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
        fermi_energy_eV = check_real("fermi_energy_eV", fermi_energy_eV, low=0.0, high=MAX_ENERGY_EV)
        n_energies = check_int("n_energies", n_energies, low=2)
        margin = 40 * thermal_energy_eV(temperature_K) + 1e-9
        lo = np.maximum(0.0, self.right_band_bottom_eV - bias)
        hi = fermi_energy_eV + np.maximum(0.0, -bias) + margin
        return lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, n_energies)[None, :]

    def transmission_result(self, energies_eV, method: str = "tmm", **kw):
        """:meth:`transmission` as a :class:`~qtransport.results.Result` (kind
        ``"tunneling.transmission"``: ``energies_eV``, ``transmission``), with ``.plot()`` and
        ``.to_xarray()``. Keywords as for :meth:`transmission`.

        Parameters
        ----------
        energies_eV : float or array_like
            Energies above the left electrode's band bottom, eV.
        method : {"tmm", "lattice", "kwant", "wkb"}, optional
            Solver, as for :meth:`transmission`.
        **kw
            Further keywords of :meth:`transmission` (``bias_V`` …).

        Returns
        -------
        Result
            ``energies_eV`` (eV) and ``transmission`` (dimensionless).

        Examples
        --------
        >>> r = hbn_barrier(3).transmission_result([0.1, 0.5])
        >>> r.kind, r.transmission.shape
        ('tunneling.transmission', (2,))
        """
        from ..results import Result
        t = self.transmission(energies_eV, method, **kw)
        return Result("tunneling.transmission", {"barrier": repr(self), "method": method,
                                                 **{k: v for k, v in kw.items()}},
                      {"energies_eV": np.atleast_1d(np.asarray(energies_eV, float)),
                       "transmission": np.atleast_1d(t)})

    def current_density(self, bias_V, temperature_K: float = 300.0,
                        fermi_energy_eV: float | None = None, *, method: str = "tmm",
                        n_energies: int = 2000, energies_eV=None,
                        max_points: int = MAX_POINTS,
                        max_segment_work: int = MAX_SEGMENT_WORK):
        """Tsu–Esaki current density J(V, T) in A/m² with the bias-dependent profile.

        Parameters
        ----------
        bias_V : float or array_like
            Bias (V); positive drives electrons from the left electrode to the right.
        temperature_K : float
            Electrode temperature, K (≥ 0).
        fermi_energy_eV : float, optional
            Left electrode Fermi energy above its band bottom; defaults to the barrier's.
        method : {"tmm", "wkb", "lattice", "kwant"}
            How T(E_z, V) is computed.
        n_energies : int
            Points of the automatic E_z grid (see :meth:`energy_grid`); features of T narrower
            than its spacing (resonances of a multi-barrier stack) are then resolved by
            bisection (:func:`_refine_features`, at most ``n_energies`` more points per bias).
        energies_eV : array_like, optional
            Explicit E_z grid instead: strictly increasing (the integral is a trapezoid rule on
            it, so an unsorted or duplicated grid is refused); used as given.
        max_points : int
            Refuse (``WorkLimitError``) more than this many (bias, energy) points.
        max_segment_work : int
            Refuse a ``"tmm"`` solve of more than this many segments × points (see
            :meth:`transmission`).

        Returns
        -------
        float or ndarray
            J (A/m²), a float for a scalar bias.

        Raises
        ------
        ValueError
            If an argument is invalid: `temperature_K` must be >= 0 and <= 10000; fermi_energy_eV
            must be given (this Barrier has no default); `fermi_energy_eV` must be >= 0 and <=
            1000; `n_energies` must be >= 16; `method` must be one of ``METHODS``; the estimated
            size must not exceed `max_points` (:class:`~qtransport.errors.WorkLimitError`, a
            ValueError); `energies_eV` must be a strictly increasing grid of values >= -1000 and <=
            1000; `max_points` must be >= 1.
        TypeError
            If an argument has the wrong type: `temperature_K` or `fermi_energy_eV` are not real
            numbers; `n_energies` or `max_points` are not integers; `energies_eV` is not an array
            of real numbers.

        Notes
        -----
        J = (e m* k_BT/2π²ħ³) ∫ dE_z T(E_z, V) ln{[1 + e^{(E_F − E_z)/k_BT}] /
        [1 + e^{(E_F − E_z − eV)/k_BT}]} (Tsu & Esaki 1973), m* the left electrode mass. On the
        automatic grid the window (to E_F + 40 k_BT) is continued over the barrier top when
        emission there could carry more than 1e-12 of the current
        (:func:`~qtransport.tight_binding.tunneling_currents.over_barrier_energies`): thick
        barriers at room temperature conduct mostly over the top.

        Examples
        --------
        >>> j = hbn_barrier(3).current_density([0.1, 0.2])
        >>> [f'{x:.2e}' for x in j]
        ['1.04e+07', '1.65e+07']
        """
        bias, scalar = _bias_array(bias_V)
        temp = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
        ef = self.fermi_energy_eV if fermi_energy_eV is None else fermi_energy_eV
        if ef is None:
            raise ValueError("fermi_energy_eV must be given (this Barrier has no default)")
        ef = check_real("fermi_energy_eV", ef, low=0.0, high=MAX_ENERGY_EV)
        n_energies = check_int("n_energies", n_energies, low=16)
        check_choice("method", method, METHODS)
        if energies_eV is None:
            check_work("max_points", bias.size * n_energies,
                       check_int("max_points", max_points, low=1), unit="(bias, energy) points",
                       hint=f"{bias.size} biases × n_energies = {n_energies}")
            E = self.energy_grid(bias, temp, ef, n_energies)
        else:
            E = check_increasing("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
        trans = self._solve(E, method, bias, max_points=max_points,
                            max_segment_work=max_segment_work)
        if energies_eV is not None:
            self._check_window(E, trans, bias, temp, ef)
            j = tsu_esaki(E, trans, bias, temp, ef, self.electrode_mass)
        else:
            j = np.empty(bias.size)
            prof = self.profile(bias)              # no image force: its top is an upper bound
            tops = np.maximum(prof.start_eV.max(axis=0), prof.end_eV.max(axis=0))
            heaviest = float(prof.mass.max())
            for b in range(bias.size):
                row = bias[b:b + 1]

                def solve(x, row=row):
                    return self._solve(x, method, row, max_points=max_points,
                                       max_segment_work=max_segment_work)[0]

                def supply(x, row=row):
                    return supply_function_eV(x, ef, row, temp)[0]
                eb, tb = E[b], trans[b]
                # a thick barrier: the current over its top may be what the window missed
                above = over_barrier_energies(float(eb[-1]), float(tops[b]), ef, float(row[0]),
                                              temp, abs(float(np.trapezoid(tb * supply(eb), eb))),
                                              self.thickness_nm, heaviest,
                                              density=n_energies / 2000)
                if above.size:
                    eb, tb = np.concatenate([eb, above]), np.concatenate([tb, solve(above)])
                # resolve resonances narrower than the grid spacing (also just above the top)
                eb, tb = _refine_features(eb, tb, solve, supply, n_energies + 4 * above.size)
                j[b] = tsu_esaki(eb, tb[None, :], row, temp, ef, self.electrode_mass)[0]
        return float(j[0]) if scalar else j


    def current_density_result(self, bias_V, temperature_K: float = 300.0,
                               fermi_energy_eV: float | None = None, **kw):
        """:meth:`current_density` as a :class:`~qtransport.results.Result` (kind
        ``"tunneling.current_density"``: ``bias_V``, ``current_density_A_per_m2``).

        Parameters
        ----------
        bias_V : float or array_like
            Bias, V.
        temperature_K : float, optional
            Electrode temperature, K (≥ 0).
        fermi_energy_eV : float, optional
            Left electrode Fermi energy, eV (default: the barrier's).
        **kw
            Further keywords of :meth:`current_density`.

        Returns
        -------
        Result
            ``bias_V`` (V) and ``current_density_A_per_m2`` (A/m²).

        Examples
        --------
        >>> r = hbn_barrier(3).current_density_result([0.1, 0.2])
        >>> r.kind, r.current_density_A_per_m2.shape
        ('tunneling.current_density', (2,))
        """
        from ..results import Result
        j = self.current_density(bias_V, temperature_K, fermi_energy_eV, **kw)
        return Result("tunneling.current_density",
                      {"barrier": repr(self), "temperature_K": temperature_K,
                       "fermi_energy_eV": fermi_energy_eV,
                       **{k: v for k, v in kw.items() if k != "energies_eV"}},
                      {"bias_V": np.atleast_1d(np.asarray(bias_V, float)),
                       "current_density_A_per_m2": np.atleast_1d(j)})

    def _check_window(self, E, trans, bias, temp, ef) -> None:
        """Warn if an explicit E_z grid cuts off part of the Tsu–Esaki integrand.

        The integrand T·N is compared at the grid ends with its maximum: the top end must reach
        where the supply function has died out (E_F + 40 k_BT), the bottom end must start at the
        higher band bottom unless the integrand is already negligible there.
        """
        from .tunneling_currents import supply_function_eV
        integrand = np.abs(trans * supply_function_eV(E, ef, bias, temp))
        peak = integrand.max(axis=-1)
        lowest = np.maximum(0.0, self.right_band_bottom_eV - bias)
        top = integrand[:, -1] > 1e-6 * peak
        bottom = (E[0] > lowest + 1e-9) & (integrand[:, 0] > 1e-6 * peak)
        if np.any(top | bottom):
            b = int(np.argmax(top | bottom))
            side = (f"ends at {E[-1]:.6g} eV, where the integrand is still "
                    f"{integrand[b, -1] / peak[b]:.2g} of its peak (extend it to E_F + "
                    f"max(0, −eV) + 40 k_BT)") if top[b] else (
                    f"starts at {E[0]:.6g} eV above the band bottom {lowest[b]:.6g} eV, where "
                    f"the integrand is still {integrand[b, 0] / peak[b]:.2g} of its peak")
            warnings.warn(f"energies_eV {side} at bias {bias[b]:.4g} V: the current misses part "
                          f"of the transport window", AccuracyWarning, stacklevel=3)

    def resistance_area(self, temperature_K: float = 300.0, bias_V: float = 0.01,
                        fermi_energy_eV: float | None = None) -> float:
        """Low-bias resistance–area product R·A = V/J, in Ω m².

        Parameters
        ----------
        temperature_K : float, optional
            Electrode temperature, K (≥ 0).
        bias_V : float, optional
            Small probe bias, V (> 0).
        fermi_energy_eV : float, optional
            Left electrode Fermi energy, eV (default: the barrier's).

        Returns
        -------
        float
            R·A, Ω m².

        Raises
        ------
        ValueError
            ``bias_V`` ≤ 0, or no Fermi energy.

        Examples
        --------
        >>> f'{hbn_barrier(3).resistance_area():.2e}'
        '7.67e-09'
        """
        v = check_real("bias_V", bias_V, low=0.0, low_open=True, high=MAX_BIAS_V)
        return float(v / self.current_density(v, temperature_K, fermi_energy_eV))


# -- h-BN stacks from the materials database -----------------------------------------------

def _electrode_table() -> dict[str, dict]:
    table = {}
    for name in materials.names():
        mat = materials.get(name)
        ef = mat.get("fermi_energy_eV")
        if ef is None:
            continue
        if mat.get("work_function_eV") is not None:
            work, wsrc = mat.work_function_eV, mat.quantity("work_function_eV").source
        elif mat.get("electron_affinity_eV") is not None:      # degenerate n-type: W = χ − E_F
            work = mat.electron_affinity_eV - ef
            wsrc = mat.quantity("electron_affinity_eV").source + " (W = χ − E_F)"
        else:
            continue
        has_m = mat.get("effective_mass") is not None
        table[name] = {"work_function_eV": work, "fermi_energy_eV": ef,
                       "effective_mass": mat.effective_mass if has_m else 1.0,
                       "metal": mat.kind in ("metal", "superconductor"),
                       "sources": {"work_function_eV": wsrc,
                                   "fermi_energy_eV": mat.quantity("fermi_energy_eV").source,
                                   "effective_mass": mat.quantity("effective_mass").source
                                   if has_m else "free-electron mass (not in materials.toml)"}}
    return table


#: electrode names usable in :func:`hbn_barrier` (materials with a Fermi energy and work function)
ELECTRODES = tuple(_electrode_table())


def _database_name(name):
    """The database spelling of a material name or alias (``"gold"`` → ``"Au"``), else as given."""
    try:
        return materials.get(name).name
    except (TypeError, ValueError):
        return name


def _interface_height(elec: str, info: dict, carrier: str, hbn) -> tuple[float, str]:
    """Barrier height above the electrode Fermi level at an electrode/h-BN interface, eV."""
    chi = hbn.electron_affinity_eV
    anderson = info["work_function_eV"] - chi
    if carrier == "electron":
        if elec == "graphene":
            return (hbn.tunneling_barrier_graphene_eV,
                    hbn.quantity("tunneling_barrier_graphene_eV").source)
        return anderson, f"Anderson rule W − χ(hBN); χ: {hbn.quantity('electron_affinity_eV').source}"
    if info["metal"]:
        return hbn.hole_barrier_metal_eV, hbn.quantity("hole_barrier_metal_eV").source
    return (hbn.band_gap_eV - anderson,
            "Anderson rule χ + E_g − W; E_g: " + hbn.quantity("band_gap_eV").source)


#: ``hbn_barrier(mass_source=...)``: "auto" (computed where the physics allows, else the fit),
#: "computed" (always the PBE κ at K), "britnell" (the 0.5 m_e fit of Britnell et al. 2012).
MASS_SOURCES = ("auto", "computed", "britnell")

_DECAY_FILE = "first_principles/hBN_decay_K.csv"


@lru_cache(maxsize=None)
def computed_hbn_decay(carrier: str = "electron") -> DecayTable:
    """PBE complex-band κ(φ) (1/nm) of bulk h-BN along c at in-plane K, as a :class:`DecayTable`.

    Read from ``data/first_principles/hBN_decay_K.csv`` (written by
    :func:`qtransport.first_principles.hbn.write_decay_csv` from the shipped DFT cache; a test
    recomputes it). φ is the depth below the conduction edge (``carrier="electron"``) or above
    the valence edge (``"hole"``), 0 … the PBE gap along c at K (4.48 eV).

    Parameters
    ----------
    carrier : {"electron", "hole"}, optional
        Which band edge the depth φ is measured from.

    Returns
    -------
    DecayTable
        κ (1/nm) against depth φ (eV).

    Raises
    ------
    ValueError
        A bad ``carrier`` or an unexpected file header.
    """
    carrier = check_choice("carrier", carrier, ("electron", "hole"))
    text = resources.files("qtransport.data").joinpath(_DECAY_FILE).read_text("utf-8")
    comments = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
    rows = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    if not rows or rows[0] != "depth_eV,kappa_electron_per_nm,kappa_hole_per_nm":
        raise ValueError(f"{_DECAY_FILE}: unexpected header {rows[:1]!r}")
    table = np.array([[float(x) for x in ln.split(",")] for ln in rows[1:]])
    col = 1 if carrier == "electron" else 2
    return DecayTable(table[:, 0], table[:, col],
                      source=f"computed: {comments[0] if comments else ''} ({_DECAY_FILE})")


def computed_hbn_mass(depth_eV: float, carrier: str = "electron") -> float:
    """Tunneling mass (m_e) whose κ = √(2mφ)/ħ equals the PBE κ(φ) at K at this depth (eV).

    ``depth_eV`` must lie inside the PBE gap along c (0 < φ < 4.48 eV). The equivalent mass
    falls across the gap (1.35 m_e at 0.5 eV, 0.76 at 1.5 eV, 0.61 at 2 eV below the conduction
    edge): one mass reproduces κ at one depth only.

    Parameters
    ----------
    depth_eV : float
        Depth φ below the conduction edge (``"electron"``) or above the valence edge (``"hole"``),
        eV, 0 < φ < the PBE gap along c at K.
    carrier : {"electron", "hole"}, optional
        Which band edge φ is measured from.

    Returns
    -------
    float
        Equivalent tunneling mass, units of m_e.

    Raises
    ------
    ValueError
        ``depth_eV`` outside the gap or a bad ``carrier``.

    Examples
    --------
    >>> round(computed_hbn_mass(1.5), 2)
    0.76
    """
    table = computed_hbn_decay(carrier)
    phi = check_real("depth_eV", depth_eV, low=0.0, low_open=True, high=table.max_depth_eV,
                     high_open=True)
    kappa = float(table.decay(phi))
    return (kappa / K_PER_SQRT_EV) ** 2 / phi


def _peak_depth_eV(carrier: str) -> float:
    """Depth of the largest computed κ: beyond it κ(φ) is set by the far band edge, which PBE
    puts 1.5 eV too close (gap 4.5 vs 5.955 eV), so the computed κ is not used there."""
    table = computed_hbn_decay(carrier)
    return float(table.depth_eV[int(np.argmax(table.kappa_per_nm))])


def hbn_barrier(n_layers: int, electrode: str = "graphene", carrier: str = "electron", *,
                counter_electrode: str | None = None, barrier_height_eV: float | None = None,
                effective_mass: float | None = None, electrode_mass: float | None = None,
                fermi_energy_eV: float | None = None, layer_spacing_nm: float | None = None,
                image_force: bool = False, mass_source: str = "auto") -> Barrier:
    """A few-layer h-BN tunnel barrier between two electrodes, from ``materials``.

    Parameters
    ----------
    n_layers : int
        Number of h-BN layers (≥ 1), each ``layer_spacing_nm`` thick (0.333 nm).
    electrode : str
        Left electrode, one of :data:`ELECTRODES` (graphene, MoS2, Ag, Cu, Al).
    carrier : {"electron", "hole"}
        Conduction-band (electron) or valence-band (hole) tunneling.
    counter_electrode : str, optional
        Right electrode (default: the same as ``electrode``).
    barrier_height_eV : float, optional
        Override the left interface barrier height above the Fermi level [weak parameter]; an
        asymmetric stack keeps its contact-potential difference.
    effective_mass : float, optional
        Override the tunneling mass (m_e); takes precedence over ``mass_source``.
    electrode_mass, fermi_energy_eV, layer_spacing_nm : float, optional
        Override the left electrode mass, its Fermi energy (eV) and the layer spacing (nm).
    image_force : bool
        Include image-force lowering (uses h-BN ε⊥).
    mass_source : {"auto", "computed", "britnell"}
        Where the tunneling mass comes from. ``"computed"``: :func:`computed_hbn_mass` at the
        left interface depth φ (above E_F), i.e. the mass that reproduces the PBE complex-band
        κ(φ) of h-BN at K there. ``"britnell"``: the 0.5 m_e fit (``materials`` hBN
        ``tunneling_mass``, weak), the default before the DFT values existed. ``"auto"``
        (default): computed for electrons between graphene electrodes with φ up to the depth
        of the largest κ (graphene's states tunnel at K, where κ is computed; 1.5 eV default),
        Britnell otherwise (metal and MoS2 states tunnel at other in-plane k; deep in the gap
        the PBE gap error dominates).

    Returns
    -------
    Barrier
        With ``.sources`` naming the origin of every value used.

    Raises
    ------
    ValueError
        If an argument is invalid: `n_layers` must be >= 1 and <= 30000; `carrier` must be one of
        ``('electron', 'hole')``; `electrode` and `counter_electrode` must be one of the electrodes
        of the table; `mass_source` must be one of ``MASS_SOURCES``; `barrier_height_eV`,
        `effective_mass` and `electrode_mass` must be > 0 and <= 1000; `layer_spacing_nm` must be >
        0; `fermi_energy_eV` must be >= 0; with the computed mass, the barrier depth
        (`barrier_height_eV`) must lie inside the PBE gap of the computed κ.
    TypeError
        If an argument has the wrong type: `barrier_height_eV`, `effective_mass`,
        `layer_spacing_nm`, `fermi_energy_eV` or `electrode_mass` are not real numbers;
        `n_layers` is not an integer.

    Notes
    -----
    Electron barrier at graphene: Britnell et al. 2012 fit (1.5 eV, weak: an interface
    alignment, which bulk DFT does not give); at other electrodes, Anderson's rule φ = W − χ_hBN.
    Tunneling mass: see ``mass_source`` (computed 0.755 m_e for the default graphene stack,
    whose κ = 5.45/nm is the PBE value, against 4.44/nm from the 0.5 m_e fit). Hole barrier: the Hattori 2018 pinning value for metals,
    otherwise χ + E_g − W. Fermi levels align at zero bias, so an asymmetric stack carries its
    contact potential as a linear slope of the band edge (heights E_F + φ_L → E_F + φ_R).

    Examples
    --------
    >>> b = hbn_barrier(3)
    >>> round(b.thickness_nm, 3), b.sources["barrier_height_eV"][:8], b.sources["effective_mass"][:8]
    (0.999, 'Britnell', 'computed')
    >>> hbn_barrier(3, mass_source="britnell").effective_mass
    0.5
    """
    n = check_int("n_layers", n_layers, low=1, high=MAX_HBN_LAYERS)
    check_choice("carrier", carrier, ("electron", "hole"))
    table = _electrode_table()
    electrode = check_choice("electrode", _database_name(electrode), list(table))
    right = electrode if counter_electrode is None else check_choice(
        "counter_electrode", _database_name(counter_electrode), list(table))
    hbn = materials.get("hBN")
    left_info, right_info = table[electrode], table[right]
    phi_l, src_l = _interface_height(electrode, left_info, carrier, hbn)
    phi_r, _ = _interface_height(right, right_info, carrier, hbn)
    if barrier_height_eV is not None:
        over = check_real("barrier_height_eV", barrier_height_eV, low=0.0, low_open=True, high=MAX_ENERGY_EV)
        phi_l, phi_r, src_l = over, over + (phi_r - phi_l), "user override"
    mass_source = check_choice("mass_source", mass_source, MASS_SOURCES)
    if effective_mass is not None:
        mass = check_real("effective_mass", effective_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS)
        mass_src = "user override"
    elif mass_source == "computed" or (
            mass_source == "auto" and carrier == "electron" and electrode == right == "graphene"
            and 0.0 < phi_l <= _peak_depth_eV(carrier)):
        table = computed_hbn_decay(carrier)
        if not 0.0 < phi_l < table.max_depth_eV:
            raise ValueError(f"mass_source='computed': the barrier depth {phi_l:.4g} eV "
                             f"(barrier_height_eV) must lie inside the PBE gap 0 … "
                             f"{table.max_depth_eV:.4g} eV of the computed κ; use "
                             "mass_source='britnell' or effective_mass=")
        mass = computed_hbn_mass(phi_l, carrier)
        mass_src = (f"computed: m = ħ²κ²/2φ with the PBE κ({phi_l:.4g} eV) = "
                    f"{float(table.decay(phi_l)):.4g}/nm at K; {table.source}")
    else:
        mass, mass_src = hbn.tunneling_mass, hbn.quantity("tunneling_mass").source
    d = hbn.layer_spacing_nm if layer_spacing_nm is None else check_real(
        "layer_spacing_nm", layer_spacing_nm, low=0.0, low_open=True)
    ef = left_info["fermi_energy_eV"] if fermi_energy_eV is None else check_real(
        "fermi_energy_eV", fermi_energy_eV, low=0.0)
    heights = ef + phi_l + (phi_r - phi_l) * np.arange(n + 1) / n
    eps = hbn.permittivity_perpendicular
    layers = [Layer(d, float(heights[i]), mass, eps, float(heights[i + 1]), "hBN")
              for i in range(n)]
    sources = {"barrier_height_eV": src_l,
               "effective_mass": mass_src,
               "layer_spacing_nm": "user override" if layer_spacing_nm is not None
               else hbn.quantity("layer_spacing_nm").source,
               "permittivity": hbn.quantity("permittivity_perpendicular").source}
    sources.update({f"electrode.{k}": v for k, v in left_info["sources"].items()})
    return Barrier(layers=layers,
                   electrode_mass=left_info["effective_mass"] if electrode_mass is None
                   else check_real("electrode_mass", electrode_mass, low=0.0, low_open=True, high=MAX_EFFECTIVE_MASS),
                   right_electrode_mass=right_info["effective_mass"],
                   right_band_bottom_eV=ef - right_info["fermi_energy_eV"],
                   fermi_energy_eV=ef, image_force=image_force,
                   name=f"{electrode}|hBN×{n}|{right} ({carrier})", sources=sources)


def wkb_decay_per_layer(barrier: Barrier, energy_eV: float | None = None) -> float:
    """WKB estimate of ln(J_n / J_{n+1}) per added layer: 2κd at the Fermi energy (flat band).

    κ = √(2m*(V − E))/ħ with V the first layer's band edge and d its thickness; for a layer
    with a decay table (``Layer.decay``), κ = κ(V − E) from that table.

    Parameters
    ----------
    barrier : Barrier
        The stack; its first layer sets κ and d.
    energy_eV : float, optional
        Tunneling energy above the left band bottom, eV (default: the barrier's Fermi energy).

    Returns
    -------
    float
        2κd, dimensionless (natural-log decay per layer).

    Raises
    ------
    TypeError
        ``barrier`` is not a :class:`Barrier`.
    ValueError
        No ``energy_eV`` and no Fermi energy on the barrier.

    Examples
    --------
    >>> round(wkb_decay_per_layer(hbn_barrier(3)), 1)
    3.6
    """
    if not isinstance(barrier, Barrier):
        raise TypeError(f"barrier must be a Barrier, got {barrier!r}")
    lay = barrier.layers[0]
    E = barrier.fermi_energy_eV if energy_eV is None else check_real("energy_eV", energy_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    if E is None:
        raise ValueError("energy_eV must be given (the barrier has no Fermi energy)")
    if lay.decay is not None:
        return 2 * float(lay.decay.decay(lay.height_eV - E)) * lay.thickness_nm
    kappa = K_PER_SQRT_EV * math.sqrt(lay.effective_mass * max(lay.height_eV - E, 0.0))
    return 2 * kappa * lay.thickness_nm
