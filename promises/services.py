"""Writes that touch several promise-side objects at once."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from promises.models import County, FocusArea, Municipality, Organisation, Period, Promise

# Sweden's 290 municipalities: kommunkod, kommun, lanskod, lan (Statistics Sweden's codes).
MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "kommuner.csv"


@dataclass
class TimraLoadResult:
    period: Period
    created: int


def load_timra(data: ModuleType) -> TimraLoadResult:
    """Create what is missing of a published period; never overwrite existing rows.

    Existing objects are left as they are, so running the load again changes
    nothing, and edits made in the admin since are kept.
    """
    from followup.models import Council

    created = 0

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

    ensure(Council, {"municipality": municipality}, data.COUNCIL)
    period_fields = {key: value for key, value in data.PERIOD.items() if key != "slug"}
    period, _created = ensure(
        Period,
        {"municipality": municipality, "slug": data.PERIOD["slug"]},
        {**period_fields, "is_published": True},
    )
    focus_areas: dict[str, FocusArea] = {}
    for order, (slug, name) in enumerate(data.FOCUS_AREAS, start=1):
        focus_areas[slug], _created = ensure(
            FocusArea, {"period": period, "slug": slug}, {"name": name, "order": order}
        )
    for order, spec in enumerate(data.PROMISES, start=1):
        promise, was_created = ensure(
            Promise,
            {"period": period, "slug": spec["slug"]},
            {
                "title": spec["title"],
                "text": spec["text"],
                "with_residents": spec["with_residents"],
                "order": order,
            },
        )
        if was_created:
            promise.organisations.set([organisations[slug] for slug in spec["organisations"]])
            promise.focus_areas.set([focus_areas[slug] for slug in spec["focus_areas"]])
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


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def period_copy(period: Period) -> Period:
    """Copy a period's focus areas, promises and activities into a new draft period.

    The copy starts the day after the original ends and spans as many calendar
    years (2021–2022 becomes 2023–2024); progress
    updates, indicators and follow-ups stay with the original, because they are
    its history. Planned dates are left empty for the new activity plan.
    """
    from activities.models import Activity

    starts_on = period.ends_on + timedelta(days=1)
    ends_on = _shift_years(period.ends_on, starts_on.year - period.starts_on.year)
    slug = base_slug = f"{starts_on.year}-{ends_on.year}"
    suffix = 2
    while Period.objects.filter(municipality=period.municipality, slug=slug).exists():
        slug = f"{base_slug}-{suffix}"
        suffix += 1
    copy = Period.objects.create(
        municipality=period.municipality,
        name=_("%(start)s–%(end)s (utkast)") % {"start": starts_on.year, "end": ends_on.year},
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        is_published=False,
        purpose=period.purpose,
        situation=period.situation,
        outcome=period.outcome,
    )
    focus_area_copies: dict[int, FocusArea] = {}
    for focus_area in period.focus_areas.all():
        focus_area_copies[focus_area.pk] = FocusArea.objects.create(
            period=copy,
            name=focus_area.name,
            slug=focus_area.slug,
            description=focus_area.description,
            order=focus_area.order,
        )
    promises = period.promises.prefetch_related(
        "organisations", "focus_areas", "activities__other_organisations"
    )
    for promise in promises:
        promise_copy = Promise.objects.create(
            period=copy,
            order=promise.order,
            title=promise.title,
            slug=promise.slug,
            text=promise.text,
            with_residents=promise.with_residents,
        )
        promise_copy.organisations.set(promise.organisations.all())
        promise_copy.focus_areas.set(
            [focus_area_copies[focus_area.pk] for focus_area in promise.focus_areas.all()]
        )
        for activity in promise.activities.all():
            activity_copy = Activity.objects.create(
                promise=promise_copy,
                order=activity.order,
                title=activity.title,
                description=activity.description,
                lead_organisation_id=activity.lead_organisation_id,
                place=activity.place,
                weight=activity.weight,
            )
            activity_copy.other_organisations.set(activity.other_organisations.all())
    return copy
