"""One-time backup codes: shown once at enrolment, each usable once on the code entry."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.twofactor.conftest import password_login, totp_code, verified_login
from twofactor import services

pytestmark = pytest.mark.django_db

VERIFY = "/konto/tvafaktor/verifiera/"


def test_enrolment_shows_ten_backup_codes_once(police_reporter):
    client = password_login(police_reporter)
    client.get("/konto/tvafaktor/")
    device = TOTPDevice.objects.get(user=police_reporter, confirmed=False)

    shown = client.post("/konto/tvafaktor/", {"token": totp_code(device)})

    codes = shown.context["codes"]
    stored = StaticToken.objects.filter(device__user=police_reporter)
    assert len(codes) == 10 == stored.count()
    assert {code.replace("-", "") for code in codes} == set(stored.values_list("token", flat=True))
    assert all(code in shown.content.decode() for code in codes)
    later = client.get("/konto/tvafaktor/").content.decode()
    assert not any(code in later for code in codes), "never shown again"
    assert "Du har 10 oanvända reservkoder." in later


def test_a_backup_code_logs_in_instead_of_the_app(enrolled_reporter):
    user, _device, codes = enrolled_reporter
    client = password_login(user)

    response = client.post(
        VERIFY, {"token": services.backup_code_for_display(codes[0]), "next": "/personal/"}
    )

    assert response.status_code == 302 and response["Location"] == "/personal/"
    page = client.get("/personal/")
    assert page.status_code == 200
    assert "Du har 9 reservkoder kvar." in page.content.decode()
    assert not StaticToken.objects.filter(device__user=user, token=codes[0]).exists()


def test_a_backup_code_works_once_only(enrolled_reporter):
    user, _device, codes = enrolled_reporter
    password_login(user).post(VERIFY, {"token": codes[1]})

    again = password_login(user)
    response = again.post(VERIFY, {"token": codes[1]})

    assert response.status_code == 400
    assert response.context["form"].errors["token"] == [
        "Reservkoden stämmer inte eller har redan använts."
    ]
    assert again.get("/personal/")["Location"].startswith(VERIFY)
    assert services.backup_codes_remaining(user) == 9


def test_the_service_accepts_each_backup_code_once(enrolled_reporter):
    user, _device, codes = enrolled_reporter

    device = services.two_factor_code_check(user, codes[2])
    with pytest.raises(ValidationError):
        services.two_factor_code_check(user, codes[2])

    assert isinstance(device, StaticDevice)
    assert services.backup_codes_remaining(user) == 9


def test_a_malformed_code_gets_a_clear_swedish_error(enrolled_reporter):
    user, _device, _codes = enrolled_reporter
    client = password_login(user)

    response = client.post(VERIFY, {"token": "12345"})

    assert response.status_code == 400
    assert response.context["form"].errors["token"] == [
        "Skriv sex siffror från appen eller en reservkod (åtta tecken, till exempel abcd-efgh)."
    ]


def test_wrong_backup_codes_are_throttled(enrolled_reporter):
    user, _device, codes = enrolled_reporter
    client = password_login(user)
    for _ in range(3):
        client.post(VERIFY, {"token": "aaaaaaaa"})

    response = client.post(VERIFY, {"token": codes[3]})

    assert "För många felaktiga koder" in response.content.decode()
    assert services.backup_codes_remaining(user) == 10


def test_new_backup_codes_need_a_current_code_and_replace_the_old_ones(enrolled_reporter):
    user, device, codes = enrolled_reporter
    client = verified_login(user, device)

    refused = client.post("/konto/tvafaktor/reservkoder/", {"renew-current_code": "aaaaaaaa"})
    assert refused.status_code == 400
    assert services.backup_codes_remaining(user) == 10

    response = client.post(
        "/konto/tvafaktor/reservkoder/", {"renew-current_code": totp_code(device, 1)}
    )

    fresh = {code.replace("-", "") for code in response.context["codes"]}
    assert len(fresh) == 10 and not fresh & set(codes)
    with pytest.raises(ValidationError):
        services.two_factor_code_check(user, codes[0])
