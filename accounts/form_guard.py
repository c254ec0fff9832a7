"""Spam protection for the public forms, without third parties or cookies of its own.

Three checks, each answering with a plain Swedish message:

- a honeypot: a field people never see or fill in (hidden from sight and from
  screen readers), which form-filling robots do fill in;
- a signed minimum fill time: the page carries the time it was made, signed
  with the secret key, and a form sent back sooner than the form's minimum
  (``MIN_FILL_SECONDS``, or the setting named by ``min_fill_seconds_setting``),
  or with a forged or day-old time, is refused;
- a limit per client address (``accounts.client_ip``), counted in the shared
  cache under a keyed hash of the address (the cache never holds the address):
  at most ``limit`` accepted submissions per ``window`` seconds.

``GuardedForm`` adds the first two to a form; the view asks ``rate_limited``
before saving and ``count_submission`` after. A view that would rather thank a
robot than tell it what gave it away asks ``caught_in_honeypot()`` first.
Used by "Följ löftet" (``subscriptions``) and "Fråga rådet" (``participation``).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.client_ip import client_ip

MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
SALT = "accounts.form_guard.started"


def started_token(now: float | None = None) -> str:
    """The signed time the form was made (``now`` in tests that pretend time passed)."""
    return signing.dumps(int(time.time() if now is None else now), salt=SALT)


class GuardedForm(forms.Form):
    # "Webbplats" reads as a plausible field to a robot; people never see it.
    website = forms.CharField(
        required=False,
        label=_("Lämna det här fältet tomt"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    # The name of a setting with this form's minimum fill time, in seconds;
    # without one the form uses MIN_FILL_SECONDS.
    min_fill_seconds_setting: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = started_token()

    def min_fill_seconds(self) -> float:
        if self.min_fill_seconds_setting is None:
            return MIN_FILL_SECONDS
        return getattr(settings, self.min_fill_seconds_setting)

    def caught_in_honeypot(self) -> bool:
        """Whether the field people never see was filled in (so a robot sent the form)."""
        return bool(self.data.get(self.add_prefix("website")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("Formuläret kunde inte skickas. Ladda om sidan och försök igen."),
                code="honeypot",
            )
        try:
            started = signing.loads(self.data.get(self.add_prefix("started"), ""), salt=SALT)
        except signing.BadSignature:
            started = None
        if not isinstance(started, int):
            raise forms.ValidationError(
                _("Formuläret kunde inte skickas. Ladda om sidan och försök igen."),
                code="started_missing",
            )
        age = time.time() - started
        if age < self.min_fill_seconds():
            raise forms.ValidationError(
                _("Formuläret skickades väldigt snabbt. Vänta några sekunder och skicka igen."),
                code="too_fast",
            )
        if age > MAX_FORM_AGE_SECONDS:
            raise forms.ValidationError(
                _("Sidan har varit öppen länge. Ladda om den och skicka formuläret igen."),
                code="too_old",
            )
        return cleaned


def _rate_key(request: HttpRequest, scope: str) -> str:
    # Keyed with the secret key: a plain hash of an IPv4 address is undone by trying them all.
    address = client_ip(request) or "unknown"
    digest = salted_hmac(f"accounts.form_guard.rate.{scope}", address, algorithm="sha256")
    return f"form-guard:{scope}:{digest.hexdigest()}"


def rate_limited(request: HttpRequest, scope: str, limit: int) -> bool:
    """Whether this client address has already sent ``limit`` forms of ``scope`` lately."""
    try:
        return (cache.get(_rate_key(request, scope)) or 0) >= limit
    except Exception:  # the cache is down: let people through rather than lock them out
        return False


def count_submission(request: HttpRequest, scope: str, window: int) -> None:
    key = _rate_key(request, scope)
    try:
        cache.add(key, 0, window)
        cache.incr(key)
    except Exception:  # noqa: S110 - a missed count only loosens the limit for a while
        pass
