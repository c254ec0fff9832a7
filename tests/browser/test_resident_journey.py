"""A resident's journey through the public site in a real browser, at 360 and 1280 px.

Every page type is checked with axe-core (WCAG 2.1 A and AA) and saved as a
screenshot under test-artifacts/screenshots/.
"""

import datetime

import pytest
from django.utils import timezone

from tests.browser.conftest import check_accessibility, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADING_LEVELS = "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"


def check_page(page, name: str) -> None:
    """axe-core, headings in order, no sideways scrolling; then a screenshot."""
    check_accessibility(page)
    levels = page.evaluate(HEADING_LEVELS)
    assert levels[0] == 1 and levels.count(1) == 1, (page.url, levels)
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, (page.url, levels)
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url
    save_screenshot(page, name)


PROMISE = "Medvetenhet om våld i nära relationer och Huskurage"
FOCUS_AREA = "Ökat antal anmälningar kopplat till våld i nära relation"


@pytest.fixture
def timra_loaded(timra_loaded):
    from followup.models import Council, Meeting
    from tests.followup.factories import MeetingFactory
    from tests.promises.factories import PeriodFactory, PromiseFactory

    period = timra_loaded
    MeetingFactory(
        council=Council.objects.get(municipality=period.municipality),
        period=period,
        date=timezone.localdate() + datetime.timedelta(days=30),
        start_time=datetime.time(13, 0),
        place="Kommunhuset, sal Indalsälven",
        is_published=False,
    )
    older = PeriodFactory(
        municipality=period.municipality,
        name="2019–2020",
        slug="2019-2020",
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
    )
    PromiseFactory(period=older, title="Fler trygghetsvandringar")
    return Meeting.objects.published().order_by("-date").first()


def test_resident_follows_a_promise_from_the_start_page_to_the_meeting(page, timra_loaded):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Medborgarlöften i Timrå")
    assert "Kommunhuset, sal Indalsälven" in page.inner_text("main")
    check_page(page, "start")

    page.get_by_role("link", name=FOCUS_AREA).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == FOCUS_AREA
    check_page(page, "focus-area")

    page.get_by_role("link", name=PROMISE).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == PROMISE
    assert page.locator("svg.indicator-chart").count() >= 1
    assert page.locator("table.indicator-table").count() >= 1
    activity = page.locator("article.activity").nth(1)
    activity.locator("summary").click()
    timeline = activity.locator(".timeline-list li")
    assert timeline.first.is_visible()
    assert "Ett bolag till har anslutit sig." in timeline.first.inner_text()
    check_page(page, "promise")

    meeting_date = timra_loaded.date
    page.get_by_role("heading", name="Rådets uppföljning", exact=True).scroll_into_view_if_needed()
    page.locator("#followups-heading ~ article a").first.click()
    assert page.url.endswith(f"/timra/sammantraden/{timra_loaded.pk}/")
    assert str(meeting_date.year) in page.get_by_role("heading", level=1).inner_text()
    assert PROMISE in page.inner_text("main")
    check_page(page, "meeting")


def test_every_other_public_page_type_is_accessible(page, timra_loaded):
    pages = {
        "promise-list": "/timra/2021-2022/loften/",
        "promise-list-filtered": "/timra/2021-2022/loften/?status=in_progress&aktor=polisen",
        "promise-list-bad-filter": "/timra/2021-2022/loften/?status=bogus",
        "periods": "/timra/perioder/",
        "earlier-period": "/timra/2019-2020/",
        "meetings": "/timra/sammantraden/",
        "search": "/sok/?q=kontroller",
        "search-empty": "/sok/",
        "search-bad": "/sok/?q=%21",
        "about": "/om-medborgarloften/",
        "accessibility": "/tillganglighet/",
        "english-start": "/en/timra/",
    }
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        check_page(page, name)


def test_not_found_page_is_accessible_and_helpful(page, timra_loaded):
    response = page.goto("/timra/2021-2022/loften/finns-inte/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    check_page(page, "404")


def test_language_link_switches_to_the_same_page_in_english_and_back(page, timra_loaded):
    page.goto("/timra/perioder/")
    page.locator("header").get_by_role("link", name="English").click()
    assert page.url.endswith("/en/timra/perioder/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("header").get_by_role("link", name="Svenska").click()
    assert page.url.endswith("/timra/perioder/")
    assert "/en/" not in page.url


def test_site_works_without_javascript_and_requests_nothing_from_elsewhere(
    browser, live_server, timra_loaded
):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto("/timra/2021-2022/loften/vald-i-nara-relationer-och-huskurage/")
    page.locator("article.activity").nth(1).locator("summary").click()
    assert page.locator("article.activity").nth(1).locator(".timeline-list").is_visible()
    page.goto("/sok/?q=Huskurage")
    assert "Huskurage" in page.inner_text("main")
    context.close()
    assert outside == []


def test_the_keyboard_reaches_the_skip_link_first_and_it_moves_to_the_content(page, timra_loaded):
    page.goto("/timra/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
