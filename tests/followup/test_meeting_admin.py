"""The secretary's flow in the admin: a meeting with a follow-up row per promise."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from activities.models import ProgressUpdate
from followup.models import FollowUp, Meeting
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.admin_helpers import admin_form_data
from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
from tests.promises.factories import PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:followup_meeting_add")


@pytest.fixture
def period(timra):
    # Timrå's: the secretary of the shared cast works there.
    period = PeriodFactory(municipality=timra, is_published=True)
    CouncilFactory(municipality=period.municipality)
    return period


def make_promises(period, count: int):
    promises = []
    for order in range(1, count + 1):
        promise = PromiseFactory(period=period, order=order, title=f"Löfte nummer {order}")
        activity = ActivityFactory(promise=promise, title=f"Insats för löfte {order}")
        ProgressUpdateFactory(
            activity=activity,
            reported_on=datetime.date(2025, 1, 10),
            percent_complete=10,
            text="Före förra mötet.",
        )
        ProgressUpdateFactory(
            activity=activity,
            reported_on=datetime.date(2025, 5, 10),
            percent_complete=10 * order,
            text=f"Efter förra mötet, steg {order}.",
        )
        promises.append(promise)
    return promises


def test_with_one_current_period_the_add_form_opens_at_once_with_its_rows(
    client, secretary, period
):
    make_promises(period, 2)
    PeriodFactory(
        municipality=period.municipality,
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )  # over: not current
    client.force_login(secretary)
    response = client.get(ADD_URL)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["period"] == period.pk
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 2


def test_with_two_periods_in_force_adding_a_meeting_starts_with_choosing_one(
    client, secretary, period
):
    other = PeriodFactory(municipality=period.municipality)
    client.force_login(secretary)
    response = client.get(ADD_URL)
    assert response.status_code == 200
    assert f'<option value="{period.pk}">' in response.text
    assert f'<option value="{other.pk}">' in response.text


def test_the_add_form_offers_one_row_per_promise_with_progress_and_new_updates(
    client, secretary, period
):
    promises = make_promises(period, 3)
    MeetingFactory(period=period, date=datetime.date(2025, 3, 1))
    client.force_login(secretary)

    response = client.get(ADD_URL, {"period": period.pk})

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial["promise"] for form in formset.forms] == [p.pk for p in promises]
    assert response.context["adminform"].form.initial["council"] == period.municipality.council.pk
    text = response.text
    for promise in promises:
        assert promise.title in text
    assert "30&nbsp;% klart" in text  # the third promise's roll-up
    assert "Efter förra mötet, steg 2." in text
    assert "1 lägesrapport sedan förra sammanträdet (1 mars 2025)" in text
    assert "Före förra mötet." not in text  # reported before the previous meeting


@pytest.mark.parametrize("count", [2, 6])
def test_the_add_form_costs_the_same_queries_for_any_number_of_promises(
    client, secretary, period, django_assert_num_queries, count
):
    for promise in make_promises(period, count):
        # A cadenced target per promise: its steps are read with the promises, not per row.
        indicator = IndicatorFactory(
            activity=None, promise=promise, target=20, target_cadence="year"
        )
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2025, 2, 1), value=4)
    client.force_login(secretary)
    ContentType.objects.clear_cache()  # the same cold cache for both sizes
    with django_assert_num_queries(23):
        client.get(ADD_URL, {"period": period.pk})


def test_the_secretary_saves_a_meeting_with_a_follow_up_for_every_promise(
    client, secretary, period
):
    promises = make_promises(period, 3)
    client.force_login(secretary)
    page = client.get(ADD_URL, {"period": period.pk})
    data = admin_form_data(page, date="2026-06-12", place="Kommunhuset")
    for index in range(3):
        data[f"follow_ups-{index}-assessment"] = "on_track"
        data[f"follow_ups-{index}-next_steps"] = f"Nästa steg {index}"

    response = client.post(f"{ADD_URL}?period={period.pk}", data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    meeting = Meeting.objects.get()
    assert [f.promise for f in meeting.follow_ups.order_by("promise__order")] == promises
    assert not meeting.is_published
    assert meeting.history.get().history_user == secretary


def test_rows_left_without_an_assessment_are_not_saved(client, secretary, period):
    make_promises(period, 2)
    client.force_login(secretary)
    page = client.get(ADD_URL, {"period": period.pk})
    data = admin_form_data(page, date="2026-06-12")
    data["follow_ups-0-assessment"] = "at_risk"
    response = client.post(f"{ADD_URL}?period={period.pk}", data)
    assert response.status_code == 302
    assert FollowUp.objects.count() == 1


def test_a_row_for_a_promise_of_another_period_is_refused(client, secretary, period):
    make_promises(period, 1)
    stranger = PromiseFactory()
    client.force_login(secretary)
    page = client.get(ADD_URL, {"period": period.pk})
    data = admin_form_data(page, date="2026-06-12")
    data["follow_ups-0-assessment"] = "on_track"
    data["follow_ups-0-promise"] = stranger.pk
    response = client.post(f"{ADD_URL}?period={period.pk}", data)
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_two_rows_for_the_same_promise_are_a_form_error_not_a_server_error(
    client, secretary, period
):
    promises = make_promises(period, 2)
    client.force_login(secretary)
    page = client.get(ADD_URL, {"period": period.pk})
    data = admin_form_data(page, date="2026-06-12")
    data["follow_ups-0-assessment"] = "on_track"
    data["follow_ups-1-assessment"] = "at_risk"
    data["follow_ups-1-promise"] = promises[0].pk

    response = client.post(f"{ADD_URL}?period={period.pk}", data)

    assert response.status_code == 200
    assert "Löftet följs redan upp i en annan rad." in response.text
    assert not Meeting.objects.exists()


def test_more_rows_than_promises_are_refused(client, secretary, period):
    promises = make_promises(period, 1)
    client.force_login(secretary)
    page = client.get(ADD_URL, {"period": period.pk})
    data = admin_form_data(page, date="2026-06-12")
    data["follow_ups-0-assessment"] = "on_track"
    data["follow_ups-TOTAL_FORMS"] = "2"
    data["follow_ups-1-promise"] = promises[0].pk
    data["follow_ups-1-assessment"] = "on_track"

    response = client.post(f"{ADD_URL}?period={period.pk}", data)

    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_the_change_form_offers_rows_only_for_promises_not_yet_followed_up(
    client, secretary, period
):
    first, second = make_promises(period, 2)
    meeting = MeetingFactory(period=period, date=datetime.date(2025, 6, 1))
    FollowUpFactory(meeting=meeting, promise=first)
    client.force_login(secretary)
    response = client.get(reverse("admin:followup_meeting_change", args=[meeting.pk]))
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert [form.instance.promise_id for form in forms] == [first.pk, second.pk]
    assert forms[1].initial["promise"] == second.pk


def test_the_publish_action_publishes_and_records_who(client, secretary, period):
    meeting = MeetingFactory(period=period, is_published=False, published_at=None)
    client.force_login(secretary)
    response = client.post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "publish", "_selected_action": [meeting.pk]},
        follow=True,
    )
    meeting.refresh_from_db()
    assert meeting.is_published
    assert meeting.published_at is not None
    assert meeting.history.first().history_user == secretary
    assert "1 sammanträde publicerades." in response.text


def test_the_print_report_lists_every_promise_with_assessment_comment_and_next_steps(
    client, secretary, period
):
    followed, missed = make_promises(period, 2)
    meeting = MeetingFactory(period=period)
    FollowUpFactory(
        meeting=meeting,
        promise=followed,
        assessment=FollowUp.Assessment.AT_RISK,
        comment="Halvvägs.",
        next_steps="Boka fler kontroller.",
    )
    client.force_login(secretary)
    response = client.get(reverse("admin:followup_meeting_report", args=[meeting.pk]))
    assert response.status_code == 200
    text = response.text
    for expected in [followed.title, "Risk för avvikelse", "Halvvägs.", "Boka fler kontroller."]:
        assert expected in text
    assert missed.title in text
    assert "Löftet följdes inte upp på sammanträdet." in text
    assert "css/meeting-report.css" in text


@pytest.mark.parametrize("count", [2, 6])
def test_the_print_report_costs_a_fixed_number_of_queries(
    client, secretary, period, django_assert_num_queries, count
):
    meeting = MeetingFactory(period=period)
    for promise in make_promises(period, count):
        FollowUpFactory(meeting=meeting, promise=promise)
    client.force_login(secretary)
    # One query more than the page itself: the secretary's municipalities (accounts.permissions).
    with django_assert_num_queries(7):
        client.get(reverse("admin:followup_meeting_report", args=[meeting.pk]))


def test_reporters_cannot_open_the_meeting_admin_or_its_report(client, police_reporter, period):
    meeting = MeetingFactory(period=period)
    client.force_login(police_reporter)
    for url in [ADD_URL, reverse("admin:followup_meeting_report", args=[meeting.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_the_secretary_only_reads_promises_and_cannot_post_changes(client, secretary, period):
    promise = PromiseFactory(period=period, title="Oförändrat löfte")
    client.force_login(secretary)
    url = reverse("admin:promises_promise_change", args=[promise.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.text  # read-only view
    response = client.post(url, {"title": "Ändrat av sekreteraren"})
    assert response.status_code == 403
    promise.refresh_from_db()
    assert promise.title == "Oförändrat löfte"
    assert ProgressUpdate.objects.count() == 0
