from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.unknown_words_fallback import UnknownWordsFallback


def tokenised(nlp, text: str, **data) -> Message:
    tokens = [Token(t.text, t.idx, lemma=t.lemma_) for t in nlp(text)]
    msg = Message(data={TEXT: text, **data})
    msg.set(TOKENS_NAMES[TEXT], tokens)
    return msg


def classified(nlp, text: str) -> Message:
    intent = {"name": "ask_signs", "confidence": 0.6}
    return tokenised(nlp, text, intent=intent, intent_ranking=[intent])


def trained(nlp, tmp_path) -> tuple[UnknownWordsFallback, LocalModelStorage, Resource]:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("unknown_words")
    component = UnknownWordsFallback.create({}, storage, resource, None)
    examples = [tokenised(nlp, t) for t in ["wat is schoolweigering", "mijn zoon wil niet"]]
    component.train(TrainingData(training_examples=examples))
    return component, storage, resource


def test_gibberish_becomes_the_fallback_after_a_save_and_load(nlp, tmp_path):
    _, storage, resource = trained(nlp, tmp_path)
    loaded = UnknownWordsFallback.load({}, storage, resource, None)
    [out] = loaded.process([classified(nlp, "blorp flarp snizzle")])
    assert out.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert out.get(INTENT_RANKING_KEY)[1]["name"] == "ask_signs"


def test_known_words_inflections_and_codes_are_left_to_diet(nlp, tmp_path):
    component, _, _ = trained(nlp, tmp_path)
    texts = [
        "wat is schoolweigering?",
        "mn zoon wilde niet",
        "Q8MN-2BCF",
        "😭😭",
        "Sem",
        "Wat iss",
    ]
    for text in texts:
        [out] = component.process([classified(nlp, text)])
        assert out.get(INTENT)["name"] == "ask_signs", text


def test_a_lone_long_unknown_word_such_as_a_name_is_not_given_an_intent(nlp, tmp_path):
    # "Roelofje", the answer to "what is her first name?", must not read as goodbye.
    component, _, _ = trained(nlp, tmp_path)
    for text in ["Roelofje", "blorp", "Gijsbertha!"]:
        [out] = component.process([classified(nlp, text)])
        assert out.get(INTENT)["name"] == "nlu_fallback", text
    [known] = component.process([classified(nlp, "schoolweigering")])
    assert known.get(INTENT)["name"] == "ask_signs"
