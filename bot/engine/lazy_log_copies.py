"""Make Rasa's deep copies for debug log lines only when those lines are written.

Rasa 3.6 passes deep copies of the dialogue states, events and slots to its debug log
calls (`structlogger.debug(..., current_states=copy.deepcopy(states))`), several per message
and per predicted action. Python evaluates those copies before the logger drops the line
at the server's usual INFO level: about 4 % of the server's time copying states nobody
reads (py-spy, README "Speed"). In the four modules below `copy` is used for nothing else
(tests/engine/test_engine_speedups.py checks that in their source), so their `copy` becomes
one that copies only when the module's logger writes debug lines. Rasa Pro's log
anonymisation rewrites logged values, so with it these copies stay.
"""

from __future__ import annotations

import copy
import logging
from types import ModuleType
from typing import Any

import rasa.core.actions.forms
import rasa.core.policies.memoization
import rasa.core.policies.rule_policy
import rasa.core.processor
from rasa.plugin import plugin_manager

MODULES: tuple[ModuleType, ...] = (
    rasa.core.processor,
    rasa.core.policies.rule_policy,
    rasa.core.policies.memoization,
    rasa.core.actions.forms,
)


class LogCopies:
    """Stands in for the `copy` module in a module that only copies what it logs."""

    def __init__(self, logger_name: str) -> None:
        self._logger = logging.getLogger(logger_name)

    def deepcopy(self, value: Any, memo: dict | None = None) -> Any:
        if self._logger.isEnabledFor(logging.DEBUG):
            return copy.deepcopy(value, memo)
        return value  # the log line is dropped, nothing holds on to the value

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def install() -> None:
    if plugin_manager().hook.get_anonymization_pipeline():
        return
    for module in MODULES:
        if module.copy is copy:
            module.copy = LogCopies(module.__name__)
