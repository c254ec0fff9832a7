import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from activities.services import period_copy
from promises.models import Period
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.promises.factories import (
    FocusAreaFactory,
    OrganisationFactory,
    PeriodFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db


def make_period() -> Period:
    period = PeriodFactory(starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2022, 12, 31))
    area = FocusAreaFactory(period=period, name="Trafiksäkerhet", slug="trafiksakerhet")
    police = OrganisationFactory(name="Polisen")
    promise = PromiseFactory(period=period, focus_areas=[area], organisations=[police])
    activity = ActivityFactory(
        promise=promise, lead_organisation=police, other_organisations=[OrganisationFactory()]
    )
    ProgressUpdateFactory(activity=activity, percent_complete=100, status="completed")
    return period


def test_copy_is_a_draft_period_following_the_original(administrator):
    period = make_period()

    copy = period_copy(user=administrator, period=period)

    assert copy.is_published is False
    assert copy.municipality == period.municipality
    assert (copy.starts_on, copy.ends_on) == (
        datetime.date(2023, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert copy.slug == "2023-2024"


def test_copy_brings_focus_areas_promises_and_activities_but_not_their_history(
    administrator,
):
    period = make_period()

    copy = period_copy(user=administrator, period=period)

    promise = copy.promises.get()
    original = period.promises.get()
    assert promise.text == original.text
    assert [a.slug for a in promise.focus_areas.all()] == ["trafiksakerhet"]
    assert promise.focus_areas.get().period == copy
    assert list(promise.organisations.all()) == list(original.organisations.all())
    activity = promise.activities.get()
    assert activity.other_organisations.count() == 1
    assert not activity.updates.exists()
    assert Activity.objects.with_progress().get(pk=activity.pk).current_percent == 0


def test_copying_twice_gives_distinct_slugs(administrator):
    period = make_period()

    first = period_copy(user=administrator, period=period)
    second = period_copy(user=administrator, period=period)

    assert first.slug != second.slug


def test_admin_action_copies_the_selected_periods(admin_client):
    period = make_period()

    response = admin_client.post(
        reverse("admin:promises_period_changelist"),
        {"action": "copy_to_new_draft_period", "_selected_action": [period.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert Period.objects.filter(municipality=period.municipality).count() == 2
    assert "kopierades" in response.content.decode()
