"""Bad values entered in the admin get a clear Swedish error beside the field and save nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import FollowUp
from promises.models import Period
from tests.activities.factories import ActivityFactory, IndicatorFactory
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import MunicipalityFactory, OrganisationFactory, PromiseFactory

pytestmark = pytest.mark.django_db


def post(client, name: str, data: dict):
    with translation.override("sv"):
        return client.post(reverse(name), data, HTTP_ACCEPT_LANGUAGE="sv")


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form is shown again, not saved"
    return list(response.context["adminform"].form.errors.get(field, []))


def test_percent_above_100_is_rejected_beside_the_field(admin_client):
    activity = ActivityFactory()

    response = post(
        admin_client,
        "admin:activities_progressupdate_add",
        {
            "activity": activity.pk,
            "reported_on": "2026-01-10",
            "status": "in_progress",
            "percent_complete": "150",
            "text": "Mycket gjort.",
            "organisation": activity.lead_organisation.pk,
        },
    )

    assert field_errors(response, "percent_complete") == [
        "Kontrollera att detta värde är mindre än eller lika med 100."
    ]
    assert ProgressUpdate.objects.count() == 0


def test_completed_update_below_100_percent_is_rejected_beside_the_percent(admin_client):
    activity = ActivityFactory()

    response = post(
        admin_client,
        "admin:activities_progressupdate_add",
        {
            "activity": activity.pk,
            "reported_on": "2026-01-10",
            "status": "completed",
            "percent_complete": "80",
            "text": "Klart.",
            "organisation": activity.lead_organisation.pk,
        },
    )

    assert field_errors(response, "percent_complete") == [
        "En genomförd aktivitet är klar till 100 procent. Ange 100 eller välj en annan status."
    ]
    assert ProgressUpdate.objects.count() == 0


def test_period_ending_before_it_starts_is_rejected_beside_the_end_date(admin_client):
    municipality = MunicipalityFactory()

    response = post(
        admin_client,
        "admin:promises_period_add",
        {
            "municipality": municipality.pk,
            "name": "2027–2028",
            "slug": "2027-2028",
            "starts_on": "2027-01-01",
            "ends_on": "2026-12-31",
            "focus_areas-TOTAL_FORMS": "0",
            "focus_areas-INITIAL_FORMS": "0",
        },
    )

    assert field_errors(response, "ends_on") == ["Slutdatum kan inte vara före startdatum."]
    assert not Period.objects.exists()


def test_activity_ending_before_it_starts_is_rejected_and_nothing_is_saved(admin_client):
    promise = PromiseFactory()
    organisation = OrganisationFactory()

    response = post(
        admin_client,
        "admin:activities_activity_add",
        {
            "promise": promise.pk,
            "order": "1",
            "title": "Trygghetsvandring",
            "lead_organisation": organisation.pk,
            "planned_start": "2026-05-01",
            "planned_end": "2026-04-01",
            "weight": "1",
            "updates-TOTAL_FORMS": "0",
            "updates-INITIAL_FORMS": "0",
            "updates-2-TOTAL_FORMS": "0",
            "updates-2-INITIAL_FORMS": "0",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        },
    )

    assert field_errors(response, "planned_end") == [
        "Planerat slut kan inte vara före planerad start."
    ]
    assert not Activity.objects.exists()


def test_measurement_outside_sensible_dates_is_rejected_beside_the_date(admin_client):
    indicator = IndicatorFactory()

    response = post(
        admin_client,
        "admin:activities_measurement_add",
        {"indicator": indicator.pk, "measured_on": "1899-12-31", "value": "3"},
    )

    assert field_errors(response, "measured_on") == ["Datumet måste ligga mellan år 2000 och 2100."]
    assert not Measurement.objects.exists()


def test_measurement_from_the_future_is_rejected(admin_client):
    indicator = IndicatorFactory()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    response = post(
        admin_client,
        "admin:activities_measurement_add",
        {"indicator": indicator.pk, "measured_on": tomorrow.isoformat(), "value": "3"},
    )

    assert field_errors(response, "measured_on") == ["Ett mätvärde kan inte vara från framtiden."]
    assert not Measurement.objects.exists()


def test_indicator_needs_exactly_one_owner(admin_client):
    activity = ActivityFactory()

    response = post(
        admin_client,
        "admin:activities_indicator_add",
        {
            "promise": activity.promise.pk,
            "activity": activity.pk,
            "name": "Kontroller",
            "unit": "antal",
            "direction": "higher",
            "measurements-TOTAL_FORMS": "0",
            "measurements-INITIAL_FORMS": "0",
        },
    )

    assert field_errors(response, "activity") == [
        "Ett mått hör till antingen ett medborgarlöfte eller en aktivitet."
    ]
    assert not Indicator.objects.exists()


def test_a_promise_is_followed_up_once_per_meeting(admin_client):
    existing = FollowUpFactory()

    response = post(
        admin_client,
        "admin:followup_followup_add",
        {
            "meeting": existing.meeting.pk,
            "promise": existing.promise.pk,
            "assessment": "at_risk",
        },
    )

    assert field_errors(response, "promise") == [
        "Löftet är redan uppföljt på det här sammanträdet."
    ]
    assert FollowUp.objects.count() == 1


def test_follow_up_of_a_promise_from_another_period_is_rejected(admin_client):
    meeting = MeetingFactory()
    other_promise = PromiseFactory()

    response = post(
        admin_client,
        "admin:followup_followup_add",
        {"meeting": meeting.pk, "promise": other_promise.pk, "assessment": "on_track"},
    )

    assert field_errors(response, "promise") == ["Löftet hör inte till sammanträdets löftesperiod."]
    assert not FollowUp.objects.exists()


def test_the_database_itself_refuses_a_percent_above_100():
    from django.db import IntegrityError, transaction

    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            activity=activity,
            status="in_progress",
            percent_complete=101,
            text="x",
            organisation=activity.lead_organisation,
        )


@pytest.mark.parametrize("slug", ["sok", "api", "oppna-data", "personal"])
def test_a_municipality_cannot_take_an_address_the_site_uses(admin_client, slug):
    from promises.models import Municipality

    response = post(admin_client, "admin:promises_municipality_add", {"name": "Sök", "slug": slug})

    assert field_errors(response, "slug") == [
        f"”{slug}” används redan av webbplatsen; välj ett annat kortnamn."
    ]
    assert not Municipality.objects.exists()


def test_a_period_cannot_take_an_address_the_municipality_pages_use(admin_client):
    municipality = MunicipalityFactory()

    response = post(
        admin_client,
        "admin:promises_period_add",
        {
            "municipality": municipality.pk,
            "name": "Perioder",
            "slug": "perioder",
            "starts_on": "2027-01-01",
            "ends_on": "2028-12-31",
            "focus_areas-TOTAL_FORMS": "0",
            "focus_areas-INITIAL_FORMS": "0",
        },
    )

    assert field_errors(response, "slug") == [
        "”perioder” används redan av webbplatsen; välj ett annat kortnamn."
    ]
    assert not Period.objects.exists()
