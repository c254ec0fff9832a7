from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_permissions import ObjectPermissionsAdminMixin

# django-otp's own admin shows and edits each device's secret key, which would
# let anyone with admin access read another user's second factor. Here devices
# can only be listed and removed (a user who lost their phone sets up a new one).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ObjectPermissionsAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
