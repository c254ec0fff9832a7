"""The staff pages: Mina aktiviteter and the one-screen progress report."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Measurement, ProgressUpdate
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def police_activity(police_organisation):
    return ActivityFactory(title="Fotpatrullering i centrum", lead_organisation=police_organisation)


@pytest.fixture
def indicator(police_activity):
    return IndicatorFactory(activity=police_activity, name="Genomförda kontroller")


def report_url(activity_id: int) -> str:
    return reverse("staff:report_create", args=[activity_id])


def report_data(**overrides) -> dict:
    return {
        "submission_token": str(uuid.uuid4()),
        "status": "in_progress",
        "percent_complete": "40",
        "text": "Fyra kvällar med fotpatrullering.",
        **overrides,
    }


# --- Login required -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/personal/",
        "/personal/aktiviteter/1/rapportera/",
        "/personal/lagesrapporter/1/andra/",
        "/konto/losenord/byt/",
    ],
)
def test_nothing_in_the_staff_area_is_reachable_without_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/?next=")


def test_an_anonymous_post_saves_nothing(client, police_activity):
    response = client.post(report_url(police_activity.pk), report_data())
    assert response.status_code == 302
    assert not ProgressUpdate.objects.exists()


# --- Mina aktiviteter -------------------------------------------------------------------


def test_my_activities_lists_only_the_organisations_activities_oldest_updated_first(
    client, police_reporter, police_organisation, municipality_organisation
):
    today = timezone.localdate()
    recent = ActivityFactory(title="Nyss rapporterad", lead_organisation=police_organisation)
    ProgressUpdateFactory(activity=recent, reported_on=today)
    older = ActivityFactory(title="Rapporterad i våras", lead_organisation=police_organisation)
    ProgressUpdateFactory(activity=older, reported_on=today - timedelta(days=200))
    ActivityFactory(
        title="Aldrig rapporterad",
        lead_organisation=municipality_organisation,
        other_organisations=[police_organisation],
    )
    ActivityFactory(title="Kommunens egen", lead_organisation=municipality_organisation)
    client.force_login(police_reporter)

    response = client.get("/personal/")

    assert response.status_code == 200
    titles = [activity.title for activity in response.context["activities"]]
    assert titles == ["Aldrig rapporterad", "Rapporterad i våras", "Nyss rapporterad"]
    assert "Kommunens egen" not in response.text


def test_my_activities_marks_late_activities(client, police_reporter, police_organisation):
    ActivityFactory(
        title="Försenad insats",
        lead_organisation=police_organisation,
        planned_end=timezone.localdate() - timedelta(days=10),
    )
    client.force_login(police_reporter)
    response = client.get("/personal/")
    assert "Försenad" in response.text
    assert response.context["activities"][0].is_late


def test_staff_pages_offer_two_factor_login_setup(client, police_reporter):
    client.force_login(police_reporter)

    response = client.get("/personal/")

    assert f'href="{reverse("twofactor:setup")}"' in response.text


@pytest.mark.parametrize("count", [2, 12])
def test_my_activities_costs_a_fixed_number_of_queries(
    client, police_reporter, police_organisation, django_assert_num_queries, count
):
    for _ in range(count):
        ProgressUpdateFactory(activity=ActivityFactory(lead_organisation=police_organisation))
    client.force_login(police_reporter)
    # session, user, staff profile, activities, the user's roles
    with django_assert_num_queries(5):
        response = client.get("/personal/")
    assert len(response.context["activities"]) == count


def test_a_user_without_an_organisation_is_told_so(client, administrator):
    client.force_login(administrator)
    response = client.get("/personal/")
    assert response.status_code == 403
    assert "inte kopplat till någon aktör" in response.text


# --- The report form ----------------------------------------------------------------------


def test_the_report_form_prefills_the_current_status(client, police_reporter, police_activity):
    ProgressUpdateFactory(activity=police_activity, status="paused", percent_complete=30)
    client.force_login(police_reporter)
    response = client.get(report_url(police_activity.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["status"] == "paused"
    assert form.initial["percent_complete"] == 30
    assert 'name="submission_token"' in response.text


@pytest.mark.parametrize("indicators", [1, 5])
def test_the_report_form_costs_a_fixed_number_of_queries(
    client, police_reporter, police_activity, django_assert_num_queries, indicators
):
    for _ in range(indicators):
        MeasurementFactory(indicator=IndicatorFactory(activity=police_activity))
    ProgressUpdateFactory.create_batch(3, activity=police_activity)
    client.force_login(police_reporter)
    # session, user, activity, profile, groups, responsible organisations,
    # indicators, recent updates, the user's own update to correct (none among
    # them), recent measurements, their history
    with django_assert_num_queries(11):
        response = client.get(report_url(police_activity.pk))
    assert response.status_code == 200


def test_a_report_with_a_measurement_is_saved_and_shown(
    client, police_reporter, police_activity, indicator
):
    client.force_login(police_reporter)
    response = client.post(
        report_url(police_activity.pk),
        report_data(indicator=indicator.pk, value="12", measured_on=str(timezone.localdate())),
        follow=True,
    )

    update = ProgressUpdate.objects.get()
    assert (update.status, update.percent_complete) == ("in_progress", 40)
    assert update.author == police_reporter
    assert update.organisation == police_reporter.staff_profile.organisation
    measurement = Measurement.objects.get()
    assert (measurement.indicator, measurement.value) == (indicator, 12)
    assert measurement.recorded_by == police_reporter
    assert "är sparad" in response.text
    listed = response.context["activities"][0]
    assert (listed.current_percent, listed.last_reported_on) == (40, timezone.localdate())


def test_completed_below_100_percent_is_explained_beside_the_field(
    client, police_reporter, police_activity
):
    client.force_login(police_reporter)
    response = client.post(
        report_url(police_activity.pk), report_data(status="completed", percent_complete="80")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["percent_complete"] == [
        "En genomförd aktivitet är klar till 100 procent. Ange 100 eller välj en annan status."
    ]
    assert 'id="error_1_id_percent_complete"' in response.text
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"indicator": "INDICATOR"}, "value", "Ange ett värde för måttet du valt."),
        ({"value": "3"}, "indicator", "Välj vilket mått värdet gäller."),
        (
            {"indicator": "INDICATOR", "value": "3", "measured_on": "2999-01-01"},
            "measured_on",
            "Ett mätvärde kan inte vara från framtiden.",
        ),
        ({"percent_complete": "140"}, "percent_complete", None),
        ({"text": ""}, "text", "Det här fältet är obligatoriskt."),
        ({"status": "klar"}, "status", None),
    ],
)
def test_bad_input_saves_nothing_and_names_the_field_in_swedish(
    client, police_reporter, police_activity, indicator, extra, field, message
):
    data = report_data(
        **{
            key: str(indicator.pk) if value == "INDICATOR" else value
            for key, value in extra.items()
        }
    )
    client.force_login(police_reporter)
    response = client.post(report_url(police_activity.pk), data)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    if message:
        assert errors == [message]
    assert not ProgressUpdate.objects.exists()
    assert not Measurement.objects.exists()


def test_a_double_submit_saves_one_update(client, police_reporter, police_activity):
    client.force_login(police_reporter)
    data = report_data()
    first = client.post(report_url(police_activity.pk), data)
    second = client.post(report_url(police_activity.pk), data, follow=True)
    assert first.status_code == 302
    assert ProgressUpdate.objects.count() == 1
    assert "redan sparad" in second.text


def test_completed_at_100_percent_completes_the_activity(client, police_reporter, police_activity):
    client.force_login(police_reporter)
    client.post(
        report_url(police_activity.pk), report_data(status="completed", percent_complete=100)
    )
    assert ProgressUpdate.objects.get().status == "completed"


# --- Tampering ------------------------------------------------------------------------------


def test_posting_to_another_organisations_activity_is_forbidden_and_saves_nothing(
    client, municipality_reporter, police_activity
):
    client.force_login(municipality_reporter)
    assert client.get(report_url(police_activity.pk)).status_code == 403
    response = client.post(report_url(police_activity.pk), report_data())
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_posting_to_an_activity_that_does_not_exist_is_not_found(client, police_reporter):
    client.force_login(police_reporter)
    response = client.post(report_url(987654), report_data())
    assert response.status_code == 404
    assert not ProgressUpdate.objects.exists()


def test_a_measurement_for_another_activitys_indicator_is_refused(
    client, police_reporter, police_activity, police_organisation
):
    other_indicator = IndicatorFactory(
        activity=ActivityFactory(lead_organisation=police_organisation)
    )
    IndicatorFactory(activity=police_activity)
    client.force_login(police_reporter)
    response = client.post(
        report_url(police_activity.pk),
        report_data(indicator=other_indicator.pk, value="1", measured_on="2025-01-01"),
    )
    assert response.status_code == 400
    assert "indicator" in response.context["form"].errors
    assert not ProgressUpdate.objects.exists()
    assert not Measurement.objects.exists()


def test_a_secretary_cannot_report_progress(client, secretary, police_activity):
    client.force_login(secretary)
    assert client.post(report_url(police_activity.pk), report_data()).status_code == 403
    assert not ProgressUpdate.objects.exists()


# --- Correcting one's own update ----------------------------------------------------------


def change_url(update: ProgressUpdate) -> str:
    return reverse("staff:report_change", args=[update.pk])


def test_a_reporter_corrects_their_own_update_within_24_hours(
    client, police_reporter, police_activity
):
    update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    client.force_login(police_reporter)
    response = client.post(
        change_url(update), {"status": "in_progress", "percent_complete": 55, "text": "Rättat."}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.percent_complete, update.text) == (55, "Rättat.")


def test_a_correction_keeps_the_earlier_wording_in_the_history(
    client, police_reporter, police_activity
):
    update = ProgressUpdateFactory(
        activity=police_activity, author=police_reporter, text="Första versionen."
    )
    client.force_login(police_reporter)

    client.post(
        change_url(update), {"status": "in_progress", "percent_complete": 55, "text": "Rättat."}
    )

    versions = list(update.history.order_by("history_date").values_list("text", "history_user"))
    assert versions == [("Första versionen.", None), ("Rättat.", police_reporter.pk)]


def test_after_24_hours_an_update_can_no_longer_be_changed(
    client, police_reporter, police_activity
):
    update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    ProgressUpdate.objects.filter(pk=update.pk).update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )
    client.force_login(police_reporter)
    response = client.post(
        change_url(update), {"status": "in_progress", "percent_complete": 55, "text": "Rättat."}
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.percent_complete == 50


def test_not_even_a_superuser_rewrites_someone_elses_update(
    client, django_user_model, police_reporter, police_activity
):
    update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    superuser = django_user_model.objects.create_superuser("root", "root@example.invalid", "x")
    client.force_login(superuser)

    page = client.get(report_url(police_activity.pk))
    response = client.post(
        change_url(update), {"status": "in_progress", "percent_complete": 5, "text": "Omskrivet."}
    )

    assert change_url(update) not in page.text
    assert response.status_code == 403
    update.refresh_from_db()
    assert (update.percent_complete, update.author) == (50, police_reporter)


def test_nobody_changes_a_colleagues_update(client, municipality_reporter, police_organisation):
    shared = ActivityFactory(
        lead_organisation=police_organisation,
        other_organisations=[municipality_reporter.staff_profile.organisation],
    )
    update = ProgressUpdateFactory(activity=shared, author=None)
    client.force_login(municipality_reporter)
    assert client.get(change_url(update)).status_code == 403


def test_the_change_form_shows_only_for_ones_own_recent_update(
    client, police_reporter, police_activity
):
    own = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    colleague = ProgressUpdateFactory(activity=police_activity, author=None)
    client.force_login(police_reporter)
    response = client.get(report_url(police_activity.pk))
    assert change_url(own) in response.text
    assert change_url(colleague) not in response.text


def test_a_promise_level_indicator_is_not_offered_to_reporters(
    client, police_reporter, police_activity
):
    IndicatorFactory(activity=None, promise=police_activity.promise, name="Anmälningar")
    client.force_login(police_reporter)
    response = client.get(report_url(police_activity.pk))
    assert "indicator" not in response.context["form"].fields


@pytest.mark.parametrize("earlier", [1, 6])
def test_the_change_form_costs_a_fixed_number_of_queries(
    client, police_reporter, police_activity, django_assert_num_queries, earlier
):
    ProgressUpdateFactory.create_batch(earlier, activity=police_activity)
    update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    client.force_login(police_reporter)
    # session, user, update with activity, groups, profile, responsible organisations
    with django_assert_num_queries(6):
        response = client.get(change_url(update))
    assert response.status_code == 200


def test_the_login_page_makes_no_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/konto/logga-in/").status_code == 200


@pytest.mark.parametrize("token", ["", "x", None], ids=["empty", "mangled", "missing"])
def test_a_report_without_its_form_key_is_shown_again_with_a_fresh_key(
    client, police_reporter, police_activity, token
):
    client.force_login(police_reporter)
    data = report_data(submission_token=token)
    if token is None:
        del data["submission_token"]

    response = client.post(report_url(police_activity.pk), data)

    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()
    assert "utan sin engångsnyckel" in response.text
    assert "Fyra kvällar med fotpatrullering." in response.text  # nothing retyped
    fresh = response.context["form"].data["submission_token"]
    assert uuid.UUID(fresh)
    assert f'name="submission_token" value="{fresh}"' in response.text

    resent = client.post(report_url(police_activity.pk), {**data, "submission_token": fresh})
    again = client.post(report_url(police_activity.pk), {**data, "submission_token": fresh})
    assert (resent.status_code, again.status_code) == (302, 302)
    assert ProgressUpdate.objects.count() == 1


def test_staff_pages_are_not_cached(client, police_reporter):
    client.force_login(police_reporter)
    response = client.get("/personal/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_secretary_sees_the_activities_but_no_report_buttons(
    client, secretary, municipality_organisation
):
    activity = ActivityFactory(lead_organisation=municipality_organisation)
    client.force_login(secretary)
    response = client.get("/personal/")
    assert activity.title in response.text
    assert report_url(activity.pk) not in response.text


def test_right_after_saving_the_reporter_is_offered_a_correction(
    client, police_reporter, police_activity
):
    client.force_login(police_reporter)
    response = client.post(
        reverse("staff:report_create", args=[police_activity.pk]),
        report_data(percent_complete=30, text="Första passet är gjort."),
        follow=True,
    )
    update = police_activity.updates.get()
    html = response.content.decode()
    assert "är sparad och publicerad." in html
    assert f'<a href="{reverse("staff:report_change", args=[update.pk])}">Rätta den</a>' in html


def test_the_report_form_offers_the_correction_at_the_top(client, police_reporter, police_activity):
    client.force_login(police_reporter)
    update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    html = client.get(reverse("staff:report_create", args=[police_activity.pk])).content.decode()
    link = reverse("staff:report_change", args=[update.pk])
    assert html.index(link) < html.index("staff-report-form")
