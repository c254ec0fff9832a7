"""Administrators must use two-factor in production unless DJANGO_REQUIRE_2FA=0;
what a request costs; the session engine the enrolment relies on."""

import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.checks import Error
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import ADMINISTRATOR, NATIONAL_ADMINISTRATOR
from tests.production.servers import ROOT, production_env
from tests.twofactor.conftest import password_login, totp_code
from twofactor import services
from twofactor.checks import check_session_engine


def require_2fa_setting(**env: str) -> str:
    """settings.REQUIRE_2FA as a process started with this environment sees it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.REQUIRE_2FA)",
        ],
        cwd=ROOT,
        env=production_env(DJANGO_SETTINGS_MODULE="timra_trygghet.settings", **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return (result.stdout.strip().splitlines() or [""])[-1] or result.stderr


def test_production_requires_two_factor_of_administrators_by_default():
    assert require_2fa_setting() == "True"


def test_production_can_turn_the_requirement_off():
    assert require_2fa_setting(DJANGO_REQUIRE_2FA="0") == "False"


def test_debug_mode_does_not_require_it_unless_asked():
    assert require_2fa_setting(DJANGO_DEBUG="1") == "False"
    assert require_2fa_setting(DJANGO_DEBUG="1", DJANGO_REQUIRE_2FA="1") == "True"


def test_a_misspelt_requirement_stops_the_process():
    assert "DJANGO_REQUIRE_2FA must be 1 or 0" in require_2fa_setting(DJANGO_REQUIRE_2FA="yes")


# Both kinds of administrator: a municipality's and a national one.
ADMINISTRATORS = [
    pytest.param("municipal_administrator", ADMINISTRATOR, id="municipal"),
    pytest.param("national_administrator", NATIONAL_ADMINISTRATOR, id="national"),
]


@pytest.mark.django_db
@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize(("role", "group"), ADMINISTRATORS)
def test_when_required_an_administrator_enrols_before_reaching_the_admin(request, role, group):
    administrator = request.getfixturevalue(role)
    client = password_login(administrator)
    sent = client.get("/admin/")
    assert sent.status_code == 302 and sent["Location"].startswith("/konto/tvafaktor/?next=")
    assert client.get("/konto/tvafaktor/stang-av/").status_code in (302, 405)

    client.get("/konto/tvafaktor/")
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)
    client.post("/konto/tvafaktor/", {"token": totp_code(device)})

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@override_settings(REQUIRE_2FA=True)
def test_when_required_a_reporter_may_still_choose(police_reporter):
    assert password_login(police_reporter).get("/personal/").status_code == 200


@pytest.mark.django_db
@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize(("role", "group"), ADMINISTRATORS)
def test_when_required_an_administrator_who_turns_it_off_must_set_up_again(request, role, group):
    administrator = request.getfixturevalue(role)
    device = services.totp_pending_device(administrator)
    services.two_factor_enrol(administrator, device, totp_code(device))
    client = password_login(administrator)
    client.post("/konto/tvafaktor/verifiera/", {"token": totp_code(device, 1)})

    client.post("/konto/tvafaktor/stang-av/", {"remove-current_code": "x"})  # malformed
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    assert Group.objects.get(name=group) in administrator.groups.all()
    assert client.get("/admin/").status_code == 200


# --- What a request costs ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_session_without_a_device_costs_no_query_for_two_factor(
    police_reporter, django_assert_num_queries
):
    client = password_login(police_reporter)
    with django_assert_num_queries(2):  # the session and the user, as without two-factor
        client.get("/healthz")


@pytest.mark.django_db
def test_a_session_from_before_the_state_is_checked_once_then_remembered(
    police_reporter, django_assert_num_queries
):
    client = password_login(police_reporter)
    session = client.session
    session.pop(services.SESSION_STATE_KEY)
    session.save()

    # The session and the user, the two device tables and the groups, and the
    # session written back with what was found (an UPDATE in a savepoint).
    with django_assert_num_queries(8):
        client.get("/healthz")
    with django_assert_num_queries(2):
        client.get("/healthz")


# --- The session engine -------------------------------------------------------------------


def test_the_session_engine_must_keep_a_table_that_enrolment_can_read():
    assert check_session_engine(None) == []
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        errors = check_session_engine(None)
    assert [error.id for error in errors] == ["twofactor.E001"]
    assert isinstance(errors[0], Error)


@pytest.mark.django_db
@override_settings(REQUIRE_2FA=True)
def test_a_user_promoted_to_administrator_mid_session_sets_up_two_factor_on_the_next_request(
    secretary,
):
    client = password_login(secretary)
    assert client.get("/admin/").status_code == 200  # a secretary need not use two-factor

    secretary.groups.add(Group.objects.get(name=ADMINISTRATOR))

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvafaktor/")
