"""Object-level permissions: the one place that says who may do what with which object.

Model permissions (held through the role groups, see ``accounts.roles``) answer
"may this user ever add progress updates?"; the rules below answer "may this
user add one to *this* activity?". The services ask through ``require`` and
the admin through ``allowed`` (``accounts.admin_permissions``, for every
registered model, inline row, action and history page), so the rules bind
superusers too.

Rules:

* a national administrator (superuser or member of "Nationell administratör")
  may do anything in every municipality, except deleting progress updates and
  measurements, which nobody may;
* an administrator ("Administratör") may do the same within their own
  municipalities, and the secretary manages councils, meetings and follow-ups
  and reads the rest there: ``is_administrator`` and ``is_secretary`` hold for an
  object only when it belongs to the user's municipalities (without an object,
  the role alone answers); see ``accounts.municipalities``;
* a meeting that is or was published, and its follow-ups, are deleted by
  nobody, and only an administrator unpublishes one;
* a reporter adds progress updates and measurements only to activities their
  organisation leads or shares, may change their own update and correct
  their own measurement for 24 hours, and
  reads only what concerns their organisation's activities;
* promises, focus areas, activities and indicators of a published period are
  changed by administrators only; of a draft period by anyone holding the model
  permission.
"""

from datetime import timedelta

import rules
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffProfile
from accounts.municipalities import (
    for_user,
    is_national_administrator,
    object_municipality_ids,
    user_municipality_ids,
)
from accounts.roles import ADMINISTRATOR, NATIONAL_ADMINISTRATOR, REPORTER, SECRETARY

OWN_UPDATE_EDIT_WINDOW = timedelta(hours=24)

_model_backend = ModelBackend()


def user_organisation(user):
    """The user's organisation, or None; cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_organisation_cache"):
        profile = StaffProfile.objects.select_related("organisation").filter(user=user).first()
        user._organisation_cache = profile.organisation if profile else None
    return user._organisation_cache


# --- Predicates -----------------------------------------------------------------


@rules.predicate
def in_user_municipalities(user, obj) -> bool:
    """The object belongs to the user's municipalities, all of them; no object: True.

    An object that belongs to no municipality yet (an indicator of neither a
    promise nor an activity) is in nobody's.
    """
    if obj is None:
        return True
    municipality_ids = object_municipality_ids(obj)
    return bool(municipality_ids) and municipality_ids <= user_municipality_ids(user)


@rules.predicate
def touches_user_municipalities(user, obj) -> bool:
    """The object belongs to at least one of the user's municipalities; no object: True."""
    if obj is None:
        return True
    return bool(object_municipality_ids(obj) & user_municipality_ids(user))


# The role held, wherever (the model permissions and the add buttons ask this).
holds_administrator_role = rules.is_active & rules.is_group_member(ADMINISTRATOR)
holds_secretary_role = rules.is_active & rules.is_group_member(SECRETARY)

is_administrator = is_national_administrator | (holds_administrator_role & in_user_municipalities)
is_secretary = holds_secretary_role & in_user_municipalities
is_reporter = rules.is_active & rules.is_group_member(REPORTER)


@rules.predicate
def is_national_user(user, target) -> bool:
    """The user in question is national (active or not): only their peers manage them."""
    return target is not None and (
        target.is_superuser or target.groups.filter(name=NATIONAL_ADMINISTRATOR).exists()
    )


@rules.predicate
def responsible_for_activity(user, activity) -> bool:
    organisation = user_organisation(user)
    if activity is None or organisation is None:
        return False
    return organisation.pk in activity.responsible_organisation_ids


@rules.predicate
def responsible_for_update(user, update) -> bool:
    return update is not None and responsible_for_activity.test(user, update.activity)


@rules.predicate
def responsible_for_indicator(user, indicator) -> bool:
    """Only an activity's own indicators; a promise's indicators belong to the council."""
    return (
        indicator is not None
        and indicator.activity_id is not None
        and responsible_for_activity.test(user, indicator.activity)
    )


@rules.predicate
def responsible_for_measurement(user, measurement) -> bool:
    return measurement is not None and responsible_for_indicator.test(user, measurement.indicator)


def _within_edit_window(report) -> bool:
    return (
        report.created_at is not None
        and timezone.now() - report.created_at < OWN_UPDATE_EDIT_WINDOW
    )


@rules.predicate
def is_own_recent_update(user, update) -> bool:
    return update is not None and update.author_id == user.pk and _within_edit_window(update)


@rules.predicate
def is_own_recent_measurement(user, measurement) -> bool:
    return (
        measurement is not None
        and measurement.recorded_by_id == user.pk
        and _within_edit_window(measurement)
    )


# model label (lower case) -> the path from an object of the plan to its period;
# by label, since accounts sit below the domain apps (README, "Layers").
PERIOD_PATHS: dict[str, tuple[str, ...]] = {
    "promises.period": (),
    "promises.focusarea": ("period",),
    "promises.promise": ("period",),
    "activities.activity": ("promise", "period"),
    "activities.indicator": ("owner_promise", "period"),
}


def _period_of(obj):
    path = PERIOD_PATHS.get(obj._meta.label_lower)
    if path is None:
        return None
    # A form may have emptied both owners of an indicator; validation then refuses it.
    if obj._meta.label_lower == "activities.indicator" and not (obj.promise_id or obj.activity_id):
        return None
    for step in path:
        obj = getattr(obj, step)
    return obj


@rules.predicate
def in_published_period(user, obj) -> bool:
    period = _period_of(obj) if obj is not None else None
    return bool(period and period.is_published)


def holds_model_permission(perm: str):
    """The plain model permission from the user's groups, asked without an object."""

    @rules.predicate(f"holds_model_permission:{perm}")
    def predicate(user) -> bool:
        return _model_backend.has_perm(user, perm)

    return predicate


# --- Permissions ----------------------------------------------------------------

staff_reader = is_administrator | is_secretary


def _plan_rules(app_label: str, model: str, reporter_reads=None) -> None:
    """Rules for promises, focus areas, activities and indicators (the plan)."""
    reader = staff_reader if reporter_reads is None else staff_reader | reporter_reads
    rules.add_perm(f"{app_label}.view_{model}", reader)
    # "add" is asked with the parent it is added to: ``_add_rule`` below.
    for action in ("change", "delete"):
        perm = f"{app_label}.{action}_{model}"
        rules.add_perm(
            perm,
            is_administrator
            | (~in_published_period & holds_model_permission(perm) & in_user_municipalities),
        )


for _model in ("period", "focusarea", "promise"):
    _plan_rules("promises", _model)


def _add_rule(perm: str) -> None:
    """Adding to the plan: the object is the parent (a period, a promise or an activity).

    Only administrators add to a published period; holders of the model
    permission add to drafts. Asked without an object (the admin's add button),
    the model permission alone answers.
    """
    rules.add_perm(
        perm,
        is_administrator
        | (~in_published_period & holds_model_permission(perm) & in_user_municipalities),
    )


# A period's parent is its municipality, which is never "published" itself:
# whether a new period may be published at once is the change rule's question.
rules.add_perm(
    "promises.add_period",
    is_administrator | (holds_model_permission("promises.add_period") & in_user_municipalities),
)
_add_rule("promises.add_focusarea")  # object: the period
_add_rule("promises.add_promise")  # object: the period
_add_rule("activities.add_activity")  # object: the promise
_add_rule("activities.add_indicator")  # object: the promise or the activity
_plan_rules("activities", "activity", reporter_reads=is_reporter & responsible_for_activity)
_plan_rules("activities", "indicator", reporter_reads=is_reporter & responsible_for_indicator)

# A municipality: its own staff; adding or deleting one is national (accounts.roles).
rules.add_perm("promises.view_municipality", staff_reader)
rules.add_perm("promises.add_municipality", is_national_administrator)
rules.add_perm("promises.change_municipality", is_administrator)
rules.add_perm("promises.delete_municipality", is_national_administrator)
# An organisation's name is public; changing one that works in several
# municipalities takes an administrator of every one of them.
rules.add_perm(
    "promises.view_organisation",
    is_national_administrator
    | ((holds_administrator_role | holds_secretary_role) & touches_user_municipalities),
)
rules.add_perm("promises.add_organisation", is_administrator)
rules.add_perm("promises.change_organisation", is_administrator)
rules.add_perm("promises.delete_organisation", is_administrator)


@rules.predicate
def is_published_record(user, obj) -> bool:
    """A meeting (or a follow-up's meeting) that is or was published: a public record."""
    meeting = getattr(obj, "meeting", obj)  # a follow-up answers for its meeting
    return meeting is not None and (meeting.is_published or meeting.first_published_at is not None)


for _model in ("council", "meeting", "followup"):
    for _action in ("view", "add", "change"):
        rules.add_perm(f"followup.{_action}_{_model}", staff_reader)
rules.add_perm("followup.delete_council", staff_reader)
# Published minutes are public records: nobody deletes them, superusers included.
rules.add_perm("followup.delete_meeting", staff_reader & ~is_published_record)
rules.add_perm("followup.delete_followup", staff_reader & ~is_published_record)
rules.add_perm("followup.publish_meeting", staff_reader)
rules.add_perm("followup.unpublish_meeting", is_administrator)

# Progress updates: the object of "add" is the activity reported on.
rules.add_perm(
    "activities.add_progressupdate",
    is_administrator | (is_reporter & responsible_for_activity),
)
rules.add_perm(
    "activities.view_progressupdate", staff_reader | (is_reporter & responsible_for_update)
)
rules.add_perm(
    "activities.change_progressupdate",
    is_reporter & responsible_for_update & is_own_recent_update,
)
rules.add_perm("activities.delete_progressupdate", rules.always_deny)

# Measurements: the object of "add" is the indicator measured.
rules.add_perm(
    "activities.add_measurement",
    is_administrator | (is_reporter & responsible_for_indicator),
)
rules.add_perm(
    "activities.view_measurement", staff_reader | (is_reporter & responsible_for_measurement)
)
rules.add_perm(
    "activities.change_measurement",
    is_reporter & responsible_for_measurement & is_own_recent_measurement,
)
rules.add_perm("activities.delete_measurement", rules.always_deny)

# Refused to the command line: the history is the record, and a correction is
# its author's own (the rules above), never a command's.
_NEVER_FOR_ANYONE = frozenset(
    {
        "activities.change_progressupdate",
        "activities.delete_progressupdate",
        "activities.change_measurement",
        "activities.delete_measurement",
    }
)

# Importing activity plans writes into (possibly published) periods.
rules.add_perm("activities.import_activity", is_administrator)

# Users: an administrator manages the users of their municipalities (a user's
# municipalities are those of their scope and of their organisation), never a
# national administrator or superuser; see accounts.admin for the fields.
rules.add_perm("auth.add_user", is_national_administrator | holds_administrator_role)
rules.add_perm(
    "auth.view_user",
    is_national_administrator
    | (holds_administrator_role & touches_user_municipalities & ~is_national_user),
)
for _action in ("change", "delete"):
    rules.add_perm(
        f"auth.{_action}_user",
        is_national_administrator
        | (holds_administrator_role & in_user_municipalities & ~is_national_user),
    )

# Roles (groups) are national; staff profiles follow their user's rules.
rules.add_perm("auth.view_group", is_national_administrator | holds_administrator_role)
for _action in ("add", "change", "delete"):
    rules.add_perm(f"auth.{_action}_group", is_national_administrator)
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{_action}_staffprofile", is_administrator)

# Login attempts are logs kept by django-axes: read and removed (lifting a lockout)
# by national administrators, since a log names usernames and addresses of every
# municipality's staff; never written by hand.
for _perm in ("axes.%s_accessattempt", "axes.%s_accesslog", "axes.%s_accessfailurelog"):
    rules.add_perm(_perm % "view", is_national_administrator)
    rules.add_perm(_perm % "delete", is_national_administrator)
    rules.add_perm(_perm % "add", rules.always_deny)
    rules.add_perm(_perm % "change", rules.always_deny)

# Residents' e-mail addresses (subscriptions): found and deleted by national
# administrators, on request of their owners; only their owners add them.
rules.add_perm("subscriptions.view_subscriber", is_national_administrator)
rules.add_perm("subscriptions.delete_subscriber", is_national_administrator)
rules.add_perm("subscriptions.add_subscriber", rules.always_deny)
rules.add_perm("subscriptions.change_subscriber", rules.always_deny)
# Finding and erasing everything stored for one e-mail address (subscriptions, unsent
# mail, residents' questions): like deleting a subscriber, national only.
rules.add_perm("subscriptions.erase_personal_data", is_national_administrator)


@rules.predicate
def totp_device_in_user_municipalities(user, device) -> bool:
    """A device is where its user works; no device (the list): True."""
    if device is None:
        return True
    profile = getattr(device.user, "staff_profile", None)
    return profile is not None and in_user_municipalities.test(user, profile)


# Two-factor devices are listed for administrators; a lost phone is removed by the
# logged reset (twofactor.services.two_factor_reset), never one device by hand. The
# admin lists them as "twofactor.Authenticator", a proxy of django-otp's TOTPDevice;
# the same rules hold under both names.
for _label in ("otp_totp.%s_totpdevice", "twofactor.%s_authenticator"):
    rules.add_perm(
        _label % "view",
        is_national_administrator | (holds_administrator_role & totp_device_in_user_municipalities),
    )
    for _action in ("add", "change", "delete"):
        rules.add_perm(_label % _action, rules.always_deny)


# --- The door every service passes ---------------------------------------------


class _SystemActor:
    """The actor of management commands (``load_timra``, ``seed_demo``).

    A command runs on the server, started by someone who already holds the
    database and the settings; the rules protect the web's doors, which never
    see this object (no request carries it, and it is no ``User``). The services
    still take it explicitly, so a write without a user is visible at the call
    site, and the history records it without a user and with a reason.
    """

    is_authenticated = False
    is_active = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _SystemActor()


def allowed(user, perm: str, obj=None) -> bool:
    """Whether the rules above let the user do ``perm`` (to ``obj``).

    Asked of the rules themselves, not ``user.has_perm``: Django lets an active
    superuser pass every ``has_perm``, which would skip the rules that bind
    everyone (append-only updates, published minutes). Superusers are
    administrators in the rules, so they keep every power the rules give.
    ``SYSTEM`` (management commands) may do what an administrator may.
    """
    if user is SYSTEM:
        return perm not in _NEVER_FOR_ANYONE
    return rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless ``allowed``; every service calls this first.

    The exception carries ``refusal_reason``, which the 403 page shows.
    """
    if not allowed(user, perm, obj):
        raise PermissionDenied(refusal_reason(user, perm, obj))


# --- Why a refusal: the reason the 403 page gives -------------------------------

NOT_A_REPORTER = _(
    "Ditt konto har inte rollen Rapportör. Be en administratör om den om du ska rapportera."
)
NO_ORGANISATION = _(
    "Ditt konto är inte kopplat till någon aktör. Be en administratör att koppla det."
)
OTHER_MUNICIPALITY = _("Det här hör till en kommun som ditt konto inte arbetar i.")
NOT_RESPONSIBLE_FOR_ACTIVITY = _(
    "Lägesrapporter lämnas bara på aktiviteter som din aktör ansvarar för."
)
NOT_RESPONSIBLE_FOR_INDICATOR = _(
    "Mätvärden lämnas bara för mått på aktiviteter som din aktör ansvarar för."
)
PROMISE_INDICATOR = _(
    "Mått för ett helt medborgarlöfte fylls i av en administratör, inte i en lägesrapport."
)
NOT_OWN_UPDATE = _(
    "Bara den som skrev en lägesrapport kan ändra den, och den här skrev någon annan. "
    "Behöver något rättas, lämna en ny lägesrapport."
)
OLD_UPDATE = _(
    "Lägesrapporten lämnades för mer än 24 timmar sedan och kan inte ändras längre. "
    "Lämna en ny lägesrapport med rättelsen."
)
NOT_OWN_MEASUREMENT = _(
    "Bara den som lämnade ett mätvärde kan rätta det, och det här lämnade någon annan. "
    "Be den personen eller en administratör."
)
OLD_MEASUREMENT = _(
    "Mätvärdet lämnades för mer än 24 timmar sedan och kan inte rättas längre. "
    "Lämna ett nytt mätvärde, eller be en administratör."
)


def _reporting_refusal(user, activity, not_responsible) -> str:
    """Why the user may not report on the activity (the first condition that fails)."""
    if holds_administrator_role.test(user) and not in_user_municipalities.test(user, activity):
        return OTHER_MUNICIPALITY
    if not is_reporter.test(user):
        return NOT_A_REPORTER
    if user_organisation(user) is None:
        return NO_ORGANISATION
    return not_responsible


def _add_update_refusal(user, activity) -> str:
    return _reporting_refusal(user, activity, NOT_RESPONSIBLE_FOR_ACTIVITY)


def _add_measurement_refusal(user, indicator) -> str:
    if indicator is not None and indicator.activity_id is None:
        return PROMISE_INDICATOR
    activity = indicator.activity if indicator is not None else None
    return _reporting_refusal(user, activity, NOT_RESPONSIBLE_FOR_INDICATOR)


def _change_update_refusal(user, update) -> str:
    if update is None or update.author_id != user.pk:
        return NOT_OWN_UPDATE
    if not _within_edit_window(update):
        return OLD_UPDATE
    return _reporting_refusal(user, update.activity, NOT_RESPONSIBLE_FOR_ACTIVITY)


def _change_measurement_refusal(user, measurement) -> str:
    if measurement is None or measurement.recorded_by_id != user.pk:
        return NOT_OWN_MEASUREMENT
    if not _within_edit_window(measurement):
        return OLD_MEASUREMENT
    return _add_measurement_refusal(user, measurement.indicator)


# The reports' permissions, which reporters meet on the staff pages; the order
# of each function's checks is the order in which a user meets the conditions.
_REFUSAL_REASONS = {
    "activities.add_progressupdate": _add_update_refusal,
    "activities.add_measurement": _add_measurement_refusal,
    "activities.change_progressupdate": _change_update_refusal,
    "activities.change_measurement": _change_measurement_refusal,
}


def refusal_reason(user, perm: str, obj=None) -> str:
    """Why ``allowed(user, perm, obj)`` is False, in the user's words; "" for no known reason."""
    explain = _REFUSAL_REASONS.get(perm)
    if explain is None or user is SYSTEM or not getattr(user, "is_authenticated", False):
        return ""
    return str(explain(user, obj))


# --- Querysets: what a user may see in lists -----------------------------------


def may_correct_update(user, update) -> bool:
    """Whether the user may correct this progress update.

    Asked of the rule itself rather than ``user.has_perm``: Django lets a
    superuser pass every ``has_perm``, but an update is only ever corrected by
    its author, within the window, so that the history stays the record.
    """
    return rules.has_perm("activities.change_progressupdate", user, update)


def may_correct_measurement(user, measurement) -> bool:
    """Whether the user may correct this measurement: its recorder, within the window."""
    return rules.has_perm("activities.change_measurement", user, measurement)


def may_report(user) -> bool:
    """Whether the user's role reports progress at all (which activities: the rules above)."""
    return (is_reporter | is_administrator).test(user)


def activities_for_user(user, queryset: QuerySet) -> QuerySet:
    """Activities of the user's organisation (none for a user without one)."""
    organisation = user_organisation(user)
    if organisation is None:
        return queryset.none()
    return queryset.for_organisation(organisation)


def visible_updates(user, queryset: QuerySet, activity_field: str = "activity") -> QuerySet:
    """Progress updates or measurements the user may read, by their activity."""
    if staff_reader.test(user):
        return for_user(user, queryset)
    organisation = user_organisation(user)
    if organisation is None or not is_reporter.test(user):
        return queryset.none()
    activities = queryset.model
    for step in activity_field.split("__"):
        activities = activities._meta.get_field(step).related_model
    responsible = activities._default_manager.for_organisation(organisation)
    return queryset.filter(**{f"{activity_field}__in": responsible.values("pk")})
