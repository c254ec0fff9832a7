"""activity_plan_save: an imported plan's activities, all through the rules, every one or none."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Activity
from activities.services import activity_plan_save
from promises.models import Organisation
from tests.activities.factories import ActivityFactory
from tests.promises.factories import OrganisationFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db


def _new(promise, lead, title="Ny aktivitet", **fields) -> Activity:
    return Activity(promise=promise, lead_organisation=lead, title=title, **fields)


def test_new_and_changed_activities_are_saved_with_history_user_and_reason(
    municipal_administrator, timra, police_organisation, municipality_organisation
):
    promise = PromiseFactory(period=PeriodFactory(municipality=timra))
    existing = ActivityFactory(promise=promise, title="Befintlig", weight=3)
    existing.weight = 7
    activity_plan_save(
        user=municipal_administrator,
        activities=[
            (_new(promise, police_organisation), [municipality_organisation]),
            (existing, None),
        ],
        reason="Importerad från plan.csv",
    )
    created = Activity.objects.get(title="Ny aktivitet")
    assert list(created.other_organisations.all()) == [municipality_organisation]
    latest = created.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        municipal_administrator,
        "Importerad från plan.csv",
    )
    existing.refresh_from_db()
    assert existing.weight == 7
    assert existing.history.first().history_change_reason == "Importerad från plan.csv"


def test_a_promise_of_another_municipality_refuses_the_whole_plan(
    municipal_administrator, timra, sundsvall, police_organisation
):
    mine = PromiseFactory(period=PeriodFactory(municipality=timra))
    theirs = PromiseFactory(period=PeriodFactory(municipality=sundsvall))
    with pytest.raises(PermissionDenied):
        activity_plan_save(
            user=municipal_administrator,
            activities=[
                (_new(mine, police_organisation), None),
                (_new(theirs, police_organisation), None),
            ],
        )
    assert not Activity.objects.exists()


def test_reporters_may_not_save_a_plan(police_reporter, timra, police_organisation):
    promise = PromiseFactory(period=PeriodFactory(municipality=timra))
    with pytest.raises(PermissionDenied):
        activity_plan_save(
            user=police_reporter, activities=[(_new(promise, police_organisation), None)]
        )
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "x" * 201},
        {"planned_start": datetime.date(1900, 1, 1)},
        {"weight": 0},
        {"planned_start": datetime.date(2025, 6, 1), "planned_end": datetime.date(2025, 5, 1)},
    ],
    ids=["long-title", "outside-period", "weight-zero", "end-before-start"],
)
def test_one_invalid_activity_saves_nothing(administrator, police_organisation, fields):
    promise = PromiseFactory()
    good = _new(promise, police_organisation, title="Bra")
    bad = _new(promise, police_organisation, title=fields.pop("title", "Dålig"), **fields)
    with pytest.raises(ValidationError):
        activity_plan_save(user=administrator, activities=[(good, None), (bad, None)])
    assert not Activity.objects.exists()


def test_a_lead_organisation_the_database_does_not_know_saves_nothing(administrator):
    promise = PromiseFactory()
    ghost = OrganisationFactory()
    activity = _new(promise, ghost)
    Organisation.objects.filter(pk=ghost.pk).delete()  # by someone else, meanwhile
    with pytest.raises(ValidationError):
        activity_plan_save(user=administrator, activities=[(activity, None)])
    assert not Activity.objects.exists()
