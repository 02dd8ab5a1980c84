"""Rule-based crisis language detection over spaCy tokens and lemmas.

Independent of the intent classifiers on purpose: a crisis message must get the crisis answer
even when they are unsure. The patterns are grouped by the kinds of docs/crisis-taxonomy.md
(suicidal thoughts and plans, farewell and missing persons, self-harm, violence and sexual
abuse at home, medical emergencies, threats to others, other acute danger), each written as
a kind (a verb with its objects, a place with a verb of being there) rather than a sentence.

Three lists:
- PATTERNS: clear crisis language; the message gets the full crisis answer.
- CONCERN: worrying but often harmless on its own ("ik kan haar niet bereiken", "ambulance",
  "touw"); the answer stays, and one calm line with 113 and 112 is added.
- HYPERBOLE: figures of speech, games and stories ("ik ga dood van verveling", "mijn moeder
  vermoordt me als...", "in de game"). A crisis pattern that overlaps one is ignored, and a
  classifier's crisis guess on such a message becomes the calm line instead of the crisis
  answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

SUICIDE, SELF_HARM, ABUSE, DANGER = "suicide", "self_harm", "abuse", "danger"
MISSING, MEDICAL, THREAT = "missing", "medical", "threat"
WORD_ONLY = "|word"


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
WEAPON = lower(
    "mes", "wapen", "pistool", "vuurwapen", "geweer", "jachtgeweer", "luchtbuks", "machete",
    "kapmes", "bijl", "vlindermes", "stiletto", "boksbeugel", "keukenmes", "honkbalknuppel",
    "knuppel",
)  # fmt: skip
GUN = lower(
    "vuurwapen", "pistool", "geweer", "jachtgeweer", "luchtbuks", "machete", "kapmes",
    "vlindermes", "stiletto", "wapen",
)  # fmt: skip
POISON = lower(
    "vaatwastabletten", "vaatwastablet", "wasmiddel", "wasmiddelcapsules", "wasbolletjes",
    "bleekwater", "gif", "rattengif", "schoonmaakmiddel", "ontstopper", "antivries", "chloor",
)  # fmt: skip
PRIVATE = lower(
    "plassertje", "piemel", "kruis", "borsten", "onderlijf", "geslachtsdeel", "billen",
    "vagina", "penis",
)  # fmt: skip
HIGH_PLACE = lower(
    "spoor", "spoorbrug", "dak", "brug", "flat", "rand", "trein", "balkon", "raam", "viaduct",
    "parkeergarage", "spoorlijn", "spoorweg", "overweg", "rails", "dakrand", "flatgebouw",
    "torenflat", "snelweg", "brugleuning", "leuning", "reling", "klif",
)  # fmt: skip
# Heights where being is itself the danger ("ik sta op de brug").
HEIGHT = lower(
    "dak", "dakrand", "brug", "spoorbrug", "flat", "flatgebouw", "torenflat", "viaduct",
    "parkeergarage", "reling", "brugleuning", "leuning", "klif", "spoor", "spoorlijn", "rails",
    "snelweg",
)  # fmt: skip
WATER = lower("water", "kanaal", "rivier", "maas", "dommel", "meer", "zee", "sloot", "ijs")
DET = lower("het", "de", "t", "'t", "een", "die", "dat", "ons", "zo'n", "zon")
THROWN = lower("gooit", "gooien", "gooide", "gegooid", "smijt", "smijten", "smeet", "gesmeten")
# Means of self-harm or violence, and where a parent finds them hidden.
MEANS = lower(
    "mes", "mesje", "mesjes", "stanleymes", "scheermes", "scheermesje", "scheermesjes",
    "touw", "strop", "pistool", "vuurwapen", "slaappillen", "pillen", "pijnstillers",
)  # fmt: skip
STASH = lower(
    "schooltas", "tas", "rugzak", "jaszak", "la", "bureaula", "nachtkastje", "matras",
    "kussen", "kussensloop", "kluisje", "etui", "sok", "sokken",
)  # fmt: skip
PILLS = lower(
    "pil", "pillen", "medicijnen", "medicijn", "paracetamol", "slaappillen", "slaappil",
    "paracetamols", "pilletje", "tabletten",
    "oxazepam", "ibuprofen", "medicatie", "antidepressiva", "xtc", "ghb", "drugs", "pilletjes",
    "medicijnstrips", "pijnstillers", "slaapmiddel", "slaapmiddelen", "diazepam", "ritalin",
)  # fmt: skip
TOOK = lower(
    "genomen", "geslikt", "ingenomen", "opgegeten", "slikte", "slikt", "nam", "neemt",
    "meegenomen", "gepakt", "gestolen", "verstopt",
)  # fmt: skip
NUMBER = lower(
    "tien", "twintig", "dertig", "veertig", "vijftig", "honderd", "tientallen", "10", "15", "20",
    "25", "30", "40", "50", "60", "100",
)  # fmt: skip
MANY = lower(
    "alle", "hele", "tien", "twintig", "dertig", "veertig", "vijftig", "10", "15", "20", "25",
    "30", "40", "50",
)  # fmt: skip
PERSON = lower(
    "hij", "zij", "ze", "mijn", "mn", "m'n", "onze", "ons", "iemand", "mama", "papa", "mam",
    "pap", "opa", "oma", "broertje", "zusje", "broer", "zus", "vriend", "vriendin", "moeder",
    "vader", "zoon", "dochter", "kind",
)  # fmt: skip
KILL_VERBS = lower(
    "neersteken", "doodsteken", "neerschieten", "doodschieten", "vermoorden", "doden",
    "opblazen", "neerknallen",
)  # fmt: skip
OBJECT = lower("me", "mij", "haar", "hem", "ons")
BODY_PART = lower(
    "arm", "armen", "been", "benen", "bovenbeen", "bovenbenen", "pols", "polsen", "huid", "dijen",
    "buik", "rug", "onderarm", "onderarmen", "enkels",
)  # fmt: skip
# Marks a parent finds: "krassen op haar armen", "sneetjes in zijn benen".
WOUNDS = lower(
    "krassen", "sneetjes", "snijwonden", "wondjes", "brandwonden", "littekens", "brandwondjes",
    "sneden", "snijwondjes", "striemen", "sneeën",
)  # fmt: skip
GET = lower("krijg", "krijgt", "kreeg", "kregen", "gekregen", "krijgen")
POSS = lower("haar", "zijn", "zn", "z'n", "mijn", "mn", "m'n", "me", "hun")
CLOTHES = lower(
    "shirt", "t-shirt", "trui", "rok", "rokje", "jurk", "kleren", "bh", "broek", "onderbroek",
    "hemd", "topje", "pyjama", "ondergoed",
)  # fmt: skip
TOUCHING = lower(
    "gaat", "ging", "gingen", "zit", "zat", "zaten", "voelt", "voelde", "komt", "kwam",
)  # fmt: skip

SUICIDE_WORD = lower("zelfmoord", "zelfdoding", "suicide", "suïcide")

# fmt: off
PATTERNS: dict[str, list[list[dict]]] = {
    SUICIDE: [
        # Switched off for good: "helemaal uit, zonder herstart".
        [lower("zonder"), lower("herstart", "restart", "reboot", "respawn")],
        [lemma("brief", "briefje", "bericht", "berichtje", "appje"), ANY, ANY, ANY, ANY,
         lower("afscheid")],
        # The topic words of WORDS, said about oneself or someone close.
        [lemma("willen", "gaan", "denken", "overwegen", "plannen"), ANY, ANY, ANY, SUICIDE_WORD],
        [lemma("hebben", "krijgen"), ANY, ANY, lower("zelfmoordgedachten", "zelfmoordgedachte",
         "zelfmoordpoging", "afscheidsbrief", "afscheidsbriefje")],
        [lemma("zijn", "voelen"), ANY, ANY, lower("suicidaal", "suïcidaal", "levensmoe")],
        [lemma("willen"), ANY, ANY, ANY, DEAD],
        [DEAD, ANY, lemma("willen")],
        [lower("liever", "beter"), ANY, DEAD],
        [NOT, MORE, lemma("leven", "bestaan", "wakker")],
        # Hoping not to see the morning, to be hit by a lorry, to dissolve into nothing.
        [lower("hoop", "hoopt", "hopen", "hoopte", "hoopten"), ANY, lower("dat"), lower("ik"),
         ANY, ANY, ANY, NOT,
         lower("haal", "meemaak", "overleef", "red", "wakker")],
        [lower("vrachtwagen", "auto", "trein", "bus", "truck"), ANY, ANY, ANY,
         lower("uitwijkt", "raakt", "aanrijdt", "overrijdt", "schept", "ramt"), ANY, ANY, ANY,
         ANY, ANY, lower("prima", "fijn", "goed", "best", "erg", "mooi", "oké", "oke")],
        [lemma("oplossen", "verdampen", "vervagen"), lower("in"), lower("het"),
         lower("niets", "niks")],
        [lower("stekker"), ANY, ANY, ANY, lower("bij"), lower("mij", "mezelf", "me")],
        [lower("als"), lower("ik"), lower("verdwijn", "verdwijnen", "wegval"), ANY, ANY, ANY,
         ANY, lower("niemand", "vergeten", "merkt", "mist", "opgelucht")],
        [lower("nooit"), MORE, lower("wakker")],
        [lower("nooit"), lower("geboren")],
        [lower("er"), ANY, ANY, lemma("niet", "geen", "nie"), MORE, lemma("zijn", "willen")],
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
        [lower("leven"), lemma("beroven")],
        [lower("pijnloos"), ANY, lemma("sterven", "doodgaan", "dood")],
        [lower("dodelijke", "dodelijk"), lower("dosis", "hoeveelheid")],
        [PILLS, ANY, ANY, ANY, lower("dodelijk")],
        [lemma("ophouden", "stoppen"), lower("met"), lemma("bestaan", "leven", "ademen")],
        [lower("allemaal", "alles"), ANY, ANY, lemma("ophouden"), ANY, ANY, lower("voor"),
         lower("altijd")],
        [lower("beter"), lower("af"), ANY, ANY, lower("zonder"), lower("hem", "haar", "mij", "me")],
        [lower("zonder"), lower("mij", "hem", "haar", "me"), ANY, lower("gelukkiger", "beter")],
        [lower("als"), lower("ik", "hij", "ze", "zij"), lower("er"), NOT, ANY, ANY, lemma("zijn")],
        [lower("alleen"), lower("maar"), lower("een"), lower("last")],
        [lower("er"), ANY, NOT, MORE, lower("bij")],
        [lower("touw"), ANY, ANY, ANY, lower("lus", "knoop", "strop")],
        [lower("van"), DET, lower("spoor", "dak", "brug", "rand"), lemma("halen")],
        [lower("op"), DET, HEIGHT, ANY, lemma("staan", "zitten", "klimmen")],
        [lower("naar"), DET, lower("spoor", "spoorlijn", "spoorbrug", "rails"), ANY,
         lemma("lopen", "gaan", "fietsen")],
        [NUMBER, PILLS],
        [lemma("slapen"), ANY, lower("voor"), lower("altijd", "eeuwig")],
        [lemma("verdwijnen"), ANY, ANY, lower("zonder"), ANY, ANY, lower("terug")],
        [lower("waar"), lower("ze", "jullie", "je", "men", "ze"), lower("me", "mij"),
         lower("kunnen", "kan", "zullen", "moeten"), lower("vinden")],
        [lemma("zijn"), ANY, ANY, lower("tot"), lower("last")],
        [lower("zonder"), lower("mij", "me"), ANY, ANY, lower("beter", "gelukkiger")],
        [lower("wie"), ANY, ME, ANY, lemma("missen")],
        [lower("rand"), lower("van"), DET, HEIGHT],
        [lemma("lopen", "gaan", "fietsen"), ANY, ANY, lower("naar"), DET,
         lower("spoor", "spoorlijn", "rails", "spoorbrug")],
        [WEAPON, ANY, ANY, lower("het"), lemma("willen"), lemma("doen")],
        [lower("laatste"), lower("bericht", "berichtje", "appje"), ANY, ANY, ANY,
         lower("bedankt", "sorry", "doei", "bye", "vaarwel")],
        [lower("garage"), ANY, ANY, ANY, lower("motor", "uitlaat")],
        # English and internet slang, which teenagers mix in.
        [lower("permanent", "voorgoed", "forever"), lower("afk", "offline", "uitloggen",
         "uitgelogd", "weg")],
        [lower("geen", "no"), lower("respawn", "respawns")],
        [lower("quit", "uninstall", "delete"), lower("life", "leven")],
        [lower("irl"), ANY, ANY, lemma("despawnen", "despawn", "uitloggen")],
        [lower("kms", "kys", "unalive", "unaliven", "suicidal")],
        [lower("kill"), lower("myself", "me")],
        [lower("want", "wanna"), {"LOWER": "to", "OP": "?"}, lower("die")],
        [lower("kill", "hurt"), lower("himself", "herself", "themselves", "themself")],
        # "i dont want to live anymore", "no reason to live", "end it all", "end my life".
        [lower("want", "wanna"), {"LOWER": "to", "OP": "?"}, lower("live"),
         lower("anymore", "any")],
        [lower("reason", "point"), lower("to", "in"), lower("live", "living")],
        [lower("end"), lower("it"), lower("all")],
        [lower("end", "ending", "take", "taking"), lower("my", "his", "her"), lower("life", "own")],
        [lower("better"), lower("off"), lower("without"), lower("me", "him", "her")],
        # Looking up how to die: "hoe lang duurt verdrinken", "welke brug is het hoogst".
        [lower("hoe"), lower("lang"), lower("duurt"), ANY, lower("verdrinken", "doodbloeden",
         "verbloeden", "ophangen", "stikken", "verstikken", "doodgaan", "sterven")],
        [lower("welke"), lower("brug", "flat", "viaduct", "parkeergarage", "toren", "gebouw"),
         ANY, ANY, ANY, ANY, lower("hoogst", "hoogste")],
        [lower("end"), lower("my", "it"), lower("life", "all")],
        # Plans, means and places without a word about death.
        [lemma("staan", "zitten", "zijn", "liggen", "klimmen", "hangen"), ANY, ANY,
         lower("op", "boven", "over"), DET, HEIGHT],
        [lemma("staan", "zitten", "liggen", "wachten"), ANY, ANY, ANY, lower("bij", "naast",
         "op"), DET, lower("spoor", "spoorlijn", "spoorweg", "overweg", "rails")],
        [lemma("springen", "lopen"), ANY, ANY, lower("voor"), DET,
         lower("trein", "auto", "bus", "vrachtwagen")],
        [lemma("springen"), ANY, ANY, lower("van", "af", "vanaf"), DET, ANY, HIGH_PLACE],
        [lemma("kopen", "verstoppen", "knopen"), ANY, ANY, lower("touw", "strop")],
        [lower("touw", "strop"), ANY, ANY, ANY, lemma("kopen", "verstoppen", "klaar",
         "ophangen", "knopen")],
        [lemma("sparen", "verzamelen", "bewaren", "verstoppen", "hamsteren"), ANY, ANY, ANY,
         PILLS],
        [PILLS, ANY, ANY, ANY, lemma("sparen", "verzamelen", "verstoppen", "hamsteren")],
        [MANY, ANY, PILLS, ANY, ANY, TOOK],
        [TOOK, MANY, ANY, PILLS],
        [lower("hele", "volle"), lower("strip", "doos", "doosje", "pot", "potje", "fles"), ANY,
         ANY, ANY, lower("genomen", "geslikt", "ingenomen", "leeg")],
        # Farewell messages.
        [lower("afscheid"), ANY, lower("van"), lower("iedereen", "alles", "jullie")],
        [lower("afscheid"), ANY, lower("van"), lower("de"), lower("wereld")],
        [lower("afscheidsvideo", "afscheidsfilmpje", "afscheidspost", "afscheidsmail")],
        [lower("vaarwel", "farewell")],
        [lower("laatste"), lower("bericht", "berichtje", "appje", "post", "story", "brief"),
         ANY, lower("ooit")],
        [lower("zorg", "zorgen"), ANY, lower("goed"), lower("voor"), ANY, lower("als"),
         lower("ik"), ANY, lower("er"), NOT],
        [lower("sorry"), lower("voor"), lower("alles"), ANY, lower("doei", "dag", "bye",
         "vaarwel", "love", "hou")],
        [lower("bye", "doei", "dag"), lower("voor"), lower("altijd", "eeuwig")],
    ],
    SELF_HARM: [
        # Burning: "ik druk een sigaret uit op mijn onderarm".
        [lower("sigaret", "sigaretten", "peuk", "peuken", "aansteker"), ANY, ANY, ANY,
         lower("op", "tegen"), ANY, BODY_PART],
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
        [lemma("openhalen", "opengehaald", "openkrassen", "opengekrast")],
        [lower("opengehaald", "opengekrast", "kapotgekrast", "kapotgesneden")],
        [lower("cut", "cutting", "cuts", "hurt", "hurting", "burn", "burning"),
         lower("myself", "herself", "himself", "again")],
        [lemma("snijden", "krassen", "branden", "slaan", "bonken"), ANY, lower("zichzelf",
         "mezelf", "haarzelf", "hemzelf")],
        [lower("zichzelf", "mezelf", "haarzelf", "hemzelf"), ANY, ANY, lemma("snijden",
         "krassen", "branden", "verwonden", "beschadigen")],
        [lower("mesje", "mesjes", "scheermes", "schaar", "passer", "glas"), ANY, ANY, ANY,
         ANY, lower("arm", "armen", "pols", "polsen", "been", "benen", "huid", "dijen",
                    "buik", "bloed")],
        [lower("bloed"), ANY, ANY, ANY, lower("mouw", "mouwen", "handdoek", "handdoeken",
         "badkamer", "laken", "lakens")],
        [lower("mesje", "mesjes", "scheermesje"), ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY,
         lemma("gebruiken")],
        [BODY_PART, ANY, ANY, ANY, WOUNDS],
        [lower("tot"), ANY, lower("bloed")],
        [lower("diep", "diepe"), ANY, WOUNDS],
        [lower("te"), lower("diep"), ANY, lower("gesneden", "gekrast")],
        [lower("expres"), ANY, ANY, ANY, lower("verbrand", "gesneden", "gekrast", "bezeerd")],
        [lower("sh"), ANY, lower("relapse", "clean")],
        [lemma("stompen", "bijten", "knijpen"), ME_NOT_ZELF],
        [lemma("stompen", "bijten", "knijpen", "slaan"), lower("mezelf", "mijzelf")],
        [lower("sigaret", "aansteker", "strijkijzer"), ANY, ANY, ANY, lower("arm", "armen",
         "huid", "been", "benen")],
    ],
    ABUSE: [
        # Grooming: an adult asking for pictures of a child's body.
        [lower("foto's", "fotos", "foto", "plaatjes", "filmpjes", "pics"), lower("van"), POSS,
         lower("lichaam", "lijf", "borsten", "billen", "kont", "onderlichaam")],
        # Touching under clothes: "hij gaat onder haar shirt", "zit aan zn broek".
        [lower("onder"), POSS, CLOTHES, ANY, TOUCHING],
        [TOUCHING, ANY, ANY, lower("onder"), POSS, CLOTHES],
        [lower("aan"), POSS, lower("broek", "borsten", "billen", "kont", "piemel", "kruis"),
         TOUCHING],
        [lower("zit", "zat", "komt", "kwam"), ANY, ANY, ANY, ANY, lower("aan"), POSS,
         lower("broek", "borsten", "billen", "kont", "piemel", "kruis")],
        [HOME_PERSON, ANY, ANY, ANY, VIOLENT_VERBS],
        [HOME_PERSON, ANY, ANY, lemma("hebben"), ANY, ANY, VIOLENT_PARTICIPLES],
        [lemma("worden"), ANY, ANY, ANY, VIOLENT_PARTICIPLES],
        # Word order of a subordinate clause: "dat ze thuis geslagen wordt".
        [VIOLENT_PARTICIPLES, lower("wordt", "worden", "werd", "werden")],
        # "hij wordt gewelddadig tegen de kinderen", "handtastelijk naar mij".
        [lower("gewelddadig", "handtastelijk"), lower("tegen", "naar"), ANY,
         lower("kinderen", "kids", "me", "mij", "ons", "haar", "hem", "mama", "moeder", "zusje",
               "broertje", "zoon", "dochter")],
        [lemma("hebben"), ANY, lower("hem", "haar", "mij", "me", "ons"), ANY, VIOLENT_PARTICIPLES],
        [lower("tegen"), lower("de"), lower("muur", "grond", "kast"), THROWN],
        [THROWN, lower("met")],
        [lower("met"), lower("spullen", "dingen", "borden", "stoelen"), THROWN],
        [lower("ons", "hem", "haar"), lower("iets", "wat"), lower("aandoet", "aandoen", "aan")],
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
        [lower("keel"), ANY, lower("dichtgeknepen", "dichtknijpt", "dichtkneep", "dichtgedrukt")],
        [lemma("knijpen"), ANY, ANY, lower("keel")],
        [lower("knijpt", "kneep", "knepen", "knijpen", "drukt", "drukte"), ANY, ANY, ANY,
         lower("keel"), lower("dicht")],
        [lower("ex", "ex-man", "exman", "ex-partner"), ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY,
         ANY, ANY, ANY, ANY, lower("agressief", "gewelddadig")],
        [lower("op"), lower("straat"), lower("gezet", "gegooid")],
        [NOT, lower("plek", "plaats", "dak"), lower("om"), lower("te"), lower("slapen")],
        # Violence that has just happened, or that the child saw.
        [lower("politie"), ANY, ANY, ANY, ANY, ANY, lower("geweld", "mishandeling",
         "geslagen", "slaan", "sloeg", "vechten", "gevochten", "bedreigd")],
        [lower("geweld", "geslagen", "sloeg", "mishandeld"), ANY, ANY, ANY, ANY, ANY, ANY,
         lower("politie")],
        [lemma("slaan", "schoppen", "stompen", "duwen", "trappen", "wurgen"), ANY, ANY,
         lower("tegen"), ANY, lower("muur", "grond", "deur", "kast", "vloer")],
        [lower("riem", "stok", "pollepel"), ANY, ANY, ANY, lower("geslagen", "slaat", "sloeg",
         "slaan", "gekregen", "krijgen", "krijg")],
        [lemma("slaan", "schoppen", "stompen", "trappen", "wurgen", "mishandelen"), ANY, ANY,
         lower("mama", "mam", "moeder", "papa", "pap", "vader", "broertje", "zusje", "ons")],
        [lower("bang"), ANY, ANY, lower("thuis"), ANY, ANY, lower("slaat", "sloeg", "slaan",
         "schopt", "dreigt", "drinkt", "dronken")],
        [lemma("hebben", "worden"), ME, ANY, ANY, ANY, ANY, lower("opgesloten")],
        [lower("krijg", "krijgt"), ANY, ANY, ANY, lower("geen"), lower("eten")],
        [lower("slaat", "sloeg", "schopt", "schopte", "mept", "stompt", "stompte"), ANY,
         lower("mij", "me", "ons")],
        [lower("huis"), lower("uit"), lower("gezet", "gegooid", "getrapt", "geschopt")],
        [lower("buitengezet")],
        [lower("hoofd"), lower("onder"), lower("water")],
        [ME, lower("met"), ANY, ANY, VIOLENT_PARTICIPLES],
        [lower("tussen"), ANY, lower("benen"), ANY, lemma("pakken", "vastpakken", "zitten",
         "aanraken")],
        [lemma("vastpakken", "pakken", "aanraken", "zitten"), ANY, ANY, lower("tussen"), ANY,
         lower("benen")],
        [lower("broek", "kleren", "shirt", "ondergoed"), ANY, lower("uit"), ANY, ANY, ANY,
         lower("cam", "camera", "webcam", "foto", "filmpje", "video")],
        [lower("uitgekleed")],
        [lemma("zoenen", "kussen", "aanraken"), ANY, ANY, ANY, NOT, lemma("willen")],
        [lower("tegen"), DET, lower("grond", "muur", "kast", "deur", "vloer"), lemma("duwen",
         "gooien", "slaan", "schoppen", "smijten", "smeten", "duwde")],
        [lemma("vastbinden"), ANY, ANY, ANY, lower("stoel", "bed", "verwarming")],
        [lower("vastgebonden", "vastbindt", "vastbond")],
        [lower("pap", "pa", "mam", "ma", "ouders", "vader", "moeder", "stiefvader"), ANY, ANY,
         lemma("vechten")],
        # Sexual abuse and grooming.
        [lemma("doen"), lower("dingen"), lower("bij", "met"), ME],
        [lower("betast", "betastte", "betasten")],
        [lower("aan"), ANY, ANY, PRIVATE],
        [PRIVATE, ANY, ANY, lemma("zitten", "aanraken", "aangeraakt")],
        [lower("foto", "fotos", "foto's", "pics"), ANY, ANY, lower("zonder"), lower("kleren",
         "kleding")],
        [lower("raakt", "raakte", "raken", "betast", "betastte"), ME, ANY, ANY, lower("aan")],
        [lower("aangeraakt", "betast"), ANY, ANY, ANY, NOT],
        [lower("foto", "fotos", "foto's", "pics", "filmpje", "video"), ANY, ANY, ANY,
         lower("naakt", "bloot", "uitkleden", "nudes", "ondergoed")],
        [lower("naakt", "bloot"), ANY, ANY, ANY, lower("foto", "fotos", "foto's", "pics",
         "filmpje", "video", "sturen", "camera", "webcam")],
        [lemma("chanteren", "afpersen", "sextortion")],
        [lower("chanteert", "chantage", "gechanteerd", "afgeperst", "sextortion")],
        [lemma("dwingen", "verplichten"), ANY, ANY, ANY, lower("seks", "sex", "uitkleden",
         "aanraken", "pijpen", "zoenen")],
        [lower("seks", "sex"), ANY, ANY, ANY, NOT, lemma("willen")],
    ],
    DANGER: [
        # Means found among a child's things: "in zijn schooltas een stanleymes".
        [lower("in", "onder"), ANY, STASH, ANY, ANY, ANY, ANY, MEANS],
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
    MISSING: [
        [lower("spoorloos", "zoekgeraakt")],
        [lemma("zijn", "raken"), ANY, lower("vermist")],
        [lemma("zijn"), ANY, ANY, lower("weggelopen", "verdwenen"), ANY, ANY, ANY,
         lower("afscheid", "brief", "briefje", "telefoon", "mobiel", "politie")],
        [NOT, lower("thuisgekomen", "teruggekomen")],
        [NOT, lower("thuis"), lower("gekomen")],
        [lemma("ophouden", "weggaan", "weglopen"), ANY, ANY, ANY, lower("afscheid", "brief")],
    ],
    MEDICAL: [
        [lower("ademt", "ademde"), ANY, NOT],
        [lower("ademt", "ademde"), lower("nauwelijks", "bijna", "raar")],
        [lower("krijgt", "kreeg"), lower("geen"), lower("lucht", "adem")],
        [lower("in"), lower("elkaar"), lower("gezakt", "gezakt.", "zakken", "zakte")],
        [lower("overdosis", "overdose", "od", "vergiftiging", "vergiftigd")],
        [lower("te"), lower("veel"), ANY, PILLS],
        [PILLS, ANY, ANY, lower("te"), lower("veel")],
        [lemma("drinken", "gedronken"), ANY, ANY, lower("bleekwater", "wasmiddel", "gif",
         "chloor", "antivries", "ontstopper")],
        [lower("bleekwater", "gif", "ontstopper", "antivries"), ANY, ANY, ANY,
         lemma("drinken", "gedronken", "opdrinken", "slikken")],
        [lower("blauw"), lower("aangelopen")],
        [lower("lippen"), ANY, lower("blauw")],
        [lower("schuim"), lower("op"), ANY, lower("mond")],
        [lower("bloedt"), ANY, ANY, lower("erg", "heel", "veel", "stopt", "niet")],
        [lower("bloeden"), ANY, ANY, lower("stopt", "stoppen", "niet")],
        [lower("niet"), lower("meer"), lower("bij"), lower("bewustzijn")],
        [lower("buiten"), lower("bewustzijn")],
        [lower("not"), lower("breathing")],
        [lower("hartaanval", "beroerte", "hartstilstand")],
        [lemma("komen"), NOT, ANY, lower("bij")],
        [lower("aanval"), ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, ANY, lower("minuten")],
        [lower("druk", "pijn", "steek"), lower("op"), ANY, lower("borst")],
        [lower("te"), lower("veel"), lower("genomen", "geslikt", "ingenomen", "gespoten")],
        [lower("insuline"), ANY, ANY, ANY, lower("gespoten", "ingespoten", "genomen", "gezet")],
        [lower("heel", "veel", "te"), lower("veel"), ANY, ANY, lower("genomen", "geslikt",
         "ingenomen", "ingespoten", "gespoten")],
        [lower("praat", "praatte"), lower("wartaal", "onzin")],
        [lower("helemaal"), lower("slap")],
        [lower("slap"), lower("geworden", "weggezakt")],
        [lower("aanval"), ANY, ANY, ANY, ANY, ANY, lower("minuten")],
        [lower("schuim"), lower("uit"), ANY, lower("mond")],
        [lower("bloed"), lower("uit"), ANY, lower("oor", "oren")],
        [POISON, ANY, lemma("eten", "drinken", "doorslikken", "slikken", "opdrinken")],
        [lemma("eten", "drinken", "slikken", "doorslikken"), ANY, ANY, POISON],
        [lower("lege"), lower("strips", "strip", "medicijnstrips", "doosjes", "potjes",
         "pillenpotjes")],
        [lower("fles", "flessen"), ANY, ANY, lower("leeggedronken", "opgedronken")],
        [lower("al", "alle"), lower("haar", "zijn", "zn", "mijn", "mn", "m'n"), PILLS, ANY, TOOK],
    ],
    THREAT: [
        [lemma("willen", "gaan", "zullen", "plannen", "dreigen"), ANY, ANY, ANY, KILL_VERBS],
        [lower("iemand"), ANY, ANY, lemma("neersteken", "doodsteken", "neerschieten",
         "doodschieten", "vermoorden", "steken", "schieten")],
        [KILL_VERBS, ANY, ANY, ANY, lower("school", "klas", "iedereen", "leraar", "docent",
         "mentor", "hem", "haar", "ze", "die")],
        [lemma("meenemen", "meegenomen"), ANY, ANY, WEAPON],
        [WEAPON, ANY, ANY, lower("mee"), ANY, ANY, lower("school", "klas")],
        [WEAPON, ANY, lower("in"), ANY, lower("tas", "rugzak", "jas", "kluisje", "zak")],
        [lower("lijst"), ANY, ANY, lower("namen"), ANY, ANY, ANY, ANY, ANY,
         lemma("boeten", "pakken", "afmaken", "vermoorden", "dood")],
        [lemma("laten"), lower("boeten")],
        [lower("school"), lemma("opblazen", "afbranden", "aansteken", "opgeblazen")],
        [lemma("vergiftigen")],
        [lower("gewurgd"), ANY, ANY, lower("blauw")],
        [lower("met"), lower("een", "zijn", "haar", "n", "z'n"), ANY, lower("gestoken",
         "neergestoken")],
        [lower("hem", "haar", "jou", "je"), ANY, lower("afmaakt", "afmaken")],
        [GUN, ANY, ANY, ANY, ANY, ANY, ANY, ANY, lemma("raken", "schieten", "neerschieten")],
        [lemma("regelen", "kopen", "vinden", "halen"), ANY, ANY, GUN],
        [lower("aan"), lower("een"), GUN, lemma("komen")],
        [lemma("willen"), ANY, ANY, ANY, lower("iets"), lemma("aandoen")],
        [lower("steek", "steekt", "schiet", "schieten", "steken"), ANY, ANY, lower("neer", "dood")],
        [lower("bom", "vuurwerkbom", "explosief", "explosieven"), ANY, ANY, ANY, ANY, ANY,
         lower("school", "kluisjes", "klas", "morgen")],
        [lower("mij", "me", "hem", "haar", "jou", "je"), lower("gaat", "ga", "wil"),
         lower("steken", "neersteken", "neerschieten")],
        [GUN, ANY, ANY, ANY, ANY, ANY, ANY, lower("meeneemt", "meenemen", "meenam")],
        [lower("school"), ANY, lemma("aanvallen")],
        [WEAPON, ANY, ANY, ANY, ANY, ANY, ANY, ANY, lemma("opwachten")],
    ],
}

# Spans that look like crisis language but are figures of speech or everyday requests. A
# crisis match that overlaps one of these is ignored; DIET still sees the message and can
# decide otherwise.
# The name of a crisis on its own. A crisis when someone uses it about themself or someone
# they know, but also the subject of a general question, a lesson or a book: in a message that
# is about such a topic (TOPIC), these alone give the calm line instead of the crisis answer.
WORDS: dict[str, list[list[dict]]] = {
    SUICIDE: [
        [lower("zelfmoord", "zelfmoordgedachten", "zelfmoordgedachte", "zelfmoordpoging",
               "suicide", "suïcide", "zelfdoding", "suicidaal", "suïcidaal", "afscheidsbrief",
               "afscheidsbriefje", "afscheidsbericht", "afscheidsbrieven", "afscheidsbriefjes",
               "levensmoe")],
    ],
    SELF_HARM: [
        [lower("zelfbeschadiging", "automutilatie", "selfharm", "zelfverwonding")],
        [lower("self"), lower("harm")],
    ],
    MISSING: [[lower("vermist", "vermiste", "vermissing")]],
    THREAT: [[lower("schietpartij", "aanslag", "bloedbad")]],
    ABUSE: [
        [lower("huiselijk", "seksueel"), lower("geweld", "misbruik")],
        [lower("mishandeling", "misbruik", "kindermishandeling", "incest")],
    ],
}
TOPIC = [
    lower(
        "protocol", "meldcode", "voorlichting", "voorlichtingsmateriaal", "lesmateriaal",
        "teamtraining", "training", "betekent", "betekenis", "definitie", "signalen", "onderwerp",
        "artikel", "gelezen", "informatie", "folder", "les", "lessen", "bio", "biologie",
        "nederlands", "ckv", "maatschappijleer", "aankaarten", "voorbereiding", "sociale",
        "gebeurd", "gevonden", "thema", "motief", "boekverslag", "leesdossier", "samenvatting",
        "hoofdstuk", "titel", "informeren", "preventief", "aanleiding", "herkennen", "essay",
        "letten", "termen", "opgeslagen", "doorgestuurd", "gastles", "verschil", "uitleggen",
    )
]  # fmt: skip

# Worrying on its own, but often harmless: the answer stays and one calm line is added.
CONCERN: list[list[dict]] = [
    # Panic or an allergic reaction: "ik krijg geen lucht".
    [lower("krijg"), lower("geen"), lower("lucht", "adem")],
    [NOT, lower("bereiken", "bereikbaar")],
    [lower("onbereikbaar")],
    [lower("neemt", "nam"), NOT, ANY, lower("op")],
    [lower("reageert", "reageerde"), lower("niet", "nergens"), lower("meer")],
    [lemma("weglopen")],
    [lower("afscheid"), ANY, lower("van")],
    [lower("laatste"), lower("bericht", "berichtje", "appje", "post", "story")],
    [lower("sorry"), lower("voor"), lower("alles")],
    [lemma("weggeven", "weggegeven"), ANY, ANY, ANY, lower("spullen", "dingen", "alles")],
    [lower("spullen", "knuffels", "skins"), ANY, ANY, lemma("weggeven", "weggegeven")],
    [lower("touw", "strop")],
    [lemma("lopen", "springen"), ANY, DET, WATER, lower("in")],
    [lower("verdwijnen"), ANY, ANY, lower("voorgoed", "altijd", "wereld")],
    [lemma("willen"), ANY, ANY, lower("verdwijnen")],
    [lower("ambulance", "spoedeisende", "eerste", "ehbo", "huisartsenpost")],
    [lower("flauwgevallen", "flauwvallen")],
    [lower("krijg", "krijgen"), lower("hem", "haar", "ze", "mama", "papa"), NOT, lower("wakker")],
    [lower("mes", "wapen", "pistool")],
    [lower("politie")],
    [lower("bom", "schietpartij")],
    [lower("blauwe"), lower("plekken", "plek")],
    [lower("bang"), ANY, ANY, lower("thuis")],
    [lower("durf"), NOT, ANY, lower("naar"), lower("huis")],
    [lower("ouder", "volwassen", "oudere"), lower("man", "vent", "jongen"), ANY, ANY, ANY,
     lower("afspreken", "ontmoeten", "foto", "fotos", "foto's")],
    [lower("zin"), lower("in"), lower("niks", "niets")],
    [lower("nergens"), ANY, lower("zin")],
    [lower("alles"), ANY, ANY, NOT, ANY, lower("zin")],
    [lower("geen"), lower("zin"), lower("meer"), lower("in"), lower("leven", "alles", "niks")],
    [lower("ik"), lower("kan"), lower("niet"), lower("meer")],
    [lower("trek"), lower("het", "t", "'t"), NOT, lower("meer")],
    [lower("donkere", "zwarte", "nare"), lower("gedachten", "gedachtes")],
    [lower("wanhopig", "hopeloos", "uitzichtloos")],
    [lower("voorgoed"), ANY, lemma("verdwijnen")],
    [lower("opnieuw", "weer"), lemma("proberen"), ANY, ANY, lower("dood", "leven", "pillen")],
    [lower("niks", "niets"), lower("waard")],
    [lower("begrafenis")],
    [lower("weet"), lower("al"), lower("hoe", "wanneer", "waar")],
    [lower("dag"), lower("dat"), lower("ik", "hij", "ze"), lower("het"), lower("doe", "doet",
     "ga", "gaat")],
    [lemma("zijn"), ANY, lower("afscheid")],
    [lower("laatste"), lower("dag")],
    [lower("hoe"), lower("hoog")],
    [lower("datum"), lemma("kiezen", "gekozen", "prikken")],
    [lower("niet"), lower("jouw", "haar", "zijn", "jullie"), lower("schuld")],
    [lower("niet", "niks", "niets"), lower("meer"), lower("nodig")],
    [lower("zorg", "zorgen"), lower("goed"), lower("voor")],
    [lower("nergens"), lemma("vinden")],
    [lower("telefoon", "mobiel"), ANY, lower("uit")],
    [lower("nog"), lower("steeds"), NOT, lower("terug", "thuis")],
    [lower("testament")],
    [lower("als"), lower("iemand"), lower("dit"), lower("leest")],
    [lower("brief", "briefje"), ANY, ANY, ANY, lower("sorry", "spijt")],
    [lower("aansteker")],
    [lower("eruit"), lower("gegooid", "gezet")],
    [lemma("komen"), ANY, ANY, lower("in"), ANY, lower("bed")],
    [lower("hand"), lower("op"), ANY, BODY_PART],
    [lower("niet"), lower("wakker"), lower("te"), lower("krijgen")],
    [lower("ijlen", "ijlt", "verward", "suf")],
    [lower("doet", "reageert"), lower("niks", "niets"), lower("meer")],
    [lower("lijst"), lower("met"), lower("namen")],
    [lower("allemaal"), ANY, lemma("voelen", "pakken", "boeten")],
    [lower("zover")],
    [lower("kapot"), lower("maken")],
    [lemma("geven"), lower("geen"), lower("antwoord")],
    [lower("nooit"), lower("meer"), lower("terug", "terugkomen")],
    [lower("doei", "bye"), lower("iedereen", "allemaal")],
    [lower("brief", "briefje"), lower("voor"), ANY, lower("ouders", "moeder", "vader", "mama")],
    [lower("kan"), NOT, lower("zwemmen")],
    [lower("naar"), DET, WATER],
    [lower("het"), lemma("willen", "gaan"), lower("doen")],
    [lower("lange"), lower("mouwen")],
    [lower("relapse")],
    [lower("epileptische", "epilepsie"), lower("aanval")],
    [lower("gesnoven", "gespoten")],
    [lower("gloeiend"), lower("heet")],
    [lower("man", "vent"), lower("van"), ANY, ANY, ANY, ANY, lower("ik"), lower("ben")],
    [lower("bom", "vuurwerkbom")],
]

HYPERBOLE: list[list[dict]] = [
    [DEAD, lower("van", "vd")],
    [lemma("sterven"), lower("van", "vd")],
    [lemma("schamen", "schaam", "lachen", "lach", "vervelen", "verveel", "ergeren", "erger",
           "schrikken", "schrik", "schrok", "werken", "zoeken", "wachten", "piekeren"), ME,
     lower("dood", "rot", "kapot", "suf", "een", "ongeluk")],
    [lower("sociale"), lower("zelfmoord")],
    [lower("duizend"), lower("doden")],
    [lower("doet"), ME, lower("pijn"), lower("om", "dat", "als", "te")],
    # Knives and cutting in the kitchen or the workshop.
    [WEAPON, ANY, lower("hout", "groente", "groenten", "brood", "uien", "ui", "appel", "vlees",
                        "karton", "papier", "taart", "kaas")],
    [lower("hout", "groente", "groenten", "brood", "uien", "ui", "appel", "vlees", "karton",
           "taart"), lemma("snijden")],
    [lower("bijna"), ANY, lower("hartaanval", "hartverzakking")],
    [lower("uit"), ANY, lower("slof")],
    # Grief, sad but safe: "sinds zijn opa er niet meer is", "overleden aan een hartstilstand".
    [lower("opa", "oma", "overgrootvader", "overgrootmoeder", "cavia", "hamster", "hond", "kat",
           "poes", "konijn"), lower("er"), NOT, MORE, lemma("zijn")],
    [lower("overleden", "gestorven", "doodgegaan"), lower("aan"), ANY, ANY],
    [lower("dacht", "denk", "dachten"), ANY, ANY, ANY, lower("hartaanval")],
    # Said not to be so: "niet dat ik mezelf iets wil aandoen", "ik ben niet in gevaar".
    [NOT, lower("dat"), lower("ik"), ANY, ANY, ANY, ANY],
    [lemma("zijn"), NOT, lower("in"), lower("gevaar")],
    [lemma("vragen"), lower("of"), ANY, ME, ANY],
    # Small accidents: "ik sneed me in mn vinger", "gesneden aan een papiertje".
    [ME, ANY, lower("in", "aan"), ANY, lower("vinger", "duim", "papiertje", "papier")],
    [lower("bittere"), lower("pil")],
    [lower("gat"), lower("in"), lower("de"), lower("lucht")],
    [lower("uit"), ANY, lower("vel")],
    [lower("dood"), lower("spoor")],
    [lower("doodlopend", "doodlopende")],
    [lower("over"), lower("lijken")],
    # Pets and grandparents who died: sad, not a danger.
    [lower("cavia", "hamster", "hond", "hondje", "kat", "poes", "konijn", "vogel", "parkiet",
           "vis", "visje", "opa", "oma", "overgrootvader", "overgrootmoeder"), ANY, ANY, ANY,
     lower("doodgegaan", "overleden", "gestorven", "doodging", "ingeslapen", "dood")],
    [lower("wel", "echt"), lower("vermoorden", "slaan", "schieten", "wurgen", "doden", "afmaken")],
    [lower("kan", "kon"), ME, lower("wel")],
    [lower("kan", "kon"), ANY, lower("hoofd"), lower("wel")],
    [lemma("het"), lemma("hoeven"), NOT, MORE, ANY, ANY, ANY, ANY, ANY,
     lower("aanmelding", "aanvraag", "verwijzing", "intake", "afspraak")],
    # "mijn moeder vermoordt me als ik weer te laat ben"
    [lemma("vermoorden", "afmaken", "killen"), lower("me", "mij", "je", "jou", "ons"), ANY, ANY,
     lower("als", "wanneer")],
    [lower("me", "mij", "je", "jou", "ons"), lower("afmaken", "vermoorden"), ANY, ANY,
     lower("als", "wanneer")],
    [lemma("afmaken", "vermoorden", "killen"), ANY, ANY, lower("irritant", "grapje", "haha",
                                                               "lol", "xd", "jk")],
    [lower("was", "is", "wordt", "werd"), lower("een"), lower("aanslag"), lower("op")],
    [lower("dat"), lower("we", "wij", "jullie"), lower("sterven", "doodgaan")],
    [lower("ontplof", "ontploft", "explodeer", "explodeert")],
    [lower("is", "was", "wordt", "werd"), lower("een", "echt"),
     lower("bloedbad", "slachtpartij", "moordpartij", "slachting")],
    [lemma("bezorgen", "geven", "krijgen"), lower("me", "mij"), lower("een"),
     lower("hartstilstand", "hartaanval", "hartverzakking")],
    # Over: "een hartaanval gehad, hij is hersteld", "hand opengehaald aan een glazen deur".
    [lower("hartaanval", "hartstilstand", "beroerte"), lower("gehad")],
    [lower("opengehaald"), lower("aan")],
    [lower("met"), lower("geen"), lower("stok")],
    # A cut finger: "met een mes in mijn vinger gesneden".
    [lower("mes", "mesje", "keukenmes", "schilmesje", "schaar"), ANY, ANY,
     lower("vinger", "duim")],
    [lower("kill"), lower("me"), lower("now")],
    # "ze hangen me op aan de hoogste boom als ik het te laat inlever"
    [lemma("hangen", "ophangen"), ANY, ANY, lower("aan"), DET, lower("hoogste"), lower("boom")],
    [lower("aangemeld", "aanmelding", "afspraak", "intake", "verwijzing"), ANY, ANY, ANY,
     lemma("het"), lemma("hoeven"), NOT, MORE],
    [lower("doodschamen", "doodschaam", "doodlachen", "doodlach", "doodvervelen",
           "doodverveel", "doodschrikken", "doodgeschrokken", "doodergeren")],
    [lower("doodmoe", "doodziek", "doodnerveus", "doodeng", "doodsaai", "doodop", "doodgewoon",
           "doodleuk", "doodstil", "doodsbenauwd", "doodzonde", "doodleuk", "doodvermoeid")],
    [lower("literally", "letterlijk"), ANY, lower("dying", "dead", "died", "dood", "sterf",
                                                  "sterven", "doodgaan")],
    [lower("i'm", "im", "ben"), lower("dead", "dying")],
    [lower("lol", "haha", "hahaha", "xd", "grapje", "jk", "💀", "😂", "🤣")],
]
SLANG = lower("unalive", "unaliven", "kms", "kys", "sh", "sewerslide", "selfharm", "suïcide")
GAME = lower(
    "fifa", "fortnite", "minecraft", "gta", "roblox", "valorant", "warzone", "brawl", "clash",
    "schaken", "potje", "among", "zelda", "mario", "pokemon", "sims", "game", "spel",
)  # fmt: skip
# A story told as a story ("in het boek", "een serie over", "hij zingt dat"): even the rules'
# crisis language is then about the story, and the message gets the calm line.
MEDIA_FRAME: list[list[dict]] = [
    [lower("in"), ANY, ANY, lower(
        "boek", "film", "serie", "liedje", "lied", "nummer", "track", "game", "spel", "toneelstuk",
        "aflevering", "clip", "verhaal", "obby", "level", "musical", "gedicht", "roman",
        "leesboek")],
    [lower("samenvatten", "samenvatting", "boekverslag")],
    [lower("boek", "film", "serie", "liedje", "lied", "nummer", "track", "game", "toneelstuk",
           "documentaire", "verhaal", "podcast", "scene", "scène"), ANY, lower("over", "waarin")],
    [lemma("zingen", "rappen")],
    [lower("met", "in", "bij"), ANY, ANY, GAME],
    [lemma("spelen", "gamen"), ANY, GAME],
    # A general question: "is 113 alleen voor mensen die...".
    [lower("voor"), lower("mensen", "jongeren", "kinderen"), lower("die")],
    # A general or hypothetical question: "als een leerling ooit vertelt dat...", "stel dat".
    [lower("als"), lower("een"), lower("leerling", "kind", "jongere", "student", "puber")],
    [lower("stel"), lower("dat")],
    [lower("als"), lower("iemand"), lower("je", "jou", "jullie", "u")],
    [lower("als"), lower("iemand"), ANY, lower("typt", "zegt", "schrijft", "vertelt", "appt",
                                              "meldt")],
    # What a word means: "wat betekent unalive", "waar staat kms voor".
    [lower("wat"), lower("betekent", "betekenen", "betekende"), ANY, SLANG],
    [lower("waar"), lower("staat", "staan"), SLANG, lower("voor")],
    [lower("essay", "theoretische", "theoretisch", "hypothetisch", "hypothetische",
           "muziekclip", "videoclip")],
    [lower("scene", "scène", "toneelstuk")],
    [lower("rapnummer", "raptekst", "songtekst", "liedtekst", "leesverslag")],
]
# Sad but safe, said so: something that helps, a better tomorrow. The classifiers
# take sadness in teen language for a crisis; with these words their guess gives the calm
# line instead of the crisis answer (the rules still decide on their own).
SAFE_FRAME: list[list[dict]] = [
    [lower("morgen"), lower("beter")],
    [lower("komt"), lower("het", "wel", "alles"), ANY, lower("goed")],
    [lower("gelukkig"), lower("heb", "hebben", "is", "zijn", "gaat", "helpt")],
    [lemma("helpen"), lower("wel", "echt", "gelukkig")],
    [lower("gaat"), lower("het"), ANY, lower("beter")],
]
# Long ago: "een half jaar geleden overleden na een hartstilstand". A word alone (WORDS) in
# such a message is about the past, and gets the calm line, not the crisis answer.
PAST_OVER: list[list[dict]] = [
    [lower("jaar", "jaren", "maand", "maanden"), lower("geleden")],
    [lower("vorig", "vorige"), lower("jaar", "schooljaar", "zomer", "winter")],
]
# A story, a game or the news: what happens in it is not the writer's own danger.
FICTION = [
    lower(
        "game", "games", "gamen", "fortnite", "minecraft", "gta", "roblox", "valorant", "potje",
        "level", "film", "films", "serie", "netflix", "boek", "boeken", "roman", "nieuws",
        "journaal", "krant", "liedje", "lied", "songtekst", "rapper", "clip", "toneel",
        "toneelstuk", "musical", "werkstuk", "spreekbeurt", "profielwerkstuk", "pws",
        "geschiedenis", "oorlog", "tweede", "verhaal", "aflevering", "personage", "hoofdpersoon",
        "documentaire", "podcast", "fifa", "uitgepraat", "opgelost", "overheen", "leesboek",
        "schrijver", "schrijfster", "samenvatten",
    )
]  # fmt: skip
# fmt: on


# A single word in quotes is mentioned, not used: "zijn moeder 'afmaakt' hem", "wat betekent
# 'unalive'?". Someone's own words in quotes ("ze appte 'vaarwel iedereen'") are longer.
MENTION = re.compile(r"(?<!\w)['\"‘“][\w-]+['\"’”](?!\w)")
QUESTION_END = "?"


def mentioned(doc: Doc) -> set[int]:
    """Character offsets inside a quoted word."""
    return {i for m in MENTION.finditer(doc.text) for i in range(m.start(), m.end())}


def across_sentences(doc: Doc, start: int, end: int) -> bool:
    """A pattern's gap that runs over a question mark joins a question to what follows
    ("wat doe je als hij zegt dat hij het meent? ik ben mentor")."""
    return any(t.text == QUESTION_END for t in doc[start : end - 1])


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
        for kind, patterns in WORDS.items():
            self._crisis.add(f"{kind}{WORD_ONLY}", patterns)
        self._topic = Matcher(vocab)
        self._topic.add("topic", [TOPIC])
        self._media = Matcher(vocab)
        self._media.add("media", MEDIA_FRAME)
        self._hyperbole = Matcher(vocab)
        self._hyperbole.add("hyperbole", HYPERBOLE)
        self._fiction = Matcher(vocab)
        self._fiction.add("fiction", [FICTION])
        self._safe = Matcher(vocab)
        self._safe.add("safe", SAFE_FRAME)
        self._past = Matcher(vocab)
        self._past.add("past", PAST_OVER)
        self._concern = Matcher(vocab)
        self._concern.add("concern", CONCERN)

    def _signals(self, doc: Doc) -> Iterator[tuple[CrisisSignal, bool]]:
        """Each crisis match outside a figure of speech, and whether it is only about a story
        or a topic (then it deserves the calm line, not the crisis answer)."""
        figurative = {i for _, start, end in self._hyperbole(doc) for i in range(start, end)}
        story = bool(self._media(doc))
        topical = (
            story or bool(self._topic(doc)) or bool(self._fiction(doc)) or bool(self._past(doc))
        )
        quoted = mentioned(doc)
        for match_id, start, end in self._crisis(doc):
            if figurative.intersection(range(start, end)) or across_sentences(doc, start, end):
                continue
            kind, word_only, _ = doc.vocab.strings[match_id].partition(WORD_ONLY)
            span = doc[start:end]
            signal = CrisisSignal(kind, span.text, span.start_char, span.end_char)
            mention = bool(quoted.intersection(range(span.start_char, span.end_char)))
            yield signal, story or mention or bool(word_only and topical)

    def detect(self, doc: Doc) -> CrisisSignal | None:
        """The first crisis match that is the writer's own situation."""
        return next(
            (signal for signal, about_a_story in self._signals(doc) if not about_a_story), None
        )

    def concern(self, doc: Doc) -> bool:
        """Worrying words, or crisis language about a story or a topic: one calm line with 113
        and 112, not the crisis answer."""
        return bool(self._concern(doc)) or any(story for _, story in self._signals(doc))

    def figurative(self, doc: Doc) -> bool:
        """Hyperbole, a joke, a story or a general question about the topic: a classifier's
        crisis guess is not enough there."""
        matchers = (self._hyperbole, self._fiction, self._topic, self._media, self._safe)
        return any(matcher(doc) for matcher in matchers) or bool(MENTION.search(doc.text))
