"""Sending e-mail outside the request: queue now, deliver in a background task.

``email_queue`` stores the message and, when the transaction commits, enqueues
the task ``outbox.tasks.send_outgoing_email`` (Django's tasks framework; in
production the database backend of django-tasks-db and ``manage.py db_worker``).
The request never talks to the SMTP server, so it neither waits for it nor
fails with it.

``email_deliver`` (the task's body) claims the row with one conditional UPDATE,
so two tasks for the same message never both send it; sends; and deletes the
row. If the SMTP server is away, the row goes back to the queue and the task is
enqueued again to run after a back-off (1, 2, 4 … minutes, at most an hour),
until the server takes it: the message is delivered once it is back, and only
once. ``email_requeue_stale`` picks up what a killed worker left behind.
"""

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.tasks import task_backends
from django.utils import timezone

from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died while sending.
STALE_CLAIM = timedelta(minutes=10)


def email_queue(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    headers: dict | None = None,
    kind: str = "",
) -> OutgoingEmail:
    """Queue one message to one recipient; it is sent after the transaction commits.

    ``text`` is the plain-text body, ``html`` an optional HTML alternative,
    ``headers`` extra headers (``List-Unsubscribe`` …), ``kind`` a label of the
    sending app for withdrawing its unsent mail (``emails_delete_for``).
    """
    email = OutgoingEmail.objects.create(
        to=to, subject=subject, text=text, html=html, headers=headers or {}, kind=kind
    )
    transaction.on_commit(partial(_enqueue, email.pk))
    return email


def _enqueue(email_id: int, run_after=None) -> None:
    from outbox.tasks import send_outgoing_email

    if run_after is None:
        send_outgoing_email.enqueue(email_id)
    elif task_backends[send_outgoing_email.backend].supports_defer:
        send_outgoing_email.using(run_after=run_after).enqueue(email_id)
    # A backend that runs tasks at once (development) cannot wait: the row stays
    # queued and ``email_requeue_stale`` sends it later.


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.EMAIL_RETRY_FIRST_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


def email_deliver(email_id: int) -> str:
    """Send one queued message: "sent", "retry", "failed", or "skipped" if not queued."""
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"  # sent already, deleted (unsubscribed), or another task has it
    email = OutgoingEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=[email.to],
        headers=email.headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        # The server refuses the address itself: asking again changes nothing.
        return _give_up(email, error)
    except (smtplib.SMTPException, OSError) as error:
        if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            return _give_up(email, error)
        retry_at = timezone.now() + retry_delay(email.attempts)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.QUEUED,
            next_attempt_at=retry_at,
            claimed_at=None,
            last_error=str(error)[:300],
        )
        logger.warning("SMTP unavailable (%s); e-mail %s retried at %s.", error, email.pk, retry_at)
        _enqueue(email.pk, run_after=retry_at)
        return "retry"
    OutgoingEmail.objects.filter(pk=email.pk).delete()
    return "sent"


def _give_up(email: OutgoingEmail, error: Exception) -> str:
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.FAILED, last_error=str(error)[:300]
    )
    logger.error(
        "E-mail %s could not be sent after %d attempts: %s", email.pk, email.attempts, error
    )
    return "failed"


def email_requeue_stale() -> int:
    """Enqueue again what no task will send: claims of dead workers, retries past due.

    A duplicate task is harmless (the claim lets one of them send), so this may
    run as often as one likes (``manage.py outbox_requeue``).
    """
    now = timezone.now()
    OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutgoingEmail.Status.QUEUED, claimed_at=None)
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, next_attempt_at__lt=now - STALE_CLAIM
        ).values_list("pk", flat=True)
    )
    for email_id in due:
        _enqueue(email_id)
    return len(due)


def emails_for(address: str):
    """The messages stored for ``address`` (matched without regard to case)."""
    return OutgoingEmail.objects.filter(to__iexact=address.strip())


def emails_delete_for(address: str, kind: str | None = None) -> int:
    """Delete the messages still waiting for ``address`` (of one ``kind``, or all)."""
    emails = emails_for(address)
    if kind is not None:
        emails = emails.filter(kind=kind)
    deleted, _rows = emails.delete()
    return deleted
