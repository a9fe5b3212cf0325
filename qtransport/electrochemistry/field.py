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

* **The scattering alternative** (:func:`injectivity_potentials`, ``field_model =
  "scattering"`` of :mod:`.ecm`): the bridge atoms sit instead at Büttiker's local
  electrochemical potential of the Kwant scattering states at E_F (linear response, zero
  temperature), φ / V_cell = ρ_A / (ρ_C + ρ_A) with ρ_C, ρ_A the injectivities (partial local
  densities of states of the states injected from cathode and anode), coarse-grained over one
  bond. A ballistic wire then has no drop inside (φ = ½ everywhere), and the drop sits where
  the transmission changes (the neck, a weak bond), with the contact drops T/2 of the Landauer
  picture on either side.
"""
from __future__ import annotations

import functools

import numpy as np

__all__ = ["column_potentials", "injectivity_potentials", "laplace_potential",
           "DENSE_MAX_NODES", "NODE_TOLERANCE"]

#: boxes of up to this many sites are solved dense (numpy), larger ones sparse (scipy)
DENSE_MAX_NODES = 400
#: a site whose (smoothed) density of states at E_F is below this fraction of the largest one
#: in the bridge is a node of the scattering states (|ψ| ≲ 1e-8 of the typical amplitude, where
#: the ratio ρ_anode/ρ would be round-off): it takes its column's ratio instead
NODE_TOLERANCE = 1e-16


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

    Examples
    --------
    A one-atom neck between two 2 × 2 columns carries R_neck/ΣR = 1/(1 + 2 × 1/4) = 2/3 of the
    cell voltage; each column's atoms sit at the midpoint of their drop:

    >>> import numpy as np
    >>> bridge = np.zeros((3, 2, 2), bool)
    >>> bridge[0] = bridge[2] = True
    >>> bridge[1, 0, 0] = True
    >>> phi, drop = column_potentials(bridge)
    >>> bool(np.allclose(drop, [1 / 6, 2 / 3, 1 / 6]) and np.allclose(phi, [1 / 12, 1 / 2, 11 / 12]))
    True
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


def injectivity_potentials(rho_cathode, rho_anode, bridge, smooth: bool = True
                           ) -> np.ndarray:
    """Potential (units of V_cell) of the atoms of a bridging filament from the injectivities
    of its scattering states: φ = ρ_anode / (ρ_cathode + ρ_anode).

    In linear response at zero temperature the local electrochemical potential of the
    electrons is μ(r) = μ_A + (μ_C − μ_A) ρ_C(r) / (ρ_C(r) + ρ_A(r)) (Büttiker), with ρ_C, ρ_A the
    partial local densities of states at E_F of the states injected from the cathode and from
    the anode; with the cathode at 0 and the anode at V_cell (μ = −eφ) and a metal that screens
    locally (its electrostatic potential follows μ), φ(r) / V_cell = ρ_A / (ρ_C + ρ_A).

    ``smooth=True`` (the field of the KMC) takes the ratio of injectivities averaged over each
    atom and its metal neighbours, ⟨ρ⟩_s = ½ ρ_s + ½ mean_{n ~ s} ρ_n (bridge atoms and the
    electrode columns next to the box): a coarse graining over one bond that removes the
    standing-wave (Friedel) oscillation of the half-filled band exactly — at the band centre
    of the bipartite lattice the oscillating part of ρ alternates in sign from a site to its
    neighbours — so that, e.g., a one-channel chain with one weak bond of transmission T sits
    at exactly T/2 on the cathode side and 1 − T/2 on the anode side. ``smooth=False`` gives
    the pointwise ratio (what a weakly coupled probe at the atom would read), which oscillates
    between the atoms. A node (smoothed density below :data:`NODE_TOLERANCE` of the largest)
    takes its column's ratio Σ ρ_A / Σ ρ (½ if the whole column is a node).

    Parameters
    ----------
    rho_cathode, rho_anode : array_like, shape (length + 2, width, width)
        Injectivities (any common unit, e.g. 1/eV) of the box and of one electrode column on
        each side (x = 0 the cathode's, x = length + 1 the anode's; all metal).
    bridge : array_like of bool, shape (length, width, width)
        Atoms of the cluster that touches both electrodes.
    smooth : bool, optional
        Average over the atom and its metal neighbours before the ratio (default).

    Returns
    -------
    numpy.ndarray, shape (length, width, width)
        φ / V_cell on the bridge atoms (in [0, 1]), 0 elsewhere.

    Raises
    ------
    ValueError
        The shapes do not match (``rho_*`` must be ``(length + 2, width, width)`` for a bridge
        of shape ``(length, width, width)``), or an injectivity on a metal site is not finite
        or below −1e-12 of the largest (round-off).

    Examples
    --------
    Equal injectivity from both sides (a ballistic wire) puts every atom at φ = ½: no drop
    inside; unsmoothed, the potential is the pointwise ρ_A/(ρ_C + ρ_A):

    >>> import numpy as np
    >>> bridge = np.ones((3, 1, 1), bool)
    >>> injectivity_potentials(np.ones((5, 1, 1)), np.ones((5, 1, 1)), bridge).ravel().tolist()
    [0.5, 0.5, 0.5]
    >>> rho_a = np.arange(5.0).reshape(5, 1, 1)
    >>> phi = injectivity_potentials(np.ones((5, 1, 1)), rho_a, bridge, smooth=False).ravel()
    >>> bool(np.allclose(phi, [1 / 2, 2 / 3, 3 / 4]))
    True
    """
    mask = np.asarray(bridge, dtype=bool)
    rc = np.asarray(rho_cathode, dtype=float)
    ra = np.asarray(rho_anode, dtype=float)
    if mask.ndim != 3 or rc.shape != (mask.shape[0] + 2,) + mask.shape[1:] or ra.shape != rc.shape:
        raise ValueError(f"rho_cathode and rho_anode must have shape (length + 2, width, width) "
                         f"= {(mask.shape[0] + 2,) + mask.shape[1:]} for a bridge of shape "
                         f"{mask.shape}; got {rc.shape} and {ra.shape}")
    metal = np.ones(rc.shape, dtype=bool)
    metal[1:-1] = mask
    rc, ra = np.where(metal, rc, 0.0), np.where(metal, ra, 0.0)
    # densities of states: ≥ 0 up to the round-off of G Γ G† (eps of the largest)
    scale = max(float(np.abs(rc).max(initial=0.0)), float(np.abs(ra).max(initial=0.0)))
    if (not (np.all(np.isfinite(rc)) and np.all(np.isfinite(ra)))
            or min(rc.min(), ra.min()) < -1e-12 * scale):
        raise ValueError("rho_cathode and rho_anode must be finite and >= 0 on the metal sites "
                         "(densities of states)")
    rc, ra = np.maximum(rc, 0.0), np.maximum(ra, 0.0)
    if smooth:
        rc, ra = (_neighbour_smoothed(r, metal) for r in (rc, ra))
    total = (rc + ra)[1:-1]
    rc, ra = rc[1:-1], ra[1:-1]
    node = mask & (total <= NODE_TOLERANCE * float(total[mask].max(initial=0.0)))
    phi = np.divide(ra, total, out=np.zeros(mask.shape), where=mask & ~node)
    if node.any():
        col_a, col_t = (np.where(mask, r, 0.0).sum(axis=(1, 2)) for r in (ra, total))
        col = np.divide(col_a, col_t, out=np.full(col_t.shape, 0.5),
                        where=col_t > NODE_TOLERANCE * float(col_t.max(initial=0.0)))
        phi[node] = np.broadcast_to(col[:, None, None], mask.shape)[node]
    return np.clip(phi, 0.0, 1.0)


def _neighbour_smoothed(rho: np.ndarray, metal: np.ndarray) -> np.ndarray:
    """½ ρ_s + ½ (mean of ρ over the metal neighbours of s) on the metal sites of the padded
    (x = 0 and x = L + 1 electrode columns) box; ρ_s where s has no metal neighbour."""
    total = np.zeros(rho.shape)
    count = np.zeros(rho.shape)
    for axis in range(3):
        for step in (1, -1):
            nb_rho = np.zeros(rho.shape)
            nb_metal = np.zeros(rho.shape, dtype=bool)
            src = [slice(None)] * 3
            dst = [slice(None)] * 3
            src[axis] = slice(1, None) if step == 1 else slice(None, -1)
            dst[axis] = slice(None, -1) if step == 1 else slice(1, None)
            nb_rho[tuple(dst)] = rho[tuple(src)]
            nb_metal[tuple(dst)] = metal[tuple(src)]
            total += np.where(nb_metal, nb_rho, 0.0)
            count += nb_metal
    mean = np.divide(total, count, out=rho.copy(), where=count > 0)
    return np.where(metal, 0.5 * rho + 0.5 * mean, 0.0)


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

    Examples
    --------
    An empty box of L = 4 columns between the cathode (x = −1) and the anode (x = L) has the
    uniform-field potential (x + 1)/(L + 1); a floating conductor placed symmetrically in it
    sits at ½:

    >>> import numpy as np
    >>> fixed = np.zeros((4, 2, 2), bool)
    >>> phi = laplace_potential(fixed, np.zeros((4, 2, 2)))
    >>> bool(np.allclose(phi[:, 0, 0], [0.2, 0.4, 0.6, 0.8], rtol=0, atol=1e-12))
    True
    >>> groups = np.zeros((4, 2, 2), int)
    >>> groups[1:3] = 1                                          # one metal block, two columns
    >>> phi = laplace_potential(fixed, np.zeros((4, 2, 2)), groups=groups)
    >>> bool(np.allclose(phi[1:3], 0.5, rtol=0, atol=1e-12))
    True
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
