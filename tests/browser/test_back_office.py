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
    reported_row = table.locator("tr", has_text="30 november 2022")
    assert "45" in reported_row.inner_text()
    check_accessibility(public)
    save_screenshot(public, "public-promise-after-report")
    resident.close()


class Interactions:
    """Counts what the secretary does as a user would: each click, tick or filled field.

    On main before issue 13 the same meeting took 28: open the add form, choose the
    period (a select: 2) and continue, five fields, six assessments (selects: 12),
    one comment, save, then tick the meeting, choose the action (2) and run it.
    """

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def check(self, locator) -> None:
        self.count += 1
        locator.check()

    def fill(self, locator, value: str) -> None:
        self.count += 1
        locator.fill(value)


SECRETARY_MOST_INTERACTIONS = 15
ATTENDEES = (
    "Anna Berg, ordförande\nPer Ek, sekreterare\nLena Sund, justerare\nOla Nyström, kommunpolis"
)


@pytest.mark.parametrize("width", [1280])
def test_the_secretary_records_and_publishes_a_meeting_of_six_promises_in_few_steps(
    page, timra_loaded, secretary
):
    from followup.models import FollowUp, Meeting
    from promises.models import Promise

    promises = list(Promise.objects.filter(period=timra_loaded).order_by("order", "pk"))
    assert len(promises) == 6
    page.goto("/admin/")
    page.fill("#id_username", secretary.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.locator("#content-main").wait_for()
    user = Interactions(page)

    # One current period: the add link opens the form with a row per promise.
    user.click(page.locator("tr.model-meeting a.addlink"))
    page.wait_for_url("**/admin/followup/meeting/add/")
    rows = page.locator("#follow_ups-group .followup-row")
    assert rows.count() == 6
    group = page.locator("#follow_ups-group").inner_text()
    for promise in promises:
        assert promise.title in group
    assert group.count("Förra bedömningen (") == 6  # the council's latest assessment, dated
    assert "Beslutade nästa steg: Fortsätt enligt aktivitetsplanen" in group
    # Time and place as at the council's previous meeting.
    assert page.locator("#id_place").input_value() == "Kommunhuset, Timrå"
    assert page.locator("#id_start_time").input_value().startswith("13:00")
    form_height = page.evaluate("document.documentElement.scrollHeight")
    assert form_height < 3000, form_height
    check_accessibility(page)
    save_screenshot(page, "admin-meeting-add")

    today = timezone.localdate()
    user.fill(page.locator("#id_date"), f"{today.day}/{today.month}/{today.year}")
    user.fill(page.locator("#id_attendees"), ATTENDEES)
    user.fill(page.locator("#id_agenda"), "1. Mötets öppnande\n2. Uppföljning av medborgarlöftena")
    user.fill(page.locator("#id_minutes"), "Rådet gick igenom lägesrapporterna.")
    for index in range(5):
        user.check(page.locator(f"#follow_ups-{index}").get_by_label("Enligt plan"))
    user.check(page.locator("#follow_ups-5").get_by_label("Ej behandlat"))
    user.fill(page.locator("#id_follow_ups-5-comment"), "Ansvarig var sjuk; tas upp i mars.")
    user.click(page.get_by_role("button", name="Spara och publicera"))
    page.wait_for_url("**/admin/followup/meeting/")

    assert user.count <= SECRETARY_MOST_INTERACTIONS, user.count
    assert "är sparat och publicerat" in page.inner_text(".messagelist")
    meeting = Meeting.objects.get(date=today, council__municipality__slug="timra")
    assert meeting.is_published and meeting.history.first().history_user == secretary
    assert meeting.follow_ups.filter(assessment="on_track").count() == 5
    skipped = meeting.follow_ups.get(assessment=FollowUp.Assessment.NOT_DISCUSSED)
    assert skipped.promise == promises[5]

    # The list fits 1280 px, with its publication and report columns in view.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    results = page.locator("#changelist .results")
    assert results.evaluate("r => r.scrollWidth <= r.clientWidth")  # nothing scrolled off
    visible = results.bounding_box()
    for column in ("th.column-is_published", "th.column-report_link"):
        box = page.locator(column).bounding_box()
        assert box["x"] + box["width"] <= visible["x"] + visible["width"], column
    check_accessibility(page)
    save_screenshot(page, "admin-meeting-list")

    # So does the list of follow-ups ("Uppföljningar"): long titles wrap, the assessment shows.
    page.goto("/admin/followup/followup/")
    results = page.locator("#changelist .results")
    assert page.locator("#result_list tbody tr").count() >= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert results.evaluate("r => r.scrollWidth <= r.clientWidth")
    visible = results.bounding_box()
    box = page.locator("th.column-assessment").bounding_box()
    assert box["x"] + box["width"] <= visible["x"] + visible["width"]
    check_accessibility(page)
    save_screenshot(page, "admin-follow-up-list")

    page.goto(f"/admin/followup/meeting/{meeting.pk}/rapport/")
    protocol = page.locator("main")
    assert protocol.locator("table.attendee-list tbody tr").count() == 4
    assert "§\xa01 Dagordning" in protocol.inner_text()
    assert protocol.locator(".signature").count() == 3
    check_accessibility(page)
    save_screenshot(page, "admin-meeting-protocol")
    page.emulate_media(media="print")
    assert not page.locator(".report-tools").is_visible()  # no buttons on paper
    page.emulate_media(media="screen")

    # Residents see the five assessments and the promise not taken up, with the reason.
    page.goto(meeting.get_absolute_url())
    public = page.inner_text("main")
    assert public.count("Enligt plan") == 5
    assert "Ej behandlat" in public and "Ansvarig var sjuk; tas upp i mars." in public
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
