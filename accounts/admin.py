from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffProfile


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ["organisation"]
    autocomplete_fields = ["organisation"]
    verbose_name = _("aktör")
    verbose_name_plural = _("aktör")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "organisation_display",
        "roles_display",
        "is_active",
    ]
    list_filter = ["groups", "staff_profile__organisation", "is_active", "is_superuser"]
    list_select_related = ["staff_profile__organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("aktör"), ordering="staff_profile__organisation__name")
    def organisation_display(self, obj) -> str:
        profile = getattr(obj, "staff_profile", None)
        return profile.organisation.display_name if profile else "–"

    @admin.display(description=_("roller"))
    def roles_display(self, obj) -> str:
        return ", ".join(group.name for group in obj.groups.all())
