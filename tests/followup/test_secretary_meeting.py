"""The secretary's meeting (issue 13): publishing needs every promise assessed or
"Ej behandlat" with a reason, unlikely dates are confirmed, the pre-filled rows show
the council's previous decision and the late activities, and the protocol prints."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUp, Meeting
from followup.services import (
    agenda_items,
    current_periods,
    meeting_date_warnings,
    meeting_publish,
    meeting_save,
    promises_without_assessment,
)
from tests.activities.factories import ActivityFactory
from tests.admin_helpers import admin_form_data
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import PeriodFactory, PromiseFactory
from website.selectors import promise_detail

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:followup_meeting_add")
TODAY = datetime.date(2026, 12, 4)


@pytest.fixture
def period(timra_period):
    return timra_period


@pytest.fixture
def promises(period):
    return [
        PromiseFactory(period=period, order=order, title=f"Löfte {order}") for order in (1, 2, 3)
    ]


def change_url(meeting) -> str:
    return reverse("admin:followup_meeting_change", args=[meeting.pk])


def add_form(client, period, **changes):
    page = client.get(ADD_URL, {"period": period.pk})
    changes.setdefault("date", timezone.localdate().isoformat())
    return admin_form_data(page, **changes)


# --- Publishing needs every promise -------------------------------------------------


def test_publishing_from_the_form_with_a_promise_unassessed_saves_nothing(
    client, secretary, period, promises
):
    client.force_login(secretary)
    data = add_form(client, period, _publish="Spara och publicera")
    data["follow_ups-0-assessment"] = "on_track"
    data["follow_ups-1-assessment"] = "done"

    response = client.post(f"{ADD_URL}?period={period.pk}", data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[2].errors["assessment"] == [
        "Välj rådets bedömning innan sammanträdet publiceras, eller ”Ej behandlat” med "
        "skälet i kommentaren."
    ]
    assert not formset.forms[0].errors
    assert not Meeting.objects.exists()
    assert not FollowUp.objects.exists()


def test_publishing_from_the_form_with_every_promise_assessed_saves_and_publishes(
    client, secretary, period, promises
):
    client.force_login(secretary)
    data = add_form(client, period, _publish="Spara och publicera")
    data["follow_ups-0-assessment"] = "on_track"
    data["follow_ups-1-assessment"] = "done"
    data["follow_ups-2-assessment"] = "not_discussed"
    data["follow_ups-2-comment"] = "Tiden räckte inte."

    response = client.post(f"{ADD_URL}?period={period.pk}", data, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:followup_meeting_changelist")
    meeting = Meeting.objects.get()
    assert meeting.is_published and meeting.first_published_at is not None
    assert meeting.follow_ups.count() == 3
    assert "är sparat och publicerat" in response.text


def test_saving_without_publishing_still_allows_rows_left_open(
    client, secretary, period, promises
):
    client.force_login(secretary)
    data = add_form(client, period, _save="Spara")
    data["follow_ups-0-assessment"] = "on_track"
    response = client.post(f"{ADD_URL}?period={period.pk}", data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert not meeting.is_published
    assert [p.title for p in promises_without_assessment(meeting)] == ["Löfte 2", "Löfte 3"]


def test_ej_behandlat_without_a_reason_is_explained_beside_the_comment(
    client, secretary, period, promises
):
    client.force_login(secretary)
    data = add_form(client, period)
    data["follow_ups-0-assessment"] = "not_discussed"
    response = client.post(f"{ADD_URL}?period={period.pk}", data)
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.errors["comment"] == [
        "Skriv varför löftet inte behandlades. Skälet visas offentligt."
    ]
    assert not Meeting.objects.exists()


def test_the_database_refuses_ej_behandlat_without_a_reason(period, promises):
    meeting = MeetingFactory(period=period, is_published=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(
            meeting=meeting, promise=promises[0], assessment="not_discussed", comment=""
        )


def test_the_publish_service_names_the_promises_without_assessment(
    secretary, period, promises
):
    meeting = MeetingFactory(period=period, is_published=False, published_at=None)
    FollowUpFactory(meeting=meeting, promise=promises[0])
    with pytest.raises(ValidationError) as refused:
        meeting_publish(user=secretary, meeting=meeting)
    assert "”Löfte 2”, ”Löfte 3” saknar rådets bedömning" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert not meeting.is_published


def test_an_activity_follow_up_does_not_stand_in_for_the_promise(secretary, period, promises):
    meeting = MeetingFactory(period=period, is_published=False, published_at=None)
    for promise in promises[1:]:
        FollowUpFactory(meeting=meeting, promise=promise)
    activity = ActivityFactory(promise=promises[0])
    FollowUpFactory(meeting=meeting, promise=promises[0], activity=activity)
    assert promises_without_assessment(meeting) == [promises[0]]


def test_save_and_publish_in_the_service_is_all_or_nothing(secretary, period, promises):
    meeting = Meeting(council=period.municipality.council, period=period, date=TODAY)
    with pytest.raises(ValidationError):
        meeting_save(user=secretary, meeting=meeting, opened_version=None, publish=True)
    assert not Meeting.objects.exists()


def test_the_publish_action_explains_a_refusal_and_publishes_the_others(
    client, secretary, period, promises
):
    incomplete = MeetingFactory(
        period=period, date=datetime.date(2026, 5, 1), is_published=False, published_at=None
    )
    complete = MeetingFactory(
        period=period, date=datetime.date(2026, 6, 1), is_published=False, published_at=None
    )
    for promise in promises:
        FollowUpFactory(meeting=complete, promise=promise)
    client.force_login(secretary)
    response = client.post(
        reverse("admin:followup_meeting_changelist"),
        {"action": "publish", "_selected_action": [incomplete.pk, complete.pk]},
        follow=True,
    )
    incomplete.refresh_from_db()
    complete.refresh_from_db()
    assert complete.is_published and not incomplete.is_published
    assert "Sammanträde 1 maj 2026 kan inte publiceras" in response.text
    assert "1 sammanträde publicerades." in response.text


def test_ej_behandlat_is_shown_with_its_reason_and_is_not_the_verdict(period, promises):
    earlier = MeetingFactory(period=period, date=datetime.date(2026, 3, 1))
    FollowUpFactory(meeting=earlier, promise=promises[0], assessment="deviation")
    later = MeetingFactory(period=period, date=datetime.date(2026, 6, 1))
    FollowUpFactory(
        meeting=later, promise=promises[0], assessment="not_discussed", comment="Ingen tid."
    )
    detail = promise_detail(period, promises[0].slug)
    assert detail.headline.council_assessment == "deviation"
    assert detail.headline.council_date == datetime.date(2026, 3, 1)


def test_the_public_meeting_page_shows_ej_behandlat_and_the_reason(client, period, promises):
    meeting = MeetingFactory(period=period, date=datetime.date(2026, 6, 1))
    FollowUpFactory(
        meeting=meeting, promise=promises[0], assessment="not_discussed", comment="Ingen tid."
    )
    response = client.get(meeting.get_absolute_url())
    text = response.content.decode()
    assert "Ej behandlat" in text
    assert "Skäl" in text and "Ingen tid." in text
    assert "1 juni 2026" in text


# --- Warnings the secretary confirms ------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2024, 12, 1), "ligger före löftesperiodens början (1 januari 2025)"),
        (datetime.date(2025, 6, 1), "ligger mer än ett år bakåt i tiden"),
        (datetime.date(2028, 1, 10), "ligger mer än ett år fram i tiden"),
    ],
    ids=["before-the-period", "far-past", "far-future"],
)
def test_an_unlikely_date_is_a_warning(period, day, expected):
    meeting = Meeting(council=period.municipality.council, period=period, date=day)
    warnings = meeting_date_warnings(meeting, today=TODAY)
    assert any(expected in warning for warning in warnings), warnings


def test_a_likely_date_gives_no_warning(period):
    meeting = Meeting(council=period.municipality.council, period=period, date=TODAY)
    assert meeting_date_warnings(meeting, today=TODAY) == []


def test_an_unlikely_date_is_saved_only_once_confirmed_in_the_form(
    client, secretary, period, promises
):
    client.force_login(secretary)
    data = add_form(client, period, date="2024-12-01")
    data["follow_ups-0-assessment"] = "on_track"

    warned = client.post(f"{ADD_URL}?period={period.pk}", data)

    assert warned.status_code == 200
    errors = warned.context["adminform"].form.errors["date"]
    assert any("före löftesperiodens början" in error for error in errors)
    assert "Jag har kontrollerat varningarna och vill spara ändå" in warned.text
    assert not Meeting.objects.exists() and not FollowUp.objects.exists()

    data["confirm_warnings"] = "on"
    saved = client.post(f"{ADD_URL}?period={period.pk}", data)
    assert saved.status_code == 302
    assert Meeting.objects.get().date == datetime.date(2024, 12, 1)


def test_changing_the_text_of_a_meeting_with_an_old_date_asks_nothing(
    client, secretary, period
):
    meeting = MeetingFactory(
        period=period, date=datetime.date(2025, 3, 1), is_published=False, published_at=None
    )
    client.force_login(secretary)
    page = client.get(change_url(meeting))
    response = client.post(change_url(meeting), admin_form_data(page, place="Stadshuset"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Stadshuset"


# --- The pre-filled rows --------------------------------------------------------------


def test_each_row_shows_the_previous_assessment_its_next_steps_and_late_activities(
    client, secretary, period, promises
):
    previous = MeetingFactory(period=period, date=datetime.date(2026, 3, 1))
    FollowUpFactory(
        meeting=previous,
        promise=promises[0],
        assessment="at_risk",
        next_steps="Boka två extra kontroller.",
    )
    newer = MeetingFactory(period=period, date=datetime.date(2026, 5, 1))
    FollowUpFactory(
        meeting=newer, promise=promises[0], assessment="not_discussed", comment="Ingen tid."
    )
    ActivityFactory(
        promise=promises[1],
        title="Försenad trygghetsvandring",
        planned_end=datetime.date(2025, 6, 30),
    )
    ActivityFactory(promise=promises[1], title="Pågående insats")
    client.force_login(secretary)

    response = client.get(ADD_URL, {"period": period.pk})

    facts = response.context["inline_admin_formsets"][0].formset.facts
    assert facts[promises[0].pk].previous.assessment == "at_risk"  # not "Ej behandlat"
    assert [a.title for a in facts[promises[1].pk].late_activities] == [
        "Försenad trygghetsvandring"
    ]
    text = response.text
    assert "Förra bedömningen (1 mars 2026): <strong>Risk för avvikelse</strong>." in text
    assert "Beslutade nästa steg: Boka två extra kontroller." in text
    assert "Försenade: Försenad trygghetsvandring" in text
    assert "Pågående insats" not in text
    assert "Rådet har inte bedömt löftet tidigare." in text  # Löfte 3


def test_the_add_form_takes_time_and_place_from_the_councils_latest_meeting(
    client, secretary, period
):
    MeetingFactory(
        period=period,
        date=datetime.date(2026, 5, 1),
        start_time=datetime.time(9, 30),
        place="Stadshuset, sal B",
    )
    client.force_login(secretary)
    form = client.get(ADD_URL, {"period": period.pk}).context["adminform"].form
    assert form.initial["place"] == "Stadshuset, sal B"
    assert form.initial["start_time"] == datetime.time(9, 30)


def test_current_periods_prefer_the_period_in_force_and_else_the_latest_started(
    secretary, period
):
    over = PeriodFactory(
        municipality=period.municipality,
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    assert current_periods(secretary, today=TODAY) == [period]
    assert current_periods(secretary, today=datetime.date(2027, 6, 1)) == [period]
    assert current_periods(secretary, today=datetime.date(2023, 6, 1)) == [over]


# --- The printable protocol -------------------------------------------------------------


def test_agenda_items_lose_the_numbering_typed_by_hand():
    assert agenda_items("1. Öppnande\n\n2) Löftena\n§ 3 Övrigt\n- Nästa möte") == [
        "Öppnande",
        "Löftena",
        "Övrigt",
        "Nästa möte",
    ]


def test_the_protocol_follows_swedish_minutes(client, secretary, period, promises):
    meeting = MeetingFactory(
        period=period,
        date=datetime.date(2026, 12, 1),
        start_time=datetime.time(13, 0),
        place="Kommunhuset",
        attendees="Anna Berg, ordförande\nPer Ek, sekreterare\nLena Sund, justerare\nOla Ny",
        agenda="1. Mötets öppnande\n2. Uppföljning av medborgarlöftena",
        minutes="Rådet gick igenom lägesrapporterna.",
    )
    FollowUpFactory(meeting=meeting, promise=promises[0], assessment="done")
    FollowUpFactory(
        meeting=meeting, promise=promises[1], assessment="not_discussed", comment="Ingen tid."
    )
    client.force_login(secretary)

    text = client.get(reverse("admin:followup_meeting_report", args=[meeting.pk])).text

    assert "<title>Protokoll, Rådet för trygghet och hälsa, 1 december 2026</title>" in text
    assert "<dd>1 december 2026</dd>" in text and "kl. 13.00" in text
    assert "<dd>Kommunhuset</dd>" in text
    assert "<tr><td>Anna Berg</td><td>ordförande</td></tr>" in text
    assert "<tr><td>Ola Ny</td><td>–</td></tr>" in text  # one per line, role or not
    assert "§&nbsp;1</span> Dagordning" in text
    assert "<li>Mötets öppnande</li><li>Uppföljning av medborgarlöftena</li>" in text
    assert "§&nbsp;2</span> Anteckningar" in text
    assert "Rådet gick igenom lägesrapporterna." in text
    assert "§&nbsp;3</span> Uppföljning av medborgarlöftet ”Löfte 1”" in text
    assert "§&nbsp;5</span> Uppföljning av medborgarlöftet ”Löfte 3”" in text
    assert "Ej behandlat" in text and "Ingen tid." in text
    assert "Vid protokollet" in text and "Justeras" in text
    for signature in ("Per Ek, sekreterare", "Anna Berg, ordförande", "Lena Sund, justerare"):
        assert signature in text


def test_the_protocol_of_a_meeting_listing_attendees_on_one_line_lists_them_one_by_one(
    period,
):
    meeting = MeetingFactory(period=period, attendees="Kommunpolis, socialchef, ordförande")
    assert [a.name for a in meeting.attendee_rows()] == [
        "Kommunpolis",
        "socialchef",
        "ordförande",
    ]


def test_the_print_style_sets_a4_and_keeps_signatures_together():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/meeting-report.css").read_text()
    assert "size: A4" in css
    assert ".protocol-signatures { break-inside: avoid; }" in css.replace(",\n  ", ", ")


# --- The meeting list ---------------------------------------------------------------


def test_the_meeting_list_shows_textual_dates_and_the_report_link(client, secretary, period):
    meeting = MeetingFactory(period=period, date=datetime.date(2026, 12, 1))
    client.force_login(secretary)
    text = client.get(reverse("admin:followup_meeting_changelist")).text
    assert "Sammanträde 1 december 2026" in text
    assert reverse("admin:followup_meeting_report", args=[meeting.pk]) in text
