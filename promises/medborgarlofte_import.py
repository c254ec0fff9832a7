"""Read the plain text of a published medborgarlöfte: pure functions, no database.

``parse(text)`` finds the period, the focus areas, the promises with their
parties and measurable targets, the follow-up statement and the framing text
(purpose, situation, intended result). Published texts vary: some use
polisen.se's headings ("Situationen idag / Det här ska vi göra / …"), some
group promises under their actor ("Polisen lovar att:"), many have no headings
at all. What the rules below do not recognise is never dropped: every sentence
of the input ends up in exactly one place of the result, or in
``unclassified`` for a person to place (``accounted_sentences`` lists them,
and a property-based test holds the parser to it).

How a text is read:

1. Lines become blocks: one block per non-empty line, a bullet ("•", "-", "1.")
   marks a list item. Sentences are split inside a block, never across blocks.
2. Recognised headings open sections (situation, focus areas, promises, a
   group of promises by one actor, result, follow-up, purpose, period). A
   short line without a full stop followed by a list inside the promises is a
   focus area that the following promises answer.
3. Inside the promises, each list item (or, when a section has no list, each
   paragraph) is one promise. Elsewhere each paragraph is read sentence by
   sentence: follow-up, purpose, period, result, situation; a paragraph that
   reads like a promise ("Polisen ska …", "… (Polisen)") is one.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from xml.etree import ElementTree

# --- Vocabulary -------------------------------------------------------------------

POLICE = "polisen"
MUNICIPALITY = "kommunen"
SIGNATORIES = (POLICE, MUNICIPALITY)

# Canonical party → how texts name it. Order matters where names overlap:
# "fastighetsägarföreningen" before "fastighetsägare".
PARTY_PATTERNS: dict[str, str] = {
    POLICE: r"polis(?:en|erna|er)?|kommunpolis(?:en)?|lokalpolisområde\w*|polismyndigheten",
    MUNICIPALITY: r"kommun(?:en|ens)?|[A-ZÅÄÖ][\wåäö-]+ kommuns?|kommunerna",
    "socialtjänsten": r"socialtjänst(?:en|ens)?",
    "räddningstjänsten": r"räddningstjänst(?:en|ens)?",
    "kustbevakningen": r"kustbevakning(?:en|ens)?",
    "fastighetsägarföreningen": r"fastighetsägarförening(?:en|ar|arna)?|Fastighetsägarna",
    "fastighetsägare": (
        r"fastighetsägar(?:e|en|na)|fastighetsbolag(?:en|et)?|bostadsbolag(?:en|et)?"
    ),
    "skolan": r"skol(?:an|orna)",
    "trafikverket": r"trafikverket",
    "länsstyrelsen": r"länsstyrelsen",
    "föreningslivet": r"föreningsliv(?:et)?|föreningar(?:na)?",
}
_PARTY_RES = {
    party: re.compile(rf"(?<![\wåäöÅÄÖ])(?:{pattern})(?![\wåäöÅÄÖ])", re.IGNORECASE)
    for party, pattern in PARTY_PATTERNS.items()
}
# "Timråbo", "invånarna", "boende": residents take part, but are not an organisation.
_RESIDENTS = re.compile(
    r"(?<![\wåäö])(?:invånar\w*|medborgar(?:na|e)|boende|[A-ZÅÄÖ][a-zåäö]+bo(?:r|rna|n)?)(?![\wåäö])"
)

_PROMISE_VERB = re.compile(
    r"(?<![\wåäö])(?:lovar|ska|skall|kommer att|åtar sig|förbinder sig)(?![\wåäö])", re.IGNORECASE
)
_TOGETHER_START = re.compile(r"^(?:tillsammans|gemensamt|vi)(?![\wåäö])", re.IGNORECASE)
# "Polisen ska tillsammans med kommunen genomföra …": both promise. Later in the
# sentence ("lovar att tillsammans med föreningslivet …", "i samverkan med …") the
# named party takes part without promising.
_CO_SUBJECT = re.compile(
    r"^\s*(?:tillsammans|gemensamt)\s+med\s+((?:\S+\s+){0,3}?\S+)(?=\s+[a-zåäö]+\b)", re.I
)
_PARTNER = re.compile(
    r"(?:i samverkan med|i samarbete med|tillsammans med|med stöd av|med hjälp av)\s+(.+)",
    re.IGNORECASE,
)

# --- Headings ---------------------------------------------------------------------

SITUATION, FOCUS, PROMISES, OUTCOME, FOLLOW_UP, PURPOSE, PERIOD = (
    "situation",
    "focus",
    "promises",
    "outcome",
    "follow_up",
    "purpose",
    "period",
)
_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    (
        SITUATION,
        re.compile(
            r"^(?:situationen idag|nuläge(?:t)?|lägesbild(?:en)?|bakgrund|"
            r"så ser det ut (?:i dag|idag))$",
            re.I,
        ),
    ),
    (
        FOCUS,
        re.compile(r"^(?:(?:prioriterade|utvalda|våra)\s+)?(?:fokus)?områden(?:\s+är)?$", re.I),
    ),
    (
        PROMISES,
        re.compile(
            r"^(?:det här ska vi göra|våra löften|(?:våra\s+)?medborgarlöften|löftena|"
            r"vi lovar|så här ska vi arbeta)$",
            re.I,
        ),
    ),
    (
        OUTCOME,
        re.compile(
            r"^(?:det här ska vi åstadkomma(?: tillsammans)?|förväntat resultat|resultat|"
            r"målbild|det vill vi uppnå|effekt(?:mål)?)$",
            re.I,
        ),
    ),
    (
        FOLLOW_UP,
        re.compile(
            r"^(?:följ med i hur det går|uppföljning|så följer vi upp|så följs löftena upp)$", re.I
        ),
    ),
    (PURPOSE, re.compile(r"^(?:syfte(?:t)?|bakgrund och syfte)$", re.I)),
    (PERIOD, re.compile(r"^(?:period(?:en)?|löftesperiod(?:en)?|giltighetstid)$", re.I)),
]
# "Polisen lovar att:", "Kommunen och polisen lovar tillsammans att:", "Tillsammans ska vi:"
_ACTOR_HEADING = re.compile(
    r"^(?P<actor>.+?)\s+(?:lovar|ska|skall|åtar sig)"
    r"(?:\s+(?:tillsammans|gemensamt|vi))?(?:\s+att)?$",
    re.I,
)
_FOCUS_LABEL = re.compile(
    r"^(?:fokusområde|prioriterat område|område|insatsområde)(?:\s+\d+)?\s*[:–-]\s*(?P<name>.+)$",
    re.I,
)

# --- Framing, follow-up and period sentences ----------------------------------------

_FOLLOW_UP = re.compile(
    r"(?:(?:löfte\w*|arbetet|medborgarlöft\w*|insatserna|aktivitetsplanen|resultat\w*|"
    r"utvecklingen)\b[^.!?]*\b(?:följ\w* upp|följs upp|utvärder\w*|redovisa\w*|stäm\w* av)|"
    r"^(?:vi|polisen och kommunen|kommunen och polisen)\s+(?:följer|kommer att följa|ska följa)"
    r" upp (?:löfte\w*|arbetet|medborgarlöft\w*)|^uppföljning\w*\b)",
    re.I,
)
_PURPOSE = re.compile(r"\bsyftar till\b|^syftet\b|^(?:medborgar)?löftet?\w* ska bidra till", re.I)
_OUTCOME = re.compile(
    r"^(?:målet|målsättningen|resultatet|effekten)\b|\b(?:vill vi|ska vi) (?:uppnå|åstadkomma)\b|"
    r"^genom\b.*\bkommer vi\b|\bförväntas leda till\b|\bska leda till\b",
    re.I,
)
_SITUATION = re.compile(
    r"\b(?:dialog\w*|medborgardialog\w*|enkät\w*|trygghetsmätning\w*|trygghetsundersökning\w*|"
    r"statistik\w*|upplev\w*|uppger|oro\w*|otrygg\w*|visade|visar|"
    r"har identifierats|identifierat)\b",
    re.I,
)
_PERIOD_STATEMENT = re.compile(
    r"^(?:(?:de(?:ssa)?\s+)?(?:medborgar)?löft\w*|perioden|löftesperioden|avtalet|överenskommelsen)\b"
    r"[^.!?]*\b(?:gäller|gälla|löper|sträcker sig|omfattar perioden|revideras|ses över|"
    r"undertecknades)\b",
    re.I,
)

# --- Periods ------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],  # fmt: skip
        start=1,
    )
}
_MONTH = "|".join(MONTHS)
_DAY_MONTH_YEAR = rf"(?:den\s+)?(\d{{1,2}})\s+({_MONTH})\s+(20\d\d)"
_DATE_RANGE_WORDS = re.compile(
    rf"{_DAY_MONTH_YEAR}\s*(?:[-–—]|till och med|till|t\.o\.m\.?)\s*{_DAY_MONTH_YEAR}", re.I
)
_DATE_RANGE_ISO = re.compile(
    r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)\s*(?:[-–—]{1,2}|till och med|till|t\.o\.m\.?)\s*"
    r"(20\d\d)-(\d\d)-(\d\d)(?!\d)",
    re.I,
)
_MONTH_RANGE = re.compile(
    rf"({_MONTH})\s+(20\d\d)\s*(?:[-–—]|till och med|till|t\.o\.m\.?)\s*({_MONTH})\s+(20\d\d)", re.I
)
_START_WORDS = re.compile(rf"(?:från|fr\.o\.m\.?|från och med)\s+{_DAY_MONTH_YEAR}", re.I)
_START_ISO = re.compile(r"(?:från|fr\.o\.m\.?|från och med)\s+(20\d\d)-(\d\d)-(\d\d)(?!\d)", re.I)
_YEAR_RANGE = re.compile(r"(?<![\d-])(20\d\d)\s*[-–—/]\s*(20\d\d)(?![\d-])")
_SINGLE_YEAR = re.compile(r"(?:medborgarlöft\w*|löft\w*|år|under|för)\s+(20\d\d)(?![\d-])", re.I)
_OPEN_ENDED = re.compile(
    r"tills\s*vidare|till dess (?:att )?(?:ett )?nytt? (?:medborgar)?löfte|"
    r"tills (?:ett )?nytt? (?:medborgar)?löfte",
    re.I,
)
_REVISABLE = re.compile(r"\b(?:revider\w*|ses över|omprövas|uppdateras)\b", re.I)

# --- Targets and cadences --------------------------------------------------------------

NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20,
    "trettio": 30, "fyrtio": 40, "femtio": 50, "hundra": 100,
}  # fmt: skip
_NUMBER = rf"\d+(?:[ \u00a0]\d{{3}})*(?:,\d+)?|{'|'.join(NUMBER_WORDS)}"
# Cadence phrases → the cadence they name. "var fjärde månad" is a tertial.
CADENCES: list[tuple[str, str]] = [
    ("day", r"varje dygn|per dygn|varje dag|per dag|dagligen|om dagen|i dygnet|/dag|/dygn"),
    ("week", r"varje vecka|per vecka|i veckan|veckovis|/vecka|en gång i veckan"),
    ("month", r"varje månad|per månad|i månaden|månadsvis|månatligen|/månad"),
    ("quarter", r"varje kvartal|per kvartal|kvartalsvis|/kvartal"),
    ("tertial", r"varje tertial|per tertial|tertialvis|var fjärde månad|/tertial"),
    ("half_year", r"varje halvår|per halvår|halvårsvis|två gånger per år|två gånger om året"),
    (
        "year",
        r"årligen|per år|varje år|om året|i året|/år|en gång per år|"
        r"varje (?:höst|vår|sommar|vinter)",
    ),
]
_CADENCE_RES = [(cadence, re.compile(rf"(?:{pattern})", re.I)) for cadence, pattern in CADENCES]
_COMPARISON = r"minst|högst|max(?:imalt)?|fler än|färre än|mindre än|upp till|totalt|sammanlagt"
_TARGET = re.compile(
    rf"(?<![\wåäö])(?P<comparison>{_COMPARISON})\s+(?P<number>{_NUMBER})\s+(?P<rest>[^.!?;]*)", re.I
)
_CADENCED_COUNT = re.compile(
    rf"(?<![\wåäö])(?P<number>{_NUMBER})\s+(?P<rest>[^.!?;]*?)\s+(?P<cadence>"
    + "|".join(pattern for _cadence, pattern in CADENCES)
    + ")",
    re.I,
)
_BARE_CADENCE = re.compile(
    r"(?<![\wåäö])(?:varje (?:dygn|dag|vecka|månad|kvartal|tertial|halvår|år|"
    r"höst|vår|sommar|vinter)|"
    r"dagligen|veckovis|"
    r"månadsvis|kvartalsvis|tertialvis|årligen)(?![\wåäö])",
    re.I,
)
_WITHIN = re.compile(
    rf"(?<![\wåäö])inom\s+(?P<number>{_NUMBER})\s+(?P<unit>timmar|timme|dygn|dagar|dag|veckor|vecka|"
    rf"månader|månad|minuter)(?![\wåäö])",
    re.I,
)
FOLLOW_UP_CADENCES: list[tuple[str, re.Pattern[str]]] = [
    (
        "every_meeting",
        re.compile(r"\b(?:vid|på)\s+(?:samtliga|alla|varje)\s+(?:möten?|sammanträden?)", re.I),
    ),
    *[(cadence, pattern) for cadence, pattern in _CADENCE_RES if cadence != "day"],
    (
        "end_of_period",
        re.compile(r"periodens slut|i slutet av perioden|när perioden är slut", re.I),
    ),
]  # fmt: skip
# "i rådet för trygghet och hälsa", "i det lokala brottsförebyggande rådet", "av styrgruppen".
_COUNCIL = re.compile(
    r"(?<![\wåäö])(?:i|av|för|vid)\s+(?P<council>"
    r"(?:(?!(?:i|av|vid|varje|samtliga|alla|möten?|sammanträden?)\s)[\wåäö-]+\s+){0,3}?"
    r"[\wåäö]*(?:råd(?:et)?|"
    r"kommunstyrelsen|styrgrupp(?:en)?)(?:\s+för\s+[^.,;!?]+?)?)"
    r"(?=\s*[.,;!?]|\s+(?:där|som|samt|när|då|efter|var|varje|kvartalsvis|månadsvis|årligen|"
    r"en gång|två gånger)\b|$)",
    re.I,
)
_PLACE = re.compile(
    r"(?<![\wåäö])(?:i|vid|på|kring|runt|inom)\s+(?P<place>(?:centrala|stadsdelen|bostadsområdet|"
    r"området|tätorten)\s+[A-ZÅÄÖ][\wåäö-]+|[A-ZÅÄÖ][\wåäö-]*(?:torget|centrum|parken|stationen)|"
    r"resecentrum|[A-ZÅÄÖ][\wåäö-]+s resecentrum|centrum)(?![\wåäö])",
)

# --- Text units --------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[•·▪◦●○*\-–—]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"”“'(A-ZÅÄÖÉ0-9•])")
_PARTY_TAG = re.compile(r"\s*\((?:ansvarig[a]?:\s*)?(?P<inside>[^()]+)\)\s*\.?\s*$", re.I)


def strip_bullet(line: str) -> tuple[str, bool]:
    """The line without its list marker, and whether it had one."""
    match = _BULLET.match(line)
    if match:
        return line[match.end() :].strip(), True
    return line.strip(), False


def split_sentences(text: str) -> list[str]:
    """Sentences of a text: at . ! ? followed by a capital, a digit or "(", and at line ends."""
    sentences = []
    for line in text.splitlines():
        sentences.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return sentences


def _join(sentences: list[str]) -> str:
    return " ".join(sentences)


# --- Result ------------------------------------------------------------------------------


@dataclass
class Target:
    text: str
    quantity: Decimal
    unit: str
    cadence: (
        str  # day, week, month, quarter, tertial, half_year, year, period, or "" for a deadline
    )
    comparison: str  # at_least, at_most, exactly, within
    # How a step's measurements make its outcome: "sum" for counts of what is done,
    # "latest" for a level such as a share (the indicator's ``aggregation``).
    aggregation: str = "sum"

    @property
    def direction(self) -> str:
        return "lower" if self.comparison in {"at_most", "within"} else "higher"


@dataclass
class ParsedPromise:
    text: str
    parties: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    with_residents: bool = False
    focus_areas: list[str] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    place: str = ""
    party_note: str = ""  # a trailing "(Polisen och kommunen)", kept out of the text
    # The lines as written, text and party note together (for the nothing-lost check).
    source: str = ""

    @property
    def title(self) -> str:
        return promise_title(self.text)


@dataclass
class ParsedFocusArea:
    name: str
    text: str  # the line as written, e.g. "Trafiksäkerhet." or "Fokusområde 2: Trafik"


@dataclass
class ParsedPeriod:
    name: str
    starts_on: date | None
    ends_on: date | None
    open_ended: bool = False
    revisable: bool = False


@dataclass
class ParsedFollowUp:
    text: str
    cadence: str  # every_meeting, week … year, end_of_period, or ""
    council: str


@dataclass
class ParsedMedborgarlofte:
    title: str = ""
    period: ParsedPeriod | None = None
    period_text: list[str] = field(default_factory=list)
    purpose: list[str] = field(default_factory=list)
    situation: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    follow_up_text: list[str] = field(default_factory=list)
    focus_areas: list[ParsedFocusArea] = field(default_factory=list)
    promises: list[ParsedPromise] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)

    @property
    def follow_up(self) -> ParsedFollowUp | None:
        if not self.follow_up_text:
            return None
        text = _join(self.follow_up_text)
        return ParsedFollowUp(
            text=text, cadence=follow_up_cadence(text), council=council_name(text)
        )

    def as_dict(self) -> dict:
        """The JSON shape of ``import_medborgarlofte --json`` (see the README)."""
        follow_up = self.follow_up
        return {
            "title": self.title,
            "period": None
            if self.period is None
            else {
                "name": self.period.name,
                "starts_on": _iso(self.period.starts_on),
                "ends_on": _iso(self.period.ends_on),
                "open_ended": self.period.open_ended,
                "revisable": self.period.revisable,
                "text": _join(self.period_text),
            },
            "purpose": _join(self.purpose),
            "situation": _join(self.situation),
            "outcome": _join(self.outcome),
            "follow_up": None if follow_up is None else asdict(follow_up),
            "focus_areas": [asdict(area) for area in self.focus_areas],
            "promises": [
                {
                    "title": promise.title,
                    "text": promise.text,
                    "parties": promise.parties,
                    "partners": promise.partners,
                    "with_residents": promise.with_residents,
                    "focus_areas": promise.focus_areas,
                    "place": promise.place,
                    "party_note": promise.party_note,
                    "targets": [
                        {
                            "text": target.text,
                            "quantity": _number(target.quantity),
                            "unit": target.unit,
                            "cadence": target.cadence,
                            "comparison": target.comparison,
                            "aggregation": target.aggregation,
                        }
                        for target in promise.targets
                    ],
                }
                for promise in self.promises
            ],
            "headings": self.headings,
            "unclassified": self.unclassified,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def accounted_sentences(result: ParsedMedborgarlofte) -> list[str]:
    """Every sentence the result holds, once per place it holds it."""
    pieces: list[str] = []
    if result.title:
        pieces.append(result.title)
    pieces += result.headings
    for texts in (
        result.period_text,
        result.purpose,
        result.situation,
        result.outcome,
        result.follow_up_text,
    ):
        pieces += texts
    pieces += [area.text for area in result.focus_areas]
    pieces += [promise.source or promise.text for promise in result.promises]
    pieces += result.unclassified
    return [sentence for piece in pieces for sentence in split_sentences(piece)]


# --- Parties, targets, periods, cadences ---------------------------------------------------


def find_parties(text: str) -> list[str]:
    """Canonical parties named in a piece of text, in the order they appear."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for party, pattern in _PARTY_RES.items():
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found.append((match.start(), party))
    ordered: list[str] = []
    for _position, party in sorted(found):
        if party not in ordered:
            ordered.append(party)
    return ordered


def _party_tag(text: str) -> tuple[str, list[str]]:
    """A trailing "(Polisen)" or "(Polisen och kommunen)": the tag, and its parties."""
    match = _PARTY_TAG.search(text)
    if not match:
        return "", []
    inside = match.group("inside")
    parties = find_parties(inside)
    # Only a tag that is nothing but party names; "(se bilaga)" stays in the text.
    leftover = inside
    for pattern in _PARTY_RES.values():
        leftover = pattern.sub("", leftover)
    leftover = re.sub(
        r"\b(?:och|samt|i samverkan med|tillsammans med|ansvarig[a]?)\b|[,/&:+]",
        "",
        leftover,
        flags=re.I,
    )
    if not parties or leftover.strip():
        return "", []
    return match.group(0).strip(), parties


def promise_parties(text: str) -> tuple[list[str], list[str], bool]:
    """Who promises (the subject), who they work with, and whether residents take part."""
    first = split_sentences(text)[0] if text.strip() else ""
    verb = _PROMISE_VERB.search(first)
    subject = first[: verb.start()] if verb else ""
    after = first[verb.end() :] if verb else first
    parties: list[str] = []
    with_residents = False
    if subject and not _TOGETHER_START.match(subject.strip()):
        parties = find_parties(subject)
        with_residents = bool(_RESIDENTS.search(subject))
    if not parties and (
        _TOGETHER_START.match(first.strip()) or (subject and _TOGETHER_START.match(subject.strip()))
    ):
        parties = list(SIGNATORIES)
    if verb and (co_subject := _CO_SUBJECT.match(after)):
        for party in find_parties(co_subject.group(1)):
            if party not in parties:
                parties.append(party)
        after = after[co_subject.end() :]
    partners: list[str] = []
    for match in _PARTNER.finditer(after if verb else ""):
        for party in find_parties(match.group(1)[:60]):
            if party not in parties and party not in partners:
                partners.append(party)
        if _RESIDENTS.search(match.group(1)[:40]):
            with_residents = True
    return parties, partners, with_residents


def _to_number(word: str) -> Decimal:
    word = word.lower().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return Decimal(NUMBER_WORDS[word]) if word in NUMBER_WORDS else Decimal(word)


def _cadence_of(text: str) -> tuple[str, re.Match[str] | None]:
    earliest: tuple[int, str, re.Match[str]] | None = None
    for cadence, pattern in _CADENCE_RES:
        match = pattern.search(text)
        if match and (earliest is None or match.start() < earliest[0]):
            earliest = (match.start(), cadence, match)
    return (earliest[1], earliest[2]) if earliest else ("", None)


_COMPARISONS = {
    "minst": "at_least",
    "fler än": "at_least",
    "högst": "at_most",
    "max": "at_most",
    "maximalt": "at_most",
    "färre än": "at_most",
    "mindre än": "at_most",
    "upp till": "at_most",
    "totalt": "exactly",
    "sammanlagt": "exactly",
}
_UNIT_STOP = re.compile(
    r"\s+(?:i|på|vid|för|med|under|inom|som|och|där|mot|kring|hos|till|per|varje|om|av|från|"
    r"genom|efter|samt)\b.*$",
    re.I,
)


def _unit(rest: str) -> str:
    unit = _UNIT_STOP.sub("", rest.strip())
    if unit.startswith("%") or unit.lower().startswith("procent"):
        # "minst 70 % ska känna sig trygga": the share's unit, not what it is a share of.
        return unit.split()[0]
    return " ".join(unit.split()[:4]).strip(" ,:")


def find_targets(text: str) -> list[Target]:
    """Measurable targets: "minst 20 fotpatruller årligen", "inom 24 timmar", "varje vecka"."""
    targets: list[Target] = []
    covered: list[tuple[int, int]] = []

    def add(span: tuple[int, int], target: Target) -> None:
        covered.append(span)
        targets.append(target)

    for match in _TARGET.finditer(text):
        rest = match.group("rest")
        cadence, cadence_match = _cadence_of(rest)
        end = match.start("rest") + (cadence_match.end() if cadence_match else len(_unit(rest)))
        unit_text = rest[: cadence_match.start()] if cadence_match else rest
        add(
            (match.start(), end),
            Target(
                text=text[match.start() : end].strip(),
                quantity=_to_number(match.group("number")),
                unit=_unit(unit_text),
                cadence=cadence or "period",
                comparison=_COMPARISONS[match.group("comparison").lower()],
            ),
        )
    for match in _CADENCED_COUNT.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        if (
            len(match.group("rest").split()) > 5
            or match.group("number").lower() in {"en", "ett"}
            and (not match.group("rest").strip())
        ):
            continue
        cadence, _cadence_match = _cadence_of(match.group("cadence"))
        add(
            match.span(),
            Target(
                text=match.group(0).strip(),
                quantity=_to_number(match.group("number")),
                unit=_unit(match.group("rest")) or "gånger",
                cadence=cadence,
                comparison="exactly",
            ),
        )
    for match in _WITHIN.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        add(
            match.span(),
            Target(
                text=match.group(0).strip(),
                quantity=_to_number(match.group("number")),
                unit=match.group("unit").lower(),
                cadence="",
                comparison="within",
            ),
        )
    for match in _BARE_CADENCE.finditer(text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        cadence, _cadence_match = _cadence_of(match.group(0))
        add(
            match.span(),
            Target(
                text=match.group(0),
                quantity=Decimal(1),
                unit="gång",
                cadence=cadence,
                comparison="at_least",
            ),
        )
    targets.sort(key=lambda target: text.find(target.text))
    for target in targets:
        target.aggregation = proposed_aggregation(target)
    return targets


# A share or a percentage is a level, not a count that adds up.
_LEVEL = re.compile(r"%|(?<![\wåäö])(?:procent|andel)", re.I)


def proposed_aggregation(target: Target) -> str:
    """ "latest" for a level ("minst 70 % känner sig trygga", "andelen …"), else "sum"
    ("minst 20 fotpatruller årligen")."""
    return "latest" if _LEVEL.search(target.text) or _LEVEL.search(target.unit) else "sum"


def follow_up_cadence(text: str) -> str:
    for cadence, pattern in FOLLOW_UP_CADENCES:
        if pattern.search(text):
            return cadence
    return ""


def council_name(text: str) -> str:
    match = _COUNCIL.search(text)
    return match.group("council").strip() if match else ""


def _last_day_of_month(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _period_name(starts_on: date, ends_on: date | None) -> str:
    if ends_on is None:
        return f"{starts_on.year}–"
    if starts_on.year == ends_on.year:
        return str(starts_on.year)
    return f"{starts_on.year}–{ends_on.year}"


def find_period(text: str) -> ParsedPeriod | None:
    """The period a text names: years, a date range, a start and "tillsvidare"."""
    open_ended = bool(_OPEN_ENDED.search(text))
    revisable = bool(_REVISABLE.search(text))
    starts_on = ends_on = None
    if match := _DATE_RANGE_WORDS.search(text):
        d1, m1, y1, d2, m2, y2 = match.groups()
        starts_on = _safe_date(int(y1), MONTHS[m1.lower()], int(d1))
        ends_on = _safe_date(int(y2), MONTHS[m2.lower()], int(d2))
    elif match := _DATE_RANGE_ISO.search(text):
        y1, m1, d1, y2, m2, d2 = (int(part) for part in match.groups())
        starts_on, ends_on = _safe_date(y1, m1, d1), _safe_date(y2, m2, d2)
    elif match := _MONTH_RANGE.search(text):
        m1, y1, m2, y2 = match.groups()
        starts_on = date(int(y1), MONTHS[m1.lower()], 1)
        ends_on = _last_day_of_month(int(y2), MONTHS[m2.lower()])
    elif match := _YEAR_RANGE.search(text):
        y1, y2 = int(match.group(1)), int(match.group(2))
        if y1 <= y2 <= y1 + 10:
            starts_on, ends_on = date(y1, 1, 1), date(y2, 12, 31)
    elif match := _START_WORDS.search(text):
        day, month, year = match.groups()
        starts_on = _safe_date(int(year), MONTHS[month.lower()], int(day))
    elif match := _START_ISO.search(text):
        starts_on = _safe_date(*(int(part) for part in match.groups()))
    elif (match := _SINGLE_YEAR.search(text)) and not open_ended:
        year = int(match.group(1))
        starts_on, ends_on = date(year, 1, 1), date(year, 12, 31)
    if starts_on is None or (ends_on is not None and ends_on < starts_on):
        if not open_ended:
            return None
        starts_on = ends_on = None
    if open_ended:
        ends_on = None
    name = _period_name(starts_on, ends_on) if starts_on else ""
    return ParsedPeriod(
        name=name, starts_on=starts_on, ends_on=ends_on, open_ended=open_ended, revisable=revisable
    )


def promise_title(text: str) -> str:
    """A short title: the first sentence without its "Polisen ska"-style opening."""
    first = split_sentences(text)[0] if text.strip() else ""
    verb = _PROMISE_VERB.search(first)
    if verb and verb.start() < 80:
        rest = first[verb.end() :].strip()
        rest = re.sub(r"^(?:att|tillsammans|gemensamt|vi)\s+", "", rest, flags=re.I)
        rest = re.sub(r"^(?:att)\s+", "", rest, flags=re.I)
        if rest:
            first = rest
    first = first.rstrip(" .!?:;")
    if len(first) > 80:
        first = first[:80].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return first[:1].upper() + first[1:]


def promise_place(text: str) -> str:
    match = _PLACE.search(text)
    return match.group("place") if match else ""


# --- Reading the structure ------------------------------------------------------------------


@dataclass
class _Block:
    text: str
    bullet: bool


def _blocks(text: str) -> list[_Block]:
    blocks = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped, bullet = strip_bullet(line)
        if stripped:
            blocks.append(_Block(stripped, bullet))
    return blocks


def _heading_kind(block: _Block) -> str | None:
    if block.bullet or len(block.text) > 80:
        return None
    bare = block.text.strip().rstrip(":!").strip()
    for kind, pattern in _HEADINGS:
        if pattern.match(bare):
            return kind
    return None


def _actor_heading(block: _Block) -> list[str] | None:
    """Parties of a heading like "Polisen lovar att:" or "Tillsammans ska vi:"."""
    if block.bullet or not block.text.rstrip().endswith(":") or len(block.text) > 80:
        return None
    match = _ACTOR_HEADING.match(block.text.rstrip().rstrip(":").strip())
    if not match:
        return None
    actor = match.group("actor")
    parties = find_parties(actor)
    if not parties and _TOGETHER_START.match(actor.strip()):
        parties = list(SIGNATORIES)
    if parties and re.search(r"\b(?:tillsammans|gemensamt)\b", block.text, re.I):
        for party in SIGNATORIES:
            if party not in parties:
                parties.append(party)
    return parties or None


def _is_short_label(block: _Block) -> bool:
    text = block.text.strip()
    return (
        not block.bullet
        and len(text.split()) <= 8
        and not re.search(r"[.!?;]$", text)
        and not _PROMISE_VERB.search(text)
    )


def _reads_like_promise(text: str) -> bool:
    first = split_sentences(text)[0]
    if _party_tag(text)[1]:
        return True
    verb = _PROMISE_VERB.search(first)
    if not verb or verb.start() > 80:
        return False
    subject = first[: verb.start()].strip()
    return bool(find_parties(subject)) or bool(_TOGETHER_START.match(subject or first))


class _Reader:
    def __init__(self, text: str) -> None:
        self.blocks = _blocks(text)
        self.result = ParsedMedborgarlofte()
        self.section: str | None = None
        self.actor_parties: list[str] | None = None
        self.focus_area: str | None = None
        self.section_has_bullets = False

    def read(self) -> ParsedMedborgarlofte:
        blocks = self.blocks
        start = 0
        if blocks and self._is_title(blocks[0]):
            self.result.title = blocks[0].text
            start = 1
        for index in range(start, len(blocks)):
            self._read_block(index)
        self.result.period = self._period()
        return self.result

    def _is_title(self, block: _Block) -> bool:
        return (
            not block.bullet
            and _heading_kind(block) is None
            and _actor_heading(block) is None
            and len(block.text.split()) <= 12
            and not re.search(r"[.:;]$", block.text)
            and (
                bool(re.search(r"medborgarlöft|trygghetslöft|löften", block.text, re.I))
                or len(self.blocks) > 1
                and (self.blocks[1].bullet is False)
                and not _reads_like_promise(block.text)
                and len(block.text.split()) <= 6
            )
        )

    def _open(self, section: str | None, index: int) -> None:
        self.section = section
        self.focus_area = None
        following = []
        for block in self.blocks[index + 1 :]:
            if _heading_kind(block) or _actor_heading(block):
                break
            following.append(block)
        self.section_has_bullets = any(block.bullet for block in following)

    def _next_is_bullet(self, index: int) -> bool:
        return index + 1 < len(self.blocks) and self.blocks[index + 1].bullet

    def _read_block(self, index: int) -> None:
        block = self.blocks[index]
        kind = _heading_kind(block)
        if kind:
            self.result.headings.append(block.text)
            self.actor_parties = None
            self._open(kind, index)
            return
        parties = _actor_heading(block)
        if parties:
            self.result.headings.append(block.text)
            self.actor_parties = parties
            self._open(PROMISES, index)
            return
        label = _FOCUS_LABEL.match(block.text) if not block.bullet else None
        if label:
            self._add_focus_area(label.group("name"), block.text)
            if self.section not in {PROMISES}:
                self.section = PROMISES
                self.section_has_bullets = self._next_is_bullet(index)
            return
        if self._is_party_note(block):
            return
        if self.section in {SITUATION, FOCUS} and (
            block.bullet or self.section == FOCUS and _is_short_label(block)
        ):
            self._add_focus_area(block.text.rstrip(" .;"), block.text, link=False)
            return
        if self.section == PROMISES:
            self._read_promise_block(index)
            return
        framing = {
            OUTCOME: self.result.outcome,
            FOLLOW_UP: self.result.follow_up_text,
            PURPOSE: self.result.purpose,
            PERIOD: self.result.period_text,
        }
        if self.section in framing:
            for sentence in split_sentences(block.text):
                # "Arbetet följs upp …" often closes the result section without a heading.
                if self.section != FOLLOW_UP and _FOLLOW_UP.search(sentence):
                    self.result.follow_up_text.append(sentence)
                else:
                    framing[self.section].append(sentence)
            return
        if self.section is None and _is_short_label(block) and self._promises_follow(index):
            # A focus area heading in a text without other headings.
            self._add_focus_area(block.text.rstrip(" :"), block.text)
            return
        if (
            block.bullet
            and _reads_like_promise(block.text)
            or (
                not block.bullet
                and _reads_like_promise(block.text)
                and not self._framing(block.text)
            )
        ):
            self._add_promise(block.text)
            return
        if block.bullet and self.section is None and _is_short_label(_Block(block.text, False)):
            self._add_focus_area(block.text.rstrip(" .;"), block.text, link=False)
            return
        self._classify_sentences(
            block.text, default=SITUATION if self.section == SITUATION else None
        )

    def _promises_follow(self, index: int) -> bool:
        following = self.blocks[index + 1 : index + 2]
        return bool(following) and _reads_like_promise(following[0].text)

    def _framing(self, text: str) -> bool:
        first = split_sentences(text)[0]
        return bool(
            _FOLLOW_UP.search(first) or _PURPOSE.search(first) or _PERIOD_STATEMENT.search(first)
        )

    def _read_promise_block(self, index: int) -> None:
        block = self.blocks[index]
        if block.bullet:
            self._add_promise(block.text)
            return
        if _is_short_label(block) and self._next_is_bullet(index):
            self._add_focus_area(block.text.rstrip(" :"), block.text)
            return
        if self.section_has_bullets or self._framing(block.text):
            self._classify_sentences(block.text, default=None)
            return
        self._add_promise(block.text)

    def _is_party_note(self, block: _Block) -> bool:
        """A line that is only "(Polisen och kommunen)" belongs to the promise above it."""
        tag, parties = _party_tag(block.text)
        if not parties or tag != block.text.strip() or not self.result.promises:
            return False
        promise = self.result.promises[-1]
        if promise.party_note:
            return False
        promise.party_note = tag
        promise.parties = parties
        promise.source = f"{promise.source}\n{block.text}"
        return True

    def _add_focus_area(self, name: str, text: str, link: bool = True) -> None:
        self.result.focus_areas.append(ParsedFocusArea(name=name.strip(), text=text))
        self.focus_area = name.strip() if link else None

    def _add_promise(self, text: str) -> None:
        tag, tag_parties = _party_tag(text)
        body = text[: len(text) - len(_PARTY_TAG.search(text).group(0))].rstrip() if tag else text
        if tag and not body:
            body, tag, tag_parties = text, "", []
        parties, partners, with_residents = promise_parties(body)
        if tag_parties:
            parties = tag_parties
        elif not parties and self.actor_parties:
            parties = list(self.actor_parties)
        self.result.promises.append(
            ParsedPromise(
                text=body,
                parties=parties,
                partners=[partner for partner in partners if partner not in parties],
                with_residents=with_residents,
                focus_areas=[self.focus_area] if self.focus_area else [],
                targets=find_targets(body),
                place=promise_place(body),
                party_note=tag,
                source=text,
            )
        )

    def _classify_sentences(self, text: str, default: str | None) -> None:
        for sentence in split_sentences(text):
            if _FOLLOW_UP.search(sentence):
                self.result.follow_up_text.append(sentence)
            elif _PURPOSE.search(sentence):
                self.result.purpose.append(sentence)
            elif _PERIOD_STATEMENT.search(sentence):
                self.result.period_text.append(sentence)
            elif _OUTCOME.search(sentence):
                self.result.outcome.append(sentence)
            elif default == SITUATION or (
                not self.result.promises and self.section is None and _SITUATION.search(sentence)
            ):
                self.result.situation.append(sentence)
            else:
                self.result.unclassified.append(sentence)

    def _period(self) -> ParsedPeriod | None:
        r = self.result
        sources = [
            _join(r.period_text),
            r.title,
            " ".join(r.headings),
            _join(r.purpose),
            _join(r.situation),
            _join(r.follow_up_text),
            _join(r.unclassified),
        ]
        found = None
        for source in sources:
            if source and (found := find_period(source)) is not None:
                break
        if found is None:
            return None
        # "tillsvidare" or "revideras" may sit in another sentence than the dates.
        if not found.open_ended and _OPEN_ENDED.search(_join(r.period_text)):
            found.open_ended, found.ends_on = True, None
            found.name = _period_name(found.starts_on, None) if found.starts_on else ""
        found.revisable = found.revisable or bool(_REVISABLE.search(_join(r.period_text)))
        return found


# --- Word documents ---------------------------------------------------------------------

_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A pasted web page is a few kilobytes; this leaves room and refuses zip bombs.
MAX_DOCUMENT_XML_BYTES = 20 * 1024 * 1024


class UnreadableDocument(ValueError):
    pass


def text_from_docx(data: bytes) -> str:
    """The plain text of a .docx file: one line per paragraph, list items as bullets.

    Read with the standard library: the text is all the import needs. Python's
    expat (2.4.1 and later) refuses entity expansion bombs and never fetches
    external entities.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_DOCUMENT_XML_BYTES:
                raise UnreadableDocument("document.xml is too large")
            document = archive.read(info)
    except UnreadableDocument:
        raise
    except Exception as error:  # a damaged, encrypted or oddly compressed archive
        raise UnreadableDocument(str(error)) from error
    # One pass over the XML: each paragraph keeps its own text, also when text boxes nest
    # paragraphs inside it, so the cost grows with the size of the file, not its depth.
    lines = []
    open_paragraphs: list[tuple[list[str], list[bool]]] = []
    try:
        for event, node in ElementTree.iterparse(io.BytesIO(document), events=("start", "end")):  # noqa: S314 (see docstring)
            if event == "start":
                if node.tag == f"{_WORD}p":
                    open_paragraphs.append(([], [False]))
                continue
            if not open_paragraphs:
                continue
            parts, numbered = open_paragraphs[-1]
            if node.tag == f"{_WORD}t":
                parts.append(node.text or "")
            elif node.tag == f"{_WORD}tab":
                parts.append("\t")
            elif node.tag in {f"{_WORD}br", f"{_WORD}cr"}:
                parts.append("\n")
            elif node.tag == f"{_WORD}numPr":
                numbered[0] = True
            elif node.tag == f"{_WORD}p":
                open_paragraphs.pop()
                text = "".join(parts)
                if numbered[0] and text.strip():
                    text = f"• {text}"
                lines.append(text)
            node.clear()
    except ElementTree.ParseError as error:
        raise UnreadableDocument(str(error)) from error
    return "\n".join(lines)


def parse(text: str) -> ParsedMedborgarlofte:
    """Read a published medborgarlöfte; see the module's docstring."""
    return _Reader(text).read()
