"""E-mail to residents, queued in the outbox (sent by the worker, retried while SMTP is away)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from outbox.services import email_queue
from participation.models import subject_title


def send_answer_notification(question, base_url: str) -> None:
    """Queue the council's answer to the resident (``outbox``: sent by the worker, retried while
    SMTP is away), in Swedish, as plain text with an HTML part.

    ``base_url`` (``https://host``) makes the link absolute: there is no request here.
    """
    with translation.override("sv"):
        subject = question.subject
        context = {
            "question": question,
            "subject_title": subject_title(subject),
            "subject_url": base_url.rstrip("/") + subject.get_absolute_url(),
            "meeting": question.meeting,
            "retention_days": settings.QUESTION_EMAIL_RETENTION_DAYS,
        }
        email_queue(
            to=question.email,
            subject=_("Rådet har svarat på din fråga"),
            text=render_to_string("participation/email/answer.txt", context),
            html=render_to_string("participation/email/answer.html", context),
            # RFC 3834: an automatic message, so auto-responders do not answer it.
            headers={"Auto-Submitted": "auto-generated"},
            kind="questions",
        )
