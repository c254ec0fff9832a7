import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts.roles import ADMINISTRATOR, REPORTER, ROLE_PERMISSIONS, SECRETARY
from accounts.services import staff_user_create


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ADMINISTRATOR, SECRETARY, REPORTER])
def test_the_data_migration_creates_each_role_with_exactly_its_permissions(role):
    group = Group.objects.get(name=role)
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert held == ROLE_PERMISSIONS[role]


@pytest.mark.django_db
def test_the_secretary_reads_the_plan_but_manages_only_the_council_work(secretary):
    assert secretary.has_perm("promises.view_promise")
    assert secretary.has_perm("followup.add_meeting")
    assert not secretary.has_perm("promises.change_promise")
    assert not secretary.has_perm("activities.add_progressupdate")


@pytest.mark.django_db
def test_reporters_are_not_admin_users_but_secretaries_and_administrators_are(
    police_reporter, secretary, administrator
):
    assert not police_reporter.is_staff
    assert secretary.is_staff
    assert administrator.is_staff


@pytest.mark.django_db
def test_every_user_but_an_administrator_needs_an_organisation():
    with pytest.raises(ValidationError):
        staff_user_create(username="utan-aktor", role=REPORTER, organisation=None)
    with pytest.raises(ValidationError):
        staff_user_create(username="okand", role="Chef", organisation=None)


@pytest.mark.django_db
def test_missing_roles_are_recreated_after_migrate_but_existing_ones_are_kept():
    from accounts.roles import ensure_roles

    Group.objects.filter(name=REPORTER).delete()
    secretary_group = Group.objects.get(name=SECRETARY)
    secretary_group.permissions.clear()

    ensure_roles()

    assert Group.objects.get(name=REPORTER).permissions.count() == len(ROLE_PERMISSIONS[REPORTER])
    assert not secretary_group.permissions.exists()
