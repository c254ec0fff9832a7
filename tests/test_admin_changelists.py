"""Every admin changelist answers a superuser, at a cost that does not grow with its rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"promises", "activities", "followup"}
CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
    if model._meta.app_label in DOMAIN_APPS
)


def add_rows(count: int, municipality=None) -> None:
    """A full set of related rows per step, so every changelist grows."""
    for _ in range(count):
        period = PeriodFactory(**({"municipality": municipality} if municipality else {}))
        area = FocusAreaFactory(period=period)
        organisation = OrganisationFactory()
        organisation.municipalities.add(period.municipality)
        promise = PromiseFactory(period=period, focus_areas=[area], organisations=[organisation])
        activity = ActivityFactory(
            promise=promise,
            lead_organisation=organisation,
            other_organisations=[OrganisationFactory()],
        )
        ProgressUpdateFactory(activity=activity)
        MeasurementFactory(indicator=IndicatorFactory(activity=activity))
        FollowUpFactory(meeting=MeetingFactory(period=period), promise=promise)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_every_domain_model_has_a_changelist():
    assert len(CHANGELISTS) == 12


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, name):
    url = reverse(name)
    add_rows(2)
    few = count_queries(admin_client, url)
    add_rows(8)
    many = count_queries(admin_client, url)

    assert many == few


@pytest.mark.parametrize("role", ["secretary", "municipal_administrator"])
@pytest.mark.parametrize("name", CHANGELISTS)
def test_a_municipalitys_changelist_costs_the_same_for_any_number_of_rows(
    client, request, timra, sundsvall, role, name
):
    """Timrå's staff see Timrå's rows only, at a cost that does not grow with them."""
    client.force_login(request.getfixturevalue(role))
    url = reverse(name)
    add_rows(2, timra)
    add_rows(2, sundsvall)
    few = count_queries(client, url)
    add_rows(8, timra)
    add_rows(8, sundsvall)
    many = count_queries(client, url)

    assert many == few


@pytest.mark.parametrize(
    "name",
    [
        "admin:promises_promise_changelist",
        "admin:activities_activity_changelist",
        "admin:promises_period_changelist",
        "admin:promises_focusarea_changelist",
    ],
)
def test_changelists_with_progress_show_the_roll_up(admin_client, name):
    activity = ActivityFactory()
    ProgressUpdateFactory(activity=activity, percent_complete=37)
    activity.promise.focus_areas.add(FocusAreaFactory(period=activity.promise.period))

    response = admin_client.get(reverse(name))

    assert '<progress max="100" value="37"' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("admin:promises_promise_changelist", "status=in_progress"),
        ("admin:promises_promise_changelist", "late=1"),
        ("admin:activities_activity_changelist", "late=0"),
        ("admin:promises_promise_changelist", "q=Löfte"),
    ],
)
def test_changelist_filters_and_search_answer(admin_client, name, query):
    add_rows(2)

    response = admin_client.get(f"{reverse(name)}?{query}")

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 0


def test_promise_status_filter_selects_by_roll_up_status(admin_client):
    started = ProgressUpdateFactory(percent_complete=10).activity.promise
    PromiseFactory()

    response = admin_client.get(
        reverse("admin:promises_promise_changelist") + "?status=in_progress"
    )

    assert list(response.context["cl"].result_list) == [started]
