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
from accounts.municipalities import is_national_administrator
from accounts.roles import ADMINISTRATOR, NATIONAL_ADMINISTRATOR, SECRETARY
from accounts.services import staff_profile_save, staff_user_place
from timra_trygghet.admin_widgets import SafeRelatedFieldsMixin

# The admin's login refuses an over-long username too (accounts.forms).
admin.site.login_form = AdminLoginForm


class StaffProfileFormSet(BaseInlineFormSet):
    """Every user but an administrator belongs to one organisation; secretaries and
    administrators but national ones work in at least one municipality."""

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None or "username" not in self.data:
            return  # the add form has no roles yet; they are set on the change form
        # Matched as text: the submitted values are not validated yet (the user form is).
        names = {str(pk): name for pk, name in Group.objects.values_list("pk", "name")}
        roles = {names[value] for value in self.data.getlist("groups") if value in names}
        # An unticked box is not sent; to whom the box is read-only (an administrator
        # who is not national) may not change a superuser at all.
        is_national = (
            self.data.get("is_superuser") in ("on", "true", "1") or NATIONAL_ADMINISTRATOR in roles
        )
        cleaned = [form.cleaned_data for form in self.forms if form.is_valid()]
        has_organisation = any(data.get("organisation") for data in cleaned)
        has_municipality = any(data.get("municipalities") for data in cleaned)
        if not is_national and ADMINISTRATOR not in roles and not has_organisation:
            raise ValidationError(
                _("Välj aktör: alla användare utom administratörer hör till en aktör.")
            )
        if not is_national and roles & {ADMINISTRATOR, SECRETARY} and not has_municipality:
            raise ValidationError(
                _("Välj kommuner: sekreterare och administratörer arbetar i sina kommuner.")
            )


class StaffProfileInline(SafeRelatedFieldsMixin, InlineObjectPermissionsMixin, admin.StackedInline):
    model = StaffProfile
    formset = StaffProfileFormSet
    min_num = 0
    max_num = 1
    can_delete = False
    fields = ["organisation", "municipalities"]
    autocomplete_fields = ["organisation", "municipalities"]
    verbose_name = _("aktör och kommuner")
    verbose_name_plural = _("aktör och kommuner")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(SafeRelatedFieldsMixin, ObjectPermissionsAdminMixin, UserAdmin):
    """Users of the administrator's municipalities (all users for a national one).

    An administrator who is not national cannot make anyone a superuser or a
    national administrator, nor give single permissions: those fields are
    read-only or not offered to them (accounts.permissions has the user rules).
    """

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

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_national_administrator.test(request.user):
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and not is_national_administrator.test(request.user):
            formfield.queryset = formfield.queryset.exclude(name=NATIONAL_ADMINISTRATOR)
        return formfield

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            staff_user_place(actor=request.user, user=obj)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not StaffProfile:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's change message and history read from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for profile_form in formset.forms:
            if not profile_form.has_changed():
                continue
            is_new = profile_form.instance.pk is None
            profile = staff_profile_save(
                actor=request.user,
                user=form.instance,
                organisation=profile_form.cleaned_data.get("organisation"),
                municipalities=profile_form.cleaned_data.get("municipalities") or [],
            )
            if is_new:
                formset.new_objects.append(profile)
            else:
                formset.changed_objects.append((profile, profile_form.changed_data))

    @admin.display(description=_("aktör"), ordering="staff_profile__organisation__name")
    def organisation_display(self, obj) -> str:
        profile = getattr(obj, "staff_profile", None)
        if profile is None or profile.organisation is None:
            return "–"
        return profile.organisation.display_name

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
        @admin.action(permissions=["delete"],
            description=axes_admin.AccessAttemptAdmin.cleanup_expired_attempts.short_description,
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
