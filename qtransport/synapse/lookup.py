"""Lookup-table synaptic device: the conductance change per pulse as a tabulated function ΔG(G).

When a device's pulse response is not of the exponential NeuroSim form (quantized filament
staircases, measured curves with kinks), the update can be taken directly from data: one
potentiation pulse at conductance G adds ΔG₊(G), one depression pulse removes ΔG₋(G); between
table points ΔG is interpolated linearly and the state is kept within [G_min, G_max].
"""
from __future__ import annotations

import functools

from dataclasses import dataclass

import numpy as np

from ..errors import check_array, check_int

__all__ = ["LookupTableDevice"]


def _steps_from_curve(curve: np.ndarray, sign: float) -> tuple[np.ndarray, np.ndarray]:
    """(G, |ΔG|) pairs of a pulse curve, keeping only the pulses that changed G."""
    dg = sign * np.diff(curve)
    g = curve[:-1]
    keep = dg > 1e-12 * (np.ptp(curve) or 1.0)
    if not keep.any():
        raise ValueError("pulse curve does not change in its direction: no ΔG(G) table")
    order = np.argsort(g[keep])
    return g[keep][order], dg[keep][order]


@dataclass(frozen=True, eq=False)
class LookupTableDevice:
    """A device whose per-pulse change is read from a ΔG(G) table.

    Parameters
    ----------
    g_S : array_like, shape (n,)
        Conductance grid, strictly increasing, S (or A for critical-current weights); its ends are
        the bounds G_min and G_max.
    dg_ltp_S, dg_ltd_S : array_like, shape (n,)
        Magnitude of the change caused by one potentiation / depression pulse at each grid point
        (≥ 0), S.

    Raises
    ------
    ValueError
        If an argument is invalid: `g_S` must be a 1-D array of finite numbers; g_S must be
        strictly increasing (G_min < ... < G_max); `dg_ltp_S` and `dg_ltd_S` must be 1-D arrays
        of finite numbers >= 0; `dg_ltp_S` and `dg_ltd_S` must have the length of `g_S` and each
        must contain a positive step.
    TypeError
        If an argument has the wrong type: `g_S`, `dg_ltp_S` or `dg_ltd_S` are not arrays of
        real numbers.

    Notes
    -----
    Update: G ← clip(G ± ΔG±(G), G_min, G_max), one pulse at a time, ΔG± linearly interpolated
    (constant beyond the table ends). This is the "measured device" mode of NeuroSim-type
    simulators (Chen et al., IEEE TCAD 37, 3067 (2018)).

    Examples
    --------
    >>> dev = LookupTableDevice([0.0, 1.0], [0.25, 0.25], [0.5, 0.5])
    >>> dev.apply_pulses(np.array([0.0]), np.array([2])).tolist()
    [0.5]
    """

    g_S: np.ndarray
    dg_ltp_S: np.ndarray
    dg_ltd_S: np.ndarray

    def __post_init__(self):
        g = check_array("g_S", self.g_S, ndim=1, min_size=2)
        if np.any(np.diff(g) <= 0):
            raise ValueError("g_S must be strictly increasing (G_min < ... < G_max), got "
                             f"{g.tolist()[:6]}...")
        up = check_array("dg_ltp_S", self.dg_ltp_S, low=0.0, ndim=1)
        dn = check_array("dg_ltd_S", self.dg_ltd_S, low=0.0, ndim=1)
        for name, arr in (("dg_ltp_S", up), ("dg_ltd_S", dn)):
            if arr.shape != g.shape:
                raise ValueError(f"{name} must have the length of g_S ({g.size}), got {arr.size}")
            if not np.any(arr > 0):
                raise ValueError(f"{name} must contain a positive step, got all zeros")
        object.__setattr__(self, "g_S", g)
        object.__setattr__(self, "dg_ltp_S", up)
        object.__setattr__(self, "dg_ltd_S", dn)

    @classmethod
    def from_curves(cls, ltp_curve, ltd_curve, n_grid: int = 64) -> "LookupTableDevice":
        """Build the table from a potentiation curve and a depression curve.

        Parameters
        ----------
        ltp_curve : array_like
            Conductance after 0, 1, … potentiation pulses from the low state.
        ltd_curve : array_like
            Conductance after 0, 1, … depression pulses from the high state.
        n_grid : int
            Points of the common G grid.

        Returns
        -------
        LookupTableDevice
            The table on ``n_grid`` points between the curves' extremes.

        Raises
        ------
        ValueError
            Curves of fewer than 3 points, or constant curves.

        Examples
        --------
        >>> import numpy as np
        >>> ltp = np.linspace(1e-6, 1e-5, 11)
        >>> dev = LookupTableDevice.from_curves(ltp, ltp[::-1], n_grid=16)
        >>> dev.g_S.size
        16
        """
        up = check_array("ltp_curve", ltp_curve, ndim=1, min_size=3)
        dn = check_array("ltd_curve", ltd_curve, ndim=1, min_size=3)
        n_grid = check_int("n_grid", n_grid, low=2)
        g_lo = min(up.min(), dn.min())
        g_hi = max(up.max(), dn.max())
        if g_hi <= g_lo:
            raise ValueError("pulse curves are constant: no ΔG(G) table")
        grid = np.linspace(g_lo, g_hi, n_grid)
        gu, su = _steps_from_curve(up, +1.0)
        gd, sd = _steps_from_curve(dn, -1.0)
        return cls(grid, np.interp(grid, gu, su), np.interp(grid, gd, sd))

    @property
    def g_min_S(self) -> float:
        """Lower bound G_min (first grid point), S."""
        return float(self.g_S[0])

    @property
    def g_max_S(self) -> float:
        """Upper bound G_max (last grid point), S."""
        return float(self.g_S[-1])

    @property
    def range_S(self) -> float:
        """G_max − G_min, S."""
        return self.g_max_S - self.g_min_S

    @functools.cached_property
    def n_pulses(self) -> int:
        """Potentiation pulses from G_min to within 1% of the range below G_max (capped 10⁵).

        Computed once per device by stepping the table (the network asks at every update).
        """
        g, n = np.array([self.g_min_S]), 0
        target = self.g_max_S - 0.01 * self.range_S
        while g[0] < target and n < 100_000:
            g = self.apply_pulses(g, np.array([1]))
            n += 1
        return max(n, 2)

    def levels(self) -> np.ndarray:
        """Conductances reached by potentiation from G_min, S.

        Returns
        -------
        numpy.ndarray
            ``n_pulses`` + 1 conductances, S.

        Examples
        --------
        >>> import numpy as np
        >>> ltp = np.linspace(1e-6, 1e-5, 11)
        >>> LookupTableDevice.from_curves(ltp, ltp[::-1], n_grid=16).levels().size > 1
        True
        """
        out, g = [self.g_min_S], np.array([self.g_min_S])
        for _ in range(self.n_pulses):
            g = self.apply_pulses(g, np.array([1]))
            out.append(float(g[0]))
        return np.asarray(out)

    def apply_pulses(self, g, n) -> np.ndarray:
        """Conductance after ``n`` pulses from ``g`` (n > 0 potentiate, n < 0 depress), S.

        Fractional |n| applies the last pulse partially (linear in the step). A device whose
        state did not move during a whole pulse (at a bound, or where ΔG = 0) is at a fixed point
        of the update and stops early, so a huge ``n`` costs no more than the pulses that act.

        Parameters
        ----------
        g : array_like
            Conductances, S.
        n : array_like
            Pulse counts (> 0 potentiate, < 0 depress), broadcast to ``g``.

        Returns
        -------
        numpy.ndarray
            Conductances after the pulses, S.

        Raises
        ------
        ValueError
            NaN/inf in ``g`` or ``n``, or ``n`` not broadcastable to the shape of ``g``.
        """
        from .pulse import pulse_arrays
        g, n = pulse_arrays(g, n)
        g = g.copy()
        flat = g.reshape(-1)
        idx = np.flatnonzero(n)
        left, up = np.abs(n.reshape(-1)[idx]), n.reshape(-1)[idx] > 0
        while idx.size:
            cur = flat[idx]
            step = np.where(up, np.interp(cur, self.g_S, self.dg_ltp_S),
                            -np.interp(cur, self.g_S, self.dg_ltd_S))
            new = np.clip(cur + np.minimum(left, 1.0) * step, self.g_min_S, self.g_max_S)
            flat[idx] = new
            left -= 1.0
            keep = (left > 0) & (new != cur)        # unchanged after a full pulse: fixed point
            idx, left, up = idx[keep], left[keep], up[keep]
        return g
