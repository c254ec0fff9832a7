"""The progress roll-up and the late rule (activities/rollup.py), edge case by edge case."""

import datetime
import re

import pytest

from activities import rollup
from activities.models import Activity, ProgressUpdate
from followup.models import FollowUp
from promises.models import FocusArea, Period, Promise
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
Status = ProgressUpdate.Status


def promise_with_progress(promise: Promise) -> Promise:
    return Promise.objects.with_progress(today=TODAY).get(pk=promise.pk)


def activity_with_progress(activity: Activity) -> Activity:
    return Activity.objects.with_progress(today=TODAY).get(pk=activity.pk)


def report(activity, percent, status=Status.IN_PROGRESS, on=TODAY):
    return ProgressUpdateFactory(
        activity=activity, percent_complete=percent, status=status, reported_on=on
    )


def test_activity_without_updates_is_planned_at_zero_percent():
    activity = activity_with_progress(ActivityFactory())

    assert activity.current_percent == 0
    assert activity.current_status == Status.PLANNED
    assert activity.last_reported_on is None


def test_activity_takes_the_newest_update_not_the_highest():
    activity = ActivityFactory()
    report(activity, 80, on=TODAY - datetime.timedelta(days=10))
    report(activity, 40, on=TODAY - datetime.timedelta(days=1))

    activity = activity_with_progress(activity)

    assert activity.current_percent == 40
    assert activity.last_reported_on == TODAY - datetime.timedelta(days=1)


def test_a_correction_on_the_same_day_wins_over_the_earlier_update():
    activity = ActivityFactory()
    report(activity, 60)
    report(activity, 30, status=Status.PAUSED)

    activity = activity_with_progress(activity)

    assert (activity.current_percent, activity.current_status) == (30, Status.PAUSED)


def test_activity_is_late_when_its_planned_end_has_passed_and_it_is_not_completed():
    activity = ActivityFactory(planned_end=TODAY - datetime.timedelta(days=1))
    report(activity, 90)

    assert activity_with_progress(activity).is_late is True


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.CANCELLED])
def test_completed_or_cancelled_activity_is_never_late(status):
    activity = ActivityFactory(planned_end=TODAY - datetime.timedelta(days=100))
    report(activity, 100 if status == Status.COMPLETED else 20, status=status)

    assert activity_with_progress(activity).is_late is False


def test_activity_ending_today_or_without_end_is_not_late():
    ending_today = ActivityFactory(planned_end=TODAY)
    without_end = ActivityFactory(planned_end=None)

    assert activity_with_progress(ending_today).is_late is False
    assert activity_with_progress(without_end).is_late is False


def test_late_queryset_selects_only_late_activities():
    late = ActivityFactory(planned_end=TODAY - datetime.timedelta(days=1))
    ActivityFactory(planned_end=TODAY + datetime.timedelta(days=1))

    assert list(Activity.objects.late(today=TODAY)) == [late]


def test_promise_without_activities_is_not_started_at_zero():
    promise = promise_with_progress(PromiseFactory())

    assert promise.progress == 0
    assert promise.status == Promise.Status.NOT_STARTED
    assert promise.late_activity_count == 0
    assert promise.has_late_activities is False


def test_promise_progress_is_the_weighted_mean_of_its_activities():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise, weight=3), 100, status=Status.COMPLETED)
    report(ActivityFactory(promise=promise, weight=1), 20)

    # (3 * 100 + 1 * 20) / (3 + 1) = 80
    assert promise_with_progress(promise).progress == pytest.approx(80.0)


def test_activity_without_updates_counts_as_zero_in_the_mean():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 50)
    ActivityFactory(promise=promise)

    assert promise_with_progress(promise).progress == pytest.approx(25.0)


def test_cancelled_activities_are_left_out_of_the_promise():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 60)
    report(ActivityFactory(promise=promise, weight=5), 0, status=Status.CANCELLED)

    promise = promise_with_progress(promise)

    assert promise.progress == pytest.approx(60.0)
    assert promise.active_activity_count == 1


def test_promise_whose_activities_are_all_cancelled_is_not_started_at_zero():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 40, status=Status.CANCELLED)

    promise = promise_with_progress(promise)

    assert promise.progress == 0
    assert promise.status == Promise.Status.NOT_STARTED


def test_promise_is_completed_when_every_remaining_activity_is_completed():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 100, status=Status.COMPLETED)
    report(ActivityFactory(promise=promise), 10, status=Status.CANCELLED)

    promise = promise_with_progress(promise)

    assert promise.progress == pytest.approx(100.0)
    assert promise.status == Promise.Status.COMPLETED


def test_promise_at_100_percent_with_an_activity_not_marked_completed_is_in_progress():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 100, status=Status.IN_PROGRESS)

    assert promise_with_progress(promise).status == Promise.Status.IN_PROGRESS


def test_promise_is_in_progress_once_any_activity_has_started():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 0, status=Status.IN_PROGRESS)
    ActivityFactory(promise=promise)

    assert promise_with_progress(promise).status == Promise.Status.IN_PROGRESS


def test_promise_with_only_planned_activities_is_not_started():
    promise = PromiseFactory()
    report(ActivityFactory(promise=promise), 0, status=Status.PLANNED)

    assert promise_with_progress(promise).status == Promise.Status.NOT_STARTED


def test_promise_counts_its_late_activities():
    promise = PromiseFactory()
    ActivityFactory(promise=promise, planned_end=TODAY - datetime.timedelta(days=3))
    ActivityFactory(promise=promise, planned_end=TODAY - datetime.timedelta(days=3))
    ActivityFactory(promise=promise, planned_end=TODAY + datetime.timedelta(days=3))

    promise = promise_with_progress(promise)

    assert promise.late_activity_count == 2
    assert promise.has_late_activities is True


def test_focus_area_and_period_progress_is_the_plain_mean_of_their_promises():
    period = PeriodFactory()
    area = FocusAreaFactory(period=period)
    heavy = PromiseFactory(period=period, focus_areas=[area])
    light = PromiseFactory(period=period, focus_areas=[area])
    PromiseFactory(period=period)  # in the period, not in the area
    report(ActivityFactory(promise=heavy, weight=10), 100, status=Status.COMPLETED)
    report(ActivityFactory(promise=light), 50)

    area = FocusArea.objects.with_progress(today=TODAY).get(pk=area.pk)
    period = Period.objects.with_progress(today=TODAY).get(pk=period.pk)

    assert area.progress == pytest.approx(75.0)
    assert area.promise_count == 2
    assert period.progress == pytest.approx(50.0)  # (100 + 50 + 0) / 3
    assert period.promise_count == 3


def test_empty_focus_area_and_period_are_at_zero():
    period = PeriodFactory()
    area = FocusAreaFactory(period=period)

    assert FocusArea.objects.with_progress().get(pk=area.pk).progress == 0
    assert Period.objects.with_progress().get(pk=period.pk).progress == 0


def test_focus_area_and_period_flag_late_activities():
    period = PeriodFactory()
    area = FocusAreaFactory(period=period)
    promise = PromiseFactory(period=period, focus_areas=[area])
    ActivityFactory(promise=promise, planned_end=TODAY - datetime.timedelta(days=1))

    assert FocusArea.objects.with_progress(today=TODAY).get(pk=area.pk).has_late_activities
    assert Period.objects.with_progress(today=TODAY).get(pk=period.pk).has_late_activities


def test_a_list_of_promises_costs_one_query_whatever_its_length(django_assert_num_queries):
    period = PeriodFactory()
    for _ in range(5):
        promise = PromiseFactory(period=period)
        report(ActivityFactory(promise=promise), 30)

    with django_assert_num_queries(1):
        progresses = [p.progress for p in Promise.objects.filter(period=period).with_progress()]

    assert progresses == [pytest.approx(30.0)] * 5


# --- The headline rule (rollup.promise_headline) --------------------------------

HEADLINE_DAY = datetime.date(2026, 11, 1)


def _headline(**overrides):
    arguments = {
        "status": "in_progress",
        "late_titles": [],
        "council_assessment": None,
        "council_date": None,
        "last_reported_on": None,
    }
    arguments.update(overrides)
    return rollup.promise_headline(**arguments)


def test_without_a_council_assessment_the_reports_lead_and_late_activities_are_flagged():
    headline = _headline(late_titles=["Trafikkontroller"])
    assert headline.council_assessment is None
    assert headline.report_status == "in_progress"
    assert headline.late_titles == ["Trafikkontroller"]
    assert headline.late_flagged


def test_the_councils_latest_assessment_leads_with_its_date():
    headline = _headline(council_assessment="on_track", council_date=HEADLINE_DAY)
    assert (headline.council_assessment, headline.council_date) == ("on_track", HEADLINE_DAY)


def test_the_reports_status_is_hidden_when_the_council_has_weighed_every_report():
    headline = _headline(
        council_assessment="done", council_date=HEADLINE_DAY, last_reported_on=HEADLINE_DAY
    )
    assert headline.report_status is None


def test_reports_after_the_meeting_are_shown_as_news():
    headline = _headline(
        council_assessment="on_track",
        council_date=HEADLINE_DAY,
        last_reported_on=HEADLINE_DAY + datetime.timedelta(days=1),
    )
    assert headline.report_status == "in_progress"


def test_a_promise_judged_done_is_not_flagged_late_but_its_overdue_activities_are_named():
    headline = _headline(
        late_titles=["Informationsmöte"], council_assessment="done", council_date=HEADLINE_DAY
    )
    assert headline.late_titles == ["Informationsmöte"]
    assert not headline.late_flagged


def test_late_activities_are_flagged_when_the_council_sees_a_deviation():
    headline = _headline(
        late_titles=["Informationsmöte"], council_assessment="deviation", council_date=HEADLINE_DAY
    )
    assert headline.late_flagged


def test_the_council_done_constant_is_the_follow_up_models():
    assert rollup.COUNCIL_DONE == FollowUp.Assessment.DONE


def _all_rollup_sql() -> str:
    definitions = (
        rollup.activity_sql(),
        rollup.promise_sql(),
        rollup.focus_area_sql(),
        rollup.period_sql(),
    )
    return " ".join(sql for definition in definitions for sql, _field in definition.values())


def test_the_rollup_reads_only_the_models_tables():
    tables = set(re.findall(r"\b(?:FROM|JOIN) (\w+)", _all_rollup_sql()))

    assert tables == {
        ProgressUpdate._meta.db_table,
        Activity._meta.db_table,
        Promise._meta.db_table,
        Promise.focus_areas.through._meta.db_table,
    }


def test_the_rollup_compares_only_the_models_statuses():
    literals = set(re.findall(r"'(\w+)'", _all_rollup_sql()))

    assert literals == set(ProgressUpdate.Status.values) | set(Promise.Status.values)
