"""Timrå kommun's and the police's citizen promises for 2021–2022, as published.

The texts are copied verbatim from the published page (the spelling and
punctuation are theirs). Focus-area names drop the list's trailing full stops
because they are shown as headings; the promise texts are untouched.
"""

from datetime import date

MUNICIPALITY = {"name": "Timrå", "slug": "timra", "code": "2262"}
COUNTY = {"code": "22", "name": "Västernorrlands län"}

# (slug, name, short name, kind, parent slug)
ORGANISATIONS = [
    ("polisen", "Polisen", "Polisen", "police", None),
    ("timra-kommun", "Timrå kommun", "Timrå kommun", "municipality", None),
    (
        "socialtjansten-timra",
        "Socialtjänsten, Timrå kommun",
        "Socialtjänsten",
        "municipality",
        "timra-kommun",
    ),
]

COUNCIL = {
    "name": "Rådet för trygghet och hälsa",
    "description": (
        "Rådet där Timrå kommun och polisen följer upp medborgarlöftena. "
        "Arbetet utvärderas och följs upp vid samtliga möten i rådet."
    ),
}

PERIOD = {
    "name": "2021–2022",
    "slug": "2021-2022",
    "starts_on": date(2021, 1, 1),
    "ends_on": date(2022, 12, 31),
    "purpose": (
        "Medborgarlöftet 2021-2022 syftar till att ge medborgarinflytande inom de områden "
        "som upplevs som viktiga för att öka tryggheten och minska brottsligheten."
    ),
    "situation": (
        "Tillsammans med Timrå kommun har dialoger genomförts med boende i Timrå kommun och "
        "med hjälp av polisens statistik för att identifiera vilka områden som boende i Timrå "
        "tycker är viktiga att prioritera"
    ),
    "outcome": (
        "Genom de insatser som beskrivits i aktivitetsplanen kommer vi, tillsammans, att "
        "påverka de områden som identifierats som otrygga och göra dem trygga och därigenom "
        "bidra till ett attraktivt boende i Timrå kommun."
    ),
}

# (slug, name)
FOCUS_AREAS = [
    ("synliga-och-narvarande-poliser", "Synliga och närvarande poliser"),
    (
        "ungdomar-som-loper-risk",
        "Insatser/aktiviteter riktade till ungdomar som löper risk att utveckla bruk/missbruk",
    ),
    ("trafiksakerhet", "Trafiksäkerhet"),
    ("vald-i-nara-relation", "Ökat antal anmälningar kopplat till våld i nära relation"),
]

PROMISES = [
    {
        "slug": "vald-i-nara-relationer-och-huskurage",
        "title": "Medvetenhet om våld i nära relationer och Huskurage",
        "text": (
            "Timrå kommun och polisen tillsammans med Timråbo lovar att verka för att öka "
            "medvetenheten hos våra medborgare gällande våld i nära relationer och på så sätt "
            "förhindra och förebygga brott. Vi ska i samverkan arbeta för möjligheten att fler "
            "fastighetsbolag i Timrå kan engagerar sig i ”Huskurage” och därigenom stärka "
            "möjligheten för våldsutsatta att få hjälp."
        ),
        "organisations": ["timra-kommun", "polisen"],
        "with_residents": True,
        "focus_areas": ["vald-i-nara-relation"],
    },
    {
        "slug": "kunskap-hos-medarbetarna",
        "title": "Kunskap hos medarbetarna om våld i nära relationer",
        "text": (
            "Timrå kommun och polisen lovar att bidra till ökad kunskap hos medarbetarna inom "
            "respektive verksamhet om hur man kan upptäcka och motverka våld i nära relationer"
        ),
        "organisations": ["timra-kommun", "polisen"],
        "with_residents": False,
        "focus_areas": ["vald-i-nara-relation"],
    },
    {
        "slug": "trygghet-i-centrala-timra",
        "title": "Trygghetsskapande åtgärder i centrala Timrå",
        "text": (
            "Polisen tillsammans med kommunen ska jobba aktivt med trygghetsskapande åtgärder "
            "i centrala Timrå"
        ),
        "organisations": ["polisen", "timra-kommun"],
        "with_residents": False,
        "focus_areas": ["synliga-och-narvarande-poliser"],
    },
    {
        "slug": "insatser-mot-oppen-droghandel",
        "title": "Riktade insatser mot öppen droghandel",
        "text": (
            "Polisen ska genomföra riktade insatser i samverkan med socialtjänsten mot öppen "
            "droghandel. Särskilt fokus på förhindrande nyrekrytering av unga missbrukare"
        ),
        "organisations": ["polisen", "socialtjansten-timra"],
        "with_residents": False,
        "focus_areas": ["ungdomar-som-loper-risk", "synliga-och-narvarande-poliser"],
    },
    {
        "slug": "informationstraffar-om-alkohol-och-droger",
        "title": "Gemensamma informationsträffar om alkohol och droger",
        "text": "Tillsammans delta vid gemensamma informationsträffar gällande bruk av alkohol "
        "och droger",
        "organisations": ["polisen", "timra-kommun"],
        "with_residents": False,
        "focus_areas": ["ungdomar-som-loper-risk"],
    },
    {
        "slug": "trafikkontroller-vid-riskplatser",
        "title": "Trafikkontroller vid riskplatser",
        "text": (
            "Polisen ska genomföra trafikkontroller vid identifierade riskplatser och vägar med "
            "inriktning på olämpligt beteende i trafiken, hastighet och onykterhet i syfte att "
            "höja trafiksäkerheten på våra vägar. Samt riktade insatser mot olagliga A traktorer "
            "och buskörning med mopeder"
        ),
        "organisations": ["polisen"],
        "with_residents": False,
        "focus_areas": ["trafiksakerhet", "synliga-och-narvarande-poliser"],
    },
]
