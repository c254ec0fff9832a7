from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Residents' voice: the dialogues behind the focus areas, and questions to the council."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "participation"
    verbose_name = _("Invånarnas röst")

    def ready(self) -> None:
        from participation import receivers

        receivers.connect()
