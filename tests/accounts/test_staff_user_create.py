"""staff_user_create, the one door for new staff users: it refuses a malformed username."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.roles import NATIONAL_ADMINISTRATOR
from accounts.services import staff_user_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["anna berg", "a/b", ""])
def test_a_malformed_username_is_refused_and_no_user_is_made(username):
    with pytest.raises(ValidationError) as refused:
        staff_user_create(username=username, role=NATIONAL_ADMINISTRATOR, organisation=None)

    assert list(refused.value.error_dict) == ["username"]
    assert not get_user_model().objects.exists()


def test_a_username_of_letters_digits_and_at_dot_plus_minus_underscore_is_accepted():
    user = staff_user_create(
        username="åsa.berg+1@kommun_x-y", role=NATIONAL_ADMINISTRATOR, organisation=None
    )

    assert user.username == "åsa.berg+1@kommun_x-y"
