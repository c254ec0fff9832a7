"""Writes on activities: the plan under a promise, progress updates and measurements.

Every function checks the object-level permission itself (``accounts.permissions``),
so no caller can skip it, and writes everything or nothing. The plan's writes
(activities, indicators) follow ``promises.services``: an add is asked with the
parent (the promise, or the activity for an activity's indicator), a change
or delete against the stored object and a change also against the new state.

Progress updates and measurements are append-only: added through
``progress_update_create`` and ``measurement_create``, an update or a
measurement corrected only by its author within the window
(``progress_update_change``, ``measurement_change``; the history keeps who,
when and the earlier wording or value), neither ever deleted. An activity or
indicator with reports cannot be deleted (``on_delete=PROTECT``); an activity
is cancelled instead (``activity_cancel``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.permissions import require, user_organisation
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from activities.signals import progress_update_created
from promises.models import FocusArea, Organisation, Period, Promise
from promises.services import (
    check_save,
    delete_checked,
    focus_area_save,
    history_user,
    period_save,
    promise_save,
    save_validated,
    stored,
)


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
    reported_on: date | None = None,
    organisation: Organisation | None = None,
) -> ReportResult:
    """Add a progress update, and optionally a measurement, in one transaction.

    A form submitted twice saves once: ``staff.services.report_submit`` keeps the
    form's one-time token around this.
    """
    require(user, "activities.add_progressupdate", activity)
    if measurement is not None and measurement.indicator.activity_id != activity.pk:
        raise PermissionDenied
    # A reporter reports for their own organisation; an administrator (who has
    # none) for the one named, by default the activity's lead.
    organisation = user_organisation(user) or organisation or activity.lead_organisation
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
        saved_measurement = None
        if measurement is not None:
            saved_measurement = measurement_create(
                user=user,
                indicator=measurement.indicator,
                value=measurement.value,
                measured_on=measurement.measured_on,
                source=measurement.source,
            )
        transaction.on_commit(
            lambda: progress_update_created.send(
                sender=ProgressUpdate,
                progress_update_id=update.pk,
                promise_id=activity.promise_id,
            ),
            # A receiver's failure is logged; the update is saved regardless.
            robust=True,
        )
    return ReportResult(update, saved_measurement, created=True)


@transaction.atomic
def progress_update_change(
    *, user, update: ProgressUpdate, status: str, percent_complete: int, text: str
) -> ProgressUpdate:
    """Correct one's own update within 24 hours; afterwards a correction is a new update."""
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    require(user, "activities.change_progressupdate", update)
    update.status = status
    update.percent_complete = percent_complete
    update.text = text
    save_validated(user, update)
    return update


@transaction.atomic
def measurement_change(
    *, user, measurement: Measurement, value, measured_on: date, source: str = ""
) -> Measurement:
    """Correct one's own mistyped measurement within 24 hours, like one's own update.

    The history keeps the earlier value with who corrected it and when
    (``activities.selectors.measurement_corrections`` reads it back).
    """
    measurement = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__activity")
        .get(pk=measurement.pk)
    )
    require(user, "activities.change_measurement", measurement)
    measurement.value = value
    measurement.measured_on = measured_on
    measurement.source = source
    save_validated(user, measurement, reason=_("Mätvärdet rättades"))
    return measurement


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
    promise's progress and never counts them as late (``activities.rollup``).
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


# --- Copying a period's plan -------------------------------------------------------


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


# What a copy keeps of each record; planned dates, reports, indicators and
# follow-ups are the original's history and stay with it.
PERIOD_COPIED_FIELDS = ("purpose", "situation", "outcome")
FOCUS_AREA_COPIED_FIELDS = ("name", "slug", "description", "order")
PROMISE_COPIED_FIELDS = ("order", "title", "slug", "text", "with_residents")
ACTIVITY_COPIED_FIELDS = (
    "order",
    "title",
    "description",
    "lead_organisation_id",
    "place",
    "weight",
)


def _fields_of(record, names: tuple[str, ...]) -> dict:
    return {name: getattr(record, name) for name in names}


@transaction.atomic
def period_copy(*, user, period: Period) -> Period:
    """Copy a period's focus areas, promises and activities into a new draft period.

    The copy starts the day after the original ends and spans as many calendar
    years (2021–2022 becomes 2023–2024); progress
    updates, indicators and follow-ups stay with the original, because they are
    its history. Planned dates are left empty for the new activity plan.
    Adding a period is asked first, so whoever may not add one cannot copy one.
    """
    require(user, "promises.add_period", period.municipality)
    reason = _("Kopierad från %(period)s") % {"period": period}
    starts_on = period.ends_on + timedelta(days=1)
    ends_on = _shift_years(period.ends_on, starts_on.year - period.starts_on.year)
    slug = base_slug = f"{starts_on.year}-{ends_on.year}"
    suffix = 2
    while Period.objects.filter(municipality=period.municipality, slug=slug).exists():
        slug = f"{base_slug}-{suffix}"
        suffix += 1
    copy = period_save(
        user=user,
        period=Period(
            municipality=period.municipality,
            name=_("%(start)s–%(end)s (utkast)") % {"start": starts_on.year, "end": ends_on.year},
            slug=slug,
            starts_on=starts_on,
            ends_on=ends_on,
            is_published=False,
            **_fields_of(period, PERIOD_COPIED_FIELDS),
        ),
        reason=reason,
    )
    focus_area_copies: dict[int, FocusArea] = {}
    for focus_area in period.focus_areas.all():
        focus_area_copies[focus_area.pk] = focus_area_save(
            user=user,
            focus_area=FocusArea(period=copy, **_fields_of(focus_area, FOCUS_AREA_COPIED_FIELDS)),
            reason=reason,
        )
    promises = period.promises.prefetch_related(
        "organisations", "focus_areas", "activities__other_organisations"
    )
    for promise in promises:
        promise_copy = promise_save(
            user=user,
            promise=Promise(period=copy, **_fields_of(promise, PROMISE_COPIED_FIELDS)),
            organisations=promise.organisations.all(),
            focus_areas=[focus_area_copies[area.pk] for area in promise.focus_areas.all()],
            reason=reason,
        )
        for activity in promise.activities.all():
            activity_save(
                user=user,
                activity=Activity(
                    promise=promise_copy, **_fields_of(activity, ACTIVITY_COPIED_FIELDS)
                ),
                other_organisations=activity.other_organisations.all(),
                reason=reason,
            )
    return copy
