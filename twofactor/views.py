"""Set up an authenticator app, enter its code after logging in, and manage it.

Every page here but the code entry needs a session that passed a code when the
user has a second factor: with only the password nobody can see, replace or
remove it. The middleware sends such sessions to the code entry first; the
views refuse on their own too, so they hold whatever the middleware order.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from twofactor import services
from twofactor.forms import CodeForm, CurrentCodeForm, ReplaceForm, TokenForm


def _safe_next(request: HttpRequest) -> str:
    """The page to return to, if it is a path on this site; else an empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _done(request: HttpRequest) -> HttpResponse:
    # A plain redirect: redirect() would try a next such as "x" as a URL name.
    return HttpResponseRedirect(_safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL))


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's field errors on the form; a field the form lacks gets a form error."""
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _to_verify(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{resolve_url('twofactor:verify')}?{query}")


def verified_if_enrolled(view):
    """Refuse a session that has not passed a code when the user has a second factor."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_verified() and services.two_factor_enrolled(request.user):
            return _to_verify(request)
        return view(request, *args, **kwargs)

    return wrapped


def _show_backup_codes(request: HttpRequest, codes: list[str], title: str) -> HttpResponse:
    """The only time the codes are shown; no page offers them again (never_cache keeps
    this answer out of caches)."""
    return render(
        request,
        "twofactor/backup_codes.html",
        {
            "codes": [services.backup_code_for_display(code) for code in codes],
            "title": title,
            "next": _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL),
        },
    )


def _status(request: HttpRequest, **forms) -> HttpResponse:
    user = request.user
    return render(
        request,
        "twofactor/status.html",
        {
            "required": services.two_factor_required(user),
            "backup_codes_remaining": services.backup_codes_remaining(user),
            "remove_form": forms.get("remove_form") or CurrentCodeForm(prefix="remove"),
            "renew_form": forms.get("renew_form") or CurrentCodeForm(prefix="renew"),
        },
        status=400 if forms else 200,
    )


def _enrol(request: HttpRequest, *, replacing: bool) -> HttpResponse:
    user = request.user
    device = services.totp_pending_device(user)
    form = (ReplaceForm if replacing else TokenForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enrol(
                user,
                device,
                form.cleaned_data["token"],
                current_code=form.cleaned_data.get("current_code", ""),
                keep_session_key=request.session.session_key,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            otp_login(request, device)
            services.session_state_refresh(request.session, user)
            messages.success(request, _("Tvåfaktorsinloggning är påslagen för ditt konto."))
            return _show_backup_codes(request, codes, _("Spara dina reservkoder"))
    return render(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "replacing": replacing,
            "secret": services.totp_secret_for_display(device),
            "config_url": device.config_url,
            "required": services.two_factor_required(user),
            "next": _safe_next(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@verified_if_enrolled
def setup(request: HttpRequest) -> HttpResponse:
    """Status for an enrolled user; otherwise the enrolment of a first device."""
    if services.two_factor_enrolled(request.user):
        if request.method == "POST":
            return redirect("twofactor:setup")
        return _status(request)
    return _enrol(request, replacing=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@verified_if_enrolled
def replace(request: HttpRequest) -> HttpResponse:
    """A new phone: needs a code from the old one (or a backup code) as well."""
    if not services.two_factor_enrolled(request.user):
        return redirect("twofactor:setup")
    return _enrol(request, replacing=True)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: a code from the app, or a backup code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_verified():
        return _done(request)
    if not services.two_factor_enrolled(user):
        # The session thought otherwise (the device was removed meanwhile).
        services.session_state_refresh(request.session, user)
        if services.two_factor_required(user):
            return redirect("twofactor:setup")
        return _done(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_code_check(user, form.cleaned_data["token"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            # A new session key for the raised privilege, as login() does for the password.
            request.session.cycle_key()
            otp_login(request, device)
            services.session_state_refresh(request.session, user)
            if isinstance(device, StaticDevice):
                remaining = services.backup_codes_remaining(user)
                messages.warning(
                    request,
                    ngettext(
                        "Du loggade in med en reservkod. Du har %(count)d reservkod kvar.",
                        "Du loggade in med en reservkod. Du har %(count)d reservkoder kvar.",
                        remaining,
                    )
                    % {"count": remaining},
                )
            return _done(request)
    return render(
        request,
        "twofactor/verify.html",
        {"form": form, "next": _safe_next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_POST
@verified_if_enrolled
def remove(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off, with a current code (administrators must then set up anew)."""
    user = request.user
    if not services.two_factor_enrolled(user):
        return redirect("twofactor:setup")
    form = CurrentCodeForm(request.POST, prefix="remove")
    if form.is_valid():
        try:
            services.two_factor_remove(
                user,
                form.cleaned_data["current_code"],
                keep_session_key=request.session.session_key,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            services.session_state_refresh(request.session, user)
            messages.success(request, _("Tvåfaktorsinloggning är avstängd för ditt konto."))
            return redirect("twofactor:setup")
    return _status(request, remove_form=form)


@never_cache
@login_required
@require_POST
@verified_if_enrolled
def backup_codes(request: HttpRequest) -> HttpResponse:
    """A new set of backup codes, with a current code; the old set stops working."""
    user = request.user
    if not services.two_factor_enrolled(user):
        return redirect("twofactor:setup")
    form = CurrentCodeForm(request.POST, prefix="renew")
    if form.is_valid():
        try:
            codes = services.backup_codes_renew(user, form.cleaned_data["current_code"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _show_backup_codes(request, codes, _("Dina nya reservkoder"))
    return _status(request, renew_form=form)
