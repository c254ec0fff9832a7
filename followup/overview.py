"""The national overview: every municipality, how far its promises have come, and
whether its council follows them up on time. The one place for these rules, read by
the public start page (``website``) and the open data (``opendata``) alike.

* **The current period** is the start page's: published, the one in force today,
  else the one that started last (``PeriodQuerySet.current_first``).
* **Promises and progress** are the period's roll-up (``activities/rollup.py``,
  through ``Period.objects.with_progress()``): the number of promises and the plain
  mean of their progress.
* **The last follow-up** is the date of the newest held and published meeting of the
  council for that period (``MeetingQuerySet.published().held()``).
* **Overdue** (``follow_up_due`` and ``is_overdue``): the council's follow-up cadence
  (``Council.follow_up_cadence``; "at every meeting" reads the meeting cadence) gives
  an interval. The next follow-up is due one interval after the last one, or after
  the period's start when there has been none. It is overdue when today is more than
  ``GRACE_DAYS`` past that date. Once a follow-up is held on or after the period's
  last day, nothing more is due. "At the end of the period" is due on the period's
  last day. A council without a known cadence is never flagged: there is nothing to
  hold it to.

Everything is read in a fixed number of queries (two), whatever the number of
municipalities; filtering by name and the sorting are done on the loaded rows.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from followup.models import Council, Meeting
from promises.models import County, Municipality, Period

# polisen.se's page on medborgarlöften: where a municipality without promises in the
# portal may have published its own.
POLICE_PROMISES_URL = "https://polisen.se/om-polisen/polisens-arbete/medborgarloften/"

# Days past the due date before a follow-up counts as overdue: a meeting moved a few
# weeks is not a council that has stopped following up.
GRACE_DAYS = 30

Cadence = Council.FollowUpCadence

# The longest a step of each cadence can be, in days.
INTERVAL_DAYS = {
    Cadence.WEEK: 7,
    Cadence.MONTH: 31,
    Cadence.QUARTER: 92,
    Cadence.TERTIAL: 123,
    Cadence.HALF_YEAR: 184,
    Cadence.YEAR: 366,
}
# "At every meeting": as often as the council meets.
MEETING_INTERVAL_DAYS = {
    Council.MeetingCadence.MONTH: 31,
    Council.MeetingCadence.QUARTER: 92,
    Council.MeetingCadence.TERTIAL: 123,
    Council.MeetingCadence.HALF_YEAR: 184,
    Council.MeetingCadence.YEAR: 366,
}


class Sort(StrEnum):
    """What the overview can be sorted by. Name A–Ö; the others largest or newest first."""

    NAME = "name"
    PROGRESS = "progress"
    LAST_FOLLOW_UP = "last_follow_up"


def follow_up_interval(follow_up_cadence: str, meeting_cadence: str) -> int | None:
    """Days between two follow-ups by the council's cadences, or None when not known."""
    if follow_up_cadence == Cadence.EVERY_MEETING:
        return MEETING_INTERVAL_DAYS.get(meeting_cadence)
    return INTERVAL_DAYS.get(follow_up_cadence)


def follow_up_due(
    *,
    follow_up_cadence: str,
    meeting_cadence: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    last_follow_up: datetime.date | None,
) -> datetime.date | None:
    """The day the next follow-up of a period is due, or None when none is (or unknown)."""
    if last_follow_up is not None and last_follow_up >= ends_on:
        return None  # followed up to the period's end
    if follow_up_cadence == Cadence.END_OF_PERIOD:
        return ends_on
    interval = follow_up_interval(follow_up_cadence, meeting_cadence)
    if interval is None:
        return None
    return (last_follow_up or starts_on) + datetime.timedelta(days=interval)


def is_overdue(due: datetime.date | None, today: datetime.date) -> bool:
    return due is not None and today > due + datetime.timedelta(days=GRACE_DAYS)


@dataclass(frozen=True)
class MunicipalityStatus:
    """One municipality in the overview: its current period, or none in the portal."""

    municipality: Municipality
    period: Period | None  # with ``progress`` and ``promise_count`` (the roll-up)
    last_follow_up: datetime.date | None
    follow_up_cadence: str  # Council.FollowUpCadence value, "" when not known
    due: datetime.date | None
    overdue: bool

    @property
    def has_promises(self) -> bool:
        return self.period is not None

    @property
    def promise_count(self) -> int:
        return self.period.promise_count if self.period else 0

    @property
    def progress(self) -> float | None:
        return float(self.period.progress) if self.period else None

    @property
    def county(self) -> County | None:
        return self.municipality.county

    @property
    def follow_up_cadence_label(self) -> str:
        if not self.follow_up_cadence:
            return ""
        return str(dict(Cadence.choices).get(self.follow_up_cadence, self.follow_up_cadence))


def current_periods(today: datetime.date | None = None) -> QuerySet[Period]:
    """Each municipality's current period, with its roll-up and the last follow-up's date."""
    today = today or timezone.localdate()
    current = (
        Period.objects.published()
        .filter(municipality=OuterRef("municipality"))
        .current_first(today)
        .values("pk")[:1]
    )
    last_follow_up = (
        Meeting.objects.published()
        .held(today)
        .filter(period=OuterRef("pk"))
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        Period.objects.published()
        .filter(pk=Subquery(current))
        .with_progress(today)
        .annotate(last_follow_up=Subquery(last_follow_up))
    )


# Swedish alphabetical order: å, ä and ö after z; é as e, ü as y.
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e", "ü": "y"})


def swedish_sort_key(name: str) -> str:
    return name.casefold().translate(_SWEDISH)


def _matches(name: str, search: str) -> bool:
    return search.casefold() in name.casefold()


def national_overview(
    *,
    county: str = "",
    search: str = "",
    sort: Sort = Sort.NAME,
    today: datetime.date | None = None,
) -> list[MunicipalityStatus]:
    """Every municipality (of the county with the code ``county``, whose name contains
    ``search``, any case), sorted.

    Municipalities without a current period are listed too (``has_promises`` is
    False); sorted by progress or last follow-up they come after those that have
    one, and, by last follow-up, those never followed up after the others.
    """
    today = today or timezone.localdate()
    municipalities = Municipality.objects.select_related("county", "council")
    periods = current_periods(today)
    if county:
        municipalities = municipalities.filter(county__code=county)
        periods = periods.filter(municipality__county__code=county)
    search = search.strip()
    found = [m for m in municipalities if not search or _matches(m.name, search)]
    if search:
        periods = periods.filter(municipality__in=[m.pk for m in found])
    period_of = {period.municipality_id: period for period in periods}
    rows = []
    for municipality in found:
        period = period_of.get(municipality.pk)
        council = getattr(municipality, "council", None)
        cadence = council.follow_up_cadence if council else ""
        last = period.last_follow_up if period else None
        due = None
        if period is not None and council is not None:
            period.municipality = municipality
            due = follow_up_due(
                follow_up_cadence=council.follow_up_cadence,
                meeting_cadence=council.meeting_cadence,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                last_follow_up=last,
            )
        rows.append(
            MunicipalityStatus(
                municipality=municipality,
                period=period,
                last_follow_up=last,
                follow_up_cadence=cadence,
                due=due,
                overdue=is_overdue(due, today),
            )
        )
    return sort_overview(rows, sort)


def sort_overview(rows: list[MunicipalityStatus], sort: Sort) -> list[MunicipalityStatus]:
    by_name = sorted(rows, key=lambda row: swedish_sort_key(row.municipality.name))
    if sort == Sort.PROGRESS:
        # Largest first; those without promises last (sorted() keeps the name order).
        return sorted(
            by_name,
            key=lambda row: (row.progress is None, -(row.progress or 0.0)),
        )
    if sort == Sort.LAST_FOLLOW_UP:
        return sorted(
            by_name,
            key=lambda row: (
                not row.has_promises,
                row.last_follow_up is None,
                -(row.last_follow_up.toordinal() if row.last_follow_up else 0),
            ),
        )
    return by_name


def counties() -> list[County]:
    """The counties to filter by, in the order of their codes (as Statistics Sweden lists them)."""
    return list(County.objects.order_by("code"))
