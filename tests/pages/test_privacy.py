"""The privacy page ("Personuppgifter och kakor") covers both public forms."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached_pages():
    cache.clear()  # the page cache would otherwise keep an earlier test's setting
    yield
    cache.clear()


def privacy_text(client) -> str:
    response = client.get(reverse("pages:privacy"))
    assert response.status_code == 200
    assert not response.cookies
    return response.content.decode()


def test_the_privacy_page_says_what_the_question_form_stores_why_and_for_how_long(client):
    html = privacy_text(client)
    assert 'id="fraga-radet"' in html
    assert "När du frågar rådet" in html
    assert "Namnet du vill visa" in html
    assert "E-postadressen publiceras aldrig" in html
    assert "E-postadressen raderas 30 dagar efter att rådets svar har skickats" in html
    assert "för att följa ett löfte och för att fråga rådet" in html  # the CSRF cookie


def test_the_retention_time_shown_is_the_setting(client, settings):
    settings.QUESTION_EMAIL_RETENTION_DAYS = 45
    assert "E-postadressen raderas 45 dagar efter" in privacy_text(client)
    cache.clear()
    settings.QUESTION_EMAIL_RETENTION_DAYS = 1
    assert "E-postadressen raderas 1 dag efter" in privacy_text(client)


def test_the_upper_limit_for_an_unanswered_question_is_the_setting(client, settings):
    settings.QUESTION_EMAIL_MAX_DAYS = 200
    assert "Senast 200 dagar efter att du skickade frågan raderas adressen" in privacy_text(client)


def test_the_privacy_page_is_in_english_in_the_english_interface(client, settings):
    settings.QUESTION_EMAIL_RETENTION_DAYS = 45
    response = client.get("/en" + reverse("pages:privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "When you ask the council" in html
    assert "45 days after the council's answer was sent" in html
    assert "At the latest 365 days after you sent the question" in html
