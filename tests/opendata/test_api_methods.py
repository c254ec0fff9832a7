"""The API is read-only: a 405 for any other method names only the methods it answers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

READ_ONLY = {"GET", "HEAD"}


def _allowed(response) -> set[str]:
    return {method.strip() for method in response["Allow"].split(",")}


@pytest.mark.parametrize(
    "url",
    [
        lambda scene: reverse("api:index"),
        lambda scene: reverse("api:overview-list"),
        lambda scene: reverse("api:promise-list"),
        lambda scene: reverse("api:promise-detail", args=[scene.published.promises[0].pk]),
    ],
)
@pytest.mark.parametrize("method", ["options", "post", "delete"])
def test_a_refused_method_is_a_405_that_allows_only_get_and_head(client, scene, url, method):
    response = getattr(client, method)(url(scene))

    assert response.status_code == 405
    assert _allowed(response) == READ_ONLY


def test_get_and_head_are_still_answered(client, scene):
    assert client.get(reverse("api:overview-list")).status_code == 200
    assert client.head(reverse("api:overview-list")).status_code == 200
