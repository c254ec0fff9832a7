"""Creating staff accounts with a role and an organisation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import StaffProfile
from accounts.roles import ADMINISTRATOR, REPORTER, SECRETARY
from promises.models import Organisation


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    role: str,
    organisation: Organisation | None,
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
):
    """A user in one role; everybody but administrators belongs to an organisation.

    Administrators and secretaries work in the admin, so they are staff users;
    reporters work in the staff pages only.
    """
    if role not in (ADMINISTRATOR, SECRETARY, REPORTER):
        raise ValidationError(_("Okänd roll: %(role)s.") % {"role": role})
    if organisation is None and role != ADMINISTRATOR:
        raise ValidationError(_("Användaren måste höra till en aktör."))
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=role in (ADMINISTRATOR, SECRETARY),
    )
    user.groups.add(Group.objects.get(name=role))
    if organisation is not None:
        StaffProfile.objects.create(user=user, organisation=organisation)
    return user
