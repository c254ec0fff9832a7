from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from promises.models import Organisation


class StaffProfile(models.Model):
    """The organisation a user works for: every user but administrators has one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("aktör"),
        on_delete=models.PROTECT,
        related_name="staff_profiles",
        help_text=_("Aktören som användaren rapporterar för."),
    )

    class Meta:
        verbose_name = _("personalprofil")
        verbose_name_plural = _("personalprofiler")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"
