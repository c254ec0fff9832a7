"""The whole matrix: role × object × action → allowed or denied (accounts/permissions.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from activities.models import ProgressUpdate
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory

ROLES = ["police_reporter", "municipality_reporter", "secretary", "administrator", "anonymous"]

# (permission, object) -> roles allowed; every other role is denied.
ALLOWED = {
    # Reporting: only on the user's organisation's activities (lead or co-responsible).
    ("activities.add_progressupdate", "police_activity"): {"police_reporter", "administrator"},
    ("activities.add_progressupdate", "shared_activity"): {
        "police_reporter",
        "municipality_reporter",
        "administrator",
    },
    ("activities.add_progressupdate", "municipality_activity"): {
        "municipality_reporter",
        "administrator",
    },
    ("activities.add_progressupdate", "draft_activity"): {"police_reporter", "administrator"},
    ("activities.add_measurement", "police_indicator"): {"police_reporter", "administrator"},
    ("activities.add_measurement", "municipality_indicator"): {
        "municipality_reporter",
        "administrator",
    },
    ("activities.add_measurement", "promise_indicator"): {"administrator"},
    # Own update for 24 hours; history is never deleted or rewritten after that.
    ("activities.change_progressupdate", "own_recent_update"): {"police_reporter"},
    ("activities.change_progressupdate", "own_old_update"): set(),
    ("activities.change_progressupdate", "colleague_update"): set(),
    ("activities.delete_progressupdate", "own_recent_update"): set(),
    ("activities.delete_progressupdate", "colleague_update"): set(),
    ("activities.change_measurement", "police_measurement"): set(),
    ("activities.delete_measurement", "police_measurement"): set(),
    # Reading history: staff who follow up, and reporters on their own activities.
    ("activities.view_progressupdate", "colleague_update"): {
        "police_reporter",
        "secretary",
        "administrator",
    },
    ("activities.view_progressupdate", "municipality_update"): {
        "municipality_reporter",
        "secretary",
        "administrator",
    },
    ("activities.view_activity", "police_activity"): {
        "police_reporter",
        "secretary",
        "administrator",
    },
    # The plan of a published period: administrators only.
    ("promises.change_period", "published_period"): {"administrator"},
    ("promises.change_focusarea", "published_focus_area"): {"administrator"},
    ("promises.change_promise", "published_promise"): {"administrator"},
    ("promises.delete_promise", "published_promise"): {"administrator"},
    ("promises.change_promise", "draft_promise"): {"administrator"},
    ("activities.change_activity", "police_activity"): {"administrator"},
    ("activities.delete_activity", "police_activity"): {"administrator"},
    ("activities.change_indicator", "police_indicator"): {"administrator"},
    ("promises.view_promise", "published_promise"): {"secretary", "administrator"},
    ("promises.change_organisation", "police_organisation"): {"administrator"},
    # The council's work: the secretary (and administrators).
    ("followup.change_council", "council"): {"secretary", "administrator"},
    ("followup.change_meeting", "meeting"): {"secretary", "administrator"},
    # Published minutes are public records: nobody deletes them; a draft the staff may.
    ("followup.delete_meeting", "meeting"): set(),
    ("followup.delete_followup", "follow_up"): set(),
    ("followup.delete_meeting", "draft_meeting"): {"secretary", "administrator"},
    ("followup.unpublish_meeting", "meeting"): {"administrator"},
    ("followup.change_followup", "follow_up"): {"secretary", "administrator"},
    ("followup.view_meeting", "meeting"): {"secretary", "administrator"},
    # Importing activity plans.
    ("activities.import_activity", None): {"administrator"},
}

MATRIX = [
    pytest.param(role, perm, target, role in allowed, id=f"{role}-{perm}-{target}")
    for (perm, target), allowed in ALLOWED.items()
    for role in ROLES
]


@pytest.fixture
def users(police_reporter, municipality_reporter, secretary, administrator):
    return {
        "police_reporter": police_reporter,
        "municipality_reporter": municipality_reporter,
        "secretary": secretary,
        "administrator": administrator,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def objects(police_organisation, municipality_organisation, police_reporter, users):
    period = PeriodFactory(is_published=True)
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
        "published_period": period,
        "published_focus_area": FocusAreaFactory(period=period),
        "published_promise": promise,
        "draft_promise": draft_promise,
        "police_organisation": police_organisation,
        "council": follow_up.meeting.council,
        "meeting": follow_up.meeting,
        "draft_meeting": MeetingFactory(period=period, is_published=False),
        "follow_up": follow_up,
        None: None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "perm", "target", "expected"), MATRIX)
def test_permission_matrix(users, objects, role, perm, target, expected):
    user = users[role]
    assert user.has_perm(perm, objects[target]) is expected


@pytest.mark.django_db
def test_a_user_holding_a_model_permission_changes_a_draft_promise_but_not_a_published_one(
    django_user_model,
):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("redaktor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_promise"))
    editor = django_user_model.objects.get(pk=editor.pk)

    assert editor.has_perm("promises.change_promise", PromiseFactory(period__is_published=False))
    assert not editor.has_perm("promises.change_promise", PromiseFactory(period__is_published=True))


@pytest.mark.django_db
def test_an_inactive_administrator_may_do_nothing(administrator, police_organisation):
    administrator.is_active = False
    administrator.save()
    activity = ActivityFactory(lead_organisation=police_organisation)
    assert not administrator.has_perm("activities.add_progressupdate", activity)
    assert not administrator.has_perm("promises.change_promise", activity.promise)
