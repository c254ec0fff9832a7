"""Dates typed into forms are read day first, as Swedes write them, in both languages.

Django's Swedish formats accept ``%m/%d/%Y``, so "1/12/2026" was read as
12 January. Here a date is ISO (2026-12-01) or day first (1/12/2026, 1.12.2026,
1-12-2026); never month first.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-01
    "%d/%m/%Y",  # 1/12/2026
    "%d/%m/%y",  # 1/12/26
    "%d.%m.%Y",  # 1.12.2026
    "%d-%m-%Y",  # 1-12-2026
]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}"
    for date in DATE_INPUT_FORMATS
    for time in ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M", "%H.%M")
]
