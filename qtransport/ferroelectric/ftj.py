"""Ferroelectric tunnel junction: polarization-dependent barrier from Thomas–Fermi screening.

Electrode 1 | ferroelectric (thickness d, permittivity ε_FE, polarization P along +x, from 1 to 2)
| electrode 2. The polarization bound charges ∓P at the two interfaces are screened in the
electrodes over Thomas–Fermi lengths δ1, δ2 (background permittivities ε1, ε2). Zero total
voltage drop across the short-circuited junction fixes the screening charge (Zhuravlev et al.,
PRL 94, 246802 (2005)):

    σ_s = P d / [ε_FE (δ1/ε1 + δ2/ε2) + d],

and the electrostatic potential at the two interfaces,

    φ1 = σ_s δ1/(ε0 ε1),   φ2 = −σ_s δ2/(ε0 ε2),

decaying as exp(−|x|/δ) into the electrodes and linear across the barrier (the depolarizing
field). An electron sees U(x) = U_b(x) − eφ(x): the band edge of the barrier is raised/lowered by
−eφ1 at interface 1 and −eφ2 at interface 2. For δ1/ε1 ≠ δ2/ε2 the mean barrier changes with the
sign of P: tunneling electroresistance (TER).

The barrier (band edge linear between the two interface values, plus the contact-potential slope
of unequal electrodes) is a :class:`qtransport.tight_binding.tunneling.Barrier`, so its
transmission and Tsu–Esaki current come from the project's exact transfer-matrix machinery (Airy
segments: exact for the linear profile at any bias).
Transport simplification (as in Pantel & Alexe, PRB 82, 134105 (2010)): the screening tails
inside the electrodes shift the electrodes' band bottoms by |eφ| ≪ E_F and are left out of
the transport profile (they are returned by :func:`potential_profile`).

A partially switched junction conducts through parallel up and down areas (Boyn et al., Nat.
Commun. 8, 14736 (2017)): G = q G(+P_r) + (1 − q) G(−P_r), q the up-fraction.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .. import materials
from ..constants import eps0, nm
from ..errors import check_array, check_real
from ..errors import MAX_LENGTH_NM, MAX_TEMPERATURE_K
from ..tight_binding.tunneling import Barrier, Layer, require_current

__all__ = ["Electrode", "FTJ", "screening_charge", "interface_potentials", "hzo_ftj",
           "electrode_from_materials"]


@dataclass(frozen=True)
class Electrode:
    """One FTJ electrode.

    Parameters
    ----------
    name : str
        Material label.
    fermi_energy_eV : float
        Fermi energy above the band bottom, eV (> 0).
    screening_length_nm : float
        Thomas–Fermi screening length δ, nm (> 0).
    permittivity : float
        Background relative permittivity ε of the electrode (> 0).
    barrier_height_eV : float
        Conduction-band offset of the ferroelectric above this electrode's Fermi level, eV (> 0).
    effective_mass : float
        Electron mass in the electrode, m_e (> 0).

    Raises
    ------
    ValueError
        If an argument is invalid: `fermi_energy_eV`, `screening_length_nm`, `permittivity`,
        `barrier_height_eV` and `effective_mass` must be > 0.
    TypeError
        If an argument has the wrong type: `fermi_energy_eV`, `screening_length_nm`,
        `permittivity`, `barrier_height_eV` or `effective_mass` are not real numbers.

    Examples
    --------
    >>> e = hzo_ftj().left
    >>> e.name, round(e.screening_length_nm, 3)
    ('TiN', 0.06)
    """

    name: str
    fermi_energy_eV: float
    screening_length_nm: float
    permittivity: float
    barrier_height_eV: float
    effective_mass: float = 1.0

    def __post_init__(self):
        for k in ("fermi_energy_eV", "screening_length_nm", "permittivity", "barrier_height_eV",
                  "effective_mass"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)


def electrode_from_materials(name: str, barrier_affinity_eV: float) -> tuple[Electrode, dict]:
    """An :class:`Electrode` from ``materials.toml`` and the barrier's electron affinity (eV).

    Metals: barrier = W − χ_FE; semiconductors: χ_el − χ_FE − E_F (Anderson rule).
    Returns the electrode and the sources of its values.

    Parameters
    ----------
    name : str
        Material with ``fermi_energy_eV``, ``screening_length_nm``, ``electrode_permittivity`` and a
        work function or electron affinity.
    barrier_affinity_eV : float
        Electron affinity χ_FE of the ferroelectric, eV.

    Returns
    -------
    electrode : Electrode
        The electrode.
    sources : dict of str to str
        Source of every value.

    Raises
    ------
    ValueError
        The material lacks a needed entry.

    Examples
    --------
    >>> e, sources = electrode_from_materials('TiN', 2.0)
    >>> e.name, sorted(sources)[:2]
    ('TiN', ['TiN.barrier_height_eV', 'TiN.fermi_energy_eV'])
    """
    m = materials.get(name)
    for key in ("fermi_energy_eV", "screening_length_nm", "electrode_permittivity"):
        if m.get(key) is None:
            raise ValueError(f"material {name!r} lacks {key} (needed for an FTJ electrode)")
    if m.get("work_function_eV") is not None:
        phi = m.work_function_eV - barrier_affinity_eV
        src = f"Anderson rule W - chi_FE; W: {m.quantity('work_function_eV').source}"
    else:
        phi = m.electron_affinity_eV - barrier_affinity_eV - m.fermi_energy_eV
        src = f"Anderson rule chi - chi_FE - E_F; chi: {m.quantity('electron_affinity_eV').source}"
    el = Electrode(name, m.fermi_energy_eV, m.screening_length_nm, m.electrode_permittivity,
                   phi, m.get("effective_mass", 1.0))
    sources = {f"{name}.barrier_height_eV": src,
               f"{name}.screening_length_nm": m.quantity("screening_length_nm").source,
               f"{name}.fermi_energy_eV": m.quantity("fermi_energy_eV").source,
               f"{name}.permittivity": m.quantity("electrode_permittivity").source}
    return el, sources


def screening_charge(polarization_C_per_m2, thickness_nm: float, permittivity: float,
                     left: Electrode, right: Electrode):
    """Screening charge σ_s = P d/[ε_FE(δ1/ε1 + δ2/ε2) + d], C/m² (sign of P).

    Parameters
    ----------
    polarization_C_per_m2 : float or array_like
        Polarization P, C/m².
    thickness_nm : float
        Ferroelectric thickness d, nm (> 0).
    permittivity : float
        Relative permittivity ε_FE (> 0).
    left : Electrode
        Electrode 1.
    right : Electrode
        Electrode 2.

    Returns
    -------
    numpy.ndarray
        σ_s, C/m².

    Raises
    ------
    ValueError
        If an argument is invalid: `polarization_C_per_m2` must be an array of finite numbers;
        `thickness_nm` must be > 0 and <= 10000; `permittivity` must be > 0.
    TypeError
        If an argument has the wrong type: `thickness_nm` or `permittivity` are not real
        numbers; `polarization_C_per_m2` is not an array of real numbers.

    Examples
    --------
    >>> j = hzo_ftj()
    >>> q = screening_charge(0.2, j.thickness_nm, j.permittivity, j.left, j.right)
    >>> bool(0 < q < 0.2)
    True
    """
    P = check_array("polarization_C_per_m2", polarization_C_per_m2)
    d = check_real("thickness_nm", thickness_nm, low=0.0, low_open=True, high=MAX_LENGTH_NM)
    eps = check_real("permittivity", permittivity, low=0.0, low_open=True)
    lam = left.screening_length_nm / left.permittivity + right.screening_length_nm / \
        right.permittivity
    return P * d / (eps * lam + d)


def interface_potentials(polarization_C_per_m2, thickness_nm: float, permittivity: float,
                         left: Electrode, right: Electrode):
    """Electrostatic potentials (φ1, φ2) in V at the two interfaces (module notes).

    Parameters
    ----------
    polarization_C_per_m2 : float or array_like
        Polarization P, C/m².
    thickness_nm : float
        Ferroelectric thickness d, nm (> 0).
    permittivity : float
        Relative permittivity ε_FE (> 0).
    left : Electrode
        Electrode 1.
    right : Electrode
        Electrode 2.

    Returns
    -------
    phi1 : numpy.ndarray
        Potential at interface 1, V.
    phi2 : numpy.ndarray
        Potential at interface 2, V.

    Examples
    --------
    >>> j = hzo_ftj()
    >>> v = interface_potentials(0.2, j.thickness_nm, j.permittivity, j.left, j.right)
    >>> len(v)
    2
    """
    s = screening_charge(polarization_C_per_m2, thickness_nm, permittivity, left, right)
    phi1 = s * left.screening_length_nm * nm / (eps0 * left.permittivity)
    phi2 = -s * right.screening_length_nm * nm / (eps0 * right.permittivity)
    return phi1, phi2


@dataclass(frozen=True)
class FTJ:
    """A metal/ferroelectric/metal tunnel junction.

    Parameters
    ----------
    left, right : Electrode
        Electrode 1 (x < 0, the reference of energies) and electrode 2.
    thickness_nm : float
        Ferroelectric thickness d, nm (> 0).
    permittivity : float
        Relative permittivity ε_FE of the barrier (background, used for screening and the bias
        drop; > 0).
    effective_mass : float
        Tunneling mass in the barrier, m_e (> 0).
    remanent_polarization_C_per_m2 : float
        P_r of one domain, C/m² (> 0; the up/down states are ±P_r).
    temperature_K : float
        Temperature of the Tsu–Esaki current, K (≥ 0).
    read_bias_V : float
        Small read bias, V (> 0); G is the odd part [J(V) − J(−V)]/(2V) (linear response).
    sources : dict, optional
        Provenance of the values.

    Raises
    ------
    ValueError
        If an argument is invalid: `temperature_K` must be >= 0 and <= 10000; `thickness_nm`,
        `permittivity`, `effective_mass`, `remanent_polarization_C_per_m2` and `read_bias_V`
        must be > 0.
    TypeError
        If an argument has the wrong type: `temperature_K`, `thickness_nm`, `permittivity`,
        `effective_mass`, `remanent_polarization_C_per_m2` or `read_bias_V` are not real
        numbers; left and right must be Electrode instances.

    Examples
    --------
    >>> j = hzo_ftj()
    >>> j.thickness_nm, j.left.name, j.right.name
    (2.0, 'TiN', 'Si(n+)')
    """

    left: Electrode
    right: Electrode
    thickness_nm: float
    permittivity: float
    effective_mass: float
    remanent_polarization_C_per_m2: float
    temperature_K: float = 300.0
    read_bias_V: float = 0.01
    sources: dict = field(default_factory=dict)

    def __post_init__(self):
        for k in ("thickness_nm", "permittivity", "effective_mass",
                  "remanent_polarization_C_per_m2", "read_bias_V"):
            check_real(k, getattr(self, k), low=0.0, low_open=True)
        check_real("temperature_K", self.temperature_K, low=0.0, high=MAX_TEMPERATURE_K)
        if not isinstance(self.left, Electrode) or not isinstance(self.right, Electrode):
            raise TypeError("left and right must be Electrode instances")

    def with_(self, **changes) -> "FTJ":
        """A copy with some fields changed.

        Parameters
        ----------
        **changes
            Field names and new values (validated).

        Returns
        -------
        FTJ
            The copy.

        Examples
        --------
        >>> hzo_ftj().with_(thickness_nm=3.0).thickness_nm
        3.0
        """
        return replace(self, **changes)

    def barrier(self, polarization_C_per_m2: float = 0.0) -> Barrier:
        """The tunnel barrier seen by electrons at polarization P (C/m²).

        Parameters
        ----------
        polarization_C_per_m2 : float, optional
            Polarization P, C/m².

        Returns
        -------
        Barrier
            One trapezoidal layer (eV, nm) between the two electrodes.

        Raises
        ------
        ValueError
            If an argument is invalid: `polarization_C_per_m2` must be finite.
        TypeError
            If an argument has the wrong type: `polarization_C_per_m2` is not a real number.

        Examples
        --------
        >>> b = hzo_ftj().barrier(0.2)
        >>> round(b.thickness_nm, 2)
        2.0
        """
        P = check_real("polarization_C_per_m2", polarization_C_per_m2)
        phi1, phi2 = interface_potentials(P, self.thickness_nm, self.permittivity, self.left,
                                          self.right)
        ef = self.left.fermi_energy_eV
        h_left = ef + self.left.barrier_height_eV - float(phi1[0])
        h_right = ef + self.right.barrier_height_eV - float(phi2[0])
        flat = h_left == h_right
        layer = Layer(self.thickness_nm, h_left, self.effective_mass, self.permittivity,
                      None if flat else h_right, "ferroelectric")
        return Barrier(layers=[layer], electrode_mass=self.left.effective_mass,
                       right_electrode_mass=self.right.effective_mass,
                       right_band_bottom_eV=ef - self.right.fermi_energy_eV, fermi_energy_eV=ef,
                       name=f"{self.left.name}|FE|{self.right.name} (P = {P:.3g} C/m2)",
                       sources=dict(self.sources))

    def potential_profile(self, x_nm, polarization_C_per_m2: float):
        """Electrostatic potential φ(x) in V (0 = interface 1; barrier from 0 to d).

        Parameters
        ----------
        x_nm : array_like
            Positions, nm (< 0 electrode 1, > d electrode 2).
        polarization_C_per_m2 : float
            Polarization P, C/m².

        Returns
        -------
        numpy.ndarray
            φ(x), V.

        Raises
        ------
        ValueError
            If an argument is invalid: `x_nm` must be an array of finite numbers;
            `polarization_C_per_m2` must be finite.
        TypeError
            If an argument has the wrong type: `polarization_C_per_m2` is not a real number; `x_nm`
            is not an array of real numbers.

        Examples
        --------
        >>> v = hzo_ftj().potential_profile([0.0, 1.0, 2.0], 0.2)
        >>> v.shape
        (3,)
        """
        x = check_array("x_nm", x_nm)
        P = check_real("polarization_C_per_m2", polarization_C_per_m2)
        phi1, phi2 = (float(v[0]) for v in interface_potentials(
            P, self.thickness_nm, self.permittivity, self.left, self.right))
        d = self.thickness_nm
        inside = phi1 + (phi2 - phi1) * np.clip(x, 0, d) / d
        return np.where(x < 0, phi1 * np.exp(np.minimum(x, 0) / self.left.screening_length_nm),
                        np.where(x > d, phi2 * np.exp(-np.maximum(x - d, 0) /
                                                      self.right.screening_length_nm), inside))

    def conductance_per_area(self, polarization_C_per_m2) -> np.ndarray:
        """Linear-response conductance per area G/A (S/m²) at each polarization.

        Parameters
        ----------
        polarization_C_per_m2 : float or array_like
            Polarization(s) P, C/m².

        Returns
        -------
        numpy.ndarray
            G/A, S/m², shape of the polarizations.

        Raises
        ------
        ValueError
            If an argument is invalid: `polarization_C_per_m2` must be an array of finite numbers.
        TypeError
            If an argument has the wrong type: `polarization_C_per_m2` is not an array of real
            numbers.

        Examples
        --------
        >>> g = hzo_ftj().conductance_per_area([0.2, -0.2])
        >>> g.shape, bool((g > 0).all())
        ((2,), True)
        """
        P = check_array("polarization_C_per_m2", polarization_C_per_m2)
        v = self.read_bias_V
        out = []
        for p in P.ravel():
            j = self.barrier(float(p)).current_density(np.array([v, -v]), self.temperature_K)
            out.append((j[0] - j[1]) / (2 * v))
        return np.array(out).reshape(P.shape)

    def ter(self) -> float:
        """Tunneling electroresistance G_high/G_low − 1 of the two states ±P_r (≥ 0).

        Returns
        -------
        float
            TER, dimensionless.

        Examples
        --------
        >>> round(hzo_ftj().ter(), 1)
        0.1
        """
        g = self.require_conductances("TER", self.conductance_per_area(
            [self.remanent_polarization_C_per_m2, -self.remanent_polarization_C_per_m2]))
        return float(max(g) / min(g) - 1.0)

    def require_conductances(self, quantity: str, conductances) -> np.ndarray:
        """Conductances of this junction, refused (ValueError) if any underflowed to 0.

        A TER of such values would be 0/0; the message (from
        :func:`~qtransport.tight_binding.tunneling.require_current`) uses the lowest barrier
        top above E_F over ±P_r, the HZO mass and the temperature.

        Parameters
        ----------
        quantity : str
            Name of the ratio, e.g. "TER".
        conductances : array_like
            G/A, S/m².

        Returns
        -------
        numpy.ndarray
            ``conductances`` as an array.

        Examples
        --------
        >>> hzo_ftj().require_conductances("TER", [1.0, 2.0]).size
        2
        """
        heights = []
        for p in (self.remanent_polarization_C_per_m2, -self.remanent_polarization_C_per_m2):
            layer = self.barrier(p).layers[0]
            heights.append(min(layer.height_eV, layer.end_eV) - self.left.fermi_energy_eV)
        return require_current(quantity, conductances, self.thickness_nm, min(heights),
                               self.effective_mass, self.temperature_K)


def hzo_ftj(thickness_nm: float = 2.0, left: str = "TiN", right: str = "Si(n+)",
            **overrides) -> FTJ:
    """An HZO tunnel junction between two electrodes from ``materials.toml``.

    Parameters
    ----------
    thickness_nm : float
        HZO thickness, nm.
    left, right : str
        Electrode materials (need fermi_energy_eV, screening_length_nm, electrode_permittivity and
        a work function or electron affinity).
    **overrides
        Other :class:`FTJ` fields (``temperature_K``, ``read_bias_V``, ``permittivity``, …).

    Returns
    -------
    FTJ
        The junction with ``sources`` filled in.

    Examples
    --------
    >>> hzo_ftj(thickness_nm=3.0).thickness_nm
    3.0
    """
    hzo = materials.get("HZO")
    chi = hzo.electron_affinity_eV
    el1, s1 = electrode_from_materials(left, chi)
    el2, s2 = electrode_from_materials(right, chi)
    sources = {"permittivity": hzo.quantity("permittivity").source,
               "effective_mass": hzo.quantity("tunneling_mass").source,
               "remanent_polarization_C_per_m2":
                   hzo.quantity("remanent_polarization_C_per_m2").source,
               "electron_affinity_eV": hzo.quantity("electron_affinity_eV").source, **s1, **s2}
    kw = dict(left=el1, right=el2, thickness_nm=thickness_nm, permittivity=hzo.permittivity,
              effective_mass=hzo.tunneling_mass,
              remanent_polarization_C_per_m2=hzo.remanent_polarization_C_per_m2, sources=sources)
    kw.update(overrides)
    return FTJ(**kw)
