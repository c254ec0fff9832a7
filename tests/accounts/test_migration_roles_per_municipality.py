"""The data migration that brought roles per municipality keeps today's users working."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0003_staff_profile_municipalities")]
AFTER = [("accounts", "0004_roles_per_municipality")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_secretaries_and_administrators_keep_working_in_their_municipalities():
    from django.contrib.auth import get_user_model

    from tests.followup.factories import MeetingFactory

    old = _migrate(BEFORE)
    try:
        Group = old.get_model("auth", "Group")
        User = old.get_model("auth", "User")
        Municipality = old.get_model("promises", "Municipality")
        Organisation = old.get_model("promises", "Organisation")
        StaffProfile = old.get_model("accounts", "StaffProfile")
        timra = Municipality.objects.create(name="Timrå", slug="timra")
        kommun = Organisation.objects.create(
            name="Timrå kommun", slug="timra-kommun", kind="municipality"
        )
        kommun.municipalities.add(timra)
        secretary = User.objects.create(username="sekreteraren", is_staff=True)
        secretary.groups.add(Group.objects.get(name="Sekreterare"))
        StaffProfile.objects.create(user=secretary, organisation=kommun)
        administrator = User.objects.create(username="administratoren", is_staff=True)
        administrator.groups.add(Group.objects.get(name="Administratör"))
        superuser = User.objects.create(username="root", is_staff=True, is_superuser=True)
    finally:
        _migrate(AFTER)

    users = get_user_model().objects
    meeting = MeetingFactory(period__municipality_id=timra.pk)
    elsewhere = MeetingFactory()
    secretary = users.get(pk=secretary.pk)
    administrator = users.get(pk=administrator.pk)
    superuser = users.get(pk=superuser.pk)

    assert secretary.has_perm("followup.change_meeting", meeting)
    assert not secretary.has_perm("followup.change_meeting", elsewhere)
    # Created before the second municipality: the administrator works in every one there was.
    assert administrator.has_perm("promises.change_period", meeting.period)
    assert not administrator.has_perm("promises.change_period", elsewhere.period)
    assert not administrator.has_perm("promises.add_municipality")
    assert superuser.has_perm("promises.change_period", elsewhere.period)


@pytest.mark.django_db(transaction=True)
def test_rolling_back_gives_national_administrators_the_administrator_role_again(
    national_administrator, municipal_administrator
):
    from django.contrib.auth.models import Group

    from accounts.models import StaffProfile

    try:
        _migrate(BEFORE)
        administrators = Group.objects.get(name="Administratör")
        assert administrators.user_set.filter(pk=national_administrator.pk).exists()
        assert administrators.permissions.filter(codename="add_municipality").exists()
        # A profile without an organisation would not survive the older schema.
        assert not StaffProfile.objects.filter(organisation=None).exists()
    finally:
        _migrate(AFTER)
