"""Build the POST data of an admin add/change page from its rendered forms, like a browser."""

import datetime

from django import forms


def _value(value):
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _add_form(data: dict, form) -> None:
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None or value is False:
            continue
        widget = getattr(form.fields[name].widget, "widget", form.fields[name].widget)
        if isinstance(widget, forms.MultiWidget):
            parts = value if isinstance(value, list) else widget.decompress(value)
            for suffix, part in zip(widget.widgets_names, parts, strict=True):
                if part is not None:
                    data[bound.html_name + suffix] = _value(part)
        elif value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[bound.html_name] = _value(value)


def admin_form_data(response, **changes) -> dict:
    """The page's current values (main form and every inline), then ``changes`` on top."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    # A version's page in the history (django-simple-history) has no inlines.
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return data
