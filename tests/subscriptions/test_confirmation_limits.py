"""Anyone can type anyone's address: confirmation e-mails to one address are limited."""

from datetime import timedelta

import pytest

from outbox.models import OutgoingEmail
from subscriptions.models import Subscription
from subscriptions.services import (
    CONFIRMATION_RESEND_INTERVAL,
    CONFIRMATIONS_PER_DAY,
    subscription_request,
)
from tests.promises.factories import PromiseFactory

pytestmark = pytest.mark.django_db

ADDRESS = "anna@exempel.se"


def confirmations_queued() -> int:
    return OutgoingEmail.objects.filter(to=ADDRESS).count()


def test_asking_again_for_the_same_promise_resends_only_after_an_hour(promise):
    subscription = subscription_request(email=ADDRESS, promise=promise)
    subscription_request(email=ADDRESS, promise=promise)
    assert confirmations_queued() == 1

    Subscription.objects.filter(pk=subscription.pk).update(
        confirmation_sent_at=subscription.confirmation_sent_at - CONFIRMATION_RESEND_INTERVAL
    )
    subscription_request(email=ADDRESS, promise=promise)
    assert confirmations_queued() == 2


def test_one_address_gets_a_few_confirmations_a_day_whatever_the_promises(promise):
    promises = [promise, *PromiseFactory.create_batch(CONFIRMATIONS_PER_DAY, period=promise.period)]
    for each in promises:
        subscription_request(email=ADDRESS, promise=each)
    assert confirmations_queued() == CONFIRMATIONS_PER_DAY
    assert Subscription.objects.filter(subscriber__email=ADDRESS).count() == len(promises)

    # A day later the last one may be confirmed after all.
    Subscription.objects.exclude(confirmation_sent_at=None).update(
        confirmation_sent_at=promise.created_at - timedelta(days=2)
    )
    subscription_request(email=ADDRESS, promise=promises[-1])
    assert confirmations_queued() == CONFIRMATIONS_PER_DAY + 1


def test_a_confirmed_subscription_gets_no_new_confirmation(promise):
    subscription = subscription_request(email=ADDRESS, promise=promise)
    Subscription.objects.filter(pk=subscription.pk).update(
        confirmed_at=subscription.created_at, confirmation_sent_at=None
    )
    subscription_request(email=ADDRESS, promise=promise)
    assert confirmations_queued() == 1
