"""Fixtures for the engine environment's tests (Rasa, rasa_sdk, spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

ROOT = Path(__file__).resolve().parents[2]
SPACY_PATH = ROOT / "build" / "spacy-nl"
MODEL_PATH = ROOT / "models" / "lans.tar.gz"


@pytest.fixture(scope="session")
def nlp() -> Language:
    assert SPACY_PATH.exists(), "run `make setup` first: the Dutch spaCy pipeline is missing"
    return spacy.load(SPACY_PATH)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    assert MODEL_PATH.exists(), "run `make train` first: no trained model"
    return MODEL_PATH
