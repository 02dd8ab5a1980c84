"""Compute a tracker's dialogue states once per turn instead of once per policy call.

Every policy asks the tracker for its past states, several times per prediction (RulePolicy
alone up to four times with different options), and each call replays the whole
conversation from its first event: about 9% of server time under load (py-spy, README
"Speed"). The result depends only on the events, the domain and the options, so it is kept
on the tracker, keyed by those, and dropped as soon as an event is added. Callers get their
own copy: Rasa's featurizers edit the last state in place.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker

_original = DialogueStateTracker.past_states
_CACHE = "_lans_past_states"

State = dict[str, dict[str, Any]]


def _copy(states: list[State]) -> list[State]:
    # Sub-state values are strings, numbers and tuples; copying two levels is enough.
    return [{key: dict(sub) for key, sub in state.items()} for state in states]


def _frozen(rule_only_data: dict[str, Any] | None) -> Any:
    if rule_only_data is None:
        return None
    return tuple(sorted((key, tuple(value)) for key, value in rule_only_data.items()))


def _past_states(
    self: DialogueStateTracker,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    events = self.events
    # The number of events and the identity of the last one change with every update
    # (also when a bounded history drops its oldest event).
    version = (len(events), id(events[-1]) if events else None, id(domain))
    cache = self.__dict__.get(_CACHE)
    if cache is None or cache[0] != version:
        cache = (version, {})
        self.__dict__[_CACHE] = cache
    key = (omit_unset_slots, ignore_rule_only_turns, _frozen(rule_only_data))
    states = cache[1].get(key)
    if states is None:
        states = _original(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        cache[1][key] = _copy(states)
        return states
    return _copy(states)


def install() -> None:
    DialogueStateTracker.past_states = _past_states
