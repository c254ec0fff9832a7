"""Two-factor authentication rules: who must use it, and enrolling a TOTP device.

Built on django-otp: a confirmed ``TOTPDevice`` is an authenticator app the
user has proved they hold; ``request.user.is_verified()`` (OTPMiddleware) says
whether this session has passed a code.
"""

import base64
from binascii import unhexlify

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"
# What a password login still owes, kept in the session from the moment of login
# so that ordinary requests cost no query: "verify" (enter a code) or "setup".
SESSION_KEY = "twofactor_pending"
VERIFY = "verify"
SETUP = "setup"


def two_factor_required(user) -> bool:
    """Administrators must use two factors when DJANGO_REQUIRE_2FA=1."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.TWO_FACTOR_REQUIRED_GROUPS).exists()


def two_factor_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_step(user) -> str | None:
    """What a user who just logged in with a password must do next."""
    if two_factor_enrolled(user):
        return VERIFY
    if two_factor_required(user):
        return SETUP
    return None


def totp_pending_device(user) -> TOTPDevice:
    """The device being set up: unconfirmed until the user enters a code from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The key as authenticator apps want it typed: base32, in groups of four."""
    secret = base64.b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_device_confirm(device: TOTPDevice) -> None:
    """Make the device the user's only one: a new phone replaces the old."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def totp_devices_remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
