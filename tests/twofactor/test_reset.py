"""An administrator's reset of another user's two-factor login, for a lost phone.

Offered as an action on the user list; needs the administrator's own session
to have passed a code, asks for a reason, removes the user's devices, logs the
user out everywhere and writes the reason to the user's history.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.twofactor.conftest import enrol, live_session_count, password_login, verified_login
from twofactor import services

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"
REASON = "Tappade telefonen; identiteten kontrollerad per telefon 1 dec."


@pytest.fixture
def verified_administrator(administrator):
    device, _codes = enrol(administrator)
    return administrator, verified_login(administrator, device)


def reset_post(client: Client, user, **extra) -> object:
    return client.post(
        USERS,
        {"action": "two_factor_reset", "_selected_action": [user.pk], **extra},
    )


def test_a_verified_administrator_resets_a_users_two_factor(
    verified_administrator, enrolled_reporter
):
    admin, client = verified_administrator
    user, _device, _codes = enrolled_reporter
    users_browser = password_login(user)
    assert "two_factor_reset" in client.get(USERS).content.decode(), "the action is offered"

    asked = reset_post(client, user)
    assert asked.status_code == 200, "first the confirmation with the reason"
    assert TOTPDevice.objects.filter(user=user).exists()

    response = reset_post(client, user, confirm="yes", reason=REASON)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert live_session_count(user) == 0
    assert users_browser.get("/personal/")["Location"].startswith("/konto/logga-in/")
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.user == admin and entry.action_flag == CHANGE
    assert REASON in entry.get_change_message()
    history = client.get(f"{USERS}{user.pk}/history/")
    assert REASON in history.content.decode(), "the reason shows in the user's Historik"


def test_after_a_reset_the_user_logs_in_with_the_password_and_sets_up_anew(
    verified_administrator, enrolled_reporter
):
    _admin, client = verified_administrator
    user, _device, _codes = enrolled_reporter
    reset_post(client, user, confirm="yes", reason=REASON)

    browser = password_login(user)

    assert browser.get("/personal/").status_code == 200
    assert browser.get("/konto/tvafaktor/").context["secret"]


def test_the_reset_needs_a_reason(verified_administrator, enrolled_reporter):
    _admin, client = verified_administrator
    user, device, _codes = enrolled_reporter

    response = reset_post(client, user, confirm="yes", reason="   ")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not LogEntry.objects.exists()


def test_an_administrator_whose_session_passed_no_code_cannot_reset(
    administrator, enrolled_reporter
):
    user, device, _codes = enrolled_reporter
    client = password_login(administrator)  # no device of their own: not sent to verify

    changelist = client.get(USERS)
    response = reset_post(client, user, confirm="yes", reason=REASON)

    assert "two_factor_reset" not in changelist.content.decode()
    assert response.status_code in (200, 302)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(administrator, user, reason=REASON)
    assert not LogEntry.objects.exists()


def test_a_secretary_cannot_reset(secretary, enrolled_reporter):
    user, device, _codes = enrolled_reporter
    own, _codes = enrol(secretary)
    client = verified_login(secretary, own)

    response = reset_post(client, user, confirm="yes", reason=REASON)

    assert response.status_code in (302, 403)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    secretary.otp_device = own
    secretary.is_verified = lambda: True
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(secretary, user, reason=REASON)


def test_an_administrator_cannot_reset_their_own_two_factor(verified_administrator):
    admin, client = verified_administrator

    response = reset_post(client, admin, confirm="yes", reason=REASON)

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert not LogEntry.objects.exists()


def test_only_a_superuser_resets_a_superuser(verified_administrator, enrolled_superuser):
    _admin, client = verified_administrator
    superuser, device, _codes = enrolled_superuser

    reset_post(client, superuser, confirm="yes", reason=REASON)

    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_service_reset_refuses_an_empty_reason(verified_administrator, enrolled_reporter):
    admin, _client = verified_administrator
    user, _device, _codes = enrolled_reporter
    admin.is_verified = lambda: True

    with pytest.raises(ValidationError) as error:
        services.two_factor_reset(admin, user, reason="")

    assert error.value.message_dict["reason"] == ["Skriv varför tvåfaktorsinloggningen återställs."]
