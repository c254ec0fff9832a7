from axes import admin as axes_admin
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_permissions import InlineObjectPermissionsMixin, ObjectPermissionsAdminMixin
from accounts.forms import AdminLoginForm
from accounts.models import StaffProfile
from accounts.roles import ADMINISTRATOR
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin

# The admin's login refuses an over-long username too (accounts.forms).
admin.site.login_form = AdminLoginForm


class StaffProfileFormSet(BaseInlineFormSet):
    """Every user but an administrator belongs to one organisation."""

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None or "username" not in self.data:
            return  # the add form has no roles yet; they are set on the change form
        administrator_group = Group.objects.filter(name=ADMINISTRATOR).first()
        is_administrator = self.data.get("is_superuser") in ("on", "true", "1") or (
            administrator_group is not None
            and str(administrator_group.pk) in self.data.getlist("groups")
        )
        has_organisation = any(
            form.cleaned_data.get("organisation") for form in self.forms if form.is_valid()
        )
        if not is_administrator and not has_organisation:
            raise ValidationError(
                _("Välj aktör: alla användare utom administratörer hör till en aktör.")
            )


class StaffProfileInline(SafeRelatedFieldsMixin, InlineObjectPermissionsMixin, admin.StackedInline):
    model = StaffProfile
    formset = StaffProfileFormSet
    min_num = 0
    max_num = 1
    can_delete = False
    fields = ["organisation"]
    autocomplete_fields = ["organisation"]
    verbose_name = _("aktör")
    verbose_name_plural = _("aktör")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, UserAdmin):
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


# Django's and django-axes' own admins, asking the rules like every other admin
# (accounts.permissions: administrators manage roles and lift lockouts).
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, GroupAdmin):
    pass


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.unregister(AccessLog)
    admin.site.unregister(AccessFailureLog)

    @admin.register(AccessAttempt)
    class LockoutAttemptAdmin(ObjectPermissionsAdminMixin, axes_admin.AccessAttemptAdmin):
        @admin.action(
            description=axes_admin.AccessAttemptAdmin.cleanup_expired_attempts.short_description,
            permissions=["delete"],
        )
        def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet) -> None:
            # django-axes' own action reads an attribute that only its login handler
            # puts on the request: from the admin it was a server error.
            cool_off = get_cool_off(request)
            count = 0
            if cool_off is not None:  # without a cool-off time no attempt expires
                expired = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - cool_off)
                count, _deleted = expired.delete()
            self.message_user(
                request,
                ngettext(
                    "%(count)d utgånget inloggningsförsök togs bort.",
                    "%(count)d utgångna inloggningsförsök togs bort.",
                    count,
                )
                % {"count": count},
            )

    @admin.register(AccessLog)
    class LoginLogAdmin(ObjectPermissionsAdminMixin, axes_admin.AccessLogAdmin):
        pass

    @admin.register(AccessFailureLog)
    class LoginFailureLogAdmin(ObjectPermissionsAdminMixin, axes_admin.AccessFailureLogAdmin):
        pass
