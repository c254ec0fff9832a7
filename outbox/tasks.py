"""The background task that sends one queued e-mail (run by ``manage.py db_worker``)."""

from django.tasks import task

from outbox.services import email_deliver


@task
def send_outgoing_email(email_id: int) -> str:
    return email_deliver(email_id)
