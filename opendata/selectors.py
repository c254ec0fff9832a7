"""What the open-data channels publish: exactly what the public pages show.

Every API endpoint, download, feed and the sitemap reads through these
functions, so the rule "only published data" lives in one place. Each returns
a queryset with the related rows it needs already joined or prefetched, so that
a list of any length costs a fixed number of queries.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup import overview
from followup.models import FollowUp, Meeting
from participation.models import Question
from promises.models import FocusArea, Municipality, Organisation, Period, Promise


def published_municipalities() -> QuerySet[Municipality]:
    return (
        Municipality.objects.published()
        .select_related("council")
        .prefetch_related(
            Prefetch(
                "periods",
                queryset=Period.objects.published().order_by("-starts_on"),
                to_attr="published_periods",
            )
        )
        .order_by("name", "pk")
    )


def published_periods(today: date | None = None) -> QuerySet[Period]:
    return (
        Period.objects.published()
        .with_progress(today)
        .select_related("municipality")
        .order_by("municipality__name", "-starts_on", "pk")
    )


def published_focus_areas(today: date | None = None) -> QuerySet[FocusArea]:
    return (
        FocusArea.objects.published()
        .with_progress(today)
        .select_related("period__municipality")
        .prefetch_related(
            Prefetch("promises", queryset=Promise.objects.order_by("order", "pk").only("id"))
        )
        .order_by("period__municipality__name", "-period__starts_on", "order", "pk")
    )


def published_promises(today: date | None = None) -> QuerySet[Promise]:
    return (
        Promise.objects.published()
        .with_progress(today)
        .select_related("period__municipality")
        .prefetch_related(
            "organisations",
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "pk")),
        )
        .order_by("period__municipality__name", "-period__starts_on", "order", "pk")
    )


def published_activities(today: date | None = None) -> QuerySet[Activity]:
    return (
        Activity.objects.published()
        .with_progress(today)
        .select_related("promise__period__municipality", "lead_organisation")
        .prefetch_related("other_organisations")
        .order_by(
            "promise__period__municipality__name",
            "-promise__period__starts_on",
            "promise__order",
            "promise_id",
            "order",
            "pk",
        )
    )


def published_progress_updates() -> QuerySet[ProgressUpdate]:
    """Newest first, as on the public timelines."""
    return (
        ProgressUpdate.objects.published()
        .select_related("activity__promise__period__municipality", "organisation")
        .order_by("-reported_on", "-pk")
    )


def published_indicators() -> QuerySet[Indicator]:
    return (
        Indicator.objects.published()
        .select_related("promise__period__municipality", "activity__promise__period__municipality")
        .prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on", "pk"))
        )
        .order_by("name", "pk")
    )


def published_measurements() -> QuerySet[Measurement]:
    return (
        Measurement.objects.published()
        .select_related("indicator__promise", "indicator__activity__promise")
        .order_by("indicator__name", "indicator_id", "measured_on", "pk")
    )


def published_meetings() -> QuerySet[Meeting]:
    """Meetings whose minutes are approved and published, newest first."""
    return (
        Meeting.objects.published()
        .select_related("council__municipality", "period__municipality")
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.published()
                .select_related("promise", "activity")
                .order_by("promise__order", "promise_id", "activity__order", "activity_id", "pk"),
            )
        )
        .order_by("-date", "-start_time", "-pk")
    )


def published_follow_ups() -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.published()
        .select_related(
            "meeting__council__municipality", "meeting__period__municipality", "promise", "activity"
        )
        .order_by("-meeting__date", "-meeting_id", "promise__order", "promise_id", "activity_id")
    )


def calendar_meetings(municipality: Municipality, today: date | None = None) -> QuerySet[Meeting]:
    """A council's meetings for its calendar: the published ones and the planned ones.

    A planned meeting (``MeetingQuerySet.planned``, as on the site) is announced
    as the start page's "next meeting" before its minutes exist, so the calendar
    shows it too, but only its date, time and place: agenda, attendees and
    minutes stay private until the meeting is published.
    """
    return (
        (Meeting.objects.published() | Meeting.objects.planned(today))
        .filter(council__municipality=municipality)
        .select_related("council__municipality", "period__municipality")
        .order_by("date", "start_time", "pk")
    )


def public_organisations() -> QuerySet[Organisation]:
    """Organisations named in published promises or activities."""
    return Organisation.objects.filter(
        Exists(Promise.objects.published().filter(organisations=OuterRef("pk")))
        | Exists(Activity.objects.published().for_organisation(OuterRef("pk")))
    )


def published_questions() -> QuerySet[Question]:
    """Residents' published questions, newest first; never their e-mail addresses."""
    return (
        Question.objects.published()
        .defer("email")
        .select_related("period__municipality", "promise", "focus_area", "meeting")
        .order_by("-created_at", "-pk")
    )


def national_overview(
    *,
    county: str = "",
    search: str = "",
    sort: overview.Sort = overview.Sort.NAME,
    today: date | None = None,
) -> list[overview.MunicipalityStatus]:
    """Every municipality with its current period's progress and follow-up (the start page's)."""
    return overview.national_overview(county=county, search=search, sort=sort, today=today)
