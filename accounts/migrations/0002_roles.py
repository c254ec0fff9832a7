"""Create the three roles (groups) with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of accounts.roles.ROLE_PERMISSIONS at the time of this migration.
ALL = ("view", "add", "change", "delete")
DOMAIN = {
    "promises": ["municipality", "organisation", "period", "focusarea", "promise"],
    "activities": ["activity", "progressupdate", "indicator", "measurement"],
    "followup": ["council", "meeting", "followup"],
}


def perms(models, actions):
    return {
        (app_label, f"{action}_{model}")
        for app_label, names in models.items()
        for model in names
        for action in actions
    }


ROLES = {
    "Administratör": perms(DOMAIN, ALL)
    | perms({"auth": ["user", "group"], "accounts": ["staffprofile"]}, ALL),
    "Sekreterare": perms(DOMAIN, ("view",)) | perms({"followup": DOMAIN["followup"]}, ALL),
    "Rapportör": {
        ("promises", "view_promise"),
        ("activities", "view_activity"),
        ("activities", "view_indicator"),
        ("activities", "view_progressupdate"),
        ("activities", "add_progressupdate"),
        ("activities", "change_progressupdate"),
        ("activities", "view_measurement"),
        ("activities", "add_measurement"),
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in sorted(wanted):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def keep_roles(apps, schema_editor):
    """Rolling back keeps the groups and who belongs to them.

    Deleting them would take every staff user's role with it, and applying the
    migration again (or any migrate, see accounts.roles.ensure_roles) would bring
    the groups back empty. Kept, they are reused by get_or_create above.
    """


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("promises", "0001_initial"),
        ("activities", "0001_initial"),
        ("followup", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, keep_roles)]
