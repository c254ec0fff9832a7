"""Log entries written when a subscriber was deleted in the admin named its address.

Since then the admin names deleted subscribers by number (``subscriber_log_label``);
this makes the entries written before anonymous in the same way.
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def anonymise(apps, schema_editor) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    subscriber_type = ContentType.objects.filter(
        app_label="subscriptions", model="subscriber"
    ).first()
    if subscriber_type is None:
        return
    LogEntry.objects.filter(content_type=subscriber_type, object_id__isnull=False).update(
        object_repr=Concat(Value("#"), F("object_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(anonymise, migrations.RunPython.noop, elidable=True)]
