"""The project's settings with a throwaway secret key, for the test suite only."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-" + "k" * 60)

from timra_trygghet.settings import *  # noqa: E402, F403

# Tests run over plain HTTP on the test client and a local live server.
SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files straight from the finders, so no collectstatic is needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Axes refuses request-less logins such as the test client's login(); tests that
# exercise the lockout switch it on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
# Whole pages are cached only in the tests of the page cache (tests/production),
# so other tests see every change at once without committing transactions.
PAGE_CACHE_SECONDS = 0

# The cache of one machine (files, caching/backends.py) in a folder of this run's
# own, so that test runs side by side, and the development server, never share it.
if CACHES["default"]["BACKEND"] == "caching.backends.FileCache":  # noqa: F405
    CACHES["default"]["LOCATION"] = tempfile.mkdtemp(prefix="timra-test-cache-")  # noqa: F405
    atexit.register(shutil.rmtree, CACHES["default"]["LOCATION"], True)  # noqa: F405
# Two-factor is required of administrators in production; most tests log them
# in with a password only, and the two-factor tests switch it on themselves.
REQUIRE_2FA = False
