"""Phone and e-mail normalisation: the referral and the withdrawal must agree."""

from __future__ import annotations

import pytest

from bot.intake.contact import (
    InvalidContactError,
    email_lookup_form,
    normalise_email,
    normalise_phone,
)


@pytest.mark.parametrize(
    "typed",
    [
        "0612345678",
        "06-12345678",
        "06 1234 5678",
        "+31612345678",
        "+31 6 12345678",
        "0031612345678",
    ],
)
def test_dutch_mobile_forms_normalise_to_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+31612345678"


def test_dutch_landline() -> None:
    assert normalise_phone("040-2261234") == "+31402261234"


@pytest.mark.parametrize(
    "typed",
    ["12345", "0612", "06123456789012", "+32470123456", "+4915112345678", "bel me", "1" * 100],
)
def test_invalid_or_foreign_numbers_are_rejected(typed: str) -> None:
    with pytest.raises(InvalidContactError):
        normalise_phone(typed)


def test_email_normalisation_and_lookup_form() -> None:
    assert normalise_email("Ria@Example.NL") == "Ria@example.nl"
    assert email_lookup_form("Ria@Example.NL") == "ria@example.nl"


@pytest.mark.parametrize(
    "typed", ["ria", "ria@", "@example.nl", "ria@@example.nl", "ria@example", "a" * 300]
)
def test_invalid_email_is_rejected(typed: str) -> None:
    with pytest.raises(InvalidContactError):
        normalise_email(typed)
