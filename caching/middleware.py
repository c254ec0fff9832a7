"""Whole-page caching for anonymous visitors, shared by every app server.

A burst of visitors following a link from the local paper should cost one
database round per page, not one per visitor. Pages are stored in the shared
cache (Redis; without it, files that every worker of one machine shares, see
``caching.backends``) under a key made of:

- the content generation (``caching.generation``), raised by every change to
  the promises, activities and follow-up, so all app servers stop serving the
  old page at the same moment;
- today's date, because "late" and "next meeting" change at midnight without
  any row changing;
- the URL (scheme, host, path) with only the query parameters the page reads
  (``caching.pages``; the others are taken out of the request first), the
  active language and the ``Accept`` header (the API negotiates its format on
  it).

Only pages named in ``caching.pages`` are cached, and at most
``PAGE_CACHE_MAX_VARIANTS`` variants of one path per generation and day (an
atomic counter in the cache); beyond that a page is served uncached, so neither
made-up query values (``/sok/?q=<random>``) nor made-up ``Accept`` headers can
fill the cache.

Only what is safe to share is cached: GET responses with status 200, made for a
request without a session or authorization, that set no cookie, are not marked
private or no-store, vary on nothing beyond the key, and used no CSP nonce.
Everything else passes through untouched, so staff always see fresh pages.

Position in MIDDLEWARE: after LocaleMiddleware (the language is known) and
before CsrfViewMiddleware, so a response that sets the CSRF or messages cookie
is seen as setting a cookie and is not stored; SessionMiddleware, outside, only
sets a cookie when the session was modified, which is checked here.

Every response says what happened in ``X-Cache``: ``hit``, ``miss`` (stored
now, or not storable) or ``bypass`` (not a request that may share a page, or
not a cacheable page, or the cache is unreachable).
"""

import hashlib
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve
from django.utils import timezone

from caching.generation import current_generation, invalidate_pages
from caching.pages import query_parameters, refuses_unknown_parameters

logger = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD"}
# The key covers these, and every anonymous request without cookies sends the same Cookie.
KEYED_VARY_HEADERS = {"accept", "accept-language", "cookie", "accept-encoding"}
NOT_STORED_HEADERS = {"set-cookie", "x-cache"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not self._may_share(request):
            response = self.get_response(request)
            response["X-Cache"] = "bypass"
            if seconds:
                self._invalidate_after_staff_write(request, response)
            return response

        parameters, strict = self._query_parameters(request)
        generation = None if parameters is None else current_generation()
        # Not a cacheable page, the cache is down, or a parameter the page refuses
        # (its error names it): serve fresh pages.
        if generation is None or (strict and not parameters.issuperset(request.GET)):
            response = self.get_response(request)
            response["X-Cache"] = "bypass"
            return response

        self._keep_only(request, parameters)
        key = self._key(request, generation)
        cached = self._fetch(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached

        response = self.get_response(request)
        if (
            request.method == "GET"
            and self._may_store(request, response)
            and self._within_variant_bound(request, generation, seconds)
        ):
            self._store(key, response, seconds)
        response["X-Cache"] = "miss"
        return response

    # -- Which pages, and which of their query parameters -------------------

    @staticmethod
    def _query_parameters(request) -> tuple[frozenset[str] | None, bool]:
        """The parameters the page reads (None: never cached), and whether it
        refuses others."""
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None, False
        return query_parameters(match), refuses_unknown_parameters(match)

    @staticmethod
    def _keep_only(request, parameters: frozenset[str]) -> None:
        """Take every parameter the page does not read out of the request.

        The view then answers exactly what the key says, however it reads the
        query (``request.GET``, ``get_full_path()``, DRF's pagination links).
        Names are sorted; the values of one name keep their order, which a
        view may rely on.
        """
        kept = [
            (name, value)
            for name in sorted(parameters.intersection(request.GET))
            for value in request.GET.getlist(name)
        ]
        query = urlencode(kept)
        if query != request.META.get("QUERY_STRING", ""):
            request.META["QUERY_STRING"] = query
            request.GET = QueryDict(query, encoding=request.encoding)

    @staticmethod
    def _within_variant_bound(request, generation: int, seconds: int) -> bool:
        """Count one more stored variant of this path; False beyond the bound."""
        path = f"{request.scheme}://{request.get_host()}{request.path}"
        digest = hashlib.sha256(f"{path}\n{timezone.localdate()}".encode()).hexdigest()
        counter = f"page-cache:{generation}:variants:{digest}"
        bound = settings.PAGE_CACHE_MAX_VARIANTS
        try:
            cache.add(counter, 0, seconds)
            stored = cache.incr(counter)
        except Exception:  # unreachable, or the counter just expired: store nothing
            logger.warning("Could not count the variants of a page.", exc_info=True)
            return False
        if stored == bound + 1:
            logger.warning(
                "Page cache: %d variants of %s stored; further ones are served uncached.",
                bound,
                request.path,
            )
        return stored <= bound

    # -- Which requests and responses may be shared -------------------------

    @staticmethod
    def _may_share(request) -> bool:
        if request.method not in SAFE_METHODS:
            return False
        if "authorization" in request.headers:
            return False
        # Any cookie but the language choice may mean a session, messages or a
        # half-finished form; such visitors get pages made for them.
        cookies = set(request.COOKIES) - {settings.LANGUAGE_COOKIE_NAME}
        return not cookies

    @staticmethod
    def _may_store(request, response) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if response.cookies or response.has_header("Set-Cookie"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        # A nonce belongs to one response; a stored page would replay it.
        if get_nonce(request):
            return False
        cache_control = {
            part.strip().split("=")[0].lower()
            for part in response.get("Cache-Control", "").split(",")
            if part.strip()
        }
        if cache_control & {"private", "no-store", "no-cache"}:
            return False
        vary = {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}
        return vary <= KEYED_VARY_HEADERS

    # -- Storage ------------------------------------------------------------

    @staticmethod
    def _key(request, generation: int) -> str:
        parts = [
            request.build_absolute_uri(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.headers.get("Accept", ""),
            timezone.localdate().isoformat(),
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"page-cache:{generation}:{digest}"

    @staticmethod
    def _fetch(key: str) -> HttpResponse | None:
        try:
            stored = cache.get(key)
        except Exception:
            logger.warning("Page cache unavailable: serving uncached.", exc_info=True)
            return None
        if stored is None:
            return None
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response

    @staticmethod
    def _store(key: str, response, seconds: int) -> None:
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_STORED_HEADERS
        ]
        try:
            cache.set(key, (response.status_code, headers, response.content), seconds)
        except Exception:
            logger.warning("Could not store a page in the cache.", exc_info=True)

    # -- Invalidation after writes signals cannot see -----------------------

    @staticmethod
    def _invalidate_after_staff_write(request, response) -> None:
        """A logged-in user's successful write may have used bulk paths; start afresh.

        Model signals catch ordinary saves, but an admin action can use
        ``QuerySet.update`` and an import ``bulk_create``. Staff writes are rare,
        so invalidating after each one costs nothing worth measuring.
        """
        if request.method in SAFE_METHODS or response.status_code >= 400:
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            invalidate_pages()
