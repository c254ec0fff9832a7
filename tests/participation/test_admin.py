"""The secretary's moderation in the admin, and the council's answers on the meeting's form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.models import Question, QuestionEdit
from tests.admin_helpers import admin_form_data
from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
from tests.participation.factories import QuestionFactory
from tests.promises.factories import PeriodFactory, PromiseFactory
from tests.smtp import body, run_worker

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/participation/question/"


@pytest.fixture
def promise(timra):
    return PromiseFactory(period=PeriodFactory(municipality=timra))


@pytest.fixture
def sundsvall_question(sundsvall):
    return QuestionFactory(
        promise=PromiseFactory(period=PeriodFactory(municipality=sundsvall)),
        message="Fråga från Sundsvall",
    )


def test_the_queue_holds_only_the_secretarys_municipality_new_questions_first(
    client, secretary, promise, sundsvall_question
):
    published = QuestionFactory(promise=promise, status=Question.Status.PUBLISHED)
    waiting = QuestionFactory(promise=promise, message="Ny fråga från Timrå")
    client.force_login(secretary)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [waiting, published]
    assert client.get(f"{CHANGELIST}{sundsvall_question.pk}/change/").status_code == 404


def test_the_queue_never_shows_the_email_address(client, secretary, promise):
    QuestionFactory(promise=promise, email="hemlig@example.invalid")
    client.force_login(secretary)
    question = Question.objects.get()
    for url in (CHANGELIST, f"{CHANGELIST}{question.pk}/change/"):
        assert "hemlig@example.invalid" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("action", "status", "reason"),
    [
        ("publish", Question.Status.PUBLISHED, ""),
        ("send_to_council", Question.Status.SENT_TO_COUNCIL, ""),
        ("reject_off_topic", Question.Status.REJECTED, "off_topic"),
        ("reject_personal_data", Question.Status.REJECTED, "personal_data"),
        ("reject_offensive", Question.Status.REJECTED, "offensive"),
        ("reject_duplicate", Question.Status.REJECTED, "duplicate"),
    ],
)
def test_each_moderation_action(client, secretary, promise, action, status, reason):
    question = QuestionFactory(promise=promise)
    client.force_login(secretary)
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [question.pk], "index": 0}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.status, question.rejection_reason) == (status, reason)
    assert question.moderated_by == secretary


def test_another_secretary_cannot_act_on_a_question_by_its_id(client, other_secretary, promise):
    question = QuestionFactory(promise=promise)
    client.force_login(other_secretary)
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [question.pk], "index": 0})
    question.refresh_from_db()
    assert question.status == Question.Status.NEW


def test_editing_out_personal_data_is_logged_with_the_secretarys_name(client, secretary, promise):
    question = QuestionFactory(promise=promise, message="Sven på Storgatan 3 säljer narkotika.")
    client.force_login(secretary)
    url = f"{CHANGELIST}{question.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update({"message": "Någon säljer narkotika vid Storgatan.", "edit_note": "Tog bort namn"})
    response = client.post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.message == "Någon säljer narkotika vid Storgatan."
    edit = QuestionEdit.objects.get()
    assert (edit.made_by, edit.fields, edit.note) == (secretary, "message", "Tog bort namn")
    assert "Tog bort namn" in client.get(url).content.decode()


def test_an_oversized_edit_is_refused_beside_the_field(client, secretary, promise):
    question = QuestionFactory(promise=promise)
    client.force_login(secretary)
    url = f"{CHANGELIST}{question.pk}/change/"
    data = admin_form_data(client.get(url))
    data["message"] = "x" * 2001
    response = client.post(url, data)
    assert response.status_code == 200
    assert "message" in response.context["adminform"].form.errors
    assert not QuestionEdit.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection, as in production
def test_the_meeting_form_shows_questions_from_residents_and_saves_the_answer(
    client, secretary, promise, django_capture_on_commit_callbacks, smtp
):
    meeting = MeetingFactory(
        period=promise.period,
        date=timezone.localdate() + datetime.timedelta(days=10),
        is_published=False,
    )
    question = QuestionFactory(
        promise=promise,
        message="Varför släcks gatubelysningen?",
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=meeting,
        email="boende@example.invalid",
    )
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_change", args=[meeting.pk])
    page = client.get(url)
    content = page.content.decode()
    assert "Frågor från invånare" in content
    assert "Varför släcks gatubelysningen?" in content
    data = admin_form_data(page)
    prefix = next(key for key in data if key.endswith("-answer")).removesuffix("-answer")
    data[f"{prefix}-answer"] = "Belysningen byts under våren."
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    question.refresh_from_db()
    assert question.answer == "Belysningen byts under våren."
    run_worker()
    assert not smtp.messages

    for assessed in promise.period.promises.all():  # publishing needs every promise assessed
        FollowUpFactory(meeting=meeting, promise=assessed)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        publish = client.post(
            reverse("admin:followup_meeting_changelist"),
            {"action": "publish", "_selected_action": [meeting.pk], "index": 0},
        )
    assert publish.status_code == 302
    run_worker()
    [message] = smtp.messages
    assert message["To"] == "boende@example.invalid"
    assert "Belysningen byts under våren." in body(message, "plain")
    assert (
        "Belysningen byts under våren." in client.get(promise.get_absolute_url()).content.decode()
    )


def test_a_new_meeting_takes_the_questions_waiting_for_one(client, secretary, promise):
    from participation.services import question_send_to_council

    CouncilFactory(municipality=promise.period.municipality)
    question = QuestionFactory(promise=promise)
    question_send_to_council(user=secretary, question=question)
    client.force_login(secretary)
    add_url = reverse("admin:followup_meeting_add") + f"?period={promise.period.pk}"
    data = admin_form_data(client.get(add_url))
    data.update({"date": (timezone.localdate() + datetime.timedelta(days=14)).isoformat()})
    for key in [key for key in data if key.endswith("-assessment")]:
        data[key] = "on_track"  # the offered follow-up row of the promise
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    question.refresh_from_db()
    assert question.meeting is not None and question.meeting.period == promise.period


@pytest.mark.parametrize(
    "lookup",
    ["email", "email__startswith", "email__regex", "email__iexact", "email__isnull"],
)
def test_a_moderator_cannot_read_an_address_through_the_list_filters(
    client, secretary, promise, lookup
):
    QuestionFactory(promise=promise, email="anna.hemlig@example.invalid")
    client.force_login(secretary)

    response = client.get(
        reverse("admin:participation_question_changelist"), {lookup: "anna.hemlig@example.invalid"}
    )

    assert response.status_code == 400
    assert b"anna.hemlig" not in response.content


def _answered_on_a_planned_meeting(promise, email: str = "boende@example.invalid"):
    meeting = MeetingFactory(
        period=promise.period,
        date=timezone.localdate() + datetime.timedelta(days=10),
        is_published=False,
    )
    for assessed in promise.period.promises.all():  # publishing needs every promise assessed
        FollowUpFactory(meeting=meeting, promise=assessed)
    QuestionFactory(
        promise=promise,
        message="Varför släcks gatubelysningen?",
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=meeting,
        email=email,
        answer="Belysningen byts under våren.",
    )
    return meeting


@pytest.mark.django_db(transaction=True)  # the worker closes the connection, as in production
def test_save_and_publish_on_the_meeting_form_emails_the_answer(
    client, secretary, promise, django_capture_on_commit_callbacks, smtp
):
    meeting = _answered_on_a_planned_meeting(promise)
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_change", args=[meeting.pk])
    data = admin_form_data(client.get(url))
    data["_publish"] = "1"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    meeting.refresh_from_db()
    assert meeting.is_published
    run_worker()
    [message] = smtp.messages
    assert message["To"] == "boende@example.invalid"
    assert "Belysningen byts under våren." in body(message, "plain")
    assert Question.objects.get().answer_emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_answer_emails_link_to_the_sites_address_not_the_publishing_requests_host(
    client, secretary, promise, django_capture_on_commit_callbacks, smtp
):
    """The secretary may reach the admin by an internal name; residents get the public one."""
    meeting = _answered_on_a_planned_meeting(promise)
    client.force_login(secretary)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:followup_meeting_changelist"),
            {"action": "publish", "_selected_action": [meeting.pk], "index": 0},
            headers={"host": "127.0.0.1"},
        )

    run_worker()
    [message] = smtp.messages
    expected = "https://trygghet.example.se" + promise.get_absolute_url()  # SITE_URL (smtp)
    assert expected in body(message, "plain")
    assert f'href="{expected}"' in body(message, "html")
    assert "127.0.0.1" not in body(message, "plain") + body(message, "html")
    assert message["Auto-Submitted"] == "auto-generated"


def test_changing_a_published_answer_is_kept_as_a_correction_with_the_earlier_wording(
    client, secretary, promise
):
    from django.core.exceptions import ValidationError

    from followup.models import MeetingCorrection
    from participation.services import question_answer

    meeting = _answered_on_a_planned_meeting(promise, email="")
    meeting.is_published = True
    meeting.published_at = meeting.first_published_at = timezone.now()
    meeting.save()
    question = Question.objects.get()
    with pytest.raises(ValidationError):  # a public record changes only with a reason
        question_answer(user=secretary, question=question, answer="Tyst ändrat.")
    question.refresh_from_db()
    assert question.answer == "Belysningen byts under våren."
    client.force_login(secretary)
    url = reverse("admin:followup_meeting_change", args=[meeting.pk])
    data = admin_form_data(client.get(url))
    prefix = next(key for key in data if key.endswith("-answer")).removesuffix("-answer")
    data[f"{prefix}-answer"] = "Belysningen byts i maj."
    data["correction_reason"] = "Fel månad i svaret."

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    question.refresh_from_db()
    assert question.answer == "Belysningen byts i maj."
    correction = MeetingCorrection.objects.get(meeting=meeting)
    assert correction.reason == "Fel månad i svaret."
    [row] = correction.earlier_wording()
    assert (str(row["label"]), row["before"]) == ("rådets svar", "Belysningen byts under våren.")
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "Fel månad i svaret." in public and "Belysningen byts under våren." in public
