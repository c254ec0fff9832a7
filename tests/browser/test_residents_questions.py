"""The residents' loop on a phone: ask → moderate → send to the council → answer → published."""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check_accessibility, save_screenshot
from tests.conftest import STAFF_PASSWORD
from tests.smtp import body, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Kan ni kontrollera hastigheten på Köpmangatan på kvällarna? Mopederna kör fort."
ANSWER = "Polisen gör hastighetskontroller på Köpmangatan under våren, två kvällar i månaden."


@pytest.fixture
def timra_with_a_planned_meeting(settings):
    from accounts.permissions import SYSTEM
    from followup.models import Council
    from followup.services import load_timra
    from participation.data import timra_dialogues
    from participation.services import load_timra_dialogues
    from promises.data import timra_2021_2022
    from tests.followup.factories import MeetingFactory

    settings.QUESTION_MIN_FILL_SECONDS = 0  # the browser fills the form at once
    period = load_timra(timra_2021_2022).period
    load_timra_dialogues(timra_dialogues, user=SYSTEM)
    meeting = MeetingFactory(
        period=period,
        council=Council.objects.get(municipality=period.municipality),
        date=timezone.localdate() + datetime.timedelta(days=7),
        is_published=False,
        minutes="Rådet gick igenom löftena och invånarnas frågor.",
    )
    return period, meeting


@pytest.mark.parametrize("width", [360])
def test_a_residents_question_goes_to_the_council_and_the_answer_is_published(
    page, browser, live_server, timra_with_a_planned_meeting, secretary, smtp
):
    from participation.models import Question
    from promises.models import Promise

    period, meeting = timra_with_a_planned_meeting
    promise = Promise.objects.get(period=period, slug="trafikkontroller-vid-riskplatser")

    # The resident reads the promise page (no cookie) and follows the link to the form.
    page.goto(promise.get_absolute_url())
    assert page.context.cookies() == []
    page.get_by_role("link", name="Fråga rådet om löftet").click()
    page.wait_for_url("**/fraga/")
    assert [cookie["name"] for cookie in page.context.cookies()] == ["csrftoken"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_accessibility(page)
    save_screenshot(page, "question-form")
    page.get_by_label("Din fråga eller ditt förslag").fill(QUESTION)
    page.get_by_label("Namn att visa (frivilligt)").fill("Moa")
    page.get_by_label("E-postadress för svar (frivilligt)").fill("moa@example.invalid")
    page.get_by_role("button", name="Skicka till rådet").click()
    page.wait_for_url("**/fragor/tack/")
    check_accessibility(page)
    question = Question.objects.get()
    assert question.status == Question.Status.NEW

    # The secretary sends it to the council and records the answer at the meeting.
    staff = browser.new_context(viewport={"width": 360, "height": 800}, base_url=live_server.url)
    admin = staff.new_page()
    admin.goto("/admin/")
    admin.fill("#id_username", secretary.username)
    admin.fill("#id_password", STAFF_PASSWORD)
    admin.click("input[type=submit]")
    admin.goto("/admin/participation/question/")
    assert QUESTION[:50] in admin.inner_text("#result_list")
    save_screenshot(admin, "moderation-queue")
    admin.check(f"input[name=_selected_action][value='{question.pk}']")
    admin.select_option("select[name=action]", "send_to_council")
    admin.click("button[name=index]")
    admin.locator(".messagelist").wait_for()
    assert "1 fråga skickades till rådet." in admin.inner_text(".messagelist")
    question.refresh_from_db()
    assert question.meeting == meeting

    admin.goto(f"/admin/followup/meeting/{meeting.pk}/change/")
    section = admin.locator(".inline-group", has_text="Frågor från invånare")
    assert QUESTION in section.inner_text()
    section.locator("textarea[name$='-answer']").fill(ANSWER)
    assessments = admin.locator(
        "input[type=radio][name^='follow_ups-'][name$='-assessment'][value='on_track']"
    )
    assert assessments.count() == period.promises.count()
    for radio in assessments.all():  # every promise assessed, or publishing is refused
        radio.check()
    save_screenshot(admin, "admin-meeting-with-residents-questions")
    admin.click("input[name=_save]")
    admin.wait_for_url("**/admin/followup/meeting/")
    admin.check(f"input[name=_selected_action][value='{meeting.pk}']")
    admin.select_option("select[name=action]", "publish")
    admin.click("button[name=index]")
    admin.locator(".messagelist").wait_for()
    staff.close()

    # The answer is public on the promise page, in the feed, and in the resident's inbox.
    page.goto(promise.get_absolute_url())
    answers = page.locator("#questions-heading + .question-list")
    assert QUESTION in answers.inner_text() and ANSWER in answers.inner_text()
    assert "Moa" in answers.inner_text()
    assert "moa@example.invalid" not in page.content()
    check_accessibility(page)
    save_screenshot(page, "promise-page-with-answer")
    feed = page.request.get("/oppna-data/timra/fragor.atom").text()
    assert ANSWER in feed and "moa@example.invalid" not in feed
    run_worker()  # the outbox's worker sends the answer through the SMTP server
    [message] = smtp.messages
    assert message["To"] == "moa@example.invalid" and ANSWER in body(message, "plain")

    page.goto("/timra/fragor/?besvarad=ja")
    assert ANSWER in page.inner_text("main")
    check_accessibility(page)
    save_screenshot(page, "questions-and-answers")
    page.goto(promise.focus_areas.first().get_absolute_url())
    assert "Varför det här området?" in page.inner_text("main")
    assert "124 svarande" in page.inner_text("main")
    check_accessibility(page)
    save_screenshot(page, "focus-area-why")
    assert page.context.cookies() and all(
        cookie["name"] == "csrftoken" for cookie in page.context.cookies()
    )
