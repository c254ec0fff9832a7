from django.core.management.base import BaseCommand

from promises.services import municipalities_load, municipality_rows


class Command(BaseCommand):
    help = (
        "Load Sweden's 290 municipalities with their official codes and counties "
        "(promises/data/kommuner.csv). Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        result = municipalities_load(municipality_rows())
        self.stdout.write(
            f"Municipalities: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
