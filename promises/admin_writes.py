"""The admin's writes, routed through the services (``<app>/services.py``).

Django's ModelAdmin saves and deletes by itself; the hooks below hand every
write to a service instead, so the permission check and validation in the
service hold for the change form, the delete page, the bulk delete action,
the inlines and django-simple-history's revert form (which calls
``save_model``) alike.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

# (user, obj, form or None) -> None; the form gives many-to-many values.
SaveService = Callable[..., None]
# (user, obj) -> None; raises ValidationError when the object must stay.
DeleteService = Callable[..., None]


def m2m_values(form: ModelForm | None, *names: str) -> dict:
    """The many-to-many values the form posted, by field name (left out when not on the form)."""
    if form is None:
        return {}
    data = getattr(form, "cleaned_data", {})
    return {name: data[name] for name in names if name in data}


class ServiceWritesAdminMixin:
    """A ModelAdmin whose saves and deletes go through ``service_save`` and ``service_delete``.

    ``inline_services`` maps an inline's model to its (save, delete) functions,
    each taking (user, obj) (and the form, None for inline rows, for save).
    """

    inline_services: dict[type[Model], tuple[SaveService, DeleteService | None]] = {}

    def service_save(self, user, obj, form) -> None:
        raise NotImplementedError

    def service_delete(self, user, obj) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        self.service_save(request.user, obj, form)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # The many-to-many fields were saved by the service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        save, delete = self.inline_services[formset.model]
        for obj in formset.save(commit=False):
            save(request.user, obj, None)
        for obj in formset.deleted_objects:
            if delete is None:
                continue
            delete(request.user, obj)

    def delete_model(self, request: HttpRequest, obj) -> None:
        self._delete(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self._delete(request, obj)

    def _delete(self, request: HttpRequest, obj) -> None:
        # The delete page refuses protected objects itself; this is for one that
        # gained a report between the confirmation page and the POST.
        try:
            self.service_delete(request.user, obj)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
