"""Property-based run of the API against its own OpenAPI schema (Schemathesis).

The schema is read from /api/schema/ of the WSGI application, and generated
requests (valid and invalid parameters alike) go to the same application with
a real database seeded by the factories. Every check Schemathesis has is run: no
response may be a server error or contradict the schema (status code, content
type, headers and body), every request the schema calls valid is answered
(positive data acceptance) and every one it calls invalid is refused.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.opendata.conftest import build_scene

load_all_checks()
CHECKS = REGISTRY.get_all()


# Generating the schema needs no database, so it is read once, at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def keep_connection():
    """Keep the test's database connection (and transaction) open across WSGI requests.

    The WSGI handler closes the connection when a request finishes; Django's own
    test client suspends that the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, settings, keep_connection):
    # Hundreds of generated requests in a few seconds must not hit the rate limit.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    return build_scene(size=2)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, seeded):
    case.call_and_validate(checks=CHECKS)


def test_real_objects_conform_to_the_schema(db, keep_connection):
    """Generated ids rarely exist; every detail endpoint is also checked with a real one."""
    scene = build_scene(size=2)
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    world = scene.published
    real = {
        "/api/v1/municipalities/{id}/": world.municipality.pk,
        "/api/v1/periods/{id}/": world.period.pk,
        "/api/v1/focus-areas/{id}/": world.focus_areas[0].pk,
        "/api/v1/promises/{id}/": world.promises[0].pk,
        "/api/v1/activities/{id}/": world.activities[0].pk,
        "/api/v1/progress-updates/{id}/": world.updates[0].pk,
        "/api/v1/indicators/{id}/": world.indicators[1].pk,
        "/api/v1/meetings/{id}/": world.meeting.pk,
    }
    for path, pk in real.items():
        operation = loaded[path]["GET"]
        case = operation.Case(path_parameters={"id": pk})
        response = case.call_and_validate(
            checks=[check for check in CHECKS if check is not negative_data_rejection]
        )
        assert response.status_code == 200, path


def test_every_check_schemathesis_has_is_run():
    names = {check.__name__ for check in CHECKS}
    assert {"positive_data_acceptance", "negative_data_rejection", "use_after_free"} <= names
    assert positive_data_acceptance in CHECKS
