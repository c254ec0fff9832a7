"""The subscription form against hostile and hurried input: a Swedish message, nothing stored."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from accounts.form_guard import started_token
from outbox.models import OutgoingEmail
from subscriptions.models import Subscriber, Subscription
from tests.promises.factories import PeriodFactory, PromiseFactory
from tests.subscriptions.conftest import form_data, subscribe_url

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not (
        Subscriber.objects.exists()
        or Subscription.objects.exists()
        or OutgoingEmail.objects.exists()
    )


def test_the_form_page_shows_the_promise_and_links_the_privacy_page(client, promise):
    response = client.get(subscribe_url(promise))
    content = response.content.decode()
    assert response.status_code == 200
    assert promise.title in content
    assert reverse("pages:privacy") in content
    assert 'name="website"' in content  # the honeypot, hidden
    assert "<div hidden>" in content


def test_the_promise_page_links_to_the_form(client, promise):
    response = client.get(promise.get_absolute_url())
    assert subscribe_url(promise) in response.content.decode()


def test_a_valid_address_is_stored_unconfirmed_with_one_confirmation_queued(client, promise):
    response = client.post(subscribe_url(promise), form_data("  Anna@Exempel.SE "))
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.subscriber.email == "anna@exempel.se"
    assert subscription.confirmed_at is None
    assert OutgoingEmail.objects.get().to == "anna@exempel.se"
    followed = client.get(response["Location"])
    assert "Bekräfta din e-postadress" in followed.content.decode()


HOSTILE = {
    "empty": ("", "Skriv din e-postadress."),
    "oversized": ("a" * 250 + "@exempel.se", "högst 254 tecken"),
    "html": ("<script>alert(1)</script>@exempel.se", "Skriv en e-postadress som"),
    "html in domain": ('anna@<img src=x onerror="alert(1)">.se', "Skriv en e-postadress som"),
    "zero-width space": ("an\u200bna@exempel.se", "Skriv en e-postadress som"),
    "right-to-left override": ("anna\u202e@exempel.se", "Skriv en e-postadress som"),
    "null byte": ("anna\x00@exempel.se", "Null-tecken är inte tillåtna"),
    "two addresses": ("anna@exempel.se, bo@exempel.se", "Skriv en e-postadress som"),
    "header injection": ("anna@exempel.se\r\nBcc: alla@exempel.se", "Skriv en e-postadress som"),
    "no domain": ("anna@", "Skriv en e-postadress som"),
}


@pytest.mark.parametrize(("address", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_addresses_get_a_swedish_message_and_nothing_is_stored(
    client, promise, address, message
):
    response = client.post(subscribe_url(promise), form_data(address))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    assert nothing_stored()


def test_a_robot_filling_the_honeypot_is_refused(client, promise):
    response = client.post(
        subscribe_url(promise), form_data("anna@exempel.se", website="https://spam.example")
    )
    assert response.status_code == 400
    assert "Formuläret kunde inte skickas" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    ("started", "message"),
    [
        (lambda: started_token(), "Formuläret skickades väldigt snabbt"),
        (lambda: started_token(time.time() - 2 * 24 * 3600), "Sidan har varit öppen länge"),
        (lambda: signing.dumps(int(time.time() - 60), salt="fel"), "Formuläret kunde inte"),
        (lambda: "", "Formuläret kunde inte skickas"),
        (lambda: "x" * 10_000, "Formuläret kunde inte skickas"),
    ],
    ids=["too fast", "day-old page", "forged time", "missing time", "oversized time"],
)
def test_the_signed_fill_time_refuses_hurried_forged_or_stale_forms(
    client, promise, started, message
):
    data = form_data("anna@exempel.se", started=started())
    response = client.post(subscribe_url(promise), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_stored()


def test_rapid_repeats_from_one_address_are_limited_with_a_swedish_message(client, promise):
    for number in range(5):
        response = client.post(subscribe_url(promise), form_data(f"person{number}@exempel.se"))
        assert response.status_code == 302
    response = client.post(subscribe_url(promise), form_data("person5@exempel.se"))
    assert response.status_code == 429
    assert "Försök igen om en timme" in response.content.decode()
    assert not Subscriber.objects.filter(email="person5@exempel.se").exists()
    assert Subscriber.objects.count() == 5
    # Another client address is not affected.
    response = client.post(
        subscribe_url(promise), form_data("person6@exempel.se"), REMOTE_ADDR="192.0.2.7"
    )
    assert response.status_code == 302


def test_subscribing_twice_stores_one_subscription(client, promise):
    client.post(subscribe_url(promise), form_data("anna@exempel.se"))
    client.post(subscribe_url(promise), form_data("ANNA@exempel.se"))
    assert Subscriber.objects.count() == 1
    assert Subscription.objects.count() == 1


def test_an_unpublished_promise_has_no_form(client, timra):
    period = PeriodFactory(municipality=timra, is_published=False)
    promise = PromiseFactory(period=period)
    assert client.get(subscribe_url(promise)).status_code == 404
    assert client.post(subscribe_url(promise), form_data("anna@exempel.se")).status_code == 404
    assert nothing_stored()


@pytest.mark.parametrize(
    "token",
    ["inte-en-token", "eyJzIjoxfQ:1xZawW:fel", "a" * 2000],
    ids=["garbage", "forged", "oversized"],
)
def test_a_broken_confirmation_link_is_404_and_confirms_nothing(client, token):
    response = client.post(reverse("subscriptions:confirm", args=[token]))
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()


def test_an_unknown_unsubscribe_link_is_404(client, db):
    assert client.get(reverse("subscriptions:unsubscribe", args=["okand"])).status_code == 404
