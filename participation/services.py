"""Writes for dialogues and residents' questions; each asks ``accounts.permissions`` first.

A resident asks without an account (``question_ask``: the public form's spam checks
come first, in ``accounts.form_guard``); everything after that is done by the staff of
the question's municipality: publish, edit out personal data (logged), reject with a
reason, send to the council, answer at a meeting.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from caching.generation import invalidate_pages
from followup.models import Meeting
from followup.services import meeting_correction_record
from participation.models import Dialogue, Question, QuestionEdit, subject_title
from participation.notifications import send_answer_notification
from promises.models import FocusArea, Period, Promise

logger = logging.getLogger(__name__)


def public_content_changed() -> None:
    """Invalidate the page cache when the transaction commits (see caching.signals).

    The app is not among the signal-invalidated apps: a resident's new question is
    not public, and posting one must not empty the cache for everybody.
    """
    transaction.on_commit(invalidate_pages)


# --- Dialogues ------------------------------------------------------------------------


def dialogue_save(*, user, dialogue: Dialogue) -> Dialogue:
    """Create or change a dialogue of a period (its focus areas are saved by the form)."""
    require(
        user,
        "participation.change_dialogue" if dialogue.pk else "participation.add_dialogue",
        dialogue if dialogue.pk else dialogue.period,
    )
    dialogue.full_clean()
    dialogue.save()
    public_content_changed()
    return dialogue


def dialogue_focus_areas_check(dialogue: Dialogue, focus_areas) -> None:
    """A dialogue raises focus areas of its own period only."""
    strangers = [area for area in focus_areas if area.period_id != dialogue.period_id]
    if strangers:
        raise ValidationError(
            {
                "focus_areas": _("%(areas)s hör inte till dialogens löftesperiod.")
                % {"areas": ", ".join(f"”{area}”" for area in strangers)}
            }
        )


def dialogue_delete(*, user, dialogue: Dialogue) -> None:
    require(user, "participation.delete_dialogue", dialogue)
    dialogue.delete()
    public_content_changed()


# --- Asking -----------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *, subject: Promise | FocusArea, message: str, display_name: str = "", email: str = ""
) -> Question:
    """A resident's question about a published promise or focus area, awaiting moderation."""
    if not subject.period.is_published:
        raise ValidationError(_("Det går inte att ställa frågor om en opublicerad period."))
    question = Question(
        period=subject.period,
        promise=subject if isinstance(subject, Promise) else None,
        focus_area=subject if isinstance(subject, FocusArea) else None,
        message=message.strip(),
        display_name=display_name.strip(),
        email=email.strip(),
    )
    question.full_clean()
    question.save()
    return question


# --- Moderation ---------------------------------------------------------------------------


def _moderated(question: Question, user, status: str) -> None:
    question.status = status
    question.moderated_at = timezone.now()
    question.moderated_by = user if getattr(user, "pk", None) else None


@transaction.atomic
def question_publish(*, user, question: Question) -> bool:
    """Publish the question as it stands; False when it was already public."""
    require(user, "participation.moderate_question", question)
    if question.status == Question.Status.PUBLISHED:
        return False
    _moderated(question, user, Question.Status.PUBLISHED)
    question.rejection_reason = ""
    question.save()
    public_content_changed()
    return True


@transaction.atomic
def question_reject(*, user, question: Question, reason: str) -> bool:
    """Reject with one of the reasons; a rejected question is never shown."""
    require(user, "participation.moderate_question", question)
    if reason not in Question.RejectionReason.values:
        raise ValidationError({"rejection_reason": _("Välj ett av skälen.")})
    if question.status == Question.Status.SENT_TO_COUNCIL and question.answer:
        raise ValidationError(_("Rådet har redan svarat på frågan."))
    _moderated(question, user, Question.Status.REJECTED)
    question.rejection_reason = reason
    question.meeting = None
    question.save()
    public_content_changed()
    return True


def next_meeting(question: Question, today: datetime.date | None = None) -> Meeting | None:
    """The council's next meeting on the question's period: today or later, not yet published."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(
            council__municipality=question.period.municipality_id,
            period=question.period_id,
            is_published=False,
            first_published_at__isnull=True,
            date__gte=today,
        )
        .order_by("date", "start_time", "pk")
        .first()
    )


@transaction.atomic
def question_send_to_council(*, user, question: Question) -> bool:
    """Publish the question and put it on the next meeting's follow-up form.

    Without a planned meeting the question waits; ``questions_attach_to_meeting``
    puts it on the next meeting when that is added.
    """
    require(user, "participation.moderate_question", question)
    if question.status == Question.Status.SENT_TO_COUNCIL:
        return False
    _moderated(question, user, Question.Status.SENT_TO_COUNCIL)
    question.rejection_reason = ""
    question.meeting = next_meeting(question)
    question.save()
    public_content_changed()
    return True


@transaction.atomic
def question_edit(*, user, question: Question, note: str = "") -> list[str]:
    """Save the moderator's edit of the text or the name, logging who changed which field."""
    require(user, "participation.change_question", question)
    before = Question.objects.filter(pk=question.pk).values("message", "display_name").first()
    question.message = question.message.strip()
    question.display_name = question.display_name.strip()
    question.full_clean()
    changed = [
        name for name in ("message", "display_name") if before[name] != getattr(question, name)
    ]
    question.save()
    public_content_changed()
    if changed:
        QuestionEdit.objects.create(
            question=question,
            fields=", ".join(changed),
            note=note[:200],
            made_by=user if getattr(user, "pk", None) else None,
        )
    return changed


# --- The council ------------------------------------------------------------------------


def questions_attach_to_meeting(*, user, meeting: Meeting) -> int:
    """Put the questions sent to the council that wait for a meeting on this one."""
    require(user, "followup.change_meeting", meeting)
    if meeting.is_public_record or meeting.date < timezone.localdate():
        return 0
    return Question.objects.filter(
        status=Question.Status.SENT_TO_COUNCIL,
        meeting__isnull=True,
        period=meeting.period_id,
    ).update(meeting=meeting, updated_at=timezone.now())


@transaction.atomic
def question_answer(*, user, question: Question, answer: str, reason: str = "") -> Question:
    """Record the council's answer; it is public once the meeting is published.

    The answer of a meeting that is (or was) published is part of a public record: a
    change needs a ``reason`` and is kept, with the earlier wording, as one of the
    meeting's corrections.
    """
    require(user, "participation.answer_question", question)
    if question.status != Question.Status.SENT_TO_COUNCIL or question.meeting_id is None:
        raise ValidationError(_("Bara frågor som skickats till ett sammanträde kan besvaras."))
    before = Question.objects.filter(pk=question.pk).values_list("answer", flat=True).first()
    question.answer = answer.strip()
    question.full_clean()
    meeting = Meeting.objects.get(pk=question.meeting_id)
    if meeting.is_public_record and (before or "") != question.answer:
        meeting_correction_record(
            user=user,
            meeting=meeting,
            reason=reason,
            changes=[
                {
                    "model": "participation.question",
                    "field": "answer",
                    "subject": subject_title(question.subject),
                    "before": before or None,
                }
            ],
        )
    question.save()
    public_content_changed()
    return question


def questions_notify_answered(meeting: Meeting, base_url: str | None = None) -> int:
    """E-mail each resident who left an address the answer given at this published meeting.

    Run when the meeting has been published (``participation.receivers``, by the system,
    not a user); each answer is sent once (``answer_emailed_at``, set in the same
    transaction as the message is queued), and a failed queueing is logged and tried
    again next time. Links lead to ``base_url``, by default ``SITE_URL``: never the
    host name the publishing request happened to use.
    """
    if not meeting.is_published:
        return 0
    base_url = base_url or settings.SITE_URL
    sent = 0
    waiting = (
        Question.objects.answered()
        .filter(meeting=meeting, answer_emailed_at__isnull=True)
        .exclude(email="")
        .select_related("promise", "focus_area", "period__municipality", "meeting")
    )
    for question in waiting:
        try:
            with transaction.atomic():
                send_answer_notification(question, base_url)
                Question.objects.filter(pk=question.pk).update(answer_emailed_at=timezone.now())
        except OSError:
            logger.exception("The answer to question %s could not be e-mailed", question.pk)
            continue
        sent += 1
    return sent


# --- Retention ------------------------------------------------------------------------


def delete_expired_emails(*, user, now: datetime.datetime | None = None) -> int:
    """Erase the e-mail addresses kept longer than the settings allow; returns how many."""
    require(user, "participation.delete_question")
    return Question.objects.with_expired_email(now).update(email="", updated_at=timezone.now())


def questions_with_address(address: str):
    """The questions that still carry ``address`` (matched without regard to case)."""
    return Question.objects.exclude(email="").filter(email__iexact=address.strip())


def questions_erase_address(address: str, *, made_by=None) -> int:
    """Erase ``address`` from every question; the text stays. Returns how many.

    Called by ``subscriptions.personal_data.personal_data_erase``, which checks
    the permission; each erasure is logged in the question's edit log (who and
    when, not the address).
    """
    questions = list(questions_with_address(address).only("pk"))
    now = timezone.now()
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(email="", updated_at=now)
    QuestionEdit.objects.bulk_create(
        QuestionEdit(
            question=question,
            fields="email",
            note=_("E-postadressen raderad på begäran."),
            made_at=now,
            made_by=made_by if getattr(made_by, "pk", None) else None,
        )
        for question in questions
    )
    return len(questions)


def question_delete(*, user, question: Question) -> None:
    """Delete a question and its edit log (a resident's request to have it removed)."""
    require(user, "participation.delete_question", question)
    question.delete()
    public_content_changed()


def load_timra_dialogues(data, *, user) -> int:
    """Add the dialogues behind Timrå's published promises (``load_timra`` first); safe to repeat.

    Returns how many dialogues were created.
    """
    period = Period.objects.filter(
        municipality__slug=data.PERIOD["municipality"], slug=data.PERIOD["slug"]
    ).first()
    if period is None:
        return 0
    created = 0
    for row in data.DIALOGUES:
        if Dialogue.objects.filter(period=period, title=row["title"]).exists():
            continue
        fields = {key: value for key, value in row.items() if key != "focus_areas"}
        dialogue = dialogue_save(user=user, dialogue=Dialogue(period=period, **fields))
        dialogue.focus_areas.set(period.focus_areas.filter(slug__in=row["focus_areas"]))
        created += 1
    return created
