"""The e-mail of "Följ löftet" through a real SMTP server (aiosmtpd) and the real worker.

Transactions commit in these tests, as in production: mail is queued when the
request's transaction commits and sent when the worker runs the task.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from activities.models import ProgressUpdate
from activities.services import progress_update_create
from followup.models import Meeting
from followup.services import meeting_publish
from outbox.models import OutgoingEmail
from subscriptions.models import Subscriber, Subscription
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.smtp import body, run_worker
from tests.subscriptions.conftest import form_data, link, subscribe_url

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "anna.andersson@exempel.se"


def subscribe_and_confirm(client, promise, smtp) -> Subscriber:
    client.post(subscribe_url(promise), form_data(ADDRESS))
    run_worker()
    confirm_path = link(body(smtp.messages[-1], "plain"), "/folj/bekrafta/")
    client.post(confirm_path)
    return Subscriber.objects.get(email=ADDRESS)


def report(user, activity, text: str) -> None:
    progress_update_create(
        user=user,
        activity=activity,
        status=ProgressUpdate.Status.IN_PROGRESS,
        percent_complete=60,
        text=text,
    )


def test_subscribing_sends_a_swedish_confirmation_whose_link_confirms(client, promise, smtp):
    response = client.post(subscribe_url(promise), form_data(ADDRESS))
    assert response.status_code == 302
    # Nothing is sent in the request: the message waits for the worker.
    assert smtp.messages == []
    assert OutgoingEmail.objects.filter(to=ADDRESS).count() == 1

    run_worker()

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == ADDRESS
    assert message["Subject"] == f"Bekräfta att du vill följa löftet ”{promise.title}”"
    text, html = body(message, "plain"), body(message, "html")
    assert "Bekräfta genom att öppna länken" in text
    assert "<a href=" in html and "Bekräfta att du vill följa löftet" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # As sent (unfolded): the URL itself, not RFC 2047 encoded words, which mail
    # clients would not offer as an unsubscribe button.
    raw_headers = smtp.inbox.raw[0].split(b"\r\n\r\n")[0].decode("ascii")
    unfolded = raw_headers.replace("\r\n ", " ").split("\r\n")
    unsubscribe = next(line for line in unfolded if line.startswith("List-Unsubscribe:"))
    assert (
        unsubscribe.split(":", 1)[1]
        .strip()
        .startswith("<https://trygghet.example.se/folj/avsluta/")
    )
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in unfolded
    # Sent, so no longer stored anywhere but in the subscription itself.
    assert not OutgoingEmail.objects.exists()

    subscription = Subscription.objects.get(subscriber__email=ADDRESS)
    assert subscription.confirmed_at is None
    confirm_path = link(text, "/folj/bekrafta/")
    # Opening the link (or a mail scanner fetching it) confirms nothing by itself.
    assert client.get(confirm_path).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    response = Client(enforce_csrf_checks=True).post(confirm_path)
    assert "Du följer nu löftet" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_a_progress_update_and_a_published_meeting_make_one_digest_a_day(
    client, promise, timra_plan, national_administrator, smtp
):
    subscriber = subscribe_and_confirm(client, promise, smtp)
    activity = timra_plan["activity"]
    meeting = MeetingFactory(
        council=timra_plan["council"], period=promise.period, is_published=False
    )
    FollowUpFactory(meeting=meeting, promise=promise)

    report(national_administrator, activity, "Tio fotpatruller i centrum under november.")
    meeting_publish(user=national_administrator, meeting=meeting)
    run_worker()

    assert len(smtp.messages) == 2  # the confirmation, then one digest
    digest = smtp.messages[-1]
    assert digest["Subject"] == f"Nytt om löftet ”{promise.title}”"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = body(digest, "plain"), body(digest, "html")
    for part in (text, html):
        assert "Tio fotpatruller i centrum under november." in part
        assert "Rådets uppföljning" in part
        assert meeting.date.strftime("%Y") in part
    assert "60 % klart" in text

    # A second update the same day waits for tomorrow's digest.
    report(national_administrator, activity, "Trygghetsvandring i Vivsta genomförd.")
    run_worker()
    assert len(smtp.messages) == 2
    subscriber.refresh_from_db()
    assert subscriber.digest_due
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_digest")
    assert waiting.exists()
    assert all(task.run_after >= subscriber.last_digest_at + timedelta(days=1) for task in waiting)

    # A day later the waiting task sends only what is new since the first digest.
    a_day = timedelta(days=1, minutes=1)
    Subscriber.objects.filter(pk=subscriber.pk).update(
        last_digest_at=subscriber.last_digest_at - a_day
    )
    ProgressUpdate.objects.filter(text__startswith="Tio").update(created_at=F("created_at") - a_day)
    Meeting.objects.filter(pk=meeting.pk).update(published_at=F("published_at") - a_day)
    waiting.update(run_after=timezone.now())
    run_worker()
    assert len(smtp.messages) == 3
    text = body(smtp.messages[-1], "plain")
    assert "Trygghetsvandring i Vivsta genomförd." in text
    assert "Tio fotpatruller" not in text


def test_nobody_gets_a_digest_about_a_promise_they_did_not_confirm(
    client, promise, timra_plan, national_administrator, smtp
):
    client.post(subscribe_url(promise), form_data(ADDRESS))
    run_worker()
    report(national_administrator, timra_plan["activity"], "Ny rapport.")
    run_worker()
    assert len(smtp.messages) == 1  # the confirmation only


def test_one_click_unsubscribe_from_the_mail_client_deletes_the_address(client, promise, smtp):
    subscribe_and_confirm(client, promise, smtp)
    header = smtp.messages[-1]["List-Unsubscribe"]
    path = urlsplit(header.strip().strip("<>")).path

    # RFC 8058: the mail client POSTs this body, with no cookie and no CSRF token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert not Subscription.objects.exists()
    assert not OutgoingEmail.objects.filter(to=ADDRESS).exists()
    # Clicking again, or an old link, is the same answer; the page for it is gone.
    assert (
        mail_client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert client.get(path).status_code == 404


def test_smtp_down_the_mail_is_sent_once_it_is_back_and_only_once(client, promise, smtp):
    smtp.stop()

    # The request does not notice: it only queues.
    response = client.post(subscribe_url(promise), form_data(ADDRESS))
    assert response.status_code == 302

    run_worker(max_tasks=1)
    email = OutgoingEmail.objects.get(to=ADDRESS)
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error
    retry = DBTaskResult.objects.get(status="READY", task_path__endswith="send_outgoing_email")
    assert retry.run_after > timezone.now() + timedelta(seconds=30)  # backing off
    run_worker()  # nothing is due yet
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1

    smtp.start()
    retry_time = timezone.now()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=retry_time)  # time passes
    run_worker()
    run_worker()

    assert len(smtp.messages) == 1
    assert smtp.inbox.recipients == [[ADDRESS]]
    assert not OutgoingEmail.objects.exists()


def test_two_tasks_for_one_message_send_it_once(client, promise, smtp):
    from outbox.tasks import send_outgoing_email

    client.post(subscribe_url(promise), form_data(ADDRESS))
    email = OutgoingEmail.objects.get(to=ADDRESS)
    send_outgoing_email.enqueue(email.pk)  # e.g. `manage.py outbox_requeue` ran meanwhile

    run_worker()

    assert len(smtp.messages) == 1
