import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    EARLIEST_MEASUREMENT_DATE,
    Activity,
    Indicator,
    ProgressUpdate,
)
from activities.services import MeasurementInput

COMPLETED_NEEDS_100 = _(
    "En genomförd aktivitet är klar till 100 procent. Ange 100 eller välj en annan status."
)


class ProgressFieldsMixin:
    """Status, percent and text, with the rule that "Genomförd" means 100 percent."""

    def add_progress_fields(self) -> None:
        self.fields["status"] = forms.ChoiceField(
            label=_("Status"), choices=ProgressUpdate.Status.choices, widget=forms.RadioSelect
        )
        self.fields["percent_complete"] = forms.IntegerField(
            label=_("Procent klart"),
            min_value=0,
            max_value=100,
            help_text=_("Hur stor del av aktiviteten är gjord, 0–100."),
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        )
        self.fields["text"] = forms.CharField(
            label=_("Vad har gjorts?"),
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=5000,
            help_text=_("Skriv kort vad som har hänt sedan förra lägesrapporten."),
        )

    def clean_progress(self, cleaned_data: dict) -> None:
        if cleaned_data.get("status") == ProgressUpdate.Status.COMPLETED and cleaned_data.get(
            "percent_complete"
        ) not in (None, 100):
            self.add_error("percent_complete", COMPLETED_NEEDS_100)


class ReportForm(ProgressFieldsMixin, forms.Form):
    """One screen: status, percent, text and optionally a measurement."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, activity: Activity, indicators: list[Indicator], **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("submission_token", uuid.uuid4())
        initial.setdefault("measured_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.add_progress_fields()
        if indicators:
            self.fields["indicator"] = forms.ModelChoiceField(
                label=_("Mått"),
                queryset=Indicator.objects.filter(activity=activity),
                required=False,
                empty_label=_("Inget mätvärde den här gången"),
                help_text=_("Välj ett mått om du vill lämna ett mätvärde."),
            )
            # The choices come from the list already fetched, without a new query.
            self.fields["indicator"].choices = [
                ("", self.fields["indicator"].empty_label),
                *((indicator.pk, str(indicator)) for indicator in indicators),
            ]
            self.fields["value"] = forms.DecimalField(
                label=_("Värde"),
                required=False,
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
            self.fields["measured_on"] = forms.DateField(
                label=_("Mätdatum"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_submission_token(self) -> uuid.UUID:
        """The form's one-time key; a missing or mangled one is replaced, never an error."""
        try:
            return uuid.UUID(self.cleaned_data.get("submission_token") or "")
        except ValueError:
            return uuid.uuid4()

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self.clean_progress(cleaned_data)
        indicator = cleaned_data.get("indicator")
        value = cleaned_data.get("value")
        measured_on = cleaned_data.get("measured_on")
        if indicator is not None and value is None and "value" not in self.errors:
            self.add_error("value", _("Ange ett värde för måttet du valt."))
        if indicator is None and value is not None and "indicator" not in self.errors:
            self.add_error("indicator", _("Välj vilket mått värdet gäller."))
        if indicator is not None and measured_on is None and "measured_on" not in self.errors:
            self.add_error("measured_on", _("Ange vilket datum värdet gäller."))
        if measured_on is not None:
            if measured_on > timezone.localdate():
                self.add_error("measured_on", _("Ett mätvärde kan inte vara från framtiden."))
            elif measured_on < EARLIEST_MEASUREMENT_DATE:
                self.add_error("measured_on", _("Datumet måste ligga mellan år 2000 och 2100."))
        return cleaned_data

    def measurement_input(self) -> MeasurementInput | None:
        indicator = self.cleaned_data.get("indicator")
        if indicator is None:
            return None
        return MeasurementInput(
            indicator=indicator,
            value=self.cleaned_data["value"],
            measured_on=self.cleaned_data["measured_on"],
        )


class ReportChangeForm(ProgressFieldsMixin, forms.Form):
    """Correcting one's own update within 24 hours."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_progress_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self.clean_progress(cleaned_data)
        return cleaned_data
