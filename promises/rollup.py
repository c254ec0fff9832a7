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
* a focus area's and a period's progress is the plain mean over their promises.
"""

from datetime import date

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

COMPLETED = "completed"
CANCELLED = "cancelled"
STARTED_STATUSES = ("in_progress", "completed", "paused")


def _model(label: str):
    return apps.get_model(label)


def _aggregate(queryset: QuerySet, function: str, expression, output_field) -> Subquery:
    """A scalar subquery aggregating ``expression`` over the whole ``queryset``.

    Written as a plain SQL function rather than Django's ``Sum``/``Avg`` so that
    the ORM adds no GROUP BY: the correlated filter already selects the group.
    """
    return Subquery(
        queryset.order_by()
        .annotate(_value=Func(expression, function=function, output_field=output_field))
        .values("_value")[:1],
        output_field=output_field,
    )


def _newest_update(field: str, output_field) -> Subquery:
    ProgressUpdate = _model("activities.ProgressUpdate")
    return Subquery(
        ProgressUpdate.objects.filter(activity=OuterRef("pk"))
        .order_by("-reported_on", "-pk")
        .values(field)[:1],
        output_field=output_field,
    )


def annotate_activities(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Add current_percent, current_status, last_reported_on and is_late."""
    today = today or timezone.localdate()
    return queryset.annotate(
        current_percent=Coalesce(_newest_update("percent_complete", IntegerField()), 0),
        current_status=Coalesce(
            _newest_update("status", CharField()), Value("planned"), output_field=CharField()
        ),
        last_reported_on=_newest_update("reported_on", DateField()),
    ).annotate(
        is_late=Case(
            When(
                Q(planned_end__lt=today) & ~Q(current_status__in=(COMPLETED, CANCELLED)),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def annotate_promises(queryset: QuerySet, today: date | None = None) -> QuerySet:
    """Add progress, active_activity_count, late_activity_count and status."""
    Activity = _model("activities.Activity")
    counted = annotate_activities(Activity.objects.filter(promise=OuterRef("pk")), today).exclude(
        current_status=CANCELLED
    )

    def count(condition: Q | None = None) -> Coalesce:
        selected = counted.filter(condition) if condition is not None else counted
        return Coalesce(_aggregate(selected, "COUNT", F("pk"), IntegerField()), 0)

    weighted_sum = _aggregate(
        counted, "SUM", Cast(F("weight") * F("current_percent"), FloatField()), FloatField()
    )
    weight_sum = _aggregate(counted, "SUM", Cast(F("weight"), FloatField()), FloatField())
    return queryset.annotate(
        progress=Coalesce(weighted_sum / weight_sum, Value(0.0), output_field=FloatField()),
        active_activity_count=count(),
        completed_activity_count=count(Q(current_status=COMPLETED)),
        started_activity_count=count(
            Q(current_status__in=STARTED_STATUSES) | Q(current_percent__gt=0)
        ),
        late_activity_count=count(Q(is_late=True)),
    ).annotate(
        status=Case(
            When(
                Q(active_activity_count__gt=0)
                & Q(completed_activity_count=F("active_activity_count")),
                then=Value("completed"),
            ),
            When(started_activity_count__gt=0, then=Value("in_progress")),
            default=Value("not_started"),
            output_field=CharField(),
        ),
        has_late_activities=Case(
            When(late_activity_count__gt=0, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def _mean_promise_progress(promises: QuerySet, today: date | None) -> Coalesce:
    annotated = annotate_promises(promises, today)
    return Coalesce(
        _aggregate(annotated, "AVG", F("progress"), FloatField()),
        Value(0.0),
        output_field=FloatField(),
    )


def _late_activity_exists(activities: QuerySet, today: date | None) -> Exists:
    return Exists(annotate_activities(activities, today).filter(is_late=True))


def focus_area_annotations(today: date | None = None) -> dict:
    Promise = _model("promises.Promise")
    Activity = _model("activities.Activity")
    promises = Promise.objects.filter(focus_areas=OuterRef("pk"))
    return {
        "progress": _mean_promise_progress(promises, today),
        "promise_count": Coalesce(_aggregate(promises, "COUNT", F("pk"), IntegerField()), 0),
        "has_late_activities": _late_activity_exists(
            Activity.objects.filter(promise__focus_areas=OuterRef("pk")), today
        ),
    }


def period_annotations(today: date | None = None) -> dict:
    Promise = _model("promises.Promise")
    Activity = _model("activities.Activity")
    promises = Promise.objects.filter(period=OuterRef("pk"))
    return {
        "progress": _mean_promise_progress(promises, today),
        "promise_count": Coalesce(_aggregate(promises, "COUNT", F("pk"), IntegerField()), 0),
        "has_late_activities": _late_activity_exists(
            Activity.objects.filter(promise__period=OuterRef("pk")), today
        ),
    }
