"""Administrators manage users, their roles and their organisation in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import StaffProfile
from accounts.roles import ADMINISTRATOR, NATIONAL_ADMINISTRATOR, REPORTER, SECRETARY
from tests.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


def change(client, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    return client.post(url, admin_form_data(client.get(url), **changes))


def test_a_reporter_without_an_organisation_is_refused(client, administrator, django_user_model):
    user = django_user_model.objects.create_user("ny-rapportor")
    client.force_login(administrator)
    response = change(client, user, groups=[str(Group.objects.get(name=REPORTER).pk)])
    assert response.status_code == 200
    assert "alla användare utom administratörer hör till en aktör" in response.text
    assert not user.groups.exists()


def test_a_reporter_is_saved_with_an_organisation(
    client, administrator, django_user_model, police_organisation
):
    user = django_user_model.objects.create_user("ny-polis")
    client.force_login(administrator)
    response = change(
        client,
        user,
        **{
            "groups": [str(Group.objects.get(name=REPORTER).pk)],
            "staff_profile-0-organisation": str(police_organisation.pk),
        },
    )
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=user).organisation == police_organisation
    assert user.groups.get().name == REPORTER


def test_an_administrator_needs_no_organisation_but_municipalities(
    client, administrator, django_user_model, timra
):
    user = django_user_model.objects.create_user("ny-admin")
    client.force_login(administrator)
    role = [str(Group.objects.get(name=ADMINISTRATOR).pk)]

    refused = change(client, user, groups=role)
    assert "sekreterare och administratörer arbetar i sina kommuner" in refused.text
    assert not user.groups.exists()

    response = change(client, user, **{"groups": role, "staff_profile-0-municipalities": [timra.pk]})
    assert response.status_code == 302
    assert list(StaffProfile.objects.get(user=user).municipalities.all()) == [timra]
    assert StaffProfile.objects.get(user=user).organisation is None


def test_a_national_administrator_needs_neither_organisation_nor_municipalities(
    client, administrator, django_user_model
):
    user = django_user_model.objects.create_user("ny-nationell")
    client.force_login(administrator)
    response = change(
        client, user, groups=[str(Group.objects.get(name=NATIONAL_ADMINISTRATOR).pk)]
    )
    assert response.status_code == 302
    assert user.groups.get().name == NATIONAL_ADMINISTRATOR


@pytest.mark.parametrize("count", [2, 10])
def test_the_user_list_costs_a_fixed_number_of_queries(
    client, administrator, police_organisation, django_assert_num_queries, count
):
    from accounts.services import staff_user_create

    for number in range(count):
        staff_user_create(
            username=f"rapportor-{number}", role=REPORTER, organisation=police_organisation
        )
    client.force_login(administrator)
    with django_assert_num_queries(11):
        response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200


def test_the_secretary_cannot_manage_users(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
