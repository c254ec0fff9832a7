"""Optional TOTP two-factor login for staff, required for administrators when
settings.REQUIRE_2FA is on (production's default), whichever login page was used.

The attacks on it (a password-only session, sessions from before enrolment),
backup codes and the administrator's reset are tested in tests/twofactor/."""

import time

import pytest
from django.contrib.auth.models import Group
from django.shortcuts import resolve_url
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("polis", password="x", is_staff=True)


@pytest.fixture
def enrolled(staff):
    return TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)


def test_setup_shows_a_key_and_turns_two_factor_on_with_a_correct_code(client, staff):
    client.force_login(staff)
    page = client.get("/konto/tvafaktor/")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    assert page.status_code == 200
    assert page.context["config_url"].startswith("otpauth://totp/")
    assert "Medborgarl" in page.context["config_url"]
    assert page.context["secret"].replace(" ", "").isalnum()

    response = client.post("/konto/tvafaktor/", {"token": code(device), "next": "/admin/"})

    assert response.status_code == 200, "the backup codes are shown, once"
    assert len(response.context["codes"]) == 10
    assert 'href="/admin/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200, "this session is verified"


def test_a_wrong_code_is_refused_with_a_swedish_message_and_nothing_is_turned_on(client, staff):
    client.force_login(staff)
    client.get("/konto/tvafaktor/")
    device = TOTPDevice.objects.get(user=staff)
    wrong = f"{(int(code(device)) + 500_000) % 1_000_000:06d}"

    response = client.post("/konto/tvafaktor/", {"token": wrong})
    not_digits = client.post("/konto/tvafaktor/", {"token": "abc"})

    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    assert "Koden är sex siffror." in not_digits.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_after_a_password_login_an_enrolled_user_must_enter_a_code(client, staff, enrolled):
    client.force_login(staff)

    blocked = client.get("/admin/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/konto/tvafaktor/verifiera/?next=%2Fadmin%2F"

    response = client.post(
        "/konto/tvafaktor/verifiera/", {"token": code(enrolled), "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_used_code_cannot_be_replayed(client, staff, enrolled):
    token = code(enrolled)
    client.force_login(staff)
    client.post("/konto/tvafaktor/verifiera/", {"token": token})
    client.logout()
    client.force_login(staff)

    response = client.post("/konto/tvafaktor/verifiera/", {"token": token})

    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()


def test_repeated_wrong_codes_are_throttled(client, staff, enrolled):
    client.force_login(staff)
    for _ in range(3):
        client.post("/konto/tvafaktor/verifiera/", {"token": "000000"})

    response = client.post("/konto/tvafaktor/verifiera/", {"token": code(enrolled)})

    assert "För många felaktiga koder" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_next_address_must_stay_on_the_site(client, staff, enrolled):
    client.force_login(staff)
    response = client.post(
        "/konto/tvafaktor/verifiera/", {"token": code(enrolled), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_logout_and_health_checks_stay_reachable_before_the_code(client, staff, enrolled):
    client.force_login(staff)
    assert client.get("/healthz").status_code == 200

    response = client.post("/admin/logout/")

    assert "tvafaktor" not in response.get("Location", "")
    assert "_auth_user_id" not in client.session


def test_without_the_requirement_two_factor_is_optional(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_when_required_a_superuser_without_a_device_must_set_one_up(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvafaktor/?next=")
    assert client.get("/konto/tvafaktor/").status_code == 200


@override_settings(REQUIRE_2FA=True, TWO_FACTOR_REQUIRED_GROUPS=["Administratör"])
def test_when_required_it_applies_to_administrators_only(client, staff, django_user_model):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200, "a reporter may choose"

    administrator = django_user_model.objects.create_user("admin2", password="x", is_staff=True)
    administrator.groups.add(Group.objects.get_or_create(name="Administratör")[0])
    client.force_login(administrator)
    assert client.get("/admin/")["Location"].startswith("/konto/tvafaktor/")


@override_settings(REQUIRE_2FA=True)
def test_turning_it_off_sends_a_required_administrator_straight_back_to_setup(client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="authenticator", confirmed=True)
    client.force_login(admin_user)
    client.post("/konto/tvafaktor/verifiera/", {"token": code(device)})

    client.post("/konto/tvafaktor/stang-av/", {"remove-current_code": code(device, 1)})

    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert client.get("/admin/")["Location"].startswith("/konto/tvafaktor/")


def test_a_new_phone_replaces_the_old_device(client, staff, enrolled):
    client.force_login(staff)
    client.post("/konto/tvafaktor/verifiera/", {"token": code(enrolled)})
    client.get("/konto/tvafaktor/byt-telefon/")
    new = TOTPDevice.objects.get(user=staff, confirmed=False)

    client.post(
        "/konto/tvafaktor/byt-telefon/",
        {"current_code": code(enrolled, 1), "token": code(new)},
    )

    assert list(TOTPDevice.objects.filter(user=staff, confirmed=True)) == [new]
    assert client.get("/admin/").status_code == 200, "verified with the new phone"


def test_the_setup_page_needs_a_login(client, settings):
    response = client.get("/konto/tvafaktor/")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_admin_lists_devices_but_never_shows_their_keys_nor_removes_them(
    client, admin_user, staff, enrolled
):
    client.force_login(admin_user)
    listing = client.get("/admin/twofactor/authenticator/")
    change = client.get(f"/admin/twofactor/authenticator/{enrolled.pk}/change/")

    assert listing.status_code == 200 and "polis" in listing.content.decode()
    assert change.status_code == 200
    assert enrolled.key not in change.content.decode()
    assert client.get("/admin/twofactor/authenticator/add/").status_code == 403

    # Removing is the logged reset on the user list (tests/twofactor/test_reset.py).
    delete = client.post(f"/admin/twofactor/authenticator/{enrolled.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert TOTPDevice.objects.filter(pk=enrolled.pk).exists()
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_two_factor_costs_no_query_per_request_once_logged_in(
    client, staff, django_assert_num_queries
):
    client.force_login(staff)
    with django_assert_num_queries(2):  # the session and the user, as without two-factor
        client.get("/healthz")


def test_a_superuser_session_from_before_the_requirement_must_set_up_too(
    client, admin_user, settings
):
    client.force_login(admin_user)
    settings.REQUIRE_2FA = True
    assert client.get("/admin/")["Location"].startswith("/konto/tvafaktor/")
