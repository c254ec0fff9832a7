"""The dialogue behind Timrå's 2021–2022 promises, summarised in our own words.

Source: Polisen, "Medborgardialog i Timrå kommun" (news item, February 2021). The
figures are the police's; the wording is ours.
"""

import datetime

PERIOD = {"municipality": "timra", "slug": "2021-2022"}

DIALOGUES = [
    {
        "kind": "web_survey",
        "title": "Polisens webbenkät om tryggheten i Timrå",
        "starts_on": datetime.date(2020, 12, 1),
        "ends_on": datetime.date(2020, 12, 15),
        "method": (
            "En enkät med ett tiotal frågor på polisen.se, öppen för alla som bor eller "
            "vistas i Timrå kommun. Källa: polisens nyhet ”Medborgardialog i Timrå kommun”, "
            "februari 2021."
        ),
        "respondents": 124,
        "findings": (
            "124 personer svarade, 88 kvinnor och 36 män. Mer än hälften hade högt "
            "förtroende för polisen, och drygt hälften kände sig ganska eller mycket "
            "otrygga i centrala Timrå.\n\n"
            "Det som oroade mest var narkotika bland unga, höga hastigheter på större "
            "vägar och unga som kör vårdslöst med mopeder och A-traktorer."
        ),
        # No address: we cite the item by name rather than guess its URL.
        "source_url": "",
        "focus_areas": [
            "synliga-och-narvarande-poliser",
            "ungdomar-som-loper-risk",
            "trafiksakerhet",
        ],
    },
]
