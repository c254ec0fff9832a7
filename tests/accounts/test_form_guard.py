"""The shared spam guard's limit per client address (``accounts.form_guard``)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from accounts.form_guard import _rate_key, count_submission, rate_limited


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_the_limit_counts_per_address_and_per_form():
    resident = request_from("192.0.2.10")
    for _ in range(2):
        assert not rate_limited(resident, "question", 2)
        count_submission(resident, "question", 60)
    assert rate_limited(resident, "question", 2)
    assert not rate_limited(resident, "subscribe", 2)  # another form has its own count
    assert not rate_limited(request_from("192.0.2.11"), "question", 2)


def test_the_count_is_kept_under_a_keyed_hash_never_the_address(settings):
    key = _rate_key(request_from("192.0.2.10"), "question")
    assert "192.0.2.10" not in key
    assert key != _rate_key(request_from("192.0.2.10"), "subscribe")
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-checks"
    assert key != _rate_key(request_from("192.0.2.10"), "question")
