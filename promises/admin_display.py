"""Small display helpers shared by the admin modules of all apps."""

from django.contrib import admin
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from promises.models import Promise


def progress_bar(percent: float | None) -> str:
    # The bar is for the eye; screen readers hear the number beside it, once.
    value = round(percent or 0)
    return format_html(
        '<progress max="100" value="{}" aria-hidden="true"></progress> {}&nbsp;%', value, value
    )


class PromiseStatusFilter(admin.SimpleListFilter):
    """Filters on the roll-up's status annotation."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Promise.Status.choices

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() in Promise.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class LateFilter(admin.SimpleListFilter):
    """Filters on the roll-up's late flag (annotation named by ``late_field``)."""

    title = _("försenad")
    parameter_name = "late"
    late_field = "has_late_activities"

    def lookups(self, request, model_admin):
        return [("1", _("Ja")), ("0", _("Nej"))]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() in ("1", "0"):
            return queryset.filter(**{self.late_field: self.value() == "1"})
        return queryset


class ActivityLateFilter(LateFilter):
    late_field = "is_late"


def related_filter(*select_related: str) -> type[admin.RelatedFieldListFilter]:
    """A related-field filter whose choices load their own relations in one query.

    Choices such as periods are shown as "Timrå 2021–2022", which needs the
    municipality; the stock filter would fetch it once per choice.
    """

    class SelectRelatedFieldListFilter(admin.RelatedFieldListFilter):
        def field_choices(self, field, request, model_admin):
            ordering = self.field_admin_ordering(field, request, model_admin)
            queryset = field.related_model._default_manager.select_related(*select_related)
            if ordering:
                queryset = queryset.order_by(*ordering)
            return [(obj.pk, str(obj)) for obj in queryset]

    return SelectRelatedFieldListFilter


PeriodFilter = related_filter("municipality")
CouncilFilter = related_filter("municipality")
