"""Only the subscription form's own page sets a cookie; the promise page stays cached."""

import pytest
from django.test import override_settings
from django.urls import reverse

from subscriptions.services import confirmation_token, subscription_request
from tests.subscriptions.conftest import subscribe_url

pytestmark = pytest.mark.django_db


def test_only_the_form_page_sets_a_cookie_and_it_is_the_csrf_cookie(client, promise):
    subscription = subscription_request(email="anna@exempel.se", promise=promise)
    cookie_free = [
        promise.get_absolute_url(),
        reverse("pages:privacy"),
        reverse(
            "subscriptions:requested",
            args=[promise.period.municipality.slug, promise.period.slug, promise.slug],
        ),
        reverse("subscriptions:confirm", args=[confirmation_token(subscription)]),
        reverse("subscriptions:unsubscribe", args=[subscription.subscriber.token]),
    ]
    for url in cookie_free:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url

    response = client.get(subscribe_url(promise))
    assert set(response.cookies) == {"csrftoken"}
    assert response.cookies["csrftoken"]["httponly"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"
    assert "no-cache" in response["Cache-Control"]


def test_confirming_and_unsubscribing_by_button_set_no_cookie(client, promise):
    subscription = subscription_request(email="anna@exempel.se", promise=promise)
    confirmed = client.post(
        reverse("subscriptions:confirm", args=[confirmation_token(subscription)])
    )
    gone = client.post(reverse("subscriptions:unsubscribe", args=[subscription.subscriber.token]))
    assert confirmed.status_code == gone.status_code == 200
    assert not confirmed.cookies and not gone.cookies


@override_settings(PAGE_CACHE_SECONDS=600)
def test_the_promise_page_with_its_follow_link_is_still_served_from_the_page_cache(client, promise):
    first = client.get(promise.get_absolute_url())
    second = client.get(promise.get_absolute_url())
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert subscribe_url(promise) in second.content.decode()
    # The form page is never stored: it carries a CSRF token for one visitor.
    assert client.get(subscribe_url(promise))["X-Cache"] == "bypass"
    assert client.get(subscribe_url(promise))["X-Cache"] == "bypass"


@override_settings(PAGE_CACHE_SECONDS=600)
def test_the_privacy_page_is_cached_and_linked_from_the_footer(client, promise):
    client.get(reverse("pages:privacy"))
    response = client.get(reverse("pages:privacy"))
    assert response["X-Cache"] == "hit"
    assert "Personuppgifter och kakor" in response.content.decode()
    assert reverse("pages:privacy") in client.get(promise.get_absolute_url()).content.decode()


def _no_shared_cache(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives


@override_settings(PAGE_CACHE_SECONDS=600)
def test_the_confirm_and_unsubscribe_pages_are_private_and_never_stored(client, promise):
    """They name what one address follows: no browser or shared cache may keep them."""
    subscription = subscription_request(email="anna@exempel.se", promise=promise)
    confirm = reverse("subscriptions:confirm", args=[confirmation_token(subscription)])
    unsubscribe = reverse("subscriptions:unsubscribe", args=[subscription.subscriber.token])
    responses = {
        "confirm page": client.get(confirm),
        "confirmed": client.post(confirm),
        "unsubscribe page": client.get(unsubscribe),
        "unsubscribed": client.post(unsubscribe),
        "unknown link": client.get(reverse("subscriptions:confirm", args=["forged"])),
    }
    for name, response in responses.items():
        assert "Cache-Control" in response, name
        assert _no_shared_cache(response), (name, response["Cache-Control"])
        assert response.get("X-Cache") != "hit", name
        assert not response.cookies, name

    public = client.get(promise.get_absolute_url())
    assert "private" not in public.get("Cache-Control", "")
    assert client.get(promise.get_absolute_url())["X-Cache"] == "hit"
