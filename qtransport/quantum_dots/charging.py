"""Single-electron charging of a quantum dot: orthodox theory and its master equation.

A dot (island) is coupled to a source (lead 1, potential V1) and a drain (lead 2, V2) through
tunnel junctions (R_i, C_i), to a gate (C_g, V_g) and to ground (C_0, e.g. its self-capacitance
4πε0 ε R). With n excess electrons its potential is

    φ(n) = (C1 V1 + C2 V2 + C_g V_g + q0 − n e) / C_Σ,    C_Σ = C1 + C2 + C_g + C_0,

and the free-energy change of an electron tunnelling from lead i onto the dot (n → n + 1) or
from the dot to lead i (n → n − 1) is

    ΔF_in,i(n)  = −e (φ(n) − V_i) + e²/(2C_Σ),
    ΔF_out,i(n) = +e (φ(n) − V_i) + e²/(2C_Σ).

Each event has the orthodox rate Γ(ΔF) = −ΔF / (e² R_i [1 − exp(ΔF/k_BT)]) — written here as
(k_BT/e²R) · x/(eˣ − 1), x = ΔF/k_BT, in logarithmic form so that the ΔF → 0 limit
(k_BT/e²R) and the deep-blockade tails exp(−x) are exact and never overflow. The charge states
form a birth–death chain: its stationary distribution has zero net flux between neighbours,
p(n+1)/p(n) = Γ↑(n)/Γ↓(n+1), evaluated in logs; the time-dependent solution of a piecewise
constant drive is the matrix exponential of the generator, augmented (Van Loan) so that the
charge passed through a junction during a segment is integrated exactly with the occupations.

Units: capacitances F, resistances Ω, voltages V, temperature K, energies eV.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import linalg

from ..constants import e, eps0, k_B, nm
from ..errors import check_array, check_int, check_real
from ..errors import MAX_TEMPERATURE_K

__all__ = ["SingleElectronTransistor", "DotChain", "log_rate_factor", "tunnel_rate",
           "sphere_capacitance", "single_junction_current", "diamond_vertices"]


def sphere_capacitance(radius_nm: float, permittivity: float) -> float:
    """Self-capacitance 4π ε0 ε R of a sphere in a uniform dielectric, F.

    Parameters
    ----------
    radius_nm : float
        Radius R, nm (> 0).
    permittivity : float
        Relative permittivity ε of the medium (> 0).

    Returns
    -------
    float
        C, F.

    Raises
    ------
    ValueError
        If an argument is invalid: `radius_nm` and `permittivity` must be > 0.
    TypeError
        If an argument has the wrong type: `radius_nm` or `permittivity` are not real numbers.

    Examples
    --------
    >>> f"{sphere_capacitance(2.0, 1.0):.4g}"
    '2.225e-19'
    """
    r = check_real("radius_nm", radius_nm, low=0.0, low_open=True)
    return 4 * math.pi * eps0 * check_real("permittivity", permittivity, low=0.0,
                                           low_open=True) * r * nm


def log_rate_factor(x) -> np.ndarray:
    """ln[x/(eˣ − 1)] for real x (→ 0 at x = 0, ≈ ln x − x for large x, ≈ ln|x| for x ≪ 0).

    Parameters
    ----------
    x : float or array_like
        ΔF/k_BT, dimensionless.

    Returns
    -------
    numpy.ndarray
        ln[x/(eˣ − 1)].

    Examples
    --------
    >>> [round(float(v), 6) for v in log_rate_factor([1.0, -1.0])]
    [-0.541325, 0.458675]
    """
    x = np.asarray(x, float)
    out = np.empty_like(x)
    small = np.abs(x) < 1e-8
    pos = (x > 0) & ~small
    neg = (x < 0) & ~small
    out[small] = -0.5 * x[small]
    xp = x[pos]
    out[pos] = np.log(xp) - xp - np.log(-np.expm1(-xp))
    xn = x[neg]
    out[neg] = np.log(-xn) - np.log(-np.expm1(xn))
    return out


def tunnel_rate(delta_F_eV, resistance_ohm: float, temperature_K: float) -> np.ndarray:
    """Orthodox rate Γ = −ΔF/(e²R[1 − exp(ΔF/k_BT)]), 1/s (T = 0: max(−ΔF, 0)/(e²R)).

    Parameters
    ----------
    delta_F_eV : float or array_like
        Free-energy change ΔF of the event, eV.
    resistance_ohm : float
        Tunnel resistance R, Ω (> 0).
    temperature_K : float
        Temperature, K (≥ 0).

    Returns
    -------
    numpy.ndarray
        Γ, 1/s.

    Raises
    ------
    ValueError
        If an argument is invalid: `resistance_ohm` must be > 0; `temperature_K` must be >= 0
        and <= 10000.
    TypeError
        If an argument has the wrong type: `resistance_ohm` or `temperature_K` are not real
        numbers.

    Examples
    --------
    >>> r = tunnel_rate([-0.01, 0.01], 1e6, 4.2)
    >>> bool(r[0] > 1e6 * r[1])
    True
    """
    R = check_real("resistance_ohm", resistance_ohm, low=0.0, low_open=True)
    T = check_real("temperature_K", temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
    dF = np.asarray(delta_F_eV, float)
    if T == 0.0:
        return np.maximum(-dF, 0.0) / (e * R)
    kT = k_B * T / e                                    # eV
    return kT / (e * R) * np.exp(log_rate_factor(dF / kT))


def single_junction_current(voltage_V, capacitance_F: float, resistance_ohm: float,
                            temperature_K: float) -> np.ndarray:
    """Current of one junction biased through a high-impedance environment (local rule), A.

    An electron crossing changes the junction energy by ΔF = ∓eV + e²/2C (forward/backward);
    I = e[Γ(ΔF_f) − Γ(ΔF_b)], which tends to (V − e/2C)/R far above the threshold e/2C.

    Parameters
    ----------
    voltage_V : array_like
        Junction voltage(s), V.
    capacitance_F : float
        Junction capacitance C, F (> 0).
    resistance_ohm : float
        Tunnel resistance R, Ω (> 0).
    temperature_K : float
        Temperature, K (≥ 0).

    Returns
    -------
    numpy.ndarray
        I, A.

    Raises
    ------
    ValueError
        If an argument is invalid: `voltage_V` must be an array of finite numbers;
        `capacitance_F` must be > 0.
    TypeError
        If an argument has the wrong type: `capacitance_F` is not a real number; `voltage_V` is
        not an array of real numbers.

    Examples
    --------
    >>> i = single_junction_current([0.01, 0.2], 1e-18, 1e6, 4.2)
    >>> bool(abs(i[0]) < abs(i[1]))
    True
    """
    V = check_array("voltage_V", voltage_V)
    C = check_real("capacitance_F", capacitance_F, low=0.0, low_open=True)
    ec = e / (2 * C)                                    # e²/2C in eV
    fwd = tunnel_rate(-V + ec, resistance_ohm, temperature_K)
    bwd = tunnel_rate(V + ec, resistance_ohm, temperature_K)
    return e * (fwd - bwd)


@dataclass(frozen=True)
class SingleElectronTransistor:
    """A dot between two tunnel junctions with a gate (see module notes for the conventions).

    Parameters
    ----------
    c1_F, c2_F : float
        Junction capacitances to the source (lead 1) and drain (lead 2), F.
    cg_F : float
        Gate capacitance, F.
    r1_ohm, r2_ohm : float
        Tunnel resistances, Ω (≫ h/e² for orthodox theory to hold).
    c0_F : float
        Capacitance to ground (self-capacitance), F.
    background_charge_e : float
        Offset charge q0 in units of e.

    Raises
    ------
    ValueError
        If an argument is invalid: `c0_F` must be >= 0; `background_charge_e` must be finite;
        `c1_F`, `c2_F`, `cg_F`, `r1_ohm` and `r2_ohm` must be > 0.
    TypeError
        If an argument has the wrong type: `c0_F`, `background_charge_e`, `c1_F`, `c2_F`,
        `cg_F`, `r1_ohm` or `r2_ohm` are not real numbers.

    Examples
    --------
    >>> set_ = SingleElectronTransistor(1e-18, 1e-18, 0.5e-18, 1e6, 1e6)
    >>> round(set_.charging_energy_eV, 4)
    0.032
    """

    c1_F: float
    c2_F: float
    cg_F: float
    r1_ohm: float
    r2_ohm: float
    c0_F: float = 0.0
    background_charge_e: float = 0.0

    def __post_init__(self):
        for k in ("c1_F", "c2_F", "cg_F", "r1_ohm", "r2_ohm"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)
        check_real("c0_F", self.c0_F, low=0.0)
        check_real("background_charge_e", self.background_charge_e)

    @property
    def c_sigma_F(self) -> float:
        """Total capacitance C_Σ, F."""
        return self.c1_F + self.c2_F + self.cg_F + self.c0_F

    @property
    def charging_energy_eV(self) -> float:
        """E_C = e²/(2 C_Σ), eV."""
        return e / (2 * self.c_sigma_F)

    # -- energetics -------------------------------------------------------------------------
    def _phi(self, n, v1, v2, vg):
        q = self.c1_F * v1 + self.c2_F * v2 + self.cg_F * vg + self.background_charge_e * e
        return (q - n * e) / self.c_sigma_F

    def free_energy_changes(self, n, v1=0.0, v2=0.0, vg=0.0) -> dict[str, np.ndarray]:
        """ΔF (eV) of the four events from charge state(s) ``n``: in1, out1, in2, out2.

        Parameters
        ----------
        n : int or array_like
            Charge state(s): excess electrons on the dot.
        v1 : float or array_like, optional
            Source (lead 1) voltage, V.
        v2 : float or array_like, optional
            Drain (lead 2) voltage, V.
        vg : float or array_like, optional
            Gate voltage, V.

        Returns
        -------
        dict of str to numpy.ndarray
            ΔF, eV, for ``"in1"``, ``"out1"``, ``"in2"``, ``"out2"``.

        Examples
        --------
        >>> set_ = SingleElectronTransistor(1e-18, 1e-18, 0.5e-18, 1e6, 1e6)
        >>> sorted(set_.free_energy_changes(0, v1=0.01))
        ['in1', 'in2', 'out1', 'out2']
        """
        n = np.asarray(n, float)
        phi = self._phi(n, v1, v2, vg)
        ec = self.charging_energy_eV
        return {"in1": -(phi - v1) + ec, "out1": (phi - v1) + ec,
                "in2": -(phi - v2) + ec, "out2": (phi - v2) + ec}

    def _log_rates(self, n, v1, v2, vg, T):
        kT = k_B * T / e
        dF = self.free_energy_changes(n, v1, v2, vg)
        pre = {"1": math.log(kT / (e * self.r1_ohm)), "2": math.log(kT / (e * self.r2_ohm))}
        return {k: pre[k[-1]] + log_rate_factor(v / kT) for k, v in dF.items()}

    def rates(self, n, v1=0.0, v2=0.0, vg=0.0, temperature_K: float = 4.2):
        """Rates (1/s) of the four events from charge state(s) ``n``.

        Parameters
        ----------
        n : int or array_like
            Charge state(s): excess electrons on the dot.
        v1 : float or array_like, optional
            Source (lead 1) voltage, V.
        v2 : float or array_like, optional
            Drain (lead 2) voltage, V.
        vg : float or array_like, optional
            Gate voltage, V.
        temperature_K : float, optional
            Temperature, K (> 0).

        Returns
        -------
        dict of str to numpy.ndarray
            Γ, 1/s, for ``"in1"``, ``"out1"``, ``"in2"``, ``"out2"``.

        Raises
        ------
        ValueError
            If an argument is invalid: `temperature_K` must be > 0 and <= 10000.
        TypeError
            If an argument has the wrong type: `temperature_K` is not a real number.
        """
        T = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
        return {k: np.exp(v) for k, v in self._log_rates(n, v1, v2, vg, T).items()}

    def auto_states(self, v1, v2, temperature_K: float) -> int:
        """Ladder size that leaves < e^-70 of the probability outside it: thermal width
        sqrt(70 k_BT/E_C) plus the states opened by the bias |V1 − V2| (one per e/C_Σ).

        Parameters
        ----------
        v1 : float or array_like
            Source voltage(s), V.
        v2 : float or array_like
            Drain voltage(s), V.
        temperature_K : float
            Temperature, K.

        Returns
        -------
        int
            Number of charge states (odd).
        """
        kT = k_B * temperature_K / e
        dv = float(np.max(np.abs(np.asarray(v1, float) - np.asarray(v2, float)), initial=0.0))
        half = math.ceil(math.sqrt(70 * kT / self.charging_energy_eV)) + \
            math.ceil(dv * self.c_sigma_F / e) + 2
        return 2 * half + 1

    def charge_states(self, vg=0.0, v1=0.0, v2=0.0, n_states: int = 21) -> np.ndarray:
        """``n_states`` consecutive charge states centred on the one nearest q_ext/e.

        Parameters
        ----------
        vg : float or array_like, optional
            Gate voltage, V.
        v1 : float or array_like, optional
            Source voltage, V.
        v2 : float or array_like, optional
            Drain voltage, V.
        n_states : int, optional
            Number of states (2–100000).

        Returns
        -------
        numpy.ndarray
            Charge states (float), last axis = states.

        Raises
        ------
        ValueError
            If an argument is invalid: `n_states` must be >= 2 and <= 100000.
        TypeError
            If an argument has the wrong type: `n_states` is not an integer.

        Examples
        --------
        >>> set_ = SingleElectronTransistor(1e-18, 1e-18, 0.5e-18, 1e6, 1e6)
        >>> set_.charge_states(n_states=3).tolist()
        [-1.0, 0.0, 1.0]
        """
        n_states = check_int("n_states", n_states, low=2, high=100_000)
        q = (self.c1_F * np.asarray(v1) + self.c2_F * np.asarray(v2) + self.cg_F * np.asarray(vg)
             ) / e + self.background_charge_e
        n0 = np.rint(q)
        return n0[..., None] + np.arange(n_states) - n_states // 2

    # -- stationary state -------------------------------------------------------------------
    def steady_state(self, v1=0.0, v2=0.0, vg=0.0, temperature_K: float = 4.2,
                     n_states: int | None = None):
        """(charge states, stationary probabilities, current I (A) from lead 1 to lead 2).

        Voltages may be broadcastable arrays; the state axis is the last one. ``n_states``
        defaults to :meth:`auto_states`; the current counts only transitions inside the ladder
        (the truncated chain conserves charge exactly).

        Parameters
        ----------
        v1 : float or array_like, optional
            Source (lead 1) voltage, V.
        v2 : float or array_like, optional
            Drain (lead 2) voltage, V.
        vg : float or array_like, optional
            Gate voltage, V.
        temperature_K : float, optional
            Temperature, K (> 0).
        n_states : int, optional
            Ladder size (default :meth:`auto_states`).

        Returns
        -------
        n : numpy.ndarray
            Charge states.
        p : numpy.ndarray
            Stationary probabilities (last axis = states).
        current : numpy.ndarray
            I from lead 1 to lead 2, A.

        Raises
        ------
        ValueError
            If an argument is invalid: `temperature_K` must be > 0 and <= 10000.
        TypeError
            If an argument has the wrong type: `temperature_K` is not a real number.
        """
        T = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
        v1, v2, vg = np.broadcast_arrays(*(np.asarray(x, float) for x in (v1, v2, vg)))
        if n_states is None:
            n_states = self.auto_states(v1, v2, T)
        n = self.charge_states(vg, v1, v2, n_states)
        lr = self._log_rates(n, v1[..., None], v2[..., None], vg[..., None], T)
        up = np.logaddexp(lr["in1"], lr["in2"])
        down = np.logaddexp(lr["out1"], lr["out2"])
        logp = np.concatenate([np.zeros(n.shape[:-1] + (1,)),
                               np.cumsum(up[..., :-1] - down[..., 1:], axis=-1)], axis=-1)
        logp -= logp.max(axis=-1, keepdims=True)
        p = np.exp(logp)
        p /= p.sum(axis=-1, keepdims=True)
        out1, in1 = np.exp(lr["out1"]), np.exp(lr["in1"])
        out1[..., 0] = 0.0
        in1[..., -1] = 0.0
        net1 = out1 - in1
        current = e * np.sum(p * net1, axis=-1)
        return n, p, current

    def current(self, bias_V, vg=0.0, temperature_K: float = 4.2, n_states: int | None = None,
                symmetric: bool = False) -> np.ndarray:
        """Stationary current (A) at source–drain bias V (V1 = V, V2 = 0; or ±V/2).

        Parameters
        ----------
        bias_V : float or array_like
            Source–drain bias V, V.
        vg : float or array_like, optional
            Gate voltage, V.
        temperature_K : float, optional
            Temperature, K (> 0).
        n_states : int, optional
            Ladder size (default :meth:`auto_states`).
        symmetric : bool, optional
            Apply ±V/2 to the leads instead of V and 0.

        Returns
        -------
        numpy.ndarray
            I, A.

        Examples
        --------
        >>> set_ = SingleElectronTransistor(1e-18, 1e-18, 0.5e-18, 1e6, 1e6)
        >>> i = set_.current([0.01, 0.2], temperature_K=4.2)
        >>> bool(abs(i[0]) < 1e-3 * abs(i[1]))      # Coulomb blockade at small bias
        True
        """
        bias = np.asarray(bias_V, float)
        v1, v2 = (bias / 2, -bias / 2) if symmetric else (bias, np.zeros_like(bias))
        return self.steady_state(v1, v2, vg, temperature_K, n_states)[2]

    # -- time dependence --------------------------------------------------------------------
    def generator(self, n, v1=0.0, v2=0.0, vg=0.0, temperature_K: float = 4.2):
        """Master-equation generator W (dp/dt = W p, columns sum to zero) on states ``n``,
        and the junction-1 current vector j (A per unit probability).

        Parameters
        ----------
        n : array_like
            Consecutive charge states.
        v1 : float or array_like, optional
            Source (lead 1) voltage, V.
        v2 : float or array_like, optional
            Drain (lead 2) voltage, V.
        vg : float or array_like, optional
            Gate voltage, V.
        temperature_K : float, optional
            Temperature, K (> 0).

        Returns
        -------
        W : numpy.ndarray
            Generator, 1/s, shape (n_states, n_states).
        j : numpy.ndarray
            Junction-1 current per unit probability, A.
        """
        r = self.rates(np.asarray(n, float), v1, v2, vg, temperature_K)
        up, down = r["in1"] + r["in2"], r["out1"] + r["out2"]
        up[-1] = 0.0                    # no transitions out of the truncated ladder
        down[0] = 0.0
        W = np.diag(up[:-1], -1) + np.diag(down[1:], 1) - np.diag(up + down)
        # the junction current counts only transitions that stay inside the ladder
        j = e * (np.where(np.arange(len(n)) > 0, r["out1"], 0.0)
                 - np.where(np.arange(len(n)) < len(n) - 1, r["in1"], 0.0))
        return W, j

    def evolve(self, p0, n, segments, temperature_K: float = 4.2):
        """Exact evolution through piecewise-constant segments.

        Parameters
        ----------
        p0 : array_like
            Initial probabilities on the states ``n``.
        n : array_like
            Charge states (consecutive integers).
        segments : sequence of (duration_s, V1, V2, Vg)
            The drive, segment by segment.

        temperature_K : float, optional
            Temperature, K (> 0).

        Returns
        -------
        p : ndarray
            Shape (n_segments + 1, n_states): probabilities at the segment boundaries.
        q : ndarray
            Shape (n_segments,): charge (C) passed from lead 1 into the circuit during each
            segment, the exact time integral of the junction-1 current.

        Raises
        ------
        ValueError
            ``p0`` and ``n`` differ in shape, or a negative duration.
        """
        n = np.asarray(n, float)
        p = check_array("p0", p0, low=0.0)
        if p.shape != n.shape:
            raise ValueError(f"p0 must have the shape of n {n.shape}, got {p.shape}")
        ps, qs = [p.copy()], []
        k = n.size
        for i, seg in enumerate(segments):
            dt, v1, v2, vg = seg
            dt = check_real(f"segments[{i}].duration_s", dt, low=0.0)
            W, j = self.generator(n, v1, v2, vg, temperature_K)
            M = np.zeros((k + 1, k + 1))
            M[:k, :k] = W
            M[k, :k] = j
            E = linalg.expm(M * dt)
            new = E[:k, :k] @ p
            qs.append(float(E[k, :k] @ p))
            p = np.clip(new, 0.0, None)
            ps.append(p.copy())
        return np.array(ps), np.array(qs)


def diamond_vertices(device: SingleElectronTransistor) -> dict[str, float]:
    """Analytic Coulomb-diamond geometry at T = 0: gate period e/C_g and half-height e/C_Σ
    (largest bias in blockade), with the bias applied to lead 1 (lead 2 grounded).

    Parameters
    ----------
    device : SingleElectronTransistor
        The transistor.

    Returns
    -------
    dict of str to float
        ``gate_period_V`` (V), ``half_height_V`` (V), ``charging_energy_eV`` (eV).

    Examples
    --------
    >>> v = diamond_vertices(SingleElectronTransistor(1e-18, 1e-18, 0.5e-18, 1e6, 1e6))
    >>> sorted(v)[:2]
    ['charging_energy_eV', 'gate_period_V']
    """
    return {"gate_period_V": e / device.cg_F, "half_height_V": e / device.c_sigma_F,
            "charging_energy_eV": device.charging_energy_eV}


@dataclass(frozen=True)
class DotChain:
    """A chain of N dots between two leads: lead L – dot 1 – … – dot N – lead R.

    Parameters
    ----------
    junction_capacitances_F, junction_resistances_ohm : sequence of float, length N + 1
        Tunnel junctions from the left lead to the right lead, F and Ω (> 0).
    gate_capacitances_F : sequence of float, length N
        Capacitance of each dot to its own gate, F (≥ 0).
    ground_capacitances_F : sequence of float, length N, optional
        Capacitance of each dot to ground (self-capacitance), F (≥ 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `junction_capacitances_F` and `junction_resistances_ohm`
        must be arrays of finite numbers > 0; junction_capacitances_F needs N + 1 >= 2 entries;
        `gate_capacitances_F` and `ground_capacitances_F` must be arrays of finite numbers >=
        0; `junction_resistances_ohm` must have N + 1 entries, `gate_capacitances_F` and
        `ground_capacitances_F` N entries for N dots.
    TypeError
        If an argument has the wrong type: `junction_capacitances_F`,
        `junction_resistances_ohm`, `gate_capacitances_F` or `ground_capacitances_F` are not
        arrays of real numbers.

    Notes
    -----
    With the capacitance matrix C (C_ii = sum of dot i's capacitances, C_{i,i±1} = −junction
    between them) the dot potentials are φ = C⁻¹(q_ext − e n). Moving one electron from node a
    to node b (a dot or a lead at fixed potential) changes the free energy by
    ΔF = −e(φ_b − φ_a) + (e²/2)(C⁻¹_aa + C⁻¹_bb − 2C⁻¹_ab), the inverse-matrix entries of a lead
    being zero; N = 1 is :class:`SingleElectronTransistor`. The rates are the orthodox ones; the
    stationary state solves W p = 0 on a box of charge states around the classical charges.

    Examples
    --------
    With one dot the chain is the single-electron transistor; with two, the current is the
    same through every junction and Coulomb blockade suppresses it at low bias (A):

    >>> import numpy as np
    >>> one = DotChain([1e-18, 1e-18], [1e6, 1e6], [0.5e-18])
    >>> set_ = SingleElectronTransistor(1e-18, 1e-18, 0.5e-18, 1e6, 1e6)
    >>> _, _, cur = one.steady_state(v_left=0.2, temperature_K=4.2)
    >>> bool(np.allclose(cur, set_.current(0.2, temperature_K=4.2), rtol=1e-6))
    True
    >>> two = DotChain([1e-18] * 3, [1e6] * 3, [0.5e-18] * 2)
    >>> two.n_dots, two.capacitance_matrix().shape
    (2, (2, 2))
    >>> states, p, cur = two.steady_state(v_left=0.3, temperature_K=4.2)
    >>> states.shape, bool(np.allclose(cur, cur[0], rtol=1e-9) and cur[0] > 1e-9)
    ((49, 2), True)
    >>> bool(np.all(np.abs(two.steady_state(v_left=0.02, temperature_K=4.2)[2]) < 1e-20))
    True
    """

    junction_capacitances_F: tuple
    junction_resistances_ohm: tuple
    gate_capacitances_F: tuple
    ground_capacitances_F: tuple | None = None

    def __post_init__(self):
        cj = check_array("junction_capacitances_F", self.junction_capacitances_F, low=0.0,
                         low_open=True)
        n = cj.size - 1
        if n < 1:
            raise ValueError(f"junction_capacitances_F needs N + 1 >= 2 entries, got {cj.size}")
        rj = check_array("junction_resistances_ohm", self.junction_resistances_ohm, low=0.0,
                         low_open=True)
        cg = check_array("gate_capacitances_F", self.gate_capacitances_F, low=0.0)
        c0 = np.zeros(n) if self.ground_capacitances_F is None else check_array(
            "ground_capacitances_F", self.ground_capacitances_F, low=0.0)
        for name, arr, size in (("junction_resistances_ohm", rj, n + 1),
                                ("gate_capacitances_F", cg, n), ("ground_capacitances_F", c0, n)):
            if arr.size != size:
                raise ValueError(f"{name} must have {size} entries for {n} dots, got {arr.size}")
        object.__setattr__(self, "_cj", cj)
        object.__setattr__(self, "_rj", rj)
        object.__setattr__(self, "_cg", cg)
        object.__setattr__(self, "_c0", c0)

    @property
    def n_dots(self) -> int:
        """Number of dots N."""
        return self._cj.size - 1

    def capacitance_matrix(self) -> np.ndarray:
        """The N × N capacitance matrix, F.

        Returns
        -------
        numpy.ndarray
            C, F, shape (N, N).
        """
        cj = self._cj
        C = np.diag(cj[:-1] + cj[1:] + self._cg + self._c0)
        off = -cj[1:-1]
        return C + np.diag(off, 1) + np.diag(off, -1)

    def _external_charge(self, v_left, v_right, gates) -> np.ndarray:
        q = self._cg * np.asarray(gates, float)
        q[0] += self._cj[0] * v_left
        q[-1] += self._cj[-1] * v_right
        return q

    def states(self, v_left, v_right, gates, half_width: int = 3) -> np.ndarray:
        """Charge states (rows) in a box of ±half_width around the classical charges.

        Parameters
        ----------
        v_left : float
            Left lead voltage, V.
        v_right : float
            Right lead voltage, V.
        gates : array_like
            Gate voltage of every dot, V.
        half_width : int, optional
            Charge states ± this around the classical charges (1–20; at most 20000 states).

        Returns
        -------
        numpy.ndarray
            Charge states (rows), shape (n_states, N).

        Raises
        ------
        ValueError
            More than 20000 states.
        """
        half_width = check_int("half_width", half_width, low=1, high=20)
        n = self.n_dots
        if (2 * half_width + 1) ** n > 20_000:
            raise ValueError(f"half_width = {half_width} gives {(2 * half_width + 1) ** n} "
                             f"states for {n} dots (limit 20000)")
        q = self._external_charge(v_left, v_right, gates)
        centre = np.rint(q / e)             # minimizes (q − ne)ᵀ C⁻¹ (q − ne) to rounding
        grids = np.meshgrid(*[np.arange(-half_width, half_width + 1)] * n, indexing="ij")
        return centre + np.stack([g.ravel() for g in grids], axis=1)

    def _events(self, nvec, v_left, v_right, gates, T):
        """Yield (junction, direction, log rate array, Δn) of every tunnel event."""
        Cinv = np.linalg.inv(self.capacitance_matrix())
        q = self._external_charge(v_left, v_right, gates)
        phi = (q[None, :] - e * nvec) @ Cinv.T               # (n_states, N)
        kT = k_B * T / e
        N = self.n_dots
        for j in range(N + 1):       # junction j links node j-1 (left) and node j (right)
            left, right = j - 1, j
            phi_l = v_left * np.ones(len(nvec)) if left < 0 else phi[:, left]
            phi_r = v_right * np.ones(len(nvec)) if right >= N else phi[:, right]
            cll = 0.0 if left < 0 else Cinv[left, left]
            crr = 0.0 if right >= N else Cinv[right, right]
            clr = 0.0 if left < 0 or right >= N else Cinv[left, right]
            self_e = 0.5 * e * (cll + crr - 2 * clr)            # eV
            pre = math.log(kT / (e * self._rj[j]))
            for direction, (pa, pb) in ((+1, (phi_l, phi_r)), (-1, (phi_r, phi_l))):
                dF = -(pb - pa) + self_e                     # electron from a to b
                dn = np.zeros(N)
                if direction > 0:                            # left → right
                    if left >= 0:
                        dn[left] -= 1
                    if right < N:
                        dn[right] += 1
                else:
                    if right < N:
                        dn[right] -= 1
                    if left >= 0:
                        dn[left] += 1
                yield j, direction, pre + log_rate_factor(dF / kT), dn

    def steady_state(self, v_left=0.0, v_right=0.0, gates=None, temperature_K: float = 4.2,
                     half_width: int = 3):
        """(states, probabilities, junction currents) — currents (A), left to right, one per
        junction (equal in the stationary state).

        Parameters
        ----------
        v_left : float, optional
            Left lead voltage, V.
        v_right : float, optional
            Right lead voltage, V.
        gates : array_like, optional
            Gate voltage of every dot, V (default 0).
        half_width : int, optional
            Charge states ± this around the classical charges (1–20; at most 20000 states).
        temperature_K : float, optional
            Temperature, K (> 0).

        Returns
        -------
        states : numpy.ndarray
            Charge states (rows).
        p : numpy.ndarray
            Stationary probabilities.
        currents : numpy.ndarray
            Current through every junction, A (N + 1 values).

        Raises
        ------
        ValueError
            If an argument is invalid: `temperature_K` must be > 0 and <= 10000; `gates` must be an
            array of finite numbers with one entry per dot.
        TypeError
            If an argument has the wrong type: `temperature_K` is not a real number; `gates` is not
            an array of real numbers.
        """
        T = check_real("temperature_K", temperature_K, low=0.0, low_open=True, high=MAX_TEMPERATURE_K)
        gates = np.zeros(self.n_dots) if gates is None else check_array("gates", gates)
        if gates.size != self.n_dots:
            raise ValueError(f"gates must have {self.n_dots} entries, got {gates.size}")
        nvec = self.states(v_left, v_right, gates, half_width)
        index = {tuple(row): i for i, row in enumerate(nvec.astype(int))}
        m = len(nvec)
        W = np.zeros((m, m))
        flows = []
        for j, direction, lr, dn in self._events(nvec, v_left, v_right, gates, T):
            rate = np.exp(lr)
            target = [index.get(tuple((row + dn).astype(int)), -1) for row in nvec]
            flow = np.zeros(m)
            for i, t in enumerate(target):
                if t >= 0:
                    W[t, i] += rate[i]
                    W[i, i] -= rate[i]
                    flow[i] = rate[i]
            flows.append((j, direction, flow))
        A = W.copy()
        A[-1, :] = 1.0
        b = np.zeros(m)
        b[-1] = 1.0
        p = np.clip(np.linalg.solve(A, b), 0.0, None)
        p /= p.sum()
        current = np.zeros(self.n_dots + 1)
        for j, direction, flow in flows:    # electrons left→right = conventional right→left
            current[j] -= direction * e * float(flow @ p)
        return nvec, p, current
