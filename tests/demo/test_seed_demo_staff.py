import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from demo.staff import DEMO_STAFF
from followup.services import load_timra
from promises.data import timra_2021_2022

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_logins_are_created_once_for_each_role(django_user_model):
    load_timra(timra_2021_2022)
    call_command("seed_demo_staff", password="demo-lösen-123")
    call_command("seed_demo_staff", password="demo-lösen-123")
    users = django_user_model.objects.filter(username__in=[d[0] for d in DEMO_STAFF])
    assert users.count() == len(DEMO_STAFF)
    police = users.get(username="kommunpolis")
    assert police.staff_profile.organisation.slug == "polisen"
    assert police.check_password("demo-lösen-123")


def test_demo_logins_are_refused_without_debug():
    with pytest.raises(CommandError):
        call_command("seed_demo_staff", password="x")
