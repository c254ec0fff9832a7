"""Development logins for each role on Timrå's organisations (never in production)."""

from django.contrib.auth import get_user_model

from accounts.roles import REPORTER, SECRETARY
from accounts.services import staff_user_create
from promises.models import Organisation

# (username, role, organisation slug)
DEMO_STAFF = [
    ("kommunpolis", REPORTER, "polisen"),
    ("trygghetssamordnare", REPORTER, "timra-kommun"),
    ("socialtjansten", REPORTER, "socialtjansten-timra"),
    ("sekreterare", SECRETARY, "timra-kommun"),
]


def ensure_demo_staff(password: str) -> list[str]:
    """Create the demo staff users that are missing; returns the usernames created."""
    User = get_user_model()
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[d[2] for d in DEMO_STAFF])
    }
    created = []
    for username, role, slug in DEMO_STAFF:
        if slug not in organisations or User.objects.filter(username=username).exists():
            continue
        staff_user_create(
            username=username,
            role=role,
            organisation=organisations[slug],
            password=password,
            email=f"{username}@example.invalid",
        )
        created.append(username)
    return created
