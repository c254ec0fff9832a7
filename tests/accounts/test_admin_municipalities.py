"""The admin within the user's municipalities: lists, addresses and choices.

Timrå's secretary and municipal administrator see only Timrå's objects; another
municipality's (Sundsvall's) objects are not found at any address and cannot be
chosen in a form. The national administrator sees both.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.municipalities import for_user, object_municipality_ids
from followup.models import Meeting
from promises.models import Promise
from tests.activities.factories import IndicatorFactory, MeasurementFactory, ProgressUpdateFactory
from tests.admin_helpers import admin_form_data
from tests.promises.factories import PeriodFactory

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"promises", "activities", "followup"}
DOMAIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
SCOPED_ROLES = ["secretary", "municipal_administrator"]


def _fill(plan: dict) -> dict:
    """Each model's object of one municipality (an update, indicators, a measurement too)."""
    activity = plan["activity"]
    indicator = IndicatorFactory(activity=activity)
    IndicatorFactory(activity=None, promise=plan["promise"])
    return {
        **plan,
        "municipality": plan["period"].municipality,
        "organisation": activity.lead_organisation,
        "progressupdate": ProgressUpdateFactory(activity=activity),
        "indicator": indicator,
        "measurement": MeasurementFactory(indicator=indicator),
        "focusarea": plan["focus_area"],
        "followup": plan["follow_up"],
    }


@pytest.fixture
def both(timra_plan, sundsvall_plan, timra, sundsvall):
    timra_objects = _fill(timra_plan)
    sundsvall_objects = _fill(sundsvall_plan)
    timra_objects["organisation"].municipalities.add(timra)
    sundsvall_objects["organisation"].municipalities.add(sundsvall)
    return {"timra": timra_objects, "sundsvall": sundsvall_objects}


@pytest.fixture
def staff(request):
    return request.getfixturevalue(request.param)


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _url(obj, view: str, *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


@pytest.mark.parametrize("staff", SCOPED_ROLES, indirect=True)
@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.model_name)
def test_changelists_show_only_the_users_municipalitys_objects(client, staff, both, timra, model):
    client.force_login(staff)
    response = client.get(_changelist(model))
    assert response.status_code == 200
    shown = list(response.context["cl"].queryset)
    assert shown, "Timrå's objects are listed"
    for obj in shown:
        assert timra.pk in object_municipality_ids(obj), obj
    assert both["sundsvall"][model._meta.model_name] not in shown


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.model_name)
def test_the_national_administrator_sees_every_municipality(
    client, national_administrator, both, model
):
    client.force_login(national_administrator)
    shown = list(client.get(_changelist(model)).context["cl"].queryset)
    name = model._meta.model_name
    assert both["timra"][name] in shown
    assert both["sundsvall"][name] in shown


@pytest.mark.parametrize("staff", SCOPED_ROLES, indirect=True)
@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=lambda model: model._meta.model_name)
def test_another_municipalitys_object_is_not_found_at_any_address(client, staff, both, model):
    obj = both["sundsvall"][model._meta.model_name]
    client.force_login(staff)
    urls = [_url(obj, "change"), _url(obj, "delete")]
    if hasattr(model, "history"):
        urls.append(_url(obj, "history"))
        record = obj.history.first()
        if record is not None:
            urls.append(
                reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
                    args=[obj.pk, record.history_id],
                )
            )
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"post": "yes"}).status_code == 404, url
    assert model._default_manager.filter(pk=obj.pk).exists()


def test_the_history_of_a_deleted_object_of_another_municipality_is_not_found(
    client, secretary, timra_plan, request
):
    # Timrå's meeting gets more history first, so that a record's own id and the
    # meeting's id differ: the records are found by the meeting's id.
    timra_plan["meeting"].save()
    meeting = request.getfixturevalue("sundsvall_plan")["meeting"]
    assert meeting.history.get().history_id != meeting.pk
    meeting_id = meeting.pk
    meeting.delete()
    client.force_login(secretary)
    response = client.get(reverse("admin:followup_meeting_history", args=[meeting_id]))
    assert response.status_code == 404


def test_the_secretary_edits_her_own_municipalitys_meeting(client, secretary, timra_plan):
    meeting = timra_plan["meeting"]  # published, so the change is a correction with a reason
    client.force_login(secretary)
    url = _url(meeting, "change")
    data = admin_form_data(
        client.get(url), minutes="Justerat.", correction_reason="Protokollet justerades."
    )
    response = client.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "Justerat."


def test_the_secretary_cannot_move_a_meeting_to_another_municipalitys_council(
    client, secretary, timra_plan, sundsvall_plan
):
    meeting = timra_plan["meeting"]
    client.force_login(secretary)
    url = _url(meeting, "change")
    data = admin_form_data(
        client.get(url),
        council=sundsvall_plan["council"].pk,
        period=sundsvall_plan["period"].pk,
    )
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "council" in errors and "period" in errors
    meeting.refresh_from_db()
    assert meeting.council == timra_plan["council"]


def test_the_secretary_cannot_add_a_meeting_to_another_municipalitys_period(
    client, secretary, sundsvall_plan
):
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_add")
    before = Meeting.objects.count()
    response = client.post(
        f"{url}?period={sundsvall_plan['period'].pk}",
        {
            "council": sundsvall_plan["council"].pk,
            "period": sundsvall_plan["period"].pk,
            "date": "2025-05-01",
            "follow_ups-TOTAL_FORMS": "0",
            "follow_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == before


def test_the_choose_period_page_lists_only_the_users_municipalitys_periods(
    client, secretary, timra_plan, sundsvall_plan
):
    # Two of Timrå's periods in force: the secretary chooses (with one, there is no choice).
    second = PeriodFactory(municipality=timra_plan["period"].municipality)
    client.force_login(secretary)
    response = client.get(reverse("admin:followup_meeting_add"))
    periods = list(response.context["periods"])
    assert timra_plan["period"] in periods and second in periods
    assert sundsvall_plan["period"] not in periods


def test_the_one_current_period_chosen_for_the_secretary_is_of_their_municipality(
    client, secretary, timra_plan, sundsvall_plan
):
    client.force_login(secretary)
    response = client.get(reverse("admin:followup_meeting_add"))
    assert response.context["adminform"].form.initial["period"] == timra_plan["period"].pk


def test_the_municipal_administrator_cannot_add_a_promise_to_another_municipalitys_period(
    client, municipal_administrator, sundsvall_plan
):
    client.force_login(municipal_administrator)
    url = reverse("admin:promises_promise_add")
    before = Promise.objects.count()
    response = client.post(
        url,
        admin_form_data(
            client.get(url),
            period=sundsvall_plan["period"].pk,
            title="Ett löfte i fel kommun",
            slug="fel-kommun",
            text="Text.",
        ),
    )
    assert response.status_code == 200
    assert "period" in response.context["adminform"].form.errors
    assert Promise.objects.count() == before


@pytest.mark.parametrize("staff", SCOPED_ROLES, indirect=True)
def test_autocomplete_offers_only_the_users_municipalitys_periods(
    client, staff, timra_plan, sundsvall_plan
):
    client.force_login(staff)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "followup", "model_name": "meeting", "field_name": "period"},
    )
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {timra_plan["period"].pk}


def test_the_print_report_of_another_municipalitys_meeting_is_not_found(
    client, secretary, sundsvall_plan
):
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_report", args=[sundsvall_plan["meeting"].pk])
    assert client.get(url).status_code == 404


def test_for_user_selects_by_municipality_for_every_domain_model(
    secretary, other_secretary, national_administrator, both, timra, sundsvall
):
    for model in DOMAIN_MODELS:
        name = model._meta.model_name
        mine = set(for_user(secretary, model._default_manager.all()))
        theirs = set(for_user(other_secretary, model._default_manager.all()))
        every = set(for_user(national_administrator, model._default_manager.all()))
        assert both["timra"][name] in mine - theirs, name
        assert both["sundsvall"][name] in theirs - mine, name
        assert {both["timra"][name], both["sundsvall"][name]} <= every, name


def test_the_activity_import_offers_only_the_users_municipalitys_periods(
    client, municipal_administrator, timra_plan, sundsvall_plan
):
    client.force_login(municipal_administrator)
    url = reverse("admin:activities_activity_import")
    periods = list(client.get(url).context["form"].fields["period"].queryset)
    assert periods == [timra_plan["period"]]
    response = client.post(url, {"period": sundsvall_plan["period"].pk, "format": "0"})
    assert "period" in response.context["form"].errors
