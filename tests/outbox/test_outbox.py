"""The outbox's retry schedule, giving up, and picking up what a dead worker left."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingEmail
from outbox.services import email_deliver, email_queue, email_requeue_stale, retry_delay
from tests.smtp import SmtpServer, free_port, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_retries_back_off_from_a_minute_doubling_up_to_an_hour():
    delays = [retry_delay(attempt).total_seconds() for attempt in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_a_message_is_given_up_after_the_last_attempt_and_kept_for_the_record():
    unreachable = SmtpServer(free_port())  # never started
    with override_settings(MAILERS=unreachable.mailers(), EMAIL_MAX_ATTEMPTS=2):
        email = email_queue(to="anna@exempel.se", subject="Hej", text="Hej")
        assert email_deliver(email.pk) == "retry"
        OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        assert email_deliver(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 2
    assert email_deliver(email.pk) == "skipped"


def test_a_claim_left_by_a_dead_worker_is_sent_after_requeueing():
    server = SmtpServer().start()
    try:
        with override_settings(MAILERS=server.mailers()):
            email = email_queue(to="anna@exempel.se", subject="Hej", text="Hej")
            DBTaskResult.objects.all().delete()  # the worker died with its task
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=OutgoingEmail.Status.SENDING,
                claimed_at=timezone.now() - timedelta(hours=1),
                next_attempt_at=timezone.now() - timedelta(hours=1),
            )
            assert email_requeue_stale() == 1
            run_worker()
    finally:
        server.stop()
    assert len(server.messages) == 1
    assert not OutgoingEmail.objects.exists()
