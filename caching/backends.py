"""A file-based cache whose counters are safe between processes: the cache of one machine.

Without Redis, the gunicorn workers of one machine share the page cache through
files in one folder (``CACHE_DIR``). Django's ``FileBasedCache`` reads and
writes whole files atomically (a write goes to a temporary file that is then
renamed), but its ``add`` and ``incr`` read and then write, so two workers can
both add, or both raise a counter from the same value. The content generation
(``caching.generation``) must never go back, and the variant counters
(``caching.middleware``) must not lose counts, so here both run under an
exclusive lock on one file in the folder. Nothing else takes the lock, so
reads stay as fast as Django's.

``incr`` also keeps the entry's expiry, as Redis and the local-memory cache do
(Django's file cache would reset it to the default timeout).
"""

import fcntl
import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

LOCK_FILE = "counters.lock"  # not a cache file: clear() and culling leave it alone


class FileCache(FileBasedCache):
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._createdir()
        descriptor = os.open(os.path.join(self._dir, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing releases the lock

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta: int = 1, version=None) -> int:
        with self._locked():
            found = self._read_with_expiry(key, version)
            if found is None:
                raise ValueError(f"Key '{key}' not found.")
            value, expiry = found
            new_value = value + delta
            remaining = None if expiry is None else max(expiry - time.time(), 0.001)
            self.set(key, new_value, remaining, version)
            return new_value

    def _read_with_expiry(self, key, version) -> tuple[object, float | None] | None:
        # The folder is the app's own (mode 0700), written only by this class, as
        # Django's file cache trusts it for every read.
        try:
            with open(self._key_to_file(key, version), "rb") as file:
                expiry = pickle.load(file)  # noqa: S301
                if expiry is not None and expiry < time.time():
                    return None
                return pickle.loads(zlib.decompress(file.read())), expiry  # noqa: S301
        except (FileNotFoundError, EOFError):
            return None
