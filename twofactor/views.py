"""Set up an authenticator app, and enter its code after logging in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from twofactor import services
from twofactor.forms import TokenForm

THROTTLED = gettext_lazy("För många felaktiga koder. Vänta en stund och försök igen.")
WRONG_CODE = gettext_lazy(
    "Koden stämmer inte. Kontrollera att telefonens klocka går rätt och försök igen."
)


def _safe_next(request) -> str:
    """The page to return to, if it is on this site; else an empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _done(request):
    return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)


def _check_token(request, form, devices) -> bool:
    """True when a device accepted the code; otherwise an error is put on the form."""
    token = form.cleaned_data["token"]
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if not allowed:
        form.add_error("token", THROTTLED)
        return False
    for device in allowed:
        if device.verify_token(token):
            otp_login(request, device)
            return True
    form.add_error("token", WRONG_CODE)
    return False


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Status, and for a user without a confirmed device the enrolment of one."""
    user = request.user
    if services.two_factor_enrolled(user):
        return render(
            request,
            "twofactor/status.html",
            {"required": services.two_factor_required(user), "next": _safe_next(request)},
        )
    device = services.totp_pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(request, form, [device]):
        services.totp_device_confirm(device)
        request.session.pop(services.SESSION_KEY, None)
        messages.success(request, _("Tvåfaktorsinloggning är påslagen för ditt konto."))
        return _done(request)
    return render(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "secret": services.totp_secret_for_display(device),
            "config_url": device.config_url,
            "required": services.two_factor_required(user),
            "next": _safe_next(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of logging in, for users with a confirmed device."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_verified():
        return _done(request)
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect("twofactor:setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_token(request, form, devices):
        request.session.pop(services.SESSION_KEY, None)
        return _done(request)
    return render(request, "twofactor/verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
@login_required
@require_POST
def remove(request):
    """Turn two-factor off (administrators must then set up a new device at once)."""
    services.totp_devices_remove(request.user)
    if services.two_factor_required(request.user):
        request.session[services.SESSION_KEY] = services.SETUP
    messages.success(request, _("Tvåfaktorsinloggning är avstängd för ditt konto."))
    return redirect("twofactor:setup")
