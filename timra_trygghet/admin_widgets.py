"""Admin inputs for related objects that answer a submitted value that is no id with a
form error instead of a server error.

* Django's autocomplete widget shows a form again by looking up the submitted
  values as ids; a value such as ``abc`` made that lookup raise. These widgets
  leave values that are no id (or beyond the column's range) out of the lookup.
* A many-to-many field looks up all submitted ids with ``pk__in``; on SQLite an
  id beyond 64 bits overflowed there. ``SafeModelMultipleChoiceField`` refuses
  such ids first, with the field's own "not a valid value" message.

Every ModelAdmin and inline with related fields uses ``SafeRelatedFieldsMixin``.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connections


def is_id(target, value, using: str | None) -> bool:
    """Whether ``value`` can be looked up in the column of the model field ``target``."""
    try:
        python_value = target.to_python(value)
    except ValidationError:
        return False
    if isinstance(python_value, int):
        low, high = connections[using or "default"].ops.integer_field_range(
            target.get_internal_type()
        )
        return (low is None or python_value >= low) and (high is None or python_value <= high)
    return True


class _ValidIdsOnly:
    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        ids = [v for v in value if is_id(target, v, self.db)]
        return super().optgroups(name, ids, attr)


class SafeAutocompleteSelect(_ValidIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidIdsOnly, AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        # Before the field's own checks, which would hand a malformed id to the database.
        opts = self.queryset.model._meta
        target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value if isinstance(value, list | tuple) else ():
            if isinstance(pk, str) and not is_id(target, pk, self.queryset.db):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class SafeRelatedFieldsMixin:
    """For ModelAdmins and inlines: the widgets and field above for related fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
