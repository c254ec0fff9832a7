"""medborgarlofte_draft_create writes through the services, as the acting user."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.permissions import SYSTEM
from activities.medborgarlofte_draft import medborgarlofte_draft_create
from activities.models import Indicator
from promises.medborgarlofte_import import parse
from promises.models import FocusArea, Organisation, Period, Promise

pytestmark = pytest.mark.django_db

TEXT = """Medborgarlöfte 2025-2026

Trygg skolväg
Polisen lovar att genomföra minst 20 trafikkontroller per år vid skolorna.
Kommunen ska ordna trygghetsvandringar i centrum varje termin.
"""


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Period, FocusArea, Promise, Indicator, Organisation)
    }


def test_a_municipal_administrator_creates_a_draft_with_history_in_their_name(
    timra, municipal_administrator
):
    result = medborgarlofte_draft_create(
        user=municipal_administrator, municipality=timra, parsed=parse(TEXT)
    )

    assert result.period.is_published is False
    assert (result.promises, result.indicators) == (2, 1)
    assert result.period.history.get().history_user == municipal_administrator
    promise = result.period.promises.order_by("order").first()
    assert {row.history_user for row in promise.history.all()} == {municipal_administrator}
    assert [o.kind for o in promise.organisations.all()] == [Organisation.Kind.POLICE]
    assert set(promise.organisations.get().municipalities.all()) == {timra}


@pytest.mark.parametrize("actor", ["secretary", "other_secretary", "police_reporter"])
def test_users_who_may_not_add_a_period_there_get_403_and_nothing_is_saved(request, timra, actor):
    user = request.getfixturevalue(actor)
    before = counts()

    with pytest.raises(PermissionDenied):
        medborgarlofte_draft_create(user=user, municipality=timra, parsed=parse(TEXT))

    assert counts() == before


def test_an_administrator_of_another_municipality_may_not_import_here(
    sundsvall, municipal_administrator
):
    before = counts()

    with pytest.raises(PermissionDenied):
        medborgarlofte_draft_create(
            user=municipal_administrator, municipality=sundsvall, parsed=parse(TEXT)
        )

    assert counts() == before


def test_the_command_line_acts_as_system_and_links_an_existing_organisation(timra, sundsvall):
    shared = Organisation.objects.create(
        name="Polisen, Timrå", slug="polisen-timra", kind=Organisation.Kind.POLICE
    )
    shared.municipalities.set([sundsvall])

    medborgarlofte_draft_create(user=SYSTEM, municipality=timra, parsed=parse(TEXT))

    assert set(shared.municipalities.all()) == {timra, sundsvall}
    assert Period.objects.get(municipality=timra).history.get().history_user is None


LEVELS_AND_COUNTS = """Medborgarlöfte för Timrå 2025–2026

Polisen ska genomföra minst en trafikkontroll varje dygn.
Kommunen ska verka för att minst 70 % av de boende känner sig trygga varje dygn.
"""


def test_a_daily_count_is_followed_up_weekly_seven_times_over_and_a_daily_share_as_it_is(timra):
    medborgarlofte_draft_create(user=SYSTEM, municipality=timra, parsed=parse(LEVELS_AND_COUNTS))

    assert list(
        Indicator.objects.order_by("promise__order").values_list(
            "target", "target_cadence", "aggregation"
        )
    ) == [(7, "week", "sum"), (70, "week", "latest")]
