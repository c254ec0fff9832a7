import json
import logging
import sys

from django.test import RequestFactory

from timra_trygghet.log_format import JsonFormatter


def make_record(**kwargs) -> logging.LogRecord:
    record = logging.getLogger("portal.test").makeRecord(
        "portal.test", kwargs.pop("level", logging.INFO), __file__, 1, "Hej %s", ("Timrå",), None
    )
    for key, value in kwargs.items():
        setattr(record, key, value)
    return record


def test_a_record_is_one_line_of_json_with_time_level_logger_and_message():
    line = JsonFormatter().format(make_record())

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "INFO"
    assert entry["logger"] == "portal.test"
    assert entry["message"] == "Hej Timrå"
    assert entry["time"].endswith("+00:00")


def test_an_exception_is_kept_whole_on_the_same_line():
    try:
        raise ValueError("trasigt\nvärde")
    except ValueError:
        record = make_record(level=logging.ERROR, exc_info=sys.exc_info())

    line = JsonFormatter().format(record)

    assert "\n" not in line
    exception = json.loads(line)["exception"]
    assert exception.startswith("Traceback") and "ValueError: trasigt\nvärde" in exception


def test_request_details_and_extra_values_are_fields():
    request = RequestFactory().post("/admin/login/")
    record = make_record(request=request, status_code=403, user_id=7, thing=object())

    entry = json.loads(JsonFormatter().format(record))

    assert entry["method"] == "POST"
    assert entry["path"] == "/admin/login/"
    assert entry["status"] == 403
    assert entry["user_id"] == 7
    assert entry["thing"].startswith("<object")
    assert "request" not in entry
