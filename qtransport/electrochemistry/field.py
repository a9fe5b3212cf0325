"""Electrostatic potential of an ECM cell on its lattice: Laplace in the electrolyte, the metal
pieces as conductors, the filament as a series of column resistances.

The box of :mod:`.ecm` (``length`` × ``width`` × ``width`` sites of spacing a) lies between the
cathode plane x = −1 (potential 0) and the anode plane x = L (potential V_cell); its side walls
are insulating (no flux). Every potential here is in units of V_cell (the cathode at 0, the
anode at 1), so one solve per configuration serves every cell voltage.

* **Electrolyte** (empty sites and ions, no space charge): the discrete Laplace equation of the
  6-neighbour lattice — the potential of a site is the mean of its neighbours' (walls excluded).
* **Metal clusters connected to one electrode** take that electrode's potential (no current
  flows through them before contact).
* **A floating metal cluster** is one equipotential conductor carrying no net current: its
  atoms form one node of the Laplace problem whose value is the mean over all its bonds to the
  electrolyte.
* **The bridging filament** (after contact) carries the current I; along it the potential drops
  in series over its columns, column j having the Landauer resistance R_j = 1/(n_j G0) of its
  n_j atoms (one channel per atom of a monovalent metal). The drops are shared as
  ΔV_j = V_cell R_j / Σ_k R_k (so the neck, the column with the fewest atoms, carries most of the
  voltage) and the atoms of column j sit at the midpoint of their column's drop,
  φ_j = V_cell (Σ_{k<j} R_k + R_j/2) / Σ_k R_k. The electrolyte around the filament then follows
  from the Laplace equation with these atoms as fixed potentials.

This is the picture of the ECM literature for a cell after contact — the electrolyte is
shorted by the filament and the potential drop sits where the resistance is, at the
constriction — e.g. Valov, Waser, Jameson & Kozicki, Nanotechnology 22, 254003 (2011);
Menzel, Tappertzhofen, Waser & Valov, Phys. Chem. Chem. Phys. 15, 6945 (2013); and for atomic
switches whose quantized contact is the constriction, Tsuruoka et al., Nanotechnology 21,
425205 (2010) and Terabe, Hasegawa, Nakayama & Aono, Nature 433, 47 (2005). Series addition of
Landauer resistances is an approximation (the contact resistance of ballistic segments is not
additive); it fixes only how the drop is shared, the total is V_cell and the current is the
Kwant conductance of the whole filament times V_cell.
"""
from __future__ import annotations

import functools

import numpy as np

__all__ = ["column_potentials", "laplace_potential", "DENSE_MAX_NODES"]

#: boxes of up to this many sites are solved dense (numpy), larger ones sparse (scipy)
DENSE_MAX_NODES = 400


def column_potentials(bridge) -> tuple[np.ndarray, np.ndarray]:
    """(potential of each column's atoms, voltage drop over each column) of a bridging filament,
    both in units of V_cell.

    Parameters
    ----------
    bridge : array_like of bool, shape (length, width, width)
        Atoms of the cluster that touches both electrodes (every column holds at least one).

    Returns
    -------
    phi, drop : numpy.ndarray, shape (length,)
        drop_j = R_j / Σ R_k with R_j = 1/n_j (n_j atoms in column j; units of 1/G0), and
        phi_j = Σ_{k<j} drop_k + drop_j / 2 (the column's atoms sit mid-drop).

    Raises
    ------
    ValueError
        If an argument is invalid: bridge must be a 3-D (length, width, width) mask; bridge
        must hold at least one atom in every column (a bridging filament).
    """
    mask = np.asarray(bridge, dtype=bool)
    if mask.ndim != 3:
        raise ValueError(f"bridge must be a 3-D (length, width, width) mask, got shape "
                         f"{mask.shape}")
    counts = mask.sum(axis=(1, 2))
    if np.any(counts == 0):
        raise ValueError(f"bridge must hold at least one atom in every column (a bridging "
                         f"filament), got atoms per column {counts.tolist()}")
    resistance = 1.0 / counts
    drop = resistance / resistance.sum()
    phi = np.cumsum(drop) - 0.5 * drop
    return phi, drop


def laplace_potential(fixed, fixed_value, groups=None, neighbours=None) -> np.ndarray:
    """Potential (units of V_cell) of every box site from the discrete Laplace equation.

    Parameters
    ----------
    fixed : array_like of bool, shape (length, width, width)
        Sites held at ``fixed_value`` (metal connected to an electrode or bridging).
    fixed_value : array_like of float, same shape
        Their potentials (read only where ``fixed``).
    groups : array_like of int, same shape, optional
        Floating conductors: sites with the same positive label are one equipotential node
        without net current (0: an ordinary electrolyte site).
    neighbours : numpy.ndarray, shape (6, N), optional
        Neighbour table of the flattened box (N = cathode, N + 1 = anode, N + 2 = wall), as
        ``FilamentKMC._tables``; built here if omitted.

    Returns
    -------
    numpy.ndarray, shape (length, width, width)
        The potential; the cathode plane is at 0, the anode plane at 1, walls insulate.
    """
    fixed = np.asarray(fixed, dtype=bool)
    shape = fixed.shape
    n = fixed.size
    value = np.where(fixed, np.asarray(fixed_value, dtype=float), 0.0).ravel()
    fx = fixed.ravel()
    grp = np.zeros(n, dtype=np.intp) if groups is None else np.asarray(groups).ravel()
    # node of each free site: electrolyte sites one each, every floating cluster one node
    free = ~fx
    lone = free & (grp == 0)
    n_lone = int(lone.sum())
    node = np.full(n, -1, dtype=np.intp)
    node[lone] = np.arange(n_lone)
    labels, inverse = np.unique(grp[free & (grp > 0)], return_inverse=True)
    node[free & (grp > 0)] = n_lone + inverse
    m = n_lone + labels.size
    out = value.copy()
    if m == 0:
        return out.reshape(shape)
    if n <= DENSE_MAX_NODES:
        # the box Laplacian (cached per shape), reduced to the free nodes: A = Pᵀ L_ff P with P
        # the site → node map (floating clusters summed: their net current is zero)
        lap, anode = _dense_laplacian(shape)
        sites = np.flatnonzero(free)
        proj = np.zeros((sites.size, m))
        proj[np.arange(sites.size), node[sites]] = 1.0
        a = proj.T @ lap[np.ix_(sites, sites)] @ proj
        rhs = proj.T @ (anode[sites] - lap[np.ix_(sites, np.flatnonzero(fx))] @ value[fx])
        sol = np.linalg.solve(a, rhs)
    else:
        sol = _sparse_solve(nbr=_neighbour_table(shape) if neighbours is None else neighbours,
                            n=n, m=m, free=free, fx=fx, node=node, value=value)
    out[free] = sol[node[free]]
    return out.reshape(shape)


@functools.lru_cache(maxsize=16)
def _dense_laplacian(shape) -> tuple[np.ndarray, np.ndarray]:
    """(L, b) of the box: L the lattice Laplacian (degree without walls on the diagonal, −1 per
    bond inside the box), b the anode plane's contribution (1 per bond to it; the cathode is 0).
    Read only."""
    nbr = _neighbour_table(shape)
    n = nbr.shape[1]
    lap = np.zeros((n, n))
    anode = np.zeros(n)
    rows = np.arange(n)
    for t in nbr:
        lap[rows, rows] += t != n + 2
        inside = t < n
        lap[rows[inside], t[inside]] -= 1.0
        anode += t == n + 1
    lap.flags.writeable = False
    anode.flags.writeable = False
    return lap, anode


def _sparse_solve(nbr, n, m, free, fx, node, value) -> np.ndarray:
    """The Laplace system of :func:`laplace_potential` assembled from the neighbour table and
    solved with scipy.sparse (large boxes)."""
    from scipy import sparse
    from scipy.sparse.linalg import spsolve
    node_ext = np.concatenate([node, [-1, -1, -1]])
    ext_value = np.concatenate([value, [0.0, 1.0, 0.0]])
    ext_fixed = np.concatenate([fx, [True, True, False]])
    rows, cols, coef = [], [], []
    rhs = np.zeros(m)
    src = np.flatnonzero(free)
    for c in range(6):
        t = nbr[c, src]
        wall = t == n + 2
        s, t = src[~wall], t[~wall]
        rows.append(node[s]), cols.append(node[s]), coef.append(np.ones(s.size))
        to_fixed = ext_fixed[t]
        np.add.at(rhs, node[s[to_fixed]], ext_value[t[to_fixed]])
        rows.append(node[s[~to_fixed]]), cols.append(node_ext[t[~to_fixed]])
        coef.append(-np.ones(int((~to_fixed).sum())))
    rows, cols, coef = np.concatenate(rows), np.concatenate(cols), np.concatenate(coef)
    return spsolve(sparse.csr_matrix((coef, (rows, cols)), shape=(m, m)), rhs)


def _neighbour_table(shape) -> np.ndarray:
    """(6, N) neighbour indices of the flattened box in the order of ``ecm.DIRECTIONS``
    ((−x, +x, −y, +y, −z, +z)); N = cathode plane, N + 1 = anode plane, N + 2 = wall."""
    length, width, _ = shape
    n = length * width * width
    idx = np.arange(n).reshape(shape)
    x, y, z = np.unravel_index(np.arange(n), shape)
    nbr = np.empty((6, n), dtype=np.intp)
    for c, d in enumerate(((-1, 0, 0), (1, 0, 0), (0, -1, 0), (0, 1, 0), (0, 0, -1),
                           (0, 0, 1))):
        xx, yy, zz = x + d[0], y + d[1], z + d[2]
        inside = ((xx >= 0) & (xx < length) & (yy >= 0) & (yy < width) & (zz >= 0)
                  & (zz < width))
        out = np.where(xx < 0, n, np.where(xx >= length, n + 1, n + 2))
        nbr[c] = np.where(inside, idx[np.clip(xx, 0, length - 1), np.clip(yy, 0, width - 1),
                                      np.clip(zz, 0, width - 1)], out)
    return nbr
