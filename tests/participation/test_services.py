"""Moderation, the council's answer, e-mail to the resident and the retention of addresses."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.permissions import SYSTEM
from participation import services
from participation.models import Question, QuestionEdit
from tests.followup.factories import MeetingFactory
from tests.participation.factories import QuestionFactory
from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory
from tests.smtp import body, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise(timra):
    return PromiseFactory(period=PeriodFactory(municipality=timra))


@pytest.fixture
def planned_meeting(promise):
    return MeetingFactory(
        period=promise.period,
        date=timezone.localdate() + datetime.timedelta(days=20),
        is_published=False,
    )


def test_a_resident_asks_about_a_published_promise_and_it_waits_for_moderation(promise):
    question = services.question_ask(
        subject=promise, message="  Kan ni sätta upp fler lampor?  ", email="a@example.invalid"
    )
    assert question.status == Question.Status.NEW
    assert question.message == "Kan ni sätta upp fler lampor?"
    assert question.period == promise.period
    assert not Question.objects.published().exists()


def test_nobody_asks_about_an_unpublished_period(timra):
    draft = PromiseFactory(period=PeriodFactory(municipality=timra, is_published=False))
    with pytest.raises(ValidationError):
        services.question_ask(subject=draft, message="Hej")
    assert not Question.objects.exists()


def test_a_question_longer_than_2000_characters_is_refused_and_not_stored(promise):
    with pytest.raises(ValidationError) as error:
        services.question_ask(subject=promise, message="x" * 2001)
    assert "message" in error.value.message_dict
    assert not Question.objects.exists()


def test_the_secretary_publishes_a_question_of_their_municipality(promise, secretary):
    question = QuestionFactory(promise=promise)
    assert services.question_publish(user=secretary, question=question)
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert question.moderated_by == secretary
    assert list(Question.objects.published()) == [question]


def test_another_municipalitys_secretary_may_not_moderate(promise, other_secretary):
    question = QuestionFactory(promise=promise)
    for service in (services.question_publish, services.question_send_to_council):
        with pytest.raises(PermissionDenied):
            service(user=other_secretary, question=question)
    with pytest.raises(PermissionDenied):
        services.question_reject(user=other_secretary, question=question, reason="offensive")
    question.refresh_from_db()
    assert question.status == Question.Status.NEW


def test_a_reporter_may_not_moderate(promise, police_reporter):
    with pytest.raises(PermissionDenied):
        services.question_publish(user=police_reporter, question=QuestionFactory(promise=promise))


def test_rejecting_needs_one_of_the_four_reasons(promise, secretary):
    question = QuestionFactory(promise=promise)
    with pytest.raises(ValidationError):
        services.question_reject(user=secretary, question=question, reason="boring")
    services.question_reject(user=secretary, question=question, reason="duplicate")
    question.refresh_from_db()
    assert question.status == Question.Status.REJECTED
    assert question.rejection_reason == Question.RejectionReason.DUPLICATE
    assert not Question.objects.published().exists()


def test_the_database_refuses_a_rejection_without_a_reason(promise):
    question = QuestionFactory.build(promise=promise, status=Question.Status.REJECTED)
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert "rejection_reason" in error.value.message_dict


def test_a_question_the_council_has_answered_can_no_longer_be_rejected(
    promise, planned_meeting, secretary
):
    question = QuestionFactory(
        promise=promise,
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=planned_meeting,
        answer="Rådet svarar att kontrollerna fortsätter.",
    )
    with pytest.raises(ValidationError):
        services.question_reject(user=secretary, question=question, reason="off_topic")
    question.refresh_from_db()
    assert question.status == Question.Status.SENT_TO_COUNCIL
    assert question.meeting == planned_meeting and question.rejection_reason == ""


def test_an_edit_removing_personal_data_is_logged_without_the_earlier_text(promise, secretary):
    question = QuestionFactory(promise=promise, message="Min granne Kalle Svensson kör för fort.")
    question.message = "Min granne kör för fort."
    assert services.question_edit(user=secretary, question=question, note="Tog bort ett namn") == [
        "message"
    ]
    edit = QuestionEdit.objects.get(question=question)
    assert (edit.made_by, edit.fields, edit.note) == (secretary, "message", "Tog bort ett namn")
    assert "Kalle" not in str(list(QuestionEdit.objects.values()))


def test_an_unchanged_save_logs_nothing(promise, secretary):
    question = QuestionFactory(promise=promise)
    assert services.question_edit(user=secretary, question=question) == []
    assert not QuestionEdit.objects.exists()


def test_sending_to_the_council_puts_the_question_on_the_next_unpublished_meeting(
    promise, secretary, planned_meeting
):
    MeetingFactory(
        period=promise.period,
        date=timezone.localdate() + datetime.timedelta(days=60),
        is_published=False,
    )
    MeetingFactory(period=promise.period, date=timezone.localdate() - datetime.timedelta(days=5))
    question = QuestionFactory(promise=promise)
    services.question_send_to_council(user=secretary, question=question)
    question.refresh_from_db()
    assert question.status == Question.Status.SENT_TO_COUNCIL
    assert question.meeting == planned_meeting
    assert list(Question.objects.published().unanswered()) == [question]


def test_a_question_sent_without_a_planned_meeting_joins_the_next_meeting_added(promise, secretary):
    question = QuestionFactory(promise=promise)
    services.question_send_to_council(user=secretary, question=question)
    question.refresh_from_db()
    assert question.meeting is None
    meeting = MeetingFactory(
        period=promise.period,
        date=timezone.localdate() + datetime.timedelta(days=7),
        is_published=False,
    )
    assert services.questions_attach_to_meeting(user=secretary, meeting=meeting) == 1
    question.refresh_from_db()
    assert question.meeting == meeting


def test_the_answer_is_public_only_once_the_meeting_is_published(
    promise, secretary, planned_meeting
):
    question = QuestionFactory(promise=promise)
    services.question_send_to_council(user=secretary, question=question)
    question.refresh_from_db()
    services.question_answer(user=secretary, question=question, answer="Vi sätter upp lampor.")
    assert not Question.objects.answered().exists()
    planned_meeting.is_published = True
    planned_meeting.save()
    assert list(Question.objects.answered()) == [question]


def test_only_a_question_sent_to_a_meeting_is_answered(promise, secretary):
    question = QuestionFactory(promise=promise, status=Question.Status.PUBLISHED)
    with pytest.raises(ValidationError):
        services.question_answer(user=secretary, question=question, answer="Svar")


def _answered(promise, secretary, meeting, email="boende@example.invalid") -> Question:
    question = QuestionFactory(promise=promise, email=email)
    services.question_send_to_council(user=secretary, question=question)
    question.refresh_from_db()
    services.question_answer(user=secretary, question=question, answer="Rådet har beslutat.")
    return question


@pytest.mark.django_db(transaction=True)  # the worker closes the connection, as in production
def test_the_resident_gets_the_answer_by_email_once_in_plain_text_and_html(
    promise, secretary, planned_meeting, django_capture_on_commit_callbacks, smtp
):
    question = _answered(promise, secretary, planned_meeting)
    _answered(promise, secretary, planned_meeting, email="")  # no address: nothing sent
    assert services.questions_notify_answered(planned_meeting, "https://trygghet.example") == 0
    planned_meeting.is_published = True
    planned_meeting.save()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert services.questions_notify_answered(planned_meeting, "https://trygghet.example") == 1
        assert services.questions_notify_answered(planned_meeting, "https://trygghet.example") == 0
    run_worker()
    [message] = smtp.messages
    assert message["To"] == "boende@example.invalid"
    assert message["Subject"] == "Rådet har svarat på din fråga"
    assert "Rådet har beslutat." in body(message, "plain")
    assert "https://trygghet.example" + promise.get_absolute_url() in body(message, "plain")
    assert "Rådet har beslutat." in body(message, "html")
    question.refresh_from_db()
    assert question.answer_emailed_at is not None


def test_addresses_are_erased_after_the_retention_time(promise, secretary, settings):
    settings.QUESTION_EMAIL_RETENTION_DAYS = 30
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=31)
    recently = now - datetime.timedelta(days=29)
    a_year_ago = now - datetime.timedelta(days=366)  # QUESTION_EMAIL_MAX_DAYS is 365
    answered = {"status": Question.Status.SENT_TO_COUNCIL, "answer": "Svar"}
    states = {
        "answered long ago": {**answered, "answer_emailed_at": long_ago},
        "answered recently": {**answered, "answer_emailed_at": recently},
        "rejected long ago": {
            "status": Question.Status.REJECTED,
            "rejection_reason": "offensive",
            "moderated_at": long_ago,
        },
        "waiting for its answer": {
            "status": Question.Status.SENT_TO_COUNCIL,
            "moderated_at": long_ago,
        },
        "waiting a year for its answer": {
            "status": Question.Status.SENT_TO_COUNCIL,
            "moderated_at": a_year_ago,
            "created_at": a_year_ago,
        },
        "never moderated in a year": {"created_at": a_year_ago},
        "never moderated for a while": {"created_at": long_ago},
    }
    questions = {}
    for i, (name, state) in enumerate(states.items()):
        asked = state.pop("created_at", now)
        questions[name] = QuestionFactory(promise=promise, email=f"q{i}@example.invalid", **state)
        Question.objects.filter(pk=questions[name].pk).update(created_at=asked)  # auto_now_add
    assert services.delete_expired_emails(user=SYSTEM, now=now) == 4
    emails = dict(Question.objects.values_list("pk", "email"))
    kept = {name: emails[question.pk] != "" for name, question in questions.items()}
    assert kept == {
        "answered long ago": False,
        "answered recently": True,
        "rejected long ago": False,
        "waiting for its answer": True,
        "waiting a year for its answer": False,
        "never moderated in a year": False,
        "never moderated for a while": True,
    }


def test_the_retention_command_erases_expired_addresses(promise, settings):
    settings.QUESTION_EMAIL_RETENTION_DAYS = 1
    question = QuestionFactory(
        promise=promise,
        email="a@example.invalid",
        status=Question.Status.PUBLISHED,
        moderated_at=timezone.now() - datetime.timedelta(days=2),
    )
    output = io.StringIO()
    call_command("delete_expired_question_emails", stdout=output)
    assert "Erased 1 e-mail addresses." in output.getvalue()
    question.refresh_from_db()
    assert question.email == ""


def test_the_retention_defaults_to_30_days():
    from django.conf import settings

    assert settings.QUESTION_EMAIL_RETENTION_DAYS == 30


def test_a_secretary_may_not_erase_addresses_by_hand(secretary):
    with pytest.raises(PermissionDenied):
        services.delete_expired_emails(user=secretary)


def test_focus_area_questions_count_those_about_its_promises_too(timra):
    period = PeriodFactory(municipality=timra)
    area = FocusAreaFactory(period=period)
    promise = PromiseFactory(period=period, focus_areas=[area])
    QuestionFactory(promise=promise, status=Question.Status.PUBLISHED)
    QuestionFactory(promise=None, focus_area=area, status=Question.Status.PUBLISHED)
    QuestionFactory(promise=promise)  # not moderated yet
    assert Question.objects.published().for_focus_area(area).count() == 2


def test_a_new_question_keeps_the_page_cache_and_publishing_one_renews_it(
    promise, secretary, django_capture_on_commit_callbacks
):
    from caching.generation import current_generation

    before = current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(subject=promise, message="Syns min fråga?")
    assert current_generation() == before
    with django_capture_on_commit_callbacks(execute=True):
        services.question_publish(user=secretary, question=question)
    assert current_generation() != before
