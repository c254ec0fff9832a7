"""Read functions for the public meeting pages, each a fixed number of queries.

What is public about a meeting: once it is published (its minutes approved, in a
published period) everything is. Before that, a *planned* meeting (dated after
today, in a published period) shows only its date, time and place, so residents
can come or follow it; its agenda, attendees, minutes and follow-ups stay hidden.
A meeting that has been held but is not yet published is not shown at all.

Published minutes are public records: each correction is shown on the meeting's
page with its reason and the earlier wording, and a meeting unpublished after
publication stays listed, its page (HTTP 410 Gone) saying when and why it was
withdrawn, without the minutes.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from followup.models import FollowUp, Meeting, MeetingCorrection
from promises.models import Municipality, Period, Promise


def _for_municipality(queryset: QuerySet, municipality: Municipality) -> QuerySet:
    return queryset.filter(council__municipality=municipality).select_related(
        "council__municipality", "period"
    )


def published_meetings(municipality: Municipality) -> list[Meeting]:
    """Published meetings, and those withdrawn after publication (shown as withdrawn)."""
    return list(_for_municipality(Meeting.objects.public_records(), municipality).order_by("-date"))


def planned_meetings(municipality: Municipality, today: date | None = None) -> list[Meeting]:
    """Planned meetings (``MeetingQuerySet.planned``): public with their date and place only."""
    return list(
        _for_municipality(Meeting.objects.planned(today), municipality).order_by(
            "date", "start_time"
        )
    )


def latest_published_meeting(
    municipality: Municipality, period: Period | None = None
) -> Meeting | None:
    """The newest held and published meeting, of one period when given."""
    meetings = _for_municipality(Meeting.objects.published().held(), municipality)
    if period is not None:
        meetings = meetings.filter(period=period)
    return meetings.order_by("-date", "-start_time").first()


def next_planned_meeting(
    municipality: Municipality, period: Period | None = None, today: date | None = None
) -> Meeting | None:
    """The next planned meeting (``MeetingQuerySet.planned``), of one period when given."""
    meetings = _for_municipality(Meeting.objects.planned(today), municipality)
    if period is not None:
        meetings = meetings.filter(period=period)
    return meetings.order_by("date", "start_time").first()


@dataclass
class MeetingDetail:
    meeting: Meeting
    promises: list[Promise]
    corrections: list[MeetingCorrection]

    @property
    def withdrawn(self) -> MeetingCorrection | None:
        """The unpublishing, when the meeting was taken off the site after publication."""
        if self.meeting.is_published:
            return None
        unpublished = [c for c in self.corrections if c.kind == MeetingCorrection.Kind.UNPUBLISHED]
        return unpublished[-1] if unpublished else None


def meeting_detail(municipality_slug: str, pk: int) -> MeetingDetail:
    """A published meeting with each promise of its period and the council's assessment of it.

    Every promise of the period is listed, so a promise the council did not follow
    up is visible as such; each carries ``meeting_follow_ups`` (whole promise first,
    then its activities).
    """
    meeting = get_object_or_404(
        Meeting.objects.public_records()
        .select_related("council__municipality", "period__municipality")
        .prefetch_related("corrections"),
        council__municipality__slug=municipality_slug,
        pk=pk,
    )
    corrections = list(meeting.corrections.all())
    if not meeting.is_published:
        return MeetingDetail(meeting=meeting, promises=[], corrections=corrections)
    follow_ups = FollowUp.objects.filter(meeting=meeting).select_related("activity")
    promises = list(
        Promise.objects.filter(period=meeting.period)
        .select_related("period__municipality")
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=follow_ups.order_by(
                    F("activity__order").asc(nulls_first=True), "activity_id"
                ),
                to_attr="meeting_follow_ups",
            )
        )
        .order_by("order", "pk")
    )
    return MeetingDetail(meeting=meeting, promises=promises, corrections=corrections)
