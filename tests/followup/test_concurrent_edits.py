"""Two secretaries editing the same meeting: the later save of a stale form is refused.

The meeting form carries the meeting's version as a hidden field; saving locks the
meeting's row, compares and raises the version (followup.services).
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import SECRETARY
from accounts.services import staff_user_create
from followup.models import FollowUp, Meeting
from tests.admin_helpers import _add_form, admin_form_data
from tests.concurrency import Together, require_postgresql, row_gate
from tests.conftest import STAFF_PASSWORD
from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
from tests.promises.factories import PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

CONFLICT = "Sammanträdet har ändrats av"


@pytest.fixture
def second_secretary(municipality_organisation):
    return staff_user_create(
        username="sekreterare-b",
        role=SECRETARY,
        organisation=municipality_organisation,
        password=STAFF_PASSWORD,
        first_name="Berit",
        last_name="Bengtsson",
    )


@pytest.fixture
def meeting(timra):
    # Timrå's: the secretaries work there.
    period = PeriodFactory(municipality=timra, is_published=True)
    CouncilFactory(municipality=period.municipality)
    first = PromiseFactory(period=period, order=1, title="Tryggare centrum")
    PromiseFactory(period=period, order=2, title="Färre bränder")
    meeting = MeetingFactory(
        period=period, date=datetime.date(2025, 6, 12), place="Kommunhuset", is_published=False
    )
    FollowUpFactory(meeting=meeting, promise=first, comment="Enligt plan.")
    return meeting


def change_url(meeting) -> str:
    return reverse("admin:followup_meeting_change", args=[meeting.pk])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edits(page, who: str) -> dict:
    """What one secretary changes: the place, the first row's comment, a new second row."""
    return admin_form_data(
        page,
        place=f"Plats enligt {who}",
        minutes=f"Protokoll enligt {who}",
        **{
            "follow_ups-0-comment": f"Kommentar enligt {who}",
            "follow_ups-1-assessment": "at_risk",
            "follow_ups-1-comment": f"Ny rad enligt {who}",
        },
        _save="Spara",
    )


def assert_holds(meeting, who: str) -> None:
    meeting.refresh_from_db()
    assert meeting.place == f"Plats enligt {who}"
    assert meeting.minutes == f"Protokoll enligt {who}"
    comments = sorted(FollowUp.objects.filter(meeting=meeting).values_list("comment", flat=True))
    assert comments == [f"Kommentar enligt {who}", f"Ny rad enligt {who}"]


# --- One after the other (SQLite and PostgreSQL) ---------------------------------------


def test_the_later_of_two_saves_from_forms_opened_together_gets_a_conflict_and_saves_nothing(
    meeting, secretary, second_secretary
):
    a, b = logged_in(secretary), logged_in(second_secretary)
    page_a, page_b = a.get(change_url(meeting)), b.get(change_url(meeting))

    saved = a.post(change_url(meeting), edits(page_a, "A"))
    refused = b.post(change_url(meeting), edits(page_b, "B"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Sammanträdet har ändrats av sekreteraren sedan du öppnade det." in refused.text
    assert "Ladda om sidan" in refused.text
    assert "Plats enligt B" in refused.text  # B's input is shown, to copy from
    assert_holds(meeting, "A")
    assert meeting.history.count() == 2  # created, A's save; nothing of B's


def test_after_reloading_the_second_secretary_saves_on_top_of_the_first(
    meeting, secretary, second_secretary
):
    a, b = logged_in(secretary), logged_in(second_secretary)
    page_a = a.get(change_url(meeting))
    assert a.post(change_url(meeting), edits(page_a, "A")).status_code == 302

    reloaded = b.get(change_url(meeting))
    data = admin_form_data(reloaded, place="Plats enligt B", _save="Spara")

    assert b.post(change_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Plats enligt B"
    assert meeting.minutes == "Protokoll enligt A"
    assert meeting.version == 3


def test_the_conflict_names_who_saved_by_full_name(meeting, secretary, second_secretary):
    a, b = logged_in(secretary), logged_in(second_secretary)
    page_a, page_b = a.get(change_url(meeting)), b.get(change_url(meeting))
    assert b.post(change_url(meeting), edits(page_b, "B")).status_code == 302
    refused = a.post(change_url(meeting), edits(page_a, "A"))
    assert "Sammanträdet har ändrats av Berit Bengtsson sedan du öppnade det." in refused.text
    assert_holds(meeting, "B")


def test_the_version_is_only_a_hidden_field_and_not_in_the_history(meeting, secretary):
    page = logged_in(secretary).get(change_url(meeting))
    assert '<input type="hidden" name="opened_version" value="1"' in page.text
    assert 'name="version"' not in page.text
    history_fields = {field.name for field in meeting.history.model._meta.fields}
    assert "version" not in history_fields
    assert "place" in history_fields


@pytest.mark.parametrize("version", [None, "", "0", "nyss", "1 OR 1=1", "99999999999999999999"])
def test_a_missing_or_mangled_version_is_a_conflict_not_a_server_error(meeting, secretary, version):
    client = logged_in(secretary)
    data = edits(client.get(change_url(meeting)), "A")
    if version is None:
        del data["opened_version"]
    else:
        data["opened_version"] = version
    response = client.post(change_url(meeting), data)
    assert response.status_code == 200
    assert CONFLICT in response.text
    meeting.refresh_from_db()
    assert meeting.place == "Kommunhuset"
    assert FollowUp.objects.filter(meeting=meeting).count() == 1


def test_publishing_after_a_form_was_opened_makes_that_form_stale(meeting, secretary):
    # Publishing needs every promise assessed: "Färre bränder" is, on its own page.
    FollowUpFactory(meeting=meeting, promise=meeting.period.promises.get(order=2))
    client = logged_in(secretary)
    page = client.get(change_url(meeting))
    client.post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "publish", "_selected_action": [meeting.pk]},
    )

    # The stale form still has "publicerat" unticked; saving it would unpublish.
    response = client.post(change_url(meeting), edits(page, "A"))

    assert response.status_code == 200
    assert CONFLICT in response.text
    meeting.refresh_from_db()
    assert meeting.is_published
    assert meeting.place == "Kommunhuset"


def test_a_follow_up_saved_on_its_own_page_makes_an_open_meeting_form_stale(
    meeting, secretary, second_secretary
):
    a, b = logged_in(secretary), logged_in(second_secretary)
    meeting_page = a.get(change_url(meeting))
    follow_up = FollowUp.objects.get(meeting=meeting)
    follow_up_url = reverse("admin:followup_followup_change", args=[follow_up.pk])
    data = admin_form_data(b.get(follow_up_url), comment="Ändrad på egen sida.", _save="Spara")
    assert b.post(follow_up_url, data).status_code == 302

    response = a.post(change_url(meeting), edits(meeting_page, "A"))

    assert response.status_code == 200
    assert "Sammanträdet har ändrats av Berit Bengtsson sedan du öppnade det." in response.text
    follow_up.refresh_from_db()
    assert follow_up.comment == "Ändrad på egen sida."
    meeting.refresh_from_db()
    assert meeting.place == "Kommunhuset"


def test_two_secretaries_editing_the_same_follow_up_page_the_later_gets_a_conflict(
    meeting, secretary, second_secretary
):
    follow_up = FollowUp.objects.get(meeting=meeting)
    url = reverse("admin:followup_followup_change", args=[follow_up.pk])
    a, b = logged_in(secretary), logged_in(second_secretary)
    page_a, page_b = a.get(url), b.get(url)

    saved = a.post(url, admin_form_data(page_a, comment="Enligt A.", _save="Spara"))
    refused = b.post(url, admin_form_data(page_b, comment="Enligt B.", _save="Spara"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Sammanträdet har ändrats av sekreteraren sedan du öppnade det." in refused.text
    follow_up.refresh_from_db()
    assert follow_up.comment == "Enligt A."


def test_a_follow_up_deleted_on_its_own_page_makes_an_open_meeting_form_stale(meeting, secretary):
    client = logged_in(secretary)
    page = client.get(change_url(meeting))
    follow_up = FollowUp.objects.get(meeting=meeting)
    client.post(reverse("admin:followup_followup_delete", args=[follow_up.pk]), {"post": "yes"})
    assert not FollowUp.objects.filter(pk=follow_up.pk).exists()

    response = client.post(change_url(meeting), edits(page, "A"))

    assert response.status_code == 200
    assert CONFLICT in response.text
    assert not FollowUp.objects.filter(meeting=meeting).exists()


# --- At the same moment (PostgreSQL) ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_saving_the_same_meeting_at_the_same_moment_exactly_one_wins(
    meeting, secretary, second_secretary
):
    require_postgresql()
    a, b = logged_in(secretary), logged_in(second_secretary)
    data = {
        "A": edits(a.get(change_url(meeting)), "A"),
        "B": edits(b.get(change_url(meeting)), "B"),
    }

    with row_gate(Meeting, meeting.pk) as gate:
        together = Together(
            lambda: a.post(change_url(meeting), data["A"]),
            lambda: b.post(change_url(meeting), data["B"]),
        )
        gate.wait_for(2)  # both have read the meeting and wait for its row
    responses = dict(zip("AB", together.results(), strict=True))

    assert sorted(r.status_code for r in responses.values()) == [200, 302]
    winner = next(who for who, r in responses.items() if r.status_code == 302)
    loser = "B" if winner == "A" else "A"
    assert CONFLICT in responses[loser].text
    assert_holds(meeting, winner)
    assert meeting.version == 2
    assert meeting.history.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_page_and_the_meeting_form_saved_at_the_same_moment_exactly_one_wins(
    meeting, secretary, second_secretary
):
    require_postgresql()
    a, b = logged_in(secretary), logged_in(second_secretary)
    follow_up = FollowUp.objects.get(meeting=meeting)
    follow_up_url = reverse("admin:followup_followup_change", args=[follow_up.pk])
    meeting_data = edits(a.get(change_url(meeting)), "A")
    follow_up_data = admin_form_data(b.get(follow_up_url), comment="Enligt B.", _save="Spara")

    with row_gate(Meeting, meeting.pk) as gate:
        together = Together(
            lambda: a.post(change_url(meeting), meeting_data),
            lambda: b.post(follow_up_url, follow_up_data),
        )
        gate.wait_for(2)
    by_meeting_form, by_follow_up_page = together.results()

    assert sorted([by_meeting_form.status_code, by_follow_up_page.status_code]) == [200, 302]
    follow_up.refresh_from_db()
    if by_meeting_form.status_code == 302:
        assert CONFLICT in by_follow_up_page.text
        assert_holds(meeting, "A")
    else:
        assert CONFLICT in by_meeting_form.text
        assert follow_up.comment == "Enligt B."
        meeting.refresh_from_db()
        assert meeting.place == "Kommunhuset"


def test_reverting_to_a_version_in_the_history_makes_an_open_form_stale(meeting, secretary):
    client = logged_in(secretary)
    first_version = meeting.history.earliest()
    saved = client.post(change_url(meeting), edits(client.get(change_url(meeting)), "A"))
    assert saved.status_code == 302
    page = client.get(change_url(meeting))

    revert_url = reverse(
        "admin:followup_meeting_simple_history", args=[meeting.pk, first_version.history_id]
    )
    revert_data: dict = {"_save": "Spara"}
    _add_form(revert_data, client.get(revert_url).context["adminform"].form)
    reverted = client.post(revert_url, revert_data)
    assert reverted.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Kommunhuset"
    assert meeting.version == 3

    response = client.post(change_url(meeting), edits(page, "B"))

    assert response.status_code == 200
    assert CONFLICT in response.text
    meeting.refresh_from_db()
    assert meeting.place == "Kommunhuset"
