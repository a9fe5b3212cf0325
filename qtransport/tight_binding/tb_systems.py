"""Kwant systems from a :class:`~qtransport.tight_binding.tb_model.TightBindingModel`.

Every Wannier orbital becomes a Kwant sublattice (one orbital per site) at its Wannier centre; the
block H_mn(R)/N_deg(R) becomes the hopping from orbital n in cell R to orbital m in cell 0. From
the bulk template (full translational symmetry) the module cuts

* :func:`bulk` — the infinite crystal, for band structures through ``kwant.wraparound``;
* :func:`lead` — a ribbon (2-D model) or wire (3-D model) infinite along one lattice translation;
* :func:`slab` — a 3-D model finite along one lattice axis, periodic along the others;
* :func:`ribbon` — a finite ribbon/wire of ``length_cells`` between two semi-infinite leads.

The registered model ``"tb_systems.ribbon_conductance"`` (formerly ``"wannier.ribbon_conductance"``) gives G(E) of a clean ribbon through the
shared MUMPS solver and :class:`~qtransport.results.Result`.

Examples
--------
>>> from qtransport.tight_binding import wannier, tb_systems
>>> fsyst = tb_systems.ribbon(wannier.example("graphene"), (1, 0), width_cells=3, length_cells=2)
>>> r = tb_systems.conductance(fsyst, [0.1])
>>> round(float(r[0]), 8)                 # zigzag ribbon: one edge-state channel at small |E|
1.0
"""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from ..errors import check_array, check_choice, check_int, check_real, check_work
from ..errors import MAX_ENERGY_EV
from ..registry import Param, register
from ..results import Result
from .lattice import check_unitarity, smatrix
from .tb_model import TightBindingModel

__all__ = ["space_dimension", "kwant_lattice", "bulk", "lead", "slab", "ribbon", "ribbon_system",
           "conductance",
           "ribbon_builder", "edge_translation", "transverse_spacing_nm",
           "ribbon_conductance"]

logger = logging.getLogger(__name__)
#: default most orbitals (sites × orbitals) of a ribbon's scattering region (``max_sites=``)
MAX_SITES = 10**6


def space_dimension(model: TightBindingModel) -> int:
    """Number of leading Cartesian axes needed for the periodic vectors and all orbital positions.

    A 2-D model in the xy plane gives 2 (so Kwant positions and plots are 2-D), a chain along x 1.

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).

    Returns
    -------
    int
        1, 2 or 3.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> space_dimension(wannier.example('graphene'))
    2
    """
    lat = model._require_lattice()
    vecs = np.vstack([lat[list(model.periodic_axes)], model.orbital_positions_nm])
    used = np.flatnonzero(np.any(np.abs(vecs) > 1e-12 * np.max(np.abs(lat)), axis=0))
    dim = int(used.max()) + 1 if used.size else 1
    return max(dim, len(model.periodic_axes), 1)


def kwant_lattice(model: TightBindingModel):
    """``kwant.lattice.Polyatomic`` of the periodic vectors with one sublattice per orbital.

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).

    Returns
    -------
    kwant.lattice.Polyatomic
        The lattice (positions in nm).

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> lat = kwant_lattice(wannier.example('graphene'))
    >>> len(lat.sublattices)
    2
    """
    import kwant
    dim = space_dimension(model)
    lat = model._require_lattice()
    prim = [lat[i][:dim] for i in model.periodic_axes]
    basis = [p[:dim] for p in model.orbital_positions_nm]
    return kwant.lattice.general(prim, basis, name=list(model.orbital_names), norbs=1)


def _canonical(R: Sequence[int]) -> bool:
    """True for the half of the nonzero R that is lexicographically positive."""
    for x in R:
        if x:
            return x > 0
    return False


def bulk(model: TightBindingModel, min_abs_eV: float = 0.0):
    """Kwant builder of the infinite crystal (translational symmetry along every periodic axis).

    Parameters
    ----------
    model : TightBindingModel
        Needs lattice vectors (``read_hr`` companions or keywords).
    min_abs_eV : float
        Hoppings with |H_mn(R)/N_deg| below this (eV) are not added.

    Returns
    -------
    kwant.Builder
        The template from which :func:`lead`, :func:`slab` and :func:`ribbon` are filled; wrap it
        with ``kwant.wraparound.wraparound`` for bands (parameters ``k_x, k_y, k_z`` are the Bloch
        phases k·a_i of the periodic axes in order).

    Raises
    ------
    ValueError
        If an argument is invalid: `min_abs_eV` must be >= 0; `min_abs_eV` must not remove every
        hopping between cells.
    TypeError
        If an argument has the wrong type: `min_abs_eV` is not a real number.
    """
    import kwant
    cut = check_real("min_abs_eV", min_abs_eV, low=0.0)
    model = model.with_cutoff(cut) if cut else model
    inter = np.any(model.R != 0, axis=1)
    if not np.any(model.hoppings_eV[inter]):
        raise ValueError(f"min_abs_eV = {cut} removes every hopping between cells (largest "
                         f"|H/N_deg| is {np.max(np.abs(model.blocks()[inter]), initial=0.0):.4g} eV)")
    lat = kwant_lattice(model)
    axes = list(model.periodic_axes)
    dim = space_dimension(model)
    cell = model._require_lattice()
    template = kwant.Builder(kwant.TranslationalSymmetry(*[cell[i][:dim] for i in axes]))
    subs = lat.sublattices
    zero_tag = (0,) * len(axes)
    blocks = model.blocks()
    zero = model.index_of((0, 0, 0)) if np.any(np.all(model.R == 0, axis=1)) else None
    for m, sub in enumerate(subs):
        template[sub(*zero_tag)] = blocks[zero, m, m].real if zero is not None else 0.0
    for r, vec in enumerate(model.R.tolist()):
        delta = tuple(-vec[i] for i in axes)
        for m in range(model.num_orbitals):
            for n in range(model.num_orbitals):
                value = blocks[r, m, n]
                half = _canonical(vec) or (not any(vec) and m < n)
                if value == 0 or not half:
                    continue
                template[kwant.builder.HoppingKind(delta, subs[m], subs[n])] = complex(value)
    return template


def _transverse_basis(translation_cart: np.ndarray, dim: int) -> np.ndarray:
    """Orthonormal rows spanning the directions perpendicular to the translation."""
    t = translation_cart / np.linalg.norm(translation_cart)
    basis = np.linalg.svd(np.eye(dim) - np.outer(t, t))[0][:, : dim - 1].T
    # fix signs so that each transverse axis points "up" along its largest component
    return basis * np.sign(basis[np.arange(dim - 1), np.argmax(np.abs(basis), axis=1)])[:, None]


def _translation_cart(model: TightBindingModel, translation: Sequence[int]) -> np.ndarray:
    axes = model.periodic_axes
    T = np.asarray(translation)
    if T.shape != (len(axes),) or not np.all(T == np.round(T)) or not np.any(T):
        raise ValueError(f"translation must be {len(axes)} integers (not all 0) in units of the "
                         f"periodic lattice vectors {axes}, got {translation!r}")
    cell = model._require_lattice()
    return (T.astype(int) @ cell[list(axes)])[: space_dimension(model)]


def transverse_spacing_nm(model: TightBindingModel, translation: Sequence[int]) -> float:
    """Distance between neighbouring lattice lines parallel to ``translation`` (2-D models).

    Cell area / |T| for a primitive T: √3a/2 for a zigzag, a/2 for an armchair graphene edge.

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).
    translation : sequence of int
        Ribbon period in units of the periodic lattice vectors.

    Returns
    -------
    float
        Line spacing, nm.

    Raises
    ------
    ValueError
        The model is not 2-D.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> m = wannier.example('graphene')
    >>> round(transverse_spacing_nm(m, edge_translation(m, 'zigzag')), 4)
    0.213
    """
    if len(model.periodic_axes) != 2:
        raise ValueError("transverse_spacing_nm needs a model with 2 periodic axes, got "
                         f"{len(model.periodic_axes)}")
    T = _translation_cart(model, translation)
    cell = model._require_lattice()[list(model.periodic_axes)]
    area = abs(np.linalg.det(cell[:, :2])) if cell.shape[1] >= 2 else 0.0
    g = int(np.gcd.reduce(np.abs(np.asarray(translation, dtype=int))))
    return float(area / np.linalg.norm(T) * g)


def _cross_section(model, translation, width_nm) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dim = space_dimension(model)
    T = _translation_cart(model, translation)
    basis = _transverse_basis(T, dim) if dim > 1 else np.zeros((0, 1))
    widths = np.atleast_1d(np.asarray(width_nm, dtype=float))
    if widths.shape != (len(basis),):
        raise ValueError(f"width_nm needs {len(basis)} value(s) (one per transverse direction of a "
                         f"{dim}-D model), got {width_nm!r}")
    check_array("width_nm", widths if widths.size else [1.0], low=0.0, low_open=True)
    return T, basis, widths


def _in_section(pos, basis, widths, margin) -> bool:
    x = basis @ pos if len(basis) else np.zeros(0)
    return bool(np.all(x >= -margin) and np.all(x < widths - margin))


def lead(model: TightBindingModel, translation: Sequence[int], width_nm=(), min_abs_eV: float = 0.0):
    """Kwant builder infinite along the lattice ``translation``, finite across it.

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).
    translation : sequence of int
        Period of the lead in units of the periodic lattice vectors, e.g. (1, 0) = a1.
    width_nm : float or sequence of float
        Widths along the transverse directions (none for a chain, one for a 2-D model, two for a
        3-D model). Sites with 0 ≤ x_⊥ < width (shifted by 1e-3 of the width, so that lattice
        lines on the boundary are counted once) are kept.
    min_abs_eV : float, optional
        Hoppings below this magnitude are dropped, eV (≥ 0).

    Returns
    -------
    kwant.Builder
        Builder with a translational symmetry (the lead), values in eV.
    """
    import kwant
    T, basis, widths = _cross_section(model, translation, width_nm)
    margin = 1e-3 * (widths.min() if widths.size else 1.0)
    out = kwant.Builder(kwant.TranslationalSymmetry(T))
    template = bulk(model, min_abs_eV)
    start = basis.T @ (widths / 2) if len(basis) else np.zeros(len(T))
    out.fill(template, lambda site: _in_section(site.pos, basis, widths, margin), start)
    return out


def slab(model: TightBindingModel, normal_axis: int, thickness_cells: int, min_abs_eV: float = 0.0):
    """Kwant builder of a 3-D model finite along lattice axis ``normal_axis`` (cells 0 … n−1).

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).
    normal_axis : int
        Periodic lattice axis (0–2) the slab is finite along.
    thickness_cells : int
        Cells along ``normal_axis`` (≥ 1).
    min_abs_eV : float, optional
        Hoppings below this magnitude are dropped, eV (≥ 0).

    Returns
    -------
    kwant.Builder
        Builder periodic along the other axes, values in eV.

    Raises
    ------
    ValueError
        ``normal_axis`` is not periodic, or the model has fewer than 2 periodic axes.
    """
    import kwant
    axes = model.periodic_axes
    ax = check_int("normal_axis", normal_axis, low=0, high=2)
    if ax not in axes or len(axes) < 2:
        raise ValueError(f"normal_axis must be one of the periodic axes {axes} of a model with >= 2 "
                         f"of them, got {normal_axis}")
    n = check_int("thickness_cells", thickness_cells, low=1)
    dim = space_dimension(model)
    cell = model._require_lattice()
    inplane = [cell[i][:dim] for i in axes if i != ax]
    normal = np.cross(*inplane) if len(inplane) == 2 else np.array([-inplane[0][1], inplane[0][0]])
    normal = normal / np.linalg.norm(normal)
    step = abs(float(cell[ax][:dim] @ normal))
    out = kwant.Builder(kwant.TranslationalSymmetry(*inplane))
    shape = (lambda site: -1e-3 * step <= site.pos @ normal - _min_proj(model, normal, dim)
             < (n - 1e-3) * step)
    out.fill(bulk(model, min_abs_eV), shape, np.zeros(dim) + _min_proj(model, normal, dim) * normal)
    return out


def _min_proj(model, normal, dim) -> float:
    return float(np.min(model.orbital_positions_nm[:, :dim] @ normal))


def _estimated_orbitals(model: TightBindingModel, T: np.ndarray, widths: np.ndarray,
                        length_cells: int) -> float:
    """Orbitals in ``length_cells`` periods of a lead: (|T| · Π widths / cell measure) · n_orb."""
    dim = space_dimension(model)
    cell = model._require_lattice()[list(model.periodic_axes)][:, :dim]
    measure = float(np.sqrt(abs(np.linalg.det(cell @ cell.T))))
    if measure <= 0:
        return 0.0
    return float(np.linalg.norm(T) * np.prod(widths) / measure * length_cells
                 * model.num_orbitals)


def ribbon_builder(model: TightBindingModel, translation: Sequence[int], width_nm=None,
                   length_cells: int = 1, *, width_cells: int | None = None,
                   min_abs_eV: float = 0.0, max_sites: int = MAX_SITES):
    """Unfinalized :func:`ribbon` (leads attached), to modify before finalizing.

    The scattering region is exactly ``length_cells`` unit cells of the lead (Kwant's
    fundamental domain of the translation, cell indices 0 … L−1), so ``attach_lead`` adds no
    sites; edit them (e.g. a barrier's on-site energies) and call ``.finalized()``. A region
    estimated to hold more than ``max_sites`` orbitals is refused before building
    (``WorkLimitError``).

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).
    translation : sequence of int
        Ribbon period in units of the periodic lattice vectors.
    width_nm : float or sequence of float, optional
        Transverse widths, nm (see :func:`lead`).
    length_cells : int, optional
        Periods in the scattering region (≥ 1).
    width_cells : int, optional
        2-D models: lattice lines parallel to the translation (replaces ``width_nm``).
    min_abs_eV : float, optional
        Hoppings below this magnitude are dropped, eV (≥ 0).
    max_sites : int, optional
        Refuse larger scattering regions (orbitals).

    Returns
    -------
    kwant.Builder
        Unfinalized ribbon, two leads attached.

    Raises
    ------
    TypeError
        ``model`` is not a TightBindingModel.
    """
    import kwant
    if not isinstance(model, TightBindingModel):
        raise TypeError(f"model must be a TightBindingModel, got {model!r}")
    L = check_int("length_cells", length_cells, low=1)
    if width_cells is not None:
        width_nm = check_int("width_cells", width_cells, low=1) * transverse_spacing_nm(
            model, translation)
    width_nm = () if width_nm is None else width_nm
    T, basis, widths = _cross_section(model, translation, width_nm)
    check_work("max_sites", _estimated_orbitals(model, T, widths, L),
               check_int("max_sites", max_sites, low=1), unit="orbitals",
               hint=f"length_cells = {L} periods × cross-section widths {widths.tolist()} nm")
    margin = 1e-3 * (widths.min() if widths.size else 1.0)
    lead_builder = lead(model, translation, width_nm, min_abs_eV)
    sym = lead_builder.symmetry

    def shape(site):   # exactly L unit cells of the lead: attach_lead then adds no sites
        return (_in_section(site.pos, basis, widths, margin)
                and 0 <= sym.which(site)[0] < L)
    syst = kwant.Builder()
    syst.fill(bulk(model, min_abs_eV), shape, _start_site(lead_builder, shape))
    syst.attach_lead(lead_builder)
    syst.attach_lead(lead_builder.reversed())
    logger.debug("ribbon: %d sites, translation %s", len(syst.sites()), tuple(translation))
    return syst


def _start_site(lead_builder, shape):
    """A site of the lead's fundamental domain (cell 0) inside the shape, to seed the fill."""
    for site in lead_builder.sites():
        if shape(site):
            return site
    raise ValueError("the ribbon cross-section contains no site")


def ribbon(model: TightBindingModel, translation: Sequence[int], width_nm=None, length_cells: int = 1,
           *, width_cells: int | None = None, min_abs_eV: float = 0.0,
           max_sites: int = MAX_SITES):
    """Finalized finite ribbon/wire of ``length_cells`` periods with a lead on each side.

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors.
    translation : sequence of int
        Ribbon period in units of the periodic lattice vectors.
    width_nm : float or sequence of float, optional
        Transverse widths (see :func:`lead`).
    length_cells : int
        Periods in the scattering region.
    width_cells : int, optional
        2-D models: number of lattice lines parallel to the translation (zigzag chains or
        armchair dimer lines for graphene); replaces ``width_nm``.
    min_abs_eV : float
        Hopping cut-off (eV).
    max_sites : int
        Refuse (``WorkLimitError``) a scattering region of more orbitals than this.

    Returns
    -------
    kwant.system.FiniteSystem
        The finalized ribbon, two leads (Hamiltonian in eV, positions in nm).
    """
    return ribbon_builder(model, translation, width_nm, length_cells, width_cells=width_cells,
                          min_abs_eV=min_abs_eV, max_sites=max_sites).finalized()


def conductance(fsyst, energies_eV, params: dict | None = None, *,
                progress: bool | None = None) -> np.ndarray:
    """Two-terminal G(E) = T_{1←0}(E) in units of G0 (spin-degenerate), checked for unitarity.

    ``progress``: a bar over the energies (:func:`qtransport.infra.progress`).

    Parameters
    ----------
    fsyst : kwant.system.FiniteSystem
        Finalized two-terminal system.
    energies_eV : array_like
        Energies, eV (the model's zero).
    params : dict, optional
        Parameters of the value functions.
    progress : bool, optional
        Progress bar over the energies.

    Returns
    -------
    numpy.ndarray
        G at each energy, units of G0 = 2e²/h.

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.
    """
    from ..infra import progress as _progress
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    G = np.empty(E.size)
    for i, energy in enumerate(_progress(E, desc="energies", enable=progress)):
        try:
            smat = smatrix(fsyst, float(energy), params=params)
        except np.linalg.LinAlgError:     # e.g. graphene's Dirac point: the lead modes degenerate
            raise ValueError(f"energies_eV: the leads have no well-defined modes at E = "
                             f"{float(energy):g} eV (a band edge or a degeneracy point such as "
                             f"graphene's Dirac point); shift the energy slightly") from None
        check_unitarity(smat, float(energy))
        G[i] = smat.transmission(1, 0)
    return G


def edge_translation(model: TightBindingModel, edge: str) -> tuple[int, int]:
    """Lattice translation of a ``"zigzag"`` or ``"armchair"`` ribbon of a hexagonal 2-D model.

    Zigzag edges run along a1; armchair along a1 + 2a2 (a2 at 120° to a1) or −a1 + 2a2 (60°).

    Parameters
    ----------
    model : TightBindingModel
        Model with lattice vectors (nm) and hoppings (eV).
    edge : {"zigzag", "armchair"}
        Edge type.

    Returns
    -------
    tuple of int
        The translation (n1, n2).

    Raises
    ------
    ValueError
        The model is not 2-D hexagonal, or a bad ``edge``.

    Examples
    --------
    >>> from qtransport.tight_binding import wannier
    >>> edge_translation(wannier.example('graphene'), 'zigzag')
    (1, 0)
    """
    check_choice("edge", edge, ("zigzag", "armchair"))
    cell = model._require_lattice()
    axes = model.periodic_axes
    if len(axes) != 2:
        raise ValueError(f"edge {edge!r} needs a 2-D model, this one has periodic axes {axes}")
    a1, a2 = cell[axes[0]], cell[axes[1]]
    cos = a1 @ a2 / np.linalg.norm(a1) / np.linalg.norm(a2)
    if not (np.isclose(np.linalg.norm(a1), np.linalg.norm(a2)) and np.isclose(abs(cos), 0.5)):
        raise ValueError("zigzag/armchair need a hexagonal lattice (|a1| = |a2|, 60° or 120°); "
                         "pass translation=[n1, n2] instead")
    if edge == "zigzag":
        return (1, 0)
    return (-1, 2) if cos > 0 else (1, 2)


@register("tb_systems.ribbon_conductance", aliases=("wannier.ribbon_conductance",), summary="G(E) of a clean ribbon cut from a Wannier90 model",
          params=[
              Param("energies_eV", "array", doc="energies (eV, the model's zero)"),
              Param("model", str, default="graphene",
                    file_suffix="_hr.dat",
                    doc="bundled example (graphene, hbn_like, chain) or path to a _hr.dat file"),
              Param("edge", str, default="zigzag", choices=("zigzag", "armchair"),
                    doc="ribbon orientation of a hexagonal model (ignored if translation given)"),
              Param("translation", "array", default=None, optional=True,
                    doc="ribbon period in lattice vectors, e.g. [1, 0]"),
              Param("width_cells", int, default=4, low=1, doc="lattice lines across the ribbon"),
              Param("length_cells", int, default=4, low=1, doc="periods in the scattering region"),
              Param("min_abs_eV", float, default=0.0, low=0.0, doc="hopping cut-off (eV)"),
              Param("max_sites", int, low=1,
                    doc="refuse ribbons of more orbitals than this (raise for big runs)")])
def ribbon_conductance(energies_eV, model: str = "graphene", edge: str = "zigzag",
                       translation=None, width_cells: int = 4, length_cells: int = 4,
                       min_abs_eV: float = 0.0, max_sites: int = MAX_SITES) -> Result:
    """Conductance G(E) (units of G0) of a clean ribbon built from a tight-binding model.

    Parameters
    ----------
    energies_eV : array_like
        Energies in eV (same zero as the model).
    model : str
        Bundled example name or path to ``seedname_hr.dat`` (with companion geometry).
    edge : {"zigzag", "armchair"}
        Orientation for hexagonal 2-D models; ``translation`` overrides it.
    translation : array_like of int, optional
        Ribbon period in units of the periodic lattice vectors.
    width_cells, length_cells : int
        Lattice lines across, periods along the scattering region.
    min_abs_eV : float
        Hopping cut-off in eV.
    max_sites : int
        Refuse (``WorkLimitError``) a scattering region of more orbitals than this.

    Returns
    -------
    Result
        ``energies_eV``, ``conductance_G0``, ``open_modes`` (propagating modes of the lead).

    Raises
    ------
    ValueError
        If an argument is invalid: `energies_eV` must be an array of finite numbers >= -1000
        and <= 1000.
    TypeError
        If an argument has the wrong type: `energies_eV` is not an array of real numbers.

    Notes
    -----
    Landauer: G = G0 T(E); a clean ribbon has G = number of open modes (integer plateaus).
    Zigzag graphene ribbons carry one extra edge-state channel, so G = G0 near E = 0
    (Brey & Fertig, Phys. Rev. B 73, 235411 (2006)); armchair ribbons are metallic only for
    width_cells = 3M + 2.

    Examples
    --------
    A zigzag graphene ribbon conducts through its edge-state channel near E = 0; this armchair
    ribbon (4 lines) is gapped there:

    >>> import numpy as np
    >>> np.rint(ribbon_conductance([0.1, 0.5], edge="zigzag").conductance_G0).tolist()
    [1.0, 1.0]
    >>> np.rint(ribbon_conductance([0.1, 0.5], edge="armchair").conductance_G0).tolist()
    [0.0, 0.0]
    """
    E = check_array("energies_eV", energies_eV, low=-MAX_ENERGY_EV, high=MAX_ENERGY_EV)
    syst, tb, T = _named_ribbon(model, edge, translation, width_cells, length_cells, min_abs_eV,
                                max_sites)
    fsyst = syst.finalized()
    G = conductance(fsyst, E)
    modes = np.array([_open_modes(fsyst, float(e)) for e in E])
    params = {"model": model, "edge": edge, "translation": list(T), "width_cells": width_cells,
              "length_cells": length_cells, "min_abs_eV": min_abs_eV}
    return Result("tb_systems.ribbon_conductance", params,
                  {"energies_eV": E, "conductance_G0": G, "open_modes": modes},
                  {"sites": len(fsyst.sites), "orbitals_per_cell": tb.num_orbitals})


def ribbon_system(model: str = "graphene", edge: str = "zigzag", translation=None,
                  width_cells: int = 4, length_cells: int = 4, min_abs_eV: float = 0.0, *,
                  max_sites: int = MAX_SITES):
    """The ribbon of :func:`ribbon_conductance` as an unfinalized Kwant Builder, leads attached.

    Same parameters as :func:`ribbon_conductance` without the energies; ``model`` is a bundled
    example name or a path to ``seedname_hr.dat``. Values are the Wannier hopping matrices
    (numbers, no ``params``); positions in nm. ``syst.leads[0]``/``[1]`` are the two leads.

    Parameters
    ----------
    model : str, optional
        Bundled example name or path to ``seedname_hr.dat``.
    edge : {"zigzag", "armchair"}, optional
        Orientation of a hexagonal 2-D model (``translation`` overrides it).
    translation : array_like of int, optional
        Ribbon period in units of the periodic lattice vectors.
    width_cells : int, optional
        Lattice lines across the ribbon (≥ 1).
    length_cells : int, optional
        Periods of the scattering region (≥ 1).
    min_abs_eV : float, optional
        Hoppings below this magnitude are dropped, eV (≥ 0).
    max_sites : int, optional
        Refuse larger scattering regions (orbitals).

    Returns
    -------
    kwant.Builder
        Unfinalized ribbon with two leads.

    Examples
    --------
    >>> import kwant
    >>> syst = ribbon_system("graphene", "zigzag", width_cells=3, length_cells=2)
    >>> fsyst = syst.finalized()          # kwant.plot(syst) draws the honeycomb ribbon
    >>> len(fsyst.leads)
    2
    """
    return _named_ribbon(model, edge, translation, width_cells, length_cells, min_abs_eV,
                         max_sites)[0]


def _named_ribbon(model, edge, translation, width_cells, length_cells, min_abs_eV, max_sites):
    from .wannier import load
    check_int("width_cells", width_cells, low=1)
    check_int("length_cells", length_cells, low=1)
    tb = load(model)
    if translation is not None:
        tr = check_array("translation", translation, ndim=1)
        if np.any(tr != np.round(tr)) or not np.any(tr):
            raise ValueError(f"translation must be a nonzero vector of integers, got "
                             f"{tr.tolist()}")
    T = (edge_translation(tb, edge) if translation is None
         else tuple(int(round(x)) for x in np.atleast_1d(translation)))
    width = width_cells if len(tb.periodic_axes) == 2 else None
    syst = ribbon_builder(tb, T, length_cells=length_cells, width_cells=width,
                          min_abs_eV=min_abs_eV, max_sites=max_sites)
    return syst, tb, T


def _open_modes(fsyst, energy: float) -> int:
    prop, _ = fsyst.leads[0].modes(energy)
    return int(prop.velocities.size // 2)
