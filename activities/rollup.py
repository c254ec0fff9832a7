"""The progress roll-up and the "late" rule: the one place they are defined.

Everything is computed in the database as annotations, so a list of any length
costs a fixed number of queries:

* an activity's progress is the percent of its newest progress update (0 with
  none), its status that update's status ("planned" with none);
* an activity is *late* when its planned end has passed and it is neither
  completed nor cancelled;
* a promise's progress is the weighted mean of its activities' progress,
  cancelled activities left out (0 when none are left);
* a promise is completed when it has activities left and all are completed,
  in progress when any has started, otherwise not started; late activities are
  counted alongside;
* a focus area's and a period's progress is the plain mean over their promises;
* the headline of a promise page never contradicts the council
  (``promise_headline``, below).

Each annotation is one correlated SQL subquery (built from the models' table
names and status values only, never from input: hence the S608 exemptions),
written out below level by level (activity, promise, focus area and period) and
joined to the outer query's row through ``{outer}``. Written as SQL rather than as nested ORM
expressions because the ORM spent some 40 ms per page building and compiling
the nested expression trees, while the database answered in well under one
millisecond; a ``CorrelatedSQL`` costs next to nothing to compile. Every
subquery is driven by an index: ``update_newest`` for the newest update, and
the foreign-key indexes for the rest.
"""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    Expression,
    FloatField,
    IntegerField,
    QuerySet,
    Value,
)
from django.utils import timezone

# The council's "done" (followup.models.FollowUp.Assessment.DONE): followup sits
# above activities (README, "Layers"), so the value is written here and a test pins it.
COUNCIL_DONE = "done"


@dataclass(frozen=True)
class Names:
    """The tables the roll-up reads and the statuses it compares, taken from the models.

    Read once the models are loaded (this module is imported by
    ``activities.models`` itself). The SQL's placeholders: {outer} is the outer
    query's row, {float} the database's floating-point type and %(today)s the
    day "late" is judged on.
    """

    updates: str
    activities: str
    promises: str
    promise_areas: str
    planned: str
    completed: str
    cancelled: str
    started: tuple[str, ...]
    promise_completed: str
    promise_in_progress: str
    promise_not_started: str


@functools.cache
def names() -> Names:
    update = apps.get_model("activities", "ProgressUpdate")
    promise = apps.get_model("promises", "Promise")
    status, promise_status = update.Status, promise.Status
    return Names(
        updates=update._meta.db_table,
        activities=apps.get_model("activities", "Activity")._meta.db_table,
        promises=promise._meta.db_table,
        promise_areas=promise.focus_areas.through._meta.db_table,
        planned=status.PLANNED.value,
        completed=status.COMPLETED.value,
        cancelled=status.CANCELLED.value,
        started=(status.IN_PROGRESS.value, status.COMPLETED.value, status.PAUSED.value),
        promise_completed=promise_status.COMPLETED.value,
        promise_in_progress=promise_status.IN_PROGRESS.value,
        promise_not_started=promise_status.NOT_STARTED.value,
    )


class CorrelatedSQL(Expression):
    """A scalar SQL subquery that refers to the outer query's row as ``{outer}``.

    ``{outer}`` becomes the alias the outer table has in the query being
    compiled (its table name, or ``U0`` when the queryset is itself used as a
    subquery), so the annotation can be filtered on, ordered by and nested.
    """

    def __init__(self, sql: str, output_field, today: date | None = None):
        super().__init__(output_field=output_field)
        self.sql = sql
        self.today = today

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.sql[:40]!r}…)"

    def as_sql(self, compiler, connection):
        outer = compiler.quote_name(compiler.query.get_initial_alias())
        float_type = connection.data_types["FloatField"]
        sql = self.sql.replace("{outer}", outer).replace("{float}", float_type)
        uses_of_today = sql.count("%(today)s")
        if not uses_of_today:
            return f"({sql})", []
        today_sql, today_params = compiler.compile(Value(self.today, output_field=DateField()))
        return f"({sql.replace('%(today)s', today_sql)})", list(today_params) * uses_of_today

    def get_group_by_cols(self):
        # Correlated on the outer row's primary key, which any GROUP BY holds.
        return []


# --- Activities -------------------------------------------------------------------


def _newest_update(column: str, activity: str) -> str:
    return (
        f"SELECT u.{column} FROM {names().updates} u WHERE u.activity_id = {activity}.id "  # noqa: S608
        "ORDER BY u.reported_on DESC, u.id DESC LIMIT 1"
    )


def _percent(activity: str) -> str:
    return f"COALESCE(({_newest_update('percent_complete', activity)}), 0)"


def _status(activity: str) -> str:
    return f"COALESCE(({_newest_update('status', activity)}), '{names().planned}')"


def _is_late(activity: str) -> str:
    return (
        f"{activity}.planned_end < %(today)s "
        f"AND {_status(activity)} NOT IN ('{names().completed}', '{names().cancelled}')"
    )


def _bool(condition: str) -> str:
    return f"CASE WHEN {condition} THEN TRUE ELSE FALSE END"


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


@functools.cache
def activity_sql() -> dict:
    return {
        "current_percent": (_percent("{outer}"), IntegerField),
        "current_status": (_status("{outer}"), CharField),
        "last_reported_on": (_newest_update("reported_on", "{outer}"), DateField),
        "is_late": (_bool(_is_late("{outer}")), BooleanField),
    }


# --- Promises ---------------------------------------------------------------------


def _counted_activities(promise: str, condition: str = "") -> str:
    """The promise's activities that count: all but the cancelled, narrowed by ``condition``."""
    where = f"a.promise_id = {promise}.id AND {_status('a')} <> '{names().cancelled}'"
    narrowed = f" AND ({condition})" if condition else ""
    return f"FROM {names().activities} a WHERE {where}{narrowed}"


def _count(promise: str, condition: str = "") -> str:
    return f"SELECT COUNT(*) {_counted_activities(promise, condition)}"


def _exists(promise: str, condition: str = "") -> str:
    return f"EXISTS (SELECT 1 {_counted_activities(promise, condition)})"


def _promise_progress(promise: str) -> str:
    weighted_mean = (
        f"SELECT CAST(SUM(a.weight * {_percent('a')}) AS {{float}}) / SUM(a.weight) "
        f"{_counted_activities(promise)}"
    )
    return f"COALESCE(({weighted_mean}), 0.0)"


def _started() -> str:
    return f"{_status('a')} IN ({_in(names().started)}) OR {_percent('a')} > 0"


def _promise_status() -> str:
    n = names()
    not_completed = f"{_status('a')} <> '{n.completed}'"
    return (
        "CASE"
        f" WHEN {_exists('{outer}')} AND NOT {_exists('{outer}', not_completed)}"
        f" THEN '{n.promise_completed}'"
        f" WHEN {_exists('{outer}', _started())} THEN '{n.promise_in_progress}'"
        f" ELSE '{n.promise_not_started}' END"
    )


@functools.cache
def promise_sql() -> dict:
    return {
        "progress": (_promise_progress("{outer}"), FloatField),
        "active_activity_count": (_count("{outer}"), IntegerField),
        "completed_activity_count": (
            _count("{outer}", f"{_status('a')} = '{names().completed}'"),
            IntegerField,
        ),
        "started_activity_count": (_count("{outer}", _started()), IntegerField),
        "late_activity_count": (_count("{outer}", _is_late("a")), IntegerField),
        "status": (_promise_status(), CharField),
        "has_late_activities": (_bool(_exists("{outer}", _is_late("a"))), BooleanField),
    }


# --- Focus areas and periods: the plain mean over their promises --------------------


def _over_promises(promises_of: str) -> dict:
    """Progress, promise count and lateness over the promises selected by ``promises_of``.

    ``promises_of`` joins and filters the promises ``p`` of the outer row.
    """
    return {
        "progress": (
            f"COALESCE((SELECT AVG({_promise_progress('p')}) {promises_of}), 0.0)",
            FloatField,
        ),
        "promise_count": (f"SELECT COUNT(*) {promises_of}", IntegerField),
        "has_late_activities": (
            _bool(
                f"EXISTS (SELECT 1 {promises_of} AND EXISTS (SELECT 1 FROM {names().activities} a "  # noqa: S608
                f"WHERE a.promise_id = p.id AND {_is_late('a')}))"
            ),
            BooleanField,
        ),
    }


@functools.cache
def focus_area_sql() -> dict:
    n = names()
    return _over_promises(
        f"FROM {n.promises} p JOIN {n.promise_areas} pa ON pa.promise_id = p.id "
        "WHERE pa.focusarea_id = {outer}.id"
    )


@functools.cache
def period_sql() -> dict:
    return _over_promises(f"FROM {names().promises} p WHERE p.period_id = {{outer}}.id")


def _annotations(definitions: dict, today: date | None) -> dict:
    today = today or timezone.localdate()
    return {
        name: CorrelatedSQL(sql, output_field(), today)
        for name, (sql, output_field) in definitions.items()
    }


def annotate_activities(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Add current_percent, current_status, last_reported_on and is_late."""
    return queryset.annotate(**_annotations(activity_sql(), today))


def annotate_promises(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Add progress, the activity counts, status and has_late_activities."""
    return queryset.annotate(**_annotations(promise_sql(), today))


def focus_area_annotations(today: date | None = None) -> dict:
    return _annotations(focus_area_sql(), today)


def period_annotations(today: date | None = None) -> dict:
    return _annotations(period_sql(), today)


# --- The headline of a promise page ---------------------------------------------


@dataclass(frozen=True)
class PromiseHeadline:
    """What the top of a promise page says, in the order it says it."""

    council_assessment: str | None  # FollowUp.Assessment value of the latest published one
    council_date: date | None
    report_status: str | None  # Promise.Status from the reports, when it may be shown
    late_titles: list[str] = field(default_factory=list)
    late_flagged: bool = False


def promise_headline(
    *,
    status: str,
    late_titles: list[str],
    council_assessment: str | None,
    council_date: date | None,
    last_reported_on: date | None,
) -> PromiseHeadline:
    """The headline rule: the council has the last word on a promise.

    * The council's latest published assessment of the whole promise leads, with
      the meeting's date.
    * The status computed from the reports is shown too only when there is no
      such assessment, or when progress has been reported after that meeting, so
      that it is news the council has not weighed yet.
    * Activities past their planned end are always named. They are flagged as
      late unless the council's latest word is that the promise is done: then
      the council has judged them, and the page names them without a warning.
    """
    if council_assessment is None:
        return PromiseHeadline(None, None, status, list(late_titles), bool(late_titles))
    newer_reports = last_reported_on is not None and (
        council_date is None or last_reported_on > council_date
    )
    return PromiseHeadline(
        council_assessment=council_assessment,
        council_date=council_date,
        report_status=status if newer_reports else None,
        late_titles=list(late_titles),
        late_flagged=bool(late_titles) and council_assessment != COUNCIL_DONE,
    )
