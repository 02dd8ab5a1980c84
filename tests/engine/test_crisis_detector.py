from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY

from bot.nlu.crisis_detector import CRISIS_CHECK, CRISIS_SCORES, CrisisDetector
from bot.nlu.crisis_scorer import CRISIS_PROBABILITY
from bot.nlu.intent_blend import DIET_RANKING
from bot.nlu.unknown_words_fallback import UNKNOWN_SHARE
from tests.engine.nlu_helpers import message


def run(
    nlp,
    text: str,
    ranking: list[tuple[str, float]],
    unknown_share: float = 0.0,
    diet: list[tuple[str, float]] | None = None,
    scorer: float | None = None,
):
    intents = [{"name": n, "confidence": c} for n, c in ranking]
    msg = message(nlp, text, intent=intents[0], intent_ranking=intents)
    msg.set(UNKNOWN_SHARE, unknown_share)
    if diet is not None:
        msg.set(DIET_RANKING, [{"name": n, "confidence": c} for n, c in diet])
    if scorer is not None:
        msg.set(CRISIS_PROBABILITY, scorer)
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


def test_a_very_sure_blend_is_a_crisis_even_against_the_fallback(nlp):
    ranking = [("crisis", 0.93), ("nlu_fallback", 0.3)]
    out = run(nlp, "alles is zwart en niemand ziet het", ranking)
    assert out.get(INTENT) == {"name": "crisis", "confidence": 0.93}
    assert not [e for e in out.get(ENTITIES, []) if e["entity"] == "crisis_signal"]


def test_an_unsure_classifier_crisis_keeps_the_answer_and_adds_the_calm_line(nlp):
    # Measured on blind set 1: below 0.9 the blend is as often wrong as right about a crisis.
    ranking = [("crisis", 0.6), ("student_distress", 0.3)]
    out = run(nlp, "alles is zwart en niemand ziet het", ranking)
    assert out.get(INTENT) == {"name": "student_distress", "confidence": 0.3}
    assert out.get(CRISIS_CHECK) is True


def test_diet_alone_does_not_decide_a_crisis(nlp):
    # DIET is sure of ordinary teen messages; only the blend and the crisis model vote.
    blended = [("student_distress", 0.5), ("crisis", 0.1)]
    diet = [("crisis", 1.0)]
    out = run(nlp, "ik heb een 2 voor biologie en mn vader gaat door het lint", blended, diet=diet)
    assert out.get(INTENT)["name"] == "student_distress"
    assert out.get(CRISIS_SCORES)["diet"] == 1.0


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


def test_a_sure_crisis_model_is_enough(nlp):
    out = run(nlp, "alles is zwart en niemand ziet het", [("student_distress", 0.8)], scorer=0.95)
    assert out.get(INTENT) == {"name": "crisis", "confidence": 0.95}


def test_an_unsure_crisis_model_keeps_the_answer_and_adds_the_calm_line(nlp):
    out = run(nlp, "alles is zwart en niemand ziet het", [("student_distress", 0.8)], scorer=0.6)
    assert out.get(INTENT)["name"] == "student_distress"
    assert out.get(CRISIS_CHECK) is True


def test_worrying_words_add_the_calm_line(nlp):
    out = run(nlp, "ik kan hem al de hele dag niet bereiken", [("describe_situation", 0.8)])
    assert out.get(INTENT)["name"] == "describe_situation"
    assert out.get(CRISIS_CHECK) is True


def test_a_classifier_crisis_guess_on_hyperbole_becomes_the_calm_line(nlp):
    ranking = [("crisis", 0.6), ("student_distress", 0.3)]
    out = run(nlp, "mijn moeder vermoordt me als ik weer te laat ben", ranking, scorer=0.95)
    assert out.get(INTENT) == {"name": "student_distress", "confidence": 0.3}
    assert out.get(CRISIS_CHECK) is True


def test_ordinary_messages_get_no_calm_line(nlp):
    out = run(nlp, "wat is LANS", [("ask_lans", 0.9)], scorer=0.01)
    assert out.get(CRISIS_CHECK) is None


def test_both_classifiers_fairly_sure_together_is_a_crisis(nlp):
    ranking = [("crisis", 0.87), ("student_distress", 0.1)]
    out = run(nlp, "alles is zwart en niemand ziet het", ranking, scorer=0.7)
    assert out.get(INTENT)["name"] == "crisis"
    alone = run(nlp, "alles is zwart en niemand ziet het", ranking, scorer=0.4)
    assert alone.get(INTENT)["name"] == "student_distress" and alone.get(CRISIS_CHECK)
