import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import (
    EARLIEST_MEASUREMENT_DATE,
    MEASUREMENT_SOURCE_MAX_LENGTH,
    TEXT_TOO_LONG,
    UPDATE_TEXT_MAX_LENGTH,
    Activity,
    Indicator,
    ProgressUpdate,
)
from activities.services import MeasurementInput

MISSING_FORM_KEY = _(
    "Formuläret kom fram utan sin engångsnyckel, så ingenting sparades. "
    "Kontrollera uppgifterna och tryck på Spara igen."
)


class LimitedTextField(forms.CharField):
    """A free-text field with a length limit, its Swedish message and a live counter.

    ``data-counter`` lets ``static/js/character-count.js`` show the characters
    left; without JavaScript the browser's ``maxlength`` and the server's
    message keep the limit. Line breaks count as one character, as the counter
    and the browser count them (a form sends each as two, CR LF).
    """

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("error_messages", {})["max_length"] = TEXT_TOO_LONG
        super().__init__(max_length=max_length, **kwargs)
        # The counter's words, translated here; the script puts the number in.
        self.widget.attrs["data-counter"] = ""
        self.widget.attrs["data-counter-left"] = _("Du har %(count)s tecken kvar")
        self.widget.attrs["data-counter-over"] = _("Du har %(count)s tecken för mycket")

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ProgressFieldsMixin:
    """Status, percent and text. That status and percent agree is the model's rule
    (``ProgressUpdate``'s constraints): the service reports it beside the field."""

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
        self.fields["text"] = LimitedTextField(
            label=_("Vad har gjorts?"),
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=UPDATE_TEXT_MAX_LENGTH,
            help_text=_("Skriv kort vad som har hänt sedan förra lägesrapporten."),
        )


class ReportForm(ProgressFieldsMixin, forms.Form):
    """One screen: status, percent, text and optionally a measurement."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, activity: Activity, indicators: list[Indicator], **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("submission_token", uuid.uuid4())
        initial.setdefault("measured_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.submitted_token = None
        if self.is_bound:
            self.submitted_token = _as_uuid(self.data.get("submission_token"))
            if self.submitted_token is None:
                # Shown again with a fresh key, so the next submit can be saved once.
                self.data = self.data.copy()
                self.data["submission_token"] = str(uuid.uuid4())
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
        """The form's one-time key, which makes a double submit save once.

        A missing or mangled key would let a double submit save twice, so the
        form is shown again (with a fresh key) instead of being saved.
        """
        return self.submitted_token

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.submitted_token is None:
            # A form-wide error: the key is a hidden field, with no place of its own.
            self.add_error(None, forms.ValidationError(MISSING_FORM_KEY, code="missing_form_key"))
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


class MeasurementChangeForm(forms.Form):
    """Correcting one's own mistyped measurement within 24 hours."""

    value = forms.DecimalField(
        label=_("Värde"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    measured_on = forms.DateField(
        label=_("Mätdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"] = LimitedTextField(
            label=_("Källa"),
            required=False,
            widget=forms.TextInput(),
            max_length=MEASUREMENT_SOURCE_MAX_LENGTH,
            help_text=_("Var värdet kommer ifrån, till exempel polisens statistik."),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except (TypeError, ValueError, AttributeError):
        return None
