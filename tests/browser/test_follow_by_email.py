"""Following a promise by e-mail in a real browser, at 360 and 1280 px, checked with axe-core."""

import pytest

from subscriptions.models import Subscription
from subscriptions.services import confirmation_token
from tests.browser.test_resident_journey import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_subscribes_confirms_and_unsubscribes(page, timra_plan, monkeypatch):
    # The browser fills the form at once; people take longer than the minimum.
    monkeypatch.setattr("accounts.form_guard.MIN_FILL_SECONDS", 0)
    promise = timra_plan["promise"]

    page.goto(promise.get_absolute_url())
    page.get_by_role("link", name="Följ löftet via e-post").click()
    page.wait_for_url("**/folj/")
    check_page(page, "follow-form")

    page.get_by_label("Din e-postadress").fill("inte en adress")
    page.get_by_role("button", name="Skicka bekräftelse").click()
    assert page.get_by_text("Skriv en e-postadress som namn@exempel.se.").is_visible()
    check_page(page, "follow-form-error")

    page.get_by_label("Din e-postadress").fill("anna@exempel.se")
    page.get_by_role("button", name="Skicka bekräftelse").click()
    page.wait_for_url("**/folj/skickat/")
    check_page(page, "follow-requested")

    subscription = Subscription.objects.get(subscriber__email="anna@exempel.se")
    page.goto(f"/folj/bekrafta/{confirmation_token(subscription)}/")
    check_page(page, "follow-confirm")
    page.get_by_role("button", name="Ja, jag vill följa löftet").click()
    assert page.get_by_role("heading", name="Du följer nu löftet").is_visible()
    check_page(page, "follow-confirmed")

    page.goto(f"/folj/avsluta/{subscription.subscriber.token}/")
    check_page(page, "unsubscribe")
    page.get_by_role("button", name="Sluta prenumerera och radera min adress").click()
    assert page.get_by_role("heading", name="Du prenumererar inte längre").is_visible()
    check_page(page, "unsubscribed")
    assert not Subscription.objects.exists()

    page.get_by_role("link", name="Personuppgifter och kakor").first.click()
    check_page(page, "privacy")
