"""Addresses of the downloads and feeds, for the API, the pages and the templates."""

from django.urls import reverse

from promises.models import Municipality, Period, Promise

# URL part of each CSV download -> the export kind it serves (see opendata.exports).
CSV_FILES = {
    "loften": "promises",
    "aktiviteter": "activities",
    "lagesrapporter": "progress_updates",
    "matvarden": "measurements",
    "uppfoljningar": "follow_ups",
}


def period_csv(period: Period, kind: str) -> str:
    name = next(name for name, exported in CSV_FILES.items() if exported == kind)
    return reverse(
        "opendata:period_csv",
        kwargs={"municipality": period.municipality.slug, "period": period.slug, "name": name},
    )


def period_xlsx(period: Period) -> str:
    return reverse(
        "opendata:period_xlsx",
        kwargs={"municipality": period.municipality.slug, "period": period.slug},
    )


def period_downloads(period: Period) -> dict[str, str]:
    return {
        "xlsx": period_xlsx(period),
        **{f"{kind}_csv": period_csv(period, kind) for kind in CSV_FILES.values()},
    }


def municipality_feeds(municipality: Municipality) -> dict[str, str]:
    kwargs = {"municipality": municipality.slug}
    return {
        "progress_updates_atom": reverse("opendata:municipality_updates_feed", kwargs=kwargs),
        "meetings_atom": reverse("opendata:municipality_meetings_feed", kwargs=kwargs),
        "meetings_ical": reverse("opendata:municipality_calendar", kwargs=kwargs),
    }


def promise_feed(promise: Promise) -> str:
    return reverse(
        "opendata:promise_feed",
        kwargs={
            "municipality": promise.period.municipality.slug,
            "period": promise.period.slug,
            "promise": promise.slug,
        },
    )
