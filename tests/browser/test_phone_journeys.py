"""The reporter's and the resident's journeys on a 360 px phone, in a real Chromium.

The reporter logs in with two-factor, reports progress (a 300-letter word and a
too-long text on the way), corrects the report and a mistyped measurement. The
resident goes from the start page to a promise, reads the council's verdict at
the top and follows it to "Rådets uppföljning". axe-core checks every staff page.
"""

import datetime
import re

import pytest

from tests.browser.conftest import check_accessibility, save_screenshot
from tests.conftest import STAFF_PASSWORD
from tests.twofactor.conftest import enrol, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAFFIC_CHECKS = "Trafikkontroller vid identifierade riskplatser"
LONG_WORD = "trafiksäkerhetskontroll" * 13  # 299 letters, no place to break
PHONE = 360

HEADER_LINES = """() => {
    const boxes = [...document.querySelectorAll(
        '.site-header .site-name, .site-header .staff-nav > a, .site-header summary'
    )].filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect())
      .sort((a, b) => a.top - b.top);
    let lines = 0, bottom = -Infinity;
    for (const box of boxes) {
        if (box.top >= bottom - 1) { lines += 1; bottom = box.bottom; }
        else { bottom = Math.max(bottom, box.bottom); }
    }
    return lines;
}"""
BUTTON_UNCOVERED = """(name) => {
    const button = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === name);
    button.scrollIntoView({block: 'center', behavior: 'instant'});
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const ok = box.right <= window.innerWidth && (hit === button || button.contains(hit));
    // On failure: where the button is and what covers it.
    return ok || [box.left, box.right, box.top, hit && hit.outerHTML.slice(0, 200)];
}"""


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE


def staff_page_checks(page, name: str) -> None:
    """Every staff page: no sideways scrolling, a header of at most two lines, a
    footer that knows the user, axe-core clean; then a screenshot."""
    assert fits_the_phone(page), page.url
    assert page.evaluate(HEADER_LINES) <= 2, page.url
    footer = page.locator("footer").inner_text()
    assert "Du är inloggad som" in footer and "Logga in" not in footer, page.url
    check_accessibility(page)
    save_screenshot(page, name)


def log_in_with_two_factor(page, user, device) -> None:
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.get_username())
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/konto/tvafaktor/verifiera/**")
    # Enrolling used the current code; the app's next one is accepted too.
    page.get_by_label("Kod från appen eller reservkod").fill(totp_code(device, steps_ahead=1))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/personal/")


@pytest.mark.parametrize("width", [PHONE])
def test_a_reporter_reports_and_corrects_a_report_and_a_measurement_on_a_phone(
    page, timra_loaded, police_reporter
):
    from activities.models import Activity, Measurement, ProgressUpdate

    activity = Activity.objects.get(title=TRAFFIC_CHECKS)
    device, _codes = enrol(police_reporter)
    log_in_with_two_factor(page, police_reporter, device)
    assert page.get_by_role("heading", name="Mina aktiviteter").is_visible()
    staff_page_checks(page, "phone-my-activities")

    # The account menu opens below the one-line header and closes again.
    page.locator(".staff-account summary").click()
    assert page.get_by_role("button", name="Logga ut").first.is_visible()
    assert fits_the_phone(page)
    check_accessibility(page)
    page.locator(".staff-account summary").click()

    card = page.locator(".staff-activity", has_text=TRAFFIC_CHECKS)
    card.get_by_role("link", name=re.compile(f"^Rapportera läget.*{TRAFFIC_CHECKS}")).click()
    page.wait_for_url(f"**/personal/aktiviteter/{activity.pk}/rapportera/")

    # "Planerad" means 0 percent: the page fills it in, as the server requires.
    page.get_by_label("Procent klart").fill("40")
    page.get_by_label("Planerad").check()
    assert page.get_by_label("Procent klart").input_value() == "0"
    page.get_by_label("Pågår").check()
    page.get_by_label("Procent klart").fill("40")

    # The counter follows the text; beyond the limit the server explains it too.
    text = page.get_by_label("Vad har gjorts?")
    counter = page.locator("#id_text_count")
    text.fill("Kontroller vid skolan.")
    assert counter.inner_text() == "Du har 1\u00a0978 tecken kvar"  # sv-SE groups with a space
    assert "id_text_count" in text.get_attribute("aria-describedby")
    text.fill("x" * 2001)
    assert counter.inner_text() == "Du har 1 tecken för mycket"
    page.get_by_role("button", name="Spara lägesrapporten").click()
    assert "högst 2000 tecken" in page.locator("#id_text_error").inner_text()
    assert not ProgressUpdate.objects.filter(activity=activity, author=police_reporter).exists()
    staff_page_checks(page, "phone-report-too-long")

    # One long word wraps: the page stays 360 px wide and the save button uncovered.
    page.get_by_label("Vad har gjorts?").fill(f"Kontroller vid {LONG_WORD} i centrum.")
    page.get_by_label("Mått").select_option(label=f"{TRAFFIC_CHECKS} (antal)")
    page.get_by_label("Värde").fill("450")  # a typing mistake: 45 were made
    page.get_by_label("Mätdatum").fill("2022-11-30")
    assert fits_the_phone(page)
    assert page.evaluate(BUTTON_UNCOVERED, "Spara lägesrapporten") is True
    staff_page_checks(page, "phone-report-form")
    page.get_by_role("button", name="Spara lägesrapporten").click()

    page.wait_for_url("**/personal/")
    message = page.locator(".messages")
    assert "är sparad och publicerad" in message.inner_text()
    update = ProgressUpdate.objects.get(activity=activity, author=police_reporter)
    measurement = Measurement.objects.get(indicator__activity=activity, recorded_by=police_reporter)
    assert (update.percent_complete, measurement.value) == (40, 450)

    # Correcting the report: from the confirmation, right away.
    message.get_by_role("link", name="Rätta den").click()
    page.wait_for_url(f"**/personal/lagesrapporter/{update.pk}/andra/")
    staff_page_checks(page, "phone-report-change")
    page.get_by_label("Procent klart").fill("45")
    page.get_by_role("button", name="Spara ändringen").click()
    page.wait_for_url("**/personal/")
    assert "Lägesrapporten är ändrad." in page.locator(".messages").inner_text()
    update.refresh_from_db()
    assert update.percent_complete == 45

    # Later, from the activity: both corrections are offered near the top and in the list.
    page.goto(f"/personal/aktiviteter/{activity.pk}/rapportera/")
    own = page.locator(".staff-correct-own a")
    assert own.inner_text().startswith("Ändra din lägesrapport från")
    assert own.bounding_box()["y"] < page.locator(".staff-report-form").bounding_box()["y"]
    assert fits_the_phone(page)  # the long word in the recent reports wraps too
    staff_page_checks(page, "phone-report-form-with-history")

    page.get_by_role("link", name=re.compile(f"^Rätta ditt mätvärde.*{TRAFFIC_CHECKS}")).click()
    page.wait_for_url(f"**/personal/matvarden/{measurement.pk}/andra/")
    assert page.get_by_label("Värde").input_value() in ("450", "450.00")
    staff_page_checks(page, "phone-measurement-change")
    page.get_by_label("Värde").fill("45")
    page.get_by_label("Källa").fill("Egen räkning")
    page.get_by_role("button", name="Spara rättelsen").click()

    page.wait_for_url(f"**/personal/aktiviteter/{activity.pk}/rapportera/")
    assert "är rättat" in page.locator(".messages").inner_text()
    corrections = page.locator(".staff-measurements .measurement-corrections").inner_text()
    assert f"av {police_reporter.get_username()}. Tidigare: 450 antal" in corrections
    staff_page_checks(page, "phone-measurement-corrected")

    measurement.refresh_from_db()
    assert (measurement.value, measurement.source) == (45, "Egen räkning")
    assert measurement.history.count() == 2  # the first value kept
    assert measurement.measured_on == datetime.date(2022, 11, 30)


@pytest.mark.parametrize("width", [PHONE])
def test_a_resident_finds_the_councils_verdict_at_the_top_of_a_promise_on_a_phone(
    page, timra_loaded
):
    from followup.models import FollowUp

    latest = (
        FollowUp.objects.filter(meeting__is_published=True, activity=None)
        .select_related("promise", "meeting")
        .order_by("-meeting__date", "-pk")
        .first()
    )
    promise = latest.promise
    verdict = (
        FollowUp.objects.filter(promise=promise, meeting__is_published=True, activity=None)
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
        .first()
    )

    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Medborgarlöften i Timrå")
    assert fits_the_phone(page)
    page.get_by_role("link", name=promise.title).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == promise.title

    # The verdict is on the first screen, with its date, before the promise's text.
    headline = page.locator("#lagesbild")
    assert verdict.get_assessment_display() in headline.inner_text()
    link = headline.get_by_role("link", name=f"Rådets bedömning {verdict.meeting.date.day}")
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= 800
    assert fits_the_phone(page)
    check_accessibility(page)
    save_screenshot(page, "phone-promise-verdict")

    link.click()
    assert page.url.endswith("#followups-heading")
    assert page.get_by_role("heading", name="Rådets uppföljning", exact=True).is_visible()
    # Scrolled to it (smoothly, so waited for).
    page.wait_for_function(
        "() => { const top = document.getElementById('followups-heading')"
        ".getBoundingClientRect().top; return top >= 0 && top < 800; }"
    )
    footer = page.locator("footer").inner_text()
    assert "För personal" in footer and "Logga in" not in footer
    save_screenshot(page, "phone-promise-council-section")
