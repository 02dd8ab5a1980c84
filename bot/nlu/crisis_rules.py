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
ME_NOT_ZELF = lower("me", "mij", *(w for w in SELF_WORDS if w != "zelf"))
DO = lower("doe", "doet", "deed", "deden", "doen", "gedaan")
DEAD = lower("dood", "sterven", "doodgaan")
HOME_PERSON = lemma(
    "vader", "moeder", "stiefvader", "stiefmoeder", "ouders", "ouder", "broer", "zus", "oom",
    "tante", "opa", "oma", "vriend", "ex", "man", "partner", "stiefpa", "stiefma", "stiefbroer",
    "stiefzus", "neef", "buurman", "ex-man", "exman", "ex-partner",
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
OBJECT = lower("me", "mij", "haar", "hem", "ons")
BODY_PART = lower(
    "arm", "armen", "been", "benen", "bovenbeen", "bovenbenen", "pols", "polsen", "huid", "dijen",
    "buik",
)  # fmt: skip
# Marks a parent finds: "krassen op haar armen", "sneetjes in zijn benen".
WOUNDS = lower("krassen", "sneetjes", "snijwonden", "wondjes", "brandwonden", "littekens")
GET = lower("krijg", "krijgt", "kreeg", "kregen", "gekregen", "krijgen")

# fmt: off
PATTERNS: dict[str, list[list[dict]]] = {
    SUICIDE: [
        [lower("zelfmoord", "zelfmoordgedachten", "zelfmoordgedachte", "zelfmoordpoging",
               "suicide", "suïcide", "zelfdoding", "suicidaal", "suïcidaal", "afscheidsbrief",
               "afscheidsbriefje", "afscheidsbericht", "afscheidsbrieven", "afscheidsbriefjes",
               "levensmoe")],
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
        [lower("niemand"), ANY, ANY, ME, lemma("missen")],
        [lower("klaar"), lower("met", "mee"), ANY, ANY, lower("alles", "leven")],
        [lower("kwil", "kwou"), ANY, ANY, ANY, DEAD],
        [lower("van"), lower("kant"), ANY, lemma("maken")],
        [lower("einde", "eind"), lower("aan"), lower("mijn", "mn", "m'n", "zijn", "zn", "haar"),
         lower("leven")],
        [lower("leven"), lemma("beëindigen", "beeindigen")],
        [lemma("beëindigen", "beeindigen"), ANY, lower("leven")],
        [lower("manier", "manieren"), lower("om"), ANY, DEAD],
        [lower("ik", "kwil"), ANY, lemma("verdwijnen"), ANY, ANY, lower("voorgoed", "altijd")],
        [lower("weg"), lower("van"), lower("deze", "de"), lower("wereld")],
        [lower("nut"), lower("van"), ANY, lower("leven")],
        [lower("leven"), lower("zat")],
        [lower("leven"), ANY, ANY, ANY, NOT, lower("zin")],
        [NOT, lower("reden"), ANY, ANY, ANY, lower("leven")],
        [NOT, MORE, lemma("willen"), lemma("leven", "bestaan")],
        [lemma("willen"), lower("dat"), lower("alles"), ANY, lemma("ophouden", "stoppen")],
        [lower("alles"), ANY, lower("voor"), lower("altijd", "eeuwig")],
        [lemma("denken"), ANY, ANY, ANY, lower("aan"), lower("doodgaan", "sterven", "dood")],
        [lower("iedereen"), ANY, lower("beter"), lower("af"), ANY, lower("zonder")],
        [lower("strip", "strips", "doosje", "doos", "potje", "pot", "handvol", "hoop"), ANY, ANY,
         PILLS, ANY, lower("genomen", "geslikt", "ingenomen", "nemen", "slikken")],
        [lower("te"), lower("veel"), PILLS, ANY, lower("genomen", "geslikt", "ingenomen")],
        [lemma("verzameling", "voorraad"), ANY, PILLS],
        [lower("mn", "mijn", "m'n", "al"), ANY, lemma("spullen", "spul"), ANY,
         lower("weggegeven", "weggeeft", "weggeven")],
        # "een poging gedaan om naar school te gaan" is everyday; only a poging that stands alone.
        [lower("poging"), lower("gedaan"), {"IS_PUNCT": True}],
        [lower("poging"), lower("gedaan"), lower("en", "maar")],
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
        [lower("kms", "kys", "unalive", "unaliven", "suicidal")],
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
         BODY_PART],
        [lower("in"), ANY, BODY_PART,
         lower("gesneden", "gekrast", "snijden", "krassen")],
        # Not bare "zelf": "kan ik er zelf iets aan doen" is a parent asking what to do.
        [ME_NOT_ZELF, lower("iets", "wat"), ANY, ANY, lower("aan", "aandoen")],
        [ME, ANY, lower("pijn"), DO],
        [DO, ME, ANY, lower("pijn")],
        [lemma("snijden", "krassen", "branden"), lower("zich")],
        [lower("brand", "brandt", "branden", "brandde", "gebrand"), ME],
        [SELF, ANY, ANY, ANY, ANY, lower("gebrand", "gesneden", "gekrast", "verwond")],
        [lower("ik", "ze", "hij", "zij"), ANY, ANY, lower("kras", "krast", "gekrast")],
        [lower("moet", "wil", "ga", "gaat"), ANY, lower("krassen")],
        [WOUNDS, lower("op", "in"), ANY, ANY, ANY, BODY_PART],
        [lower("mesjes", "scheermesjes", "scheermesje", "bebloede")],
        [lower("hoofd"), lower("tegen"), ANY, lower("muur")],
        [lower("tot"), ANY, lemma("bloeden")],
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
        [VIOLENT_VERBS, ANY, HOME_PERSON, ME],
        [THROWN, ANY, ANY, ANY, lower("naar"), OBJECT],
        # "ik krijg klappen" at home; "mijn zoon krijgt klappen op school" is bullying.
        [lower("ik"), GET, ANY, BLOWS],
        [GET, lower("ik"), ANY, BLOWS],
        [lower("blauwe"), lower("plekken", "plek"), lower("van"), ANY, HOME_PERSON],
        [lemma("dreigen", "bedreigen"), ANY, ANY, ANY, ANY, lower("iets", "wat"), lower("aan"),
         lower("te"), lower("doen")],
        [lower("sluit", "sloot", "sluiten"), ME, lower("op")],
        [lemma("worden", "hebben"), ANY, ANY, lower("opgesloten")],
        [lemma("dwingen"), ME, ANY, lower("dingen", "seks")],
        [lower("gedwongen"), ANY, ANY, lower("seks")],
        [lower("aan"), OBJECT, lower("zit", "zat", "zaten", "zitten", "gezeten")],
        [lower("aan"), OBJECT, lemma("hebben"), lower("gezeten")],
        [HOME_PERSON, ANY, lemma("komen"), lower("aan"), OBJECT],
        [lower("naaktfoto", "naaktfotos", "naaktfoto's", "nudes")],
        [lower("verkracht", "aangerand", "verkrachting", "aanranding")],
        [lower("keel"), ANY, lower("dicht", "dichtgeknepen", "dichtknijpt")],
        [lemma("knijpen"), ANY, ANY, lower("keel")],
        [lower("ex", "ex-man", "exman", "ex-partner"), ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY,
         ANY, ANY, ANY, ANY, lower("agressief", "gewelddadig")],
        [lower("op"), lower("straat"), lower("gezet", "gegooid")],
        [NOT, lower("plek", "plaats", "dak"), lower("om"), lower("te"), lower("slapen")],
    ],
    DANGER: [
        [WEAPON, ANY, ANY, lemma("bedreigen", "staan", "dreigen")],
        [WEAPON, lower("gepakt", "pakt", "pakte", "getrokken", "trekt")],
        [WEAPON, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, lemma("gebruiken")],
        [lemma("bedreigen", "dreigen"), ANY, ANY, WEAPON],
        [lower("met"), lower("een", "n", "z'n", "zn"), WEAPON],
        [lower("in"), lower("gevaar")],
        [lower("bedreigt", "bedreigen"), lower("ons", "me", "mij")],
        [lemma("dreigen", "bedreigen"), ANY, ANY, ANY, lower("steken", "neersteken",
         "doodsteken", "neerschieten", "doodschieten", "vermoorden", "doden")],
        [lower("neer", "dood"), lower("te"), lower("steken", "schieten")],
        [lower("iemand"), ANY, ANY, lower("binnengekomen", "ingebroken")],
        [lower("grond", "vloer"), ANY, ANY, lower("reageert", "ademt", "beweegt"), NOT],
        [lower("bewusteloos")],
    ],
}

# Spans that look like crisis language but are figures of speech or everyday requests. A
# crisis match that overlaps one of these is ignored; DIET still sees the message and can
# decide otherwise.
HYPERBOLE: list[list[dict]] = [
    [DEAD, lower("van", "vd")],
    [lemma("schamen", "schaam", "lachen", "lach", "vervelen", "verveel", "ergeren", "erger"), ME,
     lower("dood")],
    [lower("wel", "echt"), lower("vermoorden", "slaan", "schieten", "wurgen", "doden")],
    [lower("kan", "kon"), ME, lower("wel")],
    [lower("kan", "kon"), ANY, lower("hoofd"), lower("wel")],
    [lemma("het"), lemma("hoeven"), NOT, MORE, ANY, ANY, ANY, ANY, ANY,
     lower("aanmelding", "aanvraag", "verwijzing", "intake", "afspraak")],
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
