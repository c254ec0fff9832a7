"""Admin mixins that ask ``accounts.permissions`` about each object, within the
user's municipalities (``accounts.municipalities``)."""

from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from accounts.municipalities import (
    for_user,
    has_municipality,
    is_national_administrator,
    object_municipality_ids,
    user_municipality_ids,
)


def _scoped_choices(formfield, request: HttpRequest):
    """Only the user's municipalities' objects can be chosen (and so submitted)."""
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None and has_municipality(queryset.model):
        formfield.queryset = for_user(request.user, queryset)
    return formfield


class MunicipalityChoicesMixin:
    """Related-object fields (select, autocomplete, many-to-many) offer and accept
    only objects of the user's municipalities."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scoped_choices(formfield, request)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_choices(formfield, request)


class ObjectPermissionsAdminMixin(MunicipalityChoicesMixin):
    """Asks ``accounts.permissions`` about the object itself, not only the model.

    Without an object (the changelist, the add button) Django's model permissions
    answer; with one, the object-level rules do. The lists, and so every address
    of an object (change, delete, history), hold only the user's municipalities'
    objects: another municipality's object is not found (404).
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return for_user(request.user, super().get_queryset(request))

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        """An object outside the list (another municipality's, or none at all) is
        not found: Django's admin would redirect to its index with a message that
        names the id instead."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

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

    # --- The history (django-simple-history) --------------------------------------
    # Its views find the object themselves and fall back to the historical record,
    # which would answer "forbidden" about another municipality's object; it is
    # "not found", like the change page.

    def _history_in_scope_or_404(self, request: HttpRequest, object_id: str) -> None:
        if is_national_administrator.test(request.user):
            return
        try:
            if self.get_queryset(request).filter(pk=object_id).exists():
                return
            if self.model._default_manager.filter(pk=object_id).exists():
                raise Http404
        except (ValueError, TypeError, ValidationError):
            raise Http404 from None
        # Deleted: the last record says where it was.
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        pk_name = self.model._meta.pk.attname  # a record's own pk is its history_id
        record = history.filter(**{pk_name: object_id}).order_by("-history_date").first()
        if record is not None and not (
            object_municipality_ids(record.instance) & user_municipality_ids(request.user)
        ):
            raise Http404

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        self._history_in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        self._history_in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class InlineObjectPermissionsMixin(MunicipalityChoicesMixin):
    """For inlines: the parent object decides (only administrators edit a published plan).

    The parent is one of the user's municipalities' objects (its admin's list
    holds no others), and so are its rows; their choices are limited like the
    parent's.
    """

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
