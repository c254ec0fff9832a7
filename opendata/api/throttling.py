import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class AnonymousRateThrottle(AnonRateThrottle):
    """Per-address limit; the rate is read per request, so settings changes apply at once.

    The request history lives in the shared cache. When the cache cannot be
    reached the request is let through (and a warning logged): open data stays
    open while Redis restarts, as the pages do (caching.generation).
    """

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("API throttle: cache unavailable, request let through.", exc_info=True)
            return True


def requests_per_minute() -> int | None:
    """The anonymous limit as a number of requests per minute, for the pages that state it."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(AnonymousRateThrottle.scope)
    if not rate:
        return None
    requests, seconds = AnonymousRateThrottle().parse_rate(rate)
    return requests * 60 // seconds
