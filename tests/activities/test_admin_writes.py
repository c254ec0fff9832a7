"""The admin's writes on activities go through the services: inlines, deletes, reverts, import."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from activities.imports import COLUMNS, import_plan, preview_plan, read_plan_file
from activities.models import Activity, Measurement, ProgressUpdate
from activities.services import measurement_create, progress_update_create
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.admin_helpers import _add_form, admin_form_data
from tests.promises.factories import (
    FocusAreaFactory,
    OrganisationFactory,
    PeriodFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db


def complete_promise(organisation):
    """A promise whose admin form is valid as it stands."""
    period = PeriodFactory()
    return PromiseFactory(
        period=period,
        organisations=[organisation],
        focus_areas=[FocusAreaFactory(period=period)],
    )


@pytest.fixture
def reported_activity(police_organisation):
    promise = complete_promise(police_organisation)
    activity = ActivityFactory(promise=promise, lead_organisation=police_organisation)
    ProgressUpdateFactory(activity=activity)
    MeasurementFactory(indicator=IndicatorFactory(activity=activity))
    return activity


def test_deleting_an_activity_through_the_promise_inline_keeps_its_reports(
    admin_client, reported_activity
):
    url = reverse("admin:promises_promise_change", args=[reported_activity.promise_id])
    data = admin_form_data(admin_client.get(url))
    data["activities-0-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "skyddade" in str(response.context["errors"])
    assert Activity.objects.filter(pk=reported_activity.pk).exists()
    assert ProgressUpdate.objects.filter(activity=reported_activity).count() == 1
    assert Measurement.objects.count() == 1


def test_an_activity_nobody_reported_on_is_deleted_through_the_promise_inline(
    admin_client, police_organisation
):
    activity = ActivityFactory(
        promise=complete_promise(police_organisation), lead_organisation=police_organisation
    )
    url = reverse("admin:promises_promise_change", args=[activity.promise_id])
    data = admin_form_data(admin_client.get(url))
    data["activities-0-DELETE"] = "on"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_the_admin_delete_page_refuses_an_activity_with_reports_without_an_error(
    admin_client, reported_activity
):
    url = reverse("admin:activities_activity_delete", args=[reported_activity.pk])

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert Activity.objects.filter(pk=reported_activity.pk).exists()


def test_the_bulk_delete_action_refuses_an_activity_with_reports(admin_client, reported_activity):
    response = admin_client.post(
        reverse("admin:activities_activity_changelist"),
        {"action": "delete_selected", "_selected_action": [reported_activity.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert Activity.objects.filter(pk=reported_activity.pk).exists()


def test_an_activity_dated_1900_is_refused_in_the_admin_beside_the_date(
    admin_client, reported_activity
):
    url = reverse("admin:activities_activity_change", args=[reported_activity.pk])
    data = admin_form_data(admin_client.get(url), planned_start="1900-01-01")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "inom löftesperioden" in str(errors["planned_start"])
    assert Activity.objects.get(pk=reported_activity.pk).planned_start != date(1900, 1, 1)


def _history_form_data(response) -> dict:
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    return data


def test_an_administrator_cannot_rewrite_a_progress_update_through_the_history(
    admin_client, police_reporter, police_organisation
):
    activity = ActivityFactory(lead_organisation=police_organisation)
    update = progress_update_create(
        user=police_reporter,
        activity=activity,
        status="in_progress",
        percent_complete=40,
        text="Som rapporterat.",
    ).update
    record = update.history.get()
    url = reverse("admin:activities_progressupdate_simple_history", args=[update.pk, record.pk])
    data = {
        "activity": activity.pk,
        "reported_on": update.reported_on.isoformat(),
        "status": "in_progress",
        "percent_complete": 90,
        "text": "Omskrivet av administratören.",
        "organisation": police_organisation.pk,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 403
    assert ProgressUpdate.objects.get(pk=update.pk).text == "Som rapporterat."


def test_an_administrator_cannot_rewrite_a_measurement_through_the_history(
    admin_client, police_reporter, police_organisation
):
    indicator = IndicatorFactory(activity=ActivityFactory(lead_organisation=police_organisation))
    measurement = measurement_create(
        user=police_reporter, indicator=indicator, value=4, measured_on=date(2025, 6, 30)
    )
    url = reverse(
        "admin:activities_measurement_simple_history",
        args=[measurement.pk, measurement.history.get().pk],
    )
    data = {"indicator": indicator.pk, "measured_on": "2025-06-30", "value": 40, "source": ""}

    response = admin_client.post(url, data)

    assert response.status_code == 403
    assert Measurement.objects.get(pk=measurement.pk).value == 4


def test_a_new_update_through_the_activity_inline_goes_through_the_service(
    admin_client, police_organisation, administrator
):
    activity = ActivityFactory(lead_organisation=police_organisation)
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    data = admin_form_data(admin_client.get(url))
    prefix = "updates"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-reported_on": "2025-05-01",
            f"{prefix}-0-status": "in_progress",
            f"{prefix}-0-percent_complete": "30",
            f"{prefix}-0-text": "Första rapporten.",
            f"{prefix}-0-organisation": str(police_organisation.pk),
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302
    update = ProgressUpdate.objects.get(activity=activity)
    assert update.history.get().history_type == "+"


# --- The activity-plan import ------------------------------------------------------


def _plan_file(promise, lead):
    row = {
        "promise": promise.slug,
        "title": "Importerad aktivitet",
        "description": "",
        "lead_organisation": lead.slug,
        "other_organisations": "",
        "planned_start": "2025-03-01",
        "planned_end": "2025-06-30",
        "place": "",
        "weight": "1",
    }
    lines = [";".join(COLUMNS.values()), ";".join(row[key] for key in COLUMNS)]
    return read_plan_file("plan.csv", "\n".join(lines).encode())


@pytest.mark.parametrize("role", ["police_reporter", "municipality_reporter", "secretary"])
def test_only_administrators_import_even_when_calling_the_import_itself(request, role):
    promise = PromiseFactory()
    user = request.getfixturevalue(role)
    table = _plan_file(promise, OrganisationFactory())

    with pytest.raises(PermissionDenied):
        preview_plan(table, promise.period, user)
    with pytest.raises(PermissionDenied):
        import_plan(table, promise.period, user)

    assert not Activity.objects.exists()


def test_the_import_writes_through_the_service_as_the_user(administrator):
    promise = PromiseFactory()

    result = import_plan(_plan_file(promise, OrganisationFactory()), promise.period, administrator)

    assert len(result.new) == 1
    activity = Activity.objects.get(title="Importerad aktivitet")
    assert activity.history.get().history_user == administrator


@pytest.mark.parametrize("emptied", ["promise", "activity"])
def test_emptying_an_indicators_owner_is_a_form_error_not_a_server_error(
    client, municipal_administrator, timra, emptied
):
    period = PeriodFactory(municipality=timra)
    promise = PromiseFactory(period=period)
    activity = ActivityFactory(promise=promise)
    indicator = IndicatorFactory(
        activity=activity if emptied == "activity" else None,
        promise=promise if emptied == "promise" else None,
    )
    client.force_login(municipal_administrator)
    url = reverse("admin:activities_indicator_change", args=[indicator.pk])
    data = admin_form_data(client.get(url), **{emptied: ""})

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert getattr(indicator, f"{emptied}_id") is not None
