from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from followup.models import Council, FollowUp, Meeting
from promises.admin_display import CouncilFilter, PeriodFilter


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]


class FollowUpInline(admin.StackedInline):
    model = FollowUp
    extra = 0
    fields = ["promise", "activity", "assessment", "comment", "next_steps"]
    autocomplete_fields = ["promise", "activity"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "council", "period", "place", "is_published", "follow_up_count"]
    list_filter = ["is_published", ("council", CouncilFilter), ("period", PeriodFilter)]
    list_select_related = ["council__municipality", "period__municipality"]
    search_fields = ["place", "agenda", "minutes"]
    autocomplete_fields = ["council", "period"]
    date_hierarchy = "date"
    inlines = [FollowUpInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(follow_up_total=Count("follow_ups"))

    @admin.display(description=_("uppföljningar"), ordering="follow_up_total")
    def follow_up_count(self, obj: Meeting) -> int:
        return obj.follow_up_total


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "promise", "activity", "assessment"]
    list_filter = [
        "assessment",
        ("meeting__period", PeriodFilter),
        ("meeting__council", CouncilFilter),
    ]
    list_select_related = ["meeting", "promise", "activity"]
    search_fields = ["comment", "next_steps", "promise__title"]
    autocomplete_fields = ["meeting", "promise", "activity"]
