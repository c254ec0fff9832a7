"""A backup code used by two requests at the same moment lets in only one (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticToken

from tests.concurrency import Together, require_postgresql, row_gate
from tests.twofactor.conftest import enrol
from twofactor import services


@pytest.mark.django_db(transaction=True)
def test_one_backup_code_sent_twice_at_once_is_accepted_once(police_reporter):
    require_postgresql()
    _device, codes = enrol(police_reporter)
    token = StaticToken.objects.get(token=codes[0])

    def use() -> bool:
        try:
            services.two_factor_code_check(police_reporter, codes[0])
        except ValidationError:
            return False
        return True

    # Both requests have found the code before either has used it up.
    with row_gate(StaticToken, token.pk) as gate:
        together = Together(use, use)
        gate.wait_for(2)
    accepted = together.results()

    assert sorted(accepted) == [False, True]
    assert services.backup_codes_remaining(police_reporter) == 9
