"""Every change made in the admin is in the object's history, with who made it."""

import pytest
from django.urls import reverse

from tests.activities.factories import ActivityFactory, IndicatorFactory
from tests.admin_helpers import admin_form_data
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import (
    FocusAreaFactory,
    OrganisationFactory,
    PeriodFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db


def promise_with_organisations_and_areas():
    period = PeriodFactory()
    return PromiseFactory(
        period=period,
        organisations=[OrganisationFactory()],
        focus_areas=[FocusAreaFactory(period=period)],
    )


def draft_meeting():
    return MeetingFactory(is_published=False)


def draft_follow_up():
    return FollowUpFactory(meeting=draft_meeting())


CASES = [
    ("promises", "period", PeriodFactory, "name", "2025–2027"),
    ("promises", "focusarea", FocusAreaFactory, "name", "Trygg trafik"),
    (
        "promises",
        "promise",
        promise_with_organisations_and_areas,
        "title",
        "Ett omformulerat löfte",
    ),
    ("activities", "activity", ActivityFactory, "title", "Ny rubrik på insatsen"),
    ("activities", "indicator", IndicatorFactory, "name", "Antal kontroller"),
    # Drafts: published minutes change only with a reason (tests/followup/test_public_record.py).
    ("followup", "meeting", draft_meeting, "place", "Stadshuset, sal 2"),
    ("followup", "followup", draft_follow_up, "comment", "Rådet är nöjt."),
]


@pytest.mark.parametrize(
    ("app_label", "model", "factory", "field", "value"),
    CASES,
    ids=[case[1] for case in CASES],
)
def test_a_change_in_the_admin_appears_in_its_history_with_the_user(
    client, administrator, app_label, model, factory, field, value
):
    obj = factory()
    client.force_login(administrator)
    url = reverse(f"admin:{app_label}_{model}_change", args=[obj.pk])
    response = client.post(url, admin_form_data(client.get(url), **{field: value}))
    assert response.status_code == 302, response.context["errors"] if response.context else ""

    newest = obj.history.first()
    assert getattr(newest, field) == value
    assert newest.history_type == "~"
    assert newest.history_user == administrator

    history_page = client.get(reverse(f"admin:{app_label}_{model}_history", args=[obj.pk]))
    assert history_page.status_code == 200
    assert administrator.username in history_page.text


def test_the_secretarys_changes_to_a_meeting_are_recorded_as_theirs(client, secretary, timra):
    meeting = MeetingFactory(period__municipality=timra, is_published=False)
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_change", args=[meeting.pk])
    client.post(url, admin_form_data(client.get(url), minutes="Protokollet justerat."))
    assert meeting.history.first().history_user == secretary
    assert meeting.history.first().minutes == "Protokollet justerat."
