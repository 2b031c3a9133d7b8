"""A per-address counter in Django's cache: fixed one-hour windows, shared by every server that shares the cache.

With the default local-memory cache each process counts on its own, so a deployment with several
processes or servers must configure a shared cache (database or Redis) for the limit to hold.
"""

import hashlib
import time

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def allow(*, scope: str, ip: str | None, limit: int) -> bool:
    """Count one more attempt from ``ip``; False once it has made more than ``limit`` this hour."""
    window = int(time.time()) // WINDOW_SECONDS
    # The address is hashed so that the cache holds no personal data in clear.
    who = hashlib.sha256((ip or "unknown").encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{who}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit
