"""The admin keeps progress updates and measurements append-only and checks the object."""

import pytest
from django.urls import reverse

from activities.models import Measurement, ProgressUpdate
from tests.activities.factories import ActivityFactory, IndicatorFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_reporter(police_reporter):
    """A reporter somebody has let into the admin: the rules still apply there."""
    police_reporter.is_staff = True
    police_reporter.save()
    return police_reporter


def test_a_reporter_in_the_admin_cannot_add_updates_to_another_organisations_activity(
    client, staff_reporter, municipality_organisation, timra
):
    # In Timrå, where the reporter's organisation works: the object's rule refuses.
    activity = ActivityFactory(
        lead_organisation=municipality_organisation, promise__period__municipality=timra
    )
    client.force_login(staff_reporter)
    response = client.post(
        reverse("admin:activities_progressupdate_add"),
        {
            "activity": activity.pk,
            "reported_on": "2025-05-01",
            "status": "in_progress",
            "percent_complete": 10,
            "text": "Försök.",
            "organisation": municipality_organisation.pk,
        },
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_a_reporter_in_the_admin_cannot_measure_another_organisations_indicator(
    client, staff_reporter, municipality_organisation, timra
):
    indicator = IndicatorFactory(
        activity=ActivityFactory(
            lead_organisation=municipality_organisation, promise__period__municipality=timra
        )
    )
    client.force_login(staff_reporter)
    response = client.post(
        reverse("admin:activities_measurement_add"),
        {"indicator": indicator.pk, "measured_on": "2025-05-01", "value": "3"},
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_nobody_changes_or_deletes_an_update_in_the_admin(client, administrator):
    update = ProgressUpdateFactory()
    client.force_login(administrator)
    change = client.post(
        reverse("admin:activities_progressupdate_change", args=[update.pk]),
        {"text": "Omskrivet."},
    )
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:activities_progressupdate_delete", args=[update.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    update.refresh_from_db()
    assert update.text == "Arbetet pågår enligt plan."


@pytest.mark.parametrize("count", [2, 8])
def test_the_update_list_costs_a_fixed_number_of_queries(
    client, secretary, django_assert_num_queries, count
):
    promise = ActivityFactory().promise
    for _ in range(count):
        ProgressUpdateFactory(activity=ActivityFactory(promise=promise))
    client.force_login(secretary)
    with django_assert_num_queries(12):
        response = client.get(reverse("admin:activities_progressupdate_changelist"))
    assert response.status_code == 200
