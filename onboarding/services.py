"""A municipality joins the portal: one transaction, every write through a service.

``municipality_join`` takes a municipality from the reference list
(``promises/data/kommuner.csv``) and creates, together or not at all, the
municipality, its council, its organisations (the police area, the
municipality and its departments, other parties) and its municipal
administrator. Only a national administrator may do it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.permissions import allowed, require
from accounts.roles import ADMINISTRATOR
from accounts.services import staff_user_create
from activities.medborgarlofte_draft import DraftResult, medborgarlofte_draft_create
from followup.models import Council
from followup.services import council_save
from promises.medborgarlofte_import import ParsedMedborgarlofte
from promises.models import Municipality, Organisation
from promises.services import (
    municipalities_load,
    municipality_rows,
    organisation_save,
)


@dataclass
class AdministratorInput:
    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    password: str | None = None


@dataclass
class JoinInput:
    code: str
    council_name: str
    meeting_cadence: str = ""
    follow_up_cadence: str = ""
    police_area: str = ""
    municipality_organisation: str = ""
    departments: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    administrator: AdministratorInput | None = None


@dataclass
class JoinResult:
    municipality: Municipality
    council: Council
    organisations: list[Organisation]
    administrator: object | None


def joined_municipality_codes() -> set[str]:
    """Codes of the municipalities that have joined (they have a council)."""
    return set(
        Municipality.objects.filter(council__isnull=False, code__isnull=False).values_list(
            "code", flat=True
        )
    )


def _free_organisation_slug(name: str) -> str:
    base = slugify(name)[:140].strip("-") or "aktor"
    slug, suffix = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _organisation(
    user, municipality: Municipality, name: str, kind: str, parent: Organisation | None = None
) -> Organisation:
    """The organisation of that name, now also working in the municipality, or a new one."""
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        working_in = list(existing.municipalities.all())
        if municipality not in working_in:
            organisation_save(
                user=user, organisation=existing, municipalities=[*working_in, municipality]
            )
        return existing
    return organisation_save(
        user=user,
        organisation=Organisation(
            name=name,
            short_name=name[:60] if len(name) > 60 else "",
            slug=_free_organisation_slug(name),
            kind=kind,
            parent=parent,
        ),
        municipalities=[municipality],
    )


@transaction.atomic
def municipality_join(*, user, join: JoinInput) -> JoinResult:
    """Bring a municipality into the portal with its council, organisations and administrator.

    Raises PermissionDenied for anyone but a national administrator, and a
    ValidationError keyed by the ``JoinInput`` field at fault; nothing is saved then.
    """
    require(user, "promises.add_municipality")
    row = next((row for row in municipality_rows() if row.code == join.code), None)
    if row is None:
        raise ValidationError({"code": _("Välj en kommun ur listan över Sveriges kommuner.")})
    if join.code in joined_municipality_codes():
        raise ValidationError(
            {"code": _("%(name)s är redan ansluten till portalen.") % {"name": row.name}}
        )
    # The reference row (name, code, county) as load_municipalities writes it.
    municipalities_load([row])
    municipality = Municipality.objects.get(code=row.code)

    council = council_save(
        user=user,
        council=Council(
            municipality=municipality,
            name=join.council_name.strip(),
            meeting_cadence=join.meeting_cadence,
            follow_up_cadence=join.follow_up_cadence,
        ),
    )

    organisations = []
    if join.police_area.strip():
        organisations.append(
            _organisation(user, municipality, join.police_area.strip(), Organisation.Kind.POLICE)
        )
    # An organisation's name is data, in Swedish whatever the admin's language.
    own_name = join.municipality_organisation.strip() or f"{municipality.name} kommun"
    own = _organisation(user, municipality, own_name, Organisation.Kind.MUNICIPALITY)
    organisations.append(own)
    for name in dict.fromkeys(n.strip() for n in join.departments if n.strip()):
        organisations.append(
            _organisation(user, municipality, name, Organisation.Kind.MUNICIPALITY, parent=own)
        )
    for name in dict.fromkeys(n.strip() for n in join.partners if n.strip()):
        organisations.append(_organisation(user, municipality, name, Organisation.Kind.PARTNER))

    administrator = None
    if join.administrator is not None:
        given = join.administrator
        if get_user_model().objects.filter(username__iexact=given.username).exists():
            raise ValidationError(
                {"admin_username": _("Användarnamnet är upptaget; välj ett annat.")}
            )
        try:
            administrator = staff_user_create(
                username=given.username,
                role=ADMINISTRATOR,
                organisation=own,
                municipalities=[municipality],
                password=given.password,
                email=given.email,
                first_name=given.first_name,
                last_name=given.last_name,
                actor=user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "username" in error.error_dict:
                raise ValidationError({"admin_username": error.error_dict["username"]}) from None
            raise
    return JoinResult(municipality, council, organisations, administrator)


@transaction.atomic
def medborgarlofte_import_save(
    *,
    user,
    municipality: Municipality,
    parsed: ParsedMedborgarlofte,
    follow_up_cadence: str = "",
) -> DraftResult:
    """Save a reviewed import as a draft period (never published).

    The follow-up cadence (as the reviewer left the statement's proposal)
    becomes the council's, when the council has none yet and the user may
    change it.
    """
    result = medborgarlofte_draft_create(user=user, municipality=municipality, parsed=parsed)
    cadence = follow_up_cadence
    council = Council.objects.filter(municipality=municipality).first()
    if (
        cadence
        and council is not None
        and not council.follow_up_cadence
        and allowed(user, "followup.change_council", council)
    ):
        council.follow_up_cadence = cadence
        council_save(user=user, council=council)
    return result
