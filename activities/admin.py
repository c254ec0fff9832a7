from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_permissions import InlineObjectPermissionsMixin, ObjectPermissionsAdminMixin
from accounts.municipalities import for_user
from accounts.permissions import visible_updates
from activities.imports import (
    ActivityPlanConfirmForm,
    ActivityPlanImportForm,
    ActivityPlanResource,
)
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from promises.admin_display import ActivityLateFilter, PeriodFilter, progress_bar
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin


class ActivityInline(SafeRelatedFieldsMixin, InlineObjectPermissionsMixin, admin.TabularInline):
    model = Activity
    extra = 0
    fields = [
        "order",
        "title",
        "lead_organisation",
        "planned_start",
        "planned_end",
        "weight",
        "progress_display",
    ]
    readonly_fields = ["progress_display"]
    autocomplete_fields = ["lead_organisation"]
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_progress().select_related("lead_organisation")

    @admin.display(description=_("framsteg"))
    def progress_display(self, obj: Activity) -> str:
        return progress_bar(getattr(obj, "current_percent", 0))


class PromiseIndicatorInline(InlineObjectPermissionsMixin, admin.TabularInline):
    model = Indicator
    fk_name = "promise"
    extra = 0
    fields = ["name", "unit", "baseline", "target", "direction"]
    show_change_link = True


class ActivityIndicatorInline(PromiseIndicatorInline):
    fk_name = "activity"


class ProgressUpdateHistoryInline(admin.TabularInline):
    """Earlier updates, read-only: the history is the record."""

    model = ProgressUpdate
    extra = 0
    fields = ["reported_on", "status", "percent_complete", "text", "organisation", "author"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("tidigare lägesrapporter")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("organisation", "author")

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ProgressUpdateAddInline(SafeRelatedFieldsMixin, admin.StackedInline):
    """Adds new updates; a correction is a new update, never an edit."""

    model = ProgressUpdate
    extra = 0
    fields = ["reported_on", "status", "percent_complete", "text", "organisation"]
    autocomplete_fields = ["organisation"]
    verbose_name = _("ny lägesrapport")
    verbose_name_plural = _("ny lägesrapport")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).none()

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (
            obj is None or request.user.has_perm("activities.add_progressupdate", obj)
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(
    ImportMixin, SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, SimpleHistoryAdmin
):
    list_display = [
        "title",
        "promise",
        "lead_organisation",
        "planned_end",
        "progress_display",
        "status_display",
        "late_display",
        "last_reported_on_display",
    ]
    list_filter = [
        ActivityLateFilter,
        "promise__period__municipality",
        ("promise__period", PeriodFilter),
        "promise__focus_areas",
        "lead_organisation",
    ]
    list_select_related = ["promise", "lead_organisation"]
    search_fields = ["title", "description", "place", "promise__title"]
    autocomplete_fields = ["promise", "lead_organisation", "other_organisations"]
    inlines = [ProgressUpdateAddInline, ProgressUpdateHistoryInline, ActivityIndicatorInline]
    # Importing activity plans from CSV or XLSX (activities/imports.py).
    resource_classes = [ActivityPlanResource]
    import_form_class = ActivityPlanImportForm
    confirm_form_class = ActivityPlanConfirmForm
    import_formats = [base_formats.CSV, base_formats.XLSX]
    import_error_display = ("message",)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("activities.import_activity")

    def create_import_form(self, request: HttpRequest):
        return self._periods_of_user(request, super().create_import_form(request))

    def create_confirm_form(self, request: HttpRequest, import_form=None):
        return self._periods_of_user(request, super().create_confirm_form(request, import_form))

    def _periods_of_user(self, request: HttpRequest, form):
        """Plans are imported only into the user's municipalities' periods."""
        field = form.fields["period"]
        field.queryset = for_user(request.user, field.queryset)
        return form

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs) -> dict:
        form = kwargs.get("form")
        period = getattr(form, "cleaned_data", {}).get("period") if form else None
        return {"period": period}

    def get_confirm_form_initial(self, request: HttpRequest, import_form) -> dict:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["period"] = import_form.cleaned_data["period"].pk
        return initial

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_progress()

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is ProgressUpdate:
            for update in formset.save(commit=False):
                update.author = request.user
                update.save()
            return
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("framsteg"), ordering="current_percent")
    def progress_display(self, obj: Activity) -> str:
        return progress_bar(obj.current_percent)

    @admin.display(description=_("status"), ordering="current_status")
    def status_display(self, obj: Activity) -> str:
        return ProgressUpdate.Status(obj.current_status).label

    @admin.display(description=_("försenad"), boolean=True, ordering="is_late")
    def late_display(self, obj: Activity) -> bool:
        return obj.is_late

    @admin.display(description=_("senaste lägesrapport"), ordering="last_reported_on")
    def last_reported_on_display(self, obj: Activity):
        return obj.last_reported_on


class AppendOnlyAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, admin.ModelAdmin):
    """History is the record: rows can be added and read, never changed or deleted."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible_updates(request.user, super().get_queryset(request), self.activity_field)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AppendOnlyAdmin, SimpleHistoryAdmin):
    activity_field = "activity"
    list_display = [
        "activity",
        "reported_on",
        "status",
        "percent_complete",
        "organisation",
        "author",
    ]
    list_filter = ["status", "organisation", ("activity__promise__period", PeriodFilter)]
    list_select_related = ["activity", "organisation", "author"]
    search_fields = ["text", "activity__title"]
    autocomplete_fields = ["activity", "organisation"]
    date_hierarchy = "reported_on"
    exclude = ["author"]

    def save_model(self, request, obj: ProgressUpdate, form, change) -> None:
        if not request.user.has_perm("activities.add_progressupdate", obj.activity):
            raise PermissionDenied
        obj.author = request.user
        super().save_model(request, obj, form, change)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["measured_on", "value", "source"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (
            obj is None or request.user.has_perm("activities.add_measurement", obj)
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "baseline", "target", "direction", "promise", "activity"]
    list_filter = [
        "direction",
        ("promise__period", PeriodFilter),
        ("activity__promise__period", PeriodFilter),
    ]
    list_select_related = ["promise", "activity"]
    search_fields = ["name"]
    autocomplete_fields = ["promise", "activity"]
    inlines = [MeasurementInline]

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is Measurement:
            for measurement in formset.save(commit=False):
                measurement.recorded_by = request.user
                measurement.save()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Measurement)
class MeasurementAdmin(AppendOnlyAdmin):
    activity_field = "indicator__activity"
    list_display = ["indicator", "measured_on", "value", "source", "recorded_by"]
    list_filter = [
        ("indicator__promise__period", PeriodFilter),
        ("indicator__activity__promise__period", PeriodFilter),
    ]
    list_select_related = ["indicator", "recorded_by"]
    search_fields = ["indicator__name", "source"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "measured_on"
    exclude = ["recorded_by"]

    def save_model(self, request, obj: Measurement, form, change) -> None:
        if not request.user.has_perm("activities.add_measurement", obj.indicator):
            raise PermissionDenied
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
