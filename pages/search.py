"""Site-wide search over published focus areas, promises, activities, progress updates,
meetings and the council's follow-ups.

On PostgreSQL the search is full-text with the ``swedish_unaccent`` configuration
(``pages/migrations``): word forms match (``kontroll`` finds ``kontroller``) and
letters are compared without their diacritics, so ``vald`` finds ``våld``. On
SQLite every word must occur, in any case and with the same folding of
diacritics, somewhere in the searched fields. Only published data is searched
(the querysets' ``published()``), and each kind costs one query whatever the
number of hits.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from activities.models import Activity, ProgressUpdate
from followup.models import FollowUp, Meeting
from promises.models import FocusArea, Promise

SEARCH_CONFIG = "swedish_unaccent"
RESULTS_PER_KIND = 20

# Letters that PostgreSQL's unaccent folds together, for SQLite's matching: a
# typed letter matches itself and every letter of its group, in either direction.
FOLDED_LETTERS = ("aåäàáâã", "oöòóôõø", "eéèêë", "uüùúû", "iíìîï", "yýÿ", "cç", "nñ")
_LETTER_GROUP = {letter: group for group in FOLDED_LETTERS for letter in group}


@dataclass
class SearchResults:
    query: str
    focus_areas: list[FocusArea] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    limit: int = RESULTS_PER_KIND

    @property
    def count(self) -> int:
        return sum(
            len(hits)
            for hits in (
                self.focus_areas,
                self.promises,
                self.activities,
                self.updates,
                self.meetings,
                self.follow_ups,
            )
        )


def _matching(queryset: QuerySet, fields: tuple[str, ...], query: str) -> QuerySet:
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        vector = SearchVector(*fields, config=SEARCH_CONFIG)
        return (
            # alias, not annotate: the vector is only filtered on, never sent back.
            queryset.alias(search=vector)
            .annotate(rank=SearchRank(vector, search_query))
            .filter(search=search_query)
            .order_by("-rank", "-pk")
        )
    # SQLite's LIKE folds only ASCII letters; its REGEXP is Python's re, which also
    # matches "övriga" against "Övriga".
    patterns = [folded_pattern(word) for word in query.split()]
    return queryset.filter(
        reduce(
            and_,
            (
                reduce(or_, (Q(**{f"{name}__iregex": pattern}) for name in fields))
                for pattern in patterns
            ),
        )
    ).order_by("-pk")


def folded_pattern(word: str) -> str:
    """A regular expression matching ``word`` with every letter's diacritics folded."""
    return "".join(
        f"[{_LETTER_GROUP[char]}]" if char in _LETTER_GROUP else re.escape(char)
        for char in word.lower()
    )


def search(query: str) -> SearchResults:
    """Search everything public for ``query`` (already validated by ``SearchForm``)."""
    focus_areas = _matching(
        FocusArea.objects.published().select_related("period__municipality"),
        ("name", "description"),
        query,
    )
    promises = _matching(
        Promise.objects.published().select_related("period__municipality"),
        ("title", "text"),
        query,
    )
    activities = _matching(
        Activity.objects.published().select_related("promise__period__municipality"),
        ("title", "description", "place"),
        query,
    )
    updates = _matching(
        ProgressUpdate.objects.published().select_related(
            "activity__promise__period__municipality", "organisation"
        ),
        ("text",),
        query,
    )
    meetings = _matching(
        Meeting.objects.published().select_related("council__municipality"),
        ("minutes", "agenda", "place"),
        query,
    )
    follow_ups = _matching(
        FollowUp.objects.published().select_related(
            "meeting__council__municipality", "promise", "activity"
        ),
        ("comment", "next_steps"),
        query,
    )
    return SearchResults(
        query=query,
        focus_areas=list(focus_areas[:RESULTS_PER_KIND]),
        promises=list(promises[:RESULTS_PER_KIND]),
        activities=list(activities[:RESULTS_PER_KIND]),
        updates=list(updates[:RESULTS_PER_KIND]),
        meetings=list(meetings[:RESULTS_PER_KIND]),
        follow_ups=list(follow_ups[:RESULTS_PER_KIND]),
    )
