from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    """The organisation a user works for and the municipalities their role acts in.

    Every user but administrators has an organisation. Secretaries and
    administrators act only in their municipalities; a national administrator
    (see ``accounts.roles``) needs none.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    organisation = models.ForeignKey(
        # By label: accounts sit below the domain apps (README, "Layers").
        "promises.Organisation",
        verbose_name=_("aktör"),
        on_delete=models.PROTECT,
        related_name="staff_profiles",
        null=True,
        blank=True,
        help_text=_("Aktören som användaren rapporterar för."),
    )
    municipalities = models.ManyToManyField(
        "promises.Municipality",
        verbose_name=_("kommuner"),
        related_name="staff_profiles",
        blank=True,
        help_text=_(
            "Kommunerna där sekreterare och administratörer får arbeta. "
            "En nationell administratör arbetar i alla kommuner."
        ),
    )

    class Meta:
        verbose_name = _("personalprofil")
        verbose_name_plural = _("personalprofiler")

    def __str__(self) -> str:
        if self.organisation_id is None:
            return str(self.user)
        return f"{self.user} ({self.organisation})"
