"""Creating staff accounts with a role, an organisation and their municipalities."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from accounts.models import StaffProfile
from accounts.municipalities import is_national_administrator, user_municipality_ids
from accounts.permissions import require
from accounts.roles import ADMINISTRATOR, NATIONAL_ADMINISTRATOR, REPORTER, SECRETARY

ROLES = (NATIONAL_ADMINISTRATOR, ADMINISTRATOR, SECRETARY, REPORTER)
# Roles that act only within the user's municipalities.
MUNICIPAL_ROLES = (ADMINISTRATOR, SECRETARY)


def _require_within_actor(actor, municipalities: Iterable[Model]) -> None:
    """An administrator hands out only their own municipalities."""
    if actor is None or is_national_administrator.test(actor):
        return
    if not {m.pk for m in municipalities} <= user_municipality_ids(actor):
        raise PermissionDenied


def _validate_username(username: str) -> None:
    """The user model's own rules (letters, digits and @.+-_), which the login and the
    user admin hold every username to; a ValidationError keyed ``username``."""
    model = get_user_model()
    field = model._meta.get_field(model.USERNAME_FIELD)
    try:
        field.clean(username, None)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    role: str,
    organisation: Model | None,
    municipalities: Iterable[Model] | None = None,
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    actor=None,
):
    """A user in one role; everybody but administrators belongs to an organisation.

    Secretaries and administrators act in ``municipalities`` (by default those
    their organisation works in); a national administrator acts everywhere.
    ``actor`` is the user creating the account (None: the system, e.g. a
    management command): an administrator creates users only within their own
    municipalities, and only a national one creates national administrators.
    Administrators and secretaries work in the admin, so they are staff users;
    reporters work in the staff pages only.
    """
    if role not in ROLES:
        raise ValidationError(_("Okänd roll: %(role)s.") % {"role": role})
    if organisation is None and role not in (ADMINISTRATOR, NATIONAL_ADMINISTRATOR):
        raise ValidationError(_("Användaren måste höra till en aktör."))
    if municipalities is None:
        municipalities = (
            list(organisation.municipalities.all())
            if organisation is not None and role in MUNICIPAL_ROLES
            else []
        )
    municipalities = list(municipalities)
    if role in MUNICIPAL_ROLES and not municipalities:
        raise ValidationError(_("Välj minst en kommun som användaren arbetar i."))
    if actor is not None:
        require(actor, "auth.add_user")
        if role == NATIONAL_ADMINISTRATOR and not is_national_administrator.test(actor):
            raise PermissionDenied
        _require_within_actor(actor, municipalities)
        if not is_national_administrator.test(actor) and not municipalities:
            # Without municipalities the user would be out of the actor's reach.
            raise ValidationError(_("Välj minst en kommun som användaren arbetar i."))
    _validate_username(username)
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=role != REPORTER,
    )
    user.groups.add(Group.objects.get(name=role))
    if organisation is not None or municipalities:
        profile = StaffProfile.objects.create(user=user, organisation=organisation)
        profile.municipalities.set(municipalities)
    return user


@transaction.atomic
def staff_profile_save(
    *,
    actor,
    user,
    organisation: Model | None,
    municipalities: Iterable[Model],
) -> StaffProfile:
    """Set a user's organisation and municipalities (the user admin's profile row).

    An administrator sets only users they may change (all of whose
    municipalities are theirs), and only to their own municipalities.
    """
    require(actor, "auth.change_user", user)
    municipalities = list(municipalities)
    _require_within_actor(actor, municipalities)
    profile, _created = StaffProfile.objects.get_or_create(
        user=user, defaults={"organisation": organisation}
    )
    profile.organisation = organisation
    profile.save()
    profile.municipalities.set(municipalities)
    return profile


@transaction.atomic
def staff_user_place(*, actor, user) -> None:
    """A user an administrator has just added works in the administrator's municipalities,
    so that it stays within their reach until its role and municipalities are set."""
    require(actor, "auth.add_user")
    if is_national_administrator.test(actor):
        return
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    profile.municipalities.set(user_municipality_ids(actor))
