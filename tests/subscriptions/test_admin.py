"""An administrator finds everything stored for one e-mail address and deletes it."""

import pytest
from django.urls import reverse

from outbox.models import OutgoingEmail
from outbox.services import email_queue
from subscriptions.models import Subscriber, Subscription
from tests.subscriptions.factories import SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:subscriptions_subscriber_changelist")


@pytest.fixture
def anna(promise):
    subscriber = SubscriptionFactory(
        subscriber__email="anna@exempel.se", promise=promise
    ).subscriber
    email_queue(to="anna@exempel.se", subject="Nytt", text="Hej", kind="subscriptions")
    email_queue(to="anna@exempel.se", subject="Svar från rådet", text="Hej", kind="questions")
    return subscriber


def test_a_national_administrator_finds_an_address_and_deletes_everything_stored(
    client, national_administrator, anna, promise
):
    other = SubscriptionFactory(subscriber=SubscriberFactory(), promise=promise).subscriber
    client.force_login(national_administrator)

    found = client.post(
        reverse("admin:subscriptions_subscriber_personal_data"), {"email": "ANNA@exempel.se"}
    )
    assert found.status_code == 200
    assert "anna@exempel.se" in found.content.decode()
    assert other.email not in found.content.decode()

    delete = reverse("admin:subscriptions_subscriber_delete", args=[anna.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302

    assert not Subscriber.objects.filter(email="anna@exempel.se").exists()
    assert not Subscription.objects.filter(subscriber_id=anna.pk).exists()
    assert not OutgoingEmail.objects.filter(to="anna@exempel.se").exists()
    assert Subscriber.objects.filter(pk=other.pk).exists()


def test_the_delete_action_goes_through_the_service_too(client, national_administrator, anna):
    client.force_login(national_administrator)
    response = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [anna.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not OutgoingEmail.objects.exists()


@pytest.mark.parametrize("role", ["municipal_administrator", "secretary", "police_reporter"])
def test_other_roles_see_no_addresses(client, request, role, anna):
    client.force_login(request.getfixturevalue(role))
    response = client.get(CHANGELIST)
    assert response.status_code == 403 or "/admin/login/" in response.get("Location", "")
    delete = reverse("admin:subscriptions_subscriber_delete", args=[anna.pk])
    assert client.post(delete, {"post": "yes"}).status_code in {302, 403, 404}
    assert Subscriber.objects.filter(pk=anna.pk).exists()


def test_nobody_adds_or_edits_an_address_by_hand(client, national_administrator, anna):
    client.force_login(national_administrator)
    assert client.get(reverse("admin:subscriptions_subscriber_add")).status_code == 403
    change = reverse("admin:subscriptions_subscriber_change", args=[anna.pk])
    client.post(change, {"email": "annan@exempel.se"})
    anna.refresh_from_db()
    assert anna.email == "anna@exempel.se"


def test_unsubscribing_withdraws_only_the_subscriptions_unsent_mail(client, anna):
    client.post(reverse("subscriptions:unsubscribe", args=[anna.token]))
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["questions"]


def test_deleting_a_subscriber_in_the_admin_keeps_no_address_in_the_admins_log(
    client, national_administrator, anna, promise
):
    from django.contrib.admin.models import LogEntry

    other = SubscriptionFactory(subscriber__email="bo@exempel.se", promise=promise).subscriber
    client.force_login(national_administrator)
    client.post(reverse("admin:subscriptions_subscriber_delete", args=[anna.pk]), {"post": "yes"})
    client.post(
        reverse("admin:subscriptions_subscriber_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )

    assert not Subscriber.objects.exists()
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == sorted(
        [f"#{anna.pk}", f"#{other.pk}"]
    )
    client.get(reverse("admin:index"))  # shows (and so ends) the "deleted" message once
    recent = client.get(reverse("admin:index")).content.decode()  # "Senaste åtgärder"
    assert "anna@exempel.se" not in recent and "bo@exempel.se" not in recent


def test_a_migration_makes_the_addresses_in_earlier_log_entries_anonymous(
    national_administrator, anna
):
    import importlib

    from django.apps import apps
    from django.contrib.admin.models import DELETION, LogEntry
    from django.contrib.contenttypes.models import ContentType

    migration = importlib.import_module("subscriptions.migrations.0002_anonymise_admin_log")
    entry = LogEntry.objects.create(  # as Django wrote it before
        user=national_administrator,
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(anna.pk),
        object_repr=anna.email,
        action_flag=DELETION,
    )
    other = LogEntry.objects.create(
        user=national_administrator,
        content_type=ContentType.objects.get_for_model(type(national_administrator)),
        object_id=str(national_administrator.pk),
        object_repr="administratoren",
        action_flag=DELETION,
    )

    migration.anonymise(apps, None)

    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.object_repr == f"#{anna.pk}"
    assert other.object_repr == "administratoren"


def test_the_subscriber_list_neither_searches_nor_filters_by_address(
    client, national_administrator, anna, promise
):
    other = SubscriptionFactory(subscriber=SubscriberFactory(), promise=promise).subscriber
    client.force_login(national_administrator)

    searched = client.get(CHANGELIST, {"q": "anna@exempel.se"})
    assert 'id="searchbar"' not in searched.content.decode()
    assert other.email in searched.content.decode()  # the list is not narrowed by the address
    for lookup in ("email", "email__startswith", "email__icontains"):
        assert client.get(CHANGELIST, {lookup: "anna@exempel.se"}).status_code == 400
