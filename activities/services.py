"""Writes on activities: the plan under a promise, progress updates and measurements.

Every function checks the object-level permission itself (``accounts.permissions``),
so no caller can skip it, and writes everything or nothing. The plan's writes
(activities, indicators) follow ``promises.services``: an add is asked with the
parent (the promise, or the activity for an activity's indicator), a change
or delete against the stored object and a change also against the new state.

Progress updates and measurements are append-only: added through
``progress_update_create`` and ``measurement_create``, an update corrected
only by its author within the window (``progress_update_change``), neither
ever deleted. An activity or indicator with reports cannot be deleted
(``on_delete=PROTECT``); an activity is cancelled instead (``activity_cancel``).
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import may_correct_update, require, user_organisation
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from promises.models import Organisation
from promises.services import check_save, delete_checked, history_user, save_validated, stored


@dataclass
class MeasurementInput:
    indicator: Indicator
    value: Decimal
    measured_on: date
    source: str = ""


@dataclass
class ReportResult:
    update: ProgressUpdate
    measurement: Measurement | None
    created: bool


def _earlier_submission(model, token: uuid.UUID, user):
    existing = model.objects.filter(token=token).select_related("progress_update").first()
    if existing is not None and existing.user_id != user.pk:
        raise PermissionDenied
    return existing


def measurement_create(*, user, indicator: Indicator, value, measured_on, source="") -> Measurement:
    """Record a dated value of an indicator; validated like the admin does."""
    require(user, "activities.add_measurement", indicator)
    measurement = Measurement(
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        source=source,
        recorded_by=history_user(user),
    )
    save_validated(user, measurement)
    return measurement


def progress_update_create(
    *,
    user,
    activity: Activity,
    status: str,
    percent_complete: int,
    text: str,
    measurement: MeasurementInput | None = None,
    submission_token: uuid.UUID | None = None,
    reported_on: date | None = None,
    organisation: Organisation | None = None,
) -> ReportResult:
    """Add a progress update, and optionally a measurement, in one transaction.

    With a ``submission_token`` (one per rendered form) a second submit of the
    same form returns the update the first one saved instead of adding another.
    """
    from staff.models import ReportSubmission

    require(user, "activities.add_progressupdate", activity)
    if submission_token is not None:
        existing = _earlier_submission(ReportSubmission, submission_token, user)
        if existing is not None:
            return ReportResult(existing.progress_update, None, created=False)
    if measurement is not None and measurement.indicator.activity_id != activity.pk:
        raise PermissionDenied
    # A reporter reports for their own organisation; an administrator (who has
    # none) for the one named, by default the activity's lead.
    organisation = user_organisation(user) or organisation or activity.lead_organisation
    try:
        with transaction.atomic():
            update = ProgressUpdate(
                activity=activity,
                reported_on=reported_on or timezone.localdate(),
                status=status,
                percent_complete=percent_complete,
                text=text,
                author=history_user(user),
                organisation=organisation,
            )
            save_validated(user, update)
            if submission_token is not None:
                ReportSubmission.objects.create(
                    token=submission_token, user=user, progress_update=update
                )
            saved_measurement = None
            if measurement is not None:
                saved_measurement = measurement_create(
                    user=user,
                    indicator=measurement.indicator,
                    value=measurement.value,
                    measured_on=measurement.measured_on,
                    source=measurement.source,
                )
    except IntegrityError:
        # Two submits of one form raced; the other one saved the update.
        if submission_token is None:
            raise
        existing = _earlier_submission(ReportSubmission, submission_token, user)
        if existing is None:
            raise
        return ReportResult(existing.progress_update, None, created=False)
    return ReportResult(update, saved_measurement, created=True)


@transaction.atomic
def progress_update_change(
    *, user, update: ProgressUpdate, status: str, percent_complete: int, text: str
) -> ProgressUpdate:
    """Correct one's own update within 24 hours; afterwards a correction is a new update."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if not may_correct_update(user, update):
        raise PermissionDenied
    update.status = status
    update.percent_complete = percent_complete
    update.text = text
    save_validated(user, update)
    return update


# --- The plan under a promise ------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    user,
    activity: Activity,
    other_organisations: Iterable[Organisation] | None = None,
    reason: str = "",
) -> Activity:
    """Create or change an activity and, when given, its co-responsible organisations."""
    check_save(user, activity, parent=activity.promise)
    m2m = {}
    if other_organisations is not None:
        m2m["other_organisations"] = list(other_organisations)
    save_validated(user, activity, reason=reason, m2m=m2m)
    return activity


# What an imported plan may change in an activity it names (by promise and title).
ACTIVITY_PLAN_FIELDS = [
    "title",
    "description",
    "lead_organisation",
    "planned_start",
    "planned_end",
    "place",
    "weight",
    "updated_at",
]


@transaction.atomic
def activity_plan_save(
    *,
    user,
    activities: Sequence[tuple[Activity, Iterable[Organisation] | None]],
    reason: str = "",
) -> None:
    """Create or change many activities at once, every one or none: an imported plan.

    Each activity is asked of the rules and validated as ``activity_save`` does,
    except that its foreign keys, check constraints and primary key are left to
    the database, which refuses the whole plan on a violation; the caller checks
    them first, as the import's preview does. So 2,000 activities take seconds,
    not minutes. Activities and their history are written in bulk; their
    co-responsible organisations, where given (not None), one activity at a
    time. Bulk writes send no model signals: the page cache is invalidated after
    the request by ``caching.middleware``, as after every staff write.
    """
    new, changed = [], []
    for activity, _others in activities:
        check_save(user, activity, parent=activity.promise)
        activity.full_clean(
            exclude=["promise", "lead_organisation"],
            validate_unique=False,
            validate_constraints=False,
        )
        (new if activity._state.adding else changed).append(activity)
    author = history_user(user)
    try:
        with transaction.atomic():
            bulk_create_with_history(
                new, Activity, default_user=author, default_change_reason=reason or None
            )
            now = timezone.now()
            for activity in changed:
                activity.updated_at = now
            bulk_update_with_history(
                changed,
                Activity,
                fields=ACTIVITY_PLAN_FIELDS,
                default_user=author,
                default_change_reason=reason or None,
            )
            # Foreign keys are checked at the commit; check them here, where a
            # violation can still be answered with a message.
            connection.check_constraints(table_names=[Activity._meta.db_table])
    except IntegrityError:
        raise ValidationError(
            _("Databasen tog inte emot planen (en aktör, ett löfte eller ett värde är ogiltigt).")
        ) from None
    for activity, others in activities:
        if others is not None:
            activity._history_user = author
            if reason:
                activity._change_reason = reason
            activity.other_organisations.set(others)


def activity_delete(*, user, activity: Activity) -> None:
    """Delete an activity that nobody has reported on; one with reports is cancelled instead."""
    delete_checked(
        user,
        activity,
        refused=_(
            "Aktiviteten ”%(activity)s” har lägesrapporter eller mätvärden och kan inte tas "
            "bort. Avbryt den i stället med en lägesrapport med status Avbruten."
        )
        % {"activity": activity},
    )


@transaction.atomic
def activity_cancel(*, user, activity: Activity, text: str) -> ProgressUpdate:
    """Cancel an activity: a progress update with status "cancelled", its reason as text.

    A plan decision, so asked like a change of the activity (administrators in
    a published period). The roll-up leaves cancelled activities out of the
    promise's progress and never counts them as late (``promises.rollup``).
    """
    require(user, "activities.change_activity", stored(activity))
    newest = activity.updates.order_by("-reported_on", "-pk").first()
    update = ProgressUpdate(
        activity=activity,
        reported_on=timezone.localdate(),
        status=ProgressUpdate.Status.CANCELLED,
        percent_complete=newest.percent_complete if newest else 0,
        text=text,
        author=history_user(user),
        organisation=user_organisation(user) or activity.lead_organisation,
    )
    save_validated(user, update, reason=_("Aktiviteten avbröts"))
    return update


@transaction.atomic
def indicator_save(*, user, indicator: Indicator, reason: str = "") -> Indicator:
    """Create or change an indicator of a promise or of an activity."""
    check_save(user, indicator, parent=indicator.activity or indicator.promise)
    save_validated(user, indicator, reason=reason)
    return indicator


def indicator_delete(*, user, indicator: Indicator) -> None:
    delete_checked(
        user,
        indicator,
        refused=_("Måttet ”%(indicator)s” har mätvärden och kan inte tas bort.")
        % {"indicator": indicator},
    )
