"""Reads for the public pages about dialogues and residents' questions (fixed query counts)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from participation.models import Dialogue, Question
from promises.models import FocusArea, Municipality, Period, Promise


def _public_questions() -> QuerySet:
    # Never the e-mail address: nothing public reads it.
    return (
        Question.objects.published()
        .defer("email")
        .select_related(
            "period__municipality",
            "meeting__council__municipality",
            "promise__period__municipality",
            "focus_area__period__municipality",
        )
        .order_by("-created_at", "-pk")
    )


def promise_questions(promise: Promise) -> list[Question]:
    """The published questions about a promise, with the council's answers where public."""
    return list(_public_questions().for_promise(promise))


@dataclass
class FocusAreaVoice:
    dialogues: list[Dialogue]
    question_count: int


def focus_area_voice(focus_area: FocusArea) -> FocusAreaVoice:
    """The dialogues that raised the area, and how many residents asked about it."""
    return FocusAreaVoice(
        dialogues=list(focus_area.dialogues.order_by("starts_on", "pk")),
        question_count=Question.objects.published().for_focus_area(focus_area).count(),
    )


def period_dialogues(period: Period) -> list[Dialogue]:
    """The dialogues behind a period, each with the focus areas it raised."""
    return list(
        Dialogue.objects.filter(period=period).prefetch_related(
            Prefetch(
                "focus_areas",
                queryset=FocusArea.objects.select_related("period__municipality").order_by(
                    "order", "name"
                ),
            )
        )
    )


def ask_subject(municipality: str, period: str, *, promise: str = "", focus_area: str = ""):
    """The published promise or focus area a question is asked about, or 404."""
    if promise:
        return get_object_or_404(
            Promise.objects.published().select_related("period__municipality"),
            period__municipality__slug=municipality,
            period__slug=period,
            slug=promise,
        )
    return get_object_or_404(
        FocusArea.objects.published().select_related("period__municipality"),
        period__municipality__slug=municipality,
        period__slug=period,
        slug=focus_area,
    )


def questions_filter_choices(municipality: Municipality) -> list[FocusArea]:
    return list(
        FocusArea.objects.published()
        .filter(period__municipality=municipality)
        .select_related("period")
        .order_by("-period__starts_on", "order", "name")
    )


def municipality_questions(
    municipality: Municipality, *, focus_area_id: int | None = None, answered: bool | None = None
) -> list[Question]:
    questions = _public_questions().filter(period__municipality=municipality)
    if focus_area_id is not None:
        questions = questions.for_focus_area(focus_area_id)
    if answered is True:
        questions = questions.answered()
    elif answered is False:
        questions = questions.unanswered()
    return list(questions)


def feed_questions(municipality: Municipality, limit: int = 50) -> list[Question]:
    return list(_public_questions().filter(period__municipality=municipality)[:limit])
