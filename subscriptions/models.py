"""Residents who follow promises by e-mail.

An address is stored only for its subscriptions: it is deleted when its owner
unsubscribes (one click in any e-mail), when an administrator deletes it, and
when nobody confirmed it within ``CONFIRMATION_DAYS``.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from promises.models import Promise

CONFIRMATION_DAYS = 7


def new_token() -> str:
    # 128 random bits: unguessable, and short enough that the List-Unsubscribe
    # header fits on one line (a longer URL is folded into RFC 2047 encoded
    # words, which mail clients do not read as a link).
    return secrets.token_urlsafe(16)


class Subscriber(models.Model):
    """One e-mail address, with the state of its daily digest."""

    email = models.EmailField(_("e-postadress"), unique=True)
    # The unsubscribe link's secret: random, so a link cannot be guessed, and
    # never reused by a later subscriber of the same row number.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    last_digest_at = models.DateTimeField(_("senaste sammanfattning"), null=True, blank=True)
    digest_due = models.BooleanField(_("sammanfattning väntar"), default=False)

    class Meta:
        verbose_name = _("prenumerant")
        verbose_name_plural = _("prenumeranter")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """One subscriber following one promise; active once confirmed."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="+", verbose_name=_("löfte")
    )
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("bekräftelse skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("prenumeration")
        verbose_name_plural = _("prenumerationer")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "promise"], name="subscription_once_per_promise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.promise}"
