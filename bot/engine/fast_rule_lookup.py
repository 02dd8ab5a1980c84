"""Find the applicable rules from an index instead of checking every rule at every turn.

RulePolicy keeps its rules as JSON keys. To find the ones that apply, Rasa 3.6 checks every
rule (157 for LANS) against the current turn and then goes back through every turn of the
conversation, however long, although no rule is longer than a few turns. That is about 5 %
of the server's time (py-spy, README "Speed"). A rule can only apply at the current turn if
its last state names the same previous action and the same intent as the conversation's
(when it names them), so this indexes the rules by those two once per policy, checks only
the rules of the matching entries with Rasa's own checks, and stops going back when no
rule is long enough to change the outcome. tests/engine/test_engine_speedups.py checks
both give the same rules.
"""

from __future__ import annotations

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import State
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

_original = RulePolicy._get_possible_keys
Index = dict[tuple[str | None, str | None], list[tuple[str, int]]]  # rule keys and lengths


def _required(sub_state: dict, name: str) -> str | None:
    """The value a rule state demands for `name`, or None if any value passes."""
    value = sub_state.get(name)
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


def _index(self: RulePolicy, lookup: dict[str, str]) -> Index:
    indexes: dict[int, tuple[dict, Index]] = self.__dict__.setdefault("_lans_rule_indexes", {})
    cached = indexes.get(id(lookup))
    if cached is None or cached[0] is not lookup:
        index: Index = {}
        for key in lookup:
            states = self._rule_key_to_state(key)
            previous = states[-1].get(PREVIOUS_ACTION) if states else None
            # A rule state without a previous action matches any conversation start state,
            # whatever it says about the user: only index rules that name a previous action.
            action = _required(previous, ACTION_NAME) if previous else None
            intent = _required(states[-1].get(USER, {}), INTENT) if previous else None
            index.setdefault((action, intent), []).append((key, len(states)))
        cached = indexes[id(lookup)] = (lookup, index)
    return cached[1]


def _get_possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    index = _index(self, lookup)
    if not states:
        return {key for rules in index.values() for key, _ in rules}
    current = states[-1]
    action = (current.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
    intent = (current.get(USER) or {}).get(INTENT)
    candidates = [
        rule
        for entry in {(action, intent), (action, None), (None, intent), (None, None)}
        for rule in index.get(entry, ())
    ]
    for turn, state in enumerate(reversed(states)):
        # A rule shorter than this turn always applies from here on (Rasa's first check).
        if all(turn >= length for _, length in candidates):
            break
        candidates = [rule for rule in candidates if self._is_rule_applicable(rule[0], turn, state)]
    return {key for key, _ in candidates}


def install() -> None:
    RulePolicy._get_possible_keys = _get_possible_keys
