"""The client's address for the login lockout, trusting only our own proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind ``PROXY_COUNT`` proxies the address the outermost one saw.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right;
    anything further left was written by the client and cannot be trusted.
    """
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def _is_address(value: str) -> bool:
    """Only an IP address goes to the lockout log (an ``inet`` column on PostgreSQL)."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return getattr(address, "scope_id", None) is None  # "fe80::1%eth0" is no inet
