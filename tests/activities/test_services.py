import uuid
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Measurement, ProgressUpdate
from activities.services import MeasurementInput, measurement_create, progress_update_create
from tests.activities.factories import ActivityFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(police_organisation):
    return ActivityFactory(lead_organisation=police_organisation)


def create(user, activity, **kwargs):
    return progress_update_create(
        user=user,
        activity=activity,
        status=kwargs.pop("status", "in_progress"),
        percent_complete=kwargs.pop("percent_complete", 30),
        text="Arbetet pågår.",
        **kwargs,
    )


def test_a_failing_measurement_leaves_no_progress_update_behind(police_reporter, activity):
    indicator = IndicatorFactory(activity=activity)
    bad = MeasurementInput(indicator=indicator, value=3, measured_on=date(1999, 12, 31))
    with pytest.raises(ValidationError):
        create(police_reporter, activity, measurement=bad)
    assert not ProgressUpdate.objects.exists()
    assert not Measurement.objects.exists()


def test_the_service_itself_refuses_another_organisations_activity(municipality_reporter, activity):
    with pytest.raises(PermissionDenied):
        create(municipality_reporter, activity)
    assert not ProgressUpdate.objects.exists()


def test_the_service_refuses_an_indicator_of_another_activity(police_reporter, activity):
    other = IndicatorFactory(activity=ActivityFactory(lead_organisation=activity.lead_organisation))
    measurement = MeasurementInput(indicator=other, value=1, measured_on=date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        create(police_reporter, activity, measurement=measurement)
    assert not ProgressUpdate.objects.exists()


def test_one_token_saves_one_update(police_reporter, activity):
    token = uuid.uuid4()
    first = create(police_reporter, activity, submission_token=token)
    second = create(police_reporter, activity, submission_token=token, percent_complete=90)
    assert first.created and not second.created
    assert second.update == first.update
    assert ProgressUpdate.objects.get().percent_complete == 30


def test_another_users_token_is_refused(police_reporter, activity, administrator):
    token = uuid.uuid4()
    create(police_reporter, activity, submission_token=token)
    with pytest.raises(PermissionDenied):
        create(administrator, activity, submission_token=token)
    assert ProgressUpdate.objects.count() == 1


def test_completed_must_be_100_percent(police_reporter, activity):
    with pytest.raises(ValidationError):
        create(police_reporter, activity, status="completed", percent_complete=90)
    assert not ProgressUpdate.objects.exists()


def test_a_reporter_cannot_measure_a_promise_indicator(police_reporter, activity):
    indicator = IndicatorFactory(activity=None, promise=activity.promise)
    with pytest.raises(PermissionDenied):
        measurement_create(
            user=police_reporter, indicator=indicator, value=1, measured_on=date(2025, 1, 1)
        )
