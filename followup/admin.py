from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import is_historic

from accounts.admin_permissions import (
    HistoryAdmin,
    InlineObjectPermissionsMixin,
    ObjectPermissionsAdminMixin,
)
from accounts.municipalities import for_user
from accounts.permissions import allowed
from followup.models import Council, FollowUp, Meeting
from followup.services import (
    CORRECTION_REASON_MISSING,
    PUBLICATION_NEEDS_ASSESSMENT,
    FollowUpChanges,
    FollowUpContext,
    MeetingConflict,
    MeetingSaved,
    correction_reason_check,
    council_delete,
    council_save,
    current_periods,
    follow_up_context,
    follow_up_delete,
    follow_up_save,
    meeting_conflict,
    meeting_delete,
    meeting_initial,
    meeting_is_public_record,
    meeting_protocol,
    meeting_publish,
    meeting_save,
    meeting_unpublish,
    meeting_warnings,
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

    def save_model(self, request: HttpRequest, obj: Council, form, change: bool) -> None:
        council_save(user=request.user, council=obj)

    def delete_model(self, request: HttpRequest, obj: Council) -> None:
        council_delete(user=request.user, council=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for council in queryset:
            council_delete(user=request.user, council=council)


# --- Optimistic locking and corrections (the protocol is in followup.services) -----------


class MeetingWriteForm(forms.ModelForm):
    """Carries the meeting's version as the form showed it, and the reason for a correction.

    ``clean`` asks the service early whether someone saved since the form was opened,
    so the page shows the conflict beside the input; saving goes through the services,
    which lock, compare and raise the version themselves.
    """

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    correction_reason = forms.CharField(
        label=_("Skäl till rättelsen"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        required=False,
        help_text=_(
            "Krävs när sammanträdet är publicerat. Skälet visas offentligt på "
            "sammanträdets sida, tillsammans med den tidigare lydelsen."
        ),
    )

    def target_meeting(self, cleaned_data: dict) -> Meeting | None:
        """The meeting the save changes."""
        return self.meeting_for_version()

    def meeting_for_version(self) -> Meeting | None:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.meeting_for_version()
        if meeting is not None:
            self.fields["opened_version"].initial = meeting.version
        if meeting is not None and meeting_is_public_record(meeting):
            field = self.fields["correction_reason"]
            field.required = True
            field.error_messages["required"] = CORRECTION_REASON_MISSING

    def clean(self) -> dict:
        cleaned_data = super().clean()
        meeting = self.meeting_for_version()
        conflict = meeting_conflict(
            meeting.pk if meeting else None, cleaned_data.get("opened_version")
        )
        if conflict is not None:
            self.add_error(None, conflict.message())
            return cleaned_data
        target = self.target_meeting(cleaned_data)
        if (
            target is not None
            and "correction_reason" not in self.errors  # required, and said so already
            and meeting_is_public_record(target)
        ):
            try:
                correction_reason_check(cleaned_data.get("correction_reason"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class MeetingAdminForm(MeetingWriteForm):
    """The meeting; an unlikely date or a second meeting that day must be confirmed."""

    confirm_warnings = forms.BooleanField(
        label=_("Jag har kontrollerat varningarna och vill spara ändå"), required=False
    )
    warning_messages: list[str] = []

    def meeting_for_version(self) -> Meeting | None:
        return self.instance if self.instance.pk is not None else None

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance now holds the submitted values
        if self.errors or is_historic(self.instance):
            return
        current = self.meeting_for_version()
        if current is not None:
            current = Meeting.objects.filter(pk=current.pk).first()
        # The rule is the service's (meeting_save checks it again); shown here beside
        # the date, with the box to tick, before anything is saved.
        self.warning_messages = meeting_warnings(self.instance, current)
        if self.warning_messages and not self.cleaned_data.get("confirm_warnings"):
            for warning in self.warning_messages:
                self.add_error("date", warning)


class FollowUpAdminForm(MeetingWriteForm):
    # Offered on every follow-up page: the meeting of a new one is chosen in the form,
    # and the service requires the reason when that meeting is published.

    def meeting_for_version(self) -> Meeting | None:
        if self.instance.pk is None or self.instance.meeting_id is None:
            return None
        return self.instance.meeting

    def target_meeting(self, cleaned_data: dict) -> Meeting | None:
        return cleaned_data.get("meeting") or self.meeting_for_version()

    def clean(self) -> dict:
        cleaned_data = super().clean()
        meeting = cleaned_data.get("meeting")
        if meeting is not None and meeting.pk != self.instance.meeting_id:
            # Lock the meeting the row goes to before the uniqueness checks, so a
            # meeting form saving a row for the same promise waits, or is waited for.
            meeting_conflict(meeting.pk, meeting.version)
        return cleaned_data


def _saved(result: MeetingSaved | MeetingConflict) -> MeetingSaved:
    if isinstance(result, MeetingConflict):
        # The form's clean locked the meeting's row for this (atomic) request, so
        # nobody can have saved in between.
        raise RuntimeError("The meeting changed under a held row lock.")
    return result


def _show_warnings(model_admin, request: HttpRequest, result: MeetingSaved) -> None:
    for warning in result.warnings:
        model_admin.message_user(request, warning, messages.WARNING)


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till avpubliceringen"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=_("Skälet visas offentligt på sammanträdets sida."),
    )


class FollowUpInlineFormSet(BaseInlineFormSet):
    """Gives each row the facts about its promise (set per request on the class).

    With "Spara och publicera" (``publishing``) every promise's row needs an assessment,
    the rule of ``followup.services.meeting_publication_check``, shown beside each row.
    """

    facts: dict = {}
    publishing: bool = False

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        promise_id = form.instance.promise_id
        if promise_id is None:
            promise_id = form.initial.get("promise")
            if promise_id is not None:
                form.instance.promise_id = promise_id
        form.instance.followup_facts = self.facts.get(promise_id)

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
            activity = cleaned.get("activity", form.instance.activity)
            key = (promise.pk, activity.pk if activity else None)
            if key in followed_up:
                form.add_error(None, _("Löftet följs redan upp i en annan rad."))
            followed_up.add(key)
        if self.publishing:
            self._require_every_assessment(followed_up)

    def _require_every_assessment(self, followed_up: set[tuple[int, int | None]]) -> None:
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            promise_id = form.instance.promise_id
            if form.instance.activity_id is None and (promise_id, None) not in followed_up:
                form.add_error("assessment", PUBLICATION_NEEDS_ASSESSMENT)
                followed_up.add((promise_id, None))
        missing = [
            facts.promise.title
            for promise_id, facts in self.facts.items()
            if (promise_id, None) not in followed_up
        ]
        if missing:
            raise ValidationError(
                _("Utan bedömning: %(titles)s. %(rule)s")
                % {"titles": ", ".join(missing), "rule": PUBLICATION_NEEDS_ASSESSMENT}
            )


class FollowUpInline(SafeRelatedFieldsMixin, InlineObjectPermissionsMixin, admin.StackedInline):
    """One compact row per promise of the meeting's period: the facts to assess on the
    left, the assessment (one click) and the two texts on the right.

    A follow-up of a single activity is recorded on its own page (Uppföljningar); its
    row here shows the activity and keeps it."""

    model = FollowUp
    formset = FollowUpInlineFormSet
    template = "admin/followup/meeting/follow_up_inline.html"
    extra = 0
    fields = ["facts_display", "promise", "assessment", "comment", "next_steps"]
    readonly_fields = ["facts_display"]
    radio_fields = {"assessment": admin.HORIZONTAL}
    verbose_name = _("uppföljning av löfte")
    verbose_name_plural = _("uppföljning av löftena")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("promise", "activity")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # ``obj`` is the meeting: a published one keeps its follow-ups.
        return super().has_delete_permission(request, obj) and (
            obj is None or allowed(request.user, "followup.delete_followup", obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "promise":
            # Each row is fixed to its promise; the promise is shown in the facts.
            return forms.ModelChoiceField(
                queryset=Promise.objects.all(), widget=forms.HiddenInput, label=_("löfte")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})}
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
        formset.publishing = (
            request.method == "POST"
            and "_publish" in request.POST
            and allowed(request.user, "followup.publish_meeting")
        )
        return formset

    def model_admin_context(self, request: HttpRequest, obj):
        return self.admin_site.get_model_admin(Meeting).follow_up_rows(request, obj)

    @admin.display(description=_("underlag"))
    def facts_display(self, obj: FollowUp) -> str:
        facts = getattr(obj, "followup_facts", None)
        if facts is None:
            return str(obj.promise) if obj.promise_id else "–"
        return render_to_string(
            "admin/followup/meeting/promise_facts.html",
            {"facts": facts, "activity": obj.activity if obj.activity_id else None},
        )


class FollowUpRows:
    def __init__(self, context: FollowUpContext, initial: list[dict], existing: int):
        self.context = context
        self.initial = initial
        self.existing = existing


@admin.register(Meeting)
class MeetingAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin):
    form = MeetingAdminForm
    change_form_template = "admin/followup/meeting/change_form.html"
    # Fits 1280 px beside the admin's menu and filters: the council is the
    # municipality's one (named in the period); the place is on the meeting's page.
    list_display = [
        "date_display",
        "period",
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
    actions = ["publish", "unpublish"]
    readonly_fields = ["is_published", "published_at", "first_published_at", "report_link"]
    add_period_template = "admin/followup/meeting/choose_period.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(follow_up_total=Count("follow_ups"))

    @admin.display(description=_("sammanträde"), ordering="date")
    def date_display(self, obj: Meeting) -> str:
        return date_format(obj.date, "j F Y")

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
            _("Protokoll"),
        )

    # --- Writes, through followup.services ------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        """The meeting on one screen; publication facts only once it exists.

        Each part is its own fieldset, so a later part (residents' questions, say)
        is one more entry in the list.
        """
        meeting = [
            ("council", "period"),
            ("date", "start_time", "place"),
            "attendees",
            "agenda",
            "minutes",
            "opened_version",
        ]
        if obj is not None and meeting_is_public_record(obj):
            meeting.append("correction_reason")  # asked only of a published meeting
        fieldsets = [(None, {"fields": meeting})]
        if obj is not None:
            fieldsets.append(
                (
                    _("Publicering"),
                    {
                        "fields": [
                            ("is_published", "published_at", "first_published_at"),
                            "report_link",
                        ],
                        "classes": ["collapse"],
                    },
                )
            )
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"attendees", "agenda", "minutes"}:
            field.widget.attrs["rows"] = 4
        return field

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_save_and_publish"] = self.has_publish_permission(request) and (
            obj is None or not obj.is_published
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request: HttpRequest, obj: Meeting, post_url_continue=None):
        return self._response_published(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request: HttpRequest, obj: Meeting):
        return self._response_published(request, obj) or super().response_change(request, obj)

    def _response_published(self, request: HttpRequest, obj: Meeting) -> HttpResponse | None:
        if "_publish" not in request.POST:
            return None
        self.message_user(
            request,
            _("%(meeting)s är sparat och publicerat.") % {"meeting": obj},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:followup_meeting_changelist"))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Asked of the rules directly: a published meeting is kept even from superusers.
        return super().has_delete_permission(request, obj) and (
            obj is None or allowed(request.user, "followup.delete_meeting", obj)
        )

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "followup.publish_meeting")

    def has_unpublish_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "followup.unpublish_meeting")

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Atomic like the change form, so the row its clean locks stays locked to the save.
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Meeting, form, change: bool) -> None:
        if is_historic(obj):
            # The history's revert form saves the meeting alone (it has no follow-up rows).
            self._meeting_save(request, obj, form, FollowUpChanges())
        # Otherwise saved in save_related, with its follow-up rows, as one version.

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        follow_ups = FollowUpChanges()
        for formset in formsets:
            if isinstance(formset, FollowUpInlineFormSet):
                follow_ups.saved += formset.save(commit=False)
                follow_ups.deleted += formset.deleted_objects
        self._meeting_save(request, form.instance, form, follow_ups)
        form.save_m2m()

    def _meeting_save(self, request: HttpRequest, meeting: Meeting, form, follow_ups) -> None:
        result = _saved(
            meeting_save(
                user=request.user,
                meeting=meeting,
                opened_version=form.cleaned_data.get("opened_version"),
                follow_ups=follow_ups,
                reason=form.cleaned_data.get("correction_reason", ""),
                warnings_confirmed=bool(form.cleaned_data.get("confirm_warnings")),
                publish="_publish" in request.POST and self.has_publish_permission(request),
            )
        )
        _show_warnings(self, request, result)

    def delete_model(self, request: HttpRequest, obj: Meeting) -> None:
        meeting_delete(user=request.user, meeting=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for meeting in queryset:
            meeting_delete(user=request.user, meeting=meeting)

    # --- The follow-up rows ------------------------------------------------------

    def _period_for(self, request: HttpRequest, obj: Meeting | None) -> Period | None:
        """The meeting's period; for a new one the one chosen, or else the one current
        period (no choice to make)."""
        if obj is not None and obj.pk is not None:
            return obj.period
        period_id = request.GET.get("period", "")
        if not period_id:
            current = current_periods(request.user)
            return current[0] if len(current) == 1 else None
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
            initial.setdefault("period", period.pk)
            council = Council.objects.filter(municipality=period.municipality_id).first()
            if council is not None:
                initial.setdefault("council", council.pk)
                for name, value in meeting_initial(council).items():
                    initial.setdefault(name, value)
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

    @admin.action(description=_("Publicera valda sammanträden"), permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        published = 0
        for meeting in queryset:
            try:
                with transaction.atomic():
                    published += meeting_publish(user=request.user, meeting=meeting)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
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

    @admin.action(permissions=["unpublish"],
        description=_("Avpublicera valda sammanträden (med skäl)"),
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        """Asks for the reason on a page of its own; the reason is shown publicly."""
        form = UnpublishForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound:
            try:
                with transaction.atomic():
                    count = sum(
                        meeting_unpublish(
                            user=request.user, meeting=meeting, reason=form.data.get("reason", "")
                        )
                        for meeting in queryset
                    )
            except ValidationError as error:
                form.add_error("reason", error.message_dict.get("reason", error.messages))
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d sammanträde avpublicerades.",
                        "%(count)d sammanträden avpublicerades.",
                        count,
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Avpublicera sammanträden"),
            "meetings": queryset.select_related("council"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/followup/meeting/unpublish.html", context)

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
            {"meeting": meeting, "protocol": meeting_protocol(meeting)},
        )


@admin.register(FollowUp)
class FollowUpAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, HistoryAdmin):
    """A single follow-up; saving one counts as a change of its meeting (its version)."""

    form = FollowUpAdminForm
    # Fits 1280 px beside the admin's menu and filters: the meeting by its date
    # alone, and long promise and activity titles wrap (static/css/admin.css).
    list_display = ["meeting_date", "promise", "activity", "assessment"]
    list_display_links = ["meeting_date"]
    list_filter = [
        "assessment",
        ("meeting__period", PeriodFilter),
        ("meeting__council", CouncilFilter),
    ]
    list_select_related = ["meeting", "promise", "activity"]
    search_fields = ["comment", "next_steps", "promise__title"]
    autocomplete_fields = ["meeting", "promise", "activity"]

    @admin.display(description=_("sammanträde"), ordering="meeting__date")
    def meeting_date(self, obj: FollowUp) -> str:
        return date_format(obj.meeting.date, "j F Y")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # Asked of the rules directly: a published meeting's follow-ups are kept from everyone.
        return super().has_delete_permission(request, obj) and (
            obj is None or allowed(request.user, "followup.delete_followup", obj)
        )

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request: HttpRequest, obj: FollowUp, form, change: bool) -> None:
        _saved(
            follow_up_save(
                user=request.user,
                follow_up=obj,
                opened_version=form.cleaned_data.get("opened_version"),
                reason=form.cleaned_data.get("correction_reason", ""),
            )
        )

    def delete_model(self, request: HttpRequest, obj: FollowUp) -> None:
        follow_up_delete(user=request.user, follow_up=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for follow_up in queryset:
            follow_up_delete(user=request.user, follow_up=follow_up)
