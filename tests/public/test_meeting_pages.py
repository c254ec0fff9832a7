"""The public meeting pages: what is shown, what stays hidden, 404s and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import PeriodFactory, PromiseFactory
from tests.promises.public_data import build_public_period

pytestmark = pytest.mark.django_db


def list_url(data) -> str:
    return reverse("followup:meeting_list", kwargs={"municipality": data.municipality.slug})


@pytest.mark.parametrize("size", [3, 30])
def test_the_meeting_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    data = build_public_period(size)
    for days_ago in range(size):
        MeetingFactory(
            council=data.meetings[0].council,
            period=data.period,
            date=timezone.localdate() - datetime.timedelta(days=200 + days_ago),
        )
    with django_assert_num_queries(3):
        response = client.get(list_url(data))
    assert len(response.context["meetings"]) == size + 2


@pytest.mark.parametrize("size", [3, 30])
def test_the_meeting_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    data = build_public_period(size)
    # The meeting, its corrections (the public record of changes), promises, follow-ups.
    with django_assert_num_queries(4):
        response = client.get(data.meetings[0].get_absolute_url())
    assert len(response.context["promises"]) == size


def test_the_list_shows_published_minutes_and_the_date_and_place_of_planned_meetings(client):
    data = build_public_period(1)
    data.planned_meeting.place = "Stadshuset, sal 2"
    data.planned_meeting.agenda = "Hemlig dagordning"
    data.planned_meeting.save()
    held_draft = MeetingFactory(
        council=data.meetings[0].council,
        period=data.period,
        date=timezone.localdate() - datetime.timedelta(days=3),
        is_published=False,
        place="Utkastrummet",
    )
    html = client.get(list_url(data)).content.decode()
    for meeting in data.meetings:
        assert meeting.get_absolute_url() in html
    assert "Stadshuset, sal 2" in html
    assert "Hemlig dagordning" not in html
    assert data.planned_meeting.get_absolute_url() not in html
    assert "Utkastrummet" not in html
    assert held_draft.get_absolute_url() not in html


def test_the_list_leaves_out_meetings_of_an_unpublished_period(client):
    data = build_public_period(1)
    hidden = PeriodFactory(municipality=data.municipality, is_published=False)
    MeetingFactory(
        council=data.meetings[0].council,
        period=hidden,
        date=timezone.localdate() + datetime.timedelta(days=3),
        place="Framtida hemligt rum",
        is_published=True,
    )
    html = client.get(list_url(data)).content.decode()
    assert "Framtida hemligt rum" not in html


def test_the_meeting_page_shows_minutes_and_the_assessment_of_each_promise(client):
    data = build_public_period(2)
    not_followed = PromiseFactory(period=data.period, title="Ej uppföljt löfte")
    meeting = data.meetings[1]
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert meeting.minutes in html
    assert meeting.attendees in html
    for promise in data.promises:
        assert promise.get_absolute_url() in html
    assert "Enligt plan" in html
    assert "Avvikelse" in html
    assert "Aktiviteten är försenad." in html
    assert not_followed.get_absolute_url() in html
    assert "Löftet följdes inte upp på det här sammanträdet." in html
    # The whole promise's assessment comes before its activities'.
    assert html.index("Arbetet går enligt plan.") < html.index("Aktiviteten är försenad.")


def test_minutes_and_comments_are_shown_as_text_never_as_markup(client):
    data = build_public_period(1)
    meeting = data.meetings[0]
    meeting.minutes = "<script>alert(1)</script>\n\n<b>fet</b>"
    meeting.save()
    follow_up = meeting.follow_ups.first()
    follow_up.comment = '<img src=x onerror="alert(2)">'
    follow_up.save()
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html
    assert "<img src=x" not in html


class TestNotFound:
    def test_an_unpublished_meeting_is_404(self, client):
        data = build_public_period(1)
        assert client.get(data.planned_meeting.get_absolute_url()).status_code == 404

    def test_a_published_meeting_in_an_unpublished_period_is_404(self, client):
        data = build_public_period(1)
        hidden = PeriodFactory(municipality=data.municipality, is_published=False)
        meeting = MeetingFactory(council=data.meetings[0].council, period=hidden)
        FollowUpFactory(meeting=meeting)
        assert client.get(meeting.get_absolute_url()).status_code == 404

    def test_an_unknown_meeting_or_another_municipalitys_meeting_is_404(self, client):
        data = build_public_period(1)
        other = build_public_period(1, slug="sundsvall")
        url = reverse(
            "followup:meeting",
            kwargs={"municipality": data.municipality.slug, "pk": other.meetings[0].pk},
        )
        assert client.get(url).status_code == 404
        assert client.get(f"/{data.municipality.slug}/sammantraden/999999/").status_code == 404
        assert client.get(f"/{data.municipality.slug}/sammantraden/abc/").status_code == 404
        assert client.get("/finns-inte/sammantraden/").status_code == 404


def test_meeting_pages_set_no_cookie(client):
    data = build_public_period(1)
    for url in (list_url(data), data.meetings[0].get_absolute_url()):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers
        assert not response.cookies


def test_a_meeting_id_too_large_for_the_database_is_404(client):
    data = build_public_period(1)
    url = f"/{data.municipality.slug}/sammantraden/{'9' * 30}/"
    assert client.get(url).status_code == 404
