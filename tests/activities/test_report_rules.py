"""The reporter's rules through the services: status and percent agree, texts have
a length limit, and one's own mistyped measurement is corrected with its history kept."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.permissions import SYSTEM
from activities.models import UPDATE_TEXT_MAX_LENGTH, Measurement, ProgressUpdate
from activities.selectors import measurement_corrections
from activities.services import (
    measurement_change,
    measurement_create,
    progress_update_change,
    progress_update_create,
)
from tests.activities.factories import ActivityFactory, IndicatorFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(police_organisation):
    return ActivityFactory(lead_organisation=police_organisation)


@pytest.fixture
def measurement(police_reporter, activity):
    return measurement_create(
        user=police_reporter,
        indicator=IndicatorFactory(activity=activity, name="Trafikkontroller"),
        value=450,
        measured_on=timezone.localdate(),
        source="Polisens statistik",
    )


def report(user, activity, status, percent, text="Arbetet pågår."):
    return progress_update_create(
        user=user, activity=activity, status=status, percent_complete=percent, text=text
    )


# --- Status and percent agree ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "percent", "message"),
    [
        ("planned", 90, "En planerad aktivitet har inte börjat och är klar till 0 procent."),
        ("completed", 80, "En genomförd aktivitet är klar till 100 procent."),
    ],
)
def test_a_status_that_contradicts_the_percent_is_refused_beside_the_percent(
    police_reporter, activity, status, percent, message
):
    with pytest.raises(ValidationError) as refused:
        report(police_reporter, activity, status, percent)
    assert message in refused.value.message_dict["percent_complete"][0]
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("status", "percent"), [("planned", 0), ("completed", 100), ("in_progress", 90)]
)
def test_a_status_that_agrees_with_the_percent_is_saved(police_reporter, activity, status, percent):
    update = report(police_reporter, activity, status, percent).update
    assert (update.status, update.percent_complete) == (status, percent)


def test_a_correction_may_not_make_status_and_percent_disagree(police_reporter, activity):
    update = report(police_reporter, activity, "in_progress", 40).update
    with pytest.raises(ValidationError):
        progress_update_change(
            user=police_reporter, update=update, status="planned", percent_complete=40, text="x"
        )
    update.refresh_from_db()
    assert update.status == "in_progress"


@pytest.mark.django_db(transaction=True)
def test_existing_planned_updates_with_progress_become_in_progress_with_history(
    police_organisation,
):
    """The migration that adds the rule checks the data already stored."""
    executor = MigrationExecutor(connection)
    before = [("activities", "0003_protect_reports_and_measurement_history")]
    after = [("activities", "0004_planned_means_0_percent_and_text_limit")]
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        OldUpdate = old_apps.get_model("activities", "ProgressUpdate")
        activity = ActivityFactory(lead_organisation=police_organisation)
        started = OldUpdate.objects.create(
            activity_id=activity.pk,
            organisation_id=police_organisation.pk,
            reported_on=timezone.localdate(),
            status="planned",
            percent_complete=90,
            text="Planerad men till 90 procent klar.",
        )
        untouched = OldUpdate.objects.create(
            activity_id=activity.pk,
            organisation_id=police_organisation.pk,
            reported_on=timezone.localdate(),
            status="planned",
            percent_complete=0,
            text="Inte påbörjad.",
        )

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)

        assert ProgressUpdate.objects.get(pk=started.pk).status == "in_progress"
        assert ProgressUpdate.objects.get(pk=untouched.pk).status == "planned"
        record = ProgressUpdate.history.filter(id=started.pk).latest("history_date")
        assert record.status == "in_progress"
        assert "planerad aktivitet med framsteg" in record.history_change_reason
        assert not ProgressUpdate.history.filter(id=untouched.pk).exists()
    finally:
        # Every app's newest migration again, so later tests find the schema they expect
        # (rolling activities back also rolled back what depends on it).
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- Length limits ----------------------------------------------------------------------


def test_an_update_text_longer_than_the_limit_is_refused_with_its_length(police_reporter, activity):
    with pytest.raises(ValidationError) as refused:
        report(police_reporter, activity, "in_progress", 10, text="a" * 25_000)
    (message,) = refused.value.message_dict["text"]
    assert message.startswith("Texten får vara högst 2000 tecken lång, men den är 25000 tecken.")
    assert not ProgressUpdate.objects.exists()


def test_an_update_text_at_the_limit_is_saved(police_reporter, activity):
    text = "b" * UPDATE_TEXT_MAX_LENGTH
    assert report(police_reporter, activity, "in_progress", 10, text=text).update.text == text


def test_a_measurement_source_longer_than_its_limit_is_refused(police_reporter, measurement):
    with pytest.raises(ValidationError) as refused:
        measurement_change(
            user=police_reporter,
            measurement=measurement,
            value=45,
            measured_on=measurement.measured_on,
            source="k" * 301,
        )
    assert "source" in refused.value.message_dict
    measurement.refresh_from_db()
    assert measurement.source == "Polisens statistik"


# --- Correcting one's own measurement ---------------------------------------------------------


def test_a_reporter_corrects_their_mistyped_measurement_and_the_history_keeps_it(
    police_reporter, measurement
):
    corrected = measurement_change(
        user=police_reporter,
        measurement=measurement,
        value=Decimal("45"),
        measured_on=measurement.measured_on,
        source="Polisens statistik",
    )

    assert Measurement.objects.get(pk=measurement.pk).value == 45
    assert corrected.recorded_by == police_reporter  # still the one who measured
    (correction,) = measurement_corrections([measurement])[measurement.pk]
    assert correction.earlier_value == 450
    assert correction.corrected_by == police_reporter.get_username()
    assert timezone.now() - correction.corrected_at < timedelta(minutes=1)
    assert measurement.history.first().history_change_reason == "Mätvärdet rättades"


def test_each_correction_is_kept_in_order(police_reporter, measurement):
    for value in (45, 46):
        measurement_change(
            user=police_reporter,
            measurement=measurement,
            value=value,
            measured_on=measurement.measured_on,
            source="",
        )
    corrections = measurement_corrections([measurement])[measurement.pk]
    assert [c.earlier_value for c in corrections] == [450, 45]
    assert corrections[1].earlier_source == ""


@pytest.mark.parametrize("who", ["municipality_reporter", "secretary", "administrator"])
def test_nobody_else_corrects_a_measurement(request, who, measurement):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        measurement_change(
            user=user, measurement=measurement, value=1, measured_on=measurement.measured_on
        )
    assert Measurement.objects.get(pk=measurement.pk).value == 450


def test_a_colleague_of_the_same_organisation_does_not_correct_it(police_colleague, measurement):
    colleague = police_colleague
    with pytest.raises(PermissionDenied) as refused:
        measurement_change(
            user=colleague, measurement=measurement, value=1, measured_on=measurement.measured_on
        )
    assert "Bara den som lämnade ett mätvärde kan rätta det" in str(refused.value)


def test_after_24_hours_a_measurement_is_no_longer_corrected(police_reporter, measurement):
    Measurement.objects.filter(pk=measurement.pk).update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    measurement.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        measurement_change(
            user=police_reporter,
            measurement=measurement,
            value=1,
            measured_on=measurement.measured_on,
        )
    assert "mer än 24 timmar sedan" in str(refused.value)
    assert Measurement.objects.get(pk=measurement.pk).value == 450


def test_the_command_line_does_not_correct_measurements(measurement):
    with pytest.raises(PermissionDenied):
        measurement_change(
            user=SYSTEM, measurement=measurement, value=1, measured_on=measurement.measured_on
        )


def test_a_correction_is_validated_like_a_new_measurement(police_reporter, measurement):
    with pytest.raises(ValidationError) as refused:
        measurement_change(
            user=police_reporter,
            measurement=measurement,
            value=1,
            measured_on=timezone.localdate() + timedelta(days=3),
        )
    assert "framtiden" in refused.value.message_dict["measured_on"][0]
    assert Measurement.objects.get(pk=measurement.pk).value == 450


def test_an_update_by_someone_else_is_never_offered_as_the_users_own(police_reporter, activity):
    colleague_update = ProgressUpdateFactory(activity=activity, author=None)
    with pytest.raises(PermissionDenied) as refused:
        progress_update_change(
            user=police_reporter,
            update=colleague_update,
            status="in_progress",
            percent_complete=10,
            text="x",
        )
    assert "Bara den som skrev en lägesrapport kan ändra den" in str(refused.value)
