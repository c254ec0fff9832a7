"""Hostile input (Hypothesis) to the question form and the "Frågor och svar" filters."""

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.form_guard import started_token
from participation.models import Question
from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory
from tests.security.hostile import (
    assert_not_a_server_error,
    assert_valid,
    get,
    hostile_settings,
    hostile_text,
    post,
    rolled_back,
)

pytestmark = pytest.mark.django_db


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(valid, hostile_text())


@pytest.fixture
def promise(timra):
    area = FocusAreaFactory(period=PeriodFactory(municipality=timra, slug="2025-2026"))
    return PromiseFactory(period=area.period, slug="fler-lampor", focus_areas=[area])


@hostile_settings
@given(data=st.data())
def test_the_question_form_answers_hostile_input_and_stores_only_valid_questions(
    client, promise, settings, data
):
    settings.QUESTION_RATE_LIMIT = 10_000  # the limit has its own tests
    values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "message": maybe(st.just("Kan ni tända lamporna i parken?")),
                "display_name": maybe(st.just("Lisa")),
                "email": maybe(st.just("lisa@example.invalid")),
                "website": maybe(st.just("")),
                "started": maybe(st.just(started_token(time.time() - 60))),
            },
        )
    )
    with rolled_back():
        response = post(client, "/timra/2025-2026/loften/fler-lampor/fraga/", values)
        assert_not_a_server_error(response)
        assert response.status_code in (400, 302)
        for question in Question.objects.all():
            assert_valid(question)
        if response.status_code == 400:
            assert not Question.objects.exists()


@hostile_settings
@given(data=st.data())
def test_the_questions_page_answers_hostile_filters_without_error(client, promise, data):
    values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "omrade": maybe(st.integers(-5, 10**20).map(str)),
                "besvarad": maybe(st.sampled_from(["ja", "nej", ""])),
            },
        )
    )
    response = get(client, "/timra/fragor/", values)
    assert_not_a_server_error(response)
    assert response.status_code == 200
