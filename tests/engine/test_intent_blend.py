"""The intent blend: the linear model is sklearn's, it survives a save, and the blend decides."""

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    FEATURE_TYPE_SEQUENCE,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from bot.nlu.intent_blend import Bag, IntentBlend, LinearIntentModel, as_matrix, blend, sentence_bag

# A toy vocabulary: each example is a bag of word ids.
VOCABULARY = ["pesten", "oorzaak", "waarom", "gepest", "ik", "word", "aanmelden", "bewaren"]


def bag(*words: str) -> scipy.sparse.coo_matrix:
    row = np.zeros((1, len(VOCABULARY)))
    for word in words:
        row[0, VOCABULARY.index(word)] += 1
    return scipy.sparse.coo_matrix(row)


def featurised(text: str, **data) -> Message:
    msg = Message(data={TEXT: text, **data})
    words = text.split()
    msg.add_features(Features(bag(*words), FEATURE_TYPE_SENTENCE, TEXT, "counts"))
    msg.add_features(Features(bag(*words), FEATURE_TYPE_SEQUENCE, TEXT, "counts"))
    msg.set(TOKENS_NAMES[TEXT], [])
    return msg


TRAINING = [
    ("waarom oorzaak pesten", "ask_causes"),
    ("oorzaak waarom", "ask_causes"),
    ("pesten oorzaak", "ask_causes"),
    ("ik word gepest", "bullying"),
    ("gepest ik", "bullying"),
    ("word gepest", "bullying"),
    ("aanmelden bewaren", "ask_privacy"),
    ("bewaren waarom", "ask_privacy"),
]


def trained(tmp_path, **config) -> tuple[IntentBlend, LocalModelStorage, Resource]:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_blend")
    component = IntentBlend.create(config, storage, resource, None)
    examples = [featurised(text, intent=intent) for text, intent in TRAINING]
    component.train(TrainingData(training_examples=examples))
    return component, storage, resource


def test_the_linear_model_gives_exactly_what_sklearn_gives():
    rng = np.random.default_rng(0)
    counts = scipy.sparse.csr_matrix(rng.poisson(0.3, size=(60, 40)).astype(float))
    bags = [Bag(row.indices, row.data, 40) for row in counts]
    intents = [f"intent_{i % 4}" for i in range(60)]
    ours = LinearIntentModel.fit(bags, intents, c=10.0)
    reference = make_pipeline(
        TfidfTransformer(), LogisticRegression(C=10.0, max_iter=3000, random_state=42)
    ).fit(counts, intents)
    assert ours.intents == list(reference.classes_)
    for row, bag in enumerate(bags):
        expected = reference.predict_proba(counts[row])[0]
        assert ours.probabilities(bag) == pytest.approx(expected, abs=1e-9)


def test_the_bag_is_rasas_combined_sentence_features():
    msg = featurised("waarom oorzaak pesten")
    regex = scipy.sparse.coo_matrix(np.array([[0.0, 1.0, 1.0]]))
    msg.add_features(Features(regex, FEATURE_TYPE_SENTENCE, TEXT, "regex"))
    _, combined = msg.get_sparse_features(TEXT)
    bag = sentence_bag(msg)
    assert bag.width == len(VOCABULARY) + 3
    assert (as_matrix([bag]).toarray() == combined.features.toarray()).all()


def test_blend_averages_and_sorts_and_counts_missing_intents_as_zero():
    diet = [{"name": "bullying", "confidence": 0.8}, {"name": "ask_causes", "confidence": 0.2}]
    linear = {"ask_causes": 0.9, "bullying": 0.05, "ask_privacy": 0.05}
    ranking = blend(diet, linear, diet_weight=0.5)
    assert [i["name"] for i in ranking] == ["ask_causes", "bullying", "ask_privacy"]
    assert ranking[0]["confidence"] == pytest.approx(0.55)
    assert ranking[2]["confidence"] == pytest.approx(0.025)
    assert blend(diet, linear, diet_weight=1.0)[0] == {"name": "bullying", "confidence": 0.8}


def test_after_a_save_and_load_the_blend_overrules_a_keyword_guess(tmp_path):
    trained(tmp_path)
    loaded = IntentBlend.load({}, LocalModelStorage(tmp_path), Resource("intent_blend"), None)
    # DIET jumped on "pesten"; the words say it is a question about causes.
    guess = {"name": "bullying", "confidence": 0.55}
    msg = featurised(
        "waarom oorzaak pesten",
        intent=guess,
        intent_ranking=[guess, {"name": "ask_causes", "confidence": 0.4}],
    )
    [out] = loaded.process([msg])
    ranking = out.get(INTENT_RANKING_KEY)
    assert out.get(INTENT) == ranking[0]
    assert ranking[0]["name"] == "ask_causes"
    assert sum(i["confidence"] for i in ranking) == pytest.approx(0.95 * 0.5 + 0.5)
    assert [i["confidence"] for i in ranking] == sorted(
        (i["confidence"] for i in ranking), reverse=True
    )


def test_messages_without_features_or_text_are_left_to_diet(tmp_path):
    component, _, _ = trained(tmp_path)
    guess = {"name": "greet", "confidence": 0.9}
    bare = Message(data={TEXT: "hoi", INTENT: guess, INTENT_RANKING_KEY: [guess]})
    [out] = component.process([bare])
    assert out.get(INTENT) == guess


def test_without_intents_to_learn_from_diet_decides_alone(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("intent_blend")
    component = IntentBlend.create({}, storage, resource, None)
    component.train(TrainingData(training_examples=[featurised("ik", intent="greet")]))
    loaded = IntentBlend.load({}, storage, resource, None)
    guess = {"name": "greet", "confidence": 0.9}
    [out] = loaded.process([featurised("ik", intent=guess, intent_ranking=[guess])])
    assert out.get(INTENT) == guess
