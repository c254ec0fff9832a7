from django.db import migrations, models


def first_published_from_published(apps, schema_editor):
    """A meeting published before this migration was first published no later than then."""
    Meeting = apps.get_model("followup", "Meeting")
    for meeting in Meeting.objects.filter(
        models.Q(is_published=True) | models.Q(published_at__isnull=False)
    ):
        meeting.first_published_at = meeting.published_at or meeting.updated_at
        meeting.save(update_fields=["first_published_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_meeting_public_record"),
    ]

    operations = [
        migrations.RunPython(first_published_from_published, migrations.RunPython.noop),
    ]
