"""Writes on the plan: periods, focus areas and promises, checked and atomic.

Every create, change, delete and publish goes through a function here (or in
``activities.services`` for what hangs under a promise), whatever the entry
point: the admin's forms, inlines, actions and history revert, the import and
the management commands. Each one asks ``accounts.permissions.require`` first:

* an add is asked with the parent (the period for focus areas and promises, the
  municipality for a period);
* a change or delete is asked against the object *as stored*, reloaded from
  the database, and a change also against the new state, so that moving a
  draft promise into a published period (or back) cannot escape the rule.

Then the object is validated (``full_clean``) and saved in one transaction;
django-simple-history records the change with the user (``_history_user``)
and, where given, a reason.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.permissions import SYSTEM, require
from promises.models import County, FocusArea, Municipality, Organisation, Period, Promise

# Sweden's 290 municipalities: kommunkod, kommun, lanskod, lan (Statistics Sweden's codes).
MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "kommuner.csv"


def _perm(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def history_user(user):
    """The user a history row names: nobody for the command line."""
    return None if user is SYSTEM else user


def stored(obj: models.Model) -> models.Model:
    """The object as the database holds it now, locked until the transaction ends."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def check_save(user, obj: models.Model, *, parent) -> None:
    """Ask the rules about saving ``obj``: an add with its parent, a change before and after."""
    model = type(obj)
    if obj._state.adding:
        require(user, _perm(model, "add"), parent)
    else:
        require(user, _perm(model, "change"), stored(obj))
        require(user, _perm(model, "change"), obj)


def save_validated(user, obj: models.Model, *, reason: str = "", m2m: dict | None = None) -> None:
    """full_clean and save, with the history's user and reason, then the many-to-many links."""
    obj.full_clean()
    obj._history_user = history_user(user)
    if reason:
        obj._change_reason = reason
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)


def delete_checked(user, obj: models.Model, *, refused: str, reason: str = "") -> None:
    """Delete after asking the rules about the stored object; reports keep it alive.

    Progress updates and measurements protect what they report on
    (``on_delete=PROTECT``), so a delete that would take them along is refused
    with ``refused`` as a ValidationError, and nothing is deleted.
    """
    with transaction.atomic():
        current = stored(obj)
        require(user, _perm(type(obj), "delete"), current)
        current._history_user = history_user(user)
        if reason:
            current._change_reason = reason
        try:
            with transaction.atomic():
                current.delete()
        except ProtectedError:
            raise ValidationError(refused, code="protected") from None


# --- Municipalities and organisations ---------------------------------------------


@transaction.atomic
def municipality_save(*, user, municipality: Municipality) -> Municipality:
    """Add (national administrators only) or change a municipality."""
    if municipality._state.adding:
        require(user, "promises.add_municipality")
    else:
        require(user, "promises.change_municipality", stored(municipality))
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def organisation_save(
    *,
    user,
    organisation: Organisation,
    municipalities: Iterable[Municipality] | None = None,
) -> Organisation:
    """Create or change an organisation and, when given, the municipalities it works in.

    An organisation is added by an administrator of every municipality it is
    to work in, and changed by an administrator of every one it works in
    before and after (``promises.change_organisation``).
    """
    municipalities = None if municipalities is None else list(municipalities)
    if organisation._state.adding:
        require(user, "promises.add_organisation")
        for municipality in municipalities or []:
            require(user, "promises.change_municipality", municipality)
    else:
        require(user, "promises.change_organisation", stored(organisation))
        if municipalities is not None:
            for municipality in municipalities:
                require(user, "promises.change_municipality", municipality)
    if organisation.parent_id is not None:
        require(user, "promises.view_organisation", organisation.parent)
    organisation.full_clean()
    organisation.save()
    if municipalities is not None:
        organisation.municipalities.set(municipalities)
    return organisation


# --- Periods ---------------------------------------------------------------------


@transaction.atomic
def period_save(*, user, period: Period, reason: str = "") -> Period:
    """Create or change a period. Publishing or unpublishing is a change like any other:
    the rules ask about the new state too, so only administrators publish."""
    check_save(user, period, parent=period.municipality)
    if period._state.adding and period.is_published:
        # A new period born published is a publication (administrators only).
        require(user, "promises.change_period", period)
    save_validated(user, period, reason=reason)
    return period


def _set_published(user, period: Period, published: bool, reason: str) -> Period:
    with transaction.atomic():
        current = stored(period)
        current.is_published = published
        return period_save(user=user, period=current, reason=reason)


def period_publish(*, user, period: Period, reason: str = "") -> Period:
    return _set_published(user, period, True, reason or _("Perioden publicerades"))


def period_unpublish(*, user, period: Period, reason: str = "") -> Period:
    return _set_published(user, period, False, reason or _("Perioden avpublicerades"))


def period_delete(*, user, period: Period) -> None:
    delete_checked(
        user,
        period,
        refused=_(
            "Perioden har lägesrapporter eller mätvärden och kan inte tas bort; "
            "avpublicera den i stället."
        ),
    )


# --- Focus areas -----------------------------------------------------------------


@transaction.atomic
def focus_area_save(*, user, focus_area: FocusArea, reason: str = "") -> FocusArea:
    check_save(user, focus_area, parent=focus_area.period)
    save_validated(user, focus_area, reason=reason)
    return focus_area


def focus_area_delete(*, user, focus_area: FocusArea) -> None:
    delete_checked(user, focus_area, refused=_("Området kan inte tas bort."))


# --- Promises --------------------------------------------------------------------


@transaction.atomic
def promise_save(
    *,
    user,
    promise: Promise,
    organisations: Iterable[Organisation] | None = None,
    focus_areas: Iterable[FocusArea] | None = None,
    reason: str = "",
) -> Promise:
    """Create or change a promise and, when given, its organisations and focus areas.

    Focus areas must belong to the promise's period: the ones given, or the
    ones it has when they are not given (its period may have changed).
    """
    check_save(user, promise, parent=promise.period)
    if focus_areas is not None:
        focus_areas = list(focus_areas)
        promise.validate_focus_areas(focus_areas)
    elif not promise._state.adding:
        promise.validate_focus_areas(list(promise.focus_areas.all()))
    m2m = {}
    if organisations is not None:
        m2m["organisations"] = list(organisations)
    if focus_areas is not None:
        m2m["focus_areas"] = focus_areas
    save_validated(user, promise, reason=reason, m2m=m2m)
    return promise


def promise_delete(*, user, promise: Promise) -> None:
    delete_checked(
        user,
        promise,
        refused=_(
            "Löftet har aktiviteter med lägesrapporter eller mätvärden och kan inte tas bort."
        ),
    )


@dataclass
class TimraLoadResult:
    period: Period
    created: int


def load_timra_plan(data: ModuleType, *, user=SYSTEM) -> TimraLoadResult:
    """Create what is missing of a published period; never overwrite existing rows.

    The plan only: its council is the followup app's (``followup.services.load_timra``).

    Existing objects are left as they are, so running the load again changes
    nothing, and edits made in the admin since are kept. Periods, focus areas
    and promises are written through their services (as ``user``, the command
    line's ``SYSTEM`` by default); municipalities, organisations and the
    council are reference data that only administrators and commands write.
    """
    created = 0
    reason = _("Inläst av load_timra")

    def ensure(model, lookup: dict, defaults: dict | None = None):
        nonlocal created
        obj, was_created = model.objects.get_or_create(**lookup, defaults=defaults or {})
        created += was_created
        return obj, was_created

    county, _created = ensure(County, {"code": data.COUNTY["code"]}, {"name": data.COUNTY["name"]})
    municipality, _created = ensure(
        Municipality,
        {"slug": data.MUNICIPALITY["slug"]},
        {"name": data.MUNICIPALITY["name"], "code": data.MUNICIPALITY["code"], "county": county},
    )
    organisations: dict[str, Organisation] = {}
    for slug, name, short_name, kind, parent_slug in data.ORGANISATIONS:
        organisation, was_created = ensure(
            Organisation,
            {"slug": slug},
            {
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "parent": organisations.get(parent_slug) if parent_slug else None,
            },
        )
        if was_created:
            organisation.municipalities.add(municipality)
        organisations[slug] = organisation

    period_fields = {key: value for key, value in data.PERIOD.items() if key != "slug"}
    period = Period.objects.filter(municipality=municipality, slug=data.PERIOD["slug"]).first()
    if period is None:
        period = period_save(
            user=user,
            period=Period(
                municipality=municipality,
                slug=data.PERIOD["slug"],
                **period_fields,
                is_published=True,
            ),
            reason=reason,
        )
        created += 1
    focus_areas: dict[str, FocusArea] = {}
    for order, (slug, name) in enumerate(data.FOCUS_AREAS, start=1):
        area = FocusArea.objects.filter(period=period, slug=slug).first()
        if area is None:
            area = focus_area_save(
                user=user,
                focus_area=FocusArea(period=period, slug=slug, name=name, order=order),
                reason=reason,
            )
            created += 1
        focus_areas[slug] = area
    for order, spec in enumerate(data.PROMISES, start=1):
        if Promise.objects.filter(period=period, slug=spec["slug"]).exists():
            continue
        promise_save(
            user=user,
            promise=Promise(
                period=period,
                slug=spec["slug"],
                title=spec["title"],
                text=spec["text"],
                with_residents=spec["with_residents"],
                order=order,
            ),
            organisations=[organisations[slug] for slug in spec["organisations"]],
            focus_areas=[focus_areas[slug] for slug in spec["focus_areas"]],
            reason=reason,
        )
        created += 1
    return TimraLoadResult(period=period, created=created)


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    county_code: str
    county_name: str


@dataclass
class MunicipalitiesLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def municipality_rows(path: Path = MUNICIPALITIES_CSV) -> list[MunicipalityRow]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            MunicipalityRow(row["kommunkod"], row["kommun"], row["lanskod"], row["lan"])
            for row in csv.DictReader(file)
        ]


def _free_municipality_slug(name: str, code: str) -> str:
    # Håbo and Habo share a transliteration; the later one by code gets its code appended.
    slug = slugify(name)
    if Municipality.objects.filter(slug=slug).exclude(code=code).exists():
        slug = f"{slug}-{code}"
    return slug


@transaction.atomic
def municipalities_load(rows: Iterable[MunicipalityRow]) -> MunicipalitiesLoadResult:
    """Create or update the reference municipalities and counties; safe to repeat.

    A municipality is found by its code, else by its name among those without a
    code (Timrå, loaded before it had one), else created. Slugs are never changed:
    they are addresses that may have been shared.
    """
    result = MunicipalitiesLoadResult()
    counties: dict[str, County] = {county.code: county for county in County.objects.all()}
    existing = list(Municipality.objects.all())
    by_code = {m.code: m for m in existing if m.code}
    by_name_without_code = {m.name: m for m in existing if not m.code}
    for row in sorted(rows, key=lambda row: row.code):
        county = counties.get(row.county_code)
        if county is None:
            county = counties[row.county_code] = County.objects.create(
                code=row.county_code, name=row.county_name
            )
        elif county.name != row.county_name:
            county.name = row.county_name
            county.save(update_fields=["name", "updated_at"])
        municipality = by_code.get(row.code) or by_name_without_code.get(row.name)
        if municipality is None:
            municipality = Municipality(
                code=row.code,
                name=row.name,
                slug=_free_municipality_slug(row.name, row.code),
                county=county,
            )
            municipality.full_clean()
            municipality.save()
            result.created += 1
            continue
        wanted = {"code": row.code, "name": row.name, "county_id": county.pk}
        changed = [
            field for field, value in wanted.items() if getattr(municipality, field) != value
        ]
        if not changed:
            result.unchanged += 1
            continue
        for field in changed:
            setattr(municipality, field, wanted[field])
        municipality.full_clean()
        municipality.save()
        result.updated += 1
    return result
