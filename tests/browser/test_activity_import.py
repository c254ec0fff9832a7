"""Importing an activity plan in the admin at 1280 px, as the council's administrator does.

Files as Swedish Excel writes them: a semicolon CSV in UTF-8 with BOM, an older
Windows-1252 CSV, and the largest file allowed (2,000 rows). Each preview is
one screen of summary, bounded whatever the file, in Swedish, and passes axe.
"""

import pytest

from tests.activities.plan_files import csv_bytes, many_rows
from tests.browser.conftest import check_accessibility, save_screenshot
from tests.conftest import STAFF_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    [
        "trafikkontroller",
        "Hastighetskontroller vid skolorna",
        "Kontroller vid skolstart.",
        "polisen",
        "",
        "2025-08-15",
        "2025-12-20",
        "Skolorna",
        "2",
    ],
    [
        "Trygghet i centrala Timrå",
        "Trygghetsvandring på Köpmangatan",
        "",
        "timra-kommun",
        "polisen",
        "2025-04-01",
        "2025-10-31",
        "Centrala Timrå",
        "",
    ],
]


@pytest.fixture
def period(police_organisation, municipality_organisation, timra):
    from tests.promises.factories import PeriodFactory, PromiseFactory

    period = PeriodFactory(municipality=timra, is_published=True)  # 2025–2026: in force
    PromiseFactory(period=period, title="Trafikkontroller vid riskplatser", slug="trafikkontroller")
    PromiseFactory(period=period, title="Trygghet i centrala Timrå", slug="centrum")
    return period


def log_in(page, username: str) -> None:
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def choose_and_preview(page, path) -> None:
    page.goto("/admin/activities/activity/")
    page.get_by_role("link", name="Importera").click()
    page.wait_for_url("**/admin/activities/activity/import/")
    page.get_by_label("Fil med aktivitetsplanen").set_input_files(str(path))
    page.get_by_role("button", name="Granska filen").click()
    page.wait_for_selector("#plan-summary")


def summary(page) -> str:
    return " ".join(page.locator("#plan-summary").inner_text().split())


def assert_fits_1280(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.parametrize("width", [1280])
def test_an_administrator_imports_swedish_excel_files_and_the_largest_allowed(
    page, period, national_administrator, tmp_path
):
    from activities.models import Activity

    log_in(page, national_administrator.username)

    # 1. A semicolon-separated CSV in UTF-8 with BOM (Excel's "CSV UTF-8").
    semicolon = tmp_path / "plan-semikolon.csv"
    semicolon.write_bytes(csv_bytes(ROWS, delimiter=";", encoding="utf-8-sig"))
    page.goto("/admin/activities/activity/import/")
    assert page.get_by_label("Löftesperiod").input_value() == str(period.pk)  # the current one
    check_accessibility(page)
    choose_and_preview(page, semicolon)
    assert summary(page) == "Rader: 2 Nya: 2 Ändrade: 0 Oförändrade: 0 Med fel: 0"
    assert page.locator("#plan-new tbody tr").count() == 2
    assert "Trygghetsvandring på Köpmangatan" in page.inner_text("#plan-new")
    assert_fits_1280(page)
    check_accessibility(page)
    save_screenshot(page, "admin-import-preview")
    assert not Activity.objects.exists()
    page.get_by_role("button", name="Importera 2 aktiviteter").click()
    page.wait_for_url("**/admin/activities/activity/?promise__period__id__exact=*")
    assert "2 nya aktiviteter och 0 ändrade importerades" in page.inner_text(".messagelist")
    assert Activity.objects.count() == 2

    # 2. An older Windows-1252 CSV: one activity changed, one new, å ä ö intact.
    windows = tmp_path / "plan-windows-1252.csv"
    changed = [list(ROWS[0]), ["centrum", "Föräldravandringar på fredagar", "", "polisen"]]
    changed[0][8] = "4"
    changed[1] += ["", "2025-05-01", "2025-09-30", "Åkroken", "1"]
    windows.write_bytes(csv_bytes(changed, delimiter=";", encoding="cp1252"))
    choose_and_preview(page, windows)
    assert summary(page) == "Rader: 2 Nya: 1 Ändrade: 1 Oförändrade: 0 Med fel: 0"
    assert "Föräldravandringar på fredagar" in page.inner_text("#plan-new")
    page.get_by_role("button", name="Importera 2 aktiviteter").click()
    page.wait_for_url("**/admin/activities/activity/?*")
    assert Activity.objects.get(title="Hastighetskontroller vid skolorna").weight == 4
    assert Activity.objects.get(title="Föräldravandringar på fredagar").place == "Åkroken"

    # 3. A file with errors: the row, the column's Swedish name, the period kept.
    broken = tmp_path / "plan-fel.csv"
    wrong = [list(ROWS[1])]
    wrong[0][6] = "1900-01-01"
    broken.write_bytes(csv_bytes(wrong, delimiter=";"))
    choose_and_preview(page, broken)
    error = page.locator("#plan-errors tbody tr").first.inner_text()
    assert error.startswith("2\tplanerat slut\tDatumet måste ligga inom löftesperioden")
    assert page.get_by_role("button", name="Importera", exact=False).count() == 0
    assert page.get_by_label("Löftesperiod").input_value() == str(period.pk)
    check_accessibility(page)
    save_screenshot(page, "admin-import-errors")

    # 4. The largest file allowed: 2,000 rows, a page of one screen or two.
    largest = tmp_path / "plan-2000.csv"
    largest.write_bytes(csv_bytes(many_rows(2000), delimiter=";", encoding="cp1252"))
    choose_and_preview(page, largest)
    assert summary(page) == "Rader: 2000 Nya: 2000 Ändrade: 0 Oförändrade: 0 Med fel: 0"
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    assert_fits_1280(page)
    save_screenshot(page, "admin-import-2000")
    page.get_by_role("button", name="Importera 2000 aktiviteter").click()
    page.wait_for_url("**/admin/activities/activity/?*")
    assert Activity.objects.count() == 2003
