"""The whole matrix: role × object × action → allowed or denied (accounts/permissions.py).

The objects are Timrå's, where the reporters' organisations, the secretary and the
municipal administrator work, and Sundsvall's, where only Sundsvall's secretary and
the national administrator act.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from activities.models import Measurement, ProgressUpdate
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import (
    FocusAreaFactory,
    OrganisationFactory,
    PeriodFactory,
    PromiseFactory,
)

ROLES = [
    "police_reporter",
    "municipality_reporter",
    "secretary",
    "other_secretary",
    "municipal_administrator",
    "national_administrator",
    "anonymous",
]
ADMINISTRATORS = {"municipal_administrator", "national_administrator"}

# (permission, object) -> roles allowed; every other role is denied.
ALLOWED = {
    # Reporting: only on the user's organisation's activities (lead or co-responsible).
    ("activities.add_progressupdate", "police_activity"): {"police_reporter", *ADMINISTRATORS},
    ("activities.add_progressupdate", "shared_activity"): {
        "police_reporter",
        "municipality_reporter",
        *ADMINISTRATORS,
    },
    ("activities.add_progressupdate", "municipality_activity"): {
        "municipality_reporter",
        *ADMINISTRATORS,
    },
    ("activities.add_progressupdate", "draft_activity"): {"police_reporter", *ADMINISTRATORS},
    ("activities.add_measurement", "police_indicator"): {"police_reporter", *ADMINISTRATORS},
    ("activities.add_measurement", "municipality_indicator"): {
        "municipality_reporter",
        *ADMINISTRATORS,
    },
    ("activities.add_measurement", "promise_indicator"): ADMINISTRATORS,
    # Own update for 24 hours; history is never deleted or rewritten after that.
    ("activities.change_progressupdate", "own_recent_update"): {"police_reporter"},
    ("activities.change_progressupdate", "own_old_update"): set(),
    ("activities.change_progressupdate", "colleague_update"): set(),
    ("activities.delete_progressupdate", "own_recent_update"): set(),
    ("activities.delete_progressupdate", "colleague_update"): set(),
    ("activities.change_measurement", "police_measurement"): set(),
    # One's own mistyped measurement, like one's own update: for 24 hours.
    ("activities.change_measurement", "own_recent_measurement"): {"police_reporter"},
    ("activities.change_measurement", "own_old_measurement"): set(),
    ("activities.delete_measurement", "police_measurement"): set(),
    # Reading history: staff who follow up, and reporters on their own activities.
    ("activities.view_progressupdate", "colleague_update"): {
        "police_reporter",
        "secretary",
        *ADMINISTRATORS,
    },
    ("activities.view_progressupdate", "municipality_update"): {
        "municipality_reporter",
        "secretary",
        *ADMINISTRATORS,
    },
    ("activities.view_activity", "police_activity"): {
        "police_reporter",
        "secretary",
        *ADMINISTRATORS,
    },
    # The plan of a published period: administrators only.
    ("promises.change_period", "published_period"): ADMINISTRATORS,
    ("promises.change_focusarea", "published_focus_area"): ADMINISTRATORS,
    ("promises.change_promise", "published_promise"): ADMINISTRATORS,
    ("promises.delete_promise", "published_promise"): ADMINISTRATORS,
    ("promises.change_promise", "draft_promise"): ADMINISTRATORS,
    ("activities.change_activity", "police_activity"): ADMINISTRATORS,
    ("activities.delete_activity", "police_activity"): ADMINISTRATORS,
    ("activities.change_indicator", "police_indicator"): ADMINISTRATORS,
    ("promises.view_promise", "published_promise"): {"secretary", *ADMINISTRATORS},
    ("promises.change_organisation", "police_organisation"): ADMINISTRATORS,
    # The council's work: the secretary (and administrators).
    ("followup.change_council", "council"): {"secretary", *ADMINISTRATORS},
    ("followup.change_meeting", "meeting"): {"secretary", *ADMINISTRATORS},
    # Published minutes are public records: nobody deletes them; a draft the staff may.
    ("followup.delete_meeting", "meeting"): set(),
    ("followup.delete_followup", "follow_up"): set(),
    ("followup.delete_meeting", "draft_meeting"): {"secretary", *ADMINISTRATORS},
    ("followup.unpublish_meeting", "meeting"): ADMINISTRATORS,
    ("followup.change_followup", "follow_up"): {"secretary", *ADMINISTRATORS},
    ("followup.view_meeting", "meeting"): {"secretary", *ADMINISTRATORS},
    # Importing activity plans (the period is chosen in the form).
    ("activities.import_activity", None): ADMINISTRATORS,
    # Timrå's municipality itself; adding or deleting municipalities is national.
    ("promises.view_municipality", "timra"): {"secretary", *ADMINISTRATORS},
    ("promises.change_municipality", "timra"): ADMINISTRATORS,
    ("promises.delete_municipality", "timra"): {"national_administrator"},
    # Another municipality: its own secretary and the national administrator only.
    ("promises.view_municipality", "sundsvall"): {"other_secretary", "national_administrator"},
    ("promises.change_municipality", "sundsvall"): {"national_administrator"},
    ("promises.view_period", "sundsvall_period"): {"other_secretary", "national_administrator"},
    ("promises.change_period", "sundsvall_period"): {"national_administrator"},
    ("promises.change_focusarea", "sundsvall_focus_area"): {"national_administrator"},
    ("promises.view_promise", "sundsvall_promise"): {"other_secretary", "national_administrator"},
    ("promises.change_promise", "sundsvall_promise"): {"national_administrator"},
    ("promises.change_promise", "sundsvall_draft_promise"): {"national_administrator"},
    ("activities.view_activity", "sundsvall_activity"): {
        "other_secretary",
        "national_administrator",
    },
    ("activities.change_activity", "sundsvall_activity"): {"national_administrator"},
    ("activities.add_progressupdate", "sundsvall_activity"): {"national_administrator"},
    ("activities.view_progressupdate", "sundsvall_update"): {
        "other_secretary",
        "national_administrator",
    },
    ("activities.add_measurement", "sundsvall_indicator"): {"national_administrator"},
    ("activities.change_indicator", "sundsvall_indicator"): {"national_administrator"},
    ("activities.view_measurement", "sundsvall_measurement"): {
        "other_secretary",
        "national_administrator",
    },
    ("followup.view_council", "sundsvall_council"): {"other_secretary", "national_administrator"},
    ("followup.change_council", "sundsvall_council"): {
        "other_secretary",
        "national_administrator",
    },
    ("followup.view_meeting", "sundsvall_meeting"): {"other_secretary", "national_administrator"},
    ("followup.change_meeting", "sundsvall_meeting"): {
        "other_secretary",
        "national_administrator",
    },
    # Sundsvall's minutes are published, a public record nobody deletes; her draft, she may.
    ("followup.delete_meeting", "sundsvall_meeting"): set(),
    ("followup.delete_meeting", "sundsvall_draft_meeting"): {
        "other_secretary",
        "national_administrator",
    },
    ("followup.change_followup", "sundsvall_follow_up"): {
        "other_secretary",
        "national_administrator",
    },
    # An organisation working in both: read by all staff, changed nationally.
    ("promises.view_organisation", "shared_organisation"): {
        "secretary",
        "other_secretary",
        *ADMINISTRATORS,
    },
    ("promises.change_organisation", "shared_organisation"): {"national_administrator"},
    ("promises.change_organisation", "sundsvall_organisation"): {"national_administrator"},
    # Users: the municipal administrator manages Timrå's, never a national one.
    ("auth.change_user", "secretary"): ADMINISTRATORS,
    ("auth.view_user", "secretary"): ADMINISTRATORS,
    ("auth.change_user", "other_secretary"): {"national_administrator"},
    ("auth.view_user", "other_secretary"): {"national_administrator"},
    ("auth.change_user", "national_administrator"): {"national_administrator"},
    ("auth.delete_user", "national_administrator"): {"national_administrator"},
}

MATRIX = [
    pytest.param(role, perm, target, role in allowed, id=f"{role}-{perm}-{target}")
    for (perm, target), allowed in ALLOWED.items()
    for role in ROLES
]


@pytest.fixture
def users(
    police_reporter,
    municipality_reporter,
    secretary,
    other_secretary,
    municipal_administrator,
    national_administrator,
):
    return {
        "police_reporter": police_reporter,
        "municipality_reporter": municipality_reporter,
        "secretary": secretary,
        "other_secretary": other_secretary,
        "municipal_administrator": municipal_administrator,
        "national_administrator": national_administrator,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def sundsvall_objects(sundsvall_plan, sundsvall, timra, other_municipality_organisation):
    activity = sundsvall_plan["activity"]
    indicator = IndicatorFactory(activity=activity)
    shared = OrganisationFactory()
    shared.municipalities.set([timra, sundsvall])
    return {
        "sundsvall": sundsvall,
        **{f"sundsvall_{name}": obj for name, obj in sundsvall_plan.items()},
        "sundsvall_draft_promise": PromiseFactory(
            period=PeriodFactory(municipality=sundsvall, is_published=False)
        ),
        "sundsvall_draft_meeting": MeetingFactory(
            council=sundsvall_plan["council"], period=sundsvall_plan["period"], is_published=False
        ),
        "sundsvall_update": ProgressUpdateFactory(activity=activity),
        "sundsvall_indicator": indicator,
        "sundsvall_measurement": MeasurementFactory(indicator=indicator),
        "sundsvall_organisation": other_municipality_organisation,
        "shared_organisation": shared,
    }


@pytest.fixture
def objects(
    police_organisation, municipality_organisation, police_reporter, users, timra, sundsvall_objects
):
    period = PeriodFactory(municipality=timra, is_published=True)
    draft_period = PeriodFactory(municipality=period.municipality, is_published=False)
    promise = PromiseFactory(period=period)
    draft_promise = PromiseFactory(period=draft_period)
    police_activity = ActivityFactory(promise=promise, lead_organisation=police_organisation)
    shared_activity = ActivityFactory(
        promise=promise,
        lead_organisation=municipality_organisation,
        other_organisations=[police_organisation],
    )
    municipality_activity = ActivityFactory(
        promise=promise, lead_organisation=municipality_organisation
    )
    own_old_update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    ProgressUpdate.objects.filter(pk=own_old_update.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    own_old_update.refresh_from_db()
    police_indicator = IndicatorFactory(activity=police_activity)
    own_old_measurement = MeasurementFactory(
        indicator=police_indicator, recorded_by=police_reporter
    )
    Measurement.objects.filter(pk=own_old_measurement.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    own_old_measurement.refresh_from_db()
    follow_up = FollowUpFactory(meeting__period=period, promise=promise)
    return {
        "police_activity": police_activity,
        "shared_activity": shared_activity,
        "municipality_activity": municipality_activity,
        "draft_activity": ActivityFactory(
            promise=draft_promise, lead_organisation=police_organisation
        ),
        "police_indicator": police_indicator,
        "municipality_indicator": IndicatorFactory(activity=municipality_activity),
        "promise_indicator": IndicatorFactory(activity=None, promise=promise),
        "own_recent_update": ProgressUpdateFactory(
            activity=police_activity, author=police_reporter
        ),
        "own_old_update": own_old_update,
        "colleague_update": ProgressUpdateFactory(activity=police_activity, author=None),
        "municipality_update": ProgressUpdateFactory(activity=municipality_activity),
        "police_measurement": MeasurementFactory(indicator=police_indicator),
        "own_recent_measurement": MeasurementFactory(
            indicator=police_indicator, recorded_by=police_reporter
        ),
        "own_old_measurement": own_old_measurement,
        "published_period": period,
        "published_focus_area": FocusAreaFactory(period=period),
        "published_promise": promise,
        "draft_promise": draft_promise,
        "police_organisation": police_organisation,
        "council": follow_up.meeting.council,
        "meeting": follow_up.meeting,
        "draft_meeting": MeetingFactory(period=period, is_published=False),
        "follow_up": follow_up,
        "timra": timra,
        **sundsvall_objects,
        **{name: user for name, user in users.items() if name != "anonymous"},
        None: None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "perm", "target", "expected"), MATRIX)
def test_permission_matrix(users, objects, role, perm, target, expected):
    from accounts.permissions import allowed

    user = users[role]
    assert user.has_perm(perm, objects[target]) is expected
    # The services ask the rules directly (no superuser shortcut): the same answer.
    assert allowed(user, perm, objects[target]) is expected


@pytest.mark.django_db
def test_a_user_holding_a_model_permission_changes_a_draft_promise_but_not_a_published_one(
    django_user_model, municipality_organisation, timra, sundsvall
):
    """Without a role, such a user acts where their organisation works (Timrå)."""
    from django.contrib.auth.models import Permission

    from accounts.models import StaffProfile

    editor = django_user_model.objects.create_user("redaktor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_promise"))
    StaffProfile.objects.create(user=editor, organisation=municipality_organisation)
    editor = django_user_model.objects.get(pk=editor.pk)

    def promise(municipality, published):
        return PromiseFactory(period__municipality=municipality, period__is_published=published)

    assert editor.has_perm("promises.change_promise", promise(timra, published=False))
    assert not editor.has_perm("promises.change_promise", promise(timra, published=True))
    assert not editor.has_perm("promises.change_promise", promise(sundsvall, published=False))


@pytest.mark.django_db
def test_an_inactive_administrator_may_do_nothing(administrator, police_organisation):
    administrator.is_active = False
    administrator.save()
    activity = ActivityFactory(lead_organisation=police_organisation)
    assert not administrator.has_perm("activities.add_progressupdate", activity)
    assert not administrator.has_perm("promises.change_promise", activity.promise)
