from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from timra_trygghet.models import TimestampedModel

# Addresses the site itself uses at the top level and under a municipality; a
# municipality or period with one of these slugs would be hidden behind them.
RESERVED_MUNICIPALITY_SLUGS = frozenset(
    {
        "admin",
        "api",
        "en",
        "sv",
        "konto",
        "personal",
        "oppna-data",
        "sok",
        "static",
        "om-medborgarloften",
        "tillganglighet",
        "healthz",
        "readyz",
    }
)
RESERVED_PERIOD_SLUGS = frozenset({"perioder", "sammantraden", "fragor"})


def _reject_reserved(slug: str, reserved: frozenset[str]) -> None:
    if slug in reserved:
        raise ValidationError(
            _("”%(slug)s” används redan av webbplatsen; välj ett annat kortnamn."),
            code="reserved",
            params={"slug": slug},
        )


def validate_municipality_slug(slug: str) -> None:
    _reject_reserved(slug, RESERVED_MUNICIPALITY_SLUGS)


def validate_period_slug(slug: str) -> None:
    _reject_reserved(slug, RESERVED_PERIOD_SLUGS)


class County(TimestampedModel):
    """A county (län), with its official two-digit code; reference data."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}$"),
                name="county_code_two_digits",
                violation_error_message=_("Länskoden består av två siffror."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _rollup():
    """The progress roll-up, ``activities.rollup``: progress is the activities' own.

    Promises sit below activities (README, "Layers") and never import them; the
    querysets below reach the roll-up the way a promise reaches its activities,
    through the relation (``Activity.rollup``).
    """
    return Promise._meta.get_field("activities").related_model.rollup


class MunicipalityQuerySet(models.QuerySet):
    def published(self):
        """Municipalities with at least one published period."""
        return self.filter(periods__is_published=True).distinct()


class Municipality(TimestampedModel):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(
        _("kortnamn i adressen"),
        max_length=100,
        unique=True,
        validators=[validate_municipality_slug],
    )
    # Empty only for municipalities that are not Swedish municipalities (demo data);
    # every real one gets its code from promises/data/kommuner.csv (load_municipalities).
    code = models.CharField(
        _("kommunkod"),
        max_length=4,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Den officiella fyrsiffriga kommunkoden, till exempel 2262 för Timrå."),
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("län"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
    )

    objects = MunicipalityQuerySet.as_manager()

    constraint_error_fields = {"municipality_code_four_digits": "code"}

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__regex=r"^[0-9]{4}$"),
                name="municipality_code_four_digits",
                violation_error_message=_("Kommunkoden består av fyra siffror."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promises:municipality", kwargs={"municipality": self.slug})


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        POLICE = "police", _("polis")
        MUNICIPALITY = "municipality", _("kommun")
        PARTNER = "partner", _("samverkanspart")

    name = models.CharField(_("namn"), max_length=150, unique=True)
    short_name = models.CharField(_("kort namn"), max_length=60, blank=True)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=150, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ingår i"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        help_text=_("Till exempel socialtjänsten, som ingår i kommunen."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("kommuner"),
        related_name="organisations",
        blank=True,
        help_text=_("Kommunerna som aktören arbetar i. Ett lokalpolisområde kan ha flera."),
    )

    class Meta:
        verbose_name = _("aktör")
        verbose_name_plural = _("aktörer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class PeriodQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_municipality(self, municipality):
        return self.filter(municipality=municipality)

    def current_first(self, today: date | None = None):
        """Periods in force today first, then the most recently started."""
        today = today or timezone.localdate()
        in_force = Q(starts_on__lte=today, ends_on__gte=today)
        return self.annotate(
            is_in_force=Case(When(in_force, then=True), default=False, output_field=BooleanField())
        ).order_by("-is_in_force", "-starts_on")

    def with_progress(self, today: date | None = None):
        return self.annotate(**_rollup().period_annotations(today))


class Period(TimestampedModel):
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="periods"
    )
    name = models.CharField(_("namn"), max_length=60, help_text=_("Till exempel 2021–2022."))
    slug = models.SlugField(
        _("kortnamn i adressen"), max_length=60, validators=[validate_period_slug]
    )
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"))
    is_published = models.BooleanField(_("publicerad"), default=False)
    purpose = models.TextField(_("syfte"), blank=True)
    situation = models.TextField(_("situationen idag"), blank=True)
    outcome = models.TextField(_("det här ska vi åstadkomma tillsammans"), blank=True)

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    constraint_error_fields = {
        "period_ends_on_or_after_start": "ends_on",
        "period_slug_unique_per_municipality": "slug",
    }

    class Meta:
        verbose_name = _("löftesperiod")
        verbose_name_plural = _("löftesperioder")
        ordering = ["municipality__name", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="period_slug_unique_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="period_ends_on_or_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "promises:period",
            kwargs={"municipality": self.municipality.slug, "period": self.slug},
        )


class FocusAreaQuerySet(models.QuerySet):
    def published(self):
        return self.filter(period__is_published=True)

    def with_progress(self, today: date | None = None):
        return self.annotate(**_rollup().focus_area_annotations(today))


class FocusArea(TimestampedModel):
    period = models.ForeignKey(
        Period, verbose_name=_("löftesperiod"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = FocusAreaQuerySet.as_manager()
    history = HistoricalRecords()

    constraint_error_fields = {"focus_area_slug_unique_per_period": "slug"}

    class Meta:
        verbose_name = _("prioriterat område")
        verbose_name_plural = _("prioriterade områden")
        ordering = ["period", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "slug"], name="focus_area_slug_unique_per_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        # Its promises belong to its period (Promise.validate_focus_areas); a move would break that.
        if self.pk and self.period_id and self.promises.exclude(period_id=self.period_id).exists():
            raise ValidationError(
                {
                    "period": _(
                        "Området har löften i en annan period och kan inte flyttas till den här."
                    )
                }
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "promises:focus_area",
            kwargs={
                "municipality": self.period.municipality.slug,
                "period": self.period.slug,
                "focus_area": self.slug,
            },
        )


class PromiseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(period__is_published=True)

    def with_progress(self, today: date | None = None):
        """Progress, status and late-activity count of each promise (see rollup)."""
        return _rollup().annotate_promises(self, today)


class Promise(TimestampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ej påbörjat")
        IN_PROGRESS = "in_progress", _("Pågår")
        COMPLETED = "completed", _("Genomfört")

    period = models.ForeignKey(
        Period, verbose_name=_("löftesperiod"), on_delete=models.CASCADE, related_name="promises"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    title = models.CharField(
        _("rubrik"), max_length=200, help_text=_("En kort rubrik som sammanfattar löftet.")
    )
    slug = models.SlugField(_("kortnamn i adressen"), max_length=200)
    text = models.TextField(_("löftets text"), help_text=_("Löftet ordagrant som det publicerats."))
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("lovas av"), related_name="promises"
    )
    with_residents = models.BooleanField(
        _("tillsammans med invånarna"),
        default=False,
        help_text=_("Invånarna är med och ger löftet, till exempel ”tillsammans med Timråbo”."),
    )
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("prioriterade områden"), related_name="promises"
    )

    objects = PromiseQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[organisations, focus_areas])

    constraint_error_fields = {"promise_slug_unique_per_period": "slug"}

    class Meta:
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        ordering = ["period", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "slug"], name="promise_slug_unique_per_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def validate_focus_areas(self, focus_areas) -> None:
        """A promise is linked only to focus areas of its own period.

        A many-to-many link has no column for a database constraint to check, so
        the form and ``promises.services.promise_save`` both ask this.
        """
        if self.period_id is None:
            return
        strangers = [area for area in focus_areas if area.period_id != self.period_id]
        if strangers:
            raise ValidationError(
                {
                    "focus_areas": ValidationError(
                        _("%(areas)s hör inte till löftesperioden %(period)s."),
                        code="focus_area_of_another_period",
                        params={
                            "areas": ", ".join(f"”{area}”" for area in strangers),
                            "period": self.period.name,
                        },
                    )
                }
            )

    def get_absolute_url(self) -> str:
        return reverse(
            "promises:promise",
            kwargs={
                "municipality": self.period.municipality.slug,
                "period": self.period.slug,
                "promise": self.slug,
            },
        )
