"""Activity-plan files built in the tests, as Excel and other exporters write them."""

import io

import openpyxl

from activities.imports import COLUMNS

HEADER = list(COLUMNS.values())


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    """Every cell quoted, lines ended as Excel ends them (CRLF)."""
    lines = [delimiter.join(header)]
    lines += [delimiter.join(f'"{cell}"' for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def many_rows(count: int, promise: str = "trafikkontroller", lead: str = "polisen") -> list:
    """``count`` distinct valid activities under one promise, dated in 2025."""
    return [
        [
            promise,
            f"Aktivitet nummer {number}",
            f"Beskrivning av aktivitet {number}, med å, ä och ö.",
            lead,
            "",
            "2025-03-01",
            "2025-11-30",
            "Timrå",
            str(1 + number % 5),
        ]
        for number in range(1, count + 1)
    ]
