import pytest
from django.test import override_settings

from tests.smtp import SmtpServer


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as a fresh process would."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- The shared cast of users (accounts/roles.py) --------------------------------
# Timrå and a second municipality, Sundsvall, each with its own staff. Slugs are
# Timrå's own, so load_timra() run before or after reuses them.
#
#   police_reporter, municipality_reporter   report on their organisation's activities
#   police_colleague                         a second police reporter
#   secretary (= timra_secretary)            Timrå's council secretary
#   other_secretary                          Sundsvall's council secretary
#   municipal_administrator                  Timrå's administrator
#   national_administrator (= administrator) every municipality

STAFF_PASSWORD = "rapport-lösen-2026"


def _municipality(slug: str, name: str):
    from promises.models import Municipality

    municipality, _created = Municipality.objects.get_or_create(slug=slug, defaults={"name": name})
    return municipality


@pytest.fixture
def timra(db):
    return _municipality("timra", "Timrå")


@pytest.fixture
def sundsvall(db):
    return _municipality("sundsvall", "Sundsvall")


def _organisation(slug: str, name: str, kind: str, municipality):
    from promises.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "short_name": name, "kind": kind}
    )
    organisation.municipalities.add(municipality)
    return organisation


@pytest.fixture
def police_organisation(timra):
    return _organisation("polisen", "Polisen", "police", timra)


@pytest.fixture
def municipality_organisation(timra):
    return _organisation("timra-kommun", "Timrå kommun", "municipality", timra)


@pytest.fixture
def other_municipality_organisation(sundsvall):
    return _organisation("sundsvalls-kommun", "Sundsvalls kommun", "municipality", sundsvall)


def _staff_user(username: str, role: str, organisation, municipalities=None):
    from accounts.services import staff_user_create

    return staff_user_create(
        username=username,
        role=role,
        organisation=organisation,
        municipalities=municipalities,
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
def police_colleague(police_organisation):
    """A second reporter of the police, for what one reporter may not do to another's report."""
    from accounts.roles import REPORTER

    return _staff_user("narpolisen", REPORTER, police_organisation)


@pytest.fixture
def secretary(municipality_organisation, timra):
    from accounts.roles import SECRETARY

    return _staff_user("sekreteraren", SECRETARY, municipality_organisation, [timra])


@pytest.fixture
def timra_secretary(secretary):
    return secretary


@pytest.fixture
def other_secretary(other_municipality_organisation, sundsvall):
    from accounts.roles import SECRETARY

    return _staff_user(
        "sundsvalls-sekreterare", SECRETARY, other_municipality_organisation, [sundsvall]
    )


@pytest.fixture
def municipal_administrator(timra):
    from accounts.roles import ADMINISTRATOR

    return _staff_user("timra-administratoren", ADMINISTRATOR, None, [timra])


@pytest.fixture
def national_administrator(db):
    from accounts.roles import NATIONAL_ADMINISTRATOR

    return _staff_user("administratoren", NATIONAL_ADMINISTRATOR, None)


@pytest.fixture
def administrator(national_administrator):
    """Acts in every municipality, so tests of other rules need not place their objects."""
    return national_administrator


# --- Each municipality's council work and plan -------------------------------------


def _plan(municipality, name: str) -> dict:
    from tests.activities.factories import ActivityFactory
    from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
    from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory

    period = PeriodFactory(municipality=municipality, is_published=True)
    focus_area = FocusAreaFactory(period=period)
    promise = PromiseFactory(period=period, focus_areas=[focus_area])
    activity = ActivityFactory(promise=promise)
    council = CouncilFactory(municipality=municipality, name=f"Rådet i {name}")
    meeting = MeetingFactory(council=council, period=period)
    return {
        "period": period,
        "focus_area": focus_area,
        "promise": promise,
        "activity": activity,
        "council": council,
        "meeting": meeting,
        "follow_up": FollowUpFactory(meeting=meeting, promise=promise),
    }


@pytest.fixture
def timra_plan(timra) -> dict:
    """Timrå's period, focus area, promise, activity, council, meeting and follow-up."""
    return _plan(timra, "Timrå")


@pytest.fixture
def sundsvall_plan(sundsvall) -> dict:
    """The same for Sundsvall, where Timrå's staff may not act."""
    return _plan(sundsvall, "Sundsvall")


@pytest.fixture
def sundsvall_council(sundsvall_plan):
    return sundsvall_plan["council"]


@pytest.fixture
def sundsvall_period(sundsvall_plan):
    return sundsvall_plan["period"]


@pytest.fixture
def sundsvall_promise(sundsvall_plan):
    return sundsvall_plan["promise"]


@pytest.fixture
def sundsvall_activity(sundsvall_plan):
    return sundsvall_plan["activity"]


@pytest.fixture
def sundsvall_meeting(sundsvall_plan):
    return sundsvall_plan["meeting"]


# --- Holders of the plan's model permissions (the services' "draft" rule) -------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("rot", "rot@example.invalid", "x")


@pytest.fixture
def plan_editor(django_user_model, municipality_organisation):
    """Holds the plan's model permissions without being an administrator.

    Works for Timrå's municipality, so acts in Timrå, where its tests place the plan.
    """
    from django.contrib.auth.models import Permission

    from accounts.models import StaffProfile

    editor = django_user_model.objects.create_user("redaktor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["promises", "activities"],
            codename__regex=r"^(view|add|change|delete)_(period|focusarea|promise|activity|indicator)$",
        )
    )
    StaffProfile.objects.create(user=editor, organisation=municipality_organisation)
    return django_user_model.objects.get(pk=editor.pk)


@pytest.fixture
def smtp():
    """A real SMTP server on a free port, which the portal's mailer uses."""
    server = SmtpServer().start()
    with override_settings(MAILERS=server.mailers(), SITE_URL="https://trygghet.example.se"):
        yield server
    server.stop()
