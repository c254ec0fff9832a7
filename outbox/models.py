"""E-mail waiting to be sent; a row lives only until its message is delivered."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One message to one recipient, kept until the SMTP server has taken it.

    The row is deleted as soon as the message is delivered, so no address stays
    here longer than sending takes (or, while the SMTP server is away, until it
    is back).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("väntar")
        SENDING = "sending", _("skickas")
        FAILED = "failed", _("gick inte att skicka")

    to = models.EmailField(_("mottagare"))
    # Which app's mail this is, so that app can withdraw its own unsent mail.
    kind = models.CharField(_("slag"), max_length=40, blank=True)
    subject = models.CharField(_("ämne"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("extra rubriker"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    claimed_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("utgående e-brev")
        verbose_name_plural = _("utgående e-brev")
        indexes = [models.Index(fields=["to"]), models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.subject
