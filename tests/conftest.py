"""Shared test settings: hypothesis without deadlines (shared, noisy 2-core machines)."""
from hypothesis import HealthCheck, settings

settings.register_profile("qtransport", deadline=None, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("qtransport")
