"""Import of activity plans (CSV or XLSX) into one period, all rows or none.

One row is one activity. Promises are named by their short name in the address
(slug) or their title within the chosen period; organisations by slug, name or
short name; several co-responsible organisations are separated by semicolons.
Re-importing the same file changes nothing: a row is matched to an existing
activity by promise and title.

The importing user needs ``activities.import_activity``, and every row is
written through ``activities.services.activity_save`` (as that user), so the
plan's rules hold for an import as for the change form.
"""

import datetime
import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.forms import ConfirmImportForm, ImportForm

from accounts.permissions import require
from activities.models import Activity
from activities.services import activity_save
from promises.models import Organisation, Period, Promise

ALLOWED_EXTENSIONS = (".csv", ".xlsx")

COLUMNS = {
    "promise": "löfte",
    "title": "rubrik",
    "description": "beskrivning",
    "lead_organisation": "ansvarig aktör",
    "other_organisations": "medansvariga aktörer",
    "planned_start": "planerad start",
    "planned_end": "planerat slut",
    "place": "plats",
    "weight": "vikt",
}


def _text(value) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        # PostgreSQL stores no NUL character in text and refuses it in a lookup.
        raise ValueError(_("Cellen innehåller ett otillåtet tecken (NUL)."))
    return text


class PromiseWidget(widgets.ForeignKeyWidget):
    """A promise of the chosen period, by slug or title."""

    def __init__(self, period: Period | None = None):
        super().__init__(Promise)
        self.period = period

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            raise ValueError(_("Ange löftet (kortnamn eller rubrik)."))
        if self.period is None:
            raise ValueError(_("Välj vilken löftesperiod planen gäller."))
        promise = (
            Promise.objects.filter(period=self.period)
            .filter(Q(slug__iexact=name) | Q(title__iexact=name))
            .first()
        )
        if promise is None:
            raise ValueError(
                _("Det finns inget löfte ”%(name)s” i perioden %(period)s.")
                % {"name": name, "period": self.period}
            )
        return promise

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


def _find_organisation(name: str) -> Organisation:
    organisation = Organisation.objects.filter(
        Q(slug__iexact=name) | Q(name__iexact=name) | Q(short_name__iexact=name)
    ).first()
    if organisation is None:
        raise ValueError(_("Okänd aktör: ”%(name)s”.") % {"name": name})
    return organisation


class OrganisationWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Organisation)

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            raise ValueError(_("Ange den ansvariga aktören."))
        return _find_organisation(name)

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class OrganisationsWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Organisation, separator=";")

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in _text(value).split(";") if name.strip()]
        return [_find_organisation(name) for name in names]

    def render(self, value, obj=None, **kwargs):
        return ";".join(organisation.slug for organisation in value.all()) if value else ""


class SwedishDateWidget(widgets.DateWidget):
    """ÅÅÅÅ-MM-DD, or a date cell from a spreadsheet."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if value is None or _text(value) == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.datetime.strptime(_text(value), "%Y-%m-%d").date()
        except ValueError:
            raise ValueError(
                _("Ogiltigt datum ”%(value)s”; skriv ÅÅÅÅ-MM-DD.") % {"value": value}
            ) from None


class WeightWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or _text(value) == "":
            return 1
        try:
            number = float(_text(value).replace(",", "."))
        except ValueError:
            raise ValueError(
                _("Vikten måste vara ett heltal mellan 1 och 100, inte ”%(value)s”.")
                % {"value": value}
            ) from None
        if not number.is_integer():
            raise ValueError(
                _("Vikten måste vara ett heltal mellan 1 och 100, inte ”%(value)s”.")
                % {"value": value}
            )
        return int(number)


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)


class ActivityPlanResource(resources.ModelResource):
    promise = fields.Field(attribute="promise", column_name=COLUMNS["promise"])
    title = fields.Field(attribute="title", column_name=COLUMNS["title"], widget=TextWidget())
    description = fields.Field(
        attribute="description", column_name=COLUMNS["description"], widget=TextWidget()
    )
    lead_organisation = fields.Field(
        attribute="lead_organisation",
        column_name=COLUMNS["lead_organisation"],
        widget=OrganisationWidget(),
    )
    other_organisations = fields.Field(
        attribute="other_organisations",
        column_name=COLUMNS["other_organisations"],
        widget=OrganisationsWidget(),
    )
    planned_start = fields.Field(
        attribute="planned_start", column_name=COLUMNS["planned_start"], widget=SwedishDateWidget()
    )
    planned_end = fields.Field(
        attribute="planned_end", column_name=COLUMNS["planned_end"], widget=SwedishDateWidget()
    )
    place = fields.Field(attribute="place", column_name=COLUMNS["place"], widget=TextWidget())
    weight = fields.Field(attribute="weight", column_name=COLUMNS["weight"], widget=WeightWidget())

    class Meta:
        model = Activity
        fields = tuple(COLUMNS)
        import_id_fields = ("promise", "title")
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True
        name = gettext_lazy("Aktivitetsplan")

    def __init__(self, period: Period | None = None, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.period = period
        self.user = user
        self.fields["promise"].widget = PromiseWidget(period)

    def import_data(self, dataset, **kwargs):
        require(self.user, "activities.import_activity")
        # All or nothing: a row with a validation error undoes every row.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Each row through the service, co-responsible organisations included."""
        self.before_save_instance(instance, row, **kwargs)
        others = self.fields["other_organisations"]
        activity_save(
            user=self.user,
            activity=instance,
            other_organisations=others.clean(row) if others.column_name in row else None,
        )
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        # Saved by activity_save in save_instance.
        pass

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown promise: reported beside its column by import_instance.
            return None

    def import_instance(self, instance, row, **kwargs):
        """Check the co-responsible organisations too, so their errors name the column."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.fields["other_organisations"].clean(row)
        except ValueError as error:
            errors["other_organisations"] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def before_import(self, dataset, **kwargs):
        missing = [
            column
            for column in (COLUMNS["promise"], COLUMNS["title"], COLUMNS["lead_organisation"])
            if column not in (dataset.headers or [])
        ]
        if missing:
            raise ValueError(
                _("Filen saknar kolumnerna: %(columns)s.") % {"columns": ", ".join(missing)}
            )


def _period_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=gettext_lazy("Löftesperiod"),
        queryset=Period.objects.select_related("municipality"),
        help_text=gettext_lazy("Aktiviteterna läggs under löftena i den här perioden."),
    )


class ActivityPlanImportForm(ImportForm):
    """The upload: a period, and a small CSV or XLSX file."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats
        self.fields["period"] = _period_field()
        self.fields["import_file"].label = gettext_lazy("Fil med aktivitetsplanen")
        self.fields["import_file"].help_text = gettext_lazy(
            "CSV (UTF-8) eller XLSX, högst %(size)s. Kolumner: %(columns)s. "
            "Flera medansvariga aktörer skiljs åt med semikolon; datum skrivs ÅÅÅÅ-MM-DD."
        ) % {
            "size": filesizeformat(settings.ACTIVITY_IMPORT_MAX_BYTES),
            "columns": ", ".join(COLUMNS.values()),
        }
        self.fields["import_file"].widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)
        self.fields["format"].label = gettext_lazy("Filformat")
        self.order_fields(["period", "resource", "import_file", "format"])

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(_("Välj en CSV- eller XLSX-fil."))
        if upload.size > settings.ACTIVITY_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor: högst %(size)s.")
                % {"size": filesizeformat(settings.ACTIVITY_IMPORT_MAX_BYTES)}
            )
        if extension == ".xlsx" and upload.read(2) != b"PK":
            raise forms.ValidationError(_("Filen är inte en XLSX-fil."))
        upload.seek(0)
        return upload

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        chosen = cleaned_data.get("format")
        if upload is not None and chosen not in (None, ""):
            input_format = self.import_formats[int(chosen)]()
            extension = os.path.splitext(upload.name)[1].lower()
            if extension != "." + input_format.get_extension():
                self.add_error("format", _("Filformatet stämmer inte med filens ändelse."))
            else:
                self._check_readable(upload, input_format)
        return cleaned_data

    def _check_readable(self, upload, input_format) -> None:
        """Read the file as the import will, so that a broken one gets a Swedish message
        here instead of django-import-export's English one."""
        content = upload.read()
        upload.seek(0)
        if not input_format.is_binary():
            try:
                content = content.decode("utf-8-sig")  # the admin's from_encoding
            except UnicodeDecodeError:
                self.add_error("import_file", _("Filen är inte en CSV-fil i UTF-8."))
                return
        try:
            dataset = input_format.create_dataset(content)
        except Exception:  # whatever the parser raises, the file cannot be imported
            self.add_error(
                "import_file",
                _("Filen gick inte att läsa som %(format)s.")
                % {"format": input_format.get_title().upper()},
            )
            return
        if not dataset:
            self.add_error(
                "import_file", _("Filen har inga rader med aktiviteter under rubrikraden.")
            )


class ActivityPlanConfirmForm(ConfirmImportForm):
    period = forms.ModelChoiceField(queryset=Period.objects.all(), widget=forms.HiddenInput)
