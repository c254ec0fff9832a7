import pytest

from tests.followup.factories import CouncilFactory
from tests.promises.factories import PeriodFactory


@pytest.fixture
def timra_period(timra):
    """A published period of Timrå, with Timrå's council: where the secretary acts."""
    period = PeriodFactory(municipality=timra, is_published=True)
    CouncilFactory(municipality=timra)
    return period
