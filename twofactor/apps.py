from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwofactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("tvåfaktorsinloggning")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from twofactor.checks import check_session_engine
        from twofactor.signals import remember_two_factor_state

        user_logged_in.connect(remember_two_factor_state, dispatch_uid="twofactor-login")
        checks.register(check_session_engine, checks.Tags.security)
