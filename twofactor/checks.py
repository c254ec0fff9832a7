from django.conf import settings
from django.core.checks import Error

from twofactor.services import SESSION_ENGINES_WITH_TABLE


def check_session_engine(app_configs, **kwargs) -> list[Error]:
    """Enrolling ends the user's other sessions by reading the session table."""
    if settings.SESSION_ENGINE in SESSION_ENGINES_WITH_TABLE:
        return []
    return [
        Error(
            f"SESSION_ENGINE {settings.SESSION_ENGINE!r} keeps no session table, so "
            "enrolling two-factor could not end the user's other sessions.",
            hint="Use django.contrib.sessions.backends.db or cached_db.",
            id="twofactor.E001",
        )
    ]
