"""Test-suite settings shared by every app."""

import os

from hypothesis import HealthCheck, settings

# Timing-based checks fail on a busy machine without saying anything about the code under test.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", settings.get_profile("ci"), max_examples=10)
# CI tries every property test with its full number of examples; a local run tries 10 to keep the loop quick.
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))
