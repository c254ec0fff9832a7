"""The public pages of "Följ löftet": subscribe, confirm, unsubscribe.

Only the subscription form's page sets a cookie (Django's CSRF cookie, strictly
necessary, named on the privacy page). Confirming and unsubscribing are
authorised by the secret in their link instead, so those pages need no cookie,
and an unsubscribe POST from a mail client (RFC 8058 one-click) works without
one.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from accounts.form_guard import count_submission, rate_limited
from promises.models import Promise
from subscriptions.forms import SubscribeForm
from subscriptions.models import CONFIRMATION_DAYS, Subscriber
from subscriptions.services import (
    subscriber_unsubscribe,
    subscription_confirm,
    subscription_for_token,
    subscription_request,
)

RATE_SCOPE = "subscribe"
RATE_LIMIT = 5  # accepted requests per client address …
RATE_WINDOW_SECONDS = 60 * 60  # … per hour


def _promise(municipality: str, period: str, promise: str) -> Promise:
    return get_object_or_404(
        Promise.objects.published().select_related("period__municipality"),
        period__municipality__slug=municipality,
        period__slug=period,
        slug=promise,
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest, municipality: str, period: str, promise: str):
    found = _promise(municipality, period, promise)
    form = SubscribeForm(request.POST or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, RATE_SCOPE, RATE_LIMIT):
            limited = True
        else:
            subscription_request(email=form.cleaned_data["email"], promise=found)
            count_submission(request, RATE_SCOPE, RATE_WINDOW_SECONDS)
            return redirect("subscriptions:requested", municipality, period, promise)
    status = 429 if limited else 400 if form.is_bound else 200
    return render(
        request,
        "subscriptions/subscribe.html",
        {
            "promise": found,
            "period": found.period,
            "municipality": found.period.municipality,
            "form": form,
            "rate_limited": limited,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def requested(request: HttpRequest, municipality: str, period: str, promise: str):
    found = _promise(municipality, period, promise)
    return render(
        request,
        "subscriptions/requested.html",
        {
            "promise": found,
            "period": found.period,
            "municipality": found.period.municipality,
            "days": CONFIRMATION_DAYS,
        },
    )


# Personal (it names what one address follows): never stored by a browser's or a
# shared cache, as the form's page.
@never_cache
@csrf_exempt  # the signed link authorises; no cookie is set or needed
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str):
    # A link scanner that fetches the link confirms nothing: only the button does.
    if request.method == "POST":
        subscription = subscription_confirm(token=token)
    else:
        subscription = subscription_for_token(token)
    if subscription is None:
        return render(request, "subscriptions/confirm_invalid.html", status=404)
    return render(
        request,
        "subscriptions/confirm.html",
        {
            "subscription": subscription,
            "promise": subscription.promise,
            "municipality": subscription.promise.period.municipality,
            "token": token,
        },
    )


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without cookies
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str):
    if request.method == "POST":
        subscriber_unsubscribe(token=token)
        # Already gone is the same answer: the address is not stored.
        return render(request, "subscriptions/unsubscribed.html")
    if not Subscriber.objects.filter(token=token).exists():
        raise Http404
    return render(request, "subscriptions/unsubscribe.html", {"token": token})
