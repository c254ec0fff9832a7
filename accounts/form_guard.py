"""Spam protection for the public forms, without third parties or cookies of its own.

Three checks, each answering with a plain Swedish message:

- a honeypot: a field people never see or fill in (hidden from sight and from
  screen readers), which form-filling robots do fill in;
- a signed minimum fill time: the page carries the time it was made, signed
  with the secret key, and a form sent back sooner than ``MIN_FILL_SECONDS``
  (or with a forged or day-old time) is refused;
- a limit per client address (``accounts.client_ip``), counted in the shared
  cache: at most ``limit`` accepted submissions per ``window`` seconds.

``GuardedForm`` adds the first two to a form; the view asks ``rate_limited``
before saving and ``count_submission`` after.
"""

import hashlib
import time

from django import forms
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = started_token()

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
        if age < MIN_FILL_SECONDS:
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
    address = client_ip(request) or "unknown"
    digest = hashlib.sha256(f"{scope}\n{address}".encode()).hexdigest()
    return f"form-guard:{scope}:{digest}"


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
