"""Published minutes are public records, whatever the admin path.

A published meeting and its follow-ups are never deleted (not by superusers
either), change only with a reason that the public page shows with the earlier
wording, and are unpublished only by an administrator, with a reason, in the open.
"""

import datetime

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUp, Meeting, MeetingCorrection
from tests.admin_helpers import _add_form, admin_form_data
from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
from tests.promises.factories import PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

STAFF_ROLES = ["secretary", "administrator", "admin_user"]
FIRST_PUBLISHED = datetime.datetime(2025, 6, 13, 9, 0, tzinfo=datetime.UTC)
MISSING_REASON = "Sammanträdet är publicerat. Skriv skälet till rättelsen"


@pytest.fixture
def meeting(timra):
    period = PeriodFactory(municipality=timra, is_published=True, slug="2025-2026")
    CouncilFactory(municipality=timra)
    meeting = MeetingFactory(
        period=period,
        date=datetime.date(2025, 6, 12),
        minutes="Rådet beslutade att fortsätta.",
        published_at=FIRST_PUBLISHED,
    )
    FollowUpFactory(
        meeting=meeting,
        promise=PromiseFactory(period=period, order=1, title="Tryggare centrum"),
        comment="Halvvägs.",
    )
    return meeting


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(request) -> Client:
    return logged_in(request.getfixturevalue(request.param))


def change_url(meeting) -> str:
    return reverse("admin:followup_meeting_change", args=[meeting.pk])


def assert_kept(meeting) -> None:
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert FollowUp.objects.filter(meeting=meeting).count() == 1


# --- Never deleted ------------------------------------------------------------------


@pytest.mark.parametrize("staff", STAFF_ROLES, indirect=True)
def test_every_role_is_refused_the_delete_view_of_a_published_meeting(staff, meeting):
    url = reverse("admin:followup_meeting_delete", args=[meeting.pk])
    assert staff.get(url).status_code == 403
    assert staff.post(url, {"post": "yes"}).status_code == 403
    assert_kept(meeting)
    delete_url = reverse("admin:followup_meeting_delete", args=[meeting.pk])
    assert delete_url not in staff.get(change_url(meeting)).text


@pytest.mark.parametrize("staff", STAFF_ROLES, indirect=True)
def test_every_role_is_refused_the_bulk_delete_of_a_published_meeting(staff, meeting):
    draft = MeetingFactory(period=meeting.period, is_published=False)
    response = staff.post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "delete_selected", "_selected_action": [meeting.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert_kept(meeting)
    assert Meeting.objects.filter(pk=draft.pk).exists()  # all or nothing


@pytest.mark.parametrize("staff", STAFF_ROLES, indirect=True)
def test_every_role_is_refused_deleting_a_follow_up_of_a_published_meeting(staff, meeting):
    follow_up = meeting.follow_ups.get()
    url = reverse("admin:followup_followup_delete", args=[follow_up.pk])
    assert staff.post(url, {"post": "yes"}).status_code == 403
    bulk = staff.post(
        reverse("admin:followup_followup_changelist"),
        {"action": "delete_selected", "_selected_action": [follow_up.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    assert_kept(meeting)


@pytest.mark.parametrize("staff", STAFF_ROLES, indirect=True)
def test_the_follow_up_inline_of_a_published_meeting_offers_no_delete(staff, meeting):
    page = staff.get(change_url(meeting))
    assert 'name="follow_ups-0-DELETE"' not in page.text
    data = admin_form_data(page, correction_reason="Ingen ändring, bara ett försök.")
    data["follow_ups-0-DELETE"] = "on"  # a forged tick
    response = staff.post(change_url(meeting), data)
    assert response.status_code == 302
    assert_kept(meeting)


def test_the_secretary_still_deletes_a_meeting_never_published(client, secretary, meeting):
    draft = MeetingFactory(period=meeting.period, is_published=False)
    FollowUpFactory(meeting=draft, promise=meeting.follow_ups.get().promise)
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Meeting.objects.filter(pk=draft.pk).exists()
    assert_kept(meeting)


# --- Changed only with a reason, shown publicly ------------------------------------------


def test_the_secretary_cannot_edit_a_published_meeting_without_a_reason(client, secretary, meeting):
    client.force_login(secretary)
    page = client.get(change_url(meeting))
    assert "Skäl till rättelsen" in page.text
    response = client.post(change_url(meeting), admin_form_data(page, minutes="Tyst ändrat."))
    assert response.status_code == 200
    assert MISSING_REASON in response.text
    meeting.refresh_from_db()
    assert meeting.minutes == "Rådet beslutade att fortsätta."
    assert not MeetingCorrection.objects.exists()


def test_a_follow_up_of_a_published_meeting_changes_only_with_a_reason(client, secretary, meeting):
    follow_up = meeting.follow_ups.get()
    url = reverse("admin:followup_followup_change", args=[follow_up.pk])
    client.force_login(secretary)
    refused = client.post(url, admin_form_data(client.get(url), comment="Tyst ändrat."))
    assert refused.status_code == 200
    assert MISSING_REASON in refused.text
    saved = client.post(
        url,
        admin_form_data(client.get(url), comment="Tre kvarter klara.", correction_reason="Fel."),
    )
    assert saved.status_code == 302
    correction = MeetingCorrection.objects.get()
    assert correction.changes == [
        {"field": "comment", "promise": "Tryggare centrum", "activity": None, "before": "Halvvägs."}
    ]


def test_a_correction_shows_on_the_public_page_with_the_earlier_wording(client, secretary, meeting):
    staff = logged_in(secretary)
    page = staff.get(change_url(meeting))
    data = admin_form_data(
        page,
        minutes="Rådet beslutade att fortsätta och att utvärdera i mars.",
        correction_reason="Beslutet om utvärdering saknades i protokollet.",
        **{"follow_ups-0-comment": "Två av fyra kvarter klara."},
    )
    assert staff.post(change_url(meeting), data).status_code == 302
    MeetingCorrection.objects.update(
        made_at=datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    )

    html = client.get(meeting.get_absolute_url()).text

    assert "Rättad 1 december 2026:" in html
    assert "Beslutet om utvärdering saknades i protokollet." in html
    assert "Rådet beslutade att fortsätta och att utvärdera i mars." in html
    earlier = html[html.index("<details>") : html.index("</details>")]
    assert "Tidigare lydelse" in earlier
    assert "Protokoll" in earlier and "Rådet beslutade att fortsätta." in earlier
    assert "Kommentar" in earlier and "Halvvägs." in earlier
    assert "Tryggare centrum" in earlier


def test_reverting_a_published_meeting_from_the_history_is_a_correction_with_a_reason(
    client, secretary, meeting
):
    client.force_login(secretary)
    first = meeting.history.earliest()
    data = admin_form_data(
        client.get(change_url(meeting)), place="Stadshuset", correction_reason="Fel lokal."
    )
    assert client.post(change_url(meeting), data).status_code == 302
    revert_url = reverse(
        "admin:followup_meeting_simple_history", args=[meeting.pk, first.history_id]
    )

    revert_data: dict = {"_save": "Spara"}
    _add_form(revert_data, client.get(revert_url).context["adminform"].form)
    refused = client.post(revert_url, revert_data)
    assert refused.status_code == 200
    assert MISSING_REASON in refused.text

    revert_data["correction_reason"] = "Lokalen var rätt från början."
    assert client.post(revert_url, revert_data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Kommunhuset"
    assert meeting.is_published
    assert list(meeting.corrections.values_list("reason", flat=True)) == [
        "Fel lokal.",
        "Lokalen var rätt från början.",
    ]


def test_reverting_to_a_version_before_publication_does_not_unpublish(
    client, administrator, secretary, timra_period
):
    draft = MeetingFactory(period=timra_period, is_published=False)
    unpublished_version = draft.history.earliest()
    logged_in(secretary).post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    client.force_login(administrator)
    revert_url = reverse(
        "admin:followup_meeting_simple_history", args=[draft.pk, unpublished_version.history_id]
    )
    revert_data: dict = {"_save": "Spara", "correction_reason": "Tillbaka."}
    _add_form(revert_data, client.get(revert_url).context["adminform"].form)
    client.post(revert_url, revert_data)
    draft.refresh_from_db()
    assert draft.is_published


# --- Unpublished only by an administrator, in the open --------------------------------


def unpublish(client: Client, meeting, reason: str):
    return client.post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "unpublish", "_selected_action": [meeting.pk], "reason": reason, "confirm": "1"},
    )


def test_the_secretary_cannot_unpublish_a_published_meeting(client, secretary, meeting):
    client.force_login(secretary)
    unpublish(client, meeting, "Vill ta bort det.")
    meeting.refresh_from_db()
    assert meeting.is_published
    assert not MeetingCorrection.objects.exists()
    changelist = client.get(reverse("admin:followup_meeting_changelist"))
    assert 'value="unpublish"' not in changelist.text


def test_an_administrator_unpublishes_with_a_reason_that_the_public_sees(
    client, administrator, meeting
):
    staff = logged_in(administrator)
    refused = unpublish(staff, meeting, "")
    assert refused.status_code == 200
    assert "Skriv skälet till att sammanträdet avpubliceras" in refused.text
    assert Meeting.objects.get(pk=meeting.pk).is_published

    assert unpublish(staff, meeting, "Protokollet gällde ett annat råd.").status_code == 302
    meeting.refresh_from_db()
    assert not meeting.is_published
    assert meeting.history.first().history_user == administrator

    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 410
    assert "Protokollet avpublicerades" in page.text
    assert "Protokollet gällde ett annat råd." in page.text
    assert "Rådet beslutade att fortsätta." not in page.text  # the minutes are off the site
    listing = client.get(reverse("followup:meeting_list", args=[meeting.council.municipality.slug]))
    assert meeting.get_absolute_url() in listing.text
    assert "Avpublicerat" in listing.text


# --- The feed -----------------------------------------------------------------------------


def test_the_feed_keeps_the_first_publication_date_and_dates_the_latest_correction(
    client, administrator, meeting
):
    staff = logged_in(administrator)
    assert unpublish(staff, meeting, "Fel bilaga.").status_code == 302
    staff.post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "publish", "_selected_action": [meeting.pk]},
    )
    data = admin_form_data(
        staff.get(change_url(meeting)), place="Stadshuset", correction_reason="Fel lokal."
    )
    assert staff.post(change_url(meeting), data).status_code == 302
    corrected_at = MeetingCorrection.objects.get(kind="correction").made_at

    url = f"/oppna-data/{meeting.council.municipality.slug}/sammantraden.atom"
    entry = feedparser.parse(client.get(url).content).entries[0]

    published = datetime.datetime(*entry.published_parsed[:6], tzinfo=datetime.UTC)
    updated = datetime.datetime(*entry.updated_parsed[:6], tzinfo=datetime.UTC)
    assert published == FIRST_PUBLISHED
    assert abs(updated - corrected_at) < datetime.timedelta(seconds=1)
    assert updated.date() == timezone.now().date()
