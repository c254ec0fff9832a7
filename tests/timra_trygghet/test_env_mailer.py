"""EMAIL_URL: the SMTP server as one URL, rejected with a clear message when malformed."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from timra_trygghet.env import env_mailer

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    assert env_mailer("EMAIL_URL", "console://") == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://mail.timra.se",
            {"host": "mail.timra.se", "port": 25, "use_ssl": False, "use_tls": False},
        ),
        (
            "smtp://mail.timra.se:2525?starttls=1",
            {"host": "mail.timra.se", "port": 2525, "use_ssl": False, "use_tls": True},
        ),
        (
            "submission://portal%40timra.se:hemligt%2Fl%C3%B6sen@smtp.example.se",
            {
                "host": "smtp.example.se",
                "port": 587,
                "use_ssl": False,
                "use_tls": True,
                "username": "portal@timra.se",
                "password": "hemligt/lösen",
            },
        ),
        (
            "smtps://smtp.example.se",
            {"host": "smtp.example.se", "port": 465, "use_ssl": True, "use_tls": False},
        ),
    ],
)
def test_smtp_urls_become_the_mailers_options(monkeypatch, url, expected):
    monkeypatch.setenv("EMAIL_URL", url)
    mailer = env_mailer("EMAIL_URL", "console://")
    assert mailer["BACKEND"] == SMTP
    assert mailer["OPTIONS"] == {**expected, "timeout": 10}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.timra.se", "EMAIL_URL must start with smtp://"),
        ("mail.timra.se:25", "EMAIL_URL must start with smtp://"),
        ("smtp://", "EMAIL_URL must name a host"),
        ("smtp://mail.timra.se:port", "port that is not a number"),
        ("smtp://mail.timra.se?starttls=yes", "starttls must be 1 or 0"),
    ],
)
def test_malformed_urls_are_refused_by_name(monkeypatch, url, message):
    monkeypatch.setenv("EMAIL_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_mailer("EMAIL_URL", "console://")
