"""Writes on activities: progress updates and measurements, checked and atomic.

Every function checks the object-level permission itself (``accounts.permissions``),
so no caller can skip it, and writes everything or nothing.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import may_correct_update, user_organisation
from activities.models import Activity, Indicator, Measurement, ProgressUpdate


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


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _earlier_submission(model, token: uuid.UUID, user):
    existing = model.objects.filter(token=token).select_related("progress_update").first()
    if existing is not None and existing.user_id != user.pk:
        raise PermissionDenied
    return existing


def measurement_create(*, user, indicator: Indicator, value, measured_on, source="") -> Measurement:
    """Record a dated value of an indicator; validated like the admin does."""
    _require(user, "activities.add_measurement", indicator)
    measurement = Measurement(
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        source=source,
        recorded_by=user,
    )
    measurement.full_clean()
    measurement.save()
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
) -> ReportResult:
    """Add a progress update, and optionally a measurement, in one transaction.

    With a ``submission_token`` (one per rendered form) a second submit of the
    same form returns the update the first one saved instead of adding another.
    """
    from staff.models import ReportSubmission

    _require(user, "activities.add_progressupdate", activity)
    if submission_token is not None:
        existing = _earlier_submission(ReportSubmission, submission_token, user)
        if existing is not None:
            return ReportResult(existing.progress_update, None, created=False)
    if measurement is not None and measurement.indicator.activity_id != activity.pk:
        raise PermissionDenied
    organisation = user_organisation(user) or activity.lead_organisation
    try:
        with transaction.atomic():
            update = ProgressUpdate(
                activity=activity,
                reported_on=reported_on or timezone.localdate(),
                status=status,
                percent_complete=percent_complete,
                text=text,
                author=user,
                organisation=organisation,
            )
            update.full_clean()
            update.save()
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
    update.full_clean()
    update.save()
    return update
