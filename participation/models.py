"""The dialogues behind a period's focus areas, and residents' questions to the council.

A question is asked about a promise or a focus area of a published period, moderated
by the secretary of that municipality (``participation.services``), and, when sent to
the council, answered at a meeting: the answer is public once that meeting is.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.models import Meeting
from promises.models import FocusArea, Period, Promise
from timra_trygghet.models import ChangeLogEntry, TimestampedModel

QUESTION_MAX_LENGTH = 2000
DISPLAY_NAME_MAX_LENGTH = 80


class DialogueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(period__is_published=True)


class Dialogue(TimestampedModel):
    """A survey, dialogue meeting, safety walk or statistics review behind a period."""

    class Kind(models.TextChoices):
        WEB_SURVEY = "web_survey", _("Webbenkät")
        DIALOGUE_MEETING = "dialogue_meeting", _("Dialogmöte")
        SAFETY_WALK = "safety_walk", _("Trygghetsvandring")
        POLICE_STATISTICS = "police_statistics", _("Polisens statistik")

    period = models.ForeignKey(
        Period, verbose_name=_("löftesperiod"), on_delete=models.CASCADE, related_name="dialogues"
    )
    kind = models.CharField(_("slag"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)
    method = models.TextField(_("metod"), blank=True)
    respondents = models.PositiveIntegerField(_("antal svarande"), null=True, blank=True)
    findings = models.TextField(_("det här kom fram"), blank=True)
    source_url = models.URLField(
        _("källa"), blank=True, help_text=_("En länk till rapporten eller nyheten.")
    )
    focus_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("prioriterade områden"),
        related_name="dialogues",
        blank=True,
        help_text=_("Områdena som dialogen lyfte fram."),
    )

    objects = DialogueQuerySet.as_manager()

    constraint_error_fields = {"dialogue_ends_on_or_after_start": "ends_on"}

    class Meta:
        verbose_name = _("medborgardialog")
        verbose_name_plural = _("medborgardialoger")
        ordering = ["period", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="dialogue_ends_on_or_after_start",
                violation_error_message=_("Slutdatum kan inte vara före startdatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """Questions shown to the public: published, or sent on to the council."""
        return self.filter(
            period__is_published=True,
            status__in=[Question.Status.PUBLISHED, Question.Status.SENT_TO_COUNCIL],
        )

    def answered(self):
        """With the council's answer recorded at a meeting that is published."""
        return self.exclude(answer="").filter(
            meeting__is_published=True, meeting__period__is_published=True
        )

    def unanswered(self):
        return self.exclude(pk__in=self.answered().values("pk"))

    def awaiting_moderation(self):
        return self.filter(status=Question.Status.NEW)

    def for_promise(self, promise):
        return self.filter(promise=promise)

    def for_focus_area(self, focus_area):
        """Asked on the area's page, or about one of its promises."""
        return self.filter(Q(focus_area=focus_area) | Q(promise__focus_areas=focus_area)).distinct()

    def with_expired_email(self, now: datetime.datetime | None = None):
        """Questions whose e-mail address has been kept as long as the settings allow.

        Kept until the answer has been sent, then ``QUESTION_EMAIL_RETENTION_DAYS``
        more; a question that will get no answer (rejected, or published without
        going to the council) counts from its moderation. Whatever happens, no
        address outlives ``QUESTION_EMAIL_MAX_DAYS`` from the day it was asked.
        """
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(days=settings.QUESTION_EMAIL_RETENTION_DAYS)
        no_answer_coming = Q(
            status__in=[Question.Status.REJECTED, Question.Status.PUBLISHED],
            moderated_at__lt=cutoff,
        )
        kept_too_long = Q(
            created_at__lt=now - datetime.timedelta(days=settings.QUESTION_EMAIL_MAX_DAYS)
        )
        return self.exclude(email="").filter(
            Q(answer_emailed_at__lt=cutoff) | no_answer_coming | kept_too_long
        )


class Question(TimestampedModel):
    """A resident's question or suggestion to the council ("Fråga rådet")."""

    class Status(models.TextChoices):
        NEW = "new", _("Väntar på granskning")
        PUBLISHED = "published", _("Publicerad")
        SENT_TO_COUNCIL = "sent_to_council", _("Skickad till rådet")
        REJECTED = "rejected", _("Avvisad")

    class RejectionReason(models.TextChoices):
        OFF_TOPIC = "off_topic", _("Hör inte till medborgarlöftena")
        PERSONAL_DATA = "personal_data", _("Innehåller personuppgifter")
        OFFENSIVE = "offensive", _("Kränkande")
        DUPLICATE = "duplicate", _("Samma fråga finns redan")

    period = models.ForeignKey(
        Period, verbose_name=_("löftesperiod"), on_delete=models.CASCADE, related_name="questions"
    )
    promise = models.ForeignKey(
        Promise,
        verbose_name=_("medborgarlöfte"),
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("prioriterat område"),
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
    )
    message = models.TextField(
        _("fråga eller förslag"),
        max_length=QUESTION_MAX_LENGTH,
        validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)],
    )
    display_name = models.CharField(
        _("namn att visa"), max_length=DISPLAY_NAME_MAX_LENGTH, blank=True
    )
    # Never published, never in the API or the feed; deleted by delete_expired_emails.
    email = models.EmailField(_("e-postadress för svar"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    rejection_reason = models.CharField(
        _("skäl till avvisning"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    moderated_at = models.DateTimeField(_("granskad"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("sammanträde"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_questions",
        help_text=_("Sammanträdet där rådet besvarar frågan."),
    )
    answer = models.TextField(_("rådets svar"), blank=True)
    answer_emailed_at = models.DateTimeField(_("svaret mejlat"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    constraint_error_fields = {
        "question_rejected_with_reason": "rejection_reason",
        "question_about_promise_or_focus_area": "promise",
    }

    class Meta:
        verbose_name = _("fråga från invånare")
        verbose_name_plural = _("frågor från invånare")
        ordering = ["-created_at", "-pk"]
        permissions = [("moderate_question", _("Kan granska frågor från invånare"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="question_rejected_with_reason",
                violation_error_message=_("Ange varför frågan avvisas."),
            ),
            models.CheckConstraint(
                condition=Q(promise__isnull=False) | Q(focus_area__isnull=False),
                name="question_about_promise_or_focus_area",
                violation_error_message=_("Frågan gäller ett löfte eller ett område."),
            ),
        ]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def subject(self):
        """The promise or focus area the question was asked about."""
        return self.promise or self.focus_area

    @property
    def subject_title(self) -> str:
        return subject_title(self.subject)

    @property
    def is_answer_public(self) -> bool:
        return bool(self.answer and self.meeting_id and self.meeting.is_published)


class QuestionEdit(ChangeLogEntry):
    """A moderator's edit of a question (personal data taken out): who, when and what.

    The earlier wording is deliberately not kept: the edit exists to remove
    personal data, which a log of the old text would keep.
    """

    question = models.ForeignKey(
        Question, verbose_name=_("fråga"), on_delete=models.CASCADE, related_name="edits"
    )
    fields = models.CharField(_("ändrade fält"), max_length=100)
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta(ChangeLogEntry.Meta):
        verbose_name = _("redigering av fråga")
        verbose_name_plural = _("redigeringar av frågor")

    def __str__(self) -> str:
        return f"{self.made_at:%Y-%m-%d %H:%M}: {self.fields}"


def subject_title(subject) -> str:
    """A promise's title or a focus area's name."""
    return subject.title if isinstance(subject, Promise) else subject.name


def questions_page_url(municipality_slug: str) -> str:
    return reverse("participation:questions", kwargs={"municipality": municipality_slug})
