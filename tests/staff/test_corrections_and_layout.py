"""The reporter's frictions, fixed: true refusal reasons, measurement corrections,
status and percent, length limits, the correction link on top, and a layout that
knows who is logged in without touching the public pages' cache."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import permission_denied

from activities.models import Measurement, ProgressUpdate
from activities.services import measurement_create
from tests.activities.factories import ActivityFactory, IndicatorFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

WRONG_ORGANISATION = "Lägesrapporter lämnas bara på aktiviteter som din aktör ansvarar för."


@pytest.fixture
def police_activity(police_organisation):
    return ActivityFactory(title="Trafikkontroller", lead_organisation=police_organisation)


@pytest.fixture
def measurement(police_reporter, police_activity):
    return measurement_create(
        user=police_reporter,
        indicator=IndicatorFactory(activity=police_activity, name="Kontroller", unit="antal"),
        value=450,
        measured_on=timezone.localdate(),
    )


def report_url(activity) -> str:
    return reverse("staff:report_create", args=[activity.pk])


def change_url(update) -> str:
    return reverse("staff:report_change", args=[update.pk])


def measurement_url(measurement) -> str:
    return reverse("staff:measurement_change", args=[measurement.pk])


def report_data(**overrides) -> dict:
    return {
        "submission_token": str(uuid.uuid4()),
        "status": "in_progress",
        "percent_complete": "40",
        "text": "Fyra kvällar med kontroller.",
        **overrides,
    }


# --- Each refusal names its real reason -----------------------------------------------


def test_a_colleagues_update_of_the_own_organisation_is_refused_for_being_someone_elses(
    client, police_reporter, police_colleague, police_activity
):
    update = ProgressUpdateFactory(activity=police_activity, author=police_colleague)
    client.force_login(police_reporter)

    for response in (
        client.get(change_url(update)),
        client.post(change_url(update), {"status": "paused", "percent_complete": 5, "text": "x"}),
    ):
        assert response.status_code == 403
        assert "Bara den som skrev en lägesrapport kan ändra den" in response.text
        assert WRONG_ORGANISATION not in response.text
    update.refresh_from_db()
    assert update.status == "in_progress"


def test_an_own_update_older_than_a_day_is_refused_for_its_age(
    client, police_reporter, police_activity
):
    update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    ProgressUpdate.objects.filter(pk=update.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    client.force_login(police_reporter)
    response = client.get(change_url(update))
    assert response.status_code == 403
    assert "mer än 24 timmar sedan" in response.text


def test_another_organisations_activity_is_refused_for_the_organisation(
    client, municipality_reporter, police_activity
):
    client.force_login(municipality_reporter)
    response = client.get(report_url(police_activity))
    assert response.status_code == 403
    assert WRONG_ORGANISATION in response.text


def test_a_secretary_is_refused_for_not_being_a_reporter(client, secretary, police_activity):
    client.force_login(secretary)
    response = client.post(report_url(police_activity), report_data())
    assert response.status_code == 403
    assert "inte rollen Rapportör" in response.text
    assert WRONG_ORGANISATION not in response.text


def test_a_refusal_without_a_known_reason_claims_none(rf: RequestFactory, police_reporter):
    request = rf.get("/admin/")
    request.user = police_reporter
    response = permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "Du har inte behörighet att göra det här." in html
    assert "refusal-reason" not in html
    assert WRONG_ORGANISATION not in html


# --- Correcting a measurement ------------------------------------------------------------


def test_a_reporter_corrects_a_mistyped_measurement_and_sees_the_earlier_value(
    client, police_reporter, police_activity, measurement
):
    client.force_login(police_reporter)
    form_page = client.get(report_url(police_activity))
    assert measurement_url(measurement) in form_page.text

    response = client.post(
        measurement_url(measurement),
        {"value": "45", "measured_on": measurement.measured_on.isoformat(), "source": ""},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == report_url(police_activity)
    assert "Mätvärdet för ”Kontroller” är rättat." in response.text
    assert Measurement.objects.get(pk=measurement.pk).value == 45
    shown = response.text
    assert f"av {police_reporter.get_username()}. Tidigare: 450 antal" in shown
    history_page = client.get(measurement_url(measurement))
    assert "Tidigare: 450 antal" in history_page.text


def test_a_colleagues_measurement_is_not_offered_and_refused_with_the_reason(
    client, police_colleague, police_activity, measurement
):
    client.force_login(police_colleague)
    assert measurement_url(measurement) not in client.get(report_url(police_activity)).text
    response = client.post(
        measurement_url(measurement),
        {"value": "1", "measured_on": measurement.measured_on.isoformat()},
    )
    assert response.status_code == 403
    assert "Bara den som lämnade ett mätvärde kan rätta det" in response.text
    assert Measurement.objects.get(pk=measurement.pk).value == 450


def test_a_bad_correction_is_explained_beside_the_field_and_saves_nothing(
    client, police_reporter, measurement
):
    client.force_login(police_reporter)
    response = client.post(
        measurement_url(measurement),
        {"value": "45", "measured_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["measured_on"] == [
        "Ett mätvärde kan inte vara från framtiden."
    ]
    assert Measurement.objects.get(pk=measurement.pk).value == 450


def test_a_measurement_that_does_not_exist_is_not_found(client, police_reporter):
    client.force_login(police_reporter)
    assert client.get(reverse("staff:measurement_change", args=[987654])).status_code == 404


@pytest.mark.parametrize("measurements", [1, 5])
def test_the_measurement_page_costs_a_fixed_number_of_queries(
    client, police_reporter, measurement, django_assert_num_queries, measurements
):
    from activities.services import measurement_change

    for value in range(measurements):
        measurement_change(
            user=police_reporter,
            measurement=measurement,
            value=value,
            measured_on=measurement.measured_on,
        )
    client.force_login(police_reporter)
    # session, user, measurement with indicator and activity, groups, profile,
    # responsible organisations, history
    with django_assert_num_queries(7):
        response = client.get(measurement_url(measurement))
    assert response.text.count("Rättat ") == measurements


# --- Status and percent, length limits ------------------------------------------------------


def test_planned_with_progress_is_explained_beside_the_percent(
    client, police_reporter, police_activity
):
    client.force_login(police_reporter)
    response = client.post(
        report_url(police_activity), report_data(status="planned", percent_complete="90")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["percent_complete"] == [
        "En planerad aktivitet har inte börjat och är klar till 0 procent. "
        "Ange 0 eller välj status Pågår."
    ]
    assert 'id="error_1_id_percent_complete"' in response.text
    assert not ProgressUpdate.objects.exists()


def test_a_too_long_update_is_refused_with_a_clear_swedish_message(
    client, police_reporter, police_activity
):
    client.force_login(police_reporter)
    response = client.post(report_url(police_activity), report_data(text="ord " * 6250))
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [
        "Texten får vara högst 2000 tecken lång, men den är 24999 tecken. "
        "Korta den, till exempel genom att ta bort upprepningar."
    ]
    assert not ProgressUpdate.objects.exists()


def test_line_breaks_count_once_as_the_counter_counts_them(
    client, police_reporter, police_activity
):
    client.force_login(police_reporter)
    text = "\r\n".join(["a" * 99] * 20)  # 1,999 characters with CR LF sent as one
    response = client.post(report_url(police_activity), report_data(text=text))
    assert response.status_code == 302
    assert len(ProgressUpdate.objects.get().text) == 99 * 20 + 19


def test_the_text_fields_carry_their_limit_for_the_counter(
    client, police_reporter, police_activity, measurement
):
    client.force_login(police_reporter)
    report = client.get(report_url(police_activity)).text
    assert 'maxlength="2000"' in report and "data-counter" in report
    assert "js/character-count.js" in report
    correction = client.get(measurement_url(measurement)).text
    assert 'maxlength="300"' in correction and "data-counter" in correction


# --- The correction link on top ---------------------------------------------------------------


def test_the_own_update_is_offered_on_top_even_after_colleagues_reported(
    client, police_reporter, police_colleague, police_activity
):
    own = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
    ProgressUpdateFactory.create_batch(3, activity=police_activity, author=police_colleague)
    client.force_login(police_reporter)
    html = client.get(report_url(police_activity)).text
    link = f'href="{change_url(own)}"'
    assert link in html
    assert html.index(link) < html.index("staff-report-form")
    assert "Ändra din lägesrapport från" in html


# --- Header and footer know the user; the public pages do not ----------------------------


def test_staff_pages_name_the_user_and_offer_logging_out_not_logging_in(client, police_reporter):
    client.force_login(police_reporter)
    html = client.get("/personal/").text
    assert "Logga in" not in html
    assert f"Du är inloggad som {police_reporter.get_username()}." in html
    assert html.count(f'action="{reverse("accounts:logout")}"') == 2  # header menu, footer
    assert 'aria-label="Huvudmeny"' not in html  # the public menu is not repeated


def test_the_login_page_keeps_the_public_footer(client):
    html = client.get(reverse("accounts:login")).text
    assert "Du är inloggad" not in html
    assert "Om medborgarlöften" in html


def test_public_pages_are_the_same_for_everybody_and_stay_cached(client, police_reporter, settings):
    settings.PAGE_CACHE_SECONDS = 600
    about = reverse("pages:about")
    anonymous = client.get(about)
    assert client.get(about)["X-Cache"] == "hit"

    client.force_login(police_reporter)
    logged_in = client.get(about)

    assert logged_in["X-Cache"] == "bypass"
    for response in (anonymous, logged_in):
        assert "Logga in" not in response.text
    # The same page for everybody: the footer's staff link is true for both.
    assert logged_in.content == anonymous.content
    assert client.get(reverse("accounts:login")).url == reverse("staff:my_activities")
