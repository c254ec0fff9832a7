"""Query parameters of the API. Invalid values are a 400 naming the parameter.

Related objects are chosen by id (``?period=3``) and organisations by their
short name (``?organisation=polisen``). A well-formed value that matches nothing
(an id or short name that does not exist, or is not published) gives an empty
page, as any other filter that matches nothing; only a malformed value (not an
id, an empty value, a short name with other characters) is a 400. The schema
declares exactly that form (``ID_SCHEMA``, ``SLUG_SCHEMA``), so every request the
schema calls valid is answered.
"""

import re
from datetime import UTC, datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from drf_spectacular.utils import extend_schema_field

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import FollowUp, Meeting
from followup.overview import Sort
from participation.models import Question
from promises.models import FocusArea, Municipality, Organisation, Period, Promise

# "T12:00:00 01:00": the "+" of an offset that was not URL-encoded arrives as a space.
PLUS_AS_SPACE = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class UpdatedSinceField(filter_fields.IsoDateTimeField):
    default_error_messages = {
        "invalid": _("Ange en tidpunkt enligt ISO 8601, till exempel 2025-03-01T12:00:00+01:00."),
    }

    def to_python(self, value) -> datetime | None:
        if isinstance(value, str):
            value = PLUS_AS_SPACE.sub(r"\1+\2", value)
        result = super().to_python(value)
        if result is None:
            return None
        try:
            return result.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UpdatedSinceField


MAX_ID = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": SLUG_PATTERN}


class IdField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Ange ett id: ett heltal från 1."),
        "min_value": _("Ange ett id: ett heltal från 1."),
        "max_value": _("Id:t är för stort."),
    }

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """An object's id; one that does not exist (or is not published) matches nothing."""

    field_class = IdField


class SlugField(forms.RegexField):
    default_error_messages = {
        "invalid": _("Ange ett kortnamn med bokstäverna a–z, siffror, - och _."),
    }

    def __init__(self, **kwargs):
        super().__init__(regex=SLUG_PATTERN, max_length=200, **kwargs)


@extend_schema_field(SLUG_SCHEMA)
class SlugFilter(django_filters.CharFilter):
    field_class = SlugField


class StrictFilterForm(forms.Form):
    """A parameter given without a value is an error, not a silently ignored filter."""

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name in self.data and not self.data.get(name):
                self.add_error(name, _("Ange ett värde eller utelämna parametern."))
        return cleaned


class StrictBooleanField(forms.Field):
    """true or false (1 or 0); anything else is an error rather than ignored."""

    default_error_messages = {"invalid": _("Ange true eller false.")}

    def to_python(self, value) -> bool | None:
        if value in (None, ""):
            return None
        normalized = str(value).lower()
        if normalized in ("true", "1"):
            return True
        if normalized in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def _updated_since():
    return UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Bara poster ändrade vid eller efter tidpunkten (ISO 8601)."),
    )


def _municipality(field_name: str):
    return IdFilter(field_name=field_name, label=_("Kommunens id."))


def _period(field_name: str):
    return IdFilter(field_name=field_name, label=_("Löftesperiodens id."))


def _promise(field_name: str):
    return IdFilter(field_name=field_name, label=_("Medborgarlöftets id."))


def _focus_area(field_name: str):
    return IdFilter(field_name=field_name, label=_("Det prioriterade områdets id."))


def _organisation(method: str | None = None, field_name: str | None = None):
    return SlugFilter(
        field_name=f"{field_name}__slug" if field_name else None,
        method=method,
        label=_("Aktörens kortnamn, till exempel polisen."),
    )


class MunicipalityFilter(django_filters.FilterSet):
    updated_since = _updated_since()

    class Meta:
        model = Municipality
        fields: list[str] = []
        form = StrictFilterForm


class PeriodFilter(django_filters.FilterSet):
    municipality = _municipality("municipality")
    updated_since = _updated_since()

    class Meta:
        model = Period
        fields: list[str] = []
        form = StrictFilterForm


class FocusAreaFilter(django_filters.FilterSet):
    municipality = _municipality("period__municipality")
    period = _period("period")
    updated_since = _updated_since()

    class Meta:
        model = FocusArea
        fields: list[str] = []
        form = StrictFilterForm


class PromiseFilter(django_filters.FilterSet):
    municipality = _municipality("period__municipality")
    period = _period("period")
    focus_area = _focus_area("focus_areas")
    organisation = _organisation(field_name="organisations")
    status = django_filters.ChoiceFilter(
        field_name="status", choices=Promise.Status.choices, label=_("Löftets status.")
    )
    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label=_(
            "Bara löften som ändrats, eller vars aktiviteter fått nya lägesrapporter, "
            "vid eller efter tidpunkten (ISO 8601)."
        ),
    )

    class Meta:
        model = Promise
        fields: list[str] = []
        form = StrictFilterForm

    def filter_updated_since(self, queryset, name, value):
        # A new progress update changes the promise's progress and status, so it
        # counts as a change of the promise.
        changed = Activity.objects.filter(promise=OuterRef("pk")).filter(
            Q(updated_at__gte=value) | Q(updates__updated_at__gte=value)
        )
        return queryset.filter(Q(updated_at__gte=value) | Exists(changed))


def _activities_of_organisation(queryset: QuerySet, slug: str) -> QuerySet:
    """Activities the organisation (by short name) leads or shares, without duplicate rows."""
    return queryset.for_organisation(Organisation.objects.filter(slug=slug))


class ActivityFilter(django_filters.FilterSet):
    municipality = _municipality("promise__period__municipality")
    period = _period("promise__period")
    focus_area = _focus_area("promise__focus_areas")
    promise = _promise("promise")
    organisation = _organisation(method="filter_organisation", field_name="lead_organisation")
    status = django_filters.ChoiceFilter(
        field_name="current_status",
        choices=ProgressUpdate.Status.choices,
        label=_("Aktivitetens status enligt den senaste lägesrapporten."),
    )
    late = StrictBooleanFilter(
        field_name="is_late",
        label=_("true för bara försenade aktiviteter, false för bara de andra."),
    )
    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label=_(
            "Bara aktiviteter som ändrats eller fått nya lägesrapporter vid eller efter "
            "tidpunkten (ISO 8601)."
        ),
    )

    class Meta:
        model = Activity
        fields: list[str] = []
        form = StrictFilterForm

    def filter_organisation(self, queryset, name, value):
        return _activities_of_organisation(queryset, value)

    def filter_updated_since(self, queryset, name, value):
        # The newest progress update is the activity's state: a new one is a change.
        changed = ProgressUpdate.objects.filter(activity=OuterRef("pk"), updated_at__gte=value)
        return queryset.filter(Q(updated_at__gte=value) | Exists(changed))


class ProgressUpdateFilter(django_filters.FilterSet):
    municipality = _municipality("activity__promise__period__municipality")
    period = _period("activity__promise__period")
    focus_area = _focus_area("activity__promise__focus_areas")
    promise = _promise("activity__promise")
    activity = IdFilter(field_name="activity", label=_("Aktivitetens id."))
    organisation = _organisation(field_name="organisation")
    status = django_filters.ChoiceFilter(
        field_name="status",
        choices=ProgressUpdate.Status.choices,
        label=_("Status i lägesrapporten."),
    )
    updated_since = _updated_since()

    class Meta:
        model = ProgressUpdate
        fields: list[str] = []
        form = StrictFilterForm


class IndicatorFilter(django_filters.FilterSet):
    municipality = IdFilter(method="filter_municipality", label=_("Kommunens id."))
    period = IdFilter(method="filter_period", label=_("Löftesperiodens id."))
    promise = IdFilter(
        method="filter_promise",
        label=_("Medborgarlöftets id: måtten för löftet och för dess aktiviteter."),
    )
    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label=_("Bara mått som ändrats eller fått mätvärden ändrade vid eller efter tidpunkten."),
    )

    class Meta:
        model = Indicator
        fields: list[str] = []
        form = StrictFilterForm

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(
            Q(promise__period__municipality=value)
            | Q(activity__promise__period__municipality=value)
        )

    def filter_period(self, queryset, name, value):
        return queryset.filter(Q(promise__period=value) | Q(activity__promise__period=value))

    def filter_promise(self, queryset, name, value):
        return queryset.filter(Q(promise=value) | Q(activity__promise=value))

    def filter_updated_since(self, queryset, name, value):
        changed = Measurement.objects.filter(indicator=OuterRef("pk"), updated_at__gte=value)
        return queryset.filter(Q(updated_at__gte=value) | Exists(changed))


class MeetingFilter(django_filters.FilterSet):
    municipality = _municipality("period__municipality")
    period = _period("period")
    promise = IdFilter(
        method="filter_promise",
        label=_("Medborgarlöftets id: sammanträden som följde upp löftet."),
    )
    updated_since = UpdatedSinceFilter(
        method="filter_updated_since",
        label=_(
            "Bara sammanträden som ändrats eller fått uppföljningar ändrade vid eller efter "
            "tidpunkten."
        ),
    )

    class Meta:
        model = Meeting
        fields: list[str] = []
        form = StrictFilterForm

    def filter_promise(self, queryset, name, value):
        return queryset.filter(
            Exists(FollowUp.objects.filter(meeting=OuterRef("pk"), promise=value))
        )

    def filter_updated_since(self, queryset, name, value):
        changed = FollowUp.objects.filter(meeting=OuterRef("pk"), updated_at__gte=value)
        return queryset.filter(Q(updated_at__gte=value) | Exists(changed))


class QuestionFilter(django_filters.FilterSet):
    municipality = _municipality("period__municipality")
    period = _period("period")
    promise = _promise("promise")
    focus_area = IdFilter(
        method="filter_focus_area",
        label=_("Det prioriterade områdets id: frågor om området eller om dess löften."),
    )
    answered = StrictBooleanFilter(
        method="filter_answered", label=_("true: bara besvarade; false: bara obesvarade.")
    )
    updated_since = _updated_since()

    class Meta:
        model = Question
        fields: list[str] = []
        form = StrictFilterForm

    def filter_focus_area(self, queryset, name, value):
        return queryset.for_focus_area(value)

    def filter_answered(self, queryset, name, value):
        return queryset.answered() if value else queryset.unanswered()


COUNTY_PATTERN = r"^[0-9]{2}$"
SEARCH_MAX_LENGTH = 100


class CountyCodeField(forms.RegexField):
    default_error_messages = {
        "invalid": _("Ange länets kod: två siffror, till exempel 22 för Västernorrlands län."),
    }

    def __init__(self, **kwargs):
        super().__init__(regex=COUNTY_PATTERN, **kwargs)


@extend_schema_field({"type": "string", "pattern": COUNTY_PATTERN})
class CountyCodeFilter(django_filters.CharFilter):
    field_class = CountyCodeField


class SearchField(forms.CharField):
    default_error_messages = {"max_length": _("Skriv högst %(limit_value)d tecken.")}

    def __init__(self, **kwargs):
        super().__init__(max_length=SEARCH_MAX_LENGTH, **kwargs)


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": SEARCH_MAX_LENGTH})
class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def _as_given(queryset: QuerySet, name: str, value) -> QuerySet:
    """The overview filters and sorts its rows itself (``followup.overview``)."""
    return queryset


class OverviewFilter(django_filters.FilterSet):
    """The national overview's parameters; the view hands the valid values to the domain."""

    county = CountyCodeFilter(method=_as_given, label=_("Länets kod, två siffror."))
    search = SearchFilter(
        method=_as_given, label=_("Bara kommuner vars namn innehåller texten (oavsett skiftläge).")
    )
    ordering = django_filters.ChoiceFilter(
        method=_as_given,
        choices=[(sort.value, sort.value) for sort in Sort],
        label=_(
            "Sortering: name (namn A–Ö, standard), progress (högst framsteg först) eller "
            "last_follow_up (senaste uppföljningen först)."
        ),
    )

    class Meta:
        model = Municipality
        fields: list[str] = []
        form = StrictFilterForm
