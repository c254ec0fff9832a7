import factory
from django.utils import timezone

from subscriptions.models import Subscriber, Subscription
from tests.promises.factories import PromiseFactory


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"prenumerant{n}@exempel.se")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    promise = factory.SubFactory(PromiseFactory)
    confirmed_at = factory.LazyFunction(timezone.now)
