from django import forms
from django.utils.translation import gettext_lazy as _

from promises.models import FocusArea, Organisation, Promise

LATE = "forsenad"
INVALID_CHOICE = _("”%(value)s” finns inte bland alternativen. Välj ett alternativ i listan.")


class PromiseFilterForm(forms.Form):
    """The promise list's filters, sent with GET. Unknown values are errors, not 500s."""

    omrade = forms.ChoiceField(
        label=_("Prioriterat område"),
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    aktor = forms.ChoiceField(
        label=_("Aktör"), required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )

    def __init__(
        self,
        data,
        *,
        focus_areas: list[FocusArea],
        organisations: list[Organisation],
    ):
        super().__init__(data)
        self._focus_areas = {area.slug: area for area in focus_areas}
        self._organisations = {organisation.slug: organisation for organisation in organisations}
        everything = [("", _("Alla"))]
        self.fields["omrade"].choices = everything + [(a.slug, a.name) for a in focus_areas]
        self.fields["aktor"].choices = everything + [
            (o.slug, o.display_name) for o in organisations
        ]
        self.fields["status"].choices = [
            *everything,
            *Promise.Status.choices,
            (LATE, _("Har försenade aktiviteter")),
        ]

    def filters(self) -> dict:
        """Keyword arguments for ``promise_list``: only the filters that are valid."""
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or ""
        return {
            "focus_area": self._focus_areas.get(data.get("omrade") or ""),
            "organisation": self._organisations.get(data.get("aktor") or ""),
            "status": status if status and status != LATE else None,
            "late_only": status == LATE,
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())
