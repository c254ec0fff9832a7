from django import forms
from django.utils.translation import gettext_lazy as _

from followup.overview import Sort
from promises.models import County, FocusArea, Organisation, Promise

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


# The overview's sort orders as the address says them -> what the domain sorts by.
OVERVIEW_SORTS = {
    "namn": (Sort.NAME, _("Namn (A–Ö)")),
    "framsteg": (Sort.PROGRESS, _("Framsteg (högst först)")),
    "uppfoljning": (Sort.LAST_FOLLOW_UP, _("Senaste uppföljning (nyast först)")),
}
SEARCH_MAX_LENGTH = 100
# Municipalities per page of the overview: all 290 on one page would be some 300 KB of
# HTML, too much for a phone (and for the page cache's throughput).
OVERVIEW_PAGE_SIZE = 50


class OverviewFilterForm(forms.Form):
    """The national overview's county filter, name search and sorting, sent with GET.

    A value that is not among the choices is shown as an error beside its field and
    left out; the rest of the form still applies.
    """

    lan = forms.ChoiceField(
        label=_("Län"), required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    q = forms.CharField(
        label=_("Kommunens namn"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": _("Skriv högst %(limit_value)d tecken.")},
    )
    sortera = forms.ChoiceField(
        label=_("Sortera efter"),
        required=False,
        choices=[(value, label) for value, (_sort, label) in OVERVIEW_SORTS.items()],
        error_messages={"invalid_choice": INVALID_CHOICE},
    )

    def __init__(self, data, *, counties: list[County]):
        super().__init__(data)
        self.fields["lan"].choices = [("", _("Alla län"))] + [(c.code, c.name) for c in counties]

    def filters(self) -> dict:
        """Keyword arguments for ``national_overview``: only the values that are valid."""
        data = getattr(self, "cleaned_data", {})
        sort = OVERVIEW_SORTS.get(data.get("sortera") or "namn", OVERVIEW_SORTS["namn"])[0]
        return {
            "county": data.get("lan") or "",
            "search": data.get("q") or "",
            "sort": sort,
        }

    def page_number(self) -> str:
        """The page asked for (``sida``), for ``Paginator.get_page``: a malformed number
        is the first page and one past the end the last, never an error."""
        return str(self.data.get("sida", ""))[:10]

    @property
    def is_filtered(self) -> bool:
        filters = self.filters()
        return bool(filters["county"] or filters["search"])
