import pytest

from tests.browser.conftest import check_accessibility, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_finds_downloads_feeds_and_licence_on_the_open_data_page(page, timra_loaded):
    page.goto("/oppna-data/")

    assert page.locator("h1").inner_text() == "Öppna data"
    assert page.get_by_role("link", name="Creative Commons Zero (CC0 1.0)").is_visible()
    calendar = page.get_by_role("link", name="Rådets sammanträden i din kalender (iCalendar)")
    assert calendar.get_attribute("href") == "/oppna-data/timra/sammantraden.ics"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(page)
    save_screenshot(page, "open-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Medborgarlöften med framsteg och status (CSV)").click()
    assert download.value.suggested_filename == "timra-2021-2022-loften.csv"


def test_developer_reads_the_api_documentation(page, timra_loaded):
    page.goto("/api/docs/")

    assert page.locator("h1").inner_text() == "API för öppna data"
    page.get_by_role("link", name="Medborgarlöften", exact=True).click()
    assert page.get_by_role("heading", name="GET /api/v1/promises/", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_accessibility(page)
    save_screenshot(page, "api-docs")
