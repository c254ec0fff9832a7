"""The admin's index and sidebar name every app and model in Swedish, libraries' included.

The cases come from the admin site's registry: every registered model's app and
model name goes through gettext with a Swedish msgid and an English translation
(a library's own name, "Otp_Totp", "TOTP devices", "Axes", is the same in every
language, which is how it is caught). A model registered later joins by itself.
"""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst


def _names(model) -> tuple[str, str]:
    """The app's and the model's names as the admin's index shows them."""
    return (
        str(model._meta.app_config.verbose_name),
        str(capfirst(model._meta.verbose_name_plural)),
    )


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=[m._meta.label for m in REGISTERED])
def test_every_registered_model_is_named_in_swedish_with_an_english_translation(model):
    with translation.override("sv"):
        swedish = _names(model)
    with translation.override("en"):
        english = _names(model)

    assert swedish[0] != english[0], f"{model._meta.label}: app name {swedish[0]!r}"
    assert swedish[1] != english[1], f"{model._meta.label}: model name {swedish[1]!r}"


@pytest.mark.django_db
def test_the_index_shows_a_national_administrator_only_swedish_names(
    client, national_administrator
):
    client.force_login(national_administrator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()

    with translation.override("sv"):
        swedish = {model: _names(model) for model in REGISTERED}
    with translation.override("en"):
        english = {model: _names(model) for model in REGISTERED}
    shown = {
        (app["name"], entry["name"])
        for app in response.context["app_list"]
        for entry in app["models"]
    }

    # The national administrator sees the two-factor devices and the login lockout.
    assert ("Tvåfaktorsinloggning", "Autentiseringsappar") in shown
    assert ("Inloggningsspärr", "Inloggningsförsök") in shown
    for model in REGISTERED:
        if swedish[model] in shown:
            assert swedish[model][1] in html
        for name in english[model]:
            # An English (or library) name appears nowhere on the page.
            assert f">{name}<" not in html, (model._meta.label, name)
    assert shown <= set(swedish.values())
    for label in ("Otp_Totp", "TOTP devices", "Axes", "Otp_Static"):
        assert label not in html
