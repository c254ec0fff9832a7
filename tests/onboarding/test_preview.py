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


def test_saving_the_same_preview_twice_makes_one_draft_and_leads_to_it(logged_in, timra):
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})
    data = preview_data(preview)

    first = logged_in.post(URL, data)
    second = logged_in.post(URL, data, follow=True)

    period = Period.objects.get()
    assert first["Location"] == second.redirect_chain[0][0]
    assert second.redirect_chain[0][0].endswith(f"/{period.pk}/change/")
    assert "Utkastet var redan sparat; det sparades inte en gång till." in [
        str(message) for message in second.context["messages"]
    ]


def test_a_preview_refused_by_the_service_can_be_corrected_and_saved(logged_in, timra):
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})
    # A yearly target in a period of one day: the service refuses it.
    short = {"period-starts_on": "2025-01-01", "period-ends_on": "2025-01-01"}

    refused = logged_in.post(URL, preview_data(preview, **short))
    saved = logged_in.post(URL, preview_data(preview))

    assert refused.status_code == 200
    assert refused.context["period_form"].non_field_errors()
    assert saved.status_code == 302
    assert Period.objects.count() == 1


def test_two_previews_of_the_same_text_make_two_drafts(logged_in, timra):
    for _ in range(2):
        preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})
        assert logged_in.post(URL, preview_data(preview)).status_code == 302

    assert Period.objects.count() == 2
