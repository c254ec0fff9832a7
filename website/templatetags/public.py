"""Template helpers for the public pages: labels, badges, charts and the language link."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from activities import targets
from activities.charts import format_number
from activities.models import ProgressUpdate
from followup.models import FollowUp
from promises.models import Promise

register = template.Library()

PROMISE_STATUS_BADGES = {
    Promise.Status.NOT_STARTED: "text-bg-secondary",
    Promise.Status.IN_PROGRESS: "text-bg-primary",
    Promise.Status.COMPLETED: "text-bg-success",
}
ACTIVITY_STATUS_BADGES = {
    ProgressUpdate.Status.PLANNED: "text-bg-secondary",
    ProgressUpdate.Status.IN_PROGRESS: "text-bg-primary",
    ProgressUpdate.Status.COMPLETED: "text-bg-success",
    ProgressUpdate.Status.PAUSED: "text-bg-warning",
    ProgressUpdate.Status.CANCELLED: "text-bg-dark",
}
ASSESSMENT_BADGES = {
    FollowUp.Assessment.ON_TRACK: "text-bg-success",
    FollowUp.Assessment.AT_RISK: "text-bg-warning",
    FollowUp.Assessment.DEVIATION: "text-bg-danger",
    FollowUp.Assessment.DONE: "text-bg-primary",
}


def _label_filter(choices):
    """A filter naming a value of ``choices`` (an unknown value is shown as it is)."""

    def label(value) -> str:
        try:
            return choices(value).label
        except ValueError:
            return str(value)

    return label


def _badge_filter(badges: dict):
    """A filter giving a value's badge class from ``badges`` (grey when it has none)."""

    def badge(value) -> str:
        return badges.get(value, "text-bg-secondary")

    return badge


register.filter("promise_status_label", _label_filter(Promise.Status))
register.filter("promise_status_badge", _badge_filter(PROMISE_STATUS_BADGES))
register.filter("activity_status_label", _label_filter(ProgressUpdate.Status))
register.filter("activity_status_badge", _badge_filter(ACTIVITY_STATUS_BADGES))
register.filter("assessment_label", _label_filter(FollowUp.Assessment))
register.filter("assessment_badge", _badge_filter(ASSESSMENT_BADGES))


@register.filter
def number(value) -> str:
    return "" if value is None else format_number(value)


@register.simple_tag
def indicator_chart(indicator):
    """The indicator's SVG chart, from its prefetched measurements."""
    return targets.indicator_chart(indicator)


@register.simple_tag
def indicator_target_summary(indicator):
    """Target against outcome per cadence step ("Minst 20 … per år — 2021: 23 ✔"), or None."""
    return targets.target_summary(indicator)


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict]:
    """The same page in each other language, as plain links (no cookie, no POST)."""
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(path, code)
        # A path that resolves to no page, or one that would leave the site
        # ("//host/..."), links to that language's start page instead.
        if url == path or not url.startswith("/") or url.startswith("//"):
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        links.append({"code": code, "url": url, "name": get_language_info(code)["name_local"]})
    return links
