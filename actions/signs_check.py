"""The early-signs check: which answers point to school refusal and which to another kind of
absence. Signals, never a verdict: the result names what the answers point to and routes to
the school and the LANS assessment phase.

The questions follow the research criteria for school refusal (Berg; Heyne et al. 2019, see
shared/spec/domain.md): absence, resistance, staying home with the parents' knowledge,
physical or emotional reactions, complaints that go away at home, no antisocial behaviour,
parents who have tried; plus context (an event, mood and contacts, how long).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from actions.answers import DONT_KNOW, NO, YES, parse_yes_no, plain

# Slot per question, in the order the form asks them (after the role, when unknown).
QUESTIONS = (
    "check_absence",
    "check_resistance",
    "check_reactions",
    "check_weekend",
    "check_parents_know",
    "check_antisocial",
    "check_parents_tried",
    "check_event",
    "check_mood",
    "check_duration",
)
YES_NO_QUESTIONS = QUESTIONS[:-1]

# The answer to each question that points towards school refusal (a Berg criterion or an
# item of the Dutch checklist).
REFUSAL_ANSWER = {
    "check_absence": YES,
    "check_resistance": YES,
    "check_reactions": YES,
    "check_weekend": YES,
    "check_parents_know": YES,
    "check_antisocial": NO,
    "check_parents_tried": YES,
}
# Context that often comes with school refusal; it adds weight, it does not decide.
CONTEXT_ANSWER = {"check_event": YES, "check_mood": YES}

# The mood question asks one thing: what else is noticed, one choice per button (less contact
# with peers; little energy or a gloomy mood; a backlog in school work: the brochure's list).
# A choice counts as a yes; a typed "ja" too.
MOOD_CONTACT, MOOD_ENERGY, MOOD_BACKLOG = "contact", "energie", "achterstand"
MOOD_CHOICES = (MOOD_CONTACT, MOOD_ENERGY, MOOD_BACKLOG)
_MOOD_WORDS = (
    (MOOD_CONTACT, r"contact|vriend|klasgeno|leeftijdsgeno|eenzaam|alleen"),
    (MOOD_ENERGY, r"energie|somber|moe\b|moeheid|lusteloos|verdrietig|down"),
    (MOOD_BACKLOG, r"achter|schoolwerk|huiswerk|cijfers"),
)


def parse_mood(text: str) -> str | None:
    """The answer to the mood question: a choice, ja, nee or weet_niet; None if unclear.

    "Weinig energie of somber" -> energie; "nee, niets hiervan" -> nee; "ja" -> ja.
    """
    answer = parse_yes_no(text)
    words = plain(text)
    found = [code for code, pattern in _MOOD_WORDS if re.search(pattern, words)]
    if answer == DONT_KNOW or (answer == NO and (not found or re.match(r"nee|neen|nope", words))):
        return answer
    if len(found) == 1:
        return found[0]
    if found or answer == YES:
        return YES
    return None


def _present(question: str, answer: str | None) -> bool:
    """Whether an answer points the way the question's criterion or context does."""
    if question == "check_mood" and answer in MOOD_CHOICES:
        return True
    return answer == {**REFUSAL_ANSWER, **CONTEXT_ANSWER}[question]


OUTCOMES = (
    "refusal_signs",  # most criteria point to school refusal
    "early_signs",  # emotional signs, little or no absence yet: act early
    "truancy_signs",  # absence the parents did not know of, or rule-breaking
    "withdrawal_signs",  # at home with the parents' knowledge, without resistance or distress
    "mixed_signs",  # some signals, no clear pattern
    "few_signs",  # hardly any signals
)


@dataclass(frozen=True)
class Assessment:
    outcome: str
    # Short codes of the signals that were present, for the referral (e.g. "reactions").
    signals: tuple[str, ...]
    refusal_points: int
    context_points: int


def _code(slot: str) -> str:
    return slot.removeprefix("check_")


def assess(answers: dict[str, str | None]) -> Assessment:
    """Turn the answers (ja / nee / weet_niet / None; a choice for the mood question) into
    signals and an outcome."""
    refusal = [q for q, a in REFUSAL_ANSWER.items() if answers.get(q) == a]
    context = [q for q in CONTEXT_ANSWER if _present(q, answers.get(q))]
    signals = tuple(_code(q) for q in (*refusal, *context) if q != "check_antisocial")
    if answers.get("check_antisocial") == YES:
        signals += ("antisocial",)
    # Not being at home with the parents' knowledge only means something when school is missed.
    hidden_absence = answers.get("check_parents_know") == NO and answers.get("check_absence") != NO
    if hidden_absence:
        signals += ("hidden_absence",)

    distress = any(answers.get(q) == YES for q in ("check_resistance", "check_reactions"))
    absent = answers.get("check_absence") == YES
    if hidden_absence or (answers.get("check_antisocial") == YES and not distress):
        outcome = "truancy_signs"
    elif (
        absent
        and not distress
        and answers.get("check_parents_know") == YES
        and answers.get("check_parents_tried") == NO
    ):
        outcome = "withdrawal_signs"
    elif len(refusal) >= 5 and absent and distress:
        outcome = "refusal_signs"
    elif distress and not absent and len(refusal) + len(context) >= 2:
        outcome = "early_signs"
    elif len(refusal) + len(context) <= 1:
        outcome = "few_signs"
    else:
        outcome = "mixed_signs"
    return Assessment(outcome, signals, len(refusal), len(context))
