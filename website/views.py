"""The public pages about promises: start page, periods, promise list and detail, focus areas."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from caching.fragments import reads_generation_first, shared_value
from followup import overview as national
from website import selectors
from website.forms import OVERVIEW_PAGE_SIZE, OverviewFilterForm, PromiseFilterForm

# The start, period and promise pages keep their costly part in a shared fragment
# (caching.fragments): its data is made lazily, only when the fragment is rendered.


@dataclass
class NationalOverview:
    form: OverviewFilterForm
    rows: list[national.MunicipalityStatus]  # every municipality the filters let through
    page: Page  # the ones shown

    def page_url(self, number: int) -> str:
        """The same filters and sorting, another page (only the form's own parameters)."""
        query = QueryDict(mutable=True)
        for name in ("q", "lan", "sortera"):
            value = self.form.data.get(name)
            if value:
                query[name] = value
        query["sida"] = number
        return "?" + query.urlencode()

    @property
    def previous_url(self) -> str:
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else ""

    @property
    def with_promises(self) -> int:
        return sum(1 for row in self.rows if row.has_promises)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


def _national_overview(data) -> NationalOverview:
    form = OverviewFilterForm(data, counties=national.counties())
    form.is_valid()
    rows = national.national_overview(**form.filters())
    page = Paginator(rows, OVERVIEW_PAGE_SIZE).get_page(form.page_number())
    return NationalOverview(form, rows, page)


@reads_generation_first
def home(request: HttpRequest) -> HttpResponse:
    """The site root: the only municipality's start page, or the national overview."""
    # In a tuple: a stored None (no sole municipality) would read as "not stored".
    (sole,) = shared_value(request, "home", lambda: (selectors.sole_municipality(),))
    if sole is not None:
        return _start_page(request, lambda: sole)
    overview = SimpleLazyObject(lambda: _national_overview(request.GET))
    return render(
        request,
        "promises/home.html",
        {
            "overview": overview,
            "police_promises_url": national.POLICE_PROMISES_URL,
            "grace_days": national.GRACE_DAYS,
        },
    )


@reads_generation_first
def municipality(request: HttpRequest, municipality: str) -> HttpResponse:
    return _start_page(request, lambda: selectors.public_municipality(municipality))


def _start_page(request: HttpRequest, find_municipality) -> HttpResponse:
    def heading():
        found = find_municipality()
        return found, selectors.current_period(found)

    municipality, period = shared_value(request, "start_page", heading)
    overview = SimpleLazyObject(lambda: selectors.period_overview(period, is_current=True))
    return render(
        request,
        "promises/period_overview.html",
        {"municipality": municipality, "period": period, "overview": overview},
    )


@reads_generation_first
def period(request: HttpRequest, municipality: str, period: str) -> HttpResponse:
    found = selectors.public_period(municipality, period)
    overview = SimpleLazyObject(lambda: selectors.period_overview(found))
    return render(
        request,
        "promises/period_overview.html",
        {"municipality": found.municipality, "period": found, "overview": overview},
    )


def period_archive(request: HttpRequest, municipality: str) -> HttpResponse:
    found = selectors.public_municipality(municipality)
    periods = selectors.period_archive(found)
    return render(
        request,
        "promises/period_archive.html",
        {"municipality": found, "periods": periods, "current": periods[0] if periods else None},
    )


def promise_list(request: HttpRequest, municipality: str, period: str) -> HttpResponse:
    found = selectors.public_period(municipality, period)
    focus_areas, organisations = selectors.filter_choices(found)
    form = PromiseFilterForm(request.GET, focus_areas=focus_areas, organisations=organisations)
    form.is_valid()
    promises = selectors.promise_list(found, **form.filters())
    return render(
        request,
        "promises/promise_list.html",
        {
            "municipality": found.municipality,
            "period": found,
            "form": form,
            "promises": promises,
        },
    )


@reads_generation_first
def promise_detail(request: HttpRequest, municipality: str, period: str, promise: str):
    def heading():
        # The page's title and links need the period and the promise's own row;
        # the rest is in the fragment.
        found = selectors.public_period(municipality, period)
        return found, selectors.public_promise(found, promise)

    found, promise_row = shared_value(request, "promise_page", heading)
    detail = SimpleLazyObject(lambda: selectors.promise_detail(found, promise))
    return render(
        request,
        "promises/promise_detail.html",
        {
            "municipality": found.municipality,
            "period": found,
            "promise": promise_row,
            "detail": detail,
        },
    )


def focus_area(request: HttpRequest, municipality: str, period: str, focus_area: str):
    found = selectors.public_period(municipality, period)
    area, promises = selectors.focus_area_detail(found, focus_area)
    return render(
        request,
        "promises/focus_area.html",
        {
            "municipality": found.municipality,
            "period": found,
            "focus_area": area,
            "promises": promises,
        },
    )
