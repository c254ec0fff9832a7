"""Helpers for the two-factor tests: codes from a device, enrolled users, sessions."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import STAFF_PASSWORD
from twofactor import services


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """The user's authenticator and backup codes, through the service as the page does."""
    device = services.totp_pending_device(user)
    codes = services.two_factor_enrol(user, device, totp_code(device))
    return device, codes


def password_login(user) -> Client:
    """A browser that logged in through the staff login page with the password only."""
    client = Client()
    response = client.post(
        "/konto/logga-in/", {"username": user.get_username(), "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302, "the password is right"
    return client


def verified_login(user, device) -> Client:
    """A browser whose session passed a code from ``device`` (as the code entry leaves it).

    The session is marked directly so that the device's current code is still
    unused for the step under test (a TOTP code works once).
    """
    client = password_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def live_session_count(user) -> int:
    return sum(
        1
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    )


@pytest.fixture
def enrolled_reporter(police_reporter):
    device, codes = enrol(police_reporter)
    return police_reporter, device, codes


@pytest.fixture
def enrolled_superuser(django_user_model):
    user = django_user_model.objects.create_superuser(
        "root", "root@example.invalid", STAFF_PASSWORD
    )
    device, codes = enrol(user)
    return user, device, codes
