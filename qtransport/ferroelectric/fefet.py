"""FeFET gate stack: gate | ferroelectric (t_FE, ε_FE, P) | oxide-semiconductor (InGaZnO) channel.

Charge balance (x from gate to channel; P > 0 points at the channel). With no free charge inside
the ferroelectric, D = ε0 ε_FE E_FE + P is uniform and equals the gate charge −Q_ch; the gate
voltage divides between the ferroelectric and the channel surface potential ψ:

    V_G − V_FB = ψ + t_FE E_FE = ψ − [Q_ch(ψ) + P] / C_FE,       C_FE = ε0 ε_FE / t_FE.

The channel is an accumulation sheet with a 2-D density of states (one valley, spin-degenerate)
D2 = m* m_e/(π ħ²) at the Fermi level of the grounded source/drain, ψ = E_F − E_c at the surface:

    Q_ch = −e n_s,   n_s(ψ) = D2 k_BT ln[1 + exp(eψ/k_BT)].

The equation is solved self-consistently for ψ (monotone: exact bracketing + bisection to machine
precision). Read current: the charge-based linear-regime TFT model I_D = μ (W/L) e n_s V_DS
(+ the off-state floor I_off). The polarization enters as a rigid shift of V_G by −P/C_FE, so
two states ±P differ in threshold by exactly ΔV_th = 2P/C_FE = 2 P t_FE/(ε0 ε_FE) as long as
P is unchanged during the read (the linear limit).

Writing: during a program pulse the channel is tied to the grounded source/drain, so the
ferroelectric sees E = (V_G − V_FB)/t_FE (ideal-electrode approximation of FeFET compact models).
Energy of one pulse: the gate charge moved, C_FE A V² + |ΔP| A |V|.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .. import materials
from ..constants import e, eps0, k_B, nm, sheet_dos_per_J_m2
from ..errors import check_array, check_real

__all__ = ["FeFETStack", "hzo_igzo_stack", "transfer_sweep"]


@dataclass(frozen=True)
class FeFETStack:
    """A ferroelectric-gate thin-film transistor (SI units; names carry the unit).

    Parameters
    ----------
    fe_thickness_nm : float
        Ferroelectric thickness t_FE, nm (> 0).
    fe_permittivity : float
        Background relative permittivity ε_FE (> 0).
    flatband_V : float
        Flat-band voltage V_FB, V (gate work function − channel electron affinity).
    channel_mass : float
        Channel electron mass, m_e (> 0).
    mobility_m2_per_Vs : float
        Channel mobility μ, m²/(V s) (> 0).
    width_um, length_um : float
        Channel width and length, µm (> 0).
    drain_V : float
        Read drain bias V_DS, V (> 0, small: linear regime).
    off_current_A : float
        Off-state current floor (leakage), A (≥ 0).
    temperature_K : float
        Temperature, K (> 0).
    sources : dict, optional
        Provenance (source of every value).

    Raises
    ------
    ValueError
        If an argument is invalid: `flatband_V` must be finite; `off_current_A` must be >= 0;
        `fe_thickness_nm`, `fe_permittivity`, `channel_mass`, `mobility_m2_per_Vs`, `width_um`,
        `length_um`, `drain_V` and `temperature_K` must be > 0.
    TypeError
        If an argument has the wrong type: `flatband_V`, `off_current_A`, `fe_thickness_nm`,
        `fe_permittivity`, `channel_mass`, `mobility_m2_per_Vs`, `width_um`, `length_um`,
        `drain_V` or `temperature_K` are not real numbers.

    Examples
    --------
    >>> stack = hzo_igzo_stack()
    >>> stack.fe_thickness_nm, round(stack.fe_permittivity, 1)
    (10.0, 30.0)
    """

    fe_thickness_nm: float
    fe_permittivity: float
    flatband_V: float
    channel_mass: float
    mobility_m2_per_Vs: float
    width_um: float = 1.0
    length_um: float = 1.0
    drain_V: float = 0.1
    off_current_A: float = 1e-12
    temperature_K: float = 300.0
    sources: dict = field(default_factory=dict)

    def __post_init__(self):
        for k in ("fe_thickness_nm", "fe_permittivity", "channel_mass", "mobility_m2_per_Vs",
                  "width_um", "length_um", "drain_V", "temperature_K"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)
        check_real("flatband_V", self.flatband_V)
        check_real("off_current_A", self.off_current_A, low=0.0)

    def with_(self, **changes) -> "FeFETStack":
        """Return a copy with some fields changed.

        Parameters
        ----------
        **changes
            Field names and new values (validated as on construction).

        Returns
        -------
        FeFETStack
            The copy.

        Examples
        --------
        >>> hzo_igzo_stack().with_(drain_V=0.5).drain_V
        0.5
        """
        return replace(self, **changes)

    @property
    def capacitance_F_per_m2(self) -> float:
        """C_FE = ε0 ε_FE / t_FE."""
        return eps0 * self.fe_permittivity / (self.fe_thickness_nm * nm)

    @property
    def area_m2(self) -> float:
        """Channel area W·L, m²."""
        return self.width_um * self.length_um * 1e-12

    @property
    def dos_per_m2_J(self) -> float:
        """2-D density of states D2 = m* m_e/(π ħ²), 1/(J m²)."""
        return sheet_dos_per_J_m2(self.channel_mass)

    def sheet_density(self, psi_V) -> np.ndarray:
        """n_s(ψ) in 1/m².

        Parameters
        ----------
        psi_V : float or array_like
            Surface potential ψ = E_F − E_c, V.

        Returns
        -------
        numpy.ndarray
            n_s, 1/m².

        Examples
        --------
        >>> n = hzo_igzo_stack().sheet_density([0.0, 0.5])
        >>> bool(n[1] > n[0] > 0)
        True
        """
        kT = k_B * self.temperature_K
        return self.dos_per_m2_J * kT * np.logaddexp(0.0, e * np.asarray(psi_V, float) / kT)

    def surface_potential(self, gate_V, polarization_C_per_m2) -> np.ndarray:
        """Self-consistent ψ (V) of the charge balance, broadcast over V_G and P.

        Parameters
        ----------
        gate_V : float or array_like
            Gate voltage V_G, V.
        polarization_C_per_m2 : float or array_like
            Ferroelectric polarization P, C/m² (> 0 points at the channel); broadcast with ``gate_V``.

        Returns
        -------
        numpy.ndarray
            ψ, V.

        Raises
        ------
        ValueError
            If an argument is invalid: `gate_V` and `polarization_C_per_m2` must be arrays of
            finite numbers.
        TypeError
            If an argument has the wrong type: `gate_V` or `polarization_C_per_m2` are not arrays
            of real numbers.

        Examples
        --------
        >>> psi = hzo_igzo_stack().surface_potential([0.0, 2.0], 0.0)
        >>> bool(psi[1] > psi[0])
        True
        """
        vg = check_array("gate_V", gate_V)
        P = check_array("polarization_C_per_m2", polarization_C_per_m2)
        vg, P = np.broadcast_arrays(vg, P)
        c = self.capacitance_F_per_m2
        psi0 = vg - self.flatband_V + P / c
        # f(ψ) = ψ − ψ0 + e n_s(ψ)/C is increasing; f(ψ0) ≥ 0 and, as n_s(ψ*) ≤ n_s(ψ0),
        # the root is ≥ ψ0 − e n_s(ψ0)/C: an exact bracket
        hi = psi0.copy()
        lo = psi0 - e * self.sheet_density(psi0) / c - 1e-9
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            pos = mid - psi0 + e * self.sheet_density(mid) / c > 0
            hi = np.where(pos, mid, hi)
            lo = np.where(pos, lo, mid)
            if np.all(hi - lo <= 4 * np.finfo(float).eps * np.maximum(1.0, np.abs(mid))):
                break
        return 0.5 * (lo + hi)

    def drain_current(self, gate_V, polarization_C_per_m2) -> np.ndarray:
        """I_D (A) at V_DS = ``drain_V`` (linear regime), broadcast over V_G and P.

        Parameters
        ----------
        gate_V : float or array_like
            Gate voltage V_G, V.
        polarization_C_per_m2 : float or array_like
            Ferroelectric polarization P, C/m² (> 0 points at the channel); broadcast with ``gate_V``.

        Returns
        -------
        numpy.ndarray
            I_D, A.

        Examples
        --------
        >>> s = hzo_igzo_stack()
        >>> i_up, i_down = s.drain_current(1.0, 0.1), s.drain_current(1.0, -0.1)
        >>> bool(i_up > i_down)
        True
        """
        psi = self.surface_potential(gate_V, polarization_C_per_m2)
        return (self.mobility_m2_per_Vs * self.width_um / self.length_um * e *
                self.sheet_density(psi) * self.drain_V + self.off_current_A)

    def conductance(self, gate_V, polarization_C_per_m2) -> np.ndarray:
        """Channel conductance I_D/V_DS (S).

        Parameters
        ----------
        gate_V : float or array_like
            Gate voltage V_G, V.
        polarization_C_per_m2 : float or array_like
            Ferroelectric polarization P, C/m² (> 0 points at the channel); broadcast with ``gate_V``.

        Returns
        -------
        numpy.ndarray
            Conductance, S.

        Examples
        --------
        >>> g = hzo_igzo_stack().conductance([0.0, 2.0], 0.0)
        >>> bool(g[1] > g[0])
        True
        """
        return self.drain_current(gate_V, polarization_C_per_m2) / self.drain_V

    def threshold_current_A(self) -> float:
        """Constant-current criterion: I_D when the band edge is at the Fermi level (ψ = 0).

        Returns
        -------
        float
            I_D at ψ = 0, A.

        Examples
        --------
        >>> f'{hzo_igzo_stack().threshold_current_A():.2e}'
        '4.08e-07'
        """
        return float(self.mobility_m2_per_Vs * self.width_um / self.length_um * e *
                     self.sheet_density(0.0) * self.drain_V + self.off_current_A)

    def threshold_voltage(self, polarization_C_per_m2) -> np.ndarray:
        """Analytic V_th at ψ = 0: V_FB + (e n_s(0) − P)/C_FE.

        Parameters
        ----------
        polarization_C_per_m2 : float or array_like
            Polarization P, C/m².

        Returns
        -------
        numpy.ndarray
            V_th, V.

        Raises
        ------
        ValueError
            If an argument is invalid: `polarization_C_per_m2` must be an array of finite numbers.
        TypeError
            If an argument has the wrong type: `polarization_C_per_m2` is not an array of real
            numbers.

        Examples
        --------
        >>> s = hzo_igzo_stack()
        >>> v = s.threshold_voltage([-0.1, 0.1])
        >>> round(float(v[0] - v[1]), 4) == round(0.2 / s.capacitance_F_per_m2, 4)
        True
        """
        P = check_array("polarization_C_per_m2", polarization_C_per_m2)
        return self.flatband_V + (e * self.sheet_density(0.0) - P) / self.capacitance_F_per_m2


def transfer_sweep(stack: FeFETStack, film, max_gate_V: float, n_steps: int = 200,
                   dwell_s: float = 1e-4) -> dict:
    """Quasi-static double sweep of V_G with the ferroelectric switching (NLS film).

    V_G steps 0 → +V_max → −V_max → +V_max (``n_steps`` per quarter, ``dwell_s`` each). At each
    step the film is pulsed with E = (V_G − V_FB)/t_FE (write approximation of the module notes)
    and I_D is read with the resulting P. Returns the last closed cycle: ``gate_V``,
    ``polarization_C_per_m2`` (n, n_devices) and ``drain_current_A`` (n, n_devices).

    Parameters
    ----------
    stack : FeFETStack
        The transistor.
    film : NLSFilm
        The ferroelectric film (its state advances).
    max_gate_V : float
        Sweep amplitude V_max, V (> 0).
    n_steps : int, optional
        Steps per quarter sweep.
    dwell_s : float, optional
        Pulse width of each step, s.

    Returns
    -------
    dict of str to numpy.ndarray
        ``gate_V`` (V), ``polarization_C_per_m2`` (C/m²) and ``drain_current_A`` (A).

    Raises
    ------
    ValueError
        If an argument is invalid: `max_gate_V` must be > 0.
    TypeError
        If an argument has the wrong type: `max_gate_V` is not a real number.
    """
    vmax = check_real("max_gate_V", max_gate_V, low=0.0, low_open=True)
    quarter = np.linspace(0.0, vmax, int(n_steps) + 1)
    cycle = np.concatenate([quarter[::-1][1:], -quarter[1:], -quarter[::-1][1:], quarter[1:]])
    t = stack.fe_thickness_nm * nm
    for v in quarter:
        film.apply(float(v - stack.flatband_V) / t, dwell_s)
    P = np.array([film.apply(float(v - stack.flatband_V) / t, dwell_s) for v in cycle])
    return {"gate_V": cycle, "polarization_C_per_m2": P,
            "drain_current_A": stack.drain_current(cycle[:, None], P)}


def hzo_igzo_stack(fe_thickness_nm: float = 10.0, **overrides) -> FeFETStack:
    """TiN | HZO | a-IGZO FeFET with values from ``materials.toml`` (overrides by field).

    Parameters
    ----------
    fe_thickness_nm : float, optional
        HZO thickness, nm (> 0).
    **overrides
        Field values of :class:`FeFETStack` (recorded as ``"user override"`` in ``sources``).

    Returns
    -------
    FeFETStack
        The stack.

    Examples
    --------
    >>> hzo_igzo_stack(fe_thickness_nm=8.0).fe_thickness_nm
    8.0
    """
    hzo, igzo, tin = materials.get("HZO"), materials.get("a-IGZO"), materials.get("TiN")
    sources = {"fe_permittivity": hzo.quantity("permittivity").source,
               "flatband_V": "W(TiN) - chi(a-IGZO): " + tin.quantity("work_function_eV").source
                             + "; " + igzo.quantity("electron_affinity_eV").source,
               "channel_mass": igzo.quantity("effective_mass").source,
               "mobility_m2_per_Vs": igzo.quantity("electron_mobility_m2_per_Vs").source}
    kw = dict(fe_thickness_nm=fe_thickness_nm, fe_permittivity=hzo.permittivity,
              flatband_V=tin.work_function_eV - igzo.electron_affinity_eV,
              channel_mass=igzo.effective_mass,
              mobility_m2_per_Vs=igzo.electron_mobility_m2_per_Vs, sources=sources)
    for k in overrides:
        sources[k] = "user override"
    kw.update(overrides)
    return FeFETStack(**kw)
