"""Atom feeds of progress updates and published meetings, per municipality and per promise.

Only published data. Each entry's id is the address of the same object in the
API, so it is unique and stable; its link is the public page.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from activities.models import ProgressUpdate
from followup.models import FollowUp, Meeting, MeetingCorrection
from opendata import links, selectors
from participation import selectors as participation_selectors
from participation.models import Question, subject_title
from promises.models import Municipality, Promise

ENTRIES_PER_FEED = 50


@dataclass
class Entry:
    title: str
    description: str
    link: str
    guid: str
    published: datetime
    updated: datetime
    author: str


@dataclass
class Subject:
    """What a feed is about, with the request its entry ids are built from."""

    request: HttpRequest
    title: str
    subtitle: str
    link: str
    feed_url: str
    author: str
    obj: Municipality | Promise


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, escaped."""
    return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - linebreaks escapes


def _api_url(request: HttpRequest, basename: str, pk: int) -> str:
    return request.build_absolute_uri(reverse(f"api:{basename}-detail", args=[pk]))


def update_entry(request: HttpRequest, update: ProgressUpdate) -> Entry:
    activity = update.activity
    return Entry(
        title=_("%(activity)s: %(status)s, %(percent)s %% klart")
        % {
            "activity": activity.title,
            "status": update.get_status_display().lower(),
            "percent": update.percent_complete,
        },
        description=format_html(
            "{}<p>{}</p>",
            _paragraphs(update.text),
            _("Medborgarlöfte: %(promise)s. Rapporterat av %(organisation)s den %(date)s.")
            % {
                "promise": activity.promise.title,
                "organisation": update.organisation.name,
                "date": date_format(update.reported_on, "j F Y"),
            },
        ),
        link=activity.promise.get_absolute_url(),
        guid=_api_url(request, "progressupdate", update.pk),
        published=update.created_at,
        updated=update.updated_at,
        author=update.organisation.name,
    )


def _first_published(meeting: Meeting) -> datetime:
    """Kept from the first publication: publishing again does not make old minutes new."""
    return meeting.first_published_at or meeting.published_at or meeting.updated_at


def meeting_entry(request: HttpRequest, meeting: Meeting) -> Entry:
    follow_ups = format_html_join(
        "",
        "<li>{}: {}</li>",
        (
            (
                follow_up.activity.title if follow_up.activity_id else follow_up.promise.title,
                follow_up.get_assessment_display(),
            )
            for follow_up in meeting.follow_ups.all()
        ),
    )
    return Entry(
        title=_("%(council)s, sammanträde %(date)s")
        % {"council": meeting.council.name, "date": date_format(meeting.date, "j F Y")},
        description=format_html(
            "{}{}",
            _paragraphs(meeting.minutes),
            format_html("<h2>{}</h2><ul>{}</ul>", _("Uppföljning"), follow_ups)
            if follow_ups
            else "",
        ),
        link=meeting.get_absolute_url(),
        guid=_api_url(request, "meeting", meeting.pk),
        published=_first_published(meeting),
        # A meeting changes in public only through corrections (followup.services).
        updated=getattr(meeting, "last_corrected_at", None) or _first_published(meeting),
        author=meeting.council.name,
    )


def follow_up_entry(request: HttpRequest, follow_up: FollowUp) -> Entry:
    meeting = follow_up.meeting
    subject = (
        _("%(activity)s (aktivitet)") % {"activity": follow_up.activity.title}
        if follow_up.activity_id
        else follow_up.promise.title
    )
    return Entry(
        title=_("Rådets uppföljning %(date)s: %(assessment)s")
        % {
            "date": date_format(meeting.date, "j F Y"),
            "assessment": follow_up.get_assessment_display().lower(),
        },
        description=format_html(
            "<p>{}</p>{}{}",
            subject,
            _paragraphs(follow_up.comment),
            format_html(
                "<h2>{}</h2>{}",
                _("Beslutade nästa steg"),
                _paragraphs(follow_up.next_steps),
            )
            if follow_up.next_steps
            else "",
        ),
        link=meeting.get_absolute_url(),
        guid=f"{_api_url(request, 'meeting', meeting.pk)}#uppfoljning-{follow_up.pk}",
        published=_first_published(meeting),
        updated=follow_up.updated_at,
        author=meeting.council.name,
    )


class EntryFeed(Feed):
    """A feed of ``Entry`` objects about a ``Subject``."""

    feed_type = Atom1Feed
    language = "sv"
    item_guid_is_permalink = False

    def title(self, subject: Subject) -> str:
        return subject.title

    def subtitle(self, subject: Subject) -> str:
        return subject.subtitle

    def link(self, subject: Subject) -> str:
        return subject.link

    def feed_url(self, subject: Subject) -> str:
        return subject.feed_url

    def feed_guid(self, subject: Subject) -> str:
        return subject.request.build_absolute_uri(subject.feed_url)

    def author_name(self, subject: Subject) -> str:
        return subject.author

    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_description(self, entry: Entry) -> str:
        return entry.description

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_guid(self, entry: Entry) -> str:
        return entry.guid

    def item_pubdate(self, entry: Entry) -> datetime:
        return entry.published

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.updated

    def item_author_name(self, entry: Entry) -> str:
        return entry.author


def _published_municipality(slug: str) -> Municipality:
    return get_object_or_404(Municipality.objects.published(), slug=slug)


class MunicipalityProgressUpdatesFeed(EntryFeed):
    def get_object(self, request, municipality: str) -> Subject:
        obj = _published_municipality(municipality)
        return Subject(
            request=request,
            title=_("Lägesrapporter om medborgarlöftena i %(municipality)s")
            % {"municipality": obj.name},
            subtitle=_("Det senaste om vad polisen och kommunen har gjort under löftena."),
            link=obj.get_absolute_url(),
            feed_url=links.municipality_feeds(obj)["progress_updates_atom"],
            author=obj.name,
            obj=obj,
        )

    def items(self, subject: Subject) -> list[Entry]:
        updates = selectors.published_progress_updates().filter(
            activity__promise__period__municipality=subject.obj
        )[:ENTRIES_PER_FEED]
        return [update_entry(subject.request, update) for update in updates]


class MunicipalityMeetingsFeed(EntryFeed):
    def get_object(self, request, municipality: str) -> Subject:
        obj = _published_municipality(municipality)
        return Subject(
            request=request,
            title=_("Rådets sammanträden i %(municipality)s") % {"municipality": obj.name},
            subtitle=_("Publicerade protokoll och rådets bedömning av varje medborgarlöfte."),
            link=obj.get_absolute_url(),
            feed_url=links.municipality_feeds(obj)["meetings_atom"],
            author=obj.name,
            obj=obj,
        )

    def items(self, subject: Subject) -> list[Entry]:
        latest_correction = (
            MeetingCorrection.objects.filter(meeting=OuterRef("pk"))
            .order_by("-made_at")
            .values("made_at")[:1]
        )
        meetings = (
            selectors.published_meetings()
            .filter(council__municipality=subject.obj, period__municipality=subject.obj)
            .annotate(last_corrected_at=Subquery(latest_correction))[:ENTRIES_PER_FEED]
        )
        return [meeting_entry(subject.request, meeting) for meeting in meetings]


class PromiseFeed(EntryFeed):
    def get_object(self, request, municipality: str, period: str, promise: str) -> Subject:
        try:
            obj = (
                Promise.objects.published()
                .select_related("period__municipality")
                .get(period__municipality__slug=municipality, period__slug=period, slug=promise)
            )
        except Promise.DoesNotExist:
            raise Http404(_("Det finns inget sådant publicerat medborgarlöfte.")) from None
        return Subject(
            request=request,
            title=_("Medborgarlöftet ”%(promise)s”") % {"promise": obj.title},
            subtitle=_("Lägesrapporter om löftets aktiviteter och rådets uppföljning av löftet."),
            link=obj.get_absolute_url(),
            feed_url=links.promise_feed(obj),
            author=obj.period.municipality.name,
            obj=obj,
        )

    def items(self, subject: Subject) -> list[Entry]:
        updates = selectors.published_progress_updates().filter(activity__promise=subject.obj)
        follow_ups = selectors.published_follow_ups().filter(promise=subject.obj)
        entries = [update_entry(subject.request, u) for u in updates[:ENTRIES_PER_FEED]]
        entries += [follow_up_entry(subject.request, f) for f in follow_ups[:ENTRIES_PER_FEED]]
        entries.sort(key=lambda entry: entry.published, reverse=True)
        return entries[:ENTRIES_PER_FEED]


def question_entry(request: HttpRequest, question: Question) -> Entry:
    """A resident's published question and, once its meeting is published, the answer.

    Never the e-mail address; the name only as the resident chose to show it.
    """
    subject = question.subject
    answered = question.is_answer_public
    return Entry(
        title=(_("Rådet svarar: %(question)s") if answered else _("Fråga till rådet: %(question)s"))
        % {"question": Truncator(question.message).chars(80)},
        description=format_html(
            "<p>{}</p>{}{}",
            subject_title(subject),
            _paragraphs(question.message),
            format_html(
                "<h2>{}</h2>{}",
                _("Rådets svar, sammanträdet %(date)s")
                % {"date": date_format(question.meeting.date, "j F Y")},
                _paragraphs(question.answer),
            )
            if answered
            else "",
        ),
        link=reverse(
            "participation:questions", kwargs={"municipality": question.period.municipality.slug}
        )
        + f"#fraga-{question.pk}",
        guid=_api_url(request, "question", question.pk),
        published=question.created_at,
        updated=(
            question.meeting.first_published_at or question.updated_at
            if answered
            else question.moderated_at or question.created_at
        ),
        author=question.display_name or _("En invånare"),
    )


class MunicipalityQuestionsFeed(EntryFeed):
    def get_object(self, request, municipality: str) -> Subject:
        obj = _published_municipality(municipality)
        return Subject(
            request=request,
            title=_("Frågor och svar i %(municipality)s") % {"municipality": obj.name},
            subtitle=_("Invånarnas frågor till rådet för trygghet och hälsa, och rådets svar."),
            link=reverse("participation:questions", kwargs={"municipality": obj.slug}),
            feed_url=reverse(
                "opendata:municipality_questions_feed", kwargs={"municipality": obj.slug}
            ),
            author=obj.name,
            obj=obj,
        )

    def items(self, subject: Subject) -> list[Entry]:
        questions = participation_selectors.feed_questions(subject.obj, ENTRIES_PER_FEED)
        return [question_entry(subject.request, question) for question in questions]
