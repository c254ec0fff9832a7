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

    response = change(
        client, user, **{"groups": role, "staff_profile-0-municipalities": [timra.pk]}
    )
    assert response.status_code == 302
    assert list(StaffProfile.objects.get(user=user).municipalities.all()) == [timra]
    assert StaffProfile.objects.get(user=user).organisation is None


def test_a_national_administrator_needs_neither_organisation_nor_municipalities(
    client, administrator, django_user_model
):
    user = django_user_model.objects.create_user("ny-nationell")
    client.force_login(administrator)
    response = change(client, user, groups=[str(Group.objects.get(name=NATIONAL_ADMINISTRATOR).pk)])
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
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200


def test_the_secretary_cannot_manage_users(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


# --- A municipal administrator manages their own municipality's users --------------


def test_the_municipal_administrator_lists_only_her_municipalitys_users(
    client, municipal_administrator, secretary, other_secretary, national_administrator
):
    client.force_login(municipal_administrator)
    response = client.get(reverse("admin:auth_user_changelist"))
    listed = set(response.context["cl"].queryset)
    assert secretary in listed
    assert other_secretary not in listed
    assert national_administrator not in listed


def test_the_municipal_administrator_cannot_reach_other_municipalities_or_national_users(
    client, municipal_administrator, other_secretary, national_administrator
):
    client.force_login(municipal_administrator)
    for user in (other_secretary, national_administrator):
        for view in ("change", "delete", "password_change"):
            url = reverse(f"admin:auth_user_{view}", args=[user.pk])
            assert client.get(url).status_code == 404, url


def test_the_municipal_administrator_cannot_make_anyone_national_or_superuser(
    client, municipal_administrator, secretary
):
    client.force_login(municipal_administrator)
    national = str(Group.objects.get(name=NATIONAL_ADMINISTRATOR).pk)
    response = change(client, secretary, groups=[national], is_superuser="on")
    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    secretary.refresh_from_db()
    assert not secretary.is_superuser
    assert not secretary.groups.filter(name=NATIONAL_ADMINISTRATOR).exists()

    # Without the refused role, the form saves and leaves is_superuser alone.
    response = change(client, secretary, is_superuser="on")
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert not secretary.is_superuser


def test_the_municipal_administrator_gives_only_her_own_municipalities(
    client, municipal_administrator, secretary, timra, sundsvall
):
    client.force_login(municipal_administrator)
    response = change(client, secretary, **{"staff_profile-0-municipalities": [sundsvall.pk]})
    assert response.status_code == 200
    assert set(secretary.staff_profile.municipalities.all()) == {timra}


def test_a_user_the_municipal_administrator_adds_works_in_her_municipalities(
    client, municipal_administrator, django_user_model, timra, municipality_organisation
):
    client.force_login(municipal_administrator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ny-sekreterare",
            "usable_password": "true",
            "password1": "ett-langt-losenord-2026",
            "password2": "ett-langt-losenord-2026",
            "staff_profile-TOTAL_FORMS": "0",
            "staff_profile-INITIAL_FORMS": "0",
        },
    )
    user = django_user_model.objects.get(username="ny-sekreterare")
    assert response.status_code == 302
    assert set(user.staff_profile.municipalities.all()) == {timra}
    secretary_role = str(Group.objects.get(name=SECRETARY).pk)
    response = change(
        client,
        user,
        **{
            "groups": [secretary_role],
            "staff_profile-0-organisation": str(municipality_organisation.pk),
        },
    )
    assert response.status_code == 302
    assert user.groups.get().name == SECRETARY


@pytest.mark.parametrize("count", [2, 10])
def test_the_municipal_administrators_user_list_costs_a_fixed_number_of_queries(
    client, municipal_administrator, municipality_organisation, django_assert_num_queries, count
):
    from accounts.services import staff_user_create

    for number in range(count):
        staff_user_create(
            username=f"rapportor-{number}", role=REPORTER, organisation=municipality_organisation
        )
    client.force_login(municipal_administrator)
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:auth_user_changelist"))
    assert len(response.context["cl"].result_list) == count + 1  # and herself


def test_staff_user_create_keeps_a_municipal_administrator_within_her_reach(
    municipal_administrator, national_administrator, sundsvall, timra
):
    from django.core.exceptions import PermissionDenied

    from accounts.services import staff_user_create

    with pytest.raises(PermissionDenied):
        staff_user_create(
            username="ny-nationell",
            role=NATIONAL_ADMINISTRATOR,
            organisation=None,
            actor=municipal_administrator,
        )
    with pytest.raises(PermissionDenied):
        staff_user_create(
            username="ny-i-sundsvall",
            role=ADMINISTRATOR,
            organisation=None,
            municipalities=[sundsvall],
            actor=municipal_administrator,
        )
    created = staff_user_create(
        username="ny-i-timra",
        role=ADMINISTRATOR,
        organisation=None,
        municipalities=[timra],
        actor=municipal_administrator,
    )
    assert set(created.staff_profile.municipalities.all()) == {timra}
    assert staff_user_create(
        username="ny-nationell",
        role=NATIONAL_ADMINISTRATOR,
        organisation=None,
        actor=national_administrator,
    ).is_staff
