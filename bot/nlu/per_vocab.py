"""Build spaCy matchers lazily, once per vocab.

A Matcher is bound to a Vocab, and a Rasa component only meets the Vocab of SpacyNLP's
pipeline when the first message arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from spacy.vocab import Vocab

T = TypeVar("T")


class PerVocab(Generic[T]):
    def __init__(self, build: Callable[[Vocab], T]) -> None:
        self._build = build
        self._built: dict[int, T] = {}

    def __call__(self, vocab: Vocab) -> T:
        key = id(vocab)
        if key not in self._built:
            self._built[key] = self._build(vocab)
        return self._built[key]
