"""Writes on subscriptions: subscribe, confirm, unsubscribe, delete, and the daily digest.

Double opt-in: ``subscription_request`` stores the address unconfirmed and
queues a confirmation e-mail with a signed link (valid ``CONFIRMATION_DAYS``);
only ``subscription_confirm`` makes the subscription active. Every e-mail
carries a one-click unsubscribe link (RFC 8058) that deletes the address and
everything stored with it.

Digests: a new progress update or a published meeting of a promise marks its
confirmed subscribers' digest as due (``digest_mark_due``) and enqueues
``subscriptions.tasks.send_digest`` for when the subscriber's last digest is a
day old. The task claims the due digest with one conditional UPDATE and queues
the e-mail in the same transaction, so each subscriber gets at most one e-mail a
day, and never the same digest twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.tasks import task_backends
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.permissions import require
from activities.models import ProgressUpdate
from followup.models import FollowUp
from outbox.services import email_queue, emails_delete_for
from promises.models import Promise
from subscriptions.models import CONFIRMATION_DAYS, Subscriber, Subscription

logger = logging.getLogger(__name__)

DIGEST_INTERVAL = timedelta(days=1)
# Anyone can type anyone's address into the form, so an address gets a confirmation
# e-mail for the same promise at most once an hour, and at most a few a day in all.
CONFIRMATION_RESEND_INTERVAL = timedelta(hours=1)
CONFIRMATIONS_PER_DAY = 5
CONFIRM_SALT = "subscriptions.confirm"
EMAIL_KIND = "subscriptions"


def normalize_email(address: str) -> str:
    return address.strip().lower()


# --- Links ---------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def confirmation_token(subscription: Subscription) -> str:
    return signing.dumps(
        {"s": subscription.pk, "t": subscription.subscriber.token}, salt=CONFIRM_SALT
    )


def confirmation_url(subscription: Subscription) -> str:
    with translation.override("sv"):
        path = reverse("subscriptions:confirm", args=[confirmation_token(subscription)])
    return _absolute(path)


def unsubscribe_url(subscriber: Subscriber) -> str:
    with translation.override("sv"):
        path = reverse("subscriptions:unsubscribe", args=[subscriber.token])
    return _absolute(path)


def _list_headers(subscriber: Subscriber) -> dict:
    """RFC 2369 and RFC 8058: mail clients offer "unsubscribe" as one click (a POST)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _send(subscriber: Subscriber, template: str, context: dict) -> None:
    context = {**context, "unsubscribe_url": unsubscribe_url(subscriber)}
    with translation.override("sv"):
        subject = " ".join(
            render_to_string(f"subscriptions/email/{template}_subject.txt", context).split()
        )
        text = render_to_string(f"subscriptions/email/{template}.txt", context)
        html = render_to_string(f"subscriptions/email/{template}.html", context)
    email_queue(
        to=subscriber.email,
        subject=subject,
        text=text,
        html=html,
        headers=_list_headers(subscriber),
        kind=EMAIL_KIND,
    )


# --- Subscribing -----------------------------------------------------------------------


def subscriptions_delete_unconfirmed(now: datetime | None = None) -> int:
    """Forget addresses that nobody confirmed in time."""
    cutoff = (now or timezone.now()) - timedelta(days=CONFIRMATION_DAYS)
    Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    deleted, _rows = Subscriber.objects.filter(subscriptions__isnull=True).delete()
    return deleted


@transaction.atomic
def subscription_request(*, email: str, promise: Promise) -> Subscription:
    """Store an unconfirmed subscription and queue the confirmation e-mail.

    The answer is the same whether or not the address already follows the
    promise, so the form tells nobody who subscribes to what.
    """
    subscriptions_delete_unconfirmed()
    promise = Promise.objects.published().select_related("period__municipality").get(pk=promise.pk)
    subscriber, _created = Subscriber.objects.get_or_create(email=normalize_email(email))
    subscription, _created = Subscription.objects.get_or_create(
        subscriber=subscriber, promise=promise
    )
    if _may_send_confirmation(subscription):
        subscription.confirmation_sent_at = timezone.now()
        subscription.save(update_fields=["confirmation_sent_at"])
        _send(
            subscriber,
            "confirm",
            {
                "promise": promise,
                "promise_url": _absolute(promise.get_absolute_url()),
                "confirm_url": confirmation_url(subscription),
                "days": CONFIRMATION_DAYS,
            },
        )
    return subscription


def _may_send_confirmation(subscription: Subscription) -> bool:
    if subscription.confirmed_at is not None:
        return False
    now = timezone.now()
    sent = subscription.confirmation_sent_at
    if sent is not None and now - sent < CONFIRMATION_RESEND_INTERVAL:
        return False
    sent_today = Subscription.objects.filter(
        subscriber=subscription.subscriber, confirmation_sent_at__gte=now - timedelta(days=1)
    ).count()
    return sent_today < CONFIRMATIONS_PER_DAY


def subscription_for_token(token: str) -> Subscription | None:
    """The unconfirmed-or-confirmed subscription a confirmation link names, if still valid."""
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRMATION_DAYS))
    except signing.BadSignature:
        return None
    if not isinstance(value, dict):
        return None
    return (
        Subscription.objects.select_related("promise__period__municipality", "subscriber")
        .filter(pk=value.get("s"), subscriber__token=value.get("t"))
        .first()
    )


def subscription_confirm(*, token: str) -> Subscription | None:
    subscription = subscription_for_token(token)
    if subscription is None:
        return None
    if subscription.confirmed_at is None:
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        subscription.refresh_from_db(fields=["confirmed_at"])
    return subscription


# --- Leaving -------------------------------------------------------------------------------


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> bool:
    """Delete the address behind an unsubscribe link, its subscriptions and unsent digests."""
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return False
    emails_delete_for(subscriber.email, kind=EMAIL_KIND)
    subscriber.delete()
    return True


@transaction.atomic
def subscriber_delete(*, user, subscriber: Subscriber) -> None:
    """An administrator deletes everything stored for one address (asked in the admin)."""
    require(user, "subscriptions.delete_subscriber", subscriber)
    emails_delete_for(subscriber.email)
    subscriber.delete()


# --- The daily digest -------------------------------------------------------------------


def digest_mark_due(promise_ids: list[int]) -> int:
    """Something new happened to these promises: their followers get a digest."""
    subscriber_ids = list(
        Subscriber.objects.filter(
            subscriptions__promise_id__in=promise_ids,
            subscriptions__confirmed_at__isnull=False,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    if not subscriber_ids:
        return 0
    Subscriber.objects.filter(pk__in=subscriber_ids).update(digest_due=True)
    now = timezone.now()
    for subscriber in Subscriber.objects.filter(pk__in=subscriber_ids).only("pk", "last_digest_at"):
        earliest = (
            now
            if subscriber.last_digest_at is None
            else max(now, subscriber.last_digest_at + DIGEST_INTERVAL)
        )
        transaction.on_commit(partial(_enqueue_digest, subscriber.pk, earliest))
    return len(subscriber_ids)


def _enqueue_digest(subscriber_id: int, run_after: datetime) -> None:
    from subscriptions.tasks import send_digest

    if run_after > timezone.now() and task_backends[send_digest.backend].supports_defer:
        send_digest.using(run_after=run_after).enqueue(subscriber_id)
    else:
        send_digest.enqueue(subscriber_id)


@dataclass
class PromiseNews:
    promise: Promise
    url: str
    updates: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)


def digest_news(subscriber: Subscriber, since: datetime | None) -> list[PromiseNews]:
    """What is new, per followed promise, since the last digest (or each confirmation)."""
    subscriptions = list(
        subscriber.subscriptions.filter(
            confirmed_at__isnull=False, promise__period__is_published=True
        ).select_related("promise__period__municipality")
    )
    news = []
    for subscription in subscriptions:
        after = max(since, subscription.confirmed_at) if since else subscription.confirmed_at
        promise = subscription.promise
        updates = list(
            ProgressUpdate.objects.filter(activity__promise=promise, created_at__gt=after)
            .select_related("activity", "organisation")
            .order_by("reported_on", "pk")
        )
        follow_ups = list(
            FollowUp.objects.filter(
                Q(promise=promise) | Q(activity__promise=promise),
                meeting__is_published=True,
                meeting__published_at__gt=after,
            )
            .select_related("meeting", "activity")
            .order_by("meeting__date", "pk")
        )
        if updates or follow_ups:
            news.append(
                PromiseNews(promise, _absolute(promise.get_absolute_url()), updates, follow_ups)
            )
    return news


def digest_send(subscriber_id: int) -> str:
    """Queue today's digest for one subscriber: "sent", "later", "nothing" or "skipped"."""
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(pk=subscriber_id, digest_due=True).first()
        if subscriber is None:
            return "skipped"
        previous = subscriber.last_digest_at
        if previous is not None and previous + DIGEST_INTERVAL > now:
            return "later"  # the task enqueued for that time sends it
        claimed = Subscriber.objects.filter(
            pk=subscriber.pk, digest_due=True, last_digest_at=previous
        ).update(digest_due=False, last_digest_at=now)
        if not claimed:
            return "skipped"  # another task sent it just now
        news = digest_news(subscriber, previous)
        if not news:
            # Nothing public to tell (e.g. the period was unpublished): no e-mail,
            # and the day's allowance is not used up.
            Subscriber.objects.filter(pk=subscriber.pk).update(last_digest_at=previous)
            return "nothing"
        _send(subscriber, "digest", {"news": news, "site_url": settings.SITE_URL})
    return "sent"
