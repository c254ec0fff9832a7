from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_permissions import (
    HistoryAdmin,
    InlineObjectPermissionsMixin,
    ObjectPermissionsAdminMixin,
)
from promises.admin_display import LateFilter, PeriodFilter, PromiseStatusFilter, progress_bar
from promises.admin_writes import ServiceWritesAdminMixin, m2m_values
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from promises.services import (
    focus_area_delete,
    focus_area_save,
    period_delete,
    period_save,
    promise_delete,
    promise_save,
)
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin


@admin.register(Municipality)
class MunicipalityAdmin(ObjectPermissionsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind", "municipalities"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "municipalities"]
    prepopulated_fields = {"slug": ["name"]}


def _save_focus_area(user, focus_area: FocusArea, form=None) -> None:
    focus_area_save(user=user, focus_area=focus_area)


def _delete_focus_area(user, focus_area: FocusArea) -> None:
    focus_area_delete(user=user, focus_area=focus_area)


class FocusAreaInline(InlineObjectPermissionsMixin, admin.TabularInline):
    model = FocusArea
    extra = 0
    fields = ["order", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Period)
class PeriodAdmin(
    ServiceWritesAdminMixin, SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin
):
    list_display = [
        "__str__",
        "starts_on",
        "ends_on",
        "is_published",
        "progress_display",
        "promise_count_display",
    ]
    list_filter = ["municipality", "is_published"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FocusAreaInline]
    inline_services = {FocusArea: (_save_focus_area, _delete_focus_area)}

    def service_save(self, user, obj: Period, form) -> None:
        period_save(user=user, period=obj)

    def service_delete(self, user, obj: Period) -> None:
        period_delete(user=user, period=obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("framsteg"), ordering="progress")
    def progress_display(self, obj: Period) -> str:
        return progress_bar(obj.progress)

    @admin.display(description=_("antal löften"), ordering="promise_count")
    def promise_count_display(self, obj: Period) -> int:
        return obj.promise_count


@admin.register(FocusArea)
class FocusAreaAdmin(
    ServiceWritesAdminMixin, SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin
):
    list_display = ["name", "period", "order", "progress_display", "promise_count_display"]
    list_filter = ["period__municipality", ("period", PeriodFilter)]
    list_select_related = ["period__municipality"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["period"]
    prepopulated_fields = {"slug": ["name"]}

    def service_save(self, user, obj: FocusArea, form) -> None:
        focus_area_save(user=user, focus_area=obj)

    def service_delete(self, user, obj: FocusArea) -> None:
        focus_area_delete(user=user, focus_area=obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("framsteg"), ordering="progress")
    def progress_display(self, obj: FocusArea) -> str:
        return progress_bar(obj.progress)

    @admin.display(description=_("antal löften"), ordering="promise_count")
    def promise_count_display(self, obj: FocusArea) -> int:
        return obj.promise_count


class PromiseAdminForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose

    def clean(self) -> dict:
        cleaned_data = super().clean()
        period, focus_areas = cleaned_data.get("period"), cleaned_data.get("focus_areas")
        if period is not None and focus_areas is not None:
            try:
                Promise(period=period).validate_focus_areas(focus_areas)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(Promise)
class PromiseAdmin(
    ServiceWritesAdminMixin, SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin
):
    form = PromiseAdminForm
    list_display = [
        "title",
        "period",
        "organisations_display",
        "progress_display",
        "status_display",
        "late_activity_count_display",
    ]
    list_filter = [
        PromiseStatusFilter,
        LateFilter,
        "period__municipality",
        ("period", PeriodFilter),
        "focus_areas",
        "organisations",
    ]
    list_select_related = ["period__municipality"]
    search_fields = ["title", "text"]
    autocomplete_fields = ["period", "organisations", "focus_areas"]
    prepopulated_fields = {"slug": ["title"]}

    def service_save(self, user, obj: Promise, form) -> None:
        promise_save(user=user, promise=obj, **m2m_values(form, "organisations", "focus_areas"))

    def service_delete(self, user, obj: Promise) -> None:
        promise_delete(user=user, promise=obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_progress().prefetch_related("organisations")

    @admin.display(description=_("lovas av"))
    def organisations_display(self, obj: Promise) -> str:
        return ", ".join(organisation.display_name for organisation in obj.organisations.all())

    @admin.display(description=_("framsteg"), ordering="progress")
    def progress_display(self, obj: Promise) -> str:
        return progress_bar(obj.progress)

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: Promise) -> str:
        return Promise.Status(obj.status).label

    @admin.display(description=_("försenade aktiviteter"), ordering="late_activity_count")
    def late_activity_count_display(self, obj: Promise) -> int:
        return obj.late_activity_count
