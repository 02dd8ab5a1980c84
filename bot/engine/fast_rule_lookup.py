"""Find the applicable rules without re-reading every rule at every turn of the conversation.

RulePolicy keeps its rules as JSON keys. To find the ones that apply, Rasa 3.6 goes back
through every turn of the conversation, however long, and at each turn looks up and reverses
every rule still in the running, even when none is left or all remaining rules (the LANS
rules have at most 4 turns) are shorter than the turns still to go. That is about 5 % of
the server's time (py-spy, README "Speed"). This keeps each rule's reversed states once per
policy, stops when the outcome can no longer change, and decides each rule at each turn
with Rasa's own checks.
tests/engine/test_engine_speedups.py checks both give the same rules.
"""

from __future__ import annotations

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import State

_original = RulePolicy._get_possible_keys


def _reversed_rule(self: RulePolicy, key: str) -> list[State]:
    rules: dict[str, list[State]] = self.__dict__.setdefault("_lans_reversed_rules", {})
    if key not in rules:
        rules[key] = list(reversed(self._rule_key_to_state(key)))
    return rules[key]


def _applies(rule_state: State, conversation_state: State) -> bool:
    """RulePolicy._is_rule_applicable for a turn within the rule's length."""
    rule_previous_action = rule_state.get(PREVIOUS_ACTION)
    current_previous_action = conversation_state.get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return RulePolicy._does_rule_match_state(rule_state, conversation_state)


def _get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    candidates = [(key, _reversed_rule(self, key)) for key in lookup]
    for turn, state in enumerate(reversed(states)):
        # A rule shorter than this turn always applies from here on (Rasa's first check).
        if all(turn >= len(rule) for _, rule in candidates):
            break
        candidates = [
            (key, rule)
            for key, rule in candidates
            if turn >= len(rule) or _applies(rule[turn], state)
        ]
    return {key for key, _ in candidates}


def install() -> None:
    RulePolicy._get_possible_keys = _get_possible_keys
