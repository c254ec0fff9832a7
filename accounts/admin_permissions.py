"""Admin mixins that ask ``accounts.permissions`` about each object."""

from django.contrib.auth import get_permission_codename
from django.http import HttpRequest


class ObjectPermissionsAdminMixin:
    """Asks ``accounts.permissions`` about the object itself, not only the model.

    Without an object (the changelist, the add button) Django's model permissions
    answer; with one, the object-level rules do. Works for ModelAdmins and inlines.
    """

    def _has_object_permission(self, request: HttpRequest, action: str, obj=None) -> bool:
        perm = f"{self.opts.app_label}.{get_permission_codename(action, self.opts)}"
        return request.user.has_perm(perm, obj)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._has_object_permission(request, "view", obj) or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._has_object_permission(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._has_object_permission(request, "delete", obj)


class InlineObjectPermissionsMixin:
    """For inlines: the parent object decides (only administrators edit a published plan)."""

    def _parent_perm(self, request: HttpRequest, action: str, obj) -> bool:
        opts = self.parent_model._meta
        perm = f"{opts.app_label}.{get_permission_codename(action, opts)}"
        return request.user.has_perm(perm, obj)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (
            obj is None or self._parent_perm(request, "change", obj)
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or self._parent_perm(request, "change", obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or self._parent_perm(request, "change", obj)
        )
