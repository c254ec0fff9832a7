"""Between the parser's result and the preview's forms, both ways.

The preview shows everything the parser found as editable forms; what the
administrator saves is read back into a ``ParsedMedborgarlofte`` for
``medborgarlofte_draft_create``, so the command line and the admin save alike.
"""

from dataclasses import dataclass

from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

from activities.medborgarlofte_draft import indicator_aggregation, indicator_target
from promises.medborgarlofte_import import (
    ParsedFocusArea,
    ParsedMedborgarlofte,
    ParsedPeriod,
    ParsedPromise,
    Target,
)


@dataclass
class EditedPromise(ParsedPromise):
    """A promise as the administrator left it, with the title they gave it."""

    edited_title: str = ""

    @property
    def title(self) -> str:
        return self.edited_title or super().title


def initial_data(parsed: ParsedMedborgarlofte, municipality) -> dict:
    """Initial values of the preview's forms: period, focus areas, promises, targets."""
    period = parsed.period
    period_initial = {
        "municipality": municipality.pk,
        "name": period.name if period else "",
        "starts_on": period.starts_on if period else None,
        "ends_on": period.ends_on if period else None,
        "purpose": " ".join(parsed.purpose),
        "situation": " ".join(parsed.situation),
        "outcome": " ".join(parsed.outcome),
        "follow_up_text": " ".join(parsed.follow_up_text),
        "follow_up_cadence": parsed.follow_up.cadence if parsed.follow_up else "",
    }
    promises, targets = [], []
    for number, promise in enumerate(parsed.promises, start=1):
        promises.append(
            {
                "title": promise.title[:200],
                "text": promise.text,
                "parties": ", ".join(dict.fromkeys(promise.parties + promise.partners)),
                "focus_areas": ", ".join(promise.focus_areas),
                "with_residents": promise.with_residents,
            }
        )
        for target in promise.targets:
            quantity, cadence = indicator_target(target)
            targets.append(
                {
                    "promise": number,
                    "text": (target.text[:1].upper() + target.text[1:])[:200],
                    "quantity": quantity,
                    "unit": target.unit or _("antal"),
                    "cadence": cadence,
                    "comparison": target.comparison,
                    "aggregation": indicator_aggregation(target),
                }
            )
    return {
        "period": period_initial,
        "focus_areas": [{"name": area.name[:200]} for area in parsed.focus_areas],
        "promises": promises,
        "targets": targets,
        "period_text": list(parsed.period_text),
    }


def preview_field_count(forms, unclassified: list[str]) -> int:
    """How many fields saving the preview posts at most. Django refuses a post with more
    than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (a 400), so a preview beyond that could never
    be saved."""
    count = 2 + len(unclassified)  # the CSRF token and "save", one field per sentence
    for form in forms:
        if isinstance(form, BaseFormSet):
            count += len(form.management_form.fields)
            count += sum(len(row.fields) for row in form.forms)
        else:
            count += len(form.fields)
    return count


def _kept(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _promise_rows(promise_formset) -> list[dict | None]:
    """The promise table's rows by their number (the first is 1, as the table shows
    them): each row's values, or None when it is deleted or left empty."""
    rows = []
    for form in promise_formset.forms:
        data = getattr(form, "cleaned_data", None)
        rows.append(data if data and not data.get("DELETE") else None)
    return rows


def _is_deleted(formset, number: int) -> bool:
    form = formset.forms[number - 1] if 0 < number <= len(formset.forms) else None
    return bool(form is not None and getattr(form, "cleaned_data", {}).get("DELETE"))


def check_references(focus_area_formset, promise_formset, target_formset) -> bool:
    """Promises name focus areas of the list; targets name a kept promise by its row number."""
    names = {row["name"] for row in _kept(focus_area_formset)}
    rows = _promise_rows(promise_formset)
    valid = True
    for form in promise_formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        unknown = [name for name in split_names(data["focus_areas"]) if name not in names]
        if unknown:
            form.add_error(
                "focus_areas",
                _("Finns inte bland fokusområdena: %(names)s.") % {"names": ", ".join(unknown)},
            )
            valid = False
    for form in target_formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        number = data["promise"]
        if number <= len(rows) and rows[number - 1] is not None:
            continue
        if _is_deleted(promise_formset, number):
            message = _(
                "Löfte nummer %(number)s tas bort. Ta bort måttet också, eller ange ett "
                "annat löfte."
            )
        else:
            message = _("Det finns inget löfte nummer %(number)s.")
        form.add_error("promise", message % {"number": number})
        valid = False
    return valid


def parsed_from_forms(
    period_form, focus_area_formset, promise_formset, target_formset
) -> ParsedMedborgarlofte:
    """What the administrator saw and corrected, as the parser's result."""
    data = period_form.cleaned_data
    # A target names its promise by the row's number in the table, deleted rows included.
    promise_of: dict[int, EditedPromise] = {}
    for number, row in enumerate(_promise_rows(promise_formset), start=1):
        if row is not None:
            promise_of[number] = EditedPromise(
                text=row["text"],
                edited_title=row["title"],
                parties=split_names(row["parties"]),
                with_residents=row["with_residents"],
                focus_areas=split_names(row["focus_areas"]),
            )
    promises = list(promise_of.values())
    for row in _kept(target_formset):
        promise_of[row["promise"]].targets.append(
            Target(
                text=row["text"],
                quantity=row["quantity"],
                unit=row["unit"],
                cadence=row["cadence"],
                comparison=row["comparison"],
                aggregation=row["aggregation"],
            )
        )
    return ParsedMedborgarlofte(
        period=ParsedPeriod(
            name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"]
        ),
        purpose=[data["purpose"]] if data["purpose"] else [],
        situation=[data["situation"]] if data["situation"] else [],
        outcome=[data["outcome"]] if data["outcome"] else [],
        follow_up_text=[data["follow_up_text"]] if data["follow_up_text"] else [],
        focus_areas=[
            ParsedFocusArea(name=row["name"], text=row["name"]) for row in _kept(focus_area_formset)
        ],
        promises=promises,
    )
