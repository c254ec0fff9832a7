from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.staff import DEMO_STAFF, ensure_demo_staff


class Command(BaseCommand):
    help = "Create development logins for each role on Timrå's organisations (DEBUG only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", required=True, help="The password of every demo login.")

    def handle(self, *args, password: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo logins are only created with DJANGO_DEBUG=1.")
        created = ensure_demo_staff(password)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created demo logins: {', '.join(created)}."))
        else:
            usernames = ", ".join(username for username, _role, _slug in DEMO_STAFF)
            self.stdout.write(f"Demo logins already exist (or Timrå is not loaded): {usernames}.")
