"""E-mail to residents. One function per message, so that the sending can be moved to a
task queue without changing its callers."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from participation.models import subject_title


def send_answer_notification(question, base_url: str) -> None:
    """Send the resident the council's answer, in Swedish, as plain text with an HTML part.

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
        message = EmailMultiAlternatives(
            subject=_("Rådet har svarat på din fråga"),
            body=render_to_string("participation/email/answer.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[question.email],
        )
        message.attach_alternative(
            render_to_string("participation/email/answer.html", context), "text/html"
        )
        message.send()
