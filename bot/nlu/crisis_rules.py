"""Rule-based crisis language detection over spaCy tokens and lemmas.

Independent of the intent classifier on purpose: a crisis message must get the crisis answer
even when DIET is unsure. The rules favour recall for suicidal thoughts, self-harm, abuse or
violence at home and acute danger, and skip common Dutch hyperbole ("ik ga dood van
verveling", "ik schaam me dood", "ik kan hem wel vermoorden").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

SUICIDE, SELF_HARM, ABUSE, DANGER = "suicide", "self_harm", "abuse", "danger"

NOT = {"LEMMA": {"IN": ["niet", "geen"]}}
ANY = {"OP": "?"}
SELF = {"LOWER": {"IN": ["mezelf", "mijzelf", "zichzelf", "zelf", "haarzelf", "hemzelf"]}}
ME = {"LOWER": {"IN": ["me", "mij", *SELF["LOWER"]["IN"]]}}
HOME_PERSON = {
    "LEMMA": {
        "IN": [
            "vader",
            "moeder",
            "stiefvader",
            "stiefmoeder",
            "ouders",
            "ouder",
            "broer",
            "zus",
            "oom",
            "tante",
            "opa",
            "oma",
            "vriend",
            "ex",
            "man",
            "partner",
            "stiefpa",
            "stiefma",
        ]
    }
}
VIOLENT_VERBS = {
    "LEMMA": {
        "IN": [
            "slaan",
            "schoppen",
            "mishandelen",
            "misbruiken",
            "aanranden",
            "verkrachten",
            "bedreigen",
            "wurgen",
            "stompen",
            "trappen",
        ]
    }
}
VIOLENT_PARTICIPLES = {
    "LOWER": {
        "IN": [
            "geslagen",
            "geschopt",
            "mishandeld",
            "misbruikt",
            "aangerand",
            "verkracht",
            "bedreigd",
            "gewurgd",
            "gestompt",
            "getrapt",
        ]
    }
}
DO = {"LOWER": {"IN": ["doe", "doet", "deed", "deden", "doen", "gedaan"]}}
DEAD = {"LOWER": {"IN": ["dood", "sterven", "doodgaan", "dood gaan"]}}

PATTERNS: dict[str, list[list[dict]]] = {
    SUICIDE: [
        [
            {
                "LOWER": {
                    "IN": [
                        "zelfmoord",
                        "zelfmoordgedachten",
                        "zelfmoordgedachte",
                        "suicide",
                        "suïcide",
                        "zelfdoding",
                        "suicidaal",
                        "suïcidaal",
                        "suicidal",
                        "afscheidsbrief",
                        "zelfmoordpoging",
                    ]
                }
            }
        ],
        [{"LEMMA": "willen"}, ANY, ANY, ANY, DEAD],
        [DEAD, ANY, {"LEMMA": "willen"}],
        [{"LOWER": {"IN": ["liever", "beter"]}}, ANY, DEAD],
        [NOT, {"LOWER": "meer"}, {"LEMMA": {"IN": ["leven", "bestaan", "wakker"]}}],
        [{"LOWER": "er"}, NOT, {"LOWER": "meer"}, {"LEMMA": {"IN": ["zijn", "willen"]}}],
        [{"LOWER": {"IN": ["einde", "eind"]}}, {"LOWER": "aan"}, ANY, {"LEMMA": "maken"}],
        [{"LOWER": "uit"}, {"LOWER": "het"}, {"LOWER": "leven"}],
        [{"LEMMA": "zien"}, {"LEMMA": "het"}, NOT, {"LOWER": "meer"}, {"LEMMA": "zitten"}],
        [{"LEMMA": "het"}, {"LEMMA": "hoeven"}, ANY, ANY, NOT, {"LOWER": "meer"}],
        [{"LOWER": "beter"}, {"LOWER": "af"}, {"LOWER": "zonder"}, ME],
        [{"LOWER": "niemand"}, ANY, ANY, ME, {"LEMMA": "missen"}],
        [{"LOWER": "klaar"}, {"LOWER": "met"}, {"LOWER": {"IN": ["alles", "leven"]}}],
        [{"LOWER": "klaar"}, {"LOWER": "met"}, {"LOWER": "het"}, {"LOWER": "leven"}],
        [
            {"LEMMA": {"IN": ["pil", "pillen"]}},
            ANY,
            {"LEMMA": {"IN": ["verzamelen", "sparen", "slikken", "innemen"]}},
        ],
        [{"LOWER": {"IN": ["spoor", "dak", "brug", "flat"]}}, ANY, {"LEMMA": "springen"}],
        [
            {"LEMMA": "springen"},
            ANY,
            ANY,
            {"LOWER": {"IN": ["spoor", "dak", "brug", "flat", "trein"]}},
        ],
        [{"LOWER": "voor"}, {"LOWER": "de"}, {"LOWER": "trein"}],
        # English and internet slang, which teenagers mix in.
        [{"LOWER": {"IN": ["kms", "kys", "unalive", "suicidal"]}}],
        [{"LOWER": "kill"}, {"LOWER": {"IN": ["myself", "me"]}}],
        [{"LOWER": {"IN": ["want", "wanna"]}}, {"LOWER": "to", "OP": "?"}, {"LOWER": "die"}],
        [{"LOWER": "end"}, {"LOWER": {"IN": ["my", "it"]}}, {"LOWER": {"IN": ["life", "all"]}}],
        [SELF, ANY, {"LEMMA": {"IN": ["ophangen", "verhangen", "doden", "vermoorden"]}}],
        [{"LEMMA": {"IN": ["ophangen", "verhangen", "doden", "vermoorden"]}}, SELF],
        [
            {"LEMMA": {"IN": ["staan", "zitten", "zijn", "liggen"]}},
            ANY,
            {"LOWER": "op"},
            {"LOWER": {"IN": ["het", "de", "t"]}},
            {"LOWER": {"IN": ["dak", "spoor", "spoorbrug", "brug", "rand"]}},
        ],
    ],
    SELF_HARM: [
        [{"LOWER": {"IN": ["zelfbeschadiging", "automutilatie", "selfharm", "zelfverwonding"]}}],
        [{"LOWER": "self"}, {"LOWER": "harm"}],
        [
            ME,
            ANY,
            ANY,
            {"LEMMA": {"IN": ["snijden", "krassen", "verwonden", "beschadigen", "branden"]}},
        ],
        [{"LEMMA": {"IN": ["snijden", "krassen", "gesneden", "gekrast"]}}, ANY, ME],
        [
            {"LEMMA": {"IN": ["snijden", "krassen"]}},
            {"LOWER": "in"},
            ANY,
            {"LEMMA": {"IN": ["arm", "armen", "been", "benen", "pols", "polsen", "huid"]}},
        ],
        [ME, ANY, {"LOWER": "pijn"}, DO],
        [DO, ME, ANY, {"LOWER": "pijn"}],
    ],
    ABUSE: [
        [HOME_PERSON, ANY, ANY, VIOLENT_VERBS],
        [HOME_PERSON, ANY, ANY, {"LEMMA": "hebben"}, ANY, ANY, VIOLENT_PARTICIPLES],
        [{"LEMMA": "worden"}, ANY, ANY, ANY, VIOLENT_PARTICIPLES],
        [{"LOWER": {"IN": ["huiselijk", "seksueel"]}}, {"LOWER": {"IN": ["geweld", "misbruik"]}}],
        [{"LOWER": {"IN": ["mishandeling", "misbruik", "kindermishandeling", "incest"]}}],
        [{"LEMMA": "komen"}, {"LOWER": "aan"}, ME, ANY, ANY, ANY, NOT, {"LEMMA": "willen"}],
    ],
    DANGER: [
        [
            {"LOWER": {"IN": ["mes", "wapen", "pistool", "vuurwapen"]}},
            ANY,
            ANY,
            {"LEMMA": {"IN": ["bedreigen", "staan", "dreigen"]}},
        ],
        [
            {"LEMMA": {"IN": ["bedreigen", "dreigen"]}},
            ANY,
            ANY,
            {"LOWER": {"IN": ["mes", "wapen", "pistool"]}},
        ],
        [{"LOWER": "in"}, {"LOWER": "gevaar"}],
        [
            {"LOWER": "met"},
            {"LOWER": {"IN": ["een", "n", "z'n", "zn"]}},
            {"LOWER": {"IN": ["mes", "wapen", "pistool"]}},
        ],
        [{"LOWER": {"IN": ["bedreigt", "bedreigen"]}}, {"LOWER": {"IN": ["ons", "me", "mij"]}}],
    ],
}

# Spans that look like crisis language but are figures of speech. A crisis match that
# overlaps one of these is ignored; DIET still sees the message and can decide otherwise.
HYPERBOLE: list[list[dict]] = [
    [DEAD, {"LOWER": {"IN": ["van", "vd"]}}],
    [
        {
            "LEMMA": {
                "IN": [
                    "schamen",
                    "schaam",
                    "lachen",
                    "lach",
                    "vervelen",
                    "verveel",
                    "ergeren",
                    "erger",
                ]
            }
        },
        ME,
        {"LOWER": "dood"},
    ],
    [
        {"LOWER": {"IN": ["wel", "echt"]}},
        {"LOWER": {"IN": ["vermoorden", "slaan", "schieten", "wurgen", "doden"]}},
    ],
    [{"LOWER": {"IN": ["kan", "kon"]}}, ME, {"LOWER": "wel"}],
]


@dataclass(frozen=True)
class CrisisSignal:
    kind: str
    text: str
    start: int
    end: int


class CrisisRules:
    """Compiled crisis patterns for one spaCy vocab."""

    def __init__(self, vocab: Vocab) -> None:
        self._crisis = Matcher(vocab)
        for kind, patterns in PATTERNS.items():
            self._crisis.add(kind, patterns)
        self._hyperbole = Matcher(vocab)
        self._hyperbole.add("hyperbole", HYPERBOLE)

    def detect(self, doc: Doc) -> CrisisSignal | None:
        figurative = {i for _, start, end in self._hyperbole(doc) for i in range(start, end)}
        for match_id, start, end in self._crisis(doc):
            if figurative.intersection(range(start, end)):
                continue
            span = doc[start:end]
            kind = doc.vocab.strings[match_id]
            return CrisisSignal(kind, span.text, span.start_char, span.end_char)
        return None
