"""The attacks the security review found, each refused.

With only a user's password, a session could remove the authenticator on the
two-factor pages, enrol a new one and reach /admin/ (superusers included); and
sessions opened before a user enrolled kept full access without a code. Each
test here failed on main before two-factor was made to hold.
"""

import pytest
from django.contrib.sessions.models import Session
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.twofactor.conftest import (
    enrol,
    password_login,
    totp_code,
    verified_login,
)
from twofactor import services

pytestmark = pytest.mark.django_db

VERIFY = "/konto/tvafaktor/verifiera/"


def assert_sent_to_verify(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(f"{VERIFY}?next=")


# --- A password-only session cannot remove, replace or skip the device ------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/konto/tvafaktor/stang-av/", {}),
        ("/konto/tvafaktor/stang-av/", {"remove-current_code": "123456"}),
        ("/konto/tvafaktor/stang-av/", {"token": "123456"}),
    ],
)
def test_a_password_only_session_cannot_remove_the_device(enrolled_reporter, path, data):
    user, device, codes = enrolled_reporter
    client = password_login(user)

    response = client.post(path, data)

    assert_sent_to_verify(response)
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=user).count() == len(codes)


@pytest.mark.parametrize(
    "path",
    [
        "/konto/tvafaktor/",
        "/konto/tvafaktor/byt-telefon/",
        "/konto/tvafaktor/reservkoder/",
        "/konto/tvafaktor/stang-av/",
    ],
)
def test_a_password_only_session_sees_no_two_factor_page_but_the_code_entry(
    enrolled_reporter, path
):
    user, device, _codes = enrolled_reporter
    client = password_login(user)

    assert_sent_to_verify(client.get(path))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists(), (
        "no new key was made for the session to see"
    )
    assert client.get(VERIFY).status_code == 200


def test_a_password_only_session_cannot_replace_the_device(enrolled_reporter):
    user, device, _codes = enrolled_reporter
    # A key the attacker's app holds, as if a setup page had been opened.
    attackers = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    client = password_login(user)

    for path in ("/konto/tvafaktor/", "/konto/tvafaktor/byt-telefon/"):
        response = client.post(path, {"token": totp_code(attackers), "current_code": ""})
        assert_sent_to_verify(response)

    attackers.refresh_from_db()
    assert not attackers.confirmed
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [device]


def test_a_password_only_session_cannot_make_new_backup_codes(enrolled_reporter):
    user, _device, codes = enrolled_reporter
    client = password_login(user)

    response = client.post("/konto/tvafaktor/reservkoder/", {"renew-current_code": codes[0]})

    assert_sent_to_verify(response)
    assert (
        sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        == codes
    )


def test_removing_then_enrolling_with_the_password_only_never_reaches_the_admin(
    enrolled_superuser,
):
    """The chain the review ran against a superuser, step by step."""
    user, device, _codes = enrolled_superuser
    client = password_login(user)

    client.post("/konto/tvafaktor/stang-av/")
    client.get("/konto/tvafaktor/")
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if pending is not None:
        client.post("/konto/tvafaktor/", {"token": totp_code(pending)})

    assert_sent_to_verify(client.get("/admin/"))
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [device]


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/auth/user/", "/personal/", "/konto/losenord/byt/", "/admin/login/"],
)
def test_a_password_only_session_is_sent_to_the_code_entry_from_every_page(
    enrolled_superuser, path
):
    user, _device, _codes = enrolled_superuser
    assert_sent_to_verify(password_login(user).get(path))


def test_the_two_factor_pages_refuse_without_a_code_even_behind_another_middleware_order(
    enrolled_reporter, settings
):
    """The views check the session themselves, not only the middleware."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("twofactor.")]
    user, device, _codes = enrolled_reporter
    client = password_login(user)

    assert_sent_to_verify(client.post("/konto/tvafaktor/stang-av/"))
    assert_sent_to_verify(client.get("/konto/tvafaktor/"))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- Sessions from before enrolment are cut off -----------------------------------------


def test_enrolling_logs_out_the_sessions_opened_before(police_reporter):
    earlier = password_login(police_reporter)
    assert earlier.get("/personal/").status_code == 200
    enrolling = password_login(police_reporter)
    enrolling.get("/konto/tvafaktor/")
    device = TOTPDevice.objects.get(user=police_reporter, confirmed=False)

    enrolling.post("/konto/tvafaktor/", {"token": totp_code(device)})

    response = earlier.get("/personal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")
    assert enrolling.get("/personal/").status_code == 200, "the enrolling session stays"


def test_enrolling_ends_only_the_users_own_other_sessions(police_reporter, municipality_reporter):
    first, second = password_login(police_reporter), password_login(police_reporter)
    someone_else = password_login(municipality_reporter)
    keep = first.session.session_key

    device = services.totp_pending_device(police_reporter)
    services.two_factor_enrol(police_reporter, device, totp_code(device), keep_session_key=keep)

    assert Session.objects.filter(session_key=keep).exists()
    assert not Session.objects.filter(session_key=second.session.session_key).exists()
    assert someone_else.get("/personal/").status_code == 200


def test_a_session_that_predates_the_enrolment_state_must_enter_a_code(police_reporter):
    """A session from before this release carries no enrolment state (main's sessions
    had only a key set at login); it is checked against the database."""
    client = password_login(police_reporter)
    session = client.session
    session.pop(services.SESSION_STATE_KEY, None)
    session.save()
    TOTPDevice.objects.create(user=police_reporter, name="authenticator", confirmed=True)

    assert_sent_to_verify(client.get("/personal/"))
    assert_sent_to_verify(client.get("/konto/tvafaktor/"))


def test_a_session_whose_device_was_removed_elsewhere_is_let_through_the_code_entry(
    enrolled_reporter,
):
    user, device, _codes = enrolled_reporter
    client = password_login(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()

    response = client.get(f"{VERIFY}?next=/personal/")

    assert response.status_code == 302 and response["Location"] == "/personal/"
    assert client.get("/personal/").status_code == 200


# --- Replacing and removing need a current code -----------------------------------------


def test_replacing_the_phone_needs_a_code_from_the_old_one(enrolled_reporter):
    user, old, _codes = enrolled_reporter
    client = verified_login(user, old)
    client.get("/konto/tvafaktor/byt-telefon/")
    new = TOTPDevice.objects.get(user=user, confirmed=False)

    missing = client.post("/konto/tvafaktor/byt-telefon/", {"token": totp_code(new)})
    wrong_code = f"{(int(totp_code(old, 1)) + 500_000) % 1_000_000:06d}"
    wrong = client.post(
        "/konto/tvafaktor/byt-telefon/",
        {"token": totp_code(new, 1), "current_code": wrong_code},
    )

    assert missing.status_code == 400
    assert missing.context["form"].errors["current_code"] == ["Det här fältet är obligatoriskt."]
    assert wrong.status_code == 400
    assert "Koden stämmer inte" in wrong.content.decode()
    assert wrong.context["form"].errors["current_code"]
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [old]


def test_replacing_the_phone_with_a_backup_code_gives_new_backup_codes(enrolled_reporter):
    user, old, codes = enrolled_reporter
    client = verified_login(user, old)
    client.get("/konto/tvafaktor/byt-telefon/")
    new = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(
        "/konto/tvafaktor/byt-telefon/",
        {"token": totp_code(new), "current_code": codes[0].upper()},
    )

    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [new]
    fresh = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(fresh) == 10 and not fresh & set(codes), "the old backup codes stopped working"
    assert client.session[DEVICE_ID_SESSION_KEY] == new.persistent_id, "verified by the new phone"
    assert client.get("/personal/").status_code == 200


def test_removing_needs_a_current_code(enrolled_reporter):
    user, device, _codes = enrolled_reporter
    client = verified_login(user, device)

    missing = client.post("/konto/tvafaktor/stang-av/", {})
    assert missing.status_code == 400
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = client.post(
        "/konto/tvafaktor/stang-av/", {"remove-current_code": totp_code(device, 1)}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_the_services_refuse_a_change_without_a_current_code(enrolled_reporter):
    from django.core.exceptions import ValidationError

    user, old, _codes = enrolled_reporter
    new = services.totp_pending_device(user)

    with pytest.raises(ValidationError) as replaced:
        services.two_factor_enrol(user, new, totp_code(new))
    with pytest.raises(ValidationError) as removed:
        services.two_factor_remove(user, "000000")

    assert "current_code" in replaced.value.message_dict
    assert "current_code" in removed.value.message_dict
    assert list(TOTPDevice.objects.filter(user=user, confirmed=True)) == [old]


def test_enrolling_a_second_user_device_through_the_service_needs_the_users_own_device(
    police_reporter, municipality_reporter
):
    from django.core.exceptions import PermissionDenied

    others = services.totp_pending_device(municipality_reporter)
    with pytest.raises(PermissionDenied):
        services.two_factor_enrol(police_reporter, others, totp_code(others))
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_enrol_helper_leaves_a_confirmed_device(police_reporter):
    device, codes = enrol(police_reporter)
    assert device.confirmed and len(codes) == 10
