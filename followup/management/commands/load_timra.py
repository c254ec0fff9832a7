from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.permissions import SYSTEM
from followup.services import load_timra
from promises.data import timra_2021_2022 as data
from promises.services import TimraLoadResult


class Command(BaseCommand):
    help = "Load Timrå's published 2021–2022 citizen promises. Safe to run again."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            # Run from the server's shell: the command line's actor (see SYSTEM).
            result: TimraLoadResult = load_timra(data, user=SYSTEM)
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"Loaded {result.created} objects for {result.period}.")
            )
        else:
            self.stdout.write(f"{result.period} was already loaded; nothing changed.")
