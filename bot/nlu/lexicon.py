"""Words parents and teenagers use for symptoms and triggers, mapped to canonical values.

Each phrase is a space-separated list of tokens; a token is matched against the lower-cased
text and against the lemma (so "huilde" matches "huilen"); "*" stands for any one token
("pijn in * buik" matches "pijn in mn buik"). Misspellings and teen spellings are listed as
phrases of their own: char n-grams in DIET cover more, this list makes the common ones certain.
"""

SYMPTOMS: dict[str, list[str]] = {
    "buikpijn": [
        "buikpijn", "buikpijnen", "buik pijn", "bukpijn", "buikpijnn", "buikpein", "buikpyn",
        "buijkpijn", "buikpijntje", "buikkramp", "buikkrampen", "maagpijn", "pijn in * buik",
        "pijn in de buik", "last van * buik",
    ],
    "hoofdpijn": [
        "hoofdpijn", "hoofd pijn", "hoofpijn", "hoofdpein", "hoofdpyn", "koppijn", "migraine",
        "pijn in * hoofd", "pijn in het hoofd",
    ],
    "misselijk": [
        "misselijk", "misselijkheid", "misselyk", "miselijk", "mislijk", "misslijk",
        "kotsmisselijk", "beroerd",
    ],
    "overgeven": ["overgeven", "over geven", "kotsen", "braken", "spugen", "overgegeven"],
    "moe": [
        "moe", "moeheid", "vermoeid", "vermoeidheid", "uitgeput", "doodmoe", "futloos",
        "lusteloos", "geen energie", "weinig energie",
    ],
    "slecht slapen": [
        "slecht slapen", "slecht geslapen", "slapen slecht", "niet slapen", "niet kunnen slapen",
        "kan niet slapen", "niet in slaap", "slapeloos", "wakker liggen", "liggen wakker",
        "ligt wakker", "lig wakker", "nachtmerrie", "nachtmerries", "slaapproblemen",
    ],
    "angstig": [
        "angstig", "bang", "angst", "doodsbang", "zenuwachtig", "nerveus", "gestrest",
        "zenuwen", "stress", "spanning",
    ],
    "paniek": [
        "paniek", "paniekaanval", "paniekaanvallen", "paniek aanval", "paniekaanvalle",
        "hyperventileren", "hyperventileert",
    ],
    "somber": [
        "somber", "somberheid", "depressief", "verdrietig", "down", "neerslachtig",
        "nergens zin in", "nergens meer zin in", "voel me kut", "niet lekker in * vel",
    ],
    "huilen": ["huilen", "huilbui", "huilbuien", "in tranen", "janken", "jankt", "janken"],
    "boos": ["boos", "woedend", "driftbui", "driftbuien", "woedeaanval", "woedeaanvallen", "flippen"],
    "duizelig": ["duizelig", "duizeligheid", "licht in * hoofd", "flauwvallen", "flauw gevallen"],
}

TRIGGERS: dict[str, list[str]] = {
    "overlijden": [
        "overlijden", "overleden", "sterfgeval", "gestorven", "dood gegaan", "doodgegaan",
        "begrafenis", "rouw", "overlijde",
    ],
    "scheiding": [
        "scheiding", "echtscheiding", "scheiden", "gescheiden", "uit elkaar", "scheidig",
        "sheiding",
    ],
    "nieuwe school": [
        "nieuwe school", "andere school", "brugklas", "brugklasser", "middelbare school",
        "overstap", "nieuwe klas",
    ],
    "verhuizing": ["verhuizing", "verhuisd", "verhuizen", "verhuising", "verhuist"],
    "pesten": [
        "pesten", "gepest", "pest", "pesterij", "pesterijen", "pestkop", "pestkoppen",
        "cyberpesten", "uitgelachen", "buitengesloten", "gepesd",
    ],
    "ziekte": [
        "ziekte", "ziek geweest", "ziekenhuis", "corona", "long covid", "pfeiffer", "operatie",
        "ziekenhuisopname",
    ],
    "toetsen": [
        "toets", "toetsen", "toetsweek", "proefwerk", "proefwerken", "examen", "examens",
        "presentatie", "presentaties",
    ],
    "ruzie": ["ruzie", "ruzies", "conflict", "conflicten"],
}
