"""Periodic Kohn-Sham DFT with PySCF (optional dependency, imported lazily) and its on-disk cache.

:func:`run_dft` runs a restricted k-point KS-DFT (``pyscf.pbc.dft.KRKS``) on a
:class:`~qtransport.first_principles.structure.Structure` and returns a :class:`DFTResult`: the
converged Kohn-Sham matrix F(k) and overlap S(k) of the Gaussian (non-orthogonal) basis on the
Γ-centred k mesh (eV), the Fermi level, and, as an independent check, the DFT eigenvalues on a
second set of k points *not* in the mesh (non-self-consistent bands from the converged density,
``KRKS.get_bands``). :func:`load_or_run` keys an ``.npz`` file (no pickle) by the SHA-256 of every
input (geometry and :class:`DFTSettings`); the PySCF version and all settings go in provenance.

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

from ..errors import check_choice, check_int, check_real
from ..infra import atomic_path
from .structure import Structure

__all__ = ["DFTSettings", "DFTResult", "run_dft", "load_or_run", "cache_key", "CACHE_DIR",
           "HARTREE_EV", "pyscf_available", "fermi_level"]

logger = logging.getLogger(__name__)

#: Hartree energy in eV (CODATA via scipy.constants).
HARTREE_EV = _c.physical_constants["Hartree energy in eV"][0]

#: Shipped cache (``data/first_principles``), read by tests and the pipeline.
CACHE_DIR = Path(__file__).resolve().parents[1] / "data" / "first_principles"

_FORMAT = 1


def pyscf_available() -> bool:
    """True when PySCF can be imported (it is optional)."""
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
        for ax, (n, per) in enumerate(zip(self.kmesh, structure.periodic)):
            if not per and n != 1:
                raise ValueError(f"kmesh[{ax}] must be 1 along the non-periodic axis {ax}, got {n}")
            if per and n % 2 == 0 and n != 1:
                raise ValueError(f"kmesh[{ax}] must be odd (symmetric real-space cells), got {n}")


def cache_key(structure: Structure, settings: DFTSettings) -> str:
    """SHA-256 of the structure, the settings and the file-format version."""
    payload = {"structure": structure.digest(), "settings": asdict(settings), "format": _FORMAT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass
class DFTResult:
    """A converged periodic DFT calculation in a form the tight-binding layer uses.

    Attributes
    ----------
    structure, settings : Structure, DFTSettings
    kpts_frac : ndarray (nk, 3)
        Mesh k points in reduced (fractional) coordinates.
    fock_eV, overlap : ndarray (nk, nao, nao) complex
        Kohn-Sham matrix (eV) and basis overlap in the Bloch basis
        φ_μk = Σ_T e^{ik·T} φ_μ(r − T).
    fermi_eV : float
        Fermi level (chemical potential of the smeared occupations; mid-gap for insulators).
    mesh_bands_eV : ndarray (nk, nao)
        DFT eigenvalues on the mesh.
    check_kpts_frac : ndarray (nc, 3); check_bands_eV : ndarray (nc, nao)
        Off-mesh k points and the DFT eigenvalues there (the validation set).
    ao_labels : list of str
    provenance : dict
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
        return int(self.fock_eV.shape[1])

    def save(self, path) -> Path:
        """Write an ``.npz`` atomically and durably (:func:`qtransport.infra.atomic_path`:
        temporary file, fsync, rename, folder fsync; never half-written)."""
        path = Path(path)
        meta = {"structure": self.structure.as_dict(), "settings": asdict(self.settings),
                "ao_labels": list(self.ao_labels), "provenance": self.provenance,
                "fermi_eV": self.fermi_eV}
        with atomic_path(path, suffix=".npz.tmp") as tmp:
            with open(tmp, "wb") as fh:
                np.savez_compressed(fh, kpts_frac=self.kpts_frac, fock_eV=self.fock_eV,
                                    overlap=self.overlap, mesh_bands_eV=self.mesh_bands_eV,
                                    check_kpts_frac=self.check_kpts_frac,
                                    check_bands_eV=self.check_bands_eV,
                                    meta=np.array(json.dumps(meta, sort_keys=True)))
        return path

    @classmethod
    def load(cls, path) -> "DFTResult":
        """Read a file written by :meth:`save` (``allow_pickle=False``)."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            raise ValueError(f"path {str(path)!r} is not a readable DFT cache file: {exc}") from exc
        for k in ("kpts_frac", "fock_eV", "overlap", "mesh_bands_eV", "check_kpts_frac",
                  "check_bands_eV", "meta"):
            if k not in arrays:
                raise ValueError(f"path {str(path)!r}: DFT cache file lacks the array {k!r}")
        meta = json.loads(str(arrays["meta"]))
        st = meta["structure"]
        structure = Structure(tuple(st["symbols"]), tuple(map(tuple, st["positions"])),
                              tuple(map(tuple, st["cell"])), tuple(st["periodic"]), st["name"])
        sd = dict(meta["settings"])
        sd["kmesh"] = tuple(sd["kmesh"])
        settings = DFTSettings(**sd)
        return cls(structure, settings, arrays["kpts_frac"], arrays["fock_eV"], arrays["overlap"],
                   float(meta["fermi_eV"]), arrays["mesh_bands_eV"], arrays["check_kpts_frac"],
                   arrays["check_bands_eV"], list(meta["ao_labels"]), meta["provenance"])


def fermi_level(bands_eV: np.ndarray, n_electrons: int, sigma_eV: float) -> float:
    """Chemical potential (eV) that puts n_electrons per cell in the mesh bands.

    Fermi-Dirac occupations 2 f((ε − μ)/σ) averaged over the mesh (σ > 0), or mid-gap between
    the highest occupied and lowest empty level for σ = 0 (even electron count).
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


def run_dft(structure: Structure, settings: DFTSettings | None = None, *,
            verbose: int = 0, log_file: str | None = None) -> DFTResult:
    """Run the periodic KS-DFT calculation (needs PySCF).

    Parameters
    ----------
    structure : Structure
    settings : DFTSettings, optional
    verbose : int
        PySCF verbosity (0 silent).

    Returns
    -------
    DFTResult

    Raises
    ------
    ImportError
        PySCF is not installed (``pip install pyscf``; ``make`` installs it).
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
        from pyscf.pbc import gto
        from pyscf.pbc.scf.addons import smearing_
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("run_dft needs the optional dependency PySCF (pip install pyscf); "
                          "the shipped cache in data/first_principles needs no PySCF") from exc
    t0 = time.perf_counter()
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


def load_or_run(structure: Structure, settings: DFTSettings | None = None, *,
                cache_dir=None, compute: bool = True) -> DFTResult:
    """Return the cached result for these inputs, or run DFT and cache it.

    Parameters
    ----------
    structure, settings
        Inputs (their hash names the file ``<name>-<hash[:16]>.npz``).
    cache_dir : path, optional
        Default :data:`CACHE_DIR` (the shipped cache).
    compute : bool
        If False, a missing cache entry is an error instead of a DFT run.
    """
    settings = DFTSettings() if settings is None else settings
    folder = CACHE_DIR if cache_dir is None else Path(cache_dir)
    key = cache_key(structure, settings)
    path = folder / f"{structure.name}-{key[:16]}.npz"
    if path.exists():
        res = DFTResult.load(path)
        if res.provenance.get("cache_key") != key:
            raise ValueError(f"cache file {str(path)!r} has key {res.provenance.get('cache_key')!r}, "
                             f"expected {key!r}")
        return res
    if not compute:
        raise FileNotFoundError(f"no cached DFT result for {structure.name} (key {key[:16]}) in "
                                f"{str(folder)!r}; run with compute=True (needs PySCF)")
    res = run_dft(structure, settings)
    res.save(path)
    return res
