"""The forms of the admin's onboarding: joining a municipality, importing its text."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from activities.models import Indicator
from followup.models import Council
from onboarding.services import AdministratorInput, JoinInput, joined_municipality_codes
from promises.medborgarlofte_import import UnreadableDocument, text_from_docx
from promises.services import municipality_rows


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MunicipalityJoinForm(forms.Form):
    code = forms.ChoiceField(label=_("Kommun"))
    council_name = forms.CharField(
        label=_("Rådets namn"),
        max_length=200,
        help_text=_("Till exempel Rådet för trygghet och hälsa."),
    )
    meeting_cadence = forms.ChoiceField(
        label=_("Rådet sammanträder"), choices=Council.MeetingCadence.choices, required=False
    )
    follow_up_cadence = forms.ChoiceField(
        label=_("Rådet följer upp löftena"),
        choices=Council.FollowUpCadence.choices,
        required=False,
    )
    police_area = forms.CharField(
        label=_("Lokalpolisområde"),
        max_length=150,
        help_text=_(
            "Till exempel Lokalpolisområde Sundsvall. Finns det redan läggs kommunen till."
        ),
    )
    municipality_organisation = forms.CharField(
        label=_("Kommunen som aktör"),
        max_length=150,
        required=False,
        help_text=_("Tomt: kommunens namn och ”kommun”."),
    )
    departments = forms.CharField(
        label=_("Kommunens förvaltningar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("En per rad, till exempel Socialtjänsten."),
    )
    partners = forms.CharField(
        label=_("Andra parter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("En per rad, till exempel räddningstjänsten eller en fastighetsägare."),
    )
    admin_username = forms.CharField(label=_("Administratörens användarnamn"), max_length=150)
    admin_first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    admin_last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    admin_email = forms.EmailField(label=_("E-postadress"), required=False)
    admin_password = forms.CharField(
        label=_("Lösenord"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Tomt: administratören väljer lösenord via ”Glömt lösenordet?”."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        joined = joined_municipality_codes()
        self.fields["code"].choices = [("", "---------")] + [
            (row.code, f"{row.name} ({row.code}, {row.county_name})")
            for row in sorted(municipality_rows(), key=lambda row: row.name)
            if row.code not in joined
        ]

    def clean_admin_password(self) -> str:
        password = self.cleaned_data["admin_password"]
        if password:
            validate_password(password)
        return password

    def for_service(self) -> JoinInput:
        data = self.cleaned_data
        return JoinInput(
            code=data["code"],
            council_name=data["council_name"],
            meeting_cadence=data["meeting_cadence"],
            follow_up_cadence=data["follow_up_cadence"],
            police_area=data["police_area"],
            municipality_organisation=data["municipality_organisation"],
            departments=_lines(data["departments"]),
            partners=_lines(data["partners"]),
            administrator=AdministratorInput(
                username=data["admin_username"],
                email=data["admin_email"],
                first_name=data["admin_first_name"],
                last_name=data["admin_last_name"],
                password=data["admin_password"] or None,
            ),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's errors beside their fields (those it keys by a field of this form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


# --- Importing a published medborgarlöfte ----------------------------------------

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A published medborgarlöfte is a few pages (Timrå's is some 2 500 characters). A limit
# keeps the parser and the preview within a request's time; a .docx of 2 MB can unpack
# to far more text than that.
MAX_SOURCE_CHARS = 100_000


def _municipality_field() -> forms.ModelChoiceField:
    """The municipality to import into: one of those the view offers (where the user
    may add a period); any other id, forged or stale, is refused beside the field."""
    return forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=None,
        error_messages={
            "invalid_choice": _(
                "Välj en kommun i listan. Du kan bara importera till en kommun där du "
                "får lägga till en löftesperiod."
            ),
        },
    )


class MedborgarlofteSourceForm(forms.Form):
    """Step 1: the municipality and the published text, pasted or as a .txt or .docx file."""

    municipality = _municipality_field()
    text = forms.CharField(
        label=_("Texten"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        help_text=_("Klistra in texten från den publicerade sidan, eller ladda upp en fil."),
    )
    file = forms.FileField(
        label=_("Eller en fil"),
        required=False,
        help_text=_(".txt (UTF-8) eller .docx."),
    )

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        text = (data.get("text") or "").strip()
        if upload and text:
            raise ValidationError(_("Klistra in texten eller ladda upp en fil, inte båda."))
        if upload:
            data["source_text"] = self._read(upload).strip()
            if not data["source_text"]:
                raise ValidationError({"file": _("Filen innehåller ingen text.")})
        elif text:
            data["source_text"] = text
        else:
            self.add_error("text", _("Klistra in texten eller välj en fil."))
        if len(data.get("source_text", "")) > MAX_SOURCE_CHARS:
            del data["source_text"]
            self.add_error(
                "file" if upload else "text",
                _(
                    "Texten är längre än %(limit)s tecken. Ta bort det som inte hör till "
                    "medborgarlöftet."
                )
                % {"limit": number_format(MAX_SOURCE_CHARS, force_grouping=True)},
            )
        if "\x00" in data.get("source_text", ""):
            self.add_error("text", _("Texten innehåller ett otillåtet tecken (NUL)."))
        return data

    def add_too_much_to_review_error(self) -> None:
        """The text parses into more than one post of the preview may carry back."""
        self.add_error(
            "file" if self.cleaned_data.get("file") else "text",
            _(
                "Texten ger för många löften, mått och meningar för att granskas på en gång. "
                "Ta bort det som inte hör till medborgarlöftet och försök igen."
            ),
        )

    def _read(self, upload) -> str:
        name = upload.name.lower()
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError({"file": _("Filen är större än 2 MB.")})
        data = upload.read()
        try:
            if name.endswith(".docx"):
                return text_from_docx(data)
            if name.endswith(".txt"):
                return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": _("Textfilen är inte i UTF-8.")}) from None
        except UnreadableDocument:
            raise ValidationError(
                {"file": _("Filen går inte att läsa som ett Word-dokument.")}
            ) from None
        raise ValidationError({"file": _("Bara .txt- och .docx-filer kan importeras.")})


class PeriodPreviewForm(forms.Form):
    """Step 2: the period and its framing text, as found, editable (the municipality
    too: shown, so that its error has a place beside it)."""

    municipality = _municipality_field()
    name = forms.CharField(label=_("Periodens namn"), max_length=60, required=False)
    starts_on = forms.DateField(label=_("Startdatum"), required=False)
    ends_on = forms.DateField(label=_("Slutdatum"), required=False)
    purpose = forms.CharField(
        label=_("Syfte"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    situation = forms.CharField(
        label=_("Situationen idag"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.CharField(
        label=_("Det här ska vi åstadkomma tillsammans"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    follow_up_text = forms.CharField(
        label=_("Uppföljning"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    follow_up_cadence = forms.ChoiceField(
        label=_("Rådet följer upp löftena"),
        choices=Council.FollowUpCadence.choices,
        required=False,
    )
    # Names this preview, so that a second submit of it finds the draft already saved.
    import_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self) -> dict:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on is None and "starts_on" not in self.errors:
            self.add_error("starts_on", _("Texten anger inget startdatum för perioden; ange det."))
        if ends_on is None and "ends_on" not in self.errors:
            self.add_error("ends_on", _("Texten anger inget slutdatum för perioden; ange det."))
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Slutdatumet ligger före startdatumet."))
        return data


class FocusAreaPreviewForm(forms.Form):
    name = forms.CharField(label=_("Fokusområde"), max_length=200)


class PromisePreviewForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    text = forms.CharField(label=_("Löftet, ordagrant"), widget=forms.Textarea(attrs={"rows": 3}))
    parties = forms.CharField(
        label=_("Parter"),
        max_length=300,
        required=False,
        help_text=_("Kommaseparerade, till exempel polisen, kommunen."),
    )
    focus_areas = forms.CharField(
        label=_("Fokusområden"),
        max_length=1000,
        required=False,
        help_text=_("Kommaseparerade namn ur listan över fokusområden."),
    )
    with_residents = forms.BooleanField(label=_("Tillsammans med invånarna"), required=False)


class TargetPreviewForm(forms.Form):
    """A measurable target of a promise, proposed as an indicator."""

    COMPARISONS = [
        ("at_least", _("minst")),
        ("at_most", _("högst")),
        ("exactly", _("exakt")),
        ("within", _("inom")),
    ]

    promise = forms.IntegerField(label=_("Löfte nr"), min_value=1)
    text = forms.CharField(
        label=_("Mått"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
    quantity = forms.DecimalField(label=_("Antal"), max_digits=12, decimal_places=2, min_value=0)
    unit = forms.CharField(label=_("Enhet"), max_length=40, required=False)
    # A blank first choice, so that the empty row for a new target stays empty (unchanged).
    cadence = forms.ChoiceField(
        label=_("Målet gäller"), choices=[("", "---------"), *Indicator.TargetCadence.choices]
    )
    comparison = forms.ChoiceField(label=_("Jämförelse"), choices=[("", "---------"), *COMPARISONS])
    aggregation = forms.ChoiceField(
        label=_("Stegets utfall"),
        # Short labels for the preview's narrow column; the indicator's admin says it in full.
        choices=[
            ("", "---------"),
            (Indicator.Aggregation.SUM, _("Summa")),
            (Indicator.Aggregation.LATEST, _("Senaste värdet")),
        ],
    )


FocusAreaPreviewFormSet = forms.formset_factory(FocusAreaPreviewForm, extra=1, can_delete=True)
PromisePreviewFormSet = forms.formset_factory(PromisePreviewForm, extra=1, can_delete=True)
TargetPreviewFormSet = forms.formset_factory(TargetPreviewForm, extra=1, can_delete=True)
