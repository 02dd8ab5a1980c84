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


def lower(*words: str) -> dict:
    return {"LOWER": {"IN": list(words)}}


def lemma(*words: str) -> dict:
    return {"LEMMA": {"IN": list(words)}}


ANY = {"OP": "?"}  # at most one token of any kind
NOT = lemma("niet", "geen")
MORE = lower("meer")
SELF_WORDS = ("mezelf", "mijzelf", "zichzelf", "zelf", "haarzelf", "hemzelf")
SELF = lower(*SELF_WORDS)
ME = lower("me", "mij", *SELF_WORDS)
DO = lower("doe", "doet", "deed", "deden", "doen", "gedaan")
DEAD = lower("dood", "sterven", "doodgaan")
HOME_PERSON = lemma(
    "vader", "moeder", "stiefvader", "stiefmoeder", "ouders", "ouder", "broer", "zus", "oom",
    "tante", "opa", "oma", "vriend", "ex", "man", "partner", "stiefpa", "stiefma",
)  # fmt: skip
VIOLENT_VERBS = lemma(
    "slaan", "schoppen", "mishandelen", "misbruiken", "aanranden", "verkrachten", "bedreigen",
    "wurgen", "stompen", "trappen",
)  # fmt: skip
VIOLENT_PARTICIPLES = lower(
    "geslagen", "geschopt", "mishandeld", "misbruikt", "aangerand", "verkracht", "bedreigd",
    "gewurgd", "gestompt", "getrapt",
)  # fmt: skip
# "klappen krijgen van": the everyday way to say one is hit.
BLOWS = lower("klappen", "klap", "slaag", "meppen", "mep", "tikken", "schoppen", "trappen")
WEAPON = lower("mes", "wapen", "pistool", "vuurwapen")
HIGH_PLACE = lower("spoor", "spoorbrug", "dak", "brug", "flat", "rand", "trein", "balkon", "raam")
THROWN = lower("gooit", "gooien", "gooide", "gegooid", "smijt", "smijten", "smeet", "gesmeten")
PILLS = lemma("pil", "pillen", "medicijnen", "paracetamol", "slaappillen")

# fmt: off
PATTERNS: dict[str, list[list[dict]]] = {
    SUICIDE: [
        [lower("zelfmoord", "zelfmoordgedachten", "zelfmoordgedachte", "zelfmoordpoging",
               "suicide", "suïcide", "zelfdoding", "suicidaal", "suïcidaal", "afscheidsbrief",
               "afscheidsbriefje", "afscheidsbericht")],
        [lemma("brief", "briefje", "bericht", "berichtje", "appje"), ANY, ANY, ANY, ANY,
         lower("afscheid")],
        [lemma("willen"), ANY, ANY, ANY, DEAD],
        [DEAD, ANY, lemma("willen")],
        [lower("liever", "beter"), ANY, DEAD],
        [NOT, MORE, lemma("leven", "bestaan", "wakker")],
        [lower("nooit"), MORE, lower("wakker")],
        [lower("nooit"), lower("geboren")],
        [lower("er"), ANY, NOT, MORE, lemma("zijn", "willen")],
        [lemma("zijn"), lower("ik"), lower("er"), ANY, NOT, MORE],
        [lower("einde", "eind"), lower("aan"), ANY, lemma("maken")],
        [lower("uit"), lower("het"), lower("leven")],
        [lemma("zien"), lemma("het"), ANY, ANY, NOT, MORE, lemma("zitten")],
        [lemma("het"), lemma("hoeven"), ANY, ANY, NOT, MORE],
        [lower("beter"), lower("af"), ANY, lower("zonder"), ME],
        [lower("last"), lower("voor"), lower("iedereen")],
        [NOT, lower("uitweg")],
        [lower("leven"), ANY, NOT, lower("zin")],
        [lower("niemand"), ANY, ANY, ME, lemma("missen")],
        [lower("klaar"), lower("met", "mee"), ANY, ANY, lower("alles", "leven")],
        [PILLS, ANY, ANY, lemma("verzamelen", "sparen", "slikken", "innemen", "ingenomen",
                                "geslikt")],
        [lemma("verzamelen", "sparen"), ANY, ANY, PILLS],
        [HIGH_PLACE, ANY, ANY, ANY, ANY, ANY, ANY, lemma("springen")],
        [PILLS, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, lower("allemaal"), ANY,
         lemma("nemen", "innemen", "slikken")],
        [lemma("springen"), ANY, ANY, HIGH_PLACE],
        [lower("voor"), lower("de"), lower("trein")],
        [lemma("staan", "zitten", "zijn", "liggen"), ANY, lower("op"), lower("het", "de", "t"),
         HIGH_PLACE],
        [SELF, ANY, lemma("ophangen", "verhangen", "doden", "vermoorden")],
        [lemma("hangen"), ME, ANY, lower("op")],
        [lemma("verhangen"), ME],
        [lemma("ophangen", "verhangen", "doden", "vermoorden"), SELF],
        # English and internet slang, which teenagers mix in.
        [lower("kms", "kys", "unalive", "suicidal")],
        [lower("kill"), lower("myself", "me")],
        [lower("want", "wanna"), {"LOWER": "to", "OP": "?"}, lower("die")],
        [lower("end"), lower("my", "it"), lower("life", "all")],
    ],
    SELF_HARM: [
        [lower("zelfbeschadiging", "automutilatie", "selfharm", "zelfverwonding")],
        [lower("self"), lower("harm")],
        [ME, ANY, ANY, lemma("snijden", "krassen", "verwonden", "beschadigen", "branden")],
        [lemma("snijden", "krassen", "gesneden", "gekrast"), ANY, ME],
        [lemma("snijden", "krassen"), lower("in"), ANY,
         lemma("arm", "armen", "been", "benen", "pols", "polsen", "huid")],
        [lower("in"), ANY, lemma("arm", "armen", "been", "benen", "pols", "polsen", "huid"),
         lower("gesneden", "gekrast", "snijden", "krassen")],
        [ME, lower("iets", "wat"), ANY, ANY, lower("aan", "aandoen")],
        [ME, ANY, lower("pijn"), DO],
        [DO, ME, ANY, lower("pijn")],
    ],
    ABUSE: [
        [HOME_PERSON, ANY, ANY, ANY, VIOLENT_VERBS],
        [HOME_PERSON, ANY, ANY, lemma("hebben"), ANY, ANY, VIOLENT_PARTICIPLES],
        [lemma("worden"), ANY, ANY, ANY, VIOLENT_PARTICIPLES],
        [lower("huiselijk", "seksueel"), lower("geweld", "misbruik")],
        [lemma("hebben"), ANY, lower("hem", "haar", "mij", "me", "ons"), ANY, VIOLENT_PARTICIPLES],
        [lower("tegen"), lower("de"), lower("muur", "grond", "kast"), THROWN],
        [THROWN, lower("met")],
        [lower("met"), lower("spullen", "dingen", "borden", "stoelen"), THROWN],
        [lower("ons", "hem", "haar"), lower("iets", "wat"), lower("aandoet", "aandoen", "aan")],
        [lower("mishandeling", "misbruik", "kindermishandeling", "incest")],
        [lemma("komen"), lower("aan"), ME, ANY, ANY, ANY, NOT, lemma("willen")],
        [BLOWS, lower("van"), ANY, HOME_PERSON],
        [lower("dingen"), lower("met"), ME, ANY, ANY, NOT, lemma("willen")],
        [lemma("zitten"), ANY, lower("aan"), ME],
        [HOME_PERSON, lemma("geven", "uitdelen"), ANY, ANY, BLOWS],
    ],
    DANGER: [
        [WEAPON, ANY, ANY, lemma("bedreigen", "staan", "dreigen")],
        [WEAPON, lower("gepakt", "pakt", "pakte", "getrokken", "trekt")],
        [WEAPON, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, lemma("gebruiken")],
        [lemma("bedreigen", "dreigen"), ANY, ANY, WEAPON],
        [lower("met"), lower("een", "n", "z'n", "zn"), WEAPON],
        [lower("in"), lower("gevaar")],
        [lower("bedreigt", "bedreigen"), lower("ons", "me", "mij")],
    ],
}

# Spans that look like crisis language but are figures of speech. A crisis match that
# overlaps one of these is ignored; DIET still sees the message and can decide otherwise.
HYPERBOLE: list[list[dict]] = [
    [DEAD, lower("van", "vd")],
    [lemma("schamen", "schaam", "lachen", "lach", "vervelen", "verveel", "ergeren", "erger"), ME,
     lower("dood")],
    [lower("wel", "echt"), lower("vermoorden", "slaan", "schieten", "wurgen", "doden")],
    [lower("kan", "kon"), ME, lower("wel")],
]
# fmt: on


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
