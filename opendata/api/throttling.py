from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Per-address limit; the rate is read per request, so settings changes apply at once."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


def requests_per_minute() -> int | None:
    """The anonymous limit as a number of requests per minute, for the pages that state it."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(AnonymousRateThrottle.scope)
    if not rate:
        return None
    requests, seconds = AnonymousRateThrottle().parse_rate(rate)
    return requests * 60 // seconds
