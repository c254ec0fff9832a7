"""The OpenAPI 3 description of the API, served at /api/schema/ and read by the docs page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
)
from drf_spectacular.settings import patched_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from opendata.api.throttling import AnonymousRateThrottle

LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/deed.sv"

SCHEMA_SETTINGS = {
    "TITLE": _("Medborgarlöften – öppna data"),
    "DESCRIPTION": _(
        "Medborgarlöftena som polisen och kommunen har gett, aktiviteterna under dem, "
        "lägesrapporter, mått och rådets uppföljning, som JSON. Bara publicerade uppgifter. "
        "Alla listor är sidindelade (page, page_size) och kan filtreras; ogiltiga värden ger "
        "400 med parameterns namn, okända id:n 404. Data får användas fritt (CC0 1.0)."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "CC0 1.0", "url": LICENCE_URL},
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # ENUM_NAME_OVERRIDES are in settings.SPECTACULAR_SETTINGS, so that the
    # system checks' schema run names the enums the same way.
}


def generate_schema(request=None) -> dict:
    """The schema as a dict (for the documentation page)."""
    with patched_settings(SCHEMA_SETTINGS):
        return SchemaGenerator().get_schema(request=request, public=True)


class SchemaView(SpectacularAPIView):
    """JSON by default, also for Accept: application/json (YAML with
    Accept: application/vnd.oai.openapi)."""

    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer]
    authentication_classes: list = []
    throttle_classes = [AnonymousRateThrottle]  # generating the schema takes some work
    custom_settings = SCHEMA_SETTINGS

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _get_filename(self, request, version) -> str:
        return f"openapi.{self.perform_content_negotiation(request, force=True)[0].format}"
