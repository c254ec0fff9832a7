"""Progress reports posted at the same moment: updates are appended, never overwritten."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import Activity, ProgressUpdate
from tests.activities.factories import ActivityFactory
from tests.concurrency import Together, require_postgresql, row_gate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_activity(police_organisation, municipality_organisation):
    return ActivityFactory(
        title="Trygghetsvandringar",
        lead_organisation=police_organisation,
        other_organisations=[municipality_organisation],
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(client: Client, activity, text: str, percent: int, token: uuid.UUID | None = None):
    return client.post(
        reverse("staff:report_create", args=[activity.pk]),
        {
            "submission_token": str(token or uuid.uuid4()),
            "status": "in_progress",
            "percent_complete": str(percent),
            "text": text,
        },
    )


def test_two_reporters_reporting_on_one_activity_at_the_same_moment_both_are_stored(
    shared_activity, police_reporter, municipality_reporter
):
    require_postgresql()
    police, municipality = logged_in(police_reporter), logged_in(municipality_reporter)

    with row_gate(Activity, shared_activity.pk) as gate:
        together = Together(
            lambda: report(police, shared_activity, "Polisens kvällspass.", 30),
            lambda: report(municipality, shared_activity, "Kommunens vandring.", 40),
        )
        gate.wait_for(2)  # both reports are written and wait for the activity's row
    responses = together.results()

    assert [r.status_code for r in responses] == [302, 302]
    updates = ProgressUpdate.objects.filter(activity=shared_activity).order_by("text")
    assert [(u.text, u.percent_complete, u.author, u.organisation.slug) for u in updates] == [
        ("Kommunens vandring.", 40, municipality_reporter, "timra-kommun"),
        ("Polisens kvällspass.", 30, police_reporter, "polisen"),
    ]
    assert ProgressUpdate.history.filter(activity_id=shared_activity.pk).count() == 2


def test_one_form_submitted_twice_at_the_same_moment_is_stored_once(
    shared_activity, police_reporter
):
    require_postgresql()
    first_tab, second_tab = logged_in(police_reporter), logged_in(police_reporter)
    token = uuid.uuid4()

    with row_gate(Activity, shared_activity.pk) as gate:
        together = Together(
            lambda: report(first_tab, shared_activity, "Samma rapport.", 30, token),
            lambda: report(second_tab, shared_activity, "Samma rapport.", 30, token),
        )
        gate.wait_for(2)
    responses = together.results()

    assert [r.status_code for r in responses] == [302, 302]
    assert ProgressUpdate.objects.filter(activity=shared_activity).count() == 1
