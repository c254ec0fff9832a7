"""Open data for people and programs: the "Öppna data" page, downloads, feeds, sitemap, robots."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import conditional_page, require_safe

from opendata import feeds, views
from opendata.sitemaps import SITEMAPS

app_name = "opendata"


def subscribable(view):
    """GET only, with an ETag so that feed readers and calendars polling often get a 304.

    Exempt from the CSRF check, which would otherwise answer a write method with
    403 before ``require_safe`` could say 405: nothing here changes anything.
    """
    return csrf_exempt(require_safe(conditional_page(view)))


urlpatterns = [
    path("oppna-data/", views.open_data, name="index"),
    path("oppna-data/oversikt.csv", views.overview_csv, name="overview_csv"),
    path(
        "oppna-data/<slug:municipality>/lagesrapporter.atom",
        subscribable(feeds.MunicipalityProgressUpdatesFeed()),
        name="municipality_updates_feed",
    ),
    path(
        "oppna-data/<slug:municipality>/sammantraden.atom",
        subscribable(feeds.MunicipalityMeetingsFeed()),
        name="municipality_meetings_feed",
    ),
    path(
        "oppna-data/<slug:municipality>/fragor.atom",
        subscribable(feeds.MunicipalityQuestionsFeed()),
        name="municipality_questions_feed",
    ),
    path(
        "oppna-data/<slug:municipality>/sammantraden.ics",
        subscribable(views.meetings_calendar),
        name="municipality_calendar",
    ),
    path(
        "oppna-data/<slug:municipality>/<slug:period>/medborgarloften.xlsx",
        views.period_xlsx,
        name="period_xlsx",
    ),
    path(
        "oppna-data/<slug:municipality>/<slug:period>/<slug:name>.csv",
        views.period_csv,
        name="period_csv",
    ),
    path(
        "oppna-data/<slug:municipality>/<slug:period>/<slug:promise>/flode.atom",
        subscribable(feeds.PromiseFeed()),
        name="promise_feed",
    ),
    path(
        "sitemap.xml",
        csrf_exempt(require_safe(sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
