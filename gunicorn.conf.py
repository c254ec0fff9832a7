"""Gunicorn configuration: `gunicorn -c gunicorn.conf.py timra_trygghet.wsgi`.

Every value can be changed from the environment, so one file serves a laptop,
a single server and a fleet of app servers behind a load balancer.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


# Where to listen: the reverse proxy or load balancer connects here.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: the portal's requests are short and database-bound. The usual
# 2 × cores + 1, capped so a big machine does not exhaust PostgreSQL
# connections (each worker keeps one open: CONN_MAX_AGE).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak can never take a server down.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Off by default: only then does a graceful reload (HUP, `systemctl reload`) start
# workers with the new code. GUNICORN_PRELOAD=1 shares memory between workers but
# then an upgrade needs `systemctl restart`.
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"

# Trust X-Forwarded-* only from the proxy (comma-separated addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# Limits on the request line and headers (bodies are limited by the proxy and Django).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Logs to stderr, where systemd's journal (or the container runtime) collects them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Both as JSON lines (timra_trygghet.gunicorn_logging), one per request and event.
logger_class = "timra_trygghet.gunicorn_logging.JsonLogger"
proc_name = "timra-trygghet"
# Gunicorn's runtime control socket is not used; disabled, so several
# instances on one host never compete for its path.
control_socket_disable = True
