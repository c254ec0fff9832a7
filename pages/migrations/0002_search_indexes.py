"""GIN indexes on PostgreSQL for each kind the search reads, so a search is an
index look-up and not a ``to_tsvector`` over every row of every municipality.

Each index expression is the very one ``pages.search._matching`` filters on
(``SearchVector(*fields, config="swedish_unaccent")``); a test in
tests/pages/test_search.py checks the planner uses them. SQLite has nothing to index.
"""

from django.db import migrations

SEARCHED = {
    "promises_focusarea": ("name", "description"),
    "promises_promise": ("title", "text"),
    "activities_activity": ("title", "description", "place"),
    "activities_progressupdate": ("text",),
    "followup_meeting": ("minutes", "agenda", "place"),
    "followup_followup": ("comment", "next_steps"),
}


def _index_name(table: str) -> str:
    return f"search_{table}"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in SEARCHED.items():
        document = " || ' ' || ".join(f"COALESCE(\"{field}\", '')" for field in fields)
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_index_name(table)}" ON "{table}" '
            f"USING gin (to_tsvector('swedish_unaccent'::regconfig, {document}))"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_index_name(table)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_swedish_unaccent_search"),
        ("promises", "0002_reserved_slugs"),
        ("activities", "0002_progress_update_history"),
        ("followup", "0002_meeting_version"),
    ]

    operations = [migrations.RunPython(_create, _drop)]
