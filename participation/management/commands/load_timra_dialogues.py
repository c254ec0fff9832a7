from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.permissions import SYSTEM
from participation.data import timra_dialogues
from participation.services import load_timra_dialogues


class Command(BaseCommand):
    help = (
        "Add the residents' dialogue behind Timrå's 2021–2022 promises (after load_timra). "
        "Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            created = load_timra_dialogues(timra_dialogues, user=SYSTEM)
        self.stdout.write(f"Added {created} dialogues." if created else "Nothing to add.")
