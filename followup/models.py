from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import Activity
from promises.models import Municipality, Period, Promise
from timra_trygghet.models import TimestampedModel


class Council(TimestampedModel):
    """Rådet för trygghet och hälsa: where the promises are followed up."""

    municipality = models.OneToOneField(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("råd")
        verbose_name_plural = _("råd")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.municipality}"


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, period__is_published=True)

    def held(self, today=None):
        return self.filter(date__lte=today or timezone.localdate())

    def upcoming(self, today=None):
        return self.filter(date__gt=today or timezone.localdate()).order_by("date", "start_time")


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
    attendees = models.TextField(_("närvarande"), blank=True)
    agenda = models.TextField(_("dagordning"), blank=True)
    minutes = models.TextField(_("protokoll"), blank=True)
    is_published = models.BooleanField(_("publicerat"), default=False)
    published_at = models.DateTimeField(_("publicerat den"), null=True, blank=True)
    # Optimistic locking: raised by every save of the meeting or of its follow-ups
    # (followup.admin and followup.services.meeting_version_raise), so that a form opened before
    # someone else's save is refused instead of silently overwriting it.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date", "-start_time"]

    def __str__(self) -> str:
        return _("Sammanträde %(date)s") % {"date": self.date.isoformat()}

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


class FollowUp(TimestampedModel):
    """The council's assessment of one promise (or one of its activities) at a meeting."""

    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", _("Enligt plan")
        AT_RISK = "at_risk", _("Risk för avvikelse")
        DEVIATION = "deviation", _("Avvikelse")
        DONE = "done", _("Genomfört")

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
    comment = models.TextField(_("kommentar"), blank=True)
    next_steps = models.TextField(_("beslutade nästa steg"), blank=True)

    history = HistoricalRecords()

    constraint_error_fields = {
        "follow_up_unique_per_meeting_and_promise": "promise",
        "follow_up_unique_per_meeting_and_activity": "activity",
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
