from django.core.management.base import BaseCommand

from accounts.permissions import SYSTEM
from participation.services import delete_expired_emails


class Command(BaseCommand):
    help = (
        "Erase residents' e-mail addresses kept longer than QUESTION_EMAIL_RETENTION_DAYS "
        "(run daily, e.g. from a systemd timer or cron)."
    )

    def handle(self, *args, **options) -> None:
        deleted = delete_expired_emails(user=SYSTEM)
        self.stdout.write(f"Erased {deleted} e-mail addresses.")
