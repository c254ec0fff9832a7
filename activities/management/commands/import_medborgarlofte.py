import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.permissions import SYSTEM
from activities.medborgarlofte_draft import medborgarlofte_draft_create
from promises.medborgarlofte_import import UnreadableDocument, parse, text_from_docx
from promises.models import Municipality


def read_text(path: Path) -> str:
    """The plain text of a .txt (UTF-8) or .docx file."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            return text_from_docx(path.read_bytes())
        if suffix == ".txt":
            return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, UnreadableDocument) as error:
        raise CommandError(f"Cannot read {path}: {error}") from error
    raise CommandError(f"{path}: only .txt and .docx files can be imported.")


class Command(BaseCommand):
    help = (
        "Read the text of a published medborgarlöfte (.txt or .docx) and create it as an "
        "unpublished draft period of a municipality. --dry-run --json prints what would be "
        "created (the format is described in the README)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--municipality", required=True, help="The municipality's slug.")
        parser.add_argument("--dry-run", action="store_true", help="Create nothing.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--starts-on", type=date.fromisoformat, help="Start date (YYYY-MM-DD) if not in text."
        )
        parser.add_argument(
            "--ends-on", type=date.fromisoformat, help="End date (YYYY-MM-DD) if not in text."
        )

    def handle(self, *args, **options) -> None:
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality has the slug {options['municipality']!r}.")
        parsed = parse(read_text(options["file"]))
        found = {"municipality": municipality.slug, **parsed.as_dict()}
        if not options["dry_run"]:
            try:
                draft = medborgarlofte_draft_create(
                    user=SYSTEM,
                    municipality=municipality,
                    parsed=parsed,
                    starts_on=options["starts_on"],
                    ends_on=options["ends_on"],
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            found["draft"] = {
                "period": draft.period.slug,
                "is_published": draft.period.is_published,
                "focus_areas": draft.focus_areas,
                "promises": draft.promises,
                "indicators": draft.indicators,
                "organisations_created": draft.organisations_created,
            }
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
            return
        self._summary(found)

    def _summary(self, found: dict) -> None:
        period = found["period"] or {}
        self.stdout.write(
            f"Period: {period.get('name') or '?'} "
            f"({period.get('starts_on')} – {period.get('ends_on')})"
        )
        self.stdout.write(f"Focus areas: {len(found['focus_areas'])}")
        for area in found["focus_areas"]:
            self.stdout.write(f"  - {area['name']}")
        self.stdout.write(f"Promises: {len(found['promises'])}")
        for promise in found["promises"]:
            parties = ", ".join(promise["parties"]) or "?"
            self.stdout.write(f"  - [{parties}] {promise['title']}")
            for target in promise["targets"]:
                self.stdout.write(f"      target: {target['text']} ({target['cadence']})")
        if found["follow_up"]:
            self.stdout.write(f"Follow-up: {found['follow_up']['cadence'] or '?'}")
        self.stdout.write(f"Unclassified sentences: {len(found['unclassified'])}")
        for sentence in found["unclassified"]:
            self.stdout.write(f"  ? {sentence}")
        if "draft" in found:
            self.stdout.write(
                self.style.SUCCESS(f"Created the draft period {found['draft']['period']}.")
            )
        else:
            self.stdout.write("Dry run: nothing was created.")
