"""The staff pages' one write of their own: a report form saved once, however often it is sent."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from accounts.permissions import require
from activities.models import Activity
from activities.services import ReportResult, progress_update_create
from staff.models import ReportSubmission


def _earlier_submission(token: uuid.UUID, user) -> ReportSubmission | None:
    existing = (
        ReportSubmission.objects.filter(token=token).select_related("progress_update").first()
    )
    if existing is not None and existing.user_id != user.pk:
        raise PermissionDenied
    return existing


def report_submit(
    *, user, activity: Activity, submission_token: uuid.UUID, **report
) -> ReportResult:
    """Add a progress update from the report form (``activities.services.progress_update_create``).

    Each rendered form carries a one-time ``submission_token``: a second submit of
    the same form returns the update the first one saved instead of adding another,
    also when the two race (the token is the submission's primary key).
    """
    require(user, "activities.add_progressupdate", activity)
    existing = _earlier_submission(submission_token, user)
    if existing is not None:
        return ReportResult(existing.progress_update, None, created=False)
    try:
        with transaction.atomic():
            result = progress_update_create(user=user, activity=activity, **report)
            ReportSubmission.objects.create(
                token=submission_token, user=user, progress_update=result.update
            )
    except IntegrityError:
        # Two submits of one form raced; the other one saved the update.
        existing = _earlier_submission(submission_token, user)
        if existing is None:
            raise
        return ReportResult(existing.progress_update, None, created=False)
    return result
