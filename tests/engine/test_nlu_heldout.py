"""The trained model on the held-out set (tests/nlu/heldout.yml), against the targets."""

from __future__ import annotations

import asyncio

import pytest

from bot.nlu.evaluation import evaluate, load_examples


@pytest.fixture(scope="module")
def report(trained_model):
    return asyncio.run(evaluate(trained_model, load_examples()))


def test_every_crisis_message_gets_the_crisis_answer(report):
    assert [p.example.text for p in report.crisis_missed] == []
    assert report.crisis_recall == 1.0


def test_intent_accuracy_reaches_the_target(report):
    assert report.accuracy >= 0.95, [(p.example.text, p.intent) for p in report.errors]


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
