from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton och behörigheter")

    def ready(self) -> None:
        # Registers the object-level rules with django-rules.
        from accounts import permissions  # noqa: F401
        from accounts.roles import ensure_roles

        post_migrate.connect(ensure_roles, sender=self)


class LockoutConfig(AxesAppConfig):
    """django-axes (the login lockout) under a Swedish name in the admin; the library
    names its app "Axes" in every language. Installed in its place (settings)."""

    verbose_name = _("Inloggningsspärr")
