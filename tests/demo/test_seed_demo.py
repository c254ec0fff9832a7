import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import FollowUp, Meeting
from promises.models import Municipality, Promise

pytestmark = pytest.mark.django_db

QUIET = {"stdout": open(os.devnull, "w")}  # noqa: SIM115


def test_seed_demo_loads_timra_with_an_activity_plan_and_follow_up_under_every_promise():
    call_command("seed_demo", **QUIET)

    assert Promise.objects.filter(period__municipality__slug="timra").count() == 6

    for promise in Promise.objects.filter(period__municipality__slug="timra"):
        assert promise.activities.exists()
        assert FollowUp.objects.filter(promise=promise).count() == Meeting.objects.count()
    assert ProgressUpdate.objects.count() > 20
    assert Measurement.objects.exists()
    assert Meeting.objects.filter(is_published=True).count() >= 3
    assert Activity.objects.late().exists(), "the demo shows what a late activity looks like"


def test_seed_demo_twice_adds_nothing_the_second_time():
    call_command("seed_demo", **QUIET)
    before = (Activity.objects.count(), ProgressUpdate.objects.count(), Meeting.objects.count())

    call_command("seed_demo", **QUIET)

    assert (
        Activity.objects.count(),
        ProgressUpdate.objects.count(),
        Meeting.objects.count(),
    ) == before


def test_scale_adds_municipalities_with_full_histories():
    call_command("seed_demo", "--scale", "3", **QUIET)

    demo = Municipality.objects.filter(slug__startswith="demokommun-")
    assert demo.count() == 3
    for municipality in demo:
        period = municipality.periods.get()
        assert period.promises.count() == 6
        assert Activity.objects.filter(promise__period=period).count() == 18
        assert Indicator.objects.filter(promise__period=period).count() == 6
        assert Meeting.objects.filter(period=period).count() == 3
        assert municipality.council.name == "Rådet för trygghet och hälsa"


def test_scale_creates_in_bulk_so_queries_do_not_grow_with_the_number_of_municipalities():
    call_command("seed_demo", **QUIET)  # Timrå and its demo plan, once

    def queries_for(scale: int) -> int:
        with CaptureQueriesContext(connection) as context:
            call_command("seed_demo", "--scale", str(scale), **QUIET)
        return len(context.captured_queries)

    assert queries_for(2) == queries_for(6)


def test_scale_must_not_be_negative():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "-1", **QUIET)


def test_demo_admin_is_only_created_in_development(settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", "--admin-password", "hemligt", **QUIET)
    assert not django_user_model.objects.exists()

    settings.DEBUG = True
    call_command("seed_demo", "--admin-password", "hemligt", **QUIET)
    assert django_user_model.objects.get(username="admin").is_superuser
