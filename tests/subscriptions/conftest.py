import re
import time

import pytest
from django.urls import reverse

from accounts.form_guard import started_token


@pytest.fixture
def promise(timra_plan):
    return timra_plan["promise"]


def subscribe_url(promise) -> str:
    return reverse(
        "subscriptions:subscribe",
        kwargs={
            "municipality": promise.period.municipality.slug,
            "period": promise.period.slug,
            "promise": promise.slug,
        },
    )


def form_data(email: str, **extra) -> dict:
    """What a person's browser sends: the address and the form's time, a minute ago."""
    return {"email": email, "website": "", "started": started_token(time.time() - 60), **extra}


def link(text: str, path_part: str) -> str:
    match = re.search(rf"https://trygghet\.example\.se(\S*?{re.escape(path_part)}\S*/)", text)
    assert match, f"no link with {path_part!r} in:\n{text}"
    return match.group(1)
