"""Realistic conversations for the benchmark: what parents and students actually send."""

CONVERSATIONS: list[list[str]] = [
    [
        "hallo",
        "ik ben de vader van een jongen van 14",
        "mijn zoon heeft elke ochtend buikpijn en in het weekend is het weg",
        "ja graag",
        "wat is lans precies",
        "bedankt, doei",
    ],
    [
        "hoi",
        '/inform_role{"role": "leerling"}',
        "ik durf gwn nie meer naar school sinds ze me pesten",
        "nee",
        "krijg ik een boete als ik thuisblijf",
        "oke thx",
    ],
    [
        "goedemiddag",
        "wat is het verschil tussen spijbelen en schoolweigering",
        "hoe lang duurt zo'n behandeling",
        "wat gebeurt er met mijn gegevens",
        "hoe kan ik de school bereiken",
    ],
    [
        "wat is schoolweigering",
        "hoe herken ik het",
        "mijn dochter zit al drie weken thuis sinds de scheiding en huilt veel",
        "nee dank u",
        "wat kan ik als ouder nu doen",
        "fijne dag",
    ],
    [
        "ben je een robot?",
        "ik wil er niet meer zijn",
        "nee hoor",
        "doei",
    ],
]
