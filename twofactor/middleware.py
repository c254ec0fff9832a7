"""Finish two-factor login before anything else, whichever login page was used.

Any authenticated session that has not passed a code is sent to enter one if
its user has a confirmed device, and an administrator who must use two factors
(settings.REQUIRE_2FA) but has none is sent to set one up. Until then every
page redirects there, except that page, logout and the health checks.

The decision rests on the user's enrolment, which the session carries
(services.SESSION_STATE_KEY) so that a request costs no extra query; a session
that does not carry it is checked against the database once. Must come after
django_otp's OTPMiddleware.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import urlencode

from twofactor import services

EXEMPT_URL_NAMES = {"logout", "healthz", "readyz", "jsi18n", "javascript-catalog"}
STEP_URL_NAMES = {services.VERIFY: "twofactor:verify", services.SETUP: "twofactor:setup"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        step = services.session_step(request.session, user)
        if step is None or self._exempt(request, step):
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{resolve_url(STEP_URL_NAMES[step])}?{query}")

    @staticmethod
    def _exempt(request, step: str) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        # The code entry page is always open (it sends an unenrolled user on);
        # the setup page only to a user who has no device yet.
        return (
            match.url_name in EXEMPT_URL_NAMES
            or match.view_name == "twofactor:verify"
            or (step == services.SETUP and match.view_name == "twofactor:setup")
        )
