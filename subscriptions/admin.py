"""Finding and deleting everything stored for one e-mail address.

National administrators only (the addresses belong to no municipality's staff
work); nobody adds or edits a subscriber by hand, since a subscription needs its
owner's confirmation. Deleting goes through ``subscriber_delete``, which also
withdraws the address's unsent mail.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from accounts.admin_permissions import ObjectPermissionsAdminMixin
from subscriptions.models import Subscriber
from subscriptions.services import subscriber_delete

UNCONFIRMED = _("obekräftad")

# The task queue's own admin would be a side door past the rules (it shows the
# tasks' arguments); the queue is read with `manage.py` and SQL when needed.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(Subscriber)
class SubscriberAdmin(ObjectPermissionsAdminMixin, admin.ModelAdmin):
    list_display = ["email", "created_at", "followed", "last_digest_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "followed", "last_digest_at", "digest_due"]
    fields = readonly_fields

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
