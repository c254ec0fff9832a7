import uuid

import pytest
from django.core.exceptions import PermissionDenied

from activities.models import ProgressUpdate
from staff.services import report_submit
from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(police_organisation):
    return ActivityFactory(lead_organisation=police_organisation)


def submit(user, activity, token, percent_complete=30):
    return report_submit(
        user=user,
        activity=activity,
        submission_token=token,
        status="in_progress",
        percent_complete=percent_complete,
        text="Arbetet pågår.",
    )


def test_one_token_saves_one_update(police_reporter, activity):
    token = uuid.uuid4()
    first = submit(police_reporter, activity, token)
    second = submit(police_reporter, activity, token, percent_complete=90)
    assert first.created and not second.created
    assert second.update == first.update
    assert ProgressUpdate.objects.get().percent_complete == 30


def test_another_users_token_is_refused(police_reporter, activity, administrator):
    token = uuid.uuid4()
    submit(police_reporter, activity, token)
    with pytest.raises(PermissionDenied):
        submit(administrator, activity, token)
    assert ProgressUpdate.objects.count() == 1
