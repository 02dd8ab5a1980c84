"""Build the Dutch spaCy pipeline that Rasa's SpacyNLP loads.

No pretrained Dutch model can be downloaded here, so the pipeline is assembled from spaCy's
`nl` language data (tokenizer, stop words, lexical attributes) and the lemma lookup table of
spacy-lookups-data, plus an attribute ruler that fixes lemmas for chat slang.

    python -m bot.nlu.dutch_pipeline build/spacy-nl
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from spacy.language import Language

from bot.nlu.lemma_overrides import LEMMA_OVERRIDES

DEFAULT_PATH = Path("build/spacy-nl")


def build_pipeline() -> Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("attribute_ruler", after="lemmatizer")
    nlp.initialize()
    # Added after initialize(): initialize() would reset the ruler's patterns.
    for form, lemma in LEMMA_OVERRIDES.items():
        ruler.add(patterns=[[{"LOWER": form}]], attrs={"LEMMA": lemma})
    nlp.meta["name"] = "nl_lans"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Dutch tokenizer + lookup lemmas + slang lemma fixes (LANS)"
    return nlp


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    build_pipeline().to_disk(target)
    print(f"Dutch spaCy pipeline written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
