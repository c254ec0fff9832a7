"""Finish two-factor login before anything else, whichever login page was used.

After a password login (the admin's or the staff pages') a user with an
authenticator app is sent to enter its code, and an administrator who must use
two factors (DJANGO_REQUIRE_2FA=1) but has none is sent to set one up. Until
then every page redirects there, except the two-factor pages themselves, logout
and the health checks. What is owed is noted in the session at login
(twofactor.signals), so a request costs no extra query. Must come after
django_otp's OTPMiddleware.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import urlencode

from twofactor import services

EXEMPT_URL_NAMES = {"logout", "healthz", "readyz", "jsi18n", "javascript-catalog"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        step = request.session.get(services.SESSION_KEY)
        if step != services.VERIFY and settings.REQUIRE_2FA and user.is_superuser:
            step = services.SETUP  # also for sessions begun before the requirement
        if step is None or (step == services.SETUP and not settings.REQUIRE_2FA):
            return self.get_response(request)
        if self._exempt(request):
            return self.get_response(request)
        target = "twofactor:verify" if step == services.VERIFY else "twofactor:setup"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{resolve_url(target)}?{query}")

    @staticmethod
    def _exempt(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.namespace == "twofactor" or match.url_name in EXEMPT_URL_NAMES
