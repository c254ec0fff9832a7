from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import scene as demo


class Command(BaseCommand):
    help = (
        "Load Timrå's promises and add invented demo data on top: activity plans, progress "
        "updates, measurements and council meetings. --scale N adds N demo municipalities."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale", type=int, default=0, help="Add this many extra demo municipalities."
        )
        parser.add_argument(
            "--admin-password",
            default="",
            help="Create a development superuser 'admin' with this password (DEBUG only).",
        )

    def handle(self, *args, scale: int, admin_password: str, **options) -> None:
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        result = demo.build_scene(scale)
        if result.timra_seeded:
            self.stdout.write(self.style.SUCCESS("Added the demo activity plan for Timrå."))
        else:
            self.stdout.write("Timrå already has activities; left as is.")
        if result.municipalities_added:
            added = result.municipalities_added
            self.stdout.write(self.style.SUCCESS(f"Added {added} demo municipalities."))
        if admin_password:
            if not settings.DEBUG:
                raise CommandError("A demo admin is only created with DJANGO_DEBUG=1.")
            if demo.ensure_demo_admin(admin_password):
                self.stdout.write(self.style.SUCCESS("Created the demo admin."))
