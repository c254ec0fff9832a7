"""Representations of the published data. Read-only; relations are {id, url} references.

Every object carries its stable ``id`` (and ``slug`` where it has one), its own
``url`` in the API, references to related objects with their ids and API
addresses, and ``html_url``, the public page, where there is one. Personal data
(who wrote a progress update or recorded a measurement) is never included.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import Council, FollowUp, Meeting
from followup.overview import POLICE_PROMISES_URL
from opendata import links
from participation.models import Question
from promises.models import FocusArea, Municipality, Organisation, Period, Promise


def _url(view_name: str):
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}-detail", help_text=_("Objektets adress i API:t.")
    )


def _link(description) -> dict:
    return {"type": "string", "format": "uri", "description": description}


@extend_schema_field({"type": "string", "format": "uri"})
class HtmlUrlField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", _("Sidan om objektet på webbplatsen."))
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


@extend_schema_field({"type": "number", "format": "double", "minimum": 0, "maximum": 100})
class PercentField(serializers.FloatField):
    """A roll-up percentage, rounded to one decimal."""

    def to_representation(self, value) -> float:
        return round(float(value), 1)


class ResourceSerializer(serializers.ModelSerializer):
    created_at = serializers.DateTimeField(read_only=True, help_text=_("När uppgiften lades in."))
    updated_at = serializers.DateTimeField(
        read_only=True,
        help_text=_("När uppgiften senast ändrades (jämför med parametern updated_since)."),
    )


# References to related objects ------------------------------------------------


class MunicipalityRefSerializer(serializers.ModelSerializer):
    url = _url("municipality")

    class Meta:
        model = Municipality
        fields = ["id", "url", "slug", "name"]


class PeriodRefSerializer(serializers.ModelSerializer):
    url = _url("period")

    class Meta:
        model = Period
        fields = ["id", "url", "slug", "name"]


class FocusAreaRefSerializer(serializers.ModelSerializer):
    url = _url("focusarea")

    class Meta:
        model = FocusArea
        fields = ["id", "url", "slug", "name"]


class PromiseRefSerializer(serializers.ModelSerializer):
    url = _url("promise")

    class Meta:
        model = Promise
        fields = ["id", "url", "slug", "title"]


class ActivityRefSerializer(serializers.ModelSerializer):
    url = _url("activity")

    class Meta:
        model = Activity
        fields = ["id", "url", "title"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "short_name", "kind"]


# Resources ----------------------------------------------------------------------


class FeedLinksSerializer(serializers.Serializer):
    progress_updates_atom = serializers.URLField(
        help_text=_("Atom-flöde med kommunens lägesrapporter.")
    )
    meetings_atom = serializers.URLField(help_text=_("Atom-flöde med publicerade sammanträden."))
    meetings_ical = serializers.URLField(help_text=_("Rådets sammanträden som iCalendar."))


class CouncilSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class MunicipalitySerializer(ResourceSerializer):
    url = _url("municipality")
    html_url = HtmlUrlField()
    council = serializers.SerializerMethodField()
    periods = PeriodRefSerializer(source="published_periods", many=True, read_only=True)
    feeds = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = ["id", "url", "slug", "name", "html_url", "council", "periods", "feeds"]
        fields += ["created_at", "updated_at"]

    @extend_schema_field(CouncilSerializer(allow_null=True))
    def get_council(self, municipality: Municipality) -> dict | None:
        council = getattr(municipality, "council", None)
        if council is None:
            return None
        return {"name": council.name, "description": council.description}

    @extend_schema_field(FeedLinksSerializer)
    def get_feeds(self, municipality: Municipality) -> dict:
        request = self.context["request"]
        return {
            name: request.build_absolute_uri(path)
            for name, path in links.municipality_feeds(municipality).items()
        }


class DownloadLinksSerializer(serializers.Serializer):
    xlsx = serializers.URLField(help_text=_("Allt om perioden i en Excel-fil, ett blad per slag."))
    promises_csv = serializers.URLField()
    activities_csv = serializers.URLField()
    progress_updates_csv = serializers.URLField()
    measurements_csv = serializers.URLField()
    follow_ups_csv = serializers.URLField()


class PeriodSerializer(ResourceSerializer):
    url = _url("period")
    municipality = MunicipalityRefSerializer(read_only=True)
    html_url = HtmlUrlField()
    progress = PercentField()
    promise_count = serializers.IntegerField()
    has_late_activities = serializers.BooleanField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Period
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "municipality",
            "starts_on",
            "ends_on",
            "purpose",
            "situation",
            "outcome",
            "progress",
            "promise_count",
            "has_late_activities",
            "html_url",
            "downloads",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(DownloadLinksSerializer)
    def get_downloads(self, period: Period) -> dict:
        request = self.context["request"]
        return {
            name: request.build_absolute_uri(path)
            for name, path in links.period_downloads(period).items()
        }


class FocusAreaSerializer(ResourceSerializer):
    url = _url("focusarea")
    period = PeriodRefSerializer(read_only=True)
    municipality = MunicipalityRefSerializer(source="period.municipality", read_only=True)
    html_url = HtmlUrlField()
    progress = PercentField()
    promise_count = serializers.IntegerField()
    has_late_activities = serializers.BooleanField()
    promises = serializers.HyperlinkedRelatedField(
        view_name="api:promise-detail", many=True, read_only=True
    )

    class Meta:
        model = FocusArea
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "description",
            "order",
            "period",
            "municipality",
            "progress",
            "promise_count",
            "has_late_activities",
            "promises",
            "html_url",
            "created_at",
            "updated_at",
        ]


class PromiseSerializer(ResourceSerializer):
    url = _url("promise")
    period = PeriodRefSerializer(read_only=True)
    municipality = MunicipalityRefSerializer(source="period.municipality", read_only=True)
    organisations = OrganisationSerializer(many=True, read_only=True)
    focus_areas = FocusAreaRefSerializer(many=True, read_only=True)
    progress = PercentField(help_text=_("Vägt medelvärde av aktiviteternas framsteg, 0–100."))
    status = serializers.ChoiceField(choices=Promise.Status.choices)
    active_activity_count = serializers.IntegerField(
        help_text=_("Antal aktiviteter som räknas (avbrutna räknas inte).")
    )
    late_activity_count = serializers.IntegerField(help_text=_("Antal försenade aktiviteter."))
    has_late_activities = serializers.BooleanField()
    html_url = HtmlUrlField()
    activities = serializers.SerializerMethodField()
    feed = serializers.SerializerMethodField()

    class Meta:
        model = Promise
        fields = [
            "id",
            "url",
            "slug",
            "order",
            "title",
            "text",
            "with_residents",
            "period",
            "municipality",
            "organisations",
            "focus_areas",
            "progress",
            "status",
            "active_activity_count",
            "late_activity_count",
            "has_late_activities",
            "activities",
            "html_url",
            "feed",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(_link(_("Listan med löftets aktiviteter.")))
    def get_activities(self, promise: Promise) -> str:
        """The list of the promise's activities."""
        path = f"{reverse('api:activity-list')}?promise={promise.pk}"
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(_link(_("Atom-flöde med lägesrapporter och rådets uppföljning.")))
    def get_feed(self, promise: Promise) -> str:
        return self.context["request"].build_absolute_uri(links.promise_feed(promise))


class ActivitySerializer(ResourceSerializer):
    url = _url("activity")
    promise = PromiseRefSerializer(read_only=True)
    lead_organisation = OrganisationSerializer(read_only=True)
    other_organisations = OrganisationSerializer(many=True, read_only=True)
    current_percent = serializers.IntegerField(
        min_value=0, max_value=100, help_text=_("Procent klart enligt den senaste lägesrapporten.")
    )
    current_status = serializers.ChoiceField(
        choices=ProgressUpdate.Status.choices,
        help_text=_("Status enligt den senaste lägesrapporten."),
    )
    last_reported_on = serializers.DateField(allow_null=True)
    is_late = serializers.BooleanField(
        help_text=_(
            "Planerat slut har passerat och aktiviteten är varken genomförd eller avbruten."
        )
    )
    progress_updates = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "order",
            "title",
            "description",
            "promise",
            "lead_organisation",
            "other_organisations",
            "planned_start",
            "planned_end",
            "place",
            "weight",
            "current_percent",
            "current_status",
            "last_reported_on",
            "is_late",
            "progress_updates",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(_link(_("Listan med aktivitetens lägesrapporter.")))
    def get_progress_updates(self, activity: Activity) -> str:
        """The list of the activity's progress updates."""
        path = f"{reverse('api:progressupdate-list')}?activity={activity.pk}"
        return self.context["request"].build_absolute_uri(path)


class ProgressUpdateSerializer(ResourceSerializer):
    url = _url("progressupdate")
    activity = ActivityRefSerializer(read_only=True)
    promise = PromiseRefSerializer(source="activity.promise", read_only=True)
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "url",
            "reported_on",
            "status",
            "percent_complete",
            "text",
            "organisation",
            "activity",
            "promise",
            "created_at",
            "updated_at",
        ]


class MeasurementSerializer(ResourceSerializer):
    value = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value", "source", "created_at", "updated_at"]


class IndicatorSerializer(ResourceSerializer):
    url = _url("indicator")
    promise = PromiseRefSerializer(
        source="owner_promise", read_only=True, help_text=_("Löftet som måttet hör till.")
    )
    activity = ActivityRefSerializer(
        read_only=True, allow_null=True, help_text=_("Aktiviteten, när måttet hör till en.")
    )
    baseline = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    target = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "url",
            "name",
            "unit",
            "baseline",
            "target",
            "target_cadence",
            "aggregation",
            "direction",
            "promise",
            "activity",
            "measurements",
            "created_at",
            "updated_at",
        ]


class FollowUpSerializer(ResourceSerializer):
    promise = PromiseRefSerializer(read_only=True)
    activity = ActivityRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "promise",
            "activity",
            "assessment",
            "comment",
            "next_steps",
            "created_at",
            "updated_at",
        ]


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[0-2][0-9]:[0-5][0-9]$",
        "nullable": True,
        "description": _("Starttid i svensk tid, TT:MM."),
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Swedish time (JSON Schema's "time" format demands an offset)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingSerializer(ResourceSerializer):
    url = _url("meeting")
    start_time = LocalTimeField(read_only=True, allow_null=True)
    council = CouncilSerializer(read_only=True)
    municipality = MunicipalityRefSerializer(source="period.municipality", read_only=True)
    period = PeriodRefSerializer(read_only=True)
    html_url = HtmlUrlField()
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "date",
            "start_time",
            "place",
            "council",
            "municipality",
            "period",
            "attendees",
            "agenda",
            "minutes",
            "published_at",
            "follow_ups",
            "html_url",
            "created_at",
            "updated_at",
        ]


class QuestionMeetingSerializer(serializers.ModelSerializer):
    url = _url("meeting")

    class Meta:
        model = Meeting
        fields = ["id", "url", "date"]


class QuestionSerializer(ResourceSerializer):
    """A resident's published question; the answer only once its meeting is published.

    The e-mail address a resident may have left is never included.
    """

    url = _url("question")
    municipality = MunicipalityRefSerializer(source="period.municipality", read_only=True)
    period = PeriodRefSerializer(read_only=True)
    promise = PromiseRefSerializer(read_only=True, allow_null=True)
    focus_area = FocusAreaRefSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text=_("Namnet invånaren valde att visa, eller tomt."),
    )
    answer = serializers.SerializerMethodField(help_text=_("Rådets svar, eller null."))
    answered_at = serializers.SerializerMethodField(
        help_text=_("Sammanträdet där rådet svarade, eller null.")
    )

    class Meta:
        model = Question
        fields = [
            "id",
            "url",
            "municipality",
            "period",
            "promise",
            "focus_area",
            "message",
            "name",
            "answer",
            "answered_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_answer(self, question: Question) -> str | None:
        return question.answer if question.is_answer_public else None

    @extend_schema_field(QuestionMeetingSerializer(allow_null=True))
    def get_answered_at(self, question: Question) -> dict | None:
        if not question.is_answer_public:
            return None
        return QuestionMeetingSerializer(question.meeting, context=self.context).data


class CountySerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Länets officiella tvåsiffriga kod."))
    name = serializers.CharField()


class OverviewPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text=_("Löftesperioden i API:t."))
    slug = serializers.CharField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    html_url = HtmlUrlField()

    @extend_schema_field(_link(_("Löftesperioden i API:t.")))
    def get_url(self, period: Period) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:period-detail", kwargs={"pk": period.pk})
        )


class OverviewSerializer(serializers.Serializer):
    """One municipality of the national overview (``followup.overview``). No personal data."""

    id = serializers.IntegerField(source="municipality.pk", help_text=_("Kommunens id."))
    slug = serializers.CharField(source="municipality.slug")
    name = serializers.CharField(source="municipality.name")
    code = serializers.CharField(
        source="municipality.code",
        allow_null=True,
        help_text=_("Den officiella fyrsiffriga kommunkoden."),
    )
    county = CountySerializer(allow_null=True, read_only=True)
    has_promises = serializers.BooleanField(
        help_text=_("Om kommunen har en publicerad löftesperiod i portalen.")
    )
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    period = OverviewPeriodSerializer(
        allow_null=True, read_only=True, help_text=_("Den aktuella löftesperioden.")
    )
    promise_count = serializers.IntegerField(help_text=_("Antal löften i den aktuella perioden."))
    progress = PercentField(
        allow_null=True, help_text=_("Den aktuella periodens framsteg, i procent.")
    )
    last_follow_up = serializers.DateField(
        allow_null=True,
        help_text=_("Datum för rådets senaste publicerade sammanträde om perioden."),
    )
    follow_up_cadence = serializers.ChoiceField(
        choices=Council.FollowUpCadence.choices,
        help_text=_("Hur ofta rådet följer upp löftena; tom när det inte är angivet."),
    )
    next_follow_up_due = serializers.DateField(
        source="due",
        allow_null=True,
        help_text=_("När nästa uppföljning ska komma enligt takten; null när ingen väntas."),
    )
    follow_up_overdue = serializers.BooleanField(
        source="overdue",
        help_text=_("Uppföljningen är försenad enligt kommunens egen takt (se beskrivningen)."),
    )
    police_promises_url = serializers.SerializerMethodField()

    @extend_schema_field({**_link(_("Kommunen i API:t.")), "nullable": True})
    def get_url(self, row) -> str | None:
        if not row.has_promises:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("api:municipality-detail", kwargs={"pk": row.municipality.pk})
        )

    @extend_schema_field({**_link(_("Kommunens sida på webbplatsen.")), "nullable": True})
    def get_html_url(self, row) -> str | None:
        if not row.has_promises:
            return None
        return self.context["request"].build_absolute_uri(row.municipality.get_absolute_url())

    @extend_schema_field(
        {
            **_link(_("Polisens sida om medborgarlöften, för kommuner utan löften här.")),
            "nullable": True,
        }
    )
    def get_police_promises_url(self, row) -> str | None:
        return None if row.has_promises else POLICE_PROMISES_URL
