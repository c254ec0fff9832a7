"""Hostile input to every public and staff form: never a server error, nothing invalid stored.

Each Hypothesis example runs in a transaction that is rolled back, so examples
do not see each other's writes. Whatever an example managed to store must pass
the model's own validation (``full_clean``).
"""

import datetime
import uuid

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from activities.models import Measurement, ProgressUpdate
from tests.activities.factories import ActivityFactory, IndicatorFactory, ProgressUpdateFactory
from tests.security.hostile import (
    assert_not_a_server_error,
    assert_valid,
    get,
    hostile_settings,
    hostile_text,
    post,
    rolled_back,
)

pytestmark = pytest.mark.django_db

STATUSES = [choice for choice, _label in ProgressUpdate.Status.choices]


def maybe(valid: st.SearchStrategy) -> st.SearchStrategy:
    """A valid value as often as a hostile one, so that some examples get stored."""
    return st.one_of(valid, hostile_text())


def assert_all_valid(*models, blank_allowed: bool = False) -> None:
    """Every stored row passes ``full_clean``; with ``blank_allowed`` (third-party models
    such as django-axes' log, which leaves fields empty that it declares required)
    empty fields are not checked, but lengths, choices and characters are."""
    for model in models:
        for obj in model.objects.all():
            exclude = None
            if blank_allowed:
                exclude = [f.name for f in model._meta.fields if getattr(obj, f.attname) == ""]
            assert_valid(obj, exclude=exclude)


@pytest.fixture
def police_activity(police_organisation):
    return ActivityFactory(title="Fotpatrullering", lead_organisation=police_organisation)


@pytest.fixture
def reporter_client(police_reporter) -> Client:
    client = Client()
    client.force_login(police_reporter)
    return client


# --- The staff pages ------------------------------------------------------------------


@hostile_settings
@given(data=st.data())
def test_the_report_form_answers_hostile_input_without_error_and_stores_only_valid_reports(
    reporter_client, police_activity, data
):
    indicator = IndicatorFactory(activity=police_activity)
    values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "submission_token": maybe(st.uuids().map(str)),
                "status": maybe(st.sampled_from(STATUSES)),
                "percent_complete": maybe(st.integers(-5, 105).map(str)),
                "text": maybe(st.just("Fyra kvällar med fotpatrullering.")),
                "indicator": maybe(st.just(str(indicator.pk))),
                "value": maybe(st.decimals(allow_nan=False, places=2).map(str)),
                "measured_on": maybe(
                    st.dates(datetime.date(1999, 1, 1), timezone.localdate()).map(str)
                ),
            },
        )
    )
    with rolled_back():
        url = f"/personal/aktiviteter/{police_activity.pk}/rapportera/"
        response = post(reporter_client, url, values)
        assert_not_a_server_error(response)
        assert response.status_code in (302, 400)
        assert_all_valid(ProgressUpdate, Measurement)
        if response.status_code == 400:
            assert not ProgressUpdate.objects.exists()
            assert not Measurement.objects.exists()


@hostile_settings
@given(data=st.data())
def test_the_correction_form_answers_hostile_input_without_error_and_keeps_the_update_valid(
    reporter_client, police_reporter, police_activity, data
):
    values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "status": maybe(st.sampled_from(STATUSES)),
                "percent_complete": maybe(st.integers(-5, 105).map(str)),
                "text": hostile_text(),
            },
        )
    )
    with rolled_back():
        update = ProgressUpdateFactory(activity=police_activity, author=police_reporter)
        response = post(reporter_client, f"/personal/lagesrapporter/{update.pk}/andra/", values)
        assert_not_a_server_error(response)
        assert response.status_code in (302, 400)
        update.refresh_from_db()
        assert_valid(update)
        if response.status_code == 400:
            assert update.text == "Arbetet pågår enligt plan."


# --- Logging in, resetting a password, two factors --------------------------------------


def latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


@override_settings(AXES_ENABLED=True, PROXY_COUNT=1)
@hostile_settings
@given(data=st.data())
def test_login_answers_hostile_input_without_error(client, police_reporter, data):
    from axes.models import AccessAttempt, AccessFailureLog

    # What a client can put in X-Forwarded-For (latin-1, like every HTTP header),
    # as it reaches the app when the proxy count is set but no proxy appends.
    forwarded = data.draw(
        st.one_of(
            st.sampled_from(["203.0.113.5", "fe80::1%eth0", "::1", "999.1.1.1", "a, b"]),
            hostile_text().filter(latin1),
        )
    )
    values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "username": maybe(st.just(police_reporter.username)),
                "password": hostile_text(),
                "next": hostile_text(),
            },
        )
    )
    path = data.draw(st.sampled_from(["/konto/logga-in/", "/admin/login/"]))
    with rolled_back():
        response = post(client, path, values, HTTP_X_FORWARDED_FOR=forwarded)
        assert_not_a_server_error(response)
        assert response.status_code == 200  # never logged in with a wrong password
        assert_all_valid(AccessAttempt, AccessFailureLog, blank_allowed=True)


@hostile_settings
@given(email=hostile_text())
def test_password_reset_answers_hostile_input_without_error_and_mails_nobody(
    client, police_reporter, email
):
    with rolled_back():
        response = post(client, "/konto/losenord/aterstall/", {"email": email})
        assert_not_a_server_error(response)
        assert mail.outbox == []


@hostile_settings
@given(uidb64=hostile_text(), token=hostile_text())
def test_a_hostile_password_reset_link_is_refused_without_error(client, uidb64, token):
    from tests.security.hostile import encode_value

    path = f"/konto/losenord/aterstall/{encode_value(uidb64)}/{encode_value(token)}/"
    response = client.get(path, follow=True)
    assert_not_a_server_error(response)


@hostile_settings
@given(data=st.data())
def test_setting_a_password_answers_hostile_input_without_error(
    reporter_client, police_reporter, data
):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tests.conftest import STAFF_PASSWORD

    new = data.draw(hostile_text())
    repeated = data.draw(st.one_of(st.just(new), hostile_text()))
    values = {"new_password1": new, "new_password2": repeated}
    with rolled_back():
        if data.draw(st.booleans()):
            # Changing it while logged in, with a hostile "old password": never changed.
            values["old_password"] = data.draw(hostile_text())
            response = post(reporter_client, "/konto/losenord/byt/", values)
            assert_not_a_server_error(response)
            police_reporter.refresh_from_db()
            assert police_reporter.check_password(STAFF_PASSWORD)
        else:
            # The form behind the link in a password-reset mail.
            police_reporter.refresh_from_db()  # the token covers the last login
            uid = urlsafe_base64_encode(force_bytes(police_reporter.pk))
            token = default_token_generator.make_token(police_reporter)
            client = Client()
            link = client.get(f"/konto/losenord/aterstall/{uid}/{token}/")
            assert link.status_code == 302
            response = post(client, link["Location"], values)
            assert_not_a_server_error(response)
            police_reporter.refresh_from_db()
            changed = response.status_code == 302
            assert police_reporter.check_password(STAFF_PASSWORD) is not changed
            assert_valid(police_reporter)


@hostile_settings
@given(data=st.data())
def test_the_two_factor_pages_answer_hostile_codes_without_error(
    reporter_client, police_reporter, data
):
    values = data.draw(
        st.fixed_dictionaries({}, optional={"token": hostile_text(), "next": hostile_text()})
    )
    enrolled = data.draw(st.booleans())
    page = data.draw(st.sampled_from(["", "verifiera/", "stang-av/"]))
    with rolled_back():
        if enrolled:
            TOTPDevice.objects.create(user=police_reporter, name="authenticator", confirmed=True)
        response = post(reporter_client, f"/konto/tvafaktor/{page}", values)
        assert_not_a_server_error(response)
        assert get(reporter_client, f"/konto/tvafaktor/{page}", values).status_code < 500
        assert_all_valid(TOTPDevice)
        if response.status_code == 302:
            location = response["Location"]
            assert location.startswith("/") and not location.startswith("//")


# --- The public site: search, filters, the language link --------------------------------


@pytest.fixture
def public_period(police_organisation, municipality_organisation):
    from tests.opendata.conftest import build_period
    from tests.promises.factories import MunicipalityFactory

    municipality = MunicipalityFactory(name="Timrå", slug="timra")
    return build_period(municipality, police_organisation, municipality_organisation, 1).period


@hostile_settings
@given(data=st.data())
def test_search_answers_hostile_queries_without_error(client, public_period, data):
    query = data.draw(st.one_of(hostile_text(), st.lists(hostile_text(), max_size=3)))
    prefix = data.draw(st.sampled_from(["", "/en"]))
    response = get(client, f"{prefix}/sok/", {"q": query})
    assert_not_a_server_error(response)
    assert response.status_code == 200


@hostile_settings
@given(data=st.data())
def test_the_promise_list_answers_hostile_filters_without_error(client, public_period, data):
    values = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "omrade": maybe(st.sampled_from([a.slug for a in public_period.focus_areas.all()])),
                "aktor": maybe(st.sampled_from(["polisen", "timra-kommun"])),
                "status": maybe(st.sampled_from(["forsenad", "in_progress", "done"])),
            },
        )
    )
    values.update(data.draw(st.dictionaries(hostile_text(), hostile_text(), max_size=2)))
    path = f"/timra/{public_period.slug}/loften/"
    response = get(client, path, values)
    assert_not_a_server_error(response)
    assert response.status_code == 200


LANGUAGE_LINK = 'class="language-link" href="'


@hostile_settings
@given(data=st.data())
def test_the_language_link_answers_hostile_addresses_without_error_and_stays_on_the_site(
    client, public_period, data
):
    from tests.security.hostile import encode_value

    segments = data.draw(st.lists(hostile_text(), max_size=3))
    base = data.draw(
        st.sampled_from(["", "/en", "/timra", "/en/timra", f"/timra/{public_period.slug}"])
    )
    path = base + "".join(f"/{encode_value(segment)}" for segment in segments) + "/"
    query = data.draw(st.dictionaries(hostile_text(), hostile_text(), max_size=2))
    response = get(client, path, query)
    assert_not_a_server_error(response)
    text = response.content.decode()
    for chunk in text.split(LANGUAGE_LINK)[1:]:
        href = chunk.split('"', 1)[0]
        assert href.startswith("/") and not href.startswith("//"), href


def test_the_report_form_with_a_uuid_token_twice_stores_one_update(
    reporter_client, police_activity
):
    """The baseline the hostile runs vary: a valid report is stored (once)."""
    values = {
        "submission_token": str(uuid.uuid4()),
        "status": "in_progress",
        "percent_complete": "40",
        "text": "Fyra kvällar.",
    }
    url = f"/personal/aktiviteter/{police_activity.pk}/rapportera/"
    assert post(reporter_client, url, values).status_code == 302
    assert post(reporter_client, url, values).status_code == 302
    assert ProgressUpdate.objects.count() == 1
