"""Every branch of the early-signs check's scoring: signals, not a verdict."""

from __future__ import annotations

from actions.signs_check import QUESTIONS, assess

REFUSAL = {
    "check_absence": "ja",
    "check_resistance": "ja",
    "check_reactions": "ja",
    "check_weekend": "ja",
    "check_parents_know": "ja",
    "check_antisocial": "nee",
    "check_parents_tried": "ja",
    "check_event": "ja",
    "check_mood": "ja",
    "check_duration": "een paar maanden",
}


def answers(**changes: str | None) -> dict[str, str | None]:
    return {**REFUSAL, **{f"check_{k}": v for k, v in changes.items()}}


def test_the_classic_pattern_points_to_school_refusal():
    result = assess(REFUSAL)
    assert result.outcome == "refusal_signs"
    assert result.refusal_points == 7
    assert result.context_points == 2
    assert "weekend" in result.signals
    assert "antisocial" not in result.signals


def test_refusal_needs_absence_and_distress_and_most_criteria():
    assert assess(answers(parents_tried="nee", event="nee", mood="nee")).outcome == "refusal_signs"
    # Only four of seven criteria: a mixed picture, not a pattern.
    mixed = answers(weekend="weet_niet", parents_tried="weet_niet", event="nee", mood="nee")
    mixed["check_resistance"] = "weet_niet"
    assert assess(mixed).outcome == "mixed_signs"


def test_absence_without_the_parents_knowing_points_to_truancy():
    result = assess(answers(parents_know="nee"))
    assert result.outcome == "truancy_signs"
    assert "hidden_absence" in result.signals


def test_rule_breaking_without_distress_points_to_truancy():
    result = assess(answers(antisocial="ja", resistance="nee", reactions="nee", weekend=None))
    assert result.outcome == "truancy_signs"
    assert "antisocial" in result.signals


def test_rule_breaking_with_distress_is_not_called_truancy():
    assert assess(answers(antisocial="ja")).outcome != "truancy_signs"


def test_home_with_knowledge_no_distress_no_effort_points_to_withdrawal():
    result = assess(answers(resistance="nee", reactions="nee", weekend=None, parents_tried="nee"))
    assert result.outcome == "withdrawal_signs"


def test_distress_without_absence_is_an_early_sign():
    result = assess(answers(absence="nee", parents_know="weet_niet", event="nee", mood="nee"))
    assert result.outcome == "early_signs"


def test_hardly_anything_is_few_signs():
    nothing = {q: "nee" for q in QUESTIONS}
    assert assess(nothing).outcome == "few_signs"
    unknown = {q: "weet_niet" for q in QUESTIONS}
    assert assess(unknown).outcome == "few_signs"
    assert assess(unknown).signals == ()


def test_some_signals_without_a_pattern_are_mixed():
    result = assess(
        {q: "weet_niet" for q in QUESTIONS} | {"check_absence": "ja", "check_event": "ja"}
    )
    assert result.outcome == "mixed_signs"
    assert result.signals == ("absence", "event")


def test_missing_answers_count_as_unknown():
    assert assess({}).outcome == "few_signs"
