"""The services are the one door for writes of meetings and follow-ups: who may do what.

Asked of every role in the shared cast (tests/conftest.py), anonymous residents and
superusers included; a refused call changes nothing.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from followup.models import FollowUp, Meeting, MeetingCorrection
from followup.services import (
    FollowUpChanges,
    MeetingConflict,
    MeetingSaved,
    follow_up_delete,
    follow_up_save,
    meeting_delete,
    meeting_publish,
    meeting_save,
    meeting_unpublish,
)
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import PromiseFactory

pytestmark = pytest.mark.django_db

ALL_ROLES = [
    "secretary",
    "administrator",
    "admin_user",
    "police_reporter",
    "municipality_reporter",
    "anonymous",
]
MANAGERS = {"secretary", "administrator", "admin_user"}
ADMINISTRATORS = {"administrator", "admin_user"}


@pytest.fixture
def user(request):
    if request.param == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


def roles(allowed: set[str]):
    return pytest.mark.parametrize(
        ("user", "allowed"),
        [(role, role in allowed) for role in ALL_ROLES],
        indirect=["user"],
        ids=ALL_ROLES,
    )


@pytest.fixture
def period(timra_period):
    return timra_period


@pytest.fixture
def draft_meeting(period):
    meeting = MeetingFactory(period=period, is_published=False, date=datetime.date(2025, 6, 12))
    FollowUpFactory(meeting=meeting, promise=PromiseFactory(period=period))
    return meeting


@pytest.fixture
def published_meeting(period):
    meeting = MeetingFactory(period=period, is_published=True, date=datetime.date(2025, 3, 15))
    FollowUpFactory(meeting=meeting, promise=PromiseFactory(period=period), comment="Som förut.")
    return meeting


@roles(MANAGERS)
def test_creating_a_meeting_is_for_the_secretary_and_administrators(user, allowed, period):
    meeting = Meeting(
        council=period.municipality.council, period=period, date=datetime.date(2026, 9, 1)
    )
    if allowed:
        result = meeting_save(user=user, meeting=meeting, opened_version=None)
        assert isinstance(result, MeetingSaved)
        assert Meeting.objects.filter(pk=result.meeting.pk, version=1).exists()
    else:
        with pytest.raises(PermissionDenied):
            meeting_save(user=user, meeting=meeting, opened_version=None)
        assert not Meeting.objects.exists()


@roles(MANAGERS)
def test_changing_a_draft_meeting_is_for_the_secretary_and_administrators(
    user, allowed, draft_meeting
):
    draft_meeting.place = "Stadshuset"
    if allowed:
        meeting_save(user=user, meeting=draft_meeting, opened_version=1)
        assert Meeting.objects.get(pk=draft_meeting.pk).place == "Stadshuset"
    else:
        with pytest.raises(PermissionDenied):
            meeting_save(user=user, meeting=draft_meeting, opened_version=1)
        assert Meeting.objects.get(pk=draft_meeting.pk).place == "Kommunhuset"


@roles(MANAGERS)
def test_publishing_is_for_the_secretary_and_administrators(user, allowed, draft_meeting):
    if allowed:
        assert meeting_publish(user=user, meeting=draft_meeting)
        draft_meeting.refresh_from_db()
        assert draft_meeting.is_published
        assert draft_meeting.first_published_at == draft_meeting.published_at
    else:
        with pytest.raises(PermissionDenied):
            meeting_publish(user=user, meeting=draft_meeting)
        assert not Meeting.objects.get(pk=draft_meeting.pk).is_published


@roles(ADMINISTRATORS)
def test_unpublishing_is_for_administrators_only(user, allowed, published_meeting):
    if allowed:
        assert meeting_unpublish(user=user, meeting=published_meeting, reason="Fel protokoll.")
        published_meeting.refresh_from_db()
        assert not published_meeting.is_published
        assert published_meeting.first_published_at is not None
        correction = MeetingCorrection.objects.get(meeting=published_meeting)
        assert correction.kind == MeetingCorrection.Kind.UNPUBLISHED
        assert correction.reason == "Fel protokoll."
    else:
        with pytest.raises(PermissionDenied):
            meeting_unpublish(user=user, meeting=published_meeting, reason="Fel protokoll.")
        assert Meeting.objects.get(pk=published_meeting.pk).is_published
        assert not MeetingCorrection.objects.exists()


def test_unpublishing_without_a_reason_is_refused_beside_the_field(
    administrator, published_meeting
):
    with pytest.raises(ValidationError) as refused:
        meeting_unpublish(user=administrator, meeting=published_meeting, reason="  ")
    assert "reason" in refused.value.message_dict
    assert Meeting.objects.get(pk=published_meeting.pk).is_published


@roles(MANAGERS)
def test_deleting_a_draft_meeting_is_for_the_secretary_and_administrators(
    user, allowed, draft_meeting
):
    if allowed:
        meeting_delete(user=user, meeting=draft_meeting)
        assert not Meeting.objects.exists()
        assert not FollowUp.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            meeting_delete(user=user, meeting=draft_meeting)
        assert Meeting.objects.filter(pk=draft_meeting.pk).exists()


@roles(set())
def test_nobody_deletes_a_published_meeting(user, allowed, published_meeting):
    with pytest.raises(PermissionDenied):
        meeting_delete(user=user, meeting=published_meeting)
    assert Meeting.objects.filter(pk=published_meeting.pk).exists()
    assert FollowUp.objects.filter(meeting=published_meeting).count() == 1


@roles(set())
def test_nobody_deletes_a_meeting_unpublished_after_publication(
    user, allowed, administrator, published_meeting
):
    meeting_unpublish(user=administrator, meeting=published_meeting, reason="Fel möte.")
    with pytest.raises(PermissionDenied):
        meeting_delete(user=user, meeting=published_meeting)
    assert Meeting.objects.filter(pk=published_meeting.pk).exists()


@roles(set())
def test_nobody_deletes_a_follow_up_of_a_published_meeting(user, allowed, published_meeting):
    follow_up = published_meeting.follow_ups.get()
    with pytest.raises(PermissionDenied):
        follow_up_delete(user=user, follow_up=follow_up)
    assert FollowUp.objects.filter(pk=follow_up.pk).exists()


@roles(MANAGERS)
def test_changing_a_follow_up_is_for_the_secretary_and_administrators(user, allowed, draft_meeting):
    follow_up = draft_meeting.follow_ups.get()
    follow_up.comment = "Ny bedömning."
    if allowed:
        result = follow_up_save(user=user, follow_up=follow_up, opened_version=1)
        assert isinstance(result, MeetingSaved)
        assert Meeting.objects.get(pk=draft_meeting.pk).version == 2
    else:
        with pytest.raises(PermissionDenied):
            follow_up_save(user=user, follow_up=follow_up, opened_version=1)
        assert FollowUp.objects.get(pk=follow_up.pk).comment == "Arbetet går enligt plan."


def test_a_stale_version_is_a_conflict_and_saves_nothing(secretary, draft_meeting):
    Meeting.objects.filter(pk=draft_meeting.pk).update(version=5)
    draft_meeting.place = "Stadshuset"
    result = meeting_save(user=secretary, meeting=draft_meeting, opened_version=1)
    assert isinstance(result, MeetingConflict)
    assert Meeting.objects.get(pk=draft_meeting.pk).place == "Kommunhuset"


def test_a_meeting_and_its_follow_ups_are_one_new_version(secretary, draft_meeting):
    follow_up = draft_meeting.follow_ups.get()
    follow_up.comment = "Ändrad i samma spara."
    draft_meeting.minutes = "Justerat."
    meeting_save(
        user=secretary,
        meeting=draft_meeting,
        opened_version=1,
        follow_ups=FollowUpChanges(saved=[follow_up]),
    )
    draft_meeting.refresh_from_db()
    assert draft_meeting.version == 2
    assert FollowUp.objects.get(pk=follow_up.pk).comment == "Ändrad i samma spara."


def test_a_form_cannot_publish_or_unpublish_through_meeting_save(secretary, published_meeting):
    published_meeting.is_published = False
    published_meeting.first_published_at = None
    published_meeting.place = "Stadshuset"
    meeting_save(user=secretary, meeting=published_meeting, opened_version=1, reason="Fel lokal.")
    published_meeting.refresh_from_db()
    assert published_meeting.is_published
    assert published_meeting.first_published_at is not None


def test_changing_a_published_meeting_without_a_reason_is_refused(secretary, published_meeting):
    published_meeting.minutes = "Omskrivet i tysthet."
    with pytest.raises(ValidationError) as refused:
        meeting_save(user=secretary, meeting=published_meeting, opened_version=1)
    assert "correction_reason" in refused.value.message_dict
    published_meeting.refresh_from_db()
    assert published_meeting.minutes == "Rådet gick igenom samtliga löften."


def test_a_correction_keeps_the_reason_and_the_earlier_wording(secretary, published_meeting):
    follow_up = published_meeting.follow_ups.get()
    follow_up.comment = "Rättad kommentar."
    published_meeting.minutes = "Rättat protokoll."
    meeting_save(
        user=secretary,
        meeting=published_meeting,
        opened_version=1,
        follow_ups=FollowUpChanges(saved=[follow_up]),
        reason="Skrivfel i protokollet.",
    )
    correction = MeetingCorrection.objects.get(meeting=published_meeting)
    assert correction.kind == MeetingCorrection.Kind.CORRECTION
    assert correction.reason == "Skrivfel i protokollet."
    assert correction.made_by == secretary
    befores = {(c["field"], c.get("promise")): c["before"] for c in correction.changes}
    assert befores[("minutes", None)] == "Rådet gick igenom samtliga löften."
    assert befores[("comment", follow_up.promise.title)] == "Som förut."


def test_publishing_again_keeps_the_first_publication_date(administrator, published_meeting):
    first = published_meeting.first_published_at
    meeting_unpublish(user=administrator, meeting=published_meeting, reason="Fel bilaga.")
    assert meeting_publish(user=administrator, meeting=published_meeting)
    published_meeting.refresh_from_db()
    assert published_meeting.first_published_at == first
    assert published_meeting.published_at > first
    kinds = list(published_meeting.corrections.values_list("kind", flat=True))
    assert kinds == [MeetingCorrection.Kind.UNPUBLISHED, MeetingCorrection.Kind.REPUBLISHED]


def test_a_follow_up_of_a_published_meeting_cannot_be_moved_out(
    secretary, published_meeting, draft_meeting
):
    follow_up = published_meeting.follow_ups.get()
    follow_up.meeting = draft_meeting
    with pytest.raises(ValidationError) as refused:
        follow_up_save(user=secretary, follow_up=follow_up, opened_version=1, reason="Flytt.")
    assert "meeting" in refused.value.message_dict
    assert FollowUp.objects.get(pk=follow_up.pk).meeting_id == published_meeting.pk


def test_moving_a_follow_up_into_a_published_meeting_is_a_correction(
    secretary, published_meeting, draft_meeting
):
    follow_up = draft_meeting.follow_ups.get()
    follow_up.meeting = published_meeting
    with pytest.raises(ValidationError):
        follow_up_save(user=secretary, follow_up=follow_up, opened_version=1)
    follow_up_save(user=secretary, follow_up=follow_up, opened_version=1, reason="Glömd rad.")
    correction = MeetingCorrection.objects.get(meeting=published_meeting)
    assert [change["before"] for change in correction.changes] == [None]
