"""A national administrator brings in a new municipality from its published text, in Chromium."""

import pytest

from tests.browser.conftest import check_accessibility, save_screenshot
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED_TEXT = """Medborgarlöfte för Ånge 2025–2026

Medborgarlöftet 2025-2026 syftar till att fler ska känna sig trygga i Ånge.

Trygg trafik
Polisen lovar att genomföra minst 20 trafikkontroller per år vid skolorna.

Trygga kvällar
Kommunen ska hålla fritidsgården öppen fredagskvällar varje vecka.
Kommunen och polisen ska gå trygghetsvandringar i centrum. (Polisen och kommunen)

Löftena följs upp var fjärde månad i brottsförebyggande rådet.
Tack till alla som svarade på enkäten.
"""


@pytest.mark.parametrize("width", [1280])
def test_a_national_administrator_brings_in_a_municipality_and_publishes_it_after_review(
    page, national_administrator
):
    from activities.models import Indicator
    from promises.models import Municipality, Period

    page.goto("/admin/")
    page.fill("#id_username", national_administrator.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.goto("/admin/promises/municipality/")
    page.get_by_role("link", name="Anslut en kommun").click()

    page.select_option("#id_code", "2260")
    page.get_by_label("Rådets namn").fill("Brottsförebyggande rådet i Ånge")
    page.get_by_label("Rådet sammanträder").select_option("quarter")
    page.get_by_label("Lokalpolisområde").fill("Lokalpolisområde Sundsvall")
    page.get_by_label("Kommunens förvaltningar").fill("Socialtjänsten")
    page.get_by_label("Administratörens användarnamn").fill("ange-admin")
    page.get_by_role("button", name="Anslut kommunen").click()

    page.wait_for_url("**/admin/anslut-kommun/importera/?municipality=*")
    assert "Ånge är ansluten" in page.locator(".messagelist").inner_text()
    page.get_by_label("Texten").fill(PUBLISHED_TEXT)
    page.get_by_role("button", name="Visa vad som hittades").click()

    unplaced = page.locator("section[aria-labelledby=unplaced-heading]")
    assert unplaced.get_by_role("heading", name="Ej placerad text").is_visible()
    assert unplaced.locator("li").all_inner_texts() == ["Tack till alla som svarade på enkäten."]
    assert page.locator("#id_period-follow_up_cadence").input_value() == "tertial"
    assert page.locator("#id_promise-1-parties").input_value() == "kommunen"
    assert page.locator("#id_target-0-quantity").input_value() == "20"
    save_screenshot(page, "onboarding-preview")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    check_accessibility(page)
    page.locator("#id_promise-0-title").fill("Trafikkontroller vid skolorna")
    page.get_by_role("button", name="Spara som utkast").click()

    page.wait_for_url("**/admin/promises/period/*/change/")
    period = Period.objects.get(municipality__code="2260")
    assert period.is_published is False
    assert list(period.promises.order_by("order").values_list("title", flat=True))[0] == (
        "Trafikkontroller vid skolorna"
    )
    assert list(
        Indicator.objects.filter(promise__period=period)
        .order_by("promise__order")
        .values_list("target", "target_cadence")
    ) == [(20, "year"), (1, "week")]
    ange = Municipality.objects.get(code="2260")
    assert page.context.request.get(ange.get_absolute_url()).status == 404  # a draft only

    page.get_by_label("Publicerad").check()
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**/admin/promises/period/")

    period.refresh_from_db()
    assert period.is_published is True
    page.goto(ange.get_absolute_url())
    assert page.get_by_text("Trafikkontroller vid skolorna").first.is_visible()
    assert page.get_by_text("Trygga kvällar").first.is_visible()


# Long words and long lists in every part of the preview: a promise with many parties,
# a target with a long unit, an unplaced sentence with an address that cannot wrap.
LONG_ADDRESS = (
    "https://www.example.se/medborgarloften/timra/2025-2026/"
    "bilaga-med-alla-dialoger-och-enkatsvar-fran-boende-i-kommunen.pdf"
)
WIDE_TEXT = "\n".join(
    [
        "Medborgarlöfte för Timrå 2025–2026",
        "",
        "Trygghet i bostadsområdena runt "
        "Vivstavarvs-och-Sörberge-Fastighetsägarföreningens-områden",
        "Polisen, kommunen, räddningstjänsten, kustbevakningen, fastighetsägarna och "
        "fastighetsägarföreningen lovar att gå trygghetsvandringar i alla bostadsområden. "
        "(Polisen, kommunen, räddningstjänsten, kustbevakningen och fastighetsägarna)",
        "Polisen ska genomföra minst 20 "
        "gemensamma-trygghetsvandringar-med-fastighetsägarföreningen årligen.",
        "Kommunen ska arbeta för att minst 70 % av de boende känner sig trygga varje år.",
        "",
        "Löftena följs upp vid samtliga möten i rådet för trygghet och hälsa.",
        f"Läs mer på {LONG_ADDRESS} om dialogerna.",
    ]
)


@pytest.mark.parametrize("width", [1280])
def test_the_import_preview_fits_1280_px_with_long_words_in_every_table(
    page, municipal_administrator
):
    page.goto("/admin/")
    page.fill("#id_username", municipal_administrator.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.goto("/admin/anslut-kommun/importera/")
    page.get_by_label("Kommun").select_option(label="Timrå")
    page.get_by_label("Texten").fill(WIDE_TEXT)
    page.get_by_role("button", name="Visa vad som hittades").click()

    assert "example.se" in page.locator(".unplaced").inner_text()
    assert page.locator("#id_promise-0-parties").input_value().count(",") >= 4
    assert page.locator("#id_target-1-aggregation").input_value() == "latest"
    save_screenshot(page, "onboarding-preview-wide")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    tables = page.locator("table.onboarding-preview")
    assert tables.count() == 3
    for index in range(3):  # no table is wider than the content column
        assert tables.nth(index).evaluate(
            "t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right"
        )
    check_accessibility(page)
