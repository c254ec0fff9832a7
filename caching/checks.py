from django.conf import settings
from django.core.checks import Tags, Warning, register

SHARED_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
}


@register(Tags.caches, deploy=True)
def check_page_cache_is_shared(app_configs, **kwargs):
    """Cached pages need a cache all processes share, or invalidation misses some."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend not in SHARED_BACKENDS:
        return [
            Warning(
                "The page cache is on but the cache is private to each process, so a "
                "change would not reach the pages cached by other workers.",
                hint="Set REDIS_URL, or PAGE_CACHE_SECONDS=0.",
                id="caching.W001",
            )
        ]
    return []
