from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY

from bot.nlu.crisis_detector import CrisisDetector
from bot.nlu.intent_blend import DIET_RANKING
from bot.nlu.unknown_words_fallback import UNKNOWN_SHARE
from tests.engine.nlu_helpers import message


def run(
    nlp,
    text: str,
    ranking: list[tuple[str, float]],
    unknown_share: float = 0.0,
    diet: list[tuple[str, float]] | None = None,
):
    intents = [{"name": n, "confidence": c} for n, c in ranking]
    msg = message(nlp, text, intent=intents[0], intent_ranking=intents)
    msg.set(UNKNOWN_SHARE, unknown_share)
    if diet is not None:
        msg.set(DIET_RANKING, [{"name": n, "confidence": c} for n, c in diet])
    [out] = CrisisDetector.create(CrisisDetector.get_default_config(), None, None, None).process(
        [msg]
    )
    return out


def test_rules_override_a_confident_other_intent(nlp):
    out = run(nlp, "ik wil er nie meer zijn", [("student_distress", 0.9), ("crisis", 0.05)])
    assert out.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert out.get(INTENT_RANKING_KEY)[0]["name"] == "crisis"
    assert [n["name"] for n in out.get(INTENT_RANKING_KEY)].count("crisis") == 1
    [signal] = [e for e in out.get(ENTITIES) if e["entity"] == "crisis_signal"]
    assert signal["value"] == "suicide"


def test_unsure_classifier_crisis_beats_the_fallback(nlp):
    ranking = [("nlu_fallback", 0.45), ("crisis", 0.42), ("student_distress", 0.3)]
    out = run(nlp, "alles is zwart en niemand ziet het", ranking)
    assert out.get(INTENT) == {"name": "crisis", "confidence": 0.42}
    assert not [e for e in out.get(ENTITIES, []) if e["entity"] == "crisis_signal"]


def test_diet_alone_saying_crisis_is_enough_when_the_blend_dilutes_it(nlp):
    # The linear model outvoted DIET in the blend; DIET's own ranking still counts.
    blended = [("nlu_fallback", 0.45), ("crisis", 0.35), ("ask_attendance_law", 0.33)]
    diet = [("crisis", 0.6), ("ask_attendance_law", 0.2)]
    text = "thuis is het niet veilig voor mij"
    assert run(nlp, text, blended).get(INTENT)["name"] == "nlu_fallback"
    out = run(nlp, text, blended, diet=diet)
    assert out.get(INTENT) == {"name": "crisis", "confidence": 0.6}


def test_a_weak_classifier_guess_alone_is_not_enough(nlp):
    ranking = [("out_of_scope", 0.5), ("crisis", 0.32)]
    out = run(nlp, "ik wil dood van schaamte haha", ranking)
    assert out.get(INTENT)["name"] == "out_of_scope"


def test_other_messages_are_left_alone(nlp):
    ranking = [("describe_situation", 0.8), ("crisis", 0.1)]
    out = run(nlp, "mijn zoon gaat dood van verveling thuis", ranking)
    assert out.get(INTENT)["name"] == "describe_situation"
    assert not out.get(ENTITIES)


def test_classifier_noise_on_unknown_words_is_not_a_crisis(nlp):
    ranking = [("nlu_fallback", 1.0), ("crisis", 0.46)]
    out = run(nlp, "blorp flarp snizzle", ranking, unknown_share=1.0)
    assert out.get(INTENT)["name"] == "nlu_fallback"


def test_rules_still_fire_on_unknown_words(nlp):
    ranking = [("nlu_fallback", 1.0), ("affirm", 0.3)]
    out = run(nlp, "i want to kill myself", ranking, unknown_share=1.0)
    assert out.get(INTENT)["name"] == "crisis"
