"""The secretary's moderation queue, the dialogues behind a period, and the council's answers.

Every write goes through ``participation.services``. The council's answers are recorded
on the meeting's own form, under "Frågor från invånare": the meeting's admin (from
``followup.admin``) is registered again here with that section added, so the follow-up
app does not need to know about residents' questions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_permissions import InlineObjectPermissionsMixin, ObjectPermissionsAdminMixin
from accounts.permissions import allowed
from followup.admin import MeetingAdmin
from followup.models import Meeting
from participation.models import Dialogue, Question, subject_title
from participation.services import (
    dialogue_delete,
    dialogue_focus_areas_check,
    dialogue_save,
    question_answer,
    question_delete,
    question_edit,
    question_publish,
    question_reject,
    question_send_to_council,
    questions_attach_to_meeting,
)
from promises.admin_display import PeriodFilter
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin


class DialogueAdminForm(forms.ModelForm):
    class Meta:
        model = Dialogue
        fields = [
            "period",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "method",
            "respondents",
            "findings",
            "source_url",
            "focus_areas",
        ]

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if cleaned_data.get("period") is not None and cleaned_data.get("focus_areas") is not None:
            self.instance.period = cleaned_data["period"]
            try:
                dialogue_focus_areas_check(self.instance, cleaned_data["focus_areas"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


@admin.register(Dialogue)
class DialogueAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, admin.ModelAdmin):
    form = DialogueAdminForm
    list_display = ["title", "kind", "starts_on", "respondents", "period"]
    list_filter = ["kind", ("period", PeriodFilter)]
    list_select_related = ["period__municipality"]
    search_fields = ["title", "findings"]
    autocomplete_fields = ["period", "focus_areas"]

    def save_model(self, request: HttpRequest, obj: Dialogue, form, change: bool) -> None:
        dialogue_save(user=request.user, dialogue=obj)

    def delete_model(self, request: HttpRequest, obj: Dialogue) -> None:
        dialogue_delete(user=request.user, dialogue=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for dialogue in queryset:
            dialogue_delete(user=request.user, dialogue=dialogue)


class QuestionAdminForm(forms.ModelForm):
    edit_note = forms.CharField(
        label=_("Anteckning om ändringen"),
        required=False,
        max_length=200,
        help_text=_(
            "Till exempel ”Tog bort ett namn”. Sparas i loggen med ditt namn och tiden, "
            "men inte den tidigare texten."
        ),
    )

    class Meta:
        model = Question
        fields = ["message", "display_name"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"})}


def _reject_action(reason: str, description: str):
    """An admin action rejecting the selected questions for ``reason``."""

    @admin.action(permissions=["moderate"], description=description)
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._reject(request, queryset, reason)

    return reject


@admin.register(Question)
class QuestionAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, admin.ModelAdmin):
    """The moderation queue: each secretary sees their own municipality's questions."""

    form = QuestionAdminForm
    list_display = ["__str__", "subject_display", "status", "created_at", "has_email"]
    list_filter = ["status", ("period", PeriodFilter)]
    list_select_related = ["period__municipality", "promise", "focus_area"]
    search_fields = ["message", "display_name"]
    private_fields = ("email",)  # never published, and not shown to moderators
    fields = [
        "subject_display",
        "message",
        "display_name",
        "edit_note",
        "status",
        "rejection_reason",
        "has_email",
        "meeting",
        "answer",
        "edits_display",
    ]
    readonly_fields = [
        "subject_display",
        "status",
        "rejection_reason",
        "has_email",
        "meeting",
        "answer",
        "edits_display",
    ]
    actions = [
        "publish",
        "send_to_council",
        "reject_off_topic",
        "reject_personal_data",
        "reject_offensive",
        "reject_duplicate",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        awaiting = Case(When(status=Question.Status.NEW, then=Value(0)), default=Value(1))
        # The queue first: questions awaiting moderation, oldest first.
        return (
            super()
            .get_queryset(request)
            .defer("email")
            .annotate(awaiting_order=awaiting)
            .order_by("awaiting_order", "created_at", "pk")
        )

    @admin.display(description=_("gäller"))
    def subject_display(self, obj: Question) -> str:
        subject = obj.subject
        if subject is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            subject.get_absolute_url(),
            subject_title(subject),
        )

    @admin.display(description=_("vill ha svar per e-post"), boolean=True)
    def has_email(self, obj: Question) -> bool:
        return bool(obj.email)

    @admin.display(description=_("ändringar"))
    def edits_display(self, obj: Question) -> str:
        edits = obj.edits.select_related("made_by") if obj.pk else []
        return (
            format_html_join(
                "",
                "<p>{} · {} · {} {}</p>",
                (
                    (
                        f"{edit.made_at:%Y-%m-%d %H:%M}",
                        edit.made_by or "–",
                        edit.fields,
                        edit.note,
                    )
                    for edit in edits
                ),
            )
            or "–"
        )

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "participation.moderate_question")

    def save_model(self, request: HttpRequest, obj: Question, form, change: bool) -> None:
        question_edit(user=request.user, question=obj, note=form.cleaned_data.get("edit_note", ""))

    def delete_model(self, request: HttpRequest, obj: Question) -> None:
        question_delete(user=request.user, question=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for question in queryset:
            question_delete(user=request.user, question=question)

    def _moderate(self, request: HttpRequest, queryset: QuerySet, service, done_message, **kwargs):
        done = 0
        for question in queryset:
            try:
                done += bool(service(user=request.user, question=question, **kwargs))
            except ValidationError as error:
                self.message_user(
                    request, f"{question}: {' '.join(error.messages)}", messages.ERROR
                )
        self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)

    @admin.action(permissions=["moderate"], description=_("Publicera valda frågor som de är"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(
            request,
            queryset,
            question_publish,
            lambda n: ngettext(
                "%(count)d fråga publicerades.", "%(count)d frågor publicerades.", n
            ),
        )

    @admin.action(permissions=["moderate"], description=_("Skicka valda frågor till rådet"))
    def send_to_council(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._moderate(
            request,
            queryset,
            question_send_to_council,
            lambda n: ngettext(
                "%(count)d fråga skickades till rådet.", "%(count)d frågor skickades till rådet.", n
            ),
        )

    def _reject(self, request: HttpRequest, queryset: QuerySet, reason: str) -> None:
        self._moderate(
            request,
            queryset,
            question_reject,
            lambda n: ngettext("%(count)d fråga avvisades.", "%(count)d frågor avvisades.", n),
            reason=reason,
        )

    reject_off_topic = _reject_action(
        Question.RejectionReason.OFF_TOPIC, _("Avvisa: hör inte till medborgarlöftena")
    )
    reject_personal_data = _reject_action(
        Question.RejectionReason.PERSONAL_DATA, _("Avvisa: innehåller personuppgifter")
    )
    reject_offensive = _reject_action(Question.RejectionReason.OFFENSIVE, _("Avvisa: kränkande"))
    reject_duplicate = _reject_action(
        Question.RejectionReason.DUPLICATE, _("Avvisa: samma fråga finns redan")
    )


# --- The council's answers, on the meeting's form ------------------------------------------


class ResidentQuestionInline(InlineObjectPermissionsMixin, admin.StackedInline):
    """ "Frågor från invånare": the questions sent to this meeting, each with the answer."""

    model = Question
    fk_name = "meeting"
    extra = 0
    can_delete = False
    fields = ["asked_display", "answer"]
    readonly_fields = ["asked_display"]
    verbose_name = _("fråga från invånare")
    verbose_name_plural = _("Frågor från invånare")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(status=Question.Status.SENT_TO_COUNCIL)
            .select_related("promise", "focus_area")
            .defer("email")
        )

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # residents ask on the public form; the secretary sends them here

    @admin.display(description=_("frågan"))
    def asked_display(self, obj: Question) -> str:
        subject = obj.subject
        return format_html(
            "<p><strong>{}</strong>{}</p><p>{}</p>",
            subject_title(subject),
            format_html(" · {}", obj.display_name) if obj.display_name else "",
            obj.message,
        )


class MeetingWithQuestionsAdmin(MeetingAdmin):
    """The meeting's admin, with residents' questions and their answers."""

    inlines = [*MeetingAdmin.inlines, ResidentQuestionInline]

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The answers first: "Spara och publicera" publishes the meeting below, and an
        # answer given before its first publication is no correction.
        for formset in [f for f in formsets if f.model is Question]:
            for question in formset.save(commit=False):
                question_answer(
                    user=request.user,
                    question=question,
                    answer=question.answer,
                    reason=form.cleaned_data.get("correction_reason", ""),
                )
        super().save_related(
            request, form, [f for f in formsets if f.model is not Question], change
        )
        if not change:
            questions_attach_to_meeting(user=request.user, meeting=form.instance)


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithQuestionsAdmin)
