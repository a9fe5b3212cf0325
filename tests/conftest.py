"""Shared test settings: hypothesis without deadlines (shared, noisy 2-core machines).

Under CI (``CI`` set) hypothesis draws a fixed, reproducible sequence of examples, so a
submission's result does not depend on luck; locally it explores new examples on every run.

``pytest.approx`` refuses to compare with its default absolute tolerance (1e-12) a value of
magnitude ≤ 1e-6 whose relative tolerance that floor swamps: in SI units such values are the
rule (2.6e-26 J, 2.1e-15 Wb), and ``x == approx(2.6e-26, rel=1e-14)`` would pass for any x
within 1e-12 of it. Such a comparison must say ``abs=`` itself (``abs=0``: purely relative).

Thorough run (docs/testing.md): ``QTRANSPORT_HYPOTHESIS_EXAMPLES=300`` makes every property test
draw at least 300 randomized examples (never derandomized, even under ``CI``), overriding the
smaller counts written in the tests' own ``@settings``; add ``--hypothesis-seed=N`` to repeat a run.
"""
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

_THOROUGH = os.environ.get("QTRANSPORT_HYPOTHESIS_EXAMPLES", "").strip()

settings.register_profile("qtransport", deadline=None, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow],
                          derandomize=bool(os.environ.get("CI")) and not _THOROUGH)
settings.load_profile("qtransport")


_APPROX = pytest.approx


def _approx_with_explicit_floor(expected, rel=None, abs=None, nan_ok=False):
    if abs is None:
        try:
            mags = np.abs(np.asarray(expected, dtype=float)).ravel()
        except (TypeError, ValueError):          # mappings, objects: pytest's own handling
            mags = np.empty(0)
        mags = mags[np.isfinite(mags) & (mags > 0)]
        tiny = mags[(mags <= 1e-6) & ((1e-6 if rel is None else rel) * mags < 1e-12)]
        if tiny.size:
            raise TypeError(f"pytest.approx({tiny.min():.3g}) without abs=: the default "
                            f"absolute tolerance 1e-12 would accept any value within 1e-12 of "
                            f"it; pass abs= (abs=0 for a purely relative comparison)")
    return _APPROX(expected, rel=rel, abs=abs, nan_ok=nan_ok)


pytest.approx = _approx_with_explicit_floor


def _thorough_examples() -> int | None:
    if not _THOROUGH:
        return None
    try:
        n = int(_THOROUGH)
    except ValueError:
        n = 0
    if n < 1:
        raise pytest.UsageError(f"QTRANSPORT_HYPOTHESIS_EXAMPLES must be a positive integer, "
                                f"got {_THOROUGH!r}")
    return n


def pytest_collection_modifyitems(config, items):
    """Raise every property test's example count to the thorough minimum, if one is asked for.

    A test's own ``@settings(max_examples=...)`` beats any profile, so the count is raised on the
    settings object hypothesis attached to the test (checked to exist: a hypothesis upgrade that
    moves it makes this fail loudly rather than silently run the small counts).
    """
    n = _thorough_examples()
    if n is None:
        return
    for item in items:
        fn = getattr(item, "obj", None)
        if getattr(fn, "is_hypothesis_test", False) is not True:
            continue
        own = getattr(fn, "_hypothesis_internal_use_settings", None)
        if not isinstance(own, settings):
            raise pytest.UsageError(f"cannot raise hypothesis examples of {item.nodeid}: this "
                                    "hypothesis version keeps test settings elsewhere")
        if own.max_examples < n or own.derandomize:
            fn._hypothesis_internal_use_settings = settings(
                own, max_examples=max(n, own.max_examples), derandomize=False)
