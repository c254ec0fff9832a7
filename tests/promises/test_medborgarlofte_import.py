"""The medborgarlöfte parser on Timrå's published text and on texts we wrote ourselves.

The written texts (``medborgarlofte_texts/``) are invented: municipalities,
places and promises are made up, modelled on how published texts vary.
"""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from promises.data import timra_2021_2022 as timra
from promises.medborgarlofte_import import (
    ParsedMedborgarlofte,
    Target,
    find_period,
    find_targets,
    parse,
    promise_parties,
)

TEXTS = Path(__file__).resolve().parent / "medborgarlofte_texts"
TIMRA_SOURCE = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "timra-medborgarloften-2021-2022.txt"
)
P, K = "polisen", "kommunen"


def read(name: str) -> ParsedMedborgarlofte:
    return parse((TEXTS / name).read_text(encoding="utf-8"))


def focus_areas(result: ParsedMedborgarlofte) -> list[str]:
    return [area.name for area in result.focus_areas]


def promises(result: ParsedMedborgarlofte) -> list[tuple[str, list[str]]]:
    return [(promise.text, promise.parties) for promise in result.promises]


def targets(result: ParsedMedborgarlofte) -> list[list[tuple]]:
    return [
        [(t.text, t.quantity, t.unit, t.cadence, t.comparison) for t in promise.targets]
        for promise in result.promises
    ]


# --- Timrå -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def timra_text() -> str:
    if not TIMRA_SOURCE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The published source text is missing at {TIMRA_SOURCE}.")
        pytest.skip(f"The published source text is not at {TIMRA_SOURCE}.")
    return TIMRA_SOURCE.read_text(encoding="utf-8")


def test_timras_text_gives_its_four_focus_areas_and_six_promises_verbatim(timra_text):
    result = parse(timra_text)

    assert focus_areas(result) == [name for _slug, name in timra.FOCUS_AREAS]
    assert [promise.text for promise in result.promises] == [p["text"] for p in timra.PROMISES]


def test_timras_promises_are_made_by_the_police_the_municipality_or_both(timra_text):
    result = parse(timra_text)

    assert [promise.parties for promise in result.promises] == [
        [K, P],  # Timrå kommun och polisen tillsammans med Timråbo lovar …
        [K, P],  # Timrå kommun och polisen lovar …
        [P, K],  # Polisen tillsammans med kommunen ska …
        [P],  # Polisen ska … i samverkan med socialtjänsten
        [P, K],  # Tillsammans delta …
        [P],  # Polisen ska genomföra trafikkontroller …
    ]
    assert [promise.partners for promise in result.promises][3] == ["socialtjänsten"]
    assert [promise.with_residents for promise in result.promises] == [
        p["with_residents"] for p in timra.PROMISES
    ]


def test_timras_period_framing_and_follow_up_are_found(timra_text):
    result = parse(timra_text)

    assert result.period is not None
    assert (result.period.name, result.period.starts_on, result.period.ends_on) == (
        "2021–2022",
        date(2021, 1, 1),
        date(2022, 12, 31),
    )
    assert " ".join(result.purpose) == timra.PERIOD["purpose"]
    assert " ".join(result.situation) == timra.PERIOD["situation"]
    assert " ".join(result.outcome) == timra.PERIOD["outcome"]
    assert result.follow_up is not None
    assert result.follow_up.cadence == "every_meeting"
    assert result.follow_up.council == "rådet för trygghet och hälsa"
    assert result.headings == [
        "Situationen idag",
        "Det här ska vi göra",
        "Det här ska vi åstadkomma tillsammans",
        "Följ med i hur det går!",
    ]
    # The sentence introducing the activity plan has no field of its own.
    assert len(result.unclassified) == 1
    assert result.unclassified[0].startswith("För att öka tryggheten i Timrå")


# --- Our own texts, one pattern each ---------------------------------------------------


def test_a_text_without_headings_reads_promises_from_their_wording():
    result = read("01_utan_rubriker.txt")

    assert focus_areas(result) == []
    assert promises(result) == [
        ("Polisen ska vara synlig vid busstationen fredagar och lördagar under kvällstid.", [P]),
        ("Ekby kommun ska förbättra belysningen i gångtunneln och i parken vid Storgatan.", [K]),
        (
            "Kommunen och polisen lovar att bjuda in föräldrar till nattvandringar under "
            "skolloven.",
            [K, P],
        ),
    ]
    assert result.purpose[0].startswith("Medborgarlöftet 2024-2025 syftar till")
    assert result.situation[0].startswith("I trygghetsmätningen hösten 2023")
    assert (result.period.starts_on, result.period.ends_on) == (
        date(2024, 1, 1),
        date(2025, 12, 31),
    )
    assert (result.follow_up.cadence, result.follow_up.council) == (
        "half_year",
        "det brottsförebyggande rådet",
    )
    assert result.unclassified == []


def test_headings_by_actor_give_the_promises_below_them_their_party():
    result = read("02_aktorsrubriker.txt")

    assert focus_areas(result) == []
    assert promises(result) == [
        ("genomföra minst 20 fotpatruller årligen i bostadsområdet Granhöjden.", [P]),
        ("göra riktade kontroller mot narkotikabrott vid skolornas närhet.", [P]),
        ("erbjuda fältarbetare på kvällstid varje vecka under terminerna.", [K]),
        ("sätta upp farthinder på de gator där boende rapporterat buskörning.", [K]),
        ("anordna en trygghetsvandring i varje stadsdel under perioden.", [P, K]),
    ]
    assert targets(result)[0] == [
        ("minst 20 fotpatruller årligen", 20, "fotpatruller", "year", "at_least")
    ]
    assert targets(result)[2] == [("varje vecka", 1, "gång", "week", "at_least")]
    assert result.promises[0].place == "bostadsområdet Granhöjden"
    assert result.situation[0].startswith("Under våren genomförde polisen")
    assert (result.follow_up.cadence, result.follow_up.council) == (
        "every_meeting",
        "trygghetsrådet",
    )
    assert result.unclassified == []


def test_parties_in_parentheses_are_read_and_kept_out_of_the_promise_text():
    result = read("03_parentes_parter.txt")

    assert focus_areas(result) == []
    assert promises(result) == [
        ("Informera om bedrägerier på träffpunkter för seniorer minst 10 gånger per år.", [P]),
        (
            "Utbilda personal inom hemtjänsten i hur man känner igen tecken på bedrägeriförsök.",
            [K],
        ),
        ("Genomföra gemensamma trygghetsvandringar i centrum varje kvartal.", [P, K]),
        ("Ta fram en folder om digitala bedrägerier på flera språk.", [P, K]),
    ]
    assert [promise.party_note for promise in result.promises] == [
        "(Polisen)",
        "(Kommunen)",
        "(Polisen och kommunen)",
        "(Polisen och kommunen)",  # on a line of its own
    ]
    assert targets(result)[0] == [("minst 10 gånger per år", 10, "gånger", "year", "at_least")]
    assert (result.period.starts_on, result.period.ends_on) == (
        date(2023, 3, 1),
        date(2025, 2, 28),
    )
    assert result.period_text == ["Löftena gäller 1 mars 2023 – 28 februari 2025."]
    assert result.follow_up.cadence == "quarter"


def test_other_parties_than_the_police_and_the_municipality_are_recognised():
    result = read("04_andra_parter.txt")

    assert focus_areas(result) == []
    assert [
        (promise.text[:40], promise.parties, promise.partners) for promise in result.promises
    ] == [
        ("Räddningstjänsten ska genomföra brandsky", ["räddningstjänsten"], []),
        ("Kustbevakningen och polisen ska genomför", ["kustbevakningen", P], []),
        ("Fastighetsägarföreningen lovar att samor", ["fastighetsägarföreningen"], []),
        ("Polisen ska i samverkan med fastighetsäg", [P], ["fastighetsägare"]),
        ("Hamnö kommun och räddningstjänsten lovar", [K, "räddningstjänsten"], ["föreningslivet"]),
    ]
    assert targets(result)[2] == [("inom 48 timmar", 48, "timmar", "", "within")]
    assert result.purpose == [
        "Syftet är att minska skadegörelse och bränder i hamnområdet och att öka tryggheten i "
        "skärgården."
    ]
    assert result.follow_up.council == "rådet för trygg och säker hamn"


def test_measurable_targets_come_with_quantity_unit_and_cadence():
    result = read("05_mal_med_kadens.txt")

    assert focus_areas(result) == []
    assert [promise.parties for promise in result.promises] == [[P], [P], [K], [K], [K]]
    assert targets(result) == [
        [("minst 20 fotpatruller årligen", 20, "fotpatruller", "year", "at_least")],
        [("minst en trafikkontroll varje dygn", 1, "trafikkontroll", "day", "at_least")],
        [("varje vecka", 1, "gång", "week", "at_least")],
        [("minst 50 hembesök hos familjer per år", 50, "hembesök", "year", "at_least")],
        [("inom 24 timmar", 24, "timmar", "", "within")],
    ]
    assert result.promises[0].place == "centrala Älvmora"
    assert (result.follow_up.cadence, result.follow_up.council) == ("year", "kommunstyrelsen")


def test_a_promise_for_one_place_keeps_the_place():
    result = read("06_en_plats.txt")

    assert focus_areas(result) == []
    assert promises(result) == [
        ("Polisen ska patrullera vid Lindås resecentrum varje fredag och lördag kväll.", [P]),
        ("Lindås kommun ska placera trygghetsvärdar vid resecentrum på helgerna.", [K]),
        (
            "Polisen och kommunen ska genomföra en trygghetsvandring med resenärer vid "
            "resecentrum under våren.",
            [P, K],
        ),
    ]
    assert [promise.place for promise in result.promises] == [
        "Lindås resecentrum",
        "resecentrum",
        "resecentrum",
    ]
    assert (result.period.name, result.period.starts_on, result.period.ends_on) == (
        "2025",
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert result.outcome[0].startswith("Målet är att andelen resenärer")
    assert result.follow_up.cadence == "end_of_period"
    assert result.situation == [
        "Många resenärer uppger att de känner sig otrygga vid resecentrum sena kvällar."
    ]


def test_an_open_ended_period_has_a_start_and_no_end():
    result = read("07_tillsvidare.txt")

    assert focus_areas(result) == ["Trygghet i skolmiljön", "Narkotika bland unga"]
    assert promises(result) == [
        (
            "Polisen ska besöka skolorna i Vretby regelbundet och vara tillgänglig för elever "
            "och personal.",
            [P],
        ),
        (
            "Vretby kommun ska erbjuda föräldrastöd till familjer där barn riskerar att dras in "
            "i kriminalitet.",
            [K],
        ),
        (
            "Vi ska tillsammans sprida kunskap om narkotikans skadeverkningar till föräldrar.",
            [P, K],
        ),
    ]
    period = result.period
    assert (period.starts_on, period.ends_on, period.open_ended) == (date(2024, 9, 1), None, True)
    assert (result.follow_up.cadence, result.follow_up.council) == (
        "tertial",
        "det lokala brottsförebyggande rådet",
    )


def test_a_period_until_a_new_promise_is_signed_is_open_ended_without_dates():
    result = read("08_till_nytt_lofte.txt")

    assert focus_areas(result) == ["Trafiksäkerhet", "Tryggare centrum"]
    assert [(p.text[:30], p.parties, p.focus_areas) for p in result.promises] == [
        ("Polisen ska genomföra hastighe", [P], ["Trafiksäkerhet"]),
        ("Kvarnholms kommun ska sänka ha", [K], ["Trafiksäkerhet"]),
        ("Kommunen ska röja buskage och ", [K], ["Tryggare centrum"]),
        ("Polisen ska tillsammans med ko", [P, K], ["Tryggare centrum"]),
    ]
    period = result.period
    assert (period.starts_on, period.ends_on, period.open_ended) == (None, None, True)
    assert result.follow_up.cadence == "month"


def test_a_date_range_and_a_revisable_period_under_their_own_heading():
    result = read("09_datumintervall_iso.txt")

    assert focus_areas(result) == ["Buskörning med moped", "Nedskräpning och skadegörelse"]
    assert [(p.text[:35], p.parties, p.with_residents) for p in result.promises] == [
        ("Polisen ska genomföra riktade kontr", [P], False),
        ("Västerfors kommun lovar att tömma p", [K], False),
        ("Polisen och Västerfors kommun lovar", [P, K], True),
    ]
    assert targets(result) == [
        [("varje vecka", 1, "gång", "week", "at_least")],
        [("inom 24 timmar", 24, "timmar", "", "within")],
        [("två trygghetsvandringar per år", 2, "trygghetsvandringar", "year", "exactly")],
    ]
    period = result.period
    assert (period.name, period.starts_on, period.ends_on, period.revisable) == (
        "2024–2026",
        date(2024, 7, 1),
        date(2026, 6, 30),
        True,
    )
    assert result.outcome == ["Vi vill att torget ska vara en plats där alla kan vistas utan oro."]
    assert result.follow_up.cadence == "tertial"


def test_focus_areas_as_headings_inside_the_promises_group_the_promises_below_them():
    result = read("10_omradesrubriker.txt")

    assert focus_areas(result) == ["Våld i nära relationer", "Ungdomar och droger"]
    assert [(p.text[:30], p.parties, p.partners, p.focus_areas) for p in result.promises] == [
        ("Storåsens kommun och polisen l", [K, P], [], ["Våld i nära relationer"]),
        ("Polisen ska i samverkan med so", [P], ["socialtjänsten"], ["Våld i nära relationer"]),
        ("Kommunen ska anställa ytterlig", [K], [], ["Ungdomar och droger"]),
        ("Polisen ska genomföra minst 12", [P], [], ["Ungdomar och droger"]),
    ]
    assert targets(result) == [
        [],
        [("inom ett dygn", 1, "dygn", "", "within")],
        [],
        [("minst 12 insatser per år", 12, "insatser", "year", "at_least")],
    ]
    assert (result.follow_up.cadence, result.follow_up.council) == (
        "quarter",
        "rådet för trygghet och folkhälsa",
    )


def test_a_numbered_list_and_a_period_by_months_that_may_be_revised():
    result = read("11_numrerad_lista.txt")

    assert focus_areas(result) == []
    assert promises(result) == [
        ("Polisen ska hålla öppet hus på polisstationen en gång i månaden.", [P]),
        ("Gransjö kommun ska starta en trygghetsgrupp i stadsdelen Norrmalm.", [K]),
        ("Kommunen och polisen ska gemensamt ta fram en lägesbild över otrygga platser.", [K, P]),
    ]
    assert targets(result)[0] == [("en gång i månaden", 1, "gång", "month", "exactly")]
    assert result.promises[1].place == "stadsdelen Norrmalm"
    period = result.period
    assert (period.starts_on, period.ends_on, period.revisable) == (
        date(2026, 1, 1),
        date(2027, 12, 31),
        True,
    )
    assert (result.follow_up.cadence, result.follow_up.council) == (
        "end_of_period",
        "kommunstyrelsen",
    )


def test_a_promise_naming_its_own_party_under_an_actor_heading_keeps_its_own():
    result = read("12_gemensam_rubrik_blandat.txt")

    assert focus_areas(result) == []
    assert promises(result) == [
        ("starta grannsamverkan i minst 8 nya områden under perioden.", [P, K]),
        ("genomföra en informationskampanj om inbrottsskydd varje höst.", [P, K]),
        ("genomföra hastighetskontroller vid skolorna minst två gånger i veckan.", [P]),
        (
            "Räddningstjänsten och polisen ska gemensamt informera om brandsäkerhet i "
            "villaområden.",
            ["räddningstjänsten", P],
        ),
    ]
    assert targets(result) == [
        [("minst 8 nya områden", 8, "nya områden", "period", "at_least")],
        [
            (
                "en informationskampanj om inbrottsskydd varje höst",
                1,
                "informationskampanj",
                "year",
                "exactly",
            )
        ],
        [("minst två gånger i veckan", 2, "gånger", "week", "at_least")],
        [],
    ]
    # The follow-up closes the result section without a heading of its own.
    assert result.outcome == ["Målet är färre inbrott och lugnare trafik vid skolorna."]
    assert result.follow_up.text == "Arbetet följs upp vid samtliga möten i kommunens trygghetsråd."


# --- The pieces ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Löftena gäller 2021–2022.", (date(2021, 1, 1), date(2022, 12, 31), False)),
        ("Perioden är 2023-03-01--2025-02-28.", (date(2023, 3, 1), date(2025, 2, 28), False)),
        ("Från den 1 maj 2024 och tills vidare.", (date(2024, 5, 1), None, True)),
        ("Gäller tills ett nytt löfte har tecknats.", (None, None, True)),
    ],
)
def test_find_period_reads_years_dates_and_open_ends(text, expected):
    period = find_period(text)

    assert (period.starts_on, period.ends_on, period.open_ended) == expected


def test_a_date_inside_a_date_range_is_not_read_as_a_year_range():
    assert find_period("Uppdaterad 2024-05-06.") is None


def test_a_target_at_most_is_lower_is_better():
    (target,) = find_targets("Högst 5 inbrott per månad i området.")

    assert target == Target("Högst 5 inbrott per månad", Decimal(5), "inbrott", "month", "at_most")
    assert target.direction == "lower"


@pytest.mark.parametrize(
    ("text", "aggregation"),
    [
        ("Polisen ska genomföra minst 20 fotpatruller årligen.", "sum"),
        ("Minst 8 nya grannsamverkansområden per år.", "sum"),
        ("Polisen ska genomföra minst en trafikkontroll varje dygn.", "sum"),
        ("Kommunen ska verka för att minst 70 % känner sig trygga varje år.", "latest"),
        ("Andelen som känner sig trygga ska vara minst 62 procent.", "latest"),
        ("Minst 60 procent av de boende ska delta i dialogerna.", "latest"),
    ],
)
def test_counts_add_up_per_step_and_shares_are_levels(text, aggregation):
    (target,) = find_targets(text)

    assert target.aggregation == aggregation


def test_a_share_is_measured_in_percent_whatever_follows():
    (target,) = find_targets("Minst 70 % ska känna sig trygga varje år.")

    assert (target.quantity, target.unit, target.cadence) == (Decimal(70), "%", "year")


def test_a_sentence_in_the_passive_names_no_party():
    assert promise_parties("Trygghetsvandringar ska genomföras i alla stadsdelar.") == (
        [],
        [],
        False,
    )


# The texts whose tests above check promises by a prefix or parties alone: every
# promise verbatim, with exactly its parties and partners, and nothing unplaced.
VERBATIM = {
    "04_andra_parter.txt": [
        (
            "Räddningstjänsten ska genomföra brandskyddskontroller i hamnens förråd och båthus.",
            ["räddningstjänsten"],
            [],
        ),
        (
            "Kustbevakningen och polisen ska genomföra gemensamma kontroller av sjöfylleri "
            "under sommarmånaderna.",
            ["kustbevakningen", P],
            [],
        ),
        (
            "Fastighetsägarföreningen lovar att samordna klottersanering så att klotter tas "
            "bort inom 48 timmar.",
            ["fastighetsägarföreningen"],
            [],
        ),
        (
            "Polisen ska i samverkan med fastighetsägare kartlägga otrygga platser i hamnområdet.",
            [P],
            ["fastighetsägare"],
        ),
        (
            "Hamnö kommun och räddningstjänsten lovar att tillsammans med föreningslivet "
            "arrangera en säkerhetsdag för båtägare varje år.",
            [K, "räddningstjänsten"],
            ["föreningslivet"],
        ),
    ],
    "05_mal_med_kadens.txt": [
        ("Polisen ska genomföra minst 20 fotpatruller årligen i centrala Älvmora.", [P], []),
        (
            "Polisen ska göra minst en trafikkontroll varje dygn på infartsvägarna under "
            "sommarlovet.",
            [P],
            [],
        ),
        ("Kommunen ska låta ungdomsgården hålla öppet fredagskvällar varje vecka.", [K], []),
        ("Kommunens fältassistenter ska göra minst 50 hembesök hos familjer per år.", [K], []),
        ("Kommunen ska åtgärda anmäld trasig gatubelysning inom 24 timmar.", [K], []),
    ],
    "08_till_nytt_lofte.txt": [
        ("Polisen ska genomföra hastighetskontroller vid skolor och förskolor.", [P], []),
        ("Kvarnholms kommun ska sänka hastigheten på gator nära skolor.", [K], []),
        ("Kommunen ska röja buskage och förbättra belysningen i centrumparken.", [K], []),
        (
            "Polisen ska tillsammans med kommunen genomföra riktade insatser mot langning av "
            "alkohol.",
            [P, K],
            [],
        ),
    ],
    "09_datumintervall_iso.txt": [
        (
            "Polisen ska genomföra riktade kontroller av mopeder på torget varje vecka under "
            "sommarhalvåret.",
            [P],
            [],
        ),
        (
            "Västerfors kommun lovar att tömma papperskorgar och sanera skadegörelse kring "
            "torget inom 24 timmar.",
            [K],
            [],
        ),
        (
            "Polisen och Västerfors kommun lovar att tillsammans med Västerforsborna genomföra "
            "två trygghetsvandringar per år.",
            [P, K],
            [],
        ),
    ],
    "10_omradesrubriker.txt": [
        (
            "Storåsens kommun och polisen lovar att utbilda personal inom skola och "
            "socialtjänst i att upptäcka våld i nära relationer.",
            [K, P],
            [],
        ),
        (
            "Polisen ska i samverkan med socialtjänsten kontakta våldsutsatta inom ett dygn "
            "efter en anmälan.",
            [P],
            ["socialtjänsten"],
        ),
        ("Kommunen ska anställa ytterligare två fältsekreterare.", [K], []),
        (
            "Polisen ska genomföra minst 12 insatser per år mot narkotikaförsäljning i centrum.",
            [P],
            [],
        ),
    ],
}


@pytest.mark.parametrize("name", list(VERBATIM))
def test_each_written_text_gives_its_promises_verbatim_with_their_parties(name):
    result = read(name)

    assert [(p.text, p.parties, p.partners) for p in result.promises] == VERBATIM[name]
    assert result.unclassified == []
