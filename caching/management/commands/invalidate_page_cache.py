from django.core.management.base import BaseCommand, CommandError

from caching.generation import invalidate_pages


class Command(BaseCommand):
    help = (
        "Make every cached anonymous page stale on all app servers. Run it after bulk "
        "changes that bypass model signals (bulk_create, QuerySet.update, raw SQL)."
    )

    def handle(self, *args, **options):
        if not invalidate_pages():
            raise CommandError("The cache could not be reached; see the log.")
        self.stdout.write("Page cache invalidated.")
