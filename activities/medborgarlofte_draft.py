"""Save what the medborgarlöfte parser found as a draft period, all or nothing.

The import never publishes: the period is created unpublished, for an
administrator to review, correct and publish. It lives in activities because
a target becomes an indicator (``activities.Indicator``).

Every write goes through the services (``promises.services``,
``activities.services``), which ask the rules on behalf of the acting user:
the admin's import passes the administrator, the command ``SYSTEM``. A user
who may not add a period, a promise, an organisation or an indicator in the
municipality gets PermissionDenied and nothing is saved.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activities.models import Indicator
from activities.services import indicator_save
from promises.medborgarlofte_import import (
    MUNICIPALITY,
    POLICE,
    ParsedMedborgarlofte,
    Target,
    find_parties,
)
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from promises.services import focus_area_save, organisation_save, period_save, promise_save

# Parties the parser names → the organisation kind they get when created here.
_PARTY_KINDS = {
    POLICE: Organisation.Kind.POLICE,
    MUNICIPALITY: Organisation.Kind.MUNICIPALITY,
    "socialtjänsten": Organisation.Kind.MUNICIPALITY,
    "skolan": Organisation.Kind.MUNICIPALITY,
}


def indicator_target(target: Target) -> tuple[Decimal, str]:
    """The indicator's target and its cadence for a target found in the text.

    A daily target ("minst en trafikkontroll varje dygn") is followed up per
    week, seven times over (a level, such as a share, stays what it is); a
    deadline ("inom 24 timmar") holds for the period.
    """
    if target.cadence == "day":
        if indicator_aggregation(target) == Indicator.Aggregation.LATEST:
            return target.quantity, Indicator.TargetCadence.WEEK
        return target.quantity * 7, Indicator.TargetCadence.WEEK
    if target.cadence in Indicator.TargetCadence.values:
        return target.quantity, target.cadence
    return target.quantity, Indicator.TargetCadence.PERIOD


def indicator_aggregation(target: Target) -> str:
    """The indicator's aggregation for a target found in the text (a sum unless it is a level)."""
    if target.aggregation in Indicator.Aggregation.values:
        return target.aggregation
    return Indicator.Aggregation.SUM


@dataclass
class DraftResult:
    period: Period
    promises: int = 0
    focus_areas: int = 0
    indicators: int = 0
    organisations_created: list[str] = field(default_factory=list)


def _free_slug(base: str, taken: set[str], max_length: int) -> str:
    base = slugify(base)[: max_length - 4].strip("-") or "x"
    slug, suffix = base, 2
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    taken.add(slug)
    return slug


class _Organisations:
    """The municipality's organisation for each party, created when it has none."""

    def __init__(self, user, municipality: Municipality) -> None:
        self.user = user
        self.municipality = municipality
        self.existing = list(municipality.organisations.all())
        self.by_party: dict[str, Organisation] = {}
        self.created: list[str] = []

    def get(self, party: str) -> Organisation:
        if party not in self.by_party:
            self.by_party[party] = self._find(party) or self._create(party)
        return self.by_party[party]

    def _find(self, party: str) -> Organisation | None:
        for organisation in self.existing:
            if party == POLICE and organisation.kind == Organisation.Kind.POLICE:
                return organisation
            if (
                party == MUNICIPALITY
                and organisation.kind == Organisation.Kind.MUNICIPALITY
                and organisation.parent_id is None
            ):
                return organisation
            if party not in {POLICE, MUNICIPALITY} and party in find_parties(organisation.name):
                return organisation
        return None

    def _create(self, party: str) -> Organisation:
        name = {
            POLICE: f"Polisen, {self.municipality.name}",
            MUNICIPALITY: f"{self.municipality.name} kommun",
        }.get(party, f"{party.capitalize()}, {self.municipality.name}")
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            taken = set(
                Organisation.objects.filter(slug__startswith=slugify(name)[:40]).values_list(
                    "slug", flat=True
                )
            )
            parent = (
                self.get(MUNICIPALITY)
                if party not in {POLICE, MUNICIPALITY}
                and _PARTY_KINDS.get(party) == Organisation.Kind.MUNICIPALITY
                else None
            )
            organisation = organisation_save(
                user=self.user,
                organisation=Organisation(
                    name=name,
                    short_name=name.split(",")[0][:60],
                    slug=_free_slug(name, taken, 150),
                    kind=_PARTY_KINDS.get(party, Organisation.Kind.PARTNER),
                    parent=parent,
                ),
                municipalities=[self.municipality],
            )
            self.created.append(name)
        else:
            working_in = list(organisation.municipalities.all())
            if self.municipality not in working_in:
                organisation_save(
                    user=self.user,
                    organisation=organisation,
                    municipalities=[*working_in, self.municipality],
                )
        return organisation


def _check_text(parsed: ParsedMedborgarlofte) -> None:
    texts = [parsed.title, *parsed.purpose, *parsed.situation, *parsed.outcome]
    texts += [promise.text for promise in parsed.promises]
    texts += [area.name for area in parsed.focus_areas]
    if any("\x00" in text for text in texts):
        # PostgreSQL stores no NUL character in text.
        raise ValidationError(_("Texten innehåller ett otillåtet tecken (NUL)."))


@transaction.atomic
def medborgarlofte_draft_create(
    *,
    user,
    municipality: Municipality,
    parsed: ParsedMedborgarlofte,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> DraftResult:
    """Create an unpublished period with the focus areas, promises and indicators found.

    Dates given here win over the text's; an open-ended text has no end date,
    and a period needs one, so the caller must give it.
    """
    _check_text(parsed)
    found = parsed.period
    starts_on = starts_on or (found.starts_on if found else None)
    ends_on = ends_on or (found.ends_on if found else None)
    errors = {}
    if starts_on is None:
        errors["starts_on"] = _("Texten anger inget startdatum för perioden; ange det.")
    if ends_on is None:
        errors["ends_on"] = _("Texten anger inget slutdatum för perioden; ange det.")
    if errors:
        raise ValidationError(errors)
    name = (
        found.name
        if found and found.name and (found.starts_on, found.ends_on) == (starts_on, ends_on)
        else (
            str(starts_on.year)
            if starts_on.year == ends_on.year
            else f"{starts_on.year}–{ends_on.year}"
        )
    )
    taken_periods = set(municipality.periods.values_list("slug", flat=True))
    period = period_save(
        user=user,
        period=Period(
            municipality=municipality,
            name=name,
            slug=_free_slug(name.replace("–", "-"), taken_periods, 60),
            starts_on=starts_on,
            ends_on=ends_on,
            is_published=False,
            purpose=" ".join(parsed.purpose),
            situation=" ".join(parsed.situation),
            outcome=" ".join(parsed.outcome),
        ),
    )
    result = DraftResult(period=period)
    focus_areas: dict[str, FocusArea] = {}
    taken: set[str] = set()
    for order, area in enumerate(parsed.focus_areas, start=1):
        focus_areas[area.name] = focus_area_save(
            user=user,
            focus_area=FocusArea(
                period=period,
                name=area.name[:200],
                slug=_free_slug(area.name, taken, 200),
                order=order,
            ),
        )
    result.focus_areas = len(focus_areas)
    organisations = _Organisations(user, municipality)
    taken = set()
    for order, found_promise in enumerate(parsed.promises, start=1):
        title = found_promise.title[:200]
        promise = promise_save(
            user=user,
            promise=Promise(
                period=period,
                order=order,
                title=title,
                slug=_free_slug(title, taken, 200),
                text=found_promise.text,
                with_residents=found_promise.with_residents,
            ),
            organisations=[
                organisations.get(party)
                for party in dict.fromkeys(found_promise.parties + found_promise.partners)
            ],
            focus_areas=[focus_areas[name] for name in found_promise.focus_areas],
        )
        for target in found_promise.targets:
            quantity, cadence = indicator_target(target)
            indicator_save(
                user=user,
                indicator=Indicator(
                    promise=promise,
                    name=(target.text[:1].upper() + target.text[1:])[:200],
                    unit=(target.unit or _("antal"))[:40],
                    target=quantity,
                    target_cadence=cadence,
                    aggregation=indicator_aggregation(target),
                    direction=target.direction,
                ),
            )
            result.indicators += 1
        result.promises += 1
    result.organisations_created = organisations.created
    return result
