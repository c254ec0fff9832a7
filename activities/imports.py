"""Import of activity plans (CSV or XLSX) into one period: read, preview, then all rows or none.

One row is one activity. Promises are named by their short name in the address
(slug) or their title within the chosen period; organisations by slug, name or
short name; several co-responsible organisations are separated by semicolons.
A row is matched to an existing activity by promise and title (case aside), so
importing the same file again changes nothing.

Three steps, each bounded whatever the file:

1. ``read_plan_file`` reads the upload: CSV separated by ``;`` (Swedish Excel's
   default) or ``,``, in UTF-8 with or without BOM or in Windows-1252, or XLSX.
   It checks the header row first, and refuses more than ``MAX_ROWS`` rows,
   each with one Swedish message.
2. ``preview_plan`` checks every row against the model's own validation, with
   the period's promises, the organisations and the existing activities read
   once. It writes nothing and opens no transaction, so the public site keeps
   reading and writing while a preview runs.
3. ``import_plan`` checks again (the plan may have changed since the preview)
   and writes the new and changed rows through ``activities.services.activity_save``
   as the importing user, in one short transaction: every row or none.

The importing user needs ``activities.import_activity``; ``activity_save``
asks the plan's rules again for every row.
"""

import codecs
import csv
import datetime
import io
import operator
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection
from django.db.models import CheckConstraint, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import allowed, require
from activities.models import Activity
from activities.services import activity_plan_save
from promises.models import Organisation, Period

ALLOWED_EXTENSIONS = (".csv", ".xlsx")

# At most this many activities per file: a plan has tens, a few hundred at most.
# Larger files are mistakes (an export of something else) and would keep the
# page and the database busy for nothing.
MAX_ROWS = 2000
# The preview lists this many errors; the rest are counted.
MAX_SHOWN_ERRORS = 50
# The preview shows this many of the new and of the changed activities.
MAX_SHOWN_ROWS = 20
# An XLSX sheet may hold formatted but empty rows far below the plan.
MAX_SHEET_ROWS = 20 * MAX_ROWS

# The model's field → the column's name in the file (and in every message).
COLUMNS = {
    "promise": "löfte",
    "title": "rubrik",
    "description": "beskrivning",
    "lead_organisation": "ansvarig aktör",
    "other_organisations": "medansvariga aktörer",
    "planned_start": "planerad start",
    "planned_end": "planerat slut",
    "place": "plats",
    "weight": "vikt",
}
REQUIRED_COLUMNS = ("promise", "title", "lead_organisation")
# Fields compared to tell a changed activity from an unchanged one.
COMPARED_FIELDS = (
    "description",
    "lead_organisation_id",
    "planned_start",
    "planned_end",
    "place",
    "weight",
)


class ImportFileError(Exception):
    """The file cannot be read as an activity plan; the message says why, in Swedish."""


# --- 1. Reading the file ------------------------------------------------------------


@dataclass
class PlanTable:
    """The file's rows by field name; ``numbers`` are the rows' numbers in the file."""

    columns: list[str]
    rows: list[dict[str, object]]
    numbers: list[int]
    file_name: str = ""


def _column_key(name: object) -> str:
    text = "" if name is None else str(name)
    return " ".join(text.replace("\ufeff", "").replace("\xa0", " ").split()).casefold()


_FIELD_BY_COLUMN = {_column_key(column): name for name, column in COLUMNS.items()}


def _header_fields(header: list[object]) -> list[str | None]:
    """The field of each column; one message for every missing and unknown column."""
    keys = [_column_key(name) for name in header]
    while keys and not keys[-1]:
        keys.pop()  # empty cells after the last column
    unknown = [key or _("(tom rubrik)") for key in keys if key not in _FIELD_BY_COLUMN]
    present = {_FIELD_BY_COLUMN[key] for key in keys if key in _FIELD_BY_COLUMN}
    missing = [COLUMNS[name] for name in REQUIRED_COLUMNS if name not in present]
    repeated = sorted({key for key in keys if key and keys.count(key) > 1})
    if missing or unknown or repeated:
        problems = []
        if missing:
            problems.append(_("Saknas: %(columns)s.") % {"columns": _quoted(missing)})
        if unknown:
            problems.append(_("Okända: %(columns)s.") % {"columns": _quoted(unknown[:20])})
        if repeated:
            problems.append(_("Upprepade: %(columns)s.") % {"columns": _quoted(repeated)})
        raise ImportFileError(
            _(
                "Rubrikraden stämmer inte med mallen. %(problems)s "
                "Första raden ska ha kolumnerna %(columns)s (%(required)s måste finnas)."
            )
            % {
                "problems": " ".join(problems),
                "columns": _quoted(COLUMNS.values()),
                "required": _quoted(COLUMNS[name] for name in REQUIRED_COLUMNS),
            }
        )
    return [_FIELD_BY_COLUMN[key] for key in keys]


def _quoted(names) -> str:
    return ", ".join(f"”{name}”" for name in names)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _(
            "Filen har fler än %(max)s rader med aktiviteter. Dela upp planen i flera "
            "filer med högst %(max)s rader var."
        )
        % {"max": f"{MAX_ROWS:,}".replace(",", "\xa0")}
    )


def _table(records: Iterator[list[object]], file_name: str) -> PlanTable:
    """Header first, then at most MAX_ROWS non-empty rows, numbered as in the file."""
    numbered = enumerate(records, start=1)
    for _number, header in numbered:
        if any(_column_key(cell) for cell in header):
            break
    else:
        raise ImportFileError(_("Filen är tom."))
    fields = _header_fields(list(header))
    rows, numbers = [], []
    for number, record in numbered:
        if not any(cell not in (None, "") and str(cell).strip() for cell in record):
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many_rows()
        cells = list(record) + [None] * (len(fields) - len(record))
        row = {name: cell for name, cell in zip(fields, cells, strict=False) if name}
        # Cells beyond the header's last column are kept, to be reported.
        row["_extra"] = [cell for cell in cells[len(fields) :] if _column_key(cell)]
        rows.append(row)
        numbers.append(number)
    if not rows:
        raise ImportFileError(_("Filen har inga rader med aktiviteter under rubrikraden."))
    return PlanTable(
        columns=[name for name in fields if name], rows=rows, numbers=numbers, file_name=file_name
    )


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (older Swedish Excel's "CSV")."""
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "Filen är varken UTF-8 eller Windows-1252. Spara den i Excel som "
                "”CSV UTF-8 (kommaavgränsad)” eller som Excel-arbetsbok (.xlsx) och "
                "försök igen."
            )
        ) from None


def _delimiter(text: str) -> str:
    """Semicolon or comma, whichever separates the header row (no column name holds either)."""
    header = next((line for line in text.splitlines() if any(c.isalpha() for c in line)), "")
    return ";" if header.count(";") > header.count(",") else ","


def _csv_records(content: bytes) -> Iterator[list[object]]:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        yield from reader
    except csv.Error:
        raise ImportFileError(_("Filen gick inte att läsa som CSV.")) from None


def _xlsx_cell(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


# An activity plan of 2,000 rows unpacks to a few megabytes; a small file that unpacks
# to much more (a long row, a huge shared string) would hold a worker for minutes.
MAX_XLSX_UNPACKED_BYTES = 10 * 1024 * 1024


def _xlsx_unpacked_size(content: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _xlsx_records(content: bytes) -> Iterator[list[object]]:
    import openpyxl

    try:
        if _xlsx_unpacked_size(content) > MAX_XLSX_UNPACKED_BYTES:
            raise ImportFileError(
                _(
                    "Filen är för stor uppackad för en aktivitetsplan (högst %(megabytes)s MB). "
                    "Ta bort tomma kolumner och andra blad och försök igen."
                )
                % {"megabytes": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
            )
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for count, row in enumerate(sheet.iter_rows(values_only=True)):
            if count > MAX_SHEET_ROWS:
                raise _too_many_rows()
            yield [_xlsx_cell(value) for value in row]
        workbook.close()
    except ImportFileError:
        raise
    except Exception:  # whatever openpyxl raises, the file cannot be imported
        raise ImportFileError(
            _("Filen gick inte att läsa som XLSX. Spara den på nytt i Excel och försök igen.")
        ) from None


def read_plan_file(name: str, content: bytes) -> PlanTable:
    """The rows of an uploaded CSV or XLSX file, or ImportFileError with a Swedish message."""
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ImportFileError(_("Välj en CSV- eller XLSX-fil."))
    if extension == ".xlsx":
        if not content.startswith(b"PK"):
            raise ImportFileError(_("Filen är inte en XLSX-fil."))
        return _table(_xlsx_records(content), name)
    return _table(_csv_records(content), name)


# --- 2. Checking the rows -----------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str  # the column's name in the file; "" for the row as a whole
    message: str


@dataclass
class PlannedRow:
    row: int
    activity: Activity  # unsaved: a new activity, or the stored one with the file's values
    other_organisations: list[Organisation] | None  # None: leave them as they are


@dataclass
class PlanPreview:
    period: Period
    file_name: str = ""
    rows: int = 0
    new: list[PlannedRow] = field(default_factory=list)
    changed: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    rows_with_errors: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_SHOWN_ERRORS

    @property
    def is_valid(self) -> bool:
        return self.rows_with_errors == 0

    @property
    def to_save(self) -> int:
        return len(self.new) + len(self.changed)

    @property
    def hidden_errors(self) -> int:
        return self.error_count - len(self.errors)

    def add_errors(self, row: int, errors: list[RowError]) -> None:
        self.rows_with_errors += 1
        self.error_count += len(errors)
        room = MAX_SHOWN_ERRORS - len(self.errors)
        self.errors.extend(errors[: max(room, 0)])


def _text(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        # PostgreSQL stores no NUL character in text and refuses it in a lookup.
        raise ValueError(_("Cellen innehåller ett otillåtet tecken (NUL)."))
    return text


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _ISO_DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(
            _("Ogiltigt datum ”%(value)s”; skriv ÅÅÅÅ-MM-DD.") % {"value": text[:40]}
        ) from None


def _weight(value: object) -> int:
    text = _text(value)
    if not text:
        return 1
    refused = ValueError(
        _("Vikten måste vara ett heltal mellan 1 och 100, inte ”%(value)s”.") % {"value": text[:40]}
    )
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise refused from None
    if not number.is_integer():
        raise refused
    return int(number)


class _Lookups:
    """What every row is checked against, read once per preview."""

    def __init__(self, period: Period, user):
        self.period = period
        self.user = user
        self.promises = {}
        for promise in period.promises.select_related("period").order_by("-pk"):
            self.promises[promise.slug.casefold()] = promise
            self.promises[promise.title.casefold()] = promise
        self.organisations = {}
        for organisation in Organisation.objects.order_by("-pk").only(
            "pk", "slug", "name", "short_name"
        ):
            for name in (organisation.slug, organisation.name, organisation.short_name):
                if name:
                    self.organisations[name.casefold()] = organisation
        self.activities = {}
        existing = (
            Activity.objects.filter(promise__period=period)
            .prefetch_related("other_organisations")
            .order_by("-pk")
        )
        for activity in existing:
            self.activities[(activity.promise_id, activity.title.casefold())] = activity
        self._may_add: dict[int, bool] = {}

    def promise(self, value: object):
        name = _text(value)
        if not name:
            raise ValueError(_("Ange löftet (kortnamn eller rubrik)."))
        promise = self.promises.get(name.casefold())
        if promise is None:
            raise ValueError(
                _("Det finns inget löfte ”%(name)s” i perioden %(period)s.")
                % {"name": name[:200], "period": self.period}
            )
        return promise

    def lead_organisation(self, value: object) -> Organisation:
        name = _text(value)
        if not name:
            raise ValueError(_("Ange den ansvariga aktören."))
        return self.organisation(name)

    def other_organisations(self, value: object) -> list[Organisation]:
        names = [name.strip() for name in _text(value).split(";") if name.strip()]
        return [self.organisation(name) for name in names]

    def organisation(self, name: str) -> Organisation:
        organisation = self.organisations.get(name.casefold())
        if organisation is None:
            raise ValueError(_("Okänd aktör: ”%(name)s”.") % {"name": name[:200]})
        return organisation

    def may_add(self, promise) -> bool:
        """The plan's rule for adds, asked once per promise."""
        if promise.pk not in self._may_add:
            self._may_add[promise.pk] = allowed(self.user, "activities.add_activity", promise)
        return self._may_add[promise.pk]


def _check_row(
    row: dict, number: int, lookups: _Lookups, seen: dict[tuple, int]
) -> tuple[PlannedRow | None, bool, list[RowError]]:
    """The row as an activity to save (None if unchanged), whether it is new, and its errors."""
    errors: dict[str, str] = {}

    def cell(name: str, convert):
        try:
            return convert(row.get(name))
        except ValueError as error:
            errors[name] = str(error)
            return None

    promise = cell("promise", lookups.promise)
    title = cell("title", _text)
    if title == "":
        errors["title"] = _("Ange aktivitetens rubrik.")
    lead = cell("lead_organisation", lookups.lead_organisation)
    others = None
    if "other_organisations" in row:
        others = cell("other_organisations", lookups.other_organisations)
    values = {}
    for name, convert in (
        ("description", _text),
        ("place", _text),
        ("planned_start", _date),
        ("planned_end", _date),
        ("weight", _weight),
    ):
        if name in row:
            values[name] = cell(name, convert)
    if row.get("_extra"):
        errors[NON_FIELD_ERRORS] = _("Raden har fler celler än rubrikraden har kolumner.")

    existing = None
    if promise is not None and title:
        key = (promise.pk, title.casefold())
        if key in seen:
            errors.setdefault(
                "title",
                _("Samma löfte och rubrik finns redan på rad %(row)s.") % {"row": seen[key]},
            )
        else:
            seen[key] = number
        existing = lookups.activities.get(key)

    if existing is None:
        activity = Activity(promise=promise, title=title or "")
    else:
        activity = Activity(**_field_values(existing))
        activity._state.adding = False
        activity.promise = promise
        activity.title = title
    if lead is not None:
        activity.lead_organisation = lead
    for name, value in values.items():
        if name not in errors:
            setattr(activity, name, value)

    if promise is not None and existing is None and not lookups.may_add(promise):
        errors.setdefault("promise", _("Du får inte lägga till aktiviteter under det här löftet."))
    if promise is not None and lead is not None:
        try:
            # The model's own checks (lengths, dates within the period); the
            # related objects were found above, and the check constraints
            # (end on or after start, weight) are evaluated below.
            activity.full_clean(
                exclude=["promise", "lead_organisation", "order", *errors],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, " ".join(messages))
        for name, message in _constraint_errors(activity):
            errors.setdefault(name, message)

    if errors:
        return (
            None,
            False,
            [RowError(number, COLUMNS.get(name, ""), message) for name, message in errors.items()],
        )
    if existing is None:
        return PlannedRow(number, activity, others or None), True, []
    others_changed = others is not None and {o.pk for o in others} != {
        o.pk for o in existing.other_organisations.all()
    }
    fields_changed = activity.title != existing.title or any(
        getattr(activity, name) != getattr(existing, name) for name in COMPARED_FIELDS
    )
    if not (fields_changed or others_changed):
        return None, False, []
    if not allowed(lookups.user, "activities.change_activity", existing):
        return (
            None,
            False,
            [RowError(number, COLUMNS["title"], _("Du får inte ändra aktiviteten."))],
        )
    return PlannedRow(number, activity, others if others_changed else None), False, []


class _NotInPython(Exception):
    pass


_COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _holds(condition: Q, instance) -> bool | None:
    """A check constraint's condition on an unsaved instance, as SQL would answer it.

    Only plain comparisons of fields with values or other fields (``F``), and
    ``isnull``; None is SQL's unknown. Anything else raises _NotInPython.
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_holds(child, instance))
            continue
        lookup, expected = child
        name, _sep, kind = lookup.partition("__")
        value = getattr(instance, instance._meta.get_field(name).attname)
        if kind == "isnull":
            results.append((value is None) == expected)
            continue
        if isinstance(expected, F):
            expected = getattr(instance, instance._meta.get_field(expected.name).attname)
        elif hasattr(expected, "resolve_expression") or kind not in ("", *_COMPARISONS):
            raise _NotInPython
        if value is None or expected is None:
            results.append(None)
        else:
            results.append(_COMPARISONS[kind or "exact"](value, expected))
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    else:
        result = True if True in results else (None if None in results else False)
    return (not result if result is not None else None) if condition.negated else result


def _constraint_errors(activity: Activity) -> Iterator[tuple[str, str]]:
    """The model's check constraints, in Python: a preview asks the database nothing per row.

    (Django asks the database, in a transaction of its own, for each constraint.)
    """
    for constraint in Activity._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            holds = _holds(constraint.condition, activity) is not False
        except _NotInPython:
            try:
                constraint.validate(Activity, activity)
                holds = True
            except ValidationError:
                holds = False
        if not holds:
            field_name = Activity.constraint_error_fields.get(constraint.name, NON_FIELD_ERRORS)
            yield field_name, str(constraint.get_violation_error_message())


def _field_values(activity: Activity) -> dict:
    return {f.attname: getattr(activity, f.attname) for f in Activity._meta.concrete_fields}


def preview_plan(table: PlanTable, period: Period, user) -> PlanPreview:
    """What importing the table would do; reads only, outside any transaction."""
    require(user, "activities.import_activity")
    lookups = _Lookups(period, user)
    preview = PlanPreview(period=period, file_name=table.file_name, rows=len(table.rows))
    seen: dict[tuple, int] = {}
    for row, number in zip(table.rows, table.numbers, strict=True):
        planned, is_new, errors = _check_row(row, number, lookups, seen)
        if errors:
            preview.add_errors(number, errors)
        elif planned is None:
            preview.unchanged += 1
        elif is_new:
            preview.new.append(planned)
        else:
            preview.changed.append(planned)
    return preview


class PlanNotImported(Exception):
    """The plan changed since the preview or a row was refused; nothing was saved."""

    def __init__(self, preview: PlanPreview):
        super().__init__(preview)
        self.preview = preview


@contextmanager
def _sqlite_writes_in_memory() -> Iterator[None]:
    """Keep SQLite from locking readers out for the whole import.

    SQLite (without WAL) lets readers in while a transaction writes, until the
    writer's page cache fills and it spills to the file under an exclusive
    lock held to the commit. A cache large enough for 2,000 activities and
    their history keeps the exclusive lock to the commit itself.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def import_plan(table: PlanTable, period: Period, user) -> PlanPreview:
    """Check the table again, then save its new and changed activities, every one or none."""
    preview = preview_plan(table, period, user)
    if not preview.is_valid:
        raise PlanNotImported(preview)
    reason = _("Importerad från %(file)s") % {"file": table.file_name[:60] or _("fil")}
    try:
        with _sqlite_writes_in_memory():
            activity_plan_save(
                user=user,
                activities=[
                    (planned.activity, planned.other_organisations)
                    for planned in [*preview.new, *preview.changed]
                ],
                reason=reason,
            )
    except (ValidationError, PermissionDenied) as error:
        # The plan or the rules changed since the check above: nothing was saved.
        failed = PlanPreview(period=period, file_name=table.file_name, rows=preview.rows)
        messages = getattr(error, "messages", None) or [
            _("Du får inte längre ändra planen i den här perioden.")
        ]
        failed.add_errors(0, [RowError(0, "", message) for message in messages])
        raise PlanNotImported(failed) from None
    return preview


def summary(preview: PlanPreview) -> str:
    """One sentence for the message after an import."""
    return ngettext(
        "%(new)s ny aktivitet och %(changed)s ändrade importerades till %(period)s.",
        "%(new)s nya aktiviteter och %(changed)s ändrade importerades till %(period)s.",
        len(preview.new),
    ) % {"new": len(preview.new), "changed": len(preview.changed), "period": preview.period}
