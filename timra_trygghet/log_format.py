"""Log records as one JSON object per line, for journald and log shippers."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed in ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request",
}


class JsonFormatter(logging.Formatter):
    """Format a record as a single JSON line.

    Fields: time (UTC, ISO 8601), level, logger, message; for records Django
    logs about a request also method, path and status; the traceback as one
    string in ``exception``; and any ``extra=`` values that JSON can carry.
    Newlines inside values are escaped by JSON, so one record is one line.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        for key, value in record.__dict__.items():
            if key in _STANDARD_ATTRIBUTES or key in entry or key == "status_code":
                continue
            entry[key] = value if _json_safe(value) else repr(value)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _json_safe(value) -> bool:
    return isinstance(value, str | int | float | bool | type(None))
