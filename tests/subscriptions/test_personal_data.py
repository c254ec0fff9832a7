"""An administrator finds and erases everything stored for one e-mail address (issue 14)."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from outbox.models import OutgoingEmail
from outbox.services import email_queue
from participation.models import Question, QuestionEdit
from subscriptions.models import Subscriber, Subscription
from subscriptions.personal_data import personal_data_erase, personal_data_for_address
from tests.participation.factories import QuestionFactory
from tests.subscriptions.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:subscriptions_subscriber_personal_data")
QUERIES_FOR_A_SEARCH = 7  # session, user, groups, rule, and one count per kind stored


@pytest.fixture
def anna(promise):
    subscriber = SubscriptionFactory(
        subscriber__email="anna@exempel.se", promise=promise
    ).subscriber
    SubscriptionFactory(subscriber=subscriber, confirmed_at=None)
    email_queue(to="anna@exempel.se", subject="Nytt", text="Hej", kind="subscriptions")
    email_queue(to="Anna@Exempel.se", subject="Svar", text="Hej", kind="questions")
    QuestionFactory(promise=promise, email="ANNA@exempel.se", message="Varför släcks lamporna?")
    QuestionFactory(promise=promise, email="anna@exempel.se")
    return subscriber


@pytest.fixture
def bertil(promise):
    SubscriptionFactory(subscriber__email="bertil@exempel.se", promise=promise)
    email_queue(to="bertil@exempel.se", subject="Nytt", text="Hej", kind="subscriptions")
    return QuestionFactory(promise=promise, email="bertil@exempel.se")


def test_the_counts_name_everything_stored_for_the_address_whatever_its_case(anna, bertil):
    found = personal_data_for_address("  Anna@EXEMPEL.se ")
    assert found.email == "anna@exempel.se"
    assert (found.subscribers, found.subscriptions, found.emails, found.questions) == (1, 2, 2, 2)
    assert found.total == 7
    assert personal_data_for_address("nobody@exempel.se").total == 0


def test_erasing_removes_all_three_kinds_and_leaves_other_addresses(
    anna, bertil, national_administrator
):
    personal_data_erase(user=national_administrator, email="ANNA@exempel.se")

    assert personal_data_for_address("anna@exempel.se").total == 0
    assert not Subscriber.objects.filter(pk=anna.pk).exists()
    assert not Subscription.objects.filter(subscriber_id=anna.pk).exists()
    assert not OutgoingEmail.objects.filter(to__iexact="anna@exempel.se").exists()
    kept = Question.objects.get(message="Varför släcks lamporna?")
    assert kept.email == ""
    edit = QuestionEdit.objects.get(question=kept)
    assert (edit.fields, edit.made_by) == ("email", national_administrator)
    assert "anna" not in edit.note

    assert personal_data_for_address("bertil@exempel.se").total == 4
    bertil.refresh_from_db()
    assert bertil.email == "bertil@exempel.se"
    assert not bertil.edits.exists()


@pytest.mark.parametrize(
    "role", ["secretary", "municipal_administrator", "police_reporter", "municipality_reporter"]
)
def test_only_national_administrators_may_erase(request, role, anna):
    with pytest.raises(PermissionDenied):
        personal_data_erase(user=request.getfixturevalue(role), email="anna@exempel.se")
    assert personal_data_for_address("anna@exempel.se").total == 7


def test_the_page_shows_the_counts_and_erases_on_confirmation(client, national_administrator, anna):
    client.force_login(national_administrator)
    changelist = client.get(reverse("admin:subscriptions_subscriber_changelist"))
    assert PAGE in changelist.content.decode()

    assert client.get(PAGE).status_code == 200
    found = client.post(PAGE, {"email": "Anna@exempel.se"})
    page = found.content.decode()
    assert found.status_code == 200
    assert "Invånarfrågor med adressen: <strong>2</strong>" in page
    assert "E-post som inte skickats: <strong>2</strong>" in page
    assert 'name="erase"' in page
    assert Subscriber.objects.filter(pk=anna.pk).exists()

    response = client.post(PAGE, {"email": "anna@exempel.se", "erase": "1"}, follow=True)
    assert response.status_code == 200
    assert "Allt som fanns lagrat för anna@exempel.se är raderat." in response.content.decode()
    assert personal_data_for_address("anna@exempel.se").total == 0


def test_an_address_with_nothing_stored_offers_nothing_to_erase(client, national_administrator):
    client.force_login(national_administrator)
    page = client.post(PAGE, {"email": "ingen@exempel.se"}).content.decode()
    assert "Ingenting är lagrat för adressen." in page
    assert 'name="erase"' not in page


@pytest.mark.parametrize(
    "email", ["inte en adress", "anna@", "<script>@x", "a" * 300 + "@x.se", ""]
)
def test_hostile_input_gets_a_swedish_error_and_erases_nothing(
    client, national_administrator, anna, email
):
    client.force_login(national_administrator)
    response = client.post(PAGE, {"email": email, "erase": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="errornote"' in page
    assert "Skriv e" in page or "högst 254 tecken" in page
    assert "<script>@x" not in page
    assert personal_data_for_address("anna@exempel.se").total == 7


@pytest.mark.parametrize("role", ["secretary", "municipal_administrator"])
def test_other_staff_get_403(client, request, role, anna):
    client.force_login(request.getfixturevalue(role))
    changelist = client.get(reverse("admin:subscriptions_subscriber_changelist"))
    assert PAGE not in changelist.content.decode()
    assert client.get(PAGE, {"email": "anna@exempel.se"}).status_code == 403
    assert client.post(PAGE, {"email": "anna@exempel.se"}).status_code == 403
    assert client.post(PAGE, {"email": "anna@exempel.se", "erase": "1"}).status_code == 403
    assert personal_data_for_address("anna@exempel.se").total == 7


@pytest.mark.parametrize("role", ["police_reporter", "municipality_reporter"])
def test_reporters_are_sent_to_the_admin_login(client, request, role, anna):
    """Reporters are not staff: the admin itself turns them away before the rules are asked."""
    client.force_login(request.getfixturevalue(role))
    response = client.post(PAGE, {"email": "anna@exempel.se", "erase": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert personal_data_for_address("anna@exempel.se").total == 7


@pytest.mark.parametrize("stored", [1, 15])
def test_the_search_costs_the_same_queries_however_much_is_stored(
    client, national_administrator, promise, stored, django_assert_num_queries
):
    address = "cecilia@exempel.se"
    for _ in range(stored):
        SubscriptionFactory(subscriber__email=f"x{_}@exempel.se", promise=promise)
        email_queue(to=address, subject="Nytt", text="Hej", kind="subscriptions")
        QuestionFactory(promise=promise, email=address)
    SubscriptionFactory(subscriber__email=address, promise=promise)
    client.force_login(national_administrator)
    client.get(PAGE)  # the session, the user and their groups are read once, as on any page

    with django_assert_num_queries(QUERIES_FOR_A_SEARCH):
        found = client.post(PAGE, {"email": address})

    assert f"Invånarfrågor med adressen: <strong>{stored}</strong>" in found.content.decode()


def test_the_address_is_searched_by_post_and_never_put_in_a_url(
    client, national_administrator, anna
):
    """A GET's query string ends up in access logs and the browser's history."""
    client.force_login(national_administrator)

    by_get = client.get(PAGE, {"email": "anna@exempel.se"})
    page = by_get.content.decode()
    assert by_get.status_code == 200
    assert by_get.context["found"] is None
    assert "anna@exempel.se" not in page
    assert '<form method="post" id="personal-data-search">' in page

    by_post = client.post(PAGE, {"email": "anna@exempel.se"})
    assert by_post.context["found"].total == 7
    assert personal_data_for_address("anna@exempel.se").total == 7  # searching erases nothing


def test_each_erasure_is_logged_with_who_and_how_much_but_not_the_address(
    client, national_administrator, anna
):
    client.force_login(national_administrator)
    client.post(PAGE, {"email": "anna@exempel.se", "erase": "1"})

    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.user == national_administrator
    assert "1 prenumerant, 2 prenumerationer, 2 e-brev" in entry.change_message
    assert "2 invånarfrågor" in entry.change_message
    for logged in LogEntry.objects.values_list("object_repr", "change_message"):
        assert "anna" not in " ".join(logged).lower()


def test_erasing_twice_says_that_nothing_was_stored(client, national_administrator, anna):
    client.force_login(national_administrator)
    client.post(PAGE, {"email": "anna@exempel.se", "erase": "1"}, follow=True)

    again = client.post(PAGE, {"email": "ANNA@exempel.se", "erase": "1"}, follow=True)

    assert "Ingenting var lagrat för anna@exempel.se." in again.content.decode()
    assert "är raderat" not in again.content.decode()


def test_erasing_makes_earlier_log_entries_that_named_the_address_anonymous(
    national_administrator, anna
):
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(  # as Django's own deletion entry was written before
        user=national_administrator,
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(anna.pk),
        object_repr="Anna@exempel.se",
        action_flag=DELETION,
    )

    personal_data_erase(user=national_administrator, email="anna@exempel.se")

    assert not LogEntry.objects.filter(object_repr__icontains="anna").exists()
    assert LogEntry.objects.filter(object_repr=f"#{anna.pk}").exists()
