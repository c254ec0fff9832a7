"""A meeting's date is plausible; a second meeting of a council on one day is a warning."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from followup.models import MEETING_EARLIEST_DATE, Meeting, meeting_latest_date
from followup.services import meeting_same_day_warning, meeting_save
from tests.admin_helpers import admin_form_data
from tests.followup.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:followup_meeting_add")


@pytest.fixture
def period(timra_period):
    return timra_period


def add_meeting(client, period, day: str, follow: bool = False, **changes):
    page = client.get(ADD_URL, {"period": period.pk})
    return client.post(
        f"{ADD_URL}?period={period.pk}",
        admin_form_data(page, date=day, place="Kommunhuset", **changes),
        follow=follow,
    )


def test_a_meeting_dated_1900_is_refused_beside_the_date(client, secretary, period):
    client.force_login(secretary)
    response = add_meeting(client, period, "1900-06-12")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["date"] == ["Datumet kan inte vara före år 2000."]
    assert not Meeting.objects.exists()


def test_a_meeting_more_than_two_years_ahead_is_refused_beside_the_date(client, secretary, period):
    client.force_login(secretary)
    too_late = meeting_latest_date() + datetime.timedelta(days=1)
    response = add_meeting(client, period, too_late.isoformat())
    assert response.status_code == 200
    assert "mer än 2 år fram i tiden" in response.context["adminform"].form.errors["date"][0]
    assert not Meeting.objects.exists()


def test_the_database_refuses_a_date_before_2000_whatever_the_path(period):
    meeting = MeetingFactory.build(period=period, council=period.municipality.council)
    meeting.date = datetime.date(1999, 12, 31)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting.save()


def test_the_service_refuses_a_date_out_of_range(secretary, period):
    meeting = Meeting(
        council=period.municipality.council, period=period, date=datetime.date(1900, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        meeting_save(user=secretary, meeting=meeting, opened_version=None)
    assert "date" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_the_bounds_themselves_are_accepted(secretary, period):
    for day in (MEETING_EARLIEST_DATE, meeting_latest_date()):
        meeting = Meeting(council=period.municipality.council, period=period, date=day)
        # Allowed, but unlikely: saved once the secretary confirms the warning.
        meeting_save(
            user=secretary, meeting=meeting, opened_version=None, warnings_confirmed=True
        )
    assert Meeting.objects.count() == 2


def test_a_second_meeting_of_the_council_on_the_same_day_is_saved_only_once_confirmed(
    client, secretary, period
):
    MeetingFactory(period=period, date=datetime.date(2026, 6, 12), is_published=False)
    client.force_login(secretary)

    warned = add_meeting(client, period, "2026-06-12")

    assert warned.status_code == 200
    warning = "Rådet har redan ett sammanträde den 12 juni 2026."
    assert any(warning in error for error in warned.context["adminform"].form.errors["date"])
    assert 'name="confirm_warnings"' in warned.text
    assert Meeting.objects.filter(date=datetime.date(2026, 6, 12)).count() == 1

    response = add_meeting(client, period, "2026-06-12", follow=True, confirm_warnings="on")
    assert response.redirect_chain[0][1] == 302
    assert Meeting.objects.filter(date=datetime.date(2026, 6, 12)).count() == 2
    assert warning in response.text  # repeated in the saved message


def test_no_warning_for_a_different_day_or_another_council(period):
    existing = MeetingFactory(period=period, date=timezone.localdate())
    other_council = MeetingFactory(date=timezone.localdate())
    assert meeting_same_day_warning(existing) is None
    assert meeting_same_day_warning(other_council) is None
    later = Meeting(council=existing.council, period=period, date=existing.date)
    assert meeting_same_day_warning(later) is not None
