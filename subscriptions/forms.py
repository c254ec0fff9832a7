from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from accounts.form_guard import GuardedForm

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a path, and the model field's


class SubscribeForm(GuardedForm):
    email = forms.CharField(
        label=_("Din e-postadress"),
        max_length=EMAIL_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("Skriv din e-postadress."),
            "max_length": _("E-postadressen får vara högst %(limit_value)d tecken lång."),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        ),
    )
    field_order = ["email", "website", "started"]

    def clean_email(self) -> str:
        address = self.cleaned_data["email"]
        # Django's validator takes international domain names; odd characters such
        # as control or zero-width characters, quotes and HTML it refuses.
        if not address.isprintable() or any(ch.isspace() for ch in address):
            raise forms.ValidationError(self._invalid, code="invalid")
        try:
            EmailValidator()(address)
        except forms.ValidationError:
            raise forms.ValidationError(self._invalid, code="invalid") from None
        return address

    _invalid = _("Skriv en e-postadress som namn@exempel.se.")
