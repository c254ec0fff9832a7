from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from opendata import exports, ical, links, selectors
from opendata.api.schema import LICENCE_URL
from opendata.api.throttling import requests_per_minute
from promises.models import Municipality, Period

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Paths that search engines have no business in: the admin, where staff work.
ROBOTS_DISALLOW = ["/admin/", "/konto/", "/personal/"]


def _published_period(municipality: str, period: str) -> Period:
    return get_object_or_404(
        Period.objects.published().select_related("municipality"),
        municipality__slug=municipality,
        slug=period,
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    catalogue = [
        {
            "municipality": municipality,
            "feeds": links.municipality_feeds(municipality),
            "periods": [
                {"period": period, "downloads": links.period_downloads(period)}
                for period in municipality.published_periods
            ],
        }
        for municipality in selectors.published_municipalities()
    ]
    return render(
        request,
        "opendata/open_data.html",
        {
            "catalogue": catalogue,
            "licence_url": LICENCE_URL,
            "api_requests_per_minute": requests_per_minute(),
            "api_index": reverse("api:index"),
            "overview_csv": reverse("opendata:overview_csv"),
            "overview_api": reverse("api:overview-list"),
        },
    )


@csrf_exempt  # read-only: a POST is answered 405, not a CSRF 403
@require_safe
def period_csv(request: HttpRequest, municipality: str, period: str, name: str) -> HttpResponse:
    kind = links.CSV_FILES.get(name)
    if kind is None:
        raise Http404(_("Det finns ingen sådan fil."))
    period = _published_period(municipality, period)
    sheet = exports.period_sheet(period, kind)
    return _download(
        exports.write_csv(sheet),
        "text/csv; charset=utf-8",
        f"{period.municipality.slug}-{period.slug}-{name}.csv",
    )


@csrf_exempt  # read-only: a POST is answered 405, not a CSRF 403
@require_safe
def overview_csv(request: HttpRequest) -> HttpResponse:
    """The national overview, as on the start page: every municipality."""
    return _download(
        exports.write_csv(exports.overview_sheet()),
        "text/csv; charset=utf-8",
        "medborgarloften-oversikt.csv",
    )


@csrf_exempt  # read-only: a POST is answered 405, not a CSRF 403
@require_safe
def period_xlsx(request: HttpRequest, municipality: str, period: str) -> HttpResponse:
    period = _published_period(municipality, period)
    return _download(
        exports.write_xlsx(exports.period_sheets(period)),
        XLSX_CONTENT_TYPE,
        f"{period.municipality.slug}-{period.slug}-medborgarloften.xlsx",
    )


@csrf_exempt  # read-only: a POST is answered 405, not a CSRF 403
@require_safe
def meetings_calendar(request: HttpRequest, municipality: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.published().select_related("council"), slug=municipality
    )
    response = HttpResponse(
        ical.meetings_calendar(request, municipality), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}-sammantraden.ics"'
    return response


@csrf_exempt  # read-only: a POST is answered 405, not a CSRF 403
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /"]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('opendata:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
