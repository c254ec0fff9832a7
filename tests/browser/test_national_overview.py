"""The national overview at / in a real Chromium: a list on a 360 px phone and at
1280 px, no sideways scrolling, axe-core clean, and the county filter and the name
search working as a plain form (no JavaScript needed)."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import check_accessibility, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCROLL_WIDTH = "document.documentElement.scrollWidth"


@pytest.fixture
def portal():
    """Sweden's 290 municipalities, Timrå's demo scene and five demo municipalities."""
    from demo.scene import build_scene

    call_command("load_municipalities", verbosity=0)
    build_scene(scale=5)


def row_names(page) -> list[str]:
    return page.locator(".overview-row .overview-name > :first-child").all_inner_texts()


def test_the_overview_is_a_list_that_fits_and_passes_axe(page, width, portal):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Följ medborgarlöftena"
    assert page.locator("#results-heading").inner_text() == "295 kommuner"
    assert page.locator(".overview-row").count() == 50  # a page of 50 at a time
    assert page.locator("table").count() == 0  # a list at every width, never a wide table
    assert page.evaluate(SCROLL_WIDTH) <= width
    ale = page.locator(".overview-row", has_text="Ale").first
    assert "Inga medborgarlöften i portalen." in ale.inner_text()
    assert ale.get_by_role("link", name="Medborgarlöften på polisen.se").count() == 1
    check_accessibility(page)
    save_screenshot(page, "national-overview")

    page.get_by_label("Sortera efter").select_option(label="Framsteg (högst först)")
    page.get_by_role("button", name="Visa kommuner").click()
    page.wait_for_url("**sortera=framsteg*")
    timra = page.locator(".overview-row", has=page.get_by_role("link", name="Timrå"))
    assert "6 löften, 2021–2022" in timra.inner_text()
    if width == 360:
        # Stacked: the progress sits below the name, not beside it.
        name_box = timra.locator(".overview-name").bounding_box()
        progress_box = timra.locator(".overview-progress").bounding_box()
        assert progress_box["y"] >= name_box["y"] + name_box["height"] - 1
    assert page.evaluate(SCROLL_WIDTH) <= width
    check_accessibility(page)
    save_screenshot(page, "national-overview-by-progress")

    page.get_by_role("link", name="Nästa sida").click()
    page.wait_for_url("**sida=2*")
    assert "sortera=framsteg" in page.url
    assert "Sida 2 av 6" in page.locator(".overview-pages").inner_text()
    assert page.locator(".overview-row").count() == 50


def test_filter_by_county_and_search_by_name(page, width, portal):
    page.goto("/")
    page.get_by_label("Län").select_option(label="Västernorrlands län")
    page.get_by_role("button", name="Visa kommuner").click()
    page.wait_for_url("**/?*lan=22*")
    names = row_names(page)
    assert len(names) == 7 and "Timrå" in names and "Sundsvall" in names
    assert "Ale" not in names
    assert page.evaluate(SCROLL_WIDTH) <= width

    page.get_by_label("Kommunens namn").fill("timr")
    page.get_by_label("Sortera efter").select_option(label="Framsteg (högst först)")
    page.get_by_role("button", name="Visa kommuner").click()
    page.wait_for_url("**q=timr*")
    assert row_names(page) == ["Timrå"]
    check_accessibility(page)

    page.goto("/?lan=99")
    assert "finns inte bland alternativen" in page.locator("#id_lan-error").inner_text()
    check_accessibility(page)
    save_screenshot(page, "national-overview-invalid-county")
