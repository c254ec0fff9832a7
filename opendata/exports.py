"""Spreadsheet downloads of a published period: CSV for Excel with Swedish settings, and XLSX.

Each kind of data (promises, activities, progress updates, measurements,
follow-ups) is a ``Sheet``: Swedish column headers and typed cell values read
from one queryset. The CSV writer formats the values the way Excel expects in
Sweden (UTF-8 with a byte-order mark, semicolons, decimal comma, ISO dates);
the XLSX writer keeps their types, one worksheet per kind.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from activities.models import Indicator, ProgressUpdate
from followup.models import FollowUp
from followup.overview import MunicipalityStatus
from opendata import selectors
from promises.models import Period, Promise

CSV_ENCODING = "utf-8-sig"  # the byte-order mark tells Excel the file is UTF-8
CSV_DELIMITER = ";"  # Excel with Swedish settings splits on semicolons (comma is the decimal mark)
# Text starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str | LazyText
    value: Callable[[Any], Any]


@dataclass
class Sheet:
    kind: str
    title: str
    columns: list[Column]
    rows: Iterable[Any]

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def values(self) -> Iterable[list[Any]]:
        for row in self.rows:
            yield [_plain(column.value(row)) for column in self.columns]


def _plain(value: Any) -> Any:
    """Translated labels are lazy objects; the writers need the text."""
    return str(value) if isinstance(value, LazyText) else value


def _names(organisations: Iterable) -> str:
    return ", ".join(organisation.name for organisation in organisations)


def _percent(value: float) -> float:
    return round(float(value), 1)


def promises_sheet(period: Period, today: date | None = None) -> Sheet:
    return Sheet(
        kind="promises",
        title=_("Medborgarlöften"),
        columns=[
            Column(_("Id"), lambda p: p.pk),
            Column(_("Ordning"), lambda p: p.order),
            Column(_("Rubrik"), lambda p: p.title),
            Column(_("Kortnamn"), lambda p: p.slug),
            Column(_("Löftets text"), lambda p: p.text),
            Column(_("Lovas av"), lambda p: _names(p.organisations.all())),
            Column(_("Tillsammans med invånarna"), lambda p: p.with_residents),
            Column(
                _("Prioriterade områden"),
                lambda p: ", ".join(area.name for area in p.focus_areas.all()),
            ),
            Column(_("Framsteg (procent)"), lambda p: _percent(p.progress)),
            Column(_("Status"), lambda p: Promise.Status(p.status).label),
            Column(_("Statuskod"), lambda p: p.status),
            Column(_("Antal aktiviteter"), lambda p: p.active_activity_count),
            Column(_("Antal försenade aktiviteter"), lambda p: p.late_activity_count),
        ],
        rows=selectors.published_promises(today).filter(period=period),
    )


def activities_sheet(period: Period, today: date | None = None) -> Sheet:
    return Sheet(
        kind="activities",
        title=_("Aktiviteter"),
        columns=[
            Column(_("Id"), lambda a: a.pk),
            Column(_("Löftets id"), lambda a: a.promise_id),
            Column(_("Medborgarlöfte"), lambda a: a.promise.title),
            Column(_("Ordning"), lambda a: a.order),
            Column(_("Rubrik"), lambda a: a.title),
            Column(_("Beskrivning"), lambda a: a.description),
            Column(_("Ansvarig aktör"), lambda a: a.lead_organisation.name),
            Column(_("Medansvariga aktörer"), lambda a: _names(a.other_organisations.all())),
            Column(_("Planerad start"), lambda a: a.planned_start),
            Column(_("Planerat slut"), lambda a: a.planned_end),
            Column(_("Plats"), lambda a: a.place),
            Column(_("Vikt"), lambda a: a.weight),
            Column(_("Procent klart"), lambda a: a.current_percent),
            Column(_("Status"), lambda a: ProgressUpdate.Status(a.current_status).label),
            Column(_("Statuskod"), lambda a: a.current_status),
            Column(_("Senaste lägesrapport"), lambda a: a.last_reported_on),
            Column(_("Försenad"), lambda a: a.is_late),
        ],
        rows=selectors.published_activities(today).filter(promise__period=period),
    )


def progress_updates_sheet(period: Period, today: date | None = None) -> Sheet:
    return Sheet(
        kind="progress_updates",
        title=_("Lägesrapporter"),
        columns=[
            Column(_("Id"), lambda u: u.pk),
            Column(_("Löftets id"), lambda u: u.activity.promise_id),
            Column(_("Medborgarlöfte"), lambda u: u.activity.promise.title),
            Column(_("Aktivitetens id"), lambda u: u.activity_id),
            Column(_("Aktivitet"), lambda u: u.activity.title),
            Column(_("Datum"), lambda u: u.reported_on),
            Column(_("Status"), lambda u: ProgressUpdate.Status(u.status).label),
            Column(_("Statuskod"), lambda u: u.status),
            Column(_("Procent klart"), lambda u: u.percent_complete),
            Column(_("Text"), lambda u: u.text),
            Column(_("Aktör"), lambda u: u.organisation.name),
        ],
        rows=selectors.published_progress_updates()
        .filter(activity__promise__period=period)
        .order_by(
            "activity__promise__order",
            "activity__promise_id",
            "activity__order",
            "activity_id",
            "reported_on",
            "pk",
        ),
    )


def measurements_sheet(period: Period, today: date | None = None) -> Sheet:
    return Sheet(
        kind="measurements",
        title=_("Mätvärden"),
        columns=[
            Column(_("Id"), lambda m: m.pk),
            Column(_("Måttets id"), lambda m: m.indicator_id),
            Column(_("Mått"), lambda m: m.indicator.name),
            Column(_("Enhet"), lambda m: m.indicator.unit),
            Column(
                _("Riktning"),
                lambda m: Indicator.Direction(m.indicator.direction).label,
            ),
            Column(_("Utgångsvärde"), lambda m: m.indicator.baseline),
            Column(_("Målvärde"), lambda m: m.indicator.target),
            Column(
                _("Målet gäller"),
                lambda m: Indicator.TargetCadence(m.indicator.target_cadence).label,
            ),
            Column(
                _("Stegets utfall"),
                lambda m: Indicator.Aggregation(m.indicator.aggregation).label,
            ),
            Column(_("Löftets id"), lambda m: m.indicator.owner_promise.pk),
            Column(_("Medborgarlöfte"), lambda m: m.indicator.owner_promise.title),
            Column(_("Aktivitetens id"), lambda m: m.indicator.activity_id),
            Column(
                _("Aktivitet"),
                lambda m: m.indicator.activity.title if m.indicator.activity_id else None,
            ),
            Column(_("Datum"), lambda m: m.measured_on),
            Column(_("Värde"), lambda m: m.value),
            Column(_("Källa"), lambda m: m.source),
        ],
        rows=selectors.published_measurements().filter(
            Q(indicator__promise__period=period) | Q(indicator__activity__promise__period=period)
        ),
    )


def follow_ups_sheet(period: Period, today: date | None = None) -> Sheet:
    return Sheet(
        kind="follow_ups",
        title=_("Uppföljningar"),
        columns=[
            Column(_("Id"), lambda f: f.pk),
            Column(_("Sammanträdets id"), lambda f: f.meeting_id),
            Column(_("Sammanträdesdatum"), lambda f: f.meeting.date),
            Column(_("Löftets id"), lambda f: f.promise_id),
            Column(_("Medborgarlöfte"), lambda f: f.promise.title),
            Column(_("Aktivitetens id"), lambda f: f.activity_id),
            Column(_("Aktivitet"), lambda f: f.activity.title if f.activity_id else None),
            Column(_("Bedömning"), lambda f: FollowUp.Assessment(f.assessment).label),
            Column(_("Bedömningskod"), lambda f: f.assessment),
            Column(_("Kommentar"), lambda f: f.comment),
            Column(_("Beslutade nästa steg"), lambda f: f.next_steps),
        ],
        rows=selectors.published_follow_ups()
        .filter(meeting__period=period)
        .order_by("meeting__date", "meeting_id", "promise__order", "promise_id", "activity_id"),
    )


SHEETS: dict[str, Callable[[Period, date | None], Sheet]] = {
    "promises": promises_sheet,
    "activities": activities_sheet,
    "progress_updates": progress_updates_sheet,
    "measurements": measurements_sheet,
    "follow_ups": follow_ups_sheet,
}


def period_sheet(period: Period, kind: str, today: date | None = None) -> Sheet:
    """One kind of data; ``today`` decides what counts as late (the roll-up's rule)."""
    return SHEETS[kind](period, today)


def period_sheets(period: Period, today: date | None = None) -> list[Sheet]:
    return [period_sheet(period, kind, today) for kind in SHEETS]


def overview_sheet(today: date | None = None) -> Sheet:
    """The national overview: every municipality, as on the start page, sorted by name."""

    def period(row: MunicipalityStatus, attribute: str):
        return getattr(row.period, attribute) if row.period else None

    return Sheet(
        kind="overview",
        title=_("Översikt"),
        columns=[
            Column(_("Kommunkod"), lambda r: r.municipality.code),
            Column(_("Kommun"), lambda r: r.municipality.name),
            Column(_("Kortnamn"), lambda r: r.municipality.slug),
            Column(_("Länskod"), lambda r: r.county.code if r.county else None),
            Column(_("Län"), lambda r: r.county.name if r.county else None),
            Column(_("Har medborgarlöften i portalen"), lambda r: r.has_promises),
            Column(_("Löftesperiodens id"), lambda r: period(r, "pk")),
            Column(_("Löftesperiod"), lambda r: period(r, "name")),
            Column(_("Periodens start"), lambda r: period(r, "starts_on")),
            Column(_("Periodens slut"), lambda r: period(r, "ends_on")),
            Column(_("Antal löften"), lambda r: r.promise_count if r.has_promises else None),
            Column(
                _("Framsteg (procent)"),
                lambda r: _percent(r.progress) if r.progress is not None else None,
            ),
            Column(_("Senaste uppföljning"), lambda r: r.last_follow_up),
            Column(_("Följer upp"), lambda r: r.follow_up_cadence_label or None),
            Column(_("Uppföljningstakt (kod)"), lambda r: r.follow_up_cadence or None),
            Column(_("Nästa uppföljning senast"), lambda r: r.due),
            Column(_("Uppföljningen försenad"), lambda r: r.overdue if r.has_promises else None),
        ],
        rows=selectors.national_overview(today=today),
    )


# Writers -----------------------------------------------------------------------


def _csv_text(value: Any) -> str:
    """A value as Excel with Swedish settings reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    # Defuse formula injection: a leading apostrophe makes Excel show the text as text.
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def write_csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(sheet.headers())
    for values in sheet.values():
        writer.writerow([_csv_text(value) for value in values])
    return buffer.getvalue().encode(CSV_ENCODING)


def _xlsx_cell(worksheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = _("ja") if value else _("nej")
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def write_xlsx(sheets: list[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.freeze_panes = "A2"  # the headers stay in view while scrolling
        headers = []
        for header in sheet.headers():
            cell = WriteOnlyCell(worksheet, value=header)
            cell.font = bold
            headers.append(cell)
        worksheet.append(headers)
        for values in sheet.values():
            worksheet.append([_xlsx_cell(worksheet, value) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
