"""A national administrator finds and erases one address's data at 1280 px, axe-clean."""

import pytest

from tests.browser.conftest import check_accessibility, save_screenshot
from tests.conftest import STAFF_PASSWORD
from tests.participation.factories import QuestionFactory
from tests.promises.factories import PromiseFactory
from tests.subscriptions.factories import SubscriptionFactory


@pytest.mark.parametrize("width", [1280])
def test_an_administrator_finds_and_erases_everything_for_an_address(
    page, national_administrator
):
    promise = PromiseFactory()
    SubscriptionFactory(subscriber__email="dagny@exempel.se", promise=promise)
    QuestionFactory(promise=promise, email="dagny@exempel.se")

    page.goto("/admin/")
    page.fill("#id_username", national_administrator.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto("/admin/subscriptions/subscriber/")
    page.get_by_role("link", name="Sök och radera en e-postadress").click()
    check_accessibility(page)
    page.get_by_label("E-postadress").fill("Dagny@exempel.se")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Radera allt för adressen").wait_for()
    assert "dagny" not in page.url.lower()  # searched by POST: never in a URL or a log
    check_accessibility(page)
    save_screenshot(page, "personal-data-for-an-address")
    page.get_by_role("button", name="Radera allt för adressen").click()
    page.locator(".messagelist").wait_for()
    assert "dagny@exempel.se" in page.inner_text(".messagelist")
    check_accessibility(page)
