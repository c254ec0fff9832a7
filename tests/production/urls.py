"""Test-only URLs, added to the project's: a forced error, and pages whose content
comes straight from the roll-up, for the cache tests. Never used outside tests.

The pages are declared cacheable (caching.pages) so that the cache tests see
the middleware decide on the response alone."""

from django.db import connection
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from caching.pages import cacheable
from promises.models import Promise
from timra_trygghet import urls as project_urls


@cacheable()
def promise_progress(request, pk: int):
    promise = Promise.objects.with_progress().get(pk=pk)
    return HttpResponse(
        f"<p lang='{get_language()}'>{promise.title}: {promise.progress:.0f}%</p>",
        content_type="text/html; charset=utf-8",
    )


@cacheable()
def boom(request):
    """Fail the way real code fails: a database error carrying its SQL."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM table_that_does_not_exist")
    return HttpResponse("unreachable")


@cacheable()
def sets_cookie(request):
    response = HttpResponse("with a cookie")
    response.set_cookie("tracking", "1")
    return response


@cacheable()
def with_csrf_token(request):
    return HttpResponse(f"<input name='csrfmiddlewaretoken' value='{get_token(request)}'>")


@cacheable()
def with_nonce(request):
    return HttpResponse(f"<script nonce='{get_nonce(request)}' src='/static/x.js'></script>")


@cacheable()
@never_cache
def private_page(request):
    return HttpResponse("never cache")


@cacheable()
def not_found(request):
    return HttpResponse("gone", status=404)


def bulk_publish(request):
    """A staff write that bypasses model signals, like an admin action using update()."""
    if request.method == "POST":
        Promise.objects.update(title="Uppdaterad rubrik")
    return HttpResponse("ok")


urlpatterns = [
    path("test/promise/<int:pk>/", promise_progress, name="test-promise-progress"),
    path("test/boom/", boom),
    path("test/sets-cookie/", sets_cookie),
    path("test/csrf/", with_csrf_token),
    path("test/nonce/", with_nonce),
    path("test/private/", private_page),
    path("test/not-found/", not_found),
    path("test/bulk-publish/", bulk_publish),
    # The project's URLs as they are (they may use i18n_patterns, which cannot be included).
    *project_urls.urlpatterns,
]

# The project's own error pages, when it has them.
handler404 = getattr(project_urls, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(project_urls, "handler500", "django.views.defaults.server_error")
