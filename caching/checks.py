import os

from django.conf import settings
from django.core.checks import Tags, Warning, register

FILE_CACHE = "caching.backends.FileCache"
# Caches every process can reach, with an atomic add and incr, so that one
# invalidation reaches every cached page and the content generation never goes
# back. The file cache only on one machine: docs/deployment.md.
SHARED_BACKENDS = {
    "django.core.cache.backends.redis.RedisCache",
    "caching.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    FILE_CACHE,
}


@register(Tags.caches, deploy=True)
def check_page_cache_is_shared(app_configs, **kwargs):
    """Cached pages need a cache all processes share, or invalidation misses some."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend not in SHARED_BACKENDS:
        return [
            Warning(
                "The page cache is on but its cache is not shared safely by every "
                "process, so a change would not reach the pages cached by other workers.",
                hint=f"Set REDIS_URL, use {FILE_CACHE} on one machine, or PAGE_CACHE_SECONDS=0.",
                id="caching.W001",
            )
        ]
    return []


@register(Tags.caches)
def check_file_cache_folder_is_writable(app_configs, **kwargs):
    """An unwritable folder would turn the file cache, and so the page cache, off."""
    config = settings.CACHES["default"]
    if config["BACKEND"] != FILE_CACHE:
        return []
    folder = config["LOCATION"]
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        writable = os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        writable = False
    if writable:
        return []
    return [
        Warning(
            f"The cache folder {folder} cannot be written: every page is served uncached "
            "and /readyz reports the cache as failed.",
            hint="Set CACHE_DIR to a folder the app server's user may write, "
            "e.g. /var/cache/timra-trygghet (systemd: CacheDirectory=).",
            id="caching.W002",
        )
    ]
