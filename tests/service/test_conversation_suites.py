"""The frozen blind conversation suites (tests/conversations/) through the real stack.

Each suite is held to the turn pass rate it reached when it was last measured
(reports/conversations.md), so that no change makes the conversations people really have
worse unnoticed. The targets (95 % of turns, no form started uninvited) are for the newest,
unread suite; until they are met, the issue stays open and the floor records the truth.
"""

from __future__ import annotations

import pytest

from benchmarks.conversation_eval import available_suites, load_suite, run_suite
from benchmarks.rasa_stack import RasaClient

# Measured (reports/conversations.md, 2026-12-08, with button titles pressed as buttons):
# suite1 (read) 84.5 % of turns, 17 forms started uninvited; suite2 (read) 87.0 %, 17; suite3
# (blind, unread: the honest figure) 89.2 %, 10. The floors leave room for a retrained model's
# and the random response variations' few turns either way.
FLOORS = {
    "suite1": {"pass_rate": 0.81, "forms_uninvited": 21},
    "suite2": {"pass_rate": 0.84, "forms_uninvited": 21},
    "suite3": {"pass_rate": 0.86, "forms_uninvited": 14},
}


def test_every_frozen_suite_has_a_floor_and_the_promised_size():
    assert set(available_suites()) == set(FLOORS)
    for name in available_suites():
        conversations = load_suite(name)
        assert len(conversations) >= 150
        assert sum(len(c["turns"]) for c in conversations) >= 1000


@pytest.mark.parametrize("name", available_suites())
def test_the_suite_keeps_its_pass_rate(engine, name):
    figures = run_suite(RasaClient(engine.rasa_url), name)
    floor = FLOORS[name]
    failing = [(t.conversation["id"], t.index + 1, t.failed) for t in figures.turns if not t.passed]
    assert figures.pass_rate >= floor["pass_rate"], failing[:10]
    assert figures.forms_uninvited <= floor["forms_uninvited"]
