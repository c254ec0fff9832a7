"""The content generation: one number in the shared cache that every cached page depends on.

Cached pages are stored under keys that include the current generation, so
raising it (``invalidate_pages``) makes every cached page unreachable at once, on
every app server that shares the cache. Old entries are never read again and
expire on their own.

The cache can fail (Redis restarting, a network blip). The portal must still
serve pages then, uncached, so every call here reports failure instead of raising.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "page-cache:generation"


def _fresh_generation() -> int:
    # Milliseconds since the epoch: if the key is ever evicted or lost, the new
    # value is still larger than any the old one reached, so no page cached
    # under an old generation can come back.
    return time.time_ns() // 1_000_000


# An invalidation this process could not make because the cache was unreachable.
# A Redis that was only unreachable for a while (a network blip, a pause) still
# holds the pages cached before the change, so the invalidation is made on the
# first contact with the cache afterwards, before any cached page is served.
_invalidation_owed = False


def current_generation() -> int | None:
    """The current generation, or None when the cache cannot be reached."""
    global _invalidation_owed
    try:
        if _invalidation_owed:
            _raise_generation()
            _invalidation_owed = False
            logger.warning("Page cache reachable again: invalidated the pages it held.")
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
            generation = cache.get(GENERATION_KEY)
        return generation
    except Exception:
        logger.warning("Page cache unavailable: serving uncached.", exc_info=True)
        return None


def invalidate_pages() -> bool:
    """Make every cached page stale, on every app server. True when it worked."""
    global _invalidation_owed
    try:
        _raise_generation()
        _invalidation_owed = False
        return True
    except Exception:
        _invalidation_owed = True
        logger.error("Could not invalidate the page cache.", exc_info=True)
        return False


def _raise_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, or it was evicted
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
