"""The four roles and the model permissions each one holds.

The roles are Django groups, created by data migrations
(``accounts/migrations/0002_roles.py``, ``0004_roles_per_municipality.py``)
from the table below. What a role may do with a given *object*, and in which
municipality, is decided in ``accounts/permissions.py``:

* the national administrator (or a superuser) acts in every municipality and
  alone adds municipalities and changes the roles themselves;
* the administrator, the secretary: only in their own municipalities
  (``StaffProfile.municipalities``, see ``accounts.municipalities``);
* the reporter: on their organisation's activities.
"""

from django.utils.translation import gettext_lazy as _

NATIONAL_ADMINISTRATOR = "Nationell administratör"
ADMINISTRATOR = "Administratör"
SECRETARY = "Sekreterare"
REPORTER = "Rapportör"

ROLE_CHOICES = [
    (NATIONAL_ADMINISTRATOR, _("Nationell administratör")),
    (ADMINISTRATOR, _("Administratör")),
    (SECRETARY, _("Sekreterare")),
    (REPORTER, _("Rapportör")),
]

ALL_ACTIONS = ("view", "add", "change", "delete")

# app label -> model names of the domain that the roles work with.
DOMAIN_MODELS = {
    "promises": ["municipality", "organisation", "period", "focusarea", "promise"],
    "activities": ["activity", "progressupdate", "indicator", "measurement"],
    "followup": ["council", "meeting", "followup"],
}
FOLLOW_UP_MODELS = {"followup": ["council", "meeting", "followup"]}


def _perms(models: dict[str, list[str]], actions: tuple[str, ...]) -> set[str]:
    return {
        f"{app_label}.{action}_{model}"
        for app_label, names in models.items()
        for model in names
        for action in actions
    }


_NATIONAL = _perms(DOMAIN_MODELS, ALL_ACTIONS) | _perms(
    {"auth": ["user", "group"], "accounts": ["staffprofile"]}, ALL_ACTIONS
)
# Municipalities and the roles' permissions are the same for every municipality.
NATIONAL_ONLY = {
    "promises.add_municipality",
    "promises.delete_municipality",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    NATIONAL_ADMINISTRATOR: _NATIONAL,
    # Everything the national administrator does, within their own municipalities.
    ADMINISTRATOR: _NATIONAL - NATIONAL_ONLY,
    # The secretary manages the council's work and reads everything else.
    SECRETARY: _perms(DOMAIN_MODELS, ("view",)) | _perms(FOLLOW_UP_MODELS, ALL_ACTIONS),
    # Reporters work in the staff pages; which activities is decided per object.
    REPORTER: {
        "promises.view_promise",
        "activities.view_activity",
        "activities.view_indicator",
        "activities.view_progressupdate",
        "activities.add_progressupdate",
        "activities.change_progressupdate",
        "activities.view_measurement",
        "activities.add_measurement",
    },
}


def ensure_roles(**kwargs) -> None:
    """Create any missing role group with its permissions; existing groups are left alone.

    The data migration creates the roles; this runs after every migrate (and after
    a flush, which empties the groups table) so the roles always exist.
    """
    from django.contrib.auth.models import Group, Permission

    for name, perms in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if not created:
            continue
        for perm in sorted(perms):
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
