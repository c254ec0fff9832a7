from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities import rollup
from promises.models import Organisation, Promise
from timra_trygghet.models import TimestampedModel

# Measurements before this date or after this one are typing mistakes, not data.
EARLIEST_MEASUREMENT_DATE = date(2000, 1, 1)
LATEST_MEASUREMENT_DATE = date(2100, 12, 31)

# Statistics for a period's last months are often published a while after it
# ends (the police's quarterly figures, for example), so a measurement may be
# dated this long after its period's end; never before its start (the
# indicator's baseline is the value before).
MEASUREMENT_MARGIN_AFTER_PERIOD = timedelta(days=90)

# A progress update is read on a phone by the council and by residents: a few
# paragraphs. A longer text is a report of its own and belongs in an attachment.
UPDATE_TEXT_MAX_LENGTH = 2000
MEASUREMENT_SOURCE_MAX_LENGTH = 300
TEXT_TOO_LONG = _(
    "Texten får vara högst %(limit_value)d tecken lång, men den är %(show_value)d tecken. "
    "Korta den, till exempel genom att ta bort upprepningar."
)


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(promise__period__is_published=True)

    def with_progress(self, today: date | None = None):
        """Current percent, status, last report date and lateness (see rollup)."""
        return rollup.annotate_activities(self, today)

    def late(self, today: date | None = None):
        return self.with_progress(today).filter(is_late=True)

    def for_organisation(self, organisation):
        """Activities the organisation leads or shares responsibility for, each once.

        The one "led or shared" rule. ``organisation`` is an Organisation, a
        queryset of them (activities of any of them) or an ``OuterRef`` to one in
        an enclosing query.
        """
        lookup = "in" if isinstance(organisation, QuerySet) else "exact"
        # The shares are one subquery deeper than this queryset, so an outer
        # reference reaches one level further out from there.
        sharing = OuterRef(organisation) if isinstance(organisation, OuterRef) else organisation
        shares = Activity.other_organisations.through.objects.filter(
            activity=OuterRef("pk"), **{f"organisation__{lookup}": sharing}
        )
        return self.filter(Q(**{f"lead_organisation__{lookup}": organisation}) | Exists(shares))


class Activity(TimestampedModel):
    # The roll-up over activities (activities.rollup), also for the promises, focus
    # areas and periods above them, whose querysets reach it through this model.
    rollup = rollup

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("ansvarig aktör"),
        on_delete=models.PROTECT,
        related_name="led_activities",
    )
    other_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("medansvariga aktörer"),
        related_name="shared_activities",
        blank=True,
    )
    planned_start = models.DateField(_("planerad start"), null=True, blank=True)
    planned_end = models.DateField(_("planerat slut"), null=True, blank=True)
    place = models.CharField(
        _("plats"), max_length=200, blank=True, help_text=_("Till exempel centrala Timrå.")
    )
    weight = models.PositiveSmallIntegerField(
        _("vikt"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Hur mycket aktiviteten väger när löftets framsteg räknas ihop."),
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[other_organisations])

    constraint_error_fields = {
        "activity_planned_end_on_or_after_start": "planned_end",
        "activity_weight_between_1_and_100": "weight",
    }

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["promise", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="activity_planned_end_on_or_after_start",
                violation_error_message=_("Planerat slut kan inte vara före planerad start."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="activity_weight_between_1_and_100",
                violation_error_message=_("Vikten måste vara mellan 1 och 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.promise_id is None:
            return
        period = self.promise.period
        errors = {}
        for field in ("planned_start", "planned_end"):
            day = getattr(self, field)
            if day is not None and not period.starts_on <= day <= period.ends_on:
                errors[field] = ValidationError(
                    _("Datumet måste ligga inom löftesperioden (%(start)s–%(end)s)."),
                    code="outside_period",
                    params={"start": period.starts_on, "end": period.ends_on},
                )
        if errors:
            raise ValidationError(errors)

    def responsible_organisations(self) -> list[Organisation]:
        """Lead first, then the others (for display); uses prefetched others when available."""
        return [self.lead_organisation, *self.other_organisations.all()]

    @cached_property
    def responsible_organisation_ids(self) -> frozenset[int]:
        """The organisations that lead or share this activity, by id.

        The "led or shared" rule for one activity at hand (the permission rules ask
        it); ``ActivityQuerySet.for_organisation`` is the same rule for a query, and
        a test holds the two together.
        """
        others = (o.pk for o in self.other_organisations.all())
        return frozenset({self.lead_organisation_id, *others})


class ProgressUpdateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(activity__promise__period__is_published=True)


class ProgressUpdate(TimestampedModel):
    """A dated report on an activity. Append-only: a correction is a new update
    (or, by its author within 24 hours, an edit whose earlier version the history keeps)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        IN_PROGRESS = "in_progress", _("Pågår")
        COMPLETED = "completed", _("Genomförd")
        PAUSED = "paused", _("Pausad")
        CANCELLED = "cancelled", _("Avbruten")

    # PROTECT: reports outlive any attempt to delete their activity (it is cancelled instead).
    activity = models.ForeignKey(
        Activity, verbose_name=_("aktivitet"), on_delete=models.PROTECT, related_name="updates"
    )
    reported_on = models.DateField(_("datum"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField(
        _("procent klart"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    # No database constraint: texts published before the limit keep their wording.
    text = models.TextField(
        _("text"),
        max_length=UPDATE_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(UPDATE_TEXT_MAX_LENGTH, message=TEXT_TOO_LONG)],
        help_text=_("Vad har gjorts sedan förra lägesrapporten?"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("författare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("aktör"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )

    objects = ProgressUpdateQuerySet.as_manager()

    # The author may correct an update within a day; the earlier wording is kept.
    history = HistoricalRecords()

    # Status and percent agree: the one home of that rule is the two constraints
    # below (the forms, the admin and the services all show their messages).
    constraint_error_fields = {
        "update_percent_between_0_and_100": "percent_complete",
        "update_completed_means_100_percent": "percent_complete",
        "update_planned_means_0_percent": "percent_complete",
    }

    class Meta:
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["activity", "-reported_on", "-id"], name="update_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="update_percent_between_0_and_100",
                violation_error_message=_("Procent klart måste vara mellan 0 och 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(percent_complete=100),
                name="update_completed_means_100_percent",
                violation_error_message=_(
                    "En genomförd aktivitet är klar till 100 procent. "
                    "Ange 100 eller välj en annan status."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(percent_complete=0),
                name="update_planned_means_0_percent",
                violation_error_message=_(
                    "En planerad aktivitet har inte börjat och är klar till 0 procent. "
                    "Ange 0 eller välj status Pågår."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.reported_on}"


# The shortest length of each cadence's step, in days: a period must hold one.
TARGET_CADENCE_DAYS = {
    "week": 7,
    "month": 28,
    "quarter": 90,
    "tertial": 120,
    "half_year": 181,
    "year": 365,
}


class IndicatorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            Q(promise__period__is_published=True) | Q(activity__promise__period__is_published=True)
        )


class Indicator(TimestampedModel):
    """Something measured to show whether a promise or an activity makes a difference."""

    # The target holds for each step of this length ("minst 20 fotpatruller per år"),
    # or once for the whole period.
    class TargetCadence(models.TextChoices):
        WEEK = "week", _("per vecka")
        MONTH = "month", _("per månad")
        QUARTER = "quarter", _("per kvartal")
        TERTIAL = "tertial", _("per tertial")
        HALF_YEAR = "half_year", _("per halvår")
        YEAR = "year", _("per år")
        PERIOD = "period", _("för hela perioden")

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("Högre är bättre")
        LOWER_IS_BETTER = "lower", _("Lägre är bättre")

    # How a cadence step's measurements make its outcome (``activities.targets.step_outcome``):
    # counts of what was done add up; a level (a share, a running total) is what it was last.
    class Aggregation(models.TextChoices):
        SUM = "sum", _("Summan under steget")
        LATEST = "latest", _("Senaste värdet i steget")

    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="indicators",
        null=True,
        blank=True,
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        related_name="indicators",
        null=True,
        blank=True,
    )
    name = models.CharField(_("namn"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40, help_text=_("Till exempel antal."))
    baseline = models.DecimalField(
        _("utgångsvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("målvärde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_cadence = models.CharField(
        _("målet gäller"),
        max_length=10,
        choices=TargetCadence.choices,
        default=TargetCadence.PERIOD,
        help_text=_("Per vecka, månad, kvartal, tertial, halvår, år eller för hela perioden."),
    )
    direction = models.CharField(
        _("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    aggregation = models.CharField(
        _("stegets utfall"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
        help_text=_(
            "Summan för det som räknas (fotpatruller per år); senaste värdet för en nivå "
            "(andel som känner sig trygga, antal områden totalt)."
        ),
    )

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    constraint_error_fields = {"indicator_belongs_to_promise_or_activity": "activity"}

    class Meta:
        verbose_name = _("mått")
        verbose_name_plural = _("mått")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(promise__isnull=True) & Q(activity__isnull=False))
                | (Q(promise__isnull=False) & Q(activity__isnull=True)),
                name="indicator_belongs_to_promise_or_activity",
                violation_error_message=_(
                    "Ett mått hör till antingen ett medborgarlöfte eller en aktivitet."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def owner_promise(self) -> Promise:
        return self.promise if self.promise_id else self.activity.promise

    def clean(self) -> None:
        super().clean()
        if self.target_cadence == self.TargetCadence.PERIOD:
            return
        if self.target is None:
            raise ValidationError(
                {
                    "target": _("Ange målvärdet som ska nås %(cadence)s.")
                    % {"cadence": self.get_target_cadence_display()}
                }
            )
        if not (self.promise_id or self.activity_id):
            return  # the constraint's message says what is missing
        period = self.owner_promise.period
        if (period.ends_on - period.starts_on).days + 1 < TARGET_CADENCE_DAYS[self.target_cadence]:
            raise ValidationError(
                {
                    "target_cadence": _(
                        "Perioden är kortare än ett steg; välj en kortare kadens eller hela "
                        "perioden."
                    )
                }
            )


class MeasurementQuerySet(models.QuerySet):
    def published(self):
        """Measurements of published indicators (``IndicatorQuerySet.published``)."""
        return self.filter(
            Q(indicator__promise__period__is_published=True)
            | Q(indicator__activity__promise__period__is_published=True)
        )


class Measurement(TimestampedModel):
    """A dated value of an indicator. Append-only, like progress updates: a
    mistyped value is corrected by the one who recorded it within 24 hours
    (``activities.services.measurement_change``), and the history keeps who
    corrected it, when, and the earlier value."""

    # PROTECT: measurements outlive any attempt to delete their indicator.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mått"), on_delete=models.PROTECT, related_name="measurements"
    )
    measured_on = models.DateField(_("datum"))
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)
    source = models.CharField(_("källa"), max_length=MEASUREMENT_SOURCE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurements",
    )

    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()

    constraint_error_fields = {"measurement_date_within_bounds": "measured_on"}

    class Meta:
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        ordering = ["indicator", "measured_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measured_on__gte=EARLIEST_MEASUREMENT_DATE)
                & Q(measured_on__lte=LATEST_MEASUREMENT_DATE),
                name="measurement_date_within_bounds",
                violation_error_message=_("Datumet måste ligga mellan år 2000 och 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.measured_on}: {self.value}"

    def clean(self) -> None:
        super().clean()
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": _("Ett mätvärde kan inte vara från framtiden.")})
        # A date outside the sensible bounds gets the constraint's message instead.
        sensible = (
            self.measured_on is not None
            and EARLIEST_MEASUREMENT_DATE <= self.measured_on <= LATEST_MEASUREMENT_DATE
        )
        if sensible and self.indicator_id is not None:
            period = self.indicator.owner_promise.period
            latest = period.ends_on + MEASUREMENT_MARGIN_AFTER_PERIOD
            if not period.starts_on <= self.measured_on <= latest:
                raise ValidationError(
                    {
                        "measured_on": ValidationError(
                            _(
                                "Datumet måste ligga inom löftesperioden, från %(start)s "
                                "till och med %(latest)s."
                            ),
                            code="outside_period",
                            params={"start": period.starts_on, "latest": latest},
                        )
                    }
                )
