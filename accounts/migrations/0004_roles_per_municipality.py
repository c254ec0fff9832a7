"""Roles per municipality: the national administrator, and every secretary's and
administrator's municipalities, so that today's users keep working.

* "Nationell administratör" gets every permission "Administratör" held; adding and
  deleting municipalities and changing the roles become national only.
* Each secretary and administrator gets the municipalities of their organisation,
  or every existing municipality when their organisation names none or they have
  no organisation (administrators); with Timrå alone in the portal that is Timrå.
  Superusers are national administrators by the rules and need nothing here.

Rolling back gives the national administrators the "Administratör" group (so they
keep every power the earlier rules gave), returns its permissions to it, and
removes the profiles this migration created for administrators (the column they
need, a nullable organisation, goes with the previous migration).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NATIONAL = "Nationell administratör"
ADMINISTRATOR = "Administratör"
SECRETARY = "Sekreterare"
# A frozen copy of accounts.roles.NATIONAL_ONLY at the time of this migration.
NATIONAL_ONLY = [
    ("promises", "add_municipality"),
    ("promises", "delete_municipality"),
    ("auth", "add_group"),
    ("auth", "change_group"),
    ("auth", "delete_group"),
]


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in pairs
    ]


def forward(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Municipality = apps.get_model("promises", "Municipality")
    StaffProfile = apps.get_model("accounts", "StaffProfile")
    User = apps.get_model("auth", "User")

    administrator, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    national, _created = Group.objects.get_or_create(name=NATIONAL)
    national.permissions.add(
        *administrator.permissions.all(), *_permissions(apps, NATIONAL_ONLY)
    )
    administrator.permissions.remove(*_permissions(apps, NATIONAL_ONLY))

    every_municipality = list(Municipality.objects.values_list("pk", flat=True))
    staff = (
        User.objects.filter(groups__name__in=[ADMINISTRATOR, SECRETARY], is_superuser=False)
        .distinct()
        .order_by("pk")
    )
    for user in staff:
        profile = StaffProfile.objects.filter(user=user).select_related("organisation").first()
        if profile is None:
            profile = StaffProfile.objects.create(user=user, organisation=None)
        if profile.municipalities.exists():
            continue
        served = []
        if profile.organisation is not None:
            served = list(profile.organisation.municipalities.values_list("pk", flat=True))
        profile.municipalities.set(served or every_municipality)


def backward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    StaffProfile = apps.get_model("accounts", "StaffProfile")
    administrator, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(*_permissions(apps, NATIONAL_ONLY))
    national = Group.objects.filter(name=NATIONAL).first()
    if national is not None:
        administrator.user_set.add(*national.user_set.all())
    StaffProfile.objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_staff_profile_municipalities"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("promises", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
