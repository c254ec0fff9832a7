"""The plan's writes (promises.services): who may, what is checked, nothing half-saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.permissions import SYSTEM
from activities.services import period_copy
from followup.services import load_timra
from promises.data import timra_2021_2022
from promises.models import FocusArea, Period, Promise
from promises.services import (
    focus_area_delete,
    focus_area_save,
    period_delete,
    period_publish,
    period_save,
    period_unpublish,
    promise_delete,
    promise_save,
)
from tests.admin_helpers import _add_form, admin_form_data
from tests.promises.factories import (
    FocusAreaFactory,
    OrganisationFactory,
    PeriodFactory,
    PromiseFactory,
)

pytestmark = pytest.mark.django_db

REFUSED_ROLES = ["police_reporter", "municipality_reporter", "secretary"]
ALLOWED_ROLES = ["administrator", "superuser"]


def _new_period(municipality) -> Period:
    return Period(
        municipality=municipality,
        name="2027–2028",
        slug="2027-2028",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )


# Each write, done by ``user`` on a published period; ``done`` says whether it took effect.
def add_period(user, period):
    period_save(user=user, period=_new_period(period.municipality))


def add_period_done(period) -> bool:
    return Period.objects.filter(slug="2027-2028").exists()


def change_period(user, period):
    period.name = "Omdöpt"
    period_save(user=user, period=period)


def change_period_done(period) -> bool:
    return Period.objects.get(pk=period.pk).name == "Omdöpt"


def unpublish(user, period):
    period_unpublish(user=user, period=period)


def unpublish_done(period) -> bool:
    return not Period.objects.get(pk=period.pk).is_published


def delete_period(user, period):
    period_delete(user=user, period=period)


def delete_period_done(period) -> bool:
    return not Period.objects.filter(pk=period.pk).exists()


def add_focus_area(user, period):
    focus_area_save(user=user, focus_area=FocusArea(period=period, name="Nytt", slug="nytt"))


def add_focus_area_done(period) -> bool:
    return period.focus_areas.filter(slug="nytt").exists()


def change_focus_area(user, period):
    area = period.focus_areas.get()
    area.name = "Omdöpt"
    focus_area_save(user=user, focus_area=area)


def change_focus_area_done(period) -> bool:
    return period.focus_areas.get().name == "Omdöpt"


def delete_focus_area(user, period):
    focus_area_delete(user=user, focus_area=period.focus_areas.get())


def delete_focus_area_done(period) -> bool:
    return not period.focus_areas.exists()


def add_promise(user, period):
    promise_save(
        user=user,
        promise=Promise(period=period, title="Nytt löfte", slug="nytt", text="Vi lovar."),
        organisations=[OrganisationFactory()],
        focus_areas=[period.focus_areas.get()],
    )


def add_promise_done(period) -> bool:
    return period.promises.filter(slug="nytt").exists()


def change_promise(user, period):
    promise = period.promises.get()
    promise.title = "Omformulerat"
    promise_save(user=user, promise=promise)


def change_promise_done(period) -> bool:
    return period.promises.get().title == "Omformulerat"


def delete_promise(user, period):
    promise_delete(user=user, promise=period.promises.get())


def delete_promise_done(period) -> bool:
    return not period.promises.exists()


def copy_period(user, period):
    period_copy(user=user, period=period)


def copy_period_done(period) -> bool:
    return Period.objects.filter(municipality=period.municipality).count() == 2


WRITES = {
    "period_save (add)": (add_period, add_period_done),
    "period_save (change)": (change_period, change_period_done),
    "period_unpublish": (unpublish, unpublish_done),
    "period_delete": (delete_period, delete_period_done),
    "period_copy": (copy_period, copy_period_done),
    "focus_area_save (add)": (add_focus_area, add_focus_area_done),
    "focus_area_save (change)": (change_focus_area, change_focus_area_done),
    "focus_area_delete": (delete_focus_area, delete_focus_area_done),
    "promise_save (add)": (add_promise, add_promise_done),
    "promise_save (change)": (change_promise, change_promise_done),
    "promise_delete": (delete_promise, delete_promise_done),
}


@pytest.fixture
def published_period():
    period = PeriodFactory(is_published=True)
    area = FocusAreaFactory(period=period)
    PromiseFactory(period=period, focus_areas=[area], organisations=[OrganisationFactory()])
    return period


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
@pytest.mark.parametrize("role", ALLOWED_ROLES)
def test_administrators_write_the_published_plan(request, role, write, published_period):
    do, done = WRITES[write]
    do(request.getfixturevalue(role), published_period)
    assert done(published_period)


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_are_refused_and_nothing_is_saved(request, role, write, published_period):
    do, done = WRITES[write]
    with pytest.raises(PermissionDenied):
        do(request.getfixturevalue(role), published_period)
    assert not done(published_period)


def test_period_publish_is_for_administrators_only(administrator, plan_editor, secretary, timra):
    period = PeriodFactory(is_published=False, municipality=timra)
    for refused in (plan_editor, secretary):
        with pytest.raises(PermissionDenied):
            period_publish(user=refused, period=period)
        assert not Period.objects.get(pk=period.pk).is_published
    period_publish(user=administrator, period=period)
    assert Period.objects.get(pk=period.pk).is_published


def test_a_plan_editor_cannot_create_a_period_that_is_published_at_once(plan_editor, timra):
    period = _new_period(timra)
    period.is_published = True
    with pytest.raises(PermissionDenied):
        period_save(user=plan_editor, period=period)
    assert not Period.objects.exists()


def test_a_plan_editor_adds_to_a_draft_period_but_not_to_a_published_one(plan_editor, timra):
    draft = PeriodFactory(is_published=False, municipality=timra)
    FocusAreaFactory(period=draft)
    published = PeriodFactory(is_published=True, municipality=timra)
    FocusAreaFactory(period=published)

    add_promise(plan_editor, draft)
    with pytest.raises(PermissionDenied):
        add_promise(plan_editor, published)

    assert add_promise_done(draft)
    assert not add_promise_done(published)


def test_a_draft_promise_cannot_be_moved_into_a_published_period(plan_editor, timra):
    promise = PromiseFactory(period__is_published=False, period__municipality=timra)
    published = PeriodFactory(is_published=True, municipality=timra)

    promise.period = published
    with pytest.raises(PermissionDenied):
        promise_save(user=plan_editor, promise=promise)

    assert Promise.objects.get(pk=promise.pk).period != published


def test_a_published_promise_cannot_be_moved_into_a_draft_to_escape_the_rule(plan_editor, timra):
    """The rule is asked about the promise as stored, not as the form left it."""
    promise = PromiseFactory(
        period__is_published=True, period__municipality=timra, title="Som publicerat"
    )
    draft = PeriodFactory(is_published=False, municipality=promise.period.municipality)

    promise.period = draft
    promise.title = "Omskrivet i smyg"
    with pytest.raises(PermissionDenied):
        promise_save(user=plan_editor, promise=promise)

    stored = Promise.objects.get(pk=promise.pk)
    assert (stored.period_id, stored.title) != (draft.pk, "Omskrivet i smyg")


def test_a_promise_linked_to_another_periods_focus_area_is_refused_beside_the_field(
    administrator,
):
    draft = PeriodFactory(is_published=False, name="2027–2028")
    published_area = FocusAreaFactory(period=PeriodFactory(is_published=True), name="Centrum")
    promise = Promise(period=draft, title="Utkast", slug="utkast", text="Vi lovar.")

    with pytest.raises(ValidationError) as refused:
        promise_save(user=administrator, promise=promise, focus_areas=[published_area])

    assert refused.value.message_dict["focus_areas"] == [
        "”Centrum” hör inte till löftesperioden 2027–2028."
    ]
    assert not Promise.objects.filter(period=draft).exists()


def test_moving_a_promise_to_another_period_takes_its_focus_areas_into_account(administrator):
    promise = PromiseFactory(period__is_published=True)
    promise.focus_areas.set([FocusAreaFactory(period=promise.period)])
    other = PeriodFactory(municipality=promise.period.municipality)

    promise.period = other
    with pytest.raises(ValidationError) as refused:
        promise_save(user=administrator, promise=promise)

    assert "focus_areas" in refused.value.message_dict
    assert Promise.objects.get(pk=promise.pk).period_id != other.pk


def test_a_focus_area_with_promises_cannot_move_to_another_period(administrator):
    area = FocusAreaFactory()
    PromiseFactory(period=area.period, focus_areas=[area])
    area.period = PeriodFactory(municipality=area.period.municipality)

    with pytest.raises(ValidationError) as refused:
        focus_area_save(user=administrator, focus_area=area)

    assert "period" in refused.value.message_dict


def test_a_change_is_recorded_in_the_history_with_user_and_reason(administrator):
    period = PeriodFactory(is_published=False)

    period_publish(user=administrator, period=period)

    newest = period.history.first()
    assert newest.history_user == administrator
    assert newest.history_change_reason == "Perioden publicerades"


def test_load_timra_writes_through_the_services_as_the_command_line(django_user_model):
    period = load_timra(timra_2021_2022, user=SYSTEM).period

    record = period.promises.first().history.first()
    assert record.history_user is None
    assert record.history_change_reason == "Inläst av load_timra"
    assert all(
        area.period_id == period.pk
        for promise in period.promises.all()
        for area in promise.focus_areas.all()
    )


def test_the_command_line_actor_is_no_user_and_never_deletes_reports():
    from accounts.permissions import allowed

    assert not SYSTEM.is_authenticated
    assert allowed(SYSTEM, "promises.add_period")
    assert not allowed(SYSTEM, "activities.delete_progressupdate")
    assert not allowed(SYSTEM, "activities.change_measurement")


# --- Through the admin -------------------------------------------------------------


def promise_with_two_versions(municipality):
    """A published promise of ``municipality`` and the history record of its first wording."""
    promise = PromiseFactory(
        period__is_published=True, period__municipality=municipality, title="Första lydelsen"
    )
    organisation = OrganisationFactory()
    organisation.municipalities.add(municipality)
    promise.organisations.set([organisation])
    promise.focus_areas.set([FocusAreaFactory(period=promise.period)])
    promise.save()  # the history's m2m snapshot is taken on save
    first = promise.history.first()
    promise.title = "Andra lydelsen"
    promise.save()
    return first, promise


def revert_form_data(response) -> dict:
    """The history revert form's values as a browser would post them (it has no inlines)."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    return data


def test_the_secretary_cannot_run_the_period_copy_action(client, secretary, published_period):
    client.force_login(secretary)
    changelist = reverse("admin:promises_period_changelist")

    page = client.get(changelist)
    response = client.post(
        changelist,
        {"action": "copy_to_new_draft_period", "_selected_action": [published_period.pk]},
    )

    assert "copy_to_new_draft_period" not in page.content.decode()
    assert response.status_code in (200, 302, 403)
    assert Period.objects.count() == 1


def test_the_admin_shows_a_focus_area_of_another_period_beside_the_field(admin_client):
    draft = PeriodFactory(is_published=False)
    promise = PromiseFactory(period=draft, organisations=[OrganisationFactory()])
    foreign = FocusAreaFactory(period=PeriodFactory(is_published=True), name="Centrum")
    url = reverse("admin:promises_promise_change", args=[promise.pk])

    response = admin_client.post(
        url, admin_form_data(admin_client.get(url), focus_areas=[str(foreign.pk)])
    )

    assert response.status_code == 200
    assert "hör inte till löftesperioden" in str(
        response.context["adminform"].form.errors["focus_areas"]
    )
    assert not promise.focus_areas.exists()


def test_the_history_revert_form_goes_through_the_service(client, secretary, timra):
    """The secretary reads the plan, so the admin shows her the revert form; the
    revert calls save_model, which calls promise_save, which refuses her."""
    first, promise = promise_with_two_versions(timra)
    client.force_login(secretary)
    url = reverse("admin:promises_promise_simple_history", args=[promise.pk, first.history_id])

    response = client.post(url, revert_form_data(client.get(url)))

    assert response.status_code == 403
    assert Promise.objects.get(pk=promise.pk).title == "Andra lydelsen"


def test_an_administrator_reverts_a_promise_through_the_service(admin_client, timra):
    first, promise = promise_with_two_versions(timra)
    url = reverse("admin:promises_promise_simple_history", args=[promise.pk, first.history_id])

    response = admin_client.post(url, revert_form_data(admin_client.get(url)))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Promise.objects.get(pk=promise.pk).title == "Första lydelsen"
