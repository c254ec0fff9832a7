from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_permissions import (
    HistoryAdmin,
    InlineObjectPermissionsMixin,
    ObjectPermissionsAdminMixin,
)
from accounts.municipalities import for_user
from followup.models import Council, FollowUp, Meeting
from followup.services import (
    FollowUpContext,
    follow_up_context,
    meeting_last_editor,
    meeting_lock,
    meeting_publish,
    meeting_report_rows,
    meeting_version_matches,
    meeting_version_raise,
)
from promises.admin_display import CouncilFilter, PeriodFilter
from promises.models import Period, Promise
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin


@admin.register(Council)
class CouncilAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin):
    list_display = ["name", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]


# --- Optimistic locking (see followup.services) ----------------------------------


def meeting_conflict_message(meeting: Meeting) -> str:
    editor = meeting_last_editor(meeting)
    if editor is None:
        return _(
            "Sammanträdet har ändrats av någon annan sedan du öppnade det. Det du skrev "
            "visas nedan men har inte sparats. Ladda om sidan för att se de nya uppgifterna "
            "och gör sedan dina ändringar igen."
        )
    return _(
        "Sammanträdet har ändrats av %(name)s sedan du öppnade det. Det du skrev visas "
        "nedan men har inte sparats. Ladda om sidan för att se de nya uppgifterna och "
        "gör sedan dina ändringar igen."
    ) % {"name": editor.get_full_name() or editor.get_username()}


class OpenedVersionForm(forms.ModelForm):
    """Carries the meeting's version as it was when the form was opened.

    ``locked_meeting`` is the meeting row the admin locked for this save (None on
    an add form); a different version there means someone saved in between.
    """

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    locked_meeting: Meeting | None = None

    def meeting_for_version(self) -> Meeting | None:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.meeting_for_version()
        if meeting is not None:
            self.fields["opened_version"].initial = meeting.version

    def clean(self) -> dict:
        cleaned_data = super().clean()
        meeting = self.locked_meeting
        if meeting is not None and not meeting_version_matches(
            meeting, cleaned_data.get("opened_version")
        ):
            self.add_error(None, meeting_conflict_message(meeting))
        return cleaned_data


class MeetingAdminForm(OpenedVersionForm):
    def meeting_for_version(self) -> Meeting | None:
        return self.instance if self.instance.pk is not None else None


class FollowUpAdminForm(OpenedVersionForm):
    def meeting_for_version(self) -> Meeting | None:
        if self.instance.pk is None or self.instance.meeting_id is None:
            return None
        return self.instance.meeting

    def clean(self) -> dict:
        cleaned_data = super().clean()
        meeting = cleaned_data.get("meeting")
        locked = self.locked_meeting
        if (
            meeting is not None
            and (locked is None or locked.pk != meeting.pk)
            and transaction.get_connection(router.db_for_write(FollowUp)).in_atomic_block
        ):
            # Lock the meeting the row goes to before the uniqueness checks, so a
            # meeting form saving a row for the same promise waits, or is waited for.
            meeting_lock(meeting.pk)
        return cleaned_data


def _locking_meeting(request: HttpRequest, model) -> bool:
    """A POST inside the admin's transaction (changeform_view and delete_view are atomic)."""
    return (
        request.method == "POST"
        and transaction.get_connection(router.db_for_write(model)).in_atomic_block
    )


class FollowUpInlineFormSet(BaseInlineFormSet):
    """Gives each row the facts about its promise (set per request on the class)."""

    facts: dict = {}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        promise_id = form.instance.promise_id
        if promise_id is None:
            promise_id = form.initial.get("promise")
            if promise_id is not None:
                form.instance.promise_id = promise_id
        form.instance.followup_facts = self.facts.get(promise_id)
        return form

    def clean(self) -> None:
        super().clean()
        period_id = self.instance.period_id
        followed_up: set[tuple[int, int | None]] = set()
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", {})
            promise = cleaned.get("promise")
            if promise is None or cleaned.get("DELETE"):
                continue
            if period_id and promise.period_id != period_id:
                form.add_error(None, _("Löftet hör inte till sammanträdets löftesperiod."))
            # The database allows one follow-up per promise (or activity) and meeting;
            # two rows for the same one are a form error, not a failed save.
            activity = cleaned.get("activity")
            key = (promise.pk, activity.pk if activity else None)
            if key in followed_up:
                form.add_error(None, _("Löftet följs redan upp i en annan rad."))
            followed_up.add(key)


class FollowUpInline(SafeRelatedFieldsMixin, InlineObjectPermissionsMixin, admin.StackedInline):
    """One row per promise of the meeting's period, each showing the facts to assess."""

    model = FollowUp
    formset = FollowUpInlineFormSet
    extra = 0
    fields = ["facts_display", "promise", "activity", "assessment", "comment", "next_steps"]
    readonly_fields = ["facts_display"]
    autocomplete_fields = ["activity"]
    verbose_name = _("uppföljning av löfte")
    verbose_name_plural = _("uppföljning av löftena")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("promise", "activity")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "promise":
            # Each row is fixed to its promise; the promise is shown in the facts.
            return forms.ModelChoiceField(
                queryset=Promise.objects.all(), widget=forms.HiddenInput, label=_("löfte")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}
    }

    def get_extra(self, request: HttpRequest, obj=None, **kwargs) -> int:
        return len(self.model_admin_context(request, obj).initial)

    def get_max_num(self, request: HttpRequest, obj=None, **kwargs) -> int:
        """No blank rows beyond one per promise: every row belongs to a promise."""
        rows = self.model_admin_context(request, obj)
        return rows.existing + len(rows.initial)

    def get_formset(self, request: HttpRequest, obj=None, **kwargs):
        formset = super().get_formset(request, obj, validate_max=True, **kwargs)
        formset.facts = self.model_admin_context(request, obj).context.facts
        return formset

    def model_admin_context(self, request: HttpRequest, obj):
        return self.admin_site.get_model_admin(Meeting).follow_up_rows(request, obj)

    @admin.display(description=_("underlag"))
    def facts_display(self, obj: FollowUp) -> str:
        facts = getattr(obj, "followup_facts", None)
        if facts is None:
            return str(obj.promise) if obj.promise_id else "–"
        return render_to_string("admin/followup/meeting/promise_facts.html", {"facts": facts})


class FollowUpRows:
    def __init__(self, context: FollowUpContext, initial: list[dict], existing: int):
        self.context = context
        self.initial = initial
        self.existing = existing


@admin.register(Meeting)
class MeetingAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin):
    form = MeetingAdminForm
    list_display = [
        "__str__",
        "council",
        "period",
        "place",
        "is_published",
        "follow_up_count",
        "report_link",
    ]
    list_filter = ["is_published", ("council", CouncilFilter), ("period", PeriodFilter)]
    list_select_related = ["council__municipality", "period__municipality"]
    search_fields = ["place", "agenda", "minutes"]
    autocomplete_fields = ["council", "period"]
    date_hierarchy = "date"
    inlines = [FollowUpInline]
    actions = ["publish"]
    readonly_fields = ["published_at", "report_link"]
    add_period_template = "admin/followup/meeting/choose_period.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(follow_up_total=Count("follow_ups"))

    @admin.display(description=_("uppföljningar"), ordering="follow_up_total")
    def follow_up_count(self, obj: Meeting) -> int:
        return obj.follow_up_total

    @admin.display(description=_("rapport"))
    def report_link(self, obj: Meeting) -> str:
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:followup_meeting_report", args=[obj.pk]),
            _("Uppföljningsrapport för utskrift"),
        )

    # --- Optimistic locking ------------------------------------------------------

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and _locking_meeting(request, Meeting):
            locked = meeting_lock(obj.pk)
            if locked is None:
                return None
            # Waited for the lock: the version another save may just have committed.
            obj.version = locked.version
            obj.locked = True
        return obj

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and getattr(obj, "locked", False):
            form = type(form.__name__, (form,), {"locked_meeting": obj})
        return form

    def save_model(self, request: HttpRequest, obj: Meeting, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic(using=router.db_for_write(Meeting)):
            if not getattr(obj, "locked", False):
                # Saved without the change form's check (reverting to a version in
                # the history): still a new version, so forms opened before are stale.
                current = meeting_lock(obj.pk)
                if current is not None:
                    obj.version = current.version
            obj.version += 1  # the row is locked: nobody saved since it was read
            super().save_model(request, obj, form, change)

    # --- The follow-up rows ------------------------------------------------------

    def _period_for(self, request: HttpRequest, obj: Meeting | None) -> Period | None:
        if obj is not None and obj.pk is not None:
            return obj.period
        period_id = request.GET.get("period", "")
        if not period_id.isdigit():
            return None
        periods = for_user(request.user, Period.objects.select_related("municipality"))
        return periods.filter(pk=period_id).first()

    def follow_up_rows(self, request: HttpRequest, obj: Meeting | None) -> FollowUpRows:
        """Computed once per request: the facts and one prefilled row per missing promise."""
        if obj is not None and obj.pk is None:
            obj = None  # the add form's empty instance
        cache_key = obj.pk if obj is not None else None
        cached = getattr(request, "_follow_up_rows_cache", None)
        if cached is not None and cached[0] == cache_key:
            return cached[1]
        period = self._period_for(request, obj)
        council = None
        if obj is not None:
            council = obj.council
        elif period is not None:
            council = Council.objects.filter(municipality=period.municipality_id).first()
        context = follow_up_context(period, council, obj.date if obj is not None else None)
        initial = [{"promise": p.pk} for p in context.promises_without_follow_up(obj)]
        existing = obj.follow_ups.count() if obj is not None else 0
        rows = FollowUpRows(context, initial, existing)
        request._follow_up_rows_cache = (cache_key, rows)
        return rows

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, FollowUpInline):
            kwargs["initial"] = self.follow_up_rows(request, obj).initial
        return kwargs

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        period = self._period_for(request, None)
        if period is not None:
            council = Council.objects.filter(municipality=period.municipality_id).first()
            if council is not None:
                initial.setdefault("council", council.pk)
        return initial

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        """First choose the period, so the form can offer a row per promise."""
        if request.method == "GET" and self._period_for(request, None) is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            periods = for_user(
                request.user, Period.objects.select_related("municipality")
            ).current_first()
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Välj löftesperiod för sammanträdet"),
                "periods": periods,
            }
            return render(request, self.add_period_template, context)
        return super().add_view(request, form_url, extra_context)

    # --- Publishing and the report --------------------------------------------------

    @admin.action(description=_("Publicera valda sammanträden"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        published = 0
        for meeting in queryset:
            if not self.has_change_permission(request, meeting):
                raise PermissionDenied
            published += meeting_publish(meeting)
        self.message_user(
            request,
            ngettext(
                "%(count)d sammanträde publicerades.",
                "%(count)d sammanträden publicerades.",
                published,
            )
            % {"count": published},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/rapport/",
                self.admin_site.admin_view(self.report_view),
                name="followup_meeting_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(
            self.get_queryset(request).select_related("council__municipality", "period"), pk=pk
        )
        if not self.has_view_permission(request, meeting):
            raise PermissionDenied
        return render(
            request,
            "admin/followup/meeting/report.html",
            {"meeting": meeting, "rows": meeting_report_rows(meeting)},
        )


@admin.register(FollowUp)
class FollowUpAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin):
    """A single follow-up; saving one counts as a change of its meeting (its version)."""

    form = FollowUpAdminForm
    list_display = ["meeting", "promise", "activity", "assessment"]
    list_filter = [
        "assessment",
        ("meeting__period", PeriodFilter),
        ("meeting__council", CouncilFilter),
    ]
    list_select_related = ["meeting", "promise", "activity"]
    search_fields = ["comment", "next_steps", "promise__title"]
    autocomplete_fields = ["meeting", "promise", "activity"]

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and _locking_meeting(request, FollowUp):
            obj.locked_meeting = meeting_lock(obj.meeting_id)
            if obj.locked_meeting is None:
                return None
            obj.original_meeting_id = obj.meeting_id
        return obj

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        locked = getattr(obj, "locked_meeting", None)
        if locked is not None:
            form = type(form.__name__, (form,), {"locked_meeting": locked})
        return form

    def save_model(self, request: HttpRequest, obj: FollowUp, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        meeting_version_raise(getattr(obj, "original_meeting_id", None), obj.meeting_id)

    def delete_model(self, request: HttpRequest, obj: FollowUp) -> None:
        super().delete_model(request, obj)
        meeting_version_raise(obj.meeting_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        meeting_ids = list(queryset.values_list("meeting_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        meeting_version_raise(*meeting_ids)
