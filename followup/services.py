"""The secretary's work: the facts a follow-up is based on, and publishing a meeting."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from activities.models import ProgressUpdate
from followup.models import Council, FollowUp, Meeting
from promises.models import Period, Promise

UPDATES_SHOWN_PER_PROMISE = 10


@dataclass
class PromiseFacts:
    """A promise with its roll-up and the progress updates since the previous meeting."""

    promise: Promise
    since: date | None = None
    updates: list[ProgressUpdate] = field(default_factory=list)
    update_count: int = 0


@dataclass
class FollowUpContext:
    period: Period | None
    previous_meeting: Meeting | None
    facts: dict[int, PromiseFacts]
    promises: list[Promise]

    def promises_without_follow_up(self, meeting: Meeting | None) -> list[Promise]:
        if meeting is None or meeting.pk is None:
            return list(self.promises)
        done = set(
            FollowUp.objects.filter(meeting=meeting, activity__isnull=True).values_list(
                "promise_id", flat=True
            )
        )
        return [promise for promise in self.promises if promise.pk not in done]


def follow_up_context(
    period: Period | None, council: Council | None, meeting_date: date | None = None
) -> FollowUpContext:
    """Everything the follow-up rows show, in three queries whatever the number of promises."""
    if period is None:
        return FollowUpContext(None, None, {}, [])
    meeting_date = meeting_date or timezone.localdate()
    previous_meeting = None
    if council is not None:
        previous_meeting = (
            Meeting.objects.filter(council=council, date__lt=meeting_date)
            .order_by("-date", "-start_time")
            .first()
        )
    promises = list(Promise.objects.filter(period=period).with_progress().order_by("order", "pk"))
    since = previous_meeting.date if previous_meeting is not None else None
    facts = {promise.pk: PromiseFacts(promise, since) for promise in promises}
    updates = (
        ProgressUpdate.objects.filter(
            activity__promise__period=period, reported_on__lte=meeting_date
        )
        .select_related("activity", "organisation")
        .order_by("-reported_on", "-pk")
    )
    if previous_meeting is not None:
        updates = updates.filter(reported_on__gt=previous_meeting.date)
    for update in updates:
        promise_facts = facts.get(update.activity.promise_id)
        if promise_facts is None:
            continue
        promise_facts.update_count += 1
        if len(promise_facts.updates) < UPDATES_SHOWN_PER_PROMISE:
            promise_facts.updates.append(update)
    return FollowUpContext(period, previous_meeting, facts, promises)


# --- Optimistic locking ------------------------------------------------------------
# A form for a meeting or one of its follow-ups carries the meeting's ``version``
# as it was when the form was opened. Saving locks the meeting's row (SELECT ... FOR
# UPDATE on PostgreSQL; on SQLite every transaction takes the write lock at BEGIN
# IMMEDIATE), compares, and raises the version, so of two secretaries saving the
# same meeting at the same moment exactly one wins and the other is told so.


def meeting_lock(pk: int) -> Meeting | None:
    """The meeting, its row locked until the transaction ends; None if it is gone."""
    return Meeting.objects.select_for_update().filter(pk=pk).first()


def meeting_version_matches(meeting: Meeting, submitted: str | None) -> bool:
    """Whether a form's hidden version is the meeting's current one."""
    return (submitted or "").strip() == str(meeting.version)


def meeting_version_raise(*meeting_ids: int | None) -> None:
    """Raise the version of meetings whose follow-ups were saved outside their form."""
    ids = {pk for pk in meeting_ids if pk is not None}
    if ids:
        Meeting.objects.filter(pk__in=ids).update(version=F("version") + 1)


def meeting_last_editor(meeting: Meeting):
    """Who saved the meeting or one of its follow-ups last (None when unknown)."""
    candidates = [
        meeting.history.select_related("history_user").first(),
        FollowUp.history.filter(meeting_id=meeting.pk).select_related("history_user").first(),
    ]
    latest = max(
        (record for record in candidates if record is not None),
        key=lambda record: record.history_date,
        default=None,
    )
    return latest.history_user if latest is not None else None


@transaction.atomic
def meeting_publish(meeting: Meeting) -> bool:
    """Publish a meeting once its minutes are approved; False if it already was."""
    locked = meeting_lock(meeting.pk)
    if locked is None or locked.is_published:
        return False
    locked.is_published = True
    locked.published_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["is_published", "published_at", "version", "updated_at"])
    meeting.is_published = locked.is_published
    meeting.published_at = locked.published_at
    meeting.version = locked.version
    return True


@dataclass
class ReportRow:
    promise: Promise
    follow_ups: list[FollowUp]


def meeting_report_rows(meeting: Meeting) -> list[ReportRow]:
    """Every promise of the meeting's period with the meeting's follow-ups of it."""
    promises = Promise.objects.filter(period=meeting.period_id).with_progress()
    follow_ups: dict[int, list[FollowUp]] = {}
    for follow_up in FollowUp.objects.filter(meeting=meeting).select_related("activity"):
        follow_ups.setdefault(follow_up.promise_id, []).append(follow_up)
    return [
        ReportRow(promise, follow_ups.get(promise.pk, []))
        for promise in promises.order_by("order", "pk")
    ]
