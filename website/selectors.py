"""Read functions for the public pages: each builds a page's data in a fixed number of queries.

Progress, status and lateness always come from the roll-up annotations
(``with_progress()``), and only published data is ever returned: an unpublished
period, and everything under it, raises ``Http404``.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from activities import rollup
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import FollowUp, Meeting
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from website.meeting_selectors import latest_published_meeting, next_planned_meeting

LATEST_UPDATES_SHOWN = 5


def sole_municipality() -> Municipality | None:
    """The only municipality with a published period, if the portal holds just one.

    Site-wide pages (search, about) then show that municipality's menu, like the
    start page does.
    """
    # Two are enough to tell: loading every municipality cost the search page a
    # seventh of its time with 300 of them.
    municipalities = list(Municipality.objects.published().order_by("name")[:2])
    return municipalities[0] if len(municipalities) == 1 else None


def public_municipality(slug: str) -> Municipality:
    return get_object_or_404(Municipality.objects.published(), slug=slug)


def current_period(municipality: Municipality, today: date | None = None) -> Period:
    """The period in force today, else the most recently started; published only."""
    period = (
        Period.objects.published()
        .for_municipality(municipality)
        .current_first(today)
        .with_progress(today)
        .first()
    )
    if period is None:
        raise Http404
    period.municipality = municipality
    return period


def public_period(municipality_slug: str, period_slug: str) -> Period:
    """A published period with its progress, addressed by its municipality's and its own slug."""
    return get_object_or_404(
        Period.objects.published().with_progress().select_related("municipality"),
        municipality__slug=municipality_slug,
        slug=period_slug,
    )


def _promises(today: date | None = None) -> QuerySet:
    return (
        Promise.objects.published()
        .with_progress(today)
        .select_related("period__municipality")
        .prefetch_related("organisations")
    )


@dataclass
class PeriodOverview:
    period: Period
    focus_areas: list[FocusArea]
    promises: list[Promise]
    latest_updates: list[ProgressUpdate]
    latest_meeting: Meeting | None
    next_meeting: Meeting | None
    is_current: bool = False

    @property
    def has_ended(self) -> bool:
        return self.period.ends_on < timezone.localdate()


def period_overview(period: Period, *, is_current: bool = False) -> PeriodOverview:
    """The start page of a period: areas, promises, latest reports and meetings."""
    promises = list(_promises().filter(period=period).order_by("order", "pk"))
    focus_areas = list(
        FocusArea.objects.filter(period=period)
        .with_progress()
        .select_related("period__municipality")
        .order_by("order", "name")
    )
    # Each area lists its promises from the list above: one small query for the
    # links instead of the whole annotated promise query a second time.
    links = set(
        Promise.focus_areas.through.objects.filter(focusarea__period=period)
        .values_list("focusarea_id", "promise_id")
        .order_by()
    )
    for area in focus_areas:
        area.listed_promises = [p for p in promises if (area.pk, p.pk) in links]
    latest_updates = list(
        ProgressUpdate.objects.filter(activity__promise__period=period)
        .select_related("activity__promise__period__municipality", "organisation")
        .order_by("-reported_on", "-pk")[:LATEST_UPDATES_SHOWN]
    )
    # The start page shows the council's latest and next meetings whatever period they
    # follow up; a period's own page (such as an earlier one) only that period's.
    meetings_of = None if is_current else period
    return PeriodOverview(
        period=period,
        focus_areas=focus_areas,
        promises=promises,
        latest_updates=latest_updates,
        latest_meeting=latest_published_meeting(period.municipality, meetings_of),
        next_meeting=next_planned_meeting(period.municipality, meetings_of),
        is_current=is_current,
    )


def period_archive(municipality: Municipality, today: date | None = None) -> list[Period]:
    """Every published period of the municipality, the current one first."""
    periods = list(
        Period.objects.published()
        .for_municipality(municipality)
        .current_first(today)
        .with_progress(today)
    )
    for period in periods:
        period.municipality = municipality
    return periods


def filter_choices(period: Period) -> tuple[list[FocusArea], list[Organisation]]:
    """The focus areas and organisations a period's promise list can be filtered by."""
    focus_areas = list(FocusArea.objects.filter(period=period).order_by("order", "name"))
    organisations = list(
        Organisation.objects.filter(
            Q(promises__period=period)
            | Q(led_activities__promise__period=period)
            | Q(shared_activities__promise__period=period)
        )
        .distinct()
        .order_by("name")
    )
    return focus_areas, organisations


def promise_list(
    period: Period,
    *,
    focus_area: FocusArea | None = None,
    organisation: Organisation | None = None,
    status: str | None = None,
    late_only: bool = False,
) -> list[Promise]:
    """The period's promises, narrowed by the given filters (all optional)."""
    promises = _promises().filter(period=period)
    if focus_area is not None:
        promises = promises.filter(focus_areas=focus_area)
    if organisation is not None:
        responsible = Activity.objects.for_organisation(organisation).values("promise_id")
        promises = promises.filter(
            Q(pk__in=Promise.objects.filter(organisations=organisation).values("pk"))
            | Q(pk__in=responsible)
        )
    if status:
        promises = promises.filter(status=status)
    if late_only:
        promises = promises.filter(has_late_activities=True)
    return list(promises)


@dataclass
class PromiseDetail:
    promise: Promise
    activities: list[Activity]
    indicators: list[Indicator]
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def headline(self) -> rollup.PromiseHeadline:
        """The top of the page (the rule: ``rollup.promise_headline``), from what is loaded."""
        # Which follow-up leads is decided by the promise's query (``latest_assessment_id``).
        latest = next(
            (f for f in self.follow_ups if f.pk == self.promise.latest_assessment_id), None
        )
        reported = [a.last_reported_on for a in self.activities if a.last_reported_on]
        return rollup.promise_headline(
            status=self.promise.status,
            late_titles=[activity.title for activity in self.activities if activity.is_late],
            council_assessment=latest.assessment if latest else None,
            council_date=latest.meeting.date if latest else None,
            last_reported_on=max(reported, default=None),
        )


def _published_follow_ups() -> QuerySet:
    return FollowUp.objects.filter(meeting__in=Meeting.objects.published()).select_related(
        "meeting__council__municipality", "activity"
    )


def _latest_assessment_id() -> Subquery:
    """The promise's newest published follow-up with an assessment (``FollowUpQuerySet.assessed``).

    "Ej behandlat" is no verdict, so the latest assessment before it leads.
    """
    return Subquery(
        _published_follow_ups()
        .assessed()
        .filter(promise=OuterRef("pk"), activity__isnull=True)
        .order_by("-meeting__date", "-meeting_id")
        .values("pk")[:1]
    )


def _indicators() -> QuerySet:
    return Indicator.objects.prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "pk"))
    )


def public_promise(period: Period, promise_slug: str) -> Promise:
    """The promise's own row, without its roll-up: enough for a page's title and links."""
    promise = get_object_or_404(Promise.objects.filter(period=period), slug=promise_slug)
    promise.period = period
    return promise


def promise_detail(period: Period, promise_slug: str) -> PromiseDetail:
    promise = get_object_or_404(
        Promise.objects.filter(period=period)
        .with_progress()
        .annotate(latest_assessment_id=_latest_assessment_id())
        .select_related("period__municipality")
        .prefetch_related("organisations", "focus_areas"),
        slug=promise_slug,
    )
    activities = list(
        Activity.objects.filter(promise=promise)
        .with_progress()
        .select_related("lead_organisation")
        .prefetch_related(
            "other_organisations",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("organisation").order_by(
                    "-reported_on", "-pk"
                ),
            ),
            Prefetch("indicators", queryset=_indicators()),
            Prefetch(
                "follow_ups",
                queryset=_published_follow_ups().order_by("-meeting__date", "-pk"),
                to_attr="published_follow_ups",
            ),
        )
        .order_by("order", "pk")
    )
    for focus_area in promise.focus_areas.all():
        focus_area.period = period
    indicators = list(_indicators().filter(promise=promise))
    # A target per cadence step needs the period: known here, not fetched per indicator.
    for indicator in indicators:
        indicator.promise = promise
    for activity in activities:
        activity.promise = promise
    follow_ups = list(
        _published_follow_ups()
        .filter(promise=promise)
        .order_by(
            "-meeting__date",
            "-meeting_id",
            F("activity__order").asc(nulls_first=True),
            "activity_id",
        )
    )
    return PromiseDetail(
        promise=promise, activities=activities, indicators=indicators, follow_ups=follow_ups
    )


def focus_area_detail(period: Period, focus_area_slug: str) -> tuple[FocusArea, list[Promise]]:
    focus_area = get_object_or_404(
        FocusArea.objects.filter(period=period).with_progress(), slug=focus_area_slug
    )
    focus_area.period = period
    promises = list(_promises().filter(focus_areas=focus_area).order_by("order", "pk"))
    return focus_area, promises
