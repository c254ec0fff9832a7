import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as a fresh process would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- The shared cast of users (accounts/roles.py) --------------------------------
# Organisations use Timrå's slugs, so load_timra() run before or after reuses them.

STAFF_PASSWORD = "rapport-lösen-2026"


def _organisation(slug: str, name: str, kind: str):
    from promises.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "short_name": name, "kind": kind}
    )
    return organisation


@pytest.fixture
def police_organisation(db):
    return _organisation("polisen", "Polisen", "police")


@pytest.fixture
def municipality_organisation(db):
    return _organisation("timra-kommun", "Timrå kommun", "municipality")


def _staff_user(username: str, role: str, organisation):
    from accounts.services import staff_user_create

    return staff_user_create(
        username=username,
        role=role,
        organisation=organisation,
        password=STAFF_PASSWORD,
        email=f"{username}@example.invalid",
    )


@pytest.fixture
def police_reporter(police_organisation):
    from accounts.roles import REPORTER

    return _staff_user("kommunpolisen", REPORTER, police_organisation)


@pytest.fixture
def municipality_reporter(municipality_organisation):
    from accounts.roles import REPORTER

    return _staff_user("trygghetssamordnaren", REPORTER, municipality_organisation)


@pytest.fixture
def secretary(municipality_organisation):
    from accounts.roles import SECRETARY

    return _staff_user("sekreteraren", SECRETARY, municipality_organisation)


@pytest.fixture
def administrator(db):
    from accounts.roles import ADMINISTRATOR

    return _staff_user("administratoren", ADMINISTRATOR, None)
