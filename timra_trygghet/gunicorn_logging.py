"""Gunicorn's own logs (access and error) as JSON lines, like the application's."""

import logging

from gunicorn.glogging import Logger

from timra_trygghet.log_format import JsonFormatter


class JsonLogger(Logger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        fields = {
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "query": environ.get("QUERY_STRING", ""),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "referer": environ.get("HTTP_REFERER", ""),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "cache": _header(resp.headers, "X-Cache"),
        }
        self.access_log.log(logging.INFO, "request", extra=fields)


def _header(headers, name: str) -> str:
    """A response header from gunicorn's list of (name, value) pairs."""
    pairs = headers.items() if hasattr(headers, "items") else headers
    for key, value in pairs:
        if key.lower() == name.lower():
            return value
    return ""
