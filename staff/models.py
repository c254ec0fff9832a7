import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSubmission(models.Model):
    """One submitted report form, by its one-time token: a double submit saves once."""

    token = models.UUIDField(_("formulärets nyckel"), primary_key=True, default=uuid.uuid4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE
    )
    progress_update = models.OneToOneField(
        "activities.ProgressUpdate",
        verbose_name=_("lägesrapport"),
        on_delete=models.CASCADE,
        related_name="submission",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("inskickad lägesrapport")
        verbose_name_plural = _("inskickade lägesrapporter")

    def __str__(self) -> str:
        return str(self.token)
