"""Includes for the promise, focus-area and period pages, each in a fixed number of queries."""

from django import template

from participation import selectors

register = template.Library()


@register.inclusion_tag("participation/includes/promise_questions.html")
def promise_questions(promise) -> dict:
    return {"promise": promise, "questions": selectors.promise_questions(promise)}


@register.inclusion_tag("participation/includes/focus_area_voice.html")
def focus_area_voice(focus_area) -> dict:
    return {"focus_area": focus_area, "voice": selectors.focus_area_voice(focus_area)}


@register.inclusion_tag("participation/includes/period_dialogues.html")
def period_dialogues(period) -> dict:
    return {"period": period, "dialogues": selectors.period_dialogues(period)}
