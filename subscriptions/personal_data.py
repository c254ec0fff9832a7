"""Everything stored for one e-mail address: found and erased on the person's request.

The address can be in three places: a subscriber (with its subscriptions), the
outbox's messages not yet sent, and residents' questions. Erasing deletes the
first two and blanks the address on the questions, whose text stays (it may
already be public, and its personal data is the moderators' edit to make).

Each erasure is logged in the admin's log (who, when and how much, never the
address), and log entries that named the address are made anonymous.
"""

from dataclasses import dataclass

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext

from accounts.permissions import require
from outbox.services import emails_delete_for, emails_for
from participation.services import questions_erase_address, questions_with_address
from subscriptions.models import Subscriber, Subscription
from subscriptions.services import normalize_email


@dataclass(frozen=True)
class PersonalData:
    email: str
    subscribers: int
    subscriptions: int
    emails: int
    questions: int

    @property
    def total(self) -> int:
        return self.subscribers + self.subscriptions + self.emails + self.questions


def personal_data_for_address(email: str) -> PersonalData:
    """How much is stored for ``email`` (the address itself is matched without case)."""
    address = normalize_email(email)
    return PersonalData(
        email=address,
        subscribers=Subscriber.objects.filter(email__iexact=address).count(),
        subscriptions=Subscription.objects.filter(subscriber__email__iexact=address).count(),
        emails=emails_for(address).count(),
        questions=questions_with_address(address).count(),
    )


def subscriber_log_label(subscriber_id) -> str:
    """How the admin's log names a subscriber: by number, since the address is personal."""
    return f"#{subscriber_id}"


@transaction.atomic
def personal_data_erase(*, user, email: str) -> PersonalData:
    """Delete the subscriber, its subscriptions and unsent mail; erase the address from questions.

    Returns what was stored before; all or nothing.
    """
    require(user, "subscriptions.erase_personal_data")
    found = personal_data_for_address(email)
    emails_delete_for(found.email)
    Subscriber.objects.filter(email__iexact=found.email).delete()
    questions_erase_address(found.email, made_by=user)
    _log_erasure(user, found)
    return found


def _log_erasure(user, found: PersonalData) -> None:
    subscriber_type = ContentType.objects.get_for_model(Subscriber)
    # Entries written before (a subscriber deleted in the admin) named the address.
    LogEntry.objects.filter(content_type=subscriber_type, object_repr__iexact=found.email).update(
        object_repr=Concat(Value("#"), F("object_id"))
    )
    if getattr(user, "pk", None) is None:
        return
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=subscriber_type,
        object_repr=gettext("Sök och radera en e-postadress"),
        action_flag=DELETION,
        change_message=gettext(
            "Raderat på begäran: %(subscribers)d prenumerant, %(subscriptions)d "
            "prenumerationer, %(emails)d e-brev som inte skickats och adressen på "
            "%(questions)d invånarfrågor."
        )
        % {
            "subscribers": found.subscribers,
            "subscriptions": found.subscriptions,
            "emails": found.emails,
            "questions": found.questions,
        },
    )
