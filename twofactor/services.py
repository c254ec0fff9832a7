"""Two-factor authentication rules: who must use it, enrolling, removing and resetting.

Built on django-otp: a confirmed ``TOTPDevice`` is an authenticator app the
user has proved they hold, a ``StaticDevice`` holds their one-time backup
codes; ``request.user.is_verified()`` (OTPMiddleware) says whether this
session has passed a code. Every change to a user's second factor goes through
the functions below, which check the code or the permission themselves and end
the sessions that the change makes stale.
"""

import base64
import secrets
from binascii import unhexlify
from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY as AUTH_USER_SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.permissions import require

DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10
BACKUP_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32, as StaticToken makes them
BACKUP_CODE_LENGTH = 8
RESET_PERMISSION = "twofactor.reset_two_factor"

# What the session knows about its user's second factor, so that ordinary
# requests cost no query: {"enrolled": bool, "administrator": bool}. Written at
# login (twofactor.signals) and whenever this session changes the factor; a
# session without it (one from before this was introduced) is checked against
# the database once. It cannot go stale in the dangerous direction: every path
# that gives a user a device (two_factor_enrol) ends the user's other sessions.
SESSION_STATE_KEY = "twofactor_state"
VERIFY = "verify"
SETUP = "setup"

SESSION_ENGINES_WITH_TABLE = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}

WRONG_CODE = _("Koden stämmer inte. Kontrollera att telefonens klocka går rätt och försök igen.")
WRONG_BACKUP_CODE = _("Reservkoden stämmer inte eller har redan använts.")
THROTTLED = _("För många felaktiga koder. Vänta en stund och försök igen.")


# --- Who must use it, and what a session still owes ------------------------------


def two_factor_required(user) -> bool:
    """Administrators must use two factors when settings.REQUIRE_2FA is on."""
    if not settings.REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or _in_required_group(user)


def _in_required_group(user) -> bool:
    return user.groups.filter(name__in=settings.TWO_FACTOR_REQUIRED_GROUPS).exists()


def two_factor_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def session_state_refresh(session, user) -> dict:
    """Read the user's enrolment from the database into the session."""
    state = {"enrolled": two_factor_enrolled(user), "administrator": _in_required_group(user)}
    session[SESSION_STATE_KEY] = state
    return state


def session_step(session, user) -> str | None:
    """What an authenticated but unverified session must do before anything else."""
    state = session.get(SESSION_STATE_KEY)
    if not isinstance(state, dict):
        state = session_state_refresh(session, user)
    if state.get("enrolled"):
        return VERIFY
    if settings.REQUIRE_2FA and (
        user.is_superuser or state.get("administrator") or _in_required_group(user)
    ):
        # The group is asked again (one query, only for an unenrolled staff member
        # while two-factor is required): a user promoted to administrator during a
        # session must set up two-factor from the next request, not the next login.
        return SETUP
    return None


# --- Codes -------------------------------------------------------------------------


def normalize_code(raw: str) -> str:
    """A code as typed: spaces and hyphens dropped, backup codes in lower case."""
    return "".join(raw.split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) == 6


def is_backup_code(code: str) -> bool:
    return len(code) == BACKUP_CODE_LENGTH and all(c in BACKUP_CODE_ALPHABET for c in code)


def two_factor_code_check(user, code: str, *, field: str = "token") -> Device:
    """The user's confirmed device that accepts ``code``, or a ValidationError on ``field``.

    Six digits are checked against the authenticator app, anything else as a
    backup code, which is used up. Wrong codes count towards each device's
    throttle (django-otp's ThrottlingMixin), so this must not run inside a
    transaction that a later error rolls back.
    """
    if is_totp_code(code):
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
        wrong = WRONG_CODE
    else:
        devices = list(StaticDevice.objects.devices_for_user(user, confirmed=True))
        wrong = WRONG_BACKUP_CODE
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if devices and not allowed:
        raise ValidationError({field: THROTTLED})
    for device in allowed:
        accepted = (
            _backup_code_use(device, code)
            if isinstance(device, StaticDevice)
            else device.verify_token(code)
        )
        if accepted:
            return device
    raise ValidationError({field: wrong})


def _backup_code_use(device: StaticDevice, code: str) -> bool:
    """Use up one backup code. The DELETE's row count decides, so that two
    requests racing with the same code cannot both get in (StaticDevice's own
    verify_token reads the row, then deletes it)."""
    used, _detail = StaticToken.objects.filter(device=device, token=code).delete()
    if used:
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        return True
    device.throttle_increment()
    return False


def backup_codes_remaining(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _backup_codes_create(user) -> list[str]:
    """A fresh set of backup codes, replacing any earlier set; returned once, to show."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < BACKUP_CODE_COUNT:
        codes.add("".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH)))
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def backup_code_for_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# --- Enrolling, replacing, removing -------------------------------------------------


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


def two_factor_enrol(
    user,
    device: TOTPDevice,
    token: str,
    *,
    current_code: str = "",
    keep_session_key: str | None = None,
) -> list[str]:
    """Confirm ``device`` as the user's authenticator; returns new backup codes to show once.

    A user who already has a second factor is replacing it, and must give a
    current code (from the old app or a backup code) as well: a password alone
    never changes the second factor. The new device replaces every earlier
    device, and the user's other sessions end, so that none opened before the
    enrolment goes on without a code.
    """
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_is_allowed()[0]:
        raise ValidationError({"token": THROTTLED})
    if not device.verify_token(token):
        raise ValidationError({"token": WRONG_CODE})
    if two_factor_enrolled(user):
        two_factor_code_check(user, current_code, field="current_code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _backup_codes_create(user)
        user_sessions_end(user, keep_session_key=keep_session_key)
    return codes


def backup_codes_renew(user, current_code: str) -> list[str]:
    """A new set of backup codes for a user who gives a current code; the old set stops working."""
    two_factor_code_check(user, current_code, field="current_code")
    with transaction.atomic():
        return _backup_codes_create(user)


def two_factor_remove(user, current_code: str, *, keep_session_key: str | None = None) -> None:
    """Turn two-factor off for a user who gives a current code, and end their other sessions."""
    two_factor_code_check(user, current_code, field="current_code")
    with transaction.atomic():
        _devices_delete(user)
        user_sessions_end(user, keep_session_key=keep_session_key)


def two_factor_reset(actor, user, *, reason: str) -> None:
    """An administrator's reset of another user's second factor, for a lost phone.

    Needs an administrator whose own session passed a code (twofactor/rules.py)
    and a reason; removes the user's devices, ends all of their sessions and
    writes the reason to the user's admin history.
    """
    require(actor, RESET_PERMISSION, user)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv varför tvåfaktorsinloggningen återställs.")})
    with transaction.atomic():
        _devices_delete(user)
        user_sessions_end(user)
        # Stored as text in the site's language: the history is a record, and
        # the reason is the administrator's own words.
        with translation.override(settings.LANGUAGE_CODE):
            message = gettext("Tvåfaktorsinloggningen återställdes. Skäl: %(reason)s") % {
                "reason": reason
            }
        LogEntry.objects.log_actions(
            actor.pk, [user], CHANGE, change_message=message, single_object=True
        )


def _devices_delete(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Sessions ------------------------------------------------------------------------


def user_sessions_end(user, *, keep_session_key: str | None = None) -> int:
    """Log the user out everywhere except the session ``keep_session_key``; how many ended.

    Why this way: auth.User's session hash is derived from the password hash,
    which cannot be rotated without the password, so the sessions are deleted
    instead. SESSION_ENGINE is the database (cached_db works too; the system
    check twofactor.E001 refuses engines without a table), so a user's sessions
    are the live rows whose decoded data name them. Only staff ever get a
    session (anonymous visitors get none), and this runs only when a second
    factor changes, so reading the live rows is cheap. Deleting through the
    engine's SessionStore also drops cached_db's cache entry, and a request of
    a deleted session that is still running cannot write it back: the engine
    saves with an UPDATE and answers SessionInterrupted.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    live = Session.objects.filter(expire_date__gt=timezone.now())
    if keep_session_key:
        live = live.exclude(session_key=keep_session_key)
    user_id = str(user.pk)
    ended = 0
    for session_key, data in live.values_list("session_key", "session_data").iterator():
        if store_class().decode(data).get(AUTH_USER_SESSION_KEY) == user_id:
            store_class(session_key).delete()
            ended += 1
    return ended
