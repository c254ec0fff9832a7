"""Finding and deleting everything stored for one e-mail address.

National administrators only (the addresses belong to no municipality's staff
work); nobody adds or edits a subscriber by hand, since a subscription needs its
owner's confirmation. Deleting goes through ``subscriber_delete``, which also
withdraws the address's unsent mail.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from accounts.admin_permissions import ObjectPermissionsAdminMixin
from accounts.permissions import allowed
from subscriptions.models import Subscriber
from subscriptions.personal_data import (
    personal_data_erase,
    personal_data_for_address,
    subscriber_log_label,
)
from subscriptions.services import subscriber_delete

UNCONFIRMED = _("obekräftad")

# The task queue's own admin would be a side door past the rules (it shows the
# tasks' arguments); the queue is read with `manage.py` and SQL when needed.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


class PersonalDataForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        error_messages={
            "required": _("Skriv e-postadressen."),
            "invalid": _("Skriv en giltig e-postadress, till exempel namn@exempel.se."),
            "max_length": _("En e-postadress har högst 254 tecken."),
        },
    )


@admin.register(Subscriber)
class SubscriberAdmin(ObjectPermissionsAdminMixin, admin.ModelAdmin):
    list_display = ["email", "created_at", "followed", "last_digest_at"]
    # No search and no lookups by address: an address in a URL ends up in access logs
    # and browser histories. The personal-data page finds an address by POST.
    private_fields = ("email",)
    readonly_fields = ["email", "created_at", "followed", "last_digest_at", "digest_due"]
    fields = readonly_fields

    change_list_template = "admin/subscriptions/subscriber/change_list.html"

    def has_personal_data_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, "subscriptions.erase_personal_data")

    def get_urls(self):
        return [
            path(
                "personal-data/",
                self.admin_site.admin_view(self.personal_data_view),
                name="subscriptions_subscriber_personal_data",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_personal_data_permission": self.has_personal_data_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def personal_data_view(self, request: HttpRequest) -> HttpResponse:
        """Search an address, then erase what is stored for it ("erase"); both are POSTs.

        The address is never in a URL, so it stays out of access logs and the
        browser's history: a GET shows the empty form, whatever its query string.
        """
        if not self.has_personal_data_permission(request):
            raise PermissionDenied
        form = PersonalDataForm(request.POST if request.method == "POST" else None)
        if form.is_valid() and "erase" in request.POST:
            erased = personal_data_erase(user=request.user, email=form.cleaned_data["email"])
            if erased.total:
                message = gettext("Allt som fanns lagrat för %(email)s är raderat.")
            else:
                message = gettext("Ingenting var lagrat för %(email)s.")
            messages.success(request, message % {"email": erased.email})
            return redirect("admin:subscriptions_subscriber_personal_data")
        found = personal_data_for_address(form.cleaned_data["email"]) if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Sök och radera en e-postadress"),
            "form": form,
            "found": found,
        }
        return TemplateResponse(
            request, "admin/subscriptions/subscriber/personal_data.html", context
        )

    def log_deletions(self, request: HttpRequest, queryset) -> list:
        # Django's own entry would keep the address (the subscriber's str) after the
        # subscriber is gone: the log names it by number instead.
        content_type = ContentType.objects.get_for_model(Subscriber)
        return LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(subscriber.pk),
                object_repr=subscriber_log_label(subscriber.pk),
                action_flag=DELETION,
            )
            for subscriber in queryset
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("subscriptions__promise")

    @admin.display(description=_("följer"))
    def followed(self, subscriber: Subscriber) -> str:
        return ", ".join(
            f"{subscription.promise}" + ("" if subscription.confirmed_at else f" ({UNCONFIRMED})")
            for subscription in subscriber.subscriptions.all()
        )

    def delete_model(self, request: HttpRequest, obj: Subscriber) -> None:
        subscriber_delete(user=request.user, subscriber=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for subscriber in queryset:
            subscriber_delete(user=request.user, subscriber=subscriber)
