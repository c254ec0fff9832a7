from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = _("sidcache")

    def ready(self) -> None:
        from caching import checks, signals  # noqa: F401 - checks register themselves

        signals.connect_invalidation()
