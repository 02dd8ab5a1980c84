"""Reference numbers: unambiguous alphabet, display form, tolerant parsing."""

from __future__ import annotations

import pytest

from bot.intake import reference

AMBIGUOUS = set("0O1IlL5S8B2Z")


def test_alphabet_has_no_look_alikes() -> None:
    assert not AMBIGUOUS & set(reference.ALPHABET)
    assert len(set(reference.ALPHABET)) == len(reference.ALPHABET)


def test_new_references_are_canonical_and_varied() -> None:
    drawn = {reference.new_reference() for _ in range(500)}
    assert len(drawn) == 500
    for ref in drawn:
        assert len(ref) == 6
        assert set(ref) <= set(reference.ALPHABET)
        assert reference.parse(ref) == ref


def test_display_form() -> None:
    assert reference.display("K7M4QX") == "K7M-4QX"


@pytest.mark.parametrize(
    "typed",
    ["K7M-4QX", "k7m-4qx", "K7M4QX", "k7m4qx", " K7M 4QX ", "k7m - 4qx", "K7M_4QX", "K-7M4-QX"],
)
def test_parse_is_tolerant(typed: str) -> None:
    assert reference.parse(typed) == "K7M4QX"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "K7M-4Q",
        "K7M-4QXX",
        "K0M-4QX",
        "KOM-4QX",
        "K1M-4QX",
        "K7M-4Q!",
        "x" * 1000,
        "🙂🙂🙂🙂🙂🙂",
    ],
)
def test_parse_rejects_what_is_not_a_reference(typed: str) -> None:
    assert reference.parse(typed) is None


def test_new_references_always_mix_digits_and_letters() -> None:
    from bot.intake.reference import new_reference

    for _ in range(500):
        reference = new_reference()
        assert any(c.isdigit() for c in reference) and any(c.isalpha() for c in reference)
