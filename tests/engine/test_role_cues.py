import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.role_cues import PARENT, STAFF, STUDENT, role_from_text
from bot.nlu.role_detector import RoleDetector

# One table for who writes: what the message says decides, the most explicit cue first.
ROLES = [
    ("ik wil mijn zoon aanmelden", PARENT),
    ("onze dochter zit al weken thuis", PARENT),
    ("ik ben de moeder van een meisje van 13", PARENT),
    ("ik ben trouwens de vader", PARENT),
    ("als ouder weet ik niet meer wat ik moet doen", PARENT),
    ("mama hier, hoe werkt dat lans", PARENT),
    ("mijn kleinzoon woont bij ons", PARENT),
    ("ik ben 14", STUDENT),
    ("ben 13 en ik haat school", STUDENT),
    ("ik zit in de 2e klas", STUDENT),
    ("mijn ouders weten het niet", STUDENT),
    ("mag mijn mentor dit aan mn ouders vertellen", STUDENT),
    ("ik durf echt niet meer naar school", STUDENT),
    ("ik word gepest", STUDENT),
    ("oeps nee sorry ik ben leerling", STUDENT),
    ("mijn moeder is al een tijd ziek", STUDENT),
    ("ok ik ben eigenlijk zelf die jongen sorry", STUDENT),
    ("eerlijk gezegd ben ik die dochter", STUDENT),
    ("ik ben het meisje waar mijn vader over schreef", STUDENT),
    ("kan ik mezelf aanmelden?", STUDENT),
    ("ik ben mentor van 2b", STAFF),
    ("ik ben zorgcoördinator op een andere school", STAFF),
    ("ik ben trouwens docent", STAFF),
    ("een leerling van mij komt steeds te laat", STAFF),
    ("als mentor wil ik weten wat ik kan doen", STAFF),
    ("mentor hier, vraagje over verzuim", STAFF),
    ("sorry, ik had moeten zeggen dat ik docent ben", STAFF),
    ("wat moet ik doen als een leerling mij iets vertelt", STAFF),
    # Cues of two roles: the most explicit wins.
    ("mijn dochter zegt dat haar mentor niks doet", PARENT),
    ("ik ben mentor, mijn leerling zegt dat haar ouders het niet weten", STAFF),
    ("ik ben de moeder, mijn zoon zegt: ik ben 14 en ik wil niet", PARENT),
]
NO_ROLE = [
    "wat is schoolweigering",
    "ik ben 40 minuten te laat",
    "ik ben 12 uur per week op school",
    "hoe lang duurt LANS",
    '/inform_role{"role": "ouder"}',
]


@pytest.mark.parametrize(("text", "role"), ROLES)
def test_the_message_says_who_writes(text, role):
    found = role_from_text(text)
    assert found is not None and found[0] == role


@pytest.mark.parametrize("text", NO_ROLE[:-1])
def test_messages_without_a_cue_leave_the_role_open(text):
    assert role_from_text(text) is None


def entities(text: str, existing: list[dict] | None = None, intent: str = "") -> list[dict]:
    message = Message(data={TEXT: text, ENTITIES: existing or [], "intent": {"name": intent}})
    [processed] = RoleDetector().process([message])
    return processed.get(ENTITIES, [])


def test_the_detector_replaces_diets_role_and_keeps_other_entities():
    diet = [
        {"entity": "role", "value": "leerling", "start": 0, "end": 2},
        {"entity": "symptom", "value": "buikpijn", "start": 30, "end": 38},
    ]
    found = entities("ik wil mijn zoon aanmelden, hij buikpijn heeft", diet)
    assert [(e["entity"], e["value"]) for e in found] == [
        ("role", "ouder"),
        ("symptom", "buikpijn"),
    ]


@pytest.mark.parametrize("text", NO_ROLE[:-1])
def test_without_a_cue_diets_role_counts_only_when_the_message_says_who_writes(text):
    diet = [{"entity": "role", "value": "ouder", "start": 0, "end": 1}]
    assert entities(text, diet, intent="inform_role") == diet
    assert entities(text, diet, intent="describe_situation") == []


def test_a_button_keeps_its_role():
    button = [{"entity": "role", "value": "ouder", "start": 0, "end": 1}]
    assert entities(NO_ROLE[-1], button, intent="inform_role") == button


@pytest.mark.parametrize("value", ["2 havo", "0612", "06-12345678", "Ouders"])
def test_a_role_entity_that_is_no_role_is_dropped(value):
    """DIET tags form answers as a role now and then; the slot would take the raw text."""
    diet = [
        {"entity": "role", "value": value, "start": 0, "end": len(value)},
        {"entity": "duration", "value": "sinds maandag", "start": 0, "end": 3},
    ]
    assert [e["entity"] for e in entities(value, diet)] == ["duration"]
