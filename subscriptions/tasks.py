"""Background tasks of the subscriptions (run by ``manage.py db_worker``)."""

from django.tasks import task

from subscriptions.services import digest_send


@task
def send_digest(subscriber_id: int) -> str:
    return digest_send(subscriber_id)
