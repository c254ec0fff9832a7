"""A national administrator brings a municipality into the portal in one admin flow."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.municipalities import user_municipality_ids
from accounts.permissions import allowed
from accounts.roles import ADMINISTRATOR
from followup.models import Council
from onboarding.services import AdministratorInput, JoinInput, municipality_join
from promises.models import Municipality, Organisation

pytestmark = pytest.mark.django_db

URL = reverse("onboarding:join")


def form_data(**changes) -> dict:
    return {
        "code": "2260",
        "council_name": "Brottsförebyggande rådet i Ånge",
        "meeting_cadence": "quarter",
        "follow_up_cadence": "tertial",
        "police_area": "Lokalpolisområde Sundsvall",
        "municipality_organisation": "",
        "departments": "Socialtjänsten\nFritidsförvaltningen\n",
        "partners": "Räddningstjänsten Medelpad",
        "admin_username": "ange-admin",
        "admin_first_name": "Alva",
        "admin_last_name": "Berg",
        "admin_email": "alva@example.se",
        "admin_password": "",
        **changes,
    }


def counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "councils": Council.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_a_national_administrator_joins_a_municipality_with_council_organisations_and_admin(
    client, national_administrator
):
    client.force_login(national_administrator)

    response = client.post(URL, form_data())

    ange = Municipality.objects.select_related("county").get(code="2260")
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:import") + f"?municipality={ange.pk}"
    assert (ange.name, ange.slug, ange.county.name) == ("Ånge", "ange", "Västernorrlands län")
    council = ange.council
    assert (council.name, council.meeting_cadence, council.follow_up_cadence) == (
        "Brottsförebyggande rådet i Ånge",
        "quarter",
        "tertial",
    )
    organisations = {o.name: o for o in ange.organisations.select_related("parent")}
    assert {name: o.kind for name, o in organisations.items()} == {
        "Lokalpolisområde Sundsvall": "police",
        "Ånge kommun": "municipality",
        "Socialtjänsten": "municipality",
        "Fritidsförvaltningen": "municipality",
        "Räddningstjänsten Medelpad": "partner",
    }
    assert organisations["Socialtjänsten"].parent == organisations["Ånge kommun"]
    administrator = get_user_model().objects.get(username="ange-admin")
    assert list(administrator.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    assert user_municipality_ids(administrator) == {ange.pk}
    assert administrator.staff_profile.organisation == organisations["Ånge kommun"]
    assert administrator.is_staff and not administrator.has_usable_password()
    assert allowed(administrator, "promises.add_period", ange)


def test_an_existing_police_area_is_shared_rather_than_duplicated(
    client, national_administrator, sundsvall
):
    police = Organisation.objects.create(
        name="Lokalpolisområde Sundsvall", slug="lpo-sundsvall", kind="police"
    )
    police.municipalities.set([sundsvall])
    client.force_login(national_administrator)

    client.post(URL, form_data())

    assert set(police.municipalities.values_list("name", flat=True)) == {"Sundsvall", "Ånge"}
    assert Organisation.objects.filter(name="Lokalpolisområde Sundsvall").count() == 1


@pytest.mark.parametrize(
    "actor", ["municipal_administrator", "secretary", "police_reporter", "plan_editor"]
)
def test_only_national_administrators_reach_the_page(client, request, actor):
    client.force_login(request.getfixturevalue(actor))
    before = counts()

    assert client.get(URL).status_code in (302, 403)
    response = client.post(URL, form_data())

    assert response.status_code in (302, 403)
    if response.status_code == 302:  # not staff: the admin's login page
        assert "/admin/login/" in response["Location"]
    assert counts() == before


def test_municipal_administrator_gets_403(client, municipal_administrator):
    client.force_login(municipal_administrator)

    assert client.get(URL).status_code == 403


def test_the_service_refuses_anyone_but_a_national_administrator(municipal_administrator):
    with pytest.raises(PermissionDenied):
        municipality_join(
            user=municipal_administrator,
            join=JoinInput(code="2260", council_name="Rådet"),
        )
    assert not Municipality.objects.filter(code="2260").exists()


def test_a_taken_username_is_shown_beside_its_field_and_nothing_is_saved(
    client, national_administrator, secretary
):
    client.force_login(national_administrator)
    before = counts()

    response = client.post(URL, form_data(admin_username=secretary.username.upper()))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "admin_username": ["Användarnamnet är upptaget; välj ett annat."]
    }
    assert counts() == before


def test_a_municipality_joins_only_once(client, national_administrator):
    client.force_login(national_administrator)
    client.post(URL, form_data())

    response = client.get(URL)

    codes = [code for code, _label in response.context["form"].fields["code"].choices]
    assert "2260" not in codes and "2281" in codes
    with pytest.raises(Exception, match="redan ansluten"):
        municipality_join(
            user=national_administrator,
            join=JoinInput(
                code="2260",
                council_name="Rådet",
                administrator=AdministratorInput(username="annan"),
            ),
        )


def test_bad_input_is_explained_next_to_each_field(client, national_administrator):
    client.force_login(national_administrator)

    response = client.post(
        URL,
        form_data(code="9999", council_name="", admin_email="inte-en-adress", admin_password="1"),
    )

    errors = response.context["form"].errors
    assert set(errors) == {"code", "council_name", "admin_email", "admin_password"}
    assert "9999" in errors["code"][0]
    assert not Municipality.objects.filter(code="2260").exists()


@pytest.mark.parametrize("username", ["anna berg", "a/b", "anna<script>", "ä" * 151])
def test_a_username_the_login_would_refuse_is_shown_beside_its_field_and_nothing_is_saved(
    client, national_administrator, username
):
    client.force_login(national_administrator)
    before = counts()

    response = client.post(URL, form_data(admin_username=username))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["admin_username"]
    assert counts() == before
