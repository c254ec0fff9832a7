"""The back office in a real headless Chromium: phone reporting and the secretary's meeting."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import check_accessibility, save_screenshot
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAFFIC_CHECKS = "Trafikkontroller vid identifierade riskplatser"
STAFF_TRAINING = "Utbildning för kommunens medarbetare"  # socialtjänsten and the municipality


def log_in(page, username: str) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


@pytest.mark.parametrize("width", [360])
def test_a_police_reporter_reports_progress_with_a_measurement_from_a_phone(
    page, timra_loaded, police_reporter, municipality_reporter, browser, live_server
):
    from activities.models import Activity, Measurement, ProgressUpdate

    police = police_reporter.staff_profile.organisation
    activity = Activity.objects.get(title=TRAFFIC_CHECKS)

    log_in(page, police_reporter.username)
    page.wait_for_url("**/personal/")
    assert page.get_by_role("heading", name="Mina aktiviteter").is_visible()

    shown = set(page.locator(".staff-activity h2").all_inner_texts())
    assert shown == set(Activity.objects.for_organisation(police).values_list("title", flat=True))
    assert STAFF_TRAINING not in shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(page)
    save_screenshot(page, "staff-my-activities")

    card = page.locator(".staff-activity", has_text=TRAFFIC_CHECKS)
    card.get_by_role("link", name=re.compile(f"^Rapportera läget.*{TRAFFIC_CHECKS}")).click()
    page.wait_for_url(f"**/personal/aktiviteter/{activity.pk}/rapportera/")
    page.get_by_label("Pågår").check()
    page.get_by_label("Procent klart").fill("90")
    page.get_by_label("Genomförd").check()
    assert page.get_by_label("Procent klart").input_value() == "100"  # static JS helps
    page.get_by_label("Vad har gjorts?").fill("Fyrtiofem kontroller, sista veckan i november.")
    page.get_by_label("Mått").select_option(label=f"{TRAFFIC_CHECKS} (antal)")
    page.get_by_label("Värde").fill("45")
    # Timrå's 2021–2022 period is over: the value is dated within it (and its margin).
    page.get_by_label("Mätdatum").fill("2022-11-30")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(page)
    save_screenshot(page, "staff-report-form")

    # "Genomförd" at 80 percent: explained beside the field, nothing saved.
    page.get_by_label("Procent klart").fill("80")
    page.get_by_role("button", name="Spara lägesrapporten").click()
    error = page.locator("#id_percent_complete_error")
    assert "klar till 100 procent" in error.inner_text()
    assert page.get_by_label("Procent klart").get_attribute("aria-invalid") == "true"
    assert not ProgressUpdate.objects.filter(activity=activity, author=police_reporter).exists()
    check_accessibility(page)
    save_screenshot(page, "staff-report-form-error")

    page.get_by_label("Procent klart").fill("100")
    page.get_by_role("button", name="Spara lägesrapporten").click()

    page.wait_for_url("**/personal/")
    assert "är sparad och publicerad" in page.locator(".messages").inner_text()
    card = page.locator(".staff-activity", has_text=TRAFFIC_CHECKS)
    assert "100" in card.inner_text()
    assert timezone.localdate().strftime("%Y") in card.locator("time").inner_text()
    save_screenshot(page, "staff-report-saved")

    update = ProgressUpdate.objects.filter(activity=activity).first()
    assert (update.status, update.percent_complete, update.author) == (
        "completed",
        100,
        police_reporter,
    )
    measurement = Measurement.objects.filter(indicator__activity=activity).latest("pk")
    assert (measurement.value, measurement.recorded_by) == (45, police_reporter)
    assert measurement.measured_on == datetime.date(2022, 11, 30)
    assert ProgressUpdate.objects.filter(activity=activity, author=police_reporter).count() == 1

    # A municipality reporter may not report on the police's activity, not even by posting.
    other = browser.new_context(
        viewport={"width": 360, "height": 800}, base_url=live_server.url, locale="sv-SE"
    )
    other_page = other.new_page()
    log_in(other_page, municipality_reporter.username)
    other_page.wait_for_url("**/personal/")
    assert TRAFFIC_CHECKS not in other_page.locator("main").inner_text()
    token = other_page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = other_page.request.post(
        f"/personal/aktiviteter/{activity.pk}/rapportera/",
        form={
            "csrfmiddlewaretoken": token,
            "submission_token": "7d9f7a8e-2f0c-4a34-9d0e-3a1c8e5b7f10",
            "status": "cancelled",
            "percent_complete": "0",
            "text": "Försök att ändra polisens aktivitet.",
        },
    )
    assert response.status == 403
    denied = other_page.goto(f"/personal/aktiviteter/{activity.pk}/rapportera/")
    assert denied.status == 403
    assert other_page.get_by_role("heading", name="Åtkomst nekad").is_visible()
    check_accessibility(other_page)
    other.close()
    assert ProgressUpdate.objects.filter(activity=activity).first() == update

    # A resident sees the report and the measurement on the public promise page at once.
    resident = browser.new_context(
        viewport={"width": 360, "height": 800}, base_url=live_server.url, locale="sv-SE"
    )
    public = resident.new_page()
    public.goto(activity.promise.get_absolute_url())
    timeline = public.locator(f"#aktivitet-{activity.pk}")
    assert "Fyrtiofem kontroller, sista veckan i november." in timeline.inner_text()
    assert "100" in timeline.inner_text()
    table = public.locator("table.indicator-table", has_text=TRAFFIC_CHECKS)
    reported_row = table.locator("tr", has_text="2022-11-30")
    assert "45" in reported_row.inner_text()
    check_accessibility(public)
    save_screenshot(public, "public-promise-after-report")
    resident.close()


def test_the_secretary_follows_up_all_six_promises_and_publishes_the_meeting(
    page, timra_loaded, secretary
):
    from followup.models import FollowUp, Meeting
    from promises.models import Promise

    page.goto("/admin/")
    page.fill("#id_username", secretary.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.goto("/admin/followup/meeting/add/")
    page.select_option("#id_period", label=str(timra_loaded))
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url("**/admin/followup/meeting/add/?period=*")
    page.locator("#follow_ups-group").wait_for()

    rows = page.locator(".inline-related:not(.empty-form)")
    assert rows.count() == 6
    for promise in Promise.objects.filter(period=timra_loaded):
        assert promise.title in page.locator("#follow_ups-group").inner_text()
    assert "sedan förra sammanträdet" in page.locator("#follow_ups-group").inner_text()
    save_screenshot(page, "admin-meeting-add")

    page.fill("#id_date", timezone.localdate().isoformat())
    page.fill("#id_place", "Kommunhuset, Timrå")
    for index in range(6):
        page.select_option(f"#id_follow_ups-{index}-assessment", "on_track")
        page.fill(f"#id_follow_ups-{index}-comment", f"Kommentar till löfte {index + 1}.")
        page.fill(f"#id_follow_ups-{index}-next_steps", f"Nästa steg för löfte {index + 1}.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/followup/meeting/")
    page.locator("#result_list").wait_for()

    meeting = Meeting.objects.get(date=timezone.localdate(), council__municipality__slug="timra")
    assert meeting.follow_ups.count() == 6
    assert not meeting.is_published

    page.check(f"input[name=_selected_action][value='{meeting.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.locator(".messagelist").wait_for()
    assert "1 sammanträde publicerades." in page.inner_text(".messagelist")
    meeting.refresh_from_db()
    assert meeting.is_published and meeting.published_at is not None
    assert meeting.history.first().history_user == secretary

    page.goto(f"/admin/followup/meeting/{meeting.pk}/rapport/")
    report = page.inner_text("main")
    for promise in Promise.objects.filter(period=timra_loaded):
        assert promise.title in report
    assert report.count("Enligt plan") == 6
    assert "Nästa steg för löfte 6." in report
    check_accessibility(page)
    save_screenshot(page, "admin-meeting-report")
    page.emulate_media(media="print")
    assert not page.locator(".report-tools").is_visible()  # no buttons on paper
    assert FollowUp.objects.filter(meeting=meeting, assessment="on_track").count() == 6

    # Residents now find the published meeting and its six assessments on the public site.
    page.emulate_media(media="screen")
    page.goto(meeting.get_absolute_url())
    public = page.inner_text("main")
    assert public.count("Enligt plan") == 6
    assert "Nästa steg för löfte 6." in public
    check_accessibility(page)
    save_screenshot(page, "public-meeting-after-publishing")


def test_the_login_and_password_reset_pages_are_accessible(page):
    page.goto("/konto/logga-in/")
    assert page.get_by_role("heading", name="Logga in").is_visible()
    check_accessibility(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.get_by_label("E-postadress").fill("okand@example.invalid")
    page.get_by_role("button", name="Skicka länken").click()
    assert page.get_by_role("heading", name="Kolla din e-post").is_visible()
    check_accessibility(page)
    save_screenshot(page, "staff-password-reset-done")
