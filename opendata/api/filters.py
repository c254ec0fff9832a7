"""Query parameters of the API. Invalid values are a 400 naming the parameter.

Related objects are chosen by id (``?period=3``) and organisations by their
short name (``?organisation=polisen``), always among published data only, so
an unpublished id is as unknown as one that never existed.
"""

import re
from datetime import UTC, datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import FollowUp, Meeting
from opendata import selectors
from promises.models import FocusArea, Municipality, Period, Promise

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
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=lambda request: Municipality.objects.published(),
        label=_("Kommunens id."),
    )


def _period(field_name: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=lambda request: Period.objects.published(),
        label=_("Löftesperiodens id."),
    )


def _promise(field_name: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=lambda request: Promise.objects.published(),
        label=_("Medborgarlöftets id."),
    )


def _focus_area(field_name: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=lambda request: FocusArea.objects.published(),
        label=_("Det prioriterade områdets id."),
    )


def _organisation(method: str | None = None, field_name: str | None = None):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        method=method,
        queryset=lambda request: selectors.public_organisations(),
        to_field_name="slug",
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


def _activities_of_organisation(queryset: QuerySet, organisation) -> QuerySet:
    """Activities the organisation leads or shares, without duplicate rows."""
    shares = Activity.other_organisations.through.objects.filter(
        activity=OuterRef("pk"), organisation=organisation
    )
    return queryset.filter(Q(lead_organisation=organisation) | Exists(shares))


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
    activity = django_filters.ModelChoiceFilter(
        field_name="activity",
        queryset=lambda request: Activity.objects.published(),
        label=_("Aktivitetens id."),
    )
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
    municipality = django_filters.ModelChoiceFilter(
        field_name="promise__period__municipality",
        method="filter_municipality",
        queryset=lambda request: Municipality.objects.published(),
        label=_("Kommunens id."),
    )
    period = django_filters.ModelChoiceFilter(
        field_name="promise__period",
        method="filter_period",
        queryset=lambda request: Period.objects.published(),
        label=_("Löftesperiodens id."),
    )
    promise = django_filters.ModelChoiceFilter(
        field_name="promise",
        method="filter_promise",
        queryset=lambda request: Promise.objects.published(),
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
    promise = django_filters.ModelChoiceFilter(
        field_name="follow_ups__promise",
        method="filter_promise",
        queryset=lambda request: Promise.objects.published(),
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
