"""Every page the cache stores declares the query parameters it reads (caching.pages).

The cache key holds only the declared parameters and the middleware takes the
others out of the request, so a page reading an undeclared parameter would be
broken for anonymous visitors, and a declared one it never reads would only
multiply its cached copies. These tests walk the project's URLs and ask each
cacheable page, with the page cache off, which parameters it actually reads.
"""

import pytest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caching.pages import (
    NOT_CACHED,
    NOT_CACHED_NAMESPACES,
    PAGES,
    REFUSES_UNKNOWN_PARAMETERS,
    query_parameters,
)
from opendata.links import CSV_FILES
from participation.models import Question
from tests.opendata.conftest import build_scene
from tests.participation.factories import QuestionFactory
from tests.promises.factories import MunicipalityFactory, PeriodFactory

UNDECLARED = "utm_source"  # what a shared link carries; no page reads it
SAMPLE_VALUES = {"format": "json", "lang": "en", "q": "trygghet", "page_size": "5"}


def routes(patterns=None, namespaces: tuple[str, ...] = (), kwargs: frozenset[str] = frozenset()):
    """(view name, names of its URL arguments) for every named route of the project."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        arguments = kwargs | _arguments(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from routes(entry.url_patterns, inner, arguments)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join((*namespaces, entry.name)), arguments


def _arguments(pattern) -> frozenset[str]:
    return frozenset(pattern.regex.groupindex)


def test_every_named_page_is_either_declared_or_never_cached():
    undecided = [
        name
        for name, _arguments in routes()
        if name not in PAGES
        and name not in NOT_CACHED
        and name.split(":")[0] not in NOT_CACHED_NAMESPACES
        and not (name.startswith("api:") and name.endswith(("-list", "-detail")))
    ]
    assert undecided == [], "declare these in caching.pages (PAGES or NOT_CACHED)"


def test_every_declared_page_exists():
    names = {name for name, _arguments in routes()}
    assert set(PAGES) - names == set()
    assert NOT_CACHED - names == set()


# --- What the pages read ---------------------------------------------------------


class RecordingQueryDict(QueryDict):
    """request.GET that notes every parameter asked for by name."""

    reads: set[str] = set()

    def __init__(self, *args, **kwargs):
        self.recording = False  # filling itself is not reading
        super().__init__(*args, **kwargs)
        self.recording = True

    def _note(self, key) -> None:
        if self.recording:
            self.reads.add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


def record_query_reads(get_response):
    """Innermost middleware: the view and everything it calls read the recording dict."""

    def middleware(request):
        request.GET = RecordingQueryDict(
            request.META.get("QUERY_STRING", ""), encoding=request.encoding
        )
        return get_response(request)

    return middleware


@pytest.fixture
def recording(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the views see every parameter, as the key may not
    # Every API address with each of its parameters is more than a minute's allowance.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.record_query_reads"]


@pytest.fixture
def cacheable_pages(db):
    """(view name, path, declared parameters, sample values) for every cacheable page."""
    scene = build_scene()
    world = scene.published
    # A second municipality with a published period: / is then the national overview,
    # which reads its filters (with one, / is that municipality's start page).
    PeriodFactory(municipality=MunicipalityFactory(name="Sundsvall", slug="sundsvall"))
    promise = world.promises[0]
    by_argument = {
        "municipality": world.municipality.slug,
        "period": world.period.slug,
        "promise": promise.slug,
        "focus_area": world.focus_areas[0].slug,
        "name": next(iter(CSV_FILES)),
    }
    api_objects = {
        "municipality": world.municipality,
        "period": world.period,
        "focusarea": world.focus_areas[0],
        "promise": promise,
        "activity": world.activities[0],
        "progressupdate": world.updates[0],
        "indicator": world.indicators[0],
        "meeting": world.meeting,
        "question": QuestionFactory(promise=promise, status=Question.Status.PUBLISHED),
    }
    samples = {
        **SAMPLE_VALUES,
        "omrade": world.focus_areas[0].slug,
        "aktor": world.police.slug,
        "status": "forsenad",
    }
    pages = []
    for name, arguments in routes():
        if name in NOT_CACHED or name.split(":")[0] in NOT_CACHED_NAMESPACES:
            continue
        kwargs = {argument: by_argument.get(argument) for argument in arguments}
        if "pk" in arguments:
            resource = name.removeprefix("api:").removesuffix("-detail")
            kwargs["pk"] = api_objects.get(resource, world.meeting).pk
        path = reverse(name, kwargs=kwargs)
        declared = query_parameters(get_resolver().resolve(path))
        if declared is not None:
            pages.append((name, path, declared, samples))
    return pages


def ask(client, path: str, query: dict[str, str]) -> tuple[int, set[str]]:
    RecordingQueryDict.reads = set()
    response = client.get(path, query, HTTP_ACCEPT="*/*")
    return response.status_code, set(RecordingQueryDict.reads)


def test_every_cacheable_page_reads_only_the_parameters_it_declares(
    client, recording, cacheable_pages
):
    assert len(cacheable_pages) >= len(PAGES) + 16  # and the API's lists and details
    undeclared = {}
    for name, path, declared, samples in cacheable_pages:
        status, reads = ask(client, path, {UNDECLARED: "1"})
        if name in REFUSES_UNKNOWN_PARAMETERS:  # the API: a 400 naming it
            assert status == 400, (name, path, status)
            status, reads = ask(client, path, {})
        assert status == 200, (name, path, status)
        for parameter in declared:
            status, more = ask(client, path, {parameter: samples.get(parameter, "1")})
            assert status < 500, (name, parameter, status)
            reads |= more
        if reads - declared:
            undeclared[name] = sorted(reads - declared)
    assert undeclared == {}


def test_every_declared_parameter_is_read_by_its_page(client, recording, cacheable_pages):
    unread = {}
    for name, path, declared, samples in cacheable_pages:
        for parameter in declared:
            _status, reads = ask(client, path, {parameter: samples.get(parameter, "1")})
            if parameter not in reads:
                unread.setdefault(name, []).append(parameter)
    assert unread == {}
