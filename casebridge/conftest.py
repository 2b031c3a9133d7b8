"""Test-suite settings shared by every app."""

from hypothesis import HealthCheck, settings

# Timing-based checks fail on a busy machine without saying anything about the code under test.
settings.register_profile("casebridge", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("casebridge")
