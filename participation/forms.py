from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.form_guard import GuardedForm
from participation.models import DISPLAY_NAME_MAX_LENGTH, QUESTION_MAX_LENGTH, Question


class QuestionForm(GuardedForm):
    """What a resident sends the council, behind the honeypot and signed fill time of
    ``accounts.form_guard`` (the view also asks its limit per client address)."""

    min_fill_seconds_setting = "QUESTION_MIN_FILL_SECONDS"
    field_order = ["message", "display_name", "email", "website", "started"]

    message = forms.CharField(
        label=_("Din fråga eller ditt förslag"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Högst 2 000 tecken. Skriv inte namn på andra personer."),
        error_messages={
            "required": _("Skriv din fråga eller ditt förslag."),
            "max_length": _("Skriv högst %(limit_value)d tecken (nu %(show_value)d)."),
        },
    )
    display_name = forms.CharField(
        label=_("Namn att visa (frivilligt)"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=_("Visas vid frågan om den publiceras. Lämna tomt för att vara anonym."),
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    email = forms.EmailField(
        label=_("E-postadress för svar (frivilligt)"),
        required=False,
        max_length=254,
        help_text=_("Visas aldrig. Vi mejlar dig rådets svar och tar sedan bort adressen."),
        error_messages={
            "invalid": _("Skriv en giltig e-postadress, eller lämna fältet tomt."),
            "max_length": _("E-postadressen får vara högst %(limit_value)d tecken lång."),
        },
    )

    def clean_message(self) -> str:
        return _reject_control_characters(self.cleaned_data["message"], "message")

    def clean_display_name(self) -> str:
        return _reject_control_characters(self.cleaned_data["display_name"], "display_name")


def _reject_control_characters(value: str, field: str) -> str:
    # Text may hold any letters and emoji (joiners included); control characters
    # (other than line breaks and tabs), zero-width spaces and direction overrides
    # only hide or reorder what is written.
    hidden = {
        "\u200b",
        "\u2060",
        "\ufeff",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
    }
    if any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 or c in hidden for c in value):
        raise ValidationError(
            _("Texten innehåller osynliga styrtecken. Skriv den med vanliga tecken."),
            code="control_characters",
        )
    return value


class QuestionFilterForm(forms.Form):
    """The filters of a municipality's "Frågor och svar" page (sent with GET)."""

    ANSWERED = "ja"
    UNANSWERED = "nej"

    omrade = forms.TypedChoiceField(label=_("Område"), required=False, coerce=int, empty_value=None)
    besvarad = forms.ChoiceField(
        label=_("Besvarad"),
        required=False,
        choices=[("", _("Alla")), (ANSWERED, _("Besvarade")), (UNANSWERED, _("Väntar på svar"))],
    )

    def __init__(self, *args, focus_areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omrade"].choices = [("", _("Alla områden"))] + [
            (area.pk, f"{area.name} ({area.period.name})") for area in focus_areas
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "focus_area_id": self.cleaned_data.get("omrade"),
            "answered": {self.ANSWERED: True, self.UNANSWERED: False}.get(
                self.cleaned_data.get("besvarad")
            ),
        }


__all__ = ["Question", "QuestionFilterForm", "QuestionForm"]
