"""Readability of Dutch text: sentence length, long words and the Flesch-Douma score.

Flesch-Douma is Flesch's Reading Ease with constants for Dutch (W.H. Douma, "De leesbaarheid
van landbouwbladen: een onderzoek naar en een toepassing van leesbaarheidsformules",
Afdeling Sociologie en Sociografie, Landbouwhogeschool Wageningen, 1960):

    score = 206.835 - 0.93 * (words per sentence) - 77 * (syllables per word)

Higher is easier: 60-70 is plain Dutch for adults, above 80 easy. The formula is meant for
running text; for a text of a few words it says little, so the tests apply it to longer texts
only (see test_readability.py).

Syllables are counted as groups of vowels ("school" 1, "weigering" 3, "onderzoeksfase" 5);
a diaeresis starts a new syllable ("coördinator" 5, "geïnteresseerd" 5). Dutch spells
diphthongs with two letters (ei, ij, ui, ou, au, oe, eu, ie), which count once, as they
should. The count is rough for a few loan words; it is the same for every text, so it ranks
them fairly. Numbers (help lines, ages) count as one word of one syllable: they should not
make a text with a phone number look hard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.engine.response_text import PLACEHOLDER, split_sentences

VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")
DIAERESIS = set("ëïöü")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[-.,]\d+)*")
# A word of this many syllables or more is long (B1 guidance: prefer short, common words).
LONG_WORD_SYLLABLES = 5


def syllables(word: str) -> int:
    count, in_vowel = 0, False
    for ch in word.lower():
        vowel = ch in VOWELS
        if vowel and (not in_vowel or ch in DIAERESIS):
            count += 1
        in_vowel = vowel
    return max(1, count)


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    words_per_sentence: float
    longest_sentence: int
    long_word_share: float
    douma: float


def words_of(text: str) -> list[str]:
    return WORD.findall(PLACEHOLDER.sub(" ", text))


def measure(text: str) -> Readability:
    sentences = split_sentences(PLACEHOLDER.sub(" ", text))
    words = words_of(text)
    counts = [1 if w[0].isdigit() else syllables(w) for w in words]
    n_words, n_sentences = max(1, len(words)), max(1, len(sentences))
    per_sentence = len(words) / n_sentences
    return Readability(
        sentences=len(sentences),
        words=len(words),
        words_per_sentence=per_sentence,
        longest_sentence=max((len(words_of(s)) for s in sentences), default=0),
        long_word_share=sum(c >= LONG_WORD_SYLLABLES for c in counts) / n_words,
        douma=206.835 - 0.93 * per_sentence - 77 * sum(counts) / n_words,
    )
