"""Periodic Kohn-Sham DFT with PySCF (optional dependency, imported lazily) and its on-disk cache.

:func:`run_dft` runs a restricted k-point KS-DFT (``pyscf.pbc.dft.KRKS``) on a
:class:`~qtransport.first_principles.structure.Structure` and returns a :class:`DFTResult`: the
converged Kohn-Sham matrix F(k) and overlap S(k) of the Gaussian (non-orthogonal) basis on the
Γ-centred k mesh (eV), the Fermi level, and, as an independent check, the DFT eigenvalues on a
second set of k points *not* in the mesh (non-self-consistent bands from the converged density,
``KRKS.get_bands``). :func:`load_or_run` keys an HDF5 file by the SHA-256 of every input
(geometry and :class:`DFTSettings`), checks the key again on every load, and keeps the PySCF
version and every setting in its attributes (provenance).

Defaults (:class:`DFTSettings`): PBE, GTH-PBE pseudopotentials, the GTH short-range minimal basis
``gth-szv-molopt-sr`` (one valence shell per angular momentum: Au/Ag/Cu s+p+d = 9, C/B/N s+p = 4
orbitals), Gaussian density fitting, Fermi-Dirac smearing of 0.005 Ha (0.136 eV), SCF tolerance
1e-8 Ha, and an odd Γ-centred mesh (15 k points along a chain) so that the real-space cells of the
inverse Fourier transform are symmetric (:mod:`~qtransport.first_principles.realspace`).
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from scipy import constants as _c
from scipy.optimize import brentq

from ..errors import check_bool, check_choice, check_int, check_real
from ..infra import atomic_path
from .structure import Structure

__all__ = ["DFTSettings", "DFTResult", "run_dft", "load_or_run", "cache_key", "CACHE_DIR",
           "HARTREE_EV", "pyscf_available", "fermi_level", "basis_size", "estimate_cost",
           "check_cost", "cached_path", "MAX_DFT_S", "MAX_DFT_BYTES", "SECONDS_PER_UNIT"]

logger = logging.getLogger(__name__)

#: Hartree energy in eV (CODATA via scipy.constants).
HARTREE_EV = _c.physical_constants["Hartree energy in eV"][0]

#: Shipped cache (``data/first_principles``), read by tests and the pipeline.
CACHE_DIR = Path(__file__).resolve().parents[1] / "data" / "first_principles"

#: Default limit of the estimated wall time of one fresh PySCF run (s, one core). The shipped
#: runs took 3-1100 s (provenance ``wall_time_s``); an hour-long run must be asked for
#: (``max_dft_s=``).
MAX_DFT_S = 3600.0
#: Default limit of the estimated memory (and density-fitting scratch) of one run, bytes.
MAX_DFT_BYTES = 8 * 2**30
#: Seconds per unit of n_orbitals³ × n_kpoints² (mesh k points; KS-DFT + GDF on one core): a
#: bit above the largest ratio over the shipped runs (1.1e-4 for the Au chain … 5.2e-4 for an
#: Au junction, 3.7e-4 for bulk h-BN), so the estimate bounds each of their recorded wall times
#: from above and is within 6× of each (tests/first_principles/test_fp_cost.py).
SECONDS_PER_UNIT = 5.5e-4
#: Auxiliary (density-fitting) functions per orbital assumed in the memory estimate.
_AUX_PER_ORBITAL = 6

#: Version of the cache-key payload (bump when the meaning of an input changes).
_FORMAT = 1
#: HDF5 layout version (1 was the ``.npz`` layout, still readable).
_FILE_FORMAT = 2


def pyscf_available() -> bool:
    """True when PySCF can be imported (it is optional).

    Returns
    -------
    bool
        Whether ``import pyscf`` works.

    Examples
    --------
    >>> isinstance(pyscf_available(), bool)
    True
    """
    try:
        import pyscf  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class DFTSettings:
    """Every DFT setting that changes the result (all go into the cache key).

    Parameters
    ----------
    xc : str
        Exchange-correlation functional (PySCF/libxc name), default ``"pbe"``.
    basis : str
        Gaussian basis (PySCF name), default ``"gth-szv-molopt-sr"``.
    pseudo : str
        Pseudopotential, default ``"gth-pbe"``.
    kmesh : tuple of 3 int
        Γ-centred mesh; 1 along non-periodic axes, odd along periodic ones.
    smearing_Ha : float
        Fermi-Dirac smearing width (Hartree), 0 for none (insulators).
    conv_tol : float
        SCF energy tolerance (Hartree).
    n_check : int
        Number of off-mesh k points per periodic axis at which DFT bands are recomputed (the
        validation set: midpoints between mesh points, plus random ones in 3-D).
    extra : dict
        ``{"check_kpts_frac": [[k1, k2, k3], ...]}`` adds reduced k points to the check set;
        ``{"df": "fftdf"}`` uses plane-wave (FFT) Coulomb integrals instead of Gaussian density
        fitting (faster for dense 3-D cells with semilocal functionals).
        ``{"potential_lines": True}`` stores the electrostatic potential energy (Hartree + local
        pseudopotential, eV) along the cell's third axis through the origin and through the
        middle of the vacuum in provenance (vacuum level, work function).

    Raises
    ------
    ValueError
        If an argument is invalid: `xc` must be one of ``('pbe', 'lda,vwn', 'pbe0', 'b3lyp')``;
        `pseudo` must be one of ``('gth-pbe', 'gth-lda')``; basis must be a GTH basis name
        (gth-...); kmesh must have 3 entries; `smearing_Ha` must be >= 0 and <= 0.1; `conv_tol`
        must be >= 1e-12 and <= 0.0001; `n_check` and `kmesh` must be >= 1 and <= 64;
        ``extra['df']`` must be one of ``('gdf', 'fftdf')``.
    TypeError
        If an argument has the wrong type: `smearing_Ha` or `conv_tol` are not real numbers;
        `n_check` or `kmesh` are not integers; extra must be a dict.

    Examples
    --------
    >>> s = DFTSettings()
    >>> s.xc, s.kmesh
    ('pbe', (1, 1, 15))
    """

    xc: str = "pbe"
    basis: str = "gth-szv-molopt-sr"
    pseudo: str = "gth-pbe"
    kmesh: tuple = (1, 1, 15)
    smearing_Ha: float = 0.005
    conv_tol: float = 1e-8
    n_check: int = 8
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        check_choice("xc", self.xc, ("pbe", "lda,vwn", "pbe0", "b3lyp"))
        check_choice("pseudo", self.pseudo, ("gth-pbe", "gth-lda"))
        if not isinstance(self.basis, str) or not self.basis.startswith("gth-"):
            raise ValueError(f"basis must be a GTH basis name (gth-...), got {self.basis!r}")
        km = tuple(check_int("kmesh", k, low=1, high=64) for k in self.kmesh)
        if len(km) != 3:
            raise ValueError(f"kmesh must have 3 entries, got {self.kmesh!r}")
        object.__setattr__(self, "kmesh", km)
        check_real("smearing_Ha", self.smearing_Ha, low=0.0, high=0.1)
        check_real("conv_tol", self.conv_tol, low=1e-12, high=1e-4)
        check_int("n_check", self.n_check, low=1, high=64)
        if not isinstance(self.extra, dict):
            raise TypeError(f"extra must be a dict, got {type(self.extra).__name__}")
        check_choice("extra['df']", self.extra.get("df", "gdf"), ("gdf", "fftdf"))

    def check_structure(self, structure: Structure) -> None:
        """Check that the k mesh fits ``structure`` (1 along vacuum axes, odd along periodic ones).

        Parameters
        ----------
        structure : Structure
            The cell the settings are used with.

        Raises
        ------
        ValueError
            A mesh entry ≠ 1 along a non-periodic axis, or an even one along a periodic axis.
        """
        for ax, (n, per) in enumerate(zip(self.kmesh, structure.periodic)):
            if not per and n != 1:
                raise ValueError(f"kmesh[{ax}] must be 1 along the non-periodic axis {ax}, got {n}")
            if per and n % 2 == 0 and n != 1:
                raise ValueError(f"kmesh[{ax}] must be odd (symmetric real-space cells), got {n}")


def cache_key(structure: Structure, settings: DFTSettings) -> str:
    """SHA-256 of the structure, the settings and the file-format version.

    Parameters
    ----------
    structure : Structure
        The cell.
    settings : DFTSettings
        The settings.

    Returns
    -------
    str
        Hexadecimal digest (64 characters).

    Examples
    --------
    >>> from qtransport.first_principles.structure import hbn_bulk
    >>> len(cache_key(hbn_bulk(), DFTSettings()))
    64
    """
    payload = {"structure": structure.digest(), "settings": asdict(settings), "format": _FORMAT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass
class DFTResult:
    """A converged periodic DFT calculation in a form the tight-binding layer uses.

    Parameters
    ----------
    structure : Structure
        The cell (Å).
    settings : DFTSettings
        The settings of the run.
    kpts_frac : ndarray (nk, 3)
        Mesh k points in reduced (fractional) coordinates.
    fock_eV, overlap : ndarray (nk, nao, nao) complex
        Kohn-Sham matrix (eV) and basis overlap in the Bloch basis
        φ_μk = Σ_T e^{ik·T} φ_μ(r − T).
    fermi_eV : float
        Fermi level (chemical potential of the smeared occupations; mid-gap for insulators).
    mesh_bands_eV : ndarray (nk, nao)
        DFT eigenvalues on the mesh.
    check_kpts_frac : ndarray (nc, 3)
        Off-mesh k points (reduced), the validation set.
    check_bands_eV : ndarray (nc, nao)
        DFT eigenvalues at those points, eV.
    ao_labels : list of str
        Label of every atomic orbital of the basis.
    provenance : dict
        PySCF version, cache key, timings and other metadata of the run.
    """

    structure: Structure
    settings: DFTSettings
    kpts_frac: np.ndarray
    fock_eV: np.ndarray
    overlap: np.ndarray
    fermi_eV: float
    mesh_bands_eV: np.ndarray
    check_kpts_frac: np.ndarray
    check_bands_eV: np.ndarray
    ao_labels: list
    provenance: dict

    @property
    def n_orbitals(self) -> int:
        """Number of atomic orbitals (basis functions) per cell."""
        return int(self.fock_eV.shape[1])

    def save(self, path) -> Path:
        """Write an HDF5 file atomically and durably (:func:`qtransport.infra.atomic_path`:
        temporary file, fsync, rename, folder fsync; never half-written).

        Layout: one dataset per array (float64/complex128 as computed, gzip), ``ao_labels`` as
        strings; root attributes ``cache_key``, ``pyscf_version``, ``file_format`` and JSON
        ``structure``, ``settings``, ``provenance``, plus one ``setting.<name>`` attribute per
        DFT setting so that ``h5dump -A`` shows every input.

        Parameters
        ----------
        path : str or pathlib.Path
            The output ``.h5`` file.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        import h5py
        path = Path(path)
        with atomic_path(path, suffix=".h5.tmp") as tmp:
            with h5py.File(tmp, "w") as f:
                for name in _ARRAYS:
                    f.create_dataset(name, data=getattr(self, name), compression="gzip",
                                     shuffle=True)
                f.create_dataset("ao_labels", data=list(self.ao_labels),
                                 dtype=h5py.string_dtype())
                f.attrs["file_format"] = _FILE_FORMAT
                f.attrs["cache_key"] = str(self.provenance.get("cache_key", ""))
                f.attrs["pyscf_version"] = str(self.provenance.get("pyscf_version", ""))
                f.attrs["fermi_eV"] = float(self.fermi_eV)
                f.attrs["structure"] = json.dumps(self.structure.as_dict(), sort_keys=True)
                f.attrs["settings"] = json.dumps(asdict(self.settings), sort_keys=True)
                f.attrs["provenance"] = json.dumps(self.provenance, sort_keys=True)
                for k, v in asdict(self.settings).items():
                    f.attrs[f"setting.{k}"] = json.dumps(v, sort_keys=True)
        return path

    @classmethod
    def load(cls, path) -> "DFTResult":
        """Read a file written by :meth:`save` (or a legacy ``.npz`` of file format 1).

        The stored structure and settings are hashed again and must give the stored
        ``cache_key`` (a file edited or mixed up after it was written is refused).

        Parameters
        ----------
        path : str or pathlib.Path
            An ``.h5`` file of :meth:`save` or a legacy ``.npz``.

        Returns
        -------
        DFTResult
            The stored calculation.

        Raises
        ------
        ValueError
            Not a DFT cache file, a missing array, inconsistent shapes, non-finite values, or
            stored inputs that do not hash to the stored key.
        """
        path = Path(path)
        if path.suffix == ".npz":
            arrays, meta = _read_npz(path)
        else:
            arrays, meta = _read_h5(path)
        try:
            st = meta["structure"]
            structure = Structure(tuple(st["symbols"]), tuple(map(tuple, st["positions"])),
                                  tuple(map(tuple, st["cell"])), tuple(st["periodic"]),
                                  st["name"])
            sd = dict(meta["settings"])
            sd["kmesh"] = tuple(sd["kmesh"])
            settings = DFTSettings(**sd)
            prov = dict(meta["provenance"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"path {str(path)!r}: DFT cache metadata incomplete ({exc})") from exc
        nk, nao = arrays["fock_eV"].shape[0], arrays["fock_eV"].shape[-1]
        shapes = {"kpts_frac": (nk, 3), "fock_eV": (nk, nao, nao), "overlap": (nk, nao, nao),
                  "mesh_bands_eV": (nk, nao),
                  "check_kpts_frac": (arrays["check_kpts_frac"].shape[0], 3),
                  "check_bands_eV": (arrays["check_kpts_frac"].shape[0], nao)}
        for name, shape in shapes.items():
            if arrays[name].shape != shape or not np.all(np.isfinite(arrays[name])):
                raise ValueError(f"path {str(path)!r}: array {name!r} has shape "
                                 f"{arrays[name].shape} (expected {shape}) or non-finite values")
        stored = prov.get("cache_key")
        actual = cache_key(structure, settings)
        if stored != actual:
            raise ValueError(f"path {str(path)!r}: stored inputs hash to {actual[:16]}… but the "
                             f"file's cache_key is {str(stored)[:16]}… (edited or corrupted); "
                             "refusing it")
        return cls(structure, settings, arrays["kpts_frac"], arrays["fock_eV"],
                   arrays["overlap"], float(meta["fermi_eV"]), arrays["mesh_bands_eV"],
                   arrays["check_kpts_frac"], arrays["check_bands_eV"], list(meta["ao_labels"]),
                   prov)


_ARRAYS = ("kpts_frac", "fock_eV", "overlap", "mesh_bands_eV", "check_kpts_frac",
           "check_bands_eV")


def _read_h5(path: Path) -> tuple[dict, dict]:
    import h5py
    try:
        with h5py.File(path, "r") as f:
            missing = [k for k in _ARRAYS + ("ao_labels",) if k not in f]
            if missing:
                raise ValueError(f"path {str(path)!r}: DFT cache file lacks the array "
                                 f"{missing[0]!r}")
            arrays = {k: f[k][()] for k in _ARRAYS}
            meta = {k: json.loads(f.attrs[k]) for k in ("structure", "settings", "provenance")}
            meta["fermi_eV"] = float(f.attrs["fermi_eV"])
            meta["ao_labels"] = [x.decode() if isinstance(x, bytes) else str(x)
                                 for x in f["ao_labels"][()]]
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"path {str(path)!r} is not a readable DFT cache file: {exc}") from exc
    return arrays, meta


def _read_npz(path: Path) -> tuple[dict, dict]:
    """Legacy reader: the ``.npz`` cache of file format 1 (no pickle)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as exc:
        raise ValueError(f"path {str(path)!r} is not a readable DFT cache file: {exc}") from exc
    for k in _ARRAYS + ("meta",):
        if k not in arrays:
            raise ValueError(f"path {str(path)!r}: DFT cache file lacks the array {k!r}")
    meta = json.loads(str(arrays.pop("meta")))
    return arrays, meta


def fermi_level(bands_eV: np.ndarray, n_electrons: int, sigma_eV: float) -> float:
    """Chemical potential (eV) that puts n_electrons per cell in the mesh bands.

    Fermi-Dirac occupations 2 f((ε − μ)/σ) averaged over the mesh (σ > 0), or mid-gap between
    the highest occupied and lowest empty level for σ = 0 (even electron count).

    Parameters
    ----------
    bands_eV : numpy.ndarray
        Mesh eigenvalues, eV, shape (nk, n_bands), ascending per row.
    n_electrons : int
        Valence electrons per cell.
    sigma_eV : float
        Fermi–Dirac smearing width σ, eV (0: insulator, mid-gap).

    Returns
    -------
    float
        μ, eV.

    Raises
    ------
    ValueError
        σ = 0 with an odd electron count.

    Examples
    --------
    >>> import numpy as np
    >>> fermi_level(np.array([[-1.0, 1.0]]), 2, 0.0)
    0.0
    """
    e = np.asarray(bands_eV, dtype=float)
    if sigma_eV > 0:
        def excess(mu):
            x = np.clip((e - mu) / sigma_eV, -700, 700)
            return 2 * np.sum(1 / (1 + np.exp(x))) / e.shape[0] - n_electrons
        return float(brentq(excess, e.min() - 50 * sigma_eV, e.max() + 50 * sigma_eV,
                            xtol=1e-12))
    if n_electrons % 2:
        raise ValueError(f"smearing_Ha must be > 0 for an odd electron count ({n_electrons})")
    nocc = n_electrons // 2
    homo = float(np.max(e[:, nocc - 1]))
    lumo = float(np.min(e[:, nocc])) if e.shape[1] > nocc else homo
    return 0.5 * (homo + lumo)


def _check_kpoints(settings: DFTSettings, periodic, seed: int = 0) -> np.ndarray:
    """Off-mesh reduced k points along every periodic axis (+ random ones in 2-D/3-D).

    k = (2j + 1)/(2 n_check), j = 0 … n_check − 1, is never a mesh point m/N for odd N
    (N(2j + 1) is odd, 2 n_check m is even), so these check the interpolation, not the fit.
    """
    per = [ax for ax in range(3) if periodic[ax]]
    n = settings.n_check
    pts = []
    for j in range(n):
        k = np.zeros(3)
        k[per] = (2 * j + 1) / (2 * n)
        pts.append(k)
    for k in settings.extra.get("check_kpts_frac", []):
        pts.append(np.asarray(k, dtype=float))
    if len(per) > 1:
        rng = np.random.default_rng(seed)
        for _ in range(n):
            k = np.zeros(3)
            k[per] = rng.random(len(per))
            pts.append(k)
    return np.array(pts)


def _potential_lines(cell, mf) -> dict:
    """Electrostatic potential energy of an electron (eV): Hartree + local pseudopotential.

    Same G = 0 convention as the Kohn-Sham matrix (PySCF drops the G = 0 Hartree term and keeps
    the finite G = 0 part of the local pseudopotential), so it is on the energy scale of F(k) and
    E_F. Returned on two lines along the third cell vector: through the cell origin (the chain
    axis of :func:`~qtransport.first_principles.structure.atomic_chain`) and through the middle
    of the vacuum (the cell's lateral centre, farthest from the chain and its images).
    """
    from pyscf.pbc import tools
    from pyscf.pbc.dft.gen_grid import UniformGrids
    from pyscf.pbc.gto import pseudo
    mesh = np.asarray(cell.mesh)
    grids = UniformGrids(cell)
    grids.mesh = mesh
    rho = np.asarray(mf._numint.get_rho(cell, mf.make_rdm1(), grids, mf.kpts)).real
    w = cell.vol / np.prod(mesh)
    # ifft of (4π/G²)·fft(ρ) is the Hartree potential (tools.fft unnormalized, ifft 1/N)
    v_h = tools.ifft(tools.get_coulG(cell, mesh=mesh) * tools.fft(rho, mesh), mesh).real
    Gv = cell.get_Gv(mesh)
    vloc_g = -np.einsum("ij,ij->j", cell.get_SI(mesh=mesh), pseudo.get_vlocG(cell, Gv))
    v_loc = tools.ifft(vloc_g, mesh).real / w       # PySCF's vpplocR carries the grid weight
    v = ((v_h + v_loc) * HARTREE_EV).reshape(tuple(mesh))
    z = np.arange(mesh[2]) / mesh[2] * float(np.linalg.norm(cell.lattice_vectors()[2])) \
        * _c.physical_constants["Bohr radius"][0] * 1e10
    return {"potential_z_angstrom": np.round(z, 6).tolist(),
            "potential_axis_eV": np.round(v[0, 0, :], 6).tolist(),
            "potential_vacuum_eV": np.round(v[mesh[0] // 2, mesh[1] // 2, :], 6).tolist(),
            "potential_mesh": mesh.tolist()}


def _pyscf_cell(structure: Structure, settings: DFTSettings, verbose: int = 0):
    from pyscf.pbc import gto
    cell = gto.Cell()
    cell.atom = [[s, p] for s, p in zip(structure.symbols, structure.positions)]
    cell.a = np.array(structure.cell)
    cell.unit = "Angstrom"
    ghosts = sorted({s for s in structure.symbols if s.startswith("ghost-")})
    if ghosts:
        # ghost sites carry only the s and p shells of their element's basis: a tail for the
        # wavefunction across vacuum, no nucleus, no pseudopotential, no electrons
        real = sorted(set(structure.symbols) - set(ghosts))
        cell.basis = {el: settings.basis for el in real}
        for g in ghosts:
            cell.basis[g] = [sh for sh in gto.basis.load(settings.basis, g[6:]) if sh[0] <= 1]
        cell.pseudo = {el: settings.pseudo for el in real}
    else:
        cell.basis = settings.basis
        cell.pseudo = settings.pseudo
    cell.verbose = verbose
    return cell


def basis_size(structure: Structure, settings: DFTSettings | None = None) -> dict:
    """Orbitals and valence electrons per cell for these settings, without any SCF (needs PySCF).

    For feasibility estimates: the cost of a k-point KS-DFT run grows roughly as the cube of the
    orbital count times the square of the k-point count.

    Parameters
    ----------
    structure : Structure
        The cell (Å).
    settings : DFTSettings, optional
        The settings (default :class:`DFTSettings`).

    Returns
    -------
    dict
        ``n_orbitals``, ``n_electrons`` (per cell, with the pseudopotential's valence count).

    Raises
    ------
    TypeError
        ``structure`` is not a Structure.
    """
    settings = DFTSettings() if settings is None else settings
    if not isinstance(structure, Structure):
        raise TypeError(f"structure must be a Structure, got {type(structure).__name__}")
    cell = _pyscf_cell(structure, settings)
    with warnings.catch_warnings():
        # an odd electron count per cell only warns (a k-point metal); no SCF is run here
        warnings.filterwarnings("ignore", message="Electron number")
        cell.build()
    return {"n_orbitals": int(cell.nao_nr()), "n_electrons": int(cell.nelectron)}


def estimate_cost(structure: Structure, settings: DFTSettings | None = None) -> dict:
    """Size, time and memory of a fresh PySCF run, estimated before any SCF (needs PySCF).

    Builds a probe cell with the structure's lattice vectors and one atom of each distinct
    symbol (milliseconds whatever the atom count), counts the orbitals of every atom from it and
    takes the FFT mesh of the real cell from the probe (same cut-off, same lattice).

    Parameters
    ----------
    structure : Structure
        The cell (Å).
    settings : DFTSettings, optional
        The settings (default :class:`DFTSettings`).

    Returns
    -------
    dict
        ``n_orbitals``, ``n_kpoints`` (SCF mesh), ``n_check_kpoints`` (band-check points),
        ``n_grid`` (FFT mesh points),
        ``seconds`` (≈ :data:`SECONDS_PER_UNIT` · n_orbitals³ · n_mesh_k², one core) and
        ``bytes`` (density-fitting tensors, Fock/overlap/MO matrices and a few arrays on the
        mesh).

    Raises
    ------
    TypeError
        ``structure`` or ``settings`` of the wrong type.
    """
    settings = DFTSettings() if settings is None else settings
    if not isinstance(structure, Structure):
        raise TypeError(f"structure must be a Structure, got {type(structure).__name__}")
    if not isinstance(settings, DFTSettings):
        raise TypeError(f"settings must be a DFTSettings, got {type(settings).__name__}")
    kinds = sorted(set(structure.symbols))
    probe = Structure(tuple(kinds), tuple((0.0, 0.0, 0.0) for _ in kinds), structure.cell,
                      structure.periodic, name="probe")
    cell = _pyscf_cell(probe, settings)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Electron number")
        cell.build()
    per_kind = {k: int(n) for k, n in zip(kinds, np.diff(cell.aoslice_by_atom()[:, 2:4],
                                                              axis=1).ravel())}
    nao = sum(per_kind[s] for s in structure.symbols)
    nk = int(np.prod(settings.kmesh))
    nk_all = nk + len(_check_kpoints(settings, structure.periodic))
    n_grid = int(np.prod(np.asarray(cell.mesh, dtype=float)))
    seconds = SECONDS_PER_UNIT * float(nao) ** 3 * float(nk) ** 2
    n_bytes = 16.0 * (nk ** 2 * nao ** 2 * _AUX_PER_ORBITAL * nao / 2 + 6 * nk_all * nao ** 2
                      + 8 * n_grid)
    return {"n_orbitals": nao, "n_kpoints": nk, "n_check_kpoints": nk_all - nk,
            "n_grid": n_grid, "seconds": seconds,
            "bytes": n_bytes}


def check_cost(jobs, max_dft_s: float = MAX_DFT_S, max_dft_bytes: float = MAX_DFT_BYTES) -> dict:
    """Refuse fresh DFT runs up front when their estimated time or memory is above the limits.

    Parameters
    ----------
    jobs : list of (Structure, DFTSettings)
        The runs about to start (times add up; memory is the largest single run).
    max_dft_s : float
        Limit of the summed estimated wall time (s, one core), default :data:`MAX_DFT_S`.
    max_dft_bytes : float
        Limit of the estimated memory of any one run (bytes), default :data:`MAX_DFT_BYTES`.

    Returns
    -------
    dict
        ``seconds`` (sum) and ``bytes`` (largest) of the estimates.

    Raises
    ------
    WorkLimitError
        (a ``ValueError``) naming the estimate, the limit and the keyword to raise it.
    """
    from ..errors import check_work
    limit_s = check_real("max_dft_s", max_dft_s, low=0.0, low_open=True, allow_inf=True)
    limit_b = check_real("max_dft_bytes", max_dft_bytes, low=0.0, low_open=True, allow_inf=True)
    costs = [estimate_cost(st, se) for st, se in jobs]
    total_s = sum(c["seconds"] for c in costs)
    if costs:
        big = max(range(len(costs)), key=lambda i: costs[i]["bytes"])
        c = costs[big]
        what = (f"{len(costs)} PySCF run(s); the largest: {c['n_orbitals']} orbitals × "
                f"{c['n_kpoints']} k points ({jobs[big][0].name})")
        check_work("max_dft_s", total_s, limit_s, unit="s", hint=what)
        check_work("max_dft_bytes", c["bytes"], limit_b, unit="bytes",
                   hint=f"{what}, {c['n_grid']} FFT mesh points")
    return {"seconds": total_s, "bytes": max((c["bytes"] for c in costs), default=0.0)}


def run_dft(structure: Structure, settings: DFTSettings | None = None, *,
            verbose: int = 0, log_file: str | None = None, max_dft_s: float = MAX_DFT_S,
            max_dft_bytes: float = MAX_DFT_BYTES) -> DFTResult:
    """Run the periodic KS-DFT calculation (needs PySCF).

    Parameters
    ----------
    structure : Structure
        The cell (Å).
    settings : DFTSettings, optional
        The settings (default :class:`DFTSettings`).
    verbose : int
        PySCF verbosity (0 silent).
    log_file : str, optional
        File PySCF writes its log to (default: its standard output).
    max_dft_s, max_dft_bytes : float
        Limits of the estimated time (s) and memory (bytes) of the run (:func:`check_cost`);
        a run above them is refused before PySCF starts.

    Returns
    -------
    DFTResult
        The converged calculation (eV, reduced k).

    Raises
    ------
    TypeError
        ``structure`` is not a Structure.
    ImportError
        PySCF is not installed (``pip install pyscf``; ``make`` installs it).
    WorkLimitError
        The estimated time or memory is above ``max_dft_s`` / ``max_dft_bytes``.
    RuntimeError
        The SCF did not converge.
    """
    settings = DFTSettings() if settings is None else settings
    if not isinstance(structure, Structure):
        raise TypeError(f"structure must be a Structure, got {type(structure).__name__}")
    settings.check_structure(structure)
    try:
        import pyscf
        from pyscf.pbc import dft as pbcdft
        from pyscf.pbc.scf.addons import smearing_
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("run_dft needs the optional dependency PySCF (pip install pyscf); "
                          "the shipped cache in data/first_principles needs no PySCF") from exc
    check_cost([(structure, settings)], max_dft_s, max_dft_bytes)
    t0 = time.perf_counter()
    cell = _pyscf_cell(structure, settings, verbose)
    if log_file is not None:
        cell.output = str(log_file)
    with warnings.catch_warnings():
        # an odd electron count per cell is fine for a k-point metal (the total over k is even)
        warnings.filterwarnings("ignore", message="Electron number")
        cell.build()
        kpts = cell.make_kpts(list(settings.kmesh))
        mf = pbcdft.KRKS(cell, kpts)
        if settings.extra.get("df", "gdf") == "gdf":
            mf = mf.density_fit()
        mf.xc = settings.xc
        mf.conv_tol = settings.conv_tol
        mf.max_cycle = 100
        if settings.smearing_Ha > 0:
            mf = smearing_(mf, sigma=settings.smearing_Ha, method="fermi")
        mf.kernel()
        if not mf.converged:
            raise RuntimeError(f"PySCF SCF for {structure.name} did not converge in 100 cycles")
        fock = np.asarray(mf.get_fock()) * HARTREE_EV
        ovlp = np.asarray(mf.get_ovlp())
        mesh_e = np.asarray(mf.mo_energy) * HARTREE_EV
        fermi = fermi_level(mesh_e, int(cell.nelectron), settings.smearing_Ha * HARTREE_EV)
        occ_sum = float(np.sum(mf.mo_occ)) / len(kpts)
        ck_frac = _check_kpoints(settings, structure.periodic)
        ck_abs = cell.get_abs_kpts(ck_frac)
        check_e, _ = mf.get_bands(ck_abs)
        check_e = np.asarray(check_e) * HARTREE_EV
        lines = _potential_lines(cell, mf) if settings.extra.get("potential_lines") else None
    kfrac = cell.get_scaled_kpts(kpts)
    wall = time.perf_counter() - t0
    prov = {"code": "PySCF", "pyscf_version": pyscf.__version__, "method": "pbc.dft.KRKS + " + settings.extra.get("df", "gdf").upper(),
            "settings": asdict(settings), "structure_digest": structure.digest(),
            "energy_Ha": float(mf.e_tot), "occupation_sum_per_cell": round(occ_sum, 6), "nelectron_per_cell": int(cell.nelectron),
            "wall_time_s": round(wall, 1), "cache_key": cache_key(structure, settings),
            "units": "eV for energies and Fock matrices, Å for lengths"}
    if lines is not None:
        prov.update(lines)
    logger.info("DFT %s: E = %.6f Ha, E_F = %.3f eV in %.1f s", structure.name, mf.e_tot, fermi,
                wall)
    return DFTResult(structure, settings, kfrac, fock, ovlp, fermi, mesh_e, ck_frac, check_e,
                     list(cell.ao_labels()), prov)


def cached_path(structure: Structure, settings: DFTSettings | None = None,
                cache_dir=None) -> Path | None:
    """The cache file (``.h5``, else legacy ``.npz``) named for these inputs, or None.

    Only the name is checked; :func:`load_or_run` verifies the stored key when it reads it.

    Parameters
    ----------
    structure : Structure
        The cell (Å).
    settings : DFTSettings, optional
        The settings (default :class:`DFTSettings`).
    cache_dir : str or pathlib.Path, optional
        Folder to look in (default :data:`CACHE_DIR`).

    Returns
    -------
    pathlib.Path or None
        The existing file, or ``None``.
    """
    settings = DFTSettings() if settings is None else settings
    folder = CACHE_DIR if cache_dir is None else Path(cache_dir)
    stem = f"{structure.name}-{cache_key(structure, settings)[:16]}"
    for candidate in (folder / f"{stem}.h5", folder / f"{stem}.npz"):
        if candidate.exists():
            return candidate
    return None


def load_or_run(structure: Structure, settings: DFTSettings | None = None, *,
                cache_dir=None, compute: bool = True, max_dft_s: float = MAX_DFT_S,
                max_dft_bytes: float = MAX_DFT_BYTES) -> DFTResult:
    """Return the cached result for these inputs, or run DFT and cache it.

    Parameters
    ----------
    structure : Structure
        The cell (Å); with ``settings`` its hash names the file ``<name>-<hash[:16]>.h5`` (a
        legacy ``<name>-<hash[:16]>.npz`` is read when no ``.h5`` exists).
    settings : DFTSettings, optional
        The settings (default :class:`DFTSettings`).
    cache_dir : path, optional
        Default :data:`CACHE_DIR` (the shipped cache).
    compute : bool
        If False, a missing cache entry is an error instead of a DFT run.
    max_dft_s, max_dft_bytes : float
        Limits of the estimated time (s) and memory (bytes) of a fresh run (:func:`check_cost`):
        above them the run is refused before PySCF starts, with the estimate.

    Returns
    -------
    DFTResult
        The cached or freshly computed calculation.

    Raises
    ------
    TypeError
        ``structure`` or ``settings`` of the wrong type.
    ValueError
        No usable cache entry and ``compute=False``.

    Notes
    -----
    A cache file is used only if the inputs stored in it hash to the requested key (checked on
    every load, :meth:`DFTResult.load`). A file that fails the check — edited, corrupted, or
    another calculation under this name — is never used: with ``compute=False`` it is a
    ``ValueError``; with ``compute=True`` it is logged and replaced by a fresh calculation
    (written atomically).
    """
    settings = DFTSettings() if settings is None else settings
    if not isinstance(structure, Structure):
        raise TypeError(f"structure must be a Structure, got {type(structure).__name__}")
    if not isinstance(settings, DFTSettings):
        raise TypeError(f"settings must be a DFTSettings, got {type(settings).__name__}")
    compute = check_bool("compute", compute)
    check_real("max_dft_s", max_dft_s, low=0.0, low_open=True, allow_inf=True)
    check_real("max_dft_bytes", max_dft_bytes, low=0.0, low_open=True, allow_inf=True)
    folder = CACHE_DIR if cache_dir is None else Path(cache_dir)
    key = cache_key(structure, settings)
    stem = f"{structure.name}-{key[:16]}"
    path = folder / f"{stem}.h5"
    for candidate in (path, folder / f"{stem}.npz"):
        if not candidate.exists():
            continue
        try:
            res = DFTResult.load(candidate)
            if res.provenance.get("cache_key") != key:
                raise ValueError(f"cache file {str(candidate)!r} holds the inputs with key "
                                 f"{res.provenance.get('cache_key')!r}, requested {key!r}")
        except ValueError as exc:
            if not compute:
                raise
            logger.warning("not using %s (%s); recomputing", candidate, exc)
            break
        return res
    if not compute:
        raise FileNotFoundError(f"no cached DFT result for {structure.name} (key {key[:16]}) in "
                                f"{str(folder)!r}; run with compute=True (needs PySCF)")
    res = run_dft(structure, settings, max_dft_s=max_dft_s, max_dft_bytes=max_dft_bytes)
    res.save(path)
    return res
