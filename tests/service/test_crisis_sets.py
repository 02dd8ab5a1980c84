"""The frozen blind crisis sets (tests/crisis/) through the real stack, held to the targets.

Each crisis message, fresh and in the middle of a form, must get a reply with a help line;
at most 3 % of the alarming-but-safe messages may get the crisis answer; after a crisis answer
every follow-up keeps the help-line footer; the calm line stays under 10 % of ordinary
messages. benchmarks/crisis_eval.py does the measuring and writes the same figures to
reports/crisis.md.
"""

from __future__ import annotations

import pytest

from benchmarks.crisis_eval import (
    TARGET_CALM_LINE,
    TARGET_FALSE_ALARMS,
    TARGET_RECALL,
    Client,
    available_sets,
    calm_line_count,
    load_set,
    ordinary_messages,
    run_set,
)


@pytest.fixture(scope="module")
def client(engine) -> Client:
    return Client(engine.rasa_url)


def test_there_are_frozen_sets_of_the_promised_size():
    sets = available_sets()
    assert len(sets) >= 2
    for name in sets:
        crisis, contrast = load_set(name)
        assert len(crisis) >= 300 and len(contrast) >= 300, name


@pytest.mark.parametrize("name", available_sets())
def test_every_crisis_message_gets_a_help_line_and_safe_messages_stay_calm(client, name):
    figures = run_set(client, name)
    misses = figures.misses()
    assert figures.recall_fresh >= TARGET_RECALL and figures.recall_mid_form >= TARGET_RECALL, (
        f"{len(misses)} crisis messages without a help line, e.g. {misses[:5]}"
    )
    assert figures.false_alarms <= TARGET_FALSE_ALARMS, figures.alarms()
    assert figures.follow_up == 1.0
    assert any(r.follow_ups for r in figures.crisis)  # the follow-ups were really sent


def test_the_calm_line_is_rare_on_ordinary_messages(engine):
    texts = ordinary_messages()
    assert len(texts) > 500
    assert calm_line_count(engine.rasa_url, texts) / len(texts) < TARGET_CALM_LINE
