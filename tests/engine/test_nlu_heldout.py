"""The trained model on the held-out sets, against the targets.

tests/nlu/heldout.yml was used for error analysis during development and is optimistic;
tests/nlu/heldout_fresh.yml, heldout_blind2.yml and heldout_blind3.yml were written blind later;
heldout_blind4.yml (2026-12-07) is the newest, never read: the honest figure (README).
"""

from __future__ import annotations

import asyncio

import pytest

from bot.nlu.evaluation import evaluate, load_examples
from tests.engine.conftest import ROOT

BLIND_SETS = [
    ROOT / "tests" / "nlu" / name
    for name in (
        "heldout_fresh.yml",
        "heldout_blind2.yml",
        "heldout_blind3.yml",
        "heldout_blind4.yml",
    )
]


@pytest.fixture(scope="module")
def report(trained_model):
    return asyncio.run(evaluate(trained_model, load_examples()))


def test_every_crisis_message_gets_the_crisis_answer(report):
    assert [p.example.text for p in report.crisis_missed] == []
    assert report.crisis_recall == 1.0


# The target is 0.95 (README). The model of 2026-12-08 measured 0.959 here and 0.970, 0.954
# and 0.956 on the three older blind sets, but 0.934 on the newest, unread blind set 4: the
# target is not met there. The gates are floors a little below the measured figures (a
# retrained model moves by a few messages), and the README says which figure is the honest one.
ACCURACY_FLOOR = 0.94
NEWEST_BLIND_FLOOR = {"heldout_blind4": 0.92}


def test_intent_accuracy_reaches_the_floor(report):
    assert report.accuracy >= ACCURACY_FLOOR, [(p.example.text, p.intent) for p in report.errors]


def test_few_false_crisis_alarms(report):
    # A false alarm shows help lines to someone who did not need them: kind, but noisy.
    assert len(report.crisis_false_alarms) <= 3, [
        p.example.text for p in report.crisis_false_alarms
    ]


def test_symptoms_and_triggers_are_found(report):
    precision, recall = report.entity_scores()
    # Precision is lower than recall by design: the lexicon also tags a symptom word in a
    # general question ("moet ik bang zijn voor de leerplicht"), which the set leaves untagged.
    assert precision >= 0.8 and recall >= 0.9, (precision, recall)


@pytest.fixture(scope="module", params=BLIND_SETS, ids=lambda path: path.stem)
def fresh(trained_model, request):
    return asyncio.run(evaluate(trained_model, load_examples(request.param)))


def test_blind_set_every_crisis_message_gets_the_crisis_answer(fresh):
    assert [p.example.text for p in fresh.crisis_missed] == []


def test_blind_set_few_false_crisis_alarms(fresh):
    assert len(fresh.crisis_false_alarms) <= 3, [p.example.text for p in fresh.crisis_false_alarms]


def test_blind_set_accuracy_reaches_the_floor(fresh, request):
    # See ACCURACY_FLOOR; the README must not say the target is met when it is not.
    floor = NEWEST_BLIND_FLOOR.get(request.node.callspec.id, ACCURACY_FLOOR)
    assert fresh.accuracy >= floor, [(p.example.text, p.intent) for p in fresh.errors]
