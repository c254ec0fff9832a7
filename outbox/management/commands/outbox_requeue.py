from django.core.management.base import BaseCommand

from outbox.services import email_requeue_stale


class Command(BaseCommand):
    help = "Enqueue again e-mail that no task will send (a worker died while sending)."

    def handle(self, *args, **options) -> None:
        count = email_requeue_stale()
        self.stdout.write(f"{count} e-mail enqueued again.")
