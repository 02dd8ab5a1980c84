"""The blind sets stay blind: no message of theirs is trained on or written into a test.

tests/blind_overlap.py compares folded messages (annotations, accents, case and punctuation
dropped) and flags near-duplicates as well: the same words in another order, or a character
similarity of at least 0.93. `python3 -m tests.blind_overlap` lists what overlaps;
`scripts/drop_heldout_overlap.py --from-heldout <set>` removes it from a new NLU set.
"""

from __future__ import annotations

import pytest

from tests.blind_overlap import (
    ROOT,
    Index,
    blind_crisis_messages,
    blind_sets,
    fold,
    overlaps,
    strings_in_tests,
    training_messages,
)


@pytest.fixture(scope="module")
def trained() -> Index:
    return Index(training_messages())


def test_folding_ignores_accents_case_punctuation_and_annotations():
    assert fold("Hoe kom ik in contact met de Zorgcoördinator?") == fold(
        "hoe kom ik in contact met de zorgcoordinator"
    )
    assert fold('ik ben de [moeder]{"entity": "role", "value": "ouder"}!!') == "ik ben de moeder"
    assert fold("  Naïve   café… ") == "naive cafe"


def test_the_check_finds_equal_reordered_and_nearly_equal_messages():
    index = Index(["wat is het telefoonnummer van school", "ik wil dat niet", "hallo"])
    assert index.match("Wat is het telefoonnummer van de school?") is not None  # ratio >= 0.93
    assert index.match("Dat wil ik niet.") == "ik wil dat niet"  # same words
    assert index.match("HALLO!") == "hallo"
    assert index.match("wat is het adres van school") is None
    assert index.match("hallo daar") is None


@pytest.mark.parametrize("name", sorted(blind_sets()))
def test_no_blind_message_is_or_nearly_is_a_training_example(trained, name):
    messages = blind_sets()[name]
    assert len(messages) >= 250, name
    assert overlaps(messages, trained) == []


def test_no_blind_crisis_message_is_written_into_a_test():
    # The crisis rules and the tests of them must be written from other messages, or the blind
    # sets stop measuring the rules blind. tests/nlu and tests/crisis hold the sets themselves.
    strings = [
        (path, text)
        for path, text in strings_in_tests(ROOT / "tests")
        if not path.startswith(("tests/nlu/", "tests/crisis/")) and len(fold(text)) >= 6
    ]
    where = {}
    for path, text in strings:
        where.setdefault(fold(text), set()).add(path)
    in_tests = Index(text for _, text in strings)
    found = [
        (blind, test, sorted(where[fold(test)]))
        for blind, test in overlaps(blind_crisis_messages(), in_tests)
    ]
    assert found == []
