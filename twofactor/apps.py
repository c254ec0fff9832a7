from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwofactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("tvåfaktorsinloggning")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from twofactor.signals import remember_pending_step

        user_logged_in.connect(remember_pending_step, dispatch_uid="twofactor-login")
