"""Turn lexicon phrases into spaCy Matcher patterns (one over LOWER, one over LEMMA)."""

from __future__ import annotations

from spacy.matcher import Matcher
from spacy.vocab import Vocab

ANY_TOKEN = "*"


def phrase_to_patterns(phrase: str) -> list[list[dict]]:
    tokens = phrase.lower().split()
    patterns = []
    for attr in ("LOWER", "LEMMA"):
        patterns.append([{} if tok == ANY_TOKEN else {attr: tok} for tok in tokens])
    return patterns


def build_lexicon_matcher(vocab: Vocab, lexicons: dict[str, dict[str, list[str]]]) -> Matcher:
    """A Matcher whose match ids are "<entity>|<canonical value>"."""
    matcher = Matcher(vocab)
    for entity, lexicon in lexicons.items():
        for value, phrases in lexicon.items():
            patterns = [p for phrase in phrases for p in phrase_to_patterns(phrase)]
            matcher.add(f"{entity}|{value}", patterns)
    return matcher
