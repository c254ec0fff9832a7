"""Production settings plus the test-only URLs, for app servers started by tests.

Everything else (debug off, secret key, hosts, database, cache) comes from the
environment exactly as in production.
"""

from timra_trygghet.settings import *  # noqa: F403

ROOT_URLCONF = "tests.production.urls"
# Users made by the test process have fast test-suite password hashes.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
