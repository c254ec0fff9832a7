import pytest

from tests.browser.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_superuser_logs_in_to_the_admin_and_sees_the_promises(page, django_user_model):
    from followup.services import load_timra
    from promises.data import timra_2021_2022

    load_timra(timra_2021_2022)
    django_user_model.objects.create_superuser("admin", "admin@example.invalid", "hemligt-123")

    page.goto("/admin/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "hemligt-123")
    page.click("input[type=submit]")
    page.goto("/admin/promises/promise/")

    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 6
    assert "Trafikkontroller vid riskplatser" in page.inner_text("#result_list")
    save_screenshot(page, "admin-promises")
