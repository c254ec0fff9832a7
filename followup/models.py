import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import Activity
from promises.models import Municipality, Period, Promise
from timra_trygghet.models import ChangeLogEntry, TimestampedModel


class Council(TimestampedModel):
    """Rådet för trygghet och hälsa: where the promises are followed up."""

    class MeetingCadence(models.TextChoices):
        UNKNOWN = "", _("Ej angivet")
        MONTH = "month", _("Varje månad")
        QUARTER = "quarter", _("Varje kvartal")
        TERTIAL = "tertial", _("Varje tertial")
        HALF_YEAR = "half_year", _("Varje halvår")
        YEAR = "year", _("Varje år")

    # The follow-up statements of published medborgarlöften (the import's cadences).
    class FollowUpCadence(models.TextChoices):
        UNKNOWN = "", _("Ej angivet")
        EVERY_MEETING = "every_meeting", _("Vid varje möte")
        WEEK = "week", _("Varje vecka")
        MONTH = "month", _("Varje månad")
        QUARTER = "quarter", _("Varje kvartal")
        TERTIAL = "tertial", _("Varje tertial")
        HALF_YEAR = "half_year", _("Varje halvår")
        YEAR = "year", _("Varje år")
        END_OF_PERIOD = "end_of_period", _("När perioden är slut")

    municipality = models.OneToOneField(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    meeting_cadence = models.CharField(
        _("sammanträder"), max_length=20, choices=MeetingCadence.choices, blank=True, default=""
    )
    follow_up_cadence = models.CharField(
        _("följer upp löftena"),
        max_length=20,
        choices=FollowUpCadence.choices,
        blank=True,
        default="",
        help_text=_("Som medborgarlöftet säger, till exempel vid samtliga möten i rådet."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("råd")
        verbose_name_plural = _("råd")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.municipality}"


# A meeting's date must be plausible: the portal follows councils from this date on,
# and meetings are planned at most this far ahead (a typo like 2205 is refused).
MEETING_EARLIEST_DATE = datetime.date(2000, 1, 1)
MEETING_MAX_YEARS_AHEAD = 2
# Within those bounds a date further than this from today is saved only once the
# secretary confirms it (followup.services.meeting_warnings).
MEETING_UNLIKELY_AFTER_DAYS = 365


def meeting_latest_date(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + MEETING_MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MEETING_MAX_YEARS_AHEAD, day=28)


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, period__is_published=True)

    def public_records(self):
        """Published meetings and those unpublished after publication (shown as withdrawn)."""
        return self.filter(period__is_published=True).filter(
            Q(is_published=True) | Q(first_published_at__isnull=False)
        )

    def held(self, today=None):
        return self.filter(date__lte=today or timezone.localdate())

    def planned(self, today=None):
        """Meetings after today in a published period, published or not: the one rule.

        The site lists them and the calendar carries them, with their date, time
        and place only until they are published. A meeting dated today is held:
        shown once published, like any other.
        """
        return self.filter(period__is_published=True, date__gt=today or timezone.localdate())


class Meeting(TimestampedModel):
    """A meeting of the council. Published once its minutes are approved."""

    council = models.ForeignKey(
        Council, verbose_name=_("råd"), on_delete=models.PROTECT, related_name="meetings"
    )
    period = models.ForeignKey(
        Period,
        verbose_name=_("löftesperiod"),
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Perioden vars medborgarlöften följs upp på sammanträdet."),
    )
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    attendees = models.TextField(
        _("närvarande"),
        blank=True,
        help_text=_("En person per rad: namn, roll. Till exempel: Anna Berg, ordförande."),
    )
    agenda = models.TextField(_("dagordning"), blank=True)
    minutes = models.TextField(_("protokoll"), blank=True)
    is_published = models.BooleanField(_("publicerat"), default=False)
    published_at = models.DateTimeField(_("publicerat den"), null=True, blank=True)
    # Set by the first publication and never changed: the feed's ``published`` date,
    # and what makes the meeting a public record (never deleted, changed with a reason).
    first_published_at = models.DateTimeField(
        _("först publicerat den"), null=True, blank=True, editable=False
    )
    # Optimistic locking: raised by every save of the meeting or of its follow-ups
    # (followup.services: meeting_save and the follow-up and publication services), so
    # that a form opened before someone else's save is refused instead of overwriting it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    constraint_error_fields = {"meeting_date_not_before_earliest": "date"}

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=MEETING_EARLIEST_DATE),
                name="meeting_date_not_before_earliest",
                violation_error_message=_("Datumet kan inte vara före år 2000."),
            ),
        ]

    def __str__(self) -> str:
        return _("Sammanträde %(date)s") % {"date": date_format(self.date, "j F Y")}

    def get_absolute_url(self) -> str:
        return reverse(
            "followup:meeting",
            kwargs={"municipality": self.council.municipality.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        super().clean()
        if (
            self.council_id
            and self.period_id
            and (self.council.municipality_id != self.period.municipality_id)
        ):
            raise ValidationError({"period": _("Perioden måste höra till samma kommun som rådet.")})
        if self.date is not None and self.date > meeting_latest_date():
            raise ValidationError(
                {
                    "date": _(
                        "Datumet ligger mer än %(years)s år fram i tiden. Kontrollera årtalet."
                    )
                    % {"years": MEETING_MAX_YEARS_AHEAD}
                }
            )

    @property
    def is_public_record(self) -> bool:
        """Published now or before: never deleted, and changed only with a stated reason."""
        return self.is_published or self.first_published_at is not None

    def attendee_rows(self) -> list["Attendee"]:
        """The attendees one per line, each split into name and role at its first comma.

        Older meetings list everyone on one line separated by commas ("Kommunpolis,
        socialchef"); such a line is read as a list of people without roles.
        """
        lines = [line.strip() for line in self.attendees.splitlines() if line.strip()]
        if len(lines) == 1 and lines[0].count(",") > 1:
            return [Attendee(part.strip(), "") for part in lines[0].split(",") if part.strip()]
        rows = []
        for line in lines:
            name, _comma, role = line.partition(",")
            rows.append(Attendee(name.strip(), role.strip()))
        return rows

    def attendee_named(self, role: str) -> str:
        """The first attendee whose role mentions ``role`` (for the signature lines)."""
        role = role.casefold()
        return next((a.name for a in self.attendee_rows() if role in a.role.casefold()), "")


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str


class FollowUpQuerySet(models.QuerySet):
    def assessed(self):
        """Follow-ups with an assessment: "Ej behandlat" says nothing about the promise."""
        return self.exclude(assessment=FollowUp.Assessment.NOT_DISCUSSED)

    def published(self):
        """Follow-ups in published minutes (``MeetingQuerySet.published``) of published promises."""
        return self.filter(
            meeting__is_published=True,
            meeting__period__is_published=True,
            promise__period__is_published=True,
        )


class FollowUp(TimestampedModel):
    """The council's assessment of one promise (or one of its activities) at a meeting."""

    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", _("Enligt plan")
        AT_RISK = "at_risk", _("Risk för avvikelse")
        DEVIATION = "deviation", _("Avvikelse")
        DONE = "done", _("Genomfört")
        # Publishing needs a row for every promise; this one says, with the reason in
        # the comment, that the council did not take it up.
        NOT_DISCUSSED = "not_discussed", _("Ej behandlat")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
        help_text=_("Lämna tomt när uppföljningen gäller hela löftet."),
    )
    assessment = models.CharField(_("bedömning"), max_length=20, choices=Assessment.choices)
    comment = models.TextField(
        _("kommentar"), blank=True, help_text=_("Vid ”Ej behandlat”: skälet, som visas offentligt.")
    )
    next_steps = models.TextField(_("beslutade nästa steg"), blank=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    constraint_error_fields = {
        "follow_up_unique_per_meeting_and_promise": "promise",
        "follow_up_unique_per_meeting_and_activity": "activity",
        "follow_up_not_discussed_has_reason": "comment",
    }

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["meeting", "promise__order", "promise_id", "activity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "promise"],
                condition=Q(activity__isnull=True),
                name="follow_up_unique_per_meeting_and_promise",
                violation_error_message=_("Löftet är redan uppföljt på det här sammanträdet."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "activity"],
                condition=Q(activity__isnull=False),
                name="follow_up_unique_per_meeting_and_activity",
                violation_error_message=_("Aktiviteten är redan uppföljd på det här sammanträdet."),
            ),
            models.CheckConstraint(
                condition=~Q(assessment="not_discussed") | ~Q(comment=""),
                name="follow_up_not_discussed_has_reason",
                violation_error_message=_(
                    "Skriv varför löftet inte behandlades. Skälet visas offentligt."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.promise}"

    def clean(self) -> None:
        super().clean()
        if self.activity_id and self.promise_id and self.activity.promise_id != self.promise_id:
            raise ValidationError({"activity": _("Aktiviteten hör inte till det valda löftet.")})
        if (
            self.meeting_id
            and self.promise_id
            and (self.meeting.period_id != self.promise.period_id)
        ):
            raise ValidationError(
                {"promise": _("Löftet hör inte till sammanträdets löftesperiod.")}
            )


class MeetingCorrection(ChangeLogEntry):
    """A change to a published meeting, or its unpublishing, with the reason shown publicly.

    ``changes`` keeps each changed text's earlier wording, so that the public page
    shows it from this one row: a list of ``{"field", "promise", "activity",
    "before"}`` (``promise`` and ``activity`` name a follow-up's subject; a follow-up
    added after publication has ``before`` None), or ``{"model", "field", "subject",
    "before"}`` for a field of another model (``"participation.question"``).
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Rättelse")
        UNPUBLISHED = "unpublished", _("Avpublicering")
        REPUBLISHED = "republished", _("Återpublicering")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.PROTECT, related_name="corrections"
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("skäl"), blank=True)
    changes = models.JSONField(_("tidigare lydelse"), default=list, blank=True)

    class Meta(ChangeLogEntry.Meta):
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.made_at:%Y-%m-%d}: {self.meeting}"

    def earlier_wording(self) -> list[dict]:
        """Each change with a readable label, for the public page (no queries)."""
        rows = []
        for change in self.changes:
            if change.get("model"):
                # A change recorded by an app above this one (e.g. the council's answer
                # to a resident, "participation.question"), named by its label.
                model = apps.get_model(change["model"])
            else:
                model = FollowUp if change.get("promise") else Meeting
            field = model._meta.get_field(change["field"])
            before = change.get("before")
            if before is not None and field.choices:
                before = dict(field.flatchoices).get(before, before)
            rows.append(
                {
                    "label": field.verbose_name,
                    "subject": change.get("activity")
                    or change.get("promise")
                    or change.get("subject")
                    or "",
                    "before": before,
                }
            )
        return rows
