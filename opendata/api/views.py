"""The read-only open-data API: published data only, JSON only, no cookies.

Each endpoint reads through ``opendata.selectors`` (published data, related rows
joined or prefetched), so a page costs the same few queries whatever its size.
"""

from django.http import JsonResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from followup.overview import GRACE_DAYS, Sort
from opendata import selectors
from opendata.api import filters, serializers
from opendata.api.pagination import PageNumberPagination
from opendata.api.throttling import AnonymousRateThrottle
from promises.models import Municipality

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Orsaken, på svenska."}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Parameternamn och vad som är fel: en okänd parameter, eller dess värde.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
# Name in the index -> route basename (see opendata.api.urls).
RESOURCES = {
    "municipalities": "municipality",
    "periods": "period",
    "focus_areas": "focusarea",
    "promises": "promise",
    "activities": "activity",
    "progress_updates": "progressupdate",
    "indicators": "indicator",
    "meetings": "meeting",
    "questions": "question",
    "overview": "overview",
}
BAD_PARAMETER = OpenApiResponse(
    FIELD_ERRORS,
    description=gettext_lazy("Okänd parameter, eller ogiltigt värde i en parameter."),
)
TOO_MANY = OpenApiResponse(
    ERROR_DETAIL, description=gettext_lazy("För många anrop; försök igen om en stund.")
)


class KnownParametersMixin:
    """A query parameter the endpoint does not read (a misspelled filter) is a 400
    naming it, in the format of the other parameter errors, not silently ignored.

    The page cache (``caching.pages``) lets such a request through to the view
    rather than taking the parameter out."""

    def query_parameters(self) -> set[str]:
        return {api_settings.URL_FORMAT_OVERRIDE}

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return  # another method is a 405, whatever its parameters
        known = self.query_parameters()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            accepted = ", ".join(sorted(known))
            raise ValidationError(
                {
                    name: [
                        _("Okänd parameter: %(name)s. Tillåtna parametrar här: %(accepted)s.")
                        % {"name": name, "accepted": accepted}
                    ]
                    for name in unknown
                }
            )


class OpenDataListViewSet(KnownParametersMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET only (write methods are 405), anonymous, JSON, paginated and filterable."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonymousRateThrottle]
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    metadata_class = None  # OPTIONS is not offered: nothing to negotiate on a read-only API
    # ... so a 405's Allow header names only what is answered.
    http_method_names = ["get", "head"]

    def query_parameters(self) -> set[str]:
        """A list reads its filters and the pagination's; a single object only the format."""
        known = super().query_parameters()
        if self.action == "list":
            known |= set(self.filterset_class.base_filters)
            known |= {self.paginator.page_query_param, self.paginator.page_size_query_param}
        return known

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Open data: any web page may read it (no cookies or credentials are involved).
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OpenDataViewSet(mixins.RetrieveModelMixin, OpenDataListViewSet):
    """A list and its objects by id."""

    not_found_message = gettext_lazy("Det finns inget publicerat objekt med id %(id)s.")

    def get_object(self):
        """The published object with the id in the address, or a 404 saying why."""
        value = self.kwargs["pk"]
        if not (value.isascii() and value.isdigit()):
            raise NotFound(_("Id ska vara ett heltal, inte %(value)s.") % {"value": value})
        try:
            return self.get_queryset().get(pk=int(value))
        except self.get_queryset().model.DoesNotExist:
            raise NotFound(self.not_found_message % {"id": value}) from None


def _documented(serializer, tag: str, list_description: str, detail_description: str):
    """Schema for a viewset: its responses including the errors it can give."""
    return extend_schema_view(
        list=extend_schema(
            tags=[tag],
            description=list_description,
            responses={
                200: serializer(many=True),
                400: BAD_PARAMETER,
                404: OpenApiResponse(ERROR_DETAIL, description=gettext_lazy("Sidan finns inte.")),
                429: TOO_MANY,
            },
        ),
        retrieve=extend_schema(
            tags=[tag],
            description=detail_description,
            parameters=[
                OpenApiParameter(
                    "id",
                    int,
                    OpenApiParameter.PATH,
                    description=gettext_lazy("Objektets id."),
                )
            ],
            responses={
                200: serializer,
                400: BAD_PARAMETER,
                404: OpenApiResponse(
                    ERROR_DETAIL,
                    description=gettext_lazy("Inget publicerat objekt har det id:t."),
                ),
                429: TOO_MANY,
            },
        ),
    )


@_documented(
    serializers.MunicipalitySerializer,
    gettext_lazy("Kommuner"),
    gettext_lazy("Kommuner med minst en publicerad löftesperiod."),
    gettext_lazy("En kommun, dess råd, publicerade löftesperioder och flöden."),
)
class MunicipalityViewSet(OpenDataViewSet):
    serializer_class = serializers.MunicipalitySerializer
    filterset_class = filters.MunicipalityFilter
    not_found_message = gettext_lazy("Det finns ingen kommun med publicerade löften med id %(id)s.")

    def get_queryset(self):
        return selectors.published_municipalities()


@_documented(
    serializers.PeriodSerializer,
    gettext_lazy("Löftesperioder"),
    gettext_lazy("Publicerade löftesperioder med framsteg och länkar till nedladdningar."),
    gettext_lazy("En publicerad löftesperiod."),
)
class PeriodViewSet(OpenDataViewSet):
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilter
    not_found_message = gettext_lazy("Det finns ingen publicerad löftesperiod med id %(id)s.")

    def get_queryset(self):
        return selectors.published_periods()


@_documented(
    serializers.FocusAreaSerializer,
    gettext_lazy("Prioriterade områden"),
    gettext_lazy("Prioriterade områden i publicerade löftesperioder."),
    gettext_lazy("Ett prioriterat område."),
)
class FocusAreaViewSet(OpenDataViewSet):
    serializer_class = serializers.FocusAreaSerializer
    filterset_class = filters.FocusAreaFilter
    not_found_message = gettext_lazy("Det finns inget publicerat prioriterat område med id %(id)s.")

    def get_queryset(self):
        return selectors.published_focus_areas()


@_documented(
    serializers.PromiseSerializer,
    gettext_lazy("Medborgarlöften"),
    gettext_lazy("Publicerade medborgarlöften med framsteg, status och försenade aktiviteter."),
    gettext_lazy("Ett publicerat medborgarlöfte."),
)
class PromiseViewSet(OpenDataViewSet):
    serializer_class = serializers.PromiseSerializer
    filterset_class = filters.PromiseFilter
    not_found_message = gettext_lazy("Det finns inget publicerat medborgarlöfte med id %(id)s.")

    def get_queryset(self):
        return selectors.published_promises()


@_documented(
    serializers.ActivitySerializer,
    gettext_lazy("Aktiviteter"),
    gettext_lazy("Aktiviteterna under publicerade medborgarlöften, med aktuell status."),
    gettext_lazy("En aktivitet."),
)
class ActivityViewSet(OpenDataViewSet):
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilter
    not_found_message = gettext_lazy("Det finns ingen publicerad aktivitet med id %(id)s.")

    def get_queryset(self):
        return selectors.published_activities()


@_documented(
    serializers.ProgressUpdateSerializer,
    gettext_lazy("Lägesrapporter"),
    gettext_lazy("Lägesrapporter om aktiviteterna, nyast först."),
    gettext_lazy("En lägesrapport."),
)
class ProgressUpdateViewSet(OpenDataViewSet):
    serializer_class = serializers.ProgressUpdateSerializer
    filterset_class = filters.ProgressUpdateFilter
    not_found_message = gettext_lazy("Det finns ingen publicerad lägesrapport med id %(id)s.")

    def get_queryset(self):
        return selectors.published_progress_updates()


@_documented(
    serializers.IndicatorSerializer,
    gettext_lazy("Mått"),
    gettext_lazy("Mått med sina mätvärden, för löften och aktiviteter."),
    gettext_lazy("Ett mått med sina mätvärden."),
)
class IndicatorViewSet(OpenDataViewSet):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    not_found_message = gettext_lazy("Det finns inget publicerat mått med id %(id)s.")

    def get_queryset(self):
        return selectors.published_indicators()


@_documented(
    serializers.MeetingSerializer,
    gettext_lazy("Sammanträden"),
    gettext_lazy("Rådets publicerade sammanträden med uppföljningen av varje löfte, nyast först."),
    gettext_lazy("Ett publicerat sammanträde."),
)
class MeetingViewSet(OpenDataViewSet):
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    not_found_message = gettext_lazy("Det finns inget publicerat sammanträde med id %(id)s.")

    def get_queryset(self):
        return selectors.published_meetings()


def not_found(request, unknown: str = ""):
    """Any other address under /api/: a JSON 404 instead of an HTML page."""
    return JsonResponse(
        {"detail": _("Adressen finns inte i API:t. Se dokumentationen på /api/docs/.")},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


class IndexView(KnownParametersMixin, APIView):
    """/api/v1/: where each list is."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    throttle_classes = [AnonymousRateThrottle]
    metadata_class = None
    http_method_names = ["get", "head"]

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(
            {
                name: reverse(f"api:{basename}-list", request=request)
                for name, basename in RESOURCES.items()
            }
            | {
                "schema": reverse("api:schema", request=request),
                "docs": reverse("api:docs", request=request),
            }
        )


@_documented(
    serializers.QuestionSerializer,
    gettext_lazy("Frågor från invånare"),
    gettext_lazy(
        "Invånarnas publicerade frågor till rådet, nyast först, med rådets svar när "
        "sammanträdet är publicerat. Inga e-postadresser."
    ),
    gettext_lazy("En publicerad fråga."),
)
class QuestionViewSet(OpenDataViewSet):
    serializer_class = serializers.QuestionSerializer
    filterset_class = filters.QuestionFilter
    not_found_message = gettext_lazy("Det finns ingen publicerad fråga med id %(id)s.")

    def get_queryset(self):
        return selectors.published_questions()


@extend_schema_view(
    list=extend_schema(
        tags=[gettext_lazy("Översikt")],
        description=format_lazy(
            gettext_lazy(
                "Alla Sveriges kommuner, som på startsidan: den aktuella löftesperiodens antal "
                "löften och framsteg, datum för rådets senaste publicerade uppföljning och om "
                "uppföljningen är försenad enligt kommunens egen takt. Den är försenad när det "
                "har gått mer än ett intervall enligt takten plus {grace} dagar sedan förra "
                "uppföljningen (eller sedan perioden började, om ingen finns); med takten "
                "end_of_period när det har gått mer än {grace} dagar efter periodens slut. Efter "
                "en uppföljning vid eller efter periodens slut väntas ingen fler. Kommuner utan "
                "löften i portalen har has_promises false och en länk till polisen.se."
            ),
            grace=GRACE_DAYS,
        ),
        responses={
            200: serializers.OverviewSerializer(many=True),
            400: OpenApiResponse(
                FIELD_ERRORS, description=gettext_lazy("Ogiltigt värde i en parameter.")
            ),
            404: OpenApiResponse(ERROR_DETAIL, description=gettext_lazy("Sidan finns inte.")),
            429: TOO_MANY,
        },
    )
)
class OverviewViewSet(OpenDataListViewSet):
    """/api/v1/overview/: the national overview (``followup.overview``), the start page's rows."""

    serializer_class = serializers.OverviewSerializer
    filterset_class = filters.OverviewFilter

    def get_queryset(self):
        # Only for the filter set's form; the rows come from the overview itself.
        return Municipality.objects.none()

    def list(self, request, *args, **kwargs):
        filterset = DjangoFilterBackend().get_filterset(request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        values = filterset.form.cleaned_data
        rows = selectors.national_overview(
            county=values.get("county") or "",
            search=values.get("search") or "",
            sort=Sort(values.get("ordering") or Sort.NAME),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
