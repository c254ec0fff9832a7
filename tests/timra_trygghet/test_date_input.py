"""Dates typed into any form are read day first, never month first (timra_trygghet/formats)."""

from datetime import date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("1/12/2026", date(2026, 12, 1)),
        ("01/12/2026", date(2026, 12, 1)),
        ("1/12/26", date(2026, 12, 1)),
        ("1.12.2026", date(2026, 12, 1)),
        ("1-12-2026", date(2026, 12, 1)),
        ("12/1/2026", date(2026, 1, 12)),
    ],
)
def test_dates_are_read_day_first(language, typed, meant):
    with translation.override(language):
        assert forms.DateField().clean(typed) == meant


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_month_first_date_is_refused_not_misread(language):
    with translation.override(language), pytest.raises(ValidationError):
        forms.DateField().clean("12/31/2026")


def test_date_and_time_are_read_day_first_too():
    with translation.override("sv"):
        assert forms.DateTimeField().clean("1/12/2026 18:30").replace(tzinfo=None) == datetime(
            2026, 12, 1, 18, 30
        )
