"""sitemap.xml: every public page, published data only, one query per section."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from followup.models import Meeting
from promises.models import FocusArea, Municipality, Period, Promise


class StaticSitemap(Sitemap):
    def items(self) -> list[str]:
        return [
            "promises:home",
            "pages:about",
            "pages:accessibility",
            "pages:search",
            "opendata:index",
            "api:docs",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class UpdatedAtSitemap(Sitemap):
    def lastmod(self, obj):
        return obj.updated_at


class MunicipalitySitemap(UpdatedAtSitemap):
    def items(self):
        return Municipality.objects.published().order_by("name", "pk")


class PeriodSitemap(UpdatedAtSitemap):
    def items(self):
        return Period.objects.published().select_related("municipality").order_by("pk")


class FocusAreaSitemap(UpdatedAtSitemap):
    def items(self):
        return FocusArea.objects.published().select_related("period__municipality").order_by("pk")


class PromiseSitemap(UpdatedAtSitemap):
    def items(self):
        return Promise.objects.published().select_related("period__municipality").order_by("pk")


class MeetingSitemap(UpdatedAtSitemap):
    def items(self):
        return (
            Meeting.objects.published()
            .select_related("council__municipality", "period__municipality")
            .order_by("pk")
        )


SITEMAPS = {
    "static": StaticSitemap,
    "municipalities": MunicipalitySitemap,
    "periods": PeriodSitemap,
    "focus-areas": FocusAreaSitemap,
    "promises": PromiseSitemap,
    "meetings": MeetingSitemap,
}
