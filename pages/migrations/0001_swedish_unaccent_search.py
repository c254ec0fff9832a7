"""The full-text configuration the search uses on PostgreSQL: Swedish, diacritics folded.

``swedish_unaccent`` is PostgreSQL's ``swedish`` with the ``unaccent`` dictionary
in front of the Swedish stemmer for words with non-ASCII letters, so that "vald"
and "våld", "narvarande" and "närvarande" are the same lexeme. On SQLite there is
nothing to create: ``pages.search`` folds the letters itself.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE = """
CREATE TEXT SEARCH CONFIGURATION swedish_unaccent (COPY = pg_catalog.swedish);
ALTER TEXT SEARCH CONFIGURATION swedish_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, swedish_stem;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS swedish_unaccent;"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        UnaccentExtension(),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
