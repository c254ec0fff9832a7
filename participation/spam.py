"""Keeping spam out of the question form without third parties.

Three checks, none of which needs a cookie, an account or an outside service:
a honeypot field people never see, a signed time the form was shown (a bot posts
at once, and cannot forge an earlier time), and a limit per client address.
"""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from accounts.client_ip import client_ip

SALT = "participation.question-form"
# A form older than this is refused too: its token may have been harvested.
MAX_FORM_AGE_SECONDS = 24 * 60 * 60


def form_token(now: float | None = None) -> str:
    """The signed moment the form was shown."""
    return signing.dumps(round(now if now is not None else time.time(), 3), salt=SALT)


def filled_too_fast(token: str, now: float | None = None) -> bool:
    """Whether the form was sent sooner than people write, or with a missing or forged token."""
    try:
        shown = float(signing.loads(token, salt=SALT, max_age=MAX_FORM_AGE_SECONDS))
    except (signing.BadSignature, TypeError, ValueError):
        return True
    elapsed = (now if now is not None else time.time()) - shown
    return elapsed < settings.QUESTION_MIN_FILL_SECONDS


def _rate_key(request) -> str:
    # A keyed hash, not the address: the cache holds no IP address, only a count.
    digest = salted_hmac(SALT, client_ip(request) or "unknown").hexdigest()
    return f"participation:questions-from:{digest}"


def rate_limited(request) -> bool:
    """Whether this client address has sent its questions for now (counted on success)."""
    try:
        return (cache.get(_rate_key(request)) or 0) >= settings.QUESTION_RATE_LIMIT
    except Exception:  # noqa: BLE001 - a cache outage must not stop residents from asking
        return False


def count_question(request) -> None:
    key = _rate_key(request)
    try:
        if cache.add(key, 1, timeout=settings.QUESTION_RATE_WINDOW_SECONDS):
            return
        cache.incr(key)
    except Exception:  # noqa: BLE001 - see rate_limited
        return
