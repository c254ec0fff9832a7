"""Give the existing Timrå its official code and county, found by name.

Every other municipality gets its code from ``manage.py load_municipalities``;
Timrå is filled here because it is the one already in use.
"""

from django.db import migrations

TIMRA = {"name": "Timrå", "code": "2262"}
VASTERNORRLAND = {"code": "22", "name": "Västernorrlands län"}


def fill_timra(apps, schema_editor):
    Municipality = apps.get_model("promises", "Municipality")
    County = apps.get_model("promises", "County")
    municipality = Municipality.objects.filter(name=TIMRA["name"], code__isnull=True).first()
    if municipality is None or Municipality.objects.filter(code=TIMRA["code"]).exists():
        return
    county, _created = County.objects.get_or_create(
        code=VASTERNORRLAND["code"], defaults={"name": VASTERNORRLAND["name"]}
    )
    municipality.code = TIMRA["code"]
    municipality.county = county
    municipality.save(update_fields=["code", "county"])


class Migration(migrations.Migration):
    dependencies = [("promises", "0003_municipality_code_and_county")]

    operations = [migrations.RunPython(fill_timra, migrations.RunPython.noop)]
