"""The import preview read back: targets name their promise by the row number shown."""

import pytest

from activities.models import Indicator
from promises.models import Period, Promise
from tests.onboarding.test_import import TEXT, URL, counts, preview_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, national_administrator):
    client.force_login(national_administrator)
    return client


def test_a_target_stays_with_its_promise_when_an_earlier_promise_is_deleted(logged_in, timra):
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})

    response = logged_in.post(
        URL,
        preview_data(preview, **{"promise-0-DELETE": "on", "target-0-promise": "2"}),
    )

    assert response.status_code == 302, response.context["target_formset"].errors
    promise = Promise.objects.get()
    assert promise.text.startswith("Kommunen och polisen ska gå trygghetsvandringar")
    assert Indicator.objects.get().promise == promise


def test_a_target_of_a_deleted_promise_is_refused_beside_it_and_nothing_saved(logged_in, timra):
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})
    before = counts()

    response = logged_in.post(URL, preview_data(preview, **{"promise-0-DELETE": "on"}))

    assert response.status_code == 200
    assert response.context["target_formset"].forms[0].errors == {
        "promise": [
            "Löfte nummer 1 tas bort. Ta bort måttet också, eller ange ett annat löfte."
        ]
    }
    assert counts() == before
    assert not Period.objects.exists()
