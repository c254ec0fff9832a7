import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError

from activities.models import (
    MEASUREMENT_MARGIN_AFTER_PERIOD,
    Activity,
    Indicator,
    Measurement,
    ProgressUpdate,
)
from activities.services import (
    MeasurementInput,
    activity_cancel,
    activity_delete,
    activity_save,
    indicator_delete,
    indicator_save,
    measurement_create,
    progress_update_create,
)
from promises.models import Promise
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.promises.factories import OrganisationFactory, PromiseFactory

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


# --- The plan under a promise: activities and indicators ---------------------------

REFUSED_ROLES = ["police_reporter", "municipality_reporter", "secretary"]
ALLOWED_ROLES = ["administrator", "superuser"]


def _add_activity(user, activity):
    activity_save(
        user=user,
        activity=Activity(
            promise=activity.promise,
            title="Ny aktivitet",
            lead_organisation=activity.lead_organisation,
            planned_start=date(2025, 3, 1),
            planned_end=date(2025, 6, 30),
        ),
        other_organisations=[OrganisationFactory()],
    )


def _change_activity(user, activity):
    activity.title = "Omdöpt"
    activity_save(user=user, activity=activity)


def _add_indicator(user, activity):
    indicator_save(user=user, indicator=Indicator(activity=activity, name="Nytt mått", unit="st"))


def _add_promise_indicator(user, activity):
    indicator_save(
        user=user, indicator=Indicator(promise=activity.promise, name="Löftesmått", unit="st")
    )


def _change_indicator(user, activity):
    indicator = activity.indicators.get()
    indicator.name = "Omdöpt"
    indicator_save(user=user, indicator=indicator)


PLAN_WRITES = {
    "activity_save (add)": (
        _add_activity,
        lambda a: Activity.objects.filter(title="Ny aktivitet").exists(),
    ),
    "activity_save (change)": (
        _change_activity,
        lambda a: Activity.objects.get(pk=a.pk).title == "Omdöpt",
    ),
    "activity_delete": (
        lambda user, a: activity_delete(user=user, activity=a),
        lambda a: not Activity.objects.filter(pk=a.pk).exists(),
    ),
    "activity_cancel": (
        lambda user, a: activity_cancel(user=user, activity=a, text="Ersätts av annan insats."),
        lambda a: a.updates.filter(status=ProgressUpdate.Status.CANCELLED).exists(),
    ),
    "indicator_save (add to activity)": (
        _add_indicator,
        lambda a: a.indicators.filter(name="Nytt mått").exists(),
    ),
    "indicator_save (add to promise)": (
        _add_promise_indicator,
        lambda a: a.promise.indicators.filter(name="Löftesmått").exists(),
    ),
    "indicator_save (change)": (
        _change_indicator,
        lambda a: a.indicators.get().name == "Omdöpt",
    ),
    "indicator_delete": (
        lambda user, a: indicator_delete(user=user, indicator=a.indicators.get()),
        lambda a: not a.indicators.exists(),
    ),
}


@pytest.fixture
def planned_activity(police_organisation):
    """An activity of a published period, with an indicator, nobody has reported on yet."""
    activity = ActivityFactory(lead_organisation=police_organisation)
    IndicatorFactory(activity=activity)
    return activity


@pytest.mark.parametrize("write", PLAN_WRITES, ids=list(PLAN_WRITES))
@pytest.mark.parametrize("role", ALLOWED_ROLES)
def test_administrators_write_the_published_activity_plan(request, role, write, planned_activity):
    do, done = PLAN_WRITES[write]
    do(request.getfixturevalue(role), planned_activity)
    assert done(planned_activity)


@pytest.mark.parametrize("write", PLAN_WRITES, ids=list(PLAN_WRITES))
@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_are_refused_the_activity_plan_and_nothing_is_saved(
    request, role, write, planned_activity
):
    do, done = PLAN_WRITES[write]
    with pytest.raises(PermissionDenied):
        do(request.getfixturevalue(role), planned_activity)
    assert not done(planned_activity)


def test_a_plan_editor_adds_activities_to_a_draft_promise_but_not_a_published_one(
    plan_editor, timra
):
    draft = ActivityFactory(
        promise__period__is_published=False, promise__period__municipality=timra
    )
    published = ActivityFactory(
        promise__period__is_published=True, promise__period__municipality=timra
    )

    _add_activity(plan_editor, draft)
    with pytest.raises(PermissionDenied):
        _add_activity(plan_editor, published)

    added = Activity.objects.filter(title="Ny aktivitet")
    assert list(added.values_list("promise", flat=True)) == [draft.promise_id]


def test_a_draft_activity_cannot_be_moved_under_a_published_promise(plan_editor, timra):
    activity = ActivityFactory(
        promise__period__is_published=False, promise__period__municipality=timra
    )
    published = PromiseFactory(period__is_published=True, period__municipality=timra)

    activity.promise = published
    with pytest.raises(PermissionDenied):
        activity_save(user=plan_editor, activity=activity)

    assert Activity.objects.get(pk=activity.pk).promise_id != published.pk


def test_a_published_activity_cannot_be_moved_into_a_draft_to_escape_the_rule(plan_editor, timra):
    activity = ActivityFactory(
        promise__period__is_published=True, promise__period__municipality=timra
    )
    activity.promise = PromiseFactory(period__is_published=False, period__municipality=timra)

    with pytest.raises(PermissionDenied):
        activity_save(user=plan_editor, activity=activity)

    assert Activity.objects.get(pk=activity.pk).promise.period.is_published


def test_an_activity_dated_1900_is_refused_beside_the_date(administrator, planned_activity):
    activity = Activity(
        promise=planned_activity.promise,
        title="Felskrivet datum",
        lead_organisation=planned_activity.lead_organisation,
        planned_start=date(1900, 1, 1),
    )

    with pytest.raises(ValidationError) as refused:
        activity_save(user=administrator, activity=activity)

    assert refused.value.message_dict["planned_start"] == [
        "Datumet måste ligga inom löftesperioden (2025-01-01–2026-12-31)."
    ]
    assert not Activity.objects.filter(title="Felskrivet datum").exists()


def test_an_activity_ending_after_its_period_is_refused(administrator, planned_activity):
    planned_activity.planned_end = date(2027, 1, 1)
    with pytest.raises(ValidationError) as refused:
        activity_save(user=administrator, activity=planned_activity)
    assert "planned_end" in refused.value.message_dict


@pytest.fixture
def earlier_indicator(police_organisation):
    """An indicator of a period that ended long enough ago for its margin to have passed."""
    activity = ActivityFactory(
        lead_organisation=police_organisation,
        promise__period__starts_on=date(2021, 1, 1),
        promise__period__ends_on=date(2022, 12, 31),
        planned_start=date(2021, 1, 1),
        planned_end=date(2022, 12, 31),
    )
    return IndicatorFactory(activity=activity)


def test_a_measurement_after_its_period_and_margin_is_refused(police_reporter, earlier_indicator):
    last_day = date(2022, 12, 31) + MEASUREMENT_MARGIN_AFTER_PERIOD

    with pytest.raises(ValidationError) as refused:
        measurement_create(
            user=police_reporter,
            indicator=earlier_indicator,
            value=1,
            measured_on=last_day + timedelta(days=1),
        )

    assert refused.value.message_dict["measured_on"] == [
        "Datumet måste ligga inom löftesperioden, från 2021-01-01 till och med 2023-03-31."
    ]
    assert not Measurement.objects.exists()


def test_a_measurement_within_the_margin_after_its_period_is_kept(
    police_reporter, earlier_indicator
):
    last_day = date(2022, 12, 31) + MEASUREMENT_MARGIN_AFTER_PERIOD

    measurement_create(
        user=police_reporter, indicator=earlier_indicator, value=1, measured_on=last_day
    )

    assert Measurement.objects.get().measured_on == last_day


def test_a_measurement_before_its_period_is_refused(police_reporter, planned_activity):
    with pytest.raises(ValidationError) as refused:
        measurement_create(
            user=police_reporter,
            indicator=planned_activity.indicators.get(),
            value=1,
            measured_on=date(2024, 12, 31),
        )
    assert "measured_on" in refused.value.message_dict


def test_measurements_keep_a_history(police_reporter, planned_activity):
    measurement = measurement_create(
        user=police_reporter,
        indicator=planned_activity.indicators.get(),
        value=3,
        measured_on=date(2025, 6, 30),
    )

    record = measurement.history.get()
    assert (record.history_type, record.history_user, record.value) == ("+", police_reporter, 3)


# --- Append-only: reports keep their activity --------------------------------------


def test_the_database_protects_an_activity_with_updates(planned_activity):
    ProgressUpdateFactory(activity=planned_activity)
    with pytest.raises(ProtectedError):
        planned_activity.delete()
    assert planned_activity.updates.count() == 1


def test_the_database_protects_an_indicator_with_measurements(planned_activity):
    indicator = planned_activity.indicators.get()
    MeasurementFactory(indicator=indicator)
    with pytest.raises(ProtectedError):
        indicator.delete()
    assert indicator.measurements.count() == 1


def test_an_activity_with_updates_is_not_deleted_but_explained(administrator, planned_activity):
    ProgressUpdateFactory(activity=planned_activity)

    with pytest.raises(ValidationError) as refused:
        activity_delete(user=administrator, activity=planned_activity)

    assert "Avbryt den i stället" in refused.value.messages[0]
    assert Activity.objects.filter(pk=planned_activity.pk).exists()
    assert planned_activity.updates.count() == 1


def test_an_activity_with_measurements_is_not_deleted(administrator, planned_activity):
    MeasurementFactory(indicator=planned_activity.indicators.get())
    with pytest.raises(ValidationError):
        activity_delete(user=administrator, activity=planned_activity)
    assert Measurement.objects.count() == 1


def test_a_cancelled_activity_is_never_late_and_leaves_the_promise_progress(
    administrator, police_organisation
):
    promise = PromiseFactory()
    done = ActivityFactory(promise=promise, lead_organisation=police_organisation)
    ProgressUpdateFactory(activity=done, status="completed", percent_complete=100)
    dropped = ActivityFactory(
        promise=promise, lead_organisation=police_organisation, planned_end=date(2025, 6, 30)
    )
    ProgressUpdateFactory(activity=dropped, percent_complete=20)

    update = activity_cancel(user=administrator, activity=dropped, text="Ersätts av en annan.")

    assert (update.status, update.author) == ("cancelled", administrator)
    assert not Activity.objects.late().filter(pk=dropped.pk).exists()
    assert Promise.objects.with_progress().get(pk=promise.pk).progress == 100
