from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_permissions import (
    HistoryAdmin,
    InlineObjectPermissionsMixin,
    ObjectPermissionsAdminMixin,
)
from accounts.permissions import visible_updates
from activities.admin_import import ActivityPlanImportAdminMixin
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from activities.services import (
    activity_delete,
    activity_save,
    indicator_delete,
    indicator_save,
    measurement_change,
    measurement_create,
    period_copy,
    progress_update_change,
    progress_update_create,
)
from promises import admin as promises_admin
from promises.admin_display import ActivityLateFilter, PeriodFilter, progress_bar
from promises.admin_writes import ServiceWritesAdminMixin, m2m_values
from promises.models import Period, Promise
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin


def _save_activity(user, activity: Activity, form=None) -> None:
    activity_save(user=user, activity=activity, **m2m_values(form, "other_organisations"))


def _delete_activity(user, activity: Activity) -> None:
    activity_delete(user=user, activity=activity)


def _save_indicator(user, indicator: Indicator, form=None) -> None:
    indicator_save(user=user, indicator=indicator)


def _delete_indicator(user, indicator: Indicator) -> None:
    indicator_delete(user=user, indicator=indicator)


def _add_update(user, update: ProgressUpdate, form=None) -> None:
    """Adds through the service; the admin then shows the saved update."""
    result = progress_update_create(
        user=user,
        activity=update.activity,
        status=update.status,
        percent_complete=update.percent_complete,
        text=update.text,
        reported_on=update.reported_on,
        organisation=update.organisation if update.organisation_id else None,
    )
    update.pk = result.update.pk


def _add_measurement(user, measurement: Measurement, form=None) -> None:
    saved = measurement_create(
        user=user,
        indicator=measurement.indicator,
        value=measurement.value,
        measured_on=measurement.measured_on,
        source=measurement.source,
    )
    measurement.pk = saved.pk


# (save, delete) for ServiceWritesAdminMixin.inline_services; reports are never deleted.
# An inline row whose deletion the database protects (an activity with reports)
# is refused beside the inline by Django's admin itself, before anything is saved.
activity_services = (_save_activity, _delete_activity)
indicator_services = (_save_indicator, _delete_indicator)
update_services = (_add_update, None)
measurement_services = (_add_measurement, None)


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
    fields = [
        "name",
        "unit",
        "baseline",
        "target",
        "target_cadence",
        "aggregation",
        "direction",
    ]
    show_change_link = True


class ActivityIndicatorInline(PromiseIndicatorInline):
    fk_name = "activity"


class ProgressUpdateHistoryInline(InlineObjectPermissionsMixin, admin.TabularInline):
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


class ProgressUpdateAddInline(
    SafeRelatedFieldsMixin, InlineObjectPermissionsMixin, admin.StackedInline
):
    """Adds new updates; a correction is a new update, never an edit."""

    model = ProgressUpdate
    extra = 0
    fields = ["reported_on", "status", "percent_complete", "text", "organisation"]
    autocomplete_fields = ["organisation"]
    verbose_name = _("ny lägesrapport")
    verbose_name_plural = _("ny lägesrapport")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).none()

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(
    ActivityPlanImportAdminMixin,
    ServiceWritesAdminMixin,
    SafeRelatedFieldsMixin,
    ObjectPermissionsAdminMixin,
    HistoryAdmin,
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
    inline_services = {ProgressUpdate: update_services, Indicator: indicator_services}
    # Importing activity plans from CSV or XLSX: ActivityPlanImportAdminMixin.

    def service_save(self, user, obj: Activity, form) -> None:
        _save_activity(user, obj, form)

    def service_delete(self, user, obj: Activity) -> None:
        _delete_activity(user, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_progress()

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

    history_revert_allowed = False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible_updates(request.user, super().get_queryset(request), self.activity_field)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AppendOnlyAdmin, HistoryAdmin):
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
        if change:
            # Only the history revert form gets here: a correction is the author's,
            # within the window, and the service refuses everyone else.
            progress_update_change(
                user=request.user,
                update=obj,
                status=obj.status,
                percent_complete=obj.percent_complete,
                text=obj.text,
            )
            return
        _add_update(request.user, obj)


class MeasurementInline(InlineObjectPermissionsMixin, admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["measured_on", "value", "source"]
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(
    ServiceWritesAdminMixin, SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin
):
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
    inline_services = {Measurement: measurement_services}

    def service_save(self, user, obj: Indicator, form) -> None:
        _save_indicator(user, obj)

    def service_delete(self, user, obj: Indicator) -> None:
        _delete_indicator(user, obj)


@admin.register(Measurement)
class MeasurementAdmin(AppendOnlyAdmin, HistoryAdmin):
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
        if change:
            # Only the history revert form gets here: a correction is the recorder's,
            # within the window, and the service refuses everyone else.
            measurement_change(
                user=request.user,
                measurement=obj,
                value=obj.value,
                measured_on=obj.measured_on,
                source=obj.source,
            )
            return
        _add_measurement(request.user, obj)


# --- The plan's pages of the promises app, completed with the activities under them ---
# Promises sit below activities (README, "Layers"): the promises app's admin knows
# nothing of activities, and this app registers its periods and promises again with
# what needs activities, the activity inlines and the copy of a whole plan.

admin.site.unregister(Period)
admin.site.unregister(Promise)


@admin.register(Period)
class PeriodAdmin(promises_admin.PeriodAdmin):
    actions = ["copy_to_new_draft_period"]

    @admin.action(description=_("Kopiera till en ny period (utkast)"), permissions=["add"])
    def copy_to_new_draft_period(self, request: HttpRequest, queryset: QuerySet) -> None:
        copies = [period_copy(user=request.user, period=period) for period in queryset]
        self.message_user(
            request,
            ngettext(
                "%(count)d period kopierades till ett nytt utkast: %(names)s.",
                "%(count)d perioder kopierades till nya utkast: %(names)s.",
                len(copies),
            )
            % {"count": len(copies), "names": ", ".join(str(copy) for copy in copies)},
            messages.SUCCESS,
        )


@admin.register(Promise)
class PromiseAdmin(promises_admin.PromiseAdmin):
    inlines = [ActivityInline, PromiseIndicatorInline]
    inline_services = {Activity: activity_services, Indicator: indicator_services}
