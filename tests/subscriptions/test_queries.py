"""The new pages answer in a fixed number of queries, however many people subscribe."""

import pytest
from django.urls import reverse

from subscriptions.services import confirmation_token
from tests.subscriptions.conftest import subscribe_url
from tests.subscriptions.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def page_queries(client, promise, django_assert_max_num_queries, limit: int) -> None:
    subscription = SubscriptionFactory(promise=promise, confirmed_at=None)
    urls = [
        subscribe_url(promise),
        reverse("pages:privacy"),
        reverse("subscriptions:confirm", args=[confirmation_token(subscription)]),
        reverse("subscriptions:unsubscribe", args=[subscription.subscriber.token]),
    ]
    for url in urls:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("subscribers", [1, 40])
def test_the_pages_take_the_same_queries_with_few_or_many_subscribers(
    client, promise, django_assert_max_num_queries, subscribers
):
    SubscriptionFactory.create_batch(subscribers, promise=promise)
    page_queries(client, promise, django_assert_max_num_queries, limit=5)
