"""The secretary's work: the facts a follow-up is based on, and every write of the
council, its meetings and their follow-ups."""

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from types import ModuleType

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import is_historic

from accounts.municipalities import for_user
from accounts.permissions import SYSTEM, require
from activities.models import Activity, ProgressUpdate
from activities.targets import TargetSummary, promise_target_summaries
from followup.models import (
    MEETING_UNLIKELY_AFTER_DAYS,
    Council,
    FollowUp,
    Meeting,
    MeetingCorrection,
)
from followup.signals import meeting_published
from promises.models import Period, Promise
from promises.services import TimraLoadResult, load_timra_plan

UPDATES_SHOWN_PER_PROMISE = 10


def load_timra(data: ModuleType, *, user=SYSTEM) -> TimraLoadResult:
    """Timrå's published promises (``promises.services.load_timra_plan``) and their council.

    Creates only what is missing, like the plan's load; an existing council is kept.
    """
    result = load_timra_plan(data, user=user)
    municipality = result.period.municipality
    _council, created = Council.objects.get_or_create(
        municipality=municipality, defaults=data.COUNCIL
    )
    result.created += created
    return result


@dataclass
class PromiseFacts:
    """A promise with its roll-up, the progress updates since the previous meeting, the
    council's previous assessment of it (with the next steps it decided) and its late
    activities."""

    promise: Promise
    since: date | None = None
    updates: list[ProgressUpdate] = field(default_factory=list)
    update_count: int = 0
    # Target against outcome per step, for the promise's indicators with a cadenced target.
    targets: list[TargetSummary] = field(default_factory=list)
    previous: FollowUp | None = None
    late_activities: list[Activity] = field(default_factory=list)


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
    """Everything the follow-up rows show, in five queries whatever the number of promises."""
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
    summaries = promise_target_summaries(promises, period=period, today=meeting_date)
    facts = {
        promise.pk: PromiseFacts(promise, since, targets=summaries[promise.pk])
        for promise in promises
    }
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
    if council is not None:
        # The latest assessment of each promise by this council before the meeting
        # ("Ej behandlat" is no assessment: the one before it counts).
        earlier = (
            FollowUp.objects.assessed()
            .filter(
                meeting__council=council,
                meeting__date__lt=meeting_date,
                promise__period=period,
                activity__isnull=True,
            )
            .select_related("meeting")
            .order_by("-meeting__date", "-meeting__start_time", "-pk")
        )
        for follow_up in earlier:
            promise_facts = facts.get(follow_up.promise_id)
            if promise_facts is not None and promise_facts.previous is None:
                promise_facts.previous = follow_up
    # Late by the same rule and on the same day as the roll-up's count beside it.
    for activity in Activity.objects.filter(promise__period=period).late().order_by(
        "order", "pk"
    ):
        promise_facts = facts.get(activity.promise_id)
        if promise_facts is not None:
            promise_facts.late_activities.append(activity)
    return FollowUpContext(period, previous_meeting, facts, promises)


def current_periods(user, today: date | None = None) -> list[Period]:
    """The periods a new meeting most likely follows up, one per municipality of the user.

    A municipality's current period is the one in force today; when none is, the one
    that started last (a council often follows a period up after its end). Two in
    force at once are both current. With exactly one, the admin skips the choice.
    """
    today = today or timezone.localdate()
    periods = for_user(user, Period.objects.select_related("municipality")).filter(
        starts_on__lte=today
    )
    by_municipality: dict[int, list[Period]] = {}
    for period in periods.order_by("municipality_id", "-starts_on", "-pk"):
        by_municipality.setdefault(period.municipality_id, []).append(period)
    current = {
        municipality: [p for p in started if p.ends_on >= today] or started[:1]
        for municipality, started in by_municipality.items()
    }
    return [period for chosen in current.values() for period in chosen]


def meeting_initial(council: Council | None) -> dict:
    """Start time and place as at the council's latest meeting: they rarely change."""
    if council is None:
        return {}
    latest = (
        Meeting.objects.filter(council=council)
        .exclude(place="")
        .order_by("-date", "-start_time")
        .values("start_time", "place")
        .first()
    )
    if latest is None:
        return {}
    initial = {"place": latest["place"]}
    if isinstance(latest["start_time"], time):
        initial["start_time"] = latest["start_time"]
    return initial


# --- Writes --------------------------------------------------------------------
# Every write of councils, meetings and follow-ups goes through the functions below;
# each asks ``accounts.permissions`` first.
#
# Optimistic locking: a form for a meeting or one of its follow-ups carries the
# meeting's ``version`` as it was when the form was opened. ``meeting_save`` (and
# the follow-up services, which count as a change of their meeting) lock the
# meeting's row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction
# takes the write lock at BEGIN IMMEDIATE), compare, and raise the version, so of
# two secretaries saving the same meeting at the same moment exactly one wins and
# the other gets a ``MeetingConflict``.
#
# Public records: a meeting that is or was published, and its follow-ups, are never
# deleted, and every change to one needs a reason, stored as a ``MeetingCorrection``
# with the earlier wording and shown on the public meeting page.

# The texts whose earlier wording a correction keeps (what the public page shows).
MEETING_CORRECTED_FIELDS = ("date", "start_time", "place", "attendees", "agenda", "minutes")
FOLLOW_UP_CORRECTED_FIELDS = ("promise", "activity", "assessment", "comment", "next_steps")
# Owned by meeting_publish and meeting_unpublish; a form (or a reverted version) never sets them.
CORRECTION_REASON_MISSING = gettext_lazy(
    "Sammanträdet är publicerat. Skriv skälet till rättelsen; det visas offentligt "
    "tillsammans med den tidigare lydelsen."
)
PUBLICATION_FIELDS = ("is_published", "published_at", "first_published_at")


@dataclass
class MeetingConflict:
    """Someone saved the meeting (or one of its follow-ups) after the form was opened."""

    meeting: Meeting

    @property
    def editor(self):
        return meeting_last_editor(self.meeting)

    def message(self) -> str:
        editor = self.editor
        if editor is None:
            return _(
                "Sammanträdet har ändrats av någon annan sedan du öppnade det. Det du skrev "
                "visas nedan men har inte sparats. Ladda om sidan för att se de nya "
                "uppgifterna och gör sedan dina ändringar igen."
            )
        return _(
            "Sammanträdet har ändrats av %(name)s sedan du öppnade det. Det du skrev visas "
            "nedan men har inte sparats. Ladda om sidan för att se de nya uppgifterna och "
            "gör sedan dina ändringar igen."
        ) % {"name": editor.get_full_name() or editor.get_username()}


@dataclass
class MeetingSaved:
    meeting: Meeting
    correction: MeetingCorrection | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class FollowUpChanges:
    """Follow-ups to write with their meeting: new or changed rows, and rows to delete."""

    saved: list[FollowUp] = field(default_factory=list)
    deleted: list[FollowUp] = field(default_factory=list)


def _history_user(obj, user) -> None:
    # django-simple-history's documented way to name the author outside a request.
    obj._history_user = user


def meeting_lock(pk: int) -> Meeting | None:
    """The meeting, its row locked until the transaction ends; None if it is gone."""
    return Meeting.objects.select_for_update().filter(pk=pk).first()


def meeting_version_matches(meeting: Meeting, submitted: str | int | None) -> bool:
    """Whether a form's hidden version is the meeting's current one."""
    return str(submitted if submitted is not None else "").strip() == str(meeting.version)


def meeting_conflict(pk: int | None, opened_version: str | int | None) -> MeetingConflict | None:
    """Check a form early, so its page can show the conflict next to the input.

    Inside the caller's transaction the row stays locked until it ends, so the
    service that saves afterwards finds the same version; the service checks again.
    """
    if pk is None:
        return None
    with transaction.atomic():
        current = meeting_lock(pk)
    if current is None or meeting_version_matches(current, opened_version):
        return None
    return MeetingConflict(current)


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


def meeting_is_public_record(meeting: Meeting) -> bool:
    """Whether changing the meeting needs a reason; a version from the history (the
    revert form) is judged by the meeting as it is now."""
    if is_historic(meeting):
        current = Meeting.objects.filter(pk=meeting.pk).first()
        return current is not None and current.is_public_record
    return meeting.is_public_record


def meeting_same_day_warning(meeting: Meeting) -> str | None:
    """A warning (not an error) when the council already has a meeting that day."""
    if meeting.council_id is None or meeting.date is None:
        return None
    others = Meeting.objects.filter(council=meeting.council_id, date=meeting.date)
    if meeting.pk is not None:
        others = others.exclude(pk=meeting.pk)
    if not others.exists():
        return None
    return _(
        "Rådet har redan ett sammanträde den %(date)s. Kontrollera att det inte är samma "
        "sammanträde som lagts in två gånger."
    ) % {"date": date_format(meeting.date, "j F Y")}


def meeting_date_warnings(meeting: Meeting, today: date | None = None) -> list[str]:
    """Dates that are allowed but unlikely: before the period began, or more than a year
    from today (a mistyped year). Beyond the hard limits ``Meeting.clean`` refuses."""
    if meeting.date is None:
        return []
    today = today or timezone.localdate()
    warnings = []
    period = Period.objects.filter(pk=meeting.period_id).first() if meeting.period_id else None
    if period is not None and meeting.date < period.starts_on:
        warnings.append(
            _(
                "Datumet %(date)s ligger före löftesperiodens början (%(start)s). "
                "Kontrollera datumet."
            )
            % {
                "date": date_format(meeting.date, "j F Y"),
                "start": date_format(period.starts_on, "j F Y"),
            }
        )
    if meeting.date < today - timedelta(days=MEETING_UNLIKELY_AFTER_DAYS):
        warnings.append(
            _("Datumet %(date)s ligger mer än ett år bakåt i tiden. Kontrollera årtalet.")
            % {"date": date_format(meeting.date, "j F Y")}
        )
    elif meeting.date > today + timedelta(days=MEETING_UNLIKELY_AFTER_DAYS):
        warnings.append(
            _("Datumet %(date)s ligger mer än ett år fram i tiden. Kontrollera årtalet.")
            % {"date": date_format(meeting.date, "j F Y")}
        )
    return warnings


def meeting_warnings(meeting: Meeting, current: Meeting | None = None) -> list[str]:
    """What the secretary must confirm before the meeting is saved: an unlikely date and
    a second meeting of the council on one day. Asked only when the meeting is new or
    its date or council changes (``current`` is the meeting as stored)."""
    if current is not None and (current.date, current.council_id) == (
        meeting.date,
        meeting.council_id,
    ):
        return []
    warnings = meeting_date_warnings(meeting)
    same_day = meeting_same_day_warning(meeting)
    if same_day:
        warnings.append(same_day)
    return warnings


def meeting_warnings_check(meeting: Meeting, current: Meeting | None, confirmed: bool) -> None:
    """Raise the warnings on ``date`` unless the secretary has confirmed them."""
    warnings = meeting_warnings(meeting, current)
    if warnings and not confirmed:
        raise ValidationError(
            {"date": [ValidationError(w, code="unconfirmed_warning") for w in warnings]}
        )


PUBLICATION_NEEDS_ASSESSMENT = gettext_lazy(
    "Välj rådets bedömning innan sammanträdet publiceras, eller ”Ej behandlat” med "
    "skälet i kommentaren."
)


def promises_without_assessment(meeting: Meeting) -> list[Promise]:
    """The promises of the meeting's period it has no row for: publishing waits for them.

    A row is the council's assessment of the whole promise, or an explicit "Ej
    behandlat" with its reason.
    """
    covered = FollowUp.objects.filter(meeting=meeting, activity__isnull=True).values("promise_id")
    return list(
        Promise.objects.filter(period=meeting.period_id)
        .exclude(pk__in=covered)
        .order_by("order", "pk")
    )


def meeting_publication_check(meeting: Meeting) -> None:
    """Raise a ValidationError naming each promise without an assessment."""
    missing = promises_without_assessment(meeting)
    if missing:
        raise ValidationError(
            _(
                "%(meeting)s kan inte publiceras: %(titles)s saknar rådets bedömning. "
                "Välj en bedömning, eller ”Ej behandlat” med skälet, för varje löfte."
            )
            % {"meeting": meeting, "titles": ", ".join(f"”{p.title}”" for p in missing)},
            code="unassessed_promises",
        )


def _text(value) -> str | None:
    if value is None:
        return None
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


def _meeting_changes(current: Meeting, meeting: Meeting) -> list[dict]:
    return [
        {"field": name, "before": _text(getattr(current, name))}
        for name in MEETING_CORRECTED_FIELDS
        if getattr(current, name) != getattr(meeting, name)
    ]


def _follow_up_changes(saved: list[FollowUp], added: bool = False) -> list[dict]:
    """The earlier wording of each changed follow-up (one query), and the added ones
    (all of them when ``added``: moved in from another meeting)."""
    earlier = {}
    if not added:
        earlier = FollowUp.objects.select_related("promise", "activity").in_bulk(
            [follow_up.pk for follow_up in saved if follow_up.pk is not None]
        )
    changes = []
    for follow_up in saved:
        before = earlier.get(follow_up.pk)
        subject = before or follow_up
        names = {
            "promise": subject.promise.title,
            "activity": subject.activity.title if subject.activity_id else None,
        }
        if before is None:
            changes.append({"field": "assessment", **names, "before": None})
            continue
        for name in FOLLOW_UP_CORRECTED_FIELDS:
            attname = FollowUp._meta.get_field(name).attname
            if getattr(before, attname) != getattr(follow_up, attname):
                old = getattr(before, name)
                if FollowUp._meta.get_field(name).is_relation:
                    old = old.title if old is not None else ""
                changes.append({"field": name, **names, "before": _text(old)})
    return changes


def correction_reason_check(reason: str | None, field_name: str = "correction_reason") -> str:
    """The reason a change to a published meeting needs, or a ValidationError on ``field_name``."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field_name: CORRECTION_REASON_MISSING})
    return reason


def meeting_correction_record(
    *, user, meeting: Meeting, reason: str, changes: list[dict]
) -> MeetingCorrection:
    """Record a correction of a published meeting made through another app (its earlier
    wording in ``changes``, see ``MeetingCorrection``); the reason is required."""
    require(user, "followup.change_meeting", meeting)
    return MeetingCorrection.objects.create(
        meeting=meeting,
        kind=MeetingCorrection.Kind.CORRECTION,
        reason=correction_reason_check(reason),
        changes=changes,
        made_by=user if getattr(user, "pk", None) else None,
    )


def _follow_up_perm(follow_up: FollowUp) -> str:
    return "followup.add_followup" if follow_up.pk is None else "followup.change_followup"


def _write_follow_ups(user, meeting: Meeting, follow_ups: FollowUpChanges) -> None:
    for follow_up in follow_ups.deleted:
        follow_up.meeting = meeting
        require(user, "followup.delete_followup", follow_up)
        _history_user(follow_up, user)
        follow_up.delete()
    for follow_up in follow_ups.saved:
        follow_up.meeting = meeting
        require(user, _follow_up_perm(follow_up), follow_up)
        follow_up.full_clean()
        _history_user(follow_up, user)
        follow_up.save()


@transaction.atomic
def meeting_save(
    *,
    user,
    meeting: Meeting,
    opened_version: str | int | None,
    follow_ups: FollowUpChanges | None = None,
    reason: str = "",
    warnings_confirmed: bool = False,
    publish: bool = False,
) -> MeetingSaved | MeetingConflict:
    """Create or change a meeting, with its follow-ups, as one new version.

    ``opened_version`` is the version the form showed (ignored when creating).
    A published meeting changes only with a ``reason``; the change is stored as a
    correction with the earlier wording. Publication fields are never taken from
    ``meeting``: they belong to ``meeting_publish`` and ``meeting_unpublish``; with
    ``publish`` the meeting is published in the same transaction (or nothing is saved).
    A new date or council that ``meeting_warnings`` finds unlikely is saved only
    with ``warnings_confirmed``.
    """
    follow_ups = follow_ups or FollowUpChanges()
    if meeting.pk is None:
        require(user, "followup.add_meeting", meeting)
        meeting.is_published, meeting.published_at, meeting.first_published_at = False, None, None
        meeting.version = 1
        meeting.full_clean()
        warnings = meeting_warnings(meeting)
        meeting_warnings_check(meeting, None, warnings_confirmed)
        _history_user(meeting, user)
        meeting.save()
        _write_follow_ups(user, meeting, follow_ups)
        if publish:
            meeting_publish(user=user, meeting=meeting)
        return MeetingSaved(meeting, warnings=warnings)

    require(user, "followup.change_meeting", meeting)
    current = meeting_lock(meeting.pk)
    if current is None:
        raise Meeting.DoesNotExist
    if not meeting_version_matches(current, opened_version):
        return MeetingConflict(current)
    for name in PUBLICATION_FIELDS:
        setattr(meeting, name, getattr(current, name))
    changes = []
    if current.is_public_record:  # the earlier wording is kept for public records only
        changes = _meeting_changes(current, meeting) + _follow_up_changes(follow_ups.saved)
    correction = None
    if changes or (current.is_public_record and follow_ups.deleted):
        reason = correction_reason_check(reason)
    meeting.full_clean()
    warnings = meeting_warnings(meeting, current)
    meeting_warnings_check(meeting, current, warnings_confirmed)
    meeting.version = current.version + 1  # the row is locked: nobody saved since it was read
    _history_user(meeting, user)
    meeting.save()
    _write_follow_ups(user, meeting, follow_ups)
    if publish:
        meeting_publish(user=user, meeting=meeting)
    if changes:
        correction = MeetingCorrection.objects.create(
            meeting=meeting,
            kind=MeetingCorrection.Kind.CORRECTION,
            reason=reason,
            changes=changes,
            made_by=user,
        )
    return MeetingSaved(meeting, correction, warnings)


def _meeting_bump(pk: int) -> None:
    Meeting.objects.filter(pk=pk).update(version=F("version") + 1)


@transaction.atomic
def follow_up_save(
    *, user, follow_up: FollowUp, opened_version: str | int | None, reason: str = ""
) -> MeetingSaved | MeetingConflict:
    """Create or change one follow-up on its own; a new version of its meeting (or both
    meetings, when it moves). Like ``meeting_save`` a published meeting needs a reason."""
    require(user, _follow_up_perm(follow_up), follow_up)
    original_meeting_id = None
    if follow_up.pk is not None:
        original_meeting_id = (
            FollowUp.objects.filter(pk=follow_up.pk).values_list("meeting_id", flat=True).first()
        )
    meeting_ids = sorted({pk for pk in (original_meeting_id, follow_up.meeting_id) if pk})
    locked = {pk: meeting_lock(pk) for pk in meeting_ids}  # in pk order: no deadlock
    if any(meeting is None for meeting in locked.values()):
        raise Meeting.DoesNotExist
    if original_meeting_id is not None and not meeting_version_matches(
        locked[original_meeting_id], opened_version
    ):
        return MeetingConflict(locked[original_meeting_id])
    meeting = locked[follow_up.meeting_id]
    follow_up.meeting = meeting
    moved_from = locked.get(original_meeting_id) if original_meeting_id != meeting.pk else None
    if moved_from is not None and moved_from.is_public_record:
        raise ValidationError(
            {"meeting": _("En uppföljning av ett publicerat sammanträde kan inte flyttas.")}
        )
    moved_in = original_meeting_id is not None and original_meeting_id != meeting.pk
    changes = []
    if meeting.is_public_record:
        changes = _follow_up_changes([follow_up], added=moved_in)
    needs_reason = bool(changes)
    if needs_reason:
        reason = correction_reason_check(reason)
    _write_follow_ups(user, meeting, FollowUpChanges(saved=[follow_up]))
    for pk in meeting_ids:
        _meeting_bump(pk)
    correction = None
    if needs_reason:
        correction = MeetingCorrection.objects.create(
            meeting=meeting,
            kind=MeetingCorrection.Kind.CORRECTION,
            reason=reason,
            changes=changes,
            made_by=user,
        )
    return MeetingSaved(meeting, correction)


@transaction.atomic
def follow_up_delete(*, user, follow_up: FollowUp) -> None:
    """Delete a follow-up of a meeting never published (a public record's are kept)."""
    locked = meeting_lock(follow_up.meeting_id)
    if locked is not None:
        follow_up.meeting = locked
    require(user, "followup.delete_followup", follow_up)
    _history_user(follow_up, user)
    follow_up.delete()
    _meeting_bump(follow_up.meeting_id)


@transaction.atomic
def meeting_delete(*, user, meeting: Meeting) -> None:
    """Delete a meeting never published, with its follow-ups (a public record is kept)."""
    locked = meeting_lock(meeting.pk) or meeting
    require(user, "followup.delete_meeting", locked)
    for follow_up in FollowUp.objects.filter(meeting=locked):
        _history_user(follow_up, user)
        follow_up.delete()
    _history_user(locked, user)
    locked.delete()


@transaction.atomic
def meeting_publish(*, user, meeting: Meeting) -> bool:
    """Publish a meeting once its minutes are approved; False if it already was.

    Every promise of the period needs a row first (``meeting_publication_check``).
    The first publication date is kept for good; publishing again after an
    unpublishing is logged as a correction of its own.
    """
    require(user, "followup.publish_meeting", meeting)
    locked = meeting_lock(meeting.pk)
    if locked is None or locked.is_published:
        return False
    meeting_publication_check(locked)
    now = timezone.now()
    republished = locked.first_published_at is not None
    locked.is_published = True
    locked.published_at = now
    locked.first_published_at = locked.first_published_at or now
    locked.version += 1
    _history_user(locked, user)
    locked.save(
        update_fields=[
            "is_published",
            "published_at",
            "first_published_at",
            "version",
            "updated_at",
        ]
    )
    if republished:
        MeetingCorrection.objects.create(
            meeting=locked, kind=MeetingCorrection.Kind.REPUBLISHED, made_by=user, made_at=now
        )
    promise_ids = sorted(
        {
            promise_id
            for row in locked.follow_ups.values_list("promise_id", "activity__promise_id")
            for promise_id in row
            if promise_id is not None
        }
    )
    transaction.on_commit(
        lambda: meeting_published.send(
            sender=Meeting, meeting_id=locked.pk, promise_ids=promise_ids
        ),
        # A receiver's failure is logged; the meeting is published regardless.
        robust=True,
    )
    for name in (*PUBLICATION_FIELDS, "version"):
        setattr(meeting, name, getattr(locked, name))
    return True


@transaction.atomic
def meeting_unpublish(*, user, meeting: Meeting, reason: str) -> bool:
    """Take a published meeting off the site (administrators, with a public reason).

    The meeting stays a public record: its page tells residents that and why, and
    it is never deleted. False if it was not published.
    """
    require(user, "followup.unpublish_meeting", meeting)
    reason = _require_reason_for_unpublishing(reason)
    locked = meeting_lock(meeting.pk)
    if locked is None or not locked.is_published:
        return False
    locked.is_published = False
    locked.version += 1
    _history_user(locked, user)
    locked.save(update_fields=["is_published", "version", "updated_at"])
    MeetingCorrection.objects.create(
        meeting=locked, kind=MeetingCorrection.Kind.UNPUBLISHED, reason=reason, made_by=user
    )
    for name in (*PUBLICATION_FIELDS, "version"):
        setattr(meeting, name, getattr(locked, name))
    return True


def _require_reason_for_unpublishing(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Skriv skälet till att sammanträdet avpubliceras; det visas offentligt.")}
        )
    return reason


@transaction.atomic
def council_save(*, user, council: Council) -> Council:
    perm = "followup.add_council" if council.pk is None else "followup.change_council"
    require(user, perm, council)
    council.full_clean()
    _history_user(council, user)
    council.save()
    return council


@transaction.atomic
def council_delete(*, user, council: Council) -> None:
    require(user, "followup.delete_council", council)
    _history_user(council, user)
    council.delete()


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


# --- The printable protocol -------------------------------------------------------

_AGENDA_NUMBERING = re.compile(r"^\s*(?:§\s*\d+\s*[.):]?\s*|\d+\s*[.):]\s*|[-–*•]\s+)")


def agenda_items(agenda: str) -> list[str]:
    """The agenda one item per line, without the numbering the secretary may have typed."""
    return [
        _AGENDA_NUMBERING.sub("", line).strip() for line in agenda.splitlines() if line.strip()
    ]


@dataclass
class ProtocolParagraph:
    """One numbered paragraph (§) of the protocol."""

    number: int
    heading: str
    agenda: list[str] = field(default_factory=list)
    text: str = ""
    row: ReportRow | None = None


@dataclass
class Protocol:
    """The meeting as Swedish minutes are set out: who met where and when, a numbered
    paragraph for the agenda, for the minutes and for each promise followed up, and the
    signatures (the secretary's, then the chair's and the adjuster's)."""

    meeting: Meeting
    paragraphs: list[ProtocolParagraph]

    @property
    def attendees(self):
        return self.meeting.attendee_rows()

    @property
    def signatures(self) -> list[dict]:
        meeting = self.meeting
        return [
            {
                "heading": _("Vid protokollet"),
                "role": _("Sekreterare"),
                "name": meeting.attendee_named("sekreterare"),
            },
            {
                "heading": _("Justeras"),
                "role": _("Ordförande"),
                "name": meeting.attendee_named("ordförande"),
            },
            {"heading": "", "role": _("Justerare"), "name": meeting.attendee_named("justera")},
        ]


def meeting_protocol(meeting: Meeting) -> Protocol:
    """The printable protocol of a meeting (two queries, for the follow-up rows)."""
    paragraphs = [
        ProtocolParagraph(1, _("Dagordning"), agenda=agenda_items(meeting.agenda)),
    ]
    if meeting.minutes.strip():
        paragraphs.append(ProtocolParagraph(2, _("Anteckningar"), text=meeting.minutes))
    for row in meeting_report_rows(meeting):
        paragraphs.append(
            ProtocolParagraph(
                len(paragraphs) + 1,
                _("Uppföljning av medborgarlöftet ”%(title)s”") % {"title": row.promise.title},
                row=row,
            )
        )
    return Protocol(meeting, paragraphs)
