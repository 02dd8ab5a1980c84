import pytest
from rasa.shared.nlu.constants import ENTITIES

from bot.nlu.symptom_trigger_extractor import SymptomTriggerExtractor, merge_entities
from tests.engine.nlu_helpers import message


@pytest.fixture
def extractor() -> SymptomTriggerExtractor:
    return SymptomTriggerExtractor({})


def extract(extractor, nlp, text, **data) -> list[tuple[str, str, str]]:
    [msg] = extractor.process([message(nlp, text, **data)])
    return [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in msg.get(ENTITIES, [])]


def test_names_the_symptom_in_a_parents_message(extractor, nlp):
    assert extract(extractor, nlp, "mijn dochter heeft elke maandag buikpijn") == [
        ("symptom", "buikpijn", "buikpijn")
    ]


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("hij heeft weer bukpijn", "buikpijn", "bukpijn"),
        ("ze heeft hoofd pijn", "hoofdpijn", "hoofd pijn"),
        ("ik heb pijn in mn buik", "buikpijn", "pijn in mn buik"),
        ("ze huilde de hele ochtend", "huilen", "huilde"),
        ("hij slaapt slecht", "slecht slapen", "slaapt slecht"),
        ("ik ben zo misselyk", "misselijk", "misselyk"),
        ("ik heb nergens zin in", "somber", "nergens zin in"),
    ],
)
def test_misspellings_teen_spellings_and_verb_forms(extractor, nlp, text, value, span):
    assert ("symptom", value, span) in extract(extractor, nlp, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("sinds de scheiding wil hij niet meer", "scheiding"),
        ("hij wordt gepest", "pesten"),
        ("sinds opa is overleden", "overlijden"),
        ("na de verhuizing ging het mis", "verhuizing"),
        ("ze zit in de brugklas", "nieuwe school"),
        ("de toetsweek komt eraan", "toetsen"),
    ],
)
def test_triggers(extractor, nlp, text, value):
    assert ("trigger", value) in [(e, v) for e, v, _ in extract(extractor, nlp, text)]


def test_several_entities_in_one_long_message(extractor, nlp):
    text = "sinds de scheiding heeft mn zoon hoofdpijn en is ie misselijk, gwn elke ochtend"
    found = [(e, v) for e, v, _ in extract(extractor, nlp, text)]
    assert found == [("trigger", "scheiding"), ("symptom", "hoofdpijn"), ("symptom", "misselijk")]


def test_no_entities_in_a_plain_question(extractor, nlp):
    assert extract(extractor, nlp, "wat is lans eigenlijk") == []


def test_lexicon_replaces_an_overlapping_diet_entity_and_keeps_others(extractor, nlp):
    text = "al twee weken bukpijn"
    diet = [
        {"entity": "symptom", "value": "bukpijn", "start": 14, "end": 21},
        {"entity": "duration", "value": "twee weken", "start": 3, "end": 13},
    ]
    found = extract(extractor, nlp, text, entities=diet)
    assert found == [("duration", "twee weken", "twee weken"), ("symptom", "buikpijn", "bukpijn")]


def test_merge_keeps_canonical_diet_findings_the_lexicon_missed():
    diet = [{"entity": "trigger", "value": "pesten", "start": 0, "end": 9}]
    lexicon = [{"entity": "symptom", "value": "buikpijn", "start": 12, "end": 20}]
    assert merge_entities(diet, lexicon) == diet + lexicon


def test_merge_drops_diet_values_no_response_can_name():
    diet = [
        {"entity": "symptom", "value": "wakker", "start": 0, "end": 6},
        {"entity": "duration", "value": "al weken", "start": 7, "end": 15},
    ]
    assert merge_entities(diet, []) == diet[1:]
