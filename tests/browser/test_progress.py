"""Progress is read out once: the bar is hidden from screen readers, the text beside it is not."""

import pytest

from tests.promises.public_data import build_public_period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_screen_readers_hear_each_progress_once(page):
    data = build_public_period(1)
    page.goto(data.promises[0].get_absolute_url())

    lines = page.locator("main .progress-line")
    assert lines.count() >= 2
    assert page.get_by_role("progressbar").count() == 0
    for index in range(lines.count()):
        line = lines.nth(index)
        assert line.locator("progress").is_visible()
        # What assistive technology gets of the bar and its text: the text, once.
        read_out = line.aria_snapshot()
        assert read_out.count("% klart") == 1, read_out
        assert "progressbar" not in read_out and "%" not in read_out.replace("% klart", "")
