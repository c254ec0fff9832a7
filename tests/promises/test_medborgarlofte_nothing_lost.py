"""Nothing is lost: every sentence of an imported text ends up in exactly one place.

Hypothesis writes texts from the pieces published medborgarlöften are made of —
headings of polisen.se's template, headings by actor, focus-area labels, bullet
and numbered lists, promises with parties in the wording or in parentheses,
targets with cadences, periods, follow-up statements — mixed with arbitrary
lines of text. Whatever the parser makes of them, each input sentence must come
out once, in a field or in ``unclassified``, and not a word more or less.
"""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promises.medborgarlofte_import import (
    accounted_sentences,
    parse,
    split_sentences,
    strip_bullet,
)

HEADINGS = [
    "Situationen idag",
    "Det här ska vi göra",
    "Det här ska vi åstadkomma tillsammans",
    "Följ med i hur det går!",
    "Prioriterade områden",
    "Bakgrund",
    "Uppföljning",
    "Syfte",
    "Period",
    "Polisen lovar att:",
    "Kommunen lovar att:",
    "Tillsammans ska vi:",
    "Räddningstjänsten lovar att:",
    "Fokusområde 1: Trafiksäkerhet",
    "Trygg utemiljö",
]
SUBJECTS = [
    "Polisen",
    "Kommunen",
    "Exempelby kommun och polisen",
    "Polisen tillsammans med kommunen",
    "Vi",
    "Tillsammans",
    "Räddningstjänsten",
    "Kustbevakningen och polisen",
    "Fastighetsägarföreningen",
    "Trygghetsvandringar",
    "",
]
VERBS = ["ska", "lovar att", "kommer att", "åtar sig att", ""]
ACTIONS = [
    "genomföra trafikkontroller vid skolorna",
    "arbeta för tryggare gator i centrala Exempelby",
    "patrullera vid resecentrum",
    "i samverkan med socialtjänsten möta unga",
    "bjuda in till dialog",
]
TARGETS = [
    "",
    " minst 20 fotpatruller årligen",
    " minst en trafikkontroll varje dygn",
    " varje vecka",
    " minst 50 hembesök per år",
    " inom 24 timmar",
    " två gånger per år",
]
TAGS = ["", " (Polisen)", " (Polisen och kommunen)", " (Kommunen)", " (se bilaga)"]
FRAMING = [
    "Medborgarlöftet 2024-2025 syftar till att öka tryggheten.",
    "Löftena gäller 1 mars 2024 – 28 februari 2026.",
    "Medborgarlöftet gäller från den 1 maj 2024 och tillsvidare.",
    "Löftet gäller till dess att nytt löfte undertecknats.",
    "Arbetet följs upp vid samtliga möten i rådet för trygghet.",
    "Löftena följs upp var fjärde månad.",
    "Målet är färre inbrott.",
    "I trygghetsmätningen upplevde många oro i centrum.",
    "Löftet revideras årligen.",
    "Synliga poliser",
]
BULLETS = ["", "• ", "- ", "1. ", "* "]


@st.composite
def promise_sentences(draw) -> str:
    subject = draw(st.sampled_from(SUBJECTS))
    verb = draw(st.sampled_from(VERBS))
    words = [subject, verb, draw(st.sampled_from(ACTIONS))]
    sentence = " ".join(word for word in words if word) + draw(st.sampled_from(TARGETS))
    sentence = sentence[:1].upper() + sentence[1:]
    return sentence + draw(st.sampled_from([".", "", "!"])) + draw(st.sampled_from(TAGS))


# Arbitrary lines: letters, digits, the punctuation that splits sentences, brackets
# and the characters that start list items.
free_lines = st.text(
    alphabet=st.sampled_from(list("abcåäöXYZÅÄÖ 0123456789.,:;!?()-–•*\t")),
    max_size=60,
)
lines = st.one_of(
    st.sampled_from(HEADINGS),
    st.sampled_from(FRAMING),
    promise_sentences(),
    st.lists(promise_sentences(), min_size=2, max_size=3).map(" ".join),
    free_lines,
)


@st.composite
def documents(draw) -> str:
    body = []
    for line in draw(st.lists(lines, max_size=25)):
        body.append(draw(st.sampled_from(BULLETS)) + line)
        if draw(st.booleans()):
            body.append("")
    title = draw(st.sampled_from(["", "Medborgarlöften Exempelby 2024-2025", "Exempelby"]))
    return "\n".join([title, *body])


def input_sentences(text: str) -> list[str]:
    return [
        sentence
        for line in text.splitlines()
        for sentence in split_sentences(strip_bullet(line)[0])
    ]


def words(sentences: list[str]) -> Counter:
    return Counter(word for sentence in sentences for word in sentence.split())


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(documents())
def test_every_sentence_of_the_input_ends_up_in_exactly_one_place(text):
    result = parse(text)

    placed = accounted_sentences(result)

    assert Counter(placed) == Counter(input_sentences(text))
    assert words(placed) == words(input_sentences(text))
    for promise in result.promises:
        # The text and the party note are the written lines, split and nothing else.
        assert promise.text in promise.source
        assert promise.party_note in promise.source
        assert words([promise.text, promise.party_note]) == words([promise.source])


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_any_text_at_all_is_read_without_error_and_without_loss(text):
    result = parse(text)

    assert Counter(accounted_sentences(result)) == Counter(input_sentences(text))
    result.as_dict()
