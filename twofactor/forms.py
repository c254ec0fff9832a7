from django import forms
from django.utils.translation import gettext_lazy as _

from twofactor import services


def _code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
    )


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app being set up."""

    token = forms.CharField(
        label=_("Kod från appen"),
        help_text=_("Sex siffror från autentiseringsappen i telefonen."),
        max_length=20,
        widget=_code_widget(),
    )

    def clean_token(self) -> str:
        token = services.normalize_code(self.cleaned_data["token"])
        if not services.is_totp_code(token):
            raise forms.ValidationError(_("Koden är sex siffror."))
        return token


def _clean_current_code(value: str) -> str:
    code = services.normalize_code(value)
    if not (services.is_totp_code(code) or services.is_backup_code(code)):
        raise forms.ValidationError(
            _(
                "Skriv sex siffror från appen eller en reservkod "
                "(åtta tecken, till exempel abcd-efgh)."
            )
        )
    return code


class CodeForm(forms.Form):
    """The code entry after a password login: the app's code or a backup code."""

    token = forms.CharField(
        label=_("Kod från appen eller reservkod"),
        help_text=_("Sex siffror från autentiseringsappen, eller en av dina reservkoder."),
        max_length=20,
        widget=_code_widget(),
    )

    def clean_token(self) -> str:
        return _clean_current_code(self.cleaned_data["token"])


class CurrentCodeForm(forms.Form):
    """Proof that the user holds the second factor they are about to change."""

    current_code = forms.CharField(
        label=_("Nuvarande kod eller reservkod"),
        help_text=_("En kod från appen du använder nu, eller en av dina reservkoder."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_current_code(self) -> str:
        return _clean_current_code(self.cleaned_data["current_code"])


class ReplaceForm(TokenForm, CurrentCodeForm):
    """A new phone: a code from the new app and one from the old app (or a backup code)."""

    field_order = ["current_code", "token"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].label = _("Kod från den nya appen")
        self.fields["token"].widget.attrs.pop("autofocus", None)
        self.fields["current_code"].widget.attrs["autofocus"] = True


class ResetForm(forms.Form):
    """An administrator's reason for resetting another user's two-factor login."""

    reason = forms.CharField(
        label=_("Skäl"),
        help_text=_("Till exempel: tappade bort telefonen, identiteten kontrollerad per telefon."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
