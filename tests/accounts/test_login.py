"""Login, logout, password reset by e-mail, and the failed-login lockout."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from tests.conftest import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/konto/logga-in/"
ADMIN_LOGIN_URL = "/admin/login/"


def test_a_reporter_logs_in_and_lands_on_my_activities(client, police_reporter):
    response = client.post(
        LOGIN_URL, {"username": police_reporter.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/personal/"


def test_the_login_page_is_in_swedish_and_explains_a_wrong_password(client, police_reporter):
    response = client.post(LOGIN_URL, {"username": police_reporter.username, "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.text
    assert '<html lang="sv">' in response.text


def test_logout_is_a_post_and_ends_the_session(client, police_reporter):
    client.force_login(police_reporter)
    assert client.post("/konto/logga-ut/").status_code == 302
    assert client.get("/personal/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, police_reporter):
    response = client.post("/konto/losenord/aterstall/", {"email": police_reporter.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Följ medborgarlöftena"
    link = re.search(r"http://testserver(/konto/losenord/aterstall/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Ett-nytt-lösenord-2026", "new_password2": "Ett-nytt-lösenord-2026"},
    )
    assert response.status_code == 302
    police_reporter.refresh_from_db()
    assert police_reporter.check_password("Ett-nytt-lösenord-2026")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/konto/losenord/aterstall/", {"email": "okand@example.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("url", [LOGIN_URL, ADMIN_LOGIN_URL], ids=["staff", "admin"])
def test_five_failed_logins_lock_the_username_from_that_address(client, secretary, url):
    for _attempt in range(4):
        response = client.post(url, {"username": secretary.username, "password": "fel"})
        assert response.status_code == 200

    locked = client.post(url, {"username": secretary.username, "password": "fel"})
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.text

    # Even the right password is refused while locked out.
    right = client.post(url, {"username": secretary.username, "password": STAFF_PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_the_lockout_is_per_username_and_address(client, secretary, police_reporter):
    for _attempt in range(5):
        client.post(LOGIN_URL, {"username": secretary.username, "password": "fel"})
    response = client.post(
        LOGIN_URL, {"username": police_reporter.username, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_successful_login_resets_the_failure_count(client, police_reporter):
    for _attempt in range(4):
        client.post(LOGIN_URL, {"username": police_reporter.username, "password": "fel"})
    ok = client.post(LOGIN_URL, {"username": police_reporter.username, "password": STAFF_PASSWORD})
    assert ok.status_code == 302
    client.post("/konto/logga-ut/")
    for _attempt in range(4):
        response = client.post(LOGIN_URL, {"username": police_reporter.username, "password": "x"})
    assert response.status_code == 200


@override_settings(AXES_ENABLED=True, PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_is_per_forwarded_client_address(client, police_reporter):
    # A client-written address further left is ignored: it cannot dodge the lockout.
    attacker = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.5"}
    for _attempt in range(5):
        last = client.post(
            LOGIN_URL, {"username": police_reporter.username, "password": "fel"}, **attacker
        )
    assert last.status_code == 429
    response = client.post(
        LOGIN_URL,
        {"username": police_reporter.username, "password": STAFF_PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


@override_settings(AXES_ENABLED=True, PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_address_does_not_lift_the_lockout(client, police_reporter):
    for number in range(6):
        last = client.post(
            LOGIN_URL,
            {"username": police_reporter.username, "password": "fel"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.5",
        )
    assert last.status_code == 429


@override_settings(AXES_ENABLED=True)
@pytest.mark.parametrize("url", [LOGIN_URL, ADMIN_LOGIN_URL], ids=["staff", "admin"])
def test_a_username_longer_than_any_username_is_an_error_beside_the_field(client, url):
    # It used to reach the lockout log, whose 255-character column made it a 500
    # on PostgreSQL.
    response = client.post(url, {"username": "x" * 300, "password": "fel"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Säkerställ att detta värde har som mest 150 tecken (den har 300)."
    ]


@override_settings(AXES_ENABLED=True, PROXY_COUNT=1)
@pytest.mark.parametrize("forwarded", ["not-an-address", "999.1.1.1", "fe80::1%eth0", "a, b"])
def test_a_forwarded_address_that_is_no_address_falls_back_to_the_peer(
    client, police_reporter, forwarded
):
    from axes.models import AccessAttempt

    response = client.post(
        LOGIN_URL,
        {"username": police_reporter.username, "password": "fel"},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
