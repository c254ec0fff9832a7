"""Shared fragments: the costly part of a public page, made once and served to every visitor.

The page cache (``caching.middleware``) serves whole pages, but only to visitors
without cookies. Logged-in staff, and anyone carrying a cookie, get pages made
for them, although the costly part of a public page (the promises with their
roll-ups, the activities and their timelines) is the same for everybody. That
part is wrapped in ``{% shared_fragment %}`` (``caching/templatetags``) and
stored in the shared cache; the rest of the page (menu, messages, language
links) is made for each request as before.

A fragment is stored under the same things as a cached page, so it goes stale
at the same moments:

- the content generation (``caching.generation``), raised when a change to the
  promises, activities or follow-up commits. The view reads it *before* its
  first query (``reads_generation_first``): a fragment made from rows read
  before a change is then stored under the old generation, which nobody reads
  again. Read after the queries, a change committed in between would be stored
  under the new one;
- today's date ("late" and "next meeting" change at midnight);
- the path, the values of the query parameters the page declares
  (``caching.pages``), the active language and the fragment's name.

The page's own data is made lazily (``SimpleLazyObject``), inside the fragment,
so a stored fragment costs none of its queries. The few rows a page needs
outside its fragments (for its title and links) are shared the same way with
``shared_value``, under the same key. With ``PAGE_CACHE_SECONDS = 0``,
or when the cache cannot be reached, fragments are simply rendered every time.
"""

import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import get_language

from caching.generation import current_generation
from caching.pages import query_parameters

logger = logging.getLogger(__name__)

ATTRIBUTE = "shared_fragment_generation"


def reads_generation_first(view: Callable) -> Callable:
    """Read the content generation before the view's first query (see the module)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        generation = current_generation() if settings.PAGE_CACHE_SECONDS else None
        setattr(request, ATTRIBUTE, generation)
        try:
            return view(request, *args, **kwargs)
        except Exception:
            # The error page (a 404 for a made-up address) is not stored: made-up
            # addresses must not fill the cache.
            setattr(request, ATTRIBUTE, None)
            raise

    return wrapped


def fragment_key(request, name: str, vary: list) -> str | None:
    """The key of a fragment of this request's page, or None when it is not to be shared."""
    generation = getattr(request, ATTRIBUTE, None)
    if generation is None:
        return None
    match = getattr(request, "resolver_match", None)
    try:
        match = match or resolve(request.path_info)
    except Resolver404:
        return None
    parameters = query_parameters(match)
    if parameters is None:  # a page the page cache does not know: made for each request
        return None
    query = [(parameter, request.GET.getlist(parameter)) for parameter in sorted(parameters)]
    parts = [
        name,
        request.path,
        repr(query),
        get_language() or "",
        timezone.localdate().isoformat(),
        *(str(value) for value in vary),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"fragment:{generation}:{digest}"


def shared_value(request, name: str, compute: Callable):
    """``compute()``, or what it returned for this page under the current generation.

    What it raises (``Http404``) is not stored: the next request asks again.
    """
    key = fragment_key(request, name, [])
    if key is None:
        return compute()
    value = fetch(key)
    if value is None:
        value = compute()
        store(key, value)
    return value


def fetch(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Fragment cache unavailable: rendering afresh.", exc_info=True)
        return None


def store(key: str, value) -> None:
    try:
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not store a fragment in the cache.", exc_info=True)
