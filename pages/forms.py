import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w")


class SearchForm(forms.Form):
    """The search box, sent with GET so no CSRF cookie is needed."""

    q = forms.CharField(
        label=_("Sökord"),
        min_length=2,
        max_length=MAX_QUERY_LENGTH,
        required=True,
        error_messages={
            "required": _("Skriv ett eller flera ord att söka efter."),
            "min_length": _("Skriv minst %(limit_value)d tecken."),
            "max_length": _(
                "Sökningen får vara högst %(limit_value)d tecken lång (den är %(show_value)d)."
            ),
            "null_characters_not_allowed": _("Sökningen innehåller otillåtna tecken."),
        },
    )

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].split())
        if not WORD.search(query):
            raise ValidationError(_("Sökningen måste innehålla minst en bokstav eller siffra."))
        return query
