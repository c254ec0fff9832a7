from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin import StaffUserAdmin
from accounts.admin_permissions import ObjectPermissionsAdminMixin
from accounts.permissions import allowed
from twofactor import services
from twofactor.forms import ResetForm
from twofactor.models import Authenticator

# django-otp's own admins show and edit each device's secret key and backup
# codes, which would let anyone with admin access read another user's second
# factor, and would change devices past the service. Here authenticators can
# only be listed; a user who lost their phone is reset from the user list
# (logged, with a reason), and backup codes are not shown at all. The devices are
# listed through a proxy that names them in Swedish (twofactor.models).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(Authenticator)
class AuthenticatorAdmin(ObjectPermissionsAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields



User = get_user_model()


class TwoFactorUserAdmin(StaffUserAdmin):
    """The accounts app's user admin, plus the reset of a user's two-factor login.

    Added here rather than in accounts.admin so that accounts, lower in the
    layers, does not import this app.
    """

    actions = [*(StaffUserAdmin.actions or ()), "two_factor_reset"]

    def has_reset_two_factor_permission(self, request: HttpRequest) -> bool:
        return allowed(request.user, services.RESET_PERMISSION)

    @admin.action(permissions=["reset_two_factor"],
        description=gettext_lazy("Återställ tvåfaktorsinloggning"),
    )
    def two_factor_reset(self, request: HttpRequest, queryset: QuerySet):
        form = ResetForm(request.POST if request.POST.get("confirm") == "yes" else None)
        if form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    for user in queryset:
                        services.two_factor_reset(
                            request.user, user, reason=form.cleaned_data["reason"]
                        )
            except PermissionDenied:
                self.message_user(
                    request,
                    _(
                        "Du får inte återställa tvåfaktorsinloggningen för någon av de valda "
                        "användarna (inte din egen, och en superanvändares bara som "
                        "superanvändare). Ingenting ändrades."
                    ),
                    messages.ERROR,
                )
                return None
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    _("Tvåfaktorsinloggningen återställdes för %(count)d användare.")
                    % {"count": len(queryset)},
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/twofactor/reset_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Återställ tvåfaktorsinloggning"),
                "opts": self.model._meta,
                "queryset": queryset,
                "form": form,
                "action_name": "two_factor_reset",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


admin.site.unregister(User)
admin.site.register(User, TwoFactorUserAdmin)
