from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefaultConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig


class TwofactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = _("Tvåfaktorsinloggning")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from twofactor.checks import check_session_engine
        from twofactor.signals import remember_two_factor_state

        user_logged_in.connect(remember_two_factor_state, dispatch_uid="twofactor-login")
        checks.register(check_session_engine, checks.Tags.security)


# django-otp's device apps under Swedish names (the library names them "Otp_Totp" and
# "Otp_Static" in every language), installed in their place (settings). Their
# devices are listed in the admin through twofactor.models.Authenticator.
class TOTPConfig(TOTPDefaultConfig):
    verbose_name = _("Autentiseringsappar")


class BackupCodesConfig(StaticDefaultConfig):
    verbose_name = _("Reservkoder")
