"""The pages the page cache may store, and the query parameters each one reads.

A cached page is stored under its path and the query parameters it reads, and
nothing else: before such a page is made for an anonymous visitor, every other
parameter is taken out of the request (``caching.middleware``), so the view
sees exactly what the key says. A link shared as ``/?fbclid=…`` or
``?utm_source=…`` is then served from the one cached page, and made-up query
strings cannot fill the cache with copies of it.

So a view that reads a query parameter must name it here, or it never sees it
for anonymous visitors. ``tests/caching/test_query_parameters.py`` walks the
project's URLs: it fails when a page is in neither list below, or when a page
reads a parameter it does not declare.

Pages are named by their URL name; a view outside the project's URLs (in
tests) can declare its parameters with the ``cacheable`` decorator instead.
A page named nowhere is never cached.
"""

from collections.abc import Callable
from functools import cache

from django.urls import ResolverMatch

# Django REST framework reads ?format= on every view (URL_FORMAT_OVERRIDE).
API_FORMAT = "format"

PAGES: dict[str, frozenset[str]] = {
    # The public site (Swedish at /, English at /en/).
    "promises:home": frozenset({"lan", "q", "sortera", "sida"}),
    "promises:municipality": frozenset(),
    "promises:period_archive": frozenset(),
    "promises:period": frozenset(),
    "promises:promise_list": frozenset({"omrade", "aktor", "status"}),
    "promises:promise": frozenset(),
    "promises:focus_area": frozenset(),
    "followup:meeting_list": frozenset(),
    "followup:meeting": frozenset(),
    "participation:questions": frozenset({"omrade", "besvarad"}),
    "participation:thanks": frozenset(),
    "pages:search": frozenset({"q"}),
    "pages:about": frozenset(),
    "pages:accessibility": frozenset(),
    "pages:privacy": frozenset(),
    # Open data.
    "opendata:index": frozenset(),
    "opendata:overview_csv": frozenset(),
    "opendata:municipality_updates_feed": frozenset(),
    "opendata:municipality_meetings_feed": frozenset(),
    "opendata:municipality_calendar": frozenset(),
    "opendata:period_xlsx": frozenset(),
    "opendata:period_csv": frozenset(),
    "opendata:promise_feed": frozenset(),
    "opendata:municipality_questions_feed": frozenset(),
    "opendata:sitemap": frozenset({"p"}),  # the sitemap's page number
    "opendata:robots_txt": frozenset(),
    "api:docs": frozenset(),
    "api:index": frozenset({API_FORMAT}),
    # drf-spectacular translates and versions the schema on request.
    "api:schema": frozenset({API_FORMAT, "lang", "version"}),
}

# The open-data API's resources (route basenames, see opendata/api/urls.py).
# A list reads its filter set's parameters and the pagination's, a detail only
# the format; both are taken from the view, so a new filter is cached correctly
# without an edit here.
API_RESOURCES = (
    "municipality",
    "period",
    "focusarea",
    "promise",
    "activity",
    "progressupdate",
    "indicator",
    "meeting",
    "question",
    "overview",  # a list only
)
API_LISTS = frozenset(f"api:{resource}-list" for resource in API_RESOURCES)
API_LIST_ONLY = frozenset({"overview"})
API_DETAILS = frozenset(
    f"api:{resource}-detail" for resource in API_RESOURCES if resource not in API_LIST_ONLY
)

# The API answers a query parameter it does not read with a 400 naming it
# (opendata.api.views.KnownParametersMixin), so such a request is left to it
# (served uncached) rather than having the parameter taken out.
REFUSES_UNKNOWN_PARAMETERS = API_LISTS | API_DETAILS | frozenset({"api:index"})

# Never cached, and why: answers made for one visitor or one moment.
NOT_CACHED_NAMESPACES = frozenset(
    {
        "admin",  # staff only
        "accounts",  # login, logout and password reset: forms with CSRF tokens
        "twofactor",
        "staff",
        "subscriptions",  # a form with its CSRF cookie, and pages behind personal links
        "onboarding",  # admin pages for national administrators
    }
)
NOT_CACHED = frozenset(
    {
        "healthz",  # health checks must see this process as it is now
        "readyz",
        "api:root",  # a redirect to api:docs
        # The question form: its page sets the CSRF cookie, and each view needs a
        # fresh signed time (accounts.form_guard).
        "participation:ask_about_promise",
        "participation:ask_about_focus_area",
    }
)

ATTRIBUTE = "page_cache_query_parameters"


def cacheable(*parameters: str) -> Callable:
    """Declare a view cacheable, reading the query ``parameters`` named."""

    def decorate(view: Callable) -> Callable:
        setattr(view, ATTRIBUTE, frozenset(parameters))
        return view

    return decorate


def query_parameters(match: ResolverMatch) -> frozenset[str] | None:
    """The query parameters the page reads, or None when it is never cached."""
    declared = getattr(match.func, ATTRIBUTE, None)
    if declared is not None:
        return declared
    name = match.view_name
    if name in PAGES:
        return PAGES[name]
    if name in API_LISTS:
        return _api_list_parameters(match.func.cls)
    if name in API_DETAILS:
        return frozenset({API_FORMAT})
    return None


def refuses_unknown_parameters(match: ResolverMatch) -> bool:
    """Whether the page answers a parameter it does not read with an error."""
    return match.view_name in REFUSES_UNKNOWN_PARAMETERS


@cache
def _api_list_parameters(view_class: type) -> frozenset[str]:
    pagination = view_class.pagination_class
    return frozenset(
        {
            *view_class.filterset_class.base_filters,
            pagination.page_query_param,
            pagination.page_size_query_param,
            API_FORMAT,
        }
    )
