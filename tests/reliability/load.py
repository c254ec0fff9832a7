"""Load for a real app server: anonymous visitors and logged-in reporters, each on a thread.

Every request is one connection from 127.0.0.1 (as the reverse proxy makes
them), recorded with its kind, status, time and X-Cache. Loops are bounded by
a deadline, a request count and a stop event, so a load always ends by itself.
"""

import http.client
import random
import re
import statistics
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tests.production.servers import Browser, Response

# Generous: with 64 connections queued on two sync workers a request waits its turn.
CLIENT_TIMEOUT = 60
# Kept of a 5xx body, to show in a failure.
BODY_KEPT = 2000

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_FIELD = re.compile(r'name="submission_token" value="([^"]+)"')


@dataclass(frozen=True)
class Outcome:
    kind: str
    method: str
    path: str
    started: float  # time.monotonic()
    seconds: float
    status: int | None  # None: no answer (refused, reset or timed out)
    cache: str | None = None
    error: str = ""
    body: str = ""
    with_cookies: bool = False

    @property
    def finished(self) -> float:
        return self.started + self.seconds


class Recorder:
    """Makes requests and keeps every outcome; shared by all threads."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()

    def request(
        self, browser: Browser, kind: str, method: str, path: str, data=None, headers=None
    ) -> Response | None:
        with_cookies = bool(browser.cookies)
        started = time.monotonic()
        try:
            response = browser.request(method, path, data=data, headers=headers)
        except (OSError, http.client.HTTPException) as error:
            outcome = Outcome(
                kind,
                method,
                path,
                started,
                time.monotonic() - started,
                None,
                error=repr(error),
                with_cookies=with_cookies,
            )
            response = None
        else:
            outcome = Outcome(
                kind,
                method,
                path,
                started,
                time.monotonic() - started,
                response.status,
                cache=response.header("X-Cache"),
                body=response.body[:BODY_KEPT] if response.status >= 500 else "",
                with_cookies=with_cookies,
            )
        with self._lock:
            self.outcomes.append(outcome)
        return response

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)


@dataclass
class Bounds:
    """When a load stops: at the deadline, after ``max_requests`` per thread, or on ``stop``."""

    seconds: float
    max_requests: int
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def over(self) -> bool:
        return self.stop.is_set() or time.monotonic() >= self.deadline


@dataclass(frozen=True)
class Page:
    kind: str
    path: str
    headers: dict | None = None


def visit(base_url: str, pages: list[Page], recorder: Recorder, bounds: Bounds, seed: int):
    """Anonymous visitors, one after another: each request a new visitor without cookies."""
    rng = random.Random(seed)
    browser = Browser(base_url, timeout=CLIENT_TIMEOUT)
    for _ in range(bounds.max_requests):
        if bounds.over():
            return
        page = rng.choice(pages)
        browser.cookies.clear()
        recorder.request(browser, page.kind, "GET", page.path, headers=page.headers)


@dataclass
class ReportForm:
    """One rendered report form and what was typed into it."""

    activity_id: int
    csrf: str
    token: str
    text: str
    percent: int
    posts: list[int | None] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return 302 in self.posts


class Reporter:
    """A logged-in reporter sending progress reports through the real report form."""

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        recorder: Recorder,
        label: str,
        seed: int,
    ) -> None:
        self.browser = Browser(base_url, timeout=CLIENT_TIMEOUT)
        self.username = username
        self.password = password
        self.activity_ids: list[int] = []
        self.recorder = recorder
        self.label = label
        self.rng = random.Random(seed)
        self.forms: list[ReportForm] = []
        self.double_submitted: list[ReportForm] = []

    def log_in(self) -> None:
        page = self.recorder.request(self.browser, "login-form", "GET", "/konto/logga-in/")
        assert page is not None and page.status == 200, f"login form: {page and page.status}"
        csrf = CSRF_FIELD.search(page.body).group(1)
        response = self.recorder.request(
            self.browser,
            "login",
            "POST",
            "/konto/logga-in/",
            data={
                "csrfmiddlewaretoken": csrf,
                "username": self.username,
                "password": self.password,
            },
        )
        assert response is not None and response.status == 302, (
            f"{self.username} could not log in: {response and response.status}"
        )
        assert response.header("Location") == "/personal/", response.header("Location")

    def find_activities(self) -> None:
        """The activities that the reporter's own page offers to report on."""
        page = self.browser.get("/personal/")
        assert page.status == 200, page.status
        found = re.findall(r"/personal/aktiviteter/(\d+)/rapportera/", page.body)
        self.activity_ids = sorted({int(pk) for pk in found})
        assert self.activity_ids, f"{self.username} has nothing to report on"

    def open_form(self) -> ReportForm | None:
        activity_id = self.rng.choice(self.activity_ids)
        path = report_path(activity_id)
        page = self.recorder.request(self.browser, "report-form", "GET", path)
        if page is None or page.status != 200:
            return None
        form = ReportForm(
            activity_id,
            csrf=CSRF_FIELD.search(page.body).group(1),
            token=TOKEN_FIELD.search(page.body).group(1),
            text=f"{self.label} rapport {len(self.forms) + 1}: {self.rng.getrandbits(48):x}",
            percent=self.rng.randint(1, 99),
        )
        self.forms.append(form)
        return form

    def submit(self, form: ReportForm, kind: str = "report") -> bool:
        """Press "send"; True when the report was accepted (redirected to my activities)."""
        response = self.recorder.request(
            self.browser,
            kind,
            "POST",
            report_path(form.activity_id),
            data={
                "csrfmiddlewaretoken": form.csrf,
                "submission_token": form.token,
                "status": "in_progress",
                "percent_complete": str(form.percent),
                "text": form.text,
            },
        )
        accepted = (
            response is not None
            and response.status == 302
            and response.header("Location") == "/personal/"
        )
        form.posts.append(302 if accepted else (response.status if response else None))
        return accepted

    def my_activities(self) -> None:
        self.recorder.request(self.browser, "my-activities", "GET", "/personal/")

    def report_repeatedly(
        self, bounds: Bounds, double_submit_every: int = 5, pause: float = 0.2
    ) -> None:
        """Open a form, send it, look at my activities; every so often send one form twice.

        A report that is not accepted (the site answered 503) is sent again,
        the same form, before a new one is opened: what a person does. The
        short pause is the person reading the answer.
        """
        for n in range(bounds.max_requests):
            if bounds.over():
                return
            pending = [form for form in self.forms if not form.accepted]
            form = pending[0] if pending else self.open_form()
            if form is not None and self.submit(form):
                if n % double_submit_every == 2:
                    self.submit(form, kind="double-submit")
                    self.double_submitted.append(form)
                self.my_activities()
            time.sleep(pause)


def report_path(activity_id: int) -> str:
    return f"/personal/aktiviteter/{activity_id}/rapportera/"


class Threads:
    """One thread per target, all started at once."""

    def __init__(self, targets: list) -> None:
        self.threads = [threading.Thread(target=target, daemon=True) for target in targets]
        for thread in self.threads:
            thread.start()

    def join(self, seconds: float) -> None:
        """Wait for all; a thread still running after ``seconds`` is a failure."""
        deadline = time.monotonic() + seconds
        for thread in self.threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        alive = [thread for thread in self.threads if thread.is_alive()]
        assert not alive, f"{len(alive)} load threads did not stop in time"


def run_threads(targets: list, join_seconds: float) -> None:
    Threads(targets).join(join_seconds)


def percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def summary(title: str, outcomes: list[Outcome], seconds: float) -> str:
    """A few lines for the CI log: volume, and per kind the statuses and latencies."""
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    answered = [o for o in outcomes if o.status is not None]
    hits = sum(1 for o in outcomes if o.cache == "hit")
    lines = [
        f"{title}: {len(outcomes)} requests in {seconds:.1f} s "
        f"({len(outcomes) / seconds:.0f}/s), {len(outcomes) - len(answered)} unanswered, "
        f"{hits} page-cache hits",
        f"  {'kind':<15}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses",
    ]
    for kind, group in sorted(by_kind.items()):
        times = sorted(o.seconds * 1000 for o in group)
        statuses = Counter("none" if o.status is None else o.status for o in group)
        lines.append(
            f"  {kind:<15}{len(group):>7}{percentile(times, 0.5):>9.0f}"
            f"{percentile(times, 0.99):>9.0f}{times[-1]:>9.0f}  "
            + ", ".join(f"{status}×{count}" for status, count in sorted(statuses.items(), key=str))
        )
    return "\n".join(lines)


def public_pages(browser: Browser, municipality: str = "timra", period: str = "2021-2022"):
    """What residents read, found on the site itself: the start page, the promises, a
    published meeting, a search, an API list and a static file."""

    def links(path: str, pattern: str) -> list[str]:
        page = browser.get(path)
        assert page.status == 200, f"{path}: {page.status}"
        return sorted(set(re.findall(pattern, page.body)))

    promise_list = f"/{municipality}/{period}/loften/"
    promises = links(promise_list, rf'href="({promise_list}[^"/]+/)"')
    meeting_list = f"/{municipality}/sammantraden/"
    meetings = links(meeting_list, rf'href="({meeting_list}\d+/)"')
    static = links("/", r'href="(/static/css/site\.[0-9a-f]+\.css)"')
    assert promises and meetings and static, (promises, meetings, static)
    json_api = {"Accept": "application/json"}
    return [
        Page("home", "/"),
        Page("home", f"/{municipality}/"),
        Page("promise-list", promise_list),
        *(Page("promise", path) for path in promises),
        Page("meeting", meetings[-1]),
        Page("search", "/sok/?q=trygghet"),
        Page("api", "/api/v1/promises/", json_api),
        Page("api", "/api/v1/activities/", json_api),
        Page("static", static[0]),
    ]
